// The PGlite store across restarts: the same CA, ids that continue, no serial twice, pending
// requests that survive; and kill -9 in the middle of issuing loses or half-writes nothing.

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAuthority, openPgliteStore } from '@certlab/ca-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCsr } from './support/csr.js';
import { tempDir } from './support/temp.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('certlab-ca-sim-durable-'));
});
afterAll(async () => {
  await cleanup?.();
});

const options = { name: 'Contoso Issuing CA', root: { name: 'Contoso Root CA' }, keyType: 'ec' as const };

describe('PGlite store across restarts', () => {
  it('keeps the CA, continues the ids, never repeats a serial, keeps pending requests and CRL numbers', async () => {
    const dataDir = join(dir, 'restart');
    const serials = new Set<string>();
    const csr = (await makeCsr({ san: [{ type: 'dns', value: 'exch01.contoso.com' }] })).toPem();
    let ca = await createAuthority({ ...options, db: await openPgliteStore({ dataDir }) });
    const rootDer = ca.rootCertificate.der;
    const first = [];
    for (let i = 0; i < 3; i++) first.push(await ca.submit(csr, { template: 'WebServer' }));
    const pending = await ca.submit(csr, { template: 'WebServer_Manual' });
    await ca.revoke(first[0]!.serialNumber!, 'superseded');
    const crl1 = await ca.publishCrl();
    for (const r of first) serials.add(r.serialNumber!);
    expect([...first.map((r) => r.requestId), pending.requestId]).toEqual([1, 2, 3, 4]);
    await ca.close();

    ca = await createAuthority({ ...options, db: await openPgliteStore({ dataDir }) });
    expect(Buffer.from(ca.rootCertificate.der).equals(Buffer.from(rootDer))).toBe(true);
    expect((await ca.retrieve(4)).disposition).toBe('pending');
    expect((await ca.retrieve(1)).revocationReason).toBe('superseded');
    const approved = await ca.approve(4);
    serials.add(approved.serialNumber!);
    const next = await ca.submit(csr, { template: 'WebServer' });
    expect(next.requestId).toBe(5);
    serials.add(next.serialNumber!);
    expect(serials.size).toBe(5);
    const crl2 = await ca.publishCrl();
    expect(crl2.crlNumber).toBe(crl1.crlNumber + 1);
    expect(crl2.crl.lookup(first[0]!.serialNumber!)?.reason).toBe('superseded');
    await ca.close();

    await expect(
      createAuthority({ ...options, name: 'Fabrikam CA', db: await openPgliteStore({ dataDir }) }),
    ).rejects.toThrow(/holds the CA "Contoso Issuing CA"/);
  });

  it('survives kill -9 in the middle of issuing: nothing lost or half-written, ids continue, no serial repeats', async () => {
    const dataDir = join(dir, 'crash');
    const script = fileURLToPath(new URL('./support/issue-forever.ts', import.meta.url));
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const committed = new Map<number, string>();
    for (let round = 0; round < 3; round++) {
      const child = spawn(process.execPath, ['--import', tsx, '--conditions=source', script, dataDir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stderr.on('data', (d) => {
        err += d;
      });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      await new Promise<void>((resolve, reject) => {
        let issuedThisRound = 0;
        child.stdout.on('data', (d) => {
          out += d;
          const lines = out.split('\n');
          out = lines.pop()!;
          for (const l of lines) {
            const m = /^issued (\d+) ([0-9A-F]+)$/.exec(l);
            if (!m) continue;
            committed.set(Number(m[1]), m[2]!);
            // Kill at a varying point after a few commits: mid-transaction most of the time.
            if (++issuedThisRound === 3 + round * 2) {
              setTimeout(
                () => {
                  child.kill('SIGKILL');
                  resolve();
                },
                3 + round * 7,
              );
            }
          }
        });
        child.on('exit', (code, signal) => {
          if (signal !== 'SIGKILL') reject(new Error(`child exited early (${code}): ${err}`));
        });
      });
      await exited;
    }
    const db = await openPgliteStore({ dataDir });
    const ca = await createAuthority({ ...options, db });
    const rows = await db.listRequests();
    const serials = new Set<string>();
    for (const r of rows) {
      // Every stored request is complete: issued with its certificate.
      expect(r.status).toBe('issued');
      expect(r.certificate).toBeDefined();
      serials.add(r.certificate!.serialNumber);
    }
    expect(serials.size).toBe(rows.length);
    // Every request the child saw committed is there with the same serial.
    for (const [id, serial] of committed)
      expect((await db.getRequest(id))?.certificate?.serialNumber).toBe(serial);
    const ids = rows.map((r) => r.requestId);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const next = await ca.submit((await makeCsr()).toPem(), { template: 'WebServer' });
    expect(next.requestId).toBeGreaterThan(Math.max(...ids));
    expect(serials.has(next.serialNumber!)).toBe(false);
    await ca.close();
  });
});
