// The public key section shared by `cert show`, `csr show` and `key show`: algorithm, size and
// the identifiers people compare keys by (the RFC 5280 key id that SKI/AKI carry, the SHA-256
// of the SPKI, and the RFC 7469 pin).

import { createHash } from 'node:crypto';
import { OID, PublicKey, toHex } from '@certlab/pki';
import { keyAlgorithmDisplayName } from './display-names.js';
import type { Json } from './json-value.js';

const CURVE_OIDS: Record<string, { oid: string; windows: string }> = {
  'P-256': { oid: '1.2.840.10045.3.1.7', windows: 'ECDSA_P256' },
  'P-384': { oid: '1.3.132.0.34', windows: 'ECDSA_P384' },
  'P-521': { oid: '1.3.132.0.35', windows: 'ECDSA_P521' },
};

const TYPE_OIDS: Record<string, string> = {
  rsa: OID.rsaEncryption,
  ec: OID.ecPublicKey,
  ed25519: OID.ed25519,
};

/** The public key section in both renderings. */
export interface PublicKeySection {
  readonly text: string[];
  readonly json: Json;
  /** The parsed key, when certlab supports its algorithm. */
  readonly key: PublicKey | undefined;
  /** Why the key could not be read, when `key` is undefined. */
  readonly error?: string;
}

/**
 * Describes a SubjectPublicKeyInfo. An algorithm certlab does not support (DSA, brainpool…)
 * still gets a section saying so, with the SPKI hash, so `show` works on any certificate.
 *
 * @example
 * ```ts
 * const { text } = await publicKeySection(cert.subjectPublicKeyInfo);
 * ```
 */
export async function publicKeySection(spki: Uint8Array): Promise<PublicKeySection> {
  const sha256 = createHash('sha256').update(spki).digest();
  const spkiSha256 = toHex(sha256);
  const pin = sha256.toString('base64');
  let key: PublicKey;
  try {
    key = PublicKey.fromSpki(spki);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return {
      key: undefined,
      error: reason,
      text: [
        'Public Key Algorithm:',
        `    ${reason}`,
        `Key Id Hash(spki-sha256): ${spkiSha256}`,
        `Key Id Hash(pin-sha256): ${pin}`,
      ],
      json: { algorithm: null, error: reason, spkiSha256, pinSha256: pin },
    };
  }
  const oid = TYPE_OIDS[key.type]!;
  const keyId = toHex(await key.keyIdentifier());
  const text = ['Public Key Algorithm:', `    Algorithm ObjectId: ${oid} ${keyAlgorithmDisplayName(oid)}`];
  if (key.curve) {
    const c = CURVE_OIDS[key.curve]!;
    text.push(`    Algorithm Parameters: ${c.oid} ${c.windows} (${key.curve})`);
  }
  text.push(
    `Public Key Length: ${key.bits} bits`,
    `Key Id Hash(rfc-sha1): ${keyId}`,
    `Key Id Hash(spki-sha256): ${spkiSha256}`,
    `Key Id Hash(pin-sha256): ${pin}`,
  );
  return {
    key,
    text,
    json: {
      algorithm: key.type,
      oid,
      curve: key.curve ?? null,
      bits: key.bits,
      keyId,
      spkiSha256,
      pinSha256: pin,
    },
  };
}
