// The lock around a file a tool rewrites whole (a Java keystore): one writer at a time, a lock
// left by a process that is gone (or by an earlier life of this pid) taken over, a live holder
// waited for and then reported.

import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStoreError } from '../src/errors.js';
import { withFileLock } from '../src/trust/lock.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certlab-lock-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const owner = (pid: number, host = hostname()) =>
  `${JSON.stringify({ pid, host, since: '2026-12-01T00:00:00Z' })}\n`;

/** A pid that no process has: above the kernel's limit. */
const DEAD_PID = 2 ** 22 + 7;

describe('withFileLock', () => {
  it('runs the calls of one process one after the other and removes the lock', async () => {
    const lock = join(dir, 'a.lock');
    const order: string[] = [];
    const slow = (name: string) =>
      withFileLock(lock, 'the test file', async () => {
        order.push(`${name} in`);
        await new Promise((r) => setTimeout(r, 20));
        order.push(`${name} out`);
      });
    await Promise.all([slow('one'), slow('two'), slow('three')]);
    expect(order).toEqual(['one in', 'one out', 'two in', 'two out', 'three in', 'three out']);
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over a lock of a process that is gone, and one naming this very pid (a former life)', async () => {
    for (const pid of [DEAD_PID, process.pid]) {
      const lock = join(dir, `stale-${pid}.lock`);
      await writeFile(lock, owner(pid));
      let held = '';
      await withFileLock(lock, 'the test file', async () => {
        held = await readFile(lock, 'utf8');
      });
      expect(JSON.parse(held)).toMatchObject({ pid: process.pid, host: hostname() });
      expect(existsSync(lock)).toBe(false);
    }
  });

  it("waits for a live holder, then says who holds it; another host's lock is never taken over", async () => {
    for (const text of [owner(1), owner(DEAD_PID, 'another-host.contoso.com')]) {
      const lock = join(dir, 'held.lock');
      await writeFile(lock, text);
      let ran = false;
      const err = await withFileLock(
        lock,
        'the test file',
        async () => {
          ran = true;
        },
        150,
      ).catch((e: unknown) => e);
      expect(ran).toBe(false);
      expect(isStoreError(err, 'ERR_STORE_IO')).toBe(true);
      expect((err as Error).message).toContain(`is being changed by process ${JSON.parse(text).pid}`);
      expect(await readFile(lock, 'utf8')).toBe(text);
    }
  });
});
