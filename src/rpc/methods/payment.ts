/**
 * `payment_*` (pallet-transaction-payment-rpc): fee estimation through the TransactionPaymentApi
 * runtime API. Deprecated in Substrate and typed with the old `RuntimeDispatchInfoV1` (u64 weight)
 * by polkadot-js, which prefers `state_call TransactionPaymentApi_query_info`; served for tools
 * that still call it, with Substrate's JSON:
 *
 * - `payment_queryInfo` → `{"weight":{"ref_time":n,"proof_size":n},"class":"normal","partialFee":"<decimal string>"}`
 * - `payment_queryFeeDetails` → `{"inclusionFee":{"baseFee":n,"lenFee":n,"adjustedWeightFee":n}|null}` (tip skipped)
 *
 * Errors: 2 (decode) / 1 (runtime) with "Unable to query dispatch info." or "Unable to query fee
 * details.", and the cause in `data`.
 */
import { RuntimeApiError } from "../../chain/runtime/frame/runtimeApi.js";
import { FeeDetailsCodec, RuntimeDispatchInfoCodec } from "../../chain/runtime/pallets/transactionPayment.js";
import { callRuntime } from "../runtimeCalls.js";
import { u32 } from "../../chain/codec/scale.js";
import { concatBytes } from "../../util/bytes.js";
import { RpcError } from "../errors.js";
import { hash, hex, optional } from "../params.js";
import type { RpcRegistry } from "../registry.js";
import type { RpcServices } from "./services.js";

export const PaymentErrorCode = { RuntimeError: 1, DecodeError: 2 } as const;

/** NumberOrHex: a JSON number while exact, else a hex string (serde would print the exact u64). */
const numberOrHex = (v: bigint): number | string => (v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : "0x" + v.toString(16));

/** Substrate serializes DispatchClass camelCase. */
const classJson = (tag: string): string => tag.charAt(0).toLowerCase() + tag.slice(1);

function runtimeCall(services: RpcServices, method: string, bytes: Uint8Array, at: Uint8Array | undefined, what: string): Uint8Array {
  try {
    services.chain.decode(bytes);
  } catch (e) {
    throw new RpcError(PaymentErrorCode.DecodeError, what, (e as Error).message);
  }
  try {
    return callRuntime(services, method, concatBytes(bytes, u32.encode(bytes.length)), at ?? services.chain.best.hash);
  } catch (e) {
    if (e instanceof RuntimeApiError) throw new RpcError(PaymentErrorCode.RuntimeError, what, e.message);
    throw e;
  }
}

export function register(registry: RpcRegistry, services: RpcServices): void {
  registry.addMethod({
    name: "payment_queryInfo",
    params: [hex().named("encoded_xt"), optional(hash()).named("at")],
    handler: ([bytes, at]: [Uint8Array, Uint8Array | undefined]) => {
      const what = "Unable to query dispatch info.";
      const info = RuntimeDispatchInfoCodec.decode(runtimeCall(services, "TransactionPaymentApi_query_info", bytes, at, what));
      return {
        weight: { ref_time: Number(info.weight.refTime), proof_size: Number(info.weight.proofSize) },
        class: classJson(info.class.tag),
        partialFee: info.partialFee.toString(),
      };
    },
  });

  registry.addMethod({
    name: "payment_queryFeeDetails",
    params: [hex().named("encoded_xt"), optional(hash()).named("at")],
    handler: ([bytes, at]: [Uint8Array, Uint8Array | undefined]) => {
      const what = "Unable to query fee details.";
      const details = FeeDetailsCodec.decode(runtimeCall(services, "TransactionPaymentApi_query_fee_details", bytes, at, what));
      const f = details.inclusionFee;
      return {
        inclusionFee: f ? { baseFee: numberOrHex(f.baseFee), lenFee: numberOrHex(f.lenFee), adjustedWeightFee: numberOrHex(f.adjustedWeightFee) } : null,
      };
    },
  });
}
