/**
 * SubtensorModule.set_weights (call 0) through real extrinsics in blocks: the success path
 * (storage, LastUpdate, event), every error of classic `do_set_weights` in its Rust order, the
 * max-upscaling of the stored row, the weights rate limit across blocks, and the pool-level guard.
 *
 * Set-up: subnet 1 is pre-created by the genesis spec with //Hk0 (coldkey //Alice) as UID 0;
 * further neurons (and permits/stake) are written by `Sudo.sudo(System.set_storage)` in block 1
 * with the runtime's own `appendNeuron` (see weights/testChain.test-helper.ts), because
 * registration calls are implemented separately.
 */
import { afterEach, describe, expect, it } from "vitest";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import { ChainHarness } from "../../../../../../test/utils/chainHarness.js";
import { devChainSpec, TAO } from "../../../../spec.js";
import { checkTransaction } from "../../../executive.js";
import { PoolError } from "../../../../txpool/txpool.js";
import { CommitRevealWeightsEnabled, LastUpdate, Weights } from "../storage.js";
import { addStake, installNeuron, outcomeOf, subtensorEventsOf, sudoAs, sudoWrite, signerBalances } from "../../../../../../test/utils/subtensor/weights.js";

const NETUID = 1;
const U32_MAX = 0xffff_ffffn;

let h: ChainHarness;
afterEach(async () => {
  await h?.close();
});

interface Keys {
  hk0: KeyringPair;
  hk1: KeyringPair;
  hk2: KeyringPair;
  stranger: KeyringPair;
}

/**
 * Subnet 1 with UID 0 = //Hk0 (genesis owner hotkey, LastUpdate 0), then in block 1: UID 1 = //Hk1
 * (coldkey Bob, validator permit) and UID 2 = //Hk2 (coldkey Charlie, no permit).
 * The weights rate limit is 0 unless `hp` says otherwise.
 */
async function setup(hp: Record<string, unknown> = {}, globals: Record<string, unknown> = {}, stakes: { hk1?: bigint; hk2?: bigint } = {}): Promise<Keys> {
  const spec = await devChainSpec();
  h = await ChainHarness.create({
    ...spec,
    balances: [...spec.balances, ...signerBalances(addr, ["Hk0", "Hk1", "Hk2", "Stranger"])],
    subtensor: {
      ...globals,
      subnets: [{ netuid: NETUID, owner: addr("Alice"), ownerHotkey: addr("Hk0"), hyperparameters: { weightsSetRateLimit: 0, ...hp } }],
    },
  });
  const keys: Keys = { hk0: pair("Hk0"), hk1: pair("Hk1"), hk2: pair("Hk2"), stranger: pair("Stranger") };
  await sudoWrite(h, (state, block) => {
    installNeuron(state, NETUID, { hotkey: keys.hk1.publicKey, coldkey: h.bob.publicKey, permit: true, stake: stakes.hk1 }, block);
    installNeuron(state, NETUID, { hotkey: keys.hk2.publicKey, coldkey: h.charlie.publicKey, stake: stakes.hk2 }, block);
  });
  return keys;
}

const pair = (name: string): KeyringPair => h.keyring.addFromUri(`//${name}`);
/** SS58 of a dev key before the harness exists (devChainSpec has already loaded the crypto wasm). */
const specKeyring = new Keyring({ type: "sr25519", ss58Format: 42 });
const addr = (name: string): string => specKeyring.addFromUri(`//${name}`).address;

const setWeightsCall = (netuid: number, dests: number[], weights: number[], versionKey = 0n) =>
  h.encodeCall("SubtensorModule", "set_weights", { netuid, dests, weights, versionKey });

const setWeights = (who: KeyringPair, netuid: number, dests: number[], weights: number[], versionKey = 0n) => h.sign(who, setWeightsCall(netuid, dests, weights, versionKey));

/** Produces one block with these extrinsics and returns their outcomes (in order). */
async function run(...txs: Uint8Array[]): Promise<string[]> {
  const block = await h.produce(txs);
  expect(block.skipped).toEqual([]);
  return txs.map((_, i) => outcomeOf(block.events, i + 1));
}

const state = () => h.chain.bestState();
const best = () => BigInt(h.chain.best.number);

describe("set_weights: success", () => {
  it("a permitted validator sets weights: max-upscaled row, LastUpdate = block, WeightsSet(netuid, uid), no fee", async () => {
    const k = await setup();
    const block = await h.produce([setWeights(k.hk1, NETUID, [0, 1], [1, 2])]);
    expect(outcomeOf(block.events, 1)).toBe("ok");
    // [1, 2] → 1·65535/2 = 32767.5 rounds (away from zero) to 32768; the max becomes 65535.
    expect(Weights.get(state(), NETUID, 1)).toEqual([
      [0, 32768],
      [1, 65535],
    ]);
    expect(LastUpdate.get(state(), NETUID)[1]).toBe(best());
    expect(subtensorEventsOf(block.events)).toEqual([["WeightsSet", [NETUID, 1]]]);
    // Pays::No: the hotkey keeps its whole (genesis) balance.
    expect(h.freeOf(k.hk1.publicKey)).toBe(TAO);
  });

  it("stores hand-computed upscaled values: [3, 7, 10] → [19661, 45875, 65535]; [30000, 40000] → [49151, 65535]", async () => {
    const k = await setup();
    expect(await run(setWeights(k.hk1, NETUID, [0, 1, 2], [3, 7, 10]))).toEqual(["ok"]);
    expect(Weights.get(state(), NETUID, 1)).toEqual([
      [0, 19661],
      [1, 45875],
      [2, 65535],
    ]);
    expect(await run(setWeights(k.hk1, NETUID, [2, 0], [30000, 40000]))).toEqual(["ok"]);
    // above 32768 the factor floor(65535/40000 in I32F32) is applied: 30000 × it = 49151.25 → 49151
    expect(Weights.get(state(), NETUID, 1)).toEqual([
      [2, 49151],
      [0, 65535],
    ]);
  });

  it("weights summing above u16::MAX are accepted and stored as [65535, 65535] (Subtensor test_set_weights_sum_larger_than_u16_max)", async () => {
    const k = await setup();
    expect(await run(setWeights(k.hk1, NETUID, [0, 1], [65535, 65535]))).toEqual(["ok"]);
    expect(Weights.get(state(), NETUID, 1)).toEqual([
      [0, 65535],
      [1, 65535],
    ]);
  });

  it("a neuron without a permit may set a single self-weight, exempt from MinAllowedWeights and MaxWeightsLimit", async () => {
    const k = await setup({ minAllowedWeights: 3, maxWeightsLimit: 1000 });
    expect(await run(setWeights(k.hk2, NETUID, [2], [5]))).toEqual(["ok"]);
    expect(Weights.get(state(), NETUID, 2)).toEqual([[2, 65535]]);
  });
});

describe("set_weights: errors in Subtensor's order", () => {
  it("CanNotSetRootNetworkWeights on netuid 0, before any other check", async () => {
    const k = await setup();
    expect(await run(setWeights(k.hk1, 0, [0, 1], [1]))).toEqual(["CanNotSetRootNetworkWeights"]);
  });

  it("WeightVecNotEqualSize, before the subnet is looked up", async () => {
    const k = await setup();
    expect(await run(setWeights(k.hk1, NETUID, [0, 1], [1]), setWeights(k.hk2, 99, [0], [1, 2]))).toEqual(["WeightVecNotEqualSize", "WeightVecNotEqualSize"]);
  });

  it("SubNetworkDoesNotExist", async () => {
    const k = await setup();
    expect(await run(setWeights(k.hk1, 99, [0], [1]))).toEqual(["SubNetworkDoesNotExist"]);
  });

  it("UidsLengthExceedUidsInSubNet: more uids than neurons (checked before registration)", async () => {
    const k = await setup();
    expect(await run(setWeights(k.stranger, NETUID, [0, 1, 2, 3], [1, 1, 1, 1]))).toEqual(["UidsLengthExceedUidsInSubNet"]);
  });

  it("HotKeyNotRegisteredInSubNet", async () => {
    const k = await setup();
    expect(await run(setWeights(k.stranger, NETUID, [0], [1]))).toEqual(["HotKeyNotRegisteredInSubNet"]);
  });

  it("NotEnoughStakeToSetWeights (dispatch check, reached through sudo_as since the pool guard stops the plain extrinsic)", async () => {
    const k = await setup({}, { stakeThreshold: String(1000n * TAO) }, { hk1: 1000n * TAO - 1n });
    expect(await sudoAs(h, k.hk1.publicKey, setWeightsCall(NETUID, [0, 1], [1, 1]))).toBe("NotEnoughStakeToSetWeights");
    await sudoWrite(h, (s) => addStake(s, k.hk1.publicKey, h.bob.publicKey, 1n));
    expect(await sudoAs(h, k.hk1.publicKey, setWeightsCall(NETUID, [0, 1], [1, 1]))).toBe("ok");
  });

  it("IncorrectWeightVersionKey: refused below the subnet key, accepted at or above it", async () => {
    const k = await setup({ weightsVersionKey: 5 });
    expect(await run(setWeights(k.hk1, NETUID, [0, 1], [1, 1], 4n), setWeights(k.hk0, NETUID, [0], [1], 5n), setWeights(k.hk2, NETUID, [2], [1], 6n))).toEqual([
      "IncorrectWeightVersionKey",
      "ok",
      "ok",
    ]);
  });

  it("a subnet version key of 0 accepts any version_key", async () => {
    const k = await setup();
    expect(await run(setWeights(k.hk1, NETUID, [0], [1], 0n), setWeights(k.hk2, NETUID, [2], [1], 123n))).toEqual(["ok", "ok"]);
  });

  it("NeuronNoValidatorPermit: non-self weights (even a single weight on another uid) need a permit", async () => {
    const k = await setup();
    expect(await run(setWeights(k.hk2, NETUID, [0, 2], [1, 1]))).toEqual(["NeuronNoValidatorPermit"]);
    expect(await run(setWeights(k.hk2, NETUID, [0], [1]))).toEqual(["NeuronNoValidatorPermit"]);
  });

  it("DuplicateUids", async () => {
    const k = await setup();
    expect(await run(setWeights(k.hk1, NETUID, [1, 1], [1, 2]))).toEqual(["DuplicateUids"]);
  });

  it("UidVecContainInvalidOne: a uid with no neuron", async () => {
    const k = await setup();
    expect(await run(setWeights(k.hk1, NETUID, [0, 5], [1, 2]))).toEqual(["UidVecContainInvalidOne"]);
  });

  it("WeightVecLengthIsLow: fewer than min(MinAllowedWeights, SubnetworkN) weights", async () => {
    const k = await setup({ minAllowedWeights: 3 });
    expect(await run(setWeights(k.hk1, NETUID, [0, 1], [1, 1]))).toEqual(["WeightVecLengthIsLow"]);
    expect(await run(setWeights(k.hk1, NETUID, [0, 1, 2], [1, 1, 1]))).toEqual(["ok"]);
  });

  it("MinAllowedWeights above the neuron count is capped at SubnetworkN", async () => {
    const k = await setup({ minAllowedWeights: 10 });
    expect(await run(setWeights(k.hk1, NETUID, [0, 1, 2], [1, 1, 1]))).toEqual(["ok"]);
  });

  it("MaxWeightExceeded: the normalized maximum is above MaxWeightsLimit/65535", async () => {
    // 40000/65535 ≈ 0.61: [1, 2] normalizes to max 0.667 (refused), [1, 1] to 0.5 (accepted).
    const k = await setup({ maxWeightsLimit: 40000 });
    expect(await run(setWeights(k.hk1, NETUID, [0, 1], [1, 2]))).toEqual(["MaxWeightExceeded"]);
    expect(await run(setWeights(k.hk1, NETUID, [0, 1], [1, 1]))).toEqual(["ok"]);
  });

  it("CommitRevealEnabled: set_weights is refused while commit-reveal is on for the subnet, accepted once off", async () => {
    const k = await setup();
    await sudoWrite(h, (s) => CommitRevealWeightsEnabled.put(s, true, NETUID));
    expect(await run(setWeights(k.hk1, NETUID, [0, 1], [1, 1]))).toEqual(["CommitRevealEnabled"]);
    await sudoWrite(h, (s) => CommitRevealWeightsEnabled.put(s, false, NETUID));
    expect(await run(setWeights(k.hk1, NETUID, [0, 1], [1, 1]))).toEqual(["ok"]);
  });

  it("a failed call writes nothing: no row, LastUpdate unchanged, no WeightsSet", async () => {
    const k = await setup({ maxWeightsLimit: 40000 });
    const before = LastUpdate.get(state(), NETUID)[1];
    const block = await h.produce([setWeights(k.hk1, NETUID, [0, 1], [1, 2])]);
    expect(outcomeOf(block.events, 1)).toBe("MaxWeightExceeded");
    expect(Weights.exists(state(), NETUID, 1)).toBe(false);
    expect(LastUpdate.get(state(), NETUID)[1]).toBe(before);
    expect(subtensorEventsOf(block.events)).toEqual([]);
  });
});

describe("weights rate limits across blocks", () => {
  it("set at block n, refused until n + WeightsSetRateLimit, accepted at exactly the limit; a new neuron waits from its registration block", async () => {
    const LIMIT = 10;
    const k = await setup({ weightsSetRateLimit: LIMIT });
    const registered = best(); // block 1: hk1 registered with LastUpdate = 1
    expect(LastUpdate.get(state(), NETUID)[1]).toBe(registered);

    // Block 2: hk0 never set weights (LastUpdate 0 from genesis) → allowed at once; hk1 registered 1 block ago → too fast.
    expect(await run(setWeights(k.hk0, NETUID, [0], [1]), setWeights(k.hk1, NETUID, [0, 1], [1, 1]))).toEqual(["ok", "SettingWeightsTooFast"]);
    const n = best();
    expect(LastUpdate.get(state(), NETUID)[0]).toBe(n);

    for (let b = n + 1n; b < n + BigInt(LIMIT); b++) {
      const hk1Allowed = b - registered >= BigInt(LIMIT);
      expect(await run(setWeights(k.hk0, NETUID, [0], [1]), setWeights(k.hk1, NETUID, [0, 1], [1, 1]))).toEqual(["SettingWeightsTooFast", hk1Allowed ? "ok" : "SettingWeightsTooFast"]);
      expect(best()).toBe(b);
      // refusals never move LastUpdate
      expect(LastUpdate.get(state(), NETUID)[0]).toBe(n);
    }
    // hk1 became allowed at exactly registered + LIMIT (block 11)
    expect(LastUpdate.get(state(), NETUID)[1]).toBe(registered + BigInt(LIMIT));

    // Block n + LIMIT: exactly the limit → accepted.
    expect(await run(setWeights(k.hk0, NETUID, [0], [1]))).toEqual(["ok"]);
    expect(best()).toBe(n + BigInt(LIMIT));
    expect(LastUpdate.get(state(), NETUID)[0]).toBe(n + BigInt(LIMIT));
    // and the window starts again
    expect(await run(setWeights(k.hk0, NETUID, [0], [1]))).toEqual(["SettingWeightsTooFast"]);
  });

  it("a rate limit of 0 lets a neuron set weights in consecutive blocks", async () => {
    const k = await setup({ weightsSetRateLimit: 0 });
    for (let i = 0; i < 3; i++) expect(await run(setWeights(k.hk1, NETUID, [0, 1], [1, 1]))).toEqual(["ok"]);
  });
});

describe("set_weights pool-level guard (SubtensorSignedExtension::validate)", () => {
  const poolError = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      return `${(e as PoolError).type.code}:${(e as PoolError).message}`;
    }
    return "accepted";
  };

  it("a hotkey below WeightsMinStake is refused with InvalidTransaction::Call at the pool and left out of blocks", async () => {
    const k = await setup({}, { stakeThreshold: String(1000n * TAO) }, { hk1: 1000n * TAO, hk2: 1000n * TAO - 1n });
    expect(poolError(() => h.pool.submit(setWeights(k.hk2, NETUID, [2], [1])))).toBe("INVALID:Invalid Transaction: Transaction call is not expected");
    expect(poolError(() => h.pool.submit(setWeights(k.hk1, NETUID, [0, 1], [1, 1])))).toBe("accepted");
    // a block author skips the refused one as invalid
    const block = await h.produce([setWeights(k.hk2, NETUID, [2], [1])]);
    expect(block.skipped).toHaveLength(1);
    expect(Weights.exists(state(), NETUID, 2)).toBe(false);
  });

  it("priority = blocks since LastUpdate + u32::MAX for a registered hotkey, 0 for one without a uid", async () => {
    const k = await setup();
    const registered = best();
    await h.produce([]);
    await h.produce([]);
    const ext = (pair: KeyringPair) => h.chain.decode(setWeights(pair, NETUID, [0], [1]));
    const current = h.chain.best.number + 1;
    const priority = (pair: KeyringPair) => checkTransaction(h.runtime, state(), ext(pair), current, h.chain.best.hash, h.chain.chainIdentity).priority;
    expect(priority(k.hk1)).toBe(BigInt(current) - registered + U32_MAX);
    expect(priority(k.hk0)).toBe(BigInt(current) + U32_MAX); // LastUpdate 0
    expect(priority(k.stranger)).toBe(0n);
  });
});
