/**
 * The RPC method table: plain methods and subscriptions, each with its aliases and parameter
 * specs. Chain-specific handlers (src/rpc/methods/) register themselves here; the server only
 * dispatches. `rpc_methods` is built in and lists every name, aliases included, as Substrate does
 * (polkadot-js deletes every `api.rpc.x.y` whose name is missing from that list).
 */
import type { ParamSpec } from "./params.js";

export interface RpcContext {
  /** Unique per WebSocket connection, or per HTTP request. */
  connectionId: string;
  transport: "http" | "ws";
  remoteAddress?: string;
  /** Loopback peer and no proxy headers (or the server's `isLocal` override). */
  isLocal: boolean;
}

export interface RpcMethodDef {
  name: string;
  aliases?: string[];
  /** One spec per positional parameter; without it the raw params array is passed unchecked. */
  params?: ParamSpec[];
  /** Unsafe methods are refused unless the server allows unsafe calls for this context. */
  unsafe?: boolean;
  /**
   * Returns the JSON result (`undefined` is sent as `null`) or throws (RpcError passes through).
   * A result wrapped by {@link afterReply} sends its value and runs an action once it is written.
   */
  handler(params: any[], ctx: RpcContext): unknown | Promise<unknown>;
}

const AFTER_REPLY = Symbol("afterReply");

/** A method result whose `run` must happen only after the reply carrying `value` has been written. */
export interface AfterReply {
  readonly [AFTER_REPLY]: true;
  readonly value: unknown;
  readonly run: () => void;
}

/**
 * Wraps a method's result so that `run` is called once the reply has been written to the caller
 * (never, if the connection closes first). The new JSON-RPC interface needs this: a chainHead
 * operation's events must follow the `{"result": "started", "operationId": …}` reply that names it.
 */
export function afterReply(value: unknown, run: () => void): AfterReply {
  return { [AFTER_REPLY]: true, value, run };
}

export function isAfterReply(result: unknown): result is AfterReply {
  return typeof result === "object" && result !== null && (result as Partial<AfterReply>)[AFTER_REPLY] === true;
}

/**
 * A method result serialized ahead: the dispatcher writes `json` as is, so a result served often
 * and unchanged (the best header) is stringified once, not per call. `toJSON` gives the value
 * back: anything else that serializes it writes the same text.
 */
export class RawJson {
  readonly json: string;
  private constructor(private readonly value: unknown) {
    this.json = JSON.stringify(value);
  }
  /** `value` must be JSON (what JSON.stringify writes as text, not undefined). */
  static of(value: unknown): RawJson {
    return new RawJson(value);
  }
  toJSON(): unknown {
    return this.value;
  }
}

export interface SubscriptionSink {
  /** The subscription id the caller was given (what it passes back to name this subscription). */
  readonly id: string;
  /** Bytes written to the connection and not yet sent (0 where unknown): how far the caller lags. */
  readonly bufferedBytes: number;
  /** Sends a notification; queued until the subscription id reply has been written. No-op once closed. */
  emit(result: unknown): void;
  /** Ends the subscription from the server side (queued notifications are still delivered). */
  close(): void;
  readonly closed: boolean;
}

export interface RpcSubscriptionDef {
  subscribe: string;
  aliases?: string[];
  unsubscribe: string;
  unsubscribeAliases?: string[];
  /** The `method` of notifications, e.g. `chain_newHead`. */
  notification: string;
  params?: ParamSpec[];
  /** Unsafe subscriptions are refused unless the server allows unsafe calls for this context. */
  unsafe?: boolean;
  /**
   * The reply to the unsubscribe method, given whether the id named one of this connection's
   * subscriptions of this kind; may throw an RpcError. Default: jsonrpsee's `true` / `false`.
   */
  unsubscribeResult?(found: boolean): unknown;
  /**
   * Starts the subscription. Throwing (e.g. an RpcError 1010) sends that error instead of an id.
   * The returned `stop()` is called exactly once, whatever ends the subscription (unsubscribe,
   * `sink.close()`, socket close, server stop).
   */
  start(params: any[], sink: SubscriptionSink, ctx: RpcContext): { stop(): void } | Promise<{ stop(): void }>;
}

export type RpcEntry =
  | { kind: "method"; def: RpcMethodDef }
  | { kind: "subscribe"; def: RpcSubscriptionDef }
  | { kind: "unsubscribe"; def: RpcSubscriptionDef };

const NAME_RE = /^[A-Za-z0-9_.:-]+$/;

export class RpcRegistry {
  private readonly entries = new Map<string, RpcEntry>();

  constructor() {
    this.addMethod({
      name: "rpc_methods",
      params: [],
      handler: () => ({ version: 1, methods: this.methodNames() }),
    });
  }

  /** Registers a method under its name and aliases. Throws if any name is taken. */
  addMethod(def: RpcMethodDef): void {
    this.claim([def.name, ...(def.aliases ?? [])], { kind: "method", def });
  }

  /** Registers a subscription's subscribe and unsubscribe names and their aliases. Throws if any name is taken. */
  addSubscription(def: RpcSubscriptionDef): void {
    if (!NAME_RE.test(def.notification)) throw new Error(`invalid notification name ${JSON.stringify(def.notification)}`);
    const sub = [def.subscribe, ...(def.aliases ?? [])];
    const unsub = [def.unsubscribe, ...(def.unsubscribeAliases ?? [])];
    this.checkFree([...sub, ...unsub]);
    this.claim(sub, { kind: "subscribe", def });
    this.claim(unsub, { kind: "unsubscribe", def });
  }

  /** The entry a wire name resolves to (aliases included). */
  lookup(name: string): RpcEntry | undefined {
    return this.entries.get(name);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** Every callable name, sorted: methods, aliases, subscribe/unsubscribe names, `rpc_methods`. */
  methodNames(): string[] {
    return [...this.entries.keys()].sort();
  }

  private checkFree(names: string[]): void {
    const seen = new Set<string>();
    for (const name of names) {
      if (!NAME_RE.test(name)) throw new Error(`invalid RPC method name ${JSON.stringify(name)}`);
      if (this.entries.has(name) || seen.has(name)) throw new Error(`RPC method ${name} is already registered`);
      seen.add(name);
    }
  }

  private claim(names: string[], entry: RpcEntry): void {
    this.checkFree(names);
    for (const name of names) this.entries.set(name, entry);
  }
}
