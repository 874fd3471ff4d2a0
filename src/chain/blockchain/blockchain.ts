/**
 * The chain: genesis, the tree of unfinalized blocks (fork choice: the longest chain containing
 * the last finalized block, ties to the block seen first), the state of any stored block, block
 * import (verify → execute → commit in one batch) and finality (verify the justification → write it
 * with the new finalized pointer, any reorg it forces, and the pruning of dead branches, in one
 * batch). Blocks we author and blocks from peers go through the same `execute` and commit; only
 * the header and signature checks are skipped for our own. Consensus checks are injected: this
 * module knows nothing about Aura or GRANDPA, only their verdicts.
 */
import { EventEmitter } from "node:events";
import { performance } from "node:perf_hooks";
import type { Logger } from "../../util/logger.js";
import { ChainBatch, ChainDb } from "../db/chainDb.js";
import { TrieDb, orderedTrieRoot, EMPTY_TRIE_ROOT, type TrieCacheOptions } from "../trie/index.js";
import { StateOverlay } from "../state/overlay.js";
import type { StateReader } from "../state/types.js";
import { decodeBody, decodeHeader, encodeBody, encodeHeader, headerHash, type Block } from "../codec/block.js";
import type { Header } from "../codec/types.js";
import { decodeExtrinsic, type Extrinsic } from "../codec/extrinsic.js";
import type { EnumValue } from "../codec/scale.js";
import type { RuntimeDefinition, EventRecordValue } from "../runtime/frame/runtime.js";
import { Executive, signatureJob, type ChainIdentity } from "../runtime/executive.js";
import { TransactionValidityError } from "../runtime/validity.js";
import { MAX_BLOCK_LENGTH } from "../runtime/limits.js";
import type { SignatureJob } from "../signatures/types.js";
import type { Genesis } from "../genesis.js";
import { bytesEqual, toHex } from "../../util/bytes.js";
import { blake2_256 } from "../../util/hash.js";
import { shortHash } from "../../util/logFormat.js";
import { BlockImportError, FinalityError } from "./errors.js";
import { ForkTree, type TreeBlock } from "./forkTree.js";
import type { BlockOrigin } from "./origin.js";

export type { BlockOrigin };

/** State of one block, read through the trie at its state root. */
export class TrieState implements StateReader {
  constructor(
    private readonly trie: TrieDb,
    readonly root: Uint8Array,
  ) {}
  get(key: Uint8Array): Uint8Array | undefined {
    return this.trie.get(this.root, key);
  }
  getKeyed(key: Uint8Array, latin1Key: string): Uint8Array | undefined {
    return this.trie.get(this.root, key, latin1Key);
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
  /** whether it became the best block */
  isBest: boolean;
  origin: BlockOrigin;
}

/** A change of best block: what a reorg takes out (newest first) and puts in (oldest first). */
export interface NewBest {
  best: HeadInfo;
  retracted: HeadInfo[];
  enacted: HeadInfo[];
}

/** What one finality step finalized (oldest first, the new finalized head last) and pruned. */
export interface FinalityStep {
  finalized: HeadInfo[];
  pruned: Uint8Array[];
}

export interface ChainEvents {
  /** every imported block, best or not (chain_subscribeAllHeads) */
  imported: [ImportedBlock];
  /** the best block changed (by import or by a reorg finality forced) */
  newBest: [NewBest];
  finalized: [HeadInfo, FinalityStep];
}

/** A consensus verdict on a header, checked against its parent's state before execution. */
export type HeaderCheck = { ok: true } | { ok: false; code: "BAD_SLOT" | "FUTURE_SLOT" | "BAD_AUTHOR" | "BAD_SEAL" | "EQUIVOCATION"; reason: string };
export type HeaderVerifier = (header: Header, parent: HeadInfo, parentState: StateReader) => HeaderCheck;
/** A consensus verdict on a justification of `target`, checked against the target's state. */
export type JustificationCheck = { ok: true } | { ok: false; code: string; reason: string };
export type JustificationVerifier = (target: { hash: Uint8Array; number: number }, justifications: Uint8Array, state: StateReader) => JustificationCheck;
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
  /** consensus checks of peers' headers (Aura); without one, blocks from others cannot be imported */
  verifyHeader?: HeaderVerifier;
  metrics?: BlockchainMetrics;
  /** consensus checks of justifications (GRANDPA); without one, finality cannot be imported */
  verifyJustification?: JustificationVerifier;
  /**
   * Sizes of the trie's caches (decoded nodes; bytes of the best state's values), default
   * TrieDb's. A node whose epoch blocks read more of the state than they hold rereads it from
   * LevelDB every epoch block (bench/epochBlock.ts measures both).
   */
  trieCache?: TrieCacheOptions;
}

/**
 * Work done for a block as soon as it is handed to `importBlock`, before its turn in the import
 * queue: its body decoded, and the signatures that do not depend on its parent's state handed to
 * the verifier (see `prepare`).
 */
interface PreparedBlock {
  decoded?: Extrinsic[];
  decodeError?: unknown;
  /** per extrinsic index: the signature job computed ahead (exactly the one the parent state gives), or undefined to compute at its turn */
  jobs?: Array<SignatureJob | undefined>;
  /** verdicts of `jobs` (defined entries only, in index order) */
  verdicts?: Promise<boolean[]>;
}

/** Thrown by the reader of a parent state that is not committed yet: the job is computed at the block's turn. */
class NeedsParentState extends Error {}
const NO_STATE: StateReader = {
  get: () => {
    throw new NeedsParentState();
  },
  keys: () => {
    throw new NeedsParentState();
  },
};

export class Blockchain extends EventEmitter<ChainEvents> {
  readonly trie: TrieDb;
  readonly executive: Executive;
  best!: HeadInfo;
  finalized!: HeadInfo;
  genesisHash!: Uint8Array;
  private tree!: ForkTree;
  private readonly db: ChainDb;
  private readonly log: Logger;
  private readonly modules: BlockchainModules;
  /** serializes imports and finality steps: one at a time, in arrival order */
  private queue: Promise<unknown> = Promise.resolve();
  /** blocks handed to importBlock and not done yet (hex hash), for `prepare`'s guard */
  private readonly importing = new Set<string>();

  private constructor(modules: BlockchainModules, chain: ChainIdentity) {
    super();
    this.modules = modules;
    this.db = modules.db;
    this.log = modules.logger;
    this.trie = new TrieDb(modules.db, { ...modules.trieCache, version: 1 });
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
      await modules.db.writeGenesis({ hash: genesisHash, header: encodeHeader(genesis.header), body: encodeBody([]), trieNodes: update.newNodes });
      modules.logger.info({ genesis: toHex(genesisHash) }, "Initialized genesis");
    } else if (!bytesEqual(stored, genesisHash)) {
      throw new BlockImportError(
        { code: "GENESIS_MISMATCH", stored: toHex(stored), expected: toHex(genesisHash) },
        `the database holds another chain (genesis ${toHex(stored)}, spec gives ${toHex(genesisHash)}): use another --base-path or purge-chain`,
      );
    }
    chain.finalized = chain.headInfo((await modules.db.finalizedHash())!);
    const storedBest = chain.headInfo((await modules.db.bestHash())!);
    chain.rebuildTree(storedBest);
    // the trie's value cache follows the best state from now on (it fills as it is read)
    chain.trie.followState(chain.best.header.stateRoot, chain.best.header.stateRoot, []);
    return chain;
  }

  /** The unfinalized tree from the stored leaves; the stored best goes first so it wins ties. */
  private rebuildTree(storedBest: HeadInfo): void {
    const f = this.finalized;
    this.tree = new ForkTree({ hash: f.hash, number: f.number, parentHash: f.header.parentHash });
    const leaves = [storedBest.hash, ...this.db.leaves().filter((l) => !bytesEqual(l, storedBest.hash))];
    for (const leaf of leaves) {
      const path: Header[] = [];
      let hash = leaf;
      let ok = false;
      for (;;) {
        if (this.tree.has(hash)) {
          ok = true;
          break;
        }
        const h = this.header(hash);
        if (!h || h.number <= f.number) break;
        path.push(h);
        hash = h.parentHash;
      }
      if (!ok) continue;
      for (let i = path.length - 1; i >= 0; i--) this.tree.add({ hash: headerHash(path[i]), number: path[i].number, parentHash: path[i].parentHash });
    }
    this.best = this.headInfo(this.tree.best().hash);
  }

  private headerStateRoot(hash: Uint8Array): Uint8Array {
    return this.header(hash)?.stateRoot ?? new Uint8Array(32);
  }

  headInfo(hash: Uint8Array): HeadInfo {
    const header = this.header(hash);
    if (!header) throw new Error(`unknown block ${toHex(hash)}`);
    return { hash, number: header.number, header };
  }

  get chainIdentity(): ChainIdentity {
    return this.executive.chain;
  }

  get runtime(): RuntimeDefinition {
    return this.modules.runtime;
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

  /** Whether the block is stored (on any branch not pruned). */
  has(hash: Uint8Array): boolean {
    return this.db.header(hash) !== undefined;
  }

  /** Leaves of the unfinalized tree (the finalized block when nothing is above it). */
  leaves(): HeadInfo[] {
    return this.tree.leaves().map((b) => this.headInfo(b.hash));
  }

  /** Unfinalized blocks on any branch: how many the tree holds (the finalized block included). */
  get unfinalizedCount(): number {
    return this.tree.size;
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
    return decodeExtrinsic(bytes, this.modules.runtime.callCodec);
  }

  /**
   * The hashes from `block` down to (excluding) `base`, newest first; `[]` when they are the same
   * block; undefined when `block` is unknown or does not descend from `base`.
   */
  ancestry(base: { hash: Uint8Array; number: number }, block: { hash: Uint8Array; number: number }): Uint8Array[] | undefined {
    const out: Uint8Array[] = [];
    let hash = block.hash;
    let number = block.number;
    while (number > base.number) {
      const h = this.header(hash);
      if (!h) return undefined;
      out.push(hash);
      hash = h.parentHash;
      number = h.number - 1;
    }
    return number === base.number && bytesEqual(hash, base.hash) ? out : undefined;
  }

  /**
   * The head of the best chain that contains `base` (GRANDPA's best_chain_containing): the fork
   * choice among `base`'s descendants; undefined when `base` is on a branch finality has dropped.
   */
  bestChainContaining(base: { hash: Uint8Array; number: number }): { hash: Uint8Array; number: number } | undefined {
    const node = this.tree.get(base.hash);
    if (node) {
      const b = this.tree.best(node.key);
      return { hash: b.hash, number: b.number };
    }
    // an already finalized ancestor: every chain in the tree contains it
    if (base.number <= this.finalized.number && this.ancestry(base, this.finalized)) return { hash: this.best.hash, number: this.best.number };
    return undefined;
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
    let run;
    try {
      run = this.executive.initializeBlock(overlay, { number: env.number, parentHash: parent.hash }, env.digest, opts.verify);
    } catch (e) {
      throw new BlockImportError({ code: "INVALID_BLOCK", reason: (e as Error).message }, `block initialization failed: ${(e as Error).message}`);
    }
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
    let events: EventRecordValue[];
    try {
      events = run.finalize();
    } catch (e) {
      throw new BlockImportError({ code: "INVALID_BLOCK", reason: (e as Error).message }, `block finalization failed: ${(e as Error).message}`);
    }
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
    this.modules.metrics?.blockExecuted((performance.now() - started) / 1000, events);
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
  async verifySignatures(parent: HeadInfo, number: number, decoded: Extrinsic[], prepared?: PreparedBlock): Promise<void> {
    const state = new TrieState(this.trie, parent.header.stateRoot);
    // jobs computed now (those `prepare` could not compute ahead), and where each verdict comes from
    const jobs: SignatureJob[] = [];
    const indices: number[] = [];
    const source: Array<{ ahead: boolean; k: number }> = [];
    let aheadCount = 0;
    decoded.forEach((ext, i) => {
      if (!ext.signed) return;
      if (prepared?.jobs?.[i]) {
        source.push({ ahead: true, k: aheadCount++ });
        indices.push(i);
        return;
      }
      try {
        jobs.push(signatureJob(state, ext, number, parent.hash, this.chainIdentity));
      } catch (e) {
        throw new BlockImportError({ code: "INVALID_EXTRINSIC", index: i, reason: (e as Error).message }, `extrinsic ${i} is invalid: ${(e as Error).message}`);
      }
      source.push({ ahead: false, k: jobs.length - 1 });
      indices.push(i);
    });
    const [ahead, now] = await Promise.all([aheadCount ? prepared!.verdicts! : Promise.resolve([]), jobs.length ? this.modules.verifyBatch(jobs) : Promise.resolve([])]);
    const bad = source.findIndex((s) => !(s.ahead ? ahead[s.k] : now[s.k]));
    if (bad >= 0) {
      throw new BlockImportError({ code: "BAD_SIGNATURE", index: indices[bad] }, `extrinsic ${indices[bad]} has a bad signature`);
    }
  }

  /**
   * What can be done for a block before its turn in the import queue, so that the verifier's
   * workers are busy with this block while the previous ones execute and commit (sync hands over
   * ranges of blocks at once): decode the body, and compute and start verifying every signature
   * whose job does not depend on the parent's state (immortal transactions, and all of them when
   * the parent is already committed). The result is exactly what the block's turn would compute
   * (`signatureJob` of the same extrinsic, number, parent hash and — when read — state); jobs that
   * need a parent state not committed yet, or that fail, are left to the turn, which also reports
   * every error in the usual order. Only for blocks whose parent is known or being imported, so a
   * stray block costs no verification.
   */
  private prepare(block: Block): PreparedBlock {
    const prepared: PreparedBlock = {};
    let length = 0;
    for (const e of block.extrinsics) length += e.length;
    if (length > MAX_BLOCK_LENGTH) return prepared;
    try {
      prepared.decoded = this.decodeBody(block.extrinsics);
    } catch (e) {
      prepared.decodeError = e;
      return prepared;
    }
    const parentHash = block.header.parentHash;
    const parentHeader = this.header(parentHash);
    if (!parentHeader && !this.importing.has(toHex(parentHash))) return prepared;
    const state = parentHeader ? new TrieState(this.trie, parentHeader.stateRoot) : NO_STATE;
    const jobs: Array<SignatureJob | undefined> = new Array(prepared.decoded.length);
    const ahead: SignatureJob[] = [];
    prepared.decoded.forEach((ext, i) => {
      if (!ext.signed) return;
      try {
        const job = signatureJob(state, ext, block.header.number, parentHash, this.chainIdentity);
        jobs[i] = job;
        ahead.push(job);
      } catch {
        // needs the parent state, or invalid: its turn computes it (and reports the error)
      }
    });
    if (ahead.length === 0) return prepared;
    prepared.jobs = jobs;
    prepared.verdicts = this.modules.verifyBatch(ahead);
    prepared.verdicts.catch(() => undefined); // awaited at the block's turn, if it gets there
    return prepared;
  }

  /** The checks that need neither state nor execution: known, parent, number, size. Throws BlockImportError. */
  private precheck(block: Block): { hash: Uint8Array; parent: HeadInfo } {
    const hash = headerHash(block.header);
    if (this.has(hash)) throw new BlockImportError({ code: "ALREADY_KNOWN", hash: toHex(hash) }, `block ${toHex(hash)} is already known`);
    const parentHeader = this.header(block.header.parentHash);
    if (!parentHeader) throw new BlockImportError({ code: "PARENT_UNKNOWN", hash: toHex(block.header.parentHash) }, `parent ${toHex(block.header.parentHash)} is unknown`);
    const parent: HeadInfo = { hash: block.header.parentHash, number: parentHeader.number, header: parentHeader };
    if (block.header.number !== parent.number + 1) {
      throw new BlockImportError({ code: "BAD_NUMBER", number: block.header.number }, `block number ${block.header.number} does not follow parent ${parent.number}`);
    }
    let length = 0;
    for (const e of block.extrinsics) length += e.length;
    if (length > MAX_BLOCK_LENGTH) {
      throw new BlockImportError({ code: "BLOCK_TOO_LARGE", bytes: length }, `block body is ${length} bytes; the limit is ${MAX_BLOCK_LENGTH}`);
    }
    return { hash, parent };
  }

  /**
   * Imports a block from a peer or a file: consensus checks of the header against the parent's
   * state, signatures, execution, state and extrinsics roots, then one atomic commit; with a
   * justification, finality follows in its own atomic step. Throws BlockImportError.
   */
  importBlock(block: Block, origin: BlockOrigin, justifications?: Uint8Array): Promise<ImportedBlock> {
    const key = toHex(headerHash(block.header));
    const prepared = this.prepare(block);
    this.importing.add(key);
    const done = this.enqueue(this.timedImport(async () => {
      const { hash, parent } = this.precheck(block);
      const verifyHeader = this.modules.verifyHeader;
      if (!verifyHeader) throw new BlockImportError({ code: "BAD_SEAL", reason: "no header verifier" }, "this chain cannot verify blocks from others (no consensus verifier)");
      // consensus checks first: a forged block is the sender's fault even on a dead branch
      const check = verifyHeader(block.header, parent, new TrieState(this.trie, parent.header.stateRoot));
      if (!check.ok) {
        // An equivocation (a second block of one author in one slot) is refused when it is
        // gossiped: the first block seen is kept. When it comes by sync — as the ancestor of a
        // block we are importing, or in a peer's chain — other nodes have built on it, and refusing
        // it would split the network for good (nodes that kept the other block could never follow
        // this branch, and finality stalls); it is imported then, with a warning, and fork choice
        // and finality settle between the branches.
        if (check.code !== "EQUIVOCATION" || origin.kind === "gossip" || origin.kind === "own") {
          throw new BlockImportError({ code: check.code, reason: check.reason }, check.reason);
        }
        this.log.warn({ number: block.header.number, hash: toHex(hash), origin: origin.kind, reason: check.reason }, `Importing #${block.header.number}, a block of an equivocating author, because others built on it`);
      }
      if (!this.tree.has(block.header.parentHash)) {
        throw new BlockImportError(
          { code: "BELOW_FINALIZED", number: block.header.number },
          `block #${block.header.number} builds on #${parent.number} (${toHex(parent.hash)}), which is not on the finalized chain's tip (finalized #${this.finalized.number})`,
        );
      }
      if (prepared.decodeError !== undefined) throw prepared.decodeError;
      const decoded = prepared.decoded ?? this.decodeBody(block.extrinsics);
      // Signatures are checked in worker threads while this thread executes the block; nothing is
      // committed before both succeed, so the overlap changes timing only, never the outcome.
      const signatures = this.verifySignatures(parent, block.header.number, decoded, prepared);
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
      const imported = await this.commit({ ...executed, header: block.header }, origin);
      if (justifications) await this.finalizeNow(hash, justifications);
      return imported;
    }));
    const forget = () => void this.importing.delete(key);
    done.then(forget, forget);
    return done;
  }

  /** Reports an import job's verification-and-import time (queue wait excluded) to metrics. */
  private timedImport<T>(job: () => Promise<T>): () => Promise<T> {
    const metrics = this.modules.metrics;
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
  commitOwn(executed: ExecutedBlock): Promise<ImportedBlock> {
    return this.enqueue(() => {
      if (!this.tree.has(executed.header.parentHash)) {
        throw new BlockImportError({ code: "BELOW_FINALIZED", number: executed.header.number }, `own block #${executed.header.number} does not build on the finalized chain`);
      }
      return this.commit(executed, { kind: "own" });
    });
  }

  /**
   * Finalizes `hash` and its ancestors with `justifications` (SCALE Justifications), after the
   * injected verifier accepts them against the block's state. A block that conflicts with the
   * finalized chain is refused: finality never reverts. Throws FinalityError.
   */
  finalize(hash: Uint8Array, justifications: Uint8Array): Promise<void> {
    return this.enqueue(() => this.finalizeNow(hash, justifications));
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const next = this.queue.then(job, job);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private info(b: TreeBlock): HeadInfo {
    return this.headInfo(b.hash);
  }

  /** Canonical-index and transaction-index writes that move the best block from one leaf to another. */
  private reorgOps(batch: ChainBatch, fromKey: string, to: TreeBlock, newBody?: { hash: Uint8Array; extrinsics: Uint8Array[] }): { retracted: TreeBlock[]; enacted: TreeBlock[] } {
    const route = this.tree.route(fromKey, to.key);
    const bodyOf = (b: TreeBlock) => (newBody && bytesEqual(newBody.hash, b.hash) ? newBody.extrinsics : (this.body(b.hash) ?? []));
    for (const b of route.retracted) for (const e of bodyOf(b)) batch.deleteTxIndex(blake2_256(e));
    for (const b of route.enacted) {
      batch.canonical(b.number, b.hash);
      bodyOf(b).forEach((e, i) => batch.txIndex(blake2_256(e), b.hash, i));
    }
    const old = this.tree.get(fromKey)!;
    for (let n = to.number + 1; n <= old.number; n++) batch.deleteCanonical(n);
    batch.best(to.hash);
    return route;
  }

  /** Writes one block atomically; it becomes best if fork choice says so. */
  private async commit(executed: ExecutedBlock, origin: BlockOrigin): Promise<ImportedBlock> {
    const { header } = executed;
    const hash = headerHash(header);
    const oldBestKey = toHex(this.best.hash);
    const node = this.tree.add({ hash, number: header.number, parentHash: header.parentHash });
    // the new block is the only new leaf: it wins only by being longer (ties keep the first seen)
    const bestNode = node.number > this.best.number ? node : this.tree.get(oldBestKey)!;
    const batch = new ChainBatch().block(hash, encodeHeader(header), encodeBody(executed.extrinsics), executed.trieNodes);
    let route: { retracted: TreeBlock[]; enacted: TreeBlock[] } | undefined;
    if (bestNode.key !== oldBestKey) route = this.reorgOps(batch, oldBestKey, bestNode, { hash, extrinsics: executed.extrinsics });
    batch.leaves(this.tree.leaves().map((l) => l.hash));
    // synced blocks skip the fsync (still atomic, and safe from a killed process); finality steps,
    // our own and gossiped blocks are fsynced
    await this.db.write(batch, { durable: origin.kind !== "sync" });
    const isBest = bestNode.key === node.key;
    // the trie's value cache follows the best chain
    if (isBest) this.trie.followState(this.headerStateRoot(header.parentHash), header.stateRoot, executed.changes);
    const info: HeadInfo = { hash, number: header.number, header };
    let change: NewBest | undefined;
    if (route) {
      const retracted = route.retracted.map((b) => this.info(b));
      const enacted = route.enacted.map((b) => (b.key === node.key ? info : this.info(b)));
      this.best = enacted[enacted.length - 1];
      change = { best: this.best, retracted, enacted };
    }
    const imported: ImportedBlock = { hash, header, extrinsics: executed.extrinsics, decoded: executed.decoded, events: executed.events, changes: executed.changes, isBest, origin };
    this.log.info({ number: header.number, hash: toHex(hash), parent: toHex(header.parentHash), extrinsics: executed.extrinsics.length, origin: origin.kind }, `Imported #${header.number} (${shortHash(toHex(hash))})`);
    this.emit("imported", imported);
    if (change) {
      if (change.retracted.length) this.log.info({ retracted: change.retracted.length, enacted: change.enacted.length, best: change.best.number }, `Reorg to #${change.best.number} (${toHex(change.best.hash).slice(0, 10)}…)`);
      this.emit("newBest", change);
    }
    return imported;
  }

  private async finalizeNow(hash: Uint8Array, justifications: Uint8Array): Promise<void> {
    if (bytesEqual(hash, this.finalized.hash)) {
      if (!this.db.justification(hash)) await this.db.write(new ChainBatch().justification(hash, justifications));
      return;
    }
    const target = this.tree.get(hash);
    if (!target) {
      const header = this.header(hash);
      const canonical = header && this.hashAt(header.number);
      if (header && header.number < this.finalized.number && canonical && bytesEqual(canonical, hash)) return; // already final
      if (!header) throw new FinalityError({ code: "UNKNOWN_BLOCK", hash: toHex(hash) }, `cannot finalize unknown block ${toHex(hash)}`);
      throw new FinalityError(
        { code: "CONFLICTS_WITH_FINALIZED", hash: toHex(hash) },
        `block #${header.number} (${toHex(hash)}) is not a descendant of finalized #${this.finalized.number}: finality never reverts`,
      );
    }
    const verify = this.modules.verifyJustification;
    if (!verify) throw new FinalityError({ code: "BAD_JUSTIFICATION", reason: "no justification verifier" }, "this chain cannot verify justifications (no finality verifier)");
    const verdict = verify({ hash, number: target.number }, justifications, this.stateAt(hash));
    if (!verdict.ok) throw new FinalityError({ code: "BAD_JUSTIFICATION", reason: verdict.reason }, `invalid justification for #${target.number}: ${verdict.reason}`);

    const oldBestKey = toHex(this.best.hash);
    const newBestNode = this.tree.best(target.key);
    const batch = new ChainBatch().finalized(hash).justification(hash, justifications);
    let route: { retracted: TreeBlock[]; enacted: TreeBlock[] } | undefined;
    if (newBestNode.key !== oldBestKey) route = this.reorgOps(batch, oldBestKey, newBestNode);
    const retracted = route?.retracted.map((b) => this.info(b)) ?? [];
    const enacted = route?.enacted.map((b) => this.info(b)) ?? [];
    const step = this.tree.finalize(target.key);
    const finalizedInfos = step.finalized.map((b) => this.info(b));
    for (const p of step.pruned) batch.deleteBlock(p.hash);
    batch.leaves(this.tree.leaves().map((l) => l.hash));
    await this.db.write(batch);
    const head = finalizedInfos[finalizedInfos.length - 1];
    this.finalized = head;
    if (route) {
      this.best = enacted[enacted.length - 1];
      this.log.info({ best: this.best.number, retracted: retracted.length }, `Finality moved the best chain to #${this.best.number}`);
      this.emit("newBest", { best: this.best, retracted, enacted });
    }
    if (step.pruned.length) this.log.debug({ pruned: step.pruned.length }, "Pruned branches that finality excluded");
    this.emit("finalized", head, { finalized: finalizedInfos, pruned: step.pruned.map((p) => p.hash) });
  }
}
