// A simulated computer: its store locations, physical stores, key containers, and the logical
// views Windows shows. State lives in memory (indexed for O(1) thumbprint lookups and issuer
// search by subject name) and every change is written through to a StoreAdapter first.

import { createHash } from 'node:crypto';
import {
  type Certificate,
  type Crl,
  importPrivateKey,
  Name,
  type PrivateKey,
  parseCertificate,
  parseCrl,
} from '@certlab/pki';
import type { StoreAdapter, StoredCertificate, StoreRef } from './adapter.js';
import { MemoryStoreAdapter } from './adapters/memory.js';
import type { CertificateEntry } from './entry.js';
import { isStoreError, StoreError } from './errors.js';
import { type FindQuery, matchesQuery } from './find.js';
import { parseLocation, STORE_LOCATIONS, type StoreLocation } from './locations.js';
import { type CertificateProperties, cleanProperties } from './properties.js';
import { type Lang, normalizeStoreName, storeDisplayName } from './store-names.js';
import { normalizeThumbprint } from './thumbprint.js';
import { logicalMembers, type PhysicalMember } from './visibility.js';

interface Held {
  readonly certificate: Certificate;
  properties: CertificateProperties;
  /** The subject's canonical name (the bySubject key). */
  readonly subject: string;
}

/** Canonical names by subject DER (latin1), so equal subjects are decoded once; bounded. */
const canonicalByDer = new Map<string, string>();
const CANONICAL_CACHE_MAX = 4096;

/**
 * The canonical subject name of a certificate, without leaving a decoded Name on it (100k
 * decoded names were a quarter of a large store's memory). '' when it cannot be decoded: such a
 * certificate is never anyone's issuer.
 */
function subjectKey(cert: Certificate): string {
  let der: Uint8Array;
  try {
    der = cert.subjectDer;
  } catch {
    return '';
  }
  const k = Buffer.from(der.buffer, der.byteOffset, der.length).toString('latin1');
  let c = canonicalByDer.get(k);
  if (c === undefined) {
    try {
      c = Name.fromDer(der).canonical;
    } catch {
      c = '';
    }
    if (canonicalByDer.size >= CANONICAL_CACHE_MAX) canonicalByDer.clear();
    canonicalByDer.set(k, c);
  }
  return c;
}

/** @internal One physical store in memory. */
interface Physical {
  readonly ref: StoreRef;
  readonly certs: Map<string, Held>;
  /** subject canonical name → thumbprints */
  readonly bySubject: Map<string, Set<string>>;
  readonly crls: Map<string, Crl>;
}

/**
 * How {@link CertificateStore.add} treats a certificate that is already there (the
 * CERT_STORE_ADD_* dispositions that matter).
 *
 * @example
 * ```ts
 * await store.add(cert, { disposition: 'new' }); // ERR_STORE_EXISTS (CRYPT_E_EXISTS) if present
 * ```
 */
export type AddDisposition =
  | 'new'
  | 'use-existing'
  | 'replace-existing'
  | 'replace-existing-inherit-properties';

/**
 * Options of {@link CertificateStore.add}.
 *
 * @example
 * ```ts
 * const o: AddOptions = { key, properties: { friendlyName: 'Exchange UM' }, disposition: 'use-existing' };
 * ```
 */
export interface AddOptions {
  properties?: CertificateProperties;
  /** A private key to store in the location's key containers and link to the certificate. */
  key?: PrivateKey;
  /** Default 'replace-existing-inherit-properties'. */
  disposition?: AddDisposition;
}

/**
 * Options of {@link Machine.open}.
 *
 * @example
 * ```ts
 * const o: MachineOptions = { name: 'EX01', fqdn: 'ex01.contoso.com', adapter: new MemoryStoreAdapter() };
 * ```
 */
export interface MachineOptions {
  /** The computer name (NetBIOS), e.g. `EX01`. */
  name: string;
  /** The FQDN, e.g. `ex01.contoso.com` (default: the name). */
  fqdn?: string;
  /** Where the stores live (default: a new MemoryStoreAdapter). */
  adapter?: StoreAdapter;
}

/**
 * A record the adapter holds that certlab cannot read: {@link Machine.reload} leaves it out, and
 * leaves it where it is, so that one damaged or unusual entry does not keep the machine from
 * opening (a real Windows store can hold an entry CryptoAPI accepts and certlab's parser does
 * not). The directory adapter skips such files itself ({@link DirectoryStoreAdapter.skippedFiles}).
 *
 * @example
 * ```ts
 * const m = await Machine.open({ name: 'EX01', adapter });
 * for (const s of m.skipped) console.error(`Warning: ${s.problem}`);
 * ```
 */
export interface SkippedRecord {
  readonly location: StoreLocation;
  readonly store: string;
  readonly kind: 'certificate' | 'crl';
  /** The certificate's thumbprint or the CRL's id, as the adapter lists it. */
  readonly id: string;
  /** A sentence naming the entry, what is wrong and what to do. */
  readonly problem: string;
  /** The parser's error. */
  readonly cause: unknown;
}

/**
 * What an adapter lists, or nothing where it cannot list (ERR_STORE_UNSUPPORTED): the Windows
 * adapter's Cert: drive has no CRLs and only the CurrentUser and LocalMachine locations, and a
 * machine over it must still open and show what it does hold. Writing there still fails.
 */
async function listedOrNone<T>(list: () => Promise<T[]>): Promise<T[]> {
  try {
    return await list();
  } catch (e) {
    if (isStoreError(e, 'ERR_STORE_UNSUPPORTED')) return [];
    throw e;
  }
}

/**
 * The key of a physical store in the machine's maps. Store names are case-insensitive in Windows
 * (`my`, `MY`, `My`; reference §3), also the ones certlab does not know (`WebHosting`): the key
 * folds case, the store keeps the spelling it was created with.
 */
function refKey(location: StoreLocation, store: string): string {
  return `${location}\\${store}`.toLowerCase();
}

/**
 * The key container name certlab gives a key: derived from the public key, so stable.
 *
 * @example
 * ```ts
 * const name = keyContainerName(leaf); // 'certlab-43df45c8…' (SHA-1 of the public key, lowercase hex)
 * ```
 */
export function keyContainerName(cert: Certificate): string {
  return `certlab-${createHash('sha1').update(cert.subjectPublicKeyInfo).digest('hex')}`;
}

/** A CRL's id in a store: the SHA-1 of its DER, upper-case hex. */
function crlId(crl: Crl): string {
  return createHash('sha1').update(crl.der).digest('hex').toUpperCase();
}

/**
 * A simulated computer and its certificate stores.
 *
 * @example
 * ```ts
 * const ex01 = await Machine.open({ name: 'EX01', fqdn: 'ex01.contoso.com' });
 * await ex01.store('LocalMachine', 'Root').add(rootCert);
 * ex01.store('CurrentUser', 'Root').has(await rootCert.thumbprint()); // true: LM Root is seen from CU Root
 * ```
 */
export class Machine {
  readonly name: string;
  readonly fqdn: string;
  readonly adapter: StoreAdapter;
  readonly #stores = new Map<string, Physical>();
  readonly #keys = new Map<StoreLocation, Set<string>>();
  /** thumbprint → the physical store (refKey) holding it, or the stores when several do */
  readonly #where = new Map<string, string | Set<string>>();
  /** logical view (`Location\\Store`) → its physical members */
  readonly #members = new Map<string, { member: PhysicalMember; key: string }[]>();
  #skipped: readonly SkippedRecord[] = [];

  private constructor(options: MachineOptions, adapter: StoreAdapter) {
    this.name = options.name;
    this.fqdn = options.fqdn ?? options.name;
    this.adapter = adapter;
  }

  /**
   * Opens a machine: loads every store and key container the adapter holds (records it cannot
   * read are listed in {@link skipped}).
   *
   * @example
   * ```ts
   * const m = await Machine.open({ name: 'EX01', adapter: new DirectoryStoreAdapter('/tmp/ex01') });
   * ```
   */
  static async open(options: MachineOptions): Promise<Machine> {
    if (typeof options?.name !== 'string' || options.name === '')
      throw new StoreError('ERR_STORE_NAME_INVALID', 'A machine needs a name.');
    const m = new Machine(options, options.adapter ?? new MemoryStoreAdapter());
    await m.reload();
    return m;
  }

  /**
   * Drops the in-memory state and reads everything again from the adapter. A certificate or CRL
   * record that does not parse is left out and listed in {@link skipped}.
   *
   * @example
   * ```ts
   * await machine.reload(); // after another process changed the directory
   * ```
   */
  async reload(): Promise<void> {
    this.#stores.clear();
    this.#keys.clear();
    this.#where.clear();
    const skipped: SkippedRecord[] = [];
    const skip = (p: Physical, kind: SkippedRecord['kind'], id: string, cause: unknown): void => {
      const where = `${this.adapter.name}: ${p.ref.location}\\${p.ref.store}`;
      const why = cause instanceof Error ? cause.message : String(cause);
      skipped.push({
        location: p.ref.location,
        store: p.ref.store,
        kind,
        id,
        cause,
        problem:
          kind === 'certificate'
            ? `${where}\\${id} is not a certificate certlab can read (${why}); it is left in the store and ignored. Delete it, or import the certificate again.`
            : `${where}: the CRL ${id} cannot be read (${why}); it is left in the store and ignored. Delete it, or import the CRL again.`,
      });
    };
    for (const { location } of STORE_LOCATIONS) {
      const { keys, stores } = await this.#listLocation(location);
      this.#keys.set(location, new Set(keys));
      for (const l of stores) {
        const p = this.#physical(location, l.store);
        const records = l.certificates ?? (await this.adapter.listCertificates(p.ref));
        for (const rec of records) {
          let certificate: Certificate;
          try {
            certificate = parseCertificate(rec.der);
          } catch (e) {
            skip(p, 'certificate', rec.thumbprint, e);
            continue;
          }
          this.#index(p, rec.thumbprint, {
            certificate,
            properties: cleanProperties(rec.properties),
            subject: subjectKey(certificate),
          });
        }
        for (const rec of await listedOrNone(() => this.adapter.listCrls(p.ref))) {
          try {
            p.crls.set(rec.id, parseCrl(rec.der));
          } catch (e) {
            skip(p, 'crl', rec.id, e);
          }
        }
      }
    }
    this.#skipped = skipped;
  }

  /**
   * The records the last {@link reload} (or {@link open}) could not read and left out: print
   * them, never drop them silently.
   *
   * @example
   * ```ts
   * for (const s of machine.skipped) console.error(`Warning: ${s.problem}`);
   * ```
   */
  get skipped(): readonly SkippedRecord[] {
    return this.#skipped;
  }

  /**
   * A location's keys and stores, in one adapter call when the adapter has listLocation (a
   * PowerShell run each on Windows), otherwise listKeys and listStores, the certificates then
   * read store by store. A listing the adapter cannot do (ERR_STORE_UNSUPPORTED) is empty.
   */
  async #listLocation(location: StoreLocation): Promise<{
    keys: string[];
    stores: Array<{ store: string; certificates?: StoredCertificate[] }>;
  }> {
    const { adapter } = this;
    if (adapter.listLocation) {
      try {
        return await adapter.listLocation(location);
      } catch (e) {
        if (isStoreError(e, 'ERR_STORE_UNSUPPORTED')) return { keys: [], stores: [] };
        throw e;
      }
    }
    return {
      keys: await listedOrNone(() => adapter.listKeys(location)),
      stores: (await listedOrNone(() => adapter.listStores(location))).map((store) => ({ store })),
    };
  }

  #physical(location: StoreLocation, store: string): Physical {
    const name = normalizeStoreName(store);
    const k = refKey(location, name);
    let p = this.#stores.get(k);
    if (!p) {
      p = { ref: { location, store: name }, certs: new Map(), bySubject: new Map(), crls: new Map() };
      this.#stores.set(k, p);
    }
    return p;
  }

  #index(p: Physical, thumbprint: string, held: Held): void {
    p.certs.set(thumbprint, held);
    let s = p.bySubject.get(held.subject);
    if (!s) {
      s = new Set();
      p.bySubject.set(held.subject, s);
    }
    s.add(thumbprint);
    const k = refKey(p.ref.location, p.ref.store);
    // One string for the usual single copy: a Set per certificate was ~10% of a large store.
    const w = this.#where.get(thumbprint);
    if (w === undefined || w === k) this.#where.set(thumbprint, k);
    else if (typeof w === 'string') this.#where.set(thumbprint, new Set([w, k]));
    else w.add(k);
  }

  #unindex(p: Physical, thumbprint: string): void {
    const held = p.certs.get(thumbprint);
    if (!held) return;
    p.certs.delete(thumbprint);
    const s = p.bySubject.get(held.subject);
    s?.delete(thumbprint);
    if (s?.size === 0) p.bySubject.delete(held.subject);
    const k = refKey(p.ref.location, p.ref.store);
    const w = this.#where.get(thumbprint);
    if (w === k) this.#where.delete(thumbprint);
    else if (typeof w === 'object') {
      w.delete(k);
      if (w.size === 1) this.#where.set(thumbprint, [...w][0]!);
      else if (w.size === 0) this.#where.delete(thumbprint);
    }
  }

  #entry(p: Physical, thumbprint: string, held: Held, physical = '.Default'): CertificateEntry {
    const c = held.properties.keyContainer;
    return {
      location: p.ref.location,
      store: p.ref.store,
      physical,
      thumbprint,
      certificate: held.certificate,
      properties: held.properties,
      hasPrivateKey: c !== undefined && (this.#keys.get(p.ref.location)?.has(c) ?? false),
    };
  }

  /**
   * A store of a location: reads see the logical view (machine stores included where Windows
   * includes them), writes go to the location's own physical store.
   *
   * @example
   * ```ts
   * const root = machine.store('LocalMachine', 'Root');
   * root.displayName('fr'); // 'Autorités de certification racines de confiance'
   * ```
   */
  store(location: StoreLocation | string, store: string): CertificateStore {
    return new CertificateStore(this, parseLocation(location), normalizeStoreName(store));
  }

  /**
   * The physical stores that hold anything, as `Location\Store`.
   *
   * @example
   * ```ts
   * machine.physicalStores(); // ['LocalMachine\\My', 'LocalMachine\\Root']
   * ```
   */
  physicalStores(): string[] {
    return [...this.#stores.values()]
      .filter((p) => p.certs.size || p.crls.size)
      .map((p) => `${p.ref.location}\\${p.ref.store}`)
      .sort();
  }

  /**
   * Every physical copy of a certificate, by thumbprint (O(1)).
   *
   * @example
   * ```ts
   * machine.locate(thumb).map((e) => `${e.location}\\${e.store}`); // ['CurrentUser\\Root']
   * ```
   */
  locate(thumbprint: string): CertificateEntry[] {
    const t = normalizeThumbprint(thumbprint);
    const out: CertificateEntry[] = [];
    const w = this.#where.get(t);
    for (const k of typeof w === 'string' ? [w] : (w ?? [])) {
      const p = this.#stores.get(k)!;
      out.push(this.#entry(p, t, p.certs.get(t)!));
    }
    return out;
  }

  /**
   * Searches physical stores (all, one location, or one logical store when `store` is given).
   *
   * @example
   * ```ts
   * machine.find({ location: 'LocalMachine', store: 'My', subject: 'ex01.contoso.com', hasPrivateKey: true });
   * ```
   */
  find(query: FindQuery & { location?: StoreLocation | string; store?: string } = {}): CertificateEntry[] {
    const q: FindQuery =
      query.thumbprint === undefined
        ? query
        : { ...query, thumbprint: normalizeThumbprint(query.thumbprint) };
    const location = query.location === undefined ? undefined : parseLocation(query.location);
    if (location && query.store !== undefined) return this.store(location, query.store).find(q);
    const candidates: CertificateEntry[] = q.thumbprint
      ? this.locate(q.thumbprint)
      : [...this.#stores.values()].flatMap((p) => [...p.certs].map(([t, h]) => this.#entry(p, t, h)));
    // Normalized once, not per candidate (a store may hold 100,000 certificates).
    const store = query.store === undefined ? undefined : normalizeStoreName(query.store).toLowerCase();
    return candidates.filter(
      (e) =>
        (location === undefined || e.location === location) &&
        (store === undefined || e.store.toLowerCase() === store) &&
        matchesQuery(e, q),
    );
  }

  /**
   * Whether a key container exists in a location.
   *
   * @example
   * ```ts
   * machine.hasKey('LocalMachine', entry.properties.keyContainer!);
   * ```
   */
  hasKey(location: StoreLocation, container: string): boolean {
    return this.#keys.get(location)?.has(container) ?? false;
  }

  /**
   * The private key linked to an entry, or undefined when it has none. Throws ERR_STORE_CORRUPT
   * when the key container holds something that is not a private key (a damaged key file).
   *
   * @example
   * ```ts
   * const key = await machine.privateKey(entry);
   * ```
   */
  async privateKey(entry: CertificateEntry): Promise<PrivateKey | undefined> {
    const c = entry.properties.keyContainer;
    if (c === undefined || !this.hasKey(entry.location, c)) return undefined;
    const der = await this.adapter.getKey(entry.location, c);
    if (!der) return undefined;
    try {
      return await importPrivateKey(der);
    } catch (e) {
      // The bytes came from the machine, not from the user: a damaged container, not bad input.
      const where =
        this.adapter.describeKey?.(entry.location, c) ??
        `${this.adapter.name}: the key container ${c} of ${entry.location}`;
      throw new StoreError(
        'ERR_STORE_CORRUPT',
        `${where[0]!.toUpperCase()}${where.slice(1)} does not hold a readable private key. Import the certificate's .pfx again to replace it, or delete ${this.adapter.describeKey ? 'the file' : 'the container'} (the certificate then has no private key).`,
        { cause: e },
      );
    }
  }

  // --- internal API for stores, the import wizard and the chain engine ------------------------

  /** @internal */
  _view(location: StoreLocation, store: string): { member: PhysicalMember; p: Physical | undefined }[] {
    // The members of a view never change: computed once per view (a chain build asks ~20 times).
    const k = refKey(location, store);
    let members = this.#members.get(k);
    if (!members) {
      members = logicalMembers(location, store).map((member) => ({
        member,
        key: refKey(member.location, member.store),
      }));
      this.#members.set(k, members);
    }
    return members.map(({ member, key }) => ({ member, p: this.#stores.get(key) }));
  }

  /** @internal entries of a logical view, de-duplicated by thumbprint, in member order. */
  _list(location: StoreLocation, store: string, includeArchived: boolean): CertificateEntry[] {
    const seen = new Set<string>();
    const out: CertificateEntry[] = [];
    for (const { member, p } of this._view(location, store)) {
      if (!p) continue;
      for (const [t, h] of p.certs) {
        if (seen.has(t) || (!includeArchived && h.properties.archived)) continue;
        seen.add(t);
        out.push(this.#entry(p, t, h, member.physical));
      }
    }
    return out;
  }

  /** @internal */
  _get(location: StoreLocation, store: string, thumbprint: string): CertificateEntry | undefined {
    for (const { member, p } of this._view(location, store)) {
      const h = p?.certs.get(thumbprint);
      if (h && p) return this.#entry(p, thumbprint, h, member.physical);
    }
    return undefined;
  }

  /** @internal certificates of a logical view whose subject is `canonical`. */
  _bySubject(location: StoreLocation, store: string, canonical: string): CertificateEntry[] {
    const out: CertificateEntry[] = [];
    for (const { member, p } of this._view(location, store)) {
      for (const t of p?.bySubject.get(canonical) ?? [])
        out.push(this.#entry(p!, t, p!.certs.get(t)!, member.physical));
    }
    return out;
  }

  /** @internal CRLs of a logical view. */
  _crls(location: StoreLocation, store: string): Crl[] {
    return this._view(location, store).flatMap(({ p }) => [...(p?.crls.values() ?? [])]);
  }

  /** @internal the held record of the location's own physical store. */
  _own(location: StoreLocation, store: string, thumbprint: string): CertificateEntry | undefined {
    const p = this.#stores.get(refKey(location, normalizeStoreName(store)));
    const h = p?.certs.get(thumbprint);
    return p && h ? this.#entry(p, thumbprint, h) : undefined;
  }

  /** @internal writes a certificate through the adapter, then indexes it. */
  async _put(
    location: StoreLocation,
    store: string,
    cert: Certificate,
    thumbprint: string,
    properties: CertificateProperties,
  ) {
    const p = this.#physical(location, store);
    const props = cleanProperties(properties);
    await this.adapter.putCertificate(p.ref, { thumbprint, der: cert.der, properties: props });
    this.#unindex(p, thumbprint);
    this.#index(p, thumbprint, { certificate: cert, properties: props, subject: subjectKey(cert) });
    return this.#entry(p, thumbprint, p.certs.get(thumbprint)!);
  }

  /** @internal */
  async _delete(location: StoreLocation, store: string, thumbprint: string): Promise<boolean> {
    const p = this.#physical(location, store);
    const had = await this.adapter.deleteCertificate(p.ref, thumbprint);
    const inMemory = p.certs.has(thumbprint);
    this.#unindex(p, thumbprint);
    return had || inMemory;
  }

  /**
   * Removes a certificate and its key container together, through the adapter's
   * deleteCertificateAndKey; false when the adapter cannot (then the caller does both steps).
   * @internal
   */
  async _deleteWithKey(
    location: StoreLocation,
    store: string,
    thumbprint: string,
    container: string,
  ): Promise<boolean> {
    if (!this.adapter.deleteCertificateAndKey) return false;
    const p = this.#physical(location, store);
    await this.adapter.deleteCertificateAndKey(p.ref, thumbprint);
    this.#unindex(p, thumbprint);
    this.#keys.get(location)?.delete(container);
    return true;
  }

  /** @internal */
  async _putKey(location: StoreLocation, container: string, key: PrivateKey): Promise<void> {
    await this.adapter.putKey(location, container, await key.toPkcs8());
    let s = this.#keys.get(location);
    if (!s) {
      s = new Set();
      this.#keys.set(location, s);
    }
    s.add(container);
  }

  /** @internal */
  async _deleteKey(location: StoreLocation, container: string): Promise<boolean> {
    const had = await this.adapter.deleteKey(location, container);
    this.#keys.get(location)?.delete(container);
    return had;
  }

  /** @internal */
  async _putCrl(location: StoreLocation, store: string, crl: Crl): Promise<string> {
    const p = this.#physical(location, store);
    const id = crlId(crl);
    await this.adapter.putCrl(p.ref, { id, der: crl.der });
    p.crls.set(id, crl);
    return id;
  }

  /** @internal Whether the physical store already holds this CRL (same DER). */
  _hasCrl(location: StoreLocation, store: string, crl: Crl): boolean {
    // Looked up, not created: a store that does not exist holds no CRL.
    const p = this.#stores.get(refKey(location, normalizeStoreName(store)));
    return p?.crls.has(crlId(crl)) ?? false;
  }

  /** @internal */
  async _deleteCrl(location: StoreLocation, store: string, id: string): Promise<boolean> {
    const p = this.#physical(location, store);
    const had = await this.adapter.deleteCrl(p.ref, id);
    return p.crls.delete(id) || had;
  }
}

/**
 * A logical store of one location on a machine (what the Certificates console shows under
 * "Certificates (Local Computer)\Trusted Root Certification Authorities").
 *
 * @example
 * ```ts
 * const my = machine.store('LocalMachine', 'My');
 * for (const e of my.list()) console.log(e.thumbprint, e.certificate.subject.toWindowsString(), e.hasPrivateKey);
 * ```
 */
export class CertificateStore {
  readonly machine: Machine;
  readonly location: StoreLocation;
  readonly name: string;

  /** @internal use {@link Machine.store}. */
  constructor(machine: Machine, location: StoreLocation, name: string) {
    this.machine = machine;
    this.location = location;
    this.name = name;
  }

  /** The console's name for the store. @example `machine.store('CurrentUser', 'My').displayName('fr') // 'Personnel'` */
  displayName(lang: Lang = 'en'): string {
    return storeDisplayName(this.name, lang);
  }

  /** The physical members of the view. @example `store.members().map((m) => m.physical)` */
  members(): PhysicalMember[] {
    return logicalMembers(this.location, this.name);
  }

  /**
   * The certificates of the logical view (archived ones only when asked).
   *
   * @example
   * ```ts
   * machine.store('CurrentUser', 'Root').list().length;
   * ```
   */
  list(options: { includeArchived?: boolean } = {}): CertificateEntry[] {
    return this.machine._list(this.location, this.name, options.includeArchived === true);
  }

  /**
   * The certificate with this thumbprint in the view (archived included), or undefined. O(1).
   *
   * @example
   * ```ts
   * store.get('‎63c6ce5f c512933179d3c0a5e94ecba98092f93d');
   * ```
   */
  get(thumbprint: string): CertificateEntry | undefined {
    return this.machine._get(this.location, this.name, normalizeThumbprint(thumbprint));
  }

  /** Whether the view holds the thumbprint. @example `store.has(thumb)` */
  has(thumbprint: string): boolean {
    return this.get(thumbprint) !== undefined;
  }

  /**
   * Finds certificates in the view.
   *
   * @example
   * ```ts
   * store.find({ eku: 'serverAuth', hasPrivateKey: true });
   * ```
   */
  find(query: FindQuery = {}): CertificateEntry[] {
    const q =
      query.thumbprint === undefined
        ? query
        : { ...query, thumbprint: normalizeThumbprint(query.thumbprint) };
    if (q.thumbprint) {
      const e = this.get(q.thumbprint);
      return e && matchesQuery(e, q) ? [e] : [];
    }
    return this.list({ includeArchived: q.includeArchived === true }).filter((e) => matchesQuery(e, q));
  }

  /**
   * Adds a certificate to the location's own physical store (`.Default`), optionally with its
   * private key, which goes to the location's key containers and is linked by property.
   *
   * @example
   * ```ts
   * await machine.store('LocalMachine', 'My').add(leaf, { key, properties: { friendlyName: 'Exchange UM' } });
   * ```
   */
  async add(cert: Certificate, options: AddOptions = {}): Promise<CertificateEntry> {
    const thumbprint = await cert.thumbprint();
    const disposition = options.disposition ?? 'replace-existing-inherit-properties';
    const existing = this.machine._own(this.location, this.name, thumbprint);
    let properties: CertificateProperties = { ...(options.properties ?? {}) };
    if (options.key) {
      if (!cert.publicKey.equals(options.key.publicKey))
        throw new StoreError('ERR_STORE_KEY_MISSING', 'The private key does not belong to the certificate.');
      properties.keyContainer ??= keyContainerName(cert);
    }
    if (existing) {
      if (disposition === 'new')
        throw new StoreError(
          'ERR_STORE_EXISTS',
          `The certificate ${thumbprint} is already in ${this.location}\\${this.name}.`,
        );
      if (disposition === 'use-existing' && (existing.hasPrivateKey || !options.key)) return existing;
      if (disposition === 'replace-existing-inherit-properties' || disposition === 'use-existing')
        properties = { ...existing.properties, ...properties };
    }
    if (options.key) await this.machine._putKey(this.location, properties.keyContainer!, options.key);
    return this.machine._put(this.location, this.name, cert, thumbprint, properties);
  }

  /**
   * Removes a certificate from the location's own physical store (a certificate seen through
   * `.LocalMachine` must be removed from the machine store). `deleteKey` also deletes the linked
   * key container (PowerShell's `Remove-Item -DeleteKey`). Throws ERR_STORE_NOT_FOUND.
   *
   * @example
   * ```ts
   * await store.remove(thumb, { deleteKey: true });
   * ```
   */
  async remove(thumbprint: string, options: { deleteKey?: boolean } = {}): Promise<void> {
    const t = normalizeThumbprint(thumbprint);
    const e = this.machine._own(this.location, this.name, t);
    if (!e) {
      const seen = this.get(t);
      throw new StoreError(
        'ERR_STORE_NOT_FOUND',
        seen
          ? `The certificate ${t} is seen through ${seen.physical} (${seen.location}\\${seen.store}); remove it there.`
          : `The certificate ${t} is not in ${this.location}\\${this.name}.`,
      );
    }
    const container = options.deleteKey ? e.properties.keyContainer : undefined;
    // Windows deletes a key only with its certificate (Remove-Item -DeleteKey): one step there.
    if (container && (await this.machine._deleteWithKey(this.location, this.name, t, container))) return;
    await this.machine._delete(this.location, this.name, t);
    if (container) await this.machine._deleteKey(this.location, container);
  }

  /**
   * Changes properties of a certificate of the own physical store (undefined values delete).
   *
   * @example
   * ```ts
   * await store.setProperties(thumb, { archived: true });            // certutil -repairstore … 19 = Empty
   * await store.setProperties(thumb, { keyContainer: 'certlab-…' }); // re-link a key that still exists
   * ```
   */
  async setProperties(thumbprint: string, patch: Partial<CertificateProperties>): Promise<CertificateEntry> {
    const t = normalizeThumbprint(thumbprint);
    const e = this.machine._own(this.location, this.name, t);
    if (!e)
      throw new StoreError(
        'ERR_STORE_NOT_FOUND',
        `The certificate ${t} is not in ${this.location}\\${this.name}.`,
      );
    const merged: Record<string, unknown> = { ...e.properties, ...patch };
    for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
    return this.machine._put(this.location, this.name, e.certificate, t, merged as CertificateProperties);
  }

  /** Adds a CRL (as certutil -addstore CA file.crl). @example `await machine.store('LocalMachine', 'CA').addCrl(crl)` */
  async addCrl(crl: Crl): Promise<string> {
    return this.machine._putCrl(this.location, this.name, crl);
  }

  /** Removes a CRL by the SHA-1 of its DER. @example `await store.removeCrl(id)` */
  async removeCrl(id: string): Promise<boolean> {
    return this.machine._deleteCrl(this.location, this.name, normalizeThumbprint(id));
  }

  /** The CRLs of the view. @example `store.crls().length` */
  crls(): Crl[] {
    return this.machine._crls(this.location, this.name);
  }
}
