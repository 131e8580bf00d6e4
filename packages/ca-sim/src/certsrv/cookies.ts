// The cookies of the certsrv site: the ASP session cookie every response carries (certsrv
// reference §1) and the `Requests` cookie in which the browser remembers its pending requests
// (§9). Cookie headers come from arbitrary clients, so parsing is lenient and never throws.
// Kept free of node: imports (the page code and the browser script may share it).

import { decodeFormComponent } from './form-fields.js';
import type { PendingCookieEntry } from './page-model.js';
import { isRequestId, parseRequestId } from './request-id.js';

/** At most this many cookies are read from one header. */
const MAX_COOKIES = 200;
/** At most this many pending requests are remembered (the oldest are dropped). */
const MAX_PENDING = 20;
/** Longest friendly text kept per entry, so that 20 entries stay under the 4 KiB cookie limit. */
const MAX_FRIENDLY = 80;
/** Longest TargetStoreFlags / SaveCert value kept per entry. */
const MAX_FLAG = 16;
/** Longest encoded cookie value: browsers ignore a cookie over 4096 bytes (RFC 6265 §6.1). */
const MAX_VALUE = 3800;

/**
 * The cookies of a `Cookie` request header (RFC 6265 §5.4), parsed leniently: pairs split on
 * `;`, name and value at the first `=`, blanks around both removed, a value in double quotes
 * unquoted; pairs without a name are skipped; the FIRST occurrence of a name wins (RFC 6265 puts
 * the most specific path first). Names are case-sensitive; values are returned raw (not
 * percent-decoded). Never throws.
 *
 * @example
 * ```ts
 * const c = parseCookieHeader('ASPSESSIONIDQASRTBCS=ABCDEFGHIJKLMNOPQRSTUVWX; Requests=-');
 * c.get('Requests'); // '-'
 * ```
 */
export function parseCookieHeader(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof header !== 'string') return out;
  let start = 0;
  let seen = 0;
  while (start < header.length && seen < MAX_COOKIES) {
    let end = header.indexOf(';', start);
    if (end < 0) end = header.length;
    const pair = header.slice(start, end);
    start = end + 1;
    const eq = pair.indexOf('=');
    const name = (eq >= 0 ? pair.slice(0, eq) : pair).trim();
    if (name === '') continue;
    seen++;
    let value = eq >= 0 ? pair.slice(eq + 1).trim() : '';
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (!out.has(name)) out.set(name, value);
  }
  return out;
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * Random bytes drawn from a pool refilled 4 KB at a time: a client that does not send the session
 * cookie back (a script without a cookie jar) gets a new one on every request, and one
 * getRandomValues call per cookie cost ~9 % of such a request's CPU (benchmarks.md). Each byte
 * is used once.
 */
const POOL = new Uint8Array(4096);
let poolAt = POOL.length;

function defaultRandom(n: number): Uint8Array {
  if (n > POOL.length) return globalThis.crypto.getRandomValues(new Uint8Array(n));
  if (poolAt + n > POOL.length) {
    globalThis.crypto.getRandomValues(POOL);
    poolAt = 0;
  }
  const out = POOL.slice(poolAt, poolAt + n);
  poolAt += n;
  return out;
}

/** `count` upper-case letters; rejection sampling (bytes < 234 = 9·26) avoids modulo bias. */
function letters(count: number, random: (n: number) => Uint8Array): string {
  let out = '';
  for (let round = 0; out.length < count; round++) {
    const bytes = random(count * 2);
    for (let i = 0; i < bytes.length && out.length < count; i++) {
      const b = bytes[i] ?? 0;
      // After a few rounds (only with a broken random source) accept any byte, to terminate.
      if (b < 234 || round >= 4) out += UPPER[b % 26];
    }
  }
  return out;
}

/**
 * A Set-Cookie value for a new classic-ASP session (reference §1): the name is `ASPSESSIONID`
 * plus 8 upper-case letters, the value 24 upper-case letters, then `secure; ` (only over HTTPS)
 * and `path=/` — `ASPSESSIONIDQASRTBCS=GMBHNKPBDDHLDJCIHEGCFMKA; secure; path=/`. The letters come
 * from crypto.getRandomValues unless `random` is given.
 *
 * @example
 * ```ts
 * res.setHeader('Set-Cookie', newAspSessionCookie(true));
 * newAspSessionCookie(false, (n) => new Uint8Array(n)); // 'ASPSESSIONIDAAAAAAAA=AAAAAAAAAAAAAAAAAAAAAAAA; path=/'
 * ```
 */
export function newAspSessionCookie(
  secure: boolean,
  random: (n: number) => Uint8Array = defaultRandom,
): string {
  return `ASPSESSIONID${letters(8, random)}=${letters(24, random)}; ${secure ? 'secure; ' : ''}path=/`;
}

/** Characters kept as-is in the encoded cookie value; everything else is `%XX` (space is `+`). */
function isPlain(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

const encoder = new TextEncoder();

/**
 * Encodes text into RFC 6265 cookie-octets the way ASP's Response.Cookies does: letters and
 * digits stay, a space becomes `+`, every other UTF-8 byte becomes `%XX`.
 */
function encodeCookieText(text: string): string {
  let out = '';
  for (const b of encoder.encode(text)) {
    if (b === 0x20) out += '+';
    else if (isPlain(b)) out += String.fromCharCode(b);
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Commas and `]` would break the record syntax: they become spaces (reference §9). */
function cleanField(text: string, max: number): string {
  const cleaned = text.replace(/[,\]]/g, ' ');
  // Cut by code points, so that a surrogate pair is never split.
  return cleaned.length <= max ? cleaned : Array.from(cleaned).slice(0, max).join('');
}

/**
 * The pending requests in a `Requests` cookie value (reference §9): the value is decoded like a
 * form component (`%XX`, `+` as space), then read as bracketed records
 * `[<ReqID>,<TargetStoreFlags>,<SaveCert>,<FriendlyType>]`; `-` or an empty value is the empty
 * list. Records that do not have a decimal request id are skipped; only the 20 newest (last)
 * records are kept. Never throws.
 *
 * @example
 * ```ts
 * parseRequestsCookie('%5B7%2C0%2Cyes%2CSaved-Request+Certificate%5D');
 * // [{ requestId: 7, targetStoreFlags: '0', saveCert: 'yes', friendlyType: 'Saved-Request Certificate' }]
 * parseRequestsCookie('-'); // []
 * ```
 */
export function parseRequestsCookie(value: string | undefined): PendingCookieEntry[] {
  if (typeof value !== 'string') return [];
  const text = decodeFormComponent(value.trim());
  const out: PendingCookieEntry[] = [];
  let pos = 0;
  for (;;) {
    const open = text.indexOf('[', pos);
    if (open < 0) break;
    const close = text.indexOf(']', open + 1);
    if (close < 0) break;
    pos = close + 1;
    const fields = text.slice(open + 1, close).split(',');
    const requestId = parseRequestId(fields[0]);
    if (requestId === undefined) continue;
    out.push({
      requestId,
      targetStoreFlags: fields[1] ?? '',
      saveCert: fields[2] ?? '',
      // The friendly text should hold no comma; if an old cookie has some, keep them.
      friendlyType: fields.slice(3).join(','),
    });
    if (out.length > MAX_PENDING) out.shift();
  }
  return out;
}

/**
 * A Set-Cookie value remembering `entries` (reference §9):
 * `Requests=<value>; expires=<RFC 1123 date>; path=/certsrv`, plus `; secure` over HTTPS. The
 * value holds one `[<ReqID>,<TargetStoreFlags>,<SaveCert>,<FriendlyType>]` record per entry
 * (commas and `]` in the texts replaced by spaces; friendly text cut to 80 characters, flags to
 * 16), `-` for an empty list, encoded into cookie-octets (RFC 6265 §4.1.1: letters and digits
 * as-is, space as `+`, other UTF-8 bytes as `%XX`). Only the 20 newest (last) entries are kept,
 * fewer when the encoded value would exceed 3800 characters (browsers drop cookies over 4 KiB);
 * entries without a valid request id are left out. Throws a RangeError for an invalid date.
 *
 * @example
 * ```ts
 * formatRequestsCookie([{ requestId: 7, targetStoreFlags: '0', saveCert: 'yes', friendlyType: 'Saved-Request Certificate' }],
 *   { expires: new Date('2026-12-10T10:00:00Z'), secure: true });
 * // 'Requests=%5B7%2C0%2Cyes%2CSaved%2DRequest+Certificate%5D; expires=Thu, 10 Dec 2026 10:00:00 GMT; path=/certsrv; secure'
 * ```
 */
export function formatRequestsCookie(
  entries: readonly PendingCookieEntry[],
  options: { expires: Date; secure: boolean },
): string {
  if (!(options.expires instanceof Date) || Number.isNaN(options.expires.getTime())) {
    throw new RangeError('formatRequestsCookie needs a valid expiry date.');
  }
  const kept = entries.filter((e) => isRequestId(e.requestId)).slice(-MAX_PENDING);
  // Newest first until the encoded value would outgrow what browsers store (RFC 6265 §6.1).
  const encoded: string[] = [];
  let length = 0;
  for (let i = kept.length - 1; i >= 0; i--) {
    const e = kept[i] as PendingCookieEntry;
    const record = encodeCookieText(
      `[${e.requestId},${cleanField(String(e.targetStoreFlags), MAX_FLAG)},${cleanField(String(e.saveCert), MAX_FLAG)},${cleanField(String(e.friendlyType), MAX_FRIENDLY)}]`,
    );
    if (length + record.length > MAX_VALUE) break;
    encoded.unshift(record);
    length += record.length;
  }
  const records = encoded.join('');
  const value = records === '' ? '-' : records;
  return `Requests=${value}; expires=${options.expires.toUTCString()}; path=/certsrv${options.secure ? '; secure' : ''}`;
}
