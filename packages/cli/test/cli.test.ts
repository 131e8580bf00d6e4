// Dispatch, help, version and usage errors of the certlab command line.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, removeTempDirs, tempDir } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(removeTempDirs);

describe('version and help', () => {
  it('prints the version', async () => {
    for (const flag of ['--version', '-V', 'version']) {
      const r = await cli(dir, flag);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^certlab \d+\.\d+\.\d+\n$/);
    }
  });

  it('prints the main help with every command and the exit codes', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const r = await cli(dir, ...args);
      expect(r.code).toBe(0);
      for (const c of ['key new', 'key show', 'csr new', 'csr show', 'cert selfsign', 'cert show', 'demo'])
        expect(r.stdout).toContain(c);
      expect(r.stdout).toContain('Exit codes:');
      expect(r.stdout).toMatch(/2 {2}usage error/);
    }
  });

  it('prints the help of a noun', async () => {
    for (const args of [
      ['csr', '--help'],
      ['help', 'csr'],
    ]) {
      const r = await cli(dir, ...args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('certlab csr <verb>');
      expect(r.stdout).toContain('new');
      expect(r.stdout).toContain('show');
    }
  });

  it('prints the help of every command, with its options', async () => {
    const cases: [string[], string[]][] = [
      [
        ['key', 'new'],
        ['--type', '--curve', '--bits', '--password-file', '--out', '--force'],
      ],
      [
        ['key', 'show'],
        ['--password', '--format'],
      ],
      [
        ['csr', 'new'],
        [
          '--key',
          '--new-key',
          '--key-out',
          '--subject',
          '--dns',
          '--ip',
          '--email',
          '--upn',
          '--eku',
          '--key-usage',
          '--template',
          '--challenge-password',
          '--hash',
          '--der',
        ],
      ],
      [
        ['csr', 'show'],
        ['--format', '--verify'],
      ],
      [
        ['cert', 'selfsign'],
        ['--key', '--subject', '--ca', '--days', '--serial', '--eku', '--hash', '--der'],
      ],
      [
        ['cert', 'show'],
        ['--format', '--issuer', '--verify'],
      ],
      [['demo'], ['--dir']],
    ];
    for (const [words, options] of cases) {
      for (const args of [
        [...words, '--help'],
        ['help', ...words],
        [...words, '-h'],
      ]) {
        const r = await cli(dir, ...args);
        expect(r.code, args.join(' ')).toBe(0);
        expect(r.stdout).toContain(`certlab ${words.join(' ')}`);
        for (const o of options) expect(r.stdout, `${words.join(' ')} ${o}`).toContain(o);
        expect(r.stdout).toContain('Exit codes:');
      }
    }
  });

  it('warns once, in the help of each option taking a secret, that other local users see it', async () => {
    // [command, options that take a secret on the command line]; each names its safer variant.
    const cases: [string[], string[]][] = [
      [['key', 'new'], ['--password-file']],
      [['key', 'show'], ['--password-file']],
      [['csr', 'new'], ['--password-file']],
      [['cert', 'selfsign'], ['--password-file']],
      [['show'], ['--password-file']],
      [['convert'], ['--password-file', '--key-password-file', '--pfx-password-file']],
      [['store', 'import'], ['--password-file']],
      [['store', 'export'], ['--password-file']],
      [['trust', 'install'], ['--storepass-file']],
      [['trust', 'uninstall'], ['--storepass-file']],
      [['trust', 'list'], ['--storepass-file']],
      [['user', 'add'], ['--password-file']],
      [
        ['serve'],
        [
          'certlab user add NAME --password-file F, or --users FILE',
          'certlab user add NAME --admin --password-file F',
        ],
      ],
    ];
    for (const [words, safer] of cases) {
      const r = await cli(dir, ...words, '--help');
      // Help lines are wrapped: compare with single spaces.
      const help = r.stdout.replace(/\s+/g, ' ');
      const warnings = help.match(/visible to other local users: prefer [^)]+/g) ?? [];
      expect(warnings.length, words.join(' ')).toBeGreaterThanOrEqual(safer.length);
      for (const s of safer)
        expect(
          warnings.some((w) => w.includes(s)),
          `${words.join(' ')}: ${s}`,
        ).toBe(true);
    }
  });

  it('shows the help even when other arguments are wrong', async () => {
    const r = await cli(dir, 'key', 'new', '--type', 'nonsense', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('certlab key new');
  });
});

describe('usage errors exit with 2 and a helpful message', () => {
  it('no command at all', async () => {
    const r = await cli(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('certlab: a command is required.');
    expect(r.stdout).toBe('');
  });

  it('an unknown command', async () => {
    const r = await cli(dir, 'frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^certlab: unknown command 'frobnicate'\.\nRun 'certlab --help' for usage\.\n$/);
  });

  it('an unknown verb', async () => {
    const r = await cli(dir, 'cert', 'revoke');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'cert revoke'");
    expect(r.stderr).toContain("'cert selfsign' or 'cert show'");
  });

  it('a noun without its verb', async () => {
    const r = await cli(dir, 'key');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("certlab: 'certlab key' needs a verb: new or show.");
  });

  it('help for something that does not exist', async () => {
    const r = await cli(dir, 'help', 'nope');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no help for');
  });

  it('a missing --out', async () => {
    const r = await cli(dir, 'key', 'new', '--type', 'ec');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("certlab: --out is required.\nRun 'certlab key new --help' for usage.\n");
  });

  it('an empty value of a repeatable option (an unset shell variable) is refused, not dropped', async () => {
    expect((await cli(dir, 'key', 'new', '--out', 'x.key')).code).toBe(0);
    expect(
      (await cli(dir, 'cert', 'selfsign', '--key', 'x.key', '--subject', 'CN=x', '--out', 'x.cer')).code,
    ).toBe(0);
    for (const argv of [
      ['convert', 'x.cer', '--to', 'pem', '--chain', '', '--out', 'x.pem'],
      ['verify', 'x.cer', '--trust', ' ', '--format', 'json'],
      [
        'csr',
        'new',
        '--new-key',
        'ec',
        '--key-out',
        'k.key',
        '--subject',
        'CN=a',
        '--dns',
        '',
        '--out',
        'a.csr',
      ],
    ]) {
      const r = await cli(dir, ...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(
        /^certlab: --(chain|trust|dns) was given an empty value \(an unset shell variable\?\)/,
      );
      // The command's own help, not the general one.
      const command = argv[0] === 'csr' ? 'csr new' : argv[0];
      expect(r.stderr).toContain(`\nRun 'certlab ${command} --help' for usage.\n`);
      expect(r.stdout).toBe('');
    }
  });

  it('a value option given twice is a usage error, not the last one kept silently', async () => {
    const r = await cli(dir, 'key', 'new', '--out', 'a1.key', '--out', 'b1.key');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "certlab: --out was given twice: give it once.\nRun 'certlab key new --help' for usage.\n",
    );
    expect(existsSync(join(dir, 'a1.key')) || existsSync(join(dir, 'b1.key'))).toBe(false);
    // Repeatable options still repeat.
    const csr = await cli(
      dir,
      'csr',
      'new',
      '--new-key',
      'ec',
      '--key-out',
      'r.key',
      '--subject',
      'CN=r',
      '--dns',
      'a.example',
      '--dns',
      'b.example',
      '--out',
      'r.csr',
    );
    expect(csr.code, csr.stderr).toBe(0);
  });

  it('a bad --type', async () => {
    const r = await cli(dir, 'key', 'new', '--type', 'dsa', '--out', 'k.pem');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown key type 'dsa': use ec, rsa or ed25519.");
  });

  it('an unknown option, a missing value, a value for a flag, an extra argument', async () => {
    const cases: [string[], string][] = [
      [['key', 'new', '--colour'], "unknown option '--colour'"],
      [['key', 'new', '--out'], "option '--out' needs a value"],
      [
        ['key', 'new', '--out', '-k.pem'],
        "option '--out' needs a value; for a value starting with '-', write --out=-VALUE.",
      ],
      [['key', 'new', '--force=yes', '--out', 'x'], "option '--force' takes no value"],
      [['key', 'new', 'extra', '--out', 'x'], "unexpected argument 'extra'"],
      [['cert', 'show'], 'missing FILE argument'],
      [['cert', 'show', 'a', 'b'], "unexpected argument 'b'"],
      [['cert', 'show', 'a', '--format', 'xml'], '--format must be one of text, json'],
      [['key', 'new', '--type', 'rsa', '--curve', 'P-256', '--out', 'x'], '--curve applies to EC keys'],
      [['key', 'new', '--type', 'rsa', '--bits', '1024', '--out', 'x'], '--bits must be 2048, 3072 or 4096'],
      [['key', 'new', '--curve', 'P-192', '--out', 'x'], '--curve must be one of P-256, P-384, P-521'],
      [['key', 'new', '--password', 'a', '--password-file', 'f', '--out', 'x'], 'not both'],
    ];
    for (const [args, message] of cases) {
      const r = await cli(dir, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(message);
      expect(r.stderr).toMatch(/^certlab: /);
    }
  });
});
