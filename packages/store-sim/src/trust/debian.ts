// Debian/Ubuntu system trust: a PEM file in /usr/local/share/ca-certificates (the local
// administrator's directory) and `update-ca-certificates`, which links it into /etc/ssl/certs
// (hashed names for `openssl -CApath`) and appends it to ca-certificates.crt.
//
// Every path update-ca-certificates uses is redirected under `root` through its options
// (--certsconf, --certsdir, --localcertsdir, --etccertsdir, --hooksdir, all of them in Debian 12's
// script even though its --help lists only --verbose and --fresh), so with a temporary root
// nothing of the host is touched and the result is checked with `openssl verify -CApath
// <root>/etc/ssl/certs`. Removal runs `update-ca-certificates --fresh`, as Debian documents:
// without it the links of a deleted file are left behind.

import { mkdir, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Certificate } from '@certlab/pki';
import * as pki from '@certlab/pki';
import { StoreError } from '../errors.js';
import { checkTool, runTool, type TrustChange, type TrustedEntry, type TrustInstaller } from './installer.js';

/**
 * Options of {@link debianTrust}.
 *
 * @example
 * ```ts
 * const o: DebianTrustOptions = { root: '/tmp/fake-root', updateCaCertificates: '/usr/sbin/update-ca-certificates' };
 * ```
 */
export interface DebianTrustOptions {
  /** The file system root: `/` for the host (needs root privileges), or a temporary directory. Default `/`. */
  readonly root?: string;
  /** The update-ca-certificates executable (default `update-ca-certificates` on PATH). */
  readonly updateCaCertificates?: string;
}

/**
 * The file name certlab writes: `certlab-<THUMBPRINT>.crt`.
 *
 * @example
 * ```ts
 * debianFileName(await root.thumbprint()); // 'certlab-C235EA7A57F6….crt'
 * ```
 */
export function debianFileName(thumbprint: string): string {
  return `certlab-${thumbprint}.crt`;
}

/**
 * The directories of a Debian root.
 *
 * @example
 * ```ts
 * debianPaths('/tmp/fake-root').localCertsDir; // '/tmp/fake-root/usr/local/share/ca-certificates'
 * debianPaths('/tmp/fake-root').etcCertsDir;   // '/tmp/fake-root/etc/ssl/certs'
 * ```
 */
export function debianPaths(root: string) {
  return {
    localCertsDir: join(root, 'usr/local/share/ca-certificates'),
    certsDir: join(root, 'usr/share/ca-certificates'),
    certsConf: join(root, 'etc/ca-certificates.conf'),
    etcCertsDir: join(root, 'etc/ssl/certs'),
    hooksDir: join(root, 'etc/ca-certificates/update.d'),
  };
}

/**
 * A trust installer for the Debian/Ubuntu system store.
 *
 * @example
 * ```ts
 * const sys = debianTrust({ root: '/tmp/fake-root' });
 * await sys.install(root); // writes usr/local/share/ca-certificates/certlab-<TP>.crt, runs update-ca-certificates
 * // openssl verify -CApath /tmp/fake-root/etc/ssl/certs leaf.pem → OK
 * ```
 */
export function debianTrust(options: DebianTrustOptions = {}): TrustInstaller {
  const root = resolve(options.root ?? '/');
  const host = root === '/';
  const paths = debianPaths(root);
  const command = options.updateCaCertificates ?? 'update-ca-certificates';

  async function update(fresh: boolean): Promise<void> {
    if (host && process.platform !== 'linux')
      throw new StoreError(
        'ERR_STORE_UNSUPPORTED',
        `Debian system trust exists only on Linux, not on ${process.platform}.`,
      );
    if (!host) {
      // A skeleton of the directories the script expects; no hooks directory, so no hook runs.
      await mkdir(paths.certsDir, { recursive: true });
      await mkdir(paths.etcCertsDir, { recursive: true });
      await writeFile(paths.certsConf, '', { flag: 'a' });
    }
    const args = [
      ...(fresh ? ['--fresh'] : []),
      '--certsconf',
      paths.certsConf,
      '--certsdir',
      paths.certsDir,
      '--localcertsdir',
      paths.localCertsDir,
      '--etccertsdir',
      paths.etcCertsDir,
      '--hooksdir',
      paths.hooksDir,
    ];
    checkTool(await runTool('update-ca-certificates', command, args), 'update-ca-certificates');
  }

  /**
   * When no certificate is left, update-ca-certificates does not rewrite ca-certificates.crt: the
   * old bundle, still holding the removed root, stays (and, holding one certificate, it was
   * hashed by `openssl rehash`, so -CApath still finds the root through it). Empty it and drop
   * the hash links to it. Only happens when the removed root was the last certificate, in
   * practice in a temporary root.
   */
  async function dropStaleBundle(cert: Certificate): Promise<void> {
    const bundle = join(paths.etcCertsDir, 'ca-certificates.crt');
    let text: string;
    try {
      text = await readFile(bundle, 'utf8');
    } catch {
      return;
    }
    const body = (pem: string) => pem.replace(/-----[^-]+-----|\s+/g, '');
    if (!body(text).includes(body(cert.toPem()))) return;
    await writeFile(bundle, '');
    for (const name of await readdir(paths.etcCertsDir)) {
      if (!/^[0-9a-f]{8}\.[0-9]+$/.test(name)) continue;
      const link = join(paths.etcCertsDir, name);
      const to = await readlink(link).catch(() => undefined);
      if (to === 'ca-certificates.crt' || to === bundle) await rm(link, { force: true });
    }
  }

  async function list(): Promise<TrustedEntry[]> {
    let names: string[];
    try {
      names = (await readdir(paths.localCertsDir, { recursive: true })).filter((n) => n.endsWith('.crt'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new StoreError('ERR_STORE_IO', `Cannot read ${paths.localCertsDir}: ${(e as Error).message}`, {
        cause: e,
      });
    }
    const out: TrustedEntry[] = [];
    for (const name of names.sort()) {
      let thumbprint: string | undefined;
      let subject: string | undefined;
      try {
        const cert = pki.readCertificates(await readFile(join(paths.localCertsDir, name)))[0];
        if (cert) {
          thumbprint = await cert.thumbprint();
          subject = cert.subject.toWindowsString();
        }
      } catch {
        // listed by file name only
      }
      out.push({ name, thumbprint, subject });
    }
    return out;
  }

  async function matching(cert: Certificate): Promise<{ tp: string; names: string[] }> {
    const tp = await cert.thumbprint();
    return { tp, names: (await list()).filter((e) => e.thumbprint === tp).map((e) => e.name) };
  }

  return {
    kind: 'debian',
    target: root,
    list,
    async isInstalled(cert) {
      return (await matching(cert)).names.length > 0;
    },
    async install(cert): Promise<TrustChange> {
      const { tp, names } = await matching(cert);
      if (names.length > 0) {
        await update(false);
        return { changed: false, names, thumbprint: tp };
      }
      const name = debianFileName(tp);
      await mkdir(paths.localCertsDir, { recursive: true });
      // update-ca-certificates takes only PEM files named *.crt.
      await writeFile(join(paths.localCertsDir, name), cert.toPem(), { mode: 0o644 });
      await update(false);
      return { changed: true, names: [name], thumbprint: tp };
    },
    async uninstall(cert): Promise<TrustChange> {
      const { tp, names } = await matching(cert);
      for (const n of names) await rm(join(paths.localCertsDir, n), { force: true });
      if (names.length > 0) {
        await update(true);
        await dropStaleBundle(cert);
      }
      return { changed: names.length > 0, names, thumbprint: tp };
    },
  };
}
