/**
 * The slot worker: wakes at each slot boundary, and when this node's key is the slot's Aura
 * author, builds a block from the pool (timestamp inherent first), seals it and commits it.
 * With a single authority its own finality vote makes each block final at once.
 */
import { performance } from "node:perf_hooks";
import type { KeyringPair } from "@polkadot/keyring/types";
import type { Blockchain } from "../blockchain/blockchain.js";
import type { TxPool } from "../txpool/txpool.js";
import type { Logger } from "../../util/logger.js";
import { encodeUnsignedExtrinsic } from "../codec/extrinsic.js";
import { headerHash } from "../codec/block.js";
import { headerSlot, preDigest, sealDigest, slotAt, slotAuthor } from "../../consensus/aura.js";
import { FINALITY_ENGINE_ID, JustificationsCodec, encodeJustification, finalityThreshold, voteMessage } from "../../consensus/finality.js";
import { bytesEqual, toHex } from "../../util/bytes.js";

export interface BlockAuthorOptions {
  slotDurationMs: number;
  /** sr25519 key that seals blocks (the Aura key) */
  sealKey: KeyringPair;
  /** ed25519 key that signs finality votes */
  voteKey: KeyringPair;
  authorities: Uint8Array[];
  /** cap on extrinsic bytes per block (Substrate's 5 MiB normal-class share of the block length) */
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

  get isAuthority(): boolean {
    return this.opts.authorities.some((a) => bytesEqual(a, this.opts.sealKey.publicKey));
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
    const author = slotAuthor(slot, this.opts.authorities);
    if (!bytesEqual(author, this.opts.sealKey.publicKey)) return;
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
    if (parent.number > 0 && headerSlot(parent.header) >= slot) {
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
    const justification = this.ownJustification(hash, number);
    await chain.commitOwn({ ...executed, header }, justification);
    logger.debug({ number, hash: toHex(hash), txs: executed.extrinsics.length - 1, pool: pool.size }, "Authored block");
    return hash;
  }

  private selectTransactions(): Uint8Array[] {
    const maxBytes = this.opts.maxBlockBytes ?? 5 * 1024 * 1024;
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

  /** With one authority, our own vote is enough to finalize; otherwise votes come from the network. */
  private ownJustification(hash: Uint8Array, number: number): Uint8Array | undefined {
    if (finalityThreshold(this.opts.authorities.length) > 1) return undefined;
    const vote = { authority: this.opts.voteKey.publicKey, signature: this.opts.voteKey.sign(voteMessage(hash, number)) };
    return JustificationsCodec.encode([[FINALITY_ENGINE_ID, encodeJustification({ blockHash: hash, number, votes: [vote] })]]);
  }
}
