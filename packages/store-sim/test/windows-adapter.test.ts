// The Windows adapter against recorded PowerShell transcripts: the exact command lines it emits,
// its reading of PowerShell's JSON, and a syntax check of every emitted command against the
// parameters Microsoft documents for each cmdlet (../shared/reference/windows-stores.md §9.3).

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPkcs12 } from '@certlab/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CommandRunner,
  isStoreError,
  keyContainerName,
  PS_PRELUDE,
  psQuote,
  type StoreErrorCode,
  type TranscriptEntry,
  transcriptRunner,
  windowsScripts,
  windowsStoreAdapter,
} from '../src/index.js';
import { type Pki, pki } from './fixtures.js';

const PS = 'powershell.exe';
const ARGS = ['-NoProfile', '-NonInteractive', '-Command'];
const LM_ROOT = { location: 'LocalMachine', store: 'Root' } as const;
const LM_MY = { location: 'LocalMachine', store: 'My' } as const;

let p: Pki;
let dir: string;
let rootTp: string;
let icaTp: string;
let leafTp: string;
/** Every script any adapter of this file emitted, for the syntax check at the end. */
const emitted: string[] = [];

beforeAll(async () => {
  p = await pki();
  rootTp = await p.root.cert.thumbprint();
  icaTp = await p.ica.cert.thumbprint();
  leafTp = await p.leaf.cert.thumbprint();
  dir = await mkdtemp(join(tmpdir(), 'certlab-win-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** One recorded PowerShell run of `script` (the prelude is added as the adapter adds it). */
function step(script: string, answer: Partial<TranscriptEntry> = {}): TranscriptEntry {
  return { exe: PS, args: [...ARGS, PS_PRELUDE + script], stdout: '', stderr: '', exitCode: 0, ...answer };
}

function adapterFor(transcript: TranscriptEntry[]) {
  const runner = transcriptRunner(transcript);
  const collecting: CommandRunner = {
    run(exe, args, options) {
      emitted.push(args[3] ?? '');
      return runner.run(exe, args, options);
    },
  };
  return { runner, adapter: windowsStoreAdapter({ runner: collecting, tempDir: dir }) };
}

async function codeOf(promise: Promise<unknown>): Promise<StoreErrorCode | 'resolved' | 'other'> {
  try {
    await promise;
    return 'resolved';
  } catch (e) {
    return isStoreError(e) ? e.code : 'other';
  }
}

const b64 = (der: Uint8Array) => Buffer.from(der).toString('base64');

describe('psQuote', () => {
  it('makes single-quoted literals, doubling quotes', () => {
    expect(psQuote('Root')).toBe("'Root'");
    expect(psQuote('')).toBe("''");
    expect(psQuote("O'Brien")).toBe("'O''Brien'");
    expect(psQuote("''")).toBe("''''''");
    expect(psQuote('C:\\Users\\a b\\x.cer')).toBe("'C:\\Users\\a b\\x.cer'");
  });
  it('leaves $, backticks, double quotes and semicolons inert (no expansion in single quotes)', () => {
    expect(psQuote('$env:SECRET `n "x"; Remove-Item C:\\')).toBe('\'$env:SECRET `n "x"; Remove-Item C:\\\'');
  });
  it('doubles the typographic quotes PowerShell also treats as single quotes', () => {
    expect(psQuote('a\u2018b\u2019c\u201Ad\u201Be')).toBe(
      "'a\u2018\u2018b\u2019\u2019c\u201A\u201Ad\u201B\u201Be'",
    );
  });
  it('refuses NUL', () => {
    expect(() => psQuote('a\0b')).toThrow(/NUL/);
  });
});

describe('list', () => {
  const listScript =
    "ConvertTo-Json -Compress -InputObject @(Get-ChildItem -Path 'Cert:\\LocalMachine\\Root' | Select-Object -Property Thumbprint,Subject,FriendlyName,HasPrivateKey,Archived,@{Name='RawData';Expression={[Convert]::ToBase64String($_.RawData)}})";

  it('reads Get-ChildItem Cert:\\LocalMachine\\Root as JSON with Base64 RawData', async () => {
    const stdout = `${JSON.stringify([
      {
        Thumbprint: rootTp,
        Subject: 'CN=Contoso Root CA, O=Contoso, C=FR',
        FriendlyName: 'Contoso Root',
        HasPrivateKey: false,
        Archived: false,
        RawData: b64(p.root.cert.der),
      },
      {
        Thumbprint: icaTp,
        Subject: 'CN=Contoso Issuing CA, O=Contoso, C=FR',
        FriendlyName: '',
        HasPrivateKey: false,
        Archived: true,
        RawData: b64(p.ica.cert.der),
      },
    ])}\r\n`;
    const { runner, adapter } = adapterFor([step(listScript, { stdout }), step(listScript, { stdout })]);
    const list = await adapter.listCertificates(LM_ROOT);
    expect(list.map((c) => c.thumbprint)).toEqual([rootTp, icaTp]); // archived ones too: the machine hides them
    expect(list[0]!.der).toEqual(p.root.cert.der);
    expect(list[0]!.properties).toEqual({ friendlyName: 'Contoso Root' });
    expect((await adapter.getCertificate(LM_ROOT, icaTp.toLowerCase()))?.properties).toEqual({
      archived: true,
    });
    runner.assertDone();
  });

  it('accepts a lone object (one certificate) and links a private key to its container', async () => {
    const script = listScript.replace("'Cert:\\LocalMachine\\Root'", "'Cert:\\LocalMachine\\My'");
    const stdout = JSON.stringify({
      Thumbprint: leafTp,
      Subject: 'CN=ex01.contoso.com, O=Contoso, C=FR',
      FriendlyName: '',
      HasPrivateKey: true,
      Archived: false,
      RawData: b64(p.leaf.cert.der),
    });
    // The keys of a location are those of its certificates in every store: here one in
    // WebHosting, where IIS keeps site certificates, and none in My.
    const webHosting = JSON.stringify({ Store: 'WebHosting', ...JSON.parse(stdout) });
    const { adapter } = adapterFor([
      step(script, { stdout }),
      step(windowsScripts.listLocation('LocalMachine'), { stdout: webHosting }),
    ]);
    const [c] = await adapter.listCertificates(LM_MY);
    expect(c?.properties.keyContainer).toBe(keyContainerName(p.leaf.cert));
    expect(await adapter.listKeys('LocalMachine')).toEqual([keyContainerName(p.leaf.cert)]);
  });

  it('reads an empty store ([]) and a store that does not exist as empty', async () => {
    const missing = listScript.replace("'Cert:\\LocalMachine\\Root'", "'Cert:\\LocalMachine\\Foo'");
    const { adapter } = adapterFor([
      step(listScript, { stdout: '[]\r\n' }),
      step(missing, {
        exitCode: 1,
        stderr:
          "Get-ChildItem : Cannot find path 'Cert:\\LocalMachine\\Foo' because it does not exist.\r\n    + CategoryInfo          : ObjectNotFound: (Cert:\\LocalMachine\\Foo:String) [Get-ChildItem], ItemNotFoundException\r\n",
      }),
    ]);
    expect(await adapter.listCertificates(LM_ROOT)).toEqual([]);
    expect(await adapter.listCertificates({ location: 'LocalMachine', store: 'Foo' })).toEqual([]);
  });

  it('lists the stores of a location that hold something', async () => {
    const { adapter } = adapterFor([
      step(
        "ConvertTo-Json -Compress -InputObject @(Get-ChildItem -Path 'Cert:\\CurrentUser' | Where-Object { @(Get-ChildItem -Path $_.PSPath).Count -gt 0 } | Select-Object -ExpandProperty Name)",
        { stdout: '["Root","CA","My","AuthRoot"]\r\n' },
      ),
    ]);
    expect(await adapter.listStores('CurrentUser')).toEqual(['Root', 'CA', 'My', 'AuthRoot']);
  });

  it('lists every store of a location with its certificates in one run (what a machine opens with)', async () => {
    const script =
      "ConvertTo-Json -Compress -InputObject @(Get-ChildItem -Path 'Cert:\\LocalMachine' | ForEach-Object { $store = $_.Name; Get-ChildItem -Path $_.PSPath | Select-Object -Property @{Name='Store';Expression={$store}},Thumbprint,Subject,FriendlyName,HasPrivateKey,Archived,@{Name='RawData';Expression={[Convert]::ToBase64String($_.RawData)}} })";
    const row = (store: string, tp: string, der: Uint8Array, more: object = {}) => ({
      Store: store,
      Thumbprint: tp,
      Subject: '',
      FriendlyName: '',
      HasPrivateKey: false,
      Archived: false,
      RawData: b64(der),
      ...more,
    });
    const { runner, adapter } = adapterFor([
      step(script, {
        stdout: `${JSON.stringify([
          row('Root', rootTp, p.root.cert.der, { FriendlyName: 'Contoso Root' }),
          row('CA', icaTp, p.ica.cert.der),
          row('Root', icaTp, p.ica.cert.der, { Archived: true }),
          row('My', leafTp, p.leaf.cert.der, { HasPrivateKey: true }),
        ])}\r\n`,
      }),
      step(script, { stdout: '[]\r\n' }),
      step(script, { stdout: JSON.stringify([{ Thumbprint: rootTp, RawData: b64(p.root.cert.der) }]) }),
    ]);
    const { stores: listing, keys } = await adapter.listLocation!('LocalMachine');
    // The keys come with the stores, from the same run.
    expect(keys).toEqual([keyContainerName(p.leaf.cert)]);
    expect(listing.map((l) => [l.store, l.certificates.map((c) => c.thumbprint)])).toEqual([
      ['Root', [rootTp, icaTp]],
      ['CA', [icaTp]],
      ['My', [leafTp]],
    ]);
    expect(listing[0]!.certificates.map((c) => c.properties)).toEqual([
      { friendlyName: 'Contoso Root' },
      { archived: true },
    ]);
    expect(listing[2]!.certificates[0]!.properties).toEqual({ keyContainer: keyContainerName(p.leaf.cert) });
    expect(listing[0]!.certificates[0]!.der).toEqual(p.root.cert.der);
    expect(await adapter.listLocation!('LocalMachine')).toEqual({ stores: [], keys: [] });
    // An entry without the store it came from cannot be placed.
    expect(await codeOf(adapter.listLocation!('LocalMachine'))).toBe('ERR_STORE_CORRUPT');
    runner.assertDone();
    // The Cert: drive has no other location.
    expect(await codeOf(adapter.listLocation!('CurrentService'))).toBe('ERR_STORE_UNSUPPORTED');
  });
});

describe('import', () => {
  it('imports a .cer into LocalMachine\\Root through a temporary file', async () => {
    const file = join(dir, `certlab-${rootTp}.cer`);
    const runner = transcriptRunner([
      step(`$null = Import-Certificate -FilePath '${file}' -CertStoreLocation 'Cert:\\LocalMachine\\Root'`),
      step(`(Get-Item -Path 'Cert:\\LocalMachine\\Root\\${rootTp}').FriendlyName = 'Contoso''s root'`),
    ]);
    let staged: Uint8Array | undefined;
    const spy: CommandRunner = {
      async run(exe, args, o) {
        if (staged === undefined) staged = new Uint8Array(await readFile(file));
        return runner.run(exe, args, o);
      },
    };
    const spied = windowsStoreAdapter({ runner: spy, tempDir: dir });
    await spied.putCertificate(LM_ROOT, {
      thumbprint: rootTp,
      der: p.root.cert.der,
      properties: { friendlyName: "Contoso's root" },
    });
    runner.assertDone();
    expect(staged).toEqual(p.root.cert.der); // the DER went to the file Import-Certificate read
    expect(existsSync(file)).toBe(false); // and the file is gone
    emitted.push(...runner.calls.map((c) => c.args[3] ?? ''));
  });

  it('imports a .pfx into LocalMachine\\My with the password in an environment variable', async () => {
    const expected = (file: string) =>
      step(
        `ConvertTo-Json -Compress -InputObject @(Import-PfxCertificate -FilePath '${file}' -CertStoreLocation 'Cert:\\LocalMachine\\My' -Exportable -Password (ConvertTo-SecureString -String $env:CERTLAB_PFX_PASSWORD -AsPlainText -Force) | Select-Object -ExpandProperty Thumbprint)`,
        { stdout: `"${leafTp}"\r\n`, env: ['CERTLAB_PFX_PASSWORD'] },
      );
    const file = join(
      dir,
      `certlab-import-${createHash('sha1').update(p.pfx).digest('hex').slice(0, 16)}.pfx`,
    );
    const t = adapterFor([expected(file)]);
    expect(await t.adapter.importPfx(LM_MY, p.pfx, p.pfxPassword, { exportable: true })).toEqual([leafTp]);
    const call = t.runner.calls[0]!;
    expect(call.env).toEqual({ CERTLAB_PFX_PASSWORD: p.pfxPassword });
    expect(call.args.join(' ')).not.toContain(p.pfxPassword);
    expect(existsSync(file)).toBe(false);
    t.runner.assertDone();
  });

  it('imports a certificate with a key given by putKey as a PFX with a one-time password', async () => {
    const file = join(dir, `certlab-${leafTp}.pfx`);
    const runner = transcriptRunner([
      step(
        `ConvertTo-Json -Compress -InputObject @(Import-PfxCertificate -FilePath '${file}' -CertStoreLocation 'Cert:\\LocalMachine\\My' -Password (ConvertTo-SecureString -String $env:CERTLAB_PFX_PASSWORD -AsPlainText -Force) | Select-Object -ExpandProperty Thumbprint)`,
        { stdout: `"${leafTp}"\r\n`, env: ['CERTLAB_PFX_PASSWORD'] },
      ),
    ]);
    let pfx: Uint8Array | undefined;
    const adapter = windowsStoreAdapter({
      tempDir: dir,
      runner: {
        async run(exe, args, o) {
          pfx = new Uint8Array(await readFile(file));
          emitted.push(args[3] ?? '');
          return runner.run(exe, args, o);
        },
      },
    });
    const container = keyContainerName(p.leaf.cert);
    await adapter.putKey('LocalMachine', container, await p.leaf.keys.privateKey.toPkcs8());
    expect(await adapter.getKey('LocalMachine', container)).toEqual(await p.leaf.keys.privateKey.toPkcs8()); // staged
    await adapter.putCertificate(LM_MY, {
      thumbprint: leafTp,
      der: p.leaf.cert.der,
      properties: { keyContainer: container, keyExportable: false },
    });
    runner.assertDone();
    const password = runner.calls[0]!.env.CERTLAB_PFX_PASSWORD!;
    expect(password.length).toBeGreaterThan(20);
    expect(runner.calls[0]!.args.join(' ')).not.toContain(password);
    const read = await readPkcs12(pfx!, password);
    expect(await read.certificate?.thumbprint()).toBe(leafTp);
    expect(await read.key?.toPkcs8()).toEqual(await p.leaf.keys.privateKey.toPkcs8());
    expect(existsSync(file)).toBe(false);
  });

  it('reports a declined Security Warning (a root into CurrentUser\\Root) as ERR_STORE_CANCELLED with the way out', async () => {
    const file = join(dir, `certlab-${rootTp}.cer`);
    const { adapter } = adapterFor([
      step(`$null = Import-Certificate -FilePath '${file}' -CertStoreLocation 'Cert:\\CurrentUser\\Root'`, {
        exitCode: 1,
        stderr:
          'Import-Certificate : The operation was canceled by the user. 0x800704c7 (WIN32: 1223 ERROR_CANCELLED)\r\n',
      }),
    ]);
    const e = await adapter
      .putCertificate(
        { location: 'CurrentUser', store: 'Root' },
        { thumbprint: rootTp, der: p.root.cert.der, properties: {} },
      )
      .catch((x: unknown) => x);
    expect(isStoreError(e, 'ERR_STORE_CANCELLED')).toBe(true);
    expect((e as Error).message).toMatch(/^Import-Certificate into Cert:\\CurrentUser\\Root was cancelled/);
    expect((e as Error).message).toMatch(/LocalMachine\\Root from an elevated PowerShell/);
    expect(existsSync(file)).toBe(false);
  });
});

describe('export and delete', () => {
  it('exports with Export-Certificate -Type CERT and P7B', async () => {
    const cer = join(dir, `certlab-${rootTp}.cer`);
    const p7b = join(dir, `certlab-${leafTp}.p7b`);
    const { runner, adapter } = adapterFor([
      step(
        `$null = Export-Certificate -Cert (Get-Item -Path 'Cert:\\LocalMachine\\Root\\${rootTp}') -FilePath '${cer}' -Type CERT -Force`,
        { files: { [cer]: b64(p.root.cert.der) } },
      ),
      step(
        `$null = Export-Certificate -Cert (Get-Item -Path 'Cert:\\LocalMachine\\My\\${leafTp}') -FilePath '${p7b}' -Type P7B -Force`,
        { files: { [p7b]: b64(p.chainP7b) } },
      ),
    ]);
    expect(await adapter.exportCertificate(LM_ROOT, rootTp)).toEqual(p.root.cert.der);
    expect(await adapter.exportCertificate(LM_MY, leafTp, 'P7B')).toEqual(p.chainP7b);
    runner.assertDone();
    expect(existsSync(cer) || existsSync(p7b)).toBe(false);
  });

  it('reports a missing certificate as ERR_STORE_NOT_FOUND', async () => {
    const cer = join(dir, `certlab-${rootTp}.cer`);
    const { adapter } = adapterFor([
      step(
        `$null = Export-Certificate -Cert (Get-Item -Path 'Cert:\\CurrentUser\\Root\\${rootTp}') -FilePath '${cer}' -Type CERT -Force`,
        {
          exitCode: 1,
          stderr: `Get-Item : Cannot find path 'Cert:\\CurrentUser\\Root\\${rootTp}' because it does not exist.\r\n`,
        },
      ),
    ]);
    expect(await codeOf(adapter.exportCertificate({ location: 'CurrentUser', store: 'Root' }, rootTp))).toBe(
      'ERR_STORE_NOT_FOUND',
    );
  });

  it('deletes with Remove-Item Cert:\\…\\<thumbprint>, false when absent', async () => {
    const path = `'Cert:\\LocalMachine\\Root\\${rootTp}'`;
    const script = `if (Test-Path -Path ${path}) { Remove-Item -Path ${path}; $true } else { $false }`;
    const { runner, adapter } = adapterFor([
      step(script, { stdout: 'True\r\n' }),
      step(script, { stdout: 'False\r\n' }),
    ]);
    expect(await adapter.deleteCertificate(LM_ROOT, rootTp)).toBe(true);
    expect(await adapter.deleteCertificate(LM_ROOT, rootTp.toLowerCase())).toBe(false);
    runner.assertDone();
  });

  it('explains Access denied (not elevated) as ERR_STORE_IO', async () => {
    const path = `'Cert:\\LocalMachine\\Root\\${rootTp}'`;
    const { adapter } = adapterFor([
      step(`if (Test-Path -Path ${path}) { Remove-Item -Path ${path}; $true } else { $false }`, {
        exitCode: 1,
        stderr: 'Remove-Item : Access is denied.\r\n',
      }),
    ]);
    const e = await adapter.deleteCertificate(LM_ROOT, rootTp).catch((x: unknown) => x);
    expect(isStoreError(e, 'ERR_STORE_IO')).toBe(true);
    expect((e as Error).message).toMatch(/elevated/);
  });
});

describe('transcript runner', () => {
  it('fails with ERR_STORE_TRANSCRIPT_MISMATCH when the emitted command differs', async () => {
    const { adapter } = adapterFor([
      step(
        `$null = Import-Certificate -FilePath '${join(dir, `certlab-${rootTp}.cer`)}' -CertStoreLocation 'Cert:\\CurrentUser\\Root'`,
      ),
    ]);
    const e = await adapter
      .putCertificate(LM_ROOT, { thumbprint: rootTp, der: p.root.cert.der, properties: {} })
      .catch((x: unknown) => x);
    expect(isStoreError(e, 'ERR_STORE_TRANSCRIPT_MISMATCH')).toBe(true);
    expect((e as Error).message).toMatch(/argument 3/);
  });

  it('fails on an unrecorded command, a missing environment variable and unreplayed steps', async () => {
    const runner = transcriptRunner([
      {
        exe: PS,
        args: ['-Command', 'x'],
        stdout: '',
        stderr: '',
        exitCode: 0,
        env: ['CERTLAB_PFX_PASSWORD'],
      },
    ]);
    expect(() => runner.assertDone()).toThrow(/never run/);
    expect(await codeOf(runner.run(PS, ['-Command', 'x']))).toBe('ERR_STORE_TRANSCRIPT_MISMATCH');
    expect(await codeOf(runner.run('pwsh', ['-Command', 'x']))).toBe('ERR_STORE_TRANSCRIPT_MISMATCH');
    expect((await runner.run(PS, ['-Command', 'x'], { env: { CERTLAB_PFX_PASSWORD: 'p' } })).exitCode).toBe(
      0,
    );
    expect(await codeOf(runner.run(PS, ['-Command', 'x']))).toBe('ERR_STORE_TRANSCRIPT_MISMATCH');
    runner.assertDone();
  });
});

describe('what Windows cannot do here', () => {
  it('is ERR_STORE_UNSUPPORTED for CRLs, other locations and reading key material', async () => {
    const { adapter } = adapterFor([
      step(windowsScripts.listLocation('LocalMachine'), {
        stdout: JSON.stringify([
          {
            Store: 'My',
            Thumbprint: leafTp,
            Subject: '',
            FriendlyName: '',
            HasPrivateKey: true,
            Archived: false,
            RawData: b64(p.leaf.cert.der),
          },
        ]),
      }),
    ]);
    expect(await codeOf(adapter.listCrls(LM_ROOT))).toBe('ERR_STORE_UNSUPPORTED');
    expect(await codeOf(adapter.putCrl(LM_ROOT, { id: '00'.repeat(20), der: p.crl.der }))).toBe(
      'ERR_STORE_UNSUPPORTED',
    );
    expect(await codeOf(adapter.deleteCrl(LM_ROOT, '00'.repeat(20)))).toBe('ERR_STORE_UNSUPPORTED');
    expect(await codeOf(adapter.listCertificates({ location: 'CurrentService', store: 'My' }))).toBe(
      'ERR_STORE_UNSUPPORTED',
    );
    expect(await codeOf(adapter.listCertificates({ location: 'LocalMachine', store: "Ro'ot" }))).toBe(
      'ERR_STORE_NAME_INVALID',
    );
    expect(await codeOf(adapter.getKey('LocalMachine', keyContainerName(p.leaf.cert)))).toBe(
      'ERR_STORE_UNSUPPORTED',
    );
  });
});

/** Parameters Microsoft documents for each cmdlet the adapter may emit (reference §9.3 + cmdlet pages). */
const SYNTAX: Record<string, readonly string[]> = {
  'Import-Certificate': ['FilePath', 'CertStoreLocation'],
  'Import-PfxCertificate': ['FilePath', 'CertStoreLocation', 'Exportable', 'Password'],
  'Export-Certificate': ['Cert', 'FilePath', 'Type', 'NoClobber', 'Force'],
  'Get-ChildItem': [
    'Path',
    'LiteralPath',
    'Recurse',
    'SSLServerAuthentication',
    'DnsName',
    'Eku',
    'ExpiringInDays',
  ],
  'Get-Item': ['Path', 'LiteralPath'],
  'Test-Path': ['Path', 'LiteralPath'],
  'Remove-Item': ['Path', 'LiteralPath', 'DeleteKey'],
  'Select-Object': ['Property', 'ExpandProperty'],
  'Where-Object': [],
  'ForEach-Object': [],
  'ConvertTo-Json': ['InputObject', 'Compress', 'Depth'],
  'ConvertTo-SecureString': ['String', 'AsPlainText', 'Force'],
};

/** Every (cmdlet, parameter, value) of a script; parameters bind to the cmdlet of their own nesting level. */
function cmdletUses(
  script: string,
): { cmdlet: string; params: { name: string; value: string | undefined }[] }[] {
  const tokens =
    script.match(/'(?:[^']|'')*'|\$[\w:]+|[{}()|;=]|@[{(]|-[A-Za-z]+|[A-Za-z]+-[A-Za-z]+|[^\s{}()|;=']+/g) ??
    [];
  const uses: { cmdlet: string; params: { name: string; value: string | undefined }[] }[] = [];
  const stack: ({ cmdlet: string; params: { name: string; value: string | undefined }[] } | undefined)[] = [
    undefined,
  ];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '{' || t === '(' || t === '@{' || t === '@(') stack.push(undefined);
    else if (t === '}' || t === ')') stack.pop();
    else if (t === '|' || t === ';' || t === '=') stack[stack.length - 1] = undefined;
    else if (/^[A-Z][A-Za-z]+-[A-Z][A-Za-z]+$/.test(t)) {
      const use = { cmdlet: t, params: [] };
      uses.push(use);
      stack[stack.length - 1] = use;
    } else if (/^-[A-Za-z]+$/.test(t)) {
      const current = stack[stack.length - 1];
      const next = tokens[i + 1];
      if (current)
        current.params.push({ name: t.slice(1), value: next && !next.startsWith('-') ? next : undefined });
    }
  }
  return uses;
}

describe('emitted commands against the documented syntax', () => {
  it('parses a script into cmdlets and their own parameters', () => {
    const uses = cmdletUses(
      "$null = Import-PfxCertificate -FilePath 'a' -Password (ConvertTo-SecureString -String $env:X -AsPlainText -Force) | Where-Object { $_.HasPrivateKey -eq $true }",
    );
    expect(uses.map((u) => [u.cmdlet, u.params.map((x) => x.name)])).toEqual([
      ['Import-PfxCertificate', ['FilePath', 'Password']],
      ['ConvertTo-SecureString', ['String', 'AsPlainText', 'Force']],
      ['Where-Object', []],
    ]);
  });

  it('uses only documented cmdlets, parameters and values, and no double quotes', () => {
    const all = [
      ...emitted,
      windowsScripts.importPfx(LM_MY, 'C:\\t\\a.pfx', false),
      windowsScripts.setArchived(LM_ROOT, rootTp),
      windowsScripts.remove(LM_MY, leafTp, true),
      windowsScripts.exportCertificate(LM_ROOT, rootTp, 'C:\\t\\a.sst', 'SST'),
    ].map((s) => (s.startsWith(PS_PRELUDE) ? s.slice(PS_PRELUDE.length) : s));
    expect(all.length).toBeGreaterThan(15);
    for (const script of all) {
      expect(script).not.toContain('"');
      const uses = cmdletUses(script);
      expect(uses.length).toBeGreaterThan(0);
      for (const { cmdlet, params } of uses) {
        expect(Object.keys(SYNTAX), script).toContain(cmdlet);
        for (const { name, value } of params) {
          expect(SYNTAX[cmdlet], `${cmdlet} -${name} in ${script}`).toContain(name);
          if (name === 'Type') expect(['CERT', 'P7B', 'SST']).toContain(value);
          if (name === 'CertStoreLocation')
            expect(value).toMatch(/^'Cert:\\(CurrentUser|LocalMachine)\\[A-Za-z]+'$/);
          if (name === 'FilePath') expect(value).toMatch(/^'.*\.(cer|pfx|p7b|sst)'$/);
          if (name === 'Password') expect(value).toBe('(');
        }
        if (cmdlet === 'ConvertTo-SecureString')
          expect(script).toContain('-String $env:CERTLAB_PFX_PASSWORD');
      }
    }
  });
});
