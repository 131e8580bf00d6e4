// `certlab ca revoke` and `certlab ca unrevoke`: revoke an issued certificate with a reason
// (certutil -revoke SERIAL REASON), or release one from hold (certutil -revoke SERIAL unrevoke).

import { ADMIN_REVOCATION_REASONS, type CertificationAuthority, type RequestResult } from '@certlab/ca-sim';
import type { CrlReason } from '@certlab/pki';
import { choiceOption, stringOption } from '../args.js';
import {
  DB_OPTION,
  DIR_OPTION,
  KEY_PASSPHRASE_OPTION,
  requestIdOption,
  requestJson,
  withCa,
} from '../ca-support.js';
import { EXIT, usageError } from '../cli-error.js';
import type { Command, ParsedArgs } from '../command.js';
import { FORMAT_OPTION } from '../common-options.js';
import { isoSeconds } from '../format/dates.js';
import { crlReasonDisplayName } from '../format/display-names.js';
import { writeJson, writeLines } from '../output.js';

/** The reasons a certificate can be revoked with: AD CS's, each at its CRLReason code. */
const REASONS: readonly { name: CrlReason; code: number }[] = ADMIN_REVOCATION_REASONS.map((name, code) => ({
  name,
  code,
}));

const ID_OPTION = {
  name: 'id',
  type: 'string',
  short: 'i',
  value: 'N',
  help: 'The request id of the certificate.',
} as const;
const SERIAL_OPTION = {
  name: 'serial',
  type: 'string',
  short: 's',
  value: 'HEX',
  help: 'The certificate serial number (hex; colons and spaces allowed).',
} as const;

/** The certificate a command acts on: --id N (a number) or --serial HEX (text), exactly one. */
function target(args: ParsedArgs, command: string): number | string {
  const id = requestIdOption(args, command);
  const serial = stringOption(args, 'serial');
  if (id !== undefined && serial !== undefined) throw usageError('give --id or --serial, not both.', command);
  if (id !== undefined) return id;
  if (serial === undefined) throw usageError('--id N or --serial HEX is required.', command);
  const hex = serial.replace(/[\s:]/g, '').replace(/^0x/i, '');
  if (!/^[0-9a-f]+$/i.test(hex)) throw usageError(`--serial must be hexadecimal, not '${serial}'.`, command);
  return hex;
}

/** --reason: a name (case-insensitive) or its number, as certutil -revoke takes it. */
function reasonOption(args: ParsedArgs, command: string): CrlReason {
  const v = stringOption(args, 'reason');
  if (v === undefined) return 'unspecified';
  const t = v.trim();
  const hit = REASONS.find((r) => r.name.toLowerCase() === t.toLowerCase() || String(r.code) === t);
  if (!hit)
    throw usageError(
      `--reason must be one of ${REASONS.map((r) => r.name).join(', ')} (or its number), not '${v}'.`,
      command,
    );
  return hit.name;
}

async function print(
  ctx: Parameters<Command['run']>[0],
  format: 'text' | 'json',
  r: RequestResult,
  lines: string[],
): Promise<void> {
  if (format === 'json') writeJson(ctx.io.stdout, await requestJson(r));
  else writeLines(ctx.io.stdout, lines);
}

const REVOKE = 'ca revoke';

export const caRevoke: Command = {
  name: REVOKE,
  summary: 'Revoke an issued certificate with a reason (certutil -revoke).',
  usage: [`${REVOKE} [--dir DIR] (--id N | --serial HEX) [--reason R] [--format text|json]`],
  description: `Revokes the certificate of request N, or the one with serial number HEX. The reason is one of ${REASONS.map((r) => `${r.name} (${r.code})`).join(', ')}; default unspecified, as certutil. A certificate on hold (certificateHold) can be released with ca unrevoke, or revoked again with a final reason. The revocation shows in the next CRL: publish one with ca crl. A certificate already revoked for good is exit 1 [ERR_CA_REVOCATION_STATE]; a request without a certificate is exit 1 [ERR_CA_REQUEST_STATE].`,
  options: [
    DIR_OPTION,
    ID_OPTION,
    SERIAL_OPTION,
    {
      name: 'reason',
      type: 'string',
      short: 'r',
      value: 'R',
      help: 'Revocation reason: unspecified, keyCompromise, cACompromise, affiliationChanged, superseded, cessationOfOperation, certificateHold, or its number (0-6, as certutil -revoke).',
    },
    DB_OPTION,
    KEY_PASSPHRASE_OPTION,
    FORMAT_OPTION,
  ],
  examples: [
    `${REVOKE} --dir ./pki --id 3 --reason keyCompromise`,
    `${REVOKE} --dir ./pki --serial 320000000165A57F231A6E4CC1000000000001 --reason certificateHold`,
  ],
  async run(ctx, args) {
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', REVOKE);
    const which = target(args, REVOKE);
    const reason = reasonOption(args, REVOKE);
    return withCa(ctx, args, REVOKE, async (ca) => {
      const r = await ca.revoke(which, reason);
      await print(ctx, format, r, [
        `Revoked request ${r.requestId}, serial number ${r.serialNumber} -- Reason: ${crlReasonDisplayName(reason)}`,
        `  Subject:         ${r.certificate?.subject.toWindowsString() ?? r.subject ?? ''}`,
        `  Revocation Date: ${r.revokedAt ? isoSeconds(r.revokedAt) : ''}`,
        "Publish a CRL with 'certlab ca crl' for relying parties to see it.",
      ]);
      return EXIT.ok;
    });
  },
};

const UNREVOKE = 'ca unrevoke';

export const caUnrevoke: Command = {
  name: UNREVOKE,
  summary: 'Release a certificate from hold (certutil -revoke SERIAL unrevoke).',
  usage: [`${UNREVOKE} [--dir DIR] (--serial HEX | --id N) [--format text|json]`],
  description:
    'Takes a certificate revoked with reason certificateHold off hold: it is valid again; the next delta CRL lists it as removeFromCRL when the current base CRL lists the hold (RFC 5280 §5.2.4), and the next CRLs no longer list it. Any other revocation is final: exit 1 [ERR_CA_REVOCATION_STATE].',
  options: [DIR_OPTION, SERIAL_OPTION, ID_OPTION, DB_OPTION, KEY_PASSPHRASE_OPTION, FORMAT_OPTION],
  examples: [`${UNREVOKE} --dir ./pki --serial 320000000165A57F231A6E4CC1000000000001`],
  async run(ctx, args) {
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', UNREVOKE);
    const which = target(args, UNREVOKE);
    return withCa(ctx, args, UNREVOKE, async (ca: CertificationAuthority) => {
      const r = await ca.unrevoke(which);
      await print(ctx, format, r, [
        `Released request ${r.requestId}, serial number ${r.serialNumber} from hold: it is valid again.`,
        "The next CRLs no longer list it; the next delta CRL ('certlab ca crl --delta') lists it as Remove From CRL if the base CRL lists the hold.",
      ]);
      return EXIT.ok;
    });
  },
};
