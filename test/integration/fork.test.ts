/**
 * Forks and reorgs on a real network: the four local authorities run with reserved peers only, so
 * removing reserved peers splits them into {Alice, Bob} and {Charlie, Dave}. Each side builds its
 * own branch in its own slots (and finality stalls: 2 of 4); a transfer goes into each branch.
 * After healing, every node converges on one chain, finality resumes past the fork, and both
 * transfers are in the winning chain exactly once: the losing branch's transaction went back to
 * the pool on reorg and was included again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Keyring } from "@polkadot/keyring";
import { TestNetwork, describeHeads, sameChainUpTo, testNodeKey, waitUntil, type NetNode } from "../utils/testNetwork.js";
import { ChainHarness } from "../utils/chainHarness.js";
import { peerIdOfSecret } from "../../src/p2p/nodeKey.js";
import { blake2_256 } from "../../src/util/hash.js";
import { bytesEqual, toHex } from "../../src/util/bytes.js";
import { TAO } from "../../src/chain/spec.js";
import { freePort } from "../../bench/network.js";

const NAMES = ["Alice", "Bob", "Charlie", "Dave"];
const LEFT = ["Alice", "Bob"];
const RIGHT = ["Charlie", "Dave"];
let net: TestNetwork;
const addrs = new Map<string, string>();


beforeAll(async () => {
  net = await TestNetwork.create({ blockTimeMs: 1000 });
  for (const [i, name] of NAMES.entries()) {
    addrs.set(name, `/ip4/127.0.0.1/tcp/${await freePort()}/p2p/${await peerIdOfSecret(Buffer.from(testNodeKey(i), "hex"))}`);
  }
  for (const name of NAMES) {
    const others = NAMES.filter((n) => n !== name).map((n) => addrs.get(n)!);
    await net.start({
      name,
      authority: `//${name}`,
      bootnodes: [],
      p2p: { listenAddrs: [addrs.get(name)!.replace(/\/p2p\/.*/, "")], reservedNodes: others, reservedOnly: true },
      logger: process.env.FORK_LOG ? (await import("pino")).default({ level: "debug" }, (await import("pino")).default.destination(`/tmp/fork-${name}.log`)) : undefined,
    });
  }
}, 120_000);

afterAll(async () => {
  await net?.close();
});

const nodes = (names: string[]) => names.map((n) => net.get(n));
const minFinalized = (ns: NetNode[]) => Math.min(...ns.map((n) => n.node.chain.finalized.number));
const peerIdOf = (name: string) => addrs.get(name)!.split("/p2p/")[1];

async function split(): Promise<void> {
  for (const a of LEFT) for (const b of RIGHT) {
    await net.get(a).node.network!.removeReservedPeer(peerIdOf(b));
    await net.get(b).node.network!.removeReservedPeer(peerIdOf(a));
  }
}

async function heal(): Promise<void> {
  for (const a of LEFT) for (const b of RIGHT) {
    await net.get(a).node.network!.addReservedPeer(addrs.get(b)!);
    await net.get(b).node.network!.addReservedPeer(addrs.get(a)!);
  }
}

/** The highest block number at which two nodes' canonical chains agree. */
function commonAncestor(a: NetNode, b: NetNode): number {
  let n = Math.min(a.node.chain.best.number, b.node.chain.best.number);
  while (n > 0 && !bytesEqual(a.node.chain.hashAt(n)!, b.node.chain.hashAt(n)!)) n--;
  return n;
}

/** How many times a transaction appears in a node's canonical chain from `from` to its best block. */
function inclusions(n: NetNode, txHash: Uint8Array, from: number): number {
  let count = 0;
  for (let i = from; i <= n.node.chain.best.number; i++) {
    for (const e of n.node.chain.body(n.node.chain.hashAt(i)!) ?? []) if (bytesEqual(blake2_256(e), txHash)) count++;
  }
  return count;
}

describe("a partition and its healing", () => {
  it("two sides build competing branches; after healing all nodes converge, finality resumes, no transaction is lost or doubled", async () => {
    const all = nodes(NAMES);
    await waitUntil(() => minFinalized(all) >= 3, 60_000, () => `a finalizing network: ${describeHeads(all)}`, all);
    await split();
    const forkAt = Math.max(...all.map((n) => n.node.chain.finalized.number));
    // a transfer into each side's pool (the chain harness signs as polkadot-js does)
    const left = net.get("Alice");
    const right = net.get("Charlie");
    const keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
    const sign = (n: NetNode, from: string) => {
      const h = new ChainHarness({ dir: n.basePath, spec: net.spec, db: n.node.db, chain: n.node.chain, pool: n.node.pool });
      return h.transfer(keyring.addFromUri(from), keyring.addFromUri("//Ferdie").publicKey, TAO);
    };
    const txLeft = sign(left, "//Eve");
    const txRight = sign(right, "//Dave");
    left.node.pool.submit(txLeft);
    right.node.pool.submit(txRight);
    const eveHash = blake2_256(txLeft);
    const daveHash = blake2_256(txRight);
    // both branches grow past the fork, with their transaction in them, and nothing is finalized
    await waitUntil(
      () =>
        nodes(LEFT).every((n) => n.node.chain.best.number >= forkAt + 4 && inclusions(n, eveHash, forkAt + 1) === 1) &&
        nodes(RIGHT).every((n) => n.node.chain.best.number >= forkAt + 4 && inclusions(n, daveHash, forkAt + 1) === 1),
      60_000,
      () => `two branches: ${describeHeads(all)}`,
      all,
    );
    // where the branches part: blocks authored before the split reached both sides (finality lags
    // the best block, so that can be past forkAt); both sides must have built past it, and nothing
    // past it may be finalized (two of four authorities cannot finalize)
    const common = commonAncestor(left, right);
    expect(common).toBeGreaterThanOrEqual(forkAt);
    expect(left.node.chain.best.number).toBeGreaterThan(common);
    expect(right.node.chain.best.number).toBeGreaterThan(common);
    expect(Math.max(...all.map((n) => n.node.chain.finalized.number))).toBeLessThanOrEqual(common);
    await heal();
    await waitUntil(
      () => {
        const f = minFinalized(all);
        return f >= forkAt + 6 && sameChainUpTo(all, f);
      },
      120_000,
      () => `convergence and finality past the fork: ${describeHeads(all)}\n${all.map((n) => `${n.name}: ${JSON.stringify((n.node as any).finality?.debugState())}`).join("\n")}`,
      all,
    );
    // both transfers are in the final chain exactly once, on every node
    const f = minFinalized(all);
    await waitUntil(() => all.every((n) => inclusions(n, eveHash, forkAt + 1) === 1 && inclusions(n, daveHash, forkAt + 1) === 1), 60_000, () => `both transfers included once: ${all.map((n) => `${n.name} eve ${inclusions(n, eveHash, forkAt + 1)} dave ${inclusions(n, daveHash, forkAt + 1)}`).join(", ")}`, all);
    for (const n of all) {
      expect(toHex(n.node.chain.hashAt(f)!)).toBe(toHex(net.get("Alice").node.chain.hashAt(f)!));
    }
  }, 300_000);
});
