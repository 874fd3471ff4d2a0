/**
 * A short run of the economic simulation (test/utils/subtensor/economics.ts): 300 random blocks,
 * every invariant after every block. The 10 000-block run is in `npm run test:faults`
 * (test/faults/economics.test.ts).
 */
import { describe, expect, it } from "vitest";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { formatEconomicsReport, runEconomicSimulation } from "../utils/subtensor/economics.js";

const SEED = 4242;

describe("economic invariants (short run)", () => {
  it(`hold after every one of 300 random blocks (seed ${SEED})`, { timeout: 300_000 }, async () => {
    await cryptoWaitReady();
    const r = await runEconomicSimulation({ blocks: 300, seed: SEED, fullCheckEvery: 100 });
    console.log(`economics: ${formatEconomicsReport(r)}`);
    expect(r.blocks).toBe(300);
    for (const kind of ["transfer_keep_alive", "transfer_allow_death", "add_stake", "remove_stake", "burned_register", "set_weights", "register_network"]) {
      expect(r.calls[kind].ok, `${kind} never succeeded`).toBeGreaterThan(0);
    }
    expect(r.epochs).toBeGreaterThan(50);
    expect(r.paid).toBeGreaterThan(0n);
    expect(r.fullChecks).toBe(3);
  });
});
