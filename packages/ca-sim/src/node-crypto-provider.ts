// A Node-only WebCrypto provider for @certlab/pki's crypto-provider seam: Node's own WebCrypto,
// except that ECDSA sign and verify run synchronously through node:crypto on the KeyObject behind
// the CryptoKey. Node's WebCrypto sends every sign and verify through the libuv thread pool, and
// the job set-up and promise hop cost more on the calling thread than the P-256 arithmetic itself
// (~30 µs per operation); a thread that has nothing else to do (a signing worker) is better off
// doing the work in line. Keys stay real CryptoKeys: import, export and generation are Node's
// WebCrypto, untouched. Not part of the browser build (node:crypto).

import { KeyObject, sign as nodeSign, verify as nodeVerify, webcrypto } from 'node:crypto';
import type { CryptoProvider } from '@certlab/pki';

type AlgorithmIdentifier = webcrypto.AlgorithmIdentifier;
type EcdsaParams = webcrypto.EcdsaParams;
type Algorithm = webcrypto.Algorithm;
type BufferSource = webcrypto.BufferSource;
type CryptoKey = webcrypto.CryptoKey;
type SubtleCrypto = webcrypto.SubtleCrypto;

const HASHES: Record<string, string> = {
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

function hashOf(alg: AlgorithmIdentifier | EcdsaParams): string | undefined {
  if (typeof alg !== 'object' || alg === null) return undefined;
  const h = (alg as EcdsaParams).hash;
  const name = typeof h === 'string' ? h : (h as Algorithm | undefined)?.name;
  return name ? HASHES[name.toUpperCase()] : undefined;
}

function isEcdsa(alg: AlgorithmIdentifier): boolean {
  const name = typeof alg === 'string' ? alg : alg?.name;
  return typeof name === 'string' && name.toUpperCase() === 'ECDSA';
}

function bytesOf(data: BufferSource): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

/**
 * Node's WebCrypto with ECDSA sign and verify done in line through node:crypto (same keys, same
 * IEEE P1363 signatures), for a thread that signs and verifies nothing but that: the signing
 * workers of {@link AuthorityOptions.signingWorkers}.
 *
 * @example
 * ```ts
 * import { setCryptoProvider } from '@certlab/pki';
 * setCryptoProvider(nodeInlineEcdsaProvider());
 * ```
 */
export function nodeInlineEcdsaProvider(): CryptoProvider {
  const base: SubtleCrypto = webcrypto.subtle;
  const objects = new WeakMap<CryptoKey, KeyObject>();
  const keyObject = (key: CryptoKey): KeyObject => {
    let k = objects.get(key);
    if (!k) {
      k = KeyObject.from(key);
      objects.set(key, k);
    }
    return k;
  };
  const subtle = Object.create(base) as SubtleCrypto;
  for (const name of [
    'decrypt',
    'deriveBits',
    'deriveKey',
    'digest',
    'encrypt',
    'exportKey',
    'generateKey',
    'importKey',
    'unwrapKey',
    'wrapKey',
  ] as const) {
    const fn = (base[name] as (...a: unknown[]) => unknown).bind(base);
    Object.defineProperty(subtle, name, { value: fn });
  }
  Object.defineProperty(subtle, 'sign', {
    value(alg: AlgorithmIdentifier, key: CryptoKey, data: BufferSource): Promise<ArrayBuffer> {
      const hash = hashOf(alg);
      if (!isEcdsa(alg) || !hash || key.type !== 'private' || !key.usages.includes('sign'))
        return base.sign(alg, key, data);
      try {
        const sig = nodeSign(hash, bytesOf(data), { key: keyObject(key), dsaEncoding: 'ieee-p1363' });
        return Promise.resolve(
          sig.buffer.slice(sig.byteOffset, sig.byteOffset + sig.byteLength) as ArrayBuffer,
        );
      } catch {
        return base.sign(alg, key, data);
      }
    },
  });
  Object.defineProperty(subtle, 'verify', {
    value(
      alg: AlgorithmIdentifier,
      key: CryptoKey,
      signature: BufferSource,
      data: BufferSource,
    ): Promise<boolean> {
      const hash = hashOf(alg);
      if (!isEcdsa(alg) || !hash || key.type !== 'public' || !key.usages.includes('verify'))
        return base.verify(alg, key, signature, data);
      try {
        return Promise.resolve(
          nodeVerify(
            hash,
            bytesOf(data),
            { key: keyObject(key), dsaEncoding: 'ieee-p1363' },
            bytesOf(signature),
          ),
        );
      } catch {
        return base.verify(alg, key, signature, data);
      }
    },
  });
  return {
    subtle,
    getRandomValues: <T extends ArrayBufferView>(array: T): T =>
      webcrypto.getRandomValues(array as unknown as Uint8Array) as unknown as T,
  } as unknown as CryptoProvider;
}
