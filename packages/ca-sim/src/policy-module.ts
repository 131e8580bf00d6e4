// The simulated Enterprise policy module: the decisions AD CS takes for a request and the
// disposition messages and HRESULTs it reports (certsrv reference §10, §8; [MS-WCCE]
// §3.2.1.4.2.1.2 for request attributes, [MS-CRTD] for the template rules).

import {
  type Certificate,
  type CertificationRequest,
  decodeMsCertificateTemplate,
  decodeMsNtdsCaSecurity,
  decodeSmimeCapabilities,
  type Extension,
  equalBytes,
  type GeneralName,
  isPkiError,
  isSignedRequest,
  msNtdsCaSecurity,
  Name,
  OID,
  type PublicKey,
  parseCsr,
  parseSignedRequest,
  type SignedRequest,
  smimeCapabilities,
} from '@certlab/pki';
import { formatHresult, HRESULTS, type HResult, hresultHex } from './hresult.js';
import {
  objectGuidAltName,
  parseSanAttribute,
  type RequestAttributes,
  SanAttributeError,
} from './request-attributes.js';
import { decodeRequestInput, type RequestInput } from './request-encoding.js';
import { requestedValidity, ValidityAttributeError, validityEnd } from './request-validity.js';
import type { CertificateTemplate, IdentityAltName, RequesterIdentity } from './template.js';

/** The order AD CS writes SAN entries built from the directory (see the policy module below). */
const ALT_NAME_ORDER: Readonly<Record<IdentityAltName, number>> = {
  upn: 0,
  guid: 1,
  email: 2,
  dns: 3,
  domainDns: 4,
};

/**
 * CA policy EditFlags the simulator honours ([MS-WCCE] §3.2.1.4.2.1.2 / certutil -setreg
 * policy\EditFlags): EDITF_ATTRIBUTESUBJECTALTNAME2 lets a `san:` request attribute replace
 * the request's SAN; EDITF_ATTRIBUTEENDDATE lets `ExpirationDate` or `ValidityPeriod` +
 * `ValidityPeriodUnits` attributes shorten the certificate's validity (reference §8, §11.1).
 *
 * @example
 * ```ts
 * const flags: EditFlag[] = ['EDITF_ATTRIBUTESUBJECTALTNAME2', 'EDITF_ATTRIBUTEENDDATE'];
 * ```
 */
export type EditFlag = 'EDITF_ATTRIBUTESUBJECTALTNAME2' | 'EDITF_ATTRIBUTEENDDATE';

/**
 * Every EditFlag the simulator honours, for validating configuration.
 *
 * @example
 * ```ts
 * EDIT_FLAGS.includes('EDITF_ATTRIBUTEENDDATE'); // true
 * ```
 */
export const EDIT_FLAGS: readonly EditFlag[] = ['EDITF_ATTRIBUTESUBJECTALTNAME2', 'EDITF_ATTRIBUTEENDDATE'];

/**
 * What the policy module looks at.
 *
 * @example
 * ```ts
 * const input: PolicyInput = { request: pem, attributes: { certificatetemplate: 'WebServer' }, templates, editFlags: new Set() };
 * ```
 */
export interface PolicyInput {
  readonly request: RequestInput;
  /** Submission attributes (they win over the request's own name-value pairs). */
  readonly attributes: RequestAttributes;
  /** Published templates by lower-case cn. */
  readonly templates: ReadonlyMap<string, CertificateTemplate>;
  readonly editFlags: ReadonlySet<EditFlag>;
  readonly requester?: RequesterIdentity;
  /** A CA officer issues a pending request: skip CT_FLAG_PEND_ALL_REQUESTS. */
  readonly officerApproved?: boolean;
  /** Return an `issue` decision before the request signature is checked, with `signatureCheck`. */
  readonly deferSignatureCheck?: boolean;
  /**
   * The CA's own certificates (every generation): a PKCS #7 renewal request must be signed with a
   * certificate one of them issued. Without them that check is skipped.
   */
  readonly caCertificates?: readonly Certificate[];
  /** The time the signing certificate of a renewal must be valid at (default now). */
  readonly now?: Date;
  /** The CA's database says the signing certificate of this renewal request is revoked. */
  readonly signerRevoked?: boolean;
}

/** Fields every decision carries (for the request row). */
interface DecisionBase {
  /** The request bytes as decoded (or as given when they could not be decoded). */
  readonly der: Uint8Array;
  readonly template?: string;
  readonly subject?: string;
}

/**
 * The policy module's verdict. `issue` carries what goes into the certificate.
 *
 * @example
 * ```ts
 * const d = await evaluatePolicy(input);
 * if (d.outcome === 'denied') console.log(d.message, formatHresult(d.hresult));
 * ```
 */
export type PolicyDecision =
  | (DecisionBase & { readonly outcome: 'denied'; readonly message: string; readonly hresult: HResult })
  | (DecisionBase & { readonly outcome: 'pending'; readonly message: string; readonly hresult: HResult })
  | (DecisionBase & {
      readonly outcome: 'issue';
      readonly message: string;
      readonly hresult: HResult;
      readonly templateDefinition: CertificateTemplate;
      readonly subjectName: Name;
      readonly altNames: readonly GeneralName[];
      readonly publicKey: PublicKey;
      /** Extensions the CA adds besides the template's: the requester's SID, a sub CA's CA Version. */
      readonly extensions: readonly Extension[];
      /**
       * The end the request's attributes ask for under EDITF_ATTRIBUTEENDDATE, reckoned from
       * `now`: the certificate ends then unless something else ends it sooner.
       */
      readonly requestedNotAfter?: Date;
      /** Present with `deferSignatureCheck`: resolves to false when the request signature is bad. */
      readonly signatureCheck?: Promise<boolean>;
    });

/**
 * The disposition message of a request the policy module denies ([MS-WCCE], reference §10: two spaces).
 *
 * @example
 * ```ts
 * deniedByPolicy(HRESULTS.CERTSRV_E_KEY_LENGTH); // 'Denied by Policy Module  0x80094811, The public key …'
 * ```
 */
export function deniedByPolicy(hr: HResult, detail: string = hr.message): string {
  return `Denied by Policy Module  ${hresultHex(hr.code)}, ${detail}`;
}

/** `Error Parsing Request  <status text>` (reference §5.6). */
function parsingError(hr: HResult): string {
  return `Error Parsing Request  ${formatHresult(hr)}`;
}

function parseFailureHresult(e: unknown): HResult {
  if (isPkiError(e, 'ERR_PKI_DER_TRUNCATED')) return HRESULTS.CRYPT_E_ASN1_EOD;
  if (isPkiError(e, 'ERR_PKI_BASE64_INVALID') || isPkiError(e, 'ERR_PKI_PEM_INVALID'))
    return HRESULTS.ERROR_INVALID_DATA;
  if (isPkiError(e)) return HRESULTS.CRYPT_E_ASN1_BADTAG;
  return HRESULTS.ERROR_INVALID_PARAMETER;
}

/**
 * The extensions the CA writes besides the template's own (reference §11.3):
 * - NTDS CA Security (the SID, MS-WCCE §2.2.2.7.7.4), since the May 2022 updates: built from the
 *   directory for a subject built from AD, copied from the request for an enrollee-supplied
 *   subject, never with CT_FLAG_NO_SECURITY_EXTENSION;
 * - for a subordinate CA (the SubCA template), the CA Version and Previous CA Certificate Hash its
 *   request carries;
 * - with CT_FLAG_INCLUDE_SYMMETRIC_ALGORITHMS (User), the request's S/MIME capabilities (RFC 4262).
 */
function caAddedExtensions(
  template: CertificateTemplate,
  csr: CertificationRequest,
  requester: RequesterIdentity | undefined,
): Extension[] {
  const out: Extension[] = [];
  // A requested extension, made again from what it decodes to (so that malformed bytes never
  // reach a certificate); left out when the request has none, or one that does not decode.
  const copy = (oid: string, remake: (value: Uint8Array) => Extension): void => {
    try {
      const e = csr.getExtension(oid);
      if (e) out.push(remake(e.value));
    } catch {
      // an unreadable extension request or value: nothing copied
    }
  };
  if (!template.noSecurityExtension) {
    if (template.subject !== 'identity')
      copy(OID.msNtdsCaSecurityExt, (v) => msNtdsCaSecurity(decodeMsNtdsCaSecurity(v)));
    else if (requester?.sid !== undefined) out.push(msNtdsCaSecurity(requester.sid));
  }
  if (template.ca)
    for (const oid of [OID.msCaVersion, OID.msPreviousCaCertHash])
      copy(oid, (value) => ({ oid, critical: false, value }));
  if (template.includeSymmetricAlgorithms)
    copy(OID.smimeCapabilities, (v) => smimeCapabilities(decodeSmimeCapabilities(v)));
  return out;
}

/** The template the request names: the submission attribute, else the request's own data. */
function requestedTemplate(
  csr: CertificationRequest,
  attrs: RequestAttributes,
  templates: PolicyInput['templates'],
): string | undefined {
  const attr = attrs.certificatetemplate;
  if (attr) return attr;
  try {
    const t = csr.template;
    if (t) return t;
    // A v2 template-information extension names the template by OID ([MS-WCCE] §2.2.2.7.7.2).
    const ext = csr.getExtension(OID.msCertificateTemplate);
    if (ext) {
      const { templateId } = decodeMsCertificateTemplate(ext.value);
      for (const tpl of templates.values()) if (tpl.oid === templateId) return tpl.name;
      return templateId;
    }
  } catch {
    // Unreadable template data counts as none.
  }
  return undefined;
}

/**
 * Whether the template's ACL grants Enroll to the requester ([MS-CRTD] §2.3: no list or `*` means
 * everyone): an entry names the account, one of its groups, or a group every such account is in
 * without listing it, as in Active Directory: `Everyone`, `NT AUTHORITY\\Authenticated Users`,
 * `DOMAIN\\Domain Users` (user accounts) and `DOMAIN\\Domain Computers` (`host$` accounts). An
 * entry without a domain (`Domain Admins`) matches that name in any domain. Compared
 * case-insensitively. The policy module denies with CERTSRV_E_TEMPLATE_DENIED otherwise; certsrv
 * lists only the templates this allows (reference §12: an ordinary user does not see Web Server).
 *
 * @example
 * ```ts
 * mayEnroll(WEB_SERVER_TEMPLATE, { name: 'CONTOSO\\alice' }); // true: no enroll list
 * mayEnroll({ ...WEB_SERVER_TEMPLATE, enroll: ['CONTOSO\\Domain Admins'] },
 *   { name: 'CONTOSO\\exchadmin', groups: ['CONTOSO\\Domain Admins'] }); // true
 * ```
 */
export function mayEnroll(t: CertificateTemplate, requester: RequesterIdentity | undefined): boolean {
  if (!t.enroll) return true;
  if (t.enroll.includes('*')) return true;
  const name = requester?.name;
  if (name === undefined || name === '') return false;
  const slash = name.indexOf('\\');
  const domain = slash > 0 ? name.slice(0, slash).toLowerCase() : undefined;
  // A group given without its domain (`Domain Admins`) is the account's domain's.
  const groups = (requester?.groups ?? [])
    .map((g) => g.toLowerCase())
    .map((g) => (g.includes('\\') || domain === undefined ? g : `${domain}\\${g}`));
  const held = new Set<string>([name.toLowerCase(), ...groups]);
  held.add('everyone');
  held.add('nt authority\\authenticated users');
  if (domain !== undefined)
    held.add(name.endsWith('$') ? `${domain}\\domain computers` : `${domain}\\domain users`);
  const bare = new Set([...held].map((p) => p.slice(p.indexOf('\\') + 1)));
  return t.enroll.some((entry) => {
    const e = entry.toLowerCase();
    return e.includes('\\') ? held.has(e) : bare.has(e);
  });
}

/**
 * The decision for a request whose signature (or, for a renewal, signing certificate) does not
 * verify: the CA core's message, with NTE_BAD_SIGNATURE or the certificate's chain error.
 *
 * @example
 * ```ts
 * badSignatureDecision(der).hresult; // NTE_BAD_SIGNATURE
 * ```
 */
export function badSignatureDecision(
  der: Uint8Array,
  extra: { template?: string; subject?: string } = {},
  hr: HResult = HRESULTS.NTE_BAD_SIGNATURE,
): PolicyDecision {
  // Wording of the CA core's message: unverified against a real server.
  return {
    outcome: 'denied',
    der,
    message: `Error Verifying Request Signature or Signing Certificate  ${formatHresult(hr)}`,
    hresult: hr,
    ...extra,
  };
}

/**
 * What is wrong with the certificate that signed a PKCS #7 renewal request, as the CA core's
 * chain check reports it ([MS-WCCE] §3.2.1.4.2.1.4: a renewal is signed with the certificate it
 * renews, which this CA must have issued and which must be valid and not revoked), or undefined.
 */
async function renewalSignerProblem(signed: SignedRequest, input: PolicyInput): Promise<HResult | undefined> {
  const cert = signed.signerCertificate;
  if (!cert) return HRESULTS.NTE_BAD_SIGNATURE;
  if (input.caCertificates) {
    let ours = false;
    for (const ca of input.caCertificates) {
      if (!equalBytes(ca.subjectDer, cert.issuerDer)) continue;
      if (await cert.verifySignature(ca.publicKey).catch(() => false)) {
        ours = true;
        break;
      }
    }
    if (!ours) return HRESULTS.CERT_E_UNTRUSTEDROOT;
  }
  const now = (input.now ?? new Date()).getTime();
  if (now < cert.notBefore.getTime() || now > cert.notAfter.getTime()) return HRESULTS.CERT_E_EXPIRED;
  if (input.signerRevoked) return HRESULTS.CRYPT_E_REVOKED;
  return undefined;
}

/**
 * Runs the policy module over one request: parse and signature (the CA core's checks), then the
 * template (present, published, Enroll permission), the key (type and minimum size), the
 * subject and SANs (from the request, the directory identity, or a `san:` attribute when the CA
 * has EDITF_ATTRIBUTESUBJECTALTNAME2), and finally manager approval. Never throws for bad input:
 * every failure is a `denied` decision with AD CS's message and HRESULT.
 *
 * @example
 * ```ts
 * const d = await evaluatePolicy({ request: pem, attributes: { certificatetemplate: 'WebServer' }, templates, editFlags: new Set() });
 * d.outcome; // 'issue'
 * ```
 */
export async function evaluatePolicy(input: PolicyInput): Promise<PolicyDecision> {
  let der: Uint8Array;
  try {
    der = decodeRequestInput(input.request);
  } catch (e) {
    const raw =
      typeof input.request === 'string'
        ? new TextEncoder().encode(input.request)
        : input.request instanceof Uint8Array
          ? input.request
          : input.request.der;
    const hr = parseFailureHresult(e);
    return { outcome: 'denied', der: raw, message: parsingError(hr), hresult: hr };
  }
  const deny = (
    hr: HResult,
    message: string,
    extra: { template?: string; subject?: string } = {},
  ): PolicyDecision => ({
    outcome: 'denied',
    der,
    message,
    hresult: hr,
    ...extra,
  });
  let csr: CertificationRequest;
  let publicKey: PublicKey;
  let subjectText: string | undefined;
  // A PKCS #7 renewal or a CMC request wraps the PKCS #10 in CMS SignedData (reference §5.1).
  let signed: SignedRequest | undefined;
  try {
    if (isSignedRequest(der)) {
      signed = parseSignedRequest(der);
      csr = signed.request;
    } else csr = parseCsr(der);
    subjectText = csr.subject.toString();
  } catch (e) {
    const hr = parseFailureHresult(e);
    return deny(hr, parsingError(hr));
  }
  const templateName = requestedTemplate(csr, input.attributes, input.templates);
  const base = {
    ...(templateName !== undefined ? { template: templateName } : {}),
    ...(subjectText !== undefined ? { subject: subjectText } : {}),
  };
  try {
    publicKey = csr.publicKey;
  } catch {
    return deny(HRESULTS.NTE_BAD_ALGID, deniedByPolicy(HRESULTS.NTE_BAD_ALGID), base);
  }
  // Proof of possession (RFC 2986 §3), checked by the CA core before the policy module runs.
  // The check runs on WebCrypto's thread pool while the policy rules below are evaluated; a bad
  // signature still wins over any other verdict, as the CA core rejects such a request first.
  // A wrapped request carries two signatures: the PKCS #10's own (proof of possession of the new
  // key) and the CMS signer's (the old certificate of a renewal, or the request key for CMC).
  const verifying = (
    signed ? Promise.all([csr.verify(), signed.verify()]).then(([a, b]) => a && b) : csr.verify()
  ).catch(() => false);
  if (signed?.format === 'pkcs7') {
    const hr = await renewalSignerProblem(signed, input);
    if (hr) return badSignatureDecision(der, base, hr);
  }
  const rules = (): PolicyDecision => {
    if (templateName === undefined)
      return deny(HRESULTS.CERTSRV_E_NO_CERT_TYPE, deniedByPolicy(HRESULTS.CERTSRV_E_NO_CERT_TYPE), base);
    const template = input.templates.get(templateName.toLowerCase());
    if (!template) {
      const hr = HRESULTS.CERTSRV_E_UNSUPPORTED_CERT_TYPE;
      return deny(
        hr,
        deniedByPolicy(
          hr,
          `The request was for a certificate template that is not supported by the Active Directory Certificate Services policy: ${templateName}.`,
        ),
        base,
      );
    }
    const named = { ...base, template: template.name };
    // Template ACL: the message is exactly "Denied by Policy Module" (reference §10).
    if (!mayEnroll(template, input.requester))
      return deny(HRESULTS.CERTSRV_E_TEMPLATE_DENIED, 'Denied by Policy Module', named);
    if (!template.keyTypes.includes(publicKey.type))
      return deny(HRESULTS.NTE_BAD_ALGID, deniedByPolicy(HRESULTS.NTE_BAD_ALGID), named);
    const min =
      publicKey.type === 'rsa'
        ? template.minKeySize.rsa
        : publicKey.type === 'ec'
          ? template.minKeySize.ec
          : undefined;
    if (min !== undefined && publicKey.bits < min)
      return deny(HRESULTS.CERTSRV_E_KEY_LENGTH, deniedByPolicy(HRESULTS.CERTSRV_E_KEY_LENGTH), named);

    // Subject and SANs.
    let subjectName: Name;
    let altNames: GeneralName[] = [];
    if (template.subject === 'identity') {
      const id = input.requester ?? {};
      const spec = template.identity ?? { subjectName: 'dns', altNames: ['dns'] };
      const denyFor = (hr: HResult) => deny(hr, deniedByPolicy(hr), named);
      if (spec.subjectName === 'dns') {
        if (!id.dnsHostName) return denyFor(HRESULTS.CERTSRV_E_SUBJECT_DNS_REQUIRED);
        subjectName = Name.from([{ CN: id.dnsHostName }]);
      } else if (spec.subjectName === 'none') {
        // Kerberos Authentication, Domain Controller Authentication, Directory Email
        // Replication: no subject, the names are in the SAN (made critical, RFC 5280 §4.2.1.6).
        subjectName = Name.from([]);
      } else {
        if (!id.dn) return denyFor(HRESULTS.CERTSRV_E_BAD_REQUESTSUBJECT);
        try {
          subjectName = Name.parse(id.dn);
        } catch {
          return denyFor(HRESULTS.CERTSRV_E_BAD_REQUESTSUBJECT);
        }
      }
      // AD CS's policy module writes the directory names in one order, whatever the template
      // lists: UPN, DS Object Guid, e-mail, then DNS names (the Windows SDK's policy module
      // sample, _AddAltSubjectName).
      const ordered = [...spec.altNames].sort((a, b) => ALT_NAME_ORDER[a] - ALT_NAME_ORDER[b]);
      for (const a of ordered) {
        if (a === 'dns') {
          if (!id.dnsHostName) return denyFor(HRESULTS.CERTSRV_E_SUBJECT_DNS_REQUIRED);
          altNames.push({ type: 'dns', value: id.dnsHostName });
        } else if (a === 'domainDns') {
          // CT_FLAG_SUBJECT_ALT_REQUIRE_DOMAIN_DNS: the DNS name of the account's domain.
          const domain = id.domainDnsName ?? id.dnsHostName?.split('.').slice(1).join('.');
          if (!domain) return denyFor(HRESULTS.CERTSRV_E_SUBJECT_DNS_REQUIRED);
          altNames.push({ type: 'dns', value: domain });
          // Kerberos Authentication certificates also name the domain's NetBIOS name, as KDC
          // certificates issued by AD CS show it (DNS Name=CONTOSO); taken from DOMAIN\account.
          const netbios = /^([^\\]+)\\/.exec(id.name ?? '')?.[1];
          if (netbios) altNames.push({ type: 'dns', value: netbios });
        } else if (a === 'guid') {
          // CT_FLAG_SUBJECT_ALT_REQUIRE_DIRECTORY_GUID: the DS Object Guid otherName.
          if (!id.objectGuid) return denyFor(HRESULTS.CERTSRV_E_SUBJECT_DIRECTORY_GUID_REQUIRED);
          altNames.push(objectGuidAltName(id.objectGuid));
        } else if (a === 'upn') {
          if (!id.upn) return denyFor(HRESULTS.CERTSRV_E_SUBJECT_UPN_REQUIRED);
          altNames.push({ type: 'upn', value: id.upn });
        } else {
          if (!id.email) return denyFor(HRESULTS.CERTSRV_E_SUBJECT_EMAIL_REQUIRED);
          altNames.push({ type: 'email', value: id.email });
        }
      }
    } else {
      subjectName = csr.subject;
      if (template.honorRequestSans) {
        try {
          altNames = csr.subjectAltNames;
        } catch {
          const hr = HRESULTS.CRYPT_E_ASN1_BADTAG;
          return deny(hr, parsingError(hr), named);
        }
      }
    }
    // EDITF_ATTRIBUTESUBJECTALTNAME2: a `san:` attribute replaces the SAN; without the flag it is
    // ignored silently (reference §8).
    const sanAttr = input.attributes.san;
    if (
      sanAttr !== undefined &&
      input.editFlags.has('EDITF_ATTRIBUTESUBJECTALTNAME2') &&
      template.honorAttributeSans
    ) {
      try {
        altNames = parseSanAttribute(sanAttr);
      } catch (e) {
        if (!(e instanceof SanAttributeError)) throw e;
        return deny(
          HRESULTS.ERROR_INVALID_PARAMETER,
          deniedByPolicy(HRESULTS.ERROR_INVALID_PARAMETER),
          named,
        );
      }
    }
    // EDITF_ATTRIBUTEENDDATE: ExpirationDate or ValidityPeriod(+Units) may shorten the validity;
    // without the flag they are ignored (reference §8). Unreadable values, and an end that has
    // already come (a pending request approved after it), are refused like an unreadable san:
    // issuing the CA's full validity instead would lengthen what was asked.
    let requestedNotAfter: Date | undefined;
    if (input.editFlags.has('EDITF_ATTRIBUTEENDDATE')) {
      let refused = false;
      try {
        const validity = requestedValidity(input.attributes);
        const now = input.now ?? new Date();
        const end = validity && validityEnd(validity, now);
        if (end && end.getTime() <= now.getTime()) refused = true;
        // A period beyond what a Date holds (a billion years) is longer than every other bound.
        else if (end && Number.isFinite(end.getTime())) requestedNotAfter = end;
      } catch (e) {
        if (!(e instanceof ValidityAttributeError)) throw e;
        refused = true;
      }
      if (refused)
        return deny(
          HRESULTS.ERROR_INVALID_PARAMETER,
          deniedByPolicy(HRESULTS.ERROR_INVALID_PARAMETER),
          named,
        );
    }
    const issuedSubject = { ...named, subject: subjectName.toString() };
    if (subjectName.isEmpty && altNames.length === 0)
      return deny(
        HRESULTS.CERTSRV_E_BAD_REQUESTSUBJECT,
        deniedByPolicy(HRESULTS.CERTSRV_E_BAD_REQUESTSUBJECT),
        issuedSubject,
      );
    if (template.managerApproval && !input.officerApproved)
      return {
        outcome: 'pending',
        der,
        message: 'Taken Under Submission',
        hresult: HRESULTS.S_OK,
        ...issuedSubject,
      };
    return {
      outcome: 'issue',
      der,
      message: 'Issued',
      hresult: HRESULTS.S_OK,
      ...issuedSubject,
      templateDefinition: template,
      subjectName,
      altNames,
      publicKey,
      extensions: caAddedExtensions(template, csr, input.requester),
      ...(requestedNotAfter ? { requestedNotAfter } : {}),
    };
  };
  const decision = rules();
  // With deferSignatureCheck the caller signs while the check completes, and must deny the
  // request (discarding the signature) if `signatureCheck` resolves to false.
  if (decision.outcome === 'issue' && input.deferSignatureCheck)
    return { ...decision, signatureCheck: verifying };
  return (await verifying) ? decision : badSignatureDecision(der, base);
}
