// certfnsh.asp — Certificate Pending (reference §5.5): `Your Request Id is N.` on its own line.

import { escapeMessage } from '../html.js';
import { messages } from '../i18n.js';
import type { PageContext, ResultPageModel } from '../page-model.js';
import { pageTitle, renderDocument } from './layout.js';
import { int } from './result-common.js';

/** The default of certdat.inc's `nPendingTimeoutDays`. */
export const DEFAULT_PENDING_TIMEOUT_DAYS = 10;

/**
 * The Certificate Pending page; with `model.checkPending` (Mode=chkpnd) the first sentence says
 * the request is still pending.
 *
 * @example
 * ```ts
 * res.end(renderPending(ctx, { result, nRenewals: 0, checkPending: false }));
 * ```
 */
export function renderPending(ctx: PageContext, model: ResultPageModel): string {
  const m = messages(ctx.lang).pending;
  const days = int(model.pendingTimeoutDays ?? DEFAULT_PENDING_TIMEOUT_DAYS);
  const requestId = int(model.result.requestId);
  return renderDocument(ctx, [
    pageTitle(m.title),
    `<p id="locPendInfo1">${escapeMessage(model.checkPending ? m.stillPending : m.received)}</p>`,
    '<p id="locInfoReqID">',
    m.requestId(requestId),
    '</p>',
    `<p id="locPendInfo2">${escapeMessage(m.returnLater)}</p>`,
    `<p id="locPendInfo3"><small>${escapeMessage(m.note(days))}</small></p>`,
    // The id again on a line of its own, `' nReqId = N`, whatever the language: a production
    // script takes it from there (bgstack15/certreq `--request`: grep "' nReqId", then the text
    // after "= "). Where real AD CS writes that line is unverified; a comment shows nothing.
    '<!--',
    `' nReqId = ${requestId}`,
    '-->',
  ]);
}
