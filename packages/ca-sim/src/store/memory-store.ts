// The in-memory RequestStore: the library default. Same contract as the SQL stores (one test
// suite runs against all of them), text columns included (stored-text.ts); nothing survives the
// process.

import { CaError } from '../errors.js';
import { caKeyId, checkCaKeyRows, checkKeyProtection, KEY_PROTECTION_SETTING } from './ca-key-rows.js';
import type {
  AuthorityRole,
  CaCertificateRow,
  CaKeyRow,
  CaSetup,
  CertificateRow,
  CrlRow,
  NewRequestRow,
  RequestChange,
  RequestFilter,
  RequestRow,
  RequestStore,
} from './request-store.js';
import { storedRequestText, storedSetup } from './stored-text.js';

/** A promise-chain mutex: one critical section at a time, in call order. */
class Mutex {
  #tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#tail.then(fn, fn);
    this.#tail = next.catch(() => undefined);
    return next;
  }
}

function applyChange(row: RequestRow, c: RequestChange): RequestRow {
  let certificate = row.certificate;
  if (c.certificate) certificate = c.certificate;
  if (c.revocation) {
    if (!certificate)
      throw new CaError('ERR_CA_CERTIFICATE_NOT_FOUND', `Request ${row.requestId} has no certificate.`);
    const { revokedAt, revocationReason, unrevokedAt } = c.revocation;
    const { revokedAt: _a, revocationReason: _b, unrevokedAt: _c, ...base } = certificate;
    certificate = {
      ...base,
      ...(revokedAt ? { revokedAt } : {}),
      ...(revocationReason !== null ? { revocationReason } : {}),
      ...(unrevokedAt ? { unrevokedAt } : {}),
    };
  }
  return {
    ...row,
    ...(c.status !== undefined ? { status: c.status } : {}),
    ...(c.disposition !== undefined ? { disposition: c.disposition } : {}),
    ...(c.dispositionMessage !== undefined ? { dispositionMessage: c.dispositionMessage } : {}),
    ...(c.statusCode !== undefined ? { statusCode: c.statusCode } : {}),
    ...(c.resolvedAt !== undefined ? { resolvedAt: c.resolvedAt } : {}),
    ...(c.template !== undefined ? { template: c.template } : {}),
    ...(c.subject !== undefined ? { subject: c.subject } : {}),
    ...(certificate ? { certificate } : {}),
  };
}

class MemoryRequestStore implements RequestStore {
  readonly kind = 'memory';
  #closed = false;
  #setup: CaSetup | undefined;
  #caCerts: CaCertificateRow[] = [];
  #nextRequestId = 1;
  readonly #requests = new Map<number, RequestRow>();
  readonly #bySerial = new Map<string, number>();
  readonly #crls: CrlRow[] = [];
  readonly #crlCounters = new Map<AuthorityRole, number>();
  readonly #lock = new Mutex();

  #open(): void {
    if (this.#closed) throw new CaError('ERR_CA_STORE_CLOSED', 'The request store is closed.');
  }

  async initializeCa(create: () => Promise<CaSetup>): Promise<CaSetup> {
    this.#open();
    return this.#lock.run(async () => {
      if (!this.#setup) {
        const made = storedSetup(await create());
        this.#setup = { config: { ...made.config }, certificates: [] };
        this.#caCerts = [...made.certificates];
      }
      return { config: this.#setup.config, certificates: [...this.#caCerts] };
    });
  }

  async addCaCertificate(row: CaCertificateRow, keyProtection: 'passphrase' | undefined): Promise<void> {
    this.#open();
    await this.#lock.run(async () => {
      checkKeyProtection(this.#setup?.config[KEY_PROTECTION_SETTING], keyProtection);
      if (this.#caCerts.some((c) => c.authority === row.authority && c.certIndex === row.certIndex))
        throw new CaError(
          'ERR_CA_STORE',
          `The ${row.authority} CA already has a certificate with index ${row.certIndex}.`,
        );
      this.#caCerts.push(row);
    });
  }

  async replaceCaKeys(keys: readonly CaKeyRow[], keyProtection: 'passphrase' | undefined): Promise<void> {
    this.#open();
    await this.#lock.run(async () => {
      if (!this.#setup) throw new CaError('ERR_CA_STORE', 'The store holds no CA.');
      checkCaKeyRows(this.#caCerts, keys);
      const byId = new Map(keys.map((k) => [caKeyId(k), k.privateKey]));
      this.#caCerts = this.#caCerts.map((c) => ({ ...c, privateKey: byId.get(caKeyId(c))! }));
      const { [KEY_PROTECTION_SETTING]: _old, ...config } = this.#setup.config;
      this.#setup = {
        ...this.#setup,
        config: keyProtection ? { ...config, [KEY_PROTECTION_SETTING]: keyProtection } : config,
      };
    });
  }

  #checkSerial(cert: CertificateRow | undefined): void {
    if (cert && this.#bySerial.has(cert.serialNumber))
      throw new CaError(
        'ERR_CA_SERIAL_DUPLICATE',
        `The serial number ${cert.serialNumber} was already issued.`,
      );
  }

  async insertRequest(build: (requestId: number) => Promise<NewRequestRow>): Promise<RequestRow> {
    this.#open();
    // Like a sequence: the id is taken now and not given back if `build` fails.
    const requestId = this.#nextRequestId++;
    const made = storedRequestText(await build(requestId));
    this.#open();
    return this.#lock.run(async () => {
      this.#checkSerial(made.certificate);
      const row: RequestRow = { ...made, requestId };
      this.#requests.set(requestId, row);
      if (row.certificate) this.#bySerial.set(row.certificate.serialNumber, requestId);
      return row;
    });
  }

  async updateRequest(
    requestId: number,
    change: (current: RequestRow) => Promise<RequestChange>,
  ): Promise<RequestRow> {
    this.#open();
    return this.#lock.run(async () => {
      const row = this.#requests.get(requestId);
      if (!row) throw new CaError('ERR_CA_REQUEST_NOT_FOUND', `There is no request ${requestId}.`);
      const c = storedRequestText(await change(row));
      if (c.certificate && row.certificate)
        throw new CaError('ERR_CA_REQUEST_STATE', `Request ${requestId} already has a certificate.`);
      this.#checkSerial(c.certificate);
      const next = applyChange(row, c);
      this.#requests.set(requestId, next);
      if (c.certificate) this.#bySerial.set(c.certificate.serialNumber, requestId);
      return next;
    });
  }

  async getRequest(requestId: number): Promise<RequestRow | undefined> {
    this.#open();
    return this.#requests.get(requestId);
  }

  async findBySerial(serialNumber: string): Promise<RequestRow | undefined> {
    this.#open();
    const id = this.#bySerial.get(serialNumber.toUpperCase());
    return id === undefined ? undefined : this.#requests.get(id);
  }

  async listRequests(filter: RequestFilter = {}): Promise<RequestRow[]> {
    this.#open();
    const out: RequestRow[] = [];
    const ids = [...this.#requests.keys()].sort((a, b) => a - b);
    for (const id of ids) {
      if (filter.afterId !== undefined && id <= filter.afterId) continue;
      const r = this.#requests.get(id)!;
      if (filter.status !== undefined && r.status !== filter.status) continue;
      out.push(r);
      if (filter.limit !== undefined && out.length >= filter.limit) break;
    }
    return out;
  }

  async revocations(): Promise<CertificateRow[]> {
    this.#open();
    const out: CertificateRow[] = [];
    for (const r of this.#requests.values())
      if (r.certificate && (r.certificate.revokedAt || r.certificate.unrevokedAt)) out.push(r.certificate);
    return out.sort((a, b) => (a.serialNumber < b.serialNumber ? -1 : 1));
  }

  async insertCrl(
    authority: AuthorityRole,
    build: (crlNumber: number) => Promise<Omit<CrlRow, 'authority' | 'crlNumber'>>,
  ): Promise<CrlRow> {
    this.#open();
    return this.#lock.run(async () => {
      const crlNumber = (this.#crlCounters.get(authority) ?? 0) + 1;
      const made = await build(crlNumber);
      const row: CrlRow = { ...made, authority, crlNumber };
      this.#crlCounters.set(authority, crlNumber);
      this.#crls.push(row);
      return row;
    });
  }

  async latestCrl(authority: AuthorityRole, delta: boolean, keyIndex?: number): Promise<CrlRow | undefined> {
    this.#open();
    return this.#latestCrl(authority, delta, keyIndex);
  }

  async latestCrlNumber(
    authority: AuthorityRole,
    delta: boolean,
    keyIndex?: number,
  ): Promise<number | undefined> {
    this.#open();
    return this.#latestCrl(authority, delta, keyIndex)?.crlNumber;
  }

  // Shared by both lookups so that they always agree, and so that latestCrlNumber does not go
  // through the public latestCrl (which callers may wrap or spy on).
  #latestCrl(authority: AuthorityRole, delta: boolean, keyIndex: number | undefined): CrlRow | undefined {
    let best: CrlRow | undefined;
    for (const c of this.#crls)
      if (
        c.authority === authority &&
        c.delta === delta &&
        (keyIndex === undefined || c.keyIndex === keyIndex) &&
        (!best || c.crlNumber > best.crlNumber)
      )
        best = c;
    return best;
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}

/**
 * A request store in memory: the default of {@link createAuthority} and {@link createTestCA}.
 *
 * @example
 * ```ts
 * const ca = await createAuthority({ name: 'Contoso Issuing CA', db: createMemoryStore() });
 * ```
 */
export function createMemoryStore(): RequestStore {
  return new MemoryRequestStore();
}
