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
//
// What counts is what update-ca-certificates takes: every PEM certificate of every *.crt file
// (it appends the files to ca-certificates.crt as they are). A DER file is not PEM, so it is not
// trusted, whatever its name: it is listed without a thumbprint and never counts as installed.

import { mkdir, readdir, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Certificate } from '@certlab/pki';
import { writeFileAtomic } from '../adapters/atomic-file.js';
import { StoreError } from '../errors.js';
import { checkTool, runTool, type TrustChange, type TrustedEntry, type TrustInstaller } from './installer.js';
import { type CertificateBlock, certificateBlocks } from './pem-blocks.js';

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

  /** A file system failure as ERR_STORE_IO, saying what the user can do about it. */
  function fsError(e: unknown, action: string, path: string): StoreError {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    const hint = host
      ? 'the system trust needs root privileges: run it with sudo, or give --root DIR to work under another directory'
      : `give --root a directory you can write to (${root})`;
    return new StoreError('ERR_STORE_IO', `Cannot ${action} ${path} (${code}): ${hint}.`, { cause: e });
  }
  async function fsDo<T>(action: string, path: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw fsError(e, action, path);
    }
  }

  async function update(fresh: boolean): Promise<void> {
    if (host && process.platform !== 'linux')
      throw new StoreError(
        'ERR_STORE_UNSUPPORTED',
        `Debian system trust exists only on Linux, not on ${process.platform}.`,
      );
    if (!host) {
      // A skeleton of the directories the script expects; no hooks directory, so no hook runs.
      await fsDo('create', paths.certsDir, () => mkdir(paths.certsDir, { recursive: true }));
      await fsDo('create', paths.etcCertsDir, () => mkdir(paths.etcCertsDir, { recursive: true }));
      await fsDo('create', paths.certsConf, () => writeFile(paths.certsConf, '', { flag: 'a' }));
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

  /** Every *.crt file with its bytes (latin1: one character per byte) and PEM certificates. */
  async function files(): Promise<{ name: string; text: string; blocks: CertificateBlock[] }[]> {
    let names: string[];
    try {
      names = (await readdir(paths.localCertsDir, { recursive: true })).filter((n) => n.endsWith('.crt'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw fsError(e, 'read', paths.localCertsDir);
    }
    const out: { name: string; text: string; blocks: CertificateBlock[] }[] = [];
    for (const name of names.sort()) {
      let text: string;
      try {
        text = await readFile(join(paths.localCertsDir, name), 'latin1');
      } catch {
        continue; // a directory named *.crt, or gone meanwhile: update-ca-certificates skips it too
      }
      out.push({ name, text, blocks: await certificateBlocks(text) });
    }
    return out;
  }

  async function list(): Promise<TrustedEntry[]> {
    const out: TrustedEntry[] = [];
    for (const { name, blocks } of await files()) {
      // No PEM certificate (DER, or unreadable): listed by name, not trusted.
      if (blocks.length === 0) out.push({ name, thumbprint: undefined, subject: undefined });
      for (const b of blocks) out.push({ name, thumbprint: b.thumbprint, subject: b.subject });
    }
    return out;
  }

  async function matching(cert: Certificate): Promise<{ tp: string; names: string[] }> {
    const tp = await cert.thumbprint();
    return { tp, names: (await list()).filter((e) => e.thumbprint === tp).map((e) => e.name) };
  }

  /** Writes `text` (latin1) to `path` atomically, keeping its mode. */
  async function replaceFile(path: string, text: string): Promise<void> {
    await writeFileAtomic(path, Buffer.from(text, 'latin1'), (await stat(path)).mode & 0o7777);
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
      const file = join(paths.localCertsDir, name);
      await fsDo('create', paths.localCertsDir, () => mkdir(paths.localCertsDir, { recursive: true }));
      // update-ca-certificates takes only PEM files named *.crt.
      await fsDo('write', file, () => writeFile(file, cert.toPem(), { mode: 0o644 }));
      try {
        await update(false);
      } catch (e) {
        // No half install: a file update-ca-certificates did not take in would be trusted by
        // its next run, long after this error was reported.
        await rm(file, { force: true });
        throw e;
      }
      return { changed: true, names: [name], thumbprint: tp };
    },
    async uninstall(cert): Promise<TrustChange> {
      const tp = await cert.thumbprint();
      const names: string[] = [];
      const before = new Map<string, string>(); // path → its text, to put back if the update fails
      for (const { name, text, blocks } of await files()) {
        const mine = blocks.filter((b) => b.thumbprint === tp);
        if (mine.length === 0) continue;
        const path = join(paths.localCertsDir, name);
        before.set(path, text);
        names.push(name);
        // A bundle keeps its other certificates, byte for byte: only the blocks of this root go.
        let rest = '';
        let at = 0;
        for (const b of mine) {
          rest += text.slice(at, b.start);
          at = b.end;
        }
        rest += text.slice(at);
        if (blocks.length === mine.length) await fsDo('delete', path, () => rm(path, { force: true }));
        else await fsDo('rewrite', path, () => replaceFile(path, rest));
      }
      if (names.length > 0) {
        try {
          await update(true);
        } catch (e) {
          for (const [path, text] of before)
            await writeFile(path, text, { encoding: 'latin1', mode: 0o644 }).catch(() => undefined);
          throw e;
        }
        await dropStaleBundle(cert);
      }
      return { changed: names.length > 0, names, thumbprint: tp };
    },
  };
}
