/**
 * pallet_transaction_payment (index 6). Fee = base extrinsic weight fee + call weight fee + length
 * fee + tip, as in Subtensor's classic runtime: weight × 0.1 % (ref_time / 1000) + 1 RAO per byte,
 * no fee multiplier (NextFeeMultiplier stays 1).
 */
import { u8, u64, u128 } from "../../codec/scale.js";
import { AccountId32 } from "../../codec/types.js";
import { Pallet } from "../frame/pallet.js";
import { storageValue } from "../frame/storage.js";

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
});
