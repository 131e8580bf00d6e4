// certsrv-load: web enrollment under load on loopback. A load client (undici Pool, 32 keep-alive
// connections, pipelining 1, bench/certsrv-load-client.ts) in a process of its own drives, each
// in a process of its own (bench/certsrv-load-server.ts, `cfssl serve`):
//   - bare node:http answering "hello" (the ceiling of one node process),
//   - certsrv, one process: P-256 root → P-256 issuing CA, memory database,
//   - certsrv using both cores: the same, with `createAuthority({ signingWorkers: 2 })`,
//   - certsrv in 2 node:cluster processes over one PostgreSQL database (when PostgreSQL runs),
//   - `cfssl serve` (Debian golang-cfssl) with a P-256 CA, signing the same CSRs.
// An enrollment = POST certfnsh.asp (Mode=newreq, CertRequest=<PEM>, CertAttrib=
// CertificateTemplate:WebServer) then GET certnew.cer?ReqID=N&Enc=b64: two requests, one
// issuance. "submit" rows time the POST alone: one request, one issuance, like cfssl's sign.
// Targets run for a fixed time each, in interleaved rounds (the order rotates), after one
// untimed warm-up per target; the table gives the median over rounds.

import { type ChildProcess, fork, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createCsr, generateKeyPair, parseCertificate, readCertificates, subjectAltName } from '@certlab/pki';
import { postgresUnavailable } from '../packages/ca-sim/test/support/postgres-server.js';
import type { LoadMode, LoadResult, LoadRunMessage } from './certsrv-load-client.js';
import { LOAD_USER } from './certsrv-load-server.js';
import {
  BENCH_DIR,
  type BenchModule,
  envInfo,
  fmtNum,
  fmtRatio,
  markdownTable,
  median,
  RESULTS_DIR,
  type Target,
} from './harness.js';

const NAME = 'certsrv-load';
const CONNECTIONS = 32;
const ENROLL_FLOOR = 1_000;
const SERVER = join(BENCH_DIR, 'certsrv-load-server.ts');
const CLIENT = join(BENCH_DIR, 'certsrv-load-client.ts');
const NODE_FLAGS = ['--conditions=source', '--import', 'tsx'];

interface Server {
  url: string;
  child: ChildProcess;
  info: Record<string, unknown>;
}

interface Mode {
  key: string;
  label: string;
  server: string;
  mode: LoadMode;
  what: string;
}

/** P-256 requests with distinct keys and names, as PEM. */
async function makeCsrs(n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const { privateKey } = await generateKeyPair({ type: 'ec', curve: 'P-256' });
    const host = `web${i}.contoso.com`;
    const csr = await createCsr({
      subject: `CN=${host}, O=Contoso, C=FR`,
      privateKey,
      extensions: [
        subjectAltName([
          { type: 'dns', value: host },
          { type: 'dns', value: `www${i}.contoso.com` },
        ]),
      ],
    });
    out.push(csr.toPem());
  }
  return out;
}

/** Starts a node server child and waits for its READY line. */
function startNodeServer(args: string[], env: NodeJS.ProcessEnv): Promise<Server> {
  const prof = process.env.CERTSRV_LOAD_PROF;
  const flags = [
    ...NODE_FLAGS,
    '--max-old-space-size=6144',
    ...(prof ? ['--cpu-prof', `--cpu-prof-dir=${join(RESULTS_DIR, 'prof')}`] : []),
  ];
  const child = spawn(process.execPath, [...flags, SERVER, ...args], {
    cwd: join(BENCH_DIR, '..'),
    env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    const onExit = (code: number | null) => reject(new Error(`server ${args.join(' ')} exited (${code})`));
    child.once('exit', onExit);
    rl.on('line', (line) => {
      if (!line.startsWith('READY ')) return;
      child.off('exit', onExit);
      const info = JSON.parse(line.slice(6)) as Record<string, unknown>;
      resolve({ url: info.url as string, child, info });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      await fetch(url, { method: 'POST', body: '{}' });
      return;
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** `cfssl serve` with a P-256 CA made by `cfssl genkey -initca`, or why it cannot run. */
async function startCfssl(dir: string): Promise<Server | string> {
  const which = spawnSync('sh', ['-c', 'command -v cfssl'], { encoding: 'utf8' });
  if (which.status !== 0) return 'cfssl not found (apt-get install golang-cfssl)';
  const csr = join(dir, 'ca-csr.json');
  writeFileSync(
    csr,
    JSON.stringify({
      CN: 'Contoso cfssl CA',
      key: { algo: 'ecdsa', size: 256 },
      names: [{ O: 'Contoso', C: 'FR' }],
    }),
  );
  const gen = spawnSync('cfssl', ['genkey', '-initca', csr], { encoding: 'utf8' });
  if (gen.status !== 0) return `cfssl genkey failed: ${gen.stderr}`;
  const out = JSON.parse(gen.stdout) as { cert: string; key: string };
  writeFileSync(join(dir, 'cfssl-ca.pem'), out.cert);
  writeFileSync(join(dir, 'cfssl-ca-key.pem'), out.key);
  const port = await freePort();
  const version = spawnSync('cfssl', ['version'], { encoding: 'utf8' }).stdout.split('\n')[0]?.trim();
  // Log level 2 (warnings): cfssl logs three INFO lines per signature by default, which would
  // charge it for terminal output certsrv does not do (certsrv logs only when given `log`).
  const child = spawn(
    'cfssl',
    [
      'serve',
      '-ca',
      join(dir, 'cfssl-ca.pem'),
      '-ca-key',
      join(dir, 'cfssl-ca-key.pem'),
      '-address',
      '127.0.0.1',
      '-port',
      String(port),
      '-loglevel',
      '2',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/api/v1/cfssl/sign`, 10_000);
  return { url, child, info: { version, ca: out.cert } };
}

/** One enrollment over fetch, checked: the certificate chains to the CA the server wrote. */
async function checkCertsrv(server: Server, csr: string, chainFile: string): Promise<string> {
  const auth = `Basic ${Buffer.from(`${LOAD_USER.name}:${LOAD_USER.password}`).toString('base64')}`;
  const body = new URLSearchParams({
    Mode: 'newreq',
    CertRequest: csr,
    CertAttrib: 'CertificateTemplate:WebServer\r\n',
  }).toString();
  const r = await fetch(`${server.url}/certsrv/certfnsh.asp`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  const html = await r.text();
  const id = /certnew\.cer\?ReqID=(\d+)&/.exec(html)?.[1];
  if (!id) throw new Error(`certsrv did not issue: ${html.slice(0, 500)}`);
  const pem = await (
    await fetch(`${server.url}/certsrv/certnew.cer?ReqID=${id}&Enc=b64`, { headers: { authorization: auth } })
  ).text();
  const [issuing, root] = readCertificates(readFileSync(chainFile, 'utf8'));
  const cert = parseCertificate(readCertificates(pem)[0]!.der);
  if (!(await cert.verifySignature(issuing!.publicKey)) || !(await issuing!.verifySignature(root!.publicKey)))
    throw new Error('the certificate certsrv issued does not chain to its CA');
  const san = cert.subjectAltNames.map((n) => ('value' in n ? n.value : n.type)).join(', ');
  return `${cert.subject.toString()} [${san}] by ${cert.issuer.toString()}`;
}

async function checkCfssl(server: Server, csr: string): Promise<void> {
  const r = await fetch(`${server.url}/api/v1/cfssl/sign`, {
    method: 'POST',
    body: JSON.stringify({ certificate_request: csr }),
  });
  const j = (await r.json()) as { success: boolean; result?: { certificate: string } };
  if (!j.success || !j.result) throw new Error(`cfssl did not sign: ${JSON.stringify(j).slice(0, 300)}`);
  const ca = readCertificates(server.info.ca as string)[0]!;
  const cert = readCertificates(j.result.certificate)[0]!;
  if (!(await cert.verifySignature(ca.publicKey))) throw new Error('cfssl certificate does not verify');
}

/** CPU time (user + system, all threads) a process has used, µs; undefined off Linux. */
function cpuMicros(pid: number | undefined, file = `/proc/${pid}/stat`): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(file, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, in clock ticks (USER_HZ, 100 on Linux).
    return (Number(f[11]) + Number(f[12])) * 10_000;
  } catch {
    return undefined;
  }
}

/**
 * CPU time (user + system) of the whole machine, µs, from /proc/stat; undefined off Linux. For the
 * multi-process target, whose CPU is spread over the cluster's processes and PostgreSQL's.
 */
function machineCpuMicros(): number | undefined {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: all but idle and iowait are busy.
    const busy = f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + f[7]!;
    return busy * 10_000;
  } catch {
    return undefined;
  }
}

/** CPU time of a process's main thread (the thread whose id is the pid), µs; undefined off Linux. */
function mainThreadCpuMicros(pid: number | undefined): number | undefined {
  return pid === undefined ? undefined : cpuMicros(pid, `/proc/${pid}/task/${pid}/stat`);
}

/** CPU time of each thread of a process, µs, by thread id, with the thread's name; Linux only. */
function threadCpuMicros(pid: number | undefined): Map<string, { name: string; micros: number }> {
  const out = new Map<string, { name: string; micros: number }>();
  if (pid === undefined) return out;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const micros = cpuMicros(pid, `/proc/${pid}/task/${tid}/stat`);
      const name =
        tid === String(pid) ? 'main' : readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      if (micros !== undefined) out.set(tid, { name, micros });
    }
  } catch {
    // The process is gone, or this is not Linux: no breakdown.
  }
  return out;
}

/**
 * Where a server's CPU went during one run, µs per operation and thread (the main thread, then
 * the others by CPU: the signing workers first, then V8's GC and compiler helpers and libuv's
 * pool, which Node names alike): printed with CERTSRV_LOAD_THREADS=1.
 */
function threadBreakdown(
  before: Map<string, { name: string; micros: number }>,
  after: Map<string, { name: string; micros: number }>,
  ops: number,
): string {
  const used = [...after]
    .map(([tid, a]) => ({ name: a.name, perOp: (a.micros - (before.get(tid)?.micros ?? 0)) / ops }))
    .filter((t) => t.perOp > 0)
    .sort((x, y) => (x.name === 'main' ? -1 : y.name === 'main' ? 1 : y.perOp - x.perOp));
  return used.map((t) => `${t.name} ${t.perOp.toFixed(0)}`).join(', ') + ' µs/op';
}

interface Measured extends LoadResult {
  /** CPU µs per operation of the server process (all its threads) and of the load client. */
  serverCpu?: number;
  /** Of serverCpu, the server's main thread (node servers; cfssl's goroutines have none). */
  serverMainCpu?: number;
  clientCpu?: number;
}

const fmtMs = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0));

class Client {
  readonly #child: ChildProcess;
  #next = 1;
  readonly #waiting = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();
  constructor() {
    this.#child = fork(CLIENT, [], {
      execArgv: NODE_FLAGS,
      cwd: join(BENCH_DIR, '..'),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#child.on('message', (m: LoadResult | { type: 'error'; id: number; message: string }) => {
      // Settle the run the message answers (a throw here would be uncaught and leave it pending).
      const w = this.#waiting.get(m.id);
      this.#waiting.delete(m.id);
      if (m.type === 'error') w?.reject(new Error(`load client: ${m.message}`));
      else w?.resolve(m);
    });
  }
  init(csrs: string[]): Promise<void> {
    return new Promise((resolve) => {
      this.#child.once('message', () => resolve());
      this.#child.send({ type: 'init', csrs, user: LOAD_USER });
    });
  }
  get pid(): number | undefined {
    return this.#child.pid;
  }
  run(url: string, mode: LoadMode, ms: number): Promise<LoadResult> {
    const id = this.#next++;
    const msg: LoadRunMessage = { type: 'run', id, url, mode, ms, connections: CONNECTIONS };
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#child.send(msg);
    });
  }
  close(): void {
    this.#child.send({ type: 'exit' });
  }
}

const mod: BenchModule = {
  name: NAME,
  description: 'certsrv web enrollment under load (undici, 32 connections) vs cfssl serve',
  async run({ quick }) {
    const rounds = Number(process.env.BENCH_ROUNDS ?? (quick ? 2 : 3));
    const measureMs = Number(process.env.CERTSRV_LOAD_MS ?? (quick ? 1_500 : 10_000));
    const warmupMs = quick ? 1_000 : 5_000;
    const signingWorkers = Number(process.env.CERTSRV_LOAD_WORKERS ?? 2);
    const dir = await mkdtemp(join(tmpdir(), 'certlab-bench-load-'));
    const servers: Server[] = [];
    let client: Client | undefined;
    try {
      const t = performance.now();
      const csrs = await makeCsrs(quick ? 200 : 2_000);
      console.error(`  ${csrs.length} P-256 CSRs in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      const env = { ...process.env };
      const hello = await startNodeServer(['hello'], env);
      servers.push(hello);
      const oneChain = join(dir, 'one-chain.pem');
      const one = await startNodeServer(['certsrv', '--chain', oneChain], env);
      servers.push(one);
      const twoChain = join(dir, 'two-chain.pem');
      const two = await startNodeServer(
        ['certsrv', '--workers', String(signingWorkers), '--chain', twoChain],
        env,
      );
      servers.push(two);
      const notes: string[] = [];
      // The issue's other way of using both cores: several processes over PostgreSQL.
      const pgMissing = postgresUnavailable();
      const clusterChain = join(dir, 'cluster-chain.pem');
      const multi = pgMissing
        ? undefined
        : await startNodeServer(['certsrv-cluster', '--processes', '2', '--chain', clusterChain], env);
      if (multi) servers.push(multi);
      else notes.push(`certsrv, 2 processes over PostgreSQL: not measured (${pgMissing}).`);
      const cfssl = await startCfssl(dir);
      if (typeof cfssl === 'string') notes.push(`cfssl: not measured (${cfssl}).`);
      else servers.push(cfssl);

      const sample = await checkCertsrv(one, csrs[0]!, oneChain);
      await checkCertsrv(two, csrs[1]!, twoChain);
      if (multi) await checkCertsrv(multi, csrs[3]!, clusterChain);
      if (typeof cfssl !== 'string') await checkCfssl(cfssl, csrs[2]!);

      const targets: Record<string, Server> = {
        hello,
        one,
        two,
        ...(multi ? { multi } : {}),
        ...(typeof cfssl !== 'string' ? { cfssl } : {}),
      };
      const modes: Mode[] = [
        {
          key: 'hello',
          label: 'bare node:http (ceiling)',
          server: 'hello',
          mode: 'hello',
          what: 'GET → "hello"',
        },
        {
          key: 'one-enroll',
          label: 'certsrv, 1 process',
          server: 'one',
          mode: 'enroll',
          what: 'enrollment (2 requests)',
        },
        {
          key: 'one-submit',
          label: 'certsrv, 1 process',
          server: 'one',
          mode: 'submit',
          what: 'submit only (1 request)',
        },
        {
          key: 'two-enroll',
          label: `certsrv, signingWorkers: ${signingWorkers}`,
          server: 'two',
          mode: 'enroll',
          what: 'enrollment (2 requests)',
        },
        {
          key: 'two-submit',
          label: `certsrv, signingWorkers: ${signingWorkers}`,
          server: 'two',
          mode: 'submit',
          what: 'submit only (1 request)',
        },
        ...(multi
          ? [
              {
                key: 'multi-enroll',
                label: 'certsrv, 2 processes, PostgreSQL',
                server: 'multi',
                mode: 'enroll' as const,
                what: 'enrollment (2 requests)',
              },
              {
                key: 'multi-submit',
                label: 'certsrv, 2 processes, PostgreSQL',
                server: 'multi',
                mode: 'submit' as const,
                what: 'submit only (1 request)',
              },
            ]
          : []),
        ...(typeof cfssl !== 'string'
          ? [
              {
                key: 'cfssl',
                label: `cfssl serve ${cfssl.info.version}`,
                server: 'cfssl',
                mode: 'cfssl' as const,
                what: 'sign (1 request)',
              },
            ]
          : []),
      ];

      // CERTSRV_LOAD_ONLY=two-submit,cfssl measures only those rows (for profiling and tuning).
      const only = process.env.CERTSRV_LOAD_ONLY?.split(',').map((k) => k.trim());
      if (only) {
        const unknown = only.filter((k) => !modes.some((m) => m.key === k));
        if (unknown.length) throw new Error(`CERTSRV_LOAD_ONLY: unknown rows ${unknown.join(', ')}`);
        modes.splice(0, modes.length, ...modes.filter((m) => only.includes(m.key)));
      }
      client = new Client();
      await client.init(csrs);
      for (const m of modes) {
        const r = await client.run(targets[m.server]!.url, m.mode, warmupMs);
        if (r.errors) throw new Error(`${m.key}: ${r.errors} errors, first: ${r.firstError}`);
        console.error(`  warm-up ${m.key}: ${fmtNum(r.ops / (r.ms / 1000))} ops/s`);
      }
      const results = new Map<string, Measured[]>(modes.map((m) => [m.key, []]));
      const threadsWanted = process.env.CERTSRV_LOAD_THREADS === '1';
      for (let round = 0; round < rounds; round++) {
        for (let i = 0; i < modes.length; i++) {
          const m = modes[(i + round) % modes.length]!;
          const server = targets[m.server]!.child.pid;
          const node = targets[m.server] !== targets.cfssl;
          // The cluster's CPU is its processes' and PostgreSQL's: the machine's, less the client's.
          const spread = m.server === 'multi';
          const serverCpu = () => (spread ? machineCpuMicros() : cpuMicros(server));
          const m0 = node && !spread ? mainThreadCpuMicros(server) : undefined;
          const t0 = threadsWanted && node && !spread ? threadCpuMicros(server) : undefined;
          const s0 = serverCpu();
          const c0 = cpuMicros(client.pid);
          const r: Measured = await client.run(targets[m.server]!.url, m.mode, measureMs);
          const s1 = serverCpu();
          const m1 = node && !spread ? mainThreadCpuMicros(server) : undefined;
          const c1 = cpuMicros(client.pid);
          if (t0)
            console.error(`    threads of ${m.key}: ${threadBreakdown(t0, threadCpuMicros(server), r.ops)}`);
          if (r.errors) throw new Error(`${m.key}: ${r.errors} errors, first: ${r.firstError}`);
          if (s0 !== undefined && s1 !== undefined)
            r.serverCpu = (s1 - s0 - (spread && c0 !== undefined && c1 !== undefined ? c1 - c0 : 0)) / r.ops;
          if (m0 !== undefined && m1 !== undefined) r.serverMainCpu = (m1 - m0) / r.ops;
          if (c0 !== undefined && c1 !== undefined) r.clientCpu = (c1 - c0) / r.ops;
          results.get(m.key)!.push(r);
          console.error(
            `  round ${round + 1}/${rounds} ${m.key.padEnd(10)} ${fmtNum(r.ops / (r.ms / 1000)).padStart(7)} ops/s  p50 ${fmtMs(r.p50)} ms  p99 ${fmtMs(r.p99)} ms`,
          );
        }
      }
      client.close();
      client = undefined;

      const stat = (key: string) => {
        const rs = results.get(key)!;
        const rates = rs.map((r) => r.ops / (r.ms / 1000));
        return {
          ops: median(rates),
          min: Math.min(...rates),
          max: Math.max(...rates),
          reqs: median(rs.map((r) => r.requests / (r.ms / 1000))),
          p50: median(rs.map((r) => r.p50)),
          p99: median(rs.map((r) => r.p99)),
          serverCpu: rs.every((r) => r.serverCpu !== undefined)
            ? median(rs.map((r) => r.serverCpu!))
            : undefined,
          serverMainCpu: rs.every((r) => r.serverMainCpu !== undefined)
            ? median(rs.map((r) => r.serverMainCpu!))
            : undefined,
          busy: rs.every((r) => r.serverCpu !== undefined && r.clientCpu !== undefined)
            ? median(rs.map((r) => ((r.serverCpu! + r.clientCpu!) * r.ops) / (r.ms * 1000)))
            : undefined,
          clientCpu: rs.every((r) => r.clientCpu !== undefined)
            ? median(rs.map((r) => r.clientCpu!))
            : undefined,
        };
      };
      const measured = (key: string) => (modes.some((m) => m.key === key) ? stat(key) : undefined);
      const cf = measured('cfssl');
      const rows = modes.map((m) => {
        const s = stat(m.key);
        const issuing = m.mode === 'enroll' || m.mode === 'submit';
        return [
          m.label,
          m.what,
          fmtNum(s.ops),
          `${fmtNum(s.min)}–${fmtNum(s.max)}`,
          fmtNum(s.reqs),
          fmtMs(s.p50),
          fmtMs(s.p99),
          s.serverCpu !== undefined ? fmtNum(s.serverCpu) : '',
          s.serverMainCpu !== undefined ? fmtNum(s.serverMainCpu) : '',
          s.clientCpu !== undefined ? fmtNum(s.clientCpu) : '',
          s.busy !== undefined ? s.busy.toFixed(2) : '',
          issuing && cf ? fmtRatio(s.ops / cf.ops) : '',
        ];
      });
      const env2 = envInfo();
      const table = markdownTable(
        [
          'target',
          'operation',
          'ops/s (median)',
          'min–max',
          'HTTP req/s',
          'p50 ms',
          'p99 ms',
          'server CPU µs/op',
          'of which main thread',
          'client CPU µs/op',
          `cores busy (of ${envInfo().cores})`,
          'issuances ÷ cfssl',
        ],
        rows,
        ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      );
      notes.push(
        `${rounds} interleaved rounds of ${measureMs / 1000} s per target (order rotating), after a ${warmupMs / 1000} s warm-up each; ops/s and latencies are medians over the rounds (p50/p99 of one round's operations).`,
        `Load client: undici Pool, ${CONNECTIONS} keep-alive connections, pipelining 1, ${CONNECTIONS} loops each starting its next operation when the previous one is answered; in a process of its own, but on the same ${env2.cores} cores as the server under test, which it competes with for CPU (the numbers are a floor of what the server does alone).`,
        `${csrs.length} P-256 CSRs with distinct keys (CN=webN.contoso.com, O=Contoso, C=FR; SAN 2 dNSNames), used round-robin by every target. certsrv: HTTP Basic (alice, cached after the first scrypt), session cookie sent back, P-256 root → P-256 issuing CA, memory database, WebServer template (SKI, AKI, CDP, AIA, template name, keyUsage, EKU, SAN); every request id is stored.`,
        'Enrollment = POST /certsrv/certfnsh.asp (form Mode=newreq, CertRequest, CertAttrib=CertificateTemplate:WebServer…), read the request id from the HTML, GET /certsrv/certnew.cer?ReqID=N&Enc=b64. "submit only" is the POST alone: one request per issuance, as cfssl sign is.',
        typeof cfssl !== 'string'
          ? 'cfssl: `cfssl serve -ca … -ca-key … -loglevel 2` with a P-256 CA from `cfssl genkey -initca`, POST /api/v1/cfssl/sign {"certificate_request": PEM}, default signing profile (no database). Log level 2: its default (1) writes three lines per signature.'
          : '',
        'CPU µs/op: user + system time of the process over the measured run (all threads: for certsrv the main thread, the signing workers, the libuv pool and V8 GC threads), divided by the operations; "of which main thread" is the node main thread alone (HTTP, pages, request database). Cores busy: server + client CPU over the run\'s wall time, so the idle share of the machine is what is left of the cores. Read from /proc, so Linux only.',
        `Sample certsrv certificate: ${sample}.`,
      );
      const oneEnroll = measured('one-enroll');
      const twoSubmit = measured('two-submit');
      const targetsOut: Target[] = [];
      if (oneEnroll)
        targetsOut.push({
          benchmark: NAME,
          goal: `certsrv enrollments/s, one process ≥ ${fmtNum(ENROLL_FLOOR)} (p99 printed)`,
          measured: `${fmtNum(oneEnroll.ops)}/s, p99 ${fmtMs(oneEnroll.p99)} ms`,
          met: oneEnroll.ops >= ENROLL_FLOOR,
        });
      if (twoSubmit)
        targetsOut.push({
          benchmark: NAME,
          goal: 'certsrv issuances/s using both cores ≥ cfssl serve (same run)',
          measured: cf
            ? `${fmtNum(twoSubmit.ops)}/s vs ${fmtNum(cf.ops)}/s: ${fmtRatio(twoSubmit.ops / cf.ops)}`
            : 'cfssl missing',
          met: cf ? twoSubmit.ops >= cf.ops : undefined,
        });
      const md = [
        `## ${NAME}: certsrv web enrollment under load vs cfssl serve`,
        '',
        table,
        '',
        ...notes.filter(Boolean).map((n) => `- ${n}`),
        '',
      ].join('\n');
      console.log(`\n${md}`);
      mkdirSync(RESULTS_DIR, { recursive: true });
      const data = {
        date: new Date().toISOString(),
        env: env2,
        rounds,
        measureMs,
        results: Object.fromEntries(results),
      };
      // A partial run (CERTSRV_LOAD_ONLY) does not replace the full run's results.
      writeFileSync(
        join(RESULTS_DIR, `${NAME}${only ? '.partial' : ''}.json`),
        JSON.stringify(data, null, 2),
      );
      return { tables: [md], targets: targetsOut, data };
    } finally {
      client?.close();
      for (const s of servers) {
        if (s.child.stdin) s.child.stdin.end();
        else s.child.kill();
      }
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              if (s.child.exitCode !== null) return resolve();
              const timer = setTimeout(() => {
                s.child.kill('SIGKILL');
                resolve();
              }, 10_000);
              s.child.once('exit', () => {
                clearTimeout(timer);
                resolve();
              });
            }),
        ),
      );
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export default mod;
