// The certsrv page renderers: every client-visible marker of the reference (§4–§7, §9, §14) in
// both variants and both languages, the error-page whitespace contract, escaping, French texts
// and CRLF line ends.

import { describe, expect, it } from 'vitest';
import type { RequestResult } from '../src/authority.js';
import { CERTRQMA_MESSAGE_KEYS } from '../src/certsrv/enroll-form.js';
import type {
  CertsrvLanguage,
  PageContext,
  PageVariant,
  ResultPageModel,
  TemplateOption,
} from '../src/certsrv/page-model.js';
import {
  CERTRQMA_KEY_ALGORITHMS,
  caGenerationLabel,
  escapeHtml,
  localizedTemplateName,
  renderAdmin,
  renderAdvancedRequest,
  renderCaDownload,
  renderCreateRequest,
  renderDenied,
  renderError,
  renderForbidden,
  renderHome,
  renderInstalled,
  renderIssued,
  renderNotFound,
  renderPending,
  renderPendingList,
  renderPendingRemoved,
  renderRequestCertificate,
  renderSubmitSaved,
  renderUnauthorized,
  scriptJson,
  selectLanguage,
  selectVariant,
  templateOptions,
  templateOptionValue,
} from '../src/certsrv/pages/index.js';
import {
  MACHINE_TEMPLATE,
  parseTemplate,
  WEB_SERVER_MANUAL_TEMPLATE,
  WEB_SERVER_TEMPLATE,
} from '../src/index.js';

const EVIL = '<script>alert("x")</script>';
const LANGS: readonly CertsrvLanguage[] = ['en', 'fr'];
const VARIANTS: readonly PageVariant[] = ['browser', 'text'];
const POLICY_MSG =
  'Denied by Policy Module  0x80094800, The request was for a certificate template that is not supported by the Active Directory Certificate Services policy: Foo.';

function ctx(lang: CertsrvLanguage, variant: PageVariant, extra: Partial<PageContext> = {}): PageContext {
  return {
    lang,
    variant,
    caName: 'Contoso Issuing CA',
    user: 'CONTOSO\\alice',
    secure: true,
    basePath: '/certsrv/',
    ...extra,
  };
}

/** The messages certrqma.asp embeds for its script (`#certrqmaMessages`). */
function certrqmaMessages(html: string): Record<string, string> {
  const json = /<script type="application\/json" id="certrqmaMessages">(.*)<\/script>/.exec(html)?.[1];
  return JSON.parse(json ?? '') as Record<string, string>;
}

function result(extra: Partial<RequestResult> = {}): RequestResult {
  return {
    requestId: 7,
    disposition: 'issued',
    dispositionCode: 3,
    message: 'Issued',
    hresult: 0,
    status: 'The operation completed successfully. 0x0 (WIN32: 0)',
    template: 'WebServer',
    subject: 'CN=www.contoso.com',
    requester: { name: 'CONTOSO\\alice' },
    submittedAt: new Date('2026-03-01T10:00:00Z'),
    resolvedAt: new Date('2026-03-01T10:00:01Z'),
    serialNumber: '6400000007aabbccddeeff0011000000000007',
    ...extra,
  };
}

function model(r: RequestResult, extra: Partial<ResultPageModel> = {}): ResultPageModel {
  return { result: r, nRenewals: 2, checkPending: false, ...extra };
}

const TEMPLATES: TemplateOption[] = templateOptions([WEB_SERVER_TEMPLATE, MACHINE_TEMPLATE], 'en');

/** Every page, for the checks that hold on all of them. */
function allPages(c: PageContext): Record<string, string> {
  return {
    home: renderHome(c, { requestLink: 'certrqus.asp' }),
    certrqus: renderRequestCertificate(c),
    certrqad: renderAdvancedRequest(c),
    certrqxt: renderSubmitSaved(c, { templates: TEMPLATES }),
    certrqma: renderCreateRequest(c, { templates: TEMPLATES }),
    certrqmaHttp: renderCreateRequest({ ...c, secure: false }, { templates: TEMPLATES }),
    issued: renderIssued(c, model(result())),
    issuedInstall: renderIssued(c, model(result(), { install: true })),
    pending: renderPending(c, model(result({ disposition: 'pending', dispositionCode: 5 }))),
    denied: renderDenied(
      c,
      model(result({ disposition: 'denied', dispositionCode: 2, message: POLICY_MSG })),
    ),
    installed: renderInstalled(c),
    error: renderError(c, {
      requestMode: 'newreq - New Request',
      disposition: '(never set)',
      dispositionMessage: 'Taken Under Submission',
      result: 'The operation completed successfully. 0x0 (WIN32: 0)',
      lastStatus: 'The operation completed successfully. 0x0 (WIN32: 0)',
    }),
    certcarc: renderCaDownload(c, {
      generations: [{ index: 0, label: 'Current [Contoso Issuing CA]', crlState: 3 }],
      deltaCrl: true,
    }),
    certckpn: renderPendingList(c, {
      entries: [
        { requestId: 9, targetStoreFlags: '0', saveCert: 'yes', friendlyType: 'Saved-Request Certificate' },
      ],
    }),
    certckpnEmpty: renderPendingList(c, { entries: [] }),
    certrmpn: renderPendingRemoved(c),
    admin: renderAdmin({ ...c, admin: true }, { folder: 'pending', rows: [], csrfToken: 't' }),
  };
}

describe('language and variant selection', () => {
  it('lets the Lang override win, case-insensitively', () => {
    expect(selectLanguage('fr-FR', 'EN')).toBe('en');
    expect(selectLanguage('en-US', 'Fr')).toBe('fr');
    expect(selectLanguage('fr-FR', 'de')).toBe('fr');
  });
  it('weighs Accept-Language and defaults to English', () => {
    expect(selectLanguage(undefined)).toBe('en');
    expect(selectLanguage('')).toBe('en');
    expect(selectLanguage('de-DE')).toBe('en');
    expect(selectLanguage('fr')).toBe('fr');
    expect(selectLanguage('fr-CA,fr;q=0.9,en;q=0.8')).toBe('fr');
    expect(selectLanguage('en;q=0.5, fr-FR;q=0.8')).toBe('fr');
    expect(selectLanguage('fr-FR;q=0.4, en-GB;q=0.9')).toBe('en');
    expect(selectLanguage('de, fr;q=0')).toBe('en');
  });
  it('falls back to the site default when no Accept-Language entry is English or French', () => {
    expect(selectLanguage(undefined, undefined, 'fr')).toBe('fr');
    expect(selectLanguage('de-DE', undefined, 'fr')).toBe('fr');
    expect(selectLanguage('de-DE, en;q=0.3', undefined, 'fr')).toBe('en');
    expect(selectLanguage('de-DE', 'en', 'fr')).toBe('en');
  });
  it('picks the browser variant for Mozilla user agents only', () => {
    expect(selectVariant('Mozilla/5.0 (Windows NT 10.0; Win64; x64)')).toBe('browser');
    expect(selectVariant('Go-http-client/1.1')).toBe('text');
    expect(selectVariant('curl/8.5.0')).toBe('text');
    expect(selectVariant(undefined)).toBe('text');
  });
});

describe('every page', () => {
  for (const lang of LANGS) {
    for (const variant of VARIANTS) {
      it(`has the certsrv frame and CRLF line ends (${lang}, ${variant})`, () => {
        for (const [name, html] of Object.entries(allPages(ctx(lang, variant)))) {
          expect(html, name).not.toMatch(/(^|[^\r])\n/);
          expect(html, name).not.toMatch(/\r(?!\n)/);
          expect(html.endsWith('\r\n'), name).toBe(true);
          expect(html, name).toContain(`<html lang="${lang}">`);
          expect(html, name).toContain('<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">');
          expect(html, name).toContain('<meta http-equiv="X-UA-Compatible" content="IE=7">');
          expect(html, name).toContain('<title>Microsoft Active Directory Certificate Services</title>');
          expect(html, name).toContain(
            'Microsoft Active Directory Certificate Services  --  Contoso Issuing CA',
          );
          expect(html, name).toContain('href="/certsrv/" id="locHomeLink">');
          expect(html, name).toContain('href="?');
          expect(html, name).toMatch(/href="\?(folder=pending&amp;)?Lang=en"[^>]*>English</);
          expect(html, name).toMatch(/href="\?(folder=pending&amp;)?Lang=fr"[^>]*>Français</);
          expect(html, name).toContain('#336699');
          expect(html, name).not.toMatch(/<(link|img)\b|src="https?:/);
        }
      });
    }
  }

  it('shows the console link to administrators only', () => {
    const c = ctx('en', 'browser');
    expect(renderHome(c, { requestLink: 'certrqus.asp' })).not.toContain('/certsrv/admin/');
    expect(renderHome({ ...c, admin: true }, { requestLink: 'certrqus.asp' })).toContain(
      'href="/certsrv/admin/"',
    );
  });

  it('renders each frame from its own inputs, cached or not (user, admin, language, CA, query)', () => {
    // The frame around a body is cached by everything it shows: interleaved renders for other
    // accounts, languages and CAs must never borrow one another's frame, and a second render is
    // the same bytes as the first.
    const variants = [
      ctx('en', 'text'),
      ctx('en', 'text', { user: 'CONTOSO\\bob' }),
      ctx('en', 'text', { user: undefined }),
      ctx('en', 'text', { admin: true }),
      ctx('fr', 'text'),
      ctx('en', 'browser', { caName: 'Fabrikam CA' }),
    ];
    const first = variants.map((c) => renderHome(c, { requestLink: 'certrqxt.asp' }));
    for (let round = 0; round < 2; round++)
      variants.forEach((c, i) => {
        expect(renderHome(c, { requestLink: 'certrqxt.asp' })).toBe(first[i]);
      });
    expect(first[0]).toContain('CONTOSO\\alice');
    expect(first[1]).toContain('CONTOSO\\bob');
    expect(first[1]).not.toContain('CONTOSO\\alice');
    expect(first[2]).not.toContain('id="spnUser"');
    expect(first[3]).toContain('id="lnkAdminConsole"');
    expect(first[0]).not.toContain('id="lnkAdminConsole"');
    expect(first[4]).toContain('<html lang="fr">');
    expect(first[5]).toContain('  --  Fabrikam CA</td>');
    const pending = renderAdmin(
      { ...ctx('en', 'text'), admin: true },
      { folder: 'pending', rows: [], csrfToken: 't' },
    );
    const issued = renderAdmin(
      { ...ctx('en', 'text'), admin: true },
      { folder: 'issued', rows: [], csrfToken: 't' },
    );
    expect(pending).toContain('href="?folder=pending&amp;Lang=fr"');
    expect(issued).toContain('href="?folder=issued&amp;Lang=fr"');
  });

  it('escapes the CA name and the user everywhere', () => {
    for (const variant of VARIANTS) {
      const c = ctx('en', variant, { caName: EVIL, user: `CONTOSO\\${EVIL}` });
      for (const [name, html] of Object.entries(allPages(c))) {
        expect(html, name).not.toContain('<script>alert');
        expect(html, name).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
      }
    }
  });
});

describe('navigation pages (§4)', () => {
  it('default.asp lists the three tasks', () => {
    for (const link of ['certrqus.asp', 'certrqxt.asp', 'certrqad.asp'] as const) {
      const html = renderHome(ctx('en', 'text'), { requestLink: link });
      expect(html).toContain(`href="${link}" id="locRequestCert">Request a certificate</a>`);
    }
    const html = renderHome(ctx('en', 'browser'), { requestLink: 'certrqus.asp' });
    expect(html).toContain('Welcome');
    expect(html).toContain('Select a task:');
    expect(html).toContain(
      'href="certckpn.asp" id="locViewPending">View the status of a pending certificate request<',
    );
    expect(html).toContain(
      'href="certcarc.asp" id="locDownloadCA">Download a CA certificate, certificate chain, or CRL<',
    );
  });

  it('certrqus.asp and certrqad.asp link on', () => {
    expect(renderRequestCertificate(ctx('en', 'browser'))).toContain('href="certrqad.asp"');
    const ad = renderAdvancedRequest(ctx('en', 'browser'));
    expect(ad).toContain('href="certrqma.asp" id="locCreateSubmit">Create and submit a request to this CA.<');
    expect(ad).toContain(
      'href="certrqxt.asp" id="locSubmitFile">Submit a certificate request by using a base-64-encoded CMC or PKCS #10 file, or submit a renewal request by using a base-64-encoded PKCS #7 file.<',
    );
  });

  it('certrqxt.asp posts to certfnsh.asp without JavaScript and carries the automation ids', () => {
    const html = renderSubmitSaved(ctx('en', 'text'), { templates: TEMPLATES });
    expect(html).toContain('<form id="certrqxtForm" name="UIForm" method="post" action="certfnsh.asp">');
    for (const [name, value] of [
      ['Mode', 'newreq'],
      ['FriendlyType', 'Saved-Request Certificate'],
      ['ThumbPrint', ''],
      ['TargetStoreFlags', '0'],
      ['SaveCert', 'yes'],
    ]) {
      expect(html).toContain(`<input type="hidden" name="${name}" value="${value}">`);
    }
    expect(html).toMatch(/<textarea id="locTaRequest" name="taRequest"/);
    expect(html).toMatch(/<textarea id="locTaAttrib" name="taAttrib"/);
    expect(html).toContain('<select name="lbCertTemplate" id="lbCertTemplateID">');
    expect(html).toContain('<input type="submit" id="btnSubmit" value="Submit &gt;">');
    // Option value: field 0 O/E, field 1 the cn, last field the display name; text = display name.
    // `<Option Value="…">` exactly, no attribute after the value: scripts grep the case and cut
    // the value at `">` (bgstack15/certreq --list: grep "<Option", grep -o 'Value=".*">').
    const options = [...html.matchAll(/<Option Value="([^"]*)">([^<]*)<\/Option>/g)];
    expect(options.map((o) => o[1]?.split(';')[1])).toEqual(['WebServer', 'Machine']);
    expect(options.map((o) => o[1]?.split(';')[0])).toEqual(['O', 'E']);
    expect(options.map((o) => o[2])).toEqual(['Web Server', 'Computer']);
    // The page script builds CertRequest / CertAttrib (template + UserAgent lines, CRLF).
    expect(html).toContain("setHidden('CertRequest'");
    expect(html).toContain("setHidden('CertAttrib', attrib)");
    expect(html).toContain("'CertificateTemplate:' + cn + '\\r\\n'");
    expect(html).toContain("'UserAgent:' + navigator.userAgent + '\\r\\n'");
    expect(html).not.toContain('name="CertRequest"');
  });

  it('templateOptionValue follows the ;-separated shape', () => {
    const v = templateOptionValue(WEB_SERVER_TEMPLATE).split(';');
    expect(v[0]).toBe('O');
    expect(v[1]).toBe('WebServer');
    expect(v.at(-1)).toBe('Web Server');
    expect(templateOptionValue(MACHINE_TEMPLATE).split(';')[0]).toBe('E');
    const manual = templateOptionValue(WEB_SERVER_MANUAL_TEMPLATE).split(';');
    expect(manual[1]).toBe('WebServer_Manual');
    expect(manual).toContain(WEB_SERVER_MANUAL_TEMPLATE.oid);
    expect(manual.slice(11, 13)).toEqual(['100', '2']);
    // The display name is awk's $14 (field 13): bgstack15/certreq --list prints `a,$2,$14`.
    expect(v).toHaveLength(14);
    expect(v[13]).toBe('Web Server');
    expect(v[9]).toBe('1');
    expect(manual[9]).toBe('2');
    // A v2 template that gives no revision: 100.0 on the page, as in its certificates.
    const bare = templateOptionValue(
      parseTemplate({ name: 'Bare', schemaVersion: 2, oid: '1.3.6.1.4.1.311.21.8.1.1' }),
    );
    expect(bare.split(';').slice(11, 13)).toEqual(['100', '0']);
    expect(templateOptionValue(WEB_SERVER_TEMPLATE).split(';').slice(11, 13)).toEqual(['1', '0']);
  });

  it('localizes the default template names in French only', () => {
    expect(localizedTemplateName(WEB_SERVER_TEMPLATE, 'fr')).toBe('Serveur web');
    expect(localizedTemplateName(WEB_SERVER_TEMPLATE, 'en')).toBe('Web Server');
    expect(localizedTemplateName({ ...WEB_SERVER_TEMPLATE, displayName: 'My Web' }, 'fr')).toBe('My Web');
    expect(localizedTemplateName(WEB_SERVER_MANUAL_TEMPLATE, 'fr')).toBe(
      WEB_SERVER_MANUAL_TEMPLATE.displayName,
    );
    const fr = renderSubmitSaved(ctx('fr', 'browser'), {
      templates: templateOptions([WEB_SERVER_TEMPLATE], 'fr'),
    });
    expect(fr).toMatch(/<Option Value="O;WebServer;[^"]*;Web Server">Serveur web<\/Option>/);
  });

  it('certrqma.asp offers "Store certificate in the local computer certificate store", in both languages', () => {
    const box = '<input type="checkbox" id="cbLocalMachineStore" name="LocalMachineStore" value="1">';
    const en = renderCreateRequest(ctx('en', 'browser'), { templates: TEMPLATES });
    expect(en).toContain(box);
    expect(en).toContain(
      '<label for="cbLocalMachineStore" id="locLocalMachineStore">Store certificate in the local computer certificate store</label>',
    );
    const fr = renderCreateRequest(ctx('fr', 'browser'), { templates: TEMPLATES });
    expect(fr).toContain(box);
    // The French wording of the reference's label table (certsrv-protocol.md, French labels).
    expect(fr).toContain(
      `id="locLocalMachineStore">Stocker le certificat dans le magasin de certificats de l'ordinateur local</label>`,
    );
    expect(certrqmaMessages(fr).storeLocalMachine).toContain('LocalMachine\\My');
  });

  it('escapes template names and values', () => {
    const evil = templateOptions([{ ...WEB_SERVER_TEMPLATE, displayName: EVIL }], 'en');
    const html = renderSubmitSaved(ctx('en', 'browser'), { templates: evil });
    expect(html).not.toContain('<script>alert');
    expect(renderCreateRequest(ctx('en', 'browser'), { templates: evil })).not.toContain('<script>alert');
  });

  it('certrqma.asp refuses plain HTTP', () => {
    const html = renderCreateRequest(ctx('en', 'browser', { secure: false }), {
      templates: TEMPLATES,
      httpsUrl: 'https://ca.contoso.com/certsrv/certrqma.asp?a=1&b=2',
    });
    expect(html).toContain('the Web site for the CA must be configured to use HTTPS authentication.');
    expect(html).toContain('href="https://ca.contoso.com/certsrv/certrqma.asp?a=1&amp;b=2"');
    expect(html).not.toContain('<form');
    expect(html).not.toContain('certrqma.js');
  });

  it('certrqma.asp carries the form, the messages and the module script', () => {
    const html = renderCreateRequest(ctx('en', 'browser'), { templates: TEMPLATES });
    expect(html).toContain('<form id="certrqmaForm"');
    expect(html).toContain('<select id="lbCertTemplateID" name="lbCertTemplate">');
    for (const id of [
      'tbName',
      'tbEmail',
      'tbCompany',
      'tbDepartment',
      'tbCity',
      'tbState',
      'tbCountry',
      'tbDnsNames',
      'tbPfxPassword',
      'tbFriendlyName',
    ]) {
      expect(html).toContain(`<input id="${id}"`);
    }
    expect(html).toMatch(/<input id="tbPfxPassword" type="password"/);
    expect(html).toContain('Identifying Information For Offline Template');
    expect(html).toContain('Key Options');
    expect(html).toContain('<option value="ec-P-256" selected>');
    for (const v of ['ec-P-384', 'rsa-2048', 'rsa-3072']) expect(html).toContain(`<option value="${v}">`);
    expect(html).toContain('<select id="lbKeyAlgorithm"');
    expect(html).toContain('<button type="submit" id="btnSubmit">Submit &gt;</button>');
    expect(html).toContain('<div id="divStatus" role="status" aria-live="polite"></div>');
    expect(html).toContain('<div id="divResult"></div>');
    expect(html).toContain('<script type="module" src="assets/certrqma.js"></script>');
    expect(html).toMatch(/<noscript>[\s\S]*href="certrqxt.asp"[\s\S]*<\/noscript>/);
    const msgs = certrqmaMessages(html);
    expect(msgs.pending).toContain('{id}');
    expect(msgs.denied).toContain('{message}');
    expect(msgs.error).toContain('{message}');
    const fr = renderCreateRequest(ctx('fr', 'browser'), { templates: TEMPLATES });
    expect(fr).toContain('<button type="submit" id="btnSubmit">Envoyer</button>');
    expect(fr).toContain("Informations d'identification pour les modèles hors connexion");
    expect(fr).toContain('Options de la clé');
    expect(fr).not.toContain('Key Options');
  });

  it('certrqma.asp embeds every message key of the page script, in both languages', () => {
    // CERTRQMA_MESSAGE_KEYS also types the script's defaults: a key missing from the JSON would
    // show its English default on French pages.
    const en = certrqmaMessages(renderCreateRequest(ctx('en', 'browser'), { templates: TEMPLATES }));
    const fr = certrqmaMessages(renderCreateRequest(ctx('fr', 'browser'), { templates: TEMPLATES }));
    for (const msgs of [en, fr]) expect(Object.keys(msgs).sort()).toEqual([...CERTRQMA_MESSAGE_KEYS].sort());
    for (const key of CERTRQMA_MESSAGE_KEYS) {
      expect(en[key], key).toMatch(/\S/);
      expect(fr[key], key).toMatch(/\S/);
      expect(fr[key], key).not.toBe(en[key]);
    }
    expect(en.passwordRequired).toBe('Enter a password to protect the private key.');
    expect(fr.passwordRequired).toBe('Entrez un mot de passe pour protéger la clé privée.');
  });

  it('certrqma.asp offers the shared key algorithms, the first selected', () => {
    const html = renderCreateRequest(ctx('en', 'browser'), { templates: TEMPLATES });
    const select = /<select id="lbKeyAlgorithm" name="lbKeyAlgorithm">(.*?)<\/select>/s.exec(html)?.[1] ?? '';
    const options = [...select.matchAll(/<option value="([^"]*)"( selected)?>([^<]*)<\/option>/g)];
    expect(options.map((o) => [o[1], o[3]])).toEqual(CERTRQMA_KEY_ALGORITHMS.map((a) => [a.value, a.label]));
    expect(options.map((o) => o[2] !== undefined)).toEqual(CERTRQMA_KEY_ALGORITHMS.map((_, i) => i === 0));
  });
});

describe('issued page (§5.4)', () => {
  it('text variant: plain &amp; links, hidden CA install block', () => {
    const html = renderIssued(ctx('en', 'text'), model(result()));
    expect(html).toContain('Certificate Issued');
    expect(html).toContain('id="locPageTitle"');
    expect(html).toContain('The certificate you requested was issued to you.');
    expect(html).toContain('certnew.cer?ReqID=7&amp;Enc=bin');
    expect(html).toContain('certnew.cer?ReqID=7&amp;Enc=b64');
    expect(html).toContain('certnew.p7b?ReqID=7&amp;Enc=bin');
    expect(html).toContain('certnew.p7b?ReqID=7&amp;Enc=b64');
    expect(/certnew.cer\?ReqID=(\d+)&/.exec(html)?.[1]).toBe('7');
    expect(html).toMatch(
      /<div id="locCANotTrusted" style="display:none">[\s\S]*certnew\.cer\?ReqID=CACert&amp;Renewal=2&amp;Mode=inst&amp;Enc=b64[\s\S]*<\/div>/,
    );
    expect(html).toContain('var nRenewals=2;');
    // The first href containing b64 and neither p7b nor CA is the certificate in Base64.
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');
    expect(hrefs.find((h) => h.includes('b64') && !h.includes('p7b') && !h.includes('CA'))).toBe(
      'certnew.cer?ReqID=7&amp;Enc=b64',
    );
    expect(html).not.toContain('Install this certificate');
  });

  it('browser variant: radios, script links, one statement per line', () => {
    const html = renderIssued(ctx('en', 'browser'), model(result()));
    expect(html).toContain('Certificate Issued');
    expect(html).toMatch(/<input type="radio" name="rbEncoding" id="rbDerEnc"[^>]* checked>/);
    expect(html).toMatch(/<input type="radio" name="rbEncoding" id="rbB64Enc"[^>]*>/);
    expect(html).toContain('id="locB64Enc0"');
    expect(html).toMatch(/<a href="#" id="locDownloadCert3"[^>]*>Download certificate<\/a>/);
    expect(html).toMatch(/<a href="#" id="locDownloadCertChain3"[^>]*>Download certificate chain<\/a>/);
    expect(html).toContain('\r\n\tlocation="certnew.cer?ReqID=7&"+getEncoding();\r\n');
    expect(html).toContain('\r\n\tlocation="certnew.p7b?ReqID=7&"+getEncoding();\r\n');
    expect(html).toContain('return "Enc=bin";');
    expect(html).toContain('return "Enc=b64";');
    expect(/certnew.cer\?ReqID=(\d+)&/.exec(html)?.[1]).toBe('7');
    expect(html).toContain('var nRenewals=2;');
    expect(html).toContain('certnew.cer?ReqID=CACert&amp;Renewal=2&amp;Mode=inst&amp;Enc=b64');
  });

  it('offers Install this certificate instead of the downloads for the in-browser key flow', () => {
    for (const variant of VARIANTS) {
      const html = renderIssued(ctx('en', variant), model(result(), { install: true }));
      expect(html).toContain('value="Install this certificate"');
      expect(html).toContain('<form id="fmInstall" method="post" action="certrmpn.asp">');
      expect(html).toContain('<input type="hidden" name="Action" value="inst">');
      expect(html).toContain('<input type="hidden" name="ReqID" value="7">');
      // Instead of the downloads (reference §5.4), script or links.
      expect(html).not.toContain('certnew.cer?ReqID=7');
      expect(html).not.toContain('certnew.p7b?ReqID=7');
      expect(html).not.toContain('rbEncoding');
      const fr = renderIssued(ctx('fr', variant), model(result(), { install: true }));
      expect(fr).toContain('value="Installer ce certificat"');
    }
  });

  it('French keeps the markers and translates the texts', () => {
    for (const variant of VARIANTS) {
      const html = renderIssued(ctx('fr', variant), model(result()));
      expect(html).toContain('Certificat émis');
      expect(html).not.toContain('Certificate Issued');
      expect(html).not.toContain('The certificate you requested was issued to you.');
      expect(/certnew.cer\?ReqID=(\d+)&/.exec(html)?.[1]).toBe('7');
      expect(html).toContain('var nRenewals=2;');
    }
    expect(renderIssued(ctx('fr', 'text'), model(result()))).toContain('certnew.cer?ReqID=7&amp;Enc=b64');
    const b = renderIssued(ctx('fr', 'browser'), model(result()));
    expect(b).toContain('location="certnew.cer?ReqID=7&"+getEncoding();');
    expect(b).toContain('Télécharger le certificat');
    expect(b).toContain('Codé en base 64');
  });
});

describe('pending page (§5.5)', () => {
  const pendingResult = result({
    disposition: 'pending',
    dispositionCode: 5,
    message: 'Taken Under Submission',
  });
  for (const variant of VARIANTS) {
    it(`received / still pending, request id on its own line (${variant})`, () => {
      const html = renderPending(ctx('en', variant), model(pendingResult));
      expect(html).toContain('Certificate Pending');
      expect(html).toContain('id="locPageTitle"');
      expect(html).toMatch(/Your certificate request has been received\.[^\r\n<]*administrator/);
      expect(html).toContain('\r\nYour Request Id is 7.\r\n');
      expect(html).toContain('id="locInfoReqID"');
      expect(html).toContain('within 10 days');
      expect(html).not.toContain('still pending');
      const chk = renderPending(
        ctx('en', variant),
        model(pendingResult, { checkPending: true, pendingTimeoutDays: 5 }),
      );
      expect(chk).toContain('still pending');
      expect(chk).toContain('within 5 days');
      expect(chk).toContain('\r\nYour Request Id is 7.\r\n');
      // bgstack15/certreq --request: grep "' nReqId" | awk -F'= ' '{print $2}' | sed 's/\r//g'.
      for (const page of [html, chk]) {
        const lines = page.split('\n').filter((l) => l.includes("' nReqId"));
        expect(lines.map((l) => l.split('= ')[1]?.replace(/\r/g, ''))).toEqual(['7']);
      }
    });
  }
  it('French', () => {
    const html = renderPending(ctx('fr', 'browser'), model(pendingResult));
    expect(html).toContain("\r\n' nReqId = 7\r\n");
    expect(html).toContain('Certificat en attente');
    expect(html).toContain('\r\nVotre ID de demande est 7.\r\n');
    expect(html).not.toContain('Your Request Id');
    expect(html).not.toContain('Certificate Pending');
  });
});

describe('denied page (§5.6)', () => {
  const denied = (message: string) => result({ disposition: 'denied', dispositionCode: 2, message });
  for (const variant of VARIANTS) {
    it(`one line with the id and the verbatim message (${variant})`, () => {
      const html = renderDenied(ctx('en', variant), model(denied(POLICY_MSG)));
      expect(html).toContain('Certificate Request Denied');
      expect(html).toContain('Your certificate request was denied.');
      expect(html).toContain('id="locDenied"');
      expect(html).toContain(`\r\nYour Request Id is 7. The disposition message is "${POLICY_MSG}".\r\n`);
      expect(/The disposition message is "([^"]+)/.exec(html)?.[1]).toBe(POLICY_MSG);
      // Python's and Go's `.` match CR (JavaScript's does not): the same pattern written portably.
      expect(/The disposition message is ([^\n]+?)\n/.exec(html)?.[1]).toBe(`"${POLICY_MSG}".\r`);
      expect(/Your Request Id is ([0-9]+)/.exec(html)?.[1]).toBe('7');
      expect(html).toMatch(/Denied by Policy Module {2}(0x[0-9a-fA-F]+),/);
      expect(html).toContain('template that is not supported');
    });
  }
  it('keeps "Denied by Policy Module" with its quotes, and Error Parsing Request', () => {
    expect(renderDenied(ctx('en', 'text'), model(denied('Denied by Policy Module')))).toContain(
      '"Denied by Policy Module"',
    );
    const parse = 'Error Parsing Request  ASN1 bad tag value met. 0x8009310b (ASN: 267 CRYPT_E_ASN1_BADTAG)';
    expect(
      /The disposition message is "([^"]+)/.exec(renderDenied(ctx('en', 'text'), model(denied(parse))))?.[1],
    ).toBe(parse);
  });
  it('escapes the message, replaces double quotes, keeps the line whole', () => {
    const html = renderDenied(ctx('en', 'browser'), model(denied(`Denied by "me" ${EVIL} a&b\r\nx`)));
    expect(html).not.toContain('<script>alert');
    expect(html).toContain(
      `Your Request Id is 7. The disposition message is "Denied by 'me' &lt;script&gt;alert('x')&lt;/script&gt; a&amp;b  x".\r\n`,
    );
  });
  it('revoked variant', () => {
    const html = renderDenied(
      ctx('en', 'text'),
      model(result({ disposition: 'revoked', dispositionCode: 6, message: 'Revoked' })),
    );
    // Same title as a denial (reference §5.6, disposition 2 or 6), its own sentence.
    expect(html).toContain('<h1 id="locPageTitle">Certificate Request Denied</h1>');
    expect(html).toContain(
      '<p id="locDenied">The certificate you requested was issued to you and has since been revoked.</p>',
    );
    expect(html).not.toContain('Your certificate request was denied.');
    expect(html).toContain('\r\nYour Request Id is 7. The disposition message is "Revoked".\r\n');
  });
  it('French', () => {
    const html = renderDenied(ctx('fr', 'text'), model(denied(POLICY_MSG)));
    expect(html).toContain('Demande de certificat refusée');
    expect(html).toContain('Votre demande de certificat a été refusée.');
    expect(html).not.toContain('Your certificate request was denied.');
    expect(html).toContain(`\r\nVotre ID de demande est 7. Le message de décision est "${POLICY_MSG}".\r\n`);
  });
});

describe('installed and pending-cookie pages (§5.4, §9)', () => {
  it('install confirmation', () => {
    expect(renderInstalled(ctx('en', 'browser'))).toContain(
      'Your new certificate has been successfully installed.',
    );
    const fr = renderInstalled(ctx('fr', 'browser'));
    expect(fr).toContain('Votre nouveau certificat a été correctement installé.');
    expect(fr).not.toContain('successfully installed');
  });

  it('certckpn.asp, text variant: one form per entry', () => {
    const html = renderPendingList(ctx('en', 'text'), {
      entries: [
        {
          requestId: 9,
          targetStoreFlags: '0',
          saveCert: 'yes',
          friendlyType: 'Saved-Request Certificate (1/3/2026)',
        },
        { requestId: 11, targetStoreFlags: '0', saveCert: 'yes', friendlyType: EVIL },
      ],
    });
    const forms = [...html.matchAll(/<form method="post" action="certfnsh.asp"[^>]*>([\s\S]*?)<\/form>/g)];
    expect(forms).toHaveLength(2);
    expect(forms[0]?.[1]).toMatch(
      /<input type="hidden" name="Mode" value="chkpnd">\r\n<input type="hidden" name="ReqID" value="9">/,
    );
    expect(forms[1]?.[1]).toContain('name="ReqID" value="11"');
    expect(html).toContain('value="Saved-Request Certificate (1/3/2026)"');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('<input type="hidden" name="Action" value="rmpn">');
  });

  it('certckpn.asp, browser variant: script links plus a no-script fallback', () => {
    const html = renderPendingList(ctx('en', 'browser'), {
      entries: [
        { requestId: 9, targetStoreFlags: '0', saveCert: 'yes', friendlyType: 'Saved-Request Certificate' },
      ],
    });
    expect(html).toContain('onclick="handleCheckPending(9);return false;">Saved-Request Certificate</a>');
    expect(html).toContain('<form id="fmCheckPending" method="post" action="certfnsh.asp">');
    expect(html).toMatch(/<noscript>[\s\S]*name="ReqID" value="9"[\s\S]*<\/noscript>/);
  });

  it('certckpn.asp with no entries, and certrmpn.asp', () => {
    expect(renderPendingList(ctx('en', 'text'), { entries: [] })).toContain(
      'There are no pending certificate requests for you to view.',
    );
    expect(renderPendingList(ctx('fr', 'text'), { entries: [] })).toContain(
      'aucune demande de certificat en attente',
    );
    expect(renderPendingRemoved(ctx('en', 'text'))).toContain('href="certckpn.asp"');
  });
});

describe('error page (§7)', () => {
  const details = {
    requestMode: 'newreq - New Request',
    disposition: '2 - (unknown)',
    dispositionMessage: POLICY_MSG,
    result:
      'The requested certificate template is not supported by this CA. 0x80094800 (-2146875392 CERTSRV_E_UNSUPPORTED_CERT_TYPE)',
    lastStatus:
      'The requested certificate template is not supported by this CA. 0x80094800 (-2146875392 CERTSRV_E_UNSUPPORTED_CERT_TYPE)',
  };
  for (const variant of VARIANTS) {
    it(`keeps the whitespace contract (${variant})`, () => {
      const html = renderError(ctx('en', variant), details);
      expect(html).toContain('id="locPageTitle">Error<');
      expect(/Disposition message:[^\t]+\t\t([^\r\n]+)/.exec(html)?.[1]).toBe(POLICY_MSG);
      expect(/LastStatus:[^\t]+\t\t([^\r\n]+)/.exec(html)?.[1]).toBe(details.lastStatus);
      expect(/ (0x[0-9a-fA-F]+) \(/.exec(html)?.[1]).toBe('0x80094800');
      // Every label line: no TAB, ends CRLF; the next line: two TABs, the value, CRLF.
      const labels = [
        'Request Mode:',
        'Disposition:',
        'Disposition message:',
        'Result:',
        'COM Error Info:',
        'LastStatus:',
        'Suggested Cause:',
      ];
      let last = -1;
      for (const label of labels) {
        const at = html.indexOf(`>${label}<`);
        expect(at, label).toBeGreaterThan(last);
        last = at;
        const lineStart = html.lastIndexOf('\r\n', at) + 2;
        const lineEnd = html.indexOf('\r\n', at);
        expect(html.slice(lineStart, lineEnd), label).not.toContain('\t');
        const next = html.slice(lineEnd + 2, html.indexOf('\r\n', lineEnd + 2));
        expect(next, label).toMatch(/^\t\t[^\t]*$/);
      }
      expect(html).toContain('\r\n\t\tnewreq - New Request\r\n');
    });
  }
  it('classifies pending by its message, escapes values, shows a summary', () => {
    const html = renderError(ctx('en', 'text'), {
      ...details,
      dispositionMessage: 'Taken Under Submission',
      lastStatus: `x ${EVIL}\r\n\ty`,
      summary: `You cannot bookmark this page ${EVIL}`,
    });
    expect(html).toContain('Taken Under Submission');
    expect(html).not.toContain('<script>alert');
    expect(/LastStatus:[^\t]+\t\t([^\r\n]+)/.exec(html)?.[1]).toBe(
      'x &lt;script&gt;alert("x")&lt;/script&gt;   y',
    );
    expect(html).toContain('You cannot bookmark this page &lt;script&gt;');
    expect(renderError(ctx('en', 'text'), { ...details, dispositionMessage: '(none)' })).not.toContain(
      'Denied by',
    );
  });
  it('French labels keep the layout', () => {
    const html = renderError(ctx('fr', 'text'), details);
    expect(html).toContain('id="locPageTitle">Erreur<');
    expect(/Message de décision :[^\t]+\t\t([^\r\n]+)/.exec(html)?.[1]).toBe(POLICY_MSG);
    expect(html).not.toContain('Disposition message:');
  });
});

describe('certcarc.asp (§6.1)', () => {
  const generations = [
    { index: 1, label: caGenerationLabel('Contoso Issuing CA', 1, true, 'en'), crlState: 3 },
    { index: 0, label: caGenerationLabel('Contoso Issuing CA', 0, false, 'en'), crlState: 3 },
  ];
  for (const variant of VARIANTS) {
    it(`nRenewals, CRL states, list box, radios (${variant})`, () => {
      const html = renderCaDownload(ctx('en', variant), { generations, deltaCrl: true });
      expect(html).toContain('var nRenewals=1;');
      expect(/var nRenewals=(\d+);/.exec(html)?.[1]).toBe('1');
      expect(html).toContain('rgnCRLState[1]=3;');
      expect(html).toContain('rgnCRLState[0]=3;');
      expect(html).toContain('<select name="lbCaInstance" id="lbCaID" size="4">');
      expect(html).toContain('<option value="1" selected>Current [Contoso Issuing CA(1)]</option>');
      expect(html).toContain('<option value="0">Previous [Contoso Issuing CA]</option>');
      expect(html).toMatch(/<input type="radio" name="rbEncoding" id="rbDerEnc"[^>]* checked>/);
      expect(html).toMatch(/<input type="radio" name="rbEncoding" id="rbB64Enc"/);
      expect(html).toContain('Install CA certificate');
      expect(html).toContain('Download CA certificate');
      expect(html).toContain('Download CA certificate chain');
      expect(html).toContain('Download latest base CRL');
      expect(html).toContain('Download latest delta CRL');
      // Plain links that work without JavaScript.
      expect(html).toContain('href="certnew.cer?ReqID=CACert&amp;Renewal=1&amp;Mode=inst&amp;Enc=b64"');
      expect(html).toContain('href="certnew.cer?ReqID=CACert&amp;Renewal=1&amp;Enc=bin"');
      expect(html).toContain('href="certnew.p7b?ReqID=CACert&amp;Renewal=1&amp;Enc=bin"');
      expect(html).toContain('href="certcrl.crl?Type=base&amp;Renewal=1&amp;Enc=bin"');
      expect(html).toContain('href="certcrl.crl?Type=delta&amp;Renewal=1&amp;Enc=bin"');
      expect(html).not.toMatch(/href="[^"]*&(?!amp;)[^"]*"/);
    });
  }
  it('text variant: per-index links for each encoding', () => {
    const html = renderCaDownload(ctx('en', 'text'), { generations, deltaCrl: false });
    for (const n of [0, 1]) {
      for (const enc of ['bin', 'b64']) {
        expect(html).toContain(`href="certnew.cer?ReqID=CACert&amp;Renewal=${n}&amp;Enc=${enc}"`);
        expect(html).toContain(`href="certnew.p7b?ReqID=CACert&amp;Renewal=${n}&amp;Enc=${enc}"`);
        expect(html).toContain(`href="certcrl.crl?Type=base&amp;Renewal=${n}&amp;Enc=${enc}"`);
      }
    }
    expect(html).not.toContain('Type=delta');
    expect(html).not.toContain('getEncoding');
  });
  it('browser variant: the script builds the URLs', () => {
    const html = renderCaDownload(ctx('en', 'browser'), { generations, deltaCrl: true });
    expect(html).toContain('location="certnew.cer?ReqID=CACert&Renewal="+getRenewal()+"&"+getEncoding();');
    expect(html).toContain('location="certnew.p7b?ReqID=CACert&Renewal="+getRenewal()+"&"+getEncoding();');
    expect(html).toContain('onclick="handleGetCert();return false;"');
  });
  it('French', () => {
    const html = renderCaDownload(ctx('fr', 'browser'), {
      generations: [{ index: 0, label: caGenerationLabel('Contoso Issuing CA', 0, true, 'fr'), crlState: 3 }],
      deltaCrl: true,
    });
    expect(html).toContain('var nRenewals=0;');
    expect(html).toContain('Actuel [Contoso Issuing CA]');
    expect(html).toContain('Méthode de codage :');
    expect(html).toContain("Télécharger un certificat de l'autorité de certification");
    expect(html).toContain("Télécharger la chaîne de certificats d'autorité de certification");
    expect(html).toContain('Télécharger la dernière liste de révocation de certificats de base');
    expect(html).not.toContain('Download CA certificate');
  });
});

describe('French navigation (§13)', () => {
  it('uses the documented wordings and no English', () => {
    const home = renderHome(ctx('fr', 'browser'), { requestLink: 'certrqus.asp' });
    expect(home).toContain('Bienvenue');
    expect(home).toContain('Sélectionnez une tâche');
    expect(home).toContain('Demander un certificat');
    expect(home).toContain("Afficher le statut d'une requête de certificat en attente");
    expect(home).toContain(
      "Télécharger un certificat d'autorité de certification, une chaîne de certificats",
    );
    expect(home).toContain('>Accueil<');
    for (const en of ['>Welcome<', 'Select a task:', '>Request a certificate<', '>Home<'])
      expect(home).not.toContain(en);
    const ad = renderAdvancedRequest(ctx('fr', 'browser'));
    expect(ad).toContain('Demande de certificat avancée');
    expect(ad).toContain(
      'Créer et soumettre une demande de certification auprès de cette Autorité de certification',
    );
    expect(ad).toContain(
      'Soumettre une demande de certificat en utilisant un fichier CMC ou PKCS #10 codé en base 64',
    );
    const xt = renderSubmitSaved(ctx('fr', 'browser'), { templates: TEMPLATES });
    expect(xt).toContain('Soumettre une demande de certificat ou une demande de renouvellement');
    expect(xt).toContain('Demande enregistrée');
    expect(xt).toContain('Modèle de certificat');
    expect(xt).toContain('<input type="submit" id="btnSubmit" value="Envoyer">');
    expect(xt).not.toContain('Submit &gt;');
    expect(xt).toContain('<input type="hidden" name="FriendlyType" value="Saved-Request Certificate">');
  });
});

describe('IIS pages', () => {
  it('401, 403, 404', () => {
    const u = renderUnauthorized();
    expect(u).toContain('<title>401 - Unauthorized: Access is denied due to invalid credentials.</title>');
    expect(u).toContain('<h1>401 - Unauthorized: Access is denied due to invalid credentials.</h1>');
    expect(u).toContain(
      '<h2>You do not have permission to view this directory or page using the credentials that you supplied.</h2>',
    );
    expect(u).toContain('Unauthorized: Access is denied due to invalid credentials.');
    expect(renderForbidden()).toContain('403 - Forbidden: Access is denied.');
    expect(renderNotFound()).toContain('404 - File or directory not found.');
    for (const html of [u, renderForbidden(), renderNotFound()]) expect(html).not.toMatch(/(^|[^\r])\n/);
  });
});

describe('admin console', () => {
  const rows = (disposition: RequestResult['disposition']): RequestResult[] => [
    result({ disposition, requestId: 3, subject: `CN=${EVIL}`, requester: { name: EVIL } }),
  ];
  const c = ctx('en', 'browser', { admin: true });
  it('pending folder: approve and deny forms', () => {
    const html = renderAdmin(c, { folder: 'pending', rows: rows('pending'), csrfToken: 'tok"en' });
    expect(html).toContain('<form method="post" action="/certsrv/admin/action"');
    expect(html).toContain('<input type="hidden" name="csrf" value="tok&quot;en">');
    expect(html).toContain('<input type="hidden" name="ReqID" value="3">');
    expect(html).toContain('name="action" value="approve" id="btnApprove-3"');
    expect(html).toContain('name="action" value="deny" id="btnDeny-3"');
    expect(html).not.toContain('<script>alert');
    for (const f of ['pending', 'issued', 'revoked', 'failed']) expect(html).toContain(`href="?folder=${f}"`);
    expect(html).toContain('Pending Requests');
    expect(html).toContain('href="?folder=pending&amp;Lang=fr"');
    expect(html).toContain('value="publish-crl" id="btnPublishCrl"');
    expect(html).toContain('value="publish-delta-crl"');
    expect(html).toContain('No CRL has been published yet.');
  });
  it('pending folder: the Request Attributes column, one line each, escaped; not in the other folders', () => {
    const withAttributes = (disposition: RequestResult['disposition']) => [
      result({
        disposition,
        requestId: 3,
        attributes: `certificatetemplate:WebServer_Manual\r\nvalidityperiod:Days\r\nvalidityperiodunits:7\r\nuseragent:${EVIL}\r\n`,
      }),
    ];
    const html = renderAdmin(c, { folder: 'pending', rows: withAttributes('pending'), csrfToken: 't' });
    expect(html).toContain('<th scope="col">Request Attributes</th>');
    expect(html).toContain(
      '<td class="attributes">certificatetemplate:WebServer_Manual<br>validityperiod:Days<br>validityperiodunits:7<br>useragent:',
    );
    expect(html).not.toContain('<script>alert');
    const fr = renderAdmin(ctx('fr', 'browser', { admin: true }), {
      folder: 'pending',
      rows: withAttributes('pending'),
      csrfToken: 't',
    });
    expect(fr).toContain('<th scope="col">Attributs de la demande</th>');
    const issued = renderAdmin(c, { folder: 'issued', rows: withAttributes('issued'), csrfToken: 't' });
    expect(issued).not.toContain('Request Attributes');
  });

  it('issued folder: revoke with a reason', () => {
    const html = renderAdmin(c, {
      folder: 'issued',
      rows: rows('issued'),
      csrfToken: 't',
      crl: {
        crlNumber: 4,
        thisUpdate: new Date('2026-03-01T00:00:00Z'),
        nextUpdate: new Date('2026-03-08T00:00:00Z'),
      },
      notice: 'Request 3 was issued.',
    });
    expect(html).toContain('name="action" value="revoke" id="btnRevoke-3"');
    expect(html).toContain('<select name="reason" id="lbReason-3">');
    for (const r of [
      'unspecified',
      'keyCompromise',
      'cACompromise',
      'affiliationChanged',
      'superseded',
      'cessationOfOperation',
      'certificateHold',
    ]) {
      expect(html).toContain(`<option value="${r}"`);
    }
    expect(html).toContain('id="tdCrlNumber">4<');
    expect(html).toContain('2026-03-08T00:00:00.000Z');
    expect(html).toContain('Request 3 was issued.');
    expect(html).toContain('6400000007aabbccddeeff0011000000000007');
  });
  it('revoked folder: unrevoke only for certificateHold', () => {
    const hold = renderAdmin(c, {
      folder: 'revoked',
      rows: [result({ disposition: 'revoked', revocationReason: 'certificateHold', revokedAt: new Date() })],
      csrfToken: 't',
    });
    expect(hold).toContain('name="action" value="unrevoke" id="btnUnrevoke-7"');
    expect(hold).toContain('Certificate Hold');
    const kc = renderAdmin(c, {
      folder: 'revoked',
      rows: [result({ disposition: 'revoked', revocationReason: 'keyCompromise', revokedAt: new Date() })],
      csrfToken: 't',
    });
    expect(kc).not.toContain('unrevoke');
  });
  it('French console and empty folder', () => {
    const html = renderAdmin(ctx('fr', 'text', { admin: true }), {
      folder: 'failed',
      rows: [],
      csrfToken: 't',
      deltaCrl: false,
    });
    expect(html).toContain('Demandes ayant échoué');
    expect(html).toContain('Demandes en attente');
    expect(html).toContain('Publier la liste de révocation');
    expect(html).not.toContain('publish-delta-crl');
    expect(html).not.toContain('Pending Requests');
  });
});

describe('html helpers', () => {
  it('escapeHtml and scriptJson', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(scriptJson({ a: '</script><!--' })).toBe('{"a":"\\u003c/script\\u003e\\u003c!--"}');
  });
});
