// The registry lists commands by name and loads each one when it runs: every entry must load the
// command of that name, and every command of src/commands must be listed, once.

import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Command } from '../src/command.js';
import { ALL_COMMANDS, loadCommands, NOUNS, STANDALONE, verbOf } from '../src/registry.js';

const COMMANDS_DIR = fileURLToPath(new URL('../src/commands/', import.meta.url));

function isCommand(v: unknown): v is Command {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as Command).name === 'string' &&
    typeof (v as Command).run === 'function' &&
    Array.isArray((v as Command).options)
  );
}

describe('registry', () => {
  it('each entry loads the command of its name, under its noun', async () => {
    const loaded = await loadCommands(ALL_COMMANDS);
    expect(loaded.map((c) => c.name)).toEqual(ALL_COMMANDS.map((e) => e.name));
    for (const noun of NOUNS) for (const e of noun.verbs) expect(e.name).toBe(`${noun.name} ${verbOf(e)}`);
    for (const e of STANDALONE) expect(e.name).not.toContain(' ');
    expect(new Set(ALL_COMMANDS.map((e) => e.name)).size).toBe(ALL_COMMANDS.length);
    // Help shows the registry's summaries without loading the commands: they must be the same.
    expect(ALL_COMMANDS.map((e) => [e.name, e.summary])).toEqual(loaded.map((c) => [c.name, c.summary]));
  });

  it('lists every command that src/commands exports, once', async () => {
    const exported = new Set<Command>();
    for (const f of readdirSync(COMMANDS_DIR).filter((f) => f.endsWith('.ts'))) {
      const mod = (await import(`../src/commands/${f}`)) as Record<string, unknown>;
      for (const v of Object.values(mod)) if (isCommand(v)) exported.add(v);
    }
    const listed = new Set(await loadCommands(ALL_COMMANDS));
    expect([...exported].filter((c) => !listed.has(c)).map((c) => c.name)).toEqual([]);
    expect(exported.size).toBe(ALL_COMMANDS.length);
  });
});
