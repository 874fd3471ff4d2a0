/**
 * `archive_v1_*` (paritytech/json-rpc-interface-spec), cheap on this node because it keeps every
 * block and every state: header, body, storage, call at any stored block; hashes by height;
 * the finalized height; the genesis hash.
 *
 * archive_v1_storage is a subscription (`archive_v1_storageEvent`: one `storage` event per item,
 * then `storageDone`, or `storageError`; archive_v1_stopStorage ends it). Items are produced a
 * page at a time between other work, and wait while the connection has much unsent output.
 */
import type { HeadInfo } from "../../chain/blockchain/blockchain.js";
import { TrieState } from "../../chain/blockchain/blockchain.js";
import { encodeHeader } from "../../chain/codec/block.js";
import { executeRuntimeApi } from "../../chain/runtime/api/index.js";
import { toHex } from "../../util/bytes.js";
import { nativeRuntimeCode, withRuntimeCode } from "../chainHead/runtimeCode.js";
import { StorageQueryCursor, storageItems, type StorageQuery } from "../chainHead/storageQuery.js";
import { hash, looseHex, optional, string, u32 } from "../params.js";
import type { RpcRegistry, SubscriptionSink } from "../registry.js";
import { headerRuntimeContext } from "../runtimeCalls.js";
import type { RpcServices } from "./services.js";

const PAGE_ITEMS = 256;
const PAGE_BYTES = 512 * 1024;
/** archive_v1_storage waits while its connection has more unsent output than this. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const BACKOFF_MS = 20;

/** Hashes of the blocks at `height`: the canonical one up to the finalized height, else every known branch's. */
function hashesAt(services: RpcServices, height: number): string[] {
  const { chain } = services;
  if (height <= chain.finalized.number) {
    const h = chain.hashAt(height);
    return h ? [toHex(h)] : [];
  }
  const found = new Set<string>();
  for (const leaf of chain.leaves()) {
    let block: HeadInfo | undefined = leaf;
    while (block && block.number > height) {
      const parent: Uint8Array = block.header.parentHash;
      const header = chain.header(parent);
      block = header && { hash: parent, number: header.number, header };
    }
    if (block && block.number === height) found.add(toHex(block.hash));
  }
  return [...found];
}

function storageSubscription(services: RpcServices, at: Uint8Array, queries: StorageQuery[], childTrie: Uint8Array | undefined, sink: SubscriptionSink): { stop(): void } {
  const header = services.chain.header(at);
  if (!header) {
    sink.emit({ event: "storageError", error: "Invalid block hash" });
    sink.close();
    return { stop: () => {} };
  }
  const { trie } = services.chain;
  // no child tries on this chain: a childTrie query finds nothing
  const source =
    childTrie === undefined
      ? { state: withRuntimeCode(new TrieState(trie, header.stateRoot), nativeRuntimeCode(services)), closestDescendantMerkleValue: (k: Uint8Array) => trie.closestDescendantMerkleValue(header.stateRoot, k) }
      : { state: { get: () => undefined, keys: () => [] }, closestDescendantMerkleValue: () => undefined };
  const cursor = new StorageQueryCursor(source, queries);
  const childTrieKey = childTrie === undefined ? {} : { childTrieKey: toHex(childTrie) };
  let timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  const step = (): void => {
    timer = undefined;
    if (sink.closed) return;
    if (sink.bufferedBytes > MAX_BUFFERED_BYTES) {
      timer = setTimeout(step, BACKOFF_MS);
      return;
    }
    let page: ReturnType<StorageQueryCursor["next"]>;
    try {
      page = cursor.next(PAGE_ITEMS, PAGE_BYTES);
    } catch (e) {
      sink.emit({ event: "storageError", error: (e as Error).message });
      sink.close();
      return;
    }
    for (const item of page.items) sink.emit({ event: "storage", ...item, ...childTrieKey });
    if (page.done) {
      sink.emit({ event: "storageDone" });
      sink.close();
    } else timer = setImmediate(step);
  };
  timer = setImmediate(step);
  return {
    stop: () => {
      if (timer === undefined) return;
      clearTimeout(timer as NodeJS.Timeout);
      clearImmediate(timer as NodeJS.Immediate);
    },
  };
}

export function register(registry: RpcRegistry, services: RpcServices): void {
  const { chain } = services;

  registry.addMethod({ name: "archive_v1_genesisHash", params: [], handler: () => toHex(chain.genesisHash) });
  registry.addMethod({ name: "archive_v1_finalizedHeight", params: [], handler: () => chain.finalized.number });
  registry.addMethod({ name: "archive_v1_hashByHeight", params: [u32().named("height")], handler: ([n]: [number]) => hashesAt(services, n) });

  registry.addMethod({
    name: "archive_v1_header",
    params: [hash().named("hash")],
    handler: ([h]: [Uint8Array]) => {
      const header = chain.header(h);
      return header ? toHex(encodeHeader(header)) : null;
    },
  });

  registry.addMethod({
    name: "archive_v1_body",
    params: [hash().named("hash")],
    handler: ([h]: [Uint8Array]) => chain.body(h)?.map((e) => toHex(e)) ?? null,
  });

  registry.addMethod({
    name: "archive_v1_call",
    params: [hash().named("hash"), string().named("function"), looseHex().named("callParameters")],
    handler: ([h, fn, data]: [Uint8Array, string, Uint8Array]) => {
      const header = chain.header(h);
      if (!header) return null;
      try {
        return { success: true, value: toHex(executeRuntimeApi(headerRuntimeContext(services, h, header), fn, data)) };
      } catch (e) {
        return { success: false, error: (e as Error).message };
      }
    },
  });

  registry.addSubscription({
    subscribe: "archive_v1_storage",
    unsubscribe: "archive_v1_stopStorage",
    notification: "archive_v1_storageEvent",
    params: [hash().named("hash"), storageItems({ pagination: true }).named("items"), optional(looseHex()).named("childTrie")],
    unsubscribeResult: () => null,
    start: ([h, items, childTrie]: [Uint8Array, StorageQuery[], Uint8Array | undefined], sink) => storageSubscription(services, h, items, childTrie, sink),
  });
}
