// Acceptance: the automated run of the Exchange UM scenario, for both Exchange paths, really over
// certsrv on loopback, ends with a successful mutual-TLS handshake, in under 10 s; the French
// walkthrough uses the French article's labels.

import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLab, ExchangeUmService, formatReport, openLabSession, runLab } from '../src/index.js';

describe('lab run exchange-um', () => {
  for (const exchange of ['2007sp1', '2010'] as const)
    it(`passes every step for Exchange ${exchange}, ending in a real mutual-TLS handshake, in under 10 s`, async () => {
      const lines: string[] = [];
      const { report, durationMs } = await runLab({ exchange, print: (l) => lines.push(l) });
      console.log(`lab run exchange-um --exchange ${exchange}: ${durationMs} ms`);
      expect(report.results.map((r) => [r.step.number, r.status])).toEqual([
        [1, 'pass'],
        [2, 'pass'],
        [3, 'pass'],
        [4, 'pass'],
        [5, 'pass'],
        [6, 'pass'],
      ]);
      expect(report.passed).toBe(true);
      expect(report.handshake?.ok).toBe(true);
      expect(report.handshake?.sipResponse).toBe('SIP/2.0 200 OK');
      expect(report.handshake?.clientVerdict?.chain.policy.name).toBe('S_OK');
      expect(report.handshake?.serverVerdict?.chain.policy.name).toBe('S_OK');
      expect(durationMs).toBeLessThan(10_000);
      const text = lines.join('\n');
      // The article's numbering: tasks 1–5, procedure B has 13 steps, 2007 SP1's request 12.
      expect(text).toContain('Task 1 — Download the CA certificate');
      expect(text).toContain('  13. Next → Finish → "The import was successful." (LocalMachine\\Root)');
      expect(text).toMatch(/certnew\.cer\?ReqID=CACert&Renewal=0&Enc=b64/);
      expect(text).toMatch(/POST certfnsh\.asp → Request Id \d+/);
      if (exchange === '2007sp1') {
        expect(text).toContain('  12. "Your new certificate has been successfully installed"');
        expect(text).toMatch(
          / {2}6\. Event Viewer → event ID 1112: \[SYNTHETIC\] The Unified Messaging server loaded the certificate/,
        );
      } else {
        expect(text).toContain('Set-UMServer -Identity EX01 -UMStartupMode Dual');
        expect(text).toMatch(/[0-9A-F]{40} {2}\.\.U\.\.\. {2}CN=ex01\.contoso\.com {2}Valid/);
      }
      expect(text).toMatch(/Automated run took \d+\.\d\d s/);
    });

  it('walks through the procedure in French with the French labels of the article', async () => {
    const lines: string[] = [];
    const { report } = await runLab({ exchange: '2007sp1', lang: 'fr', print: (l) => lines.push(l) });
    expect(report.passed).toBe(true);
    const text = lines.join('\n');
    for (const label of [
      "Tâche 1 — Téléchargez le certificat d'autorité de certification du serveur Exchange Server",
      "« Télécharger un certificat d'autorité de certification, une chaîne de certificats ou la liste de révocation de certificats »",
      '« Méthode de codage Base 64 »',
      'Téléchargement de fichier → Enregistrer',
      "« Compte d'ordinateur » → Suivant",
      "« Ordinateur local : (l'ordinateur sur lequel cette console s'exécute) » → Terminer",
      'Certificats (ordinateur local) → Autorités de certification racines de confiance → Certificats',
      'Toutes les tâches → Importer',
      '« Placer tous les certificats dans le magasin suivant »',
      "« L'importation s'est terminée correctement. »",
      '« Demande de certificat avancée »',
      '« Créer et soumettre une demande de certification auprès de cette Autorité de certification »',
      '« Serveur web »',
      "« Informations d'identification pour les modèles hors connexion » → Nom : ex01.contoso.com",
      "« Stocker le certificat dans le magasin de certificats de l'ordinateur local »",
      '« Certificat émis » → « Installer ce certificat »',
      '« Votre nouveau certificat a été correctement installé »',
      'Personnel → Certificats',
      'Redémarrez le service de messagerie unifiée Microsoft Exchange',
      "Observateur d'événements → ID de l'événement 1112",
      'Tâche 5 — Assignez le certificat du serveur Exchange Server',
      '[RÉUSSI]  4. Créez une demande de certificat pour le serveur Exchange Server et installez le certificat',
      'Résultat : toutes les étapes sont réussies.',
    ])
      expect(text).toContain(label);
    expect(text).not.toContain('Computer account');
    // The UM server's events are written in the lab's language too (lab init keeps it).
    expect(text).toMatch(
      /ID de l'événement 1112 : \[SYNTHETIC\] Le serveur de messagerie unifiée a chargé le certificat avec l'empreinte numérique [0-9A-F]{40} \(objet « CN=ex01\.contoso\.com »/,
    );
    expect(text).not.toContain('[SYNTHETIC] The ');
  });
});

describe('formatReport', () => {
  const step = (number: number, en: string, fr: string) => ({ id: `s${number}`, number, title: { en, fr } });
  const report = {
    scenario: 'exchange-um',
    results: [
      { step: step(1, 'One', 'Un'), status: 'pass', detail: { en: 'done', fr: 'fait' }, code: 'OK' },
      {
        step: step(2, 'Two', 'Deux'),
        status: 'fail',
        detail: { en: 'wrong', fr: 'faux' },
        hint: { en: 'redo', fr: 'refaire' },
        code: 'WRONG',
      },
      {
        step: step(3, 'Three', 'Trois'),
        status: 'pending',
        detail: { en: 'later', fr: 'plus tard' },
        code: 'WAIT',
      },
    ],
    passed: false,
    handshake: undefined,
  } as const;
  const full = { ...report, firstFailure: report.results[1] } as unknown as Parameters<
    typeof formatReport
  >[0];

  for (const lang of ['en', 'fr'] as const)
    it(`lines up step numbers, details and hints under every mark (${lang})`, () => {
      const lines = formatReport(full, lang);
      const steps = lines.filter((l) => /^ {2}\[/.test(l));
      const others = lines.slice(0, 7).filter((l) => !/^ {2}\[/.test(l));
      expect(steps).toHaveLength(3);
      const column = steps[0]!.indexOf('1.');
      for (const [i, l] of steps.entries()) expect(l.indexOf(`${i + 1}.`)).toBe(column);
      expect(others).toHaveLength(4);
      for (const l of others) expect(l.search(/\S/)).toBe(column);
      expect(lines).toContain(
        lang === 'fr' ? `${' '.repeat(column)}Indice : refaire` : `${' '.repeat(column)}Hint: redo`,
      );
      expect(steps[0]).toMatch(lang === 'fr' ? /^ {2}\[RÉUSSI\] +1\. Un$/ : /^ {2}\[PASS\] +1\. One$/);
    });
});

describe('lab run into an existing lab', () => {
  it('refuses with ERR_LAB_EXISTS before writing anything into it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'certlab-lab-exists-'));
    try {
      await runLab({ exchange: '2010', dir });
      const enroll = join(dir, 'ca', 'CertEnroll');
      const before = new Map<string, string>();
      for (const f of await readdir(enroll))
        before.set(
          f,
          createHash('sha256')
            .update(await readFile(join(enroll, f)))
            .digest('hex'),
        );
      expect(before.size).toBeGreaterThan(0);
      await expect(runLab({ exchange: '2010', dir })).rejects.toMatchObject({ code: 'ERR_LAB_EXISTS' });
      for (const [f, digest] of before)
        expect(
          createHash('sha256')
            .update(await readFile(join(enroll, f)))
            .digest('hex'),
          f,
        ).toBe(digest);
      expect((await readdir(enroll)).sort()).toEqual([...before.keys()].sort());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('step 5 and the event log', () => {
  it('needs event 1112 naming the certificate: a cleared log fails NOT_RESTARTED until UM is restarted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'certlab-lab-events-'));
    try {
      const { report } = await runLab({ exchange: '2007sp1', dir });
      expect(report.passed).toBe(true);
      await rm(join(dir, 'hosts', 'ex01', 'lab-state', 'application-log.json'));
      let session = await openLabSession(dir);
      let step5 = (await checkLab(session)).results.find((r) => r.step.number === 5)!;
      expect(step5).toMatchObject({ status: 'fail', code: 'NOT_RESTARTED' });
      expect(step5.detail.en).toContain('the last event 1112 does not name');
      const um = await ExchangeUmService.open(session.host('exchange-um'), { network: session.network });
      await um.restart();
      session = await openLabSession(dir);
      step5 = (await checkLab(session)).results.find((r) => r.step.number === 5)!;
      expect(step5).toMatchObject({ status: 'pass', code: 'OK' });
      expect(step5.detail.en).toContain('the last event 1112 names it');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('TCP mode set without a restart: step 5 fails and says the service still listens until it restarts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'certlab-lab-tcp-'));
    try {
      await runLab({ exchange: '2010', dir });
      let session = await openLabSession(dir);
      const um = await ExchangeUmService.open(session.host('exchange-um'), { network: session.network });
      await um.setStartupMode('TCP');
      session = await openLabSession(dir);
      let report = await checkLab(session);
      const step5 = report.results.find((r) => r.step.number === 5)!;
      expect(step5).toMatchObject({ status: 'fail', code: 'UM_TCP_MODE' });
      expect(step5.detail.en).toMatch(
        /at its next restart UM stops listening for TLS on 5061 \(it still runs in Dual mode since /,
      );
      expect(step5.detail.fr).toContain('elle fonctionne encore en mode Dual depuis');
      expect(report.handshake?.ok).toBe(true);
      await um.restart();
      report = await checkLab(await openLabSession(dir));
      expect(report.results.find((r) => r.step.number === 5)?.detail.en).toContain(
        'UM does not listen for TLS on 5061.',
      );
      expect(report.handshake?.failure?.by).toBe('network');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
