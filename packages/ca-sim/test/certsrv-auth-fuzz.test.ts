// The certsrv sign-in and body framing headers over real loopback sockets, mutated (fast-check,
// fixed seed, fixed clock): `Authorization: Basic …` (the Base64, the decoded user:password, not
// UTF-8 and very long ones included, the scheme word, the whitespace, the whole value), NTLM and
// Negotiate headers built from valid NTLM type 1 and type 3 messages, bare or in SPNEGO (the type
// 3 sent on the connection its type 2 came on, alone or in a sequence of sign-ins), and
// Content-Type / Transfer-Encoding on a certfnsh.asp POST. Three sign-in configurations: Basic
// alone, Negotiate + NTLM + Basic, NTLM alone. Every request gets an HTTP answer within a time
// bound, below 500 (501 only for a transfer coding the server does not implement, RFC 9112
// §6.1), with `WWW-Authenticate` only for schemes the site offers; no `error:` log event; a
// request refused before the CA (authentication, framing) leaves no record, and every record made
// is one a result page announced; a 200 means an account's own credentials (one account's are not
// ASCII: sent in UTF-8 or Latin-1); and the site keeps serving a valid request.

import { connect, type Socket } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  mutate,
  mutateText,
  mutationsArb,
  type TextMutation,
  textMutationsArb,
  tlvNodes,
} from '../../../test/support/mutate.js';
import {
  buildAuthenticateMessage,
  buildNegotiateMessage,
  buildNegTokenInit,
  buildNegTokenResp,
  type CertificationAuthority,
  type CertsrvLogEntry,
  type CertsrvServer,
  manualClock,
  parseSpnegoToken,
  startCertsrv,
  UserDirectory,
} from '../src/index.js';
import { basic, contosoAuthority, GO, submitFields } from './support/certsrv-fixture.js';
import { makeCsr } from './support/csr.js';
import { rawExchange } from './support/raw-http.js';

// FUZZ_SEED explores other inputs; the suite runs the fixed seed.
const SEED = Number(process.env.FUZZ_SEED) || 20261211;
const PER_REQUEST_MS = 8000;
const NOW = new Date('2026-12-03T10:00:00Z');
const PASSWORD = 'alice-Passw0rd';
const ALICE = basic('alice', PASSWORD);
/** A second account whose name and password are not ASCII: Basic sends them as UTF-8 or Latin-1. */
const BJORN = { name: 'bj\u00f8rn', password: 'P\u00e4ssw\u00f6rd-2026' };
/** Every account, canonical name (lower case) to password. */
const ACCOUNTS = new Map([
  ['contoso\\alice', PASSWORD],
  [`contoso\\${BJORN.name}`, BJORN.password],
]);
const REALM = 'Basic realm="pki.contoso.com"';

/** One certsrv configuration under test. */
interface Site {
  readonly name: string;
  /** Its plain 401 challenges, in order. */
  readonly challenges: readonly string[];
  /** Scheme words (lower case) the site offers: the only ones a WWW-Authenticate may name. */
  readonly offers: readonly string[];
  readonly basic: boolean;
  server?: CertsrvServer;
  port: number;
}

const siteOf = (name: string, challenges: readonly string[]): Site => ({
  name,
  challenges,
  offers: challenges.map((c) => c.split(' ')[0]!.toLowerCase()),
  basic: challenges.includes(REALM),
  port: 0,
});

const SITES = {
  basic: siteOf('Basic', [REALM]),
  ntlm: siteOf('Negotiate+NTLM+Basic', ['Negotiate', 'NTLM', REALM]),
  ntlmOnly: siteOf('NTLM alone', ['NTLM']),
  // Basic with short listener timeouts: a body that never completes is answered (408) within
  // the time bound instead of holding the connection for the default minute.
  framing: siteOf('Basic, short timeouts', [REALM]),
};

let ca: CertificationAuthority;
let users: UserDirectory;
let form: string;
const logs: CertsrvLogEntry[] = [];

// -------------------------------------------------------------------------------------------
// Raw HTTP/1.1 on loopback sockets: any bytes in the head, every answer read back.
// -------------------------------------------------------------------------------------------

interface Answer {
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
}

const latin1 = (s: string) => Buffer.from(s, 'latin1');
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

/** The answer at `at` in `buf` and where it ends (Content-Length framed, as certsrv and HTTP.sys send them). */
function readOne(buf: Buffer, at = 0): { answer: Answer; end: number } | undefined {
  const head = buf.indexOf('\r\n\r\n', at, 'latin1');
  if (head < 0) return undefined;
  const lines = buf.toString('latin1', at, head).split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (!m) return undefined;
  const headers = lines.slice(1).map((l) => {
    const c = l.indexOf(':');
    return [l.slice(0, c).trim(), l.slice(c + 1).trim()] as const;
  });
  const length = Number(headers.find(([n]) => n.toLowerCase() === 'content-length')?.[1] ?? 0);
  const end = head + 4 + length;
  if (buf.length < end) return undefined;
  return { answer: { status: Number(m[1]), headers, body: buf.toString('utf8', head + 4, end) }, end };
}

/** Every whole answer in `buf`, and the bytes after them. */
function readAnswers(buf: Buffer): { answers: Answer[]; rest: Buffer } {
  const answers: Answer[] = [];
  let at = 0;
  for (let r = readOne(buf, at); r; r = readOne(buf, at)) {
    answers.push(r.answer);
    at = r.end;
  }
  return { answers, rest: buf.subarray(at) };
}

/** What one connection got: its answers, whether the server closed it, and the leftover bytes. */
interface Exchanged {
  readonly answers: Answer[];
  readonly closed: boolean;
  readonly rest: string;
}

/** Writes `bytes` on a new connection and reads until the server closes it (or the wait ends). */
async function exchange(port: number, bytes: Uint8Array, waitMs = PER_REQUEST_MS): Promise<Exchanged> {
  const r = await rawExchange(port, [bytes], { waitMs });
  // rawExchange gives the bytes as Latin-1 text: back to the same bytes for the framing.
  const { answers, rest } = readAnswers(Buffer.from(r.text, 'latin1'));
  return { answers, closed: r.closed, rest: rest.toString('latin1').slice(0, 200) };
}

/** One keep-alive connection: NTLM signs a connection in, so a handshake's requests share it. */
class Connection {
  #buf = Buffer.alloc(0);
  #closed = false;
  #wake: (() => void) | undefined;
  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.#buf = Buffer.concat([this.#buf, d]);
      this.#wake?.();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.#closed = true;
      this.#wake?.();
    });
  }

  static open(port: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host: '127.0.0.1' });
      s.once('connect', () => resolve(new Connection(s)));
      s.once('error', reject);
    });
  }

  /** Sends one request and reads its answer; undefined when the connection closed or the wait ended. */
  async request(bytes: Uint8Array, waitMs = PER_REQUEST_MS): Promise<Answer | undefined> {
    if (this.#closed) return undefined;
    this.socket.write(bytes);
    const deadline = performance.now() + waitMs;
    for (;;) {
      const r = readOne(this.#buf);
      if (r) {
        this.#buf = this.#buf.subarray(r.end);
        return r.answer;
      }
      const left = deadline - performance.now();
      if (this.#closed || left <= 0) return undefined;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A request: its line and headers (values as Latin-1 text or raw bytes), then `body`. */
function request(
  method: 'GET' | 'POST',
  target: string,
  headers: readonly (readonly [string, string | Uint8Array])[],
  body = '',
): Buffer {
  const parts: Buffer[] = [latin1(`${method} ${target} HTTP/1.1\r\n`)];
  for (const [name, value] of headers)
    parts.push(
      latin1(`${name}: `),
      typeof value === 'string' ? latin1(value) : Buffer.from(value),
      latin1('\r\n'),
    );
  parts.push(latin1('\r\n'), latin1(body));
  return Buffer.concat(parts);
}

const COMMON = [
  ['Host', '127.0.0.1'],
  ['User-Agent', GO],
] as const;

/**
 * A certfnsh.asp POST of a valid request (or GET /certsrv/) with these Authorization values (one
 * header each), then `more` headers (by default Connection: close).
 */
function signedRequest(
  auth: string | Uint8Array | readonly string[] | undefined,
  post: boolean,
  more: readonly (readonly [string, string])[] = [['Connection', 'close']],
): Buffer {
  const values =
    auth === undefined ? [] : typeof auth === 'string' || auth instanceof Uint8Array ? [auth] : auth;
  const a = values.map((v) => ['Authorization', v] as const);
  return post
    ? request(
        'POST',
        '/certsrv/certfnsh.asp',
        [
          ...COMMON,
          ...a,
          ['Content-Type', 'application/x-www-form-urlencoded'],
          ['Content-Length', String(form.length)],
          ...more,
        ],
        form,
      )
    : request('GET', '/certsrv/', [...COMMON, ...a, ...more]);
}

// -------------------------------------------------------------------------------------------
// What every answer must satisfy
// -------------------------------------------------------------------------------------------

const wwwAuthenticate = (a: Answer) =>
  a.headers.filter(([n]) => n.toLowerCase() === 'www-authenticate').map(([, v]) => v);

/** Only the site's schemes are named; a 401 names them all, or carries one NTLM/SPNEGO token. */
function expectChallenges(site: Site, a: Answer, what: string): void {
  const values = wwwAuthenticate(a);
  for (const v of values)
    expect(site.offers, `${what}: WWW-Authenticate ${v.slice(0, 80)}`).toContain(
      v.split(' ')[0]!.toLowerCase(),
    );
  if (a.status !== 401) return;
  const token = values.length === 1 && /^(NTLM|Negotiate) [A-Za-z0-9+/]+=*$/.test(values[0]!);
  if (!token) expect(values, `${what}: the 401's challenges`).toEqual(site.challenges);
}

/** Counts of what the properties saw, reported at the end (a property that saw only 401s is vacuous). */
const seen = new Map<string, Map<string, number>>();
function count(property: string, outcome: string): void {
  const m = seen.get(property) ?? new Map<string, number>();
  m.set(outcome, (m.get(outcome) ?? 0) + 1);
  seen.set(property, m);
}

const recordIds = async () => (await ca.list()).map((r) => r.requestId);

/** The state before a request, to compare with after it. */
async function mark() {
  return { logs: logs.length, ids: await recordIds() };
}

/** A result page of request `id`: issued (its download link), pending or denied (its id line). */
const resultPage = (id: number) =>
  new RegExp(`certnew\\.cer\\?ReqID=${id}&|Your Request Id is ${id}\\.|Votre ID de demande est ${id}\\.`);

/**
 * The checks every exchange gets: answered, below 500, challenges of the site's schemes only, no
 * error event; records made exactly for the submissions the log reports (each with its result
 * page), none when nothing was answered 200. Returns the log entries of the exchange.
 */
async function expectSound(
  site: Site,
  before: Awaited<ReturnType<typeof mark>>,
  answers: readonly (Answer | undefined)[],
  what: string,
  o: { allow501?: boolean } = {},
): Promise<CertsrvLogEntry[]> {
  const got = answers.filter((a): a is Answer => a !== undefined);
  expect(got.length, `${what}: an HTTP answer within ${PER_REQUEST_MS} ms`).toBe(answers.length);
  for (const a of got) {
    if (o.allow501 && a.status === 501) continue;
    expect(a.status, `${what}: ${a.body.slice(0, 200)}`).toBeLessThan(500);
    expectChallenges(site, a, what);
  }
  // The log record of an answer is written when it is sent: wait for it before reading.
  for (let i = 0; i < 200 && logs.length - before.logs < got.length; i++)
    await new Promise((r) => setTimeout(r, 10));
  const entries = logs.slice(before.logs);
  expect(
    entries.filter((e) => e.event?.startsWith('error:') || e.status >= 500),
    `${what}: error events`,
  ).toEqual(
    entries.filter((e) => o.allow501 && e.status === 501 && e.event === 'transfer-coding-unsupported'),
  );
  const known = new Set(before.ids);
  const made = (await recordIds()).filter((id) => !known.has(id));
  const announced = entries.flatMap((e) => {
    const m = /^submit:[a-z]+:(\d+)$/.exec(e.event ?? '');
    return m ? [Number(m[1])] : [];
  });
  const events = JSON.stringify(logs.slice(Math.max(0, before.logs - 3)).map((e) => [e.status, e.event]));
  // A record made after its request was answered and closed shows up here in the next request.
  expect(made, `${what}: the records made are those the log announces (log ${events})`).toEqual(announced);
  if (!got.some((a) => a.status === 200)) expect(made, `${what}: refused, no record`).toEqual([]);
  for (const id of made)
    expect(
      got.some((a) => a.status === 200 && resultPage(id).test(a.body)),
      `${what}: request ${id}'s result page`,
    ).toBe(true);
  for (const e of entries)
    if (e.user !== undefined) expect([...ACCOUNTS.keys()], what).toContain(e.user.toLowerCase());
  return entries;
}

/** A valid request still signs in and is served. */
async function expectServing(site: Site): Promise<void> {
  if (site.basic) {
    const r = await exchange(site.port, signedRequest(ALICE, false));
    expect(r.answers[0]?.status, `${site.name}: a valid Basic request`).toBe(200);
    return;
  }
  const c = await Connection.open(site.port);
  try {
    const type1 = buildNegotiateMessage();
    const first = await c.request(signedRequest(`NTLM ${b64(type1)}`, false, []));
    const type2 = Buffer.from(wwwAuthenticate(first!)[0]!.slice(5), 'base64');
    const type3 = buildAuthenticateMessage({
      challenge: new Uint8Array(type2),
      user: 'alice',
      domain: 'CONTOSO',
      password: PASSWORD,
    });
    const second = await c.request(signedRequest(`NTLM ${b64(type3)}`, false, []));
    expect(second?.status, `${site.name}: a valid NTLM handshake`).toBe(200);
  } finally {
    c.close();
  }
}

beforeAll(async () => {
  ca = await contosoAuthority('Contoso Issuing CA', { clock: manualClock(NOW) });
  users = new UserDirectory('CONTOSO');
  users.ntlm = true;
  await users.add('alice', PASSWORD);
  await users.add(BJORN.name, BJORN.password);
  form = new URLSearchParams(
    submitFields((await makeCsr({ subject: 'CN=web01.contoso.com' })).toPem()),
  ).toString();
  const common = {
    ca,
    users,
    crlSchedule: false,
    now: () => NOW,
    log: (e: CertsrvLogEntry) => logs.push(e),
    // Every mutated header is checked, not answered from a lockout: the throttle would
    // otherwise refuse all sign-ins from 127.0.0.1 after ten failures (see auth-throttle.ts).
    maxAuthFailures: 1_000_000,
  } as const;
  const start = async (s: Site, more: Partial<Parameters<typeof startCertsrv>[0]>) => {
    s.server = await startCertsrv({ ...common, ...more });
    s.port = Number(new URL(s.server.url).port);
  };
  await start(SITES.basic, {});
  await start(SITES.ntlm, { ntlm: true });
  await start(SITES.ntlmOnly, { ntlm: true, negotiate: false, basic: false });
  await start(SITES.framing, { timeouts: { headersMs: 1000, requestMs: 1500, checkIntervalMs: 100 } });
}, 60_000);

afterAll(async () => {
  await Promise.all(Object.values(SITES).map((s) => s.server?.close()));
  await ca?.close();
  console.log([...seen].map(([p, m]) => `${p}: ${[...m].map(([k, v]) => `${k}=${v}`).join(' ')}`).join('\n'));
});

// -------------------------------------------------------------------------------------------
// Basic
// -------------------------------------------------------------------------------------------

const ascii = (s: string) => new Uint8Array(latin1(s));

/** Ways to spell alice (all sign in with her password). */
const ALICE_NAMES = ['alice', 'ALICE', 'CONTOSO\\alice', 'contoso\\Alice', 'alice@contoso.com'];

/** The decoded `user:password` of a Basic header: mutated, not UTF-8, very long, or another spelling. */
const credentialsArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 4, arbitrary: mutationsArb(3).map((ms) => mutate(ascii(`alice:${PASSWORD}`), ms, [])) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...ALICE_NAMES), fc.constantFrom(PASSWORD, `${PASSWORD} `, 'alice-passw0rd', ''))
      .map(([u, p]) => new Uint8Array(Buffer.from(`${u}:${p}`, 'utf8'))),
  },
  // Not UTF-8: Latin-1 text (RFC 7617 §2.1 lets a server read it so), then bytes of any value.
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          `${BJORN.name}:${BJORN.password}`,
          'alic\u00e9:alice-Passw0rd',
          'alice:alice-P\u00e4ssw0rd',
          '\u00ff\u00fe:\u0080\u0081',
        ),
        fc.constantFrom<BufferEncoding>('latin1', 'utf8'),
        fc.option(mutationsArb(2), { nil: undefined }),
      )
      .map(([s, encoding, ms]) => {
        const bytes = new Uint8Array(Buffer.from(s, encoding));
        return ms ? mutate(bytes, ms, []) : bytes;
      }),
  },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 48 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...ALICE_NAMES), fc.string({ unit: 'binary', maxLength: 12 }))
      .map(([u, p]) => new Uint8Array(Buffer.from(`${u}:${p}`, 'utf8'))),
  },
  // Very long: about the 4 KiB of Base64 the parser reads, then up to past node's 16 KiB head.
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.boolean(),
        fc.oneof(
          fc.constantFrom(3069, 3070, 3072, 3073, 3075, 12_000, 12_250, 12_500),
          fc.integer({ min: 100, max: 13_000 }),
        ),
      )
      .map(([inUser, n]) => ascii(inUser ? `${'a'.repeat(n)}:${PASSWORD}` : `alice:${'p'.repeat(n)}`)),
  },
);

const B64_TEXT = fc.oneof(
  fc.constantFrom('=', '==', '===', '+', '/', '-', '_', ' ', '\t', 'A', '%3D', '\u00ff', '\r\n', '\r\n '),
  fc.string({
    unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/='),
    maxLength: 6,
  }),
  fc.string({ unit: 'binary', maxLength: 4 }),
);
const SCHEMES = [
  'Basic',
  'basic',
  'BASIC',
  'bAsIc',
  'Basic:',
  'Basi',
  'Basicc',
  'B asic',
  'Bearer',
  'Digest',
  'NTLM',
  'Negotiate',
  '',
  'B\u00e1sic',
  'Basic\u0000',
];
const SPACES = ['', ' ', '  ', '\t', ' \t ', '\u000b', '\u000c', '\u00a0', '\r\n ', '\r\n\t', '\u0000'];

type BasicCase =
  | { readonly kind: 'base64'; readonly ms: readonly TextMutation[] }
  | { readonly kind: 'credentials'; readonly creds: Uint8Array }
  | { readonly kind: 'scheme'; readonly scheme: string }
  | { readonly kind: 'scheme-text'; readonly ms: readonly TextMutation[] }
  | { readonly kind: 'space'; readonly lead: string; readonly sep: string; readonly trail: string }
  | { readonly kind: 'value'; readonly ms: readonly TextMutation[] }
  | { readonly kind: 'two-headers'; readonly first: boolean; readonly other: string };

const basicCaseArb: fc.Arbitrary<BasicCase> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('base64' as const), ms: textMutationsArb(3, B64_TEXT) }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('credentials' as const), creds: credentialsArb }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('scheme' as const), scheme: fc.constantFrom(...SCHEMES) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('scheme-text' as const), ms: textMutationsArb(2) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('space' as const),
      lead: fc.constantFrom(...SPACES),
      sep: fc.constantFrom(...SPACES),
      trail: fc.constantFrom(...SPACES),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('value' as const), ms: textMutationsArb(3) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('two-headers' as const),
      first: fc.boolean(),
      other: fc.constantFrom(
        'Basic',
        'Basic YWxpY2U6d3Jvbmc=',
        'NTLM TlRMTVNTUAABAAAA',
        basic('alice', PASSWORD),
      ),
    }),
  },
);

const ALICE_B64 = ALICE.slice('Basic '.length);

/** The Authorization value(s) of a case. */
function basicHeaders(c: BasicCase): string[] {
  switch (c.kind) {
    case 'base64':
      return [`Basic ${mutateText(ALICE_B64, c.ms)}`];
    case 'credentials':
      return [`Basic ${b64(c.creds)}`];
    case 'scheme':
      return [`${c.scheme} ${ALICE_B64}`];
    case 'scheme-text':
      return [`${mutateText('Basic', c.ms)} ${ALICE_B64}`];
    case 'space':
      return [`${c.lead}Basic${c.sep}${ALICE_B64}${c.trail}`];
    case 'value':
      return [mutateText(ALICE, c.ms)];
    case 'two-headers':
      return c.first ? [ALICE, c.other] : [c.other, ALICE];
  }
}

/**
 * Whether a value could sign an account in, decoded independently of basic-auth.ts (leniently: a
 * strict decoder can only accept less): `Basic`, whitespace, Base64 of `<account>:<its password>`
 * in UTF-8 or Latin-1.
 */
function couldSignIn(value: string): boolean {
  const m = /^[ \t]*basic[ \t]+(\S*)[ \t]*$/i.exec(value);
  if (!m) return false;
  const bytes = Buffer.from(m[1]!, 'base64');
  for (const text of [bytes.toString('utf8'), bytes.toString('latin1')]) {
    const colon = text.indexOf(':');
    if (colon < 0) continue;
    const user = users.canonicalName(text.slice(0, colon)).toLowerCase();
    if (ACCOUNTS.get(user) === text.slice(colon + 1)) return true;
  }
  return false;
}

describe('Authorization: Basic, mutated', () => {
  it('the unmutated headers sign in on the sites that offer Basic, and not on the NTLM-only one', async () => {
    // bjørn's credentials in UTF-8, and in Latin-1 (not UTF-8: read as ISO-8859-1, RFC 7617 §2.1).
    const bjorn = (encoding: BufferEncoding) =>
      `Basic ${Buffer.from(`${BJORN.name}:${BJORN.password}`, encoding).toString('base64')}`;
    for (const site of [SITES.basic, SITES.ntlm, SITES.ntlmOnly])
      for (const auth of [ALICE, bjorn('utf8'), bjorn('latin1')]) {
        const before = await mark();
        const r = await exchange(site.port, signedRequest(auth, true));
        expect(r.closed).toBe(true);
        expect(r.answers[0]?.status, `${site.name} ${auth}`).toBe(site.basic ? 200 : 401);
        await expectSound(site, before, r.answers, site.name);
        expect((await recordIds()).length - before.ids.length).toBe(site.basic ? 1 : 0);
      }
  });

  it('any mutation: an answer below 500, the site’s challenges, a record only for an account’s own credentials', async () => {
    const sites = [SITES.basic, SITES.ntlm, SITES.ntlmOnly];
    await fc.assert(
      fc.asyncProperty(fc.nat(), basicCaseArb, fc.boolean(), async (i, c, post) => {
        const site = sites[i % sites.length]!;
        const values = basicHeaders(c);
        const what = `${site.name} ${c.kind}: ${JSON.stringify(values.map((v) => v.slice(0, 120)))}`;
        const before = await mark();
        const r = await exchange(site.port, signedRequest(values, post));
        expect(r.closed, `${what}: closed within ${PER_REQUEST_MS} ms`).toBe(true);
        expect(r.answers.length, `${what}: answered (${r.rest})`).toBeGreaterThan(0);
        await expectSound(site, before, r.answers, what);
        const status = r.answers[0]!.status;
        count('basic', `${site.name}:${status}`);
        if (status === 200) {
          // Signed in: a site that offers Basic, with an account's own password, however spelt.
          expect(site.basic, what).toBe(true);
          if (c.kind !== 'value') expect(values.some(couldSignIn), what).toBe(true);
        }
        if (c.kind === 'scheme' && /^basic$/i.test(c.scheme) && site.basic) expect(status, what).toBe(200);
      }),
      { seed: SEED, numRuns: 240 },
    );
    for (const site of sites) await expectServing(site);
    const outcomes = seen.get('basic')!;
    // Not vacuous: some mutations still sign in, some are refused, on each site.
    expect(outcomes.get('Basic:200')).toBeGreaterThan(0);
    expect(outcomes.get('Basic:401')).toBeGreaterThan(0);
    expect(outcomes.get('Negotiate+NTLM+Basic:200')).toBeGreaterThan(0);
    expect(outcomes.get('NTLM alone:200')).toBeUndefined();
  });
});

// -------------------------------------------------------------------------------------------
// NTLM and Negotiate
// -------------------------------------------------------------------------------------------

const KRB5 = '1.2.840.113554.1.2.2';
const NTLMSSP = '1.3.6.1.4.1.311.2.2.10';
/** A Windows browser's type 1 flags with key exchange, signing and sealing (SPNEGO's MICs). */
const KEY_EXCH_FLAGS = 0xe2088297;

/** The first messages a client sends: a bare type 1, or a NegTokenInit with or without one. */
const FIRST_MESSAGES: readonly {
  readonly name: string;
  readonly der: boolean;
  readonly bytes: Uint8Array;
}[] = [
  { name: 'type 1', der: false, bytes: buildNegotiateMessage() },
  { name: 'type 1 (key exchange)', der: false, bytes: buildNegotiateMessage(KEY_EXCH_FLAGS) },
  { name: 'NegTokenInit', der: true, bytes: buildNegTokenInit({ mechToken: buildNegotiateMessage() }) },
  {
    name: 'NegTokenInit (Kerberos first)',
    der: true,
    bytes: buildNegTokenInit({ mechTypes: [KRB5, NTLMSSP], mechToken: buildNegotiateMessage() }),
  },
  { name: 'NegTokenInit (no token)', der: true, bytes: buildNegTokenInit({ mechTypes: [NTLMSSP] }) },
];

const schemeWordArb = fc.constantFrom('NTLM', 'Negotiate', 'ntlm', 'NEGOTIATE');
const allSites = () => [SITES.basic, SITES.ntlm, SITES.ntlmOnly];

/** The server's type 2 message of a challenge (bare, or in the NegTokenResp of a Negotiate one). */
function type2Of(a: Answer | undefined): Uint8Array | undefined {
  const v = a ? wwwAuthenticate(a) : [];
  const m = v.length === 1 ? /^(NTLM|Negotiate) ([A-Za-z0-9+/]+=*)$/.exec(v[0]!) : null;
  if (!m) return undefined;
  const token = new Uint8Array(Buffer.from(m[2]!, 'base64'));
  if (token[0] === 0x4e) return token; // 'N' of NTLMSSP
  const t = parseSpnegoToken(token);
  return t.kind === 'resp' ? t.responseToken : undefined;
}

describe('NTLM and Negotiate, mutated', () => {
  it('the unmutated handshakes sign in: bare under either word, with a MIC, and in SPNEGO (control)', async () => {
    for (const [site, word, shape] of [
      [SITES.ntlm, 'NTLM', 'bare'],
      [SITES.ntlm, 'Negotiate', 'bare+MIC'],
      [SITES.ntlm, 'Negotiate', 'spnego'],
      [SITES.ntlmOnly, 'NTLM', 'bare+MIC'],
    ] as const) {
      const before = await mark();
      const answers = await handshake(site, word, shape, []);
      await expectSound(site, before, answers, `${site.name} ${word} ${shape}`);
      expect(answers.map((a) => a?.status)).toEqual([401, 200, 200]);
      expect((await recordIds()).length).toBe(before.ids.length + 1);
    }
  });

  it('a mutated first message (type 1, NegTokenInit): 401 with the site’s challenges, or a type 2 under the word sent', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.nat(),
        schemeWordArb,
        mutationsArb(3),
        fc.boolean(),
        async (i, j, word, ms, post) => {
          const site = allSites()[i % 3]!;
          const first = FIRST_MESSAGES[j % FIRST_MESSAGES.length]!;
          const bytes = mutate(first.bytes, ms, first.der ? tlvNodes(first.bytes) : []);
          const what = `${site.name} ${word} ${first.name}: ${b64(bytes).slice(0, 200)}`;
          const before = await mark();
          const r = await exchange(site.port, signedRequest(`${word} ${b64(bytes)}`, post));
          expect(r.closed, `${what}: closed within ${PER_REQUEST_MS} ms`).toBe(true);
          await expectSound(site, before, r.answers, what);
          const a = r.answers[0]!;
          // A first message never signs in, on any site.
          expect(a.status, what).toBe(401);
          const challenge = wwwAuthenticate(a);
          const token =
            challenge.length === 1 && / /.test(challenge[0]!) && !challenge[0]!.startsWith('Basic');
          if (token) expect(challenge[0]!.split(' ')[0]!.toLowerCase(), what).toBe(word.toLowerCase());
          count('first message', `${site.name}:${token ? 'type 2' : 'challenges'}`);
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
    const outcomes = seen.get('first message')!;
    expect(outcomes.get('Negotiate+NTLM+Basic:type 2')).toBeGreaterThan(0);
    expect(outcomes.get('NTLM alone:type 2')).toBeGreaterThan(0);
    expect(outcomes.get('Basic:type 2')).toBeUndefined();
  });

  it('a mutated NTLM header text: 400 or 401, never signed in', async () => {
    const type1 = b64(buildNegotiateMessage());
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        schemeWordArb,
        textMutationsArb(3),
        fc.boolean(),
        async (i, word, ms, post) => {
          const site = allSites()[i % 3]!;
          const value = mutateText(`${word} ${type1}`, ms);
          const what = `${site.name}: ${JSON.stringify(value.slice(0, 200))}`;
          const before = await mark();
          const r = await exchange(site.port, signedRequest(value, post));
          expect(r.closed, `${what}: closed within ${PER_REQUEST_MS} ms`).toBe(true);
          await expectSound(site, before, r.answers, what);
          expect([400, 401, 431], what).toContain(r.answers[0]!.status);
          count('NTLM header text', `${r.answers[0]!.status}`);
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('a mutated type 3 (bare or in SPNEGO) on its handshake’s connection: 200 as alice or 401, and the connection signed in accordingly', async () => {
    const sites = [SITES.ntlm, SITES.ntlmOnly];
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        schemeWordArb,
        fc.constantFrom('bare', 'bare+MIC', 'spnego'),
        mutationsArb(4),
        async (i, word, form3, ms) => {
          const site = sites[i % 2]!;
          // SPNEGO comes under Negotiate only; under NTLM the type 3 goes bare.
          const spnego = form3 === 'spnego' && /^negotiate$/i.test(word);
          const shape = spnego ? 'spnego' : form3 === 'bare+MIC' ? 'bare+MIC' : 'bare';
          const what = `${site.name} ${word} ${shape}: ${JSON.stringify(ms)}`;
          const before = await mark();
          const [first, second, third] = await handshake(site, word, shape, ms);
          await expectSound(site, before, [first, second, third], what);
          // A word the site does not offer gets its plain challenges, not a type 2.
          const offered = site.offers.includes(word.toLowerCase());
          expect(type2Of(first) !== undefined, `${what}: a type 2`).toBe(offered);
          expect([200, 401], what).toContain(second!.status);
          // The connection is signed in exactly when the type 3 was accepted.
          expect(third!.status, `${what}: the next request on the connection`).toBe(
            second!.status === 200 ? 200 : 401,
          );
          if (!offered) expect(second!.status, what).toBe(401);
          count('type 3', `${site.name}:${shape}:${second!.status}`);
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
    for (const site of allSites()) await expectServing(site);
    const outcomes = [...seen.get('type 3')!];
    expect(outcomes.filter(([k]) => k.endsWith(':200')).length).toBeGreaterThan(0);
    expect(outcomes.filter(([k]) => k.endsWith(':401')).length).toBeGreaterThan(0);
  });
  it('a sequence of sign-ins on one connection (Basic, NTLM, mutated type 3s): signed in exactly when the last one verified', async () => {
    type Step =
      | { readonly kind: 'none' | 'basic' | 'basic-wrong' | 'type 3' }
      | { readonly kind: 'type 1' | 'sign-in'; readonly word: string }
      | {
          readonly kind: 'sign-in mutated';
          readonly word: string;
          readonly ms: Parameters<typeof mutate>[1];
        };
    const stepArb: fc.Arbitrary<Step> = fc.oneof(
      { weight: 3, arbitrary: fc.constant<Step>({ kind: 'none' }) },
      {
        weight: 3,
        arbitrary: fc.constantFrom<Step>({ kind: 'basic' }, { kind: 'basic-wrong' }, { kind: 'type 3' }),
      },
      {
        weight: 3,
        arbitrary: fc.record({
          kind: fc.constantFrom('type 1' as const, 'sign-in' as const),
          word: schemeWordArb,
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant('sign-in mutated' as const),
          word: schemeWordArb,
          ms: mutationsArb(2),
        }),
      },
    );
    const site = SITES.ntlm;
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 2, maxLength: 6 }), async (steps) => {
        const what = JSON.stringify(steps).slice(0, 400);
        const before = await mark();
        const answers: (Answer | undefined)[] = [];
        const c = await Connection.open(site.port);
        // The model: whether the connection is signed in, and the type 2 a type 3 may answer.
        let signedIn = false;
        let pending: { word: string; type2: Uint8Array } | undefined;
        const send = async (header: string | undefined, at: string) => {
          const a = await c.request(signedRequest(header, false, []));
          answers.push(a);
          expect(a, `${at}: answered`).toBeDefined();
          return a!;
        };
        const type1 = async (word: string, at: string) => {
          const a = await send(`${word} ${b64(buildNegotiateMessage())}`, at);
          expect(a.status, at).toBe(401);
          const type2 = type2Of(a);
          expect(type2, at).toBeDefined();
          signedIn = false;
          pending = { word, type2: type2! };
        };
        /** A type 3 for the pending type 2 (another connection's when none: it cannot verify). */
        const type3 = async (ms: Parameters<typeof mutate>[1], at: string) => {
          const message = buildAuthenticateMessage({
            challenge: pending?.type2 ?? type2Of(await handshakeStart(site))!,
            user: 'alice',
            domain: 'CONTOSO',
            password: PASSWORD,
          });
          const a = await send(`${pending?.word ?? 'NTLM'} ${b64(mutate(message, ms, []))}`, at);
          if (ms.length === 0) expect(a.status, at).toBe(pending ? 200 : 401);
          else expect([200, 401], at).toContain(a.status);
          if (!pending) expect(a.status, at).toBe(401);
          signedIn = a.status === 200;
          pending = undefined;
          return a.status;
        };
        try {
          for (const step of steps) {
            const at = `${what}: ${step.kind}`;
            let status: number;
            switch (step.kind) {
              case 'none':
                status = (await send(undefined, at)).status;
                expect(status, at).toBe(signedIn ? 200 : 401);
                break;
              case 'basic':
              case 'basic-wrong':
                // Basic signs the request in, not the connection, and ends its NTLM sign-in.
                status = (await send(step.kind === 'basic' ? ALICE : basic('alice', 'wrong'), at)).status;
                expect(status, at).toBe(step.kind === 'basic' ? 200 : 401);
                signedIn = false;
                pending = undefined;
                break;
              case 'type 1':
                await type1(step.word, at);
                status = 401;
                break;
              case 'type 3':
                status = await type3([], at);
                break;
              case 'sign-in':
              case 'sign-in mutated':
                await type1(step.word, at);
                status = await type3('ms' in step ? step.ms : [], at);
                break;
            }
            count('sequence', `${step.kind}:${status}`);
          }
        } finally {
          c.close();
        }
        await expectSound(site, before, answers, what);
      }),
      { seed: SEED, numRuns: 60 },
    );
    await expectServing(site);
    // Not vacuous: connections were seen signed in by a type 3, and signed out again.
    expect(seen.get('sequence')!.get('none:200')).toBeGreaterThan(0);
    expect(seen.get('sequence')!.get('none:401')).toBeGreaterThan(0);
  });
});

/**
 * An NTLM handshake as alice on one connection: the first message (GET /certsrv/), the type 3
 * with `ms` applied (bare, or the NegTokenResp around it) on a certfnsh.asp POST, then a request
 * without credentials; the three answers. Under a word the site does not offer, the type 3 answers
 * another connection's type 2 (it cannot verify).
 */
async function handshake(
  site: Site,
  word: string,
  shape: 'bare' | 'bare+MIC' | 'spnego',
  ms: Parameters<typeof mutate>[1],
): Promise<(Answer | undefined)[]> {
  const spnego = shape === 'spnego';
  const type1 = buildNegotiateMessage();
  const c = await Connection.open(site.port);
  try {
    const first = await c.request(
      signedRequest(`${word} ${b64(spnego ? buildNegTokenInit({ mechToken: type1 }) : type1)}`, false, []),
    );
    const type3 = buildAuthenticateMessage({
      challenge: type2Of(first) ?? type2Of(await handshakeStart(SITES.ntlm))!,
      user: 'alice',
      domain: 'CONTOSO',
      password: PASSWORD,
      workstation: 'EXCH01',
      ...(shape === 'bare+MIC' ? { negotiateMessage: type1 } : {}),
    });
    const sent = spnego ? buildNegTokenResp({ responseToken: type3 }) : type3;
    const damaged = ms.length === 0 ? sent : mutate(sent, ms, spnego ? tlvNodes(sent) : []);
    const second = await c.request(signedRequest(`${word} ${b64(damaged)}`, true, []));
    const third = await c.request(signedRequest(undefined, false, []));
    return [first, second, third];
  } finally {
    c.close();
  }
}

/** The first answer of an NTLM handshake on the NTLM site, for its type 2. */
async function handshakeStart(site: Site): Promise<Answer | undefined> {
  const c = await Connection.open(site.port);
  try {
    return await c.request(signedRequest(`NTLM ${b64(buildNegotiateMessage())}`, false, []));
  } finally {
    c.close();
  }
}

// -------------------------------------------------------------------------------------------
// Content-Type and Transfer-Encoding of a certfnsh.asp POST
// -------------------------------------------------------------------------------------------

const FORM_TYPE = 'application/x-www-form-urlencoded';
const CONTENT_TYPES = [
  FORM_TYPE,
  'APPLICATION/X-WWW-FORM-URLENCODED',
  `${FORM_TYPE}; charset=utf-8`,
  `${FORM_TYPE}; charset=utf-16`,
  `${FORM_TYPE}; charset=iso-8859-1`,
  'multipart/form-data; boundary=----x',
  'multipart/form-data',
  'text/plain',
  'application/json',
  'application/octet-stream',
  '',
  ';',
  `${FORM_TYPE};;;`,
  `${FORM_TYPE}\u0000`,
  `${FORM_TYPE}, text/plain`,
];

type ContentTypeCase =
  | { readonly kind: 'value'; readonly value: string }
  | { readonly kind: 'text'; readonly ms: readonly TextMutation[] }
  | { readonly kind: 'absent' }
  | { readonly kind: 'twice'; readonly value: string };

const contentTypeArb: fc.Arbitrary<ContentTypeCase> = fc.oneof(
  fc.record({ kind: fc.constant('value' as const), value: fc.constantFrom(...CONTENT_TYPES) }),
  fc.record({ kind: fc.constant('text' as const), ms: textMutationsArb(3) }),
  fc.record({ kind: fc.constant('absent' as const) }),
  fc.record({ kind: fc.constant('twice' as const), value: fc.constantFrom(...CONTENT_TYPES) }),
);

function contentTypeHeaders(c: ContentTypeCase): [string, string][] {
  switch (c.kind) {
    case 'value':
      return [['Content-Type', c.value]];
    case 'text':
      return [['Content-Type', mutateText(FORM_TYPE, c.ms)]];
    case 'absent':
      return [];
    case 'twice':
      return [
        ['Content-Type', FORM_TYPE],
        ['Content-Type', c.value],
      ];
  }
}

const TRANSFER_CODINGS = [
  'chunked',
  'Chunked',
  'CHUNKED',
  ' chunked',
  'chunked ',
  'chunked, chunked',
  'gzip, chunked',
  'chunked, gzip',
  'identity',
  'identity, chunked',
  'deflate',
  'chunked;q=1',
  'chunkedx',
  'xchunked',
  '',
  ',',
  'chunked,',
  ', chunked',
];

/** How the body is framed: chunks (maybe with extensions and trailers), plain, or chunks plus a Content-Length. */
type Framing = 'chunks' | 'chunks+extensions' | 'plain' | 'chunks+length' | 'two-te-headers';

type TransferCase = {
  readonly te:
    | { readonly kind: 'value'; readonly value: string }
    | { readonly kind: 'text'; readonly ms: readonly TextMutation[] };
  readonly framing: Framing;
  readonly pieces: number;
  /** Mutations of the chunked body as sent (sizes, CRLFs, the last chunk), if any. */
  readonly body: readonly TextMutation[] | null;
};

const transferArb: fc.Arbitrary<TransferCase> = fc.record({
  te: fc.oneof(
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('value' as const),
        value: fc.constantFrom(...TRANSFER_CODINGS),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('text' as const), ms: textMutationsArb(2) }) },
  ),
  framing: fc.constantFrom<Framing>(
    'chunks',
    'chunks+extensions',
    'plain',
    'chunks+length',
    'two-te-headers',
  ),
  pieces: fc.integer({ min: 1, max: 3 }),
  body: fc.option(
    textMutationsArb(
      2,
      fc.oneof(
        fc.constantFrom('\r\n', '\r', '\n', '0', 'f', 'ffffffff', ';', ' ', '0\r\n\r\n'),
        fc.string({ maxLength: 4 }),
      ),
    ),
    { nil: null, freq: 3 },
  ),
});

/** The form in `pieces` chunks (RFC 9112 §7.1), with extensions and a trailer when asked. */
function chunked(text: string, pieces: number, extensions: boolean): string {
  const size = Math.ceil(text.length / pieces);
  let out = '';
  for (let at = 0; at < text.length; at += size) {
    const piece = text.slice(at, at + size);
    out += `${piece.length.toString(16)}${extensions ? ';name="value"' : ''}\r\n${piece}\r\n`;
  }
  return `${out}0\r\n${extensions ? 'X-Trailer: 1\r\n' : ''}\r\n`;
}

function transferRequest(c: TransferCase): { bytes: Buffer; te: string } {
  const te = c.te.kind === 'value' ? c.te.value : mutateText('chunked', c.te.ms);
  const plain = c.framing === 'plain';
  let body = plain ? form : chunked(form, c.pieces, c.framing === 'chunks+extensions');
  if (c.body && !plain) body = mutateText(body, c.body);
  const headers: (readonly [string, string])[] = [
    ...COMMON,
    ['Authorization', ALICE],
    ['Content-Type', FORM_TYPE],
    ['Transfer-Encoding', te],
    ...(c.framing === 'two-te-headers' ? [['Transfer-Encoding', 'chunked'] as const] : []),
    ...(plain || c.framing === 'chunks+length' ? [['Content-Length', String(form.length)] as const] : []),
    ['Connection', 'close'],
  ];
  return { bytes: request('POST', '/certsrv/certfnsh.asp', headers, body), te };
}

describe('Content-Type and Transfer-Encoding of a certfnsh.asp POST, mutated', () => {
  // Found by the property below (seed 11, under load): a whole POST with `Connection: close`
  // followed by more bytes (a chunked body with bytes after its last chunk, a Content-Length
  // shorter than the body) had those bytes refused by node's parser (HPE_CLOSED_CONNECTION,
  // or a broken second request) while the submission was at the CA: the 400 went out first and
  // closed the connection, the CA issued anyway, and neither an answer nor the log reported it.
  it('a whole POST followed by more bytes: its own answer and record, not a 400 over it', async () => {
    const site = SITES.framing;
    for (const [name, bytes] of [
      ['bytes after Connection: close', `${signedRequest(ALICE, true).toString('latin1')}Mode=newreq`],
      [
        'a broken second request',
        `${signedRequest(ALICE, true, []).toString('latin1')}GET / HTTP/1.1\r\nBad Header\r\n\r\n`,
      ],
      [
        'bytes after the last chunk',
        transferRequest({ te: { kind: 'value', value: 'chunked' }, framing: 'chunks', pieces: 1, body: null })
          .bytes.toString('latin1')
          .concat('0\r\n\r\n'),
      ],
    ] as const) {
      const before = await mark();
      const r = await exchange(site.port, latin1(bytes));
      // Whatever the server did after answering is done before the records are counted.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(
        r.answers.map((a) => a.status),
        name,
      ).toEqual([200]);
      await expectSound(site, before, r.answers, name);
      expect((await recordIds()).length, name).toBe(before.ids.length + 1);
    }
  });

  it('a chunked POST of the form, unmutated, is issued (control)', async () => {
    const site = SITES.framing;
    const before = await mark();
    const r = await exchange(
      site.port,
      transferRequest({ te: { kind: 'value', value: 'chunked' }, framing: 'chunks', pieces: 3, body: null })
        .bytes,
    );
    await expectSound(site, before, r.answers, 'chunked');
    expect(r.answers[0]?.status).toBe(200);
    expect((await recordIds()).length).toBe(before.ids.length + 1);
  });

  it('a mutated Content-Type: an answer below 500, a record only with its result page', async () => {
    const site = SITES.framing;
    await fc.assert(
      fc.asyncProperty(contentTypeArb, async (c) => {
        const headers = contentTypeHeaders(c);
        const what = `Content-Type ${JSON.stringify(headers.map(([, v]) => v.slice(0, 100)))}`;
        const before = await mark();
        const r = await exchange(
          site.port,
          request(
            'POST',
            '/certsrv/certfnsh.asp',
            [
              ...COMMON,
              ['Authorization', ALICE],
              ...headers,
              ['Content-Length', String(form.length)],
              ['Connection', 'close'],
            ],
            form,
          ),
        );
        expect(r.closed, `${what}: closed within ${PER_REQUEST_MS} ms`).toBe(true);
        await expectSound(site, before, r.answers, what);
        count('Content-Type', `${r.answers[0]!.status}`);
      }),
      { seed: SEED, numRuns: 60 },
    );
    await expectServing(site);
  });

  it('a mutated Transfer-Encoding or chunked framing: 400, 408, 501 or the result page; no record without it', async () => {
    const site = SITES.framing;
    await fc.assert(
      fc.asyncProperty(transferArb, async (c) => {
        const { bytes, te } = transferRequest(c);
        const what = `Transfer-Encoding ${JSON.stringify(te)} ${c.framing}/${c.pieces} body ${JSON.stringify(c.body)}`;
        const before = await mark();
        const r = await exchange(site.port, bytes);
        expect(r.closed, `${what}: closed within ${PER_REQUEST_MS} ms`).toBe(true);
        expect(r.answers.length, `${what}: answered (${r.rest})`).toBeGreaterThan(0);
        await expectSound(site, before, r.answers, what, { allow501: true });
        const status = r.answers[0]!.status;
        if (c.te.kind === 'value') {
          // A coding the server does not implement is never read as if it were plain or chunked.
          const codings = [c.te.value, ...(c.framing === 'two-te-headers' ? ['chunked'] : [])]
            .join(',')
            .split(',')
            .map((x) => x.trim().toLowerCase());
          if (!codings.every((x) => x === 'chunked')) expect(status, what).not.toBe(200);
          // The one framing everybody agrees on is served.
          if (
            /^ ?chunked ?$/i.test(c.te.value) &&
            c.body === null &&
            (c.framing === 'chunks' || c.framing === 'chunks+extensions')
          )
            expect(status, what).toBe(200);
        }
        count('Transfer-Encoding', `${c.framing}:${status}`);
      }),
      { seed: SEED, numRuns: 120 },
    );
    await expectServing(site);
  });
});

describe('the whole file', () => {
  it('every record was announced by a submission the log reports, and no request ended in a 500', async () => {
    // Whatever a server still did after its last answer is done by now.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const announced = logs.flatMap((e) => {
      const m = /^submit:[a-z]+:(\d+)$/.exec(e.event ?? '');
      return m ? [Number(m[1])] : [];
    });
    expect(await recordIds()).toEqual(announced);
    expect(announced.length).toBeGreaterThan(0);
    expect(
      logs.filter(
        (e) =>
          e.event?.startsWith('error:') || (e.status >= 500 && e.event !== 'transfer-coding-unsupported'),
      ),
    ).toEqual([]);
  });
});
