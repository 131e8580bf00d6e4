// --dns / --ip / --email / --upn / --uri to GeneralNames for a subjectAltName, validated here so
// that a typo is a usage error naming the option rather than a library error about DER.

import type { GeneralName } from '@certlab/pki';
import { parseGeneralName } from '@certlab/pki';
import { listOption } from './args.js';
import { usageError } from './cli-error.js';
import type { OptionSpec, ParsedArgs } from './command.js';

/** The SAN options, in the order their names are written into the extension. */
export const SAN_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'dns',
    type: 'string',
    multiple: true,
    value: 'NAME',
    help: 'DNS name for the subjectAltName (repeatable).',
  },
  {
    name: 'ip',
    type: 'string',
    multiple: true,
    value: 'ADDR',
    help: 'IPv4 or IPv6 address for the subjectAltName (repeatable).',
  },
  {
    name: 'email',
    type: 'string',
    multiple: true,
    value: 'ADDR',
    help: 'E-mail address (rfc822Name) for the subjectAltName (repeatable).',
  },
  {
    name: 'upn',
    type: 'string',
    multiple: true,
    value: 'UPN',
    help: 'Microsoft user principal name (otherName) for the subjectAltName (repeatable).',
  },
  {
    name: 'uri',
    type: 'string',
    multiple: true,
    value: 'URI',
    help: 'URI for the subjectAltName (repeatable).',
  },
];

const DNS_NAME =
  /^(\*\.)?([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;

/**
 * Collects the SAN options in option order (all DNS names, then IPs, e-mails, UPNs, URIs).
 *
 * @example
 * ```ts
 * subjectAltNamesFrom(args, 'csr new'); // [{ type: 'dns', value: 'a.example' }, { type: 'ip', value: '10.0.0.1' }]
 * ```
 */
export function subjectAltNamesFrom(args: ParsedArgs, command: string): GeneralName[] {
  const out: GeneralName[] = [];
  for (const dns of listOption(args, 'dns')) {
    if (!DNS_NAME.test(dns)) throw usageError(`--dns '${dns}' is not a DNS name.`, command);
    out.push({ type: 'dns', value: dns });
  }
  for (const ip of listOption(args, 'ip')) {
    try {
      out.push(parseGeneralName(`ip:${ip}`));
    } catch {
      throw usageError(`--ip '${ip}' is not an IPv4 or IPv6 address.`, command);
    }
    if (ip.includes('/')) throw usageError(`--ip '${ip}' must be one address, not a range.`, command);
  }
  for (const email of listOption(args, 'email')) {
    if (!/^[^@\s]+@[^@\s]+$/.test(email))
      throw usageError(`--email '${email}' is not an e-mail address.`, command);
    out.push({ type: 'email', value: email });
  }
  for (const upn of listOption(args, 'upn')) {
    if (!upn.includes('@'))
      throw usageError(`--upn '${upn}' is not a user principal name (user@domain).`, command);
    out.push({ type: 'upn', value: upn });
  }
  for (const uri of listOption(args, 'uri')) {
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(uri)) throw usageError(`--uri '${uri}' is not a URI.`, command);
    out.push({ type: 'uri', value: uri });
  }
  return out;
}
