// Small checks for the lab's own JSON files (lab.json, the event log, the Exchange UM state),
// which a trainee may edit by hand: shared by their readers so each says what is wrong the same way.

/**
 * True for a JSON object (not null, not an array).
 *
 * @example
 * ```ts
 * isRecord({ a: 1 }); // true
 * isRecord([1]); // false
 * ```
 */
export const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * A value as an error message quotes it: JSON, cut to 60 characters (a damaged file may hold a
 * long string).
 *
 * @example
 * ```ts
 * shownValue('x'.repeat(100)); // '"xxxx…' (60 characters)
 * ```
 */
export function shownValue(v: unknown): string {
  const t = JSON.stringify(v) ?? String(v);
  return t.length > 60 ? `${t.slice(0, 59)}…` : t;
}
