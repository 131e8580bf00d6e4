// Mutated option strings (fast-check, fixed seed): --eku, --key-usage and --hash read by ekusFrom,
// keyUsagesFrom and hashFrom (a value or a CliError, exit 2), then end to end through `csr new`
// in-process; and `ca submit --attrib Name:Value` with mutated attribute strings against a CA
// made by `ca init`. The CLI exits 0, 2 with a `certlab: ` sentence, or (ca submit only) 1 for a
// request the CA denied — never 1 with an uncoded error, never a crash (CERTLAB_DEBUG shows the
// class of whatever was thrown, so a TypeError from deep inside is seen).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEY_USAGE_FLAGS } from '@certlab/pki';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptSync, Outcomes } from '../../../test/support/coded.js';
import { mutateText, textMutationsArb } from '../../../test/support/mutate.js';
import { parseCommandArgs } from '../src/args.js';
import { CliError } from '../src/cli-error.js';
import { csrNew } from '../src/commands/csr-new.js';
import { HASHES, hashFrom } from '../src/hash-option.js';
import { run } from '../src/index.js';
import { ekusFrom, keyUsagesFrom } from '../src/usages.js';

const SEED = 20261210;
const CLI = [(e: unknown) => (e instanceof CliError && e.exitCode === 2 ? 'CliError(2)' : undefined)];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certlab-options-fuzz-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: {
      write: (c: string | Uint8Array) => {
        stdout += typeof c === 'string' ? c : '<bytes>';
      },
    },
    stderr: {
      write: (c: string | Uint8Array) => {
        stderr += String(c);
      },
    },
    cwd: dir,
    env: { CERTLAB_DEBUG: '1' },
  });
  return { code, stdout, stderr };
}

/** Exit 0, or 2 with a sentence; 1 only when `denied` allows it and stdout says the CA denied. */
function checkExit(what: string, r: { code: number; stdout: string; stderr: string }, denied = false): void {
  const shown = `${what}: exit ${r.code}\n${r.stderr}`;
  expect(r.stderr, shown).not.toMatch(/^(TypeError|RangeError|SyntaxError|ReferenceError|Error)\b/m);
  if (r.code === 0) return;
  if (r.code === 1 && denied) {
    expect(r.stdout, shown).toMatch(/Certificate not issued \(Denied\)/);
    return;
  }
  expect(r.code, shown).toBe(2);
  expect(r.stderr, shown).toMatch(/^certlab: \S.*\S/);
}

const EKUS = 'serverAuth,clientAuth,1.3.6.1.4.1.311.20.2.2';
const USAGES = 'digitalSignature,keyEncipherment';
/**
 * A valid value mutated (up to 3 edits), the inserted pieces drawn from `pieces` (the characters
 * the value's reader cares about) or short random strings.
 */
const mutatedFrom = (valid: readonly string[], pieces: readonly string[]) =>
  fc
    .tuple(
      fc.constantFrom(...valid),
      textMutationsArb(3, fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 6 }))),
    )
    .map(([v, m]) => mutateText(v, m));

/** What option lists and OIDs care about. */
const OPTION_PIECES = [
  ',',
  ',,',
  '.',
  '..',
  '0',
  '1.2',
  '99999999999999999999999',
  '-',
  ' ',
  '\t',
  '\n',
  '=',
  '\u0000',
  'é',
  '__proto__',
  'constructor',
  'toString',
];
/** Option strings: a valid one mutated, with the characters option lists and OIDs care about. */
const optionText = (valid: readonly string[]) => mutatedFrom(valid, OPTION_PIECES);

const CSR_NEW = [
  ...['csr', 'new', '--new-key', 'ec', '--key-out', 'fuzz.key', '--subject', 'CN=web01.contoso.com'],
  ...['--out', 'fuzz.req', '--force'],
];

describe('ekusFrom, keyUsagesFrom, hashFrom', () => {
  it('valid options: csr new exits 0', async () => {
    const r = await cli(...CSR_NEW, `--eku=${EKUS}`, `--key-usage=${USAGES}`, '--hash=sha384');
    expect(r.code, r.stderr).toBe(0);
  });

  it('mutated --eku, --key-usage and --hash: the values or a CliError (exit 2)', () => {
    const o = new Outcomes();
    fc.assert(
      fc.property(
        optionText([EKUS, 'serverAuth', '2.5.29.37.0']),
        optionText([USAGES, 'keyCertSign']),
        optionText(['SHA-256', 'sha384', 'SHA512']),
        fc.constantFrom('ec', 'rsa', 'ed25519'),
        (eku, ku, hash, keyType) => {
          const args = parseCommandArgs(csrNew, [`--eku=${eku}`, `--key-usage=${ku}`, `--hash=${hash}`]);
          const ekus = attemptSync('ekusFrom', o, CLI, () => ekusFrom(args, 'csr new'));
          if (ekus) {
            expect(new Set(ekus).size).toBe(ekus.length);
            for (const oid of ekus) expect(oid).toMatch(/^[0-2](\.(0|[1-9][0-9]*))+$/);
          }
          const usages = attemptSync('keyUsagesFrom', o, CLI, () => keyUsagesFrom(args, 'csr new'));
          for (const u of usages ?? []) expect(KEY_USAGE_FLAGS).toContain(u);
          const h = attemptSync('hashFrom', o, CLI, () => hashFrom(args, keyType, 'csr new'));
          if (h !== undefined) expect(HASHES).toContain(h);
        },
      ),
      { seed: SEED, numRuns: 500 },
    );
    expect(o.ok).toBeGreaterThan(0);
    expect(o.failed).toBeGreaterThan(0);
  });

  it('mutated --eku, --key-usage and --hash end to end (csr new): exit 0 or 2 with a sentence', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ option: fc.constant('--eku'), value: optionText([EKUS, '2.5.29.37.0']) }),
          fc.record({ option: fc.constant('--key-usage'), value: optionText([USAGES]) }),
          fc.record({ option: fc.constant('--hash'), value: optionText(['SHA-384', 'sha512']) }),
        ),
        async ({ option, value }) => {
          const r = await cli(...CSR_NEW, `${option}=${value}`);
          checkExit(`csr new ${option}=${JSON.stringify(value)}`, r);
        },
      ),
      { seed: SEED, numRuns: 40 },
    );
  });
});

/** --attrib strings: a valid one mutated, with the characters attributes and certreq care about. */
const attribText = mutatedFrom(
  [
    'CertificateTemplate:WebServer',
    'CertificateTemplate:WebServer_Manual',
    'CertificateTemplate:WebServer\\nsan:dns=a.contoso.com&dns=b.contoso.com',
    'san:dns=web01.contoso.com',
    'UserAgent:certlab',
  ],
  [
    ':',
    '::',
    '\\n',
    '\n',
    '\r\n',
    '&',
    '=',
    'dns=',
    'upn=',
    '%00',
    '\u0000',
    ' ',
    '__proto__:x',
    'san:',
    'CertificateTemplate:',
  ],
);

describe('ca submit --attrib', () => {
  beforeAll(async () => {
    const init = await cli('ca', 'init', '--dir', 'pki', '--key-type', 'ec');
    expect(init.code, init.stderr).toBe(0);
    const csr = await cli(
      ...['csr', 'new', '--new-key', 'ec', '--key-out', 'web.key', '--subject', 'CN=web01.contoso.com'],
      ...['--dns', 'web01.contoso.com', '--out', 'web.req'],
    );
    expect(csr.code, csr.stderr).toBe(0);
  }, 60_000);

  it('the valid attributes issue', async () => {
    const r = await cli(
      'ca',
      'submit',
      '--dir',
      'pki',
      'web.req',
      '--attrib',
      'CertificateTemplate:WebServer',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Issued/);
  });

  it('mutated --attrib strings: exit 0, 1 for a denied request, or 2 with a sentence', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(attribText, { minLength: 1, maxLength: 2 }), async (attribs) => {
        const r = await cli(
          'ca',
          'submit',
          '--dir',
          'pki',
          'web.req',
          ...attribs.flatMap((a) => [`--attrib=${a}`]),
        );
        checkExit(`ca submit --attrib ${JSON.stringify(attribs)}`, r, true);
      }),
      { seed: SEED, numRuns: 15 },
    );
  });

  it('mutated --attrib strings with a NUL anywhere: exit 2 with a sentence about --attrib', async () => {
    // The property above rarely draws a NUL with its seed: here every case has one.
    await fc.assert(
      fc.asyncProperty(attribText, fc.nat(), async (attrib, at) => {
        const i = at % (attrib.length + 1);
        const bad = `${attrib.slice(0, i)}\u0000${attrib.slice(i)}`;
        const r = await cli('ca', 'submit', '--dir', 'pki', 'web.req', `--attrib=${bad}`);
        checkExit(`ca submit --attrib ${JSON.stringify(bad)}`, r);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/^certlab: --attrib '/m);
        expect(r.stderr).not.toContain('\u0000');
      }),
      { seed: SEED, numRuns: 20 },
    );
  });

  // A NUL in --attrib (fast-check's counterexample "\u0000ertificateTemplate:WebServer") used to
  // reach the PGlite store, which refused the text: exit 1 and no request id. It is a usage error.
  it('an --attrib with a NUL character: exit 2 with a sentence, or a request id', async () => {
    const r = await cli(
      'ca',
      'submit',
      '--dir',
      'pki',
      'web.req',
      '--attrib=\u0000ertificateTemplate:WebServer',
    );
    checkExit('ca submit --attrib with NUL', r, true);
  });

  it('the counterexample above, alone: exit 2 with a sentence naming --attrib, nothing submitted', async () => {
    const before = await cli('ca', 'list', '--dir', 'pki', '--format', 'json');
    expect(before.code, before.stderr).toBe(0);
    for (const attrib of ['\u0000ertificateTemplate:WebServer', 'CertificateTemplate:Web\u0000Server']) {
      const r = await cli('ca', 'submit', '--dir', 'pki', 'web.req', `--attrib=${attrib}`);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^certlab: --attrib '.*\\u0000.*' holds the control character U\+0000: .*\S/m);
      expect(r.stderr).not.toContain('\u0000');
      expect(r.stderr).not.toMatch(/invalid byte sequence/);
    }
    const t = await cli('ca', 'submit', '--dir', 'pki', 'web.req', '--template=Web\u0000Server');
    expect(t.code, t.stderr).toBe(2);
    expect(t.stderr).toMatch(
      /^certlab: --template 'Web\\u0000Server' holds the control character U\+0000: /m,
    );
    const after = await cli('ca', 'list', '--dir', 'pki', '--format', 'json');
    expect(after.stdout).toBe(before.stdout);
  });
});
