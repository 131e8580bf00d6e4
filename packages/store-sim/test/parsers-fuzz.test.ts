// Malformed-input properties for store-sim's readers not covered by import-fuzz,
// directory-fuzz and serialized-store tests: the certutil and keytool output parsers, location,
// store-name and thumbprint parsing, decodeSerializedStore called directly, the Windows adapter's
// reading of PowerShell's JSON, and importFile of multi-certificate PEM bundles, .p7b and .sst
// files, where no certificate may be silently lost. Each call returns or throws a coded
// StoreError (or PkiError from the pki layer; TypeError only for misuse), within a time bound.

import { PkiError, readCertificates, readPkcs7Certificates } from '@certlab/pki';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { attemptAsync, attemptSync, coded, Outcomes } from '../../../test/support/coded.js';
import { type Json, jsonEditsArb, mutateJson } from '../../../test/support/json-mutate.js';
import { mutate, mutateText, mutationsArb, textMutationsArb } from '../../../test/support/mutate.js';
import {
  type CommandRunner,
  decodeSerializedStore,
  encodeSerializedStore,
  importFile,
  Machine,
  normalizeStoreName,
  normalizeThumbprint,
  parseCertutilList,
  parseCertutilTrust,
  parseKeytoolList,
  parseLocation,
  StoreError,
  windowsStoreAdapter,
} from '../src/index.js';
import { type Pki, pki } from './fixtures.js';

const SEED = 20261204;
const RUNS = 300;
const STORE = [coded(StoreError, 'ERR_STORE_')];
const STORE_OR_PKI = [...STORE, coded(PkiError, 'ERR_PKI_')];

let p: Pki;
let tps: string[];
beforeAll(async () => {
  p = await pki();
  tps = await Promise.all([p.root, p.ica, p.leaf].map((n) => n.cert.thumbprint()));
});

function bothOutcomes(o: Outcomes): void {
  expect(o.ok, 'some inputs are accepted').toBeGreaterThan(0);
  expect(o.failed, 'some inputs are refused').toBeGreaterThan(0);
}

/** Junk that may sit between records of tool output without starting a record of its own. */
const junk = fc.oneof(
  fc.constantFrom('', '\n', '\r\n', '\n\n', 'warning: something\n', '    \n', '*******\n', '\u0000\n'),
  fc
    .string({ maxLength: 30 })
    .map((s) => `${s.replace(/[\r\n]/g, ' ').replace(/Alias name|Certificate/gi, 'x')}\n`),
);

describe('certutil output', () => {
  const LIST = `
Certificate Nickname                                         Trust Attributes
                                                             SSL,S/MIME,JAR/XPI

certlab Contoso Root CA C235EA7A57F6                         C,,
Other CA                                                     CT,C,C
user cert                                                    u,u,u
`;
  const TRUST = (tp: string, flags: string[][]) =>
    `Certificate:\n    Data:\n        Serial Number: 1 (0x1)\n    Signature Algorithm: X9.62 ECDSA\n    Fingerprint (SHA1):\n        ${tp.match(/../g)!.join(':')}\n\n    Certificate Trust Flags:\n${[
      'SSL',
      'Email',
      'Object Signing',
    ]
      .map((s, i) => `        ${s} Flags:\n${flags[i]!.map((f) => `            ${f}\n`).join('')}`)
      .join('\n')}\n`;
  const trustText = () =>
    TRUST(tps[0]!, [['Valid CA', 'Trusted CA'], ['Valid CA'], []]) +
    TRUST(tps[1]!, [['Terminal Record'], ['User'], ['Trusted']]);

  it('parseCertutilList and parseCertutilTrust never throw on mutated output', () => {
    const o = new Outcomes();
    fc.assert(
      fc.property(textMutationsArb(4), (ms) => {
        const rows = attemptSync('parseCertutilList', o, [], () => parseCertutilList(mutateText(LIST, ms)));
        for (const r of rows ?? []) expect(/^[A-Za-z]*,[A-Za-z]*,[A-Za-z]*$/.test(r.trust)).toBe(true);
        const map = attemptSync('parseCertutilTrust', o, [], () =>
          parseCertutilTrust(mutateText(trustText(), ms)),
        );
        for (const k of map?.keys() ?? []) expect(k).toMatch(/^[0-9A-F]*$/);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('junk lines between rows and blocks: no row and no certificate lost', () => {
    fc.assert(
      fc.property(fc.array(junk, { minLength: 4, maxLength: 4 }), (seps) => {
        const rows = [
          'certlab Contoso Root CA C235EA7A57F6    C,,',
          'Other CA    CT,C,C',
          'user cert    u,u,u',
        ];
        const list = seps[0]! + rows.map((r, i) => `${r}\n${seps[i + 1]!}`).join('');
        expect(parseCertutilList(list).map((r) => r.nickname)).toEqual([
          'certlab Contoso Root CA C235EA7A57F6',
          'Other CA',
          'user cert',
        ]);
        const trust = seps[0]! + trustText().replace('\nCertificate:', `\n${seps[1]!}Certificate:`);
        expect([...parseCertutilTrust(trust).entries()]).toEqual([
          [tps[0], 'C,c,'],
          [tps[1], 'p,u,P'],
        ]);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe('keytool output', () => {
  const entry = (alias: string, type: string, pem: string) =>
    `Alias name: ${alias}\nCreation date: Nov 30, 2026\nEntry type: ${type}\n\n${pem}\n\n\n*******************************************\n\n`;
  const text = () =>
    `Keystore type: PKCS12\nKeystore provider: SUN\n\nYour keystore contains 3 entries\n\n${entry(`certlab-${tps[0]!.toLowerCase()}`, 'trustedCertEntry', p.root.cert.toPem().trim())}${entry('mykey', 'PrivateKeyEntry', p.leaf.cert.toPem().trim())}${entry('other', 'trustedCertEntry', p.ica.cert.toPem().trim())}`;

  it('parseKeytoolList never throws on mutated output; each PEM it returns is a whole block', () => {
    const o = new Outcomes();
    fc.assert(
      fc.property(textMutationsArb(4), (ms) => {
        const r = attemptSync('parseKeytoolList', o, [], () => parseKeytoolList(mutateText(text(), ms)));
        for (const e of r ?? []) if (e.pem) expect(e.pem.endsWith('-----END CERTIFICATE-----')).toBe(true);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('junk between entries: all three entries, with their certificates', () => {
    fc.assert(
      fc.property(fc.array(junk, { minLength: 3, maxLength: 3 }), (seps) => {
        const t = text()
          .split('Alias name: ')
          .map((b, i) => (i === 0 ? b + seps[0]! : b))
          .join('Alias name: ')
          .replace(/\*{43}\n\n/g, (m) => m + seps[1]!);
        const r = parseKeytoolList(t);
        expect(r.map((e) => e.alias)).toEqual([`certlab-${tps[0]!.toLowerCase()}`, 'mykey', 'other']);
        expect(r.every((e) => e.pem !== undefined && readCertificates(e.pem).length === 1)).toBe(true);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe('names', () => {
  it('parseLocation, normalizeStoreName and normalizeThumbprint on mutated text', () => {
    const o = new Outcomes();
    const texts = [
      'LocalMachine',
      'HKLM',
      'CurrentUser',
      'MSExchangeTransport\\my',
      'CertificateAuthority',
      'Root',
    ];
    fc.assert(
      fc.property(fc.nat(), textMutationsArb(), (i, ms) => {
        const t = mutateText(texts[i % texts.length]!, ms);
        attemptSync('parseLocation', o, STORE, () => parseLocation(t));
        const n = attemptSync('normalizeStoreName', o, STORE, () => normalizeStoreName(t));
        if (n !== undefined) expect(normalizeStoreName(n)).toBe(n);
        const tp = mutateText(tps[i % 3]!.match(/../g)!.join(' '), ms);
        const h = attemptSync('normalizeThumbprint', o, STORE, () => normalizeThumbprint(tp));
        if (h !== undefined) expect(h).toMatch(/^[0-9A-F]{40}$/);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    bothOutcomes(o);
  });
});

describe('serialized stores and multi-certificate files: none lost', () => {
  it('decodeSerializedStore on mutated .sst: the store or ERR_STORE_IMPORT_INVALID', () => {
    const o = new Outcomes();
    const sst = encodeSerializedStore(
      [p.root, p.ica, p.leaf].map((n, i) => ({ certificate: n.cert, properties: { friendlyName: `n${i}` } })),
      [p.crl],
    );
    fc.assert(
      fc.property(mutationsArb(), (ms) => {
        const s = attemptSync('decodeSerializedStore', o, STORE, () =>
          decodeSerializedStore(mutate(sst, ms)),
        );
        if (s)
          for (const c of s.certificates)
            attemptSync('certificate.subject', o, STORE_OR_PKI, () => c.certificate.subject);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    bothOutcomes(o);
  });

  it('importFile of a PEM bundle with junk between the blocks: all three certificates, or a coded error', async () => {
    const o = new Outcomes();
    await fc.assert(
      fc.asyncProperty(fc.array(junk, { minLength: 4, maxLength: 4 }), async (seps) => {
        const pems = [p.root, p.ica, p.leaf].map((n) => n.cert.toPem());
        const bundle = seps[0]! + pems.map((b, i) => b + seps[i + 1]!).join('');
        const m = await Machine.open({ name: 'EX01' });
        const r = await attemptAsync('importFile(bundle)', o, STORE_OR_PKI, () =>
          importFile(m, bundle, { location: 'LocalMachine' }),
        );
        if (r) expect(r.certificates.map((c) => c.thumbprint).sort()).toEqual([...tps].sort());
      }),
      { seed: SEED, numRuns: 60 },
    );
    expect(o.ok).toBeGreaterThan(0);
  });

  it('importFile of mutated bundles and .p7b: on success every certificate the file holds was imported', async () => {
    const o = new Outcomes();
    const bundle = new TextEncoder().encode([p.root, p.ica, p.leaf].map((n) => n.cert.toPem()).join(''));
    await fc.assert(
      fc.asyncProperty(fc.boolean(), mutationsArb(2), async (p7b, ms) => {
        const bytes = mutate(p7b ? p.chainP7b : bundle, ms);
        const m = await Machine.open({ name: 'EX01' });
        const r = await attemptAsync('importFile', o, STORE_OR_PKI, () =>
          importFile(m, bytes, { location: 'LocalMachine', store: 'CA' }),
        );
        if (!r) return;
        // What the pki reads from the same bytes is what must have arrived (duplicates collapse).
        const held = p7b ? readPkcs7Certificates(bytes) : readCertificates(bytes);
        const expected = new Set(await Promise.all(held.map((c) => c.thumbprint())));
        const got = new Set(r.certificates.map((c) => c.thumbprint));
        expect([...got].sort()).toEqual([...expected].sort());
      }),
      { seed: SEED, numRuns: 80 },
    );
    bothOutcomes(o);
  });
});

describe("the Windows adapter reading PowerShell's JSON", () => {
  /** The entries PowerShell's JSON holds as the adapter reads it, or undefined when it is not JSON. */
  function itemsOf(stdout: string): unknown[] | undefined {
    let parsed: unknown;
    try {
      parsed = JSON.parse(stdout.trim() || '[]');
    } catch {
      return undefined;
    }
    // Windows PowerShell 5.1 can wrap an array as { value: [...], Count: n }; a lone object is one entry.
    const wrapped = parsed as { value?: unknown };
    if (
      parsed !== null &&
      typeof parsed === 'object' &&
      !Array.isArray(parsed) &&
      Array.isArray(wrapped.value)
    )
      return wrapped.value;
    return Array.isArray(parsed) ? parsed : parsed === null ? [] : [parsed];
  }

  it('mutated listings: every entry listed, or ERR_STORE_CORRUPT (never another error, never an entry dropped)', async () => {
    const o = new Outcomes();
    const b64 = (d: Uint8Array) => Buffer.from(d).toString('base64');
    const listing = (): Json =>
      [p.root, p.ica, p.leaf].map((n, i) => ({
        Thumbprint: tps[i]!,
        Subject: n.cert.subject.toWindowsString(),
        FriendlyName: i === 0 ? 'Root' : '',
        HasPrivateKey: i === 2,
        Archived: i === 1,
        RawData: b64(n.cert.der),
      }));
    await fc.assert(
      fc.asyncProperty(fc.boolean(), jsonEditsArb(), textMutationsArb(), async (asText, edits, ts) => {
        const doc = mutateJson(listing(), edits);
        const stdout = asText ? mutateText(JSON.stringify(listing()), ts) : JSON.stringify(doc);
        const runner: CommandRunner = { run: async () => ({ stdout, stderr: '', exitCode: 0 }) };
        const adapter = windowsStoreAdapter({ runner });
        const r = await attemptAsync('listCertificates', o, STORE_OR_PKI, () =>
          adapter.listCertificates({ location: 'LocalMachine', store: 'My' }),
        );
        if (!r) return;
        const items = itemsOf(stdout);
        if (!items) return;
        expect(r.length).toBe(items.length);
      }),
      { seed: SEED, numRuns: 200 },
    );
    bothOutcomes(o);
  });

  it('mutated location listings: every entry under its store, or ERR_STORE_CORRUPT (never another error, never an entry dropped)', async () => {
    const o = new Outcomes();
    const stores = ['Root', 'CA', 'My'];
    const listing = (): Json =>
      [p.root, p.ica, p.leaf].map((n, i) => ({
        Store: stores[i]!,
        Thumbprint: tps[i]!,
        Subject: n.cert.subject.toWindowsString(),
        FriendlyName: '',
        HasPrivateKey: i === 2,
        Archived: false,
        RawData: Buffer.from(n.cert.der).toString('base64'),
      }));
    await fc.assert(
      fc.asyncProperty(fc.boolean(), jsonEditsArb(), textMutationsArb(), async (asText, edits, ts) => {
        const stdout = asText
          ? mutateText(JSON.stringify(listing()), ts)
          : JSON.stringify(mutateJson(listing(), edits));
        const runner: CommandRunner = { run: async () => ({ stdout, stderr: '', exitCode: 0 }) };
        const r = await attemptAsync('listLocation', o, STORE_OR_PKI, () =>
          windowsStoreAdapter({ runner }).listLocation!('LocalMachine'),
        );
        if (!r) return;
        const items = itemsOf(stdout) as { Store: string }[] | undefined;
        if (!items) return;
        expect(r.stores.reduce((n, l) => n + l.certificates.length, 0)).toBe(items.length);
        for (const l of r.stores)
          expect(l.certificates.length).toBe(items.filter((i) => i.Store === l.store).length);
      }),
      { seed: SEED, numRuns: 200 },
    );
    bothOutcomes(o);
  });
});
