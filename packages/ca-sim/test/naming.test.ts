// Serial numbers and /CertEnroll/ names as AD CS builds them (certsrv reference §11.2, §11.4).

import {
  adcsSerialNumber,
  caCertificateFileName,
  certEnrollUrl,
  crlFileName,
  sanitizedCaName,
} from '@certlab/ca-sim';
import { fromHex } from '@certlab/pki';
import { describe, expect, it } from 'vitest';

describe('serial numbers', () => {
  it('reproduces the layout of a real AD CS serial (request 5, CA index 0)', () => {
    const s = adcsSerialNumber({
      prefix: 0x64,
      requestId: 5,
      caCertIndex: 0,
      random: fromHex('2d06c5643675746d'),
    });
    expect(s).toBe('64000000052D06C5643675746D000000000005');
    expect(
      adcsSerialNumber({
        prefix: 0x13,
        requestId: 3204,
        caCertIndex: 3,
        random: fromHex('8b119df8f9ecd090'),
      }),
    ).toBe('1300000C848B119DF8F9ECD090000300000C84');
  });

  it('is random-bearing and checks its inputs', () => {
    const a = adcsSerialNumber({ prefix: 1, requestId: 1, caCertIndex: 0 });
    const b = adcsSerialNumber({ prefix: 1, requestId: 1, caCertIndex: 0 });
    expect(a).not.toBe(b);
    expect(a).toMatch(/^01[0-9A-F]{36}$/);
    expect(() => adcsSerialNumber({ prefix: 0x80, requestId: 1, caCertIndex: 0 })).toThrow(RangeError);
    expect(() => adcsSerialNumber({ prefix: 1, requestId: 0, caCertIndex: 0 })).toThrow(RangeError);
    expect(() => adcsSerialNumber({ prefix: 1, requestId: 2 ** 32, caCertIndex: 0 })).toThrow(RangeError);
  });
});

describe('CertEnroll names', () => {
  it('names CRLs and CA certificates with the AD CS tokens', () => {
    expect(crlFileName('Contoso Issuing CA', 0, false)).toBe('Contoso Issuing CA.crl');
    expect(crlFileName('Contoso Issuing CA', 2, true)).toBe('Contoso Issuing CA(2)+.crl');
    expect(caCertificateFileName('ca01.contoso.com', 'Contoso Issuing CA', 1)).toBe(
      'ca01.contoso.com_Contoso Issuing CA(1).crt',
    );
    expect(sanitizedCaName('Contoso: CA #1')).toBe('Contoso!003a CA !00231');
    // [MS-WCCE] §3.1.1.4.1.1.2: from 0x7F up and below 0x20 too (the URL carried UTF-8 'é').
    expect(sanitizedCaName('Société Ω\u0001\u007f')).toBe('Soci!00e9t!00e9 !03a9!0001!007f');
    expect(sanitizedCaName('CA 🔑')).toBe('CA !d83d!dd11');
    expect(certEnrollUrl('http://pki.contoso.com/', 'Contoso Issuing CA(1)+.crl')).toBe(
      'http://pki.contoso.com/CertEnroll/Contoso%20Issuing%20CA(1)+.crl',
    );
  });
});
