/**
 * `author_*`: transaction submission, watching, and the pending list.
 *
 * Pool errors map to Substrate's author error objects (polkadot-sdk
 * `rpc-api/src/author/error.rs`), so clients show exactly what they show against a Substrate node:
 *
 * | pool error          | code | message                                | data |
 * |---------------------|------|----------------------------------------|------|
 * | BAD_FORMAT          | 1001 | `Extrinsic has invalid format: <e>`    | –    |
 * | INVALID (invalid)   | 1010 | `Invalid Transaction`                  | e.g. `Transaction has a bad signature` |
 * | INVALID (unknown)   | 1011 | `Unknown Transaction Validity`         | e.g. `CannotLookup` (Rust Debug) |
 * | ALREADY_IMPORTED    | 1013 | `Transaction Already Imported`         | the tx hash (`{:?}` of H256: full hex) |
 * | TOO_LOW_PRIORITY    | 1014 | `Priority is too low: (old vs new)`    | `The transaction has too low priority to replace another transaction already in the pool.` |
 * | IMMEDIATELY_DROPPED | 1016 | `Immediately Dropped`                  | `The transaction couldn't enter the pool because of the limit` |
 * | anything else       | 1002 | `Verification Error: <e>`              | `<e>` |
 *
 * Watch statuses: `"ready"`/`"future"` right after the subscription id, `{"inBlock": h}`, then
 * `{"finalized": h}` at least FINALIZED_DELAY_MS later (polkadot-js-compat.md §4.5: if finalized
 * follows inBlock at once, polkadot-js never reports InBlock). The subscription ends after a final
 * status (finalized, usurped, dropped, invalid), as Substrate's does.
 */
import type { HeadInfo } from "../../chain/blockchain/blockchain.js";
import { PoolError, type TxStatus } from "../../chain/txpool/txpool.js";
import { TransactionValidityError } from "../../chain/runtime/validity.js";
import { fromHex } from "../../util/bytes.js";
import { blake2_256 } from "../../util/hash.js";
import { RpcError, invalidParams } from "../errors.js";
import { array, hex, type ParamSpec } from "../params.js";
import type { RpcRegistry, SubscriptionSink } from "../registry.js";
import { ErrorBase, toHex } from "./common.js";
import type { RpcServices } from "./services.js";

/** Minimum time between an `inBlock` and a `finalized` notification of one transaction. */
export const FINALIZED_DELAY_MS = 150;

export const AuthorErrorCode = {
  BadFormat: ErrorBase.AUTHOR + 1,
  Verification: ErrorBase.AUTHOR + 2,
  InvalidTransaction: ErrorBase.AUTHOR + 10,
  UnknownValidity: ErrorBase.AUTHOR + 11,
  TemporarilyBanned: ErrorBase.AUTHOR + 12,
  AlreadyImported: ErrorBase.AUTHOR + 13,
  TooLowPriority: ErrorBase.AUTHOR + 14,
  CycleDetected: ErrorBase.AUTHOR + 15,
  ImmediatelyDropped: ErrorBase.AUTHOR + 16,
} as const;

function validityError(e: TransactionValidityError): RpcError {
  const t = e.type;
  if (t.code === "INVALID_TRANSACTION") return new RpcError(AuthorErrorCode.InvalidTransaction, "Invalid Transaction", e.detail);
  if (t.code === "UNKNOWN_TRANSACTION") return new RpcError(AuthorErrorCode.UnknownValidity, "Unknown Transaction Validity", t.kind);
  return new RpcError(AuthorErrorCode.BadFormat, `Extrinsic has invalid format: ${e.detail}`);
}

/** Substrate's JSON-RPC error object for a submission failure. */
export function submitError(e: unknown): RpcError {
  if (e instanceof RpcError) return e;
  if (e instanceof PoolError) {
    const t = e.type;
    switch (t.code) {
      case "BAD_FORMAT":
        return new RpcError(AuthorErrorCode.BadFormat, `Extrinsic has invalid format: ${t.detail}`);
      case "INVALID":
        return validityError(t.error);
      case "ALREADY_IMPORTED":
        return new RpcError(AuthorErrorCode.AlreadyImported, "Transaction Already Imported", t.hash);
      case "TOO_LOW_PRIORITY":
        return new RpcError(
          AuthorErrorCode.TooLowPriority,
          `Priority is too low: (${t.old} vs ${t.new})`,
          "The transaction has too low priority to replace another transaction already in the pool.",
        );
      case "IMMEDIATELY_DROPPED":
        return new RpcError(AuthorErrorCode.ImmediatelyDropped, "Immediately Dropped", "The transaction couldn't enter the pool because of the limit");
    }
  }
  if (e instanceof TransactionValidityError) return validityError(e);
  const msg = e instanceof Error ? e.message : String(e);
  return new RpcError(AuthorErrorCode.Verification, `Verification Error: ${msg}`, msg);
}

function submit(services: RpcServices, bytes: Uint8Array): { hash: Uint8Array; status: "ready" | "future" } {
  try {
    return services.pool.submit(bytes);
  } catch (e) {
    throw submitError(e);
  }
}

/** Follows one transaction's statuses and forwards them to the sink, with the InBlock→Finalized spacing. */
function watch(services: RpcServices, hashHex: string, initial: "ready" | "future", sink: SubscriptionSink): { stop(): void } {
  const { pool, chain } = services;
  let inBlock: { hash: string; number: number | undefined; sentAt: number } | undefined;
  let finalTimer: NodeJS.Timeout | undefined;
  let finalizing = false;
  let stopped = false;

  const stop = () => {
    if (stopped) return;
    stopped = true;
    pool.off("status", onStatus);
    chain.off("finalized", onFinalized);
    if (finalTimer) clearTimeout(finalTimer);
  };

  const end = (status: unknown) => {
    sink.emit(status);
    stop();
    sink.close();
  };

  const scheduleFinalized = (blockHex: string) => {
    if (finalizing) return;
    finalizing = true;
    // A timer may fire up to a loop iteration early (libuv measures from the iteration's cached
    // start), so the gap is checked on the monotonic clock when it fires and topped up if short.
    const remaining = () => (inBlock ? inBlock.sentAt + FINALIZED_DELAY_MS - performance.now() : 0);
    const fire = () => {
      const wait = remaining();
      if (wait > 0) finalTimer = setTimeout(fire, Math.ceil(wait));
      else end({ finalized: blockHex });
    };
    finalTimer = setTimeout(fire, Math.max(0, Math.ceil(remaining())));
  };

  /** Whether the block holding the tx is final: the finalized chain has it at its height. */
  const isFinal = (): boolean => {
    if (!inBlock || inBlock.number === undefined) return false;
    if (inBlock.number > chain.finalized.number) return false;
    const canonical = chain.hashAt(inBlock.number);
    return canonical !== undefined && toHex(canonical) === inBlock.hash;
  };

  function onStatus(h: string, status: TxStatus): void {
    if (h !== hashHex || stopped || finalizing) return;
    if (status === "ready" || status === "future") {
      sink.emit(status);
    } else if (status === "dropped" || status === "invalid") {
      end(status);
    } else if ("inBlock" in status) {
      inBlock = { hash: status.inBlock, number: chain.header(fromHex(status.inBlock))?.number, sentAt: 0 };
      sink.emit({ inBlock: status.inBlock });
      // the gap to `finalized` counts from once inBlock is out
      inBlock.sentAt = performance.now();
      if (isFinal()) scheduleFinalized(status.inBlock);
    } else if ("finalized" in status) {
      scheduleFinalized(status.finalized);
    } else if ("usurped" in status) {
      end({ usurped: status.usurped });
    } else if ("retracted" in status) {
      inBlock = undefined;
      sink.emit({ retracted: status.retracted });
    }
  }

  // The pool reports finality only for the exact finalized head; a block finalized through a
  // descendant is final too.
  function onFinalized(_head: HeadInfo): void {
    if (!stopped && !finalizing && isFinal()) scheduleFinalized(inBlock!.hash);
  }

  pool.on("status", onStatus);
  chain.on("finalized", onFinalized);
  sink.emit(initial);
  return { stop };
}

/**
 * `ExtrinsicOrHash` as serde reads it: `{"hash": "0x…"}` or `{"extrinsic": "0x…"}` (variant names
 * camelCase; polkadot-js sends them so). Parsed to the transaction hash.
 */
function extrinsicOrHash(): ParamSpec<Uint8Array> {
  const expected = 'an object {"hash": 0x-prefixed 32 bytes} or {"extrinsic": 0x-prefixed bytes}';
  const h = hex({ bytes: 32 });
  const x = hex();
  const wrong = (at: string) => invalidParams(`${at}: expected ${expected}`);
  const spec: ParamSpec<Uint8Array> = {
    optional: false,
    expected,
    parse(value, at) {
      if (typeof value !== "object" || value === null || Array.isArray(value)) throw wrong(at);
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length !== 1) throw wrong(at);
      const [key, v] = entries[0];
      if (key === "hash" || key === "Hash") return h.parse(v, `${at}.hash`);
      if (key === "extrinsic" || key === "Extrinsic") return blake2_256(x.parse(v, `${at}.extrinsic`));
      throw wrong(at);
    },
    named: () => spec,
  };
  return spec;
}

export function register(registry: RpcRegistry, services: RpcServices): void {
  registry.addMethod({
    name: "author_submitExtrinsic",
    params: [hex().named("extrinsic")],
    handler: ([bytes]: [Uint8Array]) => toHex(submit(services, bytes).hash),
  });

  registry.addSubscription({
    subscribe: "author_submitAndWatchExtrinsic",
    unsubscribe: "author_unwatchExtrinsic",
    notification: "author_extrinsicUpdate",
    params: [hex().named("bytes")],
    start: ([bytes]: [Uint8Array], sink) => {
      const { hash, status } = submit(services, bytes);
      return watch(services, toHex(hash), status, sink);
    },
  });

  // Substrate's `remove_invalid`: drops the given transactions (their watchers see "invalid").
  registry.addMethod({
    name: "author_removeExtrinsic",
    unsafe: true,
    params: [array(extrinsicOrHash()).named("bytesOrHash")],
    handler: ([hashes]: [Uint8Array[]]) => services.pool.removeInvalid(hashes).map((h) => toHex(h)),
  });

  // Substrate answers with the pool's ready transactions (`pool.ready()`), in block order.
  registry.addMethod({
    name: "author_pendingExtrinsics",
    params: [],
    handler: () => services.pool.ready().map((e) => toHex(e.bytes)),
  });
}
