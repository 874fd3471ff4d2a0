/** ChainDb's open options: any tuning opens the same database, and LevelDB's tuning reaches it. */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ChainBatch, ChainDb, DEFAULT_DB_OPTIONS, MIN_DB_OPEN_FILES } from "./chainDb.js";

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "subtensor-ts-chaindb-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** LevelDB hands out Buffers: compared as plain bytes */
const bytes = (b: Uint8Array | undefined) => (b === undefined ? undefined : new Uint8Array(b));

const hash = (i: number) => {
  const h = new Uint8Array(32);
  new DataView(h.buffer).setUint32(0, i);
  return h;
};

describe("ChainDb options", () => {
  it("the defaults bound the table files LevelDB keeps open (and mmapped) within what LevelDB honours", () => {
    expect(DEFAULT_DB_OPTIONS.maxOpenFiles).toBeGreaterThanOrEqual(MIN_DB_OPEN_FILES);
    expect(DEFAULT_DB_OPTIONS.maxOpenFiles).toBeLessThanOrEqual(50_000);
  });

  it("a database written with small tables and the fewest open files reads back whole under other options", async () => {
    const path = tempDir();
    // the smallest memtable and tables LevelDB allows (64 KiB, 1 MiB): the nodes spread over several table files
    const small = await ChainDb.open(path, { maxOpenFiles: MIN_DB_OPEN_FILES, writeBufferSize: 64 * 1024, maxFileSize: 64 * 1024, cacheSize: 0 });
    // incompressible bytes (Snappy would shrink a filled array to nothing)
    const node = (i: number) => {
      const out = new Uint8Array(600);
      let x = (i + 1) * 2654435761;
      for (let j = 0; j < out.length; j++) out[j] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
      return out;
    };
    for (let b = 0; b < 40; b++) {
      const nodes: Array<[Uint8Array, Uint8Array]> = [];
      for (let i = 0; i < 250; i++) nodes.push([hash(b * 250 + i), node(b * 250 + i)]);
      await small.write(new ChainBatch().block(hash(1_000_000 + b), new Uint8Array([b]), new Uint8Array([b]), nodes).canonical(b, hash(1_000_000 + b)), { durable: false });
    }
    for (let i = 0; i < 10_000; i += 97) expect(bytes(small.get(hash(i)))).toEqual(node(i));
    expect(readdirSync(path).filter((f) => f.endsWith(".ldb")).length).toBeGreaterThan(1);
    await small.close();

    const again = await ChainDb.open(path);
    for (let i = 0; i < 10_000; i += 13) expect(bytes(again.get(hash(i)))).toEqual(node(i));
    expect(bytes(again.canonicalHash(39))).toEqual(hash(1_000_039));
    await again.close();
  });
});
