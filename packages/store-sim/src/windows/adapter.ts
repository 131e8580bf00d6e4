// The Windows store adapter: the StoreAdapter contract over PowerShell's Cert: drive and the PKI
// module (Import-Certificate, Import-PfxCertificate, Export-Certificate), run as
// `powershell.exe -NoProfile -NonInteractive -Command <script>`. Scripts use single-quoted
// literals only (no double quotes, which Windows PowerShell's command-line parsing mangles), and
// secrets travel in environment variables, never on the command line.

import { createHash, randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPkcs12, importPrivateKey, parseCertificate } from '@certlab/pki';
import type {
  LocationContents,
  LocationListing,
  StoreAdapter,
  StoredCertificate,
  StoredCrl,
  StoreRef,
} from '../adapter.js';
import { StoreError } from '../errors.js';
import type { StoreLocation } from '../locations.js';
import { keyContainerName } from '../machine.js';
import type { CertificateProperties } from '../properties.js';
import { normalizeThumbprint } from '../thumbprint.js';
import type { CommandRunner, RunResult } from './runner.js';

/**
 * The environment variable carrying a PFX password to Import-PfxCertificate.
 *
 * @example
 * ```ts
 * await runner.run('powershell.exe', args, { env: { [PFX_PASSWORD_ENV]: 'S3cret!' } }); // $env:CERTLAB_PFX_PASSWORD
 * ```
 */
export const PFX_PASSWORD_ENV = 'CERTLAB_PFX_PASSWORD';

/**
 * Prepended to every script: stop at the first error (non-zero exit), UTF-8 output.
 *
 * @example
 * ```ts
 * const script = PS_PRELUDE + windowsScripts.listStores('LocalMachine');
 * // "$ErrorActionPreference = 'Stop'; [Console]::OutputEncoding = [System.Text.Encoding]::UTF8; ConvertTo-Json …"
 * ```
 */
export const PS_PRELUDE =
  "$ErrorActionPreference = 'Stop'; [Console]::OutputEncoding = [System.Text.Encoding]::UTF8; ";

/**
 * A PowerShell single-quoted string literal: no expansion of `$` or backticks; a quote is
 * escaped by doubling it. PowerShell also takes the typographic quotes U+2018–U+201B as single
 * quotes, so those are doubled too. NUL cannot be passed on a command line and is refused.
 *
 * @example
 * ```ts
 * psQuote("O'Brien $HOME"); // "'O''Brien $HOME'"
 * ```
 */
export function psQuote(text: string): string {
  if (text.includes('\0'))
    throw new StoreError('ERR_STORE_UNSUPPORTED', 'A PowerShell argument cannot contain NUL.');
  return `'${text.replace(/['\u2018\u2019\u201A\u201B]/g, '$&$&')}'`;
}

/**
 * The export formats of Export-Certificate.
 *
 * @example
 * ```ts
 * const type: WindowsExportType = 'SST';
 * ```
 */
export type WindowsExportType = 'CERT' | 'P7B' | 'SST';

/**
 * Options of {@link windowsStoreAdapter}.
 *
 * @example
 * ```ts
 * const o: WindowsStoreAdapterOptions = { runner: nodeRunner(), powershell: 'pwsh', tempDir: 'C:\\Temp' };
 * ```
 */
export interface WindowsStoreAdapterOptions {
  readonly runner: CommandRunner;
  /** Where certificate and PFX files are staged for the cmdlets (default `os.tmpdir()`). */
  readonly tempDir?: string;
  /** The PowerShell executable (default `powershell.exe`; `pwsh` works too). */
  readonly powershell?: string;
}

/**
 * A certificate as `Get-ChildItem Cert:\…` lists it.
 *
 * @example
 * ```ts
 * const [row]: WindowsCertificateListing[] = await win.listWindows({ location: 'LocalMachine', store: 'My' });
 * // { thumbprint: '43DF45C8…', subject: 'CN=ex01.contoso.com, O=Contoso, C=FR', hasPrivateKey: true, … }
 * ```
 */
export interface WindowsCertificateListing {
  readonly thumbprint: string;
  readonly subject: string;
  readonly friendlyName: string;
  readonly hasPrivateKey: boolean;
  readonly archived: boolean;
  readonly der: Uint8Array;
}

/**
 * The Windows adapter: the StoreAdapter contract plus what only Windows does.
 *
 * @example
 * ```ts
 * const win: WindowsStoreAdapter = windowsStoreAdapter({ runner: nodeRunner() });
 * const sst = await win.exportCertificate({ location: 'LocalMachine', store: 'Root' }, thumbprint, 'SST');
 * ```
 */
export interface WindowsStoreAdapter extends StoreAdapter {
  /** The raw listing of a store, with HasPrivateKey as Windows reports it. */
  listWindows(ref: StoreRef): Promise<WindowsCertificateListing[]>;
  /** Import-PfxCertificate; resolves the thumbprints Windows imported. */
  importPfx(
    ref: StoreRef,
    pfx: Uint8Array,
    password: string,
    options?: { exportable?: boolean },
  ): Promise<string[]>;
  /** Export-Certificate: `CERT` (DER), `P7B` or `SST`. ERR_STORE_NOT_FOUND when absent. */
  exportCertificate(ref: StoreRef, thumbprint: string, type?: WindowsExportType): Promise<Uint8Array>;
}

/** The `Cert:` drive path of a location: only CurrentUser and LocalMachine exist there. */
function locationPath(location: StoreLocation): string {
  if (location !== 'CurrentUser' && location !== 'LocalMachine')
    throw new StoreError(
      'ERR_STORE_UNSUPPORTED',
      `PowerShell's Cert: drive has only CurrentUser and LocalMachine, not ${location}.`,
    );
  return `Cert:\\${location}`;
}

/**
 * The `Cert:` drive path of a store: `Cert:\LocalMachine\Root`. Other locations are
 * ERR_STORE_UNSUPPORTED, names the drive cannot address ERR_STORE_NAME_INVALID.
 *
 * @example
 * ```ts
 * certDrivePath({ location: 'CurrentUser', store: 'My' }); // 'Cert:\CurrentUser\My'
 * ```
 */
export function certDrivePath(ref: StoreRef): string {
  const base = locationPath(ref.location);
  if (!/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/.test(ref.store))
    throw new StoreError(
      'ERR_STORE_NAME_INVALID',
      `"${ref.store}" is not a store name the Cert: drive can address.`,
    );
  return `${base}\\${ref.store}`;
}

const LIST_PROPERTIES =
  "Thumbprint,Subject,FriendlyName,HasPrivateKey,Archived,@{Name='RawData';Expression={[Convert]::ToBase64String($_.RawData)}}";

/**
 * The scripts the adapter runs (without {@link PS_PRELUDE}), exported for tests and docs.
 *
 * @example
 * ```ts
 * windowsScripts.setArchived({ location: 'LocalMachine', store: 'My' }, '43DF45C8…');
 * // "(Get-Item -Path 'Cert:\LocalMachine\My\43DF45C8…').Archived = $true"
 * ```
 */
export const windowsScripts = {
  listStores: (location: StoreLocation): string =>
    `ConvertTo-Json -Compress -InputObject @(Get-ChildItem -Path ${psQuote(locationPath(location))} | Where-Object { @(Get-ChildItem -Path $_.PSPath).Count -gt 0 } | Select-Object -ExpandProperty Name)`,
  /** Every certificate of every store of a location, each with its store's name (`Store`). */
  listLocation: (location: StoreLocation): string =>
    `ConvertTo-Json -Compress -InputObject @(Get-ChildItem -Path ${psQuote(locationPath(location))} | ForEach-Object { $store = $_.Name; Get-ChildItem -Path $_.PSPath | Select-Object -Property @{Name='Store';Expression={$store}},${LIST_PROPERTIES} })`,
  list: (ref: StoreRef): string =>
    `ConvertTo-Json -Compress -InputObject @(Get-ChildItem -Path ${psQuote(certDrivePath(ref))} | Select-Object -Property ${LIST_PROPERTIES})`,
  importCertificate: (ref: StoreRef, file: string): string =>
    `$null = Import-Certificate -FilePath ${psQuote(file)} -CertStoreLocation ${psQuote(certDrivePath(ref))}`,
  importPfx: (ref: StoreRef, file: string, exportable: boolean): string =>
    `ConvertTo-Json -Compress -InputObject @(Import-PfxCertificate -FilePath ${psQuote(file)} -CertStoreLocation ${psQuote(certDrivePath(ref))}${exportable ? ' -Exportable' : ''} -Password (ConvertTo-SecureString -String $env:${PFX_PASSWORD_ENV} -AsPlainText -Force) | Select-Object -ExpandProperty Thumbprint)`,
  setFriendlyName: (ref: StoreRef, thumbprint: string, name: string): string =>
    `(Get-Item -Path ${psQuote(`${certDrivePath(ref)}\\${thumbprint}`)}).FriendlyName = ${psQuote(name)}`,
  setArchived: (ref: StoreRef, thumbprint: string): string =>
    `(Get-Item -Path ${psQuote(`${certDrivePath(ref)}\\${thumbprint}`)}).Archived = $true`,
  remove: (ref: StoreRef, thumbprint: string, deleteKey = false): string => {
    const p = psQuote(`${certDrivePath(ref)}\\${thumbprint}`);
    return `if (Test-Path -Path ${p}) { Remove-Item -Path ${p}${deleteKey ? ' -DeleteKey' : ''}; $true } else { $false }`;
  },
  exportCertificate: (ref: StoreRef, thumbprint: string, file: string, type: WindowsExportType): string =>
    `$null = Export-Certificate -Cert (Get-Item -Path ${psQuote(`${certDrivePath(ref)}\\${thumbprint}`)}) -FilePath ${psQuote(file)} -Type ${type} -Force`,
};

const EXTENSIONS: Record<WindowsExportType, string> = { CERT: 'cer', P7B: 'p7b', SST: 'sst' };

function unsupported(what: string): StoreError {
  return new StoreError('ERR_STORE_UNSUPPORTED', `The Windows adapter cannot ${what}.`);
}

function isNotFound(r: RunResult): boolean {
  return /Cannot find path|does not exist|ItemNotFoundException|CRYPT_E_NOT_FOUND|0x80092004/i.test(r.stderr);
}

/** Parses ConvertTo-Json output that should be an array (an empty answer or a lone object is tolerated). */
function jsonArray(stdout: string, what: string): unknown[] {
  const text = stdout.replace(/^\uFEFF/, '').trim();
  if (text === '') return [];
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new StoreError('ERR_STORE_CORRUPT', `${what}: PowerShell did not answer JSON.`, { cause: e });
  }
  // Windows PowerShell 5.1 can wrap arrays as { value: [...], Count: n }.
  if (
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    Array.isArray((v as { value?: unknown }).value)
  )
    v = (v as { value: unknown[] }).value;
  return Array.isArray(v) ? v : v === null ? [] : [v];
}

/** One entry of a listing (`Select-Object -Property` of LIST_PROPERTIES). */
function listingEntry(item: unknown, what: string): WindowsCertificateListing {
  const o = (item ?? {}) as Record<string, unknown>;
  if (typeof o.Thumbprint !== 'string' || typeof o.RawData !== 'string')
    throw new StoreError('ERR_STORE_CORRUPT', `${what}: an entry lacks Thumbprint or RawData.`);
  return {
    thumbprint: normalizeThumbprint(o.Thumbprint),
    subject: typeof o.Subject === 'string' ? o.Subject : '',
    friendlyName: typeof o.FriendlyName === 'string' ? o.FriendlyName : '',
    hasPrivateKey: o.HasPrivateKey === true,
    archived: o.Archived === true,
    der: new Uint8Array(Buffer.from(o.RawData, 'base64')),
  };
}

function parseListing(stdout: string, what: string): WindowsCertificateListing[] {
  return jsonArray(stdout, what).map((item) => listingEntry(item, what));
}

/**
 * The key container certlab names for a listed certificate with a private key, or undefined when
 * certlab cannot read the certificate: the entry is still listed (the machine then skips it with
 * a warning, Machine.skipped) instead of failing the whole listing.
 */
function containerOf(l: WindowsCertificateListing): string | undefined {
  try {
    return keyContainerName(parseCertificate(l.der));
  } catch {
    return undefined;
  }
}

/** A listLocation answer: the entries of parseListing, grouped by their `Store`. */
function parseLocationListing(stdout: string, what: string): LocationListing[] {
  const byStore = new Map<string, StoredCertificate[]>();
  for (const item of jsonArray(stdout, what)) {
    const store = (item as { Store?: unknown } | null)?.Store;
    if (typeof store !== 'string' || store === '')
      throw new StoreError('ERR_STORE_CORRUPT', `${what}: an entry lacks its Store.`);
    let certs = byStore.get(store);
    if (!certs) {
      certs = [];
      byStore.set(store, certs);
    }
    certs.push(toStored(listingEntry(item, what)));
  }
  return [...byStore].map(([store, certificates]) => ({ store, certificates }));
}

function toStored(l: WindowsCertificateListing): StoredCertificate {
  const properties: CertificateProperties = {};
  if (l.friendlyName !== '') properties.friendlyName = l.friendlyName;
  if (l.archived) properties.archived = true;
  if (l.hasPrivateKey) {
    const container = containerOf(l);
    if (container) properties.keyContainer = container;
  }
  return { thumbprint: l.thumbprint, der: l.der, properties };
}

/**
 * A StoreAdapter over the real Windows stores, through PowerShell. CRLs and private keys on
 * their own are ERR_STORE_UNSUPPORTED: a key reaches Windows with its certificate (putKey stages
 * it, the putCertificate that links it imports both as a PFX); Windows never hands key material
 * back through this adapter.
 *
 * @example
 * ```ts
 * const win = windowsStoreAdapter({ runner: nodeRunner() });
 * await win.putCertificate({ location: 'LocalMachine', store: 'Root' }, { thumbprint, der, properties: {} });
 * // powershell.exe -NoProfile -NonInteractive -Command "…Import-Certificate -FilePath '…' -CertStoreLocation 'Cert:\LocalMachine\Root'"
 * ```
 */
export function windowsStoreAdapter(options: WindowsStoreAdapterOptions): WindowsStoreAdapter {
  const { runner } = options;
  const exe = options.powershell ?? 'powershell.exe';
  const tempDir = options.tempDir ?? tmpdir();
  /** Keys given to putKey, waiting for their certificate: `location/container` → PKCS #8. */
  const staged = new Map<string, Uint8Array>();

  async function ps(script: string, what: string, env?: Record<string, string>): Promise<RunResult> {
    const r = await runner.run(
      exe,
      ['-NoProfile', '-NonInteractive', '-Command', PS_PRELUDE + script],
      env ? { env } : {},
    );
    if (r.exitCode !== 0 && isNotFound(r))
      throw new StoreError('ERR_STORE_NOT_FOUND', `${what}: ${firstLine(r.stderr)}`);
    // ERROR_CANCELLED: the Security Warning for a root going into a user's Root store was
    // declined, or there was no desktop to show it on (reference §7).
    if (r.exitCode !== 0 && /0x800704C7|ERROR_CANCELLED|cancell?ed by the user/i.test(r.stderr))
      throw new StoreError(
        'ERR_STORE_CANCELLED',
        `${what} was cancelled (${firstLine(r.stderr)}). Windows asks before it adds a root certificate to a user's Root store (Security Warning): answer Yes in an interactive session, or add the root to LocalMachine\\Root from an elevated PowerShell, which asks nothing.`,
      );
    if (r.exitCode !== 0) {
      const hint = /Access is denied|UnauthorizedAccess/i.test(r.stderr)
        ? ' (LocalMachine stores need an elevated PowerShell)'
        : '';
      throw new StoreError(
        'ERR_STORE_IO',
        `${what} failed (exit ${r.exitCode})${hint}: ${firstLine(r.stderr || r.stdout)}`,
      );
    }
    return r;
  }

  async function withFile<T>(
    name: string,
    bytes: Uint8Array | undefined,
    fn: (path: string) => Promise<T>,
  ): Promise<T> {
    const path = join(tempDir, name);
    try {
      if (bytes) await writeFile(path, bytes, { mode: 0o600 });
      return await fn(path);
    } finally {
      await rm(path, { force: true });
    }
  }

  async function listWindows(ref: StoreRef): Promise<WindowsCertificateListing[]> {
    const what = `Listing ${certDrivePath(ref)}`;
    try {
      return parseListing((await ps(windowsScripts.list(ref), what)).stdout, what);
    } catch (e) {
      if (e instanceof StoreError && e.code === 'ERR_STORE_NOT_FOUND') return []; // a store that was never created
      throw e;
    }
  }

  async function importPfx(
    ref: StoreRef,
    pfx: Uint8Array,
    password: string,
    opts: { exportable?: boolean } = {},
  ) {
    const id = createHash('sha1').update(pfx).digest('hex').slice(0, 16);
    return withFile(`certlab-import-${id}.pfx`, pfx, async (file) => {
      const what = `Import-PfxCertificate into ${certDrivePath(ref)}`;
      const r = await ps(windowsScripts.importPfx(ref, file, opts.exportable === true), what, {
        [PFX_PASSWORD_ENV]: password,
      });
      return jsonArray(r.stdout, what).map((t) => normalizeThumbprint(String(t)));
    });
  }

  async function setProperties(ref: StoreRef, thumbprint: string, p: CertificateProperties): Promise<void> {
    if (p.friendlyName)
      await ps(windowsScripts.setFriendlyName(ref, thumbprint, p.friendlyName), 'Setting FriendlyName');
    if (p.archived) await ps(windowsScripts.setArchived(ref, thumbprint), 'Archiving');
  }

  /** Remove-Item of a certificate (with -DeleteKey, its private key too); false when it was not there. */
  async function remove(ref: StoreRef, thumbprint: string, deleteKey: boolean): Promise<boolean> {
    const tp = normalizeThumbprint(thumbprint);
    const r = await ps(
      windowsScripts.remove(ref, tp, deleteKey),
      `Remove-Item ${certDrivePath(ref)}\\${tp}${deleteKey ? ' -DeleteKey' : ''}`,
    );
    return r.stdout.trim().split(/\r?\n/).pop()?.trim() === 'True';
  }

  /**
   * The location in one PowerShell run: its stores with their certificates, and the key
   * containers. A key is wherever Windows has its certificate: My, and also WebHosting (IIS),
   * Remote Desktop and any other store of the location; keys staged by putKey for a certificate
   * not imported yet are listed too.
   */
  async function listLocation(location: StoreLocation): Promise<LocationContents> {
    const what = `Listing the stores of Cert:\\${location}`;
    const stores = parseLocationListing((await ps(windowsScripts.listLocation(location), what)).stdout, what);
    const keys = new Set<string>();
    for (const l of stores)
      for (const c of l.certificates) if (c.properties.keyContainer) keys.add(c.properties.keyContainer);
    for (const k of staged.keys()) if (k.startsWith(`${location}/`)) keys.add(k.slice(location.length + 1));
    return { stores, keys: [...keys] };
  }

  async function listKeys(location: StoreLocation): Promise<string[]> {
    return (await listLocation(location)).keys;
  }

  return {
    name: 'windows',
    listKeys,
    listWindows,
    importPfx,

    listLocation,
    async listStores(location) {
      const what = `Listing Cert:\\${location}`;
      return jsonArray((await ps(windowsScripts.listStores(location), what)).stdout, what).map(String);
    },
    async listCertificates(ref) {
      return (await listWindows(ref)).map(toStored);
    },
    async getCertificate(ref, thumbprint) {
      const tp = normalizeThumbprint(thumbprint);
      const hit = (await listWindows(ref)).find((l) => l.thumbprint === tp);
      return hit ? toStored(hit) : undefined;
    },
    async putCertificate(ref, cert) {
      certDrivePath(ref);
      const tp = normalizeThumbprint(cert.thumbprint);
      const container = cert.properties.keyContainer;
      const key = container === undefined ? undefined : staged.get(`${ref.location}/${container}`);
      if (key && container !== undefined) {
        // The key and its certificate go in together, as a PFX with a one-time password.
        const password = randomBytes(24).toString('base64url');
        const pfx = await createPkcs12({
          key: await importPrivateKey(key),
          certificate: parseCertificate(cert.der),
          password,
          ...(cert.properties.friendlyName ? { friendlyName: cert.properties.friendlyName } : {}),
        });
        await withFile(`certlab-${tp}.pfx`, pfx, async (file) => {
          await ps(
            windowsScripts.importPfx(ref, file, cert.properties.keyExportable === true),
            'Import-PfxCertificate',
            {
              [PFX_PASSWORD_ENV]: password,
            },
          );
        });
        staged.delete(`${ref.location}/${container}`);
      } else {
        await withFile(`certlab-${tp}.cer`, cert.der, async (file) => {
          await ps(
            windowsScripts.importCertificate(ref, file),
            `Import-Certificate into ${certDrivePath(ref)}`,
          );
        });
      }
      await setProperties(ref, tp, cert.properties);
    },
    async deleteCertificate(ref, thumbprint) {
      return remove(ref, thumbprint, false);
    },
    async deleteCertificateAndKey(ref, thumbprint) {
      return remove(ref, thumbprint, true);
    },
    async exportCertificate(ref, thumbprint, type = 'CERT') {
      const tp = normalizeThumbprint(thumbprint);
      return withFile(`certlab-${tp}.${EXTENSIONS[type]}`, undefined, async (file) => {
        await ps(
          windowsScripts.exportCertificate(ref, tp, file, type),
          `Export-Certificate ${certDrivePath(ref)}\\${tp}`,
        );
        try {
          return new Uint8Array(await readFile(file));
        } catch (e) {
          throw new StoreError('ERR_STORE_IO', `Export-Certificate reported success but wrote no ${file}.`, {
            cause: e,
          });
        }
      });
    },

    async listCrls(_ref): Promise<StoredCrl[]> {
      throw unsupported('list CRLs (the Cert: drive shows certificates only)');
    },
    async putCrl() {
      throw unsupported('add CRLs (use certutil -addstore on Windows)');
    },
    async deleteCrl() {
      throw unsupported('delete CRLs');
    },
    async getKey(location, container) {
      const pending = staged.get(`${location}/${container}`);
      if (pending) return pending;
      if (!(await listKeys(location)).includes(container)) return undefined;
      throw unsupported(
        'read private key material from Windows (export a PFX with Export-PfxCertificate if the key is exportable)',
      );
    },
    async putKey(location, container, pkcs8) {
      certDrivePath({ location, store: 'My' });
      staged.set(`${location}/${container}`, pkcs8);
    },
    async deleteKey(location, container) {
      if (staged.delete(`${location}/${container}`)) return true;
      if (!(await listKeys(location)).includes(container)) return false;
      throw unsupported(
        'delete a key on its own (remove its certificate with deleteKey: Remove-Item -DeleteKey deletes both)',
      );
    },
  };
}

function firstLine(text: string): string {
  return text.trim().split(/\r?\n/)[0] ?? '';
}
