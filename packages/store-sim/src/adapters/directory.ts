// The directory adapter: a simulated machine as plain files that survive restarts.
//
//   DIR/<Location>/<Store>/<THUMBPRINT>.cer    the certificate, PEM (DER accepted on read)
//   DIR/<Location>/<Store>/<THUMBPRINT>.json   its properties (only when it has any)
//   DIR/<Location>/<Store>/<SHA1 OF CRL>.crl   CRLs, PEM (DER accepted on read)
//   DIR/<Location>/<Store>/.certlab-cache      a rebuildable load cache (see below), never authoritative
//   DIR/<Location>/.keys/<container>.key       private keys, PKCS #8 PEM, mode 0600
//
// Thumbprints are case-insensitive, as in Windows: a file named in lower case (sha1sum's output,
// certutil's `Cert Hash(sha1)`, by hand) is the same entry, and the next write of that
// certificate replaces it with the upper-case name this adapter writes. CRLs are named the same
// way, by the SHA-1 of their DER: Windows keeps them beside the certificates of a store (`CRLs\`)
// and certutil finds one by that hash as it finds a certificate by its thumbprint
// (windows-stores.md §4, §9 CertId), so the same rules hold for them: any
// case read, the upper case written, every spelling deleted. A file that cannot be used (a .cer
// or .crl not named after a SHA-1, one that holds no certificate or CRL, another one than its
// name says, or bytes with the right SHA-1 that do not parse as one; a properties file that is
// not JSON) is skipped and listed in `skippedFiles` with what to do: one damaged file never makes
// the whole machine unreadable.
//
// Every write is atomic (temp + fsync + rename), one file per object, no shared index: concurrent
// writers of different certificates never overwrite each other, and a crash leaves whole files.
//
// The load cache makes opening a large store fast. Listing a store writes, when anything changed,
// `.certlab-cache`: per certificate file its name, size, mtime, ctime and inode as stat() saw
// them before the file was read, and the DER read from it (already checked against the name's
// SHA-1 and parsed as a certificate), followed by a SHA-256 of the whole. A later listing still
// reads the directory and stat()s every file; a file whose stat matches its cache record, and
// whose record's DER still hashes to the name, is taken from the cache, any other file (new,
// rewritten, touched, or with a wrong record) is read as before. Files that are gone are dropped. A
// cache that is torn, corrupt, of another version or unreadable is ignored and rebuilt: the
// .cer files always win. Certificate writes never touch the cache (no shared file between
// writers); the next listing notices the new files and rewrites it.

import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodePem, encodePem, parseCertificate, parseCrl } from '@certlab/pki';
import type { StoreAdapter, StoredCertificate, StoredCrl, StoreRef } from '../adapter.js';
import { StoreError } from '../errors.js';
import { STORE_LOCATIONS, type StoreLocation } from '../locations.js';
import { type CertificateProperties, cleanProperties } from '../properties.js';
import { normalizeStoreName } from '../store-names.js';
import {
  ensureDir,
  removeFileDurable,
  replaceFileAtomic,
  TEMP_SUFFIX,
  writeFileAtomic,
} from './atomic-file.js';

const KEYS_DIR = '.keys';
const CONTAINER = /^[A-Za-z0-9_{}-][A-Za-z0-9._{}-]{0,127}$/;
/** A certificate file: its thumbprint in any case (Windows thumbprints are case-insensitive). */
const THUMB_FILE = /^([0-9A-Fa-f]{40})\.cer$/;
/** Certificate-looking files that are not named after a thumbprint: reported, never loaded. */
const OTHER_CERT_FILE = /\.(?:cer|crt|der|pem)$/i;
/** A CRL file: the SHA-1 of its DER in any case, as certificate files. */
const CRL_FILE = /^([0-9A-Fa-f]{40})\.crl$/;
/** CRL files that are not named after a SHA-1 (or spell `.crl` otherwise): reported, never loaded. */
const OTHER_CRL_FILE = /\.crl$/i;
/**
 * The load cache of a store directory (see the top of this file).
 *
 * @example
 * ```ts
 * join('.certlab/ex01', 'LocalMachine', 'My', CACHE_FILE); // '.certlab/ex01/LocalMachine/My/.certlab-cache'
 * ```
 */
export const CACHE_FILE = '.certlab-cache';
// Version 2: every record parses as a certificate. A version 1 cache could hold bytes that only
// hashed to their name (a file that was not a certificate, which then stopped the machine from
// opening); taken from such a cache they would again, so it is rejected and rebuilt once.
const CACHE_MAGIC = Buffer.from('certlab store cache 2\n', 'latin1');
/** Per record: SHA-1 (20), size, mtimeMs, ctimeMs, ino (4 × float64), DER length (uint32). */
const CACHE_RECORD_HEAD = 20 + 32 + 4;
/** Files handled between two turns of the event loop while loading (sync stat/read). */
const LOAD_SLICE = 512;

interface FileStamp {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
}

interface CacheRecord extends FileStamp {
  readonly der: Uint8Array;
}

/**
 * A file of the directory the adapter could not use, and why, as a sentence that says what to do.
 *
 * @example
 * ```ts
 * for (const f of adapter.skippedFiles) console.error(`Warning: ${f.problem}`);
 * // Warning: /m/LocalMachine/Root/8B89….json is not valid JSON (…): the certificate 8B89… is loaded without its properties…
 * ```
 */
export interface SkippedFile {
  readonly path: string;
  /** A sentence naming the file, what is wrong and what to do. */
  readonly problem: string;
}

/**
 * What the last {@link DirectoryStoreAdapter.listCertificates} did, for diagnostics and tests.
 *
 * @example
 * ```ts
 * await adapter.listCertificates({ location: 'LocalMachine', store: 'My' });
 * const stats: DirectoryLoadStats | undefined = adapter.lastLoad;
 * // { cache: 'valid', fromCache: 1, fromFiles: 0, cacheWritten: false }
 * ```
 */
export interface DirectoryLoadStats {
  /** `valid`: a cache was read and checked; `missing`: there was none; `invalid`: it was rejected. */
  readonly cache: 'valid' | 'missing' | 'invalid';
  /** Certificates taken from the cache (their file's stat matched). */
  readonly fromCache: number;
  /** Certificate files read (new, changed, or no usable cache). */
  readonly fromFiles: number;
  /** Whether the cache was rewritten. */
  readonly cacheWritten: boolean;
}

const sameStamp = (a: FileStamp, b: FileStamp) =>
  a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

/** The cache records by thumbprint, or undefined when the bytes are not a whole, intact cache. */
function parseCache(buf: Buffer): Map<string, CacheRecord> | undefined {
  const end = buf.length - 32;
  if (end < CACHE_MAGIC.length + 4 || !buf.subarray(0, CACHE_MAGIC.length).equals(CACHE_MAGIC))
    return undefined;
  const sum = createHash('sha256').update(buf.subarray(0, end)).digest();
  if (!sum.equals(buf.subarray(end))) return undefined;
  let o = CACHE_MAGIC.length;
  const count = buf.readUInt32LE(o);
  o += 4;
  const out = new Map<string, CacheRecord>();
  for (let i = 0; i < count; i++) {
    if (o + CACHE_RECORD_HEAD > end) return undefined;
    const thumb = buf.toString('hex', o, o + 20).toUpperCase();
    const size = buf.readDoubleLE(o + 20);
    const mtimeMs = buf.readDoubleLE(o + 28);
    const ctimeMs = buf.readDoubleLE(o + 36);
    const ino = buf.readDoubleLE(o + 44);
    const len = buf.readUInt32LE(o + 52);
    o += CACHE_RECORD_HEAD;
    if (o + len > end) return undefined;
    // A view: the records share the cache's one buffer instead of an ArrayBuffer each.
    out.set(thumb, { size, mtimeMs, ctimeMs, ino, der: new Uint8Array(buf.buffer, buf.byteOffset + o, len) });
    o += len;
  }
  return o === end ? out : undefined;
}

function serializeCache(records: Map<string, CacheRecord>): Buffer {
  let total = CACHE_MAGIC.length + 4 + 32;
  for (const r of records.values()) total += CACHE_RECORD_HEAD + r.der.length;
  const buf = Buffer.allocUnsafe(total);
  CACHE_MAGIC.copy(buf, 0);
  let o = CACHE_MAGIC.length;
  buf.writeUInt32LE(records.size, o);
  o += 4;
  for (const [thumb, r] of records) {
    buf.write(thumb, o, 20, 'hex');
    buf.writeDoubleLE(r.size, o + 20);
    buf.writeDoubleLE(r.mtimeMs, o + 28);
    buf.writeDoubleLE(r.ctimeMs, o + 36);
    buf.writeDoubleLE(r.ino, o + 44);
    buf.writeUInt32LE(r.der.length, o + 52);
    o += CACHE_RECORD_HEAD;
    buf.set(r.der, o);
    o += r.der.length;
  }
  createHash('sha256').update(buf.subarray(0, o)).digest().copy(buf, o);
  return buf;
}

const PEM_BEGIN = '-----BEGIN CERTIFICATE-----';
const PEM_END = '-----END CERTIFICATE-----';
const ARENA_SIZE = 256 * 1024;

/**
 * Reads many certificate files: synchronous reads into one scratch buffer, DERs decoded into
 * shared 256 KB arenas. Per certificate that leaves only a view on an arena, instead of an
 * ArrayBuffer each (or pooled buffers kept alive, with the file text, by the DER next to it).
 */
class CertFileReader {
  #scratch = Buffer.allocUnsafeSlow(16 * 1024);
  #arena = Buffer.allocUnsafeSlow(0);
  #used = 0;

  /** The file's text (latin1: PEM is ASCII), or undefined when it does not exist. */
  read(path: string): string | undefined {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    try {
      const n = readSync(fd, this.#scratch, 0, this.#scratch.length, 0);
      if (n < this.#scratch.length) return this.#scratch.toString('latin1', 0, n);
    } finally {
      closeSync(fd);
    }
    return readFileSync(path, 'latin1'); // a big file: not one of ours, read it whole
  }

  /** The DER of a certificate file when it hashes to `thumbprint` (see {@link certFileDer}). */
  der(text: string, thumbprint: string): Uint8Array | undefined {
    if (looksLikeDer(text)) {
      // A DER file (latin1 keeps the bytes as they are): copied into the arena, as PEM is.
      if (text.length > ARENA_SIZE / 4) return certFileDer(text, thumbprint);
      if (this.#used + text.length > this.#arena.length) {
        this.#arena = Buffer.allocUnsafeSlow(ARENA_SIZE);
        this.#used = 0;
      }
      const n = this.#arena.write(text, this.#used, 'latin1');
      const der = new Uint8Array(this.#arena.buffer, this.#arena.byteOffset + this.#used, n);
      if (sha1(der) !== thumbprint) return undefined;
      this.#used += n;
      return der;
    }
    if (text.startsWith(PEM_BEGIN)) {
      const e = text.indexOf('-----', PEM_BEGIN.length);
      if (e > 0 && text.startsWith(PEM_END, e)) {
        const b64 = text.slice(PEM_BEGIN.length, e);
        const max = Math.ceil(b64.length / 4) * 3;
        if (max <= ARENA_SIZE / 4) {
          if (this.#used + max > this.#arena.length) {
            this.#arena = Buffer.allocUnsafeSlow(ARENA_SIZE);
            this.#used = 0;
          }
          const n = this.#arena.write(b64, this.#used, 'base64');
          const der = new Uint8Array(this.#arena.buffer, this.#arena.byteOffset + this.#used, n);
          if (sha1(der) === thumbprint) {
            this.#used += n;
            return der;
          }
        }
      }
    }
    const der = pemBytes(text, 'CERTIFICATE');
    return der && sha1(der) === thumbprint ? der : undefined;
  }
}

/**
 * Whether a certificate file (read as latin1) is DER rather than PEM: a DER certificate starts
 * with a SEQUENCE tag and a long-form length (a certificate is more than 127 bytes); PEM text
 * never starts with 0x30 0x81/0x82/0x83.
 */
function looksLikeDer(text: string): boolean {
  const len = text.charCodeAt(1);
  return text.charCodeAt(0) === 0x30 && len >= 0x81 && len <= 0x83;
}

/**
 * The DER of a certificate file, when it hashes to `thumbprint`. A DER file is taken as it is;
 * the PEM files this adapter writes (one block, nothing around it) are decoded with Node's Base64
 * decoder; anything else goes through the strict PEM decoder. Either way only bytes whose SHA-1
 * is the name are accepted.
 */
function certFileDer(text: string, thumbprint: string): Uint8Array | undefined {
  if (looksLikeDer(text)) {
    const der = new Uint8Array(Buffer.from(text, 'latin1'));
    return sha1(der) === thumbprint ? der : undefined;
  }
  if (text.startsWith(PEM_BEGIN)) {
    const e = text.indexOf('-----', PEM_BEGIN.length);
    if (e > 0 && text.startsWith(PEM_END, e)) {
      const der = new Uint8Array(Buffer.from(text.slice(PEM_BEGIN.length, e), 'base64'));
      if (sha1(der) === thumbprint) return der;
    }
  }
  const der = pemBytes(text, 'CERTIFICATE');
  return der && sha1(der) === thumbprint ? der : undefined;
}

/** What a store file holds: certificates and CRLs are read, checked and reported alike. */
interface FileKind {
  readonly noun: 'certificate' | 'CRL';
  readonly ext: '.cer' | '.crl';
  /** The parser the machine loads it with: what it rejects must be skipped here, not there. */
  readonly parse: (der: Uint8Array) => unknown;
}
const CERT_KIND: FileKind = { noun: 'certificate', ext: '.cer', parse: parseCertificate };
const CRL_KIND: FileKind = { noun: 'CRL', ext: '.crl', parse: parseCrl };

/** Why `der` does not parse as a `kind`, or undefined when it does. */
function parseError(kind: FileKind, der: Uint8Array): string | undefined {
  try {
    kind.parse(der);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/**
 * Why a file named `id` was not loaded, as a sentence with the fix; `der` is what the file
 * decodes to (undefined when it is neither PEM nor DER).
 */
function fileProblem(kind: FileKind, path: string, der: Uint8Array | undefined, id: string): string {
  const { noun, ext } = kind;
  const replace = `Delete it, or replace it with the ${noun} (certlab store import).`;
  if (!der) return `${path} is neither a PEM nor a DER ${noun}: it is skipped. ${replace}`;
  const why = parseError(kind, der);
  // The name may well be right (a file named after the SHA-1 of whatever it holds): what the
  // bytes are not is the problem, whatever they hash to.
  if (why !== undefined) return `${path} is not a ${noun} (${why}): it is skipped. ${replace}`;
  const actual = sha1(der);
  return `${path} holds the ${noun} ${actual}, not ${id} as its name says: it is skipped. Rename it to ${actual}${ext}, or import it again with certlab store import.`;
}

/** Why a certificate file named `thumbprint` was not loaded, as a sentence with the fix. */
function certFileProblem(path: string, text: string, thumbprint: string): string {
  const der = looksLikeDer(text)
    ? new Uint8Array(Buffer.from(text, 'latin1'))
    : pemBytes(text, 'CERTIFICATE');
  return fileProblem(CERT_KIND, path, der, thumbprint);
}

/**
 * The DER of a CRL file when it hashes to `id`: DER as it is (a CRL file from a CA's CDP), else
 * the `X509 CRL` PEM block this adapter writes (openssl's output).
 */
function crlFileDer(bytes: Buffer, id: string): Uint8Array | undefined {
  if (bytes[0] === 0x30 && sha1(bytes) === id) return new Uint8Array(bytes);
  const der = pemBytes(bytes.toString('latin1'), 'X509 CRL');
  return der && sha1(der) === id ? der : undefined;
}

/** Why a CRL file named `id` was not loaded, as a sentence with the fix. */
function crlFileProblem(path: string, bytes: Buffer, id: string): string {
  const der =
    pemBytes(bytes.toString('latin1'), 'X509 CRL') ?? (bytes[0] === 0x30 ? new Uint8Array(bytes) : undefined);
  return fileProblem(CRL_KIND, path, der, id);
}

/** The properties cleanProperties keeps (a wrong type drops one). */
const PROPERTY_NAMES = [
  'friendlyName',
  'description',
  'archived',
  'keyContainer',
  'keyProvider',
  'keyExportable',
  'enhancedKeyUsage',
] as const;

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

async function readOptional(path: string, enc?: 'utf8' | 'latin1'): Promise<string | Buffer | undefined> {
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
  /** The same files, each with a sentence saying what is wrong and what to do (print these). */
  readonly skippedFiles: SkippedFile[] = [];
  readonly #skippedPaths = new Set<string>();
  /**
   * `dir/<THUMBPRINT>` (a certificate and its .json) or `dir/<ID>.crl` → the other spellings of
   * its name a listing found: the same entry, read when the canonical file is missing and removed
   * with it.
   */
  readonly #aliases = new Map<string, readonly string[]>();
  /** What the last {@link listCertificates} did: cache use, files read. */
  lastLoad: DirectoryLoadStats | undefined;
  /** What the last {@link listCertificates} of each store did, by `Location\\Store`. */
  readonly loads = new Map<string, DirectoryLoadStats>();

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
        // A store holding only misnamed files is not listed: say so here, as the listing would.
        else this.#skipMisnamed(join(this.root, segment(location), name), files);
      }
      return out.sort();
    });
  }

  /** Records a file it could not use (once per path: a store is listed on every reload). */
  #skip(path: string, problem: string): void {
    if (this.#skippedPaths.has(path)) return;
    this.#skippedPaths.add(path);
    this.skipped.push(path);
    this.skippedFiles.push({ path, problem });
  }

  /** Where the other spellings of an entry are remembered: a certificate's serve its .json too. */
  #aliasKey(dir: string, id: string, ext: string): string {
    return ext === '.crl' ? join(dir, `${id}.crl`) : join(dir, id);
  }

  /**
   * The names an entry's `ext` files have besides the canonical `<ID>` (a lower-case name written
   * by hand, or those seen by the last listing): they are the same entry.
   */
  #variants(dir: string, id: string, ext: string): string[] {
    const out = new Set([id.toLowerCase(), ...(this.#aliases.get(this.#aliasKey(dir, id, ext)) ?? [])]);
    out.delete(id);
    return [...out];
  }

  /**
   * The entries named `pattern` in a store's `files`: upper-case id → the stem to read. The
   * upper-case name wins over another spelling of the same id, which is reported (Windows ids are
   * case-insensitive: two spellings are one entry, never two); every other spelling is remembered,
   * so that a write or a delete of the entry removes it too.
   */
  #stems(dir: string, files: readonly string[], pattern: RegExp, ext: '.cer' | '.crl'): Map<string, string> {
    const stems = new Map<string, string>();
    const others = new Map<string, string[]>();
    for (const f of files) {
      const stem = pattern.exec(f)?.[1];
      if (!stem) continue;
      const t = stem.toUpperCase();
      if (stem !== t) {
        const o = others.get(t);
        if (o) o.push(stem);
        else others.set(t, [stem]);
      }
      const other = stems.get(t);
      if (other === undefined || stem === t) stems.set(t, stem);
      const dup = other === undefined ? undefined : stem === t ? other : stem;
      if (dup !== undefined) {
        const path = join(dir, `${dup}${ext}`);
        this.#skip(
          path,
          `${path} is another spelling of ${t}${ext}, which is loaded instead: it is skipped. Delete it.`,
        );
      }
    }
    for (const t of stems.keys()) {
      const key = this.#aliasKey(dir, t, ext);
      const o = others.get(t);
      if (o) this.#aliases.set(key, o);
      else this.#aliases.delete(key);
    }
    return stems;
  }

  /**
   * The first of `<THUMBPRINT>.ext` and its variants that exists, read: one read for the usual
   * canonical name (and one more per variant only when it is missing), never a directory listing.
   */
  async #readFirst(
    dir: string,
    thumbprint: string,
    ext: string,
    encoding: 'latin1' | 'utf8',
  ): Promise<{ path: string; text: string } | undefined> {
    for (const stem of [thumbprint, ...this.#variants(dir, thumbprint, ext)]) {
      const path = join(dir, `${stem}${ext}`);
      const text = (await readOptional(path, encoding)) as string | undefined;
      if (text !== undefined) return { path, text };
    }
    return undefined;
  }

  /**
   * Removes the other-case files of an entry after its canonical file was written or removed. On
   * a case-insensitive file system `abc….cer` IS the file just written: it is left alone.
   */
  async #removeVariants(dir: string, thumbprint: string, ext: string): Promise<boolean> {
    let removed = false;
    for (const v of this.#variants(dir, thumbprint, ext)) {
      const path = join(dir, `${v}${ext}`);
      const st = await lstat(path).catch(() => undefined);
      if (!st) continue;
      const canonical = await lstat(join(dir, `${thumbprint}${ext}`)).catch(() => undefined);
      if (canonical && canonical.ino === st.ino && canonical.dev === st.dev) continue;
      removed = (await removeFileDurable(path)) || removed;
    }
    return removed;
  }

  /** Reports the certificate- and CRL-looking files of a store that are not named after a SHA-1. */
  #skipMisnamed(dir: string, files: readonly string[]): void {
    for (const f of files)
      if (OTHER_CRL_FILE.test(f) && !CRL_FILE.test(f)) {
        const path = join(dir, f);
        this.#skip(
          path,
          `${path} is not named after the SHA-1 of the CRL (40 hex digits and .crl): it is skipped. Import it with certlab store import, or rename it to that SHA-1.`,
        );
      } else if (OTHER_CERT_FILE.test(f) && !THUMB_FILE.test(f)) {
        const path = join(dir, f);
        this.#skip(
          path,
          `${path} is not named after a thumbprint (40 hex digits and .cer): it is skipped. Import it with certlab store import, or rename it to its thumbprint.`,
        );
      }
  }

  async #readCert(dir: string, thumbprint: string): Promise<StoredCertificate | undefined> {
    const file = await this.#readFirst(dir, thumbprint, '.cer', 'latin1');
    if (file === undefined) return undefined;
    const der = certFileDer(file.text, thumbprint);
    if (!der || parseError(CERT_KIND, der) !== undefined) {
      this.#skip(file.path, certFileProblem(file.path, file.text, thumbprint));
      return undefined;
    }
    const json = await this.#readFirst(dir, thumbprint, '.json', 'utf8');
    return {
      thumbprint,
      der,
      properties: json === undefined ? {} : this.#parseProperties(json.path, json.text, thumbprint),
    };
  }

  async #readProperties(path: string, thumbprint: string): Promise<CertificateProperties> {
    const json = (await readOptional(path, 'utf8')) as string | undefined;
    return json === undefined ? {} : this.#parseProperties(path, json, thumbprint);
  }

  #parseProperties(path: string, json: string, thumbprint: string): CertificateProperties {
    const lost = `the certificate ${thumbprint} is loaded without its properties (friendly name, private-key link)`;
    const fix =
      'Mend or delete the file and set them again (importing the .pfx again restores the key link).';
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (e) {
      this.#skip(
        path,
        `${path} is not valid JSON (${e instanceof Error ? e.message : String(e)}): ${lost}. ${fix}`,
      );
      return {};
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      this.#skip(path, `${path} does not hold a JSON object: ${lost}. ${fix}`);
      return {};
    }
    const props = cleanProperties(parsed);
    // A known property of the wrong type is dropped by cleanProperties: say so (unknown ones
    // are left alone, for files written by a later version).
    const bad = PROPERTY_NAMES.filter((k) => k in parsed && !(k in props));
    if (bad.length)
      this.#skip(
        path,
        `${path}: ${bad.join(', ')} ${bad.length === 1 ? 'has' : 'have'} the wrong type and ${bad.length === 1 ? 'is' : 'are'} ignored for the certificate ${thumbprint}. ${fix}`,
      );
    return props;
  }

  async #readCache(dir: string): Promise<Map<string, CacheRecord> | 'missing' | 'invalid'> {
    let buf: Buffer | undefined;
    try {
      buf = (await readOptional(join(dir, CACHE_FILE))) as Buffer | undefined;
    } catch {
      return 'invalid';
    }
    if (buf === undefined) return 'missing';
    return parseCache(buf) ?? 'invalid';
  }

  async listCertificates(ref: StoreRef): Promise<StoredCertificate[]> {
    return io('Listing certificates', async () => {
      const dir = this.#storeDir(ref);
      const files = await listDir(dir);
      const present = new Set(files);
      this.#skipMisnamed(dir, files);
      const stems = this.#stems(dir, files, THUMB_FILE, '.cer');
      const names = [...stems.keys()];
      const cache = names.length ? await this.#readCache(dir) : 'missing';
      const cached = typeof cache === 'object' ? cache : undefined;
      const records = new Map<string, CacheRecord>();
      const out: StoredCertificate[] = [];
      const withJson: { rec: StoredCertificate; json: string }[] = [];
      let fromCache = 0;
      let fromFiles = 0;
      let added = 0;
      const reader = new CertFileReader();
      // Synchronous stat and read, a slice at a time: for many small files the thread-pool
      // round trips of the async calls cost more than the system calls themselves.
      for (let i = 0; i < names.length; i += LOAD_SLICE) {
        if (i) await yieldToLoop();
        for (const t of names.slice(i, i + LOAD_SLICE)) {
          const stem = stems.get(t)!;
          const path = join(dir, `${stem}.cer`);
          const st = statSync(path, { throwIfNoEntry: false });
          if (!st?.isFile()) continue;
          const hit = cached?.get(t);
          let der: Uint8Array;
          // A record is taken only while its DER still hashes to the file's name, as the bytes of
          // a file read are. The checksum finds a torn or corrupt cache, not one written whole
          // with a wrong record (by a faulty writer, or by hand): such a record put another
          // certificate under this thumbprint, or lost this one (found by
          // directory-side-files-fuzz.test.ts). It is read from its file instead, and the cache
          // rewritten.
          if (hit && sameStamp(hit, st) && sha1(hit.der) === t) {
            der = hit.der;
            records.set(t, hit);
            fromCache++;
          } else {
            const text = reader.read(path);
            if (text === undefined) continue;
            fromFiles++;
            const read = reader.der(text, t);
            // Bytes with the right SHA-1 that are not a certificate (a CRL or a key saved as
            // <its hash>.cer, a PEM block of garbage) would stop Machine.open, which parses
            // every record: skipped here like any other unusable file, and never cached.
            if (!read || parseError(CERT_KIND, read) !== undefined) {
              this.#skip(path, certFileProblem(path, text, t));
              continue;
            }
            der = read;
            // The stat taken before the read: a file replaced meanwhile fails the next check.
            records.set(t, { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, der });
            added++;
          }
          const rec = { thumbprint: t, der, properties: {} };
          out.push(rec);
          const json = [`${t}.json`, `${stem}.json`, `${t.toLowerCase()}.json`].find((j) => present.has(j));
          if (json !== undefined) withJson.push({ rec, json });
        }
      }
      // Properties files are few (most certificates have none) and small: read them each time.
      for (let i = 0; i < withJson.length; i += 64)
        await Promise.all(
          withJson.slice(i, i + 64).map(async ({ rec, json }) => {
            (rec as { properties: CertificateProperties }).properties = await this.#readProperties(
              join(dir, json),
              rec.thumbprint,
            );
          }),
        );
      // Only records read from files change the cache: an unreadable file gets none, so counting
      // it (fromFiles) would rewrite the whole cache on every load while that file stays bad.
      const changed = !cached || added > 0 || cached.size !== records.size;
      let cacheWritten = false;
      if (changed && records.size) cacheWritten = await this.#writeCache(dir, records);
      else if (changed && cache !== 'missing')
        await removeFileDurable(join(dir, CACHE_FILE)).catch(() => false);
      this.lastLoad = {
        cache: cached ? 'valid' : cache === 'missing' ? 'missing' : 'invalid',
        fromCache,
        fromFiles,
        cacheWritten,
      };
      this.loads.set(`${ref.location}\\${normalizeStoreName(ref.store)}`, this.lastLoad);
      return out;
    });
  }

  /** Replaces the store's load cache; false when it cannot be written (e.g. a read-only directory). */
  async #writeCache(dir: string, records: Map<string, CacheRecord>): Promise<boolean> {
    try {
      await replaceFileAtomic(join(dir, CACHE_FILE), serializeCache(records));
      return true;
    } catch {
      return false;
    }
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
      // The entry now has its canonical name: a lower-case copy would be a stale duplicate.
      await this.#removeVariants(dir, t, '.json');
      await this.#removeVariants(dir, t, '.cer');
      this.#aliases.delete(this.#aliasKey(dir, t, '.cer'));
    });
  }

  async deleteCertificate(ref: StoreRef, thumbprint: string): Promise<boolean> {
    const t = checkThumb(thumbprint);
    return io('Deleting a certificate', async () => {
      const dir = this.#storeDir(ref);
      const had = await removeFileDurable(join(dir, `${t}.cer`));
      await removeFileDurable(join(dir, `${t}.json`));
      // Other spellings of the name are the same entry: left behind, it would come back.
      const hadVariant = await this.#removeVariants(dir, t, '.cer');
      await this.#removeVariants(dir, t, '.json');
      this.#aliases.delete(this.#aliasKey(dir, t, '.cer'));
      return had || hadVariant;
    });
  }

  async listCrls(ref: StoreRef): Promise<StoredCrl[]> {
    return io('Listing CRLs', async () => {
      const dir = this.#storeDir(ref);
      const files = await listDir(dir);
      // Misnamed files are reported by listCertificates too: #skip says each once.
      this.#skipMisnamed(dir, files);
      const out: StoredCrl[] = [];
      // CRLs are few per store: read each time, no load cache.
      for (const [id, stem] of this.#stems(dir, files, CRL_FILE, '.crl')) {
        const path = join(dir, `${stem}.crl`);
        const bytes = (await readOptional(path)) as Buffer | undefined;
        if (bytes === undefined) continue;
        const der = crlFileDer(bytes, id);
        // As for certificates: Machine.open parses every CRL, so one that does not parse is
        // skipped here rather than stopping the machine.
        if (der && parseError(CRL_KIND, der) === undefined) out.push({ id, der });
        else this.#skip(path, crlFileProblem(path, bytes, id));
      }
      return out;
    });
  }

  async putCrl(ref: StoreRef, crl: StoredCrl): Promise<void> {
    const id = checkThumb(crl.id);
    await io('Writing a CRL', async () => {
      const dir = this.#storeDir(ref);
      await writeFileAtomic(join(dir, `${id}.crl`), encodePem('X509 CRL', crl.der));
      // The CRL now has its canonical name: a lower-case copy would be listed as a duplicate.
      await this.#removeVariants(dir, id, '.crl');
      this.#aliases.delete(this.#aliasKey(dir, id, '.crl'));
    });
  }

  async deleteCrl(ref: StoreRef, id: string): Promise<boolean> {
    const t = checkThumb(id);
    return io('Deleting a CRL', async () => {
      const dir = this.#storeDir(ref);
      const had = await removeFileDurable(join(dir, `${t}.crl`));
      // Other spellings of the name are the same CRL: left behind, it would come back.
      const hadVariant = await this.#removeVariants(dir, t, '.crl');
      this.#aliases.delete(this.#aliasKey(dir, t, '.crl'));
      return had || hadVariant;
    });
  }

  async listKeys(location: StoreLocation): Promise<string[]> {
    return io('Listing keys', async () =>
      (await listDir(join(this.root, segment(location), KEYS_DIR)))
        .filter((f) => f.endsWith('.key') && CONTAINER.test(f.slice(0, -4)))
        .map((f) => f.slice(0, -4))
        .sort(),
    );
  }

  /** The key file of a container, for the machine's messages. @example `adapter.describeKey('LocalMachine', 'c1')` // 'the key file /m/LocalMachine/.keys/c1.key' */
  describeKey(location: StoreLocation, container: string): string {
    return `the key file ${this.#keyPath(location, container)}`;
  }

  async getKey(location: StoreLocation, container: string): Promise<Uint8Array | undefined> {
    const path = this.#keyPath(location, container);
    return io('Reading a key', async () => {
      const text = (await readOptional(path, 'utf8')) as string | undefined;
      if (text === undefined) return undefined;
      const der = pemBytes(text, 'PRIVATE KEY');
      if (!der)
        throw new StoreError(
          'ERR_STORE_CORRUPT',
          `The key file ${path} holds no PRIVATE KEY block. Import the certificate's .pfx again to replace it, or delete the file (the certificate then has no private key).`,
        );
      // A block that decodes to something other than PKCS #8 is found by the machine's one
      // import of the key (Machine.privateKey), which names the file through describeKey.
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
