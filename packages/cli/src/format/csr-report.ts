// `csr show` output: the text form modelled on `certutil -dump request.req`, and the JSON form
// documented in docs/cli.md. The challenge password is reported as present, never printed.

import { type CertificationRequest, OID } from '@certlab/pki';
import type { SignatureCheck } from './certificate-report.js';
import { derString } from './der-string.js';
import { attributeDisplayName, signatureAlgorithmDisplayName } from './display-names.js';
import { extensionSection } from './extension-section.js';
import { hexDump } from './hex.js';
import { extensionJson, type Json, toJson } from './json-value.js';
import { publicKeySection } from './public-key.js';

/** A request rendered both ways. */
export interface CsrReport {
  readonly text: string[];
  readonly json: Json;
  readonly signature: SignatureCheck;
}

const EXTENSION_ATTRIBUTES = new Set<string>([OID.extensionRequest, '1.3.6.1.4.1.311.2.1.14']);

/** Display lines for one attribute value: decoded when certlab knows how, else a hex dump. */
function attributeValueText(csr: CertificationRequest, oid: string, value: Uint8Array): string[] {
  if (EXTENSION_ATTRIBUTES.has(oid)) return ['(listed under Certificate Extensions)'];
  if (oid === OID.challengePassword) return ['(present, not shown)'];
  if (oid === OID.msEnrollmentNameValuePair) {
    const pairs = safe(() => csr.nameValuePairs);
    if (pairs) return Object.entries(pairs).map(([k, v]) => `${k}=${v}`);
  }
  const s = derString(value);
  return s === undefined ? hexDump(value) : [s];
}

/**
 * Renders a request, verifying its self-signature (proof of possession).
 *
 * @example
 * ```ts
 * const report = await csrReport(parseCsr(der));
 * report.signature.valid; // true
 * ```
 */
export async function csrReport(csr: CertificationRequest): Promise<CsrReport> {
  const alg = safe(() => csr.signatureAlgorithm);
  const sigOid = alg?.oid ?? null;
  const sigName = sigOid ? signatureAlgorithmDisplayName(sigOid) : 'unsupported algorithm';
  const pub = await publicKeySection(csr.subjectPublicKeyInfo);
  let signature: SignatureCheck;
  try {
    const ok = await csr.verify();
    signature = { valid: ok, detail: ok ? 'matches Public Key' : 'does NOT match Public Key' };
  } catch (e) {
    signature = { valid: null, detail: `not checked: ${e instanceof Error ? e.message : String(e)}` };
  }
  const extensions = csr.extensions;
  const template = safe(() => csr.template);
  const text = [
    'PKCS10 Certificate Request:',
    'Version: 1',
    'Subject:',
    `    ${csr.subject.isEmpty ? 'EMPTY' : csr.subject.toWindowsString()}`,
    '',
    ...pub.text,
    '',
    `Request Attributes: ${csr.attributes.length}`,
  ];
  csr.attributes.forEach((a, i) => {
    text.push(`  Attribute[${i}]: ${a.oid} (${attributeDisplayName(a.oid)})`);
    a.values.forEach((v) => {
      for (const line of attributeValueText(csr, a.oid, v)) text.push(`      ${line}`);
    });
  });
  text.push('', ...extensionSection('Certificate Extensions', extensions));
  if (template) text.push(`Certificate Template: ${template}`);
  text.push(
    'Signature Algorithm:',
    `    Algorithm ObjectId: ${sigOid ?? '?'} ${sigName}`,
    signature.valid === false ? `ERROR: Signature ${signature.detail}` : `Signature ${signature.detail}`,
  );
  const json: Json = {
    version: 1,
    subject: csr.subject.toWindowsString(),
    subjectRfc4514: csr.subject.toString(),
    publicKey: pub.json,
    subjectAltNames: toJson(safe(() => csr.subjectAltNames) ?? null),
    extensions: extensions.map(extensionJson),
    attributes: csr.attributes.map((a) => ({
      oid: a.oid,
      name: attributeDisplayName(a.oid),
      // The challenge password is a secret: its presence is reported, not its value.
      values: a.oid === OID.challengePassword ? [] : a.values.map((v) => toJson(v)),
    })),
    template: template ?? null,
    challengePassword: csr.attributes.some((a) => a.oid === OID.challengePassword),
    signatureAlgorithm: { oid: sigOid, name: sigName },
    signature: { valid: signature.valid, detail: signature.detail },
  };
  return { text, json, signature };
}

function safe<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
