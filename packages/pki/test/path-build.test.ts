import { describe, expect, it } from 'vitest';
import {
  basicConstraints,
  type Certificate,
  createCertificate,
  extKeyUsage,
  keyUsage,
  subjectAltName,
} from '../src/index.js';
import { validatePath, verifyCertificate } from '../src/path/index.js';
import { AT, ca, codes, key, leaf, root, T0, T1 } from './path-support.js';

describe('verifyCertificate: building and §6.1 basics', () => {
  it('accepts a valid root -> ICA -> leaf chain and returns the path end-entity first', async () => {
    const r = await root();
    const i = await ca(r, 'CN=ICA');
    const l = await leaf(i);
    const res = await verifyCertificate(l.cert, {
      trustAnchors: [r.cert],
      intermediates: [i.cert],
      time: AT,
      purpose: 'serverAuth',
      host: 'www.contoso.com',
    });
    expect(res.reasons).toEqual([]);
    expect(res.valid).toBe(true);
    expect(res.path.map((c) => c.subject.toString())).toEqual(['CN=www.contoso.com', 'CN=ICA', 'CN=Root']);
  });

  it('accepts DER bytes, and reports unparseable bytes as ERR_PATH_MALFORMED', async () => {
    const r = await root();
    const l = await leaf(r);
    expect((await verifyCertificate(l.cert.der, { trustAnchors: [r.cert.der], time: AT })).valid).toBe(true);
    const bad = await verifyCertificate(l.cert.der.subarray(0, 40), { trustAnchors: [r.cert], time: AT });
    expect(bad.valid).toBe(false);
    expect(codes(bad)).toEqual(['ERR_PATH_MALFORMED']);
  });

  it('reports expiry and not-yet-valid at the chosen time, with the certificate index', async () => {
    const r = await root();
    const i = await ca(r, 'CN=ICA', { notAfter: new Date(Date.UTC(2026, 0, 1)) });
    const l = await leaf(i);
    const res = await verifyCertificate(l.cert, {
      trustAnchors: [r.cert],
      intermediates: [i.cert],
      time: AT,
    });
    expect(res.valid).toBe(false);
    expect(res.reasons).toContainEqual(expect.objectContaining({ code: 'ERR_PATH_EXPIRED', index: 1 }));
    expect(res.reasons.find((r) => r.code === 'ERR_PATH_EXPIRED')!.message).toMatch(
      /^The certificate expired at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\.$/,
    );
    const early = await verifyCertificate(l.cert, {
      trustAnchors: [r.cert],
      intermediates: [i.cert],
      time: new Date(Date.UTC(2024, 0, 1)),
    });
    expect(codes(early)).toContain('ERR_PATH_NOT_YET_VALID');
  });

  it('reports an untrusted self-signed root and a missing issuer', async () => {
    const r = await root();
    const other = await root('CN=Other Root', { slot: 5 });
    const i = await ca(r, 'CN=ICA');
    const l = await leaf(i);
    const res = await verifyCertificate(l.cert, {
      trustAnchors: [other.cert],
      intermediates: [i.cert, r.cert],
      time: AT,
    });
    expect(codes(res)).toEqual(['ERR_PATH_UNTRUSTED_ROOT']);
    const res2 = await verifyCertificate(l.cert, { trustAnchors: [r.cert], time: AT });
    expect(codes(res2)).toEqual(['ERR_PATH_NO_ISSUER']);
  });

  it('reports a signature that does not verify (same names, wrong key)', async () => {
    const r = await root();
    const impostor = await root('CN=Root', { slot: 6 });
    const l = await leaf(r);
    const res = await verifyCertificate(l.cert, { trustAnchors: [impostor.cert], time: AT });
    expect(codes(res)).toEqual(['ERR_PATH_SIGNATURE']);
  });

  it('rejects an intermediate that is not a CA or lacks keyCertSign', async () => {
    const r = await root();
    const notCa = await ca(r, 'CN=ICA', {
      extensions: [basicConstraints({ ca: false }), keyUsage(['keyCertSign'])],
    });
    const l = await leaf(notCa);
    const res = await verifyCertificate(l.cert, {
      trustAnchors: [r.cert],
      intermediates: [notCa.cert],
      time: AT,
    });
    expect(codes(res)).toContain('ERR_PATH_NOT_CA');
    const noKcs = await ca(r, 'CN=ICA', {
      extensions: [basicConstraints({ ca: true }), keyUsage(['digitalSignature'])],
    });
    const l2 = await leaf(noKcs);
    const res2 = await verifyCertificate(l2.cert, {
      trustAnchors: [r.cert],
      intermediates: [noKcs.cert],
      time: AT,
    });
    expect(codes(res2)).toContain('ERR_PATH_KEY_USAGE');
  });

  it('enforces pathLenConstraint, including the anchor’s, and not counting self-issued CAs', async () => {
    const r = await root('CN=Root', {
      extensions: [basicConstraints({ ca: true, pathLength: 0 }), keyUsage(['keyCertSign'])],
    });
    const i = await ca(r, 'CN=ICA');
    const l = await leaf(i);
    const res = await verifyCertificate(l.cert, {
      trustAnchors: [r.cert],
      intermediates: [i.cert],
      time: AT,
    });
    expect(codes(res)).toContain('ERR_PATH_LENGTH');
    const off = await verifyCertificate(l.cert, {
      trustAnchors: [r.cert],
      intermediates: [i.cert],
      time: AT,
      enforceAnchorConstraints: false,
    });
    expect(off.valid).toBe(true);

    const r2 = await root();
    const i1 = await ca(r2, 'CN=ICA', { pathLength: 0 });
    const i2 = await ca(r2, 'CN=ICA2', { slot: 2 });
    const i3 = await ca(i1, 'CN=ICA3', { slot: 3 });
    const l3 = await leaf(i3);
    const bad = await verifyCertificate(l3.cert, {
      trustAnchors: [r2.cert],
      intermediates: [i1.cert, i2.cert, i3.cert],
      time: AT,
    });
    expect(codes(bad)).toContain('ERR_PATH_LENGTH');
    // A self-issued intermediate (key rollover) does not count against pathLenConstraint 0.
    const rollover = await ca(i1, 'CN=ICA', { slot: 4 });
    const l4 = await leaf(rollover);
    const ok = await verifyCertificate(l4.cert, {
      trustAnchors: [r2.cert],
      intermediates: [i1.cert, rollover.cert],
      time: AT,
    });
    expect(ok.valid).toBe(true);
    expect(ok.path).toHaveLength(4);
  });

  it('checks the extended key usage for the purpose asked, in the leaf and in CAs', async () => {
    const r = await root();
    const l = await leaf(r, {
      extensions: [extKeyUsage(['clientAuth']), subjectAltName([{ type: 'dns', value: 'www.contoso.com' }])],
    });
    expect(
      (await verifyCertificate(l.cert, { trustAnchors: [r.cert], time: AT, purpose: 'clientAuth' })).valid,
    ).toBe(true);
    const res = await verifyCertificate(l.cert, { trustAnchors: [r.cert], time: AT, purpose: 'serverAuth' });
    expect(codes(res)).toEqual(['ERR_PATH_EKU']);
    expect(
      (await verifyCertificate(l.cert, { trustAnchors: [r.cert], time: AT, purpose: 'any' })).valid,
    ).toBe(true);
    const i = await ca(r, 'CN=ICA', {
      extensions: [basicConstraints({ ca: true }), keyUsage(['keyCertSign']), extKeyUsage(['clientAuth'])],
    });
    const l2 = await leaf(i);
    const res2 = await verifyCertificate(l2.cert, {
      trustAnchors: [r.cert],
      intermediates: [i.cert],
      time: AT,
      purpose: 'serverAuth',
    });
    expect(res2.reasons).toContainEqual(expect.objectContaining({ code: 'ERR_PATH_EKU', index: 1 }));
  });

  it('matches host names against SANs only, with left-most wildcards and IP addresses', async () => {
    const r = await root();
    const l = await leaf(r, {
      name: 'CN=cn-only.contoso.com',
      extensions: [
        subjectAltName([
          { type: 'dns', value: '*.contoso.com' },
          { type: 'ip', value: '10.0.0.5' },
        ]),
      ],
    });
    const check = async (host: string) =>
      (await verifyCertificate(l.cert, { trustAnchors: [r.cert], time: AT, host })).valid;
    expect(await check('www.contoso.com')).toBe(true);
    expect(await check('WWW.Contoso.COM')).toBe(true);
    expect(await check('a.b.contoso.com')).toBe(false);
    expect(await check('contoso.com')).toBe(false);
    expect(await check('10.0.0.5')).toBe(true);
    expect(await check('10.0.0.6')).toBe(false);
    // The CN is never used when matching.
    expect(await check('cn-only.contoso.com')).toBe(true); // covered by the wildcard SAN
    const noSan = await leaf(r, {
      name: 'CN=www.contoso.com',
      extensions: [basicConstraints({ ca: false })],
    });
    const res = await verifyCertificate(noSan.cert, {
      trustAnchors: [r.cert],
      time: AT,
      host: 'www.contoso.com',
    });
    expect(codes(res)).toEqual(['ERR_PATH_HOSTNAME']);
    // hostCommonNameFallback (CryptoAPI's SSL policy): the CN of a certificate without a SAN.
    const viaCn = await verifyCertificate(noSan.cert, {
      trustAnchors: [r.cert],
      time: AT,
      host: 'www.contoso.com',
      hostCommonNameFallback: true,
    });
    expect(codes(viaCn)).toEqual([]);
    expect(
      codes(
        await verifyCertificate(noSan.cert, {
          trustAnchors: [r.cert],
          time: AT,
          host: 'mail.contoso.com',
          hostCommonNameFallback: true,
        }),
      ),
    ).toEqual(['ERR_PATH_HOSTNAME']);
  });

  it('fails unknown critical extensions in the path but not in unused anchors', async () => {
    const r = await root();
    const weird = { oid: '1.3.6.1.4.1.55738.666.1', critical: true, value: Uint8Array.of(5, 0) };
    const l = await leaf(r, { extensions: [basicConstraints({ ca: false }), weird] });
    const res = await verifyCertificate(l.cert, { trustAnchors: [r.cert], time: AT });
    expect(res.reasons).toContainEqual(
      expect.objectContaining({ code: 'ERR_PATH_CRITICAL_EXTENSION', index: 0 }),
    );
    const unused = await root('CN=Unused', { slot: 7, extensions: [basicConstraints({ ca: true }), weird] });
    const l2 = await leaf(r);
    expect((await verifyCertificate(l2.cert, { trustAnchors: [unused.cert, r.cert], time: AT })).valid).toBe(
      true,
    );
  });

  it('prefers the shortest valid path and backtracks past an expired alternative', async () => {
    const r = await root();
    const cross = await root('CN=Cross Root', { slot: 5 });
    // ICA signed by the root, and a cross-certificate of the root by another root.
    const i = await ca(r, 'CN=ICA');
    const l = await leaf(i);
    const rootByCross = await ca(cross, 'CN=Root', { slot: 0 });
    const res = await verifyCertificate(l.cert, {
      trustAnchors: [cross.cert, r.cert],
      intermediates: [rootByCross.cert, i.cert],
      time: AT,
    });
    expect(res.valid).toBe(true);
    expect(res.path).toHaveLength(3);
    // An expired copy of the ICA is tried and skipped.
    const expired = await ca(r, 'CN=ICA', { notAfter: new Date(Date.UTC(2026, 0, 1)) });
    const res2 = await verifyCertificate(l.cert, {
      trustAnchors: [r.cert],
      intermediates: [expired.cert, i.cert],
      time: AT,
    });
    expect(res2.valid).toBe(true);
    expect(res2.path[1]!.equals(i.cert)).toBe(true);
  });

  it('uses a certificate source for missing intermediates', async () => {
    const r = await root();
    const i = await ca(r, 'CN=ICA');
    const l = await leaf(i);
    const res = await verifyCertificate(l.cert, {
      trustAnchors: [r.cert],
      source: { findIssuers: () => [i.cert] },
      time: AT,
    });
    expect(res.valid).toBe(true);
  });

  it('validatePath checks a fixed path, and maxDepth limits intermediates', async () => {
    const r = await root();
    const i = await ca(r, 'CN=ICA');
    const l = await leaf(i);
    expect(await validatePath([l.cert, i.cert, r.cert], { time: AT })).toEqual([]);
    const deep = await verifyCertificate(l.cert, {
      trustAnchors: [r.cert],
      intermediates: [i.cert],
      time: AT,
      maxDepth: 0,
    });
    expect(deep.valid).toBe(false);
  });
});

describe('verifyCertificate and validatePath: misuse is a TypeError, never a skipped check', () => {
  it('an invalid time, an unknown purpose and CRLs given as text throw instead of passing', async () => {
    const r = await root();
    const i = await ca(r, 'CN=ICA');
    // clientAuth only, expired at T1: each wrong option below used to let it through.
    const l = await leaf(i, { extensions: [basicConstraints({ ca: false }), extKeyUsage(['clientAuth'])] });
    const base = { trustAnchors: [r.cert], intermediates: [i.cert] };
    const late = new Date(T1.getTime() + 86_400_000);
    expect(codes(await verifyCertificate(l.cert, { ...base, time: late }))).toContain('ERR_PATH_EXPIRED');
    expect(codes(await verifyCertificate(l.cert, { ...base, time: AT, purpose: 'serverAuth' }))).toContain(
      'ERR_PATH_EKU',
    );
    const misuse: [string, Record<string, unknown>][] = [
      ['time', { time: new Date('garbage') }],
      ['time', { time: '2026-06-01' }],
      ['purpose', { purpose: 'ServerAuth' }],
      ['purpose', { purpose: 'codeSigning' }],
      ['host', { host: 42 }],
      ['profile', { profile: 'browser' }],
      ['policies', { policies: '2.5.29.32.0' }],
      ['maxDepth', { maxDepth: -1 }],
      ['crls', { crls: 'PEM' }],
      ['crls', { crls: ['-----BEGIN X509 CRL-----'] }],
      ['trustAnchors', { trustAnchors: ['-----BEGIN CERTIFICATE-----'] }],
      ['trustAnchors', { trustAnchors: undefined }],
      ['intermediates', { intermediates: i.cert }],
      ['budget', { budget: 0 }],
    ];
    for (const [name, bad] of misuse) {
      const options = { ...base, time: AT, ...bad } as unknown as Parameters<typeof verifyCertificate>[1];
      await expect(verifyCertificate(l.cert, options), name).rejects.toThrow(TypeError);
      await expect(verifyCertificate(l.cert, options), name).rejects.toThrow(name);
    }
    for (const [name, bad] of misuse.slice(0, 8)) {
      const options = { time: AT, ...bad } as unknown as Parameters<typeof validatePath>[1];
      await expect(validatePath([l.cert, i.cert, r.cert], options), name).rejects.toThrow(TypeError);
    }
    for (const path of [[], [l.cert.der], 'x'])
      await expect(validatePath(path as unknown as Certificate[])).rejects.toThrow(TypeError);
  });
});

describe('verifyCertificate: pathological inputs end within the budget', () => {
  async function mesh(
    n: number,
  ): Promise<{ anchor: Certificate; pool: Certificate[]; leafCert: Certificate }> {
    // n CAs all named alike-but-distinct, each cross-signing the others: a dense graph, no anchor reachable.
    const anchorNode = await root('CN=Real Root', { slot: 20 });
    const k = await key(21);
    const names = Array.from({ length: 4 }, (_, j) => `CN=Mesh ${j}`);
    const pool: Certificate[] = [];
    for (let j = 0; j < n; j++) {
      const subject = names[j % names.length]!;
      const issuerName = names[(j + 1) % names.length]!;
      pool.push(
        await createCertificate({
          subject,
          issuerName,
          publicKey: k.publicKey,
          signingKey: k.privateKey,
          notBefore: T0,
          notAfter: T1,
          serialNumber: BigInt(j + 1),
          extensions: [basicConstraints({ ca: true }), keyUsage(['keyCertSign'])],
        }),
      );
    }
    const leafCert = await createCertificate({
      subject: 'CN=victim',
      issuerName: names[0]!,
      publicKey: k.publicKey,
      signingKey: k.privateKey,
      notBefore: T0,
      notAfter: T1,
      extensions: [basicConstraints({ ca: false })],
    });
    return { anchor: anchorNode.cert, pool, leafCert };
  }

  it('hundreds of cross-signed candidates in cycles: ERR_PATH_BUDGET quickly', async () => {
    const { anchor, pool, leafCert } = await mesh(300);
    const t = Date.now();
    const res = await verifyCertificate(leafCert, {
      trustAnchors: [anchor],
      intermediates: pool,
      time: AT,
      budget: 500,
    });
    expect(res.valid).toBe(false);
    expect(codes(res)).toContain('ERR_PATH_BUDGET');
    expect(Date.now() - t).toBeLessThan(10_000);
  });

  it('a 10,000-certificate pool of unrelated CAs finishes with a coded result', async () => {
    const r = await root();
    const i = await ca(r, 'CN=ICA');
    const l = await leaf(i);
    const junk: Certificate[] = [];
    const k = await key(22);
    const one = await createCertificate({
      subject: 'CN=Junk',
      publicKey: k.publicKey,
      signingKey: k.privateKey,
      notBefore: T0,
      notAfter: T1,
      extensions: [basicConstraints({ ca: true })],
    });
    for (let j = 0; j < 10_000; j++) junk.push(one);
    const t = Date.now();
    const ok = await verifyCertificate(l.cert, {
      trustAnchors: [r.cert],
      intermediates: [...junk, i.cert],
      time: AT,
    });
    expect(ok.valid).toBe(true);
    const bad = await verifyCertificate(l.cert, { trustAnchors: [r.cert], intermediates: junk, time: AT });
    expect(codes(bad)).toEqual(['ERR_PATH_NO_ISSUER']);
    expect(Date.now() - t).toBeLessThan(20_000);
  });

  it('an issuer cycle without an anchor ends with a coded failure', async () => {
    const a = await root('CN=A', { slot: 10 });
    const b = await root('CN=B', { slot: 11 });
    const aByB = await ca(b, 'CN=A', { slot: 10 });
    const bByA = await ca(a, 'CN=B', { slot: 11 });
    const l = await leaf(a);
    const trusted = await root('CN=Elsewhere', { slot: 12 });
    const res = await verifyCertificate(l.cert, {
      trustAnchors: [trusted.cert],
      intermediates: [aByB.cert, bByA.cert],
      time: AT,
    });
    expect(res.valid).toBe(false);
    expect(codes(res).length).toBeGreaterThan(0);
  });
});
