// Two Node processes on one PostgreSQL database issue 10,000 certificates concurrently (5,000
// each, several submissions in flight in each process): afterwards no request id or serial
// appears twice, every submission is accounted for, and the ids are 1…10,000 without a gap.

import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCsr, generateKeyPair, parseCertificate, subjectAltName } from '@certlab/pki';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPostgres, type PostgresServer, startPostgres } from './support/postgres-server.js';
import { tempDir } from './support/temp.js';

const HAVE_POSTGRES = checkPostgres('the ca-sim PostgreSQL concurrency test');

const PROCESSES = 2;
const PER_PROCESS = 5_000;
const IN_FLIGHT = 8;
const KEYS = 50;

interface WorkerReport {
  results: [number, string][];
  failures: { index: number; error: string }[];
  ms: number;
}

/** Starts a worker; resolves `ready` once it has opened the CA, `done` with its report. */
function startWorker(args: readonly string[]): {
  child: ChildProcess;
  ready: Promise<void>;
  done: Promise<WorkerReport>;
} {
  const script = fileURLToPath(new URL('./support/pg-issue-worker.ts', import.meta.url));
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const child = spawn(process.execPath, ['--conditions=source', '--import', tsx, script, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  child.stdout!.on('data', (d) => {
    out += d;
    if (out.startsWith('ready\n')) onReady();
  });
  child.stderr!.on('data', (d) => {
    err += d;
  });
  const done = new Promise<WorkerReport>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !last.startsWith('{'))
        reject(new Error(`worker exited with ${code ?? signal}:\n${err}\n${out.slice(-2000)}`));
      else resolve(JSON.parse(last) as WorkerReport);
    });
  });
  // A worker that dies before `ready` must not leave the test waiting for it.
  done.catch(() => onReady());
  return { child, ready, done };
}

describe.skipIf(!HAVE_POSTGRES)('two processes on one PostgreSQL database', () => {
  let server: PostgresServer;
  let dir: string;
  let cleanup: () => Promise<void>;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    server = await startPostgres();
    ({ dir, cleanup } = await tempDir('certlab-ca-sim-pgconc-'));
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await server?.stop();
    await cleanup?.();
  });

  it('issue 10,000 certificates: no duplicate request id or serial, every request accounted for, ids contiguous', async () => {
    const t0 = Date.now();
    const url = await server.createDatabase('concurrent');
    // A pool of P-256 requests, reused: key generation is not what this test measures.
    const csrs: string[] = [];
    for (let i = 0; i < KEYS; i++) {
      const { privateKey } = await generateKeyPair({ type: 'ec', curve: 'P-256' });
      const host = `web${String(i).padStart(2, '0')}.contoso.com`;
      const csr = await createCsr({
        subject: `CN=${host}, O=Contoso, C=FR`,
        privateKey,
        extensions: [subjectAltName([{ type: 'dns', value: host }])],
      });
      csrs.push(csr.toPem());
    }
    const csrFile = join(dir, 'csrs.json');
    writeFileSync(csrFile, JSON.stringify(csrs));

    const workers = Array.from({ length: PROCESSES }, () =>
      startWorker([url, csrFile, String(PER_PROCESS), String(IN_FLIGHT)]),
    );
    children.push(...workers.map((w) => w.child));
    await Promise.all(workers.map((w) => w.ready));
    const tGo = Date.now();
    for (const w of workers) w.child.stdin!.write('go\n');
    const reports = await Promise.all(workers.map((w) => w.done));
    const issueSecs = (Date.now() - tGo) / 1000;

    const failures = reports.flatMap((r) => r.failures);
    const reported = reports.flatMap((r) => r.results);
    // Every submission either came back issued or was reported as a failure.
    expect(reported.length + failures.length).toBe(PROCESSES * PER_PROCESS);
    expect(failures).toEqual([]);

    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const { rows } = await c.query<{
        request_id: string;
        status: string;
        serial_number: string | null;
        certificate: Buffer | null;
      }>(`SELECT r.request_id, r.status, c.serial_number, c.certificate
            FROM ca_requests r LEFT JOIN ca_issued_certificates c ON c.request_id = r.request_id
            ORDER BY r.request_id`);
      const ids = rows.map((r) => Number(r.request_id));
      // Every request accounted for: one row per reported submission (failures would leave none).
      expect(rows.length).toBe(reported.length + failures.length);
      expect(new Set(ids).size).toBe(ids.length);
      // Contiguous: 1 … 10,000 (a failed submission would leave a gap, and there is none).
      expect(ids[0]).toBe(1);
      expect(ids.at(-1)).toBe(PROCESSES * PER_PROCESS);
      expect(rows.every((r) => r.status === 'issued' && r.serial_number !== null)).toBe(true);
      const serials = rows.map((r) => r.serial_number!);
      expect(new Set(serials).size).toBe(serials.length);
      // What each process was told is what the database holds, and the DER carries that serial.
      const byId = new Map(rows.map((r) => [Number(r.request_id), r]));
      for (const [id, serial] of reported) expect(byId.get(id)?.serial_number).toBe(serial);
      expect(new Set(reported.map(([id]) => id)).size).toBe(reported.length);
      for (const r of rows)
        if (parseCertificate(new Uint8Array(r.certificate!)).serialNumber !== r.serial_number)
          throw new Error(`request ${r.request_id}: the certificate's serial is not ${r.serial_number}`);
      // The processes really ran together: each one holds ids from both halves of the range.
      for (const rep of reports) {
        const own = rep.results.map(([id]) => id);
        expect(Math.min(...own)).toBeLessThan(PER_PROCESS);
        expect(Math.max(...own)).toBeGreaterThan(PER_PROCESS);
      }
      const seq = await c.query<{ last_value: string }>('SELECT last_value FROM ca_request_id_seq');
      expect(Number(seq.rows[0]!.last_value)).toBe(PROCESSES * PER_PROCESS);
    } finally {
      await c.end();
    }
    console.log(
      `postgres-concurrency: ${PROCESSES} × ${PER_PROCESS} certificates in ${issueSecs.toFixed(1)} s ` +
        `(${Math.round((PROCESSES * PER_PROCESS) / issueSecs)}/s; per process ${reports
          .map((r) => `${(r.ms / 1000).toFixed(1)} s`)
          .join(', ')}), whole test ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  }, 240_000);
});
