// A yes/no question on the terminal (the Security Warning's Yes / No). Only when stdout is a TTY
// and stdin is one too; otherwise the caller decides without asking, so scripts never hang.

import type { CommandContext } from './command.js';

/**
 * Whether certlab may ask: stdout and stdin are both terminals.
 *
 * @example
 * ```ts
 * if (canAsk(ctx)) await confirm(ctx, 'Do you want to install this certificate? [y/N] ', 'en');
 * ```
 */
export function canAsk(ctx: CommandContext): boolean {
  const stdin = ctx.io.stdin as (NodeJS.ReadableStream & { isTTY?: boolean }) | undefined;
  return ctx.io.isTTY && stdin !== undefined && stdin.isTTY === true;
}

/**
 * Asks `question` on stderr and reads one line: true for y/yes (o/oui in French), false for
 * anything else, an empty line or the end of input (No is the default, as the dialog's safe
 * answer). Call only when {@link canAsk} is true.
 *
 * @example
 * ```ts
 * const yes = await confirm(ctx, 'Voulez-vous installer ce certificat ? [o/N] ', 'fr');
 * ```
 */
export async function confirm(ctx: CommandContext, question: string, lang: 'en' | 'fr'): Promise<boolean> {
  const stdin = ctx.io.stdin as NodeJS.ReadableStream;
  ctx.io.stderr.write(question);
  stdin.resume();
  const line = await new Promise<string>((resolve) => {
    let typed = '';
    const done = (answer: string) => {
      stdin.removeListener('data', onData);
      stdin.removeListener('end', onEnd);
      stdin.pause();
      resolve(answer);
    };
    const onEnd = () => done('');
    const onData = (chunk: string | Uint8Array) => {
      typed += typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);
      const nl = typed.search(/[\r\n]/);
      if (nl >= 0) done(typed.slice(0, nl));
    };
    stdin.on('data', onData);
    stdin.on('end', onEnd);
  });
  const a = line.trim().toLowerCase();
  return a === 'y' || a === 'yes' || (lang === 'fr' && (a === 'o' || a === 'oui'));
}
