// Byte-level mutations of valid encodings for the malformed-input properties (fast-check).
import fc from 'fast-check';

export type Mutation =
  | { kind: 'flip'; pos: number; bit: number }
  | { kind: 'set'; pos: number; value: number }
  | { kind: 'truncate'; len: number }
  | { kind: 'insert'; pos: number; bytes: Uint8Array }
  | { kind: 'delete'; pos: number; count: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), pos: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), pos: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), len: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    pos: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), pos: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
);

export function mutate(input: Uint8Array, ms: Mutation[]): Uint8Array {
  let b = input.slice();
  for (const m of ms) {
    const pos = 'pos' in m ? m.pos % (b.length + 1) : 0;
    switch (m.kind) {
      case 'flip':
        if (pos < b.length) b[pos]! ^= 1 << m.bit;
        break;
      case 'set':
        if (pos < b.length) b[pos] = m.value;
        break;
      case 'truncate':
        b = b.slice(0, m.len % (b.length + 1));
        break;
      case 'insert':
        b = Uint8Array.from([...b.subarray(0, pos), ...m.bytes, ...b.subarray(pos)]);
        break;
      case 'delete':
        b = Uint8Array.from([...b.subarray(0, pos), ...b.subarray(pos + m.count)]);
        break;
    }
  }
  return b;
}
