// Hostile input against the certsrv server over real loopback sockets: oversized bodies and
// headers, malformed requests, bytes that are not UTF-8, path traversal, markup in every echoed
// field, slow clients, a password-guessing run, broken HTTP framing, and a fast-check property
// over the whole certfnsh.asp form. Every case gets a coded answer (never a 500, a crash or a
// hang), the server keeps serving, refusals before the CA leave no record, policy denials are
// recorded as AD CS records them, and the CA database is intact at the end.

import { Agent } from 'node:http';
import { type Certificate, createCsr, Name, parseCertificate } from '@certlab/pki';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CertificationAuthority,
  type CertsrvLogEntry,
  type CertsrvServer,
  startCertsrv,
  UserDirectory,
} from '../src/index.js';
import { BROWSER, basic, contosoAuthority, GO, submitFields } from './support/certsrv-fixture.js';
import { makeCsr, testKey } from './support/csr.js';
import { pgliteFactory } from './support/pglite.js';
import { httpRequest, type Reply, rawExchange, slowClient } from './support/raw-http.js';

const SEED = 20261130;
const SCRIPT = `<script>alert(1)</script>"'&`;
const IMG = '<img src=x onerror=alert(1)>';
const ATTR = `x" onfocus="alert(1)" y='`;

const ALICE = basic('alice', 'alice-Passw0rd');
const BOB = basic('bob', 'bob-Passw0rd');
const ADMIN = basic('caadmin', 'admin-Passw0rd');
const ADMIN2 = basic('caadmin2', 'admin2-Passw0rd');
// The most hostile account name Windows (and UserDirectory) allows: no < > " = ; in a logon name,
// but an apostrophe, an ampersand and spaces, which break a page that does not escape them.
const XSS_NAME = "o'neil & <co";
const XSS_USER_NAME = "o'neil & co";
const XSS_USER = basic(XSS_USER_NAME, 'xss-Passw0rd');

let ca: CertificationAuthority;
let server: CertsrvServer;
let port: number;
let pem: string;
let der: Uint8Array;
let users: UserDirectory;
const logs: CertsrvLogEntry[] = [];

async function rows(): Promise<number> {
  return (await ca.list()).length;
}

function get(
  path: string,
  auth: string | null = ALICE,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return httpRequest(server.url, {
    path,
    headers: { 'user-agent': GO, ...(auth ? { authorization: auth } : {}), ...headers },
  });
}

function post(
  path: string,
  body: string | Uint8Array | Record<string, string>,
  auth: string | null = ALICE,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const bytes =
    typeof body === 'string' || body instanceof Uint8Array ? body : new URLSearchParams(body).toString();
  return httpRequest(server.url, {
    method: 'POST',
    path,
    body: bytes,
    headers: {
      'user-agent': GO,
      'content-type': 'application/x-www-form-urlencoded',
      ...(auth ? { authorization: auth } : {}),
      ...headers,
    },
  });
}

/** A raw HTTP/1.1 request head (Connection: close unless told otherwise). */
function head(method: string, path: string, headers: Record<string, string> = {}): string {
  const all: Record<string, string> = {
    Host: '127.0.0.1',
    Authorization: ALICE,
    'User-Agent': GO,
    Connection: 'close',
    ...headers,
  };
  const lines = Object.entries(all).map(([k, v]) => `${k}: ${v}\r\n`);
  return `${method} ${path} HTTP/1.1\r\n${lines.join('')}\r\n`;
}

/** The request id and disposition message of a result page. */
function resultOf(html: string): { id: number; message: string } | undefined {
  const m = /Your Request Id is (\d+)\. The disposition message is "([^"]*)"/.exec(html);
  if (m) return { id: Number(m[1]), message: m[2]! };
  const issued = /certnew\.cer\?ReqID=(\d+)&/.exec(html);
  if (issued) return { id: Number(issued[1]), message: 'issued' };
  const pending = /Your Request Id is (\d+)\./.exec(html);
  return pending ? { id: Number(pending[1]), message: 'pending' } : undefined;
}

async function expectServing(s: CertsrvServer = server): Promise<void> {
  const r = await httpRequest(s.url, { path: '/certsrv/', headers: { authorization: ALICE } });
  expect(r.status).toBe(200);
}

/** No payload appears as live markup: only in escaped form. */
function expectInert(text: string, where: string): void {
  for (const bad of ['<script>alert', '<img src=x', '" onfocus="alert', "' onfocus='alert", '<svg'])
    expect(text, `${where} contains ${bad}`).not.toContain(bad);
}

beforeAll(async () => {
  ca = await contosoAuthority(`Contoso ${SCRIPT} CA`);
  users = new UserDirectory('CONTOSO');
  await Promise.all([
    users.add('alice', 'alice-Passw0rd'),
    users.add('bob', 'bob-Passw0rd'),
    users.add('caadmin', 'admin-Passw0rd', { admin: true }),
    users.add('caadmin2', 'admin2-Passw0rd', { admin: true }),
    users.add(XSS_USER_NAME, 'xss-Passw0rd', { admin: true }),
  ]);
  server = await startCertsrv({ ca, users, crlSchedule: false, log: (e) => logs.push(e) });
  port = Number(new URL(server.url).port);
  const csr = await makeCsr({ subject: 'CN=exch01.contoso.com' });
  pem = csr.toPem();
  der = csr.der;
}, 60_000);

afterAll(async () => {
  await server?.close();
  await ca?.close();
});

describe('1. oversized bodies and headers', () => {
  it('Content-Length beyond 200,000 bytes: 413 before the body is read, no record', async () => {
    const before = await rows();
    const r = await rawExchange(port, [
      head('POST', '/certsrv/certfnsh.asp', {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': '300000',
      }),
      `Mode=newreq&CertRequest=${'A'.repeat(2000)}`,
    ]);
    expect(r.status).toBe(413);
    expect(r.text).toContain('413 - Request Entity Too Large.');
    expect(r.closed).toBe(true);
    expect(await rows()).toBe(before);
    await expectServing();
  });

  it('a chunked body growing past the limit: 413, no record', async () => {
    const before = await rows();
    const chunk = (s: string) => `${Buffer.byteLength(s).toString(16)}\r\n${s}\r\n`;
    const r = await rawExchange(port, [
      head('POST', '/certsrv/certfnsh.asp', {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Transfer-Encoding': 'chunked',
      }),
      chunk('Mode=newreq&CertRequest='),
      ...Array.from({ length: 5 }, () => chunk('A'.repeat(50_000))),
    ]);
    expect(r.status).toBe(413);
    expect(r.closed).toBe(true);
    expect(await rows()).toBe(before);
    await expectServing();
  });

  it('a chunked body under the limit is accepted (control)', async () => {
    const before = await rows();
    const body = new URLSearchParams(submitFields(pem)).toString();
    const r = await rawExchange(port, [
      head('POST', '/certsrv/certfnsh.asp', {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Transfer-Encoding': 'chunked',
      }),
      `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
    ]);
    expect(r.status).toBe(200);
    expect(r.text).toContain('Certificate Issued');
    expect(await rows()).toBe(before + 1);
  });

  it('a request head over 16 KB: 431, the server keeps serving', async () => {
    const logged = logs.length;
    const big = await rawExchange(port, [head('GET', '/certsrv/', { 'X-Pad': 'a'.repeat(17_000) })]);
    expect(big.status).toBe(431);
    expect(big.closed).toBe(true);
    // Answered as HTTP.sys answers in front of IIS, and logged like any request.
    expect(big.text).toMatch(/\r\nServer: Microsoft-HTTPAPI\/2\.0\r\n/);
    expect(big.text).toContain('<h2>Bad Request - Request Too Long</h2>');
    expect(logs.slice(logged).map((e) => [e.status, e.event])).toContainEqual([
      431,
      'unparsed:HPE_HEADER_OVERFLOW',
    ]);
    const many: Record<string, string> = {};
    for (let i = 0; i < 1500; i++) many[`X-H${i}`] = 'value';
    const manyHeaders = await rawExchange(port, [head('GET', '/certsrv/', many)]);
    expect(manyHeaders.status).toBe(431);
    const longUrl = await rawExchange(port, [head('GET', `/certsrv/${'a'.repeat(17_000)}`)]);
    expect(longUrl.status).toBe(431);
    await expectServing();
  });
});

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; count: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 4 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
);

function mutate(input: Uint8Array, muts: readonly Mutation[]): Uint8Array {
  let b = Uint8Array.from(input);
  for (const m of muts) {
    const at = b.length ? m.at % b.length : 0;
    if (m.kind === 'flip') {
      if (b.length) b[at]! ^= 1 << m.bit;
    } else if (m.kind === 'truncate') b = b.subarray(0, at);
    else if (m.kind === 'insert') b = Uint8Array.from([...b.subarray(0, at), ...m.bytes, ...b.subarray(at)]);
    else b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + m.count)]);
  }
  return b;
}

const DENIAL =
  /^(Error Parsing Request {2}|Error Verifying Request Signature or Signing Certificate {2}|Denied by Policy Module {2})/;

/** Submits `request`; asserts a 200 result page that consumed exactly one request id. */
async function submitOne(request: string): Promise<{ id: number; message: string; html: string }> {
  const before = await rows();
  const r = await post('/certsrv/certfnsh.asp', submitFields(request));
  expect(r.status).toBe(200);
  expect(r.headers['content-type']).toBe('text/html');
  const result = resultOf(r.text);
  expect(
    result,
    `${JSON.stringify(request.slice(0, 80))}: ${/locDisposition[\s\S]{0,400}|Disposition message[^\r\n]*/.exec(r.text)?.[0]}`,
  ).toBeDefined();
  expect(result!.id).toBe(before + 1);
  expect(await rows()).toBe(before + 1);
  return { ...result!, html: r.text };
}

describe('2. malformed requests are recorded and denied as AD CS does', () => {
  it('truncated PEM, wrong armour, binary garbage, a certificate instead of a request', async () => {
    const b64 = Buffer.from(der).toString('base64');
    const cases = [
      pem.slice(0, Math.floor(pem.length / 2)),
      pem.slice(0, pem.length - 60),
      `-----BEGIN CERTIFICATE REQUEST-----\r\n${b64.slice(0, 40)}`,
      `-----BEGIN CERTIFICATE REQUEST-----\r\n${b64.slice(0, 40)}\r\n-----END`,
      `-----BEGIN NEW CERTIFICATE REQUEST-----\r\n${b64.slice(10)}\r\n-----END NEW CERTIFICATE REQUEST-----`,
      `-----BEGIN PKCS7-----\r\n${Buffer.from('not pkcs7').toString('base64')}\r\n-----END PKCS7-----`,
      Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37 + 11) & 0xff)).toString('base64'),
      Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 91 + 7) & 0xff)).toString('latin1'),
      '\u0000\u0001\u0002\uFFFD\uD800',
      ca.certificate.toPem(),
      'MII',
    ];
    for (const text of cases) {
      const r = await submitOne(text);
      expect(r.message, text.slice(0, 60)).toMatch(DENIAL);
      expect(r.html).toContain('Certificate Request Denied');
    }
  });

  it('armour or blanks with nothing inside: the error page, no record (nothing reached the CA)', async () => {
    const before = await rows();
    for (const text of [
      '-----BEGIN CERTIFICATE REQUEST-----',
      '-----BEGIN X-----\r\n\r\n-----END X-----',
      ' \r\n\t ',
    ]) {
      const r = await post('/certsrv/certfnsh.asp', submitFields(text));
      expect(r.status).toBe(200);
      expect(r.text).toMatch(/Disposition message:[^\t]+\t\t\(none\)/);
    }
    expect(await rows()).toBe(before);
  });

  it('a well-formed request with a bad signature: the signature message, one id', async () => {
    const bad = Uint8Array.from(der);
    bad[bad.length - 1]! ^= 0x01;
    const r = await submitOne(Buffer.from(bad).toString('base64'));
    expect(r.message).toMatch(/^Error Verifying Request Signature or Signing Certificate {2}.*0x80090006/);
  });

  it('fast-check: mutated DER (flip, insert, delete, truncate) then Base64: one id each, never 500', async () => {
    let denied = 0;
    let issued = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        async (muts, armour) => {
          const b64 = Buffer.from(mutate(der, muts)).toString('base64');
          const text = armour
            ? `-----BEGIN NEW CERTIFICATE REQUEST-----\r\n${b64.replace(/.{64}/g, '$&\r\n')}\r\n-----END NEW CERTIFICATE REQUEST-----\r\n`
            : b64;
          const r = await submitOne(text);
          if (r.message === 'issued') issued++;
          else {
            expect(r.message).toMatch(DENIAL);
            denied++;
          }
        },
      ),
      { seed: SEED, numRuns: 80 },
    );
    expect(denied).toBeGreaterThan(60);
    expect(issued + denied).toBe(80);
  });
});

describe('3. bytes that are not UTF-8, on every route', () => {
  const ROUTES: readonly [string, string][] = [
    ['GET', '/certsrv/'],
    ['GET', '/certsrv/certrqxt.asp'],
    ['GET', '/certsrv/certrqma.asp'],
    ['GET', '/certsrv/certckpn.asp'],
    ['GET', '/certsrv/certcarc.asp'],
    ['GET', '/certsrv/certfnsh.asp'],
    ['POST', '/certsrv/certfnsh.asp'],
    ['POST', '/certsrv/certrmpn.asp'],
    ['GET', '/certsrv/certnew.cer'],
    ['GET', '/certsrv/certnew.p7b'],
    ['GET', '/certsrv/certcrl.crl'],
    ['GET', '/certsrv/admin/'],
    ['POST', '/certsrv/admin/action'],
    ['GET', '/CertEnroll/x.crl'],
    ['GET', '/health'],
  ];
  const QUERIES = [
    'ReqID=\x80\xff&Enc=\xc0\xaf&Mode=\xfe',
    'ReqID=%C0%AF&Enc=%E0%80%AF&Lang=%ED%A0%80',
    'Mode=newreq&CertRequest=%ED%A0%80%ED%B0%80&ReqID=%FF%FE%00',
    'Type=%F8%88%80%80%80&Renewal=%F4%90%80%80&folder=%80',
    '%ff=%fe&%C0=%C1&Action=%E2%82',
  ];
  const BODIES = [
    Buffer.from([0x4d, 0x6f, 0x64, 0x65, 0x3d, 0x80, 0xff, 0x26, 0xc0, 0xaf, 0x3d, 0xed, 0xa0, 0x80]),
    Buffer.from('Mode=newreq&CertRequest=%ED%A0%80%C0%AF&Action=%FF&csrf=%ED%A0%80&ReqID=%C0%B1'),
    Buffer.concat([
      Buffer.from('Mode=newreq&CertRequest='),
      Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28]),
    ]),
  ];
  const OK = new Set([200, 301, 302, 303, 400, 404, 405]);

  it('query strings with raw high bytes, overlong sequences and lone surrogates', async () => {
    const before = await rows();
    for (const [method, path] of ROUTES) {
      for (const q of QUERIES) {
        const r = await rawExchange(port, [
          head(method, `${path}?${q}`, {
            Authorization: ADMIN,
            'Content-Length': '0',
            'Content-Type': 'application/x-www-form-urlencoded',
          }),
        ]);
        expect(OK.has(r.status ?? 0), `${method} ${path}?${q} -> ${r.text.slice(0, 80)}`).toBe(true);
      }
    }
    // Only a POST to certfnsh.asp with Mode=newreq and a request reaches the CA (a GET never
    // submits, reference §5.3).
    expect(await rows()).toBe(before + 1);
    await expectServing();
  });

  it('bodies, paths, cookies and credentials that are not UTF-8', async () => {
    for (const [method, path] of ROUTES.filter(([m]) => m === 'POST')) {
      for (const body of BODIES) {
        const before = await rows();
        const r = await post(path, body, ADMIN);
        expect(OK.has(r.status), `${path} ${r.status}`).toBe(true);
        expect(r.headers['content-type']).toBe('text/html');
        expect((await rows()) - before, `${method} ${path}`).toBeLessThanOrEqual(1);
      }
    }
    for (const path of [
      '/certsrv/%FF',
      '/certsrv/%C0%AF..%C0%AF',
      '/certsrv/%ED%A0%80',
      '/certsrv/\x80\xfe.asp',
    ]) {
      const r = await rawExchange(port, [head('GET', path)]);
      expect([400, 404], `${path}: ${r.text.slice(0, 80)}`).toContain(r.status);
    }
    const cookie = await rawExchange(port, [
      head('GET', '/certsrv/certckpn.asp', {
        Cookie: 'Requests=\x80\xff[\xc0\xaf,\xed\xa0\x80]; CertsrvLang=\xfe',
      }),
    ]);
    expect(cookie.status).toBe(200);
    const latin1 = await rawExchange(port, [
      head('GET', '/certsrv/', {
        Authorization: `Basic ${Buffer.from([0x61, 0x6c, 0x69, 0x63, 0x65, 0x3a, 0xe9, 0xff]).toString('base64')}`,
      }),
    ]);
    expect(latin1.status).toBe(401);
    const rawAuth = await rawExchange(port, [
      head('GET', '/certsrv/', { Authorization: 'Basic \xff\xfe\x80' }),
    ]);
    expect(rawAuth.status).toBe(401);
    await expectServing();
  });
});

describe('4. path traversal', () => {
  it('never serves anything outside the site: 400 or 404', async () => {
    const paths = [
      '/certsrv/../../etc/passwd',
      '/certsrv/%2e%2e/%2e%2e/etc/passwd',
      '/certsrv/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
      '/certsrv/%252e%252e/%252e%252e/etc/passwd',
      '/certsrv/..\\..\\..\\windows\\win.ini',
      '/certsrv\\..\\..\\package.json',
      '/certsrv/%5c..%5c..%5cpackage.json',
      '/CertEnroll/..%2f..%2fca.json',
      '/CertEnroll/..%2f..%2f..%2fpackage.json',
      '/CertEnroll/..%5c..%5cpackage.json',
      '/CertEnroll/%2e%2e/%2e%2e/package.json',
      '/CertEnroll/x.crl%00',
      '/CertEnroll/%00/../../package.json',
      '/certsrv/certnew.cer%00.txt',
      '/certsrv/assets/..%2f..%2f..%2fpackage.json',
      '/certsrv/assets/certrqma.js/../../../../../../etc/passwd',
      '/certsrv/assets/%2e%2e%2f%2e%2e%2fsrc%2findex.ts',
      '/..',
      '/../',
      '/%2e%2e',
      'http://evil.example/../../etc/passwd',
      '//etc/passwd',
      '/./././../etc/passwd',
      `/certsrv/${'../'.repeat(2000)}etc/passwd`,
      `/certsrv/${'a/'.repeat(3000)}x`,
      `/CertEnroll/${'%2e%2e%2f'.repeat(1500)}package.json`,
    ];
    for (const path of paths) {
      const r = await rawExchange(port, [head('GET', path, { Authorization: ADMIN })]);
      expect([400, 404], `${path.slice(0, 80)} -> ${r.text.slice(0, 80)}`).toContain(r.status);
      expect(r.text).not.toMatch(/root:|"workspaces"|"name"\s*:|\[fonts\]|export /);
    }
    await expectServing();
  });
});

describe('5. markup and script in every echoed field', () => {
  const PAGES = [
    '/certsrv/',
    '/certsrv/default.asp',
    '/certsrv/certrqus.asp',
    '/certsrv/certrqad.asp',
    '/certsrv/certrqxt.asp',
    '/certsrv/certrqma.asp',
    '/certsrv/certckpn.asp',
    '/certsrv/certcarc.asp',
    '/certsrv/certfnsh.asp',
    '/certsrv/certnew.cer?ReqID=%3Cscript%3Ealert(1)%3C/script%3E',
    '/certsrv/certnew.cer?ReqID=999999',
    '/certsrv/admin/?folder=pending',
    '/certsrv/admin/?folder=issued',
    '/certsrv/admin/?folder=failed',
    '/certsrv/admin/?folder=revoked',
    `/certsrv/admin/?folder=${encodeURIComponent(SCRIPT)}&done=failed&message=${encodeURIComponent(SCRIPT + IMG + ATTR)}`,
    `/certsrv/admin/?done=approved&id=${encodeURIComponent(IMG)}&message=${encodeURIComponent(IMG)}`,
    `/certsrv/nothing-${encodeURIComponent(SCRIPT)}.asp`,
  ];

  async function checkAllPages(
    auth: string,
    headers: Record<string, string> = {},
    query = '',
  ): Promise<void> {
    for (const page of PAGES) {
      for (const ua of [GO, BROWSER]) {
        const path = query ? `${page}${page.includes('?') ? '&' : '?'}${query}` : page;
        const r = await get(path, auth, { 'user-agent': ua, ...headers });
        expect([200, 403, 404], path).toContain(r.status);
        expectInert(r.text, `${path} (${ua.slice(0, 10)})`);
        for (const [k, v] of Object.entries(r.headers)) expectInert(String(v), `${path} header ${k}`);
      }
    }
  }

  it('the CA name and the user name are escaped on every page, in English and French', async () => {
    const home = await get('/certsrv/', XSS_USER);
    expect(home.status).toBe(200);
    expect(home.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(home.text).toContain('o&#39;neil &amp; co');
    expect(home.text).not.toContain(XSS_USER_NAME);
    // Markup cannot be an account name at all: Windows refuses < > " in a logon name.
    await expect(users.add(IMG, 'xss-Passw0rd')).rejects.toThrow(TypeError);
    await expect(users.add(XSS_NAME, 'xss-Passw0rd')).rejects.toThrow(TypeError);
    await checkAllPages(XSS_USER);
    await checkAllPages(XSS_USER, { 'accept-language': 'fr-FR' });
    await checkAllPages(ALICE);
  });

  it('the Lang switch (query and cookie) and the Requests cookie', async () => {
    await checkAllPages(ALICE, {}, `Lang=${encodeURIComponent(SCRIPT)}`);
    await checkAllPages(ALICE, { cookie: `CertsrvLang=${encodeURIComponent(IMG)}` });
    const requests = encodeURIComponent(
      `[5,0,yes,${SCRIPT}][6,${IMG},${ATTR},${IMG}][7,<svg onload=alert(1)>,x,y]`,
    );
    for (const cookie of [`Requests=${requests}`, `Requests=[5,${IMG},${SCRIPT},${ATTR}]`]) {
      const r = await get('/certsrv/certckpn.asp', ALICE, { cookie, 'user-agent': BROWSER });
      expect(r.status).toBe(200);
      expectInert(r.text, 'certckpn.asp');
    }
  });

  it('CertAttrib template, FriendlyType and the subject of a request: denied, pending, issued pages and the console', async () => {
    const before = await rows();
    const denied = await post('/certsrv/certfnsh.asp', submitFields(pem, IMG), XSS_USER, {
      'user-agent': BROWSER,
    });
    expect(denied.status).toBe(200);
    expect(denied.text).toContain('Certificate Request Denied');
    expect(denied.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expectInert(denied.text, 'denied page');
    expect(await rows()).toBe(before + 1);

    const key = await testKey({ type: 'ec', curve: 'P-256' }, 1);
    const xssCsr = await createCsr({
      subject: Name.from([{ CN: `<script>alert(1)</script>` }, { O: ATTR }, { OU: IMG }]),
      privateKey: key,
    });
    for (const ua of [GO, BROWSER]) {
      const pending = await post(
        '/certsrv/certfnsh.asp',
        submitFields(xssCsr.toPem(), 'WebServer_Manual', {
          FriendlyType: SCRIPT + IMG,
          TargetStoreFlags: ATTR,
          SaveCert: IMG,
          CertAttrib: `CertificateTemplate:WebServer_Manual\r\nUserAgent:${IMG}\r\nsan:dns=${SCRIPT}`,
        }),
        XSS_USER,
        { 'user-agent': ua },
      );
      expect(pending.status).toBe(200);
      expectInert(pending.text, 'pending page');
      const cookies = ([] as string[]).concat(pending.headers['set-cookie'] ?? []);
      const requests = cookies.find((c) => c.startsWith('Requests='))!;
      expect(requests).toBeDefined();
      expectInert(requests, 'Requests cookie');
      const list = await get('/certsrv/certckpn.asp', XSS_USER, {
        cookie: requests.split(';')[0]!,
        'user-agent': ua,
      });
      expectInert(list.text, 'certckpn.asp from the server cookie');
    }
    const issued = await post(
      '/certsrv/certfnsh.asp',
      submitFields(xssCsr.toPem(), 'WebServer', {
        CertAttrib: `CertificateTemplate:WebServer\r\nUserAgent:${SCRIPT}`,
      }),
      XSS_USER,
      { 'user-agent': BROWSER },
    );
    expect(issued.status).toBe(200);
    expectInert(issued.text, 'issued page');
    // The console lists those requests (requester, subject, template, message) and the
    // officer's name goes into the notice after an action.
    await checkAllPages(XSS_USER);
    const consolePage = await get('/certsrv/admin/?folder=pending', XSS_USER);
    const csrf = /name="csrf" value="([^"]+)"/.exec(consolePage.text)![1]!;
    const pendingId = (await ca.list({ status: 'pending' })).at(-1)!.requestId;
    const approved = await post(
      '/certsrv/admin/action',
      { csrf, action: 'approve', ReqID: String(pendingId), folder: 'pending' },
      XSS_USER,
    );
    expect(approved.status).toBe(303);
    expectInert(String(approved.headers.location), 'Location');
    const after = await get(
      new URL(String(approved.headers.location)).pathname + new URL(String(approved.headers.location)).search,
      XSS_USER,
    );
    expect(after.status).toBe(200);
    expectInert(after.text, 'console notice');
    await checkAllPages(XSS_USER);
  });
});

describe('6. slow clients (slowloris)', () => {
  it('50 clients trickling a request head are closed at the headers timeout; others are served', async () => {
    const slowLogs: CertsrvLogEntry[] = [];
    const slow = await startCertsrv({
      ca,
      users,
      crlSchedule: false,
      log: (e) => slowLogs.push(e),
      timeouts: { headersMs: 1000, requestMs: 3000, checkIntervalMs: 200 },
    });
    try {
      const slowPort = Number(new URL(slow.url).port);
      const headText = head('GET', '/certsrv/', { Connection: 'keep-alive' });
      const clients = Array.from({ length: 50 }, () =>
        slowClient(slowPort, { head: headText, intervalMs: 500, giveUpMs: 8000 }),
      );
      await new Promise((r) => setTimeout(r, 300));
      const t0 = performance.now();
      const normal = await httpRequest(slow.url, { path: '/certsrv/', headers: { authorization: ALICE } });
      const normalMs = performance.now() - t0;
      expect(normal.status).toBe(200);
      expect(normalMs).toBeLessThan(1000);
      const results = await Promise.all(clients);
      const times = results.map((r) => r.ms);
      for (const r of results) {
        expect(r.closed).toBe(true);
        expect(r.ms).toBeLessThan(2600);
        expect(r.status === undefined || r.status === 408 || r.status === 400).toBe(true);
      }
      slowloris.closedMs = [Math.min(...times), Math.max(...times)];
      slowloris.normalMs = normalMs;

      const before = await rows();
      const body = `Mode=newreq&CertRequest=${encodeURIComponent(pem)}`;
      const trickle = await slowClient(slowPort, {
        head: head('POST', '/certsrv/certfnsh.asp', {
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': String(body.length),
        }),
        trickle: body,
        intervalMs: 100,
        giveUpMs: 8000,
      });
      expect(trickle.closed).toBe(true);
      expect(trickle.ms).toBeGreaterThan(2500);
      expect(trickle.ms).toBeLessThan(4500);
      expect(trickle.text).not.toContain(' 500 ');
      slowloris.bodyClosedMs = trickle.ms;
      expect(await rows()).toBe(before);
      slowloris.trickleAnswer = trickle.status;
      await expectServing(slow);
      expect(slowLogs.filter((e) => e.status >= 500 || e.event?.startsWith('error:'))).toEqual([]);
    } finally {
      await slow.close();
    }
  });
});

const slowloris: {
  closedMs?: [number, number];
  normalMs?: number;
  bodyClosedMs?: number;
  trickleAnswer?: number | undefined;
} = {};

describe('7. 10,000 bad-password attempts', () => {
  it('every one is a 401 Unauthorized, quickly; a good user elsewhere keeps working; no record', async () => {
    const sideLogs: CertsrvLogEntry[] = [];
    const side = await startCertsrv({ ca, users, crlSchedule: false, log: (e) => sideLogs.push(e) });
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    try {
      const before = await rows();
      const N = 10_000;
      const statuses = new Map<string, number>();
      let next = 0;
      let during: { other: number; same: number } | undefined;
      const t0 = performance.now();
      const worker = async () => {
        while (next < N) {
          const i = next++;
          const r = await httpRequest(side.url, {
            path: '/certsrv/',
            agent,
            headers: { authorization: basic(i % 2 ? 'alice' : 'CONTOSO\\bob', `guess-${i}`) },
          });
          const key = `${r.status} ${r.reason}`;
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
          if (i === N / 2) {
            const other = await httpRequest(side.url, {
              path: '/certsrv/',
              localAddress: '127.0.0.2',
              headers: { authorization: ALICE },
            });
            const same = await httpRequest(side.url, { path: '/certsrv/', headers: { authorization: BOB } });
            during = { other: other.status, same: same.status };
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      const seconds = (performance.now() - t0) / 1000;
      expect([...statuses]).toEqual([['401 Unauthorized', N]]);
      expect(seconds).toBeLessThan(30);
      // From another address the right password works; from the locked-out address even the
      // right password is refused for the window (as an AD lockout), unless that exact header
      // was already verified (the credential cache, as IIS's token cache).
      expect(during).toEqual({ other: 200, same: 401 });
      const afterOther = await httpRequest(side.url, {
        path: '/certsrv/',
        localAddress: '127.0.0.2',
        headers: { authorization: BOB },
      });
      expect(afterOther.status).toBe(200);
      const cachedFromLocked = await httpRequest(side.url, {
        path: '/certsrv/',
        headers: { authorization: BOB },
      });
      expect(cachedFromLocked.status).toBe(200);
      const freshFromLocked = await httpRequest(side.url, {
        path: '/certsrv/',
        headers: { authorization: basic('CONTOSO\\alice', 'alice-Passw0rd') },
      });
      expect(freshFromLocked.status).toBe(401);
      expect(await rows()).toBe(before);
      const checked = sideLogs.filter((e) => e.event === 'auth-failed').length;
      const throttled = sideLogs.filter((e) => e.event === 'auth-throttled').length;
      expect(checked + throttled).toBe(N + 2);
      expect(checked).toBeLessThan(40);
      bruteForce.seconds = seconds;
      bruteForce.checked = checked;
      bruteForce.throttled = throttled;
    } finally {
      agent.destroy();
      await side.close();
    }
  });
});

const bruteForce: { seconds?: number; checked?: number; throttled?: number } = {};

describe('8. broken HTTP framing', () => {
  it('garbage, HTTP/0.9, duplicate Content-Length, bad chunks, TE + CL: 400 or close; still serving', async () => {
    const before = await rows();
    const post = (extra: string, body = '') =>
      `POST /certsrv/certfnsh.asp HTTP/1.1\r\nHost: x\r\nAuthorization: ${ALICE}\r\nContent-Type: application/x-www-form-urlencoded\r\n${extra}\r\n${body}`;
    const form = `Mode=newreq&CertRequest=${encodeURIComponent(pem)}`;
    const cases: [string, string][] = [
      ['garbage', '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n'],
      ['request line', 'GARBAGE\r\n\r\n'],
      ['HTTP/0.9', 'GET /certsrv/\r\n\r\n'],
      ['HTTP/2.0 version', 'GET /certsrv/ HTTP/2.0\r\nHost: x\r\n\r\n'],
      ['HTTP/9.9 version', 'GET /certsrv/ HTTP/9.9\r\nHost: x\r\n\r\n'],
      ['no host', `GET /certsrv/ HTTP/1.1\r\nAuthorization: ${ALICE}\r\n\r\n`],
      [
        'duplicate CL',
        post(`Content-Length: ${form.length}\r\nContent-Length: ${form.length + 1}\r\n`, form),
      ],
      ['negative CL', post('Content-Length: -1\r\n', form)],
      ['huge CL', post('Content-Length: 99999999999999999999999\r\n', form)],
      ['CL with junk', post('Content-Length: 12abc\r\n', form)],
      [
        'TE + CL',
        post(
          `Transfer-Encoding: chunked\r\nContent-Length: ${form.length}\r\n`,
          `${form.length.toString(16)}\r\n${form}\r\n0\r\n\r\n`,
        ),
      ],
      ['bad chunk size', post('Transfer-Encoding: chunked\r\n', 'zz\r\nMode=newreq\r\n0\r\n\r\n')],
      ['chunk size overflow', post('Transfer-Encoding: chunked\r\n', 'ffffffffffffffffffff\r\nMode\r\n')],
      [
        'chunk without CRLF',
        post('Transfer-Encoding: chunked\r\n', `${form.length.toString(16)}\r\n${form}XX0\r\n\r\n`),
      ],
      ['TE gzip, chunked', post('Transfer-Encoding: gzip, chunked\r\n', '5\r\nMode=\r\n0\r\n\r\n')],
      ['TE unknown', post('Transfer-Encoding: banana\r\n', form)],
      ['header without colon', 'GET /certsrv/ HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n'],
      ['NUL in header', 'GET /certsrv/ HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n'],
      ['obs-fold', 'GET /certsrv/ HTTP/1.1\r\nHost: x\r\nX-A: a\r\n folded\r\n\r\n'],
      ['space before colon', 'GET /certsrv/ HTTP/1.1\r\nHost : x\r\n\r\n'],
      ['bare CR', 'GET /certsrv/ HTTP/1.1\rHost: x\r\r\n'],
      ['truncated head then close', 'GET /certsrv/ HTTP/1.1\r\nHost: x\r\nAuthoriz'],
      ['body cut short', post(`Content-Length: ${form.length + 500}\r\n`, form)],
    ];
    const seen: Record<string, number | string> = {};
    for (const [name, bytes] of cases) {
      const r = await rawExchange(port, [bytes], {
        waitMs: 1500,
      });
      seen[name] = r.status ?? (r.closed ? 'closed' : 'open');
      expect(r.status, name).not.toBe(500);
      // 501 for a transfer coding the server does not implement (RFC 9112 §6.1); no other 5xx.
      if (r.status !== undefined && r.status !== 501) expect(r.status, name).toBeLessThan(500);
      await expectServing();
    }
    framing.seen = seen;
    for (const name of [
      'garbage',
      'request line',
      'HTTP/0.9',
      'HTTP/2.0 version',
      'duplicate CL',
      'TE + CL',
      'bad chunk size',
      'negative CL',
    ])
      expect(seen[name], name).toBe(400);
    expect(seen['TE gzip, chunked']).toBe(501);
    // A cut-short body (the client then goes away) reaches no CA.
    const cut = await rawExchange(port, [post(`Content-Length: ${form.length + 500}\r\n`, form)], {
      waitMs: 200,
    });
    expect(cut.closed).toBe(false);
    expect(await rows()).toBe(before);
  });

  it('a target the server cannot parse is logged without the password it may carry', async () => {
    const logged = logs.length;
    const cases: [string, string, number][] = [
      ['http://bob:UrlPW_999@localhost/%ZZ?pw=UrlPW_999', '1.1', 400],
      ['http://bob:UrlPW_999@localhost/%ZZ?pw=UrlPW_999', '2.0', 400],
      ['https://bob:Url@PW_999@x/certsrv/%G1', '1.1', 400],
      ['https://bob:Url@PW_999@x/certsrv/', '2.0', 400],
      // Parsed: the absolute form's path alone, as for any request.
      ['http://bob:UrlPW_999@x/certsrv/', '1.1', 401],
    ];
    for (const [target, version, status] of cases) {
      const r = await rawExchange(
        port,
        [`GET ${target} HTTP/${version}\r\nHost: x\r\nUser-Agent: userinfo-test\r\n\r\n`],
        {
          waitMs: 1500,
        },
      );
      expect(r.status, `${target} HTTP/${version}`).toBe(status);
    }
    // Only this test's records: a cut-short request of the test before may be logged meanwhile.
    const records = logs.slice(logged).filter((e) => e.userAgent === 'userinfo-test');
    expect(JSON.stringify(logs.slice(logged))).not.toContain('PW_999');
    expect(records.map((e) => e.path)).toEqual([
      'http://localhost/%ZZ',
      'http://localhost/%ZZ',
      'https://x/certsrv/%G1',
      'https://x/certsrv/',
      '/certsrv/',
    ]);
    expect(JSON.stringify(records)).not.toContain('PW_999');
  });
});

const framing: { seen?: Record<string, number | string> } = {};

describe('9. fast-check over the whole certfnsh.asp form', () => {
  it('mutated urlencoded bodies: 200/400/413 HTML, at most one id each, still serving', async () => {
    type Enc = 'uri' | 'raw' | 'all' | 'latin1' | 'plus';
    const encode = (s: string, enc: Enc): Buffer => {
      switch (enc) {
        case 'uri':
          return Buffer.from(encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '\uFFFD')));
        case 'raw':
          return Buffer.from(s, 'utf8');
        case 'latin1':
          return Buffer.from(s, 'latin1');
        case 'plus':
          return Buffer.from(s.replace(/ /g, '+').replace(/&/g, '%26').replace(/=/g, '%3D'), 'utf8');
        case 'all':
          return Buffer.from(
            [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''),
          );
      }
    };
    const base = Object.entries(submitFields(pem));
    const text = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom('newreq', 'chkpnd', 'NEWREQ', '', '%', '%%', '%zz', '&', '=', '+', IMG, SCRIPT, pem),
    );
    const op = fc.oneof(
      fc.record({ kind: fc.constant('name' as const), at: fc.nat(), value: text }),
      fc.record({ kind: fc.constant('value' as const), at: fc.nat(), value: text }),
      fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('dup' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('add' as const), name: text, value: text }),
    );
    const bodyOp = fc.oneof(
      fc.record({ kind: fc.constant('none' as const) }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({
        kind: fc.constant('insert' as const),
        at: fc.nat(),
        bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
      }),
      fc.record({ kind: fc.constant('huge' as const), size: fc.integer({ min: 200_001, max: 260_000 }) }),
    );
    const statuses: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { maxLength: 5 }),
        fc.constantFrom<Enc>('uri', 'raw', 'all', 'latin1', 'plus'),
        bodyOp,
        fc.constantFrom(GO, BROWSER),
        async (ops, enc, bop, ua) => {
          const fields = base.map(([k, v]) => [k, v] as [string, string]);
          for (const o of ops) {
            const at = fields.length ? (('at' in o ? o.at : 0) as number) % fields.length : 0;
            if (o.kind === 'name' && fields[at]) fields[at]![0] = o.value;
            else if (o.kind === 'value' && fields[at]) fields[at]![1] = o.value;
            else if (o.kind === 'drop') fields.splice(at, 1);
            else if (o.kind === 'dup' && fields[at]) fields.splice(at, 0, [fields[at]![0], fields[at]![1]]);
            else if (o.kind === 'add') fields.push([o.name, o.value]);
          }
          let body = Buffer.concat(
            fields.flatMap(([k, v], i) => [
              ...(i ? [Buffer.from('&')] : []),
              encode(k, enc === 'plus' ? 'uri' : enc),
              Buffer.from('='),
              encode(v, enc),
            ]),
          );
          if (bop.kind === 'truncate') body = body.subarray(0, bop.at % (body.length + 1));
          else if (bop.kind === 'insert') {
            const at = bop.at % (body.length + 1);
            body = Buffer.concat([body.subarray(0, at), bop.bytes, body.subarray(at)]);
          } else if (bop.kind === 'huge') body = Buffer.concat([body, Buffer.alloc(bop.size, 0x41)]);
          const before = await rows();
          const r = await post('/certsrv/certfnsh.asp', body, ALICE, { 'user-agent': ua });
          statuses[r.status] = (statuses[r.status] ?? 0) + 1;
          expect([200, 400, 413]).toContain(r.status);
          expect(r.headers['content-type']).toBe('text/html');
          expect(r.text).toMatch(/<html/i);
          const added = (await rows()) - before;
          if (r.status !== 200) expect(added).toBe(0);
          else if (added === 1) expect(resultOf(r.text)?.id).toBe(before + 1);
          else expect(added).toBe(0);
        },
      ),
      { seed: SEED, numRuns: 120 },
    );
    formRuns.statuses = statuses;
    await expectServing();
  });
});

const formRuns: { statuses?: Record<number, number> } = {};

describe('10. the console refuses forged actions', () => {
  it('no CSRF token, another admin’s token, a non-admin, a cross-site or null Origin: no change', async () => {
    const key = await testKey({ type: 'ec', curve: 'P-256' }, 2);
    const csr = await createCsr({ subject: Name.from([{ CN: 'console.contoso.com' }]), privateKey: key });
    const html = (await post('/certsrv/certfnsh.asp', submitFields(csr.toPem(), 'WebServer_Manual'))).text;
    const id = resultOf(html)!.id;
    const tokenOf = async (auth: string) =>
      /name="csrf" value="([^"]+)"/.exec((await get('/certsrv/admin/', auth)).text)![1]!;
    const mine = await tokenOf(ADMIN);
    const theirs = await tokenOf(ADMIN2);
    expect(mine).not.toBe(theirs);
    const approve = (csrf?: string) => ({ ...(csrf ? { csrf } : {}), action: 'approve', ReqID: String(id) });
    const attempts: [string, Promise<Reply>, number][] = [
      ['no token', post('/certsrv/admin/action', approve(), ADMIN), 303],
      ['empty token', post('/certsrv/admin/action', { ...approve(), csrf: '' }, ADMIN), 303],
      ['another admin’s token', post('/certsrv/admin/action', approve(theirs), ADMIN), 303],
      ['a non-admin with a token', post('/certsrv/admin/action', approve(mine), ALICE), 403],
      ['no credentials', post('/certsrv/admin/action', approve(mine), null), 401],
      [
        'cross-site Origin',
        post('/certsrv/admin/action', approve(mine), ADMIN, { origin: 'http://evil.example' }),
        303,
      ],
      ['null Origin', post('/certsrv/admin/action', approve(mine), ADMIN, { origin: 'null' }), 303],
      ['garbage Origin', post('/certsrv/admin/action', approve(mine), ADMIN, { origin: '::::' }), 303],
      [
        'GET with the token',
        get(`/certsrv/admin/action?${new URLSearchParams(approve(mine)).toString()}`, ADMIN),
        405,
      ],
    ];
    for (const [name, pending, status] of attempts) {
      const r = await pending;
      expect(r.status, name).toBe(status);
      if (status === 303) expect(String(r.headers.location), name).toContain('done=csrf');
      expect((await ca.retrieve(id)).disposition, name).toBe('pending');
    }
    // Control: the right token from the right admin, same-site, works.
    const ok = await post('/certsrv/admin/action', approve(mine), ADMIN, {
      origin: server.url,
    });
    expect(ok.status).toBe(303);
    expect((await ca.retrieve(id)).disposition).toBe('issued');
  });
});

describe('10b. the console refuses malformed ids and unknown reasons before the CA', () => {
  it('answers "not a request id" for ids the database would choke on, and never revokes for an unknown reason', async () => {
    const key = await testKey({ type: 'ec', curve: 'P-256' }, 3);
    const csr = await createCsr({ subject: Name.from([{ CN: 'reasons.contoso.com' }]), privateKey: key });
    const id = resultOf(
      (await post('/certsrv/certfnsh.asp', submitFields(csr.toPem(), 'WebServer'))).text,
    )!.id;
    expect((await ca.retrieve(id)).disposition).toBe('issued');
    const csrf = /name="csrf" value="([^"]+)"/.exec((await get('/certsrv/admin/', ADMIN)).text)![1]!;
    const act = (fields: Record<string, string>) =>
      post('/certsrv/admin/action', { csrf, ...fields }, ADMIN, { origin: server.url });
    const messageOf = (r: Reply) =>
      new URL(String(r.headers.location), server.url).searchParams.get('message') ?? '';
    const before = await rows();
    for (const bad of ['abc', '1.5', '-3', '0', '99999999999999999999', '', ' ', '1e3', '0x10', SCRIPT])
      for (const action of ['approve', 'deny', 'revoke', 'unrevoke']) {
        const r = await act({ action, ReqID: bad });
        expect(r.status, `${action} ${bad}`).toBe(303);
        expect(String(r.headers.location), `${action} ${bad}`).toContain('done=failed');
        const message = messageOf(r);
        expect(message, `${action} ${bad}`).toMatch(/is not a request id\.$/);
        expect(message, `${action} ${bad}`).not.toMatch(/database|bigint|syntax/i);
      }
    const page = await get(
      `/certsrv/admin/?${new URLSearchParams({ done: 'failed', message: `"${SCRIPT}" is not a request id.` })}`,
      ADMIN,
    );
    expectInert(page.text, 'the failed action page');
    for (const reason of ['bogus', 'removeFromCRL', SCRIPT]) {
      const r = await act({ action: 'revoke', ReqID: String(id), reason });
      expect(String(r.headers.location), reason).toContain('done=failed');
      expect(messageOf(r), reason).toContain(
        'is not a revocation reason; one of: unspecified, keyCompromise',
      );
    }
    expect((await ca.retrieve(id)).disposition).toBe('issued');
    // A reason the console offers, in any case, revokes.
    const ok = await act({ action: 'revoke', ReqID: String(id), reason: 'KEYCOMPROMISE' });
    expect(String(ok.headers.location)).toContain('done=revoked');
    expect((await ca.retrieve(id)).revocationReason).toBe('keyCompromise');
    expect(await rows()).toBe(before);
  });

  it('the CA itself refuses such ids as misuse (TypeError), not as a database error', async () => {
    for (const bad of [Number.NaN, 1.5, 0, -1, 2 ** 60])
      for (const call of [
        () => ca.retrieve(bad),
        () => ca.approve(bad),
        () => ca.deny(bad),
        () => ca.revoke(bad),
      ])
        await expect(call()).rejects.toThrow(TypeError);
  });
});

describe('11. U+0000 in CertAttrib (%00) and in the request, on PGlite as in memory', () => {
  // PostgreSQL text cannot hold U+0000: a submission carrying one must still get an answer page
  // and a request id, with the same outcome on every store (the memory store above never fails).
  let factory: Awaited<ReturnType<typeof pgliteFactory>>;
  beforeAll(async () => {
    factory = await pgliteFactory();
  }, 60_000);
  afterAll(async () => {
    await factory?.cleanup();
  });

  it('every submission gets a result page and the next request id, the same on both stores', async () => {
    const key = await testKey({ type: 'ec', curve: 'P-256' }, 4);
    const nulCn = await createCsr({
      subject: Name.from([{ CN: 'web\u0000evil.contoso.com' }]),
      privateKey: key,
    });
    const nulTemplate = await makeCsr({ subject: 'CN=exch01.contoso.com', template: 'Web\u0000Server' });
    const form = (request: string, certAttrib: string) =>
      `Mode=newreq&CertRequest=${encodeURIComponent(request)}&CertAttrib=${certAttrib}&TargetStoreFlags=0&SaveCert=yes`;
    const bodies = [
      form(pem, 'CertificateTemplate%3AWebServer%00junk%0D%0AUserAgent%3AGo'),
      form(pem, '%00ertificateTemplate%3AWebServer'),
      form(pem, 'CertificateTemplate%3AWeb%00Server'),
      form(pem, 'CertificateTemplate%3AWebServer%0D%0A%00%0D%0AUserAgent%3AGo'),
      form(nulCn.toPem(), 'CertificateTemplate%3AWebServer'),
      form(nulTemplate.toPem(), 'UserAgent%3AGo'),
    ];
    const outcomes = async (kind: 'memory' | 'pglite') => {
      const db = kind === 'memory' ? undefined : (await factory.open()).store;
      const sqlCa = await contosoAuthority('Contoso Issuing CA', db ? { db } : {});
      const site = await startCertsrv({ ca: sqlCa, users, crlSchedule: false });
      try {
        const seen: unknown[] = [];
        for (const [i, body] of bodies.entries()) {
          const r = await httpRequest(site.url, {
            method: 'POST',
            path: '/certsrv/certfnsh.asp',
            body,
            headers: {
              'user-agent': GO,
              'content-type': 'application/x-www-form-urlencoded',
              authorization: ALICE,
            },
          });
          expect(r.status, `${kind} #${i}: ${r.text.slice(0, 300)}`).toBe(200);
          const result = resultOf(r.text);
          expect(result?.id, `${kind} #${i}`).toBe(i + 1);
          const row = await sqlCa.retrieve(i + 1);
          seen.push([row.disposition, row.template, row.subject, row.attributes, row.message]);
        }
        expect((await sqlCa.list()).length).toBe(bodies.length);
        return seen;
      } finally {
        await site.close();
        await sqlCa.close();
      }
    };
    const memory = await outcomes('memory');
    expect(await outcomes('pglite')).toEqual(memory);
    const ua = 'useragent:Go\r\n';
    const unsupported = (name: string) =>
      `Denied by Policy Module  0x80094800, The request was for a certificate template that is not supported by the Active Directory Certificate Services policy: ${name}.`;
    expect(memory).toEqual([
      ['issued', 'WebServer', 'CN=exch01.contoso.com', 'certificatetemplate:WebServer\r\n', 'Issued'],
      [
        'denied',
        undefined,
        'CN=exch01.contoso.com',
        undefined,
        'Denied by Policy Module  0x80094801, The request contains no certificate template information.',
      ],
      ['denied', 'Web', 'CN=exch01.contoso.com', 'certificatetemplate:Web\r\n', unsupported('Web')],
      ['issued', 'WebServer', 'CN=exch01.contoso.com', 'certificatetemplate:WebServer\r\n', 'Issued'],
      ['issued', 'WebServer', 'CN=web\\00evil.contoso.com', 'certificatetemplate:WebServer\r\n', 'Issued'],
      ['denied', 'Web\ufffdServer', 'CN=exch01.contoso.com', ua, unsupported('Web\ufffdServer')],
    ]);
  });
});

describe('the CA database and the log at the end', () => {
  it('request ids are unique and consecutive; every issued certificate parses and chains', async () => {
    const all = await ca.list();
    expect(all.map((r) => r.requestId)).toEqual(all.map((_, i) => i + 1));
    const issuer = ca.certificate;
    expect(await issuer.verifySignature(ca.rootCertificate.publicKey)).toBe(true);
    let issued = 0;
    for (const r of all) {
      if (r.disposition !== 'issued' && r.disposition !== 'revoked') continue;
      expect(r.certificate, `request ${r.requestId}`).toBeDefined();
      const cert: Certificate = parseCertificate(r.certificate!.der);
      expect(cert.issuer.toString()).toBe(issuer.subject.toString());
      expect(await cert.verifySignature(issuer.publicKey), `request ${r.requestId}`).toBe(true);
      issued++;
    }
    expect(issued).toBeGreaterThan(0);
    database.rows = all.length;
    database.issued = issued;
  });

  it('no request ended in a 500 or an unexpected error', () => {
    // 501 is the deliberate answer to an unimplemented transfer coding (section 8), not a failure.
    const bad = logs.filter(
      (e) => (e.status >= 500 && e.event !== 'transfer-coding-unsupported') || e.event?.startsWith('error:'),
    );
    const notImplemented = logs.filter((e) => e.status === 501);
    expect(notImplemented.length).toBeGreaterThan(0);
    expect(notImplemented.every((e) => e.event === 'transfer-coding-unsupported')).toBe(true);
    expect(bad).toEqual([]);
    console.log(
      JSON.stringify({
        requests: logs.length,
        slowloris,
        bruteForce,
        framing: framing.seen,
        formRuns,
        database,
      }),
    );
  });
});

const database: { rows?: number; issued?: number } = {};
