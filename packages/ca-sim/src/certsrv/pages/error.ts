// The certsrv error page (reference §7): fetch failures of certnew.cer / certnew.p7b /
// certcrl.crl and certfnsh.asp errors with no request behind them. Whitespace contract of the
// advanced information: the label line holds no TAB and ends with CRLF; the next line is exactly
// two TABs, the value, CRLF — so `Disposition message:[^\t]+\t\t([^\r\n]+)` and
// `LastStatus:[^\t]+\t\t([^\r\n]+)` capture the values. Every item follows the same layout.

import { escapeHtml, escapeMessage, escapeText } from '../html.js';
import { messages } from '../i18n.js';
import type { ErrorDetails, PageContext } from '../page-model.js';
import { pageTitle, renderDocument } from './layout.js';

function item(id: string, label: string, value: string): string[] {
  return [`<dt id="${id}">${escapeMessage(label)}</dt><dd>`, `\t\t${escapeText(value)}`, '</dd>'];
}

/**
 * The Error page.
 *
 * @example
 * ```ts
 * res.end(renderError(ctx, {
 *   requestMode: 'newreq - New Request', disposition: '(never set)', dispositionMessage: '(none)',
 *   result: 'The parameter is incorrect. 0x80070057 (WIN32: 87 ERROR_INVALID_PARAMETER)',
 *   lastStatus: 'The parameter is incorrect. 0x80070057 (WIN32: 87 ERROR_INVALID_PARAMETER)',
 * }));
 * ```
 */
export function renderError(ctx: PageContext, details: ErrorDetails): string {
  const m = messages(ctx.lang).error;
  return renderDocument(ctx, [
    pageTitle(m.title),
    details.summary !== undefined && `<p id="locSummary">${escapeHtml(details.summary)}</p>`,
    `<p id="locErrorMsg">${escapeMessage(m.failed)}</p>`,
    `<p id="locContactAdmin">${escapeMessage(m.contactAdmin)}</p>`,
    '<!-- Advanced Info -->',
    `<h2 id="locMoreInfo">${escapeMessage(m.moreInfo)}</h2>`,
    '<dl id="dlAdvInfo" class="small">',
    item('locRequestMode', m.requestMode, details.requestMode),
    item('locDisposition', m.disposition, details.disposition),
    item('locDispositionMessage', m.dispositionMessage, details.dispositionMessage),
    item('locResult', m.result, details.result),
    item('locComErrorInfo', m.comErrorInfo, details.comErrorInfo ?? ''),
    item('locLastStatus', m.lastStatus, details.lastStatus),
    item('locSuggestedCause', m.suggestedCause, m.noSuggestion),
    '</dl>',
  ]);
}
