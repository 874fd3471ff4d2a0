/**
 * Ports of Subtensor's epoch tests (pallets/subtensor/src/tests/epoch.rs at 14bc6f9f9), replayed on
 * SubnetSim with the same state transitions as the mock runtime. Exact assertions are the Rust
 * ones; `E` vectors come from the debug traces pasted in the Rust tests (exact chain outputs).
 */
import { describe, expect, it } from "vitest";
import { SubnetSim } from "../../../test/utils/yuma/testkit.js";
import { runEpochFast } from "./fast/epoch-fast.js";
import { activityCutoffBlocks, runEpochReference, type EpochInput, type EpochOutput } from "./epoch.js";

const U16_MAX = 65535;
type Runner = (i: EpochInput) => EpochOutput;

/** `add_network_disable_commit_reveal(netuid, tempo)`: Yuma3 off, mock defaults. */
function mockSubnet(tempo: number, extra: Partial<SubnetSim["hp"]> = {}, block = 1n): SubnetSim {
  return new SubnetSim({
    version: "current",
    block,
    hyperparameters: {
      tempo,
      activityCutoff: activityCutoffBlocks(tempo),
      maxAllowedValidators: 64,
      kappa: 32767,
      bondsMovingAverage: 900_000n,
      bondsPenalty: U16_MAX,
      yuma3Enabled: false,
      ...extra,
    },
  });
}

for (const [label, run] of [
  ["fast path", runEpochFast],
  ["reference", runEpochReference],
] as Array<[string, Runner | undefined]>) {
  describe(`Subtensor epoch tests (${label})`, () => {
    it("test_bonds: 28 stored bond values over 7 epochs, E vectors of the trace", () => {
      const sim = mockSubnet(1);
      const stakes = [1n, 2n, 3n, 4n, 0n, 0n, 0n, 0n];
      for (const s of stakes) sim.append(s);
      sim.hp.maxAllowedValidators = 8;
      sim.epoch(undefined, run);
      sim.nextBlock();
      for (let uid = 0; uid < 4; uid++)
        sim.setWeights(uid, [4, 5, 6, 7], [Math.floor(U16_MAX / 4), Math.floor(U16_MAX / 2), Math.floor(U16_MAX / 4) * 3, U16_MAX]);
      let out = sim.epoch(undefined, run);
      expect([0, 1, 2, 3].map((i) => sim.bond(i, 4))).toEqual([16383, 32767, 49151, 65535]);
      expect(out.emission).toEqual([49999998n, 99999999n, 150000000n, 200000001n, 49998779n, 100000610n, 149996337n, 200004272n]);

      sim.setWeights(0, [0], [U16_MAX]);
      sim.nextBlock();
      out = sim.epoch(undefined, run);
      expect([0, 1, 2, 3].map((i) => sim.bond(i, 4))).toEqual([14582, 32767, 49151, 65535]);
      expect(out.emission).toEqual([44998351n, 101110561n, 151667215n, 202223870n, 49998779n, 100000610n, 149996337n, 200004272n]);

      sim.setWeights(1, [1], [U16_MAX]);
      sim.nextBlock();
      sim.epoch(undefined, run);
      expect([0, 1, 2, 3].map((i) => sim.bond(i, 4))).toEqual([12603, 28321, 49151, 65535]);

      sim.setWeights(2, [2], [U16_MAX]);
      sim.nextBlock();
      out = sim.epoch(undefined, run);
      expect([0, 1, 2, 3].map((i) => sim.bond(i, 7))).toEqual([12602, 28320, 49150, 65535]);
      expect(out.emission).toEqual([99999999n, 199999999n, 299999999n, 399999999n, 0n, 0n, 0n, 0n]);

      sim.setWeights(2, [7], [U16_MAX]);
      sim.nextBlock();
      out = sim.epoch(undefined, run);
      expect([0, 1, 2, 3].map((i) => sim.bond(i, 7))).toEqual([10951, 24609, 49150, 65535]);
      expect(out.emission).toEqual([36443733n, 81898628n, 163565493n, 218092144n, 0n, 0n, 0n, 500000000n]);

      sim.nextBlock();
      out = sim.epoch(undefined, run);
      expect([0, 1, 2, 3].map((i) => sim.bond(i, 7))).toEqual([9559, 21482, 49150, 65535]);
      expect(out.emission).toEqual([32799427n, 73706612n, 168638129n, 224855830n, 0n, 0n, 0n, 500000000n]);

      sim.nextBlock();
      out = sim.epoch(undefined, run);
      expect([0, 1, 2, 3].map((i) => sim.bond(i, 7))).toEqual([8376, 18824, 49150, 65535]);
      expect(out.emission).toEqual([29518068n, 66336137n, 173203134n, 230942659n, 0n, 0n, 0n, 500000000n]);

      sim.nextBlock();
      out = sim.epoch(undefined, run);
      expect(out.emission).toEqual([26565175n, 59701871n, 177311856n, 236421095n, 0n, 0n, 0n, 500000000n]);
    });

    it("test_1_graph: a lone self-weighting uid gets nothing", () => {
      const sim = mockSubnet(65534);
      sim.hp.maxAllowedValidators = 64;
      sim.append(1_000_000_000n);
      sim.setWeights(0, [0], [U16_MAX]);
      const out = sim.epoch(undefined, run);
      expect([out.rank[0], out.trust[0], out.consensus[0], out.incentive[0], out.dividends[0]]).toEqual([0, 0, 0, 0, 0]);
    });

    it("test_10_graph: self weights only → all zero, emission 99_999_999 each", () => {
      const sim = mockSubnet(65534);
      for (let i = 0; i < 10; i++) sim.append(1n, 0n);
      for (let i = 0; i < 10; i++) sim.setWeights(i, [i], [U16_MAX]);
      const out = sim.epoch(undefined, run);
      for (let i = 0; i < 10; i++) {
        expect([out.rank[i], out.trust[i], out.consensus[i], out.incentive[i], out.dividends[i]]).toEqual([0, 0, 0, 0, 0]);
        expect(out.emission[i]).toBe(99999999n);
      }
    });

    it("test_active_stake: inactive validators lose dividends (36044 / 274999999 / 53619 …)", () => {
      const sim = mockSubnet(1, {}, 0n);
      for (let i = 0; i < 4; i++) sim.append(1n);
      sim.hp.maxAllowedValidators = 4;
      sim.epoch(undefined, run);
      sim.nextBlock();
      for (const uid of [0, 1]) sim.setWeights(uid, [2, 3], [32767, 32767]);
      let out = sim.epoch(undefined, run);
      for (let uid = 0; uid < 4; uid++) {
        if (uid < 2) expect(out.dividends[uid]).toBe(32767);
        expect(out.emission[uid]).toBe(250000000n);
      }
      for (const v of [0, 1]) {
        expect([sim.bond(v, 0), sim.bond(v, 1)]).toEqual([0, 0]);
        expect([sim.bond(v, 2), sim.bond(v, 3)]).toEqual([65535, 65535]);
      }
      sim.runToBlock(5000n + 2n); // the storage ActivityCutoff (5000) the Rust test steps by
      sim.setWeights(0, [2, 3], [32767, 32767]);
      out = sim.epoch(undefined, run);
      expect(out.dividends[0]).toBe(36044);
      expect(out.emission[0]).toBe(274999999n);
      expect(out.emission).toEqual([274999999n, 224999999n, 250000000n, 250000000n]);
      expect([sim.bond(0, 2), sim.bond(0, 3)]).toEqual([65535, 65535]);
      expect(out.dividends[1]).toBe(29490);
      expect(out.emission[1]).toBe(224999999n);
      expect([sim.bond(1, 2), sim.bond(1, 3)]).toEqual([53619, 53619]);
      // (the trace's "P (u16)" line predates the rounding in vec_max_upscale_to_u16; not compared)

      sim.setWeights(1, [2, 3], [32767, 32767]);
      sim.runToBlock(5000n + 3n);
      out = sim.epoch(undefined, run);
      expect(out.dividends[0]).toBe(35716);
      expect(out.emission).toEqual([272501132n, 227498866n, 250000000n, 250000000n]);
      expect([sim.bond(0, 2), sim.bond(0, 3)]).toEqual([65535, 65535]);
      expect(out.dividends[1]).toBe(29818);
      expect([sim.bond(1, 2), sim.bond(1, 3)]).toEqual([54712, 54712]);
    });

    it("test_outdated_weights: a re-registered uid's incoming weights are outdated", () => {
      const sim = mockSubnet(0);
      for (let i = 0; i < 4; i++) sim.append(1n);
      sim.hp.maxAllowedValidators = 4;
      sim.epoch(undefined, run);
      sim.nextBlock();
      const third = Math.floor(U16_MAX / 3);
      for (const uid of [0, 1]) sim.setWeights(uid, [2, 3], [2 * third, third]);
      for (const uid of [2, 3]) sim.setWeights(uid, [uid], [U16_MAX]);
      let out = sim.epoch(undefined, run);
      expect(out.emission).toEqual([250000000n, 250000000n, 333331637n, 166668361n]);
      sim.replace(3); // deregistered (lowest emission) and replaced by a new key, same block
      sim.nextBlock();
      sim.setWeights(0, [2, 3], [2 * third, third]);
      out = sim.epoch(undefined, run);
      expect(out.dividends[0]).toBe(32767);
      expect(out.emission[0]).toBe(250000000n);
      expect(out.emission).toEqual([250000000n, 250000000n, 500000000n, 0n]);
      expect(sim.bond(0, 2)).toBe(65535);
      expect(sim.bond(0, 3)).toBe(65535);
    });

    it("test_zero_weights: emission falls back to (active) stake", () => {
      const sim = mockSubnet(65534);
      sim.append(1n);
      sim.append(0n);
      let out = sim.epoch(undefined, run);
      expect(out.emission).toEqual([1000000000n, 0n]);
      sim.setWeights(1, [1], [U16_MAX]); // server self-weight only
      out = sim.epoch(undefined, run);
      expect(out.emission).toEqual([1000000000n, 0n]);
      sim.runToBlock(2n);
      sim.setWeights(0, [1], [U16_MAX]);
      sim.replace(1); // server re-registered in the same block: validator's weight outdated
      out = sim.epoch(undefined, run);
      expect(out.emission).toEqual([1000000000n, 0n]);
      sim.runToBlock(3n);
      sim.setWeights(0, [1], [U16_MAX]);
      out = sim.epoch(undefined, run);
      expect(out.emission).toEqual([500000000n, 500000000n]);
    });

    it("test_deregistered_miner_bonds: a re-registered miner's bond column is reset", () => {
      const sim = mockSubnet(65534);
      for (let i = 0; i < 4; i++) sim.append(1n);
      sim.hp.maxAllowedValidators = 4;
      sim.epoch(undefined, run);
      sim.nextBlock();
      const third = Math.floor(U16_MAX / 3);
      for (const uid of [0, 1]) sim.setWeights(uid, [2, 3], [2 * third, third]);
      sim.nextBlock(2);
      const tempo = (t: number): void => {
        sim.hp.tempo = t;
        sim.hp.activityCutoff = activityCutoffBlocks(t);
      };
      tempo(2);
      sim.epoch(undefined, run);
      const [b02, b03] = [sim.bond(0, 2), sim.bond(0, 3)];
      expect(b02).toBeGreaterThan(0);
      expect(b03).toBeGreaterThan(0);
      tempo(65534);
      sim.nextBlock();
      sim.replace(3);
      for (const uid of [0, 1]) sim.setWeights(uid, [2, 3], [2 * third, third]);
      sim.nextBlock();
      expect(sim.blockAtRegistration[3] >= sim.block - 2n).toBe(true);
      tempo(2);
      sim.epoch(undefined, run);
      expect(sim.bond(0, 2)).toBeGreaterThanOrEqual(b02);
      expect(sim.bond(0, 3)).toBeLessThanOrEqual(b03);
    });

    it("test_validator_permits: top-k by stake above the stake threshold (interleave 0, 1)", () => {
      for (const interleave of [0, 1])
        for (const [networkN, validatorsN] of [
          [2, 1],
          [4, 2],
          [8, 4],
        ])
          for (const assignment of [0, 1]) {
            const { validators, servers } = distributeNodes(validatorsN, networkN, interleave);
            const minStake = BigInt(validatorsN);
            const stake: bigint[] = new Array(networkN).fill(0n);
            for (const v of validators) stake[v] = assignment === 1 ? BigInt(v + networkN) : 1n;
            for (const s of servers) stake[s] = assignment === 1 ? BigInt(s) : 0n;
            // add_network: Yuma3 on
            const sim = mockSubnet(65534, { yuma3Enabled: true, stakeThreshold: minStake });
            for (let k = 0; k < networkN; k++) sim.append(stake[k]);
            sim.hp.maxAllowedValidators = validatorsN;
            sim.epoch(undefined, run);
            for (const v of validators) expect(sim.validatorPermit[v]).toBe(stake[v] >= minStake);
            for (const s of servers) expect(sim.validatorPermit[s]).toBe(false);
            for (const s of servers) sim.stake[s] += BigInt(2 * networkN);
            sim.epoch(undefined, run);
            for (const v of validators) expect(sim.validatorPermit[v]).toBe(false);
            for (const s of servers) expect(sim.validatorPermit[s]).toBe(stake[s] + BigInt(2 * networkN) >= minStake);
          }
    });

    it("test_can_set_self_weight_as_subnet_owner: the owner's self weight counts", () => {
      const sim = new SubnetSim({
        version: "current",
        block: 1n,
        hyperparameters: { tempo: 360, activityCutoff: activityCutoffBlocks(360), yuma3Enabled: true, ownerUid: 0 },
      });
      sim.append(5_000_000_000_000n);
      sim.append(0n);
      sim.validatorPermit = [true, false];
      sim.setWeightsRaw(0, [
        [0, Math.floor(U16_MAX / 2)],
        [1, Math.floor(U16_MAX / 2)],
      ]);
      sim.nextBlock();
      sim.lastUpdate = [2n, 0n];
      const out = sim.epoch(1_000_000_000n, run);
      expect(out.serverEmission[0]).toBeGreaterThan(0n);
      expect(out.serverEmission[1]).toBeGreaterThan(0n);
      expect(out.serverEmission[0]).toBe(out.serverEmission[1]);
    });

    it("test_epoch_outputs_single_staker_registered_no_weights: all emission is paid", () => {
      const sim = mockSubnet(65534, { yuma3Enabled: true });
      sim.append(1n);
      const out = sim.epoch(1_000_000_000n, run);
      const total = out.serverEmission[0] + out.validatorEmission[0];
      expect(total <= 1_000_000_000n + 1000n && total >= 1_000_000_000n - 1000n).toBe(true);
    });
  });
}

/** `distribute_nodes` for interleave 0 (blockwise) and 1 (regular). */
function distributeNodes(validatorsN: number, networkN: number, interleave: number): { validators: number[]; servers: number[] } {
  const all = Array.from({ length: networkN }, (_, i) => i);
  if (interleave === 0) return { validators: all.slice(0, validatorsN), servers: all.slice(validatorsN) };
  const step = Math.floor(networkN / validatorsN);
  return { validators: all.filter((i) => i % step === 0), servers: all.filter((i) => i % step !== 0) };
}
