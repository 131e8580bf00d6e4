// Every statement the SQL RequestStore runs, as plain PostgreSQL with $n parameters: PGlite
// runs them now and a `pg` implementation can run them verbatim.

const REQUEST_COLUMNS = `
  r.request_id, r.submitted_at, r.resolved_at, r.status, r.disposition, r.disposition_message,
  r.status_code, r.template, r.requester, r.subject, r.attributes, r.request,
  c.serial_number, c.ca_cert_index, c.certificate, c.not_before, c.not_after,
  c.revoked_at, c.revocation_reason, c.unrevoked_at`;

const REQUEST_FROM = 'FROM ca_requests r LEFT JOIN ca_issued_certificates c ON c.request_id = r.request_id';

/**
 * The statements, by purpose.
 *
 * @example
 * ```ts
 * await tx.query(SQL.nextRequestId); // [{ id: 1 }]
 * ```
 */
export const SQL = {
  advisoryLock: `SELECT pg_advisory_xact_lock(hashtext('certlab-ca-sim setup'))`,
  selectConfig: 'SELECT key, value FROM ca_config ORDER BY key',
  insertConfig: 'INSERT INTO ca_config (key, value) VALUES ($1, $2)',
  deleteConfig: 'DELETE FROM ca_config WHERE key = $1',
  selectConfigValue: 'SELECT value FROM ca_config WHERE key = $1',
  updateCaKey: 'UPDATE ca_certificates SET private_key = $3 WHERE authority = $1 AND cert_index = $2',
  selectCaCertificates: `SELECT authority, cert_index, key_index, certificate, private_key, created_at
    FROM ca_certificates ORDER BY authority, cert_index`,
  insertCaCertificate: `INSERT INTO ca_certificates
    (authority, cert_index, key_index, certificate, private_key, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
  nextRequestId: `SELECT nextval('ca_request_id_seq') AS id`,
  insertRequest: `INSERT INTO ca_requests
    (request_id, submitted_at, resolved_at, status, disposition, disposition_message, status_code,
     template, requester, subject, attributes, request)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
  insertCertificate: `INSERT INTO ca_issued_certificates
    (request_id, serial_number, ca_cert_index, certificate, not_before, not_after,
     revoked_at, revocation_reason, unrevoked_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
  selectRequest: `SELECT ${REQUEST_COLUMNS} ${REQUEST_FROM} WHERE r.request_id = $1`,
  selectRequestForUpdate: `SELECT ${REQUEST_COLUMNS} ${REQUEST_FROM} WHERE r.request_id = $1 FOR UPDATE OF r`,
  selectRequestBySerial: `SELECT ${REQUEST_COLUMNS} ${REQUEST_FROM} WHERE c.serial_number = $1`,
  listRequests: `SELECT ${REQUEST_COLUMNS} ${REQUEST_FROM}
    WHERE ($1::text IS NULL OR r.status = $1::text) AND r.request_id > $2::bigint
    ORDER BY r.request_id LIMIT $3::bigint`,
  updateRequest: `UPDATE ca_requests SET status = $2, disposition = $3, disposition_message = $4,
    status_code = $5, resolved_at = $6, template = $7, subject = $8 WHERE request_id = $1`,
  updateRevocation: `UPDATE ca_issued_certificates SET revoked_at = $2, revocation_reason = $3, unrevoked_at = $4
    WHERE request_id = $1`,
  selectRevocations: `SELECT serial_number, ca_cert_index, certificate, not_before, not_after,
    revoked_at, revocation_reason, unrevoked_at FROM ca_issued_certificates
    WHERE revoked_at IS NOT NULL OR unrevoked_at IS NOT NULL ORDER BY serial_number`,
  nextCounter: `INSERT INTO ca_counters (name, value) VALUES ($1, 1)
    ON CONFLICT (name) DO UPDATE SET value = ca_counters.value + 1 RETURNING value`,
  insertCrl: `INSERT INTO ca_crls
    (authority, crl_number, delta, base_crl_number, key_index, this_update, next_update, crl)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
  latestCrl: `SELECT authority, crl_number, delta, base_crl_number, key_index, this_update, next_update, crl
    FROM ca_crls WHERE authority = $1 AND delta = $2 ORDER BY crl_number DESC LIMIT 1`,
  // latestCrl's row without its columns: the same WHERE and ORDER BY, so the same CRL.
  latestCrlNumber: `SELECT crl_number
    FROM ca_crls WHERE authority = $1 AND delta = $2 ORDER BY crl_number DESC LIMIT 1`,
  // The same two for one CA key's CRLs (a CA renewed with a new key publishes a CRL per key).
  latestCrlOfKey: `SELECT authority, crl_number, delta, base_crl_number, key_index, this_update, next_update, crl
    FROM ca_crls WHERE authority = $1 AND delta = $2 AND key_index = $3 ORDER BY crl_number DESC LIMIT 1`,
  latestCrlNumberOfKey: `SELECT crl_number
    FROM ca_crls WHERE authority = $1 AND delta = $2 AND key_index = $3 ORDER BY crl_number DESC LIMIT 1`,
} as const;
