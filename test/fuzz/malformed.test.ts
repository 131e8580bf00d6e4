// Property tests over malformed input. Every public parser, given a mutation of a valid input
// (bit flips, byte replacement, truncation, insertion, deletion, corrupted TLV headers: overlong,
// indefinite, huge and off-by-one lengths, other tags, duplicated and re-wrapped elements) or
// random text, either succeeds or throws a PkiError whose code starts with ERR_PKI_, never
// another exception; and every getter of what it returns does the same. Each call, and each
// property as a whole, stays within a time bound; inputs of a megabyte of nested headers finish
// in well under the 2 s bound. Fixed seed, fixed corpus: every run checks the same inputs.

import {
  type Certificate,
  type CertificationRequest,
  decodeBase64,
  decodeExtension,
  decodePem,
  type Extension,
  importPrivateKey,
  isPem,
  Name,
  type NameAttribute,
  OID,
  PkiError,
  PublicKey,
  parseCertificate,
  parseCsr,
  readDerOrPem,
} from '@certlab/pki';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { childrenOf, hex, type Node, readNode, seq, slice, tlv } from '../support/der.js';
import {
  mutate,
  mutateText,
  mutationsArb,
  nestedDefinite,
  repeatedHeaders,
  textMutationsArb,
  tlvNodes,
  wrapDefinite,
} from '../support/mutate.js';
import { REENCODE } from '../support/reencode.js';
import { buildCorpus, type Corpus } from './corpus.js';

const SEED = 20261129;
const RUNS = 500;
/** Async properties go through WebCrypto (key import, signature checks): fewer runs. */
const ASYNC_RUNS = 200;
/** No single call on a mutated input of a few kilobytes may take longer than this. */
const PER_CALL_MS = 500;
/** A whole property (hundreds of runs, every getter) must finish within this. */
const PROPERTY_MS = 10_000;
/** Time allowed for a large input: linear code needs a few ms per megabyte; 2 s/MB is generous. */
const budgetFor = (bytes: number) => 100 + (2000 * bytes) / (1024 * 1024);

// --------------------------------------------------------------------------------------------
// The property: success, or a PkiError with an ERR_PKI_ code.

/** Calls, outcomes and the slowest call of one property. */
class Tally {
  ok = 0;
  readonly codes = new Map<string, number>();
  slowest = 0;
  slowestWhat = '';
  record(what: string, ms: number): void {
    if (ms > this.slowest) {
      this.slowest = ms;
      this.slowestWhat = what;
    }
  }
  fail(code: string): void {
    this.codes.set(code, (this.codes.get(code) ?? 0) + 1);
  }
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

function checkPkiError(what: string, e: unknown, tally: Tally): void {
  if (e instanceof PkiError && typeof e.code === 'string' && e.code.startsWith('ERR_PKI_')) {
    tally.fail(e.code);
    return;
  }
  throw new Error(
    `${what} threw ${describeError(e)} — expected success or a PkiError with an ERR_PKI_ code`,
    { cause: e },
  );
}

/** Runs `fn`; a PkiError is an accepted outcome (returns undefined), anything else fails the property. */
function attempt<T>(what: string, tally: Tally, fn: () => T): T | undefined {
  const t = performance.now();
  try {
    const r = fn();
    tally.ok++;
    return r;
  } catch (e) {
    checkPkiError(what, e, tally);
    return undefined;
  } finally {
    tally.record(what, performance.now() - t);
  }
}

async function attemptAsync<T>(what: string, tally: Tally, fn: () => Promise<T>): Promise<T | undefined> {
  const t = performance.now();
  try {
    const r = await fn();
    tally.ok++;
    return r;
  } catch (e) {
    checkPkiError(what, e, tally);
    return undefined;
  } finally {
    tally.record(what, performance.now() - t);
  }
}

/** Runs a property with the fixed seed, then checks the time bounds and that both outcomes occurred. */
function check(tally: Tally, property: fc.IProperty<never> | fc.IProperty<unknown[]>, numRuns = RUNS): void {
  const t0 = performance.now();
  fc.assert(property as fc.IProperty<unknown[]>, { seed: SEED, numRuns });
  const total = performance.now() - t0;
  expect(tally.slowest, `slowest call: ${tally.slowestWhat}`).toBeLessThan(PER_CALL_MS);
  expect(total).toBeLessThan(PROPERTY_MS);
  // Not vacuous: some inputs parse, some do not.
  expect(tally.ok).toBeGreaterThan(0);
  expect(tally.failures).toBeGreaterThan(0);
}

async function checkAsync(
  tally: Tally,
  property: fc.IAsyncProperty<unknown[]>,
  numRuns = ASYNC_RUNS,
): Promise<void> {
  const t0 = performance.now();
  await fc.assert(property, { seed: SEED, numRuns });
  const total = performance.now() - t0;
  expect(tally.slowest, `slowest call: ${tally.slowestWhat}`).toBeLessThan(PER_CALL_MS * 4);
  expect(total).toBeLessThan(PROPERTY_MS * 2);
  expect(tally.ok).toBeGreaterThan(0);
  expect(tally.failures).toBeGreaterThan(0);
}

// --------------------------------------------------------------------------------------------
// Touching everything a parsed object offers

function touchName(n: Name, tally: Tally, where: string): void {
  attempt(`${where}.toString()`, tally, () => n.toString());
  attempt(`${where}.toWindowsString()`, tally, () => n.toWindowsString());
  attempt(`${where}.canonical`, tally, () => n.canonical);
  attempt(`${where}.commonName`, tally, () => n.commonName);
  attempt(`${where}.getAll('OU')`, tally, () => n.getAll('OU'));
  attempt(`${where}.isEmpty`, tally, () => n.isEmpty);
  attempt(`${where}.equals(self)`, tally, () => n.equals(n));
  attempt(`Name.from(${where}.rdns)`, tally, () => Name.from(n.rdns));
}

function touchExtensions(exts: readonly Extension[], tally: Tally, where: string): void {
  for (const e of exts) attempt(`decodeExtension(${where} ${e.oid})`, tally, () => decodeExtension(e));
}

function touchCertificate(c: Certificate, tally: Tally): void {
  const getters: [string, () => unknown][] = [
    ['version', () => c.version],
    ['serialNumber', () => c.serialNumber],
    ['serialNumberBigInt', () => c.serialNumberBigInt],
    ['issuer', () => c.issuer],
    ['subject', () => c.subject],
    ['notBefore', () => c.notBefore],
    ['notAfter', () => c.notAfter],
    ['tbs', () => c.tbs],
    ['signature', () => c.signature],
    ['signatureAlgorithm', () => c.signatureAlgorithm],
    ['signatureAlgorithmOid', () => c.signatureAlgorithmOid],
    ['subjectPublicKeyInfo', () => c.subjectPublicKeyInfo],
    ['publicKey', () => c.publicKey],
    ['issuerUniqueId', () => c.issuerUniqueId],
    ['subjectUniqueId', () => c.subjectUniqueId],
    ['extensions', () => c.extensions],
    ['getExtension', () => c.getExtension(OID.subjectAltName)],
    ['basicConstraints', () => c.basicConstraints],
    ['keyUsage', () => c.keyUsage],
    ['extKeyUsage', () => c.extKeyUsage],
    ['subjectAltNames', () => c.subjectAltNames],
    ['subjectKeyIdentifier', () => c.subjectKeyIdentifier],
    ['authorityKeyIdentifier', () => c.authorityKeyIdentifier],
    ['isSelfIssued', () => c.isSelfIssued],
    ['isCA', () => c.isCA],
    ['toPem', () => c.toPem()],
    ['equals', () => c.equals(c)],
  ];
  for (const [name, get] of getters) attempt(`certificate.${name}`, tally, get);
  const subject = attempt('certificate.subject', tally, () => c.subject);
  if (subject) touchName(subject, tally, 'certificate.subject');
  const issuer = attempt('certificate.issuer', tally, () => c.issuer);
  if (issuer) touchName(issuer, tally, 'certificate.issuer');
  const exts = attempt('certificate.extensions', tally, () => c.extensions);
  if (exts) touchExtensions(exts, tally, 'certificate');
  const key = attempt('certificate.publicKey', tally, () => c.publicKey);
  if (key) attempt('certificate.publicKey.toPem()', tally, () => key.toPem());
}

function touchCsr(r: CertificationRequest, tally: Tally): void {
  const getters: [string, () => unknown][] = [
    ['subject', () => r.subject],
    ['subjectPublicKeyInfo', () => r.subjectPublicKeyInfo],
    ['attributes', () => r.attributes],
    ['publicKey', () => r.publicKey],
    ['signatureAlgorithm', () => r.signatureAlgorithm],
    ['info', () => r.info],
    ['signature', () => r.signature],
    ['extensions', () => r.extensions],
    ['getExtension', () => r.getExtension(OID.subjectAltName)],
    ['subjectAltNames', () => r.subjectAltNames],
    ['challengePassword', () => r.challengePassword],
    ['nameValuePairs', () => r.nameValuePairs],
    ['template', () => r.template],
    ['attribute', () => r.attribute(OID.challengePassword)],
    ['toPem', () => r.toPem()],
  ];
  for (const [name, get] of getters) attempt(`csr.${name}`, tally, get);
  touchName(r.subject, tally, 'csr.subject');
  const exts = attempt('csr.extensions', tally, () => r.extensions);
  if (exts) touchExtensions(exts, tally, 'csr');
}

// --------------------------------------------------------------------------------------------

let corpus: Corpus;
const nodeCache = new WeakMap<Uint8Array, Node[]>();
const nodesOf = (b: Uint8Array) => {
  let n = nodeCache.get(b);
  if (!n) {
    n = tlvNodes(b);
    nodeCache.set(b, n);
  }
  return n;
};
/** A mutated copy of corpus entry `i` of `list`. */
const mutated = (list: readonly Uint8Array[], i: number, ms: Parameters<typeof mutate>[1]) => {
  const base = list[i % list.length]!;
  return mutate(base, ms, nodesOf(base));
};

beforeAll(async () => {
  corpus = await buildCorpus();
});

describe('the corpus is valid to begin with', () => {
  it('every certificate, request, name, extension, key and PEM parses', async () => {
    for (const c of corpus.certificates) touchCertificate(parseCertificate(c), new Tally());
    for (const r of corpus.csrs) expect(await parseCsr(r).verify()).toBe(true);
    for (const n of corpus.names) expect(hex(Name.fromDer(n).der)).toBe(hex(n));
    for (const e of corpus.extensions) expect(decodeExtension(e)).toBeDefined();
    expect(corpus.extensions.length).toBeGreaterThanOrEqual(20);
    for (const s of corpus.spkis) expect(hex(PublicKey.fromSpki(s).spki)).toBe(hex(s));
    for (const k of corpus.keyDers)
      expect((await importPrivateKey(k, { password: 'fuzz' })).publicKey).toBeInstanceOf(PublicKey);
    for (const p of corpus.pems) expect(decodePem(p).length).toBeGreaterThan(0);
    expect(corpus.certificates.map((c) => tlvNodes(c).length).every((n) => n > 20)).toBe(true);
  });

  it('mutations are deterministic and do what they say', () => {
    const der = corpus.certificates[0]!;
    const ms = fc.sample(mutationsArb(), { seed: SEED, numRuns: 5 });
    expect(ms.map((m) => hex(mutate(der, m)))).toEqual(ms.map((m) => hex(mutate(der, m))));
    expect(hex(mutate(der, [{ kind: 'truncate', at: 3 }]))).toBe(hex(der.subarray(0, 3)));
    expect(mutate(der, [{ kind: 'length', node: 0, form: 'indefinite', value: 0 }]).subarray(0, 2)).toEqual(
      Uint8Array.of(0x30, 0x80),
    );
    expect(mutate(der, [{ kind: 'length', node: 0, form: 'huge4', value: 0 }]).subarray(0, 6)).toEqual(
      Uint8Array.of(0x30, 0x84, 0xff, 0xff, 0xff, 0xff),
    );
  });
});

describe('mutated DER: success or a PkiError, never another exception', () => {
  it('parseCertificate, then every getter and every extension decoder', () => {
    const tally = new Tally();
    check(
      tally,
      fc.property(fc.nat(), mutationsArb(), (i, ms) => {
        const c = attempt('parseCertificate', tally, () =>
          parseCertificate(mutated(corpus.certificates, i, ms)),
        );
        if (c) touchCertificate(c, tally);
      }),
    );
  });

  it('parseCertificate, then verifySignature and thumbprint (async)', async () => {
    const tally = new Tally();
    const issuer = () => parseCertificate(corpus.certificates[0]!).publicKey;
    await checkAsync(
      tally,
      fc.asyncProperty(fc.nat(), mutationsArb(), async (i, ms) => {
        const c = attempt('parseCertificate', tally, () =>
          parseCertificate(mutated(corpus.certificates, i, ms)),
        );
        if (!c) return;
        await attemptAsync('certificate.verifySignature(issuer)', tally, () => c.verifySignature(issuer()));
        await attemptAsync('certificate.verifySignature()', tally, () => c.verifySignature());
        await attemptAsync('certificate.thumbprint()', tally, () => c.thumbprint('SHA-256'));
      }),
    );
  });

  it('parseCsr, then every getter', () => {
    const tally = new Tally();
    check(
      tally,
      fc.property(fc.nat(), mutationsArb(), (i, ms) => {
        const r = attempt('parseCsr', tally, () => parseCsr(mutated(corpus.csrs, i, ms)));
        if (r) touchCsr(r, tally);
      }),
    );
  });

  it('parseCsr, then verify (async)', async () => {
    const tally = new Tally();
    await checkAsync(
      tally,
      fc.asyncProperty(fc.nat(), mutationsArb(), async (i, ms) => {
        const r = attempt('parseCsr', tally, () => parseCsr(mutated(corpus.csrs, i, ms)));
        if (r) await attemptAsync('csr.verify()', tally, () => r.verify());
      }),
    );
  });

  it('Name.fromDer, then every accessor and Name.from(rdns)', () => {
    const tally = new Tally();
    check(
      tally,
      fc.property(fc.nat(), mutationsArb(), (i, ms) => {
        const n = attempt('Name.fromDer', tally, () => Name.fromDer(mutated(corpus.names, i, ms)));
        if (n) touchName(n, tally, 'name');
      }),
    );
  });

  it('decodeExtension on each extension value, under its own OID and under others', () => {
    const tally = new Tally();
    const oids = [...new Set(corpus.extensions.map((e) => e.oid))];
    check(
      tally,
      fc.property(fc.nat(), fc.option(fc.nat(), { freq: 4 }), mutationsArb(), (i, other, ms) => {
        const e = corpus.extensions[i % corpus.extensions.length]!;
        const value = mutate(e.value, ms, nodesOf(e.value));
        const oid = typeof other === 'number' ? oids[other % oids.length]! : e.oid;
        attempt(`decodeExtension(${oid})`, tally, () =>
          decodeExtension({ oid, critical: e.critical, value }),
        );
      }),
    );
  });

  it('PublicKey.fromSpki, then its members', () => {
    const tally = new Tally();
    check(
      tally,
      fc.property(fc.nat(), mutationsArb(), (i, ms) => {
        const k = attempt('PublicKey.fromSpki', tally, () =>
          PublicKey.fromSpki(mutated(corpus.spkis, i, ms)),
        );
        if (k) {
          attempt('publicKey.toPem()', tally, () => k.toPem());
          attempt('publicKey.type/bits/curve', tally, () => [k.type, k.bits, k.curve]);
        }
      }),
    );
  });

  it('PublicKey.fromSpki, then toJwk, keyIdentifier and a WebCrypto import (async)', async () => {
    const tally = new Tally();
    await checkAsync(
      tally,
      fc.asyncProperty(fc.nat(), mutationsArb(), async (i, ms) => {
        const k = attempt('PublicKey.fromSpki', tally, () =>
          PublicKey.fromSpki(mutated(corpus.spkis, i, ms)),
        );
        if (!k) return;
        await attemptAsync('publicKey.toJwk()', tally, () => k.toJwk());
        await attemptAsync('publicKey.keyIdentifier()', tally, () => k.keyIdentifier());
        const alg =
          k.type === 'rsa'
            ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
            : k.type === 'ec'
              ? { name: 'ECDSA' }
              : { name: 'Ed25519' };
        await attemptAsync('publicKey.cryptoKey()', tally, () => k.cryptoKey(alg));
      }),
    );
  });

  it('importPrivateKey on mutated DER (PKCS #8, SEC 1, PKCS #1, encrypted PKCS #8)', async () => {
    const tally = new Tally();
    await checkAsync(
      tally,
      fc.asyncProperty(fc.nat(), mutationsArb(), async (i, ms) => {
        const k = await attemptAsync('importPrivateKey(der)', tally, () =>
          importPrivateKey(mutated(corpus.keyDers, i, ms), { password: 'fuzz', maxIterations: 5000 }),
        );
        if (k) await attemptAsync('privateKey.toPkcs8()', tally, () => k.toPkcs8());
      }),
    );
  });

  it('readDerOrPem on mutated DER bytes', () => {
    const tally = new Tally();
    check(
      tally,
      fc.property(fc.nat(), mutationsArb(), (i, ms) => {
        const all = [...corpus.certificates, ...corpus.csrs, ...corpus.keyDers];
        attempt('readDerOrPem(bytes)', tally, () => readDerOrPem(mutated(all, i, ms)));
        attempt('readDerOrPem(bytes, label)', tally, () =>
          readDerOrPem(mutated(all, i, ms).subarray(1), 'CERTIFICATE'),
        );
      }),
    );
  });
});

describe('mutated and random text: success or a PkiError', () => {
  const base64ish = fc.string({ unit: fc.constantFrom(...'ABCDEFabcdef0123+/=-_ \r\n\t*'), maxLength: 200 });

  it('decodePem, readDerOrPem, isPem on mutated PEM', () => {
    const tally = new Tally();
    check(
      tally,
      fc.property(fc.nat(), textMutationsArb(), (i, ms) => {
        const text = mutateText(corpus.pems[i % corpus.pems.length]!, ms);
        attempt('decodePem', tally, () => decodePem(text));
        attempt('decodePem(label)', tally, () => decodePem(text, { label: 'CERTIFICATE' }));
        attempt('readDerOrPem(text)', tally, () => readDerOrPem(text));
        attempt('readDerOrPem(text, label)', tally, () => readDerOrPem(text, 'CERTIFICATE REQUEST'));
        attempt('readDerOrPem(latin1 bytes)', tally, () =>
          readDerOrPem(new Uint8Array(Buffer.from(text, 'latin1'))),
        );
        attempt('isPem', tally, () => isPem(text));
      }),
    );
  });

  it('decodeBase64, decodePem, readDerOrPem on random text', () => {
    const tally = new Tally();
    check(
      tally,
      fc.property(
        fc.oneof(base64ish, fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ maxLength: 200 })),
        (text) => {
          attempt('decodeBase64', tally, () => decodeBase64(text));
          attempt('decodePem', tally, () => decodePem(`-----BEGIN X-----\n${text}\n-----END X-----\n`));
          attempt('readDerOrPem', tally, () => readDerOrPem(text));
        },
      ),
    );
  });

  it('importPrivateKey on mutated PEM text (with and without RFC 1421 headers)', async () => {
    const tally = new Tally();
    const keyPems = corpus.pems.filter((p) => p.includes('PRIVATE KEY'));
    await checkAsync(
      tally,
      fc.asyncProperty(fc.nat(), textMutationsArb(), async (i, ms) => {
        const text = mutateText(keyPems[i % keyPems.length]!, ms);
        await attemptAsync('importPrivateKey(pem)', tally, () =>
          importPrivateKey(text, { password: 'fuzz', maxIterations: 5000 }),
        );
      }),
    );
  });

  const DN_UNITS = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        'CN',
        'O',
        'OU',
        'C',
        'E',
        'S',
        'ST',
        'DC',
        'OID.1.2.3',
        '2.5.4.3',
        'x',
        '=',
        ',',
        '+',
        ';',
        '/',
        '\\',
        '"',
        '#',
        ' ',
        'é',
        '😀',
        '\\2C',
        '\\C3\\A9',
        '\\ZZ',
        '\\',
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 3 }) },
  );

  it('Name.parse on random strings and DN-shaped strings', () => {
    const tally = new Tally();
    check(
      tally,
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: DN_UNITS, maxLength: 30 })),
        (text) => {
          const n = attempt('Name.parse', tally, () => Name.parse(text));
          if (n) touchName(n, tally, 'parsed');
        },
      ),
    );
  });
});

// --------------------------------------------------------------------------------------------
// Round trips of names: a name's string forms read back to the same DER

const ATTR_TYPES = [
  OID.commonName,
  OID.organizationName,
  OID.organizationalUnitName,
  OID.localityName,
  OID.title,
  OID.serialNumber,
  '1.2.3.4',
];
const SPECIALS = [',', '+', '"', '\\', '<', '>', ';', '#', '=', ' ', '/', '\n', '\t'];

function nameArb(char: fc.Arbitrary<string>): fc.Arbitrary<NameAttribute[][]> {
  const value = fc.string({
    unit: fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...SPECIALS) }, { weight: 3, arbitrary: char }),
    minLength: 1,
    maxLength: 12,
  });
  const attr = fc.record({ type: fc.constantFrom(...ATTR_TYPES), value });
  return fc.array(fc.array(attr, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 5 });
}

const BMP_CHAR = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
  fc.constantFrom('é', 'Ω', '中', 'Ж', '\u00a0', 'ß'),
);
const ASTRAL_CHAR = fc.oneof(BMP_CHAR, fc.constantFrom('😀', '𝔘', '𠀋'));

function roundTrip(rdns: NameAttribute[][], form: 'rfc4514' | 'windows'): void {
  const n = Name.from(rdns);
  const text = form === 'rfc4514' ? n.toString() : n.toWindowsString();
  let back: Name;
  try {
    back = Name.parse(text);
  } catch (e) {
    throw new Error(`Name.parse(${JSON.stringify(text)}) threw ${describeError(e)}`);
  }
  if (hex(back.der) !== hex(n.der)) {
    throw new Error(
      `${JSON.stringify(text)} reads back as ${JSON.stringify(back.toString())}, not ${JSON.stringify(n.toString())}`,
    );
  }
}

describe('names: string forms read back to the same DER', () => {
  it('Name.fromDer(name.der) and Name.from(rdns) reproduce the DER', () => {
    fc.assert(
      fc.property(nameArb(ASTRAL_CHAR), (rdns) => {
        const n = Name.from(rdns);
        expect(hex(Name.fromDer(n.der).der)).toBe(hex(n.der));
        expect(hex(Name.from(Name.fromDer(n.der).rdns).der)).toBe(hex(n.der));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('RFC 4514: Name.parse(name.toString()) (BMP characters)', () => {
    fc.assert(
      fc.property(nameArb(BMP_CHAR), (rdns) => roundTrip(rdns, 'rfc4514')),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('RFC 4514: Name.parse(name.toString()) (with characters beyond the BMP)', () => {
    fc.assert(
      fc.property(nameArb(ASTRAL_CHAR), (rdns) => roundTrip(rdns, 'rfc4514')),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('Windows form: Name.parse(name.toWindowsString()) (BMP characters)', () => {
    fc.assert(
      fc.property(nameArb(BMP_CHAR), (rdns) => roundTrip(rdns, 'windows')),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('decoded extensions re-encode stably', () => {
  it('for a mutated value that decodes, builder(decoder(v)) is a fixed point of builder∘decoder', () => {
    const tally = new Tally();
    fc.assert(
      fc.property(fc.nat(), mutationsArb(2), (i, ms) => {
        const e = corpus.extensions[i % corpus.extensions.length]!;
        const fn = REENCODE[e.oid];
        if (!fn) return;
        const v = mutate(e.value, ms, nodesOf(e.value));
        const once = attempt(`decode/encode ${e.oid}`, tally, () => fn(v));
        if (!once) return;
        // Builders may refuse decoded values (e.g. TypeError for an empty keyUsage); only a
        // successful re-encoding is checked: re-encoding it again must not change it.
        let twice: Uint8Array;
        try {
          twice = fn(once);
        } catch (err) {
          throw new Error(
            `${e.oid}: re-encoded value ${hex(once)} does not decode again: ${describeError(err)}`,
          );
        }
        if (hex(twice) !== hex(once)) throw new Error(`${e.oid}: ${hex(v)} → ${hex(once)} → ${hex(twice)}`);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

// --------------------------------------------------------------------------------------------
// Large and deeply nested inputs: bounded time

interface Parser {
  name: string;
  run: (b: Uint8Array) => unknown;
}

const PARSERS: Parser[] = [
  {
    name: 'parseCertificate + getters',
    run: (b) => {
      const tally = new Tally();
      const c = attempt('parseCertificate', tally, () => parseCertificate(b));
      if (c) touchCertificate(c, tally);
    },
  },
  {
    name: 'parseCsr + getters',
    run: (b) => {
      const tally = new Tally();
      const r = attempt('parseCsr', tally, () => parseCsr(b));
      if (r) touchCsr(r, tally);
    },
  },
  { name: 'Name.fromDer', run: (b) => attempt('Name.fromDer', new Tally(), () => Name.fromDer(b)) },
  {
    name: 'PublicKey.fromSpki',
    run: (b) => attempt('PublicKey.fromSpki', new Tally(), () => PublicKey.fromSpki(b)),
  },
  { name: 'readDerOrPem', run: (b) => attempt('readDerOrPem', new Tally(), () => readDerOrPem(b)) },
  ...Object.keys(REENCODE).map((oid) => ({
    name: `decodeExtension(${oid})`,
    run: (b: Uint8Array) =>
      attempt(`decodeExtension(${oid})`, new Tally(), () =>
        decodeExtension({ oid, critical: false, value: b }),
      ),
  })),
];

const MB = 1024 * 1024;
const NESTED: { name: string; make: () => Uint8Array }[] = [
  { name: '1 MB of nested SEQUENCEs with correct definite lengths', make: () => nestedDefinite(MB) },
  {
    name: '1 MB of nested [0] constructed with correct definite lengths',
    make: () => nestedDefinite(MB, 0xa0),
  },
  {
    name: '1 MB of nested indefinite-length SEQUENCE headers (30 80)',
    make: () => repeatedHeaders([0x30, 0x80], MB / 2),
  },
  { name: '10k nested SEQUENCE headers 30 80', make: () => repeatedHeaders([0x30, 0x80], 10_000) },
  {
    name: '10k nested SEQUENCE headers with huge lengths (30 84 ff ff ff ff)',
    make: () => repeatedHeaders([0x30, 0x84, 0xff, 0xff, 0xff, 0xff], 10_000),
  },
  {
    name: 'one huge length field (30 84 ff ff ff ff) and 1 MB of zeros',
    make: () => Uint8Array.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff, ...new Uint8Array(16)]),
  },
  {
    name: 'a length field of 127 octets',
    make: () => Uint8Array.from([0x30, 0xff, ...new Uint8Array(127).fill(0xff)]),
  },
];

describe('megabyte inputs of nested headers finish quickly', () => {
  for (const n of NESTED) {
    it(`${n.name}: every parser ends in < ${Math.round(budgetFor(MB))} ms`, () => {
      const input = n.make();
      const slow: string[] = [];
      for (const p of PARSERS) {
        const t = performance.now();
        p.run(input);
        const ms = performance.now() - t;
        if (ms > budgetFor(input.length)) slow.push(`${p.name}: ${Math.round(ms)} ms`);
      }
      expect(slow).toEqual([]);
    });
  }

  it('a valid certificate, and a valid SAN value, wrapped in 100k SEQUENCEs', () => {
    const cert = wrapDefinite(corpus.certificates[1]!, 100_000);
    const san = corpus.extensions.find((e) => e.oid === OID.subjectAltName)!;
    const sanValue = wrapDefinite(san.value, 100_000);
    const t = performance.now();
    for (const p of PARSERS) p.run(cert);
    attempt('decodeExtension(SAN)', new Tally(), () => decodeExtension({ ...san, value: sanValue }));
    expect(performance.now() - t).toBeLessThan(budgetFor(cert.length) * PARSERS.length);
  });
});

// --------------------------------------------------------------------------------------------
// Large single fields: work proportional to the input

/** `seq` of `n` bytes of content wrapped as one TLV. */
const big = (tag: number, n: number, fill: number, first?: number[]) => {
  const c = new Uint8Array(n).fill(fill);
  if (first) c.set(first, 0);
  return tlv(tag, c);
};

function timed(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

describe('large single fields take time proportional to their size', () => {
  const KB128 = 128 * 1024;

  it('an OBJECT IDENTIFIER with one 128 KB arc, in a name', () => {
    const content = new Uint8Array(KB128).fill(0xff);
    content[0] = 0x2a;
    content[KB128 - 1] = 0x7f;
    const name = seq(tlv(0x31, seq(tlv(0x06, content), tlv(0x0c, Uint8Array.of(0x61)))));
    const ms = timed(() => attempt('Name.fromDer', new Tally(), () => Name.fromDer(name)?.toString()));
    expect(ms).toBeLessThan(budgetFor(name.length));
  });

  it('an OBJECT IDENTIFIER with 128k small arcs, in a name', () => {
    const content = new Uint8Array(KB128).fill(0x01);
    const name = seq(tlv(0x31, seq(tlv(0x06, content), tlv(0x0c, Uint8Array.of(0x61)))));
    const ms = timed(() => attempt('Name.fromDer', new Tally(), () => Name.fromDer(name)?.toString()));
    expect(ms).toBeLessThan(budgetFor(name.length));
  });

  it('an authorityKeyIdentifier with a 128 KB serial number', () => {
    const value = seq(big(0x82, KB128, 0x11));
    const ms = timed(() =>
      attempt('decodeExtension(AKI)', new Tally(), () =>
        decodeExtension({ oid: OID.authorityKeyIdentifier, critical: false, value }),
      ),
    );
    expect(ms).toBeLessThan(budgetFor(value.length));
  });

  it('a certificate with a 128 KB serial number: parse and every getter', () => {
    const der = corpus.certificates[2]!;
    const top = readNode(der);
    const [tbs, alg, sig] = childrenOf(der, top);
    const parts = childrenOf(der, tbs!).map((n) => slice(der, n));
    parts[1] = big(0x02, KB128, 0x11);
    const huge = seq(seq(...parts), slice(der, alg!), slice(der, sig!));
    const ms = timed(() => {
      const tally = new Tally();
      const c = attempt('parseCertificate', tally, () => parseCertificate(huge));
      if (c) touchCertificate(c, tally);
    });
    expect(ms).toBeLessThan(budgetFor(huge.length));
  });

  it('256 KB of repeated "-----BEGIN A-----" (decodePem, readDerOrPem, isPem)', () => {
    const text = '-----BEGIN A-----'.repeat(Math.ceil((256 * 1024) / 17));
    const ms = timed(() => {
      const tally = new Tally();
      attempt('decodePem', tally, () => decodePem(text));
      attempt('readDerOrPem', tally, () => readDerOrPem(text));
      attempt('isPem', tally, () => isPem(text));
    });
    expect(ms).toBeLessThan(budgetFor(text.length) * 3);
  });

  it('256 KB of repeated "-----BEGIN A-----" given to importPrivateKey', async () => {
    const text = '-----BEGIN A-----'.repeat(Math.ceil((256 * 1024) / 17));
    const t = performance.now();
    await attemptAsync('importPrivateKey', new Tally(), () => importPrivateKey(text));
    expect(performance.now() - t).toBeLessThan(budgetFor(text.length));
  });

  const BIG_DN: [string, () => string][] = [
    ['one 1 MB value', () => `CN=${'a'.repeat(MB)}`],
    ['200k RDNs', () => `${'CN=a,'.repeat(MB / 5 - 1)}CN=a`],
    ['one RDN of 200k attributes', () => `${'CN=a+'.repeat(MB / 5 - 1)}CN=a`],
    ['500k escaped commas', () => `CN=${'\\,'.repeat(MB / 2)}`],
    ['an unclosed 1 MB quoted value', () => `CN="${'x'.repeat(MB)}`],
    ['1 MB of "="', () => '='.repeat(MB)],
    ['1 MB of backslashes', () => '\\'.repeat(MB)],
  ];
  for (const [title, make] of BIG_DN) {
    it(`Name.parse on ${title}: a name or a PkiError, in bounded time`, () => {
      const s = make();
      const ms = timed(() => attempt('Name.parse', new Tally(), () => Name.parse(s)));
      expect(ms).toBeLessThan(budgetFor(s.length) * 2);
    });
  }

  it('1 MB of Base64 and of text without PEM armour', () => {
    const b64 = 'QUFB'.repeat(MB / 4);
    for (const s of [b64, `${b64}=`, ' '.repeat(MB), `-----BEGIN X-----\n${b64}\n-----END X-----\n`]) {
      const ms = timed(() => {
        const tally = new Tally();
        attempt('decodeBase64', tally, () => decodeBase64(s));
        attempt('readDerOrPem', tally, () => readDerOrPem(s));
      });
      expect(ms).toBeLessThan(budgetFor(s.length) * 2);
    }
  });
});
