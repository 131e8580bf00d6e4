// SPNEGO (RFC 4178, the "Negotiate" of RFC 4559) as far as an NTLM acceptor needs it: the
// client's first token (InitialContextToken carrying a NegTokenInit, §4.2.1) and its later ones
// (NegTokenResp, §4.2.2), and our NegTokenResp answers. What Windows' Negotiate package and
// MIT's SPNEGO with gss-ntlmssp send when Kerberos is not available: the NTLMSSP mechanism
// (1.3.6.1.4.1.311.2.2.10) with the NTLM messages inside, and a mechListMIC signed with the NTLM
// session keys (MS-SPNG §3.1.5.1). A small DER reader of our own: ca-sim does not see asn1js.

import { CaError } from '../errors.js';

/**
 * The SPNEGO mechanism OID (RFC 4178 §4.1), the one a NegTokenInit's outer token names.
 *
 * @example
 * ```ts
 * parseSpnegoToken(token).kind; // 'init' when the token is wrapped in SPNEGO_OID's application tag
 * ```
 */
export const SPNEGO_OID = '1.3.6.1.5.5.2';
/**
 * The NTLM security support provider's mechanism OID (MS-NLMP §1.9): the only mechanism the
 * certsrv server accepts inside SPNEGO.
 *
 * @example
 * ```ts
 * const t = parseSpnegoToken(token);
 * const ntlm = t.kind === 'init' && t.mechTypes.includes(NTLMSSP_OID);
 * ```
 */
export const NTLMSSP_OID = '1.3.6.1.4.1.311.2.2.10';

/**
 * A client's SPNEGO token: the first one (`init`: its mechanism list, as a list and as the DER
 * bytes the mechListMIC covers, and the optimistic token of the first mechanism) or a later one
 * (`resp`).
 *
 * @example
 * ```ts
 * const t: SpnegoToken = { kind: 'resp', responseToken: type3 };
 * ```
 */
export type SpnegoToken =
  | {
      readonly kind: 'init';
      readonly mechTypes: readonly string[];
      readonly mechTypesDer: Uint8Array;
      readonly mechToken?: Uint8Array;
      readonly mechListMic?: Uint8Array;
    }
  | {
      readonly kind: 'resp';
      readonly negState?: number;
      readonly supportedMech?: string;
      readonly responseToken?: Uint8Array;
      readonly mechListMic?: Uint8Array;
    };

/**
 * The negState values of a NegTokenResp (RFC 4178 §4.2.2).
 *
 * @example
 * ```ts
 * buildNegTokenResp({ negState: NEG_STATE.acceptCompleted });
 * ```
 */
export const NEG_STATE = Object.freeze({
  acceptCompleted: 0,
  acceptIncomplete: 1,
  reject: 2,
  requestMic: 3,
});

function invalid(message: string): CaError {
  return new CaError('ERR_CA_NTLM_INVALID', `The SPNEGO token is not valid: ${message}`);
}

interface Tlv {
  readonly tag: number;
  /** The whole element, header included. */
  readonly der: Uint8Array;
  readonly content: Uint8Array;
}

/** One DER element at `at` within `bytes` (definite lengths of at most 4 bytes). */
function readTlv(bytes: Uint8Array, at: number): Tlv {
  if (at + 2 > bytes.length) throw invalid('an element is cut short.');
  const tag = bytes[at]!;
  if ((tag & 0x1f) === 0x1f) throw invalid('a multi-byte tag is not expected here.');
  let len = bytes[at + 1]!;
  let head = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw invalid('an indefinite or oversized length is not DER.');
    if (at + 2 + n > bytes.length) throw invalid('a length is cut short.');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + bytes[at + 2 + i]!;
    head += n;
  }
  const end = at + head + len;
  if (end > bytes.length) throw invalid('an element is longer than the token.');
  return { tag, der: bytes.subarray(at, end), content: bytes.subarray(at + head, end) };
}

/** The elements of a constructed element's content, which they must fill exactly. */
function children(content: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  for (let at = 0; at < content.length; ) {
    const t = readTlv(content, at);
    out.push(t);
    at += t.der.length;
  }
  return out;
}

/** The only element of `content`, which must be exactly it. */
function single(content: Uint8Array, tag: number, what: string): Tlv {
  const t = readTlv(content, 0);
  if (t.tag !== tag || t.der.length !== content.length) throw invalid(`${what} is malformed.`);
  return t;
}

function oidText(content: Uint8Array): string {
  if (content.length === 0 || (content[content.length - 1]! & 0x80) !== 0)
    throw invalid('an object identifier is malformed.');
  const arcs: number[] = [];
  let v = 0;
  for (const b of content) {
    v = v * 128 + (b & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER) throw invalid('an object identifier arc is too large.');
    if ((b & 0x80) === 0) {
      arcs.push(v);
      v = 0;
    }
  }
  const first = arcs[0]!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join('.');
}

/** The fields of a SEQUENCE of context-tagged [n] fields, each at most once and in order. */
function taggedFields(seq: Tlv, what: string): Map<number, Tlv> {
  if (seq.tag !== 0x30) throw invalid(`${what} is not a SEQUENCE.`);
  const fields = new Map<number, Tlv>();
  let last = -1;
  for (const c of children(seq.content)) {
    const n = c.tag - 0xa0;
    if (n < 0 || n > 4 || n <= last) throw invalid(`${what} has an unexpected field.`);
    last = n;
    fields.set(n, c);
  }
  return fields;
}

function octets(field: Tlv | undefined, what: string): Uint8Array | undefined {
  return field ? single(field.content, 0x04, what).content.slice() : undefined;
}

/**
 * Parses a client's SPNEGO token: an InitialContextToken (`0x60`, the SPNEGO OID and a
 * NegTokenInit) or a NegTokenResp (`0xa1`). Throws a CaError ERR_CA_NTLM_INVALID for anything
 * else or anything malformed (a NegTokenInit without mechanisms included).
 *
 * @example
 * ```ts
 * const t = parseSpnegoToken(token);
 * if (t.kind === 'init' && t.mechTypes.includes(NTLMSSP_OID)) { … }
 * ```
 */
export function parseSpnegoToken(token: Uint8Array): SpnegoToken {
  if (!(token instanceof Uint8Array)) throw new TypeError('token must be a Uint8Array.');
  const outer = readTlv(token, 0);
  if (outer.der.length !== token.length) throw invalid('bytes follow the token.');
  if (outer.tag === 0x60) {
    const [mech, inner, ...rest] = children(outer.content);
    if (mech?.tag !== 0x06 || oidText(mech.content) !== SPNEGO_OID || !inner || rest.length > 0)
      throw invalid('the initial token is not a SPNEGO one.');
    if (inner.tag !== 0xa0) throw invalid('the initial token does not hold a NegTokenInit.');
    const fields = taggedFields(single(inner.content, 0x30, 'NegTokenInit'), 'NegTokenInit');
    const list = fields.get(0);
    if (!list) throw invalid('the NegTokenInit names no mechanism.');
    const seq = single(list.content, 0x30, 'mechTypes');
    const mechTypes = children(seq.content).map((m) => {
      if (m.tag !== 0x06) throw invalid('mechTypes holds something other than OIDs.');
      return oidText(m.content);
    });
    if (mechTypes.length === 0) throw invalid('the NegTokenInit names no mechanism.');
    const mechToken = octets(fields.get(2), 'mechToken');
    const mechListMic = octets(fields.get(3), 'mechListMIC');
    return {
      kind: 'init',
      mechTypes,
      mechTypesDer: seq.der.slice(),
      ...(mechToken ? { mechToken } : {}),
      ...(mechListMic ? { mechListMic } : {}),
    };
  }
  if (outer.tag === 0xa1) {
    const fields = taggedFields(single(outer.content, 0x30, 'NegTokenResp'), 'NegTokenResp');
    const state = fields.get(0);
    let negState: number | undefined;
    if (state) {
      const e = single(state.content, 0x0a, 'negState');
      if (e.content.length !== 1) throw invalid('negState is malformed.');
      negState = e.content[0]!;
    }
    const mech = fields.get(1);
    const supportedMech = mech ? oidText(single(mech.content, 0x06, 'supportedMech').content) : undefined;
    const responseToken = octets(fields.get(2), 'responseToken');
    const mechListMic = octets(fields.get(3), 'mechListMIC');
    return {
      kind: 'resp',
      ...(negState !== undefined ? { negState } : {}),
      ...(supportedMech ? { supportedMech } : {}),
      ...(responseToken ? { responseToken } : {}),
      ...(mechListMic ? { mechListMic } : {}),
    };
  }
  throw invalid('it is neither a NegTokenInit nor a NegTokenResp.');
}

/** A DER element of `tag` around `content`. */
function tlv(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  const len =
    n < 0x80
      ? [n]
      : n < 0x100
        ? [0x81, n]
        : n < 0x10000
          ? [0x82, n >> 8, n & 0xff]
          : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  const out = new Uint8Array(1 + len.length + n);
  out[0] = tag;
  out.set(len, 1);
  out.set(content, 1 + len.length);
  return out;
}

function joined(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function oidDer(oid: string): Uint8Array {
  const arcs = oid.split('.').map(Number);
  const bytes: number[] = [];
  for (const arc of [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)]) {
    const chunk = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, new Uint8Array(bytes));
}

/**
 * Encodes a NegTokenResp (RFC 4178 §4.2.2), the acceptor's answer: its state, the mechanism it
 * chose (first answer only), the mechanism's token and the mechListMIC.
 *
 * @example
 * ```ts
 * const answer = buildNegTokenResp({ negState: NEG_STATE.acceptIncomplete, supportedMech: NTLMSSP_OID, responseToken: type2 });
 * ```
 */
export function buildNegTokenResp(o: {
  negState?: number;
  supportedMech?: string;
  responseToken?: Uint8Array;
  mechListMic?: Uint8Array;
}): Uint8Array {
  const fields: Uint8Array[] = [];
  if (o.negState !== undefined) fields.push(tlv(0xa0, tlv(0x0a, new Uint8Array([o.negState]))));
  if (o.supportedMech !== undefined) fields.push(tlv(0xa1, oidDer(o.supportedMech)));
  if (o.responseToken !== undefined) fields.push(tlv(0xa2, tlv(0x04, o.responseToken)));
  if (o.mechListMic !== undefined) fields.push(tlv(0xa3, tlv(0x04, o.mechListMic)));
  return tlv(0xa1, tlv(0x30, joined(fields)));
}

/**
 * Encodes a client's first SPNEGO token: an InitialContextToken with a NegTokenInit naming
 * `mechTypes` (default NTLMSSP alone) and carrying `mechToken`, as MIT's SPNEGO with
 * gss-ntlmssp sends it. For tests and scripts driving the server.
 *
 * @example
 * ```ts
 * const first = buildNegTokenInit({ mechToken: buildNegotiateMessage() });
 * ```
 */
export function buildNegTokenInit(o: { mechTypes?: readonly string[]; mechToken?: Uint8Array }): Uint8Array {
  const list = tlv(0x30, joined((o.mechTypes ?? [NTLMSSP_OID]).map(oidDer)));
  const fields = [tlv(0xa0, list)];
  if (o.mechToken) fields.push(tlv(0xa2, tlv(0x04, o.mechToken)));
  return tlv(0x60, joined([oidDer(SPNEGO_OID), tlv(0xa0, tlv(0x30, joined(fields)))]));
}

/**
 * The DER of the MechTypeList `mechTypes`, what a mechListMIC signs.
 *
 * @example
 * ```ts
 * mechTypeListDer([NTLMSSP_OID]); // 30 0c 06 0a 2b 06 01 04 01 82 37 02 02 0a
 * ```
 */
export function mechTypeListDer(mechTypes: readonly string[]): Uint8Array {
  return tlv(0x30, joined(mechTypes.map(oidDer)));
}
