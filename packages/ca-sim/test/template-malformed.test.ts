// Malformed template files and directory identities: parseTemplate, parseTemplatesJson and
// checkTemplateList give a usable template (list) or a CaError with its code, never another
// exception, a hang, a dropped template or a template that fails later at issuance; and
// requesterIdentityProblem answers a problem or undefined for any value of any field. Inputs are
// mutations of valid templates (every field given a value of the wrong type, out-of-range and
// NaN-like numbers, prototype keys, deep nesting, control and unpaired-surrogate characters) and
// character-level mutations of valid template JSON. Fixed seed: a failure reproduces.

import {
  BUILT_IN_TEMPLATES,
  CaError,
  type CertificateTemplate,
  checkTemplateList,
  objectGuidAltName,
  parseTemplate,
  parseTemplatesJson,
  requesterIdentityProblem,
  STANDARD_TEMPLATES,
} from '@certlab/ca-sim';
import { ekuOid, KEY_USAGE_FLAGS, msNtdsCaSecurity } from '@certlab/pki';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { mutateText, type TextMutation, textMutationsArb } from '../../../test/support/mutate.js';
import { anyString, SEED, trickyString } from './support/arbitraries.js';

const RUNS = 400;

/** The valid inputs: every built-in template, and custom ones that use every field. */
const CUSTOM: Record<string, unknown>[] = [
  {
    name: 'LyncServer',
    displayName: 'Lync Server (Contoso)',
    schemaVersion: 2,
    oid: '1.3.6.1.4.1.311.21.8.1.2.77',
    majorVersion: 101,
    minorVersion: 3,
    subject: 'request',
    keyTypes: ['rsa', 'ec', 'ed25519'],
    minKeySize: { rsa: 3072, ec: 384 },
    ekus: ['serverAuth', 'clientAuth', '1.3.6.1.4.1.311.20.2.2'],
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    keyUsageCritical: false,
    ca: false,
    validityDays: 730,
    honorRequestSans: true,
    honorAttributeSans: false,
    managerApproval: true,
    enroll: ['CONTOSO\\Domain Admins', '*'],
    noSecurityExtension: true,
    includeSymmetricAlgorithms: true,
  },
  {
    name: 'KerberosCopy',
    subject: 'identity',
    identity: { subjectName: 'none', altNames: ['dns', 'guid', 'domainDns'] },
    ekus: [],
  },
  { name: 'Minimal' },
];
const VALID: Record<string, unknown>[] = [
  ...BUILT_IN_TEMPLATES.map((t) => JSON.parse(JSON.stringify(t)) as Record<string, unknown>),
  ...CUSTOM,
];

/** Every field parseTemplate reads, plus keys that must be refused (prototype keys, typos). */
const FIELDS = [
  'name',
  'displayName',
  'schemaVersion',
  'oid',
  'majorVersion',
  'minorVersion',
  'subject',
  'identity',
  'keyTypes',
  'minKeySize',
  'ekus',
  'keyUsage',
  'keyUsageCritical',
  'ca',
  'validityDays',
  'honorRequestSans',
  'honorAttributeSans',
  'managerApproval',
  'enroll',
  'noSecurityExtension',
  'includeSymmetricAlgorithms',
];
const PROTO_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  '__defineGetter__',
];
/** Fields inside the nested objects. */
const NESTED: [string, string][] = [
  ['identity', 'subjectName'],
  ['identity', 'altNames'],
  ['minKeySize', 'rsa'],
  ['minKeySize', 'ec'],
];

/**
 * Nested arrays or objects `depth` levels deep, built without recursion. The properties keep to
 * 2,000 levels, which JSON.stringify (recursive) can still write; deeper texts are fixed cases.
 */
function nested(depth: number, object: boolean): unknown {
  let v: unknown = object ? {} : [];
  for (let i = 0; i < depth; i++) v = object ? { a: v } : [v];
  return v;
}

/** Values of every JSON type, the edges of each numeric range, NaN-like strings, prototype keys. */
const weirdScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -0,
    1,
    2,
    -1,
    0.5,
    1.5,
    64,
    65,
    256,
    257,
    521,
    522,
    16_384,
    16_385,
    36_500,
    36_501,
    0x7fff_ffff,
    0x8000_0000,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 1,
    1e308,
    -1e308,
    Number.MIN_VALUE,
    '',
    ' ',
    'NaN',
    'Infinity',
    '-Infinity',
    '1e400',
    '0x10',
    '365',
    'true',
    'null',
    'rsa',
    'identity',
    'request',
    'dns',
    'none',
    'serverAuth',
    '1.2.3',
    '1.2.03',
    '3.1',
    '1',
    '1.2.840.113549.1.1.1'.repeat(50),
    ...PROTO_KEYS,
    'x'.repeat(64),
    'x'.repeat(65),
    'a;b',
    ' lead',
    'trail ',
    'tab\there',
    'line\u2028sep',
    'nul\u0000',
    'c1\u0085',
    '\ud800',
    '\udfff\ud800',
    'é😀',
    'CONTOSO\\Domain Admins',
  ),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double(),
  anyString,
  fc.string({ unit: 'binary', maxLength: 80 }),
);

const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: weirdScalar },
  { weight: 2, arbitrary: fc.array(weirdScalar, { maxLength: 6 }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(
      fc.oneof(
        fc.constantFrom(...PROTO_KEYS, 'rsa', 'ec', 'subjectName', 'altNames'),
        fc.string({ maxLength: 6 }),
      ),
      weirdScalar,
      {
        maxKeys: 4,
      },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({ subjectName: weirdScalar, altNames: fc.array(weirdScalar, { maxLength: 4 }) }),
  },
  { weight: 1, arbitrary: fc.record({ rsa: weirdScalar, ec: weirdScalar }, { requiredKeys: [] }) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom(1, 10, 1000, 2000), fc.boolean()).map(([d, o]) => nested(d, o)),
  },
);

/** One edit of a template object. */
type Edit =
  | { kind: 'set'; field: string; value: unknown }
  | { kind: 'setNested'; path: [string, string]; value: unknown }
  | { kind: 'delete'; field: string }
  | { kind: 'arrayEntry'; field: string; at: number; value: unknown };

const fieldArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...FIELDS) },
  { weight: 2, arbitrary: fc.constantFrom(...PROTO_KEYS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('set' as const), field: fieldArb, value: weirdValue }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('setNested' as const),
      path: fc.oneof(
        fc.constantFrom(...NESTED),
        fc.tuple(fc.constantFrom('identity', 'minKeySize'), fc.constantFrom(...PROTO_KEYS)),
      ),
      value: weirdValue,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('delete' as const), field: fc.constantFrom(...FIELDS) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('arrayEntry' as const),
      field: fc.constantFrom('keyTypes', 'ekus', 'keyUsage', 'enroll'),
      at: fc.nat(),
      value: weirdScalar,
    }),
  },
);

/** An own, enumerable property even for "__proto__" (as JSON.parse makes it). */
function define(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

function applyEdits(base: Record<string, unknown>, edits: readonly Edit[]): Record<string, unknown> {
  // structuredClone keeps own "__proto__" keys as data (JSON.parse(JSON.stringify()) would too).
  const o = structuredClone(base);
  for (const e of edits) {
    switch (e.kind) {
      case 'set':
        define(o, e.field, e.value);
        break;
      case 'delete':
        delete o[e.field];
        break;
      case 'setNested': {
        const [outer, inner] = e.path;
        const cur = Object.hasOwn(o, outer) ? o[outer] : undefined;
        const obj =
          typeof cur === 'object' && cur !== null && !Array.isArray(cur)
            ? (cur as Record<string, unknown>)
            : outer === 'identity'
              ? { subjectName: 'dns', altNames: ['dns'] }
              : { rsa: 2048 };
        define(obj, inner, e.value);
        define(o, outer, obj);
        if (outer === 'identity' && !Object.hasOwn(o, 'subject')) define(o, 'subject', 'identity');
        break;
      }
      case 'arrayEntry': {
        const cur = Object.hasOwn(o, e.field) ? o[e.field] : undefined;
        const arr = Array.isArray(cur) ? [...cur] : [];
        arr.splice(e.at % (arr.length + 1), 0, e.value);
        define(o, e.field, arr);
        break;
      }
    }
  }
  return o;
}

// --------------------------------------------------------------------------------------------
// What "valid" and "a coded error" mean.

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const DOTTED = /^[0-2](\.(0|[1-9][0-9]*))+$/;

/** A template the CA can use as is: every value in range, every EKU an OID, and stable under a JSON round trip. */
function expectUsable(t: CertificateTemplate, what: string): void {
  expect(Object.isFrozen(t), what).toBe(true);
  expect(typeof t.name === 'string' && t.name.length >= 1 && t.name.length <= 64, what).toBe(true);
  expect(CONTROL.test(t.name) || t.name.includes(';') || t.name.trim() !== t.name, what).toBe(false);
  expect(typeof t.displayName === 'string' && !CONTROL.test(t.displayName), what).toBe(true);
  expect([1, 2], what).toContain(t.schemaVersion);
  if (t.oid !== undefined) expect(t.oid, what).toMatch(DOTTED);
  for (const e of t.ekus) {
    // What the CA does with each EKU at issuance: it must resolve to a dotted OID string.
    const o: unknown = ekuOid(e);
    expect(
      typeof o === 'string' && DOTTED.test(o),
      `${what}: EKU ${JSON.stringify(e)} resolves to ${String(o)}`,
    ).toBe(true);
  }
  for (const k of t.keyUsage) expect(KEY_USAGE_FLAGS as readonly string[], what).toContain(k);
  for (const k of t.keyTypes) expect(['rsa', 'ec', 'ed25519'], what).toContain(k);
  for (const n of [
    t.validityDays,
    t.minKeySize.rsa ?? 1,
    t.minKeySize.ec ?? 1,
    t.majorVersion ?? 1,
    t.minorVersion ?? 0,
  ])
    expect(Number.isSafeInteger(n) && n >= 0, what).toBe(true);
  for (const p of t.enroll ?? []) expect(p !== '' && !CONTROL.test(p), what).toBe(true);
  // What a CA writes to ca.json reads back as the same template.
  expect(parseTemplate(JSON.parse(JSON.stringify(t))), what).toEqual(t);
}

interface Tally {
  ok: number;
  codes: Map<string, number>;
}
const newTally = (): Tally => ({ ok: 0, codes: new Map() });

function describeError(e: unknown): string {
  return e instanceof Error
    ? `${e.constructor.name}${(e as { code?: unknown }).code ? ` [${String((e as { code?: unknown }).code)}]` : ''}: ${e.message}`
    : `a non-Error value ${String(e)}`;
}

/** Runs `fn`: a result, or a CaError with `code`; anything else fails the property. */
function attempt<T>(what: string, tally: Tally, code: string, fn: () => T): T | undefined {
  try {
    const r = fn();
    tally.ok++;
    return r;
  } catch (e) {
    if (e instanceof CaError && e.code === code && typeof e.message === 'string' && e.message !== '') {
      tally.codes.set(e.code, (tally.codes.get(e.code) ?? 0) + 1);
      return undefined;
    }
    throw new Error(`${what} threw ${describeError(e)}: expected success or a CaError ${code}`, { cause: e });
  }
}

function short(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 300 ? `${s.slice(0, 300)}…` : s;
  } catch {
    return String(v);
  }
}

afterAll(() => {
  // Nothing reached Object.prototype through a "__proto__" or "constructor" key.
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(({} as Record<string, unknown>).name).toBeUndefined();
});

// --------------------------------------------------------------------------------------------

describe('parseTemplate / parseTemplatesJson: the valid inputs', () => {
  it('every built-in and custom template parses to a usable template', () => {
    for (const v of VALID) expectUsable(parseTemplate(v), String(v.name));
    const list = parseTemplatesJson(JSON.stringify(VALID));
    expect(list.map((t) => t.name)).toEqual(VALID.map((v) => v.name));
    checkTemplateList(list);
  });

  it('refuses prototype keys as EKU names (they resolved to Object.prototype members)', () => {
    // Found by the property below: ekuOid looked names up in a plain object, so "constructor"
    // gave Function Object and the template failed only at issuance, with a TypeError.
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(() => parseTemplate({ name: 'X', ekus: [name] }), name).toThrow(
        expect.objectContaining({ code: 'ERR_CA_TEMPLATE_INVALID' }),
      );
      expect(() => parseTemplatesJson(`{"name":"X","ekus":["serverAuth",${JSON.stringify(name)}]}`)).toThrow(
        expect.objectContaining({ code: 'ERR_CA_TEMPLATE_INVALID' }),
      );
    }
  });

  it('fixed edge inputs: prototype keys, deep nesting, huge numbers, odd JSON texts', () => {
    const tally = newTally();
    const texts = [
      '',
      ' ',
      'null',
      '0',
      '"x"',
      '[]',
      '[null]',
      '{}',
      '{"name":"X","__proto__":{"ekus":["serverAuth"]}}',
      '{"name":"X","constructor":{"prototype":{"polluted":true}}}',
      '{"__proto__":{"name":"X"}}',
      '{"name":"X","minKeySize":{"__proto__":{"rsa":1}}}',
      '{"name":"X","subject":"identity","identity":{"__proto__":{"subjectName":"none"}}}',
      '{"name":"X","validityDays":1e400}',
      '{"name":"X","validityDays":-0}',
      '{"name":"X","majorVersion":1e21,"schemaVersion":2,"oid":"1.2"}',
      '{"name":"X","minKeySize":[]}',
      '{"name":"X","minKeySize":[2048]}',
      '{"name":"X","keyTypes":{}}',
      '{"name":"X","subject":"identity","identity":[]}',
      '{"name":"X","subject":"identity","identity":null}',
      '{"name":"X","name":"Y"}',
      `{"name":"X","ekus":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      `{"name":"X","identity":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)},"subject":"identity"}`,
      `[${'{"name":"A"},'.repeat(200)}{"name":"B"}]`,
      `{"name":"${'é'.repeat(64)}"}`,
      '{"name":"\\ud800"}',
      '{"name":"X","oid":"1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.99999999999999999999999"}',
    ];
    for (const text of texts) {
      const list = attempt(`parseTemplatesJson(${short(text)})`, tally, 'ERR_CA_TEMPLATE_INVALID', () =>
        parseTemplatesJson(text),
      );
      if (list) {
        for (const t of list) expectUsable(t, text.slice(0, 100));
        attempt('checkTemplateList', tally, 'ERR_CA_OPTIONS_INVALID', () => checkTemplateList(list));
      }
    }
    for (const input of [undefined, null, 42, 'x', [], [{ name: 'X' }], new Date(0), Object.create(null)])
      attempt(`parseTemplate(${short(input)})`, tally, 'ERR_CA_TEMPLATE_INVALID', () => parseTemplate(input));
    expect(tally.ok).toBeGreaterThan(0);
  });
});

describe('parseTemplate / parseTemplatesJson / checkTemplateList: mutated input', () => {
  it('mutated template objects: a usable template or ERR_CA_TEMPLATE_INVALID', () => {
    const tally = newTally();
    fc.assert(
      fc.property(fc.nat(), fc.array(editArb, { minLength: 1, maxLength: 3 }), (i, edits) => {
        const input = applyEdits(VALID[i % VALID.length]!, edits);
        const t = attempt(`parseTemplate(${short(input)})`, tally, 'ERR_CA_TEMPLATE_INVALID', () =>
          parseTemplate(input),
        );
        if (t) expectUsable(t, short(input));
        // The same object as a file: JSON text of one template, and of a list with a standard one.
        const text = JSON.stringify(input);
        const one = attempt('parseTemplatesJson(one)', tally, 'ERR_CA_TEMPLATE_INVALID', () =>
          parseTemplatesJson(text),
        );
        expect(one === undefined, `same answer for the object and its text: ${short(input)}`).toBe(
          t === undefined,
        );
        const list = attempt('parseTemplatesJson(list)', tally, 'ERR_CA_TEMPLATE_INVALID', () =>
          parseTemplatesJson(`[${JSON.stringify(STANDARD_TEMPLATES[0])},${text}]`),
        );
        if (list) {
          // No template lost: both come back, in order.
          expect(list.map((x) => x.name)).toEqual([STANDARD_TEMPLATES[0]!.name, t!.name]);
          attempt('checkTemplateList', tally, 'ERR_CA_OPTIONS_INVALID', () =>
            checkTemplateList([...STANDARD_TEMPLATES, ...list]),
          );
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // Not vacuous: both outcomes, and duplicate names caught by checkTemplateList.
    expect(tally.ok).toBeGreaterThan(0);
    expect(tally.codes.get('ERR_CA_TEMPLATE_INVALID') ?? 0).toBeGreaterThan(0);
    expect(tally.codes.get('ERR_CA_OPTIONS_INVALID') ?? 0).toBeGreaterThan(0);
  });

  /** Character-level edits biased towards JSON syntax and the values templates hold. */
  const JSON_PIECES = [
    '{',
    '}',
    '[',
    ']',
    '"',
    ',',
    ':',
    '\\',
    '\\u0000',
    '\\ud800',
    'null',
    'true',
    '-0',
    '1e400',
    '0.5',
    '"__proto__":',
    '"constructor":',
    '"name":',
    '{"__proto__":{}}',
    '\u0000',
    '\u2028',
    '😀',
  ];
  const textEdits: fc.Arbitrary<TextMutation[]> = textMutationsArb(
    3,
    fc.oneof(
      fc.constantFrom(...JSON_PIECES),
      fc.string({ maxLength: 6 }),
      anyString.map((s) => s.slice(0, 4)),
    ),
  );

  it('mutated template JSON text (one template, or a list): templates or ERR_CA_TEMPLATE_INVALID', () => {
    const tally = newTally();
    const texts = [
      ...VALID.map((v) => JSON.stringify(v)),
      ...VALID.map((v) => JSON.stringify(v, null, 2)),
      JSON.stringify(VALID),
      JSON.stringify(CUSTOM, null, 2),
    ];
    fc.assert(
      fc.property(fc.nat(), textEdits, (i, edits) => {
        const text = mutateText(texts[i % texts.length]!, edits);
        const list = attempt(`parseTemplatesJson(${short(text)})`, tally, 'ERR_CA_TEMPLATE_INVALID', () =>
          parseTemplatesJson(text),
        );
        if (!list) return;
        // No template lost: one per array element (or the single object).
        const data: unknown = JSON.parse(text);
        expect(list).toHaveLength(Array.isArray(data) ? data.length : 1);
        for (const t of list) expectUsable(t, text.slice(0, 200));
        attempt('checkTemplateList', tally, 'ERR_CA_OPTIONS_INVALID', () => checkTemplateList(list));
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(tally.ok).toBeGreaterThan(0);
    expect(tally.codes.get('ERR_CA_TEMPLATE_INVALID') ?? 0).toBeGreaterThan(0);
  });
});

describe('requesterIdentityProblem: any value of any field', () => {
  const FIELDS_ID = [
    'name',
    'dn',
    'dnsHostName',
    'upn',
    'email',
    'sid',
    'objectGuid',
    'domainDnsName',
    'groups',
  ] as const;
  const sidish = trickyString(
    ['S-1-', '5-21-', '-', '1004336348', '0', '9'.repeat(16), ' ', '\u0000', '١'],
    30,
  );
  const guidish = trickyString(['{', '}', '-', '2f1b3c4d', '5e6f', 'g', '0'.repeat(32), ' ', '\u0000'], 30);
  const value = fc.oneof(
    { weight: 4, arbitrary: anyString },
    {
      weight: 1,
      arbitrary: fc.array(fc.oneof(anyString, fc.constant('CONTOSO\\Domain Admins')), { maxLength: 3 }),
    },
    { weight: 3, arbitrary: sidish },
    { weight: 3, arbitrary: guidish },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'S-1-5-21-1004336348-1177238915-682003330-1105',
        '{2f1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d}',
        '2f1b3c4d5e6f4a7b8c9d0e1f2a3b4c5d',
        `S-1-5${'-1'.repeat(16)}`,
        `S-1-5${'-1'.repeat(15)}`,
        'S-1-5-21-'.repeat(5000),
        '{'.repeat(10_000),
      ),
    },
    { weight: 1, arbitrary: weirdValue },
  );

  it('gives a problem or undefined, never throws; undefined means the CA can write both values', () => {
    let problems = 0;
    let clean = 0;
    fc.assert(
      fc.property(
        fc.record(
          Object.fromEntries(FIELDS_ID.map((f) => [f, value])) as Record<
            (typeof FIELDS_ID)[number],
            fc.Arbitrary<unknown>
          >,
          {
            requiredKeys: [],
          },
        ),
        (id) => {
          let r: ReturnType<typeof requesterIdentityProblem>;
          try {
            r = requesterIdentityProblem(id as Parameters<typeof requesterIdentityProblem>[0]);
          } catch (e) {
            throw new Error(`requesterIdentityProblem(${short(id)}) threw ${describeError(e)}`, { cause: e });
          }
          if (r === undefined) {
            clean++;
            if (id.sid !== undefined) expect(() => msNtdsCaSecurity(id.sid as string)).not.toThrow();
            if (id.objectGuid !== undefined)
              expect(() => objectGuidAltName(id.objectGuid as string)).not.toThrow();
            if (id.groups !== undefined) {
              expect(Array.isArray(id.groups)).toBe(true);
              for (const g of id.groups as unknown[])
                expect(typeof g === 'string' && g.trim() === g && g !== '').toBe(true);
            }
          } else {
            problems++;
            expect(['sid', 'objectGuid', 'groups']).toContain(r.field);
            expect(typeof r.message === 'string' && r.message.length > 0).toBe(true);
            expect(id[r.field]).not.toBeUndefined();
          }
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    expect(problems).toBeGreaterThan(0);
    expect(clean).toBeGreaterThan(0);
  });

  it('non-object arguments and prototype keys: undefined or a problem, never a throw', () => {
    for (const id of [
      undefined,
      null,
      0,
      'S-1',
      [],
      ['S-1'],
      Object.create(null),
      JSON.parse('{"__proto__":{"sid":"S-1"}}'),
    ]) {
      expect(() => requesterIdentityProblem(id)).not.toThrow();
    }
    expect(requesterIdentityProblem(JSON.parse('{"__proto__":{"sid":"S-1"}}'))).toBeUndefined();
    expect(requesterIdentityProblem({ sid: 42 as unknown as string })?.field).toBe('sid');
    expect(requesterIdentityProblem({ objectGuid: {} as unknown as string })?.field).toBe('objectGuid');
  });
});
