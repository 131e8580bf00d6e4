// A signing worker of {@link SigningPool}: decodes a request, runs the policy module (which
// verifies the request signature), builds and signs the certificate, and hands back plain data
// for the request row. The main thread keeps the request database, so request ids are taken
// there, in order. ECDSA runs in line through node:crypto (nodeInlineEcdsaProvider): this thread
// has nothing else to do while it waits.

import { parentPort, workerData } from 'node:worker_threads';
import { importPrivateKey, parseCertificate, setCryptoProvider } from '@certlab/pki';
import { issuerLocations } from './ca-certificates.js';
import { issueCertificate } from './issue-certificate.js';
import { nodeInlineEcdsaProvider } from './node-crypto-provider.js';
import { evaluatePolicy } from './policy-module.js';
import type {
  IssuerMaterial,
  SigningJob,
  SigningOutcome,
  SigningPoolInit,
  WorkerMessage,
  WorkerReply,
} from './signing-pool.js';
import type { CertificateTemplate } from './template.js';

setCryptoProvider(nodeInlineEcdsaProvider());

const init = workerData as SigningPoolInit;
const templates = new Map<string, CertificateTemplate>(init.templates.map((t) => [t.name.toLowerCase(), t]));
const editFlags = new Set(init.editFlags);

interface Issuer {
  readonly certificate: ReturnType<typeof parseCertificate>;
  readonly key: ReturnType<typeof importPrivateKey>;
  readonly loc: ReturnType<typeof issuerLocations>;
}
const issuers = new Map<number, Issuer>();
/** Every CA certificate generation, for the policy module's renewal check: rebuilt per issuer, not per job. */
let caCertificates: ReturnType<typeof parseCertificate>[] = [];

function addIssuer(m: IssuerMaterial): void {
  const key = importPrivateKey(m.privateKey);
  key.catch(() => undefined);
  issuers.set(m.certIndex, {
    certificate: parseCertificate(m.certificate),
    key,
    loc: issuerLocations(init.points, init.name, m.certIndex, m.keyIndex),
  });
  caCertificates = [...issuers.values()].map((x) => x.certificate);
}
for (const m of init.issuers) addIssuer(m);

async function run(job: SigningJob): Promise<SigningOutcome> {
  const decision = await evaluatePolicy({
    request: job.request,
    attributes: job.attributes,
    templates,
    editFlags,
    ...(job.requester ? { requester: job.requester } : {}),
    officerApproved: false,
    caCertificates,
    now: new Date(job.now),
    ...(job.signerRevoked ? { signerRevoked: true } : {}),
  });
  const base = {
    outcome: decision.outcome,
    // The main thread has the bytes it sent: only a re-encoded request travels back.
    ...(decision.der !== job.request ? { der: decision.der } : {}),
    message: decision.message,
    hresult: decision.hresult.code,
    ...(decision.template !== undefined ? { template: decision.template } : {}),
    ...(decision.subject !== undefined ? { subject: decision.subject } : {}),
  };
  if (decision.outcome !== 'issue') return base;
  const issuer = issuers.get(job.caCertIndex);
  if (!issuer) throw new Error(`The signing worker has no CA certificate ${job.caCertIndex}.`);
  const cert = await issueCertificate({
    template: decision.templateDefinition,
    subject: decision.subjectName,
    altNames: decision.altNames,
    publicKey: decision.publicKey,
    serialNumber: job.serialNumber,
    issuer: issuer.certificate,
    signingKey: await issuer.key,
    cdp: issuer.loc.cdp,
    aia: issuer.loc.aia,
    now: new Date(job.now),
    maxValidityDays: init.validityDays,
    clockSkewMinutes: init.clockSkewMinutes,
    extensions: decision.extensions,
    ...(decision.requestedNotAfter ? { requestedNotAfter: decision.requestedNotAfter } : {}),
  });
  return {
    ...base,
    certificate: {
      serialNumber: cert.serialNumber,
      certificate: cert.der,
      notBefore: cert.notBefore.getTime(),
      notAfter: cert.notAfter.getTime(),
    },
  };
}

// Answers finished during one turn of this thread's loop go back in one message.
let replies: WorkerReply['results'][number][] = [];
function reply(r: WorkerReply['results'][number]): void {
  if (replies.push(r) === 1)
    setImmediate(() => {
      const results = replies;
      replies = [];
      parentPort!.postMessage({ results } satisfies WorkerReply);
    });
}

parentPort!.on('message', (m: WorkerMessage) => {
  if (m.type === 'issuer') {
    addIssuer(m.issuer);
    return;
  }
  for (const { id, job } of m.jobs)
    run(job).then(
      (outcome) => reply({ id, outcome }),
      (e: unknown) => reply({ id, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }),
    );
});
