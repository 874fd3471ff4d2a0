/**
 * `state_*`: runtime version and metadata, runtime calls, storage reads (by key, by prefix, paged,
 * batched, historical ranges), read proofs, and the runtime-version and storage subscriptions,
 * with Substrate's names, aliases, JSON and errors (polkadot-sdk `rpc-api/src/state/`,
 * `rpc/src/state/state_full.rs`):
 *
 * - 4001 `Cannot resolve a block range ['…' ... '…]. <details>` (state_queryStorage(At));
 * - 4002 `count exceeds maximum value. value: N, max: 1000` (state_getKeysPaged);
 * - 4003 `Client error: <sp_blockchain::Error>`, e.g. an unknown block hash:
 *   `Client error: UnknownBlock: Header was not found in the database: 0x…`.
 */
import type { ImportedBlock } from "../../chain/blockchain/blockchain.js";
import type { Header } from "../../chain/codec/types.js";
import { runtimeVersionJson } from "../../chain/runtime/api/index.js";
import { stateCall, unknownApiBlockMessage, unknownBlockMessage } from "../runtimeCalls.js";
import type { StateReader } from "../../chain/state/types.js";
import { blake2_256 } from "../../util/hash.js";
import { bytesEqual } from "../../util/bytes.js";
import { RpcError } from "../errors.js";
import { array, hash, hex, optional, string, u32 } from "../params.js";
import type { RpcRegistry, SubscriptionSink } from "../registry.js";
import { ErrorBase, findBlock, stateBlock, stateClientError, toHex } from "./common.js";
import type { RpcServices } from "./services.js";

/** Substrate's `STORAGE_KEYS_PAGED_MAX_COUNT`. */
export const STORAGE_KEYS_PAGED_MAX_COUNT = 1000;

type Change = [string, string | null];

const valueHex = (v: Uint8Array | undefined): string | null => (v === undefined ? null : toHex(v));

/** Rust's `{:?}` of a `String` (what `InvalidBlockRange`'s message wraps its bounds in). */
const debugString = (s: string): string => JSON.stringify(s);

/** State Error::InvalidBlockRange (4001), from sc-rpc `invalid_block`: bounds are `{:?}` of `{:?}` of the hashes. */
function invalidBlock(from: Uint8Array, to: Uint8Array, details: string): RpcError {
  return new RpcError(ErrorBase.STATE + 1, `Cannot resolve a block range ['${debugString(toHex(from))}' ... '${debugString(`Some(${toHex(to)})`)}]. ${details}`);
}

/** State Error::InvalidBlockRange (4001), from sc-rpc `invalid_block_range` (bounds as "number (hash)"). */
function invalidBlockRange(from: { number: number; hash: Uint8Array }, to: { number: number; hash: Uint8Array }, details: string): RpcError {
  const s = (b: { number: number; hash: Uint8Array }) => debugString(`${b.number} (${toHex(b.hash)})`);
  return new RpcError(ErrorBase.STATE + 1, `Cannot resolve a block range ['${s(from)}' ... '${s(to)}]. ${details}`);
}

/** Substrate's `query_storage` over blocks `from..=to` of one chain: the first set holds every key, then only changes. */
function queryStorage(services: RpcServices, keys: Uint8Array[], from: Uint8Array, to: Uint8Array | undefined): Array<{ block: string; changes: Change[] }> {
  const { chain } = services;
  const toHash = to ?? chain.best.hash;
  const fromHeader = chain.header(from);
  if (!fromHeader) throw invalidBlock(from, toHash, unknownBlockMessage(from));
  const toHeader = chain.header(toHash);
  if (!toHeader) throw invalidBlock(from, toHash, unknownBlockMessage(toHash));
  const fromMeta = { number: fromHeader.number, hash: from };
  const toMeta = { number: toHeader.number, hash: toHash };
  if (fromMeta.number > toMeta.number) throw invalidBlockRange(fromMeta, toMeta, "from number > to number");
  const hashes: Uint8Array[] = [toHash];
  let last: { number: number; hash: Uint8Array; header: Header } = { ...toMeta, header: toHeader };
  while (last.number > fromMeta.number) {
    const parentHeader = chain.header(last.header.parentHash);
    if (!parentHeader) throw invalidBlockRange(last, toMeta, unknownBlockMessage(last.header.parentHash));
    last = { number: parentHeader.number, hash: last.header.parentHash, header: parentHeader };
    hashes.push(last.hash);
  }
  if (!bytesEqual(last.hash, from)) throw invalidBlockRange(fromMeta, toMeta, "from and to are on different forks");
  hashes.reverse();

  const lastValues = new Map<string, string | null>();
  const out: Array<{ block: string; changes: Change[] }> = [];
  for (const blockHash of hashes) {
    const state = chain.stateAt(blockHash);
    const changes: Change[] = [];
    for (const key of keys) {
      const k = toHex(key);
      const v = valueHex(state.get(key));
      if (!lastValues.has(k) || lastValues.get(k) !== v) changes.push([k, v]);
      lastValues.set(k, v);
    }
    if (changes.length) out.push({ block: toHex(blockHash), changes });
  }
  return out;
}

/** Checks a block for methods that go through the runtime API (`runtime_version_at`, `metadata()`). */
function runtimeApiBlock(services: RpcServices, at: Uint8Array | undefined): void {
  if (!findBlock(services, at)) throw stateClientError(unknownApiBlockMessage(at!));
}

/** Value size at `key`, or (when absent) the total size of the values under it as a prefix; null if 0. */
function storageSize(state: StateReader, key: Uint8Array): number | null {
  const v = state.get(key);
  if (v !== undefined) return v.length;
  let sum = 0;
  for (const k of state.keys(key)) sum += state.get(k)?.length ?? 0;
  return sum > 0 ? sum : null;
}

/**
 * `state_subscribeStorage`: the first notification carries every subscribed key (null when absent,
 * at the best block); later ones carry the keys a new best block wrote. Without keys, every change.
 */
function startStorageSubscription(services: RpcServices, keys: Uint8Array[] | undefined, sink: SubscriptionSink): { stop(): void } {
  const { chain } = services;
  const wanted = keys ? new Map(keys.map((k) => [toHex(k), k])) : undefined;
  // the values last reported, per key, to catch up after a reorg (a best block whose parent is not the last one seen)
  const last = new Map<string, string | null>();
  let lastBest = chain.best.hash;

  const onImported = (b: ImportedBlock) => {
    if (!b.isBest) return;
    const changes: Change[] = [];
    if (!wanted) {
      for (const [k, v] of b.changes) changes.push([toHex(k), valueHex(v ?? undefined)]);
    } else if (bytesEqual(b.header.parentHash, lastBest)) {
      for (const [k, v] of b.changes) {
        const kh = toHex(k);
        if (!wanted.has(kh)) continue;
        const vh = valueHex(v ?? undefined);
        changes.push([kh, vh]);
        last.set(kh, vh);
      }
    } else {
      const state = chain.stateAt(b.hash);
      for (const [kh, key] of wanted) {
        const vh = valueHex(state.get(key));
        if (last.get(kh) !== vh) changes.push([kh, vh]);
        last.set(kh, vh);
      }
    }
    lastBest = b.hash;
    if (changes.length) sink.emit({ block: toHex(b.hash), changes });
  };
  chain.on("imported", onImported);

  if (wanted && wanted.size) {
    const state = chain.bestState();
    const changes: Change[] = [];
    for (const [kh, key] of wanted) {
      const vh = valueHex(state.get(key));
      changes.push([kh, vh]);
      last.set(kh, vh);
    }
    sink.emit({ block: toHex(chain.best.hash), changes });
  }
  return { stop: () => chain.off("imported", onImported) };
}

export function register(registry: RpcRegistry, services: RpcServices): void {
  const { chain } = services;
  const at = () => optional(hash()).named("hash");

  registry.addMethod({
    name: "state_getRuntimeVersion",
    aliases: ["chain_getRuntimeVersion"],
    params: [at()],
    handler: ([h]: [Uint8Array | undefined]) => {
      runtimeApiBlock(services, h);
      return runtimeVersionJson(services.runtime);
    },
  });

  registry.addSubscription({
    subscribe: "state_subscribeRuntimeVersion",
    aliases: ["chain_subscribeRuntimeVersion"],
    unsubscribe: "state_unsubscribeRuntimeVersion",
    unsubscribeAliases: ["chain_unsubscribeRuntimeVersion"],
    notification: "state_runtimeVersion",
    params: [],
    // One runtime for the life of the chain: the current version, once (Substrate then sends only changes).
    start: (_params, sink) => {
      sink.emit(runtimeVersionJson(services.runtime));
      return { stop: () => {} };
    },
  });

  registry.addMethod({
    name: "state_getMetadata",
    params: [at()],
    handler: ([h]: [Uint8Array | undefined]) => {
      runtimeApiBlock(services, h);
      return toHex(services.metadata.v14);
    },
  });

  registry.addMethod({
    name: "state_call",
    aliases: ["state_callAt"],
    params: [string().named("name"), hex().named("bytes"), at()],
    handler: ([method, data, h]: [string, Uint8Array, Uint8Array | undefined]) => toHex(stateCall(services, method, data, h ?? chain.best.hash)),
  });

  registry.addMethod({
    name: "state_getStorage",
    aliases: ["state_getStorageAt"],
    params: [hex().named("key"), at()],
    handler: ([key, h]: [Uint8Array, Uint8Array | undefined]) => valueHex(stateBlock(services, h).state.get(key)),
  });

  registry.addMethod({
    name: "state_getStorageHash",
    aliases: ["state_getStorageHashAt"],
    params: [hex().named("key"), at()],
    handler: ([key, h]: [Uint8Array, Uint8Array | undefined]) => {
      const v = stateBlock(services, h).state.get(key);
      return v === undefined ? null : toHex(blake2_256(v));
    },
  });

  registry.addMethod({
    name: "state_getStorageSize",
    aliases: ["state_getStorageSizeAt"],
    params: [hex().named("key"), at()],
    handler: ([key, h]: [Uint8Array, Uint8Array | undefined]) => storageSize(stateBlock(services, h).state, key),
  });

  registry.addMethod({
    name: "state_getKeys",
    params: [hex().named("prefix"), at()],
    handler: ([prefix, h]: [Uint8Array, Uint8Array | undefined]) => stateBlock(services, h).state.keys(prefix).map((k) => toHex(k)),
  });

  registry.addMethod({
    name: "state_getPairs",
    unsafe: true,
    params: [hex().named("prefix"), at()],
    handler: ([prefix, h]: [Uint8Array, Uint8Array | undefined]) => {
      const { state } = stateBlock(services, h);
      return state.keys(prefix).map((k) => [toHex(k), toHex(state.get(k)!)]);
    },
  });

  registry.addMethod({
    name: "state_getKeysPaged",
    aliases: ["state_getKeysPagedAt"],
    params: [optional(hex()).named("prefix"), u32().named("count"), optional(hex()).named("startKey"), at()],
    handler: ([prefix, count, startKey, h]: [Uint8Array | undefined, number, Uint8Array | undefined, Uint8Array | undefined]) => {
      if (count > STORAGE_KEYS_PAGED_MAX_COUNT) {
        throw new RpcError(ErrorBase.STATE + 2, `count exceeds maximum value. value: ${count}, max: ${STORAGE_KEYS_PAGED_MAX_COUNT}`);
      }
      const { state } = stateBlock(services, h);
      if (count === 0) return [];
      return state.keys(prefix ?? new Uint8Array(0), { startAfter: startKey, limit: count }).map((k) => toHex(k));
    },
  });

  registry.addMethod({
    name: "state_queryStorageAt",
    params: [array(hex()).named("keys"), optional(hash()).named("at")],
    handler: ([keys, h]: [Uint8Array[], Uint8Array | undefined]) => {
      const blockHash = h ?? chain.best.hash;
      return queryStorage(services, keys, blockHash, blockHash);
    },
  });

  registry.addMethod({
    name: "state_queryStorage",
    unsafe: true,
    params: [array(hex()).named("keys"), hash().named("block"), at()],
    handler: ([keys, from, to]: [Uint8Array[], Uint8Array, Uint8Array | undefined]) => queryStorage(services, keys, from, to),
  });

  registry.addMethod({
    name: "state_getReadProof",
    params: [array(hex()).named("keys"), at()],
    handler: ([keys, h]: [Uint8Array[], Uint8Array | undefined]) => {
      const { hash: blockHash, header } = stateBlock(services, h);
      return { at: toHex(blockHash), proof: chain.trie.proof(header.stateRoot, keys).map((n) => toHex(n)) };
    },
  });

  registry.addSubscription({
    subscribe: "state_subscribeStorage",
    unsubscribe: "state_unsubscribeStorage",
    notification: "state_storage",
    params: [optional(array(hex())).named("keys")],
    start: ([keys]: [Uint8Array[] | undefined], sink) => startStorageSubscription(services, keys, sink),
  });
}
