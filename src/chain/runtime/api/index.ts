/**
 * The runtime APIs of a runtime, declared once: the runtime-wide ones of this directory (Core,
 * Metadata, BlockBuilder, GenesisBuilder, TaggedTransactionQueue, OffchainWorkerApi, SessionKeys)
 * followed by each pallet's own (`PalletDecl.apis`, in pallet index order: System's
 * AccountNonceApi, AuraApi, GrandpaApi, the TransactionPayment APIs, SubtensorModule's info APIs).
 * This one list feeds the V15 metadata `apis`, `runtimeVersion.apis` and `state_call` dispatch.
 */
import { ScaleReader } from "../../codec/scale.js";
import { toHex } from "../../../util/bytes.js";
import type { RuntimeDefinition } from "../frame/runtime.js";
import { RuntimeApiError, runtimePanic, type RuntimeApiDecl, type RuntimeTypes } from "../frame/runtimeApi.js";
import { uncheckedExtrinsicType } from "../metadata.js";
import { decodeExtrinsicArg, type RuntimeApiContext, type RuntimeApiImpl, type RuntimeApiMethodImpl } from "./context.js";
import { coreApis } from "./core.js";
import { blockBuilderApis } from "./blockBuilder.js";
import { genesisBuilderApi } from "./genesisBuilder.js";
import { txQueueApis } from "./txQueue.js";
import { sessionKeysApi } from "./sessionKeys.js";
import { apiId, runtimeVersionJson as versionJson } from "./ids.js";

export type { RuntimeApiContext, RuntimeApiImpl, RuntimeApiMethodImpl };

const cache = new WeakMap<RuntimeDefinition, RuntimeApiImpl[]>();

/** The runtime types API signatures refer to. */
export function runtimeTypes(runtime: RuntimeDefinition): RuntimeTypes {
  return { extrinsic: uncheckedExtrinsicType(runtime), call: runtime.callCodec };
}

/** Every runtime API of `runtime`, with its implementation (built once per runtime). */
export function runtimeApis(runtime: RuntimeDefinition): RuntimeApiImpl[] {
  const cached = cache.get(runtime);
  if (cached) return cached;
  const types = runtimeTypes(runtime);
  const apis: RuntimeApiImpl[] = [
    ...coreApis(types, () => apis),
    ...blockBuilderApis(types),
    genesisBuilderApi,
    ...txQueueApis(types),
    sessionKeysApi,
    ...runtime.pallets.flatMap((p) => (p.decl.apis ? (p.decl.apis(types) as RuntimeApiImpl[]) : [])),
  ];
  const seen = new Set<string>();
  for (const a of apis) {
    if (seen.has(a.name)) throw new Error(`runtime API ${a.name} is declared twice`);
    seen.add(a.name);
  }
  cache.set(runtime, apis);
  return apis;
}

/** The declarations alone, for the metadata. */
export function runtimeApiDecls(runtime: RuntimeDefinition): RuntimeApiDecl[] {
  return runtimeApis(runtime);
}

/** `[["0x<blake2_64(name)>", version], …]` for `state_getRuntimeVersion.apis`. */
export function runtimeApiVersions(runtime: RuntimeDefinition): Array<[string, number]> {
  return runtimeApis(runtime).map((a) => [toHex(apiId(a.name)), a.version]);
}

/** The JSON of `state_getRuntimeVersion` for this runtime. */
export function runtimeVersionJson(runtime: RuntimeDefinition): Record<string, unknown> {
  return versionJson(runtime.version, runtimeApis(runtime));
}

/**
 * Methods found by full name, per runtime: every state_call resolves one of the same few names.
 * Only hits are kept (names are client-controlled: misses would grow it without bound).
 */
const foundMethods = new WeakMap<RuntimeDefinition, Map<string, RuntimeApiMethodImpl>>();

/** The method behind a `state_call` name such as "AccountNonceApi_account_nonce". */
export function findRuntimeApiMethod(runtime: RuntimeDefinition, method: string): RuntimeApiMethodImpl | undefined {
  let found = foundMethods.get(runtime);
  if (found === undefined) foundMethods.set(runtime, (found = new Map()));
  const hit = found.get(method);
  if (hit !== undefined) return hit;
  for (const api of runtimeApis(runtime)) {
    if (!method.startsWith(api.name + "_")) continue;
    const m = api.methods.find((x) => x.name === method.slice(api.name.length + 1));
    if (m) {
      found.set(method, m);
      return m;
    }
  }
  return undefined;
}

function isExtrinsicInput(ctx: RuntimeApiContext, type: unknown): boolean {
  return (type as { resolve(): unknown }).resolve() === runtimeTypes(ctx.runtime).extrinsic.resolve();
}

/**
 * Runs a runtime API (`method` = "<Api>_<method>") with SCALE `data` in `ctx`. Throws
 * RuntimeApiError with Substrate's `sp_blockchain::Error` text: unknown method, undecodable input
 * (`Block::Extrinsic` inputs must also decode as extrinsics of this runtime), or a panic.
 */
export function executeRuntimeApi(ctx: RuntimeApiContext, method: string, data: Uint8Array): Uint8Array {
  const impl = findRuntimeApiMethod(ctx.runtime, method);
  if (!impl) throw new RuntimeApiError({ code: "UNKNOWN_METHOD", method }, `Execution failed: Other: Exported method ${method} is not found`);
  let args: unknown[];
  try {
    const r = new ScaleReader(data);
    args = impl.inputs.map((i) => i.type.decodeFrom(r));
    impl.inputs.forEach((input, i) => {
      if (isExtrinsicInput(ctx, input.type)) decodeExtrinsicArg(ctx, args[i] as Uint8Array);
    });
  } catch (e) {
    const reason = `Bad input data provided to ${impl.name}: ${(e as Error).message}`;
    throw new RuntimeApiError({ code: "BAD_INPUT", method, reason }, `Execution failed: Execution aborted due to panic: ${reason}`);
  }
  try {
    return impl.output.encode(impl.call(ctx, args));
  } catch (e) {
    if (e instanceof RuntimeApiError) throw e;
    // any other failure inside the runtime is what a wasm panic looks like from the node
    throw runtimePanic(method, (e as Error).message);
  }
}
