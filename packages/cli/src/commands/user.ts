// `certlab user list|add|set|remove`: the accounts of the certsrv site (DIR/users.json), with what
// Active Directory would know of each (distinguished name, UPN, e-mail, SID…), as an
// administrator manages them in Active Directory Users and Computers. The templates that build
// the subject from the directory (User, Machine, the domain controller ones) issue over web
// enrollment only to an account that has those values (certsrv reference §12); a running
// `certlab serve` picks every change up at once, as a domain controller would.

import {
  type AccountDirectory,
  type CertsrvAccount,
  generatePassword,
  type UserDirectory,
} from '@certlab/ca-sim';
import { booleanOption, choiceOption, listOption, stringOption } from '../args.js';
import { DIR_OPTION } from '../ca-support.js';
import { CliError, EXIT, failure, usageError } from '../cli-error.js';
import type { Command, CommandContext, OptionSpec, ParsedArgs } from '../command.js';
import { FORMAT_OPTION } from '../common-options.js';
import {
  checkDirectory,
  DIRECTORY_KEYS,
  directoryKeyOf,
  parseDirectoryEntries,
} from '../directory-option.js';
import { columns, writeJson, writeLines } from '../output.js';
import { PASSWORD_FILE_OPTION, passwordOption, promptPassword } from '../password.js';
import {
  changeUsers,
  DOMAIN_OPTION,
  readUsers,
  USERS_OPTION,
  usersFileOf,
  writeUsers,
} from '../users-file.js';

const PASSWORD_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'password',
    type: 'string',
    value: 'P',
    help: 'The account password (visible to other local users: prefer --password-file).',
  },
  PASSWORD_FILE_OPTION,
];

const DIRECTORY_HELP = `${Object.keys(DIRECTORY_KEYS).join(', ')}: the distinguishedName, dNSHostName, userPrincipalName, mail, objectSid, objectGUID and domain DNS name the CA reads from the directory`;

const LIVE_NOTE =
  'A running certlab serve using this file applies the change within a moment (it reads the file again when it changes): a removed account or an old password stops working from then on.';

/** --group GROUP: a group the account is a member of. */
const GROUP_OPTION: OptionSpec = {
  name: 'group',
  type: 'string',
  multiple: true,
  value: 'GROUP',
  help: 'A group the account is a member of, e.g. "CONTOSO\\Domain Admins". Repeatable.',
};

/** The --group values, trimmed, each once (case-insensitively); an empty one is a usage error. */
function groupList(values: readonly string[], command: string): string[] {
  const out: string[] = [];
  for (const v of values) {
    const g = v.trim();
    if (g === '') throw usageError('--group needs a group name such as "CONTOSO\\Domain Admins".', command);
    if (!out.some((o) => o.toLowerCase() === g.toLowerCase())) out.push(g);
  }
  return out;
}

/** Directory attributes as `key=value` words in --directory's spelling, in a fixed order. */
function directoryWords(d: AccountDirectory | undefined): string[] {
  if (!d) return [];
  return Object.values(DIRECTORY_KEYS)
    .filter((f) => d[f] !== undefined)
    .map((f) => `${directoryKeyOf(f)}=${d[f]}`);
}

function accountJson(a: CertsrvAccount) {
  return { name: a.name, admin: a.admin, directory: a.directory ?? {} };
}

function accountLines(a: CertsrvAccount): string[] {
  return [
    `  Account:   ${a.name}${a.admin ? ' (CA administrator)' : ''}`,
    ...directoryWords(a.directory).map((w) => `  Directory: ${w}`),
    ...(a.directory?.groups ?? []).map((g) => `  Member of: ${g}`),
  ];
}

/**
 * What `user add` and `user set` print: the account (JSON: file, account, the password when it
 * was generated here, else null), under `heading` in text, with the generated password shown once
 * or, when `changed`, the word that it changed.
 */
function reportAccount(
  ctx: CommandContext,
  format: string,
  file: string,
  heading: string,
  account: CertsrvAccount,
  password: { shown?: string; changed?: boolean },
): number {
  if (format === 'json') {
    writeJson(ctx.io.stdout, { file, account: accountJson(account), password: password.shown ?? null });
    return EXIT.ok;
  }
  const lines = [heading, ...accountLines(account)];
  if (password.shown !== undefined)
    lines.push(`  Password:  ${password.shown}`, '', 'The password is shown once; it is stored hashed.');
  else if (password.changed) lines.push('  Password:  changed');
  writeLines(ctx.io.stdout, lines);
  return EXIT.ok;
}

/** The account name positional, checked. */
function nameOf(args: ParsedArgs, command: string): string {
  const name = args.positionals[0]?.trim() ?? '';
  if (name === '' || name.endsWith('\\') || name.startsWith('@'))
    throw usageError('give the account name: DOMAIN\\name, name@domain or name.', command);
  return name;
}

/** --password / --password-file, never empty (an account needs a password to sign in with). */
async function accountPassword(ctx: CommandContext, args: ParsedArgs, command: string) {
  const password = await passwordOption(ctx, args, command, 'password', { allowEmpty: true });
  if (password === '') throw usageError('the account password is empty: give a non-empty password.', command);
  return password;
}

/** A password for a new account: the options, else asked twice at a terminal, else generated. */
async function newPassword(
  ctx: CommandContext,
  args: ParsedArgs,
  command: string,
  account: string,
): Promise<{ password: string; generated: boolean }> {
  const given = await accountPassword(ctx, args, command);
  if (given !== undefined) return { password: given, generated: false };
  const typed = await promptPassword(ctx, `Password for ${account} (empty: generate one): `);
  if (typed !== undefined && typed !== '') {
    const again = await promptPassword(ctx, 'Repeat the password: ');
    if (again !== typed) throw usageError('the passwords do not match.', command);
    return { password: typed, generated: false };
  }
  const password = generatePassword();
  ctx.secrets.add(password);
  return { password, generated: true };
}

/** Runs a library call whose TypeError is the caller's input (a malformed attribute): exit 2. */
async function asUsage<T>(command: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof TypeError) throw usageError(e.message, command);
    throw e;
  }
}

export const userList: Command = {
  name: 'user list',
  summary: 'List the accounts of the certsrv site and what the directory knows of them.',
  usage: ['user list [--dir DIR] [--users FILE] [--format text|json]'],
  description: `Prints every account of DIR/users.json (or --users FILE), sorted by name: DOMAIN\\name, whether it is a CA administrator (it reaches the console), and its directory attributes in --directory's spelling (${Object.keys(DIRECTORY_KEYS).join(', ')}). Passwords are stored as scrypt hashes and never shown. In a file that keeps NT hashes for NTLM (certlab serve --ntlm), the accounts that have none yet are named. A file that does not exist yet lists nothing.`,
  options: [DIR_OPTION, USERS_OPTION, FORMAT_OPTION],
  examples: ['user list', 'user list --dir ./pki --format json'],
  async run(ctx, args) {
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', 'user list');
    const file = usersFileOf(ctx, args);
    const users = await readUsers(ctx, file, { create: true });
    const accounts = users.list();
    if (format === 'json') {
      writeJson(ctx.io.stdout, {
        file,
        domain: users.domain,
        ntlm: users.ntlm,
        withoutNtHash: users.withoutNtHash(),
        accounts: accounts.map(accountJson),
      });
      return EXIT.ok;
    }
    if (accounts.length === 0) {
      writeLines(ctx.io.stdout, [`No accounts in ${file}.`]);
      return EXIT.ok;
    }
    writeLines(
      ctx.io.stdout,
      columns([
        ['Account', 'Role', 'Groups', 'Directory'],
        ...accounts.map((a) => [
          a.name,
          a.admin ? 'CA administrator' : 'user',
          (a.directory?.groups ?? []).join(', '),
          directoryWords(a.directory).join(' '),
        ]),
      ]),
    );
    const missing = users.withoutNtHash();
    if (missing.length > 0)
      writeLines(ctx.io.stdout, [
        '',
        `No NT hash for NTLM sign-in yet: ${missing.join(', ')} (set the password again with user set NAME --password-file F).`,
      ]);
    return EXIT.ok;
  },
};

export const userAdd: Command = {
  name: 'user add',
  summary: 'Create a certsrv account, with its directory attributes.',
  usage: [
    'user add NAME [--admin] [--password P | --password-file F] [--directory KEY=VALUE]... [--group GROUP]...',
    '    [--dir DIR] [--users FILE] [--domain NAME] [--format text|json]',
  ],
  description: `Adds an account to DIR/users.json (created if missing, with --domain), as an administrator creates a user in Active Directory. NAME is DOMAIN\\name, name@domain or a bare name of the file's domain. The password comes from --password or --password-file, else it is asked twice at a terminal, else one is generated and printed once; only its scrypt hash is stored (and its NT hash in a file kept for NTLM sign-in, see certlab serve --ntlm). --admin makes a CA administrator (the console at /certsrv/admin/). --directory gives what the directory knows of the account (${DIRECTORY_HELP}): the User template needs dn=, upn= and email=, the Machine template dns=. --group makes it a member of a group (DOMAIN\\Group), for templates whose enroll list names groups (e.g. Web Server's Domain Admins, as AD CS sets it: certlab ca templates --show WebServer, add "enroll", --add the file). An account that exists already is an error (change it with user set). ${LIVE_NOTE}`,
  positionals: { names: ['NAME'], min: 1 },
  options: [
    { name: 'admin', type: 'boolean', help: 'A CA administrator (reaches the certsrv console).' },
    ...PASSWORD_OPTIONS,
    {
      name: 'directory',
      type: 'string',
      multiple: true,
      value: 'KEY=VALUE',
      help: `A directory attribute (${Object.keys(DIRECTORY_KEYS).join(', ')}), e.g. upn=alice@contoso.com. Repeatable.`,
    },
    GROUP_OPTION,
    DIR_OPTION,
    USERS_OPTION,
    DOMAIN_OPTION,
    FORMAT_OPTION,
  ],
  examples: [
    "user add 'CONTOSO\\alice' --password-file alice.txt --directory 'dn=CN=Alice,CN=Users,DC=contoso,DC=com' --directory upn=alice@contoso.com --directory email=alice@contoso.com",
    "user add 'CONTOSO\\caadmin' --admin",
  ],
  async run(ctx, args) {
    const command = 'user add';
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', command);
    const name = nameOf(args, command);
    const parsed = parseDirectoryEntries(listOption(args, 'directory'), command);
    const groups = groupList(listOption(args, 'group'), command);
    const directory = checkDirectory(
      { ...(parsed as AccountDirectory), ...(groups.length > 0 ? { groups } : {}) },
      command,
    );
    const file = usersFileOf(ctx, args);
    const domain = stringOption(args, 'domain');
    const read = () => readUsers(ctx, file, { create: true, ...(domain !== undefined ? { domain } : {}) });
    const refuseExisting = (users: UserDirectory) => {
      // Checked before the password is asked for: a name Windows would refuse is exit 2.
      let canonical: string;
      try {
        canonical = users.checkAccountName(name);
      } catch (e) {
        if (e instanceof TypeError) throw usageError(e.message, command);
        throw e;
      }
      if (users.get(name))
        throw failure(
          `${canonical} exists already in ${file}.`,
          `Change it with 'certlab user set ${canonical} …', or remove it first.`,
        );
      return canonical;
    };
    const canonical = refuseExisting(await read());
    const { password, generated } = await newPassword(ctx, args, command, canonical);
    // Read again after the prompt, which may have waited: another command may have changed the
    // file meanwhile, and writing back what was read before would undo its change. The write lock
    // keeps a command running at the same instant from doing the same to this one.
    const account = await changeUsers(file, async () => {
      const users = await read();
      refuseExisting(users);
      const added = await asUsage(command, () =>
        users.add(name, password, {
          admin: booleanOption(args, 'admin'),
          ...(Object.keys(directory).length > 0 ? { directory } : {}),
        }),
      );
      await writeUsers(users, file);
      return added;
    });
    return reportAccount(ctx, format, file, `Added ${account.name} to ${file}`, account, {
      ...(generated ? { shown: password } : {}),
    });
  },
};

export const userSet: Command = {
  name: 'user set',
  summary: 'Change a certsrv account: administrator or not, directory attributes, password.',
  usage: [
    'user set NAME [--admin | --no-admin] [--directory KEY=VALUE]... [--clear-directory] [--group G]... [--remove-group G]...',
    '    [--password P | --password-file F | --reset-password] [--dir DIR] [--users FILE] [--format text|json]',
  ],
  description: `Changes an account of DIR/users.json. --directory KEY=VALUE sets an attribute (${DIRECTORY_HELP}) and KEY= removes it; the others are kept, unless --clear-directory removes them all first (groups included). --group adds a group membership, --remove-group takes one away. --password or --password-file sets a new password; --reset-password generates one and prints it once. ${LIVE_NOTE}`,
  positionals: { names: ['NAME'], min: 1 },
  options: [
    { name: 'admin', type: 'boolean', help: 'Make the account a CA administrator.' },
    { name: 'no-admin', type: 'boolean', help: 'Make the account an ordinary user.' },
    {
      name: 'directory',
      type: 'string',
      multiple: true,
      value: 'KEY=VALUE',
      help: `Set a directory attribute (${Object.keys(DIRECTORY_KEYS).join(', ')}); KEY= removes it. Repeatable.`,
    },
    { name: 'clear-directory', type: 'boolean', help: 'Remove every directory attribute first.' },
    GROUP_OPTION,
    {
      name: 'remove-group',
      type: 'string',
      multiple: true,
      value: 'GROUP',
      help: 'Take the account out of a group. Repeatable.',
    },
    ...PASSWORD_OPTIONS,
    { name: 'reset-password', type: 'boolean', help: 'Generate a new password and print it once.' },
    DIR_OPTION,
    USERS_OPTION,
    FORMAT_OPTION,
  ],
  examples: [
    'user set alice --directory upn=alice@contoso.com --directory email=alice@contoso.com',
    'user set alice --reset-password',
    "user set 'CONTOSO\\bob' --admin",
  ],
  async run(ctx, args) {
    const command = 'user set';
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', command);
    const name = nameOf(args, command);
    const admin = booleanOption(args, 'admin');
    const notAdmin = booleanOption(args, 'no-admin');
    if (admin && notAdmin) throw usageError('give --admin or --no-admin, not both.', command);
    const entries = parseDirectoryEntries(listOption(args, 'directory'), command, true);
    const clear = booleanOption(args, 'clear-directory');
    const addGroups = groupList(listOption(args, 'group'), command);
    const removeGroups = groupList(listOption(args, 'remove-group'), command);
    const reset = booleanOption(args, 'reset-password');
    const given = await accountPassword(ctx, args, command);
    if (reset && given !== undefined)
      throw usageError('give --reset-password or a password, not both.', command);
    if (
      !admin &&
      !notAdmin &&
      !clear &&
      !reset &&
      given === undefined &&
      Object.keys(entries).length === 0 &&
      addGroups.length === 0 &&
      removeGroups.length === 0
    )
      throw usageError(
        'nothing to change: give --admin, --no-admin, --directory, --clear-directory, --group, --remove-group or a password.',
        command,
      );
    const password = reset ? generatePassword() : given;
    if (reset && password) ctx.secrets.add(password);
    const file = usersFileOf(ctx, args);
    const account = await changeUsers(file, async () => {
      const users = await readUsers(ctx, file);
      const canonical = users.canonicalName(name);
      const before = users.get(name);
      if (!before)
        throw new CliError(
          EXIT.failed,
          `There is no account ${canonical} in ${file}.`,
          "See 'certlab user list'.",
        );
      const next: Record<string, unknown> = clear ? {} : { ...before.directory };
      for (const [field, value] of Object.entries(entries)) {
        if (value === null) delete next[field];
        else next[field] = value;
      }
      // Group names compare case-insensitively, as Windows compares account names.
      const gone = new Set(removeGroups.map((g) => g.toLowerCase()));
      const kept = ((next.groups as string[] | undefined) ?? []).filter((g) => !gone.has(g.toLowerCase()));
      for (const g of addGroups) if (!kept.some((k) => k.toLowerCase() === g.toLowerCase())) kept.push(g);
      if (kept.length > 0) next.groups = kept;
      else delete next.groups;
      const directory = checkDirectory(next as AccountDirectory, command);
      const account = await asUsage(command, () =>
        users.update(name, {
          ...(admin || notAdmin ? { admin } : {}),
          directory: Object.keys(directory).length > 0 ? directory : null,
          ...(password !== undefined ? { password } : {}),
        }),
      );
      if (!account) throw failure(`There is no account ${canonical} in ${file}.`);
      await writeUsers(users, file);
      return account;
    });
    return reportAccount(ctx, format, file, `Changed ${account.name} in ${file}`, account, {
      ...(reset && password !== undefined ? { shown: password } : {}),
      changed: password !== undefined,
    });
  },
};

export const userRemove: Command = {
  name: 'user remove',
  summary: 'Delete a certsrv account.',
  usage: ['user remove NAME [--dir DIR] [--users FILE] [--format text|json]'],
  description: `Removes an account from DIR/users.json. Its requests and certificates stay in the CA database. ${LIVE_NOTE}`,
  positionals: { names: ['NAME'], min: 1 },
  options: [DIR_OPTION, USERS_OPTION, FORMAT_OPTION],
  examples: ["user remove 'CONTOSO\\alice'"],
  async run(ctx, args) {
    const command = 'user remove';
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', command);
    const name = nameOf(args, command);
    const file = usersFileOf(ctx, args);
    const canonical = await changeUsers(file, async () => {
      const users = await readUsers(ctx, file);
      const removed = users.canonicalName(name);
      if (!users.remove(name))
        throw new CliError(
          EXIT.failed,
          `There is no account ${removed} in ${file}.`,
          "See 'certlab user list'.",
        );
      await writeUsers(users, file);
      return removed;
    });
    if (format === 'json') writeJson(ctx.io.stdout, { file, removed: canonical });
    else writeLines(ctx.io.stdout, [`Removed ${canonical} from ${file}`]);
    return EXIT.ok;
  },
};
