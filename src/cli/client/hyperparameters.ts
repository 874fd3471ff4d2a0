/**
 * Subnet hyperparameters by the names btcli prints (`subnet hyperparameters`), with the storage
 * item each is read from and the AdminUtils setter that changes it (`sudo set NAME VALUE`).
 *
 * `sudo set` itself accepts every AdminUtils `sudo_set_<name>` the node's metadata lists, by
 * `<name>` (so new setters work without a change here); this table only adds btcli's short names
 * as aliases and tells the reader which storage item shows the value.
 */

export interface HyperparameterDef {
  /** btcli's name */
  name: string;
  /** `api.query.subtensorModule.<storage>(netuid)` */
  storage: string;
  /** the AdminUtils call without `sudo_set_` */
  setter: string;
  /** how to show the value: raw number, a u16 fraction, RAO as TAO, a u64 fraction */
  format?: "u16fraction" | "tao" | "u64fraction";
}

export const SUBNET_HYPERPARAMETERS: HyperparameterDef[] = [
  { name: "rho", storage: "rho", setter: "rho" },
  { name: "kappa", storage: "kappa", setter: "kappa", format: "u16fraction" },
  { name: "immunity_period", storage: "immunityPeriod", setter: "immunity_period" },
  { name: "min_allowed_weights", storage: "minAllowedWeights", setter: "min_allowed_weights" },
  { name: "max_weights_limit", storage: "maxWeightsLimit", setter: "max_weight_limit", format: "u16fraction" },
  { name: "tempo", storage: "tempo", setter: "tempo" },
  { name: "min_difficulty", storage: "minDifficulty", setter: "min_difficulty" },
  { name: "max_difficulty", storage: "maxDifficulty", setter: "max_difficulty" },
  { name: "difficulty", storage: "difficulty", setter: "difficulty" },
  { name: "weights_version", storage: "weightsVersionKey", setter: "weights_version_key" },
  { name: "weights_rate_limit", storage: "weightsSetRateLimit", setter: "weights_set_rate_limit" },
  { name: "adjustment_interval", storage: "adjustmentInterval", setter: "adjustment_interval" },
  { name: "adjustment_alpha", storage: "adjustmentAlpha", setter: "adjustment_alpha", format: "u64fraction" },
  { name: "activity_cutoff", storage: "activityCutoff", setter: "activity_cutoff" },
  { name: "registration_allowed", storage: "networkRegistrationAllowed", setter: "network_registration_allowed" },
  { name: "pow_registration_allowed", storage: "networkPowRegistrationAllowed", setter: "network_pow_registration_allowed" },
  { name: "target_regs_per_interval", storage: "targetRegistrationsPerInterval", setter: "target_registrations_per_interval" },
  { name: "max_regs_per_block", storage: "maxRegistrationsPerBlock", setter: "max_registrations_per_block" },
  { name: "burn", storage: "burn", setter: "", format: "tao" },
  { name: "min_burn", storage: "minBurn", setter: "min_burn", format: "tao" },
  { name: "max_burn", storage: "maxBurn", setter: "max_burn", format: "tao" },
  { name: "bonds_moving_avg", storage: "bondsMovingAverage", setter: "bonds_moving_average" },
  { name: "bonds_penalty", storage: "bondsPenalty", setter: "bonds_penalty", format: "u16fraction" },
  { name: "serving_rate_limit", storage: "servingRateLimit", setter: "serving_rate_limit" },
  { name: "max_validators", storage: "maxAllowedValidators", setter: "max_allowed_validators" },
  { name: "max_allowed_uids", storage: "maxAllowedUids", setter: "max_allowed_uids" },
  { name: "commit_reveal_weights_interval", storage: "weightCommitRevealInterval", setter: "commit_reveal_weights_interval" },
  { name: "commit_reveal_weights_enabled", storage: "commitRevealWeightsEnabled", setter: "commit_reveal_weights_enabled" },
  { name: "liquid_alpha_enabled", storage: "liquidAlphaOn", setter: "liquid_alpha_enabled" },
  { name: "alpha_values", storage: "alphaValues", setter: "alpha_values" },
  { name: "alpha_sigmoid_steepness", storage: "alphaSigmoidSteepness", setter: "alpha_sigmoid_steepness" },
  { name: "yuma3_enabled", storage: "yuma3On", setter: "yuma3_enabled" },
];

/** btcli's short names → the setter names the metadata uses (`sudo set weights_version 3`). */
export const SETTER_ALIASES: Record<string, string> = Object.fromEntries(
  SUBNET_HYPERPARAMETERS.filter((h) => h.setter && h.setter !== h.name).map((h) => [h.name, h.setter]),
);

/** `sudo_set_tempo` ↔ `tempo`; `sudoSetTempo` ↔ `tempo`. */
export function setterName(call: string): string | undefined {
  const snake = call.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const m = /^sudo_set_(.+)$/.exec(snake);
  return m ? m[1] : undefined;
}
