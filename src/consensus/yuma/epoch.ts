/**
 * One Yuma consensus epoch for one subnet: a pure function of the subnet state (EpochInput) to
 * Subtensor's stored outputs (EpochOutput), bit-exact with Subtensor (yuma-spec.md).
 *
 * Two implementations with identical results:
 *  - the fast path (fast/): I32F32 bits as exact integers in JS numbers and typed arrays, on the
 *    flat (CSR) form of the input, for the sizes the chain runs (a few ms for 256 uids with 64
 *    dense validators on the shared bench machine, bench/yuma.ts). It refuses
 *    (FastPathUnavailable) any input for which an intermediate value could leave the range where
 *    its arithmetic is proven exact.
 *  - `runEpochReference`: bigint transliteration of the Rust code, used for those inputs and as
 *    the oracle of the property tests.
 *
 * Two entry points with identical results:
 *  - `runEpoch(EpochInput): EpochOutput`, rows as arrays of [uid, value] pairs (case files, CLI,
 *    tests);
 *  - `runEpochFlat(FlatEpochInput): FlatEpochOutput`, rows in CSR form over u16 typed arrays and
 *    vectors as typed arrays. This is what a caller that runs many or big epochs (the runtime's
 *    epoch driver) should use: for a 4096-uid subnet with 256 dense validators, building and
 *    collecting one JS array per weight/bond entry costs more than the epoch itself.
 */
import { runEpochReference } from "./epoch-reference.js";
import { fromFlatInput, packRows, toEpochOutput, toFlatInput, toFlatOutput } from "./fast/convert.js";
import { epochFast, FastPathUnavailable } from "./fast/epoch-fast.js";
import { Slot } from "./fast/pool.js";
import type { EpochInput, EpochOutput, FlatEpochInput, FlatEpochOutput, FlatRows } from "./types.js";
import { validateEpochInput, validateFlatEpochInput } from "./validate.js";

export type {
  EpochInput,
  EpochOutput,
  FlatEpochInput,
  FlatEpochOutput,
  FlatRows,
  YumaHyperparameters,
  YumaVersion,
  U16Row,
} from "./types.js";
export { defaultHyperparameters, activityCutoffBlocks } from "./types.js";
export { runEpochReference } from "./epoch-reference.js";
export { releaseEpochBuffers } from "./fast/pool.js";

/**
 * Runs one epoch. Throws YumaError (BAD_INPUT) for structurally invalid input (wrong lengths,
 * values outside their Rust types). Choices where Subtensor leaves room:
 *  - entries with uid ≥ n are ignored (yuma-spec.md §2), also in bond rows;
 *  - current version: a uid that neither had nor gets a validator permit ends with an empty
 *    bond row, as Subtensor's `persist_mechanism_epoch_terms` rewrites every row from the epoch
 *    terms (whose default bond row is empty); classic leaves such rows untouched;
 *  - where Rust would panic (`from_num` overflow of an absurd bonds_moving_average) we saturate.
 */
export function runEpoch(input: EpochInput): EpochOutput {
  let weights: FlatRows | undefined;
  let bonds: FlatRows | undefined;
  // the rows are checked while they are packed into CSR (one pass over the entries)
  validateEpochInput(input, (field, rows, n) => {
    const packed = packRows(field, rows, n, true, field === "weights" ? Slot.PackedWeights : Slot.PackedBonds);
    if (field === "weights") weights = packed;
    else bonds = packed;
  });
  try {
    return toEpochOutput(epochFast(toFlatInput(input, weights!, bonds!)));
  } catch (e) {
    if (e instanceof FastPathUnavailable) return runEpochReference(input);
    throw e;
  }
}

/**
 * `runEpoch` on flat arrays: the same checks (YumaError BAD_INPUT; rows must be well-formed CSR
 * over Uint32Array/Uint16Array) and the same values, with vectors as typed arrays (booleans as
 * 0/1, u64 amounts in BigUint64Array) and the bond rows in CSR. The output owns its arrays (its
 * `bonds` can be stored and passed back as the next epoch's input); the input is only read.
 * A storage layer holding Weights/Bonds as SCALE `Vec<(u16, u16)>` can decode them straight into
 * the CSR arrays (two u16 per entry after the length prefix).
 */
export function runEpochFlat(input: FlatEpochInput, opts: EpochRunOptions = {}): FlatEpochOutput {
  validateFlatEpochInput(input);
  try {
    return epochFast(input);
  } catch (e) {
    if (!(e instanceof FastPathUnavailable)) throw e;
    opts.onReferenceFallback?.(e.message);
    return toFlatOutput(runEpochReference(fromFlatInput(input)));
  }
}

export interface EpochRunOptions {
  /**
   * Called (before the reference runs) when the fast path refuses the input because an
   * intermediate value could leave its proven-exact range: the result is the same, only slower.
   * `reason` names the kernel and operands that refused.
   */
  onReferenceFallback?(reason: string): void;
}

/**
 * The flat form of an EpochInput (rows packed into CSR over fresh arrays; vectors shared). Throws
 * YumaError (BAD_INPUT) for malformed rows, as runEpoch would.
 */
export function flattenEpochInput(input: EpochInput): FlatEpochInput {
  return toFlatInput(input, packRows("weights", input.weights, input.n, true), packRows("bonds", input.bonds, input.n, true));
}

/** EpochOutput from the flat output (bond rows as [uid, value] pairs). */
export function unflattenEpochOutput(output: FlatEpochOutput): EpochOutput {
  return toEpochOutput(output);
}
