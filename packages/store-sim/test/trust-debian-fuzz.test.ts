// Malformed .crt files in the local administrator's directory of a Debian root (fast-check,
// fixed seed): debianTrust({ root }) over a temporary root, never the host's
// /usr/local/share/ca-certificates. list() reads every *.crt file people put there (PEM, bundles,
// DER, anything); a damaged one must not hide the others: every row of the intact files is
// listed as before, and the damaged file is listed too, by name, each of its certificate blocks
// with its thumbprint when it parses and without one when it does not (as debian.ts documents:
// "listed by name, not trusted"). Nothing throws, nothing hangs.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { encodePem, PkiError } from '@certlab/pki';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptAsync, coded, Outcomes } from '../../../test/support/coded.js';
import {
  type Mutation,
  mutate,
  mutateText,
  mutationsArb,
  type TextMutation,
  textMutationsArb,
} from '../../../test/support/mutate.js';
import { debianPaths, debianTrust, StoreError, type TrustedEntry } from '../src/index.js';
import { type Pki, pki } from './fixtures.js';

const SEED = 20261207;
const STORE_OR_PKI = [coded(StoreError, 'ERR_STORE_'), coded(PkiError, 'ERR_PKI_')];

let p: Pki;
let root: string;
let local: string;

beforeAll(async () => {
  p = await pki();
  root = await mkdtemp(join(tmpdir(), 'store-sim-debian-fuzz-'));
  local = debianPaths(root).localCertsDir;
  expect(local.startsWith(root)).toBe(true);
  // The intact files: certlab's own, a bundle with a comment, one in a subdirectory, a DER file
  // (listed by name, without a thumbprint: update-ca-certificates takes only PEM) and a non-.crt.
  const files: Record<string, string | Uint8Array> = {
    [`certlab-${await p.root.cert.thumbprint()}.crt`]: p.root.cert.toPem(),
    'bundle.crt': `# Contoso and Fabrikam\n${p.ica.cert.toPem()}\n${p.otherRoot.cert.toPem()}`,
    'sub/leaf.crt': p.leaf.cert.toPem().replace(/\n/g, '\r\n'),
    'der.crt': p.root.cert.der,
    'README.txt': 'not a certificate\n',
  };
  for (const [name, data] of Object.entries(files)) {
    await mkdir(dirname(join(local, name)), { recursive: true });
    await writeFile(join(local, name), data);
  }
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

type Damage =
  /** Text edits of the file (PEM markers, line ends, Base64). */
  | { kind: 'text'; ms: TextMutation[] }
  /** DER mutations of one certificate, written back as a well-formed PEM block. */
  | { kind: 'der'; block: number; ms: Mutation[] };

const damageArb: fc.Arbitrary<Damage> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('text' as const), ms: textMutationsArb(4) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('der' as const), block: fc.nat(), ms: mutationsArb(3) }),
  },
);

/** What the damaged file started as: one PEM, a bundle of two, another accepted label. */
const SOURCES = ['one', 'bundle', 'trusted'] as const;

function sourceCerts(source: (typeof SOURCES)[number]) {
  return source === 'bundle' ? [p.ica.cert, p.leaf.cert] : [p.root.cert];
}

function damaged(source: (typeof SOURCES)[number], d: Damage): string {
  const certs = sourceCerts(source);
  const label = source === 'trusted' ? 'TRUSTED CERTIFICATE' : 'CERTIFICATE';
  if (d.kind === 'text') return mutateText(certs.map((c) => encodePem(label, c.der)).join(''), d.ms);
  const k = d.block % certs.length;
  return certs
    .map((c, i) => encodePem(label, i === k ? mutate(new Uint8Array(c.der), d.ms) : c.der))
    .join('');
}

describe('debianTrust list over damaged .crt files', () => {
  it('a certificate whose subject does not parse is listed without a thumbprint; the others still are', async () => {
    // The subject's first RDN SET turned into an OCTET STRING: the certificate still reads (its
    // subject is parsed on first use), and list() used to throw ERR_PKI_DER_INVALID from there,
    // listing nothing of the directory.
    const c = p.otherRoot.cert;
    const der = new Uint8Array(c.der);
    const subject = c.subjectDer;
    const at = Buffer.from(der).lastIndexOf(Buffer.from(subject)); // the issuer comes first
    der[at + (subject[1]! < 0x80 ? 2 : 2 + (subject[1]! & 0x7f))] = 0x04;
    const path = join(local, 'broken-subject.crt');
    await writeFile(path, encodePem('CERTIFICATE', der));
    try {
      const rows = await debianTrust({ root }).list();
      expect(rows.filter((r) => r.name === 'broken-subject.crt')).toEqual([
        { name: 'broken-subject.crt', thumbprint: undefined, subject: undefined },
      ]);
      expect(rows.filter((r) => r.thumbprint !== undefined)).toHaveLength(4);
      expect(await debianTrust({ root }).isInstalled(p.root.cert)).toBe(true);
    } finally {
      await rm(path, { force: true });
    }
  });

  it('every row of the intact files stays; the damaged file is listed, readable blocks with their thumbprint', async () => {
    const o = new Outcomes();
    const deb = debianTrust({ root });
    const baseline = await deb.list();
    // The intact files' rows: one per certificate, the DER file without a thumbprint.
    expect(baseline.map((r) => r.name)).toEqual([
      'bundle.crt',
      'bundle.crt',
      `certlab-${await p.root.cert.thumbprint()}.crt`,
      'der.crt',
      'sub/leaf.crt',
    ]);
    expect(baseline.filter((r) => r.thumbprint === undefined).map((r) => r.name)).toEqual(['der.crt']);
    let readable = 0;
    let unreadable = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SOURCES),
        damageArb,
        fc.constantFrom('0-first.crt', 'damaged.crt', 'sub/damaged.crt', 'zz.crt'),
        async (source, d, name) => {
          const path = join(local, name);
          await writeFile(path, Buffer.from(damaged(source, d), 'latin1'));
          try {
            const rows = await attemptAsync('list', o, STORE_OR_PKI, () => deb.list());
            // A coded error would hide the intact files too: list must answer.
            expect(rows, `list answered (errors so far: ${[...o.codes.keys()].join(', ')})`).toBeDefined();
            expect(rows!.filter((r) => r.name !== name)).toEqual(baseline);
            const mine = rows!.filter((r) => r.name === name);
            expect(mine.length, 'the damaged file is listed').toBeGreaterThan(0);
            for (const r of mine as TrustedEntry[]) {
              expect(r.subject === undefined).toBe(r.thumbprint === undefined);
              if (r.thumbprint !== undefined) expect(r.thumbprint).toMatch(/^[0-9A-F]{40}$/);
            }
            if (mine.every((r) => r.thumbprint !== undefined)) readable++;
            else unreadable++;
            // The root of an intact file is still installed, whatever the damaged file holds.
            expect(
              await attemptAsync('isInstalled', o, STORE_OR_PKI, () => deb.isInstalled(p.otherRoot.cert)),
            ).toBe(true);
          } finally {
            await rm(path, { force: true });
          }
        },
      ),
      { seed: SEED, numRuns: 250 },
    );
    expect(o.failed, 'no error: a damaged file is listed, not thrown').toBe(0);
    expect(readable, 'some damaged files still list every block with a thumbprint').toBeGreaterThan(0);
    expect(unreadable, 'some list a block without one').toBeGreaterThan(0);
  });
});
