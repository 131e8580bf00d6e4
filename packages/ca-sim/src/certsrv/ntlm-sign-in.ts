// NTLM sign-in over HTTP as IIS does it (certsrv reference §2.2; MS-NLMP, and RFC 4559 for the
// `Negotiate` header): the client's NEGOTIATE_MESSAGE (type 1) gets a 401 carrying our
// CHALLENGE_MESSAGE (type 2) under the scheme word the client used; its AUTHENTICATE_MESSAGE
// (type 3), on the same TCP connection, signs that connection in, and later requests on it need
// no header (IIS's default, authPersistSingleRequest off). NTLMv2 only; Kerberos and
// SPNEGO-wrapped tokens are not understood, so such a client is answered with the plain
// challenges again and falls back to NTLM or Basic.

import { randomBytes } from 'node:crypto';
import type { CertsrvApp } from './app.js';
import type { Exchange } from './exchange.js';
import {
  buildChallengeMessage,
  ntlmMessageType,
  parseAuthenticateMessage,
  parseNegotiateMessage,
} from './ntlm.js';

/** What an Authorization header did to the NTLM handshake of its connection. */
export type NtlmStep =
  /** The header is not NTLM (Basic, or nothing NTLM understands). */
  | { readonly kind: 'not-ntlm' }
  /** A type 1 message: answer 401 with this WWW-Authenticate value. */
  | { readonly kind: 'challenge'; readonly header: string }
  /** A type 3 message that verified: the connection is signed in. */
  | { readonly kind: 'signed-in' }
  /** A malformed message, a type 3 without a challenge, or a response that did not verify. */
  | { readonly kind: 'failed'; readonly event: string };

const SCHEME_RE = /^(NTLM|Negotiate)[ \t]+([A-Za-z0-9+/=]+)[ \t]*$/i;

/**
 * Runs one step of the NTLM handshake for `header`; on success sets `ex.account`. Never throws.
 */
export function ntlmStep(app: CertsrvApp, ex: Exchange, header: string): NtlmStep {
  const m = SCHEME_RE.exec(header);
  if (!m) return { kind: 'not-ntlm' };
  const scheme = m[1]!.toLowerCase() === 'ntlm' ? 'NTLM' : 'Negotiate';
  // Not offered, not answered: the client is told the schemes that are.
  if (scheme === 'Negotiate' && !app.negotiate) {
    forgetNtlmConnection(app, ex);
    return { kind: 'failed', event: 'auth-unsupported' };
  }
  const token = new Uint8Array(Buffer.from(m[2]!, 'base64'));
  const type = ntlmMessageType(token);
  // A Kerberos or SPNEGO token under Negotiate: not something we can answer.
  if (type === undefined) {
    forgetNtlmConnection(app, ex);
    return { kind: 'failed', event: 'auth-unsupported' };
  }
  const socket = ex.req.socket as object;
  const conn = app.ntlmConnections.get(socket) ?? {};
  app.ntlmConnections.set(socket, conn);
  // A new NTLM message starts over: whatever it leads to, the connection's earlier sign-in ends
  // here (a failed attempt to sign in as someone else must not leave the old identity behind).
  conn.account = undefined;
  conn.revision = undefined;
  try {
    if (type === 1) {
      const { flags } = parseNegotiateMessage(token);
      const challenge = new Uint8Array(randomBytes(8));
      const host = app.ca.points.serverDnsName.toLowerCase();
      const dot = host.indexOf('.');
      const message = buildChallengeMessage({
        negotiateFlags: flags,
        serverChallenge: challenge,
        netbiosDomain: app.users.domain,
        netbiosComputer: (dot > 0 ? host.slice(0, dot) : host).toUpperCase().slice(0, 15),
        dnsDomain: dot > 0 ? host.slice(dot + 1) : host,
        dnsComputer: host,
        now: app.now(),
      });
      conn.scheme = scheme;
      conn.challenge = challenge;
      ex.event = 'ntlm-challenge';
      return { kind: 'challenge', header: `${scheme} ${Buffer.from(message).toString('base64')}` };
    }
    if (type !== 3) return { kind: 'failed', event: 'auth-malformed' };
    const challenge = conn.challenge;
    // The challenge is good for one answer, right or wrong.
    conn.challenge = undefined;
    if (!challenge) return { kind: 'failed', event: 'ntlm-no-challenge' };
    const remote = ex.req.socket.remoteAddress ?? '';
    const msg = parseAuthenticateMessage(token);
    const who = msg.domain === '' ? msg.user : `${msg.domain}\\${msg.user}`;
    if (!app.mayTrySignIn(remote, who)) return { kind: 'failed', event: 'auth-throttled' };
    const revision = app.users.revision;
    const account = app.users.authenticateNtlm({
      user: msg.user,
      domain: msg.domain,
      serverChallenge: challenge,
      ntResponse: msg.ntResponse,
    });
    app.signInOutcome(remote, who, account !== undefined);
    if (!account) return { kind: 'failed', event: 'auth-failed' };
    conn.account = account;
    conn.revision = revision;
    ex.account = account;
    ex.event = 'ntlm';
    return { kind: 'signed-in' };
  } catch {
    return { kind: 'failed', event: 'auth-malformed' };
  }
}

/**
 * The account an earlier NTLM handshake signed this connection in as, while the accounts have
 * not changed since (a removed account or a new password needs a new handshake).
 */
export function ntlmConnectionAccount(app: CertsrvApp, ex: Exchange) {
  const conn = app.ntlmConnections.get(ex.req.socket as object);
  if (!conn?.account) return undefined;
  if (conn.revision !== app.users.revision) {
    conn.account = undefined;
    return undefined;
  }
  return conn.account;
}

/** Ends whatever an NTLM handshake left on this connection: its sign-in and any open challenge. */
export function forgetNtlmConnection(app: CertsrvApp, ex: Exchange): void {
  app.ntlmConnections.delete(ex.req.socket as object);
}
