// Extended Protection for Authentication on NTLM sign-in (IIS tokenChecking None / Allow /
// Require; KB5005413's mitigation of NTLM relay to AD CS web enrollment): over HTTPS the client's
// MsvAvChannelBindings must be the hash of this connection's certificate (RFC 5929
// tls-server-end-point), over HTTP its MsvAvTargetName one of the server's SPNs. A relay is
// played by a client that computes its bindings for another certificate or names another host,
// as a victim talking to the relay would. Chromium, an independent NTLM client, is in
// certsrv-chromium.test.ts.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { decodePem } from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itWithTool } from '../../../test/support/tools.js';
import { checkExtendedProtection, tlsServerEndPoint } from '../src/certsrv/extended-protection.js';
import {
  authenticateMessageBindings,
  buildAuthenticateMessage,
  buildChallengeMessage,
  buildNegotiateMessage,
  parseAuthenticateMessage,
} from '../src/certsrv/ntlm.js';
import {
  type CertificationAuthority,
  type CertsrvServer,
  type ExtendedProtection,
  issueTlsCertificate,
  ntlmChannelBindingsHash,
  startCertsrv,
  type TlsCredentials,
  UserDirectory,
} from '../src/index.js';
import { contosoAuthority } from './support/certsrv-fixture.js';

let ca: CertificationAuthority;
let users: UserDirectory;
let tls: TlsCredentials;
/** The certificate a relay would present to its victim: same CA, same name, another key. */
let relayTls: TlsCredentials;
const servers = new Map<ExtendedProtection, CertsrvServer>();
const events: (string | undefined)[] = [];

const der = (pem: string) => decodePem(pem)[0]!.bytes;
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** One keep-alive connection to `url` (http or https); `send` answers status and challenges. */
function connection(url: string) {
  const https = url.startsWith('https:');
  const agent = https
    ? new HttpsAgent({ keepAlive: true, maxSockets: 1, ca: ca.chain.map((c) => c.toPem()).join('') })
    : new HttpAgent({ keepAlive: true, maxSockets: 1 });
  const request = https ? httpsRequest : httpRequest;
  const send = (headers: Record<string, string>) =>
    new Promise<{ status: number; challenge: string }>((resolve, reject) => {
      const req = request(`${url}/certsrv/`, { agent, headers }, (res: IncomingMessage) => {
        res.resume();
        res.on('end', () => {
          const h = res.headers['www-authenticate'];
          resolve({ status: res.statusCode ?? 0, challenge: (Array.isArray(h) ? h[0] : h) ?? '' });
        });
      });
      req.on('error', reject);
      req.end();
    });
  return { send, close: () => agent.destroy() };
}

/** Signs in as alice over one connection, the type 3 carrying `bindings`; the final status. */
async function signIn(
  url: string,
  bindings: { channelBindings?: Uint8Array; targetName?: string } = {},
  password = 'alice-Passw0rd',
): Promise<number> {
  const conn = connection(url);
  try {
    const type1 = buildNegotiateMessage();
    const first = await conn.send({ authorization: `NTLM ${b64(type1)}` });
    expect(first.status).toBe(401);
    const type2 = new Uint8Array(Buffer.from(first.challenge.split(' ')[1] ?? '', 'base64'));
    const type3 = buildAuthenticateMessage({
      challenge: type2,
      user: 'alice',
      domain: 'CONTOSO',
      password,
      negotiateMessage: type1,
      ...bindings,
    });
    return (await conn.send({ authorization: `NTLM ${b64(type3)}` })).status;
  } finally {
    conn.close();
  }
}

function site(mode: ExtendedProtection): CertsrvServer {
  return servers.get(mode)!;
}
const httpsUrl = (mode: ExtendedProtection) => `https://localhost:${new URL(site(mode).httpsUrl!).port}`;
const httpUrl = (mode: ExtendedProtection, host = 'localhost') =>
  `http://${host}:${new URL(site(mode).url).port}`;

beforeAll(async () => {
  ca = await contosoAuthority('Contoso Issuing CA');
  users = new UserDirectory('CONTOSO');
  users.ntlm = true;
  await users.add('alice', 'alice-Passw0rd');
  tls = await issueTlsCertificate(ca, ['localhost']);
  relayTls = await issueTlsCertificate(ca, ['localhost']);
  for (const mode of ['none', 'allow', 'require'] as const)
    servers.set(
      mode,
      await startCertsrv({
        ca,
        users,
        ntlm: true,
        basic: false,
        extendedProtection: mode,
        https: { key: tls.key, cert: tls.cert },
        crlSchedule: false,
        log: (e) => events.push(e.event),
      }),
    );
}, 60_000);

afterAll(async () => {
  for (const s of servers.values()) await s.close();
  await ca?.close();
});

describe('Extended Protection over HTTPS: channel binding (RFC 5929 tls-server-end-point)', () => {
  const ours = () => ntlmChannelBindingsHash(tlsServerEndPoint(der(tls.cert)));
  const relays = () => ntlmChannelBindingsHash(tlsServerEndPoint(der(relayTls.cert)));

  it('require: our certificate signs in; a relay’s certificate, none, or all zeros are refused', async () => {
    expect(await signIn(httpsUrl('require'), { channelBindings: ours() })).toBe(200);
    events.length = 0;
    expect(await signIn(httpsUrl('require'), { channelBindings: relays() })).toBe(401);
    expect(events).toContain('ntlm-bad-bindings');
    events.length = 0;
    expect(await signIn(httpsUrl('require'))).toBe(401);
    expect(await signIn(httpsUrl('require'), { channelBindings: new Uint8Array(16) })).toBe(401);
    expect(events.filter((e) => e === 'ntlm-no-bindings')).toHaveLength(2);
    // The binding comes after the password: a wrong one is still a wrong password.
    events.length = 0;
    expect(await signIn(httpsUrl('require'), { channelBindings: ours() }, 'wrong')).toBe(401);
    expect(events).toContain('auth-failed');
  });

  it('allow: checks a binding that is sent, accepts a client that sends none', async () => {
    expect(await signIn(httpsUrl('allow'), { channelBindings: ours() })).toBe(200);
    expect(await signIn(httpsUrl('allow'))).toBe(200);
    expect(await signIn(httpsUrl('allow'), { channelBindings: new Uint8Array(16) })).toBe(200);
    expect(await signIn(httpsUrl('allow'), { channelBindings: relays() })).toBe(401);
  });

  it('none (the default, as IIS): the relay’s binding is not looked at', async () => {
    expect(await signIn(httpsUrl('none'), { channelBindings: relays() })).toBe(200);
  });

  it('the value is MD5 over an address-less gss_channel_bindings_struct around the certificate hash', () => {
    const appData = tlsServerEndPoint(der(tls.cert));
    const certHash = createHash('sha256').update(der(tls.cert)).digest();
    expect(Buffer.from(appData)).toEqual(Buffer.concat([Buffer.from('tls-server-end-point:'), certHash]));
    const struct = Buffer.concat([Buffer.alloc(16), Buffer.from([appData.length, 0, 0, 0]), appData]);
    expect(Buffer.from(ntlmChannelBindingsHash(appData))).toEqual(createHash('md5').update(struct).digest());
  });

  itWithTool(
    'openssl',
    'hashes with the certificate’s signature hash, SHA-256 for SHA-1 (RFC 5929 §4.1)',
    () => {
      for (const [curve, digest, expected] of [
        ['P-384', 'sha384', 'sha384'],
        ['P-256', 'sha1', 'sha256'],
        ['P-521', 'sha512', 'sha512'],
      ] as const) {
        const pem = execFileSync(
          'openssl',
          [
            'req',
            '-x509',
            '-newkey',
            'ec',
            '-pkeyopt',
            `ec_paramgen_curve:${curve}`,
            `-${digest}`,
            '-nodes',
            '-subj',
            '/CN=relay',
            '-keyout',
            '/dev/null',
          ],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
        );
        const cert = der(pem);
        const appData = tlsServerEndPoint(cert);
        expect(Buffer.from(appData.subarray(21)).toString('hex'), `${curve} ${digest}`).toBe(
          createHash(expected).update(cert).digest('hex'),
        );
      }
    },
  );
});

describe('Extended Protection over HTTP: service binding (the SPN the client meant)', () => {
  it('require: our SPN signs in (any case, with a port); another host, or none, is refused', async () => {
    expect(await signIn(httpUrl('require'), { targetName: 'HTTP/localhost' })).toBe(200);
    expect(await signIn(httpUrl('require'), { targetName: 'http/LOCALHOST:8080' })).toBe(200);
    // The CA's server DNS name (pki.contoso.com here) is the other default SPN.
    expect(await signIn(httpUrl('require'), { targetName: 'HTTP/pki.contoso.com' })).toBe(200);
    events.length = 0;
    expect(await signIn(httpUrl('require'), { targetName: 'HTTP/relay.contoso.com' })).toBe(401);
    expect(await signIn(httpUrl('require'), { targetName: 'cifs/pki.contoso.com' })).toBe(401);
    expect(events.filter((e) => e === 'ntlm-bad-spn')).toHaveLength(2);
    events.length = 0;
    expect(await signIn(httpUrl('require'))).toBe(401);
    expect(events).toContain('ntlm-no-spn');
  });

  it('allow: checks a target name that is sent, accepts none', async () => {
    expect(await signIn(httpUrl('allow'))).toBe(200);
    expect(await signIn(httpUrl('allow'), { targetName: 'HTTP/relay.contoso.com' })).toBe(401);
  });

  it('the SPN list is an option; extendedProtection needs NTLM and a known mode', async () => {
    const custom = await startCertsrv({
      ca,
      users,
      ntlm: true,
      extendedProtection: 'require',
      servicePrincipalNames: ['HTTP/ca01.contoso.com'],
      crlSchedule: false,
    });
    try {
      expect(await signIn(custom.url, { targetName: 'HTTP/ca01.contoso.com' })).toBe(200);
      expect(await signIn(custom.url, { targetName: 'HTTP/localhost' })).toBe(401);
    } finally {
      await custom.close();
    }
    await expect(
      startCertsrv({ ca, users, extendedProtection: 'require', crlSchedule: false }),
    ).rejects.toMatchObject({
      code: 'ERR_CA_OPTIONS_INVALID',
    });
    await expect(
      startCertsrv({
        ca,
        users,
        ntlm: true,
        extendedProtection: 'always' as ExtendedProtection,
        crlSchedule: false,
      }),
    ).rejects.toThrow(TypeError);
  });
});

describe('the bindings in an AUTHENTICATE_MESSAGE', () => {
  it('are read back as built, and checked as IIS would', () => {
    const type1 = buildNegotiateMessage();
    const challenge = buildChallengeMessage({
      negotiateFlags: 0xa2088207,
      serverChallenge: new Uint8Array(8).fill(1),
      netbiosDomain: 'CONTOSO',
      netbiosComputer: 'CA01',
      dnsDomain: 'contoso.com',
      dnsComputer: 'ca01.contoso.com',
      now: new Date('2026-11-30T12:00:00Z'),
    });
    const channelBindings = new Uint8Array(16).fill(7);
    const type3 = buildAuthenticateMessage({
      challenge,
      user: 'alice',
      domain: 'CONTOSO',
      password: 'x',
      negotiateMessage: type1,
      channelBindings,
      targetName: 'HTTP/ca01.contoso.com',
    });
    const read = authenticateMessageBindings(parseAuthenticateMessage(type3));
    expect(read.targetName).toBe('HTTP/ca01.contoso.com');
    expect(Buffer.from(read.channelBindings!)).toEqual(Buffer.from(channelBindings));
    const spns = ['HTTP/ca01.contoso.com'];
    expect(
      checkExtendedProtection(
        { mode: 'require', expectedBindings: channelBindings, servicePrincipalNames: spns },
        read,
      ),
    ).toBeUndefined();
    expect(
      checkExtendedProtection(
        { mode: 'require', expectedBindings: new Uint8Array(16).fill(8), servicePrincipalNames: spns },
        read,
      ),
    ).toBe('ntlm-bad-bindings');
    expect(checkExtendedProtection({ mode: 'require', servicePrincipalNames: spns }, read)).toBeUndefined();
    expect(checkExtendedProtection({ mode: 'require', servicePrincipalNames: ['HTTP/x'] }, read)).toBe(
      'ntlm-bad-spn',
    );
    expect(
      checkExtendedProtection({ mode: 'none', servicePrincipalNames: ['HTTP/x'] }, read),
    ).toBeUndefined();
    expect(
      checkExtendedProtection(
        { mode: 'require', servicePrincipalNames: spns },
        { targetName: 'HTTP/[::1]:80' },
      ),
    ).toBe('ntlm-bad-spn');
    expect(
      checkExtendedProtection(
        { mode: 'require', servicePrincipalNames: ['HTTP/[::1]'] },
        { targetName: 'HTTP/[::1]:80' },
      ),
    ).toBeUndefined();
  });
});
