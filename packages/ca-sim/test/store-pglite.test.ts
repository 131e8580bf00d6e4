import { afterAll, beforeAll } from 'vitest';
import { pgliteFactory } from './support/pglite.js';
import { storeContract } from './support/store-contract.js';

let factory: Awaited<ReturnType<typeof pgliteFactory>>;
beforeAll(async () => {
  factory = await pgliteFactory();
});
afterAll(async () => {
  await factory?.cleanup();
});

storeContract('pglite', async () => (await factory.open()).store);
