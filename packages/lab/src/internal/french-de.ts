// French elision of "de" before a host or certificate name: "d'EX01", "d'ex01.contoso.com", but
// "de LYNC01". Names start with a letter or a digit; "h" is left alone (aspirated or not cannot
// be told from a name, and host names rarely begin with one).

/**
 * `de NAME` or `d'NAME` as French writes it.
 *
 * @example
 * ```ts
 * `LocalMachine\\My ${deFr('EX01')}`; // "LocalMachine\\My d'EX01"
 * deFr('LYNC01'); // 'de LYNC01'
 * ```
 */
export function deFr(name: string): string {
  return /^[aeiouyàâéèêëîïôûù]/i.test(name) ? `d'${name}` : `de ${name}`;
}
