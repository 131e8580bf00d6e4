// default.asp — Welcome / task selection (reference §4).

import { escapeMessage } from '../html.js';
import { messages } from '../i18n.js';
import type { PageContext } from '../page-model.js';
import { pageTitle, renderDocument } from './layout.js';

/** Where "Request a certificate" leads (reference §3): certrqus.asp for browsers, certrqxt.asp for text clients, certrqad.asp without a user template. */
export interface HomePageOptions {
  readonly requestLink: 'certrqus.asp' | 'certrqxt.asp' | 'certrqad.asp';
}

/**
 * The Welcome page (default.asp).
 *
 * @example
 * ```ts
 * res.end(renderHome(ctx, { requestLink: ctx.variant === 'browser' ? 'certrqus.asp' : 'certrqxt.asp' }));
 * ```
 */
export function renderHome(ctx: PageContext, options: HomePageOptions): string {
  const m = messages(ctx.lang).home;
  return renderDocument(ctx, [
    pageTitle(m.title),
    `<p id="locWelcome1">${escapeMessage(m.intro1)}</p>`,
    `<p id="locWelcome2">${escapeMessage(m.intro2)}</p>`,
    `<h2 id="locSelectTask">${escapeMessage(m.selectTask)}</h2>`,
    '<ul id="lstTasks">',
    `<li><a href="${options.requestLink}" id="locRequestCert">${escapeMessage(m.requestCert)}</a></li>`,
    `<li><a href="certckpn.asp" id="locViewPending">${escapeMessage(m.viewPending)}</a></li>`,
    `<li><a href="certcarc.asp" id="locDownloadCA">${escapeMessage(m.downloadCa)}</a></li>`,
    '</ul>',
  ]);
}
