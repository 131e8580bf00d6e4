// The graded steps of the Exchange UM scenario: the five tasks of the article (Gg398564, "Configure
// certificates on the server running Microsoft Exchange Server Unified Messaging") with their
// French labels from the French edition, plus the check the article's IMPORTANT box asks for:
// Lync and Exchange must trust each other's root, proven by a real mutual-TLS handshake.

import { l10n } from '../localized.js';
import type { MistakeDefinition, StepDefinition } from '../scenario.js';

/**
 * The graded steps, in order.
 *
 * @example
 * ```ts
 * EXCHANGE_UM_STEPS.map((s) => `${s.number}. ${s.title.fr}`);
 * ```
 */
export const EXCHANGE_UM_STEPS: readonly StepDefinition[] = [
  {
    id: 'download-ca',
    number: 1,
    title: l10n(
      'Download the CA certificate',
      "Téléchargez le certificat d'autorité de certification du serveur Exchange Server",
    ),
  },
  {
    id: 'install-ca',
    number: 2,
    title: l10n(
      'Install the CA certificate',
      "Installez le certificat d'autorité de certification du serveur Exchange Server",
    ),
  },
  {
    id: 'verify-root',
    number: 3,
    title: l10n(
      'Verify that the CA is in the list of trusted root CAs of the Exchange server',
      "Vérifiez que l'autorité de certification figure dans la liste des autorités de certification racines de confiance du serveur Exchange Server",
    ),
  },
  {
    id: 'request-install',
    number: 4,
    title: l10n(
      'Create a certificate request for the Exchange server and install the certificate',
      'Créez une demande de certificat pour le serveur Exchange Server et installez le certificat',
    ),
  },
  {
    id: 'assign',
    number: 5,
    title: l10n(
      'Assign the certificate of the Exchange server',
      'Assignez le certificat du serveur Exchange Server',
    ),
  },
  {
    id: 'mutual-tls',
    number: 6,
    title: l10n(
      'Lync and Exchange trust each other: mutual TLS between the Lync front end and the UM server',
      "Lync et Exchange s'approuvent mutuellement : TLS mutuel entre le serveur frontal Lync et le serveur de messagerie unifiée",
    ),
  },
];

/**
 * The classic mistakes (exchange-um-lync.md §7) the automated run can inject.
 *
 * @example
 * ```ts
 * await runLab({ exchange: '2010', mistake: EXCHANGE_UM_MISTAKES[0]!.id });
 * ```
 */
export const EXCHANGE_UM_MISTAKES: readonly MistakeDefinition[] = [
  {
    id: 'root-in-user-store',
    step: 'install-ca',
    title: l10n(
      'The CA certificate is imported with "My user account" (CurrentUser\\Root) instead of "Computer account"',
      "Le certificat d'autorité est importé avec « Mon compte d'utilisateur » (CurrentUser\\Root) au lieu de « Compte d'ordinateur »",
    ),
  },
  {
    id: 'auto-placement',
    step: 'install-ca',
    title: l10n(
      '"Automatically select the certificate store": the CA certificate lands in Intermediate Certification Authorities',
      '« Sélectionner automatiquement le magasin de certificats » : le certificat arrive dans Autorités de certification intermédiaires',
    ),
  },
  {
    id: 'chain-into-root',
    step: 'install-ca',
    outcome: 'warning',
    title: l10n(
      '"Download CA certificate chain" instead of the CA certificate: the .p7b puts the issuing CA into Trusted Root Certification Authorities next to the root',
      "« Télécharger la chaîne de certificats d'autorité de certification » au lieu du certificat : le .p7b place l'autorité émettrice dans Autorités de certification racines de confiance à côté de la racine",
    ),
  },
  {
    id: 'root-missing-on-lync',
    step: 'mutual-tls',
    title: l10n(
      'The Lync front end does not trust the root CA of the UM certificate',
      "Le serveur frontal Lync n'approuve pas l'autorité racine du certificat de messagerie unifiée",
    ),
  },
  {
    id: 'wrong-fqdn',
    step: 'request-install',
    title: l10n(
      'The request carries the NetBIOS name (CN=EX01) instead of the FQDN',
      'La demande porte le nom NetBIOS (CN=EX01) au lieu du nom de domaine complet',
    ),
  },
  {
    id: 'template-denied',
    step: 'request-install',
    title: l10n(
      'The certificate is requested with an account that is not in Domain Admins: Web Server is not offered and the CA denies it (CERTSRV_E_TEMPLATE_DENIED 0x80094012)',
      "Le certificat est demandé avec un compte qui n'est pas membre du groupe Admins du domaine : Serveur web n'est pas proposé et l'autorité refuse la demande (CERTSRV_E_TEMPLATE_DENIED 0x80094012)",
    ),
  },
  {
    id: 'cert-in-user-store',
    step: 'request-install',
    exchange: ['2007sp1'],
    title: l10n(
      '"Store certificate in the local computer certificate store" is not ticked: the certificate and its key land in CurrentUser\\My (Exchange 2007 SP1)',
      "« Stocker le certificat dans le magasin de certificats de l'ordinateur local » n'est pas activé : le certificat et sa clé arrivent dans CurrentUser\\My (Exchange 2007 SP1)",
    ),
  },
  {
    id: 'no-private-key',
    step: 'request-install',
    title: l10n(
      'The certificate is installed without its private key (.cer copied from another computer)',
      'Le certificat est installé sans sa clé privée (.cer copié depuis un autre ordinateur)',
    ),
  },
  {
    id: 'expired',
    step: 'request-install',
    title: l10n('The certificate has expired', 'Le certificat a expiré'),
  },
  {
    id: 'revoked',
    step: 'request-install',
    title: l10n(
      'The CA revoked the certificate and published its CRL',
      "L'autorité a révoqué le certificat et publié sa liste de révocation",
    ),
  },
  {
    id: 'cdp-down',
    step: 'request-install',
    title: l10n(
      "The CA's web server is down: the CRL distribution point http://ca01.contoso.com/CertEnroll/… does not answer",
      "Le serveur web de l'autorité est arrêté : le point de distribution de la liste de révocation http://ca01.contoso.com/CertEnroll/… ne répond pas",
    ),
  },
  {
    id: 'um-tcp',
    step: 'assign',
    exchange: ['2010'],
    title: l10n(
      'The UM startup mode is left at TCP (Exchange 2010)',
      'Le mode de démarrage de la messagerie unifiée reste TCP (Exchange 2010)',
    ),
  },
  {
    id: 'no-restart',
    step: 'assign',
    exchange: ['2007sp1'],
    title: l10n(
      'The UM service is not restarted after the certificate is installed (Exchange 2007 SP1)',
      "Le service de messagerie unifiée n'est pas redémarré après l'installation du certificat (Exchange 2007 SP1)",
    ),
  },
];
