/**
 * @certlab/pki: keys, names, extensions, PKCS #10 requests and X.509 certificates in pure
 * TypeScript over WebCrypto. No `node:` imports: it runs in Node.js ≥ 20.19 and in browsers.
 *
 * @example
 * ```ts
 * import { generateKeyPair, createCsr, subjectAltName } from '@certlab/pki';
 * const { privateKey } = await generateKeyPair({ type: 'ec', curve: 'P-256' });
 * const csr = await createCsr({
 *   subject: 'CN=exch01.contoso.com, O=Contoso, C=FR',
 *   privateKey,
 *   extensions: [subjectAltName([{ type: 'dns', value: 'exch01.contoso.com' }])],
 * });
 * console.log(csr.toPem());
 * ```
 * @packageDocumentation
 */

export * from './certificate.js';
export * from './crl.js';
export * from './csr.js';
export * from './der-element.js';
export * from './detect.js';
export * from './errors.js';
export * from './extensions.js';
export * from './general-names.js';
export * from './index-keys.js';
export { equalBytes, fromHex, toHex } from './internal/bytes.js';
export * from './names.js';
export * from './oids.js';
export * from './path/index.js';
export * from './pem.js';
export * from './pkcs7.js';
export * from './pkcs12.js';
export * from './serial.js';
export * from './signed-request.js';
export * from './time-text.js';
