// Child process for the crash test: opens the CA in a PGlite directory and issues certificates
// until it is killed, printing `issued <id> <serial>` after each commit.

import { createAuthority, openPgliteStore } from '@certlab/ca-sim';
import { createCsr, generateKeyPair, subjectAltName } from '@certlab/pki';

const dir = process.argv[2];
if (!dir) throw new Error('usage: issue-forever.ts DIR');
const db = await openPgliteStore({ dataDir: dir });
const ca = await createAuthority({
  name: 'Contoso Issuing CA',
  root: { name: 'Contoso Root CA' },
  keyType: 'ec',
  db,
});
const { privateKey } = await generateKeyPair();
const csr = await createCsr({
  subject: 'CN=crash.contoso.com',
  privateKey,
  extensions: [subjectAltName([{ type: 'dns', value: 'crash.contoso.com' }])],
});
process.stdout.write('ready\n');
for (;;) {
  const r = await ca.submit(csr, { template: 'WebServer' });
  process.stdout.write(`issued ${r.requestId} ${r.serialNumber}\n`);
}
