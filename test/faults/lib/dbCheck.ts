/**
 * Offline verification of what a node left on disk (run while the node is down, e.g. right after
 * a SIGKILL): the head pointers name stored blocks; the canonical index follows parent links from
 * the best block to genesis; every stored header hashes to its key; the state at the best and the
 * finalized block is complete and *recomputes from scratch* (all key/values read through the trie,
 * root rebuilt by trieRoot) to the header's state root; the best block's body gives its extrinsics
 * root; the finalized block carries its justification; every stored leaf descends from the
 * finalized block.
 */
import { existsSync } from "node:fs";
import { ChainDb } from "../../../src/chain/db/chainDb.js";
import { META_LEAVES } from "../../../src/chain/db/buckets.js";
import { TrieDb, trieRoot, orderedTrieRoot } from "../../../src/chain/trie/index.js";
import { decodeBody, decodeHeader, headerHash } from "../../../src/chain/codec/block.js";
import type { Header } from "../../../src/chain/codec/types.js";
import { bytesEqual, toHex } from "../../../src/util/bytes.js";

export interface DiskState {
  genesis: string;
  best: { number: number; hash: string };
  finalized: { number: number; hash: string };
  /** canonical hash by number, 0…best */
  canonical: string[];
  /** state keys at the best block */
  keys: number;
  leaves: number;
}

export class DiskCorruption extends Error {
  override name = "DiskCorruption";
}

function fail(msg: string): never {
  throw new DiskCorruption(msg);
}

function headerOf(db: ChainDb, hash: Uint8Array, what: string): Header {
  const raw = db.header(hash);
  if (!raw) fail(`${what}: header ${toHex(hash)} is not stored`);
  const h = decodeHeader(raw);
  if (!bytesEqual(headerHash(h), hash)) fail(`${what}: the header stored under ${toHex(hash)} hashes to ${toHex(headerHash(h))}`);
  return h;
}

/** Recomputes a block's state root from all of its key/values; returns the number of keys. */
export function recomputeStateRoot(db: ChainDb, header: Header, what: string): number {
  const trie = new TrieDb(db, { version: 1, cacheSize: 1 });
  let keys: Uint8Array[];
  try {
    keys = trie.keys(header.stateRoot);
  } catch (e) {
    fail(`${what} #${header.number}: the state trie cannot be walked: ${(e as Error).message}`);
  }
  const pairs: Array<[Uint8Array, Uint8Array]> = keys.map((k) => {
    const v = trie.get(header.stateRoot, k);
    if (v === undefined) fail(`${what} #${header.number}: key ${toHex(k)} is listed but has no value`);
    return [k, v];
  });
  const root = trieRoot(pairs, 1);
  if (!bytesEqual(root, header.stateRoot)) fail(`${what} #${header.number}: state recomputed from ${pairs.length} key/values gives root ${toHex(root)}, the header says ${toHex(header.stateRoot)}`);
  return pairs.length;
}

/**
 * Opens the database at `dbPath`, checks it, closes it. Throws DiskCorruption on the first
 * violation; "empty" when no genesis was ever completed (the node must then start from scratch).
 */
export async function checkDatabase(dbPath: string, inspect?: (db: ChainDb) => void): Promise<DiskState | "empty"> {
  // killed before the database was created: nothing to check
  if (!existsSync(dbPath)) return "empty";
  const db = await ChainDb.open(dbPath);
  try {
    const genesis = await db.genesisHash();
    const bestHash = await db.bestHash();
    const finalizedHash = await db.finalizedHash();
    if (!genesis) {
      // killed before the genesis batch landed: the batch is all or nothing
      if (bestHash || finalizedHash || db.canonicalHash(0)) fail("no genesis hash in meta, yet head pointers or a canonical block 0 exist: a half-written genesis");
      return "empty";
    }
    if (!bestHash || !finalizedHash) fail("genesis is written but the best or finalized pointer is missing");
    const best = headerOf(db, bestHash, "best block");
    const finalized = headerOf(db, finalizedHash, "finalized block");
    if (finalized.number > best.number) fail(`finalized #${finalized.number} is above best #${best.number}`);

    // canonical index: from best down to genesis by parent links
    const canonical: string[] = new Array(best.number + 1);
    let hash = bestHash;
    let header = best;
    for (;;) {
      const indexed = db.canonicalHash(header.number);
      if (!indexed || !bytesEqual(indexed, hash)) fail(`canonical index at #${header.number} is ${indexed ? toHex(indexed) : "missing"}, the best chain has ${toHex(hash)}`);
      canonical[header.number] = toHex(hash);
      if (header.number === 0) break;
      hash = header.parentHash;
      header = headerOf(db, hash, `ancestor #${header.number - 1} of the best block`);
    }
    if (canonical[0] !== toHex(genesis)) fail(`the best chain starts at ${canonical[0]}, genesis is ${toHex(genesis)}`);
    if (db.canonicalHash(best.number + 1)) fail(`a canonical entry exists above the best block (#${best.number + 1})`);
    if (canonical[finalized.number] !== toHex(finalizedHash)) fail(`finalized #${finalized.number} ${toHex(finalizedHash)} is not on the best chain`);
    if (finalized.number > 0 && !db.justification(finalizedHash)) fail(`finalized #${finalized.number} has no stored justification`);

    const body = db.body(bestHash);
    if (!body) fail(`best block #${best.number} has no body`);
    if (!bytesEqual(orderedTrieRoot(decodeBody(body), 0), best.extrinsicsRoot)) fail(`best block #${best.number}: its body does not give the header's extrinsics root`);

    const keys = recomputeStateRoot(db, best, "best block");
    if (finalized.number !== best.number) recomputeStateRoot(db, finalized, "finalized block");

    const leafBytes = db.meta(META_LEAVES) ?? new Uint8Array();
    const leaves = db.leaves();
    if (leafBytes.length % 32 !== 0) fail(`leaves meta has ${leafBytes.length} bytes`);
    for (const leaf of leaves) {
      let h = headerOf(db, leaf, "leaf");
      let at = leaf;
      while (h.number > finalized.number) {
        at = h.parentHash;
        h = headerOf(db, at, `ancestor of leaf ${toHex(leaf)}`);
      }
      if (!bytesEqual(at, finalizedHash)) fail(`leaf ${toHex(leaf)} does not descend from finalized #${finalized.number}`);
      const n = headerOf(db, leaf, "leaf").number;
      if (n > best.number) fail(`leaf #${n} ${toHex(leaf)} is longer than the best block #${best.number}: fork choice would pick it`);
    }
    inspect?.(db);
    return {
      genesis: toHex(genesis),
      best: { number: best.number, hash: toHex(bestHash) },
      finalized: { number: finalized.number, hash: toHex(finalizedHash) },
      canonical,
      keys,
      leaves: leaves.length,
    };
  } finally {
    await db.close();
  }
}
