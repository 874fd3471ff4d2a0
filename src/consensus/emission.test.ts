import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  blockEmission,
  blockEmissionForIssuance,
  capMint,
  DEFAULT_BLOCK_EMISSION,
  EmissionError,
  emissionForBlock,
  HALVING_INTERVAL,
  splitDelegateEmission,
  splitOwnerCut,
  splitProRata,
  TOTAL_SUPPLY,
} from "./emission.js";

describe("height-based block emission", () => {
  it("boundaries: genesis, first block, halving edges, the 30th and 64th halving", () => {
    expect(blockEmission(0n)).toBe(0n);
    expect(blockEmission(1n)).toBe(1_000_000_000n);
    expect(blockEmission(10_500_000n)).toBe(1_000_000_000n);
    expect(blockEmission(10_500_001n)).toBe(500_000_000n);
    expect(blockEmission(21_000_000n)).toBe(500_000_000n);
    expect(blockEmission(21_000_001n)).toBe(250_000_000n);
    expect(blockEmission(29n * HALVING_INTERVAL + 1n)).toBe(1n); // 10^9 >> 29
    expect(blockEmission(30n * HALVING_INTERVAL + 1n)).toBe(0n);
    expect(blockEmission(64n * HALVING_INTERVAL)).toBe(0n); // last block of the 63rd halving
    expect(blockEmission(64n * HALVING_INTERVAL + 1n)).toBe(0n); // the 64th halving
    expect(blockEmission(1n << 62n)).toBe(0n);
    expect(() => blockEmission(-1n)).toThrow(EmissionError);
  });

  it("the whole schedule stays below 21M TAO; the cap clips the last mint", () => {
    let total = 0n;
    for (let k = 0n; k < 64n; k++) total += HALVING_INTERVAL * (DEFAULT_BLOCK_EMISSION >> k);
    expect(total <= TOTAL_SUPPLY).toBe(true);
    expect(capMint(1_000_000_000n, TOTAL_SUPPLY - 5n)).toBe(5n);
    expect(capMint(1_000_000_000n, TOTAL_SUPPLY)).toBe(0n);
    expect(capMint(1_000_000_000n, TOTAL_SUPPLY + 7n)).toBe(0n);
    expect(capMint(0n, 0n)).toBe(0n);
    expect(emissionForBlock({ rule: "height", height: 1n, totalIssuance: TOTAL_SUPPLY - 3n })).toBe(3n);
    expect(emissionForBlock({ rule: "height", height: 1n, totalIssuance: 0n })).toBe(1_000_000_000n);
  });
});

describe("issuance-based emission (Subtensor get_block_emission_for_issuance)", () => {
  it("halves at 10.5M, 15.75M, 18.375M TAO issued; nothing from 21M", () => {
    const tao = 1_000_000_000n;
    expect(blockEmissionForIssuance(0n)).toBe(1_000_000_000n);
    expect(blockEmissionForIssuance(10_500_000n * tao - 1n)).toBe(1_000_000_000n);
    expect(blockEmissionForIssuance(10_500_000n * tao)).toBe(500_000_000n);
    expect(blockEmissionForIssuance(15_750_000n * tao - 1n)).toBe(500_000_000n);
    expect(blockEmissionForIssuance(15_750_000n * tao)).toBe(250_000_000n);
    expect(blockEmissionForIssuance(18_375_000n * tao)).toBe(125_000_000n);
    expect(blockEmissionForIssuance(19_687_500n * tao)).toBe(62_500_000n);
    expect(blockEmissionForIssuance(TOTAL_SUPPLY - 1n)).toBe(0n);
    expect(blockEmissionForIssuance(TOTAL_SUPPLY)).toBe(0n);
    expect(blockEmissionForIssuance((1n << 64n) - 1n)).toBe(0n);
    expect(emissionForBlock({ rule: "issuance", height: 999n, totalIssuance: 10_500_000n * tao })).toBe(500_000_000n);
  });

  it("is non-increasing in issuance and agrees with the height rule while nothing is recycled", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: TOTAL_SUPPLY }), fc.bigInt({ min: 0n, max: TOTAL_SUPPLY }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(blockEmissionForIssuance(lo) >= blockEmissionForIssuance(hi)).toBe(true);
      }),
      { numRuns: 300, seed: 11 },
    );
    // after h full blocks of 1 TAO the issuance is h TAO: both rules give 1 TAO until 10.5M
    expect(blockEmissionForIssuance((HALVING_INTERVAL - 1n) * DEFAULT_BLOCK_EMISSION)).toBe(blockEmission(HALVING_INTERVAL));
  });
});

describe("payout splits conserve RAO", () => {
  it("owner cut: Subtensor's I96F32 order, ratio first (truncated), then the product (floored); the issue's values", () => {
    expect(splitOwnerCut(38_000_000_000n, 11796)).toEqual({ owner: 6_839_826_045n, rest: 31_160_173_955n });
    expect(splitOwnerCut(10_000_000_024n, 11796)).toEqual({ owner: 1_799_954_226n, rest: 8_200_045_798n });
    // ⌊pending·cut/65535⌋ would give 2 and 1 RAO more
    expect((38_000_000_000n * 11796n) / 65535n - splitOwnerCut(38_000_000_000n).owner).toBe(2n);
    expect((10_000_000_024n * 11796n) / 65535n - splitOwnerCut(10_000_000_024n).owner).toBe(1n);
    expect(splitOwnerCut(0n)).toEqual({ owner: 0n, rest: 0n });
    expect(splitOwnerCut(1000n, 0).owner).toBe(0n);
    // 65535/65535 is exactly 1.0 in I96F32
    expect(splitOwnerCut(1000n, 65535).owner).toBe(1000n);
    expect(splitOwnerCut((1n << 64n) - 1n, 65535).owner).toBe((1n << 64n) - 1n);
  });

  it("owner cut: equals an exact model of I96F32 for random pending amounts and cuts", () => {
    // Exact model on the raw bits (value = bits / 2^32), written without the fixed-point library:
    //   ratio bits = ⌊(cut·2^32)·2^32 / (65535·2^32)⌋ = ⌊cut·2^32 / 65535⌋        (division truncates)
    //   product bits = ⌊(pending·2^32)·ratio bits / 2^32⌋ = pending·ratio bits     (exact here)
    //   owner = ⌊product bits / 2^32⌋                                               (to_num floors)
    // No step saturates for u64 pending: pending·2^32 < 2^96 fits I96F32's 95 integer bits + sign.
    const model = (pending: bigint, cut: number): bigint => (pending * ((BigInt(cut) << 32n) / 65535n)) >> 32n;
    const u64 = fc.oneof(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.bigInt({ min: 0n, max: 1_000_000n * 1_000_000_000n }), fc.bigInt({ min: 0n, max: 100_000n }));
    const cut = fc.oneof(fc.integer({ min: 0, max: 65535 }), fc.constantFrom(0, 1, 11796, 32767, 65534, 65535));
    fc.assert(
      fc.property(u64, cut, (pending, c) => {
        const { owner, rest } = splitOwnerCut(pending, c);
        expect(owner).toBe(model(pending, c));
        expect(owner + rest).toBe(pending);
        // never more than the naive ⌊pending·cut/65535⌋, and less by under pending/2^32 + 1
        const naive = (pending * BigInt(c)) / 65535n;
        expect(owner <= naive).toBe(true);
        expect(naive - owner <= (pending >> 32n) + 1n).toBe(true);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it("splitProRata: floor shares, remainder by largest fraction then lowest index", () => {
    expect(splitProRata(10n, [1n, 1n, 1n])).toEqual([4n, 3n, 3n]);
    expect(splitProRata(10n, [1n, 2n])).toEqual([3n, 7n]);
    expect(splitProRata(7n, [0n, 5n, 0n])).toEqual([0n, 7n, 0n]);
    expect(splitProRata(0n, [0n, 0n])).toEqual([0n, 0n]);
    expect(() => splitProRata(5n, [0n, 0n])).toThrow(EmissionError);
    expect(() => splitProRata(5n, [1n, -1n])).toThrow(EmissionError);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 1n << 64n }), fc.array(fc.bigInt({ min: 0n, max: 1n << 60n }), { minLength: 1, maxLength: 30 }), (total, weights) => {
        if (weights.every((w) => w === 0n)) weights[0] = 1n;
        const shares = splitProRata(total, weights);
        const w = weights.reduce((a, b) => a + b, 0n);
        expect(shares.reduce((a, b) => a + b, 0n)).toBe(total);
        shares.forEach((s, i) => {
          const floor = (total * weights[i]) / w;
          expect(s === floor || s === floor + 1n).toBe(true);
        });
      }),
      { numRuns: 500, seed: 13 },
    );
  });

  it("delegate take (classic emit_inflation_through_hotkey_account): take, stakers pro rata, leftover to the delegate", () => {
    const r = splitDelegateEmission(5n, 1_000_000_000n, 11796, [1n, 3n]);
    expect(r.delegateTake).toBe(179_995_422n);
    expect(r.nominators).toEqual([205_001_144n, 615_003_433n]); // ⌊0.25·rest⌋, ⌊0.75·rest⌋
    expect(r.hotkey).toBe(179_995_422n + 1n + 5n); // the RAO left by the floors stays with the delegate
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 1n << 50n }),
        fc.bigInt({ min: 0n, max: 1n << 50n }),
        fc.integer({ min: 0, max: 65535 }),
        fc.array(fc.bigInt({ min: 0n, max: 1n << 55n }), { maxLength: 20 }),
        (server, validator, take, stakes) => {
          const { hotkey, nominators } = splitDelegateEmission(server, validator, take, stakes);
          expect(hotkey + nominators.reduce((a, b) => a + b, 0n)).toBe(server + validator);
          expect(nominators.every((x) => x >= 0n)).toBe(true);
        },
      ),
      { numRuns: 500, seed: 14 },
    );
  });
});
