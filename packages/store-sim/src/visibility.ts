// Which physical stores make up a logical (system) store: the visibility rules of Windows.
// LocalMachine Root/CA/Trust are seen from every CurrentUser (and service) store of the same
// name, never the reverse; LocalMachine Root includes AuthRoot, Group Policy and Enterprise roots.

import type { StoreLocation } from './locations.js';
import { baseStoreName, normalizeStoreName } from './store-names.js';

/**
 * One physical member of a logical store: the `.Default` store of some (location, store) and
 * the physical name Windows gives it inside the view (`.Default`, `.LocalMachine`, `.AuthRoot`,
 * `.GroupPolicy`, `.Enterprise`).
 *
 * @example
 * ```ts
 * const m: PhysicalMember = { location: 'LocalMachine', store: 'Root', physical: '.LocalMachine' };
 * ```
 */
export interface PhysicalMember {
  readonly location: StoreLocation;
  readonly store: string;
  readonly physical: string;
}

const INHERITED = new Set(['Root', 'CA', 'Trust', 'Disallowed']);

/**
 * The physical members of a logical store, in the order Windows enumerates them. Writes go to the
 * first one (`.Default`). `Disallowed` inheriting from the machine like CA is an assumption the
 * reference does not confirm.
 *
 * @example
 * ```ts
 * logicalMembers('CurrentUser', 'Root').map((m) => `${m.location}\\${m.store}`);
 * // ['CurrentUser\\Root', 'LocalMachine\\Root', 'LocalMachine\\AuthRoot', 'LocalMachineGroupPolicy\\Root', 'LocalMachineEnterprise\\Root']
 * ```
 */
export function logicalMembers(location: StoreLocation, storeName: string): PhysicalMember[] {
  const store = normalizeStoreName(storeName);
  const base = baseStoreName(store);
  const own: PhysicalMember = { location, store, physical: '.Default' };
  const fromMachine = (physical: string): PhysicalMember[] =>
    logicalMembers('LocalMachine', base).map((m) => ({
      ...m,
      physical: m.physical === '.Default' ? physical : m.physical,
    }));
  switch (location) {
    case 'LocalMachine':
      if (base === 'Root')
        return [
          own,
          { location, store: 'AuthRoot', physical: '.AuthRoot' },
          { location: 'LocalMachineGroupPolicy', store, physical: '.GroupPolicy' },
          { location: 'LocalMachineEnterprise', store, physical: '.Enterprise' },
        ];
      if (INHERITED.has(base))
        return [
          own,
          { location: 'LocalMachineGroupPolicy', store, physical: '.GroupPolicy' },
          { location: 'LocalMachineEnterprise', store, physical: '.Enterprise' },
        ];
      return [own];
    case 'CurrentUser':
      if (base === 'Root') return [own, ...fromMachine('.LocalMachine')];
      if (INHERITED.has(base))
        return [
          own,
          { location: 'CurrentUserGroupPolicy', store, physical: '.GroupPolicy' },
          ...fromMachine('.LocalMachine'),
        ];
      return [own];
    case 'CurrentService':
    case 'Services':
    case 'Users':
      return INHERITED.has(base) ? [own, ...fromMachine('.LocalMachine')] : [own];
    default:
      return [own];
  }
}

/**
 * Whether a certificate added to `from` is seen when enumerating `to`.
 *
 * @example
 * ```ts
 * isVisibleFrom({ location: 'LocalMachine', store: 'Root' }, { location: 'CurrentUser', store: 'Root' }); // true
 * isVisibleFrom({ location: 'CurrentUser', store: 'Root' }, { location: 'LocalMachine', store: 'Root' }); // false
 * ```
 */
export function isVisibleFrom(
  from: { location: StoreLocation; store: string },
  to: { location: StoreLocation; store: string },
): boolean {
  const store = normalizeStoreName(from.store);
  return logicalMembers(to.location, to.store).some((m) => m.location === from.location && m.store === store);
}
