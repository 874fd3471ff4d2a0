/**
 * The slot worker: wakes at each slot boundary, and when this node's key is the slot's Aura
 * author (authorities read from the best block's state), builds a block from the pool (timestamp
 * inherent first), seals it and commits it. It does not author while the node is catching up with
 * its peers (the sync oracle), as Substrate's slot worker does. Finality is the finality
 * service's job.
 */
import { performance } from "node:perf_hooks";
import type { KeyringPair } from "@polkadot/keyring/types";
import type { Blockchain } from "../blockchain/blockchain.js";
import type { TxPool } from "../txpool/txpool.js";
import type { Logger } from "../../util/logger.js";
import { encodeUnsignedExtrinsic } from "../codec/extrinsic.js";
import { headerHash } from "../codec/block.js";
import { headerSlot, preDigest, sealDigest, slotAt, slotAuthor } from "../../consensus/aura.js";
import { Authorities } from "../runtime/pallets/aura.js";
import { MAX_NORMAL_LENGTH } from "../runtime/limits.js";
import type { ImportedBlock } from "../blockchain/blockchain.js";
import { bytesEqual, toHex } from "../../util/bytes.js";

export interface BlockAuthorOptions {
  slotDurationMs: number;
  /** sr25519 key that seals blocks (the Aura key) */
  sealKey: KeyringPair;
  /** cap on extrinsic bytes per block (default: the normal class's share of the block length) */
  maxBlockBytes?: number;
  maxExtrinsics?: number;
}

/** What the proposer reports to metrics (implemented by src/metrics). */
export interface ProposerMetrics {
  blockConstructed(seconds: number, transactions: number): void;
}

export interface BlockAuthorModules {
  chain: Blockchain;
  pool: TxPool;
  logger: Logger;
  metrics?: ProposerMetrics;
  /** wall clock: slots are time-based by definition (never used inside the runtime) */
  now?: () => number;
  /** true while the node is far behind its peers: no authoring then */
  isMajorSyncing?: () => boolean;
  /** hands an authored block to the network (after it is committed) */
  announce?: (block: ImportedBlock) => void;
}

export class BlockAuthor {
  private timer?: NodeJS.Timeout;
  private running = false;
  private producing?: Promise<void>;
  private readonly now: () => number;

  constructor(
    private readonly opts: BlockAuthorOptions,
    private readonly modules: BlockAuthorModules,
  ) {
    this.now = modules.now ?? Date.now;
  }

  /** Aura authorities at the best block (consensus parameters are chain state). */
  private authorities(): Uint8Array[] {
    return Authorities.get(this.modules.chain.bestState());
  }

  get isAuthority(): boolean {
    return this.authorities().some((a) => bytesEqual(a, this.opts.sealKey.publicKey));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.producing;
  }

  private schedule(): void {
    if (!this.running) return;
    const d = this.opts.slotDurationMs;
    const delay = d - (this.now() % d);
    this.timer = setTimeout(() => {
      const slot = slotAt(this.now(), d);
      this.producing = this.onSlot(slot).finally(() => this.schedule());
    }, delay);
  }

  private async onSlot(slot: bigint): Promise<void> {
    if (!this.running) return;
    const authorities = this.authorities();
    if (authorities.length === 0) return;
    const author = slotAuthor(slot, authorities);
    if (!bytesEqual(author, this.opts.sealKey.publicKey)) return;
    if (this.modules.isMajorSyncing?.()) {
      this.modules.logger.debug({ slot: slot.toString() }, "Skipping our slot: the node is syncing");
      return;
    }
    try {
      await this.produceBlock(slot);
    } catch (e) {
      this.modules.logger.error({ err: e, slot: slot.toString() }, "Block production failed");
    }
  }

  /** Builds, seals and commits the block of `slot` on the current best block. */
  async produceBlock(slot: bigint): Promise<Uint8Array | undefined> {
    const { chain, pool, logger } = this.modules;
    const parent = chain.best;
    const parentSlot = headerSlot(parent.header);
    if (parentSlot !== undefined && parentSlot >= slot) {
      logger.debug({ slot: slot.toString() }, "Slot already has a block; skipping");
      return undefined;
    }
    const number = parent.number + 1;
    const started = performance.now();
    const timestamp = slot * BigInt(this.opts.slotDurationMs);
    const inherent = encodeUnsignedExtrinsic(chain.executive.runtime.callCodec.encode({ tag: "Timestamp", value: { tag: "set", value: { now: timestamp } } }));
    const candidates = this.selectTransactions();
    const executed = chain.execute(parent, { number, digest: [preDigest(slot)] }, [inherent, ...candidates], { build: true });
    for (const s of executed.skipped) logger.debug({ err: s.error }, "Skipped an invalid transaction");
    const signature = this.opts.sealKey.sign(headerHash(executed.header));
    const header = { ...executed.header, digest: { logs: [...executed.header.digest.logs, sealDigest(signature)] } };
    const hash = headerHash(header);
    const elapsedMs = performance.now() - started;
    this.modules.metrics?.blockConstructed(elapsedMs / 1000, executed.extrinsics.length - 1);
    // Substrate's proposer line, so operators see what each authored block holds
    const extrinsicHashes = executed.decoded.map((e) => toHex(e.hash));
    logger.info(
      { number, hash: toHex(hash), parentHash: toHex(parent.hash), extrinsics: extrinsicHashes.length, elapsedMs: Math.round(elapsedMs) },
      `Prepared block for proposing at ${number} (${Math.round(elapsedMs)} ms) [hash: ${toHex(hash)}; parent_hash: ${toHex(parent.hash)}; extrinsics (${extrinsicHashes.length}): [${extrinsicHashes.join(", ")}]]`,
    );
    const imported = await chain.commitOwn({ ...executed, header });
    logger.debug({ number, hash: toHex(hash), txs: executed.extrinsics.length - 1, pool: pool.size }, "Authored block");
    this.modules.announce?.(imported);
    return hash;
  }

  private selectTransactions(): Uint8Array[] {
    const maxBytes = this.opts.maxBlockBytes ?? MAX_NORMAL_LENGTH;
    const maxCount = this.opts.maxExtrinsics ?? 10_000;
    const out: Uint8Array[] = [];
    let bytes = 0;
    for (const ext of this.modules.pool.ready(maxCount)) {
      if (bytes + ext.bytes.length > maxBytes) break;
      bytes += ext.bytes.length;
      out.push(ext.bytes);
    }
    return out;
  }
}
