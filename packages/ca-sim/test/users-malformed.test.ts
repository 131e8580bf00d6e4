// Malformed certsrv users files: UserDirectory.fromJSON and UserDirectory.load give a directory
// that keeps every account as written (names canonical, directory attributes intact, stable
// through save-and-load) or a CaError ERR_CA_USERS_INVALID, never another exception or a lost
// account. Inputs are mutations of a valid users file, including every field of the accounts'
// "directory" object (dn, dnsHostName, upn, email, sid, objectGuid, domainDnsName): values of
// the wrong type, control and unpaired-surrogate characters, prototype keys, near-miss SIDs and
// GUIDs; character-level mutations of the file's text; byte-level mutations of the file as read
// from disk. No scrypt runs: the hashes are fixed strings, which fromJSON only checks for form.
// Fixed seed: a failure reproduces.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CaError, UserDirectory } from '@certlab/ca-sim';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  mutate,
  mutateText,
  mutationsArb,
  type TextMutation,
  textMutationsArb,
} from '../../../test/support/mutate.js';
import { anyString, SEED, trickyString } from './support/arbitraries.js';
import { tempDir } from './support/temp.js';

const RUNS = 400;
/** load() goes through the file system: fewer runs. */
const FILE_RUNS = 150;

const SALT = Buffer.alloc(16, 7).toString('base64');
const KEY = Buffer.alloc(32, 9).toString('base64');
const HASH = `scrypt$16384$8$1$${SALT}$${KEY}`;

/** A valid users file: accounts of every name form, with and without directory attributes. */
const VALID = {
  domain: 'CONTOSO',
  users: [
    {
      name: 'CONTOSO\\alice',
      admin: false,
      password: HASH,
      directory: {
        dn: 'CN=Alice Martin,CN=Users,DC=contoso,DC=com',
        upn: 'alice@contoso.com',
        email: 'alice.martin@contoso.com',
        sid: 'S-1-5-21-1004336348-1177238915-682003330-1105',
        objectGuid: '{2f1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d}',
      },
    },
    {
      name: 'CONTOSO\\EXCH01$',
      password: HASH,
      directory: {
        dn: 'CN=EXCH01,OU=Servers,DC=contoso,DC=com',
        dnsHostName: 'exch01.contoso.com',
        sid: 'S-1-5-21-1004336348-1177238915-682003330-2201',
        objectGuid: '2f1b3c4d5e6f4a7b8c9d0e1f2a3b4c5e',
        domainDnsName: 'contoso.com',
      },
    },
    { name: 'CONTOSO\\certadmin', admin: true, password: HASH },
    { name: 'FABRIKAM\\eve', admin: false, password: HASH, directory: { upn: 'eve@fabrikam.com' } },
    { name: 'bob@fabrikam.example', password: HASH },
  ],
};

const DIRECTORY_FIELDS = ['dn', 'dnsHostName', 'upn', 'email', 'sid', 'objectGuid', 'domainDnsName'];
const USER_FIELDS = ['name', 'admin', 'password', 'directory'];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

const sidish = trickyString(['S-1-', '5-21-', '-', '1004336348', '0', '9'.repeat(16), ' ', '\n', '١'], 24);
const guidish = trickyString(['{', '}', '-', '2f1b3c4d', '5e6f', 'g', '0'.repeat(32), ' ', '\u0000'], 24);

/** Values of every JSON type and strings that sit at the edges of what the file allows. */
const weirdScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    1e308,
    '',
    ' ',
    '\t',
    'x\u0000',
    'x\u001f',
    'x\u007f',
    'x\u0085',
    'x\u2028',
    '\ud800',
    'é😀',
    'CONTOSO\\',
    '\\alice',
    '@contoso.com',
    'alice@',
    'CONTOSO\\ALICE',
    'alice',
    'alice@contoso.com',
    'S-1',
    'S-1-5',
    'S-1-5-21-1004336348-1177238915-682003330-1105',
    `S-1-5${'-1'.repeat(16)}`,
    '{2f1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d}',
    '2f1b3c4d5e6f4a7b8c9d0e1f2a3b4c5',
    HASH,
    `scrypt$1048576$8$1$${SALT}$${KEY}`,
    `scrypt$4294967296$8$1$${SALT}$${KEY}`,
    `scrypt$16384$8$17$${SALT}$${KEY}`,
    `scrypt$16384$8$1$$${KEY}`,
    'CONTOSO',
    'contoso.com',
    'x'.repeat(100_000),
    ...PROTO_KEYS,
  ),
  anyString,
  sidish,
  guidish,
  fc.string({ unit: 'binary', maxLength: 60 }),
);
const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: weirdScalar },
  { weight: 1, arbitrary: fc.array(weirdScalar, { maxLength: 4 }) },
  {
    weight: 2,
    arbitrary: fc.dictionary(
      fc.oneof(fc.constantFrom(...DIRECTORY_FIELDS, ...PROTO_KEYS, 'mail'), fc.string({ maxLength: 6 })),
      weirdScalar,
      { maxKeys: 4 },
    ),
  },
);

type Edit =
  | { kind: 'top'; key: string; value: unknown }
  | { kind: 'user'; at: number; key: string; value: unknown }
  | { kind: 'deleteUserField'; at: number; key: string }
  | { kind: 'directory'; at: number; key: string; value: unknown }
  | { kind: 'deleteDirectoryField'; at: number; key: string }
  | { kind: 'replaceUser'; at: number; value: unknown }
  | { kind: 'duplicateUser'; at: number; newName?: string };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('top' as const),
      key: fc.constantFrom('domain', 'users', ...PROTO_KEYS, 'extra'),
      value: weirdValue,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('user' as const),
      at: fc.nat(),
      key: fc.oneof(fc.constantFrom(...USER_FIELDS), fc.constantFrom(...PROTO_KEYS)),
      value: weirdValue,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('deleteUserField' as const),
      at: fc.nat(),
      key: fc.constantFrom(...USER_FIELDS),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('directory' as const),
      at: fc.nat(),
      key: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...DIRECTORY_FIELDS) },
        { weight: 1, arbitrary: fc.constantFrom(...PROTO_KEYS, 'mail', 'name') },
      ),
      value: weirdValue,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('deleteDirectoryField' as const),
      at: fc.nat(),
      key: fc.constantFrom(...DIRECTORY_FIELDS),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('replaceUser' as const), at: fc.nat(), value: weirdValue }),
  },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        kind: fc.constant('duplicateUser' as const),
        at: fc.nat(),
        newName: fc.oneof(
          weirdScalar.filter((v): v is string => typeof v === 'string'),
          fc.constant('dave'),
        ),
      },
      { requiredKeys: ['kind', 'at'] },
    ),
  },
);

/** An own, enumerable property even for "__proto__" (as JSON.parse makes it). */
function define(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

function applyEdits(edits: readonly Edit[]): Record<string, unknown> {
  const file = structuredClone(VALID) as unknown as Record<string, unknown>;
  const users = file.users as unknown[];
  const entry = (at: number): Record<string, unknown> | undefined => {
    const u = users[at % users.length];
    return typeof u === 'object' && u !== null && !Array.isArray(u)
      ? (u as Record<string, unknown>)
      : undefined;
  };
  for (const e of edits) {
    switch (e.kind) {
      case 'top':
        define(file, e.key, e.value);
        break;
      case 'user': {
        const u = entry(e.at);
        if (u) define(u, e.key, e.value);
        break;
      }
      case 'deleteUserField':
        delete entry(e.at)?.[e.key];
        break;
      case 'directory': {
        const u = entry(e.at);
        if (!u) break;
        const d = u.directory;
        const dir =
          typeof d === 'object' && d !== null && !Array.isArray(d) ? (d as Record<string, unknown>) : {};
        define(dir, e.key, e.value);
        define(u, 'directory', dir);
        break;
      }
      case 'deleteDirectoryField': {
        const d = entry(e.at)?.directory;
        if (typeof d === 'object' && d !== null) delete (d as Record<string, unknown>)[e.key];
        break;
      }
      case 'replaceUser':
        users[e.at % users.length] = e.value;
        break;
      case 'duplicateUser': {
        const copy = structuredClone(users[e.at % users.length]);
        if (e.newName !== undefined && typeof copy === 'object' && copy !== null)
          define(copy as Record<string, unknown>, 'name', e.newName);
        users.push(copy);
        break;
      }
    }
  }
  return file;
}

// --------------------------------------------------------------------------------------------

interface Tally {
  ok: number;
  invalid: number;
}

function describeError(e: unknown): string {
  return e instanceof Error
    ? `${e.constructor.name}${(e as { code?: unknown }).code ? ` [${String((e as { code?: unknown }).code)}]` : ''}: ${e.message}`
    : `a non-Error value ${String(e)}`;
}

function short(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 400 ? `${s.slice(0, 400)}…` : s;
}

function isUsersInvalid(e: unknown): boolean {
  return e instanceof CaError && e.code === 'ERR_CA_USERS_INVALID' && e.message.length > 0;
}

/**
 * What a directory read from `data` must satisfy: one account per entry, each with the canonical
 * form of its name, its admin flag, its directory attributes as written; and the same accounts
 * after toJSON and fromJSON again (what save then load does).
 */
function expectFaithful(dir: UserDirectory, data: unknown, what: string): void {
  const entries = (data as { users: Record<string, unknown>[] }).users;
  const accounts = dir.list();
  expect(accounts, `${what}: an account was lost`).toHaveLength(entries.length);
  for (const u of entries) {
    const name = dir.canonicalName(u.name as string);
    const a = accounts.find((x) => x.name === name);
    expect(a, `${what}: ${name} is missing`).toBeDefined();
    expect(a!.admin).toBe(u.admin === true);
    if (u.directory === undefined) expect(a!.directory).toBeUndefined();
    else expect(a!.directory).toEqual(u.directory);
  }
  const again = UserDirectory.fromJSON(JSON.parse(JSON.stringify(dir)));
  expect(again.toJSON(), `${what}: not stable through save and load`).toEqual(dir.toJSON());
}

/** fromJSON: a faithful directory, or ERR_CA_USERS_INVALID; anything else fails the property. */
function check(data: unknown, tally: Tally, what: string): void {
  let dir: UserDirectory;
  try {
    dir = UserDirectory.fromJSON(data);
  } catch (e) {
    if (isUsersInvalid(e)) {
      tally.invalid++;
      return;
    }
    throw new Error(`UserDirectory.fromJSON(${what}) threw ${describeError(e)}`, { cause: e });
  }
  tally.ok++;
  expectFaithful(dir, data, what);
}

afterAll(() => {
  // Nothing reached Object.prototype through a "__proto__" or "constructor" key.
  expect(Object.keys(Object.prototype)).toEqual([]);
});

// --------------------------------------------------------------------------------------------

describe('UserDirectory.fromJSON: mutated users files', () => {
  it('the valid file reads back faithfully', () => {
    const tally: Tally = { ok: 0, invalid: 0 };
    check(structuredClone(VALID), tally, 'VALID');
    expect(tally.ok).toBe(1);
  });

  it('mutated fields (the directory object above all): a faithful directory or ERR_CA_USERS_INVALID', () => {
    const tally: Tally = { ok: 0, invalid: 0 };
    fc.assert(
      fc.property(fc.array(editArb, { minLength: 1, maxLength: 3 }), (edits) => {
        const data = applyEdits(edits);
        check(data, tally, short(data));
        // The same file as text, as load() reads it (JSON.parse keeps "__proto__" as a key).
        check(JSON.parse(JSON.stringify(data)), tally, `text of ${short(data)}`);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(tally.ok).toBeGreaterThan(0);
    expect(tally.invalid).toBeGreaterThan(0);
  });

  it('any string in any directory field: accepted as written or ERR_CA_USERS_INVALID', () => {
    const tally: Tally = { ok: 0, invalid: 0 };
    fc.assert(
      fc.property(
        fc.record(
          Object.fromEntries(
            DIRECTORY_FIELDS.map((f) => [f, fc.oneof(anyString, sidish, guidish, weirdScalar)]),
          ) as Record<string, fc.Arbitrary<unknown>>,
          { requiredKeys: [] },
        ),
        (directory) => {
          const data = { domain: 'CONTOSO', users: [{ name: 'alice', password: HASH, directory }] };
          check(data, tally, short(data));
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    expect(tally.ok).toBeGreaterThan(0);
    expect(tally.invalid).toBeGreaterThan(0);
  });

  const JSON_PIECES = [
    '{',
    '}',
    '[',
    ']',
    '"',
    ',',
    ':',
    '\\\\',
    '\\u0000',
    '\\ud800',
    'null',
    '"__proto__":',
    '"constructor":',
    '"directory":{',
    '"sid":"S-1-5-21-1-2-3-4"',
    '$',
    '\u0000',
    '\u2028',
    '😀',
  ];
  const textEdits: fc.Arbitrary<TextMutation[]> = textMutationsArb(
    3,
    fc.oneof(fc.constantFrom(...JSON_PIECES), fc.string({ maxLength: 6 })),
  );

  it('mutated file text that is still JSON: a faithful directory or ERR_CA_USERS_INVALID', () => {
    const tally: Tally = { ok: 0, invalid: 0 };
    let notJson = 0;
    const texts = [JSON.stringify(VALID), JSON.stringify(VALID, null, 2)];
    fc.assert(
      fc.property(fc.nat(), textEdits, (i, edits) => {
        const text = mutateText(texts[i % texts.length]!, edits);
        let data: unknown;
        try {
          data = JSON.parse(text);
        } catch {
          notJson++; // load() reports these: see the file test below
          return;
        }
        check(data, tally, text.slice(0, 300));
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(tally.ok).toBeGreaterThan(0);
    expect(tally.invalid).toBeGreaterThan(0);
    expect(notJson).toBeGreaterThan(0);
  });
});

describe('UserDirectory.load: mutated users files on disk', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('certlab-users-fuzz-'));
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it('text and byte mutations of the file: a faithful directory or ERR_CA_USERS_INVALID', async () => {
    const file = join(dir, 'users.json');
    const valid = new TextEncoder().encode(`${JSON.stringify(VALID, null, 2)}\n`);
    let ok = 0;
    let invalid = 0;
    await fc.assert(
      fc.asyncProperty(mutationsArb(), async (ms) => {
        const bytes = mutate(valid, ms);
        await writeFile(file, bytes);
        let users: UserDirectory;
        try {
          users = await UserDirectory.load(file);
        } catch (e) {
          if (isUsersInvalid(e) && (e as Error).message.includes(file)) {
            invalid++;
            return;
          }
          throw new Error(
            `UserDirectory.load(${Buffer.from(bytes).toString('latin1').slice(0, 300)}) threw ${describeError(e)}`,
            {
              cause: e,
            },
          );
        }
        ok++;
        // What load read is what the file says (decoded as UTF-8, as load does).
        expectFaithful(users, JSON.parse(Buffer.from(bytes).toString('utf8')), 'mutated file');
        // And what save writes, load reads back the same.
        await users.save(file);
        expect((await UserDirectory.load(file)).toJSON()).toEqual(users.toJSON());
      }),
      { seed: SEED, numRuns: FILE_RUNS },
    );
    expect(ok).toBeGreaterThan(0);
    expect(invalid).toBeGreaterThan(0);
  });

  it('fixed edge files: empty, a BOM, invalid UTF-8, deep nesting, a directory, prototype keys', async () => {
    const cases: (string | Uint8Array)[] = [
      '',
      '\ufeff{"domain":"CONTOSO","users":[]}',
      Uint8Array.of(0xff, 0xfe, 0x7b, 0x7d),
      Uint8Array.from([
        ...new TextEncoder().encode('{"domain":"CONTOSO","users":[{"name":"'),
        0xc3,
        0x28,
        ...new TextEncoder().encode(`","password":"${HASH}"}]}`),
      ]),
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      `{"domain":"CONTOSO","users":[${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}]}`,
      '{"domain":"CONTOSO","users":[],"__proto__":{"users":5}}',
      `{"domain":"CONTOSO","users":[{"name":"alice","password":"${HASH}","__proto__":{"admin":"yes"}}]}`,
      `{"domain":"CONTOSO","users":[{"name":"alice","password":"${HASH}","directory":{"__proto__":{"sid":"S-1"}}}]}`,
      `{"domain":"CONTOSO","users":[{"name":"alice","password":"${HASH}","directory":{"constructor":"x"}}]}`,
      `{"domain":"CONTOSO","users":[{"name":"alice","password":"${HASH}","directory":{"sid":"S-1-5-21-1-2","sid":"S-1"}}]}`,
      `{"domain":"__proto__","users":[{"name":"__proto__","password":"${HASH}"}]}`,
      `{"domain":"CONTOSO","users":[{"name":"constructor","password":"${HASH}"},{"name":"CONTOSO\\\\Constructor","password":"${HASH}"}]}`,
    ];
    for (const [i, content] of cases.entries()) {
      const file = join(dir, `edge-${i}.json`);
      await writeFile(file, content);
      try {
        const users = await UserDirectory.load(file);
        expect(users.toJSON().users.length, `case ${i}`).toBeGreaterThanOrEqual(0);
      } catch (e) {
        expect(isUsersInvalid(e), `case ${i}: ${describeError(e)}`).toBe(true);
      }
    }
    await expect(UserDirectory.load(join(dir, 'missing.json'))).rejects.toMatchObject({
      code: 'ERR_CA_USERS_NOT_FOUND',
    });
    await expect(UserDirectory.load(dir)).rejects.toMatchObject({ code: 'ERR_CA_USERS_INVALID' });
  });
});
