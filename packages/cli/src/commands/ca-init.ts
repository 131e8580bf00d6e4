// `certlab ca init`: create the CA hierarchy (a root and an issuing CA, or one standalone CA) in
// a directory, publish its certificates and first CRLs in DIR/CertEnroll, and record its names in
// DIR/ca.json so that the other `ca` commands can open it.

import { mkdir } from 'node:fs/promises';
import {
  type CertificationAuthority,
  caCertificateFiles,
  checkLdapPublication,
  crlFile,
  type EditFlag,
  type LdapPublication,
  type PublishedCrl,
} from '@certlab/ca-sim';
import { booleanOption, choiceOption, stringOption } from '../args.js';
import { caCertLines, caCertSummary, caCrlLines } from '../ca-summary.js';
import {
  CA_CONFIG_FILE,
  type CaConfig,
  CERT_ENROLL_DIR,
  caDbLocation,
  caDir,
  caKeyPassphrase,
  DB_OPTION,
  type DbLocation,
  DIR_OPTION,
  dbUrlText,
  describeDb,
  displayCaDir,
  KEY_PASSPHRASE_OPTION,
  openAuthority,
  readCaConfig,
  writeCaConfig,
  writeCertEnroll,
} from '../ca-support.js';
import { EXIT, failure, usageError } from '../cli-error.js';
import type { Command, CommandContext } from '../command.js';
import { FORMAT_OPTION } from '../common-options.js';
import type { Json } from '../format/json-value.js';
import { writeJson, writeLines } from '../output.js';

const NAME = 'ca init';
const DEFAULT_ISSUING = 'Contoso Issuing CA';
const DEFAULT_STANDALONE = 'Contoso CA';
const DEFAULT_ROOT = 'Contoso Root CA';
const DEFAULT_BASE_URL = 'http://pki.contoso.com';

export const caInit: Command = {
  name: NAME,
  summary: 'Create a CA: a root and an issuing CA (or one standalone CA) with its database.',
  usage: [
    'ca init [--dir DIR] [--name CN] [--root-name CN | --standalone] [--key-type ec|rsa]',
    '    [--base-url URL] [--ldap CONFIG-DN [--ldap-server NAME] [--ldap-only]] [--attribute-san]',
    '    [--attribute-end-date] [--key-passphrase-file F] [--db URL] [--format text|json]',
  ],
  description: `Creates the CA hierarchy in DIR (default ./.certlab): a self-signed root CA and an issuing CA it signs (the "CA émettrice"), or with --standalone a single self-signed CA. The CA certificates carry what AD CS puts there (basic constraints, key usage, key identifiers, CA Version, CRL and AIA URLs under <base-url>/CertEnroll/). The request database is PGlite (embedded PostgreSQL) in DIR/db unless --db says otherwise; it holds the CA keys, so it is created with mode 0700. The CA certificates and first CRLs are published in DIR/${CERT_ENROLL_DIR} with AD CS's file names, and the names are recorded in DIR/${CA_CONFIG_FILE}. Running it again on the same DIR with the same names prints the CA (exit 0); with other names it is exit 1.`,
  options: [
    DIR_OPTION,
    {
      name: 'name',
      type: 'string',
      value: 'CN',
      help: `The issuing CA's common name (default "${DEFAULT_ISSUING}"; "${DEFAULT_STANDALONE}" with --standalone).`,
    },
    { name: 'issuing-name', type: 'string', value: 'CN', help: 'Same as --name.' },
    {
      name: 'root-name',
      type: 'string',
      value: 'CN',
      help: `The root CA's common name (default "${DEFAULT_ROOT}").`,
    },
    { name: 'standalone', type: 'boolean', help: 'One self-signed CA, no root above it.' },
    {
      name: 'key-type',
      type: 'string',
      value: 'ec|rsa',
      help: 'CA key algorithm: rsa (RSA 2048, the AD CS default) or ec (ECDSA P-256).',
    },
    {
      name: 'base-url',
      type: 'string',
      value: 'URL',
      help: `Where /CertEnroll/ is served, for the CRL distribution point and AIA URLs (default ${DEFAULT_BASE_URL}).`,
    },
    {
      name: 'ldap',
      type: 'string',
      value: 'CONFIG-DN',
      help: 'The forest configuration container (CN=Configuration,DC=contoso,DC=com): certificates then list ldap:/// CDP and AIA URLs before the HTTP ones, as a default AD CS install does.',
    },
    {
      name: 'ldap-server',
      type: 'string',
      value: 'NAME',
      help: "With --ldap: the CA server's NetBIOS name in the CDP container (default: the first label of --base-url's host, in capitals).",
    },
    { name: 'ldap-only', type: 'boolean', help: 'With --ldap: no HTTP CDP and AIA URLs.' },
    {
      name: 'attribute-san',
      type: 'boolean',
      help: 'Set EDITF_ATTRIBUTESUBJECTALTNAME2: a san: request attribute replaces the SAN of the request.',
    },
    {
      name: 'attribute-end-date',
      type: 'boolean',
      help: 'Set EDITF_ATTRIBUTEENDDATE: ExpirationDate, or ValidityPeriod with ValidityPeriodUnits, request attributes may shorten the validity of the certificate.',
    },
    DB_OPTION,
    KEY_PASSPHRASE_OPTION,
    FORMAT_OPTION,
  ],
  examples: [
    'ca init --dir ./pki',
    'ca init --dir ./pki --name "Contoso Issuing CA" --root-name "Contoso Root CA" --key-type ec',
    'ca init --dir ./lab --standalone --name "Fabrikam CA" --base-url http://pki.fabrikam.com',
    'ca init --dir ./pki --key-passphrase-file ./ca-passphrase.txt',
  ],
  async run(ctx, args) {
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', NAME);
    const standalone = booleanOption(args, 'standalone');
    const name = issuingName(args, standalone);
    const rootOption = stringOption(args, 'root-name');
    if (standalone && rootOption !== undefined)
      throw usageError('--root-name and --standalone exclude each other.', NAME);
    const rootName = standalone ? null : checkedName(rootOption ?? DEFAULT_ROOT, 'root-name');
    const keyType = choiceOption(args, 'key-type', ['ec', 'rsa'], 'rsa', NAME);
    const baseUrl = (stringOption(args, 'base-url') ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    if (!/^https?:\/\/[^/]/i.test(baseUrl) || !URL.canParse(baseUrl))
      throw usageError(`--base-url must be an http:// or https:// URL, not '${baseUrl}'.`, NAME);
    const editFlags: EditFlag[] = [
      ...(booleanOption(args, 'attribute-san') ? (['EDITF_ATTRIBUTESUBJECTALTNAME2'] as const) : []),
      ...(booleanOption(args, 'attribute-end-date') ? (['EDITF_ATTRIBUTEENDDATE'] as const) : []),
    ];
    const ldapDn = stringOption(args, 'ldap');
    const ldapServer = stringOption(args, 'ldap-server');
    const ldapOnly = booleanOption(args, 'ldap-only');
    if (ldapDn === undefined && (ldapServer !== undefined || ldapOnly))
      throw usageError('--ldap-server and --ldap-only go with --ldap CONFIG-DN.', NAME);
    const ldap: LdapPublication | undefined =
      ldapDn === undefined
        ? undefined
        : {
            configurationContainer: ldapDn,
            serverShortName: ldapServer ?? new URL(baseUrl).hostname.split('.')[0]!.toUpperCase(),
          };
    // Checked before the database or the directory is created.
    if (ldap) checkLdapPublication(ldap, [name, ...(rootName !== null ? [rootName] : [])]);
    const dir = caDir(ctx, args);
    const requested: CaConfig = { name, rootName, keyType, baseUrl, db: null, editFlags };

    const existing = await readCaConfig(dir);
    const keyPassphrase = await caKeyPassphrase(ctx, args, NAME, existing, false);
    const withPassphrase = keyPassphrase !== undefined ? { keyPassphrase } : {};
    if (existing) {
      if (existing.name !== name || existing.rootName !== rootName)
        throw failure(
          `${dir} already holds the CA "${existing.name}"${existing.rootName ? ` under "${existing.rootName}"` : ' (standalone)'}.`,
          'Use another --dir, or the same names to show it.',
        );
      const db = caDbLocation(ctx, args, dir, existing, NAME);
      const ca = await openAuthority(existing, db, withPassphrase);
      try {
        await report(ctx, format, ca, dir, db, 'exists', []);
      } finally {
        await ca.close();
      }
      // Its keys stay what they are: a --key-type asking for others is said, not silently dropped.
      if (stringOption(args, 'key-type') !== undefined && existing.keyType !== keyType)
        writeLines(ctx.io.stderr, [
          `certlab: the existing CA keeps its ${existing.keyType.toUpperCase()} keys; --key-type ${keyType} applies to a new CA (another --dir).`,
        ]);
      // The flags of an existing CA are changed by ca editflags, not by running init again.
      const missing = editFlags.filter((f) => !existing.editFlags.includes(f));
      if (missing.length > 0)
        writeLines(ctx.io.stderr, [
          `certlab: the existing CA keeps its EditFlags; to set ${missing.join(', ')}: certlab ca editflags --dir ${await displayCaDir(ctx, dir)}${missing.map((f) => ` --add ${f}`).join('')}`,
        ]);
      return EXIT.ok;
    }

    const db = caDbLocation(ctx, args, dir, undefined, NAME);
    const { ca, published, existed } = await createCaInDir(ctx, dir, requested, db, {
      ...withPassphrase,
      ...(ldap ? { ldap } : {}),
      ...(ldapOnly ? { httpUrls: false } : {}),
    });
    try {
      // A database that already held this CA (a PostgreSQL database given again, ca.json lost)
      // was not created: it was said to be ("Created the CA"), with the old CA's thumbprints.
      const outcome = db.kind === 'memory' ? 'memory' : existed ? 'reconnected' : 'created';
      await report(ctx, format, ca, dir, db, outcome, published);
    } finally {
      await ca.close();
    }
    return EXIT.ok;
  },
};

/**
 * Creates a CA in DIR: opens the database, publishes the first CRLs and the CA files in
 * DIR/CertEnroll and writes DIR/ca.json (nothing is written for a memory: database). The caller
 * closes the returned CA.
 *
 * @example
 * ```ts
 * const { ca } = await createCaInDir(ctx, dir, config, { kind: 'pglite', path: join(dir, 'db') });
 * ```
 */
export async function createCaInDir(
  ctx: CommandContext,
  dir: string,
  requested: CaConfig,
  db: DbLocation,
  options: {
    readonly signingWorkers?: number;
    readonly ldap?: LdapPublication;
    readonly httpUrls?: boolean;
    /** The new CA keeps its private keys encrypted with this passphrase (ca.json records that it does). */
    readonly keyPassphrase?: string;
  } = {},
): Promise<{ ca: CertificationAuthority; published: PublishedCrl[]; existed: boolean }> {
  // PGlite lives in DIR; for PostgreSQL, DIR is made only once the server has answered.
  if (db.kind === 'pglite') await mkdir(dir, { recursive: true, mode: 0o700 });
  // The one place (with serve's first start, which comes here) where a database and its CA are made.
  const ca = await openAuthority(requested, db, { ...options, create: true });
  try {
    if (db.kind === 'postgres') await mkdir(dir, { recursive: true, mode: 0o700 });
    const published: PublishedCrl[] = [];
    // A CA this command made has no CRL yet: one that has was already in the database.
    const existed = db.kind !== 'memory' && (await ca.latestCrl()) !== undefined;
    if (db.kind !== 'memory') {
      // A new CA publishes its CRLs at once (AD CS does at installation); a database that
      // already held this CA (ca.json was removed) keeps its CRL numbers.
      if (!existed) published.push(...(await ca.publishAllCrls()));
      await writeCertEnroll(ctx, dir, [...caCertificateFiles(ca), ...published.map(crlFile)]);
      await writeCaConfig(dir, {
        ...requested,
        db: dbUrlText(db, dir),
        ...(ca.keyProtection !== 'none' ? { keyProtection: 'passphrase' } : {}),
      });
    }
    return { ca, published, existed };
  } catch (e) {
    await ca.close().catch(() => undefined);
    throw e;
  }
}

function checkedName(value: string, option: string): string {
  const v = value.trim();
  if (v === '') throw usageError(`--${option} needs a CA name.`, NAME);
  return v;
}

function issuingName(args: Parameters<Command['run']>[1], standalone: boolean): string {
  const a = stringOption(args, 'name');
  const b = stringOption(args, 'issuing-name');
  if (a !== undefined && b !== undefined && a.trim() !== b.trim())
    throw usageError('--name and --issuing-name are the same option: give one.', NAME);
  const v = a ?? b;
  if (v === undefined) return standalone ? DEFAULT_STANDALONE : DEFAULT_ISSUING;
  return checkedName(v, a !== undefined ? 'name' : 'issuing-name');
}

/** `reconnected`: the database already held this CA; DIR's ca.json and CertEnroll were written for it. JSON says `exists`. */
type Outcome = 'created' | 'exists' | 'reconnected' | 'memory';

async function report(
  ctx: CommandContext,
  format: 'text' | 'json',
  ca: CertificationAuthority,
  dir: string,
  db: DbLocation,
  outcome: Outcome,
  published: readonly PublishedCrl[],
): Promise<void> {
  const roles = ca.standalone ? (['issuing'] as const) : (['root', 'issuing'] as const);
  const cas = [];
  for (const role of roles) {
    const caName = role === 'root' ? ca.rootName! : ca.name;
    const info = ca.caCertificates(role).at(-1)!;
    const base = role === 'root' ? await ca.latestCrl({ authority: 'root' }) : await ca.latestCrl();
    const delta = role === 'root' ? undefined : await ca.latestCrl({ delta: true });
    cas.push({
      role: ca.standalone ? 'standalone' : role,
      ...(await caCertSummary(ca, caName, info, base, delta)),
    });
  }
  const templates = ca.templates.map((t) => t.name);
  if (format === 'json') {
    writeJson(ctx.io.stdout, {
      outcome: outcome === 'reconnected' ? 'exists' : outcome,
      dir,
      database: describeDb(db),
      standalone: ca.standalone,
      baseUrl: ca.points.baseUrl,
      editFlags: ca.editFlags,
      keyProtection: ca.keyProtection,
      cas,
      templates,
      publishedCrls: published.map((p) => p.fileName),
    } satisfies Json);
    return;
  }
  const head =
    outcome === 'created'
      ? `Created the CA in ${dir}`
      : outcome === 'exists'
        ? `The CA already exists in ${dir}: nothing was changed`
        : outcome === 'reconnected'
          ? `The database already holds this CA: nothing was created; ${dir} now names it (ca.json, CertEnroll)`
          : 'Created the CA in memory: nothing was written (--db memory:)';
  const lines = [
    head,
    `  Database:  ${describeDb(db)}`,
    `  Base URL:  ${ca.points.baseUrl}/${CERT_ENROLL_DIR}/`,
  ];
  if (ca.editFlags.length > 0) lines.push(`  EditFlags: ${ca.editFlags.join(', ')}`);
  if (ca.keyProtection !== 'none')
    lines.push('  CA keys:   encrypted with the key passphrase (--key-passphrase-file)');
  for (const c of cas) {
    const title = c.role === 'root' ? 'Root CA' : c.role === 'issuing' ? 'Issuing CA' : 'Standalone CA';
    lines.push('', `${title}: ${c.subject}`, ...caCertLines(c), ...caCrlLines(c));
  }
  lines.push('', `Templates: ${templates.join(', ')}`);
  if (outcome === 'created')
    lines.push(
      '',
      `Next: certlab ca submit --dir ${await displayCaDir(ctx, dir)} REQ --template WebServer --out server.cer`,
    );
  writeLines(ctx.io.stdout, lines);
}
