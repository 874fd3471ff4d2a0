/**
 * Subscriptions of one connection: ids, the per-connection limit, and delivery order — a
 * subscription's notifications are held back until its id reply has been written, then flushed in
 * order; whatever ends it (unsubscribe, the handler's `close()`, socket close, server stop) calls
 * the handler's `stop()` exactly once.
 *
 * jsonrpsee behaviours kept: subscribe over HTTP → -32603; more than the limit → -32006;
 * unsubscribe → `true`, or `false` for an unknown id or unparsable params; ids are 16 random
 * characters (RandomStringIdProvider(16); base58 alphabet here).
 */
import { randomInt } from "node:crypto";
import type { Logger } from "../util/logger.js";
import type { Connection } from "./connection.js";
import { internalError, invalidParams, tooManySubscriptions, unsafeRpcCall } from "./errors.js";
import { parseParams } from "./params.js";
import type { RpcSubscriptionDef, SubscriptionSink } from "./registry.js";

const SUB_ID_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const SUB_ID_LENGTH = 16;

/** How notifications are encoded (null/undefined: too big or unserializable, dropped) and stop errors logged. */
export interface SubscriptionHost {
  encodeNotification(method: string, subscription: string, result: unknown): string | undefined;
  log: Logger;
}

export class Subscription implements SubscriptionSink {
  /** Notifications held back until the id reply is written; null once active. */
  private queue: string[] | null = [];
  private handle: { stop(): void } | undefined;
  private stopCalled = false;
  private ended = false;
  private closeRequested = false;

  constructor(
    readonly id: string,
    readonly def: RpcSubscriptionDef,
    private readonly conn: Connection,
    private readonly host: SubscriptionHost,
  ) {}

  get closed(): boolean {
    return this.ended || this.closeRequested;
  }

  get bufferedBytes(): number {
    return this.conn.bufferedBytes?.() ?? 0;
  }

  emit(result: unknown): void {
    if (this.closed) return;
    const msg = this.host.encodeNotification(this.def.notification, this.id, result);
    if (msg === undefined) return;
    if (this.queue !== null) this.queue.push(msg);
    else this.conn.send(msg);
  }

  close(): void {
    if (this.closed) return;
    // still waiting for the id reply: deliver what is queued first, then end
    if (this.queue !== null) this.closeRequested = true;
    else this.end();
  }

  /** The handle from `start()`; stops it at once if the subscription already ended meanwhile. */
  setHandle(handle: { stop(): void }): void {
    this.handle = handle;
    if (this.ended) this.callStop();
  }

  /** The id reply has been written: flush queued notifications. */
  activate(): void {
    if (this.ended || this.queue === null) return;
    const queued = this.queue;
    this.queue = null;
    for (const msg of queued) this.conn.send(msg);
    if (this.closeRequested) this.end();
  }

  /** Ends the subscription: forget it and call `stop()` (once). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.queue = null;
    if (this.conn.subs?.get(this.id) === this) this.conn.subs.delete(this.id);
    this.callStop();
  }

  private callStop(): void {
    if (this.stopCalled || this.handle === undefined) return;
    this.stopCalled = true;
    try {
      this.handle.stop();
    } catch (err) {
      this.host.log.warn({ method: this.def.subscribe, err }, "error while stopping an RPC subscription");
    }
  }
}

function newSubscriptionId(): string {
  let id = "";
  for (let i = 0; i < SUB_ID_LENGTH; i++) id += SUB_ID_ALPHABET[randomInt(SUB_ID_ALPHABET.length)];
  return id;
}

export interface SubscribeOptions {
  maxPerConnection: number;
  allowUnsafe: boolean;
}

/**
 * Starts a subscription on `conn`; returns its id. The subscription is pushed to `created`: the
 * caller activates it once the id reply is written (or ends it if the reply is never sent).
 */
export async function subscribe(
  def: RpcSubscriptionDef,
  rawParams: unknown,
  conn: Connection,
  created: Array<{ activate(): void; end(): void }>,
  host: SubscriptionHost,
  opts: SubscribeOptions,
): Promise<string> {
  const subs = conn.subs;
  if (subs === null) throw internalError(); // HTTP: jsonrpsee answers -32603 too
  if (def.unsafe === true && !opts.allowUnsafe) throw unsafeRpcCall();
  if (subs.size >= opts.maxPerConnection) throw tooManySubscriptions(opts.maxPerConnection);
  const params = def.params !== undefined ? parseParams(def.params, rawParams) : positional(rawParams);

  let id: string;
  do id = newSubscriptionId();
  while (subs.has(id));
  const sub = new Subscription(id, def, conn, host);
  subs.set(id, sub); // counts against the limit while starting

  let handle: { stop(): void };
  try {
    handle = await def.start(params, sub, conn.ctx);
  } catch (err) {
    sub.end();
    throw err;
  }
  if (handle === null || typeof handle !== "object" || typeof handle.stop !== "function") {
    sub.end();
    host.log.warn({ method: def.subscribe }, "subscription start() did not return a { stop() } handle");
    throw internalError();
  }
  sub.setHandle(handle);
  if (conn.closed) sub.end();
  else created.push(sub);
  return id;
}

/**
 * Ends the subscription `rawParams[0]` of `conn` if it is one of `def`'s; answers what
 * `def.unsubscribeResult` says (default `true`, or `false` for an unknown id).
 */
export function unsubscribe(def: RpcSubscriptionDef, rawParams: unknown, conn: Connection): unknown {
  if (conn.subs === null) throw internalError();
  const reply = (found: boolean): unknown => (def.unsubscribeResult ? def.unsubscribeResult(found) : found);
  const subId = Array.isArray(rawParams) ? rawParams[0] : undefined;
  if (typeof subId !== "string") return reply(false);
  const sub = conn.subs.get(subId);
  if (sub === undefined || sub.def !== def) return reply(false);
  sub.end();
  return reply(true);
}

/** Ends every subscription of a closed connection. */
export function endAll(conn: Connection): void {
  for (const sub of [...(conn.subs?.values() ?? [])]) sub.end();
}

/** Params without specs: the raw positional array (missing or null = []). */
export function positional(raw: unknown): unknown[] {
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw)) return raw;
  throw invalidParams("params must be an array");
}
