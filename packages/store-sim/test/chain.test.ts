import {
  basicConstraints,
  createCertificate,
  extKeyUsage,
  generateKeyPair,
  subjectAltName,
} from '@certlab/pki';
import { describe, expect, it } from 'vitest';
import {
  buildChain,
  certificateVerdict,
  checkServiceCertificate,
  dotnetStatusNames,
  CERT_TRUST_ERROR as E,
  formatTrustStatus,
  CERT_TRUST_INFO as I,
  importFile,
  Machine,
  policyStatus,
} from '../src/index.js';
import { NOW, pki, T0, T1 } from './fixtures.js';

/** EX01 as the procedure leaves it: root in LM\Root, issuing CA in LM\CA, leaf with its key in LM\My. */
async function configured() {
  const p = await pki();
  const m = await Machine.open({ name: 'EX01', fqdn: 'ex01.contoso.com' });
  await importFile(m, p.root.cert.der, { location: 'LocalMachine', store: 'Root' });
  await importFile(m, p.ica.cert.der, { location: 'LocalMachine', store: 'CA' });
  await m.store('LocalMachine', 'My').add(p.leaf.cert, { key: p.leaf.keys.privateKey });
  return { m, p, leafT: await p.leaf.cert.thumbprint() };
}

describe('chain engine', () => {
  it('reports a good chain as Windows does: leaf 0x102, CA 0x102, root 0x10c, chain info 0x100', async () => {
    const { m, leafT } = await configured();
    const c = await buildChain(m, leafT, {
      context: 'LocalMachine',
      usage: 'serverAuth',
      time: NOW,
      host: 'ex01.contoso.com',
    });
    expect(c.errorStatus).toBe(0);
    expect(c.elements.map((e) => e.infoStatus)).toEqual([0x102, 0x102, 0x10c]);
    expect(c.infoStatus).toBe(I.HAS_PREFERRED_ISSUER);
    expect(c.elements.map((e) => e.foundIn)).toEqual([
      'LocalMachine\\My',
      'LocalMachine\\CA',
      'LocalMachine\\Root',
    ]);
    expect(c.policy).toEqual({ hresult: 0, name: 'S_OK' });
    expect(c.trusted).toBe(true);
    expect(formatTrustStatus(c.elements[2]!.infoStatus, 'info')).toBe(
      'CERT_TRUST_HAS_NAME_MATCH_ISSUER (0x4), CERT_TRUST_IS_SELF_SIGNED (0x8), CERT_TRUST_HAS_PREFERRED_ISSUER (0x100)',
    );
    const v = certificateVerdict(c, { hasPrivateKey: true });
    expect(v).toMatchObject({
      id: 'ok',
      pathStatus: 'This certificate is OK.',
      general: 'This certificate is intended for the following purpose(s):',
      purposes: ['Server Authentication'],
      keyLine: 'You have a private key that corresponds to this certificate.',
    });
    const fr = certificateVerdict(c, { hasPrivateKey: true }, 'fr');
    expect(fr.pathStatus).toBe('Ce certificat est valide.');
    expect(fr.purposes).toEqual(['Authentification du serveur']);
    expect(fr.keyLine).toBe('Vous avez une clé privée qui correspond à ce certificat.');
    const svc = await checkServiceCertificate(m, leafT, { time: NOW });
    expect(svc).toMatchObject({ usable: true, status: 'Valid', hasPrivateKey: true });
  });

  it('root imported in CurrentUser instead of LocalMachine: fine for the user, untrusted for a service', async () => {
    const p = await pki();
    const m = await Machine.open({ name: 'EX01' });
    await importFile(m, p.root.cert.der, { location: 'CurrentUser', store: 'Root' });
    await importFile(m, p.ica.cert.der, { location: 'LocalMachine', store: 'CA' });
    await m.store('LocalMachine', 'My').add(p.leaf.cert, { key: p.leaf.keys.privateKey });
    const leafT = await p.leaf.cert.thumbprint();
    const user = await buildChain(m, leafT, { context: 'CurrentUser', time: NOW });
    expect(user.errorStatus).toBe(0);
    expect(certificateVerdict(user).pathStatus).toBe('This certificate is OK.');
    // The machine engine does not see CurrentUser\Root: without the root at hand the chain is partial…
    const partial = await buildChain(m, leafT, { context: 'LocalMachine', time: NOW });
    expect(partial.errorStatus).toBe(E.IS_PARTIAL_CHAIN);
    expect(partial.policy.name).toBe('CERT_E_CHAINING');
    // …and with the root retrieved (as Windows does from the AIA URL) it ends in an untrusted root.
    const machine = await buildChain(m, leafT, {
      context: 'LocalMachine',
      time: NOW,
      additionalCertificates: [p.root.cert],
    });
    expect(machine.errorStatus).toBe(E.IS_UNTRUSTED_ROOT);
    expect(machine.elements[2]!.errors).toEqual(['IS_UNTRUSTED_ROOT']);
    expect(machine.policy).toEqual({ hresult: 0x800b0109, name: 'CERT_E_UNTRUSTEDROOT' });
    expect(dotnetStatusNames(machine.errorStatus)).toEqual(['UntrustedRoot']);
    expect(certificateVerdict(machine).general).toBe(
      'This certificate cannot be verified up to a trusted certification authority.',
    );
    const svc = await checkServiceCertificate(m, leafT, { time: NOW });
    expect(svc).toMatchObject({ usable: false, status: 'Untrusted' });
  });

  it('root placed automatically (into Intermediate CAs): "This CA Root certificate is not trusted"', async () => {
    const p = await pki();
    const m = await Machine.open({ name: 'EX01' });
    await importFile(m, p.root.cert.der, { location: 'LocalMachine' }); // → CA
    const c = await buildChain(m, p.root.cert, { context: 'LocalMachine', time: NOW });
    expect(c.elements).toHaveLength(1);
    expect(c.errorStatus).toBe(E.IS_UNTRUSTED_ROOT);
    expect(c.elements[0]!.infoStatus).toBe(I.HAS_NAME_MATCH_ISSUER | I.IS_SELF_SIGNED);
    const en = certificateVerdict(c);
    expect(en.id).toBe('untrusted-root');
    expect(en.general).toBe(
      'This CA Root certificate is not trusted. To enable trust, install this certificate in the Trusted Root Certification Authorities store.',
    );
    expect(en.pathStatus).toBe(
      'This CA Root certificate is not trusted because it is not in the Trusted Root Certification Authorities store.',
    );
    expect(certificateVerdict(c, {}, 'fr').general).toBe(
      "Ce certificat racine de l'autorité de certification n'est pas approuvé. Pour activer l'approbation, installez ce certificat dans le magasin d'autorités de certification racines de confiance.",
    );
  });

  it('root missing entirely: partial chain, "not enough information"', async () => {
    const p = await pki();
    const m = await Machine.open({ name: 'LYNC01' });
    await m.store('LocalMachine', 'CA').add(p.ica.cert);
    const c = await buildChain(m, p.leaf.cert, { context: 'LocalMachine', time: NOW });
    expect(c.elements).toHaveLength(2);
    expect(c.errorStatus).toBe(E.IS_PARTIAL_CHAIN);
    expect(c.policy.name).toBe('CERT_E_CHAINING');
    const v = certificateVerdict(c);
    expect(v.general).toBe('Windows does not have enough information to verify this certificate.');
    expect(certificateVerdict(c, {}, 'fr').general).toBe(
      "Windows ne dispose pas de suffisamment d'informations pour vérifier ce certificat.",
    );
  });

  it('intermediate missing: partial chain at the leaf', async () => {
    const p = await pki();
    const m = await Machine.open({ name: 'EX01' });
    await m.store('LocalMachine', 'Root').add(p.root.cert);
    const c = await buildChain(m, p.leaf.cert, { context: 'LocalMachine', time: NOW });
    expect(c.elements).toHaveLength(1);
    expect(c.errors).toEqual(['IS_PARTIAL_CHAIN']);
    expect(certificateVerdict(c).pathStatus).toBe('The issuer of this certificate could not be found.');
    // …and the intermediate offered by the peer (additional store) completes it.
    const ok = await buildChain(m, p.leaf.cert, {
      context: 'LocalMachine',
      time: NOW,
      additionalCertificates: [p.ica.cert],
    });
    expect(ok.errorStatus).toBe(0);
  });

  it('expired certificate: IS_NOT_TIME_VALID on the leaf, CERT_E_EXPIRED, DateInvalid', async () => {
    const { m, p } = await configured();
    await m.store('LocalMachine', 'My').add(p.expired.cert, { key: p.expired.keys.privateKey });
    const t = await p.expired.cert.thumbprint();
    const c = await buildChain(m, t, { context: 'LocalMachine', time: NOW });
    expect(c.errorStatus).toBe(E.IS_NOT_TIME_VALID);
    expect(c.elements[0]!.errors).toEqual(['IS_NOT_TIME_VALID']);
    expect(c.policy).toEqual({ hresult: 0x800b0101, name: 'CERT_E_EXPIRED' });
    expect(certificateVerdict(c).general).toBe('This certificate has expired or is not yet valid.');
    expect(certificateVerdict(c, {}, 'fr').general).toBe(
      "Ce certificat a expiré ou n'est pas encore valide.",
    );
    expect(() => certificateVerdict(c, {}, 'de' as never)).toThrow(TypeError);
    expect((await checkServiceCertificate(m, t, { time: NOW })).status).toBe('DateInvalid');
    // An invalid Date compared as NaN and passed every validity period ("This certificate is
    // OK."): misuse is a TypeError, as are CRLs not parsed and a target given as DER bytes.
    for (const bad of [{ time: new Date('x') }, { time: 'now' }, { crls: [p.root.cert.der] }])
      await expect(
        buildChain(m, t, { context: 'LocalMachine', ...(bad as object) }),
        JSON.stringify(bad),
      ).rejects.toThrow(TypeError);
    await expect(buildChain(m, p.expired.cert.der as never, { time: NOW })).rejects.toThrow(
      /target must be a Certificate/,
    );
  });

  it('wrong EKU: IS_NOT_VALID_FOR_USAGE for serverAuth, CERT_E_WRONG_USAGE', async () => {
    const { m, p } = await configured();
    const c = await buildChain(m, p.clientOnly.cert, {
      context: 'LocalMachine',
      time: NOW,
      usage: 'serverAuth',
    });
    expect(c.errorStatus).toBe(E.IS_NOT_VALID_FOR_USAGE);
    expect(c.elements[0]!.errors).toEqual(['IS_NOT_VALID_FOR_USAGE']);
    expect(c.policy.name).toBe('CERT_E_WRONG_USAGE');
    expect(certificateVerdict(c).id).toBe('wrong-usage');
    expect(
      (await buildChain(m, p.clientOnly.cert, { context: 'LocalMachine', time: NOW, usage: 'clientAuth' }))
        .errorStatus,
    ).toBe(0);
    expect(
      (await buildChain(m, p.clientOnly.cert, { context: 'LocalMachine', time: NOW, usage: 'codeSigning' }))
        .errorStatus,
    ).toBe(E.IS_NOT_VALID_FOR_USAGE);
    // Regression: usage names were looked up in a plain object, so "constructor" passed as a
    // purpose and the chain was judged with no usage check at all.
    for (const usage of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])
      await expect(
        buildChain(m, p.clientOnly.cert, { context: 'LocalMachine', time: NOW, usage }),
        usage,
      ).rejects.toMatchObject({ code: 'ERR_STORE_NAME_INVALID' });
  });

  it('revoked with a CRL in the CA store: IS_REVOKED, CRYPT_E_REVOKED; no CRL: offline revocation', async () => {
    const { m, p } = await configured();
    const noCrl = await buildChain(m, p.revokedLeaf.cert, {
      context: 'LocalMachine',
      time: NOW,
      revocation: 'chain-exclude-root',
    });
    expect(noCrl.elements[0]!.errorStatus).toBe(E.REVOCATION_STATUS_UNKNOWN | E.IS_OFFLINE_REVOCATION);
    expect(noCrl.elements[1]!.errorStatus).toBe(E.REVOCATION_STATUS_UNKNOWN); // the CA has no CDP
    expect(noCrl.policy.name).toBe('CRYPT_E_REVOCATION_OFFLINE');
    await importFile(m, p.crl.der, { location: 'LocalMachine' });
    const c = await buildChain(m, p.revokedLeaf.cert, {
      context: 'LocalMachine',
      time: NOW,
      revocation: 'end-certificate',
    });
    expect(c.errorStatus).toBe(E.IS_REVOKED);
    expect(c.policy).toEqual({ hresult: 0x80092010, name: 'CRYPT_E_REVOKED' });
    expect(certificateVerdict(c).pathStatus).toBe(
      'This certificate has been revoked by its certification authority.',
    );
    expect(certificateVerdict(c, {}, 'fr').pathStatus).toBe(
      'Ce certificat a été révoqué par son autorité de certification.',
    );
    const good = await buildChain(m, p.leaf.cert, {
      context: 'LocalMachine',
      time: NOW,
      revocation: 'end-certificate',
    });
    expect(good.errorStatus).toBe(0);
  });

  it('no private key: the chain is fine but the service cannot use it (PrivateKeyMissing)', async () => {
    const p = await pki();
    const m = await Machine.open({ name: 'EX01' });
    await importFile(m, p.root.cert.der, { location: 'LocalMachine', store: 'Root' });
    await importFile(m, p.ica.cert.der, { location: 'LocalMachine', store: 'CA' });
    // The issued .cer imported on the server: no key.
    await importFile(m, p.leaf.cert.der, { location: 'LocalMachine', store: 'My' });
    const t = await p.leaf.cert.thumbprint();
    const r = await checkServiceCertificate(m, t, { time: NOW, lang: 'fr' });
    expect(r.chain?.errorStatus).toBe(0);
    expect(r).toMatchObject({
      usable: false,
      status: 'PrivateKeyMissing',
      hasPrivateKey: false,
      certutilKeyLine: 'No key provider information',
      keyLine: undefined,
      verdict: 'Ce certificat est valide.',
    });
    expect(r.problems.map((x) => x.code)).toEqual(['PRIVATE_KEY_MISSING']);
    // The certificate requested in the user context: key and certificate in CurrentUser, LM\My empty.
    const m2 = await Machine.open({ name: 'EX01' });
    await m2.store('LocalMachine', 'Root').add(p.root.cert);
    await m2.store('LocalMachine', 'CA').add(p.ica.cert);
    await m2.store('CurrentUser', 'My').add(p.leaf.cert, { key: p.leaf.keys.privateKey });
    expect((await checkServiceCertificate(m2, t, { time: NOW })).status).toBe('NotFound');
    // Copying it to LM\My keeps the key link, but the key is in the user's key set.
    const e = m2.store('CurrentUser', 'My').get(t)!;
    await m2.store('LocalMachine', 'My').add(e.certificate, { properties: e.properties });
    expect((await checkServiceCertificate(m2, t, { time: NOW })).status).toBe('PrivateKeyMissing');
  });

  it('a certificate in Disallowed is explicitly distrusted', async () => {
    const { m, p, leafT } = await configured();
    await m.store('LocalMachine', 'Disallowed').add(p.ica.cert);
    const c = await buildChain(m, leafT, { context: 'LocalMachine', time: NOW });
    expect(c.elements[1]!.errors).toEqual(['IS_EXPLICIT_DISTRUST']);
    expect(c.policy.name).toBe('TRUST_E_EXPLICIT_DISTRUST');
    // Distrust comes after the three rows the reference orders (signature, root, chaining), and
    // before expiry.
    expect(policyStatus(E.IS_EXPLICIT_DISTRUST | E.IS_NOT_SIGNATURE_VALID, false).name).toBe(
      'TRUST_E_CERT_SIGNATURE',
    );
    expect(policyStatus(E.IS_EXPLICIT_DISTRUST | E.IS_UNTRUSTED_ROOT, false).name).toBe(
      'CERT_E_UNTRUSTEDROOT',
    );
    expect(policyStatus(E.IS_EXPLICIT_DISTRUST | E.IS_NOT_TIME_VALID, false).name).toBe(
      'TRUST_E_EXPLICIT_DISTRUST',
    );
  });

  it('a wrong host name is a policy error, not a chain bit', async () => {
    const { m, leafT } = await configured();
    const c = await buildChain(m, leafT, { context: 'LocalMachine', time: NOW, host: 'mail.contoso.com' });
    expect(c.errorStatus).toBe(0);
    expect(c.policy.name).toBe('CERT_E_CN_NO_MATCH');
    expect(c.trusted).toBe(false);
  });

  it('SSL policy: without a subjectAltName the subject CN is matched (wildcard in the left-most label); with one it is not', async () => {
    const { m, p } = await configured();
    const cnOnly = async (cn: string, san?: string) => {
      const keys = await generateKeyPair({ type: 'ec', curve: 'P-256' });
      const cert = await createCertificate({
        subject: `CN=${cn}, O=Contoso`,
        publicKey: keys.publicKey,
        signingKey: p.ica.keys.privateKey,
        issuer: p.ica.cert,
        notBefore: T0,
        notAfter: T1,
        extensions: [
          basicConstraints({ ca: false }),
          extKeyUsage(['serverAuth']),
          ...(san ? [subjectAltName([{ type: 'dns', value: san }])] : []),
        ],
      });
      await m.store('LocalMachine', 'My').add(cert);
      return cert.thumbprint();
    };
    const policy = async (t: string, host: string) =>
      (await buildChain(m, t, { context: 'LocalMachine', time: NOW, host, usage: 'serverAuth' })).policy.name;
    const legacy = await cnOnly('legacy.contoso.com');
    expect(await policy(legacy, 'legacy.contoso.com')).toBe('S_OK');
    expect(await policy(legacy, 'LEGACY.contoso.com')).toBe('S_OK');
    expect(await policy(legacy, 'other.contoso.com')).toBe('CERT_E_CN_NO_MATCH');
    const wild = await cnOnly('*.lab.contoso.com');
    expect(await policy(wild, 'a.lab.contoso.com')).toBe('S_OK');
    expect(await policy(wild, 'a.b.lab.contoso.com')).toBe('CERT_E_CN_NO_MATCH');
    // A SAN, even one that does not name the host, makes the CN irrelevant.
    const withSan = await cnOnly('cn.contoso.com', 'san.contoso.com');
    expect(await policy(withSan, 'cn.contoso.com')).toBe('CERT_E_CN_NO_MATCH');
    expect(await policy(withSan, 'san.contoso.com')).toBe('S_OK');
    const c = await buildChain(m, legacy, { context: 'LocalMachine', time: NOW, host: 'legacy.contoso.com' });
    expect(c.reasons.map((r) => r.code)).not.toContain('ERR_PATH_HOSTNAME');
  });

  it('a forged signature: IS_NOT_SIGNATURE_VALID', async () => {
    const { m, p } = await configured();
    const der = p.leaf.cert.der.slice();
    der[der.length - 5] = der[der.length - 5]! ^ 0x01;
    const { parseCertificate } = await import('@certlab/pki');
    const c = await buildChain(m, parseCertificate(der), { context: 'LocalMachine', time: NOW });
    expect(c.elements[0]!.errorStatus & E.IS_NOT_SIGNATURE_VALID).toBeTruthy();
    expect(c.policy.name).toBe('TRUST_E_CERT_SIGNATURE');
    expect(certificateVerdict(c).general).toBe('This certificate has an invalid digital signature.');
  });
});
