// The in-memory adapter: Maps, copies in and out so callers cannot alias stored bytes.

import type { StoreAdapter, StoredCertificate, StoredCrl, StoreRef } from '../adapter.js';
import type { StoreLocation } from '../locations.js';
import { normalizeStoreName } from '../store-names.js';

interface Bucket {
  certs: Map<string, StoredCertificate>;
  crls: Map<string, StoredCrl>;
}

const copyCert = (c: StoredCertificate): StoredCertificate => ({
  thumbprint: c.thumbprint,
  der: c.der.slice(),
  properties: structuredClone(c.properties),
});

/**
 * Keeps stores and keys in memory: fast, gone when the process ends.
 *
 * @example
 * ```ts
 * const machine = await Machine.open({ name: 'EX01', adapter: new MemoryStoreAdapter() });
 * ```
 */
export class MemoryStoreAdapter implements StoreAdapter {
  readonly name = 'memory';
  readonly #stores = new Map<string, Bucket>();
  readonly #keys = new Map<string, Map<string, Uint8Array>>();

  #bucket(ref: StoreRef, create: boolean): Bucket | undefined {
    const key = `${ref.location}\u0000${normalizeStoreName(ref.store)}`;
    let b = this.#stores.get(key);
    if (!b && create) {
      b = { certs: new Map(), crls: new Map() };
      this.#stores.set(key, b);
    }
    return b;
  }

  async listStores(location: StoreLocation): Promise<string[]> {
    const out: string[] = [];
    for (const [k, b] of this.#stores) {
      const [loc, store] = k.split('\u0000') as [string, string];
      if (loc === location && (b.certs.size || b.crls.size)) out.push(store);
    }
    return out.sort();
  }
  async listCertificates(ref: StoreRef): Promise<StoredCertificate[]> {
    return [...(this.#bucket(ref, false)?.certs.values() ?? [])].map(copyCert);
  }
  async getCertificate(ref: StoreRef, thumbprint: string): Promise<StoredCertificate | undefined> {
    const c = this.#bucket(ref, false)?.certs.get(thumbprint);
    return c && copyCert(c);
  }
  async putCertificate(ref: StoreRef, cert: StoredCertificate): Promise<void> {
    this.#bucket(ref, true)!.certs.set(cert.thumbprint, copyCert(cert));
  }
  async deleteCertificate(ref: StoreRef, thumbprint: string): Promise<boolean> {
    return this.#bucket(ref, false)?.certs.delete(thumbprint) ?? false;
  }
  async listCrls(ref: StoreRef): Promise<StoredCrl[]> {
    return [...(this.#bucket(ref, false)?.crls.values() ?? [])].map((c) => ({
      id: c.id,
      der: c.der.slice(),
    }));
  }
  async putCrl(ref: StoreRef, crl: StoredCrl): Promise<void> {
    this.#bucket(ref, true)!.crls.set(crl.id, { id: crl.id, der: crl.der.slice() });
  }
  async deleteCrl(ref: StoreRef, id: string): Promise<boolean> {
    return this.#bucket(ref, false)?.crls.delete(id) ?? false;
  }
  async listKeys(location: StoreLocation): Promise<string[]> {
    return [...(this.#keys.get(location)?.keys() ?? [])].sort();
  }
  async getKey(location: StoreLocation, container: string): Promise<Uint8Array | undefined> {
    return this.#keys.get(location)?.get(container)?.slice();
  }
  async putKey(location: StoreLocation, container: string, pkcs8: Uint8Array): Promise<void> {
    let m = this.#keys.get(location);
    if (!m) {
      m = new Map();
      this.#keys.set(location, m);
    }
    m.set(container, pkcs8.slice());
  }
  async deleteKey(location: StoreLocation, container: string): Promise<boolean> {
    return this.#keys.get(location)?.delete(container) ?? false;
  }
}
