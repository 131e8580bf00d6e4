import { describe, expect, it } from 'vitest';
import { PkiError } from '../src/errors.js';
import { fromHex, toHex } from '../src/internal/bytes.js';
import {
  Cursor,
  int,
  oid,
  readBigInt,
  readBitString,
  readBoolean,
  readOid,
  readString,
  readTlv,
  readWhole,
  seq,
  setOf,
  str,
  T,
  uintBytes,
} from '../src/internal/der.js';
import { readTime, writeTime } from '../src/internal/time.js';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PkiError);
    return (e as PkiError).code;
  }
  throw new Error('expected a PkiError');
};

describe('DER reader (X.690 §10 strictness)', () => {
  it('reads short and long lengths', () => {
    const t = readWhole(fromHex('3003020101'));
    expect([t.id, t.valueStart, t.end]).toEqual([0x30, 2, 5]);
    const long = new Uint8Array(3 + 200);
    long.set([0x04, 0x81, 200]);
    expect(readWhole(long).end).toBe(203);
  });
  it('rejects indefinite, non-minimal and overlong lengths', () => {
    expect(code(() => readWhole(fromHex('30800000')))).toBe('ERR_PKI_DER_INVALID');
    expect(code(() => readWhole(fromHex('0481020000')))).toBe('ERR_PKI_DER_INVALID'); // long form for 2
    expect(code(() => readWhole(fromHex('048200020000')))).toBe('ERR_PKI_DER_INVALID'); // leading zero
    expect(code(() => readWhole(fromHex('3084ffffffff')))).toBe('ERR_PKI_DER_TRUNCATED');
    expect(code(() => readWhole(fromHex('3085ffffffffff')))).toBe('ERR_PKI_DER_INVALID');
    expect(code(() => readWhole(fromHex('3005020101')))).toBe('ERR_PKI_DER_TRUNCATED');
    expect(code(() => readWhole(fromHex('')))).toBe('ERR_PKI_DER_TRUNCATED');
    expect(code(() => readWhole(fromHex('02010100')))).toBe('ERR_PKI_DER_INVALID'); // trailing data
  });
  it('reads high tag numbers minimally', () => {
    const t = readTlv(fromHex('9f2001ff'), 0);
    expect(t.num).toBe(32);
    expect(code(() => readTlv(fromHex('9f1e01ff'), 0))).toBe('ERR_PKI_DER_INVALID');
    expect(code(() => readTlv(fromHex('9f802001ff'), 0))).toBe('ERR_PKI_DER_INVALID');
  });
  it('enforces DER BOOLEAN, INTEGER and BIT STRING rules', () => {
    expect(readBoolean(readWhole(fromHex('0101ff')))).toBe(true);
    expect(code(() => readBoolean(readWhole(fromHex('010101'))))).toBe('ERR_PKI_DER_INVALID');
    expect(readBigInt(readWhole(fromHex('020200ff')))).toBe(255n);
    expect(readBigInt(readWhole(fromHex('0201ff')))).toBe(-1n);
    expect(code(() => readBigInt(readWhole(fromHex('0202007f'))))).toBe('ERR_PKI_DER_INVALID');
    expect(code(() => readBigInt(readWhole(fromHex('0200'))))).toBe('ERR_PKI_DER_INVALID');
    expect(readBitString(readWhole(fromHex('030205a0'))).unusedBits).toBe(5);
    expect(code(() => readBitString(readWhole(fromHex('030205a1'))))).toBe('ERR_PKI_DER_INVALID');
    expect(code(() => readBitString(readWhole(fromHex('030108'))))).toBe('ERR_PKI_DER_INVALID');
  });
  it('round-trips OIDs including large arcs', () => {
    for (const o of [
      '2.5.29.17',
      '1.2.840.113549.1.1.11',
      '1.3.6.1.4.1.311.21.8.1.2',
      '2.999.3',
      '1.2.18446744073709551616',
    ]) {
      expect(readOid(readWhole(oid(o)))).toBe(o);
    }
    expect(toHex(oid('1.2.840.113549.1.1.11'))).toBe('06092a864886f70d01010b');
    expect(code(() => readOid(readWhole(fromHex('0603808001'))))).toBe('ERR_PKI_DER_INVALID');
    expect(code(() => readOid(readWhole(fromHex('06022a86'))))).toBe('ERR_PKI_DER_INVALID');
    expect(code(() => oid('1.40.1'))).toBe('ERR_PKI_OID_INVALID');
    expect(code(() => oid('abc'))).toBe('ERR_PKI_OID_INVALID');
  });
  it('encodes INTEGERs minimally', () => {
    expect(toHex(int(0))).toBe('020100');
    expect(toHex(int(127))).toBe('02017f');
    expect(toHex(int(128))).toBe('02020080');
    expect(toHex(int(-1))).toBe('0201ff');
    expect(toHex(int(-128))).toBe('020180');
    expect(toHex(int(-129))).toBe('0202ff7f');
    expect(toHex(uintBytes(fromHex('0000ff')))).toBe('020200ff');
    for (const n of [0n, 1n, -1n, 255n, -256n, 65535n, 2n ** 159n, -(2n ** 100n)])
      expect(readBigInt(readWhole(int(n)))).toBe(n);
  });
  it('sorts SET OF and checks string alphabets', () => {
    expect(toHex(setOf([fromHex('0201ff'), fromHex('020101')]))).toBe('3106020101' + '0201ff');
    expect(readString(readWhole(str(T.BMP_STRING, 'WebServer')))).toBe('WebServer');
    expect(readString(readWhole(str(T.UTF8_STRING, 'Société')))).toBe('Société');
    expect(code(() => str(T.PRINTABLE_STRING, 'a@b'))).toBe('ERR_PKI_NAME_INVALID');
    expect(code(() => readString(readWhole(fromHex('130161'.replace('61', '40')))))).toBe(
      'ERR_PKI_DER_INVALID',
    );
  });
  it('Cursor walks children and reports trailing elements', () => {
    const s = readWhole(seq(int(1), int(2)));
    const c = Cursor.of(s);
    expect(readBigInt(c.next())).toBe(1n);
    expect(() => c.end()).toThrow(PkiError);
    c.next();
    c.end();
  });
});

describe('X.509 time (RFC 5280 §4.1.2.5)', () => {
  it('uses UTCTime through 2049 and GeneralizedTime from 2050', () => {
    expect(toHex(writeTime(new Date('2026-11-29T22:00:00Z')))).toBe(
      toHex(new TextEncoder().encode('\x17\x0d261129220000Z')),
    );
    expect(writeTime(new Date('2050-01-01T00:00:00Z'))[0]).toBe(T.GENERALIZED_TIME);
    expect(writeTime(new Date('1949-12-31T23:59:59Z'))[0]).toBe(T.GENERALIZED_TIME);
    for (const d of [
      '1950-01-01T00:00:00Z',
      '2049-12-31T23:59:59Z',
      '2050-01-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
    ]) {
      expect(readTime(readWhole(writeTime(new Date(d)))).toISOString()).toBe(new Date(d).toISOString());
    }
  });
  it('rejects times outside the profile', () => {
    const t = (s: string, tag = 0x17) =>
      readTime(readWhole(Uint8Array.from([tag, s.length, ...new TextEncoder().encode(s)])));
    expect(code(() => t('2611292200Z'))).toBe('ERR_PKI_TIME_INVALID'); // no seconds
    expect(code(() => t('261129220000+0100'))).toBe('ERR_PKI_TIME_INVALID');
    expect(code(() => t('261131220000Z'))).toBe('ERR_PKI_TIME_INVALID'); // 31 November
    expect(code(() => t('20261129220000.5Z', 0x18))).toBe('ERR_PKI_TIME_INVALID');
    expect(t('490101000000Z').getUTCFullYear()).toBe(2049);
    expect(t('500101000000Z').getUTCFullYear()).toBe(1950);
  });
});
