/**
 * The `finalizedBlockRuntime` / `newRuntime` value of chainHead_v1_follow events:
 * `{"type": "valid", "spec": {specName, implName, specVersion, implVersion, transactionVersion, apis}}`
 * where `apis` is an object from the hex blake2_64 id of each runtime API to its version (not the
 * legacy array of pairs).
 */
import { runtimeApis } from "../../chain/runtime/api/index.js";
import { apiId } from "../../chain/runtime/api/ids.js";
import type { RuntimeDefinition } from "../../chain/runtime/frame/runtime.js";
import { toHex } from "../../util/bytes.js";

export interface RuntimeSpecJson {
  specName: string;
  implName: string;
  specVersion: number;
  implVersion: number;
  transactionVersion: number;
  apis: Record<string, number>;
}

export type RuntimeEventJson = { type: "valid"; spec: RuntimeSpecJson } | { type: "invalid"; error: string };

export function runtimeEventJson(runtime: RuntimeDefinition): RuntimeEventJson {
  const v = runtime.version;
  const apis: Record<string, number> = {};
  for (const api of runtimeApis(runtime)) apis[toHex(apiId(api.name))] = api.version;
  return {
    type: "valid",
    spec: { specName: v.specName, implName: v.implName, specVersion: v.specVersion, implVersion: v.implVersion, transactionVersion: v.transactionVersion, apis },
  };
}
