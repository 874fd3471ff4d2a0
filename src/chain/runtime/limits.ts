/**
 * Block limits, as Subtensor configures frame_system (runtime/src/lib.rs at 688d4a7ff):
 * BlockLength::max_with_normal_ratio(10 MiB, 75 %), BlockWeights::with_sensible_defaults(4 s of
 * ref time, 75 %). The author stops filling a block at these limits and import refuses blocks
 * beyond them (Substrate's CheckWeight: InvalidTransaction::ExhaustsResources).
 */
export const MAX_BLOCK_LENGTH = 10 * 1024 * 1024;
/** Normal-class extrinsics may use 75 % of the block length. */
export const MAX_NORMAL_LENGTH = Math.floor((MAX_BLOCK_LENGTH * 75) / 100);
/** 4 seconds of ref time, in picoseconds (WEIGHT_REF_TIME_PER_SECOND = 10^12). */
export const MAX_BLOCK_WEIGHT = 4n * 1_000_000_000_000n;
export const MAX_NORMAL_WEIGHT = (MAX_BLOCK_WEIGHT * 75n) / 100n;
