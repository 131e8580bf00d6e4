// csr-create-p256: build and sign a PKCS #10 request (subject CN=exch01.contoso.com,O=Contoso,C=FR,
// extension request with SAN dNSName exch01.contoso.com and EKU serverAuth) with an ECDSA P-256
// key generated once outside the loop. node-forge has no ECDSA, so it runs with RSA-2048 and is
// compared with certlab on the same RSA-2048 task (its own row).

import { execFileSync } from 'node:child_process';
import { createCsr, extKeyUsage, generateKeyPair, importPrivateKey, subjectAltName } from '@certlab/pki';
import type * as Forge from 'node-forge';
import { checkCsr, makeFixtures } from './fixtures.js';
import { type BenchModule, bench, fmtRatio, formatResult, rowByLabel, writeJson } from './harness.js';
import {
  bytesOf,
  forge,
  LABEL,
  nodeCrypto,
  pkijs,
  pkijsName,
  pkijsNode,
  pkijsPeculiar,
  x509,
} from './peers.js';

const NAME = 'csr-create-p256';
const SUBJECT = 'CN=exch01.contoso.com,O=Contoso,C=FR';
const DNS = 'exch01.contoso.com';
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const EXPECT = ['CN = exch01.contoso.com', 'DNS:exch01.contoso.com', 'TLS Web Server Authentication'];

const EC_GEN: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };

async function pkijsCsr(
  engine: pkijs.ICryptoEngine,
  spki: pkijs.PublicKeyInfo,
  privateKey: CryptoKey,
): Promise<ArrayBuffer> {
  const csr = new pkijs.CertificationRequest();
  csr.subject = pkijsName([
    ['C', 'FR'],
    ['O', 'Contoso'],
    ['CN', DNS],
  ]);
  csr.subjectPublicKeyInfo = spki;
  const san = new pkijs.GeneralNames({ names: [new pkijs.GeneralName({ type: 2, value: DNS })] });
  const eku = new pkijs.ExtKeyUsage({ keyPurposes: [SERVER_AUTH] });
  const extensions = new pkijs.Extensions({
    extensions: [
      new pkijs.Extension({ extnID: '2.5.29.17', critical: false, extnValue: san.toSchema().toBER(false) }),
      new pkijs.Extension({ extnID: '2.5.29.37', critical: false, extnValue: eku.toSchema().toBER(false) }),
    ],
  });
  csr.attributes = [new pkijs.Attribute({ type: '1.2.840.113549.1.9.14', values: [extensions.toSchema()] })];
  await csr.sign(privateKey, 'SHA-256', engine);
  return csr.toSchema().toBER(false);
}

async function pkijsSetup(engine: pkijs.CryptoEngine): Promise<() => Promise<ArrayBuffer>> {
  const keys = (await engine.generateKey(EC_GEN, true, ['sign', 'verify'])) as CryptoKeyPair;
  // The SubjectPublicKeyInfo is imported once, like certlab's PublicKey holds its SPKI.
  const spki = new pkijs.PublicKeyInfo();
  await spki.importKey(keys.publicKey, engine);
  return () => pkijsCsr(engine, spki, keys.privateKey);
}

const mod: BenchModule = {
  name: NAME,
  description: 'create + sign a PKCS #10 request with P-256 (SAN, EKU); RSA-2048 rows for node-forge',
  async run() {
    const f = makeFixtures();

    // certlab
    const ec = await generateKeyPair({ type: 'ec', curve: 'P-256' });
    const rsa = await importPrivateKey(f.rsaKeyPem);
    const ours = async (privateKey: typeof ec.privateKey) =>
      (
        await createCsr({
          subject: SUBJECT,
          privateKey,
          extensions: [subjectAltName([{ type: 'dns', value: DNS }]), extKeyUsage(['serverAuth'])],
        })
      ).der;

    // pkijs
    const pkijsPec = await pkijsSetup(pkijsPeculiar);
    const pkijsNod = await pkijsSetup(pkijsNode);

    // @peculiar/x509 on Node's WebCrypto
    const xKeys = (await nodeCrypto.subtle.generateKey(EC_GEN, true, ['sign', 'verify'])) as CryptoKeyPair;
    const x509Csr = async () =>
      (
        await x509.Pkcs10CertificateRequestGenerator.create(
          {
            name: 'CN=exch01.contoso.com, O=Contoso, C=FR',
            keys: xKeys,
            signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
            extensions: [
              new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: DNS }]),
              new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
            ],
          },
          nodeCrypto,
        )
      ).rawData;

    // node-forge, RSA-2048 (the same key as certlab's RSA row)
    const fPriv = forge.pki.privateKeyFromPem(f.rsaKeyPem) as Forge.pki.rsa.PrivateKey;
    const fPub = forge.pki.setRsaPublicKey(fPriv.n, fPriv.e);
    const forgeCsr = () => {
      const csr = forge.pki.createCertificationRequest();
      csr.publicKey = fPub;
      csr.setSubject([
        { name: 'countryName', value: 'FR' },
        { name: 'organizationName', value: 'Contoso' },
        { name: 'commonName', value: DNS },
      ]);
      csr.setAttributes([
        {
          name: 'extensionRequest',
          extensions: [
            { name: 'subjectAltName', altNames: [{ type: 2, value: DNS }] },
            { name: 'extKeyUsage', serverAuth: true },
          ],
        },
      ]);
      csr.sign(fPriv, forge.md.sha256.create());
      return forge.asn1.toDer(forge.pki.certificationRequestToAsn1(csr)).getBytes();
    };

    // openssl: one process per request
    const opensslArgs = [
      'req',
      '-new',
      '-key',
      f.ecKeyPath,
      '-subj',
      '/C=FR/O=Contoso/CN=exch01.contoso.com',
      '-addext',
      `subjectAltName=DNS:${DNS}`,
      '-addext',
      'extendedKeyUsage=serverAuth',
      '-outform',
      'DER',
    ];
    const opensslCsr = () => execFileSync('openssl', opensslArgs, { stdio: ['ignore', 'pipe', 'pipe'] });

    // Every implementation must produce a valid, equivalent request.
    checkCsr('certlab P-256', await ours(ec.privateKey), EXPECT);
    checkCsr('certlab RSA-2048', await ours(rsa), EXPECT);
    checkCsr(LABEL.pkijsPeculiar, bytesOf(await pkijsPec()), EXPECT);
    checkCsr(LABEL.pkijsNode, bytesOf(await pkijsNod()), EXPECT);
    checkCsr(LABEL.x509, bytesOf(await x509Csr()), EXPECT);
    checkCsr('node-forge', bytesOf(forgeCsr()), EXPECT);
    checkCsr('openssl', new Uint8Array(opensslCsr()), EXPECT);

    const result = await bench(
      NAME,
      {
        ours: {
          'P-256': () => ours(ec.privateKey),
          'RSA-2048': () => ours(rsa),
        },
        peers: {
          [LABEL.pkijsPeculiar]: pkijsPec,
          [LABEL.pkijsNode]: pkijsNod,
          [LABEL.x509]: x509Csr,
          [LABEL.openssl]: opensslCsr,
          'node-forge (RSA-2048)': { fn: forgeCsr, vs: 'RSA-2048' },
        },
        notes: [
          'node:crypto: no API to build or sign a CSR (crypto.X509Certificate only reads certificates): not measured.',
          'node-forge has no ECDSA: it signs with RSA-2048 (PKCS #1 v1.5, SHA-256) and is compared with the certlab (RSA-2048) row, same key.',
          'pkijs: SubjectPublicKeyInfo imported once outside the loop (as certlab caches its SPKI); subject, extensions, attribute and signature built per op.',
          "@peculiar/x509 uses Node's WebCrypto; it exports the public key per request (its API takes a CryptoKeyPair).",
          'openssl: `openssl req -new -key … -subj … -addext …` spawned per request (process start dominates).',
        ],
      },
      { rounds: 10, roundMs: 150 },
    );

    const pk = rowByLabel(result, LABEL.pkijsPeculiar);
    const targets = [
      {
        benchmark: NAME,
        goal: 'certlab ≥ 5× pkijs + @peculiar/webcrypto (P-256 CSR create + sign)',
        measured: `${fmtRatio(pk.ratio!)} (${Math.round(rowByLabel(result, 'certlab (P-256)').opsPerSec)} vs ${Math.round(pk.opsPerSec)} ops/s)`,
        met: pk.ratio! >= 5,
      },
    ];
    writeJson(NAME, result);
    return { tables: [formatResult(result)], targets, data: result };
  },
};

export default mod;
