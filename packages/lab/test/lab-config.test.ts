// DIR/lab.json as read back by every lab command.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_CONFIG_FILE, readLabConfig } from '../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certlab-lab-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const config = (lang: unknown) => ({
  scenario: 'exchange-um',
  exchange: '2010',
  lang,
  hosts: [],
  ca: {
    dir: 'ca',
    name: 'Contoso Issuing CA',
    rootName: 'Contoso Root CA',
    baseUrl: 'http://ca01.contoso.com',
    account: { name: 'CONTOSO\\trainee', password: 'x' },
  },
  createdAt: '2026-12-01T00:00:00.000Z',
});

describe('readLabConfig', () => {
  it('reads the language of the lab', async () => {
    await writeFile(join(dir, LAB_CONFIG_FILE), JSON.stringify(config('fr')));
    expect((await readLabConfig(dir)).lang).toBe('fr');
  });

  it('rejects a language other than en or fr', async () => {
    // Regression: the language picks a text out of { en, fr } objects, so "constructor" made every
    // message Object's source text (and "de" made it undefined).
    for (const lang of ['constructor', '__proto__', 'toString', 'de', 42]) {
      await writeFile(join(dir, LAB_CONFIG_FILE), JSON.stringify(config(lang)));
      await expect(readLabConfig(dir), String(lang)).rejects.toMatchObject({
        code: 'ERR_LAB_CONFIG_INVALID',
      });
    }
  });

  it('refuses a lab.json missing what later commands read (the CA account, a host name)', async () => {
    const { account: _, ...noAccount } = config('en').ca;
    for (const bad of [
      { ...config('en'), ca: noAccount },
      { ...config('en'), hosts: [{ role: 'ca', fqdn: 'ca01.contoso.com', dir: 'hosts/ca01' }] },
      { ...config('en'), exchange: '2013' },
      [config('en')],
    ]) {
      await writeFile(join(dir, LAB_CONFIG_FILE), JSON.stringify(bad));
      await expect(readLabConfig(dir), JSON.stringify(bad)).rejects.toMatchObject({
        code: 'ERR_LAB_CONFIG_INVALID',
      });
    }
  });
});
