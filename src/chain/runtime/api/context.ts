/**
 * The context a runtime API implementation runs in, for this runtime (see frame/runtimeApi.ts),
 * and the helpers every implementation needs: decoding `Block::Extrinsic` arguments.
 */
import { bytes } from "../../codec/scale.js";
import { decodeExtrinsic, type Extrinsic } from "../../codec/extrinsic.js";
import type { RuntimeDefinition } from "../frame/runtime.js";
import type { RuntimeApi, RuntimeApiContextBase, RuntimeApiMethod } from "../frame/runtimeApi.js";

export type RuntimeApiContext = RuntimeApiContextBase<RuntimeDefinition>;
export type RuntimeApiImpl = RuntimeApi<RuntimeApiContext>;
export type RuntimeApiMethodImpl = RuntimeApiMethod<RuntimeApiContext>;

/**
 * An extrinsic argument as the input codec gives it (the body, without its length prefix) decoded
 * as an extrinsic of this runtime: Substrate's `Block::Extrinsic` Decode.
 */
export function decodeExtrinsicArg(ctx: RuntimeApiContext, body: Uint8Array): Extrinsic {
  return decodeExtrinsic(bytes.encode(body), ctx.runtime.callCodec);
}
