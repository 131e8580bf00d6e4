// shellWord: every path comes back from a real POSIX shell as the one word it was.

import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shellWord } from '../src/index.js';

/** What bash makes of `words`, pasted into a command line: one string per word. */
function bashWords(words: string[]): string[] {
  const out = execFileSync('bash', ['-c', `printf '%s\\0' ${words.join(' ')}`], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/home/nobody' },
  });
  return out.split('\0').slice(0, -1);
}

describe('shellWord', () => {
  it('leaves plain paths alone, double-quotes white space, single-quotes what sh reads in double quotes', () => {
    expect(shellWord('/tmp/lab-1/ca')).toBe('/tmp/lab-1/ca');
    expect(shellWord('my lab')).toBe('"my lab"');
    expect(shellWord('C:\\Labs\\my lab', 'windows')).toBe('"C:\\Labs\\my lab"');
    expect(shellWord('C:\\Labs\\my lab', 'posix')).toBe("'C:\\Labs\\my lab'");
    expect(shellWord('a $HOME', 'windows')).toBe('"a $HOME"');
    expect(shellWord('a $HOME', 'posix')).toBe("'a $HOME'");
    expect(shellWord("it's $x", 'posix')).toBe("'it'\\''s $x'");
  });

  it('round-trips awkward paths through bash', () => {
    const paths = [
      'my lab',
      'labo é à',
      '$HOME',
      'a `id` b',
      'say "hi"',
      "it's",
      "it's $HOME",
      'x*y?[z]',
      '~user',
      '#comment',
      'a;b&c|d',
      '(sub) {a,b}',
      'tab\there',
      'back\\slash',
      'trailing\\',
      'C:\\\\server\\share',
      'wow!',
      '',
    ];
    expect(bashWords(paths.map((p) => shellWord(p, 'posix')))).toEqual(paths);
  });

  it('round-trips random paths through bash', () => {
    // One bash per batch: every generated path goes through the same command line.
    const sample = fc.sample(
      fc.string({
        unit: fc.constantFrom(...'ab /.-_$`"\'\\!*?[]{}()~#;&|<> \té%'.split('')),
        maxLength: 12,
      }),
      { numRuns: 300, seed: 42 },
    );
    expect(bashWords(sample.map((p) => shellWord(p, 'posix')))).toEqual(sample);
  });
});
