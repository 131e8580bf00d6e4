// The CA's CertEnroll folder (C:\Windows\System32\CertSrv\CertEnroll, served by IIS as
// /CertEnroll/): the CA certificates under `<ServerDNSName>_<CA name>(n).crt` and the CRLs under
// `<CA name>(n).crl` / `<CA name>(n)+.crl` (certsrv reference §6.5, §11.4). One list of its files
// for everything that writes or serves them.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CertificationAuthority, PublishedCrl } from './authority.js';
import { caCertificateFileName, crlFileName } from './ca-urls.js';

/**
 * One file of the CertEnroll folder, DER.
 *
 * @example
 * ```ts
 * const f: CertEnrollFile = { name: 'Contoso Issuing CA.crl', der, type: 'crl' };
 * ```
 */
export interface CertEnrollFile {
  readonly name: string;
  readonly der: Uint8Array;
  readonly type: 'certificate' | 'crl';
}

/**
 * Every CA certificate (each generation of the root and of the issuing CA) under AD CS's names.
 *
 * @example
 * ```ts
 * caCertificateFiles(ca).map((f) => f.name); // ['pki.contoso.com_Contoso Root CA.crt', …]
 * ```
 */
export function caCertificateFiles(ca: CertificationAuthority): CertEnrollFile[] {
  const roles = ca.standalone ? (['issuing'] as const) : (['root', 'issuing'] as const);
  return roles.flatMap((role) => {
    const caName = role === 'root' ? ca.rootName! : ca.name;
    return ca.caCertificates(role).map((info) => ({
      name: caCertificateFileName(ca.points.serverDnsName, caName, info.certIndex),
      der: info.certificate.der,
      type: 'certificate' as const,
    }));
  });
}

/**
 * A published CRL as its CertEnroll file.
 *
 * @example
 * ```ts
 * crlFile(await ca.publishCrl()).name; // 'Contoso Issuing CA.crl'
 * ```
 */
export function crlFile(crl: PublishedCrl): CertEnrollFile {
  return { name: crl.fileName, der: crl.crl.der, type: 'crl' };
}

/**
 * What the folder holds now: the CA certificates and the latest base and delta CRL of each CA.
 *
 * @example
 * ```ts
 * const names = (await certEnrollFiles(ca)).map((f) => f.name);
 * ```
 */
export async function certEnrollFiles(ca: CertificationAuthority): Promise<CertEnrollFile[]> {
  const files = caCertificateFiles(ca);
  for (const { authority, keyIndex } of crlKeys(ca))
    for (const delta of [false, true]) {
      const latest = await ca.latestCrl({ delta, authority, keyIndex });
      if (latest) files.push(crlFile(latest));
    }
  return files;
}

/**
 * The file of the folder named `name` (compared without case, as IIS does on NTFS), or
 * undefined. Looks up only what the name can be: a `.crt` reads no CRL, and a `.crl` only the
 * CRLs of its kind (a `+.crl` is a delta, reference §6.5: the CA name in a file name is the
 * sanitized one, where a "+" of the name is written `!002b`), so that serving /CertEnroll/ does
 * not fetch up to four CRLs from the database for each file.
 *
 * @example
 * ```ts
 * const file = await findCertEnrollFile(ca, 'Contoso Issuing CA+.crl'); // the latest delta CRL
 * ```
 */
export async function findCertEnrollFile(
  ca: CertificationAuthority,
  name: string,
): Promise<CertEnrollFile | undefined> {
  const wanted = name.toLowerCase();
  if (!wanted.endsWith('.crl')) return caCertificateFiles(ca).find((f) => f.name.toLowerCase() === wanted);
  const delta = wanted.endsWith('+.crl');
  for (const { authority, keyIndex } of crlKeys(ca)) {
    // The file name carries the key (`<CA>(k).crl`): only that key's CRL is read, and its
    // published file has that very name.
    const caName = authority === 'root' ? ca.rootName! : ca.name;
    if (crlFileName(caName, keyIndex, delta).toLowerCase() !== wanted) continue;
    const latest = await ca.latestCrl({ delta, authority, keyIndex });
    return latest && crlFile(latest);
  }
  return undefined;
}

/**
 * Every CA key that may have CRLs in CertEnroll: each key of the issuing CA (an expired older
 * key's last CRLs stay downloadable, as AD CS leaves them in the folder) and the root's.
 */
function crlKeys(ca: CertificationAuthority): { authority: 'issuing' | 'root'; keyIndex: number }[] {
  const roles = ca.standalone ? (['issuing'] as const) : (['issuing', 'root'] as const);
  return roles.flatMap((authority) =>
    ca.crlKeyIndexes(authority, { all: true }).map((keyIndex) => ({ authority, keyIndex })),
  );
}

/**
 * Writes files into a CertEnroll folder (created if missing), replacing files of the same name.
 *
 * @example
 * ```ts
 * await writeCertEnrollFiles(join(dir, 'CertEnroll'), [...caCertificateFiles(ca), crlFile(await ca.publishCrl())]);
 * ```
 */
export async function writeCertEnrollFiles(folder: string, files: readonly CertEnrollFile[]): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (const f of files) await writeFile(join(folder, f.name), f.der);
}
