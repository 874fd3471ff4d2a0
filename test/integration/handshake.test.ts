/**
 * Who may be a peer, and how big blocks travel. Nodes of another chain (protocol ids carry the
 * genesis hash) and nodes with another slot duration are refused at the handshake; a block whose
 * body is too large for a gossip message is announced by its header and fetched by request.
 */
import { afterEach, describe, expect, it } from "vitest";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { Keyring } from "@polkadot/keyring";
import { devChainSpec, localChainSpec } from "../../src/chain/spec.js";
import { blake2_256 } from "../../src/util/hash.js";
import { bytesEqual } from "../../src/util/bytes.js";
import { TestNetwork, describeHeads, waitUntil } from "../utils/testNetwork.js";
import { ChainHarness } from "../utils/chainHarness.js";

const nets: TestNetwork[] = [];
afterEach(async () => {
  while (nets.length) await nets.pop()!.close();
});

async function network(spec: Awaited<ReturnType<typeof localChainSpec>>): Promise<TestNetwork> {
  // distinct node keys across the networks of one test
  const n = await TestNetwork.create({ spec, firstKey: nets.length * 10 });
  nets.push(n);
  return n;
}

describe("handshake", () => {
  it("a node with another slot duration is refused and banned; one of another chain never becomes a peer", async () => {
    await cryptoWaitReady();
    const a = await network(await localChainSpec(1000));
    const alice = await a.start({ name: "Alice", authority: "//Alice" });
    // same genesis (the slot duration is not in it), different slots
    const b = await network(await localChainSpec(2000));
    const other = await b.start({ name: "Slow", authority: null, bootnodes: [alice.addr] });
    await waitUntil(() => alice.node.network!.isBanned(other.peerId), 20_000, "the node with 2000 ms slots is banned", [alice, other]);
    expect(alice.node.network!.peers().some((p) => p.peerId === other.peerId)).toBe(false);
    // another chain altogether: its protocols (named by its genesis) are not ours
    const c = await network(await devChainSpec(1000));
    const dev = await c.start({ name: "Dev", authority: "//Alice", bootnodes: [alice.addr] });
    await waitUntil(() => alice.node.network!.isBanned(dev.peerId) || dev.node.network!.isBanned(alice.peerId), 20_000, "the other chain's node is refused", [alice, dev]);
    expect(alice.node.network!.peers().some((p) => p.peerId === dev.peerId)).toBe(false);
    expect(dev.node.network!.peerCount).toBe(0);
  });
});

describe("discovery", () => {
  it("nodes that know only one bootnode find each other through their peers' lists", async () => {
    const net = await network(await localChainSpec(1000));
    const alice = await net.start({ name: "Alice", authority: "//Alice" });
    for (const name of ["Bob", "Charlie", "Dave"]) await net.start({ name, authority: `//${name}`, bootnodes: [alice.addr] });
    await waitUntil(() => net.nodes.every((n) => n.node.network!.peerCount === 3), 60_000, () => `a full mesh: ${describeHeads(net.nodes)}`, net.nodes);
  });
});

describe("large blocks", () => {
  it("a block above the gossip body limit is announced by header; peers fetch its body and import it", async () => {
    const net = await network(await devChainSpec(1000));
    const alice = await net.start({ name: "Alice", authority: "//Alice" });
    const full = await net.start({ name: "Full", authority: null });
    await waitUntil(() => full.node.chain.best.number >= 2, 30_000, () => describeHeads(net.nodes), net.nodes);
    // a 1.5 MiB remark, straight into the author's pool (the transaction topic carries up to 3.5 MiB)
    const h = new ChainHarness({ dir: alice.basePath, spec: net.spec, db: alice.node.db, chain: alice.node.chain, pool: alice.node.pool });
    const remark = h.sign(new Keyring({ type: "sr25519" }).addFromUri("//Bob"), h.encodeCall("System", "remark", { remark: new Uint8Array(1536 * 1024).fill(7) }));
    alice.node.pool.submit(remark);
    const txHash = blake2_256(remark);
    await waitUntil(
      () => {
        const loc = full.node.chain.txLocation(txHash);
        return loc !== undefined && full.node.chain.finalized.number >= full.node.chain.header(loc.blockHash)!.number;
      },
      60_000,
      () => `the full node imports and finalizes the large block: ${describeHeads(net.nodes)}`,
      net.nodes,
    );
    const loc = full.node.chain.txLocation(txHash)!;
    expect(bytesEqual(full.node.chain.body(loc.blockHash)![loc.index], remark)).toBe(true);
  });
});
