// A child process for the durability tests: writes self-signed certificates into
// DIR/LocalMachine/<store> through the directory adapter and prints each thumbprint once its
// write has completed. Usage: node --import tsx --conditions=source writer.ts DIR STORE COUNT|forever TAG

import { createHash } from 'node:crypto';
import { basicConstraints, createCertificate, generateKeyPair } from '@certlab/pki';
import { DirectoryStoreAdapter } from '../../src/index.js';

const [dir, store, count, tag] = process.argv.slice(2) as [string, string, string, string];
const adapter = new DirectoryStoreAdapter(dir);
const keys = await generateKeyPair({ type: 'ec', curve: 'P-256' });
const limit = count === 'forever' ? Number.POSITIVE_INFINITY : Number(count);
const padding = 'x'.repeat(256 * 1024); // long properties: writes take long enough to be interrupted
for (let i = 0; i < limit; i++) {
  const cert = await createCertificate({
    subject: `CN=${tag} ${i}`,
    publicKey: keys.publicKey,
    signingKey: keys.privateKey,
    days: 30,
    extensions: [basicConstraints({ ca: true })],
  });
  const thumbprint = createHash('sha1').update(cert.der).digest('hex').toUpperCase();
  await adapter.putCertificate(
    { location: 'LocalMachine', store },
    { thumbprint, der: cert.der, properties: { friendlyName: `${tag} ${i}`, description: padding } },
  );
  process.stdout.write(`${thumbprint}\n`);
}
