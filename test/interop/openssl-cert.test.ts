// X.509 certificates, both ways between certlab and the OpenSSL CLI:
// - chains certlab makes (root → intermediate → leaf with every extension) are shown by
//   `openssl x509 -text` with the values we wrote, and `openssl verify` accepts them;
// - certificates OpenSSL makes with each extension parse, agree with what OpenSSL prints, and
//   re-encode byte for byte through the public API, down to the whole certificate.

import { readFileSync } from 'node:fs';
import {
  authorityInfoAccess,
  basicConstraints,
  type Certificate,
  certificatePolicies,
  createCertificate,
  crlDistributionPoints,
  decodeExtension,
  type Extension,
  extKeyUsage,
  type GeneralName,
  importPrivateKey,
  inhibitAnyPolicy,
  keyUsage,
  msApplicationPolicies,
  msCaVersion,
  msCertificateTemplate,
  msCertificateTemplateName,
  Name,
  nameConstraints,
  OID,
  PublicKey,
  parseCertificate,
  policyConstraints,
  policyMappings,
  readDerOrPem,
  subjectAltName,
} from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateExtensions, hex, oid, seq, tlv } from '../support/der.js';
import {
  INTERMEDIATE_NOT_AFTER,
  KEY_TYPES,
  keyPair,
  LEAF_NOT_AFTER,
  NOT_BEFORE,
  ROOT_NOT_AFTER,
  VERIFY_AT_EPOCH,
} from '../support/fixtures.js';
import {
  asn1ExtensionValues,
  colonHex,
  normalizeUpn,
  openssl,
  opensslBytes,
  opensslCertFields,
  runOpenssl,
  textExtensions,
} from '../support/openssl.js';
import {
  isKnownExtension,
  REENCODE,
  rebuildCertificate,
  rebuildName,
  rebuildTbs,
} from '../support/reencode.js';
import { makeTmpDir, useTmpDir } from '../support/tmp.js';
import { describeWithTool } from '../support/tools.js';

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');
const readText = (path: string) => readFileSync(path, 'utf8');

function bmpHex(s: string): string {
  let out = '';
  for (const ch of s) out += ch.charCodeAt(0).toString(16).padStart(4, '0');
  return out.toUpperCase();
}

// --------------------------------------------------------------------------------------------
// certlab → OpenSSL

const ROOT_SUBJECT = 'CN=certlab Test Root, O=Société Générale, C=FR';
const INTER_SUBJECT = 'CN=certlab Issuing CA, O=Société Générale, C=FR';
const LEAF_SUBJECT = 'CN=exch01.contoso.com, OU=Messaging+UID=exch01, O=Société Générale, C=FR';

const LEAF_SANS: GeneralName[] = [
  { type: 'dns', value: 'exch01.contoso.com' },
  { type: 'ip', value: '10.0.0.5' },
  { type: 'ip', value: '2001:db8::5' },
  { type: 'email', value: 'admin@contoso.com' },
  { type: 'uri', value: 'https://contoso.com/exch01' },
  { type: 'upn', value: 'jdoe@contoso.com' },
  { type: 'dirName', value: Name.parse('CN=Alt Name, O=Contoso, C=FR') },
];

/** Constraints the whole chain satisfies; on the intermediate they are enforced by `openssl verify`. */
const NAME_CONSTRAINTS = nameConstraints({
  permitted: [
    { base: { type: 'dns', value: 'contoso.com' } },
    { base: { type: 'ip', value: '10.0.0.0/8' } },
    { base: { type: 'ip', value: '2001:db8::/32' } },
    { base: { type: 'dirName', value: Name.parse('C=FR') } },
  ],
  excluded: [{ base: { type: 'email', value: 'bad@contoso.com' } }],
});

function leafExtensions(): Extension[] {
  return [
    basicConstraints({ ca: false }),
    keyUsage(['digitalSignature', 'nonRepudiation']),
    extKeyUsage(['serverAuth', 'clientAuth']),
    subjectAltName(LEAF_SANS),
    crlDistributionPoints([
      { fullName: [{ type: 'uri', value: 'http://pki.contoso.com/crl/issuing.crl' }] },
      {
        fullName: [
          {
            type: 'uri',
            value: 'ldap:///CN=Issuing,CN=CDP,DC=contoso,DC=com?certificateRevocationList?base',
          },
        ],
      },
    ]),
    authorityInfoAccess([
      { method: 'caIssuers', location: { type: 'uri', value: 'http://pki.contoso.com/issuing.crt' } },
      { method: 'ocsp', location: { type: 'uri', value: 'http://ocsp.contoso.com' } },
    ]),
    certificatePolicies([
      {
        policyId: '1.3.6.1.4.1.311.21.8.1',
        qualifiers: [
          { type: 'cps', uri: 'http://pki.contoso.com/cps.html' },
          {
            type: 'userNotice',
            noticeRef: { organization: 'Contoso', noticeNumbers: [1, 2] },
            explicitText: 'Issued under the Contoso CPS',
          },
        ],
      },
      { policyId: '2.23.140.1.2.2' },
    ]),
    nameConstraints(
      {
        permitted: [
          { base: { type: 'dns', value: 'contoso.com' } },
          { base: { type: 'ip', value: '10.0.0.0/8' } },
          { base: { type: 'ip', value: '2001:db8::/32' } },
          { base: { type: 'email', value: 'contoso.com' } },
          { base: { type: 'dirName', value: Name.parse('O=Contoso, C=FR') } },
        ],
        excluded: [{ base: { type: 'email', value: 'bad@contoso.com' } }],
      },
      true,
    ),
    policyConstraints({ requireExplicitPolicy: 0, inhibitPolicyMapping: 1 }),
    policyMappings([{ issuerDomainPolicy: '1.2.3.4', subjectDomainPolicy: '1.2.3.5' }]),
    inhibitAnyPolicy(2),
    msCertificateTemplateName('WebServer'),
    msCertificateTemplate({ templateId: '1.3.6.1.4.1.311.21.8.1.2', majorVersion: 100, minorVersion: 4 }),
    msCaVersion({ certIndex: 1, keyIndex: 1 }),
    msApplicationPolicies(['serverAuth', 'clientAuth']),
  ];
}

/** `openssl x509 -text` bodies for the leaf's extensions, written by hand from OpenSSL 3's format. */
const LEAF_TEXT: Record<string, { critical: boolean; lines: string[] }> = {
  'X509v3 Basic Constraints': { critical: true, lines: ['CA:FALSE'] },
  'X509v3 Key Usage': { critical: true, lines: ['Digital Signature, Non Repudiation'] },
  'X509v3 Extended Key Usage': {
    critical: false,
    lines: ['TLS Web Server Authentication, TLS Web Client Authentication'],
  },
  'X509v3 Subject Alternative Name': {
    critical: false,
    lines: [
      'DNS:exch01.contoso.com, IP Address:10.0.0.5, IP Address:2001:DB8:0:0:0:0:0:5, email:admin@contoso.com, ' +
        'URI:https://contoso.com/exch01, othername: UPN::jdoe@contoso.com, DirName:/C=FR/O=Contoso/CN=Alt Name',
    ],
  },
  'X509v3 CRL Distribution Points': {
    critical: false,
    lines: [
      'Full Name:',
      '  URI:http://pki.contoso.com/crl/issuing.crl',
      'Full Name:',
      '  URI:ldap:///CN=Issuing,CN=CDP,DC=contoso,DC=com?certificateRevocationList?base',
    ],
  },
  'Authority Information Access': {
    critical: false,
    lines: ['CA Issuers - URI:http://pki.contoso.com/issuing.crt', 'OCSP - URI:http://ocsp.contoso.com'],
  },
  'X509v3 Certificate Policies': {
    critical: false,
    lines: [
      'Policy: 1.3.6.1.4.1.311.21.8.1',
      '  CPS: http://pki.contoso.com/cps.html',
      '  User Notice:',
      '    Organization: Contoso',
      '    Numbers: 1, 2',
      '    Explicit Text: Issued under the Contoso CPS',
      'Policy: 2.23.140.1.2.2',
    ],
  },
  'X509v3 Name Constraints': {
    critical: true,
    lines: [
      'Permitted:',
      '  DNS:contoso.com',
      '  IP:10.0.0.0/255.0.0.0',
      '  IP:2001:DB8:0:0:0:0:0:0/FFFF:FFFF:0:0:0:0:0:0',
      '  email:contoso.com',
      '  DirName:C = FR, O = Contoso',
      'Excluded:',
      '  email:bad@contoso.com',
    ],
  },
  'X509v3 Policy Constraints': {
    critical: true,
    lines: ['Require Explicit Policy:0, Inhibit Policy Mapping:1'],
  },
  'X509v3 Policy Mappings': { critical: true, lines: ['1.2.3.4:1.2.3.5'] },
  'X509v3 Inhibit Any Policy': { critical: true, lines: ['2'] },
};

/** The Microsoft extensions, which OpenSSL 3.0 does not name: their DER, written here independently. */
const LEAF_MS_HEX: Record<string, string> = {
  '1.3.6.1.4.1.311.20.2': `1E12${bmpHex('WebServer')}`,
  '1.3.6.1.4.1.311.21.7': hex(
    seq(oid('1.3.6.1.4.1.311.21.8.1.2'), tlv(0x02, Uint8Array.of(100)), tlv(0x02, Uint8Array.of(4))),
  ),
  '1.3.6.1.4.1.311.21.1': '0203010001',
  '1.3.6.1.4.1.311.21.10': hex(seq(seq(oid(OID.serverAuth)), seq(oid(OID.clientAuth)))),
};

interface Chain {
  root: Certificate;
  inter: Certificate;
  leaf: Certificate;
  paths: { root: string; inter: string; leaf: string; leafKey: string };
}

const CHAINS = [
  ...KEY_TYPES.map((k) => ({ label: k.label, root: k.spec, inter: k.spec, leaf: k.spec })),
  {
    label: 'mixed: EC P-384 root, RSA 2048 intermediate, Ed25519 leaf',
    root: KEY_TYPES[2]!.spec,
    inter: KEY_TYPES[0]!.spec,
    leaf: KEY_TYPES[4]!.spec,
  },
];

describeWithTool('openssl', 'OpenSSL accepts the certificates certlab creates', () => {
  const tmp = useTmpDir('certlab-cert-ours-');

  for (const c of CHAINS) {
    describe(c.label, () => {
      let chain: Chain;

      beforeAll(async () => {
        const rk = await keyPair(c.root, 1);
        const ik = await keyPair(c.inter, 2);
        const lk = await keyPair(c.leaf, 3);
        const root = await createCertificate({
          subject: ROOT_SUBJECT,
          publicKey: rk.publicKey,
          signingKey: rk.privateKey,
          serialNumber: '01',
          notBefore: NOT_BEFORE,
          notAfter: ROOT_NOT_AFTER,
          extensions: [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])],
        });
        const inter = await createCertificate({
          subject: INTER_SUBJECT,
          issuer: root,
          publicKey: ik.publicKey,
          signingKey: rk.privateKey,
          serialNumber: '7f02',
          notBefore: NOT_BEFORE,
          notAfter: INTERMEDIATE_NOT_AFTER,
          extensions: [
            basicConstraints({ ca: true, pathLength: 0 }),
            keyUsage(['digitalSignature', 'keyCertSign', 'cRLSign']),
            NAME_CONSTRAINTS,
          ],
        });
        const leaf = await createCertificate({
          subject: LEAF_SUBJECT,
          issuer: inter,
          publicKey: lk.publicKey,
          signingKey: ik.privateKey,
          // High bit set: DER needs a 0x00 sign octet, which OpenSSL does not print.
          serialNumber: '8a0b0c0d0e0f10111213',
          notBefore: NOT_BEFORE,
          notAfter: LEAF_NOT_AFTER,
          extensions: leafExtensions(),
        });
        const s = slug(c.label);
        chain = {
          root,
          inter,
          leaf,
          paths: {
            root: tmp.write(`${s}-root.pem`, root.toPem()),
            inter: tmp.write(`${s}-inter.pem`, inter.toPem()),
            leaf: tmp.write(`${s}-leaf.pem`, leaf.toPem()),
            leafKey: tmp.write(`${s}-leaf.key`, await lk.privateKey.toPem()),
          },
        };
      });

      it('`openssl verify -CAfile root -untrusted intermediate leaf` succeeds', () => {
        const r = runOpenssl([
          'verify',
          '-attime',
          VERIFY_AT_EPOCH,
          '-CAfile',
          chain.paths.root,
          '-untrusted',
          chain.paths.inter,
          chain.paths.leaf,
        ]);
        expect(`${r.stdout}${r.stderr}`).toContain(`${chain.paths.leaf}: OK`);
        expect(r.status).toBe(0);
      });

      it('`openssl verify -policy_check` honours the leaf’s requireExplicitPolicy:0 (no CA asserts a policy)', () => {
        // Proof that OpenSSL read our policyConstraints: with policy processing on, an explicit
        // policy is required at once, and neither CA has certificatePolicies.
        const r = runOpenssl([
          'verify',
          '-attime',
          VERIFY_AT_EPOCH,
          '-policy_check',
          '-CAfile',
          chain.paths.root,
          '-untrusted',
          chain.paths.inter,
          chain.paths.leaf,
        ]);
        expect(r.status).not.toBe(0);
        expect(`${r.stdout}${r.stderr}`).toMatch(/no explicit policy/);
      });

      it('`openssl verify` fails for the leaf against a root that did not issue the chain (the check is real)', () => {
        const r = runOpenssl([
          'verify',
          '-attime',
          VERIFY_AT_EPOCH,
          '-CAfile',
          chain.paths.inter,
          chain.paths.leaf,
        ]);
        expect(r.status).not.toBe(0);
      });

      it('serial, names and dates are what OpenSSL prints', () => {
        for (const [cert, path] of [
          [chain.root, chain.paths.root],
          [chain.inter, chain.paths.inter],
          [chain.leaf, chain.paths.leaf],
        ] as const) {
          const f = opensslCertFields(path);
          expect(BigInt(`0x${f.serial}`)).toBe(cert.serialNumberBigInt);
          expect(Name.parse(f.subject).equals(cert.subject)).toBe(true);
          expect(hex(Name.parse(f.subject).der)).toBe(hex(cert.subject.der));
          expect(Name.parse(f.issuer).equals(cert.issuer)).toBe(true);
          expect(f.notBefore.toISOString()).toBe(cert.notBefore.toISOString());
          expect(f.notAfter.toISOString()).toBe(cert.notAfter.toISOString());
        }
        expect(opensslCertFields(chain.paths.leaf).serial).toBe('8A0B0C0D0E0F10111213');
        expect(chain.leaf.serialNumber).toBe('008A0B0C0D0E0F10111213');
        expect(opensslCertFields(chain.paths.root).notAfter.toISOString()).toBe('2055-01-01T00:00:00.000Z');
      });

      it('the root shows CA:TRUE and keyCertSign/cRLSign, self-issued with SKI and no AKI', () => {
        const exts = textExtensions(openssl(['x509', '-in', chain.paths.root, '-noout', '-text']));
        expect(exts.get('X509v3 Basic Constraints')).toEqual({ critical: true, lines: ['CA:TRUE'] });
        expect(exts.get('X509v3 Key Usage')).toEqual({
          critical: true,
          lines: ['Certificate Sign, CRL Sign'],
        });
        expect(exts.get('X509v3 Subject Key Identifier')?.lines).toEqual([
          colonHex(chain.root.subjectKeyIdentifier!),
        ]);
        expect(exts.has('X509v3 Authority Key Identifier')).toBe(false);
        const f = opensslCertFields(chain.paths.root);
        expect(f.subject).toBe(f.issuer);
      });

      it('the intermediate shows pathlen:0, the name constraints and the root’s key identifier', () => {
        const text = openssl(['x509', '-in', chain.paths.inter, '-noout', '-text']);
        const exts = textExtensions(text);
        expect(exts.get('X509v3 Basic Constraints')).toEqual({
          critical: true,
          lines: ['CA:TRUE, pathlen:0'],
        });
        expect(exts.get('X509v3 Key Usage')).toEqual({
          critical: true,
          lines: ['Digital Signature, Certificate Sign, CRL Sign'],
        });
        expect(exts.get('X509v3 Name Constraints')).toEqual({
          critical: true,
          lines: [
            'Permitted:',
            '  DNS:contoso.com',
            '  IP:10.0.0.0/255.0.0.0',
            '  IP:2001:DB8:0:0:0:0:0:0/FFFF:FFFF:0:0:0:0:0:0',
            '  DirName:C = FR',
            'Excluded:',
            '  email:bad@contoso.com',
          ],
        });
        const aki = exts.get('X509v3 Authority Key Identifier')!.lines.map((l) => l.replace(/^keyid:/, ''));
        expect(aki).toEqual([colonHex(chain.root.subjectKeyIdentifier!)]);
      });

      it('the leaf shows every extension with the values we wrote', () => {
        // ext_parse: OpenSSL 3.0 has no names for the Microsoft extensions; show them as ASN.1, not raw bytes.
        const text = openssl([
          'x509',
          '-in',
          chain.paths.leaf,
          '-noout',
          '-text',
          '-nameopt',
          'RFC2253,-esc_msb',
          '-certopt',
          'ext_parse',
        ]);
        expect(text).toContain('Version: 3 (0x2)');
        expect(text).toContain(
          'Subject: CN=exch01.contoso.com,UID=exch01+OU=Messaging,O=Société Générale,C=FR',
        );
        expect(text).toContain('Issuer: CN=certlab Issuing CA,O=Société Générale,C=FR');
        const exts = textExtensions(text);
        for (const [name, want] of Object.entries(LEAF_TEXT)) {
          const got = exts.get(name);
          expect(got, name).toBeDefined();
          expect({ critical: got!.critical, lines: got!.lines.map(normalizeUpn) }, name).toEqual({
            critical: want.critical,
            lines: want.lines.map(normalizeUpn),
          });
        }
        expect(exts.get('X509v3 Subject Key Identifier')?.lines).toEqual([
          colonHex(chain.leaf.subjectKeyIdentifier!),
        ]);
        expect(
          exts.get('X509v3 Authority Key Identifier')?.lines.map((l) => l.replace(/^keyid:/, '')),
        ).toEqual([colonHex(chain.inter.subjectKeyIdentifier!)]);
        const values = asn1ExtensionValues(chain.leaf.der);
        for (const [o, want] of Object.entries(LEAF_MS_HEX))
          expect(values.get(o), o).toEqual({ critical: false, hex: want });
        // Every extension we wrote, and nothing else.
        expect(exts.size).toBe(chain.leaf.extensions.length);
      });

      it('OpenSSL reads our private key and derives the same public key', () => {
        const spki = opensslBytes(['pkey', '-in', chain.paths.leafKey, '-pubout', '-outform', 'DER']);
        expect(hex(spki)).toBe(hex(chain.leaf.subjectPublicKeyInfo));
        const fromCert = opensslBytes(['x509', '-in', chain.paths.leaf, '-noout', '-pubkey']);
        expect(hex(readDerOrPem(new TextDecoder().decode(fromCert), 'PUBLIC KEY'))).toBe(
          hex(chain.leaf.subjectPublicKeyInfo),
        );
      });

      it('our own parser rebuilds each certificate byte-identically', () => {
        for (const cert of [chain.root, chain.inter, chain.leaf]) {
          const back = parseCertificate(cert.der);
          expect(hex(rebuildCertificate(back))).toBe(hex(cert.der));
        }
      });
    });
  }

  describe('name constraints we encode are enforced by OpenSSL', () => {
    let paths: { root: string; inter: string; leaf: string };
    beforeAll(async () => {
      const rk = await keyPair(KEY_TYPES[1]!.spec, 11);
      const ik = await keyPair(KEY_TYPES[1]!.spec, 12);
      const lk = await keyPair(KEY_TYPES[1]!.spec, 13);
      const root = await createCertificate({
        subject: ROOT_SUBJECT,
        publicKey: rk.publicKey,
        signingKey: rk.privateKey,
        serialNumber: '01',
        notBefore: NOT_BEFORE,
        notAfter: ROOT_NOT_AFTER,
        extensions: [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])],
      });
      const inter = await createCertificate({
        subject: INTER_SUBJECT,
        issuer: root,
        publicKey: ik.publicKey,
        signingKey: rk.privateKey,
        serialNumber: '02',
        notBefore: NOT_BEFORE,
        notAfter: INTERMEDIATE_NOT_AFTER,
        extensions: [
          basicConstraints({ ca: true, pathLength: 0 }),
          keyUsage(['keyCertSign', 'cRLSign']),
          NAME_CONSTRAINTS,
        ],
      });
      const leaf = await createCertificate({
        subject: 'CN=www.fabrikam.com, C=FR',
        issuer: inter,
        publicKey: lk.publicKey,
        signingKey: ik.privateKey,
        serialNumber: '03',
        notBefore: NOT_BEFORE,
        notAfter: LEAF_NOT_AFTER,
        extensions: [subjectAltName([{ type: 'dns', value: 'www.fabrikam.com' }])],
      });
      paths = {
        root: tmp.write('nc-root.pem', root.toPem()),
        inter: tmp.write('nc-inter.pem', inter.toPem()),
        leaf: tmp.write('nc-leaf.pem', leaf.toPem()),
      };
    });

    it('a leaf outside the permitted DNS subtree is rejected', () => {
      const r = runOpenssl([
        'verify',
        '-attime',
        VERIFY_AT_EPOCH,
        '-CAfile',
        paths.root,
        '-untrusted',
        paths.inter,
        paths.leaf,
      ]);
      expect(r.status).not.toBe(0);
      expect(`${r.stdout}${r.stderr}`).toMatch(/subtree violation|name constraint/i);
    });
  });
});

// --------------------------------------------------------------------------------------------
// OpenSSL → certlab

const EXT_CONFIG = `
[req]
distinguished_name = dn
prompt = no
string_mask = utf8only
utf8 = yes

[dn]
C = FR
O = Société Générale
OU = PKI
+UID = ca-admin
CN = OpenSSL Test Root

[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[san_all]
subjectAltName = DNS:www.contoso.com, DNS:*.contoso.com, IP:10.1.2.3, IP:2001:db8::1, IP:::ffff:192.0.2.1, email:admin@contoso.com, URI:http://contoso.com/x?y=1, otherName:1.3.6.1.4.1.311.20.2.3;UTF8:user@corp, dirName:dir_sect

[san_one]
subjectAltName = DNS:only.contoso.com

[ian]
issuerAltName = URI:http://pki.contoso.com, email:pki@contoso.com

[crldp]
crlDistributionPoints = URI:http://crl.contoso.com/a.crl, URI:ldap://ldap.contoso.com/CN=CA?certificateRevocationList

[crldp_full]
crlDistributionPoints = crldp_sect
freshestCRL = URI:http://crl.contoso.com/delta.crl

[crldp_sect]
fullname = URI:http://crl.contoso.com/reasons.crl
reasons = keyCompromise, CACompromise, superseded
CRLissuer = dirName:dir_sect

[aia]
authorityInfoAccess = caIssuers;URI:http://aia.contoso.com/ca.crt, OCSP;URI:http://ocsp.contoso.com
subjectInfoAccess = caRepository;URI:http://repo.contoso.com/

[policies_utf8]
certificatePolicies = 1.2.3.4, @pol_utf8, 2.23.140.1.2.1

[policies_plain]
certificatePolicies = 2.23.140.1.2.1, 1.3.6.1.4.1.311.21.8.1

[policies_openssl_default]
certificatePolicies = @pol_default

[pol_utf8]
policyIdentifier = 1.3.6.1.4.1.311.21.8.1
CPS.1 = http://pki.contoso.com/cps
userNotice.1 = @notice_utf8

[notice_utf8]
explicitText = UTF8:Explicit text

[pol_default]
policyIdentifier = 1.3.6.1.4.1.311.21.8.2
userNotice.1 = @notice_default

[notice_default]
explicitText = Explicit text
organization = Contoso
noticeNumbers = 1

[nc]
nameConstraints = critical, permitted;DNS:contoso.com, permitted;IP:10.0.0.0/255.0.0.0, permitted;IP:2001:db8::/ffff:ffff::, permitted;IP:192.168.0.0/255.255.255.0, excluded;email:bad@contoso.com, excluded;DNS:.evil.contoso.com, permitted;dirName:dir_sect

[policy_ca]
basicConstraints = critical, CA:TRUE
policyConstraints = critical, requireExplicitPolicy:0
policyMappings = critical, 1.2.3.4:1.2.3.5, 1.2.3.6:1.2.3.7
inhibitAnyPolicy = critical, 2

[policy_both]
policyConstraints = critical, requireExplicitPolicy:3, inhibitPolicyMapping:1

[ms]
1.3.6.1.4.1.311.20.2 = ASN1:BMPSTRING:WebServer
1.3.6.1.4.1.311.21.7 = ASN1:SEQUENCE:tmpl_sect
1.3.6.1.4.1.311.21.1 = ASN1:INTEGER:0
1.3.6.1.4.1.311.21.10 = ASN1:SEQUENCE:ap_sect

[ms_v1]
1.3.6.1.4.1.311.21.7 = ASN1:SEQUENCE:tmpl_nominor
1.3.6.1.4.1.311.21.1 = ASN1:INTEGER:65537

[tmpl_sect]
id = OID:1.3.6.1.4.1.311.21.8.1.2
major = INTEGER:100
minor = INTEGER:4

[tmpl_nominor]
id = OID:1.3.6.1.4.1.311.21.8.1.3
major = INTEGER:1

[ap_sect]
p1 = SEQUENCE:ap1
p2 = SEQUENCE:ap2

[ap1]
id = OID:1.3.6.1.5.5.7.3.1

[ap2]
id = OID:1.3.6.1.5.5.7.3.2

[unknown_critical]
1.2.3.4.5 = critical, ASN1:UTF8String:hello
1.2.3.4.6 = ASN1:SEQUENCE:ap1

[aki_keyid]
authorityKeyIdentifier = keyid:always

[aki_issuer]
authorityKeyIdentifier = keyid, issuer:always

[bc_ca]
basicConstraints = critical, CA:TRUE

[bc_pathlen0]
basicConstraints = critical, CA:TRUE, pathlen:0

[bc_pathlen_big]
basicConstraints = CA:TRUE, pathlen:300

[ku_eku]
keyUsage = critical, digitalSignature, nonRepudiation, keyEncipherment, dataEncipherment, keyAgreement, keyCertSign, cRLSign, encipherOnly, decipherOnly
extendedKeyUsage = serverAuth, clientAuth, codeSigning, emailProtection, timeStamping, OCSPSigning, 1.3.6.1.4.1.311.20.2.2

[ku_one]
keyUsage = digitalSignature

[everything]
basicConstraints = critical, CA:TRUE, pathlen:1
keyUsage = critical, digitalSignature, keyCertSign, cRLSign
extendedKeyUsage = serverAuth, clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always, issuer:always
subjectAltName = DNS:www.contoso.com, IP:10.1.2.3, IP:2001:db8::1, email:admin@contoso.com, URI:http://contoso.com/, otherName:1.3.6.1.4.1.311.20.2.3;UTF8:user@corp, dirName:dir_sect
crlDistributionPoints = URI:http://crl.contoso.com/a.crl
authorityInfoAccess = caIssuers;URI:http://aia.contoso.com/ca.crt, OCSP;URI:http://ocsp.contoso.com
certificatePolicies = 1.2.3.4, @pol_utf8
nameConstraints = critical, permitted;DNS:contoso.com, permitted;IP:10.0.0.0/255.0.0.0, excluded;email:bad@contoso.com, permitted;dirName:dir_sect
policyConstraints = critical, requireExplicitPolicy:0
policyMappings = critical, 1.2.3.4:1.2.3.5
inhibitAnyPolicy = critical, 0
1.3.6.1.4.1.311.20.2 = ASN1:BMPSTRING:SubCA
1.3.6.1.4.1.311.21.7 = ASN1:SEQUENCE:tmpl_sect
1.3.6.1.4.1.311.21.1 = ASN1:INTEGER:0
1.3.6.1.4.1.311.21.10 = ASN1:SEQUENCE:ap_sect
1.2.3.4.5 = critical, ASN1:UTF8String:hello

[dir_sect]
C = FR
O = Contoso
CN = Directory Name
`;

interface OpensslVector {
  /** Test title. */
  title: string;
  /** How to make it: an extension section for `x509 -req -extfile`, or a special recipe. */
  section?: string;
  /** The leaf key (index into LEAF_KEYS). */
  key: number;
  days?: number;
  /** When set, the test also expects the decoded extension values. */
  expect?: (cert: Certificate) => void;
}

const LEAF_KEYS = [
  { label: 'RSA 2048', args: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'] },
  { label: 'EC P-256', args: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'] },
  { label: 'EC P-384', args: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'] },
  { label: 'EC P-521', args: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'] },
  { label: 'Ed25519', args: ['-algorithm', 'ED25519'] },
];

const dirName = (c: Certificate, g: GeneralName | undefined) =>
  g?.type === 'dirName' ? g.value.toString() : `not a dirName in ${c.serialNumber}`;

const VECTORS: OpensslVector[] = [
  {
    title: 'subjectAltName with every kind of name',
    section: 'san_all',
    key: 1,
    expect: (c) => {
      expect(c.subjectAltNames.slice(0, 8)).toEqual([
        { type: 'dns', value: 'www.contoso.com' },
        { type: 'dns', value: '*.contoso.com' },
        { type: 'ip', value: '10.1.2.3' },
        { type: 'ip', value: '2001:db8::1' },
        { type: 'ip', value: '::ffff:c000:201' },
        { type: 'email', value: 'admin@contoso.com' },
        { type: 'uri', value: 'http://contoso.com/x?y=1' },
        { type: 'upn', value: 'user@corp' },
      ]);
      expect(dirName(c, c.subjectAltNames[8])).toBe('CN=Directory Name,O=Contoso,C=FR');
    },
  },
  {
    title: 'subjectAltName with a single entry',
    section: 'san_one',
    key: 4,
    expect: (c) => expect(c.subjectAltNames).toEqual([{ type: 'dns', value: 'only.contoso.com' }]),
  },
  {
    title: 'issuerAltName',
    section: 'ian',
    key: 2,
    expect: (c) =>
      expect(decodeExtension(c.getExtension(OID.issuerAltName)!).value).toEqual([
        { type: 'uri', value: 'http://pki.contoso.com' },
        { type: 'email', value: 'pki@contoso.com' },
      ]),
  },
  {
    title: 'cRLDistributionPoints with two URIs',
    section: 'crldp',
    key: 0,
    expect: (c) =>
      expect(decodeExtension(c.getExtension(OID.cRLDistributionPoints)!).value).toEqual([
        { fullName: [{ type: 'uri', value: 'http://crl.contoso.com/a.crl' }] },
        { fullName: [{ type: 'uri', value: 'ldap://ldap.contoso.com/CN=CA?certificateRevocationList' }] },
      ]),
  },
  {
    title: 'cRLDistributionPoints with reasons and cRLIssuer, and freshestCRL',
    section: 'crldp_full',
    key: 3,
    expect: (c) => {
      const [dp] = decodeExtension(c.getExtension(OID.cRLDistributionPoints)!).value as {
        reasons?: string[];
        cRLIssuer?: GeneralName[];
      }[];
      expect(dp!.reasons).toEqual(['keyCompromise', 'cACompromise', 'superseded']);
      expect(dirName(c, dp!.cRLIssuer?.[0])).toBe('CN=Directory Name,O=Contoso,C=FR');
      expect(decodeExtension(c.getExtension(OID.freshestCRL)!).value).toEqual([
        { fullName: [{ type: 'uri', value: 'http://crl.contoso.com/delta.crl' }] },
      ]);
    },
  },
  {
    title: 'authorityInfoAccess (caIssuers + OCSP) and subjectInfoAccess',
    section: 'aia',
    key: 1,
    expect: (c) => {
      expect(decodeExtension(c.getExtension(OID.authorityInfoAccess)!).value).toEqual([
        { method: OID.caIssuers, location: { type: 'uri', value: 'http://aia.contoso.com/ca.crt' } },
        { method: OID.ocsp, location: { type: 'uri', value: 'http://ocsp.contoso.com' } },
      ]);
      expect(decodeExtension(c.getExtension(OID.subjectInfoAccess)!).value).toEqual([
        { method: '1.3.6.1.5.5.7.48.5', location: { type: 'uri', value: 'http://repo.contoso.com/' } },
      ]);
    },
  },
  {
    title: 'certificatePolicies with CPS and userNotice (UTF8String explicitText) qualifiers',
    section: 'policies_utf8',
    key: 2,
    expect: (c) =>
      expect(decodeExtension(c.getExtension(OID.certificatePolicies)!).value).toEqual([
        { policyId: '1.2.3.4' },
        {
          policyId: '1.3.6.1.4.1.311.21.8.1',
          qualifiers: [
            { type: 'cps', uri: 'http://pki.contoso.com/cps' },
            { type: 'userNotice', explicitText: 'Explicit text' },
          ],
        },
        { policyId: '2.23.140.1.2.1' },
      ]),
  },
  {
    title: 'certificatePolicies without qualifiers',
    section: 'policies_plain',
    key: 4,
    expect: (c) =>
      expect(decodeExtension(c.getExtension(OID.certificatePolicies)!).value).toEqual([
        { policyId: '2.23.140.1.2.1' },
        { policyId: '1.3.6.1.4.1.311.21.8.1' },
      ]),
  },
  {
    // OpenSSL's default for explicitText and organization is VisibleString (tag 0x1A), and 3.0
    // has no way to write the organization as UTF8String. RFC 5280 §4.2.1.4 allows IA5String,
    // VisibleString, BMPString and UTF8String for both.
    title: 'certificatePolicies with a userNotice noticeRef in OpenSSL’s default VisibleString',
    section: 'policies_openssl_default',
    key: 1,
    expect: (c) =>
      expect(decodeExtension(c.getExtension(OID.certificatePolicies)!).value).toEqual([
        {
          policyId: '1.3.6.1.4.1.311.21.8.2',
          qualifiers: [
            {
              type: 'userNotice',
              noticeRef: { organization: 'Contoso', noticeNumbers: [1], organizationTag: 0x1a },
              explicitText: 'Explicit text',
              explicitTextTag: 0x1a,
            },
          ],
        },
      ]),
  },
  {
    title: 'nameConstraints with DNS, IPv4/IPv6 ranges, email and dirName',
    section: 'nc',
    key: 0,
    expect: (c) => {
      const nc = decodeExtension(c.getExtension(OID.nameConstraints)!).value as {
        permitted: { base: GeneralName }[];
        excluded: { base: GeneralName }[];
      };
      expect(c.getExtension(OID.nameConstraints)!.critical).toBe(true);
      expect(nc.permitted.map((s) => (s.base.type === 'dirName' ? s.base.value.toString() : s.base))).toEqual(
        [
          { type: 'dns', value: 'contoso.com' },
          { type: 'ip', value: '10.0.0.0/8' },
          { type: 'ip', value: '2001:db8::/32' },
          { type: 'ip', value: '192.168.0.0/24' },
          'CN=Directory Name,O=Contoso,C=FR',
        ],
      );
      expect(nc.excluded.map((s) => s.base)).toEqual([
        { type: 'email', value: 'bad@contoso.com' },
        { type: 'dns', value: '.evil.contoso.com' },
      ]);
    },
  },
  {
    title: 'policyConstraints, policyMappings and inhibitAnyPolicy on a CA',
    section: 'policy_ca',
    key: 3,
    expect: (c) => {
      expect(decodeExtension(c.getExtension(OID.policyConstraints)!).value).toEqual({
        requireExplicitPolicy: 0,
      });
      expect(decodeExtension(c.getExtension(OID.policyMappings)!).value).toEqual([
        { issuerDomainPolicy: '1.2.3.4', subjectDomainPolicy: '1.2.3.5' },
        { issuerDomainPolicy: '1.2.3.6', subjectDomainPolicy: '1.2.3.7' },
      ]);
      expect(decodeExtension(c.getExtension(OID.inhibitAnyPolicy)!).value).toBe(2);
      for (const o of [OID.policyConstraints, OID.policyMappings, OID.inhibitAnyPolicy])
        expect(c.getExtension(o)!.critical).toBe(true);
    },
  },
  {
    title: 'policyConstraints with both fields',
    section: 'policy_both',
    key: 4,
    expect: (c) =>
      expect(decodeExtension(c.getExtension(OID.policyConstraints)!).value).toEqual({
        requireExplicitPolicy: 3,
        inhibitPolicyMapping: 1,
      }),
  },
  {
    title: 'Microsoft template name, template information, CA version and application policies',
    section: 'ms',
    key: 0,
    expect: (c) => {
      expect(decodeExtension(c.getExtension(OID.msCertificateTemplateName)!).value).toBe('WebServer');
      expect(decodeExtension(c.getExtension(OID.msCertificateTemplate)!).value).toEqual({
        templateId: '1.3.6.1.4.1.311.21.8.1.2',
        majorVersion: 100,
        minorVersion: 4,
      });
      expect(decodeExtension(c.getExtension(OID.msCaVersion)!).value).toEqual({ certIndex: 0, keyIndex: 0 });
      expect(decodeExtension(c.getExtension(OID.msApplicationPolicies)!).value).toEqual([
        OID.serverAuth,
        OID.clientAuth,
      ]);
    },
  },
  {
    title: 'Microsoft template information without minor version, CA version V1.1',
    section: 'ms_v1',
    key: 2,
    expect: (c) => {
      expect(decodeExtension(c.getExtension(OID.msCertificateTemplate)!).value).toEqual({
        templateId: '1.3.6.1.4.1.311.21.8.1.3',
        majorVersion: 1,
      });
      expect(decodeExtension(c.getExtension(OID.msCaVersion)!).value).toEqual({ certIndex: 1, keyIndex: 1 });
    },
  },
  {
    title: 'an unknown critical extension and an unknown non-critical one',
    section: 'unknown_critical',
    key: 1,
    expect: (c) => {
      expect(c.getExtension('1.2.3.4.5')).toMatchObject({ critical: true });
      expect(hex(c.getExtension('1.2.3.4.5')!.value)).toBe(
        `0C05${Buffer.from('hello').toString('hex').toUpperCase()}`,
      );
      expect(c.getExtension('1.2.3.4.6')).toMatchObject({ critical: false });
      expect(decodeExtension(c.getExtension('1.2.3.4.5')!).name).toBe('unknown');
    },
  },
  {
    title: 'authorityKeyIdentifier with keyIdentifier only',
    section: 'aki_keyid',
    key: 4,
    expect: (c) => {
      const aki = c.authorityKeyIdentifier!;
      expect(Object.keys(aki)).toEqual(['keyIdentifier']);
      expect(aki.keyIdentifier).toHaveLength(20);
    },
  },
  {
    title: 'authorityKeyIdentifier with keyIdentifier, issuer and serial',
    section: 'aki_issuer',
    key: 1,
    expect: (c) => {
      const aki = c.authorityKeyIdentifier!;
      expect(aki.keyIdentifier).toHaveLength(20);
      expect(aki.authorityCertSerialNumber).toBe('01');
      expect(aki.authorityCertIssuer).toHaveLength(1);
      expect(dirName(c, aki.authorityCertIssuer?.[0])).toBe(c.issuer.toString());
    },
  },
  {
    title: 'basicConstraints CA without pathLen',
    section: 'bc_ca',
    key: 3,
    expect: (c) => expect(c.basicConstraints).toEqual({ ca: true }),
  },
  {
    title: 'basicConstraints CA with pathLen 0',
    section: 'bc_pathlen0',
    key: 0,
    expect: (c) => expect(c.basicConstraints).toEqual({ ca: true, pathLength: 0 }),
  },
  {
    title: 'basicConstraints CA with pathLen 300 (two-octet INTEGER), non-critical',
    section: 'bc_pathlen_big',
    key: 4,
    expect: (c) => expect(c.basicConstraints).toEqual({ ca: true, pathLength: 300 }),
  },
  {
    title: 'keyUsage with all nine bits, extKeyUsage with seven purposes',
    section: 'ku_eku',
    key: 2,
    expect: (c) => {
      expect(c.keyUsage).toEqual([
        'digitalSignature',
        'nonRepudiation',
        'keyEncipherment',
        'dataEncipherment',
        'keyAgreement',
        'keyCertSign',
        'cRLSign',
        'encipherOnly',
        'decipherOnly',
      ]);
      expect(c.extKeyUsage).toEqual([
        OID.serverAuth,
        OID.clientAuth,
        OID.codeSigning,
        OID.emailProtection,
        OID.timeStamping,
        OID.OCSPSigning,
        OID.msSmartcardLogin,
      ]);
    },
  },
  {
    title: 'keyUsage with a single bit',
    section: 'ku_one',
    key: 1,
    expect: (c) => expect(c.keyUsage).toEqual(['digitalSignature']),
  },
  { title: 'every extension at once', section: 'everything', key: 0 },
  {
    title: 'a v1 certificate (no extensions)',
    key: 1,
    expect: (c) => {
      expect(c.version).toBe(1);
      expect(c.extensions).toEqual([]);
      expect(c.subjectAltNames).toEqual([]);
      expect(c.basicConstraints).toBeUndefined();
      expect(c.authorityKeyIdentifier).toBeUndefined();
    },
  },
  {
    title: 'GeneralizedTime validity after 2050 (-days 20000)',
    section: 'san_one',
    key: 2,
    days: 20000,
    expect: (c) => {
      expect(c.notAfter.getUTCFullYear()).toBeGreaterThanOrEqual(2050);
      // OpenSSL switches to GeneralizedTime from 2050 (RFC 5280 §4.1.2.5): 0x18 in the TBS.
      expect(hex(c.tbs)).toContain(
        `180F${Buffer.from(String(c.notAfter.getUTCFullYear())).toString('hex').toUpperCase()}`,
      );
    },
  },
];

describeWithTool('openssl', 'certlab reads the certificates OpenSSL creates', () => {
  const dir = makeTmpDir('certlab-cert-openssl-');
  afterAll(() => dir.remove());
  const cnf = dir.write('ext.cnf', EXT_CONFIG);

  // The issuing CA: a self-signed root from `openssl req -x509`.
  const caKey = dir.file('ca.key');
  const caCert = dir.file('ca.pem');
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384', '-out', caKey]);
  openssl([
    'req',
    '-x509',
    '-new',
    '-key',
    caKey,
    '-config',
    cnf,
    '-utf8',
    '-extensions',
    'v3_ca',
    '-days',
    '3650',
    '-set_serial',
    '1',
    '-out',
    caCert,
  ]);

  const leafKeys = LEAF_KEYS.map((k, i) => {
    const key = dir.file(`leaf-${i}.key`);
    const csr = dir.file(`leaf-${i}.csr`);
    openssl(['genpkey', ...k.args, '-out', key]);
    openssl([
      'req',
      '-new',
      '-key',
      key,
      '-utf8',
      '-subj',
      `/C=FR/O=Société Générale/OU=Leaf ${k.label}/CN=leaf${i}.contoso.com`,
      '-out',
      csr,
    ]);
    return { ...k, key, csr };
  });

  const made = [
    {
      title: `the root from openssl req -x509 (${'EC P-384'})`,
      path: caCert,
      vector: undefined as OpensslVector | undefined,
    },
    ...VECTORS.map((v, i) => {
      const path = dir.file(`vector-${i}.pem`);
      const k = leafKeys[v.key]!;
      const args = [
        'x509',
        '-req',
        '-in',
        k.csr,
        '-CA',
        caCert,
        '-CAkey',
        caKey,
        '-set_serial',
        String(0x1000 + i),
        '-days',
        String(v.days ?? 825),
        '-out',
        path,
      ];
      if (v.section) args.push('-extfile', cnf, '-extensions', v.section);
      let error: unknown;
      try {
        openssl(args);
      } catch (e) {
        error = e;
      }
      return { title: `${v.title} [${k.label}]`, path, vector: v as OpensslVector | undefined, error };
    }),
  ];

  for (const m of made) {
    describe(m.title, () => {
      if ('error' in m && m.error) {
        it('is made by OpenSSL', () => {
          throw m.error;
        });
        return;
      }
      const der = readDerOrPem(readText(m.path), 'CERTIFICATE');
      const raw = certificateExtensions(der);
      const parse = () => parseCertificate(der);

      it('parses, with the serial, names and dates OpenSSL prints', () => {
        const cert = parse();
        const f = opensslCertFields(m.path);
        expect(BigInt(`0x${f.serial}`)).toBe(cert.serialNumberBigInt);
        expect(Name.parse(f.subject).equals(cert.subject)).toBe(true);
        expect(Name.parse(f.issuer).equals(cert.issuer)).toBe(true);
        expect(Name.parse(f.subject).toString()).toBe(cert.subject.toString());
        expect(cert.notBefore.toISOString()).toBe(f.notBefore.toISOString());
        expect(cert.notAfter.toISOString()).toBe(f.notAfter.toISOString());
      });

      it('verifies with the issuer’s key', async () => {
        const cert = parse();
        const issuer = parseCertificate(readDerOrPem(readText(caCert), 'CERTIFICATE'));
        expect(await cert.verifySignature(issuer.publicKey)).toBe(true);
      });

      if (m.vector?.expect) {
        it('decodes the values OpenSSL wrote', () => m.vector!.expect!(parse()));
      }

      it('re-encodes issuer and subject byte-identically (Name.from(rdns))', () => {
        const cert = parse();
        expect(hex(rebuildName(cert.issuer))).toBe(hex(cert.issuer.der));
        expect(hex(rebuildName(cert.subject))).toBe(hex(cert.subject.der));
      });

      it('lists the extensions OpenSSL wrote, in order, with critical flags and values', () => {
        expect(
          parse().extensions.map((e) => ({ oid: e.oid, critical: e.critical, value: hex(e.value) })),
        ).toEqual(raw.map((e) => ({ oid: e.oid, critical: e.critical, value: hex(e.value) })));
      });

      for (const e of raw) {
        if (isKnownExtension(e.oid)) {
          it(`re-encodes ${e.oid}${e.critical ? ' (critical)' : ''} byte-identically (builder(decoder(value)))`, () => {
            expect(hex(REENCODE[e.oid]!(e.value))).toBe(hex(e.value));
          });
        } else {
          it(`keeps the unknown extension ${e.oid} untouched, critical=${e.critical}`, () => {
            const got = parse().getExtension(e.oid)!;
            expect(got.critical).toBe(e.critical);
            expect(hex(got.value)).toBe(hex(e.value));
          });
        }
      }

      it('rebuilds the TBS and the whole certificate byte-identically', () => {
        const cert = parse();
        expect(hex(rebuildTbs(cert))).toBe(hex(cert.tbs));
        expect(hex(rebuildCertificate(cert))).toBe(hex(der));
      });

      it('has a public key that PublicKey.fromSpki keeps byte for byte, equal to OpenSSL’s', () => {
        const cert = parse();
        const spki = cert.subjectPublicKeyInfo;
        expect(hex(PublicKey.fromSpki(spki).spki)).toBe(hex(spki));
        expect(hex(cert.publicKey.spki)).toBe(hex(spki));
        const fromOpenssl = opensslBytes(['x509', '-in', m.path, '-noout', '-pubkey']);
        expect(hex(readDerOrPem(new TextDecoder().decode(fromOpenssl), 'PUBLIC KEY'))).toBe(hex(spki));
      });
    });
  }

  describe('keys OpenSSL writes', () => {
    for (const [i, k] of LEAF_KEYS.entries()) {
      it(`${k.label}: PKCS #8, traditional and encrypted PKCS #8 forms import with the same public key`, async () => {
        const pkcs8 = readText(dir.file(`leaf-${i}.key`));
        const spki = opensslBytes(['pkey', '-in', dir.file(`leaf-${i}.key`), '-pubout', '-outform', 'DER']);
        expect(hex((await importPrivateKey(pkcs8)).publicKey.spki)).toBe(hex(spki));
        expect(hex(PublicKey.fromSpki(spki).spki)).toBe(hex(spki));
        const der = opensslBytes(['pkey', '-in', dir.file(`leaf-${i}.key`), '-outform', 'DER']);
        expect(hex((await importPrivateKey(der)).publicKey.spki)).toBe(hex(spki));
        const encrypted = openssl([
          'pkcs8',
          '-topk8',
          '-in',
          dir.file(`leaf-${i}.key`),
          '-v2',
          'aes-256-cbc',
          '-iter',
          '2048',
          '-passout',
          'pass:Pa55 word',
        ]);
        expect(encrypted).toContain('BEGIN ENCRYPTED PRIVATE KEY');
        expect(hex((await importPrivateKey(encrypted, { password: 'Pa55 word' })).publicKey.spki)).toBe(
          hex(spki),
        );
        if (k.label !== 'Ed25519') {
          const traditional = openssl(['pkey', '-in', dir.file(`leaf-${i}.key`), '-traditional']);
          expect(traditional).toMatch(/BEGIN (RSA|EC) PRIVATE KEY/);
          expect(hex((await importPrivateKey(traditional)).publicKey.spki)).toBe(hex(spki));
        }
      });
    }
  });
});
