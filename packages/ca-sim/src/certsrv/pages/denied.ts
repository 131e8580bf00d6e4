// certfnsh.asp — Certificate Request Denied (reference §5.6), also for revoked requests and
// unparseable requests. The line `Your Request Id is N. The disposition message is "<msg>".`
// stands alone and ends with `.` + CRLF; the message keeps its exact spacing.

import { escapeMessage, escapeText } from '../html.js';
import { messages } from '../i18n.js';
import type { PageContext, ResultPageModel } from '../page-model.js';
import { pageTitle, renderDocument } from './layout.js';
import { int } from './result-common.js';

/**
 * The disposition message as the denied line shows it: `"` replaced by `'` (the line is quoted),
 * `&`, `<`, `>` escaped, line breaks turned into spaces; doubled spaces kept.
 *
 * @example
 * ```ts
 * dispositionMessageText('Denied by Policy Module  0x80094800, "x"'); // "Denied by Policy Module  0x80094800, 'x'"
 * ```
 */
export function dispositionMessageText(message: string): string {
  return escapeText(message.replace(/"/g, "'"));
}

/**
 * The Certificate Request Denied page (disposition 2), or its revoked form (disposition 6).
 *
 * @example
 * ```ts
 * res.end(renderDenied(ctx, { result, nRenewals: 0, checkPending: false }));
 * ```
 */
export function renderDenied(ctx: PageContext, model: ResultPageModel): string {
  const m = messages(ctx.lang).denied;
  const revoked = model.result.disposition === 'revoked';
  return renderDocument(ctx, [
    // Disposition 6 keeps the denied page's title (reference §5.6 "disposition 2 or 6"): clients
    // that grep "Certificate Request Denied" take a revoked request for a refused one.
    pageTitle(m.title),
    `<p id="locDenied">${escapeMessage(revoked ? m.revoked : m.denied)}</p>`,
    `<p id="locContactAdmin">${escapeMessage(m.contactAdmin)}</p>`,
    '<p id="locDispositionInfo">',
    m.dispositionLine(int(model.result.requestId), dispositionMessageText(model.result.message)),
    '</p>',
  ]);
}
