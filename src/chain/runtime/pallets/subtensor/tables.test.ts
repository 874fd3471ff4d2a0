import { beforeAll, describe, expect, it } from "vitest";
import { u8aToHex } from "@polkadot/util";
import type { GenericEvent } from "@polkadot/types";
import { DispatchError } from "../../frame/dispatch.js";
import { CLASSIC_ERROR_COUNT, SUBTENSOR_ERRORS } from "./errors.js";
import { CLASSIC_EVENT_COUNT, SUBTENSOR_EVENTS } from "./events.js";
import {
  SUBTENSOR_CONSTANTS,
  buildSubtensorPallet,
  isSubtensorError,
  subtensorError,
  subtensorErrorIndex,
  subtensorEvent,
  SubtensorErrors,
  type SubtensorErrorName,
  type SubtensorEventName,
} from "./pallet.js";
import { buildTestRuntime } from "../../../../../test/utils/subtensor/testRuntime.js";

const BOB = new Uint8Array(32).fill(0xbb);
const ALICE = new Uint8Array(32).fill(0xaa);

describe("SubtensorModule errors", () => {
  it("has unique names: 60 classic (de1026780 order) + 3 appended", () => {
    const names = SUBTENSOR_ERRORS.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    expect(CLASSIC_ERROR_COUNT).toBe(60);
    expect(names).toHaveLength(63);
    for (const e of SUBTENSOR_ERRORS) expect(e.docs?.[0]?.length).toBeGreaterThan(0);
  });

  it("keeps the classic indices (position in de1026780 errors.rs)", () => {
    const known: Array<[SubtensorErrorName, number]> = [
      ["SubNetworkDoesNotExist", 0],
      ["RootNetworkDoesNotExist", 1],
      ["HotKeyNotRegisteredInSubNet", 5],
      ["NonAssociatedColdKey", 8],
      ["NotEnoughBalanceToStake", 13],
      ["TooManyRegistrationsThisBlock", 21],
      ["HotKeyAlreadyRegisteredInSubNet", 22],
      ["SettingWeightsTooFast", 29],
      ["NetworkTxRateLimitExceeded", 33],
      ["SubNetRegistrationDisabled", 38],
      ["TooManyRegistrationsThisInterval", 39],
      ["RegistrationNotPermittedOnRootSubnet", 44],
      ["DelegateTakeTooHigh", 53],
      ["CommitRevealDisabled", 59],
      ["LiquidAlphaDisabled", 60],
      ["AlphaLowOutOfRange", 62],
    ];
    for (const [name, index] of known) expect([name, subtensorErrorIndex(name)]).toEqual([name, index]);
  });

  it("subtensorError builds the DispatchError the Pallet builds", () => {
    const pallet = buildSubtensorPallet([]);
    for (const name of ["SubNetworkDoesNotExist", "NotSubnetOwner", "AlphaHighTooLow"] as const) {
      const e = subtensorError(name);
      expect(e).toBeInstanceOf(DispatchError);
      expect(e.error).toEqual(pallet.error(name).error);
      expect(e.message).toBe(`SubtensorModule.${name}`);
      expect(isSubtensorError(e, name)).toBe(true);
    }
    expect(subtensorError("InvalidPort").error).toEqual({ tag: "Module", value: { index: 7, error: new Uint8Array([4, 0, 0, 0]) } });
    expect(isSubtensorError(subtensorError("InvalidPort"), "InvalidIpType")).toBe(false);
    expect(SubtensorErrors.error("NotSubnetOwner").error).toEqual(subtensorError("NotSubnetOwner").error);
  });

  it("rejects unknown error names at run time too", () => {
    expect(() => subtensorError("SubnetNotExists" as SubtensorErrorName)).toThrow(/no error SubnetNotExists/);
  });
});

describe("SubtensorModule events", () => {
  it("has unique names and indices: 59 classic (de1026780 order) + 4 appended", () => {
    const names = SUBTENSOR_EVENTS.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    expect(CLASSIC_EVENT_COUNT).toBe(59);
    expect(SUBTENSOR_EVENTS.map((e) => e.index)).toEqual(names.map((_, i) => i));
  });

  it("keeps the classic indices", () => {
    const idx = (n: string) => SUBTENSOR_EVENTS.find((e) => e.name === n)!.index;
    expect(idx("NetworkAdded")).toBe(0);
    expect(idx("StakeAdded")).toBe(2);
    expect(idx("StakeRemoved")).toBe(3);
    expect(idx("WeightsSet")).toBe(4);
    expect(idx("NeuronRegistered")).toBe(5);
    expect(idx("AxonServed")).toBe(24);
    expect(idx("EmissionValuesSet")).toBe(26);
    expect(idx("Sudid")).toBe(38);
    expect(idx("HotkeySwapped")).toBe(55);
    expect(idx("TargetStakesPerIntervalSet")).toBe(58);
    expect(idx("WeightsCommitted")).toBe(59);
  });

  it("validates names and values where the event is built", () => {
    expect(subtensorEvent("NetworkAdded", [3, 0])).toEqual({ tag: "SubtensorModule", value: { tag: "NetworkAdded", value: [3, 0] } });
    expect(subtensorEvent("NetworkRemoved", 3).value).toEqual({ tag: "NetworkRemoved", value: 3 });
    expect(subtensorEvent("EmissionValuesSet").value).toEqual({ tag: "EmissionValuesSet", value: undefined });
    expect(() => subtensorEvent("NetworkAddded" as SubtensorEventName, [1, 0])).toThrow(/no event NetworkAddded/);
    expect(() => subtensorEvent("NetworkAdded", [1])).toThrow(/array of 2/);
    expect(() => subtensorEvent("NetworkAdded", [1, 0, 5])).toThrow(/array of 2/);
    expect(() => subtensorEvent("NetworkAdded", 1)).toThrow(/array of 2/);
    expect(() => subtensorEvent("TempoSet", [1, 70_000])).toThrow(/invalid event value/);
    expect(() => subtensorEvent("EmissionValuesSet", 1)).toThrow(/takes no fields/);
    expect(() => subtensorEvent("HotkeySwapped", { coldkey: ALICE, oldHotkey: BOB })).toThrow(/missing field newHotkey/);
  });
});

describe("SubtensorModule through @polkadot/types", () => {
  let t: ReturnType<typeof buildTestRuntime>;
  beforeAll(() => {
    t = buildTestRuntime();
  });

  it("clients resolve our module errors by name", () => {
    for (const name of ["SubNetworkDoesNotExist", "HotKeyAlreadyRegisteredInSubNet", "CommitRevealDisabled", "LiquidAlphaDisabled"] as const) {
      const v = subtensorError(name).error.value as { index: number; error: Uint8Array };
      const meta = t.registry.findMetaError({ index: t.registry.createType("u8", v.index), error: t.registry.createType("u8", v.error[0]) } as never);
      expect([meta.section, meta.name]).toEqual(["subtensorModule", name]);
    }
  });

  it("clients decode our events: tuple variants, named variants, DispatchResult", () => {
    const decode = (ev: ReturnType<typeof subtensorEvent>) => t.registry.createType("Event", t.runtime.eventCodec.encode(ev)) as GenericEvent;
    const added = decode(subtensorEvent("NetworkAdded", [3, 0]));
    expect([added.section, added.method, added.data.toJSON()]).toEqual(["subtensorModule", "NetworkAdded", [3, 0]]);
    const reg = decode(subtensorEvent("NeuronRegistered", [1, 7, BOB]));
    expect(reg.data.map((d) => u8aToHex(d.toU8a()))).toEqual(["0x0100", "0x0700", u8aToHex(BOB)]);
    const stake = decode(subtensorEvent("StakeAdded", [BOB, 5_000_000_000n]));
    expect(stake.data[1].toString()).toBe("5000000000");
    const swapped = decode(subtensorEvent("HotkeySwapped", { coldkey: ALICE, oldHotkey: BOB, newHotkey: ALICE }));
    expect(swapped.method).toBe("HotkeySwapped");
    expect((swapped.data as unknown as { oldHotkey: { toU8a(): Uint8Array } }).oldHotkey.toU8a()).toEqual(BOB);
    const sudid = decode(subtensorEvent("Sudid", { tag: "Err", value: { tag: "BadOrigin" } }));
    expect(sudid.data.toJSON()).toEqual([{ err: { badOrigin: null } }]);
    const none = decode(subtensorEvent("EmissionValuesSet"));
    expect([none.method, none.data.length]).toEqual(["EmissionValuesSet", 0]);
    const steep = decode(subtensorEvent("AlphaSigmoidSteepnessSet", [2, -5]));
    expect(steep.data.toJSON()).toEqual([2, -5]);
  });

  it("lists the classic Config constants with the runtime's values", () => {
    const consts = t.decorated.consts.subtensorModule;
    expect(SUBTENSOR_CONSTANTS).toHaveLength(41);
    expect(consts.initialTempo.toString()).toBe("99");
    expect(consts.initialNetworkMinLockCost.toString()).toBe("1000000000000");
    expect(consts.initialMaxDifficulty.toString()).toBe("4611686018427387903");
    expect(consts.initialTargetStakesPerInterval.toString()).toBe("1");
    expect(t.subtensor.constant<number>("InitialDefaultTake")).toBe(11796);
  });

  it("assembles the pallet at index 7 and rejects duplicate call indices", () => {
    const pallets = t.metadata.asV14.pallets.map((p) => [p.name.toString(), p.index.toNumber()]);
    expect(pallets).toContainEqual(["SubtensorModule", 7]);
    const noop = { args: [], origin: "signed" as const, weight: () => 1n, dispatch: () => {} };
    expect(() => buildSubtensorPallet([{ ...noop, name: "a", index: 1 }, { ...noop, name: "b", index: 1 }])).toThrow(/call index 1/);
    const p = buildSubtensorPallet([{ ...noop, name: "burned_register", index: 7 }, { ...noop, name: "set_weights", index: 0 }]);
    expect(p.callCodec!.variantNames()).toEqual(["set_weights", "burned_register"]);
  });
});
