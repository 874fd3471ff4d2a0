/** Registers every Substrate-compatible RPC namespace, and Subtensor's custom RPCs, on a registry. */
import type { RpcRegistry } from "../registry.js";
import type { RpcServices } from "./services.js";
import { register as registerAuthor } from "./author.js";
import { register as registerAuthorKeys } from "./authorKeys.js";
import { register as registerChain } from "./chain.js";
import { register as registerPayment } from "./payment.js";
import { register as registerState } from "./state.js";
import { register as registerSubtensor } from "./subtensor.js";
import { register as registerSystem } from "./system.js";
import { register as registerGrandpa } from "./grandpa.js";
import { register as registerUnsupported } from "./unsupported.js";

export function registerAll(registry: RpcRegistry, services: RpcServices): void {
  registerChain(registry, services);
  registerState(registry, services);
  registerAuthor(registry, services);
  registerAuthorKeys(registry, services);
  registerSystem(registry, services);
  registerPayment(registry, services);
  registerGrandpa(registry, services);
  registerSubtensor(registry, services);
  registerUnsupported(registry);
}

export type { RpcServices };
