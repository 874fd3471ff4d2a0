/**
 * `transaction_v1_broadcast` / `transaction_v1_stop` and `transactionWatch_v1_submitAndWatch` /
 * `transactionWatch_v1_unwatch` (paritytech/json-rpc-interface-spec) on top of the pool. A
 * transaction entering the pool from here has source "local": the node gossips it to its peers.
 *
 * Broadcast: the operation id is returned whatever the pool says (the spec: an invalid
 * transaction is silently not broadcast); `null` once the connection has its maximum of
 * operations. An operation ends at transaction_v1_stop or when its transaction leaves the pool
 * for good (finalized, invalid, dropped, usurped); an invalid one ends at once (a deviation from
 * "invalid ones still count towards the limit": without a connection-close hook, nothing else
 * would ever free them).
 *
 * Watch events from pool statuses, as polkadot-sdk maps them: accepted (ready/future) →
 * `validated`; in a best-chain block → `bestChainBlockIncluded` with its index in the body;
 * retracted → `bestChainBlockIncluded: null`; finalized → `finalized`; invalid or usurped →
 * `invalid`; dropped → `dropped`. A refused submission: bad format or invalid → `invalid`;
 * already imported, too low priority, pool full → `dropped`; anything else → `error`.
 */
import { PoolError, type TxStatus } from "../../chain/txpool/txpool.js";
import { fromHex, toHex } from "../../util/bytes.js";
import { blake2_256 } from "../../util/hash.js";
import { invalidOperationId } from "../chainHead/errors.js";
import { hex, string } from "../params.js";
import type { RpcContext, RpcRegistry, SubscriptionSink } from "../registry.js";
import { submitError } from "./author.js";
import type { RpcServices } from "./services.js";

/** The spec requires at least 4 broadcasts at a time per client. */
export const MAX_BROADCASTS_PER_CONNECTION = 16;

type StatusListener = (status: TxStatus) => void;

/** One pool listener for all the transactions followed here, by hash. */
class TxStatusHub {
  private readonly byHash = new Map<string, Set<StatusListener>>();
  private attached = false;

  constructor(private readonly services: RpcServices) {}

  listen(hashHex: string, listener: StatusListener): () => void {
    if (!this.attached) {
      this.attached = true;
      this.services.pool.on("status", (h, status) => {
        for (const l of [...(this.byHash.get(h) ?? [])]) l(status);
      });
    }
    const set = this.byHash.get(hashHex) ?? new Set<StatusListener>();
    set.add(listener);
    this.byHash.set(hashHex, set);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.byHash.get(hashHex) === set) this.byHash.delete(hashHex);
    };
  }
}

const isFinal = (s: TxStatus): boolean => s === "dropped" || s === "invalid" || (typeof s === "object" && ("finalized" in s || "usurped" in s));

/** `{hash, index}` of a transaction in a block's body, or null if it is not there. */
function inclusion(services: RpcServices, blockHex: string, txHash: Uint8Array): { hash: string; index: number } | null {
  const body = services.chain.body(fromHex(blockHex));
  const want = toHex(txHash);
  const index = body?.findIndex((e) => toHex(blake2_256(e)) === want) ?? -1;
  return index < 0 ? null : { hash: blockHex, index };
}

/** The watch event of a refused submission. */
function refusalEvent(e: unknown): Record<string, unknown> {
  const err = submitError(e);
  const error = err.data === undefined ? err.message : `${err.message}: ${String(err.data)}`;
  if (e instanceof PoolError) {
    const code = e.type.code;
    return { event: code === "BAD_FORMAT" || code === "INVALID" ? "invalid" : "dropped", error };
  }
  return { event: "error", error };
}

function watch(services: RpcServices, hub: TxStatusHub, bytes: Uint8Array, sink: SubscriptionSink): { stop(): void } {
  let txHash: Uint8Array;
  try {
    txHash = services.pool.submit(bytes, "local").hash;
  } catch (e) {
    sink.emit(refusalEvent(e));
    sink.close();
    return { stop: () => {} };
  }
  sink.emit({ event: "validated" });
  const end = (event: Record<string, unknown>): void => {
    sink.emit(event);
    stop();
    sink.close();
  };
  const stop = hub.listen(toHex(txHash), (status) => {
    if (status === "ready" || status === "future") sink.emit({ event: "validated" });
    else if (status === "dropped") end({ event: "dropped", error: "Extrinsic dropped from the pool due to exceeding limits" });
    else if (status === "invalid") end({ event: "invalid", error: "Extrinsic marked as invalid" });
    else if ("usurped" in status) end({ event: "invalid", error: "Extrinsic was rendered invalid by another extrinsic" });
    else if ("inBlock" in status) sink.emit({ event: "bestChainBlockIncluded", block: inclusion(services, status.inBlock, txHash) });
    else if ("retracted" in status) sink.emit({ event: "bestChainBlockIncluded", block: null });
    else if ("finalized" in status) end({ event: "finalized", block: inclusion(services, status.finalized, txHash) });
  });
  return { stop };
}

/** Broadcast operations by connection. */
class Broadcasts {
  private readonly byConnection = new Map<string, Map<string, () => void>>();
  private nextId = 0;

  constructor(
    private readonly services: RpcServices,
    private readonly hub: TxStatusHub,
  ) {}

  start(ctx: RpcContext, bytes: Uint8Array): string | null {
    const conn = ctx.connectionId;
    const mine = this.byConnection.get(conn) ?? new Map<string, () => void>();
    if (mine.size >= MAX_BROADCASTS_PER_CONNECTION) return null;
    const id = String(this.nextId++);
    let hashHex: string;
    try {
      hashHex = toHex(this.services.pool.submit(bytes, "local").hash);
    } catch {
      return id; // the spec: an invalid transaction is silently not broadcast
    }
    const off = this.hub.listen(hashHex, (status) => {
      if (isFinal(status)) this.end(conn, id);
    });
    mine.set(id, off);
    this.byConnection.set(conn, mine);
    return id;
  }

  /** Ends an operation; false if the connection has no such operation. */
  end(conn: string, id: string): boolean {
    const mine = this.byConnection.get(conn);
    const off = mine?.get(id);
    if (!mine || !off) return false;
    off();
    mine.delete(id);
    if (mine.size === 0) this.byConnection.delete(conn);
    return true;
  }
}

export function register(registry: RpcRegistry, services: RpcServices): void {
  const hub = new TxStatusHub(services);
  const broadcasts = new Broadcasts(services, hub);

  registry.addMethod({
    name: "transaction_v1_broadcast",
    params: [hex().named("transaction")],
    handler: ([bytes]: [Uint8Array], ctx) => broadcasts.start(ctx, bytes),
  });

  registry.addMethod({
    name: "transaction_v1_stop",
    params: [string().named("operationId")],
    handler: ([id]: [string], ctx) => {
      if (!broadcasts.end(ctx.connectionId, id)) throw invalidOperationId("operationId");
      return null;
    },
  });

  registry.addSubscription({
    subscribe: "transactionWatch_v1_submitAndWatch",
    unsubscribe: "transactionWatch_v1_unwatch",
    notification: "transactionWatch_v1_watchEvent",
    params: [hex().named("transaction")],
    unsubscribeResult: (found) => {
      if (!found) throw invalidOperationId("subscription");
      return null;
    },
    start: ([bytes]: [Uint8Array], sink) => watch(services, hub, bytes, sink),
  });
}
