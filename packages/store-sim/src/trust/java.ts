// Java keystores: `keytool -importcert -trustcacerts` into a PKCS #12 keystore (a JDK's
// lib/security/cacerts, or an application's truststore), `-delete`, `-list -rfc`. The store
// password goes to keytool through the environment (-storepass:env), never on its command line.
//
// Only trustedCertEntry entries are trust: a PrivateKeyEntry is someone's identity (its key and
// chain), which Java does not use as a trust anchor and which uninstall leaves alone.

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Certificate } from '@certlab/pki';
import * as pki from '@certlab/pki';
import { StoreError } from '../errors.js';
import {
  runTool,
  type ToolResult,
  type TrustChange,
  type TrustedEntry,
  type TrustInstaller,
} from './installer.js';
import { withFileLock } from './lock.js';

/**
 * Options of {@link javaTrust}.
 *
 * @example
 * ```ts
 * const o: JavaTrustOptions = { keystore: 'contoso-truststore.p12', storepass: 'changeit' };
 * ```
 */
export interface JavaTrustOptions {
  /** The keystore file (created by the first install when missing). */
  readonly keystore: string;
  /** Its password (default `changeit`, the JDK cacerts password). */
  readonly storepass?: string;
  /** The keytool executable (default `keytool` on PATH). */
  readonly keytool?: string;
}

/**
 * The alias certlab gives a root: `certlab-<thumbprint>` in lowercase (keystores fold case).
 *
 * @example
 * ```ts
 * javaAlias('C235EA7A57F6…'); // 'certlab-c235ea7a57f6…'
 * ```
 */
export function javaAlias(thumbprint: string): string {
  return `certlab-${thumbprint.toLowerCase()}`;
}

/**
 * Splits `keytool -list -rfc` output into alias, entry type and PEM (for a PrivateKeyEntry, the
 * first certificate of its chain: the entry's own).
 *
 * @example
 * ```ts
 * parseKeytoolList('Alias name: certlab-c235ea7a…\nEntry type: trustedCertEntry\n\n-----BEGIN CERTIFICATE-----\nMIIB…\n-----END CERTIFICATE-----\n');
 * // [{ alias: 'certlab-c235ea7a…', type: 'trustedCertEntry', pem: '-----BEGIN CERTIFICATE-----\nMIIB…\n-----END CERTIFICATE-----' }]
 * ```
 */
export function parseKeytoolList(
  text: string,
): { alias: string; type: string | undefined; pem: string | undefined }[] {
  const out: { alias: string; type: string | undefined; pem: string | undefined }[] = [];
  for (const block of text.split(/^Alias name: /m).slice(1)) {
    const alias = block.split(/\r?\n/, 1)[0]!.trim();
    const type = /^Entry type: (\S+)/m.exec(block)?.[1];
    const m = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(block);
    out.push({ alias, type, pem: m?.[0] });
  }
  return out;
}

const PASS_ENV = 'CERTLAB_KEYTOOL_STOREPASS';

/**
 * A trust installer for a Java keystore.
 *
 * @example
 * ```ts
 * const java = javaTrust({ keystore: 'truststore.p12' });
 * await java.install(root); // keytool -importcert -noprompt -trustcacerts -alias certlab-<tp> …
 * ```
 */
export function javaTrust(options: JavaTrustOptions): TrustInstaller {
  const keystore = resolve(options.keystore);
  const keytool = options.keytool ?? 'keytool';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    [PASS_ENV]: options.storepass ?? 'changeit',
    // The JVM decodes its arguments (an alias to -delete) with the locale's charset: under LANG=C
    // a non-ASCII alias would reach keytool as '?'. C.UTF-8 is built into glibc (Linux only).
    ...(process.platform === 'linux' ? { LC_ALL: 'C.UTF-8' } : {}),
  };
  const common = ['-keystore', keystore, '-storetype', 'PKCS12', `-storepass:env`, PASS_ENV];
  // English output whatever the locale, so that `-list` can be parsed, in UTF-8 whatever the
  // locale, so that non-ASCII aliases survive (runTool decodes UTF-8): stdout.encoding from Java
  // 19 on, sun.stdout.encoding before; an unknown property is ignored, so both are given.
  const jvm = [
    '-J-Duser.language=en',
    '-J-Dfile.encoding=UTF-8',
    '-J-Dstdout.encoding=UTF-8',
    '-J-Dstderr.encoding=UTF-8',
    '-J-Dsun.stdout.encoding=UTF-8',
    '-J-Dsun.stderr.encoding=UTF-8',
  ];
  const run = (args: string[]) => runTool('keytool', keytool, [...jvm, ...args], { env });

  function check(r: ToolResult, what: string): void {
    if (r.status === 0) return;
    // keytool prints its error on stdout, and may have printed a success line on stderr before
    // failing to write ("Certificate was added to keystore"): its "keytool error" line wins.
    const lines = `${r.stdout}\n${r.stderr}`
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
    const detail = lines.find((l) => /^keytool error/i.test(l)) ?? lines.slice(-2).join(' ');
    if (/password was incorrect|password verification failed/i.test(detail))
      throw new StoreError(
        'ERR_STORE_PASSWORD_REQUIRED',
        `The password of the keystore ${keystore} is wrong.`,
      );
    throw new StoreError(
      'ERR_STORE_IO',
      `keytool ${what} on ${keystore} failed (exit ${r.status}): ${detail}`,
    );
  }

  async function entries(): Promise<(TrustedEntry & { trusted: boolean })[]> {
    if (!existsSync(keystore)) return [];
    const r = await run(['-list', '-rfc', ...common]);
    check(r, '-list');
    const out: (TrustedEntry & { trusted: boolean })[] = [];
    for (const { alias, type, pem } of parseKeytoolList(r.stdout)) {
      let thumbprint: string | undefined;
      let subject: string | undefined;
      if (pem)
        try {
          const cert = pki.readCertificates(pem)[0];
          if (cert) {
            thumbprint = await cert.thumbprint();
            subject = cert.subject.toWindowsString();
          }
        } catch {
          // listed by alias only
        }
      out.push({ name: alias, thumbprint, subject, trusted: type === 'trustedCertEntry' });
    }
    return out;
  }

  async function list(): Promise<TrustedEntry[]> {
    return (await entries()).map(({ name, thumbprint, subject }) => ({ name, thumbprint, subject }));
  }

  /** The trusted-certificate aliases holding `cert`, and the key entries whose certificate it is. */
  async function matching(cert: Certificate): Promise<{ tp: string; names: string[]; keyed: string[] }> {
    const tp = await cert.thumbprint();
    const found = (await entries()).filter((e) => e.thumbprint === tp);
    return {
      tp,
      names: found.filter((e) => e.trusted).map((e) => e.name),
      keyed: found.filter((e) => !e.trusted).map((e) => e.name),
    };
  }

  /**
   * keytool rewrites the whole keystore on each change, without a lock: two certlab runs at once
   * would each write what they read, and one's entry would be lost. `<keystore>.lock` serializes
   * them (read, change, write).
   */
  const locked = <T>(fn: () => Promise<T>) =>
    withFileLock(`${keystore}.lock`, `the Java keystore ${keystore}`, fn);

  async function ensureFolder(): Promise<void> {
    try {
      await mkdir(dirname(keystore), { recursive: true });
    } catch (e) {
      throw new StoreError(
        'ERR_STORE_IO',
        `Cannot create the folder of the keystore ${keystore} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): give --java a path in a folder you can write to.`,
        { cause: e },
      );
    }
  }

  return {
    kind: 'java',
    target: keystore,
    list,
    async isInstalled(cert) {
      return (await matching(cert)).names.length > 0;
    },
    async install(cert): Promise<TrustChange> {
      // The folder first: the lock file goes next to the keystore.
      await ensureFolder();
      return locked(async () => {
        const { tp, names } = await matching(cert);
        if (names.length > 0) return { changed: false, names, thumbprint: tp };
        const alias = javaAlias(tp);
        const tmp = await mkdtemp(join(tmpdir(), 'certlab-java-'));
        try {
          const file = join(tmp, 'root.pem');
          await writeFile(file, cert.toPem());
          check(
            await run([
              '-importcert',
              '-noprompt',
              '-trustcacerts',
              '-alias',
              alias,
              '-file',
              file,
              ...common,
            ]),
            '-importcert',
          );
        } finally {
          await rm(tmp, { recursive: true, force: true });
        }
        return { changed: true, names: [alias], thumbprint: tp };
      });
    },
    async uninstall(cert): Promise<TrustChange> {
      if (!existsSync(keystore)) return { changed: false, names: [], thumbprint: await cert.thumbprint() };
      return locked(async () => {
        const { tp, names, keyed } = await matching(cert);
        for (const alias of names) check(await run(['-delete', '-alias', alias, ...common]), '-delete');
        if (keyed.length > 0)
          throw new StoreError(
            'ERR_STORE_UNSUPPORTED',
            `${names.length > 0 ? `Removed ${names.map((n) => `"${n}"`).join(', ')}, but the` : 'The'} certificate ${tp} of the keystore ${keystore} is also held by ${keyed.map((n) => `"${n}"`).join(', ')}, an entry with a private key (PrivateKeyEntry): it is an identity, not a trust entry, and certlab leaves it. Delete it by hand if that is meant: keytool -delete -alias ALIAS -keystore ${keystore}.`,
          );
        return { changed: names.length > 0, names, thumbprint: tp };
      });
    },
  };
}
