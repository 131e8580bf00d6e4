// `certlab user list|add|set|remove`: the certsrv accounts file (DIR/users.json) managed from the
// command line, with the directory attributes the User and Machine templates need.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { UserDirectory } from '@certlab/ca-sim';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../src/cli-error.js';
import { checkDirectory, parseDirectoryEntries } from '../src/directory-option.js';
import { cli, removeTempDirs, tempDir } from './helpers.js';

let cwd: string;

beforeAll(async () => {
  cwd = await tempDir();
  await writeFile(join(cwd, 'alice.txt'), 'alice-Passw0rd\n');
});

afterAll(removeTempDirs);

interface Account {
  name: string;
  admin: boolean;
  directory: Record<string, string>;
}

async function listed(dir: string): Promise<Account[]> {
  const r = await cli(cwd, 'user', 'list', '--dir', dir, '--format', 'json');
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { accounts: Account[] }).accounts;
}

describe('certlab user', () => {
  it('adds an account with its directory attributes; the file keeps only a hash, mode 0600', async () => {
    const r = await cli(
      cwd,
      'user',
      'add',
      'alice',
      '--dir',
      'site',
      '--password-file',
      'alice.txt',
      '--directory',
      'dn=CN=Alice Martin,CN=Users,DC=contoso,DC=com',
      '--directory',
      'UPN=alice@contoso.com',
      '--directory',
      'email=alice@contoso.com',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Added CONTOSO\\alice to ');
    expect(r.stdout).toContain('Directory: upn=alice@contoso.com');
    expect(r.stdout).not.toContain('Password');
    const file = join(cwd, 'site', 'users.json');
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('alice-Passw0rd');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const users = await UserDirectory.load(file);
    expect(await users.authenticate('alice@contoso.com', 'alice-Passw0rd')).toEqual({
      name: 'CONTOSO\\alice',
      admin: false,
      directory: {
        dn: 'CN=Alice Martin,CN=Users,DC=contoso,DC=com',
        upn: 'alice@contoso.com',
        email: 'alice@contoso.com',
      },
    });
  });

  it('generates and prints once a password nobody gave (no terminal here)', async () => {
    const r = await cli(
      cwd,
      'user',
      'add',
      'CONTOSO\\caadmin',
      '--admin',
      '--dir',
      'site',
      '--format',
      'json',
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { account: Account; password: string };
    expect(out.account).toEqual({ name: 'CONTOSO\\caadmin', admin: true, directory: {} });
    expect(out.password).toMatch(/^\S{20}$/);
    const users = await UserDirectory.load(join(cwd, 'site', 'users.json'));
    expect(await users.authenticate('caadmin', out.password)).toBeDefined();
  });

  it('lists the accounts sorted, with role and directory, never a hash', async () => {
    const r = await cli(cwd, 'user', 'list', '--dir', 'site');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Account\s+Role\s+Groups\s+Directory$/);
    expect(lines[1]).toMatch(
      /^CONTOSO\\alice\s+user\s+dn=CN=Alice Martin,CN=Users,DC=contoso,DC=com upn=alice@contoso.com email=alice@contoso.com$/,
    );
    expect(lines[2]).toMatch(/^CONTOSO\\caadmin\s+CA administrator$/);
    expect(r.stdout).not.toContain('scrypt');
    const empty = await cli(cwd, 'user', 'list', '--dir', 'nowhere');
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain('No accounts in ');
  });

  it('changes attributes one by one, removes one with KEY=, clears them, changes the password and the role', async () => {
    let r = await cli(
      cwd,
      'user',
      'set',
      'alice@contoso.com',
      '--dir',
      'site',
      '--directory',
      'email=',
      '--directory',
      'sid=S-1-5-21-1004336348-1177238915-682003330-1105',
    );
    expect(r.code, r.stderr).toBe(0);
    expect((await listed('site'))[0]?.directory).toEqual({
      dn: 'CN=Alice Martin,CN=Users,DC=contoso,DC=com',
      upn: 'alice@contoso.com',
      sid: 'S-1-5-21-1004336348-1177238915-682003330-1105',
    });
    r = await cli(
      cwd,
      'user',
      'set',
      'alice',
      '--dir',
      'site',
      '--clear-directory',
      '--directory',
      'dns=ws01.contoso.com',
      '--admin',
    );
    expect(r.code, r.stderr).toBe(0);
    expect((await listed('site'))[0]).toEqual({
      name: 'CONTOSO\\alice',
      admin: true,
      directory: { dnsHostName: 'ws01.contoso.com' },
    });
    r = await cli(
      cwd,
      'user',
      'set',
      'alice',
      '--dir',
      'site',
      '--reset-password',
      '--no-admin',
      '--format',
      'json',
    );
    expect(r.code, r.stderr).toBe(0);
    const { password } = JSON.parse(r.stdout) as { password: string };
    const users = await UserDirectory.load(join(cwd, 'site', 'users.json'));
    expect(await users.authenticate('alice', 'alice-Passw0rd')).toBeUndefined();
    expect((await users.authenticate('alice', password))?.admin).toBe(false);
    expect((await users.authenticate('alice', password))?.directory).toEqual({
      dnsHostName: 'ws01.contoso.com',
    });
  });

  it('adds and removes group memberships, case-insensitively, and lists them', async () => {
    let r = await cli(
      cwd,
      'user',
      'set',
      'alice',
      '--dir',
      'site',
      '--group',
      'CONTOSO\\Domain Admins',
      '--group',
      'CONTOSO\\Exchange Admins',
      '--group',
      'contoso\\domain admins',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Member of: CONTOSO\\Exchange Admins');
    expect((await listed('site'))[0]?.directory.groups).toEqual([
      'CONTOSO\\Domain Admins',
      'CONTOSO\\Exchange Admins',
    ]);
    r = await cli(cwd, 'user', 'list', '--dir', 'site');
    expect(r.stdout).toMatch(
      /CONTOSO\\alice\s+user\s+CONTOSO\\Domain Admins, CONTOSO\\Exchange Admins\s+dns=ws01/,
    );
    r = await cli(cwd, 'user', 'set', 'alice', '--dir', 'site', '--remove-group', 'CONTOSO\\DOMAIN ADMINS');
    expect(r.code, r.stderr).toBe(0);
    expect((await listed('site'))[0]?.directory.groups).toEqual(['CONTOSO\\Exchange Admins']);
    r = await cli(cwd, 'user', 'set', 'alice', '--dir', 'site', '--remove-group', 'CONTOSO\\Exchange Admins');
    expect((await listed('site'))[0]?.directory.groups).toBeUndefined();
    r = await cli(cwd, 'user', 'set', 'alice', '--dir', 'site', '--group', 'CONTOSO\\A\u0007');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--group: the groups must be a list');
  });

  it('removes an account', async () => {
    const r = await cli(cwd, 'user', 'remove', 'CONTOSO\\CAADMIN', '--dir', 'site');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Removed CONTOSO\\CAADMIN from ');
    expect((await listed('site')).map((a) => a.name)).toEqual(['CONTOSO\\alice']);
  });

  it('exit 1: an account that exists already, or that does not exist', async () => {
    let r = await cli(cwd, 'user', 'add', 'alice', '--dir', 'site', '--password', 'x-Passw0rd');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('CONTOSO\\alice exists already');
    expect(r.stderr).toContain('certlab user set');
    for (const args of [
      ['set', 'bob', '--admin'],
      ['remove', 'bob'],
    ]) {
      r = await cli(cwd, 'user', ...args, '--dir', 'site');
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain('There is no account CONTOSO\\bob');
    }
    r = await cli(cwd, 'user', 'remove', 'alice', '--dir', 'empty');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ERR_CA_USERS_NOT_FOUND');
  });

  it('exit 2 and no change: malformed attributes, contradictory or missing options, a bad domain', async () => {
    const before = await readFile(join(cwd, 'site', 'users.json'), 'utf8');
    const cases: [string[], RegExp][] = [
      [
        ['add', 'eve', '--password', 'e-Passw0rd', '--directory', 'sid=S-1'],
        /--directory sid=S-1 must be a SID/,
      ],
      [
        ['add', 'eve', '--password', 'e-Passw0rd', '--directory', 'guid=nope'],
        /--directory guid=nope must be a GUID/,
      ],
      [['add', 'eve', '--password', 'e-Passw0rd', '--directory', 'mail=e@contoso.com'], /KEY one of dn, dns/],
      [['add', 'eve', '--password', 'e-Passw0rd', '--directory', 'upn='], /upn= needs a value/],
      [['add', 'eve', '--password', ''], /account password is empty/],
      [['add', 'CONTOSO\\'], /give the account name/],
      [['set', 'alice', '--admin', '--no-admin'], /not both/],
      [['set', 'alice'], /nothing to change/],
      [['set', 'alice', '--reset-password', '--password', 'p-Passw0rd'], /not both/],
      [['set', 'alice', '--directory', 'sid=S-1'], /must be a SID/],
      [
        ['set', 'alice', '--directory', 'upn=a@contoso.com', '--directory', 'UPN=b@contoso.com'],
        /given twice/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await cli(cwd, 'user', ...args, '--dir', 'site');
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    expect(await readFile(join(cwd, 'site', 'users.json'), 'utf8')).toBe(before);
    const r = await cli(
      cwd,
      'user',
      'add',
      'eve',
      '--dir',
      'other',
      '--domain',
      'not a domain',
      '--password',
      'e-Passw0rd',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ERR_CA_OPTIONS_INVALID');
  });

  it('exit 2 and no change: an account name Windows would refuse (one backslash, no " / [ ] : ; | = , + * ? < > @, 20 characters)', async () => {
    const before = await readFile(join(cwd, 'site', 'users.json'), 'utf8');
    const cases: [string, RegExp][] = [
      ['bad name with spaces\\x\\y', /A certsrv user name has one backslash/],
      ['CONTOSO\\a;b', /cannot hold " \/ \\ \[ \] : ; \| = , \+ \* \? < > or @/],
      ['CONTOSO\\ eve', /cannot begin or end with a space/],
      ['twenty-one-characters', /at most 20 characters/],
    ];
    for (const [name, message] of cases) {
      const r = await cli(cwd, 'user', 'add', name, '--password', 'e-Passw0rd', '--dir', 'site');
      expect(r.code, `${name}: ${r.stderr}`).toBe(2);
      expect(r.stderr, name).toMatch(message);
      expect(r.stdout, name).toBe('');
    }
    expect(await readFile(join(cwd, 'site', 'users.json'), 'utf8')).toBe(before);
    // A command-line password is masked from the first error on, even one found before the
    // command reads the password (it was printed in 'sid=Hunter2Pw').
    const early = await cli(
      cwd,
      'user',
      'add',
      'eve',
      '--password',
      'Hunter2Pw',
      '--directory',
      'sid=Hunter2Pw',
      '--dir',
      'site',
    );
    expect(early.code).toBe(2);
    expect(early.stderr).not.toContain('Hunter2Pw');
    expect(early.stderr).toContain('********');
    // Spaces inside a name are allowed, as Windows allows them.
    const spaced = await cli(
      cwd,
      'user',
      'add',
      'jo smith',
      '--password',
      'j-Passw0rd',
      '--users',
      'spaced.json',
    );
    expect(spaced.code, spaced.stderr).toBe(0);
    expect(spaced.stdout).toContain('Added CONTOSO\\jo smith to ');
  });

  it("exit 2 for a --users file that is not one, never quoting it (a password file given by mistake) nor Node's words", async () => {
    await writeFile(join(cwd, 'pass.txt'), 'S3cretPassw0rd\n');
    for (const verb of [['list'], ['add', 'eve', '--password', 'e-Passw0rd'], ['remove', 'eve']]) {
      const r = await cli(cwd, 'user', ...verb, '--users', 'pass.txt');
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toBe(
        `certlab: The users file ${join(cwd, 'pass.txt')} is not valid JSON. Fix it, or delete it and add the users again. [ERR_CA_USERS_INVALID]\n`,
      );
    }
    expect(await readFile(join(cwd, 'pass.txt'), 'utf8')).toBe('S3cretPassw0rd\n');
    const folder = await cli(cwd, 'user', 'list', '--users', 'site');
    expect(folder.code, folder.stderr).toBe(2);
    expect(folder.stderr).toBe(
      `certlab: Cannot read the users file ${join(cwd, 'site')}: it is a folder, not a file. [ERR_CA_USERS_INVALID]\n`,
    );
  });

  it('creates the file in another domain with --domain, and writes where --users says', async () => {
    const r = await cli(
      cwd,
      'user',
      'add',
      'bob',
      '--users',
      'fab.json',
      '--domain',
      'fabrikam',
      '--password',
      'b-Passw0rd',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Added FABRIKAM\\bob to ');
    const users = await UserDirectory.load(join(cwd, 'fab.json'));
    expect(users.domain).toBe('FABRIKAM');
  });
});

describe('--directory KEY=VALUE', () => {
  it('any entries: attributes or a usage error (exit 2), never another exception', () => {
    const word = fc.oneof(
      fc.constantFrom(
        'dn',
        'DNS',
        'upn',
        'email',
        'sid',
        'guid',
        'domain',
        'mail',
        '',
        '=',
        'constructor',
        '__proto__',
      ),
      fc.string({ maxLength: 12 }),
    );
    const entry = fc.oneof(
      fc.tuple(word, fc.string({ maxLength: 40 })).map(([k, v]) => `${k}=${v}`),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 6 }), fc.boolean(), (entries, allowRemoval) => {
        try {
          const parsed = parseDirectoryEntries(entries, 'user set', allowRemoval);
          checkDirectory(
            Object.fromEntries(Object.entries(parsed).filter(([, v]) => v !== null)) as Record<
              string,
              string
            >,
            'user set',
          );
          for (const k of Object.keys(parsed))
            expect(['dn', 'dnsHostName', 'upn', 'email', 'sid', 'objectGuid', 'domainDnsName']).toContain(k);
        } catch (e) {
          expect(e).toBeInstanceOf(CliError);
          expect((e as CliError).exitCode).toBe(2);
        }
      }),
      { seed: 20261130, numRuns: 2000 },
    );
  });
});

describe('certlab user commands at the same instant', () => {
  it('six processes adding, changing and removing accounts together lose none of the changes', async () => {
    const repo = fileURLToPath(new URL('../../..', import.meta.url));
    const bin = (...args: string[]) =>
      promisify(execFile)(
        process.execPath,
        [
          '--conditions=source',
          '--import',
          createRequire(import.meta.url).resolve('tsx'),
          join(repo, 'packages/cli/src/bin.ts'),
          ...args,
        ],
        { cwd, encoding: 'utf8' },
      );
    const dir = 'together';
    for (const n of ['keep', 'gone'])
      expect((await cli(cwd, 'user', 'add', n, '--dir', dir, '--password-file', 'alice.txt')).code).toBe(0);
    // Each read-change-write takes a password hash (~50 ms) between its read and its write: without
    // the users file's write lock, concurrent commands write back what each read and undo the others.
    await Promise.all([
      ...[1, 2, 3, 4].map((i) => bin('user', 'add', `u${i}`, '--dir', dir, '--password-file', 'alice.txt')),
      bin('user', 'set', 'keep', '--dir', dir, '--admin', '--password-file', 'alice.txt'),
      bin('user', 'remove', 'gone', '--dir', dir),
    ]);
    const accounts = await listed(dir);
    expect(accounts.map((a) => a.name).sort()).toEqual(
      ['CONTOSO\\keep', 'CONTOSO\\u1', 'CONTOSO\\u2', 'CONTOSO\\u3', 'CONTOSO\\u4'].sort(),
    );
    expect(accounts.find((a) => a.name === 'CONTOSO\\keep')?.admin).toBe(true);
    expect(existsSync(join(cwd, dir, 'users.json.lock'))).toBe(false);
  });
});
