// certfnsh.asp — Certificate Issued (reference §5.4), both variants. Clients grep
// `certnew.cer?ReqID=N&` (both), `certnew.cer?ReqID=N&amp;Enc=b64` (text) and
// `location="certnew.cer?ReqID=N&"+getEncoding();` (browser), so those bytes are fixed.

import { escapeMessage, type Lines } from '../html.js';
import { messages } from '../i18n.js';
import type { PageContext, ResultPageModel } from '../page-model.js';
import { pageTitle, renderDocument } from './layout.js';
import { caInstallHref, GET_ENCODING_SCRIPT, int } from './result-common.js';

function plainLinks(ctx: PageContext, id: string): string[] {
  const m = messages(ctx.lang).issued;
  const pair = (file: string): string =>
    `<a href="${file}?ReqID=${id}&amp;Enc=bin">${escapeMessage(m.derEncoded)}</a> ${escapeMessage(m.or)} <a href="${file}?ReqID=${id}&amp;Enc=b64">${escapeMessage(m.b64Encoded)}</a>`;
  return [
    `<p id="locDownloadCertText">${escapeMessage(m.downloadCertLabel)} ${pair('certnew.cer')}</p>`,
    `<p id="locDownloadChainText">${escapeMessage(m.downloadChainLabel)} ${pair('certnew.p7b')}</p>`,
  ];
}

/**
 * The Certificate Issued page. With `model.install` (in-browser key, `SaveCert=no`) it offers
 * `Install this certificate` (a form posting `Action=inst` to certrmpn.asp) instead of the
 * download links (reference §5.4, IE install flow); `certnew.cer?ReqID=N` still answers.
 *
 * @example
 * ```ts
 * res.end(renderIssued(ctx, { result, nRenewals: 0, checkPending: false }));
 * ```
 */
export function renderIssued(ctx: PageContext, model: ResultPageModel): string {
  const m = messages(ctx.lang).issued;
  const id = int(model.result.requestId);
  const nRenewals = int(model.nRenewals);
  const install: Lines = model.install && [
    '<form id="fmInstall" method="post" action="certrmpn.asp">',
    '<input type="hidden" name="Action" value="inst">',
    `<input type="hidden" name="ReqID" value="${id}">`,
    `<p><input type="submit" id="locInstallCert" value="${escapeMessage(m.installCert)}"></p>`,
    '</form>',
  ];
  const downloads: Lines =
    ctx.variant === 'browser'
      ? [
          '<form name="UIForm" id="fmEncoding" action="#" onsubmit="return false;">',
          '<p>',
          `<input type="radio" name="rbEncoding" id="rbDerEnc" value="bin" checked><label for="rbDerEnc" id="locDerEnc0">${escapeMessage(m.derEncoded)}</label>`,
          `&nbsp;&nbsp;${escapeMessage(m.or)}&nbsp;`,
          `<input type="radio" name="rbEncoding" id="rbB64Enc" value="b64"><label for="rbB64Enc" id="locB64Enc0">${escapeMessage(m.b64Encoded)}</label>`,
          '</p>',
          '</form>',
          `<p><a href="#" id="locDownloadCert3" onclick="handleGetCert();return false;">${escapeMessage(m.downloadCert)}</a></p>`,
          `<p><a href="#" id="locDownloadCertChain3" onclick="handleGetChain();return false;">${escapeMessage(m.downloadChain)}</a></p>`,
          '<noscript>',
          plainLinks(ctx, id),
          '</noscript>',
        ]
      : plainLinks(ctx, id);
  const script: Lines = [
    '<script>',
    `var nRenewals=${nRenewals};`,
    ctx.variant === 'browser' &&
      !model.install && [
        'function handleGetCert() {',
        `\tlocation="certnew.cer?ReqID=${id}&"+getEncoding();`,
        '}',
        'function handleGetChain() {',
        `\tlocation="certnew.p7b?ReqID=${id}&"+getEncoding();`,
        '}',
        ...GET_ENCODING_SCRIPT,
      ],
    '</script>',
  ];
  return renderDocument(ctx, [
    pageTitle(m.title),
    `<p id="locCertIssued">${escapeMessage(m.text)}</p>`,
    install || downloads,
    '<div id="locCANotTrusted" style="display:none">',
    `<p>${escapeMessage(m.caNotTrusted)} <a href="${caInstallHref(model.nRenewals)}" id="locInstallCA">${escapeMessage(m.installCaLink)}</a>.</p>`,
    '</div>',
    script,
  ]);
}
