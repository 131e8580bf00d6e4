// NTLM for the certsrv site (MS-NLMP, NTLMv2 only): MD4 against RFC 1320 and OpenSSL, the NT
// hash and the NTLMv2 response against the specification's own examples (§4.2.2, §4.2.4), the
// three messages round trip, and hostile tokens. The fast-check properties use a fixed seed so
// that a failure reproduces; nothing here reads the clock.

import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkExtendedProtection } from '../src/certsrv/extended-protection.js';
import {
  authenticateMessageBindings,
  authenticateMessageMic,
  buildAuthenticateMessage,
  buildChallengeMessage,
  buildNegotiateMessage,
  md4,
  NTLM_FLAGS,
  ntHash,
  ntlmMessageType,
  parseAuthenticateMessage,
  parseNegotiateMessage,
  verifyNtlmV2,
} from '../src/certsrv/ntlm.js';
import { isCaError } from '../src/errors.js';

const SEED = 20261130;
const RUNS = 1000;

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const fromHex = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const utf16 = (s: string) => new Uint8Array(Buffer.from(s, 'utf16le'));
const u16At = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u32At = (b: Uint8Array, at: number) =>
  (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
const hmacMd5 = (key: Uint8Array, ...data: Uint8Array[]) => {
  const h = createHmac('md5', key);
  for (const d of data) h.update(d);
  return new Uint8Array(h.digest());
};

/** Returns normally, or throws a CaError ERR_CA_NTLM_INVALID: anything else fails the test. */
function parsesOrRefuses(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!isCaError(e, 'ERR_CA_NTLM_INVALID')) throw e;
  }
}

function expectRefused(fn: () => unknown): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(isCaError(error, 'ERR_CA_NTLM_INVALID')).toBe(true);
}

// -------------------------------------------------------------------------------------------
// MD4
// -------------------------------------------------------------------------------------------

/** MD4 through OpenSSL's legacy provider, as a second opinion; undefined where it is refused. */
function opensslMd4(): ((data: Uint8Array) => string) | undefined {
  const run = (data: Uint8Array) =>
    execFileSync('openssl', ['dgst', '-md4', '-provider', 'legacy', '-provider', 'default', '-r'], {
      input: data,
      stdio: ['pipe', 'pipe', 'ignore'],
    })
      .toString('latin1')
      .split(' ')[0]!
      .trim();
  try {
    return run(ascii('abc')) === 'a448017aaf21d8525fc10ae87aa6729d' ? run : undefined;
  } catch {
    return undefined;
  }
}

describe('md4 (RFC 1320)', () => {
  it('matches the test suite of RFC 1320 appendix A.5', () => {
    const suite: [string, string][] = [
      ['', '31d6cfe0d16ae931b73c59d7e0c089c0'],
      ['a', 'bde52cb31de33e46245e05fbdbd6fb24'],
      ['abc', 'a448017aaf21d8525fc10ae87aa6729d'],
      ['message digest', 'd9130a8164549fe818874806e1c7014b'],
      ['abcdefghijklmnopqrstuvwxyz', 'd79e1c308aa5bbcdeea8ed63df412da9'],
      ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', '043f8582f241db351ce627e153e7f0e4'],
      [
        '12345678901234567890123456789012345678901234567890123456789012345678901234567890',
        'e33b4ddc9c38f2199c3e7b164fcc0536',
      ],
    ];
    for (const [input, digest] of suite) expect(hex(md4(ascii(input))), input).toBe(digest);
  });

  it('agrees with OpenSSL around the padding boundaries (55/56/64 bytes), when OpenSSL has MD4', () => {
    const openssl = opensslMd4();
    if (!openssl) return; // no legacy provider here: the RFC vectors above stand alone
    for (const n of [0, 1, 54, 55, 56, 57, 63, 64, 65, 119, 120, 121, 127, 128, 129, 1000]) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 0xff);
      expect(hex(md4(data)), `${n} bytes`).toBe(openssl(data));
    }
  });

  it('does not depend on the offset of a view into a larger buffer', () => {
    const big = Uint8Array.from({ length: 100 }, (_, i) => i);
    const view = big.subarray(10, 90);
    expect(hex(md4(view))).toBe(hex(md4(Uint8Array.from(view))));
  });
});

describe('ntHash (NTOWFv1, MS-NLMP §3.3.1)', () => {
  it('is a4f49c406510bdcab6824ee7c30fd852 for "Password" (§4.2.2.1.2)', () => {
    expect(hex(ntHash('Password'))).toBe('a4f49c406510bdcab6824ee7c30fd852');
  });

  it('is MD4 of the UTF-16LE password, the empty one included', () => {
    expect(hex(ntHash(''))).toBe('31d6cfe0d16ae931b73c59d7e0c089c0');
    expect(hex(ntHash('P@ssw0rd é€'))).toBe(hex(md4(utf16('P@ssw0rd é€'))));
  });
});

// -------------------------------------------------------------------------------------------
// MS-NLMP §4.2.4 NTLMv2 examples
// -------------------------------------------------------------------------------------------

/** §4.2.1 common values and the §4.2.4 inputs. */
const SPEC = {
  user: 'User',
  domain: 'Domain',
  password: 'Password',
  workstation: 'COMPUTER',
  serverChallenge: fromHex('0123456789abcdef'),
  clientChallenge: fromHex('aaaaaaaaaaaaaaaa'),
  /** §4.2.4: AV pairs MsvAvNbDomainName "Domain", MsvAvNbComputerName "Server", MsvAvEOL. */
  targetInfo: fromHex('02000c00 44006f006d00610069006e00 01000c00 530065007200760065007200 00000000'),
};
/** §3.3.2 temp: RespType, HiRespType, Z(6), Time (zero here), ClientChallenge, Z(4), ServerName, Z(4). */
const SPEC_TEMP = fromHex(
  `0101 000000000000 0000000000000000 aaaaaaaaaaaaaaaa 00000000 ${hex(SPEC.targetInfo)} 00000000`,
);
/** §4.2.4.2.2 NTLMv2 Response: NTProofStr followed by temp. */
const SPEC_NT_RESPONSE = fromHex(`68cd0ab851e51c96aabc927bebef6a1c ${hex(SPEC_TEMP)}`);
/** §4.2.4.2.1 LMv2 Response. */
const SPEC_LM_RESPONSE = fromHex('86c35097ac9cec102554764a57cccc19 aaaaaaaaaaaaaaaa');
/** §4.2.4.3 CHALLENGE_MESSAGE: flags e28a8233, TargetName "Server", the AV pairs above. */
const SPEC_CHALLENGE = fromHex(`
  4e544c4d53535000 02000000 0c000c0038000000 33828ae2 0123456789abcdef 0000000000000000
  2400240044000000 060070170000000f 530065007200760065007200 ${hex(SPEC.targetInfo)}`);
/** §4.2.4.3 AUTHENTICATE_MESSAGE (with Version 5.1.2600, an EncryptedRandomSessionKey, no MIC). */
const SPEC_AUTHENTICATE = fromHex(`
  4e544c4d5353500003000000180018006c00000054005400840000000c000c0048000000080008005400000010001000
  5c00000010001000d8000000358288e20501280a0000000f44006f006d00610069006e00550073006500720043004f00
  4d005000550054004500520086c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa68cd0ab851e51c96aabc927b
  ebef6a1c01010000000000000000000000000000aaaaaaaaaaaaaaaa0000000002000c0044006f006d00610069006e00
  01000c005300650072007600650072000000000000000000c5dad2544fc9799094ce1ce90bc9d03e`);
/** 1601-01-01T00:00:00Z, FILETIME zero: the time of the §4.2.4 examples. */
const FILETIME_ZERO = new Date(Date.UTC(1601, 0, 1));

describe('NTLMv2 (MS-NLMP §3.3.2) against the §4.2.4 examples', () => {
  const verifySpec = (o: Partial<Parameters<typeof verifyNtlmV2>[0]> = {}) =>
    verifyNtlmV2({
      ntHash: ntHash(SPEC.password),
      user: SPEC.user,
      domain: SPEC.domain,
      serverChallenge: SPEC.serverChallenge,
      ntResponse: SPEC_NT_RESPONSE,
      ...o,
    });

  it('derives NTOWFv2 (§4.2.4.1.1), NTProofStr (§4.2.4.2.2) and SessionBaseKey (§4.2.4.1.2)', () => {
    const ntowfV2 = hmacMd5(ntHash(SPEC.password), utf16(`${SPEC.user.toUpperCase()}${SPEC.domain}`));
    expect(hex(ntowfV2)).toBe('0c868a403bfd7a93a3001ef22ef02e3f');
    const proof = hmacMd5(ntowfV2, SPEC.serverChallenge, SPEC_TEMP);
    expect(hex(proof)).toBe('68cd0ab851e51c96aabc927bebef6a1c');
    expect(hex(hmacMd5(ntowfV2, proof))).toBe('8de40ccadbc14a82f15cb0ad0de95ca3');
    expect(hex(hmacMd5(ntowfV2, SPEC.serverChallenge, SPEC.clientChallenge))).toBe(
      hex(SPEC_LM_RESPONSE.subarray(0, 16)),
    );
    expect(SPEC_NT_RESPONSE.length).toBe(84);
  });

  it('accepts the §4.2.4.2.2 response, the user name in any case', () => {
    expect(verifySpec()).toBe(true);
    expect(verifySpec({ user: 'USER' })).toBe(true);
    expect(verifySpec({ user: 'user' })).toBe(true);
    expect(verifySpec({ ntHash: new Uint8Array(Buffer.from(ntHash('Password'))) })).toBe(true);
  });

  it('refuses a wrong password, another user, another domain (case included), another challenge', () => {
    expect(verifySpec({ ntHash: ntHash('password') })).toBe(false);
    expect(verifySpec({ ntHash: ntHash('Password1') })).toBe(false);
    expect(verifySpec({ user: 'User2' })).toBe(false);
    expect(verifySpec({ user: '' })).toBe(false);
    expect(verifySpec({ domain: 'DOMAIN' })).toBe(false);
    expect(verifySpec({ domain: 'Domain2' })).toBe(false);
    expect(verifySpec({ domain: '' })).toBe(false);
    expect(verifySpec({ serverChallenge: fromHex('0123456789abcdee') })).toBe(false);
    expect(verifySpec({ serverChallenge: new Uint8Array(8) })).toBe(false);
  });

  it('refuses the response with any one bit flipped', () => {
    for (let bit = 0; bit < SPEC_NT_RESPONSE.length * 8; bit++) {
      const r = Uint8Array.from(SPEC_NT_RESPONSE);
      r[bit >> 3]! ^= 1 << (bit & 7);
      expect(verifySpec({ ntResponse: r }), `bit ${bit}`).toBe(false);
    }
  });

  it('refuses every truncation and an extension of the response', () => {
    for (let n = 0; n < SPEC_NT_RESPONSE.length; n++)
      expect(verifySpec({ ntResponse: SPEC_NT_RESPONSE.slice(0, n) }), `${n} bytes`).toBe(false);
    const longer = new Uint8Array(SPEC_NT_RESPONSE.length + 1);
    longer.set(SPEC_NT_RESPONSE);
    expect(verifySpec({ ntResponse: longer })).toBe(false);
  });

  it('refuses NTLMv1 (24 bytes) and LM-only answers, as LmCompatibilityLevel 5 does', () => {
    expect(verifySpec({ ntResponse: SPEC_NT_RESPONSE.slice(0, 24) })).toBe(false);
    expect(verifySpec({ ntResponse: SPEC_LM_RESPONSE })).toBe(false);
    // §4.2.2.2.1 NTLMv1 response of the same inputs.
    expect(verifySpec({ ntResponse: fromHex('67c43011f30298a2ad35ece64f16331c44bdbed927841f94') })).toBe(
      false,
    );
    expect(verifySpec({ ntResponse: new Uint8Array(0) })).toBe(false);
  });

  it('refuses a temp whose RespType/HiRespType is not 1/1, even with a matching proof', () => {
    const ntowfV2 = hmacMd5(ntHash(SPEC.password), utf16('USERDomain'));
    for (const [resp, hiResp] of [
      [2, 1],
      [1, 0],
      [0, 0],
    ] as const) {
      const temp = Uint8Array.from(SPEC_TEMP);
      temp[0] = resp;
      temp[1] = hiResp;
      const forged = new Uint8Array([...hmacMd5(ntowfV2, SPEC.serverChallenge, temp), ...temp]);
      expect(verifySpec({ ntResponse: forged })).toBe(false);
    }
  });

  it('parses the §4.2.4.3 AUTHENTICATE_MESSAGE and verifies its response', () => {
    const msg = parseAuthenticateMessage(SPEC_AUTHENTICATE);
    expect(msg.flags).toBe(0xe2888235);
    expect(msg.domain).toBe('Domain');
    expect(msg.user).toBe('User');
    expect(msg.workstation).toBe('COMPUTER');
    expect(hex(msg.lmResponse)).toBe(hex(SPEC_LM_RESPONSE));
    expect(hex(msg.ntResponse)).toBe(hex(SPEC_NT_RESPONSE));
    expect(verifySpec({ user: msg.user, domain: msg.domain, ntResponse: msg.ntResponse })).toBe(true);
    // Its EncryptedRandomSessionKey (KEY_EXCH); no MsvAvFlags, so no MIC.
    expect(hex(msg.encryptedRandomSessionKey)).toBe('c5dad2544fc9799094ce1ce90bc9d03e');
    expect(authenticateMessageMic(SPEC_AUTHENTICATE)).toBeUndefined();
  });

  it('builds the §4.2.4.2 LMv2 and NTLMv2 responses from the §4.2.4.3 CHALLENGE_MESSAGE', () => {
    const type3 = buildAuthenticateMessage({
      challenge: SPEC_CHALLENGE,
      user: SPEC.user,
      domain: SPEC.domain,
      password: SPEC.password,
      workstation: SPEC.workstation,
      clientChallenge: SPEC.clientChallenge,
      now: FILETIME_ZERO,
    });
    const msg = parseAuthenticateMessage(type3);
    expect(hex(msg.ntResponse)).toBe(hex(SPEC_NT_RESPONSE));
    // No MsvAvTimestamp in that challenge, so the client sends LMv2 (§3.1.5.1.2).
    expect(hex(msg.lmResponse)).toBe(hex(SPEC_LM_RESPONSE));
    expect(msg).toMatchObject({ user: 'User', domain: 'Domain', workstation: 'COMPUTER' });
    // The spec's flags without KEY_EXCH: no session key is exchanged.
    expect(msg.flags).toBe((0xe28a8233 & ~NTLM_FLAGS.NTLMSSP_NEGOTIATE_KEY_EXCH) >>> 0);
  });
});

// -------------------------------------------------------------------------------------------
// Messages
// -------------------------------------------------------------------------------------------

/** What a Windows 10 browser sends first (seen in the certsrv-users tests). */
const WINDOWS_TYPE1 = new Uint8Array(
  Buffer.from('TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAKAGFKAAAADw==', 'base64'),
);

const SITE = {
  netbiosDomain: 'CONTOSO',
  netbiosComputer: 'PKI',
  dnsDomain: 'contoso.com',
  dnsComputer: 'pki.contoso.com',
};
const NOW = new Date('2026-11-30T09:15:42.123Z');
const SERVER_CHALLENGE = fromHex('f0e1d2c3b4a59687');
const fileTimeOf = (d: Date) => (BigInt(d.getTime()) + 11_644_473_600_000n) * 10_000n;

interface ParsedChallenge {
  flags: number;
  targetName: Uint8Array;
  targetNameOffset: number;
  serverChallenge: Uint8Array;
  reserved: Uint8Array;
  version: Uint8Array;
  avPairs: { id: number; value: Uint8Array }[];
  targetInfoEnd: number;
  length: number;
}

/** An independent reading of a CHALLENGE_MESSAGE (§2.2.1.2), for checking what we build. */
function readChallenge(m: Uint8Array): ParsedChallenge {
  expect(hex(m.subarray(0, 8))).toBe(hex(ascii('NTLMSSP\0')));
  expect(u32At(m, 8)).toBe(2);
  const nameLen = u16At(m, 12);
  expect(u16At(m, 14)).toBe(nameLen);
  const nameOffset = u32At(m, 16);
  const infoLen = u16At(m, 40);
  expect(u16At(m, 42)).toBe(infoLen);
  const infoOffset = u32At(m, 44);
  const info = m.subarray(infoOffset, infoOffset + infoLen);
  const avPairs: { id: number; value: Uint8Array }[] = [];
  for (let at = 0; at < info.length; ) {
    const id = u16At(info, at);
    const len = u16At(info, at + 2);
    avPairs.push({ id, value: info.slice(at + 4, at + 4 + len) });
    at += 4 + len;
  }
  return {
    flags: u32At(m, 20),
    targetName: m.slice(nameOffset, nameOffset + nameLen),
    targetNameOffset: nameOffset,
    serverChallenge: m.slice(24, 32),
    reserved: m.slice(32, 40),
    version: m.slice(48, 56),
    avPairs,
    targetInfoEnd: infoOffset + infoLen,
    length: m.length,
  };
}

describe('NTLM_FLAGS', () => {
  it('is frozen and holds the §2.2.2.5 bits', () => {
    expect(Object.isFrozen(NTLM_FLAGS)).toBe(true);
    expect(NTLM_FLAGS.NTLMSSP_NEGOTIATE_UNICODE).toBe(0x1);
    expect(NTLM_FLAGS.NTLM_NEGOTIATE_OEM).toBe(0x2);
    expect(NTLM_FLAGS.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY).toBe(0x80000);
    expect(NTLM_FLAGS.NTLMSSP_NEGOTIATE_56).toBe(0x80000000);
    const bits = Object.values(NTLM_FLAGS);
    for (const b of bits) expect(b.toString(2).replace(/0/g, '')).toBe('1');
    expect(new Set(bits).size).toBe(bits.length);
  });
});

describe('NEGOTIATE_MESSAGE (§2.2.1.1)', () => {
  it('builds by default exactly what a Windows 10 browser sends', () => {
    expect(hex(buildNegotiateMessage())).toBe(hex(WINDOWS_TYPE1));
    expect(ntlmMessageType(WINDOWS_TYPE1)).toBe(1);
    expect(parseNegotiateMessage(WINDOWS_TYPE1)).toEqual({ flags: 0xa2088207 });
  });

  it('round-trips other flags, with the Version only when NEGOTIATE_VERSION is set', () => {
    const f = NTLM_FLAGS;
    const oemOnly = f.NTLM_NEGOTIATE_OEM | f.NTLMSSP_REQUEST_TARGET | f.NTLMSSP_NEGOTIATE_NTLM;
    const m = buildNegotiateMessage(oemOnly);
    expect(m.length).toBe(32);
    expect(parseNegotiateMessage(m).flags).toBe(oemOnly);
    const all = 0xe20882b7; // with KEY_EXCH, SEAL, SIGN and LM_KEY as well
    expect(buildNegotiateMessage(all).length).toBe(40);
    expect(parseNegotiateMessage(buildNegotiateMessage(all)).flags).toBe(all);
    // A signed number from `|` on bit 31 means the same flags.
    expect(parseNegotiateMessage(buildNegotiateMessage(all | 0)).flags).toBe(all);
  });

  it('reads the OEM domain and workstation a client supplies, and accepts a bare 16-byte message', () => {
    const flags =
      NTLM_FLAGS.NTLM_NEGOTIATE_OEM |
      NTLM_FLAGS.NTLMSSP_NEGOTIATE_NTLM |
      NTLM_FLAGS.NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED |
      NTLM_FLAGS.NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED;
    const m = new Uint8Array(32 + 7 + 4);
    m.set(ascii('NTLMSSP\0'));
    const dv = new DataView(m.buffer);
    dv.setUint32(8, 1, true);
    dv.setUint32(12, flags, true);
    dv.setUint16(16, 7, true);
    dv.setUint16(18, 7, true);
    dv.setUint32(20, 32, true);
    dv.setUint16(24, 4, true);
    dv.setUint16(26, 4, true);
    dv.setUint32(28, 39, true);
    m.set(ascii('CONTOSOWS01'), 32);
    expect(parseNegotiateMessage(m)).toEqual({ flags, domain: 'CONTOSO', workstation: 'WS01' });
    expectRefused(() => parseNegotiateMessage(m.slice(0, 42)));
    expect(parseNegotiateMessage(m.slice(0, 16))).toEqual({ flags });
  });
});

describe('CHALLENGE_MESSAGE (§2.2.1.2)', () => {
  const challengeFor = (negotiateFlags: number, now = NOW) =>
    buildChallengeMessage({ negotiateFlags, serverChallenge: SERVER_CHALLENGE, now, ...SITE });

  it('answers a Windows 10 client as Windows Server 2019 IIS does', () => {
    const m = challengeFor(parseNegotiateMessage(WINDOWS_TYPE1).flags);
    expect(ntlmMessageType(m)).toBe(2);
    const c = readChallenge(m);
    // UNICODE, REQUEST_TARGET, NTLM, ALWAYS_SIGN, TARGET_TYPE_DOMAIN, ESS, TARGET_INFO, VERSION, 128, 56.
    expect(c.flags).toBe(0xa2898205);
    expect(c.targetNameOffset).toBe(56);
    expect(c.targetName).toEqual(utf16('CONTOSO'));
    expect(hex(c.serverChallenge)).toBe(hex(SERVER_CHALLENGE));
    expect(hex(c.reserved)).toBe('0000000000000000');
    expect(hex(c.version)).toBe('0a0063450000000f'); // 10.0.17763, NTLMSSP_REVISION_W2K3
    expect(c.avPairs.map((p) => p.id)).toEqual([2, 1, 4, 3, 5, 7, 0]);
    const [nbDomain, nbComputer, dnsDomain, dnsComputer, dnsTree, timestamp, eol] = c.avPairs;
    expect(nbDomain!.value).toEqual(utf16('CONTOSO'));
    expect(nbComputer!.value).toEqual(utf16('PKI'));
    expect(dnsDomain!.value).toEqual(utf16('contoso.com'));
    expect(dnsComputer!.value).toEqual(utf16('pki.contoso.com'));
    expect(dnsTree!.value).toEqual(utf16('contoso.com'));
    expect(timestamp!.value.length).toBe(8);
    expect(new DataView(timestamp!.value.buffer).getBigUint64(0, true)).toBe(fileTimeOf(NOW));
    expect(eol!.value.length).toBe(0);
    expect(c.targetInfoEnd).toBe(c.length);
  });

  it('writes MsvAvTimestamp as a FILETIME, 1601 and 1970 included', () => {
    const stamp = (now: Date) => hex(readChallenge(challengeFor(0xa2088207, now)).avPairs[5]!.value);
    expect(stamp(FILETIME_ZERO)).toBe('0000000000000000');
    expect(stamp(new Date(0))).toBe('00803ed5deb19d01'); // 116444736000000000
  });

  it('echoes 128, 56, KEY_EXCH, SIGN and SEAL only when asked, and nothing else of the client', () => {
    const f = NTLM_FLAGS;
    const base =
      f.NTLMSSP_NEGOTIATE_UNICODE |
      f.NTLMSSP_REQUEST_TARGET |
      f.NTLMSSP_NEGOTIATE_NTLM |
      f.NTLMSSP_NEGOTIATE_ALWAYS_SIGN |
      f.NTLMSSP_TARGET_TYPE_DOMAIN |
      f.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY |
      f.NTLMSSP_NEGOTIATE_TARGET_INFO |
      f.NTLMSSP_NEGOTIATE_VERSION;
    expect(readChallenge(challengeFor(f.NTLMSSP_NEGOTIATE_UNICODE)).flags).toBe(base);
    for (const bit of [
      f.NTLMSSP_NEGOTIATE_128,
      f.NTLMSSP_NEGOTIATE_56,
      f.NTLMSSP_NEGOTIATE_KEY_EXCH,
      f.NTLMSSP_NEGOTIATE_SIGN,
      f.NTLMSSP_NEGOTIATE_SEAL,
    ])
      expect(readChallenge(challengeFor(f.NTLMSSP_NEGOTIATE_UNICODE | bit)).flags).toBe((base | bit) >>> 0);
    for (const bit of [
      f.NTLMSSP_NEGOTIATE_LM_KEY,
      f.NTLMSSP_NEGOTIATE_DATAGRAM,
      f.NTLMSSP_NEGOTIATE_IDENTIFY,
      f.NTLMSSP_ANONYMOUS,
      f.NTLMSSP_TARGET_TYPE_SERVER,
      f.NTLMSSP_REQUEST_NON_NT_SESSION_KEY,
    ])
      expect(readChallenge(challengeFor(f.NTLMSSP_NEGOTIATE_UNICODE | bit)).flags).toBe(base);
  });

  it('answers an OEM client in OEM: latin1 TargetName, AV pairs still UTF-16LE', () => {
    const c = readChallenge(challengeFor(NTLM_FLAGS.NTLM_NEGOTIATE_OEM | NTLM_FLAGS.NTLMSSP_NEGOTIATE_NTLM));
    expect(c.flags & NTLM_FLAGS.NTLMSSP_NEGOTIATE_UNICODE).toBe(0);
    expect(c.flags & NTLM_FLAGS.NTLM_NEGOTIATE_OEM).toBe(NTLM_FLAGS.NTLM_NEGOTIATE_OEM);
    expect(c.targetName).toEqual(ascii('CONTOSO'));
    expect(c.avPairs[0]!.value).toEqual(utf16('CONTOSO'));
  });

  it('throws TypeError on misuse', () => {
    const o = { negotiateFlags: 0xa2088207, serverChallenge: SERVER_CHALLENGE, now: NOW, ...SITE };
    expect(() => buildChallengeMessage({ ...o, serverChallenge: new Uint8Array(7) })).toThrow(TypeError);
    expect(() => buildChallengeMessage({ ...o, now: new Date(Number.NaN) })).toThrow(TypeError);
    expect(() => buildChallengeMessage({ ...o, negotiateFlags: 2 ** 32 })).toThrow(TypeError);
    expect(() => buildChallengeMessage({ ...o, dnsComputer: 'x'.repeat(40_000) })).toThrow(TypeError);
  });
});

describe('AUTHENTICATE_MESSAGE (§2.2.1.3) round trip', () => {
  function handshake(o: {
    negotiateFlags?: number;
    user: string;
    domain: string;
    password: string;
    workstation?: string;
  }) {
    const { flags } = parseNegotiateMessage(buildNegotiateMessage(o.negotiateFlags));
    const challenge = buildChallengeMessage({
      negotiateFlags: flags,
      serverChallenge: SERVER_CHALLENGE,
      now: NOW,
      ...SITE,
    });
    const type3 = buildAuthenticateMessage({
      challenge,
      user: o.user,
      domain: o.domain,
      password: o.password,
      clientChallenge: fromHex('0102030405060708'),
      ...(o.workstation === undefined ? {} : { workstation: o.workstation }),
    });
    expect(ntlmMessageType(type3)).toBe(3);
    return { challenge, type3, msg: parseAuthenticateMessage(type3) };
  }
  const verify = (msg: ReturnType<typeof parseAuthenticateMessage>, password: string, user = msg.user) =>
    verifyNtlmV2({
      ntHash: ntHash(password),
      user,
      domain: msg.domain,
      serverChallenge: SERVER_CHALLENGE,
      ntResponse: msg.ntResponse,
    });

  it('gives back user, domain and workstation, and the response verifies (Unicode)', () => {
    const { msg, challenge } = handshake({
      user: 'alice',
      domain: 'CONTOSO',
      password: 'P@ssw0rd é€',
      workstation: 'WS01',
    });
    expect(msg).toMatchObject({ user: 'alice', domain: 'CONTOSO', workstation: 'WS01' });
    expect(msg.flags & NTLM_FLAGS.NTLMSSP_NEGOTIATE_UNICODE).toBe(1);
    expect(verify(msg, 'P@ssw0rd é€')).toBe(true);
    expect(verify(msg, 'P@ssw0rd e€')).toBe(false);
    // The server sent MsvAvTimestamp: the client uses it and sends Z(24) as LM (§3.1.5.1.2).
    const temp = msg.ntResponse.subarray(16);
    expect(hex(temp.subarray(8, 16))).toBe(hex(readChallenge(challenge).avPairs[5]!.value));
    expect(hex(temp.subarray(16, 24))).toBe('0102030405060708');
    expect(hex(msg.lmResponse)).toBe('00'.repeat(24));
  });

  it('upper-cases the user one-to-one, as Windows does, and keeps the domain as sent', () => {
    const { msg } = handshake({ user: 'jürgen.straße', domain: 'Contoso', password: 'pw' });
    expect(verify(msg, 'pw', 'JÜRGEN.STRAßE')).toBe(true);
    expect(verify(msg, 'pw', 'jürgen.straße')).toBe(true);
    expect(verify(msg, 'pw', 'JÜRGEN.STRASSE')).toBe(false);
    expect(verifyNtlmV2({ ...paramsOf(msg, 'pw'), domain: 'CONTOSO' })).toBe(false);
  });
  const paramsOf = (msg: ReturnType<typeof parseAuthenticateMessage>, password: string) => ({
    ntHash: ntHash(password),
    user: msg.user,
    domain: msg.domain,
    serverChallenge: SERVER_CHALLENGE,
    ntResponse: msg.ntResponse,
  });

  it('round-trips in OEM (latin1) when the client did not ask for Unicode', () => {
    const negotiateFlags =
      NTLM_FLAGS.NTLM_NEGOTIATE_OEM |
      NTLM_FLAGS.NTLMSSP_REQUEST_TARGET |
      NTLM_FLAGS.NTLMSSP_NEGOTIATE_NTLM |
      NTLM_FLAGS.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY;
    const { msg, type3 } = handshake({
      negotiateFlags,
      user: 'Müller',
      domain: 'CONTOSO',
      password: 'Passwört',
      workstation: 'WS-Ø1',
    });
    expect(msg.flags & NTLM_FLAGS.NTLMSSP_NEGOTIATE_UNICODE).toBe(0);
    expect(msg).toMatchObject({ user: 'Müller', domain: 'CONTOSO', workstation: 'WS-Ø1' });
    // One byte per character: the user name is stored as its 6 latin1 bytes.
    expect(u16At(type3, 36)).toBe(6);
    expect(type3.slice(u32At(type3, 40), u32At(type3, 40) + 6)).toEqual(ascii('Müller'));
    expect(verify(msg, 'Passwört')).toBe(true);
  });

  it('defaults the workstation to empty and a random client challenge', () => {
    const challenge = buildChallengeMessage({
      negotiateFlags: 0xa2088207,
      serverChallenge: SERVER_CHALLENGE,
      now: NOW,
      ...SITE,
    });
    const a = parseAuthenticateMessage(
      buildAuthenticateMessage({ challenge, user: 'bob', domain: 'CONTOSO', password: 'x' }),
    );
    const b = parseAuthenticateMessage(
      buildAuthenticateMessage({ challenge, user: 'bob', domain: 'CONTOSO', password: 'x' }),
    );
    expect(a.workstation).toBe('');
    expect(hex(a.ntResponse)).not.toBe(hex(b.ntResponse));
    expect(verify(a, 'x') && verify(b, 'x')).toBe(true);
  });

  it('throws TypeError on misuse of the builders', () => {
    const challenge = buildChallengeMessage({
      negotiateFlags: 0xa2088207,
      serverChallenge: SERVER_CHALLENGE,
      now: NOW,
      ...SITE,
    });
    const o = { challenge, user: 'bob', domain: 'CONTOSO', password: 'x' };
    expect(() => buildAuthenticateMessage({ ...o, clientChallenge: new Uint8Array(7) })).toThrow(TypeError);
    const oem = buildChallengeMessage({
      negotiateFlags: NTLM_FLAGS.NTLM_NEGOTIATE_OEM,
      serverChallenge: SERVER_CHALLENGE,
      now: NOW,
      ...SITE,
    });
    expect(() => buildAuthenticateMessage({ ...o, challenge: oem, user: 'Ωmega' })).toThrow(TypeError);
    expect(() => buildNegotiateMessage(1.5)).toThrow(TypeError);
    expect(() =>
      verifyNtlmV2({
        ...paramsOf(parseAuthenticateMessage(SPEC_AUTHENTICATE), 'x'),
        ntHash: new Uint8Array(15),
      }),
    ).toThrow(TypeError);
    expect(() => parseAuthenticateMessage('TlRMTVNTUAAD' as unknown as Uint8Array)).toThrow(TypeError);
    expectRefused(() => buildAuthenticateMessage({ ...o, challenge: WINDOWS_TYPE1 }));
  });
});

// -------------------------------------------------------------------------------------------
// Hostile input
// -------------------------------------------------------------------------------------------

describe('malformed messages', () => {
  it('ntlmMessageType: undefined for what is not NTLMSSP', () => {
    expect(ntlmMessageType(new Uint8Array(0))).toBeUndefined();
    expect(ntlmMessageType(ascii('NTLMSSP\0'))).toBeUndefined();
    expect(ntlmMessageType(ascii('NTLMSSP\0\x01\x00\x00'))).toBeUndefined();
    expect(ntlmMessageType(ascii('NTLMSSP\0\x04\x00\x00\x00'))).toBeUndefined();
    expect(ntlmMessageType(ascii('NTLMSSP\0\x01\x00\x00\x01'))).toBeUndefined();
    expect(ntlmMessageType(ascii('ntlmssp\0\x01\x00\x00\x00'))).toBeUndefined();
    expect(ntlmMessageType(fromHex('6082010006062b0601050502a0'))).toBeUndefined(); // SPNEGO
    expect(ntlmMessageType(ascii('NTLMSSP\0\x01\x00\x00\x00'))).toBe(1);
    expect(ntlmMessageType(SPEC_CHALLENGE)).toBe(2);
    expect(ntlmMessageType(SPEC_AUTHENTICATE)).toBe(3);
  });

  it('refuses the wrong type, a short message, and fields outside the message', () => {
    expectRefused(() => parseAuthenticateMessage(WINDOWS_TYPE1));
    expectRefused(() => parseNegotiateMessage(SPEC_AUTHENTICATE));
    expectRefused(() => parseNegotiateMessage(ascii('NTLMSSP\0\x01\x00\x00\x00')));
    expectRefused(() => parseAuthenticateMessage(SPEC_AUTHENTICATE.slice(0, 63)));
    expectRefused(() => parseAuthenticateMessage(SPEC_AUTHENTICATE.slice(0, 231)));
    const m = Uint8Array.from(SPEC_AUTHENTICATE);
    const dv = new DataView(m.buffer);
    dv.setUint32(24, 0xffffffff, true); // NtChallengeResponse offset: 32-bit overflow territory
    expectRefused(() => parseAuthenticateMessage(m));
    dv.setUint32(24, 232 - 84, true); // now ending exactly at the end: fine
    expect(parseAuthenticateMessage(m).ntResponse.length).toBe(84);
    dv.setUint32(24, 232 - 83, true);
    expectRefused(() => parseAuthenticateMessage(m));
    dv.setUint32(24, 0, true); // inside the fixed header
    expectRefused(() => parseAuthenticateMessage(m));
  });

  it('refuses UTF-16LE names of odd length or with a lone surrogate', () => {
    const odd = Uint8Array.from(SPEC_AUTHENTICATE);
    odd[36] = 7; // UserName length 7
    expectRefused(() => parseAuthenticateMessage(odd));
    const lone = Uint8Array.from(SPEC_AUTHENTICATE);
    lone[0x54 + 1] = 0xd8; // "U" becomes U+D855, a lone high surrogate
    expectRefused(() => parseAuthenticateMessage(lone));
  });

  type Mutation =
    | { kind: 'flip'; index: number; bit: number }
    | { kind: 'set'; index: number; value: number }
    | { kind: 'truncate'; length: number }
    | { kind: 'extend'; bytes: Uint8Array }
    | { kind: 'field'; which: number; length: number; offset: number };

  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), index: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({
      kind: fc.constant('set' as const),
      index: fc.nat(),
      value: fc.integer({ min: 0, max: 255 }),
    }),
    fc.record({ kind: fc.constant('truncate' as const), length: fc.nat() }),
    fc.record({
      kind: fc.constant('extend' as const),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }),
    }),
    fc.record({
      kind: fc.constant('field' as const),
      which: fc.nat(),
      length: fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(0xffff, 0xfffe, 0x8000)),
      offset: fc.oneof(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 300 }),
        fc.constantFrom(0xffffffff, 0x80000000, 0x7fffffff, 0xfffffff0),
      ),
    }),
  );

  /** Applies mutations; `fields` are the offsets of the message's Len/MaxLen/Offset triples. */
  function mutate(base: Uint8Array, fields: readonly number[], ms: readonly Mutation[]): Uint8Array {
    let m = Uint8Array.from(base);
    for (const x of ms) {
      if (x.kind === 'flip' && m.length > 0) m[x.index % m.length]! ^= 1 << x.bit;
      else if (x.kind === 'set' && m.length > 0) m[x.index % m.length] = x.value;
      else if (x.kind === 'truncate') m = m.slice(0, x.length % (m.length + 1));
      else if (x.kind === 'extend') m = new Uint8Array([...m, ...x.bytes]);
      else if (x.kind === 'field') {
        const at = fields[x.which % fields.length]!;
        if (at + 8 <= m.length) {
          const dv = new DataView(m.buffer, m.byteOffset, m.byteLength);
          dv.setUint16(at, x.length, true);
          dv.setUint16(at + 2, x.length, true);
          dv.setUint32(at + 4, x.offset, true);
        }
      }
    }
    return m;
  }

  /** Everything a server does with a token must either work or refuse with a CaError. */
  function exerciseAll(token: Uint8Array): void {
    const type = ntlmMessageType(token);
    expect([1, 2, 3, undefined]).toContain(type);
    parsesOrRefuses(() => parseNegotiateMessage(token));
    let msg: ReturnType<typeof parseAuthenticateMessage> | undefined;
    parsesOrRefuses(() => {
      msg = parseAuthenticateMessage(token);
    });
    if (msg) {
      expect(typeof msg.user).toBe('string');
      expect(msg.ntResponse.length).toBeLessThanOrEqual(token.length);
      const ok = verifyNtlmV2({
        ntHash: ntHash(SPEC.password),
        user: msg.user,
        domain: msg.domain,
        serverChallenge: SPEC.serverChallenge,
        ntResponse: msg.ntResponse,
      });
      expect(typeof ok).toBe('boolean');
      // Extended Protection reads the AV pairs of whatever verified: never a throw.
      const bindings = authenticateMessageBindings(msg);
      for (const expectedBindings of [new Uint8Array(16).fill(7), undefined])
        expect([undefined, 'ntlm-bad-bindings', 'ntlm-no-bindings', 'ntlm-bad-spn', 'ntlm-no-spn']).toContain(
          checkExtendedProtection(
            {
              mode: 'require',
              ...(expectedBindings ? { expectedBindings } : {}),
              servicePrincipalNames: ['HTTP/ca01.contoso.com'],
            },
            bindings,
          ),
        );
    }
  }

  const TYPE3_FIELDS = [12, 20, 28, 36, 44, 52] as const;
  const TYPE1_FIELDS = [16, 24] as const;
  const OEM_TYPE3 = buildAuthenticateMessage({
    challenge: buildChallengeMessage({
      negotiateFlags: NTLM_FLAGS.NTLM_NEGOTIATE_OEM,
      serverChallenge: SERVER_CHALLENGE,
      now: NOW,
      ...SITE,
    }),
    user: 'Müller',
    domain: 'CONTOSO',
    password: 'x',
    workstation: 'WS01',
    clientChallenge: fromHex('0102030405060708'),
  });

  // With a MIC, a channel binding and a target name (what Chromium sends over HTTPS).
  const BOUND_TYPE3 = buildAuthenticateMessage({
    challenge: buildChallengeMessage({
      negotiateFlags: 0xa2088207,
      serverChallenge: SERVER_CHALLENGE,
      now: NOW,
      ...SITE,
    }),
    user: 'alice',
    domain: 'CONTOSO',
    password: 'x',
    clientChallenge: fromHex('0102030405060708'),
    negotiateMessage: buildNegotiateMessage(),
    channelBindings: new Uint8Array(16).fill(7),
    targetName: 'HTTP/ca01.contoso.com',
  });

  it('mutated type 3 messages (Unicode and OEM) parse or throw CaError; verification never throws', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(SPEC_AUTHENTICATE, OEM_TYPE3, BOUND_TYPE3),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (base, ms) => exerciseAll(mutate(base, TYPE3_FIELDS, ms)),
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('mutated type 1 messages parse or throw CaError', () => {
    const withNames = Uint8Array.from(WINDOWS_TYPE1);
    // Claim supplied names so that the domain/workstation fields get read.
    new DataView(withNames.buffer).setUint32(
      12,
      (0xa2088207 |
        NTLM_FLAGS.NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED |
        NTLM_FLAGS.NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED) >>>
        0,
      true,
    );
    fc.assert(
      fc.property(
        fc.constantFrom(WINDOWS_TYPE1, withNames),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (base, ms) => exerciseAll(mutate(base, TYPE1_FIELDS, ms)),
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('random bytes, with or without an NTLMSSP header, parse or throw CaError', () => {
    const header = fc
      .integer({ min: 0, max: 4 })
      .map((t) => new Uint8Array([...ascii('NTLMSSP\0'), t, 0, 0, 0]));
    fc.assert(
      fc.property(fc.option(header, { nil: undefined }), fc.uint8Array({ maxLength: 400 }), (head, body) =>
        exerciseAll(head ? new Uint8Array([...head, ...body]) : body),
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('verifyNtlmV2 returns false, never throws, on arbitrary responses', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.string(), fc.string(), (ntResponse, user, domain) => {
        expect(
          verifyNtlmV2({
            ntHash: ntHash(SPEC.password),
            user,
            domain,
            serverChallenge: SPEC.serverChallenge,
            ntResponse,
          }),
        ).toBe(false);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
