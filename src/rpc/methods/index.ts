/**
 * Registers every Substrate-compatible RPC namespace (the legacy ones polkadot-js uses and the new
 * JSON-RPC interface polkadot-api uses), and Subtensor's custom RPCs, on a registry.
 */
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
import { register as registerChainHead } from "./chainHead.js";
import { register as registerChainSpec } from "./chainSpec.js";
import { register as registerTransaction } from "./transaction.js";
import { register as registerArchive } from "./archive.js";
import type { ChainHeadOptions } from "../chainHead/follower.js";

export interface RegisterOptions {
  /** limits of chainHead_v1_follow subscriptions (defaults: CHAIN_HEAD_DEFAULTS) */
  chainHead?: Partial<ChainHeadOptions>;
}

export function registerAll(registry: RpcRegistry, services: RpcServices, opts: RegisterOptions = {}): void {
  registerChain(registry, services);
  registerState(registry, services);
  registerAuthor(registry, services);
  registerAuthorKeys(registry, services);
  registerSystem(registry, services);
  registerPayment(registry, services);
  registerGrandpa(registry, services);
  registerSubtensor(registry, services);
  // the new JSON-RPC interface (polkadot-api's native path)
  registerChainHead(registry, services, opts.chainHead);
  registerChainSpec(registry, services);
  registerTransaction(registry, services);
  registerArchive(registry, services);
  registerUnsupported(registry);
}

export type { RpcServices };
