// The certsrv cookies: the ASP session cookie (certsrv reference §1) and the `Requests` cookie of
// pending requests (§9), plus the lenient Cookie header parser. fast-check properties use a
// fixed seed, so a failure reproduces.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatRequestsCookie,
  newAspSessionCookie,
  parseCookieHeader,
  parseRequestsCookie,
} from '../src/certsrv/cookies.js';
import type { PendingCookieEntry } from '../src/certsrv/page-model.js';
import { anyString, RUNS, SEED, trickyString as tricky } from './support/arbitraries.js';

const trickyString = tricky(['[', ']', ',', '%', '%2C', '%5D', '+', '-', ';', '=', '"', ' ', '7'], 120);

/** RFC 6265 §4.1.1 cookie-octet. */
const COOKIE_OCTETS = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/;
const expires = new Date('2026-12-10T10:00:00Z');

describe('parseCookieHeader', () => {
  it('reads pairs leniently; the first occurrence wins', () => {
    const c = parseCookieHeader(
      ' ASPSESSIONIDQASRTBCS=GMBHNKPBDDHLDJCIHEGCFMKA ;Requests=-; empty=; flag; =orphan; q="quoted value"; Requests=second',
    );
    expect(c.get('ASPSESSIONIDQASRTBCS')).toBe('GMBHNKPBDDHLDJCIHEGCFMKA');
    expect(c.get('Requests')).toBe('-');
    expect(c.get('empty')).toBe('');
    expect(c.get('flag')).toBe('');
    expect(c.get('q')).toBe('quoted value');
    expect(c.has('')).toBe(false);
    expect([...c.keys()]).toEqual(['ASPSESSIONIDQASRTBCS', 'Requests', 'empty', 'flag', 'q']);
  });

  it('keeps values raw (no percent-decoding) and = inside values', () => {
    expect(parseCookieHeader('a=%5B1%2C0%5D; b=x=y').get('a')).toBe('%5B1%2C0%5D');
    expect(parseCookieHeader('a=%5B1%2C0%5D; b=x=y').get('b')).toBe('x=y');
  });

  it('handles nothing at all', () => {
    expect(parseCookieHeader(undefined).size).toBe(0);
    expect(parseCookieHeader('').size).toBe(0);
    expect(parseCookieHeader(';;; ;').size).toBe(0);
  });

  it('caps the number of cookies read', () => {
    const header = Array.from({ length: 1000 }, (_, i) => `c${i}=${i}`).join('; ');
    expect(parseCookieHeader(header).size).toBe(200);
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(anyString, trickyString), (s) => {
        parseCookieHeader(s);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('newAspSessionCookie (reference §1)', () => {
  it('names ASPSESSIONID + 8 letters, value 24 letters, secure only over HTTPS', () => {
    expect(newAspSessionCookie(true)).toMatch(/^ASPSESSIONID[A-Z]{8}=[A-Z]{24}; secure; path=\/$/);
    expect(newAspSessionCookie(false)).toMatch(/^ASPSESSIONID[A-Z]{8}=[A-Z]{24}; path=\/$/);
    expect(newAspSessionCookie(true)).not.toBe(newAspSessionCookie(true));
  });

  it('draws fresh letters for every cookie across refills of its random pool (3,000 cookies, all distinct)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 3000; i++) seen.add(newAspSessionCookie(false));
    expect(seen.size).toBe(3000);
    // Each letter about as frequent as the others: 3,000 × 32 letters from rejection sampling.
    const counts = new Map<string, number>();
    for (const c of seen)
      for (const ch of c.slice(12).replace(/[=;].*$/, '')) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(26);
    for (const n of counts.values()) expect(n).toBeGreaterThan((3000 * 8) / 26 / 2);
  });

  it('uses the random source given', () => {
    expect(newAspSessionCookie(false, (n) => new Uint8Array(n))).toBe(
      `ASPSESSIONID${'A'.repeat(8)}=${'A'.repeat(24)}; path=/`,
    );
    expect(newAspSessionCookie(false, (n) => new Uint8Array(n).fill(25))).toBe(
      `ASPSESSIONID${'Z'.repeat(8)}=${'Z'.repeat(24)}; path=/`,
    );
    // A broken source that only returns bytes the sampler rejects still terminates.
    expect(newAspSessionCookie(false, (n) => new Uint8Array(n).fill(255))).toMatch(
      /^ASPSESSIONID[A-Z]{8}=[A-Z]{24}; path=\/$/,
    );
  });

  it('is a valid cookie per RFC 6265', () => {
    const [pair] = newAspSessionCookie(true).split(';');
    const [, value] = (pair ?? '').split('=');
    expect(value).toMatch(COOKIE_OCTETS);
  });
});

const entry = (requestId: number, friendlyType = 'Saved-Request Certificate'): PendingCookieEntry => ({
  requestId,
  targetStoreFlags: '0',
  saveCert: 'yes',
  friendlyType,
});

describe('formatRequestsCookie / parseRequestsCookie (reference §9)', () => {
  it('writes bracketed records, cookie-safe, with expiry, path and secure', () => {
    const header = formatRequestsCookie([entry(7)], { expires, secure: true });
    expect(header).toBe(
      'Requests=%5B7%2C0%2Cyes%2CSaved%2DRequest+Certificate%5D; expires=Thu, 10 Dec 2026 10:00:00 GMT; path=/certsrv; secure',
    );
    expect(formatRequestsCookie([entry(7)], { expires, secure: false })).not.toContain('secure');
    const value = header.slice('Requests='.length, header.indexOf(';'));
    expect(value).toMatch(COOKIE_OCTETS);
    expect(decodeURIComponent(value.replace(/\+/g, ' '))).toBe('[7,0,yes,Saved-Request Certificate]');
    expect(parseRequestsCookie(value)).toEqual([entry(7)]);
  });

  it('stores an empty list as -', () => {
    expect(formatRequestsCookie([], { expires, secure: false })).toBe(
      'Requests=-; expires=Thu, 10 Dec 2026 10:00:00 GMT; path=/certsrv',
    );
    expect(parseRequestsCookie('-')).toEqual([]);
    expect(parseRequestsCookie('')).toEqual([]);
    expect(parseRequestsCookie(undefined)).toEqual([]);
  });

  it('replaces commas and ] in the texts by spaces', () => {
    const e: PendingCookieEntry = {
      requestId: 12,
      targetStoreFlags: '%!s(int=0)',
      saveCert: 'y,e]s',
      friendlyType: 'Saved-Request Certificate (30/11/2026, 10:00:00) [x]',
    };
    const header = formatRequestsCookie([e], { expires, secure: false });
    const value = header.slice('Requests='.length, header.indexOf(';'));
    expect(parseRequestsCookie(value)).toEqual([
      {
        requestId: 12,
        targetStoreFlags: '%!s(int=0)',
        saveCert: 'y e s',
        friendlyType: 'Saved-Request Certificate (30/11/2026  10:00:00) [x ',
      },
    ]);
  });

  it('reads the unencoded AD CS form and several records', () => {
    expect(parseRequestsCookie('[7,0,yes,Saved-Request Certificate][8,0,yes,Other]')).toEqual([
      entry(7),
      entry(8, 'Other'),
    ]);
  });

  it('skips records without a decimal request id, and junk between records', () => {
    expect(
      parseRequestsCookie('junk[x,0,yes,a][0,0,yes,zero][7,0,yes,ok]more[99999999999,0,yes,big][8][9,0'),
    ).toEqual([entry(7, 'ok'), { requestId: 8, targetStoreFlags: '', saveCert: '', friendlyType: '' }]);
  });

  it('keeps the 20 newest entries, drops invalid ids, cuts long texts', () => {
    const many = Array.from({ length: 25 }, (_, i) => entry(i + 1));
    const header = formatRequestsCookie(many, { expires, secure: false });
    const value = header.slice('Requests='.length, header.indexOf(';'));
    expect(parseRequestsCookie(value).map((e) => e.requestId)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 6),
    );
    const parsed = parseRequestsCookie(many.map((e) => `[${e.requestId},0,yes,x]`).join(''));
    expect(parsed.map((e) => e.requestId)).toEqual(Array.from({ length: 20 }, (_, i) => i + 6));
    const odd = formatRequestsCookie([entry(0), entry(-1), entry(1.5), entry(3, 'é'.repeat(500))], {
      expires,
      secure: false,
    });
    const oddValue = odd.slice('Requests='.length, odd.indexOf(';'));
    expect(parseRequestsCookie(oddValue)).toEqual([entry(3, 'é'.repeat(80))]);
    // Entries with long non-ASCII texts: the oldest are dropped to stay under 4 KiB.
    const big = formatRequestsCookie(
      Array.from({ length: 20 }, (_, i) => ({
        requestId: 2_000_000_000 + i,
        targetStoreFlags: '%'.repeat(100),
        saveCert: '%'.repeat(100),
        friendlyType: '€'.repeat(200),
      })),
      { expires, secure: true },
    );
    const bigValue = big.slice('Requests='.length, big.indexOf(';'));
    expect(bigValue.length).toBeLessThanOrEqual(3800);
    const bigEntries = parseRequestsCookie(bigValue);
    expect(bigEntries.length).toBeGreaterThan(0);
    expect(bigEntries.at(-1)?.requestId).toBe(2_000_000_019);
    expect(bigEntries.at(-1)?.friendlyType).toBe('€'.repeat(80));
  });

  it('refuses an invalid expiry date', () => {
    expect(() => formatRequestsCookie([], { expires: new Date(Number.NaN), secure: false })).toThrow(
      RangeError,
    );
  });

  it('round-trips: format then parse gives the entries back, cleaned', () => {
    const text = fc.string({ unit: 'binary', maxLength: 40 });
    const arbEntry = fc.record({
      requestId: fc.integer({ min: 1, max: 0x7fffffff }),
      targetStoreFlags: fc.string({ maxLength: 16 }),
      saveCert: fc.string({ maxLength: 16 }),
      friendlyType: text,
    });
    const clean = (s: string) => s.replace(/[,\]]/g, ' ');
    fc.assert(
      fc.property(fc.array(arbEntry, { maxLength: 25 }), fc.boolean(), (entries, secure) => {
        const header = formatRequestsCookie(entries, { expires, secure });
        const value = header.slice('Requests='.length, header.indexOf(';'));
        expect(value).toMatch(COOKIE_OCTETS);
        expect(header.endsWith(secure ? '; path=/certsrv; secure' : '; path=/certsrv')).toBe(true);
        const want = entries.slice(-20).map((e) => ({
          requestId: e.requestId,
          targetStoreFlags: clean(e.targetStoreFlags),
          saveCert: clean(e.saveCert),
          friendlyType: clean(e.friendlyType),
        }));
        // The newest entries come back (older ones only dropped when the value nears 4 KiB).
        const got = parseRequestsCookie(value);
        expect(got).toEqual(want.slice(want.length - got.length));
        if (value.length < 3000) expect(got).toEqual(want);
        // Through a Cookie header too.
        expect(
          parseRequestsCookie(parseCookieHeader(`x=1; ${header.split(';')[0]}`).get('Requests')),
        ).toEqual(got);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('never throws on arbitrary values and on mutations of a valid one', () => {
    fc.assert(
      fc.property(fc.oneof(anyString, trickyString), (s) => {
        for (const e of parseRequestsCookie(s)) {
          expect(Number.isSafeInteger(e.requestId) && e.requestId >= 1).toBe(true);
        }
        expect(parseRequestsCookie(s).length).toBeLessThanOrEqual(20);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    const header = formatRequestsCookie([entry(7), entry(8, 'Saved-Request Certificate (30/11/2026)')], {
      expires,
      secure: true,
    });
    const valid = header.slice('Requests='.length, header.indexOf(';'));
    fc.assert(
      fc.property(fc.nat(), trickyString, fc.nat({ max: 5 }), (at, ins, del) => {
        const i = at % (valid.length + 1);
        expect(() => parseRequestsCookie(valid.slice(0, i) + ins + valid.slice(i + del))).not.toThrow();
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
