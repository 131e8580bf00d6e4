// cert-issue: a P-256 issuing CA signs a leaf certificate for a P-256 key (subject
// CN=exch01.contoso.com,O=Contoso,C=FR; basicConstraints CA:FALSE, keyUsage digitalSignature,
// EKU serverAuth+clientAuth, SAN 2 dNSNames, SKI, AKI; random 16-octet serial; 365 days). Keys,
// the CA certificate and the CA's key identifier are loaded once outside the loop.

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  basicConstraints,
  createCertificate,
  extKeyUsage,
  generateKeyPair,
  importPrivateKey,
  keyUsage,
  parseCertificate,
  subjectAltName,
} from '@certlab/pki';
import { type Bytes, checkCert, makeFixtures, openssl, pemToDer } from './fixtures.js';
import { type BenchModule, bench, fmtRatio, formatResult, rowByLabel, writeJson } from './harness.js';
import {
  asn1js,
  bytesOf,
  LABEL,
  nodeCrypto,
  pkijs,
  pkijsExt,
  pkijsName,
  pkijsNode,
  pkijsPeculiar,
  randomSerial,
  toHex,
  x509,
} from './peers.js';

const NAME = 'cert-issue';
const SUBJECT = 'CN=exch01.contoso.com,O=Contoso,C=FR';
const DNS = ['exch01.contoso.com', 'mail.contoso.com'];
const DAY = 86_400_000;
const EC_GEN: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const EC_IMPORT: EcKeyImportParams = { name: 'ECDSA', namedCurve: 'P-256' };
const EXPECT = [
  'CN = exch01.contoso.com',
  'DNS:exch01.contoso.com, DNS:mail.contoso.com',
  'TLS Web Server Authentication',
  'Digital Signature',
];

const EXT_FILE = `basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:${DNS.join(',DNS:')}
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
`;

async function pkijsSetup(
  engine: pkijs.CryptoEngine,
  caKeyPkcs8: Bytes,
  caDer: Bytes,
): Promise<() => Promise<ArrayBuffer>> {
  const caKey = await engine.importKey('pkcs8', caKeyPkcs8, EC_IMPORT, false, ['sign']);
  const ca = new pkijs.Certificate({ schema: asn1js.fromBER(caDer).result });
  const caSki = (ca.extensions!.find((e) => e.extnID === '2.5.29.14')!.parsedValue as asn1js.OctetString)
    .valueBlock.valueHexView;
  const leaf = (await engine.generateKey(EC_GEN, true, ['sign', 'verify'])) as CryptoKeyPair;
  const spki = new pkijs.PublicKeyInfo();
  await spki.importKey(leaf.publicKey, engine);
  // Per-key constants computed once, as certlab caches a key's identifier.
  const ski = new Uint8Array(
    await engine.digest('SHA-1', new Uint8Array(spki.subjectPublicKey.valueBlock.valueHexView)),
  );
  return async () => {
    const cert = new pkijs.Certificate();
    cert.version = 2;
    cert.serialNumber = new asn1js.Integer({ valueHex: randomSerial() });
    cert.issuer = ca.subject;
    cert.subject = pkijsName([
      ['C', 'FR'],
      ['O', 'Contoso'],
      ['CN', DNS[0]!],
    ]);
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    cert.notBefore.value = now;
    cert.notAfter.value = new Date(now.getTime() + 365 * DAY);
    cert.subjectPublicKeyInfo = spki;
    cert.extensions = [
      pkijsExt('2.5.29.19', true, new pkijs.BasicConstraints({ cA: false })),
      pkijsExt('2.5.29.15', true, new asn1js.BitString({ valueHex: Uint8Array.of(0x80), unusedBits: 7 })),
      pkijsExt(
        '2.5.29.37',
        false,
        new pkijs.ExtKeyUsage({ keyPurposes: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'] }),
      ),
      pkijsExt(
        '2.5.29.17',
        false,
        new pkijs.GeneralNames({ names: DNS.map((value) => new pkijs.GeneralName({ type: 2, value })) }),
      ),
      pkijsExt('2.5.29.14', false, new asn1js.OctetString({ valueHex: ski })),
      pkijsExt(
        '2.5.29.35',
        false,
        new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: caSki }) }),
      ),
    ];
    await cert.sign(caKey, 'SHA-256', engine);
    return cert.toSchema().toBER(false);
  };
}

const mod: BenchModule = {
  name: NAME,
  description: 'sign a leaf certificate (P-256 key) with a P-256 CA',
  async run() {
    const f = makeFixtures();
    const caKeyPkcs8 = pemToDer(f.caKeyPem);

    // certlab
    const caKey = await importPrivateKey(f.caKeyPem);
    const caCert = parseCertificate(f.caCertDer);
    const leaf = await generateKeyPair({ type: 'ec', curve: 'P-256' });
    const ours = async () =>
      (
        await createCertificate({
          subject: SUBJECT,
          publicKey: leaf.publicKey,
          signingKey: caKey,
          issuer: caCert,
          days: 365,
          extensions: [
            basicConstraints({ ca: false }),
            keyUsage(['digitalSignature']),
            extKeyUsage(['serverAuth', 'clientAuth']),
            subjectAltName(DNS.map((value) => ({ type: 'dns' as const, value }))),
          ],
        })
      ).der;

    // pkijs
    const pkijsPec = await pkijsSetup(pkijsPeculiar, caKeyPkcs8, f.caCertDer);
    const pkijsNod = await pkijsSetup(pkijsNode, caKeyPkcs8, f.caCertDer);

    // @peculiar/x509 on Node's WebCrypto
    const xCaKey = await nodeCrypto.subtle.importKey('pkcs8', caKeyPkcs8, EC_IMPORT, false, ['sign']);
    const xCa = new x509.X509Certificate(f.caCertDer);
    const xLeaf = (await nodeCrypto.subtle.generateKey(EC_GEN, true, ['sign', 'verify'])) as CryptoKeyPair;
    const xLeafPub = new x509.PublicKey(await nodeCrypto.subtle.exportKey('spki', xLeaf.publicKey));
    const xSki = await x509.SubjectKeyIdentifierExtension.create(xLeafPub, false, nodeCrypto);
    const xAki = new x509.AuthorityKeyIdentifierExtension(
      xCa.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId,
      false,
    );
    const x509Issue = async () => {
      const now = new Date(Math.floor(Date.now() / 1000) * 1000);
      return (
        await x509.X509CertificateGenerator.create(
          {
            serialNumber: toHex(randomSerial()),
            subject: 'CN=exch01.contoso.com, O=Contoso, C=FR',
            issuer: xCa.subject,
            notBefore: now,
            notAfter: new Date(now.getTime() + 365 * DAY),
            signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
            publicKey: xLeafPub,
            signingKey: xCaKey,
            extensions: [
              new x509.BasicConstraintsExtension(false, undefined, true),
              new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
              new x509.ExtendedKeyUsageExtension([
                x509.ExtendedKeyUsage.serverAuth,
                x509.ExtendedKeyUsage.clientAuth,
              ]),
              new x509.SubjectAlternativeNameExtension(DNS.map((value) => ({ type: 'dns' as const, value }))),
              xSki,
              xAki,
            ],
          },
          nodeCrypto,
        )
      ).rawData;
    };

    // openssl x509 -req: one process per certificate, from a P-256 CSR made once.
    const csrPath = join(f.dir, 'issue-leaf.csr');
    const extPath = join(f.dir, 'issue-leaf.ext');
    openssl([
      'req',
      '-new',
      '-key',
      f.ecKeyPath,
      '-subj',
      '/C=FR/O=Contoso/CN=exch01.contoso.com',
      '-out',
      csrPath,
    ]);
    writeFileSync(extPath, EXT_FILE);
    const opensslIssue = () =>
      execFileSync(
        'openssl',
        [
          'x509',
          '-req',
          '-in',
          csrPath,
          '-CA',
          f.caCertPath,
          '-CAkey',
          f.caKeyPath,
          '-set_serial',
          `0x${toHex(randomSerial())}`,
          '-days',
          '365',
          '-extfile',
          extPath,
          '-outform',
          'DER',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );

    // Every implementation must produce an equivalent certificate that chains to the CA.
    checkCert('certlab', await ours(), f.caCertPath, EXPECT);
    checkCert(LABEL.pkijsPeculiar, bytesOf(await pkijsPec()), f.caCertPath, EXPECT);
    checkCert(LABEL.pkijsNode, bytesOf(await pkijsNod()), f.caCertPath, EXPECT);
    checkCert(LABEL.x509, bytesOf(await x509Issue()), f.caCertPath, EXPECT);
    checkCert('openssl', new Uint8Array(opensslIssue()), f.caCertPath, EXPECT);

    const result = await bench(
      NAME,
      {
        ours,
        peers: {
          [LABEL.pkijsPeculiar]: pkijsPec,
          [LABEL.pkijsNode]: pkijsNod,
          [LABEL.x509]: x509Issue,
          [LABEL.openssl]: opensslIssue,
        },
        notes: [
          'Per-key constants are computed once outside the loop for every library: the leaf SPKI, its SKI (SHA-1) and the CA key identifier (certlab caches them on its key and certificate objects).',
          'node:crypto: no API to build or sign a certificate: not measured. node-forge: no ECDSA: not measured.',
          'openssl: `openssl x509 -req -in leaf.csr -CA … -CAkey … -extfile …` spawned per certificate (loads the CA key and certificate and checks the CSR signature each time).',
        ],
      },
      { rounds: 10, roundMs: 150 },
    );

    const targets = [LABEL.pkijsPeculiar, LABEL.x509].map((label) => {
      const r = rowByLabel(result, label);
      return {
        benchmark: NAME,
        goal: `certlab faster than ${label} (issue a P-256 leaf; informational)`,
        measured: fmtRatio(r.ratio!),
        met: r.ratio! > 1,
      };
    });
    writeJson(NAME, result);
    return { tables: [formatResult(result)], targets, data: result };
  },
};

export default mod;
