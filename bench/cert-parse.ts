// cert-parse: parse a DER certificate (a ~1 KB leaf made by openssl: RSA-2048 key, ECDSA P-256
// issuer signature, basicConstraints, keyUsage, EKU, SAN with 4 dNSNames, SKI, AKI, CDP, AIA) and
// read the subject as a string and the SAN list, the first thing every caller does.

import { X509Certificate as NodeX509Certificate } from 'node:crypto';
import { parseCertificate } from '@certlab/pki';
import type * as Forge from 'node-forge';
import { makeFixtures } from './fixtures.js';
import { type BenchModule, bench, fmtRatio, formatResult, rowByLabel, writeJson } from './harness.js';
import { ATTR_SHORT, asn1js, forge, LABEL, pkijs, pkijsNameString, x509 } from './peers.js';

const NAME = 'cert-parse';
const SUBJECT = 'CN=exch01.contoso.com,OU=Messaging,O=Contoso,C=FR';
const SANS = ['exch01.contoso.com', 'mail.contoso.com', 'autodiscover.contoso.com', 'exch01'];

type Parsed = [subject: string, san: readonly string[]];

function forgeSubject(c: Forge.pki.Certificate): string {
  const attrs = c.subject.attributes;
  const parts: string[] = [];
  for (let i = attrs.length - 1; i >= 0; i--) {
    const a = attrs[i]!;
    parts.push(`${a.shortName ?? ATTR_SHORT[a.type ?? ''] ?? a.type}=${String(a.value)}`);
  }
  return parts.join(',');
}

const mod: BenchModule = {
  name: NAME,
  description: 'parse a ~1 KB DER leaf certificate and read subject (string) + SAN list',
  async run() {
    const der = makeFixtures().leafDer;
    // node-forge reads "binary strings": the conversion is done once, outside the loop.
    const derBinary = forge.util.binary.raw.encode(der);

    const impls: Record<string, () => Parsed> = {
      certlab: () => {
        const c = parseCertificate(der);
        return [c.subject.toString(), c.subjectAltNames.map((g) => (g.type === 'dns' ? g.value : ''))];
      },
      [LABEL.node]: () => {
        const c = new NodeX509Certificate(der);
        // node returns 'DNS:a, DNS:b'; split it so that every row yields the same list.
        return [c.subject, (c.subjectAltName ?? '').split(', ').map((s) => s.slice(s.indexOf(':') + 1))];
      },
      [LABEL.pkijsPeculiar.replace(' + @peculiar/webcrypto', '')]: () => {
        const c = new pkijs.Certificate({ schema: asn1js.fromBER(der).result });
        const san = c.extensions?.find((e) => e.extnID === '2.5.29.17')?.parsedValue as
          | pkijs.AltName
          | undefined;
        return [pkijsNameString(c.subject), (san?.altNames ?? []).map((n) => n.value as string)];
      },
      [LABEL.x509]: () => {
        const c = new x509.X509Certificate(der);
        const san = c.getExtension(x509.SubjectAlternativeNameExtension);
        return [c.subject, (san?.names.items ?? []).map((n) => n.value)];
      },
      [LABEL.forge]: () => {
        const c = forge.pki.certificateFromAsn1(forge.asn1.fromDer(derBinary));
        const san = c.getExtension('subjectAltName') as { altNames?: { value: string }[] } | undefined;
        return [forgeSubject(c), (san?.altNames ?? []).map((n) => n.value)];
      },
    };

    // Every implementation must read the same thing. Subject strings differ only in format
    // (node: one attribute per line, most general first; @peculiar/x509: ', ' separators).
    const norm = (s: string) =>
      s
        .split(/,\s*|\n/)
        .filter(Boolean)
        .sort()
        .join(',');
    for (const [label, fn] of Object.entries(impls)) {
      const [subject, san] = fn();
      if (norm(subject) !== norm(SUBJECT) || san.join(',') !== SANS.join(',')) {
        throw new Error(`${label} read subject ${JSON.stringify(subject)} and SAN ${JSON.stringify(san)}`);
      }
    }

    const [ours, ...rest] = Object.entries(impls);
    const notes = [
      `Input: ${der.length}-byte DER leaf (RSA-2048 key, ecdsa-with-SHA256 signature, 8 extensions). Each op parses it and reads the subject as a string and the SAN dNSNames.`,
      'node:crypto X509Certificate parses with OpenSSL in C++ (d2i_X509); .subject and .subjectAltName are formatted by OpenSSL as text (the SAN text is split into a list here).',
      'pkijs: asn1js.fromBER + new pkijs.Certificate (decodes every extension eagerly); the subject string is built from typesAndValues.',
      'node-forge: the DER is converted to a binary string once, outside the loop.',
    ];
    const result = await bench(
      NAME,
      { ours: ours![1], peers: Object.fromEntries(rest), notes },
      { rounds: 10, roundMs: 150 },
    );
    const node = rowByLabel(result, LABEL.node);
    const targets = [
      {
        benchmark: NAME,
        goal: 'certlab parse + subject + SAN ≥ node:crypto X509Certificate (ratio ≥ 1)',
        measured: `${fmtRatio(node.ratio!)} (${Math.round(rowByLabel(result, 'certlab').opsPerSec).toLocaleString('en-US')} vs ${Math.round(node.opsPerSec).toLocaleString('en-US')} ops/s)`,
        met: node.ratio! >= 1,
      },
    ];
    writeJson(NAME, result);
    return { tables: [formatResult(result)], targets, data: result };
  },
};

export default mod;
