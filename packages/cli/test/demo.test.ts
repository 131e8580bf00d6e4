// `certlab demo`: a root CA and a localhost certificate, reusable across runs.

import { readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, openssl, opensslAll, removeTempDirs, tempDir } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(removeTempDirs);

describe('demo', () => {
  it('creates a root CA and a localhost certificate that OpenSSL verifies', async () => {
    const r = await cli(dir, 'demo');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Created root CA');
    expect(r.stdout).toContain('certlab cert show .certlab-demo/localhost.cer');
    expect(r.stdout).toContain(
      'openssl verify -CAfile .certlab-demo/root-ca.cer .certlab-demo/localhost.cer',
    );
    const d = join(dir, '.certlab-demo');
    for (const f of ['root-ca.key', 'localhost.key'])
      expect((await stat(join(d, f))).mode & 0o777).toBe(0o600);
    expect(opensslAll(d, 'verify', '-CAfile', 'root-ca.cer', 'localhost.cer')).toContain('localhost.cer: OK');
    const root = openssl(d, 'x509', '-in', 'root-ca.cer', '-noout', '-text');
    expect(root).toContain('Subject: C = FR, O = certlab, CN = certlab Root CA');
    expect(root).toContain('ASN1 OID: prime256v1');
    expect(root).toMatch(/Basic Constraints: critical\s+CA:TRUE/);
    const years = openssl(d, 'x509', '-in', 'root-ca.cer', '-noout', '-startdate', '-enddate');
    const [start, end] = [...years.matchAll(/=.* (\d{4}) GMT/g)].map((m) => Number(m[1]));
    expect(end! - start!).toBe(10);
    const leaf = openssl(d, 'x509', '-in', 'localhost.cer', '-noout', '-text');
    expect(leaf).toContain('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(leaf).toContain('TLS Web Server Authentication, TLS Web Client Authentication');
    expect(openssl(d, 'x509', '-in', 'localhost.cer', '-noout', '-pubkey')).toBe(
      openssl(d, 'pkey', '-in', 'localhost.key', '-pubout'),
    );
  });

  it('reuses the root on a second run and issues a fresh localhost certificate', async () => {
    const d = join(dir, '.certlab-demo');
    const root = await readFile(join(d, 'root-ca.cer'), 'utf8');
    const leaf = await readFile(join(d, 'localhost.cer'), 'utf8');
    const r = await cli(dir, 'demo');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Reused root CA');
    expect(await readFile(join(d, 'root-ca.cer'), 'utf8')).toBe(root);
    expect(await readFile(join(d, 'localhost.cer'), 'utf8')).not.toBe(leaf);
    expect(opensslAll(d, 'verify', '-CAfile', 'root-ca.cer', 'localhost.cer')).toContain('localhost.cer: OK');
  });

  it('takes --dir, and refuses a root certificate without its key', async () => {
    const r = await cli(dir, 'demo', '--dir', 'elsewhere/pki');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('elsewhere/pki/root-ca.cer');
    await unlink(join(dir, 'elsewhere/pki/root-ca.key'));
    const broken = await cli(dir, 'demo', '--dir', 'elsewhere/pki');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('exists without');
    await writeFile(
      join(dir, 'elsewhere/pki/root-ca.key'),
      await readFile(join(dir, '.certlab-demo/root-ca.key')),
    );
    const mismatch = await cli(dir, 'demo', '--dir', 'elsewhere/pki');
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain('is not the key of');
  });
});
