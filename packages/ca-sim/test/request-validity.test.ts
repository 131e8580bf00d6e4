// EDITF_ATTRIBUTEENDDATE (reference §8, §11.1; KB 254632): ExpirationDate or ValidityPeriod +
// ValidityPeriodUnits request attributes shorten the certificate's validity, never lengthen it,
// and only when the CA's EditFlags say so; on the main thread and on signing workers alike.

import {
  type CertificationAuthority,
  type CertsrvServer,
  createAuthority,
  createMemoryStore,
  manualClock,
  parseExpirationDate,
  parseRequestAttributes,
  requestedValidity,
  startCertsrv,
  ValidityAttributeError,
  validityEnd,
} from '@certlab/ca-sim';
import { parseCertificate, readDerOrPem } from '@certlab/pki';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aliceDirectory, basic, GO, submitFields } from './support/certsrv-fixture.js';
import { makeCsr } from './support/csr.js';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const SKEW = 10 * 60_000;
const DAY = 86_400_000;

describe('parsing the attributes', () => {
  it('reads ExpirationDate in RFC 1123 (the HTTP date) and ISO 8601, in UTC unless told', () => {
    const cases: [string, string | undefined][] = [
      ['Tue, 21 Nov 2028 01:06:53 GMT', '2028-11-21T01:06:53.000Z'],
      ['21 Nov 2028 01:06 UTC', '2028-11-21T01:06:00.000Z'],
      ['Tue, 21 Nov 2028 01:06:53 +0200', '2028-11-20T23:06:53.000Z'],
      ['Tue, 21 Nov 2028 01:06:53 +9999', undefined],
      ['2028-11-21T01:06:53+14:60', undefined],
      ['0050-01-01', undefined],
      ['2028-11-21', '2028-11-21T00:00:00.000Z'],
      ['2028-11-21T01:06:53Z', '2028-11-21T01:06:53.000Z'],
      ['2028-11-21T01:06:53.250-05:00', '2028-11-21T06:06:53.000Z'],
      ['2028-02-30', undefined],
      ['31 Foo 2028 01:00:00 GMT', undefined],
      ['2028-13-01', undefined],
      ['next tuesday', undefined],
      ['2028', undefined],
      ['', undefined],
    ];
    for (const [text, iso] of cases) expect(parseExpirationDate(text)?.toISOString(), text).toBe(iso);
  });

  it('takes ValidityPeriod units case-insensitively with a positive whole count; throws for the rest', () => {
    const v = (lines: string[]) => requestedValidity(parseRequestAttributes(lines));
    expect(v(['CertificateTemplate:WebServer'])).toBeUndefined();
    expect(v(['ValidityPeriod:Days', 'ValidityPeriodUnits:30'])).toEqual({ period: 'days', units: 30 });
    expect(v(['validityperiod: WEEKS ', 'Validity-Period-Units: 2'])).toEqual({ period: 'weeks', units: 2 });
    expect(v(['ValidityPeriod:Years', 'ValidityPeriodUnits:1'])).toEqual({ period: 'years', units: 1 });
    for (const bad of [
      ['ValidityPeriod:Fortnights', 'ValidityPeriodUnits:1'],
      ['ValidityPeriod:Days', 'ValidityPeriodUnits:0'],
      ['ValidityPeriod:Days', 'ValidityPeriodUnits:-3'],
      ['ValidityPeriod:Days', 'ValidityPeriodUnits:1.5'],
      ['ValidityPeriod:Days'],
      ['ValidityPeriodUnits:7'],
      ['ExpirationDate:someday'],
      ['ExpirationDate:'],
      ['ExpirationDate:soon', 'ValidityPeriod:Days', 'ValidityPeriodUnits:3'],
    ])
      expect(() => v(bad), bad.join(' ')).toThrow(
        expect.objectContaining({ name: 'ValidityAttributeError', code: 'ERR_CA_ATTRIBUTE_INVALID' }),
      );
    // An end date wins over a period.
    expect(v(['ExpirationDate:2027-01-01', 'ValidityPeriod:Days', 'ValidityPeriodUnits:3'])).toEqual({
      expirationDate: new Date('2027-01-01T00:00:00Z'),
    });
  });

  it('never throws on hostile values but ValidityAttributeError: mutated dates and periods give a valid date, nothing, or that error', () => {
    const seeds = ['Tue, 21 Nov 2028 01:06:53 GMT', '2028-11-21T01:06:53.250-05:00', 'Days', '30'];
    const mutated = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc
        .tuple(fc.constantFrom(...seeds), fc.nat(40), fc.string({ maxLength: 4 }))
        .map(([s, i, insert]) => s.slice(0, i % (s.length + 1)) + insert + s.slice(i % (s.length + 1))),
    );
    fc.assert(
      fc.property(mutated, mutated, mutated, (date, unit, count) => {
        const d = parseExpirationDate(date);
        if (d !== undefined) expect(Number.isFinite(d.getTime())).toBe(true);
        for (const lines of [
          [`ExpirationDate:${date}`],
          [`ValidityPeriod:${unit}`, `ValidityPeriodUnits:${count}`],
        ]) {
          try {
            const v = requestedValidity(parseRequestAttributes(lines));
            if (v) validityEnd(v, NOW);
          } catch (e) {
            expect(e).toBeInstanceOf(ValidityAttributeError);
          }
        }
      }),
      { seed: 20261201, numRuns: 2_000 },
    );
  });

  it('adds periods from the time of issuance, months and years on the UTC calendar', () => {
    const at = (iso: string) => new Date(iso);
    const end = (period: Parameters<typeof validityEnd>[0], from: string) =>
      validityEnd(period, at(from)).toISOString();
    expect(end({ period: 'seconds', units: 90 }, '2026-12-01T10:00:00Z')).toBe('2026-12-01T10:01:30.000Z');
    expect(end({ period: 'hours', units: 36 }, '2026-12-01T10:00:00Z')).toBe('2026-12-02T22:00:00.000Z');
    expect(end({ period: 'weeks', units: 2 }, '2026-12-01T10:00:00Z')).toBe('2026-12-15T10:00:00.000Z');
    expect(end({ period: 'months', units: 1 }, '2027-01-31T10:00:00Z')).toBe('2027-02-28T10:00:00.000Z');
    expect(end({ period: 'months', units: 13 }, '2027-01-31T10:00:00Z')).toBe('2028-02-29T10:00:00.000Z');
    expect(end({ period: 'years', units: 1 }, '2028-02-29T10:00:00Z')).toBe('2029-02-28T10:00:00.000Z');
    expect(end({ expirationDate: at('2027-06-01T00:00:00Z') }, '2026-12-01T10:00:00Z')).toBe(
      '2027-06-01T00:00:00.000Z',
    );
  });
});

describe('issuance', () => {
  let plain: CertificationAuthority;
  let flagged: CertificationAuthority;
  let workers: CertificationAuthority;

  beforeAll(async () => {
    const base = {
      name: 'Contoso Issuing CA',
      root: { name: 'Contoso Root CA' },
      keyType: 'ec' as const,
      clock: manualClock(NOW),
    };
    plain = await createAuthority(base);
    flagged = await createAuthority({ ...base, editFlags: ['EDITF_ATTRIBUTEENDDATE'] });
    workers = await createAuthority({ ...base, editFlags: ['EDITF_ATTRIBUTEENDDATE'], signingWorkers: 1 });
  });
  afterAll(async () => {
    await Promise.all([plain?.close(), flagged?.close(), workers?.close()]);
  });

  async function notAfter(ca: CertificationAuthority, attrs: string[]): Promise<string> {
    const r = await ca.submit((await makeCsr()).toPem(), {
      attributes: ['CertificateTemplate:WebServer', ...attrs],
    });
    expect(r.disposition, r.message).toBe('issued');
    expect(r.certificate!.notBefore.toISOString()).toBe(new Date(NOW.getTime() - SKEW).toISOString());
    return r.certificate!.notAfter.toISOString();
  }

  const twoYears = new Date(NOW.getTime() + 730 * DAY).toISOString();

  it('without the flag the attributes are ignored: the Web Server template’s two years', async () => {
    expect(await notAfter(plain, ['ValidityPeriod:Days', 'ValidityPeriodUnits:7'])).toBe(twoYears);
    expect(await notAfter(plain, ['ExpirationDate:2027-01-01'])).toBe(twoYears);
  });

  for (const [label, ca] of [
    ['main thread', () => flagged],
    ['signing worker', () => workers],
  ] as const)
    it(`with EDITF_ATTRIBUTEENDDATE they shorten the validity (${label})`, async () => {
      expect(await notAfter(ca(), ['ValidityPeriod:Days', 'ValidityPeriodUnits:7'])).toBe(
        new Date(NOW.getTime() + 7 * DAY).toISOString(),
      );
      expect(await notAfter(ca(), ['ValidityPeriod:Hours', 'ValidityPeriodUnits:1'])).toBe(
        '2026-12-01T11:00:00.000Z',
      );
      expect(await notAfter(ca(), ['ExpirationDate:Fri, 01 Jan 2027 00:00:00 GMT'])).toBe(
        '2027-01-01T00:00:00.000Z',
      );
      // Never longer than the template, the CA's ValidityPeriod or the CA certificate.
      expect(await notAfter(ca(), ['ValidityPeriod:Years', 'ValidityPeriodUnits:5'])).toBe(twoYears);
      expect(await notAfter(ca(), ['ExpirationDate:2099-01-01'])).toBe(twoYears);
      // A count beyond what a date holds is longer than every bound.
      expect(await notAfter(ca(), ['ValidityPeriod:Years', 'ValidityPeriodUnits:999999999'])).toBe(twoYears);
      // An end that has come (even one inside the clock skew) or a value that does not parse is
      // refused as an unreadable san: is, 0x80070057: never issued longer than asked.
      for (const attrs of [
        ['ExpirationDate:2020-01-01'],
        ['ExpirationDate:2026-12-01T09:55:00Z'],
        ['ExpirationDate:2026-12-01T10:00:00Z'],
        ['ValidityPeriod:Days', 'ValidityPeriodUnits:soon'],
        ['ValidityPeriod:Fortnights', 'ValidityPeriodUnits:1'],
        ['ValidityPeriodUnits:7'],
        ['ExpirationDate:soon', 'ValidityPeriod:Days', 'ValidityPeriodUnits:3'],
      ]) {
        const r = await ca().submit((await makeCsr()).toPem(), {
          attributes: ['CertificateTemplate:WebServer', ...attrs],
        });
        expect(r, attrs.join(' ')).toMatchObject({
          disposition: 'denied',
          hresult: 0x80070057,
          message: 'Denied by Policy Module  0x80070057, The parameter is incorrect.',
        });
        expect(r.certificate, attrs.join(' ')).toBeUndefined();
      }
    });

  describe('through certsrv', () => {
    let server: CertsrvServer;
    const headers = { authorization: basic('alice', 'alice-Passw0rd'), 'user-agent': GO };
    beforeAll(async () => {
      server = await startCertsrv({ ca: flagged, users: await aliceDirectory(), crlSchedule: false });
    });
    afterAll(() => server?.close());

    /** Posts a request with these CertAttrib lines to certfnsh.asp; the page's status and text. */
    async function post(pem: string, attrib: string): Promise<{ status: number; html: string }> {
      const form = submitFields(pem, 'WebServer', { CertAttrib: attrib });
      const r = await fetch(`${server.url}/certsrv/certfnsh.asp`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
      return { status: r.status, html: await r.text() };
    }

    async function issuedCertificate(html: string) {
      const id = /certnew\.cer\?ReqID=(\d+)&/.exec(html)![1];
      const pem = await (
        await fetch(`${server.url}/certsrv/certnew.cer?ReqID=${id}&Enc=b64`, { headers })
      ).text();
      return parseCertificate(readDerOrPem(pem, 'CERTIFICATE'));
    }

    it('CertAttrib on certfnsh.asp carries them, as a web client sends certreq -attrib', async () => {
      const { html } = await post(
        (await makeCsr()).toPem(),
        'CertificateTemplate:WebServer\r\nValidityPeriod:Weeks\r\nValidityPeriodUnits:2\r\n',
      );
      expect(html).toContain('Certificate Issued');
      const cert = await issuedCertificate(html);
      expect(cert.notAfter.toISOString()).toBe(new Date(NOW.getTime() + 14 * DAY).toISOString());
    });

    it('fast-check: mutated validity attributes get the issued page (never longer than asked) or the policy denial, one request id each, never an error', async () => {
      const pem = (await makeCsr()).toPem();
      const before = (await flagged.list()).length;
      const value = fc.oneof(
        fc.constantFrom('Days', 'weeks', 'Fortnights', '', '7', '0', '-1', '999999999', '2027-01-01', 'soon'),
        fc.string({ maxLength: 12 }),
      );
      // Half well-formed (a unit and a count, or a date to come), half pairs of mutated lines.
      const lines = fc.oneof(
        fc
          .tuple(
            fc.constantFrom('Hours', 'days', 'Weeks', 'Months', 'YEARS'),
            fc.integer({ min: 1, max: 5000 }),
          )
          .map(([unit, n]) => `ValidityPeriod:${unit}\r\nValidityPeriodUnits:${n}`),
        fc
          .integer({ min: 1, max: 4000 })
          .map((days) => `ExpirationDate:${new Date(NOW.getTime() + days * DAY).toUTCString()}`),
        fc
          .tuple(
            fc.constantFrom('ValidityPeriod', 'validity-period', 'ValidityPeriodUnits', 'ExpirationDate'),
            value,
            fc.constantFrom('ValidityPeriod', 'ValidityPeriodUnits', 'ExpirationDate'),
            value,
          )
          .map(([n1, v1, n2, v2]) => `${n1}:${v1}\r\n${n2}:${v2}`),
      );
      let runs = 0;
      let issued = 0;
      await fc.assert(
        fc.asyncProperty(lines, async (attrib) => {
          runs++;
          const { status, html } = await post(pem, `CertificateTemplate:WebServer\r\n${attrib}\r\n`);
          expect(status).toBe(200);
          if (html.includes('Certificate Issued')) {
            issued++;
            const cert = await issuedCertificate(html);
            expect(cert.notAfter.getTime()).toBeGreaterThan(NOW.getTime());
            expect(cert.notAfter.getTime()).toBeLessThanOrEqual(NOW.getTime() + 730 * DAY);
          } else expect(html).toContain('Denied by Policy Module  0x80070057, The parameter is incorrect.');
        }),
        { seed: 20261201, numRuns: 60 },
      );
      // Every submission has its request row: none was refused before the CA, none lost.
      expect((await flagged.list()).length - before).toBe(runs);
      // Both answers were exercised.
      expect(issued).toBeGreaterThan(5);
      expect(runs - issued).toBeGreaterThan(5);
    });
  });

  it('a pending request approved after the end it asked for is denied, not issued for two years', async () => {
    const clock = manualClock(NOW);
    const ca = await createAuthority({
      name: 'Contoso Issuing CA',
      root: { name: 'Contoso Root CA' },
      keyType: 'ec',
      clock,
      editFlags: ['EDITF_ATTRIBUTEENDDATE'],
    });
    try {
      const submit = async (attrs: string[]) =>
        ca.submit((await makeCsr()).toPem(), {
          attributes: ['CertificateTemplate:WebServer_Manual', ...attrs],
        });
      const late = await submit(['ExpirationDate:2026-12-02T10:00:00Z']);
      const period = await submit(['ValidityPeriod:Days', 'ValidityPeriodUnits:1']);
      expect([late.disposition, period.disposition]).toEqual(['pending', 'pending']);
      clock.advance(2 * DAY);
      const approvedLate = await ca.approve(late.requestId);
      expect(approvedLate).toMatchObject({ disposition: 'denied', hresult: 0x80070057 });
      // A period counts from the approval, when the certificate is made.
      const approved = await ca.approve(period.requestId);
      expect(approved.disposition, approved.message).toBe('issued');
      expect(approved.certificate!.notAfter.toISOString()).toBe(
        new Date(NOW.getTime() + 3 * DAY).toISOString(),
      );
    } finally {
      await ca.close();
    }
  });

  it('refuses an EditFlag it does not know before it creates anything (ERR_CA_OPTIONS_INVALID)', async () => {
    const db = createMemoryStore();
    await expect(
      createAuthority({
        name: 'Contoso Issuing CA',
        root: { name: 'Contoso Root CA' },
        keyType: 'ec',
        db,
        // @ts-expect-error: a flag the simulator does not honour
        editFlags: ['EDITF_ADDOLDKEYUSAGE'],
      }),
    ).rejects.toMatchObject({ code: 'ERR_CA_OPTIONS_INVALID' });
    // The store holds no CA: a later createAuthority on it starts from nothing.
    let created = false;
    await db
      .initializeCa(async () => {
        created = true;
        throw new Error('stop here');
      })
      .catch(() => undefined);
    expect(created).toBe(true);
    await db.close();
  });
});
