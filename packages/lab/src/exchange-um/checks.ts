// `lab check` for the Exchange UM scenario: grades each task of the article on the hosts' real
// state (stores, keys, the UM service, the CA's CRLs) and ends with a real mutual-TLS handshake.
// Every failure names what is wrong and a hint tied to the article step behind the classic
// mistake (exchange-um-lync.md §7), in the lab's language; §8 is the end state checked.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crlFileName } from '@certlab/ca-sim';
import { type Certificate, decodeMsCaVersion, OID, readPkiFile } from '@certlab/pki';
import { buildChain, type CertificateEntry } from '@certlab/store-sim';
import { certificateStatus, subjectIsHost } from '../certificate-status.js';
import { createCrlCache } from '../crl-cache.js';
import { cdpUrls } from '../crl-fetch.js';
import { ExchangeUmService, lastCertificateLoaded } from '../exchange-um-service.js';
import { canonicalName, consoleName, isSelfSigned, subjectText } from '../internal/certificate-text.js';
import { deFr } from '../internal/french-de.js';
import { newestFirst } from '../internal/newest-first.js';
import { hostOf } from '../lab-config.js';
import { HOST_DOWNLOADS_DIR, type LabHost } from '../lab-host.js';
import type { LabSession } from '../lab-session.js';
import { type Localized, l10n } from '../localized.js';
import { buildMachineChain } from '../machine-chain.js';
import { type HandshakeResult, mutualTlsHandshake, type TlsSide } from '../mutual-tls.js';
import type { CheckReport, StepResult, StepWarning } from '../scenario.js';
import { shellWord } from '../shell-word.js';
import { EXCHANGE_UM_STEPS } from './steps.js';

const step = (id: string) => EXCHANGE_UM_STEPS.find((s) => s.id === id)!;

function result(
  id: string,
  status: StepResult['status'],
  code: string,
  detail: Localized,
  hint?: Localized,
): StepResult {
  return { step: step(id), status, code, detail, ...(hint ? { hint } : {}) };
}

/**
 * The CA's certificate saved in the host's Downloads folder (task 1): its path under the host, and
 * whether it is a chain (a .p7b, or several certificates), which must not go into Root whole.
 * A single-certificate file is preferred when there are both.
 */
async function downloadedCaFile(
  host: LabHost,
  caThumbs: Set<string>,
): Promise<{ path: string; chain: boolean } | undefined> {
  if (!host.dir) return undefined;
  const folder = join(host.dir, HOST_DOWNLOADS_DIR);
  let names: string[] = [];
  try {
    names = await readdir(folder);
  } catch {
    return undefined;
  }
  let chainFile: { path: string; chain: boolean } | undefined;
  for (const n of names.sort()) {
    try {
      const f = await readPkiFile(await readFile(join(folder, n)));
      const certs = f.kind === 'certificate' || f.kind === 'pkcs7' ? f.certificates : [];
      let ours = false;
      for (const c of certs) if (caThumbs.has(await c.thumbprint())) ours = true;
      if (!ours) continue;
      const found = { path: join(HOST_DOWNLOADS_DIR, n), chain: f.kind === 'pkcs7' || certs.length > 1 };
      if (!found.chain) return found;
      chainFile ??= found;
    } catch {
      // Not a certificate file: the Downloads folder may hold anything.
    }
  }
  return chainFile;
}

/**
 * Intermediate CA certificates in LocalMachine\Root next to the root that issued them: what
 * importing a `.p7b` chain with "Place all certificates in the following store" → Trusted Root
 * Certification Authorities does (windows-stores.md, "PKCS#7 files": every certificate of the bag
 * goes to the chosen store). It works, so it is a warning, not a failure (exchange-um-lync.md §7).
 * An issuing CA alone in Root (the article's "Download CA certificate" on a two-tier hierarchy) is
 * the only anchor there and is not flagged.
 */
function chainInRoot(host: LabHost, machineArg: string): StepWarning[] {
  const root = host.machine.store('LocalMachine', 'Root').list();
  const subjects = new Set(root.map((e) => canonicalName(e.certificate, 'subject')));
  const warnings: StepWarning[] = [];
  for (const e of root) {
    const issuer = canonicalName(e.certificate, 'issuer');
    if (isSelfSigned(e.certificate) || issuer === undefined || !subjects.has(issuer)) continue;
    const name = consoleName(e.certificate, 'subject');
    const by = consoleName(e.certificate, 'issuer');
    const del = `certlab store delete ${e.thumbprint} --machine ${machineArg} --location LocalMachine --store Root`;
    warnings.push({
      code: 'CHAIN_IN_ROOT',
      detail: l10n(
        `LocalMachine\\Root of ${host.name} also holds "${name}", an intermediate CA issued by "${by}", which is there too: the .p7b chain was imported with "Place all certificates in the following store" → Trusted Root Certification Authorities, which puts every certificate of it there. It works, but the intermediate is now a trust anchor of its own, trusted even if its root is removed or distrusted.`,
        `LocalMachine\\Root ${deFr(host.name)} contient aussi « ${name} », une autorité intermédiaire délivrée par « ${by} », qui s'y trouve aussi : la chaîne .p7b a été importée avec « Placer tous les certificats dans le magasin suivant » → Autorités de certification racines de confiance, qui y place chacun de ses certificats. Cela fonctionne, mais l'autorité intermédiaire devient à elle seule une racine de confiance, approuvée même si sa racine est retirée ou n'est plus approuvée.`,
      ),
      hint: l10n(
        `Article, "To install the CA certificate": Trusted Root Certification Authorities is for root certificates; import the CA certificate (.cer), not the chain. Remove the intermediate from it (the chain engine finds it in Intermediate Certification Authorities or through the AIA URL): ${del}`,
        `Article, « Pour installer le certificat de l'autorité de certification » : Autorités de certification racines de confiance est le magasin des certificats racines ; importez le certificat d'autorité (.cer), pas la chaîne. Retirez-en l'autorité intermédiaire (le moteur de chaînes la trouve dans Autorités de certification intermédiaires ou par l'URL AIA) : ${del}`,
      ),
    });
  }
  return warnings;
}

/** The Lync front end's TLS side: its own CA-issued certificate with key, and the intermediates. */
async function lyncSide(lync: LabHost, issuing: Certificate): Promise<TlsSide | undefined> {
  const canonical = issuing.subject.canonical;
  const entry = lync.machine
    .store('LocalMachine', 'My')
    .list()
    .filter((e) => e.hasPrivateKey && e.certificate.issuer.canonical === canonical)
    .sort(newestFirst('notAfter'))[0];
  if (!entry) return undefined;
  const key = await lync.machine.privateKey(entry);
  if (!key) return undefined;
  const chain = await buildChain(lync.machine, entry, {
    context: 'LocalMachine',
    additionalCertificates: [issuing],
  });
  return {
    host: lync,
    key,
    chain: chain.elements.map((e) => e.certificate).filter((c, i) => i === 0 || !isSelfSigned(c)),
  };
}

interface Problem {
  code: string;
  detail: Localized;
  hint: Localized;
}

/**
 * Grades the Exchange UM lab.
 *
 * @example
 * ```ts
 * const report = await checkExchangeUm(await openLabSession(dir));
 * for (const r of report.results) console.log(r.step.number, r.status, r.detail.en);
 * ```
 */
export async function checkExchangeUm(session: LabSession): Promise<CheckReport> {
  const D = session.displayDir;
  const config = session.config;
  const dirArg = shellWord(D);
  const caDir = shellWord(`${D}/${config.ca.dir}`);
  // How to publish CRLs: the console while the trainee's certsrv runs (the CA's embedded database
  // takes one process at a time, so certlab ca refuses it then), else the CLI.
  const publishCrls: Localized = l10n(
    `console /certsrv/admin/ → Publish CRL (the issuing CA's base and delta; a running certlab serve republishes a missing or old root CRL itself); or, with certlab serve stopped, certlab ca crl --dir ${caDir} (base and delta), then with --root for the root CA's`,
    `console /certsrv/admin/ → Publier la liste de révocation (celles de l'autorité émettrice, de base et delta ; un certlab serve lancé republie lui-même une liste de la racine absente ou ancienne) ; ou, certlab serve arrêté, certlab ca crl --dir ${caDir} (de base et delta), puis avec --root pour celle de la racine`,
  );
  const v2010 = config.exchange === '2010';
  const ex = session.host('exchange-um');
  const lync = session.host('lync');
  const caFqdn = hostOf(config, 'ca').fqdn;
  const exDir = shellWord(`${D}/${hostOf(config, 'exchange-um').dir}`);
  const lyncDir = shellWord(`${D}/${hostOf(config, 'lync').dir}`);
  const time = session.now();
  const { root, issuing } = await session.caCertificates();
  // The published CRL, not the CA's database: it is there for a lab run's CA (kept in memory) and
  // readable while certlab serve holds the database. Its file name is AD CS's, for the issuing
  // CA's current key (the key index of its CA Version).
  const version = issuing.getExtension(OID.msCaVersion);
  const crlName = crlFileName(config.ca.name, version ? decodeMsCaVersion(version.value).keyIndex : 0, false);
  const crlShow = (serial: string) =>
    `certlab crl show ${shellWord(`${D}/${config.ca.dir}/CertEnroll/${crlName}`)} --serial ${serial}`;
  const caThumbs = new Set([await root.thumbprint(), await issuing.thumbprint()]);
  const um = await ExchangeUmService.open(ex, {
    network: session.network,
    now: session.now,
    lang: session.config.lang,
  });
  // This check's CRLs: every candidate's status and both handshake sides read the same CDPs.
  // Made here, not on the session: the automated run keeps one session while it publishes CRLs.
  const crlCache = createCrlCache();
  const results: StepResult[] = [];

  // --- 1. Download the CA certificate (procedure "To download the CA certificate") -----------
  const file = await downloadedCaFile(ex, caThumbs);
  const inStores = [...caThumbs].some((t) => ex.machine.locate(t).length > 0);
  if (file || inStores)
    results.push(
      result(
        'download-ca',
        'pass',
        'OK',
        file
          ? l10n(
              `The CA certificate was saved on ${ex.name}: ${file.path}.`,
              `Le certificat d'autorité a été enregistré sur ${ex.name} : ${file.path}.`,
            )
          : l10n(
              `The CA certificate reached ${ex.name}'s stores.`,
              `Le certificat d'autorité est dans les magasins ${deFr(ex.name)}.`,
            ),
      ),
    );
  else
    results.push(
      result(
        'download-ca',
        'fail',
        'CA_NOT_DOWNLOADED',
        l10n(
          `No certificate of "${config.ca.name}" on ${ex.name} (none in ${exDir}/${HOST_DOWNLOADS_DIR}/ nor in its stores).`,
          `Aucun certificat de « ${config.ca.name} » sur ${ex.name} (ni dans ${exDir}/${HOST_DOWNLOADS_DIR}/ ni dans ses magasins).`,
        ),
        l10n(
          `Article, "To download the CA certificate", steps 1–4: open http://${caFqdn}/certsrv, "Download a CA certificate, certificate chain, or CRL", "Base 64", "Download CA certificate", Save. Here: run 'certlab serve --dir ${caDir}' and save http://localhost:8080/certsrv/certnew.cer?ReqID=CACert&Renewal=0&Enc=b64 (account ${config.ca.account.name}) as ${exDir}/${HOST_DOWNLOADS_DIR}/certnew.cer.`,
          `Article, « Pour télécharger le certificat de l'autorité de certification », étapes 1 à 4 : ouvrez http://${caFqdn}/certsrv, « Télécharger un certificat d'autorité de certification, une chaîne de certificats ou la liste de révocation de certificats », « Méthode de codage Base 64 », « Télécharger un certificat de l'autorité de certification », « Enregistrer ». Ici : lancez 'certlab serve --dir ${caDir} --lang fr' et enregistrez http://localhost:8080/certsrv/certnew.cer?ReqID=CACert&Renewal=0&Enc=b64 (compte ${config.ca.account.name}) sous ${exDir}/${HOST_DOWNLOADS_DIR}/certnew.cer.`,
        ),
      ),
    );

  // --- 2. Install the CA certificate into LocalMachine\Root ------------------------------------
  const copies = [...caThumbs].flatMap((t) => ex.machine.locate(t));
  // The file the trainee saved (task 1), whatever its name; certnew.cer when there is none yet, or
  // when only the chain (.p7b) was saved: "Place all certificates" would put the issuing CA and
  // the root into Root (CHAIN_IN_ROOT), so the hint asks for the CA certificate itself.
  const single = file && !file.chain ? file.path : `${HOST_DOWNLOADS_DIR}/certnew.cer`;
  const caFile = shellWord(`${D}/${hostOf(config, 'exchange-um').dir}/${single}`);
  const chainOnly: Localized =
    file?.chain === true
      ? l10n(
          ` (${file.path} is the chain: save "Download CA certificate" as ${HOST_DOWNLOADS_DIR}/certnew.cer first, task 1)`,
          ` (${file.path} est la chaîne : enregistrez d'abord « Télécharger un certificat de l'autorité de certification » sous ${HOST_DOWNLOADS_DIR}/certnew.cer, tâche 1)`,
        )
      : l10n('', '');
  const importCmd = `certlab store import ${caFile} --machine ${exDir} --location LocalMachine --store Root${chainOnly.en}`;
  const importCmdFr = `certlab store import ${caFile} --machine ${exDir} --location LocalMachine --store Root --lang fr${chainOnly.fr}`;
  if (copies.some((e) => e.location === 'LocalMachine' && e.store === 'Root'))
    results.push(
      result(
        'install-ca',
        'pass',
        'OK',
        l10n(
          `The CA certificate is in LocalMachine\\Root (Trusted Root Certification Authorities, Computer account) of ${ex.name}.`,
          `Le certificat d'autorité est dans LocalMachine\\Root (Autorités de certification racines de confiance, Compte d'ordinateur) ${deFr(ex.name)}.`,
        ),
      ),
    );
  else if (copies.some((e) => e.location === 'CurrentUser' && e.store === 'Root'))
    results.push(
      result(
        'install-ca',
        'fail',
        'ROOT_IN_USER_STORE',
        l10n(
          `The CA certificate is in CurrentUser\\Root, the administrator's own store: the UM service runs as LocalSystem and never sees it (machine chain: CERT_E_UNTRUSTEDROOT).`,
          `Le certificat d'autorité est dans CurrentUser\\Root, le magasin de l'administrateur : le service de messagerie unifiée s'exécute en tant que LocalSystem et ne le voit pas (chaîne de l'ordinateur : CERT_E_UNTRUSTEDROOT).`,
        ),
        l10n(
          `Article, "To install the CA certificate", step 4: in the Certificates snap-in dialog choose "Computer account", not "My user account" (the Security Warning you got on import was the sign). Import it again: ${importCmd}`,
          `Article, « Pour installer le certificat de l'autorité de certification », étape 4 : dans la boîte de dialogue « Composant logiciel enfichable Certificats », cliquez sur « Compte d'ordinateur », pas « Mon compte d'utilisateur » (l'avertissement de sécurité affiché à l'importation en était le signe). Importez-le à nouveau : ${importCmdFr}`,
        ),
      ),
    );
  else if (copies.some((e) => e.store === 'CA'))
    results.push(
      result(
        'install-ca',
        'fail',
        'AUTO_PLACEMENT',
        l10n(
          'The CA certificate is in Intermediate Certification Authorities: the wizard placed it automatically, so it is not a trust anchor.',
          "Le certificat d'autorité est dans Autorités de certification intermédiaires : l'assistant l'a placé automatiquement, il n'est donc pas approuvé comme racine.",
        ),
        l10n(
          `Article, "To install the CA certificate", steps 11–12: choose "Place all certificates in the following store", Browse, "Trusted Root Certification Authorities". Here: ${importCmd}`,
          `Article, « Pour installer le certificat de l'autorité de certification », étapes 11 et 12 : cliquez sur « Placer tous les certificats dans le magasin suivant », « Parcourir », « Autorités de certification racines de confiance ». Ici : ${importCmdFr}`,
        ),
      ),
    );
  else
    results.push(
      result(
        'install-ca',
        'fail',
        'CA_NOT_INSTALLED',
        l10n(
          `The CA certificate is not in LocalMachine\\Root of ${ex.name}.`,
          `Le certificat d'autorité n'est pas dans LocalMachine\\Root ${deFr(ex.name)}.`,
        ),
        l10n(
          `Article, "To install the CA certificate", steps 1–13 (mmc, Certificates snap-in, Computer account, Trusted Root Certification Authorities, All Tasks, Import). Here: ${importCmd}`,
          `Article, « Pour installer le certificat de l'autorité de certification », étapes 1 à 13 (mmc, composant Certificats, Compte d'ordinateur, Autorités de certification racines de confiance, Toutes les tâches, Importer). Ici : ${importCmdFr}`,
        ),
      ),
    );

  // --- 3. Verify the CA is trusted (machine context) -------------------------------------------
  // Online, as the certificate dialog and certutil -verify build it: a root missing from the
  // machine's stores is fetched from the AIA URL and then reported untrusted
  // (CERT_E_UNTRUSTEDROOT, exchange-um-lync.md §7), the same code step 4 and the handshake give.
  const { chain: caChain } = await buildMachineChain(ex, issuing, {
    network: session.network,
    time,
    usage: 'any',
    revocation: false,
  });
  if (caChain.trusted)
    results.push(
      result(
        'verify-root',
        'pass',
        'OK',
        l10n(
          `"${config.ca.name}" chains to a trusted root in the machine context of ${ex.name}.`,
          `« ${config.ca.name} » remonte à une racine de confiance dans le contexte ordinateur ${deFr(ex.name)}.`,
        ),
      ),
    );
  else
    results.push(
      result(
        'verify-root',
        'fail',
        'CA_NOT_TRUSTED',
        l10n(
          `Certificates (Local Computer) > Trusted Root Certification Authorities does not lead to "${config.ca.name}": ${caChain.policy.name} (${caChain.errors.join(', ')}).`,
          `Certificats (ordinateur local) > Autorités de certification racines de confiance ne mène pas à « ${config.ca.name} » : ${caChain.policy.name} (${caChain.errors.join(', ')}).`,
        ),
        l10n(
          `Article, "To verify that the CA is in the list of trusted root CAs": expand Certificates (Local Computer) — not Current User — and fix step 2 first. Here: certlab store list --machine ${exDir} --location LocalMachine --store Root`,
          `Article, « Pour vérifier que l'autorité de certification figure sur la liste des autorités de certification racines de confiance » : développez Certificats (ordinateur local) — pas l'utilisateur actuel — et corrigez d'abord l'étape 2. Ici : certlab store list --machine ${exDir} --location LocalMachine --store Root --lang fr`,
        ),
      ),
    );

  // --- 4. Request and install the UM certificate ---------------------------------------------
  const canonical = issuing.subject.canonical;
  const ours = (e: CertificateEntry) => {
    try {
      return e.certificate.issuer.canonical === canonical && !isSelfSigned(e.certificate);
    } catch {
      return false;
    }
  };
  const candidates = ex.machine
    .store('LocalMachine', 'My')
    .list()
    .filter(ours)
    .sort(newestFirst('notBefore'));
  // The lab's account, by its user name: ca submit takes its groups from DIR/ca/users.json.
  const requester = shellWord(config.ca.account.name.slice(config.ca.account.name.indexOf('\\') + 1));
  const requestCmd = `certlab csr new --new-key rsa --key-out ex01.key --subject "CN=${ex.fqdn}" --dns ${ex.fqdn} --template WebServer --out ex01.req`;
  let good: CertificateEntry | undefined;
  let umCertForLync: Certificate | undefined;
  if (candidates.length === 0) {
    const inUser = ex.machine.store('CurrentUser', 'My').list().filter(ours);
    if (inUser.length > 0)
      results.push(
        result(
          'request-install',
          'fail',
          'CERT_IN_USER_STORE',
          l10n(
            `The certificate ${inUser[0]!.thumbprint} is in CurrentUser\\My: the Computer-account console shows nothing under Personal and UM cannot use it.`,
            `Le certificat ${inUser[0]!.thumbprint} est dans CurrentUser\\My : la console Compte d'ordinateur n'affiche rien sous Personnel et la messagerie unifiée ne peut pas l'utiliser.`,
          ),
          l10n(
            v2010
              ? `Import-ExchangeCertificate puts the certificate into the computer store. Here: import the .pfx with --location LocalMachine --store My (certlab store import ex01.pfx --machine ${exDir} --location LocalMachine --store My --password …).`
              : `Article, 2007 SP1 request, step 7: tick "Store certificate in the local computer certificate store". Here: import the .pfx with --location LocalMachine --store My.`,
            v2010
              ? `Import-ExchangeCertificate place le certificat dans le magasin de l'ordinateur. Ici : importez le .pfx avec --location LocalMachine --store My (certlab store import ex01.pfx --machine ${exDir} --location LocalMachine --store My --password …).`
              : `Article, demande 2007 SP1, étape 7 : activez « Stocker le certificat dans le magasin de certificats de l'ordinateur local ». Ici : importez le .pfx avec --location LocalMachine --store My.`,
          ),
        ),
      );
    else
      results.push(
        result(
          'request-install',
          'fail',
          'NO_CERTIFICATE',
          l10n(
            `No certificate issued by "${config.ca.name}" in LocalMachine\\My of ${ex.name}.`,
            `Aucun certificat émis par « ${config.ca.name} » dans LocalMachine\\My ${deFr(ex.name)}.`,
          ),
          l10n(
            `Article, ${v2010 ? '"To create a certificate on Exchange Server 2010"' : '"To create a certificate request and install the certificate on Exchange Server 2007 (SP1)"'}: request a Web Server certificate named after the FQDN ${ex.fqdn}. Here: ${requestCmd}; certlab ca submit --dir ${caDir} ex01.req --template WebServer --requester ${requester} --out certnew.cer (with certlab serve stopped; or through certsrv); certlab convert certnew.cer --to pfx --key ex01.key --password P --out ex01.pfx; certlab store import ex01.pfx --machine ${exDir} --location LocalMachine --store My --password P. If certsrv did not offer "Web Server", or answered "Certificate Request Denied" (status 0x80094012, CERTSRV_E_TEMPLATE_DENIED), the account is not in Domain Admins: sign in as ${config.ca.account.name}.`,
            `Article, ${v2010 ? '« Pour créer un certificat sur Exchange Server 2010 »' : '« Pour créer une demande de certificat et installer le certificat sur Exchange Server 2007 (SP1) »'} : demandez un certificat « Serveur web » au nom de domaine complet ${ex.fqdn}. Ici : ${requestCmd} ; certlab ca submit --dir ${caDir} ex01.req --template WebServer --requester ${requester} --out certnew.cer (certlab serve arrêté ; ou par certsrv) ; certlab convert certnew.cer --to pfx --key ex01.key --password P --out ex01.pfx ; certlab store import ex01.pfx --machine ${exDir} --location LocalMachine --store My --password P. Si certsrv n'a pas proposé « Serveur web », ou a répondu « Demande de certificat refusée » (état 0x80094012, CERTSRV_E_TEMPLATE_DENIED), le compte n'est pas membre du groupe Admins du domaine : connectez-vous en tant que ${config.ca.account.name}.`,
          ),
        ),
      );
  } else {
    let newestProblems: Problem[] | undefined;
    for (const e of candidates) {
      const c = e.certificate;
      const problems: Problem[] = [];
      // The subject itself, not only a SAN (reference §6, §8: "subject CN = server FQDN").
      if (!subjectIsHost(c, ex.fqdn))
        problems.push({
          code: 'WRONG_NAME',
          detail: l10n(
            `The certificate ${e.thumbprint} is issued to "${subjectText(c)}", not to the FQDN ${ex.fqdn} (the subject's CN must be the FQDN; a SAN may add names): Lync refuses it (CERT_E_CN_NO_MATCH).`,
            `Le certificat ${e.thumbprint} est délivré à « ${subjectText(c)} », pas au nom de domaine complet ${ex.fqdn} (le CN du sujet doit être le nom de domaine complet ; un SAN peut ajouter des noms) : Lync le refuse (CERT_E_CN_NO_MATCH).`,
          ),
          hint: l10n(
            v2010
              ? `Article note (Exchange 2010): for the certificate's Subject Name you must enter the FQDN of the Exchange server. Request a new one: ${requestCmd}`
              : `Article, 2007 SP1 request, step 6: in "Identifying Information For Offline Template", Name = the FQDN of the Exchange server ("required for communications to work"). Request a new one: ${requestCmd}`,
            v2010
              ? `Note de l'article (Exchange 2010) : pour le « Nom du sujet » du certificat, vous devez entrer le nom de domaine complet du serveur Exchange Server. Demandez-en un nouveau : ${requestCmd}`
              : `Article, demande 2007 SP1, étape 6 : dans « Informations d'identification pour les modèles hors connexion », zone « Nom », tapez le nom de domaine complet (FQDN) du serveur Exchange Server. Demandez-en un nouveau : ${requestCmd}`,
          ),
        });
      if (!e.hasPrivateKey)
        problems.push({
          code: 'NO_PRIVATE_KEY',
          detail: l10n(
            `The certificate ${e.thumbprint} has no private key on ${ex.name} (certutil -store my: "No key provider information", as certlab store show ${e.thumbprint} --machine ${exDir} prints it; HasPrivateKey False).`,
            `Le certificat ${e.thumbprint} n'a pas de clé privée sur ${ex.name} (certutil -store my : « No key provider information », comme l'affiche certlab store show ${e.thumbprint} --machine ${exDir} ; HasPrivateKey False).`,
          ),
          hint: l10n(
            `The key stays where the request was made: import the certificate together with that key (certlab convert certnew.cer --to pfx --key ex01.key --password P --out ex01.pfx; certlab store import ex01.pfx --machine ${exDir} --location LocalMachine --store My --password P), or make the request on the UM server itself.`,
            `La clé reste là où la demande a été faite : importez le certificat avec cette clé (certlab convert certnew.cer --to pfx --key ex01.key --password P --out ex01.pfx ; certlab store import ex01.pfx --machine ${exDir} --location LocalMachine --store My --password P), ou faites la demande sur le serveur de messagerie unifiée lui-même.`,
          ),
        });
      const st = await certificateStatus(ex, c, { network: session.network, time, crlCache });
      if (st.status === 'DateInvalid')
        problems.push({
          code: 'EXPIRED',
          detail: l10n(
            `The certificate ${e.thumbprint} is not time-valid (${c.notBefore.toISOString()} – ${c.notAfter.toISOString()}): "This certificate has expired or is not yet valid." (CERT_E_EXPIRED).`,
            `Le certificat ${e.thumbprint} n'est pas dans sa période de validité (${c.notBefore.toISOString()} – ${c.notAfter.toISOString()}) : « Ce certificat a expiré ou n'est pas encore valide. » (CERT_E_EXPIRED).`,
          ),
          hint: l10n(
            `Expired certificates are skipped by UM and refused by Lync: request and install a new certificate (step 4), then assign it again (step 5). ${requestCmd}`,
            `La messagerie unifiée ignore les certificats expirés et Lync les refuse : demandez et installez un nouveau certificat (étape 4), puis assignez-le à nouveau (étape 5). ${requestCmd}`,
          ),
        });
      else if (st.status === 'Revoked')
        problems.push({
          code: 'REVOKED',
          detail: l10n(
            `The CA revoked the certificate ${e.thumbprint} (serial ${c.serialNumber}); its CRL says so (CRYPT_E_REVOKED).`,
            `L'autorité a révoqué le certificat ${e.thumbprint} (numéro de série ${c.serialNumber}) ; sa liste de révocation l'indique (CRYPT_E_REVOKED).`,
          ),
          hint: l10n(
            `A revoked certificate cannot be used again: request a new one (step 4), install it with its key and assign it (step 5). See it in the CRL: ${crlShow(c.serialNumber)}`,
            `Un certificat révoqué ne peut pas resservir : demandez-en un nouveau (étape 4), installez-le avec sa clé et assignez-le (étape 5). Voyez-le dans la liste de révocation : ${crlShow(c.serialNumber)}`,
          ),
        });
      else if (st.status === 'Untrusted')
        problems.push({
          code: 'UNTRUSTED',
          detail: l10n(
            `The certificate ${e.thumbprint} does not chain to a root trusted by the computer (${st.chain.policy.name}); Get-ExchangeCertificate shows Status Untrusted.`,
            `Le certificat ${e.thumbprint} ne remonte pas à une racine approuvée par l'ordinateur (${st.chain.policy.name}) ; Get-ExchangeCertificate affiche Status Untrusted.`,
          ),
          hint: l10n(
            'Fix steps 2 and 3: the CA certificate belongs in LocalMachine\\Root (Computer account).',
            "Corrigez les étapes 2 et 3 : le certificat d'autorité doit être dans LocalMachine\\Root (Compte d'ordinateur).",
          ),
        });
      else if (st.status === 'RevocationCheckFailure')
        problems.push({
          code: 'CRL_UNREACHABLE',
          detail: l10n(
            `The revocation status of ${e.thumbprint} cannot be checked: ${st.unreachableCrls.join(', ') || 'the CRL is out of date'} (CRYPT_E_REVOCATION_OFFLINE).`,
            `L'état de révocation de ${e.thumbprint} ne peut pas être vérifié : ${st.unreachableCrls.join(', ') || 'la liste de révocation est périmée'} (CRYPT_E_REVOCATION_OFFLINE).`,
          ),
          hint: l10n(
            `Lync requires a reachable HTTP CRL distribution point. Check that the URL answers (the CA host's web site: certlab serve --dir ${caDir}, or its CertEnroll folder), then publish fresh CRLs: ${publishCrls.en}.`,
            `Lync exige un point de distribution de liste de révocation HTTP accessible. Vérifiez que l'URL répond (le site web de l'autorité : certlab serve --dir ${caDir}, ou son dossier CertEnroll), puis publiez des listes à jour : ${publishCrls.fr}.`,
          ),
        });
      else if (st.status !== 'Valid')
        problems.push({
          code: 'WRONG_USAGE',
          detail: l10n(
            `The certificate ${e.thumbprint} is not valid for Server Authentication (${st.chain.policy.name}).`,
            `Le certificat ${e.thumbprint} n'est pas valide pour l'authentification du serveur (${st.chain.policy.name}).`,
          ),
          hint: v2010
            ? l10n(
                'Article, "To create a certificate on Exchange Server 2010" ("Create a New Exchange Certificate"): submit the request to the CA with the "Web Server" template, or another template configured for server authentication, then import the new certificate.',
                "Article, « Pour créer un certificat sur Exchange Server 2010 » (« Créer un certificat Exchange ») : soumettez la demande à l'autorité avec le modèle « Serveur web », ou un autre modèle configuré pour l'authentification du serveur, puis importez le nouveau certificat.",
              )
            : l10n(
                'Article, 2007 SP1 request, step 5: select "Web Server" or another template configured for server authentication.',
                "Article, demande 2007 SP1, étape 5 : sélectionnez « Serveur web » ou un autre modèle de certificat du serveur configuré pour l'authentification du serveur.",
              ),
        });
      if (cdpUrls(c, false).length === 0)
        problems.push({
          code: 'NO_HTTP_CDP',
          detail: l10n(
            `The certificate ${e.thumbprint} has no HTTP CRL distribution point; Lync requires one.`,
            `Le certificat ${e.thumbprint} n'a pas de point de distribution HTTP ; Lync en exige un.`,
          ),
          hint: l10n(
            'Issue the certificate from the lab CA, whose CDP is an http:// URL.',
            "Faites émettre le certificat par l'autorité du labo, dont le point de distribution est une URL http://.",
          ),
        });
      if (problems.length === 0 && !good) good = e;
      newestProblems ??= problems;
    }
    umCertForLync = (good ?? candidates[0]!).certificate;
    if (good)
      results.push(
        result(
          'request-install',
          'pass',
          'OK',
          l10n(
            `LocalMachine\\My holds ${good.thumbprint} for ${ex.fqdn}, with its private key, valid, not revoked, trusted by the computer.`,
            `LocalMachine\\My contient ${good.thumbprint} pour ${ex.fqdn}, avec sa clé privée, valide, non révoqué, approuvé par l'ordinateur.`,
          ),
        ),
      );
    else {
      const p = newestProblems![0]!;
      const others = newestProblems!.slice(1).map((x) => x.code);
      results.push(
        result(
          'request-install',
          'fail',
          p.code,
          others.length
            ? l10n(
                `${p.detail.en} Also: ${others.join(', ')}.`,
                `${p.detail.fr} Également : ${others.join(', ')}.`,
              )
            : p.detail,
          p.hint,
        ),
      );
    }
  }

  // --- 5. Assign the certificate ------------------------------------------------------------
  const running = um.state.running;
  const assignCmd = good ? `certlab lab um assign --dir ${dirArg} --thumbprint ${good.thumbprint}` : '';
  if (v2010 && um.state.startupMode === 'TCP')
    results.push(
      result(
        'assign',
        'fail',
        'UM_TCP_MODE',
        running && running.mode !== 'TCP'
          ? // Set back to TCP without a restart: the running service still listens for TLS (step 6
            // may pass) until it restarts.
            l10n(
              `The UM startup mode of ${ex.name} is TCP: Enable-ExchangeCertificate -Services UM is refused, and at its next restart UM stops listening for TLS on 5061 (it still runs in ${running.mode} mode since ${running.since}).`,
              `Le mode de démarrage de la messagerie unifiée ${deFr(ex.name)} est TCP : Enable-ExchangeCertificate -Services UM est refusé, et à son prochain redémarrage la messagerie unifiée n'écoutera plus TLS sur le port 5061 (elle fonctionne encore en mode ${running.mode} depuis ${running.since}).`,
            )
          : l10n(
              `The UM startup mode of ${ex.name} is TCP: Enable-ExchangeCertificate -Services UM is refused and UM does not listen for TLS on 5061.`,
              `Le mode de démarrage de la messagerie unifiée ${deFr(ex.name)} est TCP : Enable-ExchangeCertificate -Services UM est refusé et la messagerie unifiée n'écoute pas TLS sur le port 5061.`,
            ),
        l10n(
          `Set-UMServer -Identity ${ex.name} -UMStartupMode Dual (or TLS), then assign and restart. Here: certlab lab um startup-mode Dual --dir ${dirArg}; ${assignCmd || `certlab lab um assign --dir ${dirArg} --thumbprint THUMB`}; certlab lab um restart --dir ${dirArg}`,
          `Set-UMServer -Identity ${ex.name} -UMStartupMode Dual (ou TLS), puis assignez et redémarrez. Ici : certlab lab um startup-mode Dual --dir ${dirArg} ; ${assignCmd || `certlab lab um assign --dir ${dirArg} --thumbprint EMPREINTE`} ; certlab lab um restart --dir ${dirArg}`,
        ),
      ),
    );
  else if (!good)
    results.push(
      result(
        'assign',
        'pending',
        'WAITING_FOR_STEP_4',
        l10n(
          'Nothing to assign until step 4 passes.',
          "Rien à assigner tant que l'étape 4 n'est pas réussie.",
        ),
      ),
    );
  else if (v2010 && !(um.state.services[good.thumbprint] ?? []).includes('UM'))
    results.push(
      result(
        'assign',
        'fail',
        'NOT_ASSIGNED',
        l10n(
          `The certificate ${good.thumbprint} is not enabled for UM (Get-ExchangeCertificate: no U in Services).`,
          `Le certificat ${good.thumbprint} n'est pas activé pour la messagerie unifiée (Get-ExchangeCertificate : pas de U dans Services).`,
        ),
        l10n(
          `Article, "To assign the certificate on Exchange Server 2010": Assign Services to a Certificate (Enable-ExchangeCertificate -Thumbprint ${good.thumbprint} -Services UM), then restart. Here: ${assignCmd}; certlab lab um restart --dir ${dirArg}`,
          `Article, « Pour attribuer le certificat au serveur Exchange Server 2010 » : « Attribuer des services à un certificat » (Enable-ExchangeCertificate -Thumbprint ${good.thumbprint} -Services UM), puis redémarrez. Ici : ${assignCmd} ; certlab lab um restart --dir ${dirArg}`,
        ),
      ),
    );
  else if (
    running?.certificate !== good.thumbprint ||
    running.mode === 'TCP' ||
    // The article's proof is event 1112 naming the certificate: a log cleared since the last start
    // (the trainer's reset) no longer shows it, so the service must be restarted to log it again.
    lastCertificateLoaded(ex)?.data?.thumbprint !== good.thumbprint
  )
    results.push(
      result(
        'assign',
        'fail',
        'NOT_RESTARTED',
        l10n(
          `UM still uses ${running?.certificate ?? 'no certificate'} (${running ? `last start ${running.since}` : 'never started'}); the last event 1112 does not name ${good.thumbprint}.`,
          `La messagerie unifiée ${running?.certificate ? `utilise encore ${running.certificate}` : "n'utilise encore aucun certificat"} (${running ? `dernier démarrage ${running.since}` : 'jamais démarrée'}) ; le dernier événement 1112 ne nomme pas ${good.thumbprint}.`,
        ),
        l10n(
          v2010
            ? `Restart MSExchangeUM after assigning: certlab lab um restart --dir ${dirArg}`
            : `Article, "To assign the certificate on Exchange Server 2007 (SP1)", steps 5–6: restart the Microsoft Exchange Unified Messaging service (2007 SP1 picks the certificate only at start), then find event ID 1112. Here: certlab lab um restart --dir ${dirArg}; certlab lab um events --dir ${dirArg}`,
          v2010
            ? `Redémarrez MSExchangeUM après l'attribution : certlab lab um restart --dir ${dirArg}`
            : `Article, « Pour attribuer le certificat au serveur Exchange Server 2007 (SP1) », étapes 5 et 6 : redémarrez le service de messagerie unifiée Microsoft Exchange (2007 SP1 ne choisit le certificat qu'au démarrage), puis recherchez l'ID de l'événement 1112. Ici : certlab lab um restart --dir ${dirArg} ; certlab lab um events --dir ${dirArg}`,
        ),
      ),
    );
  else
    results.push(
      result(
        'assign',
        'pass',
        'OK',
        l10n(
          `UM runs in ${running.mode} mode with ${good.thumbprint}; the last event 1112 names it.`,
          `La messagerie unifiée fonctionne en mode ${running.mode} avec ${good.thumbprint} ; le dernier événement 1112 le nomme.`,
        ),
      ),
    );

  // --- 6. Mutual trust and the real handshake ---------------------------------------------------
  const client = await lyncSide(lync, issuing);
  const server = await um.tlsSide();
  let handshake: HandshakeResult | undefined;
  if (client)
    handshake = await mutualTlsHandshake({
      client,
      server,
      serverName: ex.fqdn,
      clientName: lync.fqdn,
      network: session.network,
      time,
      crlCache,
    });
  const lyncChain = umCertForLync
    ? (
        await buildMachineChain(lync, umCertForLync, {
          network: session.network,
          time,
          additional: [issuing],
          revocation: false,
        })
      ).chain
    : undefined;
  const lyncRootMissing = lyncChain?.errors.some(
    (f) => f === 'IS_UNTRUSTED_ROOT' || f === 'IS_PARTIAL_CHAIN',
  );
  // The root's file in CertEnroll is <ServerDNSName>_<root name>.crt: a glob outside the quoted
  // words finds it, and the quotes keep the spaces of the name, so the command can be pasted as is.
  const rootFile = `${shellWord(`${D}/${config.ca.dir}/CertEnroll/`)}*${shellWord(`_${config.ca.rootName}.crt`)}`;
  const lyncImport = `certlab store import ${rootFile} --machine ${lyncDir} --location LocalMachine --store Root`;
  // The handshake in words, in both languages: its failure message, or what was negotiated.
  const hs: Localized = handshake
    ? handshake.ok
      ? l10n(
          `${handshake.protocol} ${handshake.cipher}, ${handshake.sipResponse}`,
          `${handshake.protocol} ${handshake.cipher}, ${handshake.sipResponse}`,
        )
      : handshake.failure
        ? (handshake.failure.localized ?? l10n(handshake.failure.message, handshake.failure.message))
        : // No failure but no 200 either: the UM server answered SIP OPTIONS with something else.
          l10n(
            `SIP answered "${handshake.sipResponse ?? ''}"`,
            `SIP a répondu « ${handshake.sipResponse ?? ''} »`,
          )
    : l10n('no Lync certificate', 'pas de certificat Lync');
  if (lyncRootMissing)
    results.push(
      result(
        'mutual-tls',
        'fail',
        'LYNC_ROOT_MISSING',
        l10n(
          `${lync.name} does not trust the root of the UM certificate (${lyncChain!.policy.name}). Handshake: ${hs.en}`,
          `${lync.name} n'approuve pas la racine du certificat de messagerie unifiée (${lyncChain!.policy.name}). Négociation : ${hs.fr}`,
        ),
        l10n(
          `Article, IMPORTANT box: the Lync servers and the Exchange servers must have mutually trusted root CA certificates. Put "${config.ca.rootName}" into LocalMachine\\Root of ${lync.name}: ${lyncImport}`,
          `Article, encadré IMPORTANT : les serveurs Lync Server et Exchange doivent avoir des certificats d'autorité racine mutuellement approuvés. Placez « ${config.ca.rootName} » dans LocalMachine\\Root ${deFr(lync.name)} : ${lyncImport}`,
        ),
      ),
    );
  else if (!handshake?.ok) {
    const f = handshake?.failure;
    let hint: Localized;
    if (!handshake)
      hint = l10n(
        `${lync.name} has no certificate of its own: re-create the lab.`,
        `${lync.name} n'a pas de certificat : recréez le labo.`,
      );
    else if (f?.by === 'network')
      hint = l10n(
        `Nothing listens for SIP over TLS on ${ex.name}: the UM service runs in TCP mode or found no usable certificate at its last start (see step 5, and certlab lab um events --dir ${dirArg}).`,
        `Rien n'écoute SIP sur TLS sur ${ex.name} : la messagerie unifiée est en mode TCP ou n'a trouvé aucun certificat utilisable à son dernier démarrage (voir l'étape 5, et certlab lab um events --dir ${dirArg}).`,
      );
    else if (f?.by === 'client' && f.code === 'CERT_E_CN_NO_MATCH')
      hint = l10n(
        'The UM certificate must be issued to the FQDN (step 4).',
        'Le certificat de messagerie unifiée doit être délivré au nom de domaine complet (étape 4).',
      );
    else if (f?.by === 'client' && (f.code === 'CRYPT_E_REVOKED' || f.code === 'CERT_E_EXPIRED'))
      hint = l10n(
        'Replace the UM certificate (step 4) and assign the new one (step 5).',
        'Remplacez le certificat de messagerie unifiée (étape 4) et assignez le nouveau (étape 5).',
      );
    else if (f?.code === 'CRYPT_E_REVOCATION_OFFLINE' || f?.code === 'CRYPT_E_NO_REVOCATION_CHECK') {
      // Either side checks the other's chain against the CRLs: name the one that could not.
      const who = f.by === 'server' ? ex.name : lync.name;
      hint = l10n(
        `${who} cannot fetch a CRL of the chain; publish fresh CRLs: ${publishCrls.en}.`,
        `${who} ne peut pas télécharger une liste de révocation de la chaîne ; publiez des listes à jour : ${publishCrls.fr}.`,
      );
    } else if (f?.by === 'server')
      hint = l10n(
        `${ex.name} refuses the certificate of ${lync.name}: the CA certificate must be in LocalMachine\\Root of ${ex.name} (step 2, Computer account).`,
        `${ex.name} refuse le certificat ${deFr(lync.name)} : le certificat d'autorité doit être dans LocalMachine\\Root ${deFr(ex.name)} (étape 2, Compte d'ordinateur).`,
      );
    else {
      // Name only the steps that did not pass: with step 4 done, the usual cause is a UM service
      // not restarted since (step 5).
      const passed = (id: string) => results.find((r) => r.step.id === id)?.status === 'pass';
      const fix = !passed('request-install')
        ? { en: 'Fix step 4, then step 5.', fr: "Corrigez l'étape 4, puis l'étape 5." }
        : !passed('assign')
          ? { en: 'Fix step 5.', fr: "Corrigez l'étape 5." }
          : { en: 'Check steps 4 and 5.', fr: 'Vérifiez les étapes 4 et 5.' };
      hint = l10n(
        `UM presents a certificate Lync cannot validate (often the Exchange self-signed one: UM found nothing better at its last start). ${fix.en}`,
        `La messagerie unifiée présente un certificat que Lync ne peut pas valider (souvent le certificat auto-signé d'Exchange : rien de mieux au dernier démarrage). ${fix.fr}`,
      );
    }
    results.push(
      result(
        'mutual-tls',
        'fail',
        'HANDSHAKE_FAILED',
        l10n(
          `Mutual TLS ${lync.fqdn} → ${ex.fqdn} failed: ${hs.en}`,
          `Le TLS mutuel ${lync.fqdn} → ${ex.fqdn} a échoué : ${hs.fr}`,
        ),
        hint,
      ),
    );
  } else
    results.push(
      result(
        'mutual-tls',
        'pass',
        'OK',
        l10n(
          `Mutual TLS ${lync.fqdn} → ${ex.fqdn}:5061 succeeded: ${hs.en}.`,
          `TLS mutuel ${lync.fqdn} → ${ex.fqdn}:5061 réussi : ${hs.fr}.`,
        ),
      ),
    );

  // Wrong practices that work: on the step that put them there (UM: task 2), or, for the Lync
  // front end, which the trainee touches only to fix its trust, on the handshake's step.
  for (const [id, warnings] of [
    ['install-ca', chainInRoot(ex, exDir)],
    ['mutual-tls', chainInRoot(lync, lyncDir)],
  ] as const) {
    const i = results.findIndex((r) => r.step.id === id);
    if (warnings.length > 0 && i >= 0) results[i] = { ...results[i]!, warnings };
  }

  const firstFailure = results.find((r) => r.status === 'fail');
  return {
    scenario: 'exchange-um',
    results,
    passed: results.every((r) => r.status === 'pass'),
    firstFailure,
    handshake,
  };
}
