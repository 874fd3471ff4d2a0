/**
 * SubtensorModule's Event enum: the 59 variants of classic Subtensor at de1026780
 * (`pallets/subtensor/src/events.rs`) with their index = position and their field types exactly
 * as in Rust, then a few later (HEAD-only) events appended at indices 59+.
 *
 * Most Rust events are tuple variants (`NetworkAdded(u16, u16)`): they are declared here with
 * unnamed fields (a bare codec array, which EnumCodec encodes as a tuple variant). Event values:
 * - no field: `undefined` (`subtensorEvent("EmissionValuesSet")`);
 * - one unnamed field: the value itself (`subtensorEvent("NetworkRemoved", netuid)`);
 * - several unnamed fields: an array (`subtensorEvent("NetworkAdded", [netuid, 0])`);
 * - named fields: an object with camelCase keys (`HotkeySwapped { coldkey, oldHotkey, newHotkey }`).
 *
 * Limitation: EnumCodec's unnamed form takes bare codecs, so unnamed fields carry no `typeName`
 * in the metadata (Rust's would say e.g. "u16", "T::AccountId"); clients do not need it to decode.
 */
import { Codec, EnumCodec, bool, snakeToCamel, tuple, u16, u64, result, type EnumValue, type FieldSpec } from "../../../codec/scale.js";
import { AccountId32, DispatchErrorCodec, H256 } from "../../../codec/types.js";
import type { EventDecl } from "../../frame/pallet.js";
import { i16 } from "./storage.js";

/** Declares a tuple variant's fields (EnumCodec treats a codec array as unnamed fields). */
const unnamed = (...codecs: Codec<unknown>[]): FieldSpec[] => codecs as unknown as FieldSpec[];

const AccountId = AccountId32 as Codec<unknown>;
const U16 = u16 as Codec<unknown>;
const U64 = u64 as Codec<unknown>;
const BOOL = bool as Codec<unknown>;
/** `DispatchResult` = Result<(), DispatchError>. */
const DispatchResult = result(tuple(), DispatchErrorCodec) as Codec<unknown>;

const CLASSIC: Array<[string, FieldSpec[], string]> = [
  ["NetworkAdded", unnamed(U16, U16), "a new network is added."],
  ["NetworkRemoved", unnamed(U16), "a network is removed."],
  ["StakeAdded", unnamed(AccountId, U64), "stake has been transferred from the a coldkey account onto the hotkey staking account."],
  ["StakeRemoved", unnamed(AccountId, U64), "stake has been removed from the hotkey staking account onto the coldkey account."],
  ["WeightsSet", unnamed(U16, U16), "a caller successfully sets their weights on a subnetwork."],
  ["NeuronRegistered", unnamed(U16, U16, AccountId), "a new neuron account has been registered to the chain."],
  ["BulkNeuronsRegistered", unnamed(U16, U16), "multiple uids have been concurrently registered."],
  ["BulkBalancesSet", unnamed(U16, U16), "FIXME: Not used yet"],
  ["MaxAllowedUidsSet", unnamed(U16, U16), "max allowed uids has been set for a subnetwork."],
  ["MaxWeightLimitSet", unnamed(U16, U16), "the max weight limit has been set for a subnetwork."],
  ["DifficultySet", unnamed(U16, U64), "the difficulty has been set for a subnet."],
  ["AdjustmentIntervalSet", unnamed(U16, U16), "the adjustment interval is set for a subnet."],
  ["RegistrationPerIntervalSet", unnamed(U16, U16), "registration per interval is set for a subnet."],
  ["MaxRegistrationsPerBlockSet", unnamed(U16, U16), "we set max registrations per block."],
  ["ActivityCutoffSet", unnamed(U16, U16), "an activity cutoff is set for a subnet."],
  ["RhoSet", unnamed(U16, U16), "Rho value is set."],
  ["KappaSet", unnamed(U16, U16), "Kappa is set for a subnet."],
  ["MinAllowedWeightSet", unnamed(U16, U16), "minimum allowed weight is set for a subnet."],
  ["ValidatorPruneLenSet", unnamed(U16, U64), "the validator pruning length has been set."],
  ["ScalingLawPowerSet", unnamed(U16, U16), "the scaling law power has been set for a subnet."],
  ["WeightsSetRateLimitSet", unnamed(U16, U64), "weights set rate limit has been set for a subnet."],
  ["ImmunityPeriodSet", unnamed(U16, U16), "immunity period is set for a subnet."],
  ["BondsMovingAverageSet", unnamed(U16, U64), "bonds moving average is set for a subnet."],
  ["MaxAllowedValidatorsSet", unnamed(U16, U16), "setting the max number of allowed validators on a subnet."],
  ["AxonServed", unnamed(U16, AccountId), "the axon server information is added to the network."],
  ["PrometheusServed", unnamed(U16, AccountId), "the prometheus server information is added to the network."],
  ["EmissionValuesSet", [], "emission ratios for all networks is set."],
  ["DelegateAdded", unnamed(AccountId, AccountId, U16), "a hotkey has become a delegate."],
  ["DefaultTakeSet", unnamed(U16), "the default take is set."],
  ["WeightsVersionKeySet", unnamed(U16, U64), "weights version key is set for a network."],
  ["MinDifficultySet", unnamed(U16, U64), "setting min difficulty on a network."],
  ["MaxDifficultySet", unnamed(U16, U64), "setting max difficulty on a network."],
  ["ServingRateLimitSet", unnamed(U16, U64), "setting the prometheus serving rate limit."],
  ["BurnSet", unnamed(U16, U64), "setting burn on a network."],
  ["MaxBurnSet", unnamed(U16, U64), "setting max burn on a network."],
  ["MinBurnSet", unnamed(U16, U64), "setting min burn on a network."],
  ["TxRateLimitSet", unnamed(U64), "setting the transaction rate limit."],
  ["TxDelegateTakeRateLimitSet", unnamed(U64), "setting the delegate take transaction rate limit."],
  ["Sudid", unnamed(DispatchResult), "a sudo call is done."],
  ["RegistrationAllowed", unnamed(U16, BOOL), "registration is allowed/disallowed for a subnet."],
  ["PowRegistrationAllowed", unnamed(U16, BOOL), "POW registration is allowed/disallowed for a subnet."],
  ["TempoSet", unnamed(U16, U16), "setting tempo on a network"],
  ["RAORecycledForRegistrationSet", unnamed(U16, U64), "setting the RAO recycled for registration."],
  ["WeightsMinStake", unnamed(U64), "min stake is set for validators to set weights."],
  ["SenateRequiredStakePercentSet", unnamed(U64), "setting the minimum required stake amount for senate registration."],
  ["AdjustmentAlphaSet", unnamed(U16, U64), "setting the adjustment alpha on a subnet."],
  ["Faucet", unnamed(AccountId, U64), "the faucet it called on the test net."],
  ["SubnetOwnerCutSet", unnamed(U16), "the subnet owner cut is set."],
  ["NetworkRateLimitSet", unnamed(U64), "the network creation rate limit is set."],
  ["NetworkImmunityPeriodSet", unnamed(U64), "the network immunity period is set."],
  ["NetworkMinLockCostSet", unnamed(U64), "the network minimum locking cost is set."],
  ["SubnetLimitSet", unnamed(U16), "the maximum number of subnets is set"],
  ["NetworkLockCostReductionIntervalSet", unnamed(U64), "the lock cost reduction is set"],
  ["TakeDecreased", unnamed(AccountId, AccountId, U16), "the take for a delegate is decreased."],
  ["TakeIncreased", unnamed(AccountId, AccountId, U16), "the take for a delegate is increased."],
  [
    "HotkeySwapped",
    [
      { name: "coldkey", type: AccountId, typeName: "T::AccountId", docs: ["the account ID of coldkey"] },
      { name: "old_hotkey", type: AccountId, typeName: "T::AccountId", docs: ["the account ID of old hotkey"] },
      { name: "new_hotkey", type: AccountId, typeName: "T::AccountId", docs: ["the account ID of new hotkey"] },
    ],
    "the hotkey is swapped",
  ],
  ["MaxDelegateTakeSet", unnamed(U16), "maximum delegate take is set by sudo/admin transaction"],
  ["MinDelegateTakeSet", unnamed(U16), "minimum delegate take is set by sudo/admin transaction"],
  ["TargetStakesPerIntervalSet", unnamed(U64), "the target stakes per interval is set by sudo/admin transaction"],
];

/**
 * Appended (indices 59+): HEAD events for features we keep from later Subtensor. At HEAD their
 * netuid field is NetUid/NetUidStorageIndex (a u16 newtype); here a plain u16 like every classic event.
 */
const LATER: Array<[string, FieldSpec[], string]> = [
  ["WeightsCommitted", unnamed(AccountId, U16, H256 as Codec<unknown>), "Weights have been successfully committed. (who, netuid, commit_hash)"],
  ["WeightsRevealed", unnamed(AccountId, U16, H256 as Codec<unknown>), "Weights have been successfully revealed. (who, netuid, commit_hash)"],
  ["BondsPenaltySet", unnamed(U16, U16), "bonds penalty is set for a subnet."],
  ["AlphaSigmoidSteepnessSet", unnamed(U16, i16 as Codec<unknown>), "steepness of the sigmoid used to compute alpha values."],
];

/** Number of events that exist at de1026780 (indices 0…58). */
export const CLASSIC_EVENT_COUNT = CLASSIC.length;

export const SUBTENSOR_EVENTS: EventDecl[] = [...CLASSIC, ...LATER].map(([name, fields, doc], index) => ({ name, index, fields, docs: [doc] }));

export type SubtensorEventName =
  | "NetworkAdded"
  | "NetworkRemoved"
  | "StakeAdded"
  | "StakeRemoved"
  | "WeightsSet"
  | "NeuronRegistered"
  | "BulkNeuronsRegistered"
  | "BulkBalancesSet"
  | "MaxAllowedUidsSet"
  | "MaxWeightLimitSet"
  | "DifficultySet"
  | "AdjustmentIntervalSet"
  | "RegistrationPerIntervalSet"
  | "MaxRegistrationsPerBlockSet"
  | "ActivityCutoffSet"
  | "RhoSet"
  | "KappaSet"
  | "MinAllowedWeightSet"
  | "ValidatorPruneLenSet"
  | "ScalingLawPowerSet"
  | "WeightsSetRateLimitSet"
  | "ImmunityPeriodSet"
  | "BondsMovingAverageSet"
  | "MaxAllowedValidatorsSet"
  | "AxonServed"
  | "PrometheusServed"
  | "EmissionValuesSet"
  | "DelegateAdded"
  | "DefaultTakeSet"
  | "WeightsVersionKeySet"
  | "MinDifficultySet"
  | "MaxDifficultySet"
  | "ServingRateLimitSet"
  | "BurnSet"
  | "MaxBurnSet"
  | "MinBurnSet"
  | "TxRateLimitSet"
  | "TxDelegateTakeRateLimitSet"
  | "Sudid"
  | "RegistrationAllowed"
  | "PowRegistrationAllowed"
  | "TempoSet"
  | "RAORecycledForRegistrationSet"
  | "WeightsMinStake"
  | "SenateRequiredStakePercentSet"
  | "AdjustmentAlphaSet"
  | "Faucet"
  | "SubnetOwnerCutSet"
  | "NetworkRateLimitSet"
  | "NetworkImmunityPeriodSet"
  | "NetworkMinLockCostSet"
  | "SubnetLimitSet"
  | "NetworkLockCostReductionIntervalSet"
  | "TakeDecreased"
  | "TakeIncreased"
  | "HotkeySwapped"
  | "MaxDelegateTakeSet"
  | "MinDelegateTakeSet"
  | "TargetStakesPerIntervalSet"
  | "WeightsCommitted"
  | "WeightsRevealed"
  | "BondsPenaltySet"
  | "AlphaSigmoidSteepnessSet";

/** A private codec of the pallet's events, used only to validate values before they are deposited. */
const CHECK = new EnumCodec(
  SUBTENSOR_EVENTS.map((e) => ({ name: e.name, index: e.index, fields: e.fields })),
  { path: ["pallet_subtensor", "pallet", "Event"] },
);

const ARITY = new Map(
  SUBTENSOR_EVENTS.map((e) => {
    const unnamedFields = e.fields.length === 0 || e.fields[0] instanceof Codec;
    return [e.name, { count: e.fields.length, unnamed: unnamedFields, keys: unnamedFields ? [] : e.fields.map((f) => snakeToCamel(f.name)) }];
  }),
);

/**
 * A RuntimeEvent value for a SubtensorModule event: { tag: "SubtensorModule", value: { tag, value } }.
 * Throws on an unknown name or a value that does not encode with the event's fields (wrong arity,
 * wrong type, out-of-range integer), so mistakes surface where the event is built.
 */
export function subtensorEvent(name: SubtensorEventName, value?: unknown): EnumValue {
  const inner: EnumValue = { tag: name, value };
  const n = ARITY.get(name);
  if (n === undefined) throw new Error(`SubtensorModule has no event ${String(name)}`);
  if (n.unnamed && n.count === 0 && value !== undefined) throw new Error(`SubtensorModule.${name}: takes no fields`);
  if (n.unnamed && n.count > 1 && (!Array.isArray(value) || value.length !== n.count)) {
    throw new Error(`SubtensorModule.${name}: expected an array of ${n.count} fields`);
  }
  if (!n.unnamed) {
    for (const key of n.keys) {
      if (typeof value !== "object" || value === null || (value as Record<string, unknown>)[key] === undefined) {
        throw new Error(`SubtensorModule.${name}: missing field ${key}`);
      }
    }
  }
  try {
    CHECK.encode(inner);
  } catch (e) {
    throw new Error(`SubtensorModule.${String(name)}: invalid event value (${(e as Error).message})`);
  }
  return { tag: "SubtensorModule", value: inner };
}

export const SubtensorEvents = { event: subtensorEvent } as const;
