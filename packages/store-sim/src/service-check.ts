// Can a Windows service (running in the machine context) use this certificate? The checks an
// Exchange/Lync style service makes: in LocalMachine\My, not archived, with its private key,
// and a chain trusted by the machine engine (not the administrator's user stores).

import { buildChain, type ChainResult, type RevocationMode } from './chain-engine.js';
import type { CertificateEntry } from './entry.js';
import { parseLocation, type StoreLocation } from './locations.js';
import type { Machine } from './machine.js';
import type { Lang } from './store-names.js';
import { normalizeThumbprint } from './thumbprint.js';
import { CERT_TRUST_ERROR as E } from './trust-status.js';
import { certificateVerdict } from './verdicts.js';

/**
 * A reason the service cannot use the certificate.
 *
 * @example
 * ```ts
 * const p: ServiceProblem = { code: 'PRIVATE_KEY_MISSING', message: '…' };
 * ```
 */
export interface ServiceProblem {
  readonly code: 'NOT_IN_STORE' | 'ARCHIVED' | 'PRIVATE_KEY_MISSING' | 'CHAIN';
  readonly message: string;
}

/**
 * The status `Get-ExchangeCertificate` would show (the values the reference lists).
 *
 * @example
 * ```ts
 * const s: ServiceStatus = 'PrivateKeyMissing';
 * ```
 */
export type ServiceStatus =
  | 'Valid'
  | 'NotFound'
  | 'Untrusted'
  | 'DateInvalid'
  | 'Revoked'
  | 'RevocationCheckFailure'
  | 'PrivateKeyMissing'
  | 'Invalid';

/**
 * The Status a service shows for a chain's CERT_TRUST_* error bits, in Get-ExchangeCertificate's
 * order of precedence (untrusted, date, revoked, revocation unknown); undefined when none of them
 * is set.
 *
 * @example
 * ```ts
 * chainStatus(chain.errorStatus) ?? 'Valid';
 * ```
 */
export function chainStatus(
  errorStatus: number,
): 'Untrusted' | 'DateInvalid' | 'Revoked' | 'RevocationCheckFailure' | undefined {
  const s = errorStatus;
  if (s & (E.IS_UNTRUSTED_ROOT | E.IS_PARTIAL_CHAIN | E.IS_EXPLICIT_DISTRUST | E.IS_CYCLIC))
    return 'Untrusted';
  if (s & E.IS_NOT_TIME_VALID) return 'DateInvalid';
  if (s & E.IS_REVOKED) return 'Revoked';
  if (s & (E.REVOCATION_STATUS_UNKNOWN | E.IS_OFFLINE_REVOCATION)) return 'RevocationCheckFailure';
  return undefined;
}

/**
 * What {@link checkServiceCertificate} found.
 *
 * @example
 * ```ts
 * const r = await checkServiceCertificate(machine, thumb);
 * if (!r.usable) console.log(r.status, r.problems.map((p) => p.code));
 * ```
 */
export interface ServiceCheckResult {
  readonly usable: boolean;
  readonly status: ServiceStatus;
  readonly problems: ServiceProblem[];
  readonly entry: CertificateEntry | undefined;
  readonly hasPrivateKey: boolean;
  /** What `certutil -store my` prints about the key. */
  readonly certutilKeyLine: string;
  /** The chain as the machine engine builds it (when the certificate was found). */
  readonly chain: ChainResult | undefined;
  /** The certificate dialog's path status, in the requested language. */
  readonly verdict: string | undefined;
  /** The General tab footer ("You have a private key…") or undefined when there is no key. */
  readonly keyLine: string | undefined;
}

/**
 * Checks a certificate the way a service running as LocalSystem would pick it: from
 * LocalMachine\My (or `location`/`store`), not archived, with a private key in that location,
 * and a chain valid for `usage` in the **LocalMachine** engine.
 *
 * @example
 * ```ts
 * const r = await checkServiceCertificate(ex01, thumb, { usage: 'serverAuth', host: 'ex01.contoso.com' });
 * r.status; // 'Untrusted' when the root was imported into the administrator's CurrentUser\Root only
 * ```
 */
export async function checkServiceCertificate(
  machine: Machine,
  thumbprint: string,
  options: {
    location?: StoreLocation | string;
    store?: string;
    usage?: string;
    host?: string;
    time?: Date;
    revocation?: RevocationMode;
    lang?: Lang;
  } = {},
): Promise<ServiceCheckResult> {
  const location = parseLocation(options.location ?? 'LocalMachine');
  const storeName = options.store ?? 'My';
  const lang = options.lang ?? 'en';
  const t = normalizeThumbprint(thumbprint);
  const entry = machine.store(location, storeName).get(t);
  if (!entry)
    return {
      usable: false,
      status: 'NotFound',
      problems: [{ code: 'NOT_IN_STORE', message: `${t} is not in ${location}\\${storeName}.` }],
      entry: undefined,
      hasPrivateKey: false,
      certutilKeyLine: 'No key provider information',
      chain: undefined,
      verdict: undefined,
      keyLine: undefined,
    };
  const problems: ServiceProblem[] = [];
  if (entry.properties.archived) problems.push({ code: 'ARCHIVED', message: 'The certificate is archived.' });
  if (!entry.hasPrivateKey)
    problems.push({
      code: 'PRIVATE_KEY_MISSING',
      message: `No private key in ${location} corresponds to this certificate (reason: PrivateKeyMissing).`,
    });
  const chain = await buildChain(machine, entry, {
    context: location === 'CurrentUser' ? 'CurrentUser' : 'LocalMachine',
    usage: options.usage ?? 'serverAuth',
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.time ? { time: options.time } : {}),
    ...(options.revocation ? { revocation: options.revocation } : {}),
  });
  if (!chain.trusted)
    problems.push({ code: 'CHAIN', message: `${chain.policy.name}: ${chain.errors.join(', ') || 'policy'}` });
  // The chain's own verdict comes first, as Get-ExchangeCertificate reports it.
  const status: ServiceStatus =
    chainStatus(chain.errorStatus) ??
    (!entry.hasPrivateKey ? 'PrivateKeyMissing' : problems.length ? 'Invalid' : 'Valid');
  const v = certificateVerdict(chain, { hasPrivateKey: entry.hasPrivateKey }, lang);
  return {
    usable: problems.length === 0,
    status,
    problems,
    entry,
    hasPrivateKey: entry.hasPrivateKey,
    certutilKeyLine: entry.hasPrivateKey
      ? `Key Container = ${entry.properties.keyContainer}`
      : 'No key provider information',
    chain,
    verdict: v.pathStatus,
    keyLine: v.keyLine,
  };
}
