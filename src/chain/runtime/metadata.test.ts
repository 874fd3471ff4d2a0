import { describe, expect, it, beforeAll } from "vitest";
import { Metadata, TypeRegistry, GenericMultiAddress, GenericCall, GenericEvent, expandMetadata } from "@polkadot/types";
import type { Codec as PjsCodec } from "@polkadot/types/types";
import { hexToU8a, u8aToHex } from "@polkadot/util";
import {
  array,
  bool,
  bytes,
  compact,
  enumeration,
  fixedBytes,
  lazy,
  newtype,
  option,
  result,
  str,
  struct,
  tuple,
  u8,
  u16,
  u32,
  u64,
  u128,
  unit,
  vec,
  Codec,
  type EnumCodec,
  type EnumValue,
} from "../codec/scale.js";
import { AccountId32, DispatchErrorCodec, DispatchInfo, H256, MultiAddress, MultiSignature } from "../codec/types.js";
import { ExtraCodec, SIGNED_EXTENSIONS } from "../codec/extrinsic.js";
import { Pallet, type CallDecl } from "./frame/pallet.js";
import { RuntimeDefinition, runtimeCallRef } from "./frame/runtime.js";
import { storageDoubleMap, storageMap, storageNMap, storageValue } from "./frame/storage.js";
import { TypeTable, buildMetadata, type RuntimeApiDecl, type PortableType } from "./metadata.js";

// ------------------------------------------------------------------ a small test runtime

const ALICE = new Uint8Array(32).fill(0xaa);
const BOB = new Uint8Array(32).fill(0xbb);
const zero32 = new Uint8Array(32);

const noop = { origin: "any" as const, weight: () => 1_000n, dispatch: () => {} };
const call = (c: Omit<CallDecl, "origin" | "weight" | "dispatch">): CallDecl => ({ ...noop, ...c });

const AccountData = struct(
  [
    { name: "free", type: u64, typeName: "Balance" },
    { name: "reserved", type: u64, typeName: "Balance" },
    { name: "frozen", type: u64, typeName: "Balance" },
    { name: "flags", type: newtype(u128, { path: ["pallet_balances", "types", "ExtraFlags"], typeName: "u128" }), typeName: "ExtraFlags" },
  ],
  { path: ["pallet_balances", "types", "AccountData"], params: [{ name: "Balance", type: u64 }] },
);
const AccountInfo = struct(
  [
    { name: "nonce", type: u32, typeName: "Nonce" },
    { name: "consumers", type: u32, typeName: "RefCount" },
    { name: "providers", type: u32, typeName: "RefCount" },
    { name: "sufficients", type: u32, typeName: "RefCount" },
    { name: "data", type: AccountData, typeName: "AccountData" },
  ],
  { path: ["frame_system", "AccountInfo"], params: [{ name: "Nonce", type: u32 }, { name: "AccountData", type: AccountData }] },
);
const emptyAccount = { nonce: 0, consumers: 0, providers: 0, sufficients: 0, data: { free: 0n, reserved: 0n, frozen: 0n, flags: 0n } };

let runtime: RuntimeDefinition;

const Account = storageMap({ name: "Account", key: { hasher: "Blake2_128Concat", codec: AccountId32 }, value: AccountInfo, default: emptyAccount, docs: ["The full account information."] });
const Number_ = storageValue({ name: "Number", value: u32, default: 0 });
const BlockHash = storageMap({ name: "BlockHash", key: { hasher: "Twox64Concat", codec: u32 }, value: H256, default: zero32 });
const Events = storageValue({ name: "Events", value: lazy(() => runtime.eventRecords), default: [] });
const ExtrinsicCount = storageValue({ name: "ExtrinsicCount", value: u32, optional: true });

const system = new Pallet({
  name: "System",
  index: 0,
  crate: "frame_system",
  storage: [Account, ExtrinsicCount, BlockHash, Number_, Events],
  calls: [call({ name: "remark", index: 0, args: [{ name: "remark", type: bytes, typeName: "Vec<u8>" }], docs: ["Make some on-chain remark."] })],
  events: [
    { name: "ExtrinsicSuccess", index: 0, fields: [{ name: "dispatch_info", type: DispatchInfo, typeName: "DispatchInfo" }] },
    {
      name: "ExtrinsicFailed",
      index: 1,
      fields: [
        { name: "dispatch_error", type: DispatchErrorCodec, typeName: "DispatchError" },
        { name: "dispatch_info", type: DispatchInfo, typeName: "DispatchInfo" },
      ],
    },
  ],
  errors: [{ name: "InvalidSpecName" }, { name: "SpecVersionNeedsToIncrease" }],
  constants: [
    { name: "BlockHashCount", codec: u32, value: 2400, docs: ["Maximum number of block number to block hash mappings to keep."] },
    { name: "SS58Prefix", codec: u16, value: 42, docs: ["The designated SS58 prefix of this chain."] },
  ],
  docs: ["The System pallet."],
});

const TotalIssuance = storageValue({ name: "TotalIssuance", value: u64, default: 0n });
const transferArgs = [
  { name: "dest", type: MultiAddress as Codec<unknown>, typeName: "AccountIdLookupOf<T>" },
  { name: "value", type: compact(u64) as Codec<unknown>, typeName: "T::Balance" },
];
const balances = new Pallet({
  name: "Balances",
  index: 5,
  crate: "pallet_balances",
  storage: [TotalIssuance],
  calls: [call({ name: "transfer_allow_death", index: 0, args: transferArgs }), call({ name: "transfer_keep_alive", index: 3, args: transferArgs })],
  events: [
    { name: "Endowed", index: 0, fields: [{ name: "account", type: AccountId32 }, { name: "free_balance", type: u64 }] },
    {
      name: "Transfer",
      index: 2,
      fields: [
        { name: "from", type: AccountId32, typeName: "T::AccountId" },
        { name: "to", type: AccountId32, typeName: "T::AccountId" },
        { name: "amount", type: u64, typeName: "T::Balance" },
      ],
    },
  ],
  errors: [{ name: "VestingBalance" }, { name: "LiquidityRestrictions" }, { name: "InsufficientBalance", docs: ["Balance too low to send value."] }],
  constants: [{ name: "ExistentialDeposit", codec: u64, value: 500n }],
});

const Tempo = storageMap({ name: "Tempo", key: { hasher: "Identity", codec: u16 }, value: u16, default: 360 });
const Uids = storageDoubleMap({
  name: "Uids",
  keys: [
    { hasher: "Identity", codec: u16 },
    { hasher: "Blake2_128Concat", codec: AccountId32 },
  ],
  value: u16,
  optional: true,
});
const Weights = storageDoubleMap({
  name: "Weights",
  keys: [
    { hasher: "Identity", codec: u16 },
    { hasher: "Identity", codec: u16 },
  ],
  value: vec(tuple(u16, u16)),
  default: [],
});
const Stake = storageNMap<[number, number, Uint8Array], bigint>({
  name: "Stake",
  keys: [
    { hasher: "Identity", codec: u16 },
    { hasher: "Twox64Concat", codec: u16 },
    { hasher: "Blake2_128Concat", codec: AccountId32 },
  ],
  value: u64,
  default: 0n,
});
const NetworkName = storageMap({ name: "NetworkName", key: { hasher: "Identity", codec: u16 }, value: option(str), default: "root" });
const subtensor = new Pallet({
  name: "SubtensorModule",
  index: 7,
  crate: "pallet_subtensor",
  storage: [Tempo, Uids, Weights, Stake, NetworkName],
  calls: [
    call({
      name: "set_weights",
      index: 0,
      args: [
        { name: "netuid", type: u16, typeName: "NetUid" },
        { name: "dests", type: vec(u16), typeName: "Vec<u16>" },
        { name: "weights", type: vec(u16), typeName: "Vec<u16>" },
        { name: "version_key", type: u64, typeName: "u64" },
      ],
    }),
    call({ name: "burned_register", index: 7, args: [{ name: "netuid", type: u16 }, { name: "hotkey", type: AccountId32, typeName: "T::AccountId" }] }),
  ],
  events: [
    { name: "NetworkAdded", index: 0, fields: [u16, u16] as Codec<unknown>[] as never },
    { name: "WeightsSet", index: 1, fields: [u16, u16] as Codec<unknown>[] as never },
  ],
  errors: [{ name: "SubNetworkDoesNotExist" }, { name: "NotRegistered" }],
  constants: [{ name: "InitialTempo", codec: u16, value: 360 }],
  docs: ["The Subtensor pallet.", "Second doc line."],
});

const utility = new Pallet({
  name: "Utility",
  index: 11,
  crate: "pallet_utility",
  calls: [call({ name: "batch", index: 0, args: [{ name: "calls", type: vec(runtimeCallRef(() => runtime)), typeName: "Vec<<T as Config>::RuntimeCall>" }] })],
  events: [{ name: "BatchCompleted", index: 1, fields: [] }],
});

const sudo = new Pallet({
  name: "Sudo",
  index: 12,
  crate: "pallet_sudo",
  storage: [storageValue({ name: "Key", value: AccountId32, optional: true })],
  calls: [call({ name: "sudo", index: 0, args: [{ name: "call", type: runtimeCallRef(() => runtime), typeName: "Box<<T as Config>::RuntimeCall>" }] })],
  events: [{ name: "Sudid", index: 0, fields: [{ name: "sudo_result", type: result(unit, DispatchErrorCodec), typeName: "DispatchResult" }] }],
  errors: [{ name: "RequireSudo" }],
});

runtime = new RuntimeDefinition([subtensor, system, sudo, balances, utility], {
  specName: "node-subtensor",
  implName: "node-subtensor",
  authoringVersion: 1,
  specVersion: 100,
  implVersion: 1,
  transactionVersion: 1,
  systemVersion: 1,
});

const OpaqueMetadata = newtype(bytes, { path: ["sp_core", "OpaqueMetadata"], typeName: "Vec<u8>" });
const APIS: RuntimeApiDecl[] = [
  {
    name: "AccountNonceApi",
    version: 1,
    methods: [{ name: "account_nonce", inputs: [{ name: "account", type: AccountId32 }], output: u32, docs: ["Get current account nonce of given `AccountId`."] }],
    docs: ["The API to query account nonce."],
  },
  {
    name: "Metadata",
    version: 2,
    methods: [
      { name: "metadata", inputs: [], output: OpaqueMetadata },
      { name: "metadata_at_version", inputs: [{ name: "version", type: u32 }], output: option(OpaqueMetadata) },
      { name: "metadata_versions", inputs: [], output: vec(u32) },
    ],
  },
];

const enc = <T>(c: Codec<T>, v: T) => c.encode(v);

// ------------------------------------------------------------------ TypeTable

describe("TypeTable", () => {
  const byId = (t: TypeTable) => new Map(t.types().map((x) => [x.id, x.type]));

  it("assigns dense ids in first-visit order, in the @polkadot/types object form", () => {
    const t = new TypeTable();
    const acc = t.id(AccountId32);
    expect(acc).toBe(0);
    const types = t.types();
    expect(types.map((x) => x.id)).toEqual([0, 1, 2]);
    expect(types[0].type).toEqual({
      path: ["sp_core", "crypto", "AccountId32"],
      params: [],
      def: { Composite: { fields: [{ name: null, type: 1, typeName: "[u8; 32]", docs: [] }] } },
      docs: [],
    });
    expect(types[1].type.def).toEqual({ Array: { len: 32, type: 2 } });
    expect(types[2].type.def).toEqual({ Primitive: "U8" });
    expect(t.id(u8)).toBe(2);
    expect(t.size).toBe(3);
  });

  it("maps every def kind", () => {
    const t = new TypeTable();
    const Named = struct([{ name: "a_b", type: bool, docs: ["doc"] }], { path: ["x", "Named"], docs: ["Named doc"] });
    const E = enumeration(
      [
        { name: "A", index: 0 },
        { name: "B", index: 5, fields: [u32, str] },
        { name: "C", index: 2, fields: [{ name: "x", type: compact(u128), typeName: "Balance" }] },
      ],
      { path: ["x", "E"], params: [{ name: "T" }, { name: "U", type: u32 }] },
    );
    const ids = [t.id(Named), t.id(E), t.id(vec(u16)), t.id(tuple(u8, u64))];
    const m = byId(t);
    expect(m.get(ids[0])).toEqual({
      path: ["x", "Named"],
      params: [],
      def: { Composite: { fields: [{ name: "a_b", type: t.id(bool), typeName: null, docs: ["doc"] }] } },
      docs: ["Named doc"],
    });
    const e = m.get(ids[1])!;
    expect(e.params).toEqual([
      { name: "T", type: null },
      { name: "U", type: t.id(u32) },
    ]);
    expect(e.def).toEqual({
      Variant: {
        variants: [
          { name: "A", fields: [], index: 0, docs: [] },
          { name: "C", fields: [{ name: "x", type: t.id(compact(u128)), typeName: "Balance", docs: [] }], index: 2, docs: [] },
          {
            name: "B",
            fields: [
              { name: null, type: t.id(u32), typeName: null, docs: [] },
              { name: null, type: t.id(str), typeName: null, docs: [] },
            ],
            index: 5,
            docs: [],
          },
        ],
      },
    });
    expect(m.get(t.id(compact(u128)))!.def).toEqual({ Compact: { type: t.id(u128) } });
    expect(m.get(ids[2])!.def).toEqual({ Sequence: { type: t.id(u16) } });
    expect(m.get(ids[3])!.def).toEqual({ Tuple: [t.id(u8), t.id(u64)] });
    expect(m.get(t.id(str))!.def).toEqual({ Primitive: "Str" });
    expect(m.get(t.id(bool))!.def).toEqual({ Primitive: "Bool" });
  });

  it("merges distinct codec objects that describe the same type", () => {
    const t = new TypeTable();
    expect(t.id(tuple())).toBe(t.id(tuple()));
    expect(t.id(unit)).toBe(t.id(tuple()));
    expect(t.id(bytes)).toBe(t.id(vec(u8)));
    expect(t.id(fixedBytes(32))).toBe(t.id(array(32, u8)));
    expect(t.id(tuple(u16, AccountId32))).toBe(t.id(tuple(u16, AccountId32)));
    expect(t.id(option(bytes))).toBe(t.id(option(vec(u8))));
    expect(t.id(newtype(u16, { path: ["a", "NetUid"] }))).toBe(t.id(newtype(u16, { path: ["a", "NetUid"] })));
    // …but never types that differ in path, names, docs or structure
    expect(t.id(newtype(u16, { path: ["a", "NetUid"] }))).not.toBe(t.id(newtype(u16, { path: ["b", "NetUid"] })));
    expect(t.id(H256)).not.toBe(t.id(AccountId32));
    expect(t.id(fixedBytes(32))).not.toBe(t.id(fixedBytes(20)));
    expect(t.id(vec(u16))).not.toBe(t.id(vec(u32)));
    expect(t.id(struct([{ name: "a", type: u8 }], { path: ["S"] }))).not.toBe(t.id(struct([{ name: "b", type: u8 }], { path: ["S"] })));
    // ids stay dense
    const types = t.types();
    expect(types.map((x) => x.id)).toEqual(types.map((_, i) => i));
  });

  it("handles recursive types through lazy codecs", () => {
    const t = new TypeTable();
    // enum Tree { Leaf(u32), Node(Vec<Tree>), Boxed(Option<Tree>) }
    const Tree: EnumCodec = enumeration(
      [
        { name: "Leaf", index: 0, fields: [u32] },
        { name: "Node", index: 1, fields: [vec(lazy(() => Tree))] },
        { name: "Boxed", index: 2, fields: [option(lazy(() => Tree))] },
      ],
      { path: ["t", "Tree"] },
    );
    const id = t.id(Tree);
    expect(t.id(lazy(() => Tree))).toBe(id);
    const m = byId(t);
    const variants = (m.get(id)!.def as { Variant: { variants: { fields: { type: number }[] }[] } }).Variant.variants;
    const seq = m.get(variants[1].fields[0].type)!;
    expect(seq.def).toEqual({ Sequence: { type: id } });
    const opt = m.get(variants[2].fields[0].type)!;
    expect(opt.path).toEqual(["Option"]);
    expect(opt.params).toEqual([{ name: "T", type: id }]);
    // a non-recursive type registered later still shares the recursive type's id
    expect(t.id(vec(u32))).not.toBe(variants[1].fields[0].type);
    // and the whole table is loadable by polkadot-js
    const registry = new TypeRegistry();
    const pr = registry.createType("PortableRegistry", { types: t.types() });
    expect(pr.types.length).toBe(t.size);
  });

  it("every reference in the runtime's table points at an existing id", () => {
    const t = new TypeTable();
    t.id(runtime.callCodec);
    t.id(runtime.eventRecords);
    const types = t.types();
    const refs = (x: PortableType["type"]): number[] => {
      const out = x.params.flatMap((p) => (p.type === null ? [] : [p.type]));
      const d = x.def as Record<string, any>;
      if ("Compact" in d) out.push(d.Compact.type);
      if ("Sequence" in d) out.push(d.Sequence.type);
      if ("Array" in d) out.push(d.Array.type);
      if ("Tuple" in d) out.push(...d.Tuple);
      if ("Composite" in d) out.push(...d.Composite.fields.map((f: { type: number }) => f.type));
      if ("Variant" in d) for (const v of d.Variant.variants) out.push(...v.fields.map((f: { type: number }) => f.type));
      return out;
    };
    for (const x of types) for (const r of refs(x.type)) expect(r).toBeLessThan(types.length);
    // one entry per path+params (no accidental duplicates of the well-known types)
    const paths = types.filter((x) => x.type.path.length).map((x) => x.type.path.join("::"));
    for (const p of ["sp_core::crypto::AccountId32", "primitive_types::H256", "sp_runtime::DispatchError", "frame_system::EventRecord", "node_subtensor_runtime::RuntimeCall"]) {
      expect(paths.filter((q) => q === p)).toHaveLength(1);
    }
  });
});

// ------------------------------------------------------------------ metadata

describe("buildMetadata", () => {
  let built: { v14: Uint8Array; v15: Uint8Array };
  let buildMs = 0;

  beforeAll(() => {
    const t0 = performance.now();
    built = buildMetadata(runtime, APIS);
    buildMs = performance.now() - t0;
  });

  it("is deterministic, and reports size and build time", () => {
    const t0 = performance.now();
    const again = buildMetadata(runtime, APIS);
    const secondMs = performance.now() - t0;
    expect(u8aToHex(again.v14)).toBe(u8aToHex(built.v14));
    expect(u8aToHex(again.v15)).toBe(u8aToHex(built.v15));
    const types14 = new Metadata(new TypeRegistry(), built.v14).asV14.lookup.types.length;
    const types15 = new Metadata(new TypeRegistry(), built.v15).asV15.lookup.types.length;
    console.log(
      `metadata: V14 ${built.v14.length} bytes (${types14} types), V15 ${built.v15.length} bytes (${types15} types); ` +
        `build ${buildMs.toFixed(1)} ms (first), ${secondMs.toFixed(1)} ms (second)`,
    );
  });

  it("starts with the magic and version bytes", () => {
    expect(u8aToHex(built.v14.subarray(0, 5))).toBe("0x6d6574610e");
    expect(u8aToHex(built.v15.subarray(0, 5))).toBe("0x6d6574610f");
  });

  it("V14 decodes with @polkadot/types: pallets, storage, hashers, fallbacks, constants", () => {
    const registry = new TypeRegistry();
    const md = new Metadata(registry, built.v14);
    expect(md.version).toBe(14);
    const v14 = md.asV14;
    expect(v14.pallets.map((p) => [p.name.toString(), p.index.toNumber()])).toEqual([
      ["System", 0],
      ["Balances", 5],
      ["SubtensorModule", 7],
      ["Utility", 11],
      ["Sudo", 12],
    ]);
    const lookup = v14.lookup;
    const path = (id: { toNumber(): number }) => lookup.getSiType(id.toNumber()).path.map((p) => p.toString()).join("::");

    const sys = v14.pallets[0];
    expect(sys.storage.unwrap().prefix.toString()).toBe("System");
    const items = Object.fromEntries(sys.storage.unwrap().items.map((i) => [i.name.toString(), i]));
    expect(Object.keys(items)).toEqual(["Account", "ExtrinsicCount", "BlockHash", "Number", "Events"]);
    expect(items.Account.modifier.toString()).toBe("Default");
    expect(items.Account.type.asMap.hashers.map((h) => h.toString())).toEqual(["Blake2_128Concat"]);
    expect(path(items.Account.type.asMap.key)).toBe("sp_core::crypto::AccountId32");
    expect(path(items.Account.type.asMap.value)).toBe("frame_system::AccountInfo");
    expect(u8aToHex(items.Account.fallback)).toBe(u8aToHex(new Uint8Array(16 + 4 * 8 + 8)));
    expect(items.Account.docs.map((d) => d.toString())).toEqual(["The full account information."]);
    expect(items.ExtrinsicCount.modifier.toString()).toBe("Optional");
    expect(u8aToHex(items.ExtrinsicCount.fallback)).toBe("0x00");
    expect(items.BlockHash.type.asMap.hashers.map((h) => h.toString())).toEqual(["Twox64Concat"]);
    expect(items.Number.type.isPlain).toBe(true);
    const eventsType = lookup.getSiType(items.Events.type.asPlain);
    expect(eventsType.def.isSequence).toBe(true);
    expect(path(eventsType.def.asSequence.type)).toBe("frame_system::EventRecord");
    expect(u8aToHex(items.Events.fallback)).toBe("0x00");

    const st = v14.pallets[2].storage.unwrap();
    const sItems = Object.fromEntries(st.items.map((i) => [i.name.toString(), i]));
    expect(u8aToHex(sItems.Tempo.fallback)).toBe("0x6801"); // 360
    expect(sItems.Tempo.type.asMap.hashers.map((h) => h.toString())).toEqual(["Identity"]);
    expect(sItems.Uids.modifier.toString()).toBe("Optional");
    expect(sItems.Uids.type.asMap.hashers.map((h) => h.toString())).toEqual(["Identity", "Blake2_128Concat"]);
    const uidsKey = lookup.getSiType(sItems.Uids.type.asMap.key).def.asTuple.map((id) => lookup.getSiType(id));
    expect(uidsKey[0].def.asPrimitive.toString()).toBe("U16");
    expect(uidsKey[1].path.join("::")).toBe("sp_core::crypto::AccountId32");
    expect(sItems.Stake.type.asMap.hashers.map((h) => h.toString())).toEqual(["Identity", "Twox64Concat", "Blake2_128Concat"]);
    expect(lookup.getSiType(sItems.Stake.type.asMap.key).def.asTuple.length).toBe(3);
    expect(u8aToHex(sItems.Weights.fallback)).toBe("0x00");
    expect(u8aToHex(sItems.NetworkName.fallback)).toBe(u8aToHex(enc(option(str), "root")));

    // calls / events / errors / constants
    expect(path(sys.calls.unwrap().type)).toBe("frame_system::pallet::Call");
    expect(path(sys.events.unwrap().type)).toBe("frame_system::pallet::Event");
    expect(path(sys.errors.unwrap().type)).toBe("frame_system::pallet::Error");
    expect(v14.pallets[3].storage.isNone).toBe(true);
    expect(v14.pallets[3].errors.isNone).toBe(true);
    const consts = Object.fromEntries(sys.constants.map((c) => [c.name.toString(), c]));
    // System.Version is added from the runtime version and API list (clients build CheckSpecVersion from it)
    expect(Object.keys(consts)).toEqual(["BlockHashCount", "Version", "SS58Prefix"]);
    expect(u8aToHex(consts.BlockHashCount.value)).toBe("0x60090000");
    expect(u8aToHex(consts.SS58Prefix.value)).toBe("0x2a00");
    expect(lookup.getSiType(consts.SS58Prefix.type).def.asPrimitive.toString()).toBe("U16");
    expect(path(consts.Version.type)).toBe("sp_version::RuntimeVersion");
    const version = registry.createType("RuntimeVersion", consts.Version.value).toJSON() as { specName: string; apis: unknown[] };
    expect(version.specName).toBe(runtime.version.specName);
    expect(u8aToHex(v14.pallets[1].constants[0].value)).toBe("0xf401000000000000");

    // extrinsic
    expect(v14.extrinsic.version.toNumber()).toBe(4);
    const ux = lookup.getSiType(v14.extrinsic.type);
    expect(ux.path.join("::")).toBe("sp_runtime::generic::unchecked_extrinsic::UncheckedExtrinsic");
    expect(ux.params.map((p) => p.name.toString())).toEqual(["Address", "Call", "Signature", "Extra"]);
    expect(path(ux.params[0].type.unwrap())).toBe("sp_runtime::multiaddress::MultiAddress");
    expect(path(ux.params[1].type.unwrap())).toBe("node_subtensor_runtime::RuntimeCall");
    expect(path(ux.params[2].type.unwrap())).toBe("sp_runtime::MultiSignature");
    expect(lookup.getSiType(ux.params[3].type.unwrap()).def.asTuple.length).toBe(SIGNED_EXTENSIONS.length);
    expect(ux.def.asComposite.fields.length).toBe(1);
    const uxField = lookup.getSiType(ux.def.asComposite.fields[0].type);
    expect(uxField.def.isSequence && lookup.getSiType(uxField.def.asSequence.type).def.asPrimitive.toString()).toBe("U8");
    expect(v14.extrinsic.signedExtensions.map((e) => e.identifier.toString())).toEqual(SIGNED_EXTENSIONS.map((e) => e.identifier));
    const mortality = v14.extrinsic.signedExtensions.find((e) => e.identifier.eq("CheckMortality"))!;
    expect(path(mortality.type)).toBe("frame_system::extensions::check_mortality::CheckMortality");
    expect(path(mortality.additionalSigned)).toBe("primitive_types::H256");
    const nonce = v14.extrinsic.signedExtensions.find((e) => e.identifier.eq("CheckNonce"))!;
    expect(lookup.getSiType(nonce.additionalSigned).def.asTuple.length).toBe(0);

    // runtime type
    const rt = lookup.getSiType(v14.type);
    expect(rt.path.join("::")).toBe("node_subtensor_runtime::Runtime");
    expect(rt.def.asComposite.fields.length).toBe(0);

    // the RuntimeCall variants are the pallets with calls, at their pallet index
    const rc = lookup.getSiType(ux.params[1].type.unwrap());
    expect(rc.def.asVariant.variants.map((v) => [v.name.toString(), v.index.toNumber()])).toEqual([
      ["System", 0],
      ["Balances", 5],
      ["SubtensorModule", 7],
      ["Utility", 11],
      ["Sudo", 12],
    ]);
    // V14 does not carry V15-only types (RuntimeError is referenced by nothing in V14)
    expect(lookup.types.some((x) => x.type.path.join("::") === "node_subtensor_runtime::RuntimeError")).toBe(false);
  });

  it("V15 decodes: pallet docs, extrinsic types, apis, outer enums", () => {
    const registry = new TypeRegistry();
    const md = new Metadata(registry, built.v15);
    expect(md.version).toBe(15);
    const v15 = md.asV15;
    const v14 = new Metadata(new TypeRegistry(), built.v14).asV14;
    const lookup = v15.lookup;
    const path = (id: { toNumber(): number }) => lookup.getSiType(id.toNumber()).path.map((p) => p.toString()).join("::");
    // the V14 registry is a prefix of the V15 one (same ids for the same types)
    expect(lookup.types.length).toBeGreaterThan(v14.lookup.types.length);
    v14.lookup.types.forEach((t, i) => expect(u8aToHex(lookup.types[i].toU8a())).toBe(u8aToHex(t.toU8a())));

    expect(v15.pallets.map((p) => p.name.toString())).toEqual(["System", "Balances", "SubtensorModule", "Utility", "Sudo"]);
    expect(v15.pallets[2].docs.map((d) => d.toString())).toEqual(["The Subtensor pallet.", "Second doc line."]);
    expect(v15.pallets[1].docs.length).toBe(0);
    v15.pallets.forEach((p, i) => {
      // everything but docs is identical to V14
      expect(u8aToHex(p.storage.toU8a())).toBe(u8aToHex(v14.pallets[i].storage.toU8a()));
      expect(u8aToHex(p.constants.toU8a())).toBe(u8aToHex(v14.pallets[i].constants.toU8a()));
    });

    const x = v15.extrinsic;
    expect(x.version.toNumber()).toBe(4);
    expect(path(x.addressType)).toBe("sp_runtime::multiaddress::MultiAddress");
    expect(path(x.callType)).toBe("node_subtensor_runtime::RuntimeCall");
    expect(path(x.signatureType)).toBe("sp_runtime::MultiSignature");
    expect(lookup.getSiType(x.extraType).def.asTuple.length).toBe(SIGNED_EXTENSIONS.length);
    expect(x.signedExtensions.map((e) => e.identifier.toString())).toEqual(SIGNED_EXTENSIONS.map((e) => e.identifier));
    expect(x.callType.toNumber()).toBe(v14.lookup.getSiType(v14.extrinsic.type).params[1].type.unwrap().toNumber());

    expect(path(v15.outerEnums.callType)).toBe("node_subtensor_runtime::RuntimeCall");
    expect(path(v15.outerEnums.eventType)).toBe("node_subtensor_runtime::RuntimeEvent");
    expect(path(v15.outerEnums.errorType)).toBe("node_subtensor_runtime::RuntimeError");
    const re = lookup.getSiType(v15.outerEnums.errorType).def.asVariant.variants;
    expect(re.map((v) => [v.name.toString(), v.index.toNumber(), path(v.fields[0].type)])).toEqual([
      ["System", 0, "frame_system::pallet::Error"],
      ["SubtensorModule", 7, "pallet_subtensor::pallet::Error"],
      ["Balances", 5, "pallet_balances::pallet::Error"],
      ["Sudo", 12, "pallet_sudo::pallet::Error"],
    ].sort((a, b) => (a[1] as number) - (b[1] as number)));

    expect(v15.apis.map((a) => a.name.toString())).toEqual(["AccountNonceApi", "Metadata"]);
    const nonce = v15.apis[0].methods[0];
    expect(nonce.name.toString()).toBe("account_nonce");
    expect(nonce.inputs.map((i) => [i.name.toString(), path(i.type)])).toEqual([["account", "sp_core::crypto::AccountId32"]]);
    expect(lookup.getSiType(nonce.output).def.asPrimitive.toString()).toBe("U32");
    expect(nonce.docs.map((d) => d.toString())).toEqual(["Get current account nonce of given `AccountId`."]);
    expect(v15.apis[0].docs.map((d) => d.toString())).toEqual(["The API to query account nonce."]);
    const atVersion = v15.apis[1].methods[1];
    const opt = lookup.getSiType(atVersion.output);
    expect(opt.path.join("::")).toBe("Option");
    expect(path(opt.params[0].type.unwrap())).toBe("sp_core::OpaqueMetadata");
    expect(v15.custom.map.size).toBe(0);
    expect(u8aToHex(v15.type.toU8a())).toBe(u8aToHex(v14.type.toU8a()));
  });

  it("re-encodes byte-identically through @polkadot/types", () => {
    expect(u8aToHex(new Metadata(new TypeRegistry(), built.v14).toU8a())).toBe(u8aToHex(built.v14));
    expect(u8aToHex(new Metadata(new TypeRegistry(), built.v15).toU8a())).toBe(u8aToHex(built.v15));
    // and through hex, as state_getMetadata serves it
    expect(u8aToHex(new Metadata(new TypeRegistry(), u8aToHex(built.v14)).toU8a())).toBe(u8aToHex(built.v14));
  });

  for (const version of ["v14", "v15"] as const) {
    describe(`polkadot-js registry with ${version}`, () => {
      let registry: TypeRegistry;
      let metadata: Metadata;

      beforeAll(() => {
        registry = new TypeRegistry();
        metadata = new Metadata(registry, built[version]);
        registry.setMetadata(metadata);
      });

      it("derives Address, AccountId, ExtrinsicSignature, Call and Event from the type paths", () => {
        const addr = registry.createType("Address", { Id: ALICE });
        expect(addr).toBeInstanceOf(GenericMultiAddress);
        expect(u8aToHex(addr.toU8a())).toBe(u8aToHex(enc(MultiAddress, { tag: "Id", value: ALICE })));
        expect(registry.createType("AccountId").toU8a().length).toBe(32);
        expect(registry.createType("ExtrinsicSignature").toRawType()).toContain("Sr25519");
        expect(registry.chainSS58).toBe(42);
        const names = registry.lookup.names;
        // Weight V2 detection (refTime + proofSize)
        expect(names).toContain("SpWeightsWeightV2Weight");
        expect(Object.keys(registry.createType("Weight").toJSON() as object)).toEqual(["refTime", "proofSize"]);
        for (const n of ["FrameSystemEventRecord", "FrameSystemAccountInfo", "SpRuntimeDispatchError", "SpRuntimeMultiSignature", "SpCoreCryptoAccountId32"]) expect(names).toContain(n);
      });

      it("uses exactly our signed extensions, in order", () => {
        expect(registry.signedExtensions).toEqual(SIGNED_EXTENSIONS.map((e) => e.identifier));
        // polkadot-js's built-in table gives the same extra / additional-signed shapes as ours
        expect(Object.keys(registry.getSignedExtensionTypes())).toEqual(["era", "nonce", "tip"]);
        expect(Object.keys(registry.getSignedExtensionExtra())).toEqual(["specVersion", "transactionVersion", "genesisHash", "blockHash"]);
        const extra = registry.createType("ExtrinsicPayload", {
          method: "0x0000",
          era: "0x00",
          nonce: 5,
          tip: 7,
          specVersion: 100,
          transactionVersion: 1,
          genesisHash: u8aToHex(zero32),
          blockHash: u8aToHex(zero32),
        });
        // method(2) ++ era(1) ++ nonce(1) ++ tip(1) ++ spec(4) ++ tx(4) ++ genesis(32) ++ block(32)
        expect(extra.toU8a({ method: true }).length).toBe(2 + 3 + 8 + 64);
        expect(u8aToHex(extra.toU8a({ method: true }).subarray(2, 5))).toBe(u8aToHex(enc(ExtraCodec, [{}, {}, {}, {}, null, 5, {}, 7n] as never)));
      });

      it("findMetaError resolves a Module error to its section and name", () => {
        const err = balances.error("InsufficientBalance").error as EnumValue<{ index: number; error: Uint8Array }>;
        const decoded = registry.createType("SpRuntimeDispatchError", enc(DispatchErrorCodec, err));
        expect((decoded as unknown as { isModule: boolean }).isModule).toBe(true);
        const meta = registry.findMetaError((decoded as unknown as { asModule: Parameters<TypeRegistry["findMetaError"]>[0] }).asModule);
        expect(meta.section).toBe("balances");
        expect(meta.name).toBe("InsufficientBalance");
        expect(meta.docs).toEqual(["Balance too low to send value."]);
        expect(registry.findMetaError({ index: registry.createType("u8", 7), error: new Uint8Array([1, 0, 0, 0]) } as never).name).toBe("NotRegistered");
      });

      it("decodes calls encoded by our RuntimeCall codec, and re-encodes them identically", () => {
        const transfer = { tag: "Balances", value: { tag: "transfer_keep_alive", value: { dest: { tag: "Id", value: BOB }, value: 123_456_789_012n } } };
        const bytes1 = enc(runtime.callCodec, transfer);
        const c1 = registry.createType("Call", bytes1) as GenericCall;
        expect(c1.section).toBe("balances");
        expect(c1.method).toBe("transferKeepAlive");
        expect(u8aToHex(c1.callIndex)).toBe("0x0503");
        expect(Object.keys(c1.argsDef)).toEqual(["dest", "value"]);
        expect(c1.args[0].toRawType()).toContain("Address20");
        expect(c1.args[1].toRawType()).toBe("Compact<u64>");
        const callVariants = registry.lookup.getSiType(metadata.asLatest.pallets[1].calls.unwrap().type).def.asVariant.variants;
        expect(callVariants[1].fields.map((f) => f.typeName.unwrap().toString())).toEqual(["AccountIdLookupOf<T>", "T::Balance"]);
        expect(c1.args[0]).toBeInstanceOf(GenericMultiAddress);
        expect((c1.args[0] as GenericMultiAddress).type).toBe("Id");
        expect(u8aToHex((c1.args[0] as GenericMultiAddress).value.toU8a())).toBe(u8aToHex(BOB));
        expect(c1.args[1].toString()).toBe("123456789012");
        expect(u8aToHex(c1.toU8a())).toBe(u8aToHex(bytes1));

        // a nested RuntimeCall (Sudo → Utility.batch → [System.remark, SubtensorModule.set_weights])
        const nested = {
          tag: "Sudo",
          value: {
            tag: "sudo",
            value: {
              call: {
                tag: "Utility",
                value: {
                  tag: "batch",
                  value: {
                    calls: [
                      { tag: "System", value: { tag: "remark", value: { remark: new Uint8Array([1, 2, 3]) } } },
                      { tag: "SubtensorModule", value: { tag: "set_weights", value: { netuid: 1, dests: [0, 1], weights: [65535, 32768], versionKey: 0n } } },
                    ],
                  },
                },
              },
            },
          },
        };
        const bytes2 = enc(runtime.callCodec, nested);
        const c2 = registry.createType("Call", bytes2) as GenericCall;
        expect(c2.section).toBe("sudo");
        const inner = c2.args[0] as GenericCall;
        expect(inner.section).toBe("utility");
        expect(inner.method).toBe("batch");
        const batch = inner.args[0] as unknown as GenericCall[];
        expect(batch.map((c) => `${c.section}.${c.method}`)).toEqual(["system.remark", "subtensorModule.setWeights"]);
        expect(batch[1].toJSON()).toMatchObject({ args: { netuid: 1, dests: [0, 1], weights: [65535, 32768], version_key: 0 } });
        expect(u8aToHex(c2.toU8a())).toBe(u8aToHex(bytes2));

        // polkadot-js-built calls decode with our codec
        const tx = expandMetadata(registry, metadata).tx;
        const built = tx.subtensorModule.burnedRegister(3, ALICE);
        expect(runtime.callCodec.decode(built.toU8a())).toEqual({ tag: "SubtensorModule", value: { tag: "burned_register", value: { netuid: 3, hotkey: ALICE } } });
      });

      it("decodes events and EventRecords encoded by our codecs", () => {
        const transfer = balances.event("Transfer", { from: ALICE, to: BOB, amount: 5_000n });
        const evBytes = enc(runtime.eventCodec, transfer);
        const ev = registry.createType("Event", evBytes) as GenericEvent;
        expect(ev).toBeInstanceOf(GenericEvent);
        expect(ev.section).toBe("balances");
        expect(ev.method).toBe("Transfer");
        expect(u8aToHex(ev.data[0].toU8a())).toBe(u8aToHex(ALICE));
        expect(u8aToHex(ev.data[1].toU8a())).toBe(u8aToHex(BOB));
        expect(ev.data[2].toString()).toBe("5000");
        expect(ev.data.names).toEqual(["from", "to", "amount"]);
        expect(u8aToHex(ev.toU8a())).toBe(u8aToHex(evBytes));

        const info = { weight: { refTime: 1_000n, proofSize: 0n }, class: { tag: "Normal" }, paysFee: { tag: "Yes" } };
        const records = [
          { phase: { tag: "ApplyExtrinsic", value: 1 }, event: transfer, topics: [] },
          { phase: { tag: "ApplyExtrinsic", value: 1 }, event: system.event("ExtrinsicFailed", { dispatchError: balances.error("InsufficientBalance").error, dispatchInfo: info }), topics: [] },
          { phase: { tag: "ApplyExtrinsic", value: 2 }, event: subtensor.event("NetworkAdded", [3, 360]), topics: [BOB] },
          { phase: { tag: "Finalization" }, event: sudo.event("Sudid", { sudoResult: { tag: "Ok", value: [] } }), topics: [] },
        ];
        const recBytes = enc(runtime.eventRecords, records);
        // the lookup name polkadot-js gives System.Events' value type
        const eventsEntry = metadata.asLatest.pallets[0].storage.unwrap().items.find((i) => i.name.eq("Events"))!;
        const typeName = registry.lookup.getTypeDef(eventsEntry.type.asPlain).type;
        expect(typeName).toBe("Vec<FrameSystemEventRecord>");
        const decoded = registry.createType(typeName, recBytes) as unknown as Array<
          PjsCodec & { phase: { isApplyExtrinsic: boolean; asApplyExtrinsic: PjsCodec; isFinalization: boolean }; event: GenericEvent; topics: PjsCodec[] }
        >;
        expect(decoded.length).toBe(4);
        expect(decoded[0].phase.asApplyExtrinsic.toString()).toBe("1");
        expect(decoded[0].event.method).toBe("Transfer");
        const failed = decoded[1].event;
        expect(`${failed.section}.${failed.method}`).toBe("system.ExtrinsicFailed");
        const dispatchError = failed.data[0] as unknown as { isModule: boolean; asModule: Parameters<TypeRegistry["findMetaError"]>[0] };
        expect(dispatchError.isModule).toBe(true);
        expect(registry.findMetaError(dispatchError.asModule)).toMatchObject({ section: "balances", name: "InsufficientBalance" });
        expect((failed.data[1] as unknown as { weight: { refTime: PjsCodec } }).weight.refTime.toString()).toBe("1000");
        expect(decoded[2].event.section).toBe("subtensorModule");
        expect(decoded[2].event.data.map((d) => d.toString())).toEqual(["3", "360"]);
        expect(u8aToHex(decoded[2].topics[0].toU8a())).toBe(u8aToHex(BOB));
        expect(decoded[3].phase.isFinalization).toBe(true);
        expect((decoded[3].event.data[0] as unknown as { isOk: boolean }).isOk).toBe(true);
        expect(u8aToHex((registry.createType(typeName, recBytes) as PjsCodec).toU8a())).toBe(u8aToHex(recBytes));
      });

      it("generates the same storage keys as our StorageItem.key, and decodes the keys back", () => {
        const query = expandMetadata(registry, metadata).query;
        const key = (fn: (typeof query)[string][string], ...args: unknown[]) =>
          u8aToHex(registry.createType("StorageKey", [fn, args]).toU8a(true));
        expect(key(query.system.number)).toBe(u8aToHex(Number_.key()));
        expect(key(query.system.events)).toBe("0x26aa394eea5630e07c48ae0c9558cef780d41e5e16056765bc8461851072c9d7");
        expect(key(query.system.events)).toBe(u8aToHex(Events.key()));
        expect(key(query.system.account, ALICE)).toBe(u8aToHex(Account.key(ALICE)));
        expect(key(query.system.blockHash, 77)).toBe(u8aToHex(BlockHash.key(77)));
        expect(key(query.balances.totalIssuance)).toBe(u8aToHex(TotalIssuance.key()));
        expect(key(query.subtensorModule.tempo, 9)).toBe(u8aToHex(Tempo.key(9)));
        expect(key(query.subtensorModule.uids, 1, BOB)).toBe(u8aToHex(Uids.key(1, BOB)));
        expect(key(query.subtensorModule.weights, 1, 7)).toBe(u8aToHex(Weights.key(1, 7)));
        expect(key(query.subtensorModule.stake, 2, 300, ALICE)).toBe(u8aToHex(Stake.key(2, 300, ALICE)));
        expect(key(query.subtensorModule.networkName, 4)).toBe(u8aToHex(NetworkName.key(4)));
        // iteration prefixes (entries(netuid) / keys())
        expect(u8aToHex(query.subtensorModule.uids.keyPrefix(1))).toBe(u8aToHex(Uids.key(1)));
        expect(u8aToHex(query.subtensorModule.uids.keyPrefix())).toBe(u8aToHex(Uids.prefix));
        expect(u8aToHex(query.subtensorModule.stake.keyPrefix(2, 300))).toBe(u8aToHex(Stake.key(2, 300)));

        // polkadot-js decodes the key arguments out of our keys (what .entries() does)
        const sk = registry.createType("StorageKey", u8aToHex(Uids.key(1, BOB)));
        sk.setMeta(query.subtensorModule.uids.meta);
        expect(sk.args.map((a) => u8aToHex(a.toU8a()))).toEqual([u8aToHex(enc(u16, 1)), u8aToHex(BOB)]);
        // and our decodeKey reads polkadot-js keys
        expect(Stake.decodeKey(hexToU8a(key(query.subtensorModule.stake, 2, 300, ALICE)))).toEqual([2, 300, ALICE]);

        // values: fallbacks and encodings agree
        const valueOf = (fn: (typeof query)[string][string], raw: Uint8Array | null) => {
          const meta = fn.meta;
          const ty = registry.lookup.getTypeDef(meta.type.isPlain ? meta.type.asPlain : meta.type.asMap.value).type;
          if (raw) return registry.createType(ty, raw);
          return meta.modifier.isOptional ? registry.createType(`Option<${ty}>`, null) : registry.createType(ty, meta.fallback.toU8a(true));
        };
        expect(valueOf(query.subtensorModule.tempo, null).toString()).toBe("360");
        expect((valueOf(query.subtensorModule.uids, null) as unknown as { isNone: boolean }).isNone).toBe(true);
        expect(valueOf(query.subtensorModule.uids, enc(u16, 7)).toString()).toBe("7");
        expect(valueOf(query.subtensorModule.weights, enc(Weights.value, [[0, 65535], [1, 32768]])).toJSON()).toEqual([
          [0, 65535],
          [1, 32768],
        ]);
        const acct = { ...emptyAccount, nonce: 3, providers: 1, data: { ...emptyAccount.data, free: 10n ** 18n, flags: 1n << 127n } };
        const decodedAcct = valueOf(query.system.account, enc(AccountInfo, acct)).toJSON() as Record<string, any>;
        expect(decodedAcct.nonce).toBe(3);
        expect(BigInt(decodedAcct.data.free)).toBe(10n ** 18n);
        expect(valueOf(query.system.account, null).toU8a()).toEqual(enc(AccountInfo, emptyAccount));
      });

      it("reads constants from the metadata", () => {
        const consts = expandMetadata(registry, metadata).consts;
        expect(consts.system.ss58Prefix.toString()).toBe("42");
        expect(consts.system.blockHashCount.toString()).toBe("2400");
        expect(consts.balances.existentialDeposit.toString()).toBe("500");
      });
    });
  }

  it("polkadot-js builds api.call-style runtime API definitions from V15", () => {
    const registry = new TypeRegistry();
    const metadata = new Metadata(registry, built.v15);
    registry.setMetadata(metadata);
    const apis = metadata.asLatest.apis;
    const m = apis[0].methods[0];
    expect(registry.lookup.getTypeDef(m.inputs[0].type).type).toBe("AccountId32");
    expect(registry.lookup.getTypeDef(m.output).type).toBe("u32");
    expect(registry.lookup.getTypeDef(apis[1].methods[2].output).type).toBe("Vec<u32>");
  });

  it("rejects declarations that cannot be metadata", () => {
    const bad = new RuntimeDefinition(
      [new Pallet({ name: "Bad", index: 300, crate: "pallet_bad", calls: [call({ name: "x", index: 0, args: [] })] })],
      runtime.version,
    );
    expect(() => buildMetadata(bad, [])).toThrow(/index 300/);
    const dupItems = new RuntimeDefinition(
      [new Pallet({ name: "Dup", index: 1, crate: "pallet_dup", storage: [storageValue({ name: "X", value: u8, default: 0 }), storageValue({ name: "X", value: u16, default: 0 })] })],
      runtime.version,
    );
    expect(() => buildMetadata(dupItems, [])).toThrow(/duplicate storage item in Dup: X/);
    expect(() => buildMetadata(runtime, [APIS[0], APIS[0]])).toThrow(/duplicate runtime API AccountNonceApi/);
  });

  it("exposes MultiSignature as sp_runtime::MultiSignature with Ed25519/Sr25519/Ecdsa at 0/1/2", () => {
    const t = new TypeTable();
    const id = t.id(MultiSignature as Codec<unknown>);
    const ms = t.types()[id].type;
    expect(ms.path).toEqual(["sp_runtime", "MultiSignature"]);
    expect((ms.def as { Variant: { variants: { name: string; index: number }[] } }).Variant.variants.map((v) => [v.name, v.index])).toEqual([
      ["Ed25519", 0],
      ["Sr25519", 1],
      ["Ecdsa", 2],
    ]);
  });
});
