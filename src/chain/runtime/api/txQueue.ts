/**
 * `TaggedTransactionQueue` (version 3): the pool's validity check as a runtime API, and
 * `OffchainWorkerApi` (version 2), which Subtensor declares: this chain runs no offchain workers,
 * so `offchain_worker` does nothing, as it does in a runtime whose pallets have none.
 */
import { tuple, u32, unit, type Codec } from "../../codec/scale.js";
import { AccountId32, H256, HeaderCodec } from "../../codec/types.js";
import type { Extrinsic } from "../../codec/extrinsic.js";
import type { RuntimeTypes } from "../frame/runtimeApi.js";
import { checkTransaction, signatureJob } from "../executive.js";
import { TransactionValidityError } from "../validity.js";
import { TransactionSourceCodec, TransactionValidityCodec, validityErrorValue } from "./codecs.js";
import { decodeExtrinsicArg, type RuntimeApiContext, type RuntimeApiImpl } from "./context.js";

/** The pool tag of (sender, nonce): SCALE of `(AccountId32, u32)`, as frame_system's CheckNonce provides it. */
function nonceTag(sender: Uint8Array, nonce: number): Uint8Array {
  return tuple(AccountId32, u32).encode([sender, nonce]);
}

function validateTransaction(ctx: RuntimeApiContext, ext: Extrinsic): { tag: string; value: unknown } {
  const current = ctx.header.number + 1;
  try {
    if (!ext.signed) throw new TransactionValidityError({ code: "UNKNOWN_TRANSACTION", kind: "NoUnsignedValidator" }, "Unknown Transaction Validity: NoUnsignedValidator");
    const valid = checkTransaction(ctx.runtime, ctx.state, ext, current, ctx.hash, ctx.chain);
    if (!ctx.host.verifySignature(signatureJob(ctx.state, ext, current, ctx.hash, ctx.chain))) {
      throw new TransactionValidityError({ code: "INVALID_TRANSACTION", kind: "BadProof" }, "Invalid Transaction: Transaction has a bad signature");
    }
    const requires = valid.nonce > valid.accountNonce ? [nonceTag(valid.sender, valid.nonce - 1)] : [];
    return {
      tag: "Ok",
      value: { priority: valid.priority, requires, provides: [nonceTag(valid.sender, valid.nonce)], longevity: BigInt(valid.longevity), propagate: true },
    };
  } catch (e) {
    if (e instanceof TransactionValidityError) return { tag: "Err", value: validityErrorValue(e) };
    throw e;
  }
}

export function txQueueApis(types: RuntimeTypes): RuntimeApiImpl[] {
  return [
    {
      name: "TaggedTransactionQueue",
      version: 3,
      docs: ["The `TaggedTransactionQueue` api trait for interfering with the transaction queue."],
      methods: [
        {
          name: "validate_transaction",
          inputs: [
            { name: "source", type: TransactionSourceCodec as Codec<unknown> },
            { name: "tx", type: types.extrinsic as Codec<unknown> },
            { name: "block_hash", type: H256 as Codec<unknown> },
          ],
          output: TransactionValidityCodec as Codec<unknown>,
          docs: ["Validate the transaction."],
          call: (ctx, [, tx]) => validateTransaction(ctx, decodeExtrinsicArg(ctx, tx)),
        },
      ],
    },
    {
      name: "OffchainWorkerApi",
      version: 2,
      docs: ["The offchain worker api."],
      methods: [
        {
          name: "offchain_worker",
          inputs: [{ name: "header", type: HeaderCodec as Codec<unknown> }],
          output: unit as Codec<unknown>,
          docs: ["Starts the off-chain task for given block header."],
          call: () => [],
        },
      ],
    },
  ];
}
