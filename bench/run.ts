// npm run bench [-- <name>…] [--quick] [--list]
//
// Runs the benchmarks, each in a child process of its own:
//   node --expose-gc --conditions=source --import tsx bench/run.ts --child <name> --out <file>
// (so that @certlab/pki resolves to its TypeScript source, gc() is available, and one
// benchmark's heap and JIT state do not leak into the next), then prints a summary of the
// acceptance targets. The targets are a report: missing one never fails the run. A benchmark
// that crashes does (exit code 1).

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BENCH_DIR,
  type BenchModule,
  envInfo,
  type ModuleReport,
  markdownTable,
  RESULTS_DIR,
  type Target,
} from './harness.js';

interface Entry {
  name: string;
  what: string;
  load: () => Promise<{ default: BenchModule }>;
}

export const BENCHMARKS: Entry[] = [
  {
    name: 'csr-create-p256',
    what: 'create + sign a PKCS #10 request, P-256 (RSA-2048 rows for node-forge)',
    load: () => import('./csr-create-p256.js'),
  },
  {
    name: 'cert-parse',
    what: 'parse a ~1 KB DER leaf, read subject string + SAN list',
    load: () => import('./cert-parse.js'),
  },
  {
    name: 'cert-issue',
    what: 'sign a leaf certificate with a P-256 CA',
    load: () => import('./cert-issue.js'),
  },
  {
    name: 'ca-issue',
    what: 'CA simulator: issue from a P-256 CSR (memory, PGlite, PostgreSQL) vs PKI.js',
    load: () => import('./ca-issue.js'),
  },
  {
    name: 'certsrv-load',
    what: 'certsrv web enrollment on loopback under load (undici, 32 connections) vs cfssl serve',
    load: () => import('./certsrv-load.js'),
  },
  {
    name: 'path-validate',
    what: 'validate a 3-certificate P-256 chain (root anchor, untrusted CA, serverAuth leaf)',
    load: () => import('./path-validate.js'),
  },
  {
    name: 'p7b',
    what: '.p7b (certs-only PKCS #7) of a 3-certificate chain: decode + subjects, encode from parsed certificates',
    load: () => import('./p7b.js'),
  },
  {
    name: 'pfx',
    what: 'PKCS #12 export and import (modern and legacy, P-256 and RSA-2048) against the node:crypto KDF + cipher floor',
    load: () => import('./pfx.js'),
  },
  {
    name: 'memory-100k',
    what: 'RSS / heap held by 100k parsed certificates, one process per library',
    load: () => import('./memory-100k.js'),
  },
  {
    name: 'store-100k',
    what: 'a machine with 100k certificates in LocalMachine\\My: find by thumbprint, chain build, RSS, directory load',
    load: () => import('./store-100k.js'),
  },
];

const SELF = fileURLToPath(import.meta.url);
const ROOT = join(BENCH_DIR, '..');

function argValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

async function child(name: string, out: string, quick: boolean): Promise<void> {
  const entry = BENCHMARKS.find((b) => b.name === name);
  if (!entry) throw new Error(`unknown benchmark ${name}`);
  const mod = (await entry.load()).default;
  const report = await mod.run({ quick });
  writeFileSync(out, JSON.stringify(report));
}

function select(filters: string[]): Entry[] {
  if (filters.length === 0) return BENCHMARKS;
  const picked = BENCHMARKS.filter((b) => filters.some((f) => b.name === f || b.name.includes(f)));
  if (picked.length === 0) {
    throw new Error(
      `No benchmark matches ${filters.join(', ')}. Known: ${BENCHMARKS.map((b) => b.name).join(', ')}`,
    );
  }
  return picked;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick') || process.env.BENCH_QUICK === '1';
  const childName = argValue(args, '--child');
  if (childName) {
    await child(childName, argValue(args, '--out')!, quick);
    return 0;
  }
  if (args.includes('--list') || args.includes('--help') || args.includes('-h')) {
    console.log('npm run bench [-- <name or part of one>…] [--quick]\n');
    for (const b of BENCHMARKS) console.log(`  ${b.name.padEnd(16)} ${b.what}`);
    return 0;
  }
  const filters = args.filter((a) => !a.startsWith('--'));
  const picked = select(filters);
  const env = envInfo();
  console.log(`certlab benchmarks: ${picked.map((b) => b.name).join(', ')}${quick ? ' (quick)' : ''}`);
  console.log(`${env.node} on ${env.platform}, ${env.cores} × ${env.cpu}, ${env.memGB} GB`);

  const tmp = mkdtempSync(join(tmpdir(), 'certlab-bench-run-'));
  const targets: Target[] = [];
  const tables: string[] = [];
  const failed: string[] = [];
  const t0 = Date.now();
  try {
    for (const b of picked) {
      const out = join(tmp, `${b.name}.json`);
      const t = Date.now();
      const nodeArgs = [
        '--expose-gc',
        '--conditions=source',
        '--import',
        'tsx',
        SELF,
        '--child',
        b.name,
        '--out',
        out,
      ];
      if (quick) nodeArgs.push('--quick');
      const r = spawnSync(process.execPath, nodeArgs, { cwd: ROOT, stdio: 'inherit' });
      const secs = ((Date.now() - t) / 1000).toFixed(1);
      if (r.status !== 0) {
        console.error(`\n✗ ${b.name} failed (exit ${r.status ?? r.signal}) after ${secs} s`);
        failed.push(b.name);
        targets.push({ benchmark: b.name, goal: '(benchmark crashed)', measured: '—', met: undefined });
        continue;
      }
      const report = JSON.parse(readFileSync(out, 'utf8')) as ModuleReport;
      targets.push(...report.targets);
      tables.push(...report.tables);
      console.error(`  (${b.name}: ${secs} s)`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  const mark = (m: boolean | undefined) => (m === undefined ? '? not measured' : m ? '✓ met' : '✗ NOT met');
  const summary = markdownTable(
    ['benchmark', 'acceptance target', 'measured on this machine', 'status'],
    targets.map((t) => [t.benchmark, t.goal, t.measured, mark(t.met)]),
    ['l', 'l', 'l', 'l'],
  );
  const total = ((Date.now() - t0) / 1000).toFixed(0);
  console.log(
    `\n### Summary (a report, not a test: missing a target does not fail the run)\n\n${summary}${quick ? '\n\nQUICK RUN: few rounds, cold JIT, small N: a smoke test, not numbers to quote.' : ''}\n\nTotal ${total} s.`,
  );

  mkdirSync(RESULTS_DIR, { recursive: true });
  const md = [
    `# certlab benchmark results (${new Date().toISOString()})`,
    '',
    `${env.node} on ${env.platform}, ${env.cores} × ${env.cpu}, ${env.memGB} GB${quick ? ' — QUICK RUN' : ''}`,
    ...tables,
    '',
    '### Summary',
    '',
    summary,
    '',
  ].join('\n');
  writeFileSync(
    join(RESULTS_DIR, filters.length ? `latest-${picked.map((b) => b.name).join('+')}.md` : 'latest.md'),
    md,
  );
  writeFileSync(
    join(RESULTS_DIR, 'summary.json'),
    `${JSON.stringify({ date: new Date().toISOString(), env, quick, targets }, null, 2)}\n`,
  );
  return failed.length ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  },
);
