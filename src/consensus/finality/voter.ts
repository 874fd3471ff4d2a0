/**
 * The GRANDPA voter of one authority (finality-grandpa's Voter and VotingRound, without primary
 * proposals and with a fixed authority set):
 *
 *  - round r starts with base = the last block finalized by rounds; after 2T the voter prevotes
 *    for the best chain containing the previous round's estimate E(r−1); once the prevote-GHOST g
 *    is at or above E(r−1) and 4T have passed (or the round is completable) it precommits for g;
 *  - a round that finalizes a block beyond the last finalized one, after we precommitted in it,
 *    yields a commit: the justification (round, target, finalizing precommits) is stored by the
 *    chain and gossiped;
 *  - round r+1 starts when r is completable, we precommitted, and E(r−1) is finalized;
 *  - the previous rounds stay open in the background for late votes and commits;
 *  - a voter two rounds behind asks a peer for its last completed round (catch-up) and jumps.
 *
 * Safety across restarts: the voter persists its own votes before they leave, and restores them
 * (it never signs two different votes of one kind in one round). Prevoting also waits for a block
 * above the last finalized one, so an idle chain does not spin rounds. `gossipDurationMs` is T.
 */
import type { Logger } from "../../util/logger.js";
import { bytesEqual, toHex } from "../../util/bytes.js";
import type { Header } from "../../chain/codec/types.js";
import { localizedPayload, type BlockRef, type CatchUp, type GossipMessage, type SignedVote, type VoteKind } from "./messages.js";
import { Round, type RoundState } from "./round.js";
import type { Ancestry } from "./voteGraph.js";
import { buildJustification } from "./justification.js";
import { signFinality, type FinalityKeyPair } from "./keys.js";

export interface VoterChain extends Ancestry {
  /** the head of the best chain that contains `base` (base itself when nothing is above it) */
  bestChainContaining(base: BlockRef): BlockRef | undefined;
  header(hash: Uint8Array): Header | undefined;
  finalized(): BlockRef;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface PersistedVoterState {
  setId: string;
  round: string;
  base: { hash: string; number: number };
  prevote?: JsonVote;
  precommit?: JsonVote;
  completed?: { round: string; base: { hash: string; number: number }; prevotes: JsonVote[]; precommits: JsonVote[] };
}
interface JsonVote {
  kind: VoteKind;
  hash: string;
  number: number;
  signature: string;
  id: string;
}

export interface VoterEnvironment {
  chain: VoterChain;
  /** Store the justification with the block (and everything it finalizes); resolves when written. */
  finalize(target: BlockRef, round: bigint, justification: Uint8Array): Promise<void>;
  broadcast(message: GossipMessage): void;
  /**
   * Ask `peer` (any connected peer when undefined) about `round`: its last completed round when
   * that is newer (a catch-up), else its votes of `round` (what gossip did not bring us).
   */
  requestCatchUp(peer: string | undefined, round: bigint): void;
  /** Durably store the voter's state before its votes are sent. */
  persist(state: PersistedVoterState): Promise<void>;
  timers: Timers;
  logger: Logger;
}

export interface VoterConfig {
  setId: bigint;
  voters: Uint8Array[];
  key: FinalityKeyPair;
  gossipDurationMs: number;
}

/** Rounds kept open behind the best round, for late votes and commits. */
const PAST_ROUNDS = 3;
/** Votes held for blocks not yet imported (they are retried at every import). */
const MAX_PENDING_VOTES = 1024;
/** A voter this many rounds behind asks for a catch-up (Substrate's CATCH_UP_THRESHOLD). */
export const CATCH_UP_THRESHOLD = 2n;
/** A round not completed after this many gossip durations asks peers for the votes it lacks. */
const STALL_T = 10;

type Phase = "start" | "prevoted" | "precommitted";

interface VotingRound {
  round: Round;
  phase: Phase;
  prevoteTimer: boolean;
  precommitTimer: boolean;
  handles: unknown[];
  /** a round that has not completed after this many T asks peers for its votes (gossip may have missed us) */
  stallChecks: number;
  /** the round before: its live state gives E(r−1) */
  previous?: Round;
  /** we precommitted in this round (commits are only produced then, as in finality-grandpa) */
  precommitted: boolean;
}

const refKey = (b: BlockRef) => `${b.number}:${toHex(b.hash)}`;
const jsonRef = (b: BlockRef) => ({ hash: toHex(b.hash), number: b.number });
const fromJsonRef = (b: { hash: string; number: number }): BlockRef => ({ hash: Buffer.from(b.hash.slice(2), "hex"), number: b.number });
const jsonVote = (v: SignedVote): JsonVote => ({ kind: v.kind, hash: toHex(v.target.hash), number: v.target.number, signature: toHex(v.signature), id: toHex(v.id) });
const fromJsonVote = (v: JsonVote): SignedVote => ({
  kind: v.kind,
  target: { hash: Buffer.from(v.hash.slice(2), "hex"), number: v.number },
  signature: Buffer.from(v.signature.slice(2), "hex"),
  id: Buffer.from(v.id.slice(2), "hex"),
});

export class Voter {
  private best!: VotingRound;
  private readonly past: Round[] = [];
  private lastFinalizedInRounds: BlockRef;
  /** the highest block we finalized or saw finalized (no commit is produced at or below it) */
  private lastFinalized: BlockRef;
  private readonly pending: Array<{ round: bigint; vote: SignedVote }> = [];
  private readonly futureVotes: Array<{ round: bigint; vote: SignedVote }> = [];
  private stopped = false;
  private working = false;
  private again = false;
  private lastCatchUpRequest = 0n;
  private readonly log: Logger;

  constructor(
    private readonly config: VoterConfig,
    private readonly env: VoterEnvironment,
    restored?: PersistedVoterState,
  ) {
    this.log = env.logger;
    const finalized = env.chain.finalized();
    this.lastFinalized = finalized;
    this.lastFinalizedInRounds = finalized;
    if (restored && BigInt(restored.setId) === config.setId) this.restore(restored);
    else this.best = this.newRound(1n, finalized, undefined);
  }

  get roundNumber(): bigint {
    return this.best.round.number;
  }

  get bestRound(): Round {
    return this.best.round;
  }

  /** The latest completed round (what a catch-up request is answered with). */
  get lastCompleted(): Round | undefined {
    return this.past[this.past.length - 1];
  }

  private get threshold(): number {
    return this.best.round.threshold;
  }

  private isSelf(id: Uint8Array): boolean {
    return bytesEqual(id, this.config.key.publicKey);
  }

  private restore(s: PersistedVoterState): void {
    let previous: Round | undefined;
    if (s.completed) {
      previous = new Round(BigInt(s.completed.round), this.config.voters, fromJsonRef(s.completed.base));
      for (const v of [...s.completed.prevotes, ...s.completed.precommits]) previous.importVote(fromJsonVote(v), this.env.chain);
      this.past.push(previous);
      const f = previous.current.finalized;
      if (f && f.number > this.lastFinalizedInRounds.number) this.lastFinalizedInRounds = f;
    }
    this.best = this.newRound(BigInt(s.round), fromJsonRef(s.base), previous);
    // our own votes of this round were signed before the restart: keep them, never sign others
    for (const v of [s.prevote, s.precommit]) {
      if (!v) continue;
      const vote = fromJsonVote(v);
      this.best.round.importVote(vote, this.env.chain);
      this.env.broadcast({ tag: "Vote", value: { round: this.best.round.number, setId: this.config.setId, vote } });
    }
    if (s.prevote) this.best.phase = "prevoted";
    if (s.precommit) {
      this.best.phase = "precommitted";
      this.best.precommitted = true;
    }
    this.log.info({ round: s.round, phase: this.best.phase }, "Finality voter restored its round");
  }

  start(): void {
    this.poke();
  }

  stop(): void {
    this.stopped = true;
    for (const h of this.best.handles) this.env.timers.clearTimeout(h);
  }

  private newRound(number: bigint, base: BlockRef, previous: Round | undefined): VotingRound {
    const vr: VotingRound = { round: new Round(number, this.config.voters, base), phase: "start", prevoteTimer: false, precommitTimer: false, handles: [], previous, precommitted: false, stallChecks: 0 };
    const t = this.config.gossipDurationMs;
    if (this.config.voters.length > 1) this.scheduleStallCheck(vr, Math.max(t, 50) * STALL_T);
    if (t <= 0) {
      vr.prevoteTimer = true;
      vr.precommitTimer = true;
    } else {
      vr.handles.push(
        this.env.timers.setTimeout(() => {
          vr.prevoteTimer = true;
          this.poke();
        }, 2 * t),
        this.env.timers.setTimeout(() => {
          vr.precommitTimer = true;
          this.poke();
        }, 4 * t),
      );
    }
    return vr;
  }

  /**
   * Votes sent while we were away (restarted, partitioned) are not gossiped again: a round that
   * does not complete asks a peer for them, and keeps asking, more slowly, until it completes.
   */
  private scheduleStallCheck(vr: VotingRound, baseMs: number): void {
    vr.handles.push(
      this.env.timers.setTimeout(() => {
        if (this.stopped || this.best !== vr) return;
        // a round idling for a block to vote on is not stalled; one waiting for votes is
        if (vr.phase !== "start") {
          vr.stallChecks++;
          this.log.debug({ round: vr.round.number.toString(), checks: vr.stallChecks }, "Finality round stalled: asking a peer for its votes");
          this.env.requestCatchUp(undefined, vr.round.number);
        }
        this.scheduleStallCheck(vr, baseMs);
      }, baseMs * Math.min(2 ** vr.stallChecks, 4)),
    );
  }

  /** The previous round's state; for the first round (or after a catch-up gap) the base is final. */
  private lastRoundState(vr: VotingRound): RoundState {
    if (vr.previous) return vr.previous.current;
    const base = vr.round.base;
    return { prevoteGhost: base, finalized: base, estimate: base, completable: true };
  }

  // ---------------------------------------------------------------- inputs

  /** A vote whose signature, set id and voter membership the caller has checked. */
  importVote(round: bigint, vote: SignedVote, fromPeer?: string): void {
    if (this.stopped) return;
    const bestNumber = this.best.round.number;
    if (round === bestNumber) this.importInto(this.best.round, round, vote);
    else if (round < bestNumber) {
      const r = this.past.find((p) => p.number === round);
      if (r) this.importInto(r, round, vote);
    } else if (round === bestNumber + 1n) {
      if (this.futureVotes.length < MAX_PENDING_VOTES) this.futureVotes.push({ round, vote });
    } else if (fromPeer && round >= bestNumber + CATCH_UP_THRESHOLD && round > this.lastCatchUpRequest) {
      this.lastCatchUpRequest = round;
      this.log.debug({ ours: bestNumber.toString(), theirs: round.toString(), peer: fromPeer }, "Behind in finality rounds: asking for a catch-up");
      this.env.requestCatchUp(fromPeer, bestNumber);
    }
    this.poke();
  }

  private importInto(r: Round, round: bigint, vote: SignedVote): void {
    const outcome = r.importVote(vote, this.env.chain);
    if (outcome === "unknown-block") {
      if (this.pending.length >= MAX_PENDING_VOTES) this.pending.shift();
      this.pending.push({ round, vote });
    } else if (outcome === "equivocation") {
      this.log.warn({ round: round.toString(), voter: toHex(vote.id), kind: vote.kind }, "Finality authority equivocated (two different votes in one round)");
    }
  }

  /** Precommits of a verified commit: they help the round they belong to complete. */
  importCommit(round: bigint, precommits: SignedVote[], target: BlockRef): void {
    if (target.number > this.lastFinalized.number) this.lastFinalized = target;
    const r = round === this.best.round.number ? this.best.round : this.past.find((p) => p.number === round);
    if (r) for (const p of precommits) this.importInto(r, round, p);
    this.poke();
  }

  /** A new block was imported: votes waiting for it may now count; a prevote may now be due. */
  onBlockImported(): void {
    if (this.pending.length) {
      const retry = this.pending.splice(0);
      for (const { round, vote } of retry) {
        const r = round === this.best.round.number ? this.best.round : this.past.find((p) => p.number === round);
        if (r) this.importInto(r, round, vote);
      }
    }
    this.poke();
  }

  onFinalized(block: BlockRef): void {
    if (block.number > this.lastFinalized.number) this.lastFinalized = block;
    this.poke();
  }

  /**
   * A peer's answer to `requestCatchUp` (signatures checked by the caller): votes of a round we
   * are in or keep are imported as late gossip; a newer completed round makes us jump past it.
   */
  importCatchUp(c: CatchUp): boolean {
    if (c.setId !== this.config.setId) return false;
    if (c.round <= this.best.round.number) {
      const r = c.round === this.best.round.number ? this.best.round : this.past.find((p) => p.number === c.round);
      if (!r) return false;
      for (const v of [...c.prevotes, ...c.precommits]) this.importInto(r, c.round, v);
      this.poke();
      return true;
    }
    const round = new Round(c.round, this.config.voters, c.base);
    const prevoters = new Set<string>();
    const precommitters = new Set<string>();
    for (const v of c.prevotes) if (round.importVote(v, this.env.chain) !== "not-voter") prevoters.add(toHex(v.id));
    for (const v of c.precommits) if (round.importVote(v, this.env.chain) !== "not-voter") precommitters.add(toHex(v.id));
    if (prevoters.size < round.threshold || precommitters.size < round.threshold || !round.current.completable) return false;
    for (const h of this.best.handles) this.env.timers.clearTimeout(h);
    this.pushPast(this.best.round);
    this.pushPast(round);
    this.best = this.newRound(c.round + 1n, this.lastFinalizedInRounds, round);
    const f = round.current.finalized;
    if (f && f.number > this.lastFinalizedInRounds.number) this.lastFinalizedInRounds = f;
    this.log.info({ round: this.best.round.number.toString() }, "Caught up with the finality rounds");
    void this.persistState();
    this.poke();
    return true;
  }

  // ---------------------------------------------------------------- the state machine

  /** Runs the round logic until nothing changes; re-entrant calls are folded into one more pass. */
  private poke(): void {
    if (this.stopped) return;
    if (this.working) {
      this.again = true;
      return;
    }
    this.working = true;
    void this.run().finally(() => {
      this.working = false;
      if (this.again && !this.stopped) {
        this.again = false;
        this.poke();
      }
    });
  }

  private async run(): Promise<void> {
    try {
      for (let steps = 0; steps < 1000 && !this.stopped; steps++) {
        const progressed = await this.step();
        if (!progressed) return;
      }
    } catch (e) {
      this.log.error({ err: e }, "Finality voter step failed");
    }
  }

  /** One step; true when something changed (so another step may follow). */
  private async step(): Promise<boolean> {
    const vr = this.best;
    const r = vr.round;
    const last = this.lastRoundState(vr);
    const lastEstimate = last.estimate;
    if (!lastEstimate) return false;

    if (vr.phase === "start") {
      const somethingNew = (this.env.chain.bestChainContaining(lastEstimate)?.number ?? 0) > this.lastFinalized.number;
      if ((vr.prevoteTimer && somethingNew) || r.current.completable) {
        const target = this.env.chain.bestChainContaining(lastEstimate);
        if (target) await this.castVote(vr, "Prevote", target);
        vr.phase = "prevoted";
        return true;
      }
    }
    if (vr.phase === "prevoted") {
      const g = r.current.prevoteGhost;
      const ghostAboveEstimate = g !== undefined && r.graph.node(g) !== undefined && this.isEqualOrDescendant(lastEstimate, g);
      if (ghostAboveEstimate && (vr.precommitTimer || r.current.completable)) {
        await this.castVote(vr, "Precommit", g);
        vr.phase = "precommitted";
        vr.precommitted = true;
        return true;
      }
    }
    if (await this.finalizeFromRounds()) return true;

    // complete the round: completable, our votes cast, and the previous estimate finalized
    const s = r.current;
    const estimateFinal =
      lastEstimate.number <= (last.finalized?.number ?? -1) || (s.finalized !== undefined && lastEstimate.number <= s.finalized.number);
    if (s.completable && vr.phase === "precommitted" && estimateFinal) {
      for (const h of vr.handles) this.env.timers.clearTimeout(h);
      this.pushPast(r);
      this.best = this.newRound(r.number + 1n, this.lastFinalizedInRounds, r);
      for (const fv of this.futureVotes.splice(0)) {
        if (fv.round === this.best.round.number) this.importInto(this.best.round, fv.round, fv.vote);
      }
      this.log.debug({ round: this.best.round.number.toString(), base: this.best.round.base.number }, "Finality round started");
      await this.persistState();
      return true;
    }
    return false;
  }

  private pushPast(r: Round): void {
    if (this.past.some((p) => p.number === r.number)) return;
    this.past.push(r);
    this.past.sort((a, b) => (a.number < b.number ? -1 : 1));
    while (this.past.length > PAST_ROUNDS) this.past.shift();
  }

  private isEqualOrDescendant(a: BlockRef, b: BlockRef): boolean {
    if (a.number > b.number) return false;
    if (a.number === b.number) return bytesEqual(a.hash, b.hash);
    const path = this.env.chain.ancestry(a, b);
    return path !== undefined;
  }

  /** Produces commits for blocks our rounds finalized beyond the last finalized block. */
  private async finalizeFromRounds(): Promise<boolean> {
    for (const { round, precommitted } of [...this.past.map((p) => ({ round: p, precommitted: true })), { round: this.best.round, precommitted: this.best.precommitted }]) {
      const f = round.current.finalized;
      if (!f || !precommitted || f.number <= this.lastFinalized.number) continue;
      if (f.number > this.lastFinalizedInRounds.number) this.lastFinalizedInRounds = f;
      const precommits = round.finalizingPrecommits(f);
      const justification = buildJustification(round.number, f, precommits, (h) => this.env.chain.header(h));
      this.lastFinalized = f;
      try {
        await this.env.finalize(f, round.number, justification);
        this.env.broadcast({ tag: "Commit", value: { round: round.number, setId: this.config.setId, justification } });
        this.log.debug({ round: round.number.toString(), number: f.number, hash: toHex(f.hash) }, "Finalized by a finality round");
      } catch (e) {
        this.log.warn({ err: e, number: f.number }, "Could not finalize a block the round finalized");
      }
      return true;
    }
    return false;
  }

  private async castVote(vr: VotingRound, kind: VoteKind, target: BlockRef): Promise<void> {
    if (vr.round.hasVoted(kind, this.config.key.publicKey)) return;
    const signature = signFinality(this.config.key, localizedPayload(vr.round.number, this.config.setId, kind, target));
    const vote: SignedVote = { kind, target, signature, id: this.config.key.publicKey };
    vr.round.importVote(vote, this.env.chain);
    // durable before it leaves: after a crash we must re-send this vote, never sign another
    await this.persistState();
    this.env.broadcast({ tag: "Vote", value: { round: vr.round.number, setId: this.config.setId, vote } });
    this.log.debug({ round: vr.round.number.toString(), kind, number: target.number }, `Cast ${kind.toLowerCase()}`);
  }

  private persistState(): Promise<void> {
    const vr = this.best;
    const own = (kind: VoteKind) => vr.round.signedVotes(kind).find((v) => this.isSelf(v.id));
    const prevote = own("Prevote");
    const precommit = own("Precommit");
    const completed = this.lastCompleted;
    return this.env.persist({
      setId: this.config.setId.toString(),
      round: vr.round.number.toString(),
      base: jsonRef(vr.round.base),
      prevote: prevote && jsonVote(prevote),
      precommit: precommit && jsonVote(precommit),
      completed: completed && {
        round: completed.number.toString(),
        base: jsonRef(completed.base),
        prevotes: completed.signedVotes("Prevote").map(jsonVote),
        precommits: completed.signedVotes("Precommit").map(jsonVote),
      },
    });
  }

  /** What `grandpa_roundState` shows. */
  roundState(): { round: bigint; prevotes: number; precommits: number; missingPrevotes: number[]; missingPrecommits: number[]; threshold: number; total: number } {
    const r = this.best.round;
    return {
      round: r.number,
      prevotes: r.weight("Prevote"),
      precommits: r.weight("Precommit"),
      missingPrevotes: r.missing("Prevote"),
      missingPrecommits: r.missing("Precommit"),
      threshold: this.threshold,
      total: this.config.voters.length,
    };
  }

  /**
   * The answer to a peer at `requesterRound`: our last completed round when it is newer (a
   * catch-up), else our votes of that very round, if we have it.
   */
  catchUpFor(requesterRound: bigint): CatchUp | null {
    const c = this.lastCompleted;
    const r = c && c.number > requesterRound ? c : requesterRound === this.best.round.number ? this.best.round : this.past.find((p) => p.number === requesterRound);
    if (!r) return null;
    return { setId: this.config.setId, round: r.number, prevotes: r.signedVotes("Prevote"), precommits: r.signedVotes("Precommit"), base: r.base };
  }
}

export { refKey };
