/**
 * SubtensorModule.set_root_weights (call 8), classic `do_set_root_weights` (root.rs at
 * de1026780), through real extrinsics: signed by the coldkey that owns a root-registered hotkey,
 * weights over netuids stored in Weights(0, uid). Every error path in the Rust order, and the pool
 * guard on the `hotkey` argument.
 *
 * Set-up: the genesis spec creates the root network and subnets 1 and 2; in block 1
 * Sudo(System.set_storage) registers //RootHk (coldkey Bob) and //RootHk2 (coldkey Charlie) on the
 * root network with `appendNeuron`, //Hk1 (coldkey Bob) on subnet 1, and sets the root network's
 * weights rate limit (root registration is implemented separately).
 */
import { afterEach, describe, expect, it } from "vitest";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import { ChainHarness } from "../../../../../../test/utils/chainHarness.js";
import { devChainSpec, TAO } from "../../../../spec.js";
import { PoolError } from "../../../../txpool/txpool.js";
import type { StorageAccess } from "../../../../state/types.js";
import { LastUpdate, MaxWeightsLimit, MinAllowedWeights, Uids, Weights, WeightsSetRateLimit, WeightsVersionKey } from "../storage.js";
import { installNeuron, outcomeOf, subtensorEventsOf, sudoAs, sudoWrite, signerBalances } from "../../../../../../test/utils/subtensor/weights.js";

const ROOT = 0;

let h: ChainHarness;
afterEach(async () => {
  await h?.close();
});

const specKeyring = new Keyring({ type: "sr25519", ss58Format: 42 });
const addr = (name: string): string => specKeyring.addFromUri(`//${name}`).address;
const pair = (name: string): KeyringPair => h.keyring.addFromUri(`//${name}`);

interface Keys {
  rootHk: KeyringPair;
  rootHk2: KeyringPair;
  hk1: KeyringPair;
}

/** `extra` runs in the same set_storage block (root hyperparameters for a test). */
async function setup(opts: { globals?: Record<string, unknown>; rateLimit?: bigint; stake?: bigint; extra?: (s: StorageAccess) => void } = {}): Promise<Keys> {
  const spec = await devChainSpec();
  h = await ChainHarness.create({
    ...spec,
    balances: [...spec.balances, ...signerBalances(addr, ["RootHk", "RootHk2", "Hk1"])],
    subtensor: {
      ...(opts.globals ?? {}),
      subnets: [
        { netuid: 1, owner: addr("Alice"), ownerHotkey: addr("Hk0") },
        { netuid: 2, owner: addr("Alice") },
      ],
    },
  });
  const keys: Keys = { rootHk: pair("RootHk"), rootHk2: pair("RootHk2"), hk1: pair("Hk1") };
  await sudoWrite(h, (state, block) => {
    installNeuron(state, ROOT, { hotkey: keys.rootHk.publicKey, coldkey: h.bob.publicKey, stake: opts.stake }, block);
    installNeuron(state, ROOT, { hotkey: keys.rootHk2.publicKey, coldkey: h.charlie.publicKey }, block);
    installNeuron(state, 1, { hotkey: keys.hk1.publicKey, coldkey: h.bob.publicKey }, block);
    WeightsSetRateLimit.put(state, opts.rateLimit ?? 0n, ROOT);
    opts.extra?.(state);
  });
  return keys;
}

const rootCall = (netuid: number, hotkey: Uint8Array, dests: number[], weights: number[], versionKey = 0n) =>
  h.encodeCall("SubtensorModule", "set_root_weights", { netuid, hotkey, dests, weights, versionKey });
const setRoot = (signer: KeyringPair, netuid: number, hotkey: KeyringPair | Uint8Array, dests: number[], weights: number[], versionKey = 0n) =>
  h.sign(signer, rootCall(netuid, hotkey instanceof Uint8Array ? hotkey : hotkey.publicKey, dests, weights, versionKey));

async function run(...txs: Uint8Array[]): Promise<string[]> {
  const block = await h.produce(txs);
  expect(block.skipped).toEqual([]);
  return txs.map((_, i) => outcomeOf(block.events, i + 1));
}

const state = () => h.chain.bestState();

describe("set_root_weights", () => {
  it("the owning coldkey sets its root validator's weights over subnets: row, LastUpdate, WeightsSet(0, uid); no permit needed", async () => {
    const k = await setup();
    const uid = Uids.get(state(), ROOT, k.rootHk.publicKey)!;
    const block = await h.produce([setRoot(h.bob, ROOT, k.rootHk, [1, 2], [1, 2])]);
    expect(outcomeOf(block.events, 1)).toBe("ok");
    expect(Weights.get(state(), ROOT, uid)).toEqual([
      [1, 32768],
      [2, 65535],
    ]);
    expect(LastUpdate.get(state(), ROOT)[uid]).toBe(BigInt(h.chain.best.number));
    expect(subtensorEventsOf(block.events)).toEqual([["WeightsSet", [ROOT, uid]]]);
  });

  it("set_weights on the root network is refused (CanNotSetRootNetworkWeights): root weights go through set_root_weights", async () => {
    const k = await setup();
    const tx = h.sign(k.rootHk, h.encodeCall("SubtensorModule", "set_weights", { netuid: ROOT, dests: [1], weights: [1], versionKey: 0n }));
    expect(await run(tx)).toEqual(["CanNotSetRootNetworkWeights"]);
  });

  it("HotKeyAccountNotExists for a hotkey nobody owns", async () => {
    await setup();
    expect(await run(setRoot(h.bob, ROOT, pair("Nobody"), [1], [1]))).toEqual(["HotKeyAccountNotExists"]);
  });

  it("NonAssociatedColdKey when the signer does not own the hotkey", async () => {
    const k = await setup();
    expect(await run(setRoot(h.charlie, ROOT, k.rootHk, [1], [1]))).toEqual(["NonAssociatedColdKey"]);
  });

  it("SubNetworkDoesNotExist, then NotRootSubnet for an existing non-root subnet", async () => {
    const k = await setup();
    expect(await run(setRoot(h.bob, 9, k.rootHk, [1], [1]), setRoot(h.charlie, 1, k.rootHk2, [1], [1]))).toEqual(["SubNetworkDoesNotExist", "NotRootSubnet"]);
  });

  it("WeightVecNotEqualSize", async () => {
    const k = await setup();
    expect(await run(setRoot(h.bob, ROOT, k.rootHk, [1, 2], [1]))).toEqual(["WeightVecNotEqualSize"]);
  });

  it("UidVecContainInvalidOne: a destination netuid that does not exist", async () => {
    const k = await setup();
    expect(await run(setRoot(h.bob, ROOT, k.rootHk, [1, 7], [1, 1]))).toEqual(["UidVecContainInvalidOne"]);
  });

  it("HotKeyNotRegisteredInSubNet: an owned hotkey that is not on the root network", async () => {
    const k = await setup();
    expect(await run(setRoot(h.bob, ROOT, k.hk1, [1], [1]))).toEqual(["HotKeyNotRegisteredInSubNet"]);
  });

  it("NotEnoughStakeToSetWeights (through sudo_as), and the pool refuses on the hotkey argument's stake", async () => {
    const k = await setup({ globals: { stakeThreshold: String(100n * TAO) }, stake: 100n * TAO - 1n });
    expect(await sudoAs(h, h.bob.publicKey, rootCall(ROOT, k.rootHk.publicKey, [1], [1]))).toBe("NotEnoughStakeToSetWeights");
    // Bob (the signer) has plenty of balance, but the guard looks at the hotkey's stake.
    let message = "accepted";
    try {
      h.pool.submit(setRoot(h.bob, ROOT, k.rootHk, [1], [1]));
    } catch (e) {
      message = (e as PoolError).message;
    }
    expect(message).toBe("Invalid Transaction: Transaction call is not expected");
  });

  it("IncorrectWeightVersionKey against the root network's WeightsVersionKey", async () => {
    const k = await setup({ extra: (s) => WeightsVersionKey.put(s, 3n, ROOT) });
    expect(await run(setRoot(h.bob, ROOT, k.rootHk, [1], [1], 2n), setRoot(h.charlie, ROOT, k.rootHk2, [1], [1], 3n))).toEqual(["IncorrectWeightVersionKey", "ok"]);
  });

  it("SettingWeightsTooFast: WeightsSetRateLimit of the root network, counted from registration then from each set", async () => {
    const k = await setup({ rateLimit: 5n }); // registered at block 1
    expect(await run(setRoot(h.bob, ROOT, k.rootHk, [1], [1]))).toEqual(["SettingWeightsTooFast"]); // block 2
    while (h.chain.best.number < 5) await h.produce([]);
    expect(await run(setRoot(h.bob, ROOT, k.rootHk, [1], [1]))).toEqual(["ok"]); // block 6 = 1 + 5
    while (h.chain.best.number < 9) await h.produce([]);
    expect(await run(setRoot(h.bob, ROOT, k.rootHk, [1], [1]))).toEqual(["SettingWeightsTooFast"]); // block 10
    expect(await run(setRoot(h.bob, ROOT, k.rootHk, [1], [1]))).toEqual(["ok"]); // block 11 = 6 + 5
  });

  it("DuplicateUids", async () => {
    const k = await setup();
    expect(await run(setRoot(h.bob, ROOT, k.rootHk, [1, 1], [1, 1]))).toEqual(["DuplicateUids"]);
  });

  it("WeightVecLengthIsLow: fewer than min(MinAllowedWeights, root validators) weights, no self-weight exemption on root", async () => {
    const k = await setup({ extra: (s) => MinAllowedWeights.put(s, 2, ROOT) });
    expect(Uids.get(state(), ROOT, k.rootHk2.publicKey)).toBe(1);
    // [1] is netuid 1 and also RootHk2's own uid: a "self-weight", which is exempt on subnets but not on root
    expect(await run(setRoot(h.bob, ROOT, k.rootHk, [2], [1]), setRoot(h.charlie, ROOT, k.rootHk2, [1], [1]))).toEqual(["WeightVecLengthIsLow", "WeightVecLengthIsLow"]);
    expect(await run(setRoot(h.bob, ROOT, k.rootHk, [1, 2], [1, 1]))).toEqual(["ok"]);
  });

  it("MaxWeightExceeded against the root network's MaxWeightsLimit", async () => {
    const k = await setup({ extra: (s) => MaxWeightsLimit.put(s, 40000, ROOT) });
    expect(await run(setRoot(h.bob, ROOT, k.rootHk, [1, 2], [1, 2]))).toEqual(["MaxWeightExceeded"]);
    expect(await run(setRoot(h.bob, ROOT, k.rootHk, [1, 2], [1, 1]))).toEqual(["ok"]);
  });
});
