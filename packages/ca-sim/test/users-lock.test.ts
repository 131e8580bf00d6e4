// The write lock of a users file (users-lock.ts): callers of one process take turns, another live
// process's lock is waited for and then reported with ERR_CA_USERS_IN_USE, a dead process's lock is
// taken over, and the lock file is gone after release.

import { existsSync } from 'node:fs';
import { mkdir, symlink, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CaError, lockUsersFile, UserDirectory } from '@certlab/ca-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './support/temp.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterAll(() => cleanup());

/** A lock file as another process writes it. */
function lockText(pid: number): string {
  return `${JSON.stringify({ pid, host: hostname(), since: '2026-11-30T20:00:00.000Z' })}\n`;
}

describe('lockUsersFile', () => {
  it('lets the callers of one process change the file in turn, none losing the others’ change', async () => {
    const file = join(dir, 'users.json');
    await new UserDirectory('CONTOSO').save(file);
    const order: string[] = [];
    await Promise.all(
      ['a', 'b', 'c', 'd'].map(async (name) => {
        const lock = await lockUsersFile(file);
        try {
          order.push(`in ${name}`);
          const users = await UserDirectory.load(file);
          await users.add(name, 'Passw0rd!');
          await users.save(file);
          order.push(`out ${name}`);
        } finally {
          await lock.release();
        }
      }),
    );
    expect((await UserDirectory.load(file)).list().map((u) => u.name)).toEqual([
      'CONTOSO\\a',
      'CONTOSO\\b',
      'CONTOSO\\c',
      'CONTOSO\\d',
    ]);
    // One at a time: every "in" is followed by its own "out".
    for (let i = 0; i < order.length; i += 2) expect(order[i + 1]).toBe(order[i]!.replace('in', 'out'));
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('waits for a live process that holds it, then reports it; takes over the lock of a dead one', async () => {
    const file = join(dir, 'held.json');
    // The parent process (vitest's) is alive and is not this one.
    await writeFile(`${file}.lock`, lockText(process.ppid));
    const started = Date.now();
    const err = await lockUsersFile(file, { waitMs: 300 }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(err).toBeInstanceOf(CaError);
    expect((err as CaError).code).toBe('ERR_CA_USERS_IN_USE');
    expect((err as CaError).message).toContain(`is being changed by process ${process.ppid}`);
    // Released meanwhile: the waiting caller gets it.
    const waiting = lockUsersFile(file, { waitMs: 5_000 });
    setTimeout(() => void unlink(`${file}.lock`), 100);
    await (await waiting).release();
    // A pid that runs no process (beyond Linux's pid_max) is a dead owner's lock: taken over at once.
    await writeFile(`${file}.lock`, lockText(4_194_400));
    const lock = await lockUsersFile(file, { waitMs: 0 });
    await lock.release();
    await lock.release(); // twice is harmless
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('one lock through two spellings of a path (a symbolic link), and callers of this process count against the wait', async () => {
    await mkdir(join(dir, 'real'));
    await symlink(join(dir, 'real'), join(dir, 'link'));
    const a = await lockUsersFile(join(dir, 'real', 'users.json'));
    let bGot = false;
    const b = lockUsersFile(join(dir, 'link', 'users.json')).then((l) => {
      bGot = true;
      return l;
    });
    await new Promise((r) => setTimeout(r, 150));
    expect(bGot).toBe(false); // the same lock: B waits for A
    // A third caller with a short wait gives up while A holds it, naming this process.
    const c = await lockUsersFile(join(dir, 'real', 'users.json'), { waitMs: 100 }).catch((e: unknown) => e);
    expect((c as CaError).code).toBe('ERR_CA_USERS_IN_USE');
    expect((c as CaError).message).toContain('another caller in this process');
    await a.release();
    await (await b).release();
    expect(existsSync(join(dir, 'real', 'users.json.lock'))).toBe(false);
  });
});
