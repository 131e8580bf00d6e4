// The accounts file of the certsrv site: DIR/users.json unless --users names another. `serve`
// reads it (and watches it while it runs); the `user` commands change it.

import { watch } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { lockUsersFile, UserDirectory } from '@certlab/ca-sim';
import { stringOption } from './args.js';
import { caDir } from './ca-support.js';
import type { CommandContext, OptionSpec, ParsedArgs } from './command.js';
import { fileExists, resolvePath } from './files.js';

/** The accounts file's name in the CA directory. */
export const USERS_FILE = 'users.json';

/** --users FILE. */
export const USERS_OPTION: OptionSpec = {
  name: 'users',
  type: 'string',
  value: 'FILE',
  help: `The accounts file (default DIR/${USERS_FILE}): JSON, passwords scrypt-hashed.`,
};

/** --domain NAME, for a users file that does not exist yet. */
export const DOMAIN_OPTION: OptionSpec = {
  name: 'domain',
  type: 'string',
  value: 'NAME',
  help: 'NetBIOS domain of bare user names (default CONTOSO) when the accounts file is created.',
};

/**
 * The accounts file of a command: --users FILE, else DIR/users.json (DIR from --dir, default
 * ./.certlab).
 *
 * @example
 * ```ts
 * usersFileOf(ctx, args); // '/home/me/.certlab/users.json'
 * ```
 */
export function usersFileOf(ctx: CommandContext, args: ParsedArgs): string {
  const file = stringOption(args, 'users');
  return file !== undefined ? resolvePath(ctx.io, file) : join(caDir(ctx, args), USERS_FILE);
}

/**
 * Reads the accounts file, or (`create`) starts an empty directory of --domain when there is
 * none. Throws the library's ERR_CA_USERS_NOT_FOUND / ERR_CA_USERS_INVALID otherwise.
 *
 * @example
 * ```ts
 * const users = await readUsers(ctx, file, { create: true, domain: 'CONTOSO' });
 * ```
 */
export async function readUsers(
  ctx: CommandContext,
  file: string,
  options: { create?: boolean; domain?: string } = {},
): Promise<UserDirectory> {
  if (options.create && !(await fileExists(ctx.io, file)))
    return new UserDirectory((options.domain ?? 'CONTOSO').toUpperCase());
  return UserDirectory.load(file);
}

/**
 * Writes the accounts file atomically (mode 0600), creating its directory (mode 0700).
 *
 * @example
 * ```ts
 * await writeUsers(users, file);
 * ```
 */
export async function writeUsers(users: UserDirectory, file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await users.save(file);
}

/**
 * Runs a read-change-write of the accounts file holding its write lock (`FILE.lock`), so that two
 * `certlab user` commands at the same instant do not write back what each read and lose the
 * other's change. Waits up to 10 s for another writer (then ERR_CA_USERS_IN_USE).
 *
 * @example
 * ```ts
 * await changeUsers(file, async () => {
 *   const users = await readUsers(ctx, file);
 *   users.remove('alice');
 *   await writeUsers(users, file);
 * });
 * ```
 */
export async function changeUsers<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const lock = await usersFileLock(file);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

/**
 * Takes the accounts file's write lock (`FILE.lock`, waiting up to 10 s), creating the file's
 * directory for it if need be. Release it once the file is written.
 *
 * @example
 * ```ts
 * const lock = await usersFileLock(file);
 * try { … } finally { await lock.release(); }
 * ```
 */
export async function usersFileLock(file: string): Promise<{ release(): Promise<void> }> {
  // The lock file lives beside the accounts file, whose directory may not exist yet.
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  return lockUsersFile(file);
}

/** What {@link watchUsersFile} reports: the accounts reloaded, or a file left unapplied and why. */
export type UsersFileEvent =
  | { readonly event: 'users-reloaded'; readonly accounts: number }
  | { readonly event: 'users-kept'; readonly reason: string };

/**
 * Applies changes of the accounts file to a running server's directory: `certlab user add`,
 * `set` and `remove` (or an edit) take effect at once, as an account change in Active Directory
 * does for IIS. The directory's revision changes, so the server's credential cache forgets what
 * it had verified. A file that cannot be read, is invalid, names another domain or (with
 * `ntlm`, for a server that signs in with NTLM) turns NT hashes off leaves the accounts as they
 * were (reported through `onEvent`). Returns the function that stops watching.
 *
 * @example
 * ```ts
 * const stop = watchUsersFile(file, users, (e) => console.error(e));
 * stop();
 * ```
 */
export function watchUsersFile(
  file: string,
  users: UserDirectory,
  onEvent: (e: UsersFileEvent) => void,
  options: { ntlm?: boolean } = {},
): () => void {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  const reload = async (): Promise<void> => {
    try {
      const next = await UserDirectory.load(file);
      // A site that signs in with NTLM needs the NT hashes a file with "ntlm": false forgets.
      if (options.ntlm && !next.ntlm) {
        onEvent({
          event: 'users-kept',
          reason: `${file} says "ntlm": false, but this server signs in with NTLM (--ntlm): restart it without --ntlm to stop keeping NT hashes.`,
        });
        return;
      }
      users.replaceAll(next);
      onEvent({ event: 'users-reloaded', accounts: users.list().length });
    } catch (e) {
      onEvent({ event: 'users-kept', reason: (e as Error).message });
    }
  };
  // One reload at a time; changes during one are picked up by one more.
  const schedule = () => {
    if (running) {
      again = true;
      return;
    }
    running = reload().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        schedule();
      }
    });
  };
  // The directory, not the file: an atomic save replaces the file (a new inode), which a watch
  // on the old one would not follow. Changes come in bursts (temporary file, rename): wait 50 ms.
  const name = basename(file);
  const watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
    if (changed !== null && changed !== name) return;
    clearTimeout(timer);
    timer = setTimeout(schedule, 50);
  });
  watcher.on('error', (e) => onEvent({ event: 'users-kept', reason: `cannot watch ${file}: ${e.message}` }));
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
