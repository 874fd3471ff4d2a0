/**
 * The blocks voted on in one GRANDPA round, as a tree rooted at the round's base, with the voters
 * whose vote lies at or below each block (a vote for a block counts for all its ancestors). GHOST
 * and ancestor searches run over it. Sizes are small (≤ 32 voters, votes a few blocks above the
 * last finalized block), so plain sets are enough.
 */
import { toHex } from "../../util/bytes.js";
import type { BlockRef } from "./messages.js";

/** How the round reaches the chain: the hashes from `block` down to (excluding) `base`. */
export interface Ancestry {
  /**
   * `[block, parent, …, child of base]` (newest first); `[]` when block is base; undefined when
   * `block` is unknown or not a descendant of `base`.
   */
  ancestry(base: BlockRef, block: BlockRef): Uint8Array[] | undefined;
}

export interface GraphNode {
  ref: BlockRef;
  parent?: string;
  children: Set<string>;
  /** voter indices whose vote is this block or a descendant, per kind */
  prevoters: Set<number>;
  precommitters: Set<number>;
}

export class VoteGraph {
  readonly nodes = new Map<string, GraphNode>();
  readonly baseKey: string;

  constructor(readonly base: BlockRef) {
    this.baseKey = toHex(base.hash);
    this.nodes.set(this.baseKey, { ref: base, children: new Set(), prevoters: new Set(), precommitters: new Set() });
  }

  /**
   * Adds a vote of `voter` for `target`, creating the path from the base. Returns false when the
   * target is not a known descendant of the base (the caller holds the vote until it is).
   */
  insert(target: BlockRef, kind: "Prevote" | "Precommit", voter: number, chain: Ancestry): boolean {
    const key = toHex(target.hash);
    if (!this.nodes.has(key)) {
      const path = chain.ancestry(this.base, target);
      if (!path) return false;
      // path is newest first; create missing nodes from the base upwards
      let parentKey = this.baseKey;
      for (let i = path.length - 1; i >= 0; i--) {
        const k = toHex(path[i]);
        if (!this.nodes.has(k)) {
          const number = target.number - i;
          this.nodes.set(k, { ref: { hash: path[i], number }, parent: parentKey, children: new Set(), prevoters: new Set(), precommitters: new Set() });
          this.nodes.get(parentKey)!.children.add(k);
        }
        parentKey = k;
      }
    }
    for (let k: string | undefined = key; k !== undefined; k = this.nodes.get(k)!.parent) {
      const n = this.nodes.get(k)!;
      (kind === "Prevote" ? n.prevoters : n.precommitters).add(voter);
    }
    return true;
  }

  node(ref: BlockRef): GraphNode | undefined {
    return this.nodes.get(toHex(ref.hash));
  }

  /**
   * The highest block at or below `start` (default: the base) for which `cond` holds, descending
   * one child at a time; undefined when `cond` fails at `start`. Only one child can satisfy a
   * supermajority condition; when several satisfy a weaker one, the one with more votes (then the
   * lower hash) is taken, so every node computes the same answer.
   */
  findGhost(cond: (n: GraphNode) => boolean, start?: BlockRef): BlockRef | undefined {
    let current = start ? this.node(start) : this.nodes.get(this.baseKey);
    if (!current || !cond(current)) return undefined;
    for (;;) {
      let next: GraphNode | undefined;
      for (const k of current.children) {
        const child = this.nodes.get(k)!;
        if (!cond(child)) continue;
        if (!next || weight(child) > weight(next) || (weight(child) === weight(next) && k < toHex(next.ref.hash))) next = child;
      }
      if (!next) return current.ref;
      current = next;
    }
  }

  /** The highest block at or above `from` (walking towards the base) for which `cond` holds. */
  findAncestor(from: BlockRef, cond: (n: GraphNode) => boolean): BlockRef | undefined {
    for (let n = this.node(from); n; n = n.parent === undefined ? undefined : this.nodes.get(n.parent)) {
      if (cond(n)) return n.ref;
    }
    return undefined;
  }

  /** Whether `b` is `a` or one of its descendants, within this graph. */
  isEqualOrDescendant(a: BlockRef, b: BlockRef): boolean {
    const ak = toHex(a.hash);
    for (let n = this.node(b); n; n = n.parent === undefined ? undefined : this.nodes.get(n.parent)) {
      if (toHex(n.ref.hash) === ak) return true;
    }
    return false;
  }
}

const weight = (n: GraphNode) => n.prevoters.size + n.precommitters.size;
