/**
 * Benchmarks: full subnets written straight into a state (as many registrations, stakes and
 * weight settings over time would leave it), without running thousands of extrinsics. Each
 * neuron has its own hotkey and coldkey (Owner, Stake, StakingHotkeys, OwnedHotkeys,
 * TotalHotkeyStake, TotalColdkeyStake, Keys, Uids, BlockAtRegistration, IsNetworkMember); the
 * first `validators` UIDs of a subnet are staked, hold permits, and have dense weight rows over
 * every UID and dense bond rows from earlier epochs; the per-UID vectors are written once per
 * subnet. Staked TAO is counted in TotalStake and SubtensorModule.TotalIssuance, so the issuance
 * invariant holds as it did before.
 */
import { Keyring } from "@polkadot/keyring";
import { blake2AsU8a } from "@polkadot/util-crypto";
import { devChainSpec, type ChainSpec } from "../src/chain/spec.js";
import type { StorageAccess } from "../src/chain/state/types.js";
import {
  Active,
  BlockAtRegistration,
  Bonds,
  Delegates,
  Consensus,
  Dividends,
  Emission,
  Incentive,
  IsNetworkMember,
  Keys,
  LastUpdate,
  MaxAllowedUids,
  MaxAllowedValidators,
  Owner,
  OwnedHotkeys,
  PruningScores,
  Rank,
  Stake,
  StakingHotkeys,
  SubnetworkN,
  TotalColdkeyStake,
  TotalHotkeyStake,
  TotalIssuance,
  TotalStake,
  Trust,
  Uids,
  ValidatorPermit,
  ValidatorTrust,
  Weights,
} from "../src/chain/runtime/pallets/subtensor/storage.js";

export const TAO = 1_000_000_000n;

/**
 * A dev spec with `subnets` subnets owned by //Alice whose epochs all fall on block 1:
 * blocks_until_next_epoch = tempo − (1 + netuid + 1) % (tempo + 1) = 0 for tempo = netuid + 2.
 */
export async function epochOnBlockOneSpec(o: { subnets: number; uids: number; validators: number }): Promise<ChainSpec> {
  const spec = await devChainSpec();
  const owner = new Keyring({ type: "sr25519", ss58Format: 42 }).addFromUri("//Alice").address;
  spec.subtensor = {
    subnetLimit: o.subnets + 1,
    networkRateLimit: 0,
    subnets: Array.from({ length: o.subnets }, (_, i) => ({ netuid: i + 1, owner, hyperparameters: { tempo: i + 3, maxAllowedUids: o.uids, maxAllowedValidators: o.validators } })),
  };
  return spec;
}

/** Deterministic 32-byte keys (no key pairs needed: nobody signs with them). */
export const benchKey = (kind: "hot" | "cold", netuid: number, uid: number): Uint8Array => blake2AsU8a(`bench-${kind}-${netuid}-${uid}`, 256);

export interface SubnetPopulation {
  uids: number;
  validators: number;
  /** LastUpdate and BlockAtRegistration of every UID */
  block: bigint;
  seed: number;
}

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes `p.uids` neurons into the existing, empty subnet `netuid`. Returns the TAO staked. */
export function populateSubnet(state: StorageAccess, netuid: number, p: SubnetPopulation): bigint {
  const next = rng(p.seed * 7919 + netuid);
  const n = p.uids;
  MaxAllowedUids.put(state, Math.max(n, MaxAllowedUids.get(state, netuid)), netuid);
  MaxAllowedValidators.put(state, p.validators, netuid);
  SubnetworkN.put(state, n, netuid);
  const zeros16 = new Array<number>(n).fill(0);
  Rank.put(state, zeros16, netuid);
  Trust.put(state, zeros16, netuid);
  Consensus.put(state, zeros16, netuid);
  Incentive.put(state, zeros16, netuid);
  Dividends.put(state, zeros16, netuid);
  PruningScores.put(state, zeros16, netuid);
  ValidatorTrust.put(state, zeros16, netuid);
  Active.put(state, new Array<boolean>(n).fill(true), netuid);
  Emission.put(state, new Array<bigint>(n).fill(0n), netuid);
  LastUpdate.put(state, new Array<bigint>(n).fill(p.block), netuid);
  ValidatorPermit.put(state, Array.from({ length: n }, (_, uid) => uid < p.validators), netuid);
  let staked = 0n;
  for (let uid = 0; uid < n; uid++) {
    const hot = benchKey("hot", netuid, uid);
    const cold = benchKey("cold", netuid, uid);
    const amount = uid < p.validators ? BigInt(100 + Math.floor(next() * 10_000)) * TAO : 0n;
    Keys.put(state, hot, netuid, uid);
    Uids.put(state, uid, netuid, hot);
    BlockAtRegistration.put(state, p.block, netuid, uid);
    IsNetworkMember.put(state, true, hot, netuid);
    Owner.put(state, cold, hot);
    OwnedHotkeys.put(state, [hot], cold);
    StakingHotkeys.put(state, [hot], cold);
    Stake.put(state, amount, hot, cold);
    TotalHotkeyStake.put(state, amount, hot);
    TotalColdkeyStake.put(state, amount, cold);
    staked += amount;
    if (uid < p.validators) {
      Weights.put(state, Array.from({ length: n }, (_, j): [number, number] => [j, Math.floor(next() * 65536)]), netuid, uid);
      Bonds.put(state, Array.from({ length: n }, (_, j): [number, number] => [j, Math.floor(next() * 65536)]), netuid, uid);
    }
  }
  TotalStake.put(state, TotalStake.get(state) + staked);
  TotalIssuance.put(state, TotalIssuance.get(state) + staked);
  return staked;
}

/**
 * Makes the first `delegates` UIDs of `netuid` delegates (take `take`) with `nominators` extra
 * coldkeys staked on each, so epoch payouts take the nominator split path too. Keeps the ledger
 * and the issuance invariant as populateSubnet does. Returns the TAO staked.
 */
export function addNominations(state: StorageAccess, netuid: number, o: { delegates: number; nominators: number; take: number }): bigint {
  let staked = 0n;
  for (let uid = 0; uid < o.delegates; uid++) {
    const hot = benchKey("hot", netuid, uid);
    Delegates.put(state, o.take, hot);
    for (let i = 0; i < o.nominators; i++) {
      const cold = blake2AsU8a(`bench-nominator-${netuid}-${uid}-${i}`, 256);
      const amount = BigInt(1 + i * 7 + uid) * TAO;
      Stake.put(state, amount, hot, cold);
      TotalHotkeyStake.put(state, TotalHotkeyStake.get(state, hot) + amount, hot);
      TotalColdkeyStake.put(state, amount, cold);
      StakingHotkeys.put(state, [hot], cold);
      staked += amount;
    }
  }
  TotalStake.put(state, TotalStake.get(state) + staked);
  TotalIssuance.put(state, TotalIssuance.get(state) + staked);
  return staked;
}
