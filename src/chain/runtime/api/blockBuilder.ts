/**
 * `BlockBuilder` (version 6), answered as far as a node without a wasm executor can honestly do it,
 * each method on a throw-away overlay of the call's state:
 *
 * - `apply_extrinsic`: the extrinsic applied in a new block on top of the call's block (what
 *   `system_dryRun` reports);
 * - `finalize_block`: a new block on top of the call's block, initialized and finalized with no
 *   extrinsics; the Timestamp pallet's `on_finalize` then panics ("Timestamp must be updated once
 *   in the block"), exactly as a Substrate runtime does when no timestamp inherent was applied in
 *   the same call;
 * - `inherent_extrinsics`: the Timestamp `set` inherent for the given inherent data
 *   (`max(timestamp, Now + MinimumPeriod)`, pallet_timestamp's `create_inherent`);
 * - `check_inherents`: pallet_timestamp's `check_inherent` on the block's `set` call (TooEarly
 *   below Now + MinimumPeriod, TooFarInFuture beyond 30 s of drift; both fatal).
 */
import { bytes, simpleEnum, u64, vec, type Codec } from "../../codec/scale.js";
import { HeaderCodec } from "../../codec/types.js";
import { encodeUnsignedExtrinsic } from "../../codec/extrinsic.js";
import { bytesEqual, utf8Bytes } from "../../../util/bytes.js";
import { runtimePanic, type RuntimeTypes } from "../frame/runtimeApi.js";
import { Now } from "../pallets/timestamp.js";
import {
  ApplyExtrinsicResultCodec,
  blockCodec,
  CheckInherentsResultCodec,
  InherentDataCodec,
  type BlockValue,
  type CheckInherentsResultValue,
  type InherentDataValue,
} from "./codecs.js";
import { decodeExtrinsicArg, type RuntimeApiContext, type RuntimeApiImpl } from "./context.js";
import { applyOnTop, finishedHeader, startNextBlock } from "./blockRun.js";

/** sp_timestamp's inherent identifier. */
export const TIMESTAMP_INHERENT = utf8Bytes("timstap0");
/** pallet_timestamp's MAX_TIMESTAMP_DRIFT_MILLIS */
export const MAX_TIMESTAMP_DRIFT_MS = 30_000n;

/** sp_timestamp::InherentError (both variants are fatal). */
const TimestampInherentError = simpleEnum(["TooEarly", "TooFarInFuture"], { path: ["sp_timestamp", "InherentError"] });

function inherentTimestamp(method: string, data: InherentDataValue): bigint {
  const entry = data.data.find(([id]) => bytesEqual(id, TIMESTAMP_INHERENT));
  if (!entry) throw runtimePanic(method, "Timestamp inherent data must be provided");
  try {
    return u64.decode(entry[1]);
  } catch {
    throw runtimePanic(method, "Timestamp inherent data not correctly encoded");
  }
}

const minimumPeriod = (ctx: RuntimeApiContext): bigint => ctx.runtime.pallet("Timestamp").constant<bigint>("MinimumPeriod");

function inherentExtrinsics(ctx: RuntimeApiContext, data: InherentDataValue): Uint8Array[] {
  const moment = inherentTimestamp("BlockBuilder_inherent_extrinsics", data);
  const earliest = Now.get(ctx.state) + minimumPeriod(ctx);
  const now = moment > earliest ? moment : earliest;
  const call = ctx.runtime.callCodec.encode({ tag: "Timestamp", value: { tag: "set", value: { now } } });
  // the output codec adds each extrinsic's length prefix: hand it the body
  return [bytes.decode(encodeUnsignedExtrinsic(call))];
}

function checkInherents(ctx: RuntimeApiContext, block: BlockValue, data: InherentDataValue): CheckInherentsResultValue {
  const result: CheckInherentsResultValue = { okay: true, fatalError: false, errors: { data: [] } };
  for (const body of block.extrinsics) {
    const ext = decodeExtrinsicArg(ctx, body);
    if (ext.signed) break; // inherents come first
    const call = ext.call as { tag: string; value?: { tag: string; value?: { now?: bigint } } };
    if (call.tag !== "Timestamp" || call.value?.tag !== "set") continue;
    const t = call.value.value!.now!;
    const moment = inherentTimestamp("BlockBuilder_check_inherents", data);
    const minimum = Now.get(ctx.state) + minimumPeriod(ctx);
    const error = t > moment + MAX_TIMESTAMP_DRIFT_MS ? "TooFarInFuture" : t < minimum ? "TooEarly" : null;
    if (error && !result.fatalError) {
      // sp_inherents' put_error for a fatal error: it replaces any other error
      result.okay = false;
      result.fatalError = true;
      result.errors = { data: [[TIMESTAMP_INHERENT, TimestampInherentError.encode({ tag: error })]] };
    }
  }
  return result;
}

export function blockBuilderApis(types: RuntimeTypes): RuntimeApiImpl[] {
  const Extrinsic = types.extrinsic as Codec<unknown>;
  return [
    {
      name: "BlockBuilder",
      version: 6,
      docs: ["The `BlockBuilder` api trait that provides the required functionality for building a block."],
      methods: [
        {
          name: "apply_extrinsic",
          inputs: [{ name: "extrinsic", type: Extrinsic }],
          output: ApplyExtrinsicResultCodec as Codec<unknown>,
          docs: [
            "Apply the given extrinsic.",
            "",
            "Returns an inclusion outcome which specifies if this extrinsic is included in",
            "this block or not.",
          ],
          call: (ctx, [extrinsic]) => applyOnTop(ctx, decodeExtrinsicArg(ctx, extrinsic)),
        },
        {
          name: "finalize_block",
          inputs: [],
          output: HeaderCodec as Codec<unknown>,
          docs: ["Finish the current block."],
          call: (ctx) => {
            const env = { number: ctx.header.number + 1, parentHash: ctx.hash };
            return finishedHeader(ctx, "BlockBuilder_finalize_block", startNextBlock(ctx), env, [], []);
          },
        },
        {
          name: "inherent_extrinsics",
          inputs: [{ name: "inherent", type: InherentDataCodec as Codec<unknown> }],
          output: vec(Extrinsic) as Codec<unknown>,
          docs: ["Generate inherent extrinsics. The inherent data will vary from chain to chain."],
          call: (ctx, [data]) => inherentExtrinsics(ctx, data as InherentDataValue),
        },
        {
          name: "check_inherents",
          inputs: [
            { name: "block", type: blockCodec(types.extrinsic) as Codec<unknown> },
            { name: "data", type: InherentDataCodec as Codec<unknown> },
          ],
          output: CheckInherentsResultCodec as Codec<unknown>,
          docs: ["Check that the inherents are valid. The inherent data will vary from chain to chain."],
          call: (ctx, [block, data]) => checkInherents(ctx, block as BlockValue, data as InherentDataValue),
        },
      ],
    },
  ];
}

