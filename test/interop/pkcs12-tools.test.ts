// PKCS#12 both ways between certlab and the tools people import .pfx files with:
// - OpenSSL 3 (`openssl pkcs12`), NSS (`pk12util` into a fresh `certutil` database) and Java
//   (`keytool`) open what createPkcs12 writes, for both profiles and RSA, P-256 and Ed25519;
// - readPkcs12 opens what they write, including the legacy ciphers (RC2-40, RC2-128, 2- and
//   3-key 3DES), SHA-1/SHA-512 MACs, empty passwords, no MAC and no encryption;
// - the PKCS#12 KDF and RC2 agree with OpenSSL's own (`openssl kdf PKCS12KDF`, `openssl enc`).
// Debian packages: openssl, libnss3-tools (pk12util, certutil), a JRE with keytool.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  type Certificate,
  createCertificate,
  decodePem,
  importPrivateKey,
  type KeyPair,
  type PrivateKey,
  parseCertificate,
  signatureAlgorithmFor,
  signData,
  verifySignature,
} from '@certlab/pki';
import { beforeAll, expect, it } from 'vitest';
import { toHex } from '../../packages/pki/src/internal/bytes.js';
import { pkcs12KdfSync } from '../../packages/pki/src/internal/pkcs12-kdf.js';
import { rc2CbcDecrypt, rc2CbcEncrypt } from '../../packages/pki/src/internal/rc2.js';
import { createPkcs12, type Pkcs12Profile, readPkcs12 } from '../../packages/pki/src/pkcs12.js';
import { keyPair, NOT_BEFORE } from '../support/fixtures.js';
import { opensslBytes, opensslRun, runOpenssl } from '../support/openssl.js';
import { useTmpDir } from '../support/tmp.js';
import { describeWithTool, hasTool } from '../support/tools.js';

const KEYS = [
  { label: 'RSA', spec: { type: 'rsa', bits: 2048 } },
  { label: 'P-256', spec: { type: 'ec', curve: 'P-256' } },
  { label: 'Ed25519', spec: { type: 'ed25519' } },
] as const;
const PROFILES: Pkcs12Profile[] = ['modern', 'legacy'];
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');

/** Runs a tool; never throws for a non-zero exit. */
function run(cmd: string, args: string[], input?: string): { status: number; out: string } {
  const r = spawnSync(cmd, args, {
    input,
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

function must(cmd: string, args: string[]): string {
  const r = run(cmd, args);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}:\n${r.out}`);
  return r.out;
}

async function signsFor(key: PrivateKey, cert: Certificate): Promise<boolean> {
  const alg = signatureAlgorithmFor(key);
  const data = new TextEncoder().encode('interop');
  return verifySignature(cert.publicKey, alg, data, await signData(key, alg, data));
}

/** A self-signed certificate for a key pair made by certlab. */
async function selfSigned(pair: KeyPair, cn: string): Promise<Certificate> {
  return createCertificate({
    subject: `CN=${cn}, O=Contoso, C=FR`,
    publicKey: pair.publicKey,
    signingKey: pair.privateKey,
    notBefore: NOT_BEFORE,
    days: 3650,
  });
}

const tmp = useTmpDir('certlab-pkcs12-');
/** Our files, written once per key type and profile, read by each tool below. */
const ours = new Map<string, { file: string; pair: KeyPair; cert: Certificate; name: string }>();
const PASSWORD = 'Pa55 wörd';

beforeAll(async () => {
  for (const k of KEYS) {
    const pair = await keyPair(k.spec, 12);
    const cert = await selfSigned(pair, `pfx-${slug(k.label)}.contoso.com`);
    for (const profile of PROFILES) {
      const name = `certlab ${k.label} ${profile}`;
      const der = await createPkcs12({
        key: pair.privateKey,
        certificate: cert,
        password: PASSWORD,
        friendlyName: name,
        profile,
      });
      ours.set(`${k.label}/${profile}`, {
        file: tmp.write(`ours-${slug(k.label)}-${profile}.pfx`, der),
        pair,
        cert,
        name,
      });
    }
  }
}, 120_000);

// --------------------------------------------------------------------------------------------

describeWithTool('openssl', 'PKCS#12: OpenSSL opens certlab files', () => {
  for (const k of KEYS) {
    for (const profile of PROFILES) {
      it(`${k.label}, ${profile}: the MAC verifies and the key and certificate come out intact`, async () => {
        const o = ours.get(`${k.label}/${profile}`)!;
        const info = opensslRun([
          'pkcs12',
          '-in',
          o.file,
          '-passin',
          `pass:${PASSWORD}`,
          '-info',
          '-nokeys',
          '-noout',
        ]).stderr;
        if (profile === 'modern') {
          expect(info).toContain('MAC: sha256, Iteration 2048');
          expect(info).toContain(
            'PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256',
          );
        } else {
          expect(info).toContain('MAC: sha1, Iteration 2048');
          expect(info).toContain('PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048');
        }
        // The legacy profile is 3DES, which OpenSSL 3 keeps in its default provider: no -legacy needed,
        // and -legacy works too.
        for (const extra of profile === 'legacy' ? [[], ['-legacy']] : [[]]) {
          const out = opensslRun([
            'pkcs12',
            '-in',
            o.file,
            '-passin',
            `pass:${PASSWORD}`,
            '-nodes',
            ...extra,
          ]).stdout;
          expect(out).toContain(`friendlyName: ${o.name}`);
          const blocks = decodePem(out);
          const key = await importPrivateKey(blocks.find((b) => b.label === 'PRIVATE KEY')!.bytes);
          expect(toHex(await key.toPkcs8())).toBe(toHex(await o.pair.privateKey.toPkcs8()));
          expect(parseCertificate(blocks.find((b) => b.label === 'CERTIFICATE')!.bytes).equals(o.cert)).toBe(
            true,
          );
        }
        const wrong = runOpenssl(['pkcs12', '-in', o.file, '-passin', 'pass:wrong', '-noout']);
        expect(wrong.status).not.toBe(0);
        expect(wrong.stderr).toMatch(/mac verify (error|failure)/i);
      });
    }
  }
});

describeWithTool('openssl', 'PKCS#12: certlab opens OpenSSL files', () => {
  /** Key and self-signed certificate made by OpenSSL, per key type. */
  const made = new Map<string, { key: string; cert: string; ca: string; pkcs8: Uint8Array }>();
  beforeAll(async () => {
    const caKey = tmp.file('ossl-ca.key');
    const caCert = tmp.file('ossl-ca.pem');
    must('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      caKey,
      '-out',
      caCert,
      '-subj',
      '/CN=OpenSSL Test CA',
      '-days',
      '30',
    ]);
    for (const [label, alg] of [
      ['RSA', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']],
      ['P-256', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']],
      ['Ed25519', ['-algorithm', 'ED25519']],
    ] as const) {
      const key = tmp.file(`ossl-${slug(label)}.key`);
      const csr = tmp.file(`ossl-${slug(label)}.csr`);
      const cert = tmp.file(`ossl-${slug(label)}.pem`);
      must('openssl', ['genpkey', ...alg, '-out', key]);
      must('openssl', ['req', '-new', '-key', key, '-out', csr, '-subj', `/CN=openssl-${slug(label)}`]);
      must('openssl', [
        'x509',
        '-req',
        '-in',
        csr,
        '-CA',
        caCert,
        '-CAkey',
        caKey,
        '-out',
        cert,
        '-days',
        '30',
      ]);
      const pkcs8 = opensslBytes(['pkey', '-in', key, '-outform', 'DER']);
      made.set(label, { key, cert, ca: caCert, pkcs8 });
    }
  }, 60_000);

  const VARIANTS: {
    name: string;
    args: string[];
    password?: string;
    expect: { certs?: string; key?: string; mac?: string };
  }[] = [
    {
      name: 'default (PBES2 AES-256, HMAC-SHA256)',
      args: [],
      expect: { certs: 'PBES2 (PBKDF2-HMAC-SHA-256, AES-256-CBC)', mac: 'SHA-256' },
    },
    {
      name: '-legacy (RC2-40 certificates, 3DES key, HMAC-SHA1)',
      args: ['-legacy'],
      expect: { certs: 'pbeWithSHAAnd40BitRC2-CBC', key: 'pbeWithSHAAnd3-KeyTripleDES-CBC', mac: 'SHA-1' },
    },
    {
      name: '-certpbe PBE-SHA1-RC2-40 -keypbe PBE-SHA1-3DES -legacy',
      args: ['-certpbe', 'PBE-SHA1-RC2-40', '-keypbe', 'PBE-SHA1-3DES', '-legacy'],
      expect: { certs: 'pbeWithSHAAnd40BitRC2-CBC', key: 'pbeWithSHAAnd3-KeyTripleDES-CBC' },
    },
    {
      name: 'RC2-128 certificates and a 2-key 3DES key',
      args: ['-certpbe', 'PBE-SHA1-RC2-128', '-keypbe', 'PBE-SHA1-2DES', '-legacy'],
      expect: { certs: 'pbeWithSHAAnd128BitRC2-CBC', key: 'pbeWithSHAAnd2-KeyTripleDES-CBC' },
    },
    {
      name: 'PBES2 with DES-EDE3-CBC and AES-128, an HMAC-SHA512 MAC',
      args: ['-certpbe', 'des-ede3-cbc', '-keypbe', 'aes-128-cbc', '-macalg', 'sha512'],
      expect: {
        certs: 'PBES2 (PBKDF2-HMAC-SHA-256, DES-EDE3-CBC)',
        key: 'PBES2 (PBKDF2-HMAC-SHA-256, AES-128-CBC)',
        mac: 'SHA-512',
      },
    },
    {
      name: 'HMAC-SHA1 MAC, 10000 iterations',
      args: ['-macalg', 'sha1', '-iter', '10000'],
      expect: { mac: 'SHA-1' },
    },
    { name: 'an empty password', args: [], password: '', expect: {} },
    { name: 'no MAC (-nomac)', args: ['-nomac'], expect: {} },
    {
      name: 'no encryption (-keypbe NONE -certpbe NONE)',
      args: ['-keypbe', 'NONE', '-certpbe', 'NONE'],
      expect: { certs: undefined, key: undefined },
    },
  ];

  for (const k of KEYS) {
    for (const v of VARIANTS) {
      it(`${k.label}: ${v.name}`, async () => {
        const m = made.get(k.label)!;
        const password = v.password ?? 'op3n$sl';
        const file = tmp.file(`ossl-${slug(k.label)}-${slug(v.name)}.pfx`);
        must('openssl', [
          'pkcs12',
          '-export',
          '-inkey',
          m.key,
          '-in',
          m.cert,
          '-certfile',
          m.ca,
          '-name',
          'from openssl',
          '-out',
          file,
          '-passout',
          `pass:${password}`,
          ...v.args,
        ]);
        const r = await readPkcs12(new Uint8Array(readFileSync(file)), password);
        const expected = await importPrivateKey(m.pkcs8);
        expect(r.key!.publicKey.equals(expected.publicKey)).toBe(true);
        expect(toHex(await r.key!.toPkcs8())).toBe(toHex(await expected.toPkcs8()));
        const certDer = decodePem(readFileSync(m.cert, 'utf8'))[0]!.bytes;
        expect(toHex(r.certificate!.der)).toBe(toHex(certDer));
        expect(r.chain.map((c) => c.subject.toWindowsString())).toEqual(['CN=OpenSSL Test CA']);
        expect(r.friendlyName).toBe('from openssl');
        expect(await signsFor(r.key!, r.certificate!)).toBe(true);
        const leafBag = r.bags.find((b) => b.type === 'certificate' && b.localKeyId)!;
        expect(leafBag.localKeyId).toBe(await r.certificate!.thumbprint('SHA-1'));
        if ('certs' in v.expect) expect(leafBag.encryption).toBe(v.expect.certs);
        if ('key' in v.expect)
          expect(r.bags.find((b) => b.type.endsWith('key'))!.encryption).toBe(v.expect.key);
        if (v.expect.mac) expect(r.mac?.hash).toBe(v.expect.mac);
        if (v.args.includes('-nomac')) expect(r.mac).toBeUndefined();
        await expect(readPkcs12(new Uint8Array(readFileSync(file)), `${password}x`)).rejects.toMatchObject({
          code: 'ERR_PKI_PKCS12_PASSWORD',
        });
      });
    }
  }

  it('the PKCS#12 KDF agrees with `openssl kdf PKCS12KDF` (SHA-1 and SHA-256, IDs 1 to 3)', () => {
    const bmp = (s: string) => Uint8Array.from([...s].flatMap((c) => [0, c.charCodeAt(0)]).concat([0, 0]));
    for (const [digest, id, len, iter] of [
      ['SHA1', 1, 24, 2048],
      ['SHA1', 2, 8, 2048],
      ['SHA1', 3, 20, 1000],
      ['SHA256', 3, 32, 2048],
      ['SHA256', 1, 70, 3],
    ] as const) {
      const pass = bmp('p4ssword');
      const salt = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const out = opensslRun([
        'kdf',
        '-keylen',
        String(len),
        '-kdfopt',
        `digest:${digest}`,
        '-kdfopt',
        `hexpass:${toHex(pass)}`,
        '-kdfopt',
        `hexsalt:${toHex(salt)}`,
        '-kdfopt',
        `iter:${iter}`,
        '-kdfopt',
        `id:${id}`,
        'PKCS12KDF',
      ]).stdout;
      const ours = pkcs12KdfSync(digest === 'SHA1' ? 'SHA-1' : 'SHA-256', pass, salt, id, iter, len);
      expect(toHex(ours, true)).toBe(out.trim().replace(/:/g, ''));
    }
  });

  it('RC2-40-CBC agrees with `openssl enc -rc2-40-cbc` (legacy provider) both ways', () => {
    const key = Uint8Array.from([0x15, 0x76, 0x62, 0x89, 0xdf]);
    const iv = Uint8Array.from([0xda, 0xb3, 0x97, 0x33, 0xc6, 0x73, 0xfa, 0x70]);
    const plain = new TextEncoder().encode(
      'RC2 with a 40-bit effective key, as Windows wrote certificate safes.',
    );
    const prov = ['-provider', 'legacy', '-provider', 'default'];
    const ct = opensslBytes(['enc', '-rc2-40-cbc', ...prov, '-K', toHex(key), '-iv', toHex(iv)], {
      input: plain,
    });
    expect(toHex(rc2CbcEncrypt(key, 40, iv, plain))).toBe(toHex(ct));
    expect(new TextDecoder().decode(rc2CbcDecrypt(key, 40, iv, ct)!)).toBe(new TextDecoder().decode(plain));
    const back = opensslBytes(['enc', '-d', '-rc2-40-cbc', ...prov, '-K', toHex(key), '-iv', toHex(iv)], {
      input: rc2CbcEncrypt(key, 40, iv, plain),
    });
    expect(toHex(back)).toBe(toHex(plain));
  });
});

// --------------------------------------------------------------------------------------------

describeWithTool('pk12util', 'PKCS#12: NSS (pk12util, certutil)', () => {
  const newDb = (name: string): string => {
    const dir = tmp.file(`nss-${name}`);
    must('mkdir', ['-p', dir]);
    must('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password']);
    return dir;
  };

  it('certutil is installed with pk12util', () => {
    expect(hasTool('certutil')).toBe(true);
  });

  for (const k of KEYS.filter((x) => x.label !== 'Ed25519')) {
    for (const profile of PROFILES) {
      it(`${k.label}, ${profile}: pk12util imports the key and certificate; certutil lists both under the friendlyName`, () => {
        const o = ours.get(`${k.label}/${profile}`)!;
        const db = newDb(`${slug(k.label)}-${profile}`);
        expect(must('pk12util', ['-i', o.file, '-d', `sql:${db}`, '-W', PASSWORD, '-K', ''])).toContain(
          'PKCS12 IMPORT SUCCESSFUL',
        );
        const certs = must('certutil', ['-L', '-d', `sql:${db}`]);
        expect(certs).toMatch(new RegExp(`^${o.name}\\s+u,u,u$`, 'm'));
        expect(must('certutil', ['-K', '-d', `sql:${db}`])).toContain(o.name);
        expect(run('pk12util', ['-i', o.file, '-d', `sql:${db}`, '-W', 'wrong', '-K', '']).status).not.toBe(
          0,
        );
      });
    }
  }

  it('Ed25519: pk12util imports ours exactly when it imports OpenSSL’s (NSS 3.87 imports neither)', () => {
    const o = ours.get('Ed25519/modern')!;
    const key = tmp.file('nss-ed.key');
    const cert = tmp.file('nss-ed.pem');
    const theirs = tmp.file('nss-ed-openssl.pfx');
    must('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ed25519',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-subj',
      '/CN=ed',
      '-days',
      '3',
    ]);
    must('openssl', [
      'pkcs12',
      '-export',
      '-inkey',
      key,
      '-in',
      cert,
      '-name',
      'ed',
      '-out',
      theirs,
      '-passout',
      'pass:pw',
    ]);
    const a =
      run('pk12util', ['-i', o.file, '-d', `sql:${newDb('ed-ours')}`, '-W', PASSWORD, '-K', '']).status === 0;
    const b =
      run('pk12util', ['-i', theirs, '-d', `sql:${newDb('ed-openssl')}`, '-W', 'pw', '-K', '']).status === 0;
    expect(a).toBe(b);
  });

  for (const [name, args, certs, key, mac] of [
    [
      'default export (PBES2, 600,000 iterations)',
      [],
      'PBES2 (PBKDF2-HMAC-SHA-256, AES-128-CBC)',
      'PBES2 (PBKDF2-HMAC-SHA-256, AES-256-CBC)',
      'SHA-256',
    ],
    [
      'legacy ciphers (RC2-40 certificates, 3DES key, SHA-1 MAC)',
      [
        '-C',
        'PKCS #12 V2 PBE With SHA-1 And 40 Bit RC2 CBC',
        '-c',
        'PKCS #12 V2 PBE With SHA-1 And 3KEY Triple DES-CBC',
        '-M',
        'SHA-1',
      ],
      'pbeWithSHAAnd40BitRC2-CBC',
      'pbeWithSHAAnd3-KeyTripleDES-CBC',
      'SHA-1',
    ],
  ] as const) {
    it(`certlab reads pk12util -o: ${name}`, async () => {
      const o = ours.get('RSA/modern')!;
      const db = newDb(`export-${slug(name)}`);
      must('pk12util', ['-i', o.file, '-d', `sql:${db}`, '-W', PASSWORD, '-K', '']);
      const out = tmp.file(`nss-${slug(name)}.p12`);
      expect(
        must('pk12util', ['-o', out, '-n', o.name, '-d', `sql:${db}`, '-W', 'nss-pw', '-K', '', ...args]),
      ).toContain('EXPORT SUCCESSFUL');
      const r = await readPkcs12(new Uint8Array(readFileSync(out)), 'nss-pw');
      expect(toHex(await r.key!.toPkcs8())).toBe(toHex(await o.pair.privateKey.toPkcs8()));
      expect(r.certificate!.equals(o.cert)).toBe(true);
      expect(r.friendlyName).toBe(o.name);
      expect(r.bags.find((b) => b.type === 'certificate')!.encryption).toBe(certs);
      expect(r.bags.find((b) => b.type === 'shrouded-key')!.encryption).toBe(key);
      expect(r.mac?.hash).toBe(mac);
    });
  }
});

// --------------------------------------------------------------------------------------------

describeWithTool('keytool', 'PKCS#12: Java keytool', () => {
  const STORE_PW = 'changeit-please';
  // Java's PKCS#12 keystore refuses non-ASCII passwords ("Password is not ASCII", its PBE key
  // classes check), so the files for Java use an ASCII one.
  const JAVA_PW = 'Pa55 word';
  const list = (store: string, pw: string) =>
    must('keytool', ['-list', '-v', '-storetype', 'PKCS12', '-keystore', store, '-storepass', pw]);
  const forJava = async (
    label: string,
    profile: Pkcs12Profile,
  ): Promise<{ file: string; name: string; pair: KeyPair; cert: Certificate }> => {
    const o = ours.get(`${label}/${profile}`)!;
    const der = await createPkcs12({
      key: o.pair.privateKey,
      certificate: o.cert,
      password: JAVA_PW,
      friendlyName: o.name,
      profile,
    });
    return { ...o, file: tmp.write(`java-src-${slug(label)}-${profile}.pfx`, der) };
  };

  it('rejects a non-ASCII password itself, whoever wrote the file (a Java limitation, not ours)', () => {
    const o = ours.get('P-256/modern')!;
    expect(
      run('keytool', ['-list', '-v', '-storetype', 'PKCS12', '-keystore', o.file, '-storepass', PASSWORD])
        .out,
    ).toContain('Password is not ASCII');
  });

  for (const k of KEYS) {
    for (const profile of PROFILES) {
      it(`${k.label}, ${profile}: keytool lists our file and imports it into a new keystore as a PrivateKeyEntry`, async () => {
        const o = await forJava(k.label, profile);
        const direct = list(o.file, JAVA_PW);
        // Java keystores fold aliases (taken from friendlyName) to lower case.
        expect(direct).toContain(`Alias name: ${o.name.toLowerCase()}`);
        expect(direct).toContain('Entry type: PrivateKeyEntry');
        const dest = tmp.file(`java-${slug(k.label)}-${profile}.p12`);
        must('keytool', [
          '-importkeystore',
          '-srckeystore',
          o.file,
          '-srcstoretype',
          'PKCS12',
          '-srcstorepass',
          JAVA_PW,
          '-destkeystore',
          dest,
          '-deststoretype',
          'PKCS12',
          '-deststorepass',
          STORE_PW,
          '-noprompt',
        ]);
        const out = list(dest, STORE_PW);
        expect(out).toContain('Your keystore contains 1 entry');
        expect(out).toContain('Entry type: PrivateKeyEntry');
        expect(out).toContain(`Owner: CN=pfx-${slug(k.label)}.contoso.com, O=Contoso, C=FR`);
      });
    }
  }

  for (const [label, args] of [
    ['RSA', ['-keyalg', 'RSA', '-keysize', '2048']],
    ['EC P-256', ['-keyalg', 'EC', '-groupname', 'secp256r1']],
    ['Ed25519', ['-keyalg', 'Ed25519']],
  ] as const) {
    for (const legacy of [false, true]) {
      it(`certlab reads keytool -genkeypair -storetype PKCS12: ${label}${legacy ? ' (-Dkeystore.pkcs12.legacy: RC2-40, 3DES, SHA-1)' : ''}`, async () => {
        const store = tmp.file(`java-gen-${slug(label)}-${legacy}.p12`);
        must('keytool', [
          ...(legacy ? ['-J-Dkeystore.pkcs12.legacy'] : []),
          '-genkeypair',
          '-alias',
          'java key',
          ...args,
          '-dname',
          `CN=java-${slug(label)}`,
          '-validity',
          '30',
          '-storetype',
          'PKCS12',
          '-keystore',
          store,
          '-storepass',
          STORE_PW,
          '-keypass',
          STORE_PW,
        ]);
        const r = await readPkcs12(new Uint8Array(readFileSync(store)), STORE_PW);
        expect(r.friendlyName).toBe('java key');
        expect(r.certificate!.subject.toWindowsString()).toBe(`CN=java-${slug(label)}`);
        expect(r.key!.publicKey.equals(r.certificate!.publicKey)).toBe(true);
        expect(await signsFor(r.key!, r.certificate!)).toBe(true);
        const keyBag = r.bags.find((b) => b.type === 'shrouded-key')!;
        expect(keyBag.encryption).toBe(
          legacy ? 'pbeWithSHAAnd3-KeyTripleDES-CBC' : 'PBES2 (PBKDF2-HMAC-SHA-256, AES-256-CBC)',
        );
        expect(r.mac?.hash).toBe(legacy ? 'SHA-1' : 'SHA-256');
      });
    }
  }

  it('certlab reads keytool -importkeystore output made from a certlab .pfx', async () => {
    const o = await forJava('P-256', 'legacy');
    const dest = tmp.file('java-imported.p12');
    must('keytool', [
      '-importkeystore',
      '-srckeystore',
      o.file,
      '-srcstoretype',
      'PKCS12',
      '-srcstorepass',
      JAVA_PW,
      '-destkeystore',
      dest,
      '-deststoretype',
      'PKCS12',
      '-deststorepass',
      STORE_PW,
      '-noprompt',
    ]);
    const r = await readPkcs12(new Uint8Array(readFileSync(dest)), STORE_PW);
    expect(toHex(await r.key!.toPkcs8())).toBe(toHex(await o.pair.privateKey.toPkcs8()));
    expect(r.certificate!.equals(o.cert)).toBe(true);
    expect(r.friendlyName).toBe(o.name.toLowerCase());
  });
});
