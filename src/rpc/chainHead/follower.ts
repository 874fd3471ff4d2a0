/**
 * One chainHead_v1_follow subscription: the events it sends (initialized, newBlock,
 * bestBlockChanged, finalized, stop), the blocks it keeps pinned, and the operations run against
 * them (body, call, storage with waitForContinue paging).
 *
 * Pinning: a pinned block stays readable until this subscription unpins it, even after finality
 * pruned its branch and deleted it from the database. The follower keeps the header and body of
 * each pinned non-finalized block in memory (the very arrays the import produced, shared by every
 * follower), and drops the body once the block is finalized (the database keeps finalized blocks
 * forever). State stays readable through the header's state root: trie nodes are never deleted.
 * So no chain hook is needed, at the cost of holding non-finalized bodies while they are pinned.
 *
 * Limits (see ChainHeadOptions): operations in flight; pinned blocks that have left the
 * non-finalized tree (finalized ancestors of the current finalized block, and pruned blocks) — the
 * blocks a client is expected to unpin, as the spec suggests limiting; and a connection whose
 * unsent output grows past a bound. Exceeding the last two ends the subscription with `stop`.
 */
import type { HeadInfo, ImportedBlock, NewBest, FinalityStep } from "../../chain/blockchain/blockchain.js";
import { TrieState } from "../../chain/blockchain/blockchain.js";
import { encodeHeader } from "../../chain/codec/block.js";
import type { Header } from "../../chain/codec/types.js";
import { executeRuntimeApi } from "../../chain/runtime/api/index.js";
import { toHex } from "../../util/bytes.js";
import { afterReply, type AfterReply, type SubscriptionSink } from "../registry.js";
import { headerRuntimeContext } from "../runtimeCalls.js";
import type { RpcServices } from "../methods/services.js";
import { invalidBlock, invalidContinue, invalidDuplicateHashes, invalidRuntimeCall } from "./errors.js";
import { OperationSlots, type Operation } from "./operations.js";
import { nativeRuntimeCode, withRuntimeCode } from "./runtimeCode.js";
import { runtimeEventJson } from "./runtimeSpec.js";
import { StorageQueryCursor, type StorageQuery, type StorageSource } from "./storageQuery.js";

export interface ChainHeadOptions {
  /** chainHead_v1_follow subscriptions per connection; the spec requires at least 2 (Substrate: 4) */
  maxFollowSubscriptionsPerConnection: number;
  /** operations in flight per subscription; the spec requires at least 16 */
  maxOperationsPerSubscription: number;
  /** pinned blocks outside the non-finalized tree before the subscription gets `stop` */
  maxStalePinnedBlocks: number;
  /** finalized blocks reported (and pinned) by `initialized`, the current one last */
  initialFinalizedBlocks: number;
  /** storage items sent before an `operationWaitingForContinue` */
  storagePageItems: number;
  /** about this many bytes of hex per `operationStorageItems` page */
  storagePageBytes: number;
  /** a connection with more unsent output than this gets `stop` instead of more events */
  maxBufferedBytes: number;
}

export const CHAIN_HEAD_DEFAULTS: ChainHeadOptions = {
  maxFollowSubscriptionsPerConnection: 4,
  maxOperationsPerSubscription: 16,
  maxStalePinnedBlocks: 128,
  // "about one minute of finalized blocks" at Subtensor's 12 s blocks
  initialFinalizedBlocks: 5,
  storagePageItems: 1000,
  storagePageBytes: 1024 * 1024,
  maxBufferedBytes: 16 * 1024 * 1024,
};

interface PinnedBlock {
  hash: Uint8Array;
  header: Header;
  /** held while the block may be pruned; undefined once finalized (read from the database) */
  body: Uint8Array[] | undefined;
}

type MethodResponse = { result: "limitReached" } | AfterReply;
const LIMIT_REACHED = { result: "limitReached" } as const;

export class Follower {
  private readonly pinned = new Map<string, PinnedBlock>();
  /** the current finalized block and the non-finalized blocks reported so far */
  private readonly live = new Set<string>();
  private finalizedHex = "";
  private readonly ops: OperationSlots;
  private stopped = false;
  private readonly listeners: Array<() => void> = [];

  constructor(
    private readonly services: RpcServices,
    private readonly sink: SubscriptionSink,
    readonly withRuntime: boolean,
    private readonly opts: ChainHeadOptions,
  ) {
    this.ops = new OperationSlots(opts.maxOperationsPerSubscription);
  }

  get id(): string {
    return this.sink.id;
  }

  /** Reports the current chain (initialized, a newBlock per non-finalized block, the best block), then follows it. */
  start(): void {
    const { chain } = this.services;
    const finalized = chain.finalized;
    const hashes: string[] = [];
    for (let n = Math.max(0, finalized.number - this.opts.initialFinalizedBlocks + 1); n <= finalized.number; n++) {
      const hash = n === finalized.number ? finalized.hash : chain.hashAt(n);
      const header = hash && chain.header(hash);
      if (!hash || !header) continue;
      this.pin(hash, header, undefined);
      hashes.push(toHex(hash));
    }
    this.finalizedHex = toHex(finalized.hash);
    this.live.add(this.finalizedHex);
    this.send({ event: "initialized", finalizedBlockHashes: hashes, ...(this.withRuntime ? { finalizedBlockRuntime: runtimeEventJson(this.services.runtime) } : {}) });

    for (const block of this.nonFinalizedBlocks(finalized)) this.reportNewBlock(block.hash, block.header, chain.body(block.hash));
    this.send({ event: "bestBlockChanged", bestBlockHash: toHex(chain.best.hash) });

    const onImported = (b: ImportedBlock): void => this.onImported(b);
    const onNewBest = (c: NewBest): void => this.onNewBest(c);
    const onFinalized = (h: HeadInfo, step: FinalityStep): void => this.onFinalized(h, step);
    chain.on("imported", onImported);
    chain.on("newBest", onNewBest);
    chain.on("finalized", onFinalized);
    this.listeners.push(
      () => chain.off("imported", onImported),
      () => chain.off("newBest", onNewBest),
      () => chain.off("finalized", onFinalized),
    );
  }

  /** Stops following (unfollow, `stop`, closed connection): no more events, pins and operations dropped. */
  dispose(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const off of this.listeners.splice(0)) off();
    this.ops.clear();
    this.pinned.clear();
    this.live.clear();
  }

  // ------------------------------------------------------------------------------------ events

  /** Every non-finalized block, each after its parent (by height; the tree walked from its leaves). */
  private nonFinalizedBlocks(finalized: HeadInfo): HeadInfo[] {
    const { chain } = this.services;
    const found = new Map<string, HeadInfo>();
    for (const leaf of chain.leaves()) {
      let block: HeadInfo | undefined = leaf;
      while (block && block.number > finalized.number && !found.has(toHex(block.hash))) {
        found.set(toHex(block.hash), block);
        const parent: Uint8Array = block.header.parentHash;
        const header = chain.header(parent);
        block = header && { hash: parent, number: header.number, header };
      }
    }
    return [...found.values()].sort((a, b) => a.number - b.number);
  }

  private reportNewBlock(hash: Uint8Array, header: Header, body: Uint8Array[] | undefined): void {
    const hex = toHex(hash);
    this.pin(hash, header, body);
    this.live.add(hex);
    this.send({ event: "newBlock", blockHash: hex, parentBlockHash: toHex(header.parentHash), ...(this.withRuntime ? { newRuntime: null } : {}) });
  }

  private onImported(b: ImportedBlock): void {
    if (this.stopped) return;
    // a block whose parent we never reported would leave a gap in what the client knows
    if (!this.live.has(toHex(b.header.parentHash))) return this.terminate();
    this.reportNewBlock(b.hash, b.header, b.extrinsics);
  }

  private onNewBest(c: NewBest): void {
    if (this.stopped) return;
    const hex = toHex(c.best.hash);
    if (this.live.has(hex)) this.send({ event: "bestBlockChanged", bestBlockHash: hex });
  }

  private onFinalized(_head: HeadInfo, step: FinalityStep): void {
    if (this.stopped) return;
    const finalized = step.finalized.map((b) => toHex(b.hash)).filter((h) => this.live.has(h));
    const pruned = step.pruned.map((h) => toHex(h)).filter((h) => this.live.has(h));
    if (finalized.length === 0) return;
    this.live.delete(this.finalizedHex);
    for (const h of finalized) {
      this.live.delete(h);
      const p = this.pinned.get(h);
      if (p) p.body = undefined; // finalized blocks stay in the database
    }
    for (const h of pruned) this.live.delete(h);
    this.finalizedHex = finalized[finalized.length - 1];
    this.live.add(this.finalizedHex);
    this.send({ event: "finalized", finalizedBlockHashes: finalized, prunedBlockHashes: pruned });
    if (this.stalePins() > this.opts.maxStalePinnedBlocks) this.terminate();
  }

  /** Pinned blocks the client should have unpinned by now: neither non-finalized nor the current finalized block. */
  private stalePins(): number {
    let n = 0;
    for (const h of this.pinned.keys()) if (!this.live.has(h)) n++;
    return n;
  }

  /** Sends an event, or `stop` instead when the client does not keep up with what it was sent. */
  private send(event: Record<string, unknown>): void {
    if (this.stopped) return;
    if (this.sink.bufferedBytes > this.opts.maxBufferedBytes) return this.terminate();
    this.sink.emit(event);
  }

  /** The server ends the subscription: `stop`, then no more events (the spec's only way to give up). */
  terminate(): void {
    if (this.stopped) return;
    this.sink.emit({ event: "stop" });
    this.dispose();
    this.sink.close();
  }

  // ------------------------------------------------------------------------------------ pins

  private pin(hash: Uint8Array, header: Header, body: Uint8Array[] | undefined): void {
    this.pinned.set(toHex(hash), { hash, header, body });
  }

  /** A block this subscription reported and still pins; -32801 otherwise. */
  private pinnedBlock(hash: Uint8Array): PinnedBlock {
    const p = this.pinned.get(toHex(hash));
    if (!p) throw invalidBlock();
    return p;
  }

  header(hash: Uint8Array): string {
    return toHex(encodeHeader(this.pinnedBlock(hash).header));
  }

  /** Unpins every hash, or none: -32804 for a repeated hash, -32801 for one not pinned. */
  unpin(hashes: Uint8Array[]): void {
    const hexes = hashes.map((h) => toHex(h));
    if (new Set(hexes).size !== hexes.length) throw invalidDuplicateHashes();
    for (const h of hexes) if (!this.pinned.has(h)) throw invalidBlock();
    for (const h of hexes) this.pinned.delete(h);
  }

  // ------------------------------------------------------------------------------------ operations

  body(hash: Uint8Array): MethodResponse {
    const block = this.pinnedBlock(hash);
    const op = this.ops.start(1);
    if (!op) return LIMIT_REACHED;
    // captured now: the operation completes even if the block is unpinned meanwhile
    const held = block.body;
    return afterReply({ result: "started", operationId: op.id }, () => {
      if (!this.ops.finish(op)) return;
      const body = held ?? this.services.chain.body(block.hash);
      if (!body) this.send({ event: "operationInaccessible", operationId: op.id });
      else this.send({ event: "operationBodyDone", operationId: op.id, value: body.map((e) => toHex(e)) });
    });
  }

  call(hash: Uint8Array, fn: string, params: Uint8Array): MethodResponse {
    const block = this.pinnedBlock(hash);
    if (!this.withRuntime) throw invalidRuntimeCall();
    const op = this.ops.start(1);
    if (!op) return LIMIT_REACHED;
    return afterReply({ result: "started", operationId: op.id }, () => {
      if (!this.ops.finish(op)) return;
      let output: Uint8Array;
      try {
        output = executeRuntimeApi(headerRuntimeContext(this.services, block.hash, block.header), fn, params);
      } catch (e) {
        this.send({ event: "operationError", operationId: op.id, error: (e as Error).message });
        return;
      }
      this.send({ event: "operationCallDone", operationId: op.id, output: toHex(output) });
    });
  }

  storage(hash: Uint8Array, items: StorageQuery[], childTrie: Uint8Array | undefined): MethodResponse {
    const block = this.pinnedBlock(hash);
    const op = this.ops.start(items.length);
    if (!op) return LIMIT_REACHED;
    const accepted = items.slice(0, op.slots);
    const cursor = new StorageQueryCursor(this.storageSource(block, childTrie), accepted);
    return afterReply({ result: "started", operationId: op.id, discardedItems: items.length - accepted.length }, () => this.storagePage(op, cursor));
  }

  /** Sends one page of a storage operation; then done, or waiting for chainHead_v1_continue. */
  private storagePage(op: Operation, cursor: StorageQueryCursor): void {
    if (!this.ops.isActive(op)) return;
    let page: ReturnType<StorageQueryCursor["next"]>;
    try {
      page = cursor.next(this.opts.storagePageItems, this.opts.storagePageBytes);
    } catch (e) {
      this.ops.finish(op);
      this.send({ event: "operationError", operationId: op.id, error: (e as Error).message });
      return;
    }
    if (page.items.length > 0) this.send({ event: "operationStorageItems", operationId: op.id, items: page.items });
    if (page.done) {
      this.ops.finish(op);
      this.send({ event: "operationStorageDone", operationId: op.id });
    } else {
      op.resume = () => this.storagePage(op, cursor);
      this.send({ event: "operationWaitingForContinue", operationId: op.id });
    }
  }

  /**
   * The main trie of the block (with the stand-in `:code`, see runtimeCode.ts); a child trie has no entries on this chain (no pallet writes
   * `:child_storage:` keys), so a childTrie query finds nothing.
   */
  private storageSource(block: PinnedBlock, childTrie: Uint8Array | undefined): StorageSource {
    const { trie } = this.services.chain;
    const root = block.header.stateRoot;
    if (childTrie !== undefined) {
      return { state: { get: () => undefined, keys: () => [] }, closestDescendantMerkleValue: () => undefined };
    }
    const state = withRuntimeCode(new TrieState(trie, root), nativeRuntimeCode(this.services));
    return { state, closestDescendantMerkleValue: (key) => trie.closestDescendantMerkleValue(root, key) };
  }

  /** chainHead_v1_continue: resumes a storage operation waiting for it; -32803 if it is not. */
  continueOperation(id: string): AfterReply | null {
    const op = this.ops.get(id);
    if (!op) return null; // unknown or finished: no effect
    const resume = op.resume;
    if (!resume) throw invalidContinue();
    op.resume = undefined;
    return afterReply(null, resume);
  }

  stopOperation(id: string): void {
    const op = this.ops.get(id);
    if (op) this.ops.finish(op);
  }
}
