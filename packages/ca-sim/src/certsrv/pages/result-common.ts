// Pieces shared by the certfnsh.asp result pages (reference §5.4–5.6).

/** A request id or CA index as it may appear in a URL or an inline script: a plain integer. */
export function int(n: number): string {
  return String(Number.isFinite(n) ? Math.trunc(n) : 0);
}

/** The hidden "CA not trusted" install link (reference §5.4), `&` written `&amp;`. */
export function caInstallHref(nRenewals: number): string {
  return `certnew.cer?ReqID=CACert&amp;Renewal=${int(nRenewals)}&amp;Mode=inst&amp;Enc=b64`;
}

/**
 * `getEncoding()` of certsrv's page script: `Enc=bin` when the DER radio button (`rbDerEnc`, the
 * first, checked by default) is checked, else `Enc=b64` (reference §5.4, §6.1). One statement per
 * line, as clients grep the pages.
 *
 * @example
 * ```ts
 * ['<script>', GET_ENCODING_SCRIPT, '</script>'];
 * ```
 */
export const GET_ENCODING_SCRIPT: readonly string[] = [
  'function getEncoding() {',
  '\tif (document.getElementById("rbDerEnc").checked) {',
  '\t\treturn "Enc=bin";',
  '\t} else {',
  '\t\treturn "Enc=b64";',
  '\t}',
  '}',
];
