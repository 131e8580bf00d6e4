// Every certsrv route under mutated requests (fast-check, fixed seed): a valid request per route
// (its path and query, the Requests and CertsrvLang cookies, Accept-Language, and for the POST
// routes its urlencoded body) with text mutations applied to one part. The server answers each
// with a status (4xx for what it cannot read, never 500), logs no `error:` event, answers within
// a time bound, and keeps serving. certfnsh.asp POST bodies are fuzzed in certsrv-hostile.test.ts.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutateText, textMutationsArb } from '../../../test/support/mutate.js';
import {
  type CertificationAuthority,
  type CertsrvLogEntry,
  type CertsrvServer,
  startCertsrv,
  UserDirectory,
} from '../src/index.js';
import { basic, contosoAuthority, GO } from './support/certsrv-fixture.js';
import { makeCsr } from './support/csr.js';
import { rawExchange } from './support/raw-http.js';

const SEED = 20261203;
const RUNS = 80;
const PER_REQUEST_MS = 2000;
const ALICE = basic('alice', 'alice-Passw0rd');
const ADMIN = basic('caadmin', 'admin-Passw0rd');

let ca: CertificationAuthority;
let server: CertsrvServer;
let port: number;
let csrf = '';
const logs: CertsrvLogEntry[] = [];

interface Route {
  readonly method: 'GET' | 'POST';
  readonly target: string;
  readonly auth?: string;
  readonly body?: () => string;
}

const REQUESTS_COOKIE = 'Requests=[1,BASE64,30/11/2026 10:00:00,Saved-Request Certificate][2,BASE64,x,y]';

const ROUTES: Route[] = [
  { method: 'GET', target: '/' },
  { method: 'GET', target: '/health' },
  { method: 'GET', target: '/certsrv' },
  { method: 'GET', target: '/certsrv/?Lang=fr' },
  { method: 'GET', target: '/certsrv/default.asp?Lang=en' },
  { method: 'GET', target: '/certsrv/certrqus.asp' },
  { method: 'GET', target: '/certsrv/certrqad.asp' },
  { method: 'GET', target: '/certsrv/certrqxt.asp' },
  { method: 'GET', target: '/certsrv/certrqma.asp' },
  { method: 'GET', target: '/certsrv/certfnsh.asp?Mode=newreq&CertRequest=MIIB&CertAttrib=x' },
  { method: 'GET', target: '/certsrv/certckpn.asp' },
  { method: 'GET', target: '/certsrv/certcarc.asp' },
  { method: 'GET', target: '/certsrv/certnew.cer?ReqID=1&Enc=b64' },
  { method: 'GET', target: '/certsrv/certnew.p7b?ReqID=1&Enc=bin' },
  { method: 'GET', target: '/certsrv/certnew.cer?ReqID=CACert&Renewal=0&Enc=bin' },
  { method: 'GET', target: '/certsrv/certcrl.crl?Type=delta&Renewal=0&Enc=b64' },
  { method: 'GET', target: '/certsrv/assets/certrqma.js' },
  { method: 'GET', target: '/CertEnroll/Contoso%20Issuing%20CA.crl' },
  { method: 'GET', target: '/CertEnroll/Contoso%20Issuing%20CA%2B.crl' },
  { method: 'GET', target: '/certsrv/admin/?folder=issued', auth: ADMIN },
  { method: 'GET', target: '/certsrv/admin/?done=approved&id=1&message=ok', auth: ADMIN },
  { method: 'POST', target: '/certsrv/certrmpn.asp', body: () => 'Action=Remove&ReqID=2' },
  {
    method: 'POST',
    target: '/certsrv/admin/action',
    auth: ADMIN,
    body: () => `csrf=${encodeURIComponent(csrf)}&folder=issued&action=revoke&ReqID=1&reason=keyCompromise`,
  },
  {
    method: 'POST',
    target: '/certsrv/admin/action',
    auth: ADMIN,
    body: () => `csrf=${encodeURIComponent(csrf)}&folder=pending&action=publish-delta-crl`,
  },
];

type Part = 'target' | 'body' | 'cookie' | 'language';

function rawRequest(r: Route, part: Part, ms: Parameters<typeof mutateText>[1]): string {
  const m = (s: string, p: Part) => (p === part ? mutateText(s, ms) : s);
  const body = r.body ? m(r.body(), 'body') : '';
  const bytes = Buffer.byteLength(body, 'latin1');
  const headers = [
    'Host: 127.0.0.1',
    `Authorization: ${r.auth ?? ALICE}`,
    `User-Agent: ${GO}`,
    `Cookie: ${m(`${REQUESTS_COOKIE}; CertsrvLang=fr`, 'cookie')}`,
    `Accept-Language: ${m('fr-FR,fr;q=0.9,en;q=0.8', 'language')}`,
    ...(r.method === 'POST'
      ? ['Content-Type: application/x-www-form-urlencoded', `Content-Length: ${bytes}`]
      : []),
    'Connection: close',
  ];
  return `${r.method} ${m(r.target, 'target')} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n${body}`;
}

beforeAll(async () => {
  ca = await contosoAuthority();
  const users = new UserDirectory('CONTOSO');
  await users.add('alice', 'alice-Passw0rd');
  await users.add('caadmin', 'admin-Passw0rd', { admin: true });
  server = await startCertsrv({ ca, users, crlSchedule: false, log: (e) => logs.push(e) });
  port = Number(new URL(server.url).port);
  // Request 1 issued, request 2 pending: the ids the routes name exist.
  expect(
    (await ca.submit((await makeCsr({ subject: 'CN=a.contoso.com' })).der, { template: 'WebServer' }))
      .disposition,
  ).toBe('issued');
  const admin = await rawExchange(port, [rawRequest(ROUTES[19]!, 'body', [])]);
  csrf = /name="csrf" value="([^"]+)"/.exec(admin.text)?.[1] ?? '';
  expect(csrf).not.toBe('');
});

afterAll(async () => {
  await server?.close();
});

describe('certsrv routes under mutated requests', () => {
  it('the unmutated requests are answered without a server error', async () => {
    for (const r of ROUTES) {
      const res = await rawExchange(port, [rawRequest(r, 'body', [])]);
      expect(res.status, `${r.method} ${r.target}`).toBeDefined();
      expect(res.status, `${r.method} ${r.target}`).toBeLessThan(500);
    }
  });

  for (const part of ['target', 'cookie', 'language', 'body'] as const) {
    it(`mutated ${part}: a status below 500 for every route, no error event, still serving`, async () => {
      const routes = part === 'body' ? ROUTES.filter((r) => r.body) : ROUTES;
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(fc.nat(), textMutationsArb(), async (i, ms) => {
          const r = routes[i % routes.length]!;
          const before = logs.length;
          const res = await rawExchange(port, [rawRequest(r, part, ms)], { waitMs: PER_REQUEST_MS });
          expect(res.closed, `${r.method} ${r.target}: answered and closed within ${PER_REQUEST_MS} ms`).toBe(
            true,
          );
          expect(res.status, `${r.method} ${r.target}: an HTTP status`).toBeDefined();
          expect(res.status!, `${r.method} ${r.target}`).toBeLessThan(500);
          const events = logs.slice(before).map((e) => e.event ?? '');
          expect(events.filter((e) => e.startsWith('error:'))).toEqual([]);
          statuses.set(res.status!, (statuses.get(res.status!) ?? 0) + 1);
        }),
        { seed: SEED, numRuns: RUNS * (part === 'body' ? 1 : 2) },
      );
      const health = await rawExchange(port, [rawRequest(ROUTES[1]!, 'body', [])]);
      expect(health.status).toBe(200);
    });
  }

  it('no request of the whole file ended in a 500', () => {
    expect(logs.filter((e) => e.status >= 500 || e.event?.startsWith('error:'))).toEqual([]);
  });
});
