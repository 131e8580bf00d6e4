/**
 * @certlab/ca-sim: a simulated Microsoft AD CS certification authority. A root and an issuing CA
 * (or one standalone CA), certificate templates as data, the Enterprise policy module's
 * dispositions with AD CS messages and HRESULTs, a request database (in memory or PGlite),
 * revocation and base/delta CRLs, and a test-friendly API.
 *
 * @example
 * ```ts
 * import { createTestCA } from '@certlab/ca-sim';
 * const ca = await createTestCA();
 * const server = await ca.issue({ dns: ['localhost'], ip: ['127.0.0.1'] });
 * // server.keyPem + server.chainPem for the server, ca.rootPem for the client
 * ```
 * @packageDocumentation
 */

export * from './authority.js';
export * from './ca-certificates.js';
export * from './ca-urls.js';
export * from './cert-enroll.js';
export * from './certsrv/index.js';
export * from './certsrv-encoding.js';
export * from './clock.js';
export * from './crl-builder.js';
export * from './crl-schedule.js';
export * from './default-permissions.js';
export * from './disposition.js';
export * from './errors.js';
export * from './hresult.js';
export * from './issue-certificate.js';
export * from './policy-module.js';
export * from './request-attributes.js';
export * from './request-encoding.js';
export * from './request-validity.js';
export * from './serial-number.js';
export * from './standard-templates.js';
export * from './store/memory-store.js';
export * from './store/migrations.js';
export * from './store/pglite-store.js';
export * from './store/postgres-store.js';
export * from './store/request-store.js';
export * from './store/sql-client.js';
export * from './store/sql-queries.js';
export * from './store/sql-store.js';
export * from './template.js';
export * from './test-ca.js';
