/**
 * Yuma consensus, bit-exact with Subtensor (yuma-spec.md): one epoch as a pure function, the
 * case-file format, and the fixed-point layer it is built on.
 */
export {
  runEpoch,
  runEpochFlat,
  flattenEpochInput,
  unflattenEpochOutput,
  runEpochReference,
  releaseEpochBuffers,
  defaultHyperparameters,
  activityCutoffBlocks,
} from "./epoch.js";
export type { EpochInput, EpochOutput, FlatEpochInput, FlatEpochOutput, FlatRows, YumaHyperparameters, YumaVersion, U16Row } from "./types.js";
export type { EpochRunOptions } from "./epoch.js";
export { parseCase, parseCases, caseToInput, formatOutput, formatTable, outputToJson } from "./case.js";
export { vecU16MaxUpscaleToU16 } from "./math.js";
export { YumaError } from "./errors.js";
export { I32F32, I64F64, I96F32, U64F64, I110F18, FixedType } from "./fixed.js";
