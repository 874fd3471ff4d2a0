/** The runtime of this chain: its pallets in index order and its version. */
import { RuntimeDefinition, type RuntimeVersionInfo } from "./frame/runtime.js";
import { System } from "./pallets/system.js";
import { Timestamp } from "./pallets/timestamp.js";
import { Aura } from "./pallets/aura.js";
import { Balances } from "./pallets/balances.js";
import { TransactionPayment } from "./pallets/transactionPayment.js";
import { Sudo } from "./pallets/sudo.js";
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

export interface RuntimeOptions {
  /** include SubtensorModule's PoW faucet call (development chains only) */
  faucet?: boolean;
}

const runtimes = new Map<string, RuntimeDefinition>();

/**
 * The runtime for these options, assembled once per process (pallets are module-level
 * declarations). The faucet variant is the default: it is what dev chains and tests use.
 */
export function getRuntime(opts: RuntimeOptions = {}): RuntimeDefinition {
  const faucet = opts.faucet ?? true;
  const key = faucet ? "faucet" : "plain";
  let runtime = runtimes.get(key);
  if (!runtime) {
    runtime = new RuntimeDefinition(
      [System, Timestamp, Aura, Balances, TransactionPayment, subtensorPallet({ faucet }), Sudo, buildAdminUtilsPallet(adminUtilsCalls)],
      RUNTIME_VERSION,
    );
    runtimes.set(key, runtime);
  }
  return runtime;
}

export { System, Timestamp, Aura, Balances, TransactionPayment, Sudo };
