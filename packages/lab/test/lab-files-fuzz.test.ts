// The files a lab reads back from disk, damaged there (fast-check, fixed seed): a host's
// Application event log (hosts/ex01/lab-state/application-log.json), its Exchange UM service
// state (lab-state/exchange-um.json), and the CRLs the lab network reads from DIR/ca/CertEnroll
// (the CDP and Freshest CRL answers of `lab check` without a running certsrv). A lab made by
// runLab is damaged one file at a time (JSON mutations of json-mutate.ts, DER and text mutations
// of mutate.ts), read with the library (EventLog.open and its queries, ExchangeUmService.open,
// checkLab) and with the CLI in-process (`lab check`, `lab hint`, `lab um events|certs`): data or
// a coded error within a time bound, never an uncoded TypeError; the file is restored after
// each run. A log or UM state that opens holds only well-formed entries: a damaged one is refused
// at open with ERR_LAB_CONFIG_INVALID, naming what is wrong.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PkiError } from '@certlab/pki';
import { StoreError } from '@certlab/store-sim';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptAsync, coded, Outcomes } from '../../../test/support/coded.js';
import { withFile } from '../../../test/support/files.js';
import { type Json, jsonFileMutationArb, mutateJsonFile } from '../../../test/support/json-mutate.js';
import { mutate, mutateText, mutationsArb, textMutationsArb } from '../../../test/support/mutate.js';
import { run } from '../../cli/src/index.js';
import {
  checkLab,
  EventLog,
  ExchangeUmService,
  LabError,
  lastCertificateLoaded,
  openLabSession,
  runLab,
  UM_CERTIFICATE_EVENT,
  UM_EVENT_SOURCE,
} from '../src/index.js';

const SEED = 20261209;
const LAB = [coded(LabError, 'ERR_LAB_')];
const BELOW = [...LAB, coded(StoreError, 'ERR_STORE_'), coded(PkiError, 'ERR_PKI_')];

let top: string;
let lab: string;
let logFile: string;
let umFile: string;
let certEnroll: string;
let logDoc: Json;
let umDoc: Json;
const CRLS = ['Contoso Issuing CA.crl', 'Contoso Issuing CA+.crl', 'Contoso Root CA.crl'] as const;
const crlBytes = new Map<string, Uint8Array>();

beforeAll(async () => {
  top = await mkdtemp(join(tmpdir(), 'certlab-lab-files-fuzz-'));
  lab = join(top, 'lab');
  await runLab({ exchange: '2010', dir: lab });
  logFile = join(lab, 'hosts', 'ex01', 'lab-state', 'application-log.json');
  umFile = join(lab, 'hosts', 'ex01', 'lab-state', 'exchange-um.json');
  certEnroll = join(lab, 'ca', 'CertEnroll');
  logDoc = JSON.parse(await readFile(logFile, 'utf8')) as Json;
  umDoc = JSON.parse(await readFile(umFile, 'utf8')) as Json;
  for (const n of CRLS) crlBytes.set(n, new Uint8Array(await readFile(join(certEnroll, n))));
}, 60_000);

afterAll(async () => {
  await rm(top, { recursive: true, force: true });
});

const logText = () => `${JSON.stringify(logDoc, null, 2)}\n`;
const umText = () => `${JSON.stringify(umDoc, null, 2)}\n`;

/** A check report grades every step of the scenario (none lost). */
function checkReport(r: Awaited<ReturnType<typeof checkLab>> | undefined): void {
  if (!r) return;
  expect(r.results.length).toBe(6);
  for (const x of r.results) expect(['pass', 'fail', 'pending']).toContain(x.status);
}

/** An entry with every member the readers use, of its type (LabEvent). */
function expectEvent(e: unknown): void {
  const x = e as Record<string, unknown>;
  const what = JSON.stringify(e)?.slice(0, 200);
  expect(x !== null && typeof x === 'object' && !Array.isArray(x), what).toBe(true);
  expect(Number.isSafeInteger(x.recordId) && (x.recordId as number) >= 1, what).toBe(true);
  expect(Number.isInteger(x.eventId), what).toBe(true);
  expect(['Information', 'Warning', 'Error'], what).toContain(x.level);
  for (const k of ['time', 'source', 'message']) expect(typeof x[k], what).toBe('string');
  expect(typeof x.synthetic, what).toBe('boolean');
}

/** The event log's read side, as lab commands use it. */
async function readLog(o: Outcomes): Promise<void> {
  const log = await attemptAsync('EventLog.open', o, LAB, () => EventLog.open(logFile));
  if (!log) return;
  // A log that opens holds only events: a damaged entry is refused at open, not met by a reader.
  for (const e of log.all()) expectEvent(e);
  await attemptAsync('log.all', o, LAB, async () => log.all().length);
  await attemptAsync('log.find(1112)', o, LAB, async () => log.find(UM_CERTIFICATE_EVENT));
  await attemptAsync('log.find(1112, source)', o, LAB, async () =>
    log.find(UM_CERTIFICATE_EVENT, UM_EVENT_SOURCE),
  );
  const session = await attemptAsync('openLabSession', o, BELOW, () => openLabSession(lab));
  if (session)
    await attemptAsync('lastCertificateLoaded', o, LAB, async () =>
      lastCertificateLoaded(session.host('exchange-um')),
    );
  // A write keeps the events and numbers the new one after the highest record number.
  const before = log.all().length;
  const highest = Math.max(0, ...log.all().map((x) => x.recordId));
  const e = await attemptAsync('log.write', o, LAB, () =>
    log.write({ level: 'Information', source: 'fuzz', eventId: 1, message: 'm', synthetic: true }),
  );
  if (e) {
    expect(log.all().length).toBe(before + 1);
    expect(Number.isSafeInteger(e.recordId), `recordId ${String(e.recordId)}`).toBe(true);
    expect(e.recordId).toBe(highest + 1);
  }
}

describe('the Application event log file', () => {
  it('the lab as made reads, and passes its check', async () => {
    const log = await EventLog.open(logFile);
    expect(log.find(UM_CERTIFICATE_EVENT).length).toBeGreaterThan(0);
    const r = await checkLab(lab);
    expect(r.results.map((x) => x.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'pass']);
  });

  // EventLog.open checks every entry (an object with each member of LabEvent, of its type), so
  // the readers (find, lastCertificateLoaded, `lab check`'s step 5, `lab um events`) never meet
  // one that is not an event, and write() numbers the next event from a checked record number.
  // Counterexamples found before that check: `[null]` (find threw a TypeError) and the log with
  // its last recordId replaced by "" (write numbered the next event "1", a string).
  it('mutated application-log.json: the log or ERR_LAB_CONFIG_INVALID, and its queries work', async () => {
    const o = new Outcomes();
    await fc.assert(
      fc.asyncProperty(jsonFileMutationArb(), async (m) => {
        await withFile(logFile, mutateJsonFile(logDoc, m), logText(), () => readLog(o));
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('the counterexamples above, alone: refused at open, and write numbers after the highest record', async () => {
    const refused = { name: 'LabError', code: 'ERR_LAB_CONFIG_INVALID' };
    await withFile(logFile, '[null]', logText(), async () => {
      await expect(EventLog.open(logFile)).rejects.toMatchObject({
        ...refused,
        message: expect.stringMatching(
          / is damaged: entry 1 is null, not an event\. Restore it from a copy, or delete it/,
        ),
      });
      await expect(checkLab(lab)).rejects.toMatchObject(refused);
    });
    await withFile(logFile, '[{"recordId":"7"}]', logText(), async () => {
      await expect(EventLog.open(logFile)).rejects.toMatchObject({
        ...refused,
        message: expect.stringContaining(
          'entry 1: "recordId" must be a record number (a whole number from 1), not "7"',
        ),
      });
    });
    const lastIdEmpty = JSON.parse(logText()) as { recordId: unknown }[];
    lastIdEmpty.at(-1)!.recordId = '';
    await withFile(logFile, JSON.stringify(lastIdEmpty), logText(), async () => {
      await expect(EventLog.open(logFile)).rejects.toMatchObject(refused);
    });
    // A well-formed log whose numbers are out of order: the next one follows the highest.
    const outOfOrder = JSON.parse(logText()) as { recordId: number }[];
    outOfOrder[0]!.recordId = 41;
    await withFile(logFile, JSON.stringify(outOfOrder), logText(), async () => {
      const log = await EventLog.open(logFile);
      const e = await log.write({
        level: 'Information',
        source: 'fuzz',
        eventId: 1,
        message: 'm',
        synthetic: true,
      });
      expect(e.recordId).toBe(42);
      expect((await EventLog.open(logFile)).all().at(-1)?.recordId).toBe(42);
    });
  });

  it('mutated application-log.json: lab check grades every step or says why', async () => {
    const o = new Outcomes();
    await fc.assert(
      fc.asyncProperty(jsonFileMutationArb(), async (m) => {
        await withFile(logFile, mutateJsonFile(logDoc, m), logText(), async () => {
          checkReport(await attemptAsync('checkLab', o, BELOW, () => checkLab(lab)));
        });
      }),
      { seed: SEED, numRuns: 40 },
    );
    expect(o.ok).toBeGreaterThan(0);
    expect(o.codes.get('ERR_LAB_CONFIG_INVALID')).toBeGreaterThan(0);
  });
});

describe('the Exchange UM service state file', () => {
  // ExchangeUmService.open checks the state it reads (every member of UmServiceState, of its
  // type), so um.certificates() and restart() never meet a state that is not one. Counterexamples
  // found before that check: exchange-um.json containing `" "` or `{}` (um.certificates() threw
  // "TypeError: Cannot read properties of undefined").
  it('mutated exchange-um.json: the service or a coded error, and its listing and check work', async () => {
    const o = new Outcomes();
    await fc.assert(
      fc.asyncProperty(jsonFileMutationArb(), async (m) => {
        await withFile(umFile, mutateJsonFile(umDoc, m), umText(), async () => {
          const session = await attemptAsync('openLabSession', o, BELOW, () => openLabSession(lab));
          if (!session) return;
          const um = await attemptAsync('ExchangeUmService.open', o, LAB, () =>
            ExchangeUmService.open(session.host('exchange-um'), { network: session.network }),
          );
          if (um) await attemptAsync('um.certificates', o, BELOW, () => um.certificates());
          checkReport(await attemptAsync('checkLab', o, BELOW, () => checkLab(session)));
        });
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('the counterexamples above, alone: refused at open; a missing file is no UM service', async () => {
    // `null` is a damaged file too (certlab never writes it): 'certlab lab init', which the
    // not-found message advises, would refuse this lab directory.
    for (const text of ['" "', '{}', 'null', '{ not json']) {
      await withFile(umFile, text, umText(), async () => {
        const session = await openLabSession(lab);
        await expect(
          ExchangeUmService.open(session.host('exchange-um'), { network: session.network }),
          text,
        ).rejects.toMatchObject({
          name: 'LabError',
          code: 'ERR_LAB_CONFIG_INVALID',
          message: expect.stringMatching(
            /^The Exchange UM service state of EX01 \(.*exchange-um\.json\) is damaged: /,
          ),
        });
        await expect(checkLab(session), text).rejects.toMatchObject({ code: 'ERR_LAB_CONFIG_INVALID' });
      });
    }
    const noServices = JSON.parse(umText()) as Record<string, unknown>;
    delete noServices.services;
    await withFile(umFile, JSON.stringify(noServices), umText(), async () => {
      const session = await openLabSession(lab);
      await expect(
        ExchangeUmService.open(session.host('exchange-um'), { network: session.network }),
      ).rejects.toThrow(/is damaged: "services" is missing\./);
    });
    await rm(umFile);
    try {
      const session = await openLabSession(lab);
      await expect(
        ExchangeUmService.open(session.host('exchange-um'), { network: session.network }),
      ).rejects.toMatchObject({ code: 'ERR_LAB_NOT_FOUND' });
    } finally {
      await writeFile(umFile, umText());
    }
  });
});

describe('the CRLs of DIR/ca/CertEnroll', () => {
  it('a mutated CRL file (DER or PEM text): lab check grades every step or gives a coded error', async () => {
    const o = new Outcomes();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...CRLS),
        fc.oneof(
          fc.record({ kind: fc.constant('der' as const), ms: mutationsArb(3) }),
          fc.record({ kind: fc.constant('pem' as const), ms: textMutationsArb(3) }),
        ),
        async (name, m) => {
          const der = crlBytes.get(name)!;
          const damaged =
            m.kind === 'der'
              ? mutate(der, m.ms)
              : mutateText(
                  `-----BEGIN X509 CRL-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END X509 CRL-----\n`,
                  m.ms,
                );
          await withFile(join(certEnroll, name), damaged, der, async () => {
            checkReport(await attemptAsync(`checkLab (${name})`, o, BELOW, () => checkLab(lab)));
          });
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
    expect(o.ok).toBeGreaterThan(0);
  });
});

/** `certlab …` in-process with CERTLAB_DEBUG, so that an uncoded error shows its class in the stack. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: { write: (c: string | Uint8Array) => (stdout += String(c)) },
    stderr: { write: (c: string | Uint8Array) => (stderr += String(c)) },
    cwd: top,
    env: { CERTLAB_DEBUG: '1' },
  });
  return { code, stdout, stderr };
}

/** Exit 0, 1 with a report (a failed check) or a coded error, or 2; never an uncoded error. */
function checkCli(what: string, r: { code: number; stdout: string; stderr: string }): void {
  expect([0, 1, 2], `${what}: exit ${r.code}\n${r.stderr}`).toContain(r.code);
  expect(r.stderr, what).not.toMatch(/^(TypeError|RangeError|SyntaxError|ReferenceError|Error)\b/m);
  if (r.code !== 0 && r.stderr !== '') expect(r.stderr, what).toMatch(/^certlab: \S/);
  if (r.code === 1 && r.stderr !== '') expect(r.stderr, what).toMatch(/\[ERR_[A-Z_]+\]/);
}

describe('the CLI on damaged lab files', () => {
  const commands = [
    ['lab', 'check', '--dir', 'lab'],
    ['lab', 'hint', '--dir', 'lab'],
    ['lab', 'um', 'events', '--dir', 'lab'],
    ['lab', 'um', 'certs', '--dir', 'lab'],
  ];

  it('a damaged CRL: lab check, lab hint and lab um certs exit 0, 1 or 2 with a sentence', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CRLS), mutationsArb(3), async (name, ms) => {
        const der = crlBytes.get(name)!;
        await withFile(join(certEnroll, name), mutate(der, ms), der, async () => {
          for (const c of [commands[0]!, commands[1]!, commands[3]!]) checkCli(c.join(' '), await cli(...c));
        });
      }),
      { seed: SEED, numRuns: 12 },
    );
  });

  // The event log's check seen from the CLI: a damaged log ends every lab command on the coded
  // refusal, not on the unexpected-failure path. Counterexamples found before that check:
  // `[null]` ("certlab: Cannot read properties of null", from `lab check` and `lab um events`)
  // and the first event's "level" replaced by 0 ("certlab: e.level.padEnd is not a function").
  it('a damaged event log: every lab command exits 0, 1 or 2 with a sentence', async () => {
    await fc.assert(
      fc.asyncProperty(jsonFileMutationArb(), async (m) => {
        await withFile(logFile, mutateJsonFile(logDoc, m), logText(), async () => {
          for (const c of commands) checkCli(c.join(' '), await cli(...c));
        });
      }),
      { seed: SEED, numRuns: 15 },
    );
  });

  it('the counterexamples above, alone: the coded refusal, exit 2', async () => {
    // ERR_LAB_CONFIG_INVALID is exit 2 (report-error.ts: a lab file to repair, like lab.json).
    const refused = (r: { code: number; stderr: string }, what: RegExp) => {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(what);
      expect(r.stderr).not.toMatch(/TypeError/);
    };
    await withFile(logFile, '[null]', logText(), async () => {
      for (const c of commands)
        refused(
          await cli(...c),
          /^certlab: The event log .*application-log\.json is damaged: entry 1 is null, not an event\. .* \[ERR_LAB_CONFIG_INVALID\]$/m,
        );
    });
    const levelZero = JSON.parse(logText()) as { level: unknown }[];
    levelZero[0]!.level = 0;
    await withFile(logFile, JSON.stringify(levelZero), logText(), async () => {
      refused(
        await cli(...commands[2]!),
        /^certlab: .* entry 1: "level" must be "Information", "Warning" or "Error", not 0\. .*\[ERR_LAB_CONFIG_INVALID\]$/m,
      );
    });
    await withFile(umFile, '" "', umText(), async () => {
      refused(
        await cli(...commands[3]!),
        /^certlab: The Exchange UM service state of EX01 .* \[ERR_LAB_CONFIG_INVALID\]$/m,
      );
    });
  });
});
