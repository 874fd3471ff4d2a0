/** `start`'s memory flags: defaults, parsing and the limits it refuses (the action itself is not run). */
import { describe, expect, it } from "vitest";
import { DEFAULT_DB_OPTIONS, MIN_DB_OPEN_FILES } from "../../chain/db/options.js";
import { DEFAULT_NODE_CACHE_SIZE, DEFAULT_VALUE_CACHE_BYTES } from "../../chain/trie/cacheOptions.js";
import { DEFAULT_HEAP_GROWTH_PERCENT, startCommand, type StartFlags } from "./start.js";

/** The flags `start` would run with, or the error message it exits with. */
function parse(...args: string[]): StartFlags | string {
  const cmd = startCommand()
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined })
    .action(() => undefined);
  try {
    cmd.parse(args, { from: "user" });
  } catch (e) {
    return (e as Error).message;
  }
  return cmd.opts<StartFlags>();
}

describe("start: memory flags", () => {
  it("defaults to the library defaults", () => {
    const f = parse() as StartFlags;
    expect(f.dbMaxOpenFiles).toBe(DEFAULT_DB_OPTIONS.maxOpenFiles);
    expect(f.trieCacheSize).toBe(DEFAULT_VALUE_CACHE_BYTES);
    expect(f.trieNodeCache).toBe(DEFAULT_NODE_CACHE_SIZE);
    expect(f.heapGrowth).toBe(DEFAULT_HEAP_GROWTH_PERCENT);
  });

  it("takes other sizes, 0 turning a trie cache off", () => {
    const f = parse("--db-max-open-files", "500", "--trie-cache-size", "0", "--trie-node-cache", "0") as StartFlags;
    expect(f).toMatchObject({ dbMaxOpenFiles: 500, trieCacheSize: 0, trieNodeCache: 0 });
  });

  it("refuses what LevelDB would not honour, and non-integers", () => {
    expect(parse("--db-max-open-files", String(MIN_DB_OPEN_FILES - 1))).toMatch(/--db-max-open-files must be an integer between 74 and 50000/);
    expect(parse("--db-max-open-files", "50001")).toMatch(/--db-max-open-files must be an integer/);
    expect(parse("--trie-cache-size", "-1")).toMatch(/--trie-cache-size must be an integer/);
    expect(parse("--trie-cache-size", "16MB")).toMatch(/--trie-cache-size must be an integer/);
    expect(parse("--trie-node-cache", "1.5")).toMatch(/--trie-node-cache must be an integer/);
  });
});
