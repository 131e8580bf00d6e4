// The contract every store back end implements: certificates (with properties) and CRLs per
// (location, store), private keys per location (key containers, as Windows keeps machine keys
// and user keys apart from the stores).

import type { StoreLocation } from './locations.js';
import type { CertificateProperties } from './properties.js';

/**
 * A certificate as an adapter stores it.
 *
 * @example
 * ```ts
 * const rec: StoredCertificate = { thumbprint: await cert.thumbprint(), der: cert.der, properties: {} };
 * ```
 */
export interface StoredCertificate {
  /** 40 upper-case hex digits: SHA-1 of `der`. */
  readonly thumbprint: string;
  /** The DER certificate. */
  readonly der: Uint8Array;
  readonly properties: CertificateProperties;
}

/**
 * A CRL as an adapter stores it.
 *
 * @example
 * ```ts
 * const rec: StoredCrl = { id: 'A1…', der: crl.der };
 * ```
 */
export interface StoredCrl {
  /** 40 upper-case hex digits: SHA-1 of `der`. */
  readonly id: string;
  readonly der: Uint8Array;
}

/**
 * One store of a {@link LocationContents} answer.
 *
 * @example
 * ```ts
 * const l: LocationListing = { store: 'Root', certificates: [rec] };
 * ```
 */
export interface LocationListing {
  readonly store: string;
  readonly certificates: StoredCertificate[];
}

/**
 * A {@link StoreAdapter.listLocation} answer: the stores of a location with their certificates,
 * and the location's key containers.
 *
 * @example
 * ```ts
 * const c: LocationContents = { stores: [{ store: 'My', certificates: [rec] }], keys: [container] };
 * ```
 */
export interface LocationContents {
  readonly stores: LocationListing[];
  /** What listKeys would answer for the location. */
  readonly keys: string[];
}

/**
 * Identifies a physical store.
 *
 * @example
 * ```ts
 * const ref: StoreRef = { location: 'LocalMachine', store: 'Root' };
 * ```
 */
export interface StoreRef {
  readonly location: StoreLocation;
  readonly store: string;
}

/**
 * What a back end can do. Every method may reject with a StoreError; an adapter that cannot do
 * something rejects with ERR_STORE_UNSUPPORTED. Put replaces an existing record with the same
 * identity; delete resolves false when there was nothing to delete.
 *
 * @example
 * ```ts
 * const adapter: StoreAdapter = new MemoryStoreAdapter();
 * await adapter.putCertificate({ location: 'LocalMachine', store: 'Root' }, rec);
 * ```
 */
export interface StoreAdapter {
  /** A short name for messages: `memory`, `directory:/path`. */
  readonly name: string;
  /** The stores of a location that hold anything. */
  listStores(location: StoreLocation): Promise<string[]>;
  listCertificates(ref: StoreRef): Promise<StoredCertificate[]>;
  getCertificate(ref: StoreRef, thumbprint: string): Promise<StoredCertificate | undefined>;
  putCertificate(ref: StoreRef, cert: StoredCertificate): Promise<void>;
  deleteCertificate(ref: StoreRef, thumbprint: string): Promise<boolean>;
  listCrls(ref: StoreRef): Promise<StoredCrl[]>;
  putCrl(ref: StoreRef, crl: StoredCrl): Promise<void>;
  deleteCrl(ref: StoreRef, id: string): Promise<boolean>;
  /** Names of the key containers of a location. */
  listKeys(location: StoreLocation): Promise<string[]>;
  /** The key of a container as unencrypted PKCS #8 DER. */
  getKey(location: StoreLocation, container: string): Promise<Uint8Array | undefined>;
  putKey(location: StoreLocation, container: string, pkcs8: Uint8Array): Promise<void>;
  deleteKey(location: StoreLocation, container: string): Promise<boolean>;
  /**
   * Optional: removes a certificate and the private key linked to it in one step, for a back end
   * that deletes a key only with its certificate (Windows: `Remove-Item -DeleteKey`).
   * `CertificateStore.remove(thumbprint, { deleteKey: true })` uses it when present. Resolves
   * false when there was no such certificate.
   */
  deleteCertificateAndKey?(ref: StoreRef, thumbprint: string): Promise<boolean>;
  /**
   * Optional: the stores of a location with their certificates, and its key containers, in one
   * pass. {@link Machine} reads a location with it instead of listKeys, listStores and one
   * listCertificates per store, so it must return every store listStores would (a store holding
   * only CRLs with no certificates) and every key listKeys would. The Windows adapter has it: one
   * PowerShell run per location instead of one per store and one more for the keys.
   */
  listLocation?(location: StoreLocation): Promise<LocationContents>;
  /**
   * Where a key container is kept, for messages (`the key file /m/LocalMachine/.keys/c.key`);
   * optional: a machine names the container and the adapter otherwise.
   */
  describeKey?(location: StoreLocation, container: string): string;
}
