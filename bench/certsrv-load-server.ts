// A server under test of bench/certsrv-load.ts, in a process of its own so that the load client
// is not charged to it:
//   node --conditions=source --import tsx bench/certsrv-load-server.ts hello
//   node --conditions=source --import tsx bench/certsrv-load-server.ts certsrv [--workers N] [--chain <file>]
// It prints one line `READY <json>` ({ url, … }) on stdout once it listens, and exits when its
// stdin closes (the parent died or is done). Add --cpu-prof to the node flags to see where the
// server's time goes.

import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createAuthority, startCertsrv, UserDirectory } from '@certlab/ca-sim';

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
  } else {
    throw new Error(`unknown server kind ${String(kind)} (hello | certsrv)`);
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
