/**
 * The blocks above the last finalized one, as a tree rooted at it: leaves, the best block (fork
 * choice: the longest chain, ties to the block seen first), routes between blocks (what a reorg
 * retracts and enacts), and pruning when finality moves (every branch that does not contain the
 * new finalized block can never win and is dropped). Pure and in memory; the chain persists leaves.
 */
import { toHex } from "../../util/bytes.js";

export interface TreeBlock {
  hash: Uint8Array;
  key: string;
  number: number;
  parentKey: string;
  /** arrival order: the tie-break of fork choice */
  seq: number;
}

interface Node {
  block: TreeBlock;
  children: Set<string>;
}

export interface Route {
  /** from the old head down to (excluding) the common ancestor, newest first */
  retracted: TreeBlock[];
  /** from (excluding) the common ancestor up to the new head, oldest first */
  enacted: TreeBlock[];
  common: TreeBlock;
}

export class ForkTree {
  private readonly nodes = new Map<string, Node>();
  /** kept up to date on every change: leaves() is asked at every import */
  private readonly leafKeys = new Set<string>();
  private rootKey: string;
  private seq = 0;

  constructor(root: { hash: Uint8Array; number: number; parentHash: Uint8Array }) {
    this.rootKey = toHex(root.hash);
    this.nodes.set(this.rootKey, { block: { hash: root.hash, key: this.rootKey, number: root.number, parentKey: toHex(root.parentHash), seq: this.seq++ }, children: new Set() });
    this.leafKeys.add(this.rootKey);
  }

  get root(): TreeBlock {
    return this.nodes.get(this.rootKey)!.block;
  }

  get size(): number {
    return this.nodes.size;
  }

  has(hash: Uint8Array | string): boolean {
    return this.nodes.has(typeof hash === "string" ? hash : toHex(hash));
  }

  get(hash: Uint8Array | string): TreeBlock | undefined {
    return this.nodes.get(typeof hash === "string" ? hash : toHex(hash))?.block;
  }

  /** Adds a block whose parent is in the tree (checked by the caller); returns it. */
  add(block: { hash: Uint8Array; number: number; parentHash: Uint8Array }): TreeBlock {
    const key = toHex(block.hash);
    const existing = this.nodes.get(key);
    if (existing) return existing.block;
    const parentKey = toHex(block.parentHash);
    const parent = this.nodes.get(parentKey);
    if (!parent) throw new Error(`fork tree: parent ${parentKey} of #${block.number} is not in the tree`);
    const node: Node = { block: { hash: block.hash, key, number: block.number, parentKey, seq: this.seq++ }, children: new Set() };
    this.nodes.set(key, node);
    parent.children.add(key);
    this.leafKeys.delete(parentKey);
    this.leafKeys.add(key);
    return node.block;
  }

  leaves(): TreeBlock[] {
    return [...this.leafKeys].map((k) => this.nodes.get(k)!.block);
  }

  /** Fork choice among the leaves at or below `from` (default: the root). */
  best(from: string = this.rootKey): TreeBlock {
    let best = this.nodes.get(from)!.block;
    const stack = [from];
    while (stack.length) {
      const n = this.nodes.get(stack.pop()!)!;
      const b = n.block;
      if (b.number > best.number || (b.number === best.number && b.seq < best.seq)) best = b;
      for (const c of n.children) stack.push(c);
    }
    return best;
  }

  parent(b: TreeBlock): TreeBlock | undefined {
    return this.nodes.get(b.parentKey)?.block;
  }

  /** Whether `descendant` is `ancestor` or below it (both in the tree). */
  isDescendantOf(descendant: string, ancestor: string): boolean {
    for (let b = this.get(descendant); b; b = this.parent(b)) if (b.key === ancestor) return true;
    return false;
  }

  /** The route from `from` to `to` (both in the tree). */
  route(from: string, to: string): Route {
    let a = this.get(from)!;
    let b = this.get(to)!;
    const retracted: TreeBlock[] = [];
    const enacted: TreeBlock[] = [];
    while (a.number > b.number) {
      retracted.push(a);
      a = this.parent(a)!;
    }
    while (b.number > a.number) {
      enacted.push(b);
      b = this.parent(b)!;
    }
    while (a.key !== b.key) {
      retracted.push(a);
      enacted.push(b);
      a = this.parent(a)!;
      b = this.parent(b)!;
    }
    return { retracted, enacted: enacted.reverse(), common: a };
  }

  /**
   * Makes `key` the new root. Returns the newly finalized blocks (oldest first, the new root last)
   * and every block dropped because it does not descend from the new root.
   */
  finalize(key: string): { finalized: TreeBlock[]; pruned: TreeBlock[] } {
    const target = this.get(key);
    if (!target) throw new Error(`fork tree: cannot finalize unknown block ${key}`);
    const finalized: TreeBlock[] = [];
    for (let b: TreeBlock | undefined = target; b && b.key !== this.rootKey; b = this.parent(b)) finalized.push(b);
    finalized.reverse();
    const keep = new Set<string>();
    const stack = [key];
    while (stack.length) {
      const k = stack.pop()!;
      keep.add(k);
      for (const c of this.nodes.get(k)!.children) stack.push(c);
    }
    const pruned: TreeBlock[] = [];
    const onPath = new Set([this.rootKey, ...finalized.map((b) => b.key)]);
    for (const [k, n] of this.nodes) {
      if (keep.has(k)) continue;
      if (!onPath.has(k)) pruned.push(n.block);
      this.nodes.delete(k);
      this.leafKeys.delete(k);
    }
    this.rootKey = key;
    pruned.sort((x, y) => x.number - y.number);
    return { finalized, pruned };
  }
}
