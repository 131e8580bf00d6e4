// Extended Protection for Authentication on NTLM sign-in (IIS tokenChecking None / Allow /
// Require; KB5005413's mitigation of NTLM relay to AD CS web enrollment): over HTTPS the client's
// MsvAvChannelBindings must be the hash of this connection's certificate (RFC 5929
// tls-server-end-point), over HTTP its MsvAvTargetName one of the server's SPNs. A relay is
// played by a client that computes its bindings for another certificate or names another host,
// as a victim talking to the relay would. Require SSL, the other mitigation, at the end. Chromium and curl + gss-ntlmssp, independent NTLM
// clients, are in certsrv-chromium.test.ts and certsrv-spnego.test.ts.

import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodePem } from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithRequirement, itWithTool } from '../../../test/support/tools.js';
import { checkExtendedProtection } from '../src/certsrv/extended-protection.js';
import {
  authenticateMessageBindings,
  buildAuthenticateMessage,
  buildChallengeMessage,
  buildNegotiateMessage,
  parseAuthenticateMessage,
} from '../src/certsrv/ntlm.js';
import {
  buildNegTokenInit,
  buildNegTokenResp,
  NTLMSSP_OID,
  parseSpnegoToken,
} from '../src/certsrv/spnego.js';
import {
  type CertificationAuthority,
  type CertsrvServer,
  defaultServicePrincipalNames,
  type ExtendedProtection,
  issueTlsCertificate,
  ntlmChannelBindingsHash,
  startCertsrv,
  type TlsCredentials,
  tlsServerEndPoint,
  UserDirectory,
} from '../src/index.js';
import { contosoAuthority } from './support/certsrv-fixture.js';
import { keepAliveConnection } from './support/keep-alive-client.js';

let ca: CertificationAuthority;
let users: UserDirectory;
let tls: TlsCredentials;
/** The certificate a relay would present to its victim: same CA, same name, another key. */
let relayTls: TlsCredentials;
const servers = new Map<ExtendedProtection, CertsrvServer>();
const events: (string | undefined)[] = [];

const der = (pem: string) => decodePem(pem)[0]!.bytes;
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const ours = () => ntlmChannelBindingsHash(tlsServerEndPoint(der(tls.cert))!);
const relays = () => ntlmChannelBindingsHash(tlsServerEndPoint(der(relayTls.cert))!);

/** One keep-alive connection to `url` (http or https, trusting the CA); `send` GETs /certsrv/. */
function connection(url: string) {
  const c = keepAliveConnection(url, { ca: ca.chain.map((cert) => cert.toPem()).join('') });
  return {
    send: async (headers: Record<string, string>) => {
      const r = await c.send('/certsrv/', headers);
      return { status: r.status, challenge: r.challenges[0] ?? '' };
    },
    close: c.close,
  };
}

/**
 * Signs in as alice over one connection, the type 3 carrying `bindings` (with a MIC unless
 * `noMic`; inside SPNEGO under Negotiate with `spnego`); the final status.
 */
async function signIn(
  url: string,
  bindings: { channelBindings?: Uint8Array; targetName?: string } = {},
  o: { password?: string; noMic?: boolean; spnego?: boolean } = {},
): Promise<number> {
  const conn = connection(url);
  try {
    const type1 = buildNegotiateMessage();
    const first = await conn.send({
      authorization: o.spnego
        ? `Negotiate ${b64(buildNegTokenInit({ mechTypes: [NTLMSSP_OID], mechToken: type1 }))}`
        : `NTLM ${b64(type1)}`,
    });
    expect(first.status).toBe(401);
    const token = new Uint8Array(Buffer.from(first.challenge.split(' ')[1] ?? '', 'base64'));
    let type2: Uint8Array = token;
    if (o.spnego) {
      const answer = parseSpnegoToken(token);
      if (answer.kind !== 'resp' || !answer.responseToken) throw new Error('no type 2 in SPNEGO');
      type2 = answer.responseToken;
    }
    const type3 = buildAuthenticateMessage({
      challenge: type2,
      user: 'alice',
      domain: 'CONTOSO',
      password: o.password ?? 'alice-Passw0rd',
      ...(o.noMic ? {} : { negotiateMessage: type1 }),
      ...bindings,
    });
    const authorization = o.spnego
      ? `Negotiate ${b64(buildNegTokenResp({ responseToken: type3 }))}`
      : `NTLM ${b64(type3)}`;
    return (await conn.send({ authorization })).status;
  } finally {
    conn.close();
  }
}

const site = (mode: ExtendedProtection) => servers.get(mode)!;
const httpsUrl = (mode: ExtendedProtection) => `https://localhost:${new URL(site(mode).httpsUrl!).port}`;
const httpUrl = (mode: ExtendedProtection) => `http://localhost:${new URL(site(mode).url).port}`;

/** A self-signed certificate and its key from `openssl req -x509` with `args`. */
function opensslCertificate(args: string[]): { cert: string; key: string } {
  const out = execFileSync(
    'openssl',
    ['req', '-x509', ...args, '-nodes', '-subj', '/CN=localhost', '-keyout', '-'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const block = (label: string) =>
    new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----\\n`).exec(out)![0];
  return { cert: block('CERTIFICATE'), key: block('PRIVATE KEY') };
}

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
        // none: the option left out, the default.
        ...(mode === 'none' ? {} : { extendedProtection: mode }),
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
    expect(await signIn(httpsUrl('require'), { channelBindings: ours() }, { password: 'wrong' })).toBe(401);
    expect(events).toContain('auth-failed');
  });

  it('allow: checks a binding that is sent, accepts a client that sends none', async () => {
    expect(await signIn(httpsUrl('allow'), { channelBindings: ours() })).toBe(200);
    expect(await signIn(httpsUrl('allow'))).toBe(200);
    expect(await signIn(httpsUrl('allow'), { channelBindings: new Uint8Array(16) })).toBe(200);
    expect(await signIn(httpsUrl('allow'), { channelBindings: relays() })).toBe(401);
    // A binding that is not 16 bytes is a wrong one, not a missing one.
    expect(await signIn(httpsUrl('allow'), { channelBindings: ours().subarray(0, 8) })).toBe(401);
  });

  it('allow: no binding but a target name that is not ours (a victim sent over HTTP to a relay) is refused', async () => {
    events.length = 0;
    expect(await signIn(httpsUrl('allow'), { targetName: 'HTTP/relay.contoso.com' })).toBe(401);
    expect(events).toContain('ntlm-bad-spn');
    expect(await signIn(httpsUrl('allow'), { targetName: 'HTTP/localhost' })).toBe(200);
  });

  it('none, the default (as IIS): the relay’s binding is not looked at', async () => {
    expect(await signIn(httpsUrl('none'), { channelBindings: relays() })).toBe(200);
  });

  it('checks inside SPNEGO as bare, with or without a MIC; a wrong binding counts as a failed sign-in', async () => {
    expect(await signIn(httpsUrl('require'), { channelBindings: relays() }, { spnego: true })).toBe(401);
    expect(await signIn(httpsUrl('require'), { channelBindings: ours() }, { spnego: true })).toBe(200);
    expect(await signIn(httpsUrl('require'), { channelBindings: relays() }, { noMic: true })).toBe(401);
    expect(await signIn(httpsUrl('require'), { channelBindings: ours() }, { noMic: true })).toBe(200);
    const strict = await startCertsrv({
      ca,
      users,
      ntlm: true,
      extendedProtection: 'require',
      https: { key: tls.key, cert: tls.cert },
      maxAuthFailures: 2,
      crlSchedule: false,
      log: (e) => events.push(e.event),
    });
    try {
      const url = `https://localhost:${new URL(strict.httpsUrl!).port}`;
      expect(await signIn(url, { channelBindings: relays() })).toBe(401);
      expect(await signIn(url, { channelBindings: relays() })).toBe(401);
      events.length = 0;
      expect(await signIn(url, { channelBindings: ours() })).toBe(401);
      expect(events).toContain('auth-throttled');
    } finally {
      await strict.close();
    }
  });

  it('the value is MD5 over an address-less gss_channel_bindings_struct around the certificate hash', () => {
    const appData = tlsServerEndPoint(der(tls.cert))!;
    const certHash = createHash('sha256').update(der(tls.cert)).digest();
    expect(Buffer.from(appData)).toEqual(Buffer.concat([Buffer.from('tls-server-end-point:'), certHash]));
    const struct = Buffer.concat([Buffer.alloc(16), Buffer.from([appData.length, 0, 0, 0]), appData]);
    expect(Buffer.from(ntlmChannelBindingsHash(appData))).toEqual(createHash('md5').update(struct).digest());
  });

  itWithTool(
    'openssl',
    'hashes with the signature’s hash, SHA-256 for SHA-1 (RFC 5929 §4.1), and defines none for Ed25519',
    () => {
      const cases: [string[], string | undefined][] = [
        [['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384', '-sha384'], 'sha384'],
        [['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-sha1'], 'sha256'],
        [['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-521', '-sha512'], 'sha512'],
        [['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-sha224'], 'sha224'],
        [['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-sha3-256'], 'sha3-256'],
        [['-newkey', 'rsa:2048', '-sha256'], 'sha256'],
        [['-newkey', 'rsa:2048', '-sha224'], 'sha224'],
        [['-newkey', 'rsa:2048', '-sha384', '-sigopt', 'rsa_padding_mode:pss'], 'sha384'],
        [['-newkey', 'ed25519'], undefined],
      ];
      for (const [args, expected] of cases) {
        const cert = der(opensslCertificate(args).cert);
        const appData = tlsServerEndPoint(cert);
        if (expected === undefined) expect(appData, args.join(' ')).toBeUndefined();
        else
          expect(Buffer.from(appData!.subarray(21)).toString('hex'), args.join(' ')).toBe(
            createHash(expected).update(cert).digest('hex'),
          );
      }
    },
  );

  itWithTool(
    'openssl',
    'does not start when the HTTPS certificate defines no binding (Ed25519)',
    async () => {
      const ed = opensslCertificate(['-newkey', 'ed25519']);
      await expect(
        startCertsrv({ ca, users, ntlm: true, extendedProtection: 'allow', https: ed, crlSchedule: false }),
      ).rejects.toMatchObject({ code: 'ERR_CA_OPTIONS_INVALID' });
      // Without Extended Protection the same certificate serves.
      const plain = await startCertsrv({ ca, users, ntlm: true, https: ed, crlSchedule: false });
      await plain.close();
    },
  );
});

describe('Extended Protection over HTTP: service binding (the SPN the client meant)', () => {
  it('require: our SPN signs in (any case, with a port); another host, or none, is refused', async () => {
    expect(await signIn(httpUrl('require'), { targetName: 'HTTP/localhost' })).toBe(200);
    expect(await signIn(httpUrl('require'), { targetName: 'http/LOCALHOST:8080' })).toBe(200);
    // The CA's server DNS name (pki.contoso.com here) is a default SPN too.
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

  it('the SPN list is an option, checked at start; extendedProtection needs NTLM and a known mode', async () => {
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
    const mode = 'always' as ExtendedProtection;
    await expect(
      startCertsrv({ ca, users, ntlm: true, extendedProtection: mode, crlSchedule: false }),
    ).rejects.toThrow(TypeError);
    for (const bad of [['ca01.contoso.com'], 'HTTP/ca01.contoso.com', [7]] as unknown as string[][])
      await expect(
        startCertsrv({
          ca,
          users,
          ntlm: true,
          extendedProtection: 'require',
          servicePrincipalNames: bad,
          crlSchedule: false,
        }),
      ).rejects.toThrow(TypeError);
    // A refused start takes no port: the same port is free at once.
    const probe = createNetServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    await expect(
      startCertsrv({ ca, users, port, extendedProtection: 'require', crlSchedule: false }),
    ).rejects.toMatchObject({ code: 'ERR_CA_OPTIONS_INVALID' });
    const again = createNetServer();
    await new Promise<void>((resolve, reject) =>
      again.once('error', reject).listen(port, '127.0.0.1', resolve),
    );
    await new Promise((resolve) => again.close(resolve));
  });

  it('compares SPNs by service class and host, any case, a trailing dot dropped, IPv6 bracketed; ports when both name one', () => {
    const check = (spns: string[], targetName: string) =>
      checkExtendedProtection({ mode: 'require', servicePrincipalNames: spns }, { targetName });
    expect(check(['HTTP/ca01.contoso.com'], 'http/CA01.contoso.com.')).toBeUndefined();
    expect(check(['HTTP/::1'], 'HTTP/[::1]:8080')).toBeUndefined();
    expect(check(['HTTP/[::1]'], 'HTTP/[::1]')).toBeUndefined();
    expect(check(['HTTP/ca01.contoso.com:8080'], 'HTTP/ca01.contoso.com:8081')).toBe('ntlm-bad-spn');
    expect(check(['HTTP/ca01.contoso.com:8080'], 'HTTP/ca01.contoso.com')).toBeUndefined();
    expect(check(['HTTP/ca01.contoso.com'], 'HTTP/ca01.contoso.com/extra')).toBeUndefined();
    expect(check(['HTTP/ca01.contoso.com'], 'HTTP/ca01.contoso.com.evil')).toBe('ntlm-bad-spn');
    expect(check(['HTTP/ca01.contoso.com'], 'HOST/ca01.contoso.com')).toBe('ntlm-bad-spn');
    expect(check(['HTTP/ca01.contoso.com'], 'garbage')).toBe('ntlm-bad-spn');
    expect(defaultServicePrincipalNames(['pki.contoso.com', 'PKI.contoso.com', '::1', '10.0.0.5'])).toEqual([
      'HTTP/pki.contoso.com',
      'HTTP/[::1]',
      'HTTP/10.0.0.5',
      'HTTP/localhost',
      'HTTP/127.0.0.1',
    ]);
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
    const check = (
      expectedBindings: Uint8Array | undefined,
      servicePrincipalNames: string[],
      mode: ExtendedProtection = 'require',
    ) =>
      checkExtendedProtection(
        { mode, ...(expectedBindings ? { expectedBindings } : {}), servicePrincipalNames },
        read,
      );
    expect(check(channelBindings, spns)).toBeUndefined();
    expect(check(new Uint8Array(16).fill(8), spns)).toBe('ntlm-bad-bindings');
    expect(check(undefined, spns)).toBeUndefined();
    expect(check(undefined, ['HTTP/x'])).toBe('ntlm-bad-spn');
    expect(check(undefined, ['HTTP/x'], 'none')).toBeUndefined();
  });
});

describe('Require SSL (KB5005413’s other mitigation)', () => {
  it('answers /certsrv over HTTP with the 403 and no challenge; CertEnroll and /health stay on HTTP; HTTPS signs in', async () => {
    const log: (string | undefined)[] = [];
    const strict = await startCertsrv({
      ca,
      users,
      ntlm: true,
      requireSsl: true,
      https: { key: tls.key, cert: tls.cert },
      crlSchedule: false,
      log: (e) => log.push(e.event),
    });
    try {
      const cases: [string, string][] = [
        ['GET', '/certsrv/'],
        ['GET', '/certsrv'],
        ['POST', '/certsrv/certfnsh.asp'],
        ['GET', '/certsrv/admin/'],
        ['GET', '/CERTSRV/certnew.cer?ReqID=CACert'],
        ['GET', '/%63ertsrv/certcarc.asp'],
        ['HEAD', '/certsrv/'],
        ['OPTIONS', '/certsrv/'],
      ];
      for (const [method, path] of cases) {
        const r = await fetch(`${strict.url}${path}`, {
          method,
          headers: { authorization: `NTLM ${b64(buildNegotiateMessage())}` },
        });
        expect(r.status, `${method} ${path}`).toBe(403);
        expect(r.headers.get('www-authenticate'), path).toBeNull();
        if (method !== 'HEAD') expect(await r.text()).toContain('403 - Forbidden: Access is denied.');
      }
      expect(log.filter((e) => e === 'ssl-required')).toHaveLength(cases.length);
      // The courtesy redirect of / goes to the HTTPS site.
      const root = await fetch(`${strict.url}/`, { redirect: 'manual' });
      expect(root.status).toBe(302);
      expect(root.headers.get('location')).toBe(`${strict.httpsUrl}/certsrv/`);
      expect((await fetch(`${strict.url}/health`)).status).toBe(200);
      const crl = await fetch(`${strict.url}/CertEnroll/Contoso%20Issuing%20CA.crl`);
      expect(crl.status).toBe(200);
      expect(crl.headers.get('content-type')).toBe('application/pkix-crl');
      const url = `https://localhost:${new URL(strict.httpsUrl!).port}`;
      expect(await signIn(url, { channelBindings: ours() })).toBe(200);
    } finally {
      await strict.close();
    }
    await expect(startCertsrv({ ca, users, requireSsl: true, crlSchedule: false })).rejects.toMatchObject({
      code: 'ERR_CA_OPTIONS_INVALID',
    });
  });
});

// requests-ntlm (Debian python3-requests-ntlm 1.1, on ntlm-auth 1.4): the NTLM of Python
// enrollment scripts and libraries (reference: clients that parse certsrv's pages). Over HTTPS it
// computes the channel binding itself from the certificate it was shown: an implementation of
// RFC 5929 and the bindings hash that is not ours, nor Chromium's.
const PYTHON = '/usr/bin/python3';
const hasRequestsNtlm = () =>
  spawnSync(PYTHON, ['-c', 'import requests_ntlm'], { stdio: 'ignore' }).status === 0;
const REQUESTS_NTLM_GET = [
  'import sys, requests',
  'from requests_ntlm import HttpNtlmAuth',
  "r = requests.get(sys.argv[1], auth=HttpNtlmAuth('CONTOSO\\\\alice', 'alice-Passw0rd'), verify=sys.argv[2])",
  'print(r.status_code)',
].join('\n');

describeWithRequirement(
  hasRequestsNtlm(),
  `Python's requests-ntlm is needed (apt-get install python3-requests-ntlm; ${PYTHON}).`,
  'python3-requests-ntlm',
  'Extended Protection with requests-ntlm, a real Python NTLM client',
  () => {
    it('binds the HTTPS channel as we do: signs in under require; names no SPN, so HTTP require refuses it', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'certlab-requests-ntlm-'));
      try {
        const caFile = join(dir, 'ca.pem');
        await writeFile(caFile, ca.chain.map((c) => c.toPem()).join(''));
        // ntlm-auth hashes passwords with hashlib's MD4, which OpenSSL 3 keeps in its legacy
        // provider (as Node's does): a Debian 12 user of requests-ntlm loads it the same way.
        const openSslConf = join(dir, 'openssl.cnf');
        await writeFile(
          openSslConf,
          [
            'openssl_conf = openssl_init',
            '[openssl_init]',
            'providers = provider_sect',
            '[provider_sect]',
            'default = default_sect',
            'legacy = legacy_sect',
            '[default_sect]',
            'activate = 1',
            '[legacy_sect]',
            'activate = 1',
            '',
          ].join('\n'),
        );
        // Asynchronously: the server answering it runs in this process.
        const get = async (url: string) =>
          (
            await promisify(execFile)(PYTHON, ['-c', REQUESTS_NTLM_GET, `${url}/certsrv/`, caFile], {
              encoding: 'utf8',
              timeout: 30_000,
              env: { ...process.env, OPENSSL_CONF: openSslConf },
            })
          ).stdout.trim();
        events.length = 0;
        expect(await get(httpsUrl('require'))).toBe('200');
        expect(events).toContain('ntlm');
        expect(await get(httpsUrl('allow'))).toBe('200');
        events.length = 0;
        expect(await get(httpUrl('require'))).toBe('401');
        expect(events).toContain('ntlm-no-spn');
        expect(await get(httpUrl('allow'))).toBe('200');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  },
);
