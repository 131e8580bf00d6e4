// --directory KEY=VALUE: what Active Directory knows about an account (its distinguishedName,
// dNSHostName, userPrincipalName, mail, objectSid, objectGUID and its domain's DNS name), for the
// templates that build the subject or the alternative names from the directory (reference §12).
// `ca submit` gives it for one request; `user add` and `user set` store it with a certsrv account.

import { type AccountDirectory, requesterIdentityProblem } from '@certlab/ca-sim';
import { usageError } from './cli-error.js';

/** --directory keys and the directory attribute each sets. */
export const DIRECTORY_KEYS = {
  dn: 'dn',
  dns: 'dnsHostName',
  upn: 'upn',
  email: 'email',
  sid: 'sid',
  guid: 'objectGuid',
  domain: 'domainDnsName',
} as const satisfies Record<string, keyof AccountDirectory>;

type Field = (typeof DIRECTORY_KEYS)[keyof typeof DIRECTORY_KEYS];

/** The --directory key of a directory attribute, for messages: `objectGuid` is `guid`. */
export function directoryKeyOf(field: string): string {
  return Object.entries(DIRECTORY_KEYS).find(([, f]) => f === field)?.[0] ?? field;
}

/**
 * Parses --directory KEY=VALUE entries (keys case-insensitive, values trimmed). Each key at most
 * once. With `allowRemoval`, `KEY=` (no value) means "remove this attribute" and comes back as
 * `null`; otherwise an empty value is a usage error. Values are not yet checked as a whole: see
 * {@link checkDirectory}.
 *
 * @example
 * ```ts
 * parseDirectoryEntries(['dns=exch01.contoso.com'], 'ca submit'); // { dnsHostName: 'exch01.contoso.com' }
 * parseDirectoryEntries(['email='], 'user set', true); // { email: null }
 * ```
 */
export function parseDirectoryEntries(
  entries: readonly string[],
  command: string,
  allowRemoval = false,
): Partial<Record<Field, string | null>> {
  const out: Partial<Record<Field, string | null>> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const key = (eq < 0 ? entry : entry.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? '' : entry.slice(eq + 1).trim();
    const field = Object.hasOwn(DIRECTORY_KEYS, key)
      ? DIRECTORY_KEYS[key as keyof typeof DIRECTORY_KEYS]
      : undefined;
    if (!field || eq < 0)
      throw usageError(
        `--directory takes KEY=VALUE with KEY one of ${Object.keys(DIRECTORY_KEYS).join(', ')}, not '${entry}'.`,
        command,
      );
    if (value === '' && !allowRemoval) throw usageError(`--directory ${key}= needs a value.`, command);
    if (out[field] !== undefined) throw usageError(`--directory ${key} is given twice.`, command);
    out[field] = value === '' ? null : value;
  }
  return out;
}

/**
 * Checks directory attributes as the CA will use them (it writes them into certificates: a
 * malformed SID or GUID is the caller's mistake, said now); throws a usage error naming the
 * --directory key, or returns the attributes.
 *
 * @example
 * ```ts
 * checkDirectory({ sid: 'S-1-5-21-1-2-3-1104' }, 'user add');
 * ```
 */
export function checkDirectory<T extends AccountDirectory>(directory: T, command: string): T {
  const problem = requesterIdentityProblem(directory);
  if (problem?.field === 'groups') throw usageError(`--group: the groups ${problem.message}.`, command);
  if (problem) {
    const value = directory[problem.field];
    throw usageError(`--directory ${directoryKeyOf(problem.field)}=${value} ${problem.message}.`, command);
  }
  return directory;
}
