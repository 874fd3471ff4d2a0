/**
 * Catching up with peers. Range sync: while a peer's best block is above ours, ask it for blocks
 * by number (128 per request, the next request in flight while the current batch imports) and
 * import them through the import queue with origin "sync from P", justifications included; when
 * the first block does not connect (we are on another branch), start again from our finalized
 * block. Ancestor fetch: a gossiped block with an unknown parent makes us walk back from that
 * parent, by hash, at the peer that sent it. Everything is verified by the chain; failures
 * penalize the peer that served the blocks.
 */
import { EventEmitter } from "node:events";
import type { Logger } from "../util/logger.js";
import type { Blockchain } from "../chain/blockchain/blockchain.js";
import type { ImportQueue } from "../chain/blockchain/importQueue.js";
import { originPeer, type BlockOrigin } from "../chain/blockchain/origin.js";
import { headerHash, type Block } from "../chain/codec/block.js";
import { bytesEqual, toHex } from "../util/bytes.js";
import { FIELD_BODY, FIELD_HEADER, FIELD_JUSTIFICATION, type BlockData, type BlockRequest } from "./messages.js";
import type { PeerAction } from "./peerScore.js";
import { judgeImportError } from "./penalties.js";
import { LIMITS } from "./protocols.js";

export interface SyncPeer {
  id: string;
  bestNumber: number;
  bestHash: Uint8Array;
}

export interface SyncNetwork {
  peers(): SyncPeer[];
  requestBlocks(peer: string, request: BlockRequest): Promise<BlockData[]>;
  penalize(peer: string, action: PeerAction, reason: string): void;
  /** a peer served nothing useful: its advertised best is not what it has */
  lowerBest(peer: string, number: number): void;
}

export interface SyncState {
  startingBlock: number;
  currentBlock: number;
  highestBlock: number;
}

export interface SyncEvents {
  /** sync started or finished */
  syncing: [boolean];
}

/** Substrate's MAJOR_SYNC_BLOCKS: further behind than this, the node is "major syncing". */
export const MAJOR_SYNC_BLOCKS = 5;

const ALL_FIELDS = FIELD_HEADER | FIELD_BODY | FIELD_JUSTIFICATION;

export class Sync extends EventEmitter<SyncEvents> {
  private running = false;
  private wakeUp?: () => void;
  private loopDone?: Promise<void>;
  private syncing = false;
  private startingBlock = 0;
  private highestSeen = 0;
  private readonly fetchingAncestors = new Set<string>();
  /** peers whose last range request failed, with when to try them again */
  private readonly backoff = new Map<string, number>();

  constructor(
    private readonly modules: { chain: Blockchain; queue: ImportQueue; network: SyncNetwork; logger: Logger; now?: () => number },
  ) {
    super();
  }

  private now(): number {
    return (this.modules.now ?? Date.now)();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.startingBlock = this.modules.chain.best.number;
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loopDone;
  }

  /** Peers changed (a status, a gossiped block): maybe there is something to fetch. */
  wake(): void {
    this.wakeUp?.();
  }

  get isMajorSyncing(): boolean {
    return this.syncing && this.highest() - this.modules.chain.best.number > MAJOR_SYNC_BLOCKS;
  }

  get isSyncing(): boolean {
    return this.syncing;
  }

  private highest(): number {
    let h = this.modules.chain.best.number;
    for (const p of this.modules.network.peers()) h = Math.max(h, p.bestNumber);
    return h;
  }

  state(): SyncState {
    const current = this.modules.chain.best.number;
    this.highestSeen = Math.max(this.highestSeen, this.highest(), current);
    return { startingBlock: this.startingBlock, currentBlock: current, highestBlock: this.highestSeen };
  }

  private setSyncing(on: boolean): void {
    if (on === this.syncing) return;
    this.syncing = on;
    if (on) this.startingBlock = this.modules.chain.best.number;
    this.modules.logger.info({ best: this.modules.chain.best.number, highest: this.highest() }, on ? "Syncing with peers" : "Synced with peers");
    this.emit("syncing", on);
  }

  private target(): SyncPeer | undefined {
    const ours = this.modules.chain.best.number;
    const now = this.now();
    let best: SyncPeer | undefined;
    for (const p of this.modules.network.peers()) {
      if ((this.backoff.get(p.id) ?? 0) > now) continue;
      if (p.bestNumber > ours && (!best || p.bestNumber > best.bestNumber)) best = p;
    }
    return best;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const peer = this.target();
      if (!peer) {
        this.setSyncing(false);
        await new Promise<void>((resolve) => {
          this.wakeUp = resolve;
          // backed-off peers become eligible again without an event
          setTimeout(resolve, 1000).unref();
        });
        this.wakeUp = undefined;
        continue;
      }
      this.setSyncing(true);
      try {
        await this.syncFrom(peer);
      } catch (e) {
        this.modules.logger.debug({ err: e, peer: peer.id }, "Range sync from peer failed");
        this.backoff.set(peer.id, this.now() + 2000);
      }
    }
  }

  private request(peer: string, from: number): Promise<BlockData[]> {
    return this.modules.network.requestBlocks(peer, { from: { tag: "Number", value: from }, direction: "Ascending", max: LIMITS.maxBlocksPerResponse, fields: ALL_FIELDS });
  }

  /** Range sync from one peer until we reach its best block or something fails. */
  private async syncFrom(peer: SyncPeer): Promise<void> {
    const { chain, queue, network } = this.modules;
    let from = chain.best.number + 1;
    let restarted = false;
    let next = this.request(peer.id, from);
    for (;;) {
      const data = await next;
      const blocks = this.toBlocks(peer.id, data, "Ascending");
      if (!blocks) return;
      if (blocks.length === 0) {
        network.lowerBest(peer.id, from - 1);
        return;
      }
      const first = blocks[0].block.header;
      if (!chain.has(first.parentHash) && !queue.knows(first.parentHash)) {
        if (!restarted && from > chain.finalized.number + 1) {
          // we are on another branch: fetch the peer's chain from our finalized block on
          restarted = true;
          from = chain.finalized.number + 1;
          next = this.request(peer.id, from);
          continue;
        }
        network.penalize(peer.id, "fatal", `its chain does not connect to our finalized block #${chain.finalized.number}`);
        return;
      }
      const last = blocks[blocks.length - 1].block.header.number;
      const more = last < peer.bestNumber;
      if (more) next = this.request(peer.id, last + 1);
      for (const { block, justifications } of blocks) {
        try {
          await queue.import(block, { kind: "sync", peer: peer.id }, justifications ?? undefined);
        } catch (e) {
          // the queue reports the failure (and the network penalizes); stop trusting this batch
          if (judgeImportError(e).verdict === "reject") return;
          if (more) next.catch(() => undefined);
          return;
        }
      }
      if (!more) return;
    }
  }

  /**
   * Checks a response's shape: every block has a header and a body, hashes match, blocks link up
   * in the requested direction. A malformed response penalizes the peer and yields undefined.
   */
  private toBlocks(peer: string, data: BlockData[], direction: BlockRequest["direction"]): Array<{ block: Block; justifications: Uint8Array | null }> | undefined {
    const out: Array<{ block: Block; justifications: Uint8Array | null }> = [];
    for (const d of data) {
      if (!d.header || !d.body || !bytesEqual(headerHash(d.header), d.hash)) {
        this.modules.network.penalize(peer, "fatal", "sync response with a missing header or body, or a wrong hash");
        return undefined;
      }
      const prev = out[out.length - 1];
      if (prev) {
        const linked =
          direction === "Ascending"
            ? d.header.number === prev.block.header.number + 1 && bytesEqual(d.header.parentHash, headerHash(prev.block.header))
            : d.header.number + 1 === prev.block.header.number && bytesEqual(prev.block.header.parentHash, d.hash);
        if (!linked) {
          this.modules.network.penalize(peer, "fatal", "sync response whose blocks do not form a chain");
          return undefined;
        }
      }
      out.push({ block: { header: d.header, extrinsics: d.body }, justifications: d.justifications });
    }
    return out;
  }

  /** A gossiped block's parent is unknown: walk back from it at the peer that sent the block. */
  onUnknownParent(e: { parentHash: Uint8Array; origin: BlockOrigin }): void {
    const peer = originPeer(e.origin);
    const key = toHex(e.parentHash);
    if (!peer || this.fetchingAncestors.has(key) || this.fetchingAncestors.size >= 8) return;
    this.fetchingAncestors.add(key);
    void this.fetchAncestors(peer, e.parentHash).finally(() => this.fetchingAncestors.delete(key));
  }

  private async fetchAncestors(peer: string, hash: Uint8Array): Promise<void> {
    const { chain, queue, network } = this.modules;
    try {
      const data = await network.requestBlocks(peer, { from: { tag: "Hash", value: hash }, direction: "Descending", max: LIMITS.maxBlocksPerResponse, fields: ALL_FIELDS });
      const blocks = this.toBlocks(peer, data, "Descending");
      if (!blocks || blocks.length === 0) return;
      if (!bytesEqual(headerHash(blocks[0].block.header), hash)) {
        network.penalize(peer, "lowTolerance", "answered an ancestor request with another block");
        return;
      }
      // import oldest first, from the first block we lack (a short chain is served down to
      // genesis, whose parent nobody has); if that one still does not connect, range sync takes over
      const ascending = blocks.reverse();
      while (ascending.length && chain.has(headerHash(ascending[0].block.header))) ascending.shift();
      if (ascending.length === 0) return;
      if (!chain.has(ascending[0].block.header.parentHash) && !queue.knows(ascending[0].block.header.parentHash)) {
        this.wake();
        return;
      }
      for (const { block, justifications } of ascending) {
        await queue.import(block, { kind: "sync", peer }, justifications ?? undefined);
      }
    } catch (e) {
      this.modules.logger.debug({ err: e, peer }, "Fetching ancestors failed");
    }
  }
}
