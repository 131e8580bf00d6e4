// Test material for the benchmarks, made once per process with the `openssl` CLI so that no
// library under test produces the inputs of another: a P-256 issuing CA, an RSA-2048 leaf key
// and a realistic ~1 KB leaf certificate (SAN, EKU, KU, basicConstraints, SKI, AKI, CDP, AIA).

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Bytes backed by a plain ArrayBuffer (what WebCrypto and the peers' typings accept). */
export type Bytes = Uint8Array<ArrayBuffer>;

export interface Fixtures {
  dir: string;
  /** P-256 CA: PKCS #8 key and self-signed certificate (PEM files and DER). */
  caKeyPath: string;
  caCertPath: string;
  caKeyPem: string;
  caCertDer: Bytes;
  /** A P-256 key (PKCS #8 PEM file) for `openssl req`. */
  ecKeyPath: string;
  /** An RSA-2048 key (PKCS #8 PEM) for the leaf and the RSA rows. */
  rsaKeyPath: string;
  rsaKeyPem: string;
  /** A CSR for the leaf key (PEM file), the input of `openssl x509 -req`. */
  leafCsrPath: string;
  /** The OpenSSL extension file used for the leaf. */
  leafExtPath: string;
  /** The leaf certificate, DER (~1 KB), and its file. */
  leafDer: Bytes;
  leafDerPath: string;
}

export const LEAF_SUBJECT_SLASH = '/C=FR/O=Contoso/OU=Messaging/CN=exch01.contoso.com';
export const CA_SUBJECT_SLASH = '/C=FR/O=Contoso/CN=Contoso Issuing CA 01';

export const LEAF_EXT = `basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:exch01.contoso.com,DNS:mail.contoso.com,DNS:autodiscover.contoso.com,DNS:exch01
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
crlDistributionPoints=URI:http://pki.contoso.com/CertEnroll/Contoso%20Issuing%20CA%2001.crl
authorityInfoAccess=caIssuers;URI:http://pki.contoso.com/CertEnroll/ca01.crt,OCSP;URI:http://ocsp.contoso.com/ocsp
`;

/** Runs openssl and returns its stdout. */
export function openssl(args: readonly string[], input?: Uint8Array | string): Buffer {
  return execFileSync('openssl', args, {
    ...(input !== undefined ? { input } : {}),
    stdio: ['pipe', 'pipe', 'pipe'],
    maxBuffer: 16 * 1024 * 1024,
  });
}

export function opensslVersion(): string {
  try {
    return openssl(['version']).toString().trim();
  } catch {
    return 'openssl not found';
  }
}

let cached: Fixtures | undefined;

export function makeFixtures(): Fixtures {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'certlab-bench-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const p = (f: string) => join(dir, f);
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', p('ca.key')]);
  openssl([
    'req',
    '-x509',
    '-new',
    '-key',
    p('ca.key'),
    '-subj',
    CA_SUBJECT_SLASH,
    '-days',
    '3650',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-out',
    p('ca.pem'),
  ]);
  openssl(['x509', '-in', p('ca.pem'), '-outform', 'DER', '-out', p('ca.der')]);
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', p('ec.key')]);
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', p('rsa.key')]);
  openssl(['req', '-new', '-key', p('rsa.key'), '-subj', LEAF_SUBJECT_SLASH, '-out', p('leaf.csr')]);
  writeFileSync(p('leaf.ext'), LEAF_EXT);
  // 16-octet positive serial, as AD CS and most CAs use.
  openssl([
    'x509',
    '-req',
    '-in',
    p('leaf.csr'),
    '-CA',
    p('ca.pem'),
    '-CAkey',
    p('ca.key'),
    '-set_serial',
    '0x3a5f0c9b1d2e4f60718293a4b5c6d7e8',
    '-days',
    '365',
    '-extfile',
    p('leaf.ext'),
    '-outform',
    'DER',
    '-out',
    p('leaf.der'),
  ]);
  cached = {
    dir,
    caKeyPath: p('ca.key'),
    caCertPath: p('ca.pem'),
    caKeyPem: readFileSync(p('ca.key'), 'utf8'),
    caCertDer: new Uint8Array(readFileSync(p('ca.der'))),
    ecKeyPath: p('ec.key'),
    rsaKeyPath: p('rsa.key'),
    rsaKeyPem: readFileSync(p('rsa.key'), 'utf8'),
    leafCsrPath: p('leaf.csr'),
    leafExtPath: p('leaf.ext'),
    leafDer: new Uint8Array(readFileSync(p('leaf.der'))),
    leafDerPath: p('leaf.der'),
  };
  return cached;
}

/** PEM (PKCS #8 / SPKI) to DER bytes. */
export function pemToDer(pem: string): Bytes {
  const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

/**
 * Offset and length of the serialNumber content octets in a DER certificate, found by walking
 * the TLV headers (Certificate → TBSCertificate → [0] version → serialNumber).
 */
export function serialLocation(der: Uint8Array): { offset: number; length: number } {
  let pos = 0;
  const header = (): { len: number } => {
    pos++; // tag (single-octet tags only here)
    const b = der[pos++]!;
    if (b < 0x80) return { len: b };
    let len = 0;
    for (let i = 0; i < (b & 0x7f); i++) len = len * 256 + der[pos++]!;
    return { len };
  };
  header(); // Certificate SEQUENCE
  header(); // TBSCertificate SEQUENCE
  if (der[pos] === 0xa0) {
    const v = header();
    pos += v.len;
  }
  if (der[pos] !== 0x02) throw new Error('serialNumber not found');
  const s = header();
  return { offset: pos, length: s.len };
}

/**
 * `n` distinct copies of a certificate: each its own buffer, with the last 4 serial octets set to
 * the copy's index. Signatures no longer verify, which parsing does not check.
 */
export function distinctCopies(der: Uint8Array, n: number): Bytes[] {
  const { offset, length } = serialLocation(der);
  if (length < 5) throw new Error('serial too short to vary');
  const end = offset + length;
  const out: Bytes[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const c = new Uint8Array(der);
    c[end - 4] = i >>> 24;
    c[end - 3] = (i >>> 16) & 0xff;
    c[end - 2] = (i >>> 8) & 0xff;
    c[end - 1] = i & 0xff;
    out[i] = c;
  }
  return out;
}

function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

function run(args: readonly string[], input: string | Uint8Array): { ok: boolean; out: string } {
  const r = spawnSync('openssl', args, { input, encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout}\n${r.stderr}` };
}

/**
 * Checks with openssl that a CSR's self-signature verifies and that its text shows every
 * `expect` string; throws otherwise. Run once per implementation before timing, so that every
 * row of a table produces an equivalent, valid object.
 */
export function checkCsr(label: string, der: Uint8Array, expect: readonly string[]): void {
  const r = run(['req', '-inform', 'DER', '-noout', '-verify', '-text'], der);
  const missing = expect.filter((e) => !r.out.includes(e));
  if (!r.ok || !/self-signature ok|verify OK/i.test(r.out) || missing.length) {
    throw new Error(
      `${label}: the CSR does not check out with openssl (missing: ${missing.join(', ') || 'none'}):\n${r.out}`,
    );
  }
}

/** Checks with openssl that a certificate chains to `caPath` and shows every `expect` string. */
export function checkCert(label: string, der: Uint8Array, caPath: string, expect: readonly string[]): void {
  const pem = toPem('CERTIFICATE', der);
  const text = run(['x509', '-noout', '-text'], pem);
  const verify = run(['verify', '-CAfile', caPath], pem);
  const missing = expect.filter((e) => !text.out.includes(e));
  if (!text.ok || !verify.ok || missing.length) {
    throw new Error(
      `${label}: the certificate does not check out with openssl (missing: ${missing.join(', ') || 'none'}):\n${verify.out}\n${text.out}`,
    );
  }
}

/** A 3-certificate RSA chain (and a P-256 leaf under the same issuing CA), made by openssl. */
export interface RsaChain {
  dir: string;
  /** RSA-2048 root CA (self-signed), issuing CA (pathlen 0) and leaf (the fixtures' RSA key). */
  rootDer: Bytes;
  icaDer: Bytes;
  leafDer: Bytes;
  rootPemPath: string;
  icaPemPath: string;
  leafPemPath: string;
  /** PKCS #8 PEM keys: the issuing CA's, the RSA leaf's (= fixtures rsaKeyPem). */
  icaKeyPath: string;
  rsaLeafKeyPath: string;
  rsaLeafKeyPem: string;
  /** A leaf for the fixtures' P-256 key (`ecKeyPath`), issued by the same issuing CA. */
  ecLeafDer: Bytes;
  ecLeafPemPath: string;
  ecLeafKeyPath: string;
  ecLeafKeyPem: string;
  /** leaf, issuing CA, root (PEM, in that order) and the .p7b openssl makes of them. */
  chainPemPath: string;
  p7bDer: Bytes;
}

export const ROOT_SUBJECT_SLASH = '/C=FR/O=Contoso/CN=Contoso Root CA';
export const EC_LEAF_SUBJECT_SLASH = '/C=FR/O=Contoso/OU=Messaging/CN=exch02.contoso.com';

const ICA_EXT = `basicConstraints=critical,CA:TRUE,pathlen:0
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
crlDistributionPoints=URI:http://pki.contoso.com/CertEnroll/Contoso%20Root%20CA.crl
authorityInfoAccess=caIssuers;URI:http://pki.contoso.com/CertEnroll/root.crt
`;

let cachedChain: RsaChain | undefined;

/**
 * root (RSA-2048, self-signed) → issuing CA (RSA-2048) → leaf (RSA-2048, the fixtures' leaf
 * profile), plus a P-256 leaf from the same issuing CA; and the certs-only .p7b that
 * `openssl crl2pkcs7 -nocrl -certfile chain.pem -outform DER` writes for leaf, CA, root. All RSA
 * so that node-forge (RSA only) can read every certificate.
 */
export function makeRsaChain(): RsaChain {
  if (cachedChain) return cachedChain;
  const fx = makeFixtures();
  const dir = fx.dir;
  const p = (f: string) => join(dir, f);
  for (const k of ['root.key', 'ica.key'])
    openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', p(k)]);
  openssl([
    'req',
    '-x509',
    '-new',
    '-key',
    p('root.key'),
    '-subj',
    ROOT_SUBJECT_SLASH,
    '-days',
    '7300',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-out',
    p('root.pem'),
  ]);
  writeFileSync(p('ica.ext'), ICA_EXT);
  const issue = (csrKey: string, subj: string, out: string, ca: string, ext: string, serial: string) => {
    openssl(['req', '-new', '-key', csrKey, '-subj', subj, '-out', p(`${out}.csr`)]);
    openssl([
      'x509',
      '-req',
      '-in',
      p(`${out}.csr`),
      '-CA',
      p(`${ca}.pem`),
      '-CAkey',
      p(`${ca}.key`),
      '-set_serial',
      serial,
      '-days',
      '365',
      '-extfile',
      ext,
      '-out',
      p(`${out}.pem`),
    ]);
  };
  issue(p('ica.key'), CA_SUBJECT_SLASH, 'ica', 'root', p('ica.ext'), '0x1c0ffee0d15ea5e0123456789abcdef0');
  issue(
    fx.rsaKeyPath,
    LEAF_SUBJECT_SLASH,
    'rsa-leaf',
    'ica',
    fx.leafExtPath,
    '0x3a5f0c9b1d2e4f60718293a4b5c6d7e8',
  );
  issue(
    fx.ecKeyPath,
    EC_LEAF_SUBJECT_SLASH,
    'ec-leaf',
    'ica',
    fx.leafExtPath,
    '0x3a5f0c9b1d2e4f60718293a4b5c6d7e9',
  );
  for (const leaf of ['rsa-leaf', 'ec-leaf'])
    openssl(['verify', '-CAfile', p('root.pem'), '-untrusted', p('ica.pem'), p(`${leaf}.pem`)]);
  const pem = (f: string) => readFileSync(p(f), 'utf8');
  writeFileSync(p('chain.pem'), pem('rsa-leaf.pem') + pem('ica.pem') + pem('root.pem'));
  const certDer = (f: string) => pemToDer(pem(f).replace(/^[\s\S]*?(?=-----BEGIN CERTIFICATE)/, ''));
  cachedChain = {
    dir,
    rootDer: certDer('root.pem'),
    icaDer: certDer('ica.pem'),
    leafDer: certDer('rsa-leaf.pem'),
    rootPemPath: p('root.pem'),
    icaPemPath: p('ica.pem'),
    leafPemPath: p('rsa-leaf.pem'),
    icaKeyPath: p('ica.key'),
    rsaLeafKeyPath: fx.rsaKeyPath,
    rsaLeafKeyPem: fx.rsaKeyPem,
    ecLeafDer: certDer('ec-leaf.pem'),
    ecLeafPemPath: p('ec-leaf.pem'),
    ecLeafKeyPath: fx.ecKeyPath,
    ecLeafKeyPem: readFileSync(fx.ecKeyPath, 'utf8'),
    chainPemPath: p('chain.pem'),
    p7bDer: new Uint8Array(openssl(['crl2pkcs7', '-nocrl', '-certfile', p('chain.pem'), '-outform', 'DER'])),
  };
  return cachedChain;
}
