// The Microsoft serialized certificate store (.sst): read as [MS-OSHARED] 2.3.9.1 lays it out
// (files built here byte by byte, independently of the encoder, with what Windows also writes:
// encoding type 0x10001, hash and key-provider properties, a CTL), written back, imported by the
// wizard with its friendly names, exported with the chain; malformed files end in a coded error
// and leave the stores as they were.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cat as concat } from '../../../test/support/der.js';
import {
  decodeSerializedStore,
  encodeSerializedStore,
  exportCertificate,
  importFile,
  isSerializedStore,
  Machine,
  StoreError,
} from '../src/index.js';
import { pki } from './fixtures.js';

/** One entry: id, encoding type, length (little-endian DWORDs), value. */
function entry(id: number, value: Uint8Array, encoding = 0x10001): Uint8Array {
  const out = new Uint8Array(12 + value.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, id, true);
  v.setUint32(4, encoding, true);
  v.setUint32(8, value.length, true);
  out.set(value, 12);
  return out;
}

const HEADER = Uint8Array.of(0, 0, 0, 0, 0x43, 0x45, 0x52, 0x54); // version 0, "CERT"
const END = new Uint8Array(12);
/** "Contoso Racine é" as an LPWSTR (UTF-16LE with its NUL). */
const FRIENDLY = Uint8Array.from(
  [...'Contoso Racine é\0'].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8]),
);

describe('serialized certificate store (.sst)', () => {
  it('reads a store laid out as [MS-OSHARED] 2.3.9.1, with the properties Windows writes', async () => {
    const p = await pki();
    const bytes = concat(
      HEADER,
      entry(3, new Uint8Array(20).fill(7)), // CERT_SHA1_HASH_PROP_ID: skipped
      entry(11, FRIENDLY), // CERT_FRIENDLY_NAME_PROP_ID
      entry(32, p.root.cert.der), // CERT_CERT_PROP_ID
      entry(2, new Uint8Array(40)), // CERT_KEY_PROV_INFO_PROP_ID: no key travels in a .sst
      entry(19, new Uint8Array(0)), // CERT_ARCHIVED_PROP_ID
      entry(32, p.ica.cert.der, 1),
      entry(33, p.crl.der), // CERT_CRL_PROP_ID
      entry(34, Uint8Array.of(0x30, 0)), // CERT_CTL_PROP_ID: not modelled
      entry(32, p.leaf.cert.der),
      END,
    );
    expect(isSerializedStore(bytes)).toBe(true);
    const store = decodeSerializedStore(bytes);
    expect(await Promise.all(store.certificates.map((c) => c.certificate.thumbprint()))).toEqual(
      await Promise.all([p.root, p.ica, p.leaf].map((n) => n.cert.thumbprint())),
    );
    expect(store.certificates.map((c) => c.properties)).toEqual([
      { friendlyName: 'Contoso Racine é' },
      { archived: true },
      {},
    ]);
    expect(store.crls.map((c) => c.der)).toEqual([p.crl.der]);
    expect(store.skippedCtls).toBe(1);
    // What follows the end marker is not read (a registry Blob or a padded file).
    expect(decodeSerializedStore(concat(bytes, Uint8Array.of(1, 2, 3))).certificates).toHaveLength(3);
    // An empty store is header + end marker.
    expect(decodeSerializedStore(concat(HEADER, END))).toEqual({
      certificates: [],
      crls: [],
      skippedCtls: 0,
    });
  });

  it('writes what it reads: header, each certificate after its properties, CRLs, end marker', async () => {
    const p = await pki();
    const bytes = encodeSerializedStore(
      [
        { certificate: p.root.cert, properties: { friendlyName: 'Contoso Racine é', description: 'lab' } },
        { certificate: p.leaf.cert, properties: { archived: true, keyContainer: 'not written' } },
      ],
      [p.crl],
    );
    expect(bytes.subarray(0, 8)).toEqual(HEADER);
    expect(bytes.subarray(-12)).toEqual(END);
    // The friendly name entry first, byte for byte as built by hand (encoding type 1, [MS-OSHARED]).
    expect(bytes.subarray(8, 8 + 12 + FRIENDLY.length)).toEqual(entry(11, FRIENDLY, 1));
    const back = decodeSerializedStore(bytes);
    expect(back.certificates.map((c) => c.properties)).toEqual([
      { friendlyName: 'Contoso Racine é', description: 'lab' },
      { archived: true },
    ]);
    expect(back.certificates[1]!.certificate.der).toEqual(p.leaf.cert.der);
    expect(back.crls[0]!.der).toEqual(p.crl.der);
  });

  it('refuses what is not a complete store with ERR_STORE_IMPORT_INVALID, naming the place', async () => {
    const p = await pki();
    const good = concat(HEADER, entry(32, p.root.cert.der), END);
    const bad = (b: Uint8Array) => {
      try {
        decodeSerializedStore(b);
      } catch (e) {
        expect(e).toBeInstanceOf(StoreError);
        expect((e as StoreError).code).toBe('ERR_STORE_IMPORT_INVALID');
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(bad(good.subarray(0, good.length - 12))).toMatch(/ends at byte \d+ without its end marker/);
    expect(bad(good.subarray(0, 30))).toMatch(/claims \d+ bytes; \d+ remain/);
    expect(bad(concat(HEADER, entry(0x10000, Uint8Array.of(1)), END))).toMatch(
      /above a property id's 0xFFFF/,
    );
    expect(bad(concat(HEADER, entry(32, Uint8Array.of(0x30, 0x03, 1, 1, 0)), END))).toMatch(
      /the certificate at byte 20 is not a DER X\.509 certificate/,
    );
    expect(bad(Uint8Array.of(1, 0, 0, 0, 0x43, 0x45, 0x52, 0x54))).toMatch(
      /version 0 and the file type "CERT"/,
    );
    // Id 0 with anything but zeros after it is a damaged entry, not the end marker.
    expect(bad(concat(HEADER, entry(32, p.root.cert.der), entry(0, Uint8Array.of(1, 2, 3)), END))).toMatch(
      /has id 0 but is not the 12-byte zero end marker/,
    );
    expect(() => decodeSerializedStore('CERT' as unknown as Uint8Array)).toThrow(TypeError);
  });

  it('imports into the chosen store or by type, keeping friendly names; warns about a CTL', async () => {
    const p = await pki();
    const sst = concat(
      HEADER,
      entry(11, FRIENDLY),
      entry(32, p.root.cert.der),
      entry(32, p.leaf.cert.der),
      entry(33, p.crl.der),
      entry(34, Uint8Array.of(0x30, 0)),
      END,
    );
    const m = await Machine.open({ name: 'EX01' });
    const placed = await importFile(m, sst, { location: 'LocalMachine', store: 'Root' });
    expect(placed.certificates.map((e) => `${e.location}\\${e.store}`)).toEqual([
      'LocalMachine\\Root',
      'LocalMachine\\Root',
    ]);
    expect(m.store('LocalMachine', 'Root').get(await p.root.cert.thumbprint())?.properties.friendlyName).toBe(
      'Contoso Racine é',
    );
    expect(placed.crls).toEqual(['LocalMachine\\Root']);
    expect(placed.warnings).toEqual([
      'A certificate trust list of the .sst was not imported (CTLs are not modelled).',
    ]);
    // Automatic placement: the wizard's rule for each certificate (a CA, even a root, to CA; an
    // end entity to AddressBook); --friendly-name wins over the file's.
    const auto = await importFile(await Machine.open({ name: 'EX02' }), sst, {
      location: 'LocalMachine',
      friendlyName: 'given',
    });
    expect(auto.certificates.map((e) => [e.store, e.properties.friendlyName])).toEqual([
      ['CA', 'given'],
      ['AddressBook', 'given'],
    ]);
  });

  it('exports a certificate with its chain and properties (Export-Certificate -Type SST)', async () => {
    const p = await pki();
    const m = await Machine.open({ name: 'EX01' });
    await m.store('LocalMachine', 'Root').add(p.root.cert, { properties: { friendlyName: 'Contoso Root' } });
    await m.store('LocalMachine', 'CA').add(p.ica.cert);
    await m
      .store('LocalMachine', 'My')
      .add(p.leaf.cert, { properties: { friendlyName: 'Exchange UM', description: 'ex01' } });
    const thumb = await p.leaf.cert.thumbprint();
    const one = await exportCertificate(m, 'LocalMachine', 'My', thumb, { format: 'sst' });
    const chain = await exportCertificate(m, 'LocalMachine', 'My', thumb, {
      format: 'sst',
      includeChain: true,
    });
    expect(decodeSerializedStore(one as Uint8Array).certificates.map((c) => c.properties)).toEqual([
      { friendlyName: 'Exchange UM', description: 'ex01' },
    ]);
    expect(
      await Promise.all(
        decodeSerializedStore(chain as Uint8Array).certificates.map((c) => c.certificate.thumbprint()),
      ),
    ).toEqual(await Promise.all([p.leaf, p.ica, p.root].map((n) => n.cert.thumbprint())));
    // The chain certificates carry the properties of their store copies too.
    expect(decodeSerializedStore(chain as Uint8Array).certificates.map((c) => c.properties)).toEqual([
      { friendlyName: 'Exchange UM', description: 'ex01' },
      {},
      { friendlyName: 'Contoso Root' },
    ]);
    // And back in on another machine, name included.
    const other = await Machine.open({ name: 'EX02' });
    await importFile(other, chain as Uint8Array, { location: 'LocalMachine', store: 'TrustedPeople' });
    expect(other.store('LocalMachine', 'TrustedPeople').get(thumb)?.properties.friendlyName).toBe(
      'Exchange UM',
    );
  });

  it('malformed .sst files: only coded errors, never a half-imported store (fast-check)', async () => {
    const p = await pki();
    const original = concat(
      HEADER,
      entry(11, FRIENDLY),
      entry(32, p.root.cert.der),
      entry(32, p.ica.cert.der),
      entry(33, p.crl.der),
      END,
    );
    const m = await Machine.open({ name: 'EX01' });
    await m.store('LocalMachine', 'CA').add(p.leaf.cert);
    const state = () =>
      ['Root', 'CA']
        .map(
          (s) =>
            `${s}:${m.store('LocalMachine', s).list().length}:${m.store('LocalMachine', s).crls().length}`,
        )
        .join('|');
    const initial = state();
    let failures = 0;
    let successes = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }), cut: fc.boolean() }), {
          minLength: 1,
          maxLength: 3,
        }),
        async (ms) => {
          let b = original.slice();
          for (const x of ms) {
            // Aim half of the changes at the 8-byte header and the entry heads, where a parser breaks.
            const at = x.at % 2 === 0 ? x.at % Math.min(b.length, 32) : x.at % b.length;
            if (x.cut) b = b.slice(0, at);
            else b[at] = x.byte;
          }
          for (const s of ['Root', 'CA'])
            for (const e of m.store('LocalMachine', s).list())
              if (e.location === 'LocalMachine' && s === 'Root')
                await m.store('LocalMachine', s).remove(e.thumbprint);
          const before = state();
          try {
            await importFile(m, b, { location: 'LocalMachine', store: 'Root' });
            successes++;
          } catch (e) {
            failures++;
            // One coded error class for the package: a pki error never leaks out of importFile.
            if (!(e instanceof StoreError)) throw e;
            expect(state()).toBe(before);
          }
        },
      ),
      { seed: 0x5557, numRuns: 300 },
    );
    expect(failures).toBeGreaterThan(50);
    expect(successes).toBeGreaterThan(0);
    expect(initial).toBe('Root:0:0|CA:1:0');
  });
});
