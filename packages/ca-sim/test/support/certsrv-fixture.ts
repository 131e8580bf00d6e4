// What the certsrv tests share: the Contoso hierarchy with its CRLs published (as a CA that has
// been running), HTTP Basic header values, the User-Agents of the two page variants, and the
// certfnsh.asp form a certrqxt.asp page script posts.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCsr, generateKeyPair, Name, subjectAltName } from '@certlab/pki';
import {
  type AuthorityOptions,
  type CertificationAuthority,
  createAuthority,
  UserDirectory,
} from '../../src/index.js';

/** A script client's User-Agent (text variant). */
export const GO = 'Go-http-client/1.1';
/** A browser's User-Agent (browser variant). */
export const BROWSER =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

/** An `Authorization: Basic …` value. */
export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

/**
 * "Contoso Root CA" → "Contoso Issuing CA" (P-256, memory store unless `more.db`) with root, base
 * and delta CRLs published; `more` adds options (a clock, a store).
 */
export async function contosoAuthority(
  name = 'Contoso Issuing CA',
  more: Partial<AuthorityOptions> = {},
): Promise<CertificationAuthority> {
  const ca = await createAuthority({
    name,
    root: { name: 'Contoso Root CA' },
    keyType: 'ec',
    baseUrl: 'http://pki.contoso.com',
    serverDnsName: 'pki.contoso.com',
    ...more,
  });
  await ca.publishAllCrls();
  return ca;
}

/** The fields certrqxt.asp's script posts to certfnsh.asp (reference §4, §5.1). */
export function submitFields(
  request: string,
  template = 'WebServer',
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    Mode: 'newreq',
    CertRequest: request,
    CertAttrib: `CertificateTemplate:${template}\r\nUserAgent:${GO}\r\n`,
    FriendlyType: 'Saved-Request Certificate (30/11/2026 10:00:00)',
    ThumbPrint: '',
    TargetStoreFlags: '0',
    SaveCert: 'yes',
    ...extra,
  };
}

/** The CONTOSO directory with one user, alice (password `alice-Passw0rd`). */
export async function aliceDirectory(): Promise<UserDirectory> {
  const users = new UserDirectory('CONTOSO');
  await users.add('alice', 'alice-Passw0rd');
  return users;
}

/**
 * Writes `dir/exch01.req`: a P-256 request for exch01.contoso.com (CN and a DNS SAN), what the
 * real clients of the sign-in tests (curl) post to certfnsh.asp.
 */
export async function writeExchangeRequest(dir: string): Promise<void> {
  const { privateKey } = await generateKeyPair({ type: 'ec', curve: 'P-256' });
  const csr = await createCsr({
    subject: Name.from([{ CN: 'exch01.contoso.com' }]),
    privateKey,
    extensions: [subjectAltName([{ type: 'dns', value: 'exch01.contoso.com' }])],
  });
  await writeFile(join(dir, 'exch01.req'), csr.toPem());
}
