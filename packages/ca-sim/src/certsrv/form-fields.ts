// Reading certsrv form bodies and query strings the way ASP does, because real clients send
// things a strict parser rejects (certsrv reference §5.2: "must never answer 400"): invalid
// `%` escapes (`TargetStoreFlags=%!s(int=0)`), raw spaces, commas, colons and parentheses,
// bytes that are not UTF-8. Field names are case-insensitive, as in ASP's Request.Form and
// Request.QueryString collections (reference §1). Kept free of node: imports so that the page
// renderers and the browser-side code can share it.

/** At most this many fields are read from one body or query string; the rest is ignored. */
const MAX_FIELDS = 1000;

/**
 * The fields of a form body or query string, in the order they were sent. Names are matched
 * case-insensitively (reference §1: `Enc`, `ENC` and `enc` are one parameter).
 *
 * When a name occurs more than once, {@link FieldMap.get} returns the FIRST value. (ASP's
 * `Request.Form(name)` would return all values joined by `", "`; no certsrv client repeats a
 * field on purpose, and taking the first value keeps a `CertRequest` from being corrupted by a
 * stray duplicate.) {@link FieldMap.getAll} returns every value.
 *
 * @example
 * ```ts
 * const f = new FieldMap([['Mode', 'newreq'], ['mode', 'chkpnd']]);
 * f.get('MODE'); // 'newreq'
 * f.getAll('mode'); // ['newreq', 'chkpnd']
 * for (const [name, value] of f) console.log(name, value);
 * ```
 */
export class FieldMap implements Iterable<[string, string]> {
  readonly #entries: [string, string][] = [];
  readonly #byName = new Map<string, string[]>();

  /**
   * @param entries name/value pairs in order; names keep their spelling for iteration.
   *
   * @example
   * ```ts
   * const f = new FieldMap([['ReqID', '7']]);
   * ```
   */
  constructor(entries: Iterable<readonly [string, string]> = []) {
    for (const [name, value] of entries) {
      this.#entries.push([name, value]);
      const key = name.toLowerCase();
      const list = this.#byName.get(key);
      if (list) list.push(value);
      else this.#byName.set(key, [value]);
    }
  }

  /**
   * The first value sent under `name` (case-insensitive), or undefined.
   *
   * @example
   * ```ts
   * parseLenientUrlEncoded('Enc=b64').get('enc'); // 'b64'
   * ```
   */
  get(name: string): string | undefined {
    return this.#byName.get(name.toLowerCase())?.[0];
  }

  /**
   * Every value sent under `name` (case-insensitive), in order; empty when absent.
   *
   * @example
   * ```ts
   * parseLenientUrlEncoded('a=1&A=2').getAll('a'); // ['1', '2']
   * ```
   */
  getAll(name: string): string[] {
    return [...(this.#byName.get(name.toLowerCase()) ?? [])];
  }

  /**
   * Whether `name` was sent at all (case-insensitive), even with an empty value.
   *
   * @example
   * ```ts
   * parseLenientUrlEncoded('ThumbPrint=').has('thumbprint'); // true
   * ```
   */
  has(name: string): boolean {
    return this.#byName.has(name.toLowerCase());
  }

  /**
   * The number of fields (name/value pairs, duplicates counted), i.e. what iteration yields.
   *
   * @example
   * ```ts
   * parseLenientUrlEncoded('a=1&a=2&b=3').size; // 3
   * ```
   */
  get size(): number {
    return this.#entries.length;
  }

  /**
   * The fields as `[name, value]` pairs in the order they were sent, names as spelled.
   *
   * @example
   * ```ts
   * const pairs = [...parseQueryString('?ReqID=7&Enc=bin')]; // [['ReqID', '7'], ['Enc', 'bin']]
   * ```
   */
  *[Symbol.iterator](): IterableIterator<[string, string]> {
    for (const [name, value] of this.#entries) yield [name, value];
  }
}

const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/**
 * One name or value of a form body: `+` becomes a space and each valid `%XX` escape a byte;
 * runs of escaped bytes are read as UTF-8, an invalid sequence becoming U+FFFD. An invalid
 * escape (`%!s`, `%4`, a lone `%`) stays literally (reference §5.2). Decoding happens once:
 * `Saved-Request%2BCertificate` gives `Saved-Request+Certificate`. Never throws; linear time.
 *
 * @example
 * ```ts
 * decodeFormComponent('%!s(int=0)'); // '%!s(int=0)'
 * decodeFormComponent('Saved-Request%2BCertificate'); // 'Saved-Request+Certificate'
 * decodeFormComponent('a+b%C3%A9'); // 'a bé'
 * ```
 */
export function decodeFormComponent(text: string): string {
  if (!text.includes('%') && !text.includes('+')) return text;
  // Fast path: well-formed input (every `%` a valid escape, the escapes valid UTF-8) decodes the
  // same through the engine's decodeURIComponent; anything else throws and takes the lenient way.
  try {
    return decodeURIComponent(text.includes('+') ? text.replace(/\+/g, ' ') : text);
  } catch {
    // fall through
  }
  const n = text.length;
  // Decoding only ever shortens the text, so the output fits in n UTF-16 code units.
  const out = new Uint16Array(n);
  let o = 0;
  let i = 0;
  let bytes: Uint8Array | undefined;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x2b /* + */) {
      out[o++] = 0x20;
      i++;
    } else if (c === 0x25 /* % */ && isEscape(text, i)) {
      // A run of escapes is decoded at once, so that multi-byte UTF-8 sequences decode together.
      let j = i;
      while (isEscape(text, j)) j += 3;
      const count = (j - i) / 3;
      if (!bytes || bytes.length < count) bytes = new Uint8Array(Math.max(count, 256));
      let ascii = true;
      for (let k = 0; k < count; k++) {
        const at = i + k * 3;
        const b = (hexValue(text.charCodeAt(at + 1)) << 4) | hexValue(text.charCodeAt(at + 2));
        bytes[k] = b;
        if (b >= 0x80) ascii = false;
      }
      if (ascii) {
        for (let k = 0; k < count; k++) out[o++] = bytes[k] ?? 0;
      } else {
        // Invalid UTF-8 becomes U+FFFD; the result is never longer than the escapes.
        const decoded = decoder.decode(bytes.subarray(0, count));
        for (let k = 0; k < decoded.length; k++) out[o++] = decoded.charCodeAt(k);
      }
      i = j;
    } else {
      out[o++] = c;
      i++;
    }
  }
  return codeUnitsToString(out, o);
}

function isEscape(text: string, at: number): boolean {
  return (
    at + 2 < text.length &&
    text.charCodeAt(at) === 0x25 &&
    hexValue(text.charCodeAt(at + 1)) >= 0 &&
    hexValue(text.charCodeAt(at + 2)) >= 0
  );
}

/**
 * The string of the first `length` UTF-16 code units (lone surrogates kept exactly), built in chunks (one `fromCharCode` call
 * per unit would be slow, one for all of a 1 MB body would overflow the argument limit).
 *
 * @example
 * ```ts
 * codeUnitsToString(Uint16Array.of(0x41, 0x42, 0), 2); // 'AB'
 * ```
 */
export function codeUnitsToString(units: Uint16Array, length: number): string {
  let s = '';
  for (let at = 0; at < length; at += 8192) {
    s += String.fromCharCode.apply(
      null,
      units.subarray(at, Math.min(length, at + 8192)) as unknown as number[],
    );
  }
  return s;
}

/**
 * Parses an `application/x-www-form-urlencoded` body leniently (certsrv reference §5.2): split
 * on `&`, name and value separated by the first `=` (no `=`: empty value), both decoded with
 * {@link decodeFormComponent}. Fields with an empty name are skipped; after 1000 fields the
 * rest is ignored. Never throws, linear in the input length.
 *
 * @example
 * ```ts
 * const f = parseLenientUrlEncoded('Mode=newreq&TargetStoreFlags=%!s(int=0)&FriendlyType=Saved-Request%2BCertificate');
 * f.get('targetstoreflags'); // '%!s(int=0)'
 * f.get('FriendlyType'); // 'Saved-Request+Certificate'
 * ```
 */
export function parseLenientUrlEncoded(text: string): FieldMap {
  const entries: [string, string][] = [];
  const n = text.length;
  let start = 0;
  // The next `=` at or after `start`, remembered so that fields without `=` do not rescan the
  // rest of the input (keeps the parse linear).
  let eq = -2;
  while (start <= n && entries.length < MAX_FIELDS) {
    let end = text.indexOf('&', start);
    if (end < 0) end = n;
    if (end > start) {
      if (eq !== -1 && eq < start) eq = text.indexOf('=', start);
      const hasValue = eq >= 0 && eq < end;
      const name = decodeFormComponent(text.slice(start, hasValue ? eq : end));
      if (name !== '') {
        entries.push([name, hasValue ? decodeFormComponent(text.slice(eq + 1, end)) : '']);
      }
    }
    start = end + 1;
  }
  return new FieldMap(entries);
}

/**
 * Parses a URL query string with the same lenient rules as {@link parseLenientUrlEncoded};
 * a leading `?` is allowed (pass `url.search` directly).
 *
 * @example
 * ```ts
 * const q = parseQueryString('?ReqID=7&ENC=b64');
 * q.get('reqid'); // '7'
 * q.get('Enc'); // 'b64'
 * ```
 */
export function parseQueryString(search: string): FieldMap {
  return parseLenientUrlEncoded(search.startsWith('?') ? search.slice(1) : search);
}
