// Time as the CA sees it: injectable so that tests and labs can move it.

/**
 * A source of the current time.
 *
 * @example
 * ```ts
 * let t = Date.parse('2026-03-01T00:00:00Z');
 * const clock: Clock = { now: () => new Date(t) };
 * t += 86_400_000; // one day later
 * ```
 */
export interface Clock {
  now(): Date;
}

/**
 * The system clock.
 *
 * @example
 * ```ts
 * systemClock.now();
 * ```
 */
export const systemClock: Clock = Object.freeze({ now: () => new Date() });

/**
 * A clock that only moves when told to: for tests of validity periods and CRL schedules.
 *
 * @example
 * ```ts
 * const clock = manualClock(new Date('2026-03-01T00:00:00Z'));
 * clock.advance(7 * 86_400_000);
 * ```
 */
export function manualClock(start: Date): Clock & { advance(ms: number): void; set(d: Date): void } {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
    set: (d) => {
      t = d.getTime();
    },
  };
}
