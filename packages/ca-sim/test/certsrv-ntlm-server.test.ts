// NTLM sign-in on the certsrv site (reference §2.2): the type 1 / type 2 / type 3 handshake on
// one keep-alive connection, under `NTLM` and `Negotiate`, the connection staying signed in, the
// refusals, and curl --ntlm as a real client that enrolls through it.

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithTool } from '../../../test/support/tools.js';
import { buildAuthenticateMessage, buildNegotiateMessage } from '../src/certsrv/ntlm.js';
import {
  type CertificationAuthority,
  type CertsrvLogEntry,
  type CertsrvServer,
  startCertsrv,
  UserDirectory,
} from '../src/index.js';
import { basic, contosoAuthority, writeExchangeRequest } from './support/certsrv-fixture.js';
import { type KeepAliveAnswer, keepAliveConnection } from './support/keep-alive-client.js';

let ca: CertificationAuthority;
let users: UserDirectory;
let server: CertsrvServer;
let basicOnly: CertsrvServer;
let ntlmOnly: CertsrvServer;
const logs: CertsrvLogEntry[] = [];
/** The Authorization header of the last type 3 message {@link handshake} sent. */
let lastType3 = '';

type Answer = KeepAliveAnswer;

/** A client on one keep-alive connection: every request goes over the same socket. */
const connection = (base: string) => keepAliveConnection(base);

/** The NTLM handshake on `conn`: type 1, then type 3 answering the type 2; the type 3 answer. */
async function handshake(
  conn: ReturnType<typeof connection>,
  user: string,
  domain: string,
  password: string,
  scheme = 'NTLM',
  path = '/certsrv/',
): Promise<{ first: Answer; second: Answer }> {
  const first = await conn.send(path, {
    authorization: `${scheme} ${Buffer.from(buildNegotiateMessage()).toString('base64')}`,
  });
  const type2 = first.challenges[0]?.split(' ')[1] ?? '';
  const type3 = buildAuthenticateMessage({
    challenge: new Uint8Array(Buffer.from(type2, 'base64')),
    user,
    domain,
    password,
    workstation: 'EXCH01',
  });
  lastType3 = `${scheme} ${Buffer.from(type3).toString('base64')}`;
  const second = await conn.send(path, { authorization: lastType3 });
  return { first, second };
}

beforeAll(async () => {
  ca = await contosoAuthority('Contoso Issuing CA');
  users = new UserDirectory('CONTOSO');
  await users.add('bob', 'bob-Passw0rd'); // before NTLM was on: no NT hash
  users.ntlm = true;
  await users.add('alice', 'alice-Passw0rd');
  await users.add('caadmin', 'admin-Passw0rd', { admin: true });
  server = await startCertsrv({ ca, users, ntlm: true, crlSchedule: false, log: (e) => logs.push(e) });
  basicOnly = await startCertsrv({ ca, users, crlSchedule: false });
  ntlmOnly = await startCertsrv({ ca, users, ntlm: true, basic: false, crlSchedule: false });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await basicOnly?.close();
  await ntlmOnly?.close();
  await ca?.close();
});

describe('NTLM sign-in (reference §2.2)', () => {
  it('negotiate: false offers NTLM without Negotiate, and answers Negotiate with the challenges', async () => {
    const site = await startCertsrv({ ca, users, ntlm: true, negotiate: false, crlSchedule: false });
    try {
      const c = connection(site.url);
      expect((await c.send('/certsrv/')).challenges).toEqual(['NTLM', 'Basic realm="pki.contoso.com"']);
      const negotiate = await c.send('/certsrv/', {
        authorization: `Negotiate ${Buffer.from(buildNegotiateMessage()).toString('base64')}`,
      });
      expect(negotiate.challenges).toEqual(['NTLM', 'Basic realm="pki.contoso.com"']);
      expect((await handshake(c, 'alice', 'CONTOSO', 'alice-Passw0rd')).second.status).toBe(200);
      c.close();
    } finally {
      await site.close();
    }
  });

  it("signing in now and then with an account of one's own buys no more guesses at another one", async () => {
    const site = await startCertsrv({ ca, users, ntlm: true, crlSchedule: false, maxAuthFailures: 3 });
    try {
      const status = async (auth: string) => {
        const c = connection(site.url);
        const r = await c.send('/certsrv/', { authorization: auth });
        c.close();
        return r;
      };
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < 2; i++)
          expect((await status(basic('alice', `guess-${round}-${i}`))).status).toBe(401);
        // The attacker's own account, with a header not seen before (no cache): resets the address.
        expect((await status(basic('bob', 'bob-Passw0rd'))).status).toBe(200);
      }
      // alice's count reached 3 from this address: her right password is refused for a while,
      // while bob (another account) still signs in, and over NTLM alice is refused too.
      const refused = await status(basic('alice', 'alice-Passw0rd'));
      expect(refused.status).toBe(401);
      const c = connection(site.url);
      expect((await handshake(c, 'alice', 'CONTOSO', 'alice-Passw0rd')).second.status).toBe(401);
      c.close();
      expect((await status(basic('CONTOSO\\bob', 'bob-Passw0rd'))).status).toBe(200);
    } finally {
      await site.close();
    }
  });

  it('refuses to start NTLM over accounts without NT hashes, or with no scheme at all', async () => {
    const plain = new UserDirectory('CONTOSO');
    await expect(startCertsrv({ ca, users: plain, ntlm: true, crlSchedule: false })).rejects.toMatchObject({
      code: 'ERR_CA_OPTIONS_INVALID',
    });
    await expect(startCertsrv({ ca, users, basic: false, crlSchedule: false })).rejects.toMatchObject({
      code: 'ERR_CA_OPTIONS_INVALID',
    });
  });

  it('offers Negotiate, NTLM and Basic, one header each, in that order; Basic alone by default', async () => {
    const c = connection(server.url);
    const r = await c.send('/certsrv/');
    expect(r.status).toBe(401);
    expect(r.challenges).toEqual(['Negotiate', 'NTLM', 'Basic realm="pki.contoso.com"']);
    c.close();
    const b = connection(basicOnly.url);
    expect((await b.send('/certsrv/')).challenges).toEqual(['Basic realm="pki.contoso.com"']);
    b.close();
    const n = connection(ntlmOnly.url);
    expect((await n.send('/certsrv/')).challenges).toEqual(['Negotiate', 'NTLM']);
    // Basic is not on: even good credentials are refused.
    expect((await n.send('/certsrv/', { authorization: basic('alice', 'alice-Passw0rd') })).status).toBe(401);
    n.close();
  });

  it('signs the connection in with NTLMv2; later requests on it need no header, other connections do', async () => {
    const c = connection(server.url);
    const { first, second } = await handshake(c, 'alice', 'CONTOSO', 'alice-Passw0rd');
    expect(first.status).toBe(401);
    expect(first.challenges).toHaveLength(1);
    expect(first.challenges[0]).toMatch(/^NTLM [A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(first.challenges[0]!.slice(5), 'base64').subarray(0, 8).toString('latin1')).toBe(
      'NTLMSSP\0',
    );
    expect(second.status).toBe(200);
    expect(second.body).toContain('Microsoft Active Directory Certificate Services');
    expect(second.port).toBe(first.port); // one TCP connection
    const third = await c.send('/certsrv/certrqxt.asp');
    expect(third.status).toBe(200);
    expect(third.port).toBe(first.port);
    expect(logs.some((l) => l.event === 'ntlm' && l.user === 'CONTOSO\\alice')).toBe(true);
    c.close();
    const other = connection(server.url);
    expect((await other.send('/certsrv/')).status).toBe(401);
    other.close();
  });

  it('answers Negotiate carrying raw NTLMSSP under Negotiate, and takes the DNS domain, an empty one, UPN-less names', async () => {
    for (const [scheme, domain] of [
      ['Negotiate', 'CONTOSO'],
      ['NTLM', 'contoso.com'],
      ['NTLM', ''],
      ['negotiate', 'contoso'],
    ] as const) {
      const c = connection(server.url);
      const { first, second } = await handshake(c, 'alice', domain, 'alice-Passw0rd', scheme);
      const word = scheme.toLowerCase() === 'ntlm' ? 'NTLM' : 'Negotiate';
      expect(first.challenges[0]?.startsWith(`${word} `), `${scheme} ${domain}`).toBe(true);
      expect(second.status, `${scheme} ${domain}`).toBe(200);
      c.close();
    }
  });

  it('refuses a wrong password, an unknown user, an account without an NT hash, and a type 3 without a challenge', async () => {
    for (const [user, password] of [
      ['alice', 'wrong'],
      ['mallory', 'alice-Passw0rd'],
      ['bob', 'bob-Passw0rd'],
    ] as const) {
      const c = connection(server.url);
      const { second } = await handshake(c, user, 'CONTOSO', password);
      expect(second.status, user).toBe(401);
      expect(second.challenges, user).toEqual(['Negotiate', 'NTLM', 'Basic realm="pki.contoso.com"']);
      // Still not signed in.
      expect((await c.send('/certsrv/')).status).toBe(401);
      c.close();
    }
    expect(await basicStatus('bob', 'bob-Passw0rd')).toBe(200); // bob still has Basic
    const c = connection(server.url);
    const first = await c.send('/certsrv/', {
      authorization: `NTLM ${Buffer.from(buildNegotiateMessage()).toString('base64')}`,
    });
    const type3 = buildAuthenticateMessage({
      challenge: new Uint8Array(Buffer.from(first.challenges[0]!.slice(5), 'base64')),
      user: 'alice',
      domain: 'CONTOSO',
      password: 'alice-Passw0rd',
    });
    const header = { authorization: `NTLM ${Buffer.from(type3).toString('base64')}` };
    expect((await c.send('/certsrv/', header)).status).toBe(200);
    // The same type 3 again: the challenge was used up.
    expect((await c.send('/certsrv/', header)).status).toBe(401);
    c.close();
    const fresh = connection(server.url);
    expect((await fresh.send('/certsrv/', header)).status).toBe(401); // another connection's challenge
    fresh.close();
    expect(logs.some((l) => l.event === 'ntlm-no-challenge')).toBe(true);
  });

  it('checks the MIC a client sends over the three messages (MS-NLMP §3.2.5.1.2): a changed message or MIC fails', async () => {
    const keyExch = buildNegotiateMessage(0xe2088297); // KEY_EXCH, SIGN, SEAL too
    for (const [label, type1, tamper, status] of [
      ['MIC', buildNegotiateMessage(), undefined, 200],
      ['MIC with KEY_EXCH', keyExch, undefined, 200],
      ['MIC byte changed', buildNegotiateMessage(), 'mic', 401],
      ['another type 1 than the one sent (a downgrade)', keyExch, 'type1', 401],
      // Right password, malformed session key: the same answer and event as a wrong MIC (an
      // error here must not tell that the password was right), and counted by the throttle.
      ['a 15-byte session key', keyExch, 'key', 401],
    ] as const) {
      const c = connection(server.url);
      const first = await c.send('/certsrv/', {
        authorization: `NTLM ${Buffer.from(type1).toString('base64')}`,
      });
      const type2 = new Uint8Array(Buffer.from(first.challenges[0]!.slice(5), 'base64'));
      const type3 = buildAuthenticateMessage({
        challenge: type2,
        user: 'alice',
        domain: 'CONTOSO',
        password: 'alice-Passw0rd',
        randomSessionKey: new Uint8Array(16).fill(9),
        negotiateMessage: tamper === 'type1' ? buildNegotiateMessage() : type1,
      });
      if (tamper === 'mic') type3[80]! ^= 0x10;
      if (tamper === 'key') type3[52] = 15; // EncryptedRandomSessionKey 15 bytes long
      const from = logs.length;
      const r = await c.send('/certsrv/', { authorization: `NTLM ${Buffer.from(type3).toString('base64')}` });
      expect(r.status, label).toBe(status);
      if (status === 401) {
        expect(
          logs.slice(from).map((l) => l.event),
          label,
        ).toContain('ntlm-mic-failed');
        expect((await c.send('/certsrv/')).status, label).toBe(401);
      }
      c.close();
    }
  });

  it('answers garbage, SPNEGO and Kerberos tokens with the challenges again, never a 500', async () => {
    const c = connection(server.url);
    for (const token of [
      'NTLM !!!',
      'NTLM AAAA',
      `NTLM ${Buffer.from('NTLMSSP\0\x09\0\0\0').toString('base64')}`,
      `Negotiate ${Buffer.from([0x60, 0x28, 0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02]).toString('base64')}`,
      `NTLM ${Buffer.from('NTLMSSP\0\x03\0\0\0').toString('base64')}`,
    ]) {
      const r = await c.send('/certsrv/', { authorization: token });
      expect(r.status, token).toBe(401);
      expect(r.challenges, token).toEqual(['Negotiate', 'NTLM', 'Basic realm="pki.contoso.com"']);
    }
    c.close();
  });

  it('any other credentials on a signed-in connection end its sign-in, even when they fail', async () => {
    for (const [label, header] of [
      ['replayed type 3', undefined],
      ['wrong Basic', basic('alice', 'wrong')],
      ['garbage NTLM', 'NTLM AAAA'],
      ['SPNEGO', `Negotiate ${Buffer.from([0x60, 0x03, 0x06, 0x01, 0x00]).toString('base64')}`],
      ['good Basic of bob', basic('bob', 'bob-Passw0rd')],
    ] as const) {
      const c = connection(server.url);
      const { second } = await handshake(c, 'alice', 'CONTOSO', 'alice-Passw0rd');
      expect(second.status, label).toBe(200);
      const again = await c.send('/certsrv/', { authorization: header ?? lastType3 });
      expect(again.status, label).toBe(label === 'good Basic of bob' ? 200 : 401);
      expect((await c.send('/certsrv/')).status, label).toBe(401);
      c.close();
    }
  });

  it('a removed account or a new password ends the signed-in connection at its next request', async () => {
    await users.add('carol', 'carol-Passw0rd');
    const c = connection(server.url);
    expect((await handshake(c, 'carol', 'CONTOSO', 'carol-Passw0rd')).second.status).toBe(200);
    expect((await c.send('/certsrv/')).status).toBe(200);
    users.remove('carol');
    expect((await c.send('/certsrv/')).status).toBe(401);
    c.close();
  });

  it('an administrator signed in with NTLM reaches the console; a user does not', async () => {
    const c = connection(server.url);
    expect(
      (await handshake(c, 'caadmin', 'CONTOSO', 'admin-Passw0rd', 'NTLM', '/certsrv/admin/')).second.status,
    ).toBe(200);
    c.close();
    const u = connection(server.url);
    expect(
      (await handshake(u, 'alice', 'CONTOSO', 'alice-Passw0rd', 'NTLM', '/certsrv/admin/')).second.status,
    ).toBe(403);
    u.close();
  });
});

async function basicStatus(user: string, password: string): Promise<number> {
  const c = connection(server.url);
  const r = await c.send('/certsrv/', { authorization: basic(user, password) });
  c.close();
  return r.status;
}

describeWithTool('curl', 'curl --ntlm, a real NTLM client', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'certlab-ntlm-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('signs in and enrolls: POST certfnsh.asp, then downloads the certificate', async () => {
    const curl = async (...args: string[]) =>
      (
        await promisify(execFile)(
          'curl',
          ['-sS', '--fail-with-body', '--ntlm', '-u', 'CONTOSO\\alice:alice-Passw0rd', ...args],
          {
            cwd: dir,
            encoding: 'utf8',
          },
        )
      ).stdout;
    expect(await curl(`${ntlmOnly.url}/certsrv/`)).toContain(
      'Microsoft Active Directory Certificate Services',
    );
    await writeExchangeRequest(dir);
    const page = await curl(
      '--data-urlencode',
      'Mode=newreq',
      '--data-urlencode',
      'CertRequest@exch01.req',
      '--data-urlencode',
      'CertAttrib=CertificateTemplate:WebServer',
      `${ntlmOnly.url}/certsrv/certfnsh.asp`,
    );
    const id = /certnew\.cer\?ReqID=(\d+)&/.exec(page)?.[1];
    expect(id, page).toBeDefined();
    const pem = await curl(`${ntlmOnly.url}/certsrv/certnew.cer?ReqID=${id}&Enc=b64`);
    expect(pem).toContain('-----BEGIN CERTIFICATE-----');
    const wrong = await promisify(execFile)(
      'curl',
      [
        '-s',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        '--ntlm',
        '-u',
        'CONTOSO\\alice:wrong',
        `${ntlmOnly.url}/certsrv/`,
      ],
      { encoding: 'utf8' },
    );
    expect(wrong.stdout).toBe('401');
  });
});
