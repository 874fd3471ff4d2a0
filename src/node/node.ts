/**
 * The node: builds db → chain → pool → author → RPC in dependency order, starts them, and stops
 * them in reverse. Options and their defaults live in options.ts; the CLI only maps flags.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import { cryptoWaitReady, decodeAddress } from "@polkadot/util-crypto";
import type { Logger } from "../util/logger.js";
import { ChainDb } from "../chain/db/chainDb.js";
import { Blockchain } from "../chain/blockchain/blockchain.js";
import { TxPool } from "../chain/txpool/txpool.js";
import { BlockAuthor } from "../chain/authoring/blockAuthor.js";
import { buildGenesis } from "../chain/genesis.js";
import { getRuntime } from "../chain/runtime/index.js";
import { configureTimestamp } from "../chain/runtime/pallets/timestamp.js";
import { buildMetadata } from "../chain/runtime/metadata.js";
import { RUNTIME_APIS } from "../chain/runtime/apis.js";
import { initCrypto, verifySignature } from "../chain/signatures/verify.js";
import { SignatureVerifierPool } from "../chain/signatures/pool.js";
import { RpcRegistry } from "../rpc/registry.js";
import { RpcServer } from "../rpc/server.js";
import { registerAll } from "../rpc/methods/index.js";
import type { RpcServices } from "../rpc/methods/services.js";
import type { ChainSpec } from "../chain/spec.js";
import { toHex } from "../util/bytes.js";
import { NODE_VERSION, type NodeOptions } from "./options.js";
import { NodeMetrics } from "../metrics/nodeMetrics.js";
import { bindChainMetrics } from "../metrics/chainMetrics.js";
import { instrumentRpcRegistry } from "../metrics/rpcMetrics.js";
import { MetricsServer, MetricsServerError } from "../metrics/server.js";
import { DashboardServer } from "../dashboard/server.js";
import { Informant } from "./informant.js";

export class Node {
  rpcPort = 0;
  /** the Prometheus port actually bound (0 when off or the port was taken) */
  prometheusPort = 0;
  dashboardPort = 0;
  private author?: BlockAuthor;
  private rpc?: RpcServer;
  private metricsServer?: MetricsServer;
  private dashboard?: DashboardServer;
  private informant?: Informant;
  private unbindMetrics?: () => void;
  private stopped = false;

  private constructor(
    readonly opts: NodeOptions,
    readonly spec: ChainSpec,
    readonly db: ChainDb,
    readonly chain: Blockchain,
    readonly pool: TxPool,
    private readonly verifier: SignatureVerifierPool,
    private readonly log: Logger,
    /** this node's metrics (own registry); the p2p layer sets peers and sync state on it */
    readonly metrics?: NodeMetrics,
  ) {}

  /** The database directory of a chain under a base path (as Substrate lays it out). */
  static dbPath(basePath: string, chainId: string): string {
    return join(basePath, "chains", chainId, "db");
  }

  static async create(opts: NodeOptions): Promise<Node> {
    const log = opts.logger;
    await cryptoWaitReady();
    await initCrypto();
    const spec = opts.spec;
    configureTimestamp(spec.consensus.slotDurationMs);
    const runtime = getRuntime({ faucet: spec.chainType === "Development" });
    const dbPath = Node.dbPath(opts.basePath, spec.id);
    mkdirSync(dbPath, { recursive: true });
    const db = await ChainDb.open(dbPath);
    const verifier = await SignatureVerifierPool.create({ workers: opts.verifierWorkers });
    const metrics = opts.prometheus ? new NodeMetrics({ name: opts.name, version: NODE_VERSION, chain: spec.id }) : undefined;
    try {
      const chain = await Blockchain.open(
        { db, runtime, logger: log.child({ module: "chain" }), verifyBatch: (jobs) => verifier.verifyBatch(jobs), metrics },
        buildGenesis(spec),
      );
      const pool = new TxPool(chain, verifySignature, log.child({ module: "txpool" }));
      const node = new Node(opts, spec, db, chain, pool, verifier, log, metrics);
      log.info({ chain: spec.name, genesis: toHex(chain.genesisHash), best: chain.best.number, finalized: chain.finalized.number, basePath: opts.basePath }, "Chain opened");
      return node;
    } catch (e) {
      await verifier.close();
      await db.close();
      throw e;
    }
  }

  async start(): Promise<void> {
    const { opts, spec, chain, pool, log } = this;
    const runtime = getRuntime({ faucet: spec.chainType === "Development" });
    const metadata = buildMetadata(runtime, RUNTIME_APIS);
    const authorities = spec.consensus.authorities.map((a) => decodeAddress(a));
    let key: KeyringPair | undefined;
    if (opts.authoritySuri) {
      key = new Keyring({ type: "sr25519", ss58Format: spec.properties.ss58Format }).addFromUri(opts.authoritySuri);
      this.author = new BlockAuthor(
        { slotDurationMs: spec.consensus.slotDurationMs, sealKey: key, voteKey: key, authorities },
        { chain, pool, logger: log.child({ module: "author" }), metrics: this.metrics },
      );
      if (!this.author.isAuthority) log.warn({ key: key.address }, "The --authority key is not in the chain's authority set: this node will not author blocks");
    }
    const services: RpcServices = {
      chain,
      pool,
      runtime,
      metadata,
      spec,
      node: {
        name: opts.name,
        version: NODE_VERSION,
        roles: this.author?.isAuthority ? ["Authority"] : ["Full"],
        peers: () => 0,
        isSyncing: () => false,
        localPeerId: () => "",
        listenAddresses: () => [],
      },
    };
    const registry = new RpcRegistry();
    registerAll(registry, services);
    if (this.metrics) instrumentRpcRegistry(registry, this.metrics);
    this.rpc = new RpcServer(
      { host: opts.rpcExternal ? "0.0.0.0" : "127.0.0.1", port: opts.rpcPort, cors: opts.rpcCors, rpcMethods: opts.rpcMethods, maxConnections: opts.rpcMaxConnections },
      { registry, logger: log },
    );
    const { port } = await this.rpc.start();
    this.rpcPort = port;
    log.info({ port, host: opts.rpcExternal ? "0.0.0.0" : "127.0.0.1" }, `JSON-RPC (HTTP and WebSocket) listening on port ${port}`);
    await this.startMetrics();
    await this.startDashboard();
    if ((opts.informantIntervalMs ?? 5_000) > 0) {
      this.informant = new Informant({ chain, logger: log.child({ module: "informant" }) }, { intervalMs: opts.informantIntervalMs });
      this.informant.start();
    }
    this.author?.start();
  }

  /** Prometheus on its own port. A taken port costs the metrics, not the node (a warning says so). */
  private async startMetrics(): Promise<void> {
    const { opts, metrics, log } = this;
    if (!opts.prometheus || !metrics) return;
    this.unbindMetrics = bindChainMetrics(metrics, this.chain, this.pool);
    const host = opts.prometheus.external ? "0.0.0.0" : "127.0.0.1";
    const server = new MetricsServer({ host, port: opts.prometheus.port }, { metrics, logger: log.child({ module: "prometheus" }) });
    try {
      this.prometheusPort = (await server.start()).port;
      this.metricsServer = server;
      log.info({ prometheusPort: this.prometheusPort, host }, `Prometheus exporter started at http://${host}:${this.prometheusPort}/metrics`);
    } catch (e) {
      if (!(e instanceof MetricsServerError)) throw e;
      log.warn({ prometheusPort: opts.prometheus.port }, `Prometheus exporter not started (${e.type.reason}): pick another --prometheus-port, or --no-prometheus`);
    }
  }

  private async startDashboard(): Promise<void> {
    const { opts, log } = this;
    if (!opts.dashboard) return;
    const host = opts.dashboard.external ? "0.0.0.0" : "127.0.0.1";
    this.dashboard = new DashboardServer({ host, port: opts.dashboard.port, rpcPort: this.rpcPort }, { logger: log.child({ module: "dashboard" }) });
    this.dashboardPort = (await this.dashboard.start()).port;
    log.info({ dashboardPort: this.dashboardPort, host }, `Dashboard at http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${this.dashboardPort}/`);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.informant?.stop();
    await this.author?.stop();
    await this.dashboard?.stop();
    await this.metricsServer?.stop();
    this.unbindMetrics?.();
    await this.rpc?.stop();
    await this.verifier.close();
    await this.db.close();
    this.log.info("Node stopped");
  }
}
