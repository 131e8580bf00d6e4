// The advanced-information block of certsrv's error page (reference §7): which request mode
// failed, the request's disposition and message, and the HRESULT texts, in the order and form
// clients parse (`Disposition message:` / `LastStatus:`).

import type { RequestResult } from '../authority.js';
import { formatHresult, HRESULTS, type HResult } from '../hresult.js';
import type { ErrorDetails } from './page-model.js';

/**
 * The `Request Mode:` labels. The fetch labels are not confirmed by the reference (unverified).
 *
 * @example
 * ```ts
 * REQUEST_MODES.newreq; // 'newreq - New Request'
 * ```
 */
export const REQUEST_MODES = {
  newreq: 'newreq - New Request',
  chkpnd: 'chkpnd - Check Pending Request',
  getcert: 'certnew.cer - Retrieve Certificate',
  getchain: 'certnew.p7b - Retrieve Certificate Chain',
  getcrl: 'certcrl.crl - Retrieve CRL',
  none: '(none)',
} as const;

/** `Disposition:` value: the number in hex, then a name only for Incomplete and Error. */
function dispositionText(code: number | undefined): string {
  if (code === undefined) return '(not set)';
  const name = code === 0 ? 'Incomplete' : code === 1 ? 'Error' : '(unknown)';
  return `${code.toString(16)} - ${name}`;
}

/**
 * Error details for a request that exists but cannot give what was asked (a pending or denied
 * request's certificate, a revoked one).
 *
 * @example
 * ```ts
 * requestErrorDetails('getcert', result);
 * ```
 */
export function requestErrorDetails(mode: keyof typeof REQUEST_MODES, r: RequestResult): ErrorDetails {
  return {
    requestMode: REQUEST_MODES[mode],
    disposition: dispositionText(r.dispositionCode),
    dispositionMessage: r.message,
    result: formatHresult(HRESULTS.CERTSRV_E_PROPERTY_EMPTY),
    lastStatus: r.status,
  };
}

/**
 * Error details when there is no request behind the error (unknown id, empty request, a page
 * that must be reached through its form).
 *
 * @example
 * ```ts
 * noRequestDetails('chkpnd', HRESULTS.CERTSRV_E_PROPERTY_EMPTY);
 * ```
 */
export function noRequestDetails(
  mode: keyof typeof REQUEST_MODES,
  result: HResult,
  summary?: string,
): ErrorDetails {
  return {
    requestMode: REQUEST_MODES[mode],
    disposition: dispositionText(undefined),
    dispositionMessage: '(none)',
    result: formatHresult(result),
    lastStatus: formatHresult(result),
    ...(summary !== undefined ? { summary } : {}),
  };
}
