/**
 * @certlab/lab: the certlab training lab. Simulated hosts (store-sim machines with an FQDN and
 * an Application event log), the CA host running certsrv, a simulated Exchange Unified
 * Messaging service (startup modes, 2007 SP1 certificate selection, 2010 assignment, event
 * 1112), real mutual TLS on loopback judged by each host's own stores, and scenarios (data plus
 * checks) with an automated run. The first scenario is the Lync Server 2013 article "Configure
 * certificates on the server running Microsoft Exchange Server Unified Messaging".
 *
 * @example
 * ```ts
 * import { runLab } from '@certlab/lab';
 * const { report, durationMs } = await runLab({ exchange: '2010', lang: 'fr', print: console.log });
 * console.log(report.passed, report.handshake?.ok, durationMs);
 * ```
 * @packageDocumentation
 */

export * from './aia-fetch.js';
export * from './ca-publication.js';
export * from './certificate-status.js';
export * from './certsrv-client.js';
export * from './crl-cache.js';
export * from './crl-fetch.js';
export * from './errors.js';
export * from './event-log.js';
export * from './exchange-um/checks.js';
export * from './exchange-um/prepare.js';
export * from './exchange-um/procedure.js';
export * from './exchange-um/scenario.js';
export * from './exchange-um/steps.js';
export * from './exchange-um-service.js';
export * from './lab-check.js';
export * from './lab-config.js';
export * from './lab-host.js';
export * from './lab-init.js';
export * from './lab-network.js';
export * from './lab-run.js';
export * from './lab-session.js';
export * from './localized.js';
export * from './machine-chain.js';
export * from './mutual-tls.js';
export * from './peer-verify.js';
export * from './scenario.js';
export * from './shell-word.js';
