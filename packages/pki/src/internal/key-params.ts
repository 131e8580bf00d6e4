// Normalises the WebCrypto algorithm parameters a caller passes to PublicKey/PrivateKey.cryptoKey()
// into the import parameters for that key, plus a cache key. WebCrypto names are matched
// case-insensitively (W3C WebCrypto §18.4 "normalize an algorithm").

/// <reference lib="dom" preserve="true" />
// The WebCrypto types (CryptoKey, SubtleCrypto, JsonWebKey…) of the public declarations come
// from the DOM library: declared here so that a Node project without "dom" in its lib checks
// them rather than reading them as `any`.

import { PkiError } from '../errors.js';
import { misuse } from './guard.js';
import type { KeyInfo } from './key-der.js';

export type ImportParams = RsaHashedImportParams | EcKeyImportParams | Algorithm;

export interface NormalizedImport {
  /** Cache key: one imported CryptoKey per distinct value. */
  cacheKey: string;
  params: ImportParams;
}

const RSA_HASHES = new Set(['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']);

function hashName(hash: unknown): string {
  const name =
    typeof hash === 'string'
      ? hash
      : typeof hash === 'object' && hash !== null
        ? (hash as { name?: unknown }).name
        : undefined;
  if (typeof name !== 'string')
    throw misuse('RSA key parameters need a hash, e.g. { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }.');
  const upper = name.toUpperCase();
  if (!RSA_HASHES.has(upper))
    throw new PkiError(
      'ERR_PKI_ALGORITHM_UNSUPPORTED',
      `The hash "${name}" is not supported; use SHA-256, SHA-384, SHA-512 (or SHA-1 for legacy verification).`,
    );
  return upper;
}

function describe(info: KeyInfo): string {
  return info.type === 'rsa'
    ? 'an RSA key'
    : info.type === 'ec'
      ? `an EC ${info.curve} key`
      : 'an Ed25519 key';
}

function mismatch(info: KeyInfo, alg: string): never {
  throw new PkiError(
    'ERR_PKI_ALGORITHM_UNSUPPORTED',
    `The algorithm ${alg} cannot be used with ${describe(info)}.`,
  );
}

/** Import parameters and cache key for `algorithm` on a key described by `info`. */
export function normalizeImport(info: KeyInfo, algorithm: unknown): NormalizedImport {
  if (typeof algorithm === 'string') algorithm = { name: algorithm };
  if (
    typeof algorithm !== 'object' ||
    algorithm === null ||
    typeof (algorithm as Algorithm).name !== 'string'
  ) {
    throw misuse('cryptoKey() needs WebCrypto algorithm parameters such as { name: "ECDSA" }.');
  }
  const a = algorithm as Algorithm & { hash?: unknown; namedCurve?: unknown };
  switch (a.name.toUpperCase()) {
    case 'RSASSA-PKCS1-V1_5': {
      if (info.type !== 'rsa') mismatch(info, a.name);
      const hash = hashName(a.hash);
      return { cacheKey: `RSASSA-PKCS1-v1_5|${hash}`, params: { name: 'RSASSA-PKCS1-v1_5', hash } };
    }
    case 'RSA-PSS': {
      if (info.type !== 'rsa') mismatch(info, a.name);
      const hash = hashName(a.hash);
      return { cacheKey: `RSA-PSS|${hash}`, params: { name: 'RSA-PSS', hash } };
    }
    case 'ECDSA': {
      if (info.type !== 'ec') mismatch(info, a.name);
      if (a.namedCurve !== undefined && a.namedCurve !== info.curve)
        mismatch(info, `ECDSA on ${String(a.namedCurve)}`);
      return { cacheKey: 'ECDSA', params: { name: 'ECDSA', namedCurve: info.curve! } as EcKeyImportParams };
    }
    case 'ED25519': {
      if (info.type !== 'ed25519') mismatch(info, a.name);
      return { cacheKey: 'Ed25519', params: { name: 'Ed25519' } };
    }
    default:
      throw new PkiError(
        'ERR_PKI_ALGORITHM_UNSUPPORTED',
        `The WebCrypto algorithm "${a.name}" is not a signature algorithm this library supports (RSASSA-PKCS1-v1_5, RSA-PSS, ECDSA, Ed25519).`,
      );
  }
}

/** The parameters a key is imported with when the caller has not asked for others. */
export function defaultImport(info: KeyInfo): NormalizedImport {
  if (info.type === 'rsa') return normalizeImport(info, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
  if (info.type === 'ec') return normalizeImport(info, { name: 'ECDSA' });
  return normalizeImport(info, { name: 'Ed25519' });
}
