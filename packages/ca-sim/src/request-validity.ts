// The validity a request asks for through its attributes, which the policy module honours only
// when the CA's EditFlags include EDITF_ATTRIBUTEENDDATE (reference §8 and §11.1; Microsoft's
// "Change the expiration date of certificates that are issued by Certificate Authority",
// KB 254632): `ExpirationDate:<date>` (Windows Server 2008 and later), or `ValidityPeriod:<unit>`
// with `ValidityPeriodUnits:<n>`. The certificate's notAfter is then the earliest of the
// template's validity, the CA's ValidityPeriod, the CA certificate's notAfter and this: a request
// can shorten its certificate's life, never lengthen it.

import { CaError } from './errors.js';
import type { RequestAttributes } from './request-attributes.js';

const UNITS = ['seconds', 'minutes', 'hours', 'days', 'weeks', 'months', 'years'] as const;

/**
 * The units AD CS's ValidityPeriod values name (the CA registry's `ValidityPeriod`, certreq's).
 *
 * @example
 * ```ts
 * const unit: ValidityUnit = 'days';
 * ```
 */
export type ValidityUnit = (typeof UNITS)[number];

/**
 * A validity asked for in request attributes: an end date, or a period from the time of issuance.
 *
 * @example
 * ```ts
 * const v: RequestedValidity = { period: 'days', units: 30 };
 * ```
 */
export type RequestedValidity =
  | { readonly expirationDate: Date }
  | { readonly period: ValidityUnit; readonly units: number };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

// RFC 1123 / RFC 9110 IMF-fixdate, the HTTP date ("Tue, 21 Nov 2028 01:06:53 GMT"), the
// weekday optional, seconds optional, GMT/UTC/Z or a numeric offset.
const RFC1123 =
  /^(?:[A-Za-z]{3},?\s+)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s*(GMT|UTC|Z|[+-]\d{4})?$/;
// ISO 8601: a date (midnight UTC), or a date and time with Z or an offset.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T\s](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

function utc(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  offsetMinutes: number | undefined,
) {
  if (
    offsetMinutes === undefined ||
    y < 1000 ||
    mo < 0 ||
    mo > 11 ||
    d < 1 ||
    d > 31 ||
    h > 23 ||
    mi > 59 ||
    s > 59
  )
    return undefined;
  const t = Date.UTC(y, mo, d, h, mi, s);
  // Reject 31 Feb and the like instead of letting Date roll them over.
  if (new Date(t).getUTCDate() !== d) return undefined;
  return new Date(t - offsetMinutes * 60_000);
}

/** Minutes east of UTC, or undefined for an offset no zone has (beyond ±14:00, minutes over 59). */
function offsetOf(zone: string | undefined): number | undefined {
  if (!zone || /^(gmt|utc|z)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m || Number(m[2]) > 14 || Number(m[3]) > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/**
 * Parses an `ExpirationDate` value: RFC 1123, the HTTP date (`Tue, 21 Nov 2028 01:06:53 GMT`),
 * or ISO 8601 (`2028-11-21`, `2028-11-21T01:06:53Z`); times without a zone are UTC. Undefined
 * for anything else. (Which formats AD CS itself accepts is not documented beyond "a date";
 * these are the two unambiguous ones, where a locale's `11/21/2028` is not.)
 *
 * @example
 * ```ts
 * parseExpirationDate('Tue, 21 Nov 2028 01:06:53 GMT')?.toISOString(); // '2028-11-21T01:06:53.000Z'
 * ```
 */
export function parseExpirationDate(value: string): Date | undefined {
  const v = value.trim();
  let m = RFC1123.exec(v);
  if (m) {
    const month = MONTHS.indexOf(m[2]!.toLowerCase());
    return utc(
      Number(m[3]),
      month,
      Number(m[1]),
      Number(m[4]),
      Number(m[5]),
      Number(m[6] ?? 0),
      offsetOf(m[7]),
    );
  }
  m = ISO.exec(v);
  if (m)
    return utc(
      Number(m[1]),
      Number(m[2]) - 1,
      Number(m[3]),
      Number(m[4] ?? 0),
      Number(m[5] ?? 0),
      Number(m[6] ?? 0),
      offsetOf(m[7]),
    );
  return undefined;
}

/**
 * Validity attributes that do not parse (thrown by {@link requestedValidity}): a {@link CaError}
 * with the code `ERR_CA_ATTRIBUTE_INVALID`; the policy module denies such a request with
 * 0x80070057, as it does an unreadable `san:` attribute.
 *
 * @example
 * ```ts
 * try { requestedValidity({ validityperiod: 'Fortnights', validityperiodunits: '1' }); }
 * catch (e) { if (e instanceof ValidityAttributeError) console.error(e.message); }
 * ```
 */
export class ValidityAttributeError extends CaError {
  constructor(message: string) {
    super('ERR_CA_ATTRIBUTE_INVALID', message);
    this.name = 'ValidityAttributeError';
  }
}

/**
 * The validity the attributes ask for, or undefined when they name none. `ExpirationDate` wins
 * over a period when both are given (unverified). Throws {@link ValidityAttributeError} for a
 * value that does not parse: a date in another format, an unknown unit, a count that is not a
 * positive whole number, a unit without its count or a count without its unit (unverified: AD CS
 * documents no answer to malformed values; refusing them tells the requester, where ignoring them
 * would issue a certificate longer than asked).
 *
 * @example
 * ```ts
 * requestedValidity({ validityperiod: 'Days', validityperiodunits: '30' }); // { period: 'days', units: 30 }
 * ```
 */
export function requestedValidity(attributes: RequestAttributes): RequestedValidity | undefined {
  const date = attributes.expirationdate;
  if (date !== undefined) {
    const expirationDate = parseExpirationDate(date);
    if (!expirationDate)
      throw new ValidityAttributeError(
        `ExpirationDate "${date.slice(0, 64)}" is neither an RFC 1123 nor an ISO 8601 date.`,
      );
    return { expirationDate };
  }
  const unitText = attributes.validityperiod;
  const count = attributes.validityperiodunits?.trim();
  if (unitText === undefined && count === undefined) return undefined;
  const unit = unitText?.trim().toLowerCase();
  if (!unit || !(UNITS as readonly string[]).includes(unit))
    throw new ValidityAttributeError(
      `ValidityPeriod "${(unitText ?? '').slice(0, 32)}" is not one of ${UNITS.map((u) => u[0]!.toUpperCase() + u.slice(1)).join(', ')}.`,
    );
  if (!count || !/^\d{1,9}$/.test(count) || Number(count) === 0)
    throw new ValidityAttributeError(
      `ValidityPeriodUnits "${(count ?? '').slice(0, 32)}" is not a positive whole number.`,
    );
  return { period: unit as ValidityUnit, units: Number(count) };
}

const UNIT_MS: Record<Exclude<ValidityUnit, 'months' | 'years'>, number> = {
  seconds: 1_000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
  weeks: 7 * 86_400_000,
};

/**
 * When a requested validity ends for a certificate issued at `now`: months and years are
 * calendar months and years in UTC (31 January + 1 month is the last day of February).
 *
 * @example
 * ```ts
 * validityEnd({ period: 'weeks', units: 2 }, new Date('2026-12-01T00:00:00Z')).toISOString(); // '2026-12-15T00:00:00.000Z'
 * ```
 */
export function validityEnd(v: RequestedValidity, now: Date): Date {
  if ('expirationDate' in v) return v.expirationDate;
  if (v.period !== 'months' && v.period !== 'years')
    return new Date(now.getTime() + v.units * UNIT_MS[v.period]);
  const months = v.period === 'years' ? v.units * 12 : v.units;
  const end = new Date(now.getTime());
  const day = end.getUTCDate();
  end.setUTCDate(1);
  end.setUTCMonth(end.getUTCMonth() + months);
  const last = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + 1, 0)).getUTCDate();
  end.setUTCDate(Math.min(day, last));
  return end;
}
