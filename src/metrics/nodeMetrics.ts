/**
 * The node's Prometheus metrics: one prom-client Registry per node instance (never prom-client's
 * global registry), so several nodes in one process (tests) keep separate numbers. Names follow
 * Substrate where Substrate has the metric (so existing Substrate Grafana dashboards work), and use
 * a `subtensor_` prefix for ours.
 *
 * Components never import prom-client: they receive the small hook interfaces they need
 * (BlockchainMetrics, ProposerMetrics) at construction; this class implements them.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { BlockchainMetrics } from "../chain/blockchain/blockchain.js";
import type { ProposerMetrics } from "../chain/authoring/blockAuthor.js";
import type { EventRecordValue } from "../chain/runtime/frame/runtime.js";

/** Substrate's import/proposer histograms: exponential from 1 ms. */
const SECONDS_BUCKETS = [0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192];
/** Substrate's RPC call time buckets, in microseconds (`substrate_rpc_calls_time`). */
const RPC_MICROS_BUCKETS = [5, 10, 100, 500, 1_000, 2_500, 10_000, 25_000, 100_000, 1_000_000, 10_000_000];

export interface NodeMetricsOptions {
  /** `substrate_build_info` labels */
  name: string;
  version: string;
  chain: string;
  /** process_* and nodejs_* metrics (default on) */
  processMetrics?: boolean;
}

/** What the scrape-time gauges read: the chain's current numbers (bound by chainMetrics.ts). */
export interface ChainSource {
  best(): number;
  finalized(): number;
  readyTransactions(): number;
  poolTransactions(): number;
  /** SubtensorModule numbers at the best block */
  subtensor(): { totalIssuance: bigint; subnets: Array<{ netuid: number; pendingEmission: bigint; neurons: number }> };
}

/** What the network gauges read (bound by chainMetrics.ts when the node has a network). */
export interface NetworkSource {
  peers(): number;
  isMajorSyncing(): boolean;
}

export class NodeMetrics implements BlockchainMetrics, ProposerMetrics {
  readonly registry = new Registry();
  private source?: ChainSource;
  private network?: NetworkSource;

  // ---- Substrate names
  readonly blockHeight = new Gauge({
    name: "substrate_block_height",
    help: "Block height info of the chain",
    labelNames: ["status"] as const,
    registers: [this.registry],
    collect: () => {
      if (!this.source) return;
      this.blockHeight.set({ status: "best" }, this.source.best());
      this.blockHeight.set({ status: "finalized" }, this.source.finalized());
    },
  });
  /** Read from the network at scrape time when one is bound (bindNetwork); the p2p layer may also set it. */
  readonly peers = new Gauge({
    name: "substrate_sub_libp2p_peers_count",
    help: "Number of connected peers",
    registers: [this.registry],
    collect: () => {
      if (this.network) this.peers.set(this.network.peers());
    },
  });
  /** 1 while major syncing, 0 otherwise (read from the network's sync state, like peers). */
  readonly isMajorSyncing = new Gauge({
    name: "substrate_sub_libp2p_is_major_syncing",
    help: "Whether the node is performing a major sync or not.",
    registers: [this.registry],
    collect: () => {
      if (this.network) this.isMajorSyncing.set(this.network.isMajorSyncing() ? 1 : 0);
    },
  });
  readonly readyTransactions = new Gauge({
    name: "substrate_ready_transactions_number",
    help: "Number of transactions in the ready queue",
    registers: [this.registry],
    collect: () => {
      if (this.source) this.readyTransactions.set(this.source.readyTransactions());
    },
  });
  readonly poolTransactions = new Gauge({
    name: "substrate_sub_txpool_transactions",
    help: "Number of transactions in the pool (ready and future)",
    registers: [this.registry],
    collect: () => {
      if (this.source) this.poolTransactions.set(this.source.poolTransactions());
    },
  });
  readonly importTime = new Histogram({ name: "substrate_block_verification_and_import_time", help: "Time taken to verify and import blocks", buckets: SECONDS_BUCKETS, registers: [this.registry] });
  readonly importedBlocks = new Counter({ name: "substrate_import_queue_processed_total", help: "Blocks processed by the import queue", labelNames: ["result"] as const, registers: [this.registry] });
  readonly proposerConstructed = new Histogram({ name: "substrate_proposer_block_constructed", help: "Histogram of time taken to construct new block", buckets: SECONDS_BUCKETS, registers: [this.registry] });
  readonly proposerTransactions = new Gauge({ name: "substrate_proposer_number_of_transactions", help: "Number of transactions included in block", registers: [this.registry] });
  readonly rpcCalls = new Counter({ name: "substrate_rpc_calls_total", help: "Number of processed RPC calls (unique un-batched requests)", labelNames: ["protocol", "method", "is_error"] as const, registers: [this.registry] });
  readonly rpcTime = new Histogram({ name: "substrate_rpc_calls_time", help: "Total time [μs] of processed RPC calls", labelNames: ["protocol", "method"] as const, buckets: RPC_MICROS_BUCKETS, registers: [this.registry] });
  readonly buildInfo = new Gauge({ name: "substrate_build_info", help: "A metric with a constant '1' value labeled by name, version", labelNames: ["name", "version", "chain"] as const, registers: [this.registry] });
  readonly startTime = new Gauge({ name: "substrate_process_start_time_seconds", help: "Number of seconds between the UNIX epoch and the moment the process started", registers: [this.registry] });

  // ---- ours
  readonly epochs = new Counter({ name: "subtensor_epochs_total", help: "Subnet epochs run in imported best blocks", labelNames: ["netuid"] as const, registers: [this.registry] });
  /** runtime diagnostics: epochs the fast exact Yuma path refused (computed on the reference path, same result) */
  readonly yumaReferenceFallbacks = new Counter({
    name: "subtensor_yuma_reference_fallbacks_total",
    help: "Subnet epochs executed on the reference Yuma path because the fast exact path refused their input (same result, slower)",
    labelNames: ["netuid"] as const,
    registers: [this.registry],
  });
  readonly epochDuration = new Histogram({
    name: "subtensor_epoch_duration_seconds",
    help: "Execution time of blocks in which at least one subnet epoch ran (the epoch dominates such a block)",
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });
  /** The SubtensorModule gauges are read together (one state read per scrape), by totalIssuance's collect. */
  readonly totalIssuance = new Gauge({
    name: "subtensor_total_issuance_rao",
    help: "SubtensorModule.TotalIssuance at the best block (RAO)",
    registers: [this.registry],
    collect: () => this.collectSubtensor(),
  });
  readonly pendingEmission = new Gauge({ name: "subtensor_pending_emission_rao", help: "PendingEmission of each subnet at the best block (RAO)", labelNames: ["netuid"] as const, registers: [this.registry] });
  readonly subnetNeurons = new Gauge({ name: "subtensor_subnet_neurons", help: "Registered UIDs (SubnetworkN) of each subnet at the best block", labelNames: ["netuid"] as const, registers: [this.registry] });
  readonly subnets = new Gauge({ name: "subtensor_subnets", help: "Subnets that exist at the best block (root included)", registers: [this.registry] });

  constructor(opts: NodeMetricsOptions) {
    this.buildInfo.set({ name: opts.name, version: opts.version, chain: opts.chain }, 1);
    this.startTime.set(Math.floor((Date.now() - process.uptime() * 1000) / 1000));
    if (opts.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Where the scrape-time gauges read from; set once the chain exists. */
  bindChain(source: ChainSource): void {
    this.source = source;
  }

  /** Where the peer and sync gauges read from; without it they stay at what was set (0). */
  bindNetwork(network: NetworkSource): void {
    this.network = network;
  }

  private collectSubtensor(): void {
    if (!this.source) return;
    const s = this.source.subtensor();
    // RAO amounts fit a double exactly up to 2^53 RAO ≈ 9 million TAO; beyond that the gauge is
    // approximate, as every Prometheus sample is a float64.
    this.totalIssuance.set(Number(s.totalIssuance));
    this.pendingEmission.reset();
    this.subnetNeurons.reset();
    for (const subnet of s.subnets) {
      this.pendingEmission.set({ netuid: String(subnet.netuid) }, Number(subnet.pendingEmission));
      this.subnetNeurons.set({ netuid: String(subnet.netuid) }, subnet.neurons);
    }
    this.subnets.set(s.subnets.length);
  }

  // ---- BlockchainMetrics
  blockImported(seconds: number, ok: boolean): void {
    if (ok) this.importTime.observe(seconds);
    this.importedBlocks.inc({ result: ok ? "success" : "failure" });
  }

  blockExecuted(seconds: number, events: EventRecordValue[]): void {
    if (epochNetuids(events).length > 0) this.epochDuration.observe(seconds);
  }

  // ---- ProposerMetrics
  blockConstructed(seconds: number, transactions: number): void {
    this.proposerConstructed.observe(seconds);
    this.proposerTransactions.set(transactions);
  }

  /** RPC: one finished call. */
  rpcCall(protocol: string, method: string, micros: number, isError: boolean): void {
    this.rpcCalls.inc({ protocol, method, is_error: String(isError) });
    this.rpcTime.observe({ protocol, method }, micros);
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}

/** The netuids of the `SubtensorModule.EpochRun` events of a block. */
export function epochNetuids(events: EventRecordValue[]): number[] {
  const out: number[] = [];
  for (const record of events) {
    const pallet = record.event as { tag: string; value?: { tag?: string; value?: { netuid?: number } } };
    if (pallet.tag === "SubtensorModule" && pallet.value?.tag === "EpochRun" && typeof pallet.value.value?.netuid === "number") out.push(pallet.value.value.netuid);
  }
  return out;
}
