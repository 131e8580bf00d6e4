// Name constraints (RFC 5280 §4.2.1.10, §6.1.3 b-c, §6.1.4 g): DNS, IP, email, URI and
// directoryName. Permitted subtrees are kept per CA (a name must lie in the permitted subtrees
// of every CA that constrains its type, which is the intersection RFC 5280 describes without
// computing it); excluded subtrees are their union. Forms certlab cannot evaluate (otherName,
// x400Address, ediPartyName, registeredID) make any name of that type fail, never pass.

import type { GeneralSubtree, NameConstraints } from '../extensions.js';
import type { GeneralName } from '../general-names.js';
import { parseIp } from '../internal/ip.js';
import { type Name, prepareString } from '../names.js';
import { OID } from '../oids.js';
import { isValidHostname } from './hostname.js';

type Kind = 'dns' | 'ip' | 'email' | 'uri' | 'dirName' | 'other';

function kindOf(g: GeneralName): Kind {
  switch (g.type) {
    case 'dns':
    case 'ip':
    case 'email':
    case 'uri':
    case 'dirName':
      return g.type;
    default:
      return 'other';
  }
}

function otherKey(g: GeneralName): string {
  if (g.type === 'upn') return `otherName:${OID.msUpn}`;
  if (g.type === 'otherName') return `otherName:${g.oid}`;
  return g.type;
}

/** A subtree after validation, ready for matching. */
interface Subtree {
  readonly kind: Kind;
  readonly base: GeneralName;
  /** For ip: address and prefix. */
  readonly ip?: { addr: Uint8Array; prefix: number };
  /** For dirName: canonical RDN strings. */
  readonly rdns?: string[];
}

/** Comparisons allowed per certificate check before giving up with a budget error. */
export const NAME_CONSTRAINT_BUDGET = 1 << 18;

function rdnKeys(n: Name): string[] {
  return n.rdns.map((rdn) =>
    rdn
      .map((a) => `${a.type}=${a.raw ? a.value : JSON.stringify(prepareString(a.value))}`)
      .sort()
      .join('+'),
  );
}

function validDnsConstraint(v: string): boolean {
  // An empty base matches every name. Wildcards and a leading period are not RFC 5280 forms.
  return v === '' || isValidHostname(v);
}

function validEmailConstraint(v: string): boolean {
  const at = v.lastIndexOf('@');
  if (at < 0) {
    const host = v.startsWith('.') ? v.slice(1) : v;
    return isValidHostname(host);
  }
  if (v.indexOf('@') !== at) return false;
  return at > 0 && isValidHostname(v.slice(at + 1));
}

/**
 * Checks the form of every subtree; returns the prepared subtrees, or a sentence saying which
 * subtree is malformed.
 */
export function prepareConstraints(
  nc: NameConstraints,
): { permitted: Subtree[]; excluded: Subtree[] } | string {
  const prep = (list: readonly GeneralSubtree[] | undefined): Subtree[] | string => {
    const out: Subtree[] = [];
    for (const s of list ?? []) {
      if ((s.minimum ?? 0) !== 0 || s.maximum !== undefined)
        return 'A subtree has a minimum other than 0 or a maximum, which RFC 5280 forbids.';
      const b = s.base;
      const kind = kindOf(b);
      if (b.type === 'dns') {
        if (!validDnsConstraint(b.value)) return `The DNS name constraint "${b.value}" is malformed.`;
        out.push({ kind, base: { type: 'dns', value: b.value.toLowerCase() } });
      } else if (b.type === 'ip') {
        const m = /^(.*)\/(\d+)$/.exec(b.value);
        const addr = m ? parseIp(m[1]!) : undefined;
        if (!m || !addr)
          return `The IP address constraint ${b.value} is not an address with a contiguous mask.`;
        const prefix = Number(m[2]);
        if (prefix > addr.length * 8) return `The IP address constraint ${b.value} is malformed.`;
        out.push({ kind, base: b, ip: { addr, prefix } });
      } else if (b.type === 'email') {
        if (!validEmailConstraint(b.value)) return `The email constraint "${b.value}" is malformed.`;
        out.push({ kind, base: b });
      } else if (b.type === 'uri') {
        const host = b.value.startsWith('.') ? b.value.slice(1) : b.value;
        if (!isValidHostname(host)) return `The URI constraint "${b.value}" is not a host or .domain.`;
        out.push({ kind, base: { type: 'uri', value: b.value.toLowerCase() } });
      } else if (b.type === 'dirName') {
        out.push({ kind, base: b, rdns: rdnKeys(b.value) });
      } else out.push({ kind, base: b });
    }
    return out;
  };
  const permitted = prep(nc.permitted);
  if (typeof permitted === 'string') return permitted;
  const excluded = prep(nc.excluded);
  if (typeof excluded === 'string') return excluded;
  return { permitted, excluded };
}

function ipIn(addr: Uint8Array, st: { addr: Uint8Array; prefix: number }): boolean {
  if (addr.length !== st.addr.length) return false;
  for (let bit = 0; bit < st.prefix; bit++) {
    const m = 0x80 >> (bit & 7);
    if ((addr[bit >> 3]! & m) !== (st.addr[bit >> 3]! & m)) return false;
  }
  return true;
}

function dnsWithin(name: string, c: string): boolean {
  return c === '' || name === c || name.endsWith(`.${c}`);
}

function hostWithin(host: string, c: string): boolean {
  if (c.startsWith('.')) return host.endsWith(c);
  return host === c;
}

function uriHost(uri: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(uri);
  if (!m) return undefined;
  let auth = m[1]!;
  const at = auth.lastIndexOf('@');
  if (at >= 0) auth = auth.slice(at + 1);
  if (auth.startsWith('[')) return undefined; // IP literal: not a host name
  auth = auth.replace(/:\d*$/, '').toLowerCase();
  return isValidHostname(auth) ? auth : undefined;
}

/** A name as the check needs it. */
interface Candidate {
  readonly kind: Kind;
  readonly g: GeneralName;
  readonly text?: string;
  readonly bytes?: Uint8Array;
  readonly rdns?: string[];
  readonly wildcard?: boolean;
}

/** Accumulated constraints along a path. */
export class NameConstraintState {
  readonly #permitted: Subtree[][] = [];
  readonly #excluded: Subtree[] = [];

  get empty(): boolean {
    return this.#permitted.length === 0 && this.#excluded.length === 0;
  }

  add(prepared: { permitted: Subtree[]; excluded: Subtree[] }): void {
    if (prepared.permitted.length) this.#permitted.push(prepared.permitted);
    this.#excluded.push(...prepared.excluded);
  }

  /**
   * Checks a certificate's subject and subjectAltName entries. Returns undefined when every
   * name is allowed, 'budget' when the work limit was hit, or a sentence naming the violation.
   */
  check(subject: Name, sans: readonly GeneralName[]): string | undefined {
    if (this.empty) return undefined;
    const cands: Candidate[] = [];
    if (!subject.isEmpty) {
      cands.push({ kind: 'dirName', g: { type: 'dirName', value: subject }, rdns: rdnKeys(subject) });
      // RFC 5280 §4.2.1.10: emailAddress attributes of the subject are checked as rfc822Name.
      for (const e of subject.getAll(OID.emailAddress)) cands.push(emailCand({ type: 'email', value: e }));
    }
    for (const g of sans) {
      const kind = kindOf(g);
      const gv = g as { value: unknown };
      if (kind === 'dns') {
        const v = (gv.value as string).toLowerCase();
        const wildcard = v.startsWith('*.');
        const ok = isValidHostname(wildcard ? v.slice(2) : v);
        cands.push(ok ? { kind, g, text: v, wildcard } : { kind, g });
      } else if (kind === 'ip') cands.push({ kind, g, bytes: parseIp(gv.value as string) });
      else if (kind === 'email') cands.push(emailCand(g));
      else if (kind === 'uri') {
        const h = uriHost(gv.value as string);
        cands.push(h === undefined ? { kind, g } : { kind, g, text: h });
      } else if (kind === 'dirName') cands.push({ kind, g, rdns: rdnKeys(gv.value as Name) });
      else cands.push({ kind, g });
    }
    let work = 0;
    for (const c of cands) {
      for (const st of this.#excluded) {
        if (++work > NAME_CONSTRAINT_BUDGET) return 'budget';
        if (st.kind !== c.kind) continue;
        const m = matches(c, st, true);
        if (m !== false)
          return m === true ? `${describe(c)} is in an excluded subtree (${describeSubtree(st)}).` : m;
      }
      for (const group of this.#permitted) {
        let constrained = false;
        let ok = false;
        for (const st of group) {
          if (++work > NAME_CONSTRAINT_BUDGET) return 'budget';
          if (st.kind !== c.kind) continue;
          if (c.kind === 'other' && otherKey(st.base) !== otherKey(c.g)) continue;
          constrained = true;
          if (matches(c, st, false) === true) {
            ok = true;
            break;
          }
        }
        if (constrained && !ok) return `${describe(c)} is outside the permitted subtrees.`;
      }
    }
    return undefined;
  }
}

function emailCand(g: GeneralName): Candidate {
  const v = (g as { value: string }).value;
  const at = v.lastIndexOf('@');
  if (at <= 0 || v.indexOf('@') !== at || !isValidHostname(v.slice(at + 1))) return { kind: 'email', g };
  return { kind: 'email', g, text: `${v.slice(0, at)}@${v.slice(at + 1).toLowerCase()}` };
}

/** true: the name is in the subtree; false: it is not; string: cannot decide (fails closed). */
function matches(c: Candidate, st: Subtree, excluded: boolean): boolean | string {
  switch (c.kind) {
    case 'dns': {
      if (c.text === undefined)
        return `The DNS name "${(c.g as { value: string }).value}" is malformed, so name constraints cannot be checked.`;
      const base = (st.base as { value: string }).value;
      if (dnsWithin(c.text, base)) return true;
      if (excluded && c.wildcard) {
        // `*.example.com` stands for every `x.example.com`: an excluded `bar.example.com` overlaps it.
        const rest = c.text.slice(2);
        if (base.endsWith(`.${rest}`) && !base.slice(0, -rest.length - 1).includes('.')) return true;
      }
      return false;
    }
    case 'ip':
      if (!c.bytes) return 'An iPAddress is malformed, so name constraints cannot be checked.';
      return ipIn(c.bytes, st.ip!);
    case 'email': {
      if (c.text === undefined)
        return `The email address "${(c.g as { value: string }).value}" is malformed, so name constraints cannot be checked.`;
      const base = (st.base as { value: string }).value;
      const at = c.text.lastIndexOf('@');
      const domain = c.text.slice(at + 1);
      if (base.includes('@')) {
        const bat = base.lastIndexOf('@');
        return c.text.slice(0, at) === base.slice(0, bat) && domain === base.slice(bat + 1).toLowerCase();
      }
      return hostWithin(domain, base.toLowerCase());
    }
    case 'uri': {
      if (c.text === undefined)
        return `The URI "${(c.g as { value: string }).value}" has no host name, so URI name constraints cannot be checked.`;
      return hostWithin(c.text, (st.base as { value: string }).value);
    }
    case 'dirName': {
      const p = st.rdns!;
      const n = c.rdns!;
      if (p.length > n.length) return false;
      for (let i = 0; i < p.length; i++) if (p[i] !== n[i]) return false;
      return true;
    }
    default:
      if (otherKey(st.base) !== otherKey(c.g)) return false;
      // certlab does not interpret these forms: a constrained name of such a form fails closed.
      return excluded ? true : `The ${otherKey(c.g)} name cannot be checked against its name constraint.`;
  }
}

function describe(c: Candidate): string {
  const g = c.g;
  if (g.type === 'dirName') return `The name "${g.value.toString()}"`;
  if ('value' in g && typeof g.value === 'string') return `The ${g.type} name "${g.value}"`;
  return `A ${otherKey(g)} name`;
}

function describeSubtree(st: Subtree): string {
  const b = st.base;
  if (b.type === 'dirName') return `directoryName ${b.value.toString()}`;
  if ('value' in b && typeof b.value === 'string') return `${b.type} ${b.value === '' ? '(any)' : b.value}`;
  return otherKey(b);
}
