// p7b: certs-only PKCS #7 SignedData (.p7b) with a 3-certificate chain made by openssl
// (RSA-2048 root → issuing CA → the ~1 KB leaf profile of the other benchmarks; all RSA so that
// node-forge, which reads RSA certificates only, takes part):
//   decode: the .p7b DER (from `openssl crl2pkcs7 -nocrl -certfile chain.pem -outform DER`) to
//           parsed certificates, reading each certificate's subject as a string;
//   encode: a .p7b from the three certificates, already parsed by each library outside the loop.
// Every row's output is checked before timing: decoders must read the three subjects, and every
// encoder's .p7b must list the three certificates under `openssl pkcs7 -print_certs -inform DER`.

import { execFileSync, spawnSync } from 'node:child_process';
import {
  type Certificate,
  createCertsOnlyPkcs7,
  parseCertificate,
  readPkcs7Certificates,
} from '@certlab/pki';
import type * as Forge from 'node-forge';
import { makeRsaChain } from './fixtures.js';
import {
  type BenchModule,
  bench,
  fmtNum,
  fmtRatio,
  formatResult,
  rowByLabel,
  type Target,
  writeJson,
} from './harness.js';
import { ATTR_SHORT, asn1js, bytesOf, forge, LABEL, pkijs, pkijsNameString, x509 } from './peers.js';

const NAME = 'p7b';
const SUBJECTS = [
  'CN=exch01.contoso.com,OU=Messaging,O=Contoso,C=FR',
  'CN=Contoso Issuing CA 01,O=Contoso,C=FR',
  'CN=Contoso Root CA,O=Contoso,C=FR',
];
const OID_DATA = '1.2.840.113549.1.7.1';
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OPENSSL_DECODE_ARGS = ['pkcs7', '-print_certs', '-inform', 'DER', '-noout'];

function forgeSubject(c: Forge.pki.Certificate): string {
  const attrs = c.subject.attributes;
  const parts: string[] = [];
  for (let i = attrs.length - 1; i >= 0; i--) {
    const a = attrs[i]!;
    parts.push(`${a.shortName ?? ATTR_SHORT[a.type ?? ''] ?? a.type}=${String(a.value)}`);
  }
  return parts.join(',');
}

/** Subjects compared as sets of attributes (the libraries order and separate them differently). */
const norm = (s: string) =>
  s
    .split(/,\s*|\n/)
    .map((x) => x.replace(/\s*=\s*/, '='))
    .filter(Boolean)
    .sort()
    .join(',');

function checkSubjects(label: string, subjects: readonly string[]): void {
  if (subjects.length !== 3 || subjects.some((s, i) => norm(s) !== norm(SUBJECTS[i]!))) {
    throw new Error(`${label} read the subjects ${JSON.stringify(subjects)}`);
  }
}

/** The subjects that `openssl pkcs7 -print_certs` lists for a .p7b (DER), in file order. */
function opensslSubjects(label: string, der: Uint8Array): string[] {
  const r = spawnSync('openssl', OPENSSL_DECODE_ARGS, { input: der, encoding: 'latin1' });
  if (r.status !== 0) throw new Error(`${label}: openssl pkcs7 rejects the .p7b:\n${r.stderr}`);
  return [...r.stdout.matchAll(/^subject=(.*)$/gm)].map((m) => m[1]!.trim());
}

/** "C = FR, O = Contoso, CN = x" (openssl's order, most general first) as an RFC 4514 string. */
function fromOpenssl(s: string): string {
  return s
    .split(/,\s*/)
    .reverse()
    .join(',')
    .replace(/\s*=\s*/g, '=');
}

const mod: BenchModule = {
  name: NAME,
  description: '.p7b (certs-only PKCS #7) decode and encode of a 3-certificate chain',
  async run() {
    const chain = makeRsaChain();
    const p7b = chain.p7bDer;
    const ders = [chain.leafDer, chain.icaDer, chain.rootDer];
    // node-forge reads "binary strings": the conversion is done once, outside the loop.
    const p7bBinary = forge.util.binary.raw.encode(p7b);

    // openssl itself lists the three certificates of its own file.
    checkSubjects('openssl (its own .p7b)', opensslSubjects('openssl', p7b).map(fromOpenssl));

    // --- decode -------------------------------------------------------------------------------
    const decoders: Record<string, () => string[]> = {
      certlab: () => readPkcs7Certificates(p7b).map((c) => c.subject.toString()),
      [LABEL.forge]: () => {
        const msg = forge.pkcs7.messageFromAsn1(forge.asn1.fromDer(p7bBinary)) as Forge.pkcs7.PkcsSignedData;
        return msg.certificates.map(forgeSubject);
      },
      pkijs: () => {
        const ci = new pkijs.ContentInfo({ schema: asn1js.fromBER(p7b).result });
        const sd = new pkijs.SignedData({ schema: ci.content });
        return (sd.certificates ?? []).map((c) => pkijsNameString((c as pkijs.Certificate).subject));
      },
      [LABEL.x509]: () => new x509.X509Certificates(p7b).map((c) => c.subject),
    };
    for (const [label, fn] of Object.entries(decoders)) checkSubjects(label, fn());
    const opensslDecode = () =>
      execFileSync('openssl', OPENSSL_DECODE_ARGS, { input: p7b, stdio: ['pipe', 'pipe', 'pipe'] });

    const [oursDecode, ...decodePeers] = Object.entries(decoders);
    const decode = await bench(
      `${NAME}-decode`,
      {
        ours: oursDecode![1],
        peers: {
          ...Object.fromEntries(decodePeers),
          [LABEL.openssl]: {
            fn: opensslDecode,
            note: 'informational: `openssl pkcs7 -print_certs -inform DER -noout`, one process per file (prints the subjects and issuers).',
          },
        },
        notes: [
          `Input: a ${p7b.length}-byte certs-only .p7b made by \`openssl crl2pkcs7 -nocrl -certfile chain.pem -outform DER\` (leaf ${chain.leafDer.length} B, issuing CA ${chain.icaDer.length} B, root ${chain.rootDer.length} B; RSA-2048 throughout, sha256WithRSAEncryption). Each op decodes it and reads the three subjects as strings.`,
          'certlab: readPkcs7Certificates(der) then .subject.toString() on each (certificates are decoded lazily: the subject is decoded when read).',
          'node-forge: pkcs7.messageFromAsn1(asn1.fromDer(binaryString)), which parses every certificate fully (RSA public keys included); the DER is converted to a binary string once, outside the loop.',
          'pkijs: asn1js.fromBER + ContentInfo + SignedData (certificates decoded eagerly, every extension included); subject strings built from typesAndValues.',
          '@peculiar/x509: new X509Certificates(der) (PKCS #7 decoding), then .subject of each.',
          'node:crypto has no PKCS #7 API: not measured.',
        ],
      },
      { rounds: 10, roundMs: 150 },
    );

    // --- encode -------------------------------------------------------------------------------
    // Each library's certificate objects are made once, outside the loop.
    const parsed: Certificate[] = ders.map((d) => parseCertificate(d));
    const pkijsCerts = ders.map((d) => new pkijs.Certificate({ schema: asn1js.fromBER(d).result }));
    const forgeCerts = ders.map((d) =>
      forge.pki.certificateFromAsn1(forge.asn1.fromDer(forge.util.binary.raw.encode(d))),
    );
    const x509Certs = ders.map((d) => new x509.X509Certificate(d));

    const encoders: Record<string, () => Uint8Array | ArrayBuffer | string> = {
      certlab: () => createCertsOnlyPkcs7(parsed),
      pkijs: () => {
        const sd = new pkijs.SignedData({
          version: 1,
          encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID_DATA }),
          certificates: pkijsCerts,
        });
        const ci = new pkijs.ContentInfo({ contentType: OID_SIGNED_DATA, content: sd.toSchema() });
        return ci.toSchema().toBER(false);
      },
      [LABEL.forge]: () => {
        const p7 = forge.pkcs7.createSignedData();
        for (const c of forgeCerts) p7.addCertificate(c);
        return forge.asn1.toDer(p7.toAsn1()).getBytes();
      },
      [LABEL.x509]: () => new x509.X509Certificates(x509Certs).export('raw'),
    };
    const identical: string[] = [];
    const differs: string[] = [];
    for (const [label, fn] of Object.entries(encoders)) {
      const out = bytesOf(fn());
      checkSubjects(`${label} (encoded, read by openssl)`, opensslSubjects(label, out).map(fromOpenssl));
      (Buffer.compare(Buffer.from(out), Buffer.from(p7b)) === 0 ? identical : differs).push(
        `${label} (${out.length} B)`,
      );
    }

    const [oursEncode, ...encodePeers] = Object.entries(encoders);
    const encode = await bench(
      `${NAME}-encode`,
      {
        ours: oursEncode![1],
        peers: Object.fromEntries(encodePeers),
        notes: [
          'Each op builds a certs-only .p7b (SignedData v1, no digest algorithms, id-data without content, 3 certificates, no signers) from the three certificates, each library using its own certificate objects parsed once outside the loop, and serialises it to DER.',
          'certlab: createCertsOnlyPkcs7(certs): precomputed headers and the certificates’ DER copied in.',
          'pkijs: new SignedData({ version: 1, encapContentInfo, certificates }) inside new ContentInfo({ content: signedData.toSchema() }), toSchema().toBER() (toSchema(true) measured about the same, ~8% slower).',
          'node-forge: pkcs7.createSignedData(), addCertificate ×3, asn1.toDer(p7.toAsn1()).getBytes() (re-encodes each certificate from its fields).',
          '@peculiar/x509: new X509Certificates(certs).export("raw").',
          `Checked before timing with \`openssl pkcs7 -print_certs -inform DER\` (the three subjects, in order). Byte-identical to openssl's file: ${identical.join(', ') || 'none'}; different: ${differs.join(', ') || 'none'}.`,
          'node:crypto has no PKCS #7 API: not measured.',
        ],
      },
      { rounds: 10, roundMs: 150 },
    );

    const ops = (n: number) => fmtNum(Math.round(n));
    const fg = rowByLabel(decode, LABEL.forge);
    const pj = rowByLabel(encode, 'pkijs');
    const targets: Target[] = [
      {
        benchmark: NAME,
        goal: '.p7b decode (3 certificates + subjects): certlab ≥ node-forge (ratio ≥ 1)',
        measured: `${fmtRatio(fg.ratio!)} (${ops(rowByLabel(decode, 'certlab').opsPerSec)} vs ${ops(fg.opsPerSec)} ops/s; paired ${fmtRatio(fg.pairedRatio!)})`,
        met: fg.ratio! >= 1,
      },
      {
        benchmark: NAME,
        goal: '.p7b encode (3 parsed certificates): certlab ≥ 100× pkijs',
        measured: `${fmtRatio(pj.ratio!)} (${ops(rowByLabel(encode, 'certlab').opsPerSec)} vs ${ops(pj.opsPerSec)} ops/s; paired ${fmtRatio(pj.pairedRatio!)})`,
        met: pj.ratio! >= 100,
      },
    ];
    writeJson(NAME, { decode, encode });
    return { tables: [formatResult(decode), formatResult(encode)], targets, data: { decode, encode } };
  },
};

export default mod;
