/**
 * An in-memory network of GRANDPA voters for tests: a shared block tree of which each voter knows
 * a subset (so views can differ and branches can compete), a message bus that can partition
 * voters, and a manual clock. Everything runs in one process with no sockets, deterministically.
 */
import { blake2_256 } from "../../src/util/hash.js";
import { bytesEqual, toHex } from "../../src/util/bytes.js";
import type { Header } from "../../src/chain/codec/types.js";
import type { BlockRef, GossipMessage } from "../../src/consensus/finality/messages.js";
import { decodeGrandpaJustification } from "../../src/consensus/finality/messages.js";
import { Voter, type PersistedVoterState, type Timers } from "../../src/consensus/finality/voter.js";
import { finalityKeyFromSuri, type FinalityKeyPair } from "../../src/consensus/finality/keys.js";
import { verifyJustification } from "../../src/consensus/finality/justification.js";
import { silentLogger } from "../../src/util/logger.js";
import { headerHash } from "../../src/chain/codec/block.js";

export class ManualClock implements Timers {
  now = 0;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.now + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Moves time forward, running due timers in order (and letting promises settle between them). */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.timers) if (e[1].at <= end && (!next || e[1].at < next[1].at)) next = e;
      if (!next) break;
      this.timers.delete(next[0]);
      this.now = next[1].at;
      next[1].fn();
      await settle();
    }
    this.now = end;
    await settle();
  }
}

/** Lets pending promise callbacks run (the voter persists asynchronously). */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}

interface SimBlock {
  header: Header;
  hash: Uint8Array;
}

/** A block tree: blocks are created once and then made known to voters one by one. */
export class SimTree {
  readonly blocks = new Map<string, SimBlock>();
  readonly genesis: SimBlock;

  constructor() {
    this.genesis = this.make(undefined, "genesis");
  }

  private make(parent: SimBlock | undefined, salt: string): SimBlock {
    const header: Header = {
      parentHash: parent?.hash ?? new Uint8Array(32),
      number: parent ? parent.header.number + 1 : 0,
      stateRoot: blake2_256(new TextEncoder().encode(salt)),
      extrinsicsRoot: new Uint8Array(32),
      digest: { logs: [] },
    };
    const b = { header, hash: headerHash(header) };
    this.blocks.set(toHex(b.hash), b);
    return b;
  }

  /** `n` new blocks on top of `parent`; the salt keeps branches distinct. */
  extend(parent: SimBlock, n: number, salt: string): SimBlock[] {
    const out: SimBlock[] = [];
    let p = parent;
    for (let i = 0; i < n; i++) {
      p = this.make(p, `${salt}-${i}-${toHex(p.hash)}`);
      out.push(p);
    }
    return out;
  }

  get(hash: Uint8Array): SimBlock | undefined {
    return this.blocks.get(toHex(hash));
  }

  isAncestor(a: BlockRef, b: BlockRef): boolean {
    let cur = this.get(b.hash);
    while (cur && cur.header.number > a.number) cur = this.get(cur.header.parentHash);
    return cur !== undefined && cur.header.number === a.number && bytesEqual(cur.hash, a.hash);
  }
}

export interface SimVoter {
  name: string;
  key: FinalityKeyPair;
  voter: Voter;
  known: Set<string>;
  finalized: BlockRef;
  /** every block this voter finalized, in order */
  finalizedLog: BlockRef[];
  justifications: Array<{ target: BlockRef; justification: Uint8Array }>;
  persisted?: PersistedVoterState;
  online: boolean;
  /** own votes it signed, to check it never signs two different ones in a round */
  signed: Map<string, string>;
}

export class SimNetwork {
  readonly clock = new ManualClock();
  readonly voters: SimVoter[] = [];
  /** voter names that cannot reach each other: groups[i] = group id */
  private groups = new Map<string, number>();
  readonly keys: FinalityKeyPair[];

  constructor(
    readonly tree: SimTree,
    names: string[],
    readonly gossipDurationMs = 100,
  ) {
    this.keys = names.map((n) => finalityKeyFromSuri(`//${n}`));
    names.forEach((name, i) => this.voters.push(this.createVoter(name, this.keys[i])));
  }

  get authorities(): Uint8Array[] {
    return this.keys.map((k) => k.publicKey);
  }

  private bestOf(v: SimVoter, base: BlockRef): BlockRef | undefined {
    if (!v.known.has(toHex(base.hash))) return undefined;
    let best: SimBlock | undefined;
    for (const key of v.known) {
      const b = this.tree.blocks.get(key)!;
      if (!this.tree.isAncestor(base, { hash: b.hash, number: b.header.number })) continue;
      if (!best || b.header.number > best.header.number || (b.header.number === best.header.number && toHex(b.hash) < toHex(best.hash))) best = b;
    }
    return best && { hash: best.hash, number: best.header.number };
  }

  private createVoter(name: string, key: FinalityKeyPair, restored?: PersistedVoterState, previous?: SimVoter): SimVoter {
    const genesis = this.tree.genesis;
    const sv: SimVoter = previous ?? {
      name,
      key,
      voter: undefined as unknown as Voter,
      known: new Set([toHex(genesis.hash)]),
      finalized: { hash: genesis.hash, number: 0 },
      finalizedLog: [],
      justifications: [],
      online: true,
      signed: new Map(),
    };
    sv.online = true;
    sv.voter = new Voter(
      { setId: 0n, voters: this.authorities, key, gossipDurationMs: this.gossipDurationMs },
      {
        chain: {
          ancestry: (base, block) => {
            if (!sv.known.has(toHex(block.hash))) return undefined;
            const out: Uint8Array[] = [];
            let cur = this.tree.get(block.hash);
            while (cur && cur.header.number > base.number) {
              out.push(cur.hash);
              cur = this.tree.get(cur.header.parentHash);
            }
            return cur && bytesEqual(cur.hash, base.hash) ? out : undefined;
          },
          bestChainContaining: (base) => this.bestOf(sv, base),
          header: (h) => (sv.known.has(toHex(h)) ? this.tree.get(h)?.header : undefined),
          finalized: () => sv.finalized,
        },
        finalize: async (target, _round, justification) => {
          if (target.number <= sv.finalized.number) return;
          sv.finalized = target;
          sv.finalizedLog.push(target);
          sv.justifications.push({ target, justification });
        },
        broadcast: (m) => this.broadcast(sv, m),
        requestCatchUp: (peer, round) => {
          if (process.env.SIM_DEBUG) console.log("catchup req", sv.name, String(peer), round, this.clock.now);
          const candidates = this.voters.filter((o) => o !== sv && o.online && this.reachable(sv, o));
          const other = peer === undefined ? candidates[Math.floor(this.clock.now / 7) % Math.max(1, candidates.length)] : this.voters.find((o) => o.name === peer);
          if (!other || !other.online || !this.reachable(sv, other)) return;
          const c = other.voter.catchUpFor(round);
          if (c) queueMicrotask(() => sv.online && sv.voter.importCatchUp(c));
        },
        persist: async (s) => {
          sv.persisted = JSON.parse(JSON.stringify(s));
        },
        timers: this.clock,
        logger: silentLogger(),
      },
      restored,
    );
    return sv;
  }

  private reachable(a: SimVoter, b: SimVoter): boolean {
    return (this.groups.get(a.name) ?? 0) === (this.groups.get(b.name) ?? 0);
  }

  private broadcast(from: SimVoter, m: GossipMessage): void {
    if (m.tag === "Vote") {
      const v = m.value.vote;
      const k = `${m.value.round}:${v.kind}`;
      const desc = `${v.target.number}:${toHex(v.target.hash)}`;
      const prev = from.signed.get(k);
      if (prev && prev !== desc) throw new Error(`${from.name} equivocated in round ${m.value.round} (${v.kind})`);
      from.signed.set(k, desc);
    }
    for (const to of this.voters) {
      if (to === from || !to.online || !this.reachable(from, to)) continue;
      queueMicrotask(() => {
        if (!to.online) return;
        if (m.tag === "Vote") to.voter.importVote(m.value.round, m.value.vote, from.name);
        else {
          const j = decodeGrandpaJustification(m.value.justification);
          const target = j.commit.target;
          if (target.number > to.finalized.number && to.known.has(toHex(target.hash))) {
            to.finalized = target;
            to.finalizedLog.push(target);
          }
          to.voter.importCommit(m.value.round, j.commit.precommits, target);
        }
      });
    }
  }

  /** Makes blocks known to some voters (all by default) and tells their voters. */
  reveal(blocks: SimBlock[], names?: string[]): void {
    for (const v of this.voters) {
      if (names && !names.includes(v.name)) continue;
      for (const b of blocks) v.known.add(toHex(b.hash));
      if (v.online) v.voter.onBlockImported();
    }
  }

  partition(groups: string[][]): void {
    this.groups = new Map();
    groups.forEach((g, i) => g.forEach((n) => this.groups.set(n, i)));
  }

  heal(): void {
    this.groups = new Map();
  }

  stop(name: string): void {
    const v = this.voter(name);
    v.online = false;
    v.voter.stop();
  }

  /** Restarts a voter from what it persisted (as a node restarting after a crash). */
  restart(name: string): void {
    const v = this.voter(name);
    this.createVoter(name, v.key, v.persisted, v);
    v.voter.start();
  }

  voter(name: string): SimVoter {
    return this.voters.find((v) => v.name === name)!;
  }

  start(): void {
    for (const v of this.voters) v.voter.start();
  }

  stopAll(): void {
    for (const v of this.voters) if (v.online) v.voter.stop();
  }

  /** No two finalized blocks anywhere conflict (the safety property). */
  assertSafety(): void {
    const all = this.voters.flatMap((v) => v.finalizedLog);
    for (const a of all) for (const b of all) {
      const [lo, hi] = a.number <= b.number ? [a, b] : [b, a];
      if (!this.tree.isAncestor(lo, hi)) throw new Error(`conflicting finality: #${lo.number} ${toHex(lo.hash)} and #${hi.number} ${toHex(hi.hash)}`);
    }
  }

  /** Every justification a voter produced verifies against the authority set. */
  assertJustificationsVerify(): void {
    for (const v of this.voters) {
      for (const j of v.justifications) {
        const verdict = verifyJustification(j.justification, j.target, { setId: 0n, authorities: this.authorities });
        if (!verdict.ok) throw new Error(`${v.name}'s justification of #${j.target.number} does not verify: ${verdict.reason}`);
      }
    }
  }
}
