/**
 * pallet_transaction_payment (index 6). Fee = base extrinsic weight fee + call weight fee + length
 * fee + tip, as in Subtensor's classic runtime: weight × 0.1 % (ref_time / 1000) + 1 RAO per byte,
 * no fee multiplier (NextFeeMultiplier stays 1).
 *
 * Its runtime APIs: `TransactionPaymentApi` (version 4: fees of an extrinsic) and
 * `TransactionPaymentCallApi` (version 3: fees of a bare call, which Python clients use).
 */
import { option, struct, u8, u32, u64, u128, type Codec, type EnumValue } from "../../codec/scale.js";
import { AccountId32, DispatchClass, Weight, type WeightValue } from "../../codec/types.js";
import type { Extrinsic } from "../../codec/extrinsic.js";
import { Pallet } from "../frame/pallet.js";
import { storageValue } from "../frame/storage.js";
import type { RuntimeTypes } from "../frame/runtimeApi.js";
import type { RuntimeDefinition } from "../frame/runtime.js";
import { decodeExtrinsicArg, type RuntimeApiImpl } from "../api/context.js";

/** FRAME's default ExtrinsicBaseWeight is about 125 µs of compute (ref_time in picoseconds). */
export const EXTRINSIC_BASE_WEIGHT = 125_000_000n;
export const WEIGHT_FEE_DIVISOR = 1000n;
export const LENGTH_FEE_PER_BYTE = 1n;
export const FIXED_U128_ONE = 1_000_000_000_000_000_000n;

export interface FeeBreakdown {
  baseFee: bigint;
  lenFee: bigint;
  adjustedWeightFee: bigint;
  tip: bigint;
  total: bigint;
}

/** The fee of an extrinsic of `len` bytes whose call weighs `callWeight`, before the tip. */
export function computeFee(len: number, callWeight: bigint, tip: bigint, paysFee = true): FeeBreakdown {
  if (!paysFee) return { baseFee: 0n, lenFee: 0n, adjustedWeightFee: 0n, tip, total: tip };
  const baseFee = EXTRINSIC_BASE_WEIGHT / WEIGHT_FEE_DIVISOR;
  const lenFee = BigInt(len) * LENGTH_FEE_PER_BYTE;
  const adjustedWeightFee = callWeight / WEIGHT_FEE_DIVISOR;
  return { baseFee, lenFee, adjustedWeightFee, tip, total: baseFee + lenFee + adjustedWeightFee + tip };
}

export const NextFeeMultiplier = storageValue({
  name: "NextFeeMultiplier",
  value: u128,
  default: FIXED_U128_ONE,
  docs: ["The fee multiplier (FixedU128); constant 1 on this chain."],
});

// ------------------------------------------------------------------ runtime API types

export interface RuntimeDispatchInfoValue {
  weight: WeightValue;
  class: { tag: string };
  partialFee: bigint;
}

export const RuntimeDispatchInfoCodec = struct<RuntimeDispatchInfoValue & Record<string, unknown>>(
  [
    { name: "weight", type: Weight, typeName: "Weight" },
    { name: "class", type: DispatchClass, typeName: "DispatchClass" },
    { name: "partial_fee", type: u64, typeName: "Balance" },
  ],
  { path: ["pallet_transaction_payment", "types", "RuntimeDispatchInfo"], params: [{ name: "Balance", type: u64 }, { name: "Weight", type: Weight }] },
);

export interface InclusionFeeValue {
  baseFee: bigint;
  lenFee: bigint;
  adjustedWeightFee: bigint;
}

export const InclusionFeeCodec = struct<InclusionFeeValue & Record<string, unknown>>(
  [
    { name: "base_fee", type: u64, typeName: "Balance" },
    { name: "len_fee", type: u64, typeName: "Balance" },
    { name: "adjusted_weight_fee", type: u64, typeName: "Balance" },
  ],
  { path: ["pallet_transaction_payment", "types", "InclusionFee"], params: [{ name: "Balance", type: u64 }] },
);

export interface FeeDetailsValue {
  inclusionFee: InclusionFeeValue | null;
  tip: bigint;
}

export const FeeDetailsCodec = struct<FeeDetailsValue & Record<string, unknown>>(
  [
    { name: "inclusion_fee", type: option(InclusionFeeCodec), typeName: "Option<InclusionFee<Balance>>" },
    { name: "tip", type: u64, typeName: "Balance" },
  ],
  { path: ["pallet_transaction_payment", "types", "FeeDetails"], params: [{ name: "Balance", type: u64 }] },
);

// ------------------------------------------------------------------ runtime APIs

/** `query_call_info`: the call's weight and class, and the fee of `len` bytes carrying it (no tip). */
function callDispatchInfo(runtime: RuntimeDefinition, call: EnumValue, len: number): RuntimeDispatchInfoValue {
  const { weight, decl } = runtime.callInfo(call);
  const partialFee = computeFee(len, weight, 0n, decl.paysFee !== false).total;
  return { weight: { refTime: weight, proofSize: 0n }, class: { tag: decl.class ?? "Normal" }, partialFee };
}

function callFeeDetails(runtime: RuntimeDefinition, call: EnumValue, len: number): FeeDetailsValue {
  const { weight, decl } = runtime.callInfo(call);
  if (decl.paysFee === false) return { inclusionFee: null, tip: 0n };
  const fee = computeFee(len, weight, 0n, true);
  return { inclusionFee: { baseFee: fee.baseFee, lenFee: fee.lenFee, adjustedWeightFee: fee.adjustedWeightFee }, tip: 0n };
}

/** `query_info`: as query_call_info, but bare (unsigned) extrinsics pay nothing. */
function extrinsicDispatchInfo(runtime: RuntimeDefinition, ext: Extrinsic, len: number): RuntimeDispatchInfoValue {
  const info = callDispatchInfo(runtime, ext.call, len);
  return ext.signed ? info : { ...info, partialFee: 0n };
}

function extrinsicFeeDetails(runtime: RuntimeDefinition, ext: Extrinsic, len: number): FeeDetailsValue {
  return ext.signed ? callFeeDetails(runtime, ext.call, len) : { inclusionFee: null, tip: 0n };
}

const weightToFee = (weight: WeightValue): bigint => computeFee(0, weight.refTime, 0n).adjustedWeightFee;
const lengthToFee = (length: number): bigint => computeFee(length, 0n, 0n).lenFee;

function transactionPaymentApis(types: RuntimeTypes): RuntimeApiImpl[] {
  const len = { name: "len", type: u32 as Codec<unknown> };
  const weightToFeeMethod = {
    name: "query_weight_to_fee",
    inputs: [{ name: "weight", type: Weight as Codec<unknown> }],
    output: u64 as Codec<unknown>,
    call: (_ctx: unknown, [weight]: unknown[]) => weightToFee(weight as WeightValue),
  };
  const lengthToFeeMethod = {
    name: "query_length_to_fee",
    inputs: [{ name: "length", type: u32 as Codec<unknown> }],
    output: u64 as Codec<unknown>,
    call: (_ctx: unknown, [length]: unknown[]) => lengthToFee(length as number),
  };
  return [
    {
      name: "TransactionPaymentApi",
      version: 4,
      methods: [
        {
          name: "query_info",
          inputs: [{ name: "uxt", type: types.extrinsic as Codec<unknown> }, len],
          output: RuntimeDispatchInfoCodec as Codec<unknown>,
          // No signature check: polkadot-js' paymentInfo sends the extrinsic with a dummy signature.
          call: (ctx, [uxt, n]) => extrinsicDispatchInfo(ctx.runtime, decodeExtrinsicArg(ctx, uxt), n),
        },
        {
          name: "query_fee_details",
          inputs: [{ name: "uxt", type: types.extrinsic as Codec<unknown> }, len],
          output: FeeDetailsCodec as Codec<unknown>,
          call: (ctx, [uxt, n]) => extrinsicFeeDetails(ctx.runtime, decodeExtrinsicArg(ctx, uxt), n),
        },
        weightToFeeMethod,
        lengthToFeeMethod,
      ],
    },
    {
      name: "TransactionPaymentCallApi",
      version: 3,
      methods: [
        {
          name: "query_call_info",
          inputs: [{ name: "call", type: types.call as Codec<unknown> }, len],
          output: RuntimeDispatchInfoCodec as Codec<unknown>,
          docs: ["Query information of a dispatch class, weight, and fee of a given encoded `Call`."],
          call: (ctx, [call, n]) => callDispatchInfo(ctx.runtime, call, n),
        },
        {
          name: "query_call_fee_details",
          inputs: [{ name: "call", type: types.call as Codec<unknown> }, len],
          output: FeeDetailsCodec as Codec<unknown>,
          docs: ["Query fee details of a given encoded `Call`."],
          call: (ctx, [call, n]) => callFeeDetails(ctx.runtime, call, n),
        },
        { ...weightToFeeMethod, docs: ["Query the output of the current `WeightToFee` given some input."] },
        { ...lengthToFeeMethod, docs: ["Query the output of the current `LengthToFee` given some input."] },
      ],
    },
  ];
}

export const TransactionPayment: Pallet = new Pallet({
  name: "TransactionPayment",
  index: 6,
  crate: "pallet_transaction_payment",
  storage: [NextFeeMultiplier],
  events: [
    {
      name: "TransactionFeePaid",
      index: 0,
      fields: [
        { name: "who", type: AccountId32, typeName: "T::AccountId" },
        { name: "actual_fee", type: u64, typeName: "BalanceOf<T>" },
        { name: "tip", type: u64, typeName: "BalanceOf<T>" },
      ],
      docs: ["A transaction fee `actual_fee`, of which `tip` was added to the minimum inclusion fee, has been paid by `who`."],
    },
  ],
  constants: [{ name: "OperationalFeeMultiplier", codec: u8, value: 5 }],
  apis: transactionPaymentApis,
});
