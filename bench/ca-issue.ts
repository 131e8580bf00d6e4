// ca-issue: the simulated CA issues a certificate from a P-256 PKCS #10 request, as certsrv does
// for `certreq -submit -attrib CertificateTemplate:WebServer`: decode the request, verify its
// signature, apply the WebServer template (subject and SAN from the request; SKI, AKI, CDP, AIA,
// template name, keyUsage, EKU, SAN), sign with the P-256 issuing CA, store the request row and
// the certificate. certlab = `createAuthority` + `ca.submit` over the memory store (the
// acceptance row), an embedded PGlite directory and a PostgreSQL server (same CA in all three);
// PKI.js + @peculiar/webcrypto does the same work: parse the request, verify it, build a
// certificate with byte-identical extensions, sign it, keep it in a Map.

import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CaSetup,
  type CertificationAuthority,
  createAuthority,
  createMemoryStore,
  openPgliteStore,
  openPostgresStore,
  type RequestStore,
} from '@certlab/ca-sim';
import { createCsr, generateKeyPair, parseCertificate, subjectAltName } from '@certlab/pki';
import {
  findPostgresBin,
  type PostgresServer,
  postgresUnavailable,
  startPostgres,
} from '../packages/ca-sim/test/support/postgres-server.js';
import { type Bytes, checkCert } from './fixtures.js';
import {
  type BenchModule,
  bench,
  fmtRatio,
  formatResult,
  type Impl,
  rowByLabel,
  writeJson,
} from './harness.js';
import { asn1js, bytesOf, LABEL, pkijs, pkijsExt, pkijsNode, pkijsPeculiar } from './peers.js';

const NAME = 'ca-issue';
const TARGET = 8;
const DAY = 86_400_000;
const CSR_COUNT = 32;
const CA = { name: 'Contoso Issuing CA', root: { name: 'Contoso Root CA' }, keyType: 'ec' as const };
const EC_IMPORT: EcKeyImportParams = { name: 'ECDSA', namedCurve: 'P-256' };
const OID = {
  ski: '2.5.29.14',
  aki: '2.5.29.35',
  cdp: '2.5.29.31',
  aia: '1.3.6.1.5.5.7.1.1',
  templateName: '1.3.6.1.4.1.311.20.2',
  keyUsage: '2.5.29.15',
  eku: '2.5.29.37',
  san: '2.5.29.17',
  extensionRequest: '1.2.840.113549.1.9.14',
};
const EXPECT = [
  'DNS:exch01.contoso.com, DNS:mail.contoso.com',
  'TLS Web Server Authentication',
  'Digital Signature, Key Encipherment',
  'X509v3 CRL Distribution Points',
  'Authority Information Access',
];

const pemOf = (label: string, der: Uint8Array) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END ${label}-----\n`;

/** P-256 requests, distinct keys, the same subject and SANs: no cache keyed by content can help. */
async function makeCsrs(n: number): Promise<Bytes[]> {
  const out: Bytes[] = [];
  for (let i = 0; i < n; i++) {
    const { privateKey } = await generateKeyPair({ type: 'ec', curve: 'P-256' });
    const csr = await createCsr({
      subject: 'CN=exch01.contoso.com, O=Contoso, C=FR',
      privateKey,
      extensions: [
        subjectAltName([
          { type: 'dns', value: 'exch01.contoso.com' },
          { type: 'dns', value: 'mail.contoso.com' },
        ]),
      ],
    });
    out.push(new Uint8Array(csr.der));
  }
  return out;
}

/** Reads the stored CA (certificates and keys) back from a store that has one. */
function storedSetup(store: RequestStore): Promise<CaSetup> {
  return store.initializeCa(async () => {
    throw new Error('the store has no CA');
  });
}

/**
 * PKI.js issuing from a request as the WebServer template does. Per-CA constants (the CA key,
 * its name and key identifier, the CDP, AIA and template name extension values) are prepared once;
 * everything that depends on the request is done per operation, as certlab does.
 */
async function pkijsIssuer(
  engine: pkijs.CryptoEngine,
  caKeyPkcs8: Bytes,
  caDer: Bytes,
  sample: Uint8Array,
): Promise<(csrDer: Bytes) => Promise<ArrayBuffer>> {
  const caKey = await engine.importKey('pkcs8', caKeyPkcs8, EC_IMPORT, false, ['sign']);
  const ca = new pkijs.Certificate({ schema: asn1js.fromBER(caDer).result });
  const caSki = (ca.extensions!.find((e) => e.extnID === OID.ski)!.parsedValue as asn1js.OctetString)
    .valueBlock.valueHexView;
  const caNotAfter = ca.notAfter.value.getTime();
  const caNotBefore = ca.notBefore.value.getTime();
  // CDP and AIA point at the CA's own URLs: constants of the CA, taken from a certlab certificate.
  const ref = new pkijs.Certificate({ schema: asn1js.fromBER(sample).result });
  const constant = (oid: string) => {
    const e = ref.extensions!.find((x) => x.extnID === oid)!;
    return new pkijs.Extension({
      extnID: oid,
      critical: e.critical,
      extnValue: e.extnValue.valueBlock.valueHexView.slice().buffer,
    });
  };
  const cdp = constant(OID.cdp);
  const aia = constant(OID.aia);
  const templateName = pkijsExt(OID.templateName, false, new asn1js.BmpString({ value: 'WebServer' }));
  const keyUsage = pkijsExt(
    OID.keyUsage,
    true,
    new asn1js.BitString({ valueHex: Uint8Array.of(0xa0), unusedBits: 5 }),
  );
  const eku = pkijsExt(OID.eku, false, new pkijs.ExtKeyUsage({ keyPurposes: ['1.3.6.1.5.5.7.3.1'] }));
  const aki = pkijsExt(
    OID.aki,
    false,
    new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: caSki }) }),
  );
  return async (csrDer) => {
    const req = new pkijs.CertificationRequest({ schema: asn1js.fromBER(csrDer).result });
    if (!(await req.verify(engine))) throw new Error('the request signature does not verify');
    if (req.subjectPublicKeyInfo.algorithm.algorithmId !== '1.2.840.10045.2.1')
      throw new Error('not an EC key');
    // The SANs the request asks for (WebServer honours them).
    const extAttr = req.attributes?.find((a) => a.type === OID.extensionRequest);
    const requested = extAttr ? new pkijs.Extensions({ schema: extAttr.values[0] }).extensions : [];
    const san = requested.find((e) => e.extnID === OID.san);
    const ski = new Uint8Array(
      await engine.digest(
        'SHA-1',
        new Uint8Array(req.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView),
      ),
    );
    const serial = crypto.getRandomValues(new Uint8Array(19));
    serial[0] = (serial[0]! & 0x7f) | 0x01;
    const now = Date.now();
    const cert = new pkijs.Certificate();
    cert.version = 2;
    cert.serialNumber = new asn1js.Integer({ valueHex: serial });
    cert.issuer = ca.subject;
    cert.subject = req.subject;
    cert.notBefore.value = new Date(Math.max(now - 10 * 60_000, caNotBefore));
    cert.notAfter.value = new Date(Math.min(now + 730 * DAY, caNotAfter));
    cert.subjectPublicKeyInfo = req.subjectPublicKeyInfo;
    cert.extensions = [
      pkijsExt(OID.ski, false, new asn1js.OctetString({ valueHex: ski })),
      aki,
      cdp,
      aia,
      templateName,
      keyUsage,
      eku,
      ...(san
        ? [
            new pkijs.Extension({
              extnID: OID.san,
              critical: false,
              extnValue: san.extnValue.valueBlock.valueHexView.slice().buffer,
            }),
          ]
        : []),
    ];
    await cert.sign(caKey, 'SHA-256', engine);
    return cert.toSchema().toBER(false);
  };
}

/** The extensions of a certificate as [oid, critical, value hex], for comparing two issuers. */
function extensionsOf(der: Uint8Array): string[] {
  const c = new pkijs.Certificate({ schema: asn1js.fromBER(der).result });
  return (c.extensions ?? []).map(
    (e) => `${e.extnID} ${e.critical} ${Buffer.from(e.extnValue.valueBlock.valueHexView).toString('hex')}`,
  );
}

const mod: BenchModule = {
  name: NAME,
  description: 'issue a certificate from a P-256 CSR (CA simulator, WebServer template) vs PKI.js',
  async run() {
    const dir = await mkdtemp(join(tmpdir(), 'certlab-bench-ca-'));
    const cleanups: (() => Promise<unknown>)[] = [() => rm(dir, { recursive: true, force: true })];
    try {
      const csrs = await makeCsrs(CSR_COUNT);
      let at = 0;
      const nextCsr = () => csrs[at++ % csrs.length]!;

      // certlab over the memory store: the acceptance row. The same CA is then put into the
      // PGlite and PostgreSQL stores, so that every certlab row signs with the same key.
      const memoryCa = await createAuthority({ ...CA, db: createMemoryStore() });
      cleanups.push(() => memoryCa.close());
      const setup = await storedSetup(memoryCa.store);
      const withSameCa = async (db: RequestStore): Promise<CertificationAuthority> => {
        await db.initializeCa(async () => setup);
        const ca = await createAuthority({ ...CA, db });
        cleanups.push(() => ca.close());
        return ca;
      };
      const issueWith = (ca: CertificationAuthority) => async () => {
        const r = await ca.submit(nextCsr(), { template: 'WebServer' });
        if (r.disposition !== 'issued') throw new Error(`${r.disposition}: ${r.message}`);
        return r.certificate!.der;
      };
      const ours: Record<string, Impl> = { memory: issueWith(memoryCa) };

      const pgliteCa = await withSameCa(await openPgliteStore({ dataDir: join(dir, 'pglite') }));
      ours.PGlite = issueWith(pgliteCa);

      const notes: string[] = [];
      let server: PostgresServer | undefined;
      const pgMissing = postgresUnavailable();
      if (pgMissing) {
        notes.push(`PostgreSQL: not measured (${pgMissing}).`);
      } else {
        server = await startPostgres({ durable: true });
        cleanups.push(() => server!.stop());
        const url = await server.createDatabase('certlab_bench');
        const pgCa = await withSameCa(await openPostgresStore({ connectionString: url }));
        ours.PostgreSQL = issueWith(pgCa);
        notes.push(
          `PostgreSQL: ${findPostgresBin()} started in a temp directory with its default durability (fsync, synchronous_commit on), reached over TCP on 127.0.0.1 through \`pg\`; one submission = BEGIN, nextval, 2 INSERTs, COMMIT.`,
        );
      }

      // PKI.js, with the same CA key and certificate.
      const issuing = setup.certificates.find((c) => c.authority === 'issuing')!;
      const root = setup.certificates.find((c) => c.authority === 'root')!;
      const chainPath = join(dir, 'chain.pem');
      writeFileSync(
        chainPath,
        pemOf('CERTIFICATE', issuing.certificate) + pemOf('CERTIFICATE', root.certificate),
      );
      const caKeyPkcs8 = new Uint8Array(issuing.privateKey) as Bytes;
      const caDer = new Uint8Array(issuing.certificate) as Bytes;
      const sample = await issueWith(memoryCa)();
      const store = new Map<number, ArrayBuffer>();
      let nextId = 1;
      const withStore = (issue: (csr: Bytes) => Promise<ArrayBuffer>) => async () => {
        const der = await issue(nextCsr());
        store.set(nextId++, der);
        return der;
      };
      const pkijsPec = withStore(await pkijsIssuer(pkijsPeculiar, caKeyPkcs8, caDer, sample));
      const pkijsNod = withStore(await pkijsIssuer(pkijsNode, caKeyPkcs8, caDer, sample));

      // Every row must issue an equivalent certificate that chains to the CA, and PKI.js's must
      // carry byte-identical extensions (same key → same SKI) and the same subject and issuer.
      const reference = extensionsOf(sample);
      for (const [label, fn] of [
        ...Object.entries(ours).map(([k, f]) => [`certlab (${k})`, f] as const),
        [LABEL.pkijsPeculiar, pkijsPec] as const,
        [LABEL.pkijsNode, pkijsNod] as const,
      ]) {
        at = 0;
        const der = bytesOf((await (typeof fn === 'function' ? fn : fn.fn)()) as ArrayBuffer | Uint8Array);
        checkCert(label, der, chainPath, EXPECT);
        const got = extensionsOf(der);
        const sameKeyRef = reference.map((e) => e.split(' ')[0]);
        if (JSON.stringify(got.map((e) => e.split(' ')[0])) !== JSON.stringify(sameKeyRef))
          throw new Error(
            `${label}: extensions ${got.map((e) => e.split(' ')[0])} ≠ certlab's ${sameKeyRef}`,
          );
        const c = parseCertificate(der);
        const s = parseCertificate(sample);
        if (c.subject.toString() !== s.subject.toString() || c.issuer.toString() !== s.issuer.toString())
          throw new Error(`${label}: subject/issuer differ from certlab's`);
      }
      // Byte-identical extensions for one request issued by both.
      at = 0;
      const a = extensionsOf(await issueWith(memoryCa)());
      at = 0;
      const b = extensionsOf(bytesOf(await pkijsPec()));
      if (JSON.stringify(a) !== JSON.stringify(b))
        throw new Error(`PKI.js extensions differ from certlab's:\n${a.join('\n')}\n---\n${b.join('\n')}`);

      const result = await bench(
        NAME,
        {
          ours,
          peers: { [LABEL.pkijsPeculiar]: pkijsPec, [LABEL.pkijsNode]: pkijsNod },
          notes: [
            `${CSR_COUNT} P-256 requests with distinct keys, used in turn by every row (subject CN=exch01.contoso.com,O=Contoso,C=FR; SAN 2 dNSNames), submitted as DER with the WebServer template; P-256 root → P-256 issuing CA.`,
            "certlab rows: `ca.submit(der, { template: 'WebServer' })`: decode, verify the request signature, policy module, sign, store the request row and the certificate in one transaction, return the parsed result. PGlite: a directory on disk (the CLI's default store).",
            'PKI.js rows: parse the request, verify its signature, read its SAN, build the certificate with byte-identical extensions (SKI, AKI, CDP, AIA, template name, keyUsage, EKU, SAN), sign with the same CA key, keep the DER in a Map. Per-CA constants (CDP/AIA/template extension values, CA key identifier and imported key) are prepared once outside the loop (certlab rebuilds its CDP and AIA per issuance, ~30 µs).',
            ...notes,
          ],
        },
        { rounds: 10, roundMs: 200 },
      );
      const r = rowByLabel(result, LABEL.pkijsPeculiar);
      const targets = [
        {
          benchmark: NAME,
          goal: `CA issue from a P-256 CSR (memory DB) ≥ ${TARGET}x ${LABEL.pkijsPeculiar}`,
          measured: fmtRatio(r.ratio!),
          met: r.ratio! >= TARGET,
        },
      ];
      writeJson(NAME, result);
      return { tables: [formatResult(result)], targets, data: result };
    } finally {
      for (const c of cleanups.reverse()) await c().catch(() => undefined);
    }
  },
};

export default mod;
