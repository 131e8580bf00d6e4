// Files in tests: listing a directory tree, and a file's content changed for one check.

import { readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Every file under `dir` (not the directories), as paths relative to it with `/`, sorted. */
export function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? filesUnder(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
    )
    .sort();
}

/** Writes `content` to `file` for the duration of `fn`, then puts `original` back. */
export async function withFile<T>(
  file: string,
  content: string | Uint8Array,
  original: string | Uint8Array,
  fn: () => Promise<T>,
): Promise<T> {
  await writeFile(file, content);
  try {
    return await fn();
  } finally {
    await writeFile(file, original);
  }
}
