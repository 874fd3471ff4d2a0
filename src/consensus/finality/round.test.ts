/**
 * GRANDPA round logic, after finality-grandpa's round.rs tests (the chain GENESIS→A→B→C→D→E→F,
 * E→EA→EB→EC→ED, F→FA→FB→FC, base C), with four voters of weight 1: threshold 3. Expected values
 * are worked out by hand from the rules in round.ts:
 *  - prevote-GHOST: the highest block with ≥ 3 prevotes (a vote counts for its ancestors; an
 *    equivocator counts for every block), once ≥ 3 voters have prevoted;
 *  - finalized: the highest ancestor of the GHOST with ≥ 3 precommits (once ≥ 3 have precommitted);
 *  - estimate: the GHOST until ≥ 3 precommits, then the highest ancestor of the GHOST that could
 *    still reach 3 precommits (voters not heard from, plus equivocations still tolerable: n − t −
 *    equivocators, taken only from voters who precommitted elsewhere);
 *  - completable: estimate below the GHOST, or equal to it with no child that could still reach 3.
 */
import { describe, expect, it } from "vitest";
import { Round, threshold, type RoundState } from "./round.js";
import { VoteGraph, type Ancestry } from "./voteGraph.js";
import type { BlockRef, SignedVote, VoteKind } from "./messages.js";
import { toHex } from "../../util/bytes.js";

const hashOf = (name: string): Uint8Array => {
  const out = new Uint8Array(32);
  out.set(new TextEncoder().encode(name));
  return out;
};
const nameOf = (hash: Uint8Array) => new TextDecoder().decode(hash).replace(/\0+$/, "");

/** A chain of named blocks (finality-grandpa's DummyChain): genesis is #1. */
class DummyChain implements Ancestry {
  private readonly parents = new Map<string, string>();
  private readonly numbers = new Map<string, number>([["GENESIS", 1]]);
  /** ancestry() calls, to check the graph reuses what it knows */
  calls = 0;
  push(parent: string, blocks: string[]): this {
    let p = parent;
    for (const b of blocks) {
      this.parents.set(b, p);
      this.numbers.set(b, this.numbers.get(p)! + 1);
      p = b;
    }
    return this;
  }
  ref(name: string): BlockRef {
    const number = this.numbers.get(name);
    if (number === undefined) throw new Error(`no block ${name}`);
    return { hash: hashOf(name), number };
  }
  ancestry(base: BlockRef, block: BlockRef): Uint8Array[] | undefined {
    this.calls++;
    const baseName = nameOf(base.hash);
    const out: Uint8Array[] = [];
    let cur: string | undefined = nameOf(block.hash);
    if (!this.numbers.has(cur)) return undefined;
    while (cur !== undefined && cur !== baseName) {
      out.push(hashOf(cur));
      cur = this.parents.get(cur);
    }
    return cur === baseName ? out : undefined;
  }
}

const standardChain = () =>
  new DummyChain()
    .push("GENESIS", ["A", "B", "C", "D", "E", "F"])
    .push("E", ["EA", "EB", "EC", "ED"])
    .push("F", ["FA", "FB", "FC"]);

const VOTERS = ["Alice", "Bob", "Charlie", "Dave"];
const id = (name: string) => hashOf(`id:${name}`);
const voters = () => VOTERS.map(id);

class Harness {
  readonly chain = standardChain();
  readonly round: Round;
  private sigCounter = 0;
  constructor(base = "C", vs = voters()) {
    this.round = new Round(1n, vs, this.chain.ref(base));
  }
  vote(kind: VoteKind, who: string, target: string, signature?: Uint8Array) {
    const vote: SignedVote = { kind, target: this.chain.ref(target), id: id(who), signature: signature ?? this.sig() };
    return this.round.importVote(vote, this.chain);
  }
  prevote(who: string, target: string, signature?: Uint8Array) {
    return this.vote("Prevote", who, target, signature);
  }
  precommit(who: string, target: string, signature?: Uint8Array) {
    return this.vote("Precommit", who, target, signature);
  }
  sig(): Uint8Array {
    const s = new Uint8Array(64);
    new DataView(s.buffer).setUint32(0, ++this.sigCounter);
    return s;
  }
  /** The state with block names and numbers, for readable expectations. */
  get state() {
    const s: RoundState = this.round.current;
    const show = (r?: BlockRef) => (r ? `${nameOf(r.hash)}#${r.number}` : undefined);
    return { ghost: show(s.prevoteGhost), finalized: show(s.finalized), estimate: show(s.estimate), completable: s.completable };
  }
}

describe("threshold", () => {
  it("is n − ⌊(n − 1)/3⌋: strictly more than two thirds", () => {
    expect(threshold(1)).toBe(1);
    expect(threshold(2)).toBe(2);
    expect(threshold(3)).toBe(3);
    expect(threshold(4)).toBe(3);
    expect(threshold(5)).toBe(4);
    expect(threshold(6)).toBe(5);
    expect(threshold(7)).toBe(5);
    expect(threshold(10)).toBe(7);
    expect(threshold(100)).toBe(67);
    for (let n = 1; n <= 200; n++) {
      const t = threshold(n);
      expect(3 * t).toBeGreaterThan(2 * n); // a supermajority…
      expect(3 * (t - 1)).toBeLessThanOrEqual(2 * n); // …and the smallest one
    }
  });

  it("the round uses the threshold of its voter count", () => {
    expect(new Round(1n, voters(), standardChain().ref("C")).threshold).toBe(3);
    expect(new Round(1n, [id("solo")], standardChain().ref("C")).threshold).toBe(1);
  });
});

describe("Round: prevote GHOST and estimate (round.rs estimate_is_valid)", () => {
  it("follows the votes step by step", () => {
    const r = new Harness();
    expect(r.state).toEqual({ ghost: undefined, finalized: undefined, estimate: undefined, completable: false });

    expect(r.prevote("Alice", "FC")).toBe("imported");
    expect(r.prevote("Bob", "ED")).toBe("imported");
    // 2 of 4 prevoted: below threshold, nothing is known yet
    expect(r.state).toEqual({ ghost: undefined, finalized: undefined, estimate: undefined, completable: false });

    expect(r.prevote("Charlie", "F")).toBe("imported");
    // E has Alice, Bob, Charlie; F only Alice and Charlie
    expect(r.state).toEqual({ ghost: "E#6", finalized: undefined, estimate: "E#6", completable: false });

    expect(r.prevote("Dave", "FA")).toBe("imported");
    // F: Alice (FC), Charlie (F), Dave (FA) = 3; FA: Alice, Dave = 2
    expect(r.state).toEqual({ ghost: "F#7", finalized: undefined, estimate: "F#7", completable: false });
    expect(r.round.weight("Prevote")).toBe(4);
  });

  it("estimate and completability once precommits arrive", () => {
    const r = new Harness();
    for (const [who, t] of [["Alice", "FC"], ["Bob", "ED"], ["Charlie", "F"], ["Dave", "FA"]]) r.prevote(who, t);

    r.precommit("Alice", "FC");
    r.precommit("Bob", "ED");
    // 2 precommits: the estimate is the GHOST, nothing is final, not completable
    expect(r.state).toEqual({ ghost: "F#7", finalized: undefined, estimate: "F#7", completable: false });

    r.precommit("Charlie", "F");
    // E has 3 precommits (Alice, Bob, Charlie): final. F has 2; Dave is still to come and Bob could
    // equivocate, so F — and each of FA, FB, FC (Alice + Dave + Bob) — could still reach 3.
    expect(r.state).toEqual({ ghost: "F#7", finalized: "E#6", estimate: "F#7", completable: false });

    r.precommit("Dave", "F");
    // F has 3 precommits: final. FA has 1 and nobody is left: no child of F can reach 3.
    expect(r.state).toEqual({ ghost: "F#7", finalized: "F#7", estimate: "F#7", completable: true });
  });

  it("precommits elsewhere pull the estimate below the GHOST, which makes the round completable", () => {
    const r = new Harness();
    for (const who of VOTERS) r.prevote(who, "FC");
    expect(r.state).toEqual({ ghost: "FC#10", finalized: undefined, estimate: "FC#10", completable: false });

    r.precommit("Alice", "FC");
    r.precommit("Bob", "EA");
    r.precommit("Charlie", "EA");
    // E: 3 → final. FC: Alice + Dave (not heard from) + one equivocation among Bob/Charlie = 3:
    // still possible, and it has no children: completable with the estimate at the GHOST.
    expect(r.state).toEqual({ ghost: "FC#10", finalized: "E#6", estimate: "FC#10", completable: true });

    r.precommit("Dave", "EB");
    // everyone heard from: FC, FB, FA, F have 1 + at most 1 equivocation = 2 < 3; E has 4
    expect(r.state).toEqual({ ghost: "FC#10", finalized: "E#6", estimate: "E#6", completable: true });
    // EA (Bob, Charlie, Dave) is final-worthy but not on the GHOST's chain: finality follows the GHOST
    expect(r.round.graph.node(r.chain.ref("EA"))!.precommitters.size).toBe(3);
  });

  it("a GHOST with children that could still get precommits keeps the round open", () => {
    const r = new Harness();
    for (const who of ["Alice", "Bob", "Charlie"]) r.prevote(who, "E");
    expect(r.state.ghost).toBe("E#6");
    r.precommit("Alice", "E");
    r.precommit("Bob", "E");
    r.precommit("Charlie", "EA");
    // E final; EA: Charlie + Dave + one of Alice/Bob equivocating = 3 → possible: not completable
    expect(r.state).toEqual({ ghost: "E#6", finalized: "E#6", estimate: "E#6", completable: false });
    r.precommit("Dave", "F");
    // EA: 1 + 0 remaining + 1 equivocation = 2; F likewise: no child can reach 3
    expect(r.state).toEqual({ ghost: "E#6", finalized: "E#6", estimate: "E#6", completable: true });
  });
});

describe("Round: finalization (round.rs finalization)", () => {
  it("precommits alone finalize nothing; prevotes then open the way, and a later precommit moves finality up", () => {
    const r = new Harness();
    r.precommit("Alice", "FC");
    r.precommit("Bob", "ED");
    r.precommit("Charlie", "EA");
    // 3 precommits on E, but no prevote GHOST yet: nothing final
    expect(r.state).toEqual({ ghost: undefined, finalized: undefined, estimate: undefined, completable: false });

    r.prevote("Alice", "FC");
    r.prevote("Bob", "ED");
    expect(r.state.finalized).toBeUndefined();
    r.prevote("Charlie", "EA");
    // GHOST E (Alice, Bob, Charlie); E has 3 precommits
    expect(r.state).toEqual({ ghost: "E#6", finalized: "E#6", estimate: "E#6", completable: false });

    r.prevote("Dave", "EA");
    // Bob's ED counts for EA too: EA has Bob, Charlie, Dave. Its precommits (Bob, Charlie) are 2,
    // and Dave could still precommit EA: finality stays at E, the estimate follows the GHOST
    expect(r.state).toEqual({ ghost: "EA#7", finalized: "E#6", estimate: "EA#7", completable: false });

    r.precommit("Dave", "EA");
    // EA: Bob, Charlie, Dave → final; EB (Bob) can reach at most 2
    expect(r.state).toEqual({ ghost: "EA#7", finalized: "EA#7", estimate: "EA#7", completable: true });
  });

  it("an equivocating precommit counts for the block it did not vote for and can complete finality", () => {
    const r = new Harness();
    for (const who of VOTERS) r.prevote(who, "FA");
    r.precommit("Alice", "FA");
    r.precommit("Bob", "FA");
    r.precommit("Charlie", "EA");
    expect(r.state).toEqual({ ghost: "FA#8", finalized: "E#6", estimate: "FA#8", completable: true });
    expect(r.precommit("Charlie", "ED")).toBe("equivocation");
    // FA: Alice, Bob + Charlie (equivocator) = 3
    expect(r.state).toEqual({ ghost: "FA#8", finalized: "FA#8", estimate: "FA#8", completable: true });
  });

  it("finality never moves back within a round", () => {
    const r = new Harness();
    for (const who of ["Alice", "Bob", "Charlie"]) r.prevote(who, "FC");
    for (const who of ["Alice", "Bob", "Charlie"]) r.precommit(who, "FC");
    expect(r.state.finalized).toBe("FC#10");
    r.prevote("Dave", "ED");
    r.precommit("Dave", "ED");
    expect(r.state.finalized).toBe("FC#10");
    expect(r.state.ghost).toBe("FC#10");
  });

  it("finalizingPrecommits returns the precommits at or below the target (equivocations included when they are)", () => {
    const r = new Harness();
    for (const who of VOTERS) r.prevote(who, "F");
    r.precommit("Alice", "F");
    r.precommit("Bob", "FB");
    r.precommit("Charlie", "EA");
    r.precommit("Dave", "FA");
    r.precommit("Charlie", "FC"); // Charlie equivocates: second precommit on the F branch
    expect(r.state.finalized).toBe("F#7");
    const got = r.round
      .finalizingPrecommits(r.chain.ref("F"))
      .map((v) => `${nameOf(v.id).slice(3)}:${nameOf(v.target.hash)}`)
      .sort();
    expect(got).toEqual(["Alice:F", "Bob:FB", "Charlie:FC", "Dave:FA"]);
    const fromE = r.round.finalizingPrecommits(r.chain.ref("E")).length;
    expect(fromE).toBe(5);
  });
  it("an equivocator's second precommit above the finalized block is among the finalizing precommits, even on a block no one else voted for", () => {
    const r = new Harness();
    for (const who of VOTERS) r.prevote(who, "FA");
    r.precommit("Alice", "FA");
    r.precommit("Bob", "FA");
    r.precommit("Charlie", "EA");
    r.precommit("Charlie", "FB"); // FB: only Charlie's second vote points there
    // the round counts Charlie for FA: final
    expect(r.state.finalized).toBe("FA#8");
    // so a justification of FA must be able to show three voters at or above FA
    const voters = new Set(r.round.finalizingPrecommits(r.chain.ref("FA")).map((v) => nameOf(v.id)));
    expect([...voters].sort()).toEqual(["id:Alice", "id:Bob", "id:Charlie"]);
    expect(voters.size).toBeGreaterThanOrEqual(r.round.threshold);
  });
});

describe("Round: equivocations and duplicates (round.rs equivocate_does_not_double_count)", () => {
  it("first vote imported, second different one is an equivocation, third is ignored, a repeat is a duplicate", () => {
    const r = new Harness();
    const first = r.sig();
    expect(r.prevote("Dave", "FC", first)).toBe("imported");
    expect(r.state.ghost).toBeUndefined();
    expect(r.prevote("Dave", "ED")).toBe("equivocation");
    expect(r.prevote("Dave", "F")).toBe("ignored-equivocation");
    expect(r.prevote("Dave", "FC", first)).toBe("duplicate");
    // an equivocator is one voter: weight 1
    expect(r.round.weight("Prevote")).toBe(1);
    expect(r.round.signedVotes("Prevote").map((v) => nameOf(v.target.hash))).toEqual(["FC", "ED"]);
    // the duplicate of the second vote is a duplicate too
    const second = r.round.signedVotes("Prevote")[1];
    expect(r.round.importVote(second, r.chain)).toBe("duplicate");
    expect(r.state.ghost).toBeUndefined();
  });

  it("the same target with another signature is an equivocation, as in finality-grandpa", () => {
    const r = new Harness();
    expect(r.precommit("Alice", "E")).toBe("imported");
    expect(r.precommit("Alice", "E")).toBe("equivocation");
  });

  it("prevotes and precommits are tracked separately", () => {
    const r = new Harness();
    expect(r.prevote("Alice", "E")).toBe("imported");
    expect(r.precommit("Alice", "EA")).toBe("imported");
    expect(r.round.hasVoted("Prevote", id("Alice"))).toBe(true);
    expect(r.round.hasVoted("Precommit", id("Alice"))).toBe(true);
    expect(r.round.hasVoted("Precommit", id("Bob"))).toBe(false);
    expect(r.round.missing("Prevote")).toEqual([1, 2, 3]);
    expect(r.round.missing("Precommit")).toEqual([1, 2, 3]);
  });

  it("an equivocator counts once in the weight and once per block (no double counting)", () => {
    const r = new Harness();
    r.prevote("Dave", "FC");
    r.prevote("Dave", "ED");
    r.prevote("Alice", "FC");
    expect(r.round.weight("Prevote")).toBe(2);
    expect(r.state.ghost).toBeUndefined();
    r.prevote("Bob", "E");
    // F: Dave (voted FC and equivocated) + Alice = 2: Dave must not count twice there
    expect(r.state.ghost).toBe("E#6");
  });

  it("an equivocator counts for blocks it never voted for", () => {
    const r = new Harness();
    r.prevote("Dave", "FC");
    r.prevote("Dave", "ED");
    r.prevote("Alice", "EA");
    r.prevote("Bob", "EA");
    // EA: Alice, Bob + Dave (equivocator) = 3
    expect(r.state.ghost).toBe("EA#7");
  });

  it("a precommit equivocation uses up the tolerated equivocations and lowers the estimate", () => {
    const withEquivocation = new Harness();
    for (const who of VOTERS) withEquivocation.prevote(who, "FC");
    withEquivocation.precommit("Dave", "FC");
    expect(withEquivocation.precommit("Dave", "EA")).toBe("equivocation");
    withEquivocation.precommit("Alice", "EA");
    withEquivocation.precommit("Bob", "EA");
    // FC: Dave + Charlie (not heard from) = 2, and no more equivocation is tolerable (4 − 3 − 1 = 0)
    expect(withEquivocation.state).toEqual({ ghost: "FC#10", finalized: "E#6", estimate: "E#6", completable: true });

    const honest = new Harness();
    for (const who of VOTERS) honest.prevote(who, "FC");
    honest.precommit("Dave", "FC");
    honest.precommit("Alice", "EA");
    honest.precommit("Bob", "EA");
    // FC: Dave + Charlie + one possible equivocation of Alice or Bob = 3
    expect(honest.state).toEqual({ ghost: "FC#10", finalized: "E#6", estimate: "FC#10", completable: true });
  });

  it("reaches the GHOST of the original round.rs test: an equivocator plus one more voter is not enough, two are", () => {
    const r = new Harness();
    r.prevote("Dave", "FC");
    r.prevote("Dave", "ED");
    r.prevote("Dave", "F");
    r.prevote("Bob", "FA");
    expect(r.state.ghost).toBeUndefined(); // 2 voters
    r.prevote("Alice", "FA");
    // FA: Bob, Alice + Dave = 3; FB: Dave only
    expect(r.state.ghost).toBe("FA#8");
  });
});

describe("Round: votes that cannot be counted", () => {
  it("a vote from outside the voter set is refused and changes nothing", () => {
    const r = new Harness();
    expect(r.prevote("Mallory", "FC")).toBe("not-voter");
    expect(r.round.weight("Prevote")).toBe(0);
    expect(r.round.indexOf(id("Mallory"))).toBeUndefined();
    expect(r.round.indexOf(id("Charlie"))).toBe(2);
  });

  it("a vote for an unknown block (no ancestry) changes nothing, and the voter can still vote normally", () => {
    const r = new Harness();
    const ghost: SignedVote = { kind: "Prevote", target: { hash: hashOf("NOWHERE"), number: 9 }, id: id("Alice"), signature: r.sig() };
    expect(r.round.importVote(ghost, r.chain)).toBe("unknown-block");
    expect(r.round.weight("Prevote")).toBe(0);
    expect(r.round.hasVoted("Prevote", id("Alice"))).toBe(false);
    expect(r.round.graph.nodes.size).toBe(1);
    expect(r.prevote("Alice", "FC")).toBe("imported");
  });

  it("a vote for a block that does not descend from the base is an unknown block", () => {
    const r = new Harness("D");
    expect(r.prevote("Alice", "B")).toBe("unknown-block"); // below the base
    expect(r.prevote("Alice", "C")).toBe("unknown-block"); // the base's parent
    expect(r.prevote("Alice", "D")).toBe("imported"); // the base itself
  });

  it("votes for the base count: unanimous votes on the base make it the GHOST and final", () => {
    const r = new Harness();
    for (const who of ["Alice", "Bob", "Charlie"]) r.prevote(who, "C");
    for (const who of ["Alice", "Bob", "Charlie"]) r.precommit(who, "C");
    // nothing above C is in the graph, and a new block could get at most Dave + 1 equivocation
    expect(r.state).toEqual({ ghost: "C#4", finalized: "C#4", estimate: "C#4", completable: true });
    r.precommit("Dave", "D");
    expect(r.state).toEqual({ ghost: "C#4", finalized: "C#4", estimate: "C#4", completable: true });
  });

  it("a single voter finalizes its own vote at once", () => {
    const r = new Harness("C", [id("Alice")]);
    r.prevote("Alice", "FB");
    expect(r.state).toEqual({ ghost: "FB#9", finalized: undefined, estimate: "FB#9", completable: false });
    r.precommit("Alice", "FB");
    expect(r.state).toEqual({ ghost: "FB#9", finalized: "FB#9", estimate: "FB#9", completable: true });
  });
});

describe("VoteGraph", () => {
  it("builds the path from the base with the right numbers and counts a vote for every ancestor", () => {
    const chain = standardChain();
    const g = new VoteGraph(chain.ref("C"));
    expect(g.insert(chain.ref("FB"), "Prevote", 0, chain)).toBe(true);
    for (const [name, n] of [["D", 5], ["E", 6], ["F", 7], ["FA", 8], ["FB", 9]] as const) {
      const node = g.node(chain.ref(name))!;
      expect(node.ref.number).toBe(n);
      expect([...node.prevoters]).toEqual([0]);
      expect(node.precommitters.size).toBe(0);
    }
    expect([...g.node(chain.ref("C"))!.prevoters]).toEqual([0]);
    expect(g.node(chain.ref("FC"))).toBeUndefined();
    expect(g.node(chain.ref("E"))!.parent).toBe(toHex(hashOf("D")));
  });

  it("asks the chain only for blocks it does not know yet", () => {
    const chain = standardChain();
    const g = new VoteGraph(chain.ref("C"));
    g.insert(chain.ref("FC"), "Prevote", 0, chain);
    const calls = chain.calls;
    g.insert(chain.ref("F"), "Precommit", 1, chain);
    g.insert(chain.ref("FA"), "Prevote", 2, chain);
    expect(chain.calls).toBe(calls);
    g.insert(chain.ref("EA"), "Prevote", 3, chain);
    expect(chain.calls).toBe(calls + 1);
    expect([...g.node(chain.ref("E"))!.prevoters].sort()).toEqual([0, 2, 3]);
    expect([...g.node(chain.ref("E"))!.precommitters]).toEqual([1]);
  });

  it("findGhost descends while the condition holds; ties go to more votes, then the lower hash", () => {
    const chain = standardChain();
    const g = new VoteGraph(chain.ref("C"));
    g.insert(chain.ref("FA"), "Prevote", 0, chain);
    g.insert(chain.ref("EA"), "Prevote", 1, chain);
    g.insert(chain.ref("EA"), "Precommit", 1, chain);
    const atLeast1 = (n: { prevoters: Set<number> }) => n.prevoters.size >= 1;
    // EA's branch has 2 votes (prevote + precommit) against F's 1
    expect(nameOf(g.findGhost(atLeast1)!.hash)).toBe("EA");
    const g2 = new VoteGraph(chain.ref("C"));
    g2.insert(chain.ref("FA"), "Prevote", 0, chain);
    g2.insert(chain.ref("EA"), "Prevote", 1, chain);
    // equal weight: lower hash ("EA" < "F" as bytes)
    expect(nameOf(g2.findGhost(atLeast1)!.hash)).toBe("EA");
    expect(g2.findGhost((n) => n.prevoters.size >= 3)).toBeUndefined();
    expect(nameOf(g2.findGhost((n) => n.prevoters.size >= 2)!.hash)).toBe("E");
    expect(nameOf(g2.findGhost(atLeast1, chain.ref("F"))!.hash)).toBe("FA");
  });

  it("findAncestor and isEqualOrDescendant walk towards the base", () => {
    const chain = standardChain();
    const g = new VoteGraph(chain.ref("C"));
    g.insert(chain.ref("FC"), "Prevote", 0, chain);
    g.insert(chain.ref("FA"), "Prevote", 1, chain);
    g.insert(chain.ref("ED"), "Prevote", 2, chain);
    expect(nameOf(g.findAncestor(chain.ref("FC"), (n) => n.prevoters.size >= 2)!.hash)).toBe("FA");
    expect(nameOf(g.findAncestor(chain.ref("FC"), (n) => n.prevoters.size >= 3)!.hash)).toBe("E");
    expect(g.findAncestor(chain.ref("FC"), (n) => n.prevoters.size >= 4)).toBeUndefined();
    expect(g.isEqualOrDescendant(chain.ref("F"), chain.ref("FC"))).toBe(true);
    expect(g.isEqualOrDescendant(chain.ref("FC"), chain.ref("FC"))).toBe(true);
    expect(g.isEqualOrDescendant(chain.ref("FC"), chain.ref("F"))).toBe(false);
    expect(g.isEqualOrDescendant(chain.ref("F"), chain.ref("ED"))).toBe(false);
    expect(g.isEqualOrDescendant(chain.ref("C"), chain.ref("ED"))).toBe(true);
  });
});
