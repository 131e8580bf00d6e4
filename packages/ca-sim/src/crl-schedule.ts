// Scheduled CRL publication (AD CS publishes a base CRL every CRLPeriod and a delta CRL every
// CRLDeltaPeriod): a tick that publishes whatever is due, driven by an injectable clock.

import type { CertificationAuthority, PublishedCrl } from './authority.js';
import { type Clock, systemClock } from './clock.js';

const HOUR = 3_600_000;

/**
 * What {@link createCrlSchedule} needs beyond the CA.
 *
 * @example
 * ```ts
 * const options: CrlScheduleOptions = { clock: manualClock(new Date()), deltaHours: 0 };
 * ```
 */
export interface CrlScheduleOptions {
  /** Default: the system clock (pass the CA's clock to move both together). */
  readonly clock?: Clock;
  /** Default: the CA's crl.baseHours. */
  readonly baseHours?: number;
  /** Default: the CA's crl.deltaHours; 0 = no delta CRLs. */
  readonly deltaHours?: number;
}

/**
 * A CRL schedule: `tick()` publishes a base CRL when none exists or the newest is a period old
 * (the root's as well as the issuing CA's, for a two-tier CA), and a delta CRL when the newest
 * delta is a delta period old or refers to an older base.
 * `start()` ticks on a timer; `stop()` ends it.
 *
 * @example
 * ```ts
 * const schedule = createCrlSchedule(ca, { clock });
 * await schedule.tick();       // publishes the root's base CRL, the issuing CA's base + delta
 * clock.advance(25 * 3_600_000);
 * await schedule.tick();       // publishes a new delta
 * schedule.start(60_000);      // in a server: check every minute
 * ```
 */
export function createCrlSchedule(
  ca: CertificationAuthority,
  options: CrlScheduleOptions = {},
): { tick(): Promise<PublishedCrl[]>; start(intervalMs?: number): void; stop(): void } {
  const clock = options.clock ?? systemClock;
  const baseHours = options.baseHours ?? ca.crlPeriods.baseHours;
  const deltaHours = options.deltaHours ?? ca.crlPeriods.deltaHours;
  let timer: ReturnType<typeof setInterval> | undefined;
  let running: Promise<PublishedCrl[]> | undefined;

  async function once(): Promise<PublishedCrl[]> {
    const now = clock.now().getTime();
    const out: PublishedCrl[] = [];
    // When a CRL was published: its thisUpdate is dated ClockSkewMinutes earlier.
    const skew = ca.clockSkewMinutes * 60_000;
    const publishedAt = (crl: PublishedCrl) => crl.thisUpdate.getTime() + skew;
    // A base CRL (the root's or the issuing CA's) is due when there is none or it is a period old.
    const due = (crl: PublishedCrl | undefined) => !crl || now >= publishedAt(crl) + baseHours * HOUR;
    // The root's CRL too (two-tier CAs): the issuing CA certificate's CDP names it, so a client
    // that checks revocation along the chain needs it in CertEnroll (reference §6.5, §11.4). AD CS
    // leaves that to the offline root's administrator; here the root lives beside the issuing CA.
    // One per root key still in use, as for the issuing CA below (a renewed root's older key
    // signed issuing CA certificates that name its CRL).
    if (!ca.standalone)
      for (const keyIndex of ca.crlKeyIndexes('root'))
        if (due(await ca.latestCrl({ authority: 'root', keyIndex })))
          out.push(await ca.publishCrl({ authority: 'root', keyIndex }));
    // The issuing CA's CRLs, one base and delta per CA key still in use (after a renewal with a
    // new key, the older key's certificates still name its CRL).
    for (const keyIndex of ca.crlKeyIndexes()) {
      let base = await ca.latestCrl({ keyIndex });
      if (!base || due(base)) {
        base = await ca.publishCrl({ keyIndex });
        out.push(base);
      }
      if (deltaHours > 0) {
        const delta = await ca.latestCrl({ delta: true, keyIndex });
        if (!delta || delta.baseCrlNumber !== base.crlNumber || now >= publishedAt(delta) + deltaHours * HOUR)
          out.push(await ca.publishCrl({ delta: true, keyIndex }));
      }
    }
    return out;
  }

  return {
    tick() {
      // One tick at a time: a slow database must not publish twice.
      running ??= once().finally(() => {
        running = undefined;
      });
      return running;
    },
    start(intervalMs = 60_000) {
      if (timer) return;
      timer = setInterval(() => {
        this.tick().catch(() => undefined);
      }, intervalMs);
      timer.unref?.();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
