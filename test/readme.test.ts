// The README's library examples must keep working: this runs every ```ts block of the README
// (concatenated in order, as one module) and checks what the comments there promise.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'test', '.generated');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('runs the README library examples', async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  expect(blocks.length).toBeGreaterThanOrEqual(2);
  const exports = `\nexport { cert, root, csr, result, file, crl, p7b, pfx, key, certificate, server, submitted, caPem, chain, verdict };\n`;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'readme-example.ts');
  writeFileSync(file, `${blocks.join('\n')}${exports}`.replace(/^console\.log\(.*\);$/gm, ''));
  const m = await import(file);
  expect(m.cert.subject.toWindowsString()).toBe('CN=exch01.contoso.com, O=Contoso, C=FR');
  expect(m.cert.subjectAltNames).toEqual([{ type: 'dns', value: 'exch01.contoso.com' }]);
  expect(await m.cert.thumbprint()).toMatch(/^[0-9A-F]{40}$/);
  expect(await m.cert.verifySignature(m.root.publicKey)).toBe(true);
  expect(await m.csr.verify()).toBe(true);
  expect(m.certificate.equals(m.cert)).toBe(true);
  expect(m.key.publicKey.equals(m.cert.publicKey)).toBe(true);
  expect(m.file.kind).toBe('pkcs12');
  expect(m.result.valid).toBe(false);
  expect(m.result.reasons.map((r: { code: string }) => r.code)).toContain('ERR_PATH_REVOKED');
  expect(m.server.certPem).toContain('-----BEGIN CERTIFICATE-----');
  expect(m.submitted.disposition).toBe('issued');
  expect(m.chain.trusted).toBe(true);
  expect(m.verdict).toBe('Ce certificat est valide.');
  expect(m.caPem).toMatch(/^-----BEGIN CERTIFICATE-----\r\n/);
});

it('`npx certlab` works after `npm install`, as the README says', () => {
  // npm links a workspace's executables before the root's prepare script builds dist/, and skips
  // a target that does not exist yet: the bin must be a committed file, or a clone's first
  // `npm install` (and CI's `npm ci`) leaves `npx certlab` "not found".
  const manifest = JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8')) as {
    bin: Record<string, string>;
  };
  const target = join('packages/cli', manifest.bin.certlab!);
  expect(
    execFileSync('git', ['ls-files', '--', target], { cwd: root, encoding: 'utf8' }).trim(),
    `${target} is tracked by git`,
  ).toBe(target);
  const bin = join(root, 'node_modules/.bin/certlab');
  expect(
    existsSync(bin),
    'node_modules/.bin/certlab exists (run npm install again in an older checkout)',
  ).toBe(true);
  expect(execFileSync(bin, ['--version'], { encoding: 'utf8' })).toMatch(/^certlab \d+\.\d+\.\d+/);
});
