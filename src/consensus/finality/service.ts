/**
 * The finality service: runs the GRANDPA voter when this node holds a key of the finality
 * authority set (else it only observes), validates finality gossip before it is forwarded
 * (accept / ignore / reject, so the network can penalize senders), turns verified commits from
 * others into finality, and answers catch-up requests. The authority set and set id come from the
 * finalized block's state (Grandpa.Authorities, CurrentSetId). It reaches the chain and the
 * network only through the narrow interfaces below.
 */
import { EventEmitter } from "node:events";
import type { Logger } from "../../util/logger.js";
import type { Header } from "../../chain/codec/types.js";
import type { StateReader } from "../../chain/state/types.js";
import { CurrentSetId, finalityAuthorities } from "../../chain/runtime/pallets/grandpa.js";
import { bytesEqual, toHex } from "../../util/bytes.js";
import { blake2_256 } from "../../util/hash.js";
import {
  CatchUpRequestCodec,
  decodeCatchUpResponse,
  decodeGossipMessage,
  decodeGrandpaJustification,
  encodeCatchUpResponse,
  encodeGossipMessage,
  encodeJustifications,
  localizedPayload,
  type BlockRef,
  type CatchUp,
  type GossipMessage,
  type SignedVote,
} from "./messages.js";
import { verifyJustification } from "./justification.js";
import { verifyFinality, type FinalityKeyPair } from "./keys.js";
import { Voter, type PersistedVoterState, type Timers } from "./voter.js";

export interface FinalityChain {
  finalized(): BlockRef;
  best(): BlockRef;
  has(hash: Uint8Array): boolean;
  header(hash: Uint8Array): Header | undefined;
  stateAt(hash: Uint8Array): StateReader;
  ancestry(base: BlockRef, block: BlockRef): Uint8Array[] | undefined;
  bestChainContaining(base: BlockRef): BlockRef | undefined;
  /** verifies and writes the justification (SCALE Justifications); rejects on a bad one */
  finalize(hash: Uint8Array, justifications: Uint8Array): Promise<void>;
}

export interface FinalityNetwork {
  broadcast(data: Uint8Array): void;
  /** a catch-up request to `peer`, or to any connected authority when undefined; resolves with who answered and the SCALE response */
  requestCatchUp(peer: string | undefined, request: Uint8Array): Promise<{ peer: string; response: Uint8Array }>;
  /** a peer answered with finality data that fails verification (a forged or undecodable catch-up) */
  penalize(peer: string, reason: string): void;
  /**
   * A vote or commit names a block we do not have: fetch it (and its ancestors) from the peer that
   * sent it (any peer when unknown). Votes for a branch we never imported (a fork we did not follow,
   * the other side of a partition) would otherwise wait forever, and a round that needs them would
   * never complete.
   */
  fetchBlock?(hash: Uint8Array, fromPeer?: string): void;
}

export interface FinalityStore {
  load(): PersistedVoterState | undefined;
  save(state: PersistedVoterState): Promise<void>;
}

export type GossipVerdict = { result: "accept" } | { result: "ignore"; reason: string } | { result: "reject"; reason: string };

export interface FinalityServiceOptions {
  key?: FinalityKeyPair;
  slotDurationMs: number;
  /** T, GRANDPA's gossip duration; default slot/12 within 50…1000 ms (0 with a single voter) */
  gossipDurationMs?: number;
  timers?: Timers;
}

export interface FinalityServiceModules {
  chain: FinalityChain;
  network: FinalityNetwork;
  store: FinalityStore;
  logger: Logger;
}

export interface FinalityEvents {
  /** a justification this node produced or accepted: grandpa_subscribeJustifications */
  justification: [{ target: BlockRef; justification: Uint8Array }];
}

/** Rounds this far behind ours are too old to matter (their votes are ignored, not penalized). */
const OLD_ROUNDS = 4n;
/** Commits waiting for their target block (they finalize once it is imported). */
const MAX_PENDING_COMMITS = 16;
const SEEN_CAPACITY = 8192;

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export class FinalityService extends EventEmitter<FinalityEvents> {
  readonly setId: bigint;
  readonly authorities: Uint8Array[];
  private readonly voter?: Voter;
  private readonly seen = new Set<string>();
  private readonly pendingCommits: Array<{ round: bigint; justification: Uint8Array; target: BlockRef; precommits: SignedVote[] }> = [];
  private readonly log: Logger;

  constructor(
    private readonly opts: FinalityServiceOptions,
    private readonly modules: FinalityServiceModules,
  ) {
    super();
    this.log = modules.logger;
    const state = modules.chain.stateAt(modules.chain.finalized().hash);
    this.authorities = finalityAuthorities(state);
    this.setId = CurrentSetId.get(state);
    const key = opts.key;
    if (key && this.authorities.some((a) => bytesEqual(a, key.publicKey))) {
      const single = this.authorities.length === 1;
      const t = single ? 0 : (opts.gossipDurationMs ?? Math.min(1000, Math.max(50, Math.floor(opts.slotDurationMs / 12))));
      this.voter = new Voter(
        { setId: this.setId, voters: this.authorities, key, gossipDurationMs: t },
        {
          chain: {
            ancestry: (b, x) => modules.chain.ancestry(b, x),
            bestChainContaining: (b) => modules.chain.bestChainContaining(b),
            header: (h) => modules.chain.header(h),
            finalized: () => modules.chain.finalized(),
          },
          finalize: (target, round, justification) => this.applyFinality(target, justification),
          broadcast: (m) => this.broadcast(m),
          requestCatchUp: (peer, round) => void this.requestCatchUp(peer, round),
          missingBlock: (target, peer) => this.fetchMissing(target, peer),
          persist: (s) => modules.store.save(s),
          timers: opts.timers ?? realTimers,
          logger: modules.logger.child({ module: "grandpa" }),
        },
        modules.store.load(),
      );
    } else if (key) {
      this.log.warn({ key: toHex(key.publicKey) }, "The finality key is not in the authority set: this node only follows finality");
    }
  }

  get isVoter(): boolean {
    return this.voter !== undefined;
  }

  start(): void {
    this.voter?.start();
  }

  stop(): void {
    this.voter?.stop();
  }

  /** A block was imported: held votes and commits may now apply. */
  onBlockImported(): void {
    this.voter?.onBlockImported();
    if (this.pendingCommits.length) {
      for (const c of this.pendingCommits.splice(0)) void this.applyCommit(c.round, c.justification, c.target, c.precommits);
    }
  }

  onFinalized(block: BlockRef): void {
    this.voter?.onFinalized(block);
  }

  /** Each missing block is asked for at most once a while (votes for it keep arriving). */
  private readonly asked = new Map<string, number>();
  private fetchMissing(target: BlockRef, peer?: string): void {
    const key = toHex(target.hash);
    const now = Date.now();
    if ((this.asked.get(key) ?? 0) > now - 5000 || this.modules.chain.has(target.hash)) return;
    if (this.asked.size > 1024) this.asked.clear();
    this.asked.set(key, now);
    this.modules.network.fetchBlock?.(target.hash, peer);
  }

  private broadcast(m: GossipMessage): void {
    const data = encodeGossipMessage(m);
    this.seen.add(toHex(blake2_256(data)));
    this.modules.network.broadcast(data);
  }

  private async applyFinality(target: BlockRef, justification: Uint8Array): Promise<void> {
    await this.modules.chain.finalize(target.hash, encodeJustifications(justification));
    this.emit("justification", { target, justification });
  }

  private remember(id: string): boolean {
    if (this.seen.has(id)) return false;
    if (this.seen.size >= SEEN_CAPACITY) this.seen.delete(this.seen.values().next().value!);
    this.seen.add(id);
    return true;
  }

  /** Gossip validation of a finality message from `peer` (before it is forwarded). */
  validateGossip(data: Uint8Array, peer: string): GossipVerdict {
    let m: GossipMessage;
    try {
      m = decodeGossipMessage(data);
    } catch (e) {
      return { result: "reject", reason: `finality message does not decode: ${(e as Error).message}` };
    }
    if (!this.remember(toHex(blake2_256(data)))) return { result: "ignore", reason: "already seen" };
    if (m.value.setId !== this.setId) return { result: "ignore", reason: `finality message for set ${m.value.setId}, ours is ${this.setId}` };
    return m.tag === "Vote" ? this.validateVote(m.value.round, m.value.vote, peer) : this.validateCommit(m.value.round, m.value.justification, peer);
  }

  private isAuthority(id: Uint8Array): boolean {
    return this.authorities.some((a) => bytesEqual(a, id));
  }

  private validateVote(round: bigint, vote: SignedVote, peer: string): GossipVerdict {
    if (!this.isAuthority(vote.id)) return { result: "reject", reason: `vote from ${toHex(vote.id)}, which is not a finality authority` };
    if (!verifyFinality(vote.id, localizedPayload(round, this.setId, vote.kind, vote.target), vote.signature)) {
      return { result: "reject", reason: `bad signature on a ${vote.kind.toLowerCase()} of ${toHex(vote.id)}` };
    }
    const ours = this.voter?.roundNumber;
    if (ours !== undefined && round + OLD_ROUNDS < ours) return { result: "ignore", reason: `vote for old round ${round}` };
    this.fetchUnknown(peer, vote.target);
    this.voter?.importVote(round, vote, peer);
    return { result: "accept" };
  }

  /** Asks `peer` for a voted-for block we lack (above our finalized block). */
  private fetchUnknown(peer: string, target: BlockRef): void {
    if (target.number > this.modules.chain.finalized().number) this.fetchMissing(target, peer);
  }

  private validateCommit(round: bigint, justification: Uint8Array, peer: string): GossipVerdict {
    let target: BlockRef;
    let precommits: SignedVote[];
    try {
      // the target is named by the justification itself; everything else is checked against it
      target = decodeGrandpaJustification(justification).commit.target;
      const verdict = verifyJustification(justification, target, { setId: this.setId, authorities: this.authorities });
      if (!verdict.ok) return { result: "reject", reason: `invalid commit: ${verdict.reason}` };
      if (verdict.justification.round !== round) return { result: "reject", reason: `commit says round ${round}, its justification round ${verdict.justification.round}` };
      precommits = verdict.justification.commit.precommits;
    } catch (e) {
      return { result: "reject", reason: `commit does not decode: ${(e as Error).message}` };
    }
    if (target.number <= this.modules.chain.finalized().number) return { result: "ignore", reason: `commit for #${target.number}, already finalized` };
    this.fetchUnknown(peer, target);
    void this.applyCommit(round, justification, target, precommits);
    return { result: "accept" };
  }

  /** Finalizes a verified commit's target (held until the block is imported). */
  private async applyCommit(round: bigint, justification: Uint8Array, target: BlockRef, precommits: SignedVote[]): Promise<void> {
    if (target.number <= this.modules.chain.finalized().number) return;
    if (!this.modules.chain.has(target.hash)) {
      if (this.pendingCommits.length >= MAX_PENDING_COMMITS) this.pendingCommits.shift();
      this.pendingCommits.push({ round, justification, target, precommits });
      return;
    }
    try {
      await this.applyFinality(target, justification);
      this.voter?.importCommit(round, precommits, target);
    } catch (e) {
      this.log.debug({ err: e, number: target.number }, "Could not apply a commit");
    }
  }

  // ------------------------------------------------------------------ catch-up

  private async requestCatchUp(peer: string | undefined, round: bigint): Promise<void> {
    let answer: { peer: string; response: Uint8Array };
    try {
      answer = await this.modules.network.requestCatchUp(peer, CatchUpRequestCodec.encode({ round, setId: this.setId }));
    } catch (e) {
      this.log.debug({ err: e, peer }, "Catch-up request failed");
      return;
    }
    let catchUp: CatchUp | null;
    try {
      catchUp = decodeCatchUpResponse(answer.response);
    } catch (e) {
      this.modules.network.penalize(answer.peer, `undecodable catch-up: ${(e as Error).message}`);
      return;
    }
    if (!catchUp) return;
    // honest peers answer with votes of the set's authorities, correctly signed, for our set
    if (!this.verifyCatchUp(catchUp)) {
      this.log.debug({ peer: answer.peer }, "Peer sent an invalid catch-up");
      this.modules.network.penalize(answer.peer, "catch-up with votes that are not valid votes of the authority set");
      return;
    }
    for (const v of [...catchUp.prevotes, ...catchUp.precommits]) this.fetchUnknown(answer.peer, v.target);
    try {
      this.voter?.importCatchUp(catchUp);
    } catch (e) {
      this.log.debug({ err: e, peer: answer.peer }, "Could not import a catch-up");
    }
  }

  private verifyCatchUp(c: CatchUp): boolean {
    if (c.setId !== this.setId) return false;
    for (const v of [...c.prevotes, ...c.precommits]) {
      if (!this.isAuthority(v.id)) return false;
      if (!verifyFinality(v.id, localizedPayload(c.round, this.setId, v.kind, v.target), v.signature)) return false;
    }
    return true;
  }

  /** Answers a peer's catch-up request with our last completed round, when it is ahead of theirs. */
  handleCatchUpRequest(request: Uint8Array): Uint8Array {
    const r = CatchUpRequestCodec.decode(request);
    if (r.setId !== this.setId || !this.voter) return encodeCatchUpResponse(null);
    return encodeCatchUpResponse(this.voter.catchUpFor(r.round));
  }

  debugState(): Record<string, unknown> | undefined {
    return this.voter?.debugState();
  }

  /** `grandpa_roundState`. */
  roundState(): { setId: bigint; round?: ReturnType<Voter["roundState"]> } {
    return { setId: this.setId, round: this.voter?.roundState() };
  }
}
