// The two primitives the NTLM messages (ntlm.ts) and NTLM session security (ntlm-session.ts)
// share: HMAC-MD5 over several parts (MS-NLMP §6 HMAC_MD5) and a 32-bit little-endian field.

import { createHmac } from 'node:crypto';

/** HMAC-MD5 under `key` of the parts one after the other. */
export function hmacMd5(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const h = createHmac('md5', key);
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/** `v` as 4 bytes, little-endian (NTLM's byte order). */
export function u32le(v: number): Uint8Array {
  return new Uint8Array([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]);
}
