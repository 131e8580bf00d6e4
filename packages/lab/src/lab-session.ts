// An open lab: its directory and lab.json, its hosts, the CA's certificates, and the lab network
// (CDP URLs on the CA host resolved to the running certsrv or to DIR/ca/CertEnroll).

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Certificate, decodeMsCaVersion, equalBytes, OID, parseCertificate } from '@certlab/pki';
import { LabError } from './errors.js';
import { type HostRole, hostOf, type LabConfig, readLabConfig } from './lab-config.js';
import { type LabHost, openHost } from './lab-host.js';
import { createLabNetwork, type LabNetwork } from './lab-network.js';
import { l10n } from './localized.js';

/** The CA directory's publication folder (as `certlab ca init` writes it). @example `join(dir, 'ca', CERT_ENROLL)` */
export const CERT_ENROLL = 'CertEnroll';

/**
 * An open lab.
 *
 * @example
 * ```ts
 * const session = await openLabSession('./lab');
 * const ex01 = session.host('exchange-um');
 * ```
 */
export interface LabSession {
  readonly dir: string;
  /** The directory as the trainee typed it, for the commands hints print. */
  readonly displayDir: string;
  readonly config: LabConfig;
  readonly network: LabNetwork;
  readonly now: () => Date;
  host(role: HostRole): LabHost;
  /** The CA certificates published in DIR/ca/CertEnroll: the root and the issuing CA. */
  caCertificates(): Promise<{ root: Certificate; issuing: Certificate }>;
}

/**
 * Opens the lab in `dir`. With `certsrvUrl`, CDP URLs on the CA host are fetched from that
 * running server; otherwise from the CA's CertEnroll folder.
 *
 * @example
 * ```ts
 * const session = await openLabSession(dir, { certsrvUrl: server.url });
 * ```
 */
export async function openLabSession(
  dir: string,
  options: { now?: () => Date; certsrvUrl?: string; config?: LabConfig; displayDir?: string } = {},
): Promise<LabSession> {
  const config = options.config ?? (await readLabConfig(dir));
  const now = options.now ?? (() => new Date());
  const hosts = new Map<HostRole, LabHost>();
  for (const def of config.hosts) hosts.set(def.role, await openHost(def, dir, now, config.lang));
  const caHost = hostOf(config, 'ca');
  const certEnrollDir = join(dir, config.ca.dir, CERT_ENROLL);
  const network = createLabNetwork({
    [caHost.fqdn]: options.certsrvUrl ? { httpUrl: options.certsrvUrl } : { certEnrollDir },
  });
  let cached: { root: Certificate; issuing: Certificate } | undefined;
  return {
    dir,
    displayDir: options.displayDir ?? dir,
    config,
    network,
    now,
    host(role) {
      const h = hosts.get(role);
      if (!h)
        throw new LabError(
          'ERR_LAB_HOST_UNKNOWN',
          l10n(`The lab has no ${role} host.`, `Le labo n'a pas de serveur ${role}.`),
          { lang: config.lang },
        );
      return h;
    },
    async caCertificates() {
      if (cached) return cached;
      let names: string[];
      try {
        names = (await readdir(certEnrollDir)).filter((n) => n.toLowerCase().endsWith('.crt'));
      } catch (e) {
        throw new LabError(
          'ERR_LAB_NOT_FOUND',
          l10n(
            `The CA's publication folder ${certEnrollDir} is missing; re-create the lab with 'certlab lab init'.`,
            `Le dossier de publication de l'autorité ${certEnrollDir} est absent ; recréez le labo avec 'certlab lab init'.`,
          ),
          { cause: e, lang: config.lang },
        );
      }
      // Promise.all fails on the first bad file: the error names it, or the trainee is told only
      // that some DER is invalid, not which certificate to restore (lab-session-fuzz.test.ts).
      const certs = await Promise.all(names.map((n) => readCaCertificate(join(certEnrollDir, n), config)));
      // The newest certificate of a CA: the highest CA Version certificate index (the file names
      // sort wrongly from 10 renewals on: "(10)" comes before "(2)"), and for the root, the one
      // whose key signed the issuing CA's certificate (after a root renewal with a new key, the
      // issuing CA chains to the older root until it is renewed itself).
      const newest = (list: Certificate[]) =>
        list.reduce<Certificate | undefined>(
          (best, c) => (best === undefined || caCertIndex(c) >= caCertIndex(best) ? c : best),
          undefined,
        );
      const issuing = newest(certs.filter((c) => c.subject.commonName === config.ca.name));
      const roots = certs.filter((c) => c.subject.commonName === config.ca.rootName);
      const aki = issuing?.authorityKeyIdentifier?.keyIdentifier;
      const root =
        newest(
          roots.filter(
            (c) =>
              aki !== undefined &&
              c.subjectKeyIdentifier !== undefined &&
              equalBytes(c.subjectKeyIdentifier, aki),
          ),
        ) ?? newest(roots);
      if (!root || !issuing)
        throw new LabError(
          'ERR_LAB_NOT_FOUND',
          l10n(
            `${certEnrollDir} does not hold the certificates of "${config.ca.rootName}" and "${config.ca.name}".`,
            `${certEnrollDir} ne contient pas les certificats de « ${config.ca.rootName} » et « ${config.ca.name} ».`,
          ),
          { lang: config.lang },
        );
      cached = { root, issuing };
      return cached;
    },
  };
}

/**
 * A CA certificate file of the CertEnroll folder (DER, as AD CS publishes it): ERR_LAB_NOT_FOUND
 * when it cannot be read, ERR_LAB_CONFIG_INVALID when it is not a certificate (or its subject or
 * key identifiers do not decode), each naming the file, with the node error or PkiError as `cause`.
 */
async function readCaCertificate(file: string, config: LabConfig): Promise<Certificate> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new LabError(
      'ERR_LAB_NOT_FOUND',
      l10n(
        `The CA certificate ${file} cannot be read. Restore it from a copy, or prepare a new lab with 'certlab lab init' in a new directory.`,
        `Le certificat d'autorité ${file} est illisible. Restaurez-le depuis une copie, ou préparez un nouveau labo avec 'certlab lab init' dans un nouveau répertoire.`,
      ),
      { cause: e, lang: config.lang },
    );
  }
  try {
    const cert = parseCertificate(bytes);
    // The names and extensions are decoded when first asked for: read here those caCertificates
    // reads, so that a certificate damaged there is refused with its file's name too.
    void cert.subject.commonName;
    void cert.subjectKeyIdentifier;
    void cert.authorityKeyIdentifier;
    return cert;
  } catch (e) {
    throw new LabError(
      'ERR_LAB_CONFIG_INVALID',
      l10n(
        `The CA certificate ${file} is damaged: it does not read as a DER certificate. Restore it from a copy, or prepare a new lab with 'certlab lab init' in a new directory.`,
        `Le certificat d'autorité ${file} est endommagé : il ne se lit pas comme un certificat DER. Restaurez-le depuis une copie, ou préparez un nouveau labo avec 'certlab lab init' dans un nouveau répertoire.`,
      ),
      { cause: e, lang: config.lang },
    );
  }
}

/** The certificate index of a CA certificate's CA Version extension (0 without one). */
function caCertIndex(c: Certificate): number {
  const ext = c.getExtension(OID.msCaVersion);
  try {
    return ext ? decodeMsCaVersion(ext.value).certIndex : 0;
  } catch {
    return 0;
  }
}
