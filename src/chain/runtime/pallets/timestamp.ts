/**
 * pallet_timestamp (index 2): the block's time, set by the mandatory `set` inherent that the block
 * author puts first in every block. Runtime code reads time only from here, never from a clock.
 * MinimumPeriod is half the slot duration (Subtensor: `SLOT_DURATION / 2`); each runtime instance
 * builds its own pallet with its chain's value, and Aura's `onTimestampSet` check runs on `set`.
 */
import { bool, compact, u64 } from "../../codec/scale.js";
import { Pallet } from "../frame/pallet.js";
import { storageValue } from "../frame/storage.js";
import { DispatchError, ensureNone, type DispatchContext } from "../frame/dispatch.js";

export const Now = storageValue({ name: "Now", value: u64, default: 0n, docs: ["The current time for the current block."] });
export const DidUpdate = storageValue({ name: "DidUpdate", value: bool, default: false, docs: ["Whether the timestamp has been updated in this block."] });

for (const item of [Now, DidUpdate]) item.bind("Timestamp");

export interface TimestampConfig {
  /** the least time between two blocks, in ms (half the slot duration) */
  minimumPeriod: bigint;
  /** Substrate's `OnTimestampSet` (Aura checks that the time falls in the block's slot) */
  onTimestampSet?: (ctx: DispatchContext, now: bigint) => void;
}

export function buildTimestampPallet(config: TimestampConfig): Pallet {
  return new Pallet({
    name: "Timestamp",
    index: 2,
    crate: "pallet_timestamp",
    storage: [Now, DidUpdate],
    calls: [
      {
        name: "set",
        index: 0,
        args: [{ name: "now", type: compact(u64), typeName: "T::Moment" }],
        origin: "none",
        class: "Mandatory",
        paysFee: false,
        weight: () => 10_000_000n,
        docs: ["Set the current time (inherent)."],
        dispatch: (ctx, a: { now: bigint }) => {
          ensureNone(ctx.origin);
          if (DidUpdate.get(ctx.state)) throw new DispatchError({ tag: "Other" }, "Timestamp must be updated only once in the block");
          const prev = Now.get(ctx.state);
          if (prev !== 0n && a.now < prev + config.minimumPeriod) {
            throw new DispatchError({ tag: "Other" }, "Timestamp must increment by at least MinimumPeriod between sequential blocks");
          }
          Now.put(ctx.state, a.now);
          DidUpdate.put(ctx.state, true);
          config.onTimestampSet?.(ctx, a.now);
        },
      },
    ],
    constants: [{ name: "MinimumPeriod", codec: u64, value: config.minimumPeriod, docs: ["The minimum period between blocks."] }],
    onFinalize: (ctx) => {
      if (!DidUpdate.get(ctx.state)) throw new Error("Timestamp must be updated once in the block");
      DidUpdate.remove(ctx.state);
    },
  });
}
