// How a Windows server (SChannel) judges the certificate its TLS peer sent: the chain is built
// by the **machine** chain engine over that server's own stores (LocalMachine\Root and CA),
// with the certificates the peer sent offered as an additional store, revocation checked for
// every certificate below the root with CRLs downloaded from their CDPs, and the SSL policy
// applied (server-authentication usage and, when the name is known, the FQDN).
// exchange-um-lync.md §6 lists why each of these matters to Lync ↔ UM mutual TLS.

import { type Certificate, parseCertificate } from '@certlab/pki';
import type { ChainResult } from '@certlab/store-sim';
import type { CrlCache } from './crl-cache.js';
import type { LabHost } from './lab-host.js';
import type { LabNetwork } from './lab-network.js';
import { buildMachineChain } from './machine-chain.js';

/**
 * Options of {@link verifyPeerChain}.
 *
 * @example
 * ```ts
 * const o: PeerVerifyOptions = { network, expectedName: 'ex01.contoso.com' };
 * ```
 */
export interface PeerVerifyOptions {
  readonly network: LabNetwork;
  /** The FQDN the peer's certificate must carry (CERT_E_CN_NO_MATCH otherwise). */
  readonly expectedName?: string;
  readonly time?: Date;
  /** The command's CRLs already downloaded. */
  readonly crlCache?: CrlCache;
}

/**
 * The verdict on a peer.
 *
 * @example
 * ```ts
 * const v = await verifyPeerChain(lync01, [leafDer, issuingDer], { network, expectedName: 'ex01.contoso.com' });
 * if (!v.trusted) console.log(v.chain.policy.name);
 * ```
 */
export interface PeerVerdict {
  readonly trusted: boolean;
  readonly leaf: Certificate;
  readonly chain: ChainResult;
  /** CDP URLs that could not be fetched. */
  readonly unreachableCrls: string[];
}

/**
 * Verifies the DER chain a TLS peer sent (leaf first) on `host`'s stores, machine context.
 *
 * @example
 * ```ts
 * const v = await verifyPeerChain(ex01, ders, { network, expectedName: 'lync01.contoso.com' });
 * v.chain.policy; // { hresult: 0, name: 'S_OK' }
 * ```
 */
export async function verifyPeerChain(
  host: LabHost,
  ders: readonly Uint8Array[],
  options: PeerVerifyOptions,
): Promise<PeerVerdict> {
  const [leaf, ...rest] = ders.map((d) => parseCertificate(d));
  if (!leaf) throw new TypeError('verifyPeerChain needs at least the peer certificate.');
  const { chain, unreachableCrls: unreachable } = await buildMachineChain(host, leaf, {
    network: options.network,
    additional: rest,
    ...(options.crlCache ? { crlCache: options.crlCache } : {}),
    ...(options.time ? { time: options.time } : {}),
    ...(options.expectedName ? { host: options.expectedName } : {}),
  });
  return { trusted: chain.trusted, leaf, chain, unreachableCrls: unreachable };
}
