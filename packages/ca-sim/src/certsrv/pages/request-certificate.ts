// certrqus.asp — Request a Certificate (reference §4): the user-certificate type and the link to
// the advanced request.

import { escapeMessage } from '../html.js';
import { messages } from '../i18n.js';
import type { PageContext } from '../page-model.js';
import { pageTitle, renderDocument } from './layout.js';

/**
 * The Request a Certificate page (certrqus.asp). "User Certificate" leads to the in-browser
 * request page (certrqma.asp), which stands in for IE's basic request page.
 *
 * @example
 * ```ts
 * res.end(renderRequestCertificate(ctx));
 * ```
 */
export function renderRequestCertificate(ctx: PageContext): string {
  const m = messages(ctx.lang).requestCert;
  return renderDocument(ctx, [
    pageTitle(m.title),
    `<p id="locSelectType">${escapeMessage(m.selectType)}</p>`,
    '<ul id="lstTypes">',
    `<li><a href="certrqma.asp" id="locUserCert">${escapeMessage(m.userCert)}</a></li>`,
    '</ul>',
    `<p id="locOrSubmit">${escapeMessage(m.orSubmit)} <a href="certrqad.asp" id="locAdvancedRequest">${escapeMessage(
      m.advancedLink,
    )}</a>${escapeMessage(m.orSubmitEnd)}</p>`,
  ]);
}
