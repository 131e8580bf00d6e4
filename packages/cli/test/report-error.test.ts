// describeError's last line of defence: known passwords are masked where they stand as a token,
// without breaking the message around them.

import { describe, expect, it } from 'vitest';
import { describeError } from '../src/report-error.js';

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
