// --eku and --key-usage lists to extension values. Names are matched case-insensitively
// (`serverauth`, `ServerAuth`), and a bad name is a usage error listing the accepted ones.

import { ekuOid, KEY_USAGE_FLAGS, type KeyUsageFlag } from '@certlab/pki';
import { listOption } from './args.js';
import { usageError } from './cli-error.js';
import type { OptionSpec, ParsedArgs } from './command.js';

/** EKU names the CLI advertises; any dotted OID is accepted too. */
export const EKU_NAMES = [
  'serverAuth',
  'clientAuth',
  'codeSigning',
  'emailProtection',
  'timeStamping',
  'OCSPSigning',
  'ipsecIKE',
  'smartcardLogon',
  'msEFS',
  'documentSigning',
  'anyExtendedKeyUsage',
] as const;

export const EKU_OPTION: OptionSpec = {
  name: 'eku',
  type: 'string',
  multiple: true,
  value: 'LIST',
  help: `Extended key usages, comma-separated or repeated: ${EKU_NAMES.join(', ')}, or dotted OIDs.`,
};

export const KEY_USAGE_OPTION: OptionSpec = {
  name: 'key-usage',
  type: 'string',
  multiple: true,
  value: 'LIST',
  help: `Key usages, comma-separated or repeated: ${KEY_USAGE_FLAGS.join(', ')}.`,
};

/**
 * The EKU OIDs of --eku, in order, without duplicates.
 *
 * @example
 * ```ts
 * ekusFrom(args, 'csr new'); // ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']
 * ```
 */
export function ekusFrom(args: ParsedArgs, command: string): string[] {
  const out: string[] = [];
  for (const item of listOption(args, 'eku', true)) {
    const name = EKU_NAMES.find((n) => n.toLowerCase() === item.toLowerCase()) ?? item;
    let oid: string;
    try {
      oid = ekuOid(name);
    } catch {
      throw usageError(
        `unknown extended key usage '${item}': use ${EKU_NAMES.join(', ')} or a dotted OID.`,
        command,
      );
    }
    if (!out.includes(oid)) out.push(oid);
  }
  return out;
}

/**
 * The key usage flags of --key-usage, in order, without duplicates.
 *
 * @example
 * ```ts
 * keyUsagesFrom(args, 'csr new'); // ['digitalSignature', 'keyEncipherment']
 * ```
 */
export function keyUsagesFrom(args: ParsedArgs, command: string): KeyUsageFlag[] {
  const out: KeyUsageFlag[] = [];
  for (const item of listOption(args, 'key-usage', true)) {
    const flag = KEY_USAGE_FLAGS.find((f) => f.toLowerCase() === item.toLowerCase());
    if (!flag) throw usageError(`unknown key usage '${item}': use ${KEY_USAGE_FLAGS.join(', ')}.`, command);
    if (!out.includes(flag)) out.push(flag);
  }
  return out;
}
