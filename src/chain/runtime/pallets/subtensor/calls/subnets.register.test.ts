/**
 * burned_register (7), register (6, proof of work) and faucet (60) through real extrinsics: the
 * neuron's state and events, the recycled burn (both issuances go down), the PoW seal checked
 * exactly as Subtensor does (a real seal is mined for a low difficulty), the pool-level interval
 * guard, and every error path in Subtensor's order of checks.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChainHarness } from "../../../../../../test/utils/chainHarness.js";
import { devChainSpec } from "../../../../spec.js";
import { TransactionValidityError } from "../../../validity.js";
import { TotalIssuance as BalancesTotalIssuance } from "../../balances.js";
import { subtensorPallet } from "../index.js";
import * as C from "../constants.js";
import * as S from "../storage.js";
import { createSealHash, hashMeetsDifficulty, solvePow } from "../registration/pow.js";
import { addr, checkIssuance, eventsOf, hotkey, outcomes, pair, st, sudoAs, sudoResult, TAO, view } from "../../../../../../test/utils/subtensor/subnets.js";

/** Subnet 1: open to burn and PoW; 2: registration closed; 3: no UID slots; 4: a 100 RAO burn. */
const SUBNETS = () => [
  {
    netuid: 1,
    owner: addr("Alice"),
    hyperparameters: { burn: TAO.toString(), maxRegistrationsPerBlock: 3, targetRegistrationsPerInterval: 2, adjustmentInterval: 1000, powRegistrationAllowed: true, difficulty: 1000 },
  },
  { netuid: 2, owner: addr("Alice"), hyperparameters: { registrationAllowed: false, powRegistrationAllowed: false } },
  { netuid: 3, owner: addr("Alice"), hyperparameters: { maxAllowedUids: 0, maxAllowedValidators: 0, powRegistrationAllowed: true, difficulty: 1 } },
  { netuid: 4, owner: addr("Alice"), hyperparameters: { burn: 100 } },
];

let h: ChainHarness;
afterEach(async () => {
  await h?.close();
});

async function chain(balances: Array<[string, string]> = []): Promise<ChainHarness> {
  const spec = await devChainSpec();
  h = await ChainHarness.create({ ...spec, balances: [...spec.balances, ...balances], subtensor: { emission: { equalSplitFallback: false }, subnets: SUBNETS() } });
  return h;
}

/** The validity error with which the pool refuses a submission (the pool wraps it in PoolError { code: "INVALID" }). */
function poolRefusal(submit: () => unknown): TransactionValidityError {
  try {
    submit();
  } catch (e) {
    const t = (e as { type?: { code?: string; error?: unknown } }).type;
    if (t?.code === "INVALID" && t.error instanceof TransactionValidityError) return t.error;
    throw e;
  }
  throw new Error("the pool accepted the transaction");
}

const burned = (signer: string, netuid: number, hk: Uint8Array, nonce?: number) => st(h, pair(signer), "burned_register", { netuid, hotkey: hk }, nonce);

describe("burned_register", () => {
  beforeEach(async () => {
    await chain();
  });

  it("registers the hotkey under the coldkey, recycles the burn from both issuances, appends UIDs in order", async () => {
    const bob = pair("Bob");
    const [hk0, hk1] = [hotkey(0), hotkey(1)];
    const before = { bob: h.freeOf(bob.publicKey), charlie: h.freeOf(pair("Charlie").publicKey), ti: S.TotalIssuance.get(view(h)), bti: BalancesTotalIssuance.get(view(h)) };
    const block = await h.produce([burned("Bob", 1, hk0), burned("Charlie", 1, hk1)]);
    expect(outcomes(block)).toEqual(["ok", "ok"]);
    expect(eventsOf(block)).toEqual([
      ["NeuronRegistered", [1, 0, hk0]],
      ["NeuronRegistered", [1, 1, hk1]],
    ]);
    expect(eventsOf(block, "Balances", { tag: "ApplyExtrinsic", value: 1 })).toContainEqual(["Withdraw", { who: bob.publicKey, amount: TAO }]);

    const s = view(h);
    expect(h.freeOf(bob.publicKey)).toBe(before.bob - TAO);
    expect(h.freeOf(pair("Charlie").publicKey)).toBe(before.charlie - TAO);
    expect(S.TotalIssuance.get(s)).toBe(before.ti - 2n * TAO);
    expect(BalancesTotalIssuance.get(s)).toBe(before.bti - 2n * TAO);
    expect(S.RAORecycledForRegistration.get(s, 1)).toBe(2n * TAO);
    expect(S.SubnetworkN.get(s, 1)).toBe(2);
    expect(S.Uids.get(s, 1, hk0)).toBe(0);
    expect(S.Keys.get(s, 1, 1)).toEqual(hk1);
    expect(S.Owner.get(s, hk0)).toEqual(bob.publicKey);
    expect(S.OwnedHotkeys.get(s, bob.publicKey)).toEqual([hk0]);
    expect(S.Stake.get(s, hk0, bob.publicKey)).toBe(0n);
    expect(S.IsNetworkMember.get(s, hk0, 1)).toBe(true);
    expect(S.BlockAtRegistration.get(s, 1, 1)).toBe(1n);
    expect(S.Active.get(s, 1)).toEqual([true, true]);
    expect(S.LastUpdate.get(s, 1)).toEqual([1n, 1n]);
    expect(S.PruningScores.get(s, 1)).toEqual([0, 0]);
    expect(S.ValidatorPermit.get(s, 1)).toEqual([false, false]);
    expect(S.Emission.get(s, 1)).toEqual([0n, 0n]);
    expect(S.BurnRegistrationsThisInterval.get(s, 1)).toBe(2);
    expect(S.RegistrationsThisInterval.get(s, 1)).toBe(2);
    expect(S.RegistrationsThisBlock.get(s, 1)).toBe(2);
    expect(S.POWRegistrationsThisInterval.get(s, 1)).toBe(0);
    checkIssuance(h);

    // The next block starts with RegistrationsThisBlock reset (block_step), the interval counters kept.
    await h.produce();
    expect(S.RegistrationsThisBlock.get(view(h), 1)).toBe(0);
    expect(S.RegistrationsThisInterval.get(view(h), 1)).toBe(2);
  });

  it("the same coldkey registers its hotkey on a second subnet (the pairing holds)", async () => {
    const hk = hotkey(7);
    expect(outcomes(await h.produce([burned("Bob", 1, hk)]))).toEqual(["ok"]);
    expect(outcomes(await h.produce([burned("Bob", 4, hk)]))).toEqual(["ok"]);
    expect(S.IsNetworkMember.get(view(h), hk, 4)).toBe(true);
    expect(S.OwnedHotkeys.get(view(h), pair("Bob").publicKey)).toEqual([hk]);
  });

  it("fails in Subtensor's order: root, unknown subnet, closed, taken hotkey, foreign hotkey, no slots", async () => {
    const hk = hotkey(1);
    expect(outcomes(await h.produce([burned("Bob", 1, hk)]))).toEqual(["ok"]);
    const n = h.nonceOf(pair("Bob"));
    const block = await h.produce([
      burned("Bob", 0, hotkey(2), n),
      burned("Bob", 9, hotkey(2), n + 1),
      burned("Bob", 2, hotkey(2), n + 2),
      burned("Bob", 1, hk, n + 3),
      burned("Charlie", 4, hk), // hk belongs to Bob
      burned("Bob", 3, hotkey(2), n + 4),
    ]);
    expect(outcomes(block)).toEqual([
      "RegistrationNotPermittedOnRootSubnet",
      "SubNetworkDoesNotExist",
      "SubNetRegistrationDisabled",
      "HotKeyAlreadyRegisteredInSubNet",
      "NonAssociatedColdKey",
      "NoNeuronIdAvailable",
    ]);
    // Failed registrations burn nothing and change no counter.
    expect(S.RAORecycledForRegistration.get(view(h), 4)).toBe(0n);
    expect(S.Owner.get(view(h), hotkey(2))).toEqual(S.ZERO_ACCOUNT);
    expect(S.SubnetworkN.get(view(h), 1)).toBe(1);
    checkIssuance(h);
  });

  it("TooManyRegistrationsThisBlock beyond MaxRegistrationsPerBlock (3 here), allowed again in the next block", async () => {
    const n = h.nonceOf(pair("Bob"));
    const block = await h.produce([0, 1, 2, 3].map((i) => burned("Bob", 1, hotkey(i), n + i)));
    expect(outcomes(block)).toEqual(["ok", "ok", "ok", "TooManyRegistrationsThisBlock"]);
    expect(outcomes(await h.produce([burned("Bob", 1, hotkey(3))]))).toEqual(["ok"]);
  });

  it("the interval cap 3 × TargetRegistrationsPerInterval (6): the pool refuses with ExhaustsResources, a block skips it, a nested dispatch fails with TooManyRegistrationsThisInterval", async () => {
    let n = h.nonceOf(pair("Bob"));
    expect(outcomes(await h.produce([0, 1, 2].map((i) => burned("Bob", 1, hotkey(i), n + i))))).toEqual(["ok", "ok", "ok"]);
    n += 3;
    // Block 2: three more reach the cap; a fourth in the same block is invalid once the cap is reached.
    const b2 = await h.produce([3, 4, 5, 6].map((i) => burned("Bob", 1, hotkey(i), n + i - 3)));
    expect(b2.skipped).toHaveLength(1);
    expect((b2.skipped[0] as TransactionValidityError).type).toEqual({ code: "INVALID_TRANSACTION", kind: "ExhaustsResources" });
    expect(S.RegistrationsThisInterval.get(view(h), 1)).toBe(6);

    const refused = poolRefusal(() => h.pool.submit(burned("Charlie", 1, hotkey(10))));
    expect(refused.type).toEqual({ code: "INVALID_TRANSACTION", kind: "ExhaustsResources" });
    expect(refused.detail).toBe("Transaction would exhaust the block limits");
    // Other subnets are not affected.
    expect(() => h.pool.submit(burned("Charlie", 4, hotkey(10)))).not.toThrow();

    // Dispatched without the signed extension (Sudo.sudo_as), the call itself refuses.
    const b3 = await h.produce([sudoAs(h, pair("Charlie").publicKey, "burned_register", { netuid: 1, hotkey: hotkey(11) })]);
    expect(sudoResult(b3)).toBe("TooManyRegistrationsThisInterval");
  });

  it("NotEnoughBalanceToStake when the free balance is below the burn; nothing is taken", async () => {
    await h.close();
    const poor = pair("Poor");
    await chain([[poor.address, (TAO - 1n).toString()]]);
    expect(outcomes(await h.produce([st(h, poor, "burned_register", { netuid: 1, hotkey: hotkey(1) })]))).toEqual(["NotEnoughBalanceToStake"]);
    expect(h.freeOf(poor.publicKey)).toBe(TAO - 1n);
  });

  it("keeps the existential deposit back: a coldkey holding exactly the burn pays burn − ED (RAORecycledForRegistration still counts the full burn)", async () => {
    await h.close();
    const exact = pair("ExactlyOneTao");
    await chain([[exact.address, TAO.toString()]]);
    const ti = S.TotalIssuance.get(view(h));
    expect(outcomes(await h.produce([st(h, exact, "burned_register", { netuid: 1, hotkey: hotkey(1) })]))).toEqual(["ok"]);
    expect(h.freeOf(exact.publicKey)).toBe(500n);
    expect(S.TotalIssuance.get(view(h))).toBe(ti - (TAO - 500n));
    expect(S.RAORecycledForRegistration.get(view(h), 1)).toBe(TAO);
    checkIssuance(h);
  });

  it("ZeroBalanceAfterWithdrawn when only the existential deposit is left to take", async () => {
    await h.close();
    const dust = pair("OnlyTheDeposit");
    await chain([[dust.address, "500"]]);
    expect(outcomes(await h.produce([st(h, dust, "burned_register", { netuid: 4, hotkey: hotkey(1) })]))).toEqual(["ZeroBalanceAfterWithdrawn"]);
    expect(h.freeOf(dust.publicKey)).toBe(500n);
  });
});

describe("register (proof of work)", () => {
  beforeEach(async () => {
    await chain();
  });

  const DIFFICULTY = 1000n;
  const dave = () => pair("Dave");
  const eve = () => pair("Eve");

  /** A PoW registration of //Dave (signing as the hotkey) under //Eve, mined on the best block. */
  function mined(netuid = 1, difficulty = DIFFICULTY) {
    const blockNumber = BigInt(h.chain.best.number);
    const { nonce, work } = solvePow(h.chain.best.hash, dave().publicKey, difficulty);
    return { netuid, blockNumber, nonce, work, hotkey: dave().publicKey, coldkey: eve().publicKey };
  }
  const pow = (args: Record<string, unknown>, signer = dave()) => st(h, signer, "register", args);

  it("accepts a real seal on a recent block: NeuronRegistered, UsedWork recorded, POW counters, no balance moves", async () => {
    await h.produce();
    const args = mined();
    expect(hashMeetsDifficulty(args.work, DIFFICULTY)).toBe(true);
    const before = { dave: h.freeOf(dave().publicKey), eve: h.freeOf(eve().publicKey), ti: S.TotalIssuance.get(view(h)) };
    const block = await h.produce([pow(args)]);
    expect(outcomes(block)).toEqual(["ok"]);
    expect(eventsOf(block)).toEqual([["NeuronRegistered", [1, 0, dave().publicKey]]]);
    const s = view(h);
    expect(S.UsedWork.get(s, args.work)).toBe(2n);
    expect(S.Owner.get(s, dave().publicKey)).toEqual(eve().publicKey);
    expect(S.Uids.get(s, 1, dave().publicKey)).toBe(0);
    expect(S.POWRegistrationsThisInterval.get(s, 1)).toBe(1);
    expect(S.RegistrationsThisInterval.get(s, 1)).toBe(1);
    expect(S.BurnRegistrationsThisInterval.get(s, 1)).toBe(0);
    expect(S.RAORecycledForRegistration.get(s, 1)).toBe(0n);
    expect(h.freeOf(dave().publicKey)).toBe(before.dave);
    expect(h.freeOf(eve().publicKey)).toBe(before.eve);
    expect(S.TotalIssuance.get(s)).toBe(before.ti);
    checkIssuance(h);
  });

  it("accepts work on blocks up to 2 back; InvalidWorkBlock for a future block or one 3 back", async () => {
    for (let i = 0; i < 4; i++) await h.produce(); // best = 4
    const args = mined(); // on block 4
    await h.produce();
    await h.produce(); // best = 6
    const late = await h.produce([pow(args)]); // block 7
    expect(outcomes(late)).toEqual(["InvalidWorkBlock"]);
    const future = await h.produce([pow({ ...mined(), blockNumber: BigInt(h.chain.best.number + 2) })]);
    expect(outcomes(future)).toEqual(["InvalidWorkBlock"]);
    // Mined on block 8, included in block 10 (2 back): accepted.
    const args2 = mined();
    await h.produce();
    expect(outcomes(await h.produce([pow(args2)]))).toEqual(["ok"]);
  });

  it("InvalidDifficulty for work that does not meet Difficulty; InvalidSeal for work that meets it but is not the seal", async () => {
    await h.produce();
    const base = mined();
    // A genuine seal whose value × 1000 overflows 256 bits.
    let nonce = 0n;
    let seal = createSealHash(h.chain.best.hash, nonce, dave().publicKey);
    while (hashMeetsDifficulty(seal, DIFFICULTY)) seal = createSealHash(h.chain.best.hash, ++nonce, dave().publicKey);
    const n = h.nonceOf(dave());
    const block = await h.produce([
      st(h, dave(), "register", { ...base, nonce, work: seal }, n),
      st(h, dave(), "register", { ...base, work: new Uint8Array(32) }, n + 1), // 0 meets any difficulty
      st(h, dave(), "register", { ...base, nonce: base.nonce + 1n }, n + 2), // the work is another nonce's seal
    ]);
    expect(outcomes(block)).toEqual(["InvalidDifficulty", "InvalidSeal", "InvalidSeal"]);
    expect(S.UsedWork.exists(view(h), seal)).toBe(false);
  });

  it("fails in Subtensor's order: signer not the hotkey, root, unknown subnet, PoW closed, taken hotkey, foreign hotkey, no slots", async () => {
    // Dave is registered on subnet 1 (PoW) and owned by Eve.
    await h.produce();
    expect(outcomes(await h.produce([pow(mined())]))).toEqual(["ok"]);
    const base = mined();
    const n = h.nonceOf(dave());
    const block = await h.produce([
      st(h, eve(), "register", base), // signed by the coldkey
      st(h, dave(), "register", { ...base, netuid: 0 }, n),
      st(h, dave(), "register", { ...base, netuid: 9 }, n + 1),
      st(h, dave(), "register", { ...base, netuid: 2 }, n + 2), // registration closed
      st(h, dave(), "register", { ...base, netuid: 4 }, n + 3), // burn open, PoW closed
      st(h, dave(), "register", base, n + 4), // already on subnet 1
      st(h, dave(), "register", { ...base, netuid: 3, coldkey: pair("Ferdie").publicKey }, n + 5), // Dave belongs to Eve
    ]);
    expect(outcomes(block)).toEqual([
      "TransactorAccountShouldBeHotKey",
      "RegistrationNotPermittedOnRootSubnet",
      "SubNetworkDoesNotExist",
      "SubNetRegistrationDisabled",
      "SubNetRegistrationDisabled",
      "HotKeyAlreadyRegisteredInSubNet",
      "NonAssociatedColdKey",
    ]);
    // Subnet 3 has no slots (difficulty 1: any work passes).
    const charlie = pair("Charlie");
    const own = { netuid: 3, blockNumber: BigInt(h.chain.best.number), hotkey: charlie.publicKey, coldkey: charlie.publicKey, ...solvePow(h.chain.best.hash, charlie.publicKey, 1n) };
    expect(outcomes(await h.produce([st(h, charlie, "register", own)]))).toEqual(["NoNeuronIdAvailable"]);
  });

  it("TooManyRegistrationsThisBlock counts burn and PoW registrations together; the interval cap applies to PoW too", async () => {
    await h.produce();
    const args = mined();
    const n = h.nonceOf(pair("Bob"));
    const block = await h.produce([burned("Bob", 1, hotkey(0), n), burned("Bob", 1, hotkey(1), n + 1), burned("Bob", 1, hotkey(2), n + 2), pow(args)]);
    expect(outcomes(block)).toEqual(["ok", "ok", "ok", "TooManyRegistrationsThisBlock"]);
    const n2 = h.nonceOf(pair("Bob"));
    await h.produce([burned("Bob", 1, hotkey(3), n2), burned("Bob", 1, hotkey(4), n2 + 1), burned("Bob", 1, hotkey(5), n2 + 2)]);
    expect(S.RegistrationsThisInterval.get(view(h), 1)).toBe(6);
    expect(poolRefusal(() => h.pool.submit(pow(mined()))).type).toEqual({ code: "INVALID_TRANSACTION", kind: "ExhaustsResources" });
    const b = await h.produce([sudoAs(h, dave().publicKey, "register", mined())]);
    expect(sudoResult(b)).toBe("TooManyRegistrationsThisInterval");
  });

  it("a work argument that is not 32 bytes is an invalid transaction (Subtensor panics on it)", async () => {
    const args = { ...mined(), work: new Uint8Array(31) };
    expect(poolRefusal(() => h.pool.submit(pow(args))).type).toEqual({ code: "INVALID_TRANSACTION", kind: "Call" });
    const block = await h.produce([pow(args)]);
    expect(block.skipped).toHaveLength(1);
  });
});

describe("faucet (development chains)", () => {
  beforeEach(async () => {
    await chain();
  });

  const ferdie = () => pair("Ferdie");
  /**
   * Work on the block being built (block_number = current) is sealed with an all-zero block hash,
   * as in Substrate, where the current block's hash is not known yet. This nonce was mined once
   * for //Ferdie against the faucet's difficulty of 1 000 000 (about a million hashes).
   */
  const FERDIE_NONCE = 3_914_188n;

  it("mints 100 TAO to the caller for a valid PoW: both issuances go up, Faucet event, UsedWork recorded", async () => {
    const work = createSealHash(new Uint8Array(32), FERDIE_NONCE, ferdie().publicKey);
    expect(hashMeetsDifficulty(work, 1_000_000n)).toBe(true);
    const before = { ferdie: h.freeOf(ferdie().publicKey), ti: S.TotalIssuance.get(view(h)), bti: BalancesTotalIssuance.get(view(h)) };
    const blockNumber = BigInt(h.chain.best.number + 1);
    const block = await h.produce([st(h, ferdie(), "faucet", { blockNumber, nonce: FERDIE_NONCE, work })]);
    expect(outcomes(block)).toEqual(["ok"]);
    expect(eventsOf(block)).toEqual([["Faucet", [ferdie().publicKey, C.FAUCET_AMOUNT]]]);
    expect(h.freeOf(ferdie().publicKey)).toBe(before.ferdie + 100n * TAO);
    expect(S.TotalIssuance.get(view(h))).toBe(before.ti + 100n * TAO);
    expect(BalancesTotalIssuance.get(view(h))).toBe(before.bti + 100n * TAO);
    expect(S.UsedWork.get(view(h), work)).toBe(blockNumber);
    checkIssuance(h);
  });

  it("InvalidWorkBlock, InvalidDifficulty and InvalidSeal as for register", async () => {
    for (let i = 0; i < 3; i++) await h.produce();
    const current = BigInt(h.chain.best.number + 1);
    const zeroHashSeal = createSealHash(new Uint8Array(32), FERDIE_NONCE, ferdie().publicKey);
    // A real seal on the best block that misses the faucet difficulty.
    let nonce = 0n;
    let weak = createSealHash(h.chain.best.hash, nonce, ferdie().publicKey);
    while (hashMeetsDifficulty(weak, 1_000_000n)) weak = createSealHash(h.chain.best.hash, ++nonce, ferdie().publicKey);
    const n = h.nonceOf(ferdie());
    const block = await h.produce([
      st(h, ferdie(), "faucet", { blockNumber: current + 1n, nonce: FERDIE_NONCE, work: zeroHashSeal }, n),
      st(h, ferdie(), "faucet", { blockNumber: current - 3n, nonce: FERDIE_NONCE, work: zeroHashSeal }, n + 1),
      st(h, ferdie(), "faucet", { blockNumber: current - 1n, nonce, work: weak }, n + 2),
      st(h, ferdie(), "faucet", { blockNumber: current - 1n, nonce: FERDIE_NONCE, work: zeroHashSeal }, n + 3), // sealed with the zero hash, not block current−1's
    ]);
    expect(outcomes(block)).toEqual(["InvalidWorkBlock", "InvalidWorkBlock", "InvalidDifficulty", "InvalidSeal"]);
    expect(h.freeOf(ferdie().publicKey)).toBe(1_000_000n * TAO);
  });

  it("exists only in the development runtime", () => {
    expect(subtensorPallet({ faucet: true }).calls.map((c) => c.name)).toContain("faucet");
    expect(subtensorPallet({ faucet: false }).calls.map((c) => c.name)).not.toContain("faucet");
  });
});
