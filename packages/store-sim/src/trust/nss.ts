// NSS databases (Chromium, Firefox, curl built with NSS): `certutil -A -t "C,,"` as mkcert does.
// The database is the SQLite form (`sql:DIR`: cert9.db, key4.db), created when missing.
//
// A nickname is not a key: NSS gives one nickname to several certificates (a renewed CA with the
// subject of the old one), and `certutil -L -n NICK -a` prints every certificate of the
// nickname's subject, whatever their nicknames, the one the nickname finds first. `certutil -D`
// and `-M` act on that first one only. So entries are matched by thumbprint, and to act on a
// certificate that shares its nickname, certlab moves the others aside first with
// `certutil --rename` (which also acts on the first one only, and keeps the trust flags), then
// gives them their nickname back.

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Certificate } from '@certlab/pki';
import { StoreError } from '../errors.js';
import {
  checkTool,
  displayName,
  runTool,
  type TrustChange,
  type TrustedEntry,
  type TrustInstaller,
} from './installer.js';
import { certificateBlocks } from './pem-blocks.js';

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
 * Reads the per-certificate trust flags of `certutil -L -n NICK` (the verbose form, one block per
 * certificate of the nickname's subject) as SHA-1 thumbprint → flags in the `-L` table's letters.
 * The table gives one line per certificate but cannot say which line is which certificate when
 * several share a nickname; this can.
 *
 * @example
 * ```ts
 * parseCertutilTrust(execFileSync('certutil', ['-L', '-d', 'sql:db', '-n', 'Shared Nick'], { encoding: 'utf8' }));
 * // Map { '6E1877A3…' => 'CT,C,C', '50715290…' => 'C,,' }
 * ```
 */
export function parseCertutilTrust(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const block of text.split(/^Certificate:[ \t]*$/m).slice(1)) {
    const fp = /Fingerprint \(SHA1\):\s*([0-9A-Fa-f:]+)/.exec(block);
    if (!fp) continue;
    const sections: string[][] = [];
    let inTrust = false;
    for (const line of block.split(/\r?\n/)) {
      const t = line.trim();
      if (t === 'Certificate Trust Flags:') inTrust = true;
      else if (!inTrust) continue;
      else if (/^(SSL|Email|Object Signing) Flags:$/.test(t)) sections.push([]);
      else if (t === '') {
        if (sections.length === 3) break;
      } else sections.at(-1)?.push(t);
    }
    if (sections.length !== 3) continue;
    out.set(fp[1]!.replace(/:/g, '').toUpperCase(), sections.map(trustLetters).join(','));
  }
  return out;
}

/** The letters NSS's CERT_EncodeTrustString writes for the flag names certutil prints. */
function trustLetters(names: string[]): string {
  const has = (n: string) => names.includes(n);
  let s = '';
  if (has('Valid CA') && !has('Trusted CA') && !has('Trusted Client CA')) s += 'c';
  if (has('Terminal Record') && !has('Trusted')) s += 'p';
  if (has('Trusted CA')) s += 'C';
  if (has('Trusted Client CA')) s += 'T';
  if (has('Trusted')) s += 'P';
  if (has('User')) s += 'u';
  if (has('Warn When Sending')) s += 'w';
  if (has('Step-up')) s += 'G';
  return s;
}

/** Whether trust letters `have` already grant `letter` (C and T imply c, P implies p). */
function grants(have: string, letter: string): boolean {
  return (
    have.includes(letter) || (letter === 'c' && /[CT]/.test(have)) || (letter === 'p' && have.includes('P'))
  );
}

/**
 * The union of two trust strings, position by position (SSL, S/MIME, code signing): what
 * `existing` has plus what `wanted` adds. Installing must never take a trust away.
 */
function unionTrust(existing: string, wanted: string): string {
  const a = existing.split(',');
  const b = wanted.split(',');
  return [0, 1, 2]
    .map((i) => {
      const have = a[i] ?? '';
      return have + [...(b[i] ?? '')].filter((l) => !grants(have, l)).join('');
    })
    .join(',');
}

/** A certificate of the database: its nickname, and how many certificates carry that nickname. */
interface NssEntry extends TrustedEntry {
  readonly trust: string;
  readonly shared: number;
}

/** `u` in the trust flags: NSS sets it on a certificate whose private key is in the database. */
function holdsKey(e: NssEntry): boolean {
  return e.trust.includes('u');
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
    try {
      await mkdir(dir, { recursive: true });
    } catch (e) {
      throw new StoreError(
        'ERR_STORE_IO',
        `Cannot create the NSS database directory ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): give --nss a directory you can write to, or a path where it can be created.`,
        { cause: e },
      );
    }
    checkTool(await run(['-N', '-d', db, '--empty-password']), `certutil -N -d ${db}`);
  }

  /**
   * certlab cannot type a password into certutil, and on a protected database `certutil -A`
   * stores the certificate but fails on its trust (leaving it with `,,`), `-M` fails outright.
   * `certutil -K` (list keys) needs the login: its failure tells a protected database first.
   */
  async function refuseProtected(nickname: string): Promise<void> {
    const r = await run(['-K', '-d', db]);
    if (/SEC_ERROR_BAD_PASSWORD|could not authenticate/i.test(r.stdout + r.stderr))
      throw new StoreError(
        'ERR_STORE_PASSWORD_REQUIRED',
        `The NSS database ${db} is protected by a password, which certlab cannot give certutil. Add the root by hand (certutil asks for the password): certutil -A -d ${db} -n "${nickname}" -t "${flags}" -i ROOT.pem; or remove the password first with certutil -W -d ${db} (leave the new password empty) and run certlab again.`,
      );
  }

  /** Every certificate of the nickname's subject (`-L -n NICK -a`), the nickname's own first. */
  async function subjectCertificates(nickname: string) {
    const r = await run(['-L', '-d', db, '-n', nickname, '-a']);
    return r.status === 0 ? certificateBlocks(r.stdout) : [];
  }

  async function entries(): Promise<NssEntry[]> {
    if (!hasDb()) return [];
    const r = checkTool(await run(['-L', '-d', db]), `certutil -L -d ${db}`);
    const rows = new Map<string, string[]>(); // nickname → the trust of each of its table lines
    for (const { nickname, trust } of parseCertutilList(r.stdout))
      rows.set(nickname, [...(rows.get(nickname) ?? []), trust]);
    const certs = new Map<string, Awaited<ReturnType<typeof subjectCertificates>>>();
    for (const nickname of rows.keys()) certs.set(nickname, await subjectCertificates(nickname));
    // A nickname on one line owns the certificate it finds; a shared nickname owns the
    // certificates of its subject that no single nickname owns.
    const claimed = new Set<string>();
    for (const [nickname, trusts] of rows) {
      const tp = certs.get(nickname)![0]?.thumbprint;
      if (trusts.length === 1 && tp) claimed.add(tp);
    }
    const out: NssEntry[] = [];
    for (const [nickname, trusts] of rows) {
      const subjectCerts = certs.get(nickname)!;
      let own = subjectCerts.slice(0, 1);
      if (trusts.length > 1) {
        own = subjectCerts.filter((c) => !c.thumbprint || !claimed.has(c.thumbprint)).slice(0, trusts.length);
        for (const c of own) if (c.thumbprint) claimed.add(c.thumbprint);
      }
      // Lines of one nickname with different flags: which is which comes from the verbose form.
      const perCert =
        new Set(trusts).size > 1
          ? parseCertutilTrust((await run(['-L', '-d', db, '-n', nickname])).stdout)
          : undefined;
      trusts.forEach((trust, i) => {
        const c = own[i];
        out.push({
          name: nickname,
          thumbprint: c?.thumbprint,
          subject: c?.subject,
          trust: (c?.thumbprint && perCert?.get(c.thumbprint)) || trust,
          shared: trusts.length,
        });
      });
    }
    return out;
  }

  /**
   * Runs `act` with a nickname that names `e`'s certificate alone: its own when not shared,
   * else a temporary one, the certificates found before it being renamed aside meanwhile. When
   * `act` deletes the certificate, `gone` says so and its name is not given back.
   */
  async function alone(e: NssEntry, act: (nickname: string) => Promise<void>, gone = false): Promise<void> {
    if (e.shared <= 1) return act(e.name);
    const aside: string[] = [];
    const rename = async (from: string, to: string) =>
      checkTool(
        await run(['--rename', '-d', db, '-n', from, '--new-n', to]),
        `certutil --rename -d ${db} -n "${from}" --new-n "${to}"`,
      );
    let found: string | undefined;
    try {
      for (let i = 0; i < e.shared && found === undefined; i++) {
        const tmp = `${e.name} (certlab aside ${process.pid}-${i})`;
        await rename(e.name, tmp);
        if ((await subjectCertificates(tmp))[0]?.thumbprint === e.thumbprint) found = tmp;
        else aside.push(tmp);
      }
      if (found === undefined)
        throw new StoreError(
          'ERR_STORE_IO',
          `certutil did not find the certificate ${e.thumbprint} under the nickname "${e.name}" of ${db}; nothing was changed.`,
        );
      await act(found);
      if (!gone) aside.push(found);
    } finally {
      for (const tmp of aside) await rename(tmp, e.name);
    }
  }

  async function remove(e: NssEntry): Promise<void> {
    await alone(
      e,
      async (n) => {
        checkTool(await run(['-D', '-d', db, '-n', n]), `certutil -D -d ${db} -n "${n}"`);
      },
      true,
    );
  }

  async function list(): Promise<TrustedEntry[]> {
    return (await entries()).map(({ name, thumbprint, subject, trust }) => ({
      name,
      thumbprint,
      subject,
      trust,
    }));
  }

  async function matching(cert: Certificate): Promise<{ tp: string; found: NssEntry[] }> {
    const tp = await cert.thumbprint();
    return { tp, found: (await entries()).filter((e) => e.thumbprint === tp) };
  }

  return {
    kind: 'nss',
    target: db,
    list,
    async isInstalled(cert) {
      return (await matching(cert)).found.length > 0;
    },
    async install(root): Promise<TrustChange> {
      await ensureDb();
      const { tp, found } = await matching(root);
      const nickname = nssNickname(root, tp);
      if (found.length > 0) {
        // Present already: add the flags it lacks, never lower those it has (a root trusted
        // `CT,C,C` by its owner stays so).
        let changed = false;
        for (const e of found) {
          const union = unionTrust(e.trust, flags);
          if (union === e.trust) continue;
          await refuseProtected(e.name);
          await alone(e, async (n) => {
            checkTool(await run(['-M', '-d', db, '-n', n, '-t', union]), `certutil -M -d ${db} -n "${n}"`);
          });
          changed = true;
        }
        return { changed, names: found.map((e) => e.name), thumbprint: tp };
      }
      await refuseProtected(nickname);
      const tmp = await mkdtemp(join(tmpdir(), 'certlab-nss-'));
      try {
        const file = join(tmp, 'root.pem');
        await writeFile(file, root.toPem());
        const r = await run(['-A', '-d', db, '-n', nickname, '-t', flags, '-i', file]);
        if (r.status !== 0) {
          // certutil may have stored the certificate before failing on its trust: take it out
          // again, so that a failed install does not leave a certificate that lists as installed.
          for (const e of (await matching(root)).found) await remove(e).catch(() => undefined);
          checkTool(r, `certutil -A -d ${db} -n "${nickname}"`);
        }
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
      return { changed: true, names: [nickname], thumbprint: tp };
    },
    async uninstall(root): Promise<TrustChange> {
      const { tp, found } = await matching(root);
      // A certificate with its private key is the user's own identity, not a trust entry:
      // certutil -D would leave the key orphaned and the identity gone.
      const keyed = found.filter(holdsKey);
      const removed = found.filter((e) => !holdsKey(e));
      for (const e of removed) await remove(e);
      if (keyed.length > 0) {
        const names = keyed.map((e) => `"${e.name}"`).join(', ');
        throw new StoreError(
          'ERR_STORE_UNSUPPORTED',
          `${removed.length > 0 ? `Removed ${removed.map((e) => `"${e.name}"`).join(', ')}, but the` : 'The'} certificate ${tp} of ${db} under ${names} holds a private key (trust ${keyed.map((e) => e.trust).join(' ')}): it is a user certificate, not a trust entry, and certlab leaves it. To take away only its CA trust: certutil -M -d ${db} -n NICKNAME -t u,u,u; to delete it with its key: certutil -F -d ${db} -n NICKNAME.`,
        );
      }
      return { changed: removed.length > 0, names: removed.map((e) => e.name), thumbprint: tp };
    },
  };
}
