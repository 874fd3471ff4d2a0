/**
 * The info structs against SCALE bytes written down by hand from Subtensor's struct definitions
 * (`pallets/subtensor/src/rpc_info/*.rs` at 688d4a7ff, and `AxonInfo` / `PrometheusInfo` /
 * `SubnetIdentity` in `lib.rs`). Each vector lists the struct's fields in order with their Rust
 * types; the bytes follow SCALE:
 *
 * - fixed-width integers little-endian; bool = 00/01; AccountId = its 32 bytes;
 * - Compact<n>: n < 2^6 → one byte n<<2; n < 2^14 → two bytes (n<<2)|1 LE; n < 2^30 → four bytes
 *   (n<<2)|2 LE; larger → byte ((len−4)<<2)|3 then n in `len` LE bytes;
 * - Vec<T> = Compact(length) ++ items; Option<T> = 00 | 01 ++ T; [u16; 2] = two u16; tuples in order.
 *
 * Each vector is checked three ways: our codec encodes the value to it, decodes it back to the
 * value, and @polkadot/types (a decoder written by others) reads the same field values from it.
 */
import { describe, expect, it } from "vitest";
import { TypeRegistry } from "@polkadot/types";
import { SUBTENSOR_INFO_TYPES } from "../../../../../../test/utils/subtensorTypes.js";
import { fromHex, toHex } from "../../../../../util/bytes.js";
import { bytes as bytesCodec, type Codec } from "../../../../codec/scale.js";
import {
  ColdkeysStakeInfoVec,
  DelegateInfoCodec,
  DelegatedVec,
  NeuronInfoCodec,
  NeuronInfoLiteCodec,
  StakeInfoCodec,
  SubnetHyperparamsCodec,
  SubnetInfoCodec,
  SubnetInfoOptionVec,
  SubnetInfoV2Codec,
  type DelegateInfoValue,
  type NeuronInfoLiteValue,
  type NeuronInfoValue,
  type StakeInfoValue,
  type SubnetHyperparamsValue,
  type SubnetInfoV2Value,
  type SubnetInfoValue,
} from "./types.js";

const acct = (b: number) => new Uint8Array(32).fill(b);
const A11 = "11".repeat(32);
const A22 = "22".repeat(32);
const A33 = "33".repeat(32);
const hex = (...parts: string[]) => "0x" + parts.join("").replace(/\s+/g, "");

/** The Rust structs as @polkadot/types definitions (field names, order and types as in Subtensor). */
const registry = new TypeRegistry();
registry.register(SUBTENSOR_INFO_TYPES);

/** Our codec ⇄ the hand vector, and @polkadot/types' reading of the vector. */
function check<T>(codec: Codec<T>, value: T, vector: string, pjsType?: string, pjsFields?: Record<string, unknown>): void {
  expect(toHex(codec.encode(value))).toBe(vector);
  expect(codec.decode(fromHex(vector))).toEqual(value);
  if (pjsType) {
    const decoded = registry.createType(pjsType, fromHex(vector)).toJSON() as Record<string, unknown>;
    expect(decoded).toMatchObject(pjsFields!);
  }
}

// ------------------------------------------------------------------ neuron_info.rs

const AXON_HEX = hex(
  "6400000000000000", //        block: u64 = 100
  "07000000", //                version: u32 = 7
  "0100007f000000000000000000000000", // ip: u128 = 0x7f000001 (127.0.0.1)
  "9b1f", //                    port: u16 = 8091
  "04", //                      ip_type: u8 = 4
  "04", //                      protocol: u8 = 4
  "00", //                      placeholder1: u8 = 0
  "00", //                      placeholder2: u8 = 0
).slice(2);
const PROMETHEUS_HEX = hex("0000000000000000", "00000000", "00000000000000000000000000000000", "0000", "00").slice(2); // all zero

const lite: NeuronInfoLiteValue = {
  hotkey: acct(0x11),
  coldkey: acct(0x22),
  uid: 3,
  netuid: 1,
  active: true,
  axonInfo: { block: 100n, version: 7, ip: 0x7f000001n, port: 8091, ipType: 4, protocol: 4, placeholder1: 0, placeholder2: 0 },
  prometheusInfo: { block: 0n, version: 0, ip: 0n, port: 0, ipType: 0 },
  stake: [[acct(0x22), 1_000_000_000n]],
  rank: 65535,
  emission: 0n,
  incentive: 32768,
  consensus: 1,
  trust: 63,
  validatorTrust: 64,
  dividends: 0,
  lastUpdate: 16383n,
  validatorPermit: true,
  pruningScore: 65535,
};

const LITE_HEAD = [
  A11, //                 hotkey: T::AccountId
  A22, //                 coldkey: T::AccountId
  "0c", //                uid: Compact<u16> = 3 (3<<2)
  "04", //                netuid: Compact<u16> = 1
  "01", //                active: bool = true
  AXON_HEX, //            axon_info: AxonInfo
  PROMETHEUS_HEX, //      prometheus_info: PrometheusInfo
  "04", A22, "02286bee", // stake: Vec<(T::AccountId, Compact<u64>)> = [(coldkey, 1e9)]; 1e9 → four-byte mode (1e9<<2)|2
  "feff0300", //          rank: Compact<u16> = 65535 → four-byte mode
  "00", //                emission: Compact<u64> = 0
  "02000200", //          incentive: Compact<u16> = 32768 → four-byte mode
  "04", //                consensus: Compact<u16> = 1
  "fc", //                trust: Compact<u16> = 63 (the largest one-byte value)
  "0101", //              validator_trust: Compact<u16> = 64 (the smallest two-byte value)
  "00", //                dividends: Compact<u16> = 0
  "fdff", //              last_update: Compact<u64> = 16383 (the largest two-byte value)
  "01", //                validator_permit: bool = true
];

describe("NeuronInfoLite (neuron_info.rs)", () => {
  it("encodes field for field with Subtensor's Compact wrappers", () => {
    const vector = hex(...LITE_HEAD, "feff0300"); // pruning_score: Compact<u16> = 65535
    check(NeuronInfoLiteCodec, lite, vector, "NeuronInfoLite", { uid: 3, netuid: 1, rank: 65535, incentive: 32768, trust: 63, validatorTrust: 64, lastUpdate: 16383, pruningScore: 65535 });
  });
});

describe("NeuronInfo (neuron_info.rs)", () => {
  it("adds weights and bonds as Vec<(Compact<u16>, Compact<u16>)> before pruning_score", () => {
    const full: NeuronInfoValue = { ...lite, weights: [[0, 65535], [2, 1]], bonds: [] };
    const vector = hex(
      ...LITE_HEAD,
      "08", "00", "feff0300", "08", "04", // weights = [(0, 65535), (2, 1)]
      "00", //                             bonds = []
      "feff0300", //                       pruning_score = 65535
    );
    check(NeuronInfoCodec, full, vector, "NeuronInfo", { weights: [[0, 65535], [2, 1]], bonds: [], pruningScore: 65535 });
  });
});

// ------------------------------------------------------------------ subnet_info.rs

const subnet: SubnetInfoValue = {
  netuid: 1,
  rho: 10,
  kappa: 32767,
  difficulty: 10_000_000n,
  immunityPeriod: 4096,
  maxAllowedValidators: 64,
  minAllowedWeights: 1,
  maxWeightsLimit: 65535,
  scalingLawPower: 50,
  subnetworkN: 2,
  maxAllowedUids: 256,
  blocksSinceLastStep: 5n,
  tempo: 99,
  networkModality: 0,
  networkConnect: [],
  emissionValues: 0n,
  burn: 1_000_000_000n,
  owner: acct(0x33),
};

const SUBNET_HEX = [
  "04", //       netuid: Compact<u16> = 1
  "28", //       rho: Compact<u16> = 10
  "feff0100", // kappa: Compact<u16> = 32767 → four-byte mode
  "025a6202", // difficulty: Compact<u64> = 10 000 000
  "0140", //     immunity_period: Compact<u16> = 4096 → (4096<<2)|1
  "0101", //     max_allowed_validators: Compact<u16> = 64
  "04", //       min_allowed_weights: Compact<u16> = 1
  "feff0300", // max_weights_limit: Compact<u16> = 65535
  "c8", //       scaling_law_power: Compact<u16> = 50
  "08", //       subnetwork_n: Compact<u16> = 2
  "0104", //     max_allowed_uids: Compact<u16> = 256
  "14", //       blocks_since_last_step: Compact<u64> = 5
  "8d01", //     tempo: Compact<u16> = 99 → (99<<2)|1 = 397
  "00", //       network_modality: Compact<u16> = 0
  "00", //       network_connect: Vec<[u16; 2]> = [] (deprecated, always empty)
  "00", //       emission_values: Compact<u64> = 0
  "02286bee", // burn: Compact<u64> = 1e9
  A33, //        owner: T::AccountId
];

describe("SubnetInfo / SubnetInfov2 (subnet_info.rs)", () => {
  it("SubnetInfo", () => {
    check(SubnetInfoCodec, subnet, hex(...SUBNET_HEX), "SubnetInfo", { netuid: 1, kappa: 32767, tempo: 99, maxAllowedUids: 256, burn: 1_000_000_000, networkConnect: [] });
  });

  it("network_connect entries are [u16; 2] pairs", () => {
    const withConnect = { ...subnet, networkConnect: [[3, 258]] };
    const vector = hex(...SUBNET_HEX.slice(0, 14), "04", "0300", "0201", ...SUBNET_HEX.slice(15)); // [(3, 258)] as two u16
    check(SubnetInfoCodec, withConnect, vector);
  });

  it("SubnetInfov2 appends identity: Option<SubnetIdentity>", () => {
    const none: SubnetInfoV2Value = { ...subnet, identity: null };
    check(SubnetInfoV2Codec, none, hex(...SUBNET_HEX, "00")); // None
    const some: SubnetInfoV2Value = { ...subnet, identity: { subnetName: new TextEncoder().encode("sn"), githubRepo: new Uint8Array(), subnetContact: new TextEncoder().encode("x") } };
    check(
      SubnetInfoV2Codec,
      some,
      hex(
        ...SUBNET_HEX,
        "01", //       Some
        "08", "736e", // subnet_name: Vec<u8> = "sn"
        "00", //       github_repo: Vec<u8> = ""
        "04", "78", // subnet_contact: Vec<u8> = "x"
      ),
    );
  });

  it("get_subnets_info's Vec<Option<SubnetInfo>>", () => {
    check(SubnetInfoOptionVec, [subnet, null], hex("08", "01", ...SUBNET_HEX, "00"));
  });
});

describe("SubnetHyperparams (subnet_info.rs)", () => {
  it("27 fields in Subtensor's order", () => {
    const hp: SubnetHyperparamsValue = {
      rho: 10,
      kappa: 32767,
      immunityPeriod: 5000,
      minAllowedWeights: 1,
      maxWeightsLimit: 65535,
      tempo: 360,
      minDifficulty: 1n,
      maxDifficulty: 18446744073709551615n,
      weightsVersion: 0n,
      weightsRateLimit: 100n,
      adjustmentInterval: 360,
      activityCutoff: 5000,
      registrationAllowed: true,
      targetRegsPerInterval: 1,
      minBurn: 500n,
      maxBurn: 1_000_000_000n,
      bondsMovingAvg: 900000n,
      maxRegsPerBlock: 1,
      servingRateLimit: 50n,
      maxValidators: 64,
      adjustmentAlpha: 0n,
      difficulty: 10_000_000n,
      commitRevealWeightsInterval: 1000n,
      commitRevealWeightsEnabled: false,
      alphaHigh: 58982,
      alphaLow: 45875,
      liquidAlphaEnabled: false,
    };
    const vector = hex(
      "28", //                 rho: Compact<u16> = 10
      "feff0100", //           kappa: Compact<u16> = 32767
      "214e", //               immunity_period: Compact<u16> = 5000 → (5000<<2)|1 = 0x4e21
      "04", //                 min_allowed_weights: Compact<u16> = 1
      "feff0300", //           max_weights_limit: Compact<u16> = 65535
      "a105", //               tempo: Compact<u16> = 360 → (360<<2)|1 = 0x05a1
      "04", //                 min_difficulty: Compact<u64> = 1
      "13ffffffffffffffff", // max_difficulty: Compact<u64> = u64::MAX → big-int mode, 8 bytes: ((8−4)<<2)|3 = 0x13
      "00", //                 weights_version: Compact<u64> = 0
      "9101", //               weights_rate_limit: Compact<u64> = 100 → (100<<2)|1 = 0x0191
      "a105", //               adjustment_interval: Compact<u16> = 360
      "214e", //               activity_cutoff: Compact<u16> = 5000
      "01", //                 registration_allowed: bool = true
      "04", //                 target_regs_per_interval: Compact<u16> = 1
      "d107", //               min_burn: Compact<u64> = 500 → (500<<2)|1 = 0x07d1
      "02286bee", //           max_burn: Compact<u64> = 1e9
      "82ee3600", //           bonds_moving_avg: Compact<u64> = 900000 → (900000<<2)|2 = 3600002 = 0x0036ee82
      "04", //                 max_regs_per_block: Compact<u16> = 1
      "c8", //                 serving_rate_limit: Compact<u64> = 50
      "0101", //               max_validators: Compact<u16> = 64
      "00", //                 adjustment_alpha: Compact<u64> = 0
      "025a6202", //           difficulty: Compact<u64> = 10 000 000
      "a10f", //               commit_reveal_weights_interval: Compact<u64> = 1000 → (1000<<2)|1 = 0x0fa1
      "00", //                 commit_reveal_weights_enabled: bool = false
      "9a990300", //           alpha_high: Compact<u16> = 58982 → (58982<<2)|2 = 235930 = 0x0003999a
      "cecc0200", //           alpha_low: Compact<u16> = 45875 → (45875<<2)|2 = 183502 = 0x0002ccce
      "00", //                 liquid_alpha_enabled: bool = false
    );
    check(SubnetHyperparamsCodec, hp, vector);
  });
});

// ------------------------------------------------------------------ delegate_info.rs

const delegate: DelegateInfoValue = {
  delegateSs58: acct(0x11),
  take: 11796,
  nominators: [[acct(0x22), 5_000_000_000n]],
  ownerSs58: acct(0x33),
  registrations: [1, 0],
  validatorPermits: [1],
  returnPer1000: 0n,
  totalDailyReturn: 72n,
};
const DELEGATE_HEX = [
  A11, //                       delegate_ss58: T::AccountId
  "51b8", //                    take: Compact<u16> = 11796 (18 %) → (11796<<2)|1 = 0xb851
  "04", A22, "0700f2052a01", // nominators: Vec<(T::AccountId, Compact<u64>)> = [(nominator, 5e9)]; 5e9 = 0x012a05f200 → big-int mode, 5 bytes: prefix ((5−4)<<2)|3 = 07
  A33, //                       owner_ss58: T::AccountId
  "08", "04", "00", //          registrations: Vec<Compact<u16>> = [1, 0]
  "04", "04", //                validator_permits: Vec<Compact<u16>> = [1]
  "00", //                      return_per_1000: Compact<u64> = 0
  "2101", //                    total_daily_return: Compact<u64> = 72 → (72<<2)|1 = 0x0121
];

describe("DelegateInfo (delegate_info.rs)", () => {
  it("DelegateInfo", () => {
    check(DelegateInfoCodec, delegate, hex(...DELEGATE_HEX), "DelegateInfo", { take: 11796, registrations: [1, 0], validatorPermits: [1], totalDailyReturn: 72 });
  });

  it("get_delegated's Vec<(DelegateInfo, Compact<u64>)>", () => {
    check(DelegatedVec, [[delegate, 1000n]], hex("04", ...DELEGATE_HEX, "a10f")); // one pair; stake 1000 → 0x0fa1
  });
});

// ------------------------------------------------------------------ stake_info.rs

describe("StakeInfo (stake_info.rs)", () => {
  const info: StakeInfoValue = { hotkey: acct(0x11), coldkey: acct(0x22), stake: 1n };
  it("StakeInfo", () => {
    check(StakeInfoCodec, info, hex(A11, A22, "04"), "StakeInfo", { stake: 1 }); // hotkey, coldkey, stake: Compact<u64> = 1
  });

  it("get_stake_info_for_coldkeys' Vec<(AccountId, Vec<StakeInfo>)>", () => {
    check(ColdkeysStakeInfoVec, [[acct(0x22), [info]]], hex("04", A22, "04", A11, A22, "04"));
  });
});

describe("the classic APIs' Vec<u8> wrapping", () => {
  it("a state_call answer is Compact(length) ++ the struct bytes; a missing item is the empty Vec (0x00)", () => {
    const struct = StakeInfoCodec.encode({ hotkey: acct(0x11), coldkey: acct(0x22), stake: 1n });
    expect(struct.length).toBe(65);
    expect(toHex(bytesCodec.encode(struct))).toBe(hex("0501", A11, A22, "04")); // 65 → (65<<2)|1 = 0x0105
    expect(toHex(bytesCodec.encode(new Uint8Array()))).toBe("0x00");
  });
});
