// Malformed-input properties for the pki entry points that test/fuzz/malformed.test.ts and the
// per-module tests do not reach: readCertificates (bundles: no certificate lost), firstDerElement,
// parseGeneralName, importPublicKey (PEM text and JWK), importPrivateKey (JWK), ecdsaDerToRaw,
// serialToBytes, fromHex, readNameAt, the hostname helpers, attributeOid/ekuOid, the CRL and
// S/MIME/NTDS extension decoders, and verifyCertificate on mutated bytes. Each call returns or
// throws a PkiError with an ERR_PKI_ code (TypeError only where the API documents it), within a
// time bound. Fixed seed, fixed corpus.

import {
  attributeOid,
  checkHostname,
  crlNumber,
  crlReason,
  decodeCrlNumber,
  decodeCrlReason,
  decodeExtension,
  decodeInvalidityDate,
  decodeIssuingDistributionPoint,
  decodeMsNtdsCaSecurity,
  decodeSmimeCapabilities,
  ecdsaDerToRaw,
  ekuOid,
  encodePem,
  firstDerElement,
  fromHex,
  type GeneralName,
  importPrivateKey,
  importPublicKey,
  invalidityDate,
  issuingDistributionPoint,
  isValidHostname,
  matchDnsPattern,
  msNtdsCaSecurity,
  Name,
  PkiError,
  PublicKey,
  parseCertificate,
  parseGeneralName,
  readCertificates,
  readNameAt,
  serialToBytes,
  smimeCapabilities,
  verifyCertificate,
} from '@certlab/pki';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCorpus, type Corpus } from '../../../test/fuzz/corpus.js';
import { KEY_PEMS, SPKI_HEX } from '../../../test/fuzz/corpus-keys.js';
import { attemptAsync, attemptSync, coded, Outcomes, typeError } from '../../../test/support/coded.js';
import { type Json, jsonEditsArb, mutateJson } from '../../../test/support/json-mutate.js';
import { mutate, mutateText, mutationsArb, textMutationsArb } from '../../../test/support/mutate.js';

const SEED = 20261201;
const RUNS = 300;
const ASYNC_RUNS = 120;
const PKI = [coded(PkiError, 'ERR_PKI_')];
const PKI_OR_TYPE = [...PKI, typeError];

let corpus: Corpus;
beforeAll(async () => {
  corpus = await buildCorpus();
});

/** Both outcomes occurred: the property was not vacuous. */
function bothOutcomes(o: Outcomes): void {
  expect(o.ok, 'some inputs are accepted').toBeGreaterThan(0);
  expect(o.failed, 'some inputs are refused').toBeGreaterThan(0);
}

describe('readCertificates: PEM bundles', () => {
  it('mutated bundle text (and its latin1 bytes): certificates or a PkiError', () => {
    const o = new Outcomes();
    const bundles = () => [
      corpus.pems[3]!,
      corpus.certificates.map((c) => encodePem('CERTIFICATE', c)).join(''),
      `${corpus.pems[0]!}${KEY_PEMS.p256}${corpus.pems[1]!}`,
    ];
    fc.assert(
      fc.property(fc.nat(), textMutationsArb(), (i, ms) => {
        const all = bundles();
        const text = mutateText(all[i % all.length]!, ms);
        attemptSync('readCertificates(text)', o, PKI, () => readCertificates(text));
        attemptSync('readCertificates(bytes)', o, PKI, () =>
          readCertificates(new Uint8Array(Buffer.from(text, 'latin1'))),
        );
      }),
      { seed: SEED, numRuns: RUNS },
    );
    bothOutcomes(o);
  });

  it('mutated DER: one certificate or a PkiError', () => {
    const o = new Outcomes();
    fc.assert(
      fc.property(fc.nat(), mutationsArb(), (i, ms) => {
        const der = mutate(corpus.certificates[i % corpus.certificates.length]!, ms);
        const r = attemptSync('readCertificates(der)', o, PKI, () => readCertificates(der));
        if (r) expect(r).toHaveLength(1);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    bothOutcomes(o);
  });

  it('junk between the blocks of a bundle: every certificate, in order, or a PkiError (none lost)', () => {
    const o = new Outcomes();
    const junk = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom(
        '\n',
        '\r\n',
        'Bag Attributes\n    friendlyName: x\n',
        '-----',
        '-----END CERTIFICATE-----\n',
      ),
      fc.constantFrom(`${KEY_PEMS.p256}`, '-----BEGIN X-----\nAAAA\n-----END X-----\n', '\u0000\uffff'),
    );
    fc.assert(
      fc.property(fc.array(junk, { minLength: 5, maxLength: 5 }), (seps) => {
        const blocks = corpus.certificates.map((c) => encodePem('CERTIFICATE', c));
        const text = seps[0] + blocks.map((b, k) => b + seps[k + 1]).join('');
        const r = attemptSync('readCertificates(bundle)', o, PKI, () => readCertificates(text));
        if (r)
          expect(r.map((c) => Buffer.from(c.der).toString('hex'))).toEqual(
            corpus.certificates.map((c) => Buffer.from(c).toString('hex')),
          );
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(o.ok).toBeGreaterThan(0);
  });
});

describe('small DER readers', () => {
  it('firstDerElement on mutated certificates, requests and keys', () => {
    const o = new Outcomes();
    fc.assert(
      fc.property(fc.nat(), mutationsArb(), (i, ms) => {
        const all = [...corpus.certificates, ...corpus.csrs, ...corpus.keyDers];
        const b = mutate(all[i % all.length]!, ms);
        const first = attemptSync('firstDerElement', o, PKI, () => firstDerElement(b));
        if (first) expect(first.length).toBeLessThanOrEqual(b.length);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    bothOutcomes(o);
  });

  it('readNameAt on mutated names, at any position and limit', () => {
    const o = new Outcomes();
    fc.assert(
      fc.property(fc.nat(), mutationsArb(), fc.nat(), fc.nat(), (i, ms, pos, limit) => {
        const b = mutate(corpus.names[i % corpus.names.length]!, ms);
        const p = pos % (b.length + 2);
        const l = limit % (b.length + 2);
        const n = attemptSync('readNameAt', o, PKI, () => readNameAt(b, p === b.length + 1 ? 0 : p, l));
        if (n) attemptSync('name.toString()', o, PKI, () => n.toString());
      }),
      { seed: SEED, numRuns: RUNS },
    );
    bothOutcomes(o);
  });

  it('ecdsaDerToRaw on mutated ECDSA signatures, for every curve size', () => {
    const o = new Outcomes();
    const int = (len: number, first: number) => [0x02, len, first, ...new Array<number>(len - 1).fill(0x5a)];
    const sig = (n: number) => {
      const body = [...int(n + 1, 0x00), ...int(n, 0x7f)];
      return Uint8Array.from([0x30, ...(body.length > 127 ? [0x81] : []), body.length, ...body]);
    };
    const sigs = [sig(32), sig(48), sig(66), Uint8Array.of(0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01)];
    fc.assert(
      fc.property(fc.nat(), mutationsArb(), fc.constantFrom(32, 48, 66), (i, ms, size) => {
        const b = mutate(sigs[i % sigs.length]!, ms);
        const raw = attemptSync('ecdsaDerToRaw', o, PKI, () => ecdsaDerToRaw(b, size));
        if (raw) expect(raw.length).toBe(2 * size);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    bothOutcomes(o);
  });
});

describe('text helpers', () => {
  const GN = [
    'DNS:exch01.contoso.com',
    'ip:10.0.0.1',
    'IP Address:2001:db8::1',
    'ip:10.0.0.0/8',
    'email:alice@contoso.com',
    'uri:http://pki.contoso.com/x?y=z',
    'upn:alice@contoso.com',
    'dirname:CN=x, O=Contoso+OU=PKI, C=FR',
    'rid:1.2.3.4',
  ];

  it('parseGeneralName on mutated type:value texts', () => {
    const o = new Outcomes();
    fc.assert(
      fc.property(fc.nat(), textMutationsArb(), (i, ms) => {
        const text = mutateText(GN[i % GN.length]!, ms);
        const g = attemptSync('parseGeneralName', o, PKI, () => parseGeneralName(text));
        if (g?.type === 'dirName') attemptSync('dirName.toString()', o, PKI, () => g.value.toString());
      }),
      { seed: SEED, numRuns: RUNS },
    );
    bothOutcomes(o);
  });

  it('serialToBytes on mutated serial texts; fromHex answers TypeError (its documented misuse error)', () => {
    const o = new Outcomes();
    const serials = ['00:A1:B2', '00ff00112233445566778899aabbccddeeff0011', '7', '0x1F', '01 02 03'];
    fc.assert(
      fc.property(fc.nat(), textMutationsArb(), (i, ms) => {
        const text = mutateText(serials[i % serials.length]!, ms);
        attemptSync('serialToBytes', o, PKI, () => serialToBytes(text));
        attemptSync('fromHex', o, [typeError], () => fromHex(text));
      }),
      { seed: SEED, numRuns: RUNS },
    );
    bothOutcomes(o);
  });

  it('attributeOid and ekuOid on mutated keywords and OIDs', () => {
    const o = new Outcomes();
    const words = [
      'CN',
      'OID.1.2.3',
      '2.5.4.3',
      'emailAddress',
      'serverAuth',
      '1.3.6.1.5.5.7.3.1',
      'constructor',
    ];
    fc.assert(
      fc.property(fc.nat(), textMutationsArb(2), (i, ms) => {
        const text = mutateText(words[i % words.length]!, ms);
        attemptSync('attributeOid', o, PKI, () => attributeOid(text));
        attemptSync('ekuOid', o, PKI, () => ekuOid(text));
      }),
      { seed: SEED, numRuns: RUNS },
    );
    bothOutcomes(o);
  });

  it('isValidHostname, matchDnsPattern and checkHostname never throw on mutated names', () => {
    const o = new Outcomes();
    const hosts = [
      'exch01.contoso.com',
      '*.contoso.com',
      '10.0.0.1',
      '[2001:db8::1]',
      'xn--bcher-kva.example',
    ];
    const sans: GeneralName[] = [
      { type: 'dns', value: '*.contoso.com' },
      { type: 'dns', value: 'exch01.contoso.com' },
      { type: 'ip', value: '10.0.0.1' },
      { type: 'ip', value: '2001:db8::1' },
    ];
    fc.assert(
      fc.property(fc.nat(), fc.nat(), textMutationsArb(), (i, j, ms) => {
        const host = mutateText(hosts[i % hosts.length]!, ms);
        const pattern = mutateText(hosts[j % hosts.length]!, ms.slice(1));
        attemptSync('isValidHostname', o, [], () => isValidHostname(host));
        attemptSync('matchDnsPattern', o, [], () => matchDnsPattern(pattern, host));
        attemptSync('checkHostname', o, [], () => checkHostname(sans, host));
        attemptSync('checkHostname(mutated SAN)', o, [], () =>
          checkHostname([{ type: 'dns', value: pattern }], host),
        );
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('extension decoders outside the certificate corpus', () => {
  const values = () => [
    { decode: decodeCrlNumber, value: crlNumber(0x0123456789abcdefn).value },
    {
      decode: decodeIssuingDistributionPoint,
      value: issuingDistributionPoint({
        fullName: [{ type: 'uri', value: 'http://crl.contoso.com/a.crl' }],
        onlyContainsUserCerts: true,
        onlySomeReasons: ['keyCompromise', 'cACompromise'],
        indirectCRL: true,
      }).value,
    },
    { decode: decodeCrlReason, value: crlReason('keyCompromise').value },
    { decode: decodeInvalidityDate, value: invalidityDate(new Date(Date.UTC(2026, 0, 2, 3, 4, 5))).value },
    {
      decode: decodeSmimeCapabilities,
      value: smimeCapabilities([
        { oid: '2.16.840.1.101.3.4.1.42' },
        { oid: '1.2.840.113549.3.2', parameters: Uint8Array.of(0x02, 0x02, 0x00, 0x80) },
      ]).value,
    },
    {
      decode: decodeMsNtdsCaSecurity,
      value: msNtdsCaSecurity('S-1-5-21-3623811015-3361044348-30300820-1013').value,
    },
  ];

  it('decodeCrlNumber, decodeIssuingDistributionPoint, decodeCrlReason, decodeInvalidityDate, decodeSmimeCapabilities, decodeMsNtdsCaSecurity', () => {
    const o = new Outcomes();
    const list = values();
    for (const v of list) attemptSync(`${v.decode.name} (valid)`, o, [], () => v.decode(v.value));
    fc.assert(
      fc.property(fc.nat(), mutationsArb(), (i, ms) => {
        const v = list[i % list.length]!;
        attemptSync(v.decode.name, o, PKI, () => v.decode(mutate(v.value, ms)));
      }),
      { seed: SEED, numRuns: RUNS * 2 },
    );
    bothOutcomes(o);
  });

  it('decodeExtension on the NTDS CA Security extension, mutated', () => {
    const o = new Outcomes();
    const e = msNtdsCaSecurity('S-1-5-21-3623811015-3361044348-30300820-1013');
    fc.assert(
      fc.property(mutationsArb(), (ms) => {
        attemptSync('decodeExtension(ntds)', o, PKI, () =>
          decodeExtension({ ...e, value: mutate(e.value, ms) }),
        );
      }),
      { seed: SEED, numRuns: RUNS },
    );
    bothOutcomes(o);
  });
});

describe('keys from text and JWK', () => {
  it('importPublicKey on mutated PUBLIC KEY / RSA PUBLIC KEY PEM text', async () => {
    const o = new Outcomes();
    const p256 = PublicKey.fromSpki(fromHex(SPKI_HEX.p256));
    const rsa = PublicKey.fromSpki(fromHex(SPKI_HEX.rsa1024));
    const pems = [
      p256.toPem(),
      rsa.toPem(),
      encodePem('RSA PUBLIC KEY', fromHex(SPKI_HEX.rsa1024).subarray(22)),
    ];
    await fc.assert(
      fc.asyncProperty(fc.nat(), textMutationsArb(), async (i, ms) => {
        const text = mutateText(pems[i % pems.length]!, ms);
        await attemptAsync('importPublicKey(pem)', o, PKI, () => importPublicKey(text));
      }),
      { seed: SEED, numRuns: ASYNC_RUNS },
    );
    bothOutcomes(o);
  });

  it('importPublicKey and importPrivateKey on mutated JWKs (every field, hostile values)', async () => {
    const o = new Outcomes();
    const keys = await Promise.all(
      [KEY_PEMS.ed25519, KEY_PEMS.p256, KEY_PEMS.rsa1024].map((k) => importPrivateKey(k)),
    );
    const privs = (await Promise.all(keys.map((k) => k.toJwk()))) as unknown as Json[];
    const pubs = (await Promise.all(keys.map((k) => k.publicKey.toJwk()))) as unknown as Json[];
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.boolean(), jsonEditsArb(), async (i, priv, edits) => {
        const list = priv ? privs : pubs;
        const jwk = mutateJson(list[i % list.length]!, edits) as unknown as JsonWebKey;
        if (priv) await attemptAsync('importPrivateKey(jwk)', o, PKI_OR_TYPE, () => importPrivateKey(jwk));
        else await attemptAsync('importPublicKey(jwk)', o, PKI_OR_TYPE, () => importPublicKey(jwk));
      }),
      { seed: SEED, numRuns: ASYNC_RUNS },
    );
    bothOutcomes(o);
  });
});

describe('verifyCertificate on mutated bytes', () => {
  it('a result (unreadable certificates among its reasons) or a PkiError, whichever of leaf and anchor is mutated', async () => {
    const o = new Outcomes();
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.boolean(), mutationsArb(2), async (i, anchor, ms) => {
        const root = corpus.certificates[0]!;
        const leaf = corpus.certificates[1 + (i % 3)]!;
        const m = mutate(anchor ? root : leaf, ms);
        const r = await attemptAsync('verifyCertificate', o, PKI, () =>
          verifyCertificate(anchor ? leaf : m, {
            trustAnchors: [anchor ? m : root],
            intermediates: [m],
            time: new Date(Date.UTC(2026, 0, 1)),
          }),
        );
        if (r) expect(typeof r.valid).toBe('boolean');
      }),
      { seed: SEED, numRuns: ASYNC_RUNS },
    );
    // Unreadable certificates are reported in the result (not thrown): every call returns.
    expect(o.ok).toBeGreaterThan(0);
  });
});

it('the corpus entries used here are valid', async () => {
  expect(readCertificates(corpus.pems[3]!)).toHaveLength(2);
  expect(parseCertificate(firstDerElement(corpus.certificates[0]!)).subject.commonName).toBe('Fuzz Root');
  expect(readNameAt(corpus.names[0]!, 0, corpus.names[0]!.length)).toBeInstanceOf(Name);
});
