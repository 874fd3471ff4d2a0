/**
 * Which neuron a full subnet replaces, and which subnet a full chain prunes (classic
 * `get_neuron_to_prune` in registration.rs and `get_subnet_to_prune` in root.rs at de1026780),
 * with Subtensor's exact tie-breaking.
 */
import type { StorageAccess } from "../../../../state/types.js";
import { ROOT_NETUID, U16_MAX } from "../constants.js";
import { BlockAtRegistration, EmissionValues, ImmunityPeriod, NetworkImmunityPeriod, NetworkRegisteredAt, NetworksAdded, PruningScores, SubnetworkN } from "../storage.js";
import { satSub64 } from "./math.js";

/**
 * `get_neuron_to_prune(netuid)`. Scans UIDs 0…n−1; a UID is immune while
 * `block − BlockAtRegistration < ImmunityPeriod`. Picks the non-immune UID with the lowest pruning
 * score, a tie going to the later UID; if that lowest score is u16::MAX (in particular when every
 * UID is immune), picks instead the immune UID with the lowest score, a tie going to the earlier
 * UID (UID 0 when no immune UID scores below u16::MAX). A missing score counts as u16::MAX. The
 * chosen UID's score is set to u16::MAX, as in Subtensor. Returns 0 on an empty subnet.
 */
export function getNeuronToPrune(state: StorageAccess, netuid: number, block: bigint): number {
  const n = SubnetworkN.get(state, netuid);
  if (n === 0) return 0;
  const scores = PruningScores.get(state, netuid);
  const immunity = BigInt(ImmunityPeriod.get(state, netuid));

  let minScore = U16_MAX;
  let uidWithMinScore = 0;
  let minScoreImmune = U16_MAX;
  let uidWithMinScoreImmune = 0;
  for (let uid = 0; uid < n; uid++) {
    const score = uid < scores.length ? scores[uid] : U16_MAX;
    const immune = satSub64(block, BlockAtRegistration.get(state, netuid, uid)) < immunity;
    if (score > minScore) continue;
    if (immune) {
      // Immune UIDs only ever improve strictly: ties keep the earlier UID.
      if (minScoreImmune > score) {
        minScoreImmune = score;
        uidWithMinScoreImmune = uid;
      }
    } else {
      // score ≤ minScore: an equal score still moves the choice to this later UID.
      minScore = score;
      uidWithMinScore = uid;
    }
  }
  const chosen = minScore === U16_MAX ? uidWithMinScoreImmune : uidWithMinScore;
  setPruningScore(state, netuid, chosen, U16_MAX);
  return chosen;
}

function setPruningScore(state: StorageAccess, netuid: number, uid: number, score: number): void {
  const scores = PruningScores.get(state, netuid);
  if (uid >= scores.length || scores[uid] === score) return;
  const next = [...scores];
  next[uid] = score;
  PruningScores.put(state, next, netuid);
}

/**
 * `get_subnet_to_prune()`: among the subnets other than root that are out of their network
 * immunity (`block − NetworkRegisteredAt ≥ NetworkImmunityPeriod`), the one with the lowest
 * EmissionValues; on equal emission the earliest registered; on a full tie the last in storage
 * order (Subtensor stable-sorts by emission descending then registration block descending and
 * takes the last element). Returns 0 when every subnet is immune (or there is none).
 */
export function getSubnetToPrune(state: StorageAccess, block: bigint): number {
  const immunity = NetworkImmunityPeriod.get(state);
  let best: { netuid: number; emission: bigint; registered: bigint } | null = null;
  // NetworksAdded is keyed by Identity(u16): storage order is the order Subtensor iterates in.
  for (const { keys } of NetworksAdded.entries(state)) {
    const netuid = keys[0];
    if (netuid === ROOT_NETUID) continue;
    const registered = NetworkRegisteredAt.get(state, netuid);
    if (satSub64(block, registered) < immunity) continue;
    const c = { netuid, emission: EmissionValues.get(state, netuid), registered };
    // `best` sorts strictly before `c` → c comes later in the sorted order → c is the new last.
    if (best === null || !sortsBefore(c, best)) best = c;
  }
  return best === null ? 0 : best.netuid;
}

/** Subtensor's `is_less` for the subnet sort: higher emission first, then later registration first. */
function sortsBefore(a: { emission: bigint; registered: bigint }, b: { emission: bigint; registered: bigint }): boolean {
  return a.emission > b.emission || (a.emission === b.emission && a.registered > b.registered);
}
