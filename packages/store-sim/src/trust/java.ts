// Java keystores: `keytool -importcert -trustcacerts` into a PKCS #12 keystore (a JDK's
// lib/security/cacerts, or an application's truststore), `-delete`, `-list -rfc`. The store
// password goes to keytool through the environment (-storepass:env), never on its command line.

import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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
 * Splits `keytool -list -rfc` output into alias and PEM.
 *
 * @example
 * ```ts
 * parseKeytoolList('Alias name: certlab-c235ea7a…\nEntry type: trustedCertEntry\n\n-----BEGIN CERTIFICATE-----\nMIIB…\n-----END CERTIFICATE-----\n');
 * // [{ alias: 'certlab-c235ea7a…', pem: '-----BEGIN CERTIFICATE-----\nMIIB…\n-----END CERTIFICATE-----' }]
 * ```
 */
export function parseKeytoolList(text: string): { alias: string; pem: string | undefined }[] {
  const out: { alias: string; pem: string | undefined }[] = [];
  for (const block of text.split(/^Alias name: /m).slice(1)) {
    const alias = block.split(/\r?\n/, 1)[0]!.trim();
    const m = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(block);
    out.push({ alias, pem: m?.[0] });
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
  const env = { ...process.env, [PASS_ENV]: options.storepass ?? 'changeit' };
  const common = ['-keystore', keystore, '-storetype', 'PKCS12', `-storepass:env`, PASS_ENV];
  // English output whatever the locale, so that `-list` can be parsed.
  const run = (args: string[]) => runTool('keytool', keytool, ['-J-Duser.language=en', ...args], { env });

  function check(r: ToolResult, what: string): void {
    if (r.status === 0) return;
    const detail = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-2).join(' ');
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

  async function list(): Promise<TrustedEntry[]> {
    if (!existsSync(keystore)) return [];
    const r = await run(['-list', '-rfc', ...common]);
    check(r, '-list');
    const out: TrustedEntry[] = [];
    for (const { alias, pem } of parseKeytoolList(r.stdout)) {
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
      out.push({ name: alias, thumbprint, subject });
    }
    return out;
  }

  async function matching(cert: Certificate): Promise<{ tp: string; names: string[] }> {
    const tp = await cert.thumbprint();
    return { tp, names: (await list()).filter((e) => e.thumbprint === tp).map((e) => e.name) };
  }

  return {
    kind: 'java',
    target: keystore,
    list,
    async isInstalled(cert) {
      return (await matching(cert)).names.length > 0;
    },
    async install(cert): Promise<TrustChange> {
      const { tp, names } = await matching(cert);
      if (names.length > 0) return { changed: false, names, thumbprint: tp };
      const alias = javaAlias(tp);
      const tmp = await mkdtemp(join(tmpdir(), 'certlab-java-'));
      try {
        const file = join(tmp, 'root.pem');
        await writeFile(file, cert.toPem());
        check(
          await run(['-importcert', '-noprompt', '-trustcacerts', '-alias', alias, '-file', file, ...common]),
          '-importcert',
        );
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
      return { changed: true, names: [alias], thumbprint: tp };
    },
    async uninstall(cert): Promise<TrustChange> {
      const { tp, names } = await matching(cert);
      for (const alias of names) check(await run(['-delete', '-alias', alias, ...common]), '-delete');
      return { changed: names.length > 0, names, thumbprint: tp };
    },
  };
}
