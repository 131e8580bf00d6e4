// Base and delta CRLs from the database's revocation state (RFC 5280 §5; AD CS numbers base and
// delta CRLs from one counter and lists a revoked certificate until it expires).

import {
  authorityKeyIdentifier,
  type Certificate,
  CRL_REASONS,
  type Crl,
  type CrlEntryInit,
  type CrlReason,
  createCrl,
  crlNumber,
  deltaCrlIndicator,
  type Extension,
  freshestCrl,
  msCaVersion,
  msNextCrlPublish,
  type PrivateKey,
} from '@certlab/pki';
import type { CertificateRow } from './store/request-store.js';

/**
 * The CRLReason name for a stored code (RFC 5280 §5.3.1).
 *
 * @example
 * ```ts
 * reasonName(1); // 'keyCompromise'
 * ```
 */
export function reasonName(code: number | undefined): CrlReason {
  const r = code === undefined ? undefined : CRL_REASONS[code];
  return r ?? 'unspecified';
}

/**
 * The revocation reasons AD CS takes, by their CRLReason code 0–6 (the index here): the CA
 * console's Revoke Certificate dialog, `certutil -revoke`, ICertAdmin::RevokeCertificate
 * ([MS-CSRA] §3.1.4.1.8). removeFromCRL is what unrevoke writes; RFC 5280's privilegeWithdrawn
 * and aACompromise are not taken.
 *
 * @example
 * ```ts
 * ADMIN_REVOCATION_REASONS.indexOf('keyCompromise'); // 1, its CRLReason code
 * ```
 */
export const ADMIN_REVOCATION_REASONS: readonly AdminRevocationReason[] = CRL_REASONS.slice(0, 7).filter(
  (r): r is AdminRevocationReason => r !== undefined,
);

/**
 * One of {@link ADMIN_REVOCATION_REASONS}.
 *
 * @example
 * ```ts
 * const reason: AdminRevocationReason = 'superseded';
 * ```
 */
export type AdminRevocationReason = Exclude<
  CrlReason,
  'removeFromCRL' | 'privilegeWithdrawn' | 'aACompromise'
>;

/**
 * What {@link buildCrl} needs.
 *
 * @example
 * ```ts
 * const init: CrlBuildInit = { issuer, signingKey, certIndex: 0, keyIndex: 0, crlNumber: 1, thisUpdate, nextUpdate, nextPublish, rows };
 * ```
 */
export interface CrlBuildInit {
  readonly issuer: Certificate;
  readonly signingKey: PrivateKey;
  readonly certIndex: number;
  readonly keyIndex: number;
  readonly crlNumber: number;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  /** When the CA publishes the next one (the Next CRL Publish extension); omitted when absent. */
  readonly nextPublish?: Date;
  /** Certificates signed with this CA key that are revoked or were released from hold. */
  readonly rows: readonly CertificateRow[];
  /** For a delta CRL: the base CRL it updates. */
  readonly base?: Crl;
  /** Base CRLs: where the delta CRLs are (freshestCRL, RFC 5280 §5.2.6), LDAP then HTTP. */
  readonly deltaUrls?: readonly string[];
}

/**
 * Builds a base CRL (every revoked, unexpired certificate) or a delta CRL (the changes since
 * `base`: new revocations, and removeFromCRL for certificates released from certificateHold,
 * RFC 5280 §5.2.4 and §5.3.1). The extensions are AD CS's, in the order certutil -dump shows
 * them in its CRLs: Authority Key Identifier (key id), CA Version, CRL Number, Delta CRL
 * Indicator (delta), Next CRL Publish, Freshest CRL (base).
 *
 * @example
 * ```ts
 * const crl = await buildCrl({ issuer, signingKey, certIndex: 0, keyIndex: 0, crlNumber: 1, thisUpdate, nextUpdate, nextPublish, rows });
 * ```
 */
export async function buildCrl(init: CrlBuildInit): Promise<Crl> {
  const now = init.thisUpdate.getTime();
  const deltaUrls = init.deltaUrls ?? [];
  const current = init.rows.filter((r) => r.revokedAt && r.notAfter.getTime() > now);
  let entries: CrlEntryInit[];
  if (!init.base) {
    entries = current.map((r) => ({
      serialNumber: r.serialNumber,
      revocationDate: r.revokedAt!,
      reason: reasonName(r.revocationReason),
    }));
  } else {
    const base = init.base;
    entries = [];
    const revokedNow = new Set(current.map((r) => r.serialNumber));
    for (const r of current) {
      const onBase = base.lookup(r.serialNumber);
      const reason = reasonName(r.revocationReason);
      if (!onBase || (onBase.reason ?? 'unspecified') !== reason)
        entries.push({ serialNumber: r.serialNumber, revocationDate: r.revokedAt!, reason });
    }
    for (const e of base.entries) {
      if (revokedNow.has(e.serialNumber)) continue;
      const row = init.rows.find((r) => r.serialNumber === e.serialNumber);
      entries.push({
        serialNumber: e.serialNumber,
        revocationDate: row?.unrevokedAt ?? init.thisUpdate,
        reason: 'removeFromCRL',
      });
    }
  }
  const baseNumber = init.base ? (init.base.crlNumber ?? 0n) : undefined;
  const extensions: Extension[] = [
    authorityKeyIdentifier({
      keyIdentifier: init.issuer.subjectKeyIdentifier ?? (await init.issuer.publicKey.keyIdentifier()),
    }),
    msCaVersion({ certIndex: init.certIndex, keyIndex: init.keyIndex }),
    crlNumber(init.crlNumber),
  ];
  if (baseNumber !== undefined) extensions.push(deltaCrlIndicator(baseNumber));
  if (init.nextPublish) extensions.push(msNextCrlPublish(init.nextPublish));
  if (deltaUrls.length && !init.base)
    extensions.push(freshestCrl([{ fullName: deltaUrls.map((value) => ({ type: 'uri' as const, value })) }]));
  // createCrl writes extensions given here where they are, instead of its own.
  return createCrl({
    issuer: init.issuer,
    signingKey: init.signingKey,
    crlNumber: init.crlNumber,
    thisUpdate: init.thisUpdate,
    nextUpdate: init.nextUpdate,
    entries,
    ...(baseNumber !== undefined ? { deltaCrlIndicator: baseNumber } : {}),
    extensions,
  });
}
