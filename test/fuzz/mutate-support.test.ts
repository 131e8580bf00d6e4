// The mutation helpers every malformed-input test uses must never edit the input they mutate:
// fixtures are shared across runs, and a Node Buffer's slice() is a view, not a copy.

import fc from 'fast-check';
import { expect, it } from 'vitest';
import { mutate, mutationsArb } from '../support/mutate.js';

it('mutate() leaves a Buffer or Uint8Array input as it was', () => {
  const der = Uint8Array.of(0x30, 0x06, 0x02, 0x01, 0x05, 0x04, 0x01, 0xaa);
  fc.assert(
    fc.property(mutationsArb(4), fc.boolean(), (ms, asBuffer) => {
      const input = asBuffer ? Buffer.from(der) : der.slice();
      mutate(input, ms);
      expect([...input]).toEqual([...der]);
    }),
    { seed: 20261202, numRuns: 500 },
  );
});
