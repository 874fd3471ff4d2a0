/**
 * LevelDB buckets: every key starts with one bucket byte. Numbers in keys are big-endian so that
 * ranges iterate in order. Never reuse a retired number.
 */
export enum Bucket {
  /** block hash (32) → SCALE header */
  header = 1,
  /** block hash (32) → SCALE body (Vec<extrinsic bytes>) */
  body = 2,
  /** block number (u32 BE) → block hash of the canonical (best) chain */
  canonical = 3,
  /** node hash (32) → encoded trie node, or a V1 value node (raw value); archive: never deleted */
  trieNode = 4,
  /** block hash (32) → SCALE Justifications (Vec<(engine id, bytes)>) */
  justification = 5,
  /** utf-8 name → value: genesis hash, best hash, finalized hash, schema version, leaves, voter state */
  meta = 6,
  /** extrinsic hash (32) → block hash (32) ++ index (u32 BE): transaction lookup, canonical blocks only */
  txIndex = 7,
}

export const META_GENESIS = "genesis";
export const META_BEST = "best";
export const META_FINALIZED = "finalized";
export const META_SCHEMA = "schema";
/** the leaves of the unfinalized block tree: concatenated 32-byte hashes */
export const META_LEAVES = "leaves";
/** the finality voter's state (JSON): its round and its own votes, kept across restarts */
export const META_VOTER = "grandpa_voter";
export const SCHEMA_VERSION = 1;

export function bucketKey(bucket: Bucket, id: Uint8Array): Uint8Array {
  const k = new Uint8Array(id.length + 1);
  k[0] = bucket;
  k.set(id, 1);
  return k;
}

export function numberKey(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, false);
  return bucketKey(Bucket.canonical, b);
}

export function metaKey(name: string): Uint8Array {
  return bucketKey(Bucket.meta, new TextEncoder().encode(name));
}
