// A CA renewed with a new key publishes a CRL per key (Certification Authority Renewal: "CRLs
// issued by the CA before its renewal will be available after the CA has been renewed";
// MS-CSRA §3.1.4.1.6: a CRL "for each CA Signing_Private_Key"): each key's CRL lists the revoked
// certificates that key signed, is signed by it, and is served under `<CA>(k).crl` and by
// certcrl.crl?Renewal=n for every CA certificate n of that key (reference §6.1, §6.4, §6.5).

import { type Crl, decodeMsCaVersion, OID, parseCrl } from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CertificationAuthority,
  type CertsrvServer,
  createAuthority,
  createCrlSchedule,
  manualClock,
  type RequestStore,
  startCertsrv,
} from '../src/index.js';
import { aliceDirectory, basic, contosoAuthority, GO } from './support/certsrv-fixture.js';
import { makeCsr } from './support/csr.js';
import { pgliteFactory } from './support/pglite.js';

const START = new Date('2026-11-30T10:00:00Z');
const DAY = 86_400_000;

async function issue(ca: CertificationAuthority, dns: string): Promise<string> {
  const r = await ca.submit((await makeCsr({ san: [{ type: 'dns', value: dns }] })).toPem(), {
    template: 'WebServer',
  });
  expect(r.disposition).toBe('issued');
  return r.serialNumber!;
}

const keyOf = (crl: Crl) => decodeMsCaVersion(crl.getExtension(OID.msCaVersion)!.value).keyIndex;

describe.each([
  ['memory', undefined],
  ['PGlite', 'pglite'],
] as const)('CRLs per CA key (%s store)', (_label, kind) => {
  const clock = manualClock(START);
  let ca: CertificationAuthority;
  let closeDb: (() => Promise<void>) | undefined;
  let oldSerial: string;
  let newSerial: string;

  beforeAll(async () => {
    let db: RequestStore | undefined;
    if (kind === 'pglite') {
      const f = await pgliteFactory();
      db = (await f.open()).store;
      closeDb = f.cleanup;
    }
    ca = await contosoAuthority('Contoso Issuing CA', { clock, ...(db ? { db } : {}) });
    oldSerial = await issue(ca, 'old-key.contoso.com');
    await ca.renew(); // certificate 1, key 0
    clock.advance(DAY);
    await ca.renew({ newKey: true }); // certificate 2, key 2
    await ca.renew(); // certificate 3, key 2
    newSerial = await issue(ca, 'new-key.contoso.com');
  }, 60_000);

  afterAll(async () => {
    await ca?.close();
    await closeDb?.();
  });

  it('a new key publishes its base and delta CRLs at once; the old key keeps its own', async () => {
    expect(ca.caCertificates().map((c) => [c.certIndex, c.keyIndex])).toEqual([
      [0, 0],
      [1, 0],
      [2, 2],
      [3, 2],
    ]);
    expect(ca.crlKeyIndexes()).toEqual([2, 0]);
    const current = (await ca.latestCrl())!;
    expect(current.keyIndex).toBe(2);
    expect(current.fileName).toBe('Contoso Issuing CA(2).crl');
    expect(keyOf(current.crl)).toBe(2);
    expect(await current.crl.verifySignature(ca.certificate)).toBe(true);
    expect((await ca.latestCrl({ delta: true }))!.baseCrlNumber).toBe(current.crlNumber);
    const old = (await ca.latestCrl({ keyIndex: 0 }))!;
    expect(old.fileName).toBe('Contoso Issuing CA.crl');
    expect(keyOf(old.crl)).toBe(0);
    expect(await old.crl.verifySignature(ca.caCertificates()[1]!.certificate)).toBe(true);
  });

  it("each key's CRL lists the revoked certificates that key signed, and each delta has its own key's base", async () => {
    await ca.revoke(oldSerial, 'keyCompromise');
    await ca.revoke(newSerial, 'superseded');
    const published = await ca.publishAllCrls();
    expect(published.map((p) => p.fileName)).toEqual([
      'Contoso Root CA.crl',
      'Contoso Issuing CA(2).crl',
      'Contoso Issuing CA(2)+.crl',
      'Contoso Issuing CA.crl',
      'Contoso Issuing CA+.crl',
    ]);
    const [, base2, delta2, base0, delta0] = published;
    expect(base2!.crl.lookup(newSerial)).toBeDefined();
    expect(base2!.crl.lookup(oldSerial)).toBeUndefined();
    expect(base0!.crl.lookup(oldSerial)).toBeDefined();
    expect(base0!.crl.lookup(newSerial)).toBeUndefined();
    expect(delta2!.baseCrlNumber).toBe(base2!.crlNumber);
    expect(delta0!.baseCrlNumber).toBe(base0!.crlNumber);
    expect(await delta0!.crl.verifySignature(ca.caCertificates()[1]!.certificate)).toBe(true);
    expect(await delta2!.crl.verifySignature(ca.certificate)).toBe(true);
    expect((await ca.latestCrl({ keyIndex: 0 }))!.crlNumber).toBe(base0!.crlNumber);
    expect((await ca.latestCrl())!.crlNumber).toBe(base2!.crlNumber);
  });

  it('the schedule republishes every key when due, and stops publishing a key whose certificates expired', async () => {
    const schedule = createCrlSchedule(ca, { clock });
    expect(await schedule.tick()).toEqual([]);
    clock.advance(8 * DAY);
    const names = (await schedule.tick()).map((p) => p.fileName);
    expect(names).toEqual([
      'Contoso Root CA.crl',
      'Contoso Issuing CA(2).crl',
      'Contoso Issuing CA(2)+.crl',
      'Contoso Issuing CA.crl',
      'Contoso Issuing CA+.crl',
    ]);
    // Past the old key's last certificate (5 years from START) the old key publishes no more,
    // and its last CRLs stay downloadable.
    clock.set(new Date(ca.caCertificates()[1]!.certificate.notAfter.getTime() + DAY));
    expect(ca.crlKeyIndexes()).toEqual([2]);
    expect(ca.crlKeyIndexes('issuing', { all: true })).toEqual([2, 0]);
    expect((await schedule.tick()).map((p) => p.fileName)).not.toContain('Contoso Issuing CA.crl');
    expect(await ca.latestCrl({ keyIndex: 0 })).toBeDefined();
    clock.set(new Date(START.getTime() + 9 * DAY));
  });

  it('a standalone CA has no root CRL to look up: undefined, not an error', async () => {
    const single = await createAuthority({ name: 'Contoso CA', keyType: 'ec' });
    try {
      expect(await single.latestCrl({ authority: 'root' })).toBeUndefined();
      expect(single.crlKeyIndexes('root')).toEqual([]);
    } finally {
      await single.close();
    }
  });

  it('refuses a key the CA never had', async () => {
    await expect(ca.publishCrl({ keyIndex: 1 })).rejects.toMatchObject({ code: 'ERR_CA_OPTIONS_INVALID' });
    await expect(ca.publishCrl({ keyIndex: 1.5 })).rejects.toThrow(TypeError);
  });
});

describe('certsrv after renewals: every certificate index reaches its key CRL', () => {
  const ALICE = basic('alice', 'alice-Passw0rd');
  let ca: CertificationAuthority;
  let server: CertsrvServer;

  let heldSerial: string;

  beforeAll(async () => {
    ca = await contosoAuthority();
    // A certificate of the first key, on hold and in that key's CRLs, before the renewals.
    heldSerial = await issue(ca, 'held.contoso.com');
    await ca.revoke(heldSerial, 'certificateHold');
    await ca.publishBaseAndDelta();
    await ca.renew({ newKey: true }); // certificate 1, key 1
    await ca.renew(); // certificate 2, key 1
    const users = await aliceDirectory();
    await users.add('caadmin', 'admin-Passw0rd', { admin: true });
    server = await startCertsrv({ ca, users, crlSchedule: false });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await ca?.close();
  });

  const get = (path: string, auth = true) =>
    fetch(`${server.url}${path}`, {
      headers: { 'user-agent': GO, ...(auth ? { authorization: ALICE } : {}) },
    });

  it('certcrl.crl?Renewal=n serves the CRL of certificate n key, base and delta', async () => {
    for (const [renewal, key] of [
      ['0', 0],
      ['1', 1],
      ['2', 1],
      ['-1', 1],
      ['', 1],
    ] as const)
      for (const type of ['base', 'delta']) {
        const r = await get(`/certsrv/certcrl.crl?Type=${type}&Renewal=${renewal}&Enc=bin`);
        expect(r.status, `${type} ${renewal}`).toBe(200);
        expect(r.headers.get('content-type'), `${type} ${renewal}`).toBe('application/pkix-crl');
        const crl = parseCrl(new Uint8Array(await r.arrayBuffer()));
        expect(keyOf(crl), `${type} ${renewal}`).toBe(key);
        expect(crl.isDelta, `${type} ${renewal}`).toBe(type === 'delta');
      }
    const bad = await get('/certsrv/certcrl.crl?Type=base&Renewal=3&Enc=bin');
    expect(bad.headers.get('content-type')).toBe('text/html');
    expect(await bad.text()).toContain('0x80070057');
  });

  it('certcarc.asp marks every generation CRL valid, and its links download', async () => {
    const html = await (await get('/certsrv/certcarc.asp')).text();
    expect(html).toContain('var nRenewals=2;');
    for (const n of [0, 1, 2]) expect(html).toContain(`rgnCRLState[${n}]=3;`);
    for (const href of html.matchAll(/href="(certcrl\.crl\?[^"]+)"/g)) {
      const r = await get(`/certsrv/${href[1]!.replaceAll('&amp;', '&')}`);
      expect(r.headers.get('content-type'), href[1]).toBe('application/pkix-crl');
    }
  });

  it("the console's Publish CRL and Publish delta CRL republish every key's CRLs (a release from hold reaches the old key's)", async () => {
    const ADMIN = basic('caadmin', 'admin-Passw0rd');
    const oldBase = async () =>
      parseCrl(
        new Uint8Array(await (await get('/certsrv/certcrl.crl?Type=base&Renewal=0&Enc=bin')).arrayBuffer()),
      );
    const before = await oldBase();
    expect([...before.entries].map((e) => e.serialNumber)).toContain(heldSerial);
    const page = await (
      await fetch(`${server.url}/certsrv/admin/`, { headers: { authorization: ADMIN } })
    ).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
    const action = (a: string) =>
      fetch(`${server.url}/certsrv/admin/action`, {
        method: 'POST',
        redirect: 'manual',
        headers: { authorization: ADMIN, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf, action: a }).toString(),
      });
    await ca.unrevoke(heldSerial);
    const delta = await action('publish-delta-crl');
    expect(delta.status).toBe(303);
    const oldDelta = parseCrl(
      new Uint8Array(await (await get('/certsrv/certcrl.crl?Type=delta&Renewal=0&Enc=bin')).arrayBuffer()),
    );
    expect(keyOf(oldDelta)).toBe(0);
    expect(oldDelta.deltaCrlIndicator).toBe(before.crlNumber);
    expect([...oldDelta.entries].find((e) => e.serialNumber === heldSerial)?.reason).toBe('removeFromCRL');
    expect((await action('publish-crl')).status).toBe(303);
    const after = await oldBase();
    expect(after.crlNumber! > before.crlNumber!).toBe(true);
    expect([...after.entries].map((e) => e.serialNumber)).not.toContain(heldSerial);
  });

  it('/CertEnroll/ serves both keys CRLs, and a name of no key is 404', async () => {
    for (const [name, key] of [
      ['Contoso Issuing CA.crl', 0],
      ['Contoso Issuing CA+.crl', 0],
      ['Contoso Issuing CA(1).crl', 1],
      ['Contoso Issuing CA(1)+.crl', 1],
    ] as const) {
      const r = await get(`/CertEnroll/${encodeURIComponent(name)}`, false);
      expect(r.status, name).toBe(200);
      expect(keyOf(parseCrl(new Uint8Array(await r.arrayBuffer()))), name).toBe(key);
    }
    expect((await get(`/CertEnroll/${encodeURIComponent('Contoso Issuing CA(2).crl')}`, false)).status).toBe(
      404,
    );
  });
});
