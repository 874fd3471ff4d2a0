/**
 * Profiling aid (not part of `npm run bench`): the main thread's share of importing signed
 * transfers — the import bench's blocks imported with signature checks answered at once, several
 * times over. `node --cpu-prof dist/bench/profileMainThread.js [rounds]`
 */
import "../src/util/polyfill.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildBlocks, openChain } from "./blockImport.js";

const rounds = Number(process.argv[2] ?? 10);
const blocks = await buildBlocks();
for (let r = 0; r < rounds; r++) {
  const dir = mkdtempSync(join(tmpdir(), "subtensor-ts-prof-main-"));
  const { db, chain } = await openChain(dir, async (j) => j.map(() => true));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (const b of blocks) await chain.importBlock(b, { kind: "file" });
  const c = process.cpuUsage(c0);
  console.log(`round ${r}: ${((performance.now() - t0) / blocks.length).toFixed(1)} ms wall, ${((c.user + c.system) / 1000 / blocks.length).toFixed(1)} ms CPU per block of ${blocks[0].extrinsics.length - 1} transfers`);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
