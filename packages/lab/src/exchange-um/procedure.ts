// `lab run exchange-um`: the article performed automatically on the lab hosts, really over the
// CA's certsrv endpoints on loopback, each step printed with the article's numbering and labels
// (French labels from the French edition when the lab speaks French). A trainer can inject one
// classic mistake (steps.ts) to show its symptoms.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Certificate,
  createCsr,
  generateKeyPair,
  type PrivateKey,
  readPkiFile,
  subjectAltName,
} from '@certlab/pki';
import { buildChain, certificateVerdict, importFile } from '@certlab/store-sim';
import { publishCrls } from '../ca-publication.js';
import { CertsrvClient } from '../certsrv-client.js';
import { isLabError, LabError } from '../errors.js';
import { ExchangeUmService, lastCertificateLoaded } from '../exchange-um-service.js';
import { deFr } from '../internal/french-de.js';
import { hostOf } from '../lab-config.js';
import { HOST_DOWNLOADS_DIR } from '../lab-host.js';
import { CERT_ENROLL, type LabSession } from '../lab-session.js';
import { type LabLang, type Localized, l10n } from '../localized.js';
import type { ScenarioRunContext } from '../scenario.js';
import { EXCHANGE_UM_MISTAKES, EXCHANGE_UM_STEPS } from './steps.js';

const EXCHANGE_UM_MISTAKE_TITLES: Record<string, Localized> = Object.fromEntries(
  EXCHANGE_UM_MISTAKES.map((m) => [m.id, m.title]),
);

/** The first certificate of a downloaded .cer (Base64 or DER) or .p7b. */
async function firstCertificate(bytes: Uint8Array, lang: LabLang): Promise<Certificate> {
  const f = await readPkiFile(bytes);
  const c = f.kind === 'certificate' || f.kind === 'pkcs7' ? f.certificates[0] : undefined;
  if (!c)
    throw new LabError(
      'ERR_LAB_CERTSRV',
      l10n(
        `certsrv sent a ${f.kind} file where a certificate was expected.`,
        `certsrv a envoyé un fichier ${f.kind} au lieu d'un certificat.`,
      ),
      { lang },
    );
  return c;
}

/**
 * Performs the Exchange UM procedure on a prepared lab.
 *
 * @example
 * ```ts
 * await runExchangeUm(session, {
 *   lang: 'en', mistake: undefined, print: console.log, certsrvUrl, ca, setCaTime, ordinaryAccount,
 * });
 * ```
 */
export async function runExchangeUm(session: LabSession, ctx: ScenarioRunContext): Promise<void> {
  const lang = ctx.lang;
  const say = (t: Localized) => ctx.print(t[lang]);
  const mistake = ctx.mistake;
  const v2010 = session.config.exchange === '2010';
  const ex = session.host('exchange-um');
  const lync = session.host('lync');
  const caFqdn = hostOf(session.config, 'ca').fqdn;
  const exDir = hostOf(session.config, 'exchange-um').dir;
  // `template-denied`: the trainee works under an Exchange administrator's account that is not in
  // Domain Admins, so the lab CA's Web Server template (AD CS's default permissions) refuses it.
  const denied = mistake === 'template-denied';
  // `cert-in-user-store` (2007 SP1, request step 7 not ticked): the browser keeps the key and the
  // certificate in the signed-in user's profile.
  const userStore = mistake === 'cert-in-user-store';
  const web = new CertsrvClient(
    ctx.certsrvUrl,
    denied ? await ctx.ordinaryAccount() : session.config.ca.account,
    lang,
  );
  const um = await ExchangeUmService.open(ex, {
    network: session.network,
    now: session.now,
    lang: session.config.lang,
  });
  const task = (n: number) => {
    const s = EXCHANGE_UM_STEPS[n - 1]!;
    ctx.print('');
    ctx.print(`${lang === 'fr' ? 'Tâche' : 'Task'} ${n} — ${s.title[lang]}`);
  };
  const mistakeNote = (t: Localized) =>
    ctx.print(`   ${lang === 'fr' ? '[erreur injectée]' : '[injected mistake]'} ${t[lang]}`);

  if (mistake === 'root-missing-on-lync') {
    const root = await session.caCertificates();
    await lync.machine.store('LocalMachine', 'Root').remove(await root.root.thumbprint());
    mistakeNote(
      l10n(
        `Only the UM server is configured: "${session.config.ca.rootName}" is removed from LocalMachine\\Root of ${lync.name}.`,
        `Seul le serveur de messagerie unifiée est configuré : « ${session.config.ca.rootName} » est retiré de LocalMachine\\Root ${deFr(lync.name)}.`,
      ),
    );
  }

  // --- Task 1: "To download the CA certificate" ---------------------------------------------
  task(1);
  await web.home();
  say(
    l10n(
      `  1. On ${ex.fqdn}: Start, Run, http://${caFqdn}/certsrv, OK → GET /certsrv/ 200 (signed in as ${web.account})`,
      `  1. Sur ${ex.fqdn} : Démarrer, Exécuter, http://${caFqdn}/certsrv, OK → GET /certsrv/ 200 (connecté en tant que ${web.account})`,
    ),
  );
  say(
    l10n(
      '  2. Select a task → "Download a CA certificate, certificate chain, or CRL" → certcarc.asp',
      "  2. Sélectionnez une tâche → « Télécharger un certificat d'autorité de certification, une chaîne de certificats ou la liste de révocation de certificats » → certcarc.asp",
    ),
  );
  // `chain-into-root`: the chain link (certnew.p7b: the issuing CA, then the root) instead of the
  // CA certificate's; task 2 then puts every certificate of it into Root.
  const chainFile = mistake === 'chain-into-root';
  const caFile = chainFile ? 'certnew.p7b' : 'certnew.cer';
  const caCer = chainFile ? await web.downloadCaChain('b64') : await web.downloadCaCertificate('b64');
  say(
    chainFile
      ? l10n(
          `  3. "Base 64" → "Download CA certificate chain" → certnew.p7b?ReqID=CACert&Renewal=0&Enc=b64 (${caCer.length} bytes)`,
          `  3. « Méthode de codage Base 64 » → « Télécharger la chaîne de certificats d'autorité de certification » → certnew.p7b?ReqID=CACert&Renewal=0&Enc=b64 (${caCer.length} octets)`,
        )
      : l10n(
          `  3. "Base 64" → "Download CA certificate" → certnew.cer?ReqID=CACert&Renewal=0&Enc=b64 (${caCer.length} bytes)`,
          `  3. « Méthode de codage Base 64 » → « Télécharger un certificat de l'autorité de certification » → certnew.cer?ReqID=CACert&Renewal=0&Enc=b64 (${caCer.length} octets)`,
        ),
  );
  if (chainFile) mistakeNote(EXCHANGE_UM_MISTAKE_TITLES['chain-into-root']!);
  const downloads = join(ex.dir!, HOST_DOWNLOADS_DIR);
  await mkdir(downloads, { recursive: true });
  await writeFile(join(downloads, caFile), caCer);
  say(
    l10n(
      `  4. File Download → Save → ${exDir}/${HOST_DOWNLOADS_DIR}/${caFile} (no store changes yet)`,
      `  4. Téléchargement de fichier → Enregistrer → ${exDir}/${HOST_DOWNLOADS_DIR}/${caFile} (aucun magasin modifié)`,
    ),
  );

  // --- Task 2: "To install the CA certificate" ------------------------------------------------
  task(2);
  const userAccount = mistake === 'root-in-user-store';
  const auto = mistake === 'auto-placement';
  say(l10n('  1. Start, Run, mmc, OK', '  1. Démarrer, Exécuter, mmc, OK'));
  say(
    l10n(
      '  2. File → Add/Remove Snap-in → Add',
      '  2. Fichier → Ajouter/Supprimer un composant logiciel enfichable → Ajouter',
    ),
  );
  say(
    l10n(
      '  3. Add Standalone Snap-in → Certificates → Add',
      "  3. Ajout d'un composant logiciel enfichable autonome → Certificats → Ajouter",
    ),
  );
  if (userAccount) {
    say(
      l10n(
        '  4. Certificates snap-in → "My user account" → Finish',
        "  4. Composant logiciel enfichable Certificats → « Mon compte d'utilisateur » → Terminer",
      ),
    );
    mistakeNote(EXCHANGE_UM_MISTAKE_TITLES['root-in-user-store']!);
    say(
      l10n(
        '  5. (no computer to select for a user account)',
        "  5. (aucun ordinateur à choisir pour un compte d'utilisateur)",
      ),
    );
  } else {
    say(
      l10n(
        '  4. Certificates snap-in → "Computer account" → Next',
        "  4. Composant logiciel enfichable Certificats → « Compte d'ordinateur » → Suivant",
      ),
    );
    say(
      l10n(
        '  5. Select Computer → "Local computer: (the computer this console is running on)" → Finish',
        "  5. Sélectionner un ordinateur → « Ordinateur local : (l'ordinateur sur lequel cette console s'exécute) » → Terminer",
      ),
    );
  }
  say(l10n('  6. Close → OK', '  6. Fermer → OK'));
  say(
    userAccount
      ? l10n(
          '  7. Certificates - Current User → Trusted Root Certification Authorities → Certificates',
          '  7. Certificats - Utilisateur actuel → Autorités de certification racines de confiance → Certificats',
        )
      : l10n(
          '  7. Certificates (Local Computer) → Trusted Root Certification Authorities → Certificates',
          '  7. Certificats (ordinateur local) → Autorités de certification racines de confiance → Certificats',
        ),
  );
  say(
    l10n(
      '  8. Right-click Certificates → All Tasks → Import',
      '  8. Clic droit sur Certificats → Toutes les tâches → Importer',
    ),
  );
  say(l10n('  9. Next', '  9. Suivant'));
  say(
    l10n(
      `  10. Browse → ${exDir}/${HOST_DOWNLOADS_DIR}/${caFile} → Next`,
      `  10. Parcourir → ${exDir}/${HOST_DOWNLOADS_DIR}/${caFile} → Suivant`,
    ),
  );
  if (auto) {
    say(
      l10n(
        '  11. "Automatically select the certificate store based on the type of certificate"',
        '  11. « Sélectionner automatiquement le magasin de certificats selon le type de certificat »',
      ),
    );
    mistakeNote(EXCHANGE_UM_MISTAKE_TITLES['auto-placement']!);
    say(l10n('  12. (no store to browse to)', '  12. (aucun magasin à choisir)'));
  } else {
    say(
      l10n(
        '  11. "Place all certificates in the following store"',
        '  11. « Placer tous les certificats dans le magasin suivant »',
      ),
    );
    say(
      l10n(
        '  12. Browse → Trusted Root Certification Authorities',
        '  12. Parcourir → Autorités de certification racines de confiance',
      ),
    );
  }
  const imported = await importFile(ex.machine, caCer, {
    location: userAccount ? 'CurrentUser' : 'LocalMachine',
    store: auto ? 'auto' : 'Root',
    lang,
  });
  // The dialog's title, its first sentence and its question, in the trainee's language.
  for (const w of imported.securityWarnings) {
    const lines = w.split('\n');
    ctx.print(`      ${lines[0]}${lang === 'fr' ? ' : ' : ': '}${lines[1]} … ${lines.at(-1)}`);
  }
  say(
    l10n(
      `  13. Next → Finish → "${imported.message.en}" (${imported.certificates.map((e) => `${e.location}\\${e.store}`).join(', ')})`,
      `  13. Suivant → Terminer → « ${imported.message.fr} » (${imported.certificates.map((e) => `${e.location}\\${e.store}`).join(', ')})`,
    ),
  );

  // --- Task 3: "To verify that the CA is in the list of trusted root CAs" ---------------------
  task(3);
  say(
    l10n(
      '  1. Certificates (Local Computer) → Trusted Root Certification Authorities → Certificates',
      '  1. Certificats (ordinateur local) → Autorités de certification racines de confiance → Certificats',
    ),
  );
  const caCert = await firstCertificate(caCer, lang);
  const caThumb = await caCert.thumbprint();
  const present = ex.machine.store('LocalMachine', 'Root').get(caThumb) !== undefined;
  say(
    present
      ? l10n(
          `  2. Details pane: "${caCert.subject.commonName}" is listed (${caThumb}).`,
          `  2. Volet de détail : « ${caCert.subject.commonName} » figure dans la liste (${caThumb}).`,
        )
      : l10n(
          `  2. Details pane: "${caCert.subject.commonName}" is NOT listed.`,
          `  2. Volet de détail : « ${caCert.subject.commonName} » ne figure PAS dans la liste.`,
        ),
  );

  // --- Task 4: request and install the certificate ----------------------------------------------
  task(4);
  const name = mistake === 'wrong-fqdn' ? ex.name : ex.fqdn;
  const keys = await generateKeyPair({ type: 'rsa', bits: 2048 });
  const csr = await createCsr({
    subject: `CN=${name}`,
    privateKey: keys.privateKey,
    // New-ExchangeCertificate adds the CN to the SAN list (reference §5.1); the in-browser 2007
    // request names the server the same way here so that one name check covers both paths.
    extensions: [subjectAltName([{ type: 'dns', value: name }])],
    template: 'WebServer',
  });
  if (mistake === 'expired') {
    ctx.setCaTime(new Date(session.now().getTime() - 25 * 30 * 86_400_000));
    mistakeNote(EXCHANGE_UM_MISTAKE_TITLES.expired!);
  }
  /** Submits the request; undefined when the CA does not issue it (the page and the CA's status are printed). */
  const submit = async (): Promise<number | undefined> => {
    const r = await web.submit(csr.toPem(), 'WebServer');
    if (r.disposition === 'issued') return r.requestId;
    const status = (await ctx.ca.retrieve(r.requestId)).status;
    say(
      r.disposition === 'pending'
        ? l10n(
            `     → "Certificate Pending": Your Request Id is ${r.requestId}.`,
            `     → « Certificat en attente » : Votre ID de demande est ${r.requestId}.`,
          )
        : l10n(
            `     → "Certificate Request Denied": Your Request Id is ${r.requestId}. The disposition message is "${r.message}".`,
            `     → « Demande de certificat refusée » : Votre ID de demande est ${r.requestId}. Le message de décision est « ${r.message} ».`,
          ),
    );
    const folder =
      r.disposition === 'pending'
        ? l10n('Pending Requests', 'Demandes en attente')
        : l10n('Failed Requests', 'Demandes ayant échoué');
    say(
      l10n(
        `     On ${caFqdn}: Certification Authority → ${folder.en} → Request ${r.requestId}, Request Status Code: ${status}`,
        `     Sur ${caFqdn} : Autorité de certification → ${folder.fr} → demande ${r.requestId}, code d'état : ${status}`,
      ),
    );
    return undefined;
  };
  /** With `template-denied`: the templates certsrv offers the account, Web Server not among them. */
  const templateList = async (prefix: string) => {
    const offered = (await web.templates()).map((t) => t.displayName);
    const list = offered.length > 0 ? offered.join(', ') : lang === 'fr' ? '(aucun)' : '(none)';
    say(
      l10n(
        `${prefix}Certificate Template: "Web Server" is not in the list (${list}): certsrv lists only the templates the account may enroll for`,
        `${prefix}Modèle de certificat : « Serveur web » n'est pas dans la liste (${list}) : certsrv ne propose que les modèles que le compte peut demander`,
      ),
    );
    mistakeNote(EXCHANGE_UM_MISTAKE_TITLES['template-denied']!);
  };
  let requestId: number | undefined;
  let cer: Uint8Array | undefined;
  try {
    if (!v2010) {
      say(
        l10n(
          `  1. Start, Run, http://${caFqdn}/certsrv`,
          `  1. Démarrer, Exécuter, http://${caFqdn}/certsrv`,
        ),
      );
      await web.home();
      say(
        l10n(
          '  2. Select a task → "Request a certificate"',
          '  2. Sélectionnez une tâche → « Demander un certificat »',
        ),
      );
      say(l10n('  3. "Advanced certificate request"', '  3. « Demande de certificat avancée »'));
      say(
        l10n(
          '  4. "Create and submit a request to this CA"',
          '  4. « Créer et soumettre une demande de certification auprès de cette Autorité de certification »',
        ),
      );
      if (denied) await templateList('  5. ');
      else
        say(l10n('  5. Certificate Template: "Web Server"', '  5. Modèle de certificat : « Serveur web »'));
      say(
        l10n(
          `  6. "Identifying Information For Offline Template" → Name: ${name}`,
          `  6. « Informations d'identification pour les modèles hors connexion » → Nom : ${name}`,
        ),
      );
      if (mistake === 'wrong-fqdn') mistakeNote(EXCHANGE_UM_MISTAKE_TITLES['wrong-fqdn']!);
      if (userStore) {
        say(
          l10n(
            '  7. Key Options → "Store certificate in the local computer certificate store" (NOT ticked: user key set)',
            "  7. Options de la clé → « Stocker le certificat dans le magasin de certificats de l'ordinateur local » (NON activé : clé de l'utilisateur)",
          ),
        );
        mistakeNote(EXCHANGE_UM_MISTAKE_TITLES['cert-in-user-store']!);
      } else
        say(
          l10n(
            '  7. Key Options → "Store certificate in the local computer certificate store" (ticked: machine key set)',
            "  7. Options de la clé → « Stocker le certificat dans le magasin de certificats de l'ordinateur local » (activé : clé de l'ordinateur)",
          ),
        );
      if (denied)
        say(
          l10n(
            '  8. Submit, with the Web Server template requested anyway (CertificateTemplate:WebServer) → POST certfnsh.asp',
            '  8. Envoyer, en demandant quand même le modèle Serveur web (CertificateTemplate:WebServer) → POST certfnsh.asp',
          ),
        );
      requestId = await submit();
      if (requestId !== undefined) {
        say(
          l10n(
            `  8. Submit → POST certfnsh.asp → Request Id ${requestId}`,
            `  8. Envoyer → POST certfnsh.asp → ID de demande ${requestId}`,
          ),
        );
        say(l10n('  9. Yes', '  9. Oui'));
        cer = await web.downloadCertificate(requestId);
        say(
          l10n(
            `  10. "Certificate Issued" → "Install this certificate" → certnew.cer?ReqID=${requestId}&Enc=b64`,
            `  10. « Certificat émis » → « Installer ce certificat » → certnew.cer?ReqID=${requestId}&Enc=b64`,
          ),
        );
      }
    } else {
      say(
        l10n(
          `  1. Log on to ${ex.fqdn} with the appropriate rights ("Client Access Permissions")`,
          `  1. Connectez-vous à ${ex.fqdn} avec les droits appropriés (« Autorisations d'accès client »)`,
        ),
      );
      say(
        l10n(
          `  2. "Create a New Exchange Certificate": New-ExchangeCertificate -GenerateRequest -SubjectName "CN=${name}" -DomainName ${name} -FriendlyName "Exchange UM" -KeySize 2048 -PrivateKeyExportable $true`,
          `  2. « Créer un certificat Exchange » : New-ExchangeCertificate -GenerateRequest -SubjectName "CN=${name}" -DomainName ${name} -FriendlyName "Exchange UM" -KeySize 2048 -PrivateKeyExportable $true`,
        ),
      );
      if (mistake === 'wrong-fqdn') mistakeNote(EXCHANGE_UM_MISTAKE_TITLES['wrong-fqdn']!);
      await writeFile(join(downloads, 'ex01.req'), csr.toPem());
      if (denied) {
        say(
          l10n(
            '     certsrv: "Submit a certificate request by using a base-64-encoded … file" (certrqxt.asp)',
            '     certsrv : « Soumettre une demande de certificat en utilisant un fichier … codé en base 64 » (certrqxt.asp)',
          ),
        );
        await templateList('     ');
        say(
          l10n(
            '     The request is submitted with the Web Server template anyway (CertificateTemplate:WebServer) → POST certfnsh.asp',
            '     La demande est envoyée quand même avec le modèle Serveur web (CertificateTemplate:WebServer) → POST certfnsh.asp',
          ),
        );
      }
      requestId = await submit();
      if (requestId !== undefined) {
        cer = await web.downloadCertificate(requestId);
        await writeFile(join(downloads, 'certnew-ex01.cer'), cer);
        say(
          l10n(
            `     certsrv: "Submit a certificate request by using a base-64-encoded … file" (certrqxt.asp), template "Web Server" → POST certfnsh.asp → Request Id ${requestId} → Base 64 → "Download certificate" (certnew.cer?ReqID=${requestId}&Enc=b64)`,
            `     certsrv : « Soumettre une demande de certificat en utilisant un fichier … codé en base 64 » (certrqxt.asp), modèle « Serveur web » → POST certfnsh.asp → ID de demande ${requestId} → Base 64 → « Télécharger le certificat » (certnew.cer?ReqID=${requestId}&Enc=b64)`,
          ),
        );
      }
    }
  } finally {
    if (mistake === 'expired') ctx.setCaTime(session.now());
  }
  const issued = cer ? await firstCertificate(cer, lang) : undefined;
  let key: PrivateKey | undefined = keys.privateKey;
  if (mistake === 'no-private-key') {
    key = undefined;
    mistakeNote(EXCHANGE_UM_MISTAKE_TITLES['no-private-key']!);
  }
  const entry = issued
    ? await ex.machine
        .store(userStore ? 'CurrentUser' : 'LocalMachine', 'My')
        .add(issued, { ...(key ? { key } : {}), properties: { friendlyName: 'Exchange UM' } })
    : undefined;
  const installedIn = userStore ? 'CurrentUser\\My' : 'LocalMachine\\My';
  if (!entry)
    say(
      l10n(
        `     No certificate: nothing is installed in LocalMachine\\My of ${ex.name}.`,
        `     Aucun certificat : rien n'est installé dans LocalMachine\\My ${deFr(ex.name)}.`,
      ),
    );
  else if (!v2010) {
    say(
      l10n(
        `  11. Yes → ${installedIn} += ${entry.thumbprint}${entry.hasPrivateKey ? ' (with its private key)' : ' (NO private key)'}`,
        `  11. Oui → ${installedIn} += ${entry.thumbprint}${entry.hasPrivateKey ? ' (avec sa clé privée)' : ' (SANS clé privée)'}`,
      ),
    );
    say(
      l10n(
        '  12. "Your new certificate has been successfully installed"',
        '  12. « Votre nouveau certificat a été correctement installé »',
      ),
    );
  } else
    say(
      l10n(
        `     "Import an Exchange Certificate": Import-ExchangeCertificate -FileData … → LocalMachine\\My += ${entry.thumbprint}${entry.hasPrivateKey ? ' (with its private key)' : ' (NO private key)'}`,
        `     « Importer un certificat Exchange » : Import-ExchangeCertificate -FileData … → LocalMachine\\My += ${entry.thumbprint}${entry.hasPrivateKey ? ' (avec sa clé privée)' : ' (SANS clé privée)'}`,
      ),
    );
  if (mistake === 'revoked' && issued) {
    await ctx.ca.revoke(issued.serialNumber, 'keyCompromise');
    await publishCrls(ctx.ca, join(session.dir, session.config.ca.dir, CERT_ENROLL));
    mistakeNote(EXCHANGE_UM_MISTAKE_TITLES.revoked!);
  }

  // --- Task 5: assign the certificate -------------------------------------------------------------
  task(5);
  if (!v2010) {
    say(l10n('  1. Open the MMC (Computer account)', "  1. Ouvrez la console MMC (Compte d'ordinateur)"));
    say(l10n('  2. Personal → Certificates', '  2. Personnel → Certificats'));
    if (issued && entry && !userStore) {
      say(
        l10n(
          `  3. The personal certificate is listed: ${issued.subject.commonName} (${entry.thumbprint})`,
          `  3. Le certificat personnel est affiché : ${issued.subject.commonName} (${entry.thumbprint})`,
        ),
      );
      // The dialog is the administrator's: it judges with the user's chain engine, which sees
      // CurrentUser\Root besides the machine's, so a root imported with "My user account" looks
      // fine here ("This certificate is OK.") while the service, in the machine context, does
      // not trust it (reference exchange-um-lync.md §7).
      const chain = await buildChain(ex.machine, entry, { context: 'CurrentUser' });
      const verdict = certificateVerdict(chain, { hasPrivateKey: entry.hasPrivateKey }, lang);
      say(
        l10n(
          `  4. Double-click: "${verdict.pathStatus}"${verdict.keyLine ? ` — "${verdict.keyLine}"` : ''}`,
          `  4. Double-clic : « ${verdict.pathStatus} »${verdict.keyLine ? ` — « ${verdict.keyLine} »` : ''}`,
        ),
      );
    } else {
      say(
        l10n(
          `  3. No certificate from "${session.config.ca.name}" is listed.`,
          `  3. Aucun certificat de « ${session.config.ca.name} » n'est affiché.`,
        ),
      );
      say(l10n('  4. (nothing to double-click)', '  4. (rien à ouvrir)'));
    }
    if (mistake === 'no-restart') {
      mistakeNote(EXCHANGE_UM_MISTAKE_TITLES['no-restart']!);
    } else {
      const r = await um.restart();
      say(
        l10n(
          `  5. Restart the Microsoft Exchange Unified Messaging service → ${r.certificate ?? 'no certificate'}${r.selfSigned ? ' (self-signed)' : ''}`,
          `  5. Redémarrez le service de messagerie unifiée Microsoft Exchange → ${r.certificate ?? 'aucun certificat'}${r.selfSigned ? ' (auto-signé)' : ''}`,
        ),
      );
    }
    const last = lastCertificateLoaded(ex);
    say(
      l10n(
        `  6. Event Viewer → event ID 1112: ${last?.message ?? '(none)'}`,
        `  6. Observateur d'événements → ID de l'événement 1112 : ${last?.message ?? '(aucun)'}`,
      ),
    );
  } else {
    say(
      l10n(
        `  1. Log on to ${ex.fqdn} with the appropriate rights ("Client Access Permissions")`,
        `  1. Connectez-vous à ${ex.fqdn} avec les droits appropriés (« Autorisations d'accès client »)`,
      ),
    );
    say(
      l10n('  2. "Assign Services to a Certificate":', '  2. « Attribuer des services à un certificat » :'),
    );
    if (mistake === 'um-tcp') mistakeNote(EXCHANGE_UM_MISTAKE_TITLES['um-tcp']!);
    else {
      await um.setStartupMode('Dual');
      ctx.print(`     Set-UMServer -Identity ${ex.name} -UMStartupMode Dual`);
    }
    if (entry) {
      ctx.print(`     Enable-ExchangeCertificate -Thumbprint ${entry.thumbprint} -Services UM`);
      try {
        await um.enableCertificate(entry.thumbprint, ['UM']);
      } catch (e) {
        if (!isLabError(e)) throw e;
        ctx.print(`       ${e.message}`);
      }
    } else
      say(
        l10n(
          '     (no certificate from the CA to give Enable-ExchangeCertificate)',
          "     (aucun certificat de l'autorité à donner à Enable-ExchangeCertificate)",
        ),
      );
    const r = await um.restart();
    ctx.print(
      `     Restart-Service MSExchangeUM → ${r.mode}, ${r.certificate ?? (lang === 'fr' ? 'aucun certificat' : 'no certificate')}`,
    );
    const rows = await um.certificates();
    ctx.print('     Get-ExchangeCertificate');
    for (const row of rows)
      ctx.print(`       ${row.thumbprint}  ${row.services}  ${row.subject}  ${row.status}`);
  }
  if (mistake === 'cdp-down') {
    // After the procedure, so that what it did went through: from now on the CA host's web site
    // (its /CertEnroll/, where the certificates' CDP and AIA URLs point) does not answer.
    session.network.set(caFqdn, {});
    ctx.print('');
    mistakeNote(EXCHANGE_UM_MISTAKE_TITLES['cdp-down']!);
  }
}
