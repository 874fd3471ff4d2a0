/**
 * Input and output of one Yuma epoch for one subnet (yuma-spec.md §2), in Subtensor's storage
 * forms: u16 values as numbers, u64 values (blocks, stake, RAO) as bigints.
 */

/** "current" = Subtensor 14bc6f9f9 (sparse `epoch_mechanism`); "classic" = 688d4a7ff (2024). */
export type YumaVersion = "current" | "classic";

/** A stored sparse row: [uid, u16 value] pairs in storage order. */
export type U16Row = Array<[number, number]>;

export interface YumaHyperparameters {
  /** u16; consensus majority = kappa/65535 */
  kappa: number;
  /** u64; EMA keeps bonds_moving_average/1e6 of the old bonds */
  bondsMovingAverage: bigint;
  /** u16; 0 = raw weights for bonds, 65535 = clipped weights (current only) */
  bondsPenalty: number;
  /** u64; EFFECTIVE cutoff in blocks (current: max(1, factor·tempo/1000)) */
  activityCutoff: bigint;
  /** u16 */
  maxAllowedValidators: number;
  /** u16; used by the current bonds mask */
  tempo: number;
  /** u64; `LastMechansimStepBlock` (0 when epochs are called directly) */
  lastMechanismStepBlock: bigint;
  liquidAlphaEnabled: boolean;
  /** u16 proportions */
  alphaLow: number;
  alphaHigh: number;
  /** i16 */
  alphaSigmoidSteepness: number;
  /** current only: Yuma3 bonds when true, Yuma2 otherwise */
  yuma3Enabled: boolean;
  /** u64 (current only): stake below this is ignored, except the owner's */
  stakeThreshold: bigint;
  /** current only: uid of the subnet owner hotkey, if registered */
  ownerUid: number | null;
}

export interface EpochInput {
  version: YumaVersion;
  /** SubnetworkN; uids are 0..n−1 */
  n: number;
  currentBlock: bigint;
  raoEmission: bigint;
  /** u64 per uid: integer part of the stake weight */
  stake: bigint[];
  lastUpdate: bigint[];
  blockAtRegistration: bigint[];
  /** stored ValidatorPermit before the epoch */
  validatorPermit: boolean[];
  /** stored Weights rows (max-upscaled u16), one per uid */
  weights: U16Row[];
  /** stored Bonds rows, one per uid */
  bonds: U16Row[];
  hyperparameters: YumaHyperparameters;
}

export interface EpochOutput {
  active: boolean[];
  validatorPermit: boolean[];
  stakeWeight: number[];
  consensus: number[];
  incentive: number[];
  dividends: number[];
  validatorTrust: number[];
  rank: number[];
  trust: number[];
  pruningScores: number[];
  /** combined emission (the `Emission` storage item) */
  emission: bigint[];
  serverEmission: bigint[];
  validatorEmission: bigint[];
  /** Bonds rows after the epoch */
  bonds: U16Row[];
}

/** Chain defaults (yuma-spec.md §2), except max validators: `init_new_network` sets 64. */
export function defaultHyperparameters(): YumaHyperparameters {
  return {
    kappa: 32767,
    bondsMovingAverage: 900_000n,
    bondsPenalty: 65535,
    activityCutoff: 5000n,
    maxAllowedValidators: 64,
    tempo: 360,
    lastMechanismStepBlock: 0n,
    liquidAlphaEnabled: false,
    alphaLow: 45875,
    alphaHigh: 58982,
    alphaSigmoidSteepness: 1000,
    yuma3Enabled: false,
    stakeThreshold: 0n,
    ownerUid: null,
  };
}

/** `get_activity_cutoff_blocks`: max(1, factor_milli·tempo/1000) (current chain). */
export function activityCutoffBlocks(tempo: number, factorMilli = 13_889): bigint {
  const v = (BigInt(factorMilli) * BigInt(tempo)) / 1000n;
  return v < 1n ? 1n : v;
}

/**
 * Sparse u16 rows in compressed form (CSR): row i is entries start[i] .. start[i+1]−1 of
 * `col`/`val`, in storage order. start has n+1 entries, start[0] = 0, non-decreasing, and
 * start[n] = col.length = val.length. Used by the flat epoch API (`runEpochFlat`).
 */
export interface FlatRows {
  start: Uint32Array;
  col: Uint16Array;
  val: Uint16Array;
}

/**
 * EpochInput with the sparse rows in CSR form, for callers that hold (or decode) Weights and
 * Bonds as flat arrays: it avoids one JS array per entry, which dominates the cost of big
 * subnets. Per-uid vectors may be plain arrays or typed arrays.
 */
export interface FlatEpochInput {
  version: YumaVersion;
  n: number;
  currentBlock: bigint;
  raoEmission: bigint;
  stake: ArrayLike<bigint>;
  lastUpdate: ArrayLike<bigint>;
  blockAtRegistration: ArrayLike<bigint>;
  /** booleans, or 0/1 */
  validatorPermit: ArrayLike<boolean> | ArrayLike<number>;
  weights: FlatRows;
  bonds: FlatRows;
  hyperparameters: YumaHyperparameters;
}

/** EpochOutput in typed arrays (booleans as 0/1); same values as `runEpoch` produces. */
export interface FlatEpochOutput {
  active: Uint8Array;
  validatorPermit: Uint8Array;
  stakeWeight: Uint16Array;
  consensus: Uint16Array;
  incentive: Uint16Array;
  dividends: Uint16Array;
  validatorTrust: Uint16Array;
  rank: Uint16Array;
  trust: Uint16Array;
  pruningScores: Uint16Array;
  emission: BigUint64Array;
  serverEmission: BigUint64Array;
  validatorEmission: BigUint64Array;
  bonds: FlatRows;
}
