// HTTP Basic authentication for the simulated certsrv site (certsrv reference §2.1; RFC 7617).
// Script clients send `Authorization: Basic …` pre-emptively on every request, often hundreds
// per second; IIS caches the logon token, and so do we (CredentialCache), so that a busy client
// does not cost one scrypt run (~50 ms) per request.

import { hash, randomBytes } from 'node:crypto';
import { decodeStandardBase64 } from './request-text.js';
import type { CertsrvAccount } from './users.js';

/** Longer credentials than this are refused (Node already caps a header block at 16 KiB). */
const MAX_CREDENTIALS_BASE64 = 4096;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/**
 * The user name and password of an `Authorization: Basic <base64(user:pass)>` header (RFC 7617
 * §2): the scheme is case-insensitive, the Base64 (standard alphabet, padding optional) is
 * decoded as UTF-8, or as ISO-8859-1 when it is not valid UTF-8 (older clients, RFC 7617 §2.1),
 * and split at the first colon (user names cannot contain one, passwords can). Returns undefined
 * for anything else: another scheme, no colon, an empty user name, invalid Base64, more than
 * 4 KiB of credentials. Never throws.
 *
 * @example
 * ```ts
 * parseBasicAuthorization('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=='); // { user: 'Aladdin', password: 'open sesame' }
 * parseBasicAuthorization('NTLM TlRMTVNTUAAB…'); // undefined
 * ```
 */
export function parseBasicAuthorization(
  header: string | undefined,
): { user: string; password: string } | undefined {
  if (typeof header !== 'string') return undefined;
  const m = /^[ \t]*basic[ \t]+([^ \t]*)[ \t]*$/i.exec(header);
  const b64 = m?.[1];
  if (!b64 || b64.length > MAX_CREDENTIALS_BASE64) return undefined;
  const bytes = decodeStandardBase64(b64);
  if (!bytes) return undefined;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    text = latin1.decode(bytes);
  }
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

interface CacheEntry {
  readonly account: CertsrvAccount;
  readonly expires: number;
}

/**
 * Successful Basic verifications, so that repeated requests with the same `Authorization`
 * header skip scrypt (IIS likewise caches logon tokens, 15 minutes by default). Entries are
 * keyed by a SHA-256 of a random per-cache salt followed by the header: the raw header, which
 * holds the password, is never kept, and a digest found in a memory dump cannot be checked
 * against guessed passwords without the salt. Least-recently-used entries are evicted beyond
 * `maxEntries`; entries expire `ttlMs` after they were set. Only cache successes, and call
 * {@link CredentialCache.clear} after changing or removing accounts.
 *
 * @example
 * ```ts
 * const cache = new CredentialCache();
 * let account = cache.get(header);
 * if (!account) {
 *   const creds = parseBasicAuthorization(header);
 *   account = creds && (await users.authenticate(creds.user, creds.password));
 *   if (account) cache.set(header, account);
 * }
 * ```
 */
export class CredentialCache {
  readonly #entries = new Map<string, CacheEntry>();
  readonly #salt = randomBytes(32).toString('hex');
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  /**
   * @param options.maxEntries at most this many headers are remembered (default 1000).
   * @param options.ttlMs how long a verification stays valid (default 15 minutes).
   * @param options.now the clock, in milliseconds (default Date.now), for tests.
   *
   * @example
   * ```ts
   * const cache = new CredentialCache({ maxEntries: 100, ttlMs: 60_000 });
   * ```
   */
  constructor(options: { maxEntries?: number; ttlMs?: number; now?: () => number } = {}) {
    this.#maxEntries = Math.max(1, Math.floor(options.maxEntries ?? 1000));
    this.#ttlMs = Math.max(0, options.ttlMs ?? 15 * 60_000);
    this.#now = options.now ?? Date.now;
  }

  // The map holds a salted digest of the header, not the header (the password in base64). The
  // digest never leaves the process, so a one-shot salted SHA-256 does what an HMAC would, at a
  // fraction of its cost on a path every authenticated request takes (createHmac ~3 µs idle and
  // ~14 µs under load here, crypto.hash ~0.5 µs).
  #key(header: string): string {
    return hash('sha256', this.#salt + header, 'base64');
  }

  /**
   * The account remembered for exactly this header value, if not expired.
   *
   * @example
   * ```ts
   * const account = cache.get(req.headers.authorization ?? '');
   * ```
   */
  get(header: string): CertsrvAccount | undefined {
    const key = this.#key(header);
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.expires <= this.#now()) return undefined;
    this.#entries.set(key, entry); // most recently used goes last
    return entry.account;
  }

  /**
   * Remembers a successful verification of this header value.
   *
   * @example
   * ```ts
   * cache.set(req.headers.authorization!, account);
   * ```
   */
  set(header: string, account: CertsrvAccount): void {
    const key = this.#key(header);
    this.#entries.delete(key);
    this.#entries.set(key, { account, expires: this.#now() + this.#ttlMs });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  /**
   * Forgets every entry (after an account was changed or removed).
   *
   * @example
   * ```ts
   * users.remove('alice');
   * cache.clear();
   * ```
   */
  clear(): void {
    this.#entries.clear();
  }

  /**
   * The number of remembered entries (expired ones included until touched).
   *
   * @example
   * ```ts
   * cache.size; // 0
   * ```
   */
  get size(): number {
    return this.#entries.size;
  }
}
