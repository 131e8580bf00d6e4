// memory-100k: RSS and heap held by N parsed certificates, each library in its own child
// process (bench/memory-child.ts) so that they do not disturb each other. certlab and
// node:crypto are measured at N = 100,000; pkijs, @peculiar/x509 and node-forge at N = 10,000
// and extrapolated linearly to 100,000 (labelled as such).

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { makeFixtures } from './fixtures.js';
import { BENCH_DIR, type BenchModule, envInfo, markdownTable, type Target, writeJson } from './harness.js';
import type { MemoryChildResult } from './memory-child.js';

const NAME = 'memory-100k';
const MB = 1024 * 1024;
const FULL = 100_000;
const TARGET_MB = 400;

interface Lib {
  id: string;
  label: string;
  n: number;
}

function runChild(lib: string, n: number, derPath: string): MemoryChildResult {
  const args = [
    '--expose-gc',
    '--max-old-space-size=8192',
    '--conditions=source',
    '--import',
    'tsx',
    join(BENCH_DIR, 'memory-child.ts'),
    lib,
    String(n),
    derPath,
  ];
  const r = spawnSync(process.execPath, args, {
    cwd: join(BENCH_DIR, '..'),
    encoding: 'utf8',
    maxBuffer: 64 * MB,
  });
  if (r.status !== 0)
    throw new Error(`memory-child ${lib} ${n} failed (${r.status ?? r.signal}):\n${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as MemoryChildResult;
}

const mb = (b: number) => (b / MB).toFixed(1);

const mod: BenchModule = {
  name: NAME,
  description: 'RSS and heap held by 100k parsed certificates (+ .subject), one child process per library',
  async run(ctx) {
    const f = makeFixtures();
    const full = ctx.quick ? 10_000 : FULL;
    const small = full / 10;
    const libs: Lib[] = [
      { id: 'certlab', label: 'certlab', n: full },
      { id: 'node', label: 'node:crypto X509Certificate', n: full },
      { id: 'pkijs', label: 'pkijs', n: small },
      { id: 'x509', label: '@peculiar/x509', n: small },
      { id: 'forge', label: 'node-forge', n: small },
    ];
    process.stderr.write(
      `\n▶ ${NAME}: ${libs.map((l) => `${l.id}×${l.n}`).join(', ')} (one child process each)\n`,
    );
    const results: (MemoryChildResult & { label: string; scale: number })[] = [];
    for (const l of libs) {
      const t0 = Date.now();
      const r = runChild(l.id, l.n, f.leafDerPath);
      process.stderr.write(
        `  ${l.label}: ${l.n} parsed in ${(r.parseMs / 1000).toFixed(1)} s, RSS +${mb(r.rss)} MB (child ${((Date.now() - t0) / 1000).toFixed(1)} s)\n`,
      );
      results.push({ ...r, label: l.label, scale: full / l.n });
    }

    const headers = [
      'library',
      'N parsed',
      'RSS held',
      'heap held',
      'ArrayBuffers held',
      'RSS / cert',
      `RSS for ${full.toLocaleString('en-US')}`,
      `heap for ${full.toLocaleString('en-US')}`,
      'process RSS after',
      'parse + .subject',
    ];
    const rows = results.map((r) => {
      const ext = r.scale === 1 ? '' : ` (×${r.scale} extrapolated)`;
      return [
        r.label,
        r.n.toLocaleString('en-US'),
        `${mb(r.rss)} MB`,
        `${mb(r.heapUsed)} MB`,
        `${mb(r.arrayBuffers)} MB`,
        `${(r.rss / r.n / 1024).toFixed(2)} KB`,
        `${mb(r.rss * r.scale)} MB${ext}`,
        `${mb(r.heapUsed * r.scale)} MB${ext}`,
        `${mb(r.after.rss)} MB`,
        `${((r.parseMs * 1000) / r.n).toFixed(1)} µs/cert`,
      ];
    });
    const table = markdownTable(headers, rows);
    const ours = results[0]!;
    const lines = [
      `\n### ${NAME}\n`,
      table,
      '',
      `- Each library runs in its own process: warm-up on 200 copies, gc, baseline, then ${full.toLocaleString('en-US')} (or ${small.toLocaleString('en-US')}) distinct copies of a ${ours.derBytes}-byte leaf (serial varied) made one at a time, parsed, \`.subject\` touched, every parsed object kept in an array; gc ×3; memoryUsage() minus the baseline.`,
      '- "held" counts everything the parsed objects retain, including the input DER when a library keeps a reference to it (certlab does: ~1 KB per certificate shows under ArrayBuffers); the harness itself keeps no input buffers.',
      '- node:crypto keeps the parsed certificate in OpenSSL (native memory): it shows in RSS only, not in the V8 heap.',
      `- "process RSS after" is the whole child process (node + tsx + the library + the parsed certificates).`,
      `\n${envInfo().node}, ${envInfo().cores} × ${envInfo().cpu}.`,
    ];
    console.log(lines.join('\n'));

    const oursScale = FULL / ours.n;
    const oursAt100k = ours.rss * oursScale;
    const targets: Target[] = [
      {
        benchmark: NAME,
        goal: `certlab: ≤ ${TARGET_MB} MB RSS held by ${FULL.toLocaleString('en-US')} parsed certificates`,
        measured: `${mb(oursAt100k)} MB held${oursScale !== 1 ? ` (extrapolated ×${oursScale}: quick run)` : ''}; whole process ${mb(ours.after.rss)} MB`,
        met: oursAt100k <= TARGET_MB * MB,
      },
    ];
    const pk = results.find((r) => r.lib === 'pkijs');
    if (pk) {
      targets.push({
        benchmark: NAME,
        goal: 'certlab holds less than pkijs for the same N (informational)',
        measured: `${((pk.rss * (FULL / pk.n)) / oursAt100k).toFixed(1)}x less (pkijs ${mb(pk.rss * (FULL / pk.n))} MB, extrapolated from ${pk.n.toLocaleString('en-US')})`,
        met: pk.rss * (FULL / pk.n) > oursAt100k,
      });
    }
    const data = { name: NAME, date: new Date().toISOString(), env: envInfo(), results };
    writeJson(NAME, data);
    return { tables: [lines.join('\n')], targets, data };
  },
};

export default mod;
