// The packages as another project gets them: built from this tree in a copy (the tree's own
// dist/ is neither used nor touched), packed with `npm pack`, unpacked into a consumer project's
// node_modules outside the workspace, then imported by Node, type-checked by tsc and bundled for
// a browser. This is what "other tools use the packages as a library (ESM, typed, small,
// browser-safe core)" means in practice, and what a workspace hides: a file missing from `files`,
// an export map pointing nowhere, an undeclared dependency that hoisting happened to provide.
//
// Third-party dependencies (pg, PGlite) are linked from the workspace's node_modules instead of
// installed: `npm install` would need the registry's metadata, which a fresh CI machine's cache
// does not hold after `npm ci`, and tests use no network. Declared dependencies are checked
// statically instead (every bare import of a package's JavaScript must be declared).

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesUnder } from '../support/files.js';
import { makeTmpDir, type TmpDir } from '../support/tmp.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PACKAGES = ['pki', 'ca-sim', 'store-sim', 'lab', 'cli'] as const;
const NAMES: Record<(typeof PACKAGES)[number], string> = {
  pki: '@certlab/pki',
  'ca-sim': '@certlab/ca-sim',
  'store-sim': '@certlab/store-sim',
  lab: '@certlab/lab',
  cli: 'certlab',
};
const TSC = join(root, 'node_modules/typescript/bin/tsc');

interface Manifest {
  name: string;
  version: string;
  license?: string;
  bin?: Record<string, string>;
  exports: Record<string, { types: string; default: string; source?: string }>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

interface Packed {
  readonly name: string;
  readonly tarball: string;
  readonly bytes: number;
  readonly files: string[];
  /** Where it is unpacked in the consumer project. */
  readonly dir: string;
  readonly manifest: Manifest;
}

let tmp: TmpDir;
let app: string;
const packed = new Map<string, Packed>();

/** Runs a command to completion (killed after 120 s: a synchronous call cannot be interrupted by the test timeout). */
function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 120_000 });
  if (r.error || r.status !== 0)
    throw new Error(
      `${cmd} ${args.join(' ')} failed (${r.error ? r.error.message : `exit ${r.status}`}):\n${r.stdout}\n${r.stderr}`,
    );
  return r.stdout;
}

beforeAll(async () => {
  tmp = makeTmpDir('certlab-pack-');
  // 1. A copy of the workspace's sources, built the way `npm install` (prepare) builds them.
  const ws = join(tmp.path, 'ws');
  mkdirSync(join(ws, 'packages'), { recursive: true });
  for (const f of ['package.json', 'tsconfig.base.json']) cpSync(join(root, f), join(ws, f));
  cpSync(join(root, 'scripts'), join(ws, 'scripts'), { recursive: true });
  for (const p of PACKAGES)
    for (const f of ['package.json', 'README.md', 'LICENSE', 'tsconfig.json', 'src', 'bin'])
      if (f !== 'bin' || existsSync(join(root, 'packages', p, f)))
        cpSync(join(root, 'packages', p, f), join(ws, 'packages', p, f), { recursive: true });
  // Its node_modules: the workspace's, except that the certlab packages are the copy's.
  mkdirSync(join(ws, 'node_modules', '@certlab'), { recursive: true });
  for (const e of readdirSync(join(root, 'node_modules')))
    if (e !== '@certlab' && e !== 'certlab')
      symlinkSync(join(root, 'node_modules', e), join(ws, 'node_modules', e));
  for (const p of PACKAGES) symlinkSync(join(ws, 'packages', p), join(ws, 'node_modules', NAMES[p]));
  run(process.execPath, [TSC, '-b', ...PACKAGES.map((p) => `packages/${p}`)], ws);
  run(process.execPath, ['scripts/build-browser.mjs'], ws);

  // 2. npm pack, as `npm publish` would.
  const tgz = join(tmp.path, 'tgz');
  mkdirSync(tgz);
  const report = JSON.parse(
    run('npm', ['pack', '--workspaces', '--json', '--pack-destination', tgz, '--ignore-scripts'], ws),
  ) as { name: string; filename: string; size: number; files: { path: string }[] }[];

  // 3. A consumer project: each tarball unpacked into its node_modules, third-party deps linked.
  app = join(tmp.path, 'app');
  mkdirSync(join(app, 'node_modules', '@certlab'), { recursive: true });
  writeFileSync(join(app, 'package.json'), '{ "name": "consumer", "private": true, "type": "module" }\n');
  for (const r of report) {
    const dir = join(app, 'node_modules', r.name);
    mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['-xzf', join(tgz, r.filename), '-C', dir, '--strip-components=1']);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    packed.set(r.name, {
      name: r.name,
      tarball: r.filename,
      bytes: r.size,
      files: r.files.map((f) => f.path),
      dir,
      manifest,
    });
  }
  for (const dep of ['pg', '@electric-sql/pglite']) {
    mkdirSync(dirname(join(app, 'node_modules', dep)), { recursive: true });
    symlinkSync(join(root, 'node_modules', dep), join(app, 'node_modules', dep));
  }
  const sizes = [...packed.values()].map(
    (p) => `${p.name} ${(p.bytes / 1024).toFixed(0)} KB (${p.files.length} files)`,
  );
  console.log(`npm pack: ${sizes.join(', ')}`);
}, 300_000);

afterAll(() => tmp?.remove());

/** Bare module specifiers imported by a JavaScript file (static, dynamic and re-exports), comments (TSDoc examples) aside. */
function bareImports(source: string): string[] {
  const js = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out = new Set<string>();
  for (const m of js.matchAll(
    /(?:^|[\s;}])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s*['"]([^'"]+)['"]/gm,
  )) {
    const spec = m[1] ?? m[2] ?? m[3]!;
    if (spec.startsWith('.') || spec.startsWith('/')) continue;
    out.add(spec);
  }
  return [...out];
}

function packageOf(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

const NODE_BUILTINS = new Set(builtinModules);

describe('npm packages', () => {
  it('pack five packages with their entry points, types and sources, and no tests or build state', () => {
    expect([...packed.keys()].sort()).toEqual(Object.values(NAMES).sort());
    for (const p of packed.values()) {
      expect(p.manifest.version, p.name).toMatch(/^\d+\.\d+\.\d+/);
      // One public entry point: internal/ is never exported.
      expect(Object.keys(p.manifest.exports), p.name).toEqual(['.']);
      const entry = p.manifest.exports['.']!;
      for (const f of [entry.types, entry.default, entry.source!])
        expect(existsSync(join(p.dir, f)), `${p.name}: ${f}`).toBe(true);
      for (const f of p.files) {
        expect(f, p.name).not.toMatch(/(^|\/)test\/|\.test\.|\.tsbuildinfo$/);
        // bin/: the CLI's committed launcher (npm links it before prepare builds dist/).
        expect(f, p.name).toMatch(/^(package\.json|README\.md|LICENSE|dist\/.*|src\/.*|bin\/certlab\.js)$/);
      }
      // The licence package.json names travels with the code (MIT asks for its text in copies).
      expect(p.files, p.name).toContain('LICENSE');
      expect(p.manifest.license, p.name).toBe('MIT');
      // Every .js has its declarations next to it.
      for (const f of p.files.filter(
        (x) => x.startsWith('dist/') && x.endsWith('.js') && !x.startsWith('dist/browser/'),
      ))
        expect(p.files, `${p.name}: ${f}`).toContain(f.replace(/\.js$/, '.d.ts'));
    }
    const cli = packed.get('certlab')!;
    const bin = cli.manifest.bin?.certlab;
    expect(bin).toBeDefined();
    expect(readFileSync(join(cli.dir, bin!), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    // The in-browser enrollment script is built into the CA package (certsrv serves it).
    expect(packed.get('@certlab/ca-sim')!.files).toContain('dist/browser/certrqma.js');
  });

  it('declare every package their JavaScript imports; @certlab/pki imports nothing, not even Node', () => {
    for (const p of packed.values()) {
      const declared = new Set([
        ...Object.keys(p.manifest.dependencies ?? {}),
        ...Object.keys(p.manifest.optionalDependencies ?? {}),
        ...Object.keys(p.manifest.peerDependencies ?? {}),
      ]);
      const undeclared = new Set<string>();
      for (const f of filesUnder(join(p.dir, 'dist'))
        .map((f) => join(p.dir, 'dist', f))
        .filter((x) => x.endsWith('.js') && !x.includes('/dist/browser/'))) {
        for (const spec of bareImports(readFileSync(f, 'utf8'))) {
          if (spec.startsWith('node:') || NODE_BUILTINS.has(spec)) {
            if (p.name === '@certlab/pki')
              undeclared.add(`${spec} (a Node built-in, in ${relative(p.dir, f)})`);
            continue;
          }
          if (!declared.has(packageOf(spec))) undeclared.add(`${spec} (in ${relative(p.dir, f)})`);
        }
      }
      expect([...undeclared], p.name).toEqual([]);
    }
    expect(Object.keys(packed.get('@certlab/pki')!.manifest.dependencies ?? {})).toEqual([]);
  });

  it('keep pkijs and asn1js types inside (no declaration file names them)', () => {
    for (const p of packed.values())
      for (const f of filesUnder(join(p.dir, 'dist'))
        .map((f) => join(p.dir, 'dist', f))
        .filter((x) => x.endsWith('.d.ts')))
        expect(readFileSync(f, 'utf8'), relative(app, f)).not.toMatch(
          /from ['"](pkijs|asn1js)['"]|import\(['"](pkijs|asn1js)['"]\)/,
        );
  });

  it("leave pki's @internal helpers out of its declarations (stripInternal)", () => {
    const pki = packed.get('@certlab/pki')!;
    const declarations = filesUnder(join(pki.dir, 'dist'))
      .filter((f) => f.endsWith('.d.ts'))
      .map((f) => readFileSync(join(pki.dir, 'dist', f), 'utf8'))
      .join('\n');
    for (const name of [
      'readExtensions',
      'readGeneralName',
      'encodeExtensions',
      'readNameAt',
      'SignatureCache',
    ])
      expect(declarations, name).not.toMatch(new RegExp(`\\b${name}\\b`));
    // What is API stays: the parse functions and the classes' constructors.
    expect(declarations).toMatch(/export declare function parseCertificate\(/);
    expect(declarations).toMatch(/constructor\(der: Uint8Array\);/);
  });

  it('work from an outside project: a CSR, an issued certificate, certsrv with its browser script, the whole lab, the CLI', () => {
    writeFileSync(
      join(app, 'smoke.mjs'),
      `import { createCsr, generateKeyPair, parseCertificate, subjectAltName } from '@certlab/pki';
import { createTestCA, startCertsrv, UserDirectory } from '@certlab/ca-sim';
import { MemoryStoreAdapter } from '@certlab/store-sim';
import { runLab } from '@certlab/lab';
const out = {};
const { privateKey } = await generateKeyPair({ type: 'ec', curve: 'P-256' });
const csr = await createCsr({ subject: 'CN=web.contoso.com', privateKey, extensions: [subjectAltName([{ type: 'dns', value: 'web.contoso.com' }])] });
const ca = await createTestCA();
const r = await ca.submit(csr.toPem(), { template: 'WebServer' });
out.disposition = r.disposition;
out.commonName = parseCertificate(r.certificate.der).subject.commonName;
const users = new UserDirectory('CONTOSO');
await users.add('alice', 'Passw0rd!');
const site = await startCertsrv({ ca: ca.authority, users });
const auth = { authorization: 'Basic ' + btoa('alice:Passw0rd!') };
const script = await fetch(site.url + '/certsrv/assets/certrqma.js', { headers: auth });
out.script = [script.status, script.headers.get('content-type'), (await script.text()).length];
const cacert = await fetch(site.url + '/certsrv/certnew.cer?ReqID=CACert&Renewal=0&Enc=b64', { headers: auth });
out.cacert = (await cacert.text()).startsWith('-----BEGIN CERTIFICATE-----');
await site.close();
out.memoryStore = typeof MemoryStoreAdapter;
const lab = await runLab({ exchange: '2010' });
out.lab = lab.report.passed;
console.log(JSON.stringify(out));
`,
    );
    const out = JSON.parse(run(process.execPath, ['smoke.mjs'], app).trim().split('\n').at(-1)!);
    expect(out).toEqual({
      disposition: 'issued',
      commonName: 'web.contoso.com',
      script: [200, expect.stringMatching(/javascript/), expect.any(Number)],
      cacert: true,
      memoryStore: 'function',
      lab: true,
    });
    expect(out.script[2]).toBeGreaterThan(10_000);
    const cli = packed.get('certlab')!;
    expect(run(process.execPath, [join(cli.dir, cli.manifest.bin!.certlab!), '--version'], app)).toBe(
      `certlab ${cli.manifest.version}\n`,
    );
  });

  it('start certsrv from the packed bin as `npm start` does, and stop on SIGINT', async () => {
    const cli = packed.get('certlab')!;
    const child = spawn(
      process.execPath,
      [
        join(cli.dir, cli.manifest.bin!.certlab!),
        'serve',
        '--format',
        'json',
        '--port',
        '0',
        '--https-port',
        '0',
      ],
      { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let gone = false;
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => {
        gone = true;
        resolve(code);
      }),
    );
    // Bounded waits, shorter than the test timeout, so that a failure reports what it saw.
    const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
      Promise.race([
        p,
        new Promise<T>((_, reject) =>
          setTimeout(() => reject(new Error(`${what} within ${ms} ms; stderr: ${stderr}`)), ms).unref(),
        ),
      ]);
    try {
      let report:
        | {
            http: string;
            https: string | null;
            accounts: { name: string; admin: boolean; password: string | null }[];
          }
        | undefined;
      for (let i = 0; i < 800 && !report && !gone; i++) {
        try {
          report = JSON.parse(stdout);
        } catch {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      expect(report, `no JSON report (exited: ${gone}); stderr: ${stderr}`).toBeDefined();
      // report.http is the /certsrv/ URL.
      expect(report!.http).toMatch(/^http:\/\/localhost:\d+\/certsrv\/$/);
      expect((await fetch(new URL('/health', report!.http))).status).toBe(200);
      const user = report!.accounts.find((a) => !a.admin)!;
      const home = await fetch(report!.http, {
        headers: { authorization: `Basic ${btoa(`${user.name}:${user.password}`)}` },
      });
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('Microsoft Active Directory Certificate Services');
      // The CA and its database are under ./.certlab, as the README's quick start says.
      expect(existsSync(join(app, '.certlab'))).toBe(true);
      child.kill('SIGINT');
      expect(await within(exited, 20_000, 'serve did not exit on SIGINT')).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it("run their README's example from the outside project", () => {
    // What each example prints, in order (its `// …` comments say the same to the reader).
    const expected: Record<string, string[]> = {
      '@certlab/pki': ['CN=exch01.contoso.com,O=Contoso,C=FR true', 'csr'],
      '@certlab/ca-sim': ['true', 'issued', '200 application/pkix-cert'],
      '@certlab/store-sim': ['true []', 'Ce certificat est valide.'],
      '@certlab/lab': ['false UM_TCP_MODE'],
    };
    // Lines that must appear somewhere in what the example prints.
    const contains: Record<string, RegExp[]> = {
      '@certlab/lab': [/^ {2}\[RÉUSSI\] {2}1\. /, /^ {2}\[ÉCHEC\] {3}5\. /, /^ {12}Indice : Set-UMServer /],
    };
    for (const p of packed.values()) {
      expect(p.files, p.name).toContain('README.md');
      const readme = readFileSync(join(p.dir, 'README.md'), 'utf8');
      expect(readme.startsWith(`# ${p.name}\n`), p.name).toBe(true);
      const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
      if (p.name === 'certlab') {
        expect(blocks).toEqual([]);
        continue;
      }
      expect(blocks.length, p.name).toBe(1);
      const file = join(app, `readme-${p.name.replace(/\W+/g, '-')}.mjs`);
      writeFileSync(file, blocks[0]!);
      const lines = run(process.execPath, [file], app).split('\n');
      expect(lines.slice(0, expected[p.name]!.length), p.name).toEqual(expected[p.name]);
      for (const re of contains[p.name] ?? [])
        expect(
          lines.some((l) => re.test(l)),
          `${p.name}: ${re}`,
        ).toBe(true);
    }
  });

  it('type-check in a strict NodeNext project, declaration files included', () => {
    writeFileSync(
      join(app, 'use.ts'),
      `import { createCsr, generateKeyPair, parseCertificate, type PkiError, subjectAltName } from '@certlab/pki';
import { type CertificationAuthority, createTestCA, startCertsrv } from '@certlab/ca-sim';
import { MemoryStoreAdapter } from '@certlab/store-sim';
import { type LabLang, runLab } from '@certlab/lab';
import { run } from 'certlab';
const { privateKey } = await generateKeyPair({ type: 'ec', curve: 'P-256' });
const csr = await createCsr({ subject: 'CN=web.contoso.com', privateKey, extensions: [subjectAltName([{ type: 'dns', value: 'web.contoso.com' }])] });
const ca = await createTestCA();
const r = await ca.submit(csr.toPem(), { template: 'WebServer' });
const cn: string | undefined = parseCertificate(r.certificate!.der).subject.commonName;
const lang: LabLang = 'fr';
const code: number = await run(['--version']);
const e: PkiError | undefined = undefined;
const authority: CertificationAuthority = ca.authority;
// A WebCrypto type in a public signature is checked, not \`any\`.
// @ts-expect-error toJwk() gives a JsonWebKey, not a number
const jwkIsNotANumber: number = await privateKey.toJwk();
// @ts-expect-error the subject is a string, not a number
await createCsr({ subject: 42, privateKey });
void [cn, lang, code, e, authority, jwkIsNotANumber, startCertsrv, MemoryStoreAdapter, runLab];
`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          // A Node project's lib, without "dom": the WebCrypto types of @certlab/pki's
          // declarations must come with them (reference lib="dom"), not silently become `any`.
          lib: ['ES2022'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          // Our declaration files are checked too, and they name no PGlite type (whose own
          // declarations need @types/emscripten, which a consumer should not have to install).
          skipLibCheck: false,
          types: ['node'],
          typeRoots: [join(root, 'node_modules/@types')],
        },
        files: ['use.ts'],
      }),
    );
    const r = spawnSync(process.execPath, [TSC, '-p', '.'], { cwd: app, encoding: 'utf8', timeout: 120_000 });
    // tsc ran (exit 0, or 1–2 with diagnostics on stdout), rather than failing to start.
    expect(r.error).toBeUndefined();
    expect(r.stderr).toBe('');
    expect([0, 1, 2]).toContain(r.status);
    const errors = r.stdout.split('\n').filter((l) => /error TS\d+/.test(l));
    expect(errors).toEqual([]);
  });

  it('bundle @certlab/pki for a browser without a Node built-in, and only what is imported', async () => {
    const bundle = async (name: string, source: string): Promise<string> => {
      writeFileSync(join(app, `${name}.mjs`), source);
      const r = await build({
        absWorkingDir: app,
        entryPoints: [`${name}.mjs`],
        bundle: true,
        platform: 'browser',
        format: 'esm',
        target: 'es2022',
        minify: true,
        write: false,
        logLevel: 'silent',
      });
      const js = r.outputFiles[0]!.text;
      expect(js, name).not.toMatch(/["']node:|require\(/);
      return js;
    };
    const all = await bundle('browser-all', "export * from '@certlab/pki';\n");
    const csr = await bundle(
      'browser-csr',
      "export { createCsr, generateKeyPair, subjectAltName } from '@certlab/pki';\n",
    );
    const pem = await bundle('browser-pem', "export { decodePem, encodePem } from '@certlab/pki';\n");
    const kb = (js: string) =>
      `${(js.length / 1024).toFixed(0)} KB (${(gzipSync(js).length / 1024).toFixed(0)} KB gzipped)`;
    console.log(
      `@certlab/pki minified for a browser: everything ${kb(all)}; key + CSR ${kb(csr)}; PEM only ${kb(pem)}`,
    );
    expect(all.length).toBeGreaterThan(50_000);
    // "sideEffects": false holds: a bundler keeps only what the page imports.
    expect(csr.length).toBeLessThan(all.length / 2);
    expect(pem.length).toBeLessThan(all.length / 20);
  });
});
