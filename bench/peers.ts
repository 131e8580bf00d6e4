// The peer libraries, set up once: pkijs with two crypto engines (@peculiar/webcrypto, the
// acceptance baseline, and Node's own WebCrypto), @peculiar/x509 on Node's WebCrypto, node-forge.

import './reflect-polyfill.js';
import { Crypto as PeculiarCrypto } from '@peculiar/webcrypto';
import * as x509 from '@peculiar/x509';
import * as asn1js from 'asn1js';
import * as forgeModule from 'node-forge';
import * as pkijs from 'pkijs';

export { asn1js, pkijs, x509 };

// node-forge is CommonJS: under Node's ESM loader its API is the default export, which its
// typings (written for `import * as forge`) do not declare.
export const forge = ((forgeModule as unknown as { default?: typeof forgeModule }).default ??
  forgeModule) as typeof forgeModule;

/** Node's WebCrypto (globalThis.crypto). */
export const nodeCrypto: Crypto = globalThis.crypto;

/** @peculiar/webcrypto: a WebCrypto polyfill over node:crypto. */
export const peculiarCrypto = new PeculiarCrypto() as unknown as Crypto;

export const pkijsPeculiar = new pkijs.CryptoEngine({ name: 'peculiar', crypto: peculiarCrypto });
export const pkijsNode = new pkijs.CryptoEngine({ name: 'node', crypto: nodeCrypto });

// As pkijs's README does: the global engine is @peculiar/webcrypto. The benchmarks also pass
// the engine explicitly to each call, so that the node-WebCrypto row really uses Node's.
pkijs.setEngine('peculiar', pkijsPeculiar);
x509.cryptoProvider.set(nodeCrypto);

export const LABEL = {
  pkijsPeculiar: 'pkijs + @peculiar/webcrypto',
  pkijsNode: 'pkijs + node webcrypto',
  x509: '@peculiar/x509',
  forge: 'node-forge',
  node: 'node:crypto X509Certificate',
  openssl: 'openssl CLI (spawn per op)',
} as const;

/** Short names of the X.520 attributes the benchmarks use, for building RFC 4514 strings. */
export const ATTR_SHORT: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
};

/** pkijs: an RDN sequence from [short name, value] pairs in DER order (C first). */
export function pkijsName(pairs: readonly (readonly [string, string])[]): pkijs.RelativeDistinguishedNames {
  const oid: Record<string, string> = { C: '2.5.4.6', O: '2.5.4.10', OU: '2.5.4.11', CN: '2.5.4.3' };
  return new pkijs.RelativeDistinguishedNames({
    typesAndValues: pairs.map(
      ([k, v]) =>
        new pkijs.AttributeTypeAndValue({
          type: oid[k]!,
          value: k === 'C' ? new asn1js.PrintableString({ value: v }) : new asn1js.Utf8String({ value: v }),
        }),
    ),
  });
}

/** pkijs: the RFC 4514 string of a name (most specific first). */
export function pkijsNameString(n: pkijs.RelativeDistinguishedNames): string {
  const parts: string[] = [];
  for (let i = n.typesAndValues.length - 1; i >= 0; i--) {
    const tv = n.typesAndValues[i]!;
    parts.push(
      `${ATTR_SHORT[tv.type] ?? tv.type}=${(tv.value as { valueBlock: { value: string } }).valueBlock.value}`,
    );
  }
  return parts.join(',');
}

/** An extension whose value is an ASN.1 object (pkijs). */
export function pkijsExt(
  extnID: string,
  critical: boolean,
  value: { toSchema(): asn1js.AsnType } | asn1js.AsnType,
): pkijs.Extension {
  const schema = 'toSchema' in value ? value.toSchema() : value;
  return new pkijs.Extension({ extnID, critical, extnValue: schema.toBER(false) });
}

/** 16 random octets, positive (first bit clear), as a serial number. */
export function randomSerial(): Uint8Array {
  const b = nodeCrypto.getRandomValues(new Uint8Array(16));
  b[0] = (b[0]! & 0x7f) | 0x01;
  return b;
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

/** Bytes of a DER value that a library returned as ArrayBuffer, Uint8Array or binary string. */
export function bytesOf(v: ArrayBuffer | Uint8Array | string): Uint8Array {
  if (typeof v === 'string') return new Uint8Array(Buffer.from(v, 'binary'));
  return v instanceof Uint8Array ? v : new Uint8Array(v);
}
