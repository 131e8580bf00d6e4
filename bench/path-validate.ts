// path-validate: validate a 3-certificate P-256 chain (root → issuing CA → leaf with SAN
// dNSName exch01.contoso.com and EKU serverAuth, made once with the openssl CLI) at a fixed time
// inside every validity period: the root is the trust anchor, the issuing CA an untrusted
// intermediate, the purpose serverAuth. Every implementation parses the three DER certificates
// inside each operation (no parsed object, imported key or decoded extension survives from one
// operation to the next), so per-object caches cannot make a row look faster than it is.

import { X509Certificate as NodeX509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type VerifyOptions, verifyCertificate } from '@certlab/pki';
import { type Bytes, openssl, pemToDer } from './fixtures.js';
import {
  type BenchModule,
  bench,
  fmtRatio,
  formatResult,
  rowByLabel,
  type Target,
  writeJson,
} from './harness.js';
import { asn1js, LABEL, nodeCrypto, pkijs, pkijsNode, pkijsPeculiar, x509 } from './peers.js';

const NAME = 'path-validate';
const HOST = 'exch01.contoso.com';
const ROOT_SUBJECT = '/C=FR/O=Contoso/CN=Contoso Root CA';
const ICA_SUBJECT = '/C=FR/O=Contoso/CN=Contoso Issuing CA 01';
const LEAF_SUBJECT = `/C=FR/O=Contoso/OU=Messaging/CN=${HOST}`;

const ICA_EXT = `basicConstraints=critical,CA:TRUE,pathlen:0
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
`;
const LEAF_EXT = `basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:${HOST}
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
`;

const LABELS = {
  pkijsPeculiar: `${LABEL.pkijsPeculiar} (ChainValidationEngine)`,
  pkijsNode: `${LABEL.pkijsNode} (ChainValidationEngine)`,
  node: 'node:crypto X509Certificate ×3 + verify ×2',
  nodeVerifyOnly: 'node:crypto verify ×2 only (pre-parsed)',
  x509: '@peculiar/x509 X509ChainBuilder (build only)',
} as const;

interface Chain {
  root: Bytes;
  ica: Bytes;
  leaf: Bytes;
}

/** root (self-signed) → issuing CA → leaf, all P-256 / ecdsa-with-SHA256, made by openssl. */
function makeChain(): Chain {
  const dir = mkdtempSync(join(tmpdir(), 'certlab-bench-path-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const p = (f: string) => join(dir, f);
  const key = (f: string) =>
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', p(f)]);
  key('root.key');
  key('ica.key');
  key('leaf.key');
  openssl([
    'req',
    '-x509',
    '-new',
    '-key',
    p('root.key'),
    '-subj',
    ROOT_SUBJECT,
    '-days',
    '3650',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-out',
    p('root.pem'),
  ]);
  writeFileSync(p('ica.ext'), ICA_EXT);
  writeFileSync(p('leaf.ext'), LEAF_EXT);
  const issue = (name: string, subj: string, ca: string, serial: string, days: string) => {
    openssl(['req', '-new', '-key', p(`${name}.key`), '-subj', subj, '-out', p(`${name}.csr`)]);
    openssl([
      'x509',
      '-req',
      '-in',
      p(`${name}.csr`),
      '-CA',
      p(`${ca}.pem`),
      '-CAkey',
      p(`${ca}.key`),
      '-set_serial',
      serial,
      '-days',
      days,
      '-extfile',
      p(`${name}.ext`),
      '-out',
      p(`${name}.pem`),
    ]);
  };
  issue('ica', ICA_SUBJECT, 'root', '0x1c0ffee0d15ea5e0123456789abcdef0', '1825');
  issue('leaf', LEAF_SUBJECT, 'ica', '0x3a5f0c9b1d2e4f60718293a4b5c6d7e8', '365');
  // openssl itself must accept the chain for the purpose and the host.
  openssl([
    'verify',
    '-CAfile',
    p('root.pem'),
    '-untrusted',
    p('ica.pem'),
    '-purpose',
    'sslserver',
    '-verify_hostname',
    HOST,
    p('leaf.pem'),
  ]);
  const der = (f: string) => pemToDer(readFileSync(p(f), 'utf8'));
  return { root: der('root.pem'), ica: der('ica.pem'), leaf: der('leaf.pem') };
}

const pkijsCert = (der: Bytes) => new pkijs.Certificate({ schema: asn1js.fromBER(der).result });

const mod: BenchModule = {
  name: NAME,
  description: 'validate a 3-certificate P-256 chain (root anchor, untrusted issuing CA, serverAuth leaf)',
  async run() {
    const chain = makeChain();
    const { root, ica, leaf } = chain;
    // A fixed validation time inside every validity period (the leaf's starts now, for 365 days).
    const TIME = new Date(Math.floor(Date.now() / 1000) * 1000 + 3_600_000);

    // --- certlab: DER in, parsed by verifyCertificate on every call ---------------------------
    const base: VerifyOptions = {
      trustAnchors: [root],
      intermediates: [ica],
      time: TIME,
      purpose: 'serverAuth',
    };
    const withHost: VerifyOptions = { ...base, host: HOST };
    const ours = (options: VerifyOptions) => async () => {
      const r = await verifyCertificate(leaf, options);
      if (!r.valid) throw new Error(`certlab: not valid: ${JSON.stringify(r.reasons)}`);
      return r;
    };

    // --- pkijs CertificateChainValidationEngine ------------------------------------------------
    // pkijs takes the *last* certificate of trustedCerts + certs as the end-entity, so the leaf
    // goes last: with certs [leaf, intermediate] it validates the intermediate instead.
    const pkijsValidate = (engine: pkijs.CryptoEngine) => async () => {
      const r = await new pkijs.CertificateChainValidationEngine({
        trustedCerts: [pkijsCert(root)],
        certs: [pkijsCert(ica), pkijsCert(leaf)],
        checkDate: TIME,
      }).verify({}, engine);
      if (!r.result) throw new Error(`pkijs: not valid: ${r.resultCode} ${r.resultMessage}`);
      return r;
    };

    // --- node:crypto: the two signature checks and nothing else ---------------------------------
    const nodeVerify = () => {
      const l = new NodeX509Certificate(leaf);
      const i = new NodeX509Certificate(ica);
      const r = new NodeX509Certificate(root);
      if (!(l.verify(i.publicKey) && i.verify(r.publicKey))) throw new Error('node:crypto: verify failed');
      return l;
    };
    const nl = new NodeX509Certificate(leaf);
    const ni = new NodeX509Certificate(ica);
    const nr = new NodeX509Certificate(root);
    const niKey = ni.publicKey;
    const nrKey = nr.publicKey;
    const nodeVerifyOnly = () => {
      if (!(nl.verify(niKey) && ni.verify(nrKey))) throw new Error('node:crypto: verify failed');
      return nl;
    };

    // --- @peculiar/x509 X509ChainBuilder (builds by signature; no validity/EKU/constraints) ---
    const x509Build = async () => {
      const builder = new x509.X509ChainBuilder({
        certificates: [new x509.X509Certificate(ica), new x509.X509Certificate(root)],
      });
      const built = await builder.build(new x509.X509Certificate(leaf), nodeCrypto);
      if (built.length !== 3) throw new Error(`@peculiar/x509: built ${built.length} certificates`);
      return built;
    };

    // --- equivalence checks before timing: every row accepts the chain, and rejects a broken one
    for (const [label, opts] of [
      ['serverAuth', base],
      ['serverAuth + host', withHost],
    ] as const) {
      const r = await verifyCertificate(leaf, opts);
      const subjects = r.path.map((c) => c.subject.toString());
      if (!r.valid || r.path.length !== 3 || !subjects[0]!.includes(`CN=${HOST}`)) {
        throw new Error(
          `certlab (${label}): ${JSON.stringify({ valid: r.valid, subjects, reasons: r.reasons })}`,
        );
      }
    }
    const wrongHost = await verifyCertificate(leaf, { ...base, host: 'www.contoso.com' });
    const late = await verifyCertificate(leaf, {
      ...base,
      time: new Date(TIME.getTime() + 400 * 86_400_000),
    });
    const noIca = await verifyCertificate(leaf, { ...base, intermediates: [] });
    if (wrongHost.valid || late.valid || noIca.valid) {
      throw new Error('certlab accepted a wrong host, an expired leaf or a chain without its intermediate');
    }
    for (const engine of [pkijsPeculiar, pkijsNode]) {
      const r = await pkijsValidate(engine)();
      const path = r.certificatePath ?? [];
      const first = path[0];
      if (
        path.length !== 3 ||
        !first ||
        Buffer.compare(Buffer.from(first.toSchema().toBER(false)), Buffer.from(leaf)) !== 0
      ) {
        throw new Error(`pkijs (${engine.name}): path of ${path.length}, not leaf → ica → root`);
      }
      const lateP = await new pkijs.CertificateChainValidationEngine({
        trustedCerts: [pkijsCert(root)],
        certs: [pkijsCert(ica), pkijsCert(leaf)],
        checkDate: new Date(TIME.getTime() + 400 * 86_400_000),
      })
        .verify({}, engine)
        .catch((e: unknown) => ({ result: false, e }));
      if (lateP.result) throw new Error('pkijs accepted an expired leaf');
    }
    nodeVerify();
    nodeVerifyOnly();
    if (new NodeX509Certificate(leaf).verify(nr.publicKey))
      throw new Error('node:crypto: leaf verified by root');
    await x509Build();

    const result = await bench(
      NAME,
      {
        ours: {
          serverAuth: ours(base),
          'serverAuth + host': ours(withHost),
        },
        peers: {
          [LABELS.pkijsPeculiar]: pkijsValidate(pkijsPeculiar),
          [LABELS.pkijsNode]: pkijsValidate(pkijsNode),
          [LABELS.node]: nodeVerify,
          [LABELS.nodeVerifyOnly]: {
            fn: nodeVerifyOnly,
            note: 'informational, not the target baseline: X509Certificate objects and issuer KeyObjects made once outside the loop, only the two verify calls are timed.',
          },
          [LABELS.x509]: {
            fn: x509Build,
            note: 'informational: builds the chain by signature (AKI/SKI match, then verify; also checks the root self-signature and computes SHA-1 thumbprints) and checks neither validity, EKU, basicConstraints nor key usage.',
          },
        },
        notes: [
          `Chain made once by openssl: root (self-signed) → issuing CA (pathlen 0) → leaf (CN=${HOST}, SAN dNSName ${HOST}, EKU serverAuth, KU digitalSignature); P-256 keys, ecdsa-with-SHA256; accepted by \`openssl verify -purpose sslserver -verify_hostname\`.`,
          'Parsing is inside every operation for every row (except the pre-parsed node row): certlab gets the three DERs and parses them in verifyCertificate; pkijs runs asn1js.fromBER + new Certificate ×3; node makes three X509Certificate objects. No parsed certificate, imported CryptoKey or decoded extension carries over between operations.',
          'certlab: verifyCertificate(leafDer, { trustAnchors: [rootDer], intermediates: [icaDer], time, purpose: "serverAuth" [, host] }): path building, two ECDSA verifications via Node WebCrypto (key import each time), RFC 5280 §6.1 validation (validity, basicConstraints, pathLen, key usage, name constraints, policies, critical extensions) and EKU; the "+ host" variant also matches the SAN. The peers are compared with the serverAuth variant (none of them checks a host name).',
          'pkijs CertificateChainValidationEngine (pkijs 4), crypto engine passed to verify(): builds the path (2 signature checks), checks validity at checkDate, name chaining, basicConstraints/keyUsage of CAs, policies and name constraints; no EKU, no host name. The leaf is given last in `certs` (pkijs treats the last certificate as the end-entity).',
          'node:crypto: two raw X509Certificate.verify(issuer.publicKey) calls (leaf by the issuing CA, issuing CA by the root): signatures only, no validity, EKU, constraints or path building.',
          `Validation time fixed at ${TIME.toISOString()}. Before timing, every row is checked to accept the chain; certlab is also checked to reject a wrong host, a time past the leaf's notAfter and a missing intermediate, pkijs to reject the late time, node to reject the leaf against the root key.`,
        ],
      },
      { rounds: 10, roundMs: 150 },
    );

    const oursRow = rowByLabel(result, 'certlab (serverAuth)');
    const oursHost = rowByLabel(result, 'certlab (serverAuth + host)');
    const ops = (n: number) => Math.round(n).toLocaleString('en-US');
    const pk = rowByLabel(result, LABELS.pkijsPeculiar);
    const pkn = rowByLabel(result, LABELS.pkijsNode);
    const nd = rowByLabel(result, LABELS.node);
    const ndOnly = rowByLabel(result, LABELS.nodeVerifyOnly);
    const hostRatio = (peer: typeof pk) => oursHost.opsPerSec / peer.opsPerSec;
    const targets: Target[] = [
      {
        benchmark: NAME,
        goal: `certlab ≥ 5× ${LABELS.pkijsPeculiar}`,
        measured: `${fmtRatio(pk.ratio!)} (${ops(oursRow.opsPerSec)} vs ${ops(pk.opsPerSec)} ops/s; with host ${fmtRatio(hostRatio(pk))})`,
        met: pk.ratio! >= 5,
      },
      {
        benchmark: NAME,
        goal: `certlab ≥ 5× ${LABELS.pkijsNode}`,
        measured: `${fmtRatio(pkn.ratio!)} (${ops(oursRow.opsPerSec)} vs ${ops(pkn.opsPerSec)} ops/s; with host ${fmtRatio(hostRatio(pkn))})`,
        met: pkn.ratio! >= 5,
      },
      {
        benchmark: NAME,
        goal: 'certlab ≥ 0.5× node:crypto (parse ×3 + verify ×2 per op)',
        measured: `${fmtRatio(nd.ratio!)} (${ops(oursRow.opsPerSec)} vs ${ops(nd.opsPerSec)} ops/s; with host ${fmtRatio(hostRatio(nd))})`,
        met: nd.ratio! >= 0.5,
      },
      {
        benchmark: NAME,
        goal: 'certlab ≥ 0.5× node:crypto verify ×2 on pre-parsed certificates (informational)',
        measured: `${fmtRatio(ndOnly.ratio!)} (${ops(oursRow.opsPerSec)} vs ${ops(ndOnly.opsPerSec)} ops/s)`,
        met: ndOnly.ratio! >= 0.5,
      },
    ];
    writeJson(NAME, result);
    return { tables: [formatResult(result)], targets, data: result };
  },
};

export default mod;
