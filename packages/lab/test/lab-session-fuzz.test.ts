// The CA certificates a lab reads from DIR/ca/CertEnroll (session.caCertificates(): the `*.crt`
// files AD CS publishes, DER), damaged there (fast-check, fixed seed): one file at a time, with
// the DER mutations of mutate.ts (bit flips, truncation, TLV lengths and tags…) or as PEM text
// mutated. Reading gives the root and the issuing CA (each the intact file's certificate, or the
// damaged file read as it is), or a coded error within a time bound that says which file to
// restore, in both languages; a certificate that reads but is no longer the CA's is reported as
// missing from the folder. The file is restored after each run.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Certificate, PkiError, parseCertificate } from '@certlab/pki';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeThrown } from '../../../test/support/coded.js';
import { withFile } from '../../../test/support/files.js';
import { mutate, mutateText, mutationsArb, textMutationsArb } from '../../../test/support/mutate.js';
import { CERT_ENROLL, LabError, openLabSession, runLab } from '../src/index.js';

// FUZZ_SEED explores other inputs; the suite runs the fixed seed.
const SEED = Number(process.env.FUZZ_SEED) || 20261212;
const MAX_MS = 2000;
const ROOT = 'Contoso Root CA';
const ISSUING = 'Contoso Issuing CA';
const CRTS = [`ca01.contoso.com_${ISSUING}.crt`, `ca01.contoso.com_${ROOT}.crt`] as const;

let top: string;
let lab: string;
let certEnroll: string;
const crtBytes = new Map<string, Uint8Array>();

beforeAll(async () => {
  top = await mkdtemp(join(tmpdir(), 'certlab-lab-session-fuzz-'));
  lab = join(top, 'lab');
  await runLab({ exchange: '2010', dir: lab });
  certEnroll = join(lab, 'ca', CERT_ENROLL);
  for (const n of CRTS) crtBytes.set(n, new Uint8Array(await readFile(join(certEnroll, n))));
}, 60_000);

afterAll(async () => {
  await rm(top, { recursive: true, force: true });
});

const pem = (der: Uint8Array) =>
  `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;

/** The certificate in `bytes`, or undefined where it does not read. */
function certificateOf(bytes: Uint8Array): Certificate | undefined {
  try {
    return parseCertificate(bytes);
  } catch {
    return undefined;
  }
}

const equal = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/**
 * session.caCertificates() with `name` holding `damaged`: the CA's certificates (the intact ones,
 * or the damaged file as it reads), or a LabError / PkiError naming that file (a certificate that
 * reads but is not the CA's: ERR_LAB_NOT_FOUND naming the folder). Returns the outcome.
 */
async function readWithDamaged(name: string, damaged: Uint8Array): Promise<string> {
  const file = join(certEnroll, name);
  const session = await openLabSession(lab);
  const started = performance.now();
  let result: Awaited<ReturnType<typeof session.caCertificates>> | undefined;
  let error: unknown;
  try {
    result = await session.caCertificates();
  } catch (e) {
    error = e;
  }
  const ms = performance.now() - started;
  expect(ms, `${name}: caCertificates took ${Math.round(ms)} ms`).toBeLessThan(MAX_MS);
  if (error !== undefined) {
    const what = `${name}: ${describeThrown(error)}`;
    expect(
      (error instanceof LabError && error.code.startsWith('ERR_LAB_')) ||
        (error instanceof PkiError && error.code.startsWith('ERR_PKI_')),
      what,
    ).toBe(true);
    const code = (error as LabError | PkiError).code;
    // Which file to restore, in the lab's language and the other; the folder when no file is at fault.
    const where = code === 'ERR_LAB_NOT_FOUND' && certificateOf(damaged) !== undefined ? certEnroll : file;
    expect((error as Error).message, what).toContain(where);
    if (error instanceof LabError) {
      expect(error.messageIn('fr'), what).toContain(where);
      // The reason is kept: the parser's own error.
      if (where === file) expect(error.cause, what).toBeInstanceOf(PkiError);
    }
    return code;
  }
  const { root, issuing } = result!;
  expect(root.subject.commonName).toBe(ROOT);
  expect(issuing.subject.commonName).toBe(ISSUING);
  // Nothing invented: each is its file's certificate, the damaged one as it reads.
  for (const [cert, n] of [
    [root, CRTS[1]],
    [issuing, CRTS[0]],
  ] as const) {
    const expected = n === name ? damaged : crtBytes.get(n)!;
    expect(equal(cert.der, expected), `${n}: the certificate read is the file's`).toBe(true);
  }
  return 'certificates';
}

describe('the CA certificates of DIR/ca/CertEnroll', () => {
  it('the intact files: the root and the issuing CA', async () => {
    for (const n of CRTS) expect(await readWithDamaged(n, crtBytes.get(n)!)).toBe('certificates');
  });

  it('a mutated .crt (DER, or as PEM text): the certificates, or a coded error naming the file', async () => {
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...CRTS),
        fc.oneof(
          { weight: 4, arbitrary: fc.record({ kind: fc.constant('der' as const), ms: mutationsArb(3) }) },
          { weight: 1, arbitrary: fc.record({ kind: fc.constant('pem' as const), ms: textMutationsArb(3) }) },
        ),
        async (name, m) => {
          const der = crtBytes.get(name)!;
          const damaged =
            m.kind === 'der'
              ? mutate(der, m.ms)
              : new Uint8Array(Buffer.from(mutateText(pem(der), m.ms), 'latin1'));
          const outcome = await withFile(join(certEnroll, name), damaged, der, () =>
            readWithDamaged(name, damaged),
          );
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        },
      ),
      { seed: SEED, numRuns: 80 },
    );
    console.log('caCertificates:', Object.fromEntries(outcomes));
    // Not vacuous: some damage still reads, most is refused.
    expect(outcomes.get('certificates')).toBeGreaterThan(0);
    expect(outcomes.get('ERR_LAB_CONFIG_INVALID')).toBeGreaterThan(0);
  });

  it('a damaged issuing CA certificate (cut short, or a subject that does not decode): ERR_LAB_CONFIG_INVALID naming it, with the parser’s error as cause', async () => {
    const name = CRTS[0];
    const der = crtBytes.get(name)!;
    await withFile(join(certEnroll, name), der.subarray(0, 100), der, async () => {
      const session = await openLabSession(lab);
      const error = await session.caCertificates().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(LabError);
      expect(error).toMatchObject({
        code: 'ERR_LAB_CONFIG_INVALID',
        message: expect.stringContaining(join(certEnroll, name)),
        cause: expect.any(PkiError),
      });
    });
    // Parsed, but its subject does not decode (a Certificate decodes its names when first read):
    // refused the same way, not met later as a PkiError without the file's name.
    const subjectAt = Buffer.from(der).indexOf(Buffer.from(parseCertificate(der).subjectDer));
    const lazy = der.slice();
    lazy[subjectAt + 2] = 0x00; // the first RDN's SET tag (the subject's length is short-form)
    expect(() => parseCertificate(lazy)).not.toThrow();
    expect(() => parseCertificate(lazy).subject).toThrow(PkiError);
    await withFile(join(certEnroll, name), lazy, der, async () => {
      await expect((await openLabSession(lab)).caCertificates()).rejects.toMatchObject({
        code: 'ERR_LAB_CONFIG_INVALID',
        message: expect.stringContaining(join(certEnroll, name)),
      });
    });
    // Restored, a new session reads it again.
    expect((await (await openLabSession(lab)).caCertificates()).issuing.subject.commonName).toBe(ISSUING);
  });
});
