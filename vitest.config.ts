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
  },
});
