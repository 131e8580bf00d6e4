// The simulated Exchange UM service: 2007 SP1 certificate selection at start, 2010 assignment
// rules, event 1112 (our synthetic wording), Get-ExchangeCertificate, and the event log file.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CertificationAuthority, createAuthority } from '@certlab/ca-sim';
import { createCsr, generateKeyPair, type PrivateKey, subjectAltName } from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLabNetwork,
  EventLog,
  ExchangeUmService,
  HOST_STATE_DIR,
  LabError,
  type LabHost,
  openHost,
  publishCrls,
  UM_CERTIFICATE_EVENT,
} from '../src/index.js';

let ca: CertificationAuthority;
const network = createLabNetwork();
const dirs: string[] = [];

beforeAll(async () => {
  ca = await createAuthority({
    name: 'Contoso Issuing CA',
    root: { name: 'Contoso Root CA' },
    keyType: 'ec',
  });
});
afterAll(async () => {
  await ca.close();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function host(): Promise<LabHost> {
  return openHost(
    { role: 'exchange-um', name: 'EX01', fqdn: 'ex01.contoso.com', dir: 'hosts/ex01' },
    undefined,
  );
}

async function issue(
  cn: string,
): Promise<{ cert: NonNullable<Awaited<ReturnType<typeof ca.submit>>['certificate']>; key: PrivateKey }> {
  const { privateKey } = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  const csr = await createCsr({
    subject: `CN=${cn}`,
    privateKey,
    extensions: [subjectAltName([{ type: 'dns', value: cn }])],
  });
  const r = await ca.submit(csr.toPem(), { template: 'WebServer' });
  return { cert: r.certificate!, key: privateKey };
}

describe('Exchange 2007 SP1', () => {
  it('starts secured with the self-signed certificate, then picks the CA certificate at the next restart only', async () => {
    const ex = await host();
    const um = await ExchangeUmService.install(ex, { version: '2007sp1', network });
    const first = ex.eventLog.find(UM_CERTIFICATE_EVENT).at(-1)!;
    expect(first.level).toBe('Information');
    expect(first.synthetic).toBe(true);
    expect(first.message).toMatch(
      /^\[SYNTHETIC\] The Unified Messaging server loaded the certificate with thumbprint [0-9A-F]{40} \(subject "CN=EX01"/,
    );
    expect(first.data?.selfSigned).toBe('true');

    await ex.machine.store('LocalMachine', 'Root').add(ca.rootCertificate);
    await ex.machine.store('LocalMachine', 'CA').add(ca.certificate);
    const noKey = await issue('ex01.contoso.com');
    await ex.machine.store('LocalMachine', 'My').add(noKey.cert);
    const good = await issue('ex01.contoso.com');
    await ex.machine.store('LocalMachine', 'My').add(good.cert, { key: good.key });
    const thumb = await good.cert.thumbprint();
    // Installing changes nothing until the service restarts (§4.2).
    expect(um.state.running?.certificate).toBe(first.data?.thumbprint);

    const r = await um.restart();
    expect(r.certificate).toBe(thumb);
    expect(r.selfSigned).toBe(false);
    expect(r.skipped).toEqual([
      {
        thumbprint: await noKey.cert.thumbprint(),
        subject: 'CN=ex01.contoso.com',
        problem: 'PrivateKeyMissing',
      },
    ]);
    const warnings = ex.eventLog.all().filter((e) => e.level === 'Warning');
    expect(warnings.at(-1)?.message).toContain('was not considered for mutual TLS: PrivateKeyMissing');
    expect(ex.eventLog.find(UM_CERTIFICATE_EVENT).at(-1)?.data?.thumbprint).toBe(thumb);
  });

  it('has no startup mode and no Enable-ExchangeCertificate for UM', async () => {
    const um = await ExchangeUmService.install(await host(), { version: '2007sp1', network });
    await expect(um.setStartupMode('Dual')).rejects.toMatchObject({ code: 'ERR_LAB_UM_VERSION' });
    await expect(um.enableCertificate(um.state.selfSigned)).rejects.toMatchObject({
      code: 'ERR_LAB_UM_VERSION',
    });
  });

  it('skips a certificate that does not chain to a root the computer trusts', async () => {
    const ex = await host();
    const um = await ExchangeUmService.install(ex, { version: '2007sp1', network });
    const c = await issue('ex01.contoso.com');
    await ex.machine.store('LocalMachine', 'My').add(c.cert, { key: c.key });
    await ex.machine.store('CurrentUser', 'Root').add(ca.rootCertificate); // the administrator's store only
    const r = await um.restart();
    expect(r.selfSigned).toBe(true);
    expect(r.skipped.map((s) => s.problem)).toEqual(['Untrusted']);
  });
});

describe('Exchange 2010', () => {
  it('refuses UM in TCP mode, adds services, loads the UM certificate at restart', async () => {
    const ex = await host();
    const um = await ExchangeUmService.install(ex, { version: '2010', network });
    expect(um.state.startupMode).toBe('TCP');
    expect(um.state.running).toMatchObject({ mode: 'TCP', certificate: null });
    expect(await um.tlsSide()).toBeUndefined();
    await ex.machine.store('LocalMachine', 'Root').add(ca.rootCertificate);
    await ex.machine.store('LocalMachine', 'CA').add(ca.certificate);
    const c = await issue('ex01.contoso.com');
    await ex.machine.store('LocalMachine', 'My').add(c.cert, { key: c.key });
    const thumb = await c.cert.thumbprint();
    await expect(um.enableCertificate(thumb)).rejects.toMatchObject({
      code: 'ERR_LAB_UM_STARTUP_MODE',
      message: expect.stringMatching(/^\[SYNTHETIC\] .*startup mode of EX01 is TCP/),
    });
    await expect(um.enableCertificate('00'.repeat(20))).rejects.toMatchObject({
      code: 'ERR_LAB_CERTIFICATE_NOT_FOUND',
    });
    await um.setStartupMode('Dual');
    await um.enableCertificate(thumb, ['UM']);
    await um.enableCertificate(thumb, ['IIS']);
    // The CDP host (pki.contoso.com) is not on the lab network yet: §7 "CRL unreachable".
    let rows = await um.certificates();
    expect(rows.find((r) => r.thumbprint === thumb)).toMatchObject({
      services: '..UW..',
      status: 'RevocationCheckFailure',
      hasPrivateKey: true,
    });
    const certEnroll = await mkdtemp(join(tmpdir(), 'certlab-lab-certenroll-'));
    dirs.push(certEnroll);
    await publishCrls(ca, certEnroll);
    network.set('pki.contoso.com', { certEnrollDir: certEnroll });
    rows = await um.certificates();
    expect(rows.find((r) => r.thumbprint === thumb)?.status).toBe('Valid');
    expect(rows.find((r) => r.thumbprint === um.state.selfSigned)).toMatchObject({
      services: 'IP.WS.',
      isSelfSigned: true,
    });
    const r = await um.restart();
    expect(r).toMatchObject({ mode: 'Dual', certificate: thumb });
    const side = await um.tlsSide();
    expect(side?.chain.length).toBeGreaterThanOrEqual(1);
    // A replacement: UM moves to it, and the old certificate keeps its other services.
    const next = await issue('ex01.contoso.com');
    await ex.machine.store('LocalMachine', 'My').add(next.cert, { key: next.key });
    const nextThumb = await next.cert.thumbprint();
    await um.enableCertificate(nextThumb, ['UM']);
    rows = await um.certificates();
    expect(rows.find((x) => x.thumbprint === thumb)?.services).toBe('...W..');
    expect(rows.find((x) => x.thumbprint === nextThumb)?.services).toBe('..U...');
    expect(await um.restart()).toMatchObject({ mode: 'Dual', certificate: nextThumb });
  });

  it('its own self-signed certificate, given UM, is Valid both in Get-ExchangeCertificate and at restart (no Untrusted warning)', async () => {
    const ex = await host();
    const um = await ExchangeUmService.install(ex, { version: '2010', network });
    await um.setStartupMode('Dual');
    const self = um.state.selfSigned;
    await um.enableCertificate(self, ['UM']);
    expect((await um.certificates()).find((r) => r.thumbprint === self)?.status).toBe('Valid');
    const before = ex.eventLog.all().length;
    expect(await um.restart()).toMatchObject({ certificate: self, selfSigned: true });
    const events = ex.eventLog.all().slice(before);
    expect(events.map((e) => e.level)).toEqual(['Information']);
  });

  it('refuses a certificate without its private key', async () => {
    const ex = await host();
    const um = await ExchangeUmService.install(ex, { version: '2010', network });
    await um.setStartupMode('TLS');
    const c = await issue('ex01.contoso.com');
    await ex.machine.store('LocalMachine', 'My').add(c.cert);
    await expect(um.enableCertificate(await c.cert.thumbprint())).rejects.toMatchObject({
      code: 'ERR_LAB_PRIVATE_KEY_MISSING',
      message: expect.stringContaining('(reason: PrivateKeyMissing)'),
    });
    const r = await um.restart();
    expect(r.certificate).toBeUndefined();
    expect(ex.eventLog.all().at(-1)).toMatchObject({ level: 'Error', eventId: 1112, synthetic: true });
  });
});

/** Event 1112 as the log file keeps it (the tests' clock: 30 Nov 2026 10:00 UTC). */
const event = {
  recordId: 1,
  time: '2026-11-30T10:00:00.000Z',
  level: 'Information',
  source: 'MSExchange Unified Messaging',
  eventId: 1112,
  message: 'x',
  synthetic: true,
};

describe('EventLog', () => {
  it('keeps events in a file across opens', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'certlab-lab-log-'));
    dirs.push(dir);
    const file = join(dir, 'application-log.json');
    const fixed = () => new Date('2026-11-30T10:00:00Z');
    const log = await EventLog.open(file, fixed);
    await log.write({
      level: 'Information',
      source: 'MSExchange Unified Messaging',
      eventId: 1112,
      message: 'x',
      synthetic: true,
    });
    const again = await EventLog.open(file, fixed);
    expect(again.find(1112)).toEqual([event]);
  });
});

describe('a damaged event log file', () => {
  async function logFile(content: unknown): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'certlab-lab-log-'));
    dirs.push(dir);
    const file = join(dir, 'application-log.json');
    await writeFile(file, JSON.stringify(content));
    return file;
  }

  it('is refused at open with ERR_LAB_CONFIG_INVALID, naming the entry and what is wrong', async () => {
    const cases: [unknown, string][] = [
      [{}, 'it holds {}, not a list of events'],
      [[event, null], 'entry 2 is null, not an event'],
      [
        [{ ...event, recordId: '7' }],
        'entry 1: "recordId" must be a record number (a whole number from 1), not "7"',
      ],
      [[{ ...event, recordId: 0 }], 'entry 1: "recordId" must be a record number'],
      [[{ ...event, recordId: 1e308 }], 'entry 1: "recordId" must be a record number'],
      [[{ ...event, level: 0 }], 'entry 1: "level" must be "Information", "Warning" or "Error", not 0'],
      [
        [{ ...event, eventId: 1.5 }],
        'entry 1: "eventId" must be an event ID (a whole number from 0 to 65535), not 1.5',
      ],
      [[{ ...event, message: undefined }], 'entry 1 has no "message"'],
      [[{ ...event, synthetic: 'yes' }], 'entry 1: "synthetic" must be true or false, not "yes"'],
      [[{ ...event, data: { thumbprint: 5 } }], 'entry 1: "data" must be an object of strings'],
      [
        [
          { ...event, source: 'x'.repeat(100) },
          { ...event, time: 12 },
        ],
        'entry 2: "time" must be a string, not 12',
      ],
    ];
    for (const [content, what] of cases) {
      const file = await logFile(content);
      const e = await EventLog.open(file).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e, what).toBeInstanceOf(LabError);
      expect((e as LabError).code).toBe('ERR_LAB_CONFIG_INVALID');
      expect((e as LabError).message).toContain(`The event log ${file} is damaged: ${what}`);
      expect((e as LabError).message).toMatch(
        /\. Restore it from a copy, or delete it to start an empty log\.$/,
      );
    }
    // A value quoted in the message is cut short.
    await expect(EventLog.open(await logFile('z'.repeat(10_000)))).rejects.toThrow(
      /it holds "z{58}…, not a list/,
    );
    // In the lab's language.
    await expect(EventLog.open(await logFile([null]), undefined, 'fr')).rejects.toThrow(
      /^Le journal d'événements .* est endommagé : l'entrée 1 vaut null, et non un événement\. Restaurez-le depuis une copie, ou supprimez-le pour repartir d'un journal vide\.$/,
    );
  });

  it('numbers a new event after the highest record number, and keeps data', async () => {
    const file = await logFile([
      { ...event, recordId: 9, data: { thumbprint: 'AB' } },
      { ...event, recordId: 3 },
    ]);
    const log = await EventLog.open(file);
    const e = await log.write({ level: 'Warning', source: 's', eventId: 1, message: 'm', synthetic: false });
    expect(e.recordId).toBe(10);
    const again = await EventLog.open(file);
    expect(again.all().map((x) => x.recordId)).toEqual([9, 3, 10]);
    expect(again.all()[0]?.data).toEqual({ thumbprint: 'AB' });
  });
});

describe('a damaged UM service state file', () => {
  it('is refused at open with ERR_LAB_CONFIG_INVALID naming the member; a missing one is ERR_LAB_NOT_FOUND', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'certlab-lab-um-'));
    dirs.push(dir);
    const ex = await openHost(
      { role: 'exchange-um', name: 'EX01', fqdn: 'ex01.contoso.com', dir: 'hosts/ex01' },
      dir,
    );
    const file = join(dir, 'hosts', 'ex01', HOST_STATE_DIR, 'exchange-um.json');
    await ExchangeUmService.install(ex, { version: '2010', network });
    const good = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    // The state install wrote opens again.
    expect((await ExchangeUmService.open(ex, { network })).state).toEqual(good);
    const self = good.selfSigned as string;
    const cases: [unknown, string][] = [
      [' ', 'it holds " ", not the service\'s state'],
      [null, "it holds null, not the service's state"],
      [{ ...good, version: '2013' }, '"version" must be "2007sp1" or "2010", not "2013"'],
      [{ ...good, startupMode: 'tls' }, '"startupMode" must be "TCP", "TLS" or "Dual", not "tls"'],
      [{ ...good, services: undefined }, '"services" is missing'],
      [
        { ...good, services: [] },
        '"services" must be an object of services per certificate thumbprint, not []',
      ],
      [
        { ...good, services: { [self.toLowerCase()]: ['UM'] } },
        `"services" names "${self.toLowerCase()}", which is not a certificate thumbprint`,
      ],
      [
        { ...good, services: { [self]: ['UM', 'Fax'] } },
        `the services of ${self} must be a list of IMAP, POP, UM, IIS, SMTP, Federation, not ["UM","Fax"]`,
      ],
      [{ ...good, selfSigned: 42 }, '"selfSigned" must be a certificate thumbprint (40 hex digits), not 42'],
      [{ ...good, lang: 'constructor' }, '"lang" must be "en" or "fr", not "constructor"'],
      [{ ...good, running: { since: 'now', mode: 'TLS' } }, '"running" must be null or {'],
    ];
    try {
      for (const [content, what] of cases) {
        await writeFile(file, JSON.stringify(content));
        const e = await ExchangeUmService.open(ex, { network }).then(
          () => undefined,
          (x: unknown) => x,
        );
        expect(e, what).toBeInstanceOf(LabError);
        expect((e as LabError).code, what).toBe('ERR_LAB_CONFIG_INVALID');
        expect((e as LabError).message).toContain(
          `The Exchange UM service state of EX01 (${file}) is damaged: ${what}`,
        );
      }
      await writeFile(file, '{ not json');
      await expect(ExchangeUmService.open(ex, { network, lang: 'fr' })).rejects.toThrow(
        /^L'état du service de messagerie unifiée Exchange d'EX01 \(.*\) est endommagé : ce n'est pas du JSON valide\. Restaurez-le depuis une copie, ou préparez un nouveau labo avec 'certlab lab init' dans un nouveau répertoire\.$/,
      );
      await rm(file);
      await expect(ExchangeUmService.open(ex, { network })).rejects.toMatchObject({
        code: 'ERR_LAB_NOT_FOUND',
      });
    } finally {
      await writeFile(file, JSON.stringify(good));
    }
  });
});

// Every kind of event a start writes, in an English and in a French lab: the message follows the
// lab's language (the [SYNTHETIC] marker stays), the source, ID, level and data do not.
describe('event messages in the language of the lab', () => {
  const CN_CA = 'CN=Contoso Issuing CA';
  const project = (e: ReturnType<LabHost['eventLog']['all']>[number]) => ({
    level: e.level,
    source: e.source,
    eventId: e.eventId,
    synthetic: e.synthetic,
    data: e.data,
  });

  async function run2007(lang: 'en' | 'fr') {
    let time = new Date();
    const ex = await host();
    const um = await ExchangeUmService.install(ex, { version: '2007sp1', network, now: () => time, lang });
    const self = ex.machine.store('LocalMachine', 'My').get(um.state.selfSigned)!.certificate;
    const noKey = await issue('ex01.contoso.com');
    await ex.machine.store('LocalMachine', 'My').add(noKey.cert);
    const before = ex.eventLog.all().length;
    // Past the self-signed certificate's year: nothing usable, so the start logs the Error too.
    time = new Date(self.notAfter.getTime() + 86_400_000);
    await um.restart();
    return {
      self: { thumbprint: um.state.selfSigned, notAfter: self.notAfter.toISOString() },
      noKey: await noKey.cert.thumbprint(),
      install: ex.eventLog.all().slice(0, before),
      restart: ex.eventLog.all().slice(before),
    };
  }

  async function run2010(lang: 'en' | 'fr') {
    const ex = await host();
    const um = await ExchangeUmService.install(ex, { version: '2010', network, lang });
    await um.setStartupMode('TLS');
    await um.restart(); // the self-signed certificate is not enabled for UM: nothing to load
    // Issued by the CA but the root is not in LocalMachine\Root: Status Untrusted.
    const c = await issue('ex01.contoso.com');
    await ex.machine.store('LocalMachine', 'My').add(c.cert, { key: c.key });
    const thumb = await c.cert.thumbprint();
    await um.enableCertificate(thumb, ['UM']);
    await um.restart();
    return { thumb, notAfter: c.cert.notAfter.toISOString(), events: ex.eventLog.all() };
  }

  it('Exchange 2007 SP1: certificate loaded, certificate passed over with its reason, no certificate', async () => {
    const en = await run2007('en');
    expect(en.install.map((e) => e.message)).toEqual([
      `[SYNTHETIC] The Unified Messaging server loaded the certificate with thumbprint ${en.self.thumbprint} (subject "CN=EX01", issuer "CN=EX01", valid until ${en.self.notAfter}) for mutual TLS.`,
    ]);
    expect(en.restart.map((e) => e.message)).toEqual([
      `[SYNTHETIC] The certificate with thumbprint ${en.noKey} (subject "CN=ex01.contoso.com") was not considered for mutual TLS: PrivateKeyMissing.`,
      '[SYNTHETIC] No valid certificate for mutual TLS was found in the local computer store: the Unified Messaging service cannot accept SIP over TLS (port 5061).',
    ]);

    const fr = await run2007('fr');
    expect(fr.install.map((e) => e.message)).toEqual([
      `[SYNTHETIC] Le serveur de messagerie unifiée a chargé le certificat avec l'empreinte numérique ${fr.self.thumbprint} (objet « CN=EX01 », émetteur « CN=EX01 », valide jusqu'au ${fr.self.notAfter}) pour le TLS mutuel.`,
    ]);
    expect(fr.restart.map((e) => e.message)).toEqual([
      `[SYNTHETIC] Le certificat avec l'empreinte numérique ${fr.noKey} (objet « CN=ex01.contoso.com ») n'a pas été retenu pour le TLS mutuel : clé privée absente (PrivateKeyMissing).`,
      "[SYNTHETIC] Aucun certificat valide pour le TLS mutuel n'a été trouvé dans le magasin de l'ordinateur local : le service de messagerie unifiée ne peut pas accepter SIP sur TLS (port 5061).",
    ]);

    expect(fr.restart.map(project)).toEqual([
      {
        level: 'Warning',
        source: 'MSExchange Unified Messaging',
        eventId: 1112,
        synthetic: true,
        data: { thumbprint: fr.noKey, problem: 'PrivateKeyMissing' },
      },
      {
        level: 'Error',
        source: 'MSExchange Unified Messaging',
        eventId: 1112,
        synthetic: true,
        data: undefined,
      },
    ]);
    expect(en.restart.map(project)).toEqual(
      fr.restart.map((e) => ({ ...project(e), data: e.data && { ...e.data, thumbprint: en.noKey } })),
    );
    expect(fr.install.map(project)).toEqual(
      en.install.map((e) => ({
        ...project(e),
        data: e.data && { ...e.data, thumbprint: fr.self.thumbprint },
      })),
    );
  });

  it('Exchange 2010: TCP start, no certificate enabled for UM, status warning, certificate loaded', async () => {
    const en = await run2010('en');
    expect(en.events.map((e) => e.message)).toEqual([
      '[SYNTHETIC] The Microsoft Exchange Unified Messaging service started in TCP mode: SIP over TCP on port 5060 only, no TLS listener on port 5061, no certificate loaded.',
      '[SYNTHETIC] No certificate with a private key is enabled for UM on this server: the Unified Messaging service cannot accept SIP over TLS (port 5061). Use Enable-ExchangeCertificate -Services UM, then restart the service.',
      `[SYNTHETIC] The certificate with thumbprint ${en.thumb} enabled for UM has status Untrusted; peers may refuse it.`,
      `[SYNTHETIC] The Unified Messaging server loaded the certificate with thumbprint ${en.thumb} (subject "CN=ex01.contoso.com", issuer "${CN_CA}", valid until ${en.notAfter}) for mutual TLS.`,
    ]);

    const fr = await run2010('fr');
    expect(fr.events.map((e) => e.message)).toEqual([
      '[SYNTHETIC] Le service de messagerie unifiée Microsoft Exchange a démarré en mode TCP : SIP sur TCP sur le port 5060 uniquement, aucune écoute TLS sur le port 5061, aucun certificat chargé.',
      "[SYNTHETIC] Aucun certificat doté d'une clé privée n'est activé pour la messagerie unifiée sur ce serveur : le service de messagerie unifiée ne peut pas accepter SIP sur TLS (port 5061). Utilisez Enable-ExchangeCertificate -Services UM, puis redémarrez le service.",
      `[SYNTHETIC] Le certificat avec l'empreinte numérique ${fr.thumb} activé pour la messagerie unifiée a l'état Untrusted ; les serveurs homologues peuvent le refuser.`,
      `[SYNTHETIC] Le serveur de messagerie unifiée a chargé le certificat avec l'empreinte numérique ${fr.thumb} (objet « CN=ex01.contoso.com », émetteur « ${CN_CA} », valide jusqu'au ${fr.notAfter}) pour le TLS mutuel.`,
    ]);

    expect(fr.events.map(project)).toEqual([
      {
        level: 'Information',
        source: 'MSExchange Unified Messaging',
        eventId: 1000,
        synthetic: true,
        data: { mode: 'TCP' },
      },
      {
        level: 'Error',
        source: 'MSExchange Unified Messaging',
        eventId: 1112,
        synthetic: true,
        data: undefined,
      },
      {
        level: 'Warning',
        source: 'MSExchange Unified Messaging',
        eventId: 1112,
        synthetic: true,
        data: { thumbprint: fr.thumb, status: 'Untrusted' },
      },
      {
        level: 'Information',
        source: 'MSExchange Unified Messaging',
        eventId: 1112,
        synthetic: true,
        data: { thumbprint: fr.thumb, selfSigned: 'false' },
      },
    ]);
    expect(en.events.map(project)).toEqual(
      fr.events.map((e) => ({
        ...project(e),
        data: e.data?.thumbprint ? { ...e.data, thumbprint: en.thumb } : e.data,
      })),
    );
  });

  it('keeps the language of the install when the service is opened again', async () => {
    const ex = await host();
    const installed = await ExchangeUmService.install(ex, { version: '2010', network, lang: 'fr' });
    const um = await ExchangeUmService.open(ex, { network, state: installed.state });
    await um.restart();
    expect(ex.eventLog.all().at(-1)?.message).toMatch(
      /^\[SYNTHETIC\] Le service de messagerie unifiée .* mode TCP/,
    );
    // A state written before the language was kept (no lang) stays English.
    const { lang: _, ...old } = um.state;
    await (await ExchangeUmService.open(ex, { network, state: old })).restart();
    expect(ex.eventLog.all().at(-1)?.message).toMatch(
      /^\[SYNTHETIC\] The Microsoft Exchange Unified Messaging service/,
    );
  });
});

describe('refusals in the language of the lab', () => {
  // What a trainee meets at the console (Enable-ExchangeCertificate, Set-UMServer): the message
  // follows the lab's language, the code does not, and both texts stay on the error.
  async function refusals(lang: 'en' | 'fr') {
    const ex = await host();
    const um2010 = await ExchangeUmService.install(ex, { version: '2010', network, lang });
    const c = await issue('ex01.contoso.com');
    await ex.machine.store('LocalMachine', 'My').add(c.cert, { key: c.key });
    const thumb = await c.cert.thumbprint();
    const caught = async (p: Promise<unknown>): Promise<LabError> => {
      const e = await p.then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(LabError);
      return e as LabError;
    };
    const tcp = await caught(um2010.enableCertificate(thumb));
    const notThumb = await caught(um2010.enableCertificate('not-a-thumbprint'));
    const mode = await caught(um2010.setStartupMode('Fast' as never));
    await um2010.setStartupMode('TLS');
    const noKey = await issue('ex01.contoso.com');
    await ex.machine.store('LocalMachine', 'My').add(noKey.cert);
    const keyMissing = await caught(um2010.enableCertificate(await noKey.cert.thumbprint()));
    const ex2007 = await host();
    const um2007 = await ExchangeUmService.install(ex2007, { version: '2007sp1', network, lang });
    const version = await caught(um2007.setStartupMode('Dual'));
    return { thumb, noKey: await noKey.cert.thumbprint(), tcp, notThumb, mode, keyMissing, version };
  }

  it('gives English in an English lab and French in a French lab, with the same codes', async () => {
    const en = await refusals('en');
    const fr = await refusals('fr');
    expect([en.tcp, en.notThumb, en.mode, en.keyMissing, en.version].map((e) => e.code)).toEqual([
      'ERR_LAB_UM_STARTUP_MODE',
      'ERR_LAB_OPTION_INVALID',
      'ERR_LAB_OPTION_INVALID',
      'ERR_LAB_PRIVATE_KEY_MISSING',
      'ERR_LAB_UM_VERSION',
    ]);
    expect([fr.tcp, fr.notThumb, fr.mode, fr.keyMissing, fr.version].map((e) => e.code)).toEqual(
      [en.tcp, en.notThumb, en.mode, en.keyMissing, en.version].map((e) => e.code),
    );
    expect(en.tcp.message).toBe(
      `[SYNTHETIC] The certificate ${en.thumb} cannot be enabled for UM: the UM startup mode of EX01 is TCP. Set it to TLS or Dual first (Set-UMServer -Identity EX01 -UMStartupMode Dual).`,
    );
    expect(fr.tcp.message).toBe(
      `[SYNTHETIC] Le certificat ${fr.thumb} ne peut pas être activé pour la messagerie unifiée : le mode de démarrage de la messagerie unifiée d'EX01 est TCP. Passez-le d'abord à TLS ou Dual (Set-UMServer -Identity EX01 -UMStartupMode Dual).`,
    );
    expect(fr.keyMissing.message).toBe(
      `Le certificat avec l'empreinte numérique ${fr.noKey} n'est pas valide pour une utilisation avec Exchange Server (raison : PrivateKeyMissing). Importez le certificat avec la clé générée sur EX01 (.pfx).`,
    );
    expect(en.keyMissing.message).toContain('(reason: PrivateKeyMissing)');
    expect(fr.notThumb.message).toBe("« not-a-thumbprint » n'est pas une empreinte numérique de certificat.");
    expect(fr.mode.message).toMatch(/^Le mode de démarrage .* est TCP, TLS ou Dual, pas « Fast »\.$/);
    expect(fr.version.message).toMatch(/^Exchange 2007 SP1 n'a pas de mode de démarrage/);
    // Both texts stay on the error, whatever the lab's language.
    for (const e of [fr.tcp, fr.notThumb, fr.mode, fr.keyMissing, fr.version]) {
      expect(e.messageIn('fr')).toBe(e.message);
      expect(e.messageIn('en')).not.toBe(e.message);
    }
    for (const e of [en.tcp, en.notThumb, en.mode, en.keyMissing, en.version]) {
      expect(e.messageIn('en')).toBe(e.message);
      expect(e.messageIn('fr')).not.toBe(e.message);
    }
    expect(fr.tcp.messageIn('en')).toBe(en.tcp.message.replace(en.thumb, fr.thumb));
  });

  it('keeps a plain message for both languages when the error has only one', () => {
    const e = new LabError('ERR_LAB_CERTSRV', 'certsrv said no.');
    expect([e.message, e.messageIn('fr'), e.messageIn('en'), e.localized]).toEqual([
      'certsrv said no.',
      'certsrv said no.',
      'certsrv said no.',
      undefined,
    ]);
  });
});
