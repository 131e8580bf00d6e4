// CERT_TRUST_STATUS: the error and info bits of the Windows chain engine (wincrypt.h), with the
// same numbers as .NET X509ChainStatusFlags for the error bits.

/**
 * `dwErrorStatus` bits, by their wincrypt.h name without the `CERT_TRUST_` prefix.
 *
 * @example
 * ```ts
 * (status.errorStatus & CERT_TRUST_ERROR.IS_UNTRUSTED_ROOT) !== 0;
 * ```
 */
export const CERT_TRUST_ERROR = {
  NO_ERROR: 0x00000000,
  IS_NOT_TIME_VALID: 0x00000001,
  IS_NOT_TIME_NESTED: 0x00000002,
  IS_REVOKED: 0x00000004,
  IS_NOT_SIGNATURE_VALID: 0x00000008,
  IS_NOT_VALID_FOR_USAGE: 0x00000010,
  IS_UNTRUSTED_ROOT: 0x00000020,
  REVOCATION_STATUS_UNKNOWN: 0x00000040,
  IS_CYCLIC: 0x00000080,
  INVALID_EXTENSION: 0x00000100,
  INVALID_POLICY_CONSTRAINTS: 0x00000200,
  INVALID_BASIC_CONSTRAINTS: 0x00000400,
  INVALID_NAME_CONSTRAINTS: 0x00000800,
  HAS_NOT_SUPPORTED_NAME_CONSTRAINT: 0x00001000,
  HAS_NOT_DEFINED_NAME_CONSTRAINT: 0x00002000,
  HAS_NOT_PERMITTED_NAME_CONSTRAINT: 0x00004000,
  HAS_EXCLUDED_NAME_CONSTRAINT: 0x00008000,
  IS_PARTIAL_CHAIN: 0x00010000,
  CTL_IS_NOT_TIME_VALID: 0x00020000,
  CTL_IS_NOT_SIGNATURE_VALID: 0x00040000,
  CTL_IS_NOT_VALID_FOR_USAGE: 0x00080000,
  HAS_WEAK_SIGNATURE: 0x00100000,
  IS_OFFLINE_REVOCATION: 0x01000000,
  NO_ISSUANCE_CHAIN_POLICY: 0x02000000,
  IS_EXPLICIT_DISTRUST: 0x04000000,
  HAS_NOT_SUPPORTED_CRITICAL_EXT: 0x08000000,
} as const;

/**
 * `dwInfoStatus` bits, by their wincrypt.h name without the `CERT_TRUST_` prefix.
 *
 * @example
 * ```ts
 * root.infoStatus === (CERT_TRUST_INFO.HAS_NAME_MATCH_ISSUER | CERT_TRUST_INFO.IS_SELF_SIGNED | CERT_TRUST_INFO.HAS_PREFERRED_ISSUER); // 0x10c
 * ```
 */
export const CERT_TRUST_INFO = {
  HAS_EXACT_MATCH_ISSUER: 0x00000001,
  HAS_KEY_MATCH_ISSUER: 0x00000002,
  HAS_NAME_MATCH_ISSUER: 0x00000004,
  IS_SELF_SIGNED: 0x00000008,
  HAS_PREFERRED_ISSUER: 0x00000100,
  HAS_ISSUANCE_CHAIN_POLICY: 0x00000200,
  HAS_VALID_NAME_CONSTRAINTS: 0x00000400,
  IS_PEER_TRUSTED: 0x00000800,
  HAS_CRL_VALIDITY_EXTENDED: 0x00001000,
  IS_FROM_EXCLUSIVE_TRUST_STORE: 0x00002000,
  IS_CA_TRUSTED: 0x00004000,
  IS_COMPLEX_CHAIN: 0x00010000,
} as const;

/** An error flag name. @example `const f: TrustErrorFlag = 'IS_PARTIAL_CHAIN'` */
export type TrustErrorFlag = keyof typeof CERT_TRUST_ERROR;
/** An info flag name. @example `const f: TrustInfoFlag = 'IS_SELF_SIGNED'` */
export type TrustInfoFlag = keyof typeof CERT_TRUST_INFO;

/** .NET X509ChainStatusFlags names of the error bits. */
const DOTNET: Record<TrustErrorFlag, string> = {
  NO_ERROR: 'NoError',
  IS_NOT_TIME_VALID: 'NotTimeValid',
  IS_NOT_TIME_NESTED: 'NotTimeNested',
  IS_REVOKED: 'Revoked',
  IS_NOT_SIGNATURE_VALID: 'NotSignatureValid',
  IS_NOT_VALID_FOR_USAGE: 'NotValidForUsage',
  IS_UNTRUSTED_ROOT: 'UntrustedRoot',
  REVOCATION_STATUS_UNKNOWN: 'RevocationStatusUnknown',
  IS_CYCLIC: 'Cyclic',
  INVALID_EXTENSION: 'InvalidExtension',
  INVALID_POLICY_CONSTRAINTS: 'InvalidPolicyConstraints',
  INVALID_BASIC_CONSTRAINTS: 'InvalidBasicConstraints',
  INVALID_NAME_CONSTRAINTS: 'InvalidNameConstraints',
  HAS_NOT_SUPPORTED_NAME_CONSTRAINT: 'HasNotSupportedNameConstraint',
  HAS_NOT_DEFINED_NAME_CONSTRAINT: 'HasNotDefinedNameConstraint',
  HAS_NOT_PERMITTED_NAME_CONSTRAINT: 'HasNotPermittedNameConstraint',
  HAS_EXCLUDED_NAME_CONSTRAINT: 'HasExcludedNameConstraint',
  IS_PARTIAL_CHAIN: 'PartialChain',
  CTL_IS_NOT_TIME_VALID: 'CtlNotTimeValid',
  CTL_IS_NOT_SIGNATURE_VALID: 'CtlNotSignatureValid',
  CTL_IS_NOT_VALID_FOR_USAGE: 'CtlNotValidForUsage',
  HAS_WEAK_SIGNATURE: 'HasWeakSignature',
  IS_OFFLINE_REVOCATION: 'OfflineRevocation',
  NO_ISSUANCE_CHAIN_POLICY: 'NoIssuanceChainPolicy',
  IS_EXPLICIT_DISTRUST: 'ExplicitDistrust',
  HAS_NOT_SUPPORTED_CRITICAL_EXT: 'HasNotSupportedCriticalExtension',
};

/**
 * The names of the error bits set in a value, in bit order.
 *
 * @example
 * ```ts
 * errorFlagNames(0x10020); // ['IS_UNTRUSTED_ROOT', 'IS_PARTIAL_CHAIN']
 * ```
 */
export function errorFlagNames(value: number): TrustErrorFlag[] {
  return (Object.entries(CERT_TRUST_ERROR) as [TrustErrorFlag, number][])
    .filter(([, bit]) => bit !== 0 && (value & bit) === bit)
    .map(([n]) => n);
}

/**
 * The names of the info bits set in a value, in bit order.
 *
 * @example
 * ```ts
 * infoFlagNames(0x10c); // ['HAS_NAME_MATCH_ISSUER', 'IS_SELF_SIGNED', 'HAS_PREFERRED_ISSUER']
 * ```
 */
export function infoFlagNames(value: number): TrustInfoFlag[] {
  return (Object.entries(CERT_TRUST_INFO) as [TrustInfoFlag, number][])
    .filter(([, bit]) => (value & bit) === bit)
    .map(([n]) => n);
}

/**
 * The .NET X509ChainStatusFlags names of an error value.
 *
 * @example
 * ```ts
 * dotnetStatusNames(0x20); // ['UntrustedRoot']
 * ```
 */
export function dotnetStatusNames(value: number): string[] {
  return errorFlagNames(value).map((n) => DOTNET[n]);
}

/**
 * A value as certutil prints it: `CERT_TRUST_IS_UNTRUSTED_ROOT (0x20)`, several joined by `, `,
 * or `0` when none is set.
 *
 * @example
 * ```ts
 * formatTrustStatus(0x102, 'info'); // 'CERT_TRUST_HAS_KEY_MATCH_ISSUER (0x2), CERT_TRUST_HAS_PREFERRED_ISSUER (0x100)'
 * ```
 */
export function formatTrustStatus(value: number, kind: 'error' | 'info'): string {
  const table: Record<string, number> = kind === 'error' ? CERT_TRUST_ERROR : CERT_TRUST_INFO;
  const names = kind === 'error' ? errorFlagNames(value) : infoFlagNames(value);
  if (names.length === 0) return '0';
  return names.map((n) => `CERT_TRUST_${n} (0x${table[n]!.toString(16)})`).join(', ');
}
