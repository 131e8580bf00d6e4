// A deliberately tiny DER reader/writer for tests: enough to split a certificate or request into
// its top-level parts and to splice re-encoded parts back. It is independent of the library's
// own DER code on purpose, so that a round trip through it checks the library, not itself.

/** One TLV found in `bytes`: `[start, end)` is the whole element, `[valueStart, end)` its content. */
export interface Node {
  readonly tag: number;
  readonly start: number;
  readonly valueStart: number;
  readonly end: number;
}

/** Reads the TLV at `pos` (single-octet tags, definite lengths up to 4 length octets). */
export function readNode(bytes: Uint8Array, pos = 0): Node {
  if (pos + 2 > bytes.length) throw new Error(`test DER: truncated at ${pos}`);
  const tag = bytes[pos]!;
  if ((tag & 0x1f) === 0x1f) throw new Error('test DER: high tag numbers are not supported');
  let p = pos + 1;
  let len = bytes[p++]!;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error('test DER: unsupported length form');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + bytes[p++]!;
  }
  const end = p + len;
  if (end > bytes.length) throw new Error('test DER: element overruns its buffer');
  return { tag, start: pos, valueStart: p, end };
}

/** The children of the constructed element `node`. */
export function childrenOf(bytes: Uint8Array, node: Node): Node[] {
  const out: Node[] = [];
  for (let p = node.valueStart; p < node.end; ) {
    const c = readNode(bytes, p);
    out.push(c);
    p = c.end;
  }
  return out;
}

/** The whole encoding of `node` (a copy). */
export function slice(bytes: Uint8Array, node: Node): Uint8Array {
  return bytes.slice(node.start, node.end);
}

/** The content octets of `node` (a copy). */
export function content(bytes: Uint8Array, node: Node): Uint8Array {
  return bytes.slice(node.valueStart, node.end);
}

/** The DER length octets for `len` (X.690 §10.1: minimal). */
export function lengthOctets(len: number): number[] {
  if (len < 0x80) return [len];
  const out: number[] = [];
  for (let v = len; v > 0; v = Math.floor(v / 256)) out.unshift(v % 256);
  return [0x80 | out.length, ...out];
}

/** Encodes one TLV. */
export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const len = parts.reduce((n, p) => n + p.length, 0);
  const head = [tag, ...lengthOctets(len)];
  const out = new Uint8Array(head.length + len);
  out.set(head, 0);
  let o = head.length;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** SEQUENCE of already encoded parts, in the given order. */
export function seq(...parts: Uint8Array[]): Uint8Array {
  return tlv(0x30, ...parts);
}

/** Concatenation. */
export function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Byte-array equality. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Uppercase hex, for readable assertion failures. */
export function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex').toUpperCase();
}

/** OBJECT IDENTIFIER from dotted decimal (X.690 §8.19). */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((a) => BigInt(a));
  const subs = [arcs[0]! * 40n + arcs[1]!, ...arcs.slice(2)];
  const out: number[] = [];
  for (const s of subs) {
    const tmp = [Number(s & 0x7fn)];
    for (let v = s >> 7n; v > 0n; v >>= 7n) tmp.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...tmp);
  }
  return tlv(0x06, Uint8Array.from(out));
}

/** RFC 5280 §4.1.2.5 time: UTCTime for 1950-2049, GeneralizedTime otherwise, seconds, `Z`. */
export function time(d: Date): Uint8Array {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const y = d.getUTCFullYear();
  const rest = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  const utc = y >= 1950 && y < 2050;
  return tlv(utc ? 0x17 : 0x18, new TextEncoder().encode(utc ? `${p(y % 100)}${rest}` : `${p(y, 4)}${rest}`));
}

/** Dotted decimal of OBJECT IDENTIFIER content octets. */
export function decodeOid(c: Uint8Array): string {
  const arcs: bigint[] = [];
  let v = 0n;
  for (const b of c) {
    v = (v << 7n) | BigInt(b & 0x7f);
    if ((b & 0x80) === 0) {
      arcs.push(v);
      v = 0n;
    }
  }
  const first = arcs.shift()!;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs].join('.');
}

/** An extension as found by this file's own reader. */
export interface RawExtension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Uint8Array;
}

function readExtensionList(der: Uint8Array, list: Node): RawExtension[] {
  return childrenOf(der, list).map((e) => {
    const kids = childrenOf(der, e);
    const critical = kids.length === 3 && der[kids[1]!.valueStart] === 0xff;
    return { oid: decodeOid(content(der, kids[0]!)), critical, value: content(der, kids[kids.length - 1]!) };
  });
}

/** The extensions of a certificate, read independently of the library. */
export function certificateExtensions(der: Uint8Array): RawExtension[] {
  const tbs = childrenOf(der, readNode(der))[0]!;
  const wrapper = childrenOf(der, tbs).find((n) => n.tag === 0xa3);
  return wrapper ? readExtensionList(der, childrenOf(der, wrapper)[0]!) : [];
}

/** The extensions in a request's extensionRequest attribute, read independently of the library. */
export function requestExtensions(der: Uint8Array): RawExtension[] {
  const info = childrenOf(der, readNode(der))[0]!;
  const attrs = childrenOf(der, info).find((n) => n.tag === 0xa0);
  if (!attrs) return [];
  for (const a of childrenOf(der, attrs)) {
    const [o, set] = childrenOf(der, a);
    if (decodeOid(content(der, o!)) === '1.2.840.113549.1.9.14')
      return readExtensionList(der, childrenOf(der, set!)[0]!);
  }
  return [];
}
