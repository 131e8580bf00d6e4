// The /CertEnroll/ folder's file lookup (certsrv reference §6.5): every file the folder lists is
// found by its name, without case as IIS on NTFS does, and a name is only looked up where it can
// be, so a .crt download reads no CRL from the database.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type CertificationAuthority, certEnrollFiles, findCertEnrollFile } from '../src/index.js';
import { contosoAuthority } from './support/certsrv-fixture.js';

let ca: CertificationAuthority;
let plus: CertificationAuthority;

beforeAll(async () => {
  ca = await contosoAuthority();
  // A CA name ending with "+": its file names carry the sanitized name ("!002b"), so a base CRL
  // file never looks like a delta ("X+.crl").
  plus = await contosoAuthority('Contoso Plus+');
}, 60_000);

afterAll(async () => {
  await ca?.close();
  await plus?.close();
});

describe('findCertEnrollFile', () => {
  it('finds every file of the folder by its name, in any case', async () => {
    for (const authority of [ca, plus]) {
      const files = await certEnrollFiles(authority);
      expect(files.filter((f) => f.type === 'crl')).toHaveLength(3); // root base, issuing base and delta (publishAllCrls)
      for (const f of files) {
        expect(await findCertEnrollFile(authority, f.name)).toEqual(f);
        expect(await findCertEnrollFile(authority, f.name.toUpperCase())).toEqual(f);
      }
    }
    expect((await findCertEnrollFile(plus, 'Contoso Plus!002b.crl'))?.der).toEqual(
      (await plus.latestCrl({ delta: false }))?.crl.der,
    );
    expect((await findCertEnrollFile(plus, 'Contoso Plus!002b+.crl'))?.der).toEqual(
      (await plus.latestCrl({ delta: true }))?.crl.der,
    );
  });

  it('answers undefined for names the folder does not hold', async () => {
    for (const name of ['missing.crl', 'missing+.crl', 'x.crt', '', 'Contoso Issuing CA(1).crl', 'ca.json'])
      expect(await findCertEnrollFile(ca, name)).toBeUndefined();
  });

  it('reads no CRL for a .crt and, for a .crl, only the CRL its name designates', async () => {
    const spy = vi.spyOn(ca, 'latestCrl');
    try {
      const crt = (await certEnrollFiles(ca)).find((f) => f.type === 'certificate')!;
      spy.mockClear();
      expect(await findCertEnrollFile(ca, crt.name)).toEqual(crt);
      expect(spy).not.toHaveBeenCalled();
      await findCertEnrollFile(ca, 'Contoso Root CA.crl');
      expect(spy.mock.calls.map(([o]) => o)).toEqual([{ delta: false, authority: 'root', keyIndex: 0 }]);
      spy.mockClear();
      await findCertEnrollFile(ca, 'Contoso Issuing CA+.crl');
      expect(spy.mock.calls.map(([o]) => o)).toEqual([{ delta: true, authority: 'issuing', keyIndex: 0 }]);
      spy.mockClear();
      await findCertEnrollFile(ca, 'Contoso Issuing CA(7).crl');
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});
