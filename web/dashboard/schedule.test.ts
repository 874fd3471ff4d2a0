/** The dashboard's emission schedule: the curve to 21M and the next halving. */
import { describe, expect, it } from "vitest";
import { nextHalvingBlock, nextHalvingIssuance, scheduledIssuance, scheduleCurve } from "./schedule.js";

describe("emission schedule", () => {
  it("mints 1 TAO a block until the first halving, then half, and never passes 21M", () => {
    expect(scheduledIssuance(0, 6_000_000)).toBe(6_000_000);
    expect(scheduledIssuance(100, 0)).toBe(100);
    expect(scheduledIssuance(10_500_000 + 10, 0)).toBe(10_500_005);
    expect(scheduledIssuance(10_500_000 * 40, 0)).toBeCloseTo(21_000_000, 0);
    expect(scheduledIssuance(10_500_000 * 40, 6_000_000)).toBe(21_000_000);
    const curve = scheduleCurve(0);
    expect(curve[0]).toEqual({ x: 0, y: 0 });
    expect(curve.every((p, i) => i === 0 || p.y >= curve[i - 1].y)).toBe(true);
  });

  it("places the next halving by height or by issuance", () => {
    expect(nextHalvingBlock(1)).toBe(10_500_001);
    expect(nextHalvingBlock(10_500_000)).toBe(10_500_001);
    expect(nextHalvingBlock(10_500_001)).toBe(21_000_001);
    expect(nextHalvingIssuance(6_000_000)).toBe(10_500_000);
    expect(nextHalvingIssuance(10_500_000)).toBe(15_750_000);
  });
});
