/**
 * `root_register(hotkey)`: joining the root network (netuid 0), classic root.rs at de1026780.
 * While root has room the hotkey is appended; when full it replaces the member with the lowest
 * total hotkey stake (the first such UID in storage order), provided the newcomer's stake is
 * strictly higher (StakeTooLowForRoot otherwise). Every root member is made a delegate with the
 * default 18 % take if it is not one already.
 *
 * Not reproduced: classic also added the hotkey to the Senate (a collective this chain does not
 * have). As at de1026780, the coldkey's ownership of an already-owned hotkey is not checked here.
 */
import type { DispatchContext } from "../../../frame/dispatch.js";
import { ensureSigned } from "../../../frame/dispatch.js";
import * as C from "../constants.js";
import { subtensorError } from "../errors.js";
import { subtensorEvent } from "../events.js";
import { Delegates, Keys, MaxAllowedUids, MaxRegistrationsPerBlock, NetworksAdded, RegistrationsThisBlock, RegistrationsThisInterval, SubnetworkN, TotalHotkeyStake, Uids } from "../storage.js";
import { appendNeuron, createAccountIfNonExistent } from "../subnetsInit.js";
import { satInc16 } from "./math.js";
import { maxRegistrationsPerInterval } from "./register.js";
import { replaceNeuron } from "./uids.js";

/** `delegate_hotkey(hotkey, 11_796)` in `do_root_register`: 18 % regardless of MaxTake. */
const ROOT_DELEGATE_TAKE = 11_796;

export function doRootRegister(ctx: DispatchContext, hotkey: Uint8Array): void {
  const root = C.ROOT_NETUID;
  const { state } = ctx;
  const block = BigInt(ctx.block.number);
  if (!NetworksAdded.get(state, root)) throw subtensorError("RootNetworkDoesNotExist");
  const coldkey = ensureSigned(ctx.origin);

  if (RegistrationsThisBlock.get(state, root) >= MaxRegistrationsPerBlock.get(state, root)) throw subtensorError("TooManyRegistrationsThisBlock");
  if (RegistrationsThisInterval.get(state, root) >= maxRegistrationsPerInterval(state, root)) throw subtensorError("TooManyRegistrationsThisInterval");
  if (Uids.exists(state, root, hotkey)) throw subtensorError("HotKeyAlreadyRegisteredInSubNet");

  createAccountIfNonExistent(state, coldkey, hotkey);

  let uid: number;
  if (SubnetworkN.get(state, root) < MaxAllowedUids.get(state, root)) {
    uid = appendNeuron(state, root, hotkey, block);
  } else {
    // The lowest-stake member, scanning Keys in storage order (strictly lower wins: the first on a tie).
    let lowestStake = C.U64_MAX;
    let lowestUid = 0;
    for (const { keys, value: member } of Keys.entries(state, root)) {
      const stake = TotalHotkeyStake.get(state, member);
      if (stake < lowestStake) {
        lowestStake = stake;
        lowestUid = keys[1];
      }
    }
    if (!Keys.exists(state, root, lowestUid)) throw subtensorError("HotKeyNotRegisteredInSubNet");
    if (!(lowestStake < TotalHotkeyStake.get(state, hotkey))) throw subtensorError("StakeTooLowForRoot");
    replaceNeuron(ctx, root, lowestUid, hotkey, block);
    uid = lowestUid;
  }

  if (!Delegates.exists(state, hotkey)) Delegates.put(state, ROOT_DELEGATE_TAKE, hotkey);

  RegistrationsThisInterval.put(state, satInc16(RegistrationsThisInterval.get(state, root)), root);
  RegistrationsThisBlock.put(state, satInc16(RegistrationsThisBlock.get(state, root)), root);
  ctx.deposit(subtensorEvent("NeuronRegistered", [root, uid, hotkey]));
}
