// certrqma.asp — "Create and submit a request to this CA" (reference §4). Real certsrv drives
// IE's CertEnroll control; here the key pair is generated in the browser by our own module
// script (assets/certrqma.js), which reads this form, the localized messages embedded as JSON,
// and reports progress in #divStatus / results in #divResult. Plain HTTP is refused, as on
// Windows Server 2008 R2 and later.

import { CERTRQMA_KEY_ALGORITHMS } from '../enroll-form.js';
import { escapeHtml, escapeMessage, scriptJson } from '../html.js';
import { messages } from '../i18n.js';
import type { PageContext, TemplateOption } from '../page-model.js';
import { pageTitle, renderDocument } from './layout.js';

// The list is defined in enroll-form.ts, which the browser bundle shares (its option values are
// what the script maps to a key); re-exported so pages/index.ts keeps offering it with the page.
export { CERTRQMA_KEY_ALGORITHMS };

/** What certrqma.asp needs. */
export interface CreateRequestPageOptions {
  /** The templates the user may enroll, option texts already localized. */
  readonly templates: readonly TemplateOption[];
  /** The HTTPS address of this page, linked from the plain-HTTP refusal. */
  readonly httpsUrl?: string | undefined;
}

// The password input has no name: it is read by the script and never leaves the browser, even
// if the form is submitted without JavaScript.
function field(id: string, label: string, attrs: string, named = true): string {
  const name = named ? ` name="${id}"` : '';
  return `<tr><td class="lbl"><label for="${id}">${escapeMessage(label)}</label></td><td><input id="${id}"${name} ${attrs}></td></tr>`;
}

/**
 * The in-browser request page (certrqma.asp): the refusal sentence over plain HTTP, otherwise the
 * form `#certrqmaForm`.
 *
 * @example
 * ```ts
 * res.end(renderCreateRequest(ctx, { templates, httpsUrl: 'https://ca.contoso.com/certsrv/certrqma.asp' }));
 * ```
 */
export function renderCreateRequest(ctx: PageContext, options: CreateRequestPageOptions): string {
  const m = messages(ctx.lang).createRequest;
  if (!ctx.secure) {
    return renderDocument(ctx, [
      pageTitle(m.title),
      `<p id="locHttpsRequired">${escapeMessage(m.httpsRequired)}</p>`,
      options.httpsUrl !== undefined &&
        `<p><a href="${escapeHtml(options.httpsUrl)}" id="lnkHttps">${escapeMessage(m.httpsLink)}</a></p>`,
    ]);
  }
  return renderDocument(ctx, [
    pageTitle(m.title),
    '<noscript>',
    `<p id="locNoScript">${escapeMessage(m.noscript)} <a href="certrqxt.asp">${escapeMessage(m.noscriptLink)}</a>.</p>`,
    '</noscript>',
    '<form id="certrqmaForm" name="UIForm" method="post" action="certfnsh.asp" autocomplete="off">',
    '<fieldset id="fsTemplate">',
    `<legend id="locCertTemplate">${escapeMessage(m.certTemplate)}</legend>`,
    '<select id="lbCertTemplateID" name="lbCertTemplate">',
    options.templates.map(
      (t, i) =>
        `<option value="${escapeHtml(t.value)}" data-offline="${t.enrolleeSuppliesSubject ? '1' : '0'}"${
          i === 0 ? ' selected' : ''
        }>${escapeHtml(t.displayName)}</option>`,
    ),
    '</select>',
    '</fieldset>',
    '<fieldset id="fsOffline">',
    `<legend id="locOfflineInfo">${escapeMessage(m.offlineInfo)}</legend>`,
    '<table>',
    field('tbName', m.name, 'type="text" size="40" maxlength="64"'),
    field('tbEmail', m.email, 'type="email" size="40" maxlength="128"'),
    field('tbCompany', m.company, 'type="text" size="40" maxlength="64"'),
    field('tbDepartment', m.department, 'type="text" size="40" maxlength="64"'),
    field('tbCity', m.city, 'type="text" size="40" maxlength="128"'),
    field('tbState', m.state, 'type="text" size="40" maxlength="128"'),
    field('tbCountry', m.country, 'type="text" size="2" maxlength="2" pattern="[A-Za-z]{2}"'),
    field('tbDnsNames', m.dnsNames, 'type="text" size="60" spellcheck="false"'),
    '</table>',
    '</fieldset>',
    '<fieldset id="fsKeyOptions">',
    `<legend id="locKeyOptions">${escapeMessage(m.keyOptions)}</legend>`,
    '<table>',
    `<tr><td class="lbl"><label for="lbKeyAlgorithm">${escapeMessage(m.keyAlgorithm)}</label></td><td>`,
    '<select id="lbKeyAlgorithm" name="lbKeyAlgorithm">',
    CERTRQMA_KEY_ALGORITHMS.map(
      (a, i) => `<option value="${a.value}"${i === 0 ? ' selected' : ''}>${escapeMessage(a.label)}</option>`,
    ),
    '</select>',
    '</td></tr>',
    // Article step 7 (reference §4): ticked, AD CS's page makes the key in the machine key set and
    // posts TargetStoreFlags=CERT_SYSTEM_STORE_LOCAL_MACHINE; here it does the latter and says
    // which store the downloaded .pfx belongs in.
    `<tr><td></td><td><input type="checkbox" id="cbLocalMachineStore" name="LocalMachineStore" value="1"> <label for="cbLocalMachineStore" id="locLocalMachineStore">${escapeMessage(m.localMachineStore)}</label></td></tr>`,
    field('tbPfxPassword', m.pfxPassword, 'type="password" size="30" autocomplete="new-password"', false),
    '</table>',
    `<p class="small" id="locKeyLocal">${escapeMessage(m.keyLocal)}</p>`,
    '</fieldset>',
    '<fieldset id="fsAdditional">',
    `<legend id="locAdditionalOptions">${escapeMessage(m.additionalOptions)}</legend>`,
    '<table>',
    field('tbFriendlyName', m.friendlyName, 'type="text" size="40" maxlength="128"'),
    '</table>',
    '</fieldset>',
    `<p><button type="submit" id="btnSubmit">${escapeMessage(m.submit)}</button></p>`,
    '</form>',
    '<div id="divStatus" role="status" aria-live="polite"></div>',
    '<div id="divResult"></div>',
    `<script type="application/json" id="certrqmaMessages">${scriptJson(m.script)}</script>`,
    '<script type="module" src="assets/certrqma.js"></script>',
  ]);
}
