// The Application event log of a simulated host, kept as a JSON file next to the machine's
// stores so that the CLI (one process per command) and the library see the same history.

import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@certlab/store-sim';
import { LabError } from './errors.js';
import { isRecord, shownValue } from './internal/json-shape.js';
import { type LabLang, type Localized, l10n } from './localized.js';

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
  readonly #lang: LabLang | undefined;

  private constructor(
    file: string | undefined,
    events: LabEvent[],
    now: () => Date,
    lang: LabLang | undefined,
  ) {
    this.file = file;
    this.#events = events;
    this.#now = now;
    this.#lang = lang;
  }

  /**
   * Opens (or starts) a log; `file` undefined keeps it in memory. A file that is not JSON, or
   * whose content is not a list of events with every member of the type the readers use, is
   * refused with ERR_LAB_CONFIG_INVALID naming the entry and member. `lang` is the language of
   * that error (the lab's; default English).
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
    if (!file) return new EventLog(undefined, [], now, lang);
    let v: unknown;
    try {
      v = JSON.parse(await readFile(file, 'utf8')) as unknown;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new EventLog(file, [], now, lang);
      throw new LabError(
        'ERR_LAB_CONFIG_INVALID',
        l10n(
          `The event log ${file} cannot be read; delete it to start an empty log.`,
          `Le journal d'événements ${file} est illisible ; supprimez-le pour repartir d'un journal vide.`,
        ),
        { cause: e, lang },
      );
    }
    // Every reader (find, the check of event 1112, `lab um events`, write's numbering) takes the
    // entries as events: a hand-edited or damaged one is refused here, with where it is, rather
    // than met later as a TypeError or a record number such as "71".
    const problem = logProblem(v);
    if (problem)
      throw new LabError(
        'ERR_LAB_CONFIG_INVALID',
        l10n(
          `The event log ${file} is damaged: ${problem.en}. Restore it from a copy, or delete it to start an empty log.`,
          `Le journal d'événements ${file} est endommagé : ${problem.fr}. Restaurez-le depuis une copie, ou supprimez-le pour repartir d'un journal vide.`,
        ),
        { lang },
      );
    return new EventLog(file, v as LabEvent[], now, lang);
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
    // After the highest number in the log, not the last entry's: a log edited by hand may hold
    // them out of order, and Event Viewer's record numbers only grow.
    const last = this.#events.reduce((max, e) => Math.max(max, e.recordId), 0);
    if (last >= Number.MAX_SAFE_INTEGER)
      throw new LabError(
        'ERR_LAB_CONFIG_INVALID',
        l10n(
          `The event log${this.file ? ` ${this.file}` : ''} has no record number left after ${last}; delete it to start an empty log.`,
          `Le journal d'événements${this.file ? ` ${this.file}` : ''} n'a plus de numéro d'enregistrement libre après ${last} ; supprimez-le pour repartir d'un journal vide.`,
        ),
        { lang: this.#lang },
      );
    const e: LabEvent = {
      recordId: last + 1,
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

const LEVELS: readonly string[] = ['Information', 'Warning', 'Error'] satisfies LabEvent['level'][];

/**
 * What each member of an event must be, as the readers use it: a test, and the expectation in
 * both languages. `data` may be absent; every other member must be there.
 */
const MEMBERS: readonly [keyof LabEvent, (x: unknown) => boolean, Localized][] = [
  [
    'recordId',
    (x) => Number.isSafeInteger(x) && (x as number) >= 1,
    l10n('a record number (a whole number from 1)', "un numéro d'enregistrement (un entier à partir de 1)"),
  ],
  ['time', (x) => typeof x === 'string', l10n('a string', 'une chaîne')],
  [
    'level',
    (x) => typeof x === 'string' && LEVELS.includes(x),
    l10n('"Information", "Warning" or "Error"', '"Information", "Warning" ou "Error"'),
  ],
  ['source', (x) => typeof x === 'string', l10n('a string', 'une chaîne')],
  [
    'eventId',
    (x) => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 65535,
    l10n('an event ID (a whole number from 0 to 65535)', "un ID d'événement (un entier de 0 à 65535)"),
  ],
  ['message', (x) => typeof x === 'string', l10n('a string', 'une chaîne')],
  ['synthetic', (x) => typeof x === 'boolean', l10n('true or false', 'true ou false')],
  [
    'data',
    (x) => x === undefined || (isRecord(x) && Object.values(x).every((d) => typeof d === 'string')),
    l10n('an object of strings', 'un objet de chaînes'),
  ],
];

/** What is wrong with a parsed log file, in both languages; undefined when every entry is an event. */
function logProblem(v: unknown): Localized | undefined {
  if (!Array.isArray(v))
    return l10n(
      `it holds ${shownValue(v)}, not a list of events`,
      `il contient ${shownValue(v)}, et non une liste d'événements`,
    );
  for (const [i, e] of v.entries()) {
    const n = i + 1;
    if (!isRecord(e))
      return l10n(
        `entry ${n} is ${shownValue(e)}, not an event`,
        `l'entrée ${n} vaut ${shownValue(e)}, et non un événement`,
      );
    for (const [key, ok, expected] of MEMBERS) {
      if (ok(e[key])) continue;
      if (!Object.hasOwn(e, key))
        return l10n(`entry ${n} has no "${key}"`, `l'entrée ${n} n'a pas de "${key}"`);
      return l10n(
        `entry ${n}: "${key}" must be ${expected.en}, not ${shownValue(e[key])}`,
        `l'entrée ${n} : "${key}" doit être ${expected.fr}, et non ${shownValue(e[key])}`,
      );
    }
  }
  return undefined;
}
