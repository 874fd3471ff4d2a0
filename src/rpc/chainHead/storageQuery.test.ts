/** The storage query cursor (pages by items and bytes, resumes where it stopped) and the `:code` stand-in. */
import { describe, expect, it } from "vitest";
import type { StateReader } from "../../chain/state/types.js";
import { compareBytes, startsWith, toHex, utf8Bytes } from "../../util/bytes.js";
import { CODE_KEY, withRuntimeCode } from "./runtimeCode.js";
import { StorageQueryCursor, type StorageQuery } from "./storageQuery.js";

/** A sorted in-memory state. */
function memoryState(entries: Array<[Uint8Array, Uint8Array]>): StateReader {
  const sorted = [...entries].sort(([a], [b]) => compareBytes(a, b));
  return {
    get: (key) => sorted.find(([k]) => compareBytes(k, key) === 0)?.[1],
    keys: (prefix, opts = {}) => {
      const out = sorted.map(([k]) => k).filter((k) => startsWith(k, prefix) && (opts.startAfter === undefined || compareBytes(k, opts.startAfter) > 0));
      return opts.limit === undefined ? out : out.slice(0, opts.limit);
    },
  };
}

const key = (i: number) => Uint8Array.of(0xaa, i);
const state = memoryState(Array.from({ length: 25 }, (_, i) => [key(i), Uint8Array.of(i, i, i, i)]));
const source = { state, closestDescendantMerkleValue: () => undefined };

function drain(queries: StorageQuery[], maxItems: number, maxBytes = 1 << 20): { pages: number; keys: string[] } {
  const cursor = new StorageQueryCursor(source, queries);
  const keys: string[] = [];
  let pages = 0;
  for (;;) {
    const page = cursor.next(maxItems, maxBytes);
    pages++;
    expect(page.items.length).toBeLessThanOrEqual(maxItems);
    keys.push(...page.items.map((i) => i.key));
    if (page.done) return { pages, keys };
    expect(page.items.length).toBeGreaterThan(0);
  }
}

describe("StorageQueryCursor", () => {
  it("pages a descendants query by items, resuming after the last key, without repeats or gaps", () => {
    const all = Array.from({ length: 25 }, (_, i) => toHex(key(i)));
    expect(drain([{ key: Uint8Array.of(0xaa), type: "descendantsValues" }], 10)).toEqual({ pages: 3, keys: all });
    // exactly full pages: the last call finds the prefix exhausted
    expect(drain([{ key: Uint8Array.of(0xaa), type: "descendantsHashes" }], 5).keys).toEqual(all);
  });

  it("pages by bytes too (always at least one item)", () => {
    const r = drain([{ key: Uint8Array.of(0xaa), type: "descendantsValues" }], 100, 1);
    expect(r.keys).toHaveLength(25);
    expect(r.pages).toBe(25);
  });

  it("mixes single queries and descendants in order; absent values give nothing; paginationStartKey is exclusive", () => {
    const r = drain(
      [
        { key: key(3), type: "value" },
        { key: Uint8Array.of(0xbb), type: "value" },
        { key: Uint8Array.of(0xaa), type: "descendantsValues", paginationStartKey: key(22) },
        { key: key(1), type: "hash" },
      ],
      2,
    );
    expect(r.keys).toEqual([toHex(key(3)), toHex(key(23)), toHex(key(24)), toHex(key(1))]);
  });
});

describe("withRuntimeCode", () => {
  const code = utf8Bytes("native");
  const s = withRuntimeCode(memoryState([[utf8Bytes(":a"), Uint8Array.of(1)], [utf8Bytes(":d"), Uint8Array.of(2)], [utf8Bytes("z"), Uint8Array.of(3)]]), code);

  it("answers :code and lists it in key order, within limits and after startAfter", () => {
    expect(s.get(CODE_KEY)).toEqual(code);
    expect(s.keys(utf8Bytes(":")).map((k) => Buffer.from(k).toString())).toEqual([":a", ":code", ":d"]);
    expect(s.keys(new Uint8Array(), { limit: 1 }).map((k) => Buffer.from(k).toString())).toEqual([":a"]);
    expect(s.keys(new Uint8Array(), { startAfter: utf8Bytes(":a"), limit: 1 }).map((k) => Buffer.from(k).toString())).toEqual([":code"]);
    expect(s.keys(new Uint8Array(), { startAfter: CODE_KEY }).map((k) => Buffer.from(k).toString())).toEqual([":d", "z"]);
    expect(s.keys(utf8Bytes("z"))).toHaveLength(1);
  });

  it("leaves a state that has its own :code alone", () => {
    const own = memoryState([[CODE_KEY, Uint8Array.of(9)]]);
    expect(withRuntimeCode(own, code)).toBe(own);
  });
});
