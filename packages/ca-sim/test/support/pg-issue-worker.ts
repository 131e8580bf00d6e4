// Child process of postgres-concurrency.test.ts: opens the CA on a shared PostgreSQL database,
// prints `ready`, waits for `go` on stdin, then submits COUNT requests (CONCURRENCY in flight)
// from the CSRs in CSR_FILE (a JSON array of PEM texts) with the WebServer template, and prints
// one JSON line: { results: [[requestId, serial], …], failures: [{ index, error }], ms }.
//
//   node --conditions=source --import tsx pg-issue-worker.ts URL CSR_FILE COUNT CONCURRENCY

import { readFileSync } from 'node:fs';
import { createAuthority, openPostgresStore } from '@certlab/ca-sim';

const [url, csrFile, countArg, concurrencyArg] = process.argv.slice(2);
if (!url || !csrFile || !countArg)
  throw new Error('usage: pg-issue-worker.ts URL CSR_FILE COUNT [CONCURRENCY]');
const count = Number(countArg);
const concurrency = Number(concurrencyArg ?? 8);
const csrs = JSON.parse(readFileSync(csrFile, 'utf8')) as string[];

const db = await openPostgresStore({ connectionString: url, max: concurrency + 2 });
const ca = await createAuthority({
  name: 'Contoso Issuing CA',
  root: { name: 'Contoso Root CA' },
  keyType: 'ec',
  db,
});
process.stdout.write('ready\n');
await new Promise<void>((resolve) => {
  let buf = '';
  process.stdin.on('data', (d) => {
    buf += d;
    if (buf.includes('go\n')) resolve();
  });
});

const results: [number, string][] = [];
const failures: { index: number; error: string }[] = [];
let next = 0;
const t0 = performance.now();
async function lane(): Promise<void> {
  for (let i = next++; i < count; i = next++) {
    try {
      const r = await ca.submit(csrs[i % csrs.length]!, { template: 'WebServer' });
      if (r.disposition === 'issued' && r.serialNumber) results.push([r.requestId, r.serialNumber]);
      else failures.push({ index: i, error: `request ${r.requestId}: ${r.disposition}: ${r.message}` });
    } catch (e) {
      failures.push({ index: i, error: String((e as Error)?.stack ?? e) });
    }
  }
}
await Promise.all(Array.from({ length: concurrency }, lane));
const ms = performance.now() - t0;
await ca.close();
process.stdout.write(`${JSON.stringify({ results, failures, ms })}\n`);
process.stdin.destroy();
