// The Certificate Import Wizard: .cer (PEM, DER, Base64), .p7b (every certificate), .sst (every
// certificate and CRL with its friendly name, description and archived flag), .crl and
// .pfx (every key attached to its certificate, as PFXImportCertStore does), automatic placement
// or one explicit store, the Security Warning for a user's Root store. All or nothing: the file
// is read and checked completely before the first write, and writes done before a failure are
// undone.

import { type Certificate, type Crl, PkiError, type PrivateKey, readPkiFile } from '@certlab/pki';
import type { CertificateEntry } from './entry.js';
import { StoreError } from './errors.js';
import { parseLocation, type StoreLocation } from './locations.js';
import { keyContainerName, type Machine } from './machine.js';
import type { CertificateProperties } from './properties.js';
import { decodeSerializedStore, isSerializedStore } from './serialized-store.js';
import { type Lang, normalizeStoreName } from './store-names.js';
import { formatThumbprintGroups } from './thumbprint.js';
import { DIALOG_TEXTS } from './verdicts.js';

/**
 * How "Automatically select the certificate store" places certificates. `wizard` (default) is
 * what Windows does: a lone certificate that is a CA (or has no basicConstraints) goes to CA —
 * even a self-signed root — others to AddressBook; in a PFX the key's certificate goes to My, a
 * self-signed CA to Root, other CAs to CA (a certificate without basicConstraints counting as a CA
 * there too). `by-type` is the placement people expect: self-signed
 * CA → Root, other CA → CA, end entity → My (a certificate without basicConstraints is an end
 * entity unless it is self-issued).
 *
 * @example
 * ```ts
 * const p: AutoPlacement = 'wizard';
 * ```
 */
export type AutoPlacement = 'wizard' | 'by-type';

/**
 * Options of {@link importFile}.
 *
 * @example
 * ```ts
 * const o: ImportOptions = { location: 'LocalMachine', store: 'Root' };
 * ```
 */
export interface ImportOptions {
  /** Store Location page (default CurrentUser, as the wizard when launched from a file). */
  location?: StoreLocation | string;
  /** 'auto' (default) or the store of "Place all certificates in the following store". */
  store?: string;
  placement?: AutoPlacement;
  /** PFX password. */
  password?: string;
  /** "Mark this key as exportable" (default false, as Windows). */
  exportable?: boolean;
  /** Friendly name for the imported certificates (a PFX's own friendly name otherwise). */
  friendlyName?: string;
  /** The language of the Security Warning (`securityWarnings`, `onSecurityWarning`); default English. */
  lang?: Lang;
  /**
   * Answers the Security Warning shown when a root goes into a user's Root store; false cancels
   * the whole import (ERR_STORE_CANCELLED, 0x800704C7). Default: accepted (the text is reported).
   */
  onSecurityWarning?: (warning: string) => boolean | Promise<boolean>;
  /** PKCS #12 iteration cap. */
  maxIterations?: number;
}

/**
 * What an import did.
 *
 * @example
 * ```ts
 * const r = await importFile(machine, bytes, { store: 'Root', location: 'LocalMachine' });
 * r.message.en; // 'The import was successful.'
 * ```
 */
export interface ImportResult {
  readonly certificates: CertificateEntry[];
  /** `Location\Store` of each CRL imported. */
  readonly crls: string[];
  /** Security Warning texts shown (user Root store). */
  readonly securityWarnings: string[];
  /**
   * What was not imported and why, in English: a private key of a .pfx without a certificate
   * (Windows keeps no key without a certificate to hold it).
   */
  readonly warnings: string[];
  readonly message: { readonly en: string; readonly fr: string };
}

interface Planned {
  cert: Certificate;
  thumbprint: string;
  store: string;
  key?: PrivateKey;
  properties: CertificateProperties;
}

function hasBasicConstraints(c: Certificate): boolean {
  try {
    return c.basicConstraints !== undefined;
  } catch {
    return false;
  }
}

function isCa(c: Certificate): boolean {
  try {
    return c.isCA;
  } catch {
    return false;
  }
}

function selfIssued(c: Certificate): boolean {
  try {
    return c.isSelfIssued;
  } catch {
    return false;
  }
}

function autoStore(c: Certificate, hasKey: boolean, fromPfx: boolean, placement: AutoPlacement): string {
  if (placement === 'by-type') {
    if (hasKey) return 'My';
    // Without basicConstraints only a self-issued certificate is taken for a CA here: AD CS's
    // Web Server certificates carry none, and people expect them in My.
    const self = selfIssued(c);
    if (isCa(c) || (self && !hasBasicConstraints(c))) return self ? 'Root' : 'CA';
    return 'My';
  }
  // Windows' wizard takes a lone certificate without basicConstraints for a CA.
  if (!fromPfx) return isCa(c) || !hasBasicConstraints(c) ? 'CA' : 'AddressBook';
  if (hasKey) return 'My';
  // The same test of "a CA" as for a lone certificate: a version 1 root (no basicConstraints)
  // in a .pfx goes to Root, not to Other People.
  if (isCa(c) || !hasBasicConstraints(c)) return selfIssued(c) ? 'Root' : 'CA';
  return 'AddressBook';
}

/**
 * The Security Warning Windows shows before adding a root to a user's Root store, in English
 * (reference §11) or French (as French Windows words the dialog; the reference gives only the
 * English text, so the French wording is unverified).
 *
 * @example
 * ```ts
 * console.log(await securityWarningText(root));
 * console.log(await securityWarningText(root, 'fr')); // Avertissement de sécurité …
 * ```
 */
export async function securityWarningText(cert: Certificate, lang: Lang = 'en'): Promise<string> {
  let cn: string;
  try {
    cn = cert.subject.commonName ?? cert.subject.toWindowsString();
  } catch {
    cn = '';
  }
  const thumbprint = formatThumbprintGroups(await cert.thumbprint());
  if (lang === 'fr')
    return [
      'Avertissement de sécurité',
      "Vous êtes sur le point d'installer un certificat à partir d'une autorité de certification (AC) demandant à représenter :",
      cn,
      `Windows ne peut pas valider que le certificat provient réellement de « ${cn} ». Vous devez confirmer son origine en contactant « ${cn} ». Le nombre suivant va vous aider à effectuer cette opération :`,
      `Empreinte numérique (sha1) : ${thumbprint}`,
      'Avertissement :',
      "Si vous installez ce certificat racine, Windows approuvera automatiquement tout certificat émis par cette AC. L'installation d'un certificat avec une empreinte numérique non confirmée présente un risque de sécurité. Si vous cliquez sur « Oui », vous reconnaissez ce risque.",
      'Voulez-vous installer ce certificat ?',
    ].join('\n');
  return [
    'Security Warning',
    'You are about to install a certificate from a certification authority (CA) claiming to represent:',
    cn,
    `Windows cannot validate that the certificate is actually from "${cn}". You should confirm its origin by contacting "${cn}". The following number will assist you in this process:`,
    `Thumbprint (sha1): ${thumbprint}`,
    'Warning:',
    'If you install this root certificate, Windows will automatically trust any certificate issued by this CA. Installing a certificate with an unconfirmed thumbprint is a security risk. If you click "Yes" you acknowledge this risk.',
    'Do you want to install this certificate?',
  ].join('\n');
}

async function read(input: Uint8Array | string, options: ImportOptions) {
  // A serialized store (.sst) is Windows' own format, not a PKI file: read here, with the
  // properties each certificate carried.
  if (input instanceof Uint8Array && isSerializedStore(input))
    return { kind: 'sst', store: decodeSerializedStore(input) } as const;
  const open = (password: string | undefined) =>
    readPkiFile(input, {
      ...(password !== undefined ? { password } : {}),
      ...(options.maxIterations !== undefined ? { maxIterations: options.maxIterations } : {}),
    });
  try {
    const f = await open(options.password);
    // No password given: the wizard's password box left empty, which opens a .pfx written
    // without one (an empty password, or no MAC and no encryption: RFC 7292 allows both).
    if (f.kind === 'pkcs12' && !f.contents && options.password === undefined)
      try {
        return await open('');
      } catch (e) {
        // Not an empty password after all (or a file the empty one cannot open): the password
        // is needed, whatever the attempt failed on.
        if (!(e instanceof PkiError)) throw e;
      }
    return f;
  } catch (e) {
    if (e instanceof PkiError)
      throw new StoreError('ERR_STORE_IMPORT_INVALID', `The file cannot be imported: ${e.message}`, {
        cause: e,
      });
    throw e;
  }
}

/**
 * Imports a file into a machine's stores as the Certificate Import Wizard does.
 *
 * @example
 * ```ts
 * // "Place all certificates in the following store" → Trusted Root Certification Authorities, Computer account
 * await importFile(machine, await readFile('certnew.cer'), { location: 'LocalMachine', store: 'Root' });
 * // a PFX with automatic placement: the leaf and its key in My, the root in Root, the issuing CA in CA
 * await importFile(machine, pfx, { location: 'LocalMachine', password: 'S3cret!', exportable: true });
 * ```
 */
export async function importFile(
  machine: Machine,
  input: Uint8Array | string,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const location = parseLocation(options.location ?? 'CurrentUser');
  const explicit =
    options.store === undefined || options.store.toLowerCase() === 'auto'
      ? undefined
      : normalizeStoreName(options.store);
  const placement = options.placement ?? 'wizard';
  const f = await read(input, options);
  const sstProperties = new Map<Certificate, CertificateProperties>();
  let certs: Certificate[] = [];
  let crls: Crl[] = [];
  // The certificates of a PFX that have their private key, each with its key and friendly name.
  const keyed = new Map<Certificate, { key: PrivateKey; friendlyName: string | undefined }>();
  const warnings: string[] = [];
  // Each certificate bag's friendlyName (RFC 7292 §4.2 PKCS #9 attribute) becomes the imported
  // certificate's friendly name (CERT_FRIENDLY_NAME_PROP_ID), as PFXImportCertStore keeps it.
  const bagNames = new Map<string, string>();
  switch (f.kind) {
    case 'sst': {
      for (const c of f.store.certificates) {
        certs.push(c.certificate);
        sstProperties.set(c.certificate, c.properties);
      }
      crls = f.store.crls;
      const ctls = f.store.skippedCtls;
      if (ctls > 0)
        warnings.push(
          `${ctls === 1 ? 'A certificate trust list' : `${ctls} certificate trust lists`} of the .sst ${ctls === 1 ? 'was' : 'were'} not imported (CTLs are not modelled).`,
        );
      break;
    }
    case 'certificate':
      certs = f.certificates;
      break;
    case 'pkcs7':
      certs = f.certificates;
      crls = f.crls;
      break;
    case 'crl':
      crls = f.crls;
      break;
    case 'pkcs12': {
      if (!f.contents)
        throw new StoreError(
          'ERR_STORE_PASSWORD_REQUIRED',
          'A PKCS #12 (.pfx) file needs its password to be imported.',
        );
      // Every key with its own certificate (a Java keystore or a Windows export of several
      // certificates holds several), not only the first: the wizard imports each pair.
      const pairs = f.contents.keys;
      let orphans = 0;
      for (const pair of pairs) {
        if (!pair.certificate) {
          orphans++;
          continue;
        }
        keyed.set(pair.certificate, {
          key: pair.key,
          friendlyName: options.friendlyName ?? pair.friendlyName,
        });
      }
      if (orphans > 0)
        warnings.push(
          `${orphans === 1 ? 'A private key' : `${orphans} private keys`} of the .pfx ${orphans === 1 ? 'has' : 'have'} no certificate in the file and ${orphans === 1 ? 'was' : 'were'} not imported (a key is kept with its certificate).`,
        );
      // The key's certificates first (the chosen one leads), then the others in chain order.
      const first = f.contents.certificate;
      const withKeys = [...keyed.keys()].sort((a, b) => Number(b === first) - Number(a === first));
      certs = [...withKeys, ...f.contents.chain.filter((c) => !keyed.has(c))];
      for (const bag of f.contents.bags)
        if (bag.type === 'certificate' && bag.certificate && bag.friendlyName !== undefined)
          bagNames.set(await bag.certificate.thumbprint(), bag.friendlyName);
      break;
    }
    default:
      throw new StoreError(
        'ERR_STORE_IMPORT_UNSUPPORTED',
        `A ${f.kind} file cannot be imported into a certificate store (use .cer, .crt, .p7b, .sst, .crl or .pfx).`,
      );
  }
  if (certs.length === 0 && crls.length === 0)
    throw new StoreError('ERR_STORE_IMPORT_EMPTY', 'The file holds no certificate and no CRL.');

  // Plan every write first: thumbprints, target stores, properties.
  const planned: Planned[] = [];
  for (const cert of certs) {
    const pair = keyed.get(cert);
    const withKey = pair !== undefined;
    const thumbprint = await cert.thumbprint();
    if (planned.some((p) => p.thumbprint === thumbprint)) continue;
    const store = explicit ?? autoStore(cert, withKey, f.kind === 'pkcs12', placement);
    // An .sst's own properties (friendly name, description, archived) come along, as
    // "Include all extended properties" keeps them.
    const properties: CertificateProperties = { ...sstProperties.get(cert) };
    if (withKey) {
      properties.keyContainer = keyContainerName(cert);
      properties.keyExportable = options.exportable === true;
      if (pair.friendlyName !== undefined) properties.friendlyName = pair.friendlyName;
    } else {
      const name = options.friendlyName ?? bagNames.get(thumbprint);
      if (name !== undefined) properties.friendlyName = name;
    }
    planned.push({ cert, thumbprint, store, ...(pair ? { key: pair.key } : {}), properties });
  }
  const crlStore = explicit ?? 'CA';

  // The Security Warning for roots going into a user's Root store.
  const securityWarnings: string[] = [];
  if (location === 'CurrentUser')
    for (const p of planned) {
      if (p.store !== 'Root' || machine._own(location, 'Root', p.thumbprint)) continue;
      const w = await securityWarningText(p.cert, options.lang);
      securityWarnings.push(w);
      if (options.onSecurityWarning && !(await options.onSecurityWarning(w)))
        throw new StoreError(
          'ERR_STORE_CANCELLED',
          'The root certificate was not installed: the Security Warning was declined.',
        );
    }

  // Commit, undoing on failure.
  const undo: (() => Promise<unknown>)[] = [];
  const done: CertificateEntry[] = [];
  const crlsDone: string[] = [];
  try {
    for (const p of planned) {
      const before = machine._own(location, p.store, p.thumbprint);
      const store = machine.store(location, p.store);
      if (p.key) {
        const container = p.properties.keyContainer!;
        if (!machine.hasKey(location, container)) undo.push(() => machine._deleteKey(location, container));
      }
      undo.push(() =>
        before
          ? machine._put(location, p.store, before.certificate, p.thumbprint, before.properties)
          : machine._delete(location, p.store, p.thumbprint),
      );
      done.push(await store.add(p.cert, { properties: p.properties, ...(p.key ? { key: p.key } : {}) }));
    }
    for (const crl of crls) {
      // A CRL the store already held stays when a later write fails: undo removes only new ones.
      const existed = machine._hasCrl(location, crlStore, crl);
      const id = await machine._putCrl(location, crlStore, crl);
      if (!existed) undo.push(() => machine._deleteCrl(location, crlStore, id));
      crlsDone.push(`${location}\\${crlStore}`);
    }
  } catch (e) {
    for (const u of undo.reverse()) await u().catch(() => undefined);
    throw e;
  }
  return {
    certificates: done,
    crls: crlsDone,
    securityWarnings,
    warnings,
    message: { en: DIALOG_TEXTS.importSuccessful.en, fr: DIALOG_TEXTS.importSuccessful.fr },
  };
}
