import { describe, expect, it } from 'vitest';
import { PkiError } from '../src/errors.js';
import { toHex } from '../src/internal/bytes.js';
import { T } from '../src/internal/der.js';
import { Name, prepareString } from '../src/names.js';

describe('Name', () => {
  it('parses RFC 4514 text into DER order with RFC 5280 encodings', () => {
    const n = Name.parse('CN=exch01.contoso.com,OU=IT,O=Contoso,L=Paris,ST=IDF,C=FR');
    expect(n.rdns.map((r) => r[0]!.value)).toEqual([
      'FR',
      'IDF',
      'Paris',
      'Contoso',
      'IT',
      'exch01.contoso.com',
    ]);
    expect(n.rdns[0]![0]!.tag).toBe(T.PRINTABLE_STRING);
    expect(n.rdns[5]![0]!.tag).toBe(T.UTF8_STRING);
    expect(n.toString()).toBe('CN=exch01.contoso.com,OU=IT,O=Contoso,L=Paris,ST=IDF,C=FR');
    expect(n.toWindowsString()).toBe('CN=exch01.contoso.com, OU=IT, O=Contoso, L=Paris, S=IDF, C=FR');
    expect(n.get('CN')).toBe('exch01.contoso.com');
    expect(n.commonName).toBe('exch01.contoso.com');
  });
  it('matches the DER OpenSSL writes for -subj /C=FR/O=Contoso/CN=a (utf8only mask)', () => {
    // openssl req -subj "/C=FR/O=Contoso/CN=a" -> C PrintableString, others UTF8String
    const n = Name.parse('/C=FR/O=Contoso/CN=a');
    expect(toHex(n.der)).toBe(
      '302b310b3009060355040613024652' + '3110300e060355040a0c07436f6e746f736f' + '310a300806035504030c0161',
    );
  });
  it('reads the Windows form: quotes, S=, E=, spaces, multi-valued RDNs', () => {
    const n = Name.parse('E=admin@contoso.com, CN="Contoso, Ltd", OU=A + OU=B, S=IDF, C=FR');
    expect(n.get('E')).toBe('admin@contoso.com');
    expect(
      n.rdns
        .find((r) => r.length === 2)!
        .map((a) => a.value)
        .sort(),
    ).toEqual(['A', 'B']);
    expect(n.get('CN')).toBe('Contoso, Ltd');
    expect(n.toString()).toBe('emailAddress=admin@contoso.com,CN=Contoso\\, Ltd,OU=A+OU=B,ST=IDF,C=FR');
    expect(n.toWindowsString()).toBe('E=admin@contoso.com, CN="Contoso, Ltd", OU=A + OU=B, S=IDF, C=FR');
    expect(n.rdns.find((r) => r[0]!.value === 'admin@contoso.com')![0]!.tag).toBe(T.IA5_STRING);
  });
  it('handles RFC 4514 escapes, #hex values and unknown OIDs', () => {
    const n = Name.parse('CN=a\\2Cb\\+c\\ ,1.2.3.4=#0c03616263,OID.2.5.4.45=#030100,O=Soci\\C3\\A9t\\C3\\A9');
    expect(n.get('CN')).toBe('a,b+c ');
    expect(n.get('1.2.3.4')).toBe('abc');
    expect(n.get('O')).toBe('Société');
    expect(n.toString()).toBe('CN=a\\,b\\+c\\ ,1.2.3.4=abc,2.5.4.45=#030100,O=Société');
    expect(Name.fromDer(n.der).toString()).toBe(n.toString());
    expect(Name.parse('CN=\\#x,O=\\ y').toString()).toBe('CN=\\#x,O=\\ y');
  });
  it('escapes U+0000 as \\00 (RFC 4514 §2.4 requires it), in every string type, and reads it back', () => {
    // The text form must never carry a raw NUL: a PostgreSQL text column refuses one.
    for (const tag of [T.UTF8_STRING, T.BMP_STRING, T.UNIVERSAL_STRING, T.TELETEX_STRING]) {
      const n = Name.from([{ O: 'Contoso' }, [{ type: '2.5.4.3', value: '\u0000web\u0000evil\u0000', tag }]]);
      expect(n.get('CN')).toBe('\u0000web\u0000evil\u0000');
      const text = n.toString();
      expect(text).toBe('CN=\\00web\\00evil\\00,O=Contoso');
      expect(text).not.toContain('\u0000');
      expect(Name.parse(text).get('CN')).toBe('\u0000web\u0000evil\u0000');
      expect(Name.parse(text).equals(n)).toBe(true);
    }
  });
  it('round-trips DER byte for byte, including BMP, Teletex and Printable strings', () => {
    const n = Name.from([
      [{ type: '2.5.4.6', value: 'FR', tag: T.PRINTABLE_STRING }],
      [{ type: '2.5.4.10', value: 'Contoso', tag: T.BMP_STRING }],
      [{ type: '2.5.4.11', value: 'Ünit', tag: T.TELETEX_STRING }],
      [
        { type: '2.5.4.3', value: 'b', tag: T.PRINTABLE_STRING },
        { type: '2.5.4.3', value: 'a', tag: T.UTF8_STRING },
      ],
    ]);
    const back = Name.fromDer(n.der);
    expect(toHex(Name.from(back.rdns).der)).toBe(toHex(n.der));
    expect(back.get('O')).toBe('Contoso');
    expect(back.rdns[2]![0]!.tag).toBe(T.TELETEX_STRING);
  });
  it('compares per RFC 5280 §7.1: case, spaces, string type and RDN-set order do not matter', () => {
    const a = Name.parse('CN=Contoso  Root CA,O=Contoso,C=FR');
    const b = Name.from([
      [{ type: '2.5.4.6', value: 'fr', tag: T.PRINTABLE_STRING }],
      [{ type: '2.5.4.10', value: ' CONTOSO ', tag: T.BMP_STRING }],
      [{ type: '2.5.4.3', value: 'contoso root ca', tag: T.PRINTABLE_STRING }],
    ]);
    expect(a.equals(b)).toBe(true);
    expect(a.canonical).toBe(b.canonical);
    expect(Name.parse('OU=A+OU=B,C=FR').equals(Name.parse('OU=B+OU=A,C=FR'))).toBe(true);
    expect(a.equals(Name.parse('O=Contoso,CN=Contoso Root CA,C=FR'))).toBe(false); // order of RDNs matters
    expect(a.equals(Name.parse('CN=Contoso Root CA,C=FR'))).toBe(false);
    expect(Name.parse('CN=ｅｘａｍｐｌｅ').equals(Name.parse('CN=Example'))).toBe(true); // NFKC
    expect(prepareString('  A \t B  ')).toBe('a b');
  });
  it('gives coded errors for bad names', () => {
    const c = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(PkiError);
        return (e as PkiError).code;
      }
    };
    expect(c(() => Name.parse('CN'))).toBe('ERR_PKI_NAME_INVALID');
    expect(c(() => Name.parse('XX=1'))).toBe('ERR_PKI_NAME_INVALID');
    expect(c(() => Name.parse('C=France'))).toBe('ERR_PKI_NAME_INVALID');
    expect(c(() => Name.parse('CN=a,'))).toBe('ERR_PKI_NAME_INVALID');
    expect(c(() => Name.parse('CN="open'))).toBe('ERR_PKI_NAME_INVALID');
    expect(c(() => Name.parse('CN=a\\'))).toBe('ERR_PKI_NAME_INVALID');
    expect(c(() => Name.parse('CN=\\ff'))).toBe('ERR_PKI_NAME_INVALID');
    expect(c(() => Name.fromDer(Uint8Array.of(0x30, 0x02, 0x31, 0x00)))).toBe('ERR_PKI_NAME_INVALID');
    expect(c(() => Name.fromDer(Uint8Array.of(0x30, 0x05, 0x31, 0x03, 0x30, 0x01, 0x06)))).toMatch(
      /^ERR_PKI_/,
    );
  });
  it('parses the empty name', () => {
    expect(Name.parse('').isEmpty).toBe(true);
    expect(toHex(Name.parse('').der)).toBe('3000');
  });
});
