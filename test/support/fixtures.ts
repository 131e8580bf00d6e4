// Shared inputs for the cross-package tests: key types, fixed dates, and key generation with a
// per-process cache (RSA generation is the slow part of the interop suites).

import { generateKeyPair, type KeyPair } from '@certlab/pki';

export type KeySpecInput = Parameters<typeof generateKeyPair>[0];

/** Every key type certlab supports, as the interop tests exercise them. */
export const KEY_TYPES: readonly { readonly label: string; readonly spec: NonNullable<KeySpecInput> }[] = [
  { label: 'RSA 2048', spec: { type: 'rsa', bits: 2048 } },
  { label: 'EC P-256', spec: { type: 'ec', curve: 'P-256' } },
  { label: 'EC P-384', spec: { type: 'ec', curve: 'P-384' } },
  { label: 'EC P-521', spec: { type: 'ec', curve: 'P-521' } },
  { label: 'Ed25519', spec: { type: 'ed25519' } },
];

const cache = new Map<string, Promise<KeyPair>>();

/** A key pair of this type, generated once per test process and `slot` (use slots to get distinct keys). */
export function keyPair(spec: NonNullable<KeySpecInput>, slot = 0): Promise<KeyPair> {
  const k = `${JSON.stringify(spec)}#${slot}`;
  let p = cache.get(k);
  if (!p) {
    p = generateKeyPair(spec);
    cache.set(k, p);
  }
  return p;
}

/** Fixed validity used by certificates the tests make (no clock in assertions). */
export const NOT_BEFORE = new Date(Date.UTC(2025, 0, 1, 0, 0, 0));
/** After 2050: encoded as GeneralizedTime (RFC 5280 §4.1.2.5). */
export const ROOT_NOT_AFTER = new Date(Date.UTC(2055, 0, 1, 0, 0, 0));
export const INTERMEDIATE_NOT_AFTER = new Date(Date.UTC(2045, 0, 1, 0, 0, 0));
export const LEAF_NOT_AFTER = new Date(Date.UTC(2027, 0, 1, 0, 0, 0));
/** The moment `openssl verify -attime` checks chains at: inside every validity above. */
export const VERIFY_AT = new Date(Date.UTC(2026, 5, 1, 0, 0, 0));
export const VERIFY_AT_EPOCH = String(Math.floor(VERIFY_AT.getTime() / 1000));
