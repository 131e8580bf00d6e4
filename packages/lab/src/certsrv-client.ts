// What the UM server's browser does on the CA's web enrollment pages, over real HTTP: sign in
// (HTTP Basic), open /certsrv/, download the CA certificate (certcarc.asp → certnew.cer?ReqID=
// CACert&Renewal=0&Enc=b64, article "download" procedure steps 1–4), post a request to
// certfnsh.asp with the Web Server template (Mode=newreq, CertAttrib=CertificateTemplate:
// WebServer), and fetch the issued certificate (certnew.cer?ReqID=N&Enc=b64).
// Protocol: ../shared/reference/certsrv-protocol.md.

import { LabError } from './errors.js';
import { l10n } from './localized.js';

/**
 * A signed-in certsrv session.
 *
 * @example
 * ```ts
 * const web = new CertsrvClient(server.url, { name: 'CONTOSO\\exadmin', password: 'P@ss' });
 * const caCer = await web.downloadCaCertificate();
 * ```
 */
export class CertsrvClient {
  readonly baseUrl: string;
  readonly #auth: string;
  readonly #lang: 'en' | 'fr';

  constructor(baseUrl: string, account: { name: string; password: string }, lang: 'en' | 'fr' = 'en') {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.#auth = `Basic ${Buffer.from(`${account.name}:${account.password}`, 'utf8').toString('base64')}`;
    this.#lang = lang;
  }

  async #get(path: string): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        headers: {
          authorization: this.#auth,
          'user-agent': 'certlab-lab/0.1',
          'accept-language': this.#lang === 'fr' ? 'fr-FR' : 'en-US',
        },
        signal: AbortSignal.timeout(10_000),
      });
    } catch (e) {
      throw new LabError(
        'ERR_LAB_CERTSRV',
        l10n(
          `The CA web site ${this.baseUrl} cannot be reached: is certsrv running?`,
          `Le site web de l'autorité ${this.baseUrl} est injoignable : certsrv est-il lancé ?`,
        ),
        { cause: e, lang: this.#lang },
      );
    }
    if (!res.ok)
      throw new LabError(
        'ERR_LAB_CERTSRV',
        l10n(
          `GET ${path} answered ${res.status} ${res.statusText}${res.status === 401 ? ': check the account and password' : ''}.`,
          `GET ${path} a répondu ${res.status} ${res.statusText}${res.status === 401 ? ' : vérifiez le compte et le mot de passe' : ''}.`,
        ),
        { lang: this.#lang },
      );
    return res;
  }

  /**
   * Opens the home page (Start → Run → http://<CA>/certsrv, step 1) and returns its HTML.
   *
   * @example
   * ```ts
   * const html = await web.home();
   * ```
   */
  async home(): Promise<string> {
    return (await this.#get('/certsrv/')).text();
  }

  /**
   * The CA certificate as the "Download CA certificate" link serves it: Base64 (a `.cer`) or,
   * with `bin`, DER.
   *
   * @example
   * ```ts
   * await writeFile('certnew.cer', await web.downloadCaCertificate());
   * ```
   */
  async downloadCaCertificate(enc: 'b64' | 'bin' = 'b64'): Promise<Uint8Array> {
    await this.#get('/certsrv/certcarc.asp');
    const res = await this.#get(`/certsrv/certnew.cer?ReqID=CACert&Renewal=0&Enc=${enc}`);
    return new Uint8Array(await res.arrayBuffer());
  }

  /**
   * Posts a PKCS #10 request (PEM) to certfnsh.asp with a template; returns the request id and
   * the page text (issued, pending or denied).
   *
   * @example
   * ```ts
   * const { requestId } = await web.submit(csr.toPem(), 'WebServer');
   * ```
   */
  async submit(csrPem: string, template = 'WebServer'): Promise<{ requestId: number; page: string }> {
    const body = new URLSearchParams({
      Mode: 'newreq',
      CertRequest: csrPem,
      CertAttrib: `CertificateTemplate:${template}\r\nUserAgent:certlab-lab/0.1\r\n`,
      FriendlyType: 'Saved-Request Certificate',
      ThumbPrint: '',
      TargetStoreFlags: '0',
      SaveCert: 'yes',
    });
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}/certsrv/certfnsh.asp`, {
        method: 'POST',
        headers: {
          authorization: this.#auth,
          'user-agent': 'certlab-lab/0.1',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: body.toString(),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (e) {
      throw new LabError(
        'ERR_LAB_CERTSRV',
        l10n(
          `The CA web site ${this.baseUrl} cannot be reached: is certsrv running?`,
          `Le site web de l'autorité ${this.baseUrl} est injoignable : certsrv est-il lancé ?`,
        ),
        { cause: e, lang: this.#lang },
      );
    }
    const page = await res.text();
    const m = /certnew\.cer\?ReqID=(\d+)&/.exec(page) ?? /Request Id is (\d+)/i.exec(page);
    if (!res.ok || !m)
      throw new LabError(
        'ERR_LAB_CERTSRV',
        l10n(
          `certfnsh.asp did not issue the certificate (HTTP ${res.status}): ${pageText(page)}`,
          `certfnsh.asp n'a pas délivré le certificat (HTTP ${res.status}) : ${pageText(page)}`,
        ),
        { lang: this.#lang },
      );
    return { requestId: Number(m[1]), page };
  }

  /**
   * Downloads an issued certificate (the "Download certificate" link, Base64).
   *
   * @example
   * ```ts
   * const cer = await web.downloadCertificate(requestId);
   * ```
   */
  async downloadCertificate(requestId: number): Promise<Uint8Array> {
    const res = await this.#get(`/certsrv/certnew.cer?ReqID=${requestId}&Enc=b64`);
    return new Uint8Array(await res.arrayBuffer());
  }
}

/** The start of a page's text, for an error message: tags and runs of white space removed. */
function pageText(page: string): string {
  return page
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
}
