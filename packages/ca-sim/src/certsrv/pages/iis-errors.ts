// IIS's own error pages (not certsrv's, not localized here): 401 (reference §2.1 — clients grep
// `Unauthorized: Access is denied due to invalid credentials.`), 400, 403, 404, 405, 413, 500 and
// 501.
// CRLF line ends.

import { lines } from '../html.js';

const IIS_STYLE = [
  'body{margin:0;font-size:.7em;font-family:Verdana,Arial,Helvetica,sans-serif;background:#EEEEEE;}',
  'fieldset{padding:0 15px 10px 15px;}',
  'h1{font-size:2.4em;margin:0;color:#FFF;}',
  'h2{font-size:1.7em;margin:0;color:#CC0000;}',
  '#header{width:96%;margin:0 0 0 0;padding:6px 2% 6px 2%;font-family:"trebuchet MS",Verdana,sans-serif;color:#FFF;background-color:#555555;}',
  '#content{margin:0 0 0 2%;position:relative;}',
  '.content-container{background:#FFF;width:96%;margin-top:8px;padding:10px;position:relative;}',
];

function iisPage(title: string, detail: string): string {
  return lines([
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">',
    '<html xmlns="http://www.w3.org/1999/xhtml" lang="en">',
    '<head>',
    '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"/>',
    `<title>${title}</title>`,
    '<style type="text/css">',
    IIS_STYLE,
    '</style>',
    '</head>',
    '<body>',
    `<div id="header"><h1>${title}</h1></div>`,
    '<div id="content">',
    ' <div class="content-container"><fieldset>',
    `  <h2>${detail}</h2>`,
    ' </fieldset></div>',
    '</div>',
    '</body>',
    '</html>',
  ]);
}

/**
 * The IIS 401 page: title and h1 `401 - Unauthorized: Access is denied due to invalid
 * credentials.`, h2 on the missing permission.
 *
 * @example
 * ```ts
 * res.writeHead(401, 'Unauthorized', { 'Content-Type': 'text/html' }).end(renderUnauthorized());
 * ```
 */
export function renderUnauthorized(): string {
  return iisPage(
    '401 - Unauthorized: Access is denied due to invalid credentials.',
    'You do not have permission to view this directory or page using the credentials that you supplied.',
  );
}

/**
 * The IIS 403 page: `403 - Forbidden: Access is denied.`
 *
 * @example
 * ```ts
 * res.writeHead(403, { 'Content-Type': 'text/html' }).end(renderForbidden());
 * ```
 */
export function renderForbidden(): string {
  return iisPage(
    '403 - Forbidden: Access is denied.',
    'You do not have permission to view this directory or page using the credentials that you supplied.',
  );
}

/**
 * The IIS 404 page: `404 - File or directory not found.`
 *
 * @example
 * ```ts
 * res.writeHead(404, { 'Content-Type': 'text/html' }).end(renderNotFound());
 * ```
 */
export function renderNotFound(): string {
  return iisPage(
    '404 - File or directory not found.',
    'The resource you are looking for might have been removed, had its name changed, or is temporarily unavailable.',
  );
}

/**
 * The IIS 400 page (a body cut short, a malformed request).
 *
 * @example
 * ```ts
 * res.writeHead(400, { 'Content-Type': 'text/html' }).end(renderBadRequest());
 * ```
 */
export function renderBadRequest(): string {
  return iisPage('400 - Bad Request.', 'The request could not be understood by the server.');
}

/**
 * The IIS 405 page (a verb the page does not take).
 *
 * @example
 * ```ts
 * res.writeHead(405, { 'Content-Type': 'text/html', Allow: 'GET, HEAD' }).end(renderMethodNotAllowed());
 * ```
 */
export function renderMethodNotAllowed(): string {
  return iisPage(
    '405 - HTTP verb used to access this page is not allowed.',
    'The page you are looking for cannot be displayed because an invalid method (HTTP verb) was used to attempt access.',
  );
}

/**
 * The IIS 413 page (a body over the limit: ASP's AspMaxRequestEntityAllowed).
 *
 * @example
 * ```ts
 * res.writeHead(413, { 'Content-Type': 'text/html' }).end(renderTooLarge());
 * ```
 */
export function renderTooLarge(): string {
  return iisPage(
    '413 - Request Entity Too Large.',
    'The page was not displayed because the request entity is too large.',
  );
}

/**
 * The IIS 500 page (an unexpected failure; nothing about it is shown to the client).
 *
 * @example
 * ```ts
 * res.writeHead(500, { 'Content-Type': 'text/html' }).end(renderServerError());
 * ```
 */
export function renderServerError(): string {
  return iisPage(
    '500 - Internal server error.',
    'There is a problem with the resource you are looking for, and it cannot be displayed.',
  );
}

/**
 * The IIS 501 page: a request whose Transfer-Encoding names a coding the server does not
 * implement (RFC 9112 §6.1: anything but `chunked` here). Wording after IIS's 501.0 page
 * (unverified).
 *
 * @example
 * ```ts
 * res.writeHead(501, { 'Content-Type': 'text/html', Connection: 'close' }).end(renderNotImplemented());
 * ```
 */
export function renderNotImplemented(): string {
  return iisPage(
    '501 - Header values specify a method that is not implemented.',
    'The page you are looking for cannot be displayed because a header value in the request does not match certain configuration settings on the Web server.',
  );
}
