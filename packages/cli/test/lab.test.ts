// `certlab lab`: the automated run through the CLI, and a trainee's session on a lab prepared by
// `lab init`, working with the ordinary commands (ca cert, store import, csr new, ca submit,
// convert, lab um) while `lab check` and `lab hint` grade each step.

import { execFileSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readCertificates } from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, cli, removeTempDirs, tempDir } from './helpers.js';

let dir: string;
let init: CliResult;

/** The words a POSIX shell makes of a printed command (quotes removed, globs expanded in `dir`). */
function shellWords(command: string): string[] {
  return execFileSync('bash', ['-c', `for w in ${command}; do printf '%s\\0' "$w"; done`], {
    cwd: dir,
    encoding: 'utf8',
  })
    .split('\0')
    .slice(0, -1);
}

beforeAll(async () => {
  dir = await tempDir();
  init = await cli(dir, 'lab', 'init', 'exchange-um', '--dir', 'lab', '--exchange', '2010');
});
afterAll(removeTempDirs);

describe('certlab lab run', () => {
  it('runs the whole procedure (Exchange 2010) and ends with a successful mutual-TLS handshake', async () => {
    const r = await cli(dir, 'lab', 'run', 'exchange-um', '--exchange', '2010');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Task 5 — Assign the certificate of the Exchange server');
    expect(r.stdout).toMatch(/Mutual TLS handshake: succeeded \(TLSv1\.[23]/);
    expect(r.stdout).toContain('Result: every step passed.');
    const seconds = Number(/Automated run took (\d+\.\d\d) s/.exec(r.stdout)?.[1]);
    console.log(`certlab lab run exchange-um --exchange 2010: ${seconds} s`);
    expect(seconds).toBeLessThan(10);
  });

  it('runs the Exchange 2007 SP1 path in French', async () => {
    const r = await cli(dir, 'lab', 'run', 'exchange-um', '--exchange', '2007sp1', '--lang', 'fr');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Observateur d'événements → ID de l'événement 1112");
    expect(r.stdout).toMatch(/Négociation TLS mutuelle : réussie/);
    expect(r.stdout).toMatch(/Durée de l'exécution automatique : \d+,\d\d s/);
    // French marks, French handshake wording.
    expect(r.stdout).toContain('  [RÉUSSI]  6. ');
    expect(r.stdout).not.toMatch(/\[(PASS|FAIL)\]/);
  });

  it('shows an injected mistake: exit 1, the failing step and its hint', async () => {
    const r = await cli(dir, 'lab', 'run', 'exchange-um', '--mistake', 'um-tcp');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('[injected mistake] The UM startup mode is left at TCP (Exchange 2010)');
    expect(r.stdout).toContain('Result: failed at step 5 (UM_TCP_MODE).');
    expect(r.stdout).toContain('Mutual TLS handshake: FAILED — ECONNREFUSED');
  });

  it("the LYNC_ROOT_MISSING hint's command can be pasted into a shell as printed, and fixes step 6", async () => {
    // A lab directory with white space and the characters sh reads even inside double quotes.
    const labDir = "root less $HOME `id` it's";
    const r = await cli(
      dir,
      'lab',
      'run',
      'exchange-um',
      '--mistake',
      'root-missing-on-lync',
      '--dir',
      labDir,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('LYNC_ROOT_MISSING');
    const hint = (await cli(dir, 'lab', 'hint', '--dir', labDir)).stdout;
    const command = /certlab (store import .*--store Root)/.exec(hint)?.[1];
    expect(command, hint).toBeDefined();
    const words = shellWords(command!);
    expect(words[2]!.startsWith(`${labDir}/ca/CertEnroll/`), words[2]).toBe(true);
    expect(words[2]).toMatch(/\/[^/]+_Contoso Root CA\.crt$/);
    // The lab directory's space is quoted in --machine too.
    expect(words[words.indexOf('--machine') + 1]).toBe(`${labDir}/hosts/lync01`);
    const imported = await cli(dir, ...words);
    expect(imported.code, imported.stderr).toBe(0);
    const check = await cli(dir, 'lab', 'check', '--dir', labDir, '--format', 'json');
    const steps = (JSON.parse(check.stdout) as { steps: { number: number; code: string }[] }).steps;
    expect(steps.find((x) => x.number === 6)?.code).toBe('OK');
  });

  it('chain-into-root passes with a warning (exit 0); the warning is in JSON and lab hint, and its command clears it', async () => {
    const labDir = 'p7b run';
    const r = await cli(dir, 'lab', 'run', 'exchange-um', '--mistake', 'chain-into-root', '--dir', labDir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'Warning [CHAIN_IN_ROOT]: LocalMachine\\Root of EX01 also holds "Contoso Issuing CA"',
    );
    expect(r.stdout).toContain('Result: every step passed.');
    const json = async () =>
      JSON.parse((await cli(dir, 'lab', 'check', '--dir', labDir, '--format', 'json')).stdout) as {
        passed: boolean;
        steps: { number: number; warnings: { code: string; detail: string; hint: string | null }[] }[];
      };
    const before = await json();
    expect(before.passed).toBe(true);
    expect(before.steps.map((s) => s.warnings.map((w) => w.code))).toEqual([
      [],
      ['CHAIN_IN_ROOT'],
      [],
      [],
      [],
      [],
    ]);
    const hint = await cli(dir, 'lab', 'hint', '--dir', labDir);
    expect(hint.code).toBe(0);
    expect(hint.stdout).toMatch(
      /^Every step passes\.\nWarning, step 2 — Install the CA certificate \[CHAIN_IN_ROOT\]\n/,
    );
    const command = /certlab (store delete [0-9A-F]{40} .*--store Root)$/m.exec(hint.stdout)?.[1];
    expect(command, hint.stdout).toBeDefined();
    const deleted = await cli(dir, ...shellWords(command!));
    expect(deleted.code, deleted.stderr).toBe(0);
    const after = await json();
    expect(after.passed).toBe(true);
    expect(after.steps.flatMap((s) => s.warnings)).toEqual([]);
    expect((await cli(dir, 'lab', 'hint', '--dir', labDir)).stdout).toBe('Every step passes.\n');
  });

  it("the NO_PRIVATE_KEY detail's store show command prints certutil's 'No key provider information'", async () => {
    expect(
      (await cli(dir, 'lab', 'run', 'exchange-um', '--mistake', 'no-private-key', '--dir', 'nokey run')).code,
    ).toBe(1);
    const check = JSON.parse(
      (await cli(dir, 'lab', 'check', '--dir', 'nokey run', '--format', 'json')).stdout,
    ) as {
      steps: { number: number; code: string; detail: string }[];
    };
    const step4 = check.steps.find((x) => x.number === 4)!;
    expect(step4.code).toBe('NO_PRIVATE_KEY');
    const command = /certlab (store show [0-9A-F]{40} --machine "nokey run\/hosts\/ex01")/.exec(
      step4.detail,
    )?.[1];
    expect(command, step4.detail).toBeDefined();
    const shown = await cli(dir, ...shellWords(command!));
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(
      'No key provider information\nCannot find the certificate and private key for decryption.',
    );
  });

  it("the REVOKED hint's command reads the lab's published CRL and finds the serial, for a run's in-memory CA too", async () => {
    const r = await cli(dir, 'lab', 'run', 'exchange-um', '--mistake', 'revoked', '--dir', 'revoked run');
    expect(r.code).toBe(1);
    const hint = (await cli(dir, 'lab', 'hint', '--dir', 'revoked run')).stdout;
    const command = /certlab (crl show .*--serial [0-9A-F]+)/.exec(hint)?.[1];
    expect(command, hint).toBeDefined();
    const words = shellWords(command!);
    const shown = await cli(dir, ...words);
    expect(shown.stderr).toBe('');
    expect(shown.stdout).toContain('REVOKED');
  });

  it('lab init quotes a lab directory with white space in every command it prints', async () => {
    const r = await cli(dir, 'lab', 'init', 'exchange-um', '--dir', 'mon labo é', '--lang', 'fr');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('certlab serve --dir "mon labo é/ca" --lang fr');
    expect(r.stdout).toMatch(/EX01 +ex01\.contoso\.com +--machine "mon labo é\/hosts\/ex01"/);
    expect(r.stdout).not.toMatch(/--(dir|machine) mon labo/);
    const none = await cli(dir, 'lab', 'check', '--dir', 'pas de labo');
    expect(none.stderr).toMatch(/certlab lab init exchange-um --dir "[^"]*pas de labo"/);
  });

  it('rejects unknown scenarios and mistakes as usage errors', async () => {
    expect((await cli(dir, 'lab', 'run', 'sharepoint')).code).toBe(2);
    const r = await cli(dir, 'lab', 'run', 'exchange-um', '--mistake', 'um-tcp', '--exchange', '2007sp1');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--exchange 2010');
  });
});

describe('a trainee session on certlab lab init', () => {
  const lab = (...a: string[]) => cli(dir, 'lab', ...a, '--dir', 'lab');
  const ex = ['--machine', 'lab/hosts/ex01'];

  it('prepares the hosts, a CA usable by the ca commands, and prints the first step', async () => {
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('Task 1 — Download the CA certificate');
    expect(init.stdout).toContain('certlab serve --dir lab/ca');
    expect(init.stdout).toMatch(/EX01 +ex01\.contoso\.com +--machine lab\/hosts\/ex01/);
    const caJson = JSON.parse(await readFile(join(dir, 'lab/ca/ca.json'), 'utf8'));
    expect(caJson).toMatchObject({
      name: 'Contoso Issuing CA',
      rootName: 'Contoso Root CA',
      baseUrl: 'http://ca01.contoso.com',
    });
    expect((await cli(dir, 'ca', 'list', '--dir', 'lab/ca')).code).toBe(0);
    expect((await cli(dir, 'lab', 'init', 'exchange-um', '--dir', 'lab')).code).toBe(2);
  });

  it('grades each step while the trainee works, with hints tied to the mistakes', async () => {
    let check = await lab('check');
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('Result: failed at step 1 (CA_NOT_DOWNLOADED).');

    // Task 1: the CA certificate, saved on EX01.
    expect(
      (await cli(dir, 'ca', 'cert', '--dir', 'lab/ca', '--out', 'lab/hosts/ex01/Downloads/certnew.cer')).code,
    ).toBe(0);
    // Task 2, the classic mistake: "My user account".
    const wrong = await cli(
      dir,
      'store',
      'import',
      'lab/hosts/ex01/Downloads/certnew.cer',
      ...ex,
      '--location',
      'CurrentUser',
      '--store',
      'Root',
    );
    expect(wrong.code).toBe(0);
    check = await lab('check');
    expect(check.stdout).toContain('Result: failed at step 2 (ROOT_IN_USER_STORE).');
    const hint = await lab('hint', '--lang', 'fr');
    expect(hint.stdout).toContain('Étape 2');
    expect(hint.stdout).toContain("« Compte d'ordinateur », pas « Mon compte d'utilisateur »");
    // The file the trainee saved, and the French console names for the import it suggests.
    expect(hint.stdout).toContain(
      'certlab store import lab/hosts/ex01/Downloads/certnew.cer --machine lab/hosts/ex01 --location LocalMachine --store Root --lang fr',
    );
    expect(
      (
        await cli(
          dir,
          'store',
          'import',
          'lab/hosts/ex01/Downloads/certnew.cer',
          ...ex,
          '--location',
          'LocalMachine',
          '--store',
          'Root',
        )
      ).code,
    ).toBe(0);
    check = await lab('check');
    expect(check.stdout).toContain('Result: failed at step 4 (NO_CERTIFICATE).');

    // Task 4: request, submit to the CA, install with the key.
    expect(
      (
        await cli(
          dir,
          ...['csr', 'new', '--new-key', 'rsa', '--key-out', 'ex01.key', '--subject', 'CN=ex01.contoso.com'],
          ...['--dns', 'ex01.contoso.com', '--template', 'WebServer', '--out', 'ex01.req'],
        )
      ).code,
    ).toBe(0);
    // The lab CA has AD CS's default permissions: Web Server is for Domain Admins and Enterprise
    // Admins, so a request with no requester (or an ordinary one) is denied, and the lab's
    // administrator (in both groups, per DIR/ca/users.json) gets the certificate.
    // The issued certificate and its key as a .pfx, imported into EX01's LocalMachine\My.
    const installPfx = async (cer: string, key: string, pfx: string) => {
      const password = ['--password', 'Lab-P@ss1'];
      const converted = await cli(
        dir,
        'convert',
        cer,
        '--to',
        'pfx',
        '--key',
        key,
        ...password,
        '--out',
        pfx,
      );
      expect(converted.code, converted.stderr).toBe(0);
      return cli(
        dir,
        'store',
        'import',
        pfx,
        ...ex,
        '--location',
        'LocalMachine',
        '--store',
        'My',
        ...password,
      );
    };
    const submitWeb = (...extra: string[]) =>
      cli(dir, ...['ca', 'submit', '--dir', 'lab/ca', 'ex01.req', '--template', 'WebServer'], ...extra);
    const anonymous = await submitWeb();
    expect(anonymous.code).toBe(1);
    expect(anonymous.stdout).toContain('0x80094012 (-2146877422 CERTSRV_E_TEMPLATE_DENIED)');
    check = await lab('check');
    expect(check.stdout).toContain('the account is not in Domain Admins: sign in as CONTOSO\\administrator.');
    expect(check.stdout).toContain('--template WebServer --requester administrator --out certnew.cer');
    // A subject that is not the FQDN, with the FQDN as a SAN only: step 4 says WRONG_NAME
    // (reference exchange-um-lync.md §8: "subject CN = server FQDN (SAN may add names)").
    const short = ['--template', 'WebServer'];
    const shortCsr = await cli(
      dir,
      ...['csr', 'new', '--new-key', 'rsa', '--key-out', 'short.key', '--subject', 'CN=EX01'],
      ...['--dns', 'ex01.contoso.com', ...short, '--out', 'short.req'],
    );
    expect(shortCsr.code, shortCsr.stderr).toBe(0);
    const shortIssued = await cli(
      dir,
      'ca',
      'submit',
      '--dir',
      'lab/ca',
      'short.req',
      ...short,
      '--requester',
      'administrator',
      '--out',
      'short.cer',
    );
    expect(shortIssued.code, shortIssued.stderr).toBe(0);
    const shortInstalled = await installPfx('short.cer', 'short.key', 'short.pfx');
    expect(shortInstalled.code).toBe(0);
    check = await lab('check');
    expect(check.stdout).toContain('Result: failed at step 4 (WRONG_NAME).');
    // Removed again, as a trainee would: the right certificate, issued in the same second, must
    // not depend on which of the two the checker looks at first.
    const shortThumb = /([0-9A-F]{40})\s+\[private key\]/.exec(shortInstalled.stdout)?.[1];
    const removed = await cli(
      dir,
      'store',
      'delete',
      shortThumb!,
      ...ex,
      '--location',
      'LocalMachine',
      '--store',
      'My',
    );
    expect(removed.code, removed.stderr).toBe(0);
    const submit = await submitWeb('--requester', 'administrator', '--out', 'certnew.cer');
    expect(submit.code).toBe(0);
    const imp = await installPfx('certnew.cer', 'ex01.key', 'ex01.pfx');
    expect(imp.code).toBe(0);
    const thumb = /([0-9A-F]{40})\s+\[private key\]/.exec(imp.stdout)?.[1];
    expect(thumb).toBeDefined();

    // Task 5 (2010): refused in TCP mode, then the right order.
    const refused = await lab('um', 'assign', '--thumbprint', thumb!);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `certlab: [SYNTHETIC] The certificate ${thumb} cannot be enabled for UM: the UM startup mode of EX01 is TCP.`,
    );
    expect(refused.stderr).toContain('[ERR_LAB_UM_STARTUP_MODE]');
    // --lang fr on an English lab: the same refusal, in French.
    const refusedFr = await lab('um', 'assign', '--thumbprint', thumb!, '--lang', 'fr');
    expect(refusedFr.code).toBe(1);
    expect(refusedFr.stderr).toContain(
      `certlab: [SYNTHETIC] Le certificat ${thumb} ne peut pas être activé pour la messagerie unifiée : le mode de démarrage de la messagerie unifiée d'EX01 est TCP.`,
    );
    expect(refusedFr.stderr).toContain('[ERR_LAB_UM_STARTUP_MODE]');
    check = await lab('check');
    expect(check.stdout).toContain('Result: failed at step 5 (UM_TCP_MODE).');
    expect(check.stdout).toContain('Mutual TLS handshake: FAILED — ECONNREFUSED');
    expect((await lab('um', 'restart')).stdout).toContain(': TCP mode, no certificate (TCP)');
    expect((await lab('um', 'startup-mode', 'Dual')).code).toBe(0);
    // The thumbprint as the MMC's Details tab copies it (lower case, spaced): the echoed cmdlet
    // line has it in one word, as PowerShell needs it.
    const spaced = thumb!.toLowerCase().replace(/(..)(?=.)/g, '$1 ');
    const assigned = await lab('um', 'assign', '--thumbprint', spaced);
    expect(assigned.code).toBe(0);
    expect(assigned.stdout).toContain(`Enable-ExchangeCertificate -Thumbprint ${thumb} -Services UM`);
    check = await lab('check');
    expect(check.stdout).toContain('Result: failed at step 5 (NOT_RESTARTED).');
    const restart = await lab('um', 'restart');
    expect(restart.stdout).toContain(
      `Information 1112: [SYNTHETIC] The Unified Messaging server loaded the certificate with thumbprint ${thumb}`,
    );
    const certs = await lab('um', 'certs');
    expect(certs.stdout).toMatch(new RegExp(`${thumb} +\\.\\.U\\.\\.\\. +Valid +CN=ex01\\.contoso\\.com`));

    check = await lab('check');
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('Result: every step passed.');
    expect(check.stdout).toMatch(/Mutual TLS handshake: succeeded/);
    const json = JSON.parse((await lab('check', '--format', 'json')).stdout);
    expect(json.passed).toBe(true);
    expect(json.steps).toHaveLength(6);
    expect(json.handshake.ok).toBe(true);
    expect((await lab('hint')).stdout).toContain('Every step passes.');
  });

  it('sees a revocation published only in a delta CRL (announced by the base CRL), and a delta CRL it cannot fetch', async () => {
    // AD CS announces its delta CRLs in the base CRL's Freshest CRL extension, not in the
    // certificates: a client that reads only the certificates' CDP misses the revocation.
    const serial = readCertificates(new Uint8Array(await readFile(join(dir, 'certnew.cer'))))[0]!
      .serialNumber;
    expect(
      (await cli(dir, 'ca', 'revoke', '--dir', 'lab/ca', '--serial', serial, '--reason', 'keyCompromise'))
        .code,
    ).toBe(0);
    expect((await cli(dir, 'ca', 'crl', '--dir', 'lab/ca', '--delta')).code).toBe(0);
    let check = await lab('check');
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('Result: failed at step 4 (REVOKED).');
    expect(check.stdout).toMatch(/Mutual TLS handshake: FAILED — CRYPT_E_REVOKED/);
    // The delta CRL cannot be fetched (IIS refusing the "+" of its name, reference §6.5): the base
    // alone is not trusted, the revocation status is offline.
    const delta = join(dir, 'lab/ca/CertEnroll/Contoso Issuing CA+.crl');
    const saved = await readFile(delta);
    await rm(delta);
    check = await lab('check');
    expect(check.stdout).toContain('Result: failed at step 4 (CRL_UNREACHABLE).');
    expect(check.stdout).toContain('Contoso%20Issuing%20CA+.crl');
    await writeFile(delta, saved);
  });
});

describe('lab um arguments', () => {
  it('refuses a stray VALUE instead of ignoring it (exit 2, nothing changed)', async () => {
    expect((await cli(dir, 'lab', 'init', 'exchange-um', '--dir', 'stray')).code).toBe(0);
    const um = (...a: string[]) => cli(dir, 'lab', 'um', ...a, '--dir', 'stray');
    // A thumbprint variable split by the shell: the second half must not be dropped silently.
    const split = await um('assign', '--thumbprint', 'E1E81C23B3AD33F9B4D1', '717B20AB65DBB91AC630');
    expect(split.code).toBe(2);
    expect(split.stderr).toContain(
      "certlab: unexpected argument '717B20AB65DBB91AC630': the thumbprint is given by --thumbprint already (quote a thumbprint that has spaces).",
    );
    const restart = await um('restart', 'now');
    expect(restart.code).toBe(2);
    expect(restart.stderr).toContain("certlab: unexpected argument 'now': restart takes none.");
    expect((await um('events')).stdout).not.toContain('1112');
    // An event ID that is not a number matched nothing and printed "(no events)", exit 0.
    const badId = await um('events', '--id', 'abc');
    expect(badId.code).toBe(2);
    expect(badId.stderr).toContain("--id must be an event ID (a number such as 1112), not 'abc'.");
    expect((await um('events', '--id', '1112')).code).toBe(0);
    // The positional forms still work.
    expect((await um('startup-mode', 'dual')).code).toBe(0);
  });
});

describe('lab um reminders', () => {
  it('quote a lab directory with a space, so the command can be pasted', async () => {
    expect((await cli(dir, 'lab', 'init', 'exchange-um', '--dir', 'my lab')).code).toBe(0);
    const r = await cli(dir, 'lab', 'um', 'startup-mode', 'Dual', '--dir', 'my lab');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'Restart the service for it to take effect: certlab lab um restart --dir "my lab"',
    );
  });
});

describe('lab errors in the language of the lab', () => {
  it('reports them in French for a French lab, in English with --lang en, codes and exit codes unchanged', async () => {
    const fr = (...a: string[]) => cli(dir, 'lab', ...a, '--dir', 'labo');
    expect((await fr('init', 'exchange-um', '--lang', 'fr')).code).toBe(0);

    const missing = await fr('um', 'assign', '--thumbprint', '00'.repeat(20));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      `certlab: Le certificat avec l'empreinte numérique ${'00'.repeat(20)} est introuvable dans LocalMachine\\My sur EX01 : importez-le d'abord sur ce serveur avec sa clé privée. [ERR_LAB_CERTIFICATE_NOT_FOUND]\n`,
    );
    const missingEn = await fr('um', 'assign', '--thumbprint', '00'.repeat(20), '--lang', 'en');
    expect(missingEn.code).toBe(1);
    expect(missingEn.stderr).toContain(
      `certlab: The certificate with thumbprint ${'00'.repeat(20)} was not found in LocalMachine\\My on EX01`,
    );

    // lab check --format json: the handshake's failure in the lab's language too.
    const json = JSON.parse((await fr('check', '--format', 'json')).stdout);
    expect(json.handshake.failure).toEqual({
      by: 'network',
      code: 'ECONNREFUSED',
      message:
        "lync01.contoso.com n'a pas pu ouvrir SIP sur TLS vers ex01.contoso.com : ECONNREFUSED (rien n'écoute en TLS).",
    });

    const again = await fr('init', 'exchange-um', '--lang', 'fr');
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(
      'certlab: labo contient déjà un labo : choisissez un autre répertoire, ou supprimez-le pour recommencer (voir docs/lab-guide.fr.md, « Recommencer »). [ERR_LAB_EXISTS]\n',
    );

    // An error met while the lab is being opened (an unreadable event log) is French too.
    const log = join(dir, 'labo', 'hosts', 'ex01', 'lab-state', 'application-log.json');
    const saved = await readFile(log, 'utf8');
    await writeFile(log, '{ not json');
    const unreadable = await fr('check');
    await writeFile(log, saved);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toMatch(
      /^certlab: Le journal d'événements .*application-log\.json est illisible ; supprimez-le pour repartir d'un journal vide\. \[ERR_LAB_CONFIG_INVALID\]\n$/,
    );

    // No lab to read the language from: --lang decides.
    const none = await cli(dir, 'lab', 'check', '--dir', 'nowhere', '--lang', 'fr');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^certlab: Il n'y a pas de labo dans .*nowhere : préparez-en un avec/);
    expect((await cli(dir, 'lab', 'check', '--dir', 'nowhere')).stderr).toMatch(
      /^certlab: There is no lab in /,
    );

    const mistake = await cli(dir, 'lab', 'run', 'exchange-um', '--mistake', 'nope', '--lang', 'fr');
    expect(mistake.code).toBe(2);
    expect(mistake.stderr).toMatch(
      /^certlab: « nope » n'est pas une erreur de exchange-um ; choisissez parmi : /,
    );
  });
});
