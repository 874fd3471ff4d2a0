/**
 * SubtensorModule's Error enum: the 60 variants of classic Subtensor at de1026780
 * (`pallets/subtensor/src/errors.rs`) in their order (error index = position), then the few
 * variants our classic-behaviour calls need that only exist later (appended, so every classic
 * index is unchanged; their indices differ from HEAD's, where the enum was reordered).
 *
 * `subtensorError(name)` builds the DispatchError directly from this table, so domain code can
 * throw before the Pallet object exists; the Pallet built from SUBTENSOR_ERRORS produces the same
 * Module { index: 7, error: [i, 0, 0, 0] }.
 */
import type { ErrorDecl } from "../../frame/pallet.js";
import { DispatchError } from "../../frame/dispatch.js";

export const SUBTENSOR_PALLET_INDEX = 7;

const CLASSIC = [
  ["SubNetworkDoesNotExist", "The subnet does not exist."],
  ["RootNetworkDoesNotExist", "The root network does not exist."],
  ["InvalidIpType", "The user is trying to serve an axon which is not of type 4 (IPv4) or 6 (IPv6)."],
  ["InvalidIpAddress", "An invalid IP address is passed to the serve function."],
  ["InvalidPort", "An invalid port is passed to the serve function."],
  ["HotKeyNotRegisteredInSubNet", "The hotkey is not registered in subnet"],
  ["HotKeyAccountNotExists", "The hotkey does not exists"],
  ["HotKeyNotRegisteredInNetwork", "The hotkey is not registered in any subnet."],
  ["NonAssociatedColdKey", "Request to stake, unstake or subscribe is made by a coldkey that is not associated with the hotkey account."],
  ["HotKeyNotDelegateAndSignerNotOwnHotKey", "The hotkey is not a delegate and the signer is not the owner of the hotkey."],
  ["StakeToWithdrawIsZero", "Stake amount to withdraw is zero."],
  ["NotEnoughStakeToWithdraw", 'The caller is requesting removing more stake than there exists in the staking account. See: "[remove_stake()]".'],
  [
    "NotEnoughStakeToSetWeights",
    "The caller is requesting to set weights but the caller has less than minimum stake required to set weights (less than WeightsMinStake).",
  ],
  ["NotEnoughBalanceToStake", 'The caller is requesting adding more stake than there exists in the coldkey account. See: "[add_stake()]"'],
  [
    "BalanceWithdrawalError",
    "The caller is trying to add stake, but for some reason the requested amount could not be withdrawn from the coldkey account.",
  ],
  ["ZeroBalanceAfterWithdrawn", "Unsuccessfully withdraw, balance could be zero (can not make account exist) after withdrawal."],
  ["NeuronNoValidatorPermit", "The caller is attempting to set non-self weights without being a permitted validator."],
  ["WeightVecNotEqualSize", "The caller is attempting to set the weight keys and values but these vectors have different size."],
  ["DuplicateUids", "The caller is attempting to set weights with duplicate UIDs in the weight matrix."],
  ["UidVecContainInvalidOne", "The caller is attempting to set weight to at least one UID that does not exist in the metagraph."],
  ["WeightVecLengthIsLow", "The dispatch is attempting to set weights on chain with fewer elements than are allowed."],
  [
    "TooManyRegistrationsThisBlock",
    'Number of registrations in this block exceeds the allowed number (i.e., exceeds the subnet hyperparameter "max_regs_per_block").',
  ],
  ["HotKeyAlreadyRegisteredInSubNet", "The caller is requesting registering a neuron which already exists in the active set."],
  ["NewHotKeyIsSameWithOld", "The new hotkey is the same as old one"],
  ["InvalidWorkBlock", "The supplied PoW hash block is in the future or negative."],
  ["InvalidDifficulty", "The supplied PoW hash block does not meet the network difficulty."],
  ["InvalidSeal", "The supplied PoW hash seal does not match the supplied work."],
  [
    "MaxWeightExceeded",
    "The dispatch is attempting to set weights on chain with weight value exceeding the MaxWeightLimit (max_weight_limit subnet hyperparameter).",
  ],
  ["HotKeyAlreadyDelegate", "The hotkey is attempting to become a delegate when the hotkey is already a delegate."],
  ["SettingWeightsTooFast", "A transactor exceeded the rate limit for setting weights."],
  ["IncorrectWeightVersionKey", "A validator is attempting to set weights from a validator with incorrect weight version."],
  ["ServingRateLimitExceeded", "An axon or prometheus serving exceeded the rate limit for a registered neuron."],
  ["UidsLengthExceedUidsInSubNet", "The caller is attempting to set weights with more UIDs than allowed."],
  ["NetworkTxRateLimitExceeded", "A transactor exceeded the rate limit for add network transaction."],
  ["DelegateTxRateLimitExceeded", "A transactor exceeded the rate limit for delegate transaction."],
  ["HotKeySetTxRateLimitExceeded", "A transactor exceeded the rate limit for setting or swapping hotkey."],
  ["StakeRateLimitExceeded", "A transactor exceeded the rate limit for staking."],
  ["UnstakeRateLimitExceeded", "A transactor exceeded the rate limit for unstaking."],
  ["SubNetRegistrationDisabled", "Registration is disabled."],
  ["TooManyRegistrationsThisInterval", "The number of registration attempts exceeded the allowed number in the interval."],
  ["TransactorAccountShouldBeHotKey", "The hotkey is required to be the origin."],
  ["NotSenateMember", "A hotkey is attempting to do something only senate members can do."],
  ["FaucetDisabled", "Faucet is disabled."],
  ["NotSubnetOwner", "Not a subnet owner."],
  ["RegistrationNotPermittedOnRootSubnet", "Operation is not permitted on the root subnet."],
  ["StakeTooLowForRoot", "A hotkey with too little stake is attempting to join the root subnet."],
  ["AllNetworksInImmunity", "All subnets are in the immunity period."],
  ["NotEnoughBalanceToPaySwapHotKey", "Not enough balance to pay swapping hotkey."],
  ["NotRootSubnet", "Netuid does not match for setting root network weights."],
  ["CanNotSetRootNetworkWeights", "Can not set weights for the root network."],
  ["NoNeuronIdAvailable", "No neuron ID is available."],
  ["NomStakeBelowMinimumThreshold", "Stake amount below the minimum threshold for nominator validations."],
  ["DelegateTakeTooLow", "Delegate take is too low."],
  ["DelegateTakeTooHigh", "Delegate take is too high."],
  ["WeightsCommitNotAllowed", "Not allowed to commit weights."],
  ["NoWeightsCommitFound", "No commit found for the provided hotkey+netuid combination when attempting to reveal the weights."],
  ["InvalidRevealCommitTempo", "Not the correct block/range to reveal weights."],
  ["InvalidRevealCommitHashNotMatch", "Committed hash does not equal the hashed reveal data."],
  ["CommitRevealEnabled", "Attempting to call set_weights when commit/reveal is enabled"],
  ["CommitRevealDisabled", "Attemtping to commit/reveal weights when disabled."],
] as const;

/**
 * Appended: variants that only exist after de1026780 (late-2024 classic and HEAD), needed by the
 * liquid-alpha hyperparameter setters (`sudo_set_liquid_alpha_enabled` / `sudo_set_alpha_values`
 * call `do_set_alpha_values`, which raises these in the Subtensor pallet).
 */
const LATER = [
  ["LiquidAlphaDisabled", "Attempting to set alpha high/low while disabled"],
  ["AlphaHighTooLow", "Alpha high is too low: alpha_high > 0.8"],
  ["AlphaLowOutOfRange", "Alpha low is out of range: alpha_low > 0 && alpha_low < 0.8"],
] as const;

export type SubtensorErrorName = (typeof CLASSIC)[number][0] | (typeof LATER)[number][0];

/** Number of errors that exist at de1026780 (indices 0…59). */
export const CLASSIC_ERROR_COUNT = CLASSIC.length;

/** In index order. */
export const SUBTENSOR_ERRORS: ErrorDecl[] = [...CLASSIC, ...LATER].map(([name, doc]) => ({ name, docs: [doc] }));

const INDEX = new Map<string, number>(SUBTENSOR_ERRORS.map((e, i) => [e.name, i]));
if (INDEX.size !== SUBTENSOR_ERRORS.length) throw new Error("SubtensorModule: duplicate error names");

/** The error's index in the Error enum (its first error byte); throws on an unknown name. */
export function subtensorErrorIndex(name: SubtensorErrorName): number {
  const i = INDEX.get(name);
  if (i === undefined) throw new Error(`SubtensorModule has no error ${String(name)}`);
  return i;
}

/** The DispatchError for one of SubtensorModule's errors: Module { index: 7, error: [i, 0, 0, 0] }. */
export function subtensorError(name: SubtensorErrorName): DispatchError {
  const i = subtensorErrorIndex(name);
  return new DispatchError({ tag: "Module", value: { index: SUBTENSOR_PALLET_INDEX, error: new Uint8Array([i, 0, 0, 0]) } }, `SubtensorModule.${name}`);
}

/** Whether `e` is the given SubtensorModule error (for tests and error mapping). */
export function isSubtensorError(e: unknown, name: SubtensorErrorName): boolean {
  if (!(e instanceof DispatchError) || e.error.tag !== "Module") return false;
  const v = e.error.value as { index: number; error: Uint8Array };
  return v.index === SUBTENSOR_PALLET_INDEX && v.error[0] === subtensorErrorIndex(name);
}

/** `SubtensorErrors.error("SubNetworkDoesNotExist")`: the same as subtensorError. */
export const SubtensorErrors = {
  index: SUBTENSOR_PALLET_INDEX,
  error: subtensorError,
  indexOf: subtensorErrorIndex,
  is: isSubtensorError,
} as const;
