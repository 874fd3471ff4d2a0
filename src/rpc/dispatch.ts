/**
 * JSON-RPC 2.0 processing of one message (a request or a batch) from one connection, with
 * jsonrpsee's codes and edge cases (paritytech/jsonrpsee `server/src/server.rs` handle_rpc_call,
 * `types/src/error.rs`):
 *
 * - invalid JSON → -32700 (id null), as is JSON nested deeper than 128 levels (serde_json's
 *   recursion limit; the check runs before parsing, so a deep body costs no memory); an invalid request object → -32600 (its id if readable); a
 *   JSON value that is neither an object nor an array is -32600 too (jsonrpsee says -32700);
 * - an empty batch → one -32600 object (not an array); a batch longer than `maxBatchLength` →
 *   -32010; a batch response over `maxResponseBytes` → -32011; a single response over it → -32008;
 * - notifications (no `id` member) are neither answered nor executed; a batch of only
 *   notifications gets no reply;
 * - an unsafe method refused → -32601 "RPC call is unsafe to be called externally";
 * - a call over the connection's rate limit → -32009 "Server is busy, try again later" with the
 *   limit in `data`; the connection stays usable;
 * - a handler's RpcError is sent as is; any other exception is logged and becomes -32603.
 *
 * Entries of a batch run one after another: a batch may depend on its own order.
 *
 * A request whose handler answers synchronously (most reads) is processed synchronously, with no
 * promise or microtask of its own: `run` hands the reply back at once, and a promise only when some
 * handler returned one. Under load the per-request promises were a measurable part of a call.
 */
import { performance } from "node:perf_hooks";
import type { Logger } from "../util/logger.js";
import type { Connection } from "./connection.js";
import {
  RpcError,
  internalError,
  invalidRequest,
  methodNotFound,
  oversizedResponse,
  parseError,
  serverIsBusy,
  tooBigBatchRequest,
  tooBigBatchResponse,
  unsafeRpcCall,
  type RpcErrorObject,
} from "./errors.js";
import { parseParams } from "./params.js";
import { isAfterReply, RawJson, type RpcContext, type RpcRegistry } from "./registry.js";
import { positional, subscribe, unsubscribe, type SubscriptionHost } from "./subscriptions.js";

export type JsonRpcId = string | number | null;

export interface DispatcherOptions {
  maxResponseBytes: number;
  maxBatchLength?: number;
  maxSubscriptionsPerConnection: number;
  /** `"auto"`: unsafe methods for local connections only. */
  rpcMethods: "safe" | "unsafe" | "auto";
}

/**
 * Something that must wait for the reply to be written: a new subscription (its notifications
 * follow its id) or a method's `afterReply` action. `end` is called instead when it never will be.
 */
export interface PendingAfterReply {
  activate(): void;
  end(): void;
}

export interface Processed {
  /** The reply to write; undefined when nothing is to be sent (notifications). */
  body?: string;
  /** Subscriptions started and afterReply actions of this message: activate them once `body` is written. */
  created: PendingAfterReply[];
}

const noop = (): void => {};

/** serde_json's default recursion limit: deeper JSON does not parse in a Substrate node either. */
export const MAX_JSON_DEPTH = 128;

/**
 * Whether arrays/objects in `text` nest deeper than `limit`: one linear scan that jumps over
 * string contents with indexOf (a 15 MiB string parameter costs a few milliseconds).
 */
export function nestedDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  // the next quote and backslash at or after the scan position (-1: none left), looked up lazily
  let quote = -2;
  let backslash = -2;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // skip to the closing quote, past escaped characters
      let pos = i + 1;
      for (;;) {
        if (quote < pos) quote = text.indexOf('"', pos);
        if (quote < 0) return false; // unterminated: JSON.parse refuses it
        if (backslash !== -1 && backslash < pos) backslash = text.indexOf("\\", pos);
        if (backslash !== -1 && backslash < quote) {
          pos = backslash + 2;
          continue;
        }
        i = quote;
        break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** What `await` would wait for: an object or function with a `then` method. */
export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (typeof v === "object" || typeof v === "function") && v !== null && typeof (v as { then?: unknown }).then === "function";
}

/** A method's result as sent; an afterReply's action joins `created`, to run once the reply is written. */
function unwrapAfterReply(result: unknown, created: PendingAfterReply[]): unknown {
  if (!isAfterReply(result)) return result;
  created.push({ activate: result.run, end: noop });
  return result.value;
}

/** Keep logged method names short: they are client-controlled. */
const logName = (method: string): string => (method.length > 100 ? `${method.slice(0, 100)}…` : method);

export class Dispatcher implements SubscriptionHost {
  constructor(
    private readonly opts: DispatcherOptions,
    private readonly registry: RpcRegistry,
    readonly log: Logger,
  ) {}

  allowUnsafe(ctx: RpcContext): boolean {
    return this.opts.rpcMethods === "unsafe" || (this.opts.rpcMethods === "auto" && ctx.isLocal);
  }

  /** Handles one message (a single request or a batch); never throws. */
  async process(text: string, conn: Connection): Promise<Processed> {
    return this.run(text, conn);
  }

  /** As `process`, but synchronous unless a handler answered with a promise; never throws. */
  run(text: string, conn: Connection): Processed | Promise<Processed> {
    const created: PendingAfterReply[] = [];
    // JSON nested deeper than serde_json's recursion limit (jsonrpsee's parser) is a parse error,
    // refused before JSON.parse: 15 MiB of "[" would otherwise become ~600 MB of arrays
    if (nestedDeeperThan(text, MAX_JSON_DEPTH)) return { body: this.encodeError(null, parseError()), created };
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { body: this.encodeError(null, parseError()), created };
    }
    if (!Array.isArray(parsed)) {
      const body = this.handleEntry(parsed, conn, created);
      return typeof body === "object" ? body.then((b) => ({ body: b, created })) : { body, created };
    }

    if (parsed.length === 0) return { body: this.encodeError(null, invalidRequest()), created };
    const maxLen = this.opts.maxBatchLength;
    if (maxLen !== undefined && parsed.length > maxLen) return { body: this.encodeError(null, tooBigBatchRequest(maxLen)), created };
    return this.processBatch(parsed, conn, created);
  }

  private async processBatch(parsed: unknown[], conn: Connection, created: PendingAfterReply[]): Promise<Processed> {
    const parts: string[] = [];
    let size = 1;
    for (const entry of parsed) {
      if (conn.closed) break;
      const reply = await this.handleEntry(entry, conn, created);
      if (reply === undefined) continue;
      size += Buffer.byteLength(reply) + 1;
      if (size > this.opts.maxResponseBytes) {
        for (const sub of created) sub.end();
        return { body: this.encodeError(null, tooBigBatchResponse(this.opts.maxResponseBytes)), created: [] };
      }
      parts.push(reply);
    }
    return { body: parts.length === 0 ? undefined : `[${parts.join(",")}]`, created };
  }

  /** One request object → its reply, or undefined for a notification. */
  private handleEntry(entry: unknown, conn: Connection, created: PendingAfterReply[]): string | undefined | Promise<string> {
    if (!isPlainObject(entry)) return this.encodeError(null, invalidRequest());
    const hasId = Object.hasOwn(entry, "id");
    const id = entry.id;
    const idValid = id === null || typeof id === "string" || (typeof id === "number" && Number.isFinite(id));
    if (entry.jsonrpc !== "2.0" || typeof entry.method !== "string" || (hasId && !idValid)) {
      return this.encodeError(hasId && idValid ? (id as JsonRpcId) : null, invalidRequest());
    }
    if (!hasId) {
      this.log.debug({ method: logName(entry.method), conn: conn.ctx.connectionId }, "RPC notification ignored");
      return undefined;
    }
    if (conn.limiter && !conn.limiter.tryTake()) {
      return this.encodeError(id as JsonRpcId, serverIsBusy(`Exceeded the rate limit of ${conn.limiter.perMinute} calls per minute on this connection`));
    }
    return this.handleCall(id as JsonRpcId, entry.method, entry.params, conn, created);
  }

  private handleCall(id: JsonRpcId, method: string, rawParams: unknown, conn: Connection, created: PendingAfterReply[]): string | Promise<string> {
    // the clock is read for the debug log only
    const t0 = this.log.isLevelEnabled("debug") ? performance.now() : undefined;
    let result: unknown;
    try {
      result = this.dispatch(method, rawParams, conn, created);
    } catch (err) {
      return this.errorReply(id, err, method, conn, t0);
    }
    if (!isThenable(result)) return this.resultReply(id, result, method, conn, t0);
    return Promise.resolve(result).then(
      (r) => this.resultReply(id, r, method, conn, t0),
      (err: unknown) => this.errorReply(id, err, method, conn, t0),
    );
  }

  private resultReply(id: JsonRpcId, result: unknown, method: string, conn: Connection, t0: number | undefined): string {
    const reply = this.encodeResult(id, result, method);
    if (t0 !== undefined) this.logCall(method, conn, t0, undefined);
    return reply;
  }

  private errorReply(id: JsonRpcId, err: unknown, method: string, conn: Connection, t0: number | undefined): string {
    const rpcErr = this.toRpcError(err, method, conn);
    const reply = this.encodeError(id, rpcErr);
    if (t0 !== undefined) this.logCall(method, conn, t0, rpcErr.code);
    return reply;
  }

  private logCall(method: string, conn: Connection, t0: number, errorCode: number | undefined): void {
    const durationMs = Math.round((performance.now() - t0) * 1000) / 1000;
    this.log.debug({ method: logName(method), transport: conn.ctx.transport, conn: conn.ctx.connectionId, durationMs, ...(errorCode !== undefined ? { error: errorCode } : {}) }, "RPC call");
  }

  private toRpcError(err: unknown, method: string, conn: Connection): RpcError {
    if (err instanceof RpcError) return err;
    this.log.warn({ method: logName(method), conn: conn.ctx.connectionId, err }, "RPC handler failed with an internal error");
    return internalError();
  }

  /** The method's result, or a promise of it when its handler returned one; throws what the handler throws. */
  private dispatch(method: string, rawParams: unknown, conn: Connection, created: PendingAfterReply[]): unknown {
    const entry = this.registry.lookup(method);
    if (entry === undefined) throw methodNotFound();
    switch (entry.kind) {
      case "method": {
        const def = entry.def;
        if (def.unsafe === true && !this.allowUnsafe(conn.ctx)) throw unsafeRpcCall();
        const params = def.params !== undefined ? parseParams(def.params, rawParams) : positional(rawParams);
        const result = def.handler(params, conn.ctx);
        return isThenable(result) ? Promise.resolve(result).then((r) => unwrapAfterReply(r, created)) : unwrapAfterReply(result, created);
      }
      case "subscribe":
        return subscribe(entry.def, rawParams, conn, created, this, {
          maxPerConnection: this.opts.maxSubscriptionsPerConnection,
          allowUnsafe: this.allowUnsafe(conn.ctx),
        });
      case "unsubscribe":
        return unsubscribe(entry.def, rawParams, conn);
    }
  }

  // ---------------------------------------------------------------- encoding

  encodeError(id: JsonRpcId, err: RpcError): string {
    try {
      return JSON.stringify({ jsonrpc: "2.0", error: err.toJSON(), id });
    } catch {
      // unserializable `data` (e.g. a bigint): send the error without it
      const bare: RpcErrorObject = { code: err.code, message: err.message };
      return JSON.stringify({ jsonrpc: "2.0", error: bare, id });
    }
  }

  private encodeResult(id: JsonRpcId, result: unknown, method: string): string {
    let body: string;
    try {
      // the envelope around the result's own JSON, as JSON.stringify of the whole object writes it;
      // a result JSON has no text for (a function, a symbol) is left out of the object as before
      const json = result === undefined ? "null" : result instanceof RawJson ? result.json : JSON.stringify(result);
      body = json !== undefined ? `{"jsonrpc":"2.0","result":${json},"id":${JSON.stringify(id)}}` : JSON.stringify({ jsonrpc: "2.0", result, id });
    } catch (err) {
      this.log.warn({ method: logName(method), err }, "RPC result is not serializable");
      return this.encodeError(id, internalError());
    }
    // a UTF-16 code unit is at most 3 UTF-8 bytes: most replies need no byte count
    if (body.length * 3 > this.opts.maxResponseBytes && Buffer.byteLength(body) > this.opts.maxResponseBytes) return this.encodeError(id, oversizedResponse(this.opts.maxResponseBytes));
    return body;
  }

  encodeNotification(method: string, subscription: string, result: unknown): string | undefined {
    let msg: string;
    try {
      msg = JSON.stringify({ jsonrpc: "2.0", method, params: { subscription, result: result === undefined ? null : result } });
    } catch (err) {
      this.log.warn({ notification: method, err }, "RPC notification is not serializable; dropped");
      return undefined;
    }
    if (Buffer.byteLength(msg) > this.opts.maxResponseBytes) {
      this.log.warn({ notification: method, limit: this.opts.maxResponseBytes }, "RPC notification too big; dropped");
      return undefined;
    }
    return msg;
  }
}
