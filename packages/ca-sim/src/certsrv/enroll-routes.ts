// certfnsh.asp (submit a request, check a pending one: reference §5) and certrmpn.asp (forget a
// pending request, install confirmation: §9). Every newreq that carries a request reaches the
// CA and gets a request id whatever its fate; only a submission with no request at all (or one
// refused before the CA: authentication, size, framing) leaves no record.

import type { RequestResult } from '../authority.js';
import { isCaError } from '../errors.js';
import { HRESULTS, type HResult } from '../hresult.js';
import type { CertsrvApp } from './app.js';
import { parseRequestsCookie } from './cookies.js';
import { certAttrib, NO_SCRIPT_FIELD } from './enroll-form.js';
import { noRequestDetails } from './error-details.js';
import { type Exchange, redirect, sendHtml } from './exchange.js';
import { ownsRequest } from './fetch-routes.js';
import type { FieldMap } from './form-fields.js';
import type { PendingCookieEntry } from './page-model.js';
import {
  renderDenied,
  renderError,
  renderInstalled,
  renderIssued,
  renderPending,
  renderPendingRemoved,
} from './pages/index.js';
import { parseRequestId } from './request-id.js';
import { requestBytesFromText } from './request-text.js';

const SUMMARIES = {
  bookmark: {
    en: 'This page must be reached by submitting the request form; it cannot be bookmarked or opened directly.',
    fr: "Cette page s'ouvre en envoyant le formulaire de demande ; elle ne peut pas être ouverte directement ni enregistrée dans les favoris.",
  },
  empty: {
    en: 'The request is empty: paste a Base64-encoded certificate request in the Saved Request box.',
    fr: 'La demande est vide : collez une demande de certificat codée en Base64 dans la zone Demande enregistrée.',
  },
  unknown: {
    en: 'There is no pending request with this Request Id for your account.',
    fr: 'Aucune demande en attente ne porte cet ID de demande pour votre compte.',
  },
} as const;

/** The error page for a certfnsh.asp call with no request behind it (reference §7). */
function sendNoRequest(
  ex: Exchange,
  event: string,
  mode: Parameters<typeof noRequestDetails>[0],
  hr: HResult,
  summary: keyof typeof SUMMARIES,
): void {
  ex.event = event;
  sendHtml(ex, renderError(ex.page(), noRequestDetails(mode, hr, SUMMARIES[summary][ex.lang])));
}

/**
 * certfnsh.asp. `bookmarked` is a GET or HEAD, with or without a query: the error page of
 * reference §5.3, and no record (an authenticated GET still answers 200, as relay-style clients
 * expect, §2.2). A POST reads its fields from the body, then from the query string.
 *
 * @example
 * ```ts
 * await handleSubmit(app, ex);
 * ```
 */
export async function handleSubmit(app: CertsrvApp, ex: Exchange, bookmarked = false): Promise<void> {
  if (bookmarked) {
    return sendNoRequest(ex, 'submit:no-mode', 'none', HRESULTS.ERROR_INVALID_PARAMETER, 'bookmark');
  }
  const form = await app.readForm(ex);
  const get = (name: string) => form.get(name) ?? ex.query.get(name);
  const mode = get('Mode')?.trim().toLowerCase();
  if (mode === 'newreq') return newRequest(app, ex, form, get);
  if (mode === 'chkpnd') return checkPending(app, ex, get('ReqID'));
  sendNoRequest(ex, 'submit:bad-mode', 'none', HRESULTS.ERROR_INVALID_PARAMETER, 'bookmark');
}

/**
 * `CertAttrib` as sent, or for the certrqxt.asp form posted without script (its NoScript field;
 * taAttrib / lbCertTemplate, reference §4) the text its script would have sent, from the same
 * builder the browser bundle uses; the user agent then comes from the request header. An empty
 * template cn or user agent adds no line. Any other post takes the template from `CertAttrib`
 * alone, as AD CS does (§5.1).
 */
function requestAttributes(ex: Exchange, form: FieldMap): string {
  const given = form.get('CertAttrib');
  if (given !== undefined || !isNoScriptPost(form)) return given ?? '';
  return certAttrib({
    attributes: form.get('taAttrib'),
    template: form.get('lbCertTemplate')?.split(';')[1] || undefined,
    userAgent: ex.req.headers['user-agent'] || undefined,
  });
}

/** certrqxt.asp's own form, posted by a browser with scripting off. */
function isNoScriptPost(form: FieldMap): boolean {
  return form.get(NO_SCRIPT_FIELD) === '1';
}

async function newRequest(
  app: CertsrvApp,
  ex: Exchange,
  form: FieldMap,
  get: (name: string) => string | undefined,
): Promise<void> {
  const bytes = requestBytesFromText(
    get('CertRequest') ?? (isNoScriptPost(form) ? form.get('taRequest') : undefined) ?? '',
  );
  if (!bytes) {
    return sendNoRequest(ex, 'submit:empty', 'newreq', HRESULTS.ERROR_INVALID_PARAMETER, 'empty');
  }
  const r = await app.ca.submit(bytes, {
    attributes: requestAttributes(ex, form),
    ...(ex.account ? { requester: { ...ex.account.directory, name: ex.account.name } } : {}),
  });
  ex.event = `submit:${r.disposition}:${r.requestId}`;
  if (r.disposition === 'pending') {
    const entries = parseRequestsCookie(ex.cookies.get('Requests'));
    const entry: PendingCookieEntry = {
      requestId: r.requestId,
      targetStoreFlags: get('TargetStoreFlags') ?? '0',
      saveCert: get('SaveCert') ?? 'yes',
      friendlyType: get('FriendlyType') ?? 'Saved-Request Certificate',
    };
    app.setRequestsCookie(ex, [...entries, entry]);
  }
  sendResult(app, ex, r, false, get('SaveCert')?.trim().toLowerCase() === 'no');
}

function sendResult(
  app: CertsrvApp,
  ex: Exchange,
  r: RequestResult,
  checkPending: boolean,
  install: boolean,
): void {
  const model = {
    result: r,
    nRenewals: app.ca.certIndex,
    checkPending,
    pendingTimeoutDays: app.pendingTimeoutDays,
    ...(install ? { install } : {}),
  };
  const ctx = ex.page();
  const render =
    r.disposition === 'issued' ? renderIssued : r.disposition === 'pending' ? renderPending : renderDenied;
  sendHtml(ex, render(ctx, model));
}

async function checkPending(app: CertsrvApp, ex: Exchange, idText: string | undefined): Promise<void> {
  const id = parseRequestId(idText);
  const unknown = () =>
    sendNoRequest(ex, 'chkpnd:unknown', 'chkpnd', HRESULTS.CERTSRV_E_PROPERTY_EMPTY, 'unknown');
  if (id === undefined) return unknown();
  let r: RequestResult;
  try {
    r = await app.ca.retrieve(id);
  } catch (e) {
    if (isCaError(e, 'ERR_CA_REQUEST_NOT_FOUND')) return unknown();
    throw e;
  }
  if (!ownsRequest(ex, r)) return unknown();
  ex.event = `chkpnd:${r.disposition}:${r.requestId}`;
  sendResult(app, ex, r, true, false);
}

/**
 * certrmpn.asp: `Action=rmpn` forgets a pending request (the CA is untouched), `Action=inst`
 * confirms an installation; anything else goes back to /certsrv (reference §9).
 *
 * @example
 * ```ts
 * await handleRemovePending(app, ex);
 * ```
 */
export async function handleRemovePending(app: CertsrvApp, ex: Exchange): Promise<void> {
  const form = ex.req.method === 'POST' ? await app.readForm(ex) : ex.query;
  const action = (form.get('Action') ?? ex.query.get('Action'))?.trim().toLowerCase();
  if (action === 'inst') {
    ex.event = 'rmpn:inst';
    return sendHtml(ex, renderInstalled(ex.page()));
  }
  if (action !== 'rmpn') return redirect(ex, 302, '/certsrv');
  const id = parseRequestId(form.get('ReqID') ?? ex.query.get('ReqID'));
  const entries = parseRequestsCookie(ex.cookies.get('Requests'));
  app.setRequestsCookie(
    ex,
    entries.filter((e) => e.requestId !== id),
  );
  ex.event = `rmpn:${id ?? 'none'}`;
  sendHtml(ex, renderPendingRemoved(ex.page()));
}
