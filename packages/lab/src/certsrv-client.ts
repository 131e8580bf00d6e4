// What the UM server's browser does on the CA's web enrollment pages, over real HTTP: sign in
// (HTTP Basic), open /certsrv/, download the CA certificate (certcarc.asp → certnew.cer?ReqID=
// CACert&Renewal=0&Enc=b64, article "download" procedure steps 1–4), post a request to
// certfnsh.asp with the Web Server template (Mode=newreq, CertAttrib=CertificateTemplate:
// WebServer), and fetch the issued certificate (certnew.cer?ReqID=N&Enc=b64).
// Protocol: ../shared/reference/certsrv-protocol.md.

import { isRequestId, MAX_REQUEST_ID, parseRequestId } from '@certlab/ca-sim';
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

  /** Sends one request; a network failure (refused, reset, redirect loop, timeout) is ERR_LAB_CERTSRV. */
  async #fetch(
    path: string,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ) {
    try {
      return await fetch(`${this.baseUrl}${path}`, {
        ...init,
        headers: {
          authorization: this.#auth,
          'user-agent': 'certlab-lab/0.1',
          'accept-language': this.#lang === 'fr' ? 'fr-FR' : 'en-US',
          ...init.headers,
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
  }

  /**
   * Reads a body. fetch settles when the headers arrive: the body comes afterwards and can still
   * fail (undici rejects with "TypeError: terminated" when the server drops the connection in
   * the middle of the page, and with a TimeoutError when the 10 s run out), so every body is read
   * here, where that becomes ERR_LAB_CERTSRV like any other failed answer.
   */
  async #read<T>(what: string, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (e) {
      const late = e instanceof DOMException && e.name === 'TimeoutError';
      throw new LabError(
        'ERR_LAB_CERTSRV',
        late
          ? l10n(
              `The CA web site ${this.baseUrl} did not finish its answer to ${what} within 10 seconds: check that certsrv is still running, then try again.`,
              `Le site web de l'autorité ${this.baseUrl} n'a pas fini sa réponse à ${what} en 10 secondes : vérifiez que certsrv tourne toujours, puis réessayez.`,
            )
          : l10n(
              `The CA web site ${this.baseUrl} broke off its answer to ${what}: check that certsrv is still running, then try again.`,
              `Le site web de l'autorité ${this.baseUrl} a interrompu sa réponse à ${what} : vérifiez que certsrv tourne toujours, puis réessayez.`,
            ),
        { cause: e, lang: this.#lang },
      );
    }
  }

  /** GETs a page; an answer other than 2xx is ERR_LAB_CERTSRV (401: the account or password). */
  async #get(path: string): Promise<Response> {
    const res = await this.#fetch(path);
    if (!res.ok) {
      // Nobody reads this body: release the connection now rather than when it is collected.
      res.body?.cancel().catch(() => undefined);
      throw new LabError(
        'ERR_LAB_CERTSRV',
        l10n(
          `GET ${path} answered ${res.status} ${res.statusText}${res.status === 401 ? ': check the account and password' : ''}.`,
          `GET ${path} a répondu ${res.status} ${res.statusText}${res.status === 401 ? ' : vérifiez le compte et le mot de passe' : ''}.`,
        ),
        { lang: this.#lang },
      );
    }
    return res;
  }

  async #getText(path: string): Promise<string> {
    const res = await this.#get(path);
    return this.#read(`GET ${path}`, () => res.text());
  }

  async #getBytes(path: string): Promise<Uint8Array> {
    const res = await this.#get(path);
    return new Uint8Array(await this.#read(`GET ${path}`, () => res.arrayBuffer()));
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
    return this.#getText('/certsrv/');
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
    // The browser loads the download page first (step 2), then follows its link.
    await this.#getText('/certsrv/certcarc.asp');
    return this.#getBytes(`/certsrv/certnew.cer?ReqID=CACert&Renewal=0&Enc=${enc}`);
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
    await this.#getText('/certsrv/certcarc.asp');
    return this.#getBytes(`/certsrv/certnew.p7b?ReqID=CACert&Renewal=0&Enc=${enc}`);
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
    const html = await this.#getText('/certsrv/certrqxt.asp');
    return optionElements(html)
      .map((o) => ({ name: unescapeHtml(o.value.split(';')[1] ?? ''), displayName: unescapeHtml(o.text) }))
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
    const res = await this.#fetch('/certsrv/certfnsh.asp', {
      method: 'POST',
      headers: {
        // English result pages whatever the lab's language: their markers are what is read here.
        'accept-language': 'en-US',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: body.toString(),
    });
    const page = await this.#read('POST /certsrv/certfnsh.asp', () => res.text());
    const issued = /certnew\.cer\?ReqID=(\d+)&/.exec(page);
    const m = issued ?? /Your Request Id is (\d+)\./.exec(page);
    if (!res.ok || !m) {
      const text = pageText(page);
      throw new LabError(
        'ERR_LAB_CERTSRV',
        l10n(
          `certfnsh.asp did not take the request (HTTP ${res.status}): ${text}`,
          `certfnsh.asp n'a pas pris la demande (HTTP ${res.status}) : ${text}`,
        ),
        { lang: this.#lang },
      );
    }
    // Read as certsrv reads a ReqID (1…2^31 − 1, AD CS's 32-bit RequestID): a bigger id names no
    // request any CA can have, so a page showing one is refused here, not at the download.
    const requestId = parseRequestId(m[1]!);
    if (requestId === undefined) {
      const shown = m[1]!.length > 20 ? `${m[1]!.slice(0, 20)}…` : m[1]!;
      throw new LabError(
        'ERR_LAB_CERTSRV',
        l10n(
          `certfnsh.asp answered request id ${shown}, which no CA gives (AD CS request ids run from 1 to ${MAX_REQUEST_ID}): the page is not a certsrv result page; check the CA web site.`,
          `certfnsh.asp a répondu le numéro de demande ${shown}, qu'aucune autorité ne donne (ceux d'AD CS vont de 1 à ${MAX_REQUEST_ID}) : la page n'est pas une page de résultat de certsrv ; vérifiez le site web de l'autorité.`,
        ),
        { lang: this.#lang },
      );
    }
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
    // Not a request id (1.5, NaN, 1e29): a caller's mistake, not the site's, so not ERR_LAB_CERTSRV.
    if (!isRequestId(requestId))
      throw new TypeError(
        `downloadCertificate needs a request id from 1 to ${MAX_REQUEST_ID}, not ${requestId}.`,
      );
    return this.#getBytes(`/certsrv/certnew.cer?ReqID=${requestId}&Enc=b64`);
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

/**
 * The `<option value="V"…>T</option>` elements of a page, in order: exactly the matches of
 * `/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/gi` (tag and attribute names in any case: AD
 * CS's ASP writes `<Option Value=`), in linear time. That regular expression is quadratic on
 * option tags that never close: from each `<option value="` its `[^>]*` or `[^<]*` runs on to
 * the end of the page. Here each of its classes is one indexOf, and the position it finds is
 * kept for the following candidates: a later candidate's quote is further on, so the first '>'
 * after it is the same '>' as long as that '>' is still ahead (and likewise the '<' after it).
 */
function optionElements(html: string): { value: string; text: string }[] {
  const out: { value: string; text: string }[] = [];
  const open = /<option value="/gi;
  const close = /<\/option>/iy;
  let gt = -1; // the first '>' after the current value's closing quote
  let lt = -1; // the first '<' after gt
  for (let m = open.exec(html); m; m = open.exec(html)) {
    const valueStart = m.index + m[0].length;
    const quote = html.indexOf('"', valueStart);
    // No later candidate can close when one of these is missing: each lies further on.
    if (quote < 0) break;
    if (gt <= quote) gt = html.indexOf('>', quote + 1);
    if (gt < 0) break;
    if (lt <= gt) lt = html.indexOf('<', gt + 1);
    if (lt < 0) break;
    close.lastIndex = lt;
    if (!close.test(html)) {
      open.lastIndex = m.index + 1;
      continue;
    }
    out.push({ value: html.slice(valueStart, quote), text: html.slice(gt + 1, lt) });
    open.lastIndex = close.lastIndex;
  }
  return out;
}

/**
 * The start of a page's text, for an error message: tags and runs of white space removed, at
 * most 300 characters. The same text as `page.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
 * .trim().slice(0, 300)`, but linear (that first regular expression is quadratic on many '<'
 * without '>': each '<' scans to the end of the page) and it stops reading once it has 300
 * characters of text, so a huge error page costs no more than its beginning.
 */
function pageText(page: string): string {
  const max = 300;
  let text = '';
  let visible = 0; // characters of `text` other than white space
  // Text is taken a little at a time: one text run may be the whole page.
  const keep = (s: string) => {
    for (let k = 0; k < s.length && visible < max; k += 1024) {
      const chunk = s.slice(k, k + 1024);
      text += chunk;
      visible += chunk.replace(/\s+/g, '').length;
    }
  };
  let i = 0;
  while (i < page.length && visible < max) {
    const lt = page.indexOf('<', i);
    if (lt < 0) {
      keep(page.slice(i));
      break;
    }
    // A tag is '<', at least one character other than '>' (a '<' too), then '>'.
    const gt = page.indexOf('>', lt + 1);
    if (gt < 0) {
      // No '>' anywhere after: every '<' left is text.
      keep(page.slice(i));
      break;
    }
    if (gt === lt + 1) {
      keep(page.slice(i, gt)); // '<>' is no tag: its '<' is text (and so is its '>', kept next)
      i = gt;
    } else {
      keep(page.slice(i, lt));
      if (!text.endsWith(' ')) text += ' '; // blanks collapse anyway: a page of tags adds one
      i = gt + 1;
    }
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, max);
}
