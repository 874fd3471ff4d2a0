/**
 * Profiling aid (not part of `npm run bench`): trie reads of epoch inputs (32 subnets × 256
 * UIDs) on a warm node cache. `node --cpu-prof dist/bench/profileReads.js [subnets] [rounds]`
 */
import "../src/util/polyfill.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Keyring } from "@polkadot/keyring";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { ChainDb, ChainBatch } from "../src/chain/db/chainDb.js";
import { Blockchain, TrieState } from "../src/chain/blockchain/blockchain.js";
import { buildGenesis } from "../src/chain/genesis.js";
import { devChainSpec, runtimeConfigOf } from "../src/chain/spec.js";
import { createRuntime } from "../src/chain/runtime/index.js";
import { verifySignature } from "../src/chain/signatures/verify.js";
import { StateOverlay } from "../src/chain/state/overlay.js";
import { readFlatEpochInput } from "../src/chain/runtime/pallets/subtensor/coinbase/epochDriver.js";
import { silentLogger } from "../src/util/logger.js";
import { populateSubnet } from "./subnetState.js";

const subnets = Number(process.argv[2] ?? 32);
const rounds = Number(process.argv[3] ?? 10);
await cryptoWaitReady();
const spec = await devChainSpec();
const owner = new Keyring({ type: "sr25519", ss58Format: 42 }).addFromUri("//Alice").address;
spec.subtensor = { subnetLimit: subnets + 1, subnets: Array.from({ length: subnets }, (_, i) => ({ netuid: i + 1, owner, hyperparameters: { tempo: i + 3, maxAllowedUids: 256 } })) };
const runtime = createRuntime(runtimeConfigOf(spec));
const dir = mkdtempSync(join(tmpdir(), "subtensor-ts-prof-reads-"));
const db = await ChainDb.open(join(dir, "db"));
const chain = await Blockchain.open({ db, runtime, logger: silentLogger(), verifyBatch: async (j) => j.map(verifySignature) }, buildGenesis(spec, runtime));
const overlay = new StateOverlay(chain.bestState());
for (let n = 1; n <= subnets; n++) populateSubnet(overlay, n, { uids: 256, validators: 64, block: 0n, seed: 1 });
const update = chain.trie.update(chain.best.header.stateRoot, overlay.drain());
await db.write(new ChainBatch().block(new Uint8Array(32).fill(0xee), new Uint8Array(0), new Uint8Array(0), update.newNodes));
const state = new TrieState(chain.trie, update.root);
for (let r = 0; r < rounds; r++) {
  const t0 = performance.now();
  for (let n = 1; n <= subnets; n++) readFlatEpochInput(new StateOverlay(state), n, 1n, 1n);
  console.log(`round ${r}: ${(performance.now() - t0).toFixed(0)} ms for ${subnets} subnets' inputs`);
}
await db.close();
rmSync(dir, { recursive: true, force: true });
