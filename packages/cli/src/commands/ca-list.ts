// `certlab ca list`: the requests of the CA database as the Certification Authority console
// shows them (Issued, Pending, Failed and Revoked folders), as a table or JSON.

import { REQUEST_STATUSES, type RequestResult } from '@certlab/ca-sim';
import { choiceOption } from '../args.js';
import {
  commonNameOf,
  DB_OPTION,
  DIR_OPTION,
  KEY_PASSPHRASE_OPTION,
  requestJson,
  withCa,
} from '../ca-support.js';
import { EXIT } from '../cli-error.js';
import type { Command } from '../command.js';
import { FORMAT_OPTION } from '../common-options.js';
import { isoSeconds } from '../format/dates.js';
import { columns, writeJson, writeLines } from '../output.js';

const NAME = 'ca list';

const HEADERS = [
  'Request ID',
  'Requester Name',
  'Disposition',
  'Serial Number',
  'Certificate Template',
  'Expiration Date',
  'Issued Common Name',
] as const;

function status(r: RequestResult): string {
  return r.disposition.charAt(0).toUpperCase() + r.disposition.slice(1);
}

function row(r: RequestResult): string[] {
  return [
    String(r.requestId),
    r.requester?.name ?? '',
    status(r),
    r.serialNumber ?? '',
    r.template ?? '',
    r.certificate ? isoSeconds(r.certificate.notAfter) : '',
    commonNameOf(r) ?? '',
  ];
}

export const caList: Command = {
  name: NAME,
  summary: 'List the requests of the CA database, like the Certification Authority console.',
  usage: ['ca list [--dir DIR] [--status issued|pending|denied|revoked] [--format text|json]'],
  description:
    'Prints the requests in id order with the columns of the CA console: Request ID, Requester Name, Disposition (Issued, Pending, Denied, Revoked), Serial Number, Certificate Template, Expiration Date (UTC) and Issued Common Name. --status keeps one folder. The JSON form is an array of request objects with the disposition message, HRESULT, dates and the certificate PEM.',
  options: [
    DIR_OPTION,
    {
      name: 'status',
      type: 'string',
      value: 'S',
      help: 'Only requests with this status: issued, pending, denied or revoked.',
    },
    DB_OPTION,
    KEY_PASSPHRASE_OPTION,
    FORMAT_OPTION,
  ],
  examples: [
    'ca list --dir ./pki',
    'ca list --dir ./pki --status pending',
    'ca list --dir ./pki --format json',
  ],
  async run(ctx, args) {
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', NAME);
    const statusFilter = choiceOption(args, 'status', REQUEST_STATUSES, undefined, NAME);
    return withCa(ctx, args, NAME, async (ca) => {
      const results = await ca.list(statusFilter ? { status: statusFilter } : {});
      if (format === 'json') {
        const items = [];
        for (const r of results) items.push(await requestJson(r));
        writeJson(ctx.io.stdout, items);
      } else if (results.length === 0)
        writeLines(ctx.io.stdout, [`No ${statusFilter ? `${statusFilter} ` : ''}requests.`]);
      else writeLines(ctx.io.stdout, columns([[...HEADERS], ...results.map(row)]));
      return EXIT.ok;
    });
  },
};
