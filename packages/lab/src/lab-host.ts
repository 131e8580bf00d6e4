// A simulated host of the lab: a store-sim machine kept in a directory (so that the ordinary
// `certlab store … --machine DIR/hosts/ex01` commands work on it), its FQDN, and its Application
// event log. Lab-only state (event log, service settings, downloads) lives beside the stores in
// folders the directory adapter never reads (it only reads DIR/<Location>/).

import { join } from 'node:path';
import { DirectoryStoreAdapter, Machine, MemoryStoreAdapter } from '@certlab/store-sim';
import { EventLog } from './event-log.js';
import type { HostDefinition, HostRole } from './lab-config.js';
import type { LabLang } from './localized.js';

/** The folder of a host directory where the lab keeps service state and the event log. @example `join(ex01.dir!, HOST_STATE_DIR)` */
export const HOST_STATE_DIR = 'lab-state';
/** The folder of a host directory where "the browser" saves downloads (File Download → Save). @example `join(ex01.dir!, HOST_DOWNLOADS_DIR, 'certnew.cer')` */
export const HOST_DOWNLOADS_DIR = 'Downloads';

/**
 * An open host.
 *
 * @example
 * ```ts
 * const ex01 = await openHost(def, '/tmp/lab');
 * ex01.machine.store('LocalMachine', 'Root').list();
 * ```
 */
export interface LabHost {
  readonly role: HostRole;
  readonly name: string;
  readonly fqdn: string;
  /** The machine directory (absolute), or undefined for an in-memory host. */
  readonly dir: string | undefined;
  readonly machine: Machine;
  readonly eventLog: EventLog;
}

/**
 * Opens a host of a lab directory, or an in-memory host when `labDir` is undefined. `lang` is the
 * language of the errors it may raise (the lab's; default English).
 *
 * @example
 * ```ts
 * const lync = await openHost({ role: 'lync', name: 'LYNC01', fqdn: 'lync01.contoso.com', dir: 'hosts/lync01' }, labDir);
 * ```
 */
export async function openHost(
  def: HostDefinition,
  labDir: string | undefined,
  now: () => Date = () => new Date(),
  lang?: LabLang,
): Promise<LabHost> {
  const dir = labDir === undefined ? undefined : join(labDir, def.dir);
  const machine = await Machine.open({
    name: def.name,
    fqdn: def.fqdn,
    adapter: dir ? new DirectoryStoreAdapter(dir) : new MemoryStoreAdapter(),
  });
  const eventLog = await EventLog.open(
    dir ? join(dir, HOST_STATE_DIR, 'application-log.json') : undefined,
    now,
    lang,
  );
  return { role: def.role, name: def.name, fqdn: def.fqdn, dir, machine, eventLog };
}
