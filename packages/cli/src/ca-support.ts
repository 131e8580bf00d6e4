// What every `certlab ca` command shares: the CA directory (--dir) with its ca.json, opening the
// request database (--db), the --enc choice, and how a request's state is printed (the way
// `certreq -submit` / `-retrieve` print it) and rendered as JSON.

import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BUILT_IN_TEMPLATES,
  CaError,
  type CertEnrollFile,
  type CertificateTemplate,
  type CertificationAuthority,
  createAuthority,
  createMemoryStore,
  EDIT_FLAGS,
  type EditFlag,
  hresultHex,
  isCaError,
  type LdapPublication,
  openPgliteStore,
  openPostgresStore,
  parseTemplate,
  type RequestResult,
  type RequestStore,
  refusedByPostgres,
  STANDARD_TEMPLATES,
} from '@certlab/ca-sim';
import { Name } from '@certlab/pki';
import { choiceOption, stringOption } from './args.js';
import { CliError, EXIT, usageError } from './cli-error.js';
import type { CommandContext, OptionSpec, ParsedArgs } from './command.js';
import { resolvePath, writeOutput } from './files.js';
import { isoSeconds } from './format/dates.js';
import type { Json } from './format/json-value.js';
import { passwordOption, promptPassword } from './password.js';

/** The CA directory when --dir is not given. */
export const DEFAULT_CA_DIR = '.certlab';
/** The file in the CA directory that names the CA (the database needs the names to open it). */
export const CA_CONFIG_FILE = 'ca.json';
/** The sub-directory where the CA publishes its certificates and CRLs, as AD CS does. */
export const CERT_ENROLL_DIR = 'CertEnroll';

export const DIR_OPTION: OptionSpec = {
  name: 'dir',
  type: 'string',
  short: 'd',
  value: 'DIR',
  help: `The CA directory: ${CA_CONFIG_FILE}, the database (DIR/db) and DIR/${CERT_ENROLL_DIR} (default ./${DEFAULT_CA_DIR}).`,
};
export const KEY_PASSPHRASE_OPTION: OptionSpec = {
  name: 'key-passphrase-file',
  type: 'string',
  value: 'F',
  help: "The CA's key passphrase, from the first line of file F. With ca init (and serve's first start) the CA keeps its private keys encrypted with it (PKCS #8 with PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC); afterwards the commands that sign (ca submit, ca approve, ca crl, ca renew and serve) need it, and ask for it at a terminal when it is not given. The other commands read the database without it.",
};
export const DB_OPTION: OptionSpec = {
  name: 'db',
  type: 'string',
  value: 'URL',
  help: 'The request database instead of the one ca init recorded: pglite:PATH (embedded PostgreSQL in a directory), postgres://USER:PASSWORD@HOST:PORT/DB (a PostgreSQL server, shared by several processes), or memory: (ca init only: nothing is kept). A password in the URL is visible to other local users (and ca init records it in ca.json): leave it out and set PGPASSWORD.',
};
export const ENC_OPTION: OptionSpec = {
  name: 'enc',
  type: 'string',
  value: 'b64|bin',
  help: 'b64: PEM with CRLF line ends, as certsrv serves it (default); bin: DER.',
};

/** What ca.json holds. */
export interface CaConfig {
  /** The issuing (or standalone) CA's common name. */
  readonly name: string;
  /** The root CA's common name; null for a standalone CA. */
  readonly rootName: string | null;
  readonly keyType: 'ec' | 'rsa';
  readonly baseUrl: string;
  /** The database URL given to ca init; null for the default PGlite database in DIR/db. */
  readonly db: string | null;
  readonly editFlags: readonly EditFlag[];
  /**
   * The published templates when they differ from the standard set (`ca templates --add/--remove`):
   * a built-in template by name (`"WebServer"`), or a custom one as the JSON object
   * `parseTemplate` reads. Absent: the standard set of ca-sim.
   */
  readonly templates?: readonly TemplateEntry[];
  /** `passphrase`: the CA keeps its private keys encrypted with a key passphrase (ca init --key-passphrase-file). */
  readonly keyProtection?: 'passphrase';
}

/** A published template in ca.json: a built-in one's name, or a custom template object. */
export type TemplateEntry = string | Readonly<Record<string, unknown>>;

/**
 * A parsed --db value. `from` says where the URL came from (`--db`, or the ca.json that records
 * it, or that it is the default DIR/db), for the sentence of a database that is not there.
 */
export type DbLocation = (
  | { readonly kind: 'memory' }
  | { readonly kind: 'pglite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly url: string }
) & { readonly from?: string };

/** The absolute CA directory of a command. @example `caDir(ctx, args)` */
export function caDir(ctx: CommandContext, args: ParsedArgs): string {
  const dir = stringOption(args, 'dir') ?? DEFAULT_CA_DIR;
  if (dir === '') throw usageError('--dir needs a directory.');
  return resolvePath(ctx.io, dir);
}

/**
 * Parses a --db URL: `memory:`, `pglite:PATH` (relative to the current directory), or
 * `postgres://…` / `postgresql://…` (a PostgreSQL server through `pg`).
 *
 * @example
 * ```ts
 * parseDbUrl(ctx, 'pglite:./ca-db', 'ca init'); // { kind: 'pglite', path: '/home/me/ca-db' }
 * ```
 */
export function parseDbUrl(
  ctx: CommandContext,
  url: string,
  command: string,
  /** What to call the URL in a message: the option, or the file that recorded it. */
  from = '--db',
): DbLocation {
  if (url === 'memory:' || url === 'memory') return { kind: 'memory' };
  if (url.startsWith('pglite:')) {
    const path = url.slice('pglite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') throw usageError(`${from} pglite:PATH needs a directory.`, command);
    return { kind: 'pglite', path: resolvePath(ctx.io, path) };
  }
  if (/^postgres(ql)?:\/\//i.test(url)) {
    const read = readPostgresUrl(url);
    if (read === undefined)
      // Not echoed: the URL holds the password.
      throw usageError(
        `${from} is not a PostgreSQL URL certlab can use: write it as postgres://USER:PASSWORD@HOST:PORT/DB, with the port a number and %-encoding for special characters.`,
        command,
      );
    // The passwords of the URL are masked out of any message, as a last line of defence.
    for (const secret of read.secrets) ctx.secrets.add(secret);
    return { kind: 'postgres', url };
  }
  throw usageError(
    `${from} must be pglite:PATH, memory: or postgres://…, not ${quotedDbValue(url)}.`,
    command,
  );
}

/**
 * An unrecognised --db value as the usage error quotes it. It may be a PostgreSQL URL with a
 * mistyped scheme (`postgress://USER:PASSWORD@…`) or a libpq `key=value` string: a URL is shown
 * by its scheme alone, since what follows `://` can hold a password in its user information or
 * in its query (and a password with an unencoded `/` or `?` moves where the user information
 * seems to end); a value with an `@` or `=` is not shown at all. A path or a bare word is quoted
 * whole, to show the typo.
 */
function quotedDbValue(value: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
  if (scheme) return `'${scheme[1]}://…'`;
  if (/[@=]/.test(value)) return 'that value (not repeated here: it may hold a password)';
  return `'${value}'`;
}

/** What {@link readPostgresUrl} finds in a PostgreSQL URL. */
interface PostgresUrl {
  /** The password of the user information (decoded, and as written) and of `?password=`. */
  readonly secrets: readonly string[];
  /** The URL without its passwords, to print: the user name, host, port, database and options. */
  readonly shown: string;
}

/**
 * A PostgreSQL URL as `pg` reads it, or undefined when `pg` could not read it (or would read a
 * password into the host or database, see below): the same steps as its connection-string parser
 * (pg-connection-string: spaces encoded, `user@/db` read with a stand-in host, %-escapes
 * decoded), so that such a URL is refused as input before any connection is tried. As in pg
 * (WHATWG URL parsing), the user information ends at the LAST `@` of the authority, so
 * `user:pa@ss@host` has the password `pa@ss`; and pg takes a `password` query parameter over the
 * one in the user information. The printed form is rebuilt from the parsed parts rather than cut
 * out of the text, so that no split of the text can leave a piece of the password in it.
 */
function readPostgresUrl(url: string): PostgresUrl | undefined {
  const text = / |%[^a-f0-9]|%[a-f0-9][^a-f0-9]/i.test(url)
    ? encodeURI(url).replace(/%25(\d\d)/g, '%$1')
    : url;
  try {
    let u: URL;
    let dummyHost = false;
    try {
      u = new URL(text);
    } catch {
      u = new URL(text.replace('@/', '@___DUMMY___/'));
      dummyHost = true;
    }
    decodeURIComponent(u.username);
    decodeURIComponent(u.hostname);
    decodeURI(u.pathname);
    // An `@` after the host is the end of a password with an unencoded `/`, `?` or `#`
    // (`user:12/pa@host/db` reads as host `user`, port 12, database `pa@host/db`): printing the
    // URL would print that part of the password, so it is refused like any URL pg cannot use.
    if (/@/.test(u.pathname + u.search + u.hash)) return undefined;
    // `password`, and sslpassword and the like (not read by this pg, but secrets all the same).
    const isSecret = ([name]: [string, string]) => /password/i.test(name);
    const params = [...u.searchParams];
    const passwords = [
      u.password,
      decodeURIComponent(u.password),
      ...params.filter(isSecret).map(([, value]) => value),
    ];
    const query = new URLSearchParams(params.filter((p) => !isSecret(p))).toString();
    const user = u.username === '' ? '' : `${u.username}@`;
    const host = dummyHost ? '' : u.host;
    return {
      secrets: [...new Set(passwords.filter((p) => p !== ''))],
      shown: `${u.protocol}//${user}${host}${u.pathname}${query === '' ? '' : `?${query}`}`,
    };
  } catch {
    return undefined;
  }
}

/**
 * A PostgreSQL URL as output shows it: without its password (see {@link readPostgresUrl}). A
 * URL pg cannot read (parseDbUrl refuses those, so one only comes from elsewhere) is shown by
 * its scheme alone.
 */
function shownPostgresUrl(url: string): string {
  return readPostgresUrl(url)?.shown ?? `${/^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? 'postgres:'}//…`;
}

/**
 * The request database of a command on the CA in `dir`, parsed once: --db, else the database
 * ca init recorded in ca.json, else the default PGlite database in DIR/db. `config` is undefined
 * when the directory holds no CA yet.
 *
 * @example
 * ```ts
 * const db = caDbLocation(ctx, args, dir, await readCaConfig(dir), 'serve'); // { kind: 'pglite', path: '/srv/ca/db' }
 * ```
 */
export function caDbLocation(
  ctx: CommandContext,
  args: ParsedArgs,
  dir: string,
  config: CaConfig | undefined,
  command: string,
): DbLocation {
  const given = stringOption(args, 'db');
  if (given !== undefined) return { ...parseDbUrl(ctx, given, command), from: '--db' };
  const file = join(dir, CA_CONFIG_FILE);
  const recorded = config?.db;
  if (recorded !== undefined && recorded !== null)
    return { ...parseDbUrl(ctx, recorded, command, `the "db" of ${file}`), from: file };
  return { ...parseDbUrl(ctx, `pglite:${join(dir, 'db')}`, command), from: config ? file : 'the default' };
}

/** The --db text stored in ca.json for a location (null for the default DIR/db). */
export function dbUrlText(db: DbLocation, dir: string): string | null {
  switch (db.kind) {
    case 'memory':
      return 'memory:';
    case 'pglite':
      return db.path === join(dir, 'db') ? null : `pglite:${db.path}`;
    case 'postgres':
      return db.url;
  }
}

/**
 * How a database is named in output: a PostgreSQL URL with its user name, without its password.
 *
 * @example
 * ```ts
 * describeDb({ kind: 'pglite', path: '/srv/ca/db' }); // 'PGlite in /srv/ca/db'
 * describeDb({ kind: 'postgres', url: 'postgres://ca:pa@ss@db1:5432/ca' }); // 'PostgreSQL at postgres://ca@db1:5432/ca'
 * ```
 */
export function describeDb(db: DbLocation): string {
  switch (db.kind) {
    case 'memory':
      return 'in memory (nothing is kept after this command)';
    case 'pglite':
      return `PGlite in ${db.path}`;
    case 'postgres':
      return `PostgreSQL at ${shownPostgresUrl(db.url)}`;
  }
}

/**
 * Opens the request database. With `create` (ca init, and serve's first start), the store
 * creates the directory of a PGlite database and its tables. The simulator keeps the CA private
 * keys in that directory, so openPgliteStore creates it with mode 0700 and makes an existing one
 * 0700 on every open (refusing with ERR_CA_STORE_PERMISSIONS when it cannot). Without `create`,
 * a PGlite directory that does not exist or is not a database is exit 2 (see
 * {@link missingDatabase}): opening it would make an empty database, and then a new CA. A
 * PostgreSQL database must exist; without `create`, one (or a PGlite database) that has no
 * certlab tables is exit 2 too, and is left without them.
 */
export async function openStore(
  db: DbLocation,
  options: { readonly create?: boolean } = {},
): Promise<RequestStore> {
  // A command that only uses a CA must not leave certlab's tables in a database it does not own
  // (a mistyped --db, another application's database): the store refuses before migrating.
  const create = options.create === true;
  try {
    switch (db.kind) {
      case 'memory':
        return createMemoryStore();
      case 'pglite':
        if (!create) await assertPgliteDatabase(db);
        return await openPgliteStore({ dataDir: db.path, create });
      case 'postgres':
        return await openPostgresStore({ connectionString: db.url, create });
    }
  } catch (e) {
    if (isCaError(e, 'ERR_CA_NOT_FOUND'))
      throw missingDatabase(db, `${databaseText(db)} holds no certlab CA`);
    // A server that answered but refused the URL's user, password or database is a database URL
    // the command cannot use (exit 2, docs/cli.md); only one that cannot be reached is exit 1.
    if (refusedByPostgres(e)) throw new CliError(EXIT.usage, `${(e as Error).message} [ERR_CA_STORE]`);
    throw e;
  }
}

/**
 * Refuses (exit 2) a PGlite location that holds no database: a missing folder, a file, or a
 * folder without PG_VERSION, the file every PostgreSQL data directory starts with.
 */
async function assertPgliteDatabase(db: DbLocation & { readonly kind: 'pglite' }): Promise<void> {
  const folder = await stat(db.path).catch(() => undefined);
  if (!folder) throw missingDatabase(db, `There is no CA database in ${db.path}`);
  if (!folder.isDirectory()) throw missingDatabase(db, `${db.path} is a file, not a CA database folder`);
  const version = await stat(join(db.path, 'PG_VERSION')).catch(() => undefined);
  if (!version?.isFile()) throw missingDatabase(db, `${db.path} holds no certlab CA database`);
}

/**
 * The exit-2 error of a command whose database holds no CA: `what` (the database, as a
 * sentence start), where its location came from, and what to do. Only ca init (and serve in a
 * directory without a CA) makes a new database, so that a typo in --db or a lost DIR/db is
 * never answered by a brand-new CA.
 */
function missingDatabase(db: DbLocation, what: string): CliError {
  const from = db.from ?? '--db';
  if (from === '--db')
    return new CliError(
      EXIT.usage,
      `${what} (--db names it): check the --db URL; only 'certlab ca init' creates a CA database.`,
    );
  if (from === 'the default')
    return new CliError(
      EXIT.usage,
      `${what}: create a CA with 'certlab ca init', or give its database with --db.`,
    );
  return new CliError(
    EXIT.usage,
    `${what} (${from} names it): restore the database, or give it with --db; to start a new CA instead, remove ${from} and run 'certlab ca init'.`,
  );
}

/** The database as a sentence start, for "holds no CA": without the password of a URL. */
function databaseText(db: DbLocation): string {
  switch (db.kind) {
    case 'memory':
      return 'The memory: database';
    case 'pglite':
      return `The database in ${db.path}`;
    case 'postgres':
      return `The PostgreSQL database at ${shownPostgresUrl(db.url)}`;
  }
}

/** Reads DIR/ca.json; undefined when there is none. A broken file is exit 2. */
export async function readCaConfig(dir: string): Promise<CaConfig | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, CA_CONFIG_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR')
      return undefined;
    throw new CliError(EXIT.usage, `cannot read ${join(dir, CA_CONFIG_FILE)}: ${(e as Error).message}.`);
  }
  let v: Partial<CaConfig>;
  try {
    const parsed: unknown = JSON.parse(text);
    // `null`, a list or a bare value is no configuration either (and `null.name` would throw).
    v = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : {};
  } catch {
    v = {};
  }
  if (typeof v.name !== 'string' || (v.rootName !== null && typeof v.rootName !== 'string'))
    throw new CliError(EXIT.usage, `${join(dir, CA_CONFIG_FILE)} is not a certlab CA configuration.`);
  if (v.editFlags !== undefined && !Array.isArray(v.editFlags))
    throw new CliError(
      EXIT.usage,
      `${join(dir, CA_CONFIG_FILE)}: "editFlags" must be a list of EditFlag names (${EDIT_FLAGS.join(', ')}).`,
    );
  const unknownFlag = ((v.editFlags ?? []) as unknown[]).find((f) => !EDIT_FLAGS.includes(f as EditFlag));
  if (unknownFlag !== undefined)
    throw new CliError(
      EXIT.usage,
      `${join(dir, CA_CONFIG_FILE)} names an EditFlag certlab does not know: ${JSON.stringify(unknownFlag)} (it knows ${EDIT_FLAGS.join(', ')}).`,
    );
  return {
    name: v.name,
    rootName: v.rootName,
    keyType: v.keyType === 'ec' ? 'ec' : 'rsa',
    baseUrl: typeof v.baseUrl === 'string' ? v.baseUrl : 'http://pki.contoso.com',
    db: typeof v.db === 'string' ? v.db : null,
    editFlags: Array.isArray(v.editFlags) ? v.editFlags : [],
    ...(Array.isArray(v.templates) ? { templates: v.templates } : {}),
    ...(v.keyProtection === 'passphrase' ? { keyProtection: 'passphrase' as const } : {}),
  };
}

/**
 * The CA key passphrase for a command: from --key-passphrase-file, or asked at a terminal when the
 * CA keeps its keys encrypted (ca.json says so) and the command signs. Undefined otherwise: the
 * CA then opens locked, reads its database, and refuses to sign with ERR_CA_KEY_LOCKED (exit 2).
 *
 * @example
 * ```ts
 * const keyPassphrase = await caKeyPassphrase(ctx, args, 'ca submit', config, true);
 * ```
 */
export async function caKeyPassphrase(
  ctx: CommandContext,
  args: ParsedArgs,
  command: string,
  config: CaConfig | undefined,
  signs: boolean,
): Promise<string | undefined> {
  const given = await passwordOption(ctx, args, command, 'key-passphrase');
  if (given !== undefined || !signs || config?.keyProtection !== 'passphrase') return given;
  return (await promptPassword(ctx, `Key passphrase of the CA "${config.name}": `)) || undefined;
}

/**
 * The templates a configuration publishes, parsed: the standard set when ca.json lists none. A
 * name that is not a built-in template, or a custom template that does not parse, is exit 2
 * naming ca.json.
 *
 * @example
 * ```ts
 * publishedTemplates({ ...config, templates: ['WebServer'] }, dir).map((t) => t.name); // ['WebServer']
 * ```
 */
export function publishedTemplates(config: CaConfig, dir?: string): CertificateTemplate[] {
  if (!config.templates) return [...STANDARD_TEMPLATES];
  const where = dir === undefined ? CA_CONFIG_FILE : join(dir, CA_CONFIG_FILE);
  return config.templates.map((entry) => templateOfEntry(entry, where));
}

/**
 * The template of one ca.json entry: a built-in one by name, or a custom object parsed by
 * ca-sim's `parseTemplate`. Anything else is exit 2 with `where` (the file it came from).
 *
 * @example
 * ```ts
 * templateOfEntry('WebServer', 'ca.json').validityDays; // 730
 * ```
 */
export function templateOfEntry(entry: TemplateEntry, where: string): CertificateTemplate {
  if (typeof entry === 'string') {
    const builtIn = builtInTemplate(entry);
    if (!builtIn)
      throw new CliError(
        EXIT.usage,
        `${where} names the template "${entry}", which is not a built-in template (${BUILT_IN_TEMPLATES.map((t) => t.name).join(', ')}).`,
      );
    return builtIn;
  }
  try {
    return parseTemplate(entry);
  } catch (e) {
    throw new CliError(EXIT.usage, `${where}: ${(e as Error).message}`);
  }
}

/** The built-in template of a name (case-insensitive), if any. @example `builtInTemplate('webserver')?.name // 'WebServer'` */
export function builtInTemplate(name: string): CertificateTemplate | undefined {
  return BUILT_IN_TEMPLATES.find((t) => t.name.toLowerCase() === name.toLowerCase());
}

/**
 * DIR/ca.json of a command that needs a CA: exit 2 naming `ca init` when the directory holds none.
 *
 * @example
 * ```ts
 * const config = await requireCaConfig(args, caDir(ctx, args));
 * ```
 */
export async function requireCaConfig(args: ParsedArgs, dir: string): Promise<CaConfig> {
  const config = await readCaConfig(dir);
  if (!config && (await stat(dir).catch(() => undefined))?.isDirectory() === false)
    throw new CliError(EXIT.usage, `${dir} is a file, not a CA directory: give --dir the CA's directory.`);
  if (!config)
    throw new CliError(
      EXIT.usage,
      `there is no CA in ${dir}: create one with 'certlab ca init --dir ${stringOption(args, 'dir') ?? DEFAULT_CA_DIR}'.`,
    );
  return config;
}

/**
 * Writes DIR/ca.json atomically (a temporary file renamed over it): a `certlab serve` starting
 * meanwhile reads the old file or the new one, never half of one.
 */
export async function writeCaConfig(dir: string, config: CaConfig): Promise<void> {
  // Loaded here (~40 ms), not by every ca command: most of them never write ca.json.
  const { writeFileAtomic } = await import('@certlab/store-sim');
  await writeFileAtomic(join(dir, CA_CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`, 0o600);
}

/**
 * Opens the CA of a configuration over a database; `signingWorkers` as createAuthority takes it.
 * Without `create`, a database that holds no CA is exit 2 rather than a new CA.
 */
export async function openAuthority(
  config: CaConfig,
  db: DbLocation,
  options: {
    readonly signingWorkers?: number;
    /** Active Directory publication, for a CA being created (its database keeps it). */
    readonly ldap?: LdapPublication;
    readonly httpUrls?: boolean;
    /** Create the database and the CA when there are none (ca init, serve's first start). */
    readonly create?: boolean;
    /** The CA key passphrase ({@link caKeyPassphrase}). */
    readonly keyPassphrase?: string;
  } = {},
): Promise<CertificationAuthority> {
  const store = await openStore(db, { create: options.create === true });
  try {
    return await createAuthority({
      name: config.name,
      ...(config.rootName !== null ? { root: { name: config.rootName } } : {}),
      keyType: config.keyType,
      baseUrl: config.baseUrl,
      editFlags: config.editFlags,
      ...(config.templates ? { templates: publishedTemplates(config) } : {}),
      db: store,
      // A database that holds no CA (an empty PostgreSQL database, a PGlite folder left by a
      // failed init) is refused, not given a new CA (ERR_CA_NOT_FOUND, told below).
      ...(options.create ? {} : { create: false }),
      ...(options.signingWorkers ? { signingWorkers: options.signingWorkers } : {}),
      ...(options.ldap ? { ldap: options.ldap } : {}),
      ...(options.httpUrls === false ? { httpUrls: false } : {}),
      ...(options.keyPassphrase !== undefined ? { keyPassphrase: options.keyPassphrase } : {}),
    });
  } catch (e) {
    await store.close().catch(() => undefined);
    if (isCaError(e, 'ERR_CA_NOT_FOUND'))
      throw missingDatabase(db, `${databaseText(db)} holds no certlab CA`);
    throw inCliWords(e);
  }
}

/** A library error whose sentence names a library call, told with the command line's way instead. */
function inCliWords(e: unknown): unknown {
  if (isCaError(e, 'ERR_CA_KEY_PASSPHRASE'))
    return new CaError(
      'ERR_CA_KEY_PASSPHRASE',
      "The key passphrase does not decrypt the CA's private key: give the passphrase the CA was created with, or the one last set with certlab ca passphrase.",
      { cause: e },
    );
  return e;
}

/**
 * Opens the CA of --dir (and --db), runs `fn` and closes the database whatever happens.
 *
 * @example
 * ```ts
 * return withCa(ctx, args, 'ca list', async (ca) => { … });
 * ```
 */
export async function withCa<T>(
  ctx: CommandContext,
  args: ParsedArgs,
  command: string,
  fn: (ca: CertificationAuthority, dir: string) => Promise<T>,
  /**
   * `ignoreTemplates`: open the CA with the standard templates, whatever ca.json publishes.
   * `signs`: the command needs the CA's keys (a passphrase is then asked for at a terminal).
   */
  options: { readonly ignoreTemplates?: boolean; readonly signs?: boolean } = {},
): Promise<T> {
  const dir = caDir(ctx, args);
  const config = await requireCaConfig(args, dir);
  const db = caDbLocation(ctx, args, dir, config, command);
  if (db.kind === 'memory')
    throw usageError(
      'a memory: database holds nothing between commands: it is only for trying ca init options.',
      command,
    );
  const keyPassphrase = await caKeyPassphrase(ctx, args, command, config, options.signs === true);
  const { templates: _published, ...standard } = config;
  const ca = await openAuthority(
    options.ignoreTemplates ? standard : config,
    db,
    keyPassphrase !== undefined ? { keyPassphrase } : {},
  );
  try {
    return await fn(ca, dir);
  } catch (e) {
    // The library's sentence names its option too; here only the command line's applies.
    if (isCaError(e, 'ERR_CA_KEY_LOCKED'))
      throw new CaError(
        'ERR_CA_KEY_LOCKED',
        `${command} signs with the CA's private keys, which are encrypted: give the key passphrase with --key-passphrase-file F (at a terminal, the command asks for it).`,
        { cause: e },
      );
    throw inCliWords(e);
  } finally {
    await ca.close();
  }
}

/**
 * The CA directory as a shell word for a command line printed to the user: relative to the
 * current directory when it is inside it, quoted when it needs to be.
 *
 * @example
 * ```ts
 * await displayCaDir(ctx, '/home/me/my pki'); // "'my pki'" when run in /home/me
 * ```
 */
export async function displayCaDir(ctx: CommandContext, dir: string): Promise<string> {
  // The lab package is loaded for its shell quoting (~60 ms) only by the commands that print a
  // command line to run next, not by every ca command.
  const { shellWord } = await import('@certlab/lab');
  return shellWord(dir.startsWith(`${ctx.io.cwd}/`) ? dir.slice(ctx.io.cwd.length + 1) : dir);
}

/**
 * Writes CA certificates and CRLs (DER) to DIR/CertEnroll under AD CS's file names, where the CDP
 * and AIA URLs find them, replacing older copies.
 *
 * @example
 * ```ts
 * await writeCertEnroll(ctx, dir, [...caCertificateFiles(ca), ...published.map(crlFile)]);
 * ```
 */
export async function writeCertEnroll(
  ctx: CommandContext,
  dir: string,
  files: readonly CertEnrollFile[],
): Promise<void> {
  const folder = join(dir, CERT_ENROLL_DIR);
  await mkdir(folder, { recursive: true });
  for (const f of files) await writeOutput(ctx.io, join(folder, f.name), f.der, { force: true });
}

/** The --enc value. */
export function encOption(args: ParsedArgs, command: string): 'b64' | 'bin' {
  return choiceOption(args, 'enc', ['b64', 'bin'], 'b64', command);
}

/** A positive request id from --id. */
export function requestIdOption(args: ParsedArgs, command: string): number | undefined {
  const v = stringOption(args, 'id');
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v.trim()) || Number(v) < 1 || !Number.isSafeInteger(Number(v)))
    throw usageError(`--id must be a request id (a positive integer), not '${v}'.`, command);
  return Number(v);
}

/** A required request id. */
export function requireRequestId(args: ParsedArgs, command: string): number {
  const id = requestIdOption(args, command);
  if (id === undefined) throw usageError('--id is required.', command);
  return id;
}

/** What an output file holds, for summaries: `PEM`, `DER`, `PKCS #7 (.p7b), Base64`. */
export function encodingText(enc: 'b64' | 'bin', chain: boolean): string {
  if (chain) return `PKCS #7 (.p7b) with ${enc === 'b64' ? 'Base64, CRLF' : 'DER'}`;
  return enc === 'b64' ? 'PEM, CRLF' : 'DER';
}

/** The signed HRESULT in decimal, as certreq prints it in parentheses. */
function signed(hresult: number): number {
  return hresult | 0;
}

/**
 * A request's state in `certreq`'s words: `Certificate retrieved(Issued) Issued`, `Certificate
 * request is pending: Taken Under Submission (0)`, `Certificate not issued (Denied) Denied by
 * Policy Module  0x80094800, …` followed by the status line.
 *
 * @example
 * ```ts
 * dispositionLines(result); // ['Certificate retrieved(Issued) Issued']
 * ```
 */
export function dispositionLines(r: RequestResult): string[] {
  switch (r.disposition) {
    case 'issued':
      return [`Certificate retrieved(Issued) ${r.message}`];
    case 'revoked':
      return [`Certificate retrieved(Revoked) ${r.message}`];
    case 'pending':
      return [`Certificate request is pending: ${r.message} (${signed(r.hresult)})`];
    case 'denied':
      return [`Certificate not issued (Denied) ${r.message}`, r.status];
  }
}

/** `RequestId: 3` and `RequestId: "3"`, as certreq prints them. */
export function requestIdLines(r: RequestResult): string[] {
  return [`RequestId: ${r.requestId}`, `RequestId: "${r.requestId}"`];
}

/** The issued (or requested) common name of a request. */
export function commonNameOf(r: RequestResult): string | undefined {
  if (r.certificate) return r.certificate.subject.commonName;
  if (!r.subject) return undefined;
  try {
    return Name.parse(r.subject).commonName;
  } catch {
    return undefined;
  }
}

/**
 * A request as JSON: id, disposition (and its CR_DISP code), message, HRESULT, status text,
 * template, subject, requester, dates, and the certificate's serial, validity and PEM.
 *
 * @example
 * ```ts
 * writeJson(ctx.io.stdout, await requestJson(result));
 * ```
 */
export async function requestJson(r: RequestResult): Promise<Json> {
  const c = r.certificate;
  return {
    requestId: r.requestId,
    disposition: r.disposition,
    dispositionCode: r.dispositionCode,
    message: r.message,
    hresult: hresultHex(r.hresult),
    status: r.status,
    template: r.template ?? null,
    subject: r.subject ?? null,
    commonName: commonNameOf(r) ?? null,
    requester: r.requester?.name ?? null,
    attributes: r.attributes ?? null,
    submittedAt: isoSeconds(r.submittedAt),
    resolvedAt: r.resolvedAt ? isoSeconds(r.resolvedAt) : null,
    serialNumber: r.serialNumber ?? null,
    notBefore: c ? isoSeconds(c.notBefore) : null,
    notAfter: c ? isoSeconds(c.notAfter) : null,
    thumbprint: c ? await c.thumbprint() : null,
    revokedAt: r.revokedAt ? isoSeconds(r.revokedAt) : null,
    revocationReason: r.revocationReason ?? null,
    certificate: c ? c.toPem() : null,
  };
}
