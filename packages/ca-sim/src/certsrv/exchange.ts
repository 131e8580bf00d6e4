// One HTTP request/response pair as the certsrv routes see it: the normalised path, the query and
// form fields (case-insensitive, reference §1), the chosen language and variant, the signed-in
// account, and the response helpers that add the headers IIS sends on every answer.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { newAspSessionCookie } from './cookies.js';
import type { FieldMap } from './form-fields.js';
import type { CertsrvLanguage, PageContext, PageVariant } from './page-model.js';
import { renderNotFound } from './pages/iis-errors.js';
import type { CertsrvAccount } from './users.js';

/**
 * A request being served.
 *
 * @example
 * ```ts
 * if (ex.query.get('Enc')?.toLowerCase() === 'bin') sendBytes(ex, 200, 'application/pkix-cert', der);
 * ```
 */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The path with doubled slashes collapsed and %XX decoded, original case. */
  readonly path: string;
  /** `path` in lower case: IIS paths are case-insensitive. */
  readonly lowerPath: string;
  readonly query: FieldMap;
  /** Parsed request cookies. */
  readonly cookies: Map<string, string>;
  readonly secure: boolean;
  readonly lang: CertsrvLanguage;
  readonly variant: PageVariant;
  account?: CertsrvAccount;
  /** Extra `Set-Cookie` values for the response. */
  readonly setCookies: string[];
  /**
   * True once the request reached an ASP page (signed in under /certsrv): only ASP answers carry
   * `Cache-Control: private` and start a session. IIS's own answers (the 401 and the Require SSL
   * 403 before authentication, static /CertEnroll/ files, 404s) come before ASP runs (reference
   * §2.1's 401 has neither header).
   */
  asp: boolean;
  /** The client sent an ASP session cookie (an ASP answer starts a session otherwise). */
  readonly hasSession: boolean;
  /** Set by routes for the log record. */
  event?: string;
  /** Body bytes sent, for the log record. */
  bytes?: number;
  /** The page context for renderers. */
  page(): PageContext;
}

/** The headers IIS + ASP put on every answer (reference §1, observed on Windows Server 2019). */
function baseHeaders(ex: Exchange, contentType: string, length: number): Record<string, string | string[]> {
  const h: Record<string, string | string[]> = {
    'Content-Type': contentType,
    'Content-Length': String(length),
    Server: 'Microsoft-IIS/10.0',
    'X-Powered-By': 'ASP.NET',
    // Not sent by IIS; harmless to clients and stops browsers from sniffing echoed text as HTML.
    'X-Content-Type-Options': 'nosniff',
  };
  // Cookies (the session, the language switch, the Requests list) are ASP's, like the header.
  if (ex.asp) {
    h['Cache-Control'] = 'private';
    const cookies = ex.hasSession ? ex.setCookies : [...ex.setCookies, newAspSessionCookie(ex.secure)];
    if (cookies.length) h['Set-Cookie'] = cookies;
  }
  return h;
}

/**
 * Sends a body with IIS's headers. `text/html` is sent without a charset, as certsrv does: the
 * page says UTF-8 in its meta element (reference §1).
 *
 * @example
 * ```ts
 * sendBytes(ex, 200, 'application/pkix-crl', crl.der);
 * ```
 */
export function sendBytes(
  ex: Exchange,
  status: number,
  contentType: string,
  body: Uint8Array | string,
  extra: Record<string, string | string[]> = {},
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const res = ex.res;
  if (res.headersSent) return;
  res.writeHead(status, { ...baseHeaders(ex, contentType, bytes.length), ...extra });
  ex.bytes = ex.req.method === 'HEAD' ? 0 : bytes.length;
  res.end(ex.req.method === 'HEAD' ? undefined : bytes);
}

/**
 * Sends an HTML page (200 unless told otherwise).
 *
 * @example
 * ```ts
 * sendHtml(ex, renderHome(ex.page(), { requestLink: 'certrqus.asp' }));
 * ```
 */
export function sendHtml(
  ex: Exchange,
  html: string,
  status = 200,
  extra: Record<string, string | string[]> = {},
): void {
  sendBytes(ex, status, 'text/html', html, extra);
}

/**
 * Sends a redirect with an absolute Location, as IIS writes it: on this request's scheme and host,
 * or on `origin` when given.
 *
 * @example
 * ```ts
 * redirect(ex, 301, '/certsrv/');
 * ```
 */
export function redirect(ex: Exchange, status: 301 | 302 | 303, path: string, origin?: string): void {
  const host = ex.req.headers.host ?? 'localhost';
  const location = `${origin ?? `${ex.secure ? 'https' : 'http'}://${host}`}${path}`;
  const body = `<head><title>Document Moved</title></head>\r\n<body><h1>Object Moved</h1>This document may be found <a HREF="${path.replace(/"/g, '%22').replace(/</g, '%3C')}">here</a></body>`;
  sendBytes(ex, status, 'text/html', body, { Location: location });
}

/**
 * IIS's 404 page: a file that does not exist is answered before ASP runs (no session cookie, no
 * `Cache-Control: private`), under /certsrv as anywhere else.
 *
 * @example
 * ```ts
 * sendNotFound(ex); // GET /certsrv/nothing.asp
 * ```
 */
export function sendNotFound(ex: Exchange): void {
  ex.asp = false;
  sendHtml(ex, renderNotFound(), 404);
}
