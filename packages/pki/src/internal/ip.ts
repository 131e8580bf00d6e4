// IP address text <-> octets for subjectAltName iPAddress (RFC 5280 §4.2.1.6) and name
// constraints (§4.2.1.10: address followed by mask). IPv6 text per RFC 5952.

export function parseIPv4(s: string): Uint8Array | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p, i) => p > 255 || (m[i + 1]!.length > 1 && m[i + 1]!.startsWith('0')))) return undefined;
  return Uint8Array.from(parts);
}

export function parseIPv6(s: string): Uint8Array | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.length > 45) return undefined;
  let head = s;
  let v4: Uint8Array | undefined;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.')) {
    v4 = parseIPv4(s.slice(lastColon + 1));
    if (!v4) return undefined;
    head = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const dbl = head.split('::');
  if (dbl.length > 2) return undefined;
  const toGroups = (p: string): number[] | undefined => {
    if (p === '') return [];
    const g = p.split(':');
    if (g.some((x) => !/^[0-9a-fA-F]{1,4}$/.test(x))) return undefined;
    return g.map((x) => Number.parseInt(x, 16));
  };
  const a = toGroups(dbl[0]!);
  const b = dbl.length === 2 ? toGroups(dbl[1]!) : [];
  if (!a || !b) return undefined;
  let groups: number[];
  if (dbl.length === 2) {
    const fill = 8 - a.length - b.length;
    if (fill < 1) return undefined;
    groups = [...a, ...new Array(fill).fill(0), ...b];
  } else groups = a;
  if (groups.length !== 8) return undefined;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  if (v4) out.set(v4, 12);
  return out;
}

/** Parses an IPv4 or IPv6 address; undefined when it is neither. */
export function parseIp(s: string): Uint8Array | undefined {
  return parseIPv4(s) ?? parseIPv6(s);
}

export function formatIp(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join('.');
  if (b.length !== 16) return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':');
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((b[i]! << 8) | b[i + 1]!);
  // RFC 5952 §4.2: compress the longest run (>= 2) of zero groups, the first on a tie.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Prefix length of a contiguous mask, or -1 when the mask is not contiguous. */
export function maskToPrefix(mask: Uint8Array): number {
  let bits = 0;
  let seenZero = false;
  for (const byte of mask) {
    for (let k = 7; k >= 0; k--) {
      if (byte & (1 << k)) {
        if (seenZero) return -1;
        bits++;
      } else seenZero = true;
    }
  }
  return bits;
}

export function prefixToMask(prefix: number, len: number): Uint8Array {
  const m = new Uint8Array(len);
  for (let i = 0; i < prefix; i++) m[i >> 3]! |= 0x80 >> (i & 7);
  return m;
}
