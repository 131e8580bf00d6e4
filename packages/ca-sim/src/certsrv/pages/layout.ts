// The frame shared by every certsrv page (reference §1): UTF-8 and IE=7 meta elements, the
// product title, the blue header bar with the CA name and the Home link, the language switch and,
// for CA administrators, the console link. Pages pass their body lines; the result has CRLF ends.

import { escapeHtml, escapeMessage, type Lines, lines } from '../html.js';
import { messages } from '../i18n.js';
import type { PageContext } from '../page-model.js';

/** The stylesheet of the pages: certsrv's plain look (blue bar, small Verdana). */
export const CERTSRV_STYLE = [
  'body{margin:0;background:#fff;color:#000;font-family:Verdana,Tahoma,Arial,sans-serif;font-size:10pt}',
  'a{color:#0000ff}',
  '#tblHeader{width:100%;border-collapse:collapse;background:#336699;color:#fff}',
  '#tblHeader td{padding:4px 8px;font-size:9pt;font-weight:bold}',
  '#tblHeader a{color:#fff}',
  '#tdHome{text-align:right;white-space:nowrap}',
  '#divTools{padding:2px 8px;font-size:8pt;text-align:right;color:#333}',
  '#divMain{padding:0 12px 12px}',
  'h1{font-size:10pt;font-weight:bold;margin:12px 0 4px}',
  'h2{font-size:9pt;font-weight:bold;margin:10px 0 4px}',
  'hr{border:0;border-top:1px solid #336699}',
  'p,li,td,th,label,legend,dt,dd{font-size:9pt}',
  'fieldset{border:1px solid #99b3cc;margin:8px 0;padding:4px 8px}',
  'small,.small{font-size:8pt}',
  'textarea{font-family:"Courier New",monospace;font-size:8pt}',
  'table.list{border-collapse:collapse}',
  'table.list th,table.list td{border:1px solid #99b3cc;padding:2px 4px;text-align:left;vertical-align:top}',
  'table.list th{background:#e6eef5}',
  'td.lbl{text-align:right;padding-right:6px;white-space:nowrap}',
].join('');

/** Options of {@link renderDocument}. */
export interface DocumentOptions {
  /**
   * Query parameters of the current page to keep in the language links (already URL-encoded,
   * without `Lang`), e.g. `folder=issued` on the console.
   */
  readonly keepQuery?: string;
}

/**
 * Wraps page body lines in the certsrv frame.
 *
 * @example
 * ```ts
 * const html = renderDocument(ctx, ['<h1 id="locPageTitle">Welcome</h1>']);
 * ```
 */
export function renderDocument(
  ctx: PageContext,
  body: readonly Lines[],
  options: DocumentOptions = {},
): string {
  const frame = frameOf(ctx, options.keepQuery ?? '');
  return frame.head + lines(body, true) + frame.tail;
}

interface Frame {
  readonly head: string;
  readonly tail: string;
}

/**
 * The frame around a body, by everything it shows. A busy server renders the same few frames
 * (one per language, account and console flag) thousands of times a second: building one costs
 * ~15 µs, its key and a Map lookup about one. Bounded: cleared when full, as accounts come and go.
 */
const frames = new Map<string, Frame>();
const MAX_FRAMES = 512;

function frameOf(ctx: PageContext, keepQuery: string): Frame {
  // JSON keeps the fields apart whatever they contain.
  const key = JSON.stringify([
    ctx.lang,
    ctx.caName,
    ctx.basePath,
    ctx.user ?? null,
    ctx.admin === true,
    keepQuery,
    ctx.answersPost === true,
  ]);
  let frame = frames.get(key);
  if (frame) return frame;
  const m = messages(ctx.lang).common;
  const keep = keepQuery ? `${escapeHtml(keepQuery)}&amp;` : '';
  const langLink = (code: 'en' | 'fr', label: string): string =>
    `<a href="?${keep}Lang=${code}" id="lnkLang${code === 'en' ? 'En' : 'Fr'}" lang="${code}" hreflang="${code}"${
      ctx.lang === code ? ' aria-current="true"' : ''
    }>${label}</a>`;
  frame = {
    head: lines([
      '<!DOCTYPE html>',
      `<html lang="${ctx.lang}">`,
      '<head>',
      '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">',
      '<meta http-equiv="X-UA-Compatible" content="IE=7">',
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      `<title>${escapeMessage(m.product)}</title>`,
      `<style>${CERTSRV_STYLE}</style>`,
      '</head>',
      '<body>',
      '<table id="tblHeader" role="banner">',
      '<tr>',
      `<td id="locMSCertSrv">${escapeMessage(m.product)}  --  ${escapeHtml(ctx.caName)}</td>`,
      `<td id="tdHome"><a href="${escapeHtml(ctx.basePath)}" id="locHomeLink">${escapeMessage(m.home)}</a></td>`,
      '</tr>',
      '</table>',
      '<div id="divTools">',
      // A POST's answer cannot be fetched again in the other language: no links there.
      [
        ctx.user !== undefined && `<span id="spnUser">${m.signedInAs(escapeHtml(ctx.user))}</span>`,
        ctx.admin &&
          `<a href="${escapeHtml(ctx.basePath)}admin/" id="lnkAdminConsole">${escapeMessage(m.adminConsole)}</a>`,
        !ctx.answersPost &&
          `<span id="spnLanguage">${escapeMessage(m.language)}</span>\n${langLink('en', 'English')} | ${langLink('fr', 'Français')}`,
      ]
        .filter(Boolean)
        .join(' |\n'),
      '</div>',
      '<div id="divMain" role="main">',
    ]),
    tail: lines(['</div>', '</body>', '</html>']),
  };
  if (frames.size >= MAX_FRAMES) frames.clear();
  frames.set(key, frame);
  return frame;
}

/**
 * The page heading certsrv marks with `id=locPageTitle`, followed by the rule under it.
 *
 * @example
 * ```ts
 * pageTitle('Certificate Issued'); // ['<h1 id="locPageTitle">Certificate Issued</h1>', '<hr>']
 * ```
 */
export function pageTitle(text: string): string[] {
  return [`<h1 id="locPageTitle">${escapeMessage(text)}</h1>`, '<hr>'];
}
