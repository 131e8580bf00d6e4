// The certsrv site in a real browser: Debian's Chromium driven by playwright-core clicks through
// the English and the French pages over HTTPS — CA certificate, chain and CRL downloads in each
// encoding, a pasted CSR, a key generated in the browser (certrqma.asp), a pending request the
// administrator approves in the console — then again with JavaScript disabled, since the pages
// must work without it. Screenshots of the main pages go to test/.generated/certsrv-screenshots/
// at the repository root (gitignored).
//
// Trust: the server certificate is issued by the CA under test, and Chromium is told to accept
// exactly its public key (`--ignore-certificate-errors-spki-list`), with ignoreHTTPSErrors left
// false: any other certificate error still fails the navigation.

import { createHash, X509Certificate } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { createServer as createTlsServer, connect as tlsConnect } from 'node:tls';
import { pathToFileURL } from 'node:url';
import {
  createCsr,
  generateKeyPair,
  Name,
  parseCertificate,
  parseCrl,
  readCertificates,
  readPkcs7Certificates,
  readPkcs12,
  subjectAltName,
} from '@certlab/pki';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithTool } from '../../../test/support/tools.js';
import {
  type CertificationAuthority,
  type CertsrvServer,
  issueTlsCertificate,
  startCertsrv,
  UserDirectory,
} from '../src/index.js';
import { contosoAuthority } from './support/certsrv-fixture.js';

const SCREENSHOTS = resolve(import.meta.dirname, '../../../test/.generated/certsrv-screenshots');
const buildScript = pathToFileURL(resolve(import.meta.dirname, '../../../scripts/build-browser.mjs')).href;

const ALICE = { username: 'alice', password: 'alice-Passw0rd' };
const ADMIN = { username: 'caadmin', password: 'admin-Passw0rd' };

/** What differs between the English and the French run. */
interface Language {
  readonly code: 'en' | 'fr';
  readonly locale: string;
  readonly welcome: string;
  readonly caDownloadTitle: string;
  /** The first lbCaInstance entry. */
  readonly currentCa: string;
  readonly submitTitle: string;
  readonly issuedTitle: string;
  readonly pendingTitle: string;
  readonly requestId: RegExp;
  readonly webServer: string;
  readonly createTitle: string;
  readonly approved: (id: number) => string;
}

const LANGUAGES: readonly Language[] = [
  {
    code: 'en',
    locale: 'en-US',
    welcome: 'Welcome',
    caDownloadTitle: 'Download a CA Certificate, Certificate Chain, or CRL',
    currentCa: 'Current [Contoso Issuing CA]',
    submitTitle: 'Submit a Certificate Request or Renewal Request',
    issuedTitle: 'Certificate Issued',
    pendingTitle: 'Certificate Pending',
    requestId: /^Your Request Id is (\d+)\.$/,
    webServer: 'Web Server',
    createTitle: 'Advanced Certificate Request',
    approved: (id) => `Request ${id} was processed`,
  },
  {
    code: 'fr',
    locale: 'fr-FR',
    welcome: 'Bienvenue',
    caDownloadTitle: "Télécharger un certificat d'autorité de certification",
    currentCa: 'Actuel [Contoso Issuing CA]',
    submitTitle: 'Soumettre une demande de certificat ou une demande de renouvellement',
    issuedTitle: 'Certificat émis',
    pendingTitle: 'Certificat en attente',
    requestId: /^Votre ID de demande est (\d+)\.$/,
    webServer: 'Serveur web',
    createTitle: 'Demande de certificat avancée',
    approved: (id) => `La demande ${id} a été traitée`,
  },
];

/** The chromium executable: /usr/bin/chromium (Debian package) or the first one on PATH. */
function chromiumPath(): string {
  const dirs = ['/usr/bin', ...(process.env.PATH ?? '').split(delimiter).filter(Boolean)];
  for (const d of dirs) {
    try {
      accessSync(join(d, 'chromium'), constants.X_OK);
      return join(d, 'chromium');
    } catch {
      // not here
    }
  }
  return '/usr/bin/chromium';
}

/** Base64 SHA-256 of a PEM certificate's SubjectPublicKeyInfo (Chromium's SPKI pin format). */
function spkiPin(pem: string): string {
  const spki = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

async function newCsr(cn: string): Promise<{ pem: string; spki: Uint8Array }> {
  const { privateKey, publicKey } = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  const csr = await createCsr({
    subject: Name.from([{ CN: cn }]),
    privateKey,
    extensions: [subjectAltName([{ type: 'dns', value: cn }])],
  });
  return { pem: csr.toPem(), spki: publicKey.spki };
}

interface Downloaded {
  readonly name: string;
  readonly url: string;
  readonly bytes: Uint8Array;
  readonly text: string;
}

/** Runs `click` and returns the file the browser downloads because of it. */
async function download(page: Page, click: () => Promise<unknown>): Promise<Downloaded> {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), click()]);
  const failure = await dl.failure();
  if (failure) throw new Error(`download of ${dl.url()} failed: ${failure}`);
  const bytes = new Uint8Array(await readFile(await dl.path()));
  return { name: dl.suggestedFilename(), url: dl.url(), bytes, text: new TextDecoder().decode(bytes) };
}

let ca: CertificationAuthority;
let server: CertsrvServer;
let browser: Browser;
let base: string;
let assetsDir: string;
let home: string;
/** The HTTPS listeners' certificate (Chromium trusts its key by SPKI pin). */
let tls: Awaited<ReturnType<typeof issueTlsCertificate>>;
/** A relay's certificate: same CA and name, another key (pinned too, as a victim would accept it). */
let relayTls: Awaited<ReturnType<typeof issueTlsCertificate>>;
const contexts: BrowserContext[] = [];
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function newPage(lang: Language, credentials: typeof ALICE, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({
    locale: lang.locale,
    httpCredentials: credentials,
    acceptDownloads: true,
    ignoreHTTPSErrors: false,
    javaScriptEnabled,
    viewport: { width: 1100, height: 800 },
  });
  contexts.push(context);
  context.setDefaultTimeout(15_000);
  return context.newPage();
}

async function title(page: Page): Promise<string> {
  return ((await page.textContent('#locPageTitle')) ?? '').trim();
}

/** Selects the template whose option value has `cn` in field 1; returns its display text. */
async function chooseTemplate(page: Page, cn: string): Promise<string> {
  const options = await page
    .locator('#lbCertTemplateID option')
    .evaluateAll((els) => els.map((e) => ({ value: (e as HTMLOptionElement).value, text: e.textContent })));
  const option = options.find((o) => o.value.split(';')[1] === cn);
  if (!option) throw new Error(`no ${cn} in ${JSON.stringify(options)}`);
  await page.selectOption('#lbCertTemplateID', option.value);
  return option.text ?? '';
}

/** Home → Request a certificate → advanced request → the saved-request page. */
async function openSubmitPage(page: Page, lang: Language): Promise<void> {
  await page.goto(`${base}/certsrv/`);
  await page.click('#locRequestCert');
  await page.waitForURL(/certrqus\.asp/);
  await page.click('#locAdvancedRequest');
  await page.waitForURL(/certrqad\.asp/);
  await page.click('#locSubmitFile');
  await page.waitForURL(/certrqxt\.asp/);
  expect(await title(page)).toBe(lang.submitTitle);
}

/** Pastes `pem`, picks the template, submits; the result page is loaded on return. */
async function submitSaved(page: Page, pem: string, template: string): Promise<string> {
  await page.fill('#locTaRequest', pem);
  const text = await chooseTemplate(page, template);
  await Promise.all([page.waitForURL(/certfnsh\.asp/), page.click('#btnSubmit')]);
  return text;
}

/** Alice's pasted WebServer_Manual request, then the console approval by caadmin; the request id. */
async function approveFlow(lang: Language, alice: Page, admin: Page, tag: string): Promise<number> {
  const { pem } = await newCsr(`manual-${tag}.contoso.com`);
  await openSubmitPage(alice, lang);
  await submitSaved(alice, pem, 'WebServer_Manual');
  expect(await title(alice)).toBe(lang.pendingTitle);
  const line = ((await alice.textContent('#locInfoReqID')) ?? '').trim();
  const id = Number(lang.requestId.exec(line)?.[1]);
  expect(id, line).toBeGreaterThan(0);
  expect((await ca.retrieve(id)).disposition).toBe('pending');
  await shot(alice, `${tag}-pending`);

  await admin.goto(`${base}/certsrv/admin/?folder=pending`);
  await expect(admin.locator(`#rowRequest-${id}`).count()).resolves.toBe(1);
  await shot(admin, `${tag}-admin-pending`);
  await Promise.all([admin.waitForURL(/done=approved/), admin.click(`#btnApprove-${id}`)]);
  expect((await admin.textContent('#divNotice')) ?? '').toContain(lang.approved(id));
  expect((await ca.retrieve(id)).disposition).toBe('issued');
  await shot(admin, `${tag}-admin-approved`);
  return id;
}

describeWithTool('chromium', 'certsrv in Chromium', () => {
  beforeAll(async () => {
    ca = await contosoAuthority();
    const users = new UserDirectory('CONTOSO');
    await users.add(ALICE.username, ALICE.password);
    await users.add(ADMIN.username, ADMIN.password, { admin: true });

    assetsDir = await mkdtemp(join(tmpdir(), 'certlab-certsrv-assets-'));
    home = await mkdtemp(join(tmpdir(), 'certlab-certsrv-chromium-home-'));
    const mod = (await import(buildScript)) as { buildBrowserAssets(dir: string): Promise<unknown> };
    await mod.buildBrowserAssets(assetsDir);

    tls = await issueTlsCertificate(ca, ['localhost']);
    relayTls = await issueTlsCertificate(ca, ['localhost']);
    server = await startCertsrv({
      ca,
      users,
      https: { key: tls.key, cert: tls.cert },
      assetsDir,
      crlSchedule: false,
    });
    base = `https://localhost:${new URL(server.httpsUrl!).port}`;
    await mkdir(SCREENSHOTS, { recursive: true });
    console.log(`certsrv screenshots: ${SCREENSHOTS}`);

    browser = await chromium.launch({
      executablePath: chromiumPath(),
      env: { ...process.env, HOME: home },
      args: [
        ...CHROMIUM_ARGS,
        `--ignore-certificate-errors-spki-list=${spkiPin(tls.cert)},${spkiPin(relayTls.cert)}`,
      ],
    });
  }, 60_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
    await ca?.close();
    for (const dir of [assetsDir, home]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const lang of LANGUAGES) {
    describe(`${lang.code}: with JavaScript`, () => {
      let alice: Page;
      let admin: Page;
      beforeAll(async () => {
        alice = await newPage(lang, ALICE);
        admin = await newPage(lang, ADMIN);
      });

      it('home page, then every CA download of certcarc.asp in DER and Base 64', async () => {
        await alice.goto(`${base}/certsrv/`);
        expect(alice.url()).toMatch(/^https:/);
        expect(await title(alice)).toBe(lang.welcome);
        expect(await alice.getAttribute('html', 'lang')).toBe(lang.code);
        await shot(alice, `${lang.code}-home`);

        await alice.click('#locDownloadCA');
        await alice.waitForURL(/certcarc\.asp/);
        expect(await title(alice)).toContain(lang.caDownloadTitle);
        expect(await alice.locator('#lbCaID option').first().textContent()).toBe(lang.currentCa);
        await shot(alice, `${lang.code}-certcarc`);

        await alice.check('#rbDerEnc');
        const der = await download(alice, () => alice.click('#locDownloadCACert'));
        expect(der.name).toBe('certnew.cer');
        expect(der.bytes).toEqual(ca.certificate.der);
        const derChain = await download(alice, () => alice.click('#locDownloadCAChain'));
        expect(derChain.name).toBe('certnew.p7b');
        expect(readPkcs7Certificates(derChain.bytes).map((c) => c.der)).toEqual([
          ca.certificate.der,
          ca.rootCertificate.der,
        ]);
        const derCrl = await download(alice, () => alice.click('#locDownloadBaseCRL'));
        expect(derCrl.name).toBe('certcrl.crl');
        const crl = parseCrl(derCrl.bytes);
        expect(crl.issuer.toString()).toBe(ca.certificate.subject.toString());
        expect(crl.isDelta).toBe(false);

        await alice.check('#rbB64Enc');
        const pem = await download(alice, () => alice.click('#locDownloadCACert'));
        expect(pem.url).toContain('Enc=b64');
        expect(pem.text).toMatch(/^-----BEGIN CERTIFICATE-----\r\n/);
        expect(readCertificates(pem.text)[0]!.der).toEqual(ca.certificate.der);
        const pemChain = await download(alice, () => alice.click('#locDownloadCAChain'));
        expect(pemChain.text).toMatch(/^-----BEGIN CERTIFICATE-----\r\n/);
        expect(readPkcs7Certificates(pemChain.text).map((c) => c.der)).toEqual([
          ca.certificate.der,
          ca.rootCertificate.der,
        ]);
        const pemCrl = await download(alice, () => alice.click('#locDownloadBaseCRL'));
        expect(pemCrl.text).toMatch(/^-----BEGIN X509 CRL-----\r\n/);
        const delta = await download(alice, () => alice.click('#locDownloadDeltaCRL'));
        expect(delta.url).toContain('Type=delta');
      });

      it('pastes a CSR on certrqxt.asp and downloads the issued certificate in Base 64', async () => {
        const csr = await newCsr(`paste-${lang.code}.contoso.com`);
        await openSubmitPage(alice, lang);
        await alice.fill('#locTaRequest', csr.pem);
        expect(await chooseTemplate(alice, 'WebServer')).toBe(lang.webServer);
        await shot(alice, `${lang.code}-certrqxt`);
        await Promise.all([alice.waitForURL(/certfnsh\.asp/), alice.click('#btnSubmit')]);
        expect(await title(alice)).toBe(lang.issuedTitle);
        await shot(alice, `${lang.code}-issued`);

        await alice.check('#rbB64Enc');
        const cer = await download(alice, () => alice.click('#locDownloadCert3'));
        expect(cer.name).toBe('certnew.cer');
        expect(cer.url).toMatch(/certnew\.cer\?ReqID=\d+&Enc=b64$/);
        const cert = readCertificates(cer.text)[0]!;
        expect(cert.subjectPublicKeyInfo).toEqual(csr.spki);
        expect(cert.subject.toString()).toBe(`CN=paste-${lang.code}.contoso.com`);
        expect(await cert.verifySignature(ca.certificate.publicKey)).toBe(true);
      });

      it('generates a key in the browser on certrqma.asp and downloads the .pfx', async () => {
        await alice.goto(`${base}/certsrv/certrqad.asp`);
        await alice.click('#locCreateSubmit');
        await alice.waitForURL(/certrqma\.asp/);
        expect(await title(alice)).toBe(lang.createTitle);
        await chooseTemplate(alice, 'WebServer');
        await alice.fill('#tbName', 'web01.contoso.com');
        await alice.fill('#tbPfxPassword', 'Pfx-Passw0rd');
        expect(await alice.inputValue('#lbKeyAlgorithm')).toBe('ec-P-256');
        // Article step 7: "Store certificate in the local computer certificate store".
        await alice.check('#cbLocalMachineStore');
        await alice.click('#btnSubmit');
        const link = alice.locator('#lnkPfx');
        await link.waitFor({ timeout: 30_000 });
        expect(await alice.locator('#divResult').textContent()).toContain('LocalMachine\\My');
        await shot(alice, `${lang.code}-certrqma-result`);
        const pfx = await download(alice, () => link.click());
        expect(pfx.name).toBe('certnew.pfx');
        const p12 = await readPkcs12(pfx.bytes, 'Pfx-Passw0rd');
        expect(p12.key).toBeDefined();
        expect(p12.key!.curve).toBe('P-256');
        const cert = p12.certificate!;
        expect(cert.subject.get('CN')).toBe('web01.contoso.com');
        expect(cert.subjectAltNames).toContainEqual({ type: 'dns', value: 'web01.contoso.com' });
        expect(cert.issuer.toString()).toBe(ca.certificate.subject.toString());
        expect(await cert.verifySignature(ca.certificate.publicKey)).toBe(true);
        expect(p12.key!.publicKey.equals(cert.publicKey)).toBe(true);
        expect(p12.chain.map((c) => c.der)).toEqual([ca.certificate.der, ca.rootCertificate.der]);
      }, 45_000);

      it('the administrator approves a pending request; alice gets it from certckpn.asp', async () => {
        const id = await approveFlow(lang, alice, admin, lang.code);
        await alice.goto(`${base}/certsrv/certckpn.asp`);
        await shot(alice, `${lang.code}-certckpn`);
        await Promise.all([alice.waitForURL(/certfnsh\.asp/), alice.click(`#lnkPending-${id}`)]);
        expect(await title(alice)).toBe(lang.issuedTitle);
        const cer = await download(alice, () => alice.click('#locDownloadCert3'));
        expect(parseCertificate(cer.bytes).serialNumber).toBe((await ca.retrieve(id)).serialNumber);
      });
    });
  }

  it('trusts the server only through the SPKI pin: without it the certificate is refused', async () => {
    const plain = await chromium.launch({
      executablePath: chromiumPath(),
      env: { ...process.env, HOME: home },
      args: CHROMIUM_ARGS,
    });
    try {
      const page = await plain.newPage({ ignoreHTTPSErrors: false, httpCredentials: ALICE });
      await expect(page.goto(`${base}/certsrv/`, { timeout: 15_000 })).rejects.toThrow(
        /net::ERR_CERT_AUTHORITY_INVALID/,
      );
    } finally {
      await plain.close();
    }
  });

  it('signs in with NTLM (Windows Integrated authentication, no Basic offered), as a browser on a domain does', async () => {
    const users = new UserDirectory('CONTOSO');
    users.ntlm = true;
    await users.add(ALICE.username, ALICE.password);
    const events: (string | undefined)[] = [];
    const ntlmSite = await startCertsrv({
      ca,
      users,
      ntlm: true,
      basic: false,
      crlSchedule: false,
      log: (e) => events.push(e.event),
    });
    const context = await browser.newContext({
      httpCredentials: { ...ALICE, username: `CONTOSO\\${ALICE.username}` },
    });
    contexts.push(context);
    try {
      const page = await context.newPage();
      const r = await page.goto(`${ntlmSite.url}/certsrv/`);
      expect(r?.status()).toBe(200);
      expect(await title(page)).toBe('Welcome');
      await page.click('#locDownloadCA');
      await page.waitForURL(/certcarc\.asp/);
      expect(await page.locator('#lbCaID option').count()).toBeGreaterThan(0);
    } finally {
      await ntlmSite.close();
    }
    // Chromium ran the handshake itself: a challenge, then the signed-in connection.
    expect(events).toContain('ntlm-challenge');
    expect(events).toContain('ntlm');
  });

  it('signs in with NTLM under Extended Protection (require): its channel binding over HTTPS, its SPN over HTTP; through a TLS relay it is refused', async () => {
    const users = new UserDirectory('CONTOSO');
    users.ntlm = true;
    await users.add(ALICE.username, ALICE.password);
    const events: (string | undefined)[] = [];
    const sites: CertsrvServer[] = [];
    const start = async (
      servicePrincipalNames?: string[],
      extendedProtection: 'none' | 'require' = 'require',
    ) => {
      const site = await startCertsrv({
        ca,
        users,
        ntlm: true,
        basic: false,
        extendedProtection,
        ...(servicePrincipalNames ? { servicePrincipalNames } : {}),
        https: { key: tls.key, cert: tls.cert },
        crlSchedule: false,
        log: (e) => events.push(e.event),
      });
      sites.push(site);
      return site;
    };
    const context = await browser.newContext({
      httpCredentials: { ...ALICE, username: `CONTOSO\\${ALICE.username}` },
    });
    contexts.push(context);
    const port = (url: string) => new URL(url).port;
    try {
      const epaSite = await start();
      // The same site, but its SPN list leaves out the name Chromium uses: Chromium's target name
      // is really looked at.
      const otherName = await start(['HTTP/pki.contoso.com']);
      // IIS's default: the relay below gets through to it.
      const unprotected = await start(undefined, 'none');
      const page = await context.newPage();
      // HTTPS: Chromium hashes the certificate it was given (RFC 5929) into MsvAvChannelBindings;
      // under require, a missing or different value would be a 401.
      let r = await page.goto(`https://localhost:${port(epaSite.httpsUrl!)}/certsrv/`);
      expect(r?.status()).toBe(200);
      expect(await title(page)).toBe('Welcome');
      // HTTP: its MsvAvTargetName, HTTP/localhost, is one of the site's SPNs by default.
      r = await page.goto(`http://localhost:${port(epaSite.url)}/certsrv/`);
      expect(r?.status()).toBe(200);
      expect(events.filter((e) => e === 'ntlm')).toHaveLength(2);
      events.length = 0;
      r = await page.goto(`http://localhost:${port(otherName.url)}/certsrv/`);
      expect(r?.status()).toBe(401);
      expect(events).toContain('ntlm-bad-spn');
      // A relay: Chromium's TLS ends at a proxy with another certificate, which passes the bytes
      // on over its own TLS connection to the site. Chromium binds the proxy's certificate.
      const piped = new Set<{ destroy(): void }>();
      let target = epaSite;
      const relay = createTlsServer({ key: relayTls.key, cert: relayTls.cert }, (victim) => {
        const upstream = tlsConnect({
          host: '127.0.0.1',
          port: Number(port(target.httpsUrl!)),
          servername: 'localhost',
          ca: ca.chain.map((c) => c.toPem()).join(''),
        });
        piped.add(victim).add(upstream);
        victim.pipe(upstream).pipe(victim);
        victim.on('error', () => upstream.destroy());
        upstream.on('error', () => victim.destroy());
      });
      await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
      try {
        events.length = 0;
        const relayed = await context.newPage();
        r = await relayed.goto(`https://localhost:${(relay.address() as AddressInfo).port}/certsrv/`);
        expect(r?.status()).toBe(401);
        expect(events).toContain('ntlm-bad-bindings');
        expect(events).not.toContain('ntlm');
        await relayed.close();
        // The same relay to a site without Extended Protection: the victim's sign-in goes through.
        target = unprotected;
        events.length = 0;
        // A new context: in this one the origin has already refused the credentials.
        const fresh = await browser.newContext({
          httpCredentials: { ...ALICE, username: `CONTOSO\\${ALICE.username}` },
        });
        contexts.push(fresh);
        const through = await fresh.newPage();
        r = await through.goto(`https://localhost:${(relay.address() as AddressInfo).port}/certsrv/`);
        expect(r?.status(), JSON.stringify(events)).toBe(200);
        expect(events).toContain('ntlm');
      } finally {
        // Chromium keeps its connection alive: end it, or close() waits for it.
        for (const socket of piped) socket.destroy();
        await new Promise((resolve) => relay.close(resolve));
      }
    } finally {
      for (const site of sites) await site.close();
    }
  });

  describe('English language switch', () => {
    it('?Lang=fr and back through the header links', async () => {
      const page = await newPage(LANGUAGES[0]!, ALICE);
      await page.goto(`${base}/certsrv/`);
      expect(await title(page)).toBe('Welcome');
      await page.click('#lnkLangFr');
      await page.waitForURL(/Lang=fr/);
      expect(await title(page)).toBe('Bienvenue');
      await page.click('#locDownloadCA');
      expect(await title(page)).toContain(LANGUAGES[1]!.caDownloadTitle);
      await page.click('#lnkLangEn');
      await page.waitForURL(/Lang=en/);
      expect(await title(page)).toBe(LANGUAGES[0]!.caDownloadTitle);
    });
  });

  for (const lang of LANGUAGES) {
    describe(`${lang.code}: without JavaScript`, () => {
      let alice: Page;
      let admin: Page;
      beforeAll(async () => {
        alice = await newPage(lang, ALICE, false);
        admin = await newPage(lang, ADMIN, false);
      });

      it('certcarc.asp links are plain hrefs that download', async () => {
        await alice.goto(`${base}/certsrv/certcarc.asp`);
        await shot(alice, `${lang.code}-nojs-certcarc`);
        const cer = await download(alice, () => alice.click('#locDownloadCACert'));
        expect(cer.bytes).toEqual(ca.certificate.der);
        const chain = await download(alice, () => alice.click('#locDownloadCAChain'));
        expect(readPkcs7Certificates(chain.bytes)[0]!.der).toEqual(ca.certificate.der);
        const crl = await download(alice, () => alice.click('#locDownloadBaseCRL'));
        expect(parseCrl(crl.bytes).issuer.toString()).toBe(ca.certificate.subject.toString());
      });

      it('certrqxt.asp posts the form itself; the issued page offers plain links', async () => {
        const csr = await newCsr(`nojs-${lang.code}.contoso.com`);
        await openSubmitPage(alice, lang);
        await submitSaved(alice, csr.pem, 'WebServer');
        expect(await title(alice)).toBe(lang.issuedTitle);
        await shot(alice, `${lang.code}-nojs-issued`);
        const cer = await download(alice, () =>
          alice.click('#locDownloadCertText a[href*="certnew.cer"][href$="Enc=b64"]'),
        );
        expect(readCertificates(cer.text)[0]!.subjectPublicKeyInfo).toEqual(csr.spki);
      });

      it('certrqma.asp explains that it needs JavaScript', async () => {
        await alice.goto(`${base}/certsrv/certrqma.asp`);
        await expect(alice.locator('#locNoScript').isVisible()).resolves.toBe(true);
        await shot(alice, `${lang.code}-nojs-certrqma`);
      });

      it('the administrator approves with the plain form; certckpn.asp checks it', async () => {
        const id = await approveFlow(lang, alice, admin, `${lang.code}-nojs`);
        await alice.goto(`${base}/certsrv/certckpn.asp`);
        await Promise.all([alice.waitForURL(/certfnsh\.asp/), alice.click(`#btnCheck-${id}`)]);
        expect(await title(alice)).toBe(lang.issuedTitle);
      });
    });
  }
});
