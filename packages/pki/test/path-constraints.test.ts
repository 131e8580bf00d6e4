import { describe, expect, it } from 'vitest';
import {
  basicConstraints,
  certificatePolicies,
  type GeneralName,
  inhibitAnyPolicy,
  keyUsage,
  Name,
  nameConstraints,
  OID,
  policyConstraints,
  policyMappings,
  subjectAltName,
} from '../src/index.js';
import { checkHostname, matchDnsPattern, verifyCertificate } from '../src/path/index.js';
import { AT, ca, codes, leaf, root } from './path-support.js';

const CA_EXT = [basicConstraints({ ca: true }), keyUsage(['keyCertSign'])];

async function chainWith(
  ncExt: ReturnType<typeof nameConstraints>,
  sans: GeneralName[],
  onRoot = false,
  subject = 'CN=leaf',
) {
  const r = await root('CN=Root', onRoot ? { extensions: [...CA_EXT, ncExt] } : {});
  const i = await ca(r, 'CN=ICA', { extensions: onRoot ? CA_EXT : [...CA_EXT, ncExt] });
  const l = await leaf(i, {
    name: subject,
    extensions: [basicConstraints({ ca: false }), subjectAltName(sans, subject === '')],
  });
  return { r, i, l };
}

async function ncResult(
  ncExt: ReturnType<typeof nameConstraints>,
  sans: GeneralName[],
  onRoot = false,
  subject = 'CN=leaf',
) {
  const { r, i, l } = await chainWith(ncExt, sans, onRoot, subject);
  return verifyCertificate(l.cert, { trustAnchors: [r.cert], intermediates: [i.cert], time: AT });
}

describe('name constraints', () => {
  const dns = (value: string): GeneralName => ({ type: 'dns', value });
  it('DNS permitted and excluded subtrees', async () => {
    const nc = nameConstraints({
      permitted: [{ base: dns('contoso.com') }],
      excluded: [{ base: dns('bad.contoso.com') }],
    });
    expect((await ncResult(nc, [dns('www.contoso.com')])).valid).toBe(true);
    expect((await ncResult(nc, [dns('contoso.com')])).valid).toBe(true);
    expect(codes(await ncResult(nc, [dns('www.fabrikam.com')]))).toEqual(['ERR_PATH_NAME_CONSTRAINTS']);
    expect(codes(await ncResult(nc, [dns('x.bad.contoso.com')]))).toEqual(['ERR_PATH_NAME_CONSTRAINTS']);
    expect(codes(await ncResult(nc, [dns('notcontoso.com')]))).toEqual(['ERR_PATH_NAME_CONSTRAINTS']);
  });

  it('webpki profile: a non-critical nameConstraints is accepted, as the Baseline Requirements allow, and enforced', async () => {
    const nc = nameConstraints({ permitted: [{ base: dns('contoso.com') }] }, false);
    expect(nc.critical).toBe(false);
    const r = await root('CN=Root');
    const i = await ca(r, 'CN=ICA', { extensions: [...CA_EXT, nc] });
    const options = {
      trustAnchors: [r.cert],
      intermediates: [i.cert],
      time: AT,
      purpose: 'serverAuth',
      profile: 'webpki',
    } as const;
    const inside = await leaf(i, { dns: ['www.contoso.com'] });
    expect(codes(await verifyCertificate(inside.cert, options))).toEqual([]);
    const outside = await leaf(i, { name: 'CN=www.fabrikam.com', dns: ['www.fabrikam.com'] });
    expect(codes(await verifyCertificate(outside.cert, options))).toEqual(['ERR_PATH_NAME_CONSTRAINTS']);
  });

  it('a wildcard SAN that could stand for an excluded name is rejected', async () => {
    const nc = nameConstraints({ excluded: [{ base: dns('bar.contoso.com') }] });
    expect(codes(await ncResult(nc, [dns('*.contoso.com')]))).toEqual(['ERR_PATH_NAME_CONSTRAINTS']);
  });

  it('IP ranges, email and URI forms, and directoryName', async () => {
    const ip = nameConstraints({ permitted: [{ base: { type: 'ip', value: '10.0.0.0/8' } }] });
    expect((await ncResult(ip, [{ type: 'ip', value: '10.1.2.3' }])).valid).toBe(true);
    expect((await ncResult(ip, [{ type: 'ip', value: '11.1.2.3' }])).valid).toBe(false);
    expect((await ncResult(ip, [{ type: 'ip', value: '::1' }])).valid).toBe(false);
    const email = nameConstraints({ permitted: [{ base: { type: 'email', value: '.contoso.com' } }] });
    expect((await ncResult(email, [{ type: 'email', value: 'a@mail.contoso.com' }])).valid).toBe(true);
    expect((await ncResult(email, [{ type: 'email', value: 'a@contoso.com' }])).valid).toBe(false);
    expect((await ncResult(email, [{ type: 'email', value: 'a@b@mail.contoso.com' }])).valid).toBe(false);
    const uri = nameConstraints({ excluded: [{ base: { type: 'uri', value: 'evil.com' } }] });
    expect((await ncResult(uri, [{ type: 'uri', value: 'https://evil.com/x' }])).valid).toBe(false);
    expect((await ncResult(uri, [{ type: 'uri', value: 'https://good.com/x' }])).valid).toBe(true);
    const dn = nameConstraints({
      permitted: [{ base: { type: 'dirName', value: Name.parse('O=Contoso,C=FR') } }],
    });
    expect((await ncResult(dn, [dns('a.com')], false, 'CN=x,O=Contoso,C=FR')).valid).toBe(true);
    expect((await ncResult(dn, [dns('a.com')], false, 'CN=x,O=Fabrikam,C=FR')).valid).toBe(false);
  });

  it('applies the anchor’s constraints unless told not to', async () => {
    const nc = nameConstraints({ permitted: [{ base: dns('contoso.com') }] });
    const { r, i, l } = await chainWith(nc, [dns('www.fabrikam.com')], true);
    const res = await verifyCertificate(l.cert, {
      trustAnchors: [r.cert],
      intermediates: [i.cert],
      time: AT,
    });
    expect(codes(res)).toEqual(['ERR_PATH_NAME_CONSTRAINTS']);
    const off = await verifyCertificate(l.cert, {
      trustAnchors: [r.cert],
      intermediates: [i.cert],
      time: AT,
      enforceAnchorConstraints: false,
    });
    expect(off.valid).toBe(true);
  });

  it('constraints of a form certlab cannot evaluate fail closed only when such a name is present', async () => {
    const nc = nameConstraints({ excluded: [{ base: { type: 'registeredId', value: '1.2.3' } }] });
    expect((await ncResult(nc, [dns('a.com')])).valid).toBe(true);
    expect((await ncResult(nc, [{ type: 'registeredId', value: '1.2.3.4' }])).valid).toBe(false);
  });
});

describe('host names', () => {
  it('wildcards only as the whole left-most label, never over a single label', () => {
    expect(matchDnsPattern('*.a.com', 'x.a.com')).toBe(true);
    expect(matchDnsPattern('*.com', 'a.com')).toBe(false);
    expect(matchDnsPattern('f*.a.com', 'foo.a.com')).toBe(false);
    expect(matchDnsPattern('x.*.com', 'x.a.com')).toBe(false);
    expect(checkHostname([{ type: 'dns', value: '8.8.8.8' }], '8.8.8.8')).toBeDefined();
    expect(checkHostname([{ type: 'ip', value: '2001:db8::1' }], '2001:DB8:0::1')).toBeUndefined();
  });
});

describe('certificate policies (RFC 5280 §6.1 policy tree)', () => {
  const P1 = '1.3.6.1.4.1.99999.1';
  const P2 = '1.3.6.1.4.1.99999.2';
  async function chain(icaExt: ReturnType<typeof certificatePolicies>[], leafPolicies: string[]) {
    const r = await root();
    const i = await ca(r, 'CN=ICA', { extensions: [...CA_EXT, ...icaExt] });
    const l = await leaf(i, {
      extensions: [
        basicConstraints({ ca: false }),
        certificatePolicies(leafPolicies.map((policyId) => ({ policyId }))),
      ],
    });
    return { r, i, l };
  }
  const run = (c: Awaited<ReturnType<typeof chain>>, o: Record<string, unknown> = {}) =>
    verifyCertificate(c.l.cert, { trustAnchors: [c.r.cert], intermediates: [c.i.cert], time: AT, ...o });

  it('explicit policy: the policy must survive the path', async () => {
    const c = await chain([certificatePolicies([{ policyId: P1 }])], [P1]);
    expect((await run(c, { explicitPolicy: true })).valid).toBe(true);
    expect((await run(c, { explicitPolicy: true, policies: [P1] })).valid).toBe(true);
    expect(codes(await run(c, { explicitPolicy: true, policies: [P2] }))).toEqual(['ERR_PATH_POLICY']);
    const c2 = await chain([certificatePolicies([{ policyId: P1 }])], [P2]);
    expect(codes(await run(c2, { explicitPolicy: true }))).toEqual(['ERR_PATH_POLICY']);
    expect((await run(c2)).valid).toBe(true);
  });

  it('requireExplicitPolicy in a CA and policy mapping', async () => {
    const c = await chain(
      [certificatePolicies([{ policyId: P1 }]), policyConstraints({ requireExplicitPolicy: 0 })],
      [P2],
    );
    expect(codes(await run(c))).toEqual(['ERR_PATH_POLICY']);
    const m = await chain(
      [
        certificatePolicies([{ policyId: P1 }]),
        policyMappings([{ issuerDomainPolicy: P1, subjectDomainPolicy: P2 }]),
        policyConstraints({ requireExplicitPolicy: 0 }),
      ],
      [P2],
    );
    expect((await run(m)).valid).toBe(true);
    expect(codes(await run(m, { inhibitPolicyMapping: true }))).toEqual(['ERR_PATH_POLICY']);
  });

  it('anyPolicy and inhibitAnyPolicy', async () => {
    const c = await chain([certificatePolicies([{ policyId: OID.anyPolicy }])], [P1]);
    expect((await run(c, { explicitPolicy: true })).valid).toBe(true);
    expect(codes(await run(c, { explicitPolicy: true, inhibitAnyPolicy: true }))).toEqual([
      'ERR_PATH_POLICY',
    ]);
    const c2 = await chain(
      [certificatePolicies([{ policyId: OID.anyPolicy }]), inhibitAnyPolicy(0)],
      [OID.anyPolicy],
    );
    expect(codes(await run(c2, { explicitPolicy: true }))).toEqual(['ERR_PATH_POLICY']);
  });
});
