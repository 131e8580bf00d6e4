// The CA console (/certsrv/admin/): the certsrv MMC snap-in as a page. Folders Pending Requests /
// Issued Certificates / Revoked Certificates / Failed Requests, one row per request, and per-row
// forms posting to /certsrv/admin/action (hidden `csrf` and `ReqID`, button `name=action`).
// Works without JavaScript.

import type { RequestResult } from '../../authority.js';
import { escapeHtml, escapeMessage, type Lines } from '../html.js';
import { ADMIN_REVOCATION_REASONS, formatDate, messages } from '../i18n.js';
import type { AdminPageModel, PageContext } from '../page-model.js';
import { pageTitle, renderDocument } from './layout.js';
import { int } from './result-common.js';

/** The console folders, in tab order. */
export const ADMIN_FOLDERS = ['pending', 'issued', 'revoked', 'failed'] as const;

function dateCell(d: Date | undefined, ctx: PageContext): string {
  return d
    ? `<td><time datetime="${d.toISOString()}">${escapeMessage(formatDate(d, ctx.lang))}</time></td>`
    : '<td></td>';
}

function actionForm(ctx: PageContext, model: AdminPageModel, id: string, body: Lines): Lines {
  return [
    `<form method="post" action="${escapeHtml(ctx.basePath)}admin/action" class="frmAction">`,
    `<input type="hidden" name="csrf" value="${escapeHtml(model.csrfToken)}">`,
    `<input type="hidden" name="ReqID" value="${id}">`,
    `<input type="hidden" name="folder" value="${model.folder}">`,
    body,
    '</form>',
  ];
}

function actions(ctx: PageContext, model: AdminPageModel, r: RequestResult): Lines {
  const m = messages(ctx.lang).admin;
  const id = int(r.requestId);
  const button = (action: string, btnId: string, label: string): string =>
    `<button type="submit" name="action" value="${action}" id="${btnId}-${id}">${escapeMessage(label)}</button>`;
  switch (model.folder) {
    case 'pending':
      return actionForm(ctx, model, id, [
        button('approve', 'btnApprove', m.approve),
        button('deny', 'btnDeny', m.deny),
      ]);
    case 'issued':
      return actionForm(ctx, model, id, [
        `<label for="lbReason-${id}">${escapeMessage(m.reasonLabel)}</label>`,
        `<select name="reason" id="lbReason-${id}">`,
        ADMIN_REVOCATION_REASONS.map(
          (reason, i) =>
            `<option value="${reason}"${i === 0 ? ' selected' : ''}>${escapeMessage(m.reasons[reason])}</option>`,
        ),
        '</select>',
        button('revoke', 'btnRevoke', m.revoke),
      ]);
    case 'revoked':
      return r.revocationReason === 'certificateHold'
        ? actionForm(ctx, model, id, button('unrevoke', 'btnUnrevoke', m.unrevoke))
        : undefined;
    default:
      return undefined;
  }
}

function reasonText(ctx: PageContext, r: RequestResult): string {
  const reasons = messages(ctx.lang).admin.reasons as Readonly<Record<string, string>>;
  const reason = r.revocationReason;
  return reason === undefined ? '' : (reasons[reason] ?? reason);
}

/**
 * The CA console page.
 *
 * @example
 * ```ts
 * res.end(renderAdmin({ ...ctx, admin: true }, { folder: 'pending', rows: await ca.list('pending'), csrfToken }));
 * ```
 */
export function renderAdmin(ctx: PageContext, model: AdminPageModel): string {
  const m = messages(ctx.lang).admin;
  const revokedFolder = model.folder === 'revoked';
  // Where an officer decides, the attributes the request came with (a validity it asks for, a
  // san:) are shown, as the console's Request Attributes column does.
  const pendingFolder = model.folder === 'pending';
  const hasActions = model.folder !== 'failed';
  const headers = [
    m.columns.requestId,
    m.columns.requester,
    m.columns.template,
    m.columns.subject,
    m.columns.serial,
    m.columns.submitted,
    m.columns.resolved,
    ...(revokedFolder ? [m.columns.revoked, m.columns.reason] : []),
    m.columns.message,
    ...(pendingFolder ? [m.columns.attributes] : []),
    ...(hasActions ? [m.columns.actions] : []),
  ];
  const table: Lines =
    model.rows.length === 0
      ? `<p id="locEmptyFolder">${escapeMessage(m.empty)}</p>`
      : [
          '<table class="list" id="tblRequests">',
          `<tr>${headers.map((h) => `<th scope="col">${escapeMessage(h)}</th>`).join('')}</tr>`,
          model.rows.map((r) => {
            const id = int(r.requestId);
            return [
              `<tr id="rowRequest-${id}">`,
              `<td>${id}</td>`,
              `<td>${escapeHtml(r.requester?.name ?? '')}</td>`,
              `<td>${escapeHtml(r.template ?? '')}</td>`,
              `<td>${escapeHtml(r.subject ?? '')}</td>`,
              `<td>${escapeHtml(r.serialNumber ?? '')}</td>`,
              dateCell(r.submittedAt, ctx),
              dateCell(r.resolvedAt, ctx),
              revokedFolder && [dateCell(r.revokedAt, ctx), `<td>${escapeMessage(reasonText(ctx, r))}</td>`],
              `<td>${escapeHtml(r.message)}</td>`,
              pendingFolder &&
                `<td class="attributes">${(r.attributes ?? '')
                  .split(/\r?\n/)
                  .filter((l) => l !== '')
                  .map((l) => escapeHtml(l))
                  .join('<br>')}</td>`,
              hasActions && ['<td>', actions(ctx, model, r), '</td>'],
              '</tr>',
            ];
          }),
          '</table>',
        ];
  const crl = model.crl;
  return renderDocument(
    ctx,
    [
      pageTitle(m.title),
      model.notice !== undefined && `<p id="divNotice" role="status">${escapeHtml(model.notice)}</p>`,
      '<ul id="lstFolders">',
      ADMIN_FOLDERS.map((f) => {
        const current = f === model.folder;
        return `<li><a href="?folder=${f}" id="lnkFolder-${f}"${current ? ' aria-current="page"' : ''}>${
          current ? `<b>${escapeMessage(m.folders[f])}</b>` : escapeMessage(m.folders[f])
        }</a></li>`;
      }),
      '</ul>',
      `<h2 id="locFolderTitle">${escapeMessage(m.folders[model.folder])}</h2>`,
      table,
      `<h2 id="locCrlHeading">${escapeMessage(m.crlHeading)}</h2>`,
      crl
        ? [
            '<table id="tblCrl">',
            `<tr><td class="lbl">${escapeMessage(m.crlNumber)}</td><td id="tdCrlNumber">${int(crl.crlNumber)}</td></tr>`,
            `<tr><td class="lbl">${escapeMessage(m.crlThisUpdate)}</td>${dateCell(crl.thisUpdate, ctx)}</tr>`,
            `<tr><td class="lbl">${escapeMessage(m.crlNextUpdate)}</td>${dateCell(crl.nextUpdate, ctx)}</tr>`,
            '</table>',
          ]
        : `<p id="locNoCrl">${escapeMessage(m.crlNone)}</p>`,
      `<form method="post" action="${escapeHtml(ctx.basePath)}admin/action" id="fmPublishCrl">`,
      `<input type="hidden" name="csrf" value="${escapeHtml(model.csrfToken)}">`,
      `<input type="hidden" name="folder" value="${model.folder}">`,
      `<button type="submit" name="action" value="publish-crl" id="btnPublishCrl">${escapeMessage(m.publishCrl)}</button>`,
      model.deltaCrl !== false &&
        `<button type="submit" name="action" value="publish-delta-crl" id="btnPublishDeltaCrl">${escapeMessage(m.publishDeltaCrl)}</button>`,
      '</form>',
    ],
    { keepQuery: `folder=${model.folder}` },
  );
}
