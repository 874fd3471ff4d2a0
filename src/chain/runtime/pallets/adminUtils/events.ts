/**
 * AdminUtils events. Classic Subtensor (de1026780) declares an empty `Event` enum: every setter
 * reports through SubtensorModule events (e.g. TempoSet) or not at all. We add one HEAD event for
 * the Yuma3 switch we keep from later Subtensor, at its HEAD index (1; HEAD's index 0 is the EVM
 * `PrecompileUpdated`, which we do not have).
 */
import { EnumCodec, bool, snakeToCamel, u16, type EnumValue } from "../../../codec/scale.js";
import type { EventDecl } from "../../frame/pallet.js";
import { ADMIN_UTILS_PALLET_NAME } from "./errors.js";

export const ADMIN_UTILS_EVENTS: EventDecl[] = [
  {
    name: "Yuma3EnableToggled",
    index: 1,
    fields: [
      // HEAD: NetUid (a u16 newtype); classic-style plain u16 here.
      { name: "netuid", type: u16, typeName: "u16", docs: ["The network identifier."] },
      { name: "enabled", type: bool, typeName: "bool", docs: ["Indicates if the Yuma3 enable was enabled or disabled."] },
    ],
    docs: ["Event emitted when the Yuma3 enable is toggled."],
  },
];

export type AdminUtilsEventName = "Yuma3EnableToggled";

const CHECK = new EnumCodec(
  ADMIN_UTILS_EVENTS.map((e) => ({ name: e.name, index: e.index, fields: e.fields })),
  { path: ["pallet_admin_utils", "pallet", "Event"] },
);

/** A RuntimeEvent value for an AdminUtils event; throws on an unknown name or an invalid value. */
export function adminUtilsEvent(name: AdminUtilsEventName, value?: unknown): EnumValue {
  const inner: EnumValue = { tag: name, value };
  const decl = ADMIN_UTILS_EVENTS.find((e) => e.name === name);
  if (!decl) throw new Error(`AdminUtils has no event ${String(name)}`);
  for (const f of decl.fields) {
    const key = snakeToCamel(f.name);
    if (typeof value !== "object" || value === null || (value as Record<string, unknown>)[key] === undefined) {
      throw new Error(`AdminUtils.${name}: missing field ${key}`);
    }
  }
  try {
    CHECK.encode(inner);
  } catch (e) {
    throw new Error(`AdminUtils.${String(name)}: invalid event value (${(e as Error).message})`);
  }
  return { tag: ADMIN_UTILS_PALLET_NAME, value: inner };
}
