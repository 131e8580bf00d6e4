// Extended Protection for Authentication (EPA) on NTLM sign-in, as IIS's
// <windowsAuthentication><extendedProtection tokenChecking="None|Allow|Require"> does it: the
// mitigation Microsoft asks AD CS web enrollment to turn on against NTLM relay (KB5005413,
// "PetitPotam"; a relayed sign-in is exactly what reference §2.2's relay-style clients perform).
//
// Two bindings, chosen by the transport (as .NET's ProtectionScenario.TransportSelected does):
// - over TLS, channel binding: the client's MsvAvChannelBindings AV pair (MS-NLMP §2.2.2.1) must be
//   the MD5 of a gss_channel_bindings_struct whose application data is RFC 5929's
//   `tls-server-end-point:` and the hash of our certificate. A relay terminates the victim's TLS
//   with its own certificate, so the victim's value cannot match ours (MS-NLMP §3.2.5.1.2:
//   STATUS_BAD_BINDINGS).
// - over plain HTTP, service binding: the client's MsvAvTargetName (the SPN it meant to reach,
//   `HTTP/host`) must be one of ours (IIS's <spn> list). A victim lured to the relay names the
//   relay's host, not ours.
// The AV pairs sit inside the NTLMv2 response, which NTProofStr covers: they are checked after the
// password, and cannot be changed without it.
//
// `allow` checks what a client sends and accepts a client that sends nothing (all zeros counts as
// nothing, §2.2.2.1); `require` refuses that client too.

import { createHash } from 'node:crypto';
import { isIPv6, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { parseCertificate } from '@certlab/pki';

/**
 * IIS's tokenChecking values: `none` (the default, IIS's too: bindings are not looked at),
 * `allow` (checked when the client sends them), `require` (a client that sends none is refused).
 *
 * @example
 * ```ts
 * const mode: ExtendedProtection = 'require';
 * ```
 */
export type ExtendedProtection = 'none' | 'allow' | 'require';

/**
 * The values of {@link ExtendedProtection}, for option parsing.
 *
 * @example
 * ```ts
 * if (!EXTENDED_PROTECTION_MODES.includes(text as ExtendedProtection)) throw new Error(`not a mode: ${text}`);
 * ```
 */
export const EXTENDED_PROTECTION_MODES: readonly ExtendedProtection[] = Object.freeze([
  'none',
  'allow',
  'require',
]);

const PREFIX = new TextEncoder().encode('tls-server-end-point:');

/**
 * Signature algorithms whose hash certlab's parser does not name, by OID: MD5 with RSA, DSA with
 * SHA-1, SHA-224 and SHA-256, SHA-224 with RSA or ECDSA, and RSA or ECDSA with SHA-3.
 */
const HASH_BY_OID: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.4': 'md5', // md5WithRSAEncryption
  '1.2.840.10040.4.3': 'sha1', // dsa-with-sha1
  '1.2.840.113549.1.1.14': 'sha224', // sha224WithRSAEncryption
  '1.2.840.10045.4.3.1': 'sha224', // ecdsa-with-SHA224
  '2.16.840.1.101.3.4.3.1': 'sha224', // dsa-with-sha224
  '2.16.840.1.101.3.4.3.2': 'sha256', // dsa-with-sha256
  '2.16.840.1.101.3.4.3.9': 'sha3-224', // id-ecdsa-with-sha3-224
  '2.16.840.1.101.3.4.3.10': 'sha3-256',
  '2.16.840.1.101.3.4.3.11': 'sha3-384',
  '2.16.840.1.101.3.4.3.12': 'sha3-512',
  '2.16.840.1.101.3.4.3.13': 'sha3-224', // id-rsassa-pkcs1-v1_5-with-sha3-224
  '2.16.840.1.101.3.4.3.14': 'sha3-256',
  '2.16.840.1.101.3.4.3.15': 'sha3-384',
  '2.16.840.1.101.3.4.3.16': 'sha3-512',
};

const NODE_HASH = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' } as const;

/** RFC 5929 §4.1's hash for a certificate: its signature's, MD5 and SHA-1 made SHA-256; or none. */
function endPointHash(cert: ReturnType<typeof parseCertificate>): string | undefined {
  let hash: string | undefined;
  try {
    const h = cert.signatureAlgorithm.hash;
    hash = h === undefined ? undefined : NODE_HASH[h];
  } catch {
    hash = HASH_BY_OID[cert.signatureAlgorithmOid];
  }
  if (hash === 'md5' || hash === 'sha1') return 'sha256';
  return hash;
}

/**
 * RFC 5929 §4: the `tls-server-end-point` channel binding of a server certificate (DER):
 * `tls-server-end-point:` followed by the certificate's hash, where the hash is the one of its
 * signature algorithm (RSA-PSS: its hash parameter), except that MD5 and SHA-1 become SHA-256
 * (§4.1). Undefined for a signature that names no single hash (Ed25519, Ed448: RFC 5929 predates
 * them, and clients such as Chromium then send no binding) or one certlab does not know. Throws
 * the pki's coded error when `certificate` is not a certificate.
 *
 * @example
 * ```ts
 * const appData = tlsServerEndPoint(serverCertificateDer);
 * const avValue = appData && ntlmChannelBindingsHash(appData); // what MsvAvChannelBindings holds
 * ```
 */
export function tlsServerEndPoint(certificate: Uint8Array): Uint8Array | undefined {
  const hash = endPointHash(parseCertificate(certificate));
  if (hash === undefined) return undefined;
  const digest = createHash(hash).update(certificate).digest();
  const out = new Uint8Array(PREFIX.length + digest.length);
  out.set(PREFIX, 0);
  out.set(digest, PREFIX.length);
  return out;
}

/**
 * The 16 bytes an NTLM client puts in MsvAvChannelBindings (MS-NLMP §2.2.2.1) for channel
 * bindings whose application data is `applicationData`: the MD5 of the gss_channel_bindings_struct
 * with no addresses (RFC 4121 §4.1.1.2's layout: initiator address type and length, acceptor
 * address type and length, all zero, then the application data's length, little-endian, and the
 * data). Throws TypeError when `applicationData` is not bytes.
 *
 * @example
 * ```ts
 * const expected = ntlmChannelBindingsHash(tlsServerEndPoint(certDer)!);
 * ```
 */
export function ntlmChannelBindingsHash(applicationData: Uint8Array): Uint8Array {
  if (!(applicationData instanceof Uint8Array)) throw new TypeError('applicationData must be a Uint8Array.');
  const header = new Uint8Array(20);
  new DataView(header.buffer).setUint32(16, applicationData.length, true);
  return new Uint8Array(createHash('md5').update(header).update(applicationData).digest());
}

/**
 * An SPN (`HTTP/host[:port][/name]`) as compared: the service class and host lower-cased, a
 * trailing dot dropped, a bare IPv6 literal bracketed, and the port when one is named; undefined
 * when it is not an SPN.
 */
function parseSpn(spn: string): { service: string; host: string; port?: string } | undefined {
  if (typeof spn !== 'string') return undefined;
  const slash = spn.indexOf('/');
  if (slash <= 0) return undefined;
  const service = spn.slice(0, slash).toLowerCase();
  let rest = spn.slice(slash + 1);
  const next = rest.indexOf('/');
  if (next >= 0) rest = rest.slice(0, next);
  let host = rest;
  let port: string | undefined;
  if (isIPv6(rest)) host = `[${rest}]`;
  else if (rest.startsWith('[')) {
    const m = /^(\[[^\]]+\])(?::(\d+))?$/.exec(rest);
    if (!m) return undefined;
    host = m[1]!;
    port = m[2];
  } else {
    const m = /^([^:]+)(?::(\d+))?$/.exec(rest);
    if (!m) return undefined;
    host = m[1]!;
    port = m[2];
  }
  host = host.toLowerCase().replace(/\.$/, '');
  if (host === '' || host === '[]') return undefined;
  return { service, host, ...(port !== undefined ? { port } : {}) };
}

/**
 * Whether a client's SPN is one of ours: same service class and host; when both name a port, the
 * same port (an SPN of ours without one stands for any).
 */
function spnMatches(ours: string, client: string): boolean {
  const a = parseSpn(ours);
  const b = parseSpn(client);
  if (!a || !b || a.service !== b.service || a.host !== b.host) return false;
  return a.port === undefined || b.port === undefined || a.port === b.port;
}

/**
 * Whether `spn` is a service principal name certsrv can compare (`HTTP/host`, `HTTP/host:port`,
 * `HTTP/[::1]`…).
 *
 * @example
 * ```ts
 * isServicePrincipalName('HTTP/ca01.contoso.com'); // true
 * isServicePrincipalName('ca01'); // false
 * ```
 */
export function isServicePrincipalName(spn: string): boolean {
  return parseSpn(spn) !== undefined;
}

/**
 * The SPNs a certsrv site answers to by default: `HTTP/` with each of `hosts` (the CA's server DNS
 * name, say, and the names of its TLS certificate), then `localhost`, `127.0.0.1` and `[::1]` for
 * a site used on one machine; a name given twice (in any case) is kept once, as first spelled.
 *
 * @example
 * ```ts
 * defaultServicePrincipalNames(['pki.contoso.com']);
 * // ['HTTP/pki.contoso.com', 'HTTP/localhost', 'HTTP/127.0.0.1', 'HTTP/[::1]']
 * ```
 */
export function defaultServicePrincipalNames(hosts: readonly string[] = []): string[] {
  const out = new Map<string, string>();
  for (const h of [...hosts, 'localhost', '127.0.0.1', '::1']) {
    const name = h.trim();
    if (name === '') continue;
    const spn = `HTTP/${isIPv6(name) ? `[${name}]` : name}`;
    const key = parseSpn(spn);
    const id = key && `${key.host}:${key.port ?? ''}`;
    // The first spelling of a name stays.
    if (id && !out.has(id)) out.set(id, spn);
  }
  return [...out.values()];
}

/**
 * What a client's AUTHENTICATE_MESSAGE said about the channel and the service it meant.
 *
 * @example
 * ```ts
 * const client: NtlmClientBindings = { targetName: 'HTTP/ca01.contoso.com' };
 * ```
 */
export interface NtlmClientBindings {
  /** MsvAvChannelBindings: 16 bytes; absent, or all zeros, when the client has none. */
  readonly channelBindings?: Uint8Array;
  /** MsvAvTargetName: the SPN the client meant to sign in to. */
  readonly targetName?: string;
}

/**
 * What {@link checkExtendedProtection} compares a client's bindings with.
 *
 * @example
 * ```ts
 * const context: ExtendedProtectionContext = { mode: 'require', servicePrincipalNames: ['HTTP/ca01.contoso.com'] };
 * ```
 */
export interface ExtendedProtectionContext {
  readonly mode: ExtendedProtection;
  /** Our MsvAvChannelBindings value on this connection: set over TLS, undefined over plain HTTP. */
  readonly expectedBindings?: Uint8Array;
  /** The SPNs this server answers to (service binding over plain HTTP). */
  readonly servicePrincipalNames: readonly string[];
}

/**
 * Checks a client's bindings (a sign-in whose password was right); returns the log event of a
 * refusal, or undefined when the sign-in may go on: `ntlm-bad-bindings` (over TLS, a channel
 * binding that is not ours: the victim's TLS ended somewhere else), `ntlm-no-bindings` (none, under
 * `require`), `ntlm-bad-spn` (over HTTP, a target name that is not ours), `ntlm-no-spn` (none,
 * under `require`).
 *
 * @example
 * ```ts
 * const refused = checkExtendedProtection({ mode: 'require', expectedBindings, servicePrincipalNames: ['HTTP/ca01.contoso.com'] }, client);
 * ```
 */
export function checkExtendedProtection(
  context: ExtendedProtectionContext,
  client: NtlmClientBindings,
): string | undefined {
  if (context.mode === 'none') return undefined;
  const target = client.targetName;
  const spnOk = () => context.servicePrincipalNames.some((s) => spnMatches(s, target!));
  if (context.expectedBindings) {
    const sent = client.channelBindings;
    const none = sent === undefined || (sent.length === 16 && sent.every((b) => b === 0));
    if (!none) return equal(sent, context.expectedBindings) ? undefined : 'ntlm-bad-bindings';
    if (context.mode === 'require') return 'ntlm-no-bindings';
    // No binding over TLS, yet a target name: the client's own connection was plain HTTP, so
    // something in between ended ours. Its SPN must then be ours (a victim lured over HTTP to a
    // relay names the relay).
    if (target !== undefined && target !== '' && !spnOk()) return 'ntlm-bad-spn';
    return undefined;
  }
  if (target === undefined || target === '') return context.mode === 'require' ? 'ntlm-no-spn' : undefined;
  return spnOk() ? undefined : 'ntlm-bad-spn';
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

const bindingsBySocket = new WeakMap<object, Uint8Array>();

/**
 * Our MsvAvChannelBindings value on `socket`: the hash of the certificate its TLS handshake
 * presented, or undefined on a plain TCP socket (or a TLS one without a certificate, or with one
 * that defines no binding, see {@link tlsServerEndPoint}). Kept per socket.
 *
 * @example
 * ```ts
 * const expectedBindings = socketChannelBindings(req.socket);
 * ```
 */
export function socketChannelBindings(socket: Socket): Uint8Array | undefined {
  const tls = socket as Partial<TLSSocket>;
  if (tls.encrypted !== true || typeof tls.getCertificate !== 'function') return undefined;
  const cached = bindingsBySocket.get(socket);
  if (cached) return cached;
  const cert = tls.getCertificate();
  const raw = cert && 'raw' in cert ? (cert.raw as Buffer | undefined) : undefined;
  if (!raw) return undefined;
  const appData = tlsServerEndPoint(new Uint8Array(raw));
  if (!appData) return undefined;
  const value = ntlmChannelBindingsHash(appData);
  bindingsBySocket.set(socket, value);
  return value;
}
