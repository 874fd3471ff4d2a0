/**
 * Methods of Substrate's RPC set that tools call but this node cannot serve, each answering one
 * clear error instead of "Method not found" (which would make clients believe the node is broken):
 *
 * - child storage (`childstate_*`, `state_getChild*`): this chain has no child tries — 4003
 *   `Client error: Child storage is not supported: this chain has no child tries`;
 * - `state_traceBlock`: there is no wasm executor to trace — 4003 `Client error: Block tracing is
 *   not supported by this node`;
 * - `offchain_localStorage*`: there are no offchain workers, hence no offchain storage — Substrate's
 *   offchain error 5001 `This storage kind is not available yet` (what it answers when offchain
 *   storage is disabled), with the reason in `data`.
 *
 * Parameters are not checked: the answer is the same whatever is asked.
 */
import { RpcError } from "../errors.js";
import type { RpcRegistry } from "../registry.js";
import { stateClientError } from "../runtimeCalls.js";

/** Substrate's offchain RPC `Error::UnavailableStorageKind` (BASE 5000 + 1). */
export const OFFCHAIN_UNAVAILABLE_STORAGE_KIND = 5001;

const CHILD_STATE_METHODS: Array<{ name: string; aliases?: string[] }> = [
  { name: "childstate_getKeys" },
  { name: "childstate_getKeysPaged", aliases: ["childstate_getKeysPagedAt"] },
  { name: "childstate_getStorage" },
  { name: "childstate_getStorageEntries" },
  { name: "childstate_getStorageHash" },
  { name: "childstate_getStorageSize" },
  { name: "state_getChildKeys" },
  { name: "state_getChildReadProof" },
  { name: "state_getChildStorage" },
  { name: "state_getChildStorageHash" },
  { name: "state_getChildStorageSize" },
];

const OFFCHAIN_METHODS = ["offchain_localStorageGet", "offchain_localStorageSet", "offchain_localStorageClear"];

export function register(registry: RpcRegistry): void {
  for (const m of CHILD_STATE_METHODS) {
    registry.addMethod({
      ...m,
      handler: () => {
        throw stateClientError("Child storage is not supported: this chain has no child tries");
      },
    });
  }
  registry.addMethod({
    name: "state_traceBlock",
    unsafe: true,
    handler: () => {
      throw stateClientError("Block tracing is not supported by this node");
    },
  });
  for (const name of OFFCHAIN_METHODS) {
    registry.addMethod({
      name,
      unsafe: true,
      handler: () => {
        throw new RpcError(OFFCHAIN_UNAVAILABLE_STORAGE_KIND, "This storage kind is not available yet", "this node runs no offchain workers and keeps no offchain storage");
      },
    });
  }
}
