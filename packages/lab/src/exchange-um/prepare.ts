// `lab init exchange-um`: the hosts as the trainee finds them. The CA host holds its own CA
// certificates; the Lync front end is already deployed (its certificate from the lab CA with its
// key in LocalMachine\My, the root in LocalMachine\Root), as the article assumes; the UM server
// has Exchange installed (its self-signed certificate) and nothing from the CA: the root is NOT
// pre-published to it (no Enterprise/GPO distribution, reference §3), so tasks 1–3 matter.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CertificationAuthority } from '@certlab/ca-sim';
import { createCsr, generateKeyPair, subjectAltName } from '@certlab/pki';
import { LabError } from '../errors.js';
import { ExchangeUmService } from '../exchange-um-service.js';
import { ADMIN_GROUPS } from '../internal/lab-accounts.js';
import { HOST_DOWNLOADS_DIR } from '../lab-host.js';
import type { LabSession } from '../lab-session.js';
import { l10n } from '../localized.js';

/**
 * Provisions the CA host, the Lync front end and the Exchange UM server of a new lab.
 *
 * @example
 * ```ts
 * await prepareExchangeUm(session, ca);
 * ```
 */
export async function prepareExchangeUm(session: LabSession, ca: CertificationAuthority): Promise<void> {
  const caHost = session.host('ca');
  const lync = session.host('lync');
  const ex = session.host('exchange-um');
  await caHost.machine.store('LocalMachine', 'Root').add(ca.rootCertificate);
  await caHost.machine.store('LocalMachine', 'CA').add(ca.certificate);

  const keys = await generateKeyPair({ type: 'rsa', bits: 2048 });
  const csr = await createCsr({
    subject: `CN=${lync.fqdn}`,
    privateKey: keys.privateKey,
    extensions: [subjectAltName([{ type: 'dns', value: lync.fqdn }])],
    template: 'WebServer',
  });
  // Requested by the lab's administrator: Web Server's default permissions (lab CAs publish
  // them) let only Domain Admins and Enterprise Admins enroll.
  const r = await ca.submit(csr.toPem(), {
    template: 'WebServer',
    requester: { name: session.config.ca.account.name, groups: [...ADMIN_GROUPS] },
  });
  if (r.disposition !== 'issued' || !r.certificate)
    throw new LabError(
      'ERR_LAB_CERTSRV',
      l10n(
        `The lab CA did not issue the Lync certificate (${r.status}); check the CA's WebServer template.`,
        `L'autorité du labo n'a pas délivré le certificat de Lync (${r.status}) ; vérifiez son modèle WebServer.`,
      ),
      { lang: session.config.lang },
    );
  await lync.machine.store('LocalMachine', 'My').add(r.certificate, {
    key: keys.privateKey,
    properties: { friendlyName: 'Lync Server 2013 default certificate' },
  });
  await lync.machine.store('LocalMachine', 'Root').add(ca.rootCertificate);

  // The browser's download folder on the UM server, where the CA certificate is saved (task 1).
  if (ex.dir) await mkdir(join(ex.dir, HOST_DOWNLOADS_DIR), { recursive: true });
  await ExchangeUmService.install(ex, {
    version: session.config.exchange,
    network: session.network,
    now: session.now,
    lang: session.config.lang,
  });
}
