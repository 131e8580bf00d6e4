// Small output helpers shared by commands.

import type { CommandContext } from './command.js';
import { STDIO } from './files.js';
import type { OutputStream } from './io.js';

/**
 * Writes lines, each ending with a newline.
 *
 * @example
 * ```ts
 * writeLines(io.stdout, ['Subject:', '    CN=a']);
 * ```
 */
export function writeLines(stream: OutputStream, lines: readonly string[]): void {
  if (lines.length > 0) stream.write(`${lines.join('\n')}\n`);
}

/**
 * Where a command's human-readable summary goes: stdout, except when the artifact itself is
 * written to stdout (`--out -`), so that piping the artifact is never polluted by the summary.
 *
 * @example
 * ```ts
 * writeLines(summaryStream(ctx, out), [`Wrote ${out}`]);
 * ```
 */
export function summaryStream(ctx: CommandContext, ...outputs: (string | undefined)[]): OutputStream {
  return outputs.includes(STDIO) ? ctx.io.stderr : ctx.io.stdout;
}

/**
 * Writes a value as pretty JSON (two-space indent, final newline).
 *
 * @example
 * ```ts
 * writeJson(io.stdout, { ok: true });
 * ```
 */
export function writeJson(stream: OutputStream, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Rows as left-aligned columns separated by two spaces, trailing blanks trimmed (the first row is
 * usually the header).
 *
 * @example
 * ```ts
 * columns([['Name', 'Validity'], ['WebServer', '730 days']]); // ['Name       Validity', 'WebServer  730 days']
 * ```
 */
export function columns(rows: readonly (readonly string[])[]): string[] {
  const n = Math.max(0, ...rows.map((r) => r.length));
  const widths = Array.from({ length: n }, (_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}
