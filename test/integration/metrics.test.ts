/**
 * Prometheus metrics of a real node process: `/metrics` parses, uses Substrate's names, and its
 * values follow the chain (block height, issuance read from state at the same block, epochs after
 * a tempo change, RPC calls). A taken port costs the metrics, not the node.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiPromise, WsProvider } from "@polkadot/api";
import { Keyring } from "@polkadot/keyring";
import { xxhashAsHex } from "@polkadot/util-crypto";
import { NodeProcess, rpc } from "../utils/nodeProcess.js";
import { until } from "../utils/cli.js";

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text format's sample lines (comments skipped). */
function parseMetrics(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`unparsable metrics line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined =>
  samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

let dir: string;
let node: NodeProcess;
let rpcPort: number;
let metricsPort: number;

const scrape = async (): Promise<Sample[]> => {
  const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseMetrics(await res.text());
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "subtensor-ts-metrics-"));
  node = NodeProcess.start(["start", "--dev", "--listen-addr", "/ip4/127.0.0.1/tcp/0", "--block-time", "500", "--rpc-port", "0", "--prometheus-port", "0", "--base-path", join(dir, "a")]);
  rpcPort = await node.rpcPort();
  metricsPort = (await node.waitFor((l) => typeof l.prometheusPort === "number")).prometheusPort as number;
});

afterAll(async () => {
  await node?.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
});

describe("Prometheus metrics", () => {
  it("serve Substrate's metric names and follow the best and finalized blocks", async () => {
    const first = await until(async () => {
      const s = await scrape();
      return (value(s, "substrate_block_height", { status: "best" }) ?? 0) >= 2 ? s : undefined;
    }, "block 2 in the metrics");
    for (const name of ["substrate_block_height", "substrate_sub_libp2p_peers_count", "substrate_sub_libp2p_is_major_syncing", "substrate_ready_transactions_number", "substrate_proposer_block_constructed_count", "substrate_build_info", "subtensor_total_issuance_rao", "subtensor_subnet_neurons", "process_cpu_user_seconds_total"]) {
      expect(first.some((s) => s.name === name), name).toBe(true);
    }
    expect(value(first, "substrate_build_info", { chain: "dev" })).toBe(1);
    expect(value(first, "substrate_sub_libp2p_peers_count")).toBe(0);
    const best = value(first, "substrate_block_height", { status: "best" })!;
    // the dev authority finalizes each block itself
    expect(value(first, "substrate_block_height", { status: "finalized" })).toBeGreaterThanOrEqual(best - 1);
    const rpcBest = parseInt((await rpc(rpcPort, "chain_getHeader")).result.number, 16);
    expect(rpcBest).toBeGreaterThanOrEqual(best);
    await until(async () => ((value(await scrape(), "substrate_block_height", { status: "best" }) ?? 0) > rpcBest ? true : undefined), "the metrics to follow the chain");
    expect(value(first, "substrate_proposer_block_constructed_count")).toBeGreaterThanOrEqual(1);
    expect(value(first, "subtensor_subnet_neurons", { netuid: "1" })).toBe(1);
    expect(value(first, "subtensor_subnet_neurons", { netuid: "0" })).toBe(0);
  });

  it("report TotalIssuance and PendingEmission exactly as the state holds them at the same block", async () => {
    const issuanceKey = xxhashAsHex("SubtensorModule", 128) + xxhashAsHex("TotalIssuance", 128).slice(2);
    const u64le = (hex: string) => Buffer.from(hex.slice(2), "hex").readBigUInt64LE(0);
    // a block may land between the two reads; retry until a scrape and the state agree on the block
    await until(async () => {
      const s = await scrape();
      const best = value(s, "substrate_block_height", { status: "best" })!;
      const hash = (await rpc(rpcPort, "chain_getBlockHash", [best])).result as string;
      const issuance = u64le((await rpc(rpcPort, "state_getStorage", [issuanceKey, hash])).result);
      const after = value(await scrape(), "substrate_block_height", { status: "best" });
      if (after !== best) return undefined;
      expect(value(s, "subtensor_total_issuance_rao")).toBe(Number(issuance));
      return true;
    }, "a scrape and a state read at the same block");
    const s = await scrape();
    expect(value(s, "subtensor_pending_emission_rao", { netuid: "1" })).toBeGreaterThan(0);
  });

  it("count epochs once a sudo tempo change makes subnet 1 run them", async () => {
    const api = await ApiPromise.create({ provider: new WsProvider(`ws://127.0.0.1:${rpcPort}`), noInitWarn: true });
    try {
      const alice = new Keyring({ type: "sr25519" }).addFromUri("//Alice");
      await new Promise<void>((resolve, reject) => {
        api.tx.sudo
          .sudo(api.tx.adminUtils.sudoSetTempo(1, 2))
          .signAndSend(alice, ({ status, dispatchError }) => {
            if (dispatchError) reject(new Error(dispatchError.toString()));
            if (status.isInBlock) resolve();
          })
          .catch(reject);
      });
    } finally {
      await api.disconnect();
    }
    const s = await until(async () => {
      const samples = await scrape();
      return (value(samples, "subtensor_epochs_total", { netuid: "1" }) ?? 0) >= 2 ? samples : undefined;
    }, "two epochs of subnet 1 in the metrics");
    expect(value(s, "subtensor_epoch_duration_seconds_count")).toBeGreaterThanOrEqual(2);
  });

  it("count RPC calls per method and transport", async () => {
    const before = value(await scrape(), "substrate_rpc_calls_total", { protocol: "http", method: "system_health", is_error: "false" }) ?? 0;
    for (let i = 0; i < 3; i++) await rpc(rpcPort, "system_health");
    const s = await scrape();
    expect(value(s, "substrate_rpc_calls_total", { protocol: "http", method: "system_health", is_error: "false" })).toBe(before + 3);
    expect(value(s, "substrate_rpc_calls_time_count", { protocol: "http", method: "system_health" })).toBeGreaterThanOrEqual(3);
    const other = await fetch(`http://127.0.0.1:${metricsPort}/nope`);
    expect(other.status).toBe(404);
  });

  it("a node whose Prometheus port is taken warns and runs on", async () => {
    const second = NodeProcess.start(["start", "--dev", "--listen-addr", "/ip4/127.0.0.1/tcp/0", "--block-time", "500", "--rpc-port", "0", "--prometheus-port", String(metricsPort), "--base-path", join(dir, "b")]);
    try {
      const warning = await second.waitFor((l) => /Prometheus exporter not started/.test(l.msg));
      expect(warning.level).toBe(40);
      await second.rpcPort();
      await second.waitFor((l) => l.msg.startsWith("Imported #"));
    } finally {
      await second.kill("SIGTERM");
    }
  });
});
