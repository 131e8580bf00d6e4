// Listing a directory tree in tests.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under `dir` (not the directories), as paths relative to it with `/`, sorted. */
export function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? filesUnder(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
    )
    .sort();
}
