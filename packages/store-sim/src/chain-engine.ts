// The chain engine of a simulated machine: builds the chain Windows would build from the stores
// seen by one context (HCCE_CURRENT_USER or HCCE_LOCAL_MACHINE), validates it with the pki path
// validator, and reports per element and for the chain the CERT_TRUST_* bits Windows reports.

import {
  Certificate,
  Crl,
  crlRevocationChecker,
  ekuOid,
  OID,
  type PathPurpose,
  type PathReason,
  type RevocationChecker,
  validatePath,
} from '@certlab/pki';
import type { CertificateEntry } from './entry.js';
import { StoreError } from './errors.js';
import { parseLocation, type StoreLocation } from './locations.js';
import type { Machine } from './machine.js';
import { normalizeThumbprint } from './thumbprint.js';
import {
  CERT_TRUST_ERROR as E,
  errorFlagNames,
  CERT_TRUST_INFO as I,
  infoFlagNames,
  type TrustErrorFlag,
  type TrustInfoFlag,
} from './trust-status.js';

/**
 * Which certificates below the root get a revocation check (CERT_CHAIN_REVOCATION_CHECK_*).
 *
 * @example
 * ```ts
 * const mode: RevocationMode = 'chain-exclude-root'; // what .NET's X509RevocationFlag.ExcludeRoot does
 * ```
 */
export type RevocationMode = 'none' | 'end-certificate' | 'chain-exclude-root';

/**
 * Options of {@link buildChain}.
 *
 * @example
 * ```ts
 * const options: ChainOptions = { context: 'LocalMachine', usage: 'serverAuth', revocation: 'chain-exclude-root' };
 * ```
 */
export interface ChainOptions {
  /**
   * The chain engine: the location whose logical stores are searched. 'CurrentUser'
   * (HCCE_CURRENT_USER, default: sees the machine stores too) or 'LocalMachine'
   * (HCCE_LOCAL_MACHINE: what services use; never sees user stores).
   */
  context?: StoreLocation | string;
  /** The validation time (default now). */
  time?: Date;
  /** The application usage the end certificate must allow: `serverAuth`, `clientAuth`, an EKU name or OID; default any. */
  usage?: string;
  /** SSL policy: the server name the certificate must match (CERT_E_CN_NO_MATCH otherwise). */
  host?: string;
  /** Default 'none'. */
  revocation?: RevocationMode;
  /** CRLs "downloaded" for this build, besides those in the context's CA and Root stores. */
  crls?: readonly Crl[];
  /** An additional store (hAdditionalStore): certificates offered for issuer search only. */
  additionalCertificates?: readonly Certificate[];
}

/**
 * One element of the chain (CERT_CHAIN_ELEMENT).
 *
 * @example
 * ```ts
 * for (const el of chain.elements) console.log(el.thumbprint, el.errors, el.infos);
 * ```
 */
export interface ChainElement {
  readonly certificate: Certificate;
  readonly thumbprint: string;
  readonly errorStatus: number;
  readonly infoStatus: number;
  readonly errors: TrustErrorFlag[];
  readonly infos: TrustInfoFlag[];
  /** Where the engine found it: `LocalMachine\Root` (via `.LocalMachine` etc.), or undefined for the target / additional store. */
  readonly foundIn: string | undefined;
  /** The pki path-validation reasons that apply to this element. */
  readonly reasons: PathReason[];
}

/**
 * The policy verdict (CertVerifyCertificateChainPolicy, base or SSL policy).
 *
 * @example
 * ```ts
 * chain.policy; // { hresult: 0x800b0109, name: 'CERT_E_UNTRUSTEDROOT' }
 * ```
 */
export interface ChainPolicyStatus {
  /** 0 for S_OK. */
  readonly hresult: number;
  readonly name: string;
}

/**
 * What the chain engine reports (CERT_CHAIN_CONTEXT with its one simple chain).
 *
 * @example
 * ```ts
 * const chain = await buildChain(machine, leaf, { context: 'LocalMachine' });
 * chain.errors; // ['IS_UNTRUSTED_ROOT']
 * ```
 */
export interface ChainResult {
  readonly context: StoreLocation;
  /** End certificate first, root (or the last certificate found) last. */
  readonly elements: ChainElement[];
  /** OR of the element errors plus the chain-only bits (IS_PARTIAL_CHAIN, IS_CYCLIC). */
  readonly errorStatus: number;
  /** OR of the element info bits except the issuer-match and self-signed nibble, plus chain-only bits. */
  readonly infoStatus: number;
  readonly errors: TrustErrorFlag[];
  readonly infos: TrustInfoFlag[];
  readonly policy: ChainPolicyStatus;
  /** True when no error bit is set and the policy says S_OK. */
  readonly trusted: boolean;
  /** Every pki reason, for diagnostics. */
  readonly reasons: PathReason[];
}

const WORLD = ['Root', 'CA', 'My', 'Trust'] as const;

const PURPOSES: Record<string, PathPurpose> = {
  serverAuth: 'serverAuth',
  clientAuth: 'clientAuth',
  any: 'any',
};

interface Candidate {
  certificate: Certificate;
  thumbprint: string;
  foundIn: string | undefined;
}

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

function equalBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  return !!a && !!b && a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The issuer-match info bit for `child` issued by `issuer`. */
function matchBits(child: Certificate, issuer: Certificate): number {
  const aki = safe(() => child.authorityKeyIdentifier, undefined);
  if (aki?.authorityCertSerialNumber !== undefined && aki.authorityCertSerialNumber === issuer.serialNumber)
    return I.HAS_EXACT_MATCH_ISSUER;
  if (
    aki?.keyIdentifier &&
    equalBytes(
      aki.keyIdentifier,
      safe(() => issuer.subjectKeyIdentifier, undefined),
    )
  )
    return I.HAS_KEY_MATCH_ISSUER;
  return I.HAS_NAME_MATCH_ISSUER;
}

/** True when an AKI/SKI pair rules the candidate out as issuer. */
function keyMismatch(child: Certificate, issuer: Certificate): boolean {
  const aki = safe(() => child.authorityKeyIdentifier?.keyIdentifier, undefined);
  const ski = safe(() => issuer.subjectKeyIdentifier, undefined);
  return !!aki && !!ski && !equalBytes(aki, ski);
}

async function signedBy(child: Certificate, issuer: Certificate): Promise<boolean> {
  try {
    return await child.verifySignature(issuer.publicKey);
  } catch {
    return false;
  }
}

function timeValid(c: Certificate, t: number): boolean {
  return c.notBefore.getTime() <= t && t <= c.notAfter.getTime();
}

function reasonBits(r: PathReason, cert: Certificate | undefined): number {
  switch (r.code) {
    case 'ERR_PATH_EXPIRED':
    case 'ERR_PATH_NOT_YET_VALID':
      return E.IS_NOT_TIME_VALID;
    case 'ERR_PATH_REVOKED':
      return E.IS_REVOKED;
    case 'ERR_PATH_SIGNATURE':
    case 'ERR_PATH_ALGORITHM':
      return E.IS_NOT_SIGNATURE_VALID;
    case 'ERR_PATH_EKU':
    case 'ERR_PATH_KEY_USAGE':
      return E.IS_NOT_VALID_FOR_USAGE;
    case 'ERR_PATH_UNTRUSTED_ROOT':
      return E.IS_UNTRUSTED_ROOT;
    case 'ERR_PATH_REVOCATION_UNKNOWN': {
      const hasCdp = cert ? safe(() => !!cert.getExtension(OID.cRLDistributionPoints), false) : false;
      return E.REVOCATION_STATUS_UNKNOWN | (hasCdp ? E.IS_OFFLINE_REVOCATION : 0);
    }
    case 'ERR_PATH_NOT_CA':
    case 'ERR_PATH_LENGTH':
      return E.INVALID_BASIC_CONSTRAINTS;
    case 'ERR_PATH_POLICY':
      return E.INVALID_POLICY_CONSTRAINTS;
    case 'ERR_PATH_NAME_CONSTRAINTS':
      return /exclud/i.test(r.message) ? E.HAS_EXCLUDED_NAME_CONSTRAINT : E.HAS_NOT_PERMITTED_NAME_CONSTRAINT;
    case 'ERR_PATH_CRITICAL_EXTENSION':
      return E.HAS_NOT_SUPPORTED_CRITICAL_EXT;
    case 'ERR_PATH_NO_ISSUER':
      return E.IS_PARTIAL_CHAIN;
    case 'ERR_PATH_MALFORMED':
    case 'ERR_PATH_PROFILE':
    case 'ERR_PATH_BUDGET':
      return E.INVALID_EXTENSION;
    default:
      return 0; // ERR_PATH_HOSTNAME is a policy result, not a chain bit.
  }
}

/**
 * The HRESULT of the base (or, with a host, SSL) policy for a chain's error bits, first match
 * wins. The first three rows (signature, untrusted root, chaining) and the revocation codes follow
 * the reference (§10.3); explicit distrust, whose place is unverified there, comes right after
 * them, ahead of expiry, usage and revocation; the remaining order is an assumption.
 *
 * @example
 * ```ts
 * policyStatus(CERT_TRUST_ERROR.IS_PARTIAL_CHAIN, false); // { hresult: 0x800b010a, name: 'CERT_E_CHAINING' }
 * ```
 */
export function policyStatus(errorStatus: number, hostMismatch: boolean): ChainPolicyStatus {
  const rows: [number, number, string][] = [
    [E.IS_NOT_SIGNATURE_VALID, 0x80096004, 'TRUST_E_CERT_SIGNATURE'],
    [E.IS_UNTRUSTED_ROOT, 0x800b0109, 'CERT_E_UNTRUSTEDROOT'],
    [E.IS_PARTIAL_CHAIN | E.IS_CYCLIC, 0x800b010a, 'CERT_E_CHAINING'],
    [E.IS_EXPLICIT_DISTRUST, 0x800b0111, 'TRUST_E_EXPLICIT_DISTRUST'],
    [E.IS_NOT_TIME_VALID, 0x800b0101, 'CERT_E_EXPIRED'],
    [E.IS_NOT_VALID_FOR_USAGE, 0x800b0110, 'CERT_E_WRONG_USAGE'],
    [E.IS_REVOKED, 0x80092010, 'CRYPT_E_REVOKED'],
    [E.IS_OFFLINE_REVOCATION, 0x80092013, 'CRYPT_E_REVOCATION_OFFLINE'],
    [E.REVOCATION_STATUS_UNKNOWN, 0x80092012, 'CRYPT_E_NO_REVOCATION_CHECK'],
    [E.INVALID_BASIC_CONSTRAINTS, 0x80096019, 'TRUST_E_BASIC_CONSTRAINTS'],
    [E.INVALID_POLICY_CONSTRAINTS, 0x800b0113, 'CERT_E_INVALID_POLICY'],
    [
      E.INVALID_NAME_CONSTRAINTS |
        E.HAS_NOT_SUPPORTED_NAME_CONSTRAINT |
        E.HAS_NOT_DEFINED_NAME_CONSTRAINT |
        E.HAS_NOT_PERMITTED_NAME_CONSTRAINT |
        E.HAS_EXCLUDED_NAME_CONSTRAINT,
      0x800b0114,
      'CERT_E_INVALID_NAME',
    ],
    [E.HAS_NOT_SUPPORTED_CRITICAL_EXT, 0x800b0105, 'CERT_E_CRITICAL'],
    [E.INVALID_EXTENSION, 0x800b0108, 'CERT_E_MALFORMED'],
  ];
  for (const [bits, hresult, name] of rows) if (errorStatus & bits) return { hresult, name };
  if (hostMismatch) return { hresult: 0x800b010f, name: 'CERT_E_CN_NO_MATCH' };
  return { hresult: 0, name: 'S_OK' };
}

/**
 * Builds and checks the chain of a certificate over a machine's stores, as the Windows chain
 * engine of `options.context` would: issuers searched by subject name in Root, CA, My and Trust
 * (logical views, so a CurrentUser engine also sees the machine stores), preferring the key
 * identifier match, a valid signature, a trusted root and time validity; anchors from Root;
 * anything in Disallowed explicitly distrusted; the path then validated by @certlab/pki
 * (validity, usage, basic and name constraints, policies, revocation with the stores' CRLs).
 * Never throws for a bad certificate; throws StoreError ERR_STORE_NOT_FOUND for an unknown
 * thumbprint.
 *
 * @example
 * ```ts
 * const chain = await buildChain(machine, thumbprint, { context: 'LocalMachine', usage: 'serverAuth' });
 * chain.errorStatus;           // 0x20
 * chain.policy.name;           // 'CERT_E_UNTRUSTEDROOT'
 * chain.elements[0]!.infos;    // ['HAS_KEY_MATCH_ISSUER', 'HAS_PREFERRED_ISSUER']
 * ```
 */
export async function buildChain(
  machine: Machine,
  target: Certificate | CertificateEntry | string,
  options: ChainOptions = {},
): Promise<ChainResult> {
  const context = parseLocation(options.context ?? 'CurrentUser');
  // Misuse is a TypeError, never a skipped check: an invalid Date compares as NaN and would
  // pass every validity period.
  if (
    options.time !== undefined &&
    !(options.time instanceof Date && Number.isFinite(options.time.getTime()))
  )
    throw new TypeError('buildChain: time must be a valid Date (or left out for now).');
  if (
    options.crls !== undefined &&
    !(Array.isArray(options.crls) && options.crls.every((c) => c instanceof Crl))
  )
    throw new TypeError('buildChain: crls must be an array of parsed CRLs (parseCrl).');
  if (
    typeof target !== 'string' &&
    !(target instanceof Certificate) &&
    !(typeof target === 'object' && target !== null && 'certificate' in target && 'thumbprint' in target)
  )
    throw new TypeError(
      'buildChain: the target must be a Certificate, a store entry or a thumbprint (parse DER bytes with parseCertificate first).',
    );
  const time = options.time ?? new Date();
  const t = time.getTime();
  let leaf: Certificate;
  let leafThumb: string;
  if (typeof target === 'string') {
    const thumb = normalizeThumbprint(target);
    const found = machine.locate(thumb)[0];
    if (!found) throw new StoreError('ERR_STORE_NOT_FOUND', `No store of ${machine.name} holds ${thumb}.`);
    leaf = found.certificate;
    leafThumb = thumb;
  } else if ('certificate' in target && 'thumbprint' in target) {
    leaf = target.certificate;
    leafThumb = target.thumbprint;
  } else {
    leaf = target;
    leafThumb = await target.thumbprint();
  }

  const extras: Candidate[] = await Promise.all(
    (options.additionalCertificates ?? []).map(async (c) => ({
      certificate: c,
      thumbprint: await c.thumbprint(),
      foundIn: undefined,
    })),
  );
  const isRoot = (thumb: string) => machine._get(context, 'Root', thumb) !== undefined;
  const isDistrusted = (thumb: string) => machine._get(context, 'Disallowed', thumb) !== undefined;
  const where = (thumb: string): string | undefined => {
    for (const s of WORLD) {
      const e = machine._get(context, s, thumb);
      if (e) return `${e.location}\\${e.store}`;
    }
    return undefined;
  };
  const issuersOf = (c: Certificate): Candidate[] => {
    const canonical = safe(() => c.issuer.canonical, undefined);
    if (canonical === undefined) return [];
    const seen = new Set<string>();
    const out: Candidate[] = [];
    for (const s of WORLD)
      for (const e of machine._bySubject(context, s, canonical)) {
        if (seen.has(e.thumbprint)) continue;
        seen.add(e.thumbprint);
        out.push({
          certificate: e.certificate,
          thumbprint: e.thumbprint,
          foundIn: `${e.location}\\${e.store}`,
        });
      }
    for (const x of extras)
      if (!seen.has(x.thumbprint) && safe(() => x.certificate.subject.canonical, '') === canonical) {
        seen.add(x.thumbprint);
        out.push(x);
      }
    return out;
  };

  // --- build ------------------------------------------------------------------------------
  const chain: Candidate[] = [{ certificate: leaf, thumbprint: leafThumb, foundIn: where(leafThumb) }];
  const errBits: number[] = [0];
  const infoBits: number[] = [0];
  let chainErrors = 0;
  let chainInfo = 0;
  let selfSigned = false;
  for (let depth = 0; depth < 16; depth++) {
    const i = chain.length - 1;
    const cur = chain[i]!.certificate;
    const selfIssued = safe(() => cur.isSelfIssued, false);
    if (selfIssued && !keyMismatch(cur, cur)) {
      selfSigned = true;
      infoBits[i]! |= I.IS_SELF_SIGNED | matchBits(cur, cur);
      if (!(await signedBy(cur, cur))) errBits[i]! |= E.IS_NOT_SIGNATURE_VALID;
      break;
    }
    const all = issuersOf(cur);
    const fresh = all.filter(
      (c) => !chain.some((x) => x.thumbprint === c.thumbprint) && !keyMismatch(cur, c.certificate),
    );
    if (fresh.length === 0) {
      if (all.some((c) => chain.some((x) => x.thumbprint === c.thumbprint))) chainErrors |= E.IS_CYCLIC;
      break;
    }
    const score = (c: Candidate) =>
      (isRoot(c.thumbprint) ? 4 : 0) +
      (timeValid(c.certificate, t) ? 2 : 0) +
      (isDistrusted(c.thumbprint) ? 0 : 1);
    fresh.sort((a, b) => score(b) - score(a));
    let chosen: Candidate | undefined;
    for (const c of fresh)
      if (await signedBy(cur, c.certificate)) {
        chosen = c;
        break;
      }
    if (!chosen) {
      chosen = fresh[0]!;
      errBits[i]! |= E.IS_NOT_SIGNATURE_VALID;
    }
    if (fresh.length > 1) chainInfo |= I.IS_COMPLEX_CHAIN;
    infoBits[i]! |= matchBits(cur, chosen.certificate) | I.HAS_PREFERRED_ISSUER;
    chain.push(chosen);
    errBits.push(0);
    infoBits.push(0);
  }
  const k = chain.length - 1;
  const top = chain[k]!;
  const anchored = isRoot(top.thumbprint);
  if (selfSigned) {
    if (anchored) infoBits[k]! |= I.HAS_PREFERRED_ISSUER;
    else errBits[k]! |= E.IS_UNTRUSTED_ROOT;
  } else if (!anchored) {
    chainErrors |= E.IS_PARTIAL_CHAIN;
  }
  chain.forEach((c, i) => {
    if (isDistrusted(c.thumbprint)) errBits[i]! |= E.IS_EXPLICIT_DISTRUST;
  });

  // --- validate with the pki path validator ------------------------------------------------
  const usage = options.usage ?? 'any';
  // Own keys only: "constructor" or "toString" would otherwise pass as a purpose.
  const purpose = Object.hasOwn(PURPOSES, usage) ? PURPOSES[usage] : undefined;
  let usageOid: string | undefined;
  if (!purpose) {
    try {
      usageOid = ekuOid(usage);
    } catch (e) {
      throw new StoreError('ERR_STORE_NAME_INVALID', `"${usage}" is not an extended key usage name or OID.`, {
        cause: e,
      });
    }
  }
  const mode = options.revocation ?? 'none';
  let revocation: RevocationChecker | undefined;
  if (mode !== 'none') {
    const crls = [
      ...machine._crls(context, 'CA'),
      ...machine._crls(context, 'Root'),
      ...(options.crls ?? []),
    ];
    const checker = crlRevocationChecker(crls, { require: true });
    revocation = (cert, issuer, index, when) =>
      mode === 'end-certificate' && index !== 0
        ? Promise.resolve(undefined)
        : checker(cert, issuer, index, when);
  }
  const path = chain.map((c) => c.certificate);
  const reasons = await validatePath(path, {
    time,
    purpose: purpose ?? 'any',
    // CryptoAPI's SSL policy reads the subject CN when the certificate has no subjectAltName
    // (reference §10.3: "server name not in SAN DNS (CN only if no SAN; wildcard = left-most
    // label)").
    ...(options.host !== undefined ? { host: options.host, hostCommonNameFallback: true } : {}),
    ...(revocation ? { revocation } : {}),
  });
  let hostMismatch = false;
  for (const r of reasons) {
    if (r.code === 'ERR_PATH_HOSTNAME') hostMismatch = true;
    const bits = reasonBits(r, path[r.index]);
    if (r.index >= 0 && r.index <= k) errBits[r.index]! |= bits;
    else chainErrors |= bits;
  }
  if (usageOid) {
    path.forEach((c, i) => {
      const eku = safe(() => c.extKeyUsage, undefined);
      if (eku && !eku.includes(usageOid) && !eku.includes(OID.anyExtendedKeyUsage))
        errBits[i]! |= E.IS_NOT_VALID_FOR_USAGE;
    });
  }
  if (mode !== 'none' && !selfSigned && !anchored && (mode === 'chain-exclude-root' || k === 0))
    errBits[k]! |= E.REVOCATION_STATUS_UNKNOWN | E.IS_OFFLINE_REVOCATION;

  // --- report ---------------------------------------------------------------------------------
  const elements: ChainElement[] = chain.map((c, i) => ({
    certificate: c.certificate,
    thumbprint: c.thumbprint,
    errorStatus: errBits[i]!,
    infoStatus: infoBits[i]!,
    errors: errorFlagNames(errBits[i]!),
    infos: infoFlagNames(infoBits[i]!),
    foundIn: c.foundIn,
    reasons: reasons.filter((r) => r.index === i),
  }));
  let errorStatus = chainErrors;
  let infoStatus = chainInfo;
  for (const el of elements) {
    errorStatus |= el.errorStatus;
    infoStatus |= el.infoStatus & ~0xf;
  }
  errorStatus >>>= 0;
  const policy = policyStatus(errorStatus, hostMismatch);
  return {
    context,
    elements,
    errorStatus,
    infoStatus,
    errors: errorFlagNames(errorStatus),
    infos: infoFlagNames(infoStatus),
    policy,
    trusted: errorStatus === 0 && policy.hresult === 0,
    reasons,
  };
}
