// Acceptance: each classic mistake (exchange-um-lync.md §7), injected into the automated run,
// makes `lab check` fail at the right step with the hint tied to the real mistake, AND makes the
// real mutual-TLS handshake fail the way a deployment would.

import { mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertsOnlyPkcs7 } from '@certlab/pki';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLab, nextHint, openLabSession, runLab } from '../src/index.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

interface Case {
  exchange: '2007sp1' | '2010';
  mistake: string;
  step: number;
  code: string;
  hint: RegExp;
  /** Who refuses, and with what. */
  by: 'client' | 'server' | 'network';
  failure: string;
}

const CASES: Case[] = [
  {
    exchange: '2010',
    mistake: 'root-in-user-store',
    step: 2,
    code: 'ROOT_IN_USER_STORE',
    hint: /step 4: .*"Computer account", not "My user account"/,
    // Lync trusts UM (its own root), but UM's machine context does not trust Lync's chain.
    by: 'server',
    failure: 'CERT_E_UNTRUSTEDROOT',
  },
  {
    exchange: '2007sp1',
    mistake: 'root-in-user-store',
    step: 2,
    code: 'ROOT_IN_USER_STORE',
    hint: /"Computer account"/,
    // 2007 SP1 passes over the (untrusted) CA certificate and falls back to the self-signed one.
    by: 'client',
    failure: 'CERT_E_UNTRUSTEDROOT',
  },
  {
    exchange: '2010',
    mistake: 'root-missing-on-lync',
    step: 6,
    code: 'LYNC_ROOT_MISSING',
    hint: /IMPORTANT box: .*mutually trusted root CA certificates.*LocalMachine\\Root of LYNC01/,
    by: 'client',
    failure: 'CERT_E_UNTRUSTEDROOT',
  },
  {
    exchange: '2010',
    mistake: 'wrong-fqdn',
    step: 4,
    code: 'WRONG_NAME',
    hint: /Subject Name you must enter the FQDN of the Exchange server/,
    by: 'client',
    failure: 'CERT_E_CN_NO_MATCH',
  },
  {
    exchange: '2007sp1',
    mistake: 'wrong-fqdn',
    step: 4,
    code: 'WRONG_NAME',
    hint: /step 6: .*Name = the FQDN/,
    by: 'client',
    failure: 'CERT_E_UNTRUSTEDROOT',
  },
  {
    exchange: '2010',
    mistake: 'no-private-key',
    step: 4,
    code: 'NO_PRIVATE_KEY',
    hint: /import the certificate together with that key .*--to pfx --key/,
    // Enable-ExchangeCertificate refused it: UM has no TLS listener.
    by: 'network',
    failure: 'ECONNREFUSED',
  },
  {
    exchange: '2010',
    mistake: 'template-denied',
    step: 4,
    code: 'NO_CERTIFICATE',
    hint: /"Certificate Request Denied" \(status 0x80094012, CERTSRV_E_TEMPLATE_DENIED\), the account is not in Domain Admins: sign in as CONTOSO\\administrator\.$/,
    // Nothing to assign: 2010 UM has no certificate for TLS, so no listener.
    by: 'network',
    failure: 'ECONNREFUSED',
  },
  {
    exchange: '2007sp1',
    mistake: 'template-denied',
    step: 4,
    code: 'NO_CERTIFICATE',
    hint: /--template WebServer --requester administrator --out certnew\.cer .*sign in as CONTOSO\\administrator\.$/,
    // 2007 SP1 falls back to its self-signed certificate, which LYNC01 does not trust.
    by: 'client',
    failure: 'CERT_E_UNTRUSTEDROOT',
  },
  {
    exchange: '2007sp1',
    mistake: 'cert-in-user-store',
    step: 4,
    code: 'CERT_IN_USER_STORE',
    hint: /step 7: tick "Store certificate in the local computer certificate store"/,
    // UM does not see CurrentUser\\My: it falls back to its self-signed certificate.
    by: 'client',
    failure: 'CERT_E_UNTRUSTEDROOT',
  },
  {
    exchange: '2010',
    mistake: 'expired',
    step: 4,
    code: 'EXPIRED',
    hint: /request and install a new certificate/,
    by: 'client',
    failure: 'CERT_E_EXPIRED',
  },
  {
    exchange: '2010',
    mistake: 'revoked',
    step: 4,
    code: 'REVOKED',
    hint: /A revoked certificate cannot be used again/,
    by: 'client',
    failure: 'CRYPT_E_REVOKED',
  },
  {
    exchange: '2010',
    mistake: 'cdp-down',
    step: 4,
    code: 'CRL_UNREACHABLE',
    hint: /Check that the URL answers \(the CA host's web site: certlab serve --dir DIR\/ca/,
    by: 'client',
    failure: 'CRYPT_E_REVOCATION_OFFLINE',
  },
  {
    exchange: '2010',
    mistake: 'um-tcp',
    step: 5,
    code: 'UM_TCP_MODE',
    hint: /-UMStartupMode Dual .*certlab lab um startup-mode Dual/,
    by: 'network',
    failure: 'ECONNREFUSED',
  },
  {
    exchange: '2007sp1',
    mistake: 'no-restart',
    step: 5,
    code: 'NOT_RESTARTED',
    hint: /steps 5–6: restart the Microsoft Exchange Unified Messaging service/,
    by: 'client',
    failure: 'CERT_E_UNTRUSTEDROOT',
  },
];

describe('lab check catches each classic mistake', () => {
  for (const c of CASES)
    it(`${c.mistake} (Exchange ${c.exchange}) fails step ${c.step} with ${c.code}, and the handshake fails (${c.by}: ${c.failure})`, async () => {
      const { report } = await runLab({ exchange: c.exchange, mistake: c.mistake });
      expect(report.passed).toBe(false);
      expect(report.firstFailure?.step.number).toBe(c.step);
      expect(report.firstFailure?.code).toBe(c.code);
      expect(report.firstFailure?.hint?.en).toMatch(c.hint);
      expect(report.firstFailure?.hint?.fr.length).toBeGreaterThan(20);
      expect(nextHint(report)?.code).toBe(c.code);
      expect(report.handshake?.ok).toBe(false);
      expect(report.handshake?.failure?.by).toBe(c.by);
      expect(report.handshake?.failure?.code).toBe(c.failure);
      expect(report.results.find((r) => r.step.number === 6)?.status).toBe('fail');
      // The refusal is quoted in the check's detail in both languages.
      const f = report.handshake!.failure!;
      expect(f.localized?.en).toBe(f.message);
      expect(f.localized?.fr).toMatch(
        / a refusé le certificat (de |d')| n'a pas pu ouvrir SIP sur TLS vers | a fermé la connexion/,
      );
      // One code for one mistake: the steps and the handshake judge online alike (the missing
      // root fetched from the AIA URL, then untrusted), so no step says CERT_E_CHAINING.
      if (c.failure === 'CERT_E_UNTRUSTEDROOT')
        for (const r of report.results.filter((x) => x.status === 'fail'))
          expect(r.detail.en, `step ${r.step.number}`).not.toContain('CERT_E_CHAINING');
      // French typography: a space before the colon that introduces the chain's flags.
      expect(f.localized?.fr).not.toMatch(/\(0x[0-9a-f]{8}\):/);
      const step6 = report.results.find((r) => r.step.number === 6)!;
      expect(step6.detail.en).toContain(f.message);
      expect(step6.detail.fr).toContain(f.localized!.fr);
      // The handshake hint names only the steps that did not pass (2007 SP1 not restarted: step 4
      // passed, so only step 5).
      if (c.mistake === 'no-restart') {
        expect(step6.hint?.en).toMatch(/ Fix step 5\.$/);
        expect(step6.hint?.fr).toMatch(/ Corrigez l'étape 5\.$/);
      }
    });

  it('template-denied: certsrv does not offer Web Server to an ordinary account and the CA records the denial', async () => {
    for (const lang of ['en', 'fr'] as const) {
      const lines: string[] = [];
      await runLab({ exchange: '2007sp1', lang, mistake: 'template-denied', print: (l) => lines.push(l) });
      const text = lines.join('\n');
      if (lang === 'en') {
        expect(text).toContain('(signed in as CONTOSO\\exchadmin)');
        expect(text).toContain('  5. Certificate Template: "Web Server" is not in the list (User):');
        expect(text).toMatch(
          /→ "Certificate Request Denied": Your Request Id is \d+\. The disposition message is "Denied by Policy Module"\./,
        );
        expect(text).toMatch(
          /Failed Requests → Request \d+, Request Status Code: The permissions on the certificate template do not allow the current user to enroll for this type of certificate\. 0x80094012 \(-2146877422 CERTSRV_E_TEMPLATE_DENIED\)/,
        );
        expect(text).toContain('No certificate from "Contoso Issuing CA" is listed.');
      } else {
        // French pages: the template's French display name.
        expect(text).toContain("« Serveur web » n'est pas dans la liste (Utilisateur)");
        expect(text).toContain('Demandes ayant échoué');
      }
      expect(text).not.toMatch(/LocalMachine\\My \+=/);
    }
  });

  it("step 2's hint imports the file the trainee saved, whatever its name", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'certlab-lab-test-'));
    dirs.push(dir);
    const lab = join(dir, 'lab');
    await runLab({ exchange: '2010', mistake: 'auto-placement', dir: lab });
    const downloads = join(lab, 'hosts', 'ex01', 'Downloads');
    await rename(join(downloads, 'certnew.cer'), join(downloads, 'contoso ca.cer'));
    const report = await checkLab(lab, { displayDir: 'L' });
    expect(report.firstFailure?.code).toBe('AUTO_PLACEMENT');
    expect(report.firstFailure?.hint?.en).toContain(
      'certlab store import "L/hosts/ex01/Downloads/contoso ca.cer" --machine L/hosts/ex01 --location LocalMachine --store Root',
    );
    expect(report.firstFailure?.hint?.fr).toMatch(/--store Root --lang fr$/);
  });

  it("step 2's hint never suggests importing a saved chain (.p7b) into Root: it asks for the CA certificate", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'certlab-lab-test-'));
    dirs.push(dir);
    const lab = join(dir, 'lab');
    await runLab({ exchange: '2010', dir: lab });
    const session = await openLabSession(lab);
    const { root, issuing } = await session.caCertificates();
    await session
      .host('exchange-um')
      .machine.store('LocalMachine', 'Root')
      .remove(await issuing.thumbprint());
    const downloads = join(lab, 'hosts', 'ex01', 'Downloads');
    await rm(join(downloads, 'certnew.cer'));
    await writeFile(join(downloads, 'certnew.p7b'), createCertsOnlyPkcs7([issuing, root]));
    const report = await checkLab(lab, { displayDir: 'L' });
    expect(report.firstFailure?.code).toBe('CA_NOT_INSTALLED');
    const hint = report.firstFailure!.hint!;
    expect(hint.en).toContain(
      'certlab store import L/hosts/ex01/Downloads/certnew.cer --machine L/hosts/ex01 --location LocalMachine --store Root (Downloads/certnew.p7b is the chain: save "Download CA certificate" as Downloads/certnew.cer first, task 1)',
    );
    expect(hint.en).not.toContain('store import L/hosts/ex01/Downloads/certnew.p7b');
    expect(hint.fr).toContain('--store Root --lang fr (Downloads/certnew.p7b est la chaîne : ');
  });

  it('a revoked certificate is caught from the CRL in the CA CertEnroll folder when certsrv is not running', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'certlab-lab-test-'));
    dirs.push(dir);
    const lab = join(dir, 'lab');
    await runLab({ exchange: '2010', mistake: 'revoked', dir: lab });
    const report = await checkLab(lab); // no server: the CDP URL resolves to DIR/ca/CertEnroll
    expect(report.firstFailure?.code).toBe('REVOKED');
    expect(report.handshake?.failure?.code).toBe('CRYPT_E_REVOKED');
    expect(report.handshake?.clientVerdict?.chain.errors).toContain('IS_REVOKED');
  });

  it('with no CRL anywhere both sides would refuse: the client (which judges first) is named, with the CRL hint', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'certlab-lab-test-'));
    dirs.push(dir);
    const lab = join(dir, 'lab');
    await runLab({ exchange: '2010', dir: lab });
    const enroll = join(lab, 'ca', 'CertEnroll');
    for (const f of await readdir(enroll)) if (f.endsWith('.crl')) await rm(join(enroll, f));
    const seen: string[] = [];
    for (let i = 0; i < 12; i++) {
      const report = await checkLab(lab);
      const f = report.handshake?.failure;
      seen.push(`${f?.by}:${f?.code}`);
      const step6 = report.results.find((r) => r.step.number === 6)!;
      expect(step6.hint?.en).toContain(
        'cannot fetch a CRL of the chain; publish fresh CRLs: console /certsrv/admin/',
      );
    }
    expect(new Set(seen)).toEqual(new Set(['client:CRYPT_E_REVOCATION_OFFLINE']));
  });

  it('is not a mistake to trust the root instead of the issuing CA: the issuing CA comes from the AIA URL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'certlab-lab-test-'));
    dirs.push(dir);
    const lab = join(dir, 'lab');
    const { report: article } = await runLab({ exchange: '2010', dir: lab });
    // The article's procedure on a two-tier hierarchy (the issuing CA alone in Root): no warning.
    expect(article.passed).toBe(true);
    expect(article.results.flatMap((r) => r.warnings ?? [])).toEqual([]);
    const session = await openLabSession(lab);
    const { root, issuing } = await session.caCertificates();
    const ex01 = session.host('exchange-um');
    await ex01.machine.store('LocalMachine', 'Root').remove(await issuing.thumbprint());
    await ex01.machine.store('LocalMachine', 'Root').add(root);
    const report = await checkLab(lab);
    expect(report.results.map((r) => r.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'pass']);
    expect(report.handshake?.ok).toBe(true);
    expect(report.results.flatMap((r) => r.warnings ?? [])).toEqual([]);
  });

  it("root-in-user-store (2007 SP1): the administrator's own dialog says OK, the service does not trust the root (reference §7)", async () => {
    const lines: string[] = [];
    const { report } = await runLab({
      exchange: '2007sp1',
      lang: 'en',
      mistake: 'root-in-user-store',
      print: (l) => lines.push(l),
    });
    expect(lines.join('\n')).toContain('  4. Double-click: "This certificate is OK."');
    expect(report.passed).toBe(false);
    expect(report.results.find((r) => r.status === 'fail')?.code).toBe('ROOT_IN_USER_STORE');
  });

  it('chain-into-root: a .p7b chain in Root works, so every step passes, with a warning on step 2 (reference §7)', async () => {
    for (const [exchange, lang] of [
      ['2010', 'en'],
      ['2007sp1', 'fr'],
    ] as const) {
      const lines: string[] = [];
      const { report } = await runLab({
        exchange,
        lang,
        mistake: 'chain-into-root',
        print: (l) => lines.push(l),
      });
      expect(report.passed).toBe(true);
      expect(report.handshake?.ok).toBe(true);
      expect(nextHint(report)).toBeUndefined();
      const warned = report.results.filter((r) => r.warnings);
      expect(warned.map((r) => r.step.id)).toEqual(['install-ca']);
      const [w] = warned[0]!.warnings!;
      expect(w!.code).toBe('CHAIN_IN_ROOT');
      expect(w!.detail.en).toMatch(
        /^LocalMachine\\Root of EX01 also holds "Contoso Issuing CA", an intermediate CA issued by "Contoso Root CA", which is there too: /,
      );
      expect(w!.detail.fr).toMatch(/^LocalMachine\\Root d'EX01 contient aussi « Contoso Issuing CA », /);
      expect(w!.hint?.en).toMatch(
        /import the CA certificate \(\.cer\), not the chain\. .*: certlab store delete [0-9A-F]{40} --machine DIR\/hosts\/ex01 --location LocalMachine --store Root$/,
      );
      const text = lines.join('\n');
      if (lang === 'en') {
        expect(text).toContain(
          '"Download CA certificate chain" → certnew.p7b?ReqID=CACert&Renewal=0&Enc=b64',
        );
        expect(text).toContain('  10. Browse → hosts/ex01/Downloads/certnew.p7b → Next');
        expect(text).toMatch(/\n {12}Warning \[CHAIN_IN_ROOT\]: LocalMachine\\Root of EX01 /);
        expect(text).toMatch(/\n {12}Hint: Article, "To install the CA certificate": /);
      } else {
        expect(text).toContain(
          "« Télécharger la chaîne de certificats d'autorité de certification » → certnew.p7b",
        );
        expect(text).toMatch(/\n {12}Avertissement \[CHAIN_IN_ROOT\] : LocalMachine\\Root d'EX01 /);
        expect(text).toContain('  Résultat : toutes les étapes sont réussies.');
      }
    }
  });

  it("a chain put into the Lync front end's Root (fixing its trust) is a warning on step 6; deleting the intermediate clears it", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'certlab-lab-test-'));
    dirs.push(dir);
    const lab = join(dir, 'lab');
    await runLab({ exchange: '2010', dir: lab });
    const session = await openLabSession(lab);
    const { issuing } = await session.caCertificates();
    const lyncRoot = session.host('lync').machine.store('LocalMachine', 'Root');
    await lyncRoot.add(issuing);
    let report = await checkLab(lab);
    expect(report.passed).toBe(true);
    const step6 = report.results.find((r) => r.step.id === 'mutual-tls')!;
    expect(step6.warnings?.map((w) => w.code)).toEqual(['CHAIN_IN_ROOT']);
    expect(step6.warnings?.[0]?.hint?.en).toContain(
      `certlab store delete ${await issuing.thumbprint()} --machine ${lab}/hosts/lync01 --location LocalMachine --store Root`,
    );
    expect(report.results.find((r) => r.step.id === 'install-ca')!.warnings).toBeUndefined();
    await lyncRoot.remove(await issuing.thumbprint());
    report = await checkLab(lab);
    expect(report.results.flatMap((r) => r.warnings ?? [])).toEqual([]);
  });
});
