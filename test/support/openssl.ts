// Running the OpenSSL CLI from tests, and reading what it prints. Only what the interop tests
// need: `-text` extension blocks, `-serial -subject -dates` fields and `asn1parse` lines.

import { spawnSync } from 'node:child_process';

/** What one `openssl` run produced. */
export interface OpensslRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout as bytes (for `-outform DER`). */
  readonly bytes: Uint8Array;
}

/** Runs `openssl args...` and returns whatever happened (never throws for a non-zero exit). */
export function runOpenssl(
  args: readonly string[],
  options: { input?: string | Uint8Array; cwd?: string } = {},
): OpensslRun {
  const r = spawnSync('openssl', args, {
    cwd: options.cwd,
    input: options.input,
    maxBuffer: 64 * 1024 * 1024,
    // A fixed locale keeps the output format stable; an empty password never comes from a TTY.
    env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  if (r.error) throw r.error;
  const out = r.stdout ?? Buffer.alloc(0);
  return {
    status: r.status ?? -1,
    stdout: out.toString('utf8'),
    stderr: (r.stderr ?? Buffer.alloc(0)).toString('utf8'),
    bytes: new Uint8Array(out),
  };
}

/** Runs `openssl args...`; throws with its stderr when it exits non-zero. Returns stdout. */
export function openssl(
  args: readonly string[],
  options: { input?: string | Uint8Array; cwd?: string } = {},
): string {
  return opensslRun(args, options).stdout;
}

/** Like {@link openssl} but returns the whole run (stdout, stderr). */
export function opensslRun(
  args: readonly string[],
  options: { input?: string | Uint8Array; cwd?: string } = {},
): OpensslRun {
  const r = runOpenssl(args, options);
  if (r.status !== 0)
    throw new Error(`openssl ${args.join(' ')} exited with ${r.status}:\n${r.stderr}${r.stdout}`);
  return r;
}

/** Like {@link openssl} but returns stdout as bytes (for `-outform DER`). */
export function opensslBytes(
  args: readonly string[],
  options: { input?: string | Uint8Array; cwd?: string } = {},
): Uint8Array {
  return opensslRun(args, options).bytes;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Parses the dates OpenSSL prints: `Jan  1 00:00:00 2025 GMT` or (`-dateopt iso_8601`) `2025-01-01 00:00:00Z`. */
export function parseOpensslDate(s: string): Date {
  const t = s.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})Z$/.exec(t);
  if (m) return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  m = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4}) GMT$/.exec(t);
  if (m) {
    const month = MONTHS.indexOf(m[1]!);
    if (month >= 0) return new Date(Date.UTC(+m[6]!, month, +m[2]!, +m[3]!, +m[4]!, +m[5]!));
  }
  throw new Error(`cannot read the OpenSSL date "${s}"`);
}

/** What `openssl x509 -noout -serial -subject -issuer -nameopt RFC2253 -dates` prints. */
export interface OpensslCertFields {
  /** Uppercase hex as OpenSSL prints it (no sign octet). */
  readonly serial: string;
  /** RFC 2253 strings, with non-ASCII escaped as \XX UTF-8 octets (OpenSSL's esc_msb). */
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** Reads serial, subject, issuer and dates of a certificate file the way OpenSSL sees them. */
export function opensslCertFields(certPath: string): OpensslCertFields {
  const out = openssl([
    'x509',
    '-in',
    certPath,
    '-noout',
    '-serial',
    '-subject',
    '-issuer',
    '-nameopt',
    'RFC2253',
    '-dates',
  ]);
  const field = (name: string): string => {
    const line = out.split('\n').find((l) => l.startsWith(`${name}=`));
    if (line === undefined) throw new Error(`openssl printed no ${name}=:\n${out}`);
    return line.slice(name.length + 1).replace(/\r$/, '');
  };
  return {
    serial: field('serial'),
    subject: field('subject'),
    issuer: field('issuer'),
    notBefore: parseOpensslDate(field('notBefore')),
    notAfter: parseOpensslDate(field('notAfter')),
  };
}

/** Reads the subject of a request file (`openssl req -noout -subject -nameopt RFC2253`). */
export function opensslCsrSubject(csrPath: string): string {
  const out = openssl(['req', '-in', csrPath, '-noout', '-subject', '-nameopt', 'RFC2253']);
  const line = out.split('\n').find((l) => l.startsWith('subject='));
  if (line === undefined) throw new Error(`openssl printed no subject=:\n${out}`);
  return line.slice('subject='.length).replace(/\r$/, '');
}

/** One extension as `-text` shows it. */
export interface TextExtension {
  readonly critical: boolean;
  /** Body lines, with the block's common indentation removed (deeper lines keep their extra indent). */
  readonly lines: string[];
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/**
 * The extensions in `openssl x509 -text` or `openssl req -text` output, by the name OpenSSL
 * prints (`X509v3 Subject Alternative Name`, `Authority Information Access`, or the dotted OID).
 * Lines that `-certopt ext_parse` prints at column 0 (asn1parse style) belong to the current block.
 */
export function textExtensions(text: string): Map<string, TextExtension> {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^\s*(X509v3 extensions|Requested Extensions):\s*$/.test(l));
  const out = new Map<string, TextExtension>();
  if (start < 0) return out;
  const base = indentOf(lines[start]!);
  let current: { critical: boolean; lines: string[]; indent: number } | undefined;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const ind = indentOf(line);
    const asn1 = /^\s*\d+:d=\d+/.test(line);
    if (!asn1 && ind <= base) break;
    if (!asn1 && ind === base + 4) {
      const m = /^\s*(.+?):\s*(critical)?\s*$/.exec(line);
      if (!m) throw new Error(`unexpected extension header: ${line}`);
      current = { critical: m[2] === 'critical', lines: [], indent: -1 };
      out.set(m[1]!, current);
      continue;
    }
    if (!current) continue;
    if (asn1) {
      current.lines.push(line.trim());
      continue;
    }
    if (current.indent < 0) current.indent = ind;
    current.lines.push(line.slice(Math.min(ind, current.indent)).trimEnd());
  }
  return new Map([...out].map(([k, v]) => [k, { critical: v.critical, lines: v.lines }]));
}

/** One line of `openssl asn1parse`. */
export interface Asn1Line {
  readonly offset: number;
  readonly depth: number;
  readonly headerLength: number;
  readonly length: number;
  readonly constructed: boolean;
  /** The type as OpenSSL names it: `SEQUENCE`, `OBJECT`, `cont [ 3 ]`, `OCTET STRING`, … */
  readonly type: string;
  /** What follows the `:` (an OID name, a string value, a hex dump), or ''. */
  readonly value: string;
}

/** Runs `openssl asn1parse -inform DER` on `der` and returns its lines. */
export function asn1parse(der: Uint8Array): Asn1Line[] {
  const out = openssl(['asn1parse', '-inform', 'DER'], { input: der });
  const lines: Asn1Line[] = [];
  for (const l of out.split('\n')) {
    const m = /^\s*(\d+):d=(\d+)\s+hl=(\d+)\s+l=\s*(\d+)\s+(prim|cons):\s*(.*?)\s*$/.exec(l);
    if (!m) continue;
    // "OBJECT            :commonName", "OCTET STRING      [HEX DUMP]:3003…", "cont [ 0 ]".
    const t = /^((?:cont|appl|priv) \[ *\d+ *\]|[A-Z0-9 ]*[A-Z0-9])\s*(\[HEX DUMP\])?\s*(?::(.*))?$/.exec(
      m[6]!,
    );
    if (!t) throw new Error(`cannot read the asn1parse line: ${l}`);
    lines.push({
      offset: +m[1]!,
      depth: +m[2]!,
      headerLength: +m[3]!,
      length: +m[4]!,
      constructed: m[5] === 'cons',
      type: t[1]!,
      value: t[2] ? `[HEX DUMP]:${t[3] ?? ''}` : (t[3] ?? ''),
    });
  }
  return lines;
}

/**
 * The extension values OpenSSL finds in a certificate or request: `asn1parse` output, each
 * OBJECT inside an Extension followed by (optional BOOLEAN and) the OCTET STRING hex dump.
 * Keys are OpenSSL's names for the OID (long name, or the dotted form when unknown to it).
 */
export function asn1ExtensionValues(der: Uint8Array): Map<string, { critical: boolean; hex: string }> {
  const lines = asn1parse(der);
  const out = new Map<string, { critical: boolean; hex: string }>();
  for (let i = 0; i + 1 < lines.length; i++) {
    const a = lines[i]!;
    if (a.type !== 'OBJECT') continue;
    let j = i + 1;
    let critical = false;
    if (lines[j]?.type === 'BOOLEAN' && lines[j]!.depth === a.depth) {
      critical = lines[j]!.value.trim() === '255';
      j++;
    }
    const v = lines[j];
    if (v && v.type === 'OCTET STRING' && v.depth === a.depth && v.value.startsWith('[HEX DUMP]:')) {
      out.set(a.value.trim(), { critical, hex: v.value.slice('[HEX DUMP]:'.length).trim().toUpperCase() });
    }
  }
  return out;
}

/** An IP address as OpenSSL 3 prints it in `-text`: IPv4 dotted, IPv6 as 8 uppercase groups without compression. */
export function opensslIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  const groups: string[] = [];
  for (let i = 0; i < bytes.length; i += 2)
    groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16).toUpperCase());
  return groups.join(':');
}

/** Colon-separated uppercase hex, as OpenSSL prints key identifiers. */
export function colonHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

/** OpenSSL's OtherName UPN display changed across 3.x (`othername: UPN::x` vs `othername: UPN:x`): compare on one form. */
export function normalizeUpn(line: string): string {
  return line.replace(/othername: ?UPN::?/g, 'othername:UPN:');
}
