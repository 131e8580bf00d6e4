// A tiny benchmark harness: every implementation (ours and the peers) runs in interleaved
// rounds within one process, so that CPU frequency, thermal state, background load and JIT
// state drift affect all of them alike. Each round runs a timed batch of every implementation,
// in an order that rotates from round to round; the batch size (the fixed amount of work per
// round) is calibrated during warm-up so that each batch takes about `roundMs`, which gives a
// slow peer (an `openssl` spawn per operation) few operations per round while keeping it in
// the rotation. The result is the median ops/s over the rounds and the ratio ours ÷ peer.

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/** One operation. It may return a promise, which is awaited before the next one starts. */
export type OpFn = () => unknown;

export interface ImplSpec {
  fn: OpFn;
  /** Operations per round (fixed work). Default: calibrated so that a round takes about `roundMs`. */
  batch?: number;
  /** For a peer: the `ours` variant it is compared with (a key of `ours` when `ours` is a record). */
  vs?: string;
  /** Printed under the table. */
  note?: string;
}

export type Impl = OpFn | ImplSpec;

export interface BenchSpec {
  /** Our implementation, or several named variants (the first is the default comparison). */
  ours: Impl | Record<string, Impl>;
  /** Peers by label, e.g. `{ 'pkijs + @peculiar/webcrypto': fn }`. */
  peers: Record<string, Impl>;
  /** Lines printed under the table (e.g. "node:crypto: no CSR API"). */
  notes?: string[];
}

export interface BenchOptions {
  /** Timed rounds (default 10; BENCH_ROUNDS overrides). */
  rounds?: number;
  /** Untimed interleaved rounds after calibration (default 2). */
  warmup?: number;
  /** Ops per round for every implementation that does not set its own (default: calibrated). */
  batch?: number;
  /** Target duration of one batch when calibrating, in ms (default 150; BENCH_ROUND_MS overrides). */
  roundMs?: number;
  /** Upper bound of a calibrated batch (default 1,000,000). */
  maxBatch?: number;
  /** Run a full GC (when node runs with --expose-gc) before each batch, so that one implementation's garbage is not collected on another's clock. Default true. */
  gc?: boolean;
  /** Label of our implementation (default 'certlab'). */
  oursLabel?: string;
}

export interface Row {
  label: string;
  role: 'ours' | 'peer';
  /** For a peer: the label of the `ours` row it is compared with. */
  vs?: string;
  batch: number;
  rounds: number;
  /** Median ops/s over the rounds. */
  opsPerSec: number;
  minOpsPerSec: number;
  maxOpsPerSec: number;
  /** Interquartile range of ops/s over the rounds. */
  q1OpsPerSec: number;
  q3OpsPerSec: number;
  /** Median µs per op. */
  usPerOp: number;
  /** ours ops/s ÷ this row's ops/s (peers only): 7.3 means "certlab is 7.3x this peer". */
  ratio?: number;
  /** Median of the per-round ratios (a paired estimate, robust to drift). */
  pairedRatio?: number;
  samples: number[];
  note?: string;
}

export interface BenchResult {
  name: string;
  date: string;
  env: EnvInfo;
  rounds: number;
  roundMs: number;
  rows: Row[];
  notes: string[];
}

export interface EnvInfo {
  node: string;
  platform: string;
  cpu: string;
  cores: number;
  memGB: number;
}

/** A line in the end-of-run summary: an acceptance target and whether this machine meets it. */
export interface Target {
  benchmark: string;
  goal: string;
  measured: string;
  /** undefined when not measured (e.g. the benchmark failed). */
  met: boolean | undefined;
}

/** What a benchmark module's `run` returns. */
export interface ModuleReport {
  /** Markdown tables, in order, for docs. */
  tables: string[];
  targets: Target[];
  data: unknown;
}

export interface RunContext {
  /** Fewer rounds, shorter batches, smaller N: a smoke run. */
  quick: boolean;
}

export interface BenchModule {
  name: string;
  description: string;
  run(ctx: RunContext): Promise<ModuleReport>;
}

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const RESULTS_DIR = join(BENCH_DIR, 'results');

export function envInfo(): EnvInfo {
  const c = cpus();
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memGB: Math.round(totalmem() / 2 ** 30),
  };
}

export function isQuick(): boolean {
  return process.env.BENCH_QUICK === '1' || process.argv.includes('--quick');
}

// Results go here so that no operation's work can be optimised away.
let sink: unknown;
export function consume(v: unknown): void {
  sink = v;
}
export function lastSink(): unknown {
  return sink;
}

interface Runner {
  label: string;
  role: 'ours' | 'peer';
  vs?: string;
  fn: OpFn;
  async: boolean;
  batch: number;
  fixedBatch: boolean;
  samples: number[];
  note?: string;
}

function spec(impl: Impl): ImplSpec {
  return typeof impl === 'function' ? { fn: impl } : impl;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

async function timeBatch(r: Runner, n: number): Promise<number> {
  const fn = r.fn;
  const t0 = performance.now();
  if (r.async) {
    for (let i = 0; i < n; i++) sink = await fn();
  } else {
    for (let i = 0; i < n; i++) sink = fn();
  }
  return performance.now() - t0;
}

const gcFn = (globalThis as { gc?: () => void }).gc;

/** The q-quantile (0..1) with linear interpolation. */
function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/** The median (interpolated) of `xs`. */
export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

function envNumber(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * Runs `spec.ours` and every peer in interleaved rounds and returns (and prints) the table.
 *
 * @example
 * ```ts
 * await bench('cert-parse', { ours: () => parseCertificate(der).subject.toString(), peers: { 'node:crypto': () => new X509Certificate(der).subject } }, { rounds: 10 });
 * ```
 */
export async function bench(name: string, s: BenchSpec, options: BenchOptions = {}): Promise<BenchResult> {
  const quick = isQuick();
  const rounds = envNumber('BENCH_ROUNDS') ?? (quick ? 3 : (options.rounds ?? 10));
  const roundMs = envNumber('BENCH_ROUND_MS') ?? (quick ? 40 : (options.roundMs ?? 150));
  const warmup = quick ? 1 : (options.warmup ?? 2);
  const maxBatch = options.maxBatch ?? 1_000_000;
  const useGc = options.gc !== false && gcFn !== undefined;
  const oursLabel = options.oursLabel ?? 'certlab';

  const runners: Runner[] = [];
  const oursKeys: string[] = [];
  const add = (label: string, role: 'ours' | 'peer', impl: Impl, vs?: string) => {
    const sp = spec(impl);
    const batch = sp.batch ?? options.batch;
    runners.push({
      label,
      role,
      ...(vs !== undefined ? { vs } : {}),
      fn: sp.fn,
      async: false,
      batch: batch ?? 1,
      fixedBatch: batch !== undefined,
      samples: [],
      ...(sp.note !== undefined ? { note: sp.note } : {}),
    });
  };
  if (typeof s.ours === 'function' || 'fn' in s.ours) {
    add(oursLabel, 'ours', s.ours as Impl);
    oursKeys.push('');
  } else {
    for (const [k, impl] of Object.entries(s.ours)) {
      add(`${oursLabel} (${k})`, 'ours', impl);
      oursKeys.push(k);
    }
  }
  const oursLabelOf = (key: string | undefined): string => {
    if (oursKeys.length === 1 && oursKeys[0] === '') return oursLabel;
    const k = key ?? oursKeys[0]!;
    if (!oursKeys.includes(k)) throw new Error(`${name}: peer compares with unknown ours variant "${k}"`);
    return `${oursLabel} (${k})`;
  };
  for (const [label, impl] of Object.entries(s.peers)) add(label, 'peer', impl, oursLabelOf(spec(impl).vs));

  process.stderr.write(
    `\n▶ ${name}: ${runners.length} implementations, ${rounds} rounds of ~${roundMs} ms each\n`,
  );

  // Warm-up and calibration: one call tells sync from async and surfaces errors early.
  for (const r of runners) {
    let first: unknown;
    try {
      first = r.fn();
      if (isThenable(first)) {
        r.async = true;
        sink = await first;
      } else sink = first;
    } catch (e) {
      throw new Error(
        `${name}: "${r.label}" failed on its first call: ${e instanceof Error ? e.stack : String(e)}`,
      );
    }
    if (r.fixedBatch) {
      await timeBatch(r, Math.min(r.batch, 3));
      continue;
    }
    let n = 1;
    let t = await timeBatch(r, n);
    while (t < roundMs / 4 && n < maxBatch) {
      n = Math.min(maxBatch, n * 2);
      t = await timeBatch(r, n);
    }
    r.batch = Math.max(1, Math.min(maxBatch, Math.round((n * roundMs) / Math.max(t, 0.001))));
  }

  const runRound = async (round: number, record: boolean) => {
    for (let i = 0; i < runners.length; i++) {
      const r = runners[(i + round) % runners.length]!;
      if (useGc) gcFn!();
      const ms = await timeBatch(r, r.batch);
      if (record) r.samples.push((r.batch * 1000) / ms);
    }
  };
  // Warm-up rounds, interleaved like the timed ones; then re-size each calibrated batch from
  // the warm-up throughput (the first calibration runs cold code and can be far off).
  for (let round = 0; round < warmup; round++) await runRound(round, true);
  for (const r of runners) {
    if (!r.fixedBatch && r.samples.length) {
      r.batch = Math.max(1, Math.min(maxBatch, Math.round((median(r.samples) * roundMs) / 1000)));
    }
    r.samples = [];
  }
  for (let round = 0; round < rounds; round++) await runRound(warmup + round, true);

  const rows: Row[] = runners.map((r) => {
    const ops = median(r.samples);
    return {
      label: r.label,
      role: r.role,
      ...(r.vs !== undefined ? { vs: r.vs } : {}),
      batch: r.batch,
      rounds: r.samples.length,
      opsPerSec: ops,
      minOpsPerSec: Math.min(...r.samples),
      maxOpsPerSec: Math.max(...r.samples),
      q1OpsPerSec: quantile(r.samples, 0.25),
      q3OpsPerSec: quantile(r.samples, 0.75),
      usPerOp: 1e6 / ops,
      samples: r.samples,
      ...(r.note !== undefined ? { note: r.note } : {}),
    };
  });
  for (const row of rows) {
    if (row.role !== 'peer') continue;
    const base = rows.find((x) => x.label === row.vs)!;
    row.ratio = base.opsPerSec / row.opsPerSec;
    row.pairedRatio = median(base.samples.map((v, i) => v / row.samples[i]!));
  }
  const result: BenchResult = {
    name,
    date: new Date().toISOString(),
    env: envInfo(),
    rounds,
    roundMs,
    rows,
    notes: s.notes ?? [],
  };
  console.log(formatResult(result));
  return result;
}

// --- formatting --------------------------------------------------------------------------------

export function fmtNum(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return String(n);
  if (digits === 0 && Math.abs(n) < 100) return n.toPrecision(3);
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function fmtRatio(r: number): string {
  return `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}x`;
}

export function fmtUs(us: number): string {
  if (us >= 1000) return `${(us / 1000).toFixed(2)} ms`;
  return `${us.toPrecision(3)} µs`;
}

/** A Markdown (pipe) table, padded so that it also reads well in a terminal. */
export function markdownTable(headers: string[], rows: string[][], align?: ('l' | 'r')[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const a = align ?? headers.map((_, i) => (i === 0 ? 'l' : 'r'));
  const pad = (s: string, i: number) => (a[i] === 'r' ? s.padStart(widths[i]!) : s.padEnd(widths[i]!));
  const line = (cells: string[]) => `| ${cells.map((c, i) => pad(c, i)).join(' | ')} |`;
  const sep = `|${widths.map((w, i) => (a[i] === 'r' ? `${'-'.repeat(w + 1)}:` : `:${'-'.repeat(w + 1)}`)).join('|')}|`;
  return [line(headers), sep, ...rows.map(line)].join('\n');
}

export function resultTable(r: BenchResult): string {
  const multi = r.rows.filter((x) => x.role === 'ours').length > 1;
  const headers = [
    'implementation',
    'ops/s (median)',
    'spread',
    'time/op',
    'ops/round',
    multi ? 'certlab ÷ peer (vs row)' : 'certlab ÷ peer',
  ];
  const body = r.rows.map((row) => {
    const spread = ((row.q3OpsPerSec - row.q1OpsPerSec) / 2 / row.opsPerSec) * 100;
    let ratio = row.role === 'ours' ? '—' : fmtRatio(row.ratio!);
    if (multi && row.role === 'peer') ratio += ` (vs ${row.vs})`;
    return [
      row.label,
      fmtNum(row.opsPerSec),
      `±${spread.toFixed(0)}%`,
      fmtUs(row.usPerOp),
      String(row.batch),
      ratio,
    ];
  });
  return markdownTable(headers, body);
}

export function formatResult(r: BenchResult): string {
  const out = [`\n### ${r.name}\n`, resultTable(r), ''];
  for (const row of r.rows) {
    if (row.role !== 'peer') continue;
    const ratio = row.ratio!;
    const verdict = ratio >= 1 ? 'faster' : 'slower';
    const times = ratio >= 1 ? fmtRatio(ratio) : fmtRatio(1 / ratio);
    out.push(
      `- ${row.vs} is ${fmtRatio(ratio)} ${row.label} (${times} ${verdict}; paired per-round median ${fmtRatio(row.pairedRatio!)})`,
    );
  }
  for (const row of r.rows) if (row.note) out.push(`- ${row.label}: ${row.note}`);
  for (const n of r.notes) out.push(`- ${n}`);
  out.push(
    `\n${r.rounds} interleaved rounds, ~${r.roundMs} ms per batch, median ops/s; spread = half the interquartile range over rounds, relative to the median. ${r.env.node}, ${r.env.cores} × ${r.env.cpu}.`,
  );
  return out.join('\n');
}

export function rowByLabel(r: BenchResult, label: string): Row {
  const row = r.rows.find((x) => x.label === label);
  if (!row) throw new Error(`${r.name}: no row "${label}"`);
  return row;
}

/** Writes JSON to bench/results/<name>.json (the directory is gitignored). */
export function writeJson(name: string, data: unknown): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}
