// A CA for test suites, in the spirit of Python's trustme: one call for a CA, one call for a
// server certificate with its key and chain in every format a test needs.

import {
  type Certificate,
  type CrlReason,
  createCsr,
  createPkcs12,
  type GeneralName,
  generateKeyPair,
  type KeySpec,
  Name,
  type PrivateKey,
  subjectAltName,
} from '@certlab/pki';
import {
  type AuthorityOptions,
  type CertificationAuthority,
  createAuthority,
  type PublishedCrl,
  type RequestResult,
  type SubmitOptions,
} from './authority.js';
import type { RequestStatus } from './disposition.js';
import { CaError } from './errors.js';
import type { RequestInput } from './request-encoding.js';

/**
 * What {@link TestCA.issue} makes.
 *
 * @example
 * ```ts
 * const leaf: IssueOptions = { dns: ['localhost'], ip: ['127.0.0.1'] };
 * ```
 */
export interface IssueOptions {
  /** DNS names for the SAN. With no name, subject or common name at all: `['localhost']`. */
  readonly dns?: readonly string[];
  readonly ip?: readonly string[];
  readonly email?: readonly string[];
  readonly upn?: readonly string[];
  /** Subject CN; default the first DNS name, IP, e-mail or UPN. */
  readonly commonName?: string;
  /** A whole subject DN instead of `CN=<commonName>`. */
  readonly subject?: string;
  /** Default `WebServer`. */
  readonly template?: string;
  /** The leaf key; default ECDSA P-256. */
  readonly key?: KeySpec;
  /** Extra request attributes (e.g. `san:dns=…` when the CA has EDITF_ATTRIBUTESUBJECTALTNAME2). */
  readonly attributes?: SubmitOptions['attributes'];
}

/**
 * An issued certificate with its key and chain, like trustme's LeafCert.
 *
 * @example
 * ```ts
 * const { keyPem, certPem, chainPem } = await ca.issue({ dns: ['localhost'] });
 * https.createServer({ key: keyPem, cert: chainPem }, handler);
 * ```
 */
export interface IssuedCertificate {
  readonly requestId: number;
  readonly key: PrivateKey;
  readonly certificate: Certificate;
  /** What a server presents: the leaf then the issuing CA (not the root). */
  readonly chain: readonly Certificate[];
  /** PKCS #8 PEM. */
  readonly keyPem: string;
  readonly certPem: string;
  /** The leaf and intermediates, PEM, in order. */
  readonly chainPem: string;
  readonly serialNumber: string;
  /** PKCS #12 with the key, the leaf, the issuing CA and the root. */
  pfx(password: string): Promise<Uint8Array>;
}

/**
 * A CA for tests. All the methods of {@link CertificationAuthority} that tests use, plus
 * {@link TestCA.issue}.
 *
 * @example
 * ```ts
 * const ca = await createTestCA();
 * await writeFile('root.pem', ca.rootPem);
 * ```
 */
export interface TestCA {
  readonly authority: CertificationAuthority;
  readonly rootCertificate: Certificate;
  /** The trust anchor as PEM (give it to the client). */
  readonly rootPem: string;
  readonly issuingCertificate: Certificate;
  readonly issuingPem: string;
  issue(options?: IssueOptions): Promise<IssuedCertificate>;
  submit(request: RequestInput, options?: SubmitOptions): Promise<RequestResult>;
  retrieve(requestId: number): Promise<RequestResult>;
  approve(requestId: number): Promise<RequestResult>;
  deny(requestId: number): Promise<RequestResult>;
  revoke(serialOrId: number | string | bigint, reason?: CrlReason): Promise<RequestResult>;
  unrevoke(serialOrId: number | string | bigint): Promise<RequestResult>;
  publishCrl(options?: { delta?: boolean }): Promise<PublishedCrl>;
  list(filter?: { status?: RequestStatus }): Promise<RequestResult[]>;
  close(): Promise<void>;
}

/**
 * A root and an issuing CA (`Certlab Test Root CA`, `Certlab Test Issuing CA`), ECDSA P-256, in
 * memory, unless `options` says otherwise.
 *
 * @example
 * ```ts
 * const ca = await createTestCA();
 * const server = await ca.issue({ dns: ['localhost'], ip: ['127.0.0.1'] });
 * // server.keyPem, server.chainPem for the server; ca.rootPem for the client
 * ```
 */
export async function createTestCA(options: Partial<AuthorityOptions> = {}): Promise<TestCA> {
  const authority = await createAuthority({
    name: 'Certlab Test Issuing CA',
    root: { name: 'Certlab Test Root CA' },
    keyType: 'ec',
    baseUrl: 'http://pki.certlab.test',
    ...options,
  });
  const chainFor = () => authority.chain;
  return {
    authority,
    get rootCertificate() {
      return authority.rootCertificate;
    },
    get rootPem() {
      return authority.rootCertificate.toPem();
    },
    get issuingCertificate() {
      return authority.certificate;
    },
    get issuingPem() {
      return authority.certificate.toPem();
    },
    async issue(o: IssueOptions = {}): Promise<IssuedCertificate> {
      for (const field of ['dns', 'ip', 'email', 'upn'] as const) {
        const list = o[field];
        if (
          list !== undefined &&
          !(Array.isArray(list) && list.every((v) => typeof v === 'string' && v !== ''))
        )
          throw new TypeError(
            `issue: ${field} must be an array of non-empty strings (e.g. ${field}: ['…']).`,
          );
      }
      // A server certificate for this machine unless told otherwise: with no name at all the
      // WebServer template would deny the request (empty subject, no SAN).
      const named =
        [o.dns, o.ip, o.email, o.upn].some((l) => l?.length) ||
        o.subject !== undefined ||
        o.commonName !== undefined;
      const dns = named ? (o.dns ?? []) : ['localhost'];
      const names: GeneralName[] = [
        ...dns.map((value) => ({ type: 'dns' as const, value })),
        ...(o.ip ?? []).map((value) => ({ type: 'ip' as const, value })),
        ...(o.email ?? []).map((value) => ({ type: 'email' as const, value })),
        ...(o.upn ?? []).map((value) => ({ type: 'upn' as const, value })),
      ];
      const cn = o.commonName ?? dns[0] ?? o.ip?.[0] ?? o.email?.[0] ?? o.upn?.[0];
      const subject =
        o.subject !== undefined ? Name.parse(o.subject) : cn ? Name.from([{ CN: cn }]) : Name.from([]);
      const { privateKey } = await generateKeyPair(o.key ?? { type: 'ec', curve: 'P-256' });
      const csr = await createCsr({
        subject,
        privateKey,
        extensions: names.length ? [subjectAltName(names)] : [],
      });
      const r = await authority.submit(csr, {
        template: o.template ?? 'WebServer',
        ...(o.attributes !== undefined ? { attributes: o.attributes } : {}),
      });
      if (r.disposition !== 'issued' || !r.certificate)
        throw new CaError(
          'ERR_CA_ISSUE_FAILED',
          `Request ${r.requestId} was ${r.disposition}: ${r.message} (${r.status}).${r.disposition === 'pending' ? ' Approve it with ca.approve(id).' : ''}`,
        );
      const certificate = r.certificate;
      const cas = chainFor();
      const chain = [certificate, ...cas.slice(0, -1)];
      const keyPem = await privateKey.toPem();
      return {
        requestId: r.requestId,
        key: privateKey,
        certificate,
        chain,
        keyPem,
        certPem: certificate.toPem(),
        chainPem: chain.map((c) => c.toPem()).join(''),
        serialNumber: certificate.serialNumber,
        pfx: (password: string) =>
          createPkcs12({ key: privateKey, certificate, chain: cas, password, friendlyName: cn ?? 'certlab' }),
      };
    },
    submit: (request, o) => authority.submit(request, o),
    retrieve: (id) => authority.retrieve(id),
    approve: (id) => authority.approve(id),
    deny: (id) => authority.deny(id),
    revoke: (target, reason) => authority.revoke(target, reason),
    unrevoke: (target) => authority.unrevoke(target),
    publishCrl: (o) => authority.publishCrl(o),
    list: (f) => authority.list(f),
    close: () => authority.close(),
  };
}
