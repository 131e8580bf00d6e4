// The certificate dialog's verdicts (General tab and Certification Path "Certificate status:"),
// in English (canonical) and French, each French string flagged verified or not.

import type { Certificate } from '@certlab/pki';
import type { ChainResult } from './chain-engine.js';
import type { Lang } from './store-names.js';
import { CERT_TRUST_ERROR as E } from './trust-status.js';

/**
 * A text in both languages; `frVerified` is true only when Microsoft documents the French.
 *
 * @example
 * ```ts
 * const t: LocalizedText = DIALOG_TEXTS.ok;
 * // { en: 'This certificate is OK.', fr: 'Ce certificat est valide.', frVerified: false }
 * ```
 */
export interface LocalizedText {
  readonly en: string;
  readonly fr: string;
  readonly frVerified: boolean;
}

const text = (en: string, fr: string, frVerified = false): LocalizedText => ({ en, fr, frVerified });

/**
 * The dialog texts the simulator uses, by identifier.
 *
 * @example
 * ```ts
 * DIALOG_TEXTS.ok.en; // 'This certificate is OK.'
 * ```
 */
export const DIALOG_TEXTS = {
  ok: text('This certificate is OK.', 'Ce certificat est valide.'),
  purposesHeader: text(
    'This certificate is intended for the following purpose(s):',
    'Ce certificat est destiné à (aux) rôle(s) suivant(s) :',
  ),
  untrustedRootGeneral: text(
    'This CA Root certificate is not trusted. To enable trust, install this certificate in the Trusted Root Certification Authorities store.',
    "Ce certificat racine de l'autorité de certification n'est pas approuvé. Pour activer l'approbation, installez ce certificat dans le magasin d'autorités de certification racines de confiance.",
  ),
  untrustedRootPath: text(
    'This CA Root certificate is not trusted because it is not in the Trusted Root Certification Authorities store.',
    "Ce certificat racine de l'autorité de certification n'est pas approuvé car il ne se trouve pas dans le magasin d'autorités de certification racines de confiance.",
  ),
  untrustedChainGeneral: text(
    'This certificate cannot be verified up to a trusted certification authority.',
    "Impossible de vérifier ce certificat jusqu'à une autorité de certification approuvée.",
  ),
  untrustedChainPath: text(
    'A certificate chain processed, but terminated in a root certificate which is not trusted by the trust provider.',
    "Une chaîne de certificats a été traitée mais s'est terminée par un certificat racine qui n'est pas approuvé par le fournisseur d'approbation.",
  ),
  partialGeneral: text(
    'Windows does not have enough information to verify this certificate.',
    "Windows ne dispose pas de suffisamment d'informations pour vérifier ce certificat.",
  ),
  partialPath: text(
    'The issuer of this certificate could not be found.',
    "L'émetteur de ce certificat est introuvable.",
  ),
  notTimeValid: text(
    'This certificate has expired or is not yet valid.',
    "Ce certificat a expiré ou n'est pas encore valide.",
  ),
  revoked: text(
    'This certificate has been revoked by its certification authority.',
    'Ce certificat a été révoqué par son autorité de certification.',
  ),
  signature: text(
    'This certificate has an invalid digital signature.',
    'Ce certificat a une signature numérique non valide.',
  ),
  explicitDistrust: text(
    'This certificate has been explicitly marked as untrusted.',
    'Ce certificat a été explicitement marqué comme non approuvé.',
  ),
  wrongUsage: text(
    'The certificate is not valid for the requested usage.',
    "Le certificat n'est pas valide pour l'utilisation demandée.",
  ),
  revocationOffline: text(
    'The revocation function was unable to check revocation because the revocation server was offline.',
    "La fonction de révocation n'a pas pu vérifier la révocation car le serveur de révocation était hors connexion.",
  ),
  revocationUnknown: text(
    'The revocation function was unable to check revocation for the certificate.',
    "La fonction de révocation n'a pas pu vérifier la révocation du certificat.",
  ),
  invalid: text('This certificate is not valid.', "Ce certificat n'est pas valide."),
  privateKey: text(
    'You have a private key that corresponds to this certificate.',
    'Vous avez une clé privée qui correspond à ce certificat.',
    true,
  ),
  importSuccessful: text('The import was successful.', "L'importation s'est terminée correctement."),
  allIssuancePolicies: text('All issuance policies', "Toutes les stratégies d'émission"),
  allApplicationPolicies: text('All application policies', "Toutes les stratégies d'application"),
} as const;

/** A dialog text identifier. @example `const id: DialogTextId = 'ok'` */
export type DialogTextId = keyof typeof DIALOG_TEXTS;

const EKU_NAMES: Record<string, LocalizedText> = {
  '1.3.6.1.5.5.7.3.1': text('Server Authentication', 'Authentification du serveur', true),
  '1.3.6.1.5.5.7.3.2': text('Client Authentication', 'Authentification du client'),
  '1.3.6.1.5.5.7.3.3': text('Code Signing', 'Signature du code'),
  '1.3.6.1.5.5.7.3.4': text('Secure Email', 'Messagerie électronique sécurisée'),
  '1.3.6.1.5.5.7.3.8': text('Time Stamping', 'Horodatage'),
  '1.3.6.1.5.5.7.3.9': text('OCSP Signing', 'Signature OCSP'),
  '2.5.29.37.0': text('All application policies', "Toutes les stratégies d'application"),
};

/**
 * The purposes the General tab lists for a certificate: its EKU names, or "All issuance
 * policies" and "All application policies" when it has none.
 *
 * @example
 * ```ts
 * intendedPurposes(leaf); // ['Server Authentication']
 * ```
 */
export function intendedPurposes(cert: Certificate, lang: Lang = 'en'): string[] {
  let eku: string[] | undefined;
  try {
    eku = cert.extKeyUsage;
  } catch {
    eku = undefined;
  }
  if (!eku) return [DIALOG_TEXTS.allIssuancePolicies[lang], DIALOG_TEXTS.allApplicationPolicies[lang]];
  return eku.map((oid) => EKU_NAMES[oid]?.[lang] ?? oid);
}

/**
 * What the certificate dialog shows for a chain.
 *
 * @example
 * ```ts
 * const v = certificateVerdict(chain, { hasPrivateKey: true }, 'fr');
 * v.general;    // 'Ce certificat est destiné à (aux) rôle(s) suivant(s) :'
 * v.pathStatus; // 'Ce certificat est valide.'
 * ```
 */
export interface CertificateVerdict {
  /** Which case of the decision tree applied. */
  readonly id:
    | 'ok'
    | 'signature'
    | 'explicit-distrust'
    | 'partial-chain'
    | 'untrusted-root'
    | 'untrusted-chain'
    | 'not-time-valid'
    | 'revoked'
    | 'wrong-usage'
    | 'revocation-offline'
    | 'revocation-unknown'
    | 'invalid';
  /** The General tab's headline. */
  readonly general: string;
  /** The purposes list under the headline (only when the certificate is OK). */
  readonly purposes: string[];
  /** The Certification Path tab's "Certificate status:". */
  readonly pathStatus: string;
  /** The General tab footer: the private key line, or undefined. */
  readonly keyLine: string | undefined;
  /** True when every text used is attested in that language. */
  readonly verified: boolean;
}

/**
 * The certificate dialog's verdict for a chain: bad signature, then issuer not found ("not
 * enough information"), then untrusted root (a lone self-signed CA gets the root texts), then
 * expired, revoked, wrong usage, revocation problems; otherwise OK with the purposes list.
 *
 * @example
 * ```ts
 * certificateVerdict(await buildChain(machine, leaf), {}, 'en').pathStatus; // 'This certificate is OK.'
 * ```
 */
export function certificateVerdict(
  chain: ChainResult,
  options: { hasPrivateKey?: boolean } = {},
  lang: Lang = 'en',
): CertificateVerdict {
  // Any other language gave a verdict without its texts (undefined), not an error.
  if (lang !== 'en' && lang !== 'fr')
    throw new TypeError(`lang must be 'en' or 'fr', not ${JSON.stringify(String(lang))}.`);
  const s = chain.errorStatus;
  const lone = chain.elements.length === 1;
  const pick = (
    id: CertificateVerdict['id'],
    general: LocalizedText,
    path: LocalizedText,
    purposes: string[] = [],
  ) => ({
    id,
    general: general[lang],
    purposes,
    pathStatus: path[lang],
    keyLine: options.hasPrivateKey ? DIALOG_TEXTS.privateKey[lang] : undefined,
    verified: lang === 'en' ? true : general.frVerified && path.frVerified,
  });
  const T = DIALOG_TEXTS;
  if (s & E.IS_NOT_SIGNATURE_VALID) return pick('signature', T.signature, T.signature);
  if (s & E.IS_EXPLICIT_DISTRUST) return pick('explicit-distrust', T.explicitDistrust, T.explicitDistrust);
  if (s & (E.IS_PARTIAL_CHAIN | E.IS_CYCLIC)) return pick('partial-chain', T.partialGeneral, T.partialPath);
  if (s & E.IS_UNTRUSTED_ROOT)
    return lone
      ? pick('untrusted-root', T.untrustedRootGeneral, T.untrustedRootPath)
      : pick('untrusted-chain', T.untrustedChainGeneral, T.untrustedChainPath);
  if (s & E.IS_NOT_TIME_VALID) return pick('not-time-valid', T.notTimeValid, T.notTimeValid);
  if (s & E.IS_REVOKED) return pick('revoked', T.revoked, T.revoked);
  if (s & E.IS_NOT_VALID_FOR_USAGE) return pick('wrong-usage', T.wrongUsage, T.wrongUsage);
  if (s & E.IS_OFFLINE_REVOCATION)
    return pick('revocation-offline', T.revocationOffline, T.revocationOffline);
  if (s & E.REVOCATION_STATUS_UNKNOWN)
    return pick('revocation-unknown', T.revocationUnknown, T.revocationUnknown);
  if (s) return pick('invalid', T.invalid, T.invalid);
  return pick('ok', T.purposesHeader, T.ok, intendedPurposes(chain.elements[0]!.certificate, lang));
}
