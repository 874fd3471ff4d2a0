/**
 * UID assignment on a subnet: append when there is room, otherwise replace the neuron that
 * `get_neuron_to_prune` picks (classic uids.rs / registration.rs at de1026780).
 *
 * Replacing follows classic `replace_neuron` (rebind Keys/Uids/IsNetworkMember, BlockAtRegistration
 * = now, Active = true, and unstake the old hotkey entirely when it is registered nowhere else),
 * plus what later Subtensor added and issue 3 asks for: the UID starts clean, i.e. its per-UID
 * consensus values are zeroed, its own weight and bond rows are removed, weights other neurons
 * set on it are zeroed, LastUpdate = now, and the old hotkey's axon / prometheus entries on the
 * subnet are removed.
 */
import { isHotkeyRegisteredOnAnyNetwork } from "../subnetsInit.js";
import type { DispatchContext } from "../../../frame/dispatch.js";
import type { ReadAccess, StorageAccess } from "../../../../state/types.js";
import { ROOT_NETUID } from "../constants.js";
import { subtensorError } from "../errors.js";
import {
  Active,
  Axons,
  BlockAtRegistration,
  Bonds,
  Consensus,
  Dividends,
  Emission,
  Incentive,
  IsNetworkMember,
  Keys,
  LastUpdate,
  MaxAllowedUids,
  Prometheus,
  Rank,
  SubnetworkN,
  Trust,
  Uids,
  ValidatorPermit,
  ValidatorTrust,
  Weights,
} from "../storage.js";
import { appendNeuron } from "../subnetsInit.js";
import { unstakeAllColdkeysFromHotkeyAccount } from "../staking/ledger.js";
import { getNeuronToPrune } from "./pruning.js";

type Ctx = Pick<DispatchContext, "state" | "deposit">;


/**
 * Gives `hotkey` a UID on `netuid` (registration step "append neuron or prune it"): fails with
 * NoNeuronIdAvailable when the subnet has no slots at all; appends while SubnetworkN <
 * MaxAllowedUids; otherwise replaces the UID chosen by `get_neuron_to_prune`. Returns the UID.
 */
export function assignUid(ctx: Ctx, netuid: number, hotkey: Uint8Array, block: bigint): number {
  const maxUids = MaxAllowedUids.get(ctx.state, netuid);
  if (maxUids === 0) throw subtensorError("NoNeuronIdAvailable");
  const n = SubnetworkN.get(ctx.state, netuid);
  if (n < maxUids) return appendNeuron(ctx.state, netuid, hotkey, block);
  const uid = getNeuronToPrune(ctx.state, netuid, block);
  replaceNeuron(ctx, netuid, uid, hotkey, block);
  return uid;
}

/** `replace_neuron(netuid, uid, new_hotkey, block)` with the clean start described above. */
export function replaceNeuron(ctx: Ctx, netuid: number, uid: number, newHotkey: Uint8Array, block: bigint): void {
  const { state } = ctx;
  const oldHotkey = Keys.get(state, netuid, uid);

  // Remove the old memberships.
  Uids.remove(state, netuid, oldHotkey);
  IsNetworkMember.remove(state, oldHotkey, netuid);
  Keys.remove(state, netuid, uid);
  Axons.remove(state, netuid, oldHotkey);
  Prometheus.remove(state, netuid, oldHotkey);

  // Classic: a hotkey that loses its last registration is unstaked completely.
  if (!isHotkeyRegisteredOnAnyNetwork(state, oldHotkey)) unstakeAllColdkeysFromHotkeyAccount(ctx, oldHotkey);

  // New memberships.
  setAt(state, Active, netuid, uid, true);
  Keys.put(state, newHotkey, netuid, uid);
  Uids.put(state, uid, netuid, newHotkey);
  BlockAtRegistration.put(state, block, netuid, uid);
  IsNetworkMember.put(state, true, newHotkey, netuid);

  clearNeuron(state, netuid, uid, block);
}

/**
 * Resets what the previous occupant of `uid` left behind: consensus values, validator permit,
 * weight and bond rows, weights pointing at it (on a subnet; root weights point at subnets, not
 * UIDs), and LastUpdate = the registration block. PruningScores keeps u16::MAX, which
 * `get_neuron_to_prune` wrote (classic).
 */
export function clearNeuron(state: StorageAccess, netuid: number, uid: number, block: bigint): void {
  setAt(state, Rank, netuid, uid, 0);
  setAt(state, Trust, netuid, uid, 0);
  setAt(state, Consensus, netuid, uid, 0);
  setAt(state, Incentive, netuid, uid, 0);
  setAt(state, Dividends, netuid, uid, 0);
  setAt(state, Emission, netuid, uid, 0n);
  setAt(state, ValidatorTrust, netuid, uid, 0);
  setAt(state, ValidatorPermit, netuid, uid, false);
  setAt(state, LastUpdate, netuid, uid, block);
  Weights.remove(state, netuid, uid);
  Bonds.remove(state, netuid, uid);
  if (netuid === ROOT_NETUID) return;
  for (const { keys, value } of Weights.entries(state, netuid)) {
    if (!value.some(([dest, w]) => dest === uid && w !== 0)) continue;
    Weights.put(
      state,
      value.map(([dest, w]) => [dest, dest === uid ? 0 : w] as [number, number]),
      netuid,
      keys[1],
    );
  }
}

/** Per-UID vector items (StorageMap netuid → Vec<T>). */
interface VectorItem<T> {
  get(state: ReadAccess, netuid: number): readonly T[];
  put(state: StorageAccess, value: T[], netuid: number): void;
}

/** Sets one element of a per-UID vector if it exists (Subtensor's `set_element_at`); the default vector is frozen, so copy. */
function setAt<T>(state: StorageAccess, item: VectorItem<T>, netuid: number, uid: number, value: T): void {
  const v = item.get(state, netuid);
  if (uid >= v.length || v[uid] === value) return;
  const next = [...v];
  next[uid] = value;
  item.put(state, next, netuid);
}
