/**
 * The chain: genesis, head and finalized pointers, state of any stored block, and the import
 * pipeline (verify → execute → commit in one batch). Blocks we author and blocks from peers go
 * through the same `execute` and `commit`; only signature and seal checks are skipped for our own.
 */
import { EventEmitter } from "node:events";
import { performance } from "node:perf_hooks";
import type { Logger } from "../../util/logger.js";
import { ChainDb } from "../db/chainDb.js";
import { TrieDb, orderedTrieRoot, EMPTY_TRIE_ROOT } from "../trie/index.js";
import { StateOverlay } from "../state/overlay.js";
import type { StateReader } from "../state/types.js";
import { decodeBody, decodeHeader, encodeBody, encodeHeader, headerHash, type Block } from "../codec/block.js";
import type { Header } from "../codec/types.js";
import { decodeExtrinsic, type Extrinsic } from "../codec/extrinsic.js";
import type { EnumValue } from "../codec/scale.js";
import type { RuntimeDefinition, EventRecordValue } from "../runtime/frame/runtime.js";
import { Executive, signatureJob, type ChainIdentity } from "../runtime/executive.js";
import { TransactionValidityError } from "../runtime/validity.js";
import type { SignatureJob } from "../signatures/types.js";
import type { Genesis } from "../genesis.js";
import { bytesEqual, toHex } from "../../util/bytes.js";
import { BlockImportError } from "./errors.js";
import { shortHash } from "../../util/logFormat.js";

/** State of one block, read through the trie at its state root. */
export class TrieState implements StateReader {
  constructor(
    private readonly trie: TrieDb,
    readonly root: Uint8Array,
  ) {}
  get(key: Uint8Array): Uint8Array | undefined {
    return this.trie.get(this.root, key);
  }
  keys(prefix: Uint8Array, opts: { startAfter?: Uint8Array; limit?: number } = {}): Uint8Array[] {
    return this.trie.keys(this.root, { prefix, startAfter: opts.startAfter, limit: opts.limit });
  }
}

export interface HeadInfo {
  hash: Uint8Array;
  number: number;
  header: Header;
}

/** The result of executing a block's extrinsics on its parent state. */
export interface ExecutedBlock {
  header: Header;
  extrinsics: Uint8Array[];
  decoded: Extrinsic[];
  changes: Array<[Uint8Array, Uint8Array | null]>;
  trieNodes: Array<[Uint8Array, Uint8Array]>;
  events: EventRecordValue[];
}

export interface ImportedBlock {
  hash: Uint8Array;
  header: Header;
  extrinsics: Uint8Array[];
  decoded: Extrinsic[];
  events: EventRecordValue[];
  changes: Array<[Uint8Array, Uint8Array | null]>;
  isBest: boolean;
}

export interface ChainEvents {
  imported: [ImportedBlock];
  finalized: [HeadInfo];
}

/** Checks a header's consensus digest (slot, author, seal) before execution; injected by consensus. */
export type HeaderVerifier = (header: Header, parent: HeadInfo) => void;
export type BatchVerifier = (jobs: SignatureJob[]) => Promise<boolean[]>;

/** What the chain reports to metrics (implemented by src/metrics; optional everywhere). */
export interface BlockchainMetrics {
  /** a block from a peer or a file went through `importBlock`: verification and import time */
  blockImported(seconds: number, ok: boolean): void;
  /** a block was executed (authoring or import), with its events */
  blockExecuted(seconds: number, events: EventRecordValue[]): void;
}

export interface BlockchainModules {
  db: ChainDb;
  runtime: RuntimeDefinition;
  logger: Logger;
  verifyBatch: BatchVerifier;
  metrics?: BlockchainMetrics;
}

export class Blockchain extends EventEmitter<ChainEvents> {
  readonly trie: TrieDb;
  readonly executive: Executive;
  best!: HeadInfo;
  finalized!: HeadInfo;
  genesisHash!: Uint8Array;
  private readonly db: ChainDb;
  private readonly runtime: RuntimeDefinition;
  private readonly log: Logger;
  private readonly verifyBatch: BatchVerifier;
  private readonly metrics?: BlockchainMetrics;
  /** serializes imports: one block at a time, in arrival order */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(modules: BlockchainModules, chain: ChainIdentity) {
    super();
    this.db = modules.db;
    this.runtime = modules.runtime;
    this.log = modules.logger;
    this.verifyBatch = modules.verifyBatch;
    this.metrics = modules.metrics;
    this.trie = new TrieDb(modules.db, { version: 1 });
    this.executive = new Executive(modules.runtime, chain);
  }

  /** Opens the chain in `db`, writing genesis on first start; refuses a db of another chain. */
  static async open(modules: BlockchainModules, genesis: Genesis): Promise<Blockchain> {
    const genesisHash = headerHash(genesis.header);
    const v = modules.runtime.version;
    const chain = new Blockchain(modules, { genesisHash, specVersion: v.specVersion, transactionVersion: v.transactionVersion });
    chain.genesisHash = genesisHash;
    const stored = await modules.db.genesisHash();
    if (!stored) {
      const update = chain.trie.update(EMPTY_TRIE_ROOT, genesis.storage);
      if (!bytesEqual(update.root, genesis.header.stateRoot)) throw new Error("genesis state root mismatch between trie and trieRoot");
      await modules.db.writeGenesis({ hash: genesisHash, number: 0, header: encodeHeader(genesis.header), body: encodeBody([]), trieNodes: update.newNodes, setBest: true });
      modules.logger.info({ genesis: toHex(genesisHash) }, "Initialized genesis");
    } else if (!bytesEqual(stored, genesisHash)) {
      throw new BlockImportError(
        { code: "GENESIS_MISMATCH", stored: toHex(stored), expected: toHex(genesisHash) },
        `the database holds another chain (genesis ${toHex(stored)}, spec gives ${toHex(genesisHash)}): use another --base-path or purge-chain`,
      );
    }
    chain.best = chain.headInfo((await modules.db.bestHash())!);
    chain.finalized = chain.headInfo((await modules.db.finalizedHash())!);
    return chain;
  }

  headInfo(hash: Uint8Array): HeadInfo {
    const header = this.header(hash);
    if (!header) throw new Error(`unknown block ${toHex(hash)}`);
    return { hash, number: header.number, header };
  }

  get chainIdentity(): ChainIdentity {
    return this.executive.chain;
  }

  header(hash: Uint8Array): Header | undefined {
    const raw = this.db.header(hash);
    return raw ? decodeHeader(raw) : undefined;
  }

  body(hash: Uint8Array): Uint8Array[] | undefined {
    const raw = this.db.body(hash);
    return raw ? decodeBody(raw) : undefined;
  }

  justification(hash: Uint8Array): Uint8Array | undefined {
    return this.db.justification(hash);
  }

  hashAt(number: number): Uint8Array | undefined {
    return this.db.canonicalHash(number);
  }

  txLocation(txHash: Uint8Array): { blockHash: Uint8Array; index: number } | undefined {
    const raw = this.db.txLocation(txHash);
    if (!raw) return undefined;
    return { blockHash: raw.slice(0, 32), index: new DataView(raw.buffer, raw.byteOffset).getUint32(32, false) };
  }

  stateAt(hash: Uint8Array): TrieState {
    const header = this.header(hash);
    if (!header) throw new BlockImportError({ code: "UNKNOWN_BLOCK", hash: toHex(hash) }, `unknown block ${toHex(hash)}`);
    return new TrieState(this.trie, header.stateRoot);
  }

  bestState(): TrieState {
    return new TrieState(this.trie, this.best.header.stateRoot);
  }

  decode(bytes: Uint8Array): Extrinsic {
    return decodeExtrinsic(bytes, this.runtime.callCodec);
  }

  /**
   * Executes extrinsics on `parent`'s state. With `build`, invalid extrinsics are skipped (block
   * authoring); otherwise any invalid extrinsic makes the whole block invalid (import).
   */
  execute(
    parent: HeadInfo,
    env: { number: number; digest: EnumValue[] },
    extrinsics: Uint8Array[],
    opts: { build: boolean; verify?: (job: SignatureJob) => boolean; decoded?: Extrinsic[] },
  ): ExecutedBlock & { skipped: Array<{ bytes: Uint8Array; error: unknown }> } {
    const started = performance.now();
    const overlay = new StateOverlay(new TrieState(this.trie, parent.header.stateRoot));
    const run = this.executive.initializeBlock(overlay, { number: env.number, parentHash: parent.hash }, env.digest, opts.verify);
    const included: Uint8Array[] = [];
    const decoded: Extrinsic[] = [];
    const skipped: Array<{ bytes: Uint8Array; error: unknown }> = [];
    extrinsics.forEach((bytes, i) => {
      let ext: Extrinsic;
      try {
        ext = opts.decoded?.[i] ?? this.decode(bytes);
        run.applyExtrinsic(ext);
      } catch (error) {
        if (opts.build && (error instanceof TransactionValidityError || i > 0)) {
          skipped.push({ bytes, error });
          return;
        }
        throw new BlockImportError(
          { code: "INVALID_EXTRINSIC", index: i, reason: (error as Error).message },
          `extrinsic ${i} is invalid: ${(error as Error).message}`,
        );
      }
      included.push(bytes);
      decoded.push(ext);
    });
    const events = run.finalize();
    const changes = overlay.drain();
    const update = this.trie.update(parent.header.stateRoot, changes);
    const header: Header = {
      parentHash: parent.hash,
      number: env.number,
      stateRoot: update.root,
      // systemVersion 1: the extrinsics root uses layout V0 (substrate-trie.md point 10)
      extrinsicsRoot: orderedTrieRoot(included, 0),
      digest: { logs: env.digest },
    };
    this.metrics?.blockExecuted((performance.now() - started) / 1000, events);
    return { header, extrinsics: included, decoded, changes, trieNodes: update.newNodes, events, skipped };
  }

  /** Decodes a block body; a malformed extrinsic makes the block invalid. */
  decodeBody(extrinsics: Uint8Array[]): Extrinsic[] {
    return extrinsics.map((bytes, i) => {
      try {
        return this.decode(bytes);
      } catch (e) {
        throw new BlockImportError({ code: "INVALID_EXTRINSIC", index: i, reason: (e as Error).message }, `extrinsic ${i} does not decode: ${(e as Error).message}`);
      }
    });
  }

  /**
   * Starts verifying the signatures of a block's signed extrinsics in one batch (worker threads),
   * against the parent state. The caller executes the block meanwhile and awaits this before commit.
   */
  async verifySignatures(parent: HeadInfo, number: number, decoded: Extrinsic[]): Promise<void> {
    const state = new TrieState(this.trie, parent.header.stateRoot);
    const jobs: SignatureJob[] = [];
    const indices: number[] = [];
    decoded.forEach((ext, i) => {
      if (!ext.signed) return;
      try {
        jobs.push(signatureJob(state, ext, number, parent.hash, this.chainIdentity));
      } catch (e) {
        throw new BlockImportError({ code: "INVALID_EXTRINSIC", index: i, reason: (e as Error).message }, `extrinsic ${i} is invalid: ${(e as Error).message}`);
      }
      indices.push(i);
    });
    const results = await this.verifyBatch(jobs);
    const bad = results.findIndex((ok) => !ok);
    if (bad >= 0) {
      throw new BlockImportError({ code: "BAD_SIGNATURE", index: indices[bad] }, `extrinsic ${indices[bad]} has a bad signature`);
    }
  }

  /** Imports a block from a peer (or from disk): full verification, then commit. */
  importBlock(block: Block, verifyHeader: HeaderVerifier): Promise<ImportedBlock> {
    return this.enqueue(this.timedImport(async () => {
      const hash = headerHash(block.header);
      if (this.header(hash)) throw new BlockImportError({ code: "ALREADY_KNOWN", hash: toHex(hash) }, `block ${toHex(hash)} is already known`);
      const parentHeader = this.header(block.header.parentHash);
      if (!parentHeader) throw new BlockImportError({ code: "PARENT_UNKNOWN", hash: toHex(block.header.parentHash) }, `parent ${toHex(block.header.parentHash)} is unknown`);
      const parent: HeadInfo = { hash: block.header.parentHash, number: parentHeader.number, header: parentHeader };
      if (block.header.number !== parent.number + 1) {
        throw new BlockImportError({ code: "BAD_NUMBER", number: block.header.number }, `block number ${block.header.number} does not follow parent ${parent.number}`);
      }
      verifyHeader(block.header, parent);
      const decoded = this.decodeBody(block.extrinsics);
      // Signatures are checked in worker threads while this thread executes the block; nothing is
      // committed before both succeed, so the overlap changes timing only, never the outcome.
      const signatures = this.verifySignatures(parent, block.header.number, decoded);
      signatures.catch(() => undefined); // awaited below; avoids an unhandled rejection if execution throws first
      // The seal is not part of what the runtime executes: Substrate strips it before execution.
      const preDigest = block.header.digest.logs.filter((l) => l.tag !== "Seal");
      let executed: ExecutedBlock;
      try {
        executed = this.execute(parent, { number: block.header.number, digest: preDigest }, block.extrinsics, { build: false, decoded });
      } finally {
        await signatures;
      }
      if (!bytesEqual(executed.header.stateRoot, block.header.stateRoot)) {
        throw new BlockImportError({ code: "STATE_ROOT_MISMATCH", hash: toHex(hash) }, `state root mismatch: block says ${toHex(block.header.stateRoot)}, execution gives ${toHex(executed.header.stateRoot)}`);
      }
      if (!bytesEqual(executed.header.extrinsicsRoot, block.header.extrinsicsRoot)) {
        throw new BlockImportError({ code: "EXTRINSICS_ROOT_MISMATCH", hash: toHex(hash) }, "extrinsics root mismatch");
      }
      return this.commit({ ...executed, header: block.header });
    }));
  }

  /** Reports an import job's verification-and-import time (queue wait excluded) to metrics. */
  private timedImport<T>(job: () => Promise<T>): () => Promise<T> {
    const metrics = this.metrics;
    if (!metrics) return job;
    return async () => {
      const started = performance.now();
      try {
        const result = await job();
        metrics.blockImported((performance.now() - started) / 1000, true);
        return result;
      } catch (e) {
        metrics.blockImported((performance.now() - started) / 1000, false);
        throw e;
      }
    };
  }

  /** Commits a block that we executed ourselves (authoring): no re-execution. */
  commitOwn(executed: ExecutedBlock, justification?: Uint8Array): Promise<ImportedBlock> {
    return this.enqueue(() => this.commit(executed, justification));
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const next = this.queue.then(job, job);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * The non-canonical ancestors of a block (from `parentHash` back to the first canonical one), as
   * the number → hash entries to write if this branch becomes best; empty when it extends the head.
   */
  private branchToCanonical(parentHash: Uint8Array): { entries: Array<[number, Uint8Array]>; ancestorNumber: number } {
    const entries: Array<[number, Uint8Array]> = [];
    let hash = parentHash;
    for (;;) {
      const header = this.header(hash);
      if (!header) throw new BlockImportError({ code: "PARENT_UNKNOWN", hash: toHex(hash) }, `ancestor ${toHex(hash)} is unknown`);
      const canonical = this.hashAt(header.number);
      if (canonical && bytesEqual(canonical, hash)) return { entries, ancestorNumber: header.number };
      entries.push([header.number, hash]);
      hash = header.parentHash;
    }
  }

  /** Writes one block atomically; it becomes best if it extends the longest chain. */
  private async commit(executed: ExecutedBlock, justification?: Uint8Array): Promise<ImportedBlock> {
    const { header } = executed;
    const hash = headerHash(header);
    // Longest chain wins, ties go to the block seen first; a branch that does not contain the
    // finalized block is never adopted (finalized blocks are never reverted).
    const branch = this.branchToCanonical(header.parentHash);
    const keepsFinalized = branch.ancestorNumber >= this.finalized.number;
    const isBest = header.number > this.best.number && keepsFinalized;
    const finalize = justification !== undefined && isBest;
    await this.db.writeBlock({
      canonical: isBest ? branch.entries : undefined,
      hash,
      number: header.number,
      header: encodeHeader(header),
      body: encodeBody(executed.extrinsics),
      trieNodes: executed.trieNodes,
      setBest: isBest,
      finalized: finalize ? hash : undefined,
      justification,
      txHashes: executed.decoded.map((e) => e.hash),
    });
    const info: HeadInfo = { hash, number: header.number, header };
    if (isBest) this.best = info;
    const imported: ImportedBlock = { hash, header, extrinsics: executed.extrinsics, decoded: executed.decoded, events: executed.events, changes: executed.changes, isBest };
    this.log.info({ number: header.number, hash: toHex(hash), extrinsics: executed.extrinsics.length }, `Imported #${header.number} (${shortHash(toHex(hash))})`);
    this.emit("imported", imported);
    if (finalize) {
      this.finalized = info;
      this.emit("finalized", info);
    }
    return imported;
  }
}
