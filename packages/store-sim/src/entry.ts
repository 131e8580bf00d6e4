// A certificate as a store shows it.

import type { Certificate } from '@certlab/pki';
import type { StoreLocation } from './locations.js';
import type { CertificateProperties } from './properties.js';

/**
 * One certificate in a (physical) store, with its properties and whether its private key is
 * reachable: the key link names a key container that exists in the store's location.
 *
 * @example
 * ```ts
 * const e = machine.store('LocalMachine', 'My').get(thumbprint);
 * if (e?.hasPrivateKey) console.log(DIALOG_TEXTS.privateKey.en); // "You have a private key that corresponds to this certificate."
 * ```
 */
export interface CertificateEntry {
  /** The location of the physical store that holds it. */
  readonly location: StoreLocation;
  /** The store that holds it (for a logical view, the member where it was found). */
  readonly store: string;
  /** The physical member name inside the logical view it was read through (`.Default`, `.LocalMachine`…). */
  readonly physical: string;
  /** 40 upper-case hex digits. */
  readonly thumbprint: string;
  readonly certificate: Certificate;
  readonly properties: Readonly<CertificateProperties>;
  readonly hasPrivateKey: boolean;
}
