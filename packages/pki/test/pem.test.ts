import { describe, expect, it } from 'vitest';
import { hashDigest } from '../src/algorithms.js';
import { PkiError } from '../src/errors.js';
import { equalBytes, toHex } from '../src/internal/bytes.js';
import { decodeBase64, decodePem, encodeBase64, encodePem, readDerOrPem } from '../src/pem.js';

const bytes = Uint8Array.from({ length: 100 }, (_, i) => (i * 37) & 0xff);

describe('Base64 and PEM (RFC 4648, RFC 7468)', () => {
  it('matches node Base64 for every length', () => {
    for (let n = 0; n < 50; n++) {
      const b = bytes.subarray(0, n);
      const ours = encodeBase64(b);
      expect(ours).toBe(Buffer.from(b).toString('base64'));
      expect(decodeBase64(ours)).toEqual(new Uint8Array(b));
    }
  });
  it('writes 64-column PEM with the chosen line ending', () => {
    const pem = encodePem('CERTIFICATE', bytes, { eol: '\r\n' });
    const lines = pem.split('\r\n');
    expect(lines[0]).toBe('-----BEGIN CERTIFICATE-----');
    expect(lines[1]).toHaveLength(64);
    expect(pem.endsWith('-----END CERTIFICATE-----\r\n')).toBe(true);
    expect(encodePem('X', bytes)).not.toContain('\r');
  });
  it('reads many blocks with text around them, CRLF or LF', () => {
    const text = `subject=CN=a\r\n${encodePem('CERTIFICATE', bytes, { eol: '\r\n' })}junk\n${encodePem('PRIVATE KEY', bytes.subarray(0, 10))}`;
    const blocks = decodePem(text);
    expect(blocks.map((b) => b.label)).toEqual(['CERTIFICATE', 'PRIVATE KEY']);
    expect(blocks[0]!.bytes).toEqual(bytes);
    expect(decodePem(text, { label: 'PRIVATE KEY' })).toHaveLength(1);
  });
  it('reads RFC 1421 headers of legacy encrypted keys', () => {
    const text =
      '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233\n\nAQID\n-----END RSA PRIVATE KEY-----\n';
    const [b] = decodePem(text);
    expect(b!.headers).toEqual({ 'Proc-Type': '4,ENCRYPTED', 'DEK-Info': 'AES-128-CBC,00112233' });
    expect(b!.bytes).toEqual(Uint8Array.of(1, 2, 3));
  });
  it('gives coded errors for bad input', () => {
    const c = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as PkiError).code;
      }
    };
    expect(c(() => decodePem('nothing here'))).toBe('ERR_PKI_PEM_INVALID');
    expect(c(() => decodePem('-----BEGIN A-----\nAQID\n-----END B-----'))).toBe('ERR_PKI_PEM_INVALID');
    expect(c(() => decodePem('-----BEGIN A-----\nA*QID\n-----END A-----'))).toBe('ERR_PKI_PEM_INVALID');
    expect(c(() => decodeBase64('A'))).toBe('ERR_PKI_BASE64_INVALID');
    expect(c(() => decodeBase64('AQ==AQ'))).toBe('ERR_PKI_BASE64_INVALID');
    expect(c(() => decodeBase64('AQ='))).toBe('ERR_PKI_BASE64_INVALID');
  });
  it('accepts DER, PEM and bare Base64 for user files', () => {
    const der = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x05);
    expect(readDerOrPem(der)).toBe(der);
    expect(readDerOrPem(encodePem('CERTIFICATE', der), 'CERTIFICATE')).toEqual(der);
    expect(readDerOrPem(new TextEncoder().encode(`${encodeBase64(der)}\r\n`))).toEqual(der);
    expect(() => readDerOrPem('hello, world!')).toThrow(PkiError);
    expect(() => readDerOrPem(encodePem('CERTIFICATE', der), 'PRIVATE KEY')).toThrow(
      /no "PRIVATE KEY" block/,
    );
  });
});

describe('readDerOrPem on prose', () => {
  it('does not mistake words for Base64', () => {
    expect(() => readDerOrPem('hello world')).toThrow(/neither DER, PEM, nor Base64/);
  });
});

describe('byte helpers refuse what is not a Uint8Array', () => {
  it('strings, ArrayBuffers and other views are a TypeError, not a plausible wrong answer', async () => {
    // Before: toHex('str') gave "undefinedundefinedundefined", encodeBase64(new ArrayBuffer(3))
    // "", encodePem('X', 'abc') an "AAAA" block, equalBytes('ab', 'ab') true, and
    // hashDigest('SHA-256', 'abc') the digest of nothing.
    const others: unknown[] = ['abc', new ArrayBuffer(3), new DataView(new ArrayBuffer(3)), [1, 2, 3], null];
    for (const v of others) {
      const name = Object.prototype.toString.call(v);
      expect(() => toHex(v as Uint8Array), name).toThrow(TypeError);
      expect(() => encodeBase64(v as Uint8Array), name).toThrow(TypeError);
      expect(() => encodePem('X', v as Uint8Array), name).toThrow(TypeError);
      expect(() => equalBytes(v as Uint8Array, new Uint8Array(3)), name).toThrow(TypeError);
      expect(() => equalBytes(new Uint8Array(3), v as Uint8Array), name).toThrow(TypeError);
      await expect(hashDigest('SHA-256', v as Uint8Array), name).rejects.toThrow(TypeError);
    }
    for (const v of [new ArrayBuffer(4), new DataView(new ArrayBuffer(4))])
      expect(() => readDerOrPem(v as unknown as Uint8Array)).toThrow(
        /expects bytes \(a Uint8Array\), not an? (ArrayBuffer|DataView)/,
      );
    // A Node Buffer is a Uint8Array and stays welcome.
    expect(toHex(Buffer.from([0xab]))).toBe('ab');
    expect(equalBytes(Buffer.from('ab'), new TextEncoder().encode('ab'))).toBe(true);
  });
});
