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
import type { Socket } from 'node:net';
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

/** The values of {@link ExtendedProtection}, for option parsing. */
export const EXTENDED_PROTECTION_MODES: readonly ExtendedProtection[] = Object.freeze([
  'none',
  'allow',
  'require',
]);

const PREFIX = new TextEncoder().encode('tls-server-end-point:');

/**
 * RFC 5929 §4: the `tls-server-end-point` channel binding of a server certificate (DER):
 * `tls-server-end-point:` followed by the certificate's hash, where the hash is the one of its
 * signature algorithm, except that MD5 and SHA-1 become SHA-256 (§4.1). Ed25519 names no hash
 * (RFC 5929 predates it); SHA-256 is used, as the other signatures' default. Throws the pki's
 * coded error when `certificate` is not a certificate.
 *
 * @example
 * ```ts
 * const appData = tlsServerEndPoint(serverCertificateDer);
 * const avValue = ntlmChannelBindingsHash(appData); // what MsvAvChannelBindings holds
 * ```
 */
export function tlsServerEndPoint(certificate: Uint8Array): Uint8Array {
  const cert = parseCertificate(certificate);
  let hash = 'sha256';
  try {
    const h = cert.signatureAlgorithm.hash;
    if (h === 'SHA-384') hash = 'sha384';
    else if (h === 'SHA-512') hash = 'sha512';
  } catch {
    // An algorithm certlab cannot name: SHA-256, as for MD5 and SHA-1.
  }
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
 * const expected = ntlmChannelBindingsHash(tlsServerEndPoint(certDer));
 * ```
 */
export function ntlmChannelBindingsHash(applicationData: Uint8Array): Uint8Array {
  if (!(applicationData instanceof Uint8Array)) throw new TypeError('applicationData must be a Uint8Array.');
  const header = new Uint8Array(20);
  new DataView(header.buffer).setUint32(16, applicationData.length, true);
  return new Uint8Array(createHash('md5').update(header).update(applicationData).digest());
}

/** The service class and host of an SPN (`HTTP/host[:port][/name]`), lower-cased; undefined if none. */
function spnServiceAndHost(spn: string): string | undefined {
  const slash = spn.indexOf('/');
  if (slash <= 0) return undefined;
  const service = spn.slice(0, slash).toLowerCase();
  let host = spn.slice(slash + 1);
  const next = host.indexOf('/');
  if (next >= 0) host = host.slice(0, next);
  if (host.startsWith('[')) {
    // An IPv6 literal keeps its brackets, not its port.
    const end = host.indexOf(']');
    if (end > 0) host = host.slice(0, end + 1);
  } else if (/^[^:]*:\d+$/.test(host)) {
    host = host.slice(0, host.indexOf(':'));
  }
  if (host === '') return undefined;
  return `${service}/${host.toLowerCase()}`;
}

/** What a client's AUTHENTICATE_MESSAGE said about the channel and the service it meant. */
export interface NtlmClientBindings {
  /** MsvAvChannelBindings: 16 bytes; absent, or all zeros, when the client has none. */
  readonly channelBindings?: Uint8Array;
  /** MsvAvTargetName: the SPN the client meant to sign in to. */
  readonly targetName?: string;
}

/** What {@link checkExtendedProtection} compares a client's bindings with. */
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
  if (context.expectedBindings) {
    const sent = client.channelBindings;
    const none = sent === undefined || sent.every((b) => b === 0);
    if (none) return context.mode === 'require' ? 'ntlm-no-bindings' : undefined;
    return sent.length === 16 && equal(sent, context.expectedBindings) ? undefined : 'ntlm-bad-bindings';
  }
  const target = client.targetName;
  if (target === undefined || target === '') return context.mode === 'require' ? 'ntlm-no-spn' : undefined;
  const spn = spnServiceAndHost(target);
  if (spn === undefined) return 'ntlm-bad-spn';
  return context.servicePrincipalNames.some((s) => spnServiceAndHost(s) === spn) ? undefined : 'ntlm-bad-spn';
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
 * presented, or undefined on a plain TCP socket (or a TLS one without a certificate).
 */
export function socketChannelBindings(socket: Socket): Uint8Array | undefined {
  const tls = socket as Partial<TLSSocket>;
  if (tls.encrypted !== true || typeof tls.getCertificate !== 'function') return undefined;
  const cached = bindingsBySocket.get(socket);
  if (cached) return cached;
  const cert = tls.getCertificate();
  const raw = cert && 'raw' in cert ? (cert.raw as Buffer | undefined) : undefined;
  if (!raw) return undefined;
  const value = ntlmChannelBindingsHash(tlsServerEndPoint(new Uint8Array(raw)));
  bindingsBySocket.set(socket, value);
  return value;
}
