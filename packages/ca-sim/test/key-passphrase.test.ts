// createAuthority({ keyPassphrase }): the CA private keys kept encrypted at rest (PKCS #8
// EncryptedPrivateKeyInfo, PBES2 per RFC 8018). Created with a passphrase, every key row is
// encrypted (renewals too) and OpenSSL decrypts it with that passphrase; reopened without it, the
// CA reads its database and refuses to sign before anything is recorded; a wrong passphrase is
// refused at open; a CA with plain keys refuses a passphrase.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importPrivateKey, PkiError, readCertificates } from '@certlab/pki';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptAsync, coded, Outcomes } from '../../../test/support/coded.js';
import { mutate, mutationsArb } from '../../../test/support/mutate.js';
import {
  CaError,
  type CaSetup,
  type CertificationAuthority,
  createAuthority,
  createMemoryStore,
  manualClock,
  type RequestStore,
  startCertsrv,
  UserDirectory,
} from '../src/index.js';
import { makeCsr } from './support/csr.js';
import { HAVE_OPENSSL, runOpenssl } from './support/openssl.js';
import { tempDir } from './support/temp.js';

const PASS = 'correct horse battery staple';
const clock = manualClock(new Date('2026-12-02T08:00:00Z'));
const NAMES = { name: 'Contoso Issuing CA', root: { name: 'Contoso Root CA' }, keyType: 'ec' } as const;

/** The CA rows as the database keeps them (initializeCa answers the existing setup). */
function storedSetup(store: RequestStore): Promise<CaSetup> {
  return store.initializeCa(() => Promise.reject(new Error('the test expected an existing CA')));
}

/** A CA over `store` that is not closed by the test (closing it would close the shared store). */
function reopen(
  store: RequestStore,
  keyPassphrase?: string,
  extra: { signingWorkers?: number } = {},
): Promise<CertificationAuthority> {
  return createAuthority({
    ...NAMES,
    db: store,
    clock,
    create: false,
    ...(keyPassphrase !== undefined ? { keyPassphrase } : {}),
    ...extra,
  });
}

let store: RequestStore;
let created: CertificationAuthority;

beforeAll(async () => {
  store = createMemoryStore();
  created = await createAuthority({ ...NAMES, db: store, clock, keyPassphrase: PASS });
}, 60_000);

afterAll(async () => {
  await store?.close();
});

describe('createAuthority({ keyPassphrase })', () => {
  it('stores every CA key encrypted (PBES2), which OpenSSL decrypts with the passphrase', async () => {
    expect(created.keyProtection).toBe('passphrase');
    const setup = await storedSetup(store);
    expect(setup.config.keyProtection).toBe('passphrase');
    expect(setup.certificates.map((c) => c.authority).sort()).toEqual(['issuing', 'root']);
    for (const row of setup.certificates) {
      await expect(importPrivateKey(row.privateKey)).rejects.toMatchObject({ code: 'ERR_PKI_KEY_ENCRYPTED' });
      const key = await importPrivateKey(row.privateKey, { password: PASS });
      const [cert] = readCertificates(row.certificate);
      expect(key.publicKey.equals(cert!.publicKey)).toBe(true);
    }
    if (!HAVE_OPENSSL) return;
    const { dir, cleanup } = await tempDir();
    try {
      const file = join(dir, 'issuing.p8');
      writeFileSync(file, setup.certificates.find((c) => c.authority === 'issuing')!.privateKey);
      const dump = runOpenssl(['asn1parse', '-inform', 'DER', '-in', file]);
      expect(dump.stdout).toMatch(/PBES2/);
      expect(dump.stdout).toMatch(/PBKDF2/);
      expect(dump.stdout).toMatch(/aes-256-cbc/);
      const ok = runOpenssl(['pkey', '-inform', 'DER', '-in', file, '-passin', 'stdin', '-noout'], {
        input: PASS,
      });
      expect(ok.status, ok.stderr).toBe(0);
      const bad = runOpenssl(['pkey', '-inform', 'DER', '-in', file, '-passin', 'stdin', '-noout'], {
        input: 'wrong horse',
      });
      expect(bad.status).not.toBe(0);
    } finally {
      await cleanup();
    }
  });

  it('issues with the passphrase, and keys made by a renewal are encrypted too', async () => {
    const ca = await reopen(store, PASS);
    const r = await ca.submit((await makeCsr()).toPem(), { template: 'WebServer' });
    expect(r.disposition).toBe('issued');
    expect(await r.certificate!.verifySignature(ca.certificate.publicKey)).toBe(true);
    await ca.renew({ newKey: true });
    const rows = (await storedSetup(store)).certificates.filter((c) => c.authority === 'issuing');
    expect(rows).toHaveLength(2);
    await expect(importPrivateKey(rows[1]!.privateKey)).rejects.toMatchObject({
      code: 'ERR_PKI_KEY_ENCRYPTED',
    });
    // Opened again, the new key signs (and the root's key, decrypted on first use, its CRL).
    const again = await reopen(store, PASS);
    expect(again.keyIndex).toBe(1);
    const r2 = await again.submit((await makeCsr()).toPem(), { template: 'WebServer' });
    expect(await r2.certificate!.verifySignature(again.certificate.publicKey)).toBe(true);
    const rootCrl = await again.publishCrl({ authority: 'root' });
    expect(rootCrl.crl.issuer.toString()).toContain('Contoso Root CA');
  });

  it('opened without the passphrase: reads the database, refuses to sign, records nothing', async () => {
    const locked = await reopen(store);
    expect(locked.keyProtection).toBe('locked');
    const before = await locked.list();
    expect(before.length).toBeGreaterThan(0);
    expect((await locked.retrieve(before[0]!.requestId)).disposition).toBe('issued');
    const pem = (await makeCsr()).toPem();
    await expect(locked.submit(pem, { template: 'WebServer' })).rejects.toMatchObject({
      code: 'ERR_CA_KEY_LOCKED',
      message: expect.stringContaining('--key-passphrase-file'),
    });
    await expect(locked.publishCrl()).rejects.toMatchObject({ code: 'ERR_CA_KEY_LOCKED' });
    await expect(locked.publishAllCrls()).rejects.toMatchObject({ code: 'ERR_CA_KEY_LOCKED' });
    await expect(locked.renew()).rejects.toMatchObject({ code: 'ERR_CA_KEY_LOCKED' });
    await expect(locked.renew({ newKey: true })).rejects.toMatchObject({ code: 'ERR_CA_KEY_LOCKED' });
    expect(await locked.list()).toEqual(before);
    expect((await storedSetup(store)).certificates).toHaveLength(3);
    // The next submission with the passphrase takes the next id: none was used up meanwhile.
    const ca = await reopen(store, PASS);
    const r = await ca.submit(pem, { template: 'WebServer' });
    expect(r.requestId).toBe(before.at(-1)!.requestId + 1);
  });

  it('refuses a pending request to be issued while locked, and leaves it pending', async () => {
    const ca = await reopen(store, PASS);
    const pending = await ca.submit((await makeCsr()).toPem(), { template: 'WebServer_Manual' });
    expect(pending.disposition).toBe('pending');
    const locked = await reopen(store);
    await expect(locked.approve(pending.requestId)).rejects.toMatchObject({ code: 'ERR_CA_KEY_LOCKED' });
    expect((await locked.retrieve(pending.requestId)).disposition).toBe('pending');
    expect((await ca.approve(pending.requestId)).disposition).toBe('issued');
  });

  it('certsrv refuses to start over a locked CA, and serves one opened with the passphrase', async () => {
    const users = new UserDirectory('CONTOSO');
    await expect(startCertsrv({ ca: await reopen(store), users, port: 0 })).rejects.toMatchObject({
      code: 'ERR_CA_KEY_LOCKED',
    });
    const server = await startCertsrv({ ca: await reopen(store, PASS), users, port: 0 });
    await server.close();
  });

  it('refuses a wrong passphrase at open, and a locked CA with signing workers', async () => {
    await expect(reopen(store, 'wrong horse')).rejects.toMatchObject({
      code: 'ERR_CA_KEY_PASSPHRASE',
      cause: expect.objectContaining({ code: 'ERR_PKI_KEY_PASSWORD' }),
    });
    await expect(reopen(store, undefined, { signingWorkers: 1 })).rejects.toMatchObject({
      code: 'ERR_CA_KEY_LOCKED',
    });
  });

  it('signs on workers with the passphrase (the workers get the decrypted key)', async () => {
    const own = createMemoryStore();
    await createAuthority({ ...NAMES, db: own, clock, keyPassphrase: PASS });
    const ca = await reopen(own, PASS, { signingWorkers: 1 });
    try {
      const r = await ca.submit((await makeCsr()).toPem(), { template: 'WebServer' });
      expect(r.disposition).toBe('issued');
      expect(await r.certificate!.verifySignature(ca.certificate.publicKey)).toBe(true);
      await ca.renew({ newKey: true });
      const r2 = await ca.submit((await makeCsr()).toPem(), { template: 'WebServer' });
      expect(await r2.certificate!.verifySignature(ca.certificate.publicKey)).toBe(true);
      expect(r2.certificate!.issuer.toString()).toBe(ca.certificate.subject.toString());
    } finally {
      await ca.close();
    }
  });

  it('setKeyPassphrase: protects a CA made without one, changes it, removes it', async () => {
    const own = createMemoryStore();
    const made = await createAuthority({ ...NAMES, db: own, clock });
    await made.renew({ newKey: true });
    const plainRows = (await storedSetup(own)).certificates;
    await made.setKeyPassphrase(PASS);
    expect(made.keyProtection).toBe('passphrase');
    let setup = await storedSetup(own);
    expect(setup.config.keyProtection).toBe('passphrase');
    expect(setup.certificates).toHaveLength(3);
    for (const row of setup.certificates) {
      await expect(importPrivateKey(row.privateKey)).rejects.toMatchObject({ code: 'ERR_PKI_KEY_ENCRYPTED' });
      const plain = plainRows.find((p) => p.authority === row.authority && p.certIndex === row.certIndex)!;
      // The same key, now encrypted.
      expect(await (await importPrivateKey(row.privateKey, { password: PASS })).toPkcs8()).toEqual(
        plain.privateKey,
      );
    }
    // The CA goes on signing, and a later open needs the passphrase.
    expect((await made.submit((await makeCsr()).toPem(), { template: 'WebServer' })).disposition).toBe(
      'issued',
    );
    expect((await reopen(own)).keyProtection).toBe('locked');
    const reopened = await reopen(own, PASS);
    await reopened.setKeyPassphrase('another passphrase');
    await expect(reopen(own, PASS)).rejects.toMatchObject({ code: 'ERR_CA_KEY_PASSPHRASE' });
    const changed = await reopen(own, 'another passphrase');
    await expect((await reopen(own)).setKeyPassphrase(PASS)).rejects.toMatchObject({
      code: 'ERR_CA_KEY_LOCKED',
    });
    await changed.setKeyPassphrase(undefined);
    setup = await storedSetup(own);
    expect(setup.config.keyProtection).toBeUndefined();
    expect(setup.certificates.map((c) => [...c.privateKey])).toEqual(plainRows.map((c) => [...c.privateKey]));
    const plainAgain = await reopen(own);
    expect(plainAgain.keyProtection).toBe('none');
    expect((await plainAgain.submit((await makeCsr()).toPem(), { template: 'WebServer' })).disposition).toBe(
      'issued',
    );
    await expect(plainAgain.setKeyPassphrase('')).rejects.toMatchObject({ code: 'ERR_CA_OPTIONS_INVALID' });
    await own.close();
  });

  it('a renewal by a process that opened the CA before another changed its key passphrase is refused, nothing stored', async () => {
    const shared = createMemoryStore();
    await createAuthority({ ...NAMES, db: shared, clock });
    // Two processes on one database: `early` opens the plain CA, then `other` encrypts its keys.
    const early = await reopen(shared);
    await (await reopen(shared)).setKeyPassphrase(PASS);
    await expect(early.renew({ newKey: true })).rejects.toMatchObject({
      code: 'ERR_CA_STORE',
      message: expect.stringContaining('open the CA again with the passphrase'),
    });
    // Had the plain key been stored, the encrypted CA could not be opened any more.
    let setup = await storedSetup(shared);
    expect(setup.certificates).toHaveLength(2);
    const current = await reopen(shared, PASS);
    await current.renew();
    // And the other way: the passphrase removed while an encrypted CA was open.
    const encrypted = await reopen(shared, PASS);
    await current.setKeyPassphrase(undefined);
    await expect(encrypted.renew()).rejects.toMatchObject({
      code: 'ERR_CA_STORE',
      message: expect.stringContaining('passphrase was removed'),
    });
    setup = await storedSetup(shared);
    expect(setup.certificates).toHaveLength(3);
    for (const row of setup.certificates) await importPrivateKey(row.privateKey);
    expect((await reopen(shared)).keyProtection).toBe('none');
    await shared.close();
  });

  it('refuses a passphrase for a CA whose keys are plain, and an empty passphrase', async () => {
    const plain = createMemoryStore();
    const ca = await createAuthority({ ...NAMES, db: plain, clock });
    expect(ca.keyProtection).toBe('none');
    await expect(reopen(plain, PASS)).rejects.toMatchObject({
      code: 'ERR_CA_OPTIONS_INVALID',
      message: expect.stringContaining('unencrypted'),
    });
    await expect(createAuthority({ ...NAMES, keyPassphrase: '' })).rejects.toMatchObject({
      code: 'ERR_CA_OPTIONS_INVALID',
    });
    await ca.close();
  });

  it('a damaged current key row is told apart from a wrong passphrase when another key of the CA decrypts', async () => {
    const setup = await storedSetup(store);
    const current = Math.max(
      ...setup.certificates.filter((c) => c.authority === 'issuing').map((c) => c.certIndex),
    );
    const withKey = async (privateKey: (old: Uint8Array) => Uint8Array) => {
      const own = createMemoryStore();
      await own.initializeCa(async () => ({
        config: setup.config,
        certificates: setup.certificates.map((c) =>
          c.authority === 'issuing' && c.certIndex === current
            ? { ...c, privateKey: privateKey(c.privateKey) }
            : c,
        ),
      }));
      return own;
    };
    // A flipped bit in the last AES-CBC block: the padding does not check, exactly what a wrong
    // passphrase gives from this row alone.
    const flipped = await withKey((k) => {
      const d = k.slice();
      d[d.length - 1]! ^= 0x01;
      return d;
    });
    await expect(reopen(flipped, PASS)).rejects.toMatchObject({
      code: 'ERR_CA_STORE',
      message: expect.stringMatching(
        new RegExp(`issuing certificate ${current}\\) is damaged.*decrypts the CA's other keys`),
      ),
    });
    await expect(reopen(flipped, 'not the passphrase')).rejects.toMatchObject({
      code: 'ERR_CA_KEY_PASSPHRASE',
    });
    await flipped.close();
    // Bytes that are not an encrypted key at all.
    const garbage = await withKey(() => new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]));
    await expect(reopen(garbage, PASS)).rejects.toMatchObject({
      code: 'ERR_CA_STORE',
      message: expect.stringContaining('cannot be read as an encrypted private key'),
    });
    await garbage.close();
  }, 60_000);

  it('a damaged encrypted key row: the CA opens and signs, or refuses with a coded error (fast-check)', async () => {
    const setup = await storedSetup(store);
    // The current issuing key: the one an open checks and a submission signs with.
    const current = Math.max(
      ...setup.certificates.filter((c) => c.authority === 'issuing').map((c) => c.certIndex),
    );
    const o = new Outcomes();
    const accepts = [coded(CaError, 'ERR_CA_'), coded(PkiError, 'ERR_PKI_')];
    await fc.assert(
      fc.asyncProperty(mutationsArb(2), async (ms) => {
        const damaged: CaSetup = {
          config: setup.config,
          certificates: setup.certificates.map((c) =>
            c.authority === 'issuing' && c.certIndex === current
              ? { ...c, privateKey: mutate(c.privateKey, ms) }
              : c,
          ),
        };
        const own = createMemoryStore();
        await own.initializeCa(async () => damaged);
        // PBKDF2 as the mutated parameters ask, up to pki's 10,000,000 iterations: seconds, not more.
        await attemptAsync(
          'open and submit',
          o,
          accepts,
          async () => {
            const ca = await reopen(own, PASS);
            return ca.submit((await makeCsr()).toPem(), { template: 'WebServer' });
          },
          30_000,
        );
        await own.close();
      }),
      { seed: 20261202, numRuns: 40 },
    );
    expect(o.failed, 'some damaged rows are refused').toBeGreaterThan(0);
  }, 300_000);
});
