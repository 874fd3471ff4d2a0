/**
 * Epoch block cost: one block in which 128 subnets × 256 UIDs (64 validators with dense weights
 * and bonds) all run their Yuma epochs, measured as the node pays for it: block execution
 * (inputs read from state through the trie, the epochs, every output vector and bond row written,
 * the payouts credited as stake, events) plus the trie update, and the LevelDB commit. Goal:
 * < 1 s (a twelfth of the 12 s slot).
 *
 * Next to it, measured in the same run on the same state:
 *  - the pure Yuma function alone (128 × runEpochFlat on inputs read beforehand): the floor;
 *  - the coinbase's phases one after the other on one overlay of the parent state, to show where
 *    the time goes: the epoch inputs read, the outputs written, the payouts credited as stake,
 *    the overlay drained (the trie update is measured on the block's own changes);
 *  - an ordinary block (no epoch due) on the same state.
 *
 * The state is written straight into the trie after genesis (bench/subnetState.ts), then the
 * database is reopened so the first execution reads cold nodes from LevelDB; the median is over
 * warm re-executions of the same block on the same parent.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/epochBlock.js
 */
import "../src/util/polyfill.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Keyring } from "@polkadot/keyring";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { ChainDb, ChainBatch } from "../src/chain/db/chainDb.js";
import { Blockchain, TrieState, type HeadInfo } from "../src/chain/blockchain/blockchain.js";
import { buildGenesis } from "../src/chain/genesis.js";
import { runtimeConfigOf } from "../src/chain/spec.js";
import { createRuntime } from "../src/chain/runtime/index.js";
import { initCrypto, verifySignature } from "../src/chain/signatures/verify.js";
import { encodeUnsignedExtrinsic } from "../src/chain/codec/extrinsic.js";
import { headerHash } from "../src/chain/codec/block.js";
import type { EnumValue } from "../src/chain/codec/scale.js";
import { preDigest, sealDigest } from "../src/consensus/aura.js";
import { StateOverlay } from "../src/chain/state/overlay.js";
import type { TrieCacheOptions } from "../src/chain/trie/index.js";
import { PendingEmission } from "../src/chain/runtime/pallets/subtensor/storage.js";
import { emissionTuples, readFlatEpochInput, SubnetEpoch, writeFlatEpochOutput } from "../src/chain/runtime/pallets/subtensor/coinbase/epochDriver.js";
import { creditHotkeyEmission } from "../src/chain/runtime/pallets/subtensor/coinbase/payout.js";
import { StakeCredits } from "../src/chain/runtime/pallets/subtensor/staking/stakeCredits.js";
import { toHex } from "../src/util/bytes.js";
import { blake2_256 } from "../src/util/hash.js";
import { runEpochFlat } from "../src/consensus/yuma/index.js";
import { silentLogger } from "../src/util/logger.js";
import { median, printResults, type BenchResult } from "./harness.js";
import { epochOnBlockOneSpec, populateSubnet, TAO } from "./subnetState.js";

export interface EpochBlockBenchResult {
  results: BenchResult[];
  /** median ms of the epoch block: execution (with trie update) + commit */
  blockMs: number;
  /** cold first execution + commit, ms */
  coldBlockMs: number;
  /** median ms of the pure function over the same 128 inputs */
  pureMs: number;
  lines: string[];
}

/** Trie caches that hold the default bench state's epoch block working set (~330k values, ~45k nodes rewritten). */
const SIZED_CACHES = { cacheSize: 400_000, valueCacheBytes: 256 * 1024 * 1024 };

/** CPU profile of the warm executions only (EPOCH_PROFILE=<file>): a profiling aid. */
async function startProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const { Session } = await import("node:inspector");
  const { writeFileSync } = await import("node:fs");
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) => new Promise<unknown>((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  await post("Profiler.enable");
  await post("Profiler.start");
  return {
    async stop(file) {
      const { profile } = (await post("Profiler.stop")) as { profile: unknown };
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** CPU time of the synchronous phases, ms (collected alongside the wall times: the machine is shared). */
const cpuTimes = new Map<string, number[]>();
const time = (f: () => unknown, label?: string): number => {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  f();
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  if (label) {
    const c = process.cpuUsage(c0);
    cpuTimes.set(label, [...(cpuTimes.get(label) ?? []), (c.user + c.system) / 1000]);
  }
  return wall;
};

export async function runEpochBlockBench(o: { subnets?: number; uids?: number; validators?: number; runs?: number } = {}): Promise<EpochBlockBenchResult> {
  const subnets = o.subnets ?? 128;
  const uids = o.uids ?? 256;
  const validators = o.validators ?? 64;
  const runs = o.runs ?? 5;
  await cryptoWaitReady();
  await initCrypto();
  const spec = await epochOnBlockOneSpec({ subnets, uids, validators });
  const runtime = createRuntime(runtimeConfigOf(spec));
  const genesis = buildGenesis(spec, runtime);
  const dir = mkdtempSync(join(tmpdir(), "subtensor-ts-bench-epoch-"));
  const open = async (trieCache?: TrieCacheOptions) => {
    const db = await ChainDb.open(join(dir, "db"));
    const chain = await Blockchain.open({ db, runtime, logger: silentLogger(), verifyBatch: async (j) => j.map(verifySignature), trieCache }, genesis);
    return { db, chain };
  };
  try {
    // --- set-up: the subnets' neurons, written into the trie on top of genesis
    console.log(`epoch block bench: writing ${subnets} subnets × ${uids} UIDs (${validators} validators, dense weights and bonds)…`);
    const t0 = performance.now();
    let root: Uint8Array;
    {
      const { db, chain } = await open();
      const overlay = new StateOverlay(chain.bestState());
      for (let netuid = 1; netuid <= subnets; netuid++) {
        populateSubnet(overlay, netuid, { uids, validators, block: 0n, seed: 1 });
        PendingEmission.put(overlay, 100n * TAO, netuid);
      }
      const changes = overlay.drain();
      const update = chain.trie.update(chain.best.header.stateRoot, changes);
      // the nodes under a dummy block entry: only the trie nodes matter
      await db.write(new ChainBatch().block(new Uint8Array(32).fill(0xee), new Uint8Array(0), new Uint8Array(0), update.newNodes));
      root = update.root;
      console.log(`  ${changes.length} keys, ${update.newNodes.length} trie nodes, in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      await db.close();
    }

    // --- the epoch block, cold then warm (a fresh process-level trie cache after reopening)
    const { db, chain } = await open();
    const parent: HeadInfo = { ...chain.best, header: { ...chain.best.header, stateRoot: root } };
    // as a node whose best state this is: the trie's value cache follows it (empty: it fills as read)
    chain.trie.followState(root, root, []);
    const alice = new Keyring({ type: "sr25519" }).addFromUri("//Alice");
    const inherent = (slot: bigint) => encodeUnsignedExtrinsic(runtime.callCodec.encode({ tag: "Timestamp", value: { tag: "set", value: { now: slot * BigInt(spec.consensus.slotDurationMs) } } } as EnumValue));
    const execEpochBlock = () => chain.execute(parent, { number: 1, digest: [preDigest(1n)] }, [inherent(1n)], { build: true });
    let executed!: ReturnType<typeof execEpochBlock>;
    const coldExecMs = time(() => (executed = execEpochBlock()));
    const epochRuns = executed.events.filter((r) => r.event.tag === "SubtensorModule" && (r.event.value as EnumValue).tag === "EpochRun").length;
    if (epochRuns !== subnets) throw new Error(`expected ${subnets} epochs in the block, got ${epochRuns}`);
    const execTimes: number[] = [];
    const profiler = process.env.EPOCH_PROFILE ? await startProfile() : undefined;
    for (let r = 0; r < runs; r++) execTimes.push(time(() => (executed = execEpochBlock()), "exec"));
    if (profiler) await profiler.stop(process.env.EPOCH_PROFILE!);
    // the trie update alone (part of execution above), on the block's changes
    const trieTimes: number[] = [];
    for (let r = 0; r < runs; r++) trieTimes.push(time(() => chain.trie.update(root, executed.changes), "trie update"));
    // --- baselines on the same parent state (before the commit moves the value cache on to the new
    // block): the pure function, and the coinbase's phases one after the other
    const state = new TrieState(chain.trie, root);
    const netuids = Array.from({ length: subnets }, (_, i) => i + 1);
    const flatInputs = netuids.map((n) => readFlatEpochInput(new StateOverlay(state), n, 1n, 90n * TAO).input);
    const pure: number[] = [];
    const readT: number[] = [];
    const writeT: number[] = [];
    const payT: number[] = [];
    const drainT: number[] = [];
    for (let r = 0; r < runs; r++) {
      pure.push(time(() => flatInputs.forEach((i) => runEpochFlat(i)), "Yuma"));
      // the coinbase's phases one after the other on one overlay, in the block's order
      const ov = new StateOverlay(state);
      let read: ReturnType<typeof readFlatEpochInput>[] = [];
      readT.push(time(() => (read = netuids.map((n) => readFlatEpochInput(ov, n, 1n, 90n * TAO))), "read"));
      const ins = read.map((x) => x.input);
      const outs = ins.map((i) => runEpochFlat(i));
      writeT.push(time(() => netuids.forEach((n, k) => writeFlatEpochOutput(ov, n, ins[k], outs[k])), "write"));
      const tuples = read.map((x, k) => emissionTuples(new SubnetEpoch(x.input, outs[k], x.hotkeys)));
      payT.push(
        time(() => {
          const credits = new StakeCredits(ov);
          tuples.forEach((ts) => ts.forEach(([hotkey, s, v]) => creditHotkeyEmission(ov, credits, hotkey, s, v)));
          credits.flush();
        }, "payouts"),
      );
      drainT.push(time(() => ov.drain(), "drain"));
    }
    // commit once (LevelDB batch with fsync), sealed as an author would
    const header = { ...executed.header, digest: { logs: [...executed.header.digest.logs, sealDigest(alice.sign(headerHash(executed.header)))] } };
    const c0 = performance.now();
    await chain.commitOwn({ ...executed, header });
    const commitMs = performance.now() - c0;

    // --- an ordinary block on the same state (block 2 of a chain where no epoch is due at 2 for these tempos? use the parent with block number of no epoch)
    const plainTimes: number[] = [];
    const noEpochNumber = 2 * (subnets + 3) * 0 + 2; // block 2: epoch only for tempo dividing (2 + netuid + 2): checked below
    const execPlain = () => chain.execute(parent, { number: noEpochNumber, digest: [preDigest(2n)] }, [inherent(2n)], { build: true });
    const plainEpochs = execPlain().events.filter((r) => r.event.tag === "SubtensorModule" && (r.event.value as EnumValue).tag === "EpochRun").length;
    for (let r = 0; r < runs; r++) plainTimes.push(time(execPlain));
    await db.close();

    // --- the same warm executions on a node whose trie caches hold the epoch block's working set
    // (the defaults are sized for memory: see TrieDb's DEFAULT_* and bench/memory.ts's RSS goal)
    const sized = await open(SIZED_CACHES);
    sized.chain.trie.followState(root, root, []);
    const execSized = () => sized.chain.execute(parent, { number: 1, digest: [preDigest(1n)] }, [inherent(1n)], { build: true });
    const sizedFirst = time(() => execSized());
    const sizedTimes: number[] = [];
    const defaultRoot = toHex(executed.header.stateRoot);
    for (let r = 0; r < runs; r++) sizedTimes.push(time(() => (executed = execSized()), "exec, sized caches"));
    if (toHex(executed.header.stateRoot) !== defaultRoot) throw new Error(`the cache sizes changed the state root: ${defaultRoot} vs ${toHex(executed.header.stateRoot)}`);
    await sized.db.close();

    const m = (xs: number[]) => median(xs);
    const blockMs = m(execTimes) + commitMs;
    const coldBlockMs = coldExecMs + commitMs;
    const results: BenchResult[] = [
      { name: `epoch block (${subnets}×${uids}): execute incl. trie update, warm`, medianMs: m(execTimes), runs },
      { name: `  the same, CPU time of the process`, medianMs: m(cpuTimes.get("exec") ?? [NaN]), runs },
      { name: `epoch block: first execution (cold trie cache)`, medianMs: coldExecMs, runs: 1 },
      { name: `epoch block: of which trie update (${executed.changes.length} keys)`, medianMs: m(trieTimes), runs },
      { name: `epoch block: commit (LevelDB batch, fsync, ${executed.trieNodes.length} nodes)`, medianMs: commitMs, runs: 1 },
      { name: `pure Yuma, ${subnets} × runEpochFlat (same inputs)`, medianMs: m(pure), runs },
      { name: `flat driver: read ${subnets} inputs from state`, medianMs: m(readT), runs },
      { name: `flat driver: write ${subnets} outputs to an overlay`, medianMs: m(writeT), runs },
      { name: `payouts: ${subnets} epochs' emission credited as stake (same overlay)`, medianMs: m(payT), runs },
      { name: `overlay drain (sorted changes, same overlay)`, medianMs: m(drainT), runs },
      {
        name: `rest of the execution (warm execute − read − Yuma − write − payouts − drain − trie update)`,
        medianMs: m(execTimes) - m(readT) - m(pure) - m(writeT) - m(payT) - m(drainT) - m(trieTimes),
        runs,
      },
      { name: `ordinary block on the same state (${plainEpochs} epochs due)`, medianMs: m(plainTimes), runs },
      { name: `epoch block, trie caches sized for it (${SIZED_CACHES.cacheSize / 1000}k nodes, ${SIZED_CACHES.valueCacheBytes >> 20} MB values; start --trie-node-cache / --trie-cache-size): execute, warm`, medianMs: m(sizedTimes), runs },
      { name: `  the same, CPU time of the process`, medianMs: m(cpuTimes.get("exec, sized caches") ?? [NaN]), runs },
      { name: `  the same, first execution (caches empty)`, medianMs: sizedFirst, runs: 1 },
    ];
    const eventsJson = JSON.stringify(executed.events, (_, x) => (typeof x === "bigint" ? x.toString() : x instanceof Uint8Array ? toHex(x) : x));
    // the machine may be shared: CPU time per phase is steadier than wall time
    const cpu = (label: string) => m(cpuTimes.get(label) ?? [NaN]);
    const cpuPhases = ["read", "Yuma", "write", "payouts", "drain", "trie update"];
    const cpuRest = cpu("exec") - cpuPhases.reduce((a, l) => a + cpu(l), 0);
    const lines = [
      `CPU medians, ms: execute ${cpu("exec").toFixed(0)} = ${cpuPhases.map((l) => `${l} ${cpu(l).toFixed(0)}`).join(" + ")} + rest ${cpuRest.toFixed(0)}`,
      `epoch block state root ${toHex(executed.header.stateRoot)}, events ${toHex(blake2_256(new TextEncoder().encode(eventsJson)))}, ${executed.changes.length} changed keys`,
      `epoch block of ${subnets} subnets × ${uids} UIDs: ${blockMs.toFixed(0)} ms warm (execute ${m(execTimes).toFixed(0)} + commit ${commitMs.toFixed(0)}), ${coldBlockMs.toFixed(0)} ms cold; goal < 1000 ms; ` +
        `pure Yuma alone ${m(pure).toFixed(0)} ms = ${(m(pure) / blockMs).toFixed(2)} of the block`,
      `with trie caches sized for it: ${(m(sizedTimes) + commitMs).toFixed(0)} ms warm (execute ${m(sizedTimes).toFixed(0)}, CPU ${cpu("exec, sized caches").toFixed(0)}, + commit ${commitMs.toFixed(0)})`,
    ];
    return { results, blockMs, coldBlockMs, pureMs: m(pure), lines };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // EPOCH_SUBNETS / EPOCH_RUNS: a smaller or shorter run while working on it (the default is the benchmark)
  const env = (k: string) => (process.env[k] ? Number(process.env[k]) : undefined);
  const r = await runEpochBlockBench({ subnets: env("EPOCH_SUBNETS"), runs: env("EPOCH_RUNS") });
  printResults("Epoch block", r.results);
  for (const l of r.lines) console.log(l);
}
