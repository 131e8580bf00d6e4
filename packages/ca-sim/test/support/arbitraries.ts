// fast-check material shared by the certsrv parser tests: one seed and run count (a failure
// reproduces), any UTF-16 code unit (lone surrogates included), and strings rich in the
// characters a given parser cares about.

import fc from 'fast-check';

export const SEED = 20261130;
export const RUNS = 300;

/** Any UTF-16 code unit, lone surrogates included. */
export const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
export const anyString = fc.string({ unit: anyUnit, maxLength: 200 });

/** Strings mixing any code unit with the given pieces (each drawn as one unit). */
export function trickyString(pieces: readonly string[], maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.oneof(anyUnit, fc.constantFrom(...pieces)), maxLength });
}
