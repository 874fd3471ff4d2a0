/**
 * The node's LevelDB: typed access to the buckets, and atomic batches: one per imported block,
 * one per finality step. Trie nodes and block data are read synchronously (getSync) because the
 * runtime reads state synchronously.
 */
import { Level } from "level";
import { Bucket, META_BEST, META_FINALIZED, META_GENESIS, META_LEAVES, META_SCHEMA, SCHEMA_VERSION, bucketKey, metaKey, numberKey } from "./buckets.js";
import type { TrieNodeStore } from "../trie/index.js";
import { NodeError } from "../../util/errors.js";
import { DEFAULT_DB_OPTIONS, type DbOptions } from "./options.js";

export { DEFAULT_DB_OPTIONS, MIN_DB_OPEN_FILES, type DbOptions } from "./options.js";

export type DbErrorType = { code: "DB_LOCKED"; path: string } | { code: "DB_DAMAGED"; path: string; reason: string } | { code: "DB_SCHEMA"; found: number; expected: number };
export class DbError extends NodeError<DbErrorType> {}

type Db = Level<Uint8Array, Uint8Array>;
type Op = { type: "put"; key: Uint8Array; value: Uint8Array } | { type: "del"; key: Uint8Array };

/** The writes of one atomic step (a block import, a finalization): nothing lands unless all do. */
export class ChainBatch {
  readonly ops: Op[] = [];

  private put(key: Uint8Array, value: Uint8Array): this {
    this.ops.push({ type: "put", key, value });
    return this;
  }
  private del(key: Uint8Array): this {
    this.ops.push({ type: "del", key });
    return this;
  }

  block(hash: Uint8Array, header: Uint8Array, body: Uint8Array, trieNodes: Array<[Uint8Array, Uint8Array]>): this {
    for (const [h, node] of trieNodes) this.put(bucketKey(Bucket.trieNode, h), node);
    this.put(bucketKey(Bucket.header, hash), header);
    return this.put(bucketKey(Bucket.body, hash), body);
  }
  /** Drops a pruned block's header, body and justification (its trie nodes may be shared: kept). */
  deleteBlock(hash: Uint8Array): this {
    this.del(bucketKey(Bucket.header, hash));
    this.del(bucketKey(Bucket.body, hash));
    return this.del(bucketKey(Bucket.justification, hash));
  }
  canonical(number: number, hash: Uint8Array): this {
    return this.put(numberKey(number), hash);
  }
  deleteCanonical(number: number): this {
    return this.del(numberKey(number));
  }
  best(hash: Uint8Array): this {
    return this.put(metaKey(META_BEST), hash);
  }
  finalized(hash: Uint8Array): this {
    return this.put(metaKey(META_FINALIZED), hash);
  }
  justification(hash: Uint8Array, justifications: Uint8Array): this {
    return this.put(bucketKey(Bucket.justification, hash), justifications);
  }
  leaves(hashes: Uint8Array[]): this {
    const v = new Uint8Array(hashes.length * 32);
    hashes.forEach((h, i) => v.set(h, i * 32));
    return this.put(metaKey(META_LEAVES), v);
  }
  txIndex(txHash: Uint8Array, blockHash: Uint8Array, index: number): this {
    const loc = new Uint8Array(36);
    loc.set(blockHash);
    new DataView(loc.buffer).setUint32(32, index, false);
    return this.put(bucketKey(Bucket.txIndex, txHash), loc);
  }
  deleteTxIndex(txHash: Uint8Array): this {
    return this.del(bucketKey(Bucket.txIndex, txHash));
  }
  meta(name: string, value: Uint8Array): this {
    return this.put(metaKey(name), value);
  }
}

export class ChainDb implements TrieNodeStore {
  private constructor(private readonly db: Db) {}

  static async open(path: string, options: Partial<DbOptions> = {}): Promise<ChainDb> {
    const o = { ...DEFAULT_DB_OPTIONS, ...options };
    const db: Db = new Level(path, { keyEncoding: "view", valueEncoding: "view", maxOpenFiles: o.maxOpenFiles, cacheSize: o.cacheSize, writeBufferSize: o.writeBufferSize, maxFileSize: o.maxFileSize });
    try {
      await db.open();
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause;
      if (cause?.code === "LEVEL_LOCKED" || (e as { code?: string }).code === "LEVEL_LOCKED") {
        throw new DbError({ code: "DB_LOCKED", path }, `database ${path} is in use by another process (is another node running on this base path?)`);
      }
      // LevelDB's own reason ("Corruption: 3 missing files; e.g.: …/000024.ldb") is in the cause
      const reason = (cause as { message?: string } | undefined)?.message ?? (e as Error).message;
      throw new DbError(
        { code: "DB_DAMAGED", path, reason },
        `database ${path} cannot be opened: ${reason}. It was damaged outside the node (files deleted or altered); restore it from a backup, or run purge-chain and sync again`,
      );
    }
    const chainDb = new ChainDb(db);
    const schema = await chainDb.getMeta(META_SCHEMA);
    if (schema && schema[0] !== SCHEMA_VERSION) {
      await db.close();
      throw new DbError({ code: "DB_SCHEMA", found: schema[0], expected: SCHEMA_VERSION }, `database schema ${schema[0]} is not ${SCHEMA_VERSION}: purge the chain`);
    }
    return chainDb;
  }

  async close(): Promise<void> {
    if (this.db.status === "open") await this.db.close();
  }

  get isOpen(): boolean {
    return this.db.status === "open";
  }

  /** TrieNodeStore: synchronous node reads. */
  get(hash: Uint8Array): Uint8Array | undefined {
    return this.db.getSync(bucketKey(Bucket.trieNode, hash));
  }

  private async getMeta(name: string): Promise<Uint8Array | undefined> {
    return this.db.get(metaKey(name));
  }

  meta(name: string): Uint8Array | undefined {
    return this.db.getSync(metaKey(name));
  }

  genesisHash(): Promise<Uint8Array | undefined> {
    return this.getMeta(META_GENESIS);
  }
  bestHash(): Promise<Uint8Array | undefined> {
    return this.getMeta(META_BEST);
  }
  finalizedHash(): Promise<Uint8Array | undefined> {
    return this.getMeta(META_FINALIZED);
  }
  /** The stored leaves of the unfinalized tree (empty for databases written before they were kept). */
  leaves(): Uint8Array[] {
    const v = this.meta(META_LEAVES);
    if (!v) return [];
    const out: Uint8Array[] = [];
    for (let i = 0; i + 32 <= v.length; i += 32) out.push(v.slice(i, i + 32));
    return out;
  }

  header(hash: Uint8Array): Uint8Array | undefined {
    return this.db.getSync(bucketKey(Bucket.header, hash));
  }
  body(hash: Uint8Array): Uint8Array | undefined {
    return this.db.getSync(bucketKey(Bucket.body, hash));
  }
  justification(hash: Uint8Array): Uint8Array | undefined {
    return this.db.getSync(bucketKey(Bucket.justification, hash));
  }
  canonicalHash(n: number): Uint8Array | undefined {
    return this.db.getSync(numberKey(n));
  }
  txLocation(txHash: Uint8Array): Uint8Array | undefined {
    return this.db.getSync(bucketKey(Bucket.txIndex, txHash));
  }

  /** Genesis: state nodes, block and all head pointers in one batch. */
  async writeGenesis(w: { hash: Uint8Array; header: Uint8Array; body: Uint8Array; trieNodes: Array<[Uint8Array, Uint8Array]> }): Promise<void> {
    const batch = new ChainBatch().block(w.hash, w.header, w.body, w.trieNodes).canonical(0, w.hash).best(w.hash).finalized(w.hash).leaves([w.hash]);
    batch.meta(META_GENESIS, w.hash).meta(META_SCHEMA, new Uint8Array([SCHEMA_VERSION]));
    await this.write(batch);
  }

  /**
   * Writes a batch atomically: a crash leaves all of it or none. `durable` (the default) also
   * fsyncs it, so it survives a power loss too; without it the batch is in LevelDB's log through
   * the operating system, which a killed process cannot lose (for blocks synced from peers, which
   * a machine crash would only make us fetch again).
   */
  async write(batch: ChainBatch, o: { durable?: boolean } = {}): Promise<void> {
    // a chained batch: about twice as fast as the array form for the many small trie-node puts
    const b = this.db.batch();
    for (const op of batch.ops) {
      if (op.type === "put") b.put(op.key, op.value);
      else b.del(op.key);
    }
    await b.write({ sync: o.durable ?? true });
  }

  /** A single metadata value, written durably on its own (the finality voter's state). */
  async putMeta(name: string, value: Uint8Array): Promise<void> {
    await this.db.put(metaKey(name), value, { sync: true });
  }
}
