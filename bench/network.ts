/**
 * Network benchmarks (issue 8), each next to its baseline from the same run:
 *  - sync throughput: an empty node (its own OS process) syncs N blocks from a source node (another
 *    process) over libp2p on 127.0.0.1, with empty blocks and with blocks of 1000 signed transfers;
 *    the baseline is this machine importing the same blocks from memory in one process;
 *  - gossip latency: four authority processes with 1 s slots; for each block, the time from its
 *    import at the author to its import at each other node (median, p99), from the nodes' own
 *    JSON log timestamps (one clock: one machine).
 * Rates are measured between the first and the last "Imported" log lines, so process start-up
 * is not counted.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { localChainSpec, runtimeConfigOf, type ChainSpec } from "../src/chain/spec.js";
import { ChainDb } from "../src/chain/db/chainDb.js";
import { Blockchain } from "../src/chain/blockchain/blockchain.js";
import { createRuntime } from "../src/chain/runtime/index.js";
import { buildGenesis } from "../src/chain/genesis.js";
import { Node } from "../src/node/node.js";
import { silentLogger } from "../src/util/logger.js";
import { verifySignature } from "../src/chain/signatures/verify.js";
import { SignatureVerifierPool } from "../src/chain/signatures/pool.js";
import { auraHeaderVerifier, grandpaJustificationVerifier } from "../src/consensus/verifiers.js";
import { peerIdOfSecret } from "../src/p2p/nodeKey.js";
import type { Block } from "../src/chain/codec/block.js";
import { buildChain, fundSenders } from "./chainBuilder.js";
import { median } from "./harness.js";

const CLI = join(import.meta.dirname, "../src/cli/index.js");

interface LogLine {
  msg: string;
  time: number;
  number?: number;
  origin?: string;
  hash?: string;
}

class Proc {
  readonly lines: LogLine[] = [];
  private waiters: Array<{ test: (l: LogLine) => boolean; resolve: (l: LogLine) => void }> = [];
  readonly exited: Promise<number | null>;
  constructor(readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on("line", (t) => {
      let l: LogLine;
      try {
        l = JSON.parse(t);
      } catch {
        return;
      }
      this.lines.push(l);
      this.waiters = this.waiters.filter((w) => (w.test(l) ? (w.resolve(l), false) : true));
    });
    child.stderr!.resume();
    this.exited = new Promise((r) => child.on("exit", (code) => r(code)));
  }
  static start(args: string[]): Proc {
    return new Proc(spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } }));
  }
  waitFor(test: (l: LogLine) => boolean, timeoutMs: number, what: string): Promise<LogLine> {
    const seen = this.lines.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      this.waiters.push({
        test,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
    });
  }
  async stop(): Promise<void> {
    this.child.kill("SIGTERM");
    await this.exited;
  }
}

/** A TCP port free on 127.0.0.1 right now (for nodes whose multiaddrs must be known in advance). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const nodeKey = (i: number) => (i + 1).toString(16).padStart(64, "0");

function nodeArgs(specFile: string, base: string, port: number, key: string, extra: string[] = []): string[] {
  return ["start", "--chain", specFile, "--base-path", base, "--rpc-port", "0", "--no-prometheus", "--listen-addr", `/ip4/127.0.0.1/tcp/${port}`, "--node-key", key, ...extra];
}

/** Blocks of a built chain, read back from its database (for the in-process baseline). */
async function readBlocks(spec: ChainSpec, base: string, n: number): Promise<Array<{ block: Block; justifications?: Uint8Array }>> {
  const runtime = createRuntime(runtimeConfigOf(spec));
  const db = await ChainDb.open(Node.dbPath(base, spec.id));
  const chain = await Blockchain.open({ db, runtime, logger: silentLogger(), verifyBatch: async (j) => j.map(verifySignature) }, buildGenesis(spec, runtime));
  const out: Array<{ block: Block; justifications?: Uint8Array }> = [];
  for (let i = 1; i <= n; i++) {
    const h = chain.hashAt(i)!;
    out.push({ block: { header: chain.header(h)!, extrinsics: chain.body(h)! }, justifications: chain.justification(h) });
  }
  await db.close();
  return out;
}

/** Blocks/s importing `blocks` in this process, with the node's verifier pool (2 workers). */
async function localImportRate(spec: ChainSpec, blocks: Array<{ block: Block; justifications?: Uint8Array }>): Promise<number> {
  const runtime = createRuntime(runtimeConfigOf(spec));
  const dir = mkdtempSync(join(tmpdir(), "subtensor-ts-bench-local-"));
  const db = await ChainDb.open(join(dir, "db"));
  const pool = await SignatureVerifierPool.create({ workers: 2 });
  try {
    const chain = await Blockchain.open(
      {
        db,
        runtime,
        logger: silentLogger(),
        verifyBatch: (j) => pool.verifyBatch(j),
        verifyHeader: auraHeaderVerifier({ slotDurationMs: spec.consensus.slotDurationMs, now: Date.now }),
        verifyJustification: grandpaJustificationVerifier(),
      },
      buildGenesis(spec, runtime),
    );
    const t0 = performance.now();
    for (const b of blocks) await chain.importBlock(b.block, { kind: "file" }, b.justifications);
    return (blocks.length * 1000) / (performance.now() - t0);
  } finally {
    await pool.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Blocks/s of an empty node process syncing the chain in `seed` from a source node process. */
async function syncRate(specFile: string, seed: string, n: number): Promise<number> {
  const empty = mkdtempSync(join(tmpdir(), "subtensor-ts-bench-sync-"));
  const [p1, p2] = [await freePort(), await freePort()];
  const source = Proc.start(nodeArgs(specFile, seed, p1, nodeKey(0)));
  let sink: Proc | undefined;
  try {
    await source.waitFor((l) => /Local node identity/.test(l.msg), 60_000, "the source node");
    const boot = `/ip4/127.0.0.1/tcp/${p1}/p2p/${await peerIdOfSecret(Buffer.from(nodeKey(0), "hex"))}`;
    sink = Proc.start(nodeArgs(specFile, empty, p2, nodeKey(1), ["--bootnodes", boot]));
    const first = await sink.waitFor((l) => l.msg.startsWith("Imported #") && l.number === 1, 120_000, "the first synced block");
    const last = await sink.waitFor((l) => l.msg.startsWith("Imported #") && l.number === n, 600_000, `block #${n}`);
    return ((n - 1) * 1000) / (last.time - first.time);
  } finally {
    await sink?.stop();
    await source.stop();
    rmSync(empty, { recursive: true, force: true });
  }
}

export interface SyncFigure {
  label: string;
  blocks: number;
  transfersPerBlock: number;
  /** blocks/s importing the same blocks in one process from memory (the baseline) */
  localBlocksPerSec: number;
  /** blocks/s of an empty node process syncing them from a peer process */
  syncBlocksPerSec: number;
}

export interface NetworkBenchResult {
  lines: string[];
  empty: SyncFigure;
  full: SyncFigure;
  gossipMedianMs: number;
  gossipP99Ms: number;
}

async function syncCase(label: string, o: { blocks: number; transfers: number }): Promise<SyncFigure> {
  const spec = await localChainSpec(1000);
  if (o.transfers) await fundSenders(spec);
  const dir = mkdtempSync(join(tmpdir(), "subtensor-ts-bench-net-"));
  const specFile = join(dir, "spec.json");
  writeFileSync(specFile, JSON.stringify(spec));
  const seed = join(dir, "seed");
  try {
    console.log(`building ${o.blocks} blocks (${o.transfers} transfers each)…`);
    await buildChain(spec, seed, { blocks: o.blocks, transfersPerBlock: o.transfers, justifyEvery: Math.max(1, Math.floor(o.blocks / 4)) });
    const blocks = await readBlocks(spec, seed, o.blocks);
    const local = await localImportRate(spec, blocks);
    const sync = await syncRate(specFile, seed, o.blocks);
    return { label, blocks: o.blocks, transfersPerBlock: o.transfers, localBlocksPerSec: local, syncBlocksPerSec: sync };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Gossip latency author → other nodes on a 4-authority network of processes with 1 s slots. */
async function gossipLatency(seconds: number): Promise<{ line: string; median: number; p99: number }> {
  const spec = await localChainSpec(1000);
  const dir = mkdtempSync(join(tmpdir(), "subtensor-ts-bench-gossip-"));
  const specFile = join(dir, "spec.json");
  writeFileSync(specFile, JSON.stringify(spec));
  const names = ["Alice", "Bob", "Charlie", "Dave"];
  const ports = await Promise.all(names.map(() => freePort()));
  const boot = `/ip4/127.0.0.1/tcp/${ports[0]}/p2p/${await peerIdOfSecret(Buffer.from(nodeKey(0), "hex"))}`;
  const procs = names.map((n, i) => Proc.start(nodeArgs(specFile, join(dir, n), ports[i], nodeKey(i), ["--authority", `//${n}`, ...(i ? ["--bootnodes", boot] : [])])));
  try {
    await Promise.all(procs.map((p) => p.waitFor((l) => l.msg.startsWith("Imported #") && (l.number ?? 0) >= 3, 60_000, "block 3")));
    await new Promise((r) => setTimeout(r, seconds * 1000));
    // per block hash: the author's own import time, then every other node's
    const own = new Map<string, number>();
    for (const p of procs) for (const l of p.lines) if (l.msg.startsWith("Imported #") && l.origin === "own" && l.hash) own.set(l.hash, l.time);
    const latencies: number[] = [];
    for (const p of procs) {
      for (const l of p.lines) {
        if (!l.msg.startsWith("Imported #") || l.origin !== "gossip" || !l.hash) continue;
        const t = own.get(l.hash);
        if (t !== undefined) latencies.push(l.time - t);
      }
    }
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))];
    return { line: `gossip latency author → others (${latencies.length} deliveries over ${seconds} s): median ${median(latencies).toFixed(0)} ms, p99 ${p99?.toFixed(0)} ms`, median: median(latencies), p99 };
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runNetworkBench(o: { emptyBlocks?: number; fullBlocks?: number; gossipSeconds?: number } = {}): Promise<NetworkBenchResult> {
  const empty = await syncCase(`sync of ${o.emptyBlocks ?? 2000} empty blocks`, { blocks: o.emptyBlocks ?? 2000, transfers: 0 });
  const full = await syncCase(`sync of ${o.fullBlocks ?? 20} blocks × 1000 transfers`, { blocks: o.fullBlocks ?? 20, transfers: 1000 });
  const gossip = await gossipLatency(o.gossipSeconds ?? 30);
  const line = (f: SyncFigure) => `${f.label}: local import ${f.localBlocksPerSec.toFixed(0)} blocks/s; sync from a peer ${f.syncBlocksPerSec.toFixed(0)} blocks/s; sync ÷ local = ${(f.syncBlocksPerSec / f.localBlocksPerSec).toFixed(2)}`;
  return { lines: [line(empty), line(full), gossip.line], empty, full, gossipMedianMs: gossip.median, gossipP99Ms: gossip.p99 };
}
