// The one place where @certlab/pki touches WebCrypto (W3C Web Cryptography API). Everything
// else asks this module for a SubtleCrypto, so that a caller can inject another implementation
// (e.g. @peculiar/webcrypto in an old runtime) and so that an algorithm the platform lacks
// (Ed25519 before Node 18.4 / Safari 17 / Chrome 113) can be served by a fallback.

/// <reference lib="dom" preserve="true" />
// The WebCrypto types (CryptoKey, SubtleCrypto, JsonWebKey…) of the public declarations come
// from the DOM library: declared here so that a Node project without "dom" in its lib checks
// them rather than reading them as `any`.

import { PkiError } from './errors.js';
import { misuse } from './internal/guard.js';

/**
 * What @certlab/pki needs from a WebCrypto implementation: the `Crypto` interface of browsers and
 * Node (`globalThis.crypto`), or any object shaped like it such as `new Crypto()` from @peculiar/webcrypto.
 *
 * @example
 * ```ts
 * import { Crypto } from '@peculiar/webcrypto';
 * const provider: CryptoProvider = new Crypto();
 * ```
 */
export interface CryptoProvider {
  readonly subtle: SubtleCrypto;
  getRandomValues<T extends ArrayBufferView>(array: T): T;
}

let primary: CryptoProvider | undefined;
let fallback: CryptoProvider | undefined;
// Probe results per upper-cased algorithm name; cleared whenever the providers change.
let probes = new Map<string, Promise<SubtleCrypto>>();

function isProvider(p: unknown): p is CryptoProvider {
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof (p as CryptoProvider).getRandomValues === 'function' &&
    typeof (p as CryptoProvider).subtle === 'object' &&
    (p as CryptoProvider).subtle !== null
  );
}

/**
 * Injects the WebCrypto implementation to use instead of `globalThis.crypto`. With `fallback`,
 * algorithms that the primary does not implement (probed once per name, see {@link subtleFor})
 * are served by the fallback.
 *
 * @example
 * ```ts
 * import { Crypto } from '@peculiar/webcrypto';
 * setCryptoProvider(globalThis.crypto, { fallback: new Crypto() }); // Ed25519 via the fallback if needed
 * ```
 */
export function setCryptoProvider(
  provider: CryptoProvider,
  options: { fallback?: CryptoProvider } = {},
): void {
  if (!isProvider(provider))
    throw misuse(
      'setCryptoProvider() needs an object with `subtle` and `getRandomValues`, such as globalThis.crypto.',
    );
  if (options.fallback !== undefined && !isProvider(options.fallback)) {
    throw misuse('The `fallback` crypto provider needs `subtle` and `getRandomValues`.');
  }
  primary = provider;
  fallback = options.fallback;
  probes = new Map();
}

/**
 * Goes back to the platform's WebCrypto (`globalThis.crypto`) with no fallback.
 *
 * @example
 * ```ts
 * afterEach(() => resetCryptoProvider());
 * ```
 */
export function resetCryptoProvider(): void {
  primary = undefined;
  fallback = undefined;
  probes = new Map();
}

/**
 * The WebCrypto implementation in use: the injected one, else `globalThis.crypto`. Throws
 * ERR_PKI_CRYPTO_UNAVAILABLE when there is none (e.g. a browser page served over plain HTTP,
 * where WebCrypto is restricted to secure contexts).
 *
 * @example
 * ```ts
 * const bytes = getCryptoProvider().getRandomValues(new Uint8Array(16));
 * ```
 */
export function getCryptoProvider(): CryptoProvider {
  if (primary) return primary;
  const g = (globalThis as { crypto?: unknown }).crypto;
  if (isProvider(g)) return g;
  throw new PkiError(
    'ERR_PKI_CRYPTO_UNAVAILABLE',
    'No WebCrypto implementation is available: use a runtime with globalThis.crypto.subtle (a secure browser context or Node 20+), or call setCryptoProvider() with one such as @peculiar/webcrypto.',
  );
}

/**
 * The SubtleCrypto to use for one algorithm name: the primary's, unless a fallback is set and
 * the primary was probed (once per name, cached) not to implement that algorithm.
 *
 * @example
 * ```ts
 * const subtle = await subtleFor('Ed25519');
 * const keys = await subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']);
 * ```
 */
export async function subtleFor(algorithm: string): Promise<SubtleCrypto> {
  const p = getCryptoProvider();
  const fb = fallback;
  // Without a fallback there is nothing to choose: skip the probe.
  if (!fb) return p.subtle;
  const name = algorithm.toUpperCase();
  let hit = probes.get(name);
  if (!hit) {
    hit = probe(p.subtle, name).then((ok) => (ok ? p.subtle : fb.subtle));
    probes.set(name, hit);
  }
  return hit;
}

/** True when `subtle` implements `name` (upper case), tried with the cheapest operation that proves it. */
async function probe(subtle: SubtleCrypto, name: string): Promise<boolean> {
  try {
    switch (name) {
      case 'ED25519':
      case 'ED448':
        await subtle.generateKey({ name }, false, ['sign', 'verify']);
        return true;
      case 'X25519':
      case 'X448':
        await subtle.generateKey({ name }, false, ['deriveBits']);
        return true;
      case 'ECDSA':
        await subtle.generateKey({ name, namedCurve: 'P-256' } as EcKeyGenParams, false, ['sign', 'verify']);
        return true;
      case 'ECDH':
        await subtle.generateKey({ name, namedCurve: 'P-256' } as EcKeyGenParams, false, ['deriveBits']);
        return true;
      case 'RSASSA-PKCS1-V1_5':
      case 'RSA-PSS':
        // The smallest modulus every implementation accepts; the probe runs once per name.
        await subtle.generateKey(
          {
            name,
            modulusLength: 1024,
            publicExponent: Uint8Array.of(1, 0, 1),
            hash: 'SHA-256',
          } as RsaHashedKeyGenParams,
          false,
          ['sign', 'verify'],
        );
        return true;
      case 'SHA-1':
      case 'SHA-256':
      case 'SHA-384':
      case 'SHA-512':
        await subtle.digest(name, new Uint8Array(0));
        return true;
      case 'PBKDF2':
        await subtle.importKey('raw', new Uint8Array(1), name, false, ['deriveBits']);
        return true;
      case 'AES-CBC':
      case 'AES-GCM':
      case 'AES-CTR':
        await subtle.generateKey({ name, length: 128 }, false, ['encrypt', 'decrypt']);
        return true;
      case 'HMAC':
        await subtle.generateKey({ name, hash: 'SHA-256' } as HmacKeyGenParams, false, ['sign']);
        return true;
      default:
        // A name we cannot probe cheaply: trust the primary.
        return true;
    }
  } catch {
    return false;
  }
}

/**
 * `n` cryptographically random bytes from the provider's CSPRNG. Requests above 65,536 bytes
 * (the WebCrypto per-call quota) are served in chunks.
 *
 * @example
 * ```ts
 * const salt = randomBytes(16);
 * ```
 */
export function randomBytes(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0)
    throw misuse(`randomBytes() needs a non-negative integer, not ${String(n)}.`);
  const out = new Uint8Array(n);
  const p = getCryptoProvider();
  for (let o = 0; o < n; o += 65536) p.getRandomValues(out.subarray(o, Math.min(n, o + 65536)));
  return out;
}
