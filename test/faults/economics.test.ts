/**
 * The economic invariants over a long randomized run (issue 12): 10 000 blocks of random signed
 * extrinsics from many accounts on a real chain, every invariant checked after every block (see
 * test/utils/subtensor/economics.ts for the list). Part of `npm run test:faults`; a 300-block run
 * of the same simulation is in `npm test` (test/integration/economics.test.ts).
 *
 *   ECON_BLOCKS=… ECON_SEED=… npx vitest run --config vitest.faults.config.ts test/faults/economics.test.ts
 */
import { describe, expect, it } from "vitest";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { formatEconomicsReport, runEconomicSimulation } from "../utils/subtensor/economics.js";

const BLOCKS = Number(process.env.ECON_BLOCKS ?? 10_000);
const SEED = Number(process.env.ECON_SEED ?? 20_261_207);

describe("economic invariants", () => {
  it(`hold after every one of ${BLOCKS} random blocks (seed ${SEED})`, { timeout: 3_600_000 }, async () => {
    await cryptoWaitReady();
    console.log(`economics: ${BLOCKS} blocks, seed ${SEED} (ECON_SEED=${SEED} reproduces this run)`);
    const r = await runEconomicSimulation({ blocks: BLOCKS, seed: SEED, fullCheckEvery: 1_000, logEvery: 1_000, log: (l) => console.log(l) });
    console.log(`economics: ${formatEconomicsReport(r)}`);
    expect(r.blocks).toBe(BLOCKS);
    // the run exercised what it is about
    for (const kind of ["transfer_keep_alive", "transfer_allow_death", "add_stake", "remove_stake", "become_delegate", "burned_register", "set_weights", "register_network", "dissolve_network", "swap_hotkey", "sudo_subnet_config"]) {
      expect(r.calls[kind].ok, `${kind} never succeeded`).toBeGreaterThan(0);
    }
    expect(r.epochs).toBeGreaterThan(1_000);
    expect(r.paid).toBeGreaterThan(0n);
    expect(r.dropped).toBeGreaterThan(0n);
    expect(r.reaped).toBeGreaterThan(0);
    expect(r.subnetsCreated).toBeGreaterThan(0);
    expect(r.subnetsRemoved).toBeGreaterThan(0);
  });
});
