// Library values to plain JSON: bytes as lowercase hex, names as their Windows display string,
// bigints as decimal strings. Applied to decoded extensions so the JSON output needs no
// per-extension code and stays in step with the library's types.

import { decodeExtension, type Extension, Name } from '@certlab/pki';
import { isoSeconds } from './dates.js';
import { extensionDisplayName } from './display-names.js';

/** Any JSON value. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * Converts a decoded value to JSON.
 *
 * @example
 * ```ts
 * toJson({ keyIdentifier: Uint8Array.of(0xab) }); // { keyIdentifier: 'ab' }
 * ```
 */
export function toJson(v: unknown): Json {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (v instanceof Name) return v.toWindowsString();
  if (v instanceof Date) return isoSeconds(v);
  if (Array.isArray(v)) return v.map(toJson);
  if (typeof v === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toJson(x);
    return out;
  }
  return String(v);
}

/**
 * One extension as JSON: `{ oid, name, critical, value, der }` where `value` is the decoded
 * content (null for unknown extensions) and `der` the extnValue in hex; `error` is added when a
 * known extension is malformed.
 *
 * @example
 * ```ts
 * extensionJson(basicConstraints({ ca: true }));
 * // { oid: '2.5.29.19', name: 'Basic Constraints', critical: true, value: { ca: true }, der: '30030101ff' }
 * ```
 */
export function extensionJson(ext: Extension): Json {
  const base = { oid: ext.oid, name: extensionDisplayName(ext.oid), critical: ext.critical };
  const der = toJson(ext.value);
  try {
    const d = decodeExtension(ext);
    return { ...base, value: d.name === 'unknown' ? null : toJson(d.value), der };
  } catch (e) {
    return { ...base, value: null, der, error: e instanceof Error ? e.message : String(e) };
  }
}
