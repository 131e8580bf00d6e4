// The container parts of `certlab show`: the header of a PKCS #7 (.p7b) and of a PKCS#12
// (.pfx) file, and the summary of the key a PKCS#12 carries. The certificates, CRLs and keys
// inside are rendered by their own reports.

import { oidName, type Pkcs7, type Pkcs12Bag, type Pkcs12Contents } from '@certlab/pki';
import { describeKey } from '../key-spec.js';
import type { Json } from './json-value.js';

const BAG_NAMES: Record<Pkcs12Bag['type'], string> = {
  key: 'Key Bag',
  'shrouded-key': 'Shrouded Key Bag',
  certificate: 'Certificate Bag',
  crl: 'CRL Bag',
  secret: 'Secret Bag',
  other: 'Other Bag',
};

/** The header of a PKCS #7, rendered both ways (without its certificates and CRLs). */
export interface ContainerHeader {
  readonly text: string[];
  readonly json: { [key: string]: Json };
}

const CONTENT_TYPES: Record<string, string> = {
  '1.2.840.113549.1.7.1': 'data',
  '1.2.840.113549.1.9.16.1.4': 'TSTInfo',
};

function contentTypeText(oid: string): string {
  const name = CONTENT_TYPES[oid] ?? oidName(oid);
  return name === oid ? oid : `${oid} (${name})`;
}

/**
 * The PKCS #7 header: form, version, content type, counts.
 *
 * @example
 * ```ts
 * pkcs7Header(parsePkcs7(der)).text[0]; // 'PKCS7 Message (SignedData, certs-only):'
 * ```
 */
export function pkcs7Header(p7: Pkcs7, options: { signerChecked?: boolean } = {}): ContainerHeader {
  const certs = p7.certificates.length;
  const crls = p7.crls.length;
  const others = p7.otherCertificates.length;
  const text = [
    `PKCS7 Message (SignedData${p7.isCertsOnly ? ', certs-only' : ''}):`,
    `Version: ${p7.version}`,
    `Content Type: ${contentTypeText(p7.contentType)}`,
    `Signer Count: ${p7.signerCount}${p7.signerCount ? (options.signerChecked ? ' (the first is checked below)' : ' (signatures are not checked)') : ''}`,
    `Certificate Count: ${certs}`,
  ];
  if (others) text.push(`Other Certificate Count: ${others} (attribute or other certificates, not shown)`);
  text.push(`CRL Count: ${crls}`);
  return {
    text,
    json: {
      version: p7.version,
      contentType: p7.contentType,
      certsOnly: p7.isCertsOnly,
      signerCount: p7.signerCount,
      otherCertificateCount: others,
    },
  };
}

function bagJson(b: Pkcs12Bag): Json {
  return {
    type: b.type,
    oid: b.oid,
    friendlyName: b.friendlyName ?? null,
    localKeyId: b.localKeyId ?? null,
    encryption: b.encryption ?? null,
    iterations: b.iterations ?? null,
    subject: b.certificate ? b.certificate.subject.toWindowsString() : null,
    ...(b.unsupported !== undefined ? { unsupported: b.unsupported } : {}),
  };
}

function bagText(b: Pkcs12Bag, i: number): string[] {
  const out = [`  Bag[${i}]: ${BAG_NAMES[b.type]} (${b.oid})`];
  out.push(
    b.encryption
      ? `      Encryption: ${b.encryption}${b.iterations !== undefined ? `, ${b.iterations} iterations` : ''}`
      : '      Encryption: none (plain data safe)',
  );
  if (b.friendlyName !== undefined) out.push(`      Friendly Name: ${b.friendlyName}`);
  if (b.localKeyId !== undefined) out.push(`      Local Key Id: ${b.localKeyId}`);
  if (b.certificate) out.push(`      Subject: ${b.certificate.subject.toWindowsString()}`);
  if (b.unsupported !== undefined) out.push(`      Not imported: ${b.unsupported}`);
  return out;
}

/** Whether the key of a PKCS#12 belongs to its leaf certificate. */
export function keyMatchesLeaf(c: Pkcs12Contents): boolean {
  return (
    c.key !== undefined && c.certificate !== undefined && c.key.publicKey.equals(c.certificate.publicKey)
  );
}

/**
 * The PKCS#12 header: friendly name, MAC, the bags (type, encryption, iterations, attributes)
 * and a one-line key summary.
 *
 * @example
 * ```ts
 * pkcs12Header(await readPkcs12(der, password)).text;
 * ```
 */
export function pkcs12Header(c: Pkcs12Contents): ContainerHeader {
  const text = ['PKCS12 (PFX) File:', `Friendly Name: ${c.friendlyName ?? '(none)'}`];
  text.push(
    c.mac
      ? `Integrity: HMAC-${c.mac.hash} MAC, ${c.mac.iterations} iterations`
      : 'Integrity: no MAC (only decryption checks the password)',
  );
  let keyLine: string;
  const skipped = c.bags.filter((b) => b.unsupported !== undefined).length;
  if (!c.key)
    keyLine = skipped
      ? `Private Key: ${skipped === 1 ? 'one' : skipped} of a type certlab does not import (see its bag)`
      : 'Private Key: none';
  else if (!c.certificate)
    keyLine = `Private Key: ${describeKey(c.key)}, no certificate of the file matches it`;
  else
    keyLine = keyMatchesLeaf(c)
      ? `Private Key: ${describeKey(c.key)}, matches Certificate 0 (the leaf)`
      : `Private Key: ${describeKey(c.key)}, does NOT match Certificate 0`;
  text.push(keyLine);
  // A file with several keys (a Java keystore, a Windows export of several certificates): the
  // report below shows the one above; list every key so that none goes unnoticed.
  if (c.keys.length > 1) {
    text.push(`Private Keys: ${c.keys.length} (the report below shows the one above)`);
    c.keys.forEach((k, i) => {
      const cert = k.certificate?.subject.toWindowsString();
      text.push(
        `  Key ${i}: ${describeKey(k.key)}${k.friendlyName !== undefined ? `, "${k.friendlyName}"` : ''}, ${cert === undefined ? 'no certificate' : `certificate ${cert || '(empty subject)'}`}`,
      );
    });
  }
  text.push(`Bag Count: ${c.bags.length}`);
  c.bags.forEach((b, i) => {
    text.push(...bagText(b, i));
  });
  return {
    text,
    json: {
      friendlyName: c.friendlyName ?? null,
      mac: c.mac ? { hash: c.mac.hash, iterations: c.mac.iterations } : null,
      bags: c.bags.map(bagJson),
      keys: c.keys.map((k) => ({
        key: describeKey(k.key),
        friendlyName: k.friendlyName ?? null,
        certificate: k.certificate ? k.certificate.subject.toWindowsString() : null,
      })),
    },
  };
}
