// The text columns of the CA database as PostgreSQL keeps them, applied by every store so that a
// row reads back the same from memory, PGlite and PostgreSQL (not exported from the package).
// A `text` value cannot hold U+0000 (PostgreSQL manual §8.3, "Character Types": "the character
// with code zero (sometimes called NUL)" cannot be stored; the server answers SQLSTATE 22021):
// every store refuses it with ERR_CA_STORE and writes nothing. UTF-8 has no form for an unpaired
// surrogate: the PGlite and pg drivers' UTF-8 encoders send U+FFFD instead, so every store keeps
// U+FFFD. The CA never gets there: it makes the text storable first (storableText).

import { CaError } from '../errors.js';
import { NUL_OR_SURROGATE, UNPAIRED_SURROGATES } from '../text-checks.js';
import type { CaSetup, NewRequestRow, RequestChange } from './request-store.js';

/** `value` as a text column holds it; ERR_CA_STORE for U+0000, naming `column`. */
function storedText(value: string, column: string): string {
  if (!NUL_OR_SURROGATE.test(value)) return value;
  if (value.includes('\u0000'))
    throw new CaError(
      'ERR_CA_STORE',
      `The ${column} holds the character U+0000, which the CA database cannot store as text: remove or replace it before storing the row.`,
    );
  return value.replace(UNPAIRED_SURROGATES, '\uFFFD');
}

const REQUEST_TEXT = ['dispositionMessage', 'template', 'requester', 'subject', 'attributes'] as const;
const COLUMN: Record<(typeof REQUEST_TEXT)[number], string> = {
  dispositionMessage: 'disposition message',
  template: 'template name',
  requester: 'requester',
  subject: 'subject',
  attributes: 'request attributes',
};

/**
 * A request row or change with `f` applied to each of its text fields (`column` names the field
 * for messages); the row itself when nothing changes.
 *
 * @example
 * ```ts
 * mapRequestText({ dispositionMessage: 'Denied by A\u0000B' }, (v) => v.replaceAll('\u0000', '')); // { dispositionMessage: 'Denied by AB' }
 * ```
 */
export function mapRequestText<T extends NewRequestRow | RequestChange>(
  row: T,
  f: (value: string, column: string) => string,
): T {
  let out = row;
  for (const k of REQUEST_TEXT) {
    const v = (row as Partial<Record<(typeof REQUEST_TEXT)[number], string>>)[k];
    if (v === undefined) continue;
    const s = f(v, COLUMN[k]);
    if (s !== v) out = { ...out, [k]: s };
  }
  return out;
}

/**
 * A request row or change with its text as the database keeps it (see the file comment).
 *
 * @example
 * ```ts
 * storedRequestText({ dispositionMessage: 'Denied by A\u0000B' }); // throws ERR_CA_STORE
 * ```
 */
export function storedRequestText<T extends NewRequestRow | RequestChange>(row: T): T {
  return mapRequestText(row, storedText);
}

/**
 * A CA setup with its configuration values as the database keeps them (see the file comment).
 *
 * @example
 * ```ts
 * storedSetup({ config: { name: 'Contoso\u0000CA' }, certificates: [] }); // throws ERR_CA_STORE
 * ```
 */
export function storedSetup(setup: CaSetup): CaSetup {
  const config: Record<string, string> = {};
  for (const [k, v] of Object.entries(setup.config))
    config[storedText(k, 'CA setting name')] = storedText(v, `CA setting ${JSON.stringify(k)}`);
  return { ...setup, config };
}
