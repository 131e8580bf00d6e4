// Malformed CLI inputs (fast-check, fixed seed): DIR/ca.json mutated field by field and as text
// (readCaConfig, then the templates it publishes and the --db URL it records), and the argument
// vector of `csr new` mutated word by word (parseCommandArgs, then the SAN options and the key
// specification). Each gives a value or a CliError (exit 2), or a library's coded error, within a
// time bound: never a TypeError from inside, which report-error would show as an unexpected failure.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaError } from '@certlab/ca-sim';
import { PkiError } from '@certlab/pki';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptAsync, attemptSync, coded, Outcomes } from '../../../test/support/coded.js';
import { type Json, jsonFileMutationArb, mutateJsonFile } from '../../../test/support/json-mutate.js';
import { mutateText, textMutationsArb } from '../../../test/support/mutate.js';
import { parseCommandArgs } from '../src/args.js';
import { CA_CONFIG_FILE, parseDbUrl, publishedTemplates, readCaConfig } from '../src/ca-support.js';
import { CliError, EXIT } from '../src/cli-error.js';
import type { CommandContext } from '../src/command.js';
import { csrNew } from '../src/commands/csr-new.js';
import { resolveIo } from '../src/io.js';
import { keySpecFrom } from '../src/key-spec.js';
import { subjectAltNamesFrom } from '../src/subject-alt-names.js';

const SEED = 20261206;
const cliError = (e: unknown) => (e instanceof CliError && e.exitCode === 2 ? 'CliError(2)' : undefined);
const CLI = [cliError];
const CLI_OR_LIB = [cliError, coded(CaError, 'ERR_CA_'), coded(PkiError, 'ERR_PKI_')];

const VALID_CA: Json = {
  name: 'Contoso Issuing CA',
  rootName: 'Contoso Root CA',
  keyType: 'ec',
  baseUrl: 'http://pki.contoso.com',
  db: 'pglite:db',
  editFlags: ['EDITF_ATTRIBUTESUBJECTALTNAME2'],
  templates: ['WebServer', 'User', 'WebServer_Manual'],
};

let dir: string;
let ctx: CommandContext;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certlab-cli-fuzz-'));
  ctx = {
    io: resolveIo({
      stdout: { write: () => undefined },
      stderr: { write: () => undefined },
      cwd: dir,
      env: {},
    }),
    secrets: new Set(),
  };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function bothOutcomes(o: Outcomes): void {
  expect(o.ok, 'some inputs are accepted').toBeGreaterThan(0);
  expect(o.failed, 'some inputs are refused').toBeGreaterThan(0);
}

describe('ca.json', () => {
  it('the valid file reads, with its templates and database', async () => {
    await writeFile(join(dir, CA_CONFIG_FILE), JSON.stringify(VALID_CA));
    const c = await readCaConfig(dir);
    expect(publishedTemplates(c!, dir).map((t) => t.name)).toEqual(['WebServer', 'User', 'WebServer_Manual']);
    expect(parseDbUrl(ctx, c!.db!, 'ca list', join(dir, CA_CONFIG_FILE)).kind).toBe('pglite');
  });

  // Found by this test: a ca.json holding `null` was a TypeError in readCaConfig (reported as an
  // unexpected failure, exit 1) instead of "is not a certlab CA configuration" (exit 2).
  it('mutated ca.json: a configuration or a CliError (exit 2), then its templates and --db', async () => {
    const o = new Outcomes();
    await fc.assert(
      fc.asyncProperty(jsonFileMutationArb(), async (m) => {
        await writeFile(join(dir, CA_CONFIG_FILE), mutateJsonFile(VALID_CA, m));
        const c = await attemptAsync('readCaConfig', o, CLI, () => readCaConfig(dir));
        if (!c) return;
        attemptSync('publishedTemplates', o, CLI_OR_LIB, () => publishedTemplates(c, dir));
        if (c.db !== null)
          attemptSync('parseDbUrl(ca.json db)', o, CLI, () =>
            parseDbUrl(ctx, c.db!, 'ca list', CA_CONFIG_FILE),
          );
      }),
      { seed: SEED, numRuns: 250 },
    );
    bothOutcomes(o);
  });

  it('a ca.json of null, a list or a number: exit 2, not a configuration', async () => {
    for (const text of ['null', '[]', '42', '"ca"']) {
      await writeFile(join(dir, CA_CONFIG_FILE), text);
      await expect(readCaConfig(dir), text).rejects.toMatchObject({
        exitCode: EXIT.usage,
        message: expect.stringContaining('is not a certlab CA configuration'),
      });
    }
  });

  it('parseDbUrl on mutated --db values: a location or a CliError (exit 2)', () => {
    const o = new Outcomes();
    const urls = [
      'memory:',
      'pglite:./ca-db',
      'postgres://ca:p%40ss@db.contoso.com:5432/certlab',
      'postgresql://h/db',
    ];
    fc.assert(
      fc.property(fc.nat(), textMutationsArb(), (i, ms) => {
        const url = mutateText(urls[i % urls.length]!, ms);
        attemptSync('parseDbUrl', o, CLI, () => parseDbUrl(ctx, url, 'ca init'));
      }),
      { seed: SEED, numRuns: 400 },
    );
    bothOutcomes(o);
  });
});

describe('command-line words', () => {
  const ARGV = [
    '--subject',
    'CN=exch01.contoso.com, O=Contoso',
    '--new-key',
    'ec',
    '--curve',
    'P-384',
    '--dns',
    'exch01.contoso.com',
    '--ip',
    '10.0.0.1',
    '--ip',
    '2001:db8::1',
    '--out',
    'exch01.req',
  ];

  it('csr new: parseCommandArgs, SAN options and key spec on mutated words', () => {
    const o = new Outcomes();
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), textMutationsArb(2)), { minLength: 1, maxLength: 3 }),
        (edits) => {
          const argv = [...ARGV];
          for (const [at, ms] of edits) argv[at % argv.length] = mutateText(argv[at % argv.length]!, ms);
          const args = attemptSync('parseCommandArgs', o, CLI, () => parseCommandArgs(csrNew, argv));
          if (!args) return;
          attemptSync('subjectAltNamesFrom', o, CLI_OR_LIB, () => subjectAltNamesFrom(args, 'csr new'));
          const type = typeof args.values['new-key'] === 'string' ? (args.values['new-key'] as string) : 'ec';
          attemptSync('keySpecFrom', o, CLI, () => keySpecFrom(type, args, 'csr new'));
        },
      ),
      { seed: SEED, numRuns: 400 },
    );
    bothOutcomes(o);
  });
});
