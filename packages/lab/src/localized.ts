// Texts the lab shows in English and French. The French strings reuse the labels of the French
// edition of the article (Gg398564(v=OCS.15), fr-FR) and of the French Windows consoles.

/**
 * A language of the lab.
 *
 * @example
 * ```ts
 * const lang: LabLang = 'fr';
 * ```
 */
export type LabLang = 'en' | 'fr';

/**
 * A text in both languages.
 *
 * @example
 * ```ts
 * const t: Localized = { en: 'Restart the service', fr: 'Redémarrez le service' };
 * ```
 */
export interface Localized {
  readonly en: string;
  readonly fr: string;
}

/**
 * Builds a {@link Localized}.
 *
 * @example
 * ```ts
 * const t = l10n('Passed', 'Réussi');
 * ```
 */
export function l10n(en: string, fr: string): Localized {
  return { en, fr };
}

/**
 * Parses a language option (`en`, `fr`, `fr-FR`…); anything else is English.
 *
 * @example
 * ```ts
 * parseLang('fr-FR'); // 'fr'
 * ```
 */
export function parseLang(value: string | undefined): LabLang {
  return value?.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}
