/**
 * Partitions: the 4-authority local testnet, one node process per Linux network namespace
 * (lib/netns.ts: root and iproute2; CI sets FAULTS_REQUIRE_NETNS=1 so that a missing lab fails
 * instead of skipping). Three episodes, with seeded durations:
 *   1. a 2|2 partition (neither side can finalize) with transfers submitted on both sides, then healed;
 *   2. one node isolated (the other three keep finalizing), then back;
 *   3. one node's link flapping down and up.
 * Every node's finalizations are followed from its log for the whole run. Checked: the network
 * converges on one chain and finality resumes after each episode; no node ever finalizes two
 * different blocks at one height and no finalized block is ever reverted (every block any node
 * finalized is on every node's final chain); every transfer is included exactly once.
 */
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Keyring } from "@polkadot/keyring";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { localChainSpec } from "../../src/chain/spec.js";
import { peerIdOfSecret } from "../../src/p2p/nodeKey.js";
import { testNodeKey } from "../utils/testNetwork.js";
import { NetnsLab } from "./lib/netns.js";
import { suiteRandom } from "./lib/random.js";
import { finalizations, killAll, rpcCall, spawnCli, waitLine, type NodeProcess } from "./lib/proc.js";
import { delay, poll } from "./lib/wait.js";
import { TransferSigner, signingIdentity } from "./lib/transfers.js";

const unavailable = NetnsLab.unavailable();
if (unavailable && process.env.FAULTS_REQUIRE_NETNS === "1") throw new Error(`the partition suite needs network namespaces: ${unavailable}`);
if (unavailable) console.log(`[faults] partition suite skipped: ${unavailable} (FAULTS_REQUIRE_NETNS=1 makes this an error)`);

const NAMES = ["Alice", "Bob", "Charlie", "Dave"];
const BLOCK_MS = 1000;
let lab: NetnsLab | undefined;
const procs: NodeProcess[] = [];
const dirs: string[] = [];
const report: string[] = [];

afterAll(async () => {
  await killAll();
  lab?.destroy();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  if (lab) report.push(`cleanup: ${lab.leftovers().length} namespaces or links left`);
  console.log(`[faults] partitions\n  ${report.join("\n  ")}`);
});

describe.skipIf(unavailable !== undefined)("partitions between four authorities in network namespaces", () => {
  it("2|2 partition with transfers on both sides, an isolated node, a flapping link: one chain, finality resumes, nothing reverted, nothing lost or doubled", async () => {
    await cryptoWaitReady();
    const r = suiteRandom("partition");
    const started = performance.now();
    lab = await NetnsLab.create(4);
    const l = lab;
    const keys = NAMES.map((_, i) => testNodeKey(40 + i));
    const peerIds = await Promise.all(keys.map((k) => peerIdOfSecret(Buffer.from(k, "hex"))));
    const addr = (i: number) => `/ip4/${l.nodes[i].dataIp}/tcp/30333/p2p/${peerIds[i]}`;
    for (let i = 0; i < 4; i++) {
      const base = mkdtempSync(join(tmpdir(), `subtensor-ts-faults-part-${NAMES[i]}-`));
      dirs.push(base);
      const args = [
        "start", "--chain", "local", "--block-time", String(BLOCK_MS), "--authority", `//${NAMES[i]}`, "--base-path", base,
        "--rpc-port", "9944", "--rpc-external", "--rpc-methods", "unsafe", "--listen-addr", `/ip4/${l.nodes[i].dataIp}/tcp/30333`,
        "--node-key", keys[i], "--bootnodes", ...[0, 1, 2, 3].filter((j) => j !== i).map(addr), "--log-level", "info",
      ];
      procs.push(spawnCli(args, { netns: l.nodes[i].ns }));
    }
    const url = (i: number) => `http://${l.nodes[i].mgmtIp}:9944`;
    for (let i = 0; i < 4; i++) await waitLine(procs[i], (x) => /listening/.test(x.msg), 60_000, `${NAMES[i]}'s RPC`);
    const finalized = (i: number) => Math.max(0, ...finalizations(procs[i]).map((f) => f.number));
    const minFinalized = (nodes = [0, 1, 2, 3]) => Math.min(...nodes.map(finalized));
    const heads = async () => (await Promise.all([0, 1, 2, 3].map(async (i) => `${NAMES[i]} best #${parseInt((await rpcCall(url(i), "chain_getHeader").catch(() => ({ number: "0x0" }))).number, 16)} fin #${finalized(i)}`))).join("; ");
    const headsNow = { text: "" };
    const finalityTo = async (target: number, nodes: number[], what: string, ms = 90_000) => {
      await poll(async () => {
        headsNow.text = await heads();
        return minFinalized(nodes) >= target;
      }, ms, () => `${what}: finality #${target} on ${nodes.map((i) => NAMES[i]).join(", ")} (${headsNow.text})`, 500);
    };
    await finalityTo(3, [0, 1, 2, 3], "the network to start");
    report.push(`started in ${((performance.now() - started) / 1000).toFixed(0)} s`);

    // transfers: signed here, submitted on both sides of the partition
    const signer = await TransferSigner.create(await localChainSpec(BLOCK_MS), await signingIdentity(url(0)));
    const keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
    const dest = (n: string) => keyring.addFromUri(`//${n}//stash`).publicKey;
    const eve = signer.account("//Eve");
    const ferdie = signer.account("//Ferdie");
    const charlie = signer.account("//Charlie");
    const sideA = [0, 1, 2].map((n) => signer.transfer(eve, dest("A"), 1000n + BigInt(n), n));
    const sideB = [0, 1, 2].map((n) => signer.transfer(ferdie, dest("B"), 2000n + BigInt(n), n));
    const both = signer.transfer(charlie, dest("AB"), 3000n, 0);
    const all = [...sideA, ...sideB, both];

    // ---- episode 1: 2|2
    const f1 = minFinalized();
    l.partition([[0, 1], [2, 3]]);
    const split = r.int(15, 25) * 1000;
    for (const tx of sideA) await rpcCall(url(0), "author_submitExtrinsic", [tx.hex]);
    for (const tx of sideB) await rpcCall(url(2), "author_submitExtrinsic", [tx.hex]);
    await rpcCall(url(1), "author_submitExtrinsic", [both.hex]);
    await rpcCall(url(3), "author_submitExtrinsic", [both.hex]);
    await delay(split);
    const duringSplit = await heads();
    // neither half can have finalized anything new beyond what was already in flight
    expect(minFinalized()).toBeLessThanOrEqual(f1 + 2);
    l.heal();
    const healed = performance.now();
    await finalityTo(f1 + 8, [0, 1, 2, 3], "finality after the 2|2 partition healed", 120_000);
    report.push(`2|2 partition for ${split / 1000} s (${duringSplit}); after healing, finality passed #${f1 + 8} on all four in ${((performance.now() - healed) / 1000).toFixed(0)} s`);

    // ---- episode 2: isolate one node
    const lone = r.int(0, 3);
    const others = [0, 1, 2, 3].filter((i) => i !== lone);
    const f2 = minFinalized();
    l.isolate(lone);
    const isolation = r.int(10, 18) * 1000;
    await finalityTo(f2 + 3, others, `the other three to keep finalizing while ${NAMES[lone]} is isolated`, isolation + 30_000);
    await delay(Math.max(0, isolation - 3000));
    l.heal();
    const back = performance.now();
    await finalityTo(minFinalized(others) + 2, [0, 1, 2, 3], `${NAMES[lone]} to catch up after isolation`, 90_000);
    report.push(`${NAMES[lone]} isolated for ${isolation / 1000} s: the other three kept finalizing; it caught up in ${((performance.now() - back) / 1000).toFixed(0)} s`);

    // ---- episode 3: a flapping link
    const flapper = r.int(0, 3);
    const flaps: string[] = [];
    const flapEnd = Date.now() + r.int(12, 20) * 1000;
    while (Date.now() < flapEnd) {
      const down = r.int(300, 3000);
      const up = r.int(300, 3000);
      l.setLink(flapper, false);
      await delay(down);
      l.setLink(flapper, true);
      await delay(up);
      flaps.push(`${down}/${up}`);
    }
    l.heal();
    const f3 = Math.max(...[0, 1, 2, 3].map(finalized));
    await finalityTo(f3 + 3, [0, 1, 2, 3], `finality after ${NAMES[flapper]}'s link flapped`, 90_000);
    report.push(`${NAMES[flapper]}'s link flapped ${flaps.length} times (down/up ms ${flaps.join(" ")}); finality passed #${f3 + 3} everywhere`);

    // ---- every transfer included exactly once on the common chain
    const countIn = async (i: number) => {
      const best = parseInt((await rpcCall(url(i), "chain_getHeader")).number, 16);
      const seen = new Map<string, number>();
      for (let n = 1; n <= best; n++) {
        const block = await rpcCall(url(i), "chain_getBlock", [await rpcCall(url(i), "chain_getBlockHash", [n])]);
        for (const x of block.block.extrinsics as string[]) seen.set(x, (seen.get(x) ?? 0) + 1);
      }
      return all.map((tx) => seen.get(tx.hex) ?? 0);
    };
    let counts: number[] = [];
    await poll(async () => (counts = await countIn(0)).every((c) => c === 1), 60_000, () => `every transfer included once on Alice's chain: ${JSON.stringify(counts)}`, 2000);
    const target = minFinalized() + 2;
    await finalityTo(target, [0, 1, 2, 3], "the transfers to be finalized");
    for (let i = 0; i < 4; i++) expect(await countIn(i), `${NAMES[i]}: inclusions of the ${all.length} transfers`).toEqual(all.map(() => 1));

    // ---- no finalized block was ever reverted, anywhere
    const byNumber = new Map<number, string>();
    for (let i = 0; i < 4; i++) {
      const fs = finalizations(procs[i]);
      for (let k = 1; k < fs.length; k++) expect(fs[k].number, `${NAMES[i]}'s finalized number went down`).toBeGreaterThan(fs[k - 1].number);
      for (const f of fs) {
        const other = byNumber.get(f.number);
        if (other) expect(f.hash, `#${f.number} finalized as two different blocks`).toBe(other);
        byNumber.set(f.number, f.hash);
      }
    }
    const hashes = await Promise.all([0, 1, 2, 3].map((i) => Promise.all([...byNumber.keys()].map((n) => rpcCall(url(i), "chain_getBlockHash", [n])))));
    const numbers = [...byNumber.keys()];
    for (let i = 0; i < 4; i++) numbers.forEach((n, k) => expect(hashes[i][k], `${NAMES[i]} #${n}`).toBe(byNumber.get(n)));
    // and one chain: the same best block on all four once they are quiet (or at least the same finalized chain)
    report.push(`${byNumber.size} finalized heights observed across the nodes, each one block, all on every node's chain; ${all.length} transfers included exactly once; total ${((performance.now() - started) / 1000).toFixed(0)} s`);
  });
});
