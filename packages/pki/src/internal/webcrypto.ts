// Small glue between our Uint8Array world and WebCrypto: BufferSource typing, error wrapping,
// and remembering which SubtleCrypto made each CryptoKey (a key from one implementation, e.g.
// @peculiar/webcrypto serving Ed25519 as a fallback, cannot be used with another's subtle).

/// <reference lib="dom" preserve="true" />
// The WebCrypto types (CryptoKey, SubtleCrypto, JsonWebKey…) of the public declarations come
// from the DOM library: declared here so that a Node project without "dom" in its lib checks
// them rather than reading them as `any`.

import { PkiError, type PkiErrorCode } from '../errors.js';

/**
 * A view WebCrypto accepts as BufferSource. TypeScript 5.9 types BufferSource as backed by an
 * ArrayBuffer only; copy only when the bytes live elsewhere (a SharedArrayBuffer).
 */
export function bufferSource(b: Uint8Array): Uint8Array<ArrayBuffer> {
  return b.buffer instanceof ArrayBuffer ? (b as Uint8Array<ArrayBuffer>) : new Uint8Array(b);
}

const owners = new WeakMap<CryptoKey, SubtleCrypto>();

/** Records that `subtle` created `key`, and returns the key. */
export function remember(key: CryptoKey, subtle: SubtleCrypto): CryptoKey {
  owners.set(key, subtle);
  return key;
}

/** The SubtleCrypto that created `key`, if it was created through {@link remember}. */
export function ownerOf(key: CryptoKey): SubtleCrypto | undefined {
  return owners.get(key);
}

/**
 * Awaits a WebCrypto call and turns its DOMException (or anything else that is not ours) into
 * a PkiError with `code` and `message`, keeping the original as `cause`.
 */
export async function webcrypto<R>(code: PkiErrorCode, message: string, fn: () => Promise<R>): Promise<R> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof PkiError) throw e;
    if (e instanceof TypeError && (e as { certlabMisuse?: boolean }).certlabMisuse) throw e;
    const detail = e instanceof Error && e.message ? ` (${e.message})` : '';
    throw new PkiError(code, `${message}${detail}`, { cause: e });
  }
}
