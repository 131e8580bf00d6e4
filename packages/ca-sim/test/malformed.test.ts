// Malformed requests are denied with an AD CS message, never a crash: a fast-check property
// over mutated DER and mutated PEM text (fixed seed, so a failure reproduces).

import { type CertificationAuthority, createAuthority, createMemoryStore } from '@certlab/ca-sim';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildCmc } from '../../../test/support/cmc.js';
import { makeCsr, testKey } from './support/csr.js';

let ca: CertificationAuthority;
let der: Uint8Array;
let pem: string;
let cmc: Uint8Array;
beforeAll(async () => {
  ca = await createAuthority({ name: 'Contoso Issuing CA', keyType: 'ec' });
  const csr = await makeCsr({ template: 'WebServer', san: [{ type: 'dns', value: 'exch01.contoso.com' }] });
  der = csr.der;
  pem = csr.toPem();
  cmc = await buildCmc(csr, await testKey());
});
afterAll(async () => {
  await ca?.close();
});

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; count: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 4 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
);

function apply(input: Uint8Array, muts: readonly Mutation[]): Uint8Array {
  let b = Uint8Array.from(input);
  for (const m of muts) {
    const at = b.length ? m.at % b.length : 0;
    switch (m.kind) {
      case 'flip':
        if (b.length) b[at]! ^= 1 << m.bit;
        break;
      case 'set':
        if (b.length) b[at] = m.value;
        break;
      case 'truncate':
        b = b.subarray(0, at);
        break;
      case 'insert':
        b = Uint8Array.from([...b.subarray(0, at), ...m.bytes, ...b.subarray(at)]);
        break;
      case 'delete':
        b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + m.count)]);
        break;
    }
  }
  return b;
}

const DENIAL =
  /^(Error Parsing Request {2}|Error Verifying Request Signature or Signing Certificate {2}|Denied by Policy Module)/;

async function check(input: Uint8Array | string): Promise<void> {
  const before = (await ca.list()).length;
  const r = await ca.submit(input, { template: 'WebServer' });
  expect(r.requestId).toBe(before + 1);
  if (r.disposition === 'issued') return; // a mutation that kept the request valid (rare)
  expect(r.disposition).toBe('denied');
  expect(r.dispositionCode).toBe(2);
  expect(r.message).toMatch(DENIAL);
  expect(r.hresult).not.toBe(0);
  expect(r.status).toMatch(/ 0x[0-9a-f]+ \(/);
}

it('mutated DER requests are denied with AD CS messages, never a crash', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (muts) => {
      await check(apply(der, muts));
    }),
    { seed: 0x5eed_ca, numRuns: 300 },
  );
});

it('mutated CMC requests (CMS SignedData around the request) are denied with AD CS messages, never a crash', async () => {
  expect((await ca.submit(cmc, { template: 'WebServer' })).disposition).toBe('issued'); // the control
  await fc.assert(
    fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (muts) => {
      await check(apply(cmc, muts));
    }),
    { seed: 0x5eed_cc, numRuns: 200 },
  );
});

it('mutated PEM text is denied or issued, never a crash', async () => {
  const chars = fc.constantFrom('A', '/', '+', '=', ' ', '\n', '-', '!', '\u00e9');
  await fc.assert(
    fc.asyncProperty(fc.nat(), chars, fc.boolean(), async (at, ch, replace) => {
      const i = at % pem.length;
      await check(pem.slice(0, i) + ch + pem.slice(replace ? i + 1 : i));
    }),
    { seed: 0x5eed_cb, numRuns: 200 },
  );
});

it('edge inputs: empty, not base64, a certificate instead of a request', async () => {
  for (const input of [
    '',
    '   ',
    '-----BEGIN CERTIFICATE REQUEST-----\n-----END CERTIFICATE REQUEST-----',
    new Uint8Array(0),
  ]) {
    await check(input);
  }
  await check(ca.certificate.der);
  await check(ca.certificate.toPem());
});

it('refuses CA names and URLs holding a control character before touching the store (ERR_CA_OPTIONS_INVALID)', async () => {
  const db = createMemoryStore();
  for (const [options, what] of [
    [{ name: 'Contoso\u0000CA' }, 'name'],
    [{ name: 'Contoso CA', root: { name: 'Root\nCA' } }, 'root.name'],
    [{ name: 'Contoso CA', subjectSuffix: 'DC=contoso\u0007' }, 'subjectSuffix'],
    [{ name: 'Contoso CA', baseUrl: 'http://pki.contoso.com/\u0000' }, 'baseUrl'],
    [{ name: 'Contoso CA', serverDnsName: 'ca01\r.contoso.com' }, 'serverDnsName'],
  ] as const)
    await expect(createAuthority({ ...options, db, keyType: 'ec' }), what).rejects.toMatchObject({
      code: 'ERR_CA_OPTIONS_INVALID',
      message: expect.stringContaining(`${what} holds the control character U+`),
    });
  // Nothing was created: a CA with a good name is the first one in this store.
  const ok = await createAuthority({ name: 'Contoso CA', db, keyType: 'ec', create: true });
  expect(ok.name).toBe('Contoso CA');
  await ok.close();
});

it('API misuse is a TypeError before anything is recorded: request type, template, attributes, keyType', async () => {
  const before = (await ca.list()).length;
  for (const [request, options] of [
    [123, {}],
    [new ArrayBuffer(8), {}],
    [null, {}],
    [der, { template: 123 }],
    [der, { attributes: 42 }],
  ] as const)
    await expect(ca.submit(request as never, options as never), String(request)).rejects.toThrow(TypeError);
  // No request id was used: the next real request gets the next number.
  expect((await ca.list()).length).toBe(before);
  for (const keyType of ['EC', 'dsa', ''])
    await expect(createAuthority({ name: 'X CA', keyType: keyType as never }), keyType).rejects.toThrow(
      /keyType must be 'ec' or 'rsa'/,
    );
});
