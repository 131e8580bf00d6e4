import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe } from 'vitest';
import { DirectoryStoreAdapter, MemoryStoreAdapter } from '../src/index.js';
import { adapterContract } from './adapter-contract.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('StoreAdapter contract: memory', () => {
  adapterContract(async () => new MemoryStoreAdapter());
});

describe('StoreAdapter contract: directory', () => {
  adapterContract(async () => {
    const d = await mkdtemp(join(tmpdir(), 'store-sim-contract-'));
    dirs.push(d);
    return new DirectoryStoreAdapter(d);
  });
});
