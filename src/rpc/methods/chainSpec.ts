/**
 * `chainSpec_v1_*` (paritytech/json-rpc-interface-spec): the chain's name, genesis hash and
 * `properties`, constant for the life of the node.
 */
import { toHex } from "../../util/bytes.js";
import type { RpcRegistry } from "../registry.js";
import type { RpcServices } from "./services.js";

export function register(registry: RpcRegistry, services: RpcServices): void {
  const { spec, chain } = services;
  registry.addMethod({ name: "chainSpec_v1_chainName", params: [], handler: () => spec.name });
  registry.addMethod({ name: "chainSpec_v1_genesisHash", params: [], handler: () => toHex(chain.genesisHash) });
  registry.addMethod({ name: "chainSpec_v1_properties", params: [], handler: () => ({ ...spec.properties }) });
}
