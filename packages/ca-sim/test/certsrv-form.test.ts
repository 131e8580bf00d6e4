// The lenient readers of certsrv input (certsrv reference §1, §5.2): form bodies and query
// strings, and the CertRequest text. Concrete vectors from the reference, then fast-check
// properties (fixed seed, so a failure reproduces): never a throw, round trips, linear time.

import { encodeBase64 } from '@certlab/pki';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeFormComponent,
  FieldMap,
  parseLenientUrlEncoded,
  parseQueryString,
} from '../src/certsrv/form-fields.js';
import { decodeStandardBase64, requestBytesFromText } from '../src/certsrv/request-text.js';
import { anyString, RUNS, SEED, trickyString as tricky } from './support/arbitraries.js';
import { makeCsr } from './support/csr.js';

/** Strings rich in the characters the parsers care about. */
const trickyString = tricky(
  ['%', '+', '&', '=', '-', '[', ']', ',', ';', ' ', '\r', '\n', '\t', '%C3', '%A9', '%2', '%!s'],
  200,
);

describe('FieldMap', () => {
  it('matches names case-insensitively, first value wins, keeps order and spelling', () => {
    const f = new FieldMap([
      ['Mode', 'newreq'],
      ['mode', 'chkpnd'],
      ['ReqID', '7'],
    ]);
    expect(f.get('MODE')).toBe('newreq');
    expect(f.getAll('mode')).toEqual(['newreq', 'chkpnd']);
    expect(f.has('reqid')).toBe(true);
    expect(f.has('nope')).toBe(false);
    expect(f.get('nope')).toBeUndefined();
    expect(f.getAll('nope')).toEqual([]);
    expect(f.size).toBe(3);
    expect([...f]).toEqual([
      ['Mode', 'newreq'],
      ['mode', 'chkpnd'],
      ['ReqID', '7'],
    ]);
  });

  it('getAll returns a copy', () => {
    const f = new FieldMap([['a', '1']]);
    f.getAll('a').push('2');
    expect(f.getAll('a')).toEqual(['1']);
  });
});

describe('parseLenientUrlEncoded (reference §5.2)', () => {
  it('decodes + and %XX, keeps invalid escapes literally', () => {
    const f = parseLenientUrlEncoded(
      'Mode=newreq&CertAttrib=CertificateTemplate%3AWebServer%0D%0AUserAgent%3Acurl%0D%0A&TargetStoreFlags=%!s(int=0)&SaveCert=yes&FriendlyType=Saved-Request+Certificate+(30/11/2026, 10:00:00)',
    );
    expect(f.get('mode')).toBe('newreq');
    expect(f.get('CertAttrib')).toBe('CertificateTemplate:WebServer\r\nUserAgent:curl\r\n');
    expect(f.get('TargetStoreFlags')).toBe('%!s(int=0)');
    expect(f.get('FriendlyType')).toBe('Saved-Request Certificate (30/11/2026, 10:00:00)');
  });

  it('takes double-encoded values as they are after one decoding', () => {
    expect(parseLenientUrlEncoded('FriendlyType=Saved-Request%2BCertificate').get('friendlytype')).toBe(
      'Saved-Request+Certificate',
    );
    expect(decodeFormComponent('%2525')).toBe('%25');
  });

  it('keeps every kind of broken escape literally', () => {
    expect(decodeFormComponent('%')).toBe('%');
    expect(decodeFormComponent('a%4')).toBe('a%4');
    expect(decodeFormComponent('%4g%zz%%41')).toBe('%4g%zz%A');
    expect(decodeFormComponent('100%')).toBe('100%');
  });

  it('decodes multi-byte UTF-8, and invalid UTF-8 becomes U+FFFD', () => {
    expect(decodeFormComponent('caf%C3%A9')).toBe('café');
    expect(decodeFormComponent('%E2%82%AC%F0%9F%98%80')).toBe('€😀');
    expect(decodeFormComponent('%C3')).toBe('\uFFFD');
    expect(decodeFormComponent('%FF%FE')).toBe('\uFFFD\uFFFD');
    expect(decodeFormComponent('%C3x%A9')).toBe('\uFFFDx\uFFFD');
    // Raw non-ASCII text is kept as it is.
    expect(decodeFormComponent('é+%41')).toBe('é A');
  });

  it('accepts raw spaces, commas, colons, parentheses; skips empty names; no = means empty value', () => {
    const f = parseLenientUrlEncoded('a=x y, z:(1)&&=orphan&flag&b=c=d&=&');
    expect([...f]).toEqual([
      ['a', 'x y, z:(1)'],
      ['flag', ''],
      ['b', 'c=d'],
    ]);
    expect(parseLenientUrlEncoded('').size).toBe(0);
    expect(parseLenientUrlEncoded('&&&').size).toBe(0);
  });

  it('decodes names too (case-insensitive after decoding)', () => {
    expect(parseLenientUrlEncoded('Cert%52equest=x').get('certrequest')).toBe('x');
    expect(parseLenientUrlEncoded('a+b=1').get('A B')).toBe('1');
  });

  it('reads at most 1000 fields', () => {
    const body = Array.from({ length: 1500 }, (_, i) => `f${i}=${i}`).join('&');
    const f = parseLenientUrlEncoded(body);
    expect(f.size).toBe(1000);
    expect(f.get('f999')).toBe('999');
    expect(f.has('f1000')).toBe(false);
  });

  it('parses 1 MB inputs in linear time', () => {
    const inputs = [
      `CertRequest=${'A%2B'.repeat(262_144)}`,
      'a'.repeat(1 << 20),
      'a&'.repeat(1 << 19),
      `${'x&'.repeat(1 << 19)}=`,
      '%'.repeat(1 << 20),
      '%C3'.repeat(349_525),
      '+'.repeat(1 << 20),
    ];
    for (const input of inputs) parseLenientUrlEncoded(input.slice(0, 4096)); // warm up the JIT
    for (const input of inputs) {
      const t0 = performance.now();
      parseLenientUrlEncoded(input);
      const ms = performance.now() - t0;
      // A guard against quadratic behaviour (minutes on 1 MB), not a speed test: ~100 ms here,
      // and the bound leaves room for a 2-core CI machine running other suites at the same time.
      expect(ms, `input starting ${input.slice(0, 12)}`).toBeLessThan(2_000);
    }
  });

  it('parses a 1 MB certfnsh.asp body in linear time (~100 ms)', () => {
    const b64 = Buffer.alloc(768 * 1024, 0xfb).toString('base64'); // '+' and '/' galore
    const body = `Mode=newreq&CertRequest=${encodeURIComponent(b64)}&CertAttrib=CertificateTemplate%3AWebServer`;
    expect(body.length).toBeGreaterThan(1 << 20);
    parseLenientUrlEncoded(body.slice(0, 4096));
    const t0 = performance.now();
    const f = parseLenientUrlEncoded(body);
    const ms = performance.now() - t0;
    expect(f.get('certrequest')).toBe(b64);
    // Quadratic would be minutes; the bound is for a loaded CI machine, not a speed target.
    expect(ms).toBeLessThan(2_000);
  });

  it('never throws on arbitrary strings, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.oneof(anyString, trickyString), (s) => {
        const f = parseLenientUrlEncoded(s);
        expect(f.size).toBeLessThanOrEqual(1000);
        for (const [name] of f) expect(name).not.toBe('');
        parseQueryString(s);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('round-trips forms built with encodeURIComponent', () => {
    const wellFormed = fc.string({ unit: 'binary', maxLength: 40 });
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            wellFormed.filter((n) => n !== ''),
            wellFormed,
          ),
          { maxLength: 20 },
        ),
        fc.boolean(),
        (pairs, plusForSpace) => {
          const enc = (s: string) => {
            const e = encodeURIComponent(s);
            return plusForSpace ? e.replace(/%20/g, '+') : e;
          };
          const body = pairs.map(([n, v]) => `${enc(n)}=${enc(v)}`).join('&');
          expect([...parseLenientUrlEncoded(body)]).toEqual(pairs);
          expect([...parseQueryString(`?${body}`)]).toEqual(pairs);
          // URLSearchParams agrees on well-formed input.
          expect([...parseLenientUrlEncoded(body)]).toEqual([...new URLSearchParams(body)]);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('never throws on mutations of a valid form', () => {
    const valid =
      'Mode=newreq&CertRequest=-----BEGIN+NEW+CERTIFICATE+REQUEST-----%0D%0AMIIB%2Bab%3D%3D%0D%0A-----END+NEW+CERTIFICATE+REQUEST-----&CertAttrib=CertificateTemplate%3AWebServer&FriendlyType=Saved-Request+Certificate&TargetStoreFlags=0&SaveCert=yes';
    fc.assert(
      fc.property(fc.nat(), trickyString, fc.nat({ max: 4 }), (at, insert, del) => {
        const i = at % (valid.length + 1);
        const s = valid.slice(0, i) + insert + valid.slice(i + del);
        expect(() => parseLenientUrlEncoded(s)).not.toThrow();
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('parseQueryString', () => {
  it('accepts a leading ? and is case-insensitive', () => {
    const q = parseQueryString('?ReqID=7&ENC=b64&Renewal=-1');
    expect(q.get('reqid')).toBe('7');
    expect(q.get('Enc')).toBe('b64');
    expect(q.get('renewal')).toBe('-1');
    expect(parseQueryString('ReqID=CACert&Mode=inst').get('mode')).toBe('inst');
    expect(parseQueryString('?').size).toBe(0);
    expect(parseQueryString('').size).toBe(0);
  });
});

describe('decodeStandardBase64', () => {
  it('decodes with and without padding, rejects everything else', () => {
    expect([...(decodeStandardBase64('TWFu') ?? [])]).toEqual([77, 97, 110]);
    expect([...(decodeStandardBase64('TWE=') ?? [])]).toEqual([77, 97]);
    expect([...(decodeStandardBase64('TWE') ?? [])]).toEqual([77, 97]);
    expect([...(decodeStandardBase64('TQ==') ?? [])]).toEqual([77]);
    expect([...(decodeStandardBase64('TQ') ?? [])]).toEqual([77]);
    expect([...(decodeStandardBase64('') ?? [1])]).toEqual([]);
    expect(decodeStandardBase64('T')).toBeUndefined();
    expect(decodeStandardBase64('TWE==')).toBeUndefined();
    expect(decodeStandardBase64('TQ===')).toBeUndefined();
    expect(decodeStandardBase64('TW=u')).toBeUndefined();
    expect(decodeStandardBase64('T-8_')).toBeUndefined(); // base64url is not accepted
    expect(decodeStandardBase64('TW u')).toBeUndefined();
    expect(decodeStandardBase64('TWé=')).toBeUndefined();
    expect(decodeStandardBase64('TR', true)).toBeUndefined(); // non-zero unused bits
    expect(decodeStandardBase64('TR')).toBeDefined();
  });

  it('agrees with Buffer on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const b64 = Buffer.from(bytes).toString('base64');
        expect(decodeStandardBase64(b64, true)).toEqual(bytes);
        expect(decodeStandardBase64(b64.replace(/=+$/, ''), true)).toEqual(bytes);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('requestBytesFromText (reference §5.2)', () => {
  it('reads a real CSR in every shape clients send', async () => {
    // ECDSA signatures differ every time: 20 requests give varied Base64 ('+' at line edges…).
    for (let round = 0; round < 20; round++) await checkShapes();
  });

  async function checkShapes(): Promise<void> {
    const csr = await makeCsr({ template: 'WebServer', san: [{ type: 'dns', value: 'exch01.contoso.com' }] });
    const der = csr.der;
    const pem = csr.toPem();
    const b64 = encodeBase64(der);
    const lines = pem.trim().split(/\r?\n/);
    const shapes: Record<string, string> = {
      'PEM LF': pem,
      'PEM CRLF': pem.replace(/\r?\n/g, '\r\n'),
      'PEM on one line': lines.join(''),
      'PEM on one line, spaces around the body': `${lines[0]} ${lines.slice(1, -1).join('')} ${lines.at(-1)}`,
      'CERTIFICATE REQUEST label': pem.replace(/NEW CERTIFICATE REQUEST/g, 'CERTIFICATE REQUEST'),
      'bare Base64': b64,
      'bare Base64 without padding': b64.replace(/=+$/, ''),
      'bare Base64 with line breaks and tabs': `\t${b64.replace(/(.{64})/g, '$1\r\n')}\r\n`,
      'plus signs sent as spaces': pem.replace(/\+/g, ' '),
      'one-line PEM, plus signs as spaces': lines.join('').replace(/\+/g, ' '),
      'trailing blanks': `${pem}  \r\n  \n`,
    };
    for (const [label, text] of Object.entries(shapes)) {
      expect(requestBytesFromText(text), label).toEqual(der);
    }
  }

  it('turns spaces inside the Base64 into +, also at a line end', () => {
    // "+/8A" = bytes fb ff 00; "a+" at the end of a line, sent unencoded.
    expect(requestBytesFromText('MIIB /8A')).toEqual(decodeStandardBase64('MIIB+/8A'));
    const body = 'MIIBab \r\nCDEF';
    expect(requestBytesFromText(body)).toEqual(decodeStandardBase64('MIIBab+CDEF'));
    // A line that starts with '+', sent unencoded.
    expect(requestBytesFromText('MIIBab\r\n /8A')).toEqual(decodeStandardBase64('MIIBab+/8A'));
    // Editor blanks at line ends are separators when reading them as '+' gives no Base64.
    expect(requestBytesFromText('MIIB   \r\nCDEF   \r\n')).toEqual(decodeStandardBase64('MIIBCDEF'));
    // With armour on one line, the blanks next to it are separators.
    expect(requestBytesFromText('-----BEGIN PKCS7----- MIIB -----END PKCS7-----')).toEqual(
      decodeStandardBase64('MIIB'),
    );
  });

  it('strips any armour label, also with hyphens inside, in any case', () => {
    const want = decodeStandardBase64('MIIBCgKC');
    expect(requestBytesFromText('-----BEGIN X509-CRL-----\nMIIBCgKC\n-----END X509-CRL-----')).toEqual(want);
    expect(requestBytesFromText('-----begin cmc-----MIIBCgKC-----end cmc-----')).toEqual(want);
    expect(
      requestBytesFromText(
        '-----BEGIN CERTIFICATE REQUEST------\nMIIBCgKC\n------END CERTIFICATE REQUEST-----',
      ),
    ).toEqual(
      // A sixth dash closing the label is armour; the sixth dash opening END is not.
      new TextEncoder().encode('MIIBCgKC-'),
    );
  });

  it('finds armour after a run of dashes', () => {
    expect(requestBytesFromText('-------BEGIN A-----TWFu-----END A-----')).toEqual(
      new TextEncoder().encode('--TWFu'),
    );
    expect(requestBytesFromText('==========\n-----BEGIN A-----\nTWFu\n-----END A-----')).toEqual(
      new TextEncoder().encode('==========TWFu'),
    );
  });

  it('returns undefined for an empty request', () => {
    expect(requestBytesFromText('')).toBeUndefined();
    expect(requestBytesFromText(' \r\n\t ')).toBeUndefined();
    expect(
      requestBytesFromText(
        '-----BEGIN NEW CERTIFICATE REQUEST-----\r\n-----END NEW CERTIFICATE REQUEST-----',
      ),
    ).toBeUndefined();
  });

  it('hands text that is not Base64 to the CA as its UTF-8 bytes', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(requestBytesFromText('hello world!')).toEqual(enc('hello+world!'));
    expect(requestBytesFromText('MIIB-_8A')).toEqual(enc('MIIB-_8A')); // base64url alphabet
    expect(requestBytesFromText('-----BEGIN NEW CERTIFICATE REQUEST MIIB')).toEqual(
      enc('-----BEGIN+NEW+CERTIFICATE+REQUEST+MIIB'),
    );
    expect(requestBytesFromText('A')).toEqual(enc('A'));
    expect(requestBytesFromText('café')).toEqual(enc('café'));
  });

  it('runs in linear time on 1 MB inputs', () => {
    const inputs = [
      'A'.repeat(1 << 20),
      'A '.repeat(1 << 19),
      '-----BEGIN '.repeat(95_325),
      '-----BEGIN X-----'.repeat(61_680),
      '-'.repeat(1 << 20),
      '\r\n'.repeat(1 << 19),
    ];
    for (const input of inputs) requestBytesFromText(input.slice(0, 4096)); // warm up the JIT
    for (const input of inputs) {
      const t0 = performance.now();
      requestBytesFromText(input);
      expect(performance.now() - t0, `input starting ${input.slice(0, 12)}`).toBeLessThan(300);
    }
  });

  it('never throws on arbitrary strings and on mutations of a PEM', () => {
    const pem =
      '-----BEGIN NEW CERTIFICATE REQUEST-----\r\nMIIBCgKCAQEAu+/a\r\nQIDAQAB\r\n-----END NEW CERTIFICATE REQUEST-----\r\n';
    fc.assert(
      fc.property(fc.oneof(anyString, trickyString), (s) => {
        const r = requestBytesFromText(s);
        if (r !== undefined) expect(r).toBeInstanceOf(Uint8Array);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    fc.assert(
      fc.property(fc.nat(), trickyString, fc.nat({ max: 6 }), (at, insert, del) => {
        const i = at % (pem.length + 1);
        expect(() => requestBytesFromText(pem.slice(0, i) + insert + pem.slice(i + del))).not.toThrow();
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('round-trips random DER-like bytes through every PEM shape', () => {
    fc.assert(
      fc.property(
        // 0xfb 0xef 0xbe encode as '++++': make plenty of '+' at line starts and ends.
        fc
          .array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0xfb, 0xef, 0xbe)), {
            minLength: 1,
            maxLength: 300,
          })
          .map((b) => Uint8Array.of(0x30, ...b)),
        fc.constantFrom('lf', 'crlf', 'one-line', 'spaces', 'bare'),
        (der, shape) => {
          const b64 = Buffer.from(der).toString('base64');
          const wrapped = b64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
          const text =
            shape === 'lf'
              ? `-----BEGIN NEW CERTIFICATE REQUEST-----\n${wrapped}\n-----END NEW CERTIFICATE REQUEST-----\n`
              : shape === 'crlf'
                ? `-----BEGIN CERTIFICATE REQUEST-----\r\n${wrapped.replace(/\n/g, '\r\n')}\r\n-----END CERTIFICATE REQUEST-----\r\n`
                : shape === 'one-line'
                  ? `-----BEGIN NEW CERTIFICATE REQUEST-----${b64}-----END NEW CERTIFICATE REQUEST-----`
                  : shape === 'spaces'
                    ? `-----BEGIN NEW CERTIFICATE REQUEST-----\r\n${wrapped.replace(/\+/g, ' ').replace(/\n/g, '\r\n')}\r\n-----END NEW CERTIFICATE REQUEST-----`
                    : b64;
          expect(requestBytesFromText(text)).toEqual(der);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
