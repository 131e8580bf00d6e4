// firstDerElement: the first of several DER elements back to back; a coded error for broken input.

import { describe, expect, it } from 'vitest';
import { firstDerElement, isPkiError } from '../src/index.js';

describe('firstDerElement', () => {
  it('returns the first element of a concatenation, short and long length forms', () => {
    const a = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x05);
    const long = new Uint8Array(3 + 200);
    long.set([0x04, 0x81, 200]);
    expect([...firstDerElement(Uint8Array.of(...a, ...a))]).toEqual([...a]);
    expect(firstDerElement(Uint8Array.of(...long, ...a)).length).toBe(203);
  });

  it('throws a coded PkiError for empty, truncated or non-DER input', () => {
    for (const bad of [
      new Uint8Array(0),
      Uint8Array.of(0x30, 0x05, 0x02),
      Uint8Array.of(0x30, 0x80, 0x00, 0x00),
    ])
      expect(() => firstDerElement(bad)).toThrow(
        expect.objectContaining({ code: expect.stringMatching(/^ERR_PKI_DER_/) }),
      );
    try {
      firstDerElement(Uint8Array.of(0x30, 0x05));
    } catch (e) {
      expect(isPkiError(e)).toBe(true);
    }
  });
});
