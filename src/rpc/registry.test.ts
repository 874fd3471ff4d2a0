import { describe, expect, it } from "vitest";
import { RpcError, RpcErrorCode, tooManySubscriptions, unsafeRpcCall } from "./errors.js";
import { RpcRegistry, type RpcContext } from "./registry.js";

const ctx: RpcContext = { connectionId: "t", transport: "ws", isLocal: true };

describe("RpcRegistry", () => {
  it("lists every name sorted, aliases and rpc_methods included, notifications excluded", async () => {
    const r = new RpcRegistry();
    r.addMethod({ name: "system_name", handler: () => "x" });
    r.addMethod({ name: "chain_getBlockHash", aliases: ["chain_getHead"], handler: () => null });
    r.addSubscription({
      subscribe: "chain_subscribeNewHeads",
      aliases: ["chain_subscribeNewHead", "subscribe_newHead"],
      unsubscribe: "chain_unsubscribeNewHeads",
      unsubscribeAliases: ["chain_unsubscribeNewHead", "unsubscribe_newHead"],
      notification: "chain_newHead",
      start: () => ({ stop: () => {} }),
    });
    const names = [
      "chain_getBlockHash",
      "chain_getHead",
      "chain_subscribeNewHead",
      "chain_subscribeNewHeads",
      "chain_unsubscribeNewHead",
      "chain_unsubscribeNewHeads",
      "rpc_methods",
      "subscribe_newHead",
      "system_name",
      "unsubscribe_newHead",
    ];
    expect(r.methodNames()).toEqual(names);

    const entry = r.lookup("rpc_methods");
    expect(entry?.kind).toBe("method");
    if (entry?.kind !== "method") throw new Error("unreachable");
    expect(await entry.def.handler([], ctx)).toEqual({ version: 1, methods: names });
  });

  it("resolves aliases to the same definition", () => {
    const r = new RpcRegistry();
    const def = { name: "chain_getFinalizedHead", aliases: ["chain_getFinalisedHead"], handler: () => "0x" };
    r.addMethod(def);
    expect(r.lookup("chain_getFinalisedHead")).toEqual({ kind: "method", def });
    const sub = {
      subscribe: "a_sub",
      unsubscribe: "a_unsub",
      unsubscribeAliases: ["a_unsub2"],
      notification: "a_notif",
      start: () => ({ stop: () => {} }),
    };
    r.addSubscription(sub);
    expect(r.lookup("a_sub")).toEqual({ kind: "subscribe", def: sub });
    expect(r.lookup("a_unsub2")).toEqual({ kind: "unsubscribe", def: sub });
    expect(r.lookup("a_notif")).toBeUndefined();
    expect(r.has("a_unsub")).toBe(true);
  });

  it("refuses duplicate and malformed names without partial registration", () => {
    const r = new RpcRegistry();
    r.addMethod({ name: "x_a", handler: () => 1 });
    expect(() => r.addMethod({ name: "x_a", handler: () => 2 })).toThrow(/already registered/);
    expect(() => r.addMethod({ name: "x_b", aliases: ["x_a"], handler: () => 2 })).toThrow(/already registered/);
    expect(r.has("x_b")).toBe(false);
    expect(() => r.addMethod({ name: "rpc_methods", handler: () => 2 })).toThrow(/already registered/);
    expect(() => r.addMethod({ name: "bad name", handler: () => 2 })).toThrow(/invalid RPC method name/);
    expect(() =>
      r.addSubscription({
        subscribe: "s_sub",
        unsubscribe: "x_a",
        notification: "s_n",
        start: () => ({ stop: () => {} }),
      }),
    ).toThrow(/already registered/);
    expect(r.has("s_sub")).toBe(false);
  });
});

describe("RpcError", () => {
  it("serializes like jsonrpsee, omitting undefined data", () => {
    expect(new RpcError(1010, "Invalid Transaction", "Transaction has a bad signature").toJSON()).toEqual({
      code: 1010,
      message: "Invalid Transaction",
      data: "Transaction has a bad signature",
    });
    expect(JSON.stringify(unsafeRpcCall())).toBe('{"code":-32601,"message":"RPC call is unsafe to be called externally"}');
    expect(tooManySubscriptions(1024).toJSON()).toEqual({
      code: RpcErrorCode.TooManySubscriptions,
      message: "Too many subscriptions on the connection",
      data: "Exceeded max limit of 1024",
    });
    const e = new RpcError(1, "m");
    expect(e).toBeInstanceOf(Error);
    expect(Object.keys(e.toJSON())).toEqual(["code", "message"]);
  });
});
