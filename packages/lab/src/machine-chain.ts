// How a Windows server's chain engine (HCCE_LOCAL_MACHINE) builds and checks a chain when it is
// online: issuers from the machine's stores, then from the certificates offered (the TLS peer's
// chain), then from the AIA caIssuers URLs when the chain is still partial; CRLs downloaded from
// every CDP of the path for the revocation check (CERT_CHAIN_REVOCATION_CHECK_CHAIN_EXCLUDE_ROOT).

import type { Certificate } from '@certlab/pki';
import { buildChain, type CertificateEntry, type ChainResult } from '@certlab/store-sim';
import { fetchAiaIssuers } from './aia-fetch.js';
import type { CrlCache } from './crl-cache.js';
import { fetchChainCrls } from './crl-fetch.js';
import type { LabHost } from './lab-host.js';
import type { LabNetwork } from './lab-network.js';

/**
 * Options of {@link buildMachineChain}.
 *
 * @example
 * ```ts
 * const o: MachineChainOptions = { network, usage: 'serverAuth', revocation: true, host: 'ex01.contoso.com' };
 * ```
 */
export interface MachineChainOptions {
  readonly network: LabNetwork;
  readonly time?: Date;
  /** Default `serverAuth`. */
  readonly usage?: string;
  /** SSL policy: the name the certificate must carry. */
  readonly host?: string;
  /** Check revocation with downloaded CRLs (default true). */
  readonly revocation?: boolean;
  /** Certificates offered besides the stores (what a TLS peer sent). */
  readonly additional?: readonly Certificate[];
  /** The command's CRLs already downloaded (each CDP URL read and parsed once per command). */
  readonly crlCache?: CrlCache;
}

/**
 * The chain and what was downloaded to build it.
 *
 * @example
 * ```ts
 * const { chain, unreachableCrls } = await buildMachineChain(ex01, cert, { network });
 * ```
 */
export interface MachineChainResult {
  readonly chain: ChainResult;
  /** Issuers downloaded from AIA URLs. */
  readonly downloadedIssuers: Certificate[];
  /** CDP URLs that could not be fetched. */
  readonly unreachableCrls: string[];
}

/**
 * Builds and checks a chain in the machine context of `host`, online (AIA and CDP fetched over
 * the lab network).
 *
 * @example
 * ```ts
 * const { chain } = await buildMachineChain(lync01, umCert, { network, host: 'ex01.contoso.com' });
 * chain.policy.name; // 'S_OK'
 * ```
 */
export async function buildMachineChain(
  host: LabHost,
  target: Certificate | CertificateEntry,
  options: MachineChainOptions,
): Promise<MachineChainResult> {
  const extra = [...(options.additional ?? [])];
  const downloaded: Certificate[] = [];
  const base = {
    context: 'LocalMachine' as const,
    usage: options.usage ?? 'serverAuth',
    additionalCertificates: extra,
    ...(options.time ? { time: options.time } : {}),
  };
  // First the shape of the path, downloading missing issuers, so that the CRLs of every
  // certificate in it are fetched before the revocation pass.
  let shape = await buildChain(host.machine, target, base);
  for (let i = 0; i < 4 && shape.errors.includes('IS_PARTIAL_CHAIN'); i++) {
    const issuers = await fetchAiaIssuers(shape.elements.at(-1)!.certificate, options.network);
    if (issuers.length === 0) break;
    extra.push(...issuers);
    downloaded.push(...issuers);
    shape = await buildChain(host.machine, target, base);
  }
  if (options.revocation === false) {
    // Nothing to add to the shape's build unless a host name is to be checked.
    const chain = options.host
      ? await buildChain(host.machine, target, { ...base, host: options.host })
      : shape;
    return { chain, downloadedIssuers: downloaded, unreachableCrls: [] };
  }
  const f = await fetchChainCrls(
    shape.elements.map((e) => e.certificate),
    options.network,
    options.crlCache,
  );
  const chain = await buildChain(host.machine, target, {
    ...base,
    revocation: 'chain-exclude-root' as const,
    crls: f.crls,
    ...(options.host ? { host: options.host } : {}),
  });
  return { chain, downloadedIssuers: downloaded, unreachableCrls: f.unreachable };
}
