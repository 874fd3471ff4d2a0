/**
 * frame_system (index 0): accounts (nonce + balances data), block number, parent hash, block hash
 * history, events, extrinsic count. Account lifecycle helpers live here because Balances and the
 * executive both create and reap accounts.
 */
import { bytes, compact, lazy, str, struct, tuple, u16, u32, u64, u128, vec, newtype, type EnumValue } from "../../codec/scale.js";
import type { Codec } from "../../codec/scale.js";
import type { EventRecordValue } from "../frame/runtime.js";
import { AccountId32, DispatchErrorCodec, DispatchInfo, H256, Digest, BlockNumber } from "../../codec/types.js";
import { Pallet, type EventDecl } from "../frame/pallet.js";
import { storageMap, storageValue } from "../frame/storage.js";
import { ensureRoot, ensureSigned } from "../frame/dispatch.js";
import type { StorageAccess } from "../../state/types.js";
import { blake2_256 } from "../../../util/hash.js";
import type { RuntimeApi } from "../frame/runtimeApi.js";

export interface AccountData {
  free: bigint;
  reserved: bigint;
  frozen: bigint;
  flags: bigint;
}

export interface AccountInfo {
  nonce: number;
  consumers: number;
  providers: number;
  sufficients: number;
  data: AccountData;
}

/** pallet_balances' "new logic" flag that Substrate sets on every account it creates. */
export const NEW_LOGIC_FLAG = 1n << 127n;

export const AccountDataCodec = struct<AccountData & Record<string, unknown>>(
  [
    { name: "free", type: u64, typeName: "Balance" },
    { name: "reserved", type: u64, typeName: "Balance" },
    { name: "frozen", type: u64, typeName: "Balance" },
    { name: "flags", type: newtype(u128, { path: ["pallet_balances", "types", "ExtraFlags"], typeName: "u128" }), typeName: "ExtraFlags" },
  ],
  { path: ["pallet_balances", "types", "AccountData"], params: [{ name: "Balance", type: u64 }] },
);

export const AccountInfoCodec = struct<AccountInfo & Record<string, unknown>>(
  [
    { name: "nonce", type: u32, typeName: "Nonce" },
    { name: "consumers", type: u32, typeName: "RefCount" },
    { name: "providers", type: u32, typeName: "RefCount" },
    { name: "sufficients", type: u32, typeName: "RefCount" },
    { name: "data", type: AccountDataCodec, typeName: "AccountData" },
  ],
  { path: ["frame_system", "AccountInfo"], params: [{ name: "Nonce", type: u32 }, { name: "AccountData", type: AccountDataCodec }] },
);

export const emptyAccount = (): AccountInfo => ({ nonce: 0, consumers: 0, providers: 0, sufficients: 0, data: { free: 0n, reserved: 0n, frozen: 0n, flags: 0n } });

export const Account = storageMap({
  name: "Account",
  key: { hasher: "Blake2_128Concat", codec: AccountId32 },
  value: AccountInfoCodec,
  default: emptyAccount(),
  docs: ["The full account information for a particular account ID."],
});
export const ExtrinsicCount = storageValue({ name: "ExtrinsicCount", value: u32, optional: true, docs: ["Total extrinsics count for the current block."] });
export const BlockHash = storageMap({
  name: "BlockHash",
  key: { hasher: "Twox64Concat", codec: BlockNumber },
  value: H256,
  default: new Uint8Array(32),
  docs: ["Map of block numbers to block hashes."],
});
export const Number_ = storageValue({ name: "Number", value: BlockNumber, default: 0, docs: ["The current block number being processed."] });
export const ParentHash = storageValue({ name: "ParentHash", value: H256, default: new Uint8Array(32), docs: ["Hash of the previous block."] });
export const DigestItem = storageValue({ name: "Digest", value: Digest, default: { logs: [] }, docs: ["Digest of the current block."] });
export const EventCount = storageValue({ name: "EventCount", value: u32, default: 0, docs: ["The number of events in the `Events<T>` list."] });
export const LastRuntimeUpgrade = storageValue({
  name: "LastRuntimeUpgrade",
  value: struct([
    { name: "spec_version", type: compact(u32) },
    { name: "spec_name", type: newtype(str, { path: ["Cow"], params: [{ name: "T", type: str }] }) },
  ], { path: ["frame_system", "LastRuntimeUpgradeInfo"] }),
  optional: true,
});

/**
 * Vec<EventRecord>: its type embeds the RuntimeEvent enum of one assembled runtime, so each runtime
 * gets its own Events item (built with its System pallet); the key is the same for all of them.
 */
function eventsItem(eventRecords: () => Codec<EventRecordValue[]>) {
  return storageValue({
    name: "Events",
    value: lazy(eventRecords) as Codec<EventRecordValue[]>,
    default: [] as EventRecordValue[],
    docs: ["Events deposited for the current block."],
  });
}
export type EventsItem = ReturnType<typeof eventsItem>;

// Bound now, not when a runtime builds its System pallet: runtime code and tests use these items
// with any runtime (or none).
for (const item of [Account, ExtrinsicCount, BlockHash, Number_, ParentHash, DigestItem, EventCount, LastRuntimeUpgrade]) item.bind("System");

export const BLOCK_HASH_COUNT = 2400;
export const SS58_PREFIX = 42;

const SYSTEM_EVENTS: EventDecl[] = [
      { name: "ExtrinsicSuccess", index: 0, fields: [{ name: "dispatch_info", type: DispatchInfo, typeName: "DispatchInfo" }], docs: ["An extrinsic completed successfully."] },
      {
        name: "ExtrinsicFailed",
        index: 1,
        fields: [
          { name: "dispatch_error", type: DispatchErrorCodec, typeName: "DispatchError" },
          { name: "dispatch_info", type: DispatchInfo, typeName: "DispatchInfo" },
        ],
        docs: ["An extrinsic failed."],
      },
      { name: "CodeUpdated", index: 2, fields: [], docs: ["`:code` was updated."] },
      { name: "NewAccount", index: 3, fields: [{ name: "account", type: AccountId32, typeName: "T::AccountId" }], docs: ["A new account was created."] },
      { name: "KilledAccount", index: 4, fields: [{ name: "account", type: AccountId32, typeName: "T::AccountId" }], docs: ["An account was reaped."] },
      {
        name: "Remarked",
        index: 5,
        fields: [
          { name: "sender", type: AccountId32, typeName: "T::AccountId" },
          { name: "hash", type: H256, typeName: "T::Hash" },
        ],
        docs: ["On on-chain remark happened."],
      },
];
const SYSTEM_EVENT_NAMES = new Set(SYSTEM_EVENTS.map((e) => e.name));

/** A System event value (the same in every runtime: events are not runtime-specific). */
export function systemEvent(name: string, fields?: Record<string, unknown>): EnumValue {
  if (!SYSTEM_EVENT_NAMES.has(name)) throw new Error(`System has no event ${name}`);
  return { tag: "System", value: { tag: name, value: fields } };
}

/** The System pallet of one runtime; `eventRecords` is that runtime's Vec<EventRecord> codec. */
/** frame_system's runtime API (frame-system-rpc-runtime-api): the next nonce of an account. */
export const AccountNonceApi: RuntimeApi = {
  name: "AccountNonceApi",
  version: 1,
  docs: ["The API to query account nonce."],
  methods: [
    {
      name: "account_nonce",
      inputs: [{ name: "account", type: AccountId32 as Codec<unknown> }],
      output: u32 as Codec<unknown>,
      docs: ["Get current account nonce of given `AccountId`."],
      call: (ctx, [account]) => Account.get(ctx.state, account).nonce,
    },
  ],
};

export function buildSystemPallet(eventRecords: () => Codec<EventRecordValue[]>): Pallet {
  const Events = eventsItem(eventRecords);
  return new Pallet({
    name: "System",
    index: 0,
    crate: "frame_system",
    storage: [Account, ExtrinsicCount, BlockHash, Number_, ParentHash, DigestItem, Events, EventCount, LastRuntimeUpgrade],
    calls: [
      {
        name: "remark",
        index: 0,
        args: [{ name: "remark", type: bytes, typeName: "Vec<u8>" }],
        origin: "any",
        weight: (a: { remark: Uint8Array }) => 2_000_000n + BigInt(a.remark.length) * 400n,
        docs: ["Make some on-chain remark."],
        dispatch: () => {},
      },
      {
        name: "set_storage",
        index: 4,
        args: [{ name: "items", type: vec(tuple(bytes, bytes)), typeName: "Vec<KeyValue>" }],
        origin: "root",
        weight: () => 10_000_000n,
        docs: ["Set some items of storage."],
        dispatch: (ctx, a: { items: [Uint8Array, Uint8Array][] }) => {
          ensureRoot(ctx.origin);
          for (const [key, value] of a.items) ctx.state.set(key, value);
        },
      },
      {
        name: "kill_storage",
        index: 5,
        args: [{ name: "keys", type: vec(bytes), typeName: "Vec<Key>" }],
        origin: "root",
        weight: () => 10_000_000n,
        docs: ["Kill some items from storage."],
        dispatch: (ctx, a: { keys: Uint8Array[] }) => {
          ensureRoot(ctx.origin);
          for (const key of a.keys) ctx.state.delete(key);
        },
      },
      {
        name: "kill_prefix",
        index: 6,
        args: [
          { name: "prefix", type: bytes, typeName: "Key" },
          { name: "subkeys", type: u32, typeName: "u32" },
        ],
        origin: "root",
        weight: () => 10_000_000n,
        docs: ["Kill all storage items with a key that starts with the given prefix."],
        dispatch: (ctx, a: { prefix: Uint8Array }) => {
          ensureRoot(ctx.origin);
          for (const key of ctx.state.keys(a.prefix)) ctx.state.delete(key);
        },
      },
      {
        name: "remark_with_event",
        index: 7,
        args: [{ name: "remark", type: bytes, typeName: "Vec<u8>" }],
        origin: "signed",
        weight: (a: { remark: Uint8Array }) => 2_000_000n + BigInt(a.remark.length) * 400n,
        docs: ["Make some on-chain remark and emit event."],
        dispatch: (ctx, a: { remark: Uint8Array }) => {
          const sender = ensureSigned(ctx.origin);
          ctx.deposit(systemEvent("Remarked", { sender, hash: blake2_256(a.remark) }));
        },
      },
    ],
    events: SYSTEM_EVENTS,
    errors: [
      { name: "InvalidSpecName" },
      { name: "SpecVersionNeedsToIncrease" },
      { name: "FailedToExtractRuntimeVersion" },
      { name: "NonDefaultComposite" },
      { name: "NonZeroRefCount" },
      { name: "CallFiltered" },
      { name: "MultiBlockMigrationsOngoing" },
      { name: "NothingAuthorized" },
      { name: "Unauthorized" },
    ],
    constants: [
      { name: "BlockHashCount", codec: u32, value: BLOCK_HASH_COUNT, docs: ["Maximum number of block number to block hash mappings to keep (oldest pruned first)."] },
      { name: "SS58Prefix", codec: u16, value: SS58_PREFIX, docs: ["The designated SS58 prefix of this chain."] },
    ],
    apis: () => [AccountNonceApi],
  });
}

/** The Events item of a runtime's System pallet. */
export function eventsStorage(system: Pallet): EventsItem {
  const item = system.storage.find((s) => s.name === "Events");
  if (!item) throw new Error("System pallet without Events");
  return item as unknown as EventsItem;
}

// ------------------------------------------------------------------ account lifecycle

/**
 * Writes an account, creating it (NewAccount) or reaping it (KilledAccount) as Substrate does:
 * an account exists while it has providers; a reaped account's entry, nonce included, is removed.
 */
export function writeAccount(state: StorageAccess, who: Uint8Array, info: AccountInfo, deposit: (e: EnumValue) => void): void {
  const existed = Account.exists(state, who);
  if (info.providers === 0 && info.consumers === 0 && info.sufficients === 0) {
    if (existed) {
      Account.remove(state, who);
      deposit(systemEvent("KilledAccount", { account: who }));
    }
    return;
  }
  Account.put(state, info, who);
  if (!existed) deposit(systemEvent("NewAccount", { account: who }));
}

