// The directory adapter: a simulated machine as plain files that survive restarts.
//
//   DIR/<Location>/<Store>/<THUMBPRINT>.cer    the certificate, PEM
//   DIR/<Location>/<Store>/<THUMBPRINT>.json   its properties (only when it has any)
//   DIR/<Location>/<Store>/<SHA1 OF CRL>.crl   CRLs, PEM
//   DIR/<Location>/.keys/<container>.key       private keys, PKCS #8 PEM, mode 0600
//
// Every write is atomic (temp + fsync + rename), one file per object, no shared index: concurrent
// writers of different certificates never overwrite each other, and a crash leaves whole files.

import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodePem, encodePem } from '@certlab/pki';
import type { StoreAdapter, StoredCertificate, StoredCrl, StoreRef } from '../adapter.js';
import { StoreError } from '../errors.js';
import { STORE_LOCATIONS, type StoreLocation } from '../locations.js';
import { type CertificateProperties, cleanProperties } from '../properties.js';
import { normalizeStoreName } from '../store-names.js';
import { ensureDir, removeFileDurable, TEMP_SUFFIX, writeFileAtomic } from './atomic-file.js';

const KEYS_DIR = '.keys';
const CONTAINER = /^[A-Za-z0-9_{}-][A-Za-z0-9._{}-]{0,127}$/;
const THUMB_FILE = /^([0-9A-F]{40})\.cer$/;
const CRL_FILE = /^([0-9A-F]{40})\.crl$/;

function segment(s: string): string {
  return encodeURIComponent(s).replace(/^\./, '%2E');
}

function sha1(der: Uint8Array): string {
  return createHash('sha1').update(der).digest('hex').toUpperCase();
}

function checkContainer(name: string): string {
  if (typeof name !== 'string' || !CONTAINER.test(name))
    throw new StoreError(
      'ERR_STORE_NAME_INVALID',
      `"${String(name).slice(0, 60)}" is not a usable key container name (letters, digits, . _ - { }, at most 128).`,
    );
  return name;
}

function checkThumb(t: string): string {
  if (typeof t !== 'string' || !/^[0-9A-F]{40}$/.test(t))
    throw new StoreError(
      'ERR_STORE_THUMBPRINT_INVALID',
      `"${String(t).slice(0, 60)}" is not 40 upper-case hex digits.`,
    );
  return t;
}

async function io<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof StoreError) throw e;
    throw new StoreError('ERR_STORE_IO', `${what}: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
}

async function readOptional(path: string, enc?: 'utf8'): Promise<string | Buffer | undefined> {
  try {
    return enc ? await readFile(path, enc) : await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw e;
  }
}

function pemBytes(text: string, label: string): Uint8Array | undefined {
  try {
    const block = decodePem(text).find((b) => b.label === label);
    return block?.bytes;
  } catch {
    return undefined;
  }
}

/**
 * Keeps a simulated machine's stores in a directory tree, one human-readable file per object.
 *
 * @example
 * ```ts
 * const adapter = new DirectoryStoreAdapter('/tmp/ex01');
 * const machine = await Machine.open({ name: 'EX01', adapter });
 * // ls /tmp/ex01/LocalMachine/Root → 8B8942FB….cer
 * ```
 */
export class DirectoryStoreAdapter implements StoreAdapter {
  readonly name: string;
  readonly root: string;
  /** Files skipped because they could not be read as what their name says (never our own writes). */
  readonly skipped: string[] = [];

  constructor(root: string) {
    if (typeof root !== 'string' || root === '')
      throw new StoreError('ERR_STORE_NAME_INVALID', 'The directory adapter needs a directory path.');
    this.root = root;
    this.name = `directory:${root}`;
  }

  #storeDir(ref: StoreRef): string {
    return join(this.root, segment(ref.location), segment(normalizeStoreName(ref.store)));
  }
  #keyPath(location: StoreLocation, container: string): string {
    return join(this.root, segment(location), KEYS_DIR, `${checkContainer(container)}.key`);
  }

  async listStores(location: StoreLocation): Promise<string[]> {
    return io('Listing the stores', async () => {
      const out: string[] = [];
      for (const name of await listDir(join(this.root, segment(location)))) {
        if (name === KEYS_DIR || name.endsWith(TEMP_SUFFIX)) continue;
        const files = await listDir(join(this.root, segment(location), name));
        if (files.some((f) => THUMB_FILE.test(f) || CRL_FILE.test(f))) out.push(decodeURIComponent(name));
      }
      return out.sort();
    });
  }

  async #readCert(dir: string, thumbprint: string, hasJson = true): Promise<StoredCertificate | undefined> {
    const text = (await readOptional(join(dir, `${thumbprint}.cer`), 'utf8')) as string | undefined;
    if (text === undefined) return undefined;
    const der = pemBytes(text, 'CERTIFICATE');
    if (!der || sha1(der) !== thumbprint) {
      this.skipped.push(join(dir, `${thumbprint}.cer`));
      return undefined;
    }
    let properties: CertificateProperties = {};
    const json = hasJson
      ? ((await readOptional(join(dir, `${thumbprint}.json`), 'utf8')) as string | undefined)
      : undefined;
    if (json !== undefined) {
      try {
        properties = cleanProperties(JSON.parse(json));
      } catch {
        this.skipped.push(join(dir, `${thumbprint}.json`));
      }
    }
    return { thumbprint, der, properties };
  }

  async listCertificates(ref: StoreRef): Promise<StoredCertificate[]> {
    return io('Listing certificates', async () => {
      const dir = this.#storeDir(ref);
      const files = await listDir(dir);
      const present = new Set(files);
      const names = files.map((f) => THUMB_FILE.exec(f)?.[1]).filter((x): x is string => !!x);
      const out: StoredCertificate[] = [];
      // Bounded parallelism: fast on large stores without exhausting file handles. A properties
      // file is read only when the listing has one: most certificates have none, and a failed
      // open per certificate (an ENOENT error object each) was half the cost of a load.
      for (let i = 0; i < names.length; i += 64) {
        const batch = await Promise.all(
          names.slice(i, i + 64).map((t) => this.#readCert(dir, t, present.has(`${t}.json`))),
        );
        for (const c of batch) if (c) out.push(c);
      }
      return out;
    });
  }

  async getCertificate(ref: StoreRef, thumbprint: string): Promise<StoredCertificate | undefined> {
    return io('Reading a certificate', () => this.#readCert(this.#storeDir(ref), checkThumb(thumbprint)));
  }

  async putCertificate(ref: StoreRef, cert: StoredCertificate): Promise<void> {
    const t = checkThumb(cert.thumbprint);
    if (sha1(cert.der) !== t)
      throw new StoreError(
        'ERR_STORE_THUMBPRINT_INVALID',
        `The thumbprint ${t} is not the SHA-1 of the certificate.`,
      );
    await io('Writing a certificate', async () => {
      const dir = this.#storeDir(ref);
      await ensureDir(dir);
      const props = cleanProperties(cert.properties);
      // Properties first: a crash between the two writes leaves an orphan .json (ignored), never
      // a certificate with someone else's properties.
      if (Object.keys(props).length)
        await writeFileAtomic(join(dir, `${t}.json`), `${JSON.stringify(props, null, 2)}\n`);
      else await removeFileDurable(join(dir, `${t}.json`));
      await writeFileAtomic(join(dir, `${t}.cer`), encodePem('CERTIFICATE', cert.der));
    });
  }

  async deleteCertificate(ref: StoreRef, thumbprint: string): Promise<boolean> {
    const t = checkThumb(thumbprint);
    return io('Deleting a certificate', async () => {
      const dir = this.#storeDir(ref);
      const had = await removeFileDurable(join(dir, `${t}.cer`));
      await removeFileDurable(join(dir, `${t}.json`));
      return had;
    });
  }

  async listCrls(ref: StoreRef): Promise<StoredCrl[]> {
    return io('Listing CRLs', async () => {
      const dir = this.#storeDir(ref);
      const out: StoredCrl[] = [];
      for (const f of await listDir(dir)) {
        const id = CRL_FILE.exec(f)?.[1];
        if (!id) continue;
        const text = (await readOptional(join(dir, f), 'utf8')) as string | undefined;
        const der = text === undefined ? undefined : pemBytes(text, 'X509 CRL');
        if (der && sha1(der) === id) out.push({ id, der });
        else if (text !== undefined) this.skipped.push(join(dir, f));
      }
      return out;
    });
  }

  async putCrl(ref: StoreRef, crl: StoredCrl): Promise<void> {
    const id = checkThumb(crl.id);
    await io('Writing a CRL', () =>
      writeFileAtomic(join(this.#storeDir(ref), `${id}.crl`), encodePem('X509 CRL', crl.der)),
    );
  }

  async deleteCrl(ref: StoreRef, id: string): Promise<boolean> {
    return io('Deleting a CRL', () => removeFileDurable(join(this.#storeDir(ref), `${checkThumb(id)}.crl`)));
  }

  async listKeys(location: StoreLocation): Promise<string[]> {
    return io('Listing keys', async () =>
      (await listDir(join(this.root, segment(location), KEYS_DIR)))
        .filter((f) => f.endsWith('.key') && CONTAINER.test(f.slice(0, -4)))
        .map((f) => f.slice(0, -4))
        .sort(),
    );
  }

  async getKey(location: StoreLocation, container: string): Promise<Uint8Array | undefined> {
    const path = this.#keyPath(location, container);
    return io('Reading a key', async () => {
      const text = (await readOptional(path, 'utf8')) as string | undefined;
      if (text === undefined) return undefined;
      const der = pemBytes(text, 'PRIVATE KEY');
      if (!der) throw new StoreError('ERR_STORE_CORRUPT', `The key file ${path} holds no PRIVATE KEY block.`);
      return der;
    });
  }

  async putKey(location: StoreLocation, container: string, pkcs8: Uint8Array): Promise<void> {
    const path = this.#keyPath(location, container);
    await io('Writing a key', async () => {
      await ensureDir(join(this.root, segment(location), KEYS_DIR));
      await writeFileAtomic(path, encodePem('PRIVATE KEY', pkcs8), 0o600);
    });
  }

  async deleteKey(location: StoreLocation, container: string): Promise<boolean> {
    return io('Deleting a key', () => removeFileDurable(this.#keyPath(location, container)));
  }

  /** The locations that have a directory. */
  async locations(): Promise<StoreLocation[]> {
    const names = new Set(await listDir(this.root));
    return STORE_LOCATIONS.map((l) => l.location).filter((l) => names.has(segment(l)));
  }
}
