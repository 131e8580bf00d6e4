// The simulated AD CS certification authority: a root and an issuing CA (or one standalone CA),
// the policy module in front of the request database, CA officer actions (approve, deny,
// resubmit, revoke, unrevoke), CRL publication, CA certificate renewal.

import {
  type Certificate,
  CertificationRequest,
  type Crl,
  type CrlReason,
  encodePem,
  equalBytes,
  generateKeyPair,
  importPrivateKey,
  isoSeconds,
  isPkiError,
  isSignedRequest,
  type KeySpec,
  Name,
  type NamedCurve,
  type PrivateKey,
  type PublicKey,
  parseCertificate,
  parseCrl,
  parseSignedRequest,
} from '@certlab/pki';
import { createCaCertificate, crlUrls, issuerLocations, type PublicationPoints } from './ca-certificates.js';
import { certEnrollUrl, crlFileName, type LdapPublication, ldapAiaUrl } from './ca-urls.js';
import { type Clock, systemClock } from './clock.js';
import { ADMIN_REVOCATION_REASONS, buildCrl, reasonName } from './crl-builder.js';
import { CR_DISP, type Disposition, dispositionCode, type RequestStatus } from './disposition.js';
import { CaError } from './errors.js';
import { formatHresult, HRESULTS, hresultByCode, hresultHex } from './hresult.js';
import { issueCertificate } from './issue-certificate.js';
import {
  badSignatureDecision,
  EDIT_FLAGS,
  type EditFlag,
  evaluatePolicy,
  type PolicyDecision,
} from './policy-module.js';
import {
  formatRequestAttributes,
  parseRequestAttributes,
  type RequestAttributes,
} from './request-attributes.js';
import { decodeRequestInput, type RequestInput } from './request-encoding.js';
import { adcsSerialNumber, randomSerialPrefix } from './serial-number.js';
import { type IssuerMaterial, SigningPool } from './signing-pool.js';
import { STANDARD_TEMPLATES } from './standard-templates.js';
import { KEY_PROTECTION_SETTING } from './store/ca-key-rows.js';
import { createMemoryStore } from './store/memory-store.js';
import type {
  AuthorityRole,
  CaCertificateRow,
  CertificateRow,
  CrlRow,
  NewRequestRow,
  RequestChange,
  RequestRow,
  RequestStore,
} from './store/request-store.js';
import { mapRequestText } from './store/stored-text.js';
import { type CertificateTemplate, type RequesterIdentity, requesterIdentityProblem } from './template.js';
import { CONTROL_CHARACTERS, storableText, untilNul } from './text-checks.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * CRL publication periods (AD CS defaults: base one week, delta one day).
 *
 * @example
 * ```ts
 * const periods: CrlPeriods = { baseHours: 168, deltaHours: 24 };
 * ```
 */
export interface CrlPeriods {
  /** Base CRL validity (CRLPeriod), hours. Default 168. */
  readonly baseHours?: number;
  /** Delta CRL validity (CRLDeltaPeriod), hours; 0 disables delta CRLs. Default 24. */
  readonly deltaHours?: number;
}

/** A request id given to a CA method: a positive safe integer, else TypeError (misuse). */
function checkRequestId(id: number): number {
  if (!Number.isSafeInteger(id) || id < 1)
    throw new TypeError(`A request id is a positive integer, not ${String(id)}.`);
  return id;
}

/**
 * What {@link createAuthority} needs.
 *
 * @example
 * ```ts
 * const options: AuthorityOptions = { name: 'Contoso Issuing CA', root: { name: 'Contoso Root CA' }, keyType: 'ec' };
 * ```
 */
export interface AuthorityOptions {
  /** The issuing CA's common name (or the standalone CA's). */
  readonly name: string;
  /** The root CA above the issuing CA; omit for a single self-signed (standalone) CA. */
  readonly root?: { readonly name: string } | undefined;
  /** RDNs after the CN in CA subjects, e.g. `DC=contoso, DC=com` or `O=Contoso, C=FR`. */
  readonly subjectSuffix?: string;
  /** CA key algorithm: RSA 2048 (AD CS default) or ECDSA P-256. */
  readonly keyType?: 'ec' | 'rsa';
  readonly rsaBits?: number;
  readonly curve?: NamedCurve;
  /** The request database; default a new in-memory store. */
  readonly db?: RequestStore;
  /**
   * Create the CA when `db` holds none (default true). `false` opens an existing CA only: a
   * database without one is refused (`ERR_CA_NOT_FOUND`) and nothing is written, so that a
   * mistyped database location is not answered by a brand-new CA.
   */
  readonly create?: boolean;
  /** The HTTP location of `/CertEnroll/` (CDP and AIA URLs). Default `http://pki.contoso.com`. */
  readonly baseUrl?: string;
  /**
   * Active Directory publication: certificates then carry `ldap:///` CDP and AIA URLs, before the
   * HTTP ones (reference §11.4). Used when the CA is created, then kept in its database.
   */
  readonly ldap?: LdapPublication;
  /** False: no HTTP CDP and AIA URLs, only LDAP ones (needs `ldap`). Default true. */
  readonly httpUrls?: boolean;
  /** `<ServerDNSName>` in CA certificate file names; default the host of `baseUrl`. */
  readonly serverDnsName?: string;
  readonly clock?: Clock;
  /** Published templates; default {@link STANDARD_TEMPLATES}. */
  readonly templates?: readonly CertificateTemplate[];
  /** Policy EditFlags, e.g. EDITF_ATTRIBUTESUBJECTALTNAME2. */
  readonly editFlags?: readonly EditFlag[];
  /** The CA's ValidityPeriod cap for issued certificates, days; default 730 (an Enterprise CA's 2 years). */
  readonly validityDays?: number;
  /** CA certificate lifetimes in years: root 10, issuing (and standalone) 5. */
  readonly caValidityYears?: { readonly root?: number; readonly issuing?: number };
  readonly crl?: CrlPeriods;
  /** ClockSkewMinutes: notBefore of issued certificates is now minus this. Default 10. */
  readonly clockSkewMinutes?: number;
  /** The CA officer named in `Denied by …` / `Resubmitted by …` messages. Default `CONTOSO\Administrator`. */
  readonly officer?: string;
  /**
   * Worker threads that decode submitted requests, check their signature, run the policy module
   * and sign the certificates (Node only; default 0: all on the calling thread). The calling
   * thread keeps the request database, so request ids stay in submission order and serial
   * numbers stay unique; it is left free for HTTP and the store. Worth it when the CA takes
   * submissions concurrently (certsrv under load): with 2 cores, `signingWorkers: 2` lets
   * issuance use both. Officer actions (approve, resubmit) and CRLs stay on the calling thread.
   * {@link CertificationAuthority.close} stops the workers.
   *
   * @example
   * ```ts
   * const ca = await createAuthority({ name: 'Contoso Issuing CA', root: { name: 'Contoso Root CA' }, keyType: 'ec', signingWorkers: 2 });
   * const server = await startCertsrv({ ca, users });
   * ```
   */
  readonly signingWorkers?: number;
  /**
   * The CA's key passphrase: its private keys are kept encrypted at rest, as PKCS #8
   * EncryptedPrivateKeyInfo (PBES2: PBKDF2-HMAC-SHA256 with 600,000 iterations and AES-256-CBC,
   * RFC 8018 §6.2), in the role of the protection AD CS gives a CA key in its key storage
   * provider or HSM. Given when the CA is created, every key it makes (renewals too) is stored
   * encrypted with it; given when an existing CA is opened, it decrypts the keys and must be
   * right (`ERR_CA_KEY_PASSPHRASE`, checked at once). A CA with encrypted keys opened without it
   * reads its database (retrieve, list, published CRLs) and refuses what needs a key
   * (`ERR_CA_KEY_LOCKED`: submit, approve, CRL publication, renewal, signing workers) before
   * anything is recorded. Given for a CA whose keys are not encrypted: `ERR_CA_OPTIONS_INVALID`
   * (give it one with {@link CertificationAuthority.setKeyPassphrase}, which also changes or
   * removes one).
   *
   * @example
   * ```ts
   * const ca = await createAuthority({ name: 'Contoso Issuing CA', db, keyPassphrase: await readFile('ca.pass', 'utf8') });
   * ```
   */
  readonly keyPassphrase?: string;
}

/**
 * Options of {@link CertificationAuthority.submit}.
 *
 * @example
 * ```ts
 * // The san: attribute counts only on a CA with EDITF_ATTRIBUTESUBJECTALTNAME2 (editFlags);
 * // elsewhere it is ignored, as AD CS ignores it, and the request's own SAN is used.
 * await ca.submit(pem, { template: 'WebServer', attributes: 'san:dns=a.contoso.com&dns=b.contoso.com' });
 * ```
 */
export interface SubmitOptions {
  /** Shorthand for the `CertificateTemplate:<name>` attribute. */
  readonly template?: string;
  /** Request attributes: `CertAttrib` text, lines, or a record. */
  readonly attributes?: string | readonly string[] | Readonly<Record<string, string>>;
  /** Who submits, and what the directory knows about them (identity-built subjects, template ACLs). */
  readonly requester?: RequesterIdentity;
}

/**
 * A request's state as certsrv reports it.
 *
 * @example
 * ```ts
 * const r = await ca.submit(pem, { template: 'WebServer_Manual' });
 * r.disposition; // 'pending'
 * r.message;     // 'Taken Under Submission'
 * ```
 */
export interface RequestResult {
  readonly requestId: number;
  readonly disposition: Disposition;
  /** CR_DISP_* value (3 issued, 5 under submission, 2 denied, 6 revoked). */
  readonly dispositionCode: number;
  /** The disposition message, verbatim as certsrv shows it. */
  readonly message: string;
  /** The request's last status HRESULT, unsigned (0 for success). */
  readonly hresult: number;
  /** The LastStatus text: `<message> 0x… (<signed> <SYMBOL>)`. */
  readonly status: string;
  readonly template?: string;
  readonly subject?: string;
  readonly requester?: RequesterIdentity;
  readonly submittedAt: Date;
  readonly resolvedAt?: Date;
  readonly serialNumber?: string;
  readonly certificate?: Certificate;
  readonly revokedAt?: Date;
  readonly revocationReason?: CrlReason;
  /**
   * The request's attributes as stored, `name:value` lines (CRLF) — the CA console's "Request
   * Attributes" column, e.g. `certificatetemplate:WebServer` and `validityperiod:Days`. Absent
   * when the request carried none.
   */
  readonly attributes?: string;
}

/**
 * A published CRL.
 *
 * @example
 * ```ts
 * const { crl, fileName, url } = await ca.publishCrl();
 * ```
 */
export interface PublishedCrl {
  readonly crl: Crl;
  readonly crlNumber: number;
  readonly delta: boolean;
  readonly baseCrlNumber?: number;
  /** The CA key that signed it: 0 for the first key, then the certificate index of each new key. */
  readonly keyIndex: number;
  /** `<CaName><CRLNameSuffix>[+].crl`. */
  readonly fileName: string;
  /** The CDP URL it is published at. */
  readonly url: string;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  /** PEM with the `X509 CRL` label. */
  readonly pem: string;
}

/**
 * One CA certificate of the history.
 *
 * @example
 * ```ts
 * const [first]: CaCertificateInfo[] = ca.caCertificates('issuing');
 * ```
 */
export interface CaCertificateInfo {
  readonly authority: AuthorityRole;
  readonly certIndex: number;
  readonly keyIndex: number;
  readonly certificate: Certificate;
}

interface LoadedCaCert extends CaCertificateInfo {
  /** The private key, imported (and decrypted) on first use. */
  readonly key: () => Promise<PrivateKey>;
}

/** How a CA keeps its private keys: plain PKCS #8, or encrypted with its key passphrase (given or not). */
type KeyProtection =
  | { readonly encrypted: false }
  | { readonly encrypted: true; readonly passphrase: string | undefined };

/**
 * The protection of keys stored from now on: plain without a passphrase, encrypted with one.
 * ERR_CA_OPTIONS_INVALID for a passphrase that is not a non-empty string (`what` names it).
 */
function protectionWith(passphrase: string | undefined, what: string): KeyProtection {
  if (passphrase === undefined) return { encrypted: false };
  if (typeof passphrase !== 'string' || passphrase === '')
    throw new CaError('ERR_CA_OPTIONS_INVALID', `${what} must be a non-empty string.`);
  return { encrypted: true, passphrase };
}

function keyLocked(): CaError {
  return new CaError(
    'ERR_CA_KEY_LOCKED',
    "The CA's private keys are encrypted and it was opened without its key passphrase, so it cannot sign: open it with the passphrase (keyPassphrase; certlab: --key-passphrase-file FILE).",
  );
}

function keySpec(o: { keyType?: 'ec' | 'rsa'; rsaBits?: number; curve?: NamedCurve }): KeySpec {
  // Anything but 'ec' used to make RSA keys: `keyType: 'EC'` gave an RSA CA without a word.
  if (o.keyType !== undefined && o.keyType !== 'ec' && o.keyType !== 'rsa')
    throw new TypeError(`keyType must be 'ec' or 'rsa', not ${JSON.stringify(String(o.keyType))}.`);
  return o.keyType === 'ec'
    ? { type: 'ec', curve: o.curve ?? 'P-256' }
    : { type: 'rsa', bits: o.rsaBits ?? 2048 };
}

function caSubject(cn: string, suffix: string | undefined): Name {
  const rest = suffix ? Name.parse(suffix).rdns : [];
  return Name.from([...rest, [{ type: '2.5.4.3', value: cn }]]);
}

function loadCaCert(row: CaCertificateRow, protection: KeyProtection): LoadedCaCert {
  let key: Promise<PrivateKey> | undefined;
  return {
    authority: row.authority,
    certIndex: row.certIndex,
    keyIndex: row.keyIndex,
    certificate: parseCertificate(row.certificate),
    // Decrypting costs a 600,000-iteration PBKDF2: once per key, and only for keys that sign.
    key: () => (key ??= unlockKey(row.privateKey, protection)),
  };
}

async function unlockKey(stored: Uint8Array, protection: KeyProtection): Promise<PrivateKey> {
  if (!protection.encrypted) return importPrivateKey(stored);
  if (protection.passphrase === undefined) throw keyLocked();
  try {
    return await importPrivateKey(stored, { password: protection.passphrase });
  } catch (e) {
    if (isPkiError(e, 'ERR_PKI_KEY_PASSWORD'))
      throw new CaError(
        'ERR_CA_KEY_PASSPHRASE',
        "The key passphrase does not decrypt the CA's private key: give the passphrase the CA was created with (or last given with setKeyPassphrase).",
        { cause: e },
      );
    throw e;
  }
}

/**
 * Why the current issuing key does not decrypt: with a passphrase that decrypts another key of
 * the CA (the root's, an earlier issuing key), the passphrase is right and that key's row is
 * damaged, which no passphrase mends (ERR_CA_STORE); otherwise the passphrase error as it was.
 * One more PBKDF2 per other key, only on this failure.
 */
async function damagedOrWrong(
  e: unknown,
  row: CaCertificateRow,
  loaded: readonly { readonly row: CaCertificateRow; readonly cert: LoadedCaCert }[],
): Promise<never> {
  const damaged = (why: string) =>
    new CaError(
      'ERR_CA_STORE',
      `The CA's current private key (issuing certificate ${row.certIndex}) is damaged in the database: ${why}. Restore the database from a backup.`,
      { cause: e },
    );
  // Our own row that is not an encrypted PKCS #8 key at all (or asks for absurd PBKDF2 work).
  if (isPkiError(e)) throw damaged('it cannot be read as an encrypted private key');
  if (!(e instanceof CaError && e.code === 'ERR_CA_KEY_PASSPHRASE')) throw e;
  const tried = new Set<string>([keyRowId(row)]);
  for (const other of loaded) {
    if (tried.has(keyRowId(other.row))) continue;
    tried.add(keyRowId(other.row));
    const decrypts = await other.cert.key().then(
      () => true,
      () => false,
    );
    if (decrypts) throw damaged("the key passphrase decrypts the CA's other keys but not this one");
  }
  throw e;
}

/** One stored key: a renewal that reuses a key stores it again with its certificate. */
function keyRowId(row: CaCertificateRow): string {
  return `${row.authority}/${row.keyIndex}`;
}

/** A CA key as the database keeps it: PKCS #8, encrypted when the CA has a key passphrase. */
function storedKey(key: PrivateKey, protection: KeyProtection): Promise<Uint8Array> {
  if (!protection.encrypted) return key.toPkcs8();
  if (protection.passphrase === undefined) throw keyLocked();
  return key.toEncryptedPkcs8(protection.passphrase);
}

function parseRequester(text: string | undefined): RequesterIdentity | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null ? (v as RequesterIdentity) : undefined;
  } catch {
    return { name: text };
  }
}

/**
 * The CRLReason code of a revocation. AD CS revokes with reasons 0 to 6 only (ICertAdmin::
 * RevokeCertificate, [MS-CSRA] §3.1.4.1.8: unspecified through certificateHold; removeFromCRL
 * is what unrevoke writes): privilegeWithdrawn (9) and aACompromise (10) are RFC 5280 reasons it
 * does not take.
 */
function reasonCode(reason: CrlReason): number {
  if (typeof reason !== 'string')
    throw new TypeError(
      `The revocation reason must be a reason name such as 'keyCompromise', not ${typeof reason}.`,
    );
  const i = (ADMIN_REVOCATION_REASONS as readonly string[]).indexOf(reason);
  if (i < 0)
    throw new CaError(
      'ERR_CA_OPTIONS_INVALID',
      `"${reason.slice(0, 40)}" is not a revocation reason AD CS takes (use ${ADMIN_REVOCATION_REASONS.join(', ')}).`,
    );
  return i;
}

function statusText(code: number): string {
  const hr = hresultByCode(code);
  return hr ? formatHresult(hr) : `${hresultHex(code)} (${code | 0})`;
}

/**
 * A request row or change with every text field made storable ({@link storableText}): a hostile
 * request can put U+0000 in what the CA derives from it (a BMPString template name, then the
 * denial message that quotes it; an officer name given to the API…), and the submission must
 * still be recorded, the same way on every store. The subject needs nothing more (RFC 4514 §2.4
 * escapes U+0000 as `\00`), nor does the requester (JSON escapes it); the request attributes
 * already end at the first NUL (parseRequestAttributes).
 */
function storableRow<T extends NewRequestRow | RequestChange>(row: T): T {
  return mapRequestText(row, storableText);
}

/**
 * The simulated certification authority. Create with {@link createAuthority}.
 *
 * @example
 * ```ts
 * const ca = await createAuthority({ name: 'Contoso Issuing CA', root: { name: 'Contoso Root CA' }, keyType: 'ec' });
 * const r = await ca.submit(csrPem, { template: 'WebServer' });
 * if (r.disposition === 'issued') await writeFile('exch01.cer', r.certificate!.toPem());
 * ```
 */
export class CertificationAuthority {
  /** The issuing (or standalone) CA's common name. */
  readonly name: string;
  /** The root CA's common name; undefined for a standalone CA. */
  readonly rootName: string | undefined;
  readonly store: RequestStore;
  readonly points: PublicationPoints;
  readonly #clock: Clock;
  #issuingCache: { from: readonly unknown[]; certs: Certificate[] } | undefined;
  readonly #templates: Map<string, CertificateTemplate>;
  readonly #editFlags: Set<EditFlag>;
  readonly #serialPrefix: number;
  readonly #validityDays: number;
  readonly #caYears: { root: number; issuing: number };
  readonly #crl: { baseHours: number; deltaHours: number };
  readonly #skew: number;
  readonly #officer: string;
  readonly #keySpec: KeySpec;
  #protection: KeyProtection;
  #certs: LoadedCaCert[];
  readonly #pool: SigningPool | undefined;
  readonly #randomBlock = new Uint8Array(4096);
  #randomAt = 4096;
  readonly #locations = new Map<string, ReturnType<typeof issuerLocations>>();
  /** The newest CRL seen per authority and kind (`issuing:base`, …): see {@link #published}. */
  readonly #crlCache = new Map<string, { row: CrlRow; published: PublishedCrl }>();

  /** @internal use {@link createAuthority}. */
  constructor(init: {
    options: AuthorityOptions;
    config: Readonly<Record<string, string>>;
    certs: LoadedCaCert[];
    store: RequestStore;
    protection: KeyProtection;
    /** The issuing CA certificates and keys, for signing workers. */
    issuers?: readonly IssuerMaterial[];
  }) {
    const { options, config } = init;
    this.name = config.name!;
    this.rootName = config.rootName || undefined;
    this.store = init.store;
    this.points = pointsOf(config);
    this.#serialPrefix = Number(config.serialPrefix);
    this.#keySpec = JSON.parse(config.keySpec!) as KeySpec;
    this.#clock = options.clock ?? systemClock;
    this.#templates = new Map();
    for (const t of options.templates ?? STANDARD_TEMPLATES) this.#templates.set(t.name.toLowerCase(), t);
    this.#editFlags = new Set(options.editFlags ?? []);
    // ValidityPeriod: 2 years on an Enterprise CA, 1 year on a stand-alone one (reference §11.1).
    // Every CA here runs the Enterprise policy module (templates), the single self-signed one too
    // (an Enterprise root CA): 2 years.
    this.#validityDays = options.validityDays ?? 730;
    this.#caYears = {
      root: options.caValidityYears?.root ?? 10,
      issuing: options.caValidityYears?.issuing ?? 5,
    };
    this.#crl = { baseHours: options.crl?.baseHours ?? 168, deltaHours: options.crl?.deltaHours ?? 24 };
    this.#skew = options.clockSkewMinutes ?? 10;
    this.#officer = options.officer ?? 'CONTOSO\\Administrator';
    this.#certs = init.certs;
    this.#protection = init.protection;
    const workers = options.signingWorkers ?? 0;
    this.#pool =
      workers > 0
        ? new SigningPool(workers, {
            name: this.name,
            points: this.points,
            templates: [...this.#templates.values()],
            editFlags: [...this.#editFlags],
            validityDays: this.#validityDays,
            clockSkewMinutes: this.#skew,
            issuers: init.issuers ?? [],
          })
        : undefined;
  }

  // --- CA certificates --------------------------------------------------------------------------

  #current(authority: AuthorityRole): LoadedCaCert {
    const best = this.#newest(authority);
    if (!best) throw new CaError('ERR_CA_OPTIONS_INVALID', `This CA has no ${authority} CA.`);
    return best;
  }

  /**
   * The newest certificate of one CA key: it signs that key's CRLs (AD CS names a CRL after its
   * key, `<CA>(k).crl`, and signs it with the key's latest certificate).
   */
  #newestOfKey(authority: AuthorityRole, keyIndex: number): LoadedCaCert {
    const best = this.#newest(authority, keyIndex);
    if (!best)
      throw new CaError(
        'ERR_CA_OPTIONS_INVALID',
        `This CA has no ${authority} CA key ${keyIndex}: its keys are ${this.crlKeyIndexes(authority, { all: true }).join(', ')}.`,
      );
    return best;
  }

  /** The newest certificate of an authority, or of one of its keys; undefined when there is none. */
  #newest(authority: AuthorityRole, keyIndex?: number): LoadedCaCert | undefined {
    let best: LoadedCaCert | undefined;
    for (const c of this.#certs)
      if (
        c.authority === authority &&
        (keyIndex === undefined || c.keyIndex === keyIndex) &&
        (!best || c.certIndex > best.certIndex)
      )
        best = c;
    return best;
  }

  /**
   * The CA keys that publish CRLs, the current one first: after a renewal with a new key, AD CS
   * goes on publishing a CRL for each older key whose newest certificate has not expired, since
   * certificates it issued still name that key's CRL ("CA certificates and CRLs issued by the CA
   * before its renewal will be available after the CA has been renewed", Certification Authority
   * Renewal; MS-CSRA §3.1.4.1.6: a CRL "for each CA Signing_Private_Key"). `all: true` lists
   * every key, expired ones too (their last CRLs stay downloadable).
   *
   * @example
   * ```ts
   * await ca.renew({ newKey: true });
   * ca.crlKeyIndexes(); // [1, 0]
   * ```
   */
  crlKeyIndexes(authority: AuthorityRole = 'issuing', options: { all?: boolean } = {}): number[] {
    const current = this.#newest(authority);
    if (!current) return []; // a standalone CA has no root
    // The newest certificate of each key, in one pass.
    const newestOfKey = new Map<number, LoadedCaCert>();
    for (const c of this.#certs)
      if (c.authority === authority) {
        const seen = newestOfKey.get(c.keyIndex);
        if (!seen || c.certIndex > seen.certIndex) newestOfKey.set(c.keyIndex, c);
      }
    const now = this.#clock.now().getTime();
    const older = [...newestOfKey.values()]
      .filter(
        (c) => c.keyIndex !== current.keyIndex && (options.all || c.certificate.notAfter.getTime() > now),
      )
      .map((c) => c.keyIndex)
      .sort((a, b) => b - a);
    return [current.keyIndex, ...older];
  }

  /**
   * Whether the CA keeps its private keys encrypted with a key passphrase
   * ({@link AuthorityOptions.keyPassphrase}), and whether it was opened with it (`locked`: it
   * reads its database but cannot sign).
   *
   * @example
   * ```ts
   * if (ca.keyProtection === 'locked') console.error('Give the key passphrase to issue certificates.');
   * ```
   */
  get keyProtection(): 'none' | 'passphrase' | 'locked' {
    if (!this.#protection.encrypted) return 'none';
    return this.#protection.passphrase === undefined ? 'locked' : 'passphrase';
  }

  /**
   * Sets, changes or (with undefined) removes the CA's key passphrase: every CA key, of every
   * generation, is stored again, encrypted with the new passphrase or as plain PKCS #8, in one
   * transaction of the store ({@link RequestStore.replaceCaKeys}). The CA must have been opened
   * with its current passphrase, if it has one (ERR_CA_KEY_LOCKED). A server running over the
   * same database keeps the keys it decrypted; it needs the new passphrase at its next start.
   * Each key costs two 600,000-iteration PBKDF2 runs (about half a second).
   *
   * @example
   * ```ts
   * const ca = await createAuthority({ name: 'Contoso Issuing CA', db, create: false });
   * await ca.setKeyPassphrase(await readFile('ca.pass', 'utf8')); // the keys are encrypted from now on
   * ```
   */
  async setKeyPassphrase(passphrase: string | undefined): Promise<void> {
    const next = protectionWith(passphrase, 'The key passphrase');
    this.#checkUnlocked();
    if (!this.store.replaceCaKeys)
      throw new CaError(
        'ERR_CA_OPTIONS_INVALID',
        `The ${this.store.kind} request store cannot replace the CA's keys (it has no replaceCaKeys).`,
      );
    const keys = [];
    for (const c of this.#certs)
      keys.push({
        authority: c.authority,
        certIndex: c.certIndex,
        privateKey: await storedKey(await c.key(), next),
      });
    await this.store.replaceCaKeys(keys, next.encrypted ? 'passphrase' : undefined);
    // The loaded keys stay as they are: only how the database keeps them changed.
    this.#protection = next;
  }

  /** ERR_CA_KEY_LOCKED before an operation that signs records anything. */
  #checkUnlocked(): void {
    if (this.#protection.encrypted && this.#protection.passphrase === undefined) throw keyLocked();
  }

  /**
   * Refuses to sign with a CA certificate past its notAfter. AD CS does not start with an
   * expired CA certificate (it cannot load or verify it: CERT_E_EXPIRED), so nothing is issued,
   * recorded or published; here the request is refused before it gets a request id. Without
   * this, issuance failed inside the certificate builder (notAfter before notBefore), a
   * PkiError, and CRLs went on being signed.
   */
  #checkNotExpired(ca: LoadedCaCert, now: Date): void {
    const end = ca.certificate.notAfter;
    if (now.getTime() <= end.getTime()) return;
    const which = ca.authority === 'root' ? 'root CA' : 'CA';
    throw new CaError(
      'ERR_CA_EXPIRED',
      `The ${which} certificate "${ca.certificate.subject.toString()}" expired on ${isoSeconds(end)}, and a CA does not sign with an expired certificate (AD CS does not start: CERT_E_EXPIRED). Renew it first (certlab ca renew; ca.renew()).`,
    );
  }

  /** True for a single self-signed CA (no root above it). */
  get standalone(): boolean {
    return this.rootName === undefined;
  }

  /** The current issuing (or standalone) CA certificate. */
  get certificate(): Certificate {
    return this.#current('issuing').certificate;
  }

  /** The trust anchor: the root's certificate, or the standalone CA's own. */
  get rootCertificate(): Certificate {
    return this.standalone ? this.certificate : this.#current('root').certificate;
  }

  /** The current CA certificate index (`nRenewals` of certcarc.asp) and key index. */
  get certIndex(): number {
    return this.#current('issuing').certIndex;
  }

  get keyIndex(): number {
    return this.#current('issuing').keyIndex;
  }

  /**
   * The issuing CA certificate then its parents up to the root (the order of certnew.p7b): the
   * root certificate of the key that signed it, the newest of that key (after a root renewal
   * with a new key, the issuing CA still chains to the older root until it is renewed itself).
   */
  get chain(): Certificate[] {
    if (this.standalone) return [this.certificate];
    const issuing = this.certificate;
    return [issuing, this.issuerOf(issuing) ?? this.rootCertificate];
  }

  /**
   * The CA certificate of this hierarchy that signed `cert`, found by authority key identifier
   * among every generation (a certificate issued before a renewal chains to the older CA
   * certificate): an issuing CA certificate first, the oldest of its key; of several root
   * certificates of one key (a root renewed with the same key), the newest, so that a chain
   * never ends in the older, sooner-expiring one. Else by issuer name; undefined when no CA
   * certificate here signed it.
   *
   * @example
   * ```ts
   * ca.issuerOf(leaf); // the issuing CA certificate that signed leaf
   * ```
   */
  issuerOf(cert: Certificate): Certificate | undefined {
    const issuing = this.caCertificates('issuing').map((i) => i.certificate);
    const roots = this.standalone ? [] : this.caCertificates('root').map((i) => i.certificate);
    const aki = cert.authorityKeyIdentifier?.keyIdentifier;
    if (aki) {
      const signedBy = (c: Certificate) =>
        c.subjectKeyIdentifier !== undefined && equalBytes(c.subjectKeyIdentifier, aki);
      const found = issuing.find(signedBy) ?? roots.filter(signedBy).at(-1);
      if (found) return found;
    }
    return [...issuing, ...roots].find((c) => c.subject.equals(cert.issuer));
  }

  /**
   * Every CA certificate, renewals included, oldest first per CA.
   *
   * @example
   * ```ts
   * ca.caCertificates('issuing').map((c) => c.certIndex); // [0, 1] after one renewal
   * ```
   */
  caCertificates(authority: AuthorityRole = 'issuing'): CaCertificateInfo[] {
    return this.#certs
      .filter((c) => c.authority === authority)
      .sort((a, b) => a.certIndex - b.certIndex)
      .map(({ key: _key, ...info }) => info);
  }

  /** The published templates. */
  get templates(): CertificateTemplate[] {
    return [...this.#templates.values()];
  }

  /** The policy EditFlags in force. */
  get editFlags(): EditFlag[] {
    return [...this.#editFlags];
  }

  /**
   * Renews a CA certificate, with the same key or a new one: the issuing (or standalone) CA's by
   * default, the root CA's with `authority: 'root'` (renewing a root, certutil -renewCert on the
   * root, gives a new self-signed certificate for the same name). The new certificate gets the
   * next certificate index (and key index for a new key), the CA Version extension ((key index
   * << 16) | certificate index, which certlab shows `V<cert>.<key>`) and the previous
   * certificate's hash. Old certificates are kept. A new key publishes its first CRLs at once (an
   * issuing CA its base and delta, a root its base), as the renewed AD CS does when it starts: the
   * certificates it signs from now on name them (`<CA>(k).crl`). The older keys' CRLs go on (see
   * {@link crlKeyIndexes}). After a root renewal with a new key, the issuing CA's certificate still
   * chains to the older root certificate until the issuing CA is renewed, which the new root key
   * then signs. No cross certificates are made.
   *
   * @example
   * ```ts
   * await ca.renew({ newKey: true });
   * ca.certIndex; // 1
   * ca.keyIndex;  // 1
   * await ca.renew({ authority: 'root', newKey: true }); // the root's V1.1
   * ```
   */
  async renew(options: { newKey?: boolean; authority?: AuthorityRole } = {}): Promise<CaCertificateInfo> {
    const authority = options.authority ?? 'issuing';
    if (authority === 'root' && this.standalone)
      throw new CaError('ERR_CA_OPTIONS_INVALID', 'This CA is standalone: it has no root CA to renew.');
    this.#checkUnlocked();
    const cur = this.#current(authority);
    const all = this.#certs.filter((c) => c.authority === authority);
    const certIndex = Math.max(...all.map((c) => c.certIndex)) + 1;
    // A new key takes the new certificate's index (Certification Authority Renewal's table:
    // installation 0/0, new key 1/1, same key 2/1, 3/1, new key 4/4; MS-WCCE §3.2.1.4.3.2.39).
    const keyIndex = options.newKey ? certIndex : cur.keyIndex;
    const key = options.newKey ? (await generateKeyPair(this.#keySpec)).privateKey : await cur.key();
    const now = this.#clock.now();
    const root = authority === 'root' || this.standalone ? undefined : this.#current('root');
    const years = authority === 'root' ? this.#caYears.root : this.#caYears.issuing;
    const notAfter = new Date(
      Math.min(
        now.getTime() + years * 365 * DAY,
        root ? root.certificate.notAfter.getTime() : Number.POSITIVE_INFINITY,
      ),
    );
    const certificate = await createCaCertificate({
      subject: cur.certificate.subject,
      publicKey: key.publicKey,
      signingKey: root ? await root.key() : key,
      ...(root
        ? {
            issuer: {
              certificate: root.certificate,
              name: this.rootName!,
              certIndex: root.certIndex,
              keyIndex: root.keyIndex,
            },
          }
        : {}),
      certIndex,
      keyIndex,
      previous: cur.certificate,
      points: this.points,
      notBefore: new Date(now.getTime() - this.#skew * 60_000),
      notAfter,
    });
    const row: CaCertificateRow = {
      authority,
      certIndex,
      keyIndex,
      certificate: certificate.der,
      privateKey: await storedKey(key, this.#protection),
      createdAt: now,
    };
    await this.store.addCaCertificate(row, this.#protection.encrypted ? 'passphrase' : undefined);
    if (authority === 'issuing' && this.#pool)
      // The workers get the key decrypted: they never see the passphrase.
      this.#pool.addIssuer({
        certIndex,
        keyIndex,
        certificate: row.certificate,
        privateKey: this.#protection.encrypted ? await key.toPkcs8() : row.privateKey,
      });
    const loaded: LoadedCaCert = {
      authority,
      certIndex,
      keyIndex,
      certificate,
      key: () => Promise.resolve(key),
    };
    this.#certs = [...this.#certs, loaded];
    if (options.newKey) {
      if (authority === 'root') await this.publishCrl({ authority: 'root', keyIndex });
      else await this.publishBaseAndDelta({ keyIndex });
    }
    return { authority, certIndex, keyIndex, certificate };
  }

  // --- requests ---------------------------------------------------------------------------------

  async #policy(
    request: RequestInput,
    attributes: RequestAttributes,
    requester: RequesterIdentity | undefined,
    officerApproved: boolean,
    now: Date,
    deferSignatureCheck = false,
  ) {
    const { input, signerRevoked } = await this.#prepare(request);
    return evaluatePolicy({
      request: input,
      attributes,
      templates: this.#templates,
      editFlags: this.#editFlags,
      ...(requester ? { requester } : {}),
      officerApproved,
      deferSignatureCheck,
      caCertificates: this.#issuingCertificates(),
      // The submission's instant: the policy's view of time (a renewal's signer, a requested end
      // date) is the one the certificate is then signed at.
      now,
      ...(signerRevoked ? { signerRevoked } : {}),
    });
  }

  /** The issuing CA certificates of every generation, rebuilt only when a generation is added. */
  #issuingCertificates(): Certificate[] {
    if (this.#issuingCache?.from !== this.#certs)
      this.#issuingCache = {
        from: this.#certs,
        certs: this.caCertificates('issuing').map((c) => c.certificate),
      };
    return this.#issuingCache.certs;
  }

  /**
   * The request as the policy module gets it, decoded once here: DER when it decodes to DER (the
   * policy module, on this thread or a signing worker, then takes it as is), as given otherwise
   * (the policy module reports the parse error and records the bytes as it always does). And
   * whether the certificate that signed a PKCS #7 renewal request is revoked in this CA's
   * database, which the policy module cannot read; a bare PKCS #10 is told apart by its first
   * bytes, so the common case costs one decode and no lookup.
   */
  async #prepare(request: RequestInput): Promise<{ input: string | Uint8Array; signerRevoked: boolean }> {
    if (request instanceof CertificationRequest) return { input: request.der, signerRevoked: false };
    let der: Uint8Array;
    try {
      der = decodeRequestInput(request);
    } catch {
      return { input: request, signerRevoked: false };
    }
    // Bytes that are not DER would be read as text again by the policy module: keep the input.
    if (der.length > 0 && der[0] !== 0x30) return { input: request, signerRevoked: false };
    let signer: Certificate | undefined;
    if (isSignedRequest(der))
      try {
        const signed = parseSignedRequest(der);
        signer = signed.format === 'pkcs7' ? signed.signerCertificate : undefined;
      } catch {
        // the policy module reports the parse error
      }
    return { input: der, signerRevoked: signer ? await this.#isRevokedHere(signer) : false };
  }

  /**
   * Whether this CA revoked `cert` (the signer of a renewal request): the policy module, which
   * may run on a signing worker, cannot read the database, so the calling thread looks it up.
   */
  async #isRevokedHere(cert: Certificate): Promise<boolean> {
    const row = await this.store.findBySerial(cert.serialNumber);
    const c = row?.certificate;
    // The serial must be one of ours: the same serial from another issuer is another certificate.
    const ours = this.caCertificates('issuing').find((g) => g.certIndex === c?.caCertIndex);
    return !!c?.revokedAt && !!ours && equalBytes(ours.certificate.subjectDer, cert.issuerDer);
  }

  async #sign(
    decision: Extract<PolicyDecision, { outcome: 'issue' }>,
    requestId: number,
    now: Date,
  ): Promise<CertificateRow> {
    const ca = this.#current('issuing');
    // The CDP and AIA extensions depend only on the CA certificate: build them once per index.
    const locKey = `${ca.certIndex}/${ca.keyIndex}`;
    let loc = this.#locations.get(locKey);
    if (!loc) {
      loc = issuerLocations(this.points, this.name, ca.certIndex, ca.keyIndex);
      this.#locations.set(locKey, loc);
    }
    const serialNumber = adcsSerialNumber({
      prefix: this.#serialPrefix,
      requestId,
      caCertIndex: ca.certIndex,
      random: this.#serialRandom(),
    });
    const cert = await issueCertificate({
      template: decision.templateDefinition,
      subject: decision.subjectName,
      altNames: decision.altNames,
      publicKey: decision.publicKey as PublicKey,
      serialNumber,
      issuer: ca.certificate,
      signingKey: await ca.key(),
      cdp: loc.cdp,
      aia: loc.aia,
      now,
      maxValidityDays: this.#validityDays,
      clockSkewMinutes: this.#skew,
      extensions: decision.extensions,
      ...(decision.requestedNotAfter ? { requestedNotAfter: decision.requestedNotAfter } : {}),
    });
    return {
      serialNumber: cert.serialNumber,
      caCertIndex: ca.certIndex,
      certificate: cert.der,
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
    };
  }

  /** {@link RequestStore.insertRequest} with the row's text made storable ({@link storableRow}). */
  #insertRequest(build: (requestId: number) => Promise<NewRequestRow>): Promise<RequestRow> {
    return this.store.insertRequest(async (requestId) => storableRow(await build(requestId)));
  }

  /** {@link RequestStore.updateRequest} with the change's text made storable ({@link storableRow}). */
  #updateRequest(
    requestId: number,
    change: (current: RequestRow) => Promise<RequestChange>,
  ): Promise<RequestRow> {
    return this.store.updateRequest(requestId, async (cur) => storableRow(await change(cur)));
  }

  /**
   * Submits a PKCS #10 request (PEM, Base64 or DER) as certsrv's certfnsh.asp or `certreq
   * -submit` would. Every submission gets the next request id, whatever its outcome; the
   * request row and the certificate are stored in one transaction. Never throws for a bad
   * request: it is denied with AD CS's message and HRESULT.
   *
   * @example
   * ```ts
   * const r = await ca.submit(csrPem, { template: 'WebServer' });
   * r.disposition; // 'issued'
   * r.certificate?.subject.toString();
   * ```
   */
  async submit(request: RequestInput, options: SubmitOptions = {}): Promise<RequestResult> {
    // A malformed SID or GUID is the caller's mistake: a TypeError before anything is recorded,
    // not in the middle of issuing (the policy writes them into the certificate).
    const problem = requesterIdentityProblem(options.requester);
    if (problem) throw new TypeError(`requester.${problem.field} ${problem.message}.`);
    // The caller's mistake, not a request: nothing is recorded and no request id is used (a
    // number or an ArrayBuffer used to become a denied "Error Parsing Request" row).
    if (
      typeof request !== 'string' &&
      !(request instanceof Uint8Array) &&
      !(request instanceof CertificationRequest)
    )
      throw new TypeError(
        'submit expects the request as PEM or Base64 text, DER bytes (Uint8Array) or a CertificationRequest.',
      );
    if (options.template !== undefined && typeof options.template !== 'string')
      throw new TypeError('submit: template must be a template name or OID (a string).');
    if (
      options.attributes !== undefined &&
      typeof options.attributes !== 'string' &&
      (typeof options.attributes !== 'object' || options.attributes === null)
    )
      throw new TypeError('submit: attributes must be `name:value` text, lines, or a record of strings.');
    const attrs: Record<string, string> = { ...parseRequestAttributes(options.attributes) };
    // The shorthand of a `CertificateTemplate:` attribute: cut at a NUL like the others.
    if (options.template !== undefined) attrs.certificatetemplate = untilNul(options.template);
    this.#checkUnlocked();
    const now = this.#clock.now();
    this.#checkNotExpired(this.#current('issuing'), now);
    if (this.#pool) return this.#submitPooled(this.#pool, request, attrs, options.requester, now);
    let decision = await this.#policy(request, attrs, options.requester, false, now, true);
    const row = await this.#insertRequest(async (requestId) => {
      // The request signature was still being checked: sign meanwhile (both run on WebCrypto's
      // thread pool), and keep the certificate only if the request's signature holds.
      let signed: Promise<CertificateRow> | undefined;
      if (decision.outcome === 'issue' && decision.signatureCheck) {
        signed = this.#sign(decision, requestId, now);
        signed.catch(() => {});
        if (!(await decision.signatureCheck)) {
          decision = badSignatureDecision(decision.der, {
            ...(decision.template !== undefined ? { template: decision.template } : {}),
            ...(decision.subject !== undefined ? { subject: decision.subject } : {}),
          });
          signed = undefined;
        }
      }
      const status: RequestStatus =
        decision.outcome === 'issue' ? 'issued' : decision.outcome === 'pending' ? 'pending' : 'denied';
      const base: NewRequestRow = {
        submittedAt: now,
        status,
        disposition: dispositionCode(status),
        dispositionMessage: decision.message,
        statusCode: decision.hresult.code,
        ...(decision.template !== undefined ? { template: decision.template } : {}),
        ...(options.requester ? { requester: JSON.stringify(options.requester) } : {}),
        ...(decision.subject !== undefined ? { subject: decision.subject } : {}),
        attributes: formatRequestAttributes(attrs),
        request: decision.der,
        ...(status !== 'pending' ? { resolvedAt: now } : {}),
      };
      if (decision.outcome !== 'issue') return base;
      return { ...base, certificate: await (signed ?? this.#sign(decision, requestId, now)) };
    });
    return this.#result(row);
  }

  /**
   * The 8 random octets of the next serial number, cut from a 4 KB block of CSPRNG output: one
   * getRandomValues call per 512 serials instead of one per serial (~10 µs each in Node).
   */
  #serialRandom(): Uint8Array {
    if (this.#randomAt + 8 > this.#randomBlock.length) {
      crypto.getRandomValues(this.#randomBlock);
      this.#randomAt = 0;
    }
    const out = this.#randomBlock.slice(this.#randomAt, this.#randomAt + 8);
    this.#randomAt += 8;
    return out;
  }

  /** {@link submit} with a signing pool: the policy module and signing run on a worker. */
  async #submitPooled(
    pool: SigningPool,
    request: RequestInput,
    attrs: RequestAttributes,
    requester: RequesterIdentity | undefined,
    now: Date,
  ): Promise<RequestResult> {
    const { input, signerRevoked } = await this.#prepare(request);
    const row = await this.#insertRequest(async (requestId) => {
      const ca = this.#current('issuing');
      const serialNumber = adcsSerialNumber({
        prefix: this.#serialPrefix,
        requestId,
        caCertIndex: ca.certIndex,
        random: this.#serialRandom(),
      });
      const o = await pool.issue({
        request: input,
        attributes: attrs,
        ...(requester ? { requester } : {}),
        ...(signerRevoked ? { signerRevoked } : {}),
        serialNumber,
        caCertIndex: ca.certIndex,
        now: now.getTime(),
      });
      const status: RequestStatus =
        o.outcome === 'issue' ? 'issued' : o.outcome === 'pending' ? 'pending' : 'denied';
      const base: NewRequestRow = {
        submittedAt: now,
        status,
        disposition: dispositionCode(status),
        dispositionMessage: o.message,
        statusCode: o.hresult,
        ...(o.template !== undefined ? { template: o.template } : {}),
        ...(requester ? { requester: JSON.stringify(requester) } : {}),
        ...(o.subject !== undefined ? { subject: o.subject } : {}),
        attributes: formatRequestAttributes(attrs),
        request: o.der ?? (typeof input === 'string' ? new TextEncoder().encode(input) : input),
        ...(status !== 'pending' ? { resolvedAt: now } : {}),
      };
      if (!o.certificate) return base;
      return {
        ...base,
        certificate: {
          serialNumber: o.certificate.serialNumber,
          caCertIndex: ca.certIndex,
          certificate: o.certificate.certificate,
          notBefore: new Date(o.certificate.notBefore),
          notAfter: new Date(o.certificate.notAfter),
        },
      };
    });
    return this.#result(row);
  }

  #result(row: RequestRow): RequestResult {
    const c = row.certificate;
    const requester = parseRequester(row.requester);
    const result: RequestResult = {
      requestId: row.requestId,
      disposition: row.status,
      dispositionCode: row.disposition,
      message: row.dispositionMessage,
      hresult: row.statusCode,
      status: statusText(row.statusCode),
      ...(row.template !== undefined ? { template: row.template } : {}),
      ...(row.subject !== undefined ? { subject: row.subject } : {}),
      ...(requester ? { requester } : {}),
      submittedAt: row.submittedAt,
      ...(row.resolvedAt ? { resolvedAt: row.resolvedAt } : {}),
      ...(c ? { serialNumber: c.serialNumber } : {}),
      ...(row.attributes ? { attributes: row.attributes } : {}),
    };
    if (c) {
      // Parsed on first read: certsrv's result pages never look at it, and a submission under
      // load should not pay for a parse nobody uses. An own enumerable property all the same
      // (spread, JSON and toEqual see it as before); the parse happens once.
      let parsed: Certificate | undefined;
      const der = c.certificate;
      Object.defineProperty(result, 'certificate', {
        enumerable: true,
        configurable: true,
        get: () => (parsed ??= parseCertificate(der)),
      });
      if (c.revokedAt)
        Object.assign(result, { revokedAt: c.revokedAt, revocationReason: reasonName(c.revocationReason) });
    }
    return result;
  }

  /**
   * The current state of a request (certnew.cer?ReqID=N / certreq -retrieve). Throws
   * ERR_CA_REQUEST_NOT_FOUND for an unknown id.
   *
   * @example
   * ```ts
   * const r = await ca.retrieve(7);
   * if (r.disposition === 'issued') console.log(r.certificate!.toPem());
   * ```
   */
  async retrieve(requestId: number): Promise<RequestResult> {
    const row = await this.store.getRequest(checkRequestId(requestId));
    if (!row) throw new CaError('ERR_CA_REQUEST_NOT_FOUND', `There is no request ${requestId}.`);
    return this.#result(row);
  }

  /** Re-runs the policy module over a stored request, as a CA officer's resubmission. */
  async #reissue(
    requestId: number,
    allowed: readonly RequestStatus[],
    officer: string,
  ): Promise<RequestResult> {
    this.#checkUnlocked();
    this.#checkNotExpired(this.#current('issuing'), this.#clock.now());
    const row = await this.#updateRequest(checkRequestId(requestId), async (cur): Promise<RequestChange> => {
      if (!allowed.includes(cur.status))
        throw new CaError(
          'ERR_CA_REQUEST_STATE',
          `Request ${requestId} is ${cur.status}; only ${allowed.join(' or ')} requests can be issued by an officer.`,
        );
      const now = this.#clock.now();
      const attrs = parseRequestAttributes(cur.attributes);
      const decision = await this.#policy(cur.request, attrs, parseRequester(cur.requester), true, now);
      if (decision.outcome !== 'issue')
        return {
          status: 'denied',
          disposition: CR_DISP.DENIED,
          dispositionMessage: decision.message,
          statusCode: decision.hresult.code,
          resolvedAt: now,
        };
      return {
        status: 'issued',
        disposition: CR_DISP.ISSUED,
        dispositionMessage: `Resubmitted by ${officer}`,
        statusCode: HRESULTS.S_OK.code,
        resolvedAt: now,
        ...(decision.subject !== undefined ? { subject: decision.subject } : {}),
        certificate: await this.#sign(decision, requestId, now),
      };
    });
    return this.#result(row);
  }

  /**
   * Issues a pending request (the console's "Issue", ICertAdmin::ResubmitRequest). The policy
   * module runs again without the manager-approval step. ERR_CA_REQUEST_STATE unless pending.
   *
   * @example
   * ```ts
   * const r = await ca.approve(pending.requestId);
   * r.message; // 'Resubmitted by CONTOSO\Administrator'
   * ```
   */
  approve(requestId: number, options: { officer?: string } = {}): Promise<RequestResult> {
    return this.#reissue(requestId, ['pending'], options.officer ?? this.#officer);
  }

  /**
   * Resubmits a pending or denied request (e.g. after a template was published or the CA's
   * EditFlags changed).
   *
   * @example
   * ```ts
   * await ca.resubmit(12);
   * ```
   */
  resubmit(requestId: number, options: { officer?: string } = {}): Promise<RequestResult> {
    return this.#reissue(requestId, ['pending', 'denied'], options.officer ?? this.#officer);
  }

  /**
   * Denies a pending request (the console's "Deny"): disposition `Denied by <officer>`, status
   * CERTSRV_E_ADMIN_DENIED_REQUEST. ERR_CA_REQUEST_STATE unless pending.
   *
   * @example
   * ```ts
   * (await ca.deny(12)).hresult; // 0x80094014
   * ```
   */
  async deny(requestId: number, options: { officer?: string } = {}): Promise<RequestResult> {
    const officer = options.officer ?? this.#officer;
    const row = await this.#updateRequest(checkRequestId(requestId), async (cur) => {
      if (cur.status !== 'pending')
        throw new CaError(
          'ERR_CA_REQUEST_STATE',
          `Request ${requestId} is ${cur.status}; only pending requests can be denied.`,
        );
      return {
        status: 'denied',
        disposition: CR_DISP.DENIED,
        dispositionMessage: `Denied by ${officer}`,
        statusCode: HRESULTS.CERTSRV_E_ADMIN_DENIED_REQUEST.code,
        resolvedAt: this.#clock.now(),
      };
    });
    return this.#result(row);
  }

  async #target(serialOrId: number | string | bigint): Promise<RequestRow> {
    if (typeof serialOrId === 'number') {
      const row = await this.store.getRequest(checkRequestId(serialOrId));
      if (!row) throw new CaError('ERR_CA_REQUEST_NOT_FOUND', `There is no request ${serialOrId}.`);
      return row;
    }
    const hex =
      typeof serialOrId === 'bigint'
        ? serialOrId.toString(16)
        : serialOrId.replace(/[\s:]/g, '').replace(/^0x/i, '');
    const norm = (hex.length % 2 ? `0${hex}` : hex).toUpperCase().replace(/^(00)+(?=[0-7])/, '');
    const row = await this.store.findBySerial(norm);
    if (!row)
      throw new CaError('ERR_CA_CERTIFICATE_NOT_FOUND', `This CA issued no certificate with serial ${norm}.`);
    return row;
  }

  /**
   * Revokes a certificate given by request id (number) or serial number (hex text or bigint).
   * A certificate on hold may be revoked again with a final reason. ERR_CA_REVOCATION_STATE for
   * a certificate already revoked for good; ERR_CA_REQUEST_STATE when the request has none.
   *
   * @example
   * ```ts
   * await ca.revoke(r.serialNumber!, 'keyCompromise');
   * await ca.revoke(r.requestId, 'certificateHold');
   * ```
   */
  async revoke(
    serialOrId: number | string | bigint,
    reason: CrlReason = 'unspecified',
    options: { date?: Date; officer?: string } = {},
  ): Promise<RequestResult> {
    const code = reasonCode(reason);
    const target = await this.#target(serialOrId);
    const officer = options.officer ?? this.#officer;
    const row = await this.#updateRequest(target.requestId, async (cur) => {
      const c = cur.certificate;
      if (!c || (cur.status !== 'issued' && cur.status !== 'revoked'))
        throw new CaError(
          'ERR_CA_REQUEST_STATE',
          `Request ${cur.requestId} is ${cur.status}: it has no certificate to revoke.`,
        );
      if (cur.status === 'revoked' && c.revocationReason !== 6)
        throw new CaError(
          'ERR_CA_REVOCATION_STATE',
          `The certificate ${c.serialNumber} is already revoked (${reasonName(c.revocationReason)}).`,
        );
      const at = options.date ?? this.#clock.now();
      return {
        status: 'revoked',
        disposition: CR_DISP.REVOKED,
        dispositionMessage: `Revoked by ${officer}`,
        statusCode: HRESULTS.CRYPT_E_REVOKED.code,
        revocation: {
          revokedAt: c.revokedAt ?? at,
          revocationReason: code,
          unrevokedAt: c.unrevokedAt ?? null,
        },
      };
    });
    return this.#result(row);
  }

  /**
   * Releases a certificate from hold (certutil -revoke SERIAL unrevoke): only for reason
   * certificateHold; the next delta CRL lists it with removeFromCRL.
   *
   * @example
   * ```ts
   * await ca.revoke(serial, 'certificateHold');
   * await ca.unrevoke(serial);
   * ```
   */
  async unrevoke(serialOrId: number | string | bigint): Promise<RequestResult> {
    const target = await this.#target(serialOrId);
    const row = await this.#updateRequest(target.requestId, async (cur) => {
      const c = cur.certificate;
      if (cur.status !== 'revoked' || !c || c.revocationReason !== 6)
        throw new CaError(
          'ERR_CA_REVOCATION_STATE',
          `Only a certificate revoked with reason certificateHold can be unrevoked; request ${cur.requestId} is ${cur.status}${c?.revokedAt ? ` (${reasonName(c.revocationReason)})` : ''}.`,
        );
      return {
        status: 'issued',
        disposition: CR_DISP.ISSUED,
        dispositionMessage: 'Issued',
        statusCode: HRESULTS.S_OK.code,
        revocation: { revokedAt: null, revocationReason: null, unrevokedAt: this.#clock.now() },
      };
    });
    return this.#result(row);
  }

  /**
   * Requests in id order, optionally of one status (the console's Issued / Pending / Failed /
   * Revoked folders).
   *
   * @example
   * ```ts
   * const pending = await ca.list({ status: 'pending' });
   * ```
   */
  async list(
    filter: { status?: RequestStatus; afterId?: number; limit?: number } = {},
  ): Promise<RequestResult[]> {
    const rows = await this.store.listRequests(filter);
    return rows.map((r) => this.#result(r));
  }

  // --- CRLs -------------------------------------------------------------------------------------

  /**
   * The PublishedCrl of a stored CRL row, parsed and PEM-encoded once per CRL: every download
   * (certcrl.crl, /CertEnroll/, reference §6.4/§6.5) looks up the newest CRL (its number only,
   * see {@link latestCrl}, when the store can), and an unchanged CRL is not parsed and encoded
   * again. The entry is reused only when the row is the same CRL
   * (same number, kind, key index, dates and DER bytes), so whatever the store returns is what
   * is served: a CRL published here, by another process sharing the database, or after a
   * renewal (new key index) replaces the entry at its first lookup, never a stale one.
   */
  #published(row: CrlRow, caName: string): PublishedCrl {
    const key = crlCacheKey(row.authority, row.delta, row.keyIndex);
    const hit = this.#crlCache.get(key);
    if (hit && sameCrlRow(hit.row, row)) return hit.published;
    const fileName = crlFileName(caName, row.keyIndex, row.delta);
    const published: PublishedCrl = Object.freeze({
      crl: parseCrl(row.crl),
      crlNumber: row.crlNumber,
      delta: row.delta,
      ...(row.baseCrlNumber !== undefined ? { baseCrlNumber: row.baseCrlNumber } : {}),
      keyIndex: row.keyIndex,
      fileName,
      url: certEnrollUrl(this.points.baseUrl, fileName),
      thisUpdate: row.thisUpdate,
      nextUpdate: row.nextUpdate,
      pem: encodePem('X509 CRL', row.crl),
    });
    // A lookup that read row N may finish after a publish cached N+1: keep the newer entry
    // (numbers only grow per authority, so per key too), or the next download would read and parse N+1 again.
    if (!hit || row.crlNumber >= hit.row.crlNumber) this.#crlCache.set(key, { row, published });
    return published;
  }

  /** The CRL publication periods in force (hours). */
  get crlPeriods(): { baseHours: number; deltaHours: number } {
    return { ...this.#crl };
  }

  /**
   * ClockSkewMinutes: issued certificates start, and CRLs are dated, this long before the CA
   * signs them.
   *
   * @example
   * ```ts
   * const publishedAt = crl.thisUpdate.getTime() + ca.clockSkewMinutes * 60_000;
   * ```
   */
  get clockSkewMinutes(): number {
    return this.#skew;
  }

  /**
   * Publishes every CRL the hierarchy has, as the console's Publish action or a new CA's
   * installation does: the root's base CRL (two-tier CAs), then the issuing CA's base and delta
   * CRLs for each key of {@link crlKeyIndexes} (the current key first). Returns them in that
   * order.
   *
   * @example
   * ```ts
   * await ca.revoke(serial, 'keyCompromise');
   * for (const crl of await ca.publishAllCrls()) console.log(crl.fileName, crl.crlNumber);
   * ```
   */
  async publishAllCrls(): Promise<PublishedCrl[]> {
    const out: PublishedCrl[] = [];
    if (!this.standalone)
      for (const keyIndex of this.crlKeyIndexes('root'))
        out.push(await this.publishCrl({ authority: 'root', keyIndex }));
    for (const keyIndex of this.crlKeyIndexes()) {
      const { base, delta } = await this.publishBaseAndDelta({ keyIndex });
      out.push(base, ...(delta ? [delta] : []));
    }
    return out;
  }

  /**
   * Publishes a base CRL of the issuing CA and, when delta CRLs are enabled, a delta over it, as
   * `certutil -CRL` and the console's "New CRL" do: the base's Freshest CRL names the delta's
   * file, which must then build on this base (RFC 5280 §5.2.4), not on the previous one.
   *
   * @example
   * ```ts
   * const { base, delta } = await ca.publishBaseAndDelta();
   * ```
   */
  async publishBaseAndDelta(
    options: { keyIndex?: number } = {},
  ): Promise<{ base: PublishedCrl; delta?: PublishedCrl }> {
    const key = options.keyIndex !== undefined ? { keyIndex: options.keyIndex } : {};
    const base = await this.publishCrl(key);
    if (this.#crl.deltaHours <= 0) return { base };
    return { base, delta: await this.publishCrl({ ...key, delta: true }) };
  }

  /**
   * Publishes a CRL now (certutil -CRL): a base CRL of every revoked, unexpired certificate,
   * or a delta CRL of the changes since the newest base (a base is published first when there
   * is none). `authority: 'root'` publishes the root's (base) CRL. `keyIndex` picks the CA key
   * (default: the current one): an older key's CRL lists the revoked certificates that key
   * signed, and is signed by it (see {@link crlKeyIndexes}).
   *
   * @example
   * ```ts
   * const base = await ca.publishCrl();
   * const delta = await ca.publishCrl({ delta: true });
   * const old = await ca.publishCrl({ keyIndex: 0 }); // after a renewal with a new key
   * ```
   */
  async publishCrl(
    options: { delta?: boolean; authority?: AuthorityRole; keyIndex?: number } = {},
  ): Promise<PublishedCrl> {
    const authority = options.authority ?? 'issuing';
    const delta = options.delta === true;
    if (authority === 'root' && this.standalone)
      throw new CaError('ERR_CA_OPTIONS_INVALID', 'A standalone CA has no root: publish the issuing CA CRL.');
    if (delta && authority === 'root')
      throw new CaError('ERR_CA_OPTIONS_INVALID', 'The simulated root CA publishes base CRLs only.');
    if (delta && this.#crl.deltaHours <= 0)
      throw new CaError('ERR_CA_OPTIONS_INVALID', 'Delta CRLs are disabled (crl.deltaHours is 0).');
    if (options.keyIndex !== undefined && !Number.isSafeInteger(options.keyIndex))
      throw new TypeError(`keyIndex must be an integer, not ${String(options.keyIndex)}.`);
    this.#checkUnlocked();
    const caName = authority === 'root' ? this.rootName! : this.name;
    const ca =
      options.keyIndex === undefined
        ? this.#current(authority)
        : this.#newestOfKey(authority, options.keyIndex);
    this.#checkNotExpired(ca, this.#clock.now());
    let base: Crl | undefined;
    if (delta) {
      // The delta's base is the newest base CRL of the same key (RFC 5280 §5.2.4: same scope).
      const b =
        (await this.store.latestCrl('issuing', false, ca.keyIndex)) ??
        (await this.#publishRow('issuing', false, undefined, ca, this.name));
      base = this.#published(b, this.name).crl;
    }
    const row = await this.#publishRow(authority, delta, base, ca, caName);
    return this.#published(row, caName);
  }

  async #publishRow(
    authority: AuthorityRole,
    delta: boolean,
    base: Crl | undefined,
    ca: LoadedCaCert,
    caName: string,
  ): Promise<CrlRow> {
    const now = this.#clock.now();
    const periodHours = delta ? this.#crl.deltaHours : this.#crl.baseHours;
    // CRLOverlapPeriod default: 10 % of the period, at most 12 hours.
    const overlap = Math.min(periodHours * HOUR * 0.1, 12 * HOUR);
    const nextUpdate = new Date(now.getTime() + periodHours * HOUR + overlap);
    // AD CS dates a CRL ClockSkewMinutes before it publishes it, as it does notBefore, so that a
    // client whose clock is a little behind does not find it "not yet valid"; Next CRL Publish
    // is when it will publish again (Microsoft PKI blog, "How EffectiveDate (thisupdate),
    // NextUpdate and NextCRLPublish are calculated").
    const thisUpdate = new Date(now.getTime() - this.#skew * 60_000);
    const nextPublish = new Date(now.getTime() + periodHours * HOUR);
    const keyOf = new Map(
      this.#certs.filter((c) => c.authority === authority).map((c) => [c.certIndex, c.keyIndex]),
    );
    const rows =
      authority === 'issuing'
        ? (await this.store.revocations()).filter((r) => keyOf.get(r.caCertIndex) === ca.keyIndex)
        : [];
    const deltaUrls =
      authority === 'issuing' && this.#crl.deltaHours > 0
        ? crlUrls(this.points, caName, ca.keyIndex, true)
        : [];
    return this.store.insertCrl(authority, async (crlNumber) => {
      const crl = await buildCrl({
        issuer: ca.certificate,
        signingKey: await ca.key(),
        certIndex: ca.certIndex,
        keyIndex: ca.keyIndex,
        crlNumber,
        thisUpdate,
        nextUpdate,
        nextPublish,
        rows,
        ...(base ? { base } : {}),
        ...(deltaUrls.length ? { deltaUrls } : {}),
      });
      return {
        delta,
        ...(base ? { baseCrlNumber: Number(base.crlNumber) } : {}),
        keyIndex: ca.keyIndex,
        thisUpdate,
        nextUpdate,
        crl: crl.der,
      };
    });
  }

  /**
   * The newest published base or delta CRL of a CA key (default: the current key), if any.
   *
   * @example
   * ```ts
   * const latest = await ca.latestCrl();
   * const oldKey = await ca.latestCrl({ keyIndex: 0 }); // after a renewal with a new key
   * ```
   */
  async latestCrl(
    options: { delta?: boolean; authority?: AuthorityRole; keyIndex?: number } = {},
  ): Promise<PublishedCrl | undefined> {
    const authority = options.authority ?? 'issuing';
    const delta = options.delta === true;
    // A standalone CA has no root: nothing to return.
    const keyIndex = options.keyIndex ?? this.#newest(authority)?.keyIndex;
    if (keyIndex === undefined) return undefined;
    // While the cached CRL is the newest, only its number is read, not the row (a 16 KB CRL
    // makes the row several times slower to fetch). This is the same query as latestCrl's (same
    // authority, kind and key), and (authority, crlNumber) is the table's key and CRL rows are
    // never updated, so an equal number is the cached row. Any other answer (a CRL published
    // since, here or by another instance on the database) reads the row as before.
    const store = this.store;
    const hit = this.#crlCache.get(crlCacheKey(authority, delta, keyIndex));
    if (hit && store.latestCrlNumber) {
      if ((await store.latestCrlNumber(authority, delta, keyIndex)) === hit.row.crlNumber)
        return hit.published;
    }
    const row = await store.latestCrl(authority, delta, keyIndex);
    return row ? this.#published(row, authority === 'root' ? this.rootName! : this.name) : undefined;
  }

  /** Stops the signing workers, if any, and closes the request database. */
  async close(): Promise<void> {
    await this.#pool?.close();
    return this.store.close();
  }
}

/** The key of an authority's base or delta CRL of one CA key in the CA's `#crlCache`. */
function crlCacheKey(authority: AuthorityRole, delta: boolean, keyIndex: number): string {
  return `${authority}:${delta ? 'delta' : 'base'}:${keyIndex}`;
}

/**
 * Whether two stored CRL rows are the same CRL. (authority, crlNumber) is the table's key and
 * rows are never updated, but the bytes are compared too (a memcmp, about a microsecond for a
 * 16 KB CRL) so that a cached CRL can never stand in for different bytes.
 */
function sameCrlRow(a: CrlRow, b: CrlRow): boolean {
  if (a === b) return true;
  return (
    a.authority === b.authority &&
    a.crlNumber === b.crlNumber &&
    a.delta === b.delta &&
    a.baseCrlNumber === b.baseCrlNumber &&
    a.keyIndex === b.keyIndex &&
    a.thisUpdate.getTime() === b.thisUpdate.getTime() &&
    a.nextUpdate.getTime() === b.nextUpdate.getTime() &&
    Buffer.compare(a.crl, b.crl) === 0
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch (cause) {
    throw new CaError('ERR_CA_OPTIONS_INVALID', `"${url}" is not a URL.`, { cause });
  }
}

/**
 * Checks a list of templates to publish: requests name a template by its cn (case-insensitive) or
 * its OID, so both must be unique. Throws ERR_CA_OPTIONS_INVALID naming the two templates.
 *
 * @example
 * ```ts
 * checkTemplateList([WEB_SERVER_TEMPLATE, { ...WEB_SERVER_TEMPLATE, name: 'webserver' }]); // throws
 * ```
 */
export function checkTemplateList(templates: readonly CertificateTemplate[]): void {
  const names = new Set<string>();
  const oids = new Map<string, string>();
  for (const t of templates) {
    if (names.has(t.name.toLowerCase()))
      throw new CaError(
        'ERR_CA_OPTIONS_INVALID',
        `Two templates are named "${t.name}": template names must be unique.`,
      );
    names.add(t.name.toLowerCase());
    const sameOid = t.oid !== undefined ? oids.get(t.oid) : undefined;
    if (sameOid)
      throw new CaError(
        'ERR_CA_OPTIONS_INVALID',
        `The templates "${sameOid}" and "${t.name}" have the same OID ${t.oid}: give each template its own.`,
      );
    if (t.oid !== undefined) oids.set(t.oid, t.name);
  }
}

/**
 * Creates the CA, or opens it when `db` already holds one (its names must match). A root and an
 * issuing CA ("CA émettrice") when `root` is given, otherwise one self-signed CA. The CA
 * certificates carry what AD CS puts in them: basicConstraints, keyUsage, SKI/AKI, CA Version
 * V0.0, and for the issuing CA the SubCA template name and CDP/AIA URLs of the root under
 * `<baseUrl>/CertEnroll/`.
 *
 * @example
 * ```ts
 * const ca = await createAuthority({
 *   name: 'Contoso Issuing CA',
 *   root: { name: 'Contoso Root CA' },
 *   keyType: 'ec',
 *   db: await openPgliteStore({ dataDir: '.certlab/db' }),
 *   baseUrl: 'http://pki.contoso.com',
 * });
 * ```
 */
export async function createAuthority(options: AuthorityOptions): Promise<CertificationAuthority> {
  if (
    typeof options !== 'object' ||
    options === null ||
    typeof options.name !== 'string' ||
    !options.name.trim()
  )
    throw new CaError('ERR_CA_OPTIONS_INVALID', 'createAuthority() needs { name: "<CA common name>" }.');
  if (options.root && (typeof options.root.name !== 'string' || !options.root.name.trim()))
    throw new CaError('ERR_CA_OPTIONS_INVALID', 'root.name must be the root CA common name.');
  // The names and URLs are stored as the CA's settings and written into certificates, URLs and
  // pages: a control character there (U+0000 cannot even be stored as text) is a caller's typo
  // or hostile input, refused here before any store is touched.
  for (const [what, v] of [
    ['name', options.name],
    ['root.name', options.root?.name],
    ['subjectSuffix', options.subjectSuffix],
    ['baseUrl', options.baseUrl],
    ['serverDnsName', options.serverDnsName],
    ['ldap.configurationContainer', options.ldap?.configurationContainer],
    ['ldap.serverShortName', options.ldap?.serverShortName],
  ] as const) {
    const at = typeof v === 'string' ? v.search(CONTROL_CHARACTERS) : -1;
    if (at >= 0)
      throw new CaError(
        'ERR_CA_OPTIONS_INVALID',
        `${what} holds the control character U+${v!.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0')}: give it without control characters.`,
      );
  }
  const store = options.db ?? createMemoryStore();
  const clock = options.clock ?? systemClock;
  const baseUrl = (options.baseUrl ?? 'http://pki.contoso.com').replace(/\/+$/, '');
  checkLdapOptions(options);
  if (options.templates) checkTemplateList(options.templates);
  // Checked before the store is touched, so that a refused option creates no CA.
  for (const flag of options.editFlags ?? [])
    if (!EDIT_FLAGS.includes(flag))
      throw new CaError(
        'ERR_CA_OPTIONS_INVALID',
        `editFlags: ${String(flag)} is not an EditFlag certlab honours (${EDIT_FLAGS.join(', ')}).`,
      );
  const passphrase = options.keyPassphrase;
  // The keys a new CA makes: encrypted when it is given a passphrase.
  const created = protectionWith(passphrase, 'keyPassphrase');
  const serverDnsName = options.serverDnsName ?? hostOf(baseUrl);
  const spec = keySpec(options);
  const setup = await store.initializeCa(async () => {
    // Thrown inside the store's transaction: it is rolled back, nothing is created.
    if (options.create === false)
      throw new CaError(
        'ERR_CA_NOT_FOUND',
        `The database holds no CA: create "${options.name}" first (createAuthority without create: false, or certlab ca init).`,
      );
    const now = clock.now();
    const skew = (options.clockSkewMinutes ?? 10) * 60_000;
    const notBefore = new Date(now.getTime() - skew);
    const years = {
      root: options.caValidityYears?.root ?? 10,
      issuing: options.caValidityYears?.issuing ?? 5,
    };
    const points: PublicationPoints = {
      baseUrl,
      serverDnsName,
      ...(options.ldap ? { ldap: options.ldap } : {}),
      ...(options.httpUrls === false ? { http: false } : {}),
    };
    const rows: CaCertificateRow[] = [];
    const issuingKey = (await generateKeyPair(spec)).privateKey;
    const issuingSubject = caSubject(options.name, options.subjectSuffix);
    if (options.root) {
      const rootKey = (await generateKeyPair(spec)).privateKey;
      const rootCert = await createCaCertificate({
        subject: caSubject(options.root.name, options.subjectSuffix),
        publicKey: rootKey.publicKey,
        signingKey: rootKey,
        certIndex: 0,
        keyIndex: 0,
        points,
        notBefore,
        notAfter: new Date(now.getTime() + years.root * 365 * DAY),
      });
      const issuingCert = await createCaCertificate({
        subject: issuingSubject,
        publicKey: issuingKey.publicKey,
        signingKey: rootKey,
        issuer: { certificate: rootCert, name: options.root.name, certIndex: 0, keyIndex: 0 },
        certIndex: 0,
        keyIndex: 0,
        points,
        notBefore,
        notAfter: new Date(Math.min(now.getTime() + years.issuing * 365 * DAY, rootCert.notAfter.getTime())),
      });
      rows.push(
        {
          authority: 'root',
          certIndex: 0,
          keyIndex: 0,
          certificate: rootCert.der,
          privateKey: await storedKey(rootKey, created),
          createdAt: now,
        },
        {
          authority: 'issuing',
          certIndex: 0,
          keyIndex: 0,
          certificate: issuingCert.der,
          privateKey: await storedKey(issuingKey, created),
          createdAt: now,
        },
      );
    } else {
      const cert = await createCaCertificate({
        subject: issuingSubject,
        publicKey: issuingKey.publicKey,
        signingKey: issuingKey,
        certIndex: 0,
        keyIndex: 0,
        points,
        notBefore,
        notAfter: new Date(now.getTime() + years.issuing * 365 * DAY),
      });
      rows.push({
        authority: 'issuing',
        certIndex: 0,
        keyIndex: 0,
        certificate: cert.der,
        privateKey: await storedKey(issuingKey, created),
        createdAt: now,
      });
    }
    return {
      config: {
        name: options.name,
        rootName: options.root?.name ?? '',
        subjectSuffix: options.subjectSuffix ?? '',
        baseUrl,
        serverDnsName,
        ...(options.ldap
          ? {
              ldapConfigurationContainer: options.ldap.configurationContainer,
              ldapServerShortName: options.ldap.serverShortName,
            }
          : {}),
        ...(options.httpUrls === false ? { httpUrls: 'false' } : {}),
        ...(created.encrypted ? { [KEY_PROTECTION_SETTING]: 'passphrase' } : {}),
        keySpec: JSON.stringify(spec),
        serialPrefix: String(randomSerialPrefix()),
      },
      certificates: rows,
    };
  });
  const cfg = setup.config;
  if (cfg.name !== options.name || (cfg.rootName || undefined) !== options.root?.name)
    throw new CaError(
      'ERR_CA_MISMATCH',
      `The database holds the CA "${cfg.name}"${cfg.rootName ? ` under "${cfg.rootName}"` : ''}, not "${options.name}"${options.root ? ` under "${options.root.name}"` : ''}.`,
    );
  const workers = options.signingWorkers;
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 0 || workers > 64))
    throw new CaError('ERR_CA_OPTIONS_INVALID', 'signingWorkers must be an integer from 0 to 64.');
  const encrypted = cfg[KEY_PROTECTION_SETTING] === 'passphrase';
  if (!encrypted && passphrase !== undefined)
    throw new CaError(
      'ERR_CA_OPTIONS_INVALID',
      `The CA "${cfg.name}" keeps its private keys unencrypted (it was created without a key passphrase): open it without one, then give it one with setKeyPassphrase (certlab ca passphrase).`,
    );
  const protection: KeyProtection = encrypted ? { encrypted, passphrase } : { encrypted };
  const loaded = setup.certificates.map((row) => ({ row, cert: loadCaCert(row, protection) }));
  const issuing = loaded.filter(({ row }) => row.authority === 'issuing');
  // A wrong passphrase is told now, not at the first submission; a locked CA cannot feed workers.
  if (encrypted && (passphrase !== undefined || workers)) {
    const current = issuing.reduce((a, b) => (b.row.certIndex > a.row.certIndex ? b : a));
    await current.cert.key().catch((e: unknown) => damagedOrWrong(e, current.row, loaded));
  }
  const issuers = workers
    ? await Promise.all(
        issuing.map(async ({ row, cert }) => ({
          certIndex: row.certIndex,
          keyIndex: row.keyIndex,
          certificate: row.certificate,
          // The workers get the keys decrypted: they never see the passphrase.
          privateKey: encrypted ? await (await cert.key()).toPkcs8() : row.privateKey,
        })),
      )
    : undefined;
  const certs = loaded.map(({ cert }) => cert);
  return new CertificationAuthority({
    options,
    config: cfg,
    certs,
    store,
    protection,
    ...(issuers ? { issuers } : {}),
  });
}

/** The publication points a CA's stored configuration describes. */
function pointsOf(config: Record<string, string | undefined>): PublicationPoints {
  return {
    baseUrl: config.baseUrl!,
    serverDnsName: config.serverDnsName!,
    ...(config.ldapConfigurationContainer && config.ldapServerShortName
      ? {
          ldap: {
            configurationContainer: config.ldapConfigurationContainer,
            serverShortName: config.ldapServerShortName,
          },
        }
      : {}),
    ...(config.httpUrls === 'false' ? { http: false } : {}),
  };
}

/** The LDAP publication options, checked before anything is created. */
function checkLdapOptions(options: AuthorityOptions): void {
  if (options.httpUrls === false && !options.ldap)
    throw new CaError(
      'ERR_CA_OPTIONS_INVALID',
      'httpUrls: false leaves certificates without CDP and AIA URLs: give ldap too.',
    );
  if (options.ldap)
    checkLdapPublication(options.ldap, [options.name, ...(options.root ? [options.root.name] : [])]);
}

/**
 * Checks an Active Directory publication for CAs of these names (ERR_CA_OPTIONS_INVALID): the
 * configuration container's form, a NetBIOS server name, CA names AD CS would not shorten.
 *
 * @example
 * ```ts
 * checkLdapPublication({ configurationContainer: 'CN=Configuration,DC=contoso,DC=com', serverShortName: 'PKI' }, ['Contoso Issuing CA']);
 * ```
 */
export function checkLdapPublication(ldap: LdapPublication, caNames: readonly string[]): void {
  const bad = (why: string) => new CaError('ERR_CA_OPTIONS_INVALID', why);
  const { configurationContainer, serverShortName } = ldap;
  if (typeof configurationContainer !== 'string' || !/^CN=Configuration,DC=/i.test(configurationContainer))
    throw bad(
      `The LDAP configuration container must read CN=Configuration,DC=…, not ${JSON.stringify(configurationContainer)}.`,
    );
  if (typeof serverShortName !== 'string' || !/^[A-Za-z0-9-]{1,15}$/.test(serverShortName))
    throw bad(
      `The LDAP server name must be a NetBIOS computer name (1-15 letters, digits or -), not ${JSON.stringify(serverShortName)}.`,
    );
  for (const name of caNames) ldapAiaUrl(ldap, name); // ERR_CA_OPTIONS_INVALID for a name too long
}
