// The Application event log of a simulated host, kept as a JSON file next to the machine's
// stores so that the CLI (one process per command) and the library see the same history.

import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@certlab/store-sim';
import { LabError } from './errors.js';
import { type LabLang, l10n } from './localized.js';

/**
 * One event, as Event Viewer shows it.
 *
 * @example
 * ```ts
 * const e: LabEvent = { recordId: 1, time: '2026-11-30T10:00:00.000Z', level: 'Information',
 *   source: 'MSExchange Unified Messaging', eventId: 1112, message: '…', synthetic: true };
 * ```
 */
export interface LabEvent {
  readonly recordId: number;
  readonly time: string;
  readonly level: 'Information' | 'Warning' | 'Error';
  readonly source: string;
  readonly eventId: number;
  readonly message: string;
  /** True when the wording is ours: Microsoft's text for this event is not public. */
  readonly synthetic: boolean;
  /** Machine-readable details (a thumbprint, a reason code). */
  readonly data?: Readonly<Record<string, string>>;
}

/**
 * The Application log of one host. Without a file it lives in memory only.
 *
 * @example
 * ```ts
 * const log = await EventLog.open('/tmp/lab/hosts/ex01/lab-state/application-log.json');
 * await log.write({ level: 'Information', source: 'MSExchange Unified Messaging', eventId: 1112,
 *   message: '[SYNTHETIC] …', synthetic: true });
 * log.find(1112).at(-1)?.data?.thumbprint;
 * ```
 */
export class EventLog {
  readonly file: string | undefined;
  #events: LabEvent[];
  readonly #now: () => Date;

  private constructor(file: string | undefined, events: LabEvent[], now: () => Date) {
    this.file = file;
    this.#events = events;
    this.#now = now;
  }

  /**
   * Opens (or starts) a log; `file` undefined keeps it in memory. `lang` is the language of the
   * error for an unreadable file (the lab's; default English).
   *
   * @example
   * ```ts
   * const log = await EventLog.open(undefined); // in memory
   * ```
   */
  static async open(
    file: string | undefined,
    now: () => Date = () => new Date(),
    lang?: LabLang,
  ): Promise<EventLog> {
    let events: LabEvent[] = [];
    if (file) {
      try {
        const v = JSON.parse(await readFile(file, 'utf8')) as unknown;
        if (!Array.isArray(v)) throw new Error('not an array');
        events = v as LabEvent[];
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
          throw new LabError(
            'ERR_LAB_CONFIG_INVALID',
            l10n(
              `The event log ${file} cannot be read; delete it to start an empty log.`,
              `Le journal d'événements ${file} est illisible ; supprimez-le pour repartir d'un journal vide.`,
            ),
            { cause: e, lang },
          );
      }
    }
    return new EventLog(file, events, now);
  }

  /** Every event, oldest first. @example `log.all().length` */
  all(): readonly LabEvent[] {
    return this.#events;
  }

  /** Events with an ID (and optionally a source), oldest first. @example `log.find(1112)` */
  find(eventId: number, source?: string): LabEvent[] {
    return this.#events.filter((e) => e.eventId === eventId && (source === undefined || e.source === source));
  }

  /**
   * Appends an event and saves the log.
   *
   * @example
   * ```ts
   * await log.write({ level: 'Warning', source: 'MSExchange Unified Messaging', eventId: 1112, message: '…', synthetic: true });
   * ```
   */
  async write(event: Omit<LabEvent, 'recordId' | 'time'>): Promise<LabEvent> {
    const e: LabEvent = {
      recordId: (this.#events.at(-1)?.recordId ?? 0) + 1,
      time: this.#now().toISOString(),
      ...event,
    };
    this.#events.push(e);
    await this.#save();
    return e;
  }

  /** Empties the log (Event Viewer's Clear Log). @example `await log.clear()` */
  async clear(): Promise<void> {
    this.#events = [];
    await this.#save();
  }

  async #save(): Promise<void> {
    if (!this.file) return;
    await writeFileAtomic(this.file, `${JSON.stringify(this.#events, null, 2)}\n`);
  }
}
