/**
 * One Yuma consensus epoch for one subnet: a pure function of the subnet state (EpochInput) to
 * Subtensor's stored outputs (EpochOutput), bit-exact with Subtensor (yuma-spec.md).
 *
 * Two implementations with identical results:
 *  - `runEpochFast` (fast/): I32F32 bits as exact integers in JS numbers and typed arrays, for
 *    the sizes the chain runs (a few ms for 256 uids). It refuses (FastPathUnavailable) any input
 *    for which an intermediate value could leave the range where its arithmetic is proven exact.
 *  - `runEpochReference`: bigint transliteration of the Rust code, used for those inputs and as
 *    the oracle of the property tests.
 */
import { runEpochReference } from "./epoch-reference.js";
import { FastPathUnavailable, runEpochFast } from "./fast/epoch-fast.js";
import type { EpochInput, EpochOutput } from "./types.js";
import { validateEpochInput } from "./validate.js";

export type { EpochInput, EpochOutput, YumaHyperparameters, YumaVersion, U16Row } from "./types.js";
export { defaultHyperparameters, activityCutoffBlocks } from "./types.js";
export { runEpochReference } from "./epoch-reference.js";

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
  validateEpochInput(input);
  try {
    return runEpochFast(input);
  } catch (e) {
    if (e instanceof FastPathUnavailable) return runEpochReference(input);
    throw e;
  }
}
