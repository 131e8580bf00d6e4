// Malformed input files through the CLI's own file-reading commands (fast-check, fixed seed):
// `show`, `cert show`, `csr show`, `key show`, `crl show`, `convert` and `verify`, run in-process
// by `run(argv, io)` so that argument parsing and report-error's mapping are exercised. The inputs
// are valid files mutated: certificates (PEM, DER, a chain, an RSA one, and a CA and a leaf with
// every extension the reports decode), requests, private keys (PKCS#8, encrypted with the password
// given by --password or --password-file, RSA, JWK), a public key, CRLs (DER and PEM, a delta),
// a .p7b (DER and PEM), a .pfx, a serialized store (.sst: parsePkiInput's NUL-byte branch) and a
// PEM bundle. DER gets mutate.ts's byte and header mutations or edits that keep it well formed
// (an element given other content or tag, dropped or duplicated, lengths re-encoded), re-armoured
// when the file is PEM and re-framed in the .sst; text edits hit the armour, JWKs get
// json-mutate.ts's edits, and one file in ten comes on stdin. Then, not at random, every
// primitive element of a certificate, a CA, a request and two CRLs is emptied and given one odd
// content, so that each field the reports print meets an odd value.
// Each run finishes within a time bound with exit 0; or 2 with one `certlab: ` line, no stack
// trace and no JavaScript error text; or 1 only where the command documents it (--verify, crl show
// --serial, verify) and only as a returned status. Every error that reaches report-error (spied on
// below) is a CliError or a coded library error: an uncoded one (a TypeError from a formatter)
// would be shown as an unexpected failure, exit 1 with the bare message. `--format json` output
// parses and, for show, cert show and crl show, holds one record per object the library detects
// in the file. Some mutated files are accepted and some refused.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  authorityInfoAccess,
  basicConstraints,
  certificatePolicies,
  createCertificate,
  createCertsOnlyPkcs7,
  createCrl,
  createCsr,
  createPkcs12,
  crlDistributionPoints,
  decodePem,
  detectFormat,
  encodePem,
  encodePkcs7Pem,
  extKeyUsage,
  freshestCrl,
  generateKeyPair,
  inhibitAnyPolicy,
  issuerAltName,
  keyUsage,
  msApplicationPolicies,
  msCaVersion,
  msCertificateTemplate,
  msCertificateTemplateName,
  msNtdsCaSecurity,
  Name,
  nameConstraints,
  type PkiObjectKind,
  policyConstraints,
  policyMappings,
  smimeCapabilities,
  subjectAltName,
  subjectInfoAccess,
} from '@certlab/pki';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { attemptAsync, describeThrown, Outcomes } from '../../../test/support/coded.js';
import { cat, type Node, readNode, tlv } from '../../../test/support/der.js';
import {
  type Json,
  type JsonFileMutation,
  jsonFileMutationArb,
  mutateJsonFile,
} from '../../../test/support/json-mutate.js';
import {
  type Mutation,
  mutate,
  mutateText,
  mutationsArb,
  type TextMutation,
  textMutationsArb,
} from '../../../test/support/mutate.js';
import { CliError } from '../src/cli-error.js';
import { run } from '../src/index.js';
import { removeTempDirs, tempDir } from './helpers.js';
import { makePki, T0, T1 } from './pki-fixtures.js';

// Every error run() hands to describeError, so that a TypeError is told from a coded error even
// where both end in the same exit code.
const { reported } = vi.hoisted(() => ({ reported: [] as unknown[] }));
vi.mock('../src/report-error.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/report-error.js')>();
  return {
    ...original,
    describeError: (...a: Parameters<typeof original.describeError>) => {
      reported.push(a[0]);
      return original.describeError(...a);
    },
  };
});

const SEED = 20261214;
/** A run slower than this is a hang (PBKDF2 of an encrypted key or .pfx included). */
const MAX_MS = 5000;
const AT = '2025-06-01T00:00:00Z';
const KEY_PASS = 'key-Passw0rd';
const PFX_PASS = 'pfx-Passw0rd';

/** One valid input file; `form` says how it is mutated. */
interface Input {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly form: 'der' | 'pem' | 'sst' | 'json';
  /** The password the file needs, and the file holding it. */
  readonly password?: { readonly value: string; readonly file: string };
}

/**
 * An edit that keeps the DER well formed: one element of the tree (encapsulated OCTET STRING and
 * BIT STRING contents included) given other content, another tag, dropped or duplicated, every
 * length above it re-encoded. Such files parse far more often than raw byte mutations do, so the
 * reports walk names, extensions and times holding odd values.
 */
type TreeEdit =
  | { readonly kind: 'content'; readonly node: number; readonly value: Uint8Array }
  | { readonly kind: 'retag'; readonly node: number; readonly tag: number }
  | { readonly kind: 'drop'; readonly node: number }
  | { readonly kind: 'duplicate'; readonly node: number };

type FileMutation =
  | { readonly kind: 'der'; readonly block: number; readonly ms: Mutation[] }
  | { readonly kind: 'tree'; readonly block: number; readonly edits: TreeEdit[] }
  | { readonly kind: 'text'; readonly ms: TextMutation[] }
  | { readonly kind: 'json'; readonly m: JsonFileMutation };

/** A DER element: constructed (children), or primitive (value), or an OCTET/BIT STRING holding DER. */
interface Tree {
  tag: number;
  value?: Uint8Array;
  children?: Tree[];
  /** The children are the content of an OCTET STRING (0) or of a BIT STRING after its 00 octet (1). */
  wrapped?: 0 | 1;
}

/** The elements of `b[start, end)`, or undefined when they are not exactly a run of DER elements. */
function parseTrees(b: Uint8Array, start: number, end: number, depth = 0): Tree[] | undefined {
  const out: Tree[] = [];
  for (let p = start; p < end; ) {
    let n: Node;
    try {
      n = readNode(b, p);
    } catch {
      return undefined;
    }
    if (n.end > end) return undefined;
    const t: Tree = { tag: n.tag };
    const inner =
      depth > 40
        ? undefined
        : n.tag & 0x20
          ? parseTrees(b, n.valueStart, n.end, depth + 1)
          : n.tag === 0x04 && b[n.valueStart] === 0x30
            ? parseTrees(b, n.valueStart, n.end, depth + 1)
            : n.tag === 0x03 && b[n.valueStart] === 0 && b[n.valueStart + 1] === 0x30
              ? parseTrees(b, n.valueStart + 1, n.end, depth + 1)
              : undefined;
    if (inner) {
      t.children = inner;
      if (!(n.tag & 0x20)) t.wrapped = n.tag === 0x04 ? 0 : 1;
    } else t.value = b.slice(n.valueStart, n.end);
    out.push(t);
    p = n.end;
  }
  return out;
}

function encodeTree(t: Tree): Uint8Array {
  const body = t.children
    ? cat(...(t.wrapped === 1 ? [Uint8Array.of(0)] : []), ...t.children.map(encodeTree))
    : t.value!;
  return tlv(t.tag, body);
}

/** Every element with its parent's child list, depth first. */
function treeNodes(roots: Tree[]): { list: Tree[]; index: number }[] {
  const out: { list: Tree[]; index: number }[] = [];
  const walk = (list: Tree[]) =>
    list.forEach((t, index) => {
      out.push({ list, index });
      if (t.children) walk(t.children);
    });
  walk(roots);
  return out;
}

/** `der` with the tree edits applied; unchanged when it is not DER the tree reader follows. */
function editTree(der: Uint8Array, edits: readonly TreeEdit[]): Uint8Array {
  const roots = parseTrees(der, 0, der.length);
  if (!roots) return der;
  for (const e of edits) {
    const all = treeNodes(roots);
    // New content goes into a primitive element (a string, a number, a time, an OID): where the
    // reports read values. Other edits pick any element.
    const leaves = all.filter(({ list, index }) => list[index]!.value !== undefined);
    const nodes = e.kind === 'content' && leaves.length ? leaves : all;
    if (nodes.length === 0) break;
    const { list, index } = nodes[e.node % nodes.length]!;
    const t = list[index]!;
    switch (e.kind) {
      case 'content':
        list[index] = { tag: t.tag, value: e.value };
        break;
      case 'retag':
        t.tag = e.tag;
        break;
      case 'drop':
        list.splice(index, 1);
        break;
      case 'duplicate':
        list.splice(index, 0, structuredClone(t));
        break;
    }
  }
  return cat(...roots.map(encodeTree));
}

const enc = new TextEncoder();
/** Contents worth trying in any element: empty, one odd octet, texts and times of the wrong shape, long runs. */
const hostileContent: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.constantFrom(
    new Uint8Array(0),
    Uint8Array.of(0),
    Uint8Array.of(0xff),
    Uint8Array.of(0x80),
    Uint8Array.of(0, 0),
    Uint8Array.of(0x7f, ...new Array(40).fill(0xff)),
    Uint8Array.of(0x88, 0x37, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01),
    enc.encode('991332256099Z'),
    enc.encode('20251301000000Z'),
    enc.encode('250101000000+0100'),
    enc.encode('x'.repeat(5000)),
    enc.encode('é😀\u0000\u202e'),
    Uint8Array.of(0xd8, 0x00, 0xdc),
  ),
  fc.uint8Array({ maxLength: 24 }),
);
/** Universal tags an element may be given instead of its own: strings, times, numbers, OIDs. */
const RETAGS = [
  0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0a, 0x0c, 0x12, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1a, 0x1c, 0x1e, 0x30,
  0x31, 0x80, 0x82, 0x86, 0x87, 0xa0,
];

function treeEditsArb(): fc.Arbitrary<TreeEdit[]> {
  const node = fc.nat();
  return fc.array(
    fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record({ kind: fc.constant('content' as const), node, value: hostileContent }),
      },
      {
        weight: 2,
        arbitrary: fc.record({ kind: fc.constant('retag' as const), node, tag: fc.constantFrom(...RETAGS) }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), node }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), node }) },
    ),
    { minLength: 1, maxLength: 2 },
  );
}

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');
const utf8 = (b: Uint8Array) => new TextDecoder().decode(b);

/** A serialized store (.sst) of DER elements: [MS-OSHARED] 2.3.9.1, as store-sim writes it. */
function sstOf(elements: readonly { id: 32 | 33; der: Uint8Array }[]): Uint8Array {
  const parts: Buffer[] = [Buffer.from([0, 0, 0, 0, 0x43, 0x45, 0x52, 0x54])];
  for (const { id, der } of elements) {
    const head = Buffer.alloc(12);
    head.writeUInt32LE(id, 0);
    head.writeUInt32LE(1, 4);
    head.writeUInt32LE(der.length, 8);
    parts.push(head, Buffer.from(der));
  }
  parts.push(Buffer.alloc(12));
  return new Uint8Array(Buffer.concat(parts));
}

/** The elements of a valid .sst (as sstOf writes them). */
function sstElements(sst: Uint8Array): { id: 32 | 33; der: Uint8Array }[] {
  const out: { id: 32 | 33; der: Uint8Array }[] = [];
  const b = Buffer.from(sst);
  for (let at = 8; b.readUInt32LE(at) !== 0; ) {
    const len = b.readUInt32LE(at + 8);
    out.push({ id: b.readUInt32LE(at) as 32 | 33, der: sst.slice(at + 12, at + 12 + len) });
    at += 12 + len;
  }
  return out;
}

function fileMutationArb(input: Input): fc.Arbitrary<FileMutation> {
  const block = fc.nat();
  const der = fc.record({ kind: fc.constant('der' as const), block, ms: mutationsArb(2) });
  const tree = fc.record({ kind: fc.constant('tree' as const), block, edits: treeEditsArb() });
  const text = fc.record({ kind: fc.constant('text' as const), ms: textMutationsArb(2) });
  switch (input.form) {
    case 'der':
    case 'pem':
    case 'sst':
      return fc.oneof(
        { weight: 3, arbitrary: tree },
        { weight: 2, arbitrary: der },
        { weight: 1, arbitrary: text },
      );
    case 'json':
      return fc.record({ kind: fc.constant('json' as const), m: jsonFileMutationArb() });
  }
}

/**
 * The input mutated: its DER (one PEM block's, re-armoured, so that the parsers and the reports
 * behind the armour are reached; one element of an .sst, re-framed), or its text or bytes.
 */
function applyMutation(input: Input, m: FileMutation): Uint8Array {
  if (m.kind === 'json') return enc.encode(mutateJsonFile(JSON.parse(utf8(input.bytes)) as Json, m.m));
  if (m.kind === 'text') {
    if (input.form === 'pem') return enc.encode(mutateText(utf8(input.bytes), m.ms));
    return new Uint8Array(Buffer.from(mutateText(latin1(input.bytes), m.ms), 'latin1'));
  }
  const edit = (der: Uint8Array) => (m.kind === 'der' ? mutate(der, m.ms) : editTree(der, m.edits));
  switch (input.form) {
    case 'der':
      return edit(input.bytes);
    case 'pem': {
      const blocks = decodePem(utf8(input.bytes));
      const k = m.block % blocks.length;
      return enc.encode(blocks.map((b, i) => encodePem(b.label, i === k ? edit(b.bytes) : b.bytes)).join(''));
    }
    case 'sst': {
      const elements = sstElements(input.bytes);
      const k = m.block % elements.length;
      return sstOf(elements.map((e, i) => (i === k ? { id: e.id, der: edit(e.der) } : e)));
    }
    default:
      throw new Error(`no DER mutation for a ${input.form} input`);
  }
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  errors: unknown[];
}

let dir: string;

/** `certlab ...argv` in-process in `dir`; `stdin` is what a `-` argument reads. */
async function certlab(argv: string[], stdin?: Uint8Array): Promise<RunResult> {
  reported.length = 0;
  let stdout = '';
  let stderr = '';
  const text = (c: string | Uint8Array) => (typeof c === 'string' ? c : utf8(c));
  const code = await run(argv, {
    stdout: { write: (c: string | Uint8Array) => (stdout += text(c)) },
    stderr: { write: (c: string | Uint8Array) => (stderr += text(c)) },
    ...(stdin ? { stdin: Readable.from([Buffer.from(stdin)]) } : {}),
    cwd: dir,
    env: {},
  });
  return { code, stdout, stderr, errors: [...reported] };
}

/** The class and code of an error report-error maps on purpose; undefined for any other (a crash). */
function codedError(e: unknown): string | undefined {
  if (e instanceof CliError) return `CliError(${e.exitCode})`;
  if (!(e instanceof Error)) return undefined;
  const { code, syscall } = e as { code?: unknown; syscall?: unknown };
  if (typeof code !== 'string') return undefined;
  if (/^ERR_(PKI|STORE|CA|LAB)_/.test(code) && /^(Pki|Store|Ca|Lab)Error$/.test(e.constructor.name))
    return code;
  if (/^E[A-Z0-9]+$/.test(code) && typeof syscall === 'string') return code; // a file-system error
  return undefined;
}

/** What JavaScript says when code breaks: never part of a certlab message. */
const JS_ERROR_TEXT =
  /\b(TypeError|RangeError|ReferenceError|SyntaxError)\b|Cannot read propert|is not a function|is not iterable|Maximum call stack|Invalid (typed )?array length|Cannot (convert|mix) BigInt/;

/** Thrown by a run that refused its input as it should (exit 2), for attemptAsync's tally. */
class Refused extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}
const EXIT_1 = 'exit 1 (documented)';
const refused = (e: unknown) => (e instanceof Refused ? e.code : undefined);

interface Case {
  argv: string[];
  /** The command documents exit 1 for this form (a failed --verify, a serial not revoked…). */
  exit1: boolean;
  json: boolean;
  stdin?: Uint8Array;
  /** With --format json: how many records the output must hold (undefined: not known), and how to count them. */
  records?: { readonly expected: number | undefined; readonly count: (json: unknown) => number };
}

/** Checks one run; throws (failing the property, with the run shown) on anything out of bounds. */
function check(c: Case, r: RunResult): void {
  const shown = `certlab ${c.argv.join(' ')}\n→ exit ${r.code}\nstderr: ${r.stderr}\nerrors: ${r.errors
    .map((e) => (e instanceof Error ? (e.stack ?? describeThrown(e)) : describeThrown(e)))
    .join('\n')}`;
  expect([0, 1, 2], shown).toContain(r.code);
  for (const e of r.errors)
    expect(codedError(e), `uncoded ${describeThrown(e)}: an unexpected failure\n${shown}`).toBeDefined();
  expect(r.stderr, shown).not.toMatch(/\n\s+at \S/); // a stack trace
  expect(r.stderr, shown).not.toMatch(JS_ERROR_TEXT);
  if (r.code === 2) {
    expect(r.errors, shown).toHaveLength(1);
    expect(r.stderr, shown).toMatch(/^certlab: \S[^\n]*\n$/);
  } else {
    // Exit 0, or 1 as the command's answer: returned, never thrown.
    expect(r.errors, shown).toEqual([]);
    if (r.code === 1) {
      expect(c.exit1, `exit 1 where the command does not document it\n${shown}`).toBe(true);
      expect(r.stderr, shown).toMatch(/^(certlab: \S[^\n]*\n)?$/);
    }
    if (c.json && r.stdout !== '') expect(() => JSON.parse(r.stdout), shown).not.toThrow();
    if (c.json && r.code === 0) {
      const json: unknown = JSON.parse(r.stdout);
      // Every certificate or CRL of the file is shown, or the file is refused: none goes missing.
      if (c.records?.expected !== undefined) expect(c.records.count(json), shown).toBe(c.records.expected);
    }
  }
}

async function attempt(what: string, o: Outcomes, c: Case): Promise<void> {
  await attemptAsync(
    what,
    o,
    [refused],
    async () => {
      const r = await certlab(c.argv, c.stdin);
      check(c, r);
      if (r.code === 2) throw new Refused(codedError(r.errors[0]) ?? 'exit 2');
      if (r.code === 1) o.fail(EXIT_1);
      return r;
    },
    MAX_MS,
  );
}

/** How a command is called on the mutated file `file` (`-` for stdin); `pick` chooses among its forms. */
type Build = (
  file: string,
  input: Input,
  pick: number,
  json: boolean,
  bytes: Uint8Array,
) => Omit<Case, 'json' | 'stdin'>;

const format = (json: boolean) => (json ? ['--format', 'json'] : []);
const isJson = (argv: readonly string[]) => argv.some((a, i) => a === 'json' && argv[i - 1] === '--format');
/** The file's password by --password or --password-file (`pick` chooses), or none when it needs none. */
const passwordArgs = (input: Input, pick: number) =>
  input.password === undefined
    ? []
    : pick % 2 === 0
      ? ['--password', input.password.value]
      : ['--password-file', input.password.file];

const inputs = new Map<string, Input>();

/**
 * Mutates the inputs of `names` `numRuns` times, runs `build`'s command line on each, checks the
 * run, and that some were accepted and some refused.
 */
async function fuzz(what: string, names: readonly string[], build: Build, numRuns: number): Promise<void> {
  const o = new Outcomes();
  // Names, not the inputs, in the arbitrary: a counterexample then prints short.
  const arb = fc
    .constantFrom(...names)
    .chain((name) => fc.tuple(fc.constant(name), fileMutationArb(inputs.get(name)!)));
  await fc.assert(
    fc.asyncProperty(arb, fc.nat(), fc.boolean(), fc.nat(9), async ([name, m], pick, json, stdinDraw) => {
      const input = inputs.get(name)!;
      const bytes = applyMutation(input, m);
      // One run in ten reads the file from stdin.
      const onStdin = stdinDraw === 0;
      const file = onStdin ? '-' : `fuzz-${input.name}`;
      if (!onStdin) await writeFile(join(dir, file), bytes);
      const built = build(file, input, pick, json, bytes);
      const c: Case = { ...built, json: isJson(built.argv), ...(onStdin ? { stdin: bytes } : {}) };
      await attempt(what, o, c);
    }),
    { seed: SEED, numRuns },
  );
  expect(o.ok, `${what}: some mutated inputs are accepted`).toBeGreaterThan(0);
  expect(
    [...o.codes.keys()].filter((k) => k !== EXIT_1),
    `${what}: some mutated inputs are refused`,
  ).not.toEqual([]);
}

beforeAll(async () => {
  dir = await tempDir();
  const pki = await makePki(dir);
  // An issuing CA and a leaf with every extension the reports decode.
  const richIca = await createCertificate({
    subject: 'CN=Rich Issuing CA, OU=PKI, O=Contoso, L=Paris, ST=IDF, C=FR',
    publicKey: pki.icaK.publicKey,
    signingKey: pki.rootK.privateKey,
    issuer: pki.root,
    notBefore: T0,
    notAfter: T1,
    extensions: [
      basicConstraints({ ca: true, pathLength: 0 }),
      keyUsage(['keyCertSign', 'cRLSign', 'digitalSignature']),
      nameConstraints({
        permitted: [
          { base: { type: 'dns', value: 'contoso.com' } },
          { base: { type: 'ip', value: '10.0.0.0/8' } },
        ],
        excluded: [{ base: { type: 'email', value: 'evil.contoso.com' } }],
      }),
      policyConstraints({ requireExplicitPolicy: 0, inhibitPolicyMapping: 1 }),
      policyMappings([{ issuerDomainPolicy: '1.2.3.4', subjectDomainPolicy: '1.2.3.5' }]),
      inhibitAnyPolicy(2),
      msCaVersion({ certIndex: 1, keyIndex: 1 }),
      msCertificateTemplateName('SubCA'),
    ],
  });
  const uri = (value: string) => ({ type: 'uri' as const, value });
  const richLeaf = await createCertificate({
    subject: 'CN=web01.contoso.com, E=admin@contoso.com, O=Contoso, C=FR, SERIALNUMBER=42',
    publicKey: pki.leafK.publicKey,
    signingKey: pki.icaK.privateKey,
    issuer: richIca,
    serialNumber: '1A00000005E2C3F4B1D0000000005',
    notBefore: T0,
    notAfter: T1,
    extensions: [
      basicConstraints({ ca: false }, false),
      keyUsage(['digitalSignature', 'keyEncipherment']),
      extKeyUsage(['serverAuth', 'clientAuth', '1.3.6.1.4.1.311.20.2.2']),
      subjectAltName([
        { type: 'dns', value: 'web01.contoso.com' },
        { type: 'ip', value: '10.0.0.1' },
        { type: 'ip', value: '2001:db8::1' },
        { type: 'email', value: 'web01@contoso.com' },
        uri('https://web01.contoso.com/'),
        { type: 'upn', value: 'web01$@contoso.com' },
        { type: 'dirName', value: Name.parse('CN=web01, O=Contoso') },
        { type: 'registeredId', value: '1.2.3.4' },
      ]),
      issuerAltName([{ type: 'email', value: 'pki@contoso.com' }]),
      authorityInfoAccess([
        { method: 'caIssuers', location: uri('http://pki.contoso.com/ica.cer') },
        { method: 'ocsp', location: uri('http://ocsp.contoso.com') },
      ]),
      subjectInfoAccess([{ method: '1.3.6.1.5.5.7.48.5', location: uri('http://pki.contoso.com/repo') }]),
      crlDistributionPoints([
        { fullName: [uri('http://pki.contoso.com/ica.crl')] },
        { fullName: [uri('ldap:///CN=ica,CN=CDP')], reasons: ['keyCompromise', 'superseded'] },
      ]),
      freshestCrl([{ fullName: [uri('http://pki.contoso.com/ica+.crl')] }]),
      certificatePolicies([
        {
          policyId: '1.3.6.1.4.1.311.21.8.1.2',
          qualifiers: [
            { type: 'cps', uri: 'http://pki.contoso.com/cps' },
            {
              type: 'userNotice',
              noticeRef: { organization: 'Contoso', noticeNumbers: [1, 2] },
              explicitText: 'Contoso web servers',
            },
          ],
        },
        { policyId: '2.5.29.32.0' },
      ]),
      msCertificateTemplate({ templateId: '1.3.6.1.4.1.311.21.8.1.2', majorVersion: 100, minorVersion: 4 }),
      msApplicationPolicies(['serverAuth']),
      smimeCapabilities([
        { oid: '2.16.840.1.101.3.4.1.42' },
        { oid: '1.2.840.113549.3.2', parameters: Uint8Array.of(0x02, 0x02, 0x00, 0x80) },
      ]),
      msNtdsCaSecurity('S-1-5-21-3623811015-3361044348-30300820-1013'),
    ],
  });
  const rsa = await generateKeyPair({ type: 'rsa', bits: 2048 });
  const rsaCert = await createCertificate({
    subject: 'CN=RSA Root, O=Contoso',
    publicKey: rsa.publicKey,
    signingKey: rsa.privateKey,
    notBefore: T0,
    notAfter: T1,
    extensions: [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])],
    signature: { hash: 'SHA-256', pss: true },
  });
  const richCsr = await createCsr({
    subject: 'CN=exch01.contoso.com, O=Contoso, C=FR',
    privateKey: pki.leafK.privateKey,
    extensions: [
      subjectAltName([
        { type: 'dns', value: 'exch01.contoso.com' },
        { type: 'ip', value: '10.0.0.2' },
      ]),
      extKeyUsage(['serverAuth']),
      keyUsage(['digitalSignature']),
    ],
    challengePassword: 'challenge',
    template: 'WebServer',
  });
  const rsaCsr = await createCsr({ subject: 'CN=rsa.contoso.com', privateKey: rsa.privateKey });
  const deltaCrl = await createCrl({
    issuer: richIca,
    signingKey: pki.icaK.privateKey,
    thisUpdate: T0,
    nextUpdate: T1,
    crlNumber: 9,
    deltaCrlIndicator: 7,
    entries: [
      {
        serialNumber: richLeaf.serialNumber,
        revocationDate: T0,
        reason: 'removeFromCRL',
        certificateIssuer: [{ type: 'dirName', value: richIca.subject }],
      },
      { serialNumber: '01', revocationDate: T0, reason: 'cessationOfOperation' },
    ],
    issuingDistributionPoint: {
      fullName: [uri('http://pki.contoso.com/ica+.crl')],
      onlySomeReasons: ['keyCompromise'],
      indirectCRL: true,
    },
    freshestCrl: [{ fullName: [uri('http://pki.contoso.com/ica+.crl')] }],
  });
  const p7b = createCertsOnlyPkcs7([richLeaf, richIca, pki.root], { crls: [pki.crl] });
  const pfx = await createPkcs12({
    key: pki.leafK.privateKey,
    certificate: pki.leaf,
    chain: [pki.ica, pki.root],
    password: PFX_PASS,
    friendlyName: 'web01 2025',
    iterations: 1000,
  });
  const keyPass = { value: KEY_PASS, file: 'key-pass.txt' };
  const pfxPass = { value: PFX_PASS, file: 'pfx-pass.txt' };
  await writeFile(join(dir, keyPass.file), `${KEY_PASS}\n`);
  await writeFile(join(dir, pfxPass.file), `${PFX_PASS}\r\n`);
  const all: Input[] = [
    { name: 'leaf.pem', bytes: enc.encode(pki.leaf.toPem()), form: 'pem' },
    { name: 'rich.pem', bytes: enc.encode(richLeaf.toPem()), form: 'pem' },
    { name: 'rich.cer', bytes: richLeaf.der, form: 'der' },
    { name: 'rich-ica.cer', bytes: richIca.der, form: 'der' },
    { name: 'rsa.cer', bytes: rsaCert.der, form: 'der' },
    {
      name: 'chain.pem',
      bytes: enc.encode(richLeaf.toPem() + richIca.toPem() + pki.root.toPem()),
      form: 'pem',
    },
    { name: 'root.pem', bytes: enc.encode(pki.root.toPem()), form: 'pem' },
    { name: 'ica.cer', bytes: pki.ica.der, form: 'der' },
    { name: 'leaf.csr', bytes: enc.encode(richCsr.toPem()), form: 'pem' },
    { name: 'leaf.req', bytes: richCsr.der, form: 'der' },
    { name: 'rsa.csr', bytes: enc.encode(rsaCsr.toPem()), form: 'pem' },
    { name: 'leaf.key', bytes: enc.encode(await pki.leafK.privateKey.toPem()), form: 'pem' },
    {
      name: 'leaf-enc.key',
      bytes: enc.encode(await pki.leafK.privateKey.toPem({ password: KEY_PASS, iterations: 1000 })),
      form: 'pem',
      password: keyPass,
    },
    { name: 'rsa.key', bytes: enc.encode(await rsa.privateKey.toPem()), form: 'pem' },
    { name: 'leaf.jwk', bytes: enc.encode(JSON.stringify(await pki.leafK.privateKey.toJwk())), form: 'json' },
    { name: 'leaf.pub', bytes: enc.encode(pki.leafK.publicKey.toPem()), form: 'pem' },
    { name: 'ica.crl', bytes: pki.crl.der, form: 'der' },
    { name: 'delta.crl', bytes: enc.encode(deltaCrl.toPem()), form: 'pem' },
    { name: 'chain.p7b', bytes: p7b, form: 'der' },
    { name: 'chain-p7b.pem', bytes: enc.encode(encodePkcs7Pem(p7b, { eol: '\r\n' })), form: 'pem' },
    { name: 'web.pfx', bytes: pfx, form: 'der', password: pfxPass },
    {
      name: 'roots.sst',
      bytes: sstOf([
        { id: 32, der: richLeaf.der },
        { id: 32, der: pki.root.der },
        { id: 33, der: deltaCrl.der },
      ]),
      form: 'sst',
    },
    {
      name: 'bundle.pem',
      bytes: enc.encode(
        pki.leaf.toPem() + (await pki.leafK.privateKey.toPem()) + pki.crl.toPem() + rsaCsr.toPem(),
      ),
      form: 'pem',
    },
  ];
  for (const i of all) {
    inputs.set(i.name, i);
    await writeFile(join(dir, i.name), i.bytes);
  }
});
afterAll(removeTempDirs);

describe('the valid inputs', () => {
  it('each command reads them (exit 0, or 1 where it answers no)', async () => {
    const pw = (name: string) => passwordArgs(inputs.get(name)!, 0);
    const crl = ['--crl', 'ica.crl'];
    const cases: [string[], number][] = [
      ...[...inputs.keys()]
        .filter((n) => !n.endsWith('.jwk'))
        .map((n): [string[], number] => [['show', n, ...pw(n), '--format', 'json'], 0]),
      // The leaf and the CA of the chain are not checked without --issuer: --verify answers no.
      [['cert', 'show', 'chain.pem', '--verify'], 1],
      [['cert', 'show', 'rich.cer', '--issuer', 'rich-ica.cer', '--verify'], 0],
      [['csr', 'show', 'leaf.csr', '--verify', '--format', 'json'], 0],
      [['key', 'show', 'leaf-enc.key', '--password-file', 'key-pass.txt'], 0],
      [['key', 'show', 'leaf.jwk', '--format', 'json'], 0],
      [['crl', 'show', 'roots.sst', '--issuer', 'rich-ica.cer'], 0],
      [['crl', 'show', 'ica.crl', '--serial', '1A2B3C'], 0],
      [['crl', 'show', 'delta.crl', '--serial', '01', '--format', 'json'], 0],
      [
        [
          'convert',
          'web.pfx',
          '--password-file',
          'pfx-pass.txt',
          '--to',
          'pem',
          '--include-key',
          '--out',
          'o.pem',
        ],
        0,
      ],
      [['convert', 'chain.p7b', '--to', 'p7b-pem', '--out', 'o.p7b'], 0],
      [['verify', 'leaf.pem', '--trust', 'root.pem', '--untrusted', 'ica.cer', '--at', AT], 0],
      // The CRL revokes the leaf.
      [['verify', 'leaf.pem', '--trust', 'root.pem', '--untrusted', 'ica.cer', ...crl, '--at', AT], 1],
    ];
    for (const [argv, code] of cases) {
      const r = await certlab(argv);
      expect(r.code, `${argv.join(' ')}\n${r.stderr}`).toBe(code);
      check({ argv, exit1: code === 1, json: isJson(argv) }, r);
    }
  });
});

/** What the library detects in `bytes` (of `kind`), as the reference count of records; undefined when it reads nothing. */
function detectedCount(bytes: Uint8Array, kind?: PkiObjectKind): number | undefined {
  // An .sst, or UTF-16 text that readInput converts first, is not counted here.
  if (bytes[0] === 0 || bytes[0] === 0xff || bytes[0] === 0xfe) return undefined;
  try {
    return detectFormat(bytes).objects.filter((o) => kind === undefined || o.kind === kind).length;
  } catch {
    return undefined;
  }
}
const arrayLength = (json: unknown) => (json as unknown[]).length;

describe('mutated input files', () => {
  it('show: every kind of file', async () => {
    await fuzz(
      'show',
      [...inputs.keys()].filter((n) => !n.endsWith('.jwk')),
      (file, input, pick, json, bytes) => ({
        argv: ['show', file, ...passwordArgs(input, pick), ...format(json)],
        exit1: false,
        records: {
          expected: detectedCount(bytes),
          count: (j) => (j as { objects: unknown[] }).objects.length,
        },
      }),
      300,
    );
  });

  it('cert show: certificates, chains and .p7b files, with --issuer and --verify', async () => {
    const forms = [[], ['--verify'], ['--issuer', 'rich-ica.cer', '--verify'], ['--issuer', 'root.pem']];
    await fuzz(
      'cert show',
      [
        ...['leaf.pem', 'rich.pem', 'rich.cer', 'rich-ica.cer', 'rsa.cer', 'chain.pem', 'ica.cer'],
        ...['chain.p7b', 'chain-p7b.pem'],
      ],
      (file, input, pick, json, bytes) => {
        const extra = forms[pick % forms.length]!;
        return {
          argv: ['cert', 'show', file, ...extra, ...format(json)],
          exit1: extra.includes('--verify'),
          // detectFormat counts a .p7b as one object: its certificates are not counted here.
          ...(input.name.includes('p7b')
            ? {}
            : { records: { expected: detectedCount(bytes, 'certificate'), count: arrayLength } }),
        };
      },
      250,
    );
  });

  it('csr show: PEM and DER requests, with --verify', async () => {
    await fuzz(
      'csr show',
      ['leaf.csr', 'leaf.req', 'rsa.csr'],
      (file, _input, pick, json) => ({
        argv: ['csr', 'show', file, ...(pick % 2 ? ['--verify'] : []), ...format(json)],
        exit1: pick % 2 === 1,
      }),
      150,
    );
  });

  it('key show: plain, encrypted (password given or in a file), RSA, JWK and public keys', async () => {
    await fuzz(
      'key show',
      ['leaf.key', 'leaf-enc.key', 'rsa.key', 'leaf.jwk', 'leaf.pub'],
      (file, input, pick, json) => ({
        argv: ['key', 'show', file, ...passwordArgs(input, pick), ...format(json)],
        exit1: false,
      }),
      200,
    );
  });

  it('crl show: DER, PEM, .p7b and .sst, with --issuer or --serial', async () => {
    const forms = [
      [],
      ['--issuer', 'ica.cer'],
      ['--serial', '1A2B3C'],
      ['--serial', '1a:00:00:00:05:e2:c3:f4:b1:d0:00:00:00:00:05'],
      ['--serial', '01'],
    ];
    await fuzz(
      'crl show',
      ['ica.crl', 'delta.crl', 'chain.p7b', 'roots.sst'],
      (file, input, pick, json, bytes) => {
        const extra = forms[pick % forms.length]!;
        return {
          argv: ['crl', 'show', file, ...extra, ...format(json)],
          exit1: extra[0] === '--serial',
          ...(extra[0] !== '--serial' && input.name.endsWith('.crl')
            ? { records: { expected: detectedCount(bytes, 'crl'), count: arrayLength } }
            : {}),
        };
      },
      200,
    );
  });

  it('convert: to pem, der, p7b, p7b-pem and pfx', async () => {
    await fuzz(
      'convert',
      [
        ...['leaf.pem', 'chain.pem', 'ica.cer', 'chain.p7b', 'chain-p7b.pem', 'web.pfx', 'leaf.csr'],
        ...['ica.crl', 'leaf-enc.key', 'bundle.pem', 'roots.sst'],
      ],
      (file, input, pick) => {
        const to = (['pem', 'der', 'p7b', 'p7b-pem', 'pfx'] as const)[pick % 5]!;
        const extra =
          to === 'pfx'
            ? [
                ...(input.name === 'web.pfx' || input.name === 'leaf-enc.key' ? [] : ['--key', 'leaf.key']),
                ...['--pfx-password', 'new-Passw0rd'],
                ...(pick % 3 === 0 ? ['--pfx-profile', 'legacy'] : []),
              ]
            : to === 'pem' && pick % 2 === 0
              ? ['--include-key']
              : [];
        return {
          argv: [
            ...['convert', file, '--to', to, ...passwordArgs(input, pick >> 3), ...extra],
            // One run in four writes to stdout (the summary then goes to stderr).
            ...['--out', (pick >> 4) % 4 === 0 ? '-' : `out.${to}`, '--force'],
          ],
          exit1: false,
        };
      },
      200,
    );
  });

  it('verify: the leaf, a trust anchor, an intermediate or a CRL mutated', async () => {
    const files = { leaf: 'leaf.pem', trust: 'root.pem', untrusted: 'ica.cer', crl: 'ica.crl' };
    const forms = [[], ['--purpose', 'serverAuth', '--host', 'web01.contoso.com'], ['--require-revocation']];
    await fuzz(
      'verify',
      ['leaf.pem', 'root.pem', 'ica.cer', 'chain.p7b', 'ica.crl', 'delta.crl'],
      (file, input, pick, json) => {
        const role =
          input.name === 'leaf.pem'
            ? 'leaf'
            : input.name === 'root.pem'
              ? 'trust'
              : input.name.endsWith('.crl')
                ? 'crl'
                : 'untrusted';
        const f = { ...files, [role]: file };
        const crl = role === 'crl' || pick % 2 === 0 ? ['--crl', f.crl] : [];
        return {
          argv: [
            ...['verify', f.leaf, '--trust', f.trust, '--untrusted', f.untrusted, ...crl, '--at', AT],
            ...forms[pick % forms.length]!,
            ...format(json),
          ],
          // Exit 1 is verify's answer for a path that does not validate.
          exit1: true,
        };
      },
      200,
    );
  });
});

describe('every element given odd content', () => {
  /** Second contents, in turn: a NUL, high octets, a long text, text with controls, a bad time, a huge number. */
  const ODD = [
    Uint8Array.of(0),
    Uint8Array.of(0xff, 0x80),
    enc.encode('x'.repeat(300)),
    enc.encode('é😀\u0000\u202e'),
    enc.encode('991332256099Z'),
    Uint8Array.of(0x7f, ...new Array(40).fill(0xff)),
  ];
  const der = (name: string) => {
    const i = inputs.get(name)!;
    return i.form === 'pem' ? decodePem(utf8(i.bytes))[0]!.bytes : i.bytes;
  };

  // Not random: each primitive element of a certificate, a request and CRLs in turn, emptied and
  // given one other content, so that every field the reports print is reached with an odd value.
  it.each([
    ['rich.cer', (f: string, k: number) => (k % 2 ? ['cert', 'show', f, '--format', 'json'] : ['show', f])],
    ['rich-ica.cer', (f: string, k: number) => ['cert', 'show', f, ...(k % 2 ? ['--format', 'json'] : [])]],
    ['rsa.cer', (f: string, k: number) => ['show', f, ...(k % 2 ? ['--format', 'json'] : [])]],
    ['leaf.req', (f: string, k: number) => ['csr', 'show', f, ...(k % 2 ? ['--format', 'json'] : [])]],
    ['ica.crl', (f: string, k: number) => ['crl', 'show', f, ...(k % 2 ? ['--format', 'json'] : [])]],
    ['delta.crl', (f: string, k: number) => ['show', f, ...(k % 2 ? ['--format', 'json'] : [])]],
  ])('%s', async (name, argvOf) => {
    const o = new Outcomes();
    const valid = der(name);
    const roots = parseTrees(valid, 0, valid.length)!;
    const count = treeNodes(roots).filter(({ list, index }) => list[index]!.value !== undefined).length;
    const file = `sweep-${name}`;
    for (let k = 0; k < count; k++) {
      for (const value of [new Uint8Array(0), ODD[k % ODD.length]!]) {
        await writeFile(join(dir, file), editTree(valid, [{ kind: 'content', node: k, value }]));
        const argv = argvOf(file, k);
        await attempt(`${argv.slice(0, 2).join(' ')} (element ${k})`, o, {
          argv,
          exit1: false,
          json: isJson(argv),
        });
      }
    }
    expect(o.ok, 'some edited files are accepted').toBeGreaterThan(0);
    expect(o.failed, 'some edited files are refused').toBeGreaterThan(0);
  });
});
