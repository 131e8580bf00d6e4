// The commands that read one kind of file (cert show, csr show, key show, verify, csr new --key,
// --crl) given another kind, nothing, or text saved as UTF-16: a sentence naming the file and
// what it is, exit 2; UTF-16 text reads as it does in `show`. And csr new's two outputs.

import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, openssl, removeTempDirs, tempDir } from './helpers.js';

let dir: string;

/** UTF-16 with a byte order mark, as PowerShell 5's `>` writes text. */
function utf16(text: string, littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0xfeff, littleEndian);
  for (let i = 0; i < text.length; i++) view.setUint16(2 + i * 2, text.charCodeAt(i), littleEndian);
  return out;
}

beforeAll(async () => {
  dir = await tempDir();
  await writeFile(join(dir, 'pass.txt'), 'pfx-Passw0rd\n');
  expect((await cli(dir, 'key', 'new', '--out', 'ec.key')).code).toBe(0);
  expect(
    (
      await cli(
        dir,
        'cert',
        'selfsign',
        '--key',
        'ec.key',
        '--subject',
        'CN=Root',
        '--ca',
        '--out',
        'root.cer',
      )
    ).code,
  ).toBe(0);
  expect(
    (await cli(dir, 'csr', 'new', '--key', 'ec.key', '--subject', 'CN=web', '--out', 'web.csr')).code,
  ).toBe(0);
  openssl(
    dir,
    'pkcs12',
    '-export',
    '-in',
    'root.cer',
    '-inkey',
    'ec.key',
    '-passout',
    'pass:pfx-Passw0rd',
    '-out',
    'o.pfx',
  );
  await writeFile(join(dir, 'empty.cer'), '');
  // A fixed pattern that is neither DER nor text.
  await writeFile(
    join(dir, 'random.bin'),
    Uint8Array.from({ length: 300 }, (_, i) => (i * 151 + 7) & 0xff),
  );
  for (const [src, dst, le] of [
    ['root.cer', 'root-utf16le.cer', true],
    ['web.csr', 'web-utf16be.csr', false],
    ['ec.key', 'ec-utf16le.key', true],
  ] as const)
    await writeFile(join(dir, dst), utf16(await readFile(join(dir, src), 'utf8'), le));
});
afterAll(removeTempDirs);

describe('a file of another kind', () => {
  it.each([
    [
      ['cert', 'show', 'o.pfx'],
      "o.pfx is a PKCS#12 (.pfx) file, not a certificate: 'certlab show o.pfx' shows what it holds.",
    ],
    [['csr', 'show', 'o.pfx'], 'o.pfx is a PKCS#12 (.pfx) file, not a certificate request'],
    [['csr', 'show', 'root.cer'], 'root.cer is a certificate, not a certificate request'],
    [['key', 'show', 'root.cer'], 'root.cer is a certificate, not a private key'],
    [['verify', 'o.pfx', '--trust', 'root.cer'], 'o.pfx is a PKCS#12 (.pfx) file, not a certificate'],
    [['verify', 'root.cer', '--trust', 'web.csr'], 'web.csr is a certificate request, not a certificate'],
    [
      ['csr', 'new', '--key', 'root.cer', '--subject', 'CN=a', '--out', 'a.csr'],
      'root.cer is a certificate, not a private key',
    ],
    [
      ['verify', 'root.cer', '--trust', 'root.cer', '--crl', 'web.csr'],
      'web.csr is a certificate request, not a CRL',
    ],
  ])('%j says what the file is (exit 2)', async (args, message) => {
    const r = await cli(dir, ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/Expected DER tag|unexpected bytes/);
  });

  it.each([
    [['cert', 'show', 'empty.cer'], 'empty.cer: The file is empty (0 bytes).'],
    [['csr', 'show', 'empty.cer'], 'empty.cer: The file is empty (0 bytes).'],
    [['key', 'show', 'empty.cer'], 'empty.cer: The file is empty (0 bytes).'],
    [
      ['verify', 'root.cer', '--trust', 'root.cer', '--crl', 'random.bin'],
      'random.bin: This is binary data but not DER',
    ],
  ])('%j says the file is no PKI file at all (exit 2)', async (args, message) => {
    const r = await cli(dir, ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});

describe('text saved as UTF-16 with a byte order mark', () => {
  it('reads in cert show, csr show, key show, verify and csr new --key as in show', async () => {
    const cert = await cli(dir, 'cert', 'show', 'root-utf16le.cer', '--format', 'json');
    expect(cert.code, cert.stderr).toBe(0);
    expect(JSON.parse(cert.stdout)).toMatchObject([{ subject: 'CN=Root' }]);
    const csr = await cli(dir, 'csr', 'show', 'web-utf16be.csr', '--verify');
    expect(csr.code, csr.stderr).toBe(0);
    expect((await cli(dir, 'key', 'show', 'ec-utf16le.key')).code).toBe(0);
    expect((await cli(dir, 'verify', 'root-utf16le.cer', '--trust', 'root-utf16le.cer')).code).toBe(0);
    const again = await cli(
      dir,
      'csr',
      'new',
      '--key',
      'ec-utf16le.key',
      '--subject',
      'CN=b',
      '--out',
      'b.csr',
    );
    expect(again.code, again.stderr).toBe(0);
  });
});

describe('inputs without an end', () => {
  it.skipIf(!existsSync('/dev/zero'))(
    'stops reading past 256 MB (exit 2) instead of running out of memory',
    async () => {
      const r = await cli(dir, 'cert', 'show', '/dev/zero');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('/dev/zero is larger than 256 MB');
    },
  );
});

describe('csr new --new-key with its two outputs', () => {
  it('refuses --key-out and --out naming the same file, before any key is made', async () => {
    const r = await cli(
      dir,
      'csr',
      'new',
      '--new-key',
      'ec',
      '--key-out',
      'same.x',
      '--subject',
      'CN=a',
      '--out',
      './same.x',
      '--force',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--key-out and --out name the same file');
    expect(existsSync(join(dir, 'same.x'))).toBe(false);
  });

  it.skipIf(!existsSync('/proc/version'))(
    'leaves no request behind when the key cannot be written',
    async () => {
      const before = await readdir(dir);
      const r = await cli(
        dir,
        'csr',
        'new',
        '--new-key',
        'ec',
        '--key-out',
        '/proc/version',
        '--subject',
        'CN=a',
        '--out',
        'orphan.csr',
        '--force',
      );
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('cannot write /proc/version');
      expect(await readdir(dir)).toEqual(before);
    },
  );
});
