/** Profiling aid (not part of `npm run bench`): imports N empty blocks built offline. `node --cpu-prof dist/bench/profileImport.js 500` */
import "../src/util/polyfill.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { localChainSpec, runtimeConfigOf } from "../src/chain/spec.js";
import { ChainDb } from "../src/chain/db/chainDb.js";
import { Blockchain } from "../src/chain/blockchain/blockchain.js";
import { createRuntime } from "../src/chain/runtime/index.js";
import { buildGenesis } from "../src/chain/genesis.js";
import { Node } from "../src/node/node.js";
import { silentLogger } from "../src/util/logger.js";
import { verifySignature } from "../src/chain/signatures/verify.js";
import { auraHeaderVerifier, grandpaJustificationVerifier } from "../src/consensus/verifiers.js";
import { buildChain } from "./chainBuilder.js";

const n = Number(process.argv[2] ?? 500);
const transfers = Number(process.argv[3] ?? 0);
const spec = await localChainSpec(1000);
if (transfers) (await import("./chainBuilder.js")).fundSenders(spec);
const seed = mkdtempSync(join(tmpdir(), "subtensor-ts-prof-"));
const built = await buildChain(spec, seed, { blocks: n, transfersPerBlock: transfers });
console.log(`built ${n} blocks in ${built.buildMs.toFixed(0)} ms`);
const runtime = createRuntime(runtimeConfigOf(spec));
const src = await ChainDb.open(Node.dbPath(seed, spec.id));
const srcChain = await Blockchain.open({ db: src, runtime, logger: silentLogger(), verifyBatch: async (j) => j.map(verifySignature) }, buildGenesis(spec, runtime));
const blocks = [];
for (let i = 1; i <= n; i++) {
  const h = srcChain.hashAt(i)!;
  blocks.push({ header: srcChain.header(h)!, extrinsics: srcChain.body(h)! });
}
await src.close();
const dst = mkdtempSync(join(tmpdir(), "subtensor-ts-prof-dst-"));
const db = await ChainDb.open(join(dst, "db"));
const chain = await Blockchain.open(
  { db, runtime, logger: silentLogger(), verifyBatch: async (j) => j.map(verifySignature), verifyHeader: auraHeaderVerifier({ slotDurationMs: 1000, now: Date.now }), verifyJustification: grandpaJustificationVerifier() },
  buildGenesis(spec, runtime),
);
// PROFILE=file.cpuprofile: a CPU profile of the import loop alone
const { Session } = await import("node:inspector/promises");
const session = process.env.PROFILE ? new Session() : undefined;
if (session) {
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
}
const t0 = performance.now();
for (const b of blocks) await chain.importBlock(b, { kind: "file" });
const ms = performance.now() - t0;
if (session) {
  const { profile } = await session.post("Profiler.stop");
  (await import("node:fs")).writeFileSync(process.env.PROFILE!, JSON.stringify(profile));
}
console.log(`imported ${n} blocks in ${ms.toFixed(0)} ms: ${((n * 1000) / ms).toFixed(0)} blocks/s`);
await db.close();
rmSync(seed, { recursive: true, force: true });
rmSync(dst, { recursive: true, force: true });
