/**
 * @certlab/store-sim: Windows certificate stores that run anywhere. A simulated machine with
 * store locations and logical stores (visibility rules included), the Import and Export
 * wizards, a chain engine reporting CERT_TRUST_* bits and the certificate dialog's verdicts in
 * English and French, and store adapters (memory, directory, Windows through PowerShell).
 *
 * @example
 * ```ts
 * import { Machine, DirectoryStoreAdapter, importFile, buildChain, certificateVerdict } from '@certlab/store-sim';
 * const ex01 = await Machine.open({ name: 'EX01', adapter: new DirectoryStoreAdapter('.certlab/ex01') });
 * await importFile(ex01, await readFile('certnew.cer'), { location: 'LocalMachine', store: 'Root' });
 * const chain = await buildChain(ex01, leafThumbprint, { context: 'LocalMachine', usage: 'serverAuth' });
 * console.log(certificateVerdict(chain, {}, 'fr').pathStatus);
 * ```
 * @packageDocumentation
 */

export type {
  LocationContents,
  LocationListing,
  StoreAdapter,
  StoredCertificate,
  StoredCrl,
  StoreRef,
} from './adapter.js';
export { removeFileDurable, writeFileAtomic } from './adapters/atomic-file.js';
export {
  CACHE_FILE,
  type DirectoryLoadStats,
  DirectoryStoreAdapter,
  type SkippedFile,
} from './adapters/directory.js';
export { MemoryStoreAdapter } from './adapters/memory.js';
export * from './chain-engine.js';
export type { CertificateEntry } from './entry.js';
export * from './errors.js';
export * from './export-wizard.js';
export { type FindQuery, templateOf } from './find.js';
export * from './import-wizard.js';
export * from './locations.js';
export {
  type AddDisposition,
  type AddOptions,
  CertificateStore,
  keyContainerName,
  Machine,
  type MachineOptions,
  type SkippedRecord,
} from './machine.js';
export type { CertificateProperties } from './properties.js';
export * from './serialized-store.js';
export * from './service-check.js';
export * from './store-names.js';
export * from './thumbprint.js';
export * from './trust/index.js';
export * from './trust-status.js';
export * from './verdicts.js';
export * from './visibility.js';
export * from './windows/index.js';
