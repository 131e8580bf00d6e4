// describeError's last line of defence: known passwords are masked where they stand as a token,
// without breaking the message around them; and file-system errors from Node (EACCES, EEXIST, …)
// told as a sentence naming the path and what certlab tried to do.

import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CaError, SanAttributeError } from '@certlab/ca-sim';
import { LabError } from '@certlab/lab';
import { PkiError } from '@certlab/pki';
import { StoreError } from '@certlab/store-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError, EXIT } from '../src/cli-error.js';
import { describeError } from '../src/report-error.js';
import { cli, removeTempDirs, tempDir } from './helpers.js';

const NOTE = 'certlab: (******** stands for text equal to a password given to this command, hidden.)';
const lines = (message: string, ...secrets: string[]) =>
  describeError(new Error(message), new Set(secrets)).lines;

describe('describeError masks passwords', () => {
  it('masks a password that appears whole, even with regex metacharacters', () => {
    expect(lines('cannot connect to postgres://ca:Passw0rd!@db:5432/ca', 'Passw0rd!')).toEqual([
      'certlab: cannot connect to postgres://ca:********@db:5432/ca',
      NOTE,
    ]);
    expect(lines('bad value (a+b)*', '(a+b)*')).toEqual(['certlab: bad value ********', NOTE]);
    expect(lines('user alice:s3cret-pw refused', 's3cret-pw')).toEqual([
      'certlab: user alice:******** refused',
      NOTE,
    ]);
  });

  it('leaves the message intact for a password inside a longer word, or of one or two characters', () => {
    // Before: "c********rtlab: Th******** password is wrong" for the password "e".
    expect(lines('The password is wrong, or the file is damaged.', 'e')).toEqual([
      'certlab: The password is wrong, or the file is damaged.',
    ]);
    expect(lines('Run certlab store export --help', 'x')).toEqual([
      'certlab: Run certlab store export --help',
    ]);
    expect(lines('the abcdef store', 'abc')).toEqual(['certlab: the abcdef store']);
    expect(lines('the abc store', 'abc')).toEqual(['certlab: the ******** store', NOTE]);
    // A password that starts or ends with punctuation is masked even next to letters.
    expect(lines('x!secret here', '!secret')).toEqual(['certlab: x******** here', NOTE]);
    expect(lines('word-secret-x', '-secret-')).toEqual(['certlab: word********x', NOTE]);
  });
});

/** A file-system error as Node makes it: "CODE: description, syscall 'path'" and the properties. */
function sysError(code: string, description: string, syscall: string, path?: string, errno = -1): Error {
  const message = `${code}: ${description}, ${syscall}${path === undefined ? '' : ` '${path}'`}`;
  return Object.assign(new Error(message), { code, syscall, errno, ...(path === undefined ? {} : { path }) });
}
const report = (e: unknown, ...secrets: string[]) => describeError(e, new Set(secrets));

describe('describeError explains file-system errors', () => {
  it('names the path and what certlab tried to do, with the code in brackets, never the raw Node text', () => {
    const cases: [Error, 1 | 2, string][] = [
      [
        sysError('EEXIST', 'file already exists', 'mkdir', '/x/o.cer', -17),
        1,
        'certlab: Cannot create the folder /x/o.cer: a file with that name is in the way. [EEXIST]',
      ],
      [
        sysError('EACCES', 'permission denied', 'mkdir', '/x/pki', -13),
        1,
        'certlab: Cannot create the folder /x/pki: permission denied (check the owner and mode of the folder it goes in). [EACCES]',
      ],
      [
        sysError('EPERM', 'operation not permitted', 'open', '/x/y', -1),
        1,
        'certlab: Cannot open /x/y: permission denied (check the owner and mode of the file and its folder). [EPERM]',
      ],
      [
        sysError('EACCES', 'permission denied', 'rename', '/x/y.tmp', -13),
        1,
        'certlab: Cannot write /x/y.tmp: permission denied (check the owner and mode of the file and its folder). [EACCES]',
      ],
      [
        sysError('EACCES', 'permission denied', 'scandir', '/x/d', -13),
        2,
        'certlab: Cannot read /x/d: permission denied (check the owner and mode of the file and its folder). [EACCES]',
      ],
      [
        sysError('ENOTDIR', 'not a directory', 'mkdir', '/x/o.cer/db', -20),
        1,
        'certlab: Cannot create the folder /x/o.cer/db: a file is in the way (one of the folders on that path is a file). [ENOTDIR]',
      ],
      [
        sysError('ENOTDIR', 'not a directory', 'scandir', '/x/f', -20),
        2,
        'certlab: Cannot read /x/f: it, or one of the folders on its path, is a file, not a folder. [ENOTDIR]',
      ],
      [
        sysError('EISDIR', 'illegal operation on a directory', 'read', '/x/adir', -21),
        2,
        'certlab: Cannot read /x/adir: it is a folder, not a file. [EISDIR]',
      ],
      [
        // What readFile on a folder gives: no path at all.
        sysError('EISDIR', 'illegal operation on a directory', 'read', undefined, -21),
        2,
        'certlab: Cannot read a file: a folder was given where a file is expected. [EISDIR]',
      ],
      [
        sysError('EISDIR', 'illegal operation on a directory', 'open', '/x/out', -21),
        1,
        'certlab: Cannot write /x/out: it is a folder, not a file. [EISDIR]',
      ],
      [
        sysError('ENOENT', 'no such file or directory', 'stat', '/x/missing', -2),
        2,
        'certlab: Cannot read /x/missing: no such file or folder. [ENOENT]',
      ],
      [
        sysError('ENOENT', 'no such file or directory', 'open', '/x/missing', -2),
        1,
        'certlab: Cannot open /x/missing: no such file or folder. [ENOENT]',
      ],
      [
        sysError('EROFS', 'read-only file system', 'open', '/mnt/ro/y', -30),
        1,
        'certlab: Cannot write /mnt/ro/y: the file system is read-only. [EROFS]',
      ],
      [
        sysError('ENOSPC', 'no space left on device', 'write', '/x/y', -28),
        1,
        'certlab: The disk is full while writing /x/y. [ENOSPC]',
      ],
      [
        sysError('ENOSPC', 'no space left on device', 'write', undefined, -28),
        1,
        'certlab: The disk is full while writing a file. [ENOSPC]',
      ],
      [
        sysError('EMFILE', 'too many open files', 'open', '/x/y', -24),
        1,
        'certlab: Cannot open /x/y: too many files are open (close other programs, or raise the limit with ulimit -n). [EMFILE]',
      ],
      [
        sysError('ENAMETOOLONG', 'name too long', 'open', '/x/aaaa', -36),
        1,
        'certlab: Cannot open /x/aaaa: the name is too long. [ENAMETOOLONG]',
      ],
      [
        sysError('ELOOP', 'too many symbolic links encountered', 'stat', '/x/loop', -40),
        2,
        'certlab: Cannot read /x/loop: too many symbolic links (a link may point to itself). [ELOOP]',
      ],
      [
        // A code without a sentence of its own keeps Node's description, without the prefix.
        sysError('EIO', 'i/o error', 'write', '/x/y', -5),
        1,
        'certlab: Cannot write /x/y: i/o error. [EIO]',
      ],
    ];
    const rename = Object.assign(sysError('EACCES', 'permission denied', 'rename', '/x/y.tmp', -13), {
      dest: '/x/y',
    });
    cases.push([
      rename,
      1,
      'certlab: Cannot move /x/y.tmp to /x/y: permission denied (check the owner and mode of the file and its folder). [EACCES]',
    ]);
    for (const [error, exitCode, line] of cases) {
      const r = report(error);
      expect(r, error.message).toEqual({ exitCode, lines: [line] });
      expect(r.lines.join('\n')).not.toMatch(/\bE[A-Z]+:/);
    }
  });

  it('keeps masking passwords and the CERTLAB_DEBUG stack trace', () => {
    const e = sysError('EACCES', 'permission denied', 'mkdir', '/x/Passw0rd!/pki', -13);
    expect(report(e, 'Passw0rd!').lines).toEqual([
      'certlab: Cannot create the folder /x/********/pki: permission denied (check the owner and mode of the folder it goes in). [EACCES]',
      NOTE,
    ]);
    const debug = describeError(e, new Set(), true);
    expect(debug.lines).toHaveLength(2);
    expect(debug.lines[1]).toBe(e.stack);
  });

  it('leaves other errors as they were', () => {
    // Not a file-system call: a network error, a Node argument error, an error with a code only.
    const net = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
      syscall: 'connect',
      address: '127.0.0.1',
      port: 5432,
    });
    expect(report(net)).toEqual({ exitCode: 1, lines: ['certlab: connect ECONNREFUSED 127.0.0.1:5432'] });
    const arg = Object.assign(new TypeError('The "path" argument must be of type string.'), {
      code: 'ERR_INVALID_ARG_TYPE',
    });
    expect(report(arg).lines).toEqual(['certlab: The "path" argument must be of type string.']);
    expect(report(Object.assign(new Error('odd'), { code: 'EACCES' })).lines).toEqual(['certlab: odd']);
    expect(report('a string').lines).toEqual(['certlab: a string']);
    expect(report(new CliError(EXIT.usage, '--out is required.', 'Run it.'))).toEqual({
      exitCode: 2,
      lines: ['certlab: --out is required.', 'Run it.'],
    });
    expect(report(new PkiError('ERR_PKI_PEM_INVALID', 'No PEM block.'))).toEqual({
      exitCode: 2,
      lines: ['certlab: No PEM block. [ERR_PKI_PEM_INVALID]'],
    });
  });

  it('gives a StoreError that no command wrapped its code and exit status (it was an unexpected failure without its code)', () => {
    expect(report(new StoreError('ERR_STORE_CORRUPT', 'The key file holds no PRIVATE KEY block.'))).toEqual({
      exitCode: 1,
      lines: ['certlab: The key file holds no PRIVATE KEY block. [ERR_STORE_CORRUPT]'],
    });
    expect(report(new StoreError('ERR_STORE_NAME_INVALID', 'Bad name.')).exitCode).toBe(2);
  });

  it("tells each package's errors, and their subclasses, by class and code; a look-alike is an unexpected failure", () => {
    expect(report(new CaError('ERR_CA_REQUEST_NOT_FOUND', 'No request 7.'))).toEqual({
      exitCode: 1,
      lines: ['certlab: No request 7. [ERR_CA_REQUEST_NOT_FOUND]'],
    });
    expect(report(new CaError('ERR_CA_KEY_LOCKED', 'Locked.')).exitCode).toBe(2);
    expect(report(new SanAttributeError('"foo" is not a GUID.'))).toEqual({
      exitCode: 1,
      lines: ['certlab: "foo" is not a GUID. [ERR_CA_ATTRIBUTE_INVALID]'],
    });
    expect(report(new LabError('ERR_LAB_NOT_FOUND', { en: 'No lab here.', fr: 'Pas de lab ici.' }))).toEqual({
      exitCode: 2,
      lines: ['certlab: No lab here. [ERR_LAB_NOT_FOUND]'],
    });
    // Named like a package's error, without being one: no code in brackets, exit 1.
    const fake = Object.assign(new Error('not ours'), { name: 'CaError', code: 'ERR_CA_STORE' });
    expect(report(fake)).toEqual({ exitCode: 1, lines: ['certlab: not ours'] });
  });
});

describe('file-system errors through the CLI', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
    await writeFile(join(dir, 'o.cer'), 'not a folder');
  });
  afterAll(removeTempDirs);

  it('ca init --dir on a file: what is in the way, exit 1', async () => {
    const r = await cli(dir, 'ca', 'init', '--dir', 'o.cer');
    expect(r.stderr).toBe(
      `certlab: Cannot create the folder ${join(dir, 'o.cer')}: a file with that name is in the way. [EEXIST]\n`,
    );
    expect(r.code).toBe(1);
  });

  it('user add under a file: a file on the path, exit 1', async () => {
    const users = join(dir, 'o.cer', 'site', 'users.json');
    const r = await cli(dir, 'user', 'add', 'alice', '--users', users, '--password', 'x-Passw0rd');
    expect(r.stderr).toMatch(
      /^certlab: Cannot create the folder \S+o\.cer\/site: a file is in the way \(one of the folders on that path is a file\)\. \[ENOTDIR\]\n$/,
    );
    expect(r.stderr).not.toContain('x-Passw0rd');
    expect(r.code).toBe(1);
  });

  // Root writes through mode 0500 (as in CI containers): there the EACCES sentence is checked by
  // the unit test above.
  it.skipIf(process.getuid?.() === 0)(
    'ca init in a read-only folder: permission denied, exit 1',
    async () => {
      const ro = join(dir, 'ro');
      await mkdir(ro);
      await chmod(ro, 0o500);
      try {
        const r = await cli(dir, 'ca', 'init', '--dir', join('ro', 'pki'));
        expect(r.stderr).toBe(
          `certlab: Cannot create the folder ${join(ro, 'pki')}: permission denied (check the owner and mode of the folder it goes in). [EACCES]\n`,
        );
        expect(r.code).toBe(1);
      } finally {
        await chmod(ro, 0o700);
      }
    },
  );
});
