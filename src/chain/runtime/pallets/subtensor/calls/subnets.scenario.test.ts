/**
 * Registration scenarios over many blocks, through real extrinsics:
 * - 300 neurons into a 256-UID subnet: exactly which UIDs are replaced, given pruning scores
 *   written deterministically through Sudo(System.set_storage), with immunity;
 * - Subtensor's tie-breaking of `get_neuron_to_prune` (including its all-immune and u16::MAX
 *   quirks) and the clean start of a replaced UID (weights, bonds, per-UID values);
 * - the burn / difficulty adjustment across several intervals, with values computed by hand from
 *   the classic I110F18 formula, and the interval cap resetting with it.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { KeyringPair } from "@polkadot/keyring/types";
import { ChainHarness } from "../../../../../../test/utils/chainHarness.js";
import { devChainSpec } from "../../../../spec.js";
import * as C from "../constants.js";
import * as S from "../storage.js";
import { solvePow } from "../registration/pow.js";
import { addr, advanceTo, checkIssuance, eventsOf, hotkey, issuanceGap, outcomes, pair, st, sudoWrite, TAO, view } from "../../../../../../test/utils/subtensor/subnets.js";

let h: ChainHarness;
afterEach(async () => {
  await h?.close();
});

async function chain(subtensor: Record<string, unknown>, balances: Array<[string, string]> = []): Promise<ChainHarness> {
  const spec = await devChainSpec();
  h = await ChainHarness.create({ ...spec, balances: [...spec.balances, ...balances], subtensor });
  return h;
}

/** burned_register extrinsics for (netuid, hotkey) pairs, spread over several coldkeys with consecutive nonces. */
function burnedMany(items: Array<[number, Uint8Array]>, signers: KeyringPair[] = ["Bob", "Charlie", "Dave", "Eve"].map(pair)): Uint8Array[] {
  const nonces = signers.map((p) => h.nonceOf(p));
  return items.map(([netuid, hk], i) => {
    const j = i % signers.length;
    return st(h, signers[j], "burned_register", { netuid, hotkey: hk }, nonces[j]++);
  });
}

/** burned_register extrinsics for `hotkeys` on `netuid`. */
const burnedRegistrations = (netuid: number, hotkeys: Uint8Array[], signers?: KeyringPair[]): Uint8Array[] =>
  burnedMany(
    hotkeys.map((hk) => [netuid, hk]),
    signers,
  );

/** The UIDs that the NeuronRegistered events of a block report, in order. */
const registeredUids = (block: Awaited<ReturnType<ChainHarness["produce"]>>) =>
  eventsOf(block)
    .filter(([n]) => n === "NeuronRegistered")
    .map(([, v]) => (v as [number, number, Uint8Array])[1]);

describe("300 registrations into a 256-UID subnet", () => {
  it("fills UIDs 0…255, then replaces exactly the non-immune UIDs with the lowest pruning scores (ties: the later UID), never an immune one", async () => {
    await chain({
      subnets: [
        {
          netuid: 1,
          owner: addr("Alice"),
          hyperparameters: { maxAllowedUids: 256, immunityPeriod: 10, maxRegistrationsPerBlock: 300, targetRegistrationsPerInterval: 200, adjustmentInterval: 10_000, burn: 1000 },
        },
      ],
    });

    // Block 1: 256 registrations fill the subnet in order.
    const first = Array.from({ length: 256 }, (_, i) => hotkey(i));
    const b1 = await h.produce(burnedRegistrations(1, first));
    expect(outcomes(b1).every((o) => o === "ok")).toBe(true);
    expect(registeredUids(b1)).toEqual(Array.from({ length: 256 }, (_, i) => i));
    expect(S.SubnetworkN.get(view(h), 1)).toBe(256);

    // Block 2: pruning scores. Every UID scores 1000 + uid, except 44 low ones: UIDs 7 and 200
    // tie at 50, and the 42 UIDs (97k + 13) mod 256 (k < 42) score 100 + (17k mod 42), all distinct.
    const scores = Array.from({ length: 256 }, (_, uid) => 1000 + uid);
    scores[7] = 50;
    scores[200] = 50;
    const low = Array.from({ length: 42 }, (_, k) => ({ uid: (97 * k + 13) % 256, score: 100 + ((17 * k) % 42) }));
    for (const { uid, score } of low) scores[uid] = score;
    expect(new Set([7, 200, ...low.map((l) => l.uid)]).size).toBe(44);
    await sudoWrite(h, (s) => S.PruningScores.put(s, scores, 1));

    // Block 10: everyone registered at block 1 is still immune (10 − 1 < 10): the 257th
    // registration must take an immune UID: with every UID immune, the lowest immune score, the
    // earlier UID on a tie — UID 7, not 200.
    await advanceTo(h, 9);
    const b10 = await h.produce(burnedRegistrations(1, [hotkey(256)]));
    expect(registeredUids(b10)).toEqual([7]);

    // Block 11: out of immunity (11 − 1 ≥ 10), except UID 7 (re-registered at block 10).
    // 43 more registrations (300 in all) replace UID 200 first (the tie with 7 is gone: 7 now
    // scores u16::MAX), then the 42 low UIDs in increasing score order.
    const more = Array.from({ length: 43 }, (_, i) => hotkey(257 + i));
    const b11 = await h.produce(burnedRegistrations(1, more));
    expect(outcomes(b11).every((o) => o === "ok")).toBe(true);
    const expected = [200, ...[...low].sort((a, b) => a.score - b.score).map((l) => l.uid)];
    expect(registeredUids(b11)).toEqual(expected);

    const s = view(h);
    expect(S.SubnetworkN.get(s, 1)).toBe(256);
    // The replaced hotkeys are gone from the subnet; the new ones hold their UIDs.
    for (const [i, uid] of expected.entries()) {
      expect(S.Keys.get(s, 1, uid)).toEqual(more[i]);
      expect(S.BlockAtRegistration.get(s, 1, uid)).toBe(11n);
      expect(S.IsNetworkMember.exists(s, first[uid], 1)).toBe(false);
      expect(S.Uids.exists(s, 1, first[uid])).toBe(false);
    }
    expect(S.Keys.get(s, 1, 7)).toEqual(hotkey(256));
    // Replaced UIDs score u16::MAX until the next epoch; the others keep their scores.
    const after = S.PruningScores.get(s, 1);
    for (const uid of [7, ...expected]) expect(after[uid]).toBe(C.U16_MAX);
    expect(after[0]).toBe(1000);
    expect(S.RegistrationsThisInterval.get(s, 1)).toBe(300);
    expect(S.Uids.entries(s, 1)).toHaveLength(256);

    // Block 12: a fresh neuron (immune, registered at 11) with score 0 is passed over for the lowest
    // non-immune score (UID 0, 1000); once it is out of immunity (block 21) it goes first.
    await sudoWrite(h, (st2) => {
      const v = [...S.PruningScores.get(st2, 1)];
      v[expected[0]] = 0;
      S.PruningScores.put(st2, v, 1);
    });
    expect(registeredUids(await h.produce(burnedRegistrations(1, [hotkey(300)])))).toEqual([0]); // block 13
    await advanceTo(h, 20);
    expect(registeredUids(await h.produce(burnedRegistrations(1, [hotkey(301)])))).toEqual([expected[0]]); // block 21
  });
});

describe("get_neuron_to_prune's tie-breaking and the clean start of a replaced UID", () => {
  /** A 4-UID subnet with immunity 5: UID 0 registered at block 1, UIDs 1–3 at block 4. */
  async function small(): Promise<Uint8Array[]> {
    await chain({ subnets: [{ netuid: 1, owner: addr("Alice"), hyperparameters: { maxAllowedUids: 4, maxAllowedValidators: 4, immunityPeriod: 5, maxRegistrationsPerBlock: 10, targetRegistrationsPerInterval: 20 } }] });
    const hks = [0, 1, 2, 3].map(hotkey);
    await h.produce(burnedRegistrations(1, [hks[0]]));
    await h.produce();
    await h.produce();
    await h.produce(burnedRegistrations(1, hks.slice(1)));
    return hks;
  }

  it("a non-immune UID scoring u16::MAX does not count: the lowest immune UID goes (the earlier on a tie)", async () => {
    await small();
    await sudoWrite(h, (s) => S.PruningScores.put(s, [C.U16_MAX, 40, 30, 30], 1)); // block 5
    await h.produce(); // block 6
    // Block 7: UID 0 is out of immunity (7 − 1 ≥ 5) but scores u16::MAX; UIDs 1–3 are immune.
    expect(registeredUids(await h.produce(burnedRegistrations(1, [hotkey(10)])))).toEqual([2]);
  });

  it("any other non-immune score beats every immune one", async () => {
    await small();
    await sudoWrite(h, (s) => S.PruningScores.put(s, [C.U16_MAX - 1, 40, 30, 30], 1));
    await h.produce();
    expect(registeredUids(await h.produce(burnedRegistrations(1, [hotkey(10)])))).toEqual([0]);
  });

  it("the new neuron starts clean: its weights and bonds rows go, weights on it drop to 0, its per-UID values reset; the old hotkey's axon goes", async () => {
    const hks = await small();
    await sudoWrite(h, (s) => {
      S.PruningScores.put(s, [10, 40, 30, 30], 1);
      S.Weights.put(s, [[1, 100], [2, 200]], 1, 0);
      S.Weights.put(s, [[0, 500], [3, 600]], 1, 1);
      S.Bonds.put(s, [[1, 7]], 1, 0);
      S.Bonds.put(s, [[0, 9]], 1, 2);
      S.Rank.put(s, [1, 2, 3, 4], 1);
      S.Trust.put(s, [1, 2, 3, 4], 1);
      S.Consensus.put(s, [1, 2, 3, 4], 1);
      S.Incentive.put(s, [1, 2, 3, 4], 1);
      S.Dividends.put(s, [1, 2, 3, 4], 1);
      S.Emission.put(s, [5n, 6n, 7n, 8n], 1);
      S.ValidatorTrust.put(s, [1, 2, 3, 4], 1);
      S.ValidatorPermit.put(s, [true, true, false, true], 1);
      S.Active.put(s, [false, true, true, true], 1);
      S.Axons.put(s, { block: 2n, version: 1, ip: 1n, port: 8091, ipType: 4, protocol: 0, placeholder1: 0, placeholder2: 0 }, 1, hks[0]);
      S.Prometheus.put(s, { block: 2n, version: 1, ip: 1n, port: 9090, ipType: 4 }, 1, hks[0]);
    }); // block 5
    await h.produce(); // block 6
    const b7 = await h.produce(burnedRegistrations(1, [hotkey(10)]));
    expect(registeredUids(b7)).toEqual([0]);
    const s = view(h);
    expect(S.Weights.exists(s, 1, 0)).toBe(false);
    expect(S.Weights.get(s, 1, 1)).toEqual([[0, 0], [3, 600]]);
    expect(S.Bonds.exists(s, 1, 0)).toBe(false);
    expect(S.Bonds.get(s, 1, 2)).toEqual([[0, 9]]); // the epoch masks bonds on a re-registered UID
    expect(S.Rank.get(s, 1)).toEqual([0, 2, 3, 4]);
    expect(S.Trust.get(s, 1)).toEqual([0, 2, 3, 4]);
    expect(S.Consensus.get(s, 1)).toEqual([0, 2, 3, 4]);
    expect(S.Incentive.get(s, 1)).toEqual([0, 2, 3, 4]);
    expect(S.Dividends.get(s, 1)).toEqual([0, 2, 3, 4]);
    expect(S.Emission.get(s, 1)).toEqual([0n, 6n, 7n, 8n]);
    expect(S.ValidatorTrust.get(s, 1)).toEqual([0, 2, 3, 4]);
    expect(S.ValidatorPermit.get(s, 1)).toEqual([false, true, false, true]);
    expect(S.Active.get(s, 1)).toEqual([true, true, true, true]);
    expect(S.LastUpdate.get(s, 1)[0]).toBe(7n);
    expect(S.PruningScores.get(s, 1)).toEqual([C.U16_MAX, 40, 30, 30]);
    expect(S.Axons.exists(s, 1, hks[0])).toBe(false);
    expect(S.Prometheus.exists(s, 1, hks[0])).toBe(false);
  });

  it("a replaced hotkey that is registered nowhere else is unstaked to its nominators", async () => {
    const hks = await small();
    const dave = pair("Dave").publicKey;
    await sudoWrite(h, (s) => {
      S.PruningScores.put(s, [10, 40, 30, 30], 1);
      S.Stake.put(s, 3n * TAO, hks[0], dave);
      S.TotalHotkeyStake.put(s, 3n * TAO, hks[0]);
      S.TotalColdkeyStake.put(s, 3n * TAO, dave);
      S.TotalStake.put(s, 3n * TAO);
      S.TotalIssuance.put(s, S.TotalIssuance.get(s) + 3n * TAO);
    });
    await h.produce();
    const gap = issuanceGap(h);
    const before = h.freeOf(dave);
    expect(registeredUids(await h.produce(burnedRegistrations(1, [hotkey(10)], [pair("Ferdie")])))).toEqual([0]);
    expect(h.freeOf(dave)).toBe(before + 3n * TAO);
    expect(S.Stake.get(view(h), hks[0], dave)).toBe(0n);
    expect(S.TotalStake.get(view(h))).toBe(0n);
    checkIssuance(h, gap);
  });
});

describe("burn and difficulty adjustment across intervals (every 10 blocks, target 2)", () => {
  const miners = ["Miner1", "Miner2", "Miner3", "Miner4"];
  const common = { adjustmentInterval: 10, targetRegistrationsPerInterval: 2, maxRegistrationsPerBlock: 10, burn: TAO.toString() };

  it("moves the dominant registration kind's price with updated = current × (r + t) / 2t and α, clamped, and resets the counters", async () => {
    await chain(
      {
        subnets: [
          // α = 0: the price jumps straight to the updated value.
          { netuid: 1, owner: addr("Alice"), hyperparameters: { ...common, adjustmentAlpha: 0 } },
          // α = 0.97 (init_new_network's value): 97 % of the old price stays.
          { netuid: 2, owner: addr("Alice"), hyperparameters: { ...common } },
          // PoW subnet, α = 0, difficulty clamped to [100, 1200].
          { netuid: 3, owner: addr("Alice"), hyperparameters: { ...common, adjustmentAlpha: 0, powRegistrationAllowed: true, difficulty: 1000, minDifficulty: 100, maxDifficulty: 1200 } },
        ],
      },
      miners.map((m) => [addr(m), (10n * TAO).toString()] as [string, string]),
    );
    const burnOf = (n: number) => S.Burn.get(view(h), n);
    const difficultyOf = (n: number) => S.Difficulty.get(view(h), n);
    const mine = (name: string) => {
      const miner = pair(name);
      const { nonce, work } = solvePow(h.chain.best.hash, miner.publicKey, difficultyOf(3));
      return st(h, miner, "register", { netuid: 3, blockNumber: BigInt(h.chain.best.number), nonce, work, hotkey: miner.publicKey, coldkey: miner.publicKey });
    };

    // Interval 1 (blocks 1–9): 4 burns on subnets 1 and 2, 3 PoW registrations on subnet 3.
    const b1 = await h.produce(burnedMany([...[0, 1, 2, 3].map((i): [number, Uint8Array] => [1, hotkey(i)]), ...[4, 5, 6, 7].map((i): [number, Uint8Array] => [2, hotkey(i)])]));
    expect(outcomes(b1).every((o) => o === "ok")).toBe(true);
    const b2 = await h.produce([mine("Miner1"), mine("Miner2"), mine("Miner3")]);
    expect(outcomes(b2)).toEqual(["ok", "ok", "ok"]);
    await advanceTo(h, 9);
    const b10 = await h.produce();
    // r = 4 > t, all burns → burn up: 1 TAO × 6/4 = 1.5 TAO.
    expect(burnOf(1)).toBe(1_500_000_000n);
    // α = 0.97: alpha_bits = ⌊17 893 341 751 498 265 066 × 2^18 / (2^64 − 1)⌋ = 254 279 (of 262 144);
    // next = ⌊(254 279 × 1e9 + 7 865 × 1.5e9) / 2^18⌋ = ⌊266 076 500 000 000 / 262 144⌋ = 1 015 001 296.
    expect(burnOf(2)).toBe(1_015_001_296n);
    // r = 3 > t, all PoW → difficulty up: 1000 × 5/4 = 1250, clamped to the max 1200. Burn unchanged.
    expect(difficultyOf(3)).toBe(1200n);
    expect(burnOf(3)).toBe(TAO);
    expect(eventsOf(b10)).toEqual([["DifficultySet", [3, 1200n]]]);
    for (const n of [1, 2, 3]) {
      expect(S.LastAdjustmentBlock.get(view(h), n)).toBe(10n);
      expect(S.RegistrationsThisInterval.get(view(h), n)).toBe(0);
      expect(S.BurnRegistrationsThisInterval.get(view(h), n)).toBe(0);
      expect(S.POWRegistrationsThisInterval.get(view(h), n)).toBe(0);
    }

    // Interval 2 (blocks 10–19): no registrations → p = b: burn and difficulty both down (× 2/4).
    await advanceTo(h, 19);
    const b20 = await h.produce();
    expect(burnOf(1)).toBe(750_000_000n);
    // next = ⌊(254 279 × 1 015 001 296 + 7 865 × 507 500 648) / 2^18⌋ = ⌊262 085 007 142 104 / 262 144⌋ = 999 774 960.
    expect(burnOf(2)).toBe(999_774_960n);
    expect(burnOf(3)).toBe(500_000_000n);
    expect(difficultyOf(3)).toBe(600n);
    // Subnets 1 and 2 keep init_new_network's PoW bounds (min = max = u64::MAX): difficulty pinned there.
    expect(eventsOf(b20)).toEqual([
      ["DifficultySet", [1, C.U64_MAX]],
      ["DifficultySet", [2, C.U64_MAX]],
      ["DifficultySet", [3, 600n]],
    ]);

    // Interval 3 (blocks 20–29): subnet 1 exactly on target (2 burns) → only difficulty (p < b) moves;
    // subnet 2 above (3 burns) → burn up; subnet 3 one PoW (r ≤ t, p > b) → burn down, difficulty kept.
    const b21 = await h.produce([...burnedMany([[1, hotkey(10)], [1, hotkey(11)], [2, hotkey(12)], [2, hotkey(13)], [2, hotkey(14)]]), mine("Miner4")]);
    expect(outcomes(b21).every((o) => o === "ok")).toBe(true);
    await advanceTo(h, 29);
    const b30 = await h.produce();
    expect(burnOf(1)).toBe(750_000_000n);
    // next = ⌊(254 279 × 999 774 960 + 7 865 × 1 249 718 700) / 2^18⌋ = ⌊264 050 814 629 340 / 262 144⌋ = 1 007 273 920.
    expect(burnOf(2)).toBe(1_007_273_920n);
    expect(burnOf(3)).toBe(375_000_000n); // 5e8 × 3/4
    expect(difficultyOf(3)).toBe(600n);
    // Only subnet 1's case (on target, burns dominate) touches the difficulty.
    expect(eventsOf(b30)).toEqual([["DifficultySet", [1, C.U64_MAX]]]);

    // Interval 4 (blocks 30–39): the cap 3 × 2 = 6 on subnet 1; the 7th waits for the next interval.
    const b31 = await h.produce(burnedRegistrations(1, [20, 21, 22, 23, 24, 25].map(hotkey)));
    expect(outcomes(b31)).toEqual(["ok", "ok", "ok", "ok", "ok", "ok"]);
    expect(() => h.pool.submit(burnedRegistrations(1, [hotkey(26)])[0])).toThrow("Transaction would exhaust the block limits");
    await advanceTo(h, 39);
    await h.produce(); // block 40: r = 6 → burn × 8/4
    expect(burnOf(1)).toBe(1_500_000_000n);
    expect(outcomes(await h.produce(burnedRegistrations(1, [hotkey(26)])))).toEqual(["ok"]);
    checkIssuance(h);
  });

  it("clamps the burn to [MinBurn, MaxBurn]", async () => {
    await chain({
      subnets: [
        { netuid: 1, owner: addr("Alice"), hyperparameters: { ...common, adjustmentAlpha: 0, maxBurn: "1200000000" } },
        { netuid: 2, owner: addr("Alice"), hyperparameters: { ...common, adjustmentAlpha: 0, minBurn: "800000000" } },
      ],
    });
    await h.produce([...burnedRegistrations(1, [0, 1, 2, 3].map(hotkey))]);
    await advanceTo(h, 10);
    expect(S.Burn.get(view(h), 1)).toBe(1_200_000_000n); // 1.5 TAO clamped to the max
    expect(S.Burn.get(view(h), 2)).toBe(800_000_000n); // 0.5 TAO clamped to the min
  });
});
