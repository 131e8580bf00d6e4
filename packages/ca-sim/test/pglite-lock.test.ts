// One process at a time on a PGlite directory: a second opener is refused with a message naming
// the holder, the lock goes with close(), and a lock left by a dead process is taken over.

import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CaError, openPgliteStore } from '@certlab/ca-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteFactory } from './support/pglite.js';

let factory: Awaited<ReturnType<typeof pgliteFactory>>;
beforeAll(async () => {
  factory = await pgliteFactory();
});
afterAll(async () => {
  await factory?.cleanup();
});

const lockOf = (dir: string) => join(dir, 'certlab.lock');

/** The pid of a process that has already exited. */
function deadPid(): number {
  const pid = Number(
    spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
      .stdout,
  );
  expect(pid).toBeGreaterThan(0);
  return pid;
}

async function refusal(dataDir: string): Promise<CaError> {
  const e = await openPgliteStore({ dataDir }).then(
    async (s) => {
      await s.close();
      throw new Error('the second open was not refused');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CaError);
  expect((e as CaError).code).toBe('ERR_CA_STORE_IN_USE');
  return e as CaError;
}

describe('PGlite directory lock', () => {
  it('refuses a second open while the first is open, and opens again once it is closed', async () => {
    const { store, dir } = await factory.open();
    const lockFile = lockOf(dir);
    expect(JSON.parse(await readFile(lockFile, 'utf8'))).toMatchObject({
      pid: process.pid,
      host: hostname(),
    });
    const e = await refusal(dir);
    expect(e.message).toContain('this process');
    expect(e.message).toContain(lockFile);
    // The refused open left the holder's lock alone.
    expect(existsSync(lockFile)).toBe(true);
    await store.close();
    expect(existsSync(lockFile)).toBe(false);
    const again = await openPgliteStore({ dataDir: dir });
    await again.close();
  });

  it('names another live process that holds the directory and leaves its lock in place', async () => {
    const { store, dir } = await factory.open();
    await store.close();
    // The parent of this test process is alive for the whole test: a stand-in for `certlab serve`.
    const other = { pid: process.ppid, host: hostname(), since: '2026-11-30T10:00:00.000Z' };
    await writeFile(lockOf(dir), JSON.stringify(other));
    const e = await refusal(dir);
    expect(e.message).toContain(`process ${process.ppid}, since 2026-11-30T10:00:00.000Z`);
    expect(e.message).toContain('certlab serve');
    expect(JSON.parse(await readFile(lockOf(dir), 'utf8'))).toEqual(other);
  });

  it('takes over a lock whose process is gone, or that is empty', async () => {
    const { store, dir } = await factory.open();
    await store.close();
    const dead = deadPid();
    await writeFile(lockOf(dir), JSON.stringify({ pid: dead, host: hostname(), since: 'x' }));
    const s1 = await openPgliteStore({ dataDir: dir });
    expect(JSON.parse(await readFile(lockOf(dir), 'utf8')).pid).toBe(process.pid);
    await s1.close();
    // An empty lock is a creator caught between create and write while it is new; an old one is left over.
    await writeFile(lockOf(dir), '');
    await utimes(lockOf(dir), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const s2 = await openPgliteStore({ dataDir: dir });
    await s2.close();
    expect(existsSync(lockOf(dir))).toBe(false);
  });

  it('waits for a new empty lock to be written, then refuses if it still names no one', async () => {
    const { store, dir } = await factory.open();
    await store.close();
    await writeFile(lockOf(dir), '');
    const started = Date.now();
    const e = await refusal(dir);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(e.message).toContain('another process');
  });

  it('takes over a lock naming this very pid when this process does not hold it (a container restarted as pid 1)', async () => {
    const { store, dir } = await factory.open();
    await store.close();
    await writeFile(
      lockOf(dir),
      JSON.stringify({ pid: process.pid, host: hostname(), since: '2026-01-01T00:00:00.000Z' }),
    );
    const s = await openPgliteStore({ dataDir: dir });
    expect(JSON.parse(await readFile(lockOf(dir), 'utf8')).since).not.toBe('2026-01-01T00:00:00.000Z');
    await s.close();
  });

  it('never takes over a lock held from another host, even when that pid does not run here', async () => {
    const { store, dir } = await factory.open();
    await store.close();
    const dead = deadPid();
    await writeFile(lockOf(dir), JSON.stringify({ pid: dead, host: 'elsewhere.invalid', since: 'y' }));
    const e = await refusal(dir);
    expect(e.message).toContain(`process ${dead} on elsewhere.invalid`);
  });
});

describe('PGlite directory lock, several processes at once', () => {
  it('of processes racing to take over one stale lock, exactly one gets it', async () => {
    const { store, dir } = await factory.open();
    await store.close();
    await writeFile(lockOf(dir), JSON.stringify({ pid: deadPid(), host: hostname(), since: 'x' }));
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const lockModule = pathToFileURL(
      fileURLToPath(new URL('../src/store/directory-lock.ts', import.meta.url)),
    ).href;
    // Each process tries once, says what it got, and holds a lock it got for a while.
    const script = `import { lockDataDirectory } from ${JSON.stringify(lockModule)};
      try { await lockDataDirectory(${JSON.stringify(dir)}); process.stdout.write('ok'); await new Promise((r) => setTimeout(r, 1500)); }
      catch (e) { process.stdout.write(String(e.code)); }`;
    const outcomes = await Promise.all(
      Array.from(
        { length: 5 },
        () =>
          new Promise<string>((resolve, reject) => {
            execFile(
              process.execPath,
              ['--import', tsx, '--input-type=module', '-e', script],
              { encoding: 'utf8' },
              (err, stdout) => (err ? reject(err) : resolve(stdout)),
            );
          }),
      ),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'ERR_CA_STORE_IN_USE')).toHaveLength(4);
  }, 60_000);
});
