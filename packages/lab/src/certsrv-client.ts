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
  /** The account name it signs in with. */
  readonly account: string;
  readonly #auth: string;
  readonly #lang: 'en' | 'fr';

  constructor(baseUrl: string, account: { name: string; password: string }, lang: 'en' | 'fr' = 'en') {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.account = account.name;
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
   * The CA certificate chain as the "Download CA certificate chain" link serves it: a PKCS #7
   * `.p7b`, issuing CA first then up to the root (reference §6.3), Base64 or, with `bin`, DER.
   *
   * @example
   * ```ts
   * await writeFile('certnew.p7b', await web.downloadCaChain());
   * ```
   */
  async downloadCaChain(enc: 'b64' | 'bin' = 'b64'): Promise<Uint8Array> {
    await this.#get('/certsrv/certcarc.asp');
    const res = await this.#get(`/certsrv/certnew.p7b?ReqID=CACert&Renewal=0&Enc=${enc}`);
    return new Uint8Array(await res.arrayBuffer());
  }

  /**
   * The templates the advanced request page (certrqxt.asp) offers the signed-in account: only
   * those it may enroll for (reference §4), as `{ name, displayName }` in the page's order
   * (`name` is the cn, field 1 of the option value).
   *
   * @example
   * ```ts
   * (await web.templates()).map((t) => t.displayName); // ['Web Server', 'User', …]
   * ```
   */
  async templates(): Promise<{ name: string; displayName: string }[]> {
    const html = await (await this.#get('/certsrv/certrqxt.asp')).text();
    // Tag and attribute names in any case (the page writes `<Option Value=`, as AD CS's ASP does).
    return [...html.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/gi)]
      .map((m) => ({ name: unescapeHtml(m[1]!.split(';')[1] ?? ''), displayName: unescapeHtml(m[2]!) }))
      .filter((t) => t.name !== '');
  }

  /**
   * Posts a PKCS #10 request (PEM) to certfnsh.asp with a template; returns the request id, what
   * the CA decided (the result page: Certificate Issued, Certificate Pending or Certificate
   * Request Denied with its disposition message) and the page text. Throws ERR_LAB_CERTSRV when
   * the answer is not a result page (no request id: the site is down, the sign-in failed…).
   *
   * @example
   * ```ts
   * const r = await web.submit(csr.toPem(), 'WebServer');
   * if (r.disposition === 'denied') console.log(r.message); // 'Denied by Policy Module'
   * ```
   */
  async submit(csrPem: string, template = 'WebServer'): Promise<CertsrvSubmission> {
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
          // English result pages whatever the lab's language: their markers are what is read here.
          'accept-language': 'en-US',
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
    const issued = /certnew\.cer\?ReqID=(\d+)&/.exec(page);
    const other = /Your Request Id is (\d+)\./.exec(page);
    const m = issued ?? other;
    if (!res.ok || !m)
      throw new LabError(
        'ERR_LAB_CERTSRV',
        l10n(
          `certfnsh.asp did not take the request (HTTP ${res.status}): ${pageText(page)}`,
          `certfnsh.asp n'a pas pris la demande (HTTP ${res.status}) : ${pageText(page)}`,
        ),
        { lang: this.#lang },
      );
    const requestId = Number(m[1]);
    if (issued) return { requestId, disposition: 'issued', page };
    if (page.includes('id="locDenied"')) {
      const message = /The disposition message is "([^"]*)"/.exec(page)?.[1];
      return { requestId, disposition: 'denied', page, message: unescapeHtml(message ?? '') };
    }
    return { requestId, disposition: 'pending', page };
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

/**
 * What certfnsh.asp answered to a submission: the request id and the CA's decision as the result
 * page shows it (`message`: the disposition message of a denied request, e.g. "Denied by Policy
 * Module").
 *
 * @example
 * ```ts
 * const r: CertsrvSubmission = { requestId: 7, disposition: 'issued', page: '<!DOCTYPE html>…' };
 * ```
 */
export interface CertsrvSubmission {
  readonly requestId: number;
  readonly disposition: 'issued' | 'pending' | 'denied';
  /** The disposition message of a denied request. */
  readonly message?: string;
  readonly page: string;
}

/** The characters certsrv's pages escape, back to text. */
function unescapeHtml(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, e: string) =>
    e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : "'",
  );
}

/** The start of a page's text, for an error message: tags and runs of white space removed. */
function pageText(page: string): string {
  return page
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
}
