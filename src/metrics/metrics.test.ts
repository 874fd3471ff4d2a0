/** Metrics: one registry per node, Substrate's names, the RPC wrapper, and the block hooks. */
import { describe, expect, it } from "vitest";
import { NodeMetrics, epochNetuids } from "./nodeMetrics.js";
import { instrumentRpcRegistry } from "./rpcMetrics.js";
import { RpcRegistry } from "../rpc/registry.js";

const ctx = { connectionId: "1", transport: "http" as const, isLocal: true };

describe("NodeMetrics", () => {
  it("keeps each node's numbers in its own registry", async () => {
    const a = new NodeMetrics({ name: "a", version: "1", chain: "dev", processMetrics: false });
    const b = new NodeMetrics({ name: "b", version: "1", chain: "dev", processMetrics: false });
    a.blockConstructed(0.004, 2);
    const textA = await a.text();
    const textB = await b.text();
    expect(textA).toMatch(/substrate_proposer_block_constructed_count 1/);
    expect(textB).toMatch(/substrate_proposer_block_constructed_count 0/);
    expect(textA).toMatch(/substrate_build_info\{name="a",version="1",chain="dev"\} 1/);
  });

  it("reads the chain's numbers at scrape time", async () => {
    const m = new NodeMetrics({ name: "n", version: "1", chain: "dev", processMetrics: false });
    let best = 5;
    m.bindChain({
      best: () => best,
      finalized: () => 4,
      readyTransactions: () => 2,
      poolTransactions: () => 3,
      subtensor: () => ({ totalIssuance: 6_000_000_000_000_000n, subnets: [{ netuid: 1, pendingEmission: 7n, neurons: 1 }] }),
    });
    expect(await m.text()).toMatch(/substrate_block_height\{status="best"\} 5/);
    best = 6;
    const text = await m.text();
    expect(text).toMatch(/substrate_block_height\{status="best"\} 6/);
    expect(text).toMatch(/substrate_block_height\{status="finalized"\} 4/);
    expect(text).toMatch(/substrate_ready_transactions_number 2/);
    expect(text).toMatch(/subtensor_total_issuance_rao 6000000000000000/);
    expect(text).toMatch(/subtensor_pending_emission_rao\{netuid="1"\} 7/);
    expect(text).toMatch(/subtensor_subnet_neurons\{netuid="1"\} 1/);
  });

  it("times epoch blocks only and finds EpochRun events", () => {
    const events = [{ phase: { tag: "Finalization" }, event: { tag: "SubtensorModule", value: { tag: "EpochRun", value: { netuid: 3 } } }, topics: [] }];
    expect(epochNetuids(events)).toEqual([3]);
    const m = new NodeMetrics({ name: "n", version: "1", chain: "dev", processMetrics: false });
    m.blockExecuted(0.01, []);
    m.blockExecuted(0.02, events);
    return m.text().then((t) => expect(t).toMatch(/subtensor_epoch_duration_seconds_count 1/));
  });
});

describe("RPC instrumentation", () => {
  it("counts calls and errors per method under the canonical name", async () => {
    const registry = new RpcRegistry();
    registry.addMethod({ name: "chain_getHeader", aliases: ["chain_getHead"], handler: async () => ({ ok: true }) });
    registry.addMethod({ name: "bad_method", handler: () => {
      throw new Error("nope");
    } });
    const m = new NodeMetrics({ name: "n", version: "1", chain: "dev", processMetrics: false });
    instrumentRpcRegistry(registry, m);
    const call = (name: string) => {
      const entry = registry.lookup(name);
      if (entry?.kind !== "method") throw new Error(`${name} is not a method`);
      return entry.def.handler([], ctx);
    };
    await call("chain_getHead");
    await call("chain_getHeader");
    expect(() => call("bad_method")).toThrow("nope");
    const text = await m.text();
    expect(text).toMatch(/substrate_rpc_calls_total\{protocol="http",method="chain_getHeader",is_error="false"\} 2/);
    expect(text).toMatch(/substrate_rpc_calls_total\{protocol="http",method="bad_method",is_error="true"\} 1/);
    expect(text).toMatch(/substrate_rpc_calls_time_count\{[^}]*method="chain_getHeader"[^}]*\} 2/);
  });
});
