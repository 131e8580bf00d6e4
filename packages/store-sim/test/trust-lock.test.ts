// The lock around a file a tool rewrites whole (a Java keystore): one writer at a time, a lock
// left by a process that is gone (or by an earlier life of this pid) taken over, a live holder
// waited for and then reported.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
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

// Real processes, as two certlab runs on one keystore are: node with the tsx loader (not the tsx
// CLI, whose own child a SIGKILL would not reach), as directory.test.ts's writers.
const TSX_LOADER = pathToFileURL(
  resolve(import.meta.dirname, '../../../node_modules/tsx/dist/loader.mjs'),
).href;
const LOCKER = resolve(import.meta.dirname, 'helpers/locker.ts');

interface Locker {
  child: ChildProcess;
  /** Resolves when the child has printed `line`. */
  said(line: string): Promise<void>;
  exit: Promise<number | null>;
}

function locker(...args: string[]): Locker {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, '--conditions=source', LOCKER, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiting: { line: string; res: () => void }[] = [];
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of waiting.filter((x) => out.split('\n').includes(x.line))) {
      waiting.splice(waiting.indexOf(w), 1);
      w.res();
    }
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exit = new Promise<number | null>((res) =>
    child.on('exit', (code) => {
      if (code) console.error(err);
      res(code);
    }),
  );
  const said = (line: string) =>
    out.split('\n').includes(line)
      ? Promise.resolve()
      : // Never waits forever: a child that exits first fails the wait with what it said.
        Promise.race([
          new Promise<void>((res) => waiting.push({ line, res })),
          exit.then((code) => {
            throw new Error(`the locker exited (${code}) before "${line}": ${err}`);
          }),
        ]);
  return { child, said, exit };
}

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

  it('serialises two processes: each critical section runs whole, no update is lost, no lock file is left', async () => {
    const work = join(dir, 'two-processes');
    await mkdir(work);
    const lock = join(work, 'KEYSTORE.lock');
    const log = join(work, 'log');
    const counter = join(work, 'counter');
    const ROUNDS = 15;
    const a = locker('rounds', lock, log, counter, 'A', String(ROUNDS));
    const b = locker('rounds', lock, log, counter, 'B', String(ROUNDS));
    // Both loaded before either starts: they contend from their first round on.
    await Promise.all([a.said('ready'), b.said('ready')]);
    a.child.stdin!.end();
    b.child.stdin!.end();
    expect(await a.exit).toBe(0);
    expect(await b.exit).toBe(0);
    // Every `in` is followed by its own `out`: no section of the other process in between.
    const lines = (await readFile(log, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(4 * ROUNDS);
    for (let i = 0; i < lines.length; i += 2) {
      expect(lines[i]).toMatch(/^[AB] \d+ in$/);
      expect(lines[i + 1]).toBe(lines[i]!.replace(/in$/, 'out'));
    }
    // Each process ran its rounds in order, and every read-change-rewrite counted.
    for (const tag of ['A', 'B'])
      expect(lines.filter((l) => l.startsWith(`${tag} `) && l.endsWith(' in'))).toEqual(
        Array.from({ length: ROUNDS }, (_, i) => `${tag} ${i} in`),
      );
    expect(await readFile(counter, 'utf8')).toBe(String(2 * ROUNDS));
    // No lock file, and none of the files a takeover renames aside.
    expect((await readdir(work)).sort()).toEqual(['counter', 'log']);
  });

  it('takes over the lock of a holder killed with SIGKILL (its pid is gone)', async () => {
    const work = join(dir, 'killed-holder');
    await mkdir(work);
    const lock = join(work, 'KEYSTORE.lock');
    const holder = locker('hold', lock);
    await holder.said('ready');
    holder.child.stdin!.end();
    await holder.said('holding');
    holder.child.kill('SIGKILL');
    await holder.exit;
    // The dead process's lock stays behind, naming it.
    expect(JSON.parse(await readFile(lock, 'utf8'))).toMatchObject({
      pid: holder.child.pid,
      host: hostname(),
    });
    let held = '';
    await withFileLock(lock, 'the test keystore', async () => {
      held = await readFile(lock, 'utf8');
    });
    expect(JSON.parse(held)).toMatchObject({ pid: process.pid });
    expect(await readdir(work)).toEqual([]);
  });
});
