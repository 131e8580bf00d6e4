// certckpn.asp — View the Status of a Pending Certificate Request (reference §9): the entries of
// the `Requests` cookie. Text variant: one small form per entry posting `Mode=chkpnd&ReqID=N` to
// certfnsh.asp; browser variant: script links submitting a shared hidden form (and the same forms
// inside <noscript>). Each entry also has a Remove form posting `Action=rmpn` to certrmpn.asp.

import { escapeHtml, escapeMessage, type Lines } from '../html.js';
import { messages } from '../i18n.js';
import type { PageContext, PendingCookieEntry } from '../page-model.js';
import { pageTitle, renderDocument } from './layout.js';
import { int } from './result-common.js';

/** What certckpn.asp lists. */
export interface PendingListPageOptions {
  readonly entries: readonly PendingCookieEntry[];
}

function checkForm(e: PendingCookieEntry): string[] {
  const id = int(e.requestId);
  return [
    `<form method="post" action="certfnsh.asp" class="frmCheckPending" id="fmCheck-${id}">`,
    '<input type="hidden" name="Mode" value="chkpnd">',
    `<input type="hidden" name="ReqID" value="${id}">`,
    `<input type="hidden" name="TargetStoreFlags" value="${escapeHtml(e.targetStoreFlags)}">`,
    `<input type="hidden" name="SaveCert" value="${escapeHtml(e.saveCert)}">`,
    `<input type="submit" id="btnCheck-${id}" value="${escapeHtml(e.friendlyType)}">`,
    '</form>',
  ];
}

function removeForm(ctx: PageContext, e: PendingCookieEntry): string[] {
  const id = int(e.requestId);
  return [
    `<form method="post" action="certrmpn.asp" class="frmRemovePending" id="fmRemove-${id}">`,
    '<input type="hidden" name="Action" value="rmpn">',
    `<input type="hidden" name="ReqID" value="${id}">`,
    `<input type="submit" id="btnRemove-${id}" value="${escapeMessage(messages(ctx.lang).pendingList.remove)}">`,
    '</form>',
  ];
}

/**
 * The pending-requests page (certckpn.asp).
 *
 * @example
 * ```ts
 * res.end(renderPendingList(ctx, { entries: parseRequestsCookie(req.headers.cookie) }));
 * ```
 */
export function renderPendingList(ctx: PageContext, options: PendingListPageOptions): string {
  const m = messages(ctx.lang).pendingList;
  if (options.entries.length === 0) {
    return renderDocument(ctx, [pageTitle(m.title), `<p id="locNoPending">${escapeMessage(m.none)}</p>`]);
  }
  let list: Lines;
  if (ctx.variant === 'text') {
    list = [
      '<table id="tblPending">',
      options.entries.map((e) => [
        '<tr>',
        '<td>',
        checkForm(e),
        '</td>',
        '<td>',
        removeForm(ctx, e),
        '</td>',
        '</tr>',
      ]),
      '</table>',
    ];
  } else {
    list = [
      '<table id="tblPending">',
      options.entries.map((e) => {
        const id = int(e.requestId);
        return [
          '<tr>',
          `<td><a href="#" id="lnkPending-${id}" onclick="handleCheckPending(${id});return false;">${escapeHtml(e.friendlyType)}</a></td>`,
          '<td>',
          removeForm(ctx, e),
          '</td>',
          '</tr>',
        ];
      }),
      '</table>',
      '<form id="fmCheckPending" method="post" action="certfnsh.asp">',
      '<input type="hidden" name="Mode" value="chkpnd">',
      '<input type="hidden" name="ReqID" value="">',
      '</form>',
      '<noscript>',
      options.entries.map(checkForm),
      '</noscript>',
      '<script>',
      'function handleCheckPending(nReqID) {',
      '\tvar form = document.getElementById("fmCheckPending");',
      '\tform.elements.namedItem("ReqID").value = nReqID;',
      '\tform.submit();',
      '}',
      '</script>',
    ];
  }
  return renderDocument(ctx, [
    pageTitle(m.title),
    `<p id="locSelectPending">${escapeMessage(m.select)}</p>`,
    list,
  ]);
}
