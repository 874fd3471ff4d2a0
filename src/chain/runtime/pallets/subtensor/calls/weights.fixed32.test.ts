/**
 * The I32F32 helpers behind weight storage against the vectors of Subtensor's own unit tests
 * (math.rs at de1026780: test_vec_max_upscale_to_u16, test_vec_u16_max_upscale_to_u16,
 * test_check_vec_max_limited). The calls themselves are tested through extrinsics in
 * weights.test.ts; these pin the rounding.
 */
import { describe, expect, it } from "vitest";
import { checkVecMaxLimited, fromInt, ONE, round, vecMaxUpscaleToU16, vecU16MaxUpscaleToU16 } from "../weights/fixed32.js";

const I32F32_MAX = (1n << 63n) - 1n;

/** `I32F32::from_num(x as f32)`: the f32 value, rounded to the nearest 2^-32 (ties to even). */
function fromF32(x: number): bigint {
  const f = Math.fround(x);
  // f × 2^32 is exact in a double (24-bit mantissa); split into integer and fraction to round.
  const scaled = f * 2 ** 32;
  const floor = Math.floor(scaled);
  const frac = scaled - floor;
  let r = BigInt(floor);
  if (frac > 0.5 || (frac === 0.5 && r % 2n === 1n)) r += 1n;
  return r;
}

describe("vec_u16_max_upscale_to_u16", () => {
  it.each([
    [[], []],
    [[0], [0]],
    [[0, 0], [0, 0]],
    [[1], [65535]],
    [[0, 1], [0, 65535]],
    [[65534], [65535]],
    [[65535], [65535]],
    [[65535, 65535], [65535, 65535]],
    [[0, 1, 65534], [0, 1, 65535]],
    [[0, 1, 2, 3, 4, 65533, 65535], [0, 1, 2, 3, 4, 65533, 65535]],
  ])("%j → %j (Subtensor's vectors)", (input, expected) => {
    expect(vecU16MaxUpscaleToU16(input)).toEqual(expected);
  });

  it("rounds halves away from zero below the 32768 threshold: [1, 2] → [32768, 65535], [3, 7, 10] → [19661, 45875, 65535]", () => {
    // 1 × 65535 / 2 = 32767.5 → 32768; 3 × 65535 / 10 = 19660.5 → 19661; 7 × 65535 / 10 = 45874.5 → 45875
    expect(vecU16MaxUpscaleToU16([1, 2])).toEqual([32768, 65535]);
    expect(vecU16MaxUpscaleToU16([3, 7, 10])).toEqual([19661, 45875, 65535]);
    expect(vecU16MaxUpscaleToU16([1, 3])).toEqual([21845, 65535]); // 21845.0
    expect(vecU16MaxUpscaleToU16([2, 3])).toEqual([43690, 65535]); // 43690.0
  });

  it("uses the floored factor 65535/max above 32768", () => {
    // factor = floor(65535·2^32 / 40000) / 2^32; 30000 × factor = 49151.249… → 49151
    expect(vecU16MaxUpscaleToU16([30000, 40000])).toEqual([49151, 65535]);
    // 32768 × 65535/32769 = 65533.000…6 → 65533 (Subtensor's [.., 32768, 32769] case)
    expect(vecU16MaxUpscaleToU16([32768, 32769])).toEqual([65533, 65535]);
  });
});

describe("vec_max_upscale_to_u16 (I32F32 input)", () => {
  const fx = (xs: number[]) => xs.map(fromF32);
  it.each([
    [[], []],
    [[0], [0]],
    [[0, 0], [0, 0]],
    [[0, 1], [0, 65535]],
    [[0, 0.000000001], [0, 65535]],
    [[0, 0.000016, 1], [0, 1, 65535]],
    [[0.000000001, 0.000000001], [65535, 65535]],
    [
      [0.000001, 0.000006, 0.000007, 0.0001, 0.001, 0.01, 0.1, 0.2, 0.3, 0.4],
      [0, 1, 1, 16, 164, 1638, 16384, 32768, 49151, 65535],
    ],
    [[0, 1, 65535], [0, 1, 65535]],
    [[0, 0.5, 1, 1.5, 2, 32768], [0, 1, 2, 3, 4, 65535]],
    [[0, 0.5, 1, 1.5, 2, 32768, 32769], [0, 1, 2, 3, 4, 65533, 65535]],
  ])("%j → %j (Subtensor's vectors)", (input, expected) => {
    expect(vecMaxUpscaleToU16(fx(input))).toEqual(expected);
  });

  it("single large values and I32F32::MAX", () => {
    for (const v of [16384, 32768, 32769, 65535]) expect(vecMaxUpscaleToU16([fromInt(v)])).toEqual([65535]);
    expect(vecMaxUpscaleToU16([I32F32_MAX])).toEqual([65535]);
    expect(vecMaxUpscaleToU16([0n, fromInt(1), fromInt(32768), fromInt(32769), I32F32_MAX])).toEqual([0, 0, 1, 1, 65535]);
  });

  it("round() ties away from zero", () => {
    expect(round(ONE / 2n)).toBe(ONE);
    expect(round(ONE / 2n - 1n)).toBe(0n);
    expect(round(-(ONE / 2n))).toBe(-ONE);
  });
});

describe("check_vec_max_limited", () => {
  const M = 65535;
  it.each([
    [[], 0, true],
    [[], M, true],
    [[M], M, true],
    [[M], M - 1, false],
    [[M], 0, false],
    [[0], M, true],
    [[0, M], M, true],
    [[0, M, M], Math.floor(M / 2), false],
    [[0, M, M], Math.floor(M / 2) + 1, true],
    [[0, M, M, M], Math.floor(M / 3) - 1, false],
    [[0, M, M, M], Math.floor(M / 3), true],
  ])("%j with limit %d → %s (Subtensor's vectors)", (v, limit, ok) => {
    expect(checkVecMaxLimited(v, limit)).toBe(ok);
  });
});
