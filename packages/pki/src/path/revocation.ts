// Revocation against CRLs (RFC 5280 §6.3): a CRL counts for a certificate when its issuer is
// the certificate's issuer, its signature verifies with the issuer's key (which must allow
// cRLSign), it is current at the validation time, it has no unknown critical extension and a
// CRL number, and its issuingDistributionPoint scope covers the certificate. Delta CRLs are
// applied on top of a complete CRL they are based on. A CRL that claims to cover the
// certificate but cannot be used makes the status unknown (fail closed), never "good".

import type { Certificate } from '../certificate.js';
import { type Crl, parseCrl } from '../crl.js';
import { decodeCrlDistributionPoints } from '../extensions.js';
import type { GeneralName } from '../general-names.js';
import { OID } from '../oids.js';
import { isoSeconds } from '../time-text.js';
import { certInfo } from './cert-info.js';
import type { RevocationChecker } from './validate.js';

const CRL_EXTENSIONS: ReadonlySet<string> = new Set([
  OID.authorityKeyIdentifier,
  OID.issuerAltName,
  OID.cRLNumber,
  OID.deltaCRLIndicator,
  OID.issuingDistributionPoint,
  OID.freshestCRL,
]);
const ENTRY_EXTENSIONS: ReadonlySet<string> = new Set([
  OID.cRLReason,
  OID.invalidityDate,
  OID.certificateIssuer,
]);

/** Parses CRLs given as DER (unreadable ones are kept aside as a count). */
export function toCrls(list: readonly (Crl | Uint8Array)[]): { crls: Crl[]; unreadable: number } {
  const crls: Crl[] = [];
  let unreadable = 0;
  for (const c of list) {
    if (c instanceof Uint8Array) {
      try {
        crls.push(parseCrl(c));
      } catch {
        unreadable++;
      }
    } else crls.push(c);
  }
  return { crls, unreadable };
}

function gnKey(g: GeneralName): string {
  if (g.type === 'dirName') return `dn:${g.value.canonical}`;
  if ('value' in g && typeof g.value === 'string') return `${g.type}:${g.value.toLowerCase()}`;
  return g.type;
}

/** Why a CRL cannot be used, or undefined. Pure structure (no signature). */
function crlProblem(crl: Crl, time: Date): string | undefined {
  try {
    for (const e of crl.extensions) {
      if (e.critical && !CRL_EXTENSIONS.has(e.oid)) return `it has the unknown critical extension ${e.oid}`;
      if (e.oid === OID.cRLNumber && e.critical)
        return 'its cRLNumber extension is critical (RFC 5280 §5.2.3)';
    }
    if (crl.crlNumber === undefined) return 'it has no cRLNumber (RFC 5280 §5.2.3)';
    if (crl.thisUpdate.getTime() > time.getTime())
      return 'it is not yet valid (thisUpdate is after the validation time)';
    const next = crl.nextUpdate;
    if (next && next.getTime() < time.getTime())
      return 'it is stale (nextUpdate is before the validation time)';
    crl.issuingDistributionPoint;
  } catch (e) {
    return `it cannot be decoded: ${e instanceof Error ? e.message : String(e)}`;
  }
  return undefined;
}

function inScope(crl: Crl, cert: Certificate): boolean {
  const idp = crl.issuingDistributionPoint;
  if (!idp) return true;
  const isCa = certInfo(cert).bc?.ca === true;
  if (idp.onlyContainsAttributeCerts) return false;
  if (idp.onlyContainsUserCerts && isCa) return false;
  if (idp.onlyContainsCACerts && !isCa) return false;
  if (idp.fullName?.length) {
    const dpExt = cert.getExtension(OID.cRLDistributionPoints);
    if (dpExt) {
      const want = new Set(idp.fullName.map(gnKey));
      let any = false;
      for (const dp of decodeCrlDistributionPoints(dpExt.value)) {
        const names = dp.fullName ?? [];
        if (names.some((g) => want.has(gnKey(g)))) any = true;
      }
      if (!any) return false;
    }
  }
  return true;
}

/**
 * Options of {@link crlRevocationChecker}.
 *
 * @example
 * ```ts
 * const options: CrlCheckOptions = { require: true };
 * await validatePath([leaf, root], { revocation: crlRevocationChecker([], options) });
 * // [{ code: 'ERR_PATH_REVOCATION_UNKNOWN', index: 0, message: 'No usable CRL covers this certificate.' }]
 * ```
 */
export interface CrlCheckOptions {
  /** Every certificate below the anchor must have its status decided by a usable CRL. */
  readonly require?: boolean;
}

/**
 * A revocation checker over a set of CRLs for {@link PathValidationOptions.revocation}.
 *
 * @example
 * ```ts
 * const revocation = crlRevocationChecker([parseCrl(der)], { require: true });
 * ```
 */
export function crlRevocationChecker(crls: readonly Crl[], options: CrlCheckOptions = {}): RevocationChecker {
  const sigCache = new Map<Crl, Map<Certificate, Promise<boolean>>>();
  const verified = (crl: Crl, issuer: Certificate): Promise<boolean> => {
    let m = sigCache.get(crl);
    if (!m) {
      m = new Map();
      sigCache.set(crl, m);
    }
    let p = m.get(issuer);
    if (!p) {
      p = crl.verifySignature(issuer).catch(() => false);
      m.set(issuer, p);
    }
    return p;
  };
  return async (cert, issuer, _index, time) => {
    const inf = certInfo(cert);
    const candidates = crls.filter((c) => {
      try {
        return c.issuer.equals(inf.issuer);
      } catch {
        return false;
      }
    });
    const problems: string[] = [];
    const usable: Crl[] = [];
    const issuerKu = certInfo(issuer).ku;
    for (const crl of candidates) {
      const p = crlProblem(crl, time);
      if (p) {
        problems.push(p);
        continue;
      }
      if (issuerKu && !issuerKu.has('cRLSign')) {
        problems.push("the issuer's keyUsage does not allow cRLSign");
        continue;
      }
      if (!(await verified(crl, issuer))) {
        problems.push('its signature does not verify with the issuer key');
        continue;
      }
      try {
        if (!inScope(crl, cert)) continue;
      } catch (e) {
        problems.push(`its scope cannot be read: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      usable.push(crl);
    }
    const complete = usable.filter((c) => !c.isDelta);
    if (complete.length === 0) {
      if (problems.length || options.require)
        return {
          code: 'ERR_PATH_REVOCATION_UNKNOWN',
          message: problems.length
            ? `The revocation status cannot be decided: a CRL for this issuer is unusable (${problems[0]}).`
            : 'No usable CRL covers this certificate.',
        };
      return undefined;
    }
    // The newest complete CRL, then the deltas based on it.
    complete.sort((a, b) => (b.crlNumber! > a.crlNumber! ? 1 : b.crlNumber! < a.crlNumber! ? -1 : 0));
    const base = complete[0]!;
    const deltas = usable.filter(
      (c) => c.isDelta && c.deltaCrlIndicator! <= base.crlNumber! && c.crlNumber! > base.crlNumber!,
    );
    deltas.sort((a, b) => (b.crlNumber! > a.crlNumber! ? 1 : -1));
    const check = (crl: Crl): 'revoked' | 'removed' | undefined => {
      const e = crl.lookup(cert);
      if (!e) return undefined;
      for (const x of e.extensions) if (x.critical && !ENTRY_EXTENSIONS.has(x.oid)) return 'revoked';
      if (e.reason === 'removeFromCRL') return 'removed';
      if (e.revocationDate.getTime() > time.getTime()) return undefined;
      return 'revoked';
    };
    try {
      for (const d of deltas) {
        const s = check(d);
        if (s === 'removed') return undefined;
        if (s === 'revoked')
          return {
            code: 'ERR_PATH_REVOKED',
            message: `The certificate is revoked (delta CRL ${d.crlNumber}).`,
          };
      }
      const s = check(base);
      if (s === 'revoked') {
        const e = base.lookup(cert)!;
        return {
          code: 'ERR_PATH_REVOKED',
          message: `The certificate was revoked on ${isoSeconds(e.revocationDate)}${e.reason ? ` (${e.reason})` : ''}.`,
        };
      }
    } catch (e) {
      return {
        code: 'ERR_PATH_REVOCATION_UNKNOWN',
        message: `A CRL entry cannot be read: ${e instanceof Error ? e.message : String(e)}`,
      };
    }
    return undefined;
  };
}
