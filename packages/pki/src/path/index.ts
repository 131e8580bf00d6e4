// Public API of path building and validation (RFC 5280 §6).

export {
  type CertificateInput,
  type CertificateSource,
  type PathValidationResult,
  type VerifyOptions,
  verifyCertificate,
} from './builder.js';
export { checkHostname, isValidHostname, matchDnsPattern } from './hostname.js';
export type { PathReason, PathReasonCode } from './reasons.js';
export { type CrlCheckOptions, crlRevocationChecker } from './revocation.js';
export {
  type PathPurpose,
  type PathValidationOptions,
  type RevocationChecker,
  validatePath,
} from './validate.js';
