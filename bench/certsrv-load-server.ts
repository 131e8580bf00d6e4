// A server under test of bench/certsrv-load.ts, in a process of its own so that the load client
// is not charged to it:
//   node --conditions=source --import tsx bench/certsrv-load-server.ts hello
//   node --conditions=source --import tsx bench/certsrv-load-server.ts certsrv [--workers N] [--chain <file>]
//   node --conditions=source --import tsx bench/certsrv-load-server.ts certsrv-cluster [--processes N] [--chain <file>]
// It prints one line `READY <json>` ({ url, … }) on stdout once it listens, and exits when its
// stdin closes (the parent died or is done). Add --cpu-prof to the node flags to see where the
// server's time goes.

import cluster from 'node:cluster';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createAuthority, openPostgresStore, startCertsrv, UserDirectory } from '@certlab/ca-sim';
import { startPostgres } from '../packages/ca-sim/test/support/postgres-server.js';

export const LOAD_USER = { name: 'alice', password: 'alice-Passw0rd' } as const;

function argValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const kind = args[0];
  let stop: () => Promise<void>;
  let info: Record<string, unknown>;
  if (kind === 'hello') {
    // The ceiling: node:http with nothing behind it (the same keep-alive settings as certsrv).
    const body = Buffer.from('hello\n');
    const server = createServer({ keepAliveTimeout: 120_000 }, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': String(body.length) });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    info = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  } else if (kind === 'certsrv') {
    const workers = Number(argValue(args, '--workers') ?? 0);
    const ca = await createAuthority({
      name: 'Contoso Issuing CA',
      root: { name: 'Contoso Root CA' },
      keyType: 'ec',
      baseUrl: 'http://pki.contoso.com',
      ...(workers > 0 ? { signingWorkers: workers } : {}),
    });
    const users = new UserDirectory('CONTOSO');
    await users.add(LOAD_USER.name, LOAD_USER.password);
    const server = await startCertsrv({ ca, users, crlSchedule: false });
    const chain = argValue(args, '--chain');
    if (chain) writeFileSync(chain, ca.chain.map((c) => c.toPem()).join(''));
    info = { url: server.url, workers };
    stop = async () => {
      await server.close();
      await ca.close();
    };
  } else if (kind === 'certsrv-cluster') {
    // N processes (node:cluster, one shared listening socket) over one PostgreSQL database: the
    // issue's other way of using both cores. The primary starts PostgreSQL and creates the CA,
    // then each process opens it and serves certsrv with everything in line (no signing workers).
    const processes = Number(argValue(args, '--processes') ?? 2);
    const pgServer = await startPostgres({ durable: process.env.CERTSRV_LOAD_PG_DURABLE !== 'false' });
    const url = await pgServer.createDatabase('certlab_load');
    const ca = await createAuthority({
      name: 'Contoso Issuing CA',
      root: { name: 'Contoso Root CA' },
      keyType: 'ec',
      baseUrl: 'http://pki.contoso.com',
      db: await openPostgresStore({ connectionString: url }),
    });
    const chain = argValue(args, '--chain');
    if (chain) writeFileSync(chain, ca.chain.map((c) => c.toPem()).join(''));
    await ca.close();
    cluster.setupPrimary({ exec: fileURLToPath(import.meta.url), args: ['cluster-child', url] });
    const children = Array.from({ length: processes }, () => cluster.fork());
    const urls = await Promise.all(
      children.map(
        (w) =>
          new Promise<string>((resolve, reject) => {
            w.once('message', (m: { url: string }) => resolve(m.url));
            w.once('exit', (code) => reject(new Error(`cluster child exited (${code})`)));
          }),
      ),
    ).catch(async (e: unknown) => {
      // One child failed to start: leave nothing running behind the error.
      for (const w of children) if (!w.isDead()) w.process.kill('SIGKILL');
      await pgServer.stop();
      throw e;
    });
    info = { url: urls[0], processes, pids: children.map((w) => w.process.pid) };
    stop = async () => {
      // Asked, not killed: a child exits normally, so a --cpu-prof profile is written.
      await Promise.all(
        children.map(
          (w) =>
            new Promise<void>((resolve) => {
              if (w.isDead()) return resolve();
              w.once('exit', () => resolve());
              w.send('stop');
            }),
        ),
      );
      await pgServer.stop();
    };
  } else if (kind === 'cluster-child') {
    const url = args[1]!;
    const ca = await createAuthority({
      name: 'Contoso Issuing CA',
      root: { name: 'Contoso Root CA' },
      keyType: 'ec',
      baseUrl: 'http://pki.contoso.com',
      db: await openPostgresStore({ connectionString: url, max: 16 }),
    });
    const users = new UserDirectory('CONTOSO');
    await users.add(LOAD_USER.name, LOAD_USER.password);
    const server = await startCertsrv({ ca, users, crlSchedule: false });
    process.send!({ url: server.url });
    process.on('message', (m) => {
      if (m === 'stop')
        void server
          .close()
          .then(() => ca.close())
          .finally(() => process.exit(0));
    });
    return;
  } else {
    throw new Error(`unknown server kind ${String(kind)} (hello | certsrv | certsrv-cluster)`);
  }
  process.stdin.resume();
  process.stdin.on('end', () => {
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  process.stdout.write(`READY ${JSON.stringify(info)}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
