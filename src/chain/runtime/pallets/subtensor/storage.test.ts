import { beforeAll, describe, expect, it } from "vitest";
import { u8aConcat, u8aToHex, stringToU8a } from "@polkadot/util";
import { blake2AsU8a, xxhashAsU8a } from "@polkadot/util-crypto";
import type { StorageEntry } from "@polkadot/types/primitive/types";
import * as S from "./storage.js";
import { buildTestRuntime } from "../../../../../test/utils/subtensor/testRuntime.js";

const BOB = new Uint8Array(32).fill(0xbb);
const ALICE = new Uint8Array(32).fill(0xaa);
const hex = u8aToHex;

describe("SubtensorModule storage declarations", () => {
  let t: ReturnType<typeof buildTestRuntime>;
  let entries: Map<string, StorageEntry>;

  beforeAll(() => {
    t = buildTestRuntime();
    entries = new Map(
      Object.entries(t.decorated.query.subtensorModule)
        .filter(([k]) => k !== "palletVersion") // added by polkadot-js, not in the metadata
        .map(([, fn]) => [fn.meta.name.toString(), fn as StorageEntry]),
    );
  });

  /** The key polkadot-js computes from our metadata for item `name` and the given arguments. */
  const pjsKey = (name: string, ...args: unknown[]) => hex(t.registry.createType("StorageKey", [entries.get(name)!, args]).toU8a(true));

  /** The value polkadot-js reads for an absent key: the metadata fallback decoded with the item's type. */
  const pjsDefault = (name: string) => {
    const meta = entries.get(name)!.meta;
    const ty = t.registry.lookup.getTypeDef(meta.type.isPlain ? meta.type.asPlain : meta.type.asMap.value).type;
    return meta.modifier.isOptional ? t.registry.createType(`Option<${ty}>`, null) : t.registry.createType(ty, meta.fallback.toU8a(true));
  };

  it("declares every item once: 98 from de1026780 plus 7 later ones, bound to SubtensorModule", () => {
    expect(S.SUBTENSOR_STORAGE).toHaveLength(105);
    expect(S.CLASSIC_STORAGE_COUNT).toBe(98);
    const names = S.SUBTENSOR_STORAGE.map((i) => i.name);
    expect(new Set(names).size).toBe(names.length);
    for (const item of S.SUBTENSOR_STORAGE) expect(item.pallet).toBe("SubtensorModule");
    // the metadata lists them in declaration order
    expect([...entries.keys()]).toEqual(names);
  });

  it("SubtensorModule.TotalIssuance has Subtensor's well-known key", () => {
    expect(hex(S.TotalIssuance.key())).toBe("0x658faa385070e074c85bf6b568cf055557c875e4cff74148e4628f264b974c80");
    expect(pjsKey("TotalIssuance")).toBe("0x658faa385070e074c85bf6b568cf055557c875e4cff74148e4628f264b974c80");
  });

  it("computes the keys @polkadot/types computes (Identity, Blake2_128Concat, Twox64Concat)", () => {
    expect(hex(S.Tempo.key(1))).toBe(pjsKey("Tempo", 1));
    expect(hex(S.Uids.key(1, BOB))).toBe(pjsKey("Uids", 1, BOB));
    expect(hex(S.Keys.key(3, 17))).toBe(pjsKey("Keys", 3, 17));
    expect(hex(S.Weights.key(1, 7))).toBe(pjsKey("Weights", 1, 7));
    expect(hex(S.Bonds.key(2, 300))).toBe(pjsKey("Bonds", 2, 300));
    expect(hex(S.Owner.key(BOB))).toBe(pjsKey("Owner", BOB));
    expect(hex(S.Delegates.key(BOB))).toBe(pjsKey("Delegates", BOB));
    expect(hex(S.Stake.key(BOB, ALICE))).toBe(pjsKey("Stake", BOB, ALICE));
    expect(hex(S.TotalHotkeyStake.key(BOB))).toBe(pjsKey("TotalHotkeyStake", BOB));
    expect(hex(S.IsNetworkMember.key(BOB, 5))).toBe(pjsKey("IsNetworkMember", BOB, 5));
    expect(hex(S.Axons.key(1, BOB))).toBe(pjsKey("Axons", 1, BOB));
    expect(hex(S.WeightCommits.key(1, BOB))).toBe(pjsKey("WeightCommits", 1, BOB));
    expect(hex(S.LiquidAlphaOn.key(4))).toBe(pjsKey("LiquidAlphaOn", 4));
    expect(hex(S.UsedWork.key(new Uint8Array([1, 2, 3])))).toBe(pjsKey("UsedWork", "0x010203")) // Bytes from hex = raw bytes;
    expect(hex(S.StakingHotkeys.key(ALICE))).toBe(pjsKey("StakingHotkeys", ALICE));
    // iteration prefixes
    expect(hex(t.decorated.query.subtensorModule.uids.keyPrefix(1))).toBe(hex(S.Uids.key(1)));
    expect(hex(t.decorated.query.subtensorModule.stake.keyPrefix(BOB))).toBe(hex(S.Stake.key(BOB)));
  });

  it("computes the same keys from first principles (twox128 ++ twox128 ++ hashers)", () => {
    const prefix = (item: string) => u8aConcat(xxhashAsU8a(stringToU8a("SubtensorModule"), 128), xxhashAsU8a(stringToU8a(item), 128));
    const le16 = (n: number) => new Uint8Array([n & 0xff, n >> 8]);
    const b2c = (b: Uint8Array) => u8aConcat(blake2AsU8a(b, 128), b);
    const t64c = (b: Uint8Array) => u8aConcat(xxhashAsU8a(b, 64), b);
    expect(hex(S.Tempo.key(1))).toBe(hex(u8aConcat(prefix("Tempo"), le16(1))));
    expect(hex(S.Tempo.key(1))).toBe("0x658faa385070e074c85bf6b568cf05557641384bb339f3758acddfd7053d33170100");
    expect(hex(S.Uids.key(1, BOB))).toBe(hex(u8aConcat(prefix("Uids"), le16(1), b2c(BOB))));
    expect(hex(S.IsNetworkMember.key(BOB, 1))).toBe(hex(u8aConcat(prefix("IsNetworkMember"), b2c(BOB), le16(1))));
    expect(hex(S.WeightCommits.key(3, BOB))).toBe(hex(u8aConcat(prefix("WeightCommits"), t64c(le16(3)), t64c(BOB))));
    expect(hex(S.TotalColdkeyStake.key(BOB))).toBe(hex(u8aConcat(prefix("TotalColdkeyStake"), BOB)));
  });

  it("decodes keys back (what entries() does)", () => {
    expect(S.Uids.decodeKey(S.Uids.key(9, BOB))).toEqual([9, BOB]);
    expect(S.Stake.decodeKey(S.Stake.key(BOB, ALICE))).toEqual([BOB, ALICE]);
    expect(S.WeightCommits.decodeKey(S.WeightCommits.key(2, ALICE))).toEqual([2, ALICE]);
  });

  it("has the hashers of polkadot-js-compat §6 for the main items", () => {
    const hashers = (name: string) => {
      const m = entries.get(name)!.meta;
      return m.type.isPlain ? [] : m.type.asMap.hashers.map((h) => h.toString());
    };
    expect(hashers("TotalIssuance")).toEqual([]);
    for (const n of ["Tempo", "SubnetworkN", "NetworksAdded", "Burn", "Difficulty", "SubnetOwner", "NetworkRegisteredAt", "Active", "ValidatorPermit", "Emission", "Dividends", "Incentive", "LastUpdate"]) {
      expect(hashers(n)).toEqual(["Identity"]);
    }
    expect(hashers("Owner")).toEqual(["Blake2_128Concat"]);
    expect(hashers("Delegates")).toEqual(["Blake2_128Concat"]);
    expect(hashers("StakingHotkeys")).toEqual(["Blake2_128Concat"]);
    expect(hashers("OwnedHotkeys")).toEqual(["Blake2_128Concat"]);
    expect(hashers("Uids")).toEqual(["Identity", "Blake2_128Concat"]);
    expect(hashers("Keys")).toEqual(["Identity", "Identity"]);
    expect(hashers("Weights")).toEqual(["Identity", "Identity"]);
    expect(hashers("Bonds")).toEqual(["Identity", "Identity"]);
    expect(hashers("Axons")).toEqual(["Identity", "Blake2_128Concat"]);
    expect(hashers("Prometheus")).toEqual(["Identity", "Blake2_128Concat"]);
    expect(hashers("IsNetworkMember")).toEqual(["Blake2_128Concat", "Identity"]);
    expect(hashers("Stake")).toEqual(["Blake2_128Concat", "Identity"]);
    expect(hashers("WeightCommits")).toEqual(["Twox64Concat", "Twox64Concat"]);
    expect(hashers("LiquidAlphaOn")).toEqual(["Blake2_128Concat"]);
    expect(hashers("Yuma3On")).toEqual(["Blake2_128Concat"]);
  });

  it("advertises the Rust type_value defaults as fallbacks (decoded by @polkadot/types)", () => {
    const expected: Record<string, unknown> = {
      SenateRequiredStakePercentage: 1,
      TotalStake: 0,
      MaxTake: 11796,
      MinTake: 5898,
      BlockEmission: 1_000_000_000,
      TotalIssuance: 0,
      TargetStakesPerInterval: 1,
      StakeInterval: 360,
      TotalHotkeyColdkeyStakesThisInterval: [0, 0],
      Owner: "5C4hrfjw9DjXZTzV3MwzrrAr9P1MJhSrvWGWqi1eSuyUpnhM", // the all-zero account
      Delegates: 11796,
      Burn: 1_000_000_000,
      Difficulty: 10_000_000,
      MinBurn: 1_000_000_000,
      MaxBurn: 100_000_000_000,
      MinDifficulty: 10_000_000,
      MaxDifficulty: "0x3fffffffffffffff",
      MaxRegistrationsPerBlock: 1,
      SubnetLimit: 12,
      TotalNetworks: 0,
      NetworksAdded: false,
      NetworkRegistrationAllowed: false,
      NetworkPowRegistrationAllowed: false,
      NetworkImmunityPeriod: 50_400,
      NetworkMinAllowedUids: 128,
      NetworkMinLockCost: 1_000_000_000_000,
      NetworkLastLockCost: 1_000_000_000_000,
      NetworkLockReductionInterval: 100_800,
      SubnetOwnerCut: 11796,
      NetworkRateLimit: 7200,
      NominatorMinRequiredStake: 0,
      Tempo: 99,
      SubnetOwner: "5C4hrfjw9DjXZTzV3MwzrrAr9P1MJhSrvWGWqi1eSuyUpnhM",
      TxRateLimit: 1000,
      TxDelegateTakeRateLimit: 216_000,
      ServingRateLimit: 50,
      Axons: null,
      Prometheus: null,
      WeightsMinStake: 0,
      Rho: 10,
      Kappa: 32767,
      MaxAllowedUids: 4096,
      ImmunityPeriod: 4096,
      ActivityCutoff: 5000,
      MaxWeightsLimit: 1000,
      WeightsVersionKey: 0,
      MinAllowedWeights: 1024,
      MaxAllowedValidators: 128,
      AdjustmentInterval: 100,
      BondsMovingAverage: 900_000,
      WeightsSetRateLimit: 100,
      ValidatorPruneLen: 1,
      ScalingLawPower: 50,
      TargetRegistrationsPerInterval: 2,
      AdjustmentAlpha: 0,
      WeightCommits: null,
      WeightCommitRevealInterval: 1000,
      CommitRevealWeightsEnabled: false,
      Uids: null,
      Keys: "5C4hrfjw9DjXZTzV3MwzrrAr9P1MJhSrvWGWqi1eSuyUpnhM",
      LoadedEmission: null,
      Active: [],
      Rank: [],
      Emission: [],
      ValidatorPermit: [],
      Weights: [],
      Bonds: [],
      StakingHotkeys: [],
      OwnedHotkeys: [],
      LiquidAlphaOn: false,
      AlphaValues: [45875, 58982],
      Yuma3On: false,
      BondsPenalty: 65535,
      AlphaSigmoidSteepness: 1000,
    };
    for (const [name, value] of Object.entries(expected)) expect([name, pjsDefault(name).toJSON()]).toEqual([name, value]);
  });

  it("returns the same defaults to runtime code", () => {
    const empty = { get: () => undefined };
    expect(S.Tempo.get(empty, 1)).toBe(99);
    expect(S.MaxDifficulty.get(empty, 1)).toBe((1n << 62n) - 1n);
    expect(S.AlphaValues.get(empty, 1)).toEqual([45875, 58982]);
    expect(S.Uids.get(empty, 1, BOB)).toBeNull();
    expect(S.Owner.get(empty, BOB)).toEqual(new Uint8Array(32));
    expect(S.AlphaSigmoidSteepness.get(empty, 1)).toBe(1000);
  });

  it("freezes shared vector defaults so they cannot be corrupted by a push", () => {
    const empty = { get: () => undefined };
    expect(() => S.Active.get(empty, 1).push(true)).toThrow(TypeError);
    expect(S.Active.get(empty, 1)).toEqual([]);
  });

  it("declares AxonInfo and PrometheusInfo with Subtensor's type paths and field layout", () => {
    const axonType = entries.get("Axons")!.meta.type.asMap.value;
    const lookup = t.registry.lookup.getSiType(axonType);
    expect(lookup.path.map((p) => p.toString())).toEqual(["pallet_subtensor", "pallet", "AxonInfo"]);
    expect(lookup.def.asComposite.fields.map((f) => f.name.unwrap().toString())).toEqual([
      "block",
      "version",
      "ip",
      "port",
      "ip_type",
      "protocol",
      "placeholder1",
      "placeholder2",
    ]);
    const axon: S.AxonInfo = { block: 7n, version: 1, ip: 0x7f000002n, port: 8091, ipType: 4, protocol: 0, placeholder1: 0, placeholder2: 0 };
    const bytes = S.AxonInfoCodec.encode(axon);
    expect(bytes.length).toBe(8 + 4 + 16 + 2 + 4);
    const pjs = t.registry.createType(t.registry.lookup.getTypeDef(axonType).type, bytes).toJSON() as Record<string, unknown>;
    expect(pjs).toMatchObject({ block: 7, version: 1, port: 8091, ipType: 4 });
    expect(S.AxonInfoCodec.decode(bytes)).toEqual(axon);
    const promType = entries.get("Prometheus")!.meta.type.asMap.value;
    expect(t.registry.lookup.getSiType(promType).path.map((p) => p.toString())).toEqual(["pallet_subtensor", "pallet", "PrometheusInfo"]);
  });

  it("encodes i16 (AlphaSigmoidSteepness) in two's complement", () => {
    expect(hex(S.i16.encode(-2))).toBe("0xfeff");
    expect(S.i16.decode(new Uint8Array([0xfe, 0xff]))).toBe(-2);
    expect(S.i16.decode(S.i16.encode(32767))).toBe(32767);
    expect(() => S.i16.encode(40000)).toThrow(RangeError);
    expect(t.registry.createType("i16", new Uint8Array([0xfe, 0xff])).toNumber()).toBe(-2);
  });
});
