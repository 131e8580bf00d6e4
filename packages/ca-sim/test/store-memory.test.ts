import { createMemoryStore } from '@certlab/ca-sim';
import { storeContract } from './support/store-contract.js';

storeContract('memory', async () => createMemoryStore());
