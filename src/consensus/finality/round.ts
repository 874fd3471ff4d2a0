/**
 * One GRANDPA round's votes and what follows from them (finality-grandpa's `Round`): the
 * prevote-GHOST, the block finalized in the round, the round-estimate and whether the round is
 * completable. Equivocators (two different votes of one kind) count as voting for everything.
 * Every voter has weight 1; the threshold is n − ⌊(n − 1)/3⌋ (strictly more than 2/3).
 */
import { bytesEqual, toHex } from "../../util/bytes.js";
import type { BlockRef, SignedVote, VoteKind } from "./messages.js";
import { VoteGraph, type Ancestry, type GraphNode } from "./voteGraph.js";

export function threshold(n: number): number {
  return n - Math.floor((n - 1) / 3);
}

interface Tracked {
  first: SignedVote;
  second?: SignedVote;
}

export type ImportOutcome = "imported" | "duplicate" | "equivocation" | "ignored-equivocation" | "not-voter" | "unknown-block";

export interface RoundState {
  prevoteGhost?: BlockRef;
  finalized?: BlockRef;
  estimate?: BlockRef;
  completable: boolean;
}

const sameRef = (a?: BlockRef, b?: BlockRef) => (a === undefined ? b === undefined : b !== undefined && a.number === b.number && bytesEqual(a.hash, b.hash));

export class Round {
  readonly graph: VoteGraph;
  readonly threshold: number;
  private readonly voterIndex = new Map<string, number>();
  private readonly votes: Record<VoteKind, Map<number, Tracked>> = { Prevote: new Map(), Precommit: new Map() };
  private readonly equivocators: Record<VoteKind, Set<number>> = { Prevote: new Set(), Precommit: new Set() };
  private state: RoundState = { completable: false };

  constructor(
    readonly number: bigint,
    readonly voters: Uint8Array[],
    readonly base: BlockRef,
  ) {
    this.graph = new VoteGraph(base);
    this.threshold = threshold(voters.length);
    voters.forEach((v, i) => this.voterIndex.set(toHex(v), i));
  }

  indexOf(id: Uint8Array): number | undefined {
    return this.voterIndex.get(toHex(id));
  }

  /**
   * Imports a vote whose signature the caller has checked. A vote for a block not known to be a
   * descendant of the base returns "unknown-block" and changes nothing.
   */
  importVote(vote: SignedVote, chain: Ancestry): ImportOutcome {
    const i = this.indexOf(vote.id);
    if (i === undefined) return "not-voter";
    const tracked = this.votes[vote.kind].get(i);
    if (tracked) {
      const same = (v?: SignedVote) => v !== undefined && sameRef(v.target, vote.target) && bytesEqual(v.signature, vote.signature);
      if (same(tracked.first) || same(tracked.second)) return "duplicate";
      if (tracked.second) return "ignored-equivocation";
      tracked.second = vote;
      this.equivocators[vote.kind].add(i);
      // An equivocator already counts for every block, so adding its second vote to the graph
      // changes no count; it only lets finalizingPrecommits see that this vote descends from a
      // finalized block (a justification may need it to reach the threshold).
      this.graph.insert(vote.target, vote.kind, i, chain);
      this.update();
      return "equivocation";
    }
    if (!this.graph.insert(vote.target, vote.kind, i, chain)) return "unknown-block";
    this.votes[vote.kind].set(i, { first: vote });
    this.update();
    return "imported";
  }

  /** Weight of distinct voters of a kind (an equivocator counts once). */
  weight(kind: VoteKind): number {
    return this.votes[kind].size;
  }

  /** Voter indices that have not voted `kind` yet. */
  missing(kind: VoteKind): number[] {
    return this.voters.map((_, i) => i).filter((i) => !this.votes[kind].has(i));
  }

  get current(): RoundState {
    return this.state;
  }

  /** Every vote of a kind, equivocations included (for commits and catch-ups). */
  signedVotes(kind: VoteKind): SignedVote[] {
    const out: SignedVote[] = [];
    for (const t of this.votes[kind].values()) {
      out.push(t.first);
      if (t.second) out.push(t.second);
    }
    return out;
  }

  hasVoted(kind: VoteKind, id: Uint8Array): boolean {
    const i = this.indexOf(id);
    return i !== undefined && this.votes[kind].has(i);
  }

  private count(n: GraphNode, kind: VoteKind): number {
    const set = kind === "Prevote" ? n.prevoters : n.precommitters;
    let c = set.size;
    for (const e of this.equivocators[kind]) if (!set.has(e)) c++;
    return c;
  }

  /**
   * Precommits that justify `target`: every precommit at or below it (an equivocator's votes that
   * are; Substrate's justification check refuses precommits that do not descend from the target).
   */
  finalizingPrecommits(target: BlockRef): SignedVote[] {
    const out: SignedVote[] = [];
    for (const t of this.votes.Precommit.values()) {
      for (const v of [t.first, t.second]) if (v && this.graph.isEqualOrDescendant(target, v.target)) out.push(v);
    }
    return out;
  }

  private update(): void {
    const t = this.threshold;
    const n = this.voters.length;
    if (this.weight("Prevote") < t) return;
    const g = this.graph.findGhost((node) => this.count(node, "Prevote") >= t);
    const next: RoundState = { prevoteGhost: g, finalized: this.state.finalized, estimate: undefined, completable: false };
    if (!g) {
      this.state = next;
      return;
    }
    const currentPrecommits = this.weight("Precommit");
    if (currentPrecommits >= t) {
      next.finalized = this.graph.findAncestor(g, (node) => this.count(node, "Precommit") >= t) ?? next.finalized;
    }
    // Could this block still get a supermajority of precommits? Count every voter not heard from
    // as voting for it, plus the equivocations still tolerable among those already heard from.
    const remaining = n - currentPrecommits;
    const additionalEquivocations = Math.max(0, n - t - this.equivocators.Precommit.size);
    const possible = (node: GraphNode): boolean => {
      const forIt = this.count(node, "Precommit");
      return forIt + remaining + Math.min(currentPrecommits - forIt, additionalEquivocations) >= t;
    };
    if (currentPrecommits < t) {
      next.estimate = g;
      this.state = next;
      return;
    }
    next.estimate = this.graph.findAncestor(g, possible);
    const e = next.estimate;
    next.completable = e !== undefined && (!sameRef(e, g) || sameRef(this.graph.findGhost(possible, e) ?? g, g));
    this.state = next;
  }
}
