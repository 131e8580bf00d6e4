// The load client of bench/certsrv-load.ts, in a process of its own (forked with IPC) so that its
// cost is not charged to the server under test; both still share the machine's cores.
//
// It receives `{ type: 'init', csrs, user }` once (PEM requests, used round-robin), then
// `{ type: 'run', id, url, mode, ms, connections }` and answers `{ type: 'result', id, … }`:
// `connections` loops over an undici Pool of as many keep-alive connections (pipelining 1),
// each starting its next operation when the previous one is answered, for `ms` milliseconds.
//
// Modes: `hello` GET / (the bare node:http ceiling); `submit` POST /certsrv/certfnsh.asp;
// `enroll` the same, then GET /certsrv/certnew.cer?ReqID=N&Enc=b64 (one operation = both);
// `cfssl` POST /api/v1/cfssl/sign {"certificate_request": PEM}.

import { Pool } from 'undici';

export type LoadMode = 'hello' | 'submit' | 'enroll' | 'cfssl';

export interface LoadRunMessage {
  type: 'run';
  id: number;
  url: string;
  mode: LoadMode;
  ms: number;
  connections: number;
}

export interface LoadInitMessage {
  type: 'init';
  csrs: string[];
  user: { name: string; password: string };
}

export interface LoadResult {
  type: 'result';
  id: number;
  /** Completed operations (an enrollment is one, of two requests). */
  ops: number;
  requests: number;
  errors: number;
  firstError?: string;
  /** Measured wall time, ms. */
  ms: number;
  /** Operation latency percentiles, ms. */
  p50: number;
  p99: number;
  /** Request ids seen by `submit` and `enroll` (first, last), to check they grow. */
  firstRequestId?: number;
  lastRequestId?: number;
}

const GO_UA = 'Go-http-client/1.1';

let csrs: string[] = [];
let formBodies: string[] = [];
let jsonBodies: string[] = [];
let auth = '';
let at = 0;
const pools = new Map<string, Pool>();
const cookies = new Map<string, string>();

function poolOf(url: string, connections: number): Pool {
  const key = `${url} ${connections}`;
  let p = pools.get(key);
  if (!p) {
    p = new Pool(url, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 120_000,
      keepAliveMaxTimeout: 120_000,
    });
    pools.set(key, p);
  }
  return p;
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const REQ_ID = /certnew\.cer\?ReqID=(\d+)&/;

async function run(msg: LoadRunMessage): Promise<LoadResult> {
  const pool = poolOf(msg.url, msg.connections);
  // The session cookie certsrv hands out, sent back as a browser or certreq would.
  let cookie = cookies.get(msg.url);
  if (cookie === undefined && msg.mode !== 'hello' && msg.mode !== 'cfssl') {
    const r = await pool.request({
      path: '/certsrv/',
      method: 'GET',
      headers: { authorization: auth, 'user-agent': GO_UA },
    });
    await r.body.text();
    const set = r.headers['set-cookie'];
    const first = Array.isArray(set) ? set[0] : set;
    cookie = first ? first.split(';')[0]! : '';
    cookies.set(msg.url, cookie);
  }
  const certsrvHeaders = {
    authorization: auth,
    'user-agent': GO_UA,
    'content-type': 'application/x-www-form-urlencoded',
    ...(cookie ? { cookie } : {}),
  };
  const getHeaders = { authorization: auth, 'user-agent': GO_UA, ...(cookie ? { cookie } : {}) };
  const jsonHeaders = { 'content-type': 'application/json' };
  let errors = 0;
  let firstError: string | undefined;
  let requests = 0;
  let firstRequestId: number | undefined;
  let lastRequestId: number | undefined;
  const fail = (what: string) => {
    errors++;
    firstError ??= what.slice(0, 300);
  };
  const submit = async (): Promise<number | undefined> => {
    const i = at++ % csrs.length;
    const r = await pool.request({
      path: '/certsrv/certfnsh.asp',
      method: 'POST',
      headers: certsrvHeaders,
      body: formBodies[i]!,
    });
    requests++;
    const html = await r.body.text();
    const m = REQ_ID.exec(html);
    if (r.statusCode !== 200 || !m) {
      fail(`submit: ${r.statusCode} ${html.slice(0, 200)}`);
      return undefined;
    }
    const id = Number(m[1]);
    firstRequestId ??= id;
    if (lastRequestId === undefined || id > lastRequestId) lastRequestId = id;
    return id;
  };
  const ops: Record<LoadMode, () => Promise<void>> = {
    hello: async () => {
      const r = await pool.request({ path: '/', method: 'GET' });
      requests++;
      const t = await r.body.text();
      if (r.statusCode !== 200 || t !== 'hello\n') fail(`hello: ${r.statusCode}`);
    },
    submit: async () => {
      await submit();
    },
    enroll: async () => {
      const id = await submit();
      if (id === undefined) return;
      const r = await pool.request({
        path: `/certsrv/certnew.cer?ReqID=${id}&Enc=b64`,
        method: 'GET',
        headers: getHeaders,
      });
      requests++;
      const pem = await r.body.text();
      if (r.statusCode !== 200 || !pem.startsWith('-----BEGIN CERTIFICATE-----'))
        fail(`certnew.cer: ${r.statusCode} ${pem.slice(0, 200)}`);
    },
    cfssl: async () => {
      const i = at++ % csrs.length;
      const r = await pool.request({
        path: '/api/v1/cfssl/sign',
        method: 'POST',
        headers: jsonHeaders,
        body: jsonBodies[i]!,
      });
      requests++;
      const text = await r.body.text();
      if (r.statusCode !== 200 || !text.includes('"success":true') || !text.includes('BEGIN CERTIFICATE'))
        fail(`cfssl: ${r.statusCode} ${text.slice(0, 200)}`);
    },
  };
  const op = ops[msg.mode];
  const lat: number[] = [];
  const t0 = performance.now();
  const end = t0 + msg.ms;
  const loop = async () => {
    while (performance.now() < end) {
      const s = performance.now();
      try {
        await op();
      } catch (e) {
        fail(String(e));
      }
      lat.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: msg.connections }, loop));
  const ms = performance.now() - t0;
  const sorted = Float64Array.from(lat).sort();
  return {
    type: 'result',
    id: msg.id,
    ops: lat.length,
    requests,
    errors,
    ...(firstError ? { firstError } : {}),
    ms,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    ...(firstRequestId !== undefined ? { firstRequestId, lastRequestId } : {}),
  };
}

process.on('message', (raw) => {
  const msg = raw as LoadInitMessage | LoadRunMessage | { type: 'exit' };
  if (msg.type === 'init') {
    csrs = msg.csrs;
    auth = `Basic ${Buffer.from(`${msg.user.name}:${msg.user.password}`, 'utf8').toString('base64')}`;
    formBodies = csrs.map((pem) =>
      new URLSearchParams({
        Mode: 'newreq',
        CertRequest: pem,
        CertAttrib: `CertificateTemplate:WebServer\r\nUserAgent:${GO_UA}\r\n`,
        FriendlyType: 'Saved-Request Certificate',
        ThumbPrint: '',
        TargetStoreFlags: '0',
        SaveCert: 'yes',
      }).toString(),
    );
    jsonBodies = csrs.map((pem) => JSON.stringify({ certificate_request: pem }));
    process.send!({ type: 'ready' });
  } else if (msg.type === 'run') {
    run(msg).then(
      (r) => process.send!(r),
      (e: unknown) => process.send!({ type: 'error', id: msg.id, message: String(e) }),
    );
  } else if (msg.type === 'exit') {
    Promise.all([...pools.values()].map((p) => p.close())).finally(() => process.exit(0));
  }
});
