/**
 * The transaction pool: validates submissions against the best state, keeps per-sender nonce
 * queues (ready = next nonces in sequence, future = gaps), replaces by higher tip, bounds its size,
 * and reports each transaction's status (the author_extrinsicUpdate notifications).
 */
import { EventEmitter } from "node:events";
import type { Extrinsic } from "../codec/extrinsic.js";
import type { Blockchain, HeadInfo, NewBest, FinalityStep } from "../blockchain/blockchain.js";
import { checkTransaction, signatureJob } from "../runtime/executive.js";
import { TransactionValidityError, invalid } from "../runtime/validity.js";
import type { SignatureJob } from "../signatures/types.js";
import { fromHex, toHex } from "../../util/bytes.js";
import { Account } from "../runtime/pallets/system.js";
import type { StateReader } from "../state/types.js";
import type { Logger } from "../../util/logger.js";
import { NodeError } from "../../util/errors.js";
import { blake2_256 } from "../../util/hash.js";

/** Substrate's author RPC error kinds (codes 1001–1016), raised on submission. */
export type PoolErrorType =
  | { code: "BAD_FORMAT"; detail: string }
  | { code: "INVALID"; error: TransactionValidityError }
  | { code: "ALREADY_IMPORTED"; hash: string }
  | { code: "TOO_LOW_PRIORITY"; old: bigint; new: bigint }
  | { code: "IMMEDIATELY_DROPPED" };

export class PoolError extends NodeError<PoolErrorType> {}

export type TxStatus =
  | "ready"
  | "future"
  | { inBlock: string }
  | { finalized: string }
  | { usurped: string }
  | { retracted: string }
  | "dropped"
  | "invalid";

interface PoolTx {
  ext: Extrinsic;
  hashHex: string;
  sender: string;
  nonce: number;
  tip: bigint;
  /** tip, or the priority a pallet's validate hook assigned (Subtensor: stake-based for weights) */
  priority: bigint;
  /** arrival order: ties in priority go to the earlier transaction */
  seq: number;
  /** last block number at which it is still valid (era) */
  validTill: number;
}

export interface TxPoolOptions {
  maxCount?: number;
  maxBytes?: number;
}

/** Where a transaction came from: RPC (gossiped on), a peer (gossipsub forwards it), a reorg. */
export type TxSource = "local" | "external" | "reorg";

export interface TxPoolEvents {
  /** a transaction entered the pool */
  added: [{ bytes: Uint8Array; hash: Uint8Array; source: TxSource }];
  status: [hash: string, status: TxStatus];
}

export class TxPool extends EventEmitter<TxPoolEvents> {
  private readonly byHash = new Map<string, PoolTx>();
  /** sender hex → nonce → tx */
  private readonly bySender = new Map<string, Map<number, PoolTx>>();
  private seq = 0;
  private bytes = 0;
  private readonly maxCount: number;
  private readonly maxBytes: number;

  constructor(
    private readonly chain: Blockchain,
    private readonly verify: (job: SignatureJob) => boolean,
    private readonly log: Logger,
    opts: TxPoolOptions = {},
  ) {
    super();
    this.maxCount = opts.maxCount ?? 8192;
    this.maxBytes = opts.maxBytes ?? 20 * 1024 * 1024;
    chain.on("newBest", (change) => this.onNewBest(change));
    chain.on("finalized", (h, step) => this.onFinalized(h, step));
  }

  get size(): number {
    return this.byHash.size;
  }

  /** Validates and adds a transaction; returns its hash. Throws PoolError with Substrate's kinds. */
  submit(bytes: Uint8Array, source: TxSource = "local"): { hash: Uint8Array; status: "ready" | "future" } {
    let ext: Extrinsic;
    try {
      ext = this.chain.decode(bytes);
    } catch (e) {
      throw new PoolError({ code: "BAD_FORMAT", detail: (e as Error).message }, `Extrinsic has invalid format: ${(e as Error).message}`);
    }
    const hashHex = toHex(ext.hash);
    if (this.byHash.has(hashHex)) throw new PoolError({ code: "ALREADY_IMPORTED", hash: hashHex }, "Transaction Already Imported");
    if (this.chain.txLocation(ext.hash)) throw new PoolError({ code: "ALREADY_IMPORTED", hash: hashHex }, "Transaction Already Imported");
    const best = this.chain.best;
    const state = this.chain.bestState();
    const current = best.number + 1;
    let valid;
    try {
      if (!ext.signed) throw invalid("Call");
      valid = checkTransaction(this.chain.executive.runtime, state, ext, current, best.hash, this.chain.chainIdentity);
      if (!this.verify(signatureJob(state, ext, current, best.hash, this.chain.chainIdentity))) throw invalid("BadProof");
    } catch (e) {
      if (e instanceof TransactionValidityError) throw new PoolError({ code: "INVALID", error: e }, e.message);
      throw e;
    }
    const sender = toHex(valid.sender);
    const queue = this.bySender.get(sender) ?? new Map<number, PoolTx>();
    const existing = queue.get(valid.nonce);
    if (existing && existing.priority >= valid.priority) {
      throw new PoolError({ code: "TOO_LOW_PRIORITY", old: existing.priority, new: valid.priority }, `Priority is too low: (${existing.priority} vs ${valid.priority})`);
    }
    if (!existing && (this.byHash.size >= this.maxCount || this.bytes + bytes.length > this.maxBytes)) {
      throw new PoolError({ code: "IMMEDIATELY_DROPPED" }, "Immediately Dropped: the transaction couldn't enter the pool because of the limit");
    }
    const tx: PoolTx = { ext, hashHex, sender, nonce: valid.nonce, tip: valid.tip, priority: valid.priority, seq: this.seq++, validTill: current + valid.longevity - 1 };
    if (existing) {
      this.remove(existing);
      this.emit("status", existing.hashHex, { usurped: hashHex });
    }
    queue.set(valid.nonce, tx);
    this.bySender.set(sender, queue);
    this.byHash.set(hashHex, tx);
    this.bytes += bytes.length;
    const status = this.isReady(tx, valid.accountNonce) ? "ready" : "future";
    this.log.debug({ hash: hashHex, nonce: valid.nonce, status, source }, "Transaction added to the pool");
    this.emit("added", { bytes, hash: ext.hash, source });
    return { hash: ext.hash, status };
  }

  private isReady(tx: PoolTx, accountNonce: number): boolean {
    const queue = this.bySender.get(tx.sender)!;
    for (let n = accountNonce; n < tx.nonce; n++) if (!queue.has(n)) return false;
    return tx.nonce >= accountNonce;
  }

  private remove(tx: PoolTx): void {
    this.byHash.delete(tx.hashHex);
    this.bytes -= tx.ext.bytes.length;
    const queue = this.bySender.get(tx.sender);
    queue?.delete(tx.nonce);
    if (queue && queue.size === 0) this.bySender.delete(tx.sender);
  }

  /**
   * Removes transactions by hash (author_removeExtrinsic, Substrate's `remove_invalid`): each is
   * reported `invalid` to its watchers. Returns the hashes that were in the pool.
   */
  removeInvalid(hashes: Uint8Array[]): Uint8Array[] {
    const removed: Uint8Array[] = [];
    for (const hash of hashes) {
      const tx = this.byHash.get(toHex(hash));
      if (!tx) continue;
      this.remove(tx);
      this.emit("status", tx.hashHex, "invalid");
      removed.push(tx.ext.hash);
    }
    return removed;
  }

  /** The next nonce for an account: on-chain nonce plus its consecutive ready transactions. */
  nextNonce(accountId: Uint8Array, onChainNonce: number): number {
    const queue = this.bySender.get(toHex(accountId));
    let n = onChainNonce;
    while (queue?.has(n)) n++;
    return n;
  }

  /**
   * Ready transactions in block order: each sender's consecutive nonces from its on-chain nonce;
   * across senders the highest tip first, then arrival order. Deterministic for equal inputs.
   */
  ready(limit = Infinity): Extrinsic[] {
    const state = this.chain.bestState();
    const heads: PoolTx[][] = [];
    for (const [sender, queue] of this.bySender) {
      const accountNonce = nonceOf(this.chain, state, sender);
      const run: PoolTx[] = [];
      for (let n = accountNonce; queue.has(n); n++) run.push(queue.get(n)!);
      if (run.length) heads.push(run);
    }
    const out: Extrinsic[] = [];
    const cursor = heads.map(() => 0);
    while (out.length < limit) {
      let pick = -1;
      for (let i = 0; i < heads.length; i++) {
        const c = heads[i][cursor[i]];
        if (!c) continue;
        const p = pick >= 0 ? heads[pick][cursor[pick]] : undefined;
        if (!p || c.priority > p.priority || (c.priority === p.priority && c.seq < p.seq)) pick = i;
      }
      if (pick < 0) break;
      out.push(heads[pick][cursor[pick]++].ext);
    }
    return out;
  }

  pending(): Extrinsic[] {
    return [...this.byHash.values()].sort((a, b) => a.seq - b.seq).map((t) => t.ext);
  }

  private readonly inBlock = new Map<string, string>();

  /** Transactions of a block that joined the best chain leave the pool: they are in a block. */
  private onEnacted(hash: Uint8Array, extrinsics: Uint8Array[]): void {
    const blockHex = toHex(hash);
    for (const bytes of extrinsics) {
      const hex = toHex(blake2_256(bytes));
      const tx = this.byHash.get(hex);
      if (!tx) continue; // not ours to report (inherents, or never submitted here)
      this.remove(tx);
      // Bounded: without finality (several authorities, no votes yet) entries would pile up.
      if (this.inBlock.size >= 16_384) this.inBlock.delete(this.inBlock.keys().next().value!);
      this.inBlock.set(hex, blockHex);
      this.emit("status", hex, { inBlock: blockHex });
    }
  }

  /**
   * A new best chain: transactions of retracted blocks that the enacted ones do not contain go
   * back into the pool when still valid (a reorg must not lose them); then stale ones are dropped.
   */
  private onNewBest(change: NewBest): void {
    for (const b of change.enacted) this.onEnacted(b.hash, this.chain.body(b.hash) ?? []);
    if (change.retracted.length) {
      const enacted = new Set<string>();
      for (const b of change.enacted) for (const e of this.chain.body(b.hash) ?? []) enacted.add(toHex(blake2_256(e)));
      let readded = 0;
      for (const b of change.retracted) {
        for (const bytes of this.chain.body(b.hash) ?? []) {
          if (enacted.has(toHex(blake2_256(bytes)))) continue;
          try {
            const ext = this.chain.decode(bytes);
            if (!ext.signed) continue;
            this.submit(bytes, "reorg");
            this.emit("status", toHex(ext.hash), { retracted: toHex(b.hash) });
            readded++;
          } catch {
            // no longer valid on the new chain (its nonce was used there, …): dropped
          }
        }
      }
      if (readded) this.log.info({ readded }, "Re-added transactions of retracted blocks");
    }
    this.revalidate(change.best.number);
  }

  private onFinalized(_head: HeadInfo, step?: FinalityStep): void {
    for (const block of step?.finalized ?? [_head]) {
      const blockHex = toHex(block.hash);
      for (const [tx, b] of this.inBlock) {
        if (b !== blockHex) continue;
        this.emit("status", tx, { finalized: blockHex });
        this.inBlock.delete(tx);
      }
    }
  }

  /** Drops transactions made stale by the new best block (nonce used, era expired). */
  private revalidate(bestNumber: number): void {
    const state = this.chain.bestState();
    for (const [sender, queue] of [...this.bySender]) {
      const accountNonce = nonceOf(this.chain, state, sender);
      for (const tx of [...queue.values()]) {
        if (tx.nonce < accountNonce || tx.validTill <= bestNumber) {
          this.remove(tx);
          this.emit("status", tx.hashHex, tx.nonce < accountNonce ? "invalid" : "dropped");
        }
      }
    }
  }
}

function nonceOf(_chain: Blockchain, state: StateReader, senderHex: string): number {
  return Account.get(state, fromHex(senderHex)).nonce;
}
