// The CRL downloads (certcrl.crl, reference §6.4; /CertEnroll/, §6.5) reuse the parsed and
// encoded CRL while it is the newest one, and serve a newly published CRL at once: a client that
// fetches the CRL right after a revocation and publication must see the revocation (RFC 5280
// §5: a relying party trusts the newest CRL it can get until its nextUpdate).

import { type Crl, decodeMsCaVersion, decodePem, OID, parseCrl } from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type CertificationAuthority,
  type CertsrvServer,
  createAuthority,
  type RequestStore,
  startCertsrv,
} from '../src/index.js';
import { aliceDirectory, basic, contosoAuthority, GO } from './support/certsrv-fixture.js';
import { makeCsr } from './support/csr.js';
import { pgliteFactory } from './support/pglite.js';

const ALICE = basic('alice', 'alice-Passw0rd');

let ca: CertificationAuthority;
let server: CertsrvServer;

beforeAll(async () => {
  ca = await contosoAuthority();
  server = await startCertsrv({ ca, users: await aliceDirectory(), crlSchedule: false });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await ca?.close();
});

async function download(path: string): Promise<Uint8Array> {
  const r = await fetch(`${server.url}${path}`, { headers: { 'user-agent': GO, authorization: ALICE } });
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toBe('application/pkix-crl');
  return new Uint8Array(await r.arrayBuffer());
}

/** A downloaded CRL, DER or certsrv's Base64 (CRLF, `X509 CRL` label). */
function crlOf(body: Uint8Array): Crl {
  if (body[0] === 0x30) return parseCrl(body);
  const text = Buffer.from(body).toString('latin1');
  expect(text.startsWith('-----BEGIN X509 CRL-----\r\n')).toBe(true);
  const [block] = decodePem(text);
  return parseCrl(block!.bytes);
}

/** Every way to download the issuing CA's base or delta CRL. */
function pathsOf(delta: boolean, keyIndex = 0): string[] {
  const suffix = keyIndex > 0 ? `(${keyIndex})` : '';
  const type = delta ? 'delta' : 'base';
  return [
    `/certsrv/certcrl.crl?Type=${type}&Enc=bin`,
    `/certsrv/certcrl.crl?Type=${type}`,
    `/certsrv/certcrl.crl?Type=${type}&Renewal=${keyIndex}&Enc=b64`,
    `/CertEnroll/${encodeURIComponent(`Contoso Issuing CA${suffix}${delta ? '+' : ''}.crl`)}`,
  ];
}

/**
 * A second instance of the CA over the same store, as a second process on one database would
 * be. Not to be closed: that would close the shared store.
 */
function otherInstance(db: RequestStore = ca.store): Promise<CertificationAuthority> {
  return createAuthority({
    name: 'Contoso Issuing CA',
    root: { name: 'Contoso Root CA' },
    keyType: 'ec',
    baseUrl: 'http://pki.contoso.com',
    db,
  });
}

async function issueAndRevoke(authority: CertificationAuthority): Promise<string> {
  const r = await authority.submit(
    (await makeCsr({ san: [{ type: 'dns', value: 'crl.contoso.com' }] })).toPem(),
    {
      template: 'WebServer',
    },
  );
  expect(r.disposition).toBe('issued');
  await authority.revoke(r.serialNumber!, 'keyCompromise');
  return r.serialNumber!;
}

describe('CRL downloads of an unchanged CRL', () => {
  it('two downloads return identical bytes, for every path, DER and Base64', async () => {
    for (const delta of [false, true])
      for (const path of pathsOf(delta)) expect(await download(path)).toEqual(await download(path));
    // Every path of a kind serves the same CRL: the newest one of that kind.
    for (const delta of [false, true]) {
      const der = (await ca.latestCrl({ delta }))!.crl.der;
      for (const path of pathsOf(delta)) expect(crlOf(await download(path)).der, path).toEqual(der);
    }
  });

  it('latestCrl parses an unchanged CRL once: the same object until a publication', async () => {
    const a = await ca.latestCrl({ delta: true });
    expect(await ca.latestCrl({ delta: true })).toBe(a);
    const published = await ca.publishCrl({ delta: true });
    const b = await ca.latestCrl({ delta: true });
    expect(b).toBe(published);
    expect(b).not.toBe(a);
    expect(b!.crlNumber).toBeGreaterThan(a!.crlNumber);
  });
});

describe('CRL downloads after a publication', () => {
  it('revoke + publish: the next base and delta downloads (DER, Base64, certcrl.crl, /CertEnroll/) are the new CRLs', async () => {
    // Fill every cache first: each path has served the current CRLs.
    const before = new Map<string, bigint>();
    for (const delta of [false, true])
      for (const path of pathsOf(delta)) before.set(path, crlOf(await download(path)).crlNumber!);
    const serial = await issueAndRevoke(ca);

    // A base CRL alone: the base paths change, the delta paths still serve the older delta.
    const base = await ca.publishCrl();
    for (const path of pathsOf(false)) {
      const crl = crlOf(await download(path));
      expect(crl.crlNumber, path).toBe(BigInt(base.crlNumber));
      expect(crl.crlNumber! > before.get(path)!, path).toBe(true);
      expect(crl.lookup(serial)?.reason, path).toBe('keyCompromise');
    }
    for (const path of pathsOf(true))
      expect(crlOf(await download(path)).crlNumber, path).toBe(before.get(path));

    // Then the delta CRL over the new base.
    const delta = await ca.publishCrl({ delta: true });
    for (const path of pathsOf(true)) {
      const crl = crlOf(await download(path));
      expect(crl.isDelta, path).toBe(true);
      expect(crl.crlNumber, path).toBe(BigInt(delta.crlNumber));
      expect(crl.deltaCrlIndicator, path).toBe(BigInt(base.crlNumber));
    }
  });

  it('a CRL published by another CA instance on the same database is served at its first lookup', async () => {
    // Two processes serving one CA database (e.g. PostgreSQL): the cache must follow the store,
    // not this instance's own publications. Not closed: that would close the shared store.
    const other = await otherInstance();
    expect(other.certificate.der).toEqual(ca.certificate.der);
    for (const delta of [false, true]) for (const path of pathsOf(delta)) await download(path);
    const serial = await issueAndRevoke(other);
    const [, base, delta] = await other.publishAllCrls();
    for (const path of pathsOf(false)) {
      const crl = crlOf(await download(path));
      expect(crl.crlNumber, path).toBe(BigInt(base!.crlNumber));
      expect(crl.lookup(serial), path).toBeDefined();
    }
    for (const path of pathsOf(true))
      expect(crlOf(await download(path)).crlNumber, path).toBe(BigInt(delta!.crlNumber));
    expect((await ca.latestCrl())!.crlNumber).toBe(base!.crlNumber);
  });

  it('after a renewal with a new key, Renewal=1 and <CA>(1).crl serve the CRLs signed by the new key', async () => {
    for (const delta of [false, true]) for (const path of pathsOf(delta)) await download(path);
    await ca.renew({ newKey: true });
    const [, base, delta] = await ca.publishAllCrls();
    for (const [isDelta, published] of [
      [false, base!],
      [true, delta!],
    ] as const) {
      for (const path of pathsOf(isDelta, 1)) {
        const crl = crlOf(await download(path));
        expect(crl.crlNumber, path).toBe(BigInt(published.crlNumber));
        expect(decodeMsCaVersion(crl.getExtension(OID.msCaVersion)!.value), path).toMatchObject({
          keyIndex: 1,
        });
        expect(await crl.verifySignature(ca.certificate), path).toBe(true);
      }
      // The previous key's CRL stays published under its own name, signed by the old key (its
      // certificates name it): republished by publishAllCrls since its certificate is valid.
      const old = crlOf(
        await download(`/CertEnroll/${encodeURIComponent(`Contoso Issuing CA${isDelta ? '+' : ''}.crl`)}`),
      );
      expect(decodeMsCaVersion(old.getExtension(OID.msCaVersion)!.value)).toMatchObject({ keyIndex: 0 });
      expect(await old.verifySignature(ca.caCertificates()[0]!.certificate)).toBe(true);
    }
  });
});

describe('CRL downloads read the CRL row only when it changed', () => {
  it('an unchanged CRL is served without store.latestCrl; one published by another instance reads it', async () => {
    // Runs after the renewal above: the paths of the current key.
    const paths = (delta: boolean) => pathsOf(delta, ca.keyIndex);
    for (const delta of [false, true]) for (const path of paths(delta)) await download(path);
    const rows = vi.spyOn(ca.store, 'latestCrl');
    try {
      for (const delta of [false, true]) {
        const der = (await ca.latestCrl({ delta }))!.crl.der;
        for (const path of paths(delta)) expect(crlOf(await download(path)).der, path).toEqual(der);
      }
      expect(rows).not.toHaveBeenCalled();

      // Published here: the publication itself fills the cache, so the number is enough.
      const own = await ca.publishCrl();
      for (const path of paths(false))
        expect(crlOf(await download(path)).crlNumber, path).toBe(BigInt(own.crlNumber));
      expect(rows).not.toHaveBeenCalled();

      // Published by another instance on the database: the number differs, the row is read.
      const other = await otherInstance();
      const serial = await issueAndRevoke(other);
      const [, base, delta] = await other.publishAllCrls();
      rows.mockClear();
      for (const [isDelta, published] of [
        [false, base!],
        [true, delta!],
      ] as const) {
        const [first, ...rest] = paths(isDelta);
        const crl = crlOf(await download(first!));
        expect(crl.crlNumber, first).toBe(BigInt(published.crlNumber));
        // The base lists the revocation; the delta, over that base, has nothing newer.
        if (!isDelta) expect(crl.lookup(serial), first).toBeDefined();
        expect(rows).toHaveBeenLastCalledWith('issuing', isDelta, ca.keyIndex);
        // Read once: the next downloads reuse it.
        const calls = rows.mock.calls.length;
        for (const path of rest)
          expect(crlOf(await download(path)).crlNumber, path).toBe(BigInt(published.crlNumber));
        expect(rows.mock.calls.length).toBe(calls);
      }
    } finally {
      rows.mockRestore();
    }
  });
});

describe('the CRL cache over an SQL store (PGlite)', () => {
  let factory: Awaited<ReturnType<typeof pgliteFactory>>;
  let sql: CertificationAuthority;

  beforeAll(async () => {
    factory = await pgliteFactory();
    const { store } = await factory.open();
    sql = await createAuthority({
      name: 'Contoso Issuing CA',
      root: { name: 'Contoso Root CA' },
      keyType: 'ec',
      db: store,
    });
    await sql.publishAllCrls();
  }, 60_000);

  afterAll(async () => {
    await sql?.close();
    await factory?.cleanup();
  });

  it('each lookup reads a fresh row; an unchanged CRL is reused, a published one replaces it', async () => {
    for (const delta of [false, true]) {
      const a = await sql.latestCrl({ delta });
      expect(await sql.latestCrl({ delta })).toBe(a);
      const serial = await issueAndRevoke(sql);
      await sql.publishCrl({ delta });
      const b = await sql.latestCrl({ delta });
      expect(b!.crlNumber).toBeGreaterThan(a!.crlNumber);
      expect(b!.crl.lookup(serial)).toBeDefined();
      expect(await sql.latestCrl({ delta })).toBe(b);
    }
    const root = await sql.latestCrl({ authority: 'root' });
    expect(root!.fileName).toBe('Contoso Root CA.crl');
    expect(await sql.latestCrl({ authority: 'root' })).toBe(root);
  });

  it('an unchanged CRL reads only its number from the database, a published one its row', async () => {
    for (const delta of [false, true]) await sql.latestCrl({ delta });
    await sql.latestCrl({ authority: 'root' });
    const rows = vi.spyOn(sql.store, 'latestCrl');
    // latestCrlNumber is optional in RequestStore; the SQL store has it.
    const numbers = vi.spyOn(sql.store as Required<RequestStore>, 'latestCrlNumber');
    try {
      for (const delta of [false, true]) {
        const a = await sql.latestCrl({ delta });
        expect(await sql.latestCrl({ delta })).toBe(a);
      }
      expect(await sql.latestCrl({ authority: 'root' })).toBeDefined();
      expect(numbers).toHaveBeenCalledTimes(5);
      expect(rows).not.toHaveBeenCalled();

      // A CRL row another instance inserted: this instance's cache still holds the older one.
      const other = await otherInstance(sql.store);
      const published = await other.publishCrl({ delta: true });
      rows.mockClear();
      const b = await sql.latestCrl({ delta: true });
      expect(b!.crlNumber).toBe(published.crlNumber);
      expect(b!.crl.der).toEqual(published.crl.der);
      expect(rows).toHaveBeenCalledTimes(1);
    } finally {
      rows.mockRestore();
      numbers.mockRestore();
    }
  });
});
