// A RequestStore over any PostgreSQL-compatible SqlClient (PGlite now, `pg` later): one
// transaction per submission so that the request row and its certificate are written together,
// request ids from a sequence, the serial number unique by constraint.

import type { RequestStatus } from '../disposition.js';
import { CaError } from '../errors.js';
import { checkCaKeyRows, checkKeyProtection, KEY_PROTECTION_SETTING } from './ca-key-rows.js';
import { MIGRATIONS, type MigrateOptions, migrate } from './migrations.js';
import type {
  AuthorityRole,
  CaCertificateRow,
  CaKeyRow,
  CaSetup,
  CertificateRow,
  CrlRow,
  NewRequestRow,
  RequestChange,
  RequestFilter,
  RequestRow,
  RequestStore,
} from './request-store.js';
import type { SqlClient, SqlQueryable } from './sql-client.js';
import { SQL } from './sql-queries.js';
import { storedRequestText, storedSetup } from './stored-text.js';

type Row = Record<string, unknown>;

function bytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  throw new CaError('ERR_CA_STORE', 'The database returned a non-binary value for a bytea column.');
}

function date(v: unknown): Date {
  return v instanceof Date ? v : new Date(String(v));
}

function optDate(v: unknown): Date | undefined {
  return v === null || v === undefined ? undefined : date(v);
}

function num(v: unknown): number {
  return Number(v);
}

function optStr(v: unknown): string | undefined {
  return v === null || v === undefined ? undefined : String(v);
}

function certificateFrom(r: Row): CertificateRow {
  const revokedAt = optDate(r.revoked_at);
  const unrevokedAt = optDate(r.unrevoked_at);
  return {
    serialNumber: String(r.serial_number),
    caCertIndex: num(r.ca_cert_index),
    certificate: bytes(r.certificate),
    notBefore: date(r.not_before),
    notAfter: date(r.not_after),
    ...(revokedAt ? { revokedAt } : {}),
    ...(r.revocation_reason !== null && r.revocation_reason !== undefined
      ? { revocationReason: num(r.revocation_reason) }
      : {}),
    ...(unrevokedAt ? { unrevokedAt } : {}),
  };
}

function requestFrom(r: Row): RequestRow {
  const resolvedAt = optDate(r.resolved_at);
  const template = optStr(r.template);
  const requester = optStr(r.requester);
  const subject = optStr(r.subject);
  return {
    requestId: num(r.request_id),
    submittedAt: date(r.submitted_at),
    ...(resolvedAt ? { resolvedAt } : {}),
    status: String(r.status) as RequestStatus,
    disposition: num(r.disposition),
    dispositionMessage: String(r.disposition_message),
    statusCode: num(r.status_code),
    ...(template !== undefined ? { template } : {}),
    ...(requester !== undefined ? { requester } : {}),
    ...(subject !== undefined ? { subject } : {}),
    attributes: String(r.attributes),
    request: bytes(r.request),
    ...(r.serial_number !== null && r.serial_number !== undefined ? { certificate: certificateFrom(r) } : {}),
  };
}

function crlFrom(r: Row): CrlRow {
  return {
    authority: String(r.authority) as AuthorityRole,
    crlNumber: num(r.crl_number),
    delta: Boolean(r.delta),
    ...(r.base_crl_number !== null && r.base_crl_number !== undefined
      ? { baseCrlNumber: num(r.base_crl_number) }
      : {}),
    keyIndex: num(r.key_index),
    thisUpdate: date(r.this_update),
    nextUpdate: date(r.next_update),
    crl: bytes(r.crl),
  };
}

function caCertFrom(r: Row): CaCertificateRow {
  return {
    authority: String(r.authority) as AuthorityRole,
    certIndex: num(r.cert_index),
    keyIndex: num(r.key_index),
    certificate: bytes(r.certificate),
    privateKey: bytes(r.private_key),
    createdAt: date(r.created_at),
  };
}

/** True for an error carrying a five-character PostgreSQL SQLSTATE code. */
function isSqlState(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}

/** PostgreSQL unique_violation (SQLSTATE 23505) on the serial number constraint. */
function isSerialViolation(e: unknown): boolean {
  const x = e as { code?: unknown; message?: unknown; constraint?: unknown };
  return (
    x?.code === '23505' &&
    (String(x.constraint ?? '').includes('serial') || String(x.message ?? '').includes('serial'))
  );
}

async function insertCertificate(tx: SqlQueryable, requestId: number, c: CertificateRow): Promise<void> {
  await tx.query(SQL.insertCertificate, [
    requestId,
    c.serialNumber,
    c.caCertIndex,
    c.certificate,
    c.notBefore,
    c.notAfter,
    c.revokedAt ?? null,
    c.revocationReason ?? null,
    c.unrevokedAt ?? null,
  ]);
}

/**
 * The SQL RequestStore. Construct through {@link openPgliteStore} (or, later, a `pg` adapter):
 * it runs the migrations before returning.
 *
 * @example
 * ```ts
 * const store = await SqlRequestStore.open(pgliteClient(await PGlite.create(dir)));
 * ```
 */
export class SqlRequestStore implements RequestStore {
  readonly kind: string;
  readonly #client: SqlClient;
  #closed = false;

  private constructor(client: SqlClient) {
    this.#client = client;
    this.kind = client.kind;
  }

  /**
   * Migrates the database behind `client` and returns a store over it. With `create: false` a
   * database without the certlab schema is refused (ERR_CA_NOT_FOUND) and left untouched; the
   * caller still owns `client` then, and closes it.
   *
   * @example
   * ```ts
   * const store = await SqlRequestStore.open(pgliteClient(await PGlite.create(dir)));
   * const existing = await SqlRequestStore.open(client, { create: false });
   * ```
   */
  static async open(client: SqlClient, options: MigrateOptions = {}): Promise<SqlRequestStore> {
    await migrate(client, MIGRATIONS, options);
    return new SqlRequestStore(client);
  }

  async #run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new CaError('ERR_CA_STORE_CLOSED', 'The request store is closed.');
    try {
      return await fn();
    } catch (e) {
      if (e instanceof CaError) throw e;
      if (isSerialViolation(e))
        throw new CaError('ERR_CA_SERIAL_DUPLICATE', 'The serial number was already issued.', { cause: e });
      // Database errors carry a SQLSTATE; errors thrown by caller callbacks (certificate
      // building) are passed through unchanged.
      if (!isSqlState(e)) throw e;
      throw new CaError('ERR_CA_STORE', `${what} failed in the database: ${(e as Error).message}`, {
        cause: e,
      });
    }
  }

  initializeCa(create: () => Promise<CaSetup>): Promise<CaSetup> {
    return this.#run('Initializing the CA', () =>
      this.#client.transaction(async (tx) => {
        await tx.query(SQL.advisoryLock);
        const cfg = await tx.query<Row>(SQL.selectConfig);
        if (cfg.rows.length > 0) {
          const config: Record<string, string> = {};
          for (const r of cfg.rows) config[String(r.key)] = String(r.value);
          const certs = await tx.query<Row>(SQL.selectCaCertificates);
          return { config, certificates: certs.rows.map(caCertFrom) };
        }
        const made = storedSetup(await create());
        for (const [k, v] of Object.entries(made.config)) await tx.query(SQL.insertConfig, [k, v]);
        for (const c of made.certificates) await this.#insertCaCert(tx, c);
        return { config: { ...made.config }, certificates: [...made.certificates] };
      }),
    );
  }

  async #insertCaCert(tx: SqlQueryable, c: CaCertificateRow): Promise<void> {
    await tx.query(SQL.insertCaCertificate, [
      c.authority,
      c.certIndex,
      c.keyIndex,
      c.certificate,
      c.privateKey,
      c.createdAt,
    ]);
  }

  addCaCertificate(row: CaCertificateRow, keyProtection: 'passphrase' | undefined): Promise<void> {
    return this.#run('Adding a CA certificate', () =>
      this.#client.transaction(async (tx) => {
        // The setup lock: a key passphrase change (replaceCaKeys) in another process waits for this one.
        await tx.query(SQL.advisoryLock);
        const stored = await tx.query<Row>(SQL.selectConfigValue, [KEY_PROTECTION_SETTING]);
        checkKeyProtection(
          stored.rows[0] === undefined ? undefined : String(stored.rows[0].value),
          keyProtection,
        );
        const { rows } = await tx.query<Row>(SQL.selectCaCertificates);
        if (rows.some((r) => r.authority === row.authority && num(r.cert_index) === row.certIndex))
          throw new CaError(
            'ERR_CA_STORE',
            `The ${row.authority} CA already has a certificate with index ${row.certIndex}.`,
          );
        await this.#insertCaCert(tx, row);
      }),
    );
  }

  replaceCaKeys(keys: readonly CaKeyRow[], keyProtection: 'passphrase' | undefined): Promise<void> {
    return this.#run("Replacing the CA's keys", () =>
      this.#client.transaction(async (tx) => {
        // The setup lock: a renewal (addCaCertificate) in another process waits for this one.
        await tx.query(SQL.advisoryLock);
        const { rows } = await tx.query<Row>(SQL.selectCaCertificates);
        if (rows.length === 0) throw new CaError('ERR_CA_STORE', 'The store holds no CA.');
        checkCaKeyRows(rows.map(caCertFrom), keys);
        for (const k of keys) await tx.query(SQL.updateCaKey, [k.authority, k.certIndex, k.privateKey]);
        await tx.query(SQL.deleteConfig, [KEY_PROTECTION_SETTING]);
        if (keyProtection) await tx.query(SQL.insertConfig, [KEY_PROTECTION_SETTING, keyProtection]);
      }),
    );
  }

  insertRequest(build: (requestId: number) => Promise<NewRequestRow>): Promise<RequestRow> {
    return this.#run('Storing the request', () =>
      this.#client.transaction(async (tx) => {
        const { rows } = await tx.query<{ id: number | string }>(SQL.nextRequestId);
        const requestId = num(rows[0]?.id);
        const r = storedRequestText(await build(requestId));
        await tx.query(SQL.insertRequest, [
          requestId,
          r.submittedAt,
          r.resolvedAt ?? null,
          r.status,
          r.disposition,
          r.dispositionMessage,
          r.statusCode,
          r.template ?? null,
          r.requester ?? null,
          r.subject ?? null,
          r.attributes,
          r.request,
        ]);
        if (r.certificate) await insertCertificate(tx, requestId, r.certificate);
        return { ...r, requestId };
      }),
    );
  }

  updateRequest(
    requestId: number,
    change: (current: RequestRow) => Promise<RequestChange>,
  ): Promise<RequestRow> {
    return this.#run('Updating the request', () =>
      this.#client.transaction(async (tx) => {
        const { rows } = await tx.query<Row>(SQL.selectRequestForUpdate, [requestId]);
        if (!rows[0]) throw new CaError('ERR_CA_REQUEST_NOT_FOUND', `There is no request ${requestId}.`);
        const cur = requestFrom(rows[0]);
        const c = storedRequestText(await change(cur));
        if (c.certificate && cur.certificate)
          throw new CaError('ERR_CA_REQUEST_STATE', `Request ${requestId} already has a certificate.`);
        await tx.query(SQL.updateRequest, [
          requestId,
          c.status ?? cur.status,
          c.disposition ?? cur.disposition,
          c.dispositionMessage ?? cur.dispositionMessage,
          c.statusCode ?? cur.statusCode,
          c.resolvedAt ?? cur.resolvedAt ?? null,
          c.template ?? cur.template ?? null,
          c.subject ?? cur.subject ?? null,
        ]);
        if (c.certificate) await insertCertificate(tx, requestId, c.certificate);
        if (c.revocation) {
          if (!cur.certificate && !c.certificate)
            throw new CaError('ERR_CA_CERTIFICATE_NOT_FOUND', `Request ${requestId} has no certificate.`);
          await tx.query(SQL.updateRevocation, [
            requestId,
            c.revocation.revokedAt,
            c.revocation.revocationReason,
            c.revocation.unrevokedAt,
          ]);
        }
        const after = await tx.query<Row>(SQL.selectRequest, [requestId]);
        return requestFrom(after.rows[0]!);
      }),
    );
  }

  getRequest(requestId: number): Promise<RequestRow | undefined> {
    return this.#run('Reading the request', async () => {
      const { rows } = await this.#client.query<Row>(SQL.selectRequest, [requestId]);
      return rows[0] ? requestFrom(rows[0]) : undefined;
    });
  }

  findBySerial(serialNumber: string): Promise<RequestRow | undefined> {
    return this.#run('Finding the certificate', async () => {
      const { rows } = await this.#client.query<Row>(SQL.selectRequestBySerial, [serialNumber.toUpperCase()]);
      return rows[0] ? requestFrom(rows[0]) : undefined;
    });
  }

  listRequests(filter: RequestFilter = {}): Promise<RequestRow[]> {
    return this.#run('Listing requests', async () => {
      const { rows } = await this.#client.query<Row>(SQL.listRequests, [
        filter.status ?? null,
        filter.afterId ?? 0,
        filter.limit ?? null,
      ]);
      return rows.map(requestFrom);
    });
  }

  revocations(): Promise<CertificateRow[]> {
    return this.#run('Reading revocations', async () => {
      const { rows } = await this.#client.query<Row>(SQL.selectRevocations);
      return rows.map(certificateFrom);
    });
  }

  insertCrl(
    authority: AuthorityRole,
    build: (crlNumber: number) => Promise<Omit<CrlRow, 'authority' | 'crlNumber'>>,
  ): Promise<CrlRow> {
    return this.#run('Storing the CRL', () =>
      this.#client.transaction(async (tx) => {
        // The counter row stays locked until COMMIT: CRL numbers are gapless and ordered.
        const { rows } = await tx.query<{ value: number | string }>(SQL.nextCounter, [`crl:${authority}`]);
        const crlNumber = num(rows[0]?.value);
        const c = await build(crlNumber);
        await tx.query(SQL.insertCrl, [
          authority,
          crlNumber,
          c.delta,
          c.baseCrlNumber ?? null,
          c.keyIndex,
          c.thisUpdate,
          c.nextUpdate,
          c.crl,
        ]);
        return { ...c, authority, crlNumber };
      }),
    );
  }

  latestCrl(authority: AuthorityRole, delta: boolean, keyIndex?: number): Promise<CrlRow | undefined> {
    return this.#run('Reading the CRL', async () => {
      const { rows } =
        keyIndex === undefined
          ? await this.#client.query<Row>(SQL.latestCrl, [authority, delta])
          : await this.#client.query<Row>(SQL.latestCrlOfKey, [authority, delta, keyIndex]);
      return rows[0] ? crlFrom(rows[0]) : undefined;
    });
  }

  latestCrlNumber(authority: AuthorityRole, delta: boolean, keyIndex?: number): Promise<number | undefined> {
    return this.#run('Reading the CRL number', async () => {
      const { rows } =
        keyIndex === undefined
          ? await this.#client.query<Row>(SQL.latestCrlNumber, [authority, delta])
          : await this.#client.query<Row>(SQL.latestCrlNumberOfKey, [authority, delta, keyIndex]);
      return rows[0] ? num(rows[0].crl_number) : undefined;
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#client.close();
  }
}
