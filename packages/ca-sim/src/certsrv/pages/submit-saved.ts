// certrqxt.asp — Submit a Certificate Request or Renewal Request (reference §4, §5.1). The visible
// form itself posts to certfnsh.asp, so the page works without JavaScript: a browser without
// script sends the `<noscript>` field NoScript=1, and only then does the server read taRequest /
// lbCertTemplate / taAttrib (AD CS ignores them, §5.1: a client posting them gets AD CS's answer).
// With JavaScript the page script adds `CertRequest` and `CertAttrib` exactly as certsrv's own
// script builds them.

import { NO_SCRIPT_FIELD } from '../enroll-form.js';
import { escapeHtml, escapeMessage } from '../html.js';
import { messages } from '../i18n.js';
import type { PageContext, TemplateOption } from '../page-model.js';
import { pageTitle, renderDocument } from './layout.js';

/** What certrqxt.asp lists. */
export interface SubmitSavedPageOptions {
  /** The templates the user may enroll (schema v1/v2), option texts already localized. */
  readonly templates: readonly TemplateOption[];
}

// On submit: CertRequest = the pasted request; CertAttrib = the typed attributes, then
// CertificateTemplate:<cn> (field 1 of the option value), then UserAgent:<UA>, each line CRLF;
// FriendlyType gets the local date as certsrv appends it. The CertAttrib lines follow the rules of
// certAttrib() in ../enroll-form.ts (which serves this form posted without script, in
// enroll-routes.ts); this inline classic script cannot import that module, so it spells them out
// again in ES5 — change both together. Two differences the CA's parser (reference §8: lines split
// on LF, trimmed) makes irrelevant: a lone CR inside a typed line is kept, and the UserAgent line
// is always written (a browser always has a user agent).
const SUBMIT_SCRIPT = String.raw`(function () {
  var form = document.getElementById('certrqxtForm');
  if (!form || !form.addEventListener) return;
  function setHidden(name, value) {
    var input = form.querySelector('input[type=hidden][name="' + name + '"]');
    if (!input) {
      input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      form.appendChild(input);
    }
    input.value = value;
  }
  form.addEventListener('submit', function () {
    var attrib = '';
    var typed = form.elements.namedItem('taAttrib');
    var typedLines = typed ? typed.value.split(/\r?\n/) : [];
    for (var i = 0; i < typedLines.length; i++) {
      var line = typedLines[i].replace(/^\s+|\s+$/g, '');
      if (line) attrib += line + '\r\n';
    }
    var select = form.elements.namedItem('lbCertTemplate');
    if (select && select.value) {
      var cn = select.value.split(';')[1];
      if (cn) attrib += 'CertificateTemplate:' + cn + '\r\n';
    }
    attrib += 'UserAgent:' + navigator.userAgent + '\r\n';
    setHidden('CertRequest', form.elements.namedItem('taRequest').value);
    setHidden('CertAttrib', attrib);
    var friendly = form.elements.namedItem('FriendlyType');
    if (friendly) friendly.value = 'Saved-Request Certificate (' + new Date().toLocaleString() + ')';
  });
})();`;

/**
 * The saved-request page (certrqxt.asp).
 *
 * @example
 * ```ts
 * res.end(renderSubmitSaved(ctx, { templates: templateOptions(published, ctx.lang) }));
 * ```
 */
export function renderSubmitSaved(ctx: PageContext, options: SubmitSavedPageOptions): string {
  const m = messages(ctx.lang).submitSaved;
  const templateRow =
    options.templates.length > 0
      ? [
          '<tr>',
          `<td class="lbl"><label for="lbCertTemplateID" id="locCertTemplate">${escapeMessage(m.certTemplate)}</label></td>`,
          '<td>',
          '<select name="lbCertTemplate" id="lbCertTemplateID">',
          // `<Option Value="…">` as the ASP page writes it: scripts grep that case and take the
          // value up to `">` (bgstack15/certreq `--list`); the first option is selected by default.
          options.templates.map(
            (t) => `<Option Value="${escapeHtml(t.value)}">${escapeHtml(t.displayName)}</Option>`,
          ),
          '</select>',
          '</td>',
          '</tr>',
        ]
      : ['<tr>', `<td></td><td><p id="locNoTemplates">${escapeMessage(m.noTemplates)}</p></td>`, '</tr>'];
  return renderDocument(ctx, [
    pageTitle(m.title),
    `<p id="locSubmitIntro">${escapeMessage(m.intro)}</p>`,
    '<form id="certrqxtForm" name="UIForm" method="post" action="certfnsh.asp">',
    '<input type="hidden" name="Mode" value="newreq">',
    '<input type="hidden" name="FriendlyType" value="Saved-Request Certificate">',
    '<input type="hidden" name="ThumbPrint" value="">',
    '<input type="hidden" name="TargetStoreFlags" value="0">',
    '<input type="hidden" name="SaveCert" value="yes">',
    // Parsed as markup only when scripting is off (HTML §4.11.2): the script's post lacks it.
    `<noscript><input type="hidden" name="${NO_SCRIPT_FIELD}" value="1"></noscript>`,
    '<table id="tblSubmit">',
    '<tr>',
    `<td class="lbl"><b id="locSavedReqLabel">${escapeMessage(m.savedRequest)}</b></td>`,
    '<td></td>',
    '</tr>',
    '<tr>',
    `<td class="lbl"><label for="locTaRequest" id="locSavedReqHint">${escapeMessage(m.savedRequestHint)}</label></td>`,
    '<td><textarea id="locTaRequest" name="taRequest" rows="10" cols="70" wrap="off" spellcheck="false" required></textarea></td>',
    '</tr>',
    templateRow,
    '<tr>',
    `<td class="lbl"><b id="locAddAttrLabel">${escapeMessage(m.additionalAttributes)}</b></td>`,
    '<td></td>',
    '</tr>',
    '<tr>',
    `<td class="lbl"><label for="locTaAttrib" id="locAttribLabel">${escapeMessage(m.attributes)}</label></td>`,
    '<td><textarea id="locTaAttrib" name="taAttrib" rows="3" cols="50" wrap="off" spellcheck="false"></textarea></td>',
    '</tr>',
    '<tr>',
    '<td></td>',
    `<td><input type="submit" id="btnSubmit" value="${escapeMessage(m.submit)}"></td>`,
    '</tr>',
    '</table>',
    '</form>',
    '<script>',
    SUBMIT_SCRIPT,
    '</script>',
  ]);
}
