/**
 * AdminUtils (index 19, crate pallet_admin_utils): root / subnet-owner setters of Subtensor's
 * hyperparameters. It has no storage and no constants; the calls (written elsewhere) call into
 * SubtensorModule's storage and are passed in here.
 */
import { Pallet, type CallDecl } from "../../frame/pallet.js";
import { ADMIN_UTILS_ERRORS, ADMIN_UTILS_PALLET_INDEX, ADMIN_UTILS_PALLET_NAME } from "./errors.js";
import { ADMIN_UTILS_EVENTS } from "./events.js";

export { adminUtilsError, adminUtilsErrorIndex, isAdminUtilsError, AdminUtilsErrors, type AdminUtilsErrorName } from "./errors.js";
export { adminUtilsEvent, type AdminUtilsEventName } from "./events.js";
export { ADMIN_UTILS_PALLET_INDEX, ADMIN_UTILS_PALLET_NAME };

export function buildAdminUtilsPallet(calls: CallDecl[]): Pallet {
  const seen = new Map<number, string>();
  for (const c of calls) {
    const other = seen.get(c.index);
    if (other !== undefined) throw new Error(`AdminUtils: call index ${c.index} used by both ${other} and ${c.name}`);
    seen.set(c.index, c.name);
  }
  return new Pallet({
    name: ADMIN_UTILS_PALLET_NAME,
    index: ADMIN_UTILS_PALLET_INDEX,
    crate: "pallet_admin_utils",
    storage: [],
    calls: [...calls].sort((a, b) => a.index - b.index),
    events: ADMIN_UTILS_EVENTS,
    errors: ADMIN_UTILS_ERRORS,
    docs: ["Root and subnet-owner setters of Subtensor's hyperparameters."],
  });
}
