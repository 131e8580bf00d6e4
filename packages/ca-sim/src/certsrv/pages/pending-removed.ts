// certrmpn.asp?Action=rmpn — confirmation that a pending request left the `Requests` cookie
// (reference §9); the CA database is untouched.

import { escapeMessage } from '../html.js';
import { messages } from '../i18n.js';
import type { PageContext } from '../page-model.js';
import { pageTitle, renderDocument } from './layout.js';

/**
 * The pending-request-removed confirmation (certrmpn.asp).
 *
 * @example
 * ```ts
 * res.end(renderPendingRemoved(ctx));
 * ```
 */
export function renderPendingRemoved(ctx: PageContext): string {
  const m = messages(ctx.lang).pendingRemoved;
  return renderDocument(ctx, [
    pageTitle(m.title),
    `<p id="locPendingRemoved">${escapeMessage(m.text)}</p>`,
    `<p><a href="certckpn.asp" id="locViewPending">${escapeMessage(m.back)}</a></p>`,
  ]);
}
