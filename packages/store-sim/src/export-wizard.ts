// The Certificate Export Wizard: DER or Base-64 .cer, .p7b or .sst (optionally with the chain),
// .pfx (key required and exportable).

import {
  type Certificate,
  createCertsOnlyPkcs7,
  createPkcs12,
  encodePem,
  type Pkcs12ChainCertificate,
} from '@certlab/pki';
import { buildChain, type ChainElement } from './chain-engine.js';
import type { CertificateEntry } from './entry.js';
import { StoreError } from './errors.js';
import { parseLocation, type StoreLocation } from './locations.js';
import type { Machine } from './machine.js';
import { encodeSerializedStore } from './serialized-store.js';

/**
 * The export formats: `cer` (DER encoded binary X.509), `cer-base64` (Base-64 encoded X.509,
 * PEM with CRLF), `p7b` (PKCS #7), `sst` (Microsoft Serialized Certificate Store, with the
 * certificate's friendly name and description), `pfx` (PKCS #12 with the private key).
 *
 * @example
 * ```ts
 * const f: ExportFormat = 'cer-base64';
 * ```
 */
export type ExportFormat = 'cer' | 'cer-base64' | 'p7b' | 'sst' | 'pfx';

/**
 * Options of {@link exportCertificate}.
 *
 * @example
 * ```ts
 * const o: ExportOptions = { format: 'pfx', password: 'S3cret!', includeChain: true };
 * ```
 */
export interface ExportOptions {
  format: ExportFormat;
  /** "Include all certificates in the certification path if possible" (p7b, sst, pfx). */
  includeChain?: boolean;
  /** PFX password (required for pfx). */
  password?: string;
  /**
   * The wizard's PFX "Encryption" choice: `modern` is AES256-SHA256 (the default), `legacy`
   * TripleDES-SHA1, for Windows Server 2016 and older, which cannot read the other.
   */
  pfxProfile?: 'modern' | 'legacy';
}

/**
 * Exports a certificate of a store: bytes for `cer`, `p7b`, `sst` and `pfx`, PEM text for
 * `cer-base64` (the overloads say which from the format). Throws ERR_STORE_NOT_FOUND, ERR_STORE_KEY_MISSING (pfx of a
 * certificate without a key), ERR_STORE_KEY_NOT_EXPORTABLE (key not marked exportable),
 * ERR_STORE_EXPORT_INVALID (bad options).
 *
 * @example
 * ```ts
 * const der = await exportCertificate(machine, 'LocalMachine', 'Root', thumb, { format: 'cer' });
 * const pfx = await exportCertificate(machine, 'LocalMachine', 'My', thumb, { format: 'pfx', password: 'x', includeChain: true });
 * ```
 */
export async function exportCertificate(
  machine: Machine,
  location: StoreLocation | string,
  store: string,
  thumbprint: string,
  options: ExportOptions & { format: 'cer-base64' },
): Promise<string>;
export async function exportCertificate(
  machine: Machine,
  location: StoreLocation | string,
  store: string,
  thumbprint: string,
  options: ExportOptions & { format: Exclude<ExportFormat, 'cer-base64'> },
): Promise<Uint8Array>;
export async function exportCertificate(
  machine: Machine,
  location: StoreLocation | string,
  store: string,
  thumbprint: string,
  options: ExportOptions,
): Promise<Uint8Array | string>;
export async function exportCertificate(
  machine: Machine,
  location: StoreLocation | string,
  store: string,
  thumbprint: string,
  options: ExportOptions,
): Promise<Uint8Array | string> {
  const loc = parseLocation(location);
  const entry = machine.store(loc, store).get(thumbprint);
  if (!entry) throw new StoreError('ERR_STORE_NOT_FOUND', `${thumbprint} is not in ${loc}\\${store}.`);
  const chainElements = async (): Promise<readonly ChainElement[]> =>
    options.includeChain ? (await buildChain(machine, entry, { context: loc })).elements.slice(1) : [];
  const chain = async () => (await chainElements()).map((e) => e.certificate);
  switch (options?.format) {
    case 'cer':
      return entry.certificate.der.slice();
    case 'cer-base64':
      return encodePem('CERTIFICATE', entry.certificate.der, { eol: '\r\n' });
    case 'p7b':
      return createCertsOnlyPkcs7([entry.certificate, ...(await chain())], { order: 'der' });
    case 'sst': {
      // Export-Certificate -Type SST: the certificates with their extended properties.
      const { friendlyName, description } = entry.properties;
      return encodeSerializedStore([
        {
          certificate: entry.certificate,
          properties: {
            ...(friendlyName !== undefined ? { friendlyName } : {}),
            ...(description !== undefined ? { description } : {}),
          },
        },
        // Each chain certificate with the properties of its store copy, as for the leaf.
        ...(await chainElements()).map((e) => {
          const props = storeCopy(machine, e)?.properties;
          return {
            certificate: e.certificate,
            properties: {
              ...(props?.friendlyName !== undefined ? { friendlyName: props.friendlyName } : {}),
              ...(props?.description !== undefined ? { description: props.description } : {}),
            },
          };
        }),
      ]);
    }
    case 'pfx': {
      if (typeof options.password !== 'string')
        throw new StoreError('ERR_STORE_EXPORT_INVALID', 'A .pfx export needs a password (it may be empty).');
      const key = await machine.privateKey(entry);
      if (!key)
        throw new StoreError(
          'ERR_STORE_KEY_MISSING',
          `${entry.thumbprint} has no private key in ${entry.location}: "Yes, export the private key" is not available.`,
        );
      if (entry.properties.keyExportable !== true)
        throw new StoreError(
          'ERR_STORE_KEY_NOT_EXPORTABLE',
          'The associated private key is marked as not exportable.',
        );
      return createPkcs12({
        key,
        certificate: entry.certificate,
        // Windows' PFX export puts each chain certificate's friendly name in its bag, as it does
        // the leaf's: a root imported from a .pfx keeps its name through an export and re-import.
        chain: (await chainElements()).map((e) => withFriendlyName(machine, e)),
        password: options.password,
        ...(options.pfxProfile !== undefined ? { profile: options.pfxProfile } : {}),
        ...(entry.properties.friendlyName !== undefined
          ? { friendlyName: entry.properties.friendlyName }
          : {}),
      });
    }
    default:
      throw new StoreError(
        'ERR_STORE_EXPORT_INVALID',
        `The export format must be cer, cer-base64, p7b, sst or pfx, not ${JSON.stringify(options?.format)}.`,
      );
  }
}

/** The store copy of a chain certificate the chain engine found it in (else any copy). */
function storeCopy(machine: Machine, e: ChainElement): CertificateEntry | undefined {
  const copies = machine.locate(e.thumbprint);
  return copies.find((c) => `${c.location}\\${c.store}` === e.foundIn) ?? copies[0];
}

/** A chain certificate with the friendly name of the store copy the chain engine found it in. */
function withFriendlyName(machine: Machine, e: ChainElement): Certificate | Pkcs12ChainCertificate {
  const friendlyName = storeCopy(machine, e)?.properties.friendlyName;
  return friendlyName === undefined ? e.certificate : { certificate: e.certificate, friendlyName };
}
