// Logical store names and their display names in English and French (Certificates console).

import { StoreError } from './errors.js';

/**
 * A language of the display texts: English (canonical) or French.
 *
 * @example
 * ```ts
 * const lang: Lang = 'fr';
 * ```
 */
export type Lang = 'en' | 'fr';

/**
 * The stores Windows creates, by internal name. Other names are allowed (certutil creates a
 * store on first add) and keep the spelling they were first given.
 *
 * @example
 * ```ts
 * const s: WellKnownStoreName = 'Root';
 * ```
 */
export type WellKnownStoreName =
  | 'My'
  | 'Root'
  | 'CA'
  | 'Trust'
  | 'Disallowed'
  | 'AuthRoot'
  | 'TrustedPublisher'
  | 'TrustedPeople'
  | 'AddressBook'
  | 'UserDS'
  | 'REQUEST'
  | 'SmartCardRoot'
  | 'ClientAuthIssuer';

/**
 * A display name and whether its French form is attested by Microsoft documentation.
 *
 * @example
 * ```ts
 * const ca: StoreDisplayName | undefined = STORE_DISPLAY_NAMES.find((d) => d.name === 'CA');
 * // { name: 'CA', en: 'Intermediate Certification Authorities', fr: 'Autorités de certification intermédiaires', frVerified: true }
 * ```
 */
export interface StoreDisplayName {
  readonly name: WellKnownStoreName;
  readonly en: string;
  readonly fr: string;
  /** True when the French text comes from Microsoft documentation; false when it is a best guess. */
  readonly frVerified: boolean;
}

/**
 * The display names of the well-known stores.
 *
 * @example
 * ```ts
 * STORE_DISPLAY_NAMES.find((d) => d.name === 'Root')?.fr; // 'Autorités de certification racines de confiance'
 * ```
 */
export const STORE_DISPLAY_NAMES: readonly StoreDisplayName[] = [
  { name: 'My', en: 'Personal', fr: 'Personnel', frVerified: true },
  {
    name: 'Root',
    en: 'Trusted Root Certification Authorities',
    fr: 'Autorités de certification racines de confiance',
    frVerified: true,
  },
  {
    name: 'CA',
    en: 'Intermediate Certification Authorities',
    fr: 'Autorités de certification intermédiaires',
    frVerified: true,
  },
  { name: 'Trust', en: 'Enterprise Trust', fr: "Confiance de l'entreprise", frVerified: false },
  { name: 'Disallowed', en: 'Untrusted Certificates', fr: 'Certificats non autorisés', frVerified: true },
  {
    name: 'AuthRoot',
    en: 'Third-Party Root Certification Authorities',
    fr: 'Autorités de certification racines tierces',
    frVerified: false,
  },
  { name: 'TrustedPublisher', en: 'Trusted Publishers', fr: 'Éditeurs approuvés', frVerified: true },
  { name: 'TrustedPeople', en: 'Trusted People', fr: 'Personnes autorisées', frVerified: true },
  { name: 'AddressBook', en: 'Other People', fr: 'Autres personnes', frVerified: true },
  {
    name: 'UserDS',
    en: 'Active Directory User Object',
    fr: 'Objet utilisateur Active Directory',
    frVerified: true,
  },
  {
    name: 'REQUEST',
    en: 'Certificate Enrollment Requests',
    fr: "Demandes d'inscription de certificats",
    frVerified: true,
  },
  {
    name: 'SmartCardRoot',
    en: 'Smart Card Trusted Roots',
    fr: 'Racines de confiance de carte à puce',
    frVerified: false,
  },
  {
    name: 'ClientAuthIssuer',
    en: 'Client Authentication Issuers',
    fr: "Émetteurs d'authentification client",
    frVerified: false,
  },
];

const BY_LOWER = new Map<string, StoreDisplayName>(STORE_DISPLAY_NAMES.map((d) => [d.name.toLowerCase(), d]));

/**
 * The canonical spelling of a store name: lookup is case-insensitive (`my`, `MY` → `My`), .NET's
 * `CertificateAuthority` is `CA`; other names are kept as given. A `service\Store` prefix (the
 * Services location) is kept and its store part normalised. Throws ERR_STORE_NAME_INVALID for an
 * empty name, a slash, a NUL, `.`/`..`, or more than 255 characters.
 *
 * @example
 * ```ts
 * normalizeStoreName('root'); // 'Root'
 * normalizeStoreName('CertificateAuthority'); // 'CA'
 * ```
 */
export function normalizeStoreName(name: string): string {
  if (typeof name !== 'string' || name.trim() === '')
    throw new StoreError('ERR_STORE_NAME_INVALID', 'A store name must be a non-empty string.');
  const n = name.trim();
  if (n.length > 255 || /[/\0]/.test(n) || n === '.' || n === '..')
    throw new StoreError(
      'ERR_STORE_NAME_INVALID',
      `"${n.slice(0, 60)}" is not a usable store name (no "/", no NUL, not "." or "..", at most 255 characters).`,
    );
  const slash = n.lastIndexOf('\\');
  if (slash >= 0) {
    const prefix = n.slice(0, slash);
    if (prefix === '' || slash === n.length - 1)
      throw new StoreError('ERR_STORE_NAME_INVALID', `"${n}" must read service\\Store.`);
    return `${prefix}\\${normalizeStoreName(n.slice(slash + 1))}`;
  }
  if (n.toLowerCase() === 'certificateauthority') return 'CA';
  return BY_LOWER.get(n.toLowerCase())?.name ?? n;
}

/**
 * The store part of `service\Store`, or the name itself.
 *
 * @example
 * ```ts
 * baseStoreName('MSExchangeTransport\\my'); // 'My'
 * baseStoreName('root');                     // 'Root'
 * ```
 */
export function baseStoreName(name: string): string {
  const n = normalizeStoreName(name);
  const slash = n.lastIndexOf('\\');
  return slash >= 0 ? n.slice(slash + 1) : n;
}

/**
 * The name the Certificates console shows for a store, in English or French; unknown stores show
 * their own name.
 *
 * @example
 * ```ts
 * storeDisplayName('My', 'fr'); // 'Personnel'
 * storeDisplayName('CA');       // 'Intermediate Certification Authorities'
 * ```
 */
export function storeDisplayName(name: string, lang: Lang = 'en'): string {
  const base = baseStoreName(name);
  const d = BY_LOWER.get(base.toLowerCase());
  return d ? d[lang] : base;
}
