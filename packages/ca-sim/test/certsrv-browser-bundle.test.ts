// The certrqma.asp browser script: the esbuild bundle (no Node built-ins, size), its pure
// enrollment logic against a real CA (key, CSR, submission, PFX), the result-page parser on
// fragments that follow the certsrv reference markers (§5.4–5.6, §7, §13), and the bundle
// itself run on a fake page whose fetch answers like certfnsh.asp / certnew.cer / certnew.p7b.

import { resolveObjectURL } from 'node:buffer';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runInThisContext } from 'node:vm';
import {
  createCertsOnlyPkcs7,
  decodePem,
  importPrivateKey,
  parseCsr,
  readPkcs12,
  subjectAltName,
} from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RequestResult } from '../src/authority.js';
import {
  buildCsr,
  buildPfx,
  buildSubject,
  certfnshBody,
  chainFromP7b,
  dnsNamesOf,
  EnrollInputError,
  encryptedKeyPem,
  formatMessage,
  keySpecFor,
  parseResultPage,
  templateCn,
} from '../src/certsrv/browser/enroll-logic.js';
import { CERTRQMA_KEY_ALGORITHMS, certAttrib } from '../src/certsrv/enroll-form.js';
import { renderCreateRequest, renderError } from '../src/certsrv/pages/index.js';
import { createTestCA, type TestCA } from '../src/test-ca.js';

interface BuiltAsset {
  name: string;
  file: string;
  bytes: number;
}

const scriptUrl = pathToFileURL(resolve(import.meta.dirname, '../../../scripts/build-browser.mjs')).href;

let ca: TestCA;
let outDir: string;
let assets: BuiltAsset[];

beforeAll(async () => {
  ca = await createTestCA();
  outDir = await mkdtemp(join(tmpdir(), 'certlab-browser-'));
  const mod = (await import(scriptUrl)) as { buildBrowserAssets(dir: string): Promise<BuiltAsset[]> };
  assets = await mod.buildBrowserAssets(outDir);
});

afterAll(async () => {
  await ca?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('bundle', () => {
  it('builds certrqma.js without Node built-ins, under 400 KB', async () => {
    expect(assets.map((a) => a.name)).toEqual(['certrqma']);
    const asset = assets[0]!;
    const code = await readFile(asset.file, 'utf8');
    expect(asset.bytes).toBe(Buffer.byteLength(code));
    console.log(`certrqma.js: ${asset.bytes} bytes minified`);
    expect(asset.bytes).toBeLessThan(400 * 1024);
    expect(code).not.toContain('node:');
    expect(code).not.toMatch(/require\(\s*["']/);
    expect(code).not.toMatch(/from\s*["'](?:crypto|fs|path|buffer|os|url|util|stream)["']/);
    expect(code).not.toMatch(/^\s*export\b|[;}]export\{/m);
    // The pieces of the client the page relies on.
    for (const marker of ['certrqmaForm', 'certrqmaMessages', 'certfnsh.asp', 'lnkPfx', 'certnew.pfx'])
      expect(code).toContain(marker);
  });
});

describe('enroll logic', () => {
  it('builds the subject in DER order and validates the country', () => {
    const name = buildSubject({
      commonName: ' web01.contoso.com ',
      email: 'admin@contoso.com',
      organization: 'Contoso',
      organizationalUnit: 'IT',
      locality: 'Paris',
      state: 'IDF',
      country: 'fr',
    });
    expect(name.toWindowsString()).toBe(
      'E=admin@contoso.com, CN=web01.contoso.com, OU=IT, O=Contoso, L=Paris, S=IDF, C=FR',
    );
    expect(buildSubject({ commonName: 'x', organization: '  ' }).toString()).toBe('CN=x');
    expect(() => buildSubject({ country: 'France' })).toThrow(EnrollInputError);
  });

  it('takes the DNS names from the field, else from a host-name CN', () => {
    expect(dnsNamesOf({ dnsNames: 'a.contoso.com, b.contoso.com;a.contoso.com\nc.contoso.com.' })).toEqual([
      'a.contoso.com',
      'b.contoso.com',
      'c.contoso.com',
    ]);
    expect(dnsNamesOf({ commonName: 'web01.contoso.com' })).toEqual(['web01.contoso.com']);
    expect(dnsNamesOf({ commonName: 'Alice Martin' })).toEqual([]);
    expect(dnsNamesOf({ commonName: '10.0.0.1' })).toEqual([]);
    expect(() => dnsNamesOf({ dnsNames: 'bad_name!.contoso.com' })).toThrow(EnrollInputError);
  });

  it('maps the key algorithm and template options', () => {
    expect(keySpecFor('ec-P-384')).toEqual({ type: 'ec', curve: 'P-384' });
    expect(keySpecFor('rsa-2048')).toEqual({ type: 'rsa', bits: 2048 });
    expect(() => keySpecFor('dsa-1024')).toThrow(EnrollInputError);
    // Every algorithm the page offers maps to its own key spec, and a spec handed out is a copy.
    for (const a of CERTRQMA_KEY_ALGORITHMS) expect(keySpecFor(a.value)).toEqual(a.spec);
    const spec = keySpecFor('rsa-2048') as { bits?: number };
    spec.bits = 1024;
    expect(keySpecFor('rsa-2048')).toEqual({ type: 'rsa', bits: 2048 });
    expect(templateCn('O;WebServer;1;0;0;0;1;0;Microsoft RSA SChannel;1.3.6;100;Web Server')).toBe(
      'WebServer',
    );
    expect(templateCn('WebServer_Manual')).toBe('WebServer_Manual');
  });

  it('writes CertAttrib and the certfnsh.asp form like certrqxt.asp', () => {
    expect(certAttrib({ template: 'WebServer', userAgent: 'Mozilla/5.0 (X11)' })).toBe(
      'CertificateTemplate:WebServer\r\nUserAgent:Mozilla/5.0 (X11)\r\n',
    );
    // certrqxt.asp's order: typed lines (CR stripped, trimmed, blanks dropped), template, agent;
    // a CR or LF inside the template or the agent cannot start another attribute.
    expect(
      certAttrib({
        attributes: ' san:dns=a.contoso.com \r\n\r\n\nFoo : bar\r',
        template: 'Web\r\nServer',
        userAgent: 'UA\nsan:dns=evil',
      }),
    ).toBe(
      'san:dns=a.contoso.com\r\nFoo : bar\r\nCertificateTemplate:Web Server\r\nUserAgent:UA san:dns=evil\r\n',
    );
    expect(certAttrib({ template: '', userAgent: '' })).toBe('CertificateTemplate:\r\nUserAgent:\r\n');
    expect(certAttrib({ attributes: '\r\n' })).toBe('');
    const body = certfnshBody('-----BEGIN CERTIFICATE REQUEST-----\nAB+/=\n', 'WebServer', 'UA');
    expect([...body.keys()]).toEqual([
      'Mode',
      'CertRequest',
      'CertAttrib',
      'FriendlyType',
      'ThumbPrint',
      'TargetStoreFlags',
      'SaveCert',
    ]);
    const text = body.toString();
    expect(text).toContain('Mode=newreq&CertRequest=-----BEGIN+CERTIFICATE+REQUEST-----%0AAB%2B%2F%3D%0A');
    expect(text).toContain(
      'FriendlyType=Saved-Request+Certificate&ThumbPrint=&TargetStoreFlags=0&SaveCert=yes',
    );
    // "Store certificate in the local computer certificate store": CERT_SYSTEM_STORE_LOCAL_MACHINE.
    expect(certfnshBody('x', 'WebServer', 'UA', { localMachine: true }).get('TargetStoreFlags')).toBe(
      '131072',
    );
    expect(formatMessage('Request {id}: {message} {x}', { id: 3, message: 'ok' })).toBe('Request 3: ok {x}');
  });

  it('generates a P-256 key and CSR, gets it issued and packs a PFX that reads back', async () => {
    const fields = { commonName: 'web01.contoso.com', organization: 'Contoso', country: 'FR' };
    const { csrPem, privateKey } = await buildCsr(fields, 'ec-P-256');
    expect(privateKey.curve).toBe('P-256');
    const csr = parseCsr(decodePem(csrPem, { label: 'CERTIFICATE REQUEST' })[0]!.bytes);
    expect(csr.subject.toString()).toBe('CN=web01.contoso.com,O=Contoso,C=FR');
    expect(csr.extensions.find((e) => e.oid === '2.5.29.17')?.value).toEqual(
      subjectAltName([{ type: 'dns', value: 'web01.contoso.com' }]).value,
    );

    const r = await ca.submit(csrPem, { template: 'WebServer' });
    expect(r.disposition).toBe('issued');
    const cerDer = r.certificate!.der;
    const p7b = createCertsOnlyPkcs7([cerDer, ca.issuingCertificate, ca.rootCertificate]);
    const chain = chainFromP7b(p7b, cerDer);
    expect(chain).toEqual([ca.issuingCertificate.der, ca.rootCertificate.der]);

    const pfx = await buildPfx(privateKey, cerDer, chain, 'S3cret!', 'web01');
    const back = await readPkcs12(pfx, 'S3cret!');
    expect(back.certificate?.der).toEqual(cerDer);
    expect(back.chain.map((c) => c.subject.get('CN'))).toEqual([
      'Certlab Test Issuing CA',
      'Certlab Test Root CA',
    ]);
    expect(back.friendlyName).toBe('web01');
    expect(back.key?.publicKey.equals(privateKey.publicKey)).toBe(true);
    await expect(buildPfx(privateKey, cerDer, chain, '')).rejects.toThrow(EnrollInputError);
  });

  it('makes an empty-subject request with a critical SAN, and refuses an empty one', async () => {
    const { csrPem } = await buildCsr({ dnsNames: 'only.contoso.com' }, { type: 'ec', curve: 'P-256' });
    const csr = parseCsr(decodePem(csrPem)[0]!.bytes);
    expect(csr.subject.rdns).toHaveLength(0);
    expect(csr.extensions.find((e) => e.oid === '2.5.29.17')?.critical).toBe(true);
    await expect(buildCsr({}, 'ec-P-256')).rejects.toThrow(EnrollInputError);
  });

  it('exports the key of a pending request as an encrypted PKCS #8 PEM', async () => {
    const { privateKey } = await buildCsr({ commonName: 'pending.contoso.com' }, 'ec-P-256');
    const pem = await encryptedKeyPem(privateKey, 'pw');
    expect(pem).toContain('-----BEGIN ENCRYPTED PRIVATE KEY-----');
    const back = await importPrivateKey(pem, { password: 'pw' });
    expect(back.publicKey.equals(privateKey.publicKey)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Result pages: fragments in the shape the reference describes (English and French).

const CRLF = '\r\n';

function issuedText(id: number): string {
  return [
    '<P ID=locPageTitle> <B> Certificate Issued </B>',
    '<P>The certificate you requested was issued to you.',
    `Download certificate: <a href="certnew.cer?ReqID=${id}&amp;Enc=bin">DER Encoded</a> or`,
    `<a href="certnew.cer?ReqID=${id}&amp;Enc=b64">Base 64 encoded</a>`,
    `<div style="display:none"><a href="certnew.cer?ReqID=CACert&amp;Renewal=0&amp;Mode=inst&amp;Enc=b64">x</a></div>`,
  ].join(CRLF);
}

function issuedBrowser(id: number, title = 'Certificate Issued'): string {
  return [
    '<html><head><script>',
    'function handleGetCert() {',
    `    location="certnew.cer?ReqID=${id}&"+getEncoding();`,
    '}',
    'function handleGetChain() {',
    `    location="certnew.p7b?ReqID=${id}&"+getEncoding();`,
    '}',
    '</script></head><body>',
    `<span id="locPageTitle">${title}</span>`,
    '<input type=radio name=rbEncoding id=rbDerEnc checked> DER',
    '<a href="#" id=locDownloadCert3 onclick="handleGetCert();return false;">Download certificate</a>',
    '</body></html>',
  ].join(CRLF);
}

function pendingPage(id: number | string, fr = false): string {
  return [
    `<p id=locPageTitle><b>${fr ? 'Certificat en attente' : 'Certificate Pending'}</b></p>`,
    `<p>${fr ? 'Votre demande de certificat a été reçue.' : 'Your certificate request has been received.'}`,
    `<p><span id="locInfoReqID">${fr ? `Votre ID de demande est ${id}.` : `Your Request Id is ${id}.`}</span>`,
  ].join(CRLF);
}

function deniedPage(id: number | string, message: string, fr = false): string {
  return [
    `<p id=locPageTitle>${fr ? 'Demande de certificat refus&eacute;e' : 'Certificate Request Denied'}</p>`,
    `<p id=locDenied>${fr ? 'Votre demande de certificat a été refusée.' : 'Your certificate request was denied.'}</p>`,
    fr
      ? `<p>Votre ID de demande est ${id}. Le message de disposition est &laquo;&nbsp;${message}&nbsp;&raquo;.`
      : `Your Request Id is ${id}. The disposition message is "${message}".`,
  ].join(CRLF);
}

function errorPage(disposition: string, lastStatus: string): string {
  return [
    '<P ID=locPageTitle> <B> Error </B>',
    '<!-- Advanced info -->',
    '<DL><DD><TABLE>',
    `<TR><TD>Disposition message:</TD><TD>${CRLF}\t\t${disposition}${CRLF}</TD></TR>`,
    `<TR><TD>LastStatus:</TD><TD>${CRLF}\t\t${lastStatus}${CRLF}</TD></TR>`,
    '</TABLE></DL>',
  ].join(CRLF);
}

describe('parseResultPage', () => {
  it('reads the issued page in both variants and any language', () => {
    expect(parseResultPage(issuedText(12))).toEqual({ kind: 'issued', requestId: 12 });
    expect(parseResultPage(issuedBrowser(7))).toEqual({ kind: 'issued', requestId: 7 });
    expect(parseResultPage(issuedBrowser(8, 'Certificat émis'))).toEqual({ kind: 'issued', requestId: 8 });
  });

  it('reads the pending page by locInfoReqID, in English and French', () => {
    expect(parseResultPage(pendingPage(5))).toEqual({ kind: 'pending', requestId: 5 });
    expect(parseResultPage(pendingPage(42, true))).toEqual({ kind: 'pending', requestId: 42 });
    // Without the ids: the English wording.
    expect(
      parseResultPage(
        '<b>Certificate Pending</b> Your certificate request has been received. Your Request Id is 9.',
      ),
    ).toEqual({ kind: 'pending', requestId: 9 });
  });

  it('reads the denied page by locDenied, keeping the message verbatim', () => {
    const msg =
      'Denied by Policy Module  0x80094800, The request was for a certificate template that is not supported by the Active Directory Certificate Services policy: Nope.';
    expect(parseResultPage(deniedPage(3, msg))).toEqual({ kind: 'denied', requestId: 3, message: msg });
    expect(parseResultPage(deniedPage(4, 'Refusé par le module de stratégie', true))).toEqual({
      kind: 'denied',
      requestId: 4,
      message: 'Refusé par le module de stratégie',
    });
    // A denied page that also wraps the request id in locInfoReqID.
    expect(
      parseResultPage(
        '<p id="locDenied">Your certificate request was denied.</p><span id=locInfoReqID>Your Request Id is 6.</span> The disposition message is "Denied by CONTOSO\\admin".',
      ),
    ).toEqual({ kind: 'denied', requestId: 6, message: 'Denied by CONTOSO\\admin' });
    // Without a message: the localized sentence.
    expect(parseResultPage("<p id='locDenied'>Votre demande a été refusée.</p>")).toEqual({
      kind: 'denied',
      message: 'Votre demande a été refusée.',
    });
  });

  it('takes only request ids certsrv can give (1…2^31 − 1), never a rounded number', () => {
    const huge = '123456789012345678901234567890';
    expect(parseResultPage(issuedText(2147483647))).toEqual({ kind: 'issued', requestId: 2147483647 });
    for (const id of [huge, '2147483648', '0']) {
      const issued = parseResultPage(`<a href="certnew.cer?ReqID=${id}&amp;Enc=bin">DER</a>`);
      expect(issued.kind, id).toBe('error');
      const pending = parseResultPage(
        `<b>Certificate Pending</b> Your certificate request has been received. Your Request Id is ${id}.`,
      );
      expect(pending.kind, id).toBe('error');
      expect(parseResultPage(pendingPage(id)).kind, id).toBe('error');
      expect(parseResultPage(deniedPage(id, 'Nope'))).toEqual({ kind: 'denied', message: 'Nope' });
    }
  });

  it('keeps unknown entities named like Object.prototype members as text', () => {
    // Regression: entity names were looked up in a plain object, so "&constructor;" became
    // Object's source text.
    expect(
      parseResultPage(
        '<p id="locDenied">Your certificate request was denied.</p> The disposition message is "Denied: &constructor; &Constructor; &amp;".',
      ),
    ).toEqual({ kind: 'denied', message: 'Denied: &constructor; &Constructor; &' });
    expect(parseResultPage('<p id=locPageTitle>&constructor; &lt;x&gt;</p>')).toEqual({
      kind: 'error',
      message: '&constructor; <x>',
    });
  });

  it('reads the error page items, else says the page was unexpected', () => {
    expect(
      parseResultPage(
        errorPage(
          '(none)',
          'The requested property value is empty. 0x80094004 (-2146877436 CERTSRV_E_PROPERTY_EMPTY)',
        ),
      ),
    ).toEqual({
      kind: 'error',
      message:
        '(none) — The requested property value is empty. 0x80094004 (-2146877436 CERTSRV_E_PROPERTY_EMPTY)',
    });
    expect(parseResultPage('<html><body>Server Error</body></html>')).toEqual({
      kind: 'error',
      message: 'The server returned an unexpected page.',
    });
    expect(parseResultPage('<p id=locPageTitle>Erreur</p>')).toEqual({ kind: 'error', message: 'Erreur' });
  });

  it('reads the real error page by its item ids, in English and French alike', () => {
    const details = {
      requestMode: 'newreq - New Request',
      disposition: '(never set)',
      dispositionMessage: 'Denied X',
      result: 'The parameter is incorrect. 0x80070057 (WIN32: 87 ERROR_INVALID_PARAMETER)',
      lastStatus: 'The parameter is incorrect. 0x80070057 (WIN32: 87 ERROR_INVALID_PARAMETER)',
    };
    for (const lang of ['en', 'fr'] as const) {
      const ctx = {
        lang,
        variant: 'browser',
        caName: 'Contoso CA',
        secure: true,
        basePath: '/certsrv/',
      } as const;
      expect(parseResultPage(renderError(ctx, details)), lang).toEqual({
        kind: 'error',
        message: `Denied X — ${details.lastStatus}`,
      });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The bundle on a fake page.

class FakeElement {
  id = '';
  textContent: string | null = '';
  value = '';
  checked = false;
  disabled = false;
  href = '';
  download = '';
  children: FakeElement[] = [];
  readonly listeners = new Map<string, ((e: { preventDefault(): void }) => void)[]>();
  constructor(readonly tagName: string) {}
  append(...nodes: FakeElement[]) {
    this.children.push(...nodes);
  }
  replaceChildren(...nodes: FakeElement[]) {
    this.children = [...nodes];
  }
  addEventListener(type: string, fn: (e: { preventDefault(): void }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  get innerHTML(): string {
    throw new Error('the client must not use innerHTML');
  }
  set innerHTML(_v: string) {
    throw new Error('the client must not use innerHTML');
  }
  /** Every element below this one, depth first. */
  all(): FakeElement[] {
    return this.children.flatMap((c) => [c, ...c.all()]);
  }
  text(): string {
    return [this.textContent ?? '', ...this.children.map((c) => c.text())].join(' ').trim();
  }
}
class FakeInput extends FakeElement {}
class FakeSelect extends FakeElement {}
class FakeTextArea extends FakeElement {}
class FakeButton extends FakeElement {}
class FakeForm extends FakeElement {}

interface FakePage {
  byId: Map<string, FakeElement>;
  submit(): Promise<FakeElement>;
  posts: URLSearchParams[];
}

/** Loads the bundle into a fake certrqma.asp page whose fetch answers through `answer`. */
function fakePage(
  code: string,
  values: Record<string, string>,
  answer: (req: URLSearchParams) => Promise<RequestResult>,
  messagesJson = JSON.stringify({
    issued: 'Certificat émis ({id}).',
    pending: 'Demande {id} en attente.',
    denied: 'Refusé : {message}',
    downloadPfx: 'Télécharger le .pfx',
  }),
): FakePage {
  const byId = new Map<string, FakeElement>();
  const add = <T extends FakeElement>(el: T, id: string): T => {
    el.id = id;
    byId.set(id, el);
    return el;
  };
  const form = add(new FakeForm('form'), 'certrqmaForm');
  add(new FakeElement('script'), 'certrqmaMessages').textContent = messagesJson;
  for (const id of ['lbCertTemplateID', 'lbKeyAlgorithm']) add(new FakeSelect('select'), id);
  for (const id of ['tbName', 'tbEmail', 'tbCompany', 'tbDepartment', 'tbCity', 'tbState', 'tbCountry'])
    add(new FakeInput('input'), id);
  add(new FakeTextArea('textarea'), 'tbDnsNames');
  for (const id of ['tbPfxPassword', 'tbFriendlyName', 'cbLocalMachineStore'])
    add(new FakeInput('input'), id);
  const button = add(new FakeButton('button'), 'btnSubmit');
  add(new FakeElement('div'), 'divStatus');
  const result = add(new FakeElement('div'), 'divResult');
  for (const [id, v] of Object.entries(values))
    if (id.startsWith('cb')) byId.get(id)!.checked = v === 'checked';
    else byId.get(id)!.value = v;

  const posts: URLSearchParams[] = [];
  const results = new Map<number, RequestResult>();
  const html = (body: string) =>
    new Response(body, { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
  const fetchStub = async (url: string, init?: RequestInit) => {
    expect(init?.credentials ?? 'same-origin').toBe('same-origin');
    if (url === 'certfnsh.asp') {
      expect(init?.method).toBe('POST');
      expect((init?.headers as Record<string, string> | undefined)?.['Content-Type']).toBe(
        'application/x-www-form-urlencoded',
      );
      const req = new URLSearchParams(String(init?.body));
      posts.push(req);
      const r = await answer(req);
      results.set(r.requestId, r);
      if (r.disposition === 'issued') return html(issuedBrowser(r.requestId));
      if (r.disposition === 'pending') return html(pendingPage(r.requestId));
      return html(deniedPage(r.requestId, r.message));
    }
    const m = /^certnew\.(cer|p7b)\?ReqID=(\d+)&Enc=bin$/.exec(url);
    const r = m ? results.get(Number(m[2])) : undefined;
    if (!m || !r?.certificate) return html(errorPage('(none)', 'not found'));
    return m[1] === 'cer'
      ? new Response(r.certificate.der.slice(), { headers: { 'Content-Type': 'application/pkix-cert' } })
      : new Response(
          createCertsOnlyPkcs7([r.certificate, ca.issuingCertificate, ca.rootCertificate]).slice(),
          {
            headers: { 'Content-Type': 'application/x-pkcs7-certificates' },
          },
        );
  };

  vi.stubGlobal('HTMLInputElement', FakeInput);
  vi.stubGlobal('HTMLSelectElement', FakeSelect);
  vi.stubGlobal('HTMLTextAreaElement', FakeTextArea);
  vi.stubGlobal('HTMLButtonElement', FakeButton);
  vi.stubGlobal('HTMLFormElement', FakeForm);
  vi.stubGlobal('navigator', { userAgent: 'Mozilla/5.0 (certlab test)' });
  vi.stubGlobal('fetch', fetchStub);
  vi.stubGlobal('document', {
    readyState: 'complete',
    getElementById: (id: string) => byId.get(id) ?? null,
    createElement: (tag: string) => new FakeElement(tag),
    addEventListener: () => {},
  });
  runInThisContext(code);
  expect(form.listeners.get('submit')).toHaveLength(1);

  return {
    byId,
    posts,
    async submit() {
      let prevented = false;
      for (const fn of form.listeners.get('submit') ?? [])
        fn({
          preventDefault: () => {
            prevented = true;
          },
        });
      expect(prevented).toBe(true);
      await vi.waitFor(
        () => {
          expect(button.disabled).toBe(false);
          expect(result.children.length).toBeGreaterThan(0);
        },
        { timeout: 30_000, interval: 20 },
      );
      return result;
    },
  };
}

async function blobBytes(url: string): Promise<Uint8Array> {
  const blob = resolveObjectURL(url);
  if (!blob) throw new Error(`no blob for ${url}`);
  return new Uint8Array(await blob.arrayBuffer());
}

describe('certrqma.js on a fake page', () => {
  let code: string;
  beforeAll(async () => {
    code = await readFile(assets[0]!.file, 'utf8');
  });
  afterAll(() => {
    vi.unstubAllGlobals();
  });

  it('issued: posts the certrqxt fields and offers certnew.pfx with the chain', async () => {
    const page = fakePage(
      code,
      {
        lbCertTemplateID: 'O;WebServer;1;0;Web Server',
        lbKeyAlgorithm: 'ec-P-256',
        tbName: 'web02.contoso.com',
        tbCompany: 'Contoso',
        tbCountry: 'FR',
        tbDnsNames: 'web02.contoso.com, www.contoso.com',
        tbPfxPassword: 'pfx-pass',
        tbFriendlyName: 'web02',
      },
      (req) => ca.submit(req.get('CertRequest')!, { attributes: req.get('CertAttrib')! }),
    );
    const result = await page.submit();
    const post = page.posts[0]!;
    expect(post.get('Mode')).toBe('newreq');
    expect(post.get('CertAttrib')).toBe(
      'CertificateTemplate:WebServer\r\nUserAgent:Mozilla/5.0 (certlab test)\r\n',
    );
    expect(post.get('FriendlyType')).toBe('Saved-Request Certificate');
    expect(post.get('SaveCert')).toBe('yes');
    expect(post.get('TargetStoreFlags')).toBe('0');
    expect(post.get('CertRequest')).toContain('-----BEGIN CERTIFICATE REQUEST-----');
    expect(result.text()).toContain('(CurrentUser\\My)');

    const link = result.all().find((e) => e.id === 'lnkPfx')!;
    expect(link.download).toBe('certnew.pfx');
    expect(link.textContent).toBe('Télécharger le .pfx');
    expect(result.text()).toMatch(/^Certificat émis \(\d+\)\./);
    const pfx = await readPkcs12(await blobBytes(link.href), 'pfx-pass');
    expect(pfx.certificate?.subject.toString()).toBe('CN=web02.contoso.com,O=Contoso,C=FR');
    expect(pfx.chain).toHaveLength(2);
    expect(pfx.friendlyName).toBe('web02');
  });

  it('with "Store certificate in the local computer certificate store" ticked: TargetStoreFlags and the machine store', async () => {
    const page = fakePage(
      code,
      {
        lbCertTemplateID: 'O;WebServer;1;0;Web Server',
        lbKeyAlgorithm: 'ec-P-256',
        tbName: 'ex01.contoso.com',
        tbPfxPassword: 'pfx-pass',
        cbLocalMachineStore: 'checked',
      },
      (req) => ca.submit(req.get('CertRequest')!, { attributes: req.get('CertAttrib')! }),
    );
    const result = await page.submit();
    expect(page.posts[0]!.get('TargetStoreFlags')).toBe('131072');
    expect(result.text()).toContain('(LocalMachine\\My)');
    expect(result.all().find((e) => e.id === 'lnkPfx')).toBeDefined();
  });

  it('pending: offers the encrypted key; denied: shows the message as text', async () => {
    const values = {
      lbCertTemplateID: 'O;WebServer_Manual;1;0;Web Server (manual)',
      lbKeyAlgorithm: 'ec-P-384',
      tbName: 'manual.contoso.com',
      tbPfxPassword: 'key-pass',
    };
    const submitter = (req: URLSearchParams) =>
      ca.submit(req.get('CertRequest')!, { attributes: req.get('CertAttrib')! });
    const pending = await fakePage(code, values, submitter).submit();
    const key = pending.all().find((e) => e.id === 'lnkKey')!;
    expect(key.download).toMatch(/^request-\d+\.key$/);
    expect(pending.text()).toMatch(/^Demande \d+ en attente\./);
    const pem = new TextDecoder().decode(await blobBytes(key.href));
    expect((await importPrivateKey(pem, { password: 'key-pass' })).curve).toBe('P-384');

    const denied = await fakePage(
      code,
      { ...values, lbCertTemplateID: 'O;<b>NoSuchTemplate</b>;1;0;x' },
      submitter,
    ).submit();
    expect(denied.text()).toMatch(
      /^Refusé : Denied by Policy Module {2}0x80094800, .*<b>NoSuchTemplate<\/b>/,
    );
    expect(denied.all().some((e) => e.tagName === 'a')).toBe(false);
  });

  it('requires a password before generating anything', async () => {
    const page = fakePage(code, { tbName: 'x.contoso.com', lbKeyAlgorithm: 'ec-P-256' }, () => {
      throw new Error('must not submit');
    });
    const result = await page.submit();
    expect(page.posts).toHaveLength(0);
    expect(result.text()).toMatch(/password/i);
  });

  it('says so in the page language: the messages of the real French certrqma.asp', async () => {
    const html = renderCreateRequest(
      { lang: 'fr', variant: 'browser', caName: 'Contoso CA', secure: true, basePath: '/certsrv/' },
      { templates: [] },
    );
    const json = /<script type="application\/json" id="certrqmaMessages">(.*?)<\/script>/.exec(html)?.[1];
    const page = fakePage(
      code,
      { tbName: 'x.contoso.com', lbKeyAlgorithm: 'ec-P-256' },
      () => {
        throw new Error('must not submit');
      },
      json,
    );
    const result = await page.submit();
    expect(page.posts).toHaveLength(0);
    expect(result.text()).toBe('Entrez un mot de passe pour protéger la clé privée.');
  });
});
