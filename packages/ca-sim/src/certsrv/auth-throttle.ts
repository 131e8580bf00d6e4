// Failed sign-ins are throttled before scrypt runs: a password check costs ~50 ms of CPU, so
// 10,000 bad attempts would otherwise stall the certsrv server. The server answers 401 without
// checking the password while a key is locked out, as an Active Directory account lockout
// would (certsrv reference §2.1: a wrong password and a refused one look the same on the wire).

interface ThrottleEntry {
  /** Times of the recent failures, oldest first (at most maxFailures). */
  failures: number[];
  /** Locked out until this time (0 = not locked). */
  lockedUntil: number;
}

/**
 * Counts failed sign-ins per key (the remote address, or the user name) and locks a key out
 * for `windowMs` once it has `maxFailures` failures within `windowMs`. Memory is bounded: at
 * most `maxKeys` keys are tracked, the least recently failing one is forgotten first.
 *
 * @example
 * ```ts
 * const throttle = new AuthThrottle();
 * // Locked out: answer 401 without checking the password.
 * if (!throttle.allowed(remoteAddress) || !throttle.allowed(user)) return undefined;
 * const account = await users.authenticate(user, password);
 * if (account) { throttle.succeed(remoteAddress); throttle.succeed(user); }
 * else { throttle.fail(remoteAddress); throttle.fail(user); }
 * ```
 */
export class AuthThrottle {
  readonly #entries = new Map<string, ThrottleEntry>();
  readonly #maxFailures: number;
  readonly #windowMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;

  /**
   * @param options.maxFailures failures within the window that lock the key (default 10).
   * @param options.windowMs the window, and the lockout duration, in ms (default 60 000).
   * @param options.maxKeys at most this many keys are tracked (default 10 000).
   * @param options.now the clock, in milliseconds (default Date.now), for tests.
   *
   * @example
   * ```ts
   * const throttle = new AuthThrottle({ maxFailures: 5, windowMs: 30_000 });
   * ```
   */
  constructor(
    options: { maxFailures?: number; windowMs?: number; now?: () => number; maxKeys?: number } = {},
  ) {
    this.#maxFailures = Math.max(1, Math.floor(options.maxFailures ?? 10));
    this.#windowMs = Math.max(0, options.windowMs ?? 60_000);
    this.#maxKeys = Math.max(1, Math.floor(options.maxKeys ?? 10_000));
    this.#now = options.now ?? Date.now;
  }

  /**
   * Whether a sign-in for `key` may be checked now (false while the key is locked out).
   *
   * @example
   * ```ts
   * throttle.allowed('192.0.2.7'); // false while that address is locked out: answer 401
   * ```
   */
  allowed(key: string): boolean {
    const entry = this.#entries.get(key);
    if (!entry) return true;
    const now = this.#now();
    if (entry.lockedUntil > now) return false;
    if (entry.lockedUntil !== 0) {
      // The lockout has passed: start counting afresh.
      this.#entries.delete(key);
    }
    return true;
  }

  /**
   * Records a failed sign-in for `key`; the `maxFailures`-th failure within the window locks
   * the key out for `windowMs`.
   *
   * @example
   * ```ts
   * throttle.fail('192.0.2.7');
   * ```
   */
  fail(key: string): void {
    const now = this.#now();
    let entry = this.#entries.get(key);
    if (entry) this.#entries.delete(key);
    if (!entry || (entry.lockedUntil !== 0 && entry.lockedUntil <= now))
      entry = { failures: [], lockedUntil: 0 };
    this.#entries.set(key, entry); // most recent activity goes last
    if (entry.lockedUntil > now) return;
    const since = now - this.#windowMs;
    let drop = 0;
    while (drop < entry.failures.length && (entry.failures[drop] ?? 0) <= since) drop++;
    if (drop > 0) entry.failures.splice(0, drop);
    entry.failures.push(now);
    if (entry.failures.length >= this.#maxFailures) {
      entry.lockedUntil = now + this.#windowMs;
      entry.failures = [];
    }
    while (this.#entries.size > this.#maxKeys) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  /**
   * Records a successful sign-in: the failure count of `key` starts again from zero.
   *
   * @example
   * ```ts
   * throttle.succeed('CONTOSO\\alice');
   * ```
   */
  succeed(key: string): void {
    const entry = this.#entries.get(key);
    if (entry && entry.lockedUntil <= this.#now()) this.#entries.delete(key);
  }

  /**
   * The number of keys currently tracked.
   *
   * @example
   * ```ts
   * throttle.size; // 0
   * ```
   */
  get size(): number {
    return this.#entries.size;
  }
}
