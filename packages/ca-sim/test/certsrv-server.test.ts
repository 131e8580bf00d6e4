// End-to-end tests of the certsrv server over loopback with a client written here (fetch, no
// browser): every flow of the reference, the bytes, headers and markers clients rely on.

import { Agent, request as httpRequest } from 'node:http';
import {
  createCsr,
  generateKeyPair,
  Name,
  parseCertificate,
  parseCrl,
  readCertificates,
  readPkcs7Certificates,
  subjectAltName,
} from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CertificationAuthority,
  type CertsrvLogEntry,
  type CertsrvServer,
  STANDARD_TEMPLATES,
  startCertsrv,
  UserDirectory,
} from '../src/index.js';
import { BROWSER, basic, contosoAuthority, GO, submitFields } from './support/certsrv-fixture.js';

let ca: CertificationAuthority;
let server: CertsrvServer;
let users: UserDirectory;
const logs: CertsrvLogEntry[] = [];

const ALICE = basic('alice', 'alice-Passw0rd');
const BOB = basic('CONTOSO\\bob', 'bob-Passw0rd');
const ADMIN = basic('caadmin@contoso.com', 'admin-Passw0rd');

interface Opts {
  auth?: string | null;
  ua?: string;
  headers?: Record<string, string>;
}

function headersOf(o: Opts): Record<string, string> {
  return {
    'user-agent': o.ua ?? GO,
    ...(o.auth === null ? {} : { authorization: o.auth ?? ALICE }),
    ...o.headers,
  };
}

function get(path: string, o: Opts = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, { headers: headersOf(o), redirect: 'manual' });
}

function post(path: string, body: string | Record<string, string>, o: Opts = {}): Promise<Response> {
  const text = typeof body === 'string' ? body : new URLSearchParams(body).toString();
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { ...headersOf(o), 'content-type': 'application/x-www-form-urlencoded' },
    body: text,
    redirect: 'manual',
  });
}

async function csrPem(
  cn = 'exch01.contoso.com',
  dns: string[] = [cn],
): Promise<{ pem: string; spki: Uint8Array }> {
  const { privateKey, publicKey } = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  const csr = await createCsr({
    subject: Name.from([{ CN: cn }]),
    privateKey,
    extensions: [subjectAltName(dns.map((value) => ({ type: 'dns' as const, value })))],
  });
  return { pem: csr.toPem(), spki: publicKey.spki };
}

function requestIdOf(html: string): number {
  const m = /certnew\.cer\?ReqID=(\d+)&/.exec(html) ?? /Your Request Id is (\d+)/.exec(html);
  if (!m) throw new Error(`no request id in ${html.slice(0, 2000)}`);
  return Number(m[1]);
}

beforeAll(async () => {
  ca = await contosoAuthority('Contoso Issuing CA');
  users = new UserDirectory('CONTOSO');
  await users.add('alice', 'alice-Passw0rd');
  await users.add('bob', 'bob-Passw0rd');
  await users.add('caadmin', 'admin-Passw0rd', { admin: true });
  await users.add('carol', 'carol-Passw0rd', {
    directory: {
      dn: 'CN=Carol,CN=Users,DC=contoso,DC=com',
      upn: 'carol@contoso.com',
      email: 'carol@contoso.com',
    },
  });
  server = await startCertsrv({
    ca,
    users,
    crlSchedule: false,
    log: (e) => logs.push(e),
    // No HTTPS listener here: only where certrqma.asp over HTTP sends the browser.
    httpsUrl: 'https://127.0.0.1:8443',
  });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await ca?.close();
});

describe('authentication (reference §2.1)', () => {
  it('answers 401 Unauthorized with one Basic challenge and the IIS page', async () => {
    const r = await get('/certsrv/', { auth: null });
    expect(r.status).toBe(401);
    expect(r.statusText).toBe('Unauthorized');
    expect(r.headers.get('www-authenticate')).toBe('Basic realm="pki.contoso.com"');
    expect(r.headers.get('content-type')).toBe('text/html');
    expect(await r.text()).toContain('Unauthorized: Access is denied due to invalid credentials.');
  });

  it('refuses a wrong password and an unknown user the same way', async () => {
    for (const auth of [
      basic('alice', 'wrong'),
      basic('mallory', 'alice-Passw0rd'),
      'Basic !!!',
      'Bearer x',
    ]) {
      const r = await get('/certsrv/', { auth });
      expect(r.status).toBe(401);
    }
  });

  it('accepts pre-emptive Basic with DOMAIN\\user, user@domain and bare names', async () => {
    for (const auth of [
      ALICE,
      basic('CONTOSO\\alice', 'alice-Passw0rd'),
      basic('alice@contoso.com', 'alice-Passw0rd'),
    ])
      expect((await get('/certsrv/', { auth })).status).toBe(200);
  });

  it('follows account changes at once: a removed account, an old password, a lost admin right', async () => {
    const DAVE = basic('dave', 'dave-Passw0rd');
    await users.add('dave', 'dave-Passw0rd', { admin: true });
    expect((await get('/certsrv/', { auth: DAVE })).status).toBe(200); // now in the credential cache
    expect((await get('/certsrv/admin/', { auth: DAVE })).status).toBe(200);
    await users.update('dave', { admin: false });
    expect((await get('/certsrv/admin/', { auth: DAVE })).status).toBe(403);
    await users.update('dave', { password: 'dave-N3w' });
    expect((await get('/certsrv/', { auth: DAVE })).status).toBe(401);
    expect((await get('/certsrv/', { auth: basic('dave', 'dave-N3w') })).status).toBe(200);
    users.remove('dave');
    expect((await get('/certsrv/', { auth: basic('dave', 'dave-N3w') })).status).toBe(401);
    expect((await get('/certsrv/', { auth: ALICE })).status).toBe(200); // others keep working
  });

  it('checks credentials before the /certsrv courtesy redirect, which is absolute', async () => {
    expect((await get('/certsrv', { auth: null })).status).toBe(401);
    const r = await get('/certsrv');
    expect(r.status).toBe(301);
    expect(r.headers.get('location')).toBe(`${server.url}/certsrv/`);
  });
});

describe('navigation pages (reference §1, §4)', () => {
  it('serves / and default.asp with IIS headers, a session cookie and no charset', async () => {
    for (const path of [
      '/certsrv/',
      '/certsrv/default.asp',
      '/CertSrv/Default.ASP',
      '/certsrv//default.asp',
    ]) {
      const r = await get(path);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type')).toBe('text/html');
      expect(r.headers.get('server')).toBe('Microsoft-IIS/10.0');
      expect(r.headers.get('x-powered-by')).toBe('ASP.NET');
      expect(r.headers.get('cache-control')).toBe('private');
      expect(r.headers.get('set-cookie')).toMatch(/^ASPSESSIONID[A-Z]{8}=[A-Z]{24}; path=\//);
      const html = await r.text();
      expect(html).toContain('<title>Microsoft Active Directory Certificate Services</title>');
      expect(html).toContain('Contoso Issuing CA');
      expect(html).not.toMatch(/[^\r]\n/);
    }
  });

  it('starts an ASP session only on ASP answers: not on IIS’s 401, static files, 404s or /health', async () => {
    const asp = await get('/certsrv/certrqxt.asp');
    expect(asp.headers.get('set-cookie')).toMatch(/^ASPSESSIONID[A-Z]{8}=[A-Z]{24}; path=\//);
    // A client that sends its session back gets no new one.
    const again = await get('/certsrv/', {
      headers: { cookie: asp.headers.get('set-cookie')!.split(';')[0]! },
    });
    expect(again.status).toBe(200);
    expect(again.headers.get('set-cookie')).toBeNull();
    for (const [path, auth, status] of [
      ['/certsrv/', null, 401],
      ['/certsrv/', basic('alice', 'wrong'), 401],
      ['/CertEnroll/Contoso%20Issuing%20CA.crl', null, 200],
      ['/CertEnroll/', null, 403],
      ['/nothing-here', null, 404],
      ['/certsrv/nothing.asp', undefined, 404],
      // The in-browser enrollment script is a static file, not an ASP page.
      ['/certsrv/assets/certrqma.js', undefined, 200],
      ['/certsrv/?Lang=fr', null, 401],
      ['/health', null, 200],
    ] as const) {
      const r = await get(path, { auth });
      expect(r.status, path).toBe(status);
      expect(r.headers.get('set-cookie'), path).toBeNull();
      expect(r.headers.get('cache-control'), path).toBeNull();
      expect(r.headers.get('server'), path).toBe('Microsoft-IIS/10.0');
    }
  });

  it('links the request page by variant: certrqus.asp for browsers, certrqxt.asp for scripts', async () => {
    expect(await (await get('/certsrv/', { ua: BROWSER })).text()).toContain('certrqus.asp');
    expect(await (await get('/certsrv/', { ua: GO })).text()).toContain('certrqxt.asp');
  });

  it('lists the templates on certrqxt.asp with the cn in field 1 of the option value', async () => {
    const html = await (await get('/certsrv/certrqxt.asp')).text();
    expect(html).toContain('id="lbCertTemplateID"');
    const values = [...html.matchAll(/<option[^>]*value="([^"]*)"/gi)].map((m) => m[1]!.split(';')[1]);
    expect(values).toContain('WebServer');
  });

  it('lists Web Server only to members of the groups its ACL names, and denies the others 0x80094012', async () => {
    expect(STANDARD_TEMPLATES.map((t) => t.name)).toContain('User');
    const acl = await contosoAuthority('Contoso ACL CA', {
      templates: STANDARD_TEMPLATES.map((t) =>
        t.name === 'WebServer' || t.name === 'User'
          ? { ...t, enroll: ['CONTOSO\\Domain Admins', 'CONTOSO\\Enterprise Admins'] }
          : t,
      ),
    });
    const dir = new UserDirectory('CONTOSO');
    await dir.add('alice', 'alice-Passw0rd');
    await dir.add('exchadmin', 'exch-Passw0rd', { directory: { groups: ['CONTOSO\\Domain Admins'] } });
    const site = await startCertsrv({ ca: acl, users: dir, crlSchedule: false });
    try {
      const templatesOf = async (auth: string) =>
        [
          ...(
            await (
              await fetch(`${site.url}/certsrv/certrqxt.asp`, {
                headers: { authorization: auth, 'user-agent': GO },
              })
            ).text()
          ).matchAll(/<option[^>]*value="([^"]*)"/gi),
        ].map((m) => m[1]!.split(';')[1]);
      expect(await templatesOf(basic('alice', 'alice-Passw0rd'))).not.toContain('WebServer');
      expect(await templatesOf(basic('exchadmin', 'exch-Passw0rd'))).toContain('WebServer');
      // Without the User template, a browser's "Request a certificate" leads to the advanced
      // request page (reference §3); scripts still go to certrqxt.asp.
      const homeLink = async (auth: string, ua: string) =>
        /href="(certrq[a-z]+\.asp)" id="locRequestCert"/.exec(
          await (
            await fetch(`${site.url}/certsrv/`, { headers: { authorization: auth, 'user-agent': ua } })
          ).text(),
        )?.[1];
      expect(await homeLink(basic('alice', 'alice-Passw0rd'), BROWSER)).toBe('certrqad.asp');
      expect(await homeLink(basic('exchadmin', 'exch-Passw0rd'), BROWSER)).toBe('certrqus.asp');
      expect(await homeLink(basic('alice', 'alice-Passw0rd'), GO)).toBe('certrqxt.asp');
      const submitAs = async (auth: string) =>
        (
          await fetch(`${site.url}/certsrv/certfnsh.asp`, {
            method: 'POST',
            headers: {
              authorization: auth,
              'user-agent': GO,
              'content-type': 'application/x-www-form-urlencoded',
            },
            body: new URLSearchParams(submitFields((await csrPem()).pem, 'WebServer')).toString(),
          })
        ).text();
      const deniedPage = await submitAs(basic('alice', 'alice-Passw0rd'));
      expect(deniedPage).toContain('The disposition message is "Denied by Policy Module"');
      const id = Number(/Your Request Id is (\d+)/.exec(deniedPage)?.[1]);
      expect((await acl.retrieve(id)).hresult).toBe(0x80094012);
      expect(await submitAs(basic('exchadmin', 'exch-Passw0rd'))).toMatch(/certnew\.cer\?ReqID=\d+&/);
    } finally {
      await site.close();
      await acl.close();
    }
  });

  it('serves every navigation page', async () => {
    for (const p of ['certrqus.asp', 'certrqad.asp', 'certrqma.asp', 'certckpn.asp', 'certcarc.asp'])
      expect((await get(`/certsrv/${p}`, { ua: BROWSER })).status, p).toBe(200);
  });

  it('answers 404 for unknown files and keeps traversal inside the site', async () => {
    expect((await get('/certsrv/nothing.asp')).status).toBe(404);
    expect((await get('/certsrv/../../etc/passwd')).status).not.toBe(200);
    expect((await get('/certsrv/%2e%2e/%2e%2e/etc/passwd')).status).not.toBe(200);
    expect((await get('/CertEnroll/..%2f..%2fca.json', { auth: null })).status).not.toBe(200);
  });

  it('speaks French from Accept-Language and from the Lang switch (cookie)', async () => {
    const fr = await (
      await get('/certsrv/', { headers: { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5' } })
    ).text();
    expect(fr).toContain('lang="fr"');
    expect(fr).toContain('Bienvenue');
    const r = await get('/certsrv/?Lang=fr');
    expect(r.headers.get('set-cookie')).toContain('CertsrvLang=fr');
    expect(await r.text()).toContain('Bienvenue');
    const again = await get('/certsrv/', { headers: { cookie: 'CertsrvLang=fr' } });
    expect(await again.text()).toContain('Bienvenue');
  });

  it('certrqma.asp over HTTP links to HTTPS on the host name the browser used', async () => {
    const port = Number(new URL(server.url).port);
    const page = (host: string) =>
      new Promise<string>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            path: '/certsrv/certrqma.asp',
            headers: { host, authorization: ALICE, 'user-agent': BROWSER },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (text += c));
            res.on('end', () => resolve(text));
          },
        );
        req.on('error', reject);
        req.end();
      });
    const link = (html: string) => /<a href="([^"]*)" id="lnkHttps"/.exec(html)?.[1];
    expect(link(await page(`localhost:${port}`))).toBe('https://localhost:8443/certsrv/certrqma.asp');
    expect(link(await page(`[::1]:${port}`))).toBe('https://[::1]:8443/certsrv/certrqma.asp');
    // A Host header that is not a plain host name: the configured URL.
    expect(link(await page('a@b'))).toBe('https://127.0.0.1:8443/certsrv/certrqma.asp');
    expect(link(await page('x/y'))).toBe('https://127.0.0.1:8443/certsrv/certrqma.asp');
  });

  it('answers /health anonymously', async () => {
    const r = await get('/health', { auth: null });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: 'ok' });
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const other = await fetch(`${server.url}/health`, { method });
      expect(other.status, method).toBe(405);
      expect(other.headers.get('allow'), method).toBe('GET, HEAD');
    }
    const get405 = await get('/certsrv/admin/action', { auth: ADMIN });
    expect(get405.status).toBe(405);
    expect(get405.headers.get('allow')).toBe('POST');
  });
});

describe('CA certificate, chain and CRL downloads (reference §6)', () => {
  it('certcarc.asp declares nRenewals', async () => {
    expect(await (await get('/certsrv/certcarc.asp')).text()).toContain('var nRenewals=0;');
  });

  it('certnew.cer?ReqID=CACert: DER with Enc=bin, Base64 with CRLF otherwise', async () => {
    const der = await get('/certsrv/certnew.cer?ReqID=CACert&Renewal=0&Enc=bin');
    expect(der.headers.get('content-type')).toBe('application/pkix-cert');
    expect(der.headers.get('content-disposition')).toBeNull();
    expect(new Uint8Array(await der.arrayBuffer())).toEqual(ca.certificate.der);
    for (const q of [
      'ReqID=CACert&Renewal=0&Enc=b64',
      'ReqID=CACert',
      'reqid=cacert&renewal=-1',
      'REQID=CACERT&ENC=B64',
    ]) {
      const text = await (await get(`/certsrv/certnew.cer?${q}`)).text();
      expect(text, q).toMatch(
        /^-----BEGIN CERTIFICATE-----\r\n([A-Za-z0-9+/=]{1,64}\r\n)+-----END CERTIFICATE-----\r\n$/,
      );
      expect(readCertificates(text)[0]!.der).toEqual(ca.certificate.der);
    }
    const bin = await get('/certsrv/certnew.cer?ReqID=CACert&ENC=BIN');
    expect(new Uint8Array(await bin.arrayBuffer())).toEqual(ca.certificate.der);
  });

  it('certnew.p7b?ReqID=CACert: the issuing CA first, then the root; CERTIFICATE label for Base64', async () => {
    const r = await get('/certsrv/certnew.p7b?ReqID=CACert&Renewal=0&Enc=bin');
    expect(r.headers.get('content-type')).toBe('application/x-pkcs7-certificates');
    const certs = readPkcs7Certificates(new Uint8Array(await r.arrayBuffer()));
    expect(certs.map((c) => c.subject.toString())).toEqual([
      ca.certificate.subject.toString(),
      ca.rootCertificate.subject.toString(),
    ]);
    const b64 = await (await get('/certsrv/certnew.p7b?ReqID=CACert&Renewal=0&Enc=b64')).text();
    expect(b64.startsWith('-----BEGIN CERTIFICATE-----\r\n')).toBe(true);
  });

  it('an out-of-range renewal is the error page, 200', async () => {
    const r = await get('/certsrv/certnew.cer?ReqID=CACert&Renewal=7&Enc=bin');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html');
    expect(await r.text()).toMatch(/LastStatus:[^\t]+\t\t([^\r\n]+)/);
  });

  it('certcrl.crl: base and delta, DER and Base64', async () => {
    const base = await get('/certsrv/certcrl.crl?Type=base&Renewal=0&Enc=bin');
    expect(base.headers.get('content-type')).toBe('application/pkix-crl');
    const crl = parseCrl(new Uint8Array(await base.arrayBuffer()));
    expect(crl.issuer.toString()).toBe(ca.certificate.subject.toString());
    const delta = parseCrl(
      new Uint8Array(await (await get('/certsrv/certcrl.crl?Type=delta&Enc=bin')).arrayBuffer()),
    );
    expect(delta.isDelta).toBe(true);
    const pem = await (await get('/certsrv/certcrl.crl?Type=base')).text();
    expect(pem.startsWith('-----BEGIN X509 CRL-----\r\n')).toBe(true);
  });

  it('/CertEnroll/ serves the CDP and AIA files anonymously, with IIS MIME types', async () => {
    const cdp = ca.certificate.getExtension('2.5.29.31');
    expect(cdp).toBeDefined();
    const crt = await get(`/CertEnroll/${encodeURIComponent('pki.contoso.com_Contoso Issuing CA.crt')}`, {
      auth: null,
    });
    expect(crt.status).toBe(200);
    expect(crt.headers.get('content-type')).toBe('application/x-x509-ca-cert');
    expect(new Uint8Array(await crt.arrayBuffer())).toEqual(ca.certificate.der);
    const crl = await get('/CertEnroll/Contoso%20Issuing%20CA.crl', { auth: null });
    expect(crl.status).toBe(200);
    expect(crl.headers.get('content-type')).toBe('application/pkix-crl');
    const delta = await get('/CertEnroll/Contoso%20Issuing%20CA+.crl', { auth: null });
    expect(delta.status).toBe(200);
    const root = await get('/CertEnroll/Contoso%20Root%20CA.crl', { auth: null });
    expect(root.status).toBe(200);
    expect((await get('/CertEnroll/missing.crl', { auth: null })).status).toBe(404);
    // Another verb: 405 on a file that exists (IIS's static file handler), 404 on one that does not.
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const r = await fetch(`${server.url}/CertEnroll/Contoso%20Issuing%20CA.crl`, { method });
      expect(r.status, method).toBe(405);
      expect(r.headers.get('allow'), method).toBe('GET, HEAD');
      const missing = await fetch(`${server.url}/CertEnroll/missing.crl`, { method });
      expect(missing.status, method).toBe(404);
    }
    const head = await fetch(`${server.url}/CertEnroll/Contoso%20Issuing%20CA.crl`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('/CertEnroll itself is not listed (IIS 403.14 without directory browsing), and the slash-less name redirects', async () => {
    for (const path of ['/CertEnroll/', '/certenroll/', '/CERTENROLL/']) {
      const r = await get(path, { auth: null });
      expect(r.status, path).toBe(403);
      expect(r.headers.get('www-authenticate'), path).toBeNull();
      const html = await r.text();
      expect(html, path).toContain('403 - Forbidden: Access is denied.');
      // No file name of the folder leaks through the refusal.
      expect(html, path).not.toMatch(/\.crl|\.crt/);
    }
    for (const path of ['/CertEnroll', '/certenroll']) {
      const r = await get(path, { auth: null });
      expect(r.status, path).toBe(301);
      expect(r.headers.get('location'), path).toBe(`${server.url}/CertEnroll/`);
    }
  });
});

describe('certfnsh.asp submissions (reference §5)', () => {
  it('issues a Web Server certificate: text variant links, then the certificate and chain downloads', async () => {
    const { pem, spki } = await csrPem();
    const r = await post('/certsrv/certfnsh.asp', submitFields(pem));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html');
    const html = await r.text();
    expect(html).toContain('Certificate Issued');
    expect(html).toContain('The certificate you requested was issued to you.');
    // No language links on a POST's answer: following one would GET certfnsh.asp (an error page).
    expect(html).not.toContain('id="lnkLangFr"');
    expect(html).toMatch(/<span id="spnUser">[^<]*<\/span>\r\n<\/div>/);
    expect(await (await get('/certsrv/')).text()).toContain('id="lnkLangFr"');
    const id = requestIdOf(html);
    expect(html).toContain(`certnew.cer?ReqID=${id}&amp;Enc=b64`);
    expect(html).toContain(`certnew.cer?ReqID=${id}&amp;Enc=bin`);
    expect(html).toContain(`certnew.p7b?ReqID=${id}&amp;Enc=b64`);
    const certPem = await (await get(`/certsrv/certnew.cer?ReqID=${id}&Enc=b64`)).text();
    const cert = readCertificates(certPem)[0]!;
    expect(cert.subjectPublicKeyInfo).toEqual(spki);
    expect(cert.subject.toString()).toBe('CN=exch01.contoso.com');
    const chain = readPkcs7Certificates(
      new Uint8Array(await (await get(`/certsrv/certnew.p7b?ReqID=${id}&Enc=bin`)).arrayBuffer()),
    );
    expect(chain.map((c) => c.subject.toString())).toEqual([
      'CN=exch01.contoso.com',
      ca.certificate.subject.toString(),
      ca.rootCertificate.subject.toString(),
    ]);
    const stored = await ca.retrieve(id);
    expect(stored.requester?.name).toBe('CONTOSO\\alice');
  });

  it('browser variant: radio buttons and the script that builds the download URL', async () => {
    const { pem } = await csrPem('web01.contoso.com');
    const html = await (await post('/certsrv/certfnsh.asp', submitFields(pem), { ua: BROWSER })).text();
    const id = requestIdOf(html);
    expect(html).toContain(`location="certnew.cer?ReqID=${id}&"+getEncoding();`);
    expect(html).toContain(`certnew.p7b?ReqID=${id}&"+getEncoding`);
    expect(html).toContain('id="rbDerEnc"');
    expect(html).toContain('id="locDownloadCert3"');
  });

  it('decodes forms leniently (one-line PEM, spaces for +, invalid escapes, any case)', async () => {
    const { pem } = await csrPem('lenient.contoso.com');
    const oneLine = pem.replace(/\r?\n/g, '');
    const body = [
      `mode=NewReq`,
      `certrequest=${encodeURIComponent(oneLine).replace(/%2B/g, ' ')}`,
      `CERTATTRIB=${encodeURIComponent('CertificateTemplate:WebServer\nUserAgent:x')}`,
      'FriendlyType=Saved-Request%2BCertificate',
      'TargetStoreFlags=%!s(int=0)',
      'SaveCert=yes',
    ].join('&');
    const html = await (await post('/certsrv/certfnsh.asp', body)).text();
    expect(html).toContain('Certificate Issued');
  });

  it('accepts the no-script form fields of certrqxt.asp', async () => {
    const { pem } = await csrPem('noscript.contoso.com');
    const html = await (
      await post('/certsrv/certfnsh.asp', {
        Mode: 'newreq',
        taRequest: pem,
        lbCertTemplate: 'O;WebServer;1;…;Web Server',
        taAttrib: '',
        NoScript: '1',
      })
    ).text();
    expect(html).toContain('Certificate Issued');
  });

  it('reads the template from CertAttrib alone, and no request from taRequest, in any other post (§5.1)', async () => {
    const { pem } = await csrPem('fields.contoso.com');
    const before = (await ca.list()).length;
    const denied = await (
      await post('/certsrv/certfnsh.asp', {
        Mode: 'newreq',
        CertRequest: pem,
        lbCertTemplate: 'O;WebServer;1;…;Web Server',
        taAttrib: 'CertificateTemplate:WebServer',
        CertificateTemplate: 'WebServer',
      })
    ).text();
    expect(denied).toContain('Certificate Request Denied');
    expect(denied).toContain('0x80094801');
    const noRequest = await post('/certsrv/certfnsh.asp', {
      Mode: 'newreq',
      taRequest: pem,
      CertAttrib: 'CertificateTemplate:WebServer',
    });
    expect(await noRequest.text()).not.toContain('Certificate Issued');
    // The denial is recorded (policy), the post without a request is not.
    expect((await ca.list()).length).toBe(before + 1);
  });

  it('denies an unsupported template with the policy module message (two spaces before 0x)', async () => {
    const { pem } = await csrPem();
    const html = await (await post('/certsrv/certfnsh.asp', submitFields(pem, 'Web Server'))).text();
    expect(html).toContain('Certificate Request Denied');
    expect(html).toContain('Your certificate request was denied.');
    const m = /The disposition message is "([^"]+)/.exec(html);
    expect(m?.[1]).toMatch(/^Denied by Policy Module {2}0x80094800, .*template that is not supported/);
    expect(html).toMatch(/Your Request Id is \d+\. The disposition message is "[^"]+"\.\r\n/);
  });

  it('denies a request without template with 0x80094801', async () => {
    const { pem } = await csrPem();
    const html = await (await post('/certsrv/certfnsh.asp', { ...submitFields(pem), CertAttrib: '' })).text();
    expect(html).toContain('Certificate Request Denied');
    expect(html).toContain('0x80094801');
  });

  it('records an unparseable request with an id and "Error Parsing Request"', async () => {
    const before = (await ca.list()).length;
    const html = await (await post('/certsrv/certfnsh.asp', submitFields('not a request at all'))).text();
    expect(html).toContain('Certificate Request Denied');
    expect(html).toMatch(/The disposition message is "Error Parsing Request/);
    expect((await ca.list()).length).toBe(before + 1);
  });

  it('an empty request or a bookmarked GET is the error page and leaves no record', async () => {
    const before = (await ca.list()).length;
    const empty = await post('/certsrv/certfnsh.asp', submitFields(''));
    expect(empty.status).toBe(200);
    expect(await empty.text()).toMatch(/Disposition message:[^\t]+\t\t([^\r\n]+)/);
    const bookmarked = await get('/certsrv/certfnsh.asp');
    expect(bookmarked.status).toBe(200);
    expect(await bookmarked.text()).toMatch(/LastStatus:[^\t]+\t\t([^\r\n]+)/);
    const badMode = await post('/certsrv/certfnsh.asp', { Mode: 'other' });
    expect(badMode.status).toBe(200);
    // A GET carrying a whole valid submission in its query is still the bookmark page (§5.3):
    // a link or an image must not enrol in the signed-in user's name.
    const { pem } = await csrPem();
    const viaGet = await get(`/certsrv/certfnsh.asp?${new URLSearchParams(submitFields(pem))}`);
    expect(viaGet.status).toBe(200);
    const page = await viaGet.text();
    expect(page).toContain('cannot be bookmarked');
    expect(page).not.toContain('Certificate Issued');
    expect((await ca.list()).length).toBe(before);
  });

  it('refuses an oversized body with 413 before the CA', async () => {
    const before = (await ca.list()).length;
    const r = await post('/certsrv/certfnsh.asp', `Mode=newreq&CertRequest=${'A'.repeat(300_000)}`);
    expect(r.status).toBe(413);
    expect((await ca.list()).length).toBe(before);
    expect((await get('/certsrv/')).status).toBe(200);
  });
});

describe('pending requests, the console and the Requests cookie (reference §5.5, §9)', () => {
  it('pends a manager-approval request, remembers it, the admin issues it, the user fetches it', async () => {
    const { pem } = await csrPem('manual.contoso.com');
    const r = await post('/certsrv/certfnsh.asp', submitFields(pem, 'WebServer_Manual'));
    const html = await r.text();
    expect(html).toContain('Certificate Pending');
    expect(html).toContain('Your certificate request has been received.');
    const id = requestIdOf(html);
    expect(html).toMatch(new RegExp(`Your Request Id is ${id}\\.`));
    const cookie = r.headers.getSetCookie().find((c) => c.startsWith('Requests='));
    expect(cookie).toBeDefined();
    expect(cookie).toContain('path=/certsrv');
    const requests = cookie!.split(';')[0]!;

    const list = await (await get('/certsrv/certckpn.asp', { headers: { cookie: requests } })).text();
    expect(list).toContain(`value="${id}"`);

    const still = await (await post('/certsrv/certfnsh.asp', { Mode: 'chkpnd', ReqID: String(id) })).text();
    expect(still).toContain('still pending');

    const fetchPending = await (await get(`/certsrv/certnew.cer?ReqID=${id}&Enc=b64`)).text();
    const dm = /Disposition message:[^\t]+\t\t([^\r\n]+)/.exec(fetchPending);
    expect(dm?.[1]).toBe('Taken Under Submission');

    expect((await get('/certsrv/admin/')).status).toBe(403);
    const consolePage = await (await get('/certsrv/admin/?folder=pending', { auth: ADMIN })).text();
    expect(consolePage).toContain(`btnApprove-${id}`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(consolePage)![1]!;
    const forged = await post(
      '/certsrv/admin/action',
      { csrf: 'forged', action: 'approve', ReqID: String(id) },
      { auth: ADMIN },
    );
    expect(forged.status).toBe(303);
    expect((await ca.retrieve(id)).disposition).toBe('pending');
    const approved = await post(
      '/certsrv/admin/action',
      { csrf, action: 'approve', ReqID: String(id), folder: 'pending' },
      { auth: ADMIN },
    );
    expect(approved.status).toBe(303);
    expect(approved.headers.get('location')).toContain('/certsrv/admin/?');
    expect((await ca.retrieve(id)).disposition).toBe('issued');
    expect((await ca.retrieve(id)).message).toContain('CONTOSO\\caadmin');

    const issued = await (await post('/certsrv/certfnsh.asp', { Mode: 'chkpnd', ReqID: String(id) })).text();
    expect(issued).toContain('Certificate Issued');
    const dl = await get(`/certsrv/certnew.cer?ReqID=${id}&Enc=bin`, { headers: { cookie: requests } });
    expect(parseCertificate(new Uint8Array(await dl.arrayBuffer())).subject.toString()).toBe(
      'CN=manual.contoso.com',
    );
    expect(dl.headers.getSetCookie().find((c) => c.startsWith('Requests='))).toMatch(/^Requests=-;/);
  });

  it('the console ignores unknown notices and folders, inherited names included, and echoes $-patterns as text', async () => {
    for (const q of [
      'done=toString',
      'done=constructor',
      'done=__proto__',
      'folder=toString&done=hasOwnProperty',
    ]) {
      const r = await get(`/certsrv/admin/?${q}`, { auth: ADMIN });
      expect(r.status, q).toBe(200);
      expect(await r.text(), q).toContain('id="lnkFolder-pending" aria-current="page"');
    }
    const failed = await (
      await get("/certsrv/admin/?done=failed&message=a%24%26b%24'c", { auth: ADMIN })
    ).text();
    expect(failed).toContain('The action failed: a$&amp;b$&#39;c');
  });

  it('the admin denies and revokes from the console; the CRL lists the serial', async () => {
    const { pem } = await csrPem('deny.contoso.com');
    const pendingId = requestIdOf(
      await (await post('/certsrv/certfnsh.asp', submitFields(pem, 'WebServer_Manual'))).text(),
    );
    const consolePage = await (await get('/certsrv/admin/', { auth: ADMIN })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(consolePage)![1]!;
    await post('/certsrv/admin/action', { csrf, action: 'deny', ReqID: String(pendingId) }, { auth: ADMIN });
    expect((await ca.retrieve(pendingId)).disposition).toBe('denied');
    const denied = await (
      await post('/certsrv/certfnsh.asp', { Mode: 'chkpnd', ReqID: String(pendingId) })
    ).text();
    expect(denied).toContain('Certificate Request Denied');

    const { pem: pem2 } = await csrPem('revoke.contoso.com');
    const id = requestIdOf(await (await post('/certsrv/certfnsh.asp', submitFields(pem2))).text());
    await post(
      '/certsrv/admin/action',
      { csrf, action: 'revoke', ReqID: String(id), reason: 'keyCompromise' },
      { auth: ADMIN },
    );
    expect((await ca.retrieve(id)).disposition).toBe('revoked');
    const published = await post('/certsrv/admin/action', { csrf, action: 'publish-crl' }, { auth: ADMIN });
    expect(published.status).toBe(303);
    const crl = parseCrl(
      new Uint8Array(await (await get('/certsrv/certcrl.crl?Type=base&Enc=bin')).arrayBuffer()),
    );
    const serial = (await ca.retrieve(id)).serialNumber!;
    expect([...crl.entries].some((e) => e.serialNumber === serial)).toBe(true);
    // Publish CRL also publishes a delta over the new base, as the console's "New CRL" does.
    const delta = parseCrl(
      new Uint8Array(await (await get('/certsrv/certcrl.crl?Type=delta&Enc=bin')).arrayBuffer()),
    );
    expect(delta.isDelta).toBe(true);
    expect(delta.deltaCrlIndicator).toBe(crl.crlNumber);
    const back = new URL(published.headers.get('location')!);
    const notice = await (await get(`${back.pathname}${back.search}`, { auth: ADMIN })).text();
    expect(notice).toContain(`Base CRL ${crl.crlNumber} and delta CRL ${delta.crlNumber} were published.`);
  });

  it('the User template builds the subject from what the directory knows of the account', async () => {
    const { pem } = await csrPem('ignored.contoso.com');
    const CAROL = basic('carol', 'carol-Passw0rd');
    const html = await (
      await post('/certsrv/certfnsh.asp', submitFields(pem, 'User'), { auth: CAROL })
    ).text();
    expect(html).toContain('Certificate Issued');
    const cert = (await ca.retrieve(requestIdOf(html))).certificate!;
    expect(cert.subject.toString()).toBe('CN=Carol,CN=Users,DC=contoso,DC=com');
    expect(cert.subjectAltNames).toEqual([
      { type: 'upn', value: 'carol@contoso.com' },
      { type: 'email', value: 'carol@contoso.com' },
    ]);
    // alice has no directory attributes: denied as AD CS denies an account without them.
    const denied = await (await post('/certsrv/certfnsh.asp', submitFields(pem, 'User'))).text();
    expect(denied).toContain('Certificate Request Denied');
  });

  it('another user cannot check or fetch alice\u2019s request', async () => {
    const { pem } = await csrPem('private.contoso.com');
    const id = requestIdOf(await (await post('/certsrv/certfnsh.asp', submitFields(pem))).text());
    const other = await (await get(`/certsrv/certnew.cer?ReqID=${id}&Enc=b64`, { auth: BOB })).text();
    expect(other).not.toContain('BEGIN CERTIFICATE');
    const chk = await (
      await post('/certsrv/certfnsh.asp', { Mode: 'chkpnd', ReqID: String(id) }, { auth: BOB })
    ).text();
    expect(chk).not.toContain('Certificate Issued');
    const admin = await (await get(`/certsrv/certnew.cer?ReqID=${id}&Enc=b64`, { auth: ADMIN })).text();
    expect(admin).toContain('BEGIN CERTIFICATE');
  });

  it('an unknown request id is the error page with both parseable lines', async () => {
    const html = await (await get('/certsrv/certnew.cer?ReqID=999999&Enc=b64')).text();
    expect(/Disposition message:[^\t]+\t\t([^\r\n]+)/.exec(html)).not.toBeNull();
    expect(/LastStatus:[^\t]+\t\t([^\r\n]+)/.exec(html)?.[1]).toContain('0x80094004');
  });

  it('certrmpn.asp forgets a pending entry', async () => {
    const r = await post(
      '/certsrv/certrmpn.asp',
      { Action: 'rmpn', ReqID: '3' },
      { headers: { cookie: 'Requests=[3,0,yes,x]' } },
    );
    expect(r.status).toBe(200);
    expect(r.headers.getSetCookie().find((c) => c.startsWith('Requests='))).toMatch(/^Requests=-;/);
  });
});

describe('logging', () => {
  it('writes one structured record per request without secrets', async () => {
    await get('/certsrv/?x=1', { auth: basic('alice', 'not-the-password') });
    const last = logs.at(-1)!;
    expect(last).toMatchObject({ method: 'GET', path: '/certsrv/', status: 401, event: 'auth-failed' });
    expect(last.bytes).toBeGreaterThan(100);
    expect(JSON.stringify(logs)).not.toContain('alice-Passw0rd');
    expect(JSON.stringify(logs)).not.toContain('not-the-password');
  });
});

describe('graceful shutdown', () => {
  it('answers a request in flight, then lets its keep-alive connection go at once instead of at the end of the grace period', async () => {
    const users = new UserDirectory('CONTOSO');
    await users.add('alice', 'alice-Passw0rd');
    const own = await startCertsrv({ ca, users, crlSchedule: false, shutdownGraceMs: 5_000 });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const { port } = new URL(own.url);
      const body = new URLSearchParams({ Mode: 'newreq', CertRequest: 'x' }).toString();
      // A POST whose body is still coming when close() is called.
      const answered = new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/certsrv/certfnsh.asp',
            agent,
            headers: {
              authorization: ALICE,
              'content-type': 'application/x-www-form-urlencoded',
              'content-length': String(body.length),
            },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection }));
          },
        );
        req.on('error', reject);
        req.write(body.slice(0, 5));
        setTimeout(() => req.end(body.slice(5)), 300);
      });
      await new Promise((r) => setTimeout(r, 100));
      const started = Date.now();
      const closed = own.close();
      const reply = await answered;
      expect(reply.status).toBe(200);
      // Its head was written after close(): it says so.
      expect(reply.connection).toBe('close');
      await closed;
      const ms = Date.now() - started;
      // The body finishes ~200 ms after close(); the connection is then let go within ~50 ms.
      expect(ms).toBeLessThan(2_000);
    } finally {
      agent.destroy();
      await own.close();
    }
  });
});
