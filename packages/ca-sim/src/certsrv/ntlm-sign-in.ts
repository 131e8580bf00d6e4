// NTLM sign-in over HTTP as IIS does it (certsrv reference §2.2; MS-NLMP, and RFC 4559 for the
// `Negotiate` header): the client's NEGOTIATE_MESSAGE (type 1) gets a 401 carrying our
// CHALLENGE_MESSAGE (type 2) under the scheme word the client used; its AUTHENTICATE_MESSAGE
// (type 3), on the same TCP connection, signs that connection in, and later requests on it need
// no header (IIS's default, authPersistSingleRequest off). NTLMv2 only.
//
// Under `Negotiate` the messages come either bare (what Windows sends when it knows only NTLM can
// work) or inside SPNEGO (RFC 4178; MS-SPNG): a NegTokenInit naming the NTLMSSP mechanism, then
// NegTokenResp tokens. We answer SPNEGO with SPNEGO: the type 2 message in a NegTokenResp
// (accept-incomplete, NTLMSSP chosen), and on the final 200 a NegTokenResp accept-completed with
// our mechListMIC, after checking the client's (signed with the NTLM session keys: MS-NLMP §3.4).
// A list without NTLMSSP (Kerberos alone) is answered with the plain challenges again.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { CertsrvApp, NtlmConnection } from './app.js';
import type { Exchange } from './exchange.js';
import { checkExtendedProtection, socketChannelBindings } from './extended-protection.js';
import {
  authenticateMessageBindings,
  authenticateMessageMic,
  buildChallengeMessage,
  ntlmMessageType,
  parseAuthenticateMessage,
  parseNegotiateMessage,
} from './ntlm.js';
import { NtlmSessionSecurity, ntlmExportedSessionKey, ntlmMic } from './ntlm-session.js';
import { buildNegTokenResp, NEG_STATE, NTLMSSP_OID, parseSpnegoToken } from './spnego.js';

/** What an Authorization header did to the NTLM handshake of its connection. */
export type NtlmStep =
  /** The header is not NTLM (Basic, or nothing NTLM understands). */
  | { readonly kind: 'not-ntlm' }
  /** A type 1 message: answer 401 with this WWW-Authenticate value. */
  | { readonly kind: 'challenge'; readonly header: string }
  /**
   * A type 3 message that verified: the connection is signed in. `header`: a WWW-Authenticate
   * value for the response (SPNEGO's final token).
   */
  | { readonly kind: 'signed-in'; readonly header?: string }
  /** A malformed message, a type 3 without a challenge, or a response that did not verify. */
  | { readonly kind: 'failed'; readonly event: string };

const SCHEME_RE = /^(NTLM|Negotiate)[ \t]+([A-Za-z0-9+/=]+)[ \t]*$/i;

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

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
  const socket = ex.req.socket as object;
  const previous = app.ntlmConnections.get(socket);
  const conn: NtlmConnection = previous ?? {};
  app.ntlmConnections.set(socket, conn);
  // A new NTLM message starts over: whatever it leads to, the connection's earlier sign-in ends
  // here (a failed attempt to sign in as someone else must not leave the old identity behind).
  conn.account = undefined;
  conn.revision = undefined;
  try {
    const type = ntlmMessageType(token);
    if (type !== undefined) {
      // Bare NTLM (under either word). A type 3 answering a challenge sent inside SPNEGO must
      // come inside SPNEGO too: unwrapped, it would skip the mechListMIC that binds the client's
      // mechanism list (a downgrade from Kerberos would go unseen).
      const wrapped = conn.spnego !== undefined;
      conn.spnego = undefined;
      if (type === 1) return challengeStep(app, ex, conn, scheme, token);
      if (type === 3 && wrapped) {
        conn.pending = undefined;
        return { kind: 'failed', event: 'auth-malformed' };
      }
      if (type === 3) return authenticateStep(app, ex, conn, token);
      return { kind: 'failed', event: 'auth-malformed' };
    }
    if (scheme !== 'Negotiate') return { kind: 'failed', event: 'auth-malformed' };
    return spnegoStep(app, ex, conn, token);
  } catch {
    conn.pending = undefined;
    conn.spnego = undefined;
    return { kind: 'failed', event: 'auth-malformed' };
  }
}

/** Our CHALLENGE_MESSAGE for a NEGOTIATE_MESSAGE; the connection keeps its server challenge. */
function challengeFor(app: CertsrvApp, ex: Exchange, conn: NtlmConnection, type1: Uint8Array): Uint8Array {
  const { flags } = parseNegotiateMessage(type1);
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
  // The messages are kept for the MIC of the type 3 message, which covers all three.
  conn.pending = { serverChallenge: challenge, negotiate: type1.slice(), challenge: message };
  ex.event = 'ntlm-challenge';
  return message;
}

function challengeStep(
  app: CertsrvApp,
  ex: Exchange,
  conn: NtlmConnection,
  scheme: string,
  type1: Uint8Array,
): NtlmStep {
  const message = challengeFor(app, ex, conn, type1);
  conn.scheme = scheme;
  return { kind: 'challenge', header: `${scheme} ${b64(message)}` };
}

/** Checks a type 3 message against the connection's challenge (used once, right or wrong). */
function verifyAuthenticate(
  app: CertsrvApp,
  ex: Exchange,
  conn: NtlmConnection,
  type3: Uint8Array,
):
  | { ok: true; sessionBaseKey: Uint8Array; msg: ReturnType<typeof parseAuthenticateMessage> }
  | { ok: false; event: string } {
  const pending = conn.pending;
  conn.pending = undefined;
  if (!pending) return { ok: false, event: 'ntlm-no-challenge' };
  const remote = ex.req.socket.remoteAddress ?? '';
  const msg = parseAuthenticateMessage(type3);
  const who = msg.domain === '' ? msg.user : `${msg.domain}\\${msg.user}`;
  if (!app.mayTrySignIn(remote, who)) return { ok: false, event: 'auth-throttled' };
  const revision = app.users.revision;
  const r = app.users.signInNtlm({
    user: msg.user,
    domain: msg.domain,
    serverChallenge: pending.serverChallenge,
    ntResponse: msg.ntResponse,
  });
  // MS-NLMP §3.2.5.1.2: a client that announces a MIC (MsvAvFlags 0x2) binds the three messages
  // with it, so that nobody in between can change the flags it asked for; a wrong MIC fails.
  let event = r ? undefined : 'auth-failed';
  if (r) {
    // A message too short for the MIC it announces, or a session key of the wrong size, fails
    // as a wrong MIC does: counted by the throttle, and not told apart from one (it would tell
    // that the password was right).
    try {
      const mic = authenticateMessageMic(type3, msg);
      if (mic) {
        const key = ntlmExportedSessionKey(r.sessionBaseKey, msg.flags, msg.encryptedRandomSessionKey);
        const expected = ntlmMic(key, pending.negotiate, pending.challenge, mic.zeroed);
        if (!timingSafeEqual(expected, mic.mic)) event = 'ntlm-mic-failed';
      }
    } catch {
      event = 'ntlm-mic-failed';
    }
    // Extended Protection (KB5005413): a relayed sign-in names another channel or service. Like a
    // wrong MIC, counted by the throttle and answered as a wrong password is.
    if (event === undefined && app.extendedProtection !== 'none') {
      try {
        const expectedBindings = socketChannelBindings(ex.req.socket);
        event = checkExtendedProtection(
          {
            mode: app.extendedProtection,
            ...(expectedBindings ? { expectedBindings } : {}),
            servicePrincipalNames: app.servicePrincipalNames,
          },
          authenticateMessageBindings(msg),
        );
      } catch {
        // Nothing of the client's throws here (the options and certificate were checked at
        // start); should anything, the sign-in fails and is counted, as a wrong binding.
        event = 'ntlm-bad-bindings';
      }
    }
  }
  app.signInOutcome(remote, who, event === undefined);
  if (!r || event !== undefined) return { ok: false, event: event ?? 'auth-failed' };
  conn.account = r.account;
  conn.revision = revision;
  ex.account = r.account;
  ex.event = 'ntlm';
  return { ok: true, sessionBaseKey: r.sessionBaseKey, msg };
}

function authenticateStep(app: CertsrvApp, ex: Exchange, conn: NtlmConnection, type3: Uint8Array): NtlmStep {
  const r = verifyAuthenticate(app, ex, conn, type3);
  return r.ok ? { kind: 'signed-in' } : { kind: 'failed', event: r.event };
}

/** One SPNEGO token of the handshake (MS-SPNG §3.2.5 for the acceptor). */
function spnegoStep(app: CertsrvApp, ex: Exchange, conn: NtlmConnection, token: Uint8Array): NtlmStep {
  const t = parseSpnegoToken(token);
  conn.scheme = 'Negotiate';
  const answer = (negState: number, more: { supportedMech?: string; responseToken?: Uint8Array }) =>
    `Negotiate ${b64(buildNegTokenResp({ negState, ...more }))}`;
  if (t.kind === 'init') {
    conn.pending = undefined;
    conn.spnego = undefined;
    // Kerberos alone (or NEGOEX): nothing we can answer; the plain challenges again.
    if (!t.mechTypes.includes(NTLMSSP_OID)) return { kind: 'failed', event: 'auth-unsupported' };
    // RFC 4178 §5: when the chosen mechanism is not the client's first, the MICs are required.
    conn.spnego = { mechTypesDer: t.mechTypesDer, micRequired: t.mechTypes[0] !== NTLMSSP_OID };
    // The optimistic token is the first mechanism's (RFC 4178 §4.2.1): used only when that is
    // NTLMSSP, else dropped.
    const optimistic =
      t.mechTypes[0] === NTLMSSP_OID && t.mechToken && ntlmMessageType(t.mechToken) === 1
        ? t.mechToken
        : undefined;
    if (!optimistic) {
      // Another mechanism came first (or no token): choose NTLMSSP, wait for its type 1.
      ex.event = 'spnego-select';
      return {
        kind: 'challenge',
        header: answer(NEG_STATE.acceptIncomplete, { supportedMech: NTLMSSP_OID }),
      };
    }
    const type2 = challengeFor(app, ex, conn, optimistic);
    return {
      kind: 'challenge',
      header: answer(NEG_STATE.acceptIncomplete, { supportedMech: NTLMSSP_OID, responseToken: type2 }),
    };
  }
  const state = conn.spnego;
  const inner = t.responseToken;
  if (!state || !inner) {
    conn.pending = undefined;
    conn.spnego = undefined;
    return { kind: 'failed', event: state ? 'auth-malformed' : 'ntlm-no-challenge' };
  }
  const type = ntlmMessageType(inner);
  if (type === 1 && !conn.pending) {
    const type2 = challengeFor(app, ex, conn, inner);
    return { kind: 'challenge', header: answer(NEG_STATE.acceptIncomplete, { responseToken: type2 }) };
  }
  conn.spnego = undefined;
  if (type !== 3) {
    conn.pending = undefined;
    return { kind: 'failed', event: 'auth-malformed' };
  }
  const r = verifyAuthenticate(app, ex, conn, inner);
  if (!r.ok) return { kind: 'failed', event: r.event };
  const signOut = (event: string): NtlmStep => {
    conn.account = undefined;
    conn.revision = undefined;
    ex.account = undefined;
    return { kind: 'failed', event };
  };
  // The mechListMIC binds the mechanism list the client sent to this sign-in (a downgrade
  // would change it). Checked when sent, and required when NTLMSSP was not the first choice.
  if (!t.mechListMic && !state.micRequired)
    return { kind: 'signed-in', header: answer(NEG_STATE.acceptCompleted, {}) };
  if (!t.mechListMic) return signOut('spnego-mic-missing');
  let security: NtlmSessionSecurity;
  try {
    security = new NtlmSessionSecurity({
      sessionBaseKey: r.sessionBaseKey,
      flags: r.msg.flags,
      encryptedRandomSessionKey: r.msg.encryptedRandomSessionKey,
    });
  } catch {
    return signOut('spnego-mic-unsupported');
  }
  if (!security.verifyClientMic(state.mechTypesDer, t.mechListMic)) return signOut('spnego-mic-failed');
  const mechListMic = security.serverMic(state.mechTypesDer);
  return {
    kind: 'signed-in',
    header: `Negotiate ${b64(buildNegTokenResp({ negState: NEG_STATE.acceptCompleted, mechListMic }))}`,
  };
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
