// The administrator console (what the Certification Authority MMC snap-in does for a CA
// officer): pending requests to issue or deny, issued certificates to revoke, revoked ones to
// release from hold, CRL publication. Only accounts marked admin reach it; every form carries a
// per-account token so that another site cannot post to it with the browser's credentials.

import { timingSafeEqual } from 'node:crypto';
import type { RequestStatus } from '../disposition.js';
import { isCaError } from '../errors.js';
import type { CertsrvApp } from './app.js';
import { type Exchange, redirect, sendHtml, sendNotFound } from './exchange.js';
import type { AdminPageModel } from './page-model.js';
import { ADMIN_REVOCATION_REASONS, renderAdmin, renderMethodNotAllowed } from './pages/index.js';
import { parseRequestId } from './request-id.js';

const FOLDERS: Record<AdminPageModel['folder'], RequestStatus> = {
  pending: 'pending',
  issued: 'issued',
  revoked: 'revoked',
  failed: 'denied',
};

type Done =
  | 'approved'
  | 'denied'
  | 'revoked'
  | 'unrevoked'
  | 'crl'
  | 'crl-delta'
  | 'delta'
  | 'failed'
  | 'csrf';

const NOTICES: Record<Done, { en: string; fr: string }> = {
  approved: {
    en: 'Request {id} was processed: {message}.',
    fr: 'La demande {id} a été traitée : {message}.',
  },
  denied: { en: 'Request {id} was denied.', fr: 'La demande {id} a été refusée.' },
  revoked: {
    en: 'The certificate of request {id} was revoked.',
    fr: 'Le certificat de la demande {id} a été révoqué.',
  },
  unrevoked: {
    en: 'The certificate of request {id} was released from hold.',
    fr: "Le certificat de la demande {id} n'est plus suspendu.",
  },
  crl: { en: 'Base CRL {id} was published.', fr: 'La liste de révocation de base {id} a été publiée.' },
  'crl-delta': {
    en: 'Base CRL {id} and delta CRL {delta} were published.',
    fr: 'La liste de révocation de base {id} et sa delta {delta} ont été publiées.',
  },
  delta: { en: 'Delta CRL {id} was published.', fr: 'La liste de révocation delta {id} a été publiée.' },
  failed: { en: 'The action failed: {message}', fr: "L'action a échoué : {message}" },
  csrf: {
    en: 'The form had expired; nothing was changed. Try again.',
    fr: "Le formulaire avait expiré ; rien n'a été modifié. Réessayez.",
  },
};

function folderOf(text: string | undefined): AdminPageModel['folder'] {
  const f = text?.trim().toLowerCase();
  return f !== undefined && Object.hasOwn(FOLDERS, f) ? (f as AdminPageModel['folder']) : 'pending';
}

function notice(ex: Exchange): string | undefined {
  const done = ex.query.get('done') as Done | undefined;
  // Own keys only: `in` would also accept inherited names such as `toString`.
  if (!done || !Object.hasOwn(NOTICES, done)) return undefined;
  // Function replacements: a `$&` or `$'` in the query is text, not a replacement pattern.
  const id = (ex.query.get('id') ?? '').replace(/[^0-9]/g, '').slice(0, 12);
  const delta = (ex.query.get('delta') ?? '').replace(/[^0-9]/g, '').slice(0, 12);
  const message = (ex.query.get('message') ?? '').slice(0, 300);
  return NOTICES[done][ex.lang]
    .replace('{id}', () => id)
    .replace('{delta}', () => delta)
    .replace('{message}', () => message);
}

/** The host of an Origin header; undefined for `null` or anything unparseable (cross-site). */
function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The console: `GET /certsrv/admin/?folder=pending|issued|revoked|failed` and
 * `POST /certsrv/admin/action`.
 *
 * @example
 * ```ts
 * await handleAdmin(app, ex, 'action');
 * ```
 */
export async function handleAdmin(app: CertsrvApp, ex: Exchange, sub: string): Promise<void> {
  const account = ex.account!;
  const method = ex.req.method ?? 'GET';
  if ((sub === '' || sub === 'default.asp') && (method === 'GET' || method === 'HEAD')) {
    const folder = folderOf(ex.query.get('folder'));
    const rows = await app.ca.list({ status: FOLDERS[folder] });
    const crl = await app.ca.latestCrl();
    const model: AdminPageModel = {
      folder,
      rows: rows.reverse().slice(0, 500),
      csrfToken: app.csrfToken(account.name),
      crl: crl
        ? { crlNumber: crl.crlNumber, thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate }
        : undefined,
      notice: notice(ex),
    };
    ex.event = `admin:list:${folder}`;
    return sendHtml(ex, renderAdmin(ex.page(), model));
  }
  if (sub !== 'action') {
    sendNotFound(ex);
    return;
  }
  if (method !== 'POST') {
    // The console's actions are form posts only: a link or a bookmark must not act.
    sendHtml(ex, renderMethodNotAllowed(), 405, { Allow: 'POST' });
    return;
  }
  const form = await app.readForm(ex);
  const folder = folderOf(form.get('folder'));
  const back = (done: Done, params: Record<string, string | number> = {}) => {
    const q = new URLSearchParams({
      folder,
      done,
      ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
    });
    redirect(ex, 303, `/certsrv/admin/?${q.toString()}`);
  };
  const origin = ex.req.headers.origin;
  const host = ex.req.headers.host;
  if (
    !sameToken(form.get('csrf') ?? '', app.csrfToken(account.name)) ||
    (origin && host && originHost(origin) !== host)
  ) {
    ex.event = 'admin:csrf';
    return back('csrf');
  }
  const action = form.get('action')?.trim().toLowerCase();
  const rawId = form.get('ReqID')?.trim() ?? '';
  const parsedId = parseRequestId(rawId);
  const officer = account.name;
  // The actions on one request need its id, so that neither the database nor the CA sees "abc",
  // "1.5" or 10^20.
  if (
    (action === 'approve' || action === 'deny' || action === 'revoke' || action === 'unrevoke') &&
    parsedId === undefined
  ) {
    ex.event = `admin:${action}:bad-id`;
    return back('failed', { message: `"${rawId.slice(0, 40)}" is not a request id.` });
  }
  // Only the publish actions, which take no id, go on without one.
  const id = parsedId ?? 0;
  try {
    switch (action) {
      case 'approve': {
        const r = await app.ca.approve(id, { officer });
        ex.event = `admin:approve:${id}:${r.disposition}`;
        return back('approved', { id, message: r.message });
      }
      case 'deny':
        await app.ca.deny(id, { officer });
        ex.event = `admin:deny:${id}`;
        return back('denied', { id });
      case 'revoke': {
        // A revocation is final (but for certificateHold): a reason the console does not offer is
        // refused, never read as "unspecified".
        const reasonText = form.get('reason')?.trim() || 'unspecified';
        const reason = ADMIN_REVOCATION_REASONS.find((r) => r.toLowerCase() === reasonText.toLowerCase());
        if (!reason) {
          ex.event = `admin:revoke:${id}:bad-reason`;
          return back('failed', {
            id,
            message: `"${reasonText.slice(0, 40)}" is not a revocation reason; one of: ${ADMIN_REVOCATION_REASONS.join(', ')}.`,
          });
        }
        await app.ca.revoke(id, reason, { officer });
        ex.event = `admin:revoke:${id}:${reason}`;
        return back('revoked', { id });
      }
      case 'unrevoke':
        await app.ca.unrevoke(id);
        ex.event = `admin:unrevoke:${id}`;
        return back('unrevoked', { id });
      case 'publish-crl':
      case 'publish-delta-crl': {
        // The CA publishes for every key whose certificate has not expired (crlKeyIndexes,
        // current key first): certificates an older key signed name that key's CRL, and a
        // release from hold must reach it too. The page reports the current key's numbers.
        // One after the other: each CRL takes the next CRL number.
        const [current, ...older] = app.ca.crlKeyIndexes();
        if (action === 'publish-delta-crl') {
          const crl = await app.ca.publishCrl({ delta: true, keyIndex: current });
          for (const keyIndex of older) await app.ca.publishCrl({ delta: true, keyIndex });
          ex.event = `admin:crl:${crl.crlNumber}`;
          return back('delta', { id: crl.crlNumber });
        }
        // "New CRL": a base with a delta over it when deltas are enabled.
        const { base, delta } = await app.ca.publishBaseAndDelta({ keyIndex: current });
        for (const keyIndex of older) await app.ca.publishBaseAndDelta({ keyIndex });
        ex.event = `admin:crl:${base.crlNumber}`;
        return delta
          ? back('crl-delta', { id: base.crlNumber, delta: delta.crlNumber })
          : back('crl', { id: base.crlNumber });
      }
      default:
        ex.event = 'admin:bad-action';
        return back('failed', { message: 'unknown action' });
    }
  } catch (e) {
    if (!isCaError(e)) throw e;
    ex.event = `admin:${action}:${e.code}`;
    return back('failed', { message: e.message });
  }
}
