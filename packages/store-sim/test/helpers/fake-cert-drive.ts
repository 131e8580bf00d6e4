// A stateful stand-in for PowerShell's Cert: drive, for machine-level tests of the Windows
// adapter: it understands exactly the scripts the adapter emits (windowsScripts), keeps the
// certificates in memory, and reads and writes the files the adapter hands over as the cmdlets
// do (Import-Certificate, Import-PfxCertificate with the password from the environment,
// Export-Certificate). Anything else is an error answer, so a script the adapter changes and
// this fake does not know fails the test instead of passing quietly.

import { readFile, writeFile } from 'node:fs/promises';
import { parseCertificate, readPkcs12 } from '@certlab/pki';
import { type CommandRunner, PS_PRELUDE, type RunResult } from '../../src/index.js';

interface DriveEntry {
  der: Uint8Array;
  friendlyName: string;
  archived: boolean;
  hasPrivateKey: boolean;
  exportable: boolean;
}

/** A PowerShell single-quoted literal's text (quotes doubled inside). */
const Q = "'((?:[^']|'')*)'";
const unquote = (s: string): string => s.replace(/''/g, "'");

export class FakeCertDrive {
  /** `LocalMachine\Root` → thumbprint → entry. */
  readonly stores = new Map<string, Map<string, DriveEntry>>();
  /** Thumbprints whose private key Remove-Item -DeleteKey deleted. */
  readonly deletedKeys: string[] = [];
  /** Every script run, without the prelude. */
  readonly scripts: string[] = [];

  store(path: string): Map<string, DriveEntry> {
    let s = this.stores.get(path);
    if (!s) {
      s = new Map();
      this.stores.set(path, s);
    }
    return s;
  }

  async #add(path: string, der: Uint8Array, key: { exportable: boolean } | undefined): Promise<string> {
    const cert = parseCertificate(der);
    const tp = (await cert.thumbprint()).toUpperCase();
    const old = this.store(path).get(tp);
    this.store(path).set(tp, {
      der: cert.der,
      friendlyName: old?.friendlyName ?? '',
      archived: old?.archived ?? false,
      hasPrivateKey: key !== undefined || old?.hasPrivateKey === true,
      exportable: key?.exportable ?? old?.exportable ?? false,
    });
    return tp;
  }

  /** Each script the adapter emits (windowsScripts), as a pattern and what the cmdlet does. */
  readonly #cmdlets: readonly [
    RegExp,
    (m: RegExpMatchArray, env: Record<string, string>) => Promise<RunResult>,
  ][] = [
    [
      new RegExp(`^ConvertTo-Json -Compress -InputObject @\\(Get-ChildItem -Path ${Q} \\| Where-Object`),
      async (m) => {
        const loc = drivePath(m[1]!);
        const names = [...this.stores]
          .filter(([k, v]) => k.startsWith(`${loc}\\`) && v.size > 0)
          .map(([k]) => k.slice(loc.length + 1));
        return ok(JSON.stringify(names));
      },
    ],
    [
      new RegExp(
        `^ConvertTo-Json -Compress -InputObject @\\(Get-ChildItem -Path ${Q} \\| ForEach-Object \\{ \\$store = \\$_\\.Name; Get-ChildItem -Path \\$_\\.PSPath \\| Select-Object -Property @\\{Name='Store';Expression=\\{\\$store\\}\\},Thumbprint,`,
      ),
      async (m) => {
        const loc = drivePath(m[1]!);
        const rows = [...this.stores]
          .filter(([k]) => k.startsWith(`${loc}\\`))
          .flatMap(([k, v]) => [...v].map(([tp, e]) => ({ Store: k.slice(loc.length + 1), ...row(tp, e) })));
        return ok(JSON.stringify(rows));
      },
    ],
    [
      new RegExp(
        `^ConvertTo-Json -Compress -InputObject @\\(Get-ChildItem -Path ${Q} \\| Select-Object -Property Thumbprint,`,
      ),
      async (m) => {
        const store = this.stores.get(drivePath(m[1]!)) ?? new Map<string, DriveEntry>();
        return ok(JSON.stringify([...store].map(([tp, e]) => row(tp, e))));
      },
    ],
    [
      new RegExp(`^\\$null = Import-Certificate -FilePath ${Q} -CertStoreLocation ${Q}$`),
      async (m) => {
        await this.#add(drivePath(m[2]!), new Uint8Array(await readFile(unquote(m[1]!))), undefined);
        return ok();
      },
    ],
    [
      new RegExp(
        `Import-PfxCertificate -FilePath ${Q} -CertStoreLocation ${Q}( -Exportable)? -Password \\(ConvertTo-SecureString -String \\$env:(\\w+) `,
      ),
      async (m, env) => {
        const password = env[m[4]!];
        if (password === undefined) return fail('no PFX password in the environment');
        const pfx = await readPkcs12(new Uint8Array(await readFile(unquote(m[1]!))), password);
        const path = drivePath(m[2]!);
        const tps: string[] = [];
        // Import-PfxCertificate puts every certificate of the file in the store, the key with its own.
        if (pfx.certificate)
          tps.push(
            await this.#add(
              path,
              pfx.certificate.der,
              pfx.key ? { exportable: m[3] !== undefined } : undefined,
            ),
          );
        for (const c of pfx.chain) tps.push(await this.#add(path, c.der, undefined));
        return ok(JSON.stringify(tps));
      },
    ],
    [
      new RegExp(`^\\(Get-Item -Path ${Q}\\)\\.(FriendlyName = ${Q}|Archived = \\$true)$`),
      async (m) => {
        const e = this.#entry(m[1]!);
        if (!e) return notFound(m[1]!);
        if (m[2]!.startsWith('FriendlyName')) e.friendlyName = unquote(m[3]!);
        else e.archived = true;
        return ok();
      },
    ],
    [
      new RegExp(
        `^if \\(Test-Path -Path ${Q}\\) \\{ Remove-Item -Path ${Q}( -DeleteKey)?; \\$true \\} else \\{ \\$false \\}$`,
      ),
      async (m) => {
        const [path, tp] = splitItem(m[1]!);
        const e = this.stores.get(path)?.get(tp);
        if (!e) return ok('False');
        this.stores.get(path)!.delete(tp);
        // -DeleteKey deletes the key file: copies of the certificate elsewhere lose their key.
        if (m[3] !== undefined && e.hasPrivateKey) this.deletedKeys.push(tp);
        return ok('True');
      },
    ],
    [
      new RegExp(
        `^\\$null = Export-Certificate -Cert \\(Get-Item -Path ${Q}\\) -FilePath ${Q} -Type CERT -Force$`,
      ),
      async (m) => {
        const e = this.#entry(m[1]!);
        if (!e) return notFound(m[1]!);
        await writeFile(unquote(m[2]!), e.der);
        return ok();
      },
    ],
  ];

  readonly runner: CommandRunner = {
    run: async (_exe, args, options): Promise<RunResult> => {
      const full = args[3] ?? '';
      if (!full.startsWith(PS_PRELUDE)) return fail(`no prelude: ${full}`);
      const script = full.slice(PS_PRELUDE.length);
      this.scripts.push(script);
      for (const [pattern, cmdlet] of this.#cmdlets) {
        const m = script.match(pattern);
        if (m) return cmdlet(m, options?.env ?? {});
      }
      return fail(`the fake Cert: drive does not know this script: ${script}`);
    },
  };

  /** The entry an item path (`Cert:\LocalMachine\My\THUMBPRINT`, quotes doubled) names. */
  #entry(item: string): DriveEntry | undefined {
    const [path, tp] = splitItem(item);
    return this.stores.get(path)?.get(tp);
  }
}

/** An entry as `Select-Object -Property Thumbprint,…,RawData` shows it. */
function row(tp: string, e: DriveEntry): Record<string, unknown> {
  return {
    Thumbprint: tp,
    Subject: '',
    FriendlyName: e.friendlyName,
    HasPrivateKey: e.hasPrivateKey,
    Archived: e.archived,
    RawData: Buffer.from(e.der).toString('base64'),
  };
}

/** A `Cert:\LocalMachine\Root` path (quotes doubled) → `LocalMachine\Root`. */
function drivePath(quoted: string): string {
  return unquote(quoted).replace(/^Cert:\\/, '');
}

/** An item path (quotes doubled) → its store path and thumbprint. */
function splitItem(quoted: string): [string, string] {
  const parts = drivePath(quoted).split('\\');
  const tp = parts.pop()!;
  return [parts.join('\\'), tp.toUpperCase()];
}

function ok(stdout = ''): RunResult {
  return { stdout, stderr: '', exitCode: 0 };
}

function fail(stderr: string): RunResult {
  return { stdout: '', stderr, exitCode: 1 };
}

function notFound(item: string): RunResult {
  return { stdout: '', stderr: `Cannot find path '${item}' because it does not exist.`, exitCode: 1 };
}
