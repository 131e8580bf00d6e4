// A child process for the lock tests: contends for LOCK through withFileLock, as a second
// certlab run on the same Java keystore would. It prints `ready`, then waits for its standard
// input to end (the parent's start signal, so that both processes start together).
//
//   rounds: ROUNDS times, holding the lock, appends `TAG i in` to LOG, reads the number in
//           COUNTER, sleeps, writes it back plus one (keytool's read-change-rewrite of the whole
//           keystore), appends `TAG i out`.
//   hold:   takes the lock, prints `holding` and waits until it is killed.
//
// Usage: node --import tsx --conditions=source locker.ts rounds LOCK LOG COUNTER TAG ROUNDS
//        node --import tsx --conditions=source locker.ts hold LOCK

import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { withFileLock } from '../../src/trust/lock.js';

const [mode, lock, log, counter, tag, rounds] = process.argv.slice(2) as string[];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

process.stdout.write('ready\n');
process.stdin.resume();
await new Promise((r) => process.stdin.on('end', r));

if (mode === 'hold') {
  await withFileLock(lock!, 'the test keystore', async () => {
    process.stdout.write('holding\n');
    await new Promise(() => setInterval(() => undefined, 1_000)); // until SIGKILL
  });
} else {
  for (let i = 0; i < Number(rounds); i++)
    await withFileLock(lock!, 'the test keystore', async () => {
      await appendFile(log!, `${tag} ${i} in\n`);
      const n = Number(await readFile(counter!, 'utf8').catch(() => '0'));
      await sleep(10);
      await writeFile(counter!, String(n + 1));
      await appendFile(log!, `${tag} ${i} out\n`);
    });
}
