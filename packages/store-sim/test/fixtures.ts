// Test PKI: a Contoso root, an issuing CA, leaves (server, expired, wrong EKU), a CRL, P-256 keys.

import {
  basicConstraints,
  type Certificate,
  type Crl,
  createCertificate,
  createCertsOnlyPkcs7,
  createCrl,
  createPkcs12,
  crlDistributionPoints,
  extKeyUsage,
  generateKeyPair,
  type KeyPair,
  keyUsage,
  msCertificateTemplateName,
  subjectAltName,
} from '@certlab/pki';

export const T0 = new Date(Date.UTC(2025, 0, 1));
export const T1 = new Date(Date.UTC(2035, 0, 1));
/** The validation time of the tests. */
export const NOW = new Date(Date.UTC(2026, 5, 1));

export interface Node {
  cert: Certificate;
  keys: KeyPair;
}

export interface Pki {
  root: Node;
  ica: Node;
  leaf: Node;
  expired: Node;
  clientOnly: Node;
  revokedLeaf: Node;
  otherRoot: Node;
  crl: Crl;
  pfx: Uint8Array;
  pfxPassword: string;
  chainP7b: Uint8Array;
}

const CDP = crlDistributionPoints([{ fullName: [{ type: 'uri', value: 'http://pki.contoso.com/ica.crl' }] }]);

async function leafOf(
  issuer: Node,
  name: string,
  opts: { eku?: string[]; notBefore?: Date; notAfter?: Date } = {},
): Promise<Node> {
  const keys = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  const cert = await createCertificate({
    subject: `CN=${name}, O=Contoso, C=FR`,
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    issuer: issuer.cert,
    notBefore: opts.notBefore ?? T0,
    notAfter: opts.notAfter ?? T1,
    extensions: [
      basicConstraints({ ca: false }),
      keyUsage(['digitalSignature', 'keyEncipherment']),
      extKeyUsage(opts.eku ?? ['serverAuth']),
      subjectAltName([{ type: 'dns', value: name }]),
      msCertificateTemplateName('WebServer'),
      CDP,
    ],
  });
  return { cert, keys };
}

let cached: Promise<Pki> | undefined;

/** The shared test PKI (generated once per test file). */
export function pki(): Promise<Pki> {
  cached ??= (async () => {
    const rootKeys = await generateKeyPair({ type: 'ec', curve: 'P-256' });
    const root: Node = {
      keys: rootKeys,
      cert: await createCertificate({
        subject: 'CN=Contoso Root CA, O=Contoso, C=FR',
        publicKey: rootKeys.publicKey,
        signingKey: rootKeys.privateKey,
        notBefore: T0,
        notAfter: T1,
        extensions: [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])],
      }),
    };
    const icaKeys = await generateKeyPair({ type: 'ec', curve: 'P-256' });
    const ica: Node = {
      keys: icaKeys,
      cert: await createCertificate({
        subject: 'CN=Contoso Issuing CA, O=Contoso, C=FR',
        publicKey: icaKeys.publicKey,
        signingKey: rootKeys.privateKey,
        issuer: root.cert,
        notBefore: T0,
        notAfter: T1,
        extensions: [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])],
      }),
    };
    const otherKeys = await generateKeyPair({ type: 'ec', curve: 'P-256' });
    const otherRoot: Node = {
      keys: otherKeys,
      cert: await createCertificate({
        subject: 'CN=Fabrikam Root CA, O=Fabrikam',
        publicKey: otherKeys.publicKey,
        signingKey: otherKeys.privateKey,
        notBefore: T0,
        notAfter: T1,
        extensions: [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])],
      }),
    };
    const leaf = await leafOf(ica, 'ex01.contoso.com');
    const expired = await leafOf(ica, 'old.contoso.com', {
      notBefore: new Date(Date.UTC(2025, 0, 1)),
      notAfter: new Date(Date.UTC(2026, 0, 1)),
    });
    const clientOnly = await leafOf(ica, 'user.contoso.com', { eku: ['clientAuth'] });
    const revokedLeaf = await leafOf(ica, 'revoked.contoso.com');
    const crl = await createCrl({
      issuer: ica.cert,
      signingKey: ica.keys.privateKey,
      crlNumber: 1,
      thisUpdate: new Date(Date.UTC(2026, 4, 1)),
      nextUpdate: new Date(Date.UTC(2026, 11, 1)),
      entries: [
        {
          serialNumber: revokedLeaf.cert.serialNumber,
          revocationDate: new Date(Date.UTC(2026, 3, 1)),
          reason: 'keyCompromise',
        },
      ],
    });
    const pfxPassword = 'S3cret!';
    const pfx = await createPkcs12({
      key: leaf.keys.privateKey,
      certificate: leaf.cert,
      chain: [ica.cert, root.cert],
      password: pfxPassword,
      friendlyName: 'Exchange UM',
      iterations: 1000,
    });
    const chainP7b = createCertsOnlyPkcs7([leaf.cert, ica.cert, root.cert]);
    return { root, ica, leaf, expired, clientOnly, revokedLeaf, otherRoot, crl, pfx, pfxPassword, chainP7b };
  })();
  return cached;
}
