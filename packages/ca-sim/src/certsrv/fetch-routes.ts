// The download endpoints: certnew.cer, certnew.p7b and certcrl.crl under /certsrv (reference
// §6.2–6.4), the anonymous /CertEnroll/ files named in CDP and AIA extensions (§6.5), and the
// in-browser enrollment script.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Certificate, type Crl, encodePem } from '@certlab/pki';
import type { CaCertificateInfo, RequestResult } from '../authority.js';
import { findCertEnrollFile } from '../cert-enroll.js';
import { encodeCertsrvCertificates } from '../certsrv-encoding.js';
import { isCaError } from '../errors.js';
import { HRESULTS } from '../hresult.js';
import type { CertsrvApp } from './app.js';
import { caChainOf } from './ca-chain.js';
import { parseRequestsCookie } from './cookies.js';
import { noRequestDetails, requestErrorDetails } from './error-details.js';
import { type Exchange, sendBytes, sendHtml, sendNotFound } from './exchange.js';
import { renderError, renderForbidden, renderMethodNotAllowed } from './pages/index.js';
import { parseRequestId } from './request-id.js';

/** `Enc=bin` → DER; anything else (or nothing) → Base64 with header (§6.2). */
function wantsDer(ex: Exchange): boolean {
  return ex.query.get('Enc')?.trim().toLowerCase() === 'bin';
}

/**
 * Whether the account may fetch a request's certificate: its requester, or a CA administrator
 * (certsrv shows a user only their own requests; the request id is guessable).
 */
export function ownsRequest(ex: Exchange, r: RequestResult): boolean {
  if (ex.account?.admin) return true;
  const who = r.requester?.name;
  return who !== undefined && ex.account !== undefined && who.toLowerCase() === ex.account.name.toLowerCase();
}

function sendError(ex: Exchange, details: Parameters<typeof renderError>[1]): void {
  sendHtml(ex, renderError(ex.page(), details));
}

/** The CA certificate generation of `Renewal=n` (-1 or absent: the current one). */
function caGenerationOf(app: CertsrvApp, ex: Exchange): CaCertificateInfo | undefined {
  const text = ex.query.get('Renewal')?.trim();
  const generations = app.ca.caCertificates('issuing');
  if (text === undefined || text === '' || text === '-1') return generations.at(-1);
  if (!/^\d{1,6}$/.test(text)) return undefined;
  return generations.find((g) => g.certIndex === Number(text));
}

/** The CA certificate of `Renewal=n` (-1 or absent: the current one). */
function caCertificateOf(app: CertsrvApp, ex: Exchange): Certificate | undefined {
  return caGenerationOf(app, ex)?.certificate;
}

/**
 * certnew.cer / certnew.p7b: `ReqID=CACert&Renewal=n` or `ReqID=N` (reference §6.2, §6.3).
 *
 * @example
 * ```ts
 * await handleCertNew(app, ex, true); // certnew.p7b
 * ```
 */
export async function handleCertNew(app: CertsrvApp, ex: Exchange, chain: boolean): Promise<void> {
  const mode = chain ? 'getchain' : 'getcert';
  const id = ex.query.get('ReqID')?.trim() ?? '';
  let certs: Certificate[];
  let caCert = false;
  if (id.toLowerCase() === 'cacert') {
    const c = caCertificateOf(app, ex);
    if (!c) {
      ex.event = 'fetch:no-ca-renewal';
      return sendError(ex, noRequestDetails(mode, HRESULTS.ERROR_INVALID_PARAMETER));
    }
    certs = chain ? [c, ...caChainOf(app.ca, c)] : [c];
    caCert = true;
  } else {
    const requestId = parseRequestId(id);
    if (requestId === undefined) {
      ex.event = 'fetch:bad-id';
      return sendError(ex, noRequestDetails(mode, HRESULTS.CERTSRV_E_PROPERTY_EMPTY));
    }
    let r: RequestResult;
    try {
      r = await app.ca.retrieve(requestId);
    } catch (e) {
      if (!isCaError(e, 'ERR_CA_REQUEST_NOT_FOUND')) throw e;
      ex.event = 'fetch:unknown-id';
      return sendError(ex, noRequestDetails(mode, HRESULTS.CERTSRV_E_PROPERTY_EMPTY));
    }
    if (!ownsRequest(ex, r)) {
      // Same answer as an unknown id: another user's request ids are not disclosed.
      ex.event = 'fetch:not-owner';
      return sendError(ex, noRequestDetails(mode, HRESULTS.CERTSRV_E_PROPERTY_EMPTY));
    }
    if (r.disposition !== 'issued' || !r.certificate) {
      ex.event = `fetch:${r.disposition}`;
      return sendError(ex, requestErrorDetails(mode, r));
    }
    certs = chain ? [r.certificate, ...caChainOf(app.ca, r.certificate)] : [r.certificate];
    // Downloading the issued certificate ends its life in the pending cookie (reference §9).
    const entries = parseRequestsCookie(ex.cookies.get('Requests'));
    if (entries.some((e) => e.requestId === r.requestId))
      app.setRequestsCookie(
        ex,
        entries.filter((e) => e.requestId !== r.requestId),
      );
  }
  const der = wantsDer(ex);
  ex.event = `fetch:${chain ? 'p7b' : 'cer'}:${der ? 'bin' : 'b64'}`;
  // A p7b keeps the order (leaf or CA first, then up to the root) in the encoded SET (§6.3).
  const body = encodeCertsrvCertificates(certs, der ? 'bin' : 'b64', chain);
  if (chain) return sendBytes(ex, 200, 'application/x-pkcs7-certificates', body);
  const type =
    app.legacyContentTypes && ex.variant === 'text'
      ? caCert
        ? 'application/x-x509-ca-cert'
        : 'application/x-x509-user-cert'
      : 'application/pkix-cert';
  sendBytes(ex, 200, type, body);
}

/**
 * certcrl.crl: `Type=base|delta`, `Renewal=n`, `Enc` (reference §6.4). `Renewal` is a CA
 * certificate index, as certcarc.asp's list and links give it (§6.1): the CRL served is the
 * newest one of that certificate's key, the CRL its certificates name (`<CA>(k).crl`). The
 * indexes differ only after a renewal that kept the key (Certification Authority Renewal: the
 * certificates 1, 2, 3 of one key share the CRL of key 1).
 *
 * @example
 * ```ts
 * await handleCrl(app, ex);
 * ```
 */
export async function handleCrl(app: CertsrvApp, ex: Exchange): Promise<void> {
  const delta = ex.query.get('Type')?.trim().toLowerCase() === 'delta';
  const generation = caGenerationOf(app, ex);
  if (!generation) {
    ex.event = 'crl:no-key-index';
    return sendError(ex, noRequestDetails('getcrl', HRESULTS.ERROR_INVALID_PARAMETER));
  }
  const crl = await app.ca.latestCrl({ delta, keyIndex: generation.keyIndex });
  if (!crl) {
    ex.event = 'crl:none';
    return sendError(ex, noRequestDetails('getcrl', HRESULTS.CERTSRV_E_PROPERTY_EMPTY));
  }
  ex.event = `crl:${delta ? 'delta' : 'base'}`;
  sendBytes(ex, 200, 'application/pkix-crl', wantsDer(ex) ? crl.crl.der : crlPem(crl.crl, app.crlPemLabel));
}

/**
 * certcrl.crl's Base64 form (CRLF line endings, reference §6.4), encoded once per CRL and label.
 * Keyed by the parsed CRL, which the CA reuses for as long as the CRL is the newest one
 * (`ca.latestCrl`): a newly published CRL is a new key, so the
 * encoding can never outlive its CRL, and the entry goes with the CRL.
 */
const CRL_PEM = new WeakMap<Crl, Map<string, Buffer>>();

function crlPem(crl: Crl, label: string): Buffer {
  let byLabel = CRL_PEM.get(crl);
  if (!byLabel) {
    byLabel = new Map();
    CRL_PEM.set(crl, byLabel);
  }
  let pem = byLabel.get(label);
  if (!pem) {
    pem = Buffer.from(encodePem(label, crl.der, { eol: '\r\n' }), 'utf8');
    byLabel.set(label, pem);
  }
  return pem;
}

/**
 * The anonymous /CertEnroll/ files: CA certificates (`<Server>_<CA>(n).crt`) and the latest base
 * and delta CRLs (`<CA>(n).crl`, `<CA>(n)+.crl`), with IIS's default MIME types (§6.5).
 *
 * @example
 * ```ts
 * await handleCertEnroll(app, ex); // GET /CertEnroll/Contoso%20Issuing%20CA.crl
 * ```
 */
export async function handleCertEnroll(app: CertsrvApp, ex: Exchange): Promise<void> {
  const method = ex.req.method ?? 'GET';
  if (ex.path.length === '/CertEnroll/'.length) {
    // The folder itself: AD CS's CertEnroll virtual directory has no default document and IIS
    // leaves directory browsing off, so IIS answers 403.14 ("not configured to list the contents
    // of this directory"), which remote clients see as the plain 403 page.
    ex.event = 'certenroll:listing';
    sendHtml(ex, renderForbidden(), 403);
    return;
  }
  const file = await findCertEnrollFile(app.ca, ex.path.slice('/CertEnroll/'.length));
  // IIS's static file handler answers another verb on a file it has with 405.0 (and 404 for a
  // file it does not have); RFC 9110 §15.5.6 asks for the Allow header.
  if (method !== 'GET' && method !== 'HEAD') {
    ex.event = file ? 'certenroll:method' : 'certenroll:not-found';
    if (file) sendHtml(ex, renderMethodNotAllowed(), 405, { Allow: 'GET, HEAD' });
    else sendNotFound(ex);
    return;
  }
  if (file) {
    ex.event = `certenroll:${file.type}`;
    const type = file.type === 'crl' ? 'application/pkix-crl' : 'application/x-x509-ca-cert';
    return sendBytes(ex, 200, type, file.der);
  }
  ex.event = 'certenroll:not-found';
  sendNotFound(ex);
}

const ASSETS = new Map<string, Promise<Buffer>>();

/**
 * The in-browser enrollment script (built by scripts/build-browser.mjs).
 *
 * @example
 * ```ts
 * await handleAsset(app, ex, 'certrqma.js');
 * ```
 */
export async function handleAsset(app: CertsrvApp, ex: Exchange, name: string): Promise<void> {
  const path = join(app.assetsDir, name);
  let body: Buffer;
  try {
    let p = ASSETS.get(path);
    if (!p) {
      p = readFile(path);
      ASSETS.set(path, p);
      p.catch(() => ASSETS.delete(path));
    }
    body = await p;
  } catch {
    ex.event = 'asset:missing';
    sendNotFound(ex);
    return;
  }
  // A static file: IIS's static handler serves it, not ASP, so no session cookie and no
  // Cache-Control: private (the sign-in under /certsrv marked the exchange as ASP).
  ex.asp = false;
  sendBytes(ex, 200, 'text/javascript', body);
}
