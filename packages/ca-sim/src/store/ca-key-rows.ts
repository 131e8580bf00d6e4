// What the CA and the store implementations share about the CA's stored keys: the setting that
// says they are encrypted, and the check before RequestStore.replaceCaKeys writes anything.
// Not exported from the package.

import { CaError } from '../errors.js';
import type { AuthorityRole, CaKeyRow } from './request-store.js';

/** The CA setting (`ca_config` key) whose value `passphrase` says the CA keys are encrypted. */
export const KEY_PROTECTION_SETTING = 'keyProtection';

/**
 * Checks that the CA's keys are still under the protection `expected` (the stored setting
 * `keyProtection`) before a renewal adds a key encrypted, or not, accordingly: another process
 * may have set or removed the key passphrase since this one opened the CA, and a key stored under
 * the other protection could not be read any more. ERR_CA_STORE otherwise.
 *
 * @example
 * ```ts
 * checkKeyProtection(config.keyProtection, 'passphrase');
 * ```
 */
export function checkKeyProtection(stored: string | undefined, expected: 'passphrase' | undefined): void {
  if ((stored === 'passphrase') === (expected === 'passphrase')) return;
  throw new CaError(
    'ERR_CA_STORE',
    expected
      ? "The CA's key passphrase was removed by another process since this one opened the CA: nothing was stored; open the CA again, then renew."
      : "The CA's keys were given a key passphrase by another process since this one opened the CA: nothing was stored; open the CA again with the passphrase, then renew.",
  );
}

/**
 * One CA certificate's identity among the CA's rows: authority and certificate index.
 *
 * @example
 * ```ts
 * caKeyId({ authority: 'issuing', certIndex: 1 }); // 'issuing/1'
 * ```
 */
export function caKeyId(r: { readonly authority: AuthorityRole; readonly certIndex: number }): string {
  return `${r.authority}/${r.certIndex}`;
}

/**
 * Checks that `keys` name each CA certificate of `current` exactly once (see
 * RequestStore.replaceCaKeys); ERR_CA_STORE otherwise.
 *
 * @example
 * ```ts
 * checkCaKeyRows(storedRows, keys);
 * ```
 */
export function checkCaKeyRows(
  current: readonly { authority: AuthorityRole; certIndex: number }[],
  keys: readonly CaKeyRow[],
): void {
  const want = new Set(current.map(caKeyId));
  const got = new Set(keys.map(caKeyId));
  if (got.size !== keys.length || got.size !== want.size || [...got].some((k) => !want.has(k)))
    throw new CaError(
      'ERR_CA_STORE',
      "The CA's certificates changed while its keys were being re-encrypted (a renewal by another process?): nothing was changed; try again.",
    );
}
