/**
 * Memory and disk after 10 000 blocks with 10 000 accounts and 32 subnets of 256 UIDs (goal: RSS
 * ≤ 300 MB), and the growth of the base path per empty block.
 *
 * The chain is built offline (bench/chainBuilder.ts) the way its authority would have built it:
 * genesis endows 8 192 coldkeys and 2 048 validator hotkeys (10 240 accounts) and creates 32
 * subnets (tempo 360, 256 UIDs, 64 validators); blocks 1–32 register 256 neurons each with
 * burned_register, the next blocks stake every validator (add_stake), blocks 361–463 (after every
 * subnet's first epoch gave the staked UIDs their permits) set each validator's weights over all
 * 256 UIDs of its subnet (set_weights), and every other block is empty but for the
 * timestamp, with the subnets' epochs running at their epoch blocks (dense weights: every epoch
 * pays all 256 UIDs).
 *
 * Then a node process with an empty base path syncs the whole chain from a node process serving
 * it (both `subtensor-ts start`), as a new node joining would: its RSS (now and peak) and base path
 * size are read when it has imported the last block; its base-path size is also sampled at block
 * 5 000 to give the growth per block over the empty stretch 5 000 → 10 000.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { execFileSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { blake2AsU8a, cryptoWaitReady, encodeAddress, sr25519PairFromSeed } from "@polkadot/util-crypto";
import { localChainSpec, TAO, type ChainSpec } from "../src/chain/spec.js";
import { peerIdOfSecret } from "../src/p2p/nodeKey.js";
import { buildChain } from "./chainBuilder.js";
import { freePort } from "./network.js";
import { Account } from "../src/chain/runtime/pallets/system.js";
import { Bonds, Stake, SubnetworkN, ValidatorPermit, Weights } from "../src/chain/runtime/pallets/subtensor/storage.js";

const CLI = process.env.DIAG_CLI ?? join(import.meta.dirname, "../src/cli/index.js");

export interface MemoryBenchResult {
  lines: string[];
  rssMb: number;
  peakRssMb: number;
  basePathMb: number;
  bytesPerEmptyBlock: number;
  blocks: number;
  /** the block from which the base-path growth per block is measured */
  growthFrom: number;
  /** the syncing node's RSS at the end by kind of mapping, MB */
  rssParts: { anon: number; malloc: number; file: number };
}

interface KeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
  address: string;
}

const pair = (tag: string): KeyPair => {
  const p = sr25519PairFromSeed(blake2AsU8a(`memory-bench-${tag}`, 256));
  return { ...p, address: encodeAddress(p.publicKey, 42) };
};

/** Bytes under a directory (du -sb). */
function duBytes(dir: string): number {
  return Number(execFileSync("du", ["-sb", dir]).toString().split(/\s/)[0]);
}

/** VmRSS and VmHWM of a process, MB. */
function rssOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

/** CPU seconds (user + system) a process has used so far: a sync cost that other load on the machine barely moves. */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
  // after "pid (comm) ": state is field 3, utime 14 and stime 15 (1-based), in clock ticks
  return (Number(fields[11]) + Number(fields[12])) / Number(execFileSync("getconf", ["CLK_TCK"]).toString());
}

/** RSS by kind of mapping (/proc/pid/smaps), MB: anonymous (V8 heap pages, wasm memories, mmapped buffers), the malloc heap, file-backed. */
function rssParts(pid: number): { anon: number; malloc: number; file: number } {
  const parts = { anon: 0, malloc: 0, file: 0 };
  let kind: keyof typeof parts = "anon";
  for (const line of readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
    const m = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (m) kind = m[1] === "[heap]" ? "malloc" : m[1].startsWith("/") ? "file" : "anon";
    else if (line.startsWith("Rss:")) parts[kind] += Number(line.split(/\s+/)[1]) / 1024;
  }
  return parts;
}

class NodeProc {
  readonly child: ChildProcess;
  private waiters: Array<{ test: (l: Record<string, unknown>) => boolean; resolve: () => void }> = [];
  lastImported = 0;
  constructor(args: string[]) {
    // MEMORY_NODE_ARGS: extra node flags for both processes, a diagnostic aid (e.g. --heapsnapshot-signal=SIGUSR2)
    const nodeFlags = process.env.MEMORY_NODE_ARGS ? process.env.MEMORY_NODE_ARGS.split(" ") : [];
    this.child = spawn(process.execPath, [...nodeFlags, CLI, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    this.child.stderr!.resume();
    createInterface({ input: this.child.stdout! }).on("line", (t) => {
      let l: Record<string, unknown>;
      try {
        l = JSON.parse(t) as Record<string, unknown>;
      } catch {
        if (process.env.MEMORY_LOG) appendFileSync(`${process.env.MEMORY_LOG}.${this.child.pid}`, t + "\n");
        return;
      }
      if (typeof l.msg === "string" && l.msg.startsWith("Imported #") && typeof l.number === "number") this.lastImported = Math.max(this.lastImported, l.number);
      this.waiters = this.waiters.filter((w) => (w.test(l) ? (w.resolve(), false) : true));
    });
  }
  waitFor(test: (l: Record<string, unknown>) => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      this.waiters.push({ test, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }
  imported(n: number, timeoutMs: number): Promise<void> {
    if (this.lastImported >= n) return Promise.resolve();
    return this.waitFor((l) => typeof l.msg === "string" && l.msg.startsWith("Imported #") && (l.number as number) >= n, timeoutMs, `block #${n}`);
  }
  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      this.child.once("exit", () => resolve());
      this.child.kill("SIGTERM");
    });
  }
}

export async function runMemoryBench(o: { blocks?: number; subnets?: number; uids?: number; validators?: number } = {}): Promise<MemoryBenchResult> {
  const blocks = o.blocks ?? 10_000;
  const subnets = o.subnets ?? 32;
  const uids = o.uids ?? 256;
  const validators = o.validators ?? 64;
  await cryptoWaitReady();
  const dir = mkdtempSync(join(tmpdir(), "subtensor-ts-bench-mem-"));
  const lines: string[] = [];
  try {
    // --- the spec: 32 subnets, one funded coldkey per neuron, funded validator hotkeys (they sign set_weights)
    const spec: ChainSpec = await localChainSpec(12_000);
    spec.consensus.authorities = spec.consensus.authorities.slice(0, 1); // //Alice authors every block
    const coldkeys = Array.from({ length: subnets * uids }, (_, i) => pair(`cold-${i}`));
    const valHot = Array.from({ length: subnets * validators }, (_, i) => pair(`vhot-${i}`));
    for (const c of coldkeys) spec.balances.push([c.address, (1_000n * TAO).toString()]);
    for (const v of valHot) spec.balances.push([v.address, TAO.toString()]);
    spec.subtensor = {
      subnetLimit: subnets + 1,
      networkRateLimit: 0,
      txRateLimit: 0,
      targetStakesPerInterval: 1_000_000,
      subnets: Array.from({ length: subnets }, (_, i) => ({
        netuid: i + 1,
        owner: coldkeys[i * uids].address,
        hyperparameters: {
          tempo: 360,
          maxAllowedUids: uids,
          maxAllowedValidators: validators,
          maxRegistrationsPerBlock: uids,
          targetRegistrationsPerInterval: uids,
          weightsSetRateLimit: 0,
          minAllowedWeights: 1,
          burn: TAO.toString(),
          minBurn: "1",
          immunityPeriod: 5000,
        },
      })),
    };
    const specFile = join(dir, "spec.json");
    writeFileSync(specFile, JSON.stringify(spec));
    const accounts = spec.balances.length;

    // --- the extrinsics of the first blocks: registrations, stake, weights
    const hotOf = (s: number, u: number) => (u < validators ? valHot[s * validators + u].publicKey : pair(`mhot-${s}-${u}`).publicKey);
    const plan: Array<(sign: Parameters<NonNullable<Parameters<typeof buildChain>[2]["extrinsics"]>>[1]) => Uint8Array[]> = [];
    for (let s = 0; s < subnets; s++) {
      plan.push((sign) => Array.from({ length: uids }, (_, u) => sign(coldkeys[s * uids + u], "SubtensorModule", "burned_register", { netuid: s + 1, hotkey: hotOf(s, u) })));
    }
    const stakes: Array<[number, number]> = [];
    for (let s = 0; s < subnets; s++) for (let u = 0; u < validators; u++) stakes.push([s, u]);
    for (let k = 0; k < stakes.length; k += 256) {
      const part = stakes.slice(k, k + 256);
      plan.push((sign) => part.map(([s, u]) => sign(coldkeys[s * uids + u], "SubtensorModule", "add_stake", { hotkey: hotOf(s, u), amountStaked: BigInt(100 + ((s * 31 + u * 17) % 800)) * TAO })));
    }
    // weights once every subnet has had an epoch (permits go to the staked UIDs): from block 361 on (tempo 360)
    const weightsFrom = 361;
    while (plan.length < weightsFrom - 1) plan.push(() => []);
    for (let k = 0; k < stakes.length; k += 20) {
      const part = stakes.slice(k, k + 20);
      plan.push((sign) =>
        part.map(([s, u]) => {
          const dests = Array.from({ length: uids }, (_, j) => j);
          return sign(valHot[s * validators + u], "SubtensorModule", "set_weights", { netuid: s + 1, dests, weights: dests.map((j) => 1 + ((j * 7919 + u * 104729 + s) % 65535)), versionKey: 0n });
        }),
    );
    }
    console.log(`memory bench: building ${blocks} blocks (${accounts} accounts, ${subnets} subnets × ${uids} UIDs; registrations in blocks 1–${subnets}, stakes next, weights in blocks ${weightsFrom}–${plan.length})…`);
    // MEMORY_REUSE_CHAIN=<dir>: keep the built chain there and reuse it on the next run with the same sizes
    // (a development aid for iterating on the node's memory; a reported run builds afresh)
    const reuse = process.env.MEMORY_REUSE_CHAIN ? join(process.env.MEMORY_REUSE_CHAIN, `${blocks}-${subnets}-${uids}-${validators}`) : undefined;
    const seed = reuse ? join(reuse, "seed") : join(dir, "seed");
    const reused = reuse !== undefined && existsSync(join(reuse, "built.json"));
    const noSync = process.env.NOSYNC;
    process.env.NOSYNC = "1"; // the offline build need not fsync; the syncing node does
    let built;
    let contents = "";
    const buildT0 = performance.now();
    try {
      built = reused ? (JSON.parse(readFileSync(join(reuse!, "built.json"), "utf8")) as { buildMs: number; failedExtrinsics: number; firstFailure?: string; contents: string }) : await buildChain(spec, seed, {
        blocks,
        authoritySuris: ["//Alice"],
        justifyEvery: 1000,
        extrinsics: (n, sign) => (n <= plan.length ? plan[n - 1](sign) : []),
        progress: (n) => console.log(`  built #${n} (${((performance.now() - buildT0) / 1000).toFixed(0)} s)`),
        inspect: (state) => {
          // the chain holds what the header says: every account, every neuron, every stake, every weight row
          const missing: string[] = [];
          let neurons = 0;
          let staked = 0;
          let weightRows = 0;
          let permits = 0;
          let bondRows = 0;
          for (const c of coldkeys) if (Account.get(state, c.publicKey).data.free === 0n) missing.push(`coldkey ${c.address} unfunded`);
          for (let s = 0; s < subnets; s++) {
            neurons += SubnetworkN.get(state, s + 1);
            permits += ValidatorPermit.get(state, s + 1).filter(Boolean).length;
            for (let u = 0; u < validators; u++) {
              if (Stake.get(state, hotOf(s, u), coldkeys[s * uids + u].publicKey) > 0n) staked++;
              if (Weights.get(state, s + 1, u).length === uids) weightRows++;
              if (Bonds.get(state, s + 1, u).length > 0) bondRows++;
            }
          }
          const wantWeights = blocks >= plan.length ? subnets * validators : undefined;
          contents = `${neurons} neurons, ${staked} staked validators, ${permits} validator permits, ${weightRows} full weight rows, ${bondRows} bond rows`;
          if (neurons !== subnets * uids) missing.push(`${neurons} neurons, not ${subnets * uids}`);
          if (blocks > subnets + Math.ceil(stakes.length / 256) && staked !== subnets * validators) missing.push(`${staked} staked validators, not ${subnets * validators}`);
          if (wantWeights !== undefined && weightRows !== wantWeights) missing.push(`${weightRows} full weight rows, not ${wantWeights}`);
          if (missing.length) throw new Error(`the built chain lacks what the bench claims: ${missing.slice(0, 5).join("; ")}`);
        },
      });
    } finally {
      if (noSync === undefined) delete process.env.NOSYNC;
      else process.env.NOSYNC = noSync;
    }
    if (reused) contents = (built as { contents: string }).contents + " (reused build)";
    else if (reuse) writeFileSync(join(reuse, "built.json"), JSON.stringify({ buildMs: built.buildMs, failedExtrinsics: built.failedExtrinsics, firstFailure: built.firstFailure, contents }));
    if (built.failedExtrinsics) throw new Error(`${built.failedExtrinsics} set-up extrinsics failed, first: ${built.firstFailure}`);
    lines.push(`chain: ${blocks} blocks, ${accounts} accounts, ${subnets} subnets × ${uids} UIDs (${validators} validators each, dense weights; at the last block: ${contents}), built offline in ${(built.buildMs / 1000).toFixed(0)} s; the builder's base path ${(duBytes(seed) / 1e6).toFixed(0)} MB`);

    // --- a node process syncs it from a node process serving it
    const [p1, p2] = [await freePort(), await freePort()];
    const key = (i: number) => (i + 1).toString(16).padStart(64, "0");
    const args = (base: string, port: number, k: string, extra: string[] = []) => ["start", "--chain", specFile, "--base-path", base, "--rpc-port", "0", "--no-prometheus", "--listen-addr", `/ip4/127.0.0.1/tcp/${port}`, "--node-key", k, ...extra];
    const source = new NodeProc(args(seed, p1, key(0)));
    let sink: NodeProc | undefined;
    try {
      await source.waitFor((l) => /Local node identity/.test(String(l.msg)), 120_000, "the source node");
      const boot = `/ip4/127.0.0.1/tcp/${p1}/p2p/${await peerIdOfSecret(Buffer.from(key(0), "hex"))}`;
      const empty = join(dir, "empty");
      const t0 = performance.now();
      // MEMORY_START_ARGS: extra `start` flags for the syncing node, a diagnostic aid (e.g. "--trie-cache-size 16777216")
      const sinkExtra = process.env.MEMORY_START_ARGS ? process.env.MEMORY_START_ARGS.split(" ").filter(Boolean) : [];
      sink = new NodeProc(args(empty, p2, key(1), ["--bootnodes", boot, ...sinkExtra]));
      await sink.imported(Math.floor(blocks / 2), 1_800_000);
      const sizeHalf = duBytes(empty);
      await sink.imported(blocks, 1_800_000);
      const syncS = (performance.now() - t0) / 1000;
      const syncCpuS = cpuSecondsOf(sink.child.pid!);
      // let the last commits and compactions land
      await new Promise((r) => setTimeout(r, 2_000));
      const mem = rssOf(sink.child.pid!);
      const parts = rssParts(sink.child.pid!);
      if (process.env.MEMORY_SMAPS) writeFileSync(process.env.MEMORY_SMAPS, readFileSync(`/proc/${sink.child.pid}/smaps`));
      if (process.env.MEMORY_NODE_ARGS?.includes("heapsnapshot-signal")) {
        sink.child.kill("SIGUSR2");
        await new Promise((r) => setTimeout(r, 20_000));
      }
      const src = rssOf(source.child.pid!);
      const sizeEnd = duBytes(empty);
      const perBlock = (sizeEnd - sizeHalf) / (blocks - Math.floor(blocks / 2));
      lines.push(`a node that synced all ${blocks} blocks (${syncS.toFixed(0)} s, ${(blocks / syncS).toFixed(1)} blocks/s; the node's CPU time ${syncCpuS.toFixed(0)} s, ${(blocks / syncCpuS).toFixed(1)} blocks per CPU second): RSS ${mem.rss.toFixed(0)} MB (peak ${mem.peak.toFixed(0)} MB; goal ≤ 300 MB); base path ${(sizeEnd / 1e6).toFixed(0)} MB`);
      lines.push(
        `  of which private memory ${(parts.anon + parts.malloc).toFixed(0)} MB (anonymous mappings: V8 heaps, wasm memories, large buffers ${parts.anon.toFixed(0)} MB; malloc heap ${parts.malloc.toFixed(0)} MB) ` +
          `and file-backed pages ${parts.file.toFixed(0)} MB (the node binary, and LevelDB's table files, which it mmaps for reading: clean page-cache pages the kernel can drop)`,
      );
      lines.push(`the serving node: RSS ${src.rss.toFixed(0)} MB (peak ${src.peak.toFixed(0)} MB)`);
      lines.push(`base-path growth over the empty blocks ${Math.floor(blocks / 2)} → ${blocks}: ${(perBlock / 1024).toFixed(1)} KiB per block (LevelDB, before and after its compactions)`);
      return { lines, rssMb: mem.rss, peakRssMb: mem.peak, basePathMb: sizeEnd / 1e6, bytesPerEmptyBlock: perBlock, blocks, growthFrom: Math.floor(blocks / 2), rssParts: parts };
    } finally {
      await sink?.stop();
      await source.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Sizes for a quick check (the reported figure uses the defaults): `node dist/bench/memory.js [blocks]`,
 * or MEMORY_BLOCKS, MEMORY_SUBNETS, MEMORY_UIDS, MEMORY_VALIDATORS in the environment.
 */
export function memoryOptionsFromEnv(): { blocks?: number; subnets?: number; uids?: number; validators?: number } {
  const n = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
  return { blocks: n("MEMORY_BLOCKS"), subnets: n("MEMORY_SUBNETS"), uids: n("MEMORY_UIDS"), validators: n("MEMORY_VALIDATORS") };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const o = memoryOptionsFromEnv();
  if (process.argv[2]) o.blocks = Number(process.argv[2]);
  const r = await runMemoryBench(o);
  console.log("\n## Memory and disk");
  for (const l of r.lines) console.log(l);
}
