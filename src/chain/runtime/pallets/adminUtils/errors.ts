/**
 * AdminUtils (pallet index 19, crate pallet_admin_utils) errors: the three variants of classic
 * Subtensor at de1026780 (`pallets/admin-utils/src/lib.rs`) in order (index = position), then two
 * later variants for the hyperparameters we keep from later Subtensor. Their positions (3, 4) are
 * also their indices at HEAD.
 *
 * Most hyperparameter setters fail with SubtensorModule errors (e.g. SubNetworkDoesNotExist via
 * `ensure_subnet_owner_or_root`), not with these.
 */
import type { ErrorDecl } from "../../frame/pallet.js";
import { DispatchError } from "../../frame/dispatch.js";

export const ADMIN_UTILS_PALLET_NAME = "AdminUtils";
export const ADMIN_UTILS_PALLET_INDEX = 19;

const CLASSIC = [
  ["SubnetDoesNotExist", "The subnet does not exist, check the netuid parameter"],
  ["MaxValidatorsLargerThanMaxUIds", "The maximum number of subnet validators must be less than the maximum number of allowed UIDs in the subnet."],
  ["MaxAllowedUIdsLessThanCurrentUIds", "The maximum number of subnet validators must be more than the current number of UIDs already in the subnet."],
] as const;

/** Appended: later variants (HEAD indices 3 and 4). */
const LATER = [
  ["BondsMovingAverageMaxReached", "The maximum value for bonds moving average is reached"],
  ["NegativeSigmoidSteepness", "Only root can set negative sigmoid steepness values"],
] as const;

export type AdminUtilsErrorName = (typeof CLASSIC)[number][0] | (typeof LATER)[number][0];

export const CLASSIC_ADMIN_UTILS_ERROR_COUNT = CLASSIC.length;

/** In index order. */
export const ADMIN_UTILS_ERRORS: ErrorDecl[] = [...CLASSIC, ...LATER].map(([name, doc]) => ({ name, docs: [doc] }));

const INDEX = new Map<string, number>(ADMIN_UTILS_ERRORS.map((e, i) => [e.name, i]));
if (INDEX.size !== ADMIN_UTILS_ERRORS.length) throw new Error("AdminUtils: duplicate error names");

export function adminUtilsErrorIndex(name: AdminUtilsErrorName): number {
  const i = INDEX.get(name);
  if (i === undefined) throw new Error(`AdminUtils has no error ${String(name)}`);
  return i;
}

/** The DispatchError for one of AdminUtils' errors: Module { index: 19, error: [i, 0, 0, 0] }. */
export function adminUtilsError(name: AdminUtilsErrorName): DispatchError {
  const i = adminUtilsErrorIndex(name);
  return new DispatchError({ tag: "Module", value: { index: ADMIN_UTILS_PALLET_INDEX, error: new Uint8Array([i, 0, 0, 0]) } }, `AdminUtils.${name}`);
}

export function isAdminUtilsError(e: unknown, name: AdminUtilsErrorName): boolean {
  if (!(e instanceof DispatchError) || e.error.tag !== "Module") return false;
  const v = e.error.value as { index: number; error: Uint8Array };
  return v.index === ADMIN_UTILS_PALLET_INDEX && v.error[0] === adminUtilsErrorIndex(name);
}

export const AdminUtilsErrors = {
  index: ADMIN_UTILS_PALLET_INDEX,
  error: adminUtilsError,
  indexOf: adminUtilsErrorIndex,
  is: isAdminUtilsError,
} as const;
