// The one contract of the trust installers: put a root CA certificate into a real host trust
// store (NSS database, Debian system trust, Java keystore), take it out, list what is there.
// The installers drive the platform's own tools (certutil, update-ca-certificates, keytool),
// the way mkcert does, and report every failure as a StoreError with a stable code.

import { execFile } from 'node:child_process';
import type { Certificate } from '@certlab/pki';
import { StoreError } from '../errors.js';

/**
 * One certificate found in a trust store.
 *
 * @example
 * ```ts
 * const [entry]: TrustedEntry[] = await nss.list();
 * // { name: 'certlab Contoso Root CA C235EA7A…', thumbprint: 'C235EA7A…', subject: 'CN=Contoso Root CA, O=Contoso, C=FR', trust: 'C,,' }
 * ```
 */
export interface TrustedEntry {
  /** How the store names it: the NSS nickname, the Java alias, the Debian file name. */
  readonly name: string;
  /** SHA-1 thumbprint, uppercase hex (Windows style), when the certificate could be read. */
  readonly thumbprint: string | undefined;
  /** Subject in Windows form, when the certificate could be read. */
  readonly subject: string | undefined;
  /** The store's trust flags where it has them (NSS: `C,,`). */
  readonly trust?: string;
}

/**
 * What {@link TrustInstaller.install} and {@link TrustInstaller.uninstall} did.
 *
 * @example
 * ```ts
 * const change: TrustChange = await nss.install(root);
 * // { changed: true, names: ['certlab Contoso Root CA C235EA7A…'], thumbprint: 'C235EA7A…' }
 * ```
 */
export interface TrustChange {
  /** False when there was nothing to do (already installed, or not installed). */
  readonly changed: boolean;
  /** Names of the entries added or removed. */
  readonly names: readonly string[];
  readonly thumbprint: string;
}

/**
 * A real trust store that a root CA certificate can be installed into.
 *
 * @example
 * ```ts
 * const nss = nssTrust({ dbDir: `${homedir()}/.pki/nssdb` });
 * await nss.install(root);           // certutil -A -t "C,,"
 * await nss.isInstalled(root);       // true
 * await nss.uninstall(root);
 * ```
 */
export interface TrustInstaller {
  /** `nss`, `debian` or `java`. */
  readonly kind: 'nss' | 'debian' | 'java';
  /** Where it writes, for messages: `sql:/home/u/.pki/nssdb`, `/`, `/tmp/ks.p12`. */
  readonly target: string;
  /** Adds `root` as a trusted CA. Installing twice is not an error (`changed: false`). */
  install(root: Certificate): Promise<TrustChange>;
  /** Removes every entry holding `root`. Removing a root that is not there is not an error. */
  uninstall(root: Certificate): Promise<TrustChange>;
  /** Every certificate of the store (or, for Debian, of the local administrator's directory). */
  list(): Promise<TrustedEntry[]>;
  /** True when an entry of {@link list} has the thumbprint of `root`. */
  isInstalled(root: Certificate): Promise<boolean>;
}

/**
 * The Debian package providing each tool, named in ERR_STORE_TOOL_MISSING.
 *
 * @example
 * ```ts
 * TOOL_PACKAGES.certutil; // 'libnss3-tools'
 * ```
 */
export const TOOL_PACKAGES: Readonly<Record<string, string>> = {
  certutil: 'libnss3-tools',
  'update-ca-certificates': 'ca-certificates',
  keytool: 'default-jre-headless',
  openssl: 'openssl',
};

/** Output of one tool run. */
export interface ToolResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly stdoutBytes: Buffer;
}

/**
 * Runs `command args…` without a shell. A missing executable is ERR_STORE_TOOL_MISSING naming
 * the Debian package of `tool`; a non-zero exit is returned, not thrown.
 */
export function runTool(
  tool: string,
  command: string,
  args: readonly string[],
  options: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args,
      { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, env: options.env ?? process.env },
      (error, stdout, stderr) => {
        const err = error as (NodeJS.ErrnoException & { code?: unknown }) | null;
        if (err && err.code === 'ENOENT') {
          const pkg = TOOL_PACKAGES[tool] ?? tool;
          reject(
            new StoreError(
              'ERR_STORE_TOOL_MISSING',
              `${tool} is not installed (${command} was not found): install the Debian package ${pkg} (apt-get install ${pkg}).`,
              { cause: error },
            ),
          );
          return;
        }
        if (err && typeof err.code !== 'number') {
          reject(new StoreError('ERR_STORE_IO', `Cannot run ${command}: ${err.message}`, { cause: error }));
          return;
        }
        resolve({
          status: err ? (err.code as unknown as number) : 0,
          stdout: stdout.toString('utf8'),
          stderr: stderr.toString('utf8'),
          stdoutBytes: stdout,
        });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/** Throws ERR_STORE_IO with the tool's own words when `r` is a failure. */
export function checkTool(r: ToolResult, what: string): ToolResult {
  if (r.status !== 0) {
    const detail = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join(' ');
    throw new StoreError('ERR_STORE_IO', `${what} failed (exit ${r.status}): ${detail}`);
  }
  return r;
}

/** The first common name of a subject, else the whole subject, for human-readable names. */
export function displayName(cert: Certificate): string {
  return cert.subject.commonName ?? (cert.subject.toWindowsString() || 'root');
}
