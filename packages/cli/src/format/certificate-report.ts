// `cert show` output for one certificate: the text form modelled on `certutil -dump`, and the
// JSON form documented in docs/cli.md. Both come from one pass so they cannot disagree.

import type { Certificate, Name, PublicKey } from '@certlab/pki';
import { isoSeconds } from './dates.js';
import { signatureAlgorithmDisplayName } from './display-names.js';
import { extensionSection } from './extension-section.js';
import { extensionJson, type Json, toJson } from './json-value.js';
import { type PublicKeySection, publicKeySection } from './public-key.js';

/** Why cert show and crl show leave a signature unchecked without an issuer: their remedy. */
export const UNKNOWN_ISSUER = 'the issuer is not known (give --issuer FILE)';

/** The outcome of checking a signature: true/false, or null when it was not checked. */
export interface SignatureCheck {
  readonly valid: boolean | null;
  /** What was checked, or why not: shown in text, `signature.detail` in JSON. */
  readonly detail: string;
}

/** One certificate rendered both ways. */
export interface CertificateReport {
  readonly text: string[];
  readonly json: Json;
  readonly signature: SignatureCheck;
}

/**
 * Checks the signature with the issuer's key when given, with the certificate's own key when it
 * is self-issued, and otherwise says that the issuer is needed.
 */
async function checkSignature(
  cert: Certificate,
  issuerKey: PublicKey | undefined,
  own: PublicKeySection,
  unknownIssuer: string,
): Promise<SignatureCheck> {
  // A self-issued certificate with a key type certlab does not read (DSA, Ed448…) is shown, its
  // signature not checked: own.key is undefined and own.error says why.
  if (!issuerKey && cert.isSelfIssued && !own.key)
    return { valid: null, detail: `not checked: ${own.error ?? 'its key type is not supported'}` };
  const key = issuerKey ?? (cert.isSelfIssued ? own.key : undefined);
  if (!key) return { valid: null, detail: `not checked: ${unknownIssuer}` };
  const whose = issuerKey ? 'the issuer public key' : 'its own public key';
  try {
    const ok = await cert.verifySignature(key);
    return { valid: ok, detail: ok ? `matches ${whose}` : `does NOT match ${whose}` };
  } catch (e) {
    return { valid: null, detail: `not checked: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/**
 * Renders a certificate.
 *
 * @example
 * ```ts
 * const report = await certificateReport(cert);
 * stdout.write(report.text.join('\n'));
 * ```
 */
export async function certificateReport(
  cert: Certificate,
  issuerKey?: PublicKey,
  options: {
    /** Why the signature is not checked when there is no issuer key (the command's remedy). */
    readonly unknownIssuer?: string;
    /** The subject of the certificate `issuerKey` comes from: a failed check says when it is not the issuer name. */
    readonly issuerSubject?: Name;
  } = {},
): Promise<CertificateReport> {
  const sigOid = cert.signatureAlgorithmOid;
  const sigName = signatureAlgorithmDisplayName(sigOid);
  const issuer = cert.issuer;
  const subject = cert.subject;
  const pub = await publicKeySection(cert.subjectPublicKeyInfo);
  let signature = await checkSignature(cert, issuerKey, pub, options.unknownIssuer ?? UNKNOWN_ISSUER);
  // The key is used whatever its certificate's name; a failure says when the names differ.
  if (issuerKey && options.issuerSubject && signature.valid !== true && !issuer.equals(options.issuerSubject))
    signature = {
      ...signature,
      detail: `${signature.detail} (the issuer given is ${options.issuerSubject.toWindowsString()}, not this certificate's issuer)`,
    };
  const sha1 = await cert.thumbprint('SHA-1');
  const sha256 = await cert.thumbprint('SHA-256');
  const text = [
    'X509 Certificate:',
    `Version: ${cert.version}`,
    `Serial Number: ${cert.serialNumber}`,
    'Signature Algorithm:',
    `    Algorithm ObjectId: ${sigOid} ${sigName}`,
    'Issuer:',
    `    ${issuer.toWindowsString()}`,
    '',
    ` NotBefore: ${isoSeconds(cert.notBefore)}`,
    ` NotAfter: ${isoSeconds(cert.notAfter)}`,
    '',
    'Subject:',
    `    ${subject.toWindowsString()}`,
    '',
    ...pub.text,
    '',
    ...extensionSection('Certificate Extensions', cert.extensions),
    signature.valid === false ? `ERROR: Signature ${signature.detail}` : `Signature ${signature.detail}`,
  ];
  if (cert.isSelfIssued) text.push('Root Certificate: Subject matches Issuer');
  text.push(`Cert Hash(sha1): ${sha1}`, `Cert Hash(sha256): ${sha256}`);
  const json: Json = {
    version: cert.version,
    serialNumber: cert.serialNumber,
    signatureAlgorithm: { oid: sigOid, name: sigName },
    issuer: issuer.toWindowsString(),
    issuerRfc4514: issuer.toString(),
    subject: subject.toWindowsString(),
    subjectRfc4514: subject.toString(),
    notBefore: isoSeconds(cert.notBefore),
    notAfter: isoSeconds(cert.notAfter),
    publicKey: pub.json,
    subjectAltNames: safe(() => toJson(cert.subjectAltNames)),
    extensions: cert.extensions.map(extensionJson),
    selfIssued: cert.isSelfIssued,
    signature: { valid: signature.valid, detail: signature.detail },
    thumbprints: { sha1, sha256 },
  };
  return { text, json, signature };
}

function safe(fn: () => Json): Json {
  try {
    return fn();
  } catch {
    return null;
  }
}
