// A small PKI for the container tests (show, convert, crl): a root, an issuing CA, a leaf with
// its key, a request and a CRL, written in the usual file forms into a directory.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  basicConstraints,
  type Certificate,
  type Crl,
  createCertificate,
  createCrl,
  createCsr,
  extKeyUsage,
  generateKeyPair,
  type KeyPair,
  keyUsage,
  subjectAltName,
} from '@certlab/pki';

export const T0 = new Date(Date.UTC(2025, 0, 1));
export const T1 = new Date(Date.UTC(2035, 0, 1));

export interface Pki {
  rootK: KeyPair;
  icaK: KeyPair;
  leafK: KeyPair;
  root: Certificate;
  ica: Certificate;
  leaf: Certificate;
  crl: Crl;
}

/**
 * Builds the PKI and writes: root.pem, ica.cer (DER), leaf.pem, leaf.b64 (bare Base64),
 * chain.pem (leaf, ica, root), leaf.key (PKCS#8 PEM), leaf-enc.key (encrypted, password
 * "key-pass"), leaf.pub, leaf.csr, ica.crl (DER; serial 1A2B3C keyCompromise, the leaf's
 * serial superseded with an invalidity date), garbage.txt, random.bin.
 */
export async function makePki(dir: string): Promise<Pki> {
  const rootK = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  const icaK = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  const leafK = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  const caExt = [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])];
  const root = await createCertificate({
    subject: 'CN=Fixture Root, O=certlab, C=FR',
    publicKey: rootK.publicKey,
    signingKey: rootK.privateKey,
    notBefore: T0,
    notAfter: T1,
    extensions: caExt,
  });
  const ica = await createCertificate({
    subject: 'CN=Fixture Issuing CA, O=certlab, C=FR',
    publicKey: icaK.publicKey,
    signingKey: rootK.privateKey,
    issuer: root,
    notBefore: T0,
    notAfter: T1,
    extensions: caExt,
  });
  const leaf = await createCertificate({
    subject: 'CN=web01.contoso.com',
    publicKey: leafK.publicKey,
    signingKey: icaK.privateKey,
    issuer: ica,
    notBefore: T0,
    notAfter: T1,
    extensions: [
      basicConstraints({ ca: false }),
      extKeyUsage(['serverAuth']),
      subjectAltName([{ type: 'dns', value: 'web01.contoso.com' }]),
    ],
  });
  const crl = await createCrl({
    issuer: ica,
    signingKey: icaK.privateKey,
    thisUpdate: T0,
    nextUpdate: new Date(Date.UTC(2025, 0, 8)),
    crlNumber: 7,
    entries: [
      { serialNumber: '1A2B3C', revocationDate: T0, reason: 'keyCompromise' },
      {
        serialNumber: leaf.serialNumber,
        revocationDate: T0,
        reason: 'superseded',
        invalidityDate: new Date(Date.UTC(2024, 11, 31)),
      },
    ],
    issuingDistributionPoint: {
      fullName: [{ type: 'uri', value: 'http://pki.contoso.com/ica.crl' }],
      onlyContainsUserCerts: true,
    },
  });
  const csr = await createCsr({ subject: 'CN=web02.contoso.com', privateKey: leafK.privateKey });
  const files: Record<string, string | Uint8Array> = {
    'root.pem': root.toPem(),
    'ica.cer': ica.der,
    'leaf.pem': leaf.toPem(),
    'leaf.b64': Buffer.from(leaf.der).toString('base64'),
    'chain.pem': leaf.toPem() + ica.toPem() + root.toPem(),
    'leaf.key': await leafK.privateKey.toPem(),
    'leaf-enc.key': await leafK.privateKey.toPem({ password: 'key-pass', iterations: 1000 }),
    'leaf.pub': leafK.publicKey.toPem(),
    'leaf.csr': csr.toPem(),
    'ica.crl': crl.der,
    'garbage.txt': 'Hello, world: this is not a certificate.\n',
    'random.bin': Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff),
  };
  for (const [name, data] of Object.entries(files)) await writeFile(join(dir, name), data);
  return { rootK, icaK, leafK, root, ica, leaf, crl };
}
