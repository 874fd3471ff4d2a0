/**
 * Yuma epoch benchmarks: one epoch of a subnet with dense validator weights and bonds from
 * earlier epochs (current Yuma3 unless stated), and 128 subnets of 256 uids back to back (what
 * one block with every subnet's epoch due would cost). Goals: 256 uids < 5 ms, 128×256 < 1 s.
 *
 * Two entry points are measured: `runEpoch` (rows as arrays of [uid, value] pairs: CLI, case
 * files, tests) and `runEpochFlat` (rows in CSR over u16 typed arrays, for the runtime's epoch
 * driver). For big subnets the pairs themselves dominate `runEpoch` (one JS array per weight/bond
 * entry to read and one per output bond to build and collect).
 *
 * Warm-up: the figures are steady-state ones (an epoch runs every tempo for every subnet of a
 * running node). On this shared 2-core machine V8's optimising compiler runs on a background
 * thread that competes with the load, so the warm-up runs below are generous.
 *
 * Run alone: `npx tsc -p tsconfig.json && node dist/bench/yuma.js`.
 */
import { pathToFileURL } from "node:url";
import { measure, printResults, type BenchResult } from "./harness.js";
import { flattenEpochInput, runEpoch, runEpochFlat } from "../src/consensus/yuma/epoch.js";
import { syntheticEpochInput } from "../test/utils/yuma/testkit.js";
import type { EpochInput } from "../src/consensus/yuma/types.js";

function subnet(n: number, validators: number, seed: number, tweak?: (i: EpochInput) => void): EpochInput {
  const input = syntheticEpochInput({ n, validators, seed, version: "current" });
  tweak?.(input);
  return input;
}

/**
 * A CPU yardstick printed with the results. The bench machine is shared (2 cores, often fully
 * loaded by other jobs), and the epoch figures move with the load, memory-bound code more than
 * this register-only loop; read them together with `uptime`.
 */
function calibration(): number {
  let s = 0;
  for (let i = 0; i < 10_000_000; i++) s = (s + i) | 0;
  return s;
}

export async function runYumaBench(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  results.push(await measure("calibration: 10^7 int32 additions", calibration, { runs: 9, warmup: 2 }));
  // V8 optimises the once-per-epoch driver code only after a few dozen epochs of n = 256
  const small = { runs: 31, warmup: 100 };
  const n256 = subnet(256, 64, 1);
  results.push(await measure("yuma epoch n=256, 64 validators, dense (Yuma3)", () => runEpoch(n256), small));
  const n256flat = flattenEpochInput(n256);
  results.push(await measure("yuma epoch n=256, 64 validators, dense (Yuma3), flat API", () => runEpochFlat(n256flat), small));
  const n256y2 = subnet(256, 64, 2, (i) => (i.hyperparameters.yuma3Enabled = false));
  results.push(await measure("yuma epoch n=256, 64 validators, dense (Yuma2)", () => runEpoch(n256y2), small));
  const n256la = subnet(256, 64, 3, (i) => (i.hyperparameters.liquidAlphaEnabled = true));
  results.push(await measure("yuma epoch n=256, 64 validators, dense (Yuma3 + liquid alpha)", () => runEpoch(n256la), small));
  const n256c = syntheticEpochInput({ n: 256, validators: 64, seed: 4, version: "classic" });
  results.push(await measure("yuma epoch n=256, 64 validators, dense (classic)", () => runEpoch(n256c), small));
  const n1024 = subnet(1024, 256, 5);
  results.push(await measure("yuma epoch n=1024, 256 validators, dense", () => runEpoch(n1024), { runs: 9, warmup: 6 }));
  const n1024flat = flattenEpochInput(n1024);
  results.push(await measure("yuma epoch n=1024, 256 validators, dense, flat API", () => runEpochFlat(n1024flat), { runs: 9, warmup: 6 }));
  const n4096 = subnet(4096, 256, 6);
  results.push(await measure("yuma epoch n=4096, 256 validators, dense", () => runEpoch(n4096), { runs: 5, warmup: 2 }));
  const n4096flat = flattenEpochInput(n4096);
  results.push(await measure("yuma epoch n=4096, 256 validators, dense, flat API", () => runEpochFlat(n4096flat), { runs: 5, warmup: 2 }));
  const many = Array.from({ length: 128 }, (_, k) => subnet(256, 64, 100 + k));
  const manyOpts = { runs: 5, warmup: 2, opsPerRun: 128 };
  results.push(
    await measure(
      "yuma 128 subnets × 256 uids (64 validators, dense)",
      () => {
        for (const s of many) runEpoch(s);
      },
      manyOpts,
    ),
  );
  const manyFlat = many.map(flattenEpochInput);
  results.push(
    await measure(
      "yuma 128 subnets × 256 uids (64 validators, dense), flat API",
      () => {
        for (const s of manyFlat) runEpochFlat(s);
      },
      manyOpts,
    ),
  );
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runYumaBench().then(
    (r) => printResults("Yuma consensus", r),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
