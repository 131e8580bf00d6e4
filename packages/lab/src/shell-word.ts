// Paths in hints and instructions are meant to be pasted into a shell: one with white space (a lab
// in "my lab") is quoted so that it stays one word.

/** `path` as one shell word: double-quoted when it holds white space. */
export function shellWord(path: string): string {
  return /\s/.test(path) ? `"${path}"` : path;
}
