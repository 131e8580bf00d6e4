import { describe, expect, it } from 'vitest';
import { createCrl } from '../src/crl.js';
import { basicConstraints, keyUsage } from '../src/index.js';
import { verifyCertificate } from '../src/path/index.js';
import { AT, ca, codes, leaf, root } from './path-support.js';

describe('revocation against CRLs (RFC 5280 §6.3)', () => {
  async function setup() {
    const r = await root();
    const i = await ca(r, 'CN=ICA');
    const l = await leaf(i);
    return { r, i, l };
  }
  const crlOf = (
    issuer: Awaited<ReturnType<typeof root>>,
    serials: string[],
    extra: Record<string, unknown> = {},
  ) =>
    createCrl({
      issuer: issuer.cert,
      signingKey: issuer.keys.privateKey,
      thisUpdate: new Date(Date.UTC(2026, 4, 1)),
      nextUpdate: new Date(Date.UTC(2026, 6, 1)),
      crlNumber: 7,
      entries: serials.map((serialNumber) => ({
        serialNumber,
        revocationDate: new Date(Date.UTC(2026, 0, 1)),
      })),
      ...extra,
    });

  it('a revoked leaf is ERR_PATH_REVOKED; a good one passes', async () => {
    const { r, i, l } = await setup();
    const crl = await crlOf(i, [l.cert.serialNumber]);
    const res = await verifyCertificate(l.cert, {
      trustAnchors: [r.cert],
      intermediates: [i.cert],
      time: AT,
      crls: [crl],
    });
    expect(res.reasons).toContainEqual(expect.objectContaining({ code: 'ERR_PATH_REVOKED', index: 0 }));
    // Times in messages to the second, as X.509 has them (no ".000").
    const revoked = res.reasons.find((r) => r.code === 'ERR_PATH_REVOKED')!;
    expect(revoked.message).toMatch(/^The certificate was revoked on \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ[ .]/);
    const clean = await crlOf(i, ['01']);
    const ok = await verifyCertificate(l.cert, {
      trustAnchors: [r.cert],
      intermediates: [i.cert],
      time: AT,
      crls: [clean.der],
    });
    expect(ok.valid).toBe(true);
  });

  it('requireRevocation: a certificate no CRL covers is ERR_PATH_REVOCATION_UNKNOWN', async () => {
    const { r, i, l } = await setup();
    const forLeaf = await crlOf(i, []);
    const res = await verifyCertificate(l.cert, {
      trustAnchors: [r.cert],
      intermediates: [i.cert],
      time: AT,
      crls: [forLeaf],
      requireRevocation: true,
    });
    expect(res.reasons).toEqual([expect.objectContaining({ code: 'ERR_PATH_REVOCATION_UNKNOWN', index: 1 })]);
    const forIca = await crlOf(r, []);
    const ok = await verifyCertificate(l.cert, {
      trustAnchors: [r.cert],
      intermediates: [i.cert],
      time: AT,
      crls: [forLeaf, forIca],
      requireRevocation: true,
    });
    expect(ok.valid).toBe(true);
  });

  it('a CRL that does not verify, or is stale, fails closed', async () => {
    const { r, i, l } = await setup();
    const forged = await createCrl({
      issuer: i.cert,
      signingKey: r.keys.privateKey,
      thisUpdate: new Date(Date.UTC(2026, 4, 1)),
      nextUpdate: new Date(Date.UTC(2026, 6, 1)),
      crlNumber: 1,
    });
    const res = await verifyCertificate(l.cert, {
      trustAnchors: [r.cert],
      intermediates: [i.cert],
      time: AT,
      crls: [forged],
    });
    expect(codes(res)).toEqual(['ERR_PATH_REVOCATION_UNKNOWN']);
    const stale = await crlOf(i, [], { nextUpdate: new Date(Date.UTC(2026, 4, 2)) });
    const res2 = await verifyCertificate(l.cert, {
      trustAnchors: [r.cert],
      intermediates: [i.cert],
      time: AT,
      crls: [stale],
    });
    expect(codes(res2)).toEqual(['ERR_PATH_REVOCATION_UNKNOWN']);
  });

  it('an issuer whose keyUsage lacks cRLSign cannot vouch with a CRL', async () => {
    const r = await root();
    const i = await ca(r, 'CN=ICA', {
      extensions: [basicConstraints({ ca: true }), keyUsage(['keyCertSign'])],
    });
    const l = await leaf(i);
    const crl = await crlOf(i, []);
    const res = await verifyCertificate(l.cert, {
      trustAnchors: [r.cert],
      intermediates: [i.cert],
      time: AT,
      crls: [crl],
    });
    expect(codes(res)).toEqual(['ERR_PATH_REVOCATION_UNKNOWN']);
  });

  it('a delta CRL adds revocations on top of its base', async () => {
    const { r, i, l } = await setup();
    const base = await crlOf(i, []);
    const delta = await crlOf(i, [l.cert.serialNumber], { crlNumber: 8, deltaCrlIndicator: 7 });
    const res = await verifyCertificate(l.cert, {
      trustAnchors: [r.cert],
      intermediates: [i.cert],
      time: AT,
      crls: [base, delta],
    });
    expect(codes(res)).toEqual(['ERR_PATH_REVOKED']);
  });
});
