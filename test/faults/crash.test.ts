/**
 * Crash safety: a real node process is SIGKILLed at random moments (seeded: FAULTS_SEED) while it
 * authors blocks with transactions, while it imports a long chain by sync, and while it votes and
 * finalizes with three other authorities; it is restarted on the same base path every time. After
 * each kill, with the node down, the database is checked from outside (lib/dbCheck.ts): the head
 * is a stored block whose state *recomputes from scratch* to its header's state root, the
 * canonical index and leaves are consistent, every block the node had reported imported is still
 * there (or provably pruned by finality), the finalized block never goes down and earlier
 * finalized hashes never change. Each restart must open exactly that head, and the node must
 * rejoin: resume authoring (an observer follows it), resume syncing, or catch up with the
 * network's finality.
 */
import { afterAll, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { devChainSpec, localChainSpec, type ChainSpec } from "../../src/chain/spec.js";
import { Node } from "../../src/node/node.js";
import { peerIdOfSecret } from "../../src/p2p/nodeKey.js";
import { toHex } from "../../src/util/bytes.js";
import { buildChain, fundSenders } from "../../bench/chainBuilder.js";
import { TestNetwork, testNodeKey, type NetNode } from "../utils/testNetwork.js";
import { suiteRandom, type Prng } from "./lib/random.js";
import { freePort, killAll, rpcCall, waitLine } from "./lib/proc.js";
import { TempDirs } from "./lib/tempDirs.js";
import { Victim } from "./lib/victim.js";
import { delay, poll } from "./lib/wait.js";
import { TransferSigner, nextNonce, signingIdentity } from "./lib/transfers.js";
import { captureLogger, type CapturedLogger } from "./lib/capture.js";

const rnd = suiteRandom("crash");
const [AUTHORING_KILLS, SYNC_KILLS, FINALITY_KILLS] = (process.env.FAULTS_CRASH_KILLS ?? "20,16,16").split(",").map(Number);

const dirs = new TempDirs();
const nets: TestNetwork[] = [];
const summary: string[] = [];

const tempDir = (name: string): string => dirs.make(name);

afterAll(async () => {
  await killAll();
  for (const n of nets) await n.close().catch(() => undefined);
  dirs.removeAll();
  if (summary.length) console.log(`[faults] crash summary\n  ${summary.join("\n  ")}`);
});

type AnchorKind = "boot" | "import" | "finalize";
interface Anchor {
  kind: AnchorKind;
  /** blocks past the run's starting point */
  blocks: number;
  /** extra delay after the anchor event, ms */
  delayMs: number;
}

interface ModeStats {
  kills: number;
  anchors: Record<AnchorKind, number>;
  unloggedHeads: number;
  pruned: number;
  maxKeys: number;
  /** the best block on disk after each kill (-1: killed before genesis was written) */
  restartedAt: number[];
  emptyDisks: number;
}

const newStats = (): ModeStats => ({ kills: 0, anchors: { boot: 0, import: 0, finalize: 0 }, unloggedHeads: 0, pruned: 0, maxKeys: 0, restartedAt: [], emptyDisks: 0 });

function chooseAnchor(r: Prng, o: { boot: number; import: [number, number, number]; finalize: [number, number, number]; bootMaxMs: number }): Anchor {
  const x = r.next();
  if (x < o.boot) return { kind: "boot", blocks: 0, delayMs: r.int(0, o.bootMaxMs) };
  if (x < o.boot + (1 - o.boot) / 2) return { kind: "import", blocks: r.int(o.import[0], o.import[1]), delayMs: r.int(0, o.import[2]) };
  return { kind: "finalize", blocks: r.int(o.finalize[0], o.finalize[1]), delayMs: r.int(0, o.finalize[2]) };
}

/**
 * One cycle: spawn, wait for the anchor (with a deadline), SIGKILL, check the disk. `rejoin` runs
 * once the node is up (not for boot kills) and checks it takes part again.
 */
async function killCycle(v: Victim, stats: ModeStats, anchor: Anchor, rejoin?: () => Promise<void>): Promise<void> {
  const startBest = v.lastDisk?.best.number ?? 0;
  const startFinalized = v.lastDisk?.finalized.number ?? 0;
  if (anchor.kind === "boot") {
    v.spawn();
    await delay(anchor.delayMs);
  } else {
    const p = await v.start();
    if (rejoin) await rejoin();
    if (anchor.kind === "import") {
      await waitLine(p, (l) => l.msg.startsWith("Imported #") && (l.number as number) >= startBest + anchor.blocks, 60_000, `${v.name}: an import of #${startBest + anchor.blocks}`);
    } else {
      await waitLine(p, (l) => l.msg.startsWith("Finalized #") && (l.number as number) >= startFinalized + anchor.blocks, 60_000, `${v.name}: finality of #${startFinalized + anchor.blocks}`);
    }
    await delay(anchor.delayMs);
  }
  await v.kill();
  stats.kills++;
  stats.anchors[anchor.kind]++;
  const report = await v.verifyDisk();
  if (report.unloggedHead) stats.unloggedHeads++;
  stats.pruned += report.pruned;
  if (report.disk === "empty") {
    stats.emptyDisks++;
    stats.restartedAt.push(-1);
    return;
  }
  stats.maxKeys = Math.max(stats.maxKeys, report.disk.keys);
  stats.restartedAt.push(report.disk.best.number);
}

function describeStats(mode: string, s: ModeStats, seconds: number, extra = ""): string {
  return `${mode}: ${s.kills} kills in ${seconds.toFixed(0)} s (boot ${s.anchors.boot}, after an import ${s.anchors.import}, after a finalization ${s.anchors.finalize}); heads committed but not yet logged ${s.unloggedHeads}; killed before genesis ${s.emptyDisks}; pruned blocks ${s.pruned}; up to ${s.maxKeys} state keys recomputed; heads at ${s.restartedAt.join(",")}${extra}`;
}

/** A fixed identity and port for the victim, so peers keep one address for it across restarts. */
async function victimIdentity(keyIndex: number): Promise<{ nodeKey: string; peerId: string; port: number; addr: string }> {
  const nodeKey = testNodeKey(keyIndex);
  const peerId = await peerIdOfSecret(Buffer.from(nodeKey, "hex"));
  const port = await freePort();
  return { nodeKey, peerId, port, addr: `/ip4/127.0.0.1/tcp/${port}/p2p/${peerId}` };
}

describe("crash safety: SIGKILL at random moments, restart, verify", () => {
  it(`while authoring with transactions (${AUTHORING_KILLS} kills)`, async () => {
    await cryptoWaitReady();
    const started = performance.now();
    const r = rnd.fork("authoring");
    const blockTime = 250;
    const base = tempDir("authoring");
    const id = await victimIdentity(20);
    const spec = await devChainSpec(blockTime);
    const v = new Victim("authoring", Node.dbPath(base, spec.id), () => [
      "start", "--dev", "--base-path", base, "--block-time", String(blockTime), "--rpc-port", "0",
      "--listen-addr", `/ip4/127.0.0.1/tcp/${id.port}`, "--node-key", id.nodeKey, "--log-level", "info",
    ]);
    // an observer follows the victim: after each restart it must get the victim's blocks again
    const net = await TestNetwork.create({ spec });
    nets.push(net);
    const observer: NetNode = await net.start({ name: "Observer", authority: null, bootnodes: [id.addr], p2p: { reservedNodes: [id.addr] } });

    // transactions: transfers to new accounts from five funded senders, submitted all along
    await v.start();
    const signer = await TransferSigner.create(spec, await signingIdentity(v.url));
    const senders = ["//Bob", "//Charlie", "//Dave", "//Eve", "//Ferdie"].map((s) => signer.account(s));
    const load = r.fork("load");
    let loading = true;
    let submitted = 0;
    const loadLoop = (async () => {
      while (loading) {
        for (const s of senders) {
          if (!loading) break;
          try {
            const nonce = await nextNonce(v.url, s.address);
            const tx = signer.transfer(s, load.bytes(32), 1000n + BigInt(load.int(0, 1_000_000)), nonce);
            await rpcCall(v.url, "author_submitExtrinsic", [tx.hex], 2000);
            submitted++;
          } catch {
            // the node is down or restarting: try again
          }
        }
        await delay(10);
      }
    })();

    const stats = newStats();
    try {
      // first kill of the running node, then cycles
      await v.kill();
      await v.verifyDisk();
      for (let i = 0; i < AUTHORING_KILLS; i++) {
        const anchor = chooseAnchor(r, { boot: 0.2, import: [1, 4, 200], finalize: [1, 4, 40], bootMaxMs: 2000 });
        await killCycle(v, stats, anchor, async () => {
          // rejoin: the observer gets everything the victim had committed before the kill
          const head = v.lastDisk?.best;
          if (!head) return;
          await poll(() => observer.node.chain.has(Buffer.from(head.hash.slice(2), "hex")), 30_000, () => `the observer to get the victim's head #${head.number} (observer best #${observer.node.chain.best.number})`);
        });
      }
      // last run: authoring resumes and the observer's chain is the victim's
      const p = await v.start();
      const target = (v.lastDisk?.best.number ?? 0) + 3;
      await waitLine(p, (l) => l.msg.startsWith("Finalized #") && (l.number as number) >= target, 30_000, "authoring and finality to resume");
      await poll(() => observer.node.chain.finalized.number >= target, 30_000, "the observer to finalize the victim's blocks");
      const fin = observer.node.chain.finalized.number;
      for (let n = 1; n <= fin; n++) {
        const h = toHex(observer.node.chain.hashAt(n)!);
        const known = v.finalized.get(n) ?? (await rpcCall(v.url, "chain_getBlockHash", [n]));
        expect(h, `#${n}`).toBe(known);
      }
      expect((await v.stop()).code).toBe(0);
      const report = await v.verifyDisk();
      expect(report.disk !== "empty" && report.disk.finalized.number).toBeGreaterThanOrEqual(target);
    } finally {
      loading = false;
      await loadLoop;
    }
    expect(submitted).toBeGreaterThan(AUTHORING_KILLS);
    const seconds = (performance.now() - started) / 1000;
    summary.push(describeStats("authoring", stats, seconds, `; ${submitted} transfers submitted`));
    console.log(`[faults] ${summary[summary.length - 1]}`);
    expect(stats.kills).toBe(AUTHORING_KILLS);
  });

  it(`while importing a long chain by sync (${SYNC_KILLS} kills)`, async () => {
    await cryptoWaitReady();
    const started = performance.now();
    const r = rnd.fork("sync");
    const spec = await localChainSpec(1000);
    await fundSenders(spec);
    const specFile = join(tempDir("sync-spec"), "spec.json");
    writeFileSync(specFile, JSON.stringify(spec));
    const seed = tempDir("sync-seed");
    const BLOCKS = Number(process.env.FAULTS_SYNC_BLOCKS ?? 1200);
    const built = await buildChain(spec, seed, { blocks: BLOCKS, transfersPerBlock: 8, justifyEvery: 20 });
    const net = await TestNetwork.create({ spec });
    nets.push(net);
    // the source has the chain and no authority key: it only serves
    const source = await net.start({ name: "Source", authority: null, basePath: seed });
    expect(source.node.chain.best.number).toBe(BLOCKS);
    const base = tempDir("sync-victim");
    const v = new Victim("sync", Node.dbPath(base, spec.id), () => [
      "start", "--chain", specFile, "--base-path", base, "--rpc-port", "0", "--listen-addr", "/ip4/127.0.0.1/tcp/0",
      "--bootnodes", source.addr, "--log-level", "info",
    ]);
    const stats = newStats();
    for (let i = 0; i < SYNC_KILLS; i++) {
      const anchor = chooseAnchor(r, { boot: 0.15, import: [1, 60, 40], finalize: [1, 3, 15], bootMaxMs: 2500 });
      const before = v.lastDisk?.best.number ?? 0;
      if (before >= BLOCKS - 100) throw new Error(`the victim synced ${before} of ${BLOCKS} blocks before its ${SYNC_KILLS} kills: build a longer chain (FAULTS_SYNC_BLOCKS)`);
      await killCycle(v, stats, anchor);
    }
    // the last run completes the sync: the source's chain, finalized to its last justification
    const p = await v.start();
    await waitLine(p, (l) => l.msg.startsWith("Finalized #") && (l.number as number) >= BLOCKS, 180_000, `the sync to complete (${BLOCKS} blocks)`);
    expect(await rpcCall(v.url, "chain_getFinalizedHead")).toBe(toHex(built.hash));
    for (const n of [1, Math.floor(BLOCKS / 2), BLOCKS]) expect(await rpcCall(v.url, "chain_getBlockHash", [n])).toBe(toHex(source.node.chain.hashAt(n)!));
    expect((await v.stop()).code).toBe(0);
    const report = await v.verifyDisk();
    expect(report.disk !== "empty" && report.disk.best.hash).toBe(toHex(built.hash));
    const seconds = (performance.now() - started) / 1000;
    summary.push(describeStats("sync", stats, seconds, `; chain of ${BLOCKS} blocks × 8 transfers, justification every 20`));
    console.log(`[faults] ${summary[summary.length - 1]}`);
    expect(stats.kills).toBe(SYNC_KILLS);
  });

  it(`while voting and finalizing with three other authorities (${FINALITY_KILLS} kills)`, async () => {
    await cryptoWaitReady();
    const started = performance.now();
    const r = rnd.fork("finality");
    const spec: ChainSpec = await localChainSpec(1000);
    const net = await TestNetwork.create({ spec });
    nets.push(net);
    const logs: Record<string, CapturedLogger> = {};
    const others: NetNode[] = [];
    for (const name of ["Alice", "Bob", "Charlie"]) {
      logs[name] = captureLogger("warn", name);
      others.push(await net.start({ name, authority: `//${name}`, logger: logs[name].logger }));
    }
    const id = await victimIdentity(21);
    const base = tempDir("finality-dave");
    const v = new Victim("finality", Node.dbPath(base, spec.id), () => [
      "start", "--chain", "local", "--block-time", "1000", "--authority", "//Dave", "--base-path", base, "--rpc-port", "0",
      "--listen-addr", `/ip4/127.0.0.1/tcp/${id.port}`, "--node-key", id.nodeKey, "--bootnodes", ...others.map((o) => o.addr), "--log-level", "info",
    ]);
    const networkFinalized = () => Math.max(...others.map((o) => o.node.chain.finalized.number));
    await poll(() => networkFinalized() >= 2, 60_000, "the three authorities to finalize");
    const stats = newStats();
    for (let i = 0; i < FINALITY_KILLS; i++) {
      const anchor = chooseAnchor(r, { boot: 0.2, import: [1, 3, 500], finalize: [1, 3, 500], bootMaxMs: 2500 });
      await killCycle(v, stats, anchor, async () => {
        // rejoin: the victim catches up with the network's finality as it was at the restart
        const target = networkFinalized();
        await waitLine(v.proc!, (l) => l.msg.startsWith("Finalized #") && (l.number as number) >= target, 45_000, `Dave to catch up with finality #${target}`);
      });
    }
    // last run: Dave takes part again; everyone agrees on the finalized chain
    const p = await v.start();
    const target = networkFinalized() + 3;
    await waitLine(p, (l) => l.msg.startsWith("Finalized #") && (l.number as number) >= target, 60_000, `finality to reach #${target} with Dave back`);
    for (let n = 1; n <= target; n++) {
      const h = (await rpcCall(v.url, "chain_getBlockHash", [n])) as string;
      for (const o of others) expect(toHex(o.node.chain.hashAt(n)!), `${o.name} #${n}`).toBe(h);
    }
    expect((await v.stop()).code).toBe(0);
    await v.verifyDisk();
    // Dave's voter state survived every kill: he never signed two different votes in one round
    const equivocations = Object.values(logs).flatMap((l) => l.lines.filter((x) => /equivocat/i.test(x.msg)));
    expect(equivocations, JSON.stringify(equivocations.slice(0, 3))).toEqual([]);
    const seconds = (performance.now() - started) / 1000;
    summary.push(describeStats("finality", stats, seconds, `; network finalized #${networkFinalized()}`));
    console.log(`[faults] ${summary[summary.length - 1]}`);
    expect(stats.kills).toBe(FINALITY_KILLS);
  });
});
