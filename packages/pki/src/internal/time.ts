// X.509 times (RFC 5280 §4.1.2.5): UTCTime through 2049, GeneralizedTime from 2050, always
// in UTC with seconds and no fractions. Parsing is strict to the same profile.

import { PkiError } from '../errors.js';
import { latin1 } from './bytes.js';
import { T, type Tlv, tlv } from './der.js';

function bad(msg: string): never {
  throw new PkiError('ERR_PKI_TIME_INVALID', msg);
}

function digits(b: Uint8Array, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = b[i]! - 0x30;
    if (c < 0 || c > 9) bad('A time field contains a non-digit.');
    v = v * 10 + c;
  }
  return v;
}

/** Decodes a UTCTime or GeneralizedTime TLV to a Date (UTC). */
export function readTime(t: Tlv): Date {
  const b = t.bytes;
  const s = t.valueStart;
  const len = t.end - s;
  let year: number;
  let p: number;
  if (t.id === T.UTC_TIME) {
    if (len !== 13) bad('A UTCTime must be YYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.1).');
    const yy = digits(b, s, 2);
    // RFC 5280 §4.1.2.5.1: YY >= 50 is 19YY, YY < 50 is 20YY.
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
    p = s + 2;
  } else if (t.id === T.GENERALIZED_TIME) {
    if (len !== 15) bad('A GeneralizedTime must be YYYYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.2).');
    year = digits(b, s, 4);
    p = s + 4;
  } else bad('Expected a UTCTime or GeneralizedTime.');
  if (b[t.end - 1] !== 0x5a) bad('A certificate time must end in Z (UTC).');
  const month = digits(b, p, 2);
  const day = digits(b, p + 2, 2);
  const hour = digits(b, p + 4, 2);
  const min = digits(b, p + 6, 2);
  const sec = digits(b, p + 8, 2);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || min > 59 || sec > 59)
    bad('A time field is out of range.');
  const ms = Date.UTC(year, month - 1, day, hour, min, sec);
  const d = new Date(ms);
  if (d.getUTCDate() !== day) bad('A time names a day that does not exist.');
  if (year < 100) d.setUTCFullYear(year);
  return d;
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

/** Encodes a Date as RFC 5280 requires: UTCTime for 1950-2049, GeneralizedTime otherwise. */
export function writeTime(d: Date): Uint8Array {
  const ms = d.getTime();
  if (!Number.isFinite(ms)) throw new TypeError('invalid Date');
  const y = d.getUTCFullYear();
  if (y < 0 || y > 9999)
    throw new PkiError('ERR_PKI_TIME_INVALID', `The year ${y} cannot be encoded in a certificate.`);
  const rest = `${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}${pad(d.getUTCHours(), 2)}${pad(d.getUTCMinutes(), 2)}${pad(d.getUTCSeconds(), 2)}Z`;
  if (y >= 1950 && y < 2050) return tlv(T.UTC_TIME, latin1(`${pad(y % 100, 2)}${rest}`));
  return tlv(T.GENERALIZED_TIME, latin1(`${pad(y, 4)}${rest}`));
}

/** RFC 5280 §4.1.2.5: 99991231235959Z means "no well-defined expiration date". */
export const NO_EXPIRATION = new Date(Date.UTC(9999, 11, 31, 23, 59, 59));
