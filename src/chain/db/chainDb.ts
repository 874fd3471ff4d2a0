/**
 * The node's LevelDB: typed access to the buckets, and the one atomic batch per imported block.
 * Trie nodes are read synchronously (getSync) because the runtime reads state synchronously.
 */
import { Level } from "level";
import { Bucket, META_BEST, META_FINALIZED, META_GENESIS, META_SCHEMA, SCHEMA_VERSION, bucketKey, metaKey, numberKey } from "./buckets.js";
import type { TrieNodeStore } from "../trie/index.js";
import { NodeError } from "../../util/errors.js";

export type DbErrorType = { code: "DB_LOCKED"; path: string } | { code: "DB_SCHEMA"; found: number; expected: number };
export class DbError extends NodeError<DbErrorType> {}

type Db = Level<Uint8Array, Uint8Array>;

export interface BlockWrite {
  hash: Uint8Array;
  number: number;
  header: Uint8Array;
  body: Uint8Array;
  trieNodes: Array<[Uint8Array, Uint8Array]>;
  /** whether this block becomes the canonical head */
  setBest: boolean;
  /** canonical number → hash entries to (re)write with it: the new branch after a reorg */
  canonical?: Array<[number, Uint8Array]>;
  finalized?: Uint8Array;
  justification?: Uint8Array;
  txHashes?: Uint8Array[];
}

export class ChainDb implements TrieNodeStore {
  private constructor(private readonly db: Db) {}

  static async open(path: string): Promise<ChainDb> {
    const db: Db = new Level(path, { keyEncoding: "view", valueEncoding: "view" });
    try {
      await db.open();
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause;
      if (cause?.code === "LEVEL_LOCKED" || (e as { code?: string }).code === "LEVEL_LOCKED") {
        throw new DbError({ code: "DB_LOCKED", path }, `database ${path} is in use by another process (is another node running on this base path?)`);
      }
      throw e;
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

  /** TrieNodeStore: synchronous node reads. */
  get(hash: Uint8Array): Uint8Array | undefined {
    return this.db.getSync(bucketKey(Bucket.trieNode, hash));
  }

  private async getMeta(name: string): Promise<Uint8Array | undefined> {
    return this.db.get(metaKey(name));
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
  async writeGenesis(w: BlockWrite): Promise<void> {
    const batch = this.blockBatch({ ...w, setBest: true, finalized: w.hash });
    batch.put(metaKey(META_GENESIS), w.hash);
    batch.put(metaKey(META_SCHEMA), new Uint8Array([SCHEMA_VERSION]));
    await batch.write({ sync: true });
  }

  /** One block: trie nodes, header, body, indices and head pointers commit together or not at all. */
  async writeBlock(w: BlockWrite): Promise<void> {
    await this.blockBatch(w).write({ sync: true });
  }

  private blockBatch(w: BlockWrite) {
    const batch = this.db.batch();
    for (const [hash, node] of w.trieNodes) batch.put(bucketKey(Bucket.trieNode, hash), node);
    batch.put(bucketKey(Bucket.header, w.hash), w.header);
    batch.put(bucketKey(Bucket.body, w.hash), w.body);
    if (w.setBest) {
      for (const [n, h] of w.canonical ?? []) batch.put(numberKey(n), h);
      batch.put(numberKey(w.number), w.hash);
      batch.put(metaKey(META_BEST), w.hash);
    }
    if (w.finalized) batch.put(metaKey(META_FINALIZED), w.finalized);
    if (w.justification) batch.put(bucketKey(Bucket.justification, w.hash), w.justification);
    (w.txHashes ?? []).forEach((tx, i) => {
      const loc = new Uint8Array(36);
      loc.set(w.hash);
      new DataView(loc.buffer).setUint32(32, i, false);
      batch.put(bucketKey(Bucket.txIndex, tx), loc);
    });
    return batch;
  }
}
