/**
 * The two guards every AdminUtils setter starts with: who may call it (root, or the subnet owner
 * or root) and whether the subnet exists.
 */
import { bytesEqual } from "../../../../util/bytes.js";
import { BadOrigin, ensureRoot, type DispatchContext } from "../../frame/dispatch.js";
import { NetworksAdded, SubnetOwner } from "../subtensor/storage.js";
import { adminUtilsError } from "./errors.js";

/**
 * Classic `ensure_subnet_owner_or_root` (utils.rs at de1026780): root passes (returns null); a
 * signed origin passes only if it is `SubnetOwner[netuid]` (returns it); anything else is
 * BadOrigin. It does not check that the subnet exists: a nonexistent subnet's owner reads as the
 * all-zero account, which no one can sign for.
 */
export function ensureSubnetOwnerOrRoot(ctx: DispatchContext, netuid: number): Uint8Array | null {
  const o = ctx.origin;
  if (o.kind === "root") return null;
  if (o.kind === "signed" && bytesEqual(SubnetOwner.get(ctx.state, netuid), o.who)) return o.who;
  throw BadOrigin();
}

/** Root only (`ensure_root`); null = root, like `ensureSubnetOwnerOrRoot`. */
export function ensureRootCaller(ctx: DispatchContext): null {
  ensureRoot(ctx.origin);
  return null;
}

/** `ensure!(if_subnet_exist(netuid), Error::<T>::SubnetDoesNotExist)`: AdminUtils' own error. */
export function ensureSubnetExists(ctx: DispatchContext, netuid: number): void {
  if (!NetworksAdded.get(ctx.state, netuid)) throw adminUtilsError("SubnetDoesNotExist");
}
