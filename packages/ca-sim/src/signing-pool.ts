// The worker-thread pool behind `createAuthority({ signingWorkers })`: request decoding, the
// policy module with the request-signature check, certificate building and signing run on
// worker threads; the main thread keeps the request database (request ids stay monotonic, the
// serial number, which embeds the id, is chosen there) and HTTP. Node-only (worker_threads).

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PublicationPoints } from './ca-certificates.js';
import { CaError } from './errors.js';
import type { EditFlag, PolicyDecision } from './policy-module.js';
import type { CertificateTemplate, RequesterIdentity } from './template.js';

/** A CA certificate and key a worker signs with, by certificate index. */
export interface IssuerMaterial {
  readonly certIndex: number;
  readonly keyIndex: number;
  readonly certificate: Uint8Array;
  /** PKCS #8 DER. */
  readonly privateKey: Uint8Array;
}

/** What every worker is started with (structured-cloned). @internal */
export interface SigningPoolInit {
  readonly name: string;
  readonly points: PublicationPoints;
  readonly templates: readonly CertificateTemplate[];
  readonly editFlags: readonly EditFlag[];
  readonly validityDays: number;
  readonly clockSkewMinutes: number;
  readonly issuers: readonly IssuerMaterial[];
}

/** One submission for a worker. @internal */
export interface SigningJob {
  readonly request: string | Uint8Array;
  readonly attributes: Readonly<Record<string, string>>;
  readonly requester?: RequesterIdentity;
  /** The signing certificate of this renewal request is revoked (the main thread looked it up). */
  readonly signerRevoked?: boolean;
  readonly serialNumber: string;
  readonly caCertIndex: number;
  /** ms since the epoch. */
  readonly now: number;
}

/** A worker's answer: the policy verdict and, when issued, the certificate. @internal */
export interface SigningOutcome {
  readonly outcome: PolicyDecision['outcome'];
  /** The request bytes as decoded; absent when they are the job's `request` bytes unchanged. */
  readonly der?: Uint8Array;
  readonly message: string;
  readonly hresult: number;
  readonly template?: string;
  readonly subject?: string;
  readonly certificate?: {
    readonly serialNumber: string;
    readonly certificate: Uint8Array;
    readonly notBefore: number;
    readonly notAfter: number;
  };
}

/**
 * Main thread → worker. Jobs travel in batches: every job submitted during one turn of the event
 * loop goes in one message (one structured clone and one wake-up of the worker instead of one
 * each). @internal
 */
export type WorkerMessage =
  | { readonly type: 'jobs'; readonly jobs: readonly { readonly id: number; readonly job: SigningJob }[] }
  | { readonly type: 'issuer'; readonly issuer: IssuerMaterial };

/** Worker → main thread: the answers finished during one turn of the worker's loop. @internal */
export interface WorkerReply {
  readonly results: readonly {
    readonly id: number;
    readonly outcome?: SigningOutcome;
    readonly error?: string;
  }[];
}

interface Slot {
  worker: Worker;
  inFlight: number;
  /** Jobs not yet posted (flushed by setImmediate). */
  queue: { id: number; job: SigningJob }[];
}

/**
 * Where the worker script is: next to this module, compiled (`dist/signing-worker.js`), or from
 * the TypeScript sources (tests, benchmarks: `--conditions=source`), loaded through tsx.
 */
function spawnWorker(init: SigningPoolInit): Worker {
  const here = import.meta.url;
  if (/\.ts$/.test(fileURLToPath(here))) {
    const script = new URL('./signing-worker.ts', here).href;
    // tsx's ESM API entry (its CommonJS one registers the wrong loader path).
    const tsxDir = dirname(createRequire(here).resolve('tsx/package.json'));
    const tsx = pathToFileURL(join(tsxDir, 'dist/esm/api/index.mjs')).href;
    const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(script)}); }).catch((e) => { console.error(e); process.exit(1); });`;
    return new Worker(boot, {
      eval: true,
      workerData: init,
      // A profiled process (`--cpu-prof`, bench CERTSRV_LOAD_PROF) profiles its workers too.
      execArgv: ['--conditions=source', ...process.execArgv.filter((a) => a.startsWith('--cpu-prof'))],
    });
  }
  return new Worker(new URL('./signing-worker.js', here), { workerData: init });
}

/** The CA was closed while requests were waiting for (or sent to) a signing worker. */
function closedError(): CaError {
  return new CaError(
    'ERR_CA_STORE_CLOSED',
    'The CA is closed: its signing workers have stopped. Open it again to issue.',
  );
}

/**
 * Worker threads that decode, check and sign requests for one CA. Jobs go to the worker with
 * the fewest in flight. Workers do not keep the process alive while idle.
 *
 * @example
 * ```ts
 * const pool = new SigningPool(2, init);
 * const outcome = await pool.issue({ request: pem, attributes: { certificatetemplate: 'WebServer' }, serialNumber, caCertIndex: 0, now: Date.now() });
 * await pool.close();
 * ```
 */
export class SigningPool {
  readonly #init: SigningPoolInit;
  /** Every CA certificate the workers know, renewals included (a respawned worker gets them all). */
  readonly #issuers: IssuerMaterial[];
  readonly #slots: Slot[];
  readonly #waiting = new Map<
    number,
    { resolve: (o: SigningOutcome) => void; reject: (e: Error) => void; slot: Slot }
  >();
  #next = 1;
  #closed = false;

  constructor(size: number, init: SigningPoolInit) {
    this.#init = init;
    this.#issuers = [...init.issuers];
    this.#slots = Array.from({ length: size }, () => {
      const slot: Slot = { worker: undefined as unknown as Worker, inFlight: 0, queue: [] };
      this.#start(slot);
      return slot;
    });
  }

  /** Starts (or restarts, after a crash) the worker of a slot. */
  #start(slot: Slot): void {
    const worker = spawnWorker({ ...this.#init, issuers: this.#issuers });
    slot.worker = worker;
    slot.inFlight = 0;
    worker.unref();
    worker.on('message', (m: WorkerReply) => {
      for (const r of m.results) {
        const w = this.#waiting.get(r.id);
        if (!w) continue;
        this.#waiting.delete(r.id);
        if (--slot.inFlight === 0) worker.unref();
        if (r.outcome) w.resolve(r.outcome);
        else
          w.reject(
            new CaError(
              'ERR_CA_ISSUE_FAILED',
              `A signing worker could not issue: ${r.error ?? 'no reason given'}.`,
            ),
          );
      }
    });
    worker.on('error', (e) =>
      this.#fail(
        slot,
        new CaError(
          'ERR_CA_ISSUE_FAILED',
          `A signing worker failed (${e.message}); submit the request again.`,
          {
            cause: e,
          },
        ),
      ),
    );
    worker.on('exit', (code) => {
      if (this.#closed || slot.worker !== worker) return;
      this.#fail(
        slot,
        new CaError(
          'ERR_CA_ISSUE_FAILED',
          `A signing worker exited (code ${code}); submit the request again.`,
        ),
      );
      // The submissions in flight failed; later ones go to a new worker.
      this.#start(slot);
    });
  }

  #fail(slot: Slot, e: Error): void {
    for (const [id, w] of this.#waiting)
      if (w.slot === slot) {
        this.#waiting.delete(id);
        w.reject(e);
      }
    slot.inFlight = 0;
    slot.queue = [];
  }

  /** Number of worker threads. */
  get size(): number {
    return this.#slots.length;
  }

  /** Runs one submission on the least busy worker. */
  issue(job: SigningJob): Promise<SigningOutcome> {
    if (this.#closed) return Promise.reject(closedError());
    let slot = this.#slots[0]!;
    for (const s of this.#slots) if (s.inFlight < slot.inFlight) slot = s;
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject, slot });
      if (slot.inFlight++ === 0) slot.worker.ref();
      if (slot.queue.push({ id, job }) === 1) setImmediate(() => this.#flush(slot));
    });
  }

  /** Posts a slot's queued jobs as one message. */
  #flush(slot: Slot): void {
    if (slot.queue.length === 0 || this.#closed) return;
    const jobs = slot.queue;
    slot.queue = [];
    slot.worker.postMessage({ type: 'jobs', jobs } satisfies WorkerMessage);
  }

  /** Tells every worker about a new CA certificate (renewal). Later jobs may use it. */
  addIssuer(issuer: IssuerMaterial): void {
    this.#issuers.push(issuer);
    for (const s of this.#slots) s.worker.postMessage({ type: 'issuer', issuer } satisfies WorkerMessage);
  }

  /** Stops the workers; jobs still in flight fail. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
    for (const [, w] of this.#waiting) w.reject(closedError());
    this.#waiting.clear();
  }
}
