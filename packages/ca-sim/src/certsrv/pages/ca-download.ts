// certcarc.asp — Download a CA Certificate, Certificate Chain, or CRL (reference §6.1).
// `var nRenewals=N;` (N = current CA certificate index), the CRL state per index, the list box
// `lbCaInstance`/`lbCaID` (size 4, newest first, first selected), the encoding radios and the
// links. Browser variant: real hrefs for the current certificate in DER that the script replaces
// from the selection; text variant: plain links per CA certificate and encoding.

import { escapeHtml, escapeMessage, type Lines } from '../html.js';
import { messages } from '../i18n.js';
import type { CaGeneration, CertsrvLanguage, PageContext } from '../page-model.js';
import { pageTitle, renderDocument } from './layout.js';
import { caInstallHref, GET_ENCODING_SCRIPT, int } from './result-common.js';

/** What certcarc.asp lists. */
export interface CaDownloadPageOptions {
  /** One entry per CA certificate, newest (current) first. */
  readonly generations: readonly CaGeneration[];
  /** Whether delta CRLs are published (adds `Download latest delta CRL`). */
  readonly deltaCrl: boolean;
}

/** certcarc.asp's CRL state meaning "a valid CRL is published for this index". */
export const CRL_STATE_VALID = 3;

/**
 * The `lbCaInstance` option text of a CA certificate: `Current [<CA>]` for the newest, otherwise
 * `Previous [<CA>(n)]`; the `(n)` suffix marks indexes above 0 (French: Actuel / Précédent).
 *
 * @example
 * ```ts
 * caGenerationLabel('Contoso CA', 1, true, 'en'); // 'Current [Contoso CA(1)]'
 * caGenerationLabel('Contoso CA', 0, false, 'en'); // 'Previous [Contoso CA]'
 * ```
 */
export function caGenerationLabel(
  caName: string,
  index: number,
  current: boolean,
  lang: CertsrvLanguage,
): string {
  const m = messages(lang).caDownload;
  return `${current ? m.current : m.previous} [${caName}${index > 0 ? `(${int(index)})` : ''}]`;
}

const SCRIPT_FUNCTIONS = [
  'function getRenewal() {',
  '\tvar list = document.getElementById("lbCaID");',
  '\tif (!list || list.selectedIndex < 0) return nRenewals;',
  '\treturn list.options[list.selectedIndex].value;',
  '}',
  ...GET_ENCODING_SCRIPT,
  'function handleInstallCert() {',
  '\tlocation="certnew.cer?ReqID=CACert&Renewal="+getRenewal()+"&Mode=inst&Enc=b64";',
  '}',
  'function handleGetCert() {',
  '\tlocation="certnew.cer?ReqID=CACert&Renewal="+getRenewal()+"&"+getEncoding();',
  '}',
  'function handleGetChain() {',
  '\tlocation="certnew.p7b?ReqID=CACert&Renewal="+getRenewal()+"&"+getEncoding();',
  '}',
  'function handleGetCrl(sType) {',
  '\tlocation="certcrl.crl?Type="+sType+"&Renewal="+getRenewal()+"&"+getEncoding();',
  '}',
  'function updateCrlLinks() {',
  `\tvar bValid = rgnCRLState[getRenewal()] == ${CRL_STATE_VALID};`,
  '\tvar rgsIds = ["liBaseCrl", "liDeltaCrl"];',
  '\tfor (var i = 0; i < rgsIds.length; i++) {',
  '\t\tvar el = document.getElementById(rgsIds[i]);',
  '\t\tif (el) el.style.display = bValid ? "" : "none";',
  '\t}',
  '}',
  '(function () {',
  '\tvar list = document.getElementById("lbCaID");',
  '\tif (list) list.onchange = updateCrlLinks;',
  '\tupdateCrlLinks();',
  '})();',
];

/**
 * The CA download page (certcarc.asp).
 *
 * @example
 * ```ts
 * res.end(renderCaDownload(ctx, {
 *   generations: [{ index: 0, label: caGenerationLabel(ca.name, 0, true, ctx.lang), crlState: 3 }],
 *   deltaCrl: true,
 * }));
 * ```
 */
export function renderCaDownload(ctx: PageContext, options: CaDownloadPageOptions): string {
  const m = messages(ctx.lang).caDownload;
  const gens = options.generations;
  const current = gens[0];
  const nRenewals = int(current?.index ?? 0);
  const crlValid = (g: CaGeneration | undefined): boolean => g?.crlState === CRL_STATE_VALID;

  const stateLines = gens.map((g) => `rgnCRLState[${int(g.index)}]=${int(g.crlState)};`);
  const selector: Lines = [
    '<form name="UIForm" id="fmCaDownload" action="#" onsubmit="return false;">',
    '<table id="tblCaDownload">',
    '<tr>',
    `<td class="lbl"><label for="lbCaID" id="locCaCertificate">${escapeMessage(m.caCertificate)}</label></td>`,
    '<td>',
    '<select name="lbCaInstance" id="lbCaID" size="4">',
    gens.map(
      (g, i) =>
        `<option value="${int(g.index)}"${i === 0 ? ' selected' : ''}>${escapeHtml(g.label)}</option>`,
    ),
    '</select>',
    '</td>',
    '</tr>',
    '<tr>',
    `<td class="lbl" id="locEncoding">${escapeMessage(m.encodingMethod)}</td>`,
    '<td>',
    `<input type="radio" name="rbEncoding" id="rbDerEnc" value="bin" checked><label for="rbDerEnc" id="locDerEnc">${escapeMessage(m.der)}</label>`,
    `<input type="radio" name="rbEncoding" id="rbB64Enc" value="b64"><label for="rbB64Enc" id="locB64Enc">${escapeMessage(m.b64)}</label>`,
    '</td>',
    '</tr>',
    '</table>',
    '</form>',
  ];

  let links: Lines = [];
  if (ctx.variant === 'browser') {
    const hiddenIf = (show: boolean): string => (show ? '' : ' style="display:none"');
    links = [
      '<ul id="lstCaLinks">',
      `<li><a href="${caInstallHref(current?.index ?? 0)}" id="locInstallCACert" onclick="handleInstallCert();return false;">${escapeMessage(m.installCaCert)}</a></li>`,
      `<li><a href="certnew.cer?ReqID=CACert&amp;Renewal=${nRenewals}&amp;Enc=bin" id="locDownloadCACert" onclick="handleGetCert();return false;">${escapeMessage(m.downloadCaCert)}</a></li>`,
      `<li><a href="certnew.p7b?ReqID=CACert&amp;Renewal=${nRenewals}&amp;Enc=bin" id="locDownloadCAChain" onclick="handleGetChain();return false;">${escapeMessage(m.downloadCaChain)}</a></li>`,
      `<li id="liBaseCrl"${hiddenIf(crlValid(current))}><a href="certcrl.crl?Type=base&amp;Renewal=${nRenewals}&amp;Enc=bin" id="locDownloadBaseCRL" onclick="handleGetCrl('base');return false;">${escapeMessage(m.downloadBaseCrl)}</a></li>`,
      options.deltaCrl &&
        `<li id="liDeltaCrl"${hiddenIf(crlValid(current))}><a href="certcrl.crl?Type=delta&amp;Renewal=${nRenewals}&amp;Enc=bin" id="locDownloadDeltaCRL" onclick="handleGetCrl('delta');return false;">${escapeMessage(m.downloadDeltaCrl)}</a></li>`,
      '</ul>',
    ];
  }

  // Plain links per CA certificate and encoding: the text variant's links, and the browser
  // variant's when scripts are off (the encoding radios need script).
  // French puts a space before the colon.
  const colon = ctx.lang === 'fr' ? ' : ' : ': ';
  const plainLinks: Lines = gens.map((g) => {
    const n = int(g.index);
    const pair = (base: string): string =>
      `<a href="${base}&amp;Enc=bin">${escapeMessage(m.der)}</a> <a href="${base}&amp;Enc=b64">${escapeMessage(m.b64)}</a>`;
    return [
      `<h2 id="locCaGeneration${n}">${escapeHtml(g.label)}</h2>`,
      `<ul id="lstCaLinks${n}">`,
      `<li><a href="${caInstallHref(g.index)}">${escapeMessage(m.installCaCert)}</a></li>`,
      `<li>${escapeMessage(m.downloadCaCert)}${colon}${pair(`certnew.cer?ReqID=CACert&amp;Renewal=${n}`)}</li>`,
      `<li>${escapeMessage(m.downloadCaChain)}${colon}${pair(`certnew.p7b?ReqID=CACert&amp;Renewal=${n}`)}</li>`,
      crlValid(g) &&
        `<li>${escapeMessage(m.downloadBaseCrl)}${colon}${pair(`certcrl.crl?Type=base&amp;Renewal=${n}`)}</li>`,
      crlValid(g) &&
        options.deltaCrl &&
        `<li>${escapeMessage(m.downloadDeltaCrl)}${colon}${pair(`certcrl.crl?Type=delta&amp;Renewal=${n}`)}</li>`,
      '</ul>',
    ];
  });
  links = ctx.variant === 'browser' ? [links, '<noscript>', plainLinks, '</noscript>'] : plainLinks;

  return renderDocument(ctx, [
    pageTitle(m.title),
    '<script>',
    `var nRenewals=${nRenewals};`,
    `var rgnCRLState=new Array(${nRenewals}+1);`,
    stateLines,
    '</script>',
    `<p id="locTrust">${escapeMessage(m.trust)} <a href="${caInstallHref(current?.index ?? 0)}" id="locInstallThisCA"${
      ctx.variant === 'browser' ? ' onclick="handleInstallCert();return false;"' : ''
    }>${escapeMessage(m.installThisCa)}</a>.</p>`,
    `<p id="locSelectCert">${escapeMessage(m.select)}</p>`,
    selector,
    links,
    ctx.variant === 'browser' && ['<script>', SCRIPT_FUNCTIONS, '</script>'],
  ]);
}
