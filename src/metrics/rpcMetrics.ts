/**
 * RPC metrics without touching the server: every registered method's handler (and every
 * subscription's start) is wrapped to count the call and time it, labelled by the method's
 * canonical name (aliases count under it, which keeps the label set bounded) and the transport.
 * Unknown methods never reach a handler, so they are not counted.
 */
import { performance } from "node:perf_hooks";
import type { RpcRegistry } from "../rpc/registry.js";
import type { NodeMetrics } from "./nodeMetrics.js";

export function instrumentRpcRegistry(registry: RpcRegistry, metrics: Pick<NodeMetrics, "rpcCall">): void {
  const done = new Set<object>();
  for (const name of registry.methodNames()) {
    const entry = registry.lookup(name);
    if (!entry || done.has(entry.def)) continue;
    done.add(entry.def);
    if (entry.kind === "method") {
      const def = entry.def;
      const inner = def.handler.bind(def);
      def.handler = (params, ctx) => timed(def.name, ctx.transport, () => inner(params, ctx));
    } else if (entry.kind === "subscribe") {
      const def = entry.def;
      const inner = def.start.bind(def);
      def.start = (params, sink, ctx) => timed(def.subscribe, ctx.transport, () => inner(params, sink, ctx));
    }
  }

  function timed<T>(method: string, protocol: string, call: () => T): T {
    const started = performance.now();
    const finish = (isError: boolean) => metrics.rpcCall(protocol, method, Math.round((performance.now() - started) * 1000), isError);
    let result: T;
    try {
      result = call();
    } catch (e) {
      finish(true);
      throw e;
    }
    if (result instanceof Promise) {
      return result.then(
        (v) => {
          finish(false);
          return v;
        },
        (e) => {
          finish(true);
          throw e;
        },
      ) as T;
    }
    finish(false);
    return result;
  }
}
