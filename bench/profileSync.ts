/** Profiling aid (not part of `npm run bench`): an in-process empty node syncs N blocks from a source node. */
import "../src/util/polyfill.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { localChainSpec } from "../src/chain/spec.js";
import { Node } from "../src/node/node.js";
import { P2P_DEFAULTS } from "../src/node/options.js";
import { silentLogger } from "../src/util/logger.js";
import { peerIdOfSecret } from "../src/p2p/nodeKey.js";
import { buildChain } from "./chainBuilder.js";

const n = Number(process.argv[2] ?? 1000);
const spec = await localChainSpec(1000);
const seed = mkdtempSync(join(tmpdir(), "subtensor-ts-psync-"));
await buildChain(spec, seed, { blocks: n, justifyEvery: 500 });
const mk = async (basePath: string, key: string, bootnodes: string[]) => {
  const node = await Node.create({ spec, basePath, name: "p", logger: silentLogger(), rpcPort: 0, rpcExternal: false, rpcMethods: "auto", verifierWorkers: 0, p2p: { ...P2P_DEFAULTS, listenAddrs: ["/ip4/127.0.0.1/tcp/0"], nodeKeyHex: key, bootnodes } });
  await node.start();
  return node;
};
const k1 = "01".padStart(64, "0");
const source = await mk(seed, k1, []);
const addr = source.network!.listenAddresses().find((a) => a.startsWith("/ip4/127.0.0.1"))!;
const empty = mkdtempSync(join(tmpdir(), "subtensor-ts-psync-e-"));
const t0 = performance.now();
const sink = await mk(empty, "02".padStart(64, "0"), [addr.includes("/p2p/") ? addr : `${addr}/p2p/${await peerIdOfSecret(Buffer.from(k1, "hex"))}`]);
await new Promise<void>((resolve) => {
  const check = () => sink.chain.best.number >= n && resolve();
  sink.chain.on("imported", check);
  check();
});
const s = (performance.now() - t0) / 1000;
console.log(`synced ${n} blocks in ${s.toFixed(2)} s: ${(n / s).toFixed(0)} blocks/s`);
await sink.stop();
await source.stop();
rmSync(seed, { recursive: true, force: true });
rmSync(empty, { recursive: true, force: true });
