// Requests for the tests: made with @certlab/pki (fast) or with `openssl req` (interop).

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CertificationRequest,
  createCsr,
  type Extension,
  type GeneralName,
  generateKeyPair,
  type KeySpec,
  type PrivateKey,
  subjectAltName,
} from '@certlab/pki';
import { openssl } from './openssl.js';

const keys = new Map<string, Promise<PrivateKey>>();

/** A cached key per spec: key generation (RSA above all) is the slow part of these tests. */
export function testKey(spec: KeySpec = { type: 'ec', curve: 'P-256' }, slot = 0): Promise<PrivateKey> {
  const id = `${JSON.stringify(spec)}#${slot}`;
  let k = keys.get(id);
  if (!k) {
    k = generateKeyPair(spec).then((p) => p.privateKey);
    keys.set(id, k);
  }
  return k;
}

/** A PKCS #10 request from @certlab/pki. */
export async function makeCsr(
  o: {
    subject?: string;
    san?: readonly GeneralName[];
    key?: KeySpec;
    template?: string;
    extensions?: readonly Extension[];
    /** Signs with this key instead of the cached `testKey(key)`. */
    privateKey?: PrivateKey;
  } = {},
): Promise<CertificationRequest> {
  return createCsr({
    subject: o.subject ?? 'CN=exch01.contoso.com, O=Contoso, C=FR',
    privateKey: o.privateKey ?? (await testKey(o.key)),
    extensions: [...(o.san?.length ? [subjectAltName(o.san)] : []), ...(o.extensions ?? [])],
    ...(o.template ? { template: o.template } : {}),
  });
}

/** A request made by `openssl req -new` in `dir`; returns its PEM text. */
export function opensslCsr(
  dir: string,
  o: { name: string; subj: string; key: 'ec' | 'rsa' | 'rsa1024'; san?: string },
): string {
  const keyFile = join(dir, `${o.name}.key`);
  const csrFile = join(dir, `${o.name}.csr`);
  const keyArgs =
    o.key === 'ec'
      ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']
      : ['-newkey', o.key === 'rsa' ? 'rsa:2048' : 'rsa:1024'];
  openssl([
    'req',
    '-new',
    ...keyArgs,
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    csrFile,
    '-subj',
    o.subj,
    ...(o.san ? ['-addext', `subjectAltName=${o.san}`] : []),
  ]);
  return readFileSync(csrFile, 'utf8');
}

/** Writes text to `dir/name` and returns the path. */
export function put(dir: string, name: string, text: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}
