// package-lock.json must describe the workspace as its package.json files declare it. `npm ci`
// installs from the lockfile and, with workspaces, does not notice that a workspace gained a
// dependency on another (it links workspaces anyway), so a stale lockfile stays green in CI while
// `npm install` on a newcomer's machine rewrites it: the README's first command would leave the
// checkout modified. Checked statically, without npm or the network.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Manifest {
  name?: string;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

it('package-lock.json records every workspace’s dependencies as its package.json declares them', () => {
  const lock = readJson<{ packages: Record<string, Manifest> }>(join(root, 'package-lock.json'));
  const rootManifest = readJson<Manifest>(join(root, 'package.json'));
  const paths = ['', ...(rootManifest.workspaces ?? [])];
  expect(paths.length).toBeGreaterThan(1);
  for (const path of paths) {
    const manifest = readJson<Manifest>(join(root, path, 'package.json'));
    const locked = lock.packages[path];
    expect(locked, `package-lock.json has no entry "${path}"`).toBeDefined();
    for (const field of FIELDS)
      expect(
        locked?.[field] ?? {},
        `${path || 'the root'}: ${field} (run npm install and commit the lockfile)`,
      ).toEqual(manifest[field] ?? {});
  }
});
