// HTML helpers of the certsrv pages: one escaping function for everything echoed, JSON for
// inline scripts, and CRLF line ends (certsrv reference §1: pages end their lines in CRLF).

/** The line end of every certsrv page. */
export const CRLF = '\r\n';

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes a value for HTML text or a quoted attribute: `&`, `<`, `>`, `"` and `'`.
 *
 * @example
 * ```ts
 * escapeHtml('<Contoso "CA">'); // '&lt;Contoso &quot;CA&quot;&gt;'
 * ```
 */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * Escapes a string of the pages' own message tables (trusted text, possibly French with
 * apostrophes) for a text node or a double-quoted attribute: `&`, `<`, `>` and `"`. Apostrophes
 * stay as they are, so `d'une requête` reads the same in the source as on screen. Echoed data
 * (CA name, user, templates, messages from the CA) goes through {@link escapeHtml} instead.
 *
 * @example
 * ```ts
 * escapeMessage("Afficher le statut d'une requête"); // unchanged
 * escapeMessage('Submit >'); // 'Submit &gt;'
 * ```
 */
export function escapeMessage(text: string): string {
  return text.replace(/[&<>"]/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * Escapes a value shown verbatim in a text node that clients scrape with regular expressions
 * (the denied-page disposition line, the error-page values, reference §5.6 and §7): only `&`,
 * `<` and `>` are escaped, so quotes-free CA messages keep their exact bytes (apostrophes of
 * localized messages stay readable). Line breaks and TABs become spaces so the value stays on
 * its line. Never use it inside an attribute.
 *
 * @example
 * ```ts
 * escapeText('Denied by Policy Module  0x80094800, <x>'); // 'Denied by Policy Module  0x80094800, &lt;x&gt;'
 * ```
 */
export function escapeText(value: string): string {
  return value.replace(/[\r\n\t]/g, ' ').replace(/[&<>]/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * Serializes a value as JSON safe to embed in an inline `<script>` element (no `<`, `>` or `&`
 * can close the element or start a comment, U+2028/U+2029 are escaped).
 *
 * @example
 * ```ts
 * scriptJson({ msg: '</script>' }); // '{"msg":"\\u003c/script\\u003e"}'
 * ```
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Joins lines (nested arrays are flattened, `false`/`undefined` entries dropped) with CRLF and
 * turns any bare LF inside them into CRLF. The result ends with CRLF; with `emptyIfNone`, no lines
 * give '' (a part of a page joined to others) instead of one empty line.
 *
 * @example
 * ```ts
 * lines(['<p>', cond && 'shown', '</p>']); // '<p>\r\nshown\r\n</p>\r\n'
 * ```
 */
export function lines(parts: readonly Lines[], emptyIfNone = false): string {
  const out: string[] = [];
  const walk = (p: Lines): void => {
    if (p === false || p === undefined || p === null) return;
    if (typeof p === 'string') out.push(p);
    else for (const q of p) walk(q);
  };
  for (const p of parts) walk(p);
  if (emptyIfNone && out.length === 0) return '';
  return toCrlf(`${out.join('\n')}\n`);
}

/** What {@link lines} accepts: strings, skipped falsy entries, and nested lists. */
export type Lines = string | false | undefined | null | readonly Lines[];

/**
 * Normalizes line ends to CRLF (CR LF stays, a bare LF or a bare CR becomes CR LF).
 *
 * @example
 * ```ts
 * toCrlf('a\nb\r\nc'); // 'a\r\nb\r\nc'
 * ```
 */
export function toCrlf(text: string): string {
  // Pages are built with LF only: a plain replaceAll then does the same as the regex, faster.
  return text.includes('\r') ? text.replace(/\r\n|\r|\n/g, CRLF) : text.replaceAll('\n', CRLF);
}
