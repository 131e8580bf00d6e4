// LDAP CDP and AIA URLs (certsrv reference §11.4): with Active Directory publication configured,
// certificates and base CRLs list the ldap:/// URL before the HTTP one, as a default AD CS install
// does; httpUrls: false leaves only LDAP; the configuration is kept in the CA's database.

import {
  createAuthority,
  createMemoryStore,
  type LdapPublication,
  ldapAiaUrl,
  ldapCdpUrl,
} from '@certlab/ca-sim';
import {
  type Certificate,
  decodeCrlDistributionPoints,
  decodeInfoAccess,
  type GeneralName,
  OID,
} from '@certlab/pki';
import { describe, expect, it } from 'vitest';
import { makeCsr } from './support/csr.js';
import { HAVE_OPENSSL, openssl } from './support/openssl.js';

const LDAP: LdapPublication = {
  configurationContainer: 'CN=Configuration,DC=contoso,DC=com',
  serverShortName: 'PKI',
};
const CDP_LDAP =
  'ldap:///CN=Contoso%20Issuing%20CA,CN=PKI,CN=CDP,CN=Public%20Key%20Services,CN=Services,CN=Configuration,DC=contoso,DC=com?certificateRevocationList?base?objectClass=cRLDistributionPoint';
const AIA_LDAP =
  'ldap:///CN=Contoso%20Issuing%20CA,CN=AIA,CN=Public%20Key%20Services,CN=Services,CN=Configuration,DC=contoso,DC=com?cACertificate?base?objectClass=certificationAuthority';

/** The URIs of a list of general names. */
const uris = (names: readonly GeneralName[]) => names.flatMap((g) => (g.type === 'uri' ? [g.value] : []));
const cdpOf = (c: Certificate) =>
  decodeCrlDistributionPoints(c.getExtension(OID.cRLDistributionPoints)!.value).flatMap((p) =>
    uris(p.fullName ?? []),
  );
const aiaOf = (c: Certificate) =>
  uris(decodeInfoAccess(c.getExtension(OID.authorityInfoAccess)!.value).map((a) => a.location));

async function issued(ca: Awaited<ReturnType<typeof createAuthority>>): Promise<Certificate> {
  const r = await ca.submit((await makeCsr()).toPem(), { template: 'WebServer' });
  expect(r.disposition, r.message).toBe('issued');
  return r.certificate!;
}

describe('LDAP publication', () => {
  it('builds the URLs AD CS writes', () => {
    expect(ldapCdpUrl(LDAP, 'Contoso Issuing CA', 0, false)).toBe(CDP_LDAP);
    expect(ldapCdpUrl(LDAP, 'Contoso Issuing CA', 2, true)).toBe(
      'ldap:///CN=Contoso%20Issuing%20CA(2),CN=PKI,CN=CDP,CN=Public%20Key%20Services,CN=Services,CN=Configuration,DC=contoso,DC=com?deltaRevocationList?base?objectClass=cRLDistributionPoint',
    );
    expect(ldapAiaUrl(LDAP, 'Contoso Issuing CA')).toBe(AIA_LDAP);
  });

  it('lists LDAP then HTTP in certificates and base CRLs, and keeps the choice in the database', async () => {
    const db = createMemoryStore();
    const options = {
      name: 'Contoso Issuing CA',
      root: { name: 'Contoso Root CA' },
      keyType: 'ec' as const,
      baseUrl: 'http://pki.contoso.com',
      db,
    };
    const ca = await createAuthority({ ...options, ldap: LDAP });
    const leaf = await issued(ca);
    expect(cdpOf(leaf)).toEqual([CDP_LDAP, 'http://pki.contoso.com/CertEnroll/Contoso%20Issuing%20CA.crl']);
    expect(aiaOf(leaf)).toEqual([
      AIA_LDAP,
      'http://pki.contoso.com/CertEnroll/pki.contoso.com_Contoso%20Issuing%20CA.crt',
    ]);
    // The issuing CA's own certificate points to the root's LDAP and HTTP locations.
    expect(cdpOf(ca.certificate)[0]).toMatch(/^ldap:\/\/\/CN=Contoso%20Root%20CA,CN=PKI,CN=CDP,/);
    const base = await ca.publishCrl();
    expect(uris(base.crl.freshestCrl?.[0]?.fullName ?? [])).toEqual([
      ldapCdpUrl(LDAP, 'Contoso Issuing CA', 0, true),
      'http://pki.contoso.com/CertEnroll/Contoso%20Issuing%20CA+.crl',
    ]);
    if (HAVE_OPENSSL) {
      const text = openssl(['x509', '-noout', '-text'], { input: leaf.toPem() });
      expect(text).toContain(`URI:${CDP_LDAP}`);
      expect(text).toContain(`CA Issuers - URI:${AIA_LDAP}`);
    }
    // Reopened without the option: the database keeps it.
    const again = await createAuthority(options);
    expect(cdpOf(await issued(again))[0]).toBe(CDP_LDAP);
  });

  it('httpUrls: false writes LDAP URLs only', async () => {
    const ca = await createAuthority({
      name: 'Contoso Issuing CA',
      keyType: 'ec',
      ldap: LDAP,
      httpUrls: false,
    });
    const leaf = await issued(ca);
    expect(cdpOf(leaf)).toEqual([CDP_LDAP]);
    expect(aiaOf(leaf)).toEqual([AIA_LDAP]);
  });

  it('refuses options it cannot honour, before creating anything', async () => {
    const cases: [object, RegExp][] = [
      [{ httpUrls: false }, /give ldap too/],
      [{ ldap: { ...LDAP, configurationContainer: 'DC=contoso,DC=com' } }, /CN=Configuration/],
      [{ ldap: { ...LDAP, serverShortName: 'pki.contoso.com' } }, /NetBIOS/],
      [
        { ldap: LDAP, name: 'A CA name that is far longer than thirty-two characters' },
        /at most 32 characters/,
      ],
    ];
    for (const [extra, message] of cases)
      await expect(
        createAuthority({ name: 'Contoso Issuing CA', keyType: 'ec', ...extra }),
        JSON.stringify(extra),
      ).rejects.toMatchObject({ code: 'ERR_CA_OPTIONS_INVALID', message: expect.stringMatching(message) });
  });
});
