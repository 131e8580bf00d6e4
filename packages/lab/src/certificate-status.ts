// The Status column of Get-ExchangeCertificate (exchange-um-lync.md §5.4) for a certificate of
// a host's LocalMachine\My: the machine chain engine's verdict, with CRLs downloaded from the
// certificate's CDPs, mapped to Valid, Untrusted, DateInvalid, Revoked, RevocationCheckFailure.

import type { Certificate } from '@certlab/pki';
import { type ChainResult, chainStatus } from '@certlab/store-sim';
import type { CrlCache } from './crl-cache.js';
import type { LabHost } from './lab-host.js';
import type { LabNetwork } from './lab-network.js';
import { buildMachineChain } from './machine-chain.js';

/**
 * A Get-ExchangeCertificate status.
 *
 * @example
 * ```ts
 * const s: ExchangeCertificateStatus = 'Untrusted';
 * ```
 */
export type ExchangeCertificateStatus =
  | 'Valid'
  | 'Untrusted'
  | 'DateInvalid'
  | 'Revoked'
  | 'RevocationCheckFailure'
  | 'Invalid';

/**
 * A certificate's status with the chain behind it.
 *
 * @example
 * ```ts
 * const { status, chain } = await certificateStatus(ex01, cert, { network });
 * ```
 */
export interface CertificateStatusResult {
  readonly status: ExchangeCertificateStatus;
  readonly chain: ChainResult;
  readonly unreachableCrls: string[];
}

/**
 * Computes the status the machine would report for `cert` (server-authentication usage).
 * `revocation: false` skips the CRL download (what the 2007 SP1 selection does, §4.2); a
 * `crlCache` shares the downloads between the statuses of one command.
 *
 * @example
 * ```ts
 * (await certificateStatus(ex01, cert, { network })).status; // 'Valid'
 * ```
 */
export async function certificateStatus(
  host: LabHost,
  cert: Certificate,
  options: { network: LabNetwork; time?: Date; revocation?: boolean; crlCache?: CrlCache },
): Promise<CertificateStatusResult> {
  const { chain, unreachableCrls: unreachable } = await buildMachineChain(host, cert, {
    network: options.network,
    ...(options.crlCache ? { crlCache: options.crlCache } : {}),
    ...(options.time ? { time: options.time } : {}),
    ...(options.revocation === false ? { revocation: false } : {}),
  });
  const status: ExchangeCertificateStatus =
    chainStatus(chain.errorStatus) ?? (chain.errorStatus ? 'Invalid' : 'Valid');
  return { status, chain, unreachableCrls: unreachable };
}

/**
 * True when the certificate's subject CN is `fqdn` (case-insensitive): what the article asks of
 * the UM certificate ("Subject Name … the FQDN of the Exchange server"), and what the lab checker
 * verifies (reference exchange-um-lync.md §8: "subject CN = server FQDN (SAN may add names)").
 *
 * @example
 * ```ts
 * subjectIsHost(cert, 'ex01.contoso.com'); // true for CN=ex01.contoso.com
 * ```
 */
export function subjectIsHost(cert: Certificate, fqdn: string): boolean {
  try {
    return cert.subject.commonName?.toLowerCase() === fqdn.toLowerCase();
  } catch {
    // An undecodable subject names nothing.
    return false;
  }
}

/**
 * True when the certificate names `fqdn` in its subject CN or a SAN DNS name (case-insensitive,
 * no wildcard: the article asks for the server FQDN, §6).
 *
 * @example
 * ```ts
 * namesHost(cert, 'ex01.contoso.com'); // true
 * ```
 */
export function namesHost(cert: Certificate, fqdn: string): boolean {
  if (subjectIsHost(cert, fqdn)) return true;
  const want = fqdn.toLowerCase();
  try {
    return cert.subjectAltNames.some((g) => g.type === 'dns' && g.value.toLowerCase() === want);
  } catch {
    return false;
  }
}
