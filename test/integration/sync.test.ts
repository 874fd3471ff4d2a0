/**
 * Catching up over the network. A node that starts late syncs to its peers' head (verifying every
 * seal, state root and justification) and then follows gossip; an empty node syncs a long chain
 * from a single peer. The chains are built offline by the local testnet's authorities (past
 * slots), so the tests do not wait for thousands of slots.
 */
import { afterAll, describe, expect, it } from "vitest";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { localChainSpec } from "../../src/chain/spec.js";
import { bytesEqual } from "../../src/util/bytes.js";
import { TestNetwork, describeHeads, sameChainUpTo, waitUntil } from "../utils/testNetwork.js";
import { buildChain } from "../../bench/chainBuilder.js";

const dirs: string[] = [];
const nets: TestNetwork[] = [];
afterAll(async () => {
  for (const n of nets) await n.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(name: string): string {
  const d = mkdtempSync(join(tmpdir(), `subtensor-ts-sync-${name}-`));
  dirs.push(d);
  return d;
}

describe("sync", () => {
  it("a node started after 200 blocks syncs to the head, finalizes with the others, then follows gossip", async () => {
    const spec = await localChainSpec(1000);
    const seed = tempDir("seed");
    const built = await buildChain(spec, seed, { blocks: 200, justifyEvery: 50 });
    expect(built.number).toBe(200);
    const net = await TestNetwork.create({ spec });
    nets.push(net);
    for (const name of ["Alice", "Bob", "Charlie", "Dave"]) {
      const base = tempDir(name);
      cpSync(seed, base, { recursive: true });
      await net.start({ name, authority: `//${name}`, basePath: base });
    }
    const authorities = [...net.nodes];
    await waitUntil(() => authorities.every((n) => n.node.chain.finalized.number >= 203), 60_000, () => `the network goes on: ${describeHeads(authorities)}`, authorities);
    const late = await net.start({ name: "Late", authority: null });
    await waitUntil(() => late.node.chain.best.number >= 200, 60_000, () => `Late syncs: ${describeHeads(net.nodes)}`, net.nodes);
    // then it follows: best and finalized keep up with the authorities
    const target = Math.max(...authorities.map((n) => n.node.chain.best.number)) + 3;
    await waitUntil(() => late.node.chain.best.number >= target && late.node.chain.finalized.number >= target - 2, 60_000, () => `Late follows: ${describeHeads(net.nodes)}`, net.nodes);
    expect(sameChainUpTo(net.nodes, late.node.chain.finalized.number)).toBe(true);
    expect(bytesEqual(late.node.chain.hashAt(200)!, built.hash)).toBe(true);
  });

  // building 2000 blocks and syncing them takes ~20 s on a quiet machine, minutes on a busy one
  it("an empty node syncs a chain of 2000 blocks from one peer, verifying everything", { timeout: 300_000 }, async () => {
    const spec = await localChainSpec(1000);
    const seed = tempDir("seed2000");
    const built = await buildChain(spec, seed, { blocks: 2000, justifyEvery: 500 });
    const net = await TestNetwork.create({ spec });
    nets.push(net);
    // the source has the chain and no authority key: it only serves
    const source = await net.start({ name: "Source", authority: null, basePath: seed });
    expect(source.node.chain.best.number).toBe(2000);
    const started = performance.now();
    const empty = await net.start({ name: "Empty", authority: null });
    await waitUntil(() => empty.node.chain.best.number >= 2000 && empty.node.chain.finalized.number >= 2000, 240_000, () => `Empty syncs: ${describeHeads(net.nodes)}`, net.nodes);
    const seconds = (performance.now() - started) / 1000;
    const rate = 2000 / seconds;
    console.log(`synced 2000 empty blocks in ${seconds.toFixed(1)} s: ${rate.toFixed(0)} blocks/s`);
    expect(bytesEqual(empty.node.chain.best.hash, built.hash)).toBe(true);
    // justifications came with the blocks: the synced node finalized the last justified block
    expect(empty.node.chain.finalized.number).toBe(2000);
    // the rate is a figure (npm run bench measures sync against local import), not an assertion:
    // on a busy shared machine it says nothing about correctness
  });
});
