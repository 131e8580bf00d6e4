// The CRLs of one `lab check` are read and parsed once: the status of every candidate
// certificate and both sides of the handshake ask for the same CDP URLs. The cache is the
// check's own, so the next check reads the CertEnroll files again (the trainee may have
// republished them in between).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Certificate } from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  certificateStatus,
  checkLab,
  createCrlCache,
  type LabSession,
  openLabSession,
  runLab,
} from '../src/index.js';

const ISSUING_CRL = 'http://ca01.contoso.com/CertEnroll/Contoso%20Issuing%20CA.crl';
const ROOT_CRL = 'http://ca01.contoso.com/CertEnroll/Contoso%20Root%20CA.crl';
// The issuing CA's delta CRL, which its base CRL announces (Freshest CRL); the root publishes none.
const ISSUING_DELTA = 'http://ca01.contoso.com/CertEnroll/Contoso%20Issuing%20CA+.crl';

let dir: string;
let lab: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certlab-crl-cache-'));
  lab = join(dir, 'lab');
  await runLab({ exchange: '2010', dir: lab });
  // A second CA-issued certificate in EX01's LocalMachine\My (Lync's, without its key): the
  // check grades two candidates whose chains point to the same CDPs.
  const session = await openLabSession(lab);
  const lyncCert = session.host('lync').machine.store('LocalMachine', 'My').list()[0]!.certificate;
  await session.host('exchange-um').machine.store('LocalMachine', 'My').add(lyncCert);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The CA-issued certificates of EX01's LocalMachine\My (the ones lab check grades). */
function caIssued(session: LabSession): Certificate[] {
  return session
    .host('exchange-um')
    .machine.store('LocalMachine', 'My')
    .list()
    .map((e) => e.certificate)
    .filter((c) => !c.isSelfIssued);
}

/** A session without certsrv (CDP URLs read from DIR/ca/CertEnroll), counting CRL reads by URL. */
async function countingSession(): Promise<{ session: LabSession; reads: Map<string, number> }> {
  const session = await openLabSession(lab);
  const reads = new Map<string, number>();
  const fetch = session.network.fetch.bind(session.network);
  vi.spyOn(session.network, 'fetch').mockImplementation((url) => {
    if (/\.crl$/i.test(url)) reads.set(url, (reads.get(url) ?? 0) + 1);
    return fetch(url);
  });
  return { session, reads };
}

describe('CRL downloads of one check', () => {
  it('reads each CDP URL once in a check grading several certificates and a handshake', async () => {
    const { session, reads } = await countingSession();
    expect(caIssued(session)).toHaveLength(2);

    const report = await checkLab(session);
    expect(report.results.map((r) => r.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'pass']);
    expect(report.handshake?.ok).toBe(true);
    // The issuing CA's CRL (the leaves' CDP) with its delta, and the root's (the issuing CA's CDP).
    expect(Object.fromEntries(reads)).toEqual({ [ISSUING_CRL]: 1, [ISSUING_DELTA]: 1, [ROOT_CRL]: 1 });

    // The next check is another command: it reads the files again.
    await checkLab(session);
    expect(Object.fromEntries(reads)).toEqual({ [ISSUING_CRL]: 2, [ISSUING_DELTA]: 2, [ROOT_CRL]: 2 });
  });

  it('reads a CDP URL once per status with no cache, once in all with one', async () => {
    const { session, reads } = await countingSession();
    const ex01 = session.host('exchange-um');
    const certs = caIssued(session);

    for (const c of certs) await certificateStatus(ex01, c, { network: session.network });
    expect(Object.fromEntries(reads)).toEqual({ [ISSUING_CRL]: 2, [ISSUING_DELTA]: 2, [ROOT_CRL]: 2 });

    reads.clear();
    const crlCache = createCrlCache();
    const statuses = await Promise.all(
      certs.map((c) => certificateStatus(ex01, c, { network: session.network, crlCache })),
    );
    expect(statuses.map((s) => s.status)).toEqual(['Valid', 'Valid']);
    expect(Object.fromEntries(reads)).toEqual({ [ISSUING_CRL]: 1, [ISSUING_DELTA]: 1, [ROOT_CRL]: 1 });
  });
});
