// Sign-in for the simulated certsrv site (certsrv reference §2.1): the account directory with
// scrypt hashes, Basic credentials (RFC 7617), the credential cache and the failure throttle.
// scrypt costs ~50 ms, so the tests hash as few passwords as they can.

import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuthThrottle } from '../src/certsrv/auth-throttle.js';
import { CredentialCache, parseBasicAuthorization } from '../src/certsrv/basic-auth.js';
import {
  generatePassword,
  hashPassword,
  parseUserSpec,
  UserDirectory,
  verifyPassword,
} from '../src/certsrv/users.js';
import { isCaError } from '../src/errors.js';
import { tempDir } from './support/temp.js';

const SEED = 20261130;
const RUNS = 300;

describe('hashPassword / verifyPassword', () => {
  it('hashes with scrypt N=16384 r=8 p=1 and verifies', async () => {
    const encoded = await hashPassword('P@ss:w0rd é');
    expect(encoded).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(await verifyPassword('P@ss:w0rd é', encoded)).toBe(true);
    expect(await verifyPassword('P@ss:w0rd e', encoded)).toBe(false);
    expect(await verifyPassword('', encoded)).toBe(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same'), hashPassword('same')]);
    expect(a).not.toBe(b);
  });

  it('answers false for malformed or dangerous hashes, without trying them', async () => {
    const salt = Buffer.alloc(16).toString('base64');
    const key = Buffer.alloc(32).toString('base64');
    for (const bad of [
      '',
      'plain-password',
      'scrypt$16384$8$1$',
      `bcrypt$16384$8$1$${salt}$${key}`,
      `scrypt$16383$8$1$${salt}$${key}`, // N not a power of two
      `scrypt$1048576$8$1$${salt}$${key}`, // 1 GiB of memory
      `scrypt$16384$8$1$${salt}$`,
      `scrypt$16384$8$1$!!$${key}`,
      `scrypt$16384$8$1$${salt}$${key}$extra`,
    ]) {
      expect(await verifyPassword('x', bad), bad).toBe(false);
    }
    expect(await verifyPassword('x', undefined as unknown as string)).toBe(false);
  });
});

describe('UserDirectory', () => {
  let users: UserDirectory;
  beforeAll(async () => {
    users = new UserDirectory('contoso');
    await users.add('alice', 'alice-pass');
    await users.add('CONTOSO\\CertAdmin', 'admin:pass', { admin: true });
  });

  it('upper-cases the domain and rejects a bad one', () => {
    expect(users.domain).toBe('CONTOSO');
    expect(new UserDirectory().domain).toBe('CONTOSO');
    expect(() => new UserDirectory('CON TOSO')).toThrow(/NetBIOS/);
    expect(() => new UserDirectory('')).toThrow();
  });

  it('canonicalises every user name form (reference §2.1)', () => {
    expect(users.canonicalName('alice')).toBe('CONTOSO\\alice');
    expect(users.canonicalName('  alice  ')).toBe('CONTOSO\\alice');
    expect(users.canonicalName('contoso\\Alice')).toBe('CONTOSO\\Alice');
    expect(users.canonicalName('CONTOSO.COM\\alice')).toBe('CONTOSO\\alice');
    expect(users.canonicalName('fabrikam\\bob')).toBe('FABRIKAM\\bob');
    expect(users.canonicalName('alice@contoso.com')).toBe('CONTOSO\\alice');
    expect(users.canonicalName('alice@CONTOSO')).toBe('CONTOSO\\alice');
    expect(users.canonicalName('alice@Contoso.Local')).toBe('CONTOSO\\alice');
    expect(users.canonicalName('bob@fabrikam.com')).toBe('bob@fabrikam.com');
    expect(users.canonicalName('bob@contoso-eu.com')).toBe('bob@contoso-eu.com');
    expect(users.canonicalName('\\alice')).toBe('CONTOSO\\alice');
  });

  it("signs in another domain's account as user@domain too, and keeps unknown UPNs as given", async () => {
    const d = new UserDirectory('CONTOSO');
    await d.add('OTHER\\eve', 'eve-Passw0rd');
    // Names stay what they are; only sign-in reaches the other domain's account.
    expect(d.canonicalName('eve@OTHER')).toBe('eve@OTHER');
    expect(await d.authenticate('eve@other', 'eve-Passw0rd')).toEqual({ name: 'OTHER\\eve', admin: false });
    expect(await d.authenticate('eve@other.example', 'eve-Passw0rd')).toEqual({
      name: 'OTHER\\eve',
      admin: false,
    });
    expect(await d.authenticate('eve@other', 'wrong')).toBeUndefined();
    expect(await d.authenticate('mallory@other', 'eve-Passw0rd')).toBeUndefined();
    // A UPN account of that exact name comes first, and add/remove act on exact names only.
    await d.add('eve@other', 'upn-Passw0rd');
    expect(await d.authenticate('eve@other', 'upn-Passw0rd')).toEqual({ name: 'eve@other', admin: false });
    expect(await d.authenticate('eve@other', 'eve-Passw0rd')).toBeUndefined();
    expect(d.remove('eve@other')).toBe(true);
    expect(d.list().map((a) => a.name)).toEqual(['OTHER\\eve']);
    // The file form does not depend on the order of its entries.
    const both = new UserDirectory('CONTOSO');
    await both.add('OTHER\\eve', 'eve-Passw0rd');
    await both.add('eve@other', 'upn-Passw0rd');
    const json = both.toJSON() as { users: unknown[] };
    for (const users of [json.users, [...json.users].reverse()])
      expect(UserDirectory.fromJSON({ ...json, users }).list()).toHaveLength(2);
  });

  it('lists accounts sorted, without hashes', () => {
    expect(users.list()).toEqual([
      { name: 'CONTOSO\\alice', admin: false },
      { name: 'CONTOSO\\CertAdmin', admin: true },
    ]);
  });

  it('authenticates with any name form, case-insensitively; wrong password and unknown user fail', async () => {
    expect(await users.authenticate('ALICE@contoso.com', 'alice-pass')).toEqual({
      name: 'CONTOSO\\alice',
      admin: false,
    });
    expect(await users.authenticate('contoso\\certadmin', 'admin:pass')).toEqual({
      name: 'CONTOSO\\CertAdmin',
      admin: true,
    });
    expect(await users.authenticate('alice', 'ALICE-PASS')).toBeUndefined();
    expect(await users.authenticate('mallory', 'alice-pass')).toBeUndefined();
    expect(await users.authenticate('alice', '')).toBeUndefined();
  });

  it('spends one scrypt on an unknown user too', async () => {
    await users.authenticate('warm-up-dummy', 'x'); // the dummy hash is made once
    const time = async (name: string) => {
      const t0 = performance.now();
      await users.authenticate(name, 'nope');
      return performance.now() - t0;
    };
    const known = await time('alice');
    const unknown = await time('nobody');
    expect(unknown).toBeGreaterThan(known / 4);
  });

  it('replaces an account, removes one, rejects empty names and passwords', async () => {
    const dir = new UserDirectory('CONTOSO');
    await dir.add('bob', 'one');
    const replaced = await dir.add('CONTOSO\\BOB', 'two', { admin: true });
    expect(replaced).toEqual({ name: 'CONTOSO\\BOB', admin: true });
    expect(dir.list()).toHaveLength(1);
    expect(await dir.authenticate('bob', 'one')).toBeUndefined();
    expect(dir.remove('bob@contoso.com')).toBe(true);
    expect(dir.remove('bob')).toBe(false);
    expect(dir.list()).toEqual([]);
    await expect(dir.add('', 'x')).rejects.toThrow(TypeError);
    await expect(dir.add('CONTOSO\\', 'x')).rejects.toThrow(TypeError);
    await expect(dir.add('carol', '')).rejects.toThrow(/empty/);
  });

  it('saves atomically with mode 0600 and loads back', async () => {
    const { dir, cleanup } = await tempDir('certlab-users-');
    try {
      const file = join(dir, 'users.json');
      await users.save(file);
      await users.save(file); // overwrite through rename
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(await readdir(dir)).toEqual(['users.json']); // no temporary file left
      const json = JSON.parse(await readFile(file, 'utf8'));
      expect(json.domain).toBe('CONTOSO');
      expect(json.users[0]).toMatchObject({ name: 'CONTOSO\\alice', admin: false });
      expect(json.users[0].password).toMatch(/^scrypt\$/);
      expect(JSON.stringify(json)).not.toContain('alice-pass');
      const loaded = await UserDirectory.load(file);
      expect(loaded.domain).toBe('CONTOSO');
      expect(loaded.list()).toEqual(users.list());
      expect(loaded.toJSON()).toEqual(users.toJSON());
      expect(await loaded.authenticate('alice', 'alice-pass')).toEqual({
        name: 'CONTOSO\\alice',
        admin: false,
      });
    } finally {
      await cleanup();
    }
  });

  it('refuses a bad users file with ERR_CA_USERS_INVALID and an actionable message', async () => {
    const hash = users.toJSON().users[0]?.password ?? '';
    const bad: [unknown, RegExp][] = [
      [null, /JSON object/],
      [[], /JSON object/],
      [{ users: [] }, /"domain"/],
      [{ domain: 'CONTOSO' }, /"users" array/],
      [{ domain: 'CONTOSO', users: [42] }, /entry 1 .*not an object/],
      [{ domain: 'CONTOSO', users: [{ password: hash }] }, /"name"/],
      [{ domain: 'CONTOSO', users: [{ name: 'alice', password: 'alice-pass' }] }, /never a plain password/],
      [{ domain: 'CONTOSO', users: [{ name: 'alice', admin: 'yes', password: hash }] }, /"admin"/],
      [
        { domain: 'CONTOSO', users: [{ name: 'alice', password: hash, directory: [] }] },
        /"directory" must be an object/,
      ],
      [
        {
          domain: 'CONTOSO',
          users: [{ name: 'alice', password: hash, directory: { mail: 'a@contoso.com' } }],
        },
        /unknown field "mail"/,
      ],
      [
        { domain: 'CONTOSO', users: [{ name: 'alice', password: hash, directory: { upn: '' } }] },
        /"directory.upn"/,
      ],
      [
        { domain: 'CONTOSO', users: [{ name: 'alice', password: hash, directory: { sid: 'S-1' } }] },
        /"directory.sid"/,
      ],
      [
        {
          domain: 'CONTOSO',
          users: [
            { name: 'alice', password: hash },
            { name: 'CONTOSO\\ALICE', password: hash },
          ],
        },
        /twice/,
      ],
    ];
    for (const [value, message] of bad) {
      let err: unknown;
      try {
        UserDirectory.fromJSON(value);
      } catch (e) {
        err = e;
      }
      expect(isCaError(err, 'ERR_CA_USERS_INVALID'), JSON.stringify(value)).toBe(true);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).toMatch(/Fix the file/);
    }
    // admin may be omitted (false).
    expect(
      UserDirectory.fromJSON({ domain: 'CONTOSO', users: [{ name: 'alice', password: hash }] }).list(),
    ).toEqual([{ name: 'CONTOSO\\alice', admin: false }]);

    const { dir, cleanup } = await tempDir('certlab-users-');
    try {
      const file = join(dir, 'users.json');
      await expect(UserDirectory.load(file)).rejects.toSatisfy((e) => isCaError(e, 'ERR_CA_USERS_NOT_FOUND'));
      await writeFile(file, '{ "domain": "CONTOSO", ');
      await expect(UserDirectory.load(file)).rejects.toSatisfy(
        (e) => isCaError(e, 'ERR_CA_USERS_INVALID') && /not valid JSON/.test((e as Error).message),
      );
      await writeFile(file, '{ "domain": "CONTOSO" }');
      await expect(UserDirectory.load(file)).rejects.toSatisfy(
        (e) => isCaError(e, 'ERR_CA_USERS_INVALID') && (e as Error).message.includes(file),
      );
    } finally {
      await cleanup();
    }
  });
});

describe('UserDirectory: what Active Directory knows of an account', () => {
  it('keeps the directory attributes in the users file and across a password change', async () => {
    const dirs = new UserDirectory('CONTOSO');
    const directory = {
      dn: 'CN=Alice,CN=Users,DC=contoso,DC=com',
      upn: 'alice@contoso.com',
      email: 'alice@contoso.com',
    };
    await dirs.add('alice', 'alice-Passw0rd', { directory });
    const back = UserDirectory.fromJSON(JSON.parse(JSON.stringify(dirs.toJSON())));
    expect(back.list()).toEqual([{ name: 'CONTOSO\\alice', admin: false, directory }]);
    expect((await back.authenticate('alice@contoso.com', 'alice-Passw0rd'))?.directory).toEqual(directory);
    await back.add('alice', 'new-Passw0rd');
    expect(back.list()[0]?.directory).toEqual(directory);
    await expect(back.add('bob', 'bob-Passw0rd', { directory: { objectGuid: 'nope' } })).rejects.toThrow(
      TypeError,
    );
  });
});

describe('UserDirectory: names and values a certificate or a log line cannot carry', () => {
  it('refuses control characters, line separators, lone surrogates and outer spaces', async () => {
    const users = new UserDirectory('CONTOSO');
    for (const name of ['alice\u0000', 'ali\nce', 'ali\u2028ce', 'ali\u0085ce', 'ali\ud800ce', 'ali\u007fce'])
      await expect(users.add(name, 'x-Passw0rd'), JSON.stringify(name)).rejects.toThrow(TypeError);
    for (const upn of [
      ' a@contoso.com',
      'a@contoso.com ',
      'a\u007f@contoso.com',
      'a\u0085@contoso.com',
      'a\udc00@contoso.com',
    ])
      await expect(
        users.add('alice', 'x-Passw0rd', { directory: { upn } }),
        JSON.stringify(upn),
      ).rejects.toThrow(/without control characters or outer spaces/);
    expect(users.list()).toEqual([]);
    const hash = await hashPassword('x');
    for (const entry of [
      { name: 'ali\nce', password: hash },
      { name: 'alice', password: hash, directory: { dn: 'CN=Alice\u2029' } },
    ]) {
      let error: unknown;
      try {
        UserDirectory.fromJSON({ domain: 'CONTOSO', users: [entry] });
      } catch (e) {
        error = e;
      }
      expect(isCaError(error) && error.code, JSON.stringify(entry)).toBe('ERR_CA_USERS_INVALID');
      expect(String((error as Error).message)).not.toMatch(/[\n\u2029]/);
    }
  });
});

describe('UserDirectory: account names Windows would refuse', () => {
  const refused: [string, RegExp][] = [
    // One backslash, the domain before it: not the domain "BAD NAME WITH SPACES" and the user "x\\y".
    ['bad name with spaces\\x\\y', /has one backslash/],
    ['CONTOSO\\a\\b', /has one backslash/],
    ['CON TOSO\\alice', /takes a domain such as CONTOSO/],
    ['CONTOSO\\ alice', /cannot begin or end with a space/],
    ['alice @contoso.com', /cannot begin or end with a space/],
    ...['"', '/', '[', ']', ':', ';', '|', '=', ',', '+', '*', '?', '<', '>', '@'].map(
      (c): [string, RegExp] => [
        `CONTOSO\\al${c}ice`,
        /cannot hold " \/ \\ \[ \] : ; \| = , \+ \* \? < > or @/,
      ],
    ),
    ['al*ce', /cannot hold/],
    ['a@b@contoso.com', /cannot hold/],
    ['alice@', /needs a DNS domain such as contoso\.com after the @/],
    ['alice@fab rikam.com', /takes a DNS domain/],
    ['...', /only periods and spaces/],
    ['abcdefghijklmnopqrstu', /at most 20 characters/],
    // A UPN of the directory's own domain is the sAMAccountName CONTOSO\\<prefix>.
    ['abcdefghijklmnopqrstu@contoso.com', /at most 20 characters/],
  ];

  it('add refuses them with a TypeError naming the rule; spaces inside, $, a long foreign UPN are kept', async () => {
    const users = new UserDirectory('CONTOSO');
    for (const [name, message] of refused) {
      await expect(users.add(name, 'x-Passw0rd'), name).rejects.toThrow(TypeError);
      await expect(users.add(name, 'x-Passw0rd'), name).rejects.toThrow(message);
      expect(() => users.checkAccountName(name), name).toThrow(message);
    }
    expect(users.list()).toEqual([]);
    for (const name of [
      'jo smith',
      'CONTOSO\\EXCH01$',
      'abcdefghijklmnopqrst',
      'contoso.com\\bob',
      '\\carol',
      'a.very.long.upn.prefix@fabrikam.com',
      '  dave  ',
    ])
      expect(users.checkAccountName(name), name).toBe(users.canonicalName(name));
  });

  it('a users file naming such an account is ERR_CA_USERS_INVALID, naming the entry', async () => {
    const hash = await hashPassword('x');
    for (const [name, message] of refused) {
      let error: unknown;
      try {
        UserDirectory.fromJSON({
          domain: 'CONTOSO',
          users: [
            { name: 'alice', password: hash },
            { name, password: hash },
          ],
        });
      } catch (e) {
        error = e;
      }
      expect(isCaError(error, 'ERR_CA_USERS_INVALID'), name).toBe(true);
      expect((error as Error).message, name).toMatch(/^User entry 2 of the users file: its name /);
      expect((error as Error).message, name).toMatch(message);
    }
  });
});

describe('UserDirectory.load: a file that is not a users file', () => {
  it('never quotes the file (a password file given by mistake), says where when it can, names a folder', async () => {
    const { dir, cleanup } = await tempDir('certlab-users-');
    try {
      const load = async (text: string): Promise<string> => {
        const file = join(dir, 'pass.txt');
        await writeFile(file, text);
        let error: unknown;
        try {
          await UserDirectory.load(file);
        } catch (e) {
          error = e;
        }
        expect(isCaError(error, 'ERR_CA_USERS_INVALID'), text).toBe(true);
        // Nor in what a library caller logs: the cause chain and the inspected error.
        expect(inspect(error, { depth: 10 }), text).not.toMatch(/S3cret|Passw0rd/);
        return (error as Error).message;
      };
      const secret = await load('S3cretPassw0rd\n');
      expect(secret).toBe(
        `The users file ${join(dir, 'pass.txt')} is not valid JSON. Fix it, or delete it and add the users again.`,
      );
      for (const text of [
        '{"domain":"CONTOSO",\n"users": [S3cretPassw0rd]}',
        '"S3cretPassw0rd',
        'tru S3cretPassw0rd',
      ])
        expect(await load(text), text).not.toMatch(/S3cret|Passw0rd|S3/);
      // V8 gives the position here: told as line and column, without the text.
      expect(await load('{"domain":"CONTOSO",\n "users" 1}')).toContain(
        'is not valid JSON (line 2, column 10).',
      );
      expect(await load('{"domain":"CONTOSO",')).toContain('is not valid JSON (it ends too early).');
      expect(await load('')).toContain('is not valid JSON (it is empty).');

      let folder: unknown;
      try {
        await UserDirectory.load(dir);
      } catch (e) {
        folder = e;
      }
      expect(isCaError(folder, 'ERR_CA_USERS_INVALID')).toBe(true);
      expect((folder as Error).message).toBe(
        `Cannot read the users file ${dir}: it is a folder, not a file.`,
      );
    } finally {
      await cleanup();
    }
  });
});

describe('UserDirectory: NT hashes for NTLM', () => {
  it('keeps them only with ntlm on, from the next password set, in the file too; off forgets them', async () => {
    const users = new UserDirectory('CONTOSO');
    await users.add('bob', 'bob-Passw0rd');
    expect(users.withoutNtHash()).toEqual([]); // NTLM off: nothing is missing
    users.ntlm = true;
    await users.add('alice', 'Password');
    expect(users.withoutNtHash()).toEqual(['CONTOSO\\bob']);
    const json = users.toJSON();
    expect(json.ntlm).toBe(true);
    // MS-NLMP §4.2.2.1.2: NTOWFv1("Password").
    expect(json.users.find((u) => u.name === 'CONTOSO\\alice')?.ntHash).toBe(
      'a4f49c406510bdcab6824ee7c30fd852',
    );
    expect(json.users.find((u) => u.name === 'CONTOSO\\bob')?.ntHash).toBeUndefined();
    await users.update('bob', { password: 'bob-N3w' });
    expect(users.withoutNtHash()).toEqual([]);
    const back = UserDirectory.fromJSON(JSON.parse(JSON.stringify(users.toJSON())));
    expect(back.ntlm).toBe(true);
    expect(back.toJSON()).toEqual(users.toJSON());
    await users.update('bob', { admin: true }); // no new password: the NT hash stays
    expect(users.withoutNtHash()).toEqual([]);
    users.ntlm = false;
    expect(users.toJSON().ntlm).toBeUndefined();
    expect(users.toJSON().users.some((u) => u.ntHash !== undefined)).toBe(false);
    const hash = await hashPassword('x');
    // "ntlm": false (or none) forgets the NT hashes a file still has: the next save drops them.
    const off = UserDirectory.fromJSON({
      domain: 'CONTOSO',
      ntlm: false,
      users: [{ name: 'a', password: hash, ntHash: 'a4f49c406510bdcab6824ee7c30fd852' }],
    });
    expect(off.toJSON().users[0]?.ntHash).toBeUndefined();
    for (const file of [
      { domain: 'CONTOSO', ntlm: true, users: [{ name: 'a', password: hash, ntHash: 'A4F4' }] },
      { domain: 'CONTOSO', ntlm: 'yes', users: [] },
    ]) {
      let error: unknown;
      try {
        UserDirectory.fromJSON(file);
      } catch (e) {
        error = e;
      }
      expect(isCaError(error) && error.code, JSON.stringify(file)).toBe('ERR_CA_USERS_INVALID');
    }
  });
});

describe('UserDirectory: changing accounts', () => {
  it('update changes the admin flag, the directory and the password; unknown names are undefined', async () => {
    const users = new UserDirectory('CONTOSO');
    await users.add('alice', 'alice-Passw0rd', { directory: { upn: 'alice@contoso.com' } });
    const r0 = users.revision;
    expect(await users.update('CONTOSO\\ALICE', { admin: true })).toEqual({
      name: 'CONTOSO\\alice',
      admin: true,
      directory: { upn: 'alice@contoso.com' },
    });
    expect(users.revision).toBeGreaterThan(r0);
    await users.update('alice', { directory: { email: 'alice@contoso.com' } }); // replaces, not merges
    expect(users.list()[0]?.directory).toEqual({ email: 'alice@contoso.com' });
    await users.update('alice', { directory: null });
    expect(users.list()[0]).toEqual({ name: 'CONTOSO\\alice', admin: true });
    expect(await users.authenticate('alice', 'alice-Passw0rd')).toBeDefined(); // password kept
    await users.update('alice', { password: 'new-Passw0rd' });
    expect(await users.authenticate('alice', 'alice-Passw0rd')).toBeUndefined();
    expect(await users.authenticate('alice', 'new-Passw0rd')).toBeDefined();
    expect(await users.update('bob', { admin: true })).toBeUndefined();
    expect(users.get('contoso\\ALICE')?.name).toBe('CONTOSO\\alice');
    expect(users.get('bob')).toBeUndefined();
    const r1 = users.revision;
    await expect(users.update('alice', { password: '' })).rejects.toThrow(TypeError);
    await expect(users.update('alice', { directory: { sid: 'S-1' } })).rejects.toThrow(TypeError);
    expect(users.revision).toBe(r1); // a refused change changes nothing
    expect(users.remove('nobody')).toBe(false);
    expect(users.revision).toBe(r1);
    users.remove('alice');
    expect(users.revision).toBeGreaterThan(r1);
  });

  it('replaceAll takes the accounts of a reloaded file of the same domain only', async () => {
    const users = new UserDirectory('CONTOSO');
    await users.add('alice', 'alice-Passw0rd');
    const file = new UserDirectory('contoso');
    await file.add('bob', 'bob-Passw0rd', { admin: true });
    const r0 = users.revision;
    users.replaceAll(file);
    expect(users.list()).toEqual([{ name: 'CONTOSO\\bob', admin: true }]);
    expect(users.revision).toBeGreaterThan(r0);
    expect(await users.authenticate('bob', 'bob-Passw0rd')).toBeDefined();
    let error: unknown;
    try {
      users.replaceAll(new UserDirectory('FABRIKAM'));
    } catch (e) {
      error = e;
    }
    expect(isCaError(error) && error.code).toBe('ERR_CA_USERS_INVALID');
    expect(users.list()).toHaveLength(1);
  });
});

describe('parseUserSpec', () => {
  it('splits at the first colon; the password may contain colons', () => {
    expect(parseUserSpec('alice:secret')).toEqual({ name: 'alice', password: 'secret' });
    expect(parseUserSpec('CONTOSO\\alice:pa:ss:')).toEqual({ name: 'CONTOSO\\alice', password: 'pa:ss:' });
    expect(parseUserSpec(' alice : x')).toEqual({ name: 'alice', password: ' x' });
  });

  it('refuses an empty name or password without echoing the password', () => {
    for (const spec of ['TopSecret123', ':TopSecret123', '  :TopSecret123', 'alice:']) {
      let err: unknown;
      try {
        parseUserSpec(spec);
      } catch (e) {
        err = e;
      }
      expect(err, spec).toBeInstanceOf(TypeError);
      expect((err as Error).message).toMatch(/NAME:PASSWORD/);
      expect((err as Error).message).not.toContain('TopSecret123');
    }
  });
});

describe('generatePassword', () => {
  it('gives 20 unambiguous characters, different each time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = generatePassword();
      expect(p).toMatch(/^[A-HJ-NP-Za-km-z2-9]{20}$/);
      seen.add(p);
    }
    expect(seen.size).toBe(200);
  });
});

describe('parseBasicAuthorization (RFC 7617)', () => {
  const basic = (s: string, enc: BufferEncoding = 'utf8') =>
    `Basic ${Buffer.from(s, enc).toString('base64')}`;

  it('decodes user and password, split at the first colon', () => {
    expect(parseBasicAuthorization('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==')).toEqual({
      user: 'Aladdin',
      password: 'open sesame',
    });
    expect(parseBasicAuthorization(basic('CONTOSO\\alice:pa:ss'))).toEqual({
      user: 'CONTOSO\\alice',
      password: 'pa:ss',
    });
    expect(parseBasicAuthorization(basic('alice@contoso.com:'))).toEqual({
      user: 'alice@contoso.com',
      password: '',
    });
  });

  it('accepts any case of the scheme, extra blanks, missing padding', () => {
    expect(parseBasicAuthorization('bAsIc   QWxhZGRpbjpvcGVuIHNlc2FtZQ  ')).toEqual({
      user: 'Aladdin',
      password: 'open sesame',
    });
    expect(parseBasicAuthorization('BASIC\tYTpi')).toEqual({ user: 'a', password: 'b' });
  });

  it('reads UTF-8, and falls back to ISO-8859-1', () => {
    expect(parseBasicAuthorization(basic('test:123£'))).toEqual({ user: 'test', password: '123£' });
    expect(parseBasicAuthorization(basic('jürgen:pässword', 'latin1'))).toEqual({
      user: 'jürgen',
      password: 'pässword',
    });
  });

  it('refuses everything else', () => {
    for (const h of [
      undefined,
      '',
      'Basic',
      'Basic ',
      'Basic YWxpY2U=', // no colon
      'Basic OnNlY3JldA==', // empty user
      'Basic QWxh ZGRp',
      'Basic QWxh!ZGRp',
      'Basic Q', // dangling character
      'Basic YTpi====',
      'Basic YTpi-_',
      'Bearer YTpi',
      'NTLM TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAKAGFKAAAADw==',
      'Negotiate YTpi',
      'BasicYTpi',
      `Basic ${'A'.repeat(5000)}`,
    ]) {
      expect(parseBasicAuthorization(h), String(h).slice(0, 30)).toBeUndefined();
    }
  });

  it('never throws on arbitrary headers and on mutations of a valid one', () => {
    const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(fc.string({ unit: anyUnit, maxLength: 100 }), fc.boolean(), (s, prefix) => {
        parseBasicAuthorization(prefix ? `Basic ${s}` : s);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    const valid = 'Basic Q09OVE9TT1xhbGljZTpQQHNzdzByZA==';
    fc.assert(
      fc.property(
        fc.nat(),
        fc.string({ unit: anyUnit, maxLength: 4 }),
        fc.nat({ max: 3 }),
        (at, ins, del) => {
          const i = at % (valid.length + 1);
          parseBasicAuthorization(valid.slice(0, i) + ins + valid.slice(i + del));
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('round-trips any user without a colon and any password', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).filter((u) => !u.includes(':')),
        fc.string({ unit: 'binary', maxLength: 30 }),
        (user, password) => {
          expect(parseBasicAuthorization(basic(`${user}:${password}`))).toEqual({ user, password });
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('CredentialCache', () => {
  const alice = { name: 'CONTOSO\\alice', admin: false };
  const bob = { name: 'CONTOSO\\bob', admin: true };

  it('remembers by exact header until the TTL passes', () => {
    let now = 1_000;
    const cache = new CredentialCache({ ttlMs: 100, now: () => now });
    cache.set('Basic YTpi', alice);
    expect(cache.get('Basic YTpi')).toEqual(alice);
    expect(cache.get('basic YTpi')).toBeUndefined();
    expect(cache.get('Basic YTpj')).toBeUndefined();
    now += 99;
    expect(cache.get('Basic YTpi')).toEqual(alice);
    now += 1;
    expect(cache.get('Basic YTpi')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently used beyond maxEntries, and clears', () => {
    const cache = new CredentialCache({ maxEntries: 2 });
    cache.set('h1', alice);
    cache.set('h2', bob);
    expect(cache.get('h1')).toEqual(alice); // h1 is now the most recent
    cache.set('h3', bob);
    expect(cache.get('h2')).toBeUndefined();
    expect(cache.get('h1')).toEqual(alice);
    expect(cache.get('h3')).toEqual(bob);
    expect(cache.size).toBe(2);
    cache.clear();
    expect(cache.get('h1')).toBeUndefined();
  });

  it('keeps a bounded number of entries under a flood', () => {
    const cache = new CredentialCache();
    for (let i = 0; i < 5000; i++) cache.set(`Basic ${i}`, alice);
    expect(cache.size).toBe(1000);
    expect(cache.get('Basic 4999')).toEqual(alice);
    expect(cache.get('Basic 0')).toBeUndefined();
  });
});

describe('AuthThrottle', () => {
  it('locks a key out after maxFailures failures within the window, until the window passes', () => {
    let now = 0;
    const t = new AuthThrottle({ maxFailures: 3, windowMs: 1000, now: () => now });
    expect(t.allowed('192.0.2.7')).toBe(true);
    t.fail('192.0.2.7');
    t.fail('192.0.2.7');
    expect(t.allowed('192.0.2.7')).toBe(true);
    now = 10;
    t.fail('192.0.2.7');
    expect(t.allowed('192.0.2.7')).toBe(false);
    expect(t.allowed('192.0.2.8')).toBe(true);
    now = 1009;
    expect(t.allowed('192.0.2.7')).toBe(false);
    now = 1010;
    expect(t.allowed('192.0.2.7')).toBe(true);
    // Counting starts afresh.
    t.fail('192.0.2.7');
    expect(t.allowed('192.0.2.7')).toBe(true);
  });

  it('forgets failures older than the window', () => {
    let now = 0;
    const t = new AuthThrottle({ maxFailures: 3, windowMs: 1000, now: () => now });
    t.fail('k');
    t.fail('k');
    now = 1500;
    t.fail('k');
    t.fail('k');
    expect(t.allowed('k')).toBe(true);
    t.fail('k');
    expect(t.allowed('k')).toBe(false);
  });

  it('a success resets the count but does not lift a lockout', () => {
    let now = 0;
    const t = new AuthThrottle({ maxFailures: 2, windowMs: 1000, now: () => now });
    t.fail('k');
    t.succeed('k');
    t.fail('k');
    expect(t.allowed('k')).toBe(true);
    t.fail('k');
    t.succeed('k');
    expect(t.allowed('k')).toBe(false);
    now = 1000;
    expect(t.allowed('k')).toBe(true);
  });

  it('defaults to 10 failures per minute', () => {
    let now = 0;
    const t = new AuthThrottle({ now: () => now });
    for (let i = 0; i < 9; i++) t.fail('k');
    expect(t.allowed('k')).toBe(true);
    t.fail('k');
    expect(t.allowed('k')).toBe(false);
    now = 59_999;
    expect(t.allowed('k')).toBe(false);
    now = 60_000;
    expect(t.allowed('k')).toBe(true);
  });

  it('keeps memory bounded: at most maxKeys keys, the oldest evicted', () => {
    const t = new AuthThrottle({ maxKeys: 100, maxFailures: 1 });
    for (let i = 0; i < 10_000; i++) t.fail(`10.0.${i >> 8}.${i & 255}`);
    expect(t.size).toBe(100);
    expect(t.allowed('10.0.39.15')).toBe(false); // the newest (i = 9999) is still locked
    expect(t.allowed('10.0.0.0')).toBe(true); // the oldest was forgotten
  });

  it('turns 10,000 bad attempts from one address into cheap refusals', () => {
    const t = new AuthThrottle();
    let checked = 0;
    const t0 = performance.now();
    for (let i = 0; i < 10_000; i++) {
      if (!t.allowed('198.51.100.1')) continue;
      checked++; // here the server would run scrypt
      t.fail('198.51.100.1');
    }
    expect(checked).toBe(10);
    // 9,990 refusals are map lookups (~1 ms); the bound only catches a refusal that does real work.
    expect(performance.now() - t0).toBeLessThan(1_000);
  });
});
