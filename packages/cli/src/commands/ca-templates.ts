// `certlab ca templates`: the certificate templates the CA issues, as `certutil -CATemplates`
// lists them and `certutil -SetCATemplates +Name,-Name` (the console's "Certificate Templates to
// Issue") changes them. Custom templates are JSON objects in ca-sim's template format, kept in
// ca.json; a schema version 2 template without an OID gets one under the simulated forest's
// arc, as the Certificate Templates console assigns one to a duplicated template.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CertificateTemplate,
  checkTemplateList,
  STANDARD_TEMPLATES,
  TEMPLATE_OID_FOREST_ARC,
} from '@certlab/ca-sim';
import { choiceOption, listOption, stringOption } from '../args.js';
import {
  builtInTemplate,
  CA_CONFIG_FILE,
  DB_OPTION,
  DIR_OPTION,
  KEY_PASSPHRASE_OPTION,
  publishedTemplates,
  readCaConfig,
  type TemplateEntry,
  templateOfEntry,
  withCa,
  writeCaConfig,
} from '../ca-support.js';
import { type CliError, EXIT, failure, usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { FORMAT_OPTION } from '../common-options.js';
import { readInput, resolvePath, STDIO } from '../files.js';
import { columns, writeJson, writeLines } from '../output.js';

const NAME = 'ca templates';

export const caTemplates: Command = {
  name: NAME,
  summary: 'List, add or remove the certificate templates the CA issues (certutil -CATemplates).',
  usage: [
    'ca templates [--dir DIR] [--format text|json]',
    'ca templates [--dir DIR] --show NAME',
    'ca templates [--dir DIR] [--add FILE|NAME]... [--remove NAME]...',
  ],
  description: `Without options, lists the templates the CA publishes (the standard ones: WebServer, WebServer_Manual, Machine, User, SubCA) and who may enroll for each (its "enroll" list, or everyone). --show NAME prints a published template as JSON, the format --add reads: save it, change "name" (and what else differs), and add it to publish a copy, as the Certificate Templates console's Duplicate Template does. --add takes a JSON file holding a template or an array of them, or the name of a built-in template: one of the five, or another default template of an Enterprise CA (Administrator, EFS, EFSRecovery, DomainController, DomainControllerAuthentication, KerberosAuthentication, DirectoryEmailReplication; their subjects come from what the directory knows of the requester: ca submit --directory, a certsrv account's directory attributes, or the library); a template with the name of a published one replaces it. A schema version 2 template without "oid" (or with the OID of another published template, as a renamed copy has) gets a new one under the simulated forest's arc (${TEMPLATE_OID_FOREST_ARC}); its revision is 100.0 unless given. --remove NAME stops issuing a template: requests for it are then denied with CERTSRV_E_UNSUPPORTED_CERT_TYPE. The list is kept in DIR/ca.json and used by every command and by certlab serve from their next start.`,
  options: [
    DIR_OPTION,
    {
      name: 'show',
      type: 'string',
      value: 'NAME',
      help: 'Print a published template as JSON (the --add format).',
    },
    {
      name: 'add',
      type: 'string',
      value: 'FILE|NAME',
      multiple: true,
      help: 'Publish the template(s) of a JSON file, or a built-in template by name.',
    },
    { name: 'remove', type: 'string', value: 'NAME', multiple: true, help: 'Stop issuing a template.' },
    DB_OPTION,
    KEY_PASSPHRASE_OPTION,
    FORMAT_OPTION,
  ],
  examples: [
    'ca templates --dir ./pki',
    'ca templates --dir ./pki --show WebServer > corp-web.json',
    'ca templates --dir ./pki --add corp-web.json',
    'ca templates --dir ./pki --remove WebServer_Manual --add User',
  ],
  async run(ctx, args) {
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', NAME);
    const show = stringOption(args, 'show');
    const adds = listOption(args, 'add');
    const removes = listOption(args, 'remove');
    if (show !== undefined && (adds.length > 0 || removes.length > 0))
      throw usageError('--show prints a template: give it without --add or --remove.', NAME);
    // Read the files before the CA is opened: a bad file changes nothing.
    const added: TemplateEntry[] = [];
    for (const a of adds) added.push(...(await addedEntries(ctx, a)));
    const addedNames = added.map((e) => entryName(e).toLowerCase());
    const twice = addedNames.find((n, i) => addedNames.indexOf(n) !== i);
    if (twice !== undefined)
      throw usageError(`the template "${twice}" is added twice: give each name once.`, NAME);
    const changing = adds.length > 0 || removes.length > 0;
    // The CA is opened with the standard templates, not ca.json's list: a list that no longer
    // opens (edited by hand) can still be listed as an error and repaired with --remove/--add.
    return withCa(
      ctx,
      args,
      NAME,
      async (_ca, dir) => {
        const config = (await readCaConfig(dir))!;
        let current: CertificateTemplate[] | undefined;
        let currentError: unknown;
        try {
          current = publishedTemplates(config, dir);
          checkList(current, dir);
        } catch (e) {
          currentError = e;
        }
        if (!changing && !current) throw currentError;
        if (show !== undefined) {
          const t = current!.find((x) => x.name.toLowerCase() === show.toLowerCase());
          if (!t)
            throw notPublished(
              show,
              current!.map((x) => x.name),
            );
          writeJson(ctx.io.stdout, t);
          return EXIT.ok;
        }
        let entries: TemplateEntry[] = config.templates
          ? [...config.templates]
          : STANDARD_TEMPLATES.map((t) => t.name);
        const notes: string[] = [];
        const nameOf = (e: TemplateEntry) => entryName(e).toLowerCase();
        const oidOf = (e: TemplateEntry) => {
          try {
            return templateOfEntry(e, dir).oid;
          } catch {
            return undefined; // a broken entry: the final check reports it
          }
        };
        for (const r of removes) {
          const i = entries.findIndex((e) => nameOf(e) === r.toLowerCase());
          if (i < 0) throw notPublished(r, entries.map(entryName));
          notes.push(`Removed ${entryName(entries[i]!)}`);
          entries.splice(i, 1);
        }
        for (let e of added) {
          const i = entries.findIndex((x) => nameOf(x) === nameOf(e));
          let note = '';
          // A copy saved with --show keeps the original's OID: give it its own, as the Certificate
          // Templates console's Duplicate Template does (two templates cannot share one OID).
          const oid = typeof e === 'string' ? undefined : e.oid;
          const owner = entries.find((x) => nameOf(x) !== nameOf(e) && oid !== undefined && oidOf(x) === oid);
          if (owner && typeof e !== 'string') {
            e = withOid({ ...e, oid: undefined });
            note = `; ${entryName(owner)} has the OID the file gave, so the copy got a new one`;
          }
          const t = templateOfEntry(e, dir);
          notes.push(
            `${i >= 0 ? 'Replaced' : 'Added'} ${t.name}${t.oid && typeof e !== 'string' ? ` (template OID ${t.oid}${note})` : ''}`,
          );
          if (i >= 0) entries[i] = e;
          else entries = [...entries, e];
        }
        // The list as the CA will open it: names and OIDs unique (a built-in added back next to a
        // copy that kept its OID would leave a ca.json no command can open).
        const templates = publishedTemplates({ ...config, templates: entries }, dir);
        checkList(templates, dir);
        if (changing) await writeCaConfig(dir, { ...config, templates: entries });
        if (format === 'json') {
          writeJson(ctx.io.stdout, {
            templates: templates.map((t) => ({ ...t, builtIn: builtInTemplate(t.name) === t })),
            changes: notes,
          });
          return EXIT.ok;
        }
        writeLines(ctx.io.stdout, [
          ...notes,
          ...(notes.length > 0 ? [''] : []),
          ...columns([
            [
              'Name',
              'Display Name',
              'Schema',
              'Subject',
              'Extended Key Usage',
              'Validity',
              'Issuance',
              'Enroll',
            ],
            ...templates.map(row),
          ]),
        ]);
        return EXIT.ok;
      },
      { ignoreTemplates: true },
    );
  },
};

function row(t: CertificateTemplate): string[] {
  return [
    t.name,
    t.displayName,
    `v${t.schemaVersion}`,
    t.subject === 'request' ? 'request' : `directory (${t.identity?.subjectName ?? 'dns'})`,
    t.ca ? 'CA' : t.ekus.length > 0 ? t.ekus.join(', ') : 'any',
    `${t.validityDays} days`,
    t.managerApproval ? 'manager approval' : 'automatic',
    // Who may enroll (the template's ACL): without a list, every signed-in account.
    t.enroll ? t.enroll.join(', ') : 'everyone',
  ];
}

function notPublished(name: string, published: readonly string[]): CliError {
  return failure(
    `The CA does not publish a template named "${name}".`,
    `Published: ${published.join(', ') || 'none'}.`,
  );
}

/** ca-sim's checkTemplateList as a usage error naming ca.json (exit 2, nothing written). */
function checkList(templates: readonly CertificateTemplate[], dir: string): void {
  try {
    checkTemplateList(templates);
  } catch (e) {
    throw usageError(`${join(dir, CA_CONFIG_FILE)}: ${(e as Error).message}`, NAME);
  }
}

/** The ca.json entries of one --add value: a JSON file's templates, or a built-in name. */
async function addedEntries(ctx: Parameters<Command['run']>[0], value: string): Promise<TemplateEntry[]> {
  if (value !== STDIO && !existsSync(resolvePath(ctx.io, value))) {
    const builtIn = builtInTemplate(value);
    if (builtIn) return [builtIn.name];
    throw usageError(
      `--add takes a JSON template file or a built-in template name: '${value}' is neither.`,
      NAME,
    );
  }
  const text = new TextDecoder().decode(await readInput(ctx.io, value));
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw usageError(`${value} is not JSON: give a template object or an array of them.`, NAME);
  }
  const list = Array.isArray(data) ? data : [data];
  return list.map((o) => {
    if (typeof o !== 'object' || o === null || Array.isArray(o))
      throw usageError(`${value}: a template must be a JSON object.`, NAME);
    const entry = withOid(o as Record<string, unknown>);
    // Parsed now so that an invalid template is refused before anything changes.
    templateOfEntry(entry, value === STDIO ? 'standard input' : value);
    return entry;
  });
}

/** The name of a ca.json template entry (whatever a hand edit put there). */
function entryName(e: TemplateEntry): string {
  if (typeof e === 'string') return e;
  return typeof e === 'object' && e !== null ? String(e.name) : String(e);
}

/** A schema version 2 template without an OID gets one, as a duplicated template does. */
function withOid(o: Record<string, unknown>): Record<string, unknown> {
  if (o.schemaVersion !== 2 || o.oid !== undefined) return o;
  const r = new Uint32Array(2);
  crypto.getRandomValues(r);
  // The revision stays as given: certificates and certsrv's list use 100.0 when it is absent
  // (templateRevision).
  return { ...o, oid: `${TEMPLATE_OID_FOREST_ARC}.${(r[0]! % 16_777_215) + 1}.${(r[1]! % 16_777_215) + 1}` };
}
