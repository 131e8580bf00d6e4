// Certificate templates as the request pages list them (reference §4): the `;`-separated option
// value of `lbCertTemplate` (field 1 = template cn, last field = display name) and the display
// name in the page language.

import { type CertificateTemplate, templateRevision } from '../../template.js';
import type { CertsrvLanguage, TemplateOption } from '../page-model.js';

// French display names of the default templates (Windows fr-FR), keyed by cn, used only when the
// template still carries its English default display name.
const FRENCH_NAMES: Readonly<Record<string, readonly [english: string, french: string]>> = {
  WebServer: ['Web Server', 'Serveur web'],
  Machine: ['Computer', 'Ordinateur'],
  User: ['User', 'Utilisateur'],
  DomainController: ['Domain Controller', 'Contrôleur de domaine'],
  SubCA: ['Subordinate Certification Authority', 'Autorité de certification secondaire'],
  Administrator: ['Administrator', 'Administrateur'],
  EFS: ['Basic EFS', 'EFS de base'],
  EFSRecovery: ['EFS Recovery Agent', 'Agent de récupération EFS'],
  KerberosAuthentication: ['Kerberos Authentication', 'Authentification Kerberos'],
  DomainControllerAuthentication: [
    'Domain Controller Authentication',
    'Authentification du contrôleur de domaine',
  ],
  DirectoryEmailReplication: ['Directory Email Replication', "Réplication de la messagerie de l'annuaire"],
};

/**
 * The display name of a template in the page language: the French name of a default template
 * (`Web Server` → `Serveur web`) on French pages, otherwise the template's display name.
 *
 * @example
 * ```ts
 * localizedTemplateName(WEB_SERVER_TEMPLATE, 'fr'); // 'Serveur web'
 * ```
 */
export function localizedTemplateName(t: CertificateTemplate, lang: CertsrvLanguage): string {
  if (lang === 'fr') {
    const known = Object.hasOwn(FRENCH_NAMES, t.name) ? FRENCH_NAMES[t.name] : undefined;
    if (known && known[0] === t.displayName) return known[1];
  }
  return t.displayName;
}

const KEY_USAGE_KEY_EXCHANGE = new Set(['keyEncipherment', 'keyAgreement', 'dataEncipherment']);

/**
 * The value of a template's `lbCertTemplate` option (reference §4): `;`-separated fields —
 * 0 `O` (enrollee supplies the subject, "offline") or `E` (subject built from the directory),
 * 1 the template cn, 2 the key spec (1 AT_KEYEXCHANGE, 2 AT_SIGNATURE), 3 the minimum key size
 * (RSA, else EC), 4 enrollment flags (1 = manager approval), 5 private-key flags, 6 subject-name
 * flags (1 = supplied in the request), 7 the RA signature count, 8 the CSP list (empty), 9 the
 * schema version, 10 the template OID (empty for v1), 11 major and 12 minor version, 13 the
 * display name. Fields 2–12 are a plausible shape (unverified); clients read fields 0, 1 and the
 * display name, which a production script reads as field 14 of 1 (awk `$14`, bgstack15/certreq
 * `--list`), so there are 13 fields before it.
 *
 * @example
 * ```ts
 * templateOptionValue(WEB_SERVER_TEMPLATE); // 'O;WebServer;1;2048;0;0;1;0;;1;;1;0;Web Server'
 * ```
 */
export function templateOptionValue(t: CertificateTemplate): string {
  const offline = t.subject === 'request';
  const keySpec = t.keyUsage.some((k) => KEY_USAGE_KEY_EXCHANGE.has(k)) ? 1 : 2;
  const minKey = t.minKeySize.rsa ?? t.minKeySize.ec ?? 0;
  const revision = templateRevision(t);
  return [
    offline ? 'O' : 'E',
    t.name,
    keySpec,
    minKey,
    t.managerApproval ? 1 : 0,
    0,
    offline ? 1 : 0,
    0,
    '',
    t.schemaVersion,
    t.oid ?? '',
    revision.major,
    revision.minor,
    t.displayName,
  ].join(';');
}

/**
 * The `lbCertTemplate` options for a list of templates, in the page language.
 *
 * @example
 * ```ts
 * const options = templateOptions([WEB_SERVER_TEMPLATE], 'fr'); // [{ name: 'WebServer', displayName: 'Serveur web', … }]
 * ```
 */
export function templateOptions(
  templates: readonly CertificateTemplate[],
  lang: CertsrvLanguage,
): TemplateOption[] {
  return templates.map((t) => ({
    name: t.name,
    displayName: localizedTemplateName(t, lang),
    value: templateOptionValue(t),
    enrolleeSuppliesSubject: t.subject === 'request',
  }));
}
