// The simulated Exchange UM service: 2007 SP1 certificate selection at start, 2010 assignment
// rules, event 1112 (our synthetic wording), Get-ExchangeCertificate, and the event log file.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CertificationAuthority, createAuthority } from '@certlab/ca-sim';
import { createCsr, generateKeyPair, type PrivateKey, subjectAltName } from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLabNetwork,
  EventLog,
  ExchangeUmService,
  type LabHost,
  openHost,
  publishCrls,
  UM_CERTIFICATE_EVENT,
} from '../src/index.js';

let ca: CertificationAuthority;
const network = createLabNetwork();
const dirs: string[] = [];

beforeAll(async () => {
  ca = await createAuthority({
    name: 'Contoso Issuing CA',
    root: { name: 'Contoso Root CA' },
    keyType: 'ec',
  });
});
afterAll(async () => {
  await ca.close();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function host(): Promise<LabHost> {
  return openHost(
    { role: 'exchange-um', name: 'EX01', fqdn: 'ex01.contoso.com', dir: 'hosts/ex01' },
    undefined,
  );
}

async function issue(
  cn: string,
): Promise<{ cert: NonNullable<Awaited<ReturnType<typeof ca.submit>>['certificate']>; key: PrivateKey }> {
  const { privateKey } = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  const csr = await createCsr({
    subject: `CN=${cn}`,
    privateKey,
    extensions: [subjectAltName([{ type: 'dns', value: cn }])],
  });
  const r = await ca.submit(csr.toPem(), { template: 'WebServer' });
  return { cert: r.certificate!, key: privateKey };
}

describe('Exchange 2007 SP1', () => {
  it('starts secured with the self-signed certificate, then picks the CA certificate at the next restart only', async () => {
    const ex = await host();
    const um = await ExchangeUmService.install(ex, { version: '2007sp1', network });
    const first = ex.eventLog.find(UM_CERTIFICATE_EVENT).at(-1)!;
    expect(first.level).toBe('Information');
    expect(first.synthetic).toBe(true);
    expect(first.message).toMatch(
      /^\[SYNTHETIC\] The Unified Messaging server loaded the certificate with thumbprint [0-9A-F]{40} \(subject "CN=EX01"/,
    );
    expect(first.data?.selfSigned).toBe('true');

    await ex.machine.store('LocalMachine', 'Root').add(ca.rootCertificate);
    await ex.machine.store('LocalMachine', 'CA').add(ca.certificate);
    const noKey = await issue('ex01.contoso.com');
    await ex.machine.store('LocalMachine', 'My').add(noKey.cert);
    const good = await issue('ex01.contoso.com');
    await ex.machine.store('LocalMachine', 'My').add(good.cert, { key: good.key });
    const thumb = await good.cert.thumbprint();
    // Installing changes nothing until the service restarts (§4.2).
    expect(um.state.running?.certificate).toBe(first.data?.thumbprint);

    const r = await um.restart();
    expect(r.certificate).toBe(thumb);
    expect(r.selfSigned).toBe(false);
    expect(r.skipped).toEqual([
      {
        thumbprint: await noKey.cert.thumbprint(),
        subject: 'CN=ex01.contoso.com',
        problem: 'PrivateKeyMissing',
      },
    ]);
    const warnings = ex.eventLog.all().filter((e) => e.level === 'Warning');
    expect(warnings.at(-1)?.message).toContain('was not considered for mutual TLS: PrivateKeyMissing');
    expect(ex.eventLog.find(UM_CERTIFICATE_EVENT).at(-1)?.data?.thumbprint).toBe(thumb);
  });

  it('has no startup mode and no Enable-ExchangeCertificate for UM', async () => {
    const um = await ExchangeUmService.install(await host(), { version: '2007sp1', network });
    await expect(um.setStartupMode('Dual')).rejects.toMatchObject({ code: 'ERR_LAB_UM_VERSION' });
    await expect(um.enableCertificate(um.state.selfSigned)).rejects.toMatchObject({
      code: 'ERR_LAB_UM_VERSION',
    });
  });

  it('skips a certificate that does not chain to a root the computer trusts', async () => {
    const ex = await host();
    const um = await ExchangeUmService.install(ex, { version: '2007sp1', network });
    const c = await issue('ex01.contoso.com');
    await ex.machine.store('LocalMachine', 'My').add(c.cert, { key: c.key });
    await ex.machine.store('CurrentUser', 'Root').add(ca.rootCertificate); // the administrator's store only
    const r = await um.restart();
    expect(r.selfSigned).toBe(true);
    expect(r.skipped.map((s) => s.problem)).toEqual(['Untrusted']);
  });
});

describe('Exchange 2010', () => {
  it('refuses UM in TCP mode, adds services, loads the UM certificate at restart', async () => {
    const ex = await host();
    const um = await ExchangeUmService.install(ex, { version: '2010', network });
    expect(um.state.startupMode).toBe('TCP');
    expect(um.state.running).toMatchObject({ mode: 'TCP', certificate: null });
    expect(await um.tlsSide()).toBeUndefined();
    await ex.machine.store('LocalMachine', 'Root').add(ca.rootCertificate);
    await ex.machine.store('LocalMachine', 'CA').add(ca.certificate);
    const c = await issue('ex01.contoso.com');
    await ex.machine.store('LocalMachine', 'My').add(c.cert, { key: c.key });
    const thumb = await c.cert.thumbprint();
    await expect(um.enableCertificate(thumb)).rejects.toMatchObject({
      code: 'ERR_LAB_UM_STARTUP_MODE',
      message: expect.stringMatching(/^\[SYNTHETIC\] .*startup mode of EX01 is TCP/),
    });
    await expect(um.enableCertificate('00'.repeat(20))).rejects.toMatchObject({
      code: 'ERR_LAB_CERTIFICATE_NOT_FOUND',
    });
    await um.setStartupMode('Dual');
    await um.enableCertificate(thumb, ['UM']);
    await um.enableCertificate(thumb, ['IIS']);
    // The CDP host (pki.contoso.com) is not on the lab network yet: §7 "CRL unreachable".
    let rows = await um.certificates();
    expect(rows.find((r) => r.thumbprint === thumb)).toMatchObject({
      services: '..UW..',
      status: 'RevocationCheckFailure',
      hasPrivateKey: true,
    });
    const certEnroll = await mkdtemp(join(tmpdir(), 'certlab-lab-certenroll-'));
    dirs.push(certEnroll);
    await publishCrls(ca, certEnroll);
    network.set('pki.contoso.com', { certEnrollDir: certEnroll });
    rows = await um.certificates();
    expect(rows.find((r) => r.thumbprint === thumb)?.status).toBe('Valid');
    expect(rows.find((r) => r.thumbprint === um.state.selfSigned)).toMatchObject({
      services: 'IP.WS.',
      isSelfSigned: true,
    });
    const r = await um.restart();
    expect(r).toMatchObject({ mode: 'Dual', certificate: thumb });
    const side = await um.tlsSide();
    expect(side?.chain.length).toBeGreaterThanOrEqual(1);
  });

  it('refuses a certificate without its private key', async () => {
    const ex = await host();
    const um = await ExchangeUmService.install(ex, { version: '2010', network });
    await um.setStartupMode('TLS');
    const c = await issue('ex01.contoso.com');
    await ex.machine.store('LocalMachine', 'My').add(c.cert);
    await expect(um.enableCertificate(await c.cert.thumbprint())).rejects.toMatchObject({
      code: 'ERR_LAB_PRIVATE_KEY_MISSING',
      message: expect.stringContaining('(reason: PrivateKeyMissing)'),
    });
    const r = await um.restart();
    expect(r.certificate).toBeUndefined();
    expect(ex.eventLog.all().at(-1)).toMatchObject({ level: 'Error', eventId: 1112, synthetic: true });
  });
});

describe('EventLog', () => {
  it('keeps events in a file across opens', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'certlab-lab-log-'));
    dirs.push(dir);
    const file = join(dir, 'application-log.json');
    const fixed = () => new Date('2026-11-30T10:00:00Z');
    const log = await EventLog.open(file, fixed);
    await log.write({
      level: 'Information',
      source: 'MSExchange Unified Messaging',
      eventId: 1112,
      message: 'x',
      synthetic: true,
    });
    const again = await EventLog.open(file, fixed);
    expect(again.find(1112)).toEqual([
      {
        recordId: 1,
        time: '2026-11-30T10:00:00.000Z',
        level: 'Information',
        source: 'MSExchange Unified Messaging',
        eventId: 1112,
        message: 'x',
        synthetic: true,
      },
    ]);
  });
});
