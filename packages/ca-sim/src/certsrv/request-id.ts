// Request ids as certsrv reads them from a query (ReqID), a form field or the Requests cookie:
// AD CS's RequestID is a 32-bit LONG counted from 1, so anything but 1–10 digits in 1…2^31 − 1 is
// no request, and never reaches the CA or its database ("abc", "1.5", "-3", 10^20). Exported for
// clients of certsrv (the lab's), which must read the ids of its pages by the same rule.

/**
 * The largest request id AD CS gives: its RequestID is a 32-bit signed LONG.
 *
 * @example
 * ```ts
 * MAX_REQUEST_ID; // 2147483647
 * ```
 */
export const MAX_REQUEST_ID = 0x7fffffff;

/**
 * True for a number that can be a request id (1 … {@link MAX_REQUEST_ID}).
 *
 * @example
 * ```ts
 * isRequestId(7); // true
 * isRequestId(2 ** 31); // false
 * ```
 */
export function isRequestId(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 1 && n <= MAX_REQUEST_ID;
}

/**
 * The request id written in `text` (surrounding blanks allowed), or undefined: at most 10
 * digits, so that a longer run is never rounded by Number() into some other request's id.
 *
 * @example
 * ```ts
 * parseRequestId(' 42 '); // 42
 * parseRequestId('123456789012345678901234567890'); // undefined
 * ```
 */
export function parseRequestId(text: string | undefined): number | undefined {
  const t = text?.trim() ?? '';
  if (!/^\d{1,10}$/.test(t)) return undefined;
  const n = Number(t);
  return isRequestId(n) ? n : undefined;
}
