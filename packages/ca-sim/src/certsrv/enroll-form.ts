// What the certsrv enrollment forms, the browser script of certrqma.asp and the certfnsh.asp route
// must agree on: the key algorithms certrqma.asp offers, the message keys its script reads from
// the page, and the `CertAttrib` text sent with a request (certsrv reference §4, §5.1, §8). One
// copy for both sides, so the page, the server and the bundle cannot drift apart: this module is
// compiled with the server and bundled into dist/browser/certrqma.js by
// scripts/build-browser.mjs, hence no DOM, no node: imports and no runtime imports at all.

import type { KeySpec } from '@certlab/pki';

/**
 * The key algorithms certrqma.asp offers (`lbKeyAlgorithm` option `value` and text), the first
 * selected by default, with the key spec each one generates in the browser. Real certsrv offers
 * CSPs and key sizes through its CertEnroll control (reference §4); here WebCrypto generates the
 * key, so the list holds what it can make and @certlab/pki can put in a request.
 *
 * @example
 * ```ts
 * CERTRQMA_KEY_ALGORITHMS.map((a) => `<option value="${a.value}">${a.label}</option>`);
 * CERTRQMA_KEY_ALGORITHMS[0].value; // 'ec-P-256'
 * ```
 */
export const CERTRQMA_KEY_ALGORITHMS = [
  { value: 'ec-P-256', label: 'ECDSA P-256', spec: { type: 'ec', curve: 'P-256' } },
  { value: 'ec-P-384', label: 'ECDSA P-384', spec: { type: 'ec', curve: 'P-384' } },
  { value: 'rsa-2048', label: 'RSA 2048', spec: { type: 'rsa', bits: 2048 } },
  { value: 'rsa-3072', label: 'RSA 3072', spec: { type: 'rsa', bits: 3072 } },
] as const satisfies readonly { value: string; label: string; spec: KeySpec }[];

/**
 * An `lbKeyAlgorithm` option value of {@link CERTRQMA_KEY_ALGORITHMS}.
 *
 * @example
 * ```ts
 * const alg: KeyAlgorithm = 'ec-P-256';
 * ```
 */
export type KeyAlgorithm = (typeof CERTRQMA_KEY_ALGORITHMS)[number]['value'];

/**
 * The keys of the localized messages certrqma.asp embeds as JSON (`#certrqmaMessages`) for its
 * script. The server's message tables and the script's English defaults are typed by this list,
 * so a message the script shows cannot be left out of the page (it would appear in English on
 * French pages, reference §13).
 *
 * @example
 * ```ts
 * CERTRQMA_MESSAGE_KEYS.includes('passwordRequired'); // true
 * ```
 */
export const CERTRQMA_MESSAGE_KEYS = [
  'generating',
  'submitting',
  'downloading',
  'issued',
  'pending',
  'denied',
  'error',
  'downloadPfx',
  'downloadKey',
  'noWebCrypto',
  'passwordRequired',
  'storeLocalMachine',
  'storeCurrentUser',
] as const;

/**
 * A key of {@link CERTRQMA_MESSAGE_KEYS}.
 *
 * @example
 * ```ts
 * const key: CertrqmaMessageKey = 'passwordRequired';
 * ```
 */
export type CertrqmaMessageKey = (typeof CERTRQMA_MESSAGE_KEYS)[number];

/**
 * The field certrqxt.asp's form carries only when posted without script (inside `<noscript>`):
 * only then does certfnsh.asp read the visible fields taRequest / lbCertTemplate / taAttrib,
 * which AD CS ignores (reference §5.1).
 *
 * @example
 * ```ts
 * `<noscript><input type="hidden" name="${NO_SCRIPT_FIELD}" value="1"></noscript>`;
 * ```
 */
export const NO_SCRIPT_FIELD = 'NoScript';

/**
 * What a `CertAttrib` text is made of, in the order certsrv writes it (reference §4): the
 * attributes the user typed, then the template, then the user agent.
 *
 * @example
 * ```ts
 * const parts: CertAttribParts = { attributes: 'san:dns=a.contoso.com', template: 'WebServer' };
 * ```
 */
export interface CertAttribParts {
  /** The typed attributes (certrqxt.asp `taAttrib`), one `name:value` a line; blank lines are dropped. */
  readonly attributes?: string | undefined;
  /** The template cn (field 1 of the `lbCertTemplate` option value); no line when undefined. */
  readonly template?: string | undefined;
  /** The browser's user agent; no line when undefined. */
  readonly userAgent?: string | undefined;
}

// A value becomes exactly one attribute line: a CR or LF inside it would start another
// attribute (the CA splits on LF, reference §5.2, §8).
const oneLine = (s: string): string => s.replace(/[\r\n]+/g, ' ');

/**
 * The `CertAttrib` value of a certfnsh.asp submission (reference §4, §5.1, §8): the typed
 * attribute lines (CR stripped, trimmed, blank ones dropped), then `CertificateTemplate:<cn>`,
 * then `UserAgent:<UA>`, each line ending CRLF as certsrv's own page script writes it. CR and LF
 * inside the template or the user agent become a space.
 *
 * @example
 * ```ts
 * certAttrib({ template: 'WebServer', userAgent: navigator.userAgent });
 * // 'CertificateTemplate:WebServer\r\nUserAgent:Mozilla/5.0 …\r\n'
 * certAttrib({ attributes: 'san:dns=a.contoso.com\r\n\r\n', template: 'WebServer' });
 * // 'san:dns=a.contoso.com\r\nCertificateTemplate:WebServer\r\n'
 * ```
 */
export function certAttrib(parts: CertAttribParts): string {
  const lines = (parts.attributes ?? '')
    .split('\n')
    .map((l) => l.replace(/\r/g, '').trim())
    .filter((l) => l !== '');
  if (parts.template !== undefined) lines.push(`CertificateTemplate:${oneLine(parts.template)}`);
  if (parts.userAgent !== undefined) lines.push(`UserAgent:${oneLine(parts.userAgent)}`);
  return lines.map((l) => `${l}\r\n`).join('');
}
