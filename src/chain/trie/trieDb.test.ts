import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { compareBytes, fromHex, startsWith, toHex, utf8Bytes } from "../../util/bytes.js";
import { blake2_256 } from "../../util/hash.js";
import { type TrieRootVector, loadVectors, ofKind } from "../../../test/fixtures/trie-vectors/loadVectors.js";
import { TrieError, TrieProofError } from "./errors.js";
import { LruCache } from "./lruCache.js";
import { MemoryNodeStore } from "./memoryNodeStore.js";
import { TrieDb, verifyProof } from "./trieDb.js";
import { EMPTY_TRIE_ROOT, type TrieVersion, trieRoot } from "./trieRoot.js";

type Change = [Uint8Array, Uint8Array | null];
const hex = (b: Uint8Array): string => toHex(b);

/** A TrieDb plus the model it should agree with. */
class Harness {
  readonly store = new MemoryNodeStore();
  readonly db: TrieDb;
  readonly model = new Map<string, [Uint8Array, Uint8Array]>();
  root: Uint8Array = EMPTY_TRIE_ROOT;

  constructor(
    readonly version: TrieVersion,
    cacheSize?: number,
  ) {
    this.db = new TrieDb(this.store, { version, cacheSize });
  }

  apply(changes: Change[]): void {
    const update = this.db.update(this.root, changes);
    this.store.putAll(update.newNodes);
    this.root = update.root;
    for (const [k, v] of changes) {
      if (v === null) this.model.delete(hex(k));
      else this.model.set(hex(k), [k, v]);
    }
  }

  sortedKeys(): Uint8Array[] {
    return [...this.model.values()].map(([k]) => k).sort(compareBytes);
  }

  expectedRoot(): Uint8Array {
    return trieRoot(this.model.values(), this.version);
  }
}

// --- generators: small alphabets so keys collide, share paths and are prefixes of one another
const keyByte = fc.constantFrom(0x00, 0x01, 0x10, 0x11, 0x1f, 0xab, 0xff);
const shortKey = fc.array(keyByte, { maxLength: 4 }).map((a) => Uint8Array.from(a));
const longKey = fc.uint8Array({ minLength: 32, maxLength: 32 });
const keyArb = fc.oneof({ arbitrary: shortKey, weight: 4 }, { arbitrary: longKey, weight: 1 });
const valueArb = fc
  .constantFrom(0, 1, 31, 32, 33, 100)
  .chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));
const changeArb: fc.Arbitrary<Change> = fc.tuple(keyArb, fc.option(valueArb, { freq: 3, nil: null }));
const batchesArb = fc.array(fc.array(changeArb, { maxLength: 25 }), { minLength: 1, maxLength: 8 });

describe("TrieDb: vectors", () => {
  const cases = ofKind<TrieRootVector>(loadVectors(), "trie_root");
  for (const v of cases) {
    for (const version of Object.keys(v.expected_roots).map(Number) as TrieVersion[]) {
      it(`${v.name} V${version}: one batch, then key by key`, () => {
        const pairs: Change[] = v.pairs.map(([k, val]) => [fromHex(k), fromHex(val)]);
        const expected = v.expected_roots[String(version)];
        const a = new Harness(version);
        a.apply(pairs);
        expect(hex(a.root)).toBe(expected);
        const b = new Harness(version, 0);
        for (const p of pairs) b.apply([p]);
        expect(hex(b.root)).toBe(expected);
        for (const [, [k, val]] of a.model) {
          expect(a.db.get(a.root, k)).toEqual(val);
          expect(b.db.get(b.root, k)).toEqual(val);
        }
      });
    }
  }
});

describe("TrieDb: update", () => {
  it("stores the root even when short, and never stores inline children", () => {
    const h = new Harness(1);
    const update = h.db.update(EMPTY_TRIE_ROOT, [[fromHex("0xaa"), fromHex("0xbb")]]);
    expect(update.newNodes.map(([k, v]) => [hex(k), hex(v)])).toEqual([[hex(blake2_256(fromHex("0x42aa04bb"))), "0x42aa04bb"]]);
    // branch_two_leaves_odd_partial_keys: both leaves are inline; only the root is stored
    const two = h.db.update(EMPTY_TRIE_ROOT, [
      [fromHex("0x4819"), fromHex("0xfe")],
      [fromHex("0x1314"), fromHex("0xff")],
    ]);
    expect(two.newNodes.map(([, enc]) => hex(enc))).toEqual(["0x8012001443031404ff1443081904fe"]);
  });

  it("writes V1 value nodes for values >= 33 bytes, only when still referenced", () => {
    const h = new Harness(1);
    const big = new Uint8Array(33).fill(7);
    const other = new Uint8Array(40).fill(9);
    const u = h.db.update(EMPTY_TRIE_ROOT, [
      [fromHex("0x01"), other],
      [fromHex("0x01"), big], // overwrites: `other` must not be emitted
      [fromHex("0x02"), new Uint8Array(32)], // inline
    ]);
    const emitted = new Map(u.newNodes.map(([k, v]) => [hex(k), v]));
    expect(emitted.get(hex(blake2_256(big)))).toEqual(big);
    expect(emitted.has(hex(blake2_256(other)))).toBe(false);
    expect(emitted.has(hex(blake2_256(new Uint8Array(32))))).toBe(false);
    // V0 never writes value nodes
    const v0 = new Harness(0).db.update(EMPTY_TRIE_ROOT, [[fromHex("0x01"), big]]);
    expect(v0.newNodes).toHaveLength(1);
  });

  it("returns the same root and nothing to store when nothing changes", () => {
    const h = new Harness(1);
    h.apply([
      [utf8Bytes("foo"), utf8Bytes("bar")],
      [utf8Bytes("foobar"), new Uint8Array(50)],
    ]);
    const before = h.store.size;
    for (const changes of [[], [[utf8Bytes("nope"), null]], [[utf8Bytes("foo"), utf8Bytes("bar")]], [[utf8Bytes("foobar"), new Uint8Array(50)]]] as Change[][]) {
      const u = h.db.update(h.root, changes);
      expect(u.root).toEqual(h.root);
      expect(u.newNodes).toEqual([]);
    }
    expect(h.store.size).toBe(before);
    expect(h.db.update(EMPTY_TRIE_ROOT, [[utf8Bytes("x"), null]])).toEqual({ root: EMPTY_TRIE_ROOT, newNodes: [] });
  });

  it("collapses branches on delete: one child and no value merges into the child", () => {
    const h = new Harness(1);
    const keys = ["0x0102", "0x010203", "0x010204", "0x0103", "0x01", "0x"].map(fromHex);
    h.apply(keys.map((k, i) => [k, new Uint8Array(i * 20).fill(i)]));
    expect(h.root).toEqual(h.expectedRoot());
    // remove them in an order that leaves branches with a single child at every step
    for (const k of [keys[4], keys[1], keys[5], keys[0], keys[3]]) {
      h.apply([[k, null]]);
      expect(hex(h.root)).toBe(hex(h.expectedRoot()));
    }
    expect(h.db.keys(h.root)).toEqual([keys[2]]);
    h.apply([[keys[2], null]]);
    expect(h.root).toEqual(EMPTY_TRIE_ROOT);
  });

  it("keeps old roots readable (nodes are never rewritten)", () => {
    const h = new Harness(1);
    h.apply([[utf8Bytes("a"), utf8Bytes("1")], [utf8Bytes("ab"), new Uint8Array(60).fill(1)]]);
    const r1 = h.root;
    h.apply([[utf8Bytes("a"), null], [utf8Bytes("ab"), utf8Bytes("2")], [utf8Bytes("b"), utf8Bytes("3")]]);
    expect(h.db.get(r1, utf8Bytes("a"))).toEqual(utf8Bytes("1"));
    expect(h.db.get(r1, utf8Bytes("ab"))).toEqual(new Uint8Array(60).fill(1));
    expect(h.db.get(r1, utf8Bytes("b"))).toBeUndefined();
    expect(h.db.get(h.root, utf8Bytes("ab"))).toEqual(utf8Bytes("2"));
    // a fresh TrieDb without cache reads both from the store alone
    const cold = new TrieDb(h.store, { cacheSize: 0 });
    expect(cold.get(r1, utf8Bytes("ab"))).toEqual(new Uint8Array(60).fill(1));
    expect(cold.keys(h.root).map(hex)).toEqual(["0x6162", "0x62"]);
  });

  it("copies values: callers may reuse their buffers", () => {
    const h = new Harness(1);
    const buf = new Uint8Array([1, 2, 3]);
    h.apply([[utf8Bytes("k"), buf]]);
    buf[0] = 9;
    expect(h.db.get(h.root, utf8Bytes("k"))).toEqual(Uint8Array.of(1, 2, 3));
    const out = h.db.get(h.root, utf8Bytes("k"))!;
    out[0] = 7;
    expect(h.db.get(h.root, utf8Bytes("k"))).toEqual(Uint8Array.of(1, 2, 3));
  });

  it("copies Buffers too (LevelDB hands out Buffers, whose slice() is a view)", () => {
    const inner = new MemoryNodeStore();
    // a store that returns Buffer views of what it holds, like a LevelDB binding would
    const bufferStore = { get: (h: Uint8Array) => { const e = inner.get(h); return e && Buffer.from(e.buffer, e.byteOffset, e.byteLength); } };
    const db = new TrieDb(bufferStore);
    const value = Buffer.from("0102030405", "hex");
    const big = Buffer.alloc(40, 1);
    const u = db.update(EMPTY_TRIE_ROOT, [[Buffer.from("k"), value], [Buffer.from("kk"), big]]);
    inner.putAll(u.newNodes);
    value[0] = 9;
    big[0] = 9;
    const cold = new TrieDb(bufferStore, { cacheSize: 0 });
    for (const d of [db, cold]) {
      const got = d.get(u.root, utf8Bytes("k"))!;
      expect(got).toEqual(fromHex("0x0102030405"));
      got[0] = 7;
      expect(d.get(u.root, utf8Bytes("k"))).toEqual(fromHex("0x0102030405"));
      const gotBig = d.get(u.root, utf8Bytes("kk"))!;
      gotBig[0] = 7;
      expect(d.get(u.root, utf8Bytes("kk"))).toEqual(new Uint8Array(40).fill(1));
      const proof = d.proof(u.root, [utf8Bytes("k")]);
      proof[0][0] ^= 0xff;
      expect(d.get(u.root, utf8Bytes("k"))).toEqual(fromHex("0x0102030405"));
    }
  });

  it("agrees with trieRoot on thousands of random 32-byte and variable keys, with deletes", () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => rand(256));
    for (const version of [0, 1] as TrieVersion[]) {
      const h = new Harness(version, 500);
      const keys: Uint8Array[] = [];
      for (let i = 0; i < 3000; i++) keys.push(i % 3 === 0 ? bytes(1 + rand(6)) : bytes(32));
      for (let b = 0; b < 6; b++) {
        const batch: Change[] = [];
        for (let i = 0; i < 700; i++) {
          const k = keys[rand(keys.length)];
          batch.push([k, rand(4) === 0 ? null : bytes([0, 5, 32, 33, 80][rand(5)])]);
        }
        h.apply(batch);
        expect(hex(h.root)).toBe(hex(h.expectedRoot()));
      }
      expect(h.db.keys(h.root).map(hex)).toEqual(h.sortedKeys().map(hex));
    }
  });
});

describe("TrieDb: property tests", () => {
  for (const version of [0, 1] as TrieVersion[]) {
    it(`V${version}: incremental batches give trieRoot's root, and get returns current values`, () => {
      fc.assert(
        fc.property(batchesArb, fc.array(keyArb, { maxLength: 10 }), fc.constantFrom(0, 3, 1000), (batches, probes, cacheSize) => {
          const h = new Harness(version, cacheSize);
          for (const batch of batches) {
            h.apply(batch);
            expect(hex(h.root)).toBe(hex(h.expectedRoot()));
            if (h.model.size > 0) expect(h.store.has(h.root)).toBe(true);
          }
          // a cold TrieDb proves newNodes held everything needed
          const cold = new TrieDb(h.store, { version, cacheSize: 0 });
          for (const [k, v] of h.model.values()) {
            expect(h.db.get(h.root, k)).toEqual(v);
            expect(cold.get(h.root, k)).toEqual(v);
          }
          for (const k of probes) expect(cold.get(h.root, k)).toEqual(h.model.get(hex(k))?.[1]);
        }),
        { numRuns: 150 },
      );
    });
  }

  it("keys: prefix / startAfter / limit match a sorted reference, and paging walks everything", () => {
    fc.assert(
      fc.property(
        fc.array(changeArb, { minLength: 1, maxLength: 60 }),
        shortKey,
        fc.option(keyArb, { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
        fc.integer({ min: 1, max: 7 }),
        (changes, prefixFull, startAfter, limit, pageSize) => {
          const h = new Harness(1);
          h.apply(changes.map(([k, v]) => [k, v ?? new Uint8Array(0)]));
          h.apply(changes.filter((_, i) => i % 5 === 0).map(([k]) => [k, null]));
          const all = h.sortedKeys();
          for (const prefix of [prefixFull.subarray(0, 1), prefixFull, new Uint8Array(0)]) {
            let expected = all.filter((k) => startsWith(k, prefix));
            if (startAfter !== undefined) expected = expected.filter((k) => compareBytes(k, startAfter) > 0);
            if (limit !== undefined) expected = expected.slice(0, limit);
            const got = h.db.keys(h.root, { prefix, startAfter, limit });
            expect(got.map(hex)).toEqual(expected.map(hex));

            // paging with startAfter = last key of the previous page
            const paged: Uint8Array[] = [];
            let after: Uint8Array | undefined;
            for (;;) {
              const page = h.db.keys(h.root, { prefix, startAfter: after, limit: pageSize });
              paged.push(...page);
              if (page.length < pageSize) break;
              after = page[page.length - 1];
            }
            expect(paged.map(hex)).toEqual(all.filter((k) => startsWith(k, prefix)).map(hex));
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  for (const version of [0, 1] as TrieVersion[]) {
    it(`V${version}: proofs verify for present and absent keys, and fail when a node is removed or tampered`, () => {
      fc.assert(
        fc.property(
          fc.array(changeArb, { minLength: 1, maxLength: 60 }),
          fc.array(keyArb, { minLength: 1, maxLength: 6 }),
          fc.nat(),
          (changes, probes, pick) => {
            const h = new Harness(version);
            h.apply(changes);
            const keys = [...probes, ...[...h.model.values()].slice(0, 4).map(([k]) => k)];

            // one proof for all keys
            const proof = h.db.proof(h.root, keys);
            for (const k of keys) expect(verifyProof(h.root, proof, k, version)).toEqual(h.model.get(hex(k))?.[1]);
            expect(new Set(proof.map(hex)).size).toBe(proof.length); // deduplicated

            // single-key proofs: every item is on the path, so dropping or altering any one fails
            const key = keys[pick % keys.length];
            const single = h.db.proof(h.root, [key]);
            if (h.model.size === 0) {
              expect(single).toEqual([]);
              expect(verifyProof(h.root, single, key, version)).toBeUndefined();
              return;
            }
            expect(verifyProof(h.root, single, key, version)).toEqual(h.model.get(hex(key))?.[1]);
            const i = pick % single.length;
            const removed = single.filter((_, j) => j !== i);
            expect(() => verifyProof(h.root, removed, key, version)).toThrow(TrieProofError);
            const tampered = single.map((n, j) => {
              if (j !== i) return n;
              const t = n.slice();
              t[(pick >> 3) % t.length] ^= 1 << (pick % 8);
              return t;
            });
            expect(() => verifyProof(h.root, tampered, key, version)).toThrow(TrieProofError);
            // a proof checked against another root fails too
            expect(() => verifyProof(blake2_256(h.root), single, key, version)).toThrow(TrieProofError);
          },
        ),
        { numRuns: 150 },
      );
    });
  }
});

describe("TrieDb: errors, proofs, cache", () => {
  it("throws a typed error naming the missing node", () => {
    const h = new Harness(1);
    h.apply(Array.from({ length: 40 }, (_, i): Change => [Uint8Array.of(i, i), new Uint8Array(40).fill(i)]));
    const fresh = new TrieDb(new MemoryNodeStore());
    try {
      fresh.get(h.root, Uint8Array.of(1, 1));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TrieError);
      expect((e as TrieError).code).toBe("TRIE_MISSING_NODE");
      expect((e as Error).message).toBe(`missing trie node ${hex(h.root)}`);
    }
    // remove an inner node: reads below it fail, cold
    const inner = [...h.store.entries()].find(([k, enc]) => "0x" + k !== hex(h.root) && enc[0] >= 0x40)!;
    h.store.delete(fromHex("0x" + inner[0]));
    const cold = new TrieDb(h.store, { cacheSize: 0 });
    expect(() => {
      for (let i = 0; i < 40; i++) cold.get(h.root, Uint8Array.of(i, i));
    }).toThrow(/missing trie node 0x/);
    expect(() => cold.keys(h.root)).toThrow(TrieError);
    expect(() => cold.update(h.root, Array.from({ length: 40 }, (_, i): Change => [Uint8Array.of(i, i), null]))).toThrow(TrieError);
  });

  it("rejects a root that is not a 32-byte hash", () => {
    const db = new TrieDb(new MemoryNodeStore());
    for (const call of [() => db.get(fromHex("0x42aa04bb"), fromHex("0xaa")), () => db.update(fromHex("0x42aa04bb"), []), () => db.keys(new Uint8Array(31))]) {
      expect(call).toThrow(expect.objectContaining({ code: "TRIE_INVALID_ROOT" }));
    }
  });

  it("throws TRIE_MISSING_VALUE when a V1 value node is gone", () => {
    const h = new Harness(1);
    const big = new Uint8Array(64).fill(3);
    h.apply([[utf8Bytes("k"), big]]);
    h.store.delete(blake2_256(big));
    expect(() => h.db.get(h.root, utf8Bytes("k"))).toThrow(expect.objectContaining({ code: "TRIE_MISSING_VALUE" }));
  });

  it("includes the value node in proofs and requires it when verifying", () => {
    const h = new Harness(1);
    const big = new Uint8Array(64).fill(3);
    h.apply([[utf8Bytes("k"), big], [utf8Bytes("l"), utf8Bytes("small")]]);
    const proof = h.db.proof(h.root, [utf8Bytes("k")]);
    expect(proof.map(hex)).toContain(hex(big));
    expect(verifyProof(h.root, proof, utf8Bytes("k"))).toEqual(big);
    const withoutValue = proof.filter((p) => hex(p) !== hex(big));
    expect(() => verifyProof(h.root, withoutValue, utf8Bytes("k"))).toThrow(expect.objectContaining({ code: "TRIE_PROOF_MISSING_VALUE" }));
    // the absent-key proof needs no value node
    expect(verifyProof(h.root, h.db.proof(h.root, [utf8Bytes("m")]), utf8Bytes("m"))).toBeUndefined();
  });

  it("proof errors carry codes; the empty root needs no proof", () => {
    const h = new Harness(1);
    h.apply([[utf8Bytes("k"), utf8Bytes("v")]]);
    expect(() => verifyProof(h.root, [], utf8Bytes("k"))).toThrow(expect.objectContaining({ code: "TRIE_PROOF_MISSING_NODE" }));
    expect(() => verifyProof(blake2_256(fromHex("0x0101")), [fromHex("0x0101")], utf8Bytes("k"))).toThrow(
      expect.objectContaining({ code: "TRIE_PROOF_INVALID_NODE" }),
    );
    expect(verifyProof(EMPTY_TRIE_ROOT, [], utf8Bytes("k"))).toBeUndefined();
    expect(h.db.proof(EMPTY_TRIE_ROOT, [utf8Bytes("k")])).toEqual([]);
    expect(h.db.keys(EMPTY_TRIE_ROOT)).toEqual([]);
    expect(h.db.get(EMPTY_TRIE_ROOT, utf8Bytes("k"))).toBeUndefined();
  });

  it("serves repeated reads from the bounded node cache", () => {
    const inner = new MemoryNodeStore();
    let reads = 0;
    const counting = { get: (h: Uint8Array) => (reads++, inner.get(h)) };
    const writer = new TrieDb(inner);
    const u = writer.update(EMPTY_TRIE_ROOT, Array.from({ length: 500 }, (_, i): Change => [blake2_256(Uint8Array.of(i, i >> 8)), Uint8Array.of(i)]));
    inner.putAll(u.newNodes);
    const db = new TrieDb(counting, { cacheSize: 1000 });
    const key = blake2_256(Uint8Array.of(7, 0));
    expect(db.get(u.root, key)).toEqual(Uint8Array.of(7));
    const afterFirst = reads;
    expect(afterFirst).toBeGreaterThan(1);
    for (let i = 0; i < 10; i++) db.get(u.root, key);
    expect(reads).toBe(afterFirst);
    const tiny = new TrieDb(counting, { cacheSize: 1 });
    reads = 0;
    tiny.get(u.root, key);
    tiny.get(u.root, key);
    expect(reads).toBeGreaterThan(afterFirst); // mostly evicted: reads go to the store again
  });

  it("LruCache is bounded and keeps recently used entries", () => {
    const c = new LruCache<string, number>(4); // two generations of 2
    c.set("a", 1);
    c.set("b", 2);
    expect(c.get("a")).toBe(1); // a is used again: moved to the young generation
    c.set("c", 3);
    expect(c.get("b")).toBeUndefined(); // b was the least recently used
    expect(c.get("a")).toBe(1);
    expect(c.get("c")).toBe(3);
    c.set("c", 4);
    expect(c.get("c")).toBe(4);
    for (let i = 0; i < 100; i++) {
      c.set(`k${i}`, i);
      expect(c.size).toBeLessThanOrEqual(4);
    }
    expect(c.get("k99")).toBe(99);
    expect(c.get("k98")).toBe(98);
    const none = new LruCache<string, number>(0);
    none.set("a", 1);
    expect(none.get("a")).toBeUndefined();
  });
});

describe("closestDescendantMerkleValue", () => {
  const keyArb = fc.uint8Array({ minLength: 1, maxLength: 4, max: 3 });
  const valueArb = fc.uint8Array({ minLength: 1, maxLength: 40 });

  it("the root's hash for the empty key; nothing for a prefix no key has; an inline node's own encoding", () => {
    const h = new Harness(1);
    expect(h.db.closestDescendantMerkleValue(EMPTY_TRIE_ROOT, new Uint8Array())).toBeUndefined();
    h.apply([[fromHex("0x0102"), fromHex("0xaa")], [fromHex("0x0103"), fromHex("0xbb")]]);
    expect(h.db.closestDescendantMerkleValue(h.root, new Uint8Array())).toEqual(h.root);
    expect(h.db.closestDescendantMerkleValue(h.root, fromHex("0x02"))).toBeUndefined();
    expect(h.db.closestDescendantMerkleValue(h.root, fromHex("0x010203"))).toBeUndefined();
    // leaf 0x0102 under the branch at 0x010: short, so its Merkle value is its encoding (inline)
    const leaf = h.db.closestDescendantMerkleValue(h.root, fromHex("0x0102"))!;
    expect(leaf.length).toBeLessThan(32);
    expect(toHex(leaf)).toContain("aa");
  });

  it("defined exactly when a key has the prefix; a hash names a stored node; changes with values below it only", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(keyArb, valueArb), { minLength: 1, maxLength: 30, selector: ([k]) => toHex(k) }), fc.uint8Array({ maxLength: 2, max: 3 }), valueArb, (entries, prefix, newValue) => {
        const h = new Harness(1);
        h.apply(entries);
        const mv = h.db.closestDescendantMerkleValue(h.root, prefix);
        const under = entries.filter(([k]) => startsWith(k, prefix));
        expect(mv !== undefined).toBe(under.length > 0);
        if (!mv) return;
        if (mv.length === 32) expect(h.store.get(mv)).toBeDefined();
        if (prefix.length === 0) expect(mv).toEqual(h.root);
        // a new value for a key outside the prefix leaves the subtree (and its Merkle value) alone
        const outside = entries.find(([k, v]) => !startsWith(k, prefix) && toHex(v) !== toHex(newValue));
        if (outside) {
          const g = new Harness(1);
          g.apply(entries);
          g.apply([[outside[0], newValue]]);
          expect(g.db.closestDescendantMerkleValue(g.root, prefix)).toEqual(mv);
        }
        // a new value below it changes it
        const inside = under.find(([, v]) => toHex(v) !== toHex(newValue));
        if (inside) {
          const g = new Harness(1);
          g.apply(entries);
          g.apply([[inside[0], newValue]]);
          expect(toHex(g.db.closestDescendantMerkleValue(g.root, prefix)!)).not.toBe(toHex(mv));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("TrieDb: the value cache of the followed state", () => {
  it("answers reads of the followed root exactly as the trie does, across advances, deletes, forks and a small bound", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.option(fc.uint8Array({ minLength: 0, maxLength: 40 }), { nil: null })), { maxLength: 12 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(600, 1 << 20),
        (blocks, forkAt, bytes) => {
          const store = new MemoryNodeStore();
          // 600 bytes: generations flip all the time; 1 MiB: nothing is ever evicted
          const cached = new TrieDb(store, { valueCacheBytes: bytes });
          const plain = new TrieDb(store, { valueCacheBytes: 0 });
          const key = (i: number) => utf8Bytes(`key-${i}`);
          let root = EMPTY_TRIE_ROOT;
          const roots: Uint8Array[] = [root];
          cached.followState(root, root, []);
          blocks.forEach((raw, b) => {
            const dedup = new Map<number, Uint8Array | null>(raw);
            const changes: Change[] = [...dedup].map(([i, v]) => [key(i), v]);
            // one block builds on an older root (a fork): the cache must start over
            const parent = b === forkAt && roots.length > 1 ? roots[roots.length - 2] : root;
            const update = cached.update(parent, changes);
            store.putAll(update.newNodes);
            cached.followState(parent, update.root, changes);
            root = update.root;
            roots.push(root);
            for (const r of roots) for (let i = 0; i <= 40; i++) expect(cached.get(r, key(i))).toEqual(plain.get(r, key(i)));
          });
        },
      ),
      { numRuns: 100, seed: 12 },
    );
  });

  it("returns copies: a caller mutating a value does not change the cache", () => {
    const store = new MemoryNodeStore();
    const db = new TrieDb(store);
    const k = utf8Bytes("k");
    const update = db.update(EMPTY_TRIE_ROOT, [[k, Uint8Array.of(1, 2, 3)]]);
    store.putAll(update.newNodes);
    db.followState(update.root, update.root, []);
    db.get(update.root, k)![0] = 9;
    expect(db.get(update.root, k)).toEqual(Uint8Array.of(1, 2, 3));
    db.get(update.root, k)![0] = 9;
    expect(db.get(update.root, k)).toEqual(Uint8Array.of(1, 2, 3));
  });
});
