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
  ca: { dir: 'ca' },
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
});
