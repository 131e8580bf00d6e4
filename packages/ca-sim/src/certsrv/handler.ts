// The certsrv request pipeline: framing and path checks, language and variant, HTTP Basic
// sign-in (reference §2.1), routing to the pages, downloads, submission and the console, one
// log record per request, and a 500 page instead of a crash whatever a route throws.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { isCaError } from '../errors.js';
import { handleAdmin } from './admin-routes.js';
import { CertsrvApp } from './app.js';
import { parseBasicAuthorization } from './basic-auth.js';
import { parseCookieHeader, parseRequestsCookie } from './cookies.js';
import { handleRemovePending, handleSubmit } from './enroll-routes.js';
import { type Exchange, redirect, sendBytes, sendHtml, sendNotFound } from './exchange.js';
import { handleAsset, handleCertEnroll, handleCertNew, handleCrl } from './fetch-routes.js';
import { parseQueryString } from './form-fields.js';
import { forgetNtlmConnection, ntlmConnectionAccount, ntlmStep } from './ntlm-sign-in.js';
import type { CertsrvOptions } from './options.js';
import type { PageContext } from './page-model.js';
import {
  caGenerationLabel,
  renderAdvancedRequest,
  renderBadRequest,
  renderCaDownload,
  renderCreateRequest,
  renderForbidden,
  renderHome,
  renderMethodNotAllowed,
  renderNotImplemented,
  renderPendingList,
  renderRequestCertificate,
  renderServerError,
  renderSubmitSaved,
  renderTooLarge,
  renderUnauthorized,
  selectLanguage,
  selectVariant,
} from './pages/index.js';

/**
 * The request target of a request that got no parsed path (a bad escape, HTTP/2 syntax), as the
 * log records it: without its query, and for an absolute-form target (RFC 9112 §3.2.2) without
 * its user information, which may hold a password (`http://bob:secret@host/`).
 */
function unparsedPath(url: string | undefined): string {
  const target = String(url ?? '').split('?')[0] ?? '';
  return target.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/]*@/i, '$1').slice(0, 300);
}

/** The cookie that remembers the language switch. */
const LANG_COOKIE = 'CertsrvLang';

/**
 * A node:http request listener serving certsrv.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * const server = createServer(createCertsrvHandler({ ca, users })).listen(8080);
 * ```
 */
export function createCertsrvHandler(
  options: CertsrvOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const app = new CertsrvApp(options);
  return (req, res) => {
    const started = performance.now();
    // Read now: the socket may be gone (req.socket null) by the time 'finish' fires.
    const remote = req.socket.remoteAddress ?? '';
    // HTTP/0.9 and 2.x+ in HTTP/1 syntax are not HTTP/1.x: 400 like an invalid URL.
    const ex = req.httpVersionMajor === 1 ? exchangeOf(app, req, res) : undefined;
    // No log, no listener: one fewer closure and event per request under load.
    const log = app.log;
    if (log)
      res.on('finish', () => {
        log({
          time: app.now().toISOString(),
          method: req.method ?? '',
          path: ex?.path ?? unparsedPath(req.url),
          status: res.statusCode,
          ms: Math.round((performance.now() - started) * 100) / 100,
          bytes: ex?.bytes ?? 0,
          remote,
          ...(ex?.account ? { user: ex.account.name } : {}),
          ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'].slice(0, 300) } : {}),
          ...(ex?.event ? { event: ex.event } : {}),
        });
      });
    if (!ex) {
      res.writeHead(400, { 'Content-Type': 'text/html', Server: 'Microsoft-IIS/10.0' });
      res.end(renderBadRequest());
      return;
    }
    // RFC 9112 §6.1: a transfer coding the server does not implement (node's parser passes
    // `gzip, chunked` and reads only the chunks) is 501, not a body read as if it were plain.
    const te = req.headers['transfer-encoding'];
    if (te?.split(',').some((c) => c.trim().toLowerCase() !== 'chunked')) {
      ex.event = 'transfer-coding-unsupported';
      res.setHeader('Connection', 'close');
      sendHtml(ex, renderNotImplemented(), 501);
      return;
    }
    route(app, ex).catch((e: unknown) => {
      const tooLarge = isCaError(e, 'ERR_CA_BODY_TOO_LARGE');
      if (tooLarge || isCaError(e, 'ERR_CA_BODY_INCOMPLETE')) {
        ex.event = tooLarge ? 'body-too-large' : 'body-incomplete';
        // The rest of an oversized body is not read: close the connection after answering.
        res.setHeader('Connection', 'close');
        sendHtml(ex, tooLarge ? renderTooLarge() : renderBadRequest(), tooLarge ? 413 : 400);
        return;
      }
      ex.event = `error:${e instanceof Error ? (((e as { code?: string }).code ?? e.name) as string) : 'unknown'}`;
      if (!res.headersSent) sendHtml(ex, renderServerError(), 500);
      else res.destroy();
    });
  };
}

/** Path normalisation as IIS does it; undefined for a URL IIS answers 400 to. */
function normalisePath(rawUrl: string): string | undefined {
  let path = rawUrl.split('?')[0] ?? '';
  if (/^https?:\/\//i.test(path)) path = path.replace(/^https?:\/\/[^/]*/i, '');
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const out: string[] = [];
  for (const seg of decoded.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) return undefined;
      out.pop();
      continue;
    }
    out.push(seg);
  }
  const trailing = /[/\\]$/.test(decoded) && out.length > 0;
  return `/${out.join('/')}${trailing ? '/' : ''}`;
}

function exchangeOf(app: CertsrvApp, req: IncomingMessage, res: ServerResponse): Exchange | undefined {
  const raw = req.url ?? '/';
  const path = normalisePath(raw);
  if (path === undefined) return undefined;
  const q = raw.indexOf('?');
  const query = parseQueryString(q >= 0 ? raw.slice(q + 1) : '');
  const cookies = parseCookieHeader(req.headers.cookie);
  const secure = (req.socket as TLSSocket).encrypted === true;
  const setCookies: string[] = [];
  const chosen = query.get('Lang');
  const lang = selectLanguage(
    req.headers['accept-language'],
    chosen ?? cookies.get(LANG_COOKIE),
    app.defaultLanguage,
  );
  if (chosen !== undefined && /^(en|fr)$/i.test(chosen))
    setCookies.push(`${LANG_COOKIE}=${lang}; path=/certsrv${secure ? '; secure' : ''}`);
  const hasSession = [...cookies.keys()].some((k) => k.toUpperCase().startsWith('ASPSESSIONID'));
  const variant = selectVariant(req.headers['user-agent']);
  const ex: Exchange = {
    req,
    res,
    path,
    lowerPath: path.toLowerCase(),
    query,
    cookies,
    secure,
    lang,
    variant,
    setCookies,
    asp: false,
    hasSession,
    page(): PageContext {
      return {
        lang,
        variant,
        caName: app.ca.name,
        user: this.account?.name,
        admin: this.account?.admin,
        secure,
        basePath: '/certsrv/',
        answersPost: req.method === 'POST',
      };
    },
  };
  return ex;
}

/**
 * Signs the request in (reference §2): a connection an NTLM handshake signed in, an NTLM step, or
 * HTTP Basic. Answers 401 itself and returns false when it cannot.
 */
async function signIn(app: CertsrvApp, ex: Exchange): Promise<boolean> {
  const header = ex.req.headers.authorization;
  if (app.ntlm) {
    if (header) {
      const step = ntlmStep(app, ex, header);
      if (step.kind === 'signed-in') {
        // SPNEGO's last token (accept-completed, our mechListMIC) rides on the response itself.
        if (step.header) ex.res.setHeader('WWW-Authenticate', step.header);
        return true;
      }
      if (step.kind === 'challenge') {
        // Only the type 2 message: the client answers it on this connection.
        sendHtml(ex, renderUnauthorized(), 401, { 'WWW-Authenticate': step.header });
        return false;
      }
      if (step.kind === 'failed') {
        ex.event = step.event;
        challenge(app, ex);
        return false;
      }
      // Any other credentials sent on a connection an NTLM handshake signed in replace that
      // sign-in, whether they verify or not: a 401 must not leave the old identity behind.
      forgetNtlmConnection(app, ex);
    } else {
      const account = ntlmConnectionAccount(app, ex);
      if (account) {
        ex.account = account;
        return true;
      }
    }
  }
  if (header && app.basic) {
    const cached = app.cachedAccount(header);
    if (cached) {
      ex.account = cached;
      return true;
    }
    const remote = ex.req.socket.remoteAddress ?? '';
    const creds = parseBasicAuthorization(header);
    if (creds && !app.mayTrySignIn(remote, creds.user)) ex.event = 'auth-throttled';
    else if (creds) {
      const revision = app.users.revision;
      const account = await app.users.authenticate(creds.user, creds.password);
      app.signInOutcome(remote, creds.user, account !== undefined);
      if (account) {
        app.rememberAccount(header, account, revision);
        ex.account = account;
        return true;
      }
      ex.event = 'auth-failed';
    } else ex.event = 'auth-malformed';
  } else if (header) ex.event = 'auth-malformed';
  challenge(app, ex);
  return false;
}

/** The 401 with one WWW-Authenticate header per scheme on offer, in IIS's order (reference §2.1). */
function challenge(app: CertsrvApp, ex: Exchange): void {
  const schemes: string[] = app.ntlm ? (app.negotiate ? ['Negotiate', 'NTLM'] : ['NTLM']) : [];
  if (app.basic) schemes.push(`Basic realm="${app.realm.replace(/["\\]/g, '')}"`);
  sendHtml(ex, renderUnauthorized(), 401, {
    'WWW-Authenticate': schemes.length === 1 ? schemes[0]! : schemes,
  });
}

async function route(app: CertsrvApp, ex: Exchange): Promise<void> {
  const method = ex.req.method ?? 'GET';
  const p = ex.lowerPath;
  if (p === '/health') {
    if (method !== 'GET' && method !== 'HEAD') {
      sendHtml(ex, renderMethodNotAllowed(), 405, { Allow: 'GET, HEAD' });
      return;
    }
    ex.event = 'health';
    sendBytes(ex, 200, 'application/json', JSON.stringify({ status: 'ok', ca: app.ca.name }));
    return;
  }
  if (p.startsWith('/certenroll/')) return handleCertEnroll(app, ex);
  // IIS's courtesy redirect from a folder named without its slash (anonymous, as the folder is).
  if (p === '/certenroll') return redirect(ex, 301, '/CertEnroll/');
  if (p === '/') {
    // Under Require SSL the courtesy redirect goes to the HTTPS site, not to a 403.
    if (app.requireSsl && !ex.secure && app.httpsUrl)
      return redirect(ex, 302, '/certsrv/', sameHostHttps(app.httpsUrl, ex));
    return redirect(ex, 302, '/certsrv/');
  }
  if (p !== '/certsrv' && !p.startsWith('/certsrv/')) {
    sendNotFound(ex);
    return;
  }
  // IIS checks Require SSL before authentication: the 403 (substatus 4) carries no challenge, so
  // no credentials, NTLM or Basic, ever cross plain HTTP.
  if (app.requireSsl && !ex.secure) {
    ex.event = 'ssl-required';
    sendHtml(ex, renderForbidden(), 403);
    return;
  }
  // Authentication comes before everything under /certsrv, the courtesy redirect included.
  if (!(await signIn(app, ex))) return;
  if (p === '/certsrv') return redirect(ex, 301, '/certsrv/');
  ex.asp = true;
  const page = p.slice('/certsrv/'.length);
  if (page.startsWith('admin/') || page === 'admin') {
    if (!ex.account?.admin) {
      sendHtml(ex, renderForbidden(), 403);
      return;
    }
    if (page === 'admin') return redirect(ex, 301, '/certsrv/admin/');
    return handleAdmin(app, ex, page.slice('admin/'.length));
  }
  const allowed =
    page === 'certfnsh.asp' || page === 'certrmpn.asp' ? ['GET', 'HEAD', 'POST'] : ['GET', 'HEAD'];
  if (!allowed.includes(method)) {
    sendHtml(ex, renderMethodNotAllowed(), 405, { Allow: allowed.join(', ') });
    return;
  }
  const ctx = ex.page();
  switch (page) {
    case '':
    case 'default.asp': {
      // Browsers get the user-certificate page first, or the advanced request page when the user
      // may not enroll for the User template; text clients go straight to the saved request page
      // (reference §3).
      const requestLink =
        ex.variant !== 'browser'
          ? 'certrqxt.asp'
          : app.offersUserCertificate(ex)
            ? 'certrqus.asp'
            : 'certrqad.asp';
      return sendHtml(ex, renderHome(ctx, { requestLink }));
    }
    case 'certrqus.asp':
      return sendHtml(ex, renderRequestCertificate(ctx));
    case 'certrqad.asp':
      return sendHtml(ex, renderAdvancedRequest(ctx));
    case 'certrqxt.asp':
      return sendHtml(ex, renderSubmitSaved(ctx, { templates: app.templateOptions(ex) }));
    case 'certrqma.asp':
      return sendHtml(
        ex,
        renderCreateRequest(ctx, {
          templates: app.templateOptions(ex),
          ...(app.httpsUrl ? { httpsUrl: `${sameHostHttps(app.httpsUrl, ex)}/certsrv/certrqma.asp` } : {}),
        }),
      );
    case 'certfnsh.asp':
      // Only a POST submits (reference §5.3): a GET, whatever its query, is the "cannot be
      // bookmarked" page, so that a link or an image cannot enrol in the signed-in user's name.
      return method === 'POST' ? handleSubmit(app, ex) : handleSubmit(app, ex, true);
    case 'certckpn.asp':
      return sendHtml(
        ex,
        renderPendingList(ctx, { entries: parseRequestsCookie(ex.cookies.get('Requests')) }),
      );
    case 'certrmpn.asp':
      return handleRemovePending(app, ex);
    case 'certcarc.asp':
      return sendHtml(ex, renderCaDownload(ctx, await caGenerations(app, ctx.lang)));
    case 'certnew.cer':
      return handleCertNew(app, ex, false);
    case 'certnew.p7b':
      return handleCertNew(app, ex, true);
    case 'certcrl.crl':
      return handleCrl(app, ex);
    case 'assets/certrqma.js':
      return handleAsset(app, ex, 'certrqma.js');
    default:
      sendNotFound(ex);
  }
}

async function caGenerations(
  app: CertsrvApp,
  lang: PageContext['lang'],
): Promise<Parameters<typeof renderCaDownload>[1]> {
  const ca = app.ca;
  const gens = ca.caCertificates('issuing');
  // A generation's CRL is its key's (certcrl.crl?Renewal=n serves it): valid (3) when that key
  // has a base CRL, else 1. One lookup per key, not per generation.
  const baseOfKey = new Map<number, boolean>();
  for (const keyIndex of new Set(gens.map((g) => g.keyIndex)))
    baseOfKey.set(keyIndex, (await ca.latestCrl({ keyIndex })) !== undefined);
  const delta = await ca.latestCrl({ delta: true });
  return {
    generations: gens
      .slice()
      .reverse()
      .map((g, i) => ({
        index: g.certIndex,
        label: caGenerationLabel(ca.name, g.certIndex, i === 0, lang),
        crlState: baseOfKey.get(g.keyIndex) ? 3 : 1,
      })),
    deltaCrl: delta !== undefined,
  };
}

/**
 * The HTTPS site on the host name the browser used (`localhost`, not the listener's 127.0.0.1):
 * the certsrv cookies (language, Requests) belong to that host, and its name is one the server's
 * certificate carries. Falls back to the configured URL when the Host header is unusable.
 */
function sameHostHttps(httpsUrl: string, ex: Exchange): string {
  const base = httpsUrl.replace(/\/+$/, '');
  const host = ex.req.headers.host;
  if (ex.secure || !host) return base;
  try {
    const site = new URL(base);
    const asked = new URL(`http://${host}`);
    if (asked.username || asked.password || asked.pathname !== '/') return base;
    site.hostname = asked.hostname;
    return site.origin;
  } catch {
    return base;
  }
}
