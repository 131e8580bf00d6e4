// Shared checks of the malformed-input property tests: a call either returns or throws an
// accepted (coded) error, within a time bound; anything else fails the property with a message
// that names the call and the error. Used with the mutations of mutate.ts and json-mutate.ts.

/** Counts outcomes so that a property can check it was not vacuous (some inputs pass, some fail). */
export class Outcomes {
  ok = 0;
  failed = 0;
  readonly codes = new Map<string, number>();
  slowest = 0;
  slowestWhat = '';
  note(what: string, ms: number): void {
    if (ms > this.slowest) {
      this.slowest = ms;
      this.slowestWhat = what;
    }
  }
  fail(code: string): void {
    this.failed++;
    this.codes.set(code, (this.codes.get(code) ?? 0) + 1);
  }
}

/** `Ctor [code]: message` of anything thrown. */
export function describeThrown(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return `${e.constructor.name}${code !== undefined ? ` [${String(code)}]` : ''}: ${e.message}`;
  }
  return `a non-Error value ${String(e)}`;
}

/** An error class with a string `code` starting with `prefix` (PkiError/ERR_PKI_, CaError/ERR_CA_…). */
export function coded(ctor: abstract new (...args: never[]) => Error, prefix: string) {
  return (e: unknown): string | undefined => {
    if (!(e instanceof ctor)) return undefined;
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' && code.startsWith(prefix) ? code : undefined;
  };
}

/** Accepts a TypeError (API misuse, or the documented answer of a helper such as fromHex). */
export const typeError = (e: unknown): string | undefined =>
  e instanceof TypeError ? 'TypeError' : undefined;

export type Accept = (e: unknown) => string | undefined;

function accepted(accepts: readonly Accept[], e: unknown): string | undefined {
  for (const a of accepts) {
    const code = a(e);
    if (code !== undefined) return code;
  }
  return undefined;
}

/**
 * Runs `fn`: its value, or undefined after an accepted error. Any other error, or a call slower
 * than `maxMs`, throws (failing the property, which fast-check then shrinks).
 */
export function attemptSync<T>(
  what: string,
  out: Outcomes,
  accepts: readonly Accept[],
  fn: () => T,
  maxMs = 500,
): T | undefined {
  const t = performance.now();
  let result: { value: T } | { error: unknown };
  try {
    result = { value: fn() };
  } catch (e) {
    result = { error: e };
  }
  const ms = performance.now() - t;
  out.note(what, ms);
  if (ms > maxMs) throw new Error(`${what} took ${Math.round(ms)} ms (bound ${maxMs} ms)`);
  if ('value' in result) {
    out.ok++;
    return result.value;
  }
  const code = accepted(accepts, result.error);
  if (code === undefined)
    throw new Error(`${what} threw ${describeThrown(result.error)} — expected a value or a coded error`, {
      cause: result.error,
    });
  out.fail(code);
  return undefined;
}

const TIMEOUT = Symbol('timeout');

/** The async form of {@link attemptSync}: a promise that does not settle within `maxMs` fails too. */
export async function attemptAsync<T>(
  what: string,
  out: Outcomes,
  accepts: readonly Accept[],
  fn: () => Promise<T>,
  maxMs = 2000,
): Promise<T | undefined> {
  const t = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const r = await Promise.race([
      fn(),
      new Promise<typeof TIMEOUT>((resolve) => {
        timer = setTimeout(() => resolve(TIMEOUT), maxMs);
      }),
    ]);
    if (r === TIMEOUT) throw new Error(`${what} did not settle within ${maxMs} ms (a hang)`);
    out.ok++;
    return r as T;
  } catch (e) {
    if (e instanceof Error && e.message.endsWith('(a hang)')) throw e;
    const code = accepted(accepts, e);
    if (code === undefined)
      throw new Error(`${what} threw ${describeThrown(e)} — expected a value or a coded error`, { cause: e });
    out.fail(code);
    return undefined;
  } finally {
    clearTimeout(timer);
    const ms = performance.now() - t;
    out.note(what, ms);
  }
}
