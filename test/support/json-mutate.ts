// Structure-aware mutations of JSON documents (configuration files, users files, JWKs, template
// lists) for property tests: a value anywhere in the tree replaced by a hostile one (null, a
// number, a huge or odd string, an array, an object, __proto__), a member deleted or added, an
// array element duplicated or dropped, and, for the file form, text mutations of the serialised
// document (mutate.ts's textMutationsArb). Paths are drawn as naturals and reduced modulo the
// number of places in the document, so one arbitrary works for every document.

import fc from 'fast-check';
import { mutateText, type TextMutation, textMutationsArb } from './mutate.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export type JsonEdit =
  | { readonly kind: 'replace'; readonly at: number; readonly value: Json }
  | { readonly kind: 'delete'; readonly at: number }
  | { readonly kind: 'add'; readonly at: number; readonly key: string; readonly value: Json }
  | { readonly kind: 'duplicate'; readonly at: number };

/** Values worth trying where another was. */
export const hostileJson: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    null,
    true,
    false,
    0,
    -1,
    1e308,
    Number.MAX_SAFE_INTEGER + 2,
    0.5,
    '',
    ' ',
    'constructor',
    '__proto__',
    'toString',
    '\u0000',
    '\ud800',
    'x'.repeat(10_000),
    [],
    [null],
    {},
    { __proto__: null } as unknown as Json,
  ),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.constant(null)), { maxLength: 3 }),
);

export function jsonEditsArb(max = 3): fc.Arbitrary<JsonEdit[]> {
  const at = fc.nat();
  const one: fc.Arbitrary<JsonEdit> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('replace' as const), at, value: hostileJson }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('add' as const),
        at,
        key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'extra', ''), fc.string({ maxLength: 6 })),
        value: hostileJson,
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), at }) },
  );
  return fc.array(one, { minLength: 1, maxLength: max });
}

type Place = { parent: Json[] | { [k: string]: Json } | undefined; key: string | number };

function places(root: Json): Place[] {
  const out: Place[] = [{ parent: undefined, key: '' }];
  const walk = (v: Json) => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        out.push({ parent: v, key: i });
        walk(x);
      });
    } else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        out.push({ parent: v, key: k });
        walk(v[k]!);
      }
    }
  };
  walk(root);
  return out;
}

/** Applies the edits to a deep copy of `doc` (`__proto__` keys become own properties, as JSON.parse makes them). */
export function mutateJson(doc: Json, edits: readonly JsonEdit[]): Json {
  let root = JSON.parse(JSON.stringify(doc)) as Json;
  for (const e of edits) {
    const ps = places(root);
    const p = ps[e.at % ps.length]!;
    const value = 'value' in e ? (JSON.parse(JSON.stringify(e.value)) as Json) : undefined;
    if (p.parent === undefined) {
      if (e.kind === 'replace') root = value!;
      else if (e.kind === 'add' && root !== null && typeof root === 'object' && !Array.isArray(root))
        Object.defineProperty(root, e.key, { value, enumerable: true, writable: true, configurable: true });
      continue;
    }
    const parent = p.parent;
    const cur = (parent as Record<string | number, Json>)[p.key]!;
    switch (e.kind) {
      case 'replace':
        (parent as Record<string | number, Json>)[p.key] = value!;
        break;
      case 'delete':
        if (Array.isArray(parent)) parent.splice(p.key as number, 1);
        else delete parent[p.key as string];
        break;
      case 'add':
        if (cur !== null && typeof cur === 'object' && !Array.isArray(cur))
          Object.defineProperty(cur, e.key, { value, enumerable: true, writable: true, configurable: true });
        else if (Array.isArray(cur)) cur.push(value!);
        break;
      case 'duplicate':
        if (Array.isArray(parent)) parent.splice(p.key as number, 0, JSON.parse(JSON.stringify(cur)) as Json);
        break;
    }
  }
  return root;
}

/** A JSON document's file text mutated: either structurally (then serialised) or as text. */
export type JsonFileMutation =
  | { readonly kind: 'json'; readonly edits: JsonEdit[] }
  | { readonly kind: 'text'; readonly edits: TextMutation[] }
  | { readonly kind: 'root'; readonly value: Json };

export function jsonFileMutationArb(): fc.Arbitrary<JsonFileMutation> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('json' as const), edits: jsonEditsArb() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('text' as const), edits: textMutationsArb() }) },
    // The whole document replaced: a file that is valid JSON but no object (null, a number, a list).
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('root' as const),
        value: fc.oneof(fc.constant(null), hostileJson),
      }),
    },
  );
}

export function mutateJsonFile(doc: Json, m: JsonFileMutation, indent = 2): string {
  const text = `${JSON.stringify(doc, null, indent)}\n`;
  switch (m.kind) {
    case 'json':
      return `${JSON.stringify(mutateJson(doc, m.edits), null, indent)}\n`;
    case 'text':
      return mutateText(text, m.edits);
    case 'root':
      return `${JSON.stringify(m.value)}\n`;
  }
}
