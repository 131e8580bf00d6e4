// PKCS #10 requests, both ways between certlab and the OpenSSL CLI:
// - requests certlab makes pass `openssl req -verify` and OpenSSL reads the same subject,
//   SANs, EKU, challengePassword and template as we wrote;
// - requests OpenSSL makes parse, verify, and re-encode byte for byte through the public API.

import { readFileSync } from 'node:fs';
import {
  type CertificationRequest,
  createCsr,
  decodeExtension,
  decodeGeneralNames,
  extKeyUsage,
  type GeneralName,
  importPrivateKey,
  keyUsage,
  Name,
  OID,
  PublicKey,
  parseCsr,
  readDerOrPem,
  subjectAltName,
} from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hex, requestExtensions } from '../support/der.js';
import { KEY_TYPES, keyPair } from '../support/fixtures.js';
import {
  asn1ExtensionValues,
  asn1parse,
  normalizeUpn,
  openssl,
  opensslBytes,
  opensslCsrSubject,
  opensslIp,
  opensslRun,
  textExtensions,
} from '../support/openssl.js';
import { isKnownExtension, REENCODE, rebuildCsr, rebuildCsrInfo, rebuildName } from '../support/reencode.js';
import { makeTmpDir, useTmpDir } from '../support/tmp.js';
import { describeWithTool } from '../support/tools.js';

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');

/** UTF-16BE of a BMP string, written here independently of the library. */
function bmpHex(s: string): string {
  let out = '';
  for (const ch of s) out += ch.charCodeAt(0).toString(16).padStart(4, '0');
  return out.toUpperCase();
}

// --------------------------------------------------------------------------------------------
// certlab → OpenSSL

/** Several RDNs, a UTF-8 value, a multi-valued RDN, Windows keywords (E, S). */
const OUR_SUBJECT =
  'E=admin@contoso.com, CN=exch01.contoso.com, OU=PKI+UID=jdoe, O=Société Générale, L=Paris, S=Île-de-France, C=FR';

const OUR_SANS: GeneralName[] = [
  { type: 'dns', value: 'exch01.contoso.com' },
  { type: 'dns', value: 'mail.contoso.com' },
  { type: 'ip', value: '10.0.0.5' },
  { type: 'ip', value: '2001:db8::5' },
  { type: 'email', value: 'admin@contoso.com' },
  { type: 'uri', value: 'https://contoso.com/exch01' },
  { type: 'upn', value: 'jdoe@contoso.com' },
];

/** What OpenSSL 3 prints for OUR_SANS, written by hand. */
const OUR_SANS_TEXT =
  'DNS:exch01.contoso.com, DNS:mail.contoso.com, IP Address:10.0.0.5, IP Address:2001:DB8:0:0:0:0:0:5, ' +
  'email:admin@contoso.com, URI:https://contoso.com/exch01, othername: UPN::jdoe@contoso.com';

describeWithTool('openssl', 'OpenSSL accepts the requests certlab creates', () => {
  const tmp = useTmpDir('certlab-csr-ours-');

  it('the expected SAN text agrees with the IP formatting helper', () => {
    expect(opensslIp(Uint8Array.of(0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 5))).toBe(
      '2001:DB8:0:0:0:0:0:5',
    );
  });

  for (const kt of KEY_TYPES) {
    describe(kt.label, () => {
      let csr: CertificationRequest;
      let path: string;
      let spki: Uint8Array;

      beforeAll(async () => {
        const { privateKey, publicKey } = await keyPair(kt.spec);
        spki = publicKey.spki;
        csr = await createCsr({
          subject: OUR_SUBJECT,
          privateKey,
          extensions: [
            subjectAltName(OUR_SANS),
            extKeyUsage(['serverAuth', 'clientAuth']),
            keyUsage(['digitalSignature']),
          ],
          challengePassword: 'p4ss word',
          template: 'WebServer',
        });
        path = tmp.write(`ours-${slug(kt.label)}.csr`, csr.toPem());
      });

      it('passes `openssl req -verify`', () => {
        const r = opensslRun(['req', '-in', path, '-verify', '-noout']);
        expect(`${r.stdout}${r.stderr}`).toMatch(/verify OK/);
      });

      it('fails `openssl req -verify` once one signed byte changes (the check is real)', () => {
        const der = csr.der.slice();
        // The last byte of the subject's CN value "exch01.contoso.com" → "exch01.contoso.coM".
        const at = Buffer.from(der).indexOf(Buffer.from('exch01.contoso.com')) + 'exch01.contoso.co'.length;
        der[at] = 'M'.charCodeAt(0);
        const bad = tmp.write(`ours-${slug(kt.label)}-tampered.der`, der);
        const r = opensslRunAllowFail(['req', '-inform', 'DER', '-in', bad, '-verify', '-noout']);
        expect(`${r.stdout}${r.stderr}`).not.toMatch(/verify OK/);
      });

      it('has the subject OpenSSL prints with -nameopt RFC2253', () => {
        const printed = opensslCsrSubject(path);
        // OpenSSL escapes non-ASCII as \XX UTF-8 octets and lists a multi-valued RDN in reverse.
        expect(printed).toBe(
          'emailAddress=admin@contoso.com,CN=exch01.contoso.com,UID=jdoe+OU=PKI,O=Soci\\C3\\A9t\\C3\\A9 G\\C3\\A9n\\C3\\A9rale,L=Paris,ST=\\C3\\8Ele-de-France,C=FR',
        );
        const back = Name.parse(printed);
        expect(back.equals(csr.subject)).toBe(true);
        expect(hex(back.der)).toBe(hex(csr.subject.der));
        expect(csr.subject.toString()).toBe(
          'emailAddress=admin@contoso.com,CN=exch01.contoso.com,OU=PKI+UID=jdoe,O=Société Générale,L=Paris,ST=Île-de-France,C=FR',
        );
      });

      it('shows the same SANs, EKU, key usage and challengePassword in `openssl req -text`', () => {
        const text = openssl(['req', '-in', path, '-noout', '-text', '-nameopt', 'RFC2253,-esc_msb']);
        expect(text).toContain(
          'Subject: emailAddress=admin@contoso.com,CN=exch01.contoso.com,UID=jdoe+OU=PKI,O=Société Générale,L=Paris,ST=Île-de-France,C=FR',
        );
        expect(text).toMatch(/challengePassword\s+:p4ss word/);
        const exts = textExtensions(text);
        expect(normalizeUpn(exts.get('X509v3 Subject Alternative Name')!.lines.join('\n'))).toBe(
          normalizeUpn(OUR_SANS_TEXT),
        );
        expect(exts.get('X509v3 Subject Alternative Name')!.critical).toBe(false);
        expect(exts.get('X509v3 Extended Key Usage')!.lines).toEqual([
          'TLS Web Server Authentication, TLS Web Client Authentication',
        ]);
        expect(exts.get('X509v3 Key Usage')).toEqual({ critical: true, lines: ['Digital Signature'] });
      });

      it('carries the template as the extension and the name-value pair OpenSSL sees', () => {
        const values = asn1ExtensionValues(csr.der);
        expect(values.get('1.3.6.1.4.1.311.20.2')).toEqual({
          critical: false,
          hex: `1E12${bmpHex('WebServer')}`,
        });
        // The enrollment name-value pair: OpenSSL cannot print it, so read it at the offsets
        // OpenSSL's asn1parse reports: SEQUENCE { BMPString name, BMPString value }.
        const lines = asn1parse(csr.der);
        const at = lines.findIndex((l) => l.type === 'OBJECT' && l.value === '1.3.6.1.4.1.311.13.2.1');
        expect(at).toBeGreaterThan(0);
        const [set, pair, name, value] = lines.slice(at + 1, at + 5);
        expect([set!.type, pair!.type, name!.type, value!.type]).toEqual([
          'SET',
          'SEQUENCE',
          'BMPSTRING',
          'BMPSTRING',
        ]);
        const text = (l: { offset: number; headerLength: number; length: number }) =>
          Buffer.from(csr.der.subarray(l.offset + l.headerLength, l.offset + l.headerLength + l.length))
            .swap16()
            .toString('utf16le');
        expect(text(name!)).toBe('CertificateTemplate');
        expect(text(value!)).toBe('WebServer');
        expect(csr.template).toBe('WebServer');
        expect(csr.nameValuePairs).toEqual({ CertificateTemplate: 'WebServer' });
      });

      it('has the public key OpenSSL extracts', () => {
        const der = opensslBytes(['req', '-in', path, '-noout', '-pubkey']);
        const fromOpenssl = readDerOrPem(new TextDecoder().decode(der), 'PUBLIC KEY');
        expect(hex(fromOpenssl)).toBe(hex(spki));
        expect(hex(csr.subjectPublicKeyInfo)).toBe(hex(spki));
      });

      it('round-trips through our own parser and verifies', async () => {
        const back = parseCsr(readDerOrPem(csr.toPem(), 'CERTIFICATE REQUEST'));
        expect(await back.verify()).toBe(true);
        expect(back.challengePassword).toBe('p4ss word');
        expect(back.subjectAltNames).toEqual(OUR_SANS);
        expect(hex(rebuildCsr(back))).toBe(hex(csr.der));
      });
    });
  }
});

function opensslRunAllowFail(args: string[]) {
  try {
    return opensslRun(args);
  } catch (e) {
    return { stdout: '', stderr: String(e), status: 1 };
  }
}

// --------------------------------------------------------------------------------------------
// OpenSSL → certlab

const REQ_CONFIG = `
[req]
distinguished_name = dn
prompt = no
string_mask = utf8only
utf8 = yes
req_extensions = req_ext
attributes = req_attr

[dn]
C = FR
ST = Île-de-France
L = Paris
O = Société Générale
OU = PKI
+UID = jdoe
CN = req.contoso.com
emailAddress = admin@contoso.com

[req_attr]
challengePassword = s3cret pass

[req_ext]
subjectAltName = DNS:req.contoso.com, IP:192.168.1.10, IP:fe80::1, email:admin@contoso.com, URI:https://contoso.com/req, otherName:1.3.6.1.4.1.311.20.2.3;UTF8:jdoe@contoso.com, dirName:dir_sect
extendedKeyUsage = serverAuth, clientAuth, 1.3.6.1.4.1.311.20.2.2
keyUsage = critical, digitalSignature, keyEncipherment
basicConstraints = CA:FALSE
1.3.6.1.4.1.311.20.2 = ASN1:BMPSTRING:WebServer
1.2.3.4.5 = critical,ASN1:UTF8String:hello

[dir_sect]
C = FR
O = Contoso
CN = Dir Name

[one_san]
subjectAltName = DNS:only.contoso.com
`;

const OPENSSL_KEYS: readonly { label: string; args: string[] }[] = [
  { label: 'RSA 2048', args: ['-newkey', 'rsa:2048'] },
  { label: 'EC P-256', args: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] },
  { label: 'EC P-384', args: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'] },
  { label: 'EC P-521', args: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-521'] },
  { label: 'Ed25519', args: ['-newkey', 'ed25519'] },
];

const EXPECTED_SANS: GeneralName[] = [
  { type: 'dns', value: 'req.contoso.com' },
  { type: 'ip', value: '192.168.1.10' },
  { type: 'ip', value: 'fe80::1' },
  { type: 'email', value: 'admin@contoso.com' },
  { type: 'uri', value: 'https://contoso.com/req' },
  { type: 'upn', value: 'jdoe@contoso.com' },
];

describeWithTool('openssl', 'certlab reads the requests OpenSSL creates', () => {
  // Made at collection time (synchronously) so that each extension gets its own test.
  const dir = makeTmpDir('certlab-csr-openssl-');
  afterAll(() => dir.remove());
  const cnf = dir.write('req.cnf', REQ_CONFIG);

  for (const k of OPENSSL_KEYS) {
    describe(`${k.label}, with extension request and challengePassword`, () => {
      const keyPath = dir.file(`${slug(k.label)}.key`);
      const csrPath = dir.file(`${slug(k.label)}.csr`);
      openssl([
        'req',
        '-new',
        ...k.args,
        '-nodes',
        '-keyout',
        keyPath,
        '-config',
        cnf,
        '-utf8',
        '-out',
        csrPath,
      ]);
      const der = readDerOrPem(readText(csrPath), 'CERTIFICATE REQUEST');
      const raw = requestExtensions(der);
      const parse = () => parseCsr(der);

      it('parses, and its signature verifies', async () => {
        const csr = parse();
        expect(await csr.verify()).toBe(true);
      });

      it('has the subject OpenSSL prints', () => {
        const csr = parse();
        const printed = opensslCsrSubject(csrPath);
        expect(Name.parse(printed).equals(csr.subject)).toBe(true);
        expect(hex(Name.parse(printed).der)).toBe(hex(csr.subject.der));
        expect(csr.subject.get('O')).toBe('Société Générale');
        expect(csr.subject.get('ST')).toBe('Île-de-France');
        expect(csr.subject.rdns.map((r) => r.length)).toEqual([1, 1, 1, 1, 2, 1, 1]);
      });

      it('re-encodes its subject byte-identically (Name.from(rdns))', () => {
        const csr = parse();
        expect(hex(rebuildName(csr.subject))).toBe(hex(csr.subject.der));
      });

      it('has the challengePassword and the attributes OpenSSL wrote', () => {
        const csr = parse();
        expect(csr.challengePassword).toBe('s3cret pass');
        expect(csr.attributes.map((a) => a.oid).sort()).toEqual(
          [OID.challengePassword, OID.extensionRequest].sort(),
        );
      });

      it('has the SANs, EKU, key usage and template OpenSSL wrote', () => {
        const csr = parse();
        const sans = csr.subjectAltNames;
        expect(sans.slice(0, 6)).toEqual(EXPECTED_SANS);
        const dirName = sans[6]!;
        expect(dirName.type).toBe('dirName');
        expect(dirName.type === 'dirName' && dirName.value.toString()).toBe('CN=Dir Name,O=Contoso,C=FR');
        const eku = decodeExtension(csr.getExtension(OID.extKeyUsage)!);
        expect(eku).toEqual({
          name: 'extKeyUsage',
          value: [OID.serverAuth, OID.clientAuth, OID.msSmartcardLogin],
        });
        expect(csr.getExtension(OID.keyUsage)!.critical).toBe(true);
        expect(decodeExtension(csr.getExtension(OID.keyUsage)!).value).toEqual([
          'digitalSignature',
          'keyEncipherment',
        ]);
        expect(decodeExtension(csr.getExtension(OID.basicConstraints)!).value).toEqual({ ca: false });
        expect(csr.template).toBe('WebServer');
      });

      it('lists the extensions OpenSSL wrote, in order, with their critical flags and values', () => {
        const csr = parse();
        expect(
          csr.extensions.map((e) => ({ oid: e.oid, critical: e.critical, value: hex(e.value) })),
        ).toEqual(raw.map((e) => ({ oid: e.oid, critical: e.critical, value: hex(e.value) })));
      });

      for (const e of raw) {
        if (isKnownExtension(e.oid)) {
          it(`re-encodes extension ${e.oid} byte-identically (builder(decoder(value)))`, () => {
            expect(hex(REENCODE[e.oid]!(e.value))).toBe(hex(e.value));
          });
        } else {
          it(`keeps the unknown extension ${e.oid} untouched, critical=${e.critical}`, () => {
            const got = parse().getExtension(e.oid)!;
            expect(got.critical).toBe(e.critical);
            expect(hex(got.value)).toBe(hex(e.value));
            expect(decodeExtension(got)).toEqual({ name: 'unknown', value: got.value });
          });
        }
      }

      it('rebuilds CertificationRequestInfo and the whole request byte-identically', () => {
        const csr = parse();
        expect(hex(rebuildCsrInfo(csr))).toBe(hex(csr.info));
        expect(hex(rebuildCsr(csr))).toBe(hex(der));
      });

      it('has a public key that PublicKey.fromSpki keeps byte for byte, equal to OpenSSL’s', () => {
        const csr = parse();
        expect(hex(PublicKey.fromSpki(csr.subjectPublicKeyInfo).spki)).toBe(hex(csr.subjectPublicKeyInfo));
        const fromKey = opensslBytes(['pkey', '-in', keyPath, '-pubout', '-outform', 'DER']);
        expect(hex(csr.subjectPublicKeyInfo)).toBe(hex(fromKey));
      });

      it('imports the private key OpenSSL wrote (PKCS #8) with the same public key', async () => {
        const key = await importPrivateKey(readText(keyPath));
        expect(hex(key.publicKey.spki)).toBe(hex(parse().subjectPublicKeyInfo));
      });
    });
  }

  describe('vectors that omit optional parts', () => {
    const keyPath = dir.file('plain.key');
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyPath]);

    it('a request without attributes (empty [0] SET) parses and rebuilds', async () => {
      const path = dir.file('noattr.csr');
      openssl(['req', '-new', '-key', keyPath, '-subj', '/CN=no attributes', '-out', path]);
      const der = readDerOrPem(readText(path), 'CERTIFICATE REQUEST');
      // OpenSSL writes the attributes field as an empty [0] (RFC 2986 §4.1 makes it mandatory).
      expect(asn1parse(der).some((l) => l.type === 'cont [ 0 ]' && l.length === 0)).toBe(true);
      const csr = parseCsr(der);
      expect(csr.attributes).toEqual([]);
      expect(csr.extensions).toEqual([]);
      expect(csr.subjectAltNames).toEqual([]);
      expect(csr.challengePassword).toBeUndefined();
      expect(csr.template).toBeUndefined();
      expect(csr.subject.toString()).toBe('CN=no attributes');
      expect(await csr.verify()).toBe(true);
      expect(hex(rebuildCsr(csr))).toBe(hex(der));
    });

    it('a request whose SAN has a single entry', async () => {
      const path = dir.file('onesan.csr');
      openssl([
        'req',
        '-new',
        '-key',
        keyPath,
        '-subj',
        '/CN=only.contoso.com',
        '-config',
        cnf,
        '-reqexts',
        'one_san',
        '-out',
        path,
      ]);
      const der = readDerOrPem(readText(path), 'CERTIFICATE REQUEST');
      const csr = parseCsr(der);
      expect(csr.subjectAltNames).toEqual([{ type: 'dns', value: 'only.contoso.com' }]);
      const san = csr.getExtension(OID.subjectAltName)!;
      expect(decodeGeneralNames(san.value)).toHaveLength(1);
      expect(hex(REENCODE[OID.subjectAltName]!(san.value))).toBe(hex(san.value));
      expect(await csr.verify()).toBe(true);
      expect(hex(rebuildCsr(csr))).toBe(hex(der));
    });
  });
});

function readText(path: string): string {
  return readFileSync(path, 'utf8');
}
