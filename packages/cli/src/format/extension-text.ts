// The decoded content of one extension as text lines, in certutil -dump's wording. A known
// extension that fails to decode is shown as a hex dump with the reason, never as an error:
// `show` is how people inspect broken certificates.

import {
  type DecodedExtension,
  decodeExtension,
  type Extension,
  isoSeconds,
  KEY_USAGE_FLAGS,
  type KeyUsageFlag,
  toHex,
} from '@certlab/pki';
import { accessMethodDisplayName, ekuDisplayName, ekuWithOid, keyUsageDisplayName } from './display-names.js';
import { generalNameText } from './general-name-text.js';
import { hexDump, spacedHex } from './hex.js';

const SUB = '     ';

/**
 * Text lines for an extension's value (without the OID/critical header line).
 *
 * @example
 * ```ts
 * extensionText(keyUsage(['digitalSignature', 'keyEncipherment']));
 * // ['Digital Signature, Key Encipherment (a0)']
 * ```
 */
export function extensionText(ext: Extension): string[] {
  let decoded: DecodedExtension;
  try {
    decoded = decodeExtension(ext);
  } catch (e) {
    return [`Cannot decode: ${e instanceof Error ? e.message : String(e)}`, ...hexDump(ext.value)];
  }
  return decodedText(decoded);
}

function decodedText(d: DecodedExtension): string[] {
  switch (d.name) {
    case 'basicConstraints':
      return [
        `Subject Type=${d.value.ca ? 'CA' : 'End Entity'}`,
        `Path Length Constraint=${d.value.pathLength === undefined ? 'None' : d.value.pathLength}`,
      ];
    case 'keyUsage':
      return [keyUsageText(d.value)];
    case 'extKeyUsage':
      return d.value.map(ekuWithOid);
    case 'subjectAltName':
    case 'issuerAltName':
      return d.value.map(generalNameText);
    case 'subjectKeyIdentifier':
      return [toHex(d.value)];
    case 'authorityKeyIdentifier': {
      const out: string[] = [];
      if (d.value.keyIdentifier) out.push(`KeyID=${toHex(d.value.keyIdentifier)}`);
      if (d.value.authorityCertIssuer) {
        out.push('Certificate Issuer:');
        for (const g of d.value.authorityCertIssuer) out.push(`${SUB}${generalNameText(g)}`);
      }
      if (d.value.authorityCertSerialNumber)
        out.push(`Certificate SerialNumber=${d.value.authorityCertSerialNumber.toLowerCase()}`);
      return out;
    }
    case 'cRLDistributionPoints':
    case 'freshestCRL':
      return d.value.flatMap((p, i) => {
        const out = [`[${i + 1}]CRL Distribution Point`];
        if (p.fullName || p.nameRelativeToCRLIssuer) {
          out.push(`${SUB}Distribution Point Name:`);
          if (p.fullName) {
            out.push(`${SUB}${SUB}Full Name:`);
            for (const g of p.fullName) out.push(`${SUB}${SUB}${SUB}${generalNameText(g)}`);
          }
          if (p.nameRelativeToCRLIssuer) {
            out.push(`${SUB}${SUB}Name Relative to CRL Issuer:`);
            for (const a of p.nameRelativeToCRLIssuer) out.push(`${SUB}${SUB}${SUB}${a.type}=${a.value}`);
          }
        }
        if (p.reasons) out.push(`${SUB}CRL Reasons=${p.reasons.join(', ')}`);
        if (p.cRLIssuer) {
          out.push(`${SUB}CRL Issuer:`);
          for (const g of p.cRLIssuer) out.push(`${SUB}${SUB}${generalNameText(g)}`);
        }
        return out;
      });
    case 'authorityInfoAccess':
    case 'subjectInfoAccess': {
      const title = d.name === 'authorityInfoAccess' ? 'Authority Info Access' : 'Subject Info Access';
      return d.value.flatMap((a, i) => [
        `[${i + 1}]${title}`,
        `${SUB}Access Method=${accessMethodDisplayName(a.method)}`,
        `${SUB}Alternative Name:`,
        `${SUB}${SUB}${generalNameText(a.location)}`,
      ]);
    }
    case 'certificatePolicies':
      return d.value.flatMap((p, i) => {
        const out = [`[${i + 1}]Certificate Policy:`, `${SUB}Policy Identifier=${p.policyId}`];
        (p.qualifiers ?? []).forEach((q, j) => {
          out.push(`${SUB}[${i + 1},${j + 1}]Policy Qualifier Info:`);
          if (q.type === 'cps') {
            out.push(
              `${SUB}${SUB}Policy Qualifier Id=CPS`,
              `${SUB}${SUB}Qualifier:`,
              `${SUB}${SUB}${SUB}${q.uri}`,
            );
          } else if (q.type === 'userNotice') {
            out.push(`${SUB}${SUB}Policy Qualifier Id=User Notice`, `${SUB}${SUB}Qualifier:`);
            if (q.noticeRef)
              out.push(
                `${SUB}${SUB}${SUB}Notice Reference: ${q.noticeRef.organization} ${q.noticeRef.noticeNumbers.join(', ')}`,
              );
            if (q.explicitText !== undefined) out.push(`${SUB}${SUB}${SUB}Notice Text=${q.explicitText}`);
          } else {
            out.push(
              `${SUB}${SUB}Policy Qualifier Id=${q.oid}`,
              `${SUB}${SUB}Qualifier:`,
              ...hexDump(q.der).map((l) => `${SUB}${SUB}${SUB}${l}`),
            );
          }
        });
        return out;
      });
    case 'msApplicationPolicies':
      return d.value.flatMap((oid, i) => [
        `[${i + 1}]Application Certificate Policy:`,
        `${SUB}Policy Identifier=${ekuDisplayName(oid) ?? oid}`,
      ]);
    case 'policyMappings':
      return d.value.flatMap((m, i) => [
        `[${i + 1}]Issuer Domain=${m.issuerDomainPolicy}`,
        `${SUB}Subject Domain=${m.subjectDomainPolicy}`,
      ]);
    case 'policyConstraints': {
      const out: string[] = [];
      if (d.value.requireExplicitPolicy !== undefined)
        out.push(`Required Explicit Policy Skip Certs=${d.value.requireExplicitPolicy}`);
      if (d.value.inhibitPolicyMapping !== undefined)
        out.push(`Inhibit Policy Mapping Skip Certs=${d.value.inhibitPolicyMapping}`);
      return out;
    }
    case 'inhibitAnyPolicy':
      return [`Skip Certs=${d.value}`];
    case 'nameConstraints': {
      const out: string[] = [];
      for (const [title, list] of [
        ['Permitted', d.value.permitted],
        ['Excluded', d.value.excluded],
      ] as const) {
        if (!list) continue;
        out.push(title);
        list.forEach((s, i) => {
          out.push(`${SUB}[${i + 1}]Subtrees (${s.minimum ?? 0}..${s.maximum ?? 'Max'}):`);
          out.push(`${SUB}${SUB}${generalNameText(s.base)}`);
        });
      }
      return out;
    }
    case 'msCertificateTemplateName':
      return [d.value];
    case 'msCertificateTemplate': {
      const out = [`Template=${d.value.templateId}`, `Major Version Number=${d.value.majorVersion}`];
      if (d.value.minorVersion !== undefined) out.push(`Minor Version Number=${d.value.minorVersion}`);
      return out;
    }
    case 'msCaVersion':
      return [`V${d.value.certIndex}.${d.value.keyIndex}`];
    case 'msNextCrlPublish':
      return [isoSeconds(d.value)];
    case 'msNtdsCaSecurity':
      return [`SID=${d.value}`];
    case 'unknown':
      return hexDump(d.value);
  }
}

/**
 * `Digital Signature, Key Encipherment (a0)`: the flags in Windows' words and the bit string's
 * bytes in hex (two bytes only when decipherOnly, bit 8, is set).
 *
 * @example
 * ```ts
 * keyUsageText(['keyCertSign', 'cRLSign']); // 'Certificate Signing, Off-line CRL Signing, CRL Signing (06)'
 * ```
 */
export function keyUsageText(flags: readonly KeyUsageFlag[]): string {
  const bytes = new Uint8Array(flags.includes('decipherOnly') ? 2 : 1);
  for (const f of flags) {
    const i = KEY_USAGE_FLAGS.indexOf(f);
    bytes[i >> 3]! |= 0x80 >> (i & 7);
  }
  return `${flags.map(keyUsageDisplayName).join(', ')} (${spacedHex(bytes)})`;
}
