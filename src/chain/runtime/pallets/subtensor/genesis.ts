/**
 * SubtensorModule genesis: the `subtensor` object of a chain spec, its validation, and the
 * storage it writes.
 *
 * ```json
 * "subtensor": {
 *   "networkRateLimit": 0, "networkMinLockCost": "100000000000", "subnetLimit": 32,
 *   "txRateLimit": 0, "stakeThreshold": "0", …                       // global overrides (optional)
 *   "emission": { "halving": "block", "equalSplitFallback": true },   // coinbase options (optional; these are the defaults)
 *   "rootNetwork": true,                                              // or false, or { "tempo": 100, … }
 *   "subnets": [
 *     { "netuid": 1, "owner": "5Grw…", "ownerHotkey": "5FHn…",
 *       "hyperparameters": { "tempo": 99, "kappa": 32767, "immunityPeriod": 5000, "maxAllowedUids": 256 } }
 *   ]
 * }
 * ```
 *
 * u64 values (amounts in RAO, blocks) may be JSON numbers up to 2^53 − 1 or decimal strings.
 * Every key is checked: an unknown key (a typo) is an error that names the field.
 *
 * Applying it mirrors classic Subtensor: TotalIssuance from the balances; the root network as the
 * classic genesis creates it; each pre-created subnet exactly as `register_network` creates one
 * (`init_new_network(netuid, 360)` + owner + registration block), then the given hyperparameters;
 * an optional owner hotkey registered as UID 0. Genesis subnets lock no TAO (SubnetLocked stays 0).
 */
import { decodeAddress, encodeAddress } from "@polkadot/util-crypto";
import { NodeError } from "../../../../util/errors.js";
import type { StorageAccess } from "../../../state/types.js";
import type { AnyStorageItem } from "../../frame/storage.js";
import { TotalIssuance as BalancesTotalIssuance } from "../balances.js";
import * as C from "./constants.js";
import { appendNeuron, createAccountIfNonExistent, initNewNetwork, initRootNetwork, ROOT_NETWORK_DEFAULTS, type RootNetworkParams } from "./subnetsInit.js";
import * as S from "./storage.js";
import { putCoinbaseConfig } from "./coinbase/config.js";

type Kind = "u16" | "u64" | "bool" | "i16";
type KindValue = { u16: number; u64: bigint; bool: boolean; i16: number };
interface ParamDecl {
  kind: Kind;
  /** The storage item written; null for the two halves of AlphaValues. */
  item: AnyStorageItem | null;
}

// ------------------------------------------------------------------ global parameters (StorageValues)

const GLOBAL_PARAMS = {
  txRateLimit: { kind: "u64", item: S.TxRateLimit },
  txDelegateTakeRateLimit: { kind: "u64", item: S.TxDelegateTakeRateLimit },
  networkRateLimit: { kind: "u64", item: S.NetworkRateLimit },
  networkMinLockCost: { kind: "u64", item: S.NetworkMinLockCost },
  networkLastLockCost: { kind: "u64", item: S.NetworkLastLockCost },
  networkLockReductionInterval: { kind: "u64", item: S.NetworkLockReductionInterval },
  networkImmunityPeriod: { kind: "u64", item: S.NetworkImmunityPeriod },
  networkMinAllowedUids: { kind: "u16", item: S.NetworkMinAllowedUids },
  subnetLimit: { kind: "u16", item: S.SubnetLimit },
  subnetOwnerCut: { kind: "u16", item: S.SubnetOwnerCut },
  /** WeightsMinStake (HEAD name StakeThreshold). */
  stakeThreshold: { kind: "u64", item: S.WeightsMinStake },
  nominatorMinRequiredStake: { kind: "u64", item: S.NominatorMinRequiredStake },
  /** MaxTake (HEAD name MaxDelegateTake). */
  maxTake: { kind: "u16", item: S.MaxTake },
  /** MinTake (HEAD name MinDelegateTake). */
  minTake: { kind: "u16", item: S.MinTake },
  targetStakesPerInterval: { kind: "u64", item: S.TargetStakesPerInterval },
  stakeInterval: { kind: "u64", item: S.StakeInterval },
} as const satisfies Record<string, ParamDecl>;

export type GlobalParams = { -readonly [K in keyof typeof GLOBAL_PARAMS]?: KindValue[(typeof GLOBAL_PARAMS)[K]["kind"]] };

// ------------------------------------------------------------------ per-subnet hyperparameters (maps keyed by netuid)

const SUBNET_PARAMS = {
  tempo: { kind: "u16", item: S.Tempo },
  kappa: { kind: "u16", item: S.Kappa },
  rho: { kind: "u16", item: S.Rho },
  immunityPeriod: { kind: "u16", item: S.ImmunityPeriod },
  maxAllowedUids: { kind: "u16", item: S.MaxAllowedUids },
  maxAllowedValidators: { kind: "u16", item: S.MaxAllowedValidators },
  minAllowedWeights: { kind: "u16", item: S.MinAllowedWeights },
  maxWeightsLimit: { kind: "u16", item: S.MaxWeightsLimit },
  activityCutoff: { kind: "u16", item: S.ActivityCutoff },
  adjustmentInterval: { kind: "u16", item: S.AdjustmentInterval },
  targetRegistrationsPerInterval: { kind: "u16", item: S.TargetRegistrationsPerInterval },
  maxRegistrationsPerBlock: { kind: "u16", item: S.MaxRegistrationsPerBlock },
  scalingLawPower: { kind: "u16", item: S.ScalingLawPower },
  bondsPenalty: { kind: "u16", item: S.BondsPenalty },
  weightsVersionKey: { kind: "u64", item: S.WeightsVersionKey },
  weightsSetRateLimit: { kind: "u64", item: S.WeightsSetRateLimit },
  servingRateLimit: { kind: "u64", item: S.ServingRateLimit },
  adjustmentAlpha: { kind: "u64", item: S.AdjustmentAlpha },
  burn: { kind: "u64", item: S.Burn },
  minBurn: { kind: "u64", item: S.MinBurn },
  maxBurn: { kind: "u64", item: S.MaxBurn },
  difficulty: { kind: "u64", item: S.Difficulty },
  minDifficulty: { kind: "u64", item: S.MinDifficulty },
  maxDifficulty: { kind: "u64", item: S.MaxDifficulty },
  bondsMovingAverage: { kind: "u64", item: S.BondsMovingAverage },
  validatorPruneLen: { kind: "u64", item: S.ValidatorPruneLen },
  /** WeightCommitRevealInterval (blocks). */
  commitRevealWeightsInterval: { kind: "u64", item: S.WeightCommitRevealInterval },
  /** NetworkRegistrationAllowed. */
  registrationAllowed: { kind: "bool", item: S.NetworkRegistrationAllowed },
  /** NetworkPowRegistrationAllowed. */
  powRegistrationAllowed: { kind: "bool", item: S.NetworkPowRegistrationAllowed },
  commitRevealWeightsEnabled: { kind: "bool", item: S.CommitRevealWeightsEnabled },
  liquidAlphaOn: { kind: "bool", item: S.LiquidAlphaOn },
  yuma3On: { kind: "bool", item: S.Yuma3On },
  alphaSigmoidSteepness: { kind: "i16", item: S.AlphaSigmoidSteepness },
  /** AlphaValues.0 */
  alphaLow: { kind: "u16", item: null },
  /** AlphaValues.1 */
  alphaHigh: { kind: "u16", item: null },
} as const satisfies Record<string, ParamDecl>;

export type SubnetHyperparameters = { -readonly [K in keyof typeof SUBNET_PARAMS]?: KindValue[(typeof SUBNET_PARAMS)[K]["kind"]] };

const ROOT_PARAMS = {
  tempo: { kind: "u16", item: null },
  maxAllowedUids: { kind: "u16", item: null },
  maxAllowedValidators: { kind: "u16", item: null },
  minAllowedWeights: { kind: "u16", item: null },
  maxWeightsLimit: { kind: "u16", item: null },
  targetRegistrationsPerInterval: { kind: "u16", item: null },
  registrationAllowed: { kind: "bool", item: null },
} as const satisfies Record<keyof RootNetworkParams, ParamDecl>;

// ------------------------------------------------------------------ the parsed shape

export interface GenesisSubnet {
  /** 1…65535 (0 is the root network). */
  netuid: number;
  /** Owner coldkey, SS58 (prefix 42). */
  owner: string;
  /** Optional owner hotkey, SS58: registered as UID 0 and associated with the owner. */
  ownerHotkey: string | null;
  /** Overrides applied after the `init_new_network` values. */
  hyperparameters: SubnetHyperparameters;
}

export interface EmissionOptions {
  /**
   * "block": 1 TAO >> floor((h − 1) / 10 500 000) per block h (DESIGN.md);
   * "issuance": Subtensor's issuance-driven halving (recycled TAO postpones it).
   */
  halving: "block" | "issuance";
  /**
   * While no root weights exist (the root network assigns no emission: EmissionValues all 0),
   * split the block emission equally among subnets with registration allowed instead of emitting
   * nothing. On by default (devnet-friendly, issue 4); `false` gives classic Subtensor, where a
   * chain emits nothing until someone root-registers and sets root weights.
   */
  equalSplitFallback: boolean;
}

export interface SubtensorGenesis {
  /** Only the parameters given in the spec (absent ones keep their storage defaults). */
  params: GlobalParams;
  /** Coinbase options: stored in state at genesis (coinbase/config.ts), where the coinbase reads them. */
  emission: EmissionOptions;
  /** Root network (netuid 0): created unless `create` is false; `params` override the classic values. */
  rootNetwork: { create: boolean; params: Partial<RootNetworkParams> };
  subnets: GenesisSubnet[];
}

export const DEFAULT_EMISSION_OPTIONS: Readonly<EmissionOptions> = Object.freeze({ halving: "block", equalSplitFallback: true });

// ------------------------------------------------------------------ parsing

/**
 * An invalid `subtensor` genesis section; `field` is its JSON path in the chain spec. The chain
 * spec loader (outside the runtime) reports it as a ChainSpecError for that field.
 */
export class SubtensorGenesisError extends NodeError<{ code: "SUBTENSOR_GENESIS_INVALID"; field: string; reason: string }> {}

function fail(field: string, reason: string): never {
  throw new SubtensorGenesisError({ code: "SUBTENSOR_GENESIS_INVALID", field, reason }, `invalid chain spec: ${field}: ${reason}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function checkKeys(field: string, o: Record<string, unknown>, allowed: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) fail(`${field}.${k}`, `unknown field (expected one of: ${allowed.join(", ")})`);
  }
}

function parseInteger(field: string, v: unknown, min: bigint, max: bigint, what: string): bigint {
  let n: bigint;
  if (typeof v === "number") {
    if (!Number.isInteger(v)) fail(field, `expected an integer (${what}), got ${v}`);
    if (!Number.isSafeInteger(v)) fail(field, `${v} is not exactly representable in JSON numbers; give it as a decimal string`);
    n = BigInt(v);
  } else if (typeof v === "string" && /^-?[0-9]+$/.test(v)) {
    n = BigInt(v);
  } else {
    fail(field, `expected an integer (${what}) as a number or a decimal string`);
  }
  if (n < min || n > max) fail(field, `${n} is out of range for ${what} (${min}…${max})`);
  return n;
}

function parseValue<K extends Kind>(field: string, kind: K, v: unknown): KindValue[K] {
  switch (kind) {
    case "bool":
      if (typeof v !== "boolean") fail(field, "expected true or false");
      return v as KindValue[K];
    case "u16":
      return Number(parseInteger(field, v, 0n, 65_535n, "u16")) as KindValue[K];
    case "i16":
      return Number(parseInteger(field, v, -32_768n, 32_767n, "i16")) as KindValue[K];
    case "u64":
      return parseInteger(field, v, 0n, C.U64_MAX, "u64") as KindValue[K];
  }
  throw new Error(`unreachable kind ${kind as string}`);
}

function parseParams<T>(field: string, raw: unknown, decls: Record<string, ParamDecl>): T {
  if (raw === undefined) return {} as T;
  if (!isObject(raw)) fail(field, "expected an object");
  checkKeys(field, raw, Object.keys(decls));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) out[k] = parseValue(`${field}.${k}`, decls[k].kind, v);
  return out as T;
}

function parseAddress(field: string, v: unknown): string {
  if (typeof v !== "string") fail(field, "expected an SS58 address string");
  try {
    return encodeAddress(decodeAddress(v), 42);
  } catch {
    fail(field, `not a valid SS58 address: ${v}`);
  }
}

const TOP_KEYS = [...Object.keys(GLOBAL_PARAMS), "emission", "rootNetwork", "subnets"];

/** Validates `spec.subtensor` (undefined / {} = all defaults) and returns it normalized; errors name the bad field. */
export function parseSubtensorGenesis(raw: unknown): SubtensorGenesis {
  const F = "subtensor";
  if (raw === undefined || raw === null) raw = {};
  if (!isObject(raw)) fail(F, "expected an object");
  checkKeys(F, raw, TOP_KEYS);

  const globals: Record<string, unknown> = {};
  for (const k of Object.keys(GLOBAL_PARAMS) as Array<keyof typeof GLOBAL_PARAMS>) {
    if (raw[k] !== undefined) globals[k] = parseValue(`${F}.${k}`, GLOBAL_PARAMS[k].kind, raw[k]);
  }
  const params = globals as GlobalParams;
  const maxTake = params.maxTake ?? C.InitialDefaultTake;
  const minTake = params.minTake ?? C.InitialMinTake;
  if (minTake > maxTake) fail(`${F}.minTake`, `minTake ${minTake} exceeds maxTake ${maxTake}`);

  // emission
  const emission: EmissionOptions = { ...DEFAULT_EMISSION_OPTIONS };
  if (raw.emission !== undefined) {
    const e = raw.emission;
    if (!isObject(e)) fail(`${F}.emission`, "expected an object");
    checkKeys(`${F}.emission`, e, ["halving", "equalSplitFallback"]);
    if (e.halving !== undefined) {
      if (e.halving !== "block" && e.halving !== "issuance") fail(`${F}.emission.halving`, 'expected "block" or "issuance"');
      emission.halving = e.halving;
    }
    if (e.equalSplitFallback !== undefined) {
      if (typeof e.equalSplitFallback !== "boolean") fail(`${F}.emission.equalSplitFallback`, "expected true or false");
      emission.equalSplitFallback = e.equalSplitFallback;
    }
  }

  // root network
  let rootNetwork: SubtensorGenesis["rootNetwork"] = { create: true, params: {} };
  if (raw.rootNetwork !== undefined) {
    const r = raw.rootNetwork;
    if (typeof r === "boolean") rootNetwork = { create: r, params: {} };
    else if (isObject(r)) rootNetwork = { create: true, params: parseParams<Partial<RootNetworkParams>>(`${F}.rootNetwork`, r, ROOT_PARAMS) };
    else fail(`${F}.rootNetwork`, "expected true, false or an object of root network parameters");
    const rp = { ...ROOT_NETWORK_DEFAULTS, ...rootNetwork.params };
    if (rp.maxAllowedValidators > rp.maxAllowedUids) {
      fail(`${F}.rootNetwork.maxAllowedValidators`, `${rp.maxAllowedValidators} exceeds maxAllowedUids ${rp.maxAllowedUids}`);
    }
  }

  // subnets
  const subnets: GenesisSubnet[] = [];
  if (raw.subnets !== undefined) {
    if (!Array.isArray(raw.subnets)) fail(`${F}.subnets`, "expected an array of subnets");
    const netuids = new Set<number>();
    const hotkeyOwner = new Map<string, string>();
    raw.subnets.forEach((s: unknown, i: number) => {
      const f = `${F}.subnets[${i}]`;
      if (!isObject(s)) fail(f, "expected an object { netuid, owner, ownerHotkey?, hyperparameters? }");
      checkKeys(f, s, ["netuid", "owner", "ownerHotkey", "hyperparameters"]);
      if (s.netuid === undefined) fail(`${f}.netuid`, "missing");
      const netuid = Number(parseInteger(`${f}.netuid`, s.netuid, 1n, 65_535n, "a netuid ≥ 1 (0 is the root network)"));
      if (netuids.has(netuid)) fail(`${f}.netuid`, `duplicate netuid ${netuid}`);
      netuids.add(netuid);
      if (s.owner === undefined) fail(`${f}.owner`, "missing (the owner coldkey, SS58)");
      const owner = parseAddress(`${f}.owner`, s.owner);
      const ownerHotkey = s.ownerHotkey === undefined || s.ownerHotkey === null ? null : parseAddress(`${f}.ownerHotkey`, s.ownerHotkey);
      if (ownerHotkey !== null) {
        const prev = hotkeyOwner.get(ownerHotkey);
        if (prev !== undefined && prev !== owner) fail(`${f}.ownerHotkey`, `hotkey ${ownerHotkey} is already owned by ${prev} in another subnet`);
        hotkeyOwner.set(ownerHotkey, owner);
      }
      const hp = parseParams<SubnetHyperparameters>(`${f}.hyperparameters`, s.hyperparameters, SUBNET_PARAMS);
      const eff = effectiveSubnetParams(hp);
      const h = `${f}.hyperparameters`;
      if (eff.maxAllowedValidators > eff.maxAllowedUids) {
        fail(`${h}.maxAllowedValidators`, `${eff.maxAllowedValidators} exceeds maxAllowedUids ${eff.maxAllowedUids}`);
      }
      if (eff.minBurn > eff.maxBurn) fail(`${h}.minBurn`, `minBurn ${eff.minBurn} exceeds maxBurn ${eff.maxBurn}`);
      if (eff.alphaLow > eff.alphaHigh) fail(`${h}.alphaLow`, `alphaLow ${eff.alphaLow} exceeds alphaHigh ${eff.alphaHigh}`);
      if (ownerHotkey !== null && eff.maxAllowedUids === 0) fail(`${h}.maxAllowedUids`, "is 0, so the owner hotkey cannot be registered as UID 0");
      subnets.push({ netuid, owner, ownerHotkey, hyperparameters: hp });
    });
    const limit = params.subnetLimit ?? C.InitialSubnetLimit;
    if (subnets.length > limit) fail(`${F}.subnets`, `${subnets.length} subnets exceed subnetLimit ${limit}`);
  }

  return { params, emission, rootNetwork, subnets };
}

/** The values a genesis subnet ends up with for the parameters that are cross-checked. */
function effectiveSubnetParams(hp: SubnetHyperparameters) {
  return {
    maxAllowedUids: hp.maxAllowedUids ?? C.NEW_SUBNET_MAX_ALLOWED_UIDS,
    maxAllowedValidators: hp.maxAllowedValidators ?? C.NEW_SUBNET_MAX_ALLOWED_VALIDATORS,
    minBurn: hp.minBurn ?? C.NEW_SUBNET_MIN_BURN,
    maxBurn: hp.maxBurn ?? C.InitialMaxBurn,
    alphaLow: hp.alphaLow ?? C.InitialAlphaLow,
    alphaHigh: hp.alphaHigh ?? C.InitialAlphaHigh,
  };
}

// ------------------------------------------------------------------ applying

export interface ApplyOptions {
  /** Sum of the genesis balances; default: Balances.TotalIssuance as already written to `state`. */
  balancesIssuance?: bigint;
}

/**
 * Writes the SubtensorModule genesis state. Run it after the Balances genesis (SubtensorModule's
 * TotalIssuance starts as the balances' total, as the classic GenesisConfig's balances_issuance).
 */
export function applySubtensorGenesis(state: StorageAccess, g: SubtensorGenesis, blockNumber0: number, opts: ApplyOptions = {}): void {
  const block = BigInt(blockNumber0);
  S.TotalIssuance.put(state, opts.balancesIssuance ?? BalancesTotalIssuance.get(state));
  putCoinbaseConfig(state, g.emission);

  // Global overrides. A genesis min lock cost also becomes the last lock cost unless that is given
  // (otherwise the Rust default of NetworkLastLockCost, 1000 TAO, would set the first price).
  for (const [k, v] of Object.entries(g.params)) {
    if (v !== undefined) (GLOBAL_PARAMS[k as keyof typeof GLOBAL_PARAMS].item as AnyStorageItem).put(state, v);
  }
  if (g.params.networkMinLockCost !== undefined && g.params.networkLastLockCost === undefined) {
    S.NetworkLastLockCost.put(state, g.params.networkMinLockCost);
  }

  if (g.rootNetwork.create) initRootNetwork(state, g.rootNetwork.params);

  for (const s of g.subnets) {
    // register_network: init_new_network(netuid, 360), then block, owner.
    initNewNetwork(state, s.netuid, C.NEW_SUBNET_TEMPO);
    S.NetworkLastRegistered.put(state, block);
    S.NetworkRegisteredAt.put(state, block, s.netuid);
    const owner = decodeAddress(s.owner);
    S.SubnetOwner.put(state, owner, s.netuid);
    applySubnetHyperparameters(state, s.netuid, s.hyperparameters);
    if (s.ownerHotkey !== null) {
      const hotkey = decodeAddress(s.ownerHotkey);
      createAccountIfNonExistent(state, owner, hotkey);
      appendNeuron(state, s.netuid, hotkey, block);
    }
  }
}

/** Writes hyperparameter overrides for one subnet (alphaLow/alphaHigh update AlphaValues together). */
export function applySubnetHyperparameters(state: StorageAccess, netuid: number, hp: SubnetHyperparameters): void {
  for (const [k, v] of Object.entries(hp)) {
    const decl: ParamDecl = SUBNET_PARAMS[k as keyof typeof SUBNET_PARAMS];
    if (v !== undefined && decl.item) decl.item.put(state, v, netuid);
  }
  if (hp.alphaLow !== undefined || hp.alphaHigh !== undefined) {
    const [low, high] = S.AlphaValues.get(state, netuid);
    S.AlphaValues.put(state, [hp.alphaLow ?? low, hp.alphaHigh ?? high], netuid);
  }
}

/** The keys accepted in `subtensor.subnets[i].hyperparameters` (for docs and CLI help). */
export const SUBNET_HYPERPARAMETER_KEYS = Object.keys(SUBNET_PARAMS);
/** The global parameter keys accepted at the top of `subtensor`. */
export const GLOBAL_PARAMETER_KEYS = Object.keys(GLOBAL_PARAMS);
