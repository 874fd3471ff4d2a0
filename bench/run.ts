/**
 * `npm run bench`: every benchmark, printed with medians and the same-run baselines they are
 * judged against. Figures, never assertions: this machine's 2 cores are shared.
 */
import "../src/util/polyfill.js";
import { cpus, loadavg } from "node:os";
import { printResults } from "./harness.js";
import { runSignatureBench } from "./signatures.js";
import { runBlockImportBench } from "./blockImport.js";
import { runYumaBench } from "./yuma.js";

console.log(`# subtensor-ts benchmarks — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), load ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);

const sig = await runSignatureBench();
printResults("Signature verification", sig.results);

const imp = await runBlockImportBench();
printResults("Block import of signed transfers (full verification, execution, trie, LevelDB commit)", imp.results);
console.log(`\nimported transfers/s ÷ sr25519 verifications/s on both cores (same run): ${imp.ratio.toFixed(2)}  (goal ≥ 0.85)`);
console.log(`single-thread wasm verify: ${sig.singleThreadVerifyPerSec.toFixed(0)}/s; ×2 cores = ${(2 * sig.singleThreadVerifyPerSec).toFixed(0)}/s; import ÷ that = ${(imp.transfersPerSec / (2 * sig.singleThreadVerifyPerSec)).toFixed(2)}`);

const yuma = await runYumaBench();
printResults("Yuma epoch (pure function)", yuma);

const { runNetworkBench } = await import("./network.js");
const net = await runNetworkBench();
console.log("\n## Network (sync between two node processes; gossip on a 4-authority process network)");
for (const l of net.lines) console.log(l);
