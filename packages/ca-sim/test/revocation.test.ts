// Revocation with a reason, unrevoke of certificateHold, base and delta CRLs (checked by
// OpenSSL), the CRL schedule on an injectable clock, and CA certificate renewal.

import {
  type CertificationAuthority,
  createAuthority,
  createCrlSchedule,
  createTestCA,
  findCertEnrollFile,
  isCaError,
  manualClock,
} from '@certlab/ca-sim';
import { decodeCrlDistributionPoints, decodeMsCaVersion, decodeMsNextCrlPublish, OID } from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCsr, put } from './support/csr.js';
import { HAVE_OPENSSL, openssl, runOpenssl } from './support/openssl.js';
import { tempDir } from './support/temp.js';

const HOUR = 3_600_000;
const clock = manualClock(new Date('2026-03-01T08:00:00Z'));
let ca: CertificationAuthority;
let dir: string;
let cleanup: () => Promise<void>;

async function issue(): Promise<{ requestId: number; serial: string }> {
  const r = await ca.submit(
    (await makeCsr({ san: [{ type: 'dns', value: 'exch01.contoso.com' }] })).toPem(),
    {
      template: 'WebServer',
    },
  );
  expect(r.disposition).toBe('issued');
  return { requestId: r.requestId, serial: r.serialNumber! };
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  ca = await createAuthority({
    name: 'Contoso Issuing CA',
    root: { name: 'Contoso Root CA' },
    keyType: 'ec',
    clock,
  });
});
afterAll(async () => {
  await ca?.close();
  await cleanup?.();
});

describe('revocation and CRLs', () => {
  it('revoke → the base CRL lists it with its reason; openssl crl parses it and openssl verify rejects the leaf', async () => {
    const a = await issue();
    const b = await issue();
    const r = await ca.revoke(a.serial, 'keyCompromise');
    expect(r).toMatchObject({
      disposition: 'revoked',
      dispositionCode: 6,
      message: 'Revoked by CONTOSO\\Administrator',
      revocationReason: 'keyCompromise',
    });
    expect(r.revokedAt!.getTime()).toBe(clock.now().getTime());
    expect((await ca.list({ status: 'revoked' })).map((x) => x.requestId)).toEqual([a.requestId]);
    await expect(ca.revoke(a.requestId, 'superseded')).rejects.toSatisfy((e) =>
      isCaError(e, 'ERR_CA_REVOCATION_STATE'),
    );
    await expect(ca.unrevoke(a.serial)).rejects.toSatisfy((e) => isCaError(e, 'ERR_CA_REVOCATION_STATE'));
    // AD CS revokes with reasons 0-6 only ([MS-CSRA] §3.1.4.1.8); a reason that is not a name is misuse.
    for (const reason of ['privilegeWithdrawn', 'aACompromise', 'removeFromCRL', 'bogus'] as const)
      await expect(ca.revoke(b.requestId, reason as never), reason).rejects.toSatisfy((e) =>
        isCaError(e, 'ERR_CA_OPTIONS_INVALID'),
      );
    await expect(ca.revoke(b.requestId, { reason: 'x' } as never)).rejects.toThrow(TypeError);
    expect((await ca.retrieve(b.requestId)).disposition).toBe('issued');
    const pub = await ca.publishCrl();
    expect(pub).toMatchObject({ crlNumber: 1, delta: false, fileName: 'Contoso Issuing CA.crl' });
    expect(pub.url).toBe('http://pki.contoso.com/CertEnroll/Contoso%20Issuing%20CA.crl');
    expect(pub.crl.lookup(a.serial)?.reason).toBe('keyCompromise');
    expect(pub.crl.lookup(b.serial)).toBeUndefined();
    expect(await pub.crl.verifySignature(ca.certificate)).toBe(true);
    expect(decodeMsCaVersion(pub.crl.getExtension(OID.msCaVersion)!.value)).toEqual({
      certIndex: 0,
      keyIndex: 0,
    });
    expect(decodeCrlDistributionPoints(pub.crl.getExtension(OID.freshestCRL)!.value)[0]!.fullName).toEqual([
      { type: 'uri', value: 'http://pki.contoso.com/CertEnroll/Contoso%20Issuing%20CA+.crl' },
    ]);
    // Dated ClockSkewMinutes (10) before publication; valid for the period plus the overlap
    // (10 %, at most 12 h); Next CRL Publish one period after publication.
    const published = clock.now().getTime();
    expect(pub.thisUpdate.getTime()).toBe(published - 10 * 60_000);
    expect(pub.crl.thisUpdate.getTime()).toBe(published - 10 * 60_000);
    expect(pub.nextUpdate.getTime()).toBe(published + 168 * HOUR + 12 * HOUR);
    expect(decodeMsNextCrlPublish(pub.crl.getExtension(OID.msNextCrlPublish)!.value).getTime()).toBe(
      published + 168 * HOUR,
    );
    // AD CS's order (certutil -dump): AKI, CA Version, CRL Number, Next CRL Publish, Freshest CRL.
    expect(pub.crl.extensions.map((e) => e.oid)).toEqual([
      OID.authorityKeyIdentifier,
      OID.msCaVersion,
      OID.cRLNumber,
      OID.msNextCrlPublish,
      OID.freshestCRL,
    ]);
    expect(pub.crl.getExtension(OID.msNextCrlPublish)!.critical).toBe(false);
    if (!HAVE_OPENSSL) return;
    const crlFile = put(dir, 'base.crl', pub.pem);
    const text = openssl(['crl', '-in', crlFile, '-noout', '-text']);
    expect(text).toContain(`Serial Number: ${a.serial}`);
    expect(text).toContain('Key Compromise');
    expect(text).toContain('X509v3 CRL Number: \n                1');
    const root = put(dir, 'root.pem', ca.rootCertificate.toPem());
    const issuing = put(dir, 'issuing.pem', ca.certificate.toPem());
    const leafA = put(dir, 'a.pem', (await ca.retrieve(a.requestId)).certificate!.toPem());
    const leafB = put(dir, 'b.pem', (await ca.retrieve(b.requestId)).certificate!.toPem());
    // The CA runs on the test clock: verify at its time, when the CRL is current, and as a
    // client whose clock is 5 minutes behind would (the CRL's thisUpdate is 10 minutes back).
    const now = Math.floor(clock.now().getTime() / 1000);
    const v = (leaf: string, at = now + 60) =>
      runOpenssl([
        'verify',
        '-attime',
        String(at),
        '-crl_check',
        '-CAfile',
        root,
        '-untrusted',
        issuing,
        '-CRLfile',
        crlFile,
        leaf,
      ]);
    expect(v(leafA).status).not.toBe(0);
    expect(v(leafA).stdout + v(leafA).stderr).toContain('certificate revoked');
    expect(v(leafB).stdout).toContain(': OK');
    expect(v(leafB, now - 300).stdout).toContain(': OK');
    expect(v(leafA, now - 300).stdout + v(leafA, now - 300).stderr).toContain('certificate revoked');
  });

  it('certificateHold → unrevoke; the delta CRL shows the hold, then removeFromCRL', async () => {
    const c = await issue();
    clock.advance(HOUR);
    await ca.revoke(c.requestId, 'certificateHold');
    const base = await ca.publishCrl();
    expect(base.crl.lookup(c.serial)?.reason).toBe('certificateHold');
    const d0 = await ca.publishCrl({ delta: true });
    expect(d0).toMatchObject({ delta: true, baseCrlNumber: base.crlNumber, crlNumber: base.crlNumber + 1 });
    expect(d0.fileName).toBe('Contoso Issuing CA+.crl');
    expect([...d0.crl.entries]).toHaveLength(0);
    expect(d0.crl.deltaCrlIndicator).toBe(BigInt(base.crlNumber));
    expect(d0.crl.extensions.map((x) => [x.oid, x.critical])).toEqual([
      [OID.authorityKeyIdentifier, false],
      [OID.msCaVersion, false],
      [OID.cRLNumber, false],
      [OID.deltaCRLIndicator, true],
      [OID.msNextCrlPublish, false],
    ]);
    // A delta CRL's Next CRL Publish is one delta period (24 h) after publication.
    expect(decodeMsNextCrlPublish(d0.crl.getExtension(OID.msNextCrlPublish)!.value).getTime()).toBe(
      clock.now().getTime() + 24 * HOUR,
    );
    clock.advance(HOUR);
    const un = await ca.unrevoke(c.serial);
    expect(un).toMatchObject({ disposition: 'issued', dispositionCode: 3, hresult: 0 });
    expect(un.revokedAt).toBeUndefined();
    const e = await issue();
    await ca.revoke(e.serial, 'superseded');
    const d1 = await ca.publishCrl({ delta: true });
    expect(d1.crl.lookup(c.serial)?.reason).toBe('removeFromCRL');
    expect(d1.crl.lookup(e.serial)?.reason).toBe('superseded');
    const base2 = await ca.publishCrl();
    expect(base2.crl.lookup(c.serial)).toBeUndefined();
    expect(base2.crl.lookup(e.serial)?.reason).toBe('superseded');
    if (HAVE_OPENSSL) {
      const text = openssl(['crl', '-in', put(dir, 'delta.crl', d1.pem), '-noout', '-text']);
      expect(text).toContain('Delta CRL Indicator');
      expect(text).toContain('Remove From CRL');
    }
    // Hold can also become a final revocation.
    const f = await issue();
    await ca.revoke(f.serial, 'certificateHold');
    expect((await ca.revoke(f.serial, 'cessationOfOperation')).revocationReason).toBe('cessationOfOperation');
  });

  it('refuses to revoke what has no certificate, and unknown serials', async () => {
    const p = await ca.submit((await makeCsr()).toPem(), { template: 'WebServer_Manual' });
    await expect(ca.revoke(p.requestId)).rejects.toSatisfy((e) => isCaError(e, 'ERR_CA_REQUEST_STATE'));
    await expect(ca.revoke('0102030405')).rejects.toSatisfy((e) =>
      isCaError(e, 'ERR_CA_CERTIFICATE_NOT_FOUND'),
    );
    await expect(ca.revoke(1, 'removeFromCRL')).rejects.toSatisfy((e) =>
      isCaError(e, 'ERR_CA_OPTIONS_INVALID'),
    );
  });

  it('publishes the root CRL too', async () => {
    const r = await ca.publishCrl({ authority: 'root' });
    expect(r.fileName).toBe('Contoso Root CA.crl');
    expect(await r.crl.verifySignature(ca.rootCertificate)).toBe(true);
    expect([...r.crl.entries]).toHaveLength(0);
  });

  it('publishes every CRL at once: root base, issuing base and delta (or base and delta when standalone)', async () => {
    const all = await ca.publishAllCrls();
    expect(all.map((c) => [c.fileName, c.delta])).toEqual([
      ['Contoso Root CA.crl', false],
      ['Contoso Issuing CA.crl', false],
      ['Contoso Issuing CA+.crl', true],
    ]);
    expect(all[2]!.baseCrlNumber).toBe(all[1]!.crlNumber);
    const single = await createAuthority({ name: 'Fabrikam CA', keyType: 'ec' });
    try {
      expect(single.standalone).toBe(true);
      expect((await single.publishAllCrls()).map((c) => [c.fileName, c.delta])).toEqual([
        ['Fabrikam CA.crl', false],
        ['Fabrikam CA+.crl', true],
      ]);
    } finally {
      await single.close();
    }
  });

  it('the schedule publishes what is due according to the clock', async () => {
    const local = manualClock(new Date('2026-06-01T00:00:00Z'));
    const t = await createTestCA({ clock: local });
    const s = createCrlSchedule(t.authority, { clock: local });
    const first = await s.tick();
    // The root's CRL first: the issuing CA certificate's CDP names it.
    expect(first.map((c) => [c.fileName, c.crlNumber, c.delta])).toEqual([
      [`${t.authority.rootName}.crl`, 1, false],
      [`${t.authority.name}.crl`, 1, false],
      [`${t.authority.name}+.crl`, 2, true],
    ]);
    expect(await findCertEnrollFile(t.authority, `${t.authority.rootName}.crl`)).toMatchObject({
      type: 'crl',
    });
    expect(await s.tick()).toEqual([]);
    // Due one period after it was published, not after its thisUpdate (dated 10 minutes earlier).
    local.advance(24 * HOUR - 5 * 60_000);
    expect(await s.tick()).toEqual([]);
    local.advance(5 * 60_000);
    expect((await s.tick()).map((c) => [c.crlNumber, c.delta])).toEqual([[3, true]]);
    local.advance(7 * 24 * HOUR);
    expect((await s.tick()).map((c) => [c.fileName, c.crlNumber, c.delta, c.baseCrlNumber])).toEqual([
      [`${t.authority.rootName}.crl`, 2, false, undefined],
      [`${t.authority.name}.crl`, 4, false, undefined],
      [`${t.authority.name}+.crl`, 5, true, 4],
    ]);
    s.start(10);
    s.stop();
    await t.close();
  });
});

describe('CA certificate renewal', () => {
  it('renews with the same key and with a new key: indexes, CA Version, names, chain', async () => {
    const t = await createTestCA();
    const a = t.authority;
    const old = a.certificate;
    const same = await a.renew();
    expect(same).toMatchObject({ certIndex: 1, keyIndex: 0 });
    expect(same.certificate.publicKey.equals(old.publicKey)).toBe(true);
    expect(decodeMsCaVersion(same.certificate.getExtension(OID.msCaVersion)!.value)).toEqual({
      certIndex: 1,
      keyIndex: 0,
    });
    expect(same.certificate.getExtension('1.3.6.1.4.1.311.21.2')).toBeDefined();
    const fresh = await a.renew({ newKey: true });
    // A new key takes the certificate's index (Certification Authority Renewal: 0/0, 1/0, 2/2).
    expect(fresh).toMatchObject({ certIndex: 2, keyIndex: 2 });
    expect(fresh.certificate.publicKey.equals(old.publicKey)).toBe(false);
    expect(a.caCertificates().map((c) => [c.certIndex, c.keyIndex])).toEqual([
      [0, 0],
      [1, 0],
      [2, 2],
    ]);
    const leaf = await t.issue({ dns: ['after-renewal.contoso.com'] });
    expect(await leaf.certificate.verifySignature(fresh.certificate.publicKey)).toBe(true);
    expect(leaf.serialNumber.slice(26, 30)).toBe('0002');
    expect(
      decodeCrlDistributionPoints(leaf.certificate.getExtension(OID.cRLDistributionPoints)!.value)[0]!
        .fullName,
    ).toEqual([
      { type: 'uri', value: 'http://pki.certlab.test/CertEnroll/Certlab%20Test%20Issuing%20CA(2).crl' },
    ]);
    const crl = await a.publishCrl();
    expect(crl.fileName).toBe('Certlab Test Issuing CA(2).crl');
    expect(await crl.crl.verifySignature(fresh.certificate)).toBe(true);
    if (HAVE_OPENSSL) {
      const { dir: d, cleanup: c } = await tempDir();
      const v = runOpenssl([
        'verify',
        '-CAfile',
        put(d, 'r.pem', t.rootPem),
        '-untrusted',
        put(d, 'i.pem', fresh.certificate.toPem()),
        put(d, 'l.pem', leaf.certPem),
      ]);
      await c();
      expect(v.stdout).toContain(': OK');
    }
    await t.close();
  });
});

describe('a CA whose certificate has expired', () => {
  it('refuses to issue, approve or publish (ERR_CA_EXPIRED, nothing recorded) until it is renewed', async () => {
    const local = manualClock(new Date('2026-03-01T08:00:00Z'));
    const a = await createAuthority({
      name: 'Short CA',
      root: { name: 'Short Root' },
      keyType: 'ec',
      caValidityYears: { issuing: 1 },
      clock: local,
    });
    const csr = (await makeCsr({ san: [{ type: 'dns', value: 'exch01.contoso.com' }] })).toPem();
    const pending = await a.submit(csr, { template: 'WebServer_Manual' });
    expect(pending.disposition).toBe('pending');
    // Two days before the end: still issuing, the certificate cut at the CA's notAfter.
    local.set(new Date(a.certificate.notAfter.getTime() - 2 * 86_400_000));
    const late = await a.submit(csr, { template: 'WebServer' });
    expect(late.disposition).toBe('issued');
    expect(late.certificate!.notAfter.getTime()).toBe(a.certificate.notAfter.getTime());
    local.set(new Date(a.certificate.notAfter.getTime() + 1000));
    const before = (await a.list()).length;
    const expired = (e: unknown) =>
      isCaError(e, 'ERR_CA_EXPIRED') &&
      /expired on .*Renew it first \(certlab ca renew/.test((e as Error).message);
    // It was a PkiError from the certificate builder ("notAfter is before notBefore").
    await expect(a.submit(csr, { template: 'WebServer' })).rejects.toSatisfy(expired);
    await expect(a.approve(pending.requestId)).rejects.toSatisfy(expired);
    await expect(a.publishCrl()).rejects.toSatisfy(expired);
    expect((await a.list()).length).toBe(before);
    // The root is still valid: renewing the issuing CA certificate puts the CA back to work.
    await a.renew();
    expect((await a.submit(csr, { template: 'WebServer' })).disposition).toBe('issued');
    expect((await a.approve(pending.requestId)).disposition).toBe('issued');
    expect((await a.publishCrl()).crlNumber).toBeGreaterThan(0);
    await a.close();
  });
});
