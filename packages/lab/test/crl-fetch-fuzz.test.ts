// Malformed CRL and AIA downloads (fast-check, fixed seed): the base CRL, the delta CRL its
// Freshest CRL announces and the CA certificate a leaf's AIA names, each answered mutated (DER
// mutations of mutate.ts, PEM text mutations), missing, empty, or through HTTP damage (status
// codes, wrong content types, truncated bodies, redirect loops, connection resets, huge bodies,
// a server that never answers) by a loopback server on port 0 behind createLabNetwork, or by a
// fake LabNetwork. fetchChainCrls and fetchAiaIssuers never throw and settle within a bound;
// every URL asked for ends up in exactly one of fetched and unreachable (none lost), only parsed
// CRLs are returned, and a CRL cache changes nothing in the answer.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  authorityInfoAccess,
  basicConstraints,
  type Certificate,
  type Crl,
  createCertificate,
  createCrl,
  crlDistributionPoints,
  generateKeyPair,
  keyUsage,
} from '@certlab/pki';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptAsync, Outcomes } from '../../../test/support/coded.js';
import { readNode } from '../../../test/support/der.js';
import {
  type Mutation,
  mutate,
  mutateText,
  mutationsArb,
  type TextMutation,
  textMutationsArb,
} from '../../../test/support/mutate.js';
import {
  createCrlCache,
  createLabNetwork,
  type FetchedCrls,
  fetchAiaIssuers,
  fetchChainCrls,
  type LabNetwork,
} from '../src/index.js';

const SEED = 20261208;
const HOST = 'ca01.contoso.com';
const BASE = `http://${HOST}/CertEnroll/Contoso%20Issuing%20CA.crl`;
const DELTA = `http://${HOST}/CertEnroll/Contoso%20Issuing%20CA+.crl`;
const CRT = `http://${HOST}/CertEnroll/ca01.contoso.com_Contoso%20Issuing%20CA.crt`;
const URLS = [BASE, DELTA, CRT] as const;
type Url = (typeof URLS)[number];

let ca: Certificate;
let leaf: Certificate;
let base: Crl;
let delta: Crl;
const enc = new TextEncoder();

beforeAll(async () => {
  const keys = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  const now = Date.now();
  ca = await createCertificate({
    subject: 'CN=Contoso Issuing CA',
    publicKey: keys.publicKey,
    signingKey: keys.privateKey,
    extensions: [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])],
  });
  const leafKeys = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  leaf = await createCertificate({
    subject: 'CN=ex01.contoso.com',
    publicKey: leafKeys.publicKey,
    signingKey: keys.privateKey,
    issuer: ca,
    extensions: [
      crlDistributionPoints([{ fullName: [{ type: 'uri', value: BASE }] }]),
      authorityInfoAccess([{ method: 'caIssuers', location: { type: 'uri', value: CRT } }]),
    ],
  });
  const when = { thisUpdate: new Date(now - 60_000), nextUpdate: new Date(now + 86_400_000) };
  base = await createCrl({
    issuer: ca,
    signingKey: keys.privateKey,
    crlNumber: 1,
    ...when,
    freshestCrl: [{ fullName: [{ type: 'uri', value: DELTA }] }],
  });
  delta = await createCrl({
    issuer: ca,
    signingKey: keys.privateKey,
    crlNumber: 2,
    deltaCrlIndicator: 1,
    ...when,
    entries: [{ serialNumber: leaf.serialNumber, revocationDate: new Date(now - 1000) }],
  });
});

/** The valid file at a URL, DER and PEM. */
function original(url: Url): { der: Uint8Array; pem: string } {
  if (url === CRT) return { der: ca.der, pem: ca.toPem() };
  const crl = url === BASE ? base : delta;
  return { der: crl.der, pem: crl.toPem() };
}

/** What one URL answers with (the body part; HTTP damage is separate). */
type Body =
  | { readonly kind: 'original'; readonly pem: boolean }
  | { readonly kind: 'der'; readonly ms: Mutation[] }
  | { readonly kind: 'pemText'; readonly edits: TextMutation[] }
  | { readonly kind: 'missing' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'other'; readonly url: Url }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array };

const bodyArb: fc.Arbitrary<Body> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('original' as const), pem: fc.boolean() }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('der' as const), ms: mutationsArb(3) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('pemText' as const), edits: textMutationsArb(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('missing' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('empty' as const) }) },
  // The wrong file: the CA certificate where a CRL should be, a delta where the base should be.
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('other' as const), url: fc.constantFrom(...URLS) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('bytes' as const), bytes: fc.uint8Array({ maxLength: 64 }) }),
  },
);

function bodyOf(url: Url, b: Body): Uint8Array | undefined {
  const o = original(url);
  switch (b.kind) {
    case 'original':
      return b.pem ? enc.encode(o.pem) : o.der;
    case 'der':
      return mutate(o.der, b.ms);
    case 'pemText':
      return enc.encode(mutateText(o.pem, b.edits));
    case 'missing':
      return undefined;
    case 'empty':
      return new Uint8Array();
    case 'other':
      return original(b.url).der;
    case 'bytes':
      return b.bytes;
  }
}

const bodiesArb = fc.record({ base: bodyArb, delta: bodyArb, crt: bodyArb });
type Bodies = { base: Body; delta: Body; crt: Body };

function bodiesMap(b: Bodies): Map<string, Uint8Array | undefined> {
  return new Map<string, Uint8Array | undefined>([
    [BASE, bodyOf(BASE, b.base)],
    [DELTA, bodyOf(DELTA, b.delta)],
    [CRT, bodyOf(CRT, b.crt)],
  ]);
}

/** A LabNetwork answering from a map, recording what was asked. */
function fakeNetwork(files: Map<string, Uint8Array | undefined>): { network: LabNetwork; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    network: {
      set() {},
      async fetch(url: string) {
        asked.push(url);
        // A copy: a parser that kept and changed the bytes would not change the next answer.
        const b = files.get(url);
        return b ? b.slice() : undefined;
      },
    },
  };
}

/** Nothing lost: each distinct URL asked is fetched or unreachable, never both, never neither. */
function checkFetched(r: FetchedCrls | undefined, asked: readonly string[]): void {
  if (!r) return;
  const all = [...r.fetched, ...r.unreachable];
  expect(new Set(all).size, 'no URL in both lists or twice').toBe(all.length);
  expect(new Set(all)).toEqual(new Set(asked));
  expect(r.crls.length).toBeLessThanOrEqual(r.fetched.length);
  for (const c of r.crls) expect(c.der).toBeInstanceOf(Uint8Array);
  // The delta is only asked for when the base came back as a base CRL.
  if (asked.includes(DELTA)) expect(r.fetched).toContain(BASE);
}

/**
 * No error escapes fetchChainCrls or fetchAiaIssuers, not even a coded PkiError: a bad answer
 * makes its URL unreachable (a PkiError escaping would abort the whole chain judgement).
 */
const NEVER: [] = [];

async function fetchBoth(o: Outcomes, network: LabNetwork, asked: string[], maxMs: number) {
  asked.length = 0;
  const r = await attemptAsync('fetchChainCrls', o, NEVER, () => fetchChainCrls([leaf, ca], network), maxMs);
  checkFetched(
    r,
    asked.filter((u) => u !== CRT),
  );
  const askedPlain = [...asked];
  asked.length = 0;
  const cached = await attemptAsync(
    'fetchChainCrls (cache)',
    o,
    NEVER,
    () => fetchChainCrls([leaf, ca], network, createCrlCache()),
    maxMs,
  );
  checkFetched(cached, asked);
  expect(asked).toEqual(askedPlain);
  expect(cached === undefined).toBe(r === undefined);
  expect(
    cached && { f: [...cached.fetched].sort(), u: [...cached.unreachable].sort(), n: cached.crls.length },
  ).toEqual(r && { f: [...r.fetched].sort(), u: [...r.unreachable].sort(), n: r.crls.length });
  asked.length = 0;
  const issuers = await attemptAsync(
    'fetchAiaIssuers',
    o,
    NEVER,
    () => fetchAiaIssuers(leaf, network),
    maxMs,
  );
  expect(asked).toEqual([CRT]);
  for (const c of issuers ?? []) expect(c.der).toBeInstanceOf(Uint8Array);
  return { r, issuers };
}

describe('CRL and AIA downloads from a fake network', () => {
  it('the valid files: base and delta CRLs, and the CA certificate', async () => {
    const { network, asked } = fakeNetwork(
      bodiesMap({
        base: { kind: 'original', pem: false },
        delta: { kind: 'original', pem: true },
        crt: { kind: 'original', pem: true },
      }),
    );
    const { r, issuers } = await fetchBoth(new Outcomes(), network, asked, 2000);
    expect(r?.crls.map((c) => c.isDelta).sort()).toEqual([false, true]);
    expect(issuers?.map((c) => c.subject.commonName)).toEqual(['Contoso Issuing CA']);
  });

  it('mutated DER and PEM answers: never a throw, nothing lost, the cache changes nothing', async () => {
    const o = new Outcomes();
    let withCrls = 0;
    await fc.assert(
      fc.asyncProperty(bodiesArb, async (b) => {
        const { network, asked } = fakeNetwork(bodiesMap(b));
        const { r } = await fetchBoth(o, network, asked, 2000);
        if (r && r.crls.length > 0) withCrls++;
      }),
      { seed: SEED, numRuns: 300 },
    );
    expect(withCrls, 'some mutated answers still give CRLs').toBeGreaterThan(0);
  });
});

/** What the loopback web server does with one URL. */
interface HttpCase {
  readonly status: number;
  readonly contentType: string;
  readonly mode: 'normal' | 'truncate' | 'loop' | 'redirect' | 'reset' | 'chunked';
}

const httpArb: fc.Arbitrary<HttpCase> = fc.record({
  status: fc.constantFrom(200, 200, 200, 203, 204, 206, 404, 500),
  contentType: fc.constantFrom(
    'application/pkix-crl',
    'application/pkix-cert',
    'text/html; charset=utf-8',
    'application/octet-stream',
    'text/plain; charset=utf-16',
    '',
  ),
  mode: fc.constantFrom('normal', 'normal', 'truncate', 'loop', 'redirect', 'reset', 'chunked'),
});

let server: Server;
let network: LabNetwork;
let routes = new Map<string, { body: Uint8Array | undefined; http: HttpCase }>();
let hang = false;

function serve(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  if (hang) return; // never answers: the lab network's own timeout ends the wait
  const path = req.url ?? '/';
  const route = [...routes.entries()].find(([u]) => new URL(u).pathname === path)?.[1];
  if (!route || route.body === undefined) {
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<html><body>404 - File or directory not found.</body></html>');
    return;
  }
  const { body, http } = route;
  const headers: Record<string, string> = http.contentType ? { 'content-type': http.contentType } : {};
  switch (http.mode) {
    case 'loop':
      res.writeHead(302, { location: path });
      res.end();
      return;
    case 'redirect':
      // To another of the files (the delta for the base, and so on): a redirect the fetch follows.
      res.writeHead(301, {
        location: new URL(URLS[(URLS.findIndex((u) => new URL(u).pathname === path) + 1) % 3]!).pathname,
      });
      res.end();
      return;
    case 'reset':
      req.socket.destroy();
      return;
    case 'truncate':
      res.writeHead(http.status, { ...headers, 'content-length': String(body.length + 100) });
      res.write(body.subarray(0, body.length >> 1));
      setTimeout(() => res.destroy(), 5);
      return;
    case 'chunked':
      res.writeHead(http.status, headers);
      for (let i = 0; i < body.length; i += 97) res.write(body.subarray(i, i + 97));
      res.end();
      return;
    case 'normal':
      res.writeHead(http.status, { ...headers, 'content-length': String(body.length) });
      res.end(body);
  }
}

/**
 * The base CRL with the SEQUENCE of its crlExtensions [0] retagged 0x00: the CRL itself parses
 * (extensions are read lazily), its extensions do not.
 */
function baseWithBrokenExtensions(): Uint8Array {
  const der = base.der.slice();
  const tbs = readNode(der, readNode(der, 0).valueStart);
  for (let p = tbs.valueStart; p < tbs.end; ) {
    const n = readNode(der, p);
    if (n.tag === 0xa0) {
      der[n.valueStart] = 0x00;
      return der;
    }
    p = n.end;
  }
  throw new Error('the base CRL has no crlExtensions');
}

describe('a CRL whose extensions do not parse', () => {
  // Guards the per-URL handling of fetchChainCrls: parseCrl reads extensions lazily, so such a
  // CRL parses and then throws PkiError ERR_PKI_DER_INVALID from isDelta; that once escaped
  // fetchChainCrls and aborted the whole revocation check instead of making the URL unreachable.
  // (Found by fast-check: {"base":{"kind":"der","ms":[{"kind":"tag","node":13,"value":0}]}}.)
  it('is reported unreachable, not thrown', async () => {
    const { network } = fakeNetwork(new Map([[BASE, baseWithBrokenExtensions()]]));
    const r = await fetchChainCrls([leaf], network);
    expect(r.unreachable).toEqual([BASE]);
  });

  it('alone, as DER or PEM, with or without a cache: unreachable, no CRL, and its delta not asked for', async () => {
    const broken = baseWithBrokenExtensions();
    const pem = `-----BEGIN X509 CRL-----\n${Buffer.from(broken).toString('base64')}\n-----END X509 CRL-----\n`;
    for (const body of [broken, enc.encode(pem)])
      for (const cache of [undefined, createCrlCache()]) {
        const { network, asked } = fakeNetwork(new Map([[BASE, body]]));
        const r = await fetchChainCrls([leaf, ca], network, cache);
        expect(r).toEqual({ crls: [], fetched: [], unreachable: [BASE] });
        expect(asked).toEqual([BASE]);
      }
  });
});

describe('CRL and AIA downloads over HTTP (createLabNetwork on a loopback server)', () => {
  beforeAll(async () => {
    server = createServer(serve);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    network = createLabNetwork({
      [HOST]: { httpUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
    });
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** The lab network, recording the URLs it is asked for. */
  function recording(): { network: LabNetwork; asked: string[] } {
    const asked: string[] = [];
    return {
      asked,
      network: {
        set: network.set,
        fetch(url) {
          asked.push(url);
          return network.fetch(url);
        },
      },
    };
  }

  it('mutated bodies with HTTP damage: never a throw, nothing lost, within the bound', async () => {
    const o = new Outcomes();
    await fc.assert(
      fc.asyncProperty(bodiesArb, httpArb, httpArb, httpArb, async (b, hb, hd, hc) => {
        const files = bodiesMap(b);
        routes = new Map([
          [BASE, { body: files.get(BASE), http: hb }],
          [DELTA, { body: files.get(DELTA), http: hd }],
          [CRT, { body: files.get(CRT), http: hc }],
        ]);
        const { network: n, asked } = recording();
        await fetchBoth(o, n, asked, 2500);
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('huge bodies (8 MB): base64-looking text, zeros, a valid CRL with 8 MB appended — settle within the bound', async () => {
    const o = new Outcomes();
    const huge = 8 << 20;
    const withTail = new Uint8Array(base.der.length + huge);
    withTail.set(base.der);
    const normal: HttpCase = { status: 200, contentType: 'application/pkix-crl', mode: 'normal' };
    for (const [what, body] of [
      ['base64 text', enc.encode('A'.repeat(huge))],
      ['zeros', new Uint8Array(huge)],
      ['a CRL with 8 MB appended', withTail],
      ['a PEM CRL repeated to 8 MB', enc.encode(base.toPem().repeat(Math.ceil(huge / base.toPem().length)))],
    ] as const) {
      routes = new Map([
        [BASE, { body, http: normal }],
        [CRT, { body, http: { ...normal, contentType: 'application/pkix-cert' } }],
      ]);
      const { network: n, asked } = recording();
      await fetchBoth(o, n, asked, 3000);
      expect(o.slowest, `${what}: ${o.slowestWhat}`).toBeLessThan(3000);
    }
  });

  it('a server that never answers: unreachable after the lab network timeout, not a hang', async () => {
    hang = true;
    try {
      const { network: n, asked } = recording();
      const r = await attemptAsync(
        'fetchChainCrls',
        new Outcomes(),
        NEVER,
        () => fetchChainCrls([leaf], n),
        5000,
      );
      expect(r?.unreachable).toEqual([BASE]);
      expect(asked).toEqual([BASE]);
    } finally {
      hang = false;
      server.closeAllConnections();
    }
  });
});
