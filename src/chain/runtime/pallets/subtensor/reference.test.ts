/**
 * Cross-checks the declarations against classic Subtensor (commit de1026780) as recorded in
 * test/fixtures/subtensor/classic-de1026780.json: storage names, order, hashers, key/value types,
 * ValueQuery vs OptionQuery and defaults; error and event order and fields; the runtime's Config
 * values; init_new_network's values; every SubtensorModule call's index, name, arguments, dispatch
 * class and Pays. The fixture is extracted from Subtensor's source by
 * scripts/subtensor-reference (`npm run reference:subtensor`); it is part of the repository, so
 * this test runs everywhere, and a missing fixture fails it.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { Codec, type FieldSpec } from "../../../codec/scale.js";
import { parseReferenceFixture, ReferenceFixtureError, toFixtureValue } from "../../../../../scripts/subtensor-reference/fixture.js";
import * as C from "./constants.js";
import { CLASSIC_ERROR_COUNT, SUBTENSOR_ERRORS } from "./errors.js";
import { CLASSIC_EVENT_COUNT, SUBTENSOR_EVENTS } from "./events.js";
import { CLASSIC_STORAGE_COUNT, SUBTENSOR_STORAGE } from "./storage.js";
import { SUBTENSOR_CONSTANTS } from "./pallet.js";
import { subtensorPallet } from "./index.js";
import { ADMIN_UTILS_ERRORS, CLASSIC_ADMIN_UTILS_ERROR_COUNT } from "../adminUtils/errors.js";

const FIXTURE = new URL("../../../../../test/fixtures/subtensor/classic-de1026780.json", import.meta.url);
const readText = (url: URL): string | undefined => {
  try {
    return readFileSync(url, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
};
// Read at load time: without the fixture this file fails (it never skips).
const ref = parseReferenceFixture(readText(FIXTURE), FIXTURE.pathname);

/** Classic calls we do not declare: Subtensor's council/senate governance (no Triumvirate or Senate pallets here). */
const GOVERNANCE_CALLS = ["sudo", "sudo_unchecked_weight", "vote"];

/** The Rust spelling of one of our codecs, as written in lib.rs. */
function rustType(c: Codec<unknown>): string {
  const info = c.resolve().info;
  if (info.path.length) {
    const n = info.path[info.path.length - 1];
    return n === "AccountId32" ? "T::AccountId" : n;
  }
  const d = info.def;
  if (d.kind === "primitive") return d.primitive;
  if (d.kind === "sequence") return `Vec<${rustType(d.inner)}>`;
  if (d.kind === "tuple") return `(${d.items.map(rustType).join(", ")})`;
  return d.kind;
}

describe("the reference fixture", () => {
  it("comes from Subtensor de1026780, and a missing one is an error", () => {
    expect(ref.source.commit.startsWith("de1026780")).toBe(true);
    expect(() => parseReferenceFixture(undefined, "nowhere.json")).toThrow(ReferenceFixtureError);
    expect(() => parseReferenceFixture(JSON.stringify({ source: { commit: ref.source.commit }, storage: [] }), "empty.json")).toThrow(ReferenceFixtureError);
  });
});

describe(`declarations match Subtensor ${ref.source.commit.slice(0, 9)}`, () => {
  it("storage: same items in the same order, hashers, key and value types, query kind and default", () => {
    expect(ref.storage).toHaveLength(CLASSIC_STORAGE_COUNT);
    ref.storage.forEach((r, i) => {
      const ours = SUBTENSOR_STORAGE[i];
      const md = ours.metadata();
      expect({ name: ours.name, keys: ours.keyParts.map((k) => ({ hasher: k.hasher, type: rustType(k.codec) })), value: rustType(ours.value) }).toEqual({
        name: r.name,
        keys: r.keys,
        value: r.value,
      });
      expect([r.name, md.modifier]).toEqual([r.name, r.query === "OptionQuery" ? "Optional" : "Default"]);
      if (r.query !== "ValueQuery") return;
      if (r.default) expect([r.name, toFixtureValue(ours.value.decode(md.fallback))]).toEqual([r.name, r.default.value]);
      else expect([r.name, md.fallback.every((b) => b === 0)]).toEqual([r.name, true]);
    });
  });

  it("errors: the classic enum in order", () => {
    expect(ref.errors).toHaveLength(CLASSIC_ERROR_COUNT);
    expect(SUBTENSOR_ERRORS.slice(0, CLASSIC_ERROR_COUNT).map((e) => e.name)).toEqual(ref.errors);
  });

  it("events: the classic enum in order, with the same field types", () => {
    expect(ref.events).toHaveLength(CLASSIC_EVENT_COUNT);
    ref.events.forEach((v, i) => {
      const ours = SUBTENSOR_EVENTS[i];
      const fields = (ours.fields as unknown as Array<Codec<unknown> | FieldSpec>).map((f) => (f instanceof Codec ? rustType(f) : `${f.name}: ${rustType(f.type)}`));
      const rustFields = v.fields.map((f) => (f === "DispatchResult" ? "Result" : f));
      expect({ index: ours.index, name: ours.name, fields }).toEqual({ index: v.index, name: v.name, fields: rustFields });
    });
  });

  it("admin-utils errors: the classic enum in order; no events", () => {
    expect(ref.adminUtils.errors).toHaveLength(CLASSIC_ADMIN_UTILS_ERROR_COUNT);
    expect(ADMIN_UTILS_ERRORS.slice(0, CLASSIC_ADMIN_UTILS_ERROR_COUNT).map((e) => e.name)).toEqual(ref.adminUtils.errors);
    expect(ref.adminUtils.eventEnumEmpty).toBe(true);
  });

  it("constants: every pallet::constant of Config, in order, with the runtime's value", () => {
    expect(SUBTENSOR_CONSTANTS.map((c) => ({ name: c.name, type: rustType(c.codec) }))).toEqual(ref.constants.map(({ name, type }) => ({ name, type })));
    for (const [i, c] of SUBTENSOR_CONSTANTS.entries()) {
      expect([c.name, toFixtureValue(c.value)]).toEqual([c.name, ref.constants[i].value]);
      expect(C[c.name as keyof typeof C]).toBe(c.value);
    }
  });

  it("init_new_network writes the values constants.ts names", () => {
    expect(ref.initNewNetwork.setters).toEqual({
      set_network_registration_allowed: true,
      set_max_allowed_uids: toFixtureValue(C.NEW_SUBNET_MAX_ALLOWED_UIDS),
      set_max_allowed_validators: toFixtureValue(C.NEW_SUBNET_MAX_ALLOWED_VALIDATORS),
      set_min_allowed_weights: toFixtureValue(C.NEW_SUBNET_MIN_ALLOWED_WEIGHTS),
      set_max_weight_limit: toFixtureValue(C.NEW_SUBNET_MAX_WEIGHTS_LIMIT),
      set_adjustment_interval: toFixtureValue(C.NEW_SUBNET_ADJUSTMENT_INTERVAL),
      set_target_registrations_per_interval: toFixtureValue(C.NEW_SUBNET_TARGET_REGISTRATIONS_PER_INTERVAL),
      set_adjustment_alpha: toFixtureValue(C.NEW_SUBNET_ADJUSTMENT_ALPHA),
      set_immunity_period: toFixtureValue(C.NEW_SUBNET_IMMUNITY_PERIOD),
      set_min_burn: toFixtureValue(C.NEW_SUBNET_MIN_BURN),
      set_min_difficulty: toFixtureValue(C.NEW_SUBNET_MIN_DIFFICULTY),
      set_max_difficulty: toFixtureValue(C.NEW_SUBNET_MAX_DIFFICULTY),
    });
    expect(ref.initNewNetwork.registerNetworkTempo).toBe(C.NEW_SUBNET_TEMPO);
  });

  it("calls: every SubtensorModule call has classic's index, name, argument names and types, dispatch class and Pays", () => {
    const ours = subtensorPallet({ faucet: true }).calls.map((c) => ({
      index: c.index,
      name: c.name,
      args: c.args.map((a) => ({ name: a.name, type: rustType(a.type) })),
      class: c.class ?? "Normal",
      pays: c.paysFee === false ? "No" : "Yes",
    }));
    const classic = new Map(ref.calls.map((c) => [c.name, c]));
    for (const call of ours) expect(call).toEqual(classic.get(call.name));
    // the argument names as declared (typeName) are the Rust spellings too
    for (const c of subtensorPallet({ faucet: true }).calls) {
      expect([c.name, c.args.map((a) => a.typeName)]).toEqual([c.name, classic.get(c.name)!.args.map((a) => a.type)]);
    }
    // everything classic has, except its council governance
    const missing = ref.calls.map((c) => c.name).filter((n) => !ours.some((c) => c.name === n));
    expect(missing).toEqual(GOVERNANCE_CALLS);
  });

  it("register_network takes no argument (classic), unlike current Subtensor's register_network(hotkey)", () => {
    expect(ref.calls.find((c) => c.name === "register_network")).toEqual({ index: 59, name: "register_network", args: [], class: "Operational", pays: "No" });
    expect(subtensorPallet({ faucet: false }).call("register_network").args).toEqual([]);
  });
});
