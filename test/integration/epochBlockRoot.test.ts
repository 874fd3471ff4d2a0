/**
 * Pins the result of an epoch block: a small version of bench/epochBlock.ts's state (a few full
 * subnets written straight into the trie, one with delegates and nominators, one on Yuma3, one
 * with liquid alpha) executes block 1, in which every subnet runs its epoch. The state root and
 * the events were recorded on the straightforward code path (before the epoch block was optimized:
 * one storage read-modify-write per ledger entry per payout, one trie insert per key); any faster
 * path must give exactly these. Determinism is consensus: a different root here is a fork.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { ChainBatch, ChainDb } from "../../src/chain/db/chainDb.js";
import { Blockchain, type HeadInfo } from "../../src/chain/blockchain/blockchain.js";
import { buildGenesis } from "../../src/chain/genesis.js";
import { runtimeConfigOf } from "../../src/chain/spec.js";
import { createRuntime } from "../../src/chain/runtime/index.js";
import { initCrypto, verifySignature } from "../../src/chain/signatures/verify.js";
import { encodeUnsignedExtrinsic } from "../../src/chain/codec/extrinsic.js";
import type { EnumValue } from "../../src/chain/codec/scale.js";
import { preDigest } from "../../src/consensus/aura.js";
import { StateOverlay } from "../../src/chain/state/overlay.js";
import { Delegates, Keys, LiquidAlphaOn, PendingEmission, Stake, Uids, Yuma3On } from "../../src/chain/runtime/pallets/subtensor/storage.js";
import { toHex } from "../../src/util/bytes.js";
import { blake2_256 } from "../../src/util/hash.js";
import { silentLogger } from "../../src/util/logger.js";
import { addNominations, benchKey, epochOnBlockOneSpec, populateSubnet, TAO } from "../../bench/subnetState.js";

const SUBNETS = 4;
const UIDS = 48;
const VALIDATORS = 12;

/** Recorded on the straightforward path (commit 0db96e0 + this test). */
const PINNED = {
  root: "0xcf2e4c2c430e46fec418611ea6ed32f5b3e32427fff366700e601322dc3655d1",
  events: "0x79edf4c30ee6e9bf31c188455c43d64ec4231202ec3179b22c1b1eaabaa953df",
  changes: 727,
};

let dir: string;
let db: ChainDb;
let chain: Blockchain;
let parent: HeadInfo;
let exec: () => ReturnType<Blockchain["execute"]>;

const json = (v: unknown) => JSON.stringify(v, (_, x) => (typeof x === "bigint" ? x.toString() : x instanceof Uint8Array ? toHex(x) : x));

beforeAll(async () => {
  await cryptoWaitReady();
  await initCrypto();
  // every subnet's epoch falls on block 1 (as in the bench)
  const spec = await epochOnBlockOneSpec({ subnets: SUBNETS, uids: UIDS, validators: VALIDATORS });
  const runtime = createRuntime(runtimeConfigOf(spec));
  const genesis = buildGenesis(spec, runtime);
  dir = mkdtempSync(join(tmpdir(), "subtensor-ts-epoch-root-"));
  db = await ChainDb.open(join(dir, "db"));
  chain = await Blockchain.open({ db, runtime, logger: silentLogger(), verifyBatch: async (j) => j.map(verifySignature) }, genesis);
  const overlay = new StateOverlay(chain.bestState());
  for (let netuid = 1; netuid <= SUBNETS; netuid++) {
    populateSubnet(overlay, netuid, { uids: UIDS, validators: VALIDATORS, block: 0n, seed: 1 });
    PendingEmission.put(overlay, 100n * TAO, netuid);
  }
  addNominations(overlay, 2, { delegates: 5, nominators: 3, take: 11_796 });
  addNominations(overlay, 4, { delegates: 2, nominators: 1, take: 0 });
  // a delegate registered on two subnets: paid twice in the block, the second split sees the first's credits
  const shared = benchKey("hot", 2, 1);
  Keys.put(overlay, shared, 3, 5);
  Uids.put(overlay, 5, 3, shared);
  // …and whose owner has no stake entry: the first payout creates it, the second must see it among the stakers
  Stake.remove(overlay, shared, benchKey("cold", 2, 1));
  // a delegate whose owner has no stake entry: the owner's credit creates one
  Delegates.put(overlay, 0, benchKey("hot", 1, 40));
  Stake.remove(overlay, benchKey("hot", 1, 40), benchKey("cold", 1, 40));
  Yuma3On.put(overlay, true, 3);
  LiquidAlphaOn.put(overlay, true, 4);
  const update = chain.trie.update(chain.best.header.stateRoot, overlay.drain());
  await db.write(new ChainBatch().block(new Uint8Array(32).fill(0xee), new Uint8Array(0), new Uint8Array(0), update.newNodes));
  parent = { ...chain.best, header: { ...chain.best.header, stateRoot: update.root } };
  chain.trie.followState(update.root, update.root, []);
  const inherent = encodeUnsignedExtrinsic(runtime.callCodec.encode({ tag: "Timestamp", value: { tag: "set", value: { now: BigInt(spec.consensus.slotDurationMs) } } } as EnumValue));
  exec = () => chain.execute(parent, { number: 1, digest: [preDigest(1n)] }, [inherent], { build: true });
});

afterAll(async () => {
  await db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("epoch block of a few full subnets", () => {
  it("gives the pinned state root and events, cold and warm", () => {
    for (let run = 0; run < 2; run++) {
      const executed = exec();
      const epochs = executed.events.filter((r) => r.event.tag === "SubtensorModule" && (r.event.value as EnumValue).tag === "EpochRun");
      expect(epochs.length).toBe(SUBNETS);
      const got = { root: toHex(executed.header.stateRoot), events: toHex(blake2_256(new TextEncoder().encode(json(executed.events)))), changes: executed.changes.length };
      expect(got).toEqual(PINNED);
    }
  });
});
