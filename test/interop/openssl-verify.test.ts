// certlab's path validation agrees with `openssl verify` on chains built here: valid, expired,
// wrong EKU (-purpose sslserver), untrusted root, name-constraint violations, revoked (CRL).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Crl, createCrl } from '../../packages/pki/src/crl.js';
import {
  basicConstraints,
  type Certificate,
  createCertificate,
  type Extension,
  extKeyUsage,
  generateKeyPair,
  type KeyPair,
  keyUsage,
  nameConstraints,
  subjectAltName,
} from '../../packages/pki/src/index.js';
import { type PathPurpose, verifyCertificate } from '../../packages/pki/src/path/index.js';
import { describeWithTool } from '../support/tools.js';

const T0 = new Date(Date.UTC(2025, 0, 1));
const T1 = new Date(Date.UTC(2035, 0, 1));
const AT = new Date(Date.UTC(2026, 5, 1));

interface Case {
  leaf: Certificate;
  trust: Certificate[];
  untrusted: Certificate[];
  crls?: Crl[];
  purpose?: PathPurpose;
  at?: Date;
}

let dir: string;
let n = 0;

function opensslVerify(c: Case): boolean {
  const id = n++;
  const f = (name: string, text: string) => {
    const p = join(dir, `${id}-${name}`);
    writeFileSync(p, text);
    return p;
  };
  const args = ['verify', '-CAfile', f('trust.pem', c.trust.map((x) => x.toPem()).join(''))];
  if (c.untrusted.length)
    args.push('-untrusted', f('untrusted.pem', c.untrusted.map((x) => x.toPem()).join('')));
  if (c.crls?.length)
    args.push('-crl_check', '-CRLfile', f('crl.pem', c.crls.map((x) => x.toPem()).join('')));
  if (c.purpose === 'serverAuth') args.push('-purpose', 'sslserver');
  if (c.purpose === 'clientAuth') args.push('-purpose', 'sslclient');
  args.push('-attime', String(Math.floor((c.at ?? AT).getTime() / 1000)), f('leaf.pem', c.leaf.toPem()));
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  return r.status === 0;
}

async function certlabVerify(c: Case): Promise<boolean> {
  const r = await verifyCertificate(c.leaf, {
    trustAnchors: c.trust,
    intermediates: c.untrusted,
    time: c.at ?? AT,
    purpose: c.purpose ?? 'any',
    ...(c.crls ? { crls: c.crls } : {}),
  });
  return r.valid;
}

describeWithTool('openssl', 'certlab verify agrees with openssl verify', () => {
  let rootK: KeyPair;
  let icaK: KeyPair;
  let leafK: KeyPair;
  let root: Certificate;
  let ica: Certificate;
  const caExt = [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])];

  const makeLeaf = (
    issuer: Certificate,
    key: KeyPair,
    o: { dns?: string; eku?: string[]; notAfter?: Date; extra?: Extension[] } = {},
  ) =>
    createCertificate({
      subject: `CN=${o.dns ?? 'www.contoso.com'}`,
      publicKey: leafK.publicKey,
      signingKey: key.privateKey,
      issuer,
      notBefore: T0,
      notAfter: o.notAfter ?? T1,
      extensions: [
        basicConstraints({ ca: false }),
        keyUsage(['digitalSignature']),
        extKeyUsage(o.eku ?? ['serverAuth']),
        subjectAltName([{ type: 'dns', value: o.dns ?? 'www.contoso.com' }]),
        ...(o.extra ?? []),
      ],
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'certlab-verify-'));
    rootK = await generateKeyPair({ type: 'ec', curve: 'P-256' });
    icaK = await generateKeyPair({ type: 'ec', curve: 'P-256' });
    leafK = await generateKeyPair({ type: 'ec', curve: 'P-256' });
    root = await createCertificate({
      subject: 'CN=Interop Root',
      publicKey: rootK.publicKey,
      signingKey: rootK.privateKey,
      notBefore: T0,
      notAfter: T1,
      extensions: caExt,
    });
    ica = await createCertificate({
      subject: 'CN=Interop ICA',
      publicKey: icaK.publicKey,
      signingKey: rootK.privateKey,
      issuer: root,
      notBefore: T0,
      notAfter: T1,
      extensions: caExt,
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function agree(c: Case, expected: boolean) {
    expect(opensslVerify(c)).toBe(expected);
    expect(await certlabVerify(c)).toBe(expected);
  }

  it('valid chain', async () => {
    await agree(
      { leaf: await makeLeaf(ica, icaK), trust: [root], untrusted: [ica], purpose: 'serverAuth' },
      true,
    );
  });

  it('expired leaf and not-yet-valid time', async () => {
    const l = await makeLeaf(ica, icaK, { notAfter: new Date(Date.UTC(2026, 0, 1)) });
    await agree({ leaf: l, trust: [root], untrusted: [ica] }, false);
    await agree(
      {
        leaf: await makeLeaf(ica, icaK),
        trust: [root],
        untrusted: [ica],
        at: new Date(Date.UTC(2024, 0, 1)),
      },
      false,
    );
  });

  it('wrong extended key usage for a TLS server', async () => {
    const l = await makeLeaf(ica, icaK, { eku: ['clientAuth'] });
    await agree({ leaf: l, trust: [root], untrusted: [ica], purpose: 'serverAuth' }, false);
    await agree({ leaf: l, trust: [root], untrusted: [ica], purpose: 'clientAuth' }, true);
  });

  it('untrusted root and missing intermediate', async () => {
    const l = await makeLeaf(ica, icaK);
    const otherK = await generateKeyPair({ type: 'ec', curve: 'P-256' });
    const other = await createCertificate({
      subject: 'CN=Other Root',
      publicKey: otherK.publicKey,
      signingKey: otherK.privateKey,
      notBefore: T0,
      notAfter: T1,
      extensions: caExt,
    });
    await agree({ leaf: l, trust: [other], untrusted: [ica, root] }, false);
    await agree({ leaf: l, trust: [root], untrusted: [] }, false);
  });

  it('name constraints: permitted and excluded DNS subtrees', async () => {
    const ncK = await generateKeyPair({ type: 'ec', curve: 'P-256' });
    const nc = nameConstraints({
      permitted: [{ base: { type: 'dns', value: 'contoso.com' } }],
      excluded: [{ base: { type: 'dns', value: 'bad.contoso.com' } }],
    });
    const ncIca = await createCertificate({
      subject: 'CN=NC ICA',
      publicKey: ncK.publicKey,
      signingKey: rootK.privateKey,
      issuer: root,
      notBefore: T0,
      notAfter: T1,
      extensions: [...caExt, nc],
    });
    await agree(
      { leaf: await makeLeaf(ncIca, ncK, { dns: 'www.contoso.com' }), trust: [root], untrusted: [ncIca] },
      true,
    );
    await agree(
      { leaf: await makeLeaf(ncIca, ncK, { dns: 'www.fabrikam.com' }), trust: [root], untrusted: [ncIca] },
      false,
    );
    await agree(
      { leaf: await makeLeaf(ncIca, ncK, { dns: 'x.bad.contoso.com' }), trust: [root], untrusted: [ncIca] },
      false,
    );
  });

  it('revocation with CRLs (-crl_check)', async () => {
    const l = await makeLeaf(ica, icaK);
    const crlFor = (entries: string[]) =>
      createCrl({
        issuer: ica,
        signingKey: icaK.privateKey,
        thisUpdate: T0,
        nextUpdate: T1,
        crlNumber: 3,
        entries: entries.map((serialNumber) => ({ serialNumber, revocationDate: T0 })),
      });
    await agree({ leaf: l, trust: [root], untrusted: [ica], crls: [await crlFor([l.serialNumber])] }, false);
    await agree({ leaf: l, trust: [root], untrusted: [ica], crls: [await crlFor(['0A'])] }, true);
  });
});
