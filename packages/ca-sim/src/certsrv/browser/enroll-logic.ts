// The DOM-free part of the certrqma.asp enrollment script: subject and CSR building, the
// certfnsh.asp form, reading the certfnsh.asp result page by its locale-independent markers
// (certsrv reference §5.4–5.6, §7, §13) and the PFX / encrypted-key outputs. Bundled for the
// browser by scripts/build-browser.mjs together with certrqma-client.ts, and tested in Node.
// Only @certlab/pki, WebCrypto, ../enroll-form.ts (the key algorithms and the CertAttrib text,
// shared with the server) and ../request-id.ts (what a request id is, as the server reads it): no DOM, no node: imports.

import {
  createCsr,
  createPkcs12,
  equalBytes,
  type GeneralName,
  generateKeyPair,
  type KeySpec,
  Name,
  type PrivateKey,
  parseCertificate,
  type RdnInput,
  readPkcs7Certificates,
  subjectAltName,
} from '@certlab/pki';
import { CERTRQMA_KEY_ALGORITHMS, certAttrib, type KeyAlgorithm } from '../enroll-form.js';
import { parseRequestId } from '../request-id.js';

/**
 * What the user typed on certrqma.asp (the "Identifying Information" fields). Empty or
 * missing fields are left out of the subject.
 *
 * @example
 * ```ts
 * const f: EnrollFields = { commonName: 'web01.contoso.com', organization: 'Contoso', country: 'FR' };
 * ```
 */
export interface EnrollFields {
  /** `tbName`: the subject CN. */
  readonly commonName?: string;
  /** `tbEmail`: the subject E (PKCS #9 emailAddress). */
  readonly email?: string;
  /** `tbCompany`: O. */
  readonly organization?: string;
  /** `tbDepartment`: OU. */
  readonly organizationalUnit?: string;
  /** `tbCity`: L. */
  readonly locality?: string;
  /** `tbState`: ST. */
  readonly state?: string;
  /** `tbCountry`: C, two letters. */
  readonly country?: string;
  /** `tbDnsNames`: DNS names for the SAN, separated by commas, semicolons or white space. */
  readonly dnsNames?: string;
}

/**
 * What certfnsh.asp answered, read from its page (reference §5.4–5.6, §7).
 *
 * @example
 * ```ts
 * const r = parseResultPage(html);
 * if (r.kind === 'issued') console.log(r.requestId);
 * ```
 */
export type ResultPage =
  | { readonly kind: 'issued'; readonly requestId: number }
  | { readonly kind: 'pending'; readonly requestId: number }
  | { readonly kind: 'denied'; readonly requestId?: number; readonly message: string }
  | { readonly kind: 'error'; readonly message: string };

/** An input the user can fix; its message is meant to be shown as is. */
export class EnrollInputError extends Error {
  override readonly name = 'EnrollInputError';
  readonly code = 'ERR_CERTSRV_ENROLL_INPUT';
}

const clean = (s: string | undefined): string => (s ?? '').trim();

const HOST_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOST_NAME = new RegExp(`^(?=.{1,253}$)(?:\\*\\.)?${HOST_LABEL}(?:\\.${HOST_LABEL})+\\.?$`);

/**
 * True for a dotted DNS host name (`web01.contoso.com`, `*.contoso.com`); single labels are
 * taken for user or device names, not host names.
 *
 * @example
 * ```ts
 * looksLikeHostName('web01.contoso.com'); // true
 * looksLikeHostName('Alice Martin');      // false
 * ```
 */
export function looksLikeHostName(s: string): boolean {
  return HOST_NAME.test(s) && !/^[0-9.]+$/.test(s);
}

/**
 * The key spec for an `lbKeyAlgorithm` value, as the page offers it (CERTRQMA_KEY_ALGORITHMS, so
 * the page and the script cannot disagree). Throws EnrollInputError for anything else: the
 * value comes from the page and may have been tampered with.
 *
 * @example
 * ```ts
 * keySpecFor('rsa-3072'); // { type: 'rsa', bits: 3072 }
 * ```
 */
export function keySpecFor(algorithm: string): KeySpec {
  const offered = CERTRQMA_KEY_ALGORITHMS.find((a) => a.value === algorithm);
  if (!offered) throw new EnrollInputError(`Unsupported key algorithm: ${algorithm}`);
  // A copy: the list is shared and must not be changed through the spec handed out.
  return { ...offered.spec };
}

/**
 * The template cn from an `lbCertTemplate` option value (`;`-separated record, field 1 is the
 * cn, reference §4). A value without `;` is taken as the cn itself.
 *
 * @example
 * ```ts
 * templateCn('O;WebServer;1;0;Web Server'); // 'WebServer'
 * ```
 */
export function templateCn(optionValue: string): string {
  const parts = optionValue.split(';');
  return clean(parts.length > 1 ? parts[1] : parts[0]);
}

/**
 * The subject Name from the form fields, in DER order C, ST, L, O, OU, CN, E (Windows shows
 * it as `E=…, CN=…, OU=…, O=…, L=…, S=…, C=…`). Throws EnrollInputError for a country that is
 * not two letters.
 *
 * @example
 * ```ts
 * buildSubject({ commonName: 'web01.contoso.com', organization: 'Contoso', country: 'fr' }).toString();
 * // 'CN=web01.contoso.com,O=Contoso,C=FR'
 * ```
 */
export function buildSubject(fields: EnrollFields): Name {
  const rdns: RdnInput[] = [];
  const country = clean(fields.country);
  if (country) {
    if (!/^[A-Za-z]{2}$/.test(country))
      throw new EnrollInputError('The country/region must be a two-letter code such as FR or US.');
    rdns.push({ C: country.toUpperCase() });
  }
  const add = (keyword: string, value: string | undefined) => {
    const v = clean(value);
    if (v) rdns.push({ [keyword]: v });
  };
  add('ST', fields.state);
  add('L', fields.locality);
  add('O', fields.organization);
  add('OU', fields.organizationalUnit);
  add('CN', fields.commonName);
  const email = clean(fields.email);
  if (email) {
    // emailAddress is an IA5String: ASCII only.
    if (!/^[\x21-\x7e]+@[\x21-\x7e]+$/.test(email))
      throw new EnrollInputError(`Not a valid e-mail address: ${email}`);
    rdns.push({ E: email });
  }
  return Name.from(rdns);
}

/**
 * The DNS names for the SAN: the `dnsNames` field split on commas, semicolons and white
 * space, or, when it is empty and the CN looks like a host name, the CN. Throws
 * EnrollInputError for a name that is not a DNS name.
 *
 * @example
 * ```ts
 * dnsNamesOf({ dnsNames: 'a.contoso.com, b.contoso.com' }); // ['a.contoso.com', 'b.contoso.com']
 * dnsNamesOf({ commonName: 'web01.contoso.com' });          // ['web01.contoso.com']
 * ```
 */
export function dnsNamesOf(fields: EnrollFields): string[] {
  const typed = clean(fields.dnsNames)
    .split(/[\s,;]+/)
    .filter((s) => s.length > 0);
  if (typed.length === 0) {
    const cn = clean(fields.commonName);
    return looksLikeHostName(cn) ? [cn.replace(/\.$/, '')] : [];
  }
  const out: string[] = [];
  for (const name of typed) {
    if (!looksLikeHostName(name) && name !== 'localhost')
      throw new EnrollInputError(`Not a valid DNS name: ${name}`);
    const n = name.replace(/\.$/, '');
    if (!out.some((o) => o.toLowerCase() === n.toLowerCase())) out.push(n);
  }
  return out;
}

/**
 * Generates a key pair (extractable, with WebCrypto) and a SHA-256 signed PKCS #10 request for
 * the form fields: subject from {@link buildSubject}, subjectAltName with {@link dnsNamesOf}
 * (critical when the subject is empty, RFC 5280 §4.1.2.6). `keySpec` is a KeySpec or an
 * `lbKeyAlgorithm` value.
 *
 * @example
 * ```ts
 * const { csrPem, privateKey } = await buildCsr({ commonName: 'web01.contoso.com' }, 'ec-P-256');
 * ```
 */
export async function buildCsr(
  fields: EnrollFields,
  keySpec: KeySpec | KeyAlgorithm | string,
): Promise<{ csrPem: string; privateKey: PrivateKey }> {
  const spec = typeof keySpec === 'string' ? keySpecFor(keySpec) : keySpec;
  const subject = buildSubject(fields);
  const names: GeneralName[] = dnsNamesOf(fields).map((value) => ({ type: 'dns', value }));
  if (subject.rdns.length === 0 && names.length === 0)
    throw new EnrollInputError('Enter a name (or DNS names) for the certificate.');
  const { privateKey } = await generateKeyPair(spec);
  const csr = await createCsr({
    subject,
    privateKey,
    extensions: names.length ? [subjectAltName(names, subject.rdns.length === 0)] : [],
    signature: { hash: 'SHA-256' },
  });
  return { csrPem: csr.toPem(), privateKey };
}

/** CERT_SYSTEM_STORE_LOCAL_MACHINE (wincrypt.h: location 2 << 16), certsrv's `TargetStoreFlags` for the machine's stores. */
export const CERT_SYSTEM_STORE_LOCAL_MACHINE = 0x20000;

/**
 * The `application/x-www-form-urlencoded` body of the certfnsh.asp submission (reference §5.1),
 * with the fields certrqxt.asp's own script posts; `CertAttrib` holds the template and the user
 * agent (no typed attributes: certrqma.asp has no attributes box). `TargetStoreFlags` is 0 (the
 * user's stores) or, with *Store certificate in the local computer certificate store* ticked,
 * CERT_SYSTEM_STORE_LOCAL_MACHINE, as certsrv's own page posts it.
 *
 * @example
 * ```ts
 * await fetch('certfnsh.asp', { method: 'POST', body: certfnshBody(csrPem, 'WebServer', navigator.userAgent) });
 * ```
 */
export function certfnshBody(
  csrPem: string,
  template: string,
  userAgent: string,
  options: { readonly localMachine?: boolean } = {},
): URLSearchParams {
  return new URLSearchParams([
    ['Mode', 'newreq'],
    ['CertRequest', csrPem],
    ['CertAttrib', certAttrib({ template, userAgent })],
    ['FriendlyType', 'Saved-Request Certificate'],
    ['ThumbPrint', ''],
    ['TargetStoreFlags', String(options.localMachine ? CERT_SYSTEM_STORE_LOCAL_MACHINE : 0)],
    ['SaveCert', 'yes'],
  ]);
}

// ---------------------------------------------------------------------------------------------
// Result page

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  laquo: '«',
  raquo: '»',
};

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, e: string) => {
    if (e[0] === '#') {
      const cp =
        e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    // Own keys only: "&constructor;" would otherwise find Object.prototype.constructor.
    const name = e.toLowerCase();
    return Object.hasOwn(ENTITIES, name) ? ENTITIES[name]! : m;
  });
}

/** Visible text of an HTML fragment: tags, comments and scripts removed, entities decoded, spaces collapsed. */
function textOf(html: string): string {
  return decodeEntities(
    html
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/<[^>]*>/g, ' '),
  )
    .replace(/\s+/g, ' ')
    .trim();
}

/** The start tag carrying `id=<id>` (quoted or not), with its tag name and where it ends. */
function findElement(html: string, id: string): { tag: string; end: number } | undefined {
  const re = new RegExp(
    `<([a-zA-Z][a-zA-Z0-9]*)\\b[^>]*?\\sid\\s*=\\s*(?:"${id}"|'${id}'|${id}(?=[\\s>/]))[^>]*>`,
    'i',
  );
  const m = re.exec(html);
  return m ? { tag: m[1]!.toLowerCase(), end: m.index + m[0].length } : undefined;
}

/** The text inside the element with that id (up to its closing tag; no nesting of the same tag). */
function elementText(html: string, id: string): string | undefined {
  const el = findElement(html, id);
  if (!el) return undefined;
  const close = html.toLowerCase().indexOf(`</${el.tag}`, el.end);
  return textOf(html.slice(el.end, close < 0 ? undefined : close));
}

/**
 * The first run of digits in `s` as a request id; undefined when there is none or when it is no
 * request id (1…2^31 − 1, as certsrv reads a ReqID): a longer run would be rounded by Number()
 * and name a request the download link cannot fetch.
 */
function firstNumber(s: string | undefined): number | undefined {
  const m = s ? /\d+/.exec(s) : null;
  return m ? parseRequestId(m[0]) : undefined;
}

/**
 * The request id and disposition message of a denied page: English wording, else the first
 * quoted text after the locDenied marker and the first number before that quote.
 */
function deniedDetails(html: string): { requestId?: number; message?: string } {
  const en = /The disposition message is "([^"]*)"/.exec(html);
  if (en) return { message: decodeEntities(en[1]!).trim() };
  const el = findElement(html, 'locDenied');
  if (!el) return {};
  const rest = textOf(html.slice(el.end));
  const q = /"([^"]+)"|«\s*([^»]+?)\s*»|“([^”]+)”/.exec(rest);
  const requestId = firstNumber(q ? rest.slice(0, q.index) : rest);
  const message = q ? (q[1] ?? q[2] ?? q[3])!.trim() : undefined;
  return { ...(requestId === undefined ? {} : { requestId }), ...(message ? { message } : {}) };
}

/**
 * The value of an item of the error page (reference §7: label, CRLF, two TABs, value): found by
 * the item's element id, whatever the page language, else by its English label.
 */
function errorItem(html: string, id: string, label: string): string | undefined {
  const el = findElement(html, id);
  const m = el
    ? /\t\t([^\r\n]+)/.exec(html.slice(el.end))
    : new RegExp(`${label}:[^\\t]+\\t\\t([^\\r\\n]+)`).exec(html);
  const v = m ? textOf(m[1]!) : '';
  return v || undefined;
}

/**
 * Reads the certfnsh.asp answer by markers that do not depend on the page language (reference
 * §5.4–5.6, §13): issued = the `certnew.cer?ReqID=N&` link or script; denied = the element
 * `id=locDenied` (request id from `id=locInfoReqID` or `Your Request Id is N`, message from
 * `The disposition message is "…"` or the first quoted text after the marker); pending = the
 * element `id=locInfoReqID`. Anything else is an error, with the error page's disposition
 * message and last status (ids `locDispositionMessage`, `locLastStatus`, or the English labels;
 * reference §7) when present.
 *
 * @example
 * ```ts
 * parseResultPage('<a href="certnew.cer?ReqID=7&amp;Enc=bin">DER</a>'); // { kind: 'issued', requestId: 7 }
 * ```
 */
export function parseResultPage(html: string): ResultPage {
  const issued = /certnew\.cer\?ReqID=(\d+)&/.exec(html);
  if (issued) {
    const requestId = parseRequestId(issued[1]);
    if (requestId !== undefined) return { kind: 'issued', requestId };
    return {
      kind: 'error',
      message: `The server named request ${issued[1]!.slice(0, 20)}, which is not a request id.`,
    };
  }
  const reqIdText = elementText(html, 'locInfoReqID');
  const englishId = parseRequestId(/Your Request Id is (\d+)/.exec(html)?.[1]);
  const requestId = firstNumber(reqIdText) ?? englishId;
  if (findElement(html, 'locDenied')) {
    const details = deniedDetails(html);
    const id = requestId ?? details.requestId;
    const message = details.message ?? elementText(html, 'locDenied') ?? 'Denied';
    return id === undefined ? { kind: 'denied', message } : { kind: 'denied', requestId: id, message };
  }
  if (reqIdText !== undefined && requestId !== undefined) return { kind: 'pending', requestId };
  // Pages without the ids (e.g. older markup): the English wording.
  if (englishId !== undefined) {
    if (/Your certificate request was denied\./.test(html))
      return {
        kind: 'denied',
        requestId: englishId,
        message: deniedDetails(html).message ?? 'Denied',
      };
    if (/Certificate Pending|Your certificate request has been received\./.test(html))
      return { kind: 'pending', requestId: englishId };
  }
  const disposition = errorItem(html, 'locDispositionMessage', 'Disposition message');
  const status = errorItem(html, 'locLastStatus', 'LastStatus');
  const message =
    [disposition, status].filter((s) => s !== undefined).join(' — ') ||
    elementText(html, 'locPageTitle') ||
    'The server returned an unexpected page.';
  return { kind: 'error', message };
}

// ---------------------------------------------------------------------------------------------
// Outputs

/**
 * The issuer certificates of a `certnew.p7b?ReqID=N` answer (issued certificate first, then the
 * CA chain, reference §6.3): every certificate but the leaf, in file order.
 *
 * @example
 * ```ts
 * const chain = chainFromP7b(p7bDer, cerDer);
 * ```
 */
export function chainFromP7b(p7b: Uint8Array, leafDer: Uint8Array): Uint8Array[] {
  return readPkcs7Certificates(p7b)
    .map((c) => c.der)
    .filter((der) => !equalBytes(der, leafDer));
}

/**
 * The `.pfx` (PKCS #12, modern profile: PBES2/AES-256, HMAC-SHA-256) with the key, its
 * certificate and the chain. Throws EnrollInputError for an empty password, and
 * ERR_PKI_KEY_INVALID when the certificate is not the key's.
 *
 * @example
 * ```ts
 * const pfx = await buildPfx(privateKey, cerDer, chainFromP7b(p7bDer, cerDer), 'S3cret!', 'web01');
 * ```
 */
export async function buildPfx(
  privateKey: PrivateKey,
  certDer: Uint8Array,
  chainDers: readonly Uint8Array[],
  password: string,
  friendlyName?: string,
): Promise<Uint8Array> {
  if (!password) throw new EnrollInputError('A password is needed to protect the .pfx file.');
  const name = clean(friendlyName);
  return createPkcs12({
    key: privateKey,
    certificate: parseCertificate(certDer),
    chain: chainDers.map((d) => parseCertificate(d)),
    password,
    ...(name ? { friendlyName: name } : {}),
  });
}

/**
 * The private key as an `ENCRYPTED PRIVATE KEY` PEM (PKCS #8, PBES2), for a pending request
 * whose key only exists in the page.
 *
 * @example
 * ```ts
 * const pem = await encryptedKeyPem(privateKey, 'S3cret!');
 * ```
 */
export async function encryptedKeyPem(privateKey: PrivateKey, password: string): Promise<string> {
  if (!password) throw new EnrollInputError('A password is needed to protect the private key.');
  return privateKey.toPem({ password });
}

/**
 * Fills `{name}` placeholders of a message.
 *
 * @example
 * ```ts
 * formatMessage('Your request {id} is pending.', { id: 7 }); // 'Your request 7 is pending.'
 * ```
 */
export function formatMessage(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (Object.hasOwn(values, k) ? String(values[k]) : m));
}
