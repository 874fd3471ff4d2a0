import { beforeAll, describe, expect, it } from "vitest";
import type { GenericEvent } from "@polkadot/types";
import { ADMIN_UTILS_ERRORS, CLASSIC_ADMIN_UTILS_ERROR_COUNT } from "./errors.js";
import { ADMIN_UTILS_EVENTS } from "./events.js";
import { adminUtilsError, adminUtilsErrorIndex, adminUtilsEvent, buildAdminUtilsPallet, isAdminUtilsError, type AdminUtilsErrorName } from "./pallet.js";
import { buildTestRuntime } from "../../../../../test/utils/subtensor/testRuntime.js";

describe("AdminUtils declarations", () => {
  let t: ReturnType<typeof buildTestRuntime>;
  beforeAll(() => {
    t = buildTestRuntime();
  });

  it("errors: the 3 classic variants in order, then 2 later ones at their HEAD indices", () => {
    expect(ADMIN_UTILS_ERRORS.map((e) => e.name)).toEqual([
      "SubnetDoesNotExist",
      "MaxValidatorsLargerThanMaxUIds",
      "MaxAllowedUIdsLessThanCurrentUIds",
      "BondsMovingAverageMaxReached",
      "NegativeSigmoidSteepness",
    ]);
    expect(CLASSIC_ADMIN_UTILS_ERROR_COUNT).toBe(3);
    expect(adminUtilsErrorIndex("MaxAllowedUIdsLessThanCurrentUIds")).toBe(2);
    expect(adminUtilsError("MaxValidatorsLargerThanMaxUIds").error).toEqual({ tag: "Module", value: { index: 19, error: new Uint8Array([1, 0, 0, 0]) } });
    expect(adminUtilsError("SubnetDoesNotExist").error).toEqual(buildAdminUtilsPallet([]).error("SubnetDoesNotExist").error);
    expect(isAdminUtilsError(adminUtilsError("NegativeSigmoidSteepness"), "NegativeSigmoidSteepness")).toBe(true);
    expect(() => adminUtilsError("Nope" as AdminUtilsErrorName)).toThrow(/no error Nope/);
  });

  it("is pallet 19 for clients, with errors and the Yuma3 event they can decode", () => {
    const pallets = t.metadata.asV14.pallets.map((p) => [p.name.toString(), p.index.toNumber()]);
    expect(pallets).toContainEqual(["AdminUtils", 19]);
    const meta = t.registry.findMetaError({ index: t.registry.createType("u8", 19), error: t.registry.createType("u8", 1) } as never);
    expect([meta.section, meta.name]).toEqual(["adminUtils", "MaxValidatorsLargerThanMaxUIds"]);
    expect(ADMIN_UTILS_EVENTS.map((e) => [e.name, e.index])).toEqual([["Yuma3EnableToggled", 1]]);
    const ev = t.registry.createType("Event", t.runtime.eventCodec.encode(adminUtilsEvent("Yuma3EnableToggled", { netuid: 3, enabled: true }))) as GenericEvent;
    expect([ev.section, ev.method, ev.data.toJSON()]).toEqual(["adminUtils", "Yuma3EnableToggled", [3, true]]);
    expect(() => adminUtilsEvent("Yuma3EnableToggled", { netuid: 3 })).toThrow(/missing field enabled/);
    expect(() => adminUtilsEvent("Yuma3EnableToggled", { netuid: 70_000, enabled: true })).toThrow(/invalid event value/);
  });
});
