// System store locations (CertOpenStore's CERT_SYSTEM_STORE_* values, ID << 16).

import { StoreError } from './errors.js';

/**
 * A system store location, with the .NET / PowerShell spelling where one exists.
 *
 * @example
 * ```ts
 * const where: StoreLocation = 'LocalMachine';
 * ```
 */
export type StoreLocation =
  | 'CurrentUser'
  | 'LocalMachine'
  | 'CurrentService'
  | 'Services'
  | 'Users'
  | 'CurrentUserGroupPolicy'
  | 'LocalMachineGroupPolicy'
  | 'LocalMachineEnterprise';

/**
 * What Windows knows about a location.
 *
 * @example
 * ```ts
 * const info: LocationInfo = locationInfo('CurrentUser');
 * // { location: 'CurrentUser', id: 1, flag: 0x10000, certutil: '-user', machineKeys: false, … }
 * ```
 */
export interface LocationInfo {
  readonly location: StoreLocation;
  /** The location ID (CERT_SYSTEM_STORE_*_ID). */
  readonly id: number;
  /** The CertOpenStore flag: `id << 16`. */
  readonly flag: number;
  /** Where the stores live in the registry. */
  readonly registryRoot: string;
  /** The certutil switches that select it (empty for the machine default). */
  readonly certutil: string;
  /** Whether the location's keys are machine keys (LocalMachine, services) rather than a user's. */
  readonly machineKeys: boolean;
}

const TABLE: readonly LocationInfo[] = [
  ['CurrentUser', 1, 'HKCU\\Software\\Microsoft\\SystemCertificates', '-user', false],
  ['LocalMachine', 2, 'HKLM\\Software\\Microsoft\\SystemCertificates', '', true],
  [
    'CurrentService',
    4,
    'HKLM\\Software\\Microsoft\\Cryptography\\Services\\<svc>\\SystemCertificates',
    '-service',
    true,
  ],
  [
    'Services',
    5,
    'HKLM\\Software\\Microsoft\\Cryptography\\Services\\<svc>\\SystemCertificates',
    '-service',
    true,
  ],
  ['Users', 6, 'HKU\\<SID>\\Software\\Microsoft\\SystemCertificates', '', false],
  [
    'CurrentUserGroupPolicy',
    7,
    'HKCU\\Software\\Policies\\Microsoft\\SystemCertificates',
    '-grouppolicy -user',
    false,
  ],
  [
    'LocalMachineGroupPolicy',
    8,
    'HKLM\\Software\\Policies\\Microsoft\\SystemCertificates',
    '-grouppolicy',
    true,
  ],
  ['LocalMachineEnterprise', 9, 'HKLM\\Software\\Microsoft\\EnterpriseCertificates', '-enterprise', true],
].map(([location, id, registryRoot, certutil, machineKeys]) => ({
  location: location as StoreLocation,
  id: id as number,
  flag: (id as number) << 16,
  registryRoot: registryRoot as string,
  certutil: certutil as string,
  machineKeys: machineKeys as boolean,
}));

/**
 * Every location, in ID order.
 *
 * @example
 * ```ts
 * STORE_LOCATIONS.map((l) => l.location); // ['CurrentUser', 'LocalMachine', …]
 * ```
 */
export const STORE_LOCATIONS: readonly LocationInfo[] = TABLE;

const ALIASES = new Map<string, StoreLocation>([
  ['currentuser', 'CurrentUser'],
  ['cu', 'CurrentUser'],
  ['hkcu', 'CurrentUser'],
  ['current_user', 'CurrentUser'],
  ['localmachine', 'LocalMachine'],
  ['lm', 'LocalMachine'],
  ['hklm', 'LocalMachine'],
  ['local_machine', 'LocalMachine'],
  ['currentservice', 'CurrentService'],
  ['current_service', 'CurrentService'],
  ['services', 'Services'],
  ['users', 'Users'],
  ['currentusergrouppolicy', 'CurrentUserGroupPolicy'],
  ['current_user_group_policy', 'CurrentUserGroupPolicy'],
  ['localmachinegrouppolicy', 'LocalMachineGroupPolicy'],
  ['local_machine_group_policy', 'LocalMachineGroupPolicy'],
  ['localmachineenterprise', 'LocalMachineEnterprise'],
  ['local_machine_enterprise', 'LocalMachineEnterprise'],
]);

/**
 * Reads a location name case-insensitively (`LocalMachine`, `localmachine`, `LM`, `HKLM`,
 * `LOCAL_MACHINE` …). Throws ERR_STORE_LOCATION_UNKNOWN otherwise.
 *
 * @example
 * ```ts
 * parseLocation('lm'); // 'LocalMachine'
 * ```
 */
export function parseLocation(text: string): StoreLocation {
  const l = typeof text === 'string' ? ALIASES.get(text.trim().toLowerCase()) : undefined;
  if (!l)
    throw new StoreError(
      'ERR_STORE_LOCATION_UNKNOWN',
      `"${String(text)}" is not a store location (use ${TABLE.map((t) => t.location).join(', ')}).`,
    );
  return l;
}

/**
 * The facts of one location.
 *
 * @example
 * ```ts
 * locationInfo('LocalMachine').flag; // 0x00020000
 * ```
 */
export function locationInfo(location: StoreLocation): LocationInfo {
  const info = TABLE.find((t) => t.location === location);
  if (!info) return locationInfo(parseLocation(location));
  return info;
}
