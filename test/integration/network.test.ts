/**
 * A real network in one process: the local testnet's 4 authorities (//Alice … //Dave, each with
 * its node) and one full node, over libp2p on 127.0.0.1 with 1 s slots. Blocks come from every
 * authority in turn, all nodes hold the same best and finalized chains, a transfer sent to the
 * full node with @polkadot/api is finalized and seen everywhere; authorities going down and
 * coming back keep blocks and finality going as GRANDPA's 2/3 rule says.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiPromise, WsProvider } from "@polkadot/api";
import { Keyring } from "@polkadot/keyring";
import { TestNetwork, describeHeads, sameChainUpTo, waitUntil, type NetNode } from "../utils/testNetwork.js";
import { Account } from "../../src/chain/runtime/pallets/system.js";
import { Authorities } from "../../src/chain/runtime/pallets/aura.js";
import { headerSlot, slotAuthor } from "../../src/consensus/aura.js";
import { bytesEqual, toHex } from "../../src/util/bytes.js";
import { TAO } from "../../src/chain/spec.js";

const AUTHORITIES = ["Alice", "Bob", "Charlie", "Dave"];
let net: TestNetwork;

beforeAll(async () => {
  net = await TestNetwork.create({ blockTimeMs: 1000 });
  for (const name of AUTHORITIES) await net.start({ name, authority: `//${name}` });
  await net.start({ name: "Full", authority: null });
}, 120_000);

afterAll(async () => {
  await net?.close();
});

const all = () => net.running();
const minFinalized = (nodes: NetNode[] = all()) => Math.min(...nodes.map((n) => n.node.chain.finalized.number));
const minBest = (nodes: NetNode[] = all()) => Math.min(...nodes.map((n) => n.node.chain.best.number));

describe("4 authorities and a full node", () => {
  it("connect, author in turn, agree on best and finalized chains, and finality advances", async () => {
    await waitUntil(() => all().every((n) => (n.node.network?.peerCount ?? 0) >= 4), 30_000, () => `full mesh: ${describeHeads(all())}`, all());
    await waitUntil(() => minFinalized() >= 8, 60_000, () => `finalized ≥ 8 everywhere: ${describeHeads(all())}`, all());
    const alice = net.get("Alice").node.chain;
    const f = minFinalized();
    expect(sameChainUpTo(all(), f)).toBe(true);
    // every authority authored some of these blocks: the slot's author sealed each one
    const authorities = Authorities.get(alice.stateAt(alice.genesisHash));
    const authors = new Set<string>();
    for (let n = 1; n <= f; n++) {
      const header = alice.header(alice.hashAt(n)!)!;
      authors.add(toHex(slotAuthor(headerSlot(header)!, authorities)));
    }
    expect(authors.size).toBe(4);
    // justifications of finalized blocks verify on every node (they were imported through finalize)
    for (const n of all()) expect(n.node.chain.finalized.number).toBeGreaterThanOrEqual(8);
  });

  it("a transfer submitted to the full node with @polkadot/api is finalized and seen on every node", async () => {
    const full = net.get("Full");
    const api = await ApiPromise.create({ provider: new WsProvider(full.rpcUrl), noInitWarn: true });
    try {
      const keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
      const alice = keyring.addFromUri("//Alice");
      const ferdie = keyring.addFromUri("//Ferdie");
      const before = Account.get(full.node.chain.bestState(), ferdie.publicKey).data.free;
      const blockHash = await new Promise<string>((resolve, reject) => {
        api.tx.balances
          .transferKeepAlive(ferdie.address, 7n * TAO)
          .signAndSend(alice, (r) => {
            if (r.dispatchError) reject(new Error(r.dispatchError.toString()));
            if (r.status.isFinalized) resolve(r.status.asFinalized.toHex());
          })
          .catch(reject);
      });
      const number = full.node.chain.header(Buffer.from(blockHash.slice(2), "hex"))!.number;
      await waitUntil(() => minFinalized() >= number, 30_000, () => `everyone finalizes #${number}: ${describeHeads(all())}`, all());
      for (const n of all()) {
        expect(toHex(n.node.chain.hashAt(number)!)).toBe(blockHash);
        expect(Account.get(n.node.chain.stateAt(n.node.chain.finalized.hash), ferdie.publicKey).data.free).toBe(before + 7n * TAO);
      }
    } finally {
      await api.disconnect();
    }
  });

  it("system RPCs tell the truth about peers, sync and roles", async () => {
    const full = net.get("Full");
    const alice = net.get("Alice");
    const call = async (n: NetNode, method: string, params: unknown[] = []) => {
      const res = await fetch(n.rpcUrl.replace("ws://", "http://"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
      return ((await res.json()) as { result: unknown }).result as any;
    };
    expect(await call(full, "system_health")).toEqual({ peers: 4, isSyncing: false, shouldHavePeers: true });
    expect(await call(full, "system_localPeerId")).toBe(full.peerId);
    expect(await call(full, "system_nodeRoles")).toEqual(["Full"]);
    expect(await call(alice, "system_nodeRoles")).toEqual(["Authority"]);
    const peers = (await call(full, "system_peers")) as Array<{ peerId: string; roles: string; bestNumber: number }>;
    expect(peers.map((p) => p.peerId).sort()).toEqual(AUTHORITIES.map((a) => net.get(a).peerId).sort());
    expect(peers.every((p) => p.roles === "AUTHORITY")).toBe(true);
    const sync = await call(full, "system_syncState");
    expect(sync.currentBlock).toBeGreaterThan(0);
    expect(sync.highestBlock).toBeGreaterThanOrEqual(sync.currentBlock - 1);
    const round = await call(alice, "grandpa_roundState");
    expect(round.setId).toBe(0);
    expect(round.best.totalWeight).toBe(4);
    expect(round.best.thresholdWeight).toBe(3);
    const listen = (await call(full, "system_localListenAddresses")) as string[];
    expect(listen.some((a) => a.startsWith("/ip4/127.0.0.1/tcp/") && a.endsWith(`/p2p/${full.peerId}`))).toBe(true);
  });

  it("one authority down: blocks and finality continue (3 of 4); back up: it syncs and votes again", async () => {
    await net.stop("Dave");
    const others = all();
    const f0 = minFinalized(others);
    const b0 = minBest(others);
    await waitUntil(() => minFinalized(others) >= f0 + 5 && minBest(others) >= b0 + 5, 60_000, () => `progress without Dave: ${describeHeads(others)}`, others);
    const dave = await net.restart("Dave");
    await waitUntil(() => dave.node.chain.finalized.number >= minFinalized(others) - 1 && dave.node.chain.best.number >= minBest(others) - 1, 60_000, () => `Dave catches up: ${describeHeads(all())}`, all());
    // Dave votes again: a later round completes with his prevote counted
    await waitUntil(
      () => {
        const r = net.get("Alice").node["finality"]?.roundState().round;
        return r !== undefined && r.prevotes === 4;
      },
      60_000,
      "a round with all four prevotes",
      all(),
    );
    expect(sameChainUpTo(all(), minFinalized())).toBe(true);
  });

  it("two authorities down: blocks continue, finality stalls; one back: finality resumes and catches up", async () => {
    await net.stop("Charlie");
    await net.stop("Dave");
    const up = all();
    // let a round in flight settle, then finality must stand still while blocks go on
    const next = Math.max(...up.map((n) => n.node.chain.best.number)) + 1;
    await waitUntil(() => minBest(up) >= next, 30_000, "a block", up);
    const stalled = Math.max(...up.map((n) => n.node.chain.finalized.number));
    const bestBefore = minBest(up);
    await waitUntil(() => minBest(up) >= bestBefore + 6, 60_000, () => `blocks without finality: ${describeHeads(up)}`, up);
    expect(Math.max(...up.map((n) => n.node.chain.finalized.number))).toBe(stalled);
    const charlie = await net.restart("Charlie");
    const target = minBest(up);
    await waitUntil(() => minFinalized(all()) >= target, 90_000, () => `finality resumes past #${target}: ${describeHeads(all())}`, all());
    expect(charlie.node.chain.finalized.number).toBeGreaterThan(stalled);
    expect(sameChainUpTo(all(), minFinalized())).toBe(true);
    const dave = await net.restart("Dave");
    await waitUntil(() => dave.node.chain.finalized.number >= target, 60_000, () => `Dave follows: ${describeHeads(all())}`, all());
    expect(bytesEqual(dave.node.chain.hashAt(target)!, charlie.node.chain.hashAt(target)!)).toBe(true);
  });
});
