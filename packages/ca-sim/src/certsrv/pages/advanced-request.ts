// certrqad.asp — Advanced Certificate Request (reference §4): create a request in the browser or
// submit a saved one.

import { escapeMessage } from '../html.js';
import { messages } from '../i18n.js';
import type { PageContext } from '../page-model.js';
import { pageTitle, renderDocument } from './layout.js';

/**
 * The Advanced Certificate Request page (certrqad.asp).
 *
 * @example
 * ```ts
 * res.end(renderAdvancedRequest(ctx));
 * ```
 */
export function renderAdvancedRequest(ctx: PageContext): string {
  const m = messages(ctx.lang).advanced;
  return renderDocument(ctx, [
    pageTitle(m.title),
    `<p id="locAdvIntro">${escapeMessage(m.intro)}</p>`,
    '<ul id="lstAdvanced">',
    `<li><a href="certrqma.asp" id="locCreateSubmit">${escapeMessage(m.createSubmit)}</a></li>`,
    `<li><a href="certrqxt.asp" id="locSubmitFile">${escapeMessage(m.submitFile)}</a></li>`,
    '</ul>',
  ]);
}
