// The Enroll entries Active Directory gives the default certificate templates when a forest's
// first Enterprise CA creates them (certsrv-protocol.md §12, "enroll rights (default)"). A new
// simulated CA publishes its templates without an ACL (anyone signed in may enroll), which suits
// tests; a lab that should behave like a fresh AD CS (an ordinary account denied Web Server with
// CERTSRV_E_TEMPLATE_DENIED, reference §12 "For the lab") publishes them with these.

import { type CertificateTemplate, parseTemplate } from './template.js';

// Domain Admins and Enterprise Admins hold Read, Write and Enroll on every default template
// (Windows' default security descriptors; the reference lists them only where nobody else enrolls).
// Group names without a domain are the requester's domain's (policy-module.ts, mayEnroll).
const ADMINS = ['Domain Admins', 'Enterprise Admins'] as const;
const DOMAIN_CONTROLLERS = ['Domain Controllers', 'Enterprise Domain Controllers'] as const;

/**
 * AD CS's default Enroll entries per template cn, for the default templates certlab knows
 * (reference §12): Web Server, Subordinate CA, Administrator and EFS Recovery Agent for the
 * administrators only; Computer for Domain Computers; User and Basic EFS for Domain Users; the
 * domain controller templates for Domain Controllers and Enterprise Domain Controllers. Our
 * WebServer_Manual (a duplicate of Web Server) gets Web Server's, as a duplicate made by an
 * administrator does.
 *
 * @example
 * ```ts
 * DEFAULT_TEMPLATE_ENROLL.WebServer; // ['Domain Admins', 'Enterprise Admins']
 * ```
 */
export const DEFAULT_TEMPLATE_ENROLL: Readonly<Record<string, readonly string[]>> = Object.freeze({
  WebServer: ADMINS,
  WebServer_Manual: ADMINS,
  SubCA: ADMINS,
  Administrator: ADMINS,
  EFSRecovery: ADMINS,
  Machine: ['Domain Computers', ...ADMINS],
  User: ['Domain Users', ...ADMINS],
  EFS: ['Domain Users', ...ADMINS],
  DomainController: [...DOMAIN_CONTROLLERS, ...ADMINS],
  DomainControllerAuthentication: [...DOMAIN_CONTROLLERS, ...ADMINS],
  KerberosAuthentication: [...DOMAIN_CONTROLLERS, ...ADMINS],
  DirectoryEmailReplication: [...DOMAIN_CONTROLLERS, ...ADMINS],
});

/**
 * The templates with AD CS's default Enroll entries ({@link DEFAULT_TEMPLATE_ENROLL}) on each
 * default template that has no enroll list of its own; other templates are returned as they are.
 * Publish the result (`createAuthority({ templates })`) for a CA whose Web Server template an
 * ordinary account may not use: such a request is denied with CERTSRV_E_TEMPLATE_DENIED
 * (0x80094012) and certsrv does not list the template to it.
 *
 * @example
 * ```ts
 * const ca = await createAuthority({ name: 'Contoso Issuing CA', templates: withDefaultPermissions(STANDARD_TEMPLATES) });
 * await ca.submit(csr, { template: 'WebServer', requester: { name: 'CONTOSO\\alice' } }); // denied 0x80094012
 * await ca.submit(csr, { template: 'WebServer', requester: { name: 'CONTOSO\\administrator', groups: ['CONTOSO\\Domain Admins'] } }); // issued
 * ```
 */
export function withDefaultPermissions(templates: readonly CertificateTemplate[]): CertificateTemplate[] {
  return templates.map((t) => {
    if (t.enroll !== undefined || !Object.hasOwn(DEFAULT_TEMPLATE_ENROLL, t.name)) return t;
    return parseTemplate({ ...t, enroll: [...DEFAULT_TEMPLATE_ENROLL[t.name]!] });
  });
}
