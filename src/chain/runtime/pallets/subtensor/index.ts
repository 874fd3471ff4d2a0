/**
 * SubtensorModule assembled from its domain files. Each domain (calls/*.ts) exports its calls and
 * its per-block work; block_step runs them in Subtensor's order.
 */
import type { HookContext } from "../../frame/dispatch.js";
import type { Pallet } from "../../frame/pallet.js";
import { buildSubtensorPallet } from "./pallet.js";
import { onLeftCirculation } from "../balances.js";
import { burnTokens } from "./staking/coldkeyBalance.js";
import { subnetsCalls, subnetsOnInitialize } from "./calls/subnets.js";
import { stakingCalls, stakingOnInitialize } from "./calls/staking.js";
import { weightsCalls, weightsOnInitialize } from "./calls/weights.js";
import { servingCalls, servingOnInitialize } from "./calls/serving.js";

// Fees and dust leave SubtensorModule.TotalIssuance too (Subtensor's TransactionFeeHandler, July 2024).
onLeftCirculation((state, amount) => burnTokens(state, amount));

export interface SubtensorRuntimeOptions {
  /** the PoW `faucet` call: present only on development chains (Subtensor's pow-faucet feature) */
  faucet: boolean;
}

/** block_step: registration terms and burn adjustment first, then the rest (emission and epochs come with the coinbase). */
function blockStep(ctx: HookContext): void {
  subnetsOnInitialize(ctx);
  stakingOnInitialize(ctx);
  weightsOnInitialize(ctx);
  servingOnInitialize(ctx);
}

export function subtensorPallet(opts: SubtensorRuntimeOptions): Pallet {
  const calls = [...subnetsCalls, ...stakingCalls, ...weightsCalls, ...servingCalls].filter((c) => opts.faucet || c.name !== "faucet");
  return buildSubtensorPallet(calls, { onInitialize: blockStep });
}
