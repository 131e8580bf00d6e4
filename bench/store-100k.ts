// store-100k: a simulated machine (@certlab/store-sim) whose LocalMachine\My holds 100,000
// certificates: thumbprint lookups (µs), building and checking the chain of a leaf (ms), the
// memory the machine holds (RSS, heap), and opening the machine again from a directory adapter
// (seconds). A report, not a test.
//
// The filler certificates are copies of one signed leaf whose last 4 serial octets hold the
// index (as memory-100k does): each is a distinct certificate with its own thumbprint; their
// signatures no longer verify, which storing, indexing and looking up never check. The chain
// that is built is the real one: root (LocalMachine\Root) → issuing CA (LocalMachine\CA) →
// leaf (LocalMachine\My, among the 100,000).

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  basicConstraints,
  createCertificate,
  encodePem,
  extKeyUsage,
  generateKeyPair,
  keyUsage,
  parseCertificate,
  subjectAltName,
} from '@certlab/pki';
import { buildChain, DirectoryStoreAdapter, Machine, MemoryStoreAdapter } from '@certlab/store-sim';
import { serialLocation } from './fixtures.js';
import { type BenchModule, consume, envInfo, markdownTable, type Target, writeJson } from './harness.js';

const NAME = 'store-100k';
const MB = 1024 * 1024;
const FULL = 100_000;
const TARGET_MB = 400;
const TARGET_FIND_US = 100;
const TARGET_CHAIN_MS = 1;
const TARGET_LOAD_S = 4;

function gcNow(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 3; i++) gc();
}

const mb = (b: number) => (b / MB).toFixed(1);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A copy of `der` with the last 4 serial octets set to `i`. */
function copyWithSerial(der: Uint8Array, end: number, i: number): Uint8Array {
  const c = new Uint8Array(der);
  c[end - 4] = i >>> 24;
  c[end - 3] = (i >>> 16) & 0xff;
  c[end - 2] = (i >>> 8) & 0xff;
  c[end - 1] = i & 0xff;
  return c;
}

/** Microseconds per call of `fn(i)`, median of 5 runs of `n` calls. */
function usPer(n: number, fn: (i: number) => unknown): number {
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) consume(fn(i));
    runs.push(((performance.now() - t0) * 1000) / n);
  }
  return median(runs);
}

const mod: BenchModule = {
  name: NAME,
  description:
    'a machine with 100k certificates in LocalMachine\\My: find, chain build, memory, directory load',
  async run(ctx) {
    const n = ctx.quick ? 10_000 : FULL;
    process.stderr.write(`\n▶ ${NAME}: ${n.toLocaleString('en-US')} certificates in LocalMachine\\My\n`);

    // --- the real chain ---------------------------------------------------------------------
    const now = Date.now();
    const notBefore = new Date(now - 86_400_000);
    const notAfter = new Date(now + 365 * 86_400_000);
    const [rootK, icaK, leafK] = await Promise.all(
      [0, 1, 2].map(() => generateKeyPair({ type: 'ec', curve: 'P-256' })),
    );
    const caExt = [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])];
    const root = await createCertificate({
      subject: 'CN=Bench Root, O=Contoso, C=FR',
      publicKey: rootK!.publicKey,
      signingKey: rootK!.privateKey,
      notBefore,
      notAfter,
      extensions: caExt,
    });
    const ica = await createCertificate({
      subject: 'CN=Bench Issuing CA, O=Contoso, C=FR',
      publicKey: icaK!.publicKey,
      signingKey: rootK!.privateKey,
      issuer: root,
      notBefore,
      notAfter,
      extensions: caExt,
    });
    const leaf = await createCertificate({
      subject: 'CN=ex01.contoso.com, O=Contoso, C=FR',
      publicKey: leafK!.publicKey,
      signingKey: icaK!.privateKey,
      issuer: ica,
      notBefore,
      notAfter,
      serialNumber: '7a0000000000000000000001ffffffff',
      extensions: [
        basicConstraints({ ca: false }),
        keyUsage(['digitalSignature']),
        extKeyUsage(['serverAuth', 'clientAuth']),
        subjectAltName([
          { type: 'dns', value: 'ex01.contoso.com' },
          { type: 'dns', value: 'mail.contoso.com' },
          { type: 'dns', value: 'autodiscover.contoso.com' },
        ]),
      ],
    });
    const leafThumb = await leaf.thumbprint();
    const template = new Uint8Array(leaf.der);
    const { offset, length } = serialLocation(template);
    const end = offset + length;

    // --- memory machine: fill, RSS held ---------------------------------------------------------
    gcNow();
    const before = process.memoryUsage();
    const tFill = performance.now();
    let machine: Machine | undefined = await Machine.open({
      name: 'EX01',
      adapter: new MemoryStoreAdapter(),
    });
    await machine.store('LocalMachine', 'Root').add(root);
    await machine.store('LocalMachine', 'CA').add(ica);
    const my = machine.store('LocalMachine', 'My');
    await my.add(leaf);
    for (let i = 1; i < n; i++) await my.add(parseCertificate(copyWithSerial(template, end, i)));
    const fillS = (performance.now() - tFill) / 1000;
    gcNow();
    const after = process.memoryUsage();
    const held = {
      rss: after.rss - before.rss,
      heapUsed: after.heapUsed - before.heapUsed,
      arrayBuffers: after.arrayBuffers - before.arrayBuffers,
    };
    const count = my.list().length;
    if (count !== n) throw new Error(`LocalMachine\\My holds ${count}, expected ${n}`);
    process.stderr.write(
      `  memory machine: ${n} added in ${fillS.toFixed(1)} s, RSS +${mb(held.rss)} MB, heap +${mb(held.heapUsed)} MB\n`,
    );

    // --- find by thumbprint --------------------------------------------------------------------
    const thumbs = my.list().map((e) => e.thumbprint);
    const LOOKUPS = 100_000;
    const picks = Array.from({ length: LOOKUPS }, (_, i) => thumbs[(i * 7919) % thumbs.length]!);
    const lower = picks.map((t) =>
      t
        .toLowerCase()
        .replace(/(.{8})/g, '$1 ')
        .trim(),
    );
    const m = machine;
    for (let i = 0; i < 20_000; i++) consume(my.get(picks[i]!));
    const getUs = usPer(LOOKUPS, (i) => my.get(picks[i]!));
    const getSpacedUs = usPer(LOOKUPS, (i) => my.get(lower[i]!));
    const locateUs = usPer(LOOKUPS, (i) => m.locate(picks[i]!));
    const misses = picks.map((t) => `${t.slice(0, 39)}${t.endsWith('0') ? '1' : '0'}`);
    const missUs = usPer(LOOKUPS, (i) => my.get(misses[i]!));
    const cuUs = usPer(LOOKUPS, (i) => m.store('CurrentUser', 'My').get(picks[i]!));
    const t0Scan = performance.now();
    const bySubject = m.find({ location: 'LocalMachine', store: 'My', subject: 'ex01.contoso.com' });
    const scanMs = performance.now() - t0Scan;
    if (bySubject.length !== n) throw new Error(`subject scan found ${bySubject.length}`);
    process.stderr.write(
      `  find: get ${getUs.toFixed(2)} µs, locate ${locateUs.toFixed(2)} µs, subject scan ${scanMs.toFixed(0)} ms\n`,
    );

    // --- chain build ---------------------------------------------------------------------------
    const options = { context: 'LocalMachine', usage: 'serverAuth' } as const;
    const tCold = performance.now();
    const first = await buildChain(m, leafThumb, options);
    const coldMs = performance.now() - tCold;
    if (!first.trusted || first.elements.length !== 3)
      throw new Error(`chain not trusted: ${first.errors.join(', ')} (${first.elements.length} elements)`);
    for (let i = 0; i < 50; i++) consume(await buildChain(m, leafThumb, options));
    const chainRuns: number[] = [];
    for (let r = 0; r < 7; r++) {
      const k = 200;
      const t = performance.now();
      for (let i = 0; i < k; i++) consume(await buildChain(m, leafThumb, options));
      chainRuns.push((performance.now() - t) / k);
    }
    const chainMs = median(chainRuns);
    // A fresh Certificate object each time: nothing cached on the leaf (parse + key import + verify).
    const freshRuns: number[] = [];
    for (let r = 0; r < 5; r++) {
      const k = 100;
      const t = performance.now();
      for (let i = 0; i < k; i++) consume(await buildChain(m, parseCertificate(template), options));
      freshRuns.push((performance.now() - t) / k);
    }
    const freshMs = median(freshRuns);
    process.stderr.write(
      `  chain: ${chainMs.toFixed(3)} ms warm, ${freshMs.toFixed(3)} ms fresh leaf, ${coldMs.toFixed(1)} ms first\n`,
    );

    // --- directory adapter: write the same machine as files, load it ------------------------------
    const dir = await mkdtemp(join(tmpdir(), 'certlab-bench-store-'));
    let dirLoadS = 0;
    let dirReopenS = 0;
    let dirReopenHeld = 0;
    let dirReopenFrom = '';
    let dirHeld = 0;
    let dirRssAfter = 0;
    let durableMs = 0;
    try {
      const myDir = join(dir, 'LocalMachine', 'My');
      await mkdir(myDir, { recursive: true });
      const tWrite = performance.now();
      const entries = m.store('LocalMachine', 'My').list();
      for (let i = 0; i < entries.length; i += 256)
        await Promise.all(
          entries
            .slice(i, i + 256)
            .map((e) =>
              writeFile(join(myDir, `${e.thumbprint}.cer`), encodePem('CERTIFICATE', e.certificate.der)),
            ),
        );
      const writeS = (performance.now() - tWrite) / 1000;
      // Durable writes (temp + fsync + rename) through the adapter, for scale: a sample.
      const adapter = new DirectoryStoreAdapter(dir);
      const dm = await Machine.open({ name: 'EX01', adapter });
      await dm.store('LocalMachine', 'Root').add(root);
      await dm.store('LocalMachine', 'CA').add(ica);
      const SAMPLE = 200;
      const tDur = performance.now();
      for (let i = 0; i < SAMPLE; i++)
        await dm.store('LocalMachine', 'Trust').add(parseCertificate(copyWithSerial(template, end, n + i)));
      durableMs = (performance.now() - tDur) / SAMPLE;
      await rm(join(dir, 'LocalMachine', 'Trust'), { recursive: true, force: true });

      // Drop the memory machine, then open the directory.
      machine = undefined;
      entries.length = 0;
      thumbs.length = 0;
      picks.length = 0;
      lower.length = 0;
      misses.length = 0;
      bySubject.length = 0;
      gcNow();
      const beforeLoad = process.memoryUsage();
      const tLoad = performance.now();
      const loaded = await Machine.open({ name: 'EX01', adapter: new DirectoryStoreAdapter(dir) });
      dirLoadS = (performance.now() - tLoad) / 1000;
      gcNow();
      const afterLoad = process.memoryUsage();
      dirHeld = afterLoad.heapUsed + afterLoad.arrayBuffers - beforeLoad.heapUsed - beforeLoad.arrayBuffers;
      dirRssAfter = afterLoad.rss;
      const c = await buildChain(loaded, leafThumb, options);
      if (!c.trusted) throw new Error('chain not trusted after loading the directory');
      if (loaded.store('LocalMachine', 'My').list().length !== n)
        throw new Error('directory load lost certificates');
      // A restart: the first open left the load cache; the files are unchanged, so only their
      // stat() is checked against it.
      const firstLoad = loaded;
      const beforeReopen = process.memoryUsage();
      const reopenAdapter = new DirectoryStoreAdapter(dir);
      const tReopen = performance.now();
      const reopened = await Machine.open({ name: 'EX01', adapter: reopenAdapter });
      dirReopenS = (performance.now() - tReopen) / 1000;
      const last = reopenAdapter.loads.get('LocalMachine\\My');
      dirReopenFrom = last ? `${last.fromCache} from the cache, ${last.fromFiles} files read` : '';
      if (reopened.store('LocalMachine', 'My').list().length !== n || firstLoad.physicalStores().length === 0)
        throw new Error('directory reopen lost certificates');
      gcNow();
      const afterReopen = process.memoryUsage();
      dirReopenHeld =
        afterReopen.heapUsed + afterReopen.arrayBuffers - beforeReopen.heapUsed - beforeReopen.arrayBuffers;
      process.stderr.write(
        `  directory: ${n} files written in ${writeS.toFixed(1)} s, loaded in ${dirLoadS.toFixed(1)} s (no cache), reopened in ${dirReopenS.toFixed(1)} s (${dirReopenFrom}), durable add ${durableMs.toFixed(2)} ms\n`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    const N = n.toLocaleString('en-US');
    const rows = [
      [
        'fill: store.add × N (memory adapter)',
        `${fillS.toFixed(1)} s`,
        `${((fillS * 1e6) / n).toFixed(1)} µs per add`,
      ],
      [
        'RSS held by the machine',
        `${mb(held.rss)} MB`,
        `${(held.rss / n / 1024).toFixed(2)} KB per certificate`,
      ],
      [
        'heap + ArrayBuffers held',
        `${mb(held.heapUsed + held.arrayBuffers)} MB`,
        `ArrayBuffers ${mb(held.arrayBuffers)} MB`,
      ],
      ['store.get(thumbprint), LocalMachine\\My', `${getUs.toFixed(2)} µs`, 'logical view, hit'],
      [
        'store.get("aabbccdd eeff…")',
        `${getSpacedUs.toFixed(2)} µs`,
        'lower case with spaces: normalised first',
      ],
      ['store.get, miss', `${missUs.toFixed(2)} µs`, ''],
      [
        'CurrentUser\\My store.get (miss, 2 members)',
        `${cuUs.toFixed(2)} µs`,
        'includes machine.store() itself',
      ],
      ['machine.locate(thumbprint)', `${locateUs.toFixed(2)} µs`, 'every physical copy'],
      ['find({ subject }) over N', `${scanMs.toFixed(0)} ms`, 'a scan: subject match is not indexed'],
      [
        'buildChain(leaf), serverAuth, LocalMachine',
        `${chainMs.toFixed(3)} ms`,
        '3 elements, leaf Certificate reused',
      ],
      ['buildChain(fresh leaf object)', `${freshMs.toFixed(3)} ms`, 'parse + key import + signature check'],
      ['buildChain, first call', `${coldMs.toFixed(1)} ms`, 'cold JIT, CryptoKey imports'],
      ['directory: durable store.add', `${durableMs.toFixed(2)} ms`, `temp + fsync + rename, ${200} samples`],
      [
        'directory: Machine.open (load N), no cache',
        `${dirLoadS.toFixed(1)} s`,
        `every file read; heap + buffers ${mb(dirHeld)} MB, process RSS ${mb(dirRssAfter)} MB`,
      ],
      [
        'directory: Machine.open again (restart)',
        `${dirReopenS.toFixed(1)} s`,
        `${dirReopenFrom}; heap + buffers ${mb(dirReopenHeld)} MB`,
      ],
    ];
    const lines = [
      `\n### ${NAME}\n`,
      markdownTable(['measure', `N = ${N}`, 'note'], rows, ['l', 'r', 'l']),
      '',
      `- One process: a root in LocalMachine\\Root, an issuing CA in LocalMachine\\CA, and ${N} P-256 leaves in LocalMachine\\My (${template.length}-byte DER; all but one are copies of the real leaf with the serial varied). The chain is built for the real leaf, checked as trusted.`,
      "- RSS held: gc ×3 and process.memoryUsage() before the machine is opened and after the last add; it counts the parsed certificates, the indexes and the memory adapter's own copy of every DER.",
      '- Lookups: median of 5 runs of 100,000 calls over thumbprints spread across the store.',
      "- Directory: the N certificates are written as files in the adapter's layout (plain writes; the durable-add line times the adapter's own temp + fsync + rename path on a sample), then a new Machine is opened on the directory (no load cache yet: every file is read, and the cache is written), then another (a restart: every file is stat()ed and taken from the cache).",
      `\n${envInfo().node}, ${envInfo().cores} × ${envInfo().cpu}.`,
    ];
    console.log(lines.join('\n'));

    const scale = FULL / n;
    const targets: Target[] = [
      {
        benchmark: NAME,
        goal: `find by thumbprint in microseconds (< ${TARGET_FIND_US} µs) among ${FULL.toLocaleString('en-US')}`,
        measured: `${getUs.toFixed(2)} µs (store.get), ${locateUs.toFixed(2)} µs (locate)${scale !== 1 ? ` at N = ${N}` : ''}`,
        met: getUs < TARGET_FIND_US,
      },
      {
        benchmark: NAME,
        goal: `chain build for a leaf well under ${TARGET_CHAIN_MS} ms`,
        measured: `${chainMs.toFixed(3)} ms (fresh leaf object ${freshMs.toFixed(3)} ms)`,
        met: chainMs < TARGET_CHAIN_MS,
      },
      {
        benchmark: NAME,
        goal: `≤ ${TARGET_MB} MB RSS held by a machine with ${FULL.toLocaleString('en-US')} certificates`,
        measured: `${mb(held.rss * scale)} MB${scale !== 1 ? ` (extrapolated ×${scale}: quick run)` : ''}`,
        met: held.rss * scale <= TARGET_MB * MB,
      },
      {
        benchmark: NAME,
        goal: `load the machine from the directory adapter in seconds (≤ ${TARGET_LOAD_S} s)`,
        measured: `${(dirLoadS * scale).toFixed(1)} s first open (no cache), ${(dirReopenS * scale).toFixed(1)} s reopen${scale !== 1 ? ` (extrapolated ×${scale}: quick run)` : ''}`,
        met: dirLoadS * scale <= TARGET_LOAD_S,
      },
    ];
    const data = {
      name: NAME,
      date: new Date().toISOString(),
      env: envInfo(),
      n,
      fillS,
      held,
      lookupsUs: {
        get: getUs,
        getSpaced: getSpacedUs,
        miss: missUs,
        currentUserMiss: cuUs,
        locate: locateUs,
      },
      subjectScanMs: scanMs,
      chainMs: { warm: chainMs, freshLeaf: freshMs, first: coldMs },
      directory: {
        loadS: dirLoadS,
        reopenS: dirReopenS,
        reopen: dirReopenFrom,
        heldBytes: dirHeld,
        reopenHeldBytes: dirReopenHeld,
        rssAfter: dirRssAfter,
        durableAddMs: durableMs,
      },
    };
    writeJson(NAME, data);
    return { tables: [lines.join('\n')], targets, data };
  },
};

export default mod;
