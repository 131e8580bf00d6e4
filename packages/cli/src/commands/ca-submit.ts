// `certlab ca submit`: submit a PKCS #10 request to the CA as `certreq -submit` does, print the
// request id and disposition with AD CS's message, and save the certificate when it is issued.

import { join } from 'node:path';
import {
  caChainOf,
  encodeCertsrvCertificates,
  type RequesterIdentity,
  type SubmitOptions,
} from '@certlab/ca-sim';
import { booleanOption, choiceOption, listOption, stringOption } from '../args.js';
import {
  caDir,
  DB_OPTION,
  DIR_OPTION,
  dispositionLines,
  ENC_OPTION,
  encOption,
  encodingText,
  KEY_PASSPHRASE_OPTION,
  requestIdLines,
  requestJson,
  withCa,
} from '../ca-support.js';
import { EXIT, usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { FORCE_OPTION, FORMAT_OPTION } from '../common-options.js';
import { checkDirectory, DIRECTORY_KEYS, parseDirectoryEntries } from '../directory-option.js';
import { ensureWritable, fileExists, readInput, resolvePath, STDIO, writeOutput } from '../files.js';
import { summaryStream, writeJson, writeLines } from '../output.js';
import { readUsers, USERS_FILE } from '../users-file.js';

const NAME = 'ca submit';

/**
 * Control characters (tab aside) in an attribute or a template name: a mistake, refused before
 * anything is submitted. AD CS receives the attributes as one NUL-terminated string ([MS-WCCE]
 * §3.2.1.4.2.1, `pwszAttributes`), so the CA silently drops whatever follows a U+0000; no
 * attribute name or value holds the other controls. LF and CR LF separate attributes; a CR left
 * alone in a piece is refused too.
 */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;

const u = (c: string) => c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');

/** An option value as a message shows it: control characters as \uXXXX escapes. */
function shown(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${u(c)}`);
}

/** The first control character of `value` (see CONTROL) as U+XXXX, if it has one. */
function controlIn(value: string): string | undefined {
  const c = CONTROL.exec(value)?.[0];
  return c === undefined ? undefined : `U+${u(c)}`;
}

/** The requester identity of --requester and --directory, checked before the CA is opened. */
function requesterIdentity(
  name: string | undefined,
  entries: readonly string[],
  groups: readonly string[],
): RequesterIdentity | undefined {
  const id: Record<string, string | string[]> = {
    ...(parseDirectoryEntries(entries, NAME) as Record<string, string>),
  };
  if (name !== undefined && name.trim() !== '') id.name = name.trim();
  if (groups.length > 0) id.groups = groups.map((g) => g.trim());
  checkDirectory(id, NAME);
  return Object.keys(id).length > 0 ? (id as RequesterIdentity) : undefined;
}

/**
 * The requester as the CA's directory knows it: when DIR/users.json (the certsrv accounts) has an
 * account of that name, its canonical name, directory attributes and groups, as AD CS takes the
 * caller's token and directory entry; --directory values replace the file's, --group adds groups.
 * A name the file does not hold (or no file) is recorded as given.
 */
async function withAccount(
  ctx: Parameters<Command['run']>[0],
  file: string,
  id: RequesterIdentity | undefined,
): Promise<RequesterIdentity | undefined> {
  if (id?.name === undefined || !(await fileExists(ctx.io, file))) return id;
  const account = (await readUsers(ctx, file)).get(id.name);
  if (!account) return id;
  const { groups: fileGroups = [], ...fileDirectory } = account.directory ?? {};
  const groups = [...new Set([...fileGroups, ...(id.groups ?? [])])];
  return {
    ...fileDirectory,
    ...id,
    name: account.name,
    ...(groups.length > 0 ? { groups } : {}),
  };
}

export const caSubmit: Command = {
  name: NAME,
  summary: 'Submit a certificate request to the CA (certreq -submit): request id and disposition.',
  usage: [
    'ca submit [--dir DIR] REQ [--template NAME] [--attrib "Name:Value\\nName:Value"]…',
    '    [--requester NAME] [--directory KEY=VALUE]… [--group GROUP]… [--out FILE [--enc b64|bin] [--chain]] [--format text|json]',
  ],
  description:
    'Submits a PKCS #10 request, a PKCS #7 renewal request (a PKCS #10 signed with the certificate it renews) or a CMC request (PEM, Base64 or DER; - for stdin) to the CA of DIR. Every submission gets the next request id, whatever its outcome. The policy module decides as AD CS does: the template (from --template, a CertificateTemplate attribute, or the request itself) sets the certificate; a template with manager approval (WebServer_Manual) leaves the request pending; an unknown template, a key that is too small or a missing subject denies it with AD CS\'s message and HRESULT. Templates that build the subject from Active Directory (Machine, User, DomainController…) take what the directory knows about the requester from --directory (dns=, dn=, upn=, email=, sid=, guid=, domain=); without it they are denied as AD CS denies an account that lacks the value (e.g. CERTSRV_E_SUBJECT_DNS_REQUIRED). KerberosAuthentication also names the NetBIOS domain of --requester DOMAIN\\name. --requester NAME is the account the request comes from; when DIR/users.json (the certsrv accounts) has it, its directory attributes and groups come with it, as AD CS knows the caller. A template with an enroll list (its ACL) issues only to a requester it names, directly, through a --group or a group of the account, or through the groups every account is in (Everyone, Authenticated Users, DOMAIN\\Domain Users, or DOMAIN\\Domain Computers for host$ accounts); others are denied with CERTSRV_E_TEMPLATE_DENIED (0x80094012). Like certreq, it prints "RequestId: N" and the disposition: "Certificate retrieved(Issued) Issued", "Certificate request is pending: Taken Under Submission (0)", or "Certificate not issued (Denied) …" with the status. Exit 0 when issued or pending, 1 when denied. With --out the issued certificate is written there (nothing is written for a pending or denied request: approve it and use ca retrieve).',
  options: [
    DIR_OPTION,
    {
      name: 'template',
      type: 'string',
      short: 't',
      value: 'NAME',
      help: 'Certificate template, e.g. WebServer, WebServer_Manual, Machine, User, SubCA (same as --attrib CertificateTemplate:NAME).',
    },
    {
      name: 'attrib',
      type: 'string',
      multiple: true,
      value: 'A',
      help: 'Request attributes "Name:Value", several separated by \\n as certreq -attrib takes them, e.g. "CertificateTemplate:WebServer\\nsan:dns=a.contoso.com&dns=b.contoso.com". Repeatable.',
    },
    {
      name: 'requester',
      type: 'string',
      value: 'NAME',
      help: `The requester recorded with the request, e.g. CONTOSO\\alice (default: none). When DIR/${USERS_FILE} (the certsrv accounts, see certlab user) has that account, its directory attributes and groups are the requester's too, e.g. --requester administrator in a lab.`,
    },
    {
      name: 'directory',
      type: 'string',
      multiple: true,
      value: 'KEY=VALUE',
      help: `What Active Directory knows about the requester, for templates that build the subject from it (Machine, User, DomainController…): ${Object.keys(DIRECTORY_KEYS).join(', ')}, e.g. dns=exch01.contoso.com. Repeatable.`,
    },
    {
      name: 'group',
      type: 'string',
      multiple: true,
      value: 'GROUP',
      help: 'A group the requester is a member of (DOMAIN\\Group), for templates whose enroll list names groups. Repeatable.',
    },
    {
      name: 'out',
      type: 'string',
      short: 'o',
      value: 'FILE',
      help: 'Write the issued certificate to FILE (- for stdout).',
    },
    ENC_OPTION,
    {
      name: 'chain',
      type: 'boolean',
      help: 'With --out: write a .p7b with the certificate and the CA chain.',
    },
    FORCE_OPTION,
    DB_OPTION,
    KEY_PASSPHRASE_OPTION,
    FORMAT_OPTION,
  ],
  positionals: { names: ['REQ'], min: 1 },
  examples: [
    'ca submit --dir ./pki web01.req --template WebServer --out web01.cer',
    'ca submit --dir ./pki web02.req --attrib "CertificateTemplate:WebServer_Manual"',
    'ca submit --dir ./pki web03.req --attrib "CertificateTemplate:WebServer\\nsan:dns=web03.contoso.com&dns=www.contoso.com" --format json',
    "ca submit --dir ./pki exch01.req --template Machine --requester 'CONTOSO\\EXCH01$' --directory dns=exch01.contoso.com",
  ],
  async run(ctx, args) {
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', NAME);
    const enc = encOption(args, NAME);
    const chain = booleanOption(args, 'chain');
    const out = stringOption(args, 'out');
    const force = booleanOption(args, 'force');
    if (out === undefined && (chain || stringOption(args, 'enc') !== undefined))
      throw usageError('--enc and --chain only apply with --out FILE.', NAME);
    if (out === '') throw usageError('--out needs a file name.', NAME);
    if (out === STDIO && format === 'json')
      throw usageError('--format json and --out - cannot both use stdout.', NAME);
    const template = stringOption(args, 'template');
    if (template !== undefined && template.trim() === '')
      throw usageError('--template needs a template name.', NAME);
    const templateControl = controlIn(template ?? '');
    if (templateControl)
      throw usageError(
        `--template '${shown(template ?? '')}' holds the control character ${templateControl}: give the template name alone (e.g. WebServer).`,
        NAME,
      );
    // certreq -attrib separates attributes with the two characters \n.
    const attributes = listOption(args, 'attrib')
      .flatMap((a) => a.split(/\\n|\r?\n/))
      .filter((a) => a.trim() !== '');
    // A piece with a control character would be cut short (see CONTROL), and a piece without
    // "Name:" was dropped by the CA, and the request then denied for want of a template it was
    // meant to carry: say so before anything is submitted.
    for (const a of attributes) {
      const control = controlIn(a);
      if (control)
        throw usageError(
          `--attrib '${shown(a)}' holds the control character ${control}: a request attribute is text, Name:Value (e.g. CertificateTemplate:WebServer); remove it.`,
          NAME,
        );
      if (!/^[^:]*[^:\s][^:]*:/.test(a))
        throw usageError(`--attrib '${a}' is not Name:Value (e.g. CertificateTemplate:WebServer).`, NAME);
    }
    const requester = await withAccount(
      ctx,
      join(caDir(ctx, args), USERS_FILE),
      requesterIdentity(
        stringOption(args, 'requester'),
        listOption(args, 'directory'),
        listOption(args, 'group'),
      ),
    );
    const path = args.positionals[0]!;
    if (out !== undefined) await ensureWritable(ctx.io, out, force);
    const request = await readInput(ctx.io, path);
    const options: SubmitOptions = {
      ...(template !== undefined ? { template: template.trim() } : {}),
      ...(attributes.length > 0 ? { attributes } : {}),
      ...(requester ? { requester } : {}),
    };
    return withCa(
      ctx,
      args,
      NAME,
      async (ca) => {
        const r = await ca.submit(request, options);
        let written: string | undefined;
        if (out !== undefined && r.certificate) {
          const certs = chain ? [r.certificate, ...caChainOf(ca, r.certificate)] : [r.certificate];
          await writeOutput(ctx.io, out, encodeCertsrvCertificates(certs, enc, chain), { force });
          written = out === STDIO ? 'stdout' : resolvePath(ctx.io, out);
        }
        if (format === 'json')
          writeJson(ctx.io.stdout, { ...((await requestJson(r)) as object), out: written ?? null });
        else {
          const lines = [...requestIdLines(r), ...dispositionLines(r)];
          if (written) lines.push(`Wrote the certificate to ${written} (${encodingText(enc, chain)})`);
          else if (out !== undefined)
            lines.push(`No certificate was written to ${out}: the request is ${r.disposition}.`);
          if (r.disposition === 'pending')
            lines.push(
              `A CA officer issues it with 'certlab ca approve --id ${r.requestId}'; then 'certlab ca retrieve --id ${r.requestId} --out FILE'.`,
            );
          writeLines(summaryStream(ctx, out), lines);
        }
        return r.disposition === 'denied' ? EXIT.failed : EXIT.ok;
      },
      { signs: true },
    );
  },
};
