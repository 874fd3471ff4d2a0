/** Runtime API ids and the runtime version that advertises them (`runtimeVersion.apis`). */
import { toHex, utf8Bytes } from "../../../util/bytes.js";
import { blake2_64 } from "../../../util/hash.js";
import type { RuntimeVersionInfo } from "../frame/runtime.js";
import type { RuntimeApiDecl } from "../frame/runtimeApi.js";
import type { RuntimeVersionValue } from "./codecs.js";

/** `blake2_64(name)`: the id of a runtime API in `runtimeVersion.apis` (sp_api's `ID`). */
export function apiId(name: string): Uint8Array {
  return blake2_64(utf8Bytes(name));
}

/** sp_version::RuntimeVersion of a runtime serving `apis`. */
export function runtimeVersionValue(v: RuntimeVersionInfo, apis: readonly RuntimeApiDecl[]): RuntimeVersionValue {
  return {
    specName: v.specName,
    implName: v.implName,
    authoringVersion: v.authoringVersion,
    specVersion: v.specVersion,
    implVersion: v.implVersion,
    apis: apis.map((a) => [apiId(a.name), a.version]),
    transactionVersion: v.transactionVersion,
    systemVersion: v.systemVersion,
  };
}

/** The JSON of `state_getRuntimeVersion` (sp_version's Serialize: both systemVersion and stateVersion). */
export function runtimeVersionJson(v: RuntimeVersionInfo, apis: readonly RuntimeApiDecl[]): Record<string, unknown> {
  return {
    specName: v.specName,
    implName: v.implName,
    authoringVersion: v.authoringVersion,
    specVersion: v.specVersion,
    implVersion: v.implVersion,
    apis: apis.map((a) => [toHex(apiId(a.name)), a.version]),
    transactionVersion: v.transactionVersion,
    systemVersion: v.systemVersion,
    stateVersion: v.systemVersion,
  };
}
