// The accounts that may sign in to the simulated certsrv site (certsrv reference §2.1: every
// page needs authentication; user names come as `DOMAIN\user`, `user@domain` or bare `user`).
// A real CA checks passwords against Active Directory; the simulator keeps a small directory in
// a JSON file, with passwords hashed at rest (scrypt, RFC 7914) so that the file can be shared
// in a lab without handing out the passwords.

import { randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CaError } from '../errors.js';
import { type RequesterIdentity, requesterIdentityProblem } from '../template.js';
import { UNPRINTABLE } from '../text-checks.js';
import { ntHash, ntowfV2, verifyNtlmV2 } from './ntlm.js';
import { ntlmV2SessionBaseKey } from './ntlm-session.js';

/** scrypt cost parameters (RFC 7914 §2): N = 2^14, r = 8, p = 1 — about 50 ms, 16 MiB. */
const SCRYPT_N = 16384;
const SCRYPT_R = 8;
const SCRYPT_P = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Upper bound on the memory an encoded hash may ask for (128·N·r bytes), so a crafted file cannot exhaust memory. */
const MAX_SCRYPT_MEMORY = 64 * 1024 * 1024;

function scryptAsync(password: string, salt: Uint8Array, keyLength: number, n: number, r: number, p: number) {
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password, salt, keyLength, { N: n, r, p, maxmem: MAX_SCRYPT_MEMORY + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/**
 * Hashes a password with scrypt (RFC 7914; N=16384, r=8, p=1, a 16-byte random salt, a 32-byte
 * key) into the string form `scrypt$16384$8$1$<salt base64>$<key base64>`. About 50 ms.
 *
 * @example
 * ```ts
 * const encoded = await hashPassword('P@ssw0rd');
 * encoded.startsWith('scrypt$16384$8$1$'); // true
 * ```
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scryptAsync(password, salt, KEY_BYTES, SCRYPT_N, SCRYPT_R, SCRYPT_P);
  return `scrypt$${SCRYPT_N}$${SCRYPT_R}$${SCRYPT_P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

interface ParsedHash {
  readonly n: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly key: Buffer;
}

const B64 = /^[A-Za-z0-9+/]+={0,2}$/;

function parseHash(encoded: string): ParsedHash | undefined {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [, ns, rs, ps, salt64, key64] = parts as [string, string, string, string, string, string];
  if (!/^\d{1,10}$/.test(ns) || !/^\d{1,3}$/.test(rs) || !/^\d{1,3}$/.test(ps)) return undefined;
  const n = Number(ns);
  const r = Number(rs);
  const p = Number(ps);
  if (n < 2 || (n & (n - 1)) !== 0 || r < 1 || p < 1 || p > 16) return undefined;
  if (128 * n * r > MAX_SCRYPT_MEMORY) return undefined;
  if (!B64.test(salt64) || !B64.test(key64)) return undefined;
  const salt = Buffer.from(salt64, 'base64');
  const key = Buffer.from(key64, 'base64');
  if (salt.length < 8 || key.length < 16 || key.length > 64) return undefined;
  return { n, r, p, salt, key };
}

/**
 * Whether `password` matches a hash made by {@link hashPassword}. Compares in constant time
 * (timingSafeEqual); a malformed or unsupported `encoded` string gives false, never an error.
 *
 * @example
 * ```ts
 * const encoded = await hashPassword('P@ssw0rd');
 * await verifyPassword('P@ssw0rd', encoded); // true
 * await verifyPassword('wrong', encoded); // false
 * ```
 */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const h = typeof encoded === 'string' ? parseHash(encoded) : undefined;
  if (!h) return false;
  try {
    const key = await scryptAsync(password, h.salt, h.key.length, h.n, h.r, h.p);
    return timingSafeEqual(key, h.key);
  } catch {
    return false;
  }
}

/**
 * A certsrv web-enrollment account as the server sees it after sign-in.
 *
 * @example
 * ```ts
 * const a: CertsrvAccount = { name: 'CONTOSO\\alice', admin: false };
 * ```
 */
export interface CertsrvAccount {
  /** The canonical name, `DOMAIN\user` (or `user@otherdomain` for a foreign UPN). */
  readonly name: string;
  /** Whether the account is a CA administrator (sees the console). */
  readonly admin: boolean;
  /**
   * What Active Directory knows about the account (distinguished name, UPN, mail, objectSid…),
   * for templates that build the subject from the directory (User, Machine…): without it such a
   * request is denied, as AD CS denies an account that lacks the value.
   */
  readonly directory?: AccountDirectory;
}

/**
 * The directory attributes of a certsrv account: {@link RequesterIdentity} without the name.
 *
 * @example
 * ```ts
 * const d: AccountDirectory = { dn: 'CN=Alice,CN=Users,DC=contoso,DC=com', upn: 'alice@contoso.com', email: 'alice@contoso.com' };
 * ```
 */
export type AccountDirectory = Readonly<Omit<RequesterIdentity, 'name'>>;

/** The attributes a users file may give an account's "directory" object. */
const DIRECTORY_FIELDS: readonly (keyof AccountDirectory)[] = [
  'dn',
  'dnsHostName',
  'upn',
  'email',
  'sid',
  'objectGuid',
  'domainDnsName',
  'groups',
];

/** Checks a directory object (from code or a users file); returns it, or throws `fail(message)`. */
function checkDirectory(value: unknown, fail: (message: string) => Error): AccountDirectory {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw fail('"directory" must be an object such as { "upn": "alice@contoso.com" }');
  for (const [k, v] of Object.entries(value)) {
    if (!(DIRECTORY_FIELDS as readonly string[]).includes(k))
      throw fail(`"directory" has an unknown field "${k}" (${DIRECTORY_FIELDS.join(', ')})`);
    // The groups are a list, checked with the rest of the identity below.
    if (k !== 'groups' && (typeof v !== 'string' || v.trim() === '' || UNPRINTABLE.test(v) || v.trim() !== v))
      throw fail(`"directory.${k}" must be a non-empty string without control characters or outer spaces`);
  }
  // The CA writes these into certificates: a malformed one is refused here, not at issuance.
  const d = value as AccountDirectory;
  const problem = requesterIdentityProblem(d);
  if (problem) throw fail(`"directory.${problem.field}" ${problem.message}`);
  return { ...d, ...(d.groups ? { groups: [...d.groups] } : {}) };
}

interface StoredUser {
  readonly account: CertsrvAccount;
  readonly password: string;
  /** MD4 of the UTF-16LE password (NTOWFv1), hex, when the directory keeps NT hashes for NTLM. */
  readonly ntHash?: string;
}

const NT_HASH_RE = /^[0-9a-f]{32}$/;
/** An NT hash no password has, for verifying against when the account is unknown. */
const DUMMY_NT_HASH = new Uint8Array(randomBytes(16));

/** A hash to verify against when the user does not exist, so that both paths cost one scrypt. */
let dummyHash: Promise<string> | undefined;
function getDummyHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('base64'));
  return dummyHash;
}

const DOMAIN_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** The domain of a `user@domain` name: DNS labels (underscores tolerated, as AD does in practice). */
const DNS_DOMAIN_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;
/** What Windows refuses in a user logon name (sAMAccountName) or a UPN prefix. */
const ACCOUNT_FORBIDDEN = /["/\\[\]:;|=,+*?<>@]/;
/** The longest sAMAccountName of a user, in characters. */
const SAM_ACCOUNT_NAME_MAX = 20;

function usersError(message: string, cause?: unknown): CaError {
  return new CaError('ERR_CA_USERS_INVALID', message, cause === undefined ? undefined : { cause });
}

/**
 * The accounts of the simulated certsrv site, keyed by canonical `DOMAIN\user` name (compared
 * case-insensitively, as Windows does). Passwords are kept only as scrypt hashes. Persisted as
 * JSON: `{ "domain": "CONTOSO", "users": [{ "name": "CONTOSO\\alice", "admin": false, "password": "scrypt$…" }] }`.
 *
 * @example
 * ```ts
 * const users = new UserDirectory('CONTOSO');
 * await users.add('alice', 'P@ssw0rd');
 * await users.authenticate('alice@contoso.com', 'P@ssw0rd'); // { name: 'CONTOSO\\alice', admin: false }
 * await users.save('/var/lib/certlab/users.json');
 * ```
 */
export class UserDirectory {
  /** The NetBIOS domain name, upper-case (`CONTOSO`). */
  readonly domain: string;
  readonly #users = new Map<string, StoredUser>();
  #revision = 0;
  #ntlm = false;

  /**
   * @param domain the NetBIOS domain that bare user names belong to; stored upper-case.
   *
   * @example
   * ```ts
   * const users = new UserDirectory('contoso'); // users.domain === 'CONTOSO'
   * ```
   */
  constructor(domain = 'CONTOSO') {
    if (typeof domain !== 'string' || !DOMAIN_RE.test(domain)) {
      throw new CaError(
        'ERR_CA_OPTIONS_INVALID',
        `The certsrv domain must be a NetBIOS-style name such as CONTOSO (letters, digits, '.', '_', '-'), not ${JSON.stringify(domain)}.`,
      );
    }
    this.domain = domain.toUpperCase();
  }

  /**
   * The canonical form of a user name (reference §2.1): `DOMAIN\user` stays (domain upper-cased;
   * a DNS domain whose first label is this directory's domain becomes the NetBIOS name),
   * `user@domain.tld` becomes `DOMAIN\user` when the first label of `domain.tld` is this
   * directory's domain (case-insensitive) and is kept as given otherwise, a bare `user` becomes
   * `DOMAIN\user`. Surrounding blanks are removed; the user part keeps its spelling.
   *
   * @example
   * ```ts
   * const users = new UserDirectory('CONTOSO');
   * users.canonicalName('alice'); // 'CONTOSO\\alice'
   * users.canonicalName('contoso\\alice'); // 'CONTOSO\\alice'
   * users.canonicalName('alice@contoso.com'); // 'CONTOSO\\alice'
   * users.canonicalName('bob@fabrikam.com'); // 'bob@fabrikam.com'
   * ```
   */
  canonicalName(name: string): string {
    const trimmed = name.trim();
    const slash = trimmed.indexOf('\\');
    if (slash >= 0) {
      const domain = trimmed.slice(0, slash).trim();
      const user = trimmed.slice(slash + 1).trim();
      const label = domain.split('.')[0] ?? '';
      const d = domain === '' || label.toUpperCase() === this.domain ? this.domain : domain.toUpperCase();
      return `${d}\\${user}`;
    }
    const at = trimmed.lastIndexOf('@');
    if (at >= 0) {
      const user = trimmed.slice(0, at);
      const label = trimmed.slice(at + 1).split('.')[0] ?? '';
      if (label.toUpperCase() === this.domain && user !== '') return `${this.domain}\\${user}`;
      return trimmed;
    }
    return `${this.domain}\\${trimmed}`;
  }

  #key(name: string): string {
    return this.canonicalName(name).toLowerCase();
  }

  /**
   * The canonical name of a new account, or a TypeError saying why Windows would refuse `name`:
   * an empty user part, control characters, more than one backslash, a malformed domain, a user
   * part with " / \ [ ] : ; | = , + * ? < > @ or outer spaces, or a sAMAccountName over 20
   * characters. {@link UserDirectory.add} checks it; a caller may check first (before asking for
   * a password).
   *
   * @example
   * ```ts
   * users.checkAccountName('alice'); // 'CONTOSO\\alice'
   * users.checkAccountName('CONTOSO\\a\\b'); // throws TypeError: … one backslash …
   * ```
   */
  checkAccountName(name: string): string {
    const canonical = this.canonicalName(name);
    if (!userPart(canonical)) throw new TypeError('A certsrv user needs a non-empty user name.');
    if (UNPRINTABLE.test(canonical))
      throw new TypeError('A certsrv user name cannot hold control characters or line separators.');
    const problem = this.#nameProblem(name);
    if (problem) throw new TypeError(`A certsrv user name ${problem}.`);
    return canonical;
  }

  /**
   * Why Windows would refuse `name` for an account (the end of a sentence starting "A certsrv
   * user name …"), or undefined. An account is `DOMAIN\user` with one backslash and a NetBIOS
   * or DNS domain, or `user@domain` with a DNS domain; its user part, a sAMAccountName when the
   * account is of a domain (`DOMAIN\user`, or a UPN of this directory's domain), cannot hold
   * " / \ [ ] : ; | = , + * ? < > @, begin or end with a space, be only periods and spaces, or
   * pass 20 characters (AD's limit); a foreign UPN (`bob@fabrikam.com`, kept as written) may be
   * longer. Blanks around the whole name are dropped (as canonicalName does); spaces inside the
   * user part are allowed, as Windows allows them. Sign-in does not check this: a name that
   * breaks a rule simply matches no account.
   */
  #nameProblem(name: string): string | undefined {
    const text = name.trim();
    // Quoted as typed: the caller refused control characters before asking.
    const shown = `'${text}'`;
    const slash = text.indexOf('\\');
    let domain: string;
    let user: string;
    if (slash >= 0) {
      if (text.indexOf('\\', slash + 1) >= 0)
        return `has one backslash, between the domain and the user (DOMAIN\\name), and ${shown} has more`;
      domain = text.slice(0, slash);
      user = text.slice(slash + 1);
      // An empty domain (`\\alice`) is this directory's, as canonicalName reads it.
      if (domain !== '' && !DOMAIN_RE.test(domain))
        return `takes a domain such as CONTOSO or contoso.com (letters, digits, '.', '_', '-') before the backslash, not '${domain}'`;
    } else {
      const at = text.lastIndexOf('@');
      domain = at >= 0 ? text.slice(at + 1) : '';
      user = at >= 0 ? text.slice(0, at) : text;
      if (at >= 0 && !DNS_DOMAIN_RE.test(domain))
        return domain === ''
          ? 'needs a DNS domain such as contoso.com after the @'
          : `takes a DNS domain such as contoso.com after the @, not '${domain}'`;
    }
    if (user.trim() !== user) return `cannot begin or end with a space, as ${shown} does`;
    if (ACCOUNT_FORBIDDEN.test(user))
      return `cannot hold " / \\ [ ] : ; | = , + * ? < > or @ in its user part (Windows refuses them), as ${shown} does`;
    if (/^[. ]+$/.test(user)) return `cannot be only periods and spaces, as ${shown} is`;
    // A foreign UPN is kept as written; every other form is a sAMAccountName of a domain.
    if (this.canonicalName(text).includes('\\') && user.length > SAM_ACCOUNT_NAME_MAX)
      return `has at most ${SAM_ACCOUNT_NAME_MAX} characters in its user part (the sAMAccountName limit), and ${shown} has more`;
    return undefined;
  }

  /**
   * The account a sign-in name reaches: the account of that exact name; else, for `user@label…`
   * with no such account, the account `LABEL\user` of another domain (`OTHER\eve` signs in as
   * eve@other or eve@other.example, as AD maps a domain's UPN suffix to it). Only sign-in looks
   * this far; add and remove work on the exact name.
   */
  #signInAccount(name: string): StoredUser | undefined {
    const exact = this.#users.get(this.#key(name));
    if (exact) return exact;
    const canonical = this.canonicalName(name);
    const at = canonical.lastIndexOf('@');
    if (at <= 0 || canonical.includes('\\')) return undefined;
    const label = canonical.slice(at + 1).split('.')[0] ?? '';
    return label ? this.#users.get(`${label}\\${canonical.slice(0, at)}`.toLowerCase()) : undefined;
  }

  /**
   * Adds an account, or replaces the one with the same (canonical) name. The password is hashed
   * (about 50 ms). Throws a TypeError for an empty user name or password.
   *
   * @example
   * ```ts
   * await users.add('CONTOSO\\certadmin', 'S3cret!', { admin: true });
   * ```
   */
  async add(
    name: string,
    password: string,
    options: { admin?: boolean; directory?: AccountDirectory } = {},
  ): Promise<CertsrvAccount> {
    const canonical = this.checkAccountName(name);
    if (typeof password !== 'string' || password === '') {
      throw new TypeError(`The password for ${canonical} is empty; give a non-empty password.`);
    }
    // A new password (--user NAME:PASS again) keeps what the directory knew of the account.
    const directory =
      options.directory !== undefined
        ? checkDirectory(options.directory, (m) => new TypeError(`${canonical}: ${m}.`))
        : this.#users.get(canonical.toLowerCase())?.account.directory;
    const account: CertsrvAccount = {
      name: canonical,
      admin: options.admin === true,
      ...(directory ? { directory } : {}),
    };
    const hash = await hashPassword(password);
    this.#users.set(canonical.toLowerCase(), {
      account,
      password: hash,
      ...(this.#ntlm ? { ntHash: hex(ntHash(password)) } : {}),
    });
    this.#revision++;
    return account;
  }

  /**
   * Changes an existing account: its administrator flag, its directory attributes (`null` removes
   * them all; an object replaces them all) and/or its password. Returns the account as it now is,
   * or undefined when there is no account of that name. Throws a TypeError for an empty password
   * or malformed directory attributes (nothing is changed then).
   *
   * @example
   * ```ts
   * await users.update('alice', { directory: { upn: 'alice@contoso.com', email: 'alice@contoso.com' } });
   * await users.update('alice', { admin: true });
   * ```
   */
  async update(
    name: string,
    changes: { admin?: boolean; directory?: AccountDirectory | null; password?: string },
  ): Promise<CertsrvAccount | undefined> {
    if (changes.password !== undefined && (typeof changes.password !== 'string' || changes.password === ''))
      throw new TypeError(
        `The password for ${this.canonicalName(name)} is empty; give a non-empty password.`,
      );
    // Hashed first, so that what follows reads and writes the entry in one synchronous step.
    const hash = changes.password !== undefined ? await hashPassword(changes.password) : undefined;
    const key = this.#key(name);
    const before = this.#users.get(key);
    if (!before) return undefined;
    const canonical = before.account.name;
    const directory =
      changes.directory === undefined
        ? before.account.directory
        : changes.directory === null
          ? undefined
          : checkDirectory(changes.directory, (m) => new TypeError(`${canonical}: ${m}.`));
    const account: CertsrvAccount = {
      name: canonical,
      admin: changes.admin ?? before.account.admin,
      ...(directory ? { directory } : {}),
    };
    const nt =
      changes.password !== undefined
        ? this.#ntlm
          ? hex(ntHash(changes.password))
          : undefined
        : before.ntHash;
    this.#users.set(key, {
      account,
      password: hash ?? before.password,
      ...(nt !== undefined ? { ntHash: nt } : {}),
    });
    this.#revision++;
    return account;
  }

  /**
   * Replaces every account with those of `other` (a directory of the same domain), as when the
   * users file changed under a running server. Throws a CaError ERR_CA_USERS_INVALID, changing
   * nothing, when the domains differ.
   *
   * @example
   * ```ts
   * users.replaceAll(await UserDirectory.load('.certlab/users.json'));
   * ```
   */
  replaceAll(other: UserDirectory): void {
    if (other.domain !== this.domain)
      throw usersError(
        `The users file now names the domain ${other.domain}, not ${this.domain}: restart the server to change the domain.`,
      );
    this.#users.clear();
    for (const [key, user] of other.#users) this.#users.set(key, user);
    this.#ntlm = other.#ntlm;
    this.#revision++;
  }

  /**
   * A number that changes whenever an account is added, changed or removed, so that a cache of
   * verified credentials (the certsrv server's {@link CredentialCache}) knows to forget them.
   *
   * @example
   * ```ts
   * const seen = users.revision;
   * users.remove('alice');
   * users.revision !== seen; // true
   * ```
   */
  get revision(): number {
    return this.#revision;
  }

  /**
   * Whether the directory keeps each account's NT hash (MD4 of the UTF-16LE password, MS-NLMP
   * §3.3.1 NTOWFv1), which NTLM sign-in needs. Off by default: unlike the scrypt hash, an NT hash
   * signs in over NTLM by itself (Active Directory keeps it for the same reason), so a users file
   * with NT hashes must be guarded like the passwords. Turning it on keeps the accounts as they
   * are: an account gets its NT hash when its password is next set (add or update). Turning it off
   * forgets every NT hash. Saved in the users file (`"ntlm": true`).
   *
   * @example
   * ```ts
   * users.ntlm = true;
   * await users.add('alice', 'P@ssw0rd'); // can sign in with NTLM as well as Basic
   * ```
   */
  get ntlm(): boolean {
    return this.#ntlm;
  }

  set ntlm(on: boolean) {
    if (on === this.#ntlm) return;
    this.#ntlm = on === true;
    if (!this.#ntlm)
      for (const [key, { account, password }] of this.#users) this.#users.set(key, { account, password });
    this.#revision++;
  }

  /**
   * The accounts that cannot sign in with NTLM because their NT hash is not known (their password
   * was set before {@link UserDirectory.ntlm} was turned on). Empty when NTLM is off.
   *
   * @example
   * ```ts
   * users.withoutNtHash(); // ['CONTOSO\\bob']: set bob's password again
   * ```
   */
  withoutNtHash(): string[] {
    if (!this.#ntlm) return [];
    return [...this.#users.values()]
      .filter((u) => u.ntHash === undefined)
      .map((u) => u.account.name)
      .sort(compare);
  }

  /**
   * Checks an NTLMv2 response (MS-NLMP §3.3.2) for the user and domain named in an
   * AUTHENTICATE_MESSAGE; the account when it matches, else undefined. The domain may be the
   * NetBIOS name, the DNS name or empty (this directory's), or another domain for a foreign
   * account; the proof is computed with the domain exactly as the client sent it.
   *
   * @example
   * ```ts
   * const account = users.authenticateNtlm({ user: 'alice', domain: 'CONTOSO', serverChallenge, ntResponse });
   * ```
   */
  authenticateNtlm(o: {
    user: string;
    domain: string;
    serverChallenge: Uint8Array;
    ntResponse: Uint8Array;
  }): CertsrvAccount | undefined {
    return this.signInNtlm(o)?.account;
  }

  /**
   * {@link authenticateNtlm}, also returning the NTLMv2 SessionBaseKey (MS-NLMP §3.3.2) of the
   * sign-in, from which the NTLM session keys come (SPNEGO's mechListMIC is signed with them).
   *
   * @example
   * ```ts
   * const r = users.signInNtlm({ user: 'alice', domain: 'CONTOSO', serverChallenge, ntResponse });
   * if (r) new NtlmSessionSecurity({ sessionBaseKey: r.sessionBaseKey, flags });
   * ```
   */
  signInNtlm(o: {
    user: string;
    domain: string;
    serverChallenge: Uint8Array;
    ntResponse: Uint8Array;
  }): { account: CertsrvAccount; sessionBaseKey: Uint8Array } | undefined {
    if (!this.#ntlm || o.user === '') return undefined;
    const stored = this.#signInAccount(o.domain === '' ? o.user : `${o.domain}\\${o.user}`);
    // An unknown account (or one without an NT hash) costs the same HMACs as a known one, so
    // the answer's timing does not tell which names exist.
    const nt = stored?.ntHash ? Buffer.from(stored.ntHash, 'hex') : DUMMY_NT_HASH;
    const ok = verifyNtlmV2({
      ntHash: nt,
      user: o.user,
      domain: o.domain,
      serverChallenge: o.serverChallenge,
      ntResponse: o.ntResponse,
    });
    if (!ok || !stored?.ntHash) return undefined;
    return {
      account: stored.account,
      sessionBaseKey: ntlmV2SessionBaseKey(ntowfV2(nt, o.user, o.domain), o.ntResponse),
    };
  }

  /**
   * Removes an account; returns whether there was one. A certsrv server using this directory
   * stops accepting the account at its next request (its credential cache follows
   * {@link UserDirectory.revision}); a {@link CredentialCache} of your own needs a `clear()`.
   *
   * @example
   * ```ts
   * users.remove('alice'); // true
   * ```
   */
  remove(name: string): boolean {
    const removed = this.#users.delete(this.#key(name));
    if (removed) this.#revision++;
    return removed;
  }

  /**
   * The account of exactly this name (any accepted form of it, compared without case, as add and
   * remove take it), or undefined.
   *
   * @example
   * ```ts
   * users.get('contoso\\ALICE')?.admin; // false
   * ```
   */
  get(name: string): CertsrvAccount | undefined {
    return this.#users.get(this.#key(name))?.account;
  }

  /**
   * The accounts, sorted by name (no password hashes).
   *
   * @example
   * ```ts
   * for (const a of users.list()) console.log(a.name, a.admin ? '(admin)' : '');
   * ```
   */
  list(): CertsrvAccount[] {
    return [...this.#users.values()].map((u) => u.account).sort((a, b) => compare(a.name, b.name));
  }

  /**
   * The account when `name` (any accepted form) exists and `password` matches, else undefined.
   * Costs one scrypt whether or not the user exists (an unknown name is checked against a
   * dummy hash), so response time does not reveal which names exist.
   *
   * @example
   * ```ts
   * const account = await users.authenticate('CONTOSO\\alice', 'P@ssw0rd');
   * account?.name; // 'CONTOSO\\alice'; undefined for a wrong password or an unknown name (answer 401)
   * ```
   */
  async authenticate(name: string, password: string): Promise<CertsrvAccount | undefined> {
    const user = typeof name === 'string' ? this.#signInAccount(name) : undefined;
    const hash = user?.password ?? (await getDummyHash());
    const ok = await verifyPassword(typeof password === 'string' ? password : '', hash);
    return ok && user ? user.account : undefined;
  }

  /**
   * The file form: `{ domain, users: [{ name, admin, password }] }`, passwords as scrypt hashes.
   *
   * @example
   * ```ts
   * const text = JSON.stringify(users, null, 2);
   * ```
   */
  toJSON(): {
    domain: string;
    ntlm?: true;
    users: {
      name: string;
      admin: boolean;
      password: string;
      ntHash?: string;
      directory?: AccountDirectory;
    }[];
  } {
    const users = [...this.#users.values()]
      .sort((a, b) => compare(a.account.name, b.account.name))
      .map((u) => ({
        name: u.account.name,
        admin: u.account.admin,
        password: u.password,
        ...(u.ntHash !== undefined ? { ntHash: u.ntHash } : {}),
        ...(u.account.directory ? { directory: u.account.directory } : {}),
      }));
    return { domain: this.domain, ...(this.#ntlm ? { ntlm: true as const } : {}), users };
  }

  /**
   * Rebuilds a directory from its {@link UserDirectory.toJSON} form. Throws a CaError with code
   * ERR_CA_USERS_INVALID, saying what to fix, when the value is not a valid users file.
   *
   * @example
   * ```ts
   * const users = UserDirectory.fromJSON(JSON.parse(await readFile('users.json', 'utf8')));
   * ```
   */
  static fromJSON(value: unknown): UserDirectory {
    const fix = 'Fix the file, or delete it and add the users again with --user NAME:PASSWORD.';
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw usersError(`The users file must hold a JSON object { "domain": …, "users": […] }. ${fix}`);
    }
    const v = value as { domain?: unknown; users?: unknown; ntlm?: unknown };
    if (typeof v.domain !== 'string' || !DOMAIN_RE.test(v.domain)) {
      throw usersError(
        `The users file needs a "domain" such as "CONTOSO" (letters, digits, '.', '_', '-'). ${fix}`,
      );
    }
    if (!Array.isArray(v.users)) throw usersError(`The users file needs a "users" array. ${fix}`);
    if (v.ntlm !== undefined && typeof v.ntlm !== 'boolean')
      throw usersError(`The users file's "ntlm" must be true or false. ${fix}`);
    const dir = new UserDirectory(v.domain);
    dir.#ntlm = v.ntlm === true;
    v.users.forEach((u: unknown, i: number) => {
      const where = `User entry ${i + 1} of the users file`;
      if (typeof u !== 'object' || u === null) throw usersError(`${where} is not an object. ${fix}`);
      const {
        name,
        admin,
        password,
        directory,
        ntHash: nt,
      } = u as {
        name?: unknown;
        admin?: unknown;
        password?: unknown;
        directory?: unknown;
        ntHash?: unknown;
      };
      if (typeof name !== 'string' || !userPart(dir.canonicalName(name))) {
        throw usersError(`${where} needs a "name" such as "${dir.domain}\\\\alice". ${fix}`);
      }
      if (UNPRINTABLE.test(name))
        throw usersError(`${where}: the name holds control characters or line separators. ${fix}`);
      const nameProblem = dir.#nameProblem(name);
      if (nameProblem) throw usersError(`${where}: its name ${nameProblem}. ${fix}`);
      if (admin !== undefined && typeof admin !== 'boolean') {
        throw usersError(`${where} (${name}): "admin" must be true or false. ${fix}`);
      }
      if (typeof password !== 'string' || !parseHash(password)) {
        throw usersError(
          `${where} (${name}): "password" must be a hash "scrypt$16384$8$1$<salt>$<key>", never a plain password. ${fix}`,
        );
      }
      if (nt !== undefined && (typeof nt !== 'string' || !NT_HASH_RE.test(nt)))
        throw usersError(`${where} (${name}): "ntHash" must be 32 lower-case hex digits. ${fix}`);
      const canonical = dir.canonicalName(name);
      const key = canonical.toLowerCase();
      if (dir.#users.has(key)) throw usersError(`${where}: ${canonical} appears twice. ${fix}`);
      const known =
        directory === undefined
          ? undefined
          : checkDirectory(directory, (m) => usersError(`${where} (${name}): ${m}. ${fix}`));
      dir.#users.set(key, {
        account: { name: canonical, admin: admin === true, ...(known ? { directory: known } : {}) },
        password,
        // "ntlm": false forgets the NT hashes (the next save drops them): set it to stop keeping them.
        ...(typeof nt === 'string' && dir.#ntlm ? { ntHash: nt } : {}),
      });
    });
    return dir;
  }

  /**
   * Reads a users file. Throws a CaError: ERR_CA_USERS_NOT_FOUND when the file does not exist
   * (create one with {@link UserDirectory.save}), ERR_CA_USERS_INVALID when it cannot be read
   * or is not a valid users file.
   *
   * @example
   * ```ts
   * const users = await UserDirectory.load('.certlab/certsrv-users.json');
   * ```
   */
  static async load(file: string): Promise<UserDirectory> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new CaError(
          'ERR_CA_USERS_NOT_FOUND',
          `The users file ${file} does not exist; create it first.`,
          {
            cause: e,
          },
        );
      }
      throw usersError(`Cannot read the users file ${file}: ${readProblem(e)}.`, e);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      // Never the parser's message, not even as the cause (a library caller may log it): V8
      // quotes the text around the error, which may be a password (a password file given as
      // --users). Only where it is, when V8 says.
      throw usersError(
        `The users file ${file} is not valid JSON${jsonErrorPlace(e, text)}. Fix it, or delete it and add the users again.`,
      );
    }
    try {
      return UserDirectory.fromJSON(json);
    } catch (e) {
      if (e instanceof CaError) throw usersError(`${file}: ${e.message}`, e.cause);
      throw e;
    }
  }

  /**
   * Writes the directory to `file` atomically (a temporary file in the same directory, flushed,
   * then renamed over `file`) with mode 0o600, since the hashes are still secrets.
   *
   * @example
   * ```ts
   * await users.save('.certlab/certsrv-users.json');
   * ```
   */
  async save(file: string): Promise<void> {
    const temp = join(
      dirname(file),
      `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
    );
    const text = `${JSON.stringify(this.toJSON(), null, 2)}\n`;
    try {
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, file);
    } catch (e) {
      await unlink(temp).catch(() => undefined);
      throw e;
    }
  }
}

/** Why a users file could not be read, in words, from the error's code (never its text). */
function readProblem(e: unknown): string {
  switch ((e as NodeJS.ErrnoException).code) {
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied (check the owner and mode of the file and its folder)';
    case 'ENOTDIR':
      return 'one of the folders on its path is a file';
    case 'ELOOP':
      return 'too many symbolic links (a link may point to itself)';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many files are open';
    case undefined:
      return 'it could not be read';
    default:
      return `the system refused it (${(e as NodeJS.ErrnoException).code})`;
  }
}

/**
 * Where JSON.parse stopped, as " (line L, column C)", " (it ends too early)" or " (it is
 * empty)", from the position
 * V8 gives in some messages; "" when it gives none. Only numbers: the message's quoted text is
 * the file's content.
 */
function jsonErrorPlace(e: unknown, text: string): string {
  const message = e instanceof Error ? e.message : '';
  if (text.trim() === '') return ' (it is empty)';
  if (/^Unexpected end of JSON input/.test(message)) return ' (it ends too early)';
  const m = /\bat position (\d+)/.exec(message);
  if (!m) return '';
  const position = Number(m[1]);
  if (position >= text.length) return ' (it ends too early)';
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - (before.lastIndexOf('\n') + 1) + 1;
  return ` (line ${line}, column ${column})`;
}

function userPart(canonical: string): string {
  const slash = canonical.indexOf('\\');
  if (slash >= 0) return canonical.slice(slash + 1);
  const at = canonical.lastIndexOf('@');
  return at >= 0 ? canonical.slice(0, at) : canonical;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function compare(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Splits the CLI's `--user NAME:PASSWORD` at the FIRST colon (the password may contain colons;
 * a user name cannot). Throws a TypeError when there is no colon or either part is empty; the
 * message never repeats the password.
 *
 * @example
 * ```ts
 * parseUserSpec('CONTOSO\\alice:pa:ss'); // { name: 'CONTOSO\\alice', password: 'pa:ss' }
 * ```
 */
export function parseUserSpec(spec: string): { name: string; password: string } {
  const colon = spec.indexOf(':');
  if (colon < 0) {
    throw new TypeError(
      '--user expects NAME:PASSWORD (for example CONTOSO\\alice:P@ssw0rd); no colon was found.',
    );
  }
  const name = spec.slice(0, colon).trim();
  const password = spec.slice(colon + 1);
  if (name === '')
    throw new TypeError('--user expects NAME:PASSWORD; the user name before the colon is empty.');
  if (password === '') {
    throw new TypeError(`--user expects NAME:PASSWORD; the password for ${name} after the colon is empty.`);
  }
  return { name, password };
}

/** No 0/O, 1/l/I: easy to read aloud and to type from a screen. */
const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';

/**
 * A random 20-character password from an unambiguous alphabet (no 0/O, 1/l/I), about 116 bits,
 * drawn with the CSPRNG (crypto.randomInt, no modulo bias).
 *
 * @example
 * ```ts
 * const password = generatePassword(); // e.g. 'k7QmZp3xTn9WcR4hVb2s'
 * ```
 */
export function generatePassword(): string {
  let out = '';
  for (let i = 0; i < 20; i++) out += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
  return out;
}
