// The one contract every RequestStore passes. Each implementation's test file calls
// `storeContract` with a factory for fresh, empty stores.

import {
  type CaCertificateRow,
  type CertificateRow,
  createAuthority,
  HRESULTS,
  isCaError,
  type NewRequestRow,
  type RequestResult,
  type RequestStore,
} from '@certlab/ca-sim';
import { createCsr, Name } from '@certlab/pki';
import { afterEach, describe, expect, it } from 'vitest';
import { makeCsr, testKey } from './csr.js';

const T0 = new Date('2026-03-01T10:00:00.000Z');

function pending(extra: Partial<NewRequestRow> = {}): NewRequestRow {
  return {
    submittedAt: T0,
    status: 'pending',
    disposition: 5,
    dispositionMessage: 'Taken Under Submission',
    statusCode: 0,
    template: 'WebServer_Manual',
    subject: 'CN=exch01.contoso.com',
    attributes: 'certificatetemplate:WebServer_Manual\r\n',
    request: Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00),
    ...extra,
  };
}

function cert(serialNumber: string, extra: Partial<CertificateRow> = {}): CertificateRow {
  return {
    serialNumber,
    caCertIndex: 0,
    certificate: Uint8Array.of(0x30, 0x00, 0xff),
    notBefore: T0,
    notAfter: new Date('2028-03-01T10:00:00.000Z'),
    ...extra,
  };
}

function issued(serialNumber: string): NewRequestRow {
  return pending({
    status: 'issued',
    disposition: 3,
    dispositionMessage: 'Issued',
    resolvedAt: T0,
    certificate: cert(serialNumber),
  });
}

const caRow = (certIndex: number): CaCertificateRow => ({
  authority: 'issuing',
  certIndex,
  keyIndex: 0,
  certificate: Uint8Array.of(1, 2, 3, certIndex),
  privateKey: Uint8Array.of(4, 5, 6),
  createdAt: T0,
});

/** Registers the contract tests for one store implementation. */
export function storeContract(name: string, factory: () => Promise<RequestStore>): void {
  describe(`RequestStore contract: ${name}`, () => {
    const open: RequestStore[] = [];
    const fresh = async () => {
      const s = await factory();
      open.push(s);
      return s;
    };
    afterEach(async () => {
      for (const s of open.splice(0)) await s.close();
    });

    it('creates the CA setup once and returns the stored one afterwards', async () => {
      const s = await fresh();
      let calls = 0;
      const create = async () => {
        calls++;
        return { config: { name: 'Contoso Issuing CA', rootName: '' }, certificates: [caRow(0)] };
      };
      const a = await s.initializeCa(create);
      const b = await s.initializeCa(create);
      expect(calls).toBe(1);
      expect(b.config).toEqual(a.config);
      expect(b.certificates).toHaveLength(1);
      expect([...b.certificates[0]!.certificate]).toEqual([1, 2, 3, 0]);
      expect(b.certificates[0]!.createdAt.getTime()).toBe(T0.getTime());
      await s.addCaCertificate(caRow(1), undefined);
      const c = await s.initializeCa(create);
      expect(c.certificates.map((x) => x.certIndex)).toEqual([0, 1]);
      await expect(s.addCaCertificate(caRow(1), undefined)).rejects.toSatisfy((e) =>
        isCaError(e, 'ERR_CA_STORE'),
      );
    });

    it('replaces every CA key and the keyProtection setting at once, or nothing when a key is missing; a renewal under the other protection is refused', async () => {
      const s = await fresh();
      expect(s.replaceCaKeys).toBeTypeOf('function');
      await expect(s.replaceCaKeys!([], 'passphrase')).rejects.toSatisfy((e) => isCaError(e, 'ERR_CA_STORE'));
      const create = async () => ({
        config: { name: 'Contoso Issuing CA', rootName: '' },
        certificates: [caRow(0)],
      });
      await s.initializeCa(create);
      await s.addCaCertificate(caRow(1), undefined);
      const key = (certIndex: number, b: number) => ({
        authority: 'issuing' as const,
        certIndex,
        privateKey: Uint8Array.of(b, certIndex),
      });
      await s.replaceCaKeys!([key(0, 7), key(1, 7)], 'passphrase');
      let now = await s.initializeCa(create);
      expect(now.config.keyProtection).toBe('passphrase');
      expect(now.config.name).toBe('Contoso Issuing CA');
      expect(now.certificates.map((c) => [...c.privateKey])).toEqual([
        [7, 0],
        [7, 1],
      ]);
      expect(now.certificates.map((c) => [...c.certificate])).toEqual([
        [1, 2, 3, 0],
        [1, 2, 3, 1],
      ]);
      // A key missing, named twice, or unknown: nothing changes.
      for (const bad of [[key(0, 9)], [key(0, 9), key(0, 9)], [key(0, 9), key(1, 9), key(2, 9)]])
        await expect(s.replaceCaKeys!(bad, undefined)).rejects.toSatisfy((e) => isCaError(e, 'ERR_CA_STORE'));
      now = await s.initializeCa(create);
      expect(now.config.keyProtection).toBe('passphrase');
      expect(now.certificates.map((c) => c.privateKey[0])).toEqual([7, 7]);
      await s.replaceCaKeys!([key(1, 8), key(0, 8)], undefined);
      now = await s.initializeCa(create);
      expect(now.config.keyProtection).toBeUndefined();
      expect(now.certificates.map((c) => [...c.privateKey])).toEqual([
        [8, 0],
        [8, 1],
      ]);
      // A renewal stores its key under the protection its process opened the CA with: refused
      // when another process changed it since, nothing added.
      await expect(s.addCaCertificate(caRow(2), 'passphrase')).rejects.toSatisfy((e) =>
        isCaError(e, 'ERR_CA_STORE'),
      );
      await s.replaceCaKeys!([key(0, 9), key(1, 9)], 'passphrase');
      await expect(s.addCaCertificate(caRow(2), undefined)).rejects.toSatisfy((e) =>
        isCaError(e, 'ERR_CA_STORE'),
      );
      expect((await s.initializeCa(create)).certificates.map((c) => c.certIndex)).toEqual([0, 1]);
      await s.addCaCertificate(caRow(2), 'passphrase');
      expect((await s.initializeCa(create)).certificates.map((c) => c.certIndex)).toEqual([0, 1, 2]);
    });

    it('createAuthority({ create: false }) refuses a store without a CA and writes nothing; it opens one that has it', async () => {
      const s = await fresh();
      const options = {
        name: 'Contoso Issuing CA',
        root: { name: 'Contoso Root CA' },
        keyType: 'ec',
        db: s,
      } as const;
      await expect(createAuthority({ ...options, create: false })).rejects.toSatisfy((e) =>
        isCaError(e, 'ERR_CA_NOT_FOUND'),
      );
      // Nothing was written: the store still makes its CA on the next (creating) call.
      let made = false;
      await s.initializeCa(async () => {
        made = true;
        return { config: { name: 'Probe', rootName: '' }, certificates: [caRow(0)] };
      });
      expect(made).toBe(true);
      const other = await fresh();
      const created = await createAuthority({ ...options, db: other });
      const reopened = await createAuthority({ ...options, db: other, create: false });
      expect(await reopened.certificate.thumbprint()).toBe(await created.certificate.thumbprint());
    });

    it('numbers requests 1, 2, 3 and reads back exactly what was stored', async () => {
      const s = await fresh();
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) ids.push((await s.insertRequest(async () => pending())).requestId);
      expect(ids).toEqual([1, 2, 3]);
      const r = await s.insertRequest(async (id) => ({
        ...issued(`0A${String(id).padStart(2, '0')}`),
        requester: '{"name":"CONTOSO\\\\alice"}',
      }));
      const back = await s.getRequest(r.requestId);
      expect(back).toEqual(r);
      expect(back!.certificate!.serialNumber).toBe('0A04');
      expect(back!.certificate!.revokedAt).toBeUndefined();
      expect(await s.getRequest(99)).toBeUndefined();
      const p = await s.getRequest(1);
      expect(p).toEqual({ ...pending(), requestId: 1 });
      expect(p!.resolvedAt).toBeUndefined();
      expect(p!.certificate).toBeUndefined();
    });

    it('writes nothing when building the row fails, and the ids go on increasing', async () => {
      const s = await fresh();
      await s.insertRequest(async () => pending());
      let failedId = 0;
      await expect(
        s.insertRequest(async (id) => {
          failedId = id;
          throw new Error('signing failed');
        }),
      ).rejects.toThrow('signing failed');
      expect(await s.getRequest(failedId)).toBeUndefined();
      const next = await s.insertRequest(async () => pending());
      expect(next.requestId).toBeGreaterThan(failedId);
      expect((await s.listRequests()).map((r) => r.requestId)).toEqual([1, next.requestId]);
    });

    it('gives concurrent submissions distinct ids and loses none', async () => {
      const s = await fresh();
      const rows = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          s.insertRequest(async (id) => (i % 2 ? issued(`1${String(id).padStart(3, '0')}`) : pending())),
        ),
      );
      const ids = rows.map((r) => r.requestId).sort((a, b) => a - b);
      expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect((await s.listRequests()).map((r) => r.requestId)).toEqual(ids);
    });

    it('refuses a serial number twice and stores neither half of the second request', async () => {
      const s = await fresh();
      await s.insertRequest(async () => issued('7F01'));
      let id = 0;
      await expect(
        s.insertRequest(async (i) => {
          id = i;
          return issued('7F01');
        }),
      ).rejects.toSatisfy((e) => isCaError(e, 'ERR_CA_SERIAL_DUPLICATE'));
      expect(await s.getRequest(id)).toBeUndefined();
      const p = await s.insertRequest(async () => pending());
      await expect(
        s.updateRequest(p.requestId, async () => ({ status: 'issued', certificate: cert('7F01') })),
      ).rejects.toSatisfy((e) => isCaError(e, 'ERR_CA_SERIAL_DUPLICATE'));
      expect((await s.getRequest(p.requestId))!.status).toBe('pending');
    });

    it('updates a request atomically: status, message and its new certificate', async () => {
      const s = await fresh();
      const p = await s.insertRequest(async () => pending());
      const T1 = new Date('2026-03-02T00:00:00.000Z');
      const u = await s.updateRequest(p.requestId, async (cur) => {
        expect(cur).toEqual(p);
        return {
          status: 'issued',
          disposition: 3,
          dispositionMessage: 'Resubmitted by CONTOSO\\Administrator',
          resolvedAt: T1,
          certificate: cert('3C01'),
        };
      });
      expect(u.status).toBe('issued');
      expect(u.resolvedAt!.getTime()).toBe(T1.getTime());
      expect(u.certificate!.serialNumber).toBe('3C01');
      expect(await s.getRequest(p.requestId)).toEqual(u);
      expect((await s.findBySerial('3c01'))!.requestId).toBe(p.requestId);
      expect(await s.findBySerial('3C02')).toBeUndefined();
      await expect(
        s.updateRequest(p.requestId, async () => ({ certificate: cert('3C03') })),
      ).rejects.toSatisfy((e) => isCaError(e, 'ERR_CA_REQUEST_STATE'));
      await expect(
        s.updateRequest(p.requestId, async () => {
          throw new Error('officer changed their mind');
        }),
      ).rejects.toThrow('officer changed');
      expect(await s.getRequest(p.requestId)).toEqual(u);
      await expect(s.updateRequest(404, async () => ({}))).rejects.toSatisfy((e) =>
        isCaError(e, 'ERR_CA_REQUEST_NOT_FOUND'),
      );
    });

    it('records revocation and release from hold, and lists them for CRLs', async () => {
      const s = await fresh();
      const a = await s.insertRequest(async () => issued('11'));
      const b = await s.insertRequest(async () => issued('22'));
      await s.insertRequest(async () => issued('33'));
      const T1 = new Date('2026-03-03T00:00:00.000Z');
      await s.updateRequest(a.requestId, async () => ({
        status: 'revoked',
        disposition: 6,
        revocation: { revokedAt: T1, revocationReason: 1, unrevokedAt: null },
      }));
      await s.updateRequest(b.requestId, async () => ({
        status: 'revoked',
        revocation: { revokedAt: T1, revocationReason: 6, unrevokedAt: null },
      }));
      await s.updateRequest(b.requestId, async () => ({
        status: 'issued',
        revocation: { revokedAt: null, revocationReason: null, unrevokedAt: T1 },
      }));
      const list = await s.revocations();
      expect(
        list.map((c) => [
          c.serialNumber,
          c.revocationReason,
          c.revokedAt?.getTime(),
          c.unrevokedAt?.getTime(),
        ]),
      ).toEqual([
        ['11', 1, T1.getTime(), undefined],
        ['22', undefined, undefined, T1.getTime()],
      ]);
      const p = await s.insertRequest(async () => pending());
      await expect(
        s.updateRequest(p.requestId, async () => ({
          revocation: { revokedAt: T1, revocationReason: 0, unrevokedAt: null },
        })),
      ).rejects.toSatisfy((e) => isCaError(e, 'ERR_CA_CERTIFICATE_NOT_FOUND'));
    });

    it('lists by status, after an id, with a limit', async () => {
      const s = await fresh();
      for (let i = 0; i < 6; i++)
        await s.insertRequest(async (id) => (i % 3 === 0 ? issued(`5${id}`) : pending()));
      expect((await s.listRequests({ status: 'issued' })).map((r) => r.requestId)).toEqual([1, 4]);
      expect((await s.listRequests({ status: 'pending' })).map((r) => r.requestId)).toEqual([2, 3, 5, 6]);
      expect((await s.listRequests({ status: 'denied' })).map((r) => r.requestId)).toEqual([]);
      expect((await s.listRequests({ afterId: 2, limit: 3 })).map((r) => r.requestId)).toEqual([3, 4, 5]);
    });

    it('numbers CRLs per authority and returns the newest base and delta', async () => {
      const s = await fresh();
      const mk = (delta: boolean, base?: number) => async (n: number) => ({
        delta,
        ...(base !== undefined ? { baseCrlNumber: base } : {}),
        keyIndex: 0,
        thisUpdate: new Date(T0.getTime() + n * 1000),
        nextUpdate: new Date(T0.getTime() + 86_400_000),
        crl: Uint8Array.of(n),
      });
      expect((await s.insertCrl('issuing', mk(false))).crlNumber).toBe(1);
      expect((await s.insertCrl('issuing', mk(true, 1))).crlNumber).toBe(2);
      expect((await s.insertCrl('root', mk(false))).crlNumber).toBe(1);
      await expect(
        s.insertCrl('issuing', async () => {
          throw new Error('no key');
        }),
      ).rejects.toThrow('no key');
      expect((await s.insertCrl('issuing', mk(true, 1))).crlNumber).toBe(3);
      const base = await s.latestCrl('issuing', false);
      const delta = await s.latestCrl('issuing', true);
      expect(base).toMatchObject({ crlNumber: 1, delta: false, authority: 'issuing' });
      expect(base!.baseCrlNumber).toBeUndefined();
      expect(delta).toMatchObject({ crlNumber: 3, delta: true, baseCrlNumber: 1 });
      expect([...delta!.crl]).toEqual([3]);
      expect(await s.latestCrl('root', true)).toBeUndefined();
    });

    it('gives the number of the newest base and delta CRL, as latestCrl, without the row', async () => {
      const s = await fresh();
      // Optional in RequestStore, but every store of the package has it.
      const numberOf = (authority: 'issuing' | 'root', delta: boolean) =>
        s.latestCrlNumber!(authority, delta);
      for (const authority of ['issuing', 'root'] as const)
        for (const delta of [false, true]) expect(await numberOf(authority, delta)).toBeUndefined();
      const mk = (delta: boolean) => async (n: number) => ({
        delta,
        ...(delta ? { baseCrlNumber: 1 } : {}),
        keyIndex: n > 4 ? 1 : 0,
        thisUpdate: new Date(T0.getTime() + n * 1000),
        nextUpdate: new Date(T0.getTime() + 86_400_000),
        crl: Uint8Array.of(n),
      });
      const expectSame = async () => {
        for (const authority of ['issuing', 'root'] as const)
          for (const delta of [false, true])
            expect(await numberOf(authority, delta), `${authority} ${delta}`).toBe(
              (await s.latestCrl(authority, delta))?.crlNumber,
            );
      };
      // Interleaved kinds and authorities, a newer key index (a renewal) from number 5 on.
      for (const [authority, delta] of [
        ['issuing', false],
        ['issuing', true],
        ['root', false],
        ['issuing', true],
        ['issuing', false],
        ['root', false],
        ['issuing', true],
        ['issuing', true],
      ] as const) {
        await s.insertCrl(authority, mk(delta));
        await expectSame();
      }
      expect(await numberOf('issuing', false)).toBe(4);
      expect(await numberOf('issuing', true)).toBe(6);
      expect(await numberOf('root', false)).toBe(2);
      expect(await numberOf('root', true)).toBeUndefined();
    });

    it('keeps text as a PostgreSQL text column does: U+0000 refused, nothing written; an unpaired surrogate as U+FFFD', async () => {
      const s = await fresh();
      const storeError = (e: unknown) => isCaError(e, 'ERR_CA_STORE') && /U\+0000/.test((e as Error).message);
      // PostgreSQL refuses the character (SQLSTATE 22021): every store does, whatever the column.
      for (const field of ['dispositionMessage', 'template', 'requester', 'subject', 'attributes'] as const) {
        let id = 0;
        await expect(
          s.insertRequest(async (i) => {
            id = i;
            return pending({ [field]: 'a\u0000b' });
          }),
          field,
        ).rejects.toSatisfy(storeError);
        expect(await s.getRequest(id), field).toBeUndefined();
      }
      expect(await s.listRequests()).toEqual([]);
      const p = await s.insertRequest(async () => pending());
      expect(p.requestId).toBeGreaterThan(5);
      await expect(
        s.updateRequest(p.requestId, async () => ({
          status: 'denied',
          dispositionMessage: 'Denied by A\u0000B',
        })),
      ).rejects.toSatisfy(storeError);
      expect(await s.getRequest(p.requestId)).toEqual(p);
      await expect(
        s.initializeCa(async () => ({ config: { name: 'Contoso\u0000CA' }, certificates: [caRow(0)] })),
      ).rejects.toSatisfy(storeError);
      const made = await s.initializeCa(async () => ({
        config: { name: 'Contoso CA' },
        certificates: [caRow(0)],
      }));
      expect(made.config).toEqual({ name: 'Contoso CA' });
      // UTF-8 has no form for an unpaired surrogate: U+FFFD, in the row returned and the row read
      // back alike; a surrogate pair (one character) is kept.
      const odd = await s.insertRequest(async () =>
        pending({ subject: 'CN=a\ud800b\udc00c', template: 'Web\ud83d\ude00', attributes: 'x:\udfff\r\n' }),
      );
      expect([odd.subject, odd.template, odd.attributes]).toEqual([
        'CN=a\ufffdb\ufffdc',
        'Web\ud83d\ude00',
        'x:\ufffd\r\n',
      ]);
      expect(await s.getRequest(odd.requestId)).toEqual(odd);
      const u = await s.updateRequest(odd.requestId, async () => ({
        dispositionMessage: 'Denied by \ud800',
      }));
      expect(u.dispositionMessage).toBe('Denied by \ufffd');
      expect(await s.getRequest(odd.requestId)).toEqual(u);
    });

    it('a CA on this store records every submission whose text holds U+0000, each with the next id, as on every store', async () => {
      const ca = await createAuthority({
        name: 'Contoso Issuing CA',
        root: { name: 'Contoso Root CA' },
        keyType: 'ec',
        db: await fresh(),
      });
      const key = await testKey();
      const cn = (value: string, tag?: number) =>
        createCsr({
          subject: Name.from([[{ type: '2.5.4.3', value, ...(tag ? { tag } : {}) }]]),
          privateKey: key,
        });
      const plain = (await makeCsr({ subject: 'CN=web01.contoso.com' })).toPem();
      const BMP = 0x1e;
      const shown = (r: RequestResult) => ({
        id: r.requestId,
        disposition: r.disposition,
        hresult: r.hresult,
        template: r.template,
        subject: r.subject,
        attributes: r.attributes,
        message: r.message,
      });
      const results: RequestResult[] = [];
      const submit = async (...args: Parameters<typeof ca.submit>) => {
        const r = await ca.submit(...args);
        results.push(r);
        return shown(r);
      };
      const unsupported = (name: string) =>
        `Denied by Policy Module  0x80094800, The request was for a certificate template that is not supported by the Active Directory Certificate Services policy: ${name}.`;
      // The subject: RFC 4514 §2.4 escapes U+0000 as \00, whatever the string type; the
      // certificate keeps the name as requested.
      const utf8 = await submit((await cn('web\u0000evil.contoso.com')).toPem(), { template: 'WebServer' });
      expect(utf8).toMatchObject({ id: 1, disposition: 'issued', subject: 'CN=web\\00evil.contoso.com' });
      expect(results[0]!.certificate!.subject.commonName).toBe('web\u0000evil.contoso.com');
      expect(await submit((await cn('web\u0000evil', BMP)).toPem(), { template: 'WebServer' })).toMatchObject(
        {
          id: 2,
          disposition: 'issued',
          subject: 'CN=web\\00evil',
        },
      );
      // Request attributes end at the first NUL, as the NUL-terminated string AD CS receives.
      expect(
        await submit(plain, { attributes: 'CertificateTemplate:Web\u0000Server\r\nUserAgent:x' }),
      ).toEqual({
        id: 3,
        disposition: 'denied',
        hresult: HRESULTS.CERTSRV_E_UNSUPPORTED_CERT_TYPE.code,
        template: 'Web',
        subject: 'CN=web01.contoso.com',
        attributes: 'certificatetemplate:Web\r\n',
        message: unsupported('Web'),
      });
      expect(await submit(plain, { attributes: '\u0000ertificateTemplate:WebServer' })).toMatchObject({
        id: 4,
        disposition: 'denied',
        hresult: HRESULTS.CERTSRV_E_NO_CERT_TYPE.code,
        attributes: undefined,
      });
      expect(
        await submit(plain, {
          attributes: ['UserAgent:x', 'CertificateTemplate:WebServer\u0000junk', 'san:dns=x'],
        }),
      ).toMatchObject({
        id: 5,
        disposition: 'issued',
        attributes: 'useragent:x\r\ncertificatetemplate:WebServer\r\n',
      });
      expect(
        await submit(plain, {
          attributes: { UserAgent: 'x', 'Certificate\u0000Template': 'WebServer', san: 'dns=x' },
        }),
      ).toMatchObject({ id: 6, disposition: 'denied', attributes: 'useragent:x\r\n' });
      expect(await submit(plain, { template: 'WebServer\u0000junk' })).toMatchObject({
        id: 7,
        disposition: 'issued',
      });
      // A template name the request carries (BMPString): U+FFFD in the text columns; the request
      // itself is kept as submitted.
      const named = await makeCsr({ template: 'Web\u0000Server' });
      expect(await submit(named.toPem())).toEqual({
        id: 8,
        disposition: 'denied',
        hresult: HRESULTS.CERTSRV_E_UNSUPPORTED_CERT_TYPE.code,
        template: 'Web\ufffdServer',
        subject: 'CN=exch01.contoso.com,O=Contoso,C=FR',
        attributes: undefined,
        message: unsupported('Web\ufffdServer'),
      });
      expect(await ca.store.getRequest(8).then((r) => r?.request)).toEqual(named.der);
      // An unpaired surrogate (a BMPString can hold one) becomes U+FFFD, as UTF-8 stores write it.
      expect(await submit((await cn('a\ud800b', BMP)).toPem(), { template: 'WebServer' })).toMatchObject({
        id: 9,
        disposition: 'issued',
        subject: 'CN=a\ufffdb',
      });
      // An officer name given to the API.
      const manual = await submit(plain, { template: 'WebServer_Manual' });
      expect(manual).toMatchObject({ id: 10, disposition: 'pending' });
      const denied = await ca.deny(10, { officer: 'CONTOSO\\A\u0000B' });
      expect(denied.message).toBe('Denied by CONTOSO\\A\ufffdB');
      results[9] = denied;
      // What each submission returned is what the database holds.
      expect((await ca.list()).map(shown)).toEqual(results.map(shown));
    });

    it('refuses work once closed', async () => {
      const s = await factory();
      await s.close();
      await expect(s.getRequest(1)).rejects.toSatisfy((e) => isCaError(e, 'ERR_CA_STORE_CLOSED'));
      await expect(s.insertRequest(async () => pending())).rejects.toSatisfy((e) =>
        isCaError(e, 'ERR_CA_STORE_CLOSED'),
      );
      await expect(s.latestCrlNumber!('issuing', false)).rejects.toSatisfy((e) =>
        isCaError(e, 'ERR_CA_STORE_CLOSED'),
      );
    });
  });
}
