// Java keystores made by the real keytool, for the tests that read what Java writes.

import { execFileSync } from 'node:child_process';

/**
 * Writes a PKCS12 keystore with `keytool -genkeypair` run once per entry: by default two entries,
 * an RSA 2048 key `jrsa` and an EC P-256 key `jec`, each with its self-signed certificate (the
 * shape of a Java keystore holding several keys). `legacy` asks Java 8's format (3DES keys,
 * RC2-40 certificates, SHA-1 MAC), as older keystores are.
 *
 * @example
 * ```ts
 * javaKeystore(dir, 'java.p12', 'P@ssw0rd'); // jrsa + jec
 * ```
 */
export function javaKeystore(
  cwd: string,
  file: string,
  password: string,
  options: { legacy?: boolean } = {},
): void {
  for (const [alias, alg] of [
    ['jrsa', ['-keyalg', 'RSA', '-keysize', '2048']],
    ['jec', ['-keyalg', 'EC', '-groupname', 'secp256r1']],
  ] as const)
    execFileSync(
      'keytool',
      [
        ...(options.legacy ? ['-J-Dkeystore.pkcs12.legacy'] : []),
        '-genkeypair',
        '-alias',
        alias,
        ...alg,
        '-dname',
        `CN=${alias}`,
        '-validity',
        '30',
        '-storetype',
        'PKCS12',
        '-keystore',
        file,
        '-storepass',
        password,
        '-keypass',
        password,
      ],
      { cwd, stdio: 'ignore' },
    );
}
