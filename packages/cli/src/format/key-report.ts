// `key show` output, also used by `show` for key files and the key of a PKCS#12: the key type
// and size, its container, the public key section and the public key as PEM.

import type { KeyFormat, PublicKey } from '@certlab/pki';
import { describeKey } from '../key-spec.js';
import type { Json } from './json-value.js';
import { publicKeySection } from './public-key.js';

/** A key rendered both ways. */
export interface KeyReport {
  readonly text: string[];
  readonly json: Json;
}

/** What is known about the key besides its public half. */
export interface KeyFacts {
  readonly kind: 'private' | 'public';
  /** How the key was stored, e.g. `PKCS#8`. */
  readonly container: string;
  /** The PEM label, when the key came from PEM. */
  readonly label?: string | undefined;
  readonly encrypted: boolean;
}

const PRIVATE_CONTAINERS: Record<KeyFormat, string> = {
  pkcs8: 'PKCS#8',
  'encrypted-pkcs8': 'encrypted PKCS#8',
  pkcs1: 'PKCS#1 (OpenSSL traditional)',
  sec1: 'SEC 1 (OpenSSL traditional)',
  spki: 'SubjectPublicKeyInfo',
};

/**
 * The container name of a key as the library detected it.
 *
 * @example
 * ```ts
 * keyContainerName('private', 'sec1'); // 'SEC 1 (OpenSSL traditional)'
 * ```
 */
export function keyContainerName(kind: 'private' | 'public', format: KeyFormat): string {
  if (kind === 'public') return format === 'pkcs1' ? 'PKCS#1 RSAPublicKey' : 'SubjectPublicKeyInfo';
  return PRIVATE_CONTAINERS[format];
}

/**
 * Renders a key: `Private Key: EC P-256`, the container, the public key section and PEM.
 *
 * @example
 * ```ts
 * const r = await keyReport(key.publicKey, { kind: 'private', container: 'PKCS#8', encrypted: false });
 * ```
 */
export async function keyReport(publicKey: PublicKey, facts: KeyFacts): Promise<KeyReport> {
  const pub = await publicKeySection(publicKey.spki);
  const pem = publicKey.toPem();
  return {
    text: [
      `${facts.kind === 'private' ? 'Private' : 'Public'} Key: ${describeKey(publicKey)}`,
      `Container: ${facts.container}${facts.label ? ` (PEM "${facts.label}")` : ''}`,
      '',
      ...pub.text,
      '',
      pem.trimEnd(),
    ],
    json: {
      kind: facts.kind,
      container: facts.container,
      encrypted: facts.encrypted,
      publicKey: pub.json,
      publicKeyPem: pem,
    },
  };
}
