// Malformed lab.json (fast-check, fixed seed): a valid lab description mutated field by field
// (hostile values anywhere, members dropped or added, hosts duplicated) and as text. Reading it
// (readLabConfig, hostOf) and opening the lab on it (openLabSession, which opens every host's
// directory) gives the lab or a LabError with an ERR_LAB_ code (StoreError/PkiError from the
// layers below are coded too), within a time bound; parseLang always gives en or fr.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PkiError } from '@certlab/pki';
import { StoreError } from '@certlab/store-sim';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptAsync, coded, Outcomes } from '../../../test/support/coded.js';
import { type Json, jsonFileMutationArb, mutateJsonFile } from '../../../test/support/json-mutate.js';
import { mutateText, textMutationsArb } from '../../../test/support/mutate.js';
import { hostOf, LAB_CONFIG_FILE, LabError, openLabSession, parseLang, readLabConfig } from '../src/index.js';

const SEED = 20261205;
const LAB = [coded(LabError, 'ERR_LAB_')];
const BELOW = [...LAB, coded(StoreError, 'ERR_STORE_'), coded(PkiError, 'ERR_PKI_')];

const VALID: Json = {
  scenario: 'exchange-um',
  exchange: '2010',
  lang: 'en',
  hosts: [
    { role: 'ca', name: 'CA01', fqdn: 'ca01.contoso.com', dir: 'hosts/ca01' },
    { role: 'exchange-um', name: 'EX01', fqdn: 'ex01.contoso.com', dir: 'hosts/ex01' },
  ],
  ca: {
    dir: 'ca',
    name: 'Contoso Issuing CA',
    rootName: 'Contoso Root CA',
    baseUrl: 'http://pki.contoso.com',
    account: { name: 'CONTOSO\\trainee', password: 'Passw0rd!' },
  },
  createdAt: '2026-11-30T10:00:00.000Z',
};

let top: string;
let dir: string;
beforeAll(async () => {
  top = await mkdtemp(join(tmpdir(), 'certlab-lab-fuzz-'));
  // Deep enough that a host directory mutated into "../../…" still stays inside `top`.
  dir = join(top, ...Array.from({ length: 12 }, (_, i) => `d${i}`));
  await mkdir(dir, { recursive: true });
});
afterAll(async () => {
  await rm(top, { recursive: true, force: true });
});

describe('lab.json', () => {
  it('the valid description reads and opens', async () => {
    await writeFile(join(dir, LAB_CONFIG_FILE), JSON.stringify(VALID));
    const c = await readLabConfig(dir);
    expect(hostOf(c, 'exchange-um').name).toBe('EX01');
    const s = await openLabSession(dir);
    expect(s.host('ca').fqdn).toBe('ca01.contoso.com');
    await expect(s.caCertificates()).rejects.toMatchObject({ code: 'ERR_LAB_NOT_FOUND' });
  });

  // Found by this test: a lab.json of `null` was a TypeError in readLabConfig, and `"hosts":[null]`
  // one in hostOf (hosts entries were never checked).
  it('mutated lab.json: readLabConfig then hostOf give the lab or a LabError', async () => {
    const o = new Outcomes();
    await fc.assert(
      fc.asyncProperty(jsonFileMutationArb(), async (m) => {
        await writeFile(join(dir, LAB_CONFIG_FILE), mutateJsonFile(VALID, m));
        const c = await attemptAsync('readLabConfig', o, LAB, () => readLabConfig(dir));
        if (!c) return;
        for (const role of ['ca', 'exchange-um', 'lync'] as const)
          await attemptAsync(`hostOf(${role})`, o, LAB, async () => hostOf(c, role));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('the two counterexamples above, alone', async () => {
    await writeFile(join(dir, LAB_CONFIG_FILE), 'null');
    await expect(readLabConfig(dir)).rejects.toMatchObject({ code: 'ERR_LAB_CONFIG_INVALID' });
    await writeFile(join(dir, LAB_CONFIG_FILE), JSON.stringify({ ...(VALID as object), hosts: [null] }));
    await expect(readLabConfig(dir)).rejects.toMatchObject({ code: 'ERR_LAB_CONFIG_INVALID' });
  });

  // Found by this test: a host whose `dir` was not a string reached path.join in openHost
  // (a TypeError), and a `null` host failed reading `def.dir`.
  it('mutated lab.json: openLabSession gives a session or a coded error', async () => {
    const o = new Outcomes();
    await fc.assert(
      fc.asyncProperty(jsonFileMutationArb(), async (m) => {
        await writeFile(join(dir, LAB_CONFIG_FILE), mutateJsonFile(VALID, m));
        const s = await attemptAsync('openLabSession', o, BELOW, () => openLabSession(dir), 5000);
        if (s) await attemptAsync('session.caCertificates', o, BELOW, () => s.caCertificates());
      }),
      { seed: SEED, numRuns: 120 },
    );
  });

  it('a host whose dir is a number, or leads out of the lab: ERR_LAB_CONFIG_INVALID', async () => {
    for (const [where, value] of [
      ['host', 0],
      ['host', '../..'],
      ['host', 'hosts/../../x'],
      ['host', '/etc'],
      ['host', ''],
      ['ca', '..\\ca'],
    ] as const) {
      const bad = JSON.parse(JSON.stringify(VALID)) as { hosts: { dir: unknown }[]; ca: { dir: unknown } };
      if (where === 'host') bad.hosts[1]!.dir = value;
      else bad.ca.dir = value;
      await writeFile(join(dir, LAB_CONFIG_FILE), JSON.stringify(bad));
      await expect(openLabSession(dir), String(value)).rejects.toMatchObject({
        code: 'ERR_LAB_CONFIG_INVALID',
      });
    }
  });

  it('parseLang on mutated language tags: en or fr', () => {
    fc.assert(
      fc.property(fc.constantFrom('fr-FR', 'en', 'FR', undefined), textMutationsArb(2), (v, ms) => {
        expect(['en', 'fr']).toContain(parseLang(v === undefined ? undefined : mutateText(v, ms)));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
