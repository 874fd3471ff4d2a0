/**
 * The runtime of this chain: its pallets in index order, its version, and its configuration. Each
 * node (or test) creates its own instance with `createRuntime`: nothing about a runtime is
 * process-wide, so several nodes of different chains can run in one process.
 */
import { RuntimeDefinition, type RuntimeVersionInfo } from "./frame/runtime.js";
import { buildSystemPallet } from "./pallets/system.js";
import { buildTimestampPallet } from "./pallets/timestamp.js";
import { buildAuraPallet } from "./pallets/aura.js";
import { Grandpa } from "./pallets/grandpa.js";
import { Balances } from "./pallets/balances.js";
import { TransactionPayment } from "./pallets/transactionPayment.js";
import { buildSudoPallet } from "./pallets/sudo.js";
import { subtensorPallet } from "./pallets/subtensor/index.js";
import { buildAdminUtilsPallet } from "./pallets/adminUtils/pallet.js";
import { adminUtilsCalls } from "./pallets/adminUtils/calls.js";

export const RUNTIME_VERSION: RuntimeVersionInfo = {
  // Real Subtensor's spec name: tools key type overrides on it, and none exist for it in polkadot-js.
  specName: "node-subtensor",
  implName: "subtensor-ts",
  authoringVersion: 1,
  specVersion: 1,
  implVersion: 1,
  transactionVersion: 1,
  systemVersion: 1,
};

export interface RuntimeConfig {
  /** include SubtensorModule's PoW faucet call (development chains only) */
  faucet: boolean;
  /** Aura slot duration from the chain spec; Timestamp's MinimumPeriod is half of it */
  slotDurationMs: number;
}

export const DEFAULT_RUNTIME_CONFIG: RuntimeConfig = { faucet: true, slotDurationMs: 12_000 };

/**
 * A new runtime for `config` (defaults: the faucet variant, 12 s slots — what dev chains and most
 * tests use). Pallets whose types or rules depend on the runtime (System's Events, Sudo's
 * RuntimeCall, Timestamp's MinimumPeriod, Aura's slot duration) are built for this instance.
 */
export function createRuntime(config: Partial<RuntimeConfig> = {}): RuntimeDefinition {
  const full: RuntimeConfig = { ...DEFAULT_RUNTIME_CONFIG, ...config };
  if (!Number.isInteger(full.slotDurationMs) || full.slotDurationMs < 2) throw new Error(`invalid slot duration ${full.slotDurationMs}`);
  // eslint-disable-next-line prefer-const
  let runtime: RuntimeDefinition;
  const aura = buildAuraPallet({ slotDurationMs: full.slotDurationMs });
  runtime = new RuntimeDefinition(
    [
      buildSystemPallet(() => runtime.eventRecords),
      buildTimestampPallet({ minimumPeriod: BigInt(Math.floor(full.slotDurationMs / 2)), onTimestampSet: aura.onTimestampSet }),
      aura.pallet,
      Grandpa,
      Balances,
      TransactionPayment,
      subtensorPallet({ faucet: full.faucet }),
      buildSudoPallet(() => runtime.callCodec),
      buildAdminUtilsPallet(adminUtilsCalls),
    ],
    RUNTIME_VERSION,
    full,
  );
  return runtime;
}
