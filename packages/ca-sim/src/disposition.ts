// Request dispositions (CR_DISP_*, [MS-WCCE] §3.2.1.4.2.1 and certsrv reference §5.3) and the
// status names this package uses for them.

/**
 * CR_DISP_* values as ICertRequest::Submit returns them ([MS-WCCE] §3.2.1.4.3.1).
 *
 * @example
 * ```ts
 * CR_DISP.UNDER_SUBMISSION; // 5
 * ```
 */
export const CR_DISP = {
  INCOMPLETE: 0,
  ERROR: 1,
  DENIED: 2,
  ISSUED: 3,
  ISSUED_OUT_OF_BAND: 4,
  UNDER_SUBMISSION: 5,
  REVOKED: 6,
} as const;

/**
 * The state of a request in the CA database, as the Certification Authority console groups them
 * (Issued, Pending, Failed/Denied, Revoked).
 *
 * @example
 * ```ts
 * const s: RequestStatus = 'pending';
 * ```
 */
export type RequestStatus = 'issued' | 'pending' | 'denied' | 'revoked';

/**
 * What a submission returns: `issued`, `pending` (taken under submission) or `denied`
 * (including unparsable requests, which AD CS shows with the denied layout).
 *
 * @example
 * ```ts
 * if (result.disposition === 'pending') await ca.approve(result.requestId);
 * ```
 */
export type Disposition = 'issued' | 'pending' | 'denied' | 'revoked';

/**
 * The CR_DISP number of a status.
 *
 * @example
 * ```ts
 * dispositionCode('pending'); // 5
 * ```
 */
export function dispositionCode(status: RequestStatus): number {
  switch (status) {
    case 'issued':
      return CR_DISP.ISSUED;
    case 'pending':
      return CR_DISP.UNDER_SUBMISSION;
    case 'denied':
      return CR_DISP.DENIED;
    case 'revoked':
      return CR_DISP.REVOKED;
  }
}

/**
 * The request statuses, for validation of filters.
 *
 * @example
 * ```ts
 * REQUEST_STATUSES.includes('pending'); // true
 * ```
 */
export const REQUEST_STATUSES: readonly RequestStatus[] = ['issued', 'pending', 'denied', 'revoked'];
