/**
 * `npm run bench`: every benchmark, printed with medians and the same-run baselines they are
 * judged against, and written to bench/RESULTS.md (machine, date, load, every figure next to its
 * ceiling or baseline and the ratio, the issue's goals). Figures, never assertions: this
 * machine's 2 cores are shared.
 *
 * BENCH_ONLY=memory,rpc (any of: signatures, import, yuma, epoch, rpc, network, memory) runs a
 * part only, for development; such a partial run writes bench/RESULTS.partial.md, never
 * bench/RESULTS.md. MEMORY_BLOCKS etc. (bench/memory.ts) shrink the memory bench the same way.
 */
import "../src/util/polyfill.js";
import { writeFileSync } from "node:fs";
import { cpus, freemem, loadavg, release, totalmem } from "node:os";
import { join } from "node:path";
import { printResults, type BenchResult } from "./harness.js";

const PARTS = ["signatures", "import", "yuma", "epoch", "rpc", "network", "memory"] as const;
type Part = (typeof PARTS)[number];
const only = process.env.BENCH_ONLY?.split(",").map((s) => s.trim()).filter(Boolean);
for (const p of only ?? []) if (!(PARTS as readonly string[]).includes(p)) throw new Error(`BENCH_ONLY: unknown part ${p} (one of ${PARTS.join(", ")})`);
const runs = (p: Part) => !only || only.includes(p);
const shrunk = ["MEMORY_BLOCKS", "MEMORY_SUBNETS", "MEMORY_UIDS", "MEMORY_VALIDATORS"].filter((k) => process.env[k]);
const partial = !!only || shrunk.length > 0;

const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");
const started = new Date();
const loadStart = load();
const machine = `${cpus()[0]?.model ?? "?"}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM (${(freemem() / 2 ** 30).toFixed(1)} GiB free at start), Linux ${release()}, node ${process.version}`;
console.log(`# subtensor-ts benchmarks — ${machine}; load ${loadStart}`);

/** One row of the summary: a figure, what it is judged against (measured in this run, or the goal), the ratio, the goal. */
interface Row {
  figure: string;
  value: string;
  against: string;
  ratio: string;
  goal: string;
  met?: boolean;
}
const rows: Row[] = [];
const sections: string[] = [];
const fmt = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : "n/a");

function section(title: string, body: string[]): void {
  console.log(`\n## ${title}`);
  for (const l of body) console.log(l);
  sections.push(`## ${title}\n\nload average at start of section: ${sectionLoad}\n\n${body.map((l) => `    ${l}`).join("\n")}\n`);
}
function resultLines(results: BenchResult[]): string[] {
  return results.map((r) => `${r.name.padEnd(66)} median ${r.medianMs.toFixed(3).padStart(10)} ms (${r.runs} runs)${r.opsPerSec !== undefined ? `  ${r.opsPerSec.toFixed(0)} ops/s` : ""}`);
}
let sectionLoad = loadStart;
const failures: string[] = [];
async function part(p: Part, body: () => Promise<void>): Promise<void> {
  if (!runs(p)) return;
  sectionLoad = load();
  try {
    await body();
  } catch (e) {
    // one broken part must not lose the others' figures; the summary says what is missing
    const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
    console.error(`bench part ${p} failed: ${msg}`);
    failures.push(`${p}: ${msg.split("\n")[0]}`);
    process.exitCode = 1;
  }
}

let singleThreadVerifyPerSec: number | undefined;
await part("signatures", async () => {
  const { runSignatureBench } = await import("./signatures.js");
  const sig = await runSignatureBench();
  singleThreadVerifyPerSec = sig.singleThreadVerifyPerSec;
  printResults("Signature verification", sig.results);
  sections.push(`## Signature verification\n\nload average at start of section: ${sectionLoad}\n\n${resultLines(sig.results).map((l) => `    ${l}`).join("\n")}\n`);
});

await part("import", async () => {
  const { runBlockImportBench } = await import("./blockImport.js");
  const imp = await runBlockImportBench();
  const lines = resultLines(imp.results);
  lines.push(`imported transfers/s ÷ sr25519 verifications/s of 2 raw threads (median of per-round ratios): ${imp.ratio.toFixed(2)} (goal ≥ 0.85)`);
  lines.push(`main thread: ${imp.mainCpuUsPerTransfer.toFixed(0)} µs per transfer (the import with signature checks answered at once)`);
  if (singleThreadVerifyPerSec) lines.push(`single-thread wasm verify (signatures bench): ${singleThreadVerifyPerSec.toFixed(0)}/s; ×2 = ${(2 * singleThreadVerifyPerSec).toFixed(0)}/s; import ÷ that = ${(imp.transfersPerSec / (2 * singleThreadVerifyPerSec)).toFixed(2)}`);
  section("Block import of signed transfers (full verification, execution, trie, LevelDB commit)", lines);
  rows.push({ figure: "block import, signed transfers/s", value: fmt(imp.transfersPerSec), against: `2 raw wasm sr25519 verify threads: ${fmt(imp.ceilingPerSec)}/s`, ratio: imp.ratio.toFixed(2), goal: "≥ 0.85", met: imp.ratio >= 0.85 });
});

await part("yuma", async () => {
  const { runYumaBench } = await import("./yuma.js");
  const yuma = await runYumaBench();
  section("Yuma epoch (pure function)", resultLines(yuma));
});

await part("epoch", async () => {
  const { runEpochBlockBench } = await import("./epochBlock.js");
  const e = await runEpochBlockBench();
  section("Epoch block (128 subnets × 256 UIDs: state reads, epochs, writes, trie, commit)", [...resultLines(e.results), ...e.lines]);
  rows.push({ figure: "epoch block, 128 subnets × 256 UIDs (warm execute + commit)", value: `${fmt(e.blockMs)} ms`, against: `1000 ms (a twelfth of the 12 s slot); pure Yuma alone ${fmt(e.pureMs)} ms`, ratio: (e.blockMs / 1000).toFixed(2), goal: "< 1000 ms", met: e.blockMs < 1000 });
  rows.push({ figure: "  the same, cold trie cache (first execution)", value: `${fmt(e.coldBlockMs)} ms`, against: "1000 ms", ratio: (e.coldBlockMs / 1000).toFixed(2), goal: "(not a goal)" });
});

await part("rpc", async () => {
  const { runRpcBench } = await import("./rpc.js");
  const r = await runRpcBench();
  section("RPC, 100 WebSocket clients (closed loop), node and echo server each in their own process", r.lines);
  for (const f of r.methods) {
    const ratio = f.ratio ?? f.reqPerSec / r.echo.reqPerSec;
    const storage = f.method === "state_getStorage";
    rows.push({
      figure: `RPC ${f.method}, req/s (p50 / p99 ms)`,
      value: `${fmt(f.reqPerSec)} (${fmt(f.p50Ms, 1)} / ${fmt(f.p99Ms, 1)})${f.errors ? `, ${f.errors} errors` : ""}`,
      against: `bare ws echo server: ${fmt(r.echo.reqPerSec)} req/s (${fmt(r.echo.p50Ms, 1)} / ${fmt(r.echo.p99Ms, 1)})`,
      ratio: ratio.toFixed(2),
      goal: storage ? "≥ 0.7" : "(no goal)",
      met: storage ? ratio >= 0.7 : undefined,
    });
  }
});

await part("network", async () => {
  const { runNetworkBench } = await import("./network.js");
  const net = await runNetworkBench();
  section("Network (sync between two node processes; gossip on a 4-authority process network)", net.lines);
  for (const f of [net.empty, net.full]) {
    const kind = f.transfersPerBlock ? `full blocks (${f.transfersPerBlock} transfers)` : "empty blocks";
    rows.push({ figure: `sync from a peer, ${kind}, blocks/s`, value: fmt(f.syncBlocksPerSec, f.transfersPerBlock ? 1 : 0), against: `local import of the same blocks: ${fmt(f.localBlocksPerSec, f.transfersPerBlock ? 1 : 0)} blocks/s`, ratio: (f.syncBlocksPerSec / f.localBlocksPerSec).toFixed(2), goal: "(next to local import)" });
  }
  rows.push({ figure: "gossip latency author → others, median / p99", value: `${fmt(net.gossipMedianMs)} / ${fmt(net.gossipP99Ms)} ms`, against: "", ratio: "", goal: "(no goal)" });
});

await part("memory", async () => {
  const { runMemoryBench, memoryOptionsFromEnv } = await import("./memory.js");
  const m = await runMemoryBench(memoryOptionsFromEnv());
  section("Memory and disk (a node syncing a 10 000-block chain from a peer)", m.lines);
  rows.push({ figure: `RSS of a node after syncing ${m.blocks} blocks (peak)`, value: `${fmt(m.rssMb)} MB (${fmt(m.peakRssMb)} MB)`, against: "300 MB", ratio: (m.rssMb / 300).toFixed(2), goal: "≤ 300 MB", met: m.rssMb <= 300 });
  rows.push({ figure: "  of which private (anonymous mappings: V8 heaps, wasm, large buffers + malloc heap)", value: `${fmt(m.rssParts.anon + m.rssParts.malloc)} MB (${fmt(m.rssParts.anon)} + ${fmt(m.rssParts.malloc)})`, against: "300 MB", ratio: ((m.rssParts.anon + m.rssParts.malloc) / 300).toFixed(2), goal: "" });
  rows.push({ figure: "  of which file-backed (node binary, LevelDB tables mmapped for reading)", value: `${fmt(m.rssParts.file)} MB`, against: "", ratio: "", goal: "" });
  rows.push({ figure: `base path after ${m.blocks} blocks`, value: `${fmt(m.basePathMb)} MB`, against: "", ratio: "", goal: "(no goal)" });
  rows.push({ figure: `base-path growth per empty block (${m.growthFrom} → ${m.blocks})`, value: `${fmt(m.bytesPerEmptyBlock / 1024, 1)} KiB`, against: "", ratio: "", goal: "(no goal)" });
});

const loadEnd = load();
const finished = new Date();
console.log(`\nload at end: ${loadEnd}; ${((finished.getTime() - started.getTime()) / 60_000).toFixed(1)} min`);
const table = [
  "| figure | this run | judged against (same run) | ratio | goal | met |",
  "|---|---|---|---|---|---|",
  ...rows.map((r) => `| ${r.figure} | ${r.value} | ${r.against} | ${r.ratio} | ${r.goal} | ${r.met === undefined ? "" : r.met ? "yes" : "**no**"} |`),
];
console.log(`\n## Summary\n${table.join("\n")}`);
const md = [
  `# subtensor-ts benchmark results${partial ? ` (PARTIAL run: ${only ? `BENCH_ONLY=${only.join(",")}` : ""} ${shrunk.map((k) => `${k}=${process.env[k]}`).join(" ")})` : ""}`,
  "",
  "Written by `npm run bench` (bench/run.ts) from the run itself; do not edit by hand. Medians throughout; every ceiling and baseline was measured in the same run, on the same machine, under the same load. The machine's cores are shared (other work may run during the bench), so the load average is recorded.",
  "",
  `- machine: ${machine}`,
  `- date: ${started.toISOString()} → ${finished.toISOString()} (${((finished.getTime() - started.getTime()) / 60_000).toFixed(1)} min)`,
  `- load average (1, 5, 15 min): ${loadStart} at start, ${loadEnd} at end`,
  ...(failures.length ? ["", "**Parts that failed (no figures):**", ...failures.map((f) => `- ${f}`)] : []),
  "",
  "## Summary",
  "",
  ...table,
  "",
  ...sections,
].join("\n");
const out = process.env.BENCH_RESULTS ?? join(import.meta.dirname, "../../bench", partial ? "RESULTS.partial.md" : "RESULTS.md");
writeFileSync(out, md);
console.log(`\nwritten to ${out}`);
