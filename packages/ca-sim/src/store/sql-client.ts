// The little a SQL RequestStore needs from a PostgreSQL client. PGlite provides it directly; a
// `pg` Pool can provide it with BEGIN/COMMIT on one pooled client. The SQL text is shared.

/**
 * Runs statements: `query` with `$n` parameters, `exec` for parameterless multi-statement text.
 *
 * @example
 * ```ts
 * await tx.query<{ id: number }>('SELECT nextval($1) AS id', ['ca_request_id_seq']);
 * ```
 */
export interface SqlQueryable {
  query<T>(sql: string, params?: readonly unknown[]): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<void>;
}

/**
 * A PostgreSQL-compatible connection with transactions.
 *
 * @example
 * ```ts
 * const client: SqlClient = pgliteClient(await PGlite.create(dir));
 * await client.transaction(async (tx) => tx.query('SELECT 1'));
 * ```
 */
export interface SqlClient extends SqlQueryable {
  /** `pglite`, `postgres`. */
  readonly kind: string;
  /** Runs `fn` in one transaction: COMMIT when it resolves, ROLLBACK when it throws. */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
