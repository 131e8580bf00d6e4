// The check both store implementations make before RequestStore.replaceCaKeys writes anything.
// Not exported from the package: the stores' own helper.

import { CaError } from '../errors.js';
import type { AuthorityRole, CaKeyRow } from './request-store.js';

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
  const id = (r: { authority: AuthorityRole; certIndex: number }) => `${r.authority}/${r.certIndex}`;
  const want = new Set(current.map(id));
  const got = new Set(keys.map(id));
  if (got.size !== keys.length || got.size !== want.size || [...got].some((k) => !want.has(k)))
    throw new CaError(
      'ERR_CA_STORE',
      "The CA's certificates changed while its keys were being re-encrypted (a renewal by another process?): nothing was changed; try again.",
    );
}
