/**
 * Subtensor's custom RPCs (`pallets/subtensor/rpc` at commit 688d4a7ff), under Subtensor's names —
 * its typo `subnetInfo_getSubnetsInf_v2` included — each a thin wrapper over the runtime API of the
 * same name at the optional block hash (default: the best block):
 *
 * - the result is the runtime API's `Vec<u8>` as jsonrpsee serializes it: a JSON array of byte
 *   numbers (empty for a single item that does not exist);
 * - `subnetInfo_getLockCost` is the u64 lock cost as a JSON number;
 * - account parameters are `Vec<u8>` too: JSON arrays of byte numbers;
 * - a failing runtime call is JSON-RPC error 1 with Subtensor's message, e.g.
 *   `Unable to get neurons info: UnknownBlock("Header was not found in the database: 0x…")`.
 */
import { bytes, u16 as u16Codec, u64 } from "../../chain/codec/scale.js";
import { RuntimeApiError } from "../../chain/runtime/frame/runtimeApi.js";
import { RpcError } from "../errors.js";
import { byteArray, hash, optional, u16, type ParamSpec } from "../params.js";
import type { RpcRegistry } from "../registry.js";
import { callRuntime } from "../runtimeCalls.js";
import type { RpcServices } from "./services.js";

/** Subtensor's custom RPC `Error::RuntimeError` code. */
export const SUBTENSOR_RPC_ERROR = 1;

/** Rust's `{:?}` of the sp_api::ApiError behind a failed call, as Subtensor's messages print it. */
function apiErrorDebug(e: RuntimeApiError): string {
  const t = e.type;
  if (t.code === "UNKNOWN_BLOCK") return `UnknownBlock(${JSON.stringify(`Header was not found in the database: ${t.hash}`)})`;
  return `Application(${JSON.stringify(e.message)})`;
}

interface CustomRpc {
  name: string;
  /** "<Api>_<method>" of the runtime API it calls */
  runtimeApi: string;
  /** parameters before the optional block hash, and how each is SCALE-encoded for the runtime API */
  args: Array<{ spec: ParamSpec; encode: (v: any) => Uint8Array }>;
  /** Subtensor's error prefix, e.g. "Unable to get neurons info" */
  failure: string;
  /** the result's JSON from the runtime API's SCALE output */
  result: (output: Uint8Array) => unknown;
}

const netuid = { spec: u16().named("netuid"), encode: (v: number) => u16Codec.encode(v) };
const uid = { spec: u16().named("uid"), encode: (v: number) => u16Codec.encode(v) };
const account = (name: string) => ({ spec: byteArray().named(name), encode: (v: Uint8Array) => bytes.encode(v) });
/** A runtime API `Vec<u8>` result → the JSON array of its bytes. */
const byteVec = (output: Uint8Array): number[] => Array.from(bytes.decode(output));
/** u64 → JSON number (lock costs are far below 2^53 RAO). */
const u64Number = (output: Uint8Array): number => Number(u64.decode(output));

const CUSTOM_RPCS: CustomRpc[] = [
  { name: "delegateInfo_getDelegates", runtimeApi: "DelegateInfoRuntimeApi_get_delegates", args: [], failure: "Unable to get delegates info", result: byteVec },
  { name: "delegateInfo_getDelegate", runtimeApi: "DelegateInfoRuntimeApi_get_delegate", args: [account("delegate_account_vec")], failure: "Unable to get delegates info", result: byteVec },
  { name: "delegateInfo_getDelegated", runtimeApi: "DelegateInfoRuntimeApi_get_delegated", args: [account("delegatee_account_vec")], failure: "Unable to get delegates info", result: byteVec },
  { name: "neuronInfo_getNeuronsLite", runtimeApi: "NeuronInfoRuntimeApi_get_neurons_lite", args: [netuid], failure: "Unable to get neurons lite info", result: byteVec },
  { name: "neuronInfo_getNeuronLite", runtimeApi: "NeuronInfoRuntimeApi_get_neuron_lite", args: [netuid, uid], failure: "Unable to get neurons lite info", result: byteVec },
  { name: "neuronInfo_getNeurons", runtimeApi: "NeuronInfoRuntimeApi_get_neurons", args: [netuid], failure: "Unable to get neurons info", result: byteVec },
  { name: "neuronInfo_getNeuron", runtimeApi: "NeuronInfoRuntimeApi_get_neuron", args: [netuid, uid], failure: "Unable to get neuron info", result: byteVec },
  { name: "subnetInfo_getSubnetInfo", runtimeApi: "SubnetInfoRuntimeApi_get_subnet_info", args: [netuid], failure: "Unable to get subnet info", result: byteVec },
  { name: "subnetInfo_getSubnetsInfo", runtimeApi: "SubnetInfoRuntimeApi_get_subnets_info", args: [], failure: "Unable to get subnets info", result: byteVec },
  { name: "subnetInfo_getSubnetInfo_v2", runtimeApi: "SubnetInfoRuntimeApi_get_subnet_info_v2", args: [netuid], failure: "Unable to get subnet info", result: byteVec },
  // (sic) Subtensor registers this method as "subnetInfo_getSubnetsInf_v2"; clients call that name.
  { name: "subnetInfo_getSubnetsInf_v2", runtimeApi: "SubnetInfoRuntimeApi_get_subnets_info_v2", args: [], failure: "Unable to get subnets info", result: byteVec },
  { name: "subnetInfo_getSubnetHyperparams", runtimeApi: "SubnetInfoRuntimeApi_get_subnet_hyperparams", args: [netuid], failure: "Unable to get subnet info", result: byteVec },
  { name: "subnetInfo_getLockCost", runtimeApi: "SubnetRegistrationRuntimeApi_get_network_registration_cost", args: [], failure: "Unable to get subnet lock cost", result: u64Number },
];

export function register(registry: RpcRegistry, services: RpcServices): void {
  for (const rpc of CUSTOM_RPCS) {
    registry.addMethod({
      name: rpc.name,
      params: [...rpc.args.map((a) => a.spec), optional(hash()).named("at")],
      handler: (params: unknown[]) => {
        const at = (params[rpc.args.length] as Uint8Array | undefined) ?? services.chain.best.hash;
        const input = new Uint8Array(rpc.args.flatMap((a, i) => Array.from(a.encode(params[i]))));
        try {
          return rpc.result(callRuntime(services, rpc.runtimeApi, input, at));
        } catch (e) {
          if (e instanceof RuntimeApiError) throw new RpcError(SUBTENSOR_RPC_ERROR, `${rpc.failure}: ${apiErrorDebug(e)}`);
          throw e;
        }
      },
    });
  }
}

/** The custom RPC names, in Subtensor's order (for docs and tests). */
export const SUBTENSOR_RPC_NAMES = CUSTOM_RPCS.map((r) => r.name);

