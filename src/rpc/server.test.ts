import { EventEmitter, once } from "node:events";
import { HttpProvider, WsProvider } from "@polkadot/api";
import { setTimeout as sleep } from "node:timers/promises";
import pino from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { RpcError } from "./errors.js";
import { hex, optional, string, u32 } from "./params.js";
import { RpcRegistry, type SubscriptionSink } from "./registry.js";
import { RpcServer, type RpcServerOptions } from "./server.js";

// ------------------------------------------------------------------ fixtures

/** Records the test subscription's sinks and stop() calls. */
class Ticker extends EventEmitter {
  readonly sinks = new Map<string, SubscriptionSink>();
  stops = 0;
}

function makeRegistry(ticker: Ticker): RpcRegistry {
  const r = new RpcRegistry();
  r.addMethod({ name: "system_name", handler: () => "subtensor-ts" });
  r.addMethod({
    name: "chain_getFinalizedHead",
    aliases: ["chain_getFinalisedHead"],
    handler: () => `0x${"ab".repeat(32)}`,
  });
  r.addMethod({ name: "test_add", params: [u32().named("a"), u32().named("b")], handler: ([a, b]) => a + b });
  r.addMethod({ name: "test_echo", params: [string().named("value")], handler: ([v]) => v });
  r.addMethod({
    name: "test_async",
    params: [optional(u32()).named("delayMs")],
    handler: async ([delay]) => {
      await sleep(delay ?? 5);
      return { ok: true };
    },
  });
  r.addMethod({
    name: "author_submitExtrinsic",
    params: [hex().named("extrinsic")],
    handler: () => {
      throw new RpcError(1010, "Invalid Transaction", "Transaction has a bad signature");
    },
  });
  r.addMethod({
    name: "test_boom",
    handler: () => {
      throw new Error("database exploded");
    },
  });
  r.addMethod({ name: "test_big", params: [u32()], handler: ([n]) => "x".repeat(n) });
  r.addMethod({ name: "test_undefined", handler: () => undefined });
  r.addMethod({ name: "test_bigint", handler: () => 1n });
  r.addMethod({ name: "test_unsafe", unsafe: true, handler: () => "done" });
  r.addMethod({ name: "test_ctx", handler: (_p, ctx) => ctx });

  // emits {n: 0} before start() resolves (so before the id reply), then on demand through ticker.sinks
  r.addSubscription({
    subscribe: "test_subscribeTicks",
    aliases: ["test_subscribeTick"],
    unsubscribe: "test_unsubscribeTicks",
    unsubscribeAliases: ["test_unsubscribeTick"],
    notification: "test_tick",
    params: [optional(string()).named("label")],
    start: async ([label], sink) => {
      sink.emit({ n: 0, label: label ?? null });
      await sleep(1);
      const key = label ?? "default";
      ticker.sinks.set(key, sink);
      ticker.emit("started", key);
      return {
        stop: () => {
          ticker.stops++;
          ticker.sinks.delete(key);
          ticker.emit("stopped", key);
        },
      };
    },
  });
  r.addSubscription({
    subscribe: "test_subscribeFail",
    unsubscribe: "test_unsubscribeFail",
    notification: "test_fail",
    start: () => {
      throw new RpcError(1010, "Invalid Transaction", "Transaction is outdated");
    },
  });
  // like a tx that is immediately final: two notifications, then the server ends it
  r.addSubscription({
    subscribe: "test_subscribeOnce",
    unsubscribe: "test_unsubscribeOnce",
    notification: "test_once",
    start: (_p, sink) => {
      sink.emit("ready");
      sink.emit({ finalized: "0x01" });
      sink.close();
      sink.emit("ignored after close");
      return {
        stop: () => {
          ticker.emit("stopped", "once");
        },
      };
    },
  });
  return r;
}

/** A pino logger writing JSON lines into an array. */
function captureLogger(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = pino({ level: "debug" }, { write: (s: string) => void lines.push(s) });
  return { logger, lines };
}

interface Harness {
  server: RpcServer;
  port: number;
  http: string;
  ws: string;
  ticker: Ticker;
  lines: string[];
}

const servers: RpcServer[] = [];
const clients: Client[] = [];

async function startServer(opts: Partial<RpcServerOptions> = {}): Promise<Harness> {
  const ticker = new Ticker();
  const { logger, lines } = captureLogger();
  const server = new RpcServer({ host: "127.0.0.1", port: 0, ...opts }, { registry: makeRegistry(ticker), logger });
  servers.push(server);
  const { port } = await server.start();
  return { server, port, http: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}`, ticker, lines };
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

/** A WebSocket JSON-RPC client that records every message in arrival order. */
class Client {
  readonly messages: any[] = [];
  private readonly emitter = new EventEmitter();
  private nextId = 1;
  readonly closed: Promise<number>;

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const msg = JSON.parse(data.toString());
      this.messages.push(msg);
      this.emitter.emit("message", msg);
    });
    this.closed = new Promise((resolve) => ws.once("close", (code) => resolve(code)));
  }

  static async open(url: string, opts?: WebSocket.ClientOptions): Promise<Client> {
    const ws = new WebSocket(url, opts);
    const client = new Client(ws);
    clients.push(client);
    await once(ws, "open");
    return client;
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === "string" ? msg : JSON.stringify(msg));
  }

  /** Resolves with the first message (already received or future) matching pred. */
  waitFor(pred: (msg: any) => boolean): Promise<any> {
    const found = this.messages.find(pred);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve) => {
      const on = (msg: any): void => {
        if (!pred(msg)) return;
        this.emitter.off("message", on);
        resolve(msg);
      };
      this.emitter.on("message", on);
    });
  }

  async call(method: string, params?: unknown[]): Promise<any> {
    const id = this.nextId++;
    this.send(params === undefined ? { jsonrpc: "2.0", id, method } : { jsonrpc: "2.0", id, method, params });
    return this.waitFor((m) => m.id === id);
  }

  /** Subscribes and returns the subscription id (throws on an error reply). */
  async subscribe(method: string, params: unknown[] = []): Promise<string> {
    const reply = await this.call(method, params);
    if (reply.error) throw new Error(JSON.stringify(reply.error));
    return reply.result;
  }

  notifications(subId: string): any[] {
    return this.messages.filter((m) => m.params?.subscription === subId).map((m) => m.params.result);
  }
}

async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: any; text: string; headers: Headers }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}

const call = (method: string, params?: unknown[], id: number | string | null = 1): Record<string, unknown> =>
  params === undefined ? { jsonrpc: "2.0", id, method } : { jsonrpc: "2.0", id, method, params };

/** Resolves with the HTTP status of a refused WS upgrade. */
async function refusedUpgrade(url: string, opts?: WebSocket.ClientOptions): Promise<number> {
  const ws = new WebSocket(url, opts);
  ws.on("error", () => {});
  const [, res] = (await once(ws, "unexpected-response")) as [unknown, { statusCode: number }];
  ws.terminate();
  return res.statusCode;
}

// ------------------------------------------------------------------ HTTP

describe("RpcServer over HTTP", () => {
  it("answers a single call, aliases, async handlers and a null result", async () => {
    const h = await startServer();
    const r = await post(h.http, call("system_name", []));
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^application\/json/);
    expect(r.json).toEqual({ jsonrpc: "2.0", id: 1, result: "subtensor-ts" });

    expect((await post(h.http, call("chain_getFinalisedHead", [], "abc"))).json).toEqual({
      jsonrpc: "2.0",
      id: "abc",
      result: `0x${"ab".repeat(32)}`,
    });
    expect((await post(h.http, call("test_async", [1]))).json.result).toEqual({ ok: true });
    // missing params member = []
    expect((await post(h.http, call("test_async"))).json.result).toEqual({ ok: true });
    // `result` must be present even when the handler returns undefined (polkadot-js needs it)
    expect((await post(h.http, call("test_undefined", []))).text).toBe('{"jsonrpc":"2.0","result":null,"id":1}');
    // id null is a call, not a notification
    expect((await post(h.http, call("system_name", [], null))).json).toEqual({
      jsonrpc: "2.0",
      id: null,
      result: "subtensor-ts",
    });
  });

  it("maps bad input to the JSON-RPC error codes", async () => {
    const h = await startServer();
    expect((await post(h.http, call("nope_nothing", []))).json).toEqual({
      jsonrpc: "2.0",
      id: 1,
      error: { code: -32601, message: "Method not found" },
    });
    expect((await post(h.http, call("test_add", [1, "2"]))).json).toEqual({
      jsonrpc: "2.0",
      id: 1,
      error: { code: -32602, message: "Invalid params", data: `param 1 'b': expected u32 integer 0..=4294967295, got string "2"` },
    });
    expect((await post(h.http, call("test_add", [1]))).json.error.data).toBe(
      "param 1 'b': missing, expected u32 integer 0..=4294967295",
    );

    const bad = await post(h.http, '{"jsonrpc":"2.0","id":1,"method":');
    expect(bad.status).toBe(200);
    expect(bad.json).toEqual({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } });
    const garbage = await post(h.http, "hello");
    expect(garbage.status).toBe(400);
    expect(garbage.json.error.code).toBe(-32700);

    for (const nonObject of ["1", '"x"', "null", "true"]) {
      const r = await post(h.http, nonObject);
      expect(r.json).toEqual({ jsonrpc: "2.0", id: null, error: { code: -32600, message: "Invalid request" } });
    }
    // invalid request objects: the id is echoed when readable
    expect((await post(h.http, { jsonrpc: "1.0", id: 7, method: "system_name" })).json).toEqual({
      jsonrpc: "2.0",
      id: 7,
      error: { code: -32600, message: "Invalid request" },
    });
    expect((await post(h.http, { jsonrpc: "2.0", id: 8, method: 5 })).json.error.code).toBe(-32600);
    expect((await post(h.http, { jsonrpc: "2.0", id: { x: 1 }, method: "system_name" })).json.id).toBeNull();
    expect((await post(h.http, { jsonrpc: "2.0", id: 9, method: "test_add", params: "x" })).json.error.code).toBe(-32602);
  });

  it("passes handler RpcErrors through and hides internal errors behind -32603", async () => {
    const h = await startServer();
    expect((await post(h.http, call("author_submitExtrinsic", ["0x00"]))).json).toEqual({
      jsonrpc: "2.0",
      id: 1,
      error: { code: 1010, message: "Invalid Transaction", data: "Transaction has a bad signature" },
    });
    expect((await post(h.http, call("test_boom", []))).json).toEqual({
      jsonrpc: "2.0",
      id: 1,
      error: { code: -32603, message: "Internal error" },
    });
    expect((await post(h.http, call("test_bigint", []))).json.error.code).toBe(-32603);

    const warn = h.lines.map((l) => JSON.parse(l)).find((l) => l.level === 40 && l.method === "test_boom");
    expect(warn?.module).toBe("rpc");
    expect(warn?.err?.message).toBe("database exploded");
    // one debug line per call, with duration
    const debug = h.lines.map((l) => JSON.parse(l)).filter((l) => l.level === 20 && l.msg === "RPC call");
    expect(debug.some((l) => l.method === "author_submitExtrinsic" && l.error === 1010 && typeof l.durationMs === "number")).toBe(true);
  });

  it("never logs params", async () => {
    const h = await startServer();
    await post(h.http, call("test_echo", ["super-secret-seed"]));
    await post(h.http, call("test_add", ["super-secret-seed", 1]));
    expect(h.lines.length).toBeGreaterThan(0);
    expect(h.lines.join("\n")).not.toContain("super-secret-seed");
  });

  it("handles batches: order, errors, notifications, empty and too long", async () => {
    const h = await startServer({ maxBatchLength: 6 });
    const r = await post(h.http, [
      call("system_name", [], 1),
      call("nope_nothing", [], 2),
      { foo: 1 },
      { jsonrpc: "2.0", method: "system_name", params: [] }, // notification: no reply
      call("test_add", [1, -1], 3),
      call("author_submitExtrinsic", ["0x00"], 4),
    ]);
    expect(r.status).toBe(200);
    expect(r.json).toEqual([
      { jsonrpc: "2.0", id: 1, result: "subtensor-ts" },
      { jsonrpc: "2.0", id: 2, error: { code: -32601, message: "Method not found" } },
      { jsonrpc: "2.0", id: null, error: { code: -32600, message: "Invalid request" } },
      { jsonrpc: "2.0", id: 3, error: expect.objectContaining({ code: -32602, message: "Invalid params" }) },
      { jsonrpc: "2.0", id: 4, error: { code: 1010, message: "Invalid Transaction", data: "Transaction has a bad signature" } },
    ]);

    expect((await post(h.http, [1, "x"])).json).toEqual([
      { jsonrpc: "2.0", id: null, error: { code: -32600, message: "Invalid request" } },
      { jsonrpc: "2.0", id: null, error: { code: -32600, message: "Invalid request" } },
    ]);

    const empty = await post(h.http, []);
    expect(empty.json).toEqual({ jsonrpc: "2.0", id: null, error: { code: -32600, message: "Invalid request" } });

    const onlyNotifications = await post(h.http, [
      { jsonrpc: "2.0", method: "system_name" },
      { jsonrpc: "2.0", method: "test_boom" },
    ]);
    expect(onlyNotifications.status).toBe(200);
    expect(onlyNotifications.text).toBe("");
    const single = await post(h.http, { jsonrpc: "2.0", method: "system_name" });
    expect(single.text).toBe("");

    const tooLong = await post(h.http, Array.from({ length: 7 }, (_, i) => call("system_name", [], i)));
    expect(tooLong.json).toEqual({
      jsonrpc: "2.0",
      id: null,
      error: { code: -32010, message: "The batch request was too large", data: "Exceeded max limit of 6" },
    });
  });

  it("limits request and response sizes", async () => {
    const h = await startServer({ maxRequestBytes: 1024, maxResponseBytes: 2048 });
    const big = await post(h.http, call("test_echo", ["y".repeat(2000)]));
    expect(big.status).toBe(413);
    expect(big.json).toEqual({
      jsonrpc: "2.0",
      id: null,
      error: { code: -32007, message: "Request is too big", data: "Exceeded max limit of 1024" },
    });
    // the server is still fine afterwards
    expect((await post(h.http, call("system_name", []))).json.result).toBe("subtensor-ts");

    expect((await post(h.http, call("test_big", [1000]))).json.result).toHaveLength(1000);
    expect((await post(h.http, call("test_big", [3000]))).json).toEqual({
      jsonrpc: "2.0",
      id: 1,
      error: { code: -32008, message: "Response is too big", data: "Exceeded max limit of 2048" },
    });
    const batch = await post(h.http, [call("test_big", [900], 1), call("test_big", [900], 2), call("test_big", [900], 3)]);
    expect(batch.json).toEqual({
      jsonrpc: "2.0",
      id: null,
      error: { code: -32011, message: "The batch response was too large", data: "Exceeded max limit of 2048" },
    });
  });

  it("refuses subscriptions over HTTP like jsonrpsee (-32603)", async () => {
    const h = await startServer();
    expect((await post(h.http, call("test_subscribeTicks", []))).json).toEqual({
      jsonrpc: "2.0",
      id: 1,
      error: { code: -32603, message: "Internal error" },
    });
    expect((await post(h.http, call("test_unsubscribeTicks", ["abc"]))).json.error.code).toBe(-32603);
    expect(h.ticker.stops).toBe(0);
  });

  it("checks HTTP method and content type", async () => {
    const h = await startServer();
    const get = await fetch(h.http);
    expect(get.status).toBe(405);
    await get.text();
    const text = await post(h.http, call("system_name", []), { "content-type": "text/plain" });
    expect(text.status).toBe(415);
    const charset = await post(h.http, call("system_name", []), { "content-type": "application/json; charset=UTF-8" });
    expect(charset.json.result).toBe("subtensor-ts");
  });

  it("serves rpc_methods with every name, aliases included", async () => {
    const h = await startServer();
    const r = await post(h.http, call("rpc_methods", []));
    expect(r.json.result.version).toBe(1);
    const methods: string[] = r.json.result.methods;
    expect(methods).toEqual([...methods].sort());
    for (const name of [
      "rpc_methods",
      "system_name",
      "chain_getFinalizedHead",
      "chain_getFinalisedHead",
      "test_subscribeTicks",
      "test_subscribeTick",
      "test_unsubscribeTicks",
      "test_unsubscribeTick",
      "test_unsafe",
    ]) {
      expect(methods).toContain(name);
    }
    expect(methods).not.toContain("test_tick");
  });

  it("serves /health and /health/readiness", async () => {
    const h = await startServer();
    const health = await fetch(`${h.http}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ isSyncing: false, peers: 0, shouldHavePeers: false });
    const ready = await fetch(`${h.http}/health/readiness`);
    expect(ready.status).toBe(200);
    await ready.text();
    const postHealth = await post(`${h.http}/health`, {});
    expect(postHealth.status).toBe(405);

    let info = { isSyncing: false, peers: 0, shouldHavePeers: true };
    const h2 = await startServer({ health: async () => info });
    const notReady = await fetch(`${h2.http}/health/readiness`);
    expect(notReady.status).toBe(500);
    await notReady.text();
    info = { isSyncing: false, peers: 3, shouldHavePeers: true };
    const ok = await fetch(`${h2.http}/health/readiness`);
    expect(ok.status).toBe(200);
    await ok.text();
    expect(await (await fetch(`${h2.http}/health`)).json()).toEqual(info);
  });
});

// ------------------------------------------------------------------ unsafe methods

describe("unsafe methods", () => {
  it("auto: allowed for local connections, refused for remote ones", async () => {
    const local = await startServer();
    expect((await post(local.http, call("test_unsafe", []))).json.result).toBe("done");
    expect((await post(local.http, call("test_ctx", []))).json.result).toMatchObject({ transport: "http", isLocal: true });
    // a proxy in front makes the peer address meaningless: treated as remote
    expect((await post(local.http, call("test_unsafe", []), { "x-forwarded-for": "203.0.113.9" })).json.error).toEqual({
      code: -32601,
      message: "RPC call is unsafe to be called externally",
    });

    const remote = await startServer({ isLocal: () => false });
    expect((await post(remote.http, call("test_unsafe", []))).json.error).toEqual({
      code: -32601,
      message: "RPC call is unsafe to be called externally",
    });
    const c = await Client.open(remote.ws);
    expect((await c.call("test_unsafe", [])).error.code).toBe(-32601);
    expect((await c.call("system_name", [])).result).toBe("subtensor-ts");
  });

  it("safe refuses even local callers; unsafe allows remote ones", async () => {
    const safe = await startServer({ rpcMethods: "safe" });
    expect((await post(safe.http, call("test_unsafe", []))).json.error.code).toBe(-32601);
    const unsafe = await startServer({ rpcMethods: "unsafe", isLocal: () => false });
    expect((await post(unsafe.http, call("test_unsafe", []))).json.result).toBe("done");
  });
});

// ------------------------------------------------------------------ CORS

describe("CORS", () => {
  it("default list: localhost and polkadot.js.org allowed, others refused with 403", async () => {
    const h = await startServer();
    for (const origin of ["https://polkadot.js.org", "http://localhost:3000", "http://127.0.0.1", "https://[::1]:8080"]) {
      const r = await post(h.http, call("system_name", []), { origin });
      expect(r.status).toBe(200);
      expect(r.headers.get("access-control-allow-origin")).toBe(origin);
    }
    for (const origin of ["https://evil.example", "http://localhost.evil.example", "https://polkadot.js.org.evil.example"]) {
      const r = await post(h.http, call("system_name", []), { origin });
      expect(r.status).toBe(403);
    }
    // no Origin header: not a browser, allowed
    const plain = await post(h.http, call("system_name", []));
    expect(plain.status).toBe(200);
    expect(plain.headers.get("access-control-allow-origin")).toBeNull();

    // WebSocket upgrades follow the same rule
    expect(await refusedUpgrade(h.ws, { origin: "https://evil.example" })).toBe(403);
    const ok = await Client.open(h.ws, { origin: "https://polkadot.js.org" });
    expect((await ok.call("system_name")).result).toBe("subtensor-ts");
  });

  it("answers preflight requests", async () => {
    const h = await startServer();
    const pre = await fetch(h.http, {
      method: "OPTIONS",
      headers: {
        origin: "https://polkadot.js.org",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("https://polkadot.js.org");
    expect(pre.headers.get("access-control-allow-methods")).toContain("POST");
    expect(pre.headers.get("access-control-allow-headers")).toBe("content-type");
    const refused = await fetch(h.http, { method: "OPTIONS", headers: { origin: "https://evil.example" } });
    expect(refused.status).toBe(403);
    await Promise.all([pre.text(), refused.text()]);
  });

  it("all, none and custom lists", async () => {
    const all = await startServer({ cors: "all" });
    const r = await post(all.http, call("system_name", []), { origin: "https://evil.example" });
    expect(r.status).toBe(200);
    expect(r.headers.get("access-control-allow-origin")).toBe("*");

    const none = await startServer({ cors: "none" });
    expect((await post(none.http, call("system_name", []), { origin: "http://localhost:3000" })).status).toBe(403);
    expect((await post(none.http, call("system_name", []))).status).toBe(200);

    const custom = await startServer({ cors: ["https://app.example.com", "https://*.taostats.io"] });
    expect((await post(custom.http, call("system_name", []), { origin: "https://app.example.com" })).status).toBe(200);
    expect((await post(custom.http, call("system_name", []), { origin: "https://x.taostats.io" })).status).toBe(200);
    expect((await post(custom.http, call("system_name", []), { origin: "https://app.example.com:444" })).status).toBe(403);
    expect((await post(custom.http, call("system_name", []), { origin: "http://localhost:3000" })).status).toBe(403);
  });
});

// ------------------------------------------------------------------ WebSocket

describe("RpcServer over WebSocket", () => {
  it("answers calls, batches and bad input on the same socket", async () => {
    const h = await startServer();
    const c = await Client.open(h.ws);
    expect(await c.call("system_name", [])).toEqual({ jsonrpc: "2.0", id: 1, result: "subtensor-ts" });
    expect((await c.call("chain_getFinalisedHead")).result).toBe(`0x${"ab".repeat(32)}`);
    expect((await c.call("nope_nothing", [])).error.code).toBe(-32601);
    expect((await c.call("author_submitExtrinsic", ["0x00"])).error).toEqual({
      code: 1010,
      message: "Invalid Transaction",
      data: "Transaction has a bad signature",
    });

    c.send("{not json");
    expect(await c.waitFor((m) => m.error?.code === -32700)).toEqual({
      jsonrpc: "2.0",
      id: null,
      error: { code: -32700, message: "Parse error" },
    });
    c.send("42");
    expect((await c.waitFor((m) => m.error?.code === -32600)).id).toBeNull();

    c.send([call("test_async", [1], 100), call("system_name", [], 101), { jsonrpc: "2.0", method: "system_name" }]);
    const batch = await c.waitFor((m) => Array.isArray(m));
    expect(batch).toEqual([
      { jsonrpc: "2.0", id: 100, result: { ok: true } },
      { jsonrpc: "2.0", id: 101, result: "subtensor-ts" },
    ]);

    // notifications only: nothing comes back (the next message is the next call's reply)
    const before = c.messages.length;
    c.send([{ jsonrpc: "2.0", method: "system_name" }]);
    c.send({ jsonrpc: "2.0", method: "system_name" });
    const next = await c.call("test_echo", ["after"]);
    expect(next.result).toBe("after");
    expect(c.messages.length).toBe(before + 1);

    c.send([]);
    expect(await c.waitFor((m) => m.id === null && m.error?.code === -32600 && !Array.isArray(m))).toBeTruthy();
  });

  it("answers an oversized message with -32007 and keeps the connection", async () => {
    const h = await startServer({ maxRequestBytes: 1024 });
    const c = await Client.open(h.ws);
    c.send(call("test_echo", ["y".repeat(1500)], 5));
    expect(await c.waitFor((m) => m.error?.code === -32007)).toEqual({
      jsonrpc: "2.0",
      id: null,
      error: { code: -32007, message: "Request is too big", data: "Exceeded max limit of 1024" },
    });
    expect((await c.call("system_name")).result).toBe("subtensor-ts");
  });

  it("sends the subscription id before any notification", async () => {
    const h = await startServer();
    const c = await Client.open(h.ws);
    const reqId = 77;
    c.send(call("test_subscribeTicks", ["a"], reqId));
    const first = await c.waitFor((m) => m.method === "test_tick");
    const reply = c.messages.find((m) => m.id === reqId);
    expect(reply).toBeDefined();
    expect(c.messages.indexOf(reply)).toBeLessThan(c.messages.indexOf(first));
    expect(typeof reply.result).toBe("string");
    expect(reply.result).toMatch(/^[1-9A-HJ-NP-Za-km-z]{16}$/);
    expect(first).toEqual({
      jsonrpc: "2.0",
      method: "test_tick",
      params: { subscription: reply.result, result: { n: 0, label: "a" } },
    });

    h.ticker.sinks.get("a")!.emit({ n: 1 });
    h.ticker.sinks.get("a")!.emit({ n: 2 });
    await c.waitFor((m) => m.params?.result?.n === 2);
    expect(c.notifications(reply.result)).toEqual([{ n: 0, label: "a" }, { n: 1 }, { n: 2 }]);
  });

  it("keeps queued notifications in order when the server ends a subscription during start", async () => {
    const h = await startServer();
    const c = await Client.open(h.ws);
    const stopped = once(h.ticker, "stopped");
    const id = await c.subscribe("test_subscribeOnce");
    await c.waitFor((m) => m.params?.result?.finalized === "0x01");
    expect(c.notifications(id)).toEqual(["ready", { finalized: "0x01" }]);
    expect(await stopped).toEqual(["once"]);
    // ended server-side: unsubscribing now finds nothing
    expect((await c.call("test_unsubscribeOnce", [id])).result).toBe(false);
  });

  it("returns the start() error instead of an id", async () => {
    const h = await startServer();
    const c = await Client.open(h.ws);
    expect((await c.call("test_subscribeFail", [])).error).toEqual({
      code: 1010,
      message: "Invalid Transaction",
      data: "Transaction is outdated",
    });
    expect((await c.call("test_subscribeTicks", [5])).error.code).toBe(-32602);
    // neither counts against the limit: a real subscription still works
    expect(await c.subscribe("test_subscribeTicks")).toMatch(/^\w{16}$/);
  });

  it("unsubscribes: true for an active id, false otherwise; aliases work", async () => {
    const h = await startServer();
    const c = await Client.open(h.ws);
    const a = await c.subscribe("test_subscribeTick", ["a"]);
    const b = await c.subscribe("test_subscribeTicks", ["b"]);
    expect(a).not.toBe(b);

    const stoppedA = once(h.ticker, "stopped");
    expect((await c.call("test_unsubscribeTicks", [a])).result).toBe(true);
    expect(await stoppedA).toEqual(["a"]);
    expect((await c.call("test_unsubscribeTicks", [a])).result).toBe(false);
    expect((await c.call("test_unsubscribeTicks", ["nonexistent00000"])).result).toBe(false);
    expect((await c.call("test_unsubscribeTicks", [])).result).toBe(false);
    expect((await c.call("test_unsubscribeTicks", [42])).result).toBe(false);
    // the wrong kind of unsubscribe does not end it
    expect((await c.call("test_unsubscribeOnce", [b])).result).toBe(false);
    expect((await c.call("test_unsubscribeTick", [b])).result).toBe(true);
    expect(h.ticker.stops).toBe(2);

    // another connection cannot end my subscription
    const c2 = await Client.open(h.ws);
    const mine = await c.subscribe("test_subscribeTicks", ["mine"]);
    expect((await c2.call("test_unsubscribeTicks", [mine])).result).toBe(false);
    h.ticker.sinks.get("mine")!.emit("still here");
    await c.waitFor((m) => m.params?.result === "still here");
  });

  it("stops every subscription of a socket when it closes", async () => {
    const h = await startServer();
    const c = await Client.open(h.ws);
    await c.subscribe("test_subscribeTicks", ["x"]);
    await c.subscribe("test_subscribeTicks", ["y"]);
    const stops = new Promise<void>((resolve) => {
      let n = 0;
      h.ticker.on("stopped", () => {
        if (++n === 2) resolve();
      });
    });
    c.ws.close();
    await stops;
    expect(h.ticker.stops).toBe(2);
    expect(h.ticker.sinks.size).toBe(0);
  });

  it("stops a subscription whose start() finishes after the socket closed", async () => {
    const ticker = new Ticker();
    const registry = makeRegistry(ticker);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const stopped = new Promise<void>((resolve) => {
      registry.addSubscription({
        subscribe: "slow_subscribe",
        unsubscribe: "slow_unsubscribe",
        notification: "slow_notif",
        start: async () => {
          ticker.emit("slowStarting");
          await gate;
          return { stop: resolve };
        },
      });
    });
    const server = new RpcServer({ host: "127.0.0.1", port: 0 }, { registry, logger: pino({ level: "silent" }) });
    servers.push(server);
    const { port } = await server.start();
    const c = await Client.open(`ws://127.0.0.1:${port}`);
    const starting = once(ticker, "slowStarting");
    c.send(call("slow_subscribe", []));
    await starting;
    c.ws.close();
    await c.closed;
    await vi.waitFor(() => expect(server.connectionCount).toBe(0));
    release();
    await stopped;
  });

  it("limits subscriptions per connection (-32006)", async () => {
    const h = await startServer({ maxSubscriptionsPerConnection: 2 });
    const c = await Client.open(h.ws);
    const a = await c.subscribe("test_subscribeTicks", ["1"]);
    await c.subscribe("test_subscribeTicks", ["2"]);
    expect((await c.call("test_subscribeTicks", ["3"])).error).toEqual({
      code: -32006,
      message: "Too many subscriptions on the connection",
      data: "Exceeded max limit of 2",
    });
    // the limit is per connection
    const other = await Client.open(h.ws);
    await other.subscribe("test_subscribeTicks", ["4"]);
    // and frees up on unsubscribe
    expect((await c.call("test_unsubscribeTicks", [a])).result).toBe(true);
    await c.subscribe("test_subscribeTicks", ["5"]);
  });

  it("accepts subscriptions inside a batch and notifies after the batch reply", async () => {
    const h = await startServer();
    const c = await Client.open(h.ws);
    c.send([call("test_subscribeTicks", ["b1"], 1), call("system_name", [], 2)]);
    const batch = await c.waitFor((m) => Array.isArray(m));
    const subId = batch[0].result;
    const first = await c.waitFor((m) => m.params?.subscription === subId);
    expect(c.messages.indexOf(batch)).toBeLessThan(c.messages.indexOf(first));
    expect(batch[1].result).toBe("subtensor-ts");
  });

  it("limits connections: a -32009 JSON-RPC error over HTTP (429) and WS (then close 1013)", async () => {
    const h = await startServer({ maxConnections: 1 });
    const a = await Client.open(h.ws);
    const busy = { code: -32009, message: "Server is busy, try again later", data: "Too many connections. Please try again later." };
    const refused = new WebSocket(h.ws);
    const [first] = (await once(refused, "message")) as [Buffer];
    expect(JSON.parse(first.toString())).toEqual({ jsonrpc: "2.0", error: busy, id: null });
    const [code] = (await once(refused, "close")) as [number];
    expect(code).toBe(1013);
    const r = await post(h.http, call("system_name", []));
    expect(r.status).toBe(429);
    expect(r.json).toEqual({ jsonrpc: "2.0", error: busy, id: null });
    // the connection that got in is still served
    expect((await a.call("system_name")).result).toBe("subtensor-ts");

    a.ws.close();
    await vi.waitFor(() => expect(h.server.connectionCount).toBe(0));
    expect((await post(h.http, call("system_name", []))).json.result).toBe("subtensor-ts");
    const b = await Client.open(h.ws);
    expect((await b.call("system_name")).result).toBe("subtensor-ts");
  });

  it("provides the connection context to handlers", async () => {
    const h = await startServer();
    const c = await Client.open(h.ws);
    const ctx = (await c.call("test_ctx")).result;
    expect(ctx).toMatchObject({ transport: "ws", isLocal: true, remoteAddress: "127.0.0.1" });
    expect(typeof ctx.connectionId).toBe("string");
    expect((await c.call("test_ctx")).result.connectionId).toBe(ctx.connectionId);
  });

  it("drops sockets that stop answering pings and keeps live ones", async () => {
    const h = await startServer({ wsPingIntervalMs: 100 });
    const live = await Client.open(h.ws);
    const dead = await Client.open(h.ws, { autoPong: false });
    await dead.subscribe("test_subscribeTicks", ["dead"]);
    const stopped = once(h.ticker, "stopped");
    expect(await dead.closed).toBe(1006);
    expect(await stopped).toEqual(["dead"]);
    // the live client has answered several pings and is still connected
    let pings = 0;
    await new Promise<void>((resolve) =>
      live.ws.on("ping", () => {
        if (++pings === 3) resolve();
      }),
    );
    expect(live.ws.readyState).toBe(WebSocket.OPEN);
    expect((await live.call("system_name")).result).toBe("subtensor-ts");
  });

  it("stop() closes clients, ends subscriptions and is idempotent", async () => {
    const h = await startServer();
    const c1 = await Client.open(h.ws);
    const c2 = await Client.open(h.ws);
    await c1.subscribe("test_subscribeTicks", ["s1"]);
    await c2.subscribe("test_subscribeTicks", ["s2"]);
    // an idle keep-alive HTTP connection must not hold stop() up
    expect((await post(h.http, call("system_name", []))).status).toBe(200);

    await Promise.all([h.server.stop(), h.server.stop()]);
    expect(await c1.closed).toBe(1001);
    expect(await c2.closed).toBe(1001);
    expect(h.ticker.stops).toBe(2);
    await h.server.stop();
    await expect(fetch(h.http, { method: "POST", body: "{}" })).rejects.toThrow();
  });
});

// ------------------------------------------------------------------ polkadot-js

describe("@polkadot/api providers against the server", () => {
  it("WsProvider calls, subscribes, unsubscribes and decodes errors", async () => {
    const h = await startServer();
    const provider = new WsProvider(h.ws, false);
    await provider.connect();
    try {
      await provider.isReady;
      expect(await provider.send("system_name", [])).toBe("subtensor-ts");
      await expect(provider.send("author_submitExtrinsic", ["0x00"])).rejects.toThrow(
        "1010: Invalid Transaction: Transaction has a bad signature",
      );

      const seen: unknown[] = [];
      let gotTwo!: () => void;
      const two = new Promise<void>((r) => (gotTwo = r));
      const subId = await provider.subscribe("test_tick", "test_subscribeTicks", ["pjs"], (err, result) => {
        expect(err).toBeNull();
        seen.push(result);
        if (seen.length === 2) gotTwo();
      });
      expect(typeof subId).toBe("string");
      h.ticker.sinks.get("pjs")!.emit({ n: 1 });
      await two;
      expect(seen).toEqual([{ n: 0, label: "pjs" }, { n: 1 }]);

      const stopped = once(h.ticker, "stopped");
      expect(await provider.unsubscribe("test_tick", "test_unsubscribeTicks", subId)).toBe(true);
      await stopped;
    } finally {
      await provider.disconnect();
    }
  });

  it("HttpProvider calls and decodes errors", async () => {
    const h = await startServer();
    const provider = new HttpProvider(h.http);
    expect(await provider.send("system_name", [])).toBe("subtensor-ts");
    await expect(provider.send("test_add", [1, "x"])).rejects.toThrow(
      `-32602: Invalid params: param 1 'b': expected u32 integer 0..=4294967295, got string "x"`,
    );
  });
});
