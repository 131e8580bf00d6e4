// GeneralNames as Windows writes them in the certificate dialog and certutil: `DNS Name=…`,
// `IP Address=…`, `Other Name: Principal Name=…`.

import { type GeneralName, toHex } from '@certlab/pki';

/** szOID_NTDS_REPLICATION: the otherName that carries an AD object's GUID. */
const DS_OBJECT_GUID = '1.3.6.1.4.1.311.25.1';

/**
 * One GeneralName in Windows' wording.
 *
 * @example
 * ```ts
 * generalNameText({ type: 'upn', value: 'alice@contoso.com' }); // 'Other Name: Principal Name=alice@contoso.com'
 * ```
 */
export function generalNameText(g: GeneralName): string {
  switch (g.type) {
    case 'dns':
      return `DNS Name=${g.value}`;
    case 'ip':
      return `IP Address=${g.value}`;
    case 'email':
      return `RFC822 Name=${g.value}`;
    case 'uri':
      return `URL=${g.value}`;
    case 'upn':
      return `Other Name: Principal Name=${g.value}`;
    case 'dirName':
      return `Directory Address: ${g.value.toWindowsString()}`;
    case 'registeredId':
      return `Registered ID=${g.value}`;
    case 'otherName':
      // certutil's name for the AD object GUID otherName of domain controller certificates.
      return `Other Name: ${g.oid === DS_OBJECT_GUID ? 'DS Object Guid' : g.oid}=${toHex(g.value)}`;
    case 'x400Address':
      return `X400 Address=${toHex(g.der)}`;
    case 'ediPartyName':
      return `EDI Party Name=${toHex(g.der)}`;
  }
}
