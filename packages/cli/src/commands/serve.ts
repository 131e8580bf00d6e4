// `certlab serve`: the certsrv web-enrollment site of the CA in DIR, over HTTP and HTTPS. On first
// start in an empty directory it creates the CA hierarchy (as `ca init` does), the web accounts
// and the server's own TLS certificate, and prints the URLs, the CA thumbprint and the
// credentials. `npm start` runs it with the defaults under ./.certlab.

import { chmod, mkdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  CaError,
  type CertificationAuthority,
  type CertsrvLogEntry,
  type CertsrvServer,
  certEnrollFiles,
  defaultServicePrincipalNames,
  EXTENDED_PROTECTION_MODES,
  generatePassword,
  isServicePrincipalName,
  issueTlsCertificate,
  parseUserSpec,
  startCertsrv,
  type UserDirectory,
} from '@certlab/ca-sim';
import { readCertificates } from '@certlab/pki';
import { writeFileAtomic } from '@certlab/store-sim';
import { booleanOption, choiceOption, listOption, stringOption } from '../args.js';
import {
  type CaConfig,
  caDbLocation,
  caDir,
  caKeyPassphrase,
  DB_OPTION,
  DIR_OPTION,
  describeDb,
  KEY_PASSPHRASE_OPTION,
  openAuthority,
  readCaConfig,
} from '../ca-support.js';
import { CliError, EXIT, usageError } from '../cli-error.js';
import type { Command, CommandContext } from '../command.js';
import { fileExists } from '../files.js';
import { writeJson, writeLines } from '../output.js';
import {
  DOMAIN_OPTION,
  readUsers,
  USERS_FILE,
  USERS_OPTION,
  type UsersFileEvent,
  usersFileLock,
  usersFileOf,
  watchUsersFile,
  writeUsers,
} from '../users-file.js';
import { createCaInDir } from './ca-init.js';

const NAME = 'serve';
const TLS_DIR = 'tls';
const DAY = 86_400_000;

export const serve: Command = {
  name: NAME,
  summary: 'Run the CA\u2019s certsrv web-enrollment site (HTTP and HTTPS).',
  usage: [
    'serve [--dir DIR] [--host H] [--port 8080] [--https-port 8443] [--no-https | --require-ssl]',
    '    [--user NAME:PASS]... [--admin NAME:PASS]... [--users FILE] [--domain NAME] [--lang en|fr]',
    '    [--ntlm [--no-negotiate] [--extended-protection none|allow|require] [--spn HTTP/NAME]...] [--no-basic]',
    '    [--db URL] [--key-passphrase-file F] [--tls-name NAME]... [--key-type ec|rsa] [--workers N]',
    '    [--log text|json|none] [--format text|json]',
  ],
  description: `Serves /certsrv (home, CA certificate/chain/CRL downloads, saved-request and in-browser requests, certfnsh.asp results, pending checks), the anonymous /CertEnroll/ files, the administrator console /certsrv/admin/ and /health, answering as AD CS web enrollment does. Sign-in is HTTP Basic with the accounts of DIR/${USERS_FILE} (scrypt-hashed), and NTLM with --ntlm; --user and --admin add or replace accounts (administrators reach the console); the certlab user commands (list, add, set, remove) manage them and what the directory knows of them, and the running site applies every change of the file within a moment (a line in the log says so). With --ntlm the site also offers Windows Integrated authentication (Negotiate, NTLM; NTLMv2), and users.json keeps NT hashes from then on; --no-basic leaves HTTP Basic out; --require-ssl answers /certsrv over HTTP with IIS's 403 (Require SSL), leaving CertEnroll and /health on HTTP; --extended-protection allow|require turns on IIS's Extended Protection for NTLM sign-ins (KB5005413's mitigation of NTLM relay): over HTTPS the client's channel binding must name this site's certificate, over HTTP its SPN one of --spn (default HTTP/ with the CA's server name, each --tls-name, a specific --host, localhost, 127.0.0.1 and [::1]); require also refuses clients that send neither. On first start in a directory without a CA it creates one (a root and an issuing CA, as ca init does, with CDP/AIA URLs on this server), the accounts "user" and "admin" with generated passwords unless given, and a TLS certificate issued by the CA for localhost and each --tls-name (kept in DIR/${TLS_DIR}, renewed when it is 30 days from expiry or lacks a name); it prints the URLs, the CA thumbprint and the credentials. Passwords are printed only when generated. Request logs go to stderr (text on a terminal, JSON lines otherwise). Ctrl-C (SIGINT) or SIGTERM stops it gracefully: requests in flight finish.`,
  options: [
    DIR_OPTION,
    {
      name: 'host',
      type: 'string',
      value: 'H',
      help: 'Interface to listen on (default 127.0.0.1; 0.0.0.0 for every interface).',
    },
    {
      name: 'port',
      type: 'string',
      short: 'p',
      value: 'PORT',
      help: 'HTTP port (default 8080; 0 = any free port).',
    },
    {
      name: 'https-port',
      type: 'string',
      value: 'PORT',
      help: 'HTTPS port (default 8443; 0 = any free port).',
    },
    { name: 'no-https', type: 'boolean', help: 'Serve HTTP only.' },
    {
      name: 'require-ssl',
      type: 'boolean',
      help: "IIS's Require SSL on /certsrv: over HTTP it answers 403 (CertEnroll and /health stay on HTTP).",
    },
    {
      name: 'ntlm',
      type: 'boolean',
      help: 'Windows Integrated authentication too (Negotiate and NTLM, NTLMv2): users.json then keeps NT hashes.',
    },
    { name: 'no-basic', type: 'boolean', help: 'No HTTP Basic (with --ntlm: as a default IIS install).' },
    {
      name: 'extended-protection',
      type: 'string',
      value: 'none|allow|require',
      help: "With --ntlm: IIS's Extended Protection (tokenChecking); default none, as IIS.",
    },
    {
      name: 'spn',
      type: 'string',
      multiple: true,
      value: 'HTTP/NAME',
      help: 'With --extended-protection: an SPN NTLM clients may name over HTTP (default HTTP/ with the CA server name, each --tls-name, a specific --host, localhost, 127.0.0.1, [::1]).',
    },
    {
      name: 'no-negotiate',
      type: 'boolean',
      help: 'With --ntlm: offer NTLM but not Negotiate (NTLM bare or in SPNEGO), for clients that would try Kerberos under Negotiate.',
    },
    {
      name: 'user',
      type: 'string',
      multiple: true,
      value: 'NAME:PASS',
      help: 'An enrollment account (DOMAIN\\name, name@domain or name), added to DIR/users.json. PASS is visible to other local users: prefer certlab user add NAME --password-file F, or --users FILE.',
    },
    {
      name: 'admin',
      type: 'string',
      multiple: true,
      value: 'NAME:PASS',
      help: 'A CA administrator account (the console). PASS is visible to other local users: prefer certlab user add NAME --admin --password-file F.',
    },
    USERS_OPTION,
    DOMAIN_OPTION,
    {
      name: 'lang',
      type: 'string',
      value: 'en|fr',
      help: 'Page language when the browser does not ask for one (default en).',
    },
    DB_OPTION,
    KEY_PASSPHRASE_OPTION,
    {
      name: 'tls-name',
      type: 'string',
      multiple: true,
      value: 'NAME',
      help: 'A DNS name or IP address for the HTTPS certificate besides localhost, 127.0.0.1 and ::1.',
    },
    {
      name: 'key-type',
      type: 'string',
      value: 'ec|rsa',
      help: 'CA key algorithm when the CA is created (default rsa, as AD CS).',
    },
    {
      name: 'workers',
      type: 'string',
      value: 'N',
      help: 'Worker threads that decode, check and sign requests (default 0: the main thread does it; 2 on a 2-core machine under load).',
    },
    { name: 'log', type: 'string', value: 'text|json|none', help: 'Request log format on stderr.' },
    {
      name: 'format',
      type: 'string',
      value: 'text|json',
      help: 'Start-up report: text (default) or one JSON object.',
    },
  ],
  examples: [
    'serve',
    'serve --dir ./pki --port 80 --https-port 443 --host 0.0.0.0 --tls-name pki.contoso.com',
    'serve --user "CONTOSO\\exchadmin:Passw0rd!" --admin "CONTOSO\\caadmin:S3cret!" --lang fr',
  ],
  async run(ctx, args) {
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', NAME);
    const logFormat = choiceOption(
      args,
      'log',
      ['text', 'json', 'none'],
      ctx.io.isTTY ? 'text' : 'json',
      NAME,
    );
    const lang = choiceOption(args, 'lang', ['en', 'fr'], 'en', NAME);
    const host = stringOption(args, 'host') ?? '127.0.0.1';
    const port = portOption(args, 'port', 8080);
    const https = !booleanOption(args, 'no-https');
    const requireSsl = booleanOption(args, 'require-ssl');
    if (requireSsl && !https)
      throw usageError('--require-ssl needs the HTTPS listener: drop --no-https.', NAME);
    const ntlm = booleanOption(args, 'ntlm');
    const basic = !booleanOption(args, 'no-basic');
    const negotiate = !booleanOption(args, 'no-negotiate');
    if (!negotiate && !ntlm) throw usageError('--no-negotiate needs --ntlm.', NAME);
    if (!ntlm && !basic) throw usageError('--no-basic needs --ntlm: the site needs a way to sign in.', NAME);
    const extendedProtection = choiceOption(
      args,
      'extended-protection',
      EXTENDED_PROTECTION_MODES,
      'none',
      NAME,
    );
    if (extendedProtection !== 'none' && !ntlm)
      throw usageError('--extended-protection needs --ntlm: it protects NTLM sign-ins.', NAME);
    const spns = listOption(args, 'spn');
    for (const spn of spns)
      if (!isServicePrincipalName(spn))
        throw usageError(
          `--spn takes a service principal name such as HTTP/ca01.contoso.com, not '${spn}'.`,
          NAME,
        );
    if (spns.length > 0 && extendedProtection === 'none')
      throw usageError('--spn needs --extended-protection allow or require.', NAME);
    const httpsPort = portOption(args, 'https-port', 8443);
    const users = [
      ...listOption(args, 'user').map((s) => spec(ctx, s, false)),
      ...listOption(args, 'admin').map((s) => spec(ctx, s, true)),
    ];
    const dir = caDir(ctx, args);
    const workersText = stringOption(args, 'workers') ?? '0';
    if (!/^\d{1,2}$/.test(workersText) || Number(workersText) > 64)
      throw usageError(`--workers must be a number of threads (0-64), not '${workersText}'.`, NAME);
    const signingWorkers = Number(workersText);

    // The ports first: a start that cannot listen must not create the CA, nor accounts whose
    // generated passwords would then never be shown, nor record a base URL with a port it never had.
    if (https && port !== 0 && port === httpsPort)
      throw usageError(`--port and --https-port are both ${port}: HTTP and HTTPS need a port each.`, NAME);
    await assertCanListen(host, port, '--port');
    if (https) await assertCanListen(host, httpsPort, '--https-port');

    const existing = await readCaConfig(dir);
    const created = !existing;
    const urlHost = host === '0.0.0.0' || host === '::' || host === '127.0.0.1' ? 'localhost' : host;
    // --key-type matters (and is checked) only when the CA is created.
    const config: CaConfig = existing ?? {
      name: 'Contoso Issuing CA',
      rootName: 'Contoso Root CA',
      keyType: choiceOption(args, 'key-type', ['ec', 'rsa'], 'rsa', NAME),
      baseUrl: `http://${urlHost.includes(':') ? `[${urlHost}]` : urlHost}${port === 80 || port === 0 ? '' : `:${port}`}`,
      db: null,
      editFlags: [],
    };
    // Parsed once: it opens (or creates) the CA and names the database in the report.
    const db = caDbLocation(ctx, args, dir, existing, NAME);
    if (db.kind === 'memory') throw usageError('serve keeps its CA: use pglite:PATH or postgres://…', NAME);

    // The accounts before the CA: a users file that cannot be used (or a bad --domain or --user)
    // must not leave a new CA behind in DIR. Nothing is written until the server listens.
    const usersFile = usersFileOf(ctx, args);
    const accounts = await loadAccounts(
      ctx,
      usersFile,
      stringOption(args, 'domain') ?? 'CONTOSO',
      users,
      ntlm,
    );
    let ca: CertificationAuthority;
    try {
      // Asked for at a terminal when the existing CA's keys are encrypted: the site signs.
      const keyPassphrase = await caKeyPassphrase(ctx, args, NAME, existing, true);
      const options = { signingWorkers, ...(keyPassphrase !== undefined ? { keyPassphrase } : {}) };
      ca = created
        ? (await createCaInDir(ctx, dir, config, db, options)).ca
        : await openAuthority(config, db, options);
      // Without signing workers a locked CA would open, then answer every submission with an
      // error page: the site does not start.
      if (ca.keyProtection === 'locked') {
        await ca.close();
        throw new CaError(
          'ERR_CA_KEY_LOCKED',
          "The CA's private keys are encrypted and the site signs: give serve the key passphrase with --key-passphrase-file F, or start it at a terminal to be asked for it.",
        );
      }
    } catch (e) {
      await accounts.release();
      throw e;
    }

    let server: CertsrvServer | undefined;
    let stopWatching: (() => void) | undefined;
    try {
      const tls = https ? await tlsCredentials(ca, dir, listOption(args, 'tls-name')) : undefined;
      const log = logger(ctx, logFormat);
      // The names a client may use for this site: the CA's server name, the TLS certificate's,
      // and the interface it listens on when that is a specific one.
      const servicePrincipalNames =
        spns.length > 0
          ? spns
          : defaultServicePrincipalNames([ca.points.serverDnsName, ...listOption(args, 'tls-name'), urlHost]);
      server = await startCertsrv({
        ca,
        users: accounts.directory,
        ntlm,
        negotiate,
        basic,
        requireSsl,
        extendedProtection,
        servicePrincipalNames,
        host,
        port,
        defaultLanguage: lang,
        ...(tls ? { https: { port: httpsPort, key: tls.key, cert: tls.cert } } : {}),
        ...(log ? { log } : {}),
      });
      // Saved once the server listens, so that generated passwords are never stored unshown.
      await accounts.save();
      // From now on `certlab user …` (or an edit) changes the accounts of the running site.
      stopWatching = watchUsersFile(
        usersFile,
        accounts.directory,
        (e) => notice(ctx, logFormat, e, usersFile),
        { ntlm },
      );
      // The root clients must trust for this site's certificates: the one that signed the
      // issuing CA (after a root renewal with a new key, the older root until the issuing CA is
      // renewed too).
      const thumbprint = await ca.chain.at(-1)!.thumbprint();
      const issuingThumbprint = await ca.certificate.thumbprint();
      const pageUrl = (u: string) => `${u.replace('//127.0.0.1:', '//localhost:')}/certsrv/`;
      const siteUrl = server.url.replace('//127.0.0.1:', '//localhost:');
      // The CertEnroll folder itself is not listed (IIS 403.14): the report names its files.
      const enrollFiles = (await certEnrollFiles(ca)).map(
        (f) => `${siteUrl}/CertEnroll/${encodeURIComponent(f.name).replace(/%2B/g, '+')}`,
      );
      const report = {
        outcome: created ? 'created' : 'opened',
        dir,
        database: describeDb(db),
        ca: ca.name,
        rootCa: ca.rootName ?? null,
        rootThumbprint: thumbprint,
        issuingThumbprint,
        http: pageUrl(server.url),
        https: server.httpsUrl ? pageUrl(server.httpsUrl) : null,
        console: `${pageUrl(server.httpsUrl ?? server.url)}admin/`,
        certEnroll: `${siteUrl}/CertEnroll/`,
        certEnrollFiles: enrollFiles,
        health: `${siteUrl}/health`,
        rootCertificate: join(dir, 'CertEnroll'),
        signIn: [
          ...(ntlm ? (negotiate ? ['Negotiate', 'NTLM'] : ['NTLM']) : []),
          ...(basic ? ['Basic'] : []),
        ],
        extendedProtection,
        ...(extendedProtection === 'none' ? {} : { servicePrincipalNames }),
        requireSsl,
        editFlags: ca.editFlags,
        withoutNtHash: accounts.directory.withoutNtHash(),
        accounts: accounts.directory.list().map((a) => ({
          name: a.name,
          admin: a.admin,
          password: accounts.generated.get(a.name) ?? null,
          given: accounts.fromCommandLine.has(a.name),
        })),
      };
      if (format === 'json') writeJson(ctx.io.stdout, report);
      else writeLines(ctx.io.stdout, reportLines(report, dir));
      await waitForStop(ctx);
      if (format === 'text') writeLines(ctx.io.stdout, ['Stopping: letting requests in flight finish\u2026']);
    } finally {
      await accounts.release();
      stopWatching?.();
      await server?.close();
      await ca.close();
    }
    return EXIT.ok;
  },
};

function portOption(args: Parameters<Command['run']>[1], name: string, fallback: number): number {
  const v = stringOption(args, name);
  if (v === undefined) return fallback;
  if (!/^\d{1,5}$/.test(v) || Number(v) > 65535)
    throw usageError(`--${name} must be a port number (0-65535), not '${v}'.`, NAME);
  return Number(v);
}

function spec(
  ctx: CommandContext,
  text: string,
  admin: boolean,
): { name: string; password: string; admin: boolean } {
  let parsed: { name: string; password: string };
  try {
    parsed = parseUserSpec(text);
  } catch (e) {
    throw usageError(`--${admin ? 'admin' : 'user'}: ${(e as Error).message}`, NAME);
  }
  ctx.secrets.add(parsed.password);
  return { ...parsed, admin };
}

/** DIR/users.json, created with generated accounts on first start, updated with --user/--admin. */
async function loadAccounts(
  ctx: CommandContext,
  file: string,
  domain: string,
  given: readonly { name: string; password: string; admin: boolean }[],
  ntlm: boolean,
): Promise<{
  directory: UserDirectory;
  generated: Map<string, string>;
  /** The accounts --user / --admin gave on this start (their passwords are the caller's). */
  fromCommandLine: Set<string>;
  /** Writes the file if this start changed it, and lets go of its write lock. */
  save(): Promise<void>;
  /** Lets go of the write lock without writing (a start that failed). */
  release(): Promise<void>;
}> {
  // Held from this read to the write in save(): a `certlab user` command run meanwhile waits
  // instead of being overwritten by what was read here.
  const lock = await usersFileLock(file);
  try {
    return await readAccounts(ctx, file, domain, given, ntlm, lock);
  } catch (e) {
    await lock.release();
    throw e;
  }
}

async function readAccounts(
  ctx: CommandContext,
  file: string,
  domain: string,
  given: readonly { name: string; password: string; admin: boolean }[],
  ntlm: boolean,
  lock: { release(): Promise<void> },
): Promise<Awaited<ReturnType<typeof loadAccounts>>> {
  const generated = new Map<string, string>();
  let changed = false;
  const existed = await fileExists(ctx.io, file);
  const directory = await readUsers(ctx, file, { create: true, domain });
  // NTLM needs the NT hashes: kept from now on, for each password set from now on.
  if (ntlm && !directory.ntlm) {
    directory.ntlm = true;
    changed = true;
  }
  if (!existed) {
    if (!given.some((u) => !u.admin)) {
      const password = generatePassword();
      ctx.secrets.add(password);
      generated.set((await directory.add('user', password)).name, password);
    }
    if (!given.some((u) => u.admin)) {
      const password = generatePassword();
      ctx.secrets.add(password);
      generated.set((await directory.add('admin', password, { admin: true })).name, password);
    }
  }
  const fromCommandLine = new Set<string>();
  for (const u of given)
    try {
      fromCommandLine.add((await directory.add(u.name, u.password, { admin: u.admin })).name);
    } catch (e) {
      // The library's TypeError is about the name given (control characters…): a usage error.
      if (e instanceof TypeError) throw usageError(`--${u.admin ? 'admin' : 'user'}: ${e.message}`, NAME);
      throw e;
    }
  const save = async () => {
    try {
      if (!changed && generated.size === 0 && given.length === 0) return;
      await writeUsers(directory, file);
    } finally {
      await lock.release();
    }
  };
  return { directory, generated, fromCommandLine, save, release: () => lock.release() };
}

/**
 * Refuses, as exit 1, a port this process cannot listen on (in use, or privileged), before the
 * first start creates anything. Port 0 (any free port) always works.
 */
async function assertCanListen(host: string, port: number, flag: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  }).catch((e: NodeJS.ErrnoException) => {
    const why =
      e.code === 'EADDRINUSE'
        ? 'another program listens there'
        : e.code === 'EACCES'
          ? 'ports below 1024 need administrator rights'
          : e.message;
    throw new CliError(
      EXIT.failed,
      `cannot listen on ${host}:${port} (${e.code ?? 'error'}: ${why}): choose another ${flag}, or 0 for any free port. Nothing was created or changed.`,
    );
  });
}

/** DIR/tls/server.key + server.pem, issued by the CA when missing, near expiry, or lacking a name. */
async function tlsCredentials(
  ca: CertificationAuthority,
  dir: string,
  names: readonly string[],
): Promise<{ key: string; cert: string }> {
  const folder = join(dir, TLS_DIR);
  const keyFile = join(folder, 'server.key');
  const certFile = join(folder, 'server.pem');
  try {
    const [key, cert] = await Promise.all([readFile(keyFile, 'utf8'), readFile(certFile, 'utf8')]);
    const leaf = readCertificates(cert)[0];
    const have = new Set(
      (leaf?.subjectAltNames ?? []).map((n) => String((n as { value?: unknown }).value ?? '').toLowerCase()),
    );
    const fresh =
      leaf !== undefined &&
      leaf.notAfter.getTime() - Date.now() > 30 * DAY &&
      leaf.issuer.equals(ca.certificate.subject);
    if (fresh && names.every((n) => have.has(n.toLowerCase()))) return { key, cert };
  } catch {
    // Missing or unreadable: issue a new one below.
  }
  const tls = await issueTlsCertificate(ca, names);
  // mkdir's mode applies only to a folder it creates; one made before (by hand, by an older
  // certlab) keeps its mode, and it holds a private key.
  await mkdir(folder, { recursive: true, mode: 0o700 });
  await chmod(folder, 0o700);
  // A random temporary name, created exclusively with mode 0600 and renamed over the old key:
  // never a file someone else made (or linked) at a name known in advance.
  await writeFileAtomic(keyFile, tls.key, 0o600);
  await writeFileAtomic(certFile, tls.cert, 0o644);
  return tls;
}

/** A line on stderr, in the request log's format, when the accounts file was reloaded or refused. */
function notice(
  ctx: CommandContext,
  format: 'text' | 'json' | 'none',
  e: UsersFileEvent,
  file: string,
): void {
  if (format === 'none') return;
  const time = new Date().toISOString();
  if (format === 'json') ctx.io.stderr.write(`${JSON.stringify({ time, ...e, file })}\n`);
  else if (e.event === 'users-reloaded')
    ctx.io.stderr.write(`${time} accounts reloaded from ${file}: ${e.accounts}\n`);
  else ctx.io.stderr.write(`${time} accounts of ${file} not applied, the previous ones kept: ${e.reason}\n`);
}

function logger(
  ctx: CommandContext,
  format: 'text' | 'json' | 'none',
): ((e: CertsrvLogEntry) => void) | undefined {
  if (format === 'none') return undefined;
  if (format === 'json') return (e) => ctx.io.stderr.write(`${JSON.stringify(e)}\n`);
  return (e) =>
    ctx.io.stderr.write(
      `${e.time} ${e.status} ${e.method} ${e.path} ${e.ms}ms${e.user ? ` ${e.user}` : ''}${e.event ? ` ${e.event}` : ''}\n`,
    );
}

function reportLines(
  r: {
    outcome: string;
    ca: string;
    rootCa: string | null;
    rootThumbprint: string;
    http: string;
    https: string | null;
    console: string;
    certEnroll: string;
    certEnrollFiles: string[];
    health: string;
    database: string;
    signIn: string[];
    extendedProtection: string;
    servicePrincipalNames?: readonly string[];
    requireSsl: boolean;
    editFlags: readonly string[];
    withoutNtHash: string[];
    accounts: { name: string; admin: boolean; password: string | null; given: boolean }[];
  },
  dir: string,
): string[] {
  const lines = [
    r.outcome === 'created' ? `Created the CA "${r.ca}" in ${dir}` : `Serving the CA "${r.ca}" from ${dir}`,
    `  Database:        ${r.database}`,
    `  Root CA:         ${r.rootCa ?? r.ca}`,
    `  Root thumbprint: ${r.rootThumbprint} (SHA-1, as certmgr shows it)`,
    ...(r.editFlags.length > 0 ? [`  EditFlags:       ${r.editFlags.join(', ')}`] : []),
    '',
    `certsrv (HTTP):   ${r.http}${r.requireSsl ? ' (403: --require-ssl; CertEnroll stays on HTTP)' : ''}`,
  ];
  if (r.https) lines.push(`certsrv (HTTPS):  ${r.https}`);
  lines.push(
    `Console:          ${r.console}`,
    `CertEnroll:       ${r.certEnroll} (anonymous; the folder is not listed, its files are:)`,
    ...r.certEnrollFiles.map((u) => `                  ${u}`),
    `Health:           ${r.health}`,
    '',
    ...(r.extendedProtection === 'none'
      ? []
      : [
          `NTLM Extended Protection: ${r.extendedProtection} (channel binding over HTTPS; over HTTP the SPNs ${(r.servicePrincipalNames ?? []).join(', ')})`,
          '',
        ]),
    `Accounts (${r.signIn.map((x) => (x === 'Basic' ? 'HTTP Basic' : x)).join(', ')}):`,
  );
  for (const a of r.accounts)
    lines.push(
      `  ${a.name}${a.admin ? ' (CA administrator)' : ''}  password: ${a.password ?? (a.given ? '(as given on the command line)' : '(set earlier; not shown)')}`,
    );
  if (r.accounts.some((a) => a.password))
    lines.push('', 'The passwords are shown once; they are stored hashed in users.json.');
  if (r.withoutNtHash.length > 0)
    lines.push(
      '',
      `No NT hash yet for ${r.withoutNtHash.join(', ')} (their passwords were set before NTLM was on): they sign in with Basic until their password is set again (certlab user set NAME --password-file F).`,
    );
  lines.push('', 'Press Ctrl-C to stop.');
  return lines;
}

function waitForStop(ctx: CommandContext): Promise<void> {
  return new Promise((resolve) => {
    const signal = ctx.io.signal;
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    if (signal) {
      if (signal.aborted) return done();
      signal.addEventListener('abort', done, { once: true });
      return;
    }
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
