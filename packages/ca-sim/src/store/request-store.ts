// The CA database behind one interface. AD CS keeps one database per CA (certsrv.edb): the
// Request table, the Certificate table (one row per issued certificate, keyed by request id),
// CRLs and CA certificates ([MS-CSRA] §3.1.1.1). The simulator keeps the same split so that an
// in-memory store, an embedded PGlite store and a PostgreSQL store are interchangeable.

import type { RequestStatus } from '../disposition.js';

/**
 * Which CA of the hierarchy a CA certificate or CRL belongs to.
 *
 * @example
 * ```ts
 * const role: AuthorityRole = 'issuing';
 * ```
 */
export type AuthorityRole = 'root' | 'issuing';

/**
 * One CA certificate with its key: a row of the CA certificate history (renewals are kept).
 *
 * @example
 * ```ts
 * const rows: CaCertificateRow[] = (await store.initializeCa(create)).certificates;
 * ```
 */
export interface CaCertificateRow {
  readonly authority: AuthorityRole;
  /** CA certificate index (the `(n)` of `<CertificateName>`, [MS-WCCE] §3.2.1.4.2.1.4.6.3). */
  readonly certIndex: number;
  /** CA key index (the `(n)` of `<CRLNameSuffix>`). */
  readonly keyIndex: number;
  /** DER certificate. */
  readonly certificate: Uint8Array;
  /**
   * PKCS #8 DER private key: PrivateKeyInfo, or EncryptedPrivateKeyInfo when the CA has a key
   * passphrase (its setting `keyProtection` is `passphrase`).
   */
  readonly privateKey: Uint8Array;
  readonly createdAt: Date;
}

/**
 * The new stored key of one CA certificate, for {@link RequestStore.replaceCaKeys}.
 *
 * @example
 * ```ts
 * const row: CaKeyRow = { authority: 'root', certIndex: 0, privateKey: await key.toEncryptedPkcs8(passphrase) };
 * ```
 */
export interface CaKeyRow {
  readonly authority: AuthorityRole;
  readonly certIndex: number;
  readonly privateKey: Uint8Array;
}

/**
 * An issued certificate: a row of the Certificate table.
 *
 * @example
 * ```ts
 * const revoked: CertificateRow[] = await store.revocations();
 * ```
 */
export interface CertificateRow {
  /** Uppercase hex, no sign octet; unique in the whole database. */
  readonly serialNumber: string;
  /** The index of the CA certificate that signed it. */
  readonly caCertIndex: number;
  readonly certificate: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Set while revoked. */
  readonly revokedAt?: Date;
  /** RFC 5280 §5.3.1 CRLReason code while revoked. */
  readonly revocationReason?: number;
  /** When the last certificateHold was released (for removeFromCRL in delta CRLs). */
  readonly unrevokedAt?: Date;
}

/**
 * A row of the Request table, with its certificate when one was issued.
 *
 * @example
 * ```ts
 * const row: RequestRow | undefined = await store.getRequest(1);
 * ```
 */
export interface RequestRow {
  /** From 1, increasing, never reused. */
  readonly requestId: number;
  readonly submittedAt: Date;
  readonly resolvedAt?: Date;
  readonly status: RequestStatus;
  /** CR_DISP_* value. */
  readonly disposition: number;
  /** The disposition message certsrv shows (`Taken Under Submission`, `Denied by Policy Module  0x…`). */
  readonly dispositionMessage: string;
  /** The request's last status HRESULT (unsigned). */
  readonly statusCode: number;
  readonly template?: string;
  readonly requester?: string;
  /** The subject the request asked for (or the one issued), RFC 4514 text. */
  readonly subject?: string;
  /** Request attributes as `CertAttrib` text. */
  readonly attributes: string;
  /** The request as submitted (DER when it could be decoded, else the raw bytes). */
  readonly request: Uint8Array;
  readonly certificate?: CertificateRow;
}

/**
 * What {@link RequestStore.insertRequest} stores: a request row without its id.
 *
 * @example
 * ```ts
 * await store.insertRequest(async (): Promise<NewRequestRow> => ({ submittedAt: new Date(), status: 'pending', disposition: 5, dispositionMessage: 'Taken Under Submission', statusCode: 0, attributes: '', request: der }));
 * ```
 */
export type NewRequestRow = Omit<RequestRow, 'requestId'>;

/**
 * A change to one request, applied atomically by {@link RequestStore.updateRequest}.
 *
 * @example
 * ```ts
 * await store.updateRequest(7, async (): Promise<RequestChange> => ({ status: 'denied', disposition: 2 }));
 * ```
 */
export interface RequestChange {
  readonly status?: RequestStatus;
  readonly disposition?: number;
  readonly dispositionMessage?: string;
  readonly statusCode?: number;
  readonly resolvedAt?: Date;
  readonly template?: string;
  readonly subject?: string;
  /** A certificate issued now (the request must not have one yet). */
  readonly certificate?: CertificateRow;
  /** New revocation state of the request's certificate. */
  readonly revocation?: {
    readonly revokedAt: Date | null;
    readonly revocationReason: number | null;
    readonly unrevokedAt: Date | null;
  };
}

/**
 * Filter of {@link RequestStore.listRequests}.
 *
 * @example
 * ```ts
 * await store.listRequests({ status: 'pending', limit: 50 } satisfies RequestFilter);
 * ```
 */
export interface RequestFilter {
  readonly status?: RequestStatus;
  /** Only requests with a greater id (paging). */
  readonly afterId?: number;
  /** At most this many rows (default: all). */
  readonly limit?: number;
}

/**
 * A published CRL.
 *
 * @example
 * ```ts
 * const base: CrlRow | undefined = await store.latestCrl('issuing', false);
 * ```
 */
export interface CrlRow {
  readonly authority: AuthorityRole;
  /** cRLNumber: one counter per CA for base and delta CRLs together, as AD CS numbers them. */
  readonly crlNumber: number;
  readonly delta: boolean;
  /** For a delta CRL: the base CRL it updates. */
  readonly baseCrlNumber?: number;
  readonly keyIndex: number;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly crl: Uint8Array;
}

/**
 * The CA's identity and settings as stored (created once, then read on every open).
 *
 * @example
 * ```ts
 * const setup: CaSetup = { config: { name: 'Contoso Issuing CA' }, certificates: [] };
 * ```
 */
export interface CaSetup {
  /** Settings as text values (names, URLs, flags as JSON). */
  readonly config: Readonly<Record<string, string>>;
  readonly certificates: readonly CaCertificateRow[];
}

/**
 * The CA database. Every implementation passes the same contract tests
 * (`packages/ca-sim/test/store-contract.ts`). Guarantees:
 * - request ids come from a sequence: 1, 2, 3 … in submission order, never reused (a failed
 *   insert may leave a gap, as a PostgreSQL sequence does);
 * - {@link insertRequest} and {@link updateRequest} are atomic: the request row and its
 *   certificate are written together or not at all;
 * - serial numbers are unique (ERR_CA_SERIAL_DUPLICATE otherwise), rows are never deleted, so a
 *   serial is never reused;
 * - text is kept as a PostgreSQL `text` column keeps it: a value holding U+0000 is refused
 *   (ERR_CA_STORE, nothing written), an unpaired surrogate is stored as U+FFFD.
 *
 * @example
 * ```ts
 * const store: RequestStore = createMemoryStore();
 * const row = await store.insertRequest(async (requestId) => ({ ...pendingRow, submittedAt: new Date() }));
 * ```
 */
export interface RequestStore {
  /** `memory`, `pglite`, `postgres`. */
  readonly kind: string;
  /**
   * Returns the stored CA setup, or creates it with `create` when the store has none. Runs under
   * a lock so that two processes opening one database create the CA once.
   */
  initializeCa(create: () => Promise<CaSetup>): Promise<CaSetup>;
  /**
   * Adds a CA certificate (a renewal). ERR_CA_STORE if (authority, certIndex) exists, or if the
   * CA setting `keyProtection` is no longer `keyProtection` (the protection `row.privateKey` was
   * stored under): another process set or removed the key passphrase since this one opened the CA
   * (see {@link replaceCaKeys}).
   *
   * @example
   * ```ts
   * await store.addCaCertificate(row, encrypted ? 'passphrase' : undefined);
   * ```
   */
  addCaCertificate(row: CaCertificateRow, keyProtection: 'passphrase' | undefined): Promise<void>;
  /**
   * Replaces the stored private key of every CA certificate, and the CA setting `keyProtection`
   * (set to `passphrase`, or removed when undefined), in one transaction: a key passphrase set,
   * changed or removed. `keys` must name every CA certificate the store holds, no more: a key
   * left under the old protection could not be read any more, so a CA renewed meanwhile (by
   * another process on the same database) is ERR_CA_STORE and nothing changes. Optional: a store
   * without it cannot change a CA's key passphrase.
   *
   * @example
   * ```ts
   * await store.replaceCaKeys?.([{ authority: 'issuing', certIndex: 0, privateKey: encrypted }], 'passphrase');
   * ```
   */
  replaceCaKeys?(keys: readonly CaKeyRow[], keyProtection: 'passphrase' | undefined): Promise<void>;
  /** Allocates the next request id, calls `build` with it and stores the result atomically. */
  insertRequest(build: (requestId: number) => Promise<NewRequestRow>): Promise<RequestRow>;
  /**
   * Locks the request, calls `change` with its current row and applies the result atomically.
   * ERR_CA_REQUEST_NOT_FOUND for an unknown id; errors thrown by `change` abort the update.
   */
  updateRequest(
    requestId: number,
    change: (current: RequestRow) => Promise<RequestChange>,
  ): Promise<RequestRow>;
  getRequest(requestId: number): Promise<RequestRow | undefined>;
  /** The request whose certificate has this serial (uppercase hex). */
  findBySerial(serialNumber: string): Promise<RequestRow | undefined>;
  /** Requests in id order. */
  listRequests(filter?: RequestFilter): Promise<RequestRow[]>;
  /** Certificates that are revoked or were released from hold: what CRLs are built from. */
  revocations(): Promise<CertificateRow[]>;
  /** Allocates the next CRL number of `authority` and stores the CRL `build` makes, atomically. */
  insertCrl(
    authority: AuthorityRole,
    build: (crlNumber: number) => Promise<Omit<CrlRow, 'authority' | 'crlNumber'>>,
  ): Promise<CrlRow>;
  /**
   * The newest base (delta = false) or delta CRL of `authority`; with `keyIndex`, the newest one
   * signed by that CA key (a CA renewed with a new key publishes a CRL per key, MS-CSRA §3.1.1.4.1
   * CRL_Name_Id).
   */
  latestCrl(authority: AuthorityRole, delta: boolean, keyIndex?: number): Promise<CrlRow | undefined>;
  /**
   * The number of the CRL {@link latestCrl} would return, without reading its bytes: the CA
   * serves every CRL download from a cached parse of the newest CRL and asks only whether that
   * is still the newest (a 16 KB CRL row costs several times more to transfer than its number).
   * Must match `latestCrl(authority, delta, keyIndex)?.crlNumber` (same filter and order).
   * Optional: a store without it makes the CA read the whole row on each download.
   *
   * @example
   * ```ts
   * const n = await store.latestCrlNumber?.('issuing', true); // 3, or undefined if none
   * ```
   */
  latestCrlNumber?(authority: AuthorityRole, delta: boolean, keyIndex?: number): Promise<number | undefined>;
  /** Releases the database. Further calls throw ERR_CA_STORE_CLOSED. */
  close(): Promise<void>;
}
