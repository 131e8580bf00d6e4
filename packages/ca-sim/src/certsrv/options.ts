// The options of the certsrv web-enrollment server: the CA behind it, its accounts, and the
// knobs the reference marks as "unverified, keep it configurable".

import type { CertificationAuthority } from '../authority.js';
import type { ExtendedProtection } from './extended-protection.js';
import type { CertsrvLanguage } from './page-model.js';
import type { UserDirectory } from './users.js';

/**
 * One structured log record per HTTP request (the IIS W3C log fields that matter).
 *
 * @example
 * ```ts
 * const log = (e: CertsrvLogEntry) => process.stderr.write(`${JSON.stringify(e)}\n`);
 * ```
 */
export interface CertsrvLogEntry {
  readonly time: string;
  readonly method: string;
  /** The path as requested (never the query: it may carry a request id, but never secrets). */
  readonly path: string;
  readonly status: number;
  /** Milliseconds from the first byte of the request to the end of the response. */
  readonly ms: number;
  readonly bytes: number;
  readonly remote: string;
  /** The authenticated account (`CONTOSO\alice`), absent when anonymous or refused. */
  readonly user?: string;
  readonly userAgent?: string;
  /** What happened, when it is not obvious from the status (`auth-failed`, `throttled`, `submit:issued:7`…). */
  readonly event?: string;
}

/**
 * Options of {@link createCertsrvHandler} and {@link startCertsrv}.
 *
 * @example
 * ```ts
 * const users = new UserDirectory('CONTOSO');
 * await users.add('alice', 'P@ssw0rd!');
 * const options: CertsrvOptions = { ca, users };
 * ```
 */
export interface CertsrvOptions {
  /** The CA behind the pages. The server never closes it. */
  readonly ca: CertificationAuthority;
  /** Accounts allowed to sign in. */
  readonly users: UserDirectory;
  /**
   * Windows Integrated authentication as IIS offers it (reference §2.2): the 401 advertises
   * `Negotiate` and `NTLM`, and an NTLMv2 handshake (raw NTLMSSP, under either scheme word)
   * signs the TCP connection in. Needs `users.ntlm` (NT hashes). Default false.
   */
  readonly ntlm?: boolean;
  /**
   * With `ntlm`, whether the 401 also advertises `Negotiate` (default true, as IIS does). Under it
   * NTLM comes bare (raw NTLMSSP) or inside SPNEGO (RFC 4178, as Windows' Negotiate package sends
   * it without a Kerberos ticket); Kerberos itself is not understood, so a client that would try
   * it first can be given `negotiate: false` and use the `NTLM` scheme.
   */
  readonly negotiate?: boolean;
  /**
   * With `ntlm`, Extended Protection for Authentication, as IIS's tokenChecking (`none`, the
   * default as in IIS; `allow`; `require`, what KB5005413 asks of AD CS web enrollment against
   * NTLM relay): over HTTPS the client's channel binding must be this connection's certificate
   * (RFC 5929 tls-server-end-point), over HTTP its target name one of `servicePrincipalNames`.
   * `allow` accepts a client that sends neither; `require` refuses it.
   */
  readonly extendedProtection?: ExtendedProtection;
  /**
   * The SPNs a client's NTLM target name may name over plain HTTP under `extendedProtection`
   * (IIS's <spn> list). Default: `HTTP/` and the CA's server DNS name, then `localhost`,
   * `127.0.0.1` and `[::1]` (see {@link defaultServicePrincipalNames}). An SPN without a port
   * accepts any; note that a relay on one of these hosts (a one-machine lab's localhost) passes
   * service binding: over HTTPS, channel binding has no such gap.
   */
  readonly servicePrincipalNames?: readonly string[];
  /**
   * IIS's "Require SSL" on the CertSrv application (sslFlags="Ssl"), KB5005413's other mitigation
   * of NTLM relay: a request for /certsrv over plain HTTP gets IIS's 403 before any sign-in. The
   * anonymous /CertEnroll/ files (the CDP and AIA URLs clients fetch over HTTP) and /health stay
   * on HTTP. Default false.
   */
  readonly requireSsl?: boolean;
  /** HTTP Basic (RFC 7617), advertised after NTLM when both are on. Default true. */
  readonly basic?: boolean;
  /** The Basic realm (default: the CA's server DNS name). */
  readonly realm?: string;
  /** The language when neither the `Lang` switch nor Accept-Language picks one (default `en`). */
  readonly defaultLanguage?: CertsrvLanguage;
  /** Largest request body accepted (default 200,000 bytes, ASP's AspMaxRequestEntityAllowed). */
  readonly maxBodyBytes?: number;
  /** Days a pending request stays in the `Requests` cookie (certdat.inc nPendingTimeoutDays, default 10). */
  readonly pendingTimeoutDays?: number;
  /** Send the pre-2008 content types to non-browser clients (reference §6.2). Default false. */
  readonly legacyContentTypes?: boolean;
  /** PEM label of certcrl.crl?Enc=b64 (reference §6.4, unverified): default `X509 CRL`. */
  readonly crlPemLabel?: 'X509 CRL' | 'CERTIFICATE';
  /** The HTTPS base URL, linked from certrqma.asp when it is opened over plain HTTP. */
  readonly httpsUrl?: string;
  /** Where the in-browser enrollment script is (default: packages/ca-sim/dist/browser). */
  readonly assetsDir?: string;
  /** Failed sign-ins per client address within a minute before answering 401 without checking (default 10). */
  readonly maxAuthFailures?: number;
  /** Receives one record per request. Default: none. */
  readonly log?: (entry: CertsrvLogEntry) => void;
  /** Time source for cookie expiry and logs (default: the system clock). */
  readonly now?: () => Date;
}
