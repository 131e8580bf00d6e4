// What the certsrv routes share for the life of a server: the CA, the accounts and their caches,
// the resolved options, and helpers used by several routes (reading a bounded body, the template
// list of the request pages).

import { createHmac, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { CertificationAuthority } from '../authority.js';
import { CaError } from '../errors.js';
import { mayEnroll } from '../policy-module.js';
import { AuthThrottle } from './auth-throttle.js';
import { CredentialCache } from './basic-auth.js';
import { formatRequestsCookie } from './cookies.js';
import type { Exchange } from './exchange.js';
import {
  defaultServicePrincipalNames,
  EXTENDED_PROTECTION_MODES,
  type ExtendedProtection,
  isServicePrincipalName,
} from './extended-protection.js';
import { type FieldMap, parseLenientUrlEncoded } from './form-fields.js';
import type { CertsrvLogEntry, CertsrvOptions } from './options.js';
import type { CertsrvLanguage, PendingCookieEntry, TemplateOption } from './page-model.js';
import { DEFAULT_PENDING_TIMEOUT_DAYS, templateOptions } from './pages/index.js';
import type { CertsrvAccount, UserDirectory } from './users.js';

/** The requester the policy module would see for this exchange's account. */
function requesterOf(ex: Exchange) {
  return ex.account ? { ...ex.account.directory, name: ex.account.name } : undefined;
}

/** What one TCP connection's NTLM handshake has reached. */
export interface NtlmConnection {
  /** The scheme word the client used (`NTLM` or `Negotiate`), answered with the same. */
  scheme?: string;
  /**
   * The handshake waiting for its type 3 message, which uses it once: the server challenge of our
   * type 2 message, and the type 1 and type 2 messages, which the type 3 message's MIC covers.
   */
  pending?: { serverChallenge: Uint8Array; negotiate: Uint8Array; challenge: Uint8Array };
  /** The account signed in on this connection, and the accounts' revision it was checked at. */
  account?: CertsrvAccount;
  revision?: number;
  /**
   * A SPNEGO handshake in progress: the DER of the client's mechanism list (what the mechListMICs
   * sign) and whether they are required (NTLMSSP was not the client's first mechanism).
   */
  spnego?: { mechTypesDer: Uint8Array; micRequired: boolean };
}

/**
 * The sign-in options resolved and checked: TypeError for a value of the wrong kind (an unknown
 * Extended Protection mode, SPNs that are not SPNs), ERR_CA_OPTIONS_INVALID for settings that
 * cannot go together. {@link startCertsrv} calls it before it listens, so that a refused option
 * leaves no port open.
 *
 * @example
 * ```ts
 * const { ntlm, extendedProtection } = resolveSignInOptions(options);
 * ```
 */
export function resolveSignInOptions(options: CertsrvOptions): {
  ntlm: boolean;
  negotiate: boolean;
  basic: boolean;
  requireSsl: boolean;
  extendedProtection: ExtendedProtection;
  servicePrincipalNames: readonly string[];
} {
  const ntlm = options.ntlm === true;
  const basic = options.basic !== false;
  const extendedProtection = options.extendedProtection ?? 'none';
  if (!EXTENDED_PROTECTION_MODES.includes(extendedProtection))
    throw new TypeError(`extendedProtection must be one of ${EXTENDED_PROTECTION_MODES.join(', ')}.`);
  const spns =
    options.servicePrincipalNames ?? defaultServicePrincipalNames([options.ca.points.serverDnsName]);
  if (!Array.isArray(spns) || !spns.every((x) => typeof x === 'string' && isServicePrincipalName(x)))
    throw new TypeError('servicePrincipalNames must be an array of SPNs such as HTTP/ca01.contoso.com.');
  if (!ntlm && !basic)
    throw new CaError(
      'ERR_CA_OPTIONS_INVALID',
      'certsrv needs an authentication scheme: turn on ntlm or basic.',
    );
  if (ntlm && !options.users.ntlm)
    throw new CaError(
      'ERR_CA_OPTIONS_INVALID',
      "NTLM sign-in needs the accounts' NT hashes: set users.ntlm = true before adding them (or setting their passwords).",
    );
  if (extendedProtection !== 'none' && !ntlm)
    throw new CaError(
      'ERR_CA_OPTIONS_INVALID',
      'extendedProtection protects NTLM sign-ins: turn on ntlm too.',
    );
  return {
    ntlm,
    negotiate: ntlm && options.negotiate !== false,
    basic,
    requireSsl: options.requireSsl === true,
    extendedProtection,
    servicePrincipalNames: Object.freeze([...spns]),
  };
}

/** ASP's AspMaxRequestEntityAllowed default. */
export const DEFAULT_MAX_BODY = 200_000;

/**
 * Server-wide state. Created once by {@link createCertsrvHandler}.
 *
 * @example
 * ```ts
 * const app = new CertsrvApp(options);
 * ```
 */
export class CertsrvApp {
  readonly ca: CertificationAuthority;
  readonly users: UserDirectory;
  readonly realm: string;
  readonly defaultLanguage: CertsrvLanguage;
  readonly maxBodyBytes: number;
  readonly pendingTimeoutDays: number;
  readonly legacyContentTypes: boolean;
  readonly crlPemLabel: 'X509 CRL' | 'CERTIFICATE';
  readonly httpsUrl: string | undefined;
  readonly assetsDir: string;
  readonly credentials = new CredentialCache();
  /** Whether NTLM (and Negotiate carrying NTLM) and Basic are offered. */
  readonly ntlm: boolean;
  readonly negotiate: boolean;
  readonly basic: boolean;
  /** Whether /certsrv answers over TLS only (IIS's Require SSL). */
  readonly requireSsl: boolean;
  /** NTLM's Extended Protection, and the SPNs service binding accepts over plain HTTP. */
  readonly extendedProtection: ExtendedProtection;
  readonly servicePrincipalNames: readonly string[];
  /**
   * NTLM state per TCP connection (reference §2.2): the challenge sent in the type 2 message, then
   * the account the type 3 message signed in, which later requests on the connection keep.
   */
  readonly ntlmConnections = new WeakMap<object, NtlmConnection>();
  /** The {@link UserDirectory.revision} the credential cache was filled under. */
  #usersRevision: number;
  readonly throttle: AuthThrottle;
  readonly log: ((entry: CertsrvLogEntry) => void) | undefined;
  readonly now: () => Date;
  /** Signs the console's CSRF tokens; new on every start, so a token dies with the process. */
  readonly #csrfKey = randomBytes(32);

  constructor(options: CertsrvOptions) {
    this.ca = options.ca;
    this.users = options.users;
    const signIn = resolveSignInOptions(options);
    this.ntlm = signIn.ntlm;
    this.negotiate = signIn.negotiate;
    this.basic = signIn.basic;
    this.requireSsl = signIn.requireSsl;
    this.extendedProtection = signIn.extendedProtection;
    this.servicePrincipalNames = signIn.servicePrincipalNames;
    this.#usersRevision = options.users.revision;
    this.realm = options.realm ?? options.ca.points.serverDnsName;
    this.defaultLanguage = options.defaultLanguage ?? 'en';
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
    this.pendingTimeoutDays = options.pendingTimeoutDays ?? DEFAULT_PENDING_TIMEOUT_DAYS;
    this.legacyContentTypes = options.legacyContentTypes ?? false;
    this.crlPemLabel = options.crlPemLabel ?? 'X509 CRL';
    this.httpsUrl = options.httpsUrl;
    // The same relative path from src/certsrv (tests) and dist/certsrv (built package).
    this.assetsDir = options.assetsDir ?? fileURLToPath(new URL('../../dist/browser/', import.meta.url));
    this.throttle = new AuthThrottle({ maxFailures: options.maxAuthFailures ?? 10 });
    this.log = options.log;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Whether a sign-in as `user` from `remote` may be tried now. Failures count per address and
   * per address and account: a success resets the address's count (a user who mistyped), but
   * only a success as that same account resets the other, so that signing in now and then with
   * an account of one's own does not buy more guesses at someone else's password.
   */
  mayTrySignIn(remote: string, user: string): boolean {
    return this.throttle.allowed(remote) && this.throttle.allowed(this.#accountKey(remote, user));
  }

  /** Records a sign-in attempt's outcome for {@link CertsrvApp.mayTrySignIn}. */
  signInOutcome(remote: string, user: string, ok: boolean): void {
    const key = this.#accountKey(remote, user);
    if (ok) {
      this.throttle.succeed(remote);
      this.throttle.succeed(key);
    } else {
      this.throttle.fail(remote);
      this.throttle.fail(key);
    }
  }

  #accountKey(remote: string, user: string): string {
    return `${remote}\u0000${this.users.canonicalName(user).toLowerCase()}`;
  }

  /**
   * The account remembered for this Authorization header. An account added, changed or removed
   * since (the users file reloaded, `users.remove()`…) empties the cache first, so a removed
   * account or an old password stops working at once rather than when its entry expires.
   */
  cachedAccount(header: string): CertsrvAccount | undefined {
    if (this.users.revision !== this.#usersRevision) {
      this.credentials.clear();
      this.#usersRevision = this.users.revision;
    }
    return this.credentials.get(header);
  }

  /**
   * Remembers a verification made while the accounts were at `revision` (read before the
   * password check began); one that raced a change of the accounts is not kept.
   */
  rememberAccount(header: string, account: CertsrvAccount, revision: number): void {
    if (revision === this.users.revision && revision === this.#usersRevision)
      this.credentials.set(header, account);
  }

  /** The templates the request pages list: schema v1/v2 templates the account may enroll (reference §4). */
  templateOptions(ex: Exchange): TemplateOption[] {
    const requester = requesterOf(ex);
    return templateOptions(
      this.ca.templates.filter((t) => mayEnroll(t, requester)),
      ex.lang,
    );
  }

  /**
   * Whether the signed-in user may enroll for the User template, which certrqus.asp's "User
   * Certificate" stands for: without it the home page leads to certrqad.asp (reference §4).
   */
  offersUserCertificate(ex: Exchange): boolean {
    const requester = requesterOf(ex);
    return this.ca.templates.some((t) => t.name.toLowerCase() === 'user' && mayEnroll(t, requester));
  }

  /** Sets the `Requests` cookie of pending requests (reference §9) to `entries`, for the pending timeout. */
  setRequestsCookie(ex: Exchange, entries: readonly PendingCookieEntry[]): void {
    const expires = new Date(this.now().getTime() + this.pendingTimeoutDays * 86_400_000);
    ex.setCookies.push(formatRequestsCookie(entries, { expires, secure: ex.secure }));
  }

  /** The console's CSRF token of an account. */
  csrfToken(account: string): string {
    return createHmac('sha256', this.#csrfKey).update(account.toLowerCase()).digest('base64url');
  }

  /**
   * Reads a request body up to the limit, as text (UTF-8, invalid sequences replaced; the form
   * decoder handles %XX itself), and parses it as a lenient form. A body refused before it
   * reaches the CA throws ERR_CA_BODY_TOO_LARGE (413) or ERR_CA_BODY_INCOMPLETE (400).
   */
  async readForm(ex: Exchange): Promise<FieldMap> {
    const length = ex.req.headers['content-length'];
    if (length !== undefined && Number(length) > this.maxBodyBytes)
      throw new CaError('ERR_CA_BODY_TOO_LARGE', 'The request body is larger than the server accepts.');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of ex.req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > this.maxBodyBytes)
        throw new CaError('ERR_CA_BODY_TOO_LARGE', 'The request body is larger than the server accepts.');
      chunks.push(chunk);
    }
    if (!ex.req.complete) throw new CaError('ERR_CA_BODY_INCOMPLETE', 'The request body was cut short.');
    return parseLenientUrlEncoded(UTF8.decode(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
  }
}

/** Stateless (no `stream` option): one decoder serves every request. */
const UTF8 = new TextDecoder('utf-8');
