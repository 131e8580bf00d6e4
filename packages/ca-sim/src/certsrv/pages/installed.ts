// certrmpn.asp?Action=inst — the install confirmation (reference §5.4, §9).

import { escapeMessage } from '../html.js';
import { messages } from '../i18n.js';
import type { PageContext } from '../page-model.js';
import { pageTitle, renderDocument } from './layout.js';

/**
 * The Certificate Installed page: `Your new certificate has been successfully installed.`
 *
 * @example
 * ```ts
 * res.end(renderInstalled(ctx));
 * ```
 */
export function renderInstalled(ctx: PageContext): string {
  const m = messages(ctx.lang).installed;
  return renderDocument(ctx, [pageTitle(m.title), `<p id="locInstalled">${escapeMessage(m.text)}</p>`]);
}
