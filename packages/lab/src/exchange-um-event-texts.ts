// The messages of the Application-log events the simulated UM service writes, in the languages of
// the lab. The wording is ours (Microsoft's text is not public), hence the "[SYNTHETIC]" marker,
// left untranslated in both languages so that a trainee recognizes it whatever the lab's language.
// Only the message is localized: checks read the structured data of an event, which stays the
// same in every language. Dates stay ISO 8601, as everywhere else in the lab's French texts.

import type { ExchangeCertificateStatus } from './certificate-status.js';
import type { CandidateProblem } from './exchange-um-service.js';
import type { ExchangeVersion } from './lab-config.js';
import { type Localized, l10n } from './localized.js';

const MARK = '[SYNTHETIC]';

// The English message names the reason by its identifier alone (the word Exchange itself uses in
// "reason: PrivateKeyMissing"); the French one explains it and keeps the identifier in
// parentheses, so both can be matched against the event's data and the Exchange documentation.
const PROBLEMS: Record<CandidateProblem, Localized> = {
  PrivateKeyMissing: l10n('PrivateKeyMissing', 'clé privée absente (PrivateKeyMissing)'),
  DateInvalid: l10n('DateInvalid', 'certificat hors de sa période de validité (DateInvalid)'),
  Untrusted: l10n('Untrusted', "chaîne non approuvée par l'ordinateur (Untrusted)"),
  WrongName: l10n('WrongName', 'nom de domaine complet du serveur absent du certificat (WrongName)'),
  WrongUsage: l10n('WrongUsage', 'utilisation « Authentification du serveur » absente (WrongUsage)'),
};

/**
 * The messages of the UM service's events (sources and IDs are in exchange-um-service.ts).
 *
 * @example
 * ```ts
 * const message = umEventText.loaded({ thumbprint, subject, issuer, notAfter })[lang];
 * ```
 */
export const umEventText = {
  /** Event 1000: the service started in TCP mode. */
  tcpStart: (): Localized =>
    l10n(
      `${MARK} The Microsoft Exchange Unified Messaging service started in TCP mode: SIP over TCP on port 5060 only, no TLS listener on port 5061, no certificate loaded.`,
      `${MARK} Le service de messagerie unifiée Microsoft Exchange a démarré en mode TCP : SIP sur TCP sur le port 5060 uniquement, aucune écoute TLS sur le port 5061, aucun certificat chargé.`,
    ),
  /** Event 1112 (Warning): the 2007 SP1 selection passed over a certificate. */
  skipped: (c: { thumbprint: string; subject: string; problem: CandidateProblem }): Localized =>
    l10n(
      `${MARK} The certificate with thumbprint ${c.thumbprint} (subject "${c.subject}") was not considered for mutual TLS: ${PROBLEMS[c.problem].en}.`,
      `${MARK} Le certificat avec l'empreinte numérique ${c.thumbprint} (objet « ${c.subject} ») n'a pas été retenu pour le TLS mutuel : ${PROBLEMS[c.problem].fr}.`,
    ),
  /**
   * Event 1112 (Warning): the certificate enabled for UM (2010) is not Valid. The status is the
   * Get-ExchangeCertificate value, an identifier that French Exchange shows untranslated too.
   */
  status: (c: { thumbprint: string; status: ExchangeCertificateStatus }): Localized =>
    l10n(
      `${MARK} The certificate with thumbprint ${c.thumbprint} enabled for UM has status ${c.status}; peers may refuse it.`,
      `${MARK} Le certificat avec l'empreinte numérique ${c.thumbprint} activé pour la messagerie unifiée a l'état ${c.status} ; les serveurs homologues peuvent le refuser.`,
    ),
  /** Event 1112 (Information): the certificate the service loaded for mutual TLS. */
  loaded: (c: { thumbprint: string; subject: string; issuer: string; notAfter: Date }): Localized =>
    l10n(
      `${MARK} The Unified Messaging server loaded the certificate with thumbprint ${c.thumbprint} (subject "${c.subject}", issuer "${c.issuer}", valid until ${c.notAfter.toISOString()}) for mutual TLS.`,
      `${MARK} Le serveur de messagerie unifiée a chargé le certificat avec l'empreinte numérique ${c.thumbprint} (objet « ${c.subject} », émetteur « ${c.issuer} », valide jusqu'au ${c.notAfter.toISOString()}) pour le TLS mutuel.`,
    ),
  /** Event 1112 (Error): no certificate to load; what to do differs between the releases. */
  noCertificate: (version: ExchangeVersion): Localized =>
    version === '2010'
      ? l10n(
          `${MARK} No certificate with a private key is enabled for UM on this server: the Unified Messaging service cannot accept SIP over TLS (port 5061). Use Enable-ExchangeCertificate -Services UM, then restart the service.`,
          `${MARK} Aucun certificat doté d'une clé privée n'est activé pour la messagerie unifiée sur ce serveur : le service de messagerie unifiée ne peut pas accepter SIP sur TLS (port 5061). Utilisez Enable-ExchangeCertificate -Services UM, puis redémarrez le service.`,
        )
      : l10n(
          `${MARK} No valid certificate for mutual TLS was found in the local computer store: the Unified Messaging service cannot accept SIP over TLS (port 5061).`,
          `${MARK} Aucun certificat valide pour le TLS mutuel n'a été trouvé dans le magasin de l'ordinateur local : le service de messagerie unifiée ne peut pas accepter SIP sur TLS (port 5061).`,
        ),
} as const;
