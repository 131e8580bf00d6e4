// Structure-aware mutations of valid DER (and of text) for property tests: bit flips, byte
// replacement, truncation, insertion, deletion, and corruption of TLV headers found in the
// valid input (indefinite, huge, overlong and off-by-one lengths, other tags, duplicated and
// deeply re-wrapped elements). Positions are drawn as naturals and reduced modulo the input,
// so one arbitrary works for every corpus entry.

import fc from 'fast-check';
import { lengthOctets, type Node, readNode } from './der.js';

/** One mutation. `at`/`node` are reduced modulo the input length / header count when applied. */
export type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'set'; readonly at: number; readonly value: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: readonly number[] }
  | { readonly kind: 'delete'; readonly at: number; readonly count: number }
  | { readonly kind: 'length'; readonly node: number; readonly form: LengthForm; readonly value: number }
  | { readonly kind: 'tag'; readonly node: number; readonly value: number }
  | { readonly kind: 'duplicate'; readonly node: number }
  | { readonly kind: 'wrap'; readonly node: number; readonly depth: number; readonly indefinite: boolean };

export type LengthForm =
  | 'indefinite'
  | 'huge4'
  | 'huge5'
  | 'overlong'
  | 'plus'
  | 'minus'
  | 'random'
  | 'zero'
  | 'longZero';

const LENGTH_FORMS: readonly LengthForm[] = [
  'indefinite',
  'huge4',
  'huge5',
  'overlong',
  'plus',
  'minus',
  'random',
  'zero',
  'longZero',
];

/** Tags worth trying where a header was: the universal ones X.509 uses, context tags, and odd ones. */
const TAGS = [
  0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1e, 0x1f, 0x30, 0x31, 0x80,
  0x81, 0x82, 0x86, 0x87, 0x88, 0xa0, 0xa1, 0xa3, 0xa4, 0xff,
];

/** The arbitrary of mutations: one to `max` of them, applied in order. */
export function mutationsArb(max = 3): fc.Arbitrary<Mutation[]> {
  const at = fc.nat();
  const one: fc.Arbitrary<Mutation> = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({ kind: fc.constant('flip' as const), at, bit: fc.integer({ min: 0, max: 7 }) }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('set' as const),
        at,
        value: fc.oneof(
          fc.constantFrom(0x00, 0x7f, 0x80, 0x81, 0x84, 0xff, 0x30, 0xa0),
          fc.integer({ min: 0, max: 255 }),
        ),
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('insert' as const),
        at,
        bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('delete' as const),
        at,
        count: fc.integer({ min: 1, max: 16 }),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('length' as const),
        node: at,
        form: fc.constantFrom(...LENGTH_FORMS),
        value: fc.nat(),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('tag' as const),
        node: at,
        value: fc.oneof(fc.constantFrom(...TAGS), fc.integer({ min: 0, max: 255 })),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), node: at }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('wrap' as const),
        node: at,
        depth: fc.integer({ min: 1, max: 64 }),
        indefinite: fc.boolean(),
      }),
    },
  );
  return fc.array(one, { minLength: 1, maxLength: max });
}

/**
 * Every TLV header in `der`, depth first, found by walking constructed elements and any OCTET
 * STRING / BIT STRING whose content is itself DER (extension values, keys). Never throws: a
 * part that does not parse is simply not descended into.
 */
export function tlvNodes(der: Uint8Array): Node[] {
  const out: Node[] = [];
  const walk = (start: number, end: number, depth: number): boolean => {
    const found: Node[] = [];
    for (let p = start; p < end; ) {
      let n: Node;
      try {
        n = readNode(der, p);
      } catch {
        return false;
      }
      if (n.end > end) return false;
      found.push(n);
      p = n.end;
    }
    if (depth > 64) return true;
    for (const n of found) {
      out.push(n);
      if (n.tag & 0x20) walk(n.valueStart, n.end, depth + 1);
      else if (n.tag === 0x04 && n.end > n.valueStart) walk(n.valueStart, n.end, depth + 1);
      else if (n.tag === 0x03 && n.end > n.valueStart + 1 && der[n.valueStart] === 0)
        walk(n.valueStart + 1, n.end, depth + 1);
    }
    return true;
  };
  walk(0, der.length, 0);
  return out;
}

function minimalLength(len: number): number[] {
  return lengthOctets(len);
}

function replace(b: Uint8Array, from: number, to: number, bytes: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(b.length - (to - from) + bytes.length);
  out.set(b.subarray(0, from), 0);
  out.set(Array.from(bytes), from);
  out.set(b.subarray(to), from + bytes.length);
  return out;
}

function newLength(form: LengthForm, len: number, value: number): number[] {
  switch (form) {
    case 'indefinite':
      return [0x80];
    case 'huge4':
      return [0x84, 0xff, 0xff, 0xff, 0xff];
    case 'huge5':
      return [0x85, 0x01, 0x00, 0x00, 0x00, 0x00];
    case 'overlong': {
      // The true length in a longer form than DER allows.
      const m = minimalLength(len);
      const body = m.length === 1 ? [len] : m.slice(1);
      return [0x80 | (body.length + 1), 0x00, ...body];
    }
    case 'plus':
      return minimalLength(len + 1 + (value % 3));
    case 'minus':
      return minimalLength(Math.max(0, len - 1 - (value % 3)));
    case 'random':
      return minimalLength(value >>> 0);
    case 'zero':
      return [0x00];
    case 'longZero':
      return [0x81, 0x00];
  }
}

/** Applies one mutation to a copy of `input` (`nodes` are the headers of the unmutated input). */
export function applyMutation(input: Uint8Array, m: Mutation, nodes: readonly Node[]): Uint8Array {
  // A Node Buffer's slice() is a view, not a copy: 'flip' and 'set' would edit the caller's bytes
  // (a fixture every later run reads). Work on a plain Uint8Array, whose slice() copies.
  const b = Object.getPrototypeOf(input) === Uint8Array.prototype ? input : new Uint8Array(input);
  const n = b.length;
  switch (m.kind) {
    case 'flip': {
      if (n === 0) return b;
      const out = b.slice();
      const at = m.at % n;
      out[at] = out[at]! ^ (1 << m.bit);
      return out;
    }
    case 'set': {
      if (n === 0) return Uint8Array.of(m.value);
      const out = b.slice();
      out[m.at % n] = m.value;
      return out;
    }
    case 'truncate':
      return b.slice(0, m.at % (n + 1));
    case 'insert': {
      const at = m.at % (n + 1);
      return replace(b, at, at, m.bytes);
    }
    case 'delete': {
      if (n === 0) return b;
      const at = m.at % n;
      return replace(b, at, Math.min(n, at + m.count), []);
    }
    default: {
      const valid = nodes.filter((x) => x.end <= n);
      if (valid.length === 0) return b;
      const node = valid[m.node % valid.length]!;
      switch (m.kind) {
        case 'length':
          return replace(
            b,
            node.start + 1,
            node.valueStart,
            newLength(m.form, node.end - node.valueStart, m.value),
          );
        case 'tag':
          return replace(b, node.start, node.start + 1, [m.value]);
        case 'duplicate':
          return replace(b, node.end, node.end, b.subarray(node.start, node.end));
        case 'wrap': {
          // The element re-wrapped in `depth` SEQUENCE headers: definite (correct lengths) or indefinite.
          let el: Uint8Array = b.slice(node.start, node.end);
          for (let i = 0; i < m.depth; i++) {
            el = m.indefinite
              ? Uint8Array.from([0x30, 0x80, ...el, 0x00, 0x00])
              : Uint8Array.from([0x30, ...minimalLength(el.length), ...el]);
          }
          return replace(b, node.start, node.end, el);
        }
      }
    }
  }
}

/** Applies mutations in order; headers are those of the original input (later ones may miss, which is fine). */
export function mutate(
  input: Uint8Array,
  ms: readonly Mutation[],
  nodes: readonly Node[] = tlvNodes(input),
): Uint8Array {
  let b = input;
  for (const m of ms) b = applyMutation(b, m, nodes);
  return b;
}

/** Text mutations: character-level edits biased towards the characters PEM and DN parsers care about. */
export type TextMutation =
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'delete'; readonly at: number; readonly count: number }
  | { readonly kind: 'replace'; readonly at: number; readonly text: string }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'duplicate'; readonly at: number; readonly count: number };

const SPECIAL = [
  '-',
  '-----',
  '-----BEGIN ',
  '-----END ',
  '\n',
  '\r\n',
  ' ',
  '=',
  '==',
  ':',
  'Proc-Type: 4,ENCRYPTED\n',
  '\\',
  '"',
  ',',
  '+',
  '#',
  '\u0000',
  '\uffff',
  '😀',
  'é',
];

/**
 * 1 to `max` text edits (insert, delete, replace, truncate, duplicate) at any offset; inserted and
 * replacing text from `text` (default: PEM/JSON-ish specials, short strings, lone surrogates).
 */
export function textMutationsArb(
  max = 3,
  text: fc.Arbitrary<string> = fc.oneof(
    fc.constantFrom(...SPECIAL),
    fc.string({ maxLength: 8 }),
    fc.string({ unit: 'binary', maxLength: 4 }),
  ),
): fc.Arbitrary<TextMutation[]> {
  const at = fc.nat();
  const one: fc.Arbitrary<TextMutation> = fc.oneof(
    fc.record({ kind: fc.constant('insert' as const), at, text }),
    fc.record({ kind: fc.constant('delete' as const), at, count: fc.integer({ min: 1, max: 16 }) }),
    fc.record({ kind: fc.constant('replace' as const), at, text }),
    fc.record({ kind: fc.constant('truncate' as const), at }),
    fc.record({ kind: fc.constant('duplicate' as const), at, count: fc.integer({ min: 1, max: 80 }) }),
  );
  return fc.array(one, { minLength: 1, maxLength: max });
}

export function mutateText(input: string, ms: readonly TextMutation[]): string {
  let s = input;
  for (const m of ms) {
    const n = s.length;
    const at = m.at % (n + 1);
    switch (m.kind) {
      case 'insert':
        s = s.slice(0, at) + m.text + s.slice(at);
        break;
      case 'delete':
        s = s.slice(0, at) + s.slice(at + m.count);
        break;
      case 'replace':
        s = s.slice(0, at) + m.text + s.slice(at + m.text.length);
        break;
      case 'truncate':
        s = s.slice(0, at);
        break;
      case 'duplicate':
        s = s.slice(0, at + m.count) + s.slice(at, at + m.count) + s.slice(at + m.count);
        break;
    }
  }
  return s;
}

/** `depth` nested SEQUENCE headers with correct, minimal definite lengths and an empty innermost content. */
export function nestedDefinite(targetSize: number, tag = 0x30): Uint8Array {
  const contentLengths = [0];
  while (contentLengths[contentLengths.length - 1]! < targetSize) {
    const l = contentLengths[contentLengths.length - 1]!;
    contentLengths.push(l + 1 + minimalLength(l).length);
  }
  const total = contentLengths.pop()!;
  const out = new Uint8Array(total);
  let off = 0;
  for (let k = contentLengths.length - 1; k >= 0; k--) {
    const len = minimalLength(contentLengths[k]!);
    out[off++] = tag;
    out.set(len, off);
    off += len.length;
  }
  return out;
}

/** `count` repetitions of `header` (e.g. `30 80` or `30 84 ff ff ff ff`). */
export function repeatedHeaders(header: readonly number[], count: number): Uint8Array {
  const out = new Uint8Array(header.length * count);
  for (let i = 0; i < count; i++) out.set(header, i * header.length);
  return out;
}

/** `inner` wrapped in `depth` SEQUENCE (or `tag`) headers with correct, minimal definite lengths. */
export function wrapDefinite(inner: Uint8Array, depth: number, tag = 0x30): Uint8Array {
  const lens = [inner.length];
  for (let i = 0; i < depth; i++) {
    const l = lens[lens.length - 1]!;
    lens.push(l + 1 + minimalLength(l).length);
  }
  const out = new Uint8Array(lens[depth]!);
  let off = 0;
  for (let k = depth - 1; k >= 0; k--) {
    const len = minimalLength(lens[k]!);
    out[off++] = tag;
    out.set(len, off);
    off += len.length;
  }
  out.set(inner, off);
  return out;
}
