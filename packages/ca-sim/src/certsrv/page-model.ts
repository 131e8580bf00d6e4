// What the certsrv pages are rendered from: the language, the variant chosen by User-Agent
// (certsrv reference §3) and the data each page shows. The server builds these; the page
// renderers in ./pages/ turn them into HTML. Kept free of node: imports so that the renderers
// can be tested as plain functions.

import type { RequestResult } from '../authority.js';

/**
 * A UI language of the pages (`%windir%\System32\CertSrv\<lang>`): English (default) or French.
 *
 * @example
 * ```ts
 * const lang: CertsrvLanguage = 'fr';
 * ```
 */
export type CertsrvLanguage = 'en' | 'fr';

/**
 * The two HTML variants of certsrv (reference §3): `browser` when the User-Agent contains
 * `Mozilla` (script links, radio buttons), `text` otherwise (plain links with `&amp;`).
 *
 * @example
 * ```ts
 * const v: PageVariant = /Mozilla/.test(userAgent) ? 'browser' : 'text';
 * ```
 */
export type PageVariant = 'browser' | 'text';

/**
 * What every page needs: language, variant, CA name (header bar), the signed-in user and
 * whether the connection is HTTPS (certrqma.asp refuses plain HTTP, reference §4).
 *
 * @example
 * ```ts
 * const ctx: PageContext = { lang: 'en', variant: 'browser', caName: 'Contoso Issuing CA', user: 'CONTOSO\\alice', secure: true, basePath: '/certsrv/' };
 * ```
 */
export interface PageContext {
  readonly lang: CertsrvLanguage;
  readonly variant: PageVariant;
  /** The CA common name shown after the product name and a double dash. */
  readonly caName: string;
  /** The authenticated user (`CONTOSO\alice`), or undefined for anonymous pages. */
  readonly user?: string | undefined;
  /** Whether the user is a CA administrator (shows the console link). */
  readonly admin?: boolean | undefined;
  /** Whether the request came over HTTPS. */
  readonly secure: boolean;
  /** The path of the certsrv directory, always `/certsrv/`. Links are relative to it. */
  readonly basePath: string;
  /**
   * Whether the page answers a POST (a certfnsh.asp result): its language links are left out,
   * since following one would GET the page, which only a POST submits (reference §5).
   */
  readonly answersPost?: boolean | undefined;
}

/**
 * A template as the request pages list it (`lbCertTemplate` options, reference §4).
 *
 * @example
 * ```ts
 * const t: TemplateOption = { name: 'WebServer', displayName: 'Web Server', value: 'O;WebServer;1;…;Web Server', enrolleeSuppliesSubject: true };
 * ```
 */
export interface TemplateOption {
  /** The template cn. */
  readonly name: string;
  /** The display name (option text), already localized. */
  readonly displayName: string;
  /** The `;`-separated option value; field 1 is the cn. */
  readonly value: string;
  /** Whether the offline-template identifying fields apply (certrqma.asp). */
  readonly enrolleeSuppliesSubject: boolean;
}

/**
 * One CA certificate generation on certcarc.asp (`lbCaInstance`, newest first).
 *
 * @example
 * ```ts
 * const g: CaGeneration = { index: 0, label: 'Current [Contoso Issuing CA]', crlState: 3 };
 * ```
 */
export interface CaGeneration {
  /** The CA certificate index (the `Renewal` parameter). */
  readonly index: number;
  /** The list label: `Current [<CA>]` for the newest, `Previous [<CA>(n)]`-style otherwise. */
  readonly label: string;
  /** The CRL state for this index (3 = valid CRL). */
  readonly crlState: number;
}

/**
 * The advanced-information block of the error page (reference §7): label/value pairs in order.
 *
 * @example
 * ```ts
 * const e: ErrorDetails = { requestMode: 'newreq - New Request', disposition: '2 - (unknown)', dispositionMessage: 'Taken Under Submission', result: 'The operation completed successfully. 0x0 (WIN32: 0)', lastStatus: 'The operation completed successfully. 0x0 (WIN32: 0)' };
 * ```
 */
export interface ErrorDetails {
  readonly requestMode: string;
  readonly disposition: string;
  readonly dispositionMessage: string;
  readonly result: string;
  readonly comErrorInfo?: string;
  readonly lastStatus: string;
  /** A sentence for the top of the page when the error is not a request result (bad mode, bookmarked page). */
  readonly summary?: string;
}

/**
 * A pending request remembered in the `Requests` cookie (reference §9).
 *
 * @example
 * ```ts
 * const p: PendingCookieEntry = { requestId: 7, targetStoreFlags: '0', saveCert: 'yes', friendlyType: 'Saved-Request Certificate (30/11/2026 10:00:00)' };
 * ```
 */
export interface PendingCookieEntry {
  readonly requestId: number;
  readonly targetStoreFlags: string;
  readonly saveCert: string;
  readonly friendlyType: string;
}

/**
 * The result page of certfnsh.asp for a request that reached the CA (reference §5.4–5.6).
 *
 * @example
 * ```ts
 * const page: ResultPageModel = { result, nRenewals: 0, checkPending: false };
 * ```
 */
export interface ResultPageModel {
  readonly result: RequestResult;
  /** The current CA certificate index, for the hidden CA-install link. */
  readonly nRenewals: number;
  /** True for `Mode=chkpnd` (the pending sentence says `still pending`). */
  readonly checkPending: boolean;
  /** `SaveCert=no` (in-browser key): the issued page offers `Install this certificate`. */
  readonly install?: boolean;
  /** certdat.inc's `nPendingTimeoutDays` shown on the pending page (default 10). */
  readonly pendingTimeoutDays?: number | undefined;
}

/**
 * The administrator console (the certsrv MMC snap-in as a page): one list of rows per folder.
 *
 * @example
 * ```ts
 * const m: AdminPageModel = { folder: 'pending', rows: [], csrfToken: 'x', crl: undefined };
 * ```
 */
export interface AdminPageModel {
  readonly folder: 'pending' | 'issued' | 'revoked' | 'failed';
  readonly rows: readonly RequestResult[];
  /** Echoed in every form of the console; the server checks it on POST. */
  readonly csrfToken: string;
  /** The latest published base CRL, if any. */
  readonly crl?:
    | { readonly crlNumber: number; readonly thisUpdate: Date; readonly nextUpdate: Date }
    | undefined;
  /** A one-line notice after an action (`Request 7 was issued.`), already localized. */
  readonly notice?: string | undefined;
  /** Whether delta CRLs are enabled (shows `Publish delta CRL`); default true. */
  readonly deltaCrl?: boolean | undefined;
}
