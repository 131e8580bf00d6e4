// `--key-passphrase-file`: a CA whose private keys are kept encrypted (ca init records it in
// ca.json). The commands that sign need the passphrase (exit 2 without it, before a request id is
// used up; exit 2 for a wrong one), ask for it at a terminal, and the commands that only read the
// database work without it. One PGlite CA for the file: opening it is the slow part.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { openPgliteStore } from '@certlab/ca-sim';
import { importPrivateKey } from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../src/index.js';
import { type CliResult, cli, removeTempDirs, tempDir } from './helpers.js';

const PASS = 'Tr0ub4dor&3 of the lab';
let dir: string;
let init: CliResult;

beforeAll(async () => {
  dir = await tempDir();
  await writeFile(join(dir, 'pass.txt'), `${PASS}\n`);
  await writeFile(join(dir, 'wrong.txt'), 'not the passphrase\n');
  await writeFile(join(dir, 'empty.txt'), '\n');
  init = await cli(
    dir,
    'ca',
    'init',
    '--dir',
    'pki',
    '--key-type',
    'ec',
    '--key-passphrase-file',
    'pass.txt',
  );
  const csr = await cli(
    dir,
    ...['csr', 'new', '--new-key', 'ec', '--key-out', 'web.key', '--subject', 'CN=web01.contoso.com'],
    ...['--dns', 'web01.contoso.com', '--out', 'web.req'],
  );
  expect(csr.code, csr.stderr).toBe(0);
}, 120_000);
afterAll(removeTempDirs);

const submit = (...extra: string[]) =>
  cli(dir, 'ca', 'submit', '--dir', 'pki', 'web.req', '--template', 'WebServer', ...extra);

function requestIds(list: CliResult): number[] {
  return (JSON.parse(list.stdout) as { requestId: number }[]).map((r) => r.requestId);
}

describe('ca init --key-passphrase-file', () => {
  it('keeps the CA keys encrypted in the database and says so in ca.json and the report', async () => {
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('CA keys:   encrypted with the key passphrase');
    expect(init.stdout).not.toContain(PASS);
    const config = JSON.parse(await readFile(join(dir, 'pki', 'ca.json'), 'utf8')) as Record<string, unknown>;
    expect(config.keyProtection).toBe('passphrase');
    expect(JSON.stringify(config)).not.toContain(PASS);
    // The first CRLs were signed at init: the keys were usable then.
    expect(init.stdout).toMatch(/Contoso Issuing CA\.crl/);
  });

  it('the database holds EncryptedPrivateKeyInfo that only the passphrase opens', async () => {
    const store = await openPgliteStore({ dataDir: join(dir, 'pki', 'db') });
    try {
      const setup = await store.initializeCa(() => Promise.reject(new Error('expected the CA')));
      expect(setup.certificates).toHaveLength(2);
      for (const row of setup.certificates) {
        await expect(importPrivateKey(row.privateKey)).rejects.toMatchObject({
          code: 'ERR_PKI_KEY_ENCRYPTED',
        });
        await importPrivateKey(row.privateKey, { password: PASS });
      }
    } finally {
      await store.close();
    }
  });
});

describe('commands over a CA with encrypted keys', () => {
  it('ca submit without the passphrase is exit 2 naming the option, and uses up no request id', async () => {
    const before = requestIds(await cli(dir, 'ca', 'list', '--dir', 'pki', '--format', 'json'));
    const r = await submit();
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "certlab: ca submit signs with the CA's private keys, which are encrypted: give the key passphrase with --key-passphrase-file F (at a terminal, the command asks for it). [ERR_CA_KEY_LOCKED]\n",
    );
    const after = requestIds(await cli(dir, 'ca', 'list', '--dir', 'pki', '--format', 'json'));
    expect(after).toEqual(before);
  });

  it('a wrong passphrase is exit 2 [ERR_CA_KEY_PASSPHRASE], an empty one exit 2, and neither is echoed', async () => {
    const wrong = await submit('--key-passphrase-file', 'wrong.txt');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('[ERR_CA_KEY_PASSPHRASE]');
    expect(wrong.stderr).not.toContain('not the passphrase');
    // The command line's way, not the library's (it named setKeyPassphrase).
    expect(wrong.stderr).toContain('or the one last set with certlab ca passphrase.');
    expect(wrong.stderr).not.toContain('setKeyPassphrase');
    const empty = await submit('--key-passphrase-file', 'empty.txt');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/empty/);
  });

  it('with the passphrase: submit issues, crl and renew sign; list and retrieve read without it', async () => {
    const r = await submit('--key-passphrase-file', 'pass.txt', '--out', 'web.cer');
    expect(r.code, r.stderr).toBe(0);
    const id = Number(/^RequestId: (\d+)$/m.exec(r.stdout)![1]);
    const got = await cli(dir, 'ca', 'retrieve', '--dir', 'pki', '--id', String(id), '--out', 'again.cer');
    expect(got.code, got.stderr).toBe(0);
    expect(await readFile(join(dir, 'again.cer'), 'utf8')).toBe(await readFile(join(dir, 'web.cer'), 'utf8'));
    const crlLocked = await cli(dir, 'ca', 'crl', '--dir', 'pki');
    expect(crlLocked.code).toBe(2);
    expect(crlLocked.stderr).toContain('[ERR_CA_KEY_LOCKED]');
    const crl = await cli(dir, 'ca', 'crl', '--dir', 'pki', '--key-passphrase-file', 'pass.txt');
    expect(crl.code, crl.stderr).toBe(0);
    const renew = await cli(dir, 'ca', 'renew', '--dir', 'pki', '--key-passphrase-file', 'pass.txt');
    expect(renew.code, renew.stderr).toBe(0);
    // The renewed key is encrypted too: the next submission needs the passphrase again.
    expect((await submit()).code).toBe(2);
    expect((await submit('--key-passphrase-file', 'pass.txt')).code).toBe(0);
  });

  it('asks for the passphrase at a terminal, without echoing it', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: (_raw: boolean) => stdin });
    let stdout = '';
    let stderr = '';
    const pending = run(['ca', 'submit', '--dir', 'pki', 'web.req', '--template', 'WebServer'], {
      stdout: { write: (c: string | Uint8Array) => (stdout += String(c)) },
      stderr: { write: (c: string | Uint8Array) => (stderr += String(c)) },
      stdin,
      cwd: dir,
      isTTY: true,
    });
    await vi.waitFor(() => expect(stderr).toContain('Key passphrase of the CA "Contoso Issuing CA": '), {
      timeout: 30_000,
    });
    stdin.write(`${PASS}\r`);
    expect(await pending, stderr).toBe(0);
    expect(stdout).toMatch(/Issued/);
    expect(stderr + stdout).not.toContain(PASS);
  });

  it('a passphrase for a CA whose keys are plain is exit 2', async () => {
    const d = await tempDir();
    const made = await cli(d, 'ca', 'init', '--dir', 'pki', '--key-type', 'ec', '--standalone');
    expect(made.code, made.stderr).toBe(0);
    await writeFile(join(d, 'pass.txt'), `${PASS}\n`);
    const r = await cli(d, 'ca', 'list', '--dir', 'pki', '--key-passphrase-file', 'pass.txt');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unencrypted');
  });
});

describe('ca passphrase', () => {
  it('gives a CA made without one a key passphrase, changes it, and removes it', async () => {
    const d = await tempDir();
    expect((await cli(d, 'ca', 'init', '--dir', 'pki', '--key-type', 'ec', '--standalone')).code).toBe(0);
    expect(
      (
        await cli(
          d,
          'csr',
          'new',
          '--new-key',
          'ec',
          '--key-out',
          'w.key',
          '--subject',
          'CN=w',
          '--out',
          'w.req',
        )
      ).code,
    ).toBe(0);
    await writeFile(join(d, 'one.txt'), 'first passphrase\n');
    await writeFile(join(d, 'two.txt'), 'second passphrase\n');
    const ca = (...a: string[]) => cli(d, 'ca', ...a, '--dir', 'pki');
    const sub = (...a: string[]) => ca('submit', 'w.req', '--template', 'WebServer', ...a);
    const protection = async () =>
      (JSON.parse(await readFile(join(d, 'pki', 'ca.json'), 'utf8')) as { keyProtection?: string })
        .keyProtection;

    const bad = await ca('passphrase', '--remove', '--new-passphrase-file', 'one.txt');
    expect(bad.code).toBe(2);
    const none = await ca('passphrase');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--new-passphrase-file');

    const set = await ca('passphrase', '--new-passphrase-file', 'one.txt');
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('The CA key is stored encrypted with the new key passphrase');
    expect(await protection()).toBe('passphrase');
    expect((await sub()).code).toBe(2);
    expect((await sub('--key-passphrase-file', 'one.txt')).code).toBe(0);

    const locked = await ca('passphrase', '--new-passphrase-file', 'two.txt');
    expect(locked.code).toBe(2);
    expect(locked.stderr).toContain('[ERR_CA_KEY_LOCKED]');
    const change = await ca(
      'passphrase',
      '--key-passphrase-file',
      'one.txt',
      '--new-passphrase-file',
      'two.txt',
    );
    expect(change.code, change.stderr).toBe(0);
    expect((await sub('--key-passphrase-file', 'one.txt')).stderr).toContain('[ERR_CA_KEY_PASSPHRASE]');
    expect((await sub('--key-passphrase-file', 'two.txt')).code).toBe(0);

    const removed = await ca(
      'passphrase',
      '--key-passphrase-file',
      'two.txt',
      '--remove',
      '--format',
      'json',
    );
    expect(removed.code, removed.stderr).toBe(0);
    expect(JSON.parse(removed.stdout)).toEqual({ keyProtection: 'none', keys: 1 });
    expect(await protection()).toBeUndefined();
    expect((await sub()).code).toBe(0);
    for (const r of [set, change, removed])
      expect(r.stdout + r.stderr).not.toMatch(/first|second passphrase/);
  });

  it('at a terminal, asks for the new passphrase twice and changes nothing when they differ', async () => {
    const d = await tempDir();
    expect((await cli(d, 'ca', 'init', '--dir', 'pki', '--key-type', 'ec', '--standalone')).code).toBe(0);
    const typed = async (answers: string[]) => {
      const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: (_raw: boolean) => stdin });
      let stderr = '';
      const pending = run(['ca', 'passphrase', '--dir', 'pki'], {
        stdout: { write: () => true },
        stderr: { write: (c: string | Uint8Array) => (stderr += String(c)) },
        stdin,
        cwd: d,
        isTTY: true,
      });
      for (const [i, prompt] of ['New key passphrase of the CA: ', 'The same again: '].entries()) {
        await vi.waitFor(() => expect(stderr).toContain(prompt), { timeout: 30_000 });
        stdin.write(`${answers[i]}\r`);
      }
      return { code: await pending, stderr };
    };
    const differ = await typed(['one passphrase', 'another one']);
    expect(differ.code).toBe(2);
    expect(differ.stderr).toContain('the two passphrases differ');
    const config = JSON.parse(await readFile(join(d, 'pki', 'ca.json'), 'utf8')) as Record<string, unknown>;
    expect(config.keyProtection).toBeUndefined();
    const same = await typed(['typed passphrase', 'typed passphrase']);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stderr).not.toContain('typed passphrase');
    await writeFile(join(d, 'typed.txt'), 'typed passphrase\n');
    expect((await cli(d, 'ca', 'crl', '--dir', 'pki', '--key-passphrase-file', 'typed.txt')).code).toBe(0);
  });
});
