// The valid_policy_tree of RFC 5280 §6.1.2 (a), §6.1.3 (d)-(f), §6.1.4 (b) and §6.1.5 (g), with a
// node budget so crafted policy mappings cannot blow it up (CVE-2023-0464 style).

import { OID } from '../oids.js';

const ANY = OID.anyPolicy;

/** One node of the tree. */
export interface PolicyNode {
  readonly validPolicy: string;
  expected: Set<string>;
  readonly parent: PolicyNode | undefined;
  readonly children: PolicyNode[];
  readonly depth: number;
}

/** Thrown when the tree grows past its budget. */
export class PolicyBudgetError extends Error {}

/** The tree; `null` root means the RFC's NULL tree. */
export class PolicyTree {
  root: PolicyNode | undefined;
  #count = 1;
  readonly #budget: number;

  constructor(budget = 10_000) {
    this.root = { validPolicy: ANY, expected: new Set([ANY]), parent: undefined, children: [], depth: 0 };
    this.#budget = budget;
  }

  get isNull(): boolean {
    return this.root === undefined;
  }

  /** Nodes at a depth. */
  level(depth: number): PolicyNode[] {
    const out: PolicyNode[] = [];
    const walk = (n: PolicyNode) => {
      if (n.depth === depth) out.push(n);
      else for (const c of n.children) walk(c);
    };
    if (this.root) walk(this.root);
    return out;
  }

  #child(parent: PolicyNode, validPolicy: string, expected: Set<string>): PolicyNode {
    if (++this.#count > this.#budget) throw new PolicyBudgetError('policy tree budget');
    const n: PolicyNode = { validPolicy, expected, parent, children: [], depth: parent.depth + 1 };
    parent.children.push(n);
    return n;
  }

  /** Removes nodes above `depth` that have no children (and the root when it empties). */
  prune(depth: number): void {
    if (!this.root) return;
    for (let d = depth - 1; d >= 0; d--) {
      for (const n of this.level(d)) {
        if (n.children.length === 0) this.#remove(n);
      }
    }
  }

  #remove(n: PolicyNode): void {
    if (!n.parent) {
      this.root = undefined;
      return;
    }
    const i = n.parent.children.indexOf(n);
    if (i >= 0) n.parent.children.splice(i, 1);
    this.#count--;
  }

  /** §6.1.3 (d): processes the policies of certificate i (1-based depth). */
  processCertificate(i: number, policies: readonly string[], anyAllowed: boolean): void {
    if (!this.root) return;
    const parents = this.level(i - 1);
    let hasAny = false;
    for (const p of policies) {
      if (p === ANY) {
        hasAny = true;
        continue;
      }
      let matched = false;
      for (const n of parents) {
        if (n.expected.has(p)) {
          this.#child(n, p, new Set([p]));
          matched = true;
        }
      }
      if (!matched) {
        for (const n of parents) if (n.validPolicy === ANY) this.#child(n, p, new Set([p]));
      }
    }
    if (hasAny && anyAllowed) {
      for (const n of parents) {
        const present = new Set(n.children.map((c) => c.validPolicy));
        for (const e of n.expected) if (!present.has(e)) this.#child(n, e, new Set([e]));
      }
    }
    this.prune(i);
    if (this.root && this.level(i).length === 0) this.root = undefined;
  }

  /** §6.1.4 (b): applies policy mappings of certificate i. */
  applyMappings(i: number, mappings: ReadonlyMap<string, Set<string>>, mappingAllowed: boolean): void {
    if (!this.root) return;
    for (const [idp, sdps] of mappings) {
      const nodes = this.level(i).filter((n) => n.validPolicy === idp);
      if (mappingAllowed) {
        if (nodes.length) for (const n of nodes) n.expected = new Set(sdps);
        else {
          const anyNode = this.level(i).find((n) => n.validPolicy === ANY);
          if (anyNode?.parent) this.#child(anyNode.parent, idp, new Set(sdps));
        }
      } else {
        for (const n of nodes) this.#remove(n);
        this.prune(i);
        if (!this.root) return;
      }
    }
  }

  /** §6.1.5 (g): intersects with the user-initial-policy-set; returns the authorities-constrained policies. */
  intersect(n: number, userSet: ReadonlySet<string>): void {
    if (!this.root || userSet.has(ANY)) return;
    // valid_policy_node_set: nodes whose parent's valid_policy is anyPolicy.
    const set: PolicyNode[] = [];
    const walk = (node: PolicyNode) => {
      for (const c of node.children) {
        if (node.validPolicy === ANY) set.push(c);
        walk(c);
      }
    };
    walk(this.root);
    for (const node of set) {
      if (node.validPolicy !== ANY && !userSet.has(node.validPolicy)) this.#removeSubtree(node);
    }
    const anyLeaf = this.level(n).find((x) => x.validPolicy === ANY);
    if (anyLeaf?.parent) {
      const parent = anyLeaf.parent;
      const present = new Set(set.map((x) => x.validPolicy));
      this.#remove(anyLeaf);
      for (const p of userSet) if (!present.has(p)) this.#child(parent, p, new Set([p]));
    }
    this.prune(n);
    if (this.root && this.level(n).length === 0) this.root = undefined;
  }

  #removeSubtree(n: PolicyNode): void {
    if (!n.parent) {
      this.root = undefined;
      return;
    }
    const i = n.parent.children.indexOf(n);
    if (i >= 0) n.parent.children.splice(i, 1);
  }

  /** The valid policies at depth n (the end-entity's), for reporting. */
  policiesAt(n: number): string[] {
    return [...new Set(this.level(n).map((x) => x.validPolicy))];
  }
}
