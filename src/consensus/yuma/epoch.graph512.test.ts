/**
 * Port of Subtensor's test_512_graph (tests/epoch.rs): 512 uids, 64 validators with all stake
 * setting equal weights on the 448 servers, 3 epochs; interleave 0 (blockwise) and 1 (regular),
 * server self-weights off/on. Interleave 2 (random shuffle) is covered by the random property
 * tests instead. The reference (bigint) epoch is exercised on one configuration only, for time.
 */
import { describe, expect, it } from "vitest";
import { SubnetSim } from "../../../test/utils/yuma/testkit.js";
import { runEpochFast } from "./fast/epoch-fast.js";
import { activityCutoffBlocks, runEpochReference, type EpochInput, type EpochOutput } from "./epoch.js";

const M = 65535;

function distribute(validatorsN: number, networkN: number, interleave: number): { validators: number[]; servers: number[] } {
  const all = Array.from({ length: networkN }, (_, i) => i);
  if (interleave === 0) return { validators: all.slice(0, validatorsN), servers: all.slice(validatorsN) };
  const step = Math.floor(networkN / validatorsN);
  return { validators: all.filter((i) => i % step === 0), servers: all.filter((i) => i % step !== 0) };
}

function run512(interleave: number, serverSelf: boolean, run?: (i: EpochInput) => EpochOutput): void {
  const n = 512;
  const { validators, servers } = distribute(64, n, interleave);
  const sim = new SubnetSim({
    version: "current",
    block: 1n,
    hyperparameters: { tempo: 65534, activityCutoff: activityCutoffBlocks(65534), bondsPenalty: M, maxAllowedValidators: 64, yuma3Enabled: false },
  });
  const isValidator = new Set(validators);
  for (let k = 0; k < n; k++) sim.append(isValidator.has(k) ? 328_125_000_000_000n : 0n, 0n);
  sim.epoch(undefined, run);
  const w = new Array(servers.length).fill(Math.floor(M / n));
  for (const v of validators) sim.setWeights(v, servers, w);
  if (serverSelf) for (const s of servers) sim.setWeights(s, [s], [M]);
  let out = sim.epoch(undefined, run);
  for (let e = 0; e < 2; e++) out = sim.epoch(undefined, run);
  const server = servers[0];
  const validator = validators[0];
  for (const v of validators) {
    expect([out.consensus[v], out.incentive[v], out.dividends[v]]).toEqual([0, 0, 1023]);
    expect(out.emission[v]).toBe(7812500n);
    expect(sim.bond(v, validator)).toBe(0);
    expect(sim.bond(v, server)).toBe(65535);
  }
  for (const s of servers) {
    expect([out.consensus[s], out.incentive[s], out.dividends[s]]).toEqual([146, 146, 0]);
    expect(out.emission[s]).toBe(1116071n);
    expect(sim.bond(s, validator)).toBe(0);
    expect(sim.bond(s, server)).toBe(0);
  }
}

describe("test_512_graph", () => {
  for (const interleave of [0, 1])
    for (const serverSelf of [false, true])
      it(`interleave ${interleave}, server self-weight ${serverSelf}`, () => run512(interleave, serverSelf, runEpochFast));
  it("reference epoch, interleave 1 with server self-weights", () => run512(1, true, runEpochReference));
});
