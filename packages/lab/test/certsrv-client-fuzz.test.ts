// Malformed certsrv pages (fast-check, fixed seed) read by the lab's certsrv client: the real
// pages of a certsrv server started here (the advanced request page with its template list, the
// Issued / Pending / Denied result pages of certfnsh.asp, the home page, the CA certificate)
// are mutated as text and served back by a loopback server on port 0, together with
// transport-level damage (status codes, content types, redirect loops, empty, binary, truncated
// bodies). Each client call gives its value or a LabError ERR_LAB_CERTSRV within a time bound,
// and what it returns is well formed (named templates, a request id and a known disposition).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createAuthority,
  STANDARD_TEMPLATES,
  startCertsrv,
  UserDirectory,
  withDefaultPermissions,
} from '@certlab/ca-sim';
import { createCsr, generateKeyPair, Name } from '@certlab/pki';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptAsync, coded, Outcomes } from '../../../test/support/coded.js';
import { mutateText, textMutationsArb } from '../../../test/support/mutate.js';
import { CertsrvClient, LabError } from '../src/index.js';

const SEED = 20261207;
const LAB = [coded(LabError, 'ERR_LAB_CERTSRV')];
const ACCOUNT = { name: 'CONTOSO\\administrator', password: 'Fuzz-P@ssw0rd-1' };

/** What the fake certsrv answers to the next request(s). */
interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
  /** `truncate`: announce more bytes than sent and drop the connection; `loop`: redirect to itself. */
  mode: 'normal' | 'truncate' | 'loop' | 'reset';
}

let real: { close(): Promise<void> } | undefined;
let fake: Server;
let fakeUrl: string;
let answer: Answer = { status: 200, headers: {}, body: new Uint8Array(), mode: 'normal' };
const pages: Record<'templates' | 'issued' | 'pending' | 'denied' | 'home', string> = {
  templates: '',
  issued: '',
  pending: '',
  denied: '',
  home: '',
};
let caCer: Uint8Array;
let csrPem: string;

function serve(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  const a = answer;
  if (a.mode === 'loop') {
    res.writeHead(302, { location: req.url ?? '/' });
    res.end();
    return;
  }
  if (a.mode === 'reset') {
    req.socket.destroy();
    return;
  }
  const headers = { 'content-type': 'text/html; charset=utf-8', ...a.headers };
  if (a.mode === 'truncate') {
    res.writeHead(a.status, { ...headers, 'content-length': String(a.body.length + 64) });
    res.write(a.body);
    setTimeout(() => res.destroy(), 5);
    return;
  }
  res.writeHead(a.status, { ...headers, 'content-length': String(a.body.length) });
  res.end(a.body);
}

beforeAll(async () => {
  const ca = await createAuthority({
    name: 'Contoso Issuing CA',
    root: { name: 'Contoso Root CA' },
    keyType: 'ec',
    baseUrl: 'http://ca01.contoso.com',
    templates: withDefaultPermissions(STANDARD_TEMPLATES),
  });
  const users = new UserDirectory('CONTOSO');
  await users.add('administrator', ACCOUNT.password, {
    admin: true,
    directory: { groups: ['CONTOSO\\Domain Admins', 'CONTOSO\\Enterprise Admins'] },
  });
  const server = await startCertsrv({ ca, users, crlSchedule: false, port: 0 });
  real = server;
  const web = new CertsrvClient(server.url, ACCOUNT);
  const { privateKey } = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  csrPem = (await createCsr({ subject: Name.from([{ CN: 'ex01.contoso.com' }]), privateKey })).toPem();
  const auth = {
    authorization: `Basic ${Buffer.from(`${ACCOUNT.name}:${ACCOUNT.password}`).toString('base64')}`,
  };
  pages.templates = await (await fetch(`${server.url}/certsrv/certrqxt.asp`, { headers: auth })).text();
  pages.home = await web.home();
  pages.issued = (await web.submit(csrPem, 'WebServer')).page;
  pages.pending = (await web.submit(csrPem, 'WebServer_Manual')).page;
  pages.denied = (await web.submit(csrPem, 'NoSuchTemplate')).page;
  caCer = await web.downloadCaCertificate();
  fake = createServer(serve);
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await real?.close();
  if (fake) await new Promise<void>((resolve) => fake.close(() => resolve()));
});

const enc = new TextEncoder();
function page(text: string, more: Partial<Answer> = {}): void {
  answer = { status: 200, headers: {}, body: enc.encode(text), mode: 'normal', ...more };
}
/** The page as the client receives it (UTF-8 both ways: a lone surrogate comes back as U+FFFD). */
function received(text: string): string {
  return new TextDecoder().decode(enc.encode(text));
}
function client(): CertsrvClient {
  return new CertsrvClient(fakeUrl, ACCOUNT);
}

/** Every template the client returns is named. */
function checkTemplates(ts: { name: string; displayName: string }[] | undefined): void {
  if (!ts) return;
  for (const t of ts) {
    expect(typeof t.name).toBe('string');
    expect(t.name).not.toBe('');
    expect(typeof t.displayName).toBe('string');
  }
}

/** The largest AD CS request id (a 32-bit LONG counted from 1). */
const MAX_REQUEST_ID = 2 ** 31 - 1;

/** A submission names a request (an AD CS request id) and one of the three dispositions. */
function checkSubmission(r: Awaited<ReturnType<CertsrvClient['submit']>> | undefined): void {
  if (!r) return;
  expect(
    Number.isInteger(r.requestId) && r.requestId >= 1 && r.requestId <= MAX_REQUEST_ID,
    `request id ${r.requestId}`,
  ).toBe(true);
  expect(['issued', 'pending', 'denied']).toContain(r.disposition);
  if (r.disposition === 'denied') expect(typeof r.message).toBe('string');
}

/**
 * What the client read with regular expressions before its scanners were made linear (they were
 * quadratic on hostile pages, which only small pages can be given here): the scanners must find
 * exactly this on any page.
 */
function templatesByRegex(html: string): { name: string; displayName: string }[] {
  const unescapeHtml = (s: string) =>
    s.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, e: string) =>
      e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : "'",
    );
  return [...html.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/gi)]
    .map((m) => ({ name: unescapeHtml(m[1]!.split(';')[1] ?? ''), displayName: unescapeHtml(m[2]!) }))
    .filter((t) => t.name !== '');
}
function pageTextByRegex(page: string): string {
  return page
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
}

/** Pages built from the pieces the scanners look for, in any order and case. */
const markupArb = fc
  .array(
    fc.constantFrom(
      '<option value="',
      '<Option Value="',
      '<OPTION VALUE="',
      '<option  value="',
      '</option>',
      '</Option>',
      '</option',
      'O;WebServer;1;2048',
      ';User;',
      '&amp;',
      '"',
      '>',
      '<',
      '<>',
      '<b>',
      ' ',
      '\r\n',
      '\u00a0',
      'Web Server',
      'x',
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

describe('certsrv client on real pages', () => {
  it('reads the real pages served back unchanged', async () => {
    page(pages.templates);
    expect((await client().templates()).map((t) => t.name)).toEqual([
      'WebServer',
      'WebServer_Manual',
      'Machine',
      'User',
      'SubCA',
    ]);
    page(pages.issued);
    expect(await client().submit(csrPem)).toMatchObject({ requestId: 1, disposition: 'issued' });
    page(pages.pending);
    expect(await client().submit(csrPem)).toMatchObject({ requestId: 2, disposition: 'pending' });
    page(pages.denied);
    const denied = await client().submit(csrPem);
    expect(denied).toMatchObject({ requestId: 3, disposition: 'denied' });
    expect(denied.message).toMatch(/^Denied by Policy Module {2}0x80094800, /);
    page(pages.home);
    expect(await client().home()).toBe(pages.home);
    answer = {
      status: 200,
      headers: { 'content-type': 'application/pkix-cert' },
      body: caCer,
      mode: 'normal',
    };
    expect(await client().downloadCaCertificate()).toEqual(caCer);
  });
});

describe('mutated certsrv pages', () => {
  it('mutated certrqxt.asp: the templates (each named) or ERR_LAB_CERTSRV', async () => {
    const o = new Outcomes();
    await fc.assert(
      fc.asyncProperty(textMutationsArb(4), async (m) => {
        page(mutateText(pages.templates, m));
        checkTemplates(await attemptAsync('templates()', o, LAB, () => client().templates()));
      }),
      { seed: SEED, numRuns: 150 },
    );
    expect(o.ok).toBeGreaterThan(0);
  });

  it('mutated certrqxt.asp and option markup: exactly the templates the regular expression found', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          textMutationsArb(4).map((m) => mutateText(pages.templates, m)),
          markupArb,
        ),
        async (html) => {
          page(html);
          expect(await client().templates()).toEqual(templatesByRegex(received(html)));
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('a page that is no result page: ERR_LAB_CERTSRV with the text the regular expressions gave', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc
            .constantFrom('issued', 'pending', 'denied', 'home', 'templates')
            .map((w) => pages[w as keyof typeof pages]),
          markupArb,
        ),
        textMutationsArb(4),
        async (text, m) => {
          const html = mutateText(text, m);
          page(html, { status: 500 });
          await expect(client().submit(csrPem)).rejects.toMatchObject({
            code: 'ERR_LAB_CERTSRV',
            message: `certfnsh.asp did not take the request (HTTP 500): ${pageTextByRegex(received(html))}`,
          });
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('mutated result pages (issued, pending, denied): a request id and disposition, or ERR_LAB_CERTSRV', async () => {
    const o = new Outcomes();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('issued', 'pending', 'denied') as fc.Arbitrary<'issued' | 'pending' | 'denied'>,
        textMutationsArb(4),
        fc.constantFrom(200, 200, 200, 500),
        async (which, m, status) => {
          page(mutateText(pages[which], m), { status });
          checkSubmission(await attemptAsync(`submit() on ${which}`, o, LAB, () => client().submit(csrPem)));
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
    expect(o.ok).toBeGreaterThan(0);
    expect(o.failed).toBeGreaterThan(0);
  });

  // Guards submit()'s request id: AD CS request ids run from 1 to 2^31 − 1, and a longer run of
  // digits was once read with Number() (30 digits gave 1.2345678901234568e+29, which names no
  // request), so anything outside that range is ERR_LAB_CERTSRV, in the result text and in the
  // certnew.cer?ReqID= link alike.
  it('a request id outside 1 … 2^31 − 1: ERR_LAB_CERTSRV, not a rounded id', async () => {
    const pending = (id: string) =>
      pages.pending.replace('Your Request Id is 2.', `Your Request Id is ${id}.`);
    const issued = (id: string) =>
      pages.issued.replaceAll('certnew.cer?ReqID=1&', `certnew.cer?ReqID=${id}&`);
    expect(pending('7')).not.toBe(pages.pending);
    expect(issued('7')).not.toBe(pages.issued);
    for (const id of [
      '123456789012345678901234567890',
      '9007199254740993',
      '2147483648',
      '0',
      '00000000001',
    ]) {
      for (const html of [pending(id), issued(id)]) {
        page(html);
        await expect(client().submit(csrPem), `id ${id}`).rejects.toMatchObject({
          code: 'ERR_LAB_CERTSRV',
          message: expect.stringMatching(/request id .*(1 to 2147483647)/),
        });
      }
    }
    page(pending('2147483647'));
    expect(await client().submit(csrPem)).toMatchObject({
      requestId: MAX_REQUEST_ID,
      disposition: 'pending',
    });
    page(issued('0000000042'));
    expect(await client().submit(csrPem)).toMatchObject({ requestId: 42, disposition: 'issued' });
  });
});

/** Transport-level damage that the client reads without a crash (a body cut short: the test below). */
const transport = fc.record({
  status: fc.constantFrom(200, 200, 204, 301, 400, 401, 403, 404, 500, 503),
  contentType: fc.constantFrom(
    'text/html; charset=utf-8',
    'text/html; charset=utf-16',
    'application/octet-stream',
    'application/pkix-cert',
    'text/plain; charset=x-unknown',
    '',
  ),
  body: fc.oneof(
    fc.constantFrom('templates', 'issued', 'pending', 'denied', 'home', 'empty', 'cer'),
    fc.uint8Array({ maxLength: 512 }) as fc.Arbitrary<Uint8Array | string>,
  ),
  mode: fc.constantFrom('normal', 'normal', 'loop', 'reset') as fc.Arbitrary<Answer['mode']>,
});

function transportAnswer(t: TransportCase): Answer {
  const body =
    typeof t.body === 'string'
      ? t.body === 'empty'
        ? new Uint8Array()
        : t.body === 'cer'
          ? caCer
          : enc.encode(pages[t.body as keyof typeof pages])
      : t.body;
  return {
    status: t.status,
    headers: t.contentType === '' ? {} : { 'content-type': t.contentType },
    body,
    mode: t.mode,
  };
}
type TransportCase = { status: number; contentType: string; body: Uint8Array | string; mode: Answer['mode'] };

async function everyCall(o: Outcomes): Promise<void> {
  const web = client();
  checkTemplates(await attemptAsync('templates()', o, LAB, () => web.templates()));
  checkSubmission(await attemptAsync('submit()', o, LAB, () => web.submit(csrPem)));
  await attemptAsync('home()', o, LAB, () => web.home());
  await attemptAsync('downloadCertificate(1)', o, LAB, () => web.downloadCertificate(1));
  await attemptAsync('downloadCaCertificate()', o, LAB, () => web.downloadCaCertificate());
  await attemptAsync('downloadCaChain()', o, LAB, () => web.downloadCaChain('bin'));
}

describe('damaged certsrv answers', () => {
  it('status codes, content types, binary or empty bodies, redirect loops, resets: a value or ERR_LAB_CERTSRV', async () => {
    const o = new Outcomes();
    await fc.assert(
      fc.asyncProperty(transport, async (t) => {
        answer = transportAnswer(t);
        await everyCall(o);
      }),
      { seed: SEED, numRuns: 40 },
    );
    expect(o.ok).toBeGreaterThan(0);
    expect(o.codes.get('ERR_LAB_CERTSRV')).toBeGreaterThan(0);
  });

  // Guards the body reads: each CertsrvClient call reads its body where a failure becomes
  // ERR_LAB_CERTSRV. They were read outside the error handling, and a server that drops the
  // connection in the middle of a page (Content-Length larger than what it sent) made undici's
  // "TypeError: terminated" escape.
  it('a body cut short (connection dropped mid-page): ERR_LAB_CERTSRV', async () => {
    const o = new Outcomes();
    await fc.assert(
      fc.asyncProperty(transport, async (t) => {
        answer = { ...transportAnswer(t), status: 200, mode: 'truncate' };
        await everyCall(o);
      }),
      { seed: SEED, numRuns: 10 },
    );
    expect(o.codes.get('ERR_LAB_CERTSRV')).toBeGreaterThan(0);
  });

  it('an empty body cut short: every call says the site broke off its answer, with undici’s error as cause', async () => {
    answer = { status: 200, headers: {}, body: new Uint8Array(), mode: 'truncate' };
    const web = client();
    for (const [path, call] of [
      ['/certsrv/certrqxt.asp', () => web.templates()],
      ['/certsrv/certfnsh.asp', () => web.submit(csrPem)],
      ['/certsrv/', () => web.home()],
      ['/certsrv/certnew.cer?ReqID=1&Enc=b64', () => web.downloadCertificate(1)],
      ['/certsrv/certcarc.asp', () => web.downloadCaCertificate()],
      ['/certsrv/certcarc.asp', () => web.downloadCaChain()],
    ] as const) {
      const e = await call().then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e, path).toBeInstanceOf(LabError);
      expect(e, path).toMatchObject({ code: 'ERR_LAB_CERTSRV' });
      expect((e as LabError).message, path).toBe(
        `The CA web site ${fakeUrl} broke off its answer to ${path.endsWith('certfnsh.asp') ? 'POST' : 'GET'} ${path}: check that certsrv is still running, then try again.`,
      );
      expect((e as LabError).cause, path).toBeInstanceOf(TypeError);
    }
  });
});

/** Median of three timings of `fn`, in ms. */
async function timed(fn: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await fn().catch(() => undefined);
    ms.push(performance.now() - t);
  }
  return ms.sort((a, b) => a - b)[1]!;
}

describe('large hostile pages', () => {
  // Guards pageText, which makes submit()'s error message: it was `page.replace(/<[^>]+>/g, ' ')`,
  // quadratic on many '<' without '>' (each '<' scanned to the end of the page: most of a second
  // for these 24 KB). attemptAsync's timer cannot fire while a regular expression blocks the
  // event loop: the elapsed time is checked here.
  it('a 24 KB certfnsh.asp answer of unclosed tags is refused within 300 ms', async () => {
    page('<'.repeat(24_576));
    const t = performance.now();
    await expect(client().submit(csrPem)).rejects.toMatchObject({ code: 'ERR_LAB_CERTSRV' });
    expect(performance.now() - t).toBeLessThan(300);
  });

  // Guards templates()'s option scan, once `/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/gi`,
  // quadratic on option tags that never close (four times the page took sixteen times as long).
  it('templates() on unclosed option tags scales linearly (4× the page, under 8× the time)', async () => {
    const small = '<option value="'.repeat(1_000);
    const large = '<option value="'.repeat(4_000);
    page(small);
    const a = await timed(() => client().templates());
    page(large);
    const b = await timed(() => client().templates());
    expect(b, `${a.toFixed(1)} ms → ${b.toFixed(1)} ms`).toBeLessThan(8 * a + 20);
  });

  it('a 4 MB error page: its text in the message is cut at 300 characters, within the bound', async () => {
    page(`<html><body>${'Service Unavailable '.repeat(220_000)}</body></html>`, { status: 503 });
    const t = performance.now();
    const e = await client()
      .submit(csrPem)
      .then(
        () => undefined,
        (x: unknown) => x as LabError,
      );
    expect(performance.now() - t).toBeLessThan(1000);
    expect(e?.code).toBe('ERR_LAB_CERTSRV');
    expect(e?.message).toBe(
      `certfnsh.asp did not take the request (HTTP 503): ${'Service Unavailable '.repeat(16).slice(0, 300)}`,
    );
  });

  it('a 4 MB page of well-formed options is read whole, within the bound', async () => {
    const option = '<Option Value="O;WebServer;1;2048">Web Server</Option>\r\n';
    page(option.repeat(Math.ceil((4 << 20) / option.length)));
    const ts = await attemptAsync(
      'templates() on 4 MB',
      new Outcomes(),
      LAB,
      () => client().templates(),
      3000,
    );
    expect(ts?.length).toBe(Math.ceil((4 << 20) / option.length));
  });
});
