// `certlab serve`: first start in an empty directory (CA, accounts, TLS certificate, printed
// URLs and credentials), the site over HTTP and over HTTPS with curl --cacert as a real client,
// graceful stop, and a second start that reuses everything.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildAuthenticateMessage, buildNegotiateMessage } from '@certlab/ca-sim';
import { createCsr, encodePem, generateKeyPair, Name, subjectAltName } from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { describeWithTool, itWithTool } from '../../../test/support/tools.js';
import { run } from '../src/index.js';
import { cli, openssl, removeTempDirs, tempDir } from './helpers.js';

interface Started {
  report: {
    outcome: string;
    http: string;
    https: string | null;
    certEnroll: string;
    certEnrollFiles: string[];
    editFlags: string[];
    rootThumbprint: string;
    accounts: { name: string; admin: boolean; password: string | null }[];
  };
  stop(): Promise<{ code: number; stdout: string; stderr: string }>;
  /** What the server wrote to stderr so far (its request log). */
  log(): string;
}

/** Runs `certlab serve …` in-process until its JSON report is printed. */
async function start(cwd: string, ...args: string[]): Promise<Started> {
  let stdout = '';
  let stderr = '';
  const controller = new AbortController();
  const done = run(
    ['serve', '--format', 'json', '--log', 'json', '--port', '0', '--https-port', '0', ...args],
    {
      stdout: { write: (c: string | Uint8Array) => (stdout += String(c)) },
      stderr: { write: (c: string | Uint8Array) => (stderr += String(c)) },
      cwd,
      env: {},
      signal: controller.signal,
    },
  );
  let exited: number | undefined;
  done.then((c) => {
    exited = c;
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`serve exited ${exited}: ${stderr}`);
    try {
      const report = JSON.parse(stdout) as Started['report'];
      return {
        report,
        log: () => stderr,
        async stop() {
          controller.abort();
          const code = await done;
          return { code, stdout, stderr };
        },
      };
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`serve did not start: ${stderr}`);
}

/** curl's HTTP status code for `args` (the body dropped). */
async function curlHttpStatus(...args: string[]): Promise<string> {
  const r = await promisify(execFile)('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', ...args], {
    encoding: 'utf8',
  });
  return r.stdout;
}

function basic(name: string, password: string): string {
  return `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`;
}

const REPO = fileURLToPath(new URL('../../..', import.meta.url));

let cwd: string;
let first: Started;
let user: { name: string; password: string };
let rootPem: string;

beforeAll(async () => {
  cwd = await tempDir();
  first = await start(cwd, '--dir', 'site', '--key-type', 'ec', '--tls-name', 'pki.contoso.test');
  const u = first.report.accounts.find((a) => !a.admin)!;
  user = { name: u.name, password: u.password! };
  const files = await readdir(join(cwd, 'site', 'CertEnroll'));
  const rootFile = files.find((f) => f.endsWith('_Contoso Root CA.crt'))!;
  rootPem = encodePem(
    'CERTIFICATE',
    new Uint8Array(await readFile(join(cwd, 'site', 'CertEnroll', rootFile))),
  );
  await writeFile(join(cwd, 'root.pem'), rootPem);
}, 120_000);

afterAll(removeTempDirs);

describe('certlab serve', () => {
  it('creates the CA, a user and an admin with generated passwords, and prints the URLs', () => {
    expect(first.report.outcome).toBe('created');
    expect(first.report.http).toMatch(/^http:\/\/localhost:\d+\/certsrv\/$/);
    expect(first.report.https).toMatch(/^https:\/\/localhost:\d+\/certsrv\/$/);
    expect(first.report.rootThumbprint).toMatch(/^[0-9A-F]{40}$/);
    expect(first.report.accounts.map((a) => [a.name, a.admin]).sort()).toEqual([
      ['CONTOSO\\admin', true],
      ['CONTOSO\\user', false],
    ]);
    for (const a of first.report.accounts) expect(a.password).toMatch(/^\S{20}$/);
  });

  it('prints the CertEnroll files by URL (the folder is not listed), each downloadable anonymously', async () => {
    expect((await fetch(first.report.certEnroll)).status).toBe(403);
    const names = first.report.certEnrollFiles.map((u) =>
      decodeURIComponent(u.slice(first.report.certEnroll.length)),
    );
    // Both CA certificates and each CA's base and delta CRL, as the folder on disk holds them.
    expect(names.sort()).toEqual((await readdir(join(cwd, 'site', 'CertEnroll'))).sort());
    expect(names.filter((n) => n.endsWith('.crt'))).toHaveLength(2);
    for (const url of first.report.certEnrollFiles) {
      const r = await fetch(url);
      expect(r.status, url).toBe(200);
      expect(r.headers.get('content-type'), url).toBe(
        url.endsWith('.crl') ? 'application/pkix-crl' : 'application/x-x509-ca-cert',
      );
    }
  });

  it('keeps the passwords hashed at rest', async () => {
    const text = await readFile(join(cwd, 'site', 'users.json'), 'utf8');
    for (const a of first.report.accounts) expect(text).not.toContain(a.password!);
    expect(text).toContain('scrypt$');
  });

  it('serves /certsrv/ over HTTP to the printed credentials', async () => {
    const r = await fetch(first.report.http, { headers: { authorization: basic(user.name, user.password) } });
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('Contoso Issuing CA');
  });

  it('applies certlab user add, set and remove to the running site at once', async () => {
    const carol = basic('carol', 'carol-Passw0rd');
    const status = async (auth: string) =>
      (await fetch(first.report.http, { headers: { authorization: auth } })).status;
    /** The status the site answers once the accounts file change reached it (it logs the reload). */
    const settle = async (auth: string, want: number) => {
      const deadline = Date.now() + 10_000;
      let got = await status(auth);
      while (got !== want && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        got = await status(auth);
      }
      return got;
    };
    expect(await status(carol)).toBe(401);
    await writeFile(join(cwd, 'carol.txt'), 'carol-Passw0rd\n');
    const add = await cli(cwd, 'user', 'add', 'carol', '--dir', 'site', '--password-file', 'carol.txt');
    expect(add.code, add.stderr).toBe(0);
    expect(await settle(carol, 200)).toBe(200);
    const reset = await cli(
      cwd,
      'user',
      'set',
      'carol',
      '--dir',
      'site',
      '--reset-password',
      '--format',
      'json',
    );
    expect(reset.code, reset.stderr).toBe(0);
    expect(await settle(carol, 401)).toBe(401); // the old password, verified and cached before
    const { password } = JSON.parse(reset.stdout) as { password: string };
    expect(await status(basic('carol', password))).toBe(200);
    const removed = await cli(cwd, 'user', 'remove', 'carol', '--dir', 'site');
    expect(removed.code, removed.stderr).toBe(0);
    expect(await settle(basic('carol', password), 401)).toBe(401);
    // An invalid file leaves the accounts as they were.
    const file = join(cwd, 'site', 'users.json');
    const good = await readFile(file, 'utf8');
    await writeFile(file, '{ not json');
    const deadline = Date.now() + 10_000;
    while (!first.log().includes('"event":"users-kept"') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const kept = first
      .log()
      .split('\n')
      .find((l) => l.includes('"event":"users-kept"'));
    expect(kept).toContain('is not valid JSON');
    expect(await status(basic(user.name, user.password))).toBe(200);
    await writeFile(file, good);
    expect(first.log()).toMatch(/"event":"users-reloaded","accounts":3/);
  });

  it('keeps another certlab process off its embedded database while it runs (PGlite takes one process)', async () => {
    // Before the lock, `certlab ca submit` here issued a request that the server's database then
    // lost (both processes wrote the same PGlite directory).
    const r = await promisify(execFile)(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        createRequire(import.meta.url).resolve('tsx'),
        join(REPO, 'packages/cli/src/bin.ts'),
        'ca',
        'list',
        '--dir',
        'site',
      ],
      { cwd, encoding: 'utf8' },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`is in use by process ${process.pid}`);
    expect(r.stderr).toContain('[ERR_CA_STORE_IN_USE]');
    // The server still answers.
    const again = await fetch(first.report.http, {
      headers: { authorization: basic(user.name, user.password) },
    });
    expect(again.status).toBe(200);
  });

  describeWithTool('curl', 'over HTTPS with curl --cacert', () => {
    it('enrolls end to end: submit a CSR, download certificate and chain, openssl verifies it', async () => {
      const https = first.report.https!.replace('localhost', 'pki.contoso.test');
      const port = new URL(https).port;
      const resolve = ['--resolve', `pki.contoso.test:${port}:127.0.0.1`];
      // Asynchronous: the server runs in this process and must keep answering while curl waits.
      const curl = async (...args: string[]) =>
        (
          await promisify(execFile)(
            'curl',
            [
              '-sS',
              '--fail-with-body',
              '--cacert',
              'root.pem',
              ...resolve,
              '-u',
              `${user.name}:${user.password}`,
              ...args,
            ],
            { cwd, encoding: 'utf8' },
          )
        ).stdout;
      expect(await curl(https)).toContain('Microsoft Active Directory Certificate Services');

      const { privateKey } = await generateKeyPair({ type: 'ec', curve: 'P-256' });
      const csr = await createCsr({
        subject: Name.from([{ CN: 'exch01.contoso.com' }]),
        privateKey,
        extensions: [subjectAltName([{ type: 'dns', value: 'exch01.contoso.com' }])],
      });
      await writeFile(join(cwd, 'exch01.req'), csr.toPem());
      const page = await curl(
        '--data-urlencode',
        'Mode=newreq',
        '--data-urlencode',
        'CertRequest@exch01.req',
        '--data-urlencode',
        'CertAttrib=CertificateTemplate:WebServer',
        `${https}certfnsh.asp`,
      );
      const id = /certnew\.cer\?ReqID=(\d+)&/.exec(page)?.[1];
      expect(id, page).toBeDefined();
      await curl('-o', 'exch01.cer', `${https}certnew.cer?ReqID=${id}&Enc=b64`);
      await curl('-o', 'chain.p7b', `${https}certnew.p7b?ReqID=${id}&Enc=b64`);
      openssl(cwd, 'pkcs7', '-in', 'chain.p7b', '-print_certs', '-out', 'chain.pem');
      const verified = openssl(
        cwd,
        'verify',
        '-CAfile',
        'root.pem',
        '-untrusted',
        'chain.pem',
        '-purpose',
        'sslserver',
        'exch01.cer',
      );
      expect(verified).toContain('exch01.cer: OK');
    });
  });

  it('stops gracefully on the signal, logging JSON lines', async () => {
    const { code, stderr } = await first.stop();
    expect(code).toBe(0);
    const lines = stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { status: number; path: string });
    expect(lines.some((l) => l.status === 200 && l.path === '/certsrv/')).toBe(true);
    expect(stderr).not.toContain(user.password);
  });

  it('a second start reuses the CA, the accounts and the TLS certificate, adds --user accounts and applies ca editflags', async () => {
    const tlsBefore = await readFile(join(cwd, 'site', 'tls', 'server.pem'), 'utf8');
    expect(first.report.editFlags).toEqual([]);
    const editFlags = (verb: '--add' | '--remove') =>
      cli(cwd, 'ca', 'editflags', '--dir', 'site', verb, 'EDITF_ATTRIBUTEENDDATE');
    expect((await editFlags('--add')).code).toBe(0);
    // Cleared whatever happens, so that the later tests find the site as the first start made it.
    onTestFinished(async () => expect((await editFlags('--remove')).code).toBe(0));
    const second = await start(
      cwd,
      '--dir',
      'site',
      '--tls-name',
      'pki.contoso.test',
      '--user',
      'CONTOSO\\exchadmin:Exch-Passw0rd',
    );
    try {
      expect(second.report.outcome).toBe('opened');
      expect(second.report.editFlags).toEqual(['EDITF_ATTRIBUTEENDDATE']);
      expect(second.report.rootThumbprint).toBe(first.report.rootThumbprint);
      expect(second.report.accounts.every((a) => a.password === null)).toBe(true);
      expect(second.report.accounts.map((a) => a.name)).toContain('CONTOSO\\exchadmin');
      expect(await readFile(join(cwd, 'site', 'tls', 'server.pem'), 'utf8')).toBe(tlsBefore);
      for (const [n, p] of [
        ['exchadmin', 'Exch-Passw0rd'],
        [user.name, user.password],
      ] as const) {
        const r = await fetch(second.report.http, { headers: { authorization: basic(n, p) } });
        expect(r.status, n).toBe(200);
      }
    } finally {
      expect((await second.stop()).code).toBe(0);
    }
  });

  it('takes the accounts from --users FILE and signs on --workers threads', async () => {
    const third = await start(
      cwd,
      '--dir',
      'site',
      '--no-https',
      '--workers',
      '1',
      '--users',
      'class-users.json',
      '--user',
      'carol:Carol-Passw0rd',
    );
    try {
      expect(third.report.https).toBeNull();
      const names = third.report.accounts.map((a) => a.name).sort();
      expect(names).toEqual(['CONTOSO\\admin', 'CONTOSO\\carol']);
      const saved = JSON.parse(await readFile(join(cwd, 'class-users.json'), 'utf8')) as {
        users: { name: string }[];
      };
      expect(saved.users.map((u) => u.name).sort()).toEqual(names);
      const r = await fetch(third.report.http, {
        headers: { authorization: basic('carol', 'Carol-Passw0rd') },
      });
      expect(r.status).toBe(200);
      // With a signing worker, a submission is still issued.
      const { privateKey } = await generateKeyPair({ type: 'ec', curve: 'P-256' });
      const csr = await createCsr({ subject: Name.from([{ CN: 'worker.contoso.com' }]), privateKey });
      const page = await (
        await fetch(`${third.report.http}certfnsh.asp`, {
          method: 'POST',
          headers: { authorization: basic('carol', 'Carol-Passw0rd') },
          body: new URLSearchParams({
            Mode: 'newreq',
            CertRequest: csr.toPem(),
            CertAttrib: 'CertificateTemplate:WebServer',
          }),
        })
      ).text();
      expect(page).toMatch(/certnew\.cer\?ReqID=\d+&/);
    } finally {
      expect((await third.stop()).code).toBe(0);
    }
  });

  itWithTool(
    'curl',
    '--ntlm --no-basic: Windows Integrated authentication only, NT hashes kept, user add gets one too',
    async () => {
      const ntlmSite = await start(
        cwd,
        '--dir',
        'site',
        '--no-https',
        '--ntlm',
        '--no-basic',
        '--users',
        'ntlm-users.json',
      );
      try {
        expect(ntlmSite.report).toMatchObject({ signIn: ['Negotiate', 'NTLM'], withoutNtHash: [] });
        const saved = JSON.parse(await readFile(join(cwd, 'ntlm-users.json'), 'utf8')) as {
          ntlm: boolean;
          users: { ntHash?: string }[];
        };
        expect(saved.ntlm).toBe(true);
        for (const u of saved.users) expect(u.ntHash).toMatch(/^[0-9a-f]{32}$/);
        const plain = await fetch(ntlmSite.report.http);
        expect(plain.headers.get('www-authenticate')).toBe('Negotiate, NTLM');
        await writeFile(join(cwd, 'dave.txt'), 'Dave-Passw0rd\n');
        const add = await cli(
          cwd,
          'user',
          'add',
          'dave',
          '--users',
          'ntlm-users.json',
          '--password-file',
          'dave.txt',
        );
        expect(add.code, add.stderr).toBe(0);
        const curlStatus = () =>
          curlHttpStatus('--ntlm', '-u', 'CONTOSO\\dave:Dave-Passw0rd', ntlmSite.report.http);
        const deadline = Date.now() + 10_000;
        let status = await curlStatus();
        while (status !== '200' && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 100));
          status = await curlStatus();
        }
        expect(status).toBe('200');
        // A file that turns NT hashes off is not applied under --ntlm.
        const file = join(cwd, 'ntlm-users.json');
        const good = await readFile(file, 'utf8');
        await writeFile(file, good.replace('"ntlm": true', '"ntlm": false'));
        const refused = 'but this server signs in with NTLM';
        const until = Date.now() + 10_000;
        while (!ntlmSite.log().includes(refused) && Date.now() < until)
          await new Promise((r) => setTimeout(r, 50));
        expect(ntlmSite.log()).toContain(refused);
        expect(await curlStatus()).toBe('200');
        await writeFile(file, good);
      } finally {
        expect((await ntlmSite.stop()).code).toBe(0);
      }
    },
  );

  it('--extended-protection require --spn: an NTLM client naming another service is refused (relay), ours signs in', async () => {
    const site = await start(
      cwd,
      '--dir',
      'site',
      '--no-https',
      '--ntlm',
      '--extended-protection',
      'require',
      '--spn',
      'HTTP/ca01.contoso.com',
      '--users',
      'epa-users.json',
      '--user',
      'erin:Erin-Passw0rd',
    );
    try {
      expect(site.report).toMatchObject({
        extendedProtection: 'require',
        servicePrincipalNames: ['HTTP/ca01.contoso.com'],
      });
      // One keep-alive connection per sign-in: type 1, then the type 3 naming `targetName`.
      const signIn = async (targetName?: string) => {
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        const get = (authorization: string) =>
          new Promise<{ status: number; challenge: string }>((resolve, reject) => {
            const req = request(site.report.http, { agent, headers: { authorization } }, (res) => {
              res.resume();
              res.on('end', () =>
                resolve({
                  status: res.statusCode ?? 0,
                  challenge: String(res.headers['www-authenticate'] ?? ''),
                }),
              );
            });
            req.on('error', reject);
            req.end();
          });
        try {
          const type1 = buildNegotiateMessage();
          const first = await get(`NTLM ${Buffer.from(type1).toString('base64')}`);
          const type3 = buildAuthenticateMessage({
            challenge: new Uint8Array(Buffer.from(first.challenge.split(' ')[1] ?? '', 'base64')),
            user: 'erin',
            domain: 'CONTOSO',
            password: 'Erin-Passw0rd',
            negotiateMessage: type1,
            ...(targetName ? { targetName } : {}),
          });
          return (await get(`NTLM ${Buffer.from(type3).toString('base64')}`)).status;
        } finally {
          agent.destroy();
        }
      };
      expect(await signIn('HTTP/ca01.contoso.com')).toBe(200);
      // --spn replaces the default list: localhost is no longer one of ours.
      expect(await signIn('HTTP/localhost')).toBe(401);
      expect(await signIn()).toBe(401);
      expect(site.log()).toContain('ntlm-bad-spn');
      expect(site.log()).toContain('ntlm-no-spn');
    } finally {
      expect((await site.stop()).code).toBe(0);
    }
  });

  itWithTool(
    'curl',
    '--require-ssl: /certsrv over HTTP is 403 without a challenge, CertEnroll stays; HTTPS signs in',
    async () => {
      const site = await start(cwd, '--dir', 'site', '--require-ssl');
      try {
        expect(site.report).toMatchObject({ requireSsl: true });
        const plain = await fetch(site.report.http, {
          headers: { authorization: basic(user.name, user.password) },
        });
        expect(plain.status).toBe(403);
        expect(plain.headers.get('www-authenticate')).toBeNull();
        expect((await fetch(site.report.http.replace('/certsrv/', '/health'))).status).toBe(200);
        const crl = await fetch(`${site.report.certEnroll}Contoso%20Issuing%20CA.crl`);
        expect(crl.status).toBe(200);
        expect(crl.headers.get('content-type')).toBe('application/pkix-crl');
        const status = await curlHttpStatus(
          '--cacert',
          join(cwd, 'root.pem'),
          '-u',
          `${user.name}:${user.password}`,
          site.report.https!,
        );
        expect(status).toBe('200');
        expect(site.log()).toContain('ssl-required');
      } finally {
        expect((await site.stop()).code).toBe(0);
      }
    },
  );

  it('serves a training lab’s CA (Web Server for Domain Admins): its own TLS certificate, the lab’s administrator enrolls', async () => {
    // Before the fix, a lab CA denied the server's own TLS certificate (its requester was in no
    // group), so `certlab serve --dir DIR/ca` on a new lab did not start.
    expect((await cli(cwd, 'lab', 'init', 'exchange-um', '--dir', 'training')).code).toBe(0);
    const lab = JSON.parse(await readFile(join(cwd, 'training', 'lab.json'), 'utf8')) as {
      ca: { account: { name: string; password: string } };
    };
    const site = await start(cwd, '--dir', 'training/ca', '--no-https');
    try {
      const { privateKey } = await generateKeyPair({ type: 'ec', curve: 'P-256' });
      const csr = await createCsr({ subject: Name.from([{ CN: 'ex01.contoso.com' }]), privateKey });
      const submit = async (authorization: string) =>
        (
          await fetch(`${site.report.http}certfnsh.asp`, {
            method: 'POST',
            headers: { authorization },
            body: new URLSearchParams({
              Mode: 'newreq',
              CertRequest: csr.toPem(),
              CertAttrib: 'CertificateTemplate:WebServer',
            }),
          })
        ).text();
      expect(await submit(basic(lab.ca.account.name, lab.ca.account.password))).toMatch(
        /certnew\.cer\?ReqID=\d+&/,
      );
    } finally {
      expect((await site.stop()).code).toBe(0);
    }
    const tls = await start(cwd, '--dir', 'training/ca');
    try {
      expect(tls.report.https).toMatch(/^https:/);
    } finally {
      expect((await tls.stop()).code).toBe(0);
    }
  });

  it('a first start on a port in use creates nothing, so the next start shows its passwords', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const taken = (busy.address() as AddressInfo).port;
    try {
      for (const flags of [
        ['--port', String(taken), '--no-https'],
        ['--port', '0', '--https-port', String(taken)],
      ]) {
        let stderr = '';
        const code = await run(['serve', '--dir', 'busy', ...flags], {
          stdout: { write: () => true },
          stderr: { write: (c: string | Uint8Array) => (stderr += String(c)) },
          cwd,
          env: {},
        });
        expect(code, flags.join(' ')).toBe(1);
        expect(stderr).toContain(`cannot listen on 127.0.0.1:${taken} (EADDRINUSE`);
        expect(stderr).toContain('Nothing was created or changed.');
        expect(existsSync(join(cwd, 'busy', 'ca.json'))).toBe(false);
        expect(existsSync(join(cwd, 'busy', 'users.json'))).toBe(false);
      }
    } finally {
      await new Promise((r) => busy.close(r));
    }
    const fresh = await start(cwd, '--dir', 'busy', '--no-https', '--user', 'dora:Dora-Passw0rd');
    try {
      expect(fresh.report.outcome).toBe('created');
      const generated = fresh.report.accounts.find((a) => a.admin)!;
      expect(generated.password).toMatch(/^\S{20}$/);
      const dora = fresh.report.accounts.find((a) => a.name === 'CONTOSO\\dora') as {
        given?: boolean;
        password: string | null;
      };
      expect(dora).toMatchObject({ password: null, given: true });
    } finally {
      expect((await fresh.stop()).code).toBe(0);
    }
  });

  it('a first start with an accounts file it cannot use creates no CA (the file is read first)', async () => {
    await writeFile(join(cwd, 'pass.txt'), 'S3cretPassw0rd\n');
    const cases: [string[], string][] = [
      [['--dir', 'sv', '--users', 'pass.txt'], 'is not valid JSON. Fix it'],
      [['--dir', 'sv', '--users', 'site'], 'it is a folder, not a file'],
      [['--dir', 'sv', '--domain', 'not a domain'], 'The certsrv domain must be a NetBIOS-style name'],
      [
        ['--dir', 'sv', '--user', 'bad name\\x\\y:Secret-Passw0rd'],
        '--user: A certsrv user name has one backslash',
      ],
    ];
    for (const [args, message] of cases) {
      let stderr = '';
      const code = await run(['serve', '--no-https', '--port', '0', ...args], {
        stdout: { write: () => true },
        stderr: { write: (c: string | Uint8Array) => (stderr += String(c)) },
        cwd,
        env: {},
      });
      expect(code, `${args.join(' ')}: ${stderr}`).toBe(2);
      expect(stderr).toContain(message);
      expect(stderr).not.toMatch(/S3cret|Secret-Passw0rd/);
      for (const made of ['ca.json', 'db', 'CertEnroll', 'users.json'])
        expect(existsSync(join(cwd, 'sv', made)), `${args.join(' ')}: ${made}`).toBe(false);
    }
  });

  it('keeps the TLS private key 0600 in a 0700 folder, whatever was left in DIR/tls', async () => {
    // A tls folder made by hand (0755) with a world-readable file at the old fixed temporary
    // name: the key must neither land in that file nor stay in a folder others can list.
    expect((await cli(cwd, 'ca', 'init', '--dir', 'sv-tls', '--key-type', 'ec')).code).toBe(0);
    const tls = join(cwd, 'sv-tls', 'tls');
    await mkdir(tls, { mode: 0o755 });
    await chmod(tls, 0o755);
    await writeFile(join(tls, 'server.key.tmp'), '');
    await chmod(join(tls, 'server.key.tmp'), 0o644);
    const s = await start(cwd, '--dir', 'sv-tls');
    expect((await s.stop()).code).toBe(0);
    expect((await stat(join(tls, 'server.key'))).mode & 0o777).toBe(0o600);
    expect((await stat(tls)).mode & 0o777).toBe(0o700);
    expect(await readFile(join(tls, 'server.key'), 'utf8')).toMatch(/BEGIN PRIVATE KEY/);
    expect(await readFile(join(tls, 'server.key.tmp'), 'utf8')).toBe('');
  }, 60_000);

  it('a CA directory whose database is gone is exit 2, not a new CA', async () => {
    await mkdir(join(cwd, 'sv-lost'));
    await copyFile(join(cwd, 'site', 'ca.json'), join(cwd, 'sv-lost', 'ca.json'));
    let stderr = '';
    const code = await run(['serve', '--dir', 'sv-lost', '--no-https', '--port', '0'], {
      stdout: { write: () => true },
      stderr: { write: (c: string | Uint8Array) => (stderr += String(c)) },
      cwd,
      env: {},
    });
    expect(code, stderr).toBe(2);
    expect(stderr).toContain(`certlab: There is no CA database in ${join(cwd, 'sv-lost', 'db')}`);
    expect(existsSync(join(cwd, 'sv-lost', 'db'))).toBe(false);
    expect(existsSync(join(cwd, 'sv-lost', 'users.json'))).toBe(false);
  });

  it('--key-passphrase-file: a first start encrypts the CA keys, a later start needs the passphrase', async () => {
    await writeFile(join(cwd, 'sv-pass.txt'), 'Sesame of the lab CA\n');
    const opts = ['--dir', 'sv-keys', '--key-type', 'ec', '--no-https'];
    const made = await start(cwd, ...opts, '--key-passphrase-file', 'sv-pass.txt');
    const admin = made.report.accounts.find((a) => a.admin)!;
    expect((await made.stop()).code).toBe(0);
    const config = JSON.parse(await readFile(join(cwd, 'sv-keys', 'ca.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(config.keyProtection).toBe('passphrase');
    // Without it (no terminal to ask on): exit 2 naming the option, before anything listens.
    let stderr = '';
    const code = await run(['serve', ...opts, '--port', '0'], {
      stdout: { write: () => true },
      stderr: { write: (c: string | Uint8Array) => (stderr += String(c)) },
      cwd,
      env: {},
    });
    expect(code, stderr).toBe(2);
    expect(stderr).toContain('[ERR_CA_KEY_LOCKED]');
    expect(stderr).toContain('--key-passphrase-file');
    // With it, the site issues (on a signing worker, which gets the decrypted key).
    const again = await start(cwd, ...opts, '--workers', '1', '--key-passphrase-file', 'sv-pass.txt');
    try {
      const { privateKey } = await generateKeyPair({ type: 'ec', curve: 'P-256' });
      const csr = await createCsr({ subject: Name.from([{ CN: 'locked.contoso.com' }]), privateKey });
      const page = await (
        await fetch(`${again.report.http}certfnsh.asp`, {
          method: 'POST',
          headers: { authorization: basic(admin.name, admin.password!) },
          body: new URLSearchParams({
            Mode: 'newreq',
            CertRequest: csr.toPem(),
            CertAttrib: 'CertificateTemplate:WebServer',
          }),
        })
      ).text();
      expect(page).toContain('certnew.cer?ReqID=');
    } finally {
      expect((await again.stop()).code).toBe(0);
    }
  });

  it('refuses bad options and a broken accounts file with exit 2, never echoing a password', async () => {
    await writeFile(join(cwd, 'broken-users.json'), '{"domain":"CONTOSO","users":[{"name":');
    const cases: [string[], RegExp][] = [
      [['--port', 'http'], /--port must be a port number/],
      [['--workers', 'many'], /--workers must be a number of threads/],
      [['--extended-protection', 'require'], /--extended-protection needs --ntlm/],
      [['--require-ssl'], /--require-ssl needs the HTTPS listener/],
      [['--ntlm', '--extended-protection', 'always'], /--extended-protection/],
      [
        ['--ntlm', '--extended-protection', 'require', '--spn', 'ca01'],
        /--spn takes a service principal name/,
      ],
      [['--ntlm', '--spn', 'HTTP/ca01.contoso.com'], /--spn needs --extended-protection/],
      [['--user', 'nocolon'], /--user/],
      [['--user', ':Secret-Passw0rd'], /user name before the colon is empty/],
      [['--users', 'broken-users.json'], /ERR_CA_USERS_INVALID/],
      [
        ['--user', 'ali\u0007ce:Secret-Passw0rd'],
        /--user: A certsrv user name cannot hold control characters/,
      ],
    ];
    for (const [args, message] of cases) {
      let stderr = '';
      // A case about --port gives its own (a value option given twice is a usage error itself).
      const port = args.includes('--port') ? [] : ['--port', '0'];
      const code = await run(['serve', '--dir', 'site', '--no-https', ...port, ...args], {
        stdout: { write: () => true },
        stderr: { write: (c: string | Uint8Array) => (stderr += String(c)) },
        cwd,
        env: {},
      });
      expect(code, `${args.join(' ')}: ${stderr}`).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr).not.toContain('Secret-Passw0rd');
    }
    // One port for both listeners: refused before anything is created.
    let stderr = '';
    const same = await run(['serve', '--dir', 'same-port', '--port', '18443', '--https-port', '18443'], {
      stdout: { write: () => true },
      stderr: { write: (c: string | Uint8Array) => (stderr += String(c)) },
      cwd,
      env: {},
    });
    expect(same).toBe(2);
    expect(stderr).toContain('HTTP and HTTPS need a port each');
    expect(existsSync(join(cwd, 'same-port'))).toBe(false);
  });
});
