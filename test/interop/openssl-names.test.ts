// Distinguished names, both ways between certlab and the OpenSSL CLI: escaping, multi-valued
// RDNs, every directory string type, attribute types we do not know, and name comparison
// (RFC 5280 §7.1) checked against OpenSSL's canonical subject hash.

import { readFileSync } from 'node:fs';
import {
  createCertificate,
  createCsr,
  Name,
  type NameAttribute,
  OID,
  parseCertificate,
  parseCsr,
  readDerOrPem,
} from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hex } from '../support/der.js';
import { keyPair, NOT_BEFORE, ROOT_NOT_AFTER } from '../support/fixtures.js';
import { asn1parse, openssl, opensslCsrSubject } from '../support/openssl.js';
import { rebuildName } from '../support/reencode.js';
import { makeTmpDir, useTmpDir } from '../support/tmp.js';
import { describeWithTool } from '../support/tools.js';

const EC = { type: 'ec', curve: 'P-256' } as const;
const readText = (path: string) => readFileSync(path, 'utf8');

/** ASN.1 string tags by the names `openssl asn1parse` prints. */
const ASN1PARSE_TAG: Record<string, number> = {
  UTF8STRING: 0x0c,
  PRINTABLESTRING: 0x13,
  T61STRING: 0x14,
  IA5STRING: 0x16,
  UNIVERSALSTRING: 0x1c,
  BMPSTRING: 0x1e,
};

/** The string types of the attribute values of a request's subject, as OpenSSL's asn1parse sees them. */
function opensslValueTags(der: Uint8Array): number[] {
  const lines = asn1parse(der);
  const out: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i - 1]!.type !== 'OBJECT') continue;
    const tag = ASN1PARSE_TAG[lines[i]!.type];
    if (tag !== undefined) out.push(tag);
  }
  return out;
}

/** Our attribute values in DER order. */
function flat(n: Name): NameAttribute[] {
  return n.rdns.flat();
}

/** `openssl req -subject` with RFC 2253 syntax and UTF-8 output (no \XX escapes for non-ASCII). */
function opensslUtf8Subject(csrPath: string): string {
  const out = openssl(['req', '-in', csrPath, '-noout', '-subject', '-nameopt', 'RFC2253,-esc_msb']);
  return out.replace(/^subject=/, '').trimEnd();
}

// --------------------------------------------------------------------------------------------
// certlab → OpenSSL

interface OurCase {
  title: string;
  name: () => Name;
  /** What `openssl req -subject -nameopt RFC2253,-esc_msb` prints, written by hand. */
  openssl: string;
  /** Our RFC 4514 string, when it differs from OpenSSL's. */
  ours?: string;
  /** OpenSSL's string can be read back by Name.parse (known keywords only). */
  parsesBack?: boolean;
  /** String tags of the values in DER order, when we choose them. */
  tags?: number[];
}

const OUR_CASES: OurCase[] = [
  {
    title: 'plain ASCII, four RDNs',
    name: () => Name.parse('CN=exch01.contoso.com, OU=IT, O=Contoso, C=FR'),
    openssl: 'CN=exch01.contoso.com,OU=IT,O=Contoso,C=FR',
    tags: [0x13, 0x0c, 0x0c, 0x0c],
  },
  {
    title: 'UTF-8 values in the Latin-1 range and the BMP',
    name: () => Name.parse('CN=Jérôme Müller, O=Société Générale, OU=Ωmega Δ, L=Zürich, C=CH'),
    openssl: 'CN=Jérôme Müller,O=Société Générale,OU=Ωmega Δ,L=Zürich,C=CH',
  },
  {
    // Characters outside the BMP are two UTF-16 code units in a JS string.
    title: 'characters beyond the BMP, parsed from an RFC 4514 string',
    name: () => Name.parse('CN=smile 😀, O=𝔘𝔫𝔦𝔠𝔬𝔡𝔢, C=FR'),
    openssl: 'CN=smile 😀,O=𝔘𝔫𝔦𝔠𝔬𝔡𝔢,C=FR',
  },
  {
    title: 'characters beyond the BMP, from Name.from',
    name: () => Name.from([{ C: 'FR' }, { O: '𝔘𝔫𝔦𝔠𝔬𝔡𝔢' }, { CN: 'smile 😀' }]),
    openssl: 'CN=smile 😀,O=𝔘𝔫𝔦𝔠𝔬𝔡𝔢,C=FR',
  },
  {
    title: 'RFC 4514 special characters are escaped alike',
    name: () => Name.from([{ C: 'FR' }, { O: 'Contoso, Ltd.' }, { OU: 'R+D' }, { CN: 'a"b\\c<d>e;f=g' }]),
    openssl: 'CN=a\\"b\\\\c\\<d\\>e\\;f=g,OU=R\\+D,O=Contoso\\, Ltd.,C=FR',
  },
  {
    title: 'leading "#", leading and trailing spaces',
    name: () => Name.from([{ O: ' lead' }, { OU: 'trail ' }, { CN: '#1' }]),
    openssl: 'CN=\\#1,OU=trail\\ ,O=\\ lead',
  },
  {
    title: 'a multi-valued RDN (OpenSSL lists it in reverse)',
    name: () => Name.parse('CN=jdoe+UID=jdoe01+OU=Users, O=Contoso, C=FR'),
    // DER sorts the SET by encoding: CN (13 octets), OU (14), UID (18).
    openssl: 'UID=jdoe01+OU=Users+CN=jdoe,O=Contoso,C=FR',
    ours: 'CN=jdoe+OU=Users+UID=jdoe01,O=Contoso,C=FR',
  },
  {
    title: 'emailAddress, DC and repeated OUs, OpenSSL slash form input',
    name: () => Name.parse('/DC=com/DC=contoso/OU=Paris/OU=IT/CN=Admin/emailAddress=admin@contoso.com'),
    openssl: 'emailAddress=admin@contoso.com,CN=Admin,OU=IT,OU=Paris,DC=contoso,DC=com',
    tags: [0x16, 0x16, 0x0c, 0x0c, 0x0c, 0x16],
  },
  {
    title: 'Windows display form with S, E, quoted value and SERIALNUMBER',
    name: () =>
      Name.parse('E=pki@contoso.com, CN="Contoso, Issuing CA", SERIALNUMBER=1234, S=Île-de-France, C=FR'),
    openssl: 'emailAddress=pki@contoso.com,CN=Contoso\\, Issuing CA,serialNumber=1234,ST=Île-de-France,C=FR',
    ours: 'emailAddress=pki@contoso.com,CN=Contoso\\, Issuing CA,serialNumber=1234,ST=Île-de-France,C=FR',
  },
  {
    title: 'every directory string type we can be asked for',
    name: () =>
      Name.from([
        [{ type: OID.countryName, value: 'FR' }],
        [{ type: OID.organizationName, value: 'Société Ω', tag: 0x1e }],
        [{ type: OID.organizationalUnitName, value: 'Teletex é', tag: 0x14 }],
        [{ type: OID.localityName, value: 'Printable', tag: 0x13 }],
        [{ type: OID.commonName, value: 'Univ Ω', tag: 0x1c }],
        [{ type: OID.title, value: 'IA5', tag: 0x16 }],
      ]),
    openssl: 'title=IA5,CN=Univ Ω,L=Printable,OU=Teletex é,O=Société Ω,C=FR',
    tags: [0x13, 0x1e, 0x14, 0x13, 0x1c, 0x16],
  },
  {
    title: 'an attribute type OpenSSL knows and we do not (jurisdictionC)',
    name: () =>
      Name.from([[{ type: '1.3.6.1.4.1.311.60.2.1.3', value: 'FR', tag: 0x13 }], { CN: 'ev.contoso.com' }]),
    openssl: 'CN=ev.contoso.com,jurisdictionC=FR',
    ours: 'CN=ev.contoso.com,1.3.6.1.4.1.311.60.2.1.3=FR',
    parsesBack: false,
    tags: [0x13, 0x0c],
  },
  {
    // OpenSSL accepts only strings and SEQUENCEs as attribute values (its ASN1_PRINTABLE).
    title: 'a value that is not a string (RFC 4514 #hex)',
    name: () => Name.parse('CN=x, 1.2.3.4=#3003020101'),
    openssl: 'CN=x,1.2.3.4=#3003020101',
  },
];

describeWithTool('openssl', 'OpenSSL reads the names certlab encodes', () => {
  const tmp = useTmpDir('certlab-names-ours-');

  for (const [i, c] of OUR_CASES.entries()) {
    describe(c.title, () => {
      let name: Name;
      let path: string;
      let der: Uint8Array;
      beforeAll(async () => {
        name = c.name();
        const { privateKey } = await keyPair(EC);
        const csr = await createCsr({ subject: name, privateKey });
        der = csr.der;
        path = tmp.write(`name-${i}.csr`, csr.toPem());
      });

      it('OpenSSL prints it as expected (RFC 2253)', () => {
        expect(opensslUtf8Subject(path)).toBe(c.openssl);
      });

      it('our RFC 4514 string agrees with OpenSSL', () => {
        expect(name.toString()).toBe(c.ours ?? c.openssl);
      });

      if (c.parsesBack !== false) {
        it('OpenSSL’s string (with its \\XX escapes) parses back to an equal name', () => {
          for (const printed of [opensslUtf8Subject(path), opensslCsrSubject(path)]) {
            const back = Name.parse(printed);
            expect(back.equals(name)).toBe(true);
            expect(back.toString()).toBe(name.toString());
          }
        });
      }

      it('our own string parses back to the same DER', () => {
        const back = Name.parse(name.toString());
        expect(back.equals(name)).toBe(true);
        if (!c.tags) expect(hex(back.der)).toBe(hex(name.der));
      });

      it('OpenSSL sees the string types we encoded', () => {
        const tags = opensslValueTags(der).slice(0, flat(name).filter((a) => !a.raw).length);
        expect(tags).toEqual(
          flat(name)
            .filter((a) => !a.raw)
            .map((a) => a.tag),
        );
        if (c.tags) expect(tags).toEqual(c.tags);
      });
    });
  }
});

// --------------------------------------------------------------------------------------------
// OpenSSL → certlab

interface TheirCase {
  title: string;
  /** OpenSSL `string_mask` (req config). */
  mask: 'utf8only' | 'pkix' | 'default' | 'nombstr';
  subj: string;
  /** Expected values by attribute keyword, most specific first (Name.getAll order). */
  values: Record<string, string[]>;
  /** Expected string tags of the values, in DER order. */
  tags?: number[];
}

const SUBJ_LATIN1 = '/C=FR/ST=Île-de-France/L=Paris/O=Société Générale/OU=Ingénierie/CN=Jérôme';
const SUBJ_WIDE = '/C=GR/O=Ωmega Α.Ε./CN=Δοκιμή';
const SUBJ_ASTRAL = '/C=FR/CN=smile 😀';

const THEIR_CASES: TheirCase[] = [
  {
    title: 'Latin-1 text, string_mask utf8only (UTF8String)',
    mask: 'utf8only',
    subj: SUBJ_LATIN1,
    values: { O: ['Société Générale'], OU: ['Ingénierie'], CN: ['Jérôme'], ST: ['Île-de-France'] },
    tags: [0x13, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c],
  },
  {
    title: 'Latin-1 text, string_mask default (T61String for non-ASCII, PrintableString otherwise)',
    mask: 'default',
    subj: SUBJ_LATIN1,
    values: { O: ['Société Générale'], OU: ['Ingénierie'], CN: ['Jérôme'], L: ['Paris'] },
    tags: [0x13, 0x14, 0x13, 0x14, 0x14, 0x14],
  },
  {
    title: 'Latin-1 text, string_mask nombstr (T61String)',
    mask: 'nombstr',
    subj: SUBJ_LATIN1,
    values: { O: ['Société Générale'], CN: ['Jérôme'] },
    tags: [0x13, 0x14, 0x13, 0x14, 0x14, 0x14],
  },
  {
    title: 'Latin-1 text, string_mask pkix (BMPString for non-ASCII)',
    mask: 'pkix',
    subj: SUBJ_LATIN1,
    values: { O: ['Société Générale'], CN: ['Jérôme'] },
    tags: [0x13, 0x1e, 0x13, 0x1e, 0x1e, 0x1e],
  },
  {
    title: 'Greek text, string_mask default (BMPString)',
    mask: 'default',
    subj: SUBJ_WIDE,
    values: { O: ['Ωmega Α.Ε.'], CN: ['Δοκιμή'], C: ['GR'] },
    tags: [0x13, 0x1e, 0x1e],
  },
  {
    title: 'a character beyond the BMP, string_mask default (OpenSSL picks UTF8String)',
    mask: 'default',
    subj: SUBJ_ASTRAL,
    values: { CN: ['smile 😀'] },
    tags: [0x13, 0x0c],
  },
  {
    title: 'escaped separators and a multi-valued RDN in -subj',
    mask: 'utf8only',
    subj: '/C=FR/O=Contoso\\, Ltd./OU=R\\+D/CN=jdoe+UID=jdoe01/emailAddress=jdoe@contoso.com',
    values: { O: ['Contoso, Ltd.'], OU: ['R+D'], CN: ['jdoe'], UID: ['jdoe01'], E: ['jdoe@contoso.com'] },
  },
  {
    title: 'attribute types from the whole X.520 / PKCS #9 table',
    mask: 'utf8only',
    subj:
      '/DC=com/DC=contoso/C=FR/ST=IDF/L=Paris/street=1 rue de la Paix/postalCode=75002/O=Contoso/OU=IT/title=Dr/SN=Dupont/GN=Jean/initials=JD' +
      '/generationQualifier=III/pseudonym=jd/dnQualifier=q1/serialNumber=A123/organizationIdentifier=VATFR-12345/name=Jean Dupont/description=test/UID=jdupont/CN=Jean Dupont/emailAddress=jean@contoso.com',
    values: {
      DC: ['contoso', 'com'],
      STREET: ['1 rue de la Paix'],
      postalCode: ['75002'],
      G: ['Jean'],
      SN: ['Dupont'],
      SERIALNUMBER: ['A123'],
      organizationIdentifier: ['VATFR-12345'],
    },
  },
  {
    title: 'attribute types we do not know (EV jurisdiction, businessCategory)',
    mask: 'utf8only',
    subj: '/jurisdictionC=FR/businessCategory=Private Organization/serialNumber=552100554/C=FR/O=Contoso/CN=ev.contoso.com',
    values: {
      '1.3.6.1.4.1.311.60.2.1.3': ['FR'],
      '2.5.4.15': ['Private Organization'],
      serialNumber: ['552100554'],
    },
  },
];

describeWithTool('openssl', 'certlab reads the names OpenSSL encodes', () => {
  const dir = makeTmpDir('certlab-names-openssl-');
  afterAll(() => dir.remove());
  const key = dir.file('k.pem');
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]);

  for (const [i, c] of THEIR_CASES.entries()) {
    describe(c.title, () => {
      const cnf = dir.write(
        `mask-${i}.cnf`,
        `[req]\ndistinguished_name = dn\nstring_mask = ${c.mask}\nutf8 = yes\n[dn]\n`,
      );
      const path = dir.file(`their-${i}.csr`);
      openssl(['req', '-new', '-key', key, '-config', cnf, '-utf8', '-subj', c.subj, '-out', path]);
      const der = readDerOrPem(readText(path), 'CERTIFICATE REQUEST');
      const subject = () => parseCsr(der).subject;

      it('decodes every value to the text OpenSSL was given', () => {
        const n = subject();
        for (const [k, v] of Object.entries(c.values)) expect(n.getAll(k), k).toEqual(v);
      });

      it('keeps the string types OpenSSL chose', () => {
        const ours = flat(subject()).map((a) => a.tag);
        expect(ours).toEqual(opensslValueTags(der).slice(0, ours.length));
        if (c.tags) expect(ours).toEqual(c.tags);
      });

      it('re-encodes byte-identically: Name.from(rdns), Name.fromDer(der)', () => {
        const n = subject();
        expect(hex(rebuildName(n))).toBe(hex(n.der));
        expect(hex(Name.fromDer(n.der).der)).toBe(hex(n.der));
        expect(Name.fromDer(n.der).equals(n)).toBe(true);
      });

      it('agrees with OpenSSL’s RFC 2253 string', () => {
        const n = subject();
        const printed = opensslUtf8Subject(path);
        // OpenSSL names some types differently (GN, street, jurisdictionC); compare after reading it back where we can.
        if (!/jurisdiction|businessCategory/.test(printed)) {
          const back = Name.parse(printed);
          expect(back.equals(n)).toBe(true);
          expect(back.toString()).toBe(n.toString());
          expect(Name.parse(opensslCsrSubject(path)).equals(n)).toBe(true);
        } else {
          expect(n.toString()).toBe(
            printed
              .replace('jurisdictionC=', '1.3.6.1.4.1.311.60.2.1.3=')
              .replace('businessCategory=', '2.5.4.15='),
          );
        }
      });

      it('our string parses back to an equal name', () => {
        const n = subject();
        expect(Name.parse(n.toString()).equals(n)).toBe(true);
      });
    });
  }
});

// --------------------------------------------------------------------------------------------
// Name comparison (RFC 5280 §7.1) against OpenSSL's canonical form (X509_NAME_hash)

interface Variant {
  label: string;
  rdns: () => Name;
}

const VARIANTS: Variant[] = [
  { label: 'reference (UTF8String)', rdns: () => Name.parse('CN=Contoso Root CA, O=Contoso, C=FR') },
  { label: 'case differs', rdns: () => Name.parse('CN=CONTOSO root ca, O=contoso, C=fr') },
  { label: 'inner spaces doubled', rdns: () => Name.parse('CN=Contoso  Root   CA, O=Contoso, C=FR') },
  {
    label: 'leading and trailing spaces',
    rdns: () => Name.from([{ C: 'FR' }, { O: '  Contoso ' }, { CN: ' Contoso Root CA' }]),
  },
  {
    label: 'PrintableString instead of UTF8String',
    rdns: () =>
      Name.from([
        [{ type: OID.countryName, value: 'FR' }],
        [{ type: OID.organizationName, value: 'Contoso', tag: 0x13 }],
        [{ type: OID.commonName, value: 'Contoso Root CA', tag: 0x13 }],
      ]),
  },
  {
    label: 'BMPString instead of UTF8String',
    rdns: () =>
      Name.from([
        [{ type: OID.countryName, value: 'FR' }],
        [{ type: OID.organizationName, value: 'Contoso', tag: 0x1e }],
        [{ type: OID.commonName, value: 'Contoso Root CA', tag: 0x1e }],
      ]),
  },
  { label: 'another organisation', rdns: () => Name.parse('CN=Contoso Root CA, O=Fabrikam, C=FR') },
  { label: 'RDNs in another order', rdns: () => Name.parse('C=FR, O=Contoso, CN=Contoso Root CA') },
  { label: 'one RDN fewer', rdns: () => Name.parse('CN=Contoso Root CA, C=FR') },
  { label: 'O and CN in one multi-valued RDN', rdns: () => Name.parse('CN=Contoso Root CA+O=Contoso, C=FR') },
  { label: 'an extra space inside a word', rdns: () => Name.parse('CN=Contoso Ro ot CA, O=Contoso, C=FR') },
];

describeWithTool('openssl', 'Name.equals agrees with OpenSSL’s canonical name hash', () => {
  const tmp = useTmpDir('certlab-names-hash-');
  const hashes: string[] = [];
  const names: Name[] = [];

  beforeAll(async () => {
    const { privateKey, publicKey } = await keyPair(EC, 7);
    for (const [i, v] of VARIANTS.entries()) {
      const name = v.rdns();
      const cert = await createCertificate({
        subject: name,
        publicKey,
        signingKey: privateKey,
        serialNumber: String(i + 1),
        notBefore: NOT_BEFORE,
        notAfter: ROOT_NOT_AFTER,
      });
      const path = tmp.write(`variant-${i}.pem`, cert.toPem());
      hashes.push(openssl(['x509', '-in', path, '-noout', '-subject_hash']).trim());
      names.push(parseCertificate(cert.der).subject);
    }
  });

  for (const [i, a] of VARIANTS.entries()) {
    it(`${a.label}: equal to exactly the variants OpenSSL hashes alike`, () => {
      const ours = VARIANTS.map((_, j) => names[i]!.equals(names[j]!));
      const theirs = VARIANTS.map((_, j) => hashes[i] === hashes[j]);
      expect(ours).toEqual(theirs);
      // The canonical key is usable as a map key for exactly the same pairs.
      expect(VARIANTS.map((_, j) => names[i]!.canonical === names[j]!.canonical)).toEqual(theirs);
    });
  }

  it('the first six variants are one name, the others are not', () => {
    expect(VARIANTS.map((_, j) => hashes[j] === hashes[0])).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
