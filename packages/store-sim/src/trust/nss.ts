// NSS databases (Chromium, Firefox, curl built with NSS): `certutil -A -t "C,,"` as mkcert does.
// The database is the SQLite form (`sql:DIR`: cert9.db, key4.db), created when missing.

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Certificate } from '@certlab/pki';
import * as pki from '@certlab/pki';
import { StoreError } from '../errors.js';
import {
  checkTool,
  displayName,
  runTool,
  type TrustChange,
  type TrustedEntry,
  type TrustInstaller,
} from './installer.js';

/**
 * Options of {@link nssTrust}.
 *
 * @example
 * ```ts
 * const o: NssTrustOptions = { dbDir: join(homedir(), '.pki/nssdb'), trust: 'C,,' };
 * ```
 */
export interface NssTrustOptions {
  /** The database directory, e.g. `~/.pki/nssdb` (Chromium on Linux) or a Firefox profile. */
  readonly dbDir: string;
  /** The certutil executable (default `certutil` on PATH). */
  readonly certutil?: string;
  /** Trust flags for SSL,S/MIME,code signing (default `C,,`: a CA trusted to issue server certificates). */
  readonly trust?: string;
}

/**
 * The nickname certlab gives a root: `certlab <CN> <thumbprint>`, unique per certificate.
 *
 * @example
 * ```ts
 * nssNickname(root, await root.thumbprint()); // 'certlab Contoso Root CA C235EA7A57F6…'
 * ```
 */
export function nssNickname(root: Certificate, thumbprint: string): string {
  return `certlab ${displayName(root)} ${thumbprint}`;
}

/**
 * Parses the table `certutil -L` prints into nickname and trust flags.
 *
 * @example
 * ```ts
 * parseCertutilList(execFileSync('certutil', ['-L', '-d', 'sql:/home/u/.pki/nssdb'], { encoding: 'utf8' }));
 * // [{ nickname: 'certlab Contoso Root CA C235EA7A…', trust: 'C,,' }]
 * ```
 */
export function parseCertutilList(text: string): { nickname: string; trust: string }[] {
  const out: { nickname: string; trust: string }[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^(.*\S)\s+([A-Za-z]*,[A-Za-z]*,[A-Za-z]*)\s*$/.exec(line);
    if (!m || m[1]!.startsWith('Certificate Nickname')) continue;
    if (/^\s/.test(line)) continue; // the "SSL,S/MIME,JAR/XPI" header line
    out.push({ nickname: m[1]!, trust: m[2]! });
  }
  return out;
}

/**
 * A trust installer for an NSS database directory.
 *
 * @example
 * ```ts
 * const nss = nssTrust({ dbDir: join(homedir(), '.pki/nssdb') });
 * await nss.install(root); // certutil -A -d sql:~/.pki/nssdb -n "certlab Contoso Root CA …" -t "C,," -i root.pem
 * ```
 */
export function nssTrust(options: NssTrustOptions): TrustInstaller {
  const dir = resolve(options.dbDir);
  const db = `sql:${dir}`;
  const certutil = options.certutil ?? 'certutil';
  const flags = options.trust ?? 'C,,';
  const run = (args: string[]) => runTool('certutil', certutil, args);
  const hasDb = () => existsSync(join(dir, 'cert9.db'));

  async function ensureDb(): Promise<void> {
    if (hasDb()) return;
    await mkdir(dir, { recursive: true });
    checkTool(await run(['-N', '-d', db, '--empty-password']), `certutil -N -d ${db}`);
  }

  async function list(): Promise<TrustedEntry[]> {
    if (!hasDb()) return [];
    const r = checkTool(await run(['-L', '-d', db]), `certutil -L -d ${db}`);
    const out: TrustedEntry[] = [];
    for (const { nickname, trust } of parseCertutilList(r.stdout)) {
      let thumbprint: string | undefined;
      let subject: string | undefined;
      const raw = await run(['-L', '-d', db, '-n', nickname, '-r']);
      if (raw.status === 0 && raw.stdoutBytes.length > 0) {
        try {
          // certutil -L -n NICK -r prints every certificate of the nickname's subject back to
          // back, the nickname's own first (a re-keyed root keeps its name).
          const cert = pki.parseCertificate(pki.firstDerElement(new Uint8Array(raw.stdoutBytes)));
          thumbprint = await cert.thumbprint();
          subject = cert.subject.toWindowsString();
        } catch {
          // a certificate certlab cannot parse is still listed, by nickname
        }
      }
      out.push({ name: nickname, thumbprint, subject, trust });
    }
    return out;
  }

  async function matching(cert: Certificate): Promise<{ tp: string; names: string[] }> {
    const tp = await cert.thumbprint();
    return { tp, names: (await list()).filter((e) => e.thumbprint === tp).map((e) => e.name) };
  }

  return {
    kind: 'nss',
    target: db,
    list,
    async isInstalled(cert) {
      return (await matching(cert)).names.length > 0;
    },
    async install(root): Promise<TrustChange> {
      await ensureDb();
      const { tp, names } = await matching(root);
      const nickname = nssNickname(root, tp);
      if (names.length > 0) {
        // Present already: make sure it carries the trust flags (certutil -M changes only those).
        for (const n of names)
          checkTool(await run(['-M', '-d', db, '-n', n, '-t', flags]), `certutil -M -d ${db} -n "${n}"`);
        return { changed: false, names, thumbprint: tp };
      }
      const tmp = await mkdtemp(join(tmpdir(), 'certlab-nss-'));
      try {
        const file = join(tmp, 'root.pem');
        await writeFile(file, root.toPem());
        checkTool(
          await run(['-A', '-d', db, '-n', nickname, '-t', flags, '-i', file]),
          `certutil -A -d ${db} -n "${nickname}"`,
        );
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
      return { changed: true, names: [nickname], thumbprint: tp };
    },
    async uninstall(root): Promise<TrustChange> {
      const { tp, names } = await matching(root);
      for (const n of names) {
        const r = await run(['-D', '-d', db, '-n', n]);
        if (r.status !== 0)
          throw new StoreError('ERR_STORE_IO', `certutil -D -d ${db} -n "${n}" failed: ${r.stderr.trim()}`);
      }
      return { changed: names.length > 0, names, thumbprint: tp };
    },
  };
}
