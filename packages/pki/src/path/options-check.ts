// Misuse checks for the options of validatePath and verifyCertificate. A wrong option must be a
// TypeError, never a quietly skipped check: `time: new Date('garbage')` used to compare NaN and
// pass every validity period, an unknown `purpose` used to skip the EKU check, and a CRL given
// as PEM text used to be dropped, so an expired, wrong-purpose or revoked certificate came back
// valid.

import { Certificate } from '../certificate.js';
import { Crl } from '../crl.js';
import { misuse } from '../internal/guard.js';
import { OID } from '../oids.js';
import type { PathPurpose } from './validate.js';

/** The EKU each purpose of {@link PathPurpose} asks the end-entity for (`any`: none). */
export const PURPOSE_EKU: Readonly<Record<PathPurpose, string | undefined>> = {
  serverAuth: OID.serverAuth,
  clientAuth: OID.clientAuth,
  any: undefined,
};
const PATH_PURPOSES: readonly string[] = Object.keys(PURPOSE_EKU);

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  if (v instanceof Date) return 'an invalid Date';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? (v.constructor?.name ?? 'an object') : `${typeof v} ${String(v)}`;
}

/**
 * Throws a TypeError for options of {@link validatePath} that would make it skip a check.
 *
 * @example
 * ```ts
 * checkPathOptions({ time: new Date('x') }, 'validatePath'); // TypeError: validatePath: time must be a valid Date…
 * ```
 */
export function checkPathOptions(o: Record<string, unknown>, fn: string): void {
  if (o.time !== undefined && !(o.time instanceof Date && Number.isFinite(o.time.getTime())))
    throw misuse(`${fn}: time must be a valid Date (or left out for now), not ${show(o.time)}.`);
  if (o.purpose !== undefined && !PATH_PURPOSES.includes(o.purpose as string))
    throw misuse(`${fn}: purpose must be one of ${PATH_PURPOSES.join(', ')}, not ${show(o.purpose)}.`);
  if (o.host !== undefined && typeof o.host !== 'string')
    throw misuse(`${fn}: host must be a string, not ${show(o.host)}.`);
  if (o.profile !== undefined && o.profile !== 'rfc5280' && o.profile !== 'webpki')
    throw misuse(`${fn}: profile must be 'rfc5280' or 'webpki', not ${show(o.profile)}.`);
  if (
    o.policies !== undefined &&
    !(Array.isArray(o.policies) && o.policies.every((p) => typeof p === 'string'))
  )
    throw misuse(`${fn}: policies must be an array of policy OIDs (strings).`);
  if (o.maxDepth !== undefined && !(Number.isSafeInteger(o.maxDepth) && (o.maxDepth as number) >= 0))
    throw misuse(`${fn}: maxDepth must be a whole number, not ${show(o.maxDepth)}.`);
  if (o.revocation !== undefined && typeof o.revocation !== 'function')
    throw misuse(`${fn}: revocation must be a function (see crlRevocationChecker).`);
}

function checkCertificateList(list: unknown, name: string, fn: string): void {
  if (!Array.isArray(list))
    throw misuse(
      `${fn}: ${name} must be an array of Certificates or DER bytes (Uint8Array), not ${show(list)}.`,
    );
  for (const c of list)
    if (!(c instanceof Certificate) && !(c instanceof Uint8Array))
      throw misuse(
        `${fn}: each of ${name} must be a Certificate or its DER bytes (Uint8Array), not ${show(c)}; parse PEM first (readCertificates).`,
      );
}

/**
 * {@link checkPathOptions} plus verifyCertificate's own options: the anchors, intermediates and
 * CRLs must be lists of parsed objects or DER bytes.
 *
 * @example
 * ```ts
 * checkVerifyOptions({ trustAnchors: [root], crls: [crl.toPem()] }); // TypeError: … parse PEM first
 * ```
 */
export function checkVerifyOptions(o: Record<string, unknown>): void {
  const fn = 'verifyCertificate';
  checkPathOptions(o, fn);
  checkCertificateList(o.trustAnchors, 'trustAnchors', fn);
  if (o.intermediates !== undefined) checkCertificateList(o.intermediates, 'intermediates', fn);
  if (o.crls !== undefined) {
    if (!Array.isArray(o.crls))
      throw misuse(`${fn}: crls must be an array of Crls or DER bytes (Uint8Array), not ${show(o.crls)}.`);
    for (const c of o.crls)
      if (!(c instanceof Crl) && !(c instanceof Uint8Array))
        throw misuse(
          `${fn}: each of crls must be a Crl or its DER bytes (Uint8Array), not ${show(c)}; parse PEM first (parseCrl(readDerOrPem(text))).`,
        );
  }
  if (o.budget !== undefined && !(Number.isSafeInteger(o.budget) && (o.budget as number) > 0))
    throw misuse(`${fn}: budget must be a positive whole number, not ${show(o.budget)}.`);
}
