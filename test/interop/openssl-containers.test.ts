// Certificate containers and CRLs, both ways between certlab and the OpenSSL CLI:
// - PKCS #7 certs-only bundles: `openssl crl2pkcs7` output read by us (PEM, DER, in order) and
//   written by us byte for byte the same; ours read by `openssl pkcs7 -print_certs`; streaming
//   BER from `openssl cms -sign -stream` read by us;
// - CRLs: ours shown by `openssl crl -text`, verified by `openssl crl -CAfile` and used by
//   `openssl verify -crl_check` (a revoked leaf is reported revoked); CRLs from `openssl ca
//   -gencrl` parsed with the fields OpenSSL prints and re-encoded byte for byte;
// - detectFormat on the files OpenSSL writes (every PEM label, DER, PKCS #12).

import { readFileSync, writeFileSync } from 'node:fs';
import {
  authorityKeyIdentifier,
  basicConstraints,
  type Certificate,
  createCertificate,
  importPrivateKey,
  keyUsage,
  parseCertificate,
  readCertificates,
} from '@certlab/pki';
import { beforeAll, expect, it } from 'vitest';
import {
  type Crl,
  createCrl,
  crlNumber,
  decodeIssuingDistributionPoint,
  issuingDistributionPoint,
  parseCrl,
} from '../../packages/pki/src/crl.js';
import { detectFormat, readPkiFile } from '../../packages/pki/src/detect.js';
import {
  createCertsOnlyPkcs7,
  encodePkcs7Pem,
  parsePkcs7,
  readPkcs7Certificates,
  readPkcs7Crls,
} from '../../packages/pki/src/pkcs7.js';
import { hex } from '../support/der.js';
import {
  KEY_TYPES,
  keyPair,
  LEAF_NOT_AFTER,
  NOT_BEFORE,
  ROOT_NOT_AFTER,
  VERIFY_AT,
  VERIFY_AT_EPOCH,
} from '../support/fixtures.js';
import { openssl, opensslBytes, opensslRun, parseOpensslDate, runOpenssl } from '../support/openssl.js';
import { makeTmpDir, useTmpDir } from '../support/tmp.js';
import { describeWithTool } from '../support/tools.js';

const EC = { type: 'ec', curve: 'P-256' } as const;
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');

interface Chain {
  root: Certificate;
  inter: Certificate;
  leaf: Certificate;
}

async function makeChain(slot = 0): Promise<Chain> {
  const rootKeys = await keyPair(EC, slot);
  const interKeys = await keyPair(EC, slot + 1);
  const leafKeys = await keyPair(EC, slot + 2);
  const root = await createCertificate({
    subject: 'CN=certlab Containers Root, O=Contoso, C=FR',
    publicKey: rootKeys.publicKey,
    signingKey: rootKeys.privateKey,
    notBefore: NOT_BEFORE,
    notAfter: ROOT_NOT_AFTER,
    extensions: [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])],
  });
  const inter = await createCertificate({
    subject: 'CN=certlab Containers Issuing CA with a longer name, O=Contoso, C=FR',
    publicKey: interKeys.publicKey,
    signingKey: rootKeys.privateKey,
    issuer: root,
    notBefore: NOT_BEFORE,
    notAfter: ROOT_NOT_AFTER,
    extensions: [basicConstraints({ ca: true, pathLength: 0 }), keyUsage(['keyCertSign', 'cRLSign'])],
  });
  const leaf = await createCertificate({
    subject: 'CN=exch01.contoso.com, O=Contoso, C=FR',
    publicKey: leafKeys.publicKey,
    signingKey: interKeys.privateKey,
    issuer: inter,
    notBefore: NOT_BEFORE,
    notAfter: LEAF_NOT_AFTER,
    extensions: [basicConstraints({ ca: false }), keyUsage(['digitalSignature'])],
  });
  return { root, inter, leaf };
}

/** The certificates `openssl pkcs7 -print_certs` prints, parsed, in its order. */
function opensslPrintCerts(path: string, inform: 'DER' | 'PEM'): Certificate[] {
  const out = openssl(['pkcs7', '-inform', inform, '-in', path, '-print_certs']);
  return readCertificates(out);
}

const ders = (cs: Certificate[]) => cs.map((c) => hex(c.der));

// --------------------------------------------------------------------------------------------

describeWithTool('openssl', 'PKCS #7 certs-only bundles: certlab ↔ OpenSSL', () => {
  const tmp = useTmpDir('certlab-p7-');
  let chain: Chain;
  let order: Certificate[];

  beforeAll(async () => {
    chain = await makeChain();
    order = [chain.leaf, chain.inter, chain.root];
  });

  it('reads `openssl crl2pkcs7 -nocrl` output (PEM and DER) in order, and writes the same bytes', () => {
    const chainPem = tmp.write('chain.pem', order.map((c) => c.toPem()).join(''));
    const pem = openssl(['crl2pkcs7', '-nocrl', '-certfile', chainPem]);
    const der = opensslBytes(['crl2pkcs7', '-nocrl', '-certfile', chainPem, '-outform', 'DER']);
    expect(pem).toContain('-----BEGIN PKCS7-----');
    expect(ders(readPkcs7Certificates(pem))).toEqual(ders(order));
    expect(ders(readPkcs7Certificates(der))).toEqual(ders(order));
    const p7 = parsePkcs7(der);
    expect([p7.version, p7.isCertsOnly, p7.signerCount, p7.crls.length]).toEqual([1, true, 0, 0]);
    // OpenSSL keeps the order given; so do we by default, and the bytes agree.
    expect(hex(createCertsOnlyPkcs7(order))).toBe(hex(der));
    expect(encodePkcs7Pem(der)).toBe(pem);
    const d = detectFormat(der);
    expect([d.kind, d.encoding]).toEqual(['pkcs7', 'der']);
    expect(detectFormat(pem).kind).toBe('pkcs7');
  });

  it('`openssl pkcs7 -print_certs` reads our .p7b (DER and PEM, both orders) with the same certificates', () => {
    for (const ord of ['given', 'der'] as const) {
      const der = createCertsOnlyPkcs7(order, { order: ord });
      const expected = readPkcs7Certificates(der);
      if (ord === 'given') expect(ders(expected)).toEqual(ders(order));
      const derPath = tmp.write(`ours-${ord}.p7b`, der);
      const pemPath = tmp.write(`ours-${ord}.p7b.pem`, encodePkcs7Pem(der));
      const crlfPath = tmp.write(`certnew-${ord}.p7b`, encodePkcs7Pem(der, { eol: '\r\n' }));
      expect(ders(opensslPrintCerts(derPath, 'DER'))).toEqual(ders(expected));
      expect(ders(opensslPrintCerts(pemPath, 'PEM'))).toEqual(ders(expected));
      expect(ders(opensslPrintCerts(crlfPath, 'PEM'))).toEqual(ders(expected));
    }
  });

  it('round-trips CRLs through `openssl crl2pkcs7 -in crl` and `openssl pkcs7 -print_certs`', async () => {
    const interKeys = await keyPair(EC, 1);
    const crl = await createCrl({
      issuer: chain.inter,
      signingKey: interKeys.privateKey,
      crlNumber: 12,
      thisUpdate: NOT_BEFORE,
      entries: [{ serialNumber: '5A', revocationDate: NOT_BEFORE, reason: 'superseded' }],
    });
    const crlPath = tmp.write('bundle.crl', crl.toPem());
    const chainPem = tmp.write('chain2.pem', order.map((c) => c.toPem()).join(''));
    const theirs = opensslBytes(['crl2pkcs7', '-in', crlPath, '-certfile', chainPem, '-outform', 'DER']);
    expect(readPkcs7Crls(theirs).map((c) => hex(c.der))).toEqual([hex(crl.der)]);
    expect(ders(readPkcs7Certificates(theirs))).toEqual(ders(order));
    expect(hex(createCertsOnlyPkcs7(order, { crls: [crl] }))).toBe(hex(theirs));
    const oursPath = tmp.write('bundle.p7b', createCertsOnlyPkcs7(order, { crls: [crl] }));
    const printed = openssl(['pkcs7', '-inform', 'DER', '-in', oursPath, '-print_certs']);
    expect(printed).toContain('-----BEGIN X509 CRL-----');
    const f = await readPkiFile(printed);
    expect(f.kind).toBe('certificate');
    expect(f.others.map((o) => o.kind)).toEqual(['crl']);
    expect(hex(f.others[0]!.der)).toBe(hex(crl.der));
  });

  it('reads the indefinite-length BER of `openssl cms -sign -stream`', async () => {
    const leafKeys = await keyPair(EC, 2);
    const keyPath = tmp.write('leaf.key', await leafKeys.privateKey.toPem());
    const leafPath = tmp.write('leaf.pem', chain.leaf.toPem());
    const caPath = tmp.write('cas.pem', chain.inter.toPem() + chain.root.toPem());
    const msgPath = tmp.write('msg.txt', 'hello certlab\n');
    const out = tmp.file('signed.p7m');
    openssl([
      'cms',
      '-sign',
      '-stream',
      '-binary',
      '-nodetach',
      '-in',
      msgPath,
      '-signer',
      leafPath,
      '-inkey',
      keyPath,
      '-certfile',
      caPath,
      '-outform',
      'DER',
      '-out',
      out,
    ]);
    const ber = new Uint8Array(readFileSync(out));
    expect(ber[1]).toBe(0x80); // indefinite length: really BER
    const p7 = parsePkcs7(ber);
    expect(p7.signerCount).toBe(1);
    expect(p7.isCertsOnly).toBe(false);
    expect(new TextDecoder().decode(p7.content)).toBe('hello certlab\n');
    // OpenSSL's CMS code sorts the set (DER SET OF): compare as sets.
    expect(ders(p7.certificates).sort()).toEqual(ders(order).sort());
    expect(detectFormat(ber).kind).toBe('pkcs7');
    const f = await readPkiFile(ber);
    expect(f.kind === 'pkcs7' && f.certificates.length).toBe(3);
  });
});

// --------------------------------------------------------------------------------------------

const THIS_UPDATE = new Date(Date.UTC(2026, 4, 1, 0, 0, 0));
const NEXT_UPDATE = new Date(Date.UTC(2026, 6, 1, 0, 0, 0));

describeWithTool('openssl', 'CRLs: certlab → OpenSSL', () => {
  const tmp = useTmpDir('certlab-crl-');

  for (const { label, spec } of KEY_TYPES) {
    it(`openssl crl shows and verifies our CRL, and openssl verify -crl_check rejects the revoked leaf (${label})`, async () => {
      const caKeys = await keyPair(spec, 10);
      const leafKeys = await keyPair(EC, 11);
      const ca = await createCertificate({
        subject: `CN=certlab CRL CA ${label}, O=Contoso, C=FR`,
        publicKey: caKeys.publicKey,
        signingKey: caKeys.privateKey,
        notBefore: NOT_BEFORE,
        notAfter: ROOT_NOT_AFTER,
        extensions: [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])],
      });
      const mkLeaf = (serial: string) =>
        createCertificate({
          subject: `CN=leaf ${serial}`,
          publicKey: leafKeys.publicKey,
          signingKey: caKeys.privateKey,
          issuer: ca,
          serialNumber: serial,
          notBefore: NOT_BEFORE,
          notAfter: LEAF_NOT_AFTER,
          extensions: [keyUsage(['digitalSignature'])],
        });
      const revoked = await mkLeaf('1A2B3C');
      const good = await mkLeaf('1A2B3D');
      const crl = await createCrl({
        issuer: ca,
        signingKey: caKeys.privateKey,
        thisUpdate: THIS_UPDATE,
        nextUpdate: NEXT_UPDATE,
        crlNumber: 4242n,
        entries: [
          {
            serialNumber: revoked.serialNumber,
            revocationDate: new Date(Date.UTC(2026, 3, 15, 12, 0, 0)),
            reason: 'keyCompromise',
            invalidityDate: new Date(Date.UTC(2026, 3, 10, 8, 30, 0)),
          },
          {
            serialNumber: 'C0FFEE',
            revocationDate: new Date(Date.UTC(2026, 3, 16)),
            reason: 'cessationOfOperation',
          },
        ],
      });
      const dir = slug(label);
      const caPath = tmp.write(`${dir}-ca.pem`, ca.toPem());
      const crlPath = tmp.write(`${dir}.crl`, crl.toPem());
      const crlDerPath = tmp.write(`${dir}.crl.der`, crl.der);

      const text = openssl(['crl', '-in', crlDerPath, '-inform', 'DER', '-noout', '-text']);
      expect(text).toContain('Version 2 (0x1)');
      expect(text).toMatch(/X509v3 CRL Number:\s*\n\s*4242\n/);
      expect(text).toMatch(/X509v3 Authority Key Identifier:\s*\n\s*[0-9A-F:]+/);
      expect(text).toMatch(/Serial Number: 1A2B3C\s*\n\s*Revocation Date: Apr 15 12:00:00 2026 GMT/);
      expect(text).toMatch(/X509v3 CRL Reason Code:\s*\n\s*Key Compromise/);
      expect(text).toMatch(/Invalidity Date:\s*\n\s*Apr 10 08:30:00 2026 GMT/);
      expect(text).toMatch(/Serial Number: C0FFEE[\s\S]*Cessation Of Operation/);
      const fields = openssl([
        'crl',
        '-in',
        crlPath,
        '-noout',
        '-issuer',
        '-lastupdate',
        '-nextupdate',
        '-crlnumber',
        '-nameopt',
        'RFC2253',
      ]);
      expect(fields).toContain(`issuer=${ca.subject.toString()}`);
      expect(fields).toContain('crlNumber=0x1092');
      const line = (k: string) => /=(.*)$/.exec(fields.split('\n').find((l) => l.startsWith(`${k}=`))!)![1]!;
      expect(parseOpensslDate(line('lastUpdate')).toISOString()).toBe(THIS_UPDATE.toISOString());
      expect(parseOpensslDate(line('nextUpdate')).toISOString()).toBe(NEXT_UPDATE.toISOString());

      const sig = opensslRun(['crl', '-in', crlPath, '-noout', '-CAfile', caPath]);
      expect(`${sig.stdout}${sig.stderr}`).toContain('verify OK');

      const revokedPath = tmp.write(`${dir}-revoked.pem`, revoked.toPem());
      const goodPath = tmp.write(`${dir}-good.pem`, good.toPem());
      const bad = runOpenssl([
        'verify',
        '-attime',
        VERIFY_AT_EPOCH,
        '-crl_check',
        '-CAfile',
        caPath,
        '-CRLfile',
        crlPath,
        revokedPath,
      ]);
      expect(bad.status).not.toBe(0);
      expect(`${bad.stdout}${bad.stderr}`).toContain('certificate revoked');
      const ok = runOpenssl([
        'verify',
        '-attime',
        VERIFY_AT_EPOCH,
        '-crl_check',
        '-CAfile',
        caPath,
        '-CRLfile',
        crlPath,
        goodPath,
      ]);
      expect(`${ok.stdout}${ok.stderr}`).toContain(': OK');
      expect(ok.status).toBe(0);
      expect(VERIFY_AT.getTime()).toBeGreaterThan(THIS_UPDATE.getTime());
    });
  }

  it('openssl crl -text shows delta CRLs, IDP and freshestCRL as we wrote them', async () => {
    const caKeys = await keyPair(EC, 10);
    const ca = await createCertificate({
      subject: 'CN=certlab Delta CA',
      publicKey: caKeys.publicKey,
      signingKey: caKeys.privateKey,
      notBefore: NOT_BEFORE,
      notAfter: ROOT_NOT_AFTER,
      extensions: [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])],
    });
    const crl = await createCrl({
      issuer: ca,
      signingKey: caKeys.privateKey,
      thisUpdate: THIS_UPDATE,
      nextUpdate: NEXT_UPDATE,
      crlNumber: 8,
      deltaCrlIndicator: 7,
      issuingDistributionPoint: {
        fullName: [{ type: 'uri', value: 'http://pki.contoso.com/CertEnroll/ca+.crl' }],
        onlyContainsUserCerts: true,
        onlySomeReasons: ['keyCompromise', 'superseded'],
      },
      freshestCrl: [{ fullName: [{ type: 'uri', value: 'http://pki.contoso.com/CertEnroll/ca+.crl' }] }],
      entries: [{ serialNumber: '42', revocationDate: THIS_UPDATE, reason: 'removeFromCRL' }],
    });
    const text = openssl(['crl', '-inform', 'DER', '-noout', '-text'], { input: crl.der });
    expect(text).toMatch(/X509v3 Delta CRL Indicator: critical\s*\n\s*7\n/);
    expect(text).toMatch(/X509v3 Issuing Distribution Point: critical/);
    expect(text).toContain('URI:http://pki.contoso.com/CertEnroll/ca+.crl');
    expect(text).toContain('Only User Certificates');
    expect(text).toMatch(/Only Some Reasons:\s*\n\s*Key Compromise, Superseded/);
    expect(text).toMatch(/X509v3 Freshest CRL:/);
    expect(text).toContain('Remove From CRL');
  });
});

// --------------------------------------------------------------------------------------------

const CA_CNF = `[ ca ]
default_ca = CA_default
[ CA_default ]
dir = .
database = ./index.txt
crlnumber = ./crlnumber
default_md = sha256
default_crl_days = 30
crl_extensions = crl_ext
[ crl_ext ]
authorityKeyIdentifier = keyid:always
issuingDistributionPoint = critical, @idp
[ idp ]
fullname = URI:http://pki.example/ca.crl
onlyuser = TRUE
`;

describeWithTool('openssl', 'CRLs: OpenSSL (`openssl ca -gencrl`) → certlab', () => {
  let dir: ReturnType<typeof makeTmpDir>;
  let crlDer: Uint8Array;
  let crl: Crl;
  let caCert: Certificate;
  let text: string;
  const serials = ['1A2B3C', '00C0FFEE', '7F'];

  beforeAll(() => {
    dir = makeTmpDir('certlab-openssl-ca-');
    const run = (args: string[]) => openssl(args, { cwd: dir.path });
    dir.write('index.txt', '');
    dir.write('crlnumber', '1000\n');
    dir.write('ca.cnf', CA_CNF);
    run([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'ca.key',
      '-subj',
      '/C=FR/O=Contoso/CN=OpenSSL Test CA',
      '-days',
      '30',
      '-out',
      'ca.pem',
      '-addext',
      'subjectKeyIdentifier=hash',
    ]);
    run([
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'leaf.key',
      '-subj',
      '/CN=leaf',
      '-out',
      'leaf.csr',
    ]);
    for (const s of serials)
      run([
        'x509',
        '-req',
        '-in',
        'leaf.csr',
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-set_serial',
        `0x${s}`,
        '-days',
        '5',
        '-out',
        `leaf-${s}.pem`,
      ]);
    const ca = ['ca', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key'];
    run([
      ...ca,
      '-revoke',
      `leaf-${serials[0]}.pem`,
      '-crl_reason',
      'keyCompromise',
      '-crl_compromise',
      '20260101120000Z',
    ]);
    run([...ca, '-revoke', `leaf-${serials[1]}.pem`, '-crl_reason', 'superseded']);
    run([...ca, '-revoke', `leaf-${serials[2]}.pem`]);
    run([...ca, '-gencrl', '-out', 'crl.pem']);
    crlDer = opensslBytes(['crl', '-in', dir.file('crl.pem'), '-outform', 'DER']);
    text = run(['crl', '-in', 'crl.pem', '-noout', '-text']);
    crl = parseCrl(crlDer);
    caCert = readCertificates(readFileSync(dir.file('ca.pem'), 'utf8'))[0]!;
    return () => dir.remove();
  });

  it('parses the fields OpenSSL prints', async () => {
    expect(crl.version).toBe(2);
    expect(crl.issuer.equals(caCert.subject)).toBe(true);
    expect(crl.crlNumber).toBe(0x1000n);
    expect(text).toMatch(/X509v3 CRL Number:\s*\n\s*4096/);
    const fields = openssl(['crl', '-in', dir.file('crl.pem'), '-noout', '-lastupdate', '-nextupdate']);
    const line = (k: string) => /=(.*)$/.exec(fields.split('\n').find((l) => l.startsWith(`${k}=`))!)![1]!;
    expect(crl.thisUpdate.toISOString()).toBe(parseOpensslDate(line('lastUpdate')).toISOString());
    expect(crl.nextUpdate?.toISOString()).toBe(parseOpensslDate(line('nextUpdate')).toISOString());
    expect(hex(crl.authorityKeyIdentifier!.keyIdentifier!)).toBe(hex(caCert.subjectKeyIdentifier!));
    expect(crl.issuingDistributionPoint).toEqual({
      fullName: [{ type: 'uri', value: 'http://pki.example/ca.crl' }],
      onlyContainsUserCerts: true,
    });
    expect(crl.getExtension('2.5.29.28')?.critical).toBe(true);
    // OpenSSL sorts the entries by serial number (X509_CRL_sort).
    const entries = [...crl.entries];
    expect(entries.map((e) => e.serialNumber)).toEqual(['7F', '1A2B3C', '00C0FFEE']);
    expect(entries.map((e) => e.reason)).toEqual([undefined, 'keyCompromise', 'superseded']);
    expect(entries[1]!.invalidityDate?.toISOString()).toBe('2026-01-01T12:00:00.000Z');
    expect(entries[0]!.extensions).toEqual([]);
    const printedDates = [...text.matchAll(/Revocation Date: (.+)\n/g)].map((m) =>
      parseOpensslDate(m[1]!).toISOString(),
    );
    expect(entries.map((e) => e.revocationDate.toISOString())).toEqual(printedDates);
    for (const s of serials) {
      const cert = parseCertificate(
        readCertificates(readFileSync(dir.file(`leaf-${s}.pem`), 'utf8'))[0]!.der,
      );
      expect(crl.lookup(cert)?.serialNumber).toBe(s);
    }
    expect(await crl.verifySignature(caCert)).toBe(true);
    const d = detectFormat(readFileSync(dir.file('crl.pem')));
    expect([d.kind, d.encoding]).toEqual(['crl', 'pem']);
  });

  it('re-encodes byte for byte: extension values and the whole TBSCertList', async () => {
    const aki = authorityKeyIdentifier({ keyIdentifier: crl.authorityKeyIdentifier!.keyIdentifier! });
    const idp = issuingDistributionPoint(
      decodeIssuingDistributionPoint(crl.getExtension('2.5.29.28')!.value),
    );
    const num = crlNumber(crl.crlNumber!);
    expect(crl.extensions.map((e) => [e.oid, e.critical, hex(e.value)])).toEqual(
      [aki, idp, num].map((e) => [e.oid, e.critical, hex(e.value)]),
    );
    const signingKey = await importPrivateKey(readFileSync(dir.file('ca.key'), 'utf8'));
    const ours = await createCrl({
      issuer: caCert,
      signingKey,
      thisUpdate: crl.thisUpdate,
      nextUpdate: crl.nextUpdate!,
      crlNumber: crl.crlNumber!,
      // OpenSSL writes its crl_extensions first, then cRLNumber: `extensions` places ours the same way.
      extensions: [aki, idp, num],
      entries: [...crl.entries].map((e) => ({
        serialNumber: e.serialNumberBigInt,
        revocationDate: e.revocationDate,
        ...(e.reason ? { reason: e.reason } : {}),
        ...(e.invalidityDate ? { invalidityDate: e.invalidityDate } : {}),
      })),
    });
    expect(hex(ours.tbs)).toBe(hex(crl.tbs));
    // And OpenSSL accepts ours, signed by the same key.
    const p = dir.write('ours.crl', ours.toPem());
    const v = opensslRun(['crl', '-in', p, '-noout', '-CAfile', dir.file('ca.pem')]);
    expect(`${v.stdout}${v.stderr}`).toContain('verify OK');
  });
});

// --------------------------------------------------------------------------------------------

describeWithTool('openssl', 'detectFormat on the files OpenSSL writes', () => {
  const tmp = useTmpDir('certlab-detect-');

  it('recognises each PEM label, DER form and PKCS #12', async () => {
    const run = (args: string[]) => openssl(args, { cwd: tmp.path });
    run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'ec.pem']);
    run(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'rsa.pem']);
    run(['pkey', '-in', 'ec.pem', '-traditional', '-out', 'ec-trad.pem']);
    run(['pkey', '-in', 'rsa.pem', '-traditional', '-out', 'rsa-trad.pem']);
    run([
      'pkcs8',
      '-topk8',
      '-in',
      'ec.pem',
      '-v2',
      'aes-256-cbc',
      '-passout',
      'pass:s3cret',
      '-out',
      'ec-enc.pem',
    ]);
    run([
      'pkcs8',
      '-topk8',
      '-in',
      'ec.pem',
      '-v2',
      'aes-256-cbc',
      '-passout',
      'pass:s3cret',
      '-outform',
      'DER',
      '-out',
      'ec-enc.der',
    ]);
    run(['pkcs8', '-topk8', '-nocrypt', '-in', 'ec.pem', '-outform', 'DER', '-out', 'ec.der']);
    // `openssl pkey -outform DER` writes the traditional form (SEC 1 for EC).
    run(['pkey', '-in', 'ec.pem', '-outform', 'DER', '-out', 'ec-trad.der']);
    run(['pkey', '-in', 'rsa.pem', '-pubout', '-out', 'rsa-pub.pem']);
    run(['rsa', '-in', 'rsa.pem', '-RSAPublicKey_out', '-out', 'rsa-pub-pkcs1.pem']);
    run(['ecparam', '-name', 'prime256v1', '-genkey', '-out', 'ecparam-key.pem']);
    run(['req', '-new', '-key', 'rsa.pem', '-subj', '/CN=detect', '-out', 'req.pem']);
    run(['req', '-new', '-key', 'rsa.pem', '-subj', '/CN=detect', '-outform', 'DER', '-out', 'req.der']);
    run(['req', '-x509', '-key', 'ec.pem', '-subj', '/CN=detect', '-days', '2', '-out', 'cert.pem']);
    run(['x509', '-in', 'cert.pem', '-outform', 'DER', '-out', 'cert.der']);
    run(['x509', '-in', 'cert.pem', '-trustout', '-addtrust', 'serverAuth', '-out', 'trusted.pem']);
    run(['crl2pkcs7', '-nocrl', '-certfile', 'cert.pem', '-out', 'cert.p7b']);
    run([
      'pkcs12',
      '-export',
      '-in',
      'cert.pem',
      '-inkey',
      'ec.pem',
      '-passout',
      'pass:s3cret',
      '-out',
      'cert.p12',
    ]);
    const expected: [string, string, string, string?][] = [
      ['ec.pem', 'private-key', 'pem', 'pkcs8'],
      ['ec.der', 'private-key', 'der', 'pkcs8'],
      ['ec-trad.pem', 'private-key', 'pem', 'sec1'],
      ['ec-trad.der', 'private-key', 'der', 'sec1'],
      ['rsa-trad.pem', 'private-key', 'pem', 'pkcs1'],
      ['ec-enc.pem', 'private-key', 'pem', 'encrypted-pkcs8'],
      ['ec-enc.der', 'private-key', 'der', 'encrypted-pkcs8'],
      ['rsa-pub.pem', 'public-key', 'pem', 'spki'],
      ['rsa-pub-pkcs1.pem', 'public-key', 'pem', 'pkcs1'],
      ['ecparam-key.pem', 'private-key', 'pem', 'sec1'],
      ['req.pem', 'csr', 'pem'],
      ['req.der', 'csr', 'der'],
      ['cert.pem', 'certificate', 'pem'],
      ['cert.der', 'certificate', 'der'],
      ['trusted.pem', 'certificate', 'pem'],
      ['cert.p7b', 'pkcs7', 'pem'],
      ['cert.p12', 'pkcs12', 'der'],
    ];
    for (const [file, kind, encoding, keyFormat] of expected) {
      const d = detectFormat(new Uint8Array(readFileSync(tmp.file(file))));
      expect([file, d.kind, d.encoding]).toEqual([file, kind, encoding]);
      if (keyFormat) expect([file, d.objects[0]!.keyFormat]).toEqual([file, keyFormat]);
    }
    const enc = await readPkiFile(readFileSync(tmp.file('ec-enc.der')), { password: 's3cret' });
    expect(enc.kind === 'private-key' && enc.privateKey?.type).toBe('ec');
    const trad = await readPkiFile(readFileSync(tmp.file('ecparam-key.pem'), 'utf8'), { importKey: true });
    expect(trad.kind === 'private-key' && trad.privateKey?.curve).toBe('P-256');
    const trusted = await readPkiFile(readFileSync(tmp.file('trusted.pem'), 'utf8'));
    expect(trusted.kind === 'certificate' && hex(trusted.certificates[0]!.der)).toBe(
      hex(new Uint8Array(readFileSync(tmp.file('cert.der')))),
    );
    const pub = await readPkiFile(readFileSync(tmp.file('rsa-pub-pkcs1.pem')));
    expect(pub.kind === 'public-key' && pub.publicKey.bits).toBe(2048);
    const pfx = await readPkiFile(readFileSync(tmp.file('cert.p12')), { password: 's3cret' });
    expect(pfx.kind === 'pkcs12' && hex(pfx.contents!.certificate!.der)).toBe(
      hex(new Uint8Array(readFileSync(tmp.file('cert.der')))),
    );
    // certsrv serves certnew.p7b as Base64 without armour or under the CERTIFICATE label, CRLF.
    const p7 = readPkcs7Certificates(readFileSync(tmp.file('cert.p7b'), 'utf8'));
    const der = createCertsOnlyPkcs7(p7);
    writeFileSync(tmp.file('certnew.p7b'), encodePkcs7Pem(der, { label: 'CERTIFICATE', eol: '\r\n' }));
    expect(detectFormat(readFileSync(tmp.file('certnew.p7b'))).kind).toBe('pkcs7');
    expect(ders(opensslPrintCerts(tmp.file('certnew.p7b'), 'PEM'))).toEqual(ders(p7));
  });

  it('explains files OpenSSL writes that are not certificate files', () => {
    const run = (args: string[]) => openssl(args, { cwd: tmp.path });
    run(['ecparam', '-name', 'prime256v1', '-out', 'params.pem']);
    expect(() => detectFormat(readFileSync(tmp.file('params.pem')))).toThrow(
      expect.objectContaining({ code: 'ERR_PKI_FORMAT_UNKNOWN' }),
    );
    run([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'k.pem',
      '-subj',
      '/CN=x',
      '-out',
      'c.pem',
    ]);
    run(['cms', '-encrypt', '-in', 'c.pem', '-recip', 'c.pem', '-outform', 'DER', '-out', 'enc.cms']);
    expect(() => detectFormat(readFileSync(tmp.file('enc.cms')))).toThrow(/envelopedData/);
  });
});
