// Pieces shared by the certfnsh.asp result pages (reference §5.4–5.6).

/** A request id or CA index as it may appear in a URL or an inline script: a plain integer. */
export function int(n: number): string {
  return String(Number.isFinite(n) ? Math.trunc(n) : 0);
}

/** The hidden "CA not trusted" install link (reference §5.4), `&` written `&amp;`. */
export function caInstallHref(nRenewals: number): string {
  return `certnew.cer?ReqID=CACert&amp;Renewal=${int(nRenewals)}&amp;Mode=inst&amp;Enc=b64`;
}
