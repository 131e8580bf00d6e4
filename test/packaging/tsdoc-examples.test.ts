// "TSDoc with an example on every export" (the developers' guide), held to two checks: every
// export of each package's entry point carries an `@example`, and every fenced TypeScript example
// in the packages' sources type-checks against the code it documents. Examples are snippets, not
// programs: a name they use without declaring it (`der`, `ca`, `ctx`) is given the type `any`, and
// `…` stands for elided code; a name the documenting file, its package or a package it depends on
// exports is imported, so a renamed function, a wrong argument, a missing required option or a
// property that no longer exists is a type error here. What an example says it returns (its
// `// → …` comments) is prose and is not checked.

import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { filesUnder } from '../support/files.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const NAMES = {
  pki: '@certlab/pki',
  'store-sim': '@certlab/store-sim',
  'ca-sim': '@certlab/ca-sim',
  lab: '@certlab/lab',
  cli: 'certlab',
} as const;
type Pkg = keyof typeof NAMES;
const PACKAGES = Object.keys(NAMES) as Pkg[];
/** What each package may import (the guide's one-way dependencies). */
const DEPENDS: Record<Pkg, readonly Pkg[]> = {
  pki: [],
  'store-sim': ['pki'],
  'ca-sim': ['pki'],
  lab: ['pki', 'store-sim', 'ca-sim'],
  cli: ['pki', 'store-sim', 'ca-sim', 'lab'],
};

const OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts'],
  types: ['node'],
  customConditions: ['source'],
  strict: true,
  // A callback's parameter is implicitly `any` whenever the snippet's receiver is a free name.
  noImplicitAny: false,
  skipLibCheck: true,
  noEmit: true,
};

interface Example {
  readonly pkg: Pkg;
  /** Path from the repository root, `/`-separated. */
  readonly file: string;
  /** 1-based line of the `@example` tag. */
  readonly line: number;
  readonly code: string;
}

interface Exported {
  readonly name: string;
  /** Only a type: imported with `type`. */
  readonly typeOnly: boolean;
  /** A function or a class. */
  readonly callable?: boolean;
}

/** The placeholder for `…` in a snippet: an expression, a statement or a shorthand property. */
const ELIDED = '__elided__';

/** Every fenced `ts` example of every JSDoc comment in a package's sources (not `internal/`). */
function examplesOf(pkg: Pkg): Example[] {
  const dir = join(root, 'packages', pkg, 'src');
  const out: Example[] = [];
  for (const rel of filesUnder(dir)) {
    if (
      !rel.endsWith('.ts') ||
      rel.endsWith('.d.ts') ||
      rel.startsWith('internal/') ||
      rel.includes('/internal/')
    )
      continue;
    const text = readFileSync(join(dir, rel), 'utf8');
    for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
      const at = comment[0].indexOf('@example');
      if (at < 0) continue;
      const body = comment[0]
        .slice(at)
        .split('\n')
        .map((l) => l.replace(/^\s*\*( |$)/, ''))
        .join('\n');
      const line = text.slice(0, (comment.index ?? 0) + at).split('\n').length;
      for (const fence of body.matchAll(/```(\w*)\n([\s\S]*?)```/g)) {
        if (fence[1] && !['ts', 'typescript'].includes(fence[1])) continue;
        out.push({ pkg, file: `packages/${pkg}/src/${rel}`, line, code: fence[2] ?? '' });
      }
    }
  }
  return out;
}

/** The names a module exports, through re-exports. */
function exportsOfModule(checker: ts.TypeChecker, file: ts.SourceFile | undefined): Exported[] {
  const module = file && checker.getSymbolAtLocation(file);
  if (!module) return [];
  return checker.getExportsOfModule(module).map((s) => {
    const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
    return {
      name: s.name,
      typeOnly: !(target.flags & ts.SymbolFlags.Value),
      callable: (target.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class)) !== 0,
    };
  });
}

/** The names a snippet imports itself. */
function importedBySnippet(code: string): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(/^\s*import\s+(?:type\s+)?\{([^}]*)\}/gm))
    for (const part of (m[1] ?? '').split(',')) {
      const local = part
        .trim()
        .split(/\s+as\s+/)
        .pop()
        ?.replace(/^type\s+/, '');
      if (local) names.add(local);
    }
  return names;
}

/** Node and test-runner functions examples use without importing them (`readFile(path)`). */
const WELL_KNOWN: ReadonlyMap<string, readonly Exported[]> = new Map(
  (
    [
      ['node:fs/promises', ['readFile', 'writeFile', 'mkdir', 'rm']],
      ['node:fs', ['readFileSync', 'writeFileSync', 'existsSync']],
      ['node:path', ['join', 'resolve', 'dirname']],
      ['node:os', ['homedir', 'tmpdir']],
      ['node:child_process', ['execFileSync', 'spawn']],
      ['vitest', ['afterEach', 'beforeEach', 'expect']],
    ] as const
  ).map(([specifier, names]) => [specifier, names.map((name) => ({ name, typeOnly: false }))]),
);

const MARK = '// -- example --';

/**
 * The module a snippet is checked as: imports of the names it uses, `any` for its free names
 * (`type X = any` for a free name used as a type), its own imports, then its body inside an async
 * function (examples `await` and `return`).
 */
function moduleText(ex: Example, sources: ModuleExports, free: ReadonlySet<string>): string {
  const lines = ex.code.replaceAll('…', ELIDED).split('\n');
  const own = lines.filter((l) => /^\s*import\s/.test(l));
  const body = lines.filter((l) => !/^\s*import\s/.test(l));
  const used = new Set(ex.code.match(/[A-Za-z_$][\w$]*/g));
  const taken = importedBySnippet(ex.code);
  const imports: string[] = [];
  const from = (names: readonly Exported[], specifier: string) => {
    const pick = names.filter((e) => used.has(e.name) && !taken.has(e.name));
    for (const e of pick) taken.add(e.name);
    if (pick.length)
      imports.push(
        `import { ${pick.map((e) => (e.typeOnly ? `type ${e.name}` : e.name)).join(', ')} } from '${specifier}';`,
      );
  };
  from(sources.ofFile(ex.file), `./${ex.file.split('/').pop()?.replace(/\.ts$/, '.js')}`);
  for (const pkg of [ex.pkg, ...DEPENDS[ex.pkg]]) from(sources.ofPackage(pkg), NAMES[pkg]);
  // A helper function or class of another module of the same package, when only one module
  // exports that name (data names such as `issuer` stay the snippet's own).
  for (const [file, names] of sources.inPackage(ex.pkg)) {
    const specifier = relative(dirname(ex.file), file).replace(/\.ts$/, '.js');
    from(
      names.filter((e) => e.callable),
      specifier.startsWith('.') ? specifier : `./${specifier}`,
    );
  }
  for (const [specifier, names] of WELL_KNOWN) from(names, specifier);
  const declared = [...free]
    .filter((n) => !taken.has(n.replace(/^type:/, '')))
    .map((n) => (n.startsWith('type:') ? `type ${n.slice(5)} = any;` : `declare let ${n}: any;`));
  return [
    ...imports,
    ...own,
    ...declared,
    `declare const ${ELIDED}: any;`,
    'export {};',
    'async function example() {',
    MARK,
    ...body,
    '}',
    '',
  ].join('\n');
}

interface ModuleExports {
  ofFile(file: string): readonly Exported[];
  ofPackage(pkg: Pkg): readonly Exported[];
  /** Each module of the package with the names that module alone exports in the package. */
  inPackage(pkg: Pkg): ReadonlyMap<string, readonly Exported[]>;
}

/**
 * Type-checks examples; returns each one's errors (`L<n>: TS<code> <message>`, n counted from the
 * snippet's first non-import line). Free names are found by compiling, adding `any` declarations
 * for what the compiler could not find, and compiling again until nothing new turns up.
 */
function checkExamples(examples: readonly Example[]): string[][] {
  const base = ts.createProgram(
    PACKAGES.flatMap((p) =>
      filesUnder(join(root, 'packages', p, 'src'))
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.includes('browser/'))
        .map((f) => join(root, 'packages', p, 'src', f)),
    ),
    OPTIONS,
  );
  const checker = base.getTypeChecker();
  const fileCache = new Map<string, readonly Exported[]>();
  const packageCache = new Map<Pkg, ReadonlyMap<string, readonly Exported[]>>();
  const sources: ModuleExports = {
    ofFile: (file) => {
      let names = fileCache.get(file);
      if (!names) {
        names = exportsOfModule(checker, base.getSourceFile(join(root, file)));
        fileCache.set(file, names);
      }
      return names;
    },
    ofPackage: (pkg) => sources.ofFile(`packages/${pkg}/src/index.ts`),
    inPackage: (pkg) => {
      let unique = packageCache.get(pkg);
      if (!unique) {
        const count = new Map<string, number>();
        const all = filesUnder(join(root, 'packages', pkg, 'src'))
          .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('index.ts'))
          .map((f) => [`packages/${pkg}/src/${f}`, sources.ofFile(`packages/${pkg}/src/${f}`)] as const);
        for (const [, names] of all) for (const e of names) count.set(e.name, (count.get(e.name) ?? 0) + 1);
        unique = new Map(all.map(([f, names]) => [f, names.filter((e) => count.get(e.name) === 1)]));
        packageCache.set(pkg, unique);
      }
      return unique;
    },
  };
  const free = examples.map(() => new Set<string>());
  const paths = examples.map((ex, i) => join(root, ex.file.replace(/[^/]+$/, `__example_${i}__.ts`)));
  let program: ts.Program | undefined;
  let errors: string[][] = [];
  for (let pass = 0; pass < 6; pass++) {
    const texts = new Map(
      paths.map((p, i) => [p, moduleText(examples[i] as Example, sources, free[i] as Set<string>)]),
    );
    const host = ts.createCompilerHost(OPTIONS);
    const { getSourceFile, fileExists, readFile } = host;
    host.getSourceFile = (name, version, ...rest) => {
      const text = texts.get(name);
      return text === undefined
        ? getSourceFile.call(host, name, version, ...rest)
        : ts.createSourceFile(name, text, version);
    };
    host.fileExists = (name) => texts.has(name) || fileExists.call(host, name);
    host.readFile = (name) => texts.get(name) ?? readFile.call(host, name);
    program = ts.createProgram(paths, OPTIONS, host, program);
    const typeChecker = program.getTypeChecker();
    let found = false;
    errors = paths.map((path, i) => {
      const names = free[i] as Set<string>;
      const file = program?.getSourceFile(path);
      const text = texts.get(path) ?? '';
      if (!file || !program) return [`not compiled: ${path}`];
      const start = text.indexOf(MARK) + MARK.length + 1;
      const addFree = (name: string) => {
        if (!names.has(name)) {
          names.add(name);
          found = true;
        }
      };
      // A free name that only the DOM declares (`status`, `name`, `confirm`) is the snippet's own.
      const visit = (node: ts.Node): void => {
        if (ts.isIdentifier(node) && node.getStart(file) >= start && !isPropertyName(node)) {
          const decls = typeChecker.getSymbolAtLocation(node)?.declarations;
          if (decls?.length && decls.every((d) => d.getSourceFile().fileName.endsWith('lib.dom.d.ts')))
            addFree(node.text);
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
      const out: string[] = [];
      // A free name is fine as data (`der`, `ca`) but a function the snippet calls must exist:
      // otherwise a renamed API (`parseCsrr(der)`) would pass as a free name. One the documenting
      // file declares or imports without exporting (a helper shown in its own file) is allowed.
      const calls = (node: ts.Node): void => {
        if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && ts.isIdentifier(node.expression)) {
          const callee = node.expression.text;
          if (names.has(callee) && !declaredIn(examples[i] as Example, callee))
            out.push(
              `L${text.slice(start, node.getStart(file)).split('\n').length}: calls ${callee}, which neither ${examples[i]?.file}, its package nor a package it depends on declares`,
            );
        }
        ts.forEachChild(node, calls);
      };
      calls(file);
      for (const d of [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]) {
        const message = ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0] ?? '';
        const name = /'([^']+)'/.exec(message)?.[1];
        // Cannot find name 'x' (2304, 2552 with a suggestion, 18004 as a shorthand property);
        // 'X' refers to a value but is used as a type (2749): the snippet's free names.
        if (name && (d.code === 2304 || d.code === 2552 || d.code === 18004)) {
          addFree(name);
          continue;
        }
        if (name && d.code === 2749) {
          names.delete(name);
          addFree(`type:${name}`);
          continue;
        }
        // Type arguments on a call through a free (`any`) name.
        if (d.code === 2347) continue;
        const line = text.slice(start, Math.max(start, d.start ?? start)).split('\n').length;
        out.push(`L${line}: TS${d.code} ${message}`);
      }
      return out;
    });
    if (!found) break;
  }
  return errors;
}

const fileText = new Map<string, string>();

/** Whether the documenting file declares or imports a name (a helper it does not export). */
function declaredIn(ex: Example, name: string): boolean {
  let text = fileText.get(ex.file);
  if (text === undefined) {
    text = readFileSync(join(root, ex.file), 'utf8');
    fileText.set(ex.file, text);
  }
  const word = new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b`);
  if ([...text.matchAll(/^import\s[\s\S]*?from\s*['"][^'"]+['"]/gm)].some((m) => word.test(m[0])))
    return true;
  return new RegExp(`(?:function\\*?|class|const|let|var)\\s+${name.replace(/\$/g, '\\$')}\\b`).test(text);
}

function isPropertyName(node: ts.Identifier): boolean {
  const p = node.parent;
  return (
    (ts.isPropertyAccessExpression(p) && p.name === node) ||
    (ts.isPropertyAssignment(p) && p.name === node) ||
    (ts.isQualifiedName(p) && p.right === node) ||
    ts.isPropertySignature(p) ||
    ts.isMethodDeclaration(p)
  );
}

/** Exports of each package's entry point whose declarations carry no `@example`. */
function exportsWithoutExample(): string[] {
  const program = ts.createProgram(
    PACKAGES.map((p) => join(root, 'packages', p, 'src', 'index.ts')),
    OPTIONS,
  );
  const checker = program.getTypeChecker();
  const missing: string[] = [];
  for (const pkg of PACKAGES) {
    const entry = program.getSourceFile(join(root, 'packages', pkg, 'src', 'index.ts'));
    const module = entry && checker.getSymbolAtLocation(entry);
    if (!module) throw new Error(`no entry point for ${pkg}`);
    for (const exported of checker.getExportsOfModule(module)) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const decls = target.declarations ?? [];
      if (!decls.some((d) => ts.getJSDocTags(d).some((t) => t.tagName.text === 'example')))
        missing.push(`${NAMES[pkg]}: ${exported.name}`);
    }
  }
  return missing;
}

describe('TSDoc examples', () => {
  let examples: Example[];
  let errors: string[][];

  beforeAll(() => {
    examples = PACKAGES.flatMap(examplesOf);
    errors = checkExamples(examples);
  }, 180_000);

  it('every export of every package has an @example', () => {
    expect(exportsWithoutExample()).toEqual([]);
  }, 120_000);

  it('finds the examples (hundreds of them, in every package)', () => {
    expect(examples.length).toBeGreaterThan(800);
    for (const pkg of PACKAGES) expect(examples.filter((e) => e.pkg === pkg).length).toBeGreaterThan(10);
  });

  it('every example type-checks against the code it documents', () => {
    const failures = examples.flatMap((ex, i) =>
      errors[i]?.length ? [`${ex.file}:${ex.line}\n  ${errors[i]?.join('\n  ')}`] : [],
    );
    expect(failures).toEqual([]);
  });

  it('catches a wrong example (a renamed function, a wrong argument, an option that is gone)', () => {
    const wrong: Example[] = [
      { pkg: 'pki', file: 'packages/pki/src/csr.ts', line: 1, code: 'const csr = parseCsrr(der);\n' },
      {
        pkg: 'pki',
        file: 'packages/pki/src/csr.ts',
        line: 1,
        code: 'const csr = parseCsr(der);\ncsr.subjectt;\n',
      },
      {
        pkg: 'ca-sim',
        file: 'packages/ca-sim/src/authority.ts',
        line: 1,
        code: "await createAuthority({ nam: 'Contoso CA' });\n",
      },
      // A name only the DOM declares is the snippet's own: `status.x` is not `window.status.x`.
      { pkg: 'pki', file: 'packages/pki/src/csr.ts', line: 1, code: 'status.errorStatus & 1;\n' },
    ];
    const found = checkExamples(wrong);
    expect(found[0]?.join()).toMatch(/TS2552|TS2304|parseCsrr/);
    expect(found[1]?.join()).toMatch(/subjectt/);
    expect(found[2]?.join()).toMatch(/nam/);
    expect(found[3]).toEqual([]);
  }, 120_000);
});
