// RFC 5280 §6.1 basic path validation of one given path (end-entity first, trust anchor last),
// plus the checks of the chosen profile. Every problem becomes a coded reason; nothing throws.

import { Certificate } from '../certificate.js';
import { PkiError } from '../errors.js';
import type { GeneralName } from '../general-names.js';
import { equalBytes } from '../internal/bytes.js';
import { misuse } from '../internal/guard.js';
import { OID } from '../oids.js';
import { isoSeconds } from '../time-text.js';
import { type CertInfo, certInfo, HANDLED_EXTENSIONS, publicKeyOf } from './cert-info.js';
import { checkHostname, isValidHostname, matchDnsPattern } from './hostname.js';
import { NameConstraintState, prepareConstraints } from './name-constraints.js';
import { checkPathOptions, PURPOSE_EKU } from './options-check.js';
import { PolicyBudgetError, PolicyTree } from './policy-tree.js';
import { type PathReason, type PathReasonCode, reason } from './reasons.js';

/**
 * The purpose a path is validated for (the end-entity's extended key usage).
 *
 * @example
 * ```ts
 * const purpose: PathPurpose = 'serverAuth';
 * await validatePath([leaf, ica, root], { purpose, host: 'ex01.contoso.com' });
 * ```
 */
export type PathPurpose = 'serverAuth' | 'clientAuth' | 'any';

/**
 * A revocation checker (RFC 5280 §6.3), called for every certificate below the anchor with its
 * issuer. Returns undefined when the status is good, or a reason code and message.
 *
 * @example
 * ```ts
 * const blockList: RevocationChecker = async (cert) =>
 *   revokedSerials.has(cert.serialNumber) ? { code: 'ERR_PATH_REVOKED', message: 'Revoked by Contoso policy.' } : undefined;
 * await validatePath([leaf, root], { revocation: blockList }); // [{ code: 'ERR_PATH_REVOKED', index: 0, message: 'Revoked by Contoso policy.' }]
 * ```
 */
export type RevocationChecker = (
  cert: Certificate,
  issuer: Certificate,
  index: number,
  time: Date,
) => Promise<{ code: 'ERR_PATH_REVOKED' | 'ERR_PATH_REVOCATION_UNKNOWN'; message: string } | undefined>;

/**
 * The inputs of RFC 5280 §6.1.1 and the profile switches.
 *
 * @example
 * ```ts
 * const options: PathValidationOptions = { time: new Date('2025-06-01T00:00:00Z'), purpose: 'serverAuth', host: 'ex01.contoso.com', profile: 'webpki' };
 * const reasons = await validatePath([leaf, ica, root], options);
 * ```
 */
export interface PathValidationOptions {
  /** The validation time (default: now). */
  readonly time?: Date;
  /** The purpose the end-entity must allow (default 'any'). */
  readonly purpose?: PathPurpose;
  /** A DNS name or IP address literal the end-entity must be valid for (RFC 6125 / RFC 9525). */
  readonly host?: string;
  /**
   * Match `host` against the subject's common names when the end-entity has no subjectAltName
   * extension, as CryptoAPI's SSL policy does (RFC 6125 never does; default false).
   */
  readonly hostCommonNameFallback?: boolean;
  /** user-initial-policy-set (default: anyPolicy). */
  readonly policies?: readonly string[];
  /** initial-explicit-policy. */
  readonly explicitPolicy?: boolean;
  /** initial-policy-mapping-inhibit. */
  readonly inhibitPolicyMapping?: boolean;
  /** initial-any-policy-inhibit. */
  readonly inhibitAnyPolicy?: boolean;
  /** Most intermediate CA certificates allowed, self-issued ones not counted (default 8). */
  readonly maxDepth?: number;
  /**
   * Apply the constraints a trust anchor certificate carries (validity, basicConstraints,
   * pathLenConstraint, keyUsage, name constraints, extended key usage, critical extensions), as
   * RFC 5937 allows. Default true.
   */
  readonly enforceAnchorConstraints?: boolean;
  /**
   * 'rfc5280' (default): RFC 5280 §6.1. 'webpki': also the CA/Browser Forum Baseline
   * Requirements and the RFC 5280 §4 profile rules for issuers (key identifiers, critical flags,
   * key sizes, serial numbers, v3 only, end-entity not a CA, EKU required and never anyEKU).
   */
  readonly profile?: 'rfc5280' | 'webpki';
  /** Revocation checking (see {@link RevocationChecker}); built from CRLs by the path builder. */
  readonly revocation?: RevocationChecker;
}

/** @internal Shared across the candidate paths of one build: verified (issuer, subject) pairs. */
export class SignatureCache {
  readonly #pairs = new Map<Certificate, Map<Certificate, Promise<SigResult>>>();
  checks = 0;

  verify(subject: Certificate, issuer: Certificate): Promise<SigResult> {
    let m = this.#pairs.get(subject);
    if (!m) {
      m = new Map();
      this.#pairs.set(subject, m);
    }
    let r = m.get(issuer);
    if (!r) {
      this.checks++;
      r = verifyPair(subject, issuer);
      m.set(issuer, r);
    }
    return r;
  }
}

/** ok, bad signature, or an algorithm/key problem with its message. */
export type SigResult =
  | { ok: true }
  | { ok: false; code: 'ERR_PATH_SIGNATURE' | 'ERR_PATH_ALGORITHM'; message: string };

async function verifyPair(subject: Certificate, issuer: Certificate): Promise<SigResult> {
  const key = publicKeyOf(issuer);
  if (typeof key === 'string')
    return { ok: false, code: 'ERR_PATH_ALGORITHM', message: `The issuer key cannot be used: ${key}` };
  try {
    const ok = await subject.verifySignature(key);
    return ok
      ? { ok: true }
      : {
          ok: false,
          code: 'ERR_PATH_SIGNATURE',
          message: 'The signature does not verify with the issuer key.',
        };
  } catch (e) {
    const m = e instanceof Error ? e.message : String(e);
    if (
      e instanceof PkiError &&
      (e.code === 'ERR_PKI_ALGORITHM_UNSUPPORTED' || e.code === 'ERR_PKI_KEY_UNSUPPORTED')
    )
      return { ok: false, code: 'ERR_PATH_ALGORITHM', message: m };
    return { ok: false, code: 'ERR_PATH_SIGNATURE', message: m };
  }
}

class Reasons {
  readonly list: PathReason[] = [];
  add(code: PathReasonCode, index: number, message: string): void {
    this.list.push(reason(code, index, message));
  }
}

function serialProblem(cert: Certificate): string | undefined {
  const hex = cert.serialNumber;
  let bytes = hex.length / 2;
  const first = Number.parseInt(hex.slice(0, 2), 16);
  if (first & 0x80) return 'The serial number is negative.';
  if (/^0*$/.test(hex)) return 'The serial number is zero.';
  if (first === 0 && bytes > 1) bytes--;
  if (bytes > 20) return 'The serial number is longer than 20 octets.';
  return undefined;
}

function keyProblem(cert: Certificate): { code: PathReasonCode; message: string } | undefined {
  const key = publicKeyOf(cert);
  if (typeof key === 'string') return { code: 'ERR_PATH_ALGORITHM', message: key };
  if (key.type === 'rsa' && (key.bits < 2048 || key.bits % 8 !== 0))
    return {
      code: 'ERR_PATH_ALGORITHM',
      message: `An RSA key of ${key.bits} bits is not allowed (at least 2048, a multiple of 8).`,
    };
  return undefined;
}

function validSanDns(v: string): boolean {
  return isValidHostname(v.startsWith('*.') ? v.slice(2) : v);
}

/**
 * Validates one path: `path[0]` is the end-entity, the last element the trust anchor (which
 * may be the end-entity itself). Returns every reason found; empty means valid.
 *
 * @example
 * ```ts
 * await validatePath([leaf, root], { purpose: 'serverAuth', host: 'ex01.contoso.com' }); // [] (valid)
 * await validatePath([leaf, root], { host: 'ex02.contoso.com' }); // [{ code: 'ERR_PATH_HOSTNAME', index: 0, message: 'The host name ex02.contoso.com matches none…' }]
 * ```
 */
export async function validatePath(
  path: readonly Certificate[],
  options: PathValidationOptions = {},
): Promise<PathReason[]> {
  if (!Array.isArray(path) || path.length === 0 || !path.every((c) => c instanceof Certificate))
    throw misuse(
      'validatePath expects the path as a non-empty array of Certificates, end-entity first and trust anchor last (parseCertificate each DER).',
    );
  if (!options || typeof options !== 'object') throw misuse('validatePath: options must be an object.');
  checkPathOptions(options as unknown as Record<string, unknown>, 'validatePath');
  return validatePathWith(path, options, new SignatureCache());
}

/** @internal {@link validatePath} with a signature cache shared by the candidate paths of one build. */
export async function validatePathWith(
  path: readonly Certificate[],
  options: PathValidationOptions,
  signatures: SignatureCache,
): Promise<PathReason[]> {
  const r = new Reasons();
  const time = options.time ?? new Date();
  const webpki = options.profile === 'webpki';
  const enforceAnchor = options.enforceAnchorConstraints !== false;
  const k = path.length - 1;
  const n = k; // certificates below the anchor
  const infos = path.map((c) => certInfo(c));
  for (let j = 0; j <= k; j++) {
    const inf = infos[j]!;
    if (inf.malformed && (j < k || enforceAnchor))
      r.add('ERR_PATH_MALFORMED', j, `The certificate cannot be decoded: ${inf.malformed}`);
  }
  if (r.list.length) return r.list;

  const maxDepth = options.maxDepth ?? 8;
  let logical = 0;
  for (let j = 1; j < k; j++) if (!infos[j]!.selfIssued) logical++;
  if (logical > maxDepth)
    r.add(
      'ERR_PATH_LENGTH',
      -1,
      `The path has ${logical} intermediate CAs, more than the maximum of ${maxDepth}.`,
    );

  const checkValidity = (j: number) => {
    const c = path[j]!;
    // Validity is encoded to the second: compare at that granularity (RFC 5280 §4.1.2.5).
    const t = Math.floor(time.getTime() / 1000) * 1000;
    if (t < c.notBefore.getTime())
      r.add('ERR_PATH_NOT_YET_VALID', j, `The certificate is not valid before ${isoSeconds(c.notBefore)}.`);
    if (t > c.notAfter.getTime())
      r.add('ERR_PATH_EXPIRED', j, `The certificate expired at ${isoSeconds(c.notAfter)}.`);
  };
  const checkCritical = (j: number, inf: CertInfo) => {
    for (const e of inf.extensions) {
      if (e.critical && !HANDLED_EXTENSIONS.has(e.oid))
        r.add('ERR_PATH_CRITICAL_EXTENSION', j, `The critical extension ${e.oid} is not understood.`);
    }
  };
  const checkCa = (j: number, inf: CertInfo, what: string) => {
    if (!inf.bc?.ca)
      r.add('ERR_PATH_NOT_CA', j, `The ${what} is not a CA certificate (basicConstraints cA is not set).`);
    if (inf.ku && !inf.ku.has('keyCertSign'))
      r.add('ERR_PATH_KEY_USAGE', j, `The ${what}'s keyUsage does not include keyCertSign.`);
    if (inf.subject.isEmpty) r.add('ERR_PATH_MALFORMED', j, `The ${what} has an empty subject name.`);
  };
  const checkProfile = (j: number, inf: CertInfo, isAnchor: boolean) => {
    const c = inf.cert;
    if (!inf.algorithmsAgree)
      r.add('ERR_PATH_MALFORMED', j, 'The inner and outer signature algorithms differ (RFC 5280 §4.1.1.2).');
    if (!webpki) return;
    const bad = (m: string) => r.add('ERR_PATH_PROFILE', j, m);
    if (c.version !== 3) bad(`The certificate is X.509 v${c.version}; only v3 is allowed.`);
    const kp = keyProblem(c);
    if (kp) r.add(kp.code, j, kp.message);
    const isCa = j > 0;
    const ext = inf.ext;
    if (ext.get(OID.authorityKeyIdentifier)?.critical) bad('authorityKeyIdentifier is marked critical.');
    if (ext.get(OID.subjectKeyIdentifier)?.critical) bad('subjectKeyIdentifier is marked critical.');
    if (ext.get(OID.authorityInfoAccess)?.critical) bad('authorityInfoAccess is marked critical.');
    if (ext.get(OID.policyConstraints) && !ext.get(OID.policyConstraints)!.critical)
      bad('policyConstraints is not marked critical.');
    // No critical check for nameConstraints: RFC 5280 §4.2.1.10 makes it critical, but the
    // Baseline Requirements (§7.1.2.5.2, technically constrained subordinate CAs) allow it
    // non-critical "as an explicit exception from RFC 5280", and browsers enforce a
    // non-critical one like a critical one (x509-limbo webpki::nc::permitted-dns-match-noncritical).
    if (isCa) {
      if (!inf.ski) bad('The CA certificate has no subjectKeyIdentifier.');
      if (inf.bc && !ext.get(OID.basicConstraints)!.critical)
        bad('basicConstraints is not marked critical in a CA certificate.');
    }
    if (isAnchor) {
      if (inf.selfIssued && inf.aki) {
        if (
          !inf.aki.keyIdentifier ||
          inf.aki.authorityCertIssuer ||
          inf.aki.authorityCertSerialNumber !== undefined
        )
          bad('The trust anchor authorityKeyIdentifier must hold only a keyIdentifier.');
        else if (inf.ski && !equalBytes(inf.ski, inf.aki.keyIdentifier))
          bad("The trust anchor's authorityKeyIdentifier differs from its subjectKeyIdentifier.");
      }
      if (inf.eku) bad('The trust anchor has an extKeyUsage extension.');
    } else {
      try {
        const h = c.signatureAlgorithm.hash;
        if (h === 'SHA-1')
          r.add('ERR_PATH_ALGORITHM', j, 'The certificate is signed with SHA-1, which is not accepted.');
      } catch {
        // An unsupported algorithm is reported by the signature check.
      }
      const sp = serialProblem(c);
      if (sp) bad(sp);
      if (!inf.aki?.keyIdentifier) bad('The certificate has no authorityKeyIdentifier keyIdentifier.');
    }
    if (j === 0) {
      if (inf.bc?.ca) bad('The end-entity certificate is a CA certificate.');
      if (inf.ku?.has('keyCertSign')) bad('The end-entity certificate asserts keyCertSign.');
      if (inf.nc) bad('The end-entity certificate has nameConstraints.');
      const sanExt = ext.get(OID.subjectAltName);
      if (sanExt?.critical && !inf.subject.isEmpty)
        bad('subjectAltName is critical while the subject is not empty.');
      for (const g of inf.san ?? [])
        if (g.type === 'dns' && !validSanDns(g.value))
          bad(`The DNS name "${g.value}" is not a valid host name.`);
      if (ext.get(OID.extKeyUsage)?.critical) bad('extKeyUsage is marked critical.');
      if (inf.eku?.includes(OID.anyExtendedKeyUsage))
        bad('The end-entity extKeyUsage contains anyExtendedKeyUsage.');
    }
  };

  // --- the trust anchor -------------------------------------------------------------------
  const anchor = infos[k]!;
  let maxPath = n;
  const nc = new NameConstraintState();
  if (k > 0 && enforceAnchor) {
    checkValidity(k);
    checkCa(k, anchor, 'trust anchor');
    checkCritical(k, anchor);
    checkProfile(k, anchor, true);
    if (anchor.bc?.pathLength !== undefined) maxPath = Math.min(maxPath, anchor.bc.pathLength);
    if (anchor.nc) {
      const p = prepareConstraints(anchor.nc);
      if (typeof p === 'string') r.add('ERR_PATH_NAME_CONSTRAINTS', k, p);
      else nc.add(p);
    }
  }

  // --- policy state (RFC 5280 §6.1.2) -----------------------------------------------------
  let explicitPolicy = options.explicitPolicy ? 0 : n + 1;
  let policyMapping = options.inhibitPolicyMapping ? 0 : n + 1;
  let inhibitAny = options.inhibitAnyPolicy ? 0 : n + 1;
  const tree = new PolicyTree();
  let policyBudget = false;

  const purposeOid = PURPOSE_EKU[options.purpose ?? 'any'];

  for (let j = k - 1; j >= 0; j--) {
    const i = k - j; // RFC numbering, 1 = the certificate the anchor issued
    const inf = infos[j]!;
    const cert = path[j]!;
    const issuer = path[j + 1]!;
    const isLeaf = j === 0;
    // (a)(1) signature
    const sig = await signatures.verify(cert, issuer);
    if (!sig.ok) r.add(sig.code, j, sig.message);
    // (a)(2) validity
    checkValidity(j);
    // (a)(3) revocation
    if (options.revocation) {
      const rv = await options.revocation(cert, issuer, j, time);
      if (rv) r.add(rv.code, j, rv.message);
    }
    // (a)(4) name chaining
    if (!inf.issuer.equals(infos[j + 1]!.subject))
      r.add('ERR_PATH_NO_ISSUER', j, "The issuer name does not match the issuer certificate's subject.");
    if (inf.issuer.isEmpty) r.add('ERR_PATH_MALFORMED', j, 'The issuer name is empty.');
    // (b)(c) name constraints
    if (!(inf.selfIssued && !isLeaf)) {
      const bad = nc.check(inf.subject, inf.san ?? []);
      if (bad === 'budget')
        r.add('ERR_PATH_BUDGET', j, 'Checking the name constraints needed too much work.');
      else if (bad) r.add('ERR_PATH_NAME_CONSTRAINTS', j, bad);
    }
    if (inf.subject.isEmpty) {
      const sanExt = inf.ext.get(OID.subjectAltName);
      if (!sanExt) r.add('ERR_PATH_MALFORMED', j, 'The subject is empty and there is no subjectAltName.');
      else if (!sanExt.critical)
        r.add(
          'ERR_PATH_MALFORMED',
          j,
          'The subject is empty but subjectAltName is not critical (RFC 5280 §4.2.1.6).',
        );
    }
    // (d)-(f) policies
    if (!policyBudget) {
      try {
        if (inf.policies)
          tree.processCertificate(i, inf.policies, inhibitAny > 0 || (i < n && inf.selfIssued));
        else tree.root = undefined;
      } catch (e) {
        if (!(e instanceof PolicyBudgetError)) throw e;
        policyBudget = true;
        r.add('ERR_PATH_BUDGET', j, 'The certificate policy tree grew too large.');
      }
      if (explicitPolicy <= 0 && tree.isNull)
        r.add('ERR_PATH_POLICY', j, 'An explicit policy is required but no valid policy remains.');
    }
    checkCritical(j, inf);
    checkProfile(j, inf, false);
    if (!isLeaf) {
      // §6.1.4 preparation for the next certificate
      if (inf.mappings) {
        const map = new Map<string, Set<string>>();
        for (const m of inf.mappings) {
          if (m.issuerDomainPolicy === OID.anyPolicy || m.subjectDomainPolicy === OID.anyPolicy)
            r.add('ERR_PATH_POLICY', j, 'A policy mapping maps to or from anyPolicy.');
          let s = map.get(m.issuerDomainPolicy);
          if (!s) {
            s = new Set();
            map.set(m.issuerDomainPolicy, s);
          }
          s.add(m.subjectDomainPolicy);
        }
        if (!policyBudget) {
          try {
            tree.applyMappings(i, map, policyMapping > 0);
          } catch (e) {
            if (!(e instanceof PolicyBudgetError)) throw e;
            policyBudget = true;
            r.add('ERR_PATH_BUDGET', j, 'The certificate policy tree grew too large.');
          }
        }
      }
      if (inf.nc) {
        const p = prepareConstraints(inf.nc);
        if (typeof p === 'string') r.add('ERR_PATH_NAME_CONSTRAINTS', j, p);
        else nc.add(p);
      }
      if (!inf.selfIssued) {
        if (explicitPolicy > 0) explicitPolicy--;
        if (policyMapping > 0) policyMapping--;
        if (inhibitAny > 0) inhibitAny--;
      }
      const pc = inf.policyConstraints;
      if (pc?.requireExplicitPolicy !== undefined)
        explicitPolicy = Math.min(explicitPolicy, pc.requireExplicitPolicy);
      if (pc?.inhibitPolicyMapping !== undefined)
        policyMapping = Math.min(policyMapping, pc.inhibitPolicyMapping);
      if (inf.inhibitAnyPolicy !== undefined) inhibitAny = Math.min(inhibitAny, inf.inhibitAnyPolicy);
      checkCa(j, inf, 'intermediate certificate');
      if (cert.version !== 3) r.add('ERR_PATH_NOT_CA', j, 'An intermediate certificate must be X.509 v3.');
      if (!inf.selfIssued) {
        if (maxPath <= 0)
          r.add('ERR_PATH_LENGTH', j, 'A pathLenConstraint above this certificate forbids another CA here.');
        maxPath--;
      }
      if (inf.bc?.pathLength !== undefined) maxPath = Math.min(maxPath, inf.bc.pathLength);
      if (
        purposeOid &&
        inf.eku &&
        !inf.eku.includes(purposeOid) &&
        !inf.eku.includes(OID.anyExtendedKeyUsage)
      )
        r.add('ERR_PATH_EKU', j, `The CA's extKeyUsage does not allow ${options.purpose}.`);
    }
  }
  if (
    purposeOid &&
    enforceAnchor &&
    k > 0 &&
    anchor.eku &&
    !anchor.eku.includes(purposeOid) &&
    !anchor.eku.includes(OID.anyExtendedKeyUsage)
  )
    r.add('ERR_PATH_EKU', k, `The trust anchor's extKeyUsage does not allow ${options.purpose}.`);

  // --- wrap-up (RFC 5280 §6.1.5) ------------------------------------------------------------
  const leaf = infos[0]!;
  if (k > 0) {
    if (explicitPolicy > 0) explicitPolicy--;
    if (leaf.policyConstraints?.requireExplicitPolicy === 0) explicitPolicy = 0;
    if (!policyBudget) {
      const user = new Set(options.policies?.length ? options.policies : [OID.anyPolicy]);
      try {
        tree.intersect(n, user);
      } catch (e) {
        if (!(e instanceof PolicyBudgetError)) throw e;
        r.add('ERR_PATH_BUDGET', 0, 'The certificate policy tree grew too large.');
      }
      if (!(explicitPolicy > 0 || !tree.isNull))
        r.add('ERR_PATH_POLICY', 0, 'No certificate policy acceptable to the caller is valid for this path.');
    }
  } else {
    checkValidity(0);
    checkCritical(0, leaf);
    checkProfile(0, leaf, false);
  }
  // Extended key usage of the end-entity.
  if (purposeOid) {
    if (leaf.eku) {
      const anyOk = !webpki && leaf.eku.includes(OID.anyExtendedKeyUsage);
      if (!leaf.eku.includes(purposeOid) && !anyOk)
        r.add('ERR_PATH_EKU', 0, `The certificate's extKeyUsage does not allow ${options.purpose}.`);
    } else if (webpki) r.add('ERR_PATH_EKU', 0, 'The certificate has no extKeyUsage extension.');
  }
  if (options.host !== undefined) {
    const sans: readonly GeneralName[] = leaf.san ?? [];
    const host = options.host;
    const byCommonName =
      options.hostCommonNameFallback === true &&
      leaf.san === undefined &&
      leaf.subject.getAll('CN').some((cn) => matchDnsPattern(cn, host));
    const bad = byCommonName ? undefined : checkHostname(sans, host);
    if (bad) r.add('ERR_PATH_HOSTNAME', 0, bad);
  }
  return r.list;
}
