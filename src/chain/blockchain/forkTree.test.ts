import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ForkTree, type TreeBlock } from "./forkTree.js";
import { toHex } from "../../util/bytes.js";

/** A 32-byte hash from a name (distinct names give distinct hashes). */
const h = (name: string): Uint8Array => {
  const out = new Uint8Array(32);
  out.set(new TextEncoder().encode(name).subarray(0, 32));
  return out;
};
const k = (name: string) => toHex(h(name));
const names = (bs: TreeBlock[]) => bs.map((b) => new TextDecoder().decode(b.hash).replace(/\0+$/, ""));

/**
 * Builds a tree from `[name, parent]` pairs in arrival order; numbers follow the parents.
 * The root is "G" at `rootNumber`.
 */
function build(edges: [string, string][], rootNumber = 0): ForkTree {
  const t = new ForkTree({ hash: h("G"), number: rootNumber, parentHash: h("before-G") });
  const numbers = new Map<string, number>([["G", rootNumber]]);
  for (const [name, parent] of edges) {
    const number = numbers.get(parent)! + 1;
    numbers.set(name, number);
    t.add({ hash: h(name), number, parentHash: h(parent) });
  }
  return t;
}

//        G ─ A ─ B ─ C ─ D ─ E
//                 ╲       ╲
//                  ╲       DX ─ DY
//                   BX ─ BY ─ BZ ─ BW
const FORKED: [string, string][] = [
  ["A", "G"],
  ["B", "A"],
  ["C", "B"],
  ["BX", "B"],
  ["D", "C"],
  ["BY", "BX"],
  ["E", "D"],
  ["DX", "C"],
  ["BZ", "BY"],
  ["DY", "DX"],
  ["BW", "BZ"],
];

describe("ForkTree basics", () => {
  it("starts with the root alone: it is the only leaf and the best block", () => {
    const t = build([], 7);
    expect(t.size).toBe(1);
    expect(t.root.number).toBe(7);
    expect(t.root.parentKey).toBe(k("before-G"));
    expect(names(t.leaves())).toEqual(["G"]);
    expect(names([t.best()])).toEqual(["G"]);
    expect(t.has(h("G"))).toBe(true);
    expect(t.has(k("G"))).toBe(true);
    expect(t.has(h("A"))).toBe(false);
  });

  it("add links a block under its parent, numbers it and gives it the next arrival sequence", () => {
    const t = build([]);
    const a = t.add({ hash: h("A"), number: 1, parentHash: h("G") });
    const b = t.add({ hash: h("B"), number: 2, parentHash: h("A") });
    expect(a.key).toBe(k("A"));
    expect(a.parentKey).toBe(k("G"));
    expect(b.seq).toBeGreaterThan(a.seq);
    expect(a.seq).toBeGreaterThan(t.root.seq);
    expect(t.get(h("B"))).toBe(b);
    expect(t.get(k("B"))).toBe(b);
    expect(t.parent(b)).toBe(a);
    expect(t.parent(t.root)).toBeUndefined();
    expect(t.size).toBe(3);
  });

  it("adding a known block again returns the first record and changes nothing (arrival order is kept)", () => {
    const t = build([
      ["A", "G"],
      ["B", "G"],
    ]);
    const first = t.get(h("A"))!;
    const again = t.add({ hash: h("A"), number: 1, parentHash: h("G") });
    expect(again).toBe(first);
    expect(again.seq).toBe(first.seq);
    expect(t.size).toBe(3);
    // A still wins the tie with B because it was seen first
    expect(names([t.best()])).toEqual(["A"]);
  });

  it("refuses a block whose parent is not in the tree", () => {
    const t = build([["A", "G"]]);
    expect(() => t.add({ hash: h("X"), number: 5, parentHash: h("nowhere") })).toThrow(/not in the tree/);
    expect(t.has(h("X"))).toBe(false);
    expect(t.size).toBe(2);
  });

  it("leaves are exactly the blocks without children", () => {
    const t = build(FORKED);
    expect(names(t.leaves()).sort()).toEqual(["BW", "DY", "E"]);
  });
});

describe("ForkTree fork choice", () => {
  it("picks the highest block", () => {
    const t = build(FORKED);
    // BW is #6 (G0 A1 B2 BX3 BY4 BZ5 BW6); E is #5; DY is #5
    expect(t.get(h("BW"))!.number).toBe(6);
    expect(names([t.best()])).toEqual(["BW"]);
  });

  it("breaks ties in favour of the block seen first, whatever its hash", () => {
    // Z arrives first, then a: equal height, Z must win though its hash sorts after a's
    const t = build([
      ["Z", "G"],
      ["a", "G"],
    ]);
    expect(names([t.best()])).toEqual(["Z"]);
    // growing the second branch past the first changes the choice
    t.add({ hash: h("a2"), number: 2, parentHash: h("a") });
    expect(names([t.best()])).toEqual(["a2"]);
    // and a tie at the new height again goes to the earlier arrival
    t.add({ hash: h("Z2"), number: 2, parentHash: h("Z") });
    expect(names([t.best()])).toEqual(["a2"]);
  });

  it("best(from) chooses among the blocks at or below `from`", () => {
    const t = build(FORKED);
    expect(names([t.best(k("C"))])).toEqual(["E"]);
    expect(names([t.best(k("DX"))])).toEqual(["DY"]);
    expect(names([t.best(k("E"))])).toEqual(["E"]);
    expect(names([t.best(k("B"))])).toEqual(["BW"]);
  });
});

describe("ForkTree ancestry and routes", () => {
  it("isDescendantOf is reflexive and follows parents only", () => {
    const t = build(FORKED);
    expect(t.isDescendantOf(k("E"), k("E"))).toBe(true);
    expect(t.isDescendantOf(k("E"), k("C"))).toBe(true);
    expect(t.isDescendantOf(k("E"), k("G"))).toBe(true);
    expect(t.isDescendantOf(k("C"), k("E"))).toBe(false);
    expect(t.isDescendantOf(k("DY"), k("D"))).toBe(false);
    expect(t.isDescendantOf(k("BW"), k("C"))).toBe(false);
    expect(t.isDescendantOf(k("BW"), k("BX"))).toBe(true);
    expect(t.isDescendantOf(k("unknown"), k("G"))).toBe(false);
  });

  it("route between branches: retracted newest first, enacted oldest first, and the common ancestor", () => {
    const t = build(FORKED);
    const r = t.route(k("E"), k("BW"));
    expect(names(r.retracted)).toEqual(["E", "D", "C"]);
    expect(names(r.enacted)).toEqual(["BX", "BY", "BZ", "BW"]);
    expect(names([r.common])).toEqual(["B"]);

    const back = t.route(k("BW"), k("E"));
    expect(names(back.retracted)).toEqual(["BW", "BZ", "BY", "BX"]);
    expect(names(back.enacted)).toEqual(["C", "D", "E"]);
    expect(names([back.common])).toEqual(["B"]);
  });

  it("route between branches of different lengths below a fork deeper than the root", () => {
    const t = build(FORKED);
    const r = t.route(k("DY"), k("E"));
    expect(names(r.retracted)).toEqual(["DY", "DX"]);
    expect(names(r.enacted)).toEqual(["D", "E"]);
    expect(names([r.common])).toEqual(["C"]);
  });

  it("route along one chain: forwards only enacts, backwards only retracts, to itself is empty", () => {
    const t = build(FORKED);
    const fwd = t.route(k("A"), k("E"));
    expect(fwd.retracted).toEqual([]);
    expect(names(fwd.enacted)).toEqual(["B", "C", "D", "E"]);
    expect(names([fwd.common])).toEqual(["A"]);
    const bwd = t.route(k("E"), k("B"));
    expect(names(bwd.retracted)).toEqual(["E", "D", "C"]);
    expect(bwd.enacted).toEqual([]);
    expect(names([bwd.common])).toEqual(["B"]);
    const same = t.route(k("D"), k("D"));
    expect(same.retracted).toEqual([]);
    expect(same.enacted).toEqual([]);
    expect(names([same.common])).toEqual(["D"]);
  });
});

describe("ForkTree finalize", () => {
  it("finalizing on one branch returns the path (oldest first, new root last), prunes every other branch and re-roots", () => {
    const t = build(FORKED);
    const { finalized, pruned } = t.finalize(k("C"));
    expect(names(finalized)).toEqual(["A", "B", "C"]);
    // BX…BW branch off below C: they can never be on a chain containing C
    expect(names(pruned).sort()).toEqual(["BW", "BX", "BY", "BZ"]);
    expect(pruned.map((b) => b.number)).toEqual([...pruned.map((b) => b.number)].sort((x, y) => x - y));
    expect(names([t.root])).toEqual(["C"]);
    expect(t.size).toBe(5); // C, D, E, DX, DY
    for (const gone of ["G", "A", "B", "BX", "BY", "BZ", "BW"]) expect(t.has(k(gone))).toBe(false);
    for (const kept of ["C", "D", "E", "DX", "DY"]) expect(t.has(k(kept))).toBe(true);
    expect(names(t.leaves()).sort()).toEqual(["DY", "E"]);
    // the best chain is now the longest one containing C, though BW was higher before
    expect(names([t.best()])).toEqual(["E"]);
    // the old root and ancestors are no longer reachable from the new root
    expect(t.parent(t.root)).toBeUndefined();
    expect(t.isDescendantOf(k("E"), k("B"))).toBe(false);
  });

  it("finalizing the heaviest branch prunes the other one from its fork point", () => {
    const t = build(FORKED);
    const { finalized, pruned } = t.finalize(k("BY"));
    expect(names(finalized)).toEqual(["A", "B", "BX", "BY"]);
    expect(names(pruned).sort()).toEqual(["C", "D", "DX", "DY", "E"]);
    expect(pruned.map((b) => b.number)).toEqual([3, 4, 4, 5, 5]);
    expect(names(t.leaves())).toEqual(["BW"]);
    expect(names([t.best()])).toEqual(["BW"]);
  });

  it("finalizing a leaf keeps only the leaf", () => {
    const t = build(FORKED);
    const { finalized, pruned } = t.finalize(k("DY"));
    expect(names(finalized)).toEqual(["A", "B", "C", "DX", "DY"]);
    expect(names(pruned).sort()).toEqual(["BW", "BX", "BY", "BZ", "D", "E"]);
    expect(t.size).toBe(1);
    expect(names(t.leaves())).toEqual(["DY"]);
    expect(names([t.best()])).toEqual(["DY"]);
  });

  it("finalizing the root again changes nothing; finalizing step by step returns each step's blocks once", () => {
    const t = build(FORKED);
    expect(t.finalize(k("G"))).toEqual({ finalized: [], pruned: [] });
    expect(t.size).toBe(12);
    expect(names(t.finalize(k("B")).finalized)).toEqual(["A", "B"]);
    expect(t.finalize(k("B"))).toEqual({ finalized: [], pruned: [] });
    const next = t.finalize(k("D"));
    expect(names(next.finalized)).toEqual(["C", "D"]);
    expect(names(next.pruned).sort()).toEqual(["BW", "BX", "BY", "BZ", "DX", "DY"]);
    expect(names(t.finalize(k("E")).finalized)).toEqual(["E"]);
    expect(t.size).toBe(1);
  });

  it("refuses to finalize an unknown block and leaves the tree untouched", () => {
    const t = build(FORKED);
    expect(() => t.finalize(k("nope"))).toThrow(/unknown block/);
    expect(t.size).toBe(12);
    expect(names([t.root])).toEqual(["G"]);
  });

  it("blocks can be added under the new root after finalization, not under pruned ones", () => {
    const t = build(FORKED);
    t.finalize(k("C"));
    t.add({ hash: h("F"), number: 6, parentHash: h("E") });
    expect(names([t.best()])).toEqual(["F"]);
    expect(() => t.add({ hash: h("BV"), number: 7, parentHash: h("BW") })).toThrow(/not in the tree/);
  });
});

// ------------------------------------------------------------------ property test against a model

interface ModelBlock {
  id: number;
  parent: number; // -1 for the root
  number: number;
  seq: number;
}

/** The obvious, slow definitions of everything ForkTree computes. */
class Model {
  blocks = new Map<number, ModelBlock>();
  root: number;
  private nextSeq = 0;
  constructor(rootNumber: number) {
    this.blocks.set(0, { id: 0, parent: -1, number: rootNumber, seq: this.nextSeq++ });
    this.root = 0;
  }
  add(id: number, parent: number) {
    this.blocks.set(id, { id, parent, number: this.blocks.get(parent)!.number + 1, seq: this.nextSeq++ });
  }
  /** [b, parent(b), …, root] */
  ancestors(id: number): number[] {
    const out: number[] = [];
    for (let b = this.blocks.get(id); b; b = this.blocks.get(b.parent)) out.push(b.id);
    return out;
  }
  isDescendantOf(d: number, a: number): boolean {
    return this.blocks.has(d) && this.ancestors(d).includes(a);
  }
  leaves(): number[] {
    const parents = new Set([...this.blocks.values()].map((b) => b.parent));
    return [...this.blocks.keys()].filter((id) => !parents.has(id)).sort((x, y) => x - y);
  }
  best(from = this.root): number {
    const candidates = [...this.blocks.values()].filter((b) => this.isDescendantOf(b.id, from));
    candidates.sort((x, y) => y.number - x.number || x.seq - y.seq);
    return candidates[0].id;
  }
  route(from: number, to: number) {
    const af = this.ancestors(from);
    const at = this.ancestors(to);
    const common = af.find((x) => at.includes(x))!;
    return { retracted: af.slice(0, af.indexOf(common)), enacted: at.slice(0, at.indexOf(common)).reverse(), common };
  }
  finalize(id: number) {
    const path = this.ancestors(id);
    const finalized = path.slice(0, path.indexOf(this.root)).reverse();
    const keep = [...this.blocks.keys()].filter((b) => this.isDescendantOf(b, id));
    const pruned = [...this.blocks.keys()].filter((b) => !keep.includes(b) && !path.includes(b));
    for (const b of [...this.blocks.keys()]) if (!keep.includes(b)) this.blocks.delete(b);
    this.root = id;
    return { finalized, pruned: pruned.sort((x, y) => x - y) };
  }
}

type Op = { kind: "add"; parentPick: number } | { kind: "finalize"; pick: number } | { kind: "query"; a: number; b: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("add" as const), parentPick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("finalize" as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("query" as const), a: fc.nat(), b: fc.nat() }) },
);

describe("ForkTree against a brute-force model", () => {
  it("agrees on leaves, best, routes, descendants and finalization for random trees and operations", () => {
    fc.assert(
      fc.property(fc.nat({ max: 1000 }), fc.array(opArb, { minLength: 1, maxLength: 80 }), (rootNumber, ops) => {
        const hid = (id: number) => h(`b${id}`);
        const kid = (id: number) => toHex(hid(id));
        const tree = new ForkTree({ hash: hid(0), number: rootNumber, parentHash: h("parent-of-root") });
        const model = new Model(rootNumber);
        const idOf = (b: TreeBlock) => Number(new TextDecoder().decode(b.hash).replace(/\0+$/, "").slice(1));
        const ids = (bs: TreeBlock[]) => bs.map(idOf);
        let nextId = 1;
        const pick = (n: number) => {
          const live = [...model.blocks.keys()];
          return live[n % live.length];
        };
        const check = () => {
          expect(tree.size).toBe(model.blocks.size);
          expect(idOf(tree.root)).toBe(model.root);
          expect(ids(tree.leaves()).sort((x, y) => x - y)).toEqual(model.leaves());
          expect(idOf(tree.best())).toBe(model.best());
          for (const b of model.blocks.values()) {
            const tb = tree.get(kid(b.id))!;
            expect(tb.number).toBe(b.number);
          }
        };
        for (const op of ops) {
          if (op.kind === "add") {
            const parent = pick(op.parentPick);
            const id = nextId++;
            model.add(id, parent);
            const added = tree.add({ hash: hid(id), number: model.blocks.get(id)!.number, parentHash: hid(parent) });
            expect(idOf(added)).toBe(id);
          } else if (op.kind === "finalize") {
            const target = pick(op.pick);
            const expected = model.finalize(target);
            const got = tree.finalize(kid(target));
            expect(ids(got.finalized)).toEqual(expected.finalized);
            expect(ids(got.pruned).sort((x, y) => x - y)).toEqual(expected.pruned);
            const nums = got.pruned.map((b) => b.number);
            expect(nums).toEqual([...nums].sort((x, y) => x - y));
          } else {
            const a = pick(op.a);
            const b = pick(op.b);
            const r = tree.route(kid(a), kid(b));
            const m = model.route(a, b);
            expect(ids(r.retracted)).toEqual(m.retracted);
            expect(ids(r.enacted)).toEqual(m.enacted);
            expect(idOf(r.common)).toBe(m.common);
            expect(tree.isDescendantOf(kid(a), kid(b))).toBe(model.isDescendantOf(a, b));
            expect(tree.isDescendantOf(kid(b), kid(a))).toBe(model.isDescendantOf(b, a));
            expect(idOf(tree.best(kid(a)))).toBe(model.best(a));
          }
          check();
        }
      }),
      { numRuns: 300 },
    );
  });
});
