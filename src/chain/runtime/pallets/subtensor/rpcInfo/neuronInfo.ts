/**
 * NeuronInfo / NeuronInfoLite of a subnet's UIDs (Subtensor 688d4a7ff `rpc_info/neuron_info.rs`):
 * everything a metagraph holds per UID, read from storage at one block.
 *
 * - A UID exists while `Keys[netuid][uid]` is stored (Subtensor's `Keys::try_get`); the list
 *   functions walk 0…SubnetworkN−1 and stop at the first missing one.
 * - Per-UID vector entries past the vector's end read as 0 (false), and the pruning score as
 *   u16::MAX, as Subtensor's `get_*_for_uid` getters do.
 * - `stake` holds one entry: (owner coldkey, the hotkey's stake on the subnet). Subtensor computes
 *   the latter with child/parent key shares and the subnet's max stake; this chain has neither, so
 *   it is the hotkey's total stake — the very value the epoch uses.
 * - Weights and bonds list only non-zero entries.
 */
import type { StorageAccess } from "../../../../state/types.js";
import {
  Active,
  Axons,
  Bonds,
  Consensus,
  Dividends,
  Emission,
  Incentive,
  Keys,
  LastUpdate,
  NetworksAdded,
  Owner,
  Prometheus,
  PruningScores,
  Rank,
  SubnetworkN,
  TotalHotkeyStake,
  Trust,
  ValidatorPermit,
  ValidatorTrust,
  Weights,
  type AxonInfo,
  type PrometheusInfo,
  type SparseRow,
} from "../storage.js";
import type { NeuronInfoLiteValue, NeuronInfoValue } from "./types.js";

const U16_MAX = 0xffff;
export const EMPTY_AXON: Readonly<AxonInfo> = Object.freeze({ block: 0n, version: 0, ip: 0n, port: 0, ipType: 0, protocol: 0, placeholder1: 0, placeholder2: 0 });
export const EMPTY_PROMETHEUS: Readonly<PrometheusInfo> = Object.freeze({ block: 0n, version: 0, ip: 0n, port: 0, ipType: 0 });

const at = <T>(v: readonly T[], uid: number, fallback: T): T => (uid < v.length ? v[uid] : fallback);
const nonZero = (row: SparseRow): Array<[number, number]> => row.filter(([, w]) => w > 0).map(([i, w]) => [i, w]);

function neuronLite(state: StorageAccess, netuid: number, uid: number): NeuronInfoLiteValue | null {
  if (!Keys.exists(state, netuid, uid)) return null;
  const hotkey = Keys.get(state, netuid, uid);
  const coldkey = Owner.get(state, hotkey);
  return {
    hotkey,
    coldkey,
    uid,
    netuid,
    active: at(Active.get(state, netuid), uid, false),
    axonInfo: Axons.get(state, netuid, hotkey) ?? { ...EMPTY_AXON },
    prometheusInfo: Prometheus.get(state, netuid, hotkey) ?? { ...EMPTY_PROMETHEUS },
    stake: [[coldkey, TotalHotkeyStake.get(state, hotkey)]],
    rank: at(Rank.get(state, netuid), uid, 0),
    emission: at(Emission.get(state, netuid), uid, 0n),
    incentive: at(Incentive.get(state, netuid), uid, 0),
    consensus: at(Consensus.get(state, netuid), uid, 0),
    trust: at(Trust.get(state, netuid), uid, 0),
    validatorTrust: at(ValidatorTrust.get(state, netuid), uid, 0),
    dividends: at(Dividends.get(state, netuid), uid, 0),
    lastUpdate: at(LastUpdate.get(state, netuid), uid, 0n),
    validatorPermit: at(ValidatorPermit.get(state, netuid), uid, false),
    pruningScore: at(PruningScores.get(state, netuid), uid, U16_MAX),
  };
}

function neuron(state: StorageAccess, netuid: number, uid: number): NeuronInfoValue | null {
  const lite = neuronLite(state, netuid, uid);
  if (!lite) return null;
  return { ...lite, weights: nonZero(Weights.get(state, netuid, uid)), bonds: nonZero(Bonds.get(state, netuid, uid)) };
}

function listUids<T>(state: StorageAccess, netuid: number, one: (state: StorageAccess, netuid: number, uid: number) => T | null): T[] {
  if (!NetworksAdded.get(state, netuid)) return [];
  const out: T[] = [];
  const n = SubnetworkN.get(state, netuid);
  for (let uid = 0; uid < n; uid++) {
    const item = one(state, netuid, uid);
    if (item === null) break; // no more neurons
    out.push(item);
  }
  return out;
}

export const getNeurons = (state: StorageAccess, netuid: number): NeuronInfoValue[] => listUids(state, netuid, neuron);
export const getNeuronsLite = (state: StorageAccess, netuid: number): NeuronInfoLiteValue[] => listUids(state, netuid, neuronLite);
export const getNeuron = (state: StorageAccess, netuid: number, uid: number): NeuronInfoValue | null => (NetworksAdded.get(state, netuid) ? neuron(state, netuid, uid) : null);
export const getNeuronLite = (state: StorageAccess, netuid: number, uid: number): NeuronInfoLiteValue | null =>
  NetworksAdded.get(state, netuid) ? neuronLite(state, netuid, uid) : null;
