/**
 * `chainHead_v1_*` (paritytech/json-rpc-interface-spec): follow the head of the chain, and read
 * headers, bodies, storage and runtime calls of the blocks a follow subscription pinned. The
 * subscription logic lives in ../chainHead/; this file declares the methods and their parameters.
 *
 * A `followSubscription` that is unknown on the caller's connection (never opened, unfollowed,
 * or stopped) is "invalid or stale": header → null, body/call/storage → `{"result": "limitReached"}`,
 * unpin/continue/stopOperation → null, as the spec says.
 */
import { Followers } from "../chainHead/followers.js";
import { CHAIN_HEAD_DEFAULTS, type ChainHeadOptions } from "../chainHead/follower.js";
import { storageItems, type StorageQuery } from "../chainHead/storageQuery.js";
import { bool, hash, listOrValue, looseHex, optional, string } from "../params.js";
import type { RpcRegistry } from "../registry.js";
import type { RpcServices } from "./services.js";

const LIMIT_REACHED = { result: "limitReached" } as const;
const followSubscription = () => string().named("followSubscription");

/** Registers chainHead_v1_*; returns the followers (tests look at them). */
export function register(registry: RpcRegistry, services: RpcServices, options: Partial<ChainHeadOptions> = {}): Followers {
  const followers = new Followers(services, { ...CHAIN_HEAD_DEFAULTS, ...options });

  registry.addSubscription({
    subscribe: "chainHead_v1_follow",
    unsubscribe: "chainHead_v1_unfollow",
    notification: "chainHead_v1_followEvent",
    params: [bool().named("withRuntime")],
    // the spec: null, and no effect (no error) for an unknown or stopped subscription
    unsubscribeResult: () => null,
    start: ([withRuntime]: [boolean], sink, ctx) => followers.follow(withRuntime, sink, ctx),
  });

  registry.addMethod({
    name: "chainHead_v1_header",
    params: [followSubscription(), hash().named("hash")],
    handler: ([sub, h]: [string, Uint8Array], ctx) => followers.get(ctx, sub)?.header(h) ?? null,
  });

  registry.addMethod({
    name: "chainHead_v1_body",
    params: [followSubscription(), hash().named("hash")],
    handler: ([sub, h]: [string, Uint8Array], ctx) => followers.get(ctx, sub)?.body(h) ?? LIMIT_REACHED,
  });

  registry.addMethod({
    name: "chainHead_v1_call",
    params: [followSubscription(), hash().named("hash"), string().named("function"), looseHex().named("callParameters")],
    handler: ([sub, h, fn, data]: [string, Uint8Array, string, Uint8Array], ctx) => followers.get(ctx, sub)?.call(h, fn, data) ?? LIMIT_REACHED,
  });

  registry.addMethod({
    name: "chainHead_v1_storage",
    params: [followSubscription(), hash().named("hash"), storageItems({ pagination: false }).named("items"), optional(looseHex()).named("childTrie")],
    handler: ([sub, h, items, childTrie]: [string, Uint8Array, StorageQuery[], Uint8Array | undefined], ctx) =>
      followers.get(ctx, sub)?.storage(h, items, childTrie) ?? LIMIT_REACHED,
  });

  registry.addMethod({
    name: "chainHead_v1_unpin",
    params: [followSubscription(), listOrValue(hash()).named("hashOrHashes")],
    handler: ([sub, hashes]: [string, Uint8Array | Uint8Array[]], ctx) => {
      followers.get(ctx, sub)?.unpin(Array.isArray(hashes) ? hashes : [hashes]);
      return null;
    },
  });

  registry.addMethod({
    name: "chainHead_v1_continue",
    params: [followSubscription(), string().named("operationId")],
    handler: ([sub, op]: [string, string], ctx) => followers.get(ctx, sub)?.continueOperation(op) ?? null,
  });

  registry.addMethod({
    name: "chainHead_v1_stopOperation",
    params: [followSubscription(), string().named("operationId")],
    handler: ([sub, op]: [string, string], ctx) => {
      followers.get(ctx, sub)?.stopOperation(op);
      return null;
    },
  });

  return followers;
}
