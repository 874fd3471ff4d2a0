/**
 * The classic burn / difficulty adjustment (block_step.rs at de1026780), run for every subnet at
 * the start of every block (`adjust_registration_terms_for_networks`):
 *
 * When `block − LastAdjustmentBlock ≥ AdjustmentInterval`, with r = registrations this interval,
 * t = TargetRegistrationsPerInterval, p / b = PoW / burn registrations this interval:
 *   r > t:  p > b → difficulty up;  p < b → burn up;  p = b → both up
 *   r ≤ t:  p > b → burn down;      p < b → difficulty down;  p = b → both down
 * where "up"/"down" is the same formula (the ratio decides the direction):
 *   updated = current × (r + t) / (2t);  next = α × current + (1 − α) × updated,  α = AdjustmentAlpha / u64::MAX
 * computed in I110F18 fixed point (bits below), clamped to [min, max]. Then the interval counters
 * reset and LastAdjustmentBlock = block. RegistrationsThisBlock resets for every subnet every block.
 */
import type { HookContext } from "../../../frame/dispatch.js";
import type { StorageAccess } from "../../../../state/types.js";
import { U64_MAX } from "../constants.js";
import { subtensorEvent } from "../events.js";
import {
  AdjustmentAlpha,
  AdjustmentInterval,
  Burn,
  BurnRegistrationsThisInterval,
  Difficulty,
  LastAdjustmentBlock,
  MaxBurn,
  MaxDifficulty,
  MinBurn,
  MinDifficulty,
  NetworksAdded,
  POWRegistrationsThisInterval,
  RegistrationsThisBlock,
  RegistrationsThisInterval,
  TargetRegistrationsPerInterval,
} from "../storage.js";
import { satAdd16, satSub64 } from "./math.js";

// ------------------------------------------------------------------ I110F18 (substrate_fixed), as bigint bits

/** Fractional bits of I110F18. */
const FRAC = 18n;
const ONE = 1n << FRAC;
const fromInt = (x: bigint): bigint => x << FRAC;
/** Fixed-point multiply: the wide product shifted down (floor; all operands here are ≥ 0). */
const mul = (a: bigint, b: bigint): bigint => (a * b) >> FRAC;
/** Fixed-point divide: (a << frac) / b, truncated. */
const div = (a: bigint, b: bigint): bigint => (a << FRAC) / b;

/**
 * `upgraded_burn` / `upgraded_difficulty`: the next value from the current one. (No saturation
 * can occur: with u64 values and u16 counts every intermediate stays far below 2^127.)
 * A target of 0 would divide by zero (a panic in Rust); we keep the current value then.
 */
export function upgradedValue(current: bigint, registrations: number, target: number, adjustmentAlpha: bigint, min: bigint, max: bigint): bigint {
  if (target === 0) return current;
  const updated = div(mul(fromInt(current), fromInt(BigInt(satAdd16(registrations, target)))), fromInt(BigInt(satAdd16(target, target))));
  const alpha = div(fromInt(adjustmentAlpha), fromInt(U64_MAX));
  const next = mul(alpha, fromInt(current)) + mul(ONE - alpha, updated);
  if (next >= fromInt(max)) return max;
  if (next <= fromInt(min)) return min;
  return next >> FRAC;
}

function upgradedBurn(state: StorageAccess, netuid: number, current: bigint, r: number, t: number): bigint {
  return upgradedValue(current, r, t, AdjustmentAlpha.get(state, netuid), MinBurn.get(state, netuid), MaxBurn.get(state, netuid));
}

function upgradedDifficulty(state: StorageAccess, netuid: number, current: bigint, r: number, t: number): bigint {
  return upgradedValue(current, r, t, AdjustmentAlpha.get(state, netuid), MinDifficulty.get(state, netuid), MaxDifficulty.get(state, netuid));
}

/** `adjust_registration_terms_for_networks`, for block `ctx.block.number`. */
export function adjustRegistrationTermsForNetworks(ctx: HookContext): void {
  const { state } = ctx;
  const block = BigInt(ctx.block.number);
  // `set_difficulty` emits DifficultySet; `set_burn` emits nothing.
  const setDifficulty = (netuid: number, value: bigint) => {
    Difficulty.put(state, value, netuid);
    ctx.deposit(subtensorEvent("DifficultySet", [netuid, value]));
  };
  // Identity(u16) keys: storage order is Subtensor's iteration order (it orders the events).
  for (const { keys } of NetworksAdded.entries(state)) {
    const netuid = keys[0];
    const interval = BigInt(AdjustmentInterval.get(state, netuid));
    if (satSub64(block, LastAdjustmentBlock.get(state, netuid)) >= interval) {
      const burn = Burn.get(state, netuid);
      const difficulty = Difficulty.get(state, netuid);
      const r = RegistrationsThisInterval.get(state, netuid);
      const p = POWRegistrationsThisInterval.get(state, netuid);
      const b = BurnRegistrationsThisInterval.get(state, netuid);
      const t = TargetRegistrationsPerInterval.get(state, netuid);
      const raiseOrLowerBurn = () => Burn.put(state, upgradedBurn(state, netuid, burn, r, t), netuid);
      const raiseOrLowerDifficulty = () => setDifficulty(netuid, upgradedDifficulty(state, netuid, difficulty, r, t));
      if (r > t) {
        // Too many registrations: make the dominant kind dearer (both on a tie).
        if (p > b) raiseOrLowerDifficulty();
        else if (p < b) raiseOrLowerBurn();
        else {
          raiseOrLowerBurn();
          raiseOrLowerDifficulty();
        }
      } else {
        // Too few: make the other kind cheaper (both on a tie).
        if (p > b) raiseOrLowerBurn();
        else if (p < b) raiseOrLowerDifficulty();
        else {
          raiseOrLowerBurn();
          raiseOrLowerDifficulty();
        }
      }
      LastAdjustmentBlock.put(state, block, netuid);
      RegistrationsThisInterval.put(state, 0, netuid);
      POWRegistrationsThisInterval.put(state, 0, netuid);
      BurnRegistrationsThisInterval.put(state, 0, netuid);
    }
    RegistrationsThisBlock.put(state, 0, netuid);
  }
}
