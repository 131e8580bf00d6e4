// The CRLs a chain points to, as CryptoAPI fetches them: the certificates' CDPs, then the delta
// CRLs each base CRL announces in its Freshest CRL extension (RFC 5280 §5.2.6; AD CS announces
// its deltas there only). A base whose announced delta cannot be fetched from any location is not
// used alone (revocation offline); one reachable location is enough.

import {
  basicConstraints,
  createCertificate,
  createCrl,
  crlDistributionPoints,
  generateKeyPair,
  keyUsage,
} from '@certlab/pki';
import { describe, expect, it } from 'vitest';
import { deltaCrlUrls, fetchChainCrls, type LabNetwork } from '../src/index.js';

const BASE = 'http://pki.contoso.com/ca.crl';
const DEAD = 'http://down.contoso.com/ca+.crl';
const DELTA = 'http://pki.contoso.com/ca+.crl';

async function setup(deltaLocations: string[]) {
  const keys = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  const now = Date.now();
  const ca = await createCertificate({
    subject: 'CN=Fetch CA',
    publicKey: keys.publicKey,
    signingKey: keys.privateKey,
    extensions: [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])],
  });
  const leafKeys = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  const leaf = await createCertificate({
    subject: 'CN=leaf',
    publicKey: leafKeys.publicKey,
    signingKey: keys.privateKey,
    issuer: ca,
    extensions: [crlDistributionPoints([{ fullName: [{ type: 'uri', value: BASE }] }])],
  });
  const when = { thisUpdate: new Date(now - 60_000), nextUpdate: new Date(now + 86_400_000) };
  const base = await createCrl({
    issuer: ca,
    signingKey: keys.privateKey,
    crlNumber: 1,
    ...when,
    freshestCrl: deltaLocations.map((u) => ({ fullName: [{ type: 'uri' as const, value: u }] })),
  });
  const delta = await createCrl({
    issuer: ca,
    signingKey: keys.privateKey,
    crlNumber: 2,
    deltaCrlIndicator: 1,
    ...when,
    entries: [{ serialNumber: leaf.serialNumber, revocationDate: new Date(now - 1000) }],
  });
  const files = new Map([
    [BASE, base.der],
    [DELTA, delta.der],
  ]);
  const asked: string[] = [];
  const network = {
    set() {},
    async fetch(url: string) {
      asked.push(url);
      return files.get(url);
    },
  } as unknown as LabNetwork;
  return { leaf, base, network, asked };
}

describe('fetchChainCrls', () => {
  it("follows the base CRL's Freshest CRL to the delta, which the certificate does not name", async () => {
    const { leaf, base, network, asked } = await setup([DELTA]);
    expect(deltaCrlUrls(base)).toEqual([DELTA]);
    const r = await fetchChainCrls([leaf], network);
    expect(asked).toEqual([BASE, DELTA]);
    expect(r.crls.map((c) => c.isDelta).sort()).toEqual([false, true]);
    expect(r.unreachable).toEqual([]);
  });

  it('keeps the base when one of its delta locations answers', async () => {
    const { leaf, network } = await setup([DEAD, DELTA]);
    const r = await fetchChainCrls([leaf], network);
    expect(r.unreachable).toEqual([DEAD]);
    expect(r.crls.map((c) => c.isDelta).sort()).toEqual([false, true]);
  });

  it('leaves the base out when no delta location answers (revocation offline, not a stale answer)', async () => {
    const { leaf, network } = await setup([DEAD]);
    const r = await fetchChainCrls([leaf], network);
    expect(r.unreachable).toEqual([DEAD]);
    expect(r.crls).toEqual([]);
  });

  it('does not loop on a base that names itself as its delta', async () => {
    const { leaf, network, asked } = await setup([BASE]);
    const r = await fetchChainCrls([leaf], network);
    expect(asked).toEqual([BASE]);
    expect(r.crls).toHaveLength(1);
  });
});
