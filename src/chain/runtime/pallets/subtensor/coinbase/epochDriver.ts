/**
 * The runtime side of a Yuma epoch (classic `epoch(netuid, rao_emission)` at de1026780): reads one
 * subnet's state from storage into the pure function's input, runs `runEpoch`, and writes the
 * per-UID results back in Subtensor's storage forms. Paying the emission out is payout.ts's job.
 *
 * Inputs, per UID 0…SubnetworkN−1: stake = TotalHotkeyStake of the UID's hotkey (classic
 * `get_total_stake_for_hotkey`), LastUpdate, BlockAtRegistration, the stored ValidatorPermit,
 * Weights and Bonds rows; hyperparameters from the subnet's storage.
 *
 * Variant: a subnet with `Yuma3On` runs the current epoch (Yuma3 bonds, bonds penalty, sigmoid
 * liquid alpha, stake threshold = WeightsMinStake, which is HEAD's StakeThreshold); every other
 * subnet runs the classic 2024 epoch (bonds EMA, logistic liquid alpha when LiquidAlphaOn). Both
 * use the subnet's `ActivityCutoff` storage value as the cutoff (this chain keeps the classic
 * hyperparameter that AdminUtils sets; HEAD derives it from the tempo instead). The classic chain
 * has no subnet-owner hotkey, so the current variant runs without the owner exemptions.
 */
import type { StorageAccess } from "../../../../state/types.js";
import { runEpoch, type EpochInput, type EpochOutput, type U16Row } from "../../../../../consensus/yuma/index.js";
import {
  Active,
  ActivityCutoff,
  AlphaSigmoidSteepness,
  AlphaValues,
  BlockAtRegistration,
  Bonds,
  BondsMovingAverage,
  BondsPenalty,
  Consensus,
  Dividends,
  Emission,
  Incentive,
  Kappa,
  Keys,
  LastMechansimStepBlock,
  LastUpdate,
  LiquidAlphaOn,
  MaxAllowedValidators,
  PruningScores,
  Rank,
  SubnetworkN,
  Tempo,
  TotalHotkeyStake,
  Trust,
  ValidatorPermit,
  ValidatorTrust,
  Weights,
  WeightsMinStake,
  Yuma3On,
} from "../storage.js";

/** (hotkey, server emission, validator emission): what the epoch hands each UID. */
export type EmissionTuple = [hotkey: Uint8Array, server: bigint, validator: bigint];

export interface SubnetEpoch {
  input: EpochInput;
  output: EpochOutput;
  /** Keys[netuid][uid] for every uid. */
  hotkeys: Uint8Array[];
}

const rowsEqual = (a: U16Row, b: U16Row): boolean => a.length === b.length && a.every(([j, v], k) => b[k][0] === j && b[k][1] === v);

/** The epoch input for `netuid` from storage, at `block`, handing out `raoEmission`. */
export function readEpochInput(state: StorageAccess, netuid: number, block: bigint, raoEmission: bigint): { input: EpochInput; hotkeys: Uint8Array[] } {
  const n = SubnetworkN.get(state, netuid);
  const hotkeys: Uint8Array[] = [];
  const stake: bigint[] = [];
  const blockAtRegistration: bigint[] = [];
  const weights: U16Row[] = [];
  const bonds: U16Row[] = [];
  for (let uid = 0; uid < n; uid++) {
    const hotkey = Keys.get(state, netuid, uid);
    hotkeys.push(hotkey);
    stake.push(TotalHotkeyStake.get(state, hotkey));
    blockAtRegistration.push(BlockAtRegistration.get(state, netuid, uid));
    weights.push(Weights.get(state, netuid, uid));
    bonds.push(Bonds.get(state, netuid, uid));
  }
  // the per-UID vectors grow with every registration; pad (or cut) defensively to n
  const fit = <T>(v: readonly T[], fill: T): T[] => Array.from({ length: n }, (_, i) => (i < v.length ? v[i] : fill));
  const lastUpdate = fit(LastUpdate.get(state, netuid), 0n);
  const validatorPermit = fit(ValidatorPermit.get(state, netuid), false);
  const yuma3 = Yuma3On.get(state, netuid);
  const [alphaLow, alphaHigh] = AlphaValues.get(state, netuid);
  const input: EpochInput = {
    version: yuma3 ? "current" : "classic",
    n,
    currentBlock: block,
    raoEmission,
    stake,
    lastUpdate,
    blockAtRegistration,
    validatorPermit,
    weights,
    bonds,
    hyperparameters: {
      kappa: Kappa.get(state, netuid),
      bondsMovingAverage: BondsMovingAverage.get(state, netuid),
      bondsPenalty: BondsPenalty.get(state, netuid),
      activityCutoff: BigInt(ActivityCutoff.get(state, netuid)),
      maxAllowedValidators: MaxAllowedValidators.get(state, netuid),
      tempo: Tempo.get(state, netuid),
      lastMechanismStepBlock: LastMechansimStepBlock.get(state, netuid),
      liquidAlphaEnabled: LiquidAlphaOn.get(state, netuid),
      alphaLow,
      alphaHigh,
      alphaSigmoidSteepness: AlphaSigmoidSteepness.get(state, netuid),
      yuma3Enabled: yuma3,
      stakeThreshold: yuma3 ? WeightsMinStake.get(state) : 0n,
      ownerUid: null,
    },
  };
  return { input, hotkeys };
}

/**
 * Writes the epoch's per-UID results: Active, Emission, Rank, Trust, Consensus, Incentive,
 * Dividends, PruningScores, ValidatorTrust, ValidatorPermit, and the bond rows the way Subtensor
 * does: a UID with a new permit gets its new row, one that lost its permit an empty row, and the
 * others keep theirs (unless the epoch variant rewrote it, as the current one may).
 */
export function writeEpochOutput(state: StorageAccess, netuid: number, input: EpochInput, output: EpochOutput): void {
  Active.put(state, output.active, netuid);
  Emission.put(state, output.emission, netuid);
  Rank.put(state, output.rank, netuid);
  Trust.put(state, output.trust, netuid);
  Consensus.put(state, output.consensus, netuid);
  Incentive.put(state, output.incentive, netuid);
  Dividends.put(state, output.dividends, netuid);
  PruningScores.put(state, output.pruningScores, netuid);
  ValidatorTrust.put(state, output.validatorTrust, netuid);
  ValidatorPermit.put(state, output.validatorPermit, netuid);
  for (let uid = 0; uid < input.n; uid++) {
    const row = output.bonds[uid];
    if (output.validatorPermit[uid] || input.validatorPermit[uid] || !rowsEqual(row, input.bonds[uid])) Bonds.put(state, row, netuid, uid);
  }
}

/** Runs the epoch of `netuid` at `block` with `raoEmission` and persists its results. */
export function runSubnetEpoch(state: StorageAccess, netuid: number, block: bigint, raoEmission: bigint): SubnetEpoch {
  const { input, hotkeys } = readEpochInput(state, netuid, block, raoEmission);
  const output = runEpoch(input);
  writeEpochOutput(state, netuid, input, output);
  return { input, output, hotkeys };
}

/** The (hotkey, server, validator) tuples of an epoch, one per UID (classic `epoch`'s return value). */
export function emissionTuples(e: SubnetEpoch): EmissionTuple[] {
  return e.hotkeys.map((hotkey, uid): EmissionTuple => [hotkey, e.output.serverEmission[uid], e.output.validatorEmission[uid]]);
}
