/**
 * The one way blocks from outside enter the chain (Lodestar's BlockProcessor shape): a bounded
 * queue with in-flight deduplication, every job carrying its origin. A block whose parent is
 * unknown is held (bounded) and announced with `unknownParent`, so the network can fetch its
 * ancestors from the peer that sent it; held blocks are imported once their parent is. Every
 * failure is reported with its origin (`failed`), so the network can penalize the right peer.
 */
import { EventEmitter } from "node:events";
import type { Block } from "../codec/block.js";
import { headerHash } from "../codec/block.js";
import { toHex } from "../../util/bytes.js";
import type { Logger } from "../../util/logger.js";
import type { Blockchain, ImportedBlock } from "./blockchain.js";
import { BlockImportError, FinalityError } from "./errors.js";
import type { BlockOrigin } from "./origin.js";

export type ImportOutcome = { status: "imported"; block: ImportedBlock } | { status: "known" } | { status: "held" };

export interface ImportQueueEvents {
  unknownParent: [{ hash: Uint8Array; number: number; parentHash: Uint8Array; origin: BlockOrigin }];
  failed: [{ hash: Uint8Array; origin: BlockOrigin; error: BlockImportError | FinalityError | Error }];
}

export interface ImportQueueOptions {
  /** blocks waiting for import at once (beyond that, new ones are refused with QUEUE_FULL) */
  maxQueued?: number;
  /** blocks held for an unknown parent */
  maxHeld?: number;
}

interface Held {
  block: Block;
  origin: BlockOrigin;
  justifications?: Uint8Array;
}

export class ImportQueue extends EventEmitter<ImportQueueEvents> {
  private readonly inFlight = new Map<string, Promise<ImportOutcome>>();
  /** parent hash → children waiting for it */
  private readonly held = new Map<string, Held[]>();
  private heldCount = 0;
  private readonly maxQueued: number;
  private readonly maxHeld: number;

  constructor(
    private readonly chain: Blockchain,
    private readonly log: Logger,
    o: ImportQueueOptions = {},
  ) {
    super();
    this.maxQueued = o.maxQueued ?? 1024;
    this.maxHeld = o.maxHeld ?? 256;
  }

  get queued(): number {
    return this.inFlight.size;
  }

  get heldBlocks(): number {
    return this.heldCount;
  }

  /** Whether a block is imported, queued or held here. */
  knows(hash: Uint8Array): boolean {
    const key = toHex(hash);
    return this.inFlight.has(key) || this.chain.has(hash) || [...this.held.values()].some((l) => l.some((h) => toHex(headerHash(h.block.header)) === key));
  }

  /**
   * Imports a block (with its justification, if any). Resolves with what happened; rejects with
   * the import error (also reported through `failed`).
   */
  import(block: Block, origin: BlockOrigin, justifications?: Uint8Array): Promise<ImportOutcome> {
    const hash = headerHash(block.header);
    const key = toHex(hash);
    const existing = this.inFlight.get(key);
    if (existing) return existing;
    if (this.chain.has(hash)) {
      if (justifications && block.header.number > this.chain.finalized.number) {
        return this.chain.finalize(hash, justifications).then(
          () => ({ status: "known" }),
          (error) => {
            this.emit("failed", { hash, origin, error });
            throw error;
          },
        );
      }
      return Promise.resolve({ status: "known" });
    }
    const parentKnown = this.chain.has(block.header.parentHash) || this.inFlight.has(toHex(block.header.parentHash));
    if (!parentKnown) return Promise.resolve(this.hold(block, origin, justifications));
    if (this.inFlight.size >= this.maxQueued) {
      const error = new BlockImportError({ code: "QUEUE_FULL", size: this.inFlight.size }, `import queue full (${this.inFlight.size} blocks)`);
      return Promise.reject(error);
    }
    const job = this.chain.importBlock(block, origin, justifications).then(
      (imported): ImportOutcome => {
        this.inFlight.delete(key);
        this.release(hash);
        return { status: "imported", block: imported };
      },
      (error: unknown) => {
        this.inFlight.delete(key);
        if (error instanceof BlockImportError && error.code === "ALREADY_KNOWN") return { status: "known" } as ImportOutcome;
        this.dropHeldDescendants(hash);
        this.emit("failed", { hash, origin, error: error as Error });
        throw error;
      },
    );
    this.inFlight.set(key, job);
    return job;
  }

  private hold(block: Block, origin: BlockOrigin, justifications?: Uint8Array): ImportOutcome {
    const parentKey = toHex(block.header.parentHash);
    const list = this.held.get(parentKey) ?? [];
    const hash = headerHash(block.header);
    if (!list.some((h) => toHex(headerHash(h.block.header)) === toHex(hash))) {
      if (this.heldCount >= this.maxHeld) this.evictOldestHeld();
      list.push({ block, origin, justifications });
      this.held.set(parentKey, list);
      this.heldCount++;
    }
    this.log.debug({ number: block.header.number, hash: toHex(hash), parent: parentKey }, "Holding a block whose parent is unknown");
    this.emit("unknownParent", { hash, number: block.header.number, parentHash: block.header.parentHash, origin });
    return { status: "held" };
  }

  private evictOldestHeld(): void {
    const first = this.held.keys().next();
    if (first.done) return;
    const list = this.held.get(first.value)!;
    list.shift();
    this.heldCount--;
    if (list.length === 0) this.held.delete(first.value);
  }

  /** Imports the blocks that were waiting for `parent`. */
  private release(parent: Uint8Array): void {
    const key = toHex(parent);
    const children = this.held.get(key);
    if (!children) return;
    this.held.delete(key);
    this.heldCount -= children.length;
    for (const c of children) this.import(c.block, c.origin, c.justifications).catch(() => undefined);
  }

  /** A failed block's held descendants can never import: drop them. */
  private dropHeldDescendants(hash: Uint8Array): void {
    const stack = [toHex(hash)];
    while (stack.length) {
      const k = stack.pop()!;
      const children = this.held.get(k);
      if (!children) continue;
      this.held.delete(k);
      this.heldCount -= children.length;
      for (const c of children) stack.push(toHex(headerHash(c.block.header)));
    }
  }
}

export { FinalityError };
