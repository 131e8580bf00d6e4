import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run the TypeScript sources directly through the "source" export condition,
// so `npm test` needs no build step and always tests what is in the tree.
export default defineConfig({
  resolve: { conditions: ['source'] },
  // Vitest runs tests as SSR: Vite 7 reads the conditions for that environment from `ssr`.
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // New PGlite databases are unpacked from a cluster cached by the first one (openPgliteStore's
    // clusterCache): kept with the other tool caches in node_modules, not in the user's home.
    env: { CERTLAB_CACHE_DIR: fileURLToPath(new URL('./node_modules/.cache/certlab', import.meta.url)) },
    // Vitest runs one fork per core but one (a single fork on CI's 2 cores: every file in turn).
    // Most files wait on spawned tools, servers, PostgreSQL or Chromium rather than compute, so two
    // forks on two cores keep the CPU busy: the whole suite took 677 s instead of 950 s here.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
