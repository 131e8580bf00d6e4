import { describe, expect, it } from 'vitest';
import { PkiError } from '../src/errors.js';
import {
  authorityInfoAccess,
  authorityKeyIdentifier,
  basicConstraints,
  certificatePolicies,
  crlDistributionPoints,
  decodeAuthorityKeyIdentifier,
  decodeBasicConstraints,
  decodeCertificatePolicies,
  decodeCrlDistributionPoints,
  decodeExtension,
  decodeExtKeyUsage,
  decodeGeneralNames,
  decodeInfoAccess,
  decodeInhibitAnyPolicy,
  decodeKeyUsage,
  decodeMsApplicationPolicies,
  decodeMsCaVersion,
  decodeMsCertificateTemplate,
  decodeMsCertificateTemplateName,
  decodeMsNextCrlPublish,
  decodeNameConstraints,
  decodePolicyConstraints,
  decodePolicyMappings,
  ekuOid,
  encodeExtensions,
  extKeyUsage,
  inhibitAnyPolicy,
  keyUsage,
  msApplicationPolicies,
  msCaVersion,
  msCertificateTemplate,
  msCertificateTemplateName,
  msNextCrlPublish,
  nameConstraints,
  policyConstraints,
  policyMappings,
  readExtensions,
  subjectAltName,
} from '../src/extensions.js';
import { parseGeneralName } from '../src/general-names.js';
import { fromHex, toHex } from '../src/internal/bytes.js';
import { readWhole } from '../src/internal/der.js';
import { Name } from '../src/names.js';
import { OID, oidName } from '../src/oids.js';

describe('extension encodings match what OpenSSL and AD CS write', () => {
  it('basicConstraints', () => {
    expect(toHex(basicConstraints({ ca: true }).value)).toBe('30030101ff');
    expect(toHex(basicConstraints({ ca: true, pathLength: 0 }).value)).toBe('30060101ff020100');
    expect(toHex(basicConstraints({ ca: false }).value)).toBe('3000');
    expect(decodeBasicConstraints(fromHex('30060101ff020103'))).toEqual({ ca: true, pathLength: 3 });
    expect(decodeBasicConstraints(fromHex('3000'))).toEqual({ ca: false });
  });
  it('keyUsage BIT STRING drops trailing zero bits (X.690 §11.2.2)', () => {
    expect(toHex(keyUsage(['digitalSignature', 'keyEncipherment']).value)).toBe('030205a0');
    expect(toHex(keyUsage(['keyCertSign', 'cRLSign']).value)).toBe('03020106');
    expect(toHex(keyUsage(['digitalSignature', 'keyCertSign', 'cRLSign']).value)).toBe('03020186');
    expect(toHex(keyUsage(['decipherOnly']).value)).toBe('0303070080');
    expect(decodeKeyUsage(fromHex('0303070080'))).toEqual(['decipherOnly']);
    expect(decodeKeyUsage(fromHex('030205a0'))).toEqual(['digitalSignature', 'keyEncipherment']);
  });
  it('extKeyUsage and Microsoft application policies', () => {
    expect(toHex(extKeyUsage(['serverAuth', 'clientAuth']).value)).toBe(
      '301406082b0601050507030106082b06010505070302',
    );
    expect(decodeExtKeyUsage(extKeyUsage(['serverAuth', '1.2.3.4']).value)).toEqual([
      OID.serverAuth,
      '1.2.3.4',
    ]);
    // AD CS writes 30 0c 30 0a 06 08 2b06010505070301 for "Server Authentication".
    expect(toHex(msApplicationPolicies(['serverAuth']).value)).toBe('300c300a06082b06010505070301');
    expect(decodeMsApplicationPolicies(msApplicationPolicies(['serverAuth', 'clientAuth']).value)).toEqual([
      OID.serverAuth,
      OID.clientAuth,
    ]);
    // Regression: names were looked up in a plain object, so "constructor" resolved to
    // Object.prototype.constructor and extKeyUsage failed with "dotted.slice is not a function".
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(() => ekuOid(name), name).toThrow(
        expect.objectContaining({ code: 'ERR_PKI_EXTENSION_INVALID' }),
      );
      expect(() => extKeyUsage([name]), name).toThrow(
        expect.objectContaining({ code: 'ERR_PKI_EXTENSION_INVALID' }),
      );
    }
  });
  it('oidName gives a string for any input', () => {
    expect(oidName(OID.extKeyUsage)).toBe('extKeyUsage');
    expect(oidName('1.2.3.4')).toBe('1.2.3.4');
    // Regression: the name table is a plain object, so "constructor" returned Object itself.
    for (const s of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])
      expect(oidName(s), s).toBe(s);
  });
  it('subjectAltName with every GeneralName form', () => {
    const names = [
      parseGeneralName('dns:exch01.contoso.com'),
      parseGeneralName('ip:10.0.0.5'),
      parseGeneralName('ip:2001:db8::1'),
      parseGeneralName('email:admin@contoso.com'),
      parseGeneralName('uri:sip:lync.contoso.com'),
      parseGeneralName('upn:exch01$@contoso.com'),
      parseGeneralName('dirname:CN=x,O=Contoso'),
      { type: 'registeredId', value: '1.2.3.4' } as const,
    ];
    const ext = subjectAltName(names);
    const back = decodeGeneralNames(ext.value);
    expect(back.slice(0, 6)).toEqual(names.slice(0, 6));
    expect(back[6]!.type === 'dirName' && back[6]!.value.toString()).toBe('CN=x,O=Contoso');
    expect(back[7]).toEqual({ type: 'registeredId', value: '1.2.3.4' });
    expect(toHex(subjectAltName([{ type: 'ip', value: '10.0.0.5' }]).value)).toBe('300687040a000005');
    expect(toHex(subjectAltName([{ type: 'dns', value: 'a.example' }]).value)).toBe(
      '300b8209612e6578616d706c65',
    );
    // UPN as Windows writes it: otherName { 1.3.6.1.4.1.311.20.2.3, [0] UTF8String }
    expect(toHex(subjectAltName([{ type: 'upn', value: 'u@c' }]).value)).toBe(
      '3015a013060a2b060104018237140203a0050c03754063',
    );
  });
  it('key identifiers', () => {
    const aki = authorityKeyIdentifier({
      keyIdentifier: fromHex('0102'),
      authorityCertIssuer: [{ type: 'dirName', value: Name.parse('CN=Root') }],
      authorityCertSerialNumber: '00FF',
    });
    const d = decodeAuthorityKeyIdentifier(aki.value);
    expect(toHex(d.keyIdentifier!)).toBe('0102');
    expect(d.authorityCertSerialNumber).toBe('00FF');
    expect(d.authorityCertIssuer![0]!.type).toBe('dirName');
    expect(toHex(authorityKeyIdentifier({ keyIdentifier: fromHex('0102') }).value)).toBe('300480020102');
    // An odd number of digits reads with a leading zero, colons are separators; nothing else is hex.
    const serialOf = (h: string) =>
      decodeAuthorityKeyIdentifier(authorityKeyIdentifier({ authorityCertSerialNumber: h }).value)
        .authorityCertSerialNumber;
    expect(serialOf('1a2')).toBe('01A2');
    expect(serialOf('de:ad')).toBe('00DEAD');
    expect(() => authorityKeyIdentifier({ authorityCertSerialNumber: '' })).toThrow(TypeError);
    expect(() => authorityKeyIdentifier({ authorityCertSerialNumber: '0x1f' })).toThrow(/not a hex serial/);
  });
  it('CRL distribution points and AIA as AD CS publishes them', () => {
    const cdp = crlDistributionPoints([
      { fullName: [{ type: 'uri', value: 'http://pki.contoso.com/CertEnroll/Contoso%20Issuing%20CA.crl' }] },
    ]);
    expect(decodeCrlDistributionPoints(cdp.value)).toEqual([
      { fullName: [{ type: 'uri', value: 'http://pki.contoso.com/CertEnroll/Contoso%20Issuing%20CA.crl' }] },
    ]);
    const withReasons = crlDistributionPoints([
      {
        nameRelativeToCRLIssuer: [{ type: OID.commonName, value: 'CRL1' }],
        reasons: ['keyCompromise', 'cACompromise'],
        cRLIssuer: [{ type: 'dirName', value: Name.parse('CN=CRL issuer') }],
      },
    ]);
    const back = decodeCrlDistributionPoints(withReasons.value)[0]!;
    expect(back.reasons).toEqual(['keyCompromise', 'cACompromise']);
    expect(back.nameRelativeToCRLIssuer![0]!.value).toBe('CRL1');
    const aia = authorityInfoAccess([
      { method: 'caIssuers', location: { type: 'uri', value: 'http://pki.contoso.com/CertEnroll/ca.crt' } },
      { method: 'ocsp', location: { type: 'uri', value: 'http://ocsp.contoso.com' } },
    ]);
    expect(decodeInfoAccess(aia.value).map((a) => a.method)).toEqual([OID.caIssuers, OID.ocsp]);
  });
  it('policies, mappings, constraints and inhibitAnyPolicy', () => {
    const cp = certificatePolicies([
      { policyId: '2.23.140.1.2.1' },
      {
        policyId: '1.3.6.1.4.1.311.21.8.1',
        qualifiers: [
          { type: 'cps', uri: 'http://pki.contoso.com/cps' },
          {
            type: 'userNotice',
            noticeRef: { organization: 'Contoso', noticeNumbers: [1, 2] },
            explicitText: 'Lab use only',
          },
        ],
      },
    ]);
    expect(decodeCertificatePolicies(cp.value)).toEqual([
      { policyId: '2.23.140.1.2.1' },
      {
        policyId: '1.3.6.1.4.1.311.21.8.1',
        qualifiers: [
          { type: 'cps', uri: 'http://pki.contoso.com/cps' },
          {
            type: 'userNotice',
            noticeRef: { organization: 'Contoso', noticeNumbers: [1, 2] },
            explicitText: 'Lab use only',
          },
        ],
      },
    ]);
    expect(
      decodePolicyMappings(
        policyMappings([{ issuerDomainPolicy: '1.2.3', subjectDomainPolicy: '1.2.4' }]).value,
      ),
    ).toEqual([{ issuerDomainPolicy: '1.2.3', subjectDomainPolicy: '1.2.4' }]);
    expect(toHex(policyConstraints({ requireExplicitPolicy: 0 }).value)).toBe('3003800100');
    expect(
      decodePolicyConstraints(policyConstraints({ requireExplicitPolicy: 1, inhibitPolicyMapping: 2 }).value),
    ).toEqual({ requireExplicitPolicy: 1, inhibitPolicyMapping: 2 });
    expect(toHex(inhibitAnyPolicy(0).value)).toBe('020100');
    expect(decodeInhibitAnyPolicy(fromHex('020102'))).toBe(2);
  });
  it('name constraints with DNS, IP ranges, email and directoryName', () => {
    const nc = nameConstraints({
      permitted: [
        { base: { type: 'dns', value: 'contoso.com' } },
        { base: { type: 'ip', value: '10.0.0.0/8' } },
        { base: { type: 'ip', value: '2001:db8::/32' } },
        { base: { type: 'dirName', value: Name.parse('O=Contoso,C=FR') } },
      ],
      excluded: [{ base: { type: 'email', value: '.example.org' } }],
    });
    const d = decodeNameConstraints(nc.value);
    expect(
      d.permitted!.map((s) =>
        s.base.type === 'dirName' ? s.base.value.toString() : 'value' in s.base ? s.base.value : '',
      ),
    ).toEqual(['contoso.com', '10.0.0.0/8', '2001:db8::/32', 'O=Contoso,C=FR']);
    expect(d.excluded).toEqual([{ base: { type: 'email', value: '.example.org' } }]);
    // OpenSSL: permitted;IP:10.0.0.0/255.0.0.0 -> 87 08 0a000000 ff000000
    expect(toHex(nc.value)).toContain('87080a000000ff000000');
  });
  it('Microsoft template name, template information and CA version', () => {
    expect(toHex(msCertificateTemplateName('WebServer').value)).toBe(
      '1e12005700650062005300650072007600650072',
    );
    expect(decodeMsCertificateTemplateName(msCertificateTemplateName('WebServer').value)).toBe('WebServer');
    const ti = msCertificateTemplate({
      templateId: '1.3.6.1.4.1.311.21.8.1.2',
      majorVersion: 100,
      minorVersion: 4,
    });
    expect(decodeMsCertificateTemplate(ti.value)).toEqual({
      templateId: '1.3.6.1.4.1.311.21.8.1.2',
      majorVersion: 100,
      minorVersion: 4,
    });
    expect(toHex(msCaVersion({ certIndex: 0, keyIndex: 0 }).value)).toBe('020100');
    expect(decodeMsCaVersion(msCaVersion({ certIndex: 1, keyIndex: 1 }).value)).toEqual({
      certIndex: 1,
      keyIndex: 1,
    });
    // The two 16-bit halves stay apart and the value reads back.
    expect(decodeMsCaVersion(msCaVersion({ certIndex: 0xffff, keyIndex: 0x7fff }).value)).toEqual({
      certIndex: 0xffff,
      keyIndex: 0x7fff,
    });
    for (const bad of [
      { certIndex: 0x10000, keyIndex: 0 },
      { certIndex: 0, keyIndex: 0x8000 },
      { certIndex: -1, keyIndex: 0 },
      { certIndex: 1.5, keyIndex: 0 },
    ])
      expect(() => msCaVersion(bad), JSON.stringify(bad)).toThrow(TypeError);
  });
  it('Next CRL Publish is a non-critical Time: UTCTime through 2049, GeneralizedTime after', () => {
    const e = msNextCrlPublish(new Date('2026-12-09T17:00:00Z'));
    expect(e).toMatchObject({ oid: '1.3.6.1.4.1.311.21.4', critical: false });
    expect(toHex(e.value)).toBe('170d3236313230393137303030305a'); // UTCTime 261209170000Z
    expect(decodeMsNextCrlPublish(e.value).toISOString()).toBe('2026-12-09T17:00:00.000Z');
    expect(decodeExtension(e)).toEqual({ name: 'msNextCrlPublish', value: new Date('2026-12-09T17:00:00Z') });
    expect(toHex(msNextCrlPublish(new Date('2050-01-01T00:00:00Z')).value).slice(0, 4)).toBe('180f');
    expect(() => msNextCrlPublish(new Date(Number.NaN))).toThrow(TypeError);
    // An INTEGER, or a time without its Z, is a malformed extension, not another kind of error.
    for (const bad of ['020100', '170b323631323039313730305a', '170d3236313233323137303030305a'])
      expect(() => decodeMsNextCrlPublish(fromHex(bad)), bad).toThrow(
        expect.objectContaining({ code: 'ERR_PKI_EXTENSION_INVALID' }),
      );
  });
  it('decodeExtension dispatches and keeps unknown extensions untouched', () => {
    const unknown = { oid: '1.2.3.4.5', critical: true, value: fromHex('0c0568656c6c6f') };
    const list = [basicConstraints({ ca: true }), unknown, subjectAltName([{ type: 'dns', value: 'x' }])];
    const der = encodeExtensions(list);
    const back = readExtensions(readWhole(der));
    expect(back[1]).toEqual(unknown);
    expect(back[0]!.critical).toBe(true);
    expect(decodeExtension(back[0]!)).toEqual({ name: 'basicConstraints', value: { ca: true } });
    expect(decodeExtension(back[1]!).name).toBe('unknown');
  });
  it('rejects malformed and duplicate extensions with codes', () => {
    const c = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(PkiError);
        return (e as PkiError).code;
      }
    };
    expect(c(() => decodeBasicConstraints(fromHex('30030101')))).toMatch(/^ERR_PKI_/);
    expect(c(() => decodeGeneralNames(fromHex('3000')))).toBe('ERR_PKI_EXTENSION_INVALID');
    expect(c(() => decodeGeneralNames(fromHex('300387010a')))).toBe('ERR_PKI_EXTENSION_INVALID');
    expect(c(() => decodeNameConstraints(fromHex('3000')))).toBe('ERR_PKI_EXTENSION_INVALID');
    expect(c(() => decodeCertificatePolicies(fromHex('300a3003060100' + '3003060100')))).toMatch(/^ERR_PKI_/);
    expect(c(() => encodeExtensions([basicConstraints({ ca: true }), basicConstraints({ ca: false })]))).toBe(
      'ERR_PKI_EXTENSION_DUPLICATE',
    );
    const dup = fromHex(
      `3012${'300706035d1d130400'.replace('5d', '55')}${'300706035d1d130400'.replace('5d', '55')}`,
    );
    expect(c(() => readExtensions(readWhole(fix(dup))))).toBe('ERR_PKI_EXTENSION_DUPLICATE');
  });
});

function fix(b: Uint8Array): Uint8Array {
  // helper: recompute the outer length of a hand-written SEQUENCE
  const inner = b.subarray(2);
  return Uint8Array.of(0x30, inner.length, ...inner);
}
