// RC4 (the cipher of NTLM's session key exchange and sealing, MS-NLMP §3.4.5.3 and §3.1.5.1.2).
// Our own: Node 20's OpenSSL 3 keeps RC4 in the legacy provider, which it does not load.

/**
 * An RC4 key stream (the cipher of NTLM's session key exchange and sealing). Its state carries
 * over from one call to the next, as NTLM's sealing "handle" does (§3.4.4.2).
 *
 * @example
 * ```ts
 * new Rc4(key).update(data); // data XOR the next data.length bytes of the key stream
 * ```
 */
export class Rc4 {
  readonly #s = new Uint8Array(256);
  #i = 0;
  #j = 0;

  constructor(key: Uint8Array) {
    if (!(key instanceof Uint8Array) || key.length === 0 || key.length > 256)
      throw new TypeError('An RC4 key is 1 to 256 bytes.');
    const s = this.#s;
    for (let i = 0; i < 256; i++) s[i] = i;
    for (let i = 0, j = 0; i < 256; i++) {
      j = (j + s[i]! + key[i % key.length]!) & 0xff;
      const t = s[i]!;
      s[i] = s[j]!;
      s[j] = t;
    }
  }

  /** `data` XOR the next bytes of the key stream, as a new array. */
  update(data: Uint8Array): Uint8Array {
    const s = this.#s;
    const out = new Uint8Array(data.length);
    let i = this.#i;
    let j = this.#j;
    for (let k = 0; k < data.length; k++) {
      i = (i + 1) & 0xff;
      j = (j + s[i]!) & 0xff;
      const t = s[i]!;
      s[i] = s[j]!;
      s[j] = t;
      out[k] = data[k]! ^ s[(s[i]! + s[j]!) & 0xff]!;
    }
    this.#i = i;
    this.#j = j;
    return out;
  }
}
