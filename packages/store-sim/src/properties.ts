// Certificate properties kept next to a certificate in a store (CERT_*_PROP_ID).

/**
 * The properties of a certificate in a store. Only what the simulator uses; Windows property IDs
 * in brackets.
 *
 * @example
 * ```ts
 * const p: CertificateProperties = { friendlyName: 'Microsoft Exchange', keyContainer: 'key-3f…', keyExportable: false };
 * ```
 */
export interface CertificateProperties {
  /** Friendly name (11); empty by default. */
  friendlyName?: string;
  /** Description (13). */
  description?: string;
  /** Archived (19): hidden from normal enumeration. */
  archived?: boolean;
  /**
   * The private-key link (KEY_PROV_INFO, 2): the name of a key container of the store's location.
   * The certificate "has a private key" only while that container exists in that location.
   */
  keyContainer?: string;
  /** Provider name shown by certutil next to the container. */
  keyProvider?: string;
  /** Whether the linked key may be exported (Import-PfxCertificate -Exportable, "Mark this key as exportable"). */
  keyExportable?: boolean;
  /** An EKU restriction set by the user (ENHKEY_USAGE, 9): OIDs. */
  enhancedKeyUsage?: string[];
}

/** Keeps only known, well-typed fields (for properties read back from disk). */
export function cleanProperties(input: unknown): CertificateProperties {
  const out: CertificateProperties = {};
  if (typeof input !== 'object' || input === null) return out;
  const o = input as Record<string, unknown>;
  const str = (k: 'friendlyName' | 'description' | 'keyContainer' | 'keyProvider') => {
    if (typeof o[k] === 'string') out[k] = o[k] as string;
  };
  str('friendlyName');
  str('description');
  str('keyContainer');
  str('keyProvider');
  if (typeof o.archived === 'boolean') out.archived = o.archived;
  if (typeof o.keyExportable === 'boolean') out.keyExportable = o.keyExportable;
  if (Array.isArray(o.enhancedKeyUsage) && o.enhancedKeyUsage.every((x) => typeof x === 'string'))
    out.enhancedKeyUsage = [...(o.enhancedKeyUsage as string[])];
  return out;
}
