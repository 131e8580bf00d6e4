// Request ids as certsrv reads them from a query (ReqID), a form field or the Requests cookie:
// AD CS's RequestID is a 32-bit LONG counted from 1, so anything but 1–10 digits in 1…2^31 − 1 is
// no request, and never reaches the CA or its database ("abc", "1.5", "-3", 10^20).

/** True for a number that can be a request id (1 … 2^31 − 1). */
export function isRequestId(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 1 && n <= 0x7fffffff;
}

/** The request id written in `text` (surrounding blanks allowed), or undefined. */
export function parseRequestId(text: string | undefined): number | undefined {
  const t = text?.trim() ?? '';
  if (!/^\d{1,10}$/.test(t)) return undefined;
  const n = Number(t);
  return isRequestId(n) ? n : undefined;
}
