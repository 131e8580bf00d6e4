// The certsrv web-enrollment server's public surface.

export * from './ca-chain.js';
export {
  defaultServicePrincipalNames,
  EXTENDED_PROTECTION_MODES,
  type ExtendedProtection,
  isServicePrincipalName,
  ntlmChannelBindingsHash,
  tlsServerEndPoint,
} from './extended-protection.js';
export * from './handler.js';
export * from './listen.js';
export * from './ntlm.js';
export * from './ntlm-session.js';
export * from './options.js';
export type * from './page-model.js';
export * from './rc4.js';
export * from './request-id.js';
export * from './spnego.js';
export * from './tls-certificate.js';
export * from './users.js';
export * from './users-lock.js';
