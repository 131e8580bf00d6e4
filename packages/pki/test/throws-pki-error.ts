// One assertion for "this synchronous call throws a PkiError with that code" across the pki tests.

import { expect } from 'vitest';
import { PkiError, type PkiErrorCode } from '../src/index.js';

/** Calls `fn`, expects a PkiError with `code` (and a message matching `message`), and returns it. */
export function throwsPkiError(fn: () => unknown, code: PkiErrorCode, message?: RegExp): PkiError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PkiError);
    expect((e as PkiError).code).toBe(code);
    if (message) expect((e as PkiError).message).toMatch(message);
    return e as PkiError;
  }
  throw new Error(`expected a PkiError ${code}, but the call succeeded`);
}
