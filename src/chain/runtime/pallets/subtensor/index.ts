/**
 * SubtensorModule assembled from its domain files. Each domain (calls/*.ts) exports its calls and
 * its per-block work; block_step runs them in Subtensor's order.
 */
import type { HookContext } from "../../frame/dispatch.js";
import { Pallet } from "../../frame/pallet.js";
import { buildSubtensorPallet } from "./pallet.js";
import { onLeftCirculation } from "../balances.js";
import { burnTokens } from "./staking/coldkeyBalance.js";
import { subnetsCalls, subnetsOnInitialize } from "./calls/subnets.js";
import { stakingCalls, stakingOnInitialize } from "./calls/staking.js";
import { weightsCalls, weightsOnInitialize } from "./calls/weights.js";
import { servingCalls, servingOnInitialize } from "./calls/serving.js";
import { runCoinbase } from "./coinbase/coinbase.js";
import { COINBASE_STORAGE } from "./coinbase/config.js";
import { COINBASE_EVENTS } from "./coinbase/events.js";
import { SUBTENSOR_RUNTIME_APIS } from "./rpcInfo/apis.js";

// Fees and dust leave SubtensorModule.TotalIssuance too (Subtensor's TransactionFeeHandler, July 2024).
onLeftCirculation((state, amount) => burnTokens(state, amount));

export interface SubtensorRuntimeOptions {
  /** the PoW `faucet` call: present only on development chains (Subtensor's pow-faucet feature) */
  faucet: boolean;
}

/**
 * block_step: registration terms and burn adjustment first, then the other domains' per-block
 * work, then the coinbase (block emission into PendingEmission, root epoch, subnet epochs and
 * their payout), as classic Subtensor orders them.
 */
function blockStep(ctx: HookContext): void {
  subnetsOnInitialize(ctx);
  stakingOnInitialize(ctx);
  weightsOnInitialize(ctx);
  servingOnInitialize(ctx);
  runCoinbase(ctx);
}

export function subtensorPallet(opts: SubtensorRuntimeOptions): Pallet {
  const calls = [...subnetsCalls, ...stakingCalls, ...weightsCalls, ...servingCalls].filter((c) => opts.faucet || c.name !== "faucet");
  const base = buildSubtensorPallet(calls, { onInitialize: blockStep });
  // The coinbase's own storage items (genesis emission options) and its EpochRun event are
  // appended after every Subtensor item and event, so no classic index or key moves.
  return new Pallet({
    ...base.decl,
    storage: [...base.storage, ...COINBASE_STORAGE],
    events: [...base.events, ...COINBASE_EVENTS],
    apis: () => SUBTENSOR_RUNTIME_APIS,
  });
}
