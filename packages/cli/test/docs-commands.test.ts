// The README and docs/ must stay true to the command line (the developers' guide: "keep it true
// after every change"): every `certlab …` they show, in a code block or inline, and every example
// of every command's --help, names a command that exists and options that command takes. A
// command meant to be run (a code-block line or a help example without synopsis brackets) must
// also parse as certlab parses it: no unknown option, no missing value, no extra argument.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../src/args.js';
import type { Command } from '../src/command.js';
import { ALL_COMMANDS, loadCommands, NOUNS, STANDALONE } from '../src/registry.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const GLOBAL_FLAGS = new Set(['--help', '-h', '--version', '-V']);

// The registry with every command loaded (the command line loads one per run).
const nouns = await Promise.all(
  NOUNS.map(async (n) => ({ name: n.name, verbs: await loadCommands(n.verbs) })),
);
const standalone = await loadCommands(STANDALONE);
const allCommands = await loadCommands(ALL_COMMANDS);

interface Mention {
  readonly where: string;
  /** What follows `certlab `. */
  readonly text: string;
  /** A line of a code block or a help example: meant to be run as written. */
  readonly runnable: boolean;
}

/** Every `certlab …` of a Markdown file: code-block lines (with `\` continuations) and inline code. */
function mentionsIn(file: string): Mention[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const out: Mention[] = [];
  let inBlock = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*```/.test(line)) {
      inBlock = !inBlock;
      continue;
    }
    if (inBlock) {
      let text = line.replace(/^\s*\$\s+/, '').trim();
      while (text.endsWith('\\') && i + 1 < lines.length) text = `${text.slice(0, -1)} ${lines[++i]!.trim()}`;
      for (const m of commandsOf(text)) out.push({ where: `${file}:${i + 1}`, text: m, runnable: true });
    } else {
      for (const m of line.matchAll(/`(?:npx\s+)?certlab\s+([^`]+)`/g))
        out.push({ where: `${file}:${i + 1}`, text: m[1]!.replace(/\\\|/g, '|'), runnable: false });
    }
  }
  return out;
}

/** The certlab commands of a shell line: the line itself and any inside `$( … )`. */
function commandsOf(line: string): string[] {
  const out: string[] = [];
  const inner = /\$\(\s*(?:npx\s+)?certlab\s+([^()]*)\)/g;
  for (const m of line.matchAll(inner)) out.push(m[1]!.trim());
  const outer = /^(?:npx\s+)?certlab\s+(.*)$/.exec(line.replace(inner, 'VALUE'));
  if (outer) out.push(outer[1]!);
  return out;
}

/** Shell words up to a pipe, redirection, `;`, `&&` or a comment; quotes and `\` as sh reads them. */
function shellWords(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let started = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"') cur += line[++i] ?? '';
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      started = true;
    } else if (c === '\\') {
      cur += line[++i] ?? '';
      started = true;
    } else if (/\s/.test(c)) {
      if (started || cur) out.push(cur);
      cur = '';
      started = false;
    } else if ('|;&<>'.includes(c) || (c === '#' && !cur && !started)) break;
    else cur += c;
  }
  if (quote) throw new Error(`unclosed ${quote} in: ${line}`);
  if (started || cur) out.push(cur);
  return out;
}

/**
 * What is wrong with a mention, or undefined. A synopsis (`[--opt]`, `a|b`, `…`, `(x | y)`) or an
 * inline mention is checked for its command and options; a runnable command is parsed.
 */
function problemOf(m: Mention): string | undefined {
  // A trailing comment, and a pipe into another program (`| jq -r …`; a synopsis's `a | b`
  // alternatives are options or brackets, never a bare word).
  const text = m.text
    .replace(/\s+#\s.*$/, '')
    .replace(/\s\|\s*[a-z][\w.-]*(\s.*)?$/, '')
    .trim();
  const head = text.split(/\s+/);
  const noun = nouns.find((n) => n.name === head[0]);
  let commands: Command[];
  if (noun) {
    const verbs = (head[1] ?? '').split('|');
    commands = noun.verbs.filter((v) => verbs.includes(v.name.split(' ')[1]!));
    // `certlab ca` alone, `certlab csr --help`, `certlab lab …`: the noun is mentioned.
    if (!commands.length)
      return head.length === 1 || GLOBAL_FLAGS.has(head[1]!) || head[1] === '…'
        ? undefined
        : `unknown verb '${head[1]}' of '${noun.name}'`;
  } else {
    commands = standalone.filter((c) => c.name === head[0]);
    if (!commands.length)
      return GLOBAL_FLAGS.has(head[0]!) || head[0] === 'help' || /^[<…]/.test(head[0]!)
        ? undefined
        : `unknown command '${head[0]}'`;
  }
  const synopsis = /[[\](){}…<>]|\.\.\.|\w\|\w|\s\|\s/.test(text);
  if (synopsis || !m.runnable) {
    const known = new Set([
      ...GLOBAL_FLAGS,
      ...commands.flatMap((c) =>
        c.options.flatMap((o) => [`--${o.name}`, ...(o.short ? [`-${o.short}`] : [])]),
      ),
    ]);
    const unknown = [...text.matchAll(/(?<![\w-])--?[a-zA-Z][\w-]*/g)]
      .map((x) => x[0])
      .filter((f) => !known.has(f));
    return unknown.length
      ? `${commands.map((c) => c.name).join('|')} has no ${unknown.join(', ')}`
      : undefined;
  }
  const command = commands[0]!;
  try {
    parseCommandArgs(command, shellWords(text).slice(command.name.split(' ').length));
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

const DOCS = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

describe('certlab commands shown to users', () => {
  it.each(DOCS)('%s names commands and options that exist, and its commands parse', (file) => {
    const mentions = mentionsIn(file);
    const problems = mentions.flatMap((m) => {
      const p = problemOf(m);
      return p ? [`${m.where}: ${p}: certlab ${m.text}`] : [];
    });
    expect(problems).toEqual([]);
  });

  it('every --help example of every command parses', () => {
    const problems = allCommands.flatMap((c) =>
      c.examples.flatMap((e) => {
        const p = problemOf({ where: c.name, text: e, runnable: true });
        return p ? [`${c.name}: ${p}: certlab ${e}`] : [];
      }),
    );
    expect(allCommands.reduce((n, c) => n + c.examples.length, 0)).toBeGreaterThan(50);
    expect(problems).toEqual([]);
  });

  it('finds what it is for: an unknown option, verb or command, a missing value, an extra argument', () => {
    const run = (text: string, runnable = true) => problemOf({ where: 'test', text, runnable });
    expect(run('key new --type ec --out k.pem')).toBeUndefined();
    expect(run('key new --type ec --colour --out k.pem')).toMatch(/unknown option '--colour'/);
    expect(run('key new --type')).toMatch(/needs a value/);
    expect(run('csr show a.csr b.csr')).toMatch(/unexpected argument 'b\.csr'/);
    expect(run('key new [--type ec|rsa] [--shape S] --out FILE')).toMatch(/has no --shape/);
    expect(run('ca retrieve|approve --dir DIR --id N')).toBeUndefined();
    expect(run('ca retrieve|frobnicate --dir DIR', false)).toBeUndefined();
    expect(run('ca frobnicate --dir DIR', false)).toMatch(/unknown verb 'frobnicate'/);
    expect(run('frobnicate --dir DIR', false)).toMatch(/unknown command 'frobnicate'/);
    expect(run('store list --machine m --colour', false)).toMatch(/has no --colour/);
    // `$( … )` inside a line is a command of its own.
    expect(
      commandsOf('certlab crl show x.crl --serial "$(certlab ca list --dir pki --format json)"'),
    ).toEqual(['ca list --dir pki --format json', 'crl show x.crl --serial "VALUE"']);
  });
});
