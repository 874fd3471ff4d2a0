/**
 * The reference-path fallback of the epoch driver on a real chain: a subnet whose input the fast
 * Yuma path refuses (BondsMovingAverage above 10^6: an EMA weight outside [0, 1]) still runs its
 * epoch at its epoch block, with the same result, and the runtime reports it to its node through
 * RuntimeDiagnostics (never through state or events). The node logs it and counts it in
 * `subtensor_yuma_reference_fallbacks_total`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Keyring } from "@polkadot/keyring";
import { ChainHarness } from "../../../../../../test/utils/chainHarness.js";
import { installNeuron, sudoWrite } from "../../../../../../test/utils/subtensor/weights.js";
import { eventsOf } from "../../../../../../test/utils/subtensor/staking.js";
import { devChainSpec, TAO } from "../../../../spec.js";
import type { RuntimeDiagnostic } from "../../../frame/runtime.js";
import { BondsMovingAverage, LastUpdate, Weights } from "../storage.js";
import { isEpochBlock } from "./schedule.js";

let h: ChainHarness;

beforeAll(async () => {
  const spec = await devChainSpec();
  const alice = new Keyring({ type: "sr25519", ss58Format: 42 }).addFromUri("//Alice");
  h = await ChainHarness.create({
    ...spec,
    subtensor: { subnets: [{ netuid: 1, owner: alice.address, hyperparameters: { tempo: 3, maxAllowedValidators: 2 } }] },
  });
});

afterAll(async () => {
  await h?.close();
});

describe("epoch on the reference path", () => {
  it("runs, pays and is reported to the runtime's diagnostics, never to state", async () => {
    const key = (i: number) => new Keyring({ type: "sr25519" }).addFromUri(`//Fallback//${i}`).publicKey;
    await sudoWrite(h, (state, block) => {
      for (let i = 0; i < 4; i++) installNeuron(state, 1, { hotkey: key(i), coldkey: key(100 + i), permit: i < 2, stake: i < 2 ? BigInt(i + 1) * 100n * TAO : 0n }, block);
      Weights.put(state, [[2, 65535], [3, 30000]], 1, 0);
      Weights.put(state, [[3, 65535]], 1, 1);
      LastUpdate.put(state, [block, block, 0n, 0n], 1);
      BondsMovingAverage.put(state, 1_500_000n, 1);
    });
    const reports: RuntimeDiagnostic[] = [];
    const off = h.runtime.diagnostics.on((d) => reports.push(d));
    const before = h.runtime.diagnostics.count("yumaReferenceFallback");
    try {
      while (!isEpochBlock(1, 3, BigInt(h.chain.best.number + 1))) await h.produce();
      const block = await h.produce();
      const run = eventsOf(block).find(([name]) => name === "EpochRun")?.[1] as { netuid: number; server: bigint; validator: bigint } | undefined;
      expect(run?.netuid).toBe(1);
      expect(run!.server + run!.validator).toBeGreaterThan(0n);
      // nothing of the fallback in the block's events
      expect(block.events.every((r) => JSON.stringify(r.event, (_, v) => (typeof v === "bigint" ? String(v) : v)).toLowerCase().includes("fallback") === false)).toBe(true);
      expect(reports).toHaveLength(1);
      expect(reports[0]).toMatchObject({ kind: "yumaReferenceFallback", netuid: 1, block: block.header.number });
      expect(reports[0].reason).toMatch(/fast epoch path unavailable/);
      expect(h.runtime.diagnostics.count("yumaReferenceFallback")).toBe(before + 1);
    } finally {
      off();
    }
  });
});
