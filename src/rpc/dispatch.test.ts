import { describe, expect, it } from "vitest";
import { createLogger } from "../util/logger.js";
import type { Connection } from "./connection.js";
import { Dispatcher, type Processed } from "./dispatch.js";
import { RpcError } from "./errors.js";
import { afterReply, RawJson, RpcRegistry } from "./registry.js";
import { hex } from "./params.js";

function setup(maxResponseBytes = 1 << 20) {
  const registry = new RpcRegistry();
  registry.addMethod({ name: "sync_echo", params: [hex()], handler: ([b]: [Uint8Array]) => Array.from(b) });
  registry.addMethod({ name: "async_echo", handler: async (p: unknown[]) => p });
  registry.addMethod({ name: "thenable", handler: () => ({ then: (ok: (v: unknown) => void) => ok("from a thenable") }) });
  registry.addMethod({ name: "sync_throws", handler: () => { throw new RpcError(4003, "Client error: nope"); } });
  registry.addMethod({ name: "async_throws", handler: async () => { throw new Error("internal detail"); } });
  registry.addMethod({ name: "nothing", handler: () => undefined });
  registry.addMethod({ name: "a_function", handler: () => () => 1 });
  registry.addMethod({ name: "wide", handler: () => "€".repeat(400) });
  registry.addMethod({ name: "raw", handler: () => RawJson.of({ b: [1, "x"], a: null }) });
  const log = createLogger({ level: "silent" });
  const d = new Dispatcher({ maxResponseBytes, maxSubscriptionsPerConnection: 8, rpcMethods: "auto" }, registry, log);
  const conn: Connection = { ctx: { connectionId: "c", transport: "ws", isLocal: true }, subs: new Map(), closed: false, send: () => {} };
  const req = (method: string, params: unknown[] = []) => JSON.stringify({ jsonrpc: "2.0", id: 1, method, params });
  return { d, conn, req };
}

describe("Dispatcher.run", () => {
  it("answers synchronous handlers synchronously, with what process() answers", async () => {
    const { d, conn, req } = setup();
    const out = d.run(req("sync_echo", ["0x0102"]), conn);
    expect(out).not.toBeInstanceOf(Promise);
    expect((out as Processed).body).toBe('{"jsonrpc":"2.0","result":[1,2],"id":1}');
    expect((await d.process(req("sync_echo", ["0x0102"]), conn)).body).toBe((out as Processed).body);
    // errors thrown synchronously: params, handler, unknown method
    expect((d.run(req("sync_echo", ["0x1"]), conn) as Processed).body).toContain('"code":-32602');
    expect((d.run(req("sync_throws"), conn) as Processed).body).toBe('{"jsonrpc":"2.0","error":{"code":4003,"message":"Client error: nope"},"id":1}');
    expect((d.run(req("no_such"), conn) as Processed).body).toBe('{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":1}');
  });

  it("returns a promise when a handler does, thenables included; rejections keep their codes", async () => {
    const { d, conn, req } = setup();
    const a = d.run(req("async_echo", [7]), conn);
    expect(a).toBeInstanceOf(Promise);
    expect((await a).body).toBe('{"jsonrpc":"2.0","result":[7],"id":1}');
    expect((await d.run(req("thenable"), conn)).body).toBe('{"jsonrpc":"2.0","result":"from a thenable","id":1}');
    expect((await d.run(req("async_throws"), conn)).body).toBe('{"jsonrpc":"2.0","error":{"code":-32603,"message":"Internal error"},"id":1}');
  });

  it("writes the envelope as JSON.stringify of the whole reply would", async () => {
    const { d, conn } = setup();
    const at = (method: string, id: unknown) => (d.run(JSON.stringify({ jsonrpc: "2.0", id, method, params: [] }), conn) as Processed).body;
    expect(at("nothing", "x\"y")).toBe(JSON.stringify({ jsonrpc: "2.0", result: null, id: 'x"y' }));
    expect(at("nothing", null)).toBe('{"jsonrpc":"2.0","result":null,"id":null}');
    // a result JSON cannot express is left out, as before
    expect(at("a_function", 3)).toBe('{"jsonrpc":"2.0","id":3}');
  });

  it("writes a RawJson result's text, the same as its value's JSON", () => {
    const { d, conn, req } = setup();
    const body = (d.run(req("raw"), conn) as Processed).body;
    expect(body).toBe('{"jsonrpc":"2.0","result":{"b":[1,"x"],"a":null},"id":1}');
    expect(JSON.stringify(RawJson.of({ b: [1, "x"], a: null }))).toBe('{"b":[1,"x"],"a":null}');
  });

  it("counts UTF-8 bytes against the response limit", () => {
    // 400 "€" are 400 UTF-16 units but 1200 bytes
    const { d, conn, req } = setup(1000);
    expect((d.run(req("wide"), conn) as Processed).body).toBe('{"jsonrpc":"2.0","error":{"code":-32008,"message":"Response is too big","data":"Exceeded max limit of 1000"},"id":1}');
    const big = setup(2000);
    expect(JSON.parse((big.d.run(big.req("wide"), big.conn) as Processed).body!).result).toBe("€".repeat(400));
  });

  it("hands afterReply actions of synchronous handlers back with the reply", () => {
    const { d, conn } = setup();
    const registry = new RpcRegistry();
    let ran = 0;
    registry.addMethod({ name: "later", handler: () => afterReply("started", () => ran++) });
    const d2 = new Dispatcher({ maxResponseBytes: 1 << 20, maxSubscriptionsPerConnection: 8, rpcMethods: "auto" }, registry, d.log);
    const out = d2.run('{"jsonrpc":"2.0","id":1,"method":"later","params":[]}', conn) as Processed;
    expect(out.body).toBe('{"jsonrpc":"2.0","result":"started","id":1}');
    expect(ran).toBe(0);
    out.created.forEach((c) => c.activate());
    expect(ran).toBe(1);
  });
});
