/**
 * Ports of the classic (688d4a7ff, 2024) epoch tests: test_bonds (the same 28 bond values as
 * current), test_bonds_with_liquid_alpha (logistic liquid alpha: ln, exp, quantile),
 * test_active_stake and test_outdated_weights.
 */
import { describe, expect, it } from "vitest";
import { SubnetSim } from "../../../test/utils/yuma/testkit.js";
import { runEpochFast } from "./fast/epoch-fast.js";
import { runEpochReference } from "./epoch-reference.js";
import type { EpochInput, EpochOutput } from "./types.js";

const M = 65535;
type Runner = ((i: EpochInput) => EpochOutput) | undefined;

/** classic `add_network`: init_new_network (64 validators), mock defaults, ActivityCutoff 5000. */
function classicSubnet(block = 1n): SubnetSim {
  return new SubnetSim({
    version: "classic",
    block,
    hyperparameters: { activityCutoff: 5000n, maxAllowedValidators: 64, kappa: 32767, bondsMovingAverage: 900_000n },
  });
}

for (const [label, run] of [
  ["fast path", runEpochFast],
  ["reference", runEpochReference],
] as Array<[string, Runner]>) {
  describe(`classic Subtensor epoch tests (${label})`, () => {
    it("test_bonds: the 28 stored bond values", () => {
      const sim = classicSubnet();
      for (const s of [1n, 2n, 3n, 4n, 0n, 0n, 0n, 0n]) sim.append(s);
      sim.hp.maxAllowedValidators = 8;
      sim.epoch(undefined, run);
      sim.nextBlock();
      for (let uid = 0; uid < 4; uid++) sim.setWeights(uid, [4, 5, 6, 7], [Math.floor(M / 4), Math.floor(M / 2), Math.floor(M / 4) * 3, M]);
      sim.epoch(undefined, run);
      expect([0, 1, 2, 3].map((i) => sim.bond(i, 4))).toEqual([16383, 32767, 49151, 65535]);
      const steps: Array<[number | null, number, number[]]> = [
        [0, 4, [14582, 32767, 49151, 65535]],
        [1, 4, [12603, 28321, 49151, 65535]],
        [2, 7, [12602, 28320, 49150, 65535]],
        [-1, 7, [10951, 24609, 49150, 65535]],
        [null, 7, [9559, 21482, 49150, 65535]],
        [null, 7, [8376, 18824, 49150, 65535]],
      ];
      for (const [selfUid, col, expected] of steps) {
        if (selfUid === -1) sim.setWeights(2, [7], [M]);
        else if (selfUid !== null) sim.setWeights(selfUid, [selfUid], [M]);
        sim.nextBlock();
        sim.epoch(undefined, run);
        expect([0, 1, 2, 3].map((i) => sim.bond(i, col))).toEqual(expected);
      }
    });

    it("test_bonds_with_liquid_alpha: 2862; 435, 4985", () => {
      const sim = classicSubnet();
      for (const s of [1n, 2n, 3n, 4n, 0n, 0n, 0n, 0n]) sim.append(s);
      sim.epoch(undefined, run);
      sim.nextBlock();
      for (let uid = 0; uid < 4; uid++) {
        sim.validatorPermit[uid] = true;
        sim.setWeights(uid, [4, 5, 6, 7], [Math.floor(M / 4), Math.floor(M / 2), Math.floor(M / 4) * 3, M]);
      }
      sim.hp.liquidAlphaEnabled = true;
      let out = sim.epoch(undefined, run);
      expect([0, 1, 2, 3].map((i) => sim.bond(i, 4))).toEqual([16383, 32767, 49151, 65535]);
      // trace of this epoch in the Rust test
      expect(out.serverEmission).toEqual([0n, 0n, 0n, 0n, 49998779n, 100000610n, 149996337n, 200004272n]);
      expect(out.validatorEmission).toEqual([49999999n, 99999999n, 149999999n, 200000000n, 0n, 0n, 0n, 0n]);
      sim.setWeights(0, [0], [M]);
      sim.nextBlock();
      sim.epoch(undefined, run);
      expect([0, 1, 2, 3].map((i) => sim.bond(i, 4))).toEqual([2862, 32767, 49151, 65535]);
      sim.setWeights(1, [1], [M]);
      sim.nextBlock();
      out = sim.epoch(undefined, run);
      expect([0, 1, 2, 3].map((i) => sim.bond(i, 4))).toEqual([435, 4985, 49151, 65535]);
      // The trace pasted after this epoch in the Rust test is stale: its input bonds (7760 at
      // (0,4)) contradict the asserted 2862 of the previous epoch, so its E vector is not compared.
      expect(out.serverEmission).toEqual([0n, 0n, 0n, 0n, 49998779n, 100000610n, 149996337n, 200004272n]);
    });

    it("test_active_stake", () => {
      const sim = classicSubnet(0n);
      sim.hp.maxAllowedValidators = 4;
      for (let i = 0; i < 4; i++) sim.append(1n);
      sim.epoch(undefined, run);
      sim.nextBlock();
      for (const uid of [0, 1]) sim.setWeights(uid, [2, 3], [32767, 32767]);
      let out = sim.epoch(undefined, run);
      expect(out.dividends.slice(0, 2)).toEqual([32767, 32767]);
      expect(out.emission).toEqual([250000000n, 250000000n, 250000000n, 250000000n]);
      sim.runToBlock(5002n);
      sim.setWeights(0, [2, 3], [32767, 32767]);
      out = sim.epoch(undefined, run);
      expect([out.dividends[0], out.dividends[1]]).toEqual([36044, 29490]);
      expect(out.emission).toEqual([274999999n, 224999999n, 250000000n, 250000000n]);
      expect([sim.bond(0, 2), sim.bond(1, 2), sim.bond(1, 3)]).toEqual([65535, 53619, 53619]);
      sim.setWeights(1, [2, 3], [32767, 32767]);
      sim.runToBlock(5003n);
      out = sim.epoch(undefined, run);
      expect([out.dividends[0], out.dividends[1]]).toEqual([35716, 29818]);
      expect(out.emission).toEqual([272501132n, 227498866n, 250000000n, 250000000n]);
      expect([sim.bond(0, 2), sim.bond(1, 2)]).toEqual([65535, 54712]);
    });

    it("test_outdated_weights", () => {
      const sim = classicSubnet();
      sim.hp.maxAllowedValidators = 4;
      for (let i = 0; i < 4; i++) sim.append(1n);
      sim.epoch(undefined, run);
      sim.nextBlock();
      const third = Math.floor(M / 3);
      for (const uid of [0, 1]) sim.setWeights(uid, [2, 3], [2 * third, third]);
      for (const uid of [2, 3]) sim.setWeights(uid, [uid], [M]);
      let out = sim.epoch(undefined, run);
      expect(out.emission).toEqual([250000000n, 250000000n, 333331637n, 166668361n]);
      sim.replace(3);
      sim.nextBlock();
      sim.setWeights(0, [2, 3], [2 * third, third]);
      out = sim.epoch(undefined, run);
      expect(out.dividends[0]).toBe(32767);
      expect(out.emission).toEqual([250000000n, 250000000n, 500000000n, 0n]);
      expect([sim.bond(0, 2), sim.bond(0, 3)]).toEqual([65535, 65535]);
    });
  });
}
