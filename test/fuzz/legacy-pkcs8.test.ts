// Malformed encrypted PKCS #8 keys in the older schemes OpenSSL 1.x wrote (the PKCS #12 PBE
// schemes with 3DES or RC2, PBES2 with DES-EDE3-CBC): importPrivateKey either gives back the key
// the file holds or throws a PkiError with an ERR_PKI_ code, never another exception. Three
// sources of inputs: structure-aware DER mutations, PEM text mutations, and the encryption
// parameters rebuilt field by field (scheme OID, salt, iteration count in every encoding, PRF,
// cipher, IV, key length, ciphertext). maxIterations stays at 5,000 (the fixtures use 1,000), so
// that no mutated count can make a run slow; the limits under the default cap have fixed cases.
// Fixed seed, fixed fixtures: every run checks the same inputs.

import { importPrivateKey, PkiError } from '@certlab/pki';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { childrenOf, content, decodeOid, hex, oid, readNode, seq, tlv } from '../support/der.js';
import { mutate, mutateText, mutationsArb, textMutationsArb } from '../support/mutate.js';
import { KEY_PEMS, LEGACY_PKCS8_PEMS } from './corpus-keys.js';

const SEED = 20261201;
/** Every run goes through the PKCS #12 KDF or PBKDF2 and a cipher: fewer runs than the sync parsers. */
const RUNS = 200;
const PASSWORD = 'fuzz';
const MAX_ITERATIONS = 5000;
const OPTIONS = { password: PASSWORD, maxIterations: MAX_ITERATIONS };

const FIXTURES: Record<string, string> = { pbeSha1ThreeKeyDes: KEY_PEMS.p256Pbe3des, ...LEGACY_PKCS8_PEMS };
const NAMES = Object.keys(FIXTURES);

function derOf(pem: string): Uint8Array {
  return new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
}
const DERS = NAMES.map((n) => derOf(FIXTURES[n]!));

let expected: Uint8Array;
beforeAll(async () => {
  expected = await (await importPrivateKey(KEY_PEMS.p256)).toPkcs8();
});

// --------------------------------------------------------------------------------------------
// The outcome: the original key, or a PkiError with an ERR_PKI_ code.

class Tally {
  ok = 0;
  readonly codes = new Map<string, number>();
  get failures(): number {
    let n = 0;
    for (const v of this.codes.values()) n += v;
    return n;
  }
}

function describeError(e: unknown): string {
  if (e instanceof Error)
    return `${e.constructor.name}${(e as { code?: unknown }).code ? ` [${String((e as { code?: unknown }).code)}]` : ''}: ${e.message}`;
  return `a non-Error value ${String(e)}`;
}

/**
 * Imports `input`; a PkiError with an ERR_PKI_ code is tallied, anything else fails the property.
 * A key that imports must be the one the fixtures hold (`sameKey`), or at least re-export.
 */
async function attempt(
  what: string,
  tally: Tally,
  input: Uint8Array | string,
  options: { password?: string; maxIterations?: number },
  sameKey: boolean,
): Promise<void> {
  let pkcs8: Uint8Array;
  try {
    const key = await importPrivateKey(input, options);
    pkcs8 = await key.toPkcs8();
  } catch (e) {
    if (e instanceof PkiError && typeof e.code === 'string' && e.code.startsWith('ERR_PKI_')) {
      tally.codes.set(e.code, (tally.codes.get(e.code) ?? 0) + 1);
      return;
    }
    throw new Error(
      `${what} threw ${describeError(e)}: expected the key or a PkiError with an ERR_PKI_ code`,
      {
        cause: e,
      },
    );
  }
  tally.ok++;
  if (sameKey) expect(hex(pkcs8), `${what} imported another key`).toBe(hex(expected));
}

async function run(tally: Tally, property: fc.IAsyncProperty<unknown[]>, numRuns = RUNS): Promise<void> {
  await fc.assert(property, { seed: SEED, numRuns });
  expect(tally.failures).toBeGreaterThan(0);
}

// --------------------------------------------------------------------------------------------
// The fixtures, split into their fields and rebuilt (so that each field can be replaced).

interface Parts {
  scheme: string;
  salt: Uint8Array;
  iterations: Uint8Array; // INTEGER content octets
  /** PBES2 only: the PBKDF2 PRF AlgorithmIdentifier (absent: hmacWithSHA1) and the cipher. */
  prf?: Uint8Array;
  enc?: { oid: string; iv: Uint8Array };
  ciphertext: Uint8Array;
}

const OID_PBES2 = '1.2.840.113549.1.5.13';
const OID_PBKDF2 = '1.2.840.113549.1.5.12';

function dotted(b: Uint8Array, at: number): string {
  return decodeOid(content(b, readNode(b, at)));
}

const PKCS12_PBE_OIDS = [1, 2, 3, 4, 5, 6].map((i) => `1.2.840.113549.1.12.1.${i}`);
const PBES1_OIDS = [1, 3, 4, 6, 10, 11].map((i) => `1.2.840.113549.1.5.${i}`);
const CIPHER_OIDS = [
  '1.2.840.113549.3.7', // des-ede3-cbc
  '2.16.840.1.101.3.4.1.2', // aes128-cbc
  '2.16.840.1.101.3.4.1.42', // aes256-cbc
  '1.3.14.3.2.7', // des-cbc
  '1.2.840.113549.3.2', // rc2-cbc
];
const PRF_OIDS = [7, 8, 9, 10, 11, 12, 13].map((i) => `1.2.840.113549.2.${i}`);

function decompose(der: Uint8Array): Parts {
  const [alg, ct] = childrenOf(der, readNode(der));
  const [schemeOid, params] = childrenOf(der, alg!);
  const scheme = dotted(der, schemeOid!.start);
  const ciphertext = content(der, ct!);
  if (scheme !== OID_PBES2) {
    const [salt, it] = childrenOf(der, params!);
    return { scheme, salt: content(der, salt!), iterations: content(der, it!), ciphertext };
  }
  const [kdf, enc] = childrenOf(der, params!);
  const [, kdfParams] = childrenOf(der, kdf!);
  const [salt, it, prf] = childrenOf(der, kdfParams!);
  const [encOid, iv] = childrenOf(der, enc!);
  return {
    scheme,
    salt: content(der, salt!),
    iterations: content(der, it!),
    ...(prf ? { prf: der.slice(prf.start, prf.end) } : {}),
    enc: { oid: dotted(der, encOid!.start), iv: content(der, iv!) },
    ciphertext,
  };
}

/** How a field is replaced; `undefined` keeps the fixture's value. */
interface Overrides {
  scheme?: string;
  params?: 'absent' | 'null' | 'swapped' | 'extra' | 'short';
  salt?: Uint8Array;
  saltTag?: number;
  iterations?: Uint8Array;
  keyLength?: Uint8Array;
  prf?: { oid: string; params: 'absent' | 'null' | 'other' } | 'absent';
  encOid?: string;
  iv?: Uint8Array | 'absent' | 'null';
  ciphertext?: Uint8Array;
}

const OCTET = 0x04;
const INTEGER = 0x02;
const NULL = Uint8Array.of(0x05, 0x00);

function build(p: Parts, o: Overrides): Uint8Array {
  const scheme = o.scheme ?? p.scheme;
  const salt = tlv(o.saltTag ?? OCTET, o.salt ?? p.salt);
  const iterations = tlv(INTEGER, o.iterations ?? p.iterations);
  let params: Uint8Array | undefined;
  if (p.enc) {
    const prf =
      o.prf === 'absent'
        ? undefined
        : o.prf
          ? seq(
              oid(o.prf.oid),
              ...(o.prf.params === 'null' ? [NULL] : o.prf.params === 'other' ? [tlv(OCTET)] : []),
            )
          : p.prf;
    const kdfParams = seq(
      salt,
      iterations,
      ...(o.keyLength ? [tlv(INTEGER, o.keyLength)] : []),
      ...(prf ? [prf] : []),
    );
    const iv = o.iv === 'absent' ? [] : o.iv === 'null' ? [NULL] : [tlv(OCTET, o.iv ?? p.enc.iv)];
    const kdf = seq(oid(OID_PBKDF2), kdfParams);
    const enc = seq(oid(o.encOid ?? p.enc.oid), ...iv);
    params = seq(kdf, enc);
    if (o.params === 'swapped') params = seq(enc, kdf);
    if (o.params === 'short') params = seq(kdf);
    if (o.params === 'extra') params = seq(kdf, enc, NULL);
  } else {
    params = seq(salt, iterations);
    if (o.params === 'swapped') params = seq(iterations, salt);
    if (o.params === 'short') params = seq(salt);
    if (o.params === 'extra') params = seq(salt, iterations, NULL);
  }
  if (o.params === 'absent') params = undefined;
  if (o.params === 'null') params = NULL;
  const alg = seq(oid(scheme), ...(params ? [params] : []));
  return seq(alg, tlv(OCTET, o.ciphertext ?? p.ciphertext));
}

/** INTEGER content octets of `v`: minimal two's complement. */
function intContent(v: bigint): Uint8Array {
  const out: number[] = [];
  let x = v;
  for (;;) {
    const b = Number(x & 0xffn);
    out.unshift(b);
    x >>= 8n;
    if ((x === 0n && (b & 0x80) === 0) || (x === -1n && (b & 0x80) !== 0)) break;
  }
  return Uint8Array.from(out);
}

const bytes = (max: number) => fc.uint8Array({ maxLength: max });

/** Iteration counts: small ones that run (at most MAX_ITERATIONS), the limits' edges, huge and negative ones, and encodings DER forbids. */
const iterationsArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.integer({ min: -3, max: MAX_ITERATIONS }).map((n) => intContent(BigInt(n))),
  fc
    .constantFrom(
      BigInt(MAX_ITERATIONS + 1),
      1_333_333n,
      1_333_334n,
      2_000_000n,
      0x7fff_ffffn,
      0x8000_0000n,
      2n ** 32n,
      2n ** 63n,
      2n ** 64n,
      2n ** 1000n,
      -(2n ** 64n),
    )
    .map(intContent),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(intContent),
  // Empty, and non-minimal (leading 00 or FF octets).
  fc.constantFrom(
    new Uint8Array(0),
    Uint8Array.of(0x00, 0x03, 0xe8),
    Uint8Array.of(0xff, 0xff),
    Uint8Array.of(0x00),
  ),
  bytes(12),
);

const keep = <T>(arb: fc.Arbitrary<T>, weight = 4): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

const overridesArb: fc.Arbitrary<Overrides> = fc.record(
  {
    scheme: keep(fc.constantFrom(...PKCS12_PBE_OIDS, ...PBES1_OIDS, OID_PBES2, '1.2.3.4', '2.999.1'), 8),
    params: keep(
      fc.constantFrom(
        'absent' as const,
        'null' as const,
        'swapped' as const,
        'extra' as const,
        'short' as const,
      ),
      10,
    ),
    salt: keep(fc.oneof(bytes(0), bytes(40), fc.uint8Array({ minLength: 200, maxLength: 4096 }))),
    saltTag: keep(fc.constantFrom(0x30, 0x02, 0x05, 0x0c, 0x80)),
    iterations: keep(iterationsArb, 2),
    keyLength: keep(
      fc.oneof(fc.constantFrom(24n, 16n, 32n, 0n, -1n, 2n ** 40n).map(intContent), bytes(6)),
      6,
    ),
    prf: keep(
      fc.oneof(
        fc.constant('absent' as const),
        fc.record({
          oid: fc.constantFrom(...PRF_OIDS, '1.2.3'),
          params: fc.constantFrom('absent' as const, 'null' as const, 'other' as const),
        }),
      ),
    ),
    encOid: keep(fc.constantFrom(...CIPHER_OIDS, '1.2.3.4'), 6),
    iv: keep(fc.oneof(fc.constantFrom('absent' as const, 'null' as const), bytes(20))),
    ciphertext: keep(
      fc.oneof(
        bytes(0),
        bytes(7),
        fc.uint8Array({ minLength: 8, maxLength: 160 }).map((b) => b.subarray(0, b.length & ~7)),
      ),
    ),
  },
  { requiredKeys: [] },
);

// --------------------------------------------------------------------------------------------

describe('legacy encrypted PKCS #8: the fixtures', () => {
  it('each decrypts to the same key; a wrong or missing password gives its code', async () => {
    expect(NAMES).toHaveLength(6);
    for (const [i, name] of NAMES.entries()) {
      for (const input of [FIXTURES[name]!, DERS[i]!]) {
        const key = await importPrivateKey(input, OPTIONS);
        expect(hex(await key.toPkcs8()), name).toBe(hex(expected));
        await expect(
          importPrivateKey(input, { password: 'nope', maxIterations: MAX_ITERATIONS }),
        ).rejects.toMatchObject({
          code: 'ERR_PKI_KEY_PASSWORD',
        });
        await expect(importPrivateKey(input)).rejects.toMatchObject({ code: 'ERR_PKI_KEY_ENCRYPTED' });
      }
      // Splitting and rebuilding a fixture gives it back byte for byte.
      expect(hex(build(decompose(DERS[i]!), {})), name).toBe(hex(DERS[i]!));
    }
  });

  it('iteration counts over the caps are refused before any work, under the default limits too', async () => {
    for (const [i, name] of NAMES.entries()) {
      const parts = decompose(DERS[i]!);
      // 1,333,334 iterations × 3 chains is over the PKCS #12 KDF's 4,000,000 rounds; the PBKDF2
      // ones (PBES2) are capped at 10,000,000 by default.
      const counts = parts.enc
        ? [10_000_001n, 2n ** 31n, 2n ** 64n, 2n ** 1000n]
        : [2_000_001n, 2n ** 31n, 2n ** 64n, 2n ** 1000n];
      if (name === 'pbeSha1ThreeKeyDes') counts.push(1_333_334n);
      for (const n of counts) {
        const der = build(parts, { iterations: intContent(n) });
        await expect(importPrivateKey(der, { password: PASSWORD }), `${name} ${n}`).rejects.toMatchObject({
          code: 'ERR_PKI_KDF_LIMIT',
        });
      }
      for (const n of [0n, -1n, -(2n ** 64n)]) {
        const e = await importPrivateKey(build(parts, { iterations: intContent(n) }), OPTIONS).catch(
          (x: unknown) => x,
        );
        expect(e, `${name} ${n}`).toBeInstanceOf(PkiError);
      }
    }
  });
});

describe('legacy encrypted PKCS #8: malformed input gives the key or a PkiError', () => {
  it('structure-aware DER mutations (bit flips, lengths, tags, truncation, re-wrapping)', async () => {
    const tally = new Tally();
    await run(
      tally,
      fc.asyncProperty(fc.nat(), mutationsArb(), async (i, ms) => {
        const der = mutate(DERS[i % DERS.length]!, ms);
        // A mutation may leave the key intact (an unused byte) but never yield another key.
        await attempt(`importPrivateKey(${NAMES[i % NAMES.length]} mutated)`, tally, der, OPTIONS, true);
      }),
    );
    expect(tally.codes.get('ERR_PKI_KEY_PASSWORD') ?? 0).toBeGreaterThan(0);
  });

  it('PEM text mutations', async () => {
    const tally = new Tally();
    await run(
      tally,
      fc.asyncProperty(fc.nat(), textMutationsArb(), async (i, ms) => {
        const text = mutateText(FIXTURES[NAMES[i % NAMES.length]!]!, ms);
        await attempt(`importPrivateKey(${NAMES[i % NAMES.length]} text)`, tally, text, OPTIONS, true);
      }),
    );
  });

  it('the encryption parameters rebuilt field by field, with several passwords', async () => {
    const tally = new Tally();
    await run(
      tally,
      fc.asyncProperty(
        fc.nat(),
        overridesArb,
        fc.oneof(
          { weight: 4, arbitrary: fc.constant(PASSWORD) },
          { weight: 1, arbitrary: fc.constantFrom('', 'Fuzz', 'fuzz\u0000', 'é😀\ud800') },
        ),
        async (i, o, password) => {
          const der = build(decompose(DERS[i % DERS.length]!), o);
          // Only the fixture's password can give a key, and only the fixture's key.
          await attempt(
            `importPrivateKey(${NAMES[i % NAMES.length]} ${JSON.stringify(o, (_, v) => (v instanceof Uint8Array ? hex(v) : typeof v === 'bigint' ? String(v) : v))})`,
            tally,
            der,
            { password, maxIterations: MAX_ITERATIONS },
            true,
          );
        },
      ),
      300,
    );
    // Not vacuous: unchanged fields decrypt, and every kind of refusal occurs.
    expect(tally.ok).toBeGreaterThan(0);
    for (const code of [
      'ERR_PKI_KEY_PASSWORD',
      'ERR_PKI_KEY_UNSUPPORTED',
      'ERR_PKI_KDF_LIMIT',
      'ERR_PKI_KEY_INVALID',
    ])
      expect(tally.codes.get(code) ?? 0, `${code} in ${JSON.stringify([...tally.codes])}`).toBeGreaterThan(0);
  });
});
