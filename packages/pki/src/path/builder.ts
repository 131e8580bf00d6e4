// Path building (RFC 4158 in spirit): from the end-entity towards the trust anchors, candidate
// issuers found by subject name, tried in order of authorityKeyIdentifier/subjectKeyIdentifier
// agreement, with backtracking, loop detection on (subject, key), iterative deepening so the
// shortest valid path wins, and a work budget so hostile inputs end with ERR_PATH_BUDGET.

import { Certificate, parseCertificate } from '../certificate.js';
import type { Crl } from '../crl.js';
import { equalBytes } from '../internal/bytes.js';
import { certInfo } from './cert-info.js';
import { checkVerifyOptions } from './options-check.js';
import { type PathReason, reason } from './reasons.js';
import { crlRevocationChecker, toCrls } from './revocation.js';
import { type PathValidationOptions, SignatureCache, validatePathWith } from './validate.js';

/**
 * More issuer candidates on demand (a directory, a cache, AIA fetching…).
 *
 * @example
 * ```ts
 * const source: CertificateSource = { findIssuers: (cert) => directory.filter((c) => c.subject.equals(cert.issuer)) };
 * await verifyCertificate(leaf, { trustAnchors: [root], source });
 * ```
 */
export interface CertificateSource {
  /** Certificates whose subject may be the issuer of `cert`. */
  findIssuers(cert: Certificate): Promise<readonly Certificate[]> | readonly Certificate[];
}

/**
 * A certificate, or bytes that should be one (a parse failure becomes ERR_PATH_MALFORMED).
 *
 * @example
 * ```ts
 * const anchors: CertificateInput[] = [root, readDerOrPem(rootPem, 'CERTIFICATE')];
 * ```
 */
export type CertificateInput = Certificate | Uint8Array;

/**
 * What {@link verifyCertificate} needs besides the options of {@link validatePath}.
 *
 * @example
 * ```ts
 * const options: VerifyOptions = { trustAnchors: [root], intermediates: [ica], purpose: 'serverAuth', host: 'ex01.contoso.com' };
 * const r = await verifyCertificate(leaf, options);
 * ```
 */
export interface VerifyOptions extends PathValidationOptions {
  /** Trusted certificates (trust anchors). */
  readonly trustAnchors: readonly CertificateInput[];
  /** Untrusted certificates that may be intermediates. */
  readonly intermediates?: readonly CertificateInput[];
  /** Further intermediates, asked for on demand. */
  readonly source?: CertificateSource;
  /**
   * Work budget: signature checks plus candidate expansions plus validated candidate paths
   * (default 2,000). When spent, the result is not valid with ERR_PATH_BUDGET.
   */
  readonly budget?: number;
  /** CRLs for revocation checking (RFC 5280 §6.3); DER or parsed. */
  readonly crls?: readonly (Crl | Uint8Array)[];
  /** Every certificate below the anchor must have a status decided by the CRLs given. */
  readonly requireRevocation?: boolean;
}

/**
 * The answer of {@link verifyCertificate}.
 *
 * @example
 * ```ts
 * const r: PathValidationResult = await verifyCertificate(leaf.der, { trustAnchors: [root.der] });
 * r.valid; // true
 * r.path.map((c) => c.subject.commonName); // ['ex01.contoso.com', 'Contoso Root CA']
 * ```
 */
export interface PathValidationResult {
  readonly valid: boolean;
  /** The valid path (end-entity first, trust anchor last), or the best failed attempt. */
  readonly path: Certificate[];
  readonly reasons: PathReason[];
}

function parseAll(list: readonly CertificateInput[] | undefined): Certificate[] {
  const out: Certificate[] = [];
  for (const c of list ?? []) {
    if (c instanceof Uint8Array) {
      try {
        out.push(parseCertificate(c));
      } catch {
        // An unreadable candidate can never be part of a path.
      }
    } else out.push(c);
  }
  return out;
}

class BudgetExhausted extends Error {}

/**
 * Builds a path from `leaf` to one of the trust anchors and validates it (RFC 5280 §6.1),
 * backtracking over alternatives until one is valid. Never throws for bad certificates.
 *
 * @example
 * ```ts
 * const r = await verifyCertificate(leaf, { trustAnchors: [root], intermediates: [ica], purpose: 'serverAuth', host: 'exch01.contoso.com' });
 * if (!r.valid) console.log(r.reasons.map((x) => `${x.code} at ${x.index}: ${x.message}`));
 * ```
 */
export async function verifyCertificate(
  leafInput: CertificateInput,
  verifyOptions: VerifyOptions,
): Promise<PathValidationResult> {
  if (!(leafInput instanceof Uint8Array) && !(leafInput instanceof Certificate))
    throw new TypeError(
      'verifyCertificate expects the certificate as a Certificate or its DER bytes (Uint8Array).',
    );
  if (!verifyOptions || typeof verifyOptions !== 'object')
    throw new TypeError(
      'verifyCertificate expects options with the trusted roots: { trustAnchors: [rootCertificate] }.',
    );
  checkVerifyOptions(verifyOptions as unknown as Record<string, unknown>);
  let options = verifyOptions;
  if ((options.crls?.length || options.requireRevocation) && !options.revocation) {
    const { crls } = toCrls(options.crls ?? []);
    options = {
      ...options,
      revocation: crlRevocationChecker(crls, { require: options.requireRevocation === true }),
    };
  }
  let leaf: Certificate;
  try {
    leaf = leafInput instanceof Uint8Array ? parseCertificate(leafInput) : leafInput;
  } catch (e) {
    return {
      valid: false,
      path: [],
      reasons: [
        reason(
          'ERR_PATH_MALFORMED',
          0,
          `The certificate cannot be parsed: ${e instanceof Error ? e.message : String(e)}`,
        ),
      ],
    };
  }
  const leafInfo = certInfo(leaf);
  if (leafInfo.malformed)
    return {
      valid: false,
      path: [leaf],
      reasons: [reason('ERR_PATH_MALFORMED', 0, `The certificate cannot be decoded: ${leafInfo.malformed}`)],
    };

  const anchors = parseAll(options.trustAnchors);
  const inters = parseAll(options.intermediates);
  const byName = (list: Certificate[]) => {
    const m = new Map<string, Certificate[]>();
    for (const c of list) {
      const inf = certInfo(c);
      if (!inf.subject) continue;
      const key = inf.subject.canonical;
      let a = m.get(key);
      if (!a) {
        a = [];
        m.set(key, a);
      }
      if (!a.some((x) => equalBytes(x.der, c.der))) a.push(c);
    }
    return m;
  };
  const anchorMap = byName(anchors);
  const interMap = byName(inters);
  const isAnchor = (c: Certificate) =>
    (anchorMap.get(certInfo(c).subject?.canonical ?? '') ?? []).some((a) => equalBytes(a.der, c.der));

  const budget = options.budget ?? 2000;
  const sigs = new SignatureCache();
  let work = 0;
  const spend = (n = 1) => {
    work += n;
    if (work + sigs.checks > budget) throw new BudgetExhausted();
  };
  const maxLen = Math.min((options.maxDepth ?? 8) * 2 + 2, 64);

  // Best failure so far, to report when nothing is valid.
  let best: { path: Certificate[]; reasons: PathReason[]; score: number } | undefined;
  const consider = (path: Certificate[], reasons: PathReason[], score: number) => {
    if (!best || score > best.score) best = { path, reasons, score };
  };

  const sourceCache = new Map<Certificate, readonly Certificate[]>();
  const candidates = async (c: Certificate): Promise<{ anchors: Certificate[]; inters: Certificate[] }> => {
    const inf = certInfo(c);
    const key = inf.issuer.canonical;
    const aki = inf.aki?.keyIdentifier;
    const rank = (x: Certificate) => {
      const ski = certInfo(x).ski;
      if (!aki || !ski) return 1;
      return equalBytes(aki, ski) ? 0 : 2;
    };
    const sort = (l: Certificate[]) =>
      l
        .map((x, i) => ({ x, i, r: rank(x) }))
        .sort((a, b) => a.r - b.r || a.i - b.i)
        .map((e) => e.x);
    let more: readonly Certificate[] = [];
    if (options.source) {
      let cached = sourceCache.get(c);
      if (!cached) {
        spend();
        try {
          cached = (await options.source.findIssuers(c)).filter(
            (x) => certInfo(x).subject?.canonical === key,
          );
        } catch {
          cached = [];
        }
        sourceCache.set(c, cached);
      }
      more = cached;
    }
    return { anchors: sort(anchorMap.get(key) ?? []), inters: sort([...(interMap.get(key) ?? []), ...more]) };
  };

  const tryComplete = async (path: Certificate[]): Promise<boolean> => {
    spend();
    const reasons = await validatePathWith(path, options, sigs);
    if (reasons.length === 0) return true;
    // Prefer failures on complete paths; among those, fewer reasons.
    consider(path, reasons, 1000 - reasons.length);
    return false;
  };

  // Depth-first search limited to `limit` certificates; complete paths of exactly `limit`.
  const dfs = async (
    chain: Certificate[],
    seen: Set<string>,
    limit: number,
  ): Promise<Certificate[] | undefined> => {
    const cur = chain[chain.length - 1]!;
    spend();
    const { anchors: as, inters: is } = await candidates(cur);
    const open = is.filter((x) => {
      const xi = certInfo(x);
      return !xi.malformed && !seen.has(xi.logicalKey) && !isAnchor(x);
    });
    let sigFail: PathReason | undefined;
    if (chain.length + 1 === limit) {
      for (const a of as) {
        const s = await sigs.verify(cur, a);
        if (!s.ok) {
          sigFail ??= reason(s.code, chain.length - 1, s.message);
          continue;
        }
        const path = [...chain, a];
        if (await tryComplete(path)) return path;
      }
    }
    if (chain.length + 1 < limit) {
      for (const x of open) {
        const xi = certInfo(x);
        const s = await sigs.verify(cur, x);
        if (!s.ok) {
          sigFail ??= reason(s.code, chain.length - 1, s.message);
          continue;
        }
        seen.add(xi.logicalKey);
        chain.push(x);
        const found = await dfs(chain, seen, limit);
        chain.pop();
        seen.delete(xi.logicalKey);
        if (found) return found;
      }
    }
    // Dead end at this depth: remember why, for the report.
    if (sigFail) consider([...chain], [sigFail], chain.length);
    else if (as.length === 0 && open.length === 0) {
      const at = chain.length - 1;
      const selfIssued = certInfo(cur).selfIssued;
      consider(
        [...chain],
        [
          selfIssued
            ? reason(
                'ERR_PATH_UNTRUSTED_ROOT',
                at,
                'The path ends in a self-issued certificate that is not a trust anchor.',
              )
            : is.length
              ? reason(
                  'ERR_PATH_NO_ISSUER',
                  at,
                  'Every issuer candidate is already in the path (a loop): no trust anchor is reachable.',
                )
              : reason(
                  'ERR_PATH_NO_ISSUER',
                  at,
                  `No issuer certificate named "${certInfo(cur).issuer.toString()}" was found among the trust anchors and intermediates.`,
                ),
        ],
        chain.length,
      );
    }
    return undefined;
  };

  try {
    if (isAnchor(leaf)) {
      const reasons = await validatePathWith([leaf], options, sigs);
      if (reasons.length === 0) return { valid: true, path: [leaf], reasons: [] };
      consider([leaf], reasons, 2000);
    }
    const leafKey = leafInfo.logicalKey;
    for (let limit = 2; limit <= maxLen; limit++) {
      const found = await dfs([leaf], new Set([leafKey]), limit);
      if (found) return { valid: true, path: found, reasons: [] };
    }
  } catch (e) {
    if (!(e instanceof BudgetExhausted)) throw e;
    const b = best as { path: Certificate[]; reasons: PathReason[] } | undefined;
    return {
      valid: false,
      path: b?.path ?? [leaf],
      reasons: [
        reason('ERR_PATH_BUDGET', -1, `Path building stopped after spending its work budget of ${budget}.`),
        ...(b?.reasons ?? []),
      ],
    };
  }
  const b = best as { path: Certificate[]; reasons: PathReason[] } | undefined;
  if (b) return { valid: false, path: b.path, reasons: b.reasons };
  return {
    valid: false,
    path: [leaf],
    reasons: [reason('ERR_PATH_NO_ISSUER', 0, 'No path to a trust anchor was found.')],
  };
}
