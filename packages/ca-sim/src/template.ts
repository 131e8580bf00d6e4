// Certificate templates as data: the subset of the AD template object ([MS-CRTD] §2) that decides
// what the simulated Enterprise policy module accepts and what the issued certificate contains.

import { ekuOid, KEY_USAGE_FLAGS, type KeyUsageFlag, msNtdsCaSecurity } from '@certlab/pki';
import { CaError } from './errors.js';
import { objectGuidAltName } from './request-attributes.js';
import { CONTROL_CHARACTERS as CONTROL, UNPRINTABLE } from './text-checks.js';

/**
 * Key algorithms a template may allow.
 *
 * @example
 * ```ts
 * const allowed: TemplateKeyType[] = ['rsa', 'ec'];
 * ```
 */
export type TemplateKeyType = 'rsa' | 'ec' | 'ed25519';

/**
 * What the directory knows about the requester, for templates whose subject is built from AD.
 *
 * @example
 * ```ts
 * const who: RequesterIdentity = { name: 'CONTOSO\\EXCH01$', dnsHostName: 'exch01.contoso.com' };
 * ```
 */
export interface RequesterIdentity {
  /** `DOMAIN\user` or `DOMAIN\host$`: checked against the template's `enroll` list. */
  readonly name?: string;
  /** The distinguished name in the directory (`CN=Alice,CN=Users,DC=contoso,DC=com`). */
  readonly dn?: string;
  /** dNSHostName of a computer account. */
  readonly dnsHostName?: string;
  /** userPrincipalName. */
  readonly upn?: string;
  /** mail. */
  readonly email?: string;
  /**
   * objectSid (`S-1-5-21-…`): written into the NTDS CA Security extension of certificates whose
   * subject is built from the directory (reference §11.3).
   */
  readonly sid?: string;
  /**
   * objectGUID (`{2f1b3c4d-…}` or 32 hex digits, in the usual text form): the DS Object Guid
   * otherName (1.3.6.1.4.1.311.25.1) of Domain Controller and Directory Email Replication
   * certificates.
   */
  readonly objectGuid?: string;
  /**
   * The DNS name of the account's domain (`contoso.com`), the second DNS name of Kerberos
   * Authentication certificates; default: dnsHostName without its first label.
   */
  readonly domainDnsName?: string;
  /**
   * The groups the account belongs to (memberOf, nested groups included), as `DOMAIN\Group`
   * names: checked against the template's `enroll` list with the account's name. Every account is
   * also in `Everyone` and `NT AUTHORITY\Authenticated Users`, a user account in
   * `DOMAIN\Domain Users` and a computer account (`DOMAIN\host$`) in `DOMAIN\Domain Computers`,
   * as in Active Directory, without listing them.
   */
  readonly groups?: readonly string[];
}

/**
 * What is wrong with the directory values the CA writes into certificates as given (the SID into
 * the NTDS CA Security extension, the GUID into the DS Object Guid otherName), or undefined: one
 * check for every way an identity comes in (the library, a users file, the CLI), before anything
 * is recorded.
 *
 * @example
 * ```ts
 * requesterIdentityProblem({ sid: 'S-1' }); // { field: 'sid', message: 'must be a SID such as S-1-5-21-…' }
 * ```
 */
export function requesterIdentityProblem(
  id: Partial<RequesterIdentity> | undefined,
): { field: 'sid' | 'objectGuid' | 'groups'; message: string } | undefined {
  if (
    id?.groups !== undefined &&
    (!Array.isArray(id.groups) ||
      id.groups.length > MAX_GROUPS ||
      id.groups.some(
        (g) => typeof g !== 'string' || g.trim() === '' || g.trim() !== g || UNPRINTABLE.test(g),
      ))
  )
    return {
      field: 'groups',
      message: `must be a list of at most ${MAX_GROUPS} group names such as CONTOSO\\Domain Admins, without control characters or outer spaces`,
    };
  if (id?.sid !== undefined)
    try {
      msNtdsCaSecurity(id.sid);
    } catch {
      return { field: 'sid', message: 'must be a SID such as S-1-5-21-1004336348-1177238915-682003330-1105' };
    }
  if (id?.objectGuid !== undefined)
    try {
      objectGuidAltName(id.objectGuid);
    } catch {
      return {
        field: 'objectGuid',
        message: 'must be a GUID such as {2f1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d}',
      };
    }
  return undefined;
}

/**
 * Where a directory-built subject comes from: CN=<dNSHostName>, the directory DN, or nothing (an
 * empty subject, names in the SAN).
 *
 * @example
 * ```ts
 * const machine: IdentitySubjectName = 'dns'; // the Machine template: CN=ws01.contoso.com
 * ```
 */
export type IdentitySubjectName = 'dns' | 'dn' | 'none';

/**
 * A SAN entry built from the directory (CT_FLAG_SUBJECT_ALT_REQUIRE_*, [MS-CRTD] §2.28): DNS
 * name, UPN, e-mail, the DS object GUID, or the domain's DNS name.
 *
 * @example
 * ```ts
 * const user: IdentityAltName[] = ['upn', 'email']; // the User template's SAN
 * ```
 */
export type IdentityAltName = 'dns' | 'upn' | 'email' | 'guid' | 'domainDns';

/**
 * A certificate template. Field names follow the AD attributes they model ([MS-CRTD]):
 * `subject: 'request'` is CT_FLAG_ENROLLEE_SUPPLIES_SUBJECT (§2.28), `managerApproval` is
 * CT_FLAG_PEND_ALL_REQUESTS (§2.26), `schemaVersion` 1 writes the template-name extension and
 * 2 the template-information extension plus application policies ([MS-WCCE] §2.2.2.7.7).
 *
 * @example
 * ```ts
 * const t: CertificateTemplate = { ...WEB_SERVER_TEMPLATE, name: 'WebServer_Manual', managerApproval: true };
 * ```
 */
export interface CertificateTemplate {
  /** The template cn, as requests name it (`WebServer`). */
  readonly name: string;
  /** The display name (`Web Server`). */
  readonly displayName: string;
  /** 1: template-name extension (BMPString); 2: template-information extension + application policies. */
  readonly schemaVersion: 1 | 2;
  /** msPKI-Cert-Template-OID, required for schema version 2 ([MS-CRTD] §2.20). */
  readonly oid?: string;
  /** revision / msPKI-Template-Minor-Revision, written in the v2 extension. */
  readonly majorVersion?: number;
  readonly minorVersion?: number;
  /** Where the subject comes from: the request (enrollee supplies) or the directory identity. */
  readonly subject: 'request' | 'identity';
  /** For `subject: 'identity'`: which directory values make the subject and the SAN. */
  readonly identity?: {
    /** `dns`: CN=<dNSHostName> (Machine); `dn`: the directory DN (User); `none`: an empty subject (Kerberos Authentication). */
    readonly subjectName: IdentitySubjectName;
    /** SAN entries added from the directory (CT_FLAG_SUBJECT_ALT_REQUIRE_*). */
    readonly altNames: readonly IdentityAltName[];
  };
  /** Allowed key algorithms. */
  readonly keyTypes: readonly TemplateKeyType[];
  /** Minimum key size in bits per algorithm (msPKI-Minimal-Key-Size; RSA 2048, EC 256 usual). */
  readonly minKeySize: { readonly rsa?: number; readonly ec?: number };
  /** Extended key usages: names known to @certlab/pki (`serverAuth`) or OIDs. Empty: no EKU extension. */
  readonly ekus: readonly string[];
  /** Key usage bits (pKIKeyUsage). */
  readonly keyUsage: readonly KeyUsageFlag[];
  /** Whether keyUsage is critical (AD CS marks it critical for the default templates). */
  readonly keyUsageCritical: boolean;
  /** For CA templates (SubCA): basicConstraints cA=TRUE. */
  readonly ca?: boolean;
  /** Validity in days (pKIExpirationPeriod), capped by the CA's own limit. */
  readonly validityDays: number;
  /** Copy the subjectAltName the request carries (enrollee-supplied subject templates). */
  readonly honorRequestSans: boolean;
  /** Honour a `san:` request attribute when the CA has EDITF_ATTRIBUTESUBJECTALTNAME2. */
  readonly honorAttributeSans: boolean;
  /** CA certificate manager approval (CT_FLAG_PEND_ALL_REQUESTS): requests are taken under submission. */
  readonly managerApproval: boolean;
  /** Principals (`CONTOSO\Domain Admins`, `*`) with Enroll; undefined = everyone may enroll. */
  readonly enroll?: readonly string[];
  /**
   * CT_FLAG_NO_SECURITY_EXTENSION (msPKI-Enrollment-Flag 0x80000): no NTDS CA Security (SID)
   * extension in the certificates of this template.
   */
  readonly noSecurityExtension?: boolean;
  /**
   * CT_FLAG_INCLUDE_SYMMETRIC_ALGORITHMS (msPKI-Enrollment-Flag 0x1, [MS-CRTD] §2.26): the client
   * puts an S/MIME capabilities extension (RFC 4262) into its request, and the CA keeps it.
   */
  readonly includeSymmetricAlgorithms?: boolean;
}

const KEY_TYPES: readonly TemplateKeyType[] = ['rsa', 'ec', 'ed25519'];
const IDENTITY_SUBJECT_NAMES: readonly IdentitySubjectName[] = ['dns', 'dn', 'none'];
const IDENTITY_ALT_NAMES: readonly IdentityAltName[] = ['dns', 'upn', 'email', 'guid', 'domainDns'];

function fail(msg: string): never {
  throw new CaError('ERR_CA_TEMPLATE_INVALID', msg);
}

function str(o: Record<string, unknown>, k: string, where: string): string {
  const v = o[k];
  if (typeof v !== 'string' || v.length === 0) fail(`${where}: "${k}" must be a non-empty string.`);
  return v;
}

function bool(o: Record<string, unknown>, k: string, where: string, dflt: boolean): boolean {
  const v = o[k];
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') fail(`${where}: "${k}" must be true or false.`);
  return v;
}

function strings(o: Record<string, unknown>, k: string, where: string, dflt?: string[]): string[] {
  const v = o[k];
  if (v === undefined && dflt) return dflt;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    fail(`${where}: "${k}" must be an array of strings.`);
  return v as string[];
}

function intIn(v: unknown, what: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max)
    fail(`${what} must be a whole number from ${min} to ${max}.`);
  return v;
}

function principals(list: string[], where: string): string[] {
  for (const p of list)
    if (p === '' || CONTROL.test(p))
      fail(`${where}: "enroll" entries must be account names such as CONTOSO\\Domain Admins.`);
  return list;
}

/** More groups than any token holds (Windows caps a token's groups at 1,015). */
const MAX_GROUPS = 1015;
/** The fields of a template object, as parseTemplate reads them (and JSON.stringify writes them). */
const TEMPLATE_KEYS: readonly string[] = [
  'name',
  'displayName',
  'schemaVersion',
  'oid',
  'majorVersion',
  'minorVersion',
  'subject',
  'identity',
  'keyTypes',
  'minKeySize',
  'ekus',
  'keyUsage',
  'keyUsageCritical',
  'ca',
  'validityDays',
  'honorRequestSans',
  'honorAttributeSans',
  'managerApproval',
  'enroll',
  'noSecurityExtension',
  'includeSymmetricAlgorithms',
];
/** revision and msPKI-Template-Minor-Revision are DWORDs; the template information extension's INTEGERs are read as 32-bit values by Windows and others. */
const MAX_REVISION = 0x7fff_ffff;
/** A hundred years: the CA caps validity anyway, but dates must stay representable. */
const MAX_VALIDITY_DAYS = 36_500;

/**
 * Checks a template given as data (a parsed JSON object) and returns it typed. Defaults:
 * schema version 1, subject from the request, RSA and EC keys (RSA ≥ 2048, EC ≥ 256),
 * digitalSignature + keyEncipherment critical, one year, request SANs honoured, attribute SANs
 * honoured (when the CA allows them), no manager approval. Throws ERR_CA_TEMPLATE_INVALID.
 *
 * @example
 * ```ts
 * const t = parseTemplate(JSON.parse(await readFile('templates/LyncServer.json', 'utf8')));
 * const ca = await createAuthority({ name: 'Contoso Issuing CA', templates: [...STANDARD_TEMPLATES, t] });
 * ```
 */
export function parseTemplate(input: unknown): CertificateTemplate {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    fail('A template must be a JSON object.');
  const o = input as Record<string, unknown>;
  const name = str(o, 'name', 'template');
  const where = `template ${JSON.stringify(name).slice(1, -1)}`;
  // The template's cn: at most 64 characters in AD (rangeUpper of cn); no control characters;
  // no ';', which separates the fields of certsrv's template option values (reference §4); and no
  // spaces at its ends, which request attributes lose (reference §8), so it could never be asked for.
  if (name.length > 64)
    fail(`${where}: the name is longer than 64 characters (the limit of an AD template's cn).`);
  if (CONTROL.test(name)) fail(`${where}: the name cannot contain line breaks or other control characters.`);
  if (name.includes(';'))
    fail(`${where}: the name cannot contain ";", which separates the fields of certsrv's template list.`);
  if (name.trim() !== name) fail(`${where}: the name cannot start or end with white space.`);
  for (const k of Object.keys(o))
    if (!TEMPLATE_KEYS.includes(k))
      fail(`${where}: unknown field "${k}" (a template has ${TEMPLATE_KEYS.join(', ')}).`);
  const displayName = o.displayName === undefined ? name : str(o, 'displayName', where);
  if (displayName.length > 256 || CONTROL.test(displayName))
    fail(`${where}: "displayName" must be at most 256 characters, without control characters.`);
  const schemaVersion = o.schemaVersion ?? 1;
  if (schemaVersion !== 1 && schemaVersion !== 2) fail(`${where}: "schemaVersion" must be 1 or 2.`);
  const oid = o.oid === undefined ? undefined : str(o, 'oid', where);
  if (oid !== undefined && !/^[0-2](\.(0|[1-9][0-9]*))+$/.test(oid))
    fail(`${where}: "oid" must be a dotted OID such as 1.3.6.1.4.1.311.21.8.1.2.`);
  if (schemaVersion === 2 && oid === undefined)
    fail(`${where}: a schema version 2 template needs "oid" (msPKI-Cert-Template-OID).`);
  const subject = o.subject ?? 'request';
  if (subject !== 'request' && subject !== 'identity')
    fail(`${where}: "subject" must be "request" or "identity".`);
  let identity: CertificateTemplate['identity'];
  if (subject === 'identity') {
    const id = (o.identity ?? { subjectName: 'dns', altNames: ['dns'] }) as Record<string, unknown>;
    if (typeof id !== 'object' || id === null || Array.isArray(id))
      fail(`${where}: "identity" must be an object.`);
    for (const k of Object.keys(id))
      if (k !== 'subjectName' && k !== 'altNames')
        fail(`${where}: unknown field "identity.${k}" (subjectName, altNames).`);
    const subjectName = id.subjectName ?? 'dns';
    if (!(IDENTITY_SUBJECT_NAMES as readonly unknown[]).includes(subjectName))
      fail(`${where}: "identity.subjectName" must be "dns", "dn" or "none".`);
    const altNames = strings(id, 'altNames', `${where} identity`, []);
    for (const a of altNames)
      if (!(IDENTITY_ALT_NAMES as readonly string[]).includes(a))
        fail(
          `${where}: "identity.altNames" entries must be ${IDENTITY_ALT_NAMES.map((x) => `"${x}"`).join(', ')}, not "${a}".`,
        );
    if (subjectName === 'none' && altNames.length === 0)
      fail(
        `${where}: a template with an empty subject ("identity.subjectName": "none") needs "identity.altNames".`,
      );
    identity = { subjectName: subjectName as IdentitySubjectName, altNames: altNames as IdentityAltName[] };
  }
  const keyTypes = strings(o, 'keyTypes', where, ['rsa', 'ec']);
  for (const k of keyTypes)
    if (!KEY_TYPES.includes(k as TemplateKeyType))
      fail(`${where}: "keyTypes" entries must be rsa, ec or ed25519, not "${k}".`);
  const mks = (o.minKeySize ?? { rsa: 2048, ec: 256 }) as Record<string, unknown>;
  if (typeof mks !== 'object' || mks === null) fail(`${where}: "minKeySize" must be an object.`);
  const minKeySize: { rsa?: number; ec?: number } = {};
  for (const k of Object.keys(mks))
    if (k !== 'rsa' && k !== 'ec') fail(`${where}: unknown field "minKeySize.${k}" (rsa, ec).`);
  // The largest keys the simulator issues to: RSA 16384, EC P-521.
  if (mks.rsa !== undefined) minKeySize.rsa = intIn(mks.rsa, `${where}: "minKeySize.rsa"`, 1, 16_384);
  if (mks.ec !== undefined) minKeySize.ec = intIn(mks.ec, `${where}: "minKeySize.ec"`, 1, 521);
  const ekus = strings(o, 'ekus', where, []);
  for (const e of ekus) {
    try {
      ekuOid(e);
    } catch (cause) {
      throw new CaError('ERR_CA_TEMPLATE_INVALID', `${where}: "${e}" is not a known EKU name or an OID.`, {
        cause,
      });
    }
  }
  const keyUsage = strings(o, 'keyUsage', where, ['digitalSignature', 'keyEncipherment']);
  for (const k of keyUsage)
    if (!(KEY_USAGE_FLAGS as readonly string[]).includes(k))
      fail(`${where}: "${k}" is not a key usage (use ${KEY_USAGE_FLAGS.join(', ')}).`);
  const validityDays =
    o.validityDays === undefined
      ? 365
      : intIn(o.validityDays, `${where}: "validityDays"`, 1, MAX_VALIDITY_DAYS);
  const t: CertificateTemplate = {
    name,
    displayName,
    schemaVersion,
    ...(oid !== undefined ? { oid } : {}),
    ...(o.majorVersion !== undefined
      ? { majorVersion: intIn(o.majorVersion, `${where}: "majorVersion"`, 1, MAX_REVISION) }
      : {}),
    ...(o.minorVersion !== undefined
      ? { minorVersion: intIn(o.minorVersion, `${where}: "minorVersion"`, 0, MAX_REVISION) }
      : {}),
    subject,
    ...(identity ? { identity } : {}),
    keyTypes: keyTypes as TemplateKeyType[],
    minKeySize,
    ekus,
    keyUsage: keyUsage as KeyUsageFlag[],
    keyUsageCritical: bool(o, 'keyUsageCritical', where, true),
    ...(o.ca !== undefined ? { ca: bool(o, 'ca', where, false) } : {}),
    validityDays,
    honorRequestSans: bool(o, 'honorRequestSans', where, subject === 'request'),
    honorAttributeSans: bool(o, 'honorAttributeSans', where, true),
    managerApproval: bool(o, 'managerApproval', where, false),
    ...(o.enroll !== undefined ? { enroll: principals(strings(o, 'enroll', where), where) } : {}),
    ...(o.noSecurityExtension !== undefined
      ? { noSecurityExtension: bool(o, 'noSecurityExtension', where, false) }
      : {}),
    ...(o.includeSymmetricAlgorithms !== undefined
      ? { includeSymmetricAlgorithms: bool(o, 'includeSymmetricAlgorithms', where, false) }
      : {}),
  };
  return Object.freeze(t);
}

/**
 * The version a template's certificates and certsrv's template list give it: its revision and
 * minor revision, 100.0 for a schema version 2 template that does not say (the revision of a
 * template the Certificate Templates console creates), the schema version for a v1 template.
 *
 * @example
 * ```ts
 * templateRevision(WEB_SERVER_MANUAL_TEMPLATE); // { major: 100, minor: 2 }
 * ```
 */
export function templateRevision(t: CertificateTemplate): { major: number; minor: number } {
  return {
    major: t.majorVersion ?? (t.schemaVersion === 2 ? 100 : t.schemaVersion),
    minor: t.minorVersion ?? 0,
  };
}

/**
 * Parses a JSON text holding one template or an array of templates (a custom template file).
 *
 * @example
 * ```ts
 * const custom = parseTemplatesJson(await readFile('templates.json', 'utf8'));
 * ```
 */
export function parseTemplatesJson(text: string): CertificateTemplate[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new CaError('ERR_CA_TEMPLATE_INVALID', 'The template file is not valid JSON.', { cause });
  }
  return Array.isArray(data) ? data.map(parseTemplate) : [parseTemplate(data)];
}
