// `certlab store verify`: the chain the Windows chain engine builds for a certificate of a
// simulated machine, the certificate dialog's verdict, and the CERT_TRUST_* bits of every
// element. Exit 0 when the chain is trusted, 1 otherwise, 2 for bad usage.

import type { ChainResult } from '@certlab/store-sim';
import * as ss from '@certlab/store-sim';
import { choiceOption, listOption, stringOption } from '../args.js';
import { EXIT, usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { FORMAT_OPTION } from '../common-options.js';
import { readCrlFile } from '../crl-files.js';
import { writeJson, writeLines } from '../output.js';
import {
  consoleName,
  findEntry,
  LANG_OPTION,
  LOCATION_OPTION,
  langOption,
  locationOption,
  MACHINE_OPTION,
  openMachine,
  STORE_OPTION,
  storeCall,
} from './store-common.js';

const NAME = 'store verify';

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

export const storeVerify: Command = {
  name: NAME,
  summary: "Build a certificate's chain over the machine's stores: Windows verdict and CERT_TRUST_* flags.",
  usage: [
    'store verify THUMBPRINT --machine DIR [--location LocalMachine|CurrentUser] [--store NAME]',
    '       [--purpose serverAuth|clientAuth|any|OID] [--host NAME] [--at ISO-TIME]',
    '       [--revocation none|end-certificate|chain-exclude-root] [--crl FILE]… [--lang en|fr]',
    '       [--format text|json]',
  ],
  description:
    'Runs the chain engine of --location (HCCE_CURRENT_USER by default when the certificate is in a CurrentUser store, HCCE_LOCAL_MACHINE when it is in a LocalMachine store; a LocalMachine engine never sees user stores): issuers are searched in Root, CA, My and Trust, anchors come from Root, anything in Disallowed is explicitly distrusted. Prints the certificate dialog\'s status ("This certificate is OK.", "Windows does not have enough information to verify this certificate.", …), the policy result (S_OK, CERT_E_UNTRUSTEDROOT, CERT_E_CHAINING…), and each element from the end certificate to the root with its CERT_TRUST_* error and info bits, in hex and by name. --store only selects which copy when the certificate is in several stores. --revocation checks revocation as CertGetCertificateChain\'s CERT_CHAIN_REVOCATION_CHECK_END_CERT or _CHAIN_EXCLUDE_ROOT flags do (Test-Certificate and certutil -verify check by default; certlab, offline, only when asked): against the CRLs in the context\'s CA and Root stores (store import x.crl) and the --crl files, a revoked certificate giving CRYPT_E_REVOKED, one whose CRL is missing or stale CRYPT_E_REVOCATION_OFFLINE, one without a CRL distribution point CRYPT_E_NO_REVOCATION_CHECK. Exit status: 0 trusted, 1 not trusted, 2 bad usage.',
  options: [
    MACHINE_OPTION,
    { ...LOCATION_OPTION, help: 'Chain engine context (default: the location holding the certificate).' },
    STORE_OPTION,
    {
      name: 'purpose',
      type: 'string',
      value: 'serverAuth|clientAuth|any|OID',
      help: 'Application usage the certificate must allow (default any).',
    },
    { name: 'host', type: 'string', value: 'NAME', help: 'SSL policy: the server name it must match.' },
    { name: 'at', type: 'string', value: 'ISO-TIME', help: 'Validation time (default now).' },
    {
      name: 'revocation',
      type: 'string',
      value: 'none|end-certificate|chain-exclude-root',
      help: 'Which certificates get a revocation check (default none).',
    },
    {
      name: 'crl',
      type: 'string',
      multiple: true,
      value: 'FILE',
      help: 'A CRL "downloaded" for this check, besides those in the stores (PEM or DER).',
    },
    LANG_OPTION,
    FORMAT_OPTION,
  ],
  positionals: { names: ['THUMBPRINT'], min: 1 },
  examples: [
    'store verify 63c6ce5fc512933179d3c0a5e94ecba98092f93d --machine ex01 --purpose serverAuth',
    'store verify 63c6ce5f… --machine ex01 --location LocalMachine --lang fr --format json',
    'store verify 8f2a… --machine ex01 --revocation chain-exclude-root --crl issuing.crl',
  ],
  async run(ctx, args) {
    const format = choiceOption(args, 'format', ['text', 'json'], 'text', NAME);
    const lang = langOption(args, NAME);
    const purpose = stringOption(args, 'purpose');
    const host = stringOption(args, 'host');
    const atText = stringOption(args, 'at');
    let time = new Date();
    if (atText !== undefined) {
      time = new Date(atText);
      if (Number.isNaN(time.getTime()))
        throw usageError(
          `--at must be an ISO 8601 time such as 2026-06-01T00:00:00Z, not '${atText}'.`,
          NAME,
        );
    }
    const revocation = choiceOption(
      args,
      'revocation',
      ['none', 'end-certificate', 'chain-exclude-root'],
      'none',
      NAME,
    );
    const crlFiles = listOption(args, 'crl');
    if (crlFiles.length > 0 && revocation === 'none')
      throw usageError('--crl needs --revocation end-certificate or chain-exclude-root.', NAME);
    const crls = (await Promise.all(crlFiles.map((f) => readCrlFile(ctx, f)))).flat();
    const context = await locationOption(args);
    const machine = await openMachine(ctx, args, NAME, false);
    // --location is the engine's context, and also picks the copy when the certificate is in
    // that location; a certificate found only in the other location is still verified in this
    // context (a LocalMachine engine judging a user store's certificate).
    const entry = await findEntry(machine, args, NAME, { anyLocation: true });
    const chain = await storeCall(() =>
      ss.buildChain(machine, entry, {
        context: chainEngine(context ?? entry.location),
        time,
        ...(purpose !== undefined && purpose.toLowerCase() !== 'any' ? { usage: purpose } : {}),
        ...(host !== undefined ? { host } : {}),
        revocation,
        crls,
      }),
    );
    const verdict = ss.certificateVerdict(chain, { hasPrivateKey: entry.hasPrivateKey }, lang);
    if (format === 'json') {
      writeJson(ctx.io.stdout, {
        thumbprint: entry.thumbprint,
        context: chain.context,
        trusted: chain.trusted,
        verdict: {
          id: verdict.id,
          general: verdict.general,
          purposes: verdict.purposes,
          pathStatus: verdict.pathStatus,
          keyLine: verdict.keyLine ?? null,
        },
        policy: { hresult: hex(chain.policy.hresult), name: chain.policy.name },
        errorStatus: hex(chain.errorStatus),
        infoStatus: hex(chain.infoStatus),
        errors: chain.errors,
        infos: chain.infos,
        elements: chain.elements.map((e) => ({
          thumbprint: e.thumbprint,
          subject: e.certificate.subject.toWindowsString(),
          foundIn: e.foundIn ?? null,
          errorStatus: hex(e.errorStatus),
          infoStatus: hex(e.infoStatus),
          errors: e.errors,
          infos: e.infos,
          reasons: e.reasons.map((r) => ({ code: r.code, message: r.message })),
        })),
      });
    } else writeLines(ctx.io.stdout, text(chain, verdict, lang));
    return chain.trusted ? EXIT.ok : EXIT.failed;
  },
};

/**
 * The chain engine that judges certificates of a location: Windows has two, and services use the
 * machine's (HCCE_LOCAL_MACHINE, reference windows-stores.md §1: "Services use the machine
 * context"), as do the machine's Group Policy and Enterprise stores; users use HCCE_CURRENT_USER.
 */
function chainEngine(location: ss.StoreLocation): 'LocalMachine' | 'CurrentUser' {
  return MACHINE_ENGINE.has(location) ? 'LocalMachine' : 'CurrentUser';
}

const MACHINE_ENGINE: ReadonlySet<ss.StoreLocation> = new Set<ss.StoreLocation>([
  'LocalMachine',
  'LocalMachineGroupPolicy',
  'LocalMachineEnterprise',
  'Services',
  'CurrentService',
]);

/**
 * The certificate dialog's labels of the Certification Path tab, in the verdict's language (the
 * French ones as French Windows shows them; the CryptoAPI lines below them stay as they are, as
 * certutil prints them in every language).
 */
const PATH_TAB = {
  en: { status: 'Certificate status:', path: 'Certification path:' },
  fr: { status: 'État du certificat :', path: "Chemin d'accès de certification :" },
} as const;

function text(chain: ChainResult, v: ss.CertificateVerdict, lang: 'en' | 'fr'): string[] {
  const labels = PATH_TAB[lang];
  const lines = [v.general];
  for (const p of v.purposes) lines.push(`  • ${p}`);
  if (v.keyLine) lines.push(v.keyLine);
  lines.push(
    '',
    `${labels.status} ${v.pathStatus}`,
    `Policy: ${chain.policy.name} (${hex(chain.policy.hresult)})`,
    `Chain engine: ${chain.context === 'LocalMachine' ? 'HCCE_LOCAL_MACHINE' : 'HCCE_CURRENT_USER'}`,
    `Chain error status: ${ss.formatTrustStatus(chain.errorStatus, 'error')}`,
    `Chain info status: ${ss.formatTrustStatus(chain.infoStatus, 'info')}`,
    '',
    labels.path,
  );
  chain.elements.forEach((e, i) => {
    lines.push(
      `  ${i}: ${consoleName(e.certificate.subject)}  ${e.thumbprint}${e.foundIn ? `  (${e.foundIn})` : ''}`,
    );
    lines.push(`     Error: ${hex(e.errorStatus)} ${ss.formatTrustStatus(e.errorStatus, 'error')}`);
    lines.push(`     Info:  ${hex(e.infoStatus)} ${ss.formatTrustStatus(e.infoStatus, 'info')}`);
    for (const r of e.reasons) lines.push(`     ${r.code}: ${r.message}`);
  });
  return lines;
}
