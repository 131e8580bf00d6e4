// Public API of the key and signature modules, re-exported by index.ts.

export * from './algorithms.js';
export * from './crypto-provider.js';
export * from './keys.js';
