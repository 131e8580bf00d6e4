// One process at a time on a PGlite directory: a second opener is refused with a message naming
// the holder, the lock goes with close(), and a lock left by a dead process is taken over.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
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
    const lockFile = `${dir}.lock`;
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
    await writeFile(`${dir}.lock`, JSON.stringify(other));
    const e = await refusal(dir);
    expect(e.message).toContain(`process ${process.ppid}, since 2026-11-30T10:00:00.000Z`);
    expect(e.message).toContain('certlab serve');
    expect(JSON.parse(await readFile(`${dir}.lock`, 'utf8'))).toEqual(other);
  });

  it('takes over a lock whose process is gone, or that is empty', async () => {
    const { store, dir } = await factory.open();
    await store.close();
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const dead = Number(child.stdout);
    expect(dead).toBeGreaterThan(0);
    await writeFile(`${dir}.lock`, JSON.stringify({ pid: dead, host: hostname(), since: 'x' }));
    const s1 = await openPgliteStore({ dataDir: dir });
    expect(JSON.parse(await readFile(`${dir}.lock`, 'utf8')).pid).toBe(process.pid);
    await s1.close();
    // An empty lock is a creator caught between create and write while it is new; an old one is left over.
    await writeFile(`${dir}.lock`, '');
    await utimes(`${dir}.lock`, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const s2 = await openPgliteStore({ dataDir: dir });
    await s2.close();
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });

  it('waits for a new empty lock to be written, then refuses if it still names no one', async () => {
    const { store, dir } = await factory.open();
    await store.close();
    await writeFile(`${dir}.lock`, '');
    const started = Date.now();
    const e = await refusal(dir);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(e.message).toContain('another process');
  });

  it('never takes over a lock held from another host', async () => {
    const { store, dir } = await factory.open();
    await store.close();
    await writeFile(`${dir}.lock`, JSON.stringify({ pid: 1, host: 'elsewhere.invalid', since: 'y' }));
    const e = await refusal(dir);
    expect(e.message).toContain('process 1 on elsewhere.invalid');
  });
});
