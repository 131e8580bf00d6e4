// NTLM session security (MS-NLMP §3.4) as far as SPNEGO's mechListMIC needs it: the NTLMv2
// session base key (§3.3.2), the exported session key (§3.4.5.1 KXKEY, and RC4 of the client's
// EncryptedRandomSessionKey under NTLMSSP_NEGOTIATE_KEY_EXCH), the signing and sealing keys of
// each direction (§3.4.5.2 SIGNKEY, §3.4.5.3 SEALKEY) and GSS_GetMIC with extended session
// security (§3.4.4.2).

import { createHash, timingSafeEqual } from 'node:crypto';
import { CaError } from '../errors.js';
import { hmacMd5, u32le } from './internal/ntlm-bytes.js';
import { NTLM_FLAGS as F } from './ntlm.js';
import { Rc4 } from './rc4.js';

const md5 = (...parts: Uint8Array[]) => {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

const CLIENT_SIGN = ascii('session key to client-to-server signing key magic constant\0');
const SERVER_SIGN = ascii('session key to server-to-client signing key magic constant\0');
const CLIENT_SEAL = ascii('session key to client-to-server sealing key magic constant\0');
const SERVER_SEAL = ascii('session key to server-to-client sealing key magic constant\0');

/**
 * The NTLMv2 SessionBaseKey (MS-NLMP §3.3.2): HMAC-MD5(NTOWFv2, NTProofStr), where NTProofStr is
 * the first 16 bytes of the NTLMv2 response. `responseKeyNt` is NTOWFv2 of the account.
 *
 * @example
 * ```ts
 * const base = ntlmV2SessionBaseKey(ntowfv2, msg.ntResponse);
 * ```
 */
export function ntlmV2SessionBaseKey(responseKeyNt: Uint8Array, ntResponse: Uint8Array): Uint8Array {
  if (ntResponse.length < 16) throw new TypeError('An NTLMv2 response is at least 16 bytes.');
  return hmacMd5(responseKeyNt, ntResponse.subarray(0, 16));
}

/**
 * The ExportedSessionKey (MS-NLMP §3.2.5.1.2): with NTLMv2 the KeyExchangeKey is the
 * SessionBaseKey (§3.4.5.1); under NTLMSSP_NEGOTIATE_KEY_EXCH the client sent its own key
 * RC4-encrypted with it. Throws a CaError ERR_CA_NTLM_INVALID when that key is not 16 bytes.
 *
 * @example
 * ```ts
 * const key = ntlmExportedSessionKey(sessionBaseKey, msg.flags, msg.encryptedRandomSessionKey);
 * ```
 */
export function ntlmExportedSessionKey(
  sessionBaseKey: Uint8Array,
  flags: number,
  encryptedRandomSessionKey?: Uint8Array,
): Uint8Array {
  const enc = encryptedRandomSessionKey;
  if ((flags & F.NTLMSSP_NEGOTIATE_KEY_EXCH) === 0 || !enc || enc.length === 0) return sessionBaseKey.slice();
  if (enc.length !== 16)
    throw new CaError('ERR_CA_NTLM_INVALID', 'The EncryptedRandomSessionKey is not 16 bytes.');
  return new Rc4(sessionBaseKey).update(enc);
}

/**
 * The MIC of an NTLM handshake (MS-NLMP §3.1.5.1.2): HMAC-MD5 under the ExportedSessionKey of the
 * NEGOTIATE, CHALLENGE and AUTHENTICATE messages, the last with its MIC field zeroed.
 *
 * @example
 * ```ts
 * const mic = ntlmMic(exportedSessionKey, type1, type2, zeroedType3);
 * ```
 */
export function ntlmMic(
  exportedSessionKey: Uint8Array,
  negotiate: Uint8Array,
  challenge: Uint8Array,
  authenticateZeroed: Uint8Array,
): Uint8Array {
  return hmacMd5(exportedSessionKey, negotiate, challenge, authenticateZeroed);
}

/**
 * One side of an NTLM security context with extended session security, for signing: the
 * acceptor's (`server`) view checks what the client signed and signs for the client. Each
 * direction has its own sequence number and RC4 handle.
 *
 * @example
 * ```ts
 * const s = new NtlmSessionSecurity({ sessionBaseKey, flags: msg.flags, encryptedRandomSessionKey: msg.encryptedRandomSessionKey });
 * if (!s.verifyClientMic(mechTypesDer, mic)) throw …;
 * const ours = s.serverMic(mechTypesDer);
 * ```
 */
export class NtlmSessionSecurity {
  /** The key both sides end with (ExportedSessionKey, §3.2.5.1.2 / §3.1.5.1.2). */
  readonly exportedSessionKey: Uint8Array;
  readonly #keyExchange: boolean;
  readonly #client: { sign: Uint8Array; seal: Rc4; seq: number };
  readonly #server: { sign: Uint8Array; seal: Rc4; seq: number };

  /**
   * `flags` are the AUTHENTICATE_MESSAGE's NegotiateFlags (what was negotiated). Throws a
   * CaError ERR_CA_NTLM_INVALID without NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY (NTLMv2
   * clients negotiate it; the older signature format is not supported) or with KEY_EXCH and an
   * EncryptedRandomSessionKey that is not 16 bytes.
   */
  constructor(o: { sessionBaseKey: Uint8Array; flags: number; encryptedRandomSessionKey?: Uint8Array }) {
    if ((o.flags & F.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) === 0)
      throw new CaError(
        'ERR_CA_NTLM_INVALID',
        'The NTLM client did not negotiate extended session security, which signing here needs.',
      );
    this.#keyExchange = (o.flags & F.NTLMSSP_NEGOTIATE_KEY_EXCH) !== 0;
    this.exportedSessionKey = ntlmExportedSessionKey(o.sessionBaseKey, o.flags, o.encryptedRandomSessionKey);
    // §3.4.5.3: the sealing key is cut to the negotiated strength before it is hashed.
    const k = this.exportedSessionKey;
    const sealBase =
      o.flags & F.NTLMSSP_NEGOTIATE_128
        ? k
        : o.flags & F.NTLMSSP_NEGOTIATE_56
          ? k.subarray(0, 7)
          : k.subarray(0, 5);
    this.#client = { sign: md5(k, CLIENT_SIGN), seal: new Rc4(md5(sealBase, CLIENT_SEAL)), seq: 0 };
    this.#server = { sign: md5(k, SERVER_SIGN), seal: new Rc4(md5(sealBase, SERVER_SEAL)), seq: 0 };
  }

  /** §3.4.4.2 MAC with extended session security, advancing that direction's state. */
  #mac(side: { sign: Uint8Array; seal: Rc4; seq: number }, message: Uint8Array): Uint8Array {
    const seq = u32le(side.seq);
    side.seq++;
    let checksum: Uint8Array = hmacMd5(side.sign, seq, message).subarray(0, 8);
    if (this.#keyExchange) checksum = side.seal.update(checksum);
    const out = new Uint8Array(16);
    out.set(u32le(1), 0);
    out.set(checksum, 4);
    out.set(seq, 12);
    return out;
  }

  /** The NTLMSSP_MESSAGE_SIGNATURE (16 bytes) the server sends over `message` (GSS_GetMIC). */
  serverMic(message: Uint8Array): Uint8Array {
    return this.#mac(this.#server, message);
  }

  /**
   * Whether `signature` is the client's next signature over `message` (GSS_VerifyMIC), in
   * constant time. A wrong signature still advances the client's state, as a received message does.
   */
  verifyClientMic(message: Uint8Array, signature: Uint8Array): boolean {
    const expected = this.#mac(this.#client, message);
    return signature.length === 16 && timingSafeEqual(expected, signature);
  }

  /**
   * The signature the client computes over `message`: for tests and scripts acting as the
   * client, on a context of their own (it advances the client direction).
   */
  clientMic(message: Uint8Array): Uint8Array {
    return this.#mac(this.#client, message);
  }

  /** Whether `signature` is the server's next signature over `message`, as a client checks it. */
  verifyServerMic(message: Uint8Array, signature: Uint8Array): boolean {
    const expected = this.#mac(this.#server, message);
    return signature.length === 16 && timingSafeEqual(expected, signature);
  }
}
