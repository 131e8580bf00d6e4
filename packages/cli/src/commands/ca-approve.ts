// `certlab ca approve` and `certlab ca deny`: the CA officer's Issue and Deny on a pending
// request (the Certification Authority console's Pending Requests folder, certutil -resubmit and
// certutil -deny).

import type { CertificationAuthority, RequestResult } from '@certlab/ca-sim';
import { choiceOption } from '../args.js';
import {
  DB_OPTION,
  DIR_OPTION,
  dispositionLines,
  KEY_PASSPHRASE_OPTION,
  requestJson,
  requireRequestId,
  withCa,
} from '../ca-support.js';
import { EXIT } from '../cli-error.js';
import type { Command } from '../command.js';
import { FORMAT_OPTION } from '../common-options.js';
import { writeJson, writeLines } from '../output.js';

function officerCommand(
  verb: 'approve' | 'deny',
  summary: string,
  description: string,
  act: (ca: CertificationAuthority, id: number) => Promise<RequestResult>,
): Command {
  const name = `ca ${verb}`;
  return {
    name,
    summary,
    usage: [`${name} [--dir DIR] --id N [--format text|json]`],
    description,
    options: [
      DIR_OPTION,
      { name: 'id', type: 'string', short: 'i', value: 'N', help: 'The pending request id.' },
      DB_OPTION,
      KEY_PASSPHRASE_OPTION,
      FORMAT_OPTION,
    ],
    examples: [`${name} --dir ./pki --id 4`],
    async run(ctx, args) {
      const format = choiceOption(args, 'format', ['text', 'json'], 'text', name);
      const id = requireRequestId(args, name);
      return withCa(
        ctx,
        args,
        name,
        async (ca) => {
          const r = await act(ca, id);
          if (format === 'json') writeJson(ctx.io.stdout, await requestJson(r));
          else {
            const lines = [`RequestId: ${r.requestId}`, ...dispositionLines(r)];
            if (r.disposition === 'issued')
              lines.push(`Retrieve it with 'certlab ca retrieve --id ${r.requestId} --out FILE'.`);
            writeLines(ctx.io.stdout, lines);
          }
          // An approval the policy module still refuses ends denied: that is a failure.
          return verb === 'approve' && r.disposition !== 'issued' ? EXIT.failed : EXIT.ok;
        },
        { signs: verb === 'approve' },
      );
    },
  };
}

export const caApprove: Command = officerCommand(
  'approve',
  'Issue a pending request (the CA officer\'s "Issue", certutil -resubmit).',
  'Issues request N, which must be pending (e.g. submitted with a manager-approval template such as WebServer_Manual): the policy module runs again without the approval step, and the disposition becomes "Resubmitted by <officer>". Retrieve the certificate with ca retrieve. A request that is not pending is exit 1 [ERR_CA_REQUEST_STATE]; an unknown id is exit 1 [ERR_CA_REQUEST_NOT_FOUND].',
  (ca, id) => ca.approve(id),
);

export const caDeny: Command = officerCommand(
  'deny',
  'Deny a pending request (the CA officer\'s "Deny", certutil -deny).',
  'Denies request N, which must be pending: the disposition becomes "Denied by <officer>" with status CERTSRV_E_ADMIN_DENIED_REQUEST (0x80094014). A request that is not pending is exit 1 [ERR_CA_REQUEST_STATE].',
  (ca, id) => ca.deny(id),
);
