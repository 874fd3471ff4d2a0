/**
 * The registration formulas pinned to the values Subtensor's own tests assert at de1026780
 * (tests/difficulty.rs, tests/block_step.rs, tests/root.rs): the I110F18 burn / difficulty update,
 * the lock cost, and the PoW difficulty test. (The calls themselves are tested through real
 * extrinsics in the other subnets*.test.ts files.)
 */
import { describe, expect, it } from "vitest";
import { MemoryState, StateOverlay } from "../../../../state/overlay.js";
import { U64_MAX } from "../constants.js";
import { upgradedValue } from "../registration/burnAdjustment.js";
import { getNetworkLockCost } from "../registration/lockCost.js";
import { hashMeetsDifficulty } from "../registration/pow.js";
import { NetworkLastLockCost, NetworkLastRegistered, NetworkLockReductionInterval, NetworkMinLockCost } from "../storage.js";

describe("upgraded_burn / upgraded_difficulty", () => {
  const NO_MIN = 1n;
  const NO_MAX = U64_MAX;

  it("α ≈ 0 (58 000 / u64::MAX rounds to 0 bits): difficulty.rs values", () => {
    const a = 58_000n;
    expect(upgradedValue(20_000n, 3, 1, a, 10_000n, NO_MAX)).toBe(40_000n); // 20 000 × (3 + 1) / 2
    expect(upgradedValue(40_000n, 6, 3, a, 10_000n, NO_MAX)).toBe(60_000n); // 40 000 × 9 / 6
    expect(upgradedValue(4n, 0, 3, a, 1n, NO_MAX)).toBe(2n);
    expect(upgradedValue(2n, 0, 3, a, 1n, NO_MAX)).toBe(1n);
    expect(upgradedValue(1n, 0, 3, a, 1n, NO_MAX)).toBe(1n); // 0.5 clamped to the min
    expect(upgradedValue(5_000n, 4, 3, a, 1n, 10_000n)).toBe(5_833n); // ⌊5000 × 7/6⌋
  });

  it("block_step.rs burn values, with and without the moving average", () => {
    expect(upgradedValue(1_000n, 2, 1, 0n, NO_MIN, 100_000_000_000n)).toBe(1_500n);
    // α = u64::MAX / 2 → 131 071 / 2^18: ⌊(131 071 × 1000 + 131 073 × 1500) / 2^18⌋ = 1250
    expect(upgradedValue(1_000n, 2, 1, U64_MAX / 2n, NO_MIN, 100_000_000_000n)).toBe(1_250n);
    expect(upgradedValue(1_000n, 3, 1, 0n, NO_MIN, 100_000_000_000n)).toBe(2_000n); // case B
  });

  it("clamps: at or above the max gives the max, at or below the min gives the min", () => {
    expect(upgradedValue(1_000n, 3, 1, 0n, 1n, 2_000n)).toBe(2_000n);
    expect(upgradedValue(1_000n, 0, 1, 0n, 500n, 2_000n)).toBe(500n);
    expect(upgradedValue(U64_MAX, 0, 1, 0n, U64_MAX, U64_MAX)).toBe(U64_MAX);
  });

  it("a target of 0 (a division by zero in Rust) keeps the current value", () => {
    expect(upgradedValue(1_234n, 5, 0, 0n, 1n, U64_MAX)).toBe(1_234n);
  });
});

describe("get_network_lock_cost (root.rs test_root_subnet_creation_deletion, min 100 TAO, interval 2)", () => {
  function cost(lastLock: bigint, lastBlock: bigint, current: bigint, interval = 2n, min = 100_000_000_000n): bigint {
    const s = new StateOverlay(new MemoryState());
    NetworkLastLockCost.put(s, lastLock);
    NetworkMinLockCost.put(s, min);
    NetworkLastRegistered.put(s, lastBlock);
    NetworkLockReductionInterval.put(s, interval);
    return getNetworkLockCost(s, current);
  }

  it("doubles after a registration and decays by last_lock / interval per block to the minimum", () => {
    expect(cost(100_000_000_000n, 0n, 0n)).toBe(100_000_000_000n); // never registered: ×1
    expect(cost(100_000_000_000n, 0n, 1n)).toBe(100_000_000_000n);
    expect(cost(100_000_000_000n, 1n, 1n)).toBe(200_000_000_000n);
    expect(cost(100_000_000_000n, 1n, 2n)).toBe(150_000_000_000n);
    expect(cost(100_000_000_000n, 1n, 3n)).toBe(100_000_000_000n);
    expect(cost(100_000_000_000n, 1n, 4n)).toBe(100_000_000_000n);
    expect(cost(150_000_000_000n, 5n, 5n)).toBe(300_000_000_000n);
    expect(cost(150_000_000_000n, 5n, 6n)).toBe(225_000_000_000n);
    expect(cost(337_500_000_000n, 7n, 7n)).toBe(675_000_000_000n);
  });

  it("a zero reduction interval (a division by zero in Rust) falls back to the minimum after one block", () => {
    expect(cost(500_000_000_000n, 3n, 3n, 0n)).toBe(1_000_000_000_000n);
    expect(cost(500_000_000_000n, 3n, 4n, 0n)).toBe(100_000_000_000n);
  });
});

describe("hash_meets_difficulty", () => {
  const hashOf = (hex: string) => Uint8Array.from(Buffer.from(hex.padStart(64, "0"), "hex"));

  it("accepts a hash iff hash × difficulty < 2^256 (the hash read big-endian)", () => {
    expect(hashMeetsDifficulty(new Uint8Array(32), U64_MAX)).toBe(true);
    expect(hashMeetsDifficulty(new Uint8Array(32).fill(0xff), 1n)).toBe(true);
    expect(hashMeetsDifficulty(new Uint8Array(32).fill(0xff), 2n)).toBe(false);
    // 2^255 × 2 = 2^256 overflows; 2^255 − 1 does not.
    expect(hashMeetsDifficulty(hashOf("8" + "0".repeat(63)), 2n)).toBe(false);
    expect(hashMeetsDifficulty(hashOf("7" + "f".repeat(63)), 2n)).toBe(true);
    // Big-endian: a leading byte matters, a trailing one barely.
    expect(hashMeetsDifficulty(hashOf("01" + "0".repeat(62)), 256n)).toBe(false);
    expect(hashMeetsDifficulty(hashOf("00" + "f".repeat(62)), 256n)).toBe(true);
  });
});
