/** The runtime of this chain: its pallets in index order and its version. */
import { RuntimeDefinition, type RuntimeVersionInfo } from "./frame/runtime.js";
import { System } from "./pallets/system.js";
import { Timestamp } from "./pallets/timestamp.js";
import { Aura } from "./pallets/aura.js";
import { Balances } from "./pallets/balances.js";
import { TransactionPayment } from "./pallets/transactionPayment.js";
import { Sudo } from "./pallets/sudo.js";

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

let runtime: RuntimeDefinition | undefined;

/** The runtime is assembled once per process (pallets are module-level declarations). */
export function getRuntime(): RuntimeDefinition {
  if (!runtime) runtime = new RuntimeDefinition([System, Timestamp, Aura, Balances, TransactionPayment, Sudo], RUNTIME_VERSION);
  return runtime;
}

export { System, Timestamp, Aura, Balances, TransactionPayment, Sudo };
