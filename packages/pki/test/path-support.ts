// Helpers for the path validation tests: small CA hierarchies signed with P-256 keys.

import {
  basicConstraints,
  type Certificate,
  createCertificate,
  type Extension,
  extKeyUsage,
  generateKeyPair,
  type KeyPair,
  keyUsage,
  subjectAltName,
} from '../src/index.js';

export const T0 = new Date(Date.UTC(2025, 0, 1));
export const T1 = new Date(Date.UTC(2035, 0, 1));
export const AT = new Date(Date.UTC(2026, 5, 1));

const keys: Promise<KeyPair>[] = [];
/** A P-256 key pair per slot, generated once. */
export function key(slot: number): Promise<KeyPair> {
  keys[slot] ??= generateKeyPair({ type: 'ec', curve: 'P-256' });
  return keys[slot]!;
}

export interface Node {
  cert: Certificate;
  keys: KeyPair;
}

export async function root(
  name = 'CN=Root',
  opts: { slot?: number; extensions?: Extension[] } = {},
): Promise<Node> {
  const k = await key(opts.slot ?? 0);
  const cert = await createCertificate({
    subject: name,
    publicKey: k.publicKey,
    signingKey: k.privateKey,
    notBefore: T0,
    notAfter: T1,
    extensions: opts.extensions ?? [basicConstraints({ ca: true }), keyUsage(['keyCertSign', 'cRLSign'])],
  });
  return { cert, keys: k };
}

export async function ca(
  issuer: Node,
  name: string,
  opts: {
    slot?: number;
    extensions?: Extension[];
    notBefore?: Date;
    notAfter?: Date;
    pathLength?: number;
  } = {},
): Promise<Node> {
  const k = await key(opts.slot ?? 1);
  const cert = await createCertificate({
    subject: name,
    publicKey: k.publicKey,
    signingKey: issuer.keys.privateKey,
    issuer: issuer.cert,
    notBefore: opts.notBefore ?? T0,
    notAfter: opts.notAfter ?? T1,
    extensions: opts.extensions ?? [
      basicConstraints(
        opts.pathLength === undefined ? { ca: true } : { ca: true, pathLength: opts.pathLength },
      ),
      keyUsage(['keyCertSign', 'cRLSign']),
    ],
  });
  return { cert, keys: k };
}

export async function leaf(
  issuer: Node,
  opts: {
    name?: string;
    dns?: string[];
    slot?: number;
    extensions?: Extension[];
    notBefore?: Date;
    notAfter?: Date;
  } = {},
): Promise<Node> {
  const k = await key(opts.slot ?? 9);
  const cert = await createCertificate({
    subject: opts.name ?? 'CN=www.contoso.com',
    publicKey: k.publicKey,
    signingKey: issuer.keys.privateKey,
    issuer: issuer.cert,
    notBefore: opts.notBefore ?? T0,
    notAfter: opts.notAfter ?? T1,
    extensions: opts.extensions ?? [
      basicConstraints({ ca: false }),
      keyUsage(['digitalSignature']),
      extKeyUsage(['serverAuth']),
      subjectAltName((opts.dns ?? ['www.contoso.com']).map((value) => ({ type: 'dns' as const, value }))),
    ],
  });
  return { cert, keys: k };
}

/** The reason codes of a result, for compact assertions. */
export function codes(r: { reasons: readonly { code: string }[] }): string[] {
  return [...new Set(r.reasons.map((x) => x.code))];
}
