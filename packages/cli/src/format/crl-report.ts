// `crl show` output, modelled on `certutil -dump Contoso.crl`: version, signature algorithm,
// issuer, this/next update, the revoked certificates with their entry extensions, the CRL
// extensions decoded (CRL number, delta CRL indicator, AKI, issuing distribution point…), the
// signature check and the hashes. The JSON form comes from the same pass.

import { createHash } from 'node:crypto';
import {
  type Crl,
  type CrlEntry,
  decodeCrlNumber,
  decodeCrlReason,
  decodeGeneralNames,
  decodeInvalidityDate,
  decodeIssuingDistributionPoint,
  type Extension,
  type IssuingDistributionPoint,
  OID,
  type PublicKey,
} from '@certlab/pki';
import { type SignatureCheck, UNKNOWN_ISSUER } from './certificate-report.js';
import { isoSeconds } from './dates.js';
import {
  crlReasonDisplayName,
  extensionDisplayName,
  signatureAlgorithmDisplayName,
} from './display-names.js';
import { extensionSection } from './extension-section.js';
import { extensionText } from './extension-text.js';
import { generalNameText } from './general-name-text.js';
import { hexDump } from './hex.js';
import { extensionJson, type Json, toJson } from './json-value.js';

const SUB = '     ';

/** A CRL rendered both ways. */
export interface CrlReport {
  readonly text: string[];
  readonly json: Json;
  readonly signature: SignatureCheck;
}

const yesNo = (b: boolean | undefined) => (b ? 'Yes' : 'No');

function idpText(v: IssuingDistributionPoint): string[] {
  const out: string[] = [];
  if (v.fullName || v.nameRelativeToCRLIssuer) {
    out.push('Distribution Point Name:');
    if (v.fullName) {
      out.push(`${SUB}Full Name:`);
      for (const g of v.fullName) out.push(`${SUB}${SUB}${generalNameText(g)}`);
    }
    if (v.nameRelativeToCRLIssuer) {
      out.push(`${SUB}Name Relative to CRL Issuer:`);
      for (const a of v.nameRelativeToCRLIssuer) out.push(`${SUB}${SUB}${a.type}=${a.value}`);
    }
  }
  out.push(
    `Only Contains User Certs=${yesNo(v.onlyContainsUserCerts)}`,
    `Only Contains CA Certs=${yesNo(v.onlyContainsCACerts)}`,
  );
  if (v.onlySomeReasons) out.push(`Only Some Reasons=${v.onlySomeReasons.join(', ')}`);
  out.push(
    `Indirect CRL=${yesNo(v.indirectCRL)}`,
    `Only Contains Attribute Certs=${yesNo(v.onlyContainsAttributeCerts)}`,
  );
  return out;
}

/** The decoded value of a CRL or CRL entry extension, or undefined for other extensions. */
function decodeCrlExtension(ext: Extension): { text: string[]; json: Json } | undefined {
  switch (ext.oid) {
    case OID.cRLNumber: {
      const n = decodeCrlNumber(ext.value);
      return { text: [`CRL Number=${n}`], json: n.toString() };
    }
    case OID.deltaCRLIndicator: {
      const n = decodeCrlNumber(ext.value);
      return { text: [`Minimum Base CRL Number=${n}`], json: n.toString() };
    }
    case OID.issuingDistributionPoint: {
      const v = decodeIssuingDistributionPoint(ext.value);
      return { text: idpText(v), json: toJson(v) };
    }
    case OID.cRLReason: {
      const r = decodeCrlReason(ext.value);
      return { text: [crlReasonDisplayName(r)], json: r };
    }
    case OID.invalidityDate: {
      const d = decodeInvalidityDate(ext.value);
      return { text: [isoSeconds(d)], json: isoSeconds(d) };
    }
    case OID.certificateIssuer: {
      const names = decodeGeneralNames(ext.value);
      return { text: names.map(generalNameText), json: toJson(names) };
    }
    default:
      return undefined;
  }
}

/**
 * Text lines for a CRL or CRL entry extension's value: the CRL-only extensions decoded here,
 * the others as in certificates; a malformed one as a hex dump with the reason.
 *
 * @example
 * ```ts
 * crlExtensionText(crlNumber(7n)); // ['CRL Number=7']
 * ```
 */
export function crlExtensionText(ext: Extension): string[] {
  try {
    return decodeCrlExtension(ext)?.text ?? extensionText(ext);
  } catch (e) {
    return [`Cannot decode: ${e instanceof Error ? e.message : String(e)}`, ...hexDump(ext.value)];
  }
}

/**
 * One CRL or CRL entry extension as JSON: `{ oid, name, critical, value, der }` as for
 * certificates, with the CRL extensions decoded too.
 *
 * @example
 * ```ts
 * crlExtensionJson(crlNumber(7n)); // { oid: '2.5.29.20', name: 'CRL Number', critical: false, value: '7', der: '020107' }
 * ```
 */
export function crlExtensionJson(ext: Extension): Json {
  const base = { oid: ext.oid, name: extensionDisplayName(ext.oid), critical: ext.critical };
  const der = toJson(ext.value);
  try {
    const d = decodeCrlExtension(ext);
    return d ? { ...base, value: d.json, der } : extensionJson(ext);
  } catch (e) {
    return { ...base, value: null, der, error: e instanceof Error ? e.message : String(e) };
  }
}

function safe<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/** One revoked certificate rendered both ways. */
export interface CrlEntryReport {
  readonly text: string[];
  readonly json: Json;
}

/**
 * Renders a CRL entry: serial, revocation date, then its extensions (reason, invalidity date,
 * certificate issuer) in certutil's layout.
 *
 * @example
 * ```ts
 * const { text } = crlEntryReport(crl.lookup('1A2B3C')!);
 * ```
 */
export function crlEntryReport(entry: CrlEntry): CrlEntryReport {
  let extensions: readonly Extension[] = [];
  let extensionError: string | undefined;
  try {
    extensions = entry.extensions;
  } catch (e) {
    extensionError = e instanceof Error ? e.message : String(e);
  }
  const text = [
    `  Serial Number: ${entry.serialNumber}`,
    `  Revocation Date: ${isoSeconds(entry.revocationDate)}`,
  ];
  if (extensionError) text.push(`  Extensions: cannot decode: ${extensionError}`);
  else if (extensions.length) {
    const [first, ...rest] = extensionSection('Extensions', extensions, crlExtensionText);
    text.push(`  ${first}`, ...rest);
    if (text[text.length - 1] === '') text.pop();
  }
  const reason = extensionError ? undefined : safe(() => entry.reason);
  const invalidity = extensionError ? undefined : safe(() => entry.invalidityDate);
  const json: Json = {
    serialNumber: entry.serialNumber,
    revocationDate: isoSeconds(entry.revocationDate),
    reason: reason ?? null,
    invalidityDate: invalidity ? isoSeconds(invalidity) : null,
    certificateIssuer: entry.certificateIssuer ? toJson(entry.certificateIssuer) : null,
    extensions: extensions.map(crlExtensionJson),
  };
  if (extensionError) (json as { [k: string]: Json }).extensionsError = extensionError;
  return { text, json };
}

async function checkSignature(
  crl: Crl,
  issuerKey: PublicKey | undefined,
  unknownIssuer: string,
): Promise<SignatureCheck> {
  if (!issuerKey) return { valid: null, detail: `not checked: ${unknownIssuer}` };
  try {
    const ok = await crl.verifySignature(issuerKey);
    return {
      valid: ok,
      detail: ok ? 'matches the issuer public key' : 'does NOT match the issuer public key',
    };
  } catch (e) {
    return { valid: null, detail: `not checked: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/**
 * Renders a CRL, checking its signature when the issuer's key is given.
 *
 * @example
 * ```ts
 * const report = await crlReport(parseCrl(der), caCert.publicKey);
 * stdout.write(report.text.join('\n'));
 * ```
 */
export async function crlReport(
  crl: Crl,
  issuerKey?: PublicKey,
  options: {
    /** Why the signature is not checked when there is no issuer key (the command's remedy). */
    readonly unknownIssuer?: string;
  } = {},
): Promise<CrlReport> {
  const sigOid = crl.signatureAlgorithmOid;
  const sigName = signatureAlgorithmDisplayName(sigOid);
  let extensions: readonly Extension[] = [];
  let extensionError: string | undefined;
  try {
    extensions = crl.extensions;
  } catch (e) {
    extensionError = e instanceof Error ? e.message : String(e);
  }
  const number = extensionError ? undefined : safe(() => crl.crlNumber);
  const isDelta = extensionError ? false : crl.isDelta;
  const base = extensionError ? undefined : safe(() => crl.deltaCrlIndicator);
  const aki = extensionError ? undefined : safe(() => crl.authorityKeyIdentifier);
  const idp = extensionError ? undefined : safe(() => crl.issuingDistributionPoint);
  const entries = [...crl.entries].map(crlEntryReport);
  const signature = await checkSignature(crl, issuerKey, options.unknownIssuer ?? UNKNOWN_ISSUER);
  const sha1 = createHash('sha1').update(crl.der).digest('hex').toUpperCase();
  const sha256 = createHash('sha256').update(crl.der).digest('hex').toUpperCase();
  const next = crl.nextUpdate;
  const text = [
    'X509 Certificate Revocation List:',
    `Version: ${crl.version}`,
    'Signature Algorithm:',
    `    Algorithm ObjectId: ${sigOid} ${sigName}`,
    'Issuer:',
    `    ${crl.issuer.toWindowsString()}`,
    '',
    ` ThisUpdate: ${isoSeconds(crl.thisUpdate)}`,
    ` NextUpdate: ${next ? isoSeconds(next) : '(none)'}`,
    `CRL Number: ${number === undefined ? '(none)' : number}`,
    isDelta ? `Delta CRL: Yes (base CRL number ${base ?? '?'})` : 'Delta CRL: No',
    '',
    `CRL Entries: ${entries.length}`,
  ];
  for (const e of entries) text.push(...e.text, '');
  if (extensionError) text.push(`CRL Extensions: cannot decode: ${extensionError}`, '');
  else text.push(...extensionSection('CRL Extensions', extensions, crlExtensionText));
  text.push(
    signature.valid === false ? `ERROR: Signature ${signature.detail}` : `Signature ${signature.detail}`,
    `CRL Hash(sha1): ${sha1}`,
    `CRL Hash(sha256): ${sha256}`,
  );
  const json: { [k: string]: Json } = {
    version: crl.version,
    signatureAlgorithm: { oid: sigOid, name: sigName },
    issuer: crl.issuer.toWindowsString(),
    issuerRfc4514: crl.issuer.toString(),
    thisUpdate: isoSeconds(crl.thisUpdate),
    nextUpdate: next ? isoSeconds(next) : null,
    crlNumber: number === undefined ? null : number.toString(),
    isDelta,
    baseCrlNumber: base === undefined ? null : base.toString(),
    authorityKeyIdentifier: aki ? toJson(aki) : null,
    issuingDistributionPoint: idp ? toJson(idp) : null,
    extensions: extensions.map(crlExtensionJson),
    entryCount: entries.length,
    entries: entries.map((e) => e.json),
    signature: { valid: signature.valid, detail: signature.detail },
    thumbprints: { sha1, sha256 },
  };
  if (extensionError) json.extensionsError = extensionError;
  return { text, json, signature };
}
