// French elision of "de" before a host or certificate name: "d'EX01", "d'ex01.contoso.com", but
// "de LYNC01". Names start with a letter or a digit; "h" and "y" are left alone (whether they
// elide cannot be told from a name: "de Yammer01", and host names rarely begin with "h").

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
  return /^[aeiouàâéèêëîïôûù]/i.test(name) ? `d'${name}` : `de ${name}`;
}
