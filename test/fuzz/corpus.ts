// The valid inputs the fuzz tests mutate. Everything is deterministic: fixed keys (see
// corpus-keys.ts), fixed serials and dates, and only deterministic signatures (Ed25519, RSA
// PKCS #1 v1.5), so the same seed gives the same inputs on every run.

import {
  authorityInfoAccess,
  authorityKeyIdentifier,
  basicConstraints,
  type Certificate,
  certificatePolicies,
  createCertificate,
  createCsr,
  crlDistributionPoints,
  type Extension,
  encodePem,
  extKeyUsage,
  freshestCrl,
  fromHex,
  importPrivateKey,
  inhibitAnyPolicy,
  issuerAltName,
  keyUsage,
  msApplicationPolicies,
  msCaVersion,
  msCertificateTemplate,
  msCertificateTemplateName,
  Name,
  nameConstraints,
  OID,
  PublicKey,
  policyConstraints,
  policyMappings,
  subjectAltName,
  subjectInfoAccess,
} from '@certlab/pki';
import { KEY_PEMS, SPKI_HEX } from './corpus-keys.js';

export interface Corpus {
  certificates: Uint8Array[];
  csrs: Uint8Array[];
  names: Uint8Array[];
  extensions: Extension[];
  spkis: Uint8Array[];
  /** Private keys as DER (PKCS #8, SEC 1, PKCS #1, encrypted PKCS #8). */
  keyDers: Uint8Array[];
  /** PEM texts: certificates, requests, keys (with and without RFC 1421 headers). */
  pems: string[];
}

const NOT_BEFORE = new Date(Date.UTC(2025, 0, 1));
const NOT_AFTER = new Date(Date.UTC(2051, 0, 1));

function everyExtension(): Extension[] {
  return [
    basicConstraints({ ca: true, pathLength: 3 }),
    keyUsage(['digitalSignature', 'keyCertSign', 'cRLSign', 'decipherOnly']),
    extKeyUsage(['serverAuth', 'clientAuth', '1.3.6.1.4.1.311.20.2.2']),
    subjectAltName([
      { type: 'dns', value: 'fuzz.contoso.com' },
      { type: 'ip', value: '10.0.0.1' },
      { type: 'ip', value: '2001:db8::1' },
      { type: 'email', value: 'fuzz@contoso.com' },
      { type: 'uri', value: 'https://contoso.com/fuzz' },
      { type: 'upn', value: 'fuzz@contoso.com' },
      { type: 'dirName', value: Name.parse('CN=Dir, O=Contoso, C=FR') },
      { type: 'registeredId', value: '1.2.3.4.5' },
      { type: 'otherName', oid: '1.3.6.1.4.1.99999.1', value: fromHex('0c0461626364') },
    ]),
    issuerAltName([{ type: 'uri', value: 'http://pki.contoso.com' }]),
    authorityKeyIdentifier({
      keyIdentifier: fromHex('00112233445566778899aabbccddeeff00112233'),
      authorityCertIssuer: [{ type: 'dirName', value: Name.parse('CN=Root, C=FR') }],
      authorityCertSerialNumber: '00A1B2C3',
    }),
    crlDistributionPoints([
      {
        fullName: [{ type: 'uri', value: 'http://crl.contoso.com/a.crl' }],
        reasons: ['keyCompromise', 'aACompromise'],
      },
      {
        nameRelativeToCRLIssuer: [{ type: OID.commonName, value: 'CRL1' }],
        cRLIssuer: [{ type: 'dirName', value: Name.parse('CN=CRL Issuer') }],
      },
    ]),
    freshestCrl([{ fullName: [{ type: 'uri', value: 'http://crl.contoso.com/delta.crl' }] }]),
    authorityInfoAccess([
      { method: 'caIssuers', location: { type: 'uri', value: 'http://pki.contoso.com/ca.crt' } },
      { method: 'ocsp', location: { type: 'uri', value: 'http://ocsp.contoso.com' } },
    ]),
    subjectInfoAccess([
      { method: '1.3.6.1.5.5.7.48.5', location: { type: 'uri', value: 'http://repo.contoso.com/' } },
    ]),
    certificatePolicies([
      {
        policyId: '1.3.6.1.4.1.311.21.8.1',
        qualifiers: [
          { type: 'cps', uri: 'http://pki.contoso.com/cps' },
          {
            type: 'userNotice',
            noticeRef: { organization: 'Contoso', noticeNumbers: [1, 2] },
            explicitText: 'Fuzz',
          },
          { type: 'other', oid: '1.2.3.9', der: fromHex('0500') },
        ],
      },
      { policyId: '2.5.29.32.0' },
    ]),
    policyMappings([{ issuerDomainPolicy: '1.2.3.4', subjectDomainPolicy: '1.2.3.5' }]),
    policyConstraints({ requireExplicitPolicy: 0, inhibitPolicyMapping: 2 }),
    inhibitAnyPolicy(1),
    nameConstraints({
      permitted: [
        { base: { type: 'dns', value: 'contoso.com' } },
        { base: { type: 'ip', value: '10.0.0.0/8' } },
        { base: { type: 'ip', value: '2001:db8::/32' } },
        { base: { type: 'ip', value: '192.168.0.0/255.0.255.0' } },
        { base: { type: 'dirName', value: Name.parse('C=FR') }, minimum: 1, maximum: 4 },
      ],
      excluded: [{ base: { type: 'email', value: 'bad@contoso.com' } }],
    }),
    msCertificateTemplateName('WebServer'),
    msCertificateTemplate({ templateId: '1.3.6.1.4.1.311.21.8.1.2', majorVersion: 100, minorVersion: 4 }),
    msCaVersion({ certIndex: 2, keyIndex: 1 }),
    msApplicationPolicies(['serverAuth']),
    { oid: '1.2.3.4.5.6', critical: true, value: fromHex('0c0568656c6c6f') },
  ];
}

function der(pem: string): Uint8Array {
  const b64 = pem
    .replace(/-----[^-]+-----/g, '')
    .replace(/^[A-Za-z-]+:.*$/gm, '')
    .replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

/** Builds the corpus (about 50 ms: two signatures per certificate, no key generation). */
export async function buildCorpus(): Promise<Corpus> {
  const ed = await importPrivateKey(KEY_PEMS.ed25519);
  const rsa = await importPrivateKey(KEY_PEMS.rsa1024);
  const p256 = PublicKey.fromSpki(fromHex(SPKI_HEX.p256));
  const p384 = PublicKey.fromSpki(fromHex(SPKI_HEX.p384));
  const rootSubject = Name.from([
    { C: 'FR' },
    [
      { type: OID.organizationName, value: 'Société Générale', tag: 0x0c },
      { type: OID.organizationalUnitName, value: 'PKI', tag: 0x13 },
    ],
    [{ type: OID.localityName, value: 'Ωmega', tag: 0x1e }],
    [{ type: OID.stateOrProvinceName, value: 'Île', tag: 0x14 }],
    { DC: 'contoso' },
    { CN: 'Fuzz Root' },
    [{ type: '1.2.3.4', value: '#3003020101', raw: fromHex('3003020101') }],
  ]);
  const root: Certificate = await createCertificate({
    subject: rootSubject,
    publicKey: ed.publicKey,
    signingKey: ed,
    serialNumber: '01',
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
    extensions: [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])],
  });
  const leaf = await createCertificate({
    subject: 'E=fuzz@contoso.com, CN=fuzz.contoso.com+UID=fuzz, O=Contoso, C=FR',
    issuer: root,
    publicKey: p256,
    signingKey: ed,
    serialNumber: '00ff00112233445566778899aabbccddeeff0011',
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
    extensions: everyExtension(),
  });
  // Signed with other keys than the root's on purpose (RSA PKCS#1 and PSS signatures in the
  // corpus): named after the root by issuerName, since createCertificate refuses an issuer
  // certificate whose key did not sign.
  const rsaLeaf = await createCertificate({
    subject: 'CN=rsa.contoso.com',
    issuerName: root.subject,
    publicKey: rsa.publicKey,
    signingKey: rsa,
    serialNumber: 7n,
    notBefore: NOT_BEFORE,
    notAfter: new Date(Date.UTC(2030, 5, 15, 12, 30, 45)),
    subjectKeyIdentifier: false,
    authorityKeyIdentifier: false,
  });
  const p384Leaf = await createCertificate({
    subject: 'CN=p384',
    issuerName: root.subject,
    authorityKeyIdentifier: true,
    publicKey: p384,
    signingKey: rsa,
    serialNumber: '42',
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
    signature: { hash: 'SHA-384', pss: true },
    extensions: [subjectAltName([{ type: 'dns', value: 'p384.contoso.com' }])],
  });
  const csr = await createCsr({
    subject: 'CN=fuzz.contoso.com, OU=PKI+UID=jdoe, O=Société Générale, C=FR',
    privateKey: ed,
    extensions: everyExtension().slice(0, 6),
    challengePassword: 'fuzz pass',
    template: 'WebServer',
    attributes: [{ oid: '1.3.6.1.4.1.311.13.2.3', values: [fromHex('160c31302e302e31393034352e32')] }],
  });
  const rsaCsr = await createCsr({ subject: 'CN=rsa', privateKey: rsa });
  // RSASSA-PSS signatures are salted: overwrite this one with a fixed pattern so the corpus is
  // the same on every run (the structure, including the PSS parameters, is what matters here).
  const pss = p384Leaf.der.slice();
  pss.fill(0x5a, pss.length - p384Leaf.signature.length);
  const certificates = [root.der, leaf.der, rsaLeaf.der, pss];
  return {
    certificates,
    csrs: [csr.der, rsaCsr.der],
    names: [
      root.subject.der,
      leaf.subject.der,
      csr.subject.der,
      Name.parse('').der,
      Name.parse('/C=FR/O=x+OU=y/CN=z').der,
    ],
    extensions: leaf.extensions.slice(),
    spkis: Object.values(SPKI_HEX).map((h) => fromHex(h)),
    keyDers: [
      KEY_PEMS.ed25519,
      KEY_PEMS.p256,
      KEY_PEMS.p256Sec1,
      KEY_PEMS.p256Encrypted,
      KEY_PEMS.p256Pbe3des,
      KEY_PEMS.rsa1024,
      KEY_PEMS.rsa1024Pkcs1,
    ].map(der),
    pems: [
      root.toPem(),
      leaf.toPem({ eol: '\r\n' }),
      csr.toPem(),
      `Bag Attributes\n${rsaLeaf.toPem()}${encodePem('CERTIFICATE', pss)}`,
      ...Object.values(KEY_PEMS),
    ],
  };
}
