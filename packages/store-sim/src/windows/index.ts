// The Windows adapter: PowerShell's Cert: drive and the PKI module, behind the StoreAdapter contract.

export {
  certDrivePath,
  PFX_PASSWORD_ENV,
  PS_PRELUDE,
  psQuote,
  type WindowsCertificateListing,
  type WindowsExportType,
  type WindowsStoreAdapter,
  type WindowsStoreAdapterOptions,
  windowsScripts,
  windowsStoreAdapter,
} from './adapter.js';
export {
  type CommandRunner,
  nodeRunner,
  type RecordedCall,
  type RunOptions,
  type RunResult,
  type TranscriptEntry,
  type TranscriptRunner,
  transcriptRunner,
} from './runner.js';
