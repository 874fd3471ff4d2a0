/**
 * Classic Subtensor constants and defaults (commit de1026780, 2024-07-02).
 *
 * - `Initial*`: the runtime's `pallet_subtensor::Config` values (`runtime/src/lib.rs`,
 *   `SubtensorInitial*` parameter_types), which the pallet's `#[pallet::type_value]` defaults read
 *   and which the metadata lists as the pallet's constants (see SUBTENSOR_CONSTANTS in pallet.ts).
 * - `Default*`: defaults hard-coded in `pallets/subtensor/src/lib.rs`.
 * - `NEW_SUBNET_*`: what `init_new_network` (root.rs) writes explicitly for a subnet created by
 *   `register_network`; `ROOT_*`: what genesis / `migrate_create_root_network` writes for netuid 0.
 * - HEAD-only values (liquid alpha, Yuma3) are marked as such.
 *
 * Amounts are RAO (1 TAO = 10^9 RAO); u64 values are bigint, u16 values number.
 */

export const RAO_PER_TAO = 1_000_000_000n;
export const U64_MAX = (1n << 64n) - 1n;
export const U16_MAX = 65_535;

// ------------------------------------------------------------------ runtime Config (SubtensorInitial*)

/** InitialIssuance (SubtensorInitialIssuance = 0; genesis overwrites TotalIssuance with the balances sum). */
export const InitialIssuance = 0n;
/** InitialMinAllowedWeights (1024). */
export const InitialMinAllowedWeights = 1024;
/** InitialEmissionValue (0; unused by logic). */
export const InitialEmissionValue = 0;
/** InitialMaxWeightsLimit (1000 = 1000/65535 ≈ 0.015). HEAD: 65535. */
export const InitialMaxWeightsLimit = 1000;
/** InitialTempo (99; 10 with fast-blocks). HEAD: 360. */
export const InitialTempo = 99;
/** InitialDifficulty (10_000_000). */
export const InitialDifficulty = 10_000_000n;
/** InitialMaxDifficulty (u64::MAX / 4). */
export const InitialMaxDifficulty = U64_MAX / 4n;
/** InitialMinDifficulty (10_000_000). */
export const InitialMinDifficulty = 10_000_000n;
/** InitialRAORecycledForRegistration (0). */
export const InitialRAORecycledForRegistration = 0n;
/** InitialBurn (1 TAO). HEAD: 0.1 TAO. */
export const InitialBurn = 1_000_000_000n;
/** InitialMaxBurn (100 TAO). */
export const InitialMaxBurn = 100_000_000_000n;
/** InitialMinBurn (1 TAO). HEAD: 0.0005 TAO. */
export const InitialMinBurn = 1_000_000_000n;
/** InitialAdjustmentInterval (100). */
export const InitialAdjustmentInterval = 100;
/** InitialBondsMovingAverage (900_000 → bonds EMA keeps 0.9 of the old bonds). */
export const InitialBondsMovingAverage = 900_000n;
/** InitialTargetRegistrationsPerInterval (2). */
export const InitialTargetRegistrationsPerInterval = 2;
/** InitialRho (10). */
export const InitialRho = 10;
/** InitialKappa (32_767 ≈ 0.5). */
export const InitialKappa = 32_767;
/** InitialMaxAllowedUids (4096). HEAD: 256. */
export const InitialMaxAllowedUids = 4096;
/** InitialValidatorPruneLen (1). */
export const InitialValidatorPruneLen = 1n;
/** InitialScalingLawPower (50 = 0.5). */
export const InitialScalingLawPower = 50;
/** InitialImmunityPeriod (4096). */
export const InitialImmunityPeriod = 4096;
/** InitialActivityCutoff (5000). */
export const InitialActivityCutoff = 5000;
/** InitialMaxRegistrationsPerBlock (1). */
export const InitialMaxRegistrationsPerBlock = 1;
/** InitialPruningScore (u16::MAX). */
export const InitialPruningScore = U16_MAX;
/** InitialMaxAllowedValidators (128). */
export const InitialMaxAllowedValidators = 128;
/** InitialDefaultTake (11_796 ≈ 18 %): default delegate take, MaxTake's default and Delegates' default. */
export const InitialDefaultTake = 11_796;
/** InitialMinTake (5_898 ≈ 9 %). HEAD: MinDelegateTake default 0. */
export const InitialMinTake = 5_898;
/** InitialWeightsVersionKey (0). */
export const InitialWeightsVersionKey = 0n;
/** InitialServingRateLimit (50 blocks). */
export const InitialServingRateLimit = 50n;
/** InitialTxRateLimit (1000 blocks). */
export const InitialTxRateLimit = 1000n;
/** InitialTxDelegateTakeRateLimit (216_000 blocks ≈ 30 days). */
export const InitialTxDelegateTakeRateLimit = 216_000n;
/** InitialSenateRequiredStakePercentage (1 %). */
export const InitialSenateRequiredStakePercentage = 1n;
/** InitialAdjustmentAlpha (0: no weight to the previous value). */
export const InitialAdjustmentAlpha = 0n;
/** InitialNetworkImmunityPeriod (SubtensorInitialNetworkImmunity = 7 × 7200). HEAD: 1_296_000. */
export const InitialNetworkImmunityPeriod = 7n * 7200n;
/** InitialNetworkMinAllowedUids (SubtensorInitialMinAllowedUids = 128). */
export const InitialNetworkMinAllowedUids = 128;
/** InitialNetworkMinLockCost (SubtensorInitialMinLockCost = 1000 TAO). */
export const InitialNetworkMinLockCost = 1_000_000_000_000n;
/** InitialSubnetOwnerCut (11_796 ≈ 18 %). */
export const InitialSubnetOwnerCut = 11_796;
/** InitialNetworkLockReductionInterval (14 × 7200 blocks ≈ 14 days). */
export const InitialNetworkLockReductionInterval = 14n * 7200n;
/** InitialSubnetLimit (12). HEAD: 128. */
export const InitialSubnetLimit = 12;
/** InitialNetworkRateLimit (7200 blocks; the pallet returns 0 instead in `pow-faucet` builds). */
export const InitialNetworkRateLimit = 7200n;
/** InitialTargetStakesPerInterval (1; declared Get<u64> in Config). */
export const InitialTargetStakesPerInterval = 1n;

// ------------------------------------------------------------------ pallet-internal defaults (lib.rs)

/** TotalSupply type_value: 21_000_000 TAO in RAO. */
export const TotalSupply = 21_000_000_000_000_000n;
/** DefaultBlockEmission: 1 TAO per block. */
export const DefaultBlockEmission = 1_000_000_000n;
/** DefaultStakeInterval: 360 blocks. */
export const DefaultStakeInterval = 360n;
/** DefaultWeightsSetRateLimit: 100 blocks. */
export const DefaultWeightsSetRateLimit = 100n;
/** DefaultWeightCommitRevealInterval: 1000 blocks. */
export const DefaultWeightCommitRevealInterval = 1000n;

// ------------------------------------------------------------------ later additions (HEAD runtime values)

/** HEAD InitialAlphaLow (45_875 ≈ 0.7). */
export const InitialAlphaLow = 45_875;
/** HEAD InitialAlphaHigh (58_982 ≈ 0.9). */
export const InitialAlphaHigh = 58_982;
/** HEAD InitialLiquidAlphaOn (false). */
export const InitialLiquidAlphaOn = false;
/** HEAD InitialYuma3On (false). */
export const InitialYuma3On = false;
/** HEAD SubtensorInitialBondsPenalty (u16::MAX: bonds from clipped weights). */
export const InitialBondsPenalty = U16_MAX;
/** HEAD SubtensorInitialAlphaSigmoidSteepness (1000, i16). */
export const InitialAlphaSigmoidSteepness = 1000;

// ------------------------------------------------------------------ init_new_network (root.rs) — register_network's explicit values

/** `user_add_network` calls `init_new_network(netuid, 360)`. */
export const NEW_SUBNET_TEMPO = 360;
export const NEW_SUBNET_MAX_ALLOWED_UIDS = 256;
export const NEW_SUBNET_MAX_ALLOWED_VALIDATORS = 64;
export const NEW_SUBNET_MIN_ALLOWED_WEIGHTS = 1;
export const NEW_SUBNET_MAX_WEIGHTS_LIMIT = U16_MAX;
export const NEW_SUBNET_ADJUSTMENT_INTERVAL = 360;
export const NEW_SUBNET_TARGET_REGISTRATIONS_PER_INTERVAL = 1;
/** 0.97 × u64::MAX, as the Rust literal 17_893_341_751_498_265_066. */
export const NEW_SUBNET_ADJUSTMENT_ALPHA = 17_893_341_751_498_265_066n;
export const NEW_SUBNET_IMMUNITY_PERIOD = 5000;
/** 1 RAO. */
export const NEW_SUBNET_MIN_BURN = 1n;
/** u64::MAX: PoW registration effectively off. */
export const NEW_SUBNET_MIN_DIFFICULTY = U64_MAX;
export const NEW_SUBNET_MAX_DIFFICULTY = U64_MAX;

// ------------------------------------------------------------------ root network (netuid 0): genesis / migrate_create_root_network

export const ROOT_NETUID = 0;
/** Max root validators (senate size). */
export const ROOT_MAX_ALLOWED_UIDS = 64;
export const ROOT_MAX_ALLOWED_VALIDATORS = 64;
export const ROOT_MIN_ALLOWED_WEIGHTS = 0;
export const ROOT_MAX_WEIGHTS_LIMIT = U16_MAX;
export const ROOT_TEMPO = 100;
export const ROOT_TARGET_REGISTRATIONS_PER_INTERVAL = 1;

// ------------------------------------------------------------------ other classic logic constants

/** Registrations per interval are capped at 3 × TargetRegistrationsPerInterval (registration.rs, root.rs). */
export const MAX_REGISTRATIONS_PER_INTERVAL_FACTOR = 3;
/** `do_swap_hotkey`: swap cost 1 TAO (burned). */
export const HOTKEY_SWAP_COST = 1_000_000_000n;
/** `do_faucet` (pow-faucet builds): 100 TAO per call. */
export const FAUCET_AMOUNT = 100_000_000_000n;
/** PoW `register`: the work block must be at most this many blocks old (current − block < 3). */
export const POW_WORK_MAX_AGE = 3n;
/** Halving reference: issuance at which the first halving happens (10.5M TAO). */
export const HALVING_ISSUANCE = 10_500_000_000_000_000n;
/** Blocks per day at 12 s blocks. */
export const BLOCKS_PER_DAY = 7200;
