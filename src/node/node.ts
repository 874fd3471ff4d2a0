/**
 * The node: builds db → chain → import queue → pool → finality → network → author → RPC in
 * dependency order, starts them, and stops them in reverse. Options and their defaults live in
 * options.ts; the CLI only maps flags. Several nodes can run in one process: nothing here or below
 * is process-wide.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Keyring } from "@polkadot/keyring";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import type { Logger } from "../util/logger.js";
import { ChainDb } from "../chain/db/chainDb.js";
import { META_VOTER } from "../chain/db/buckets.js";
import { removePurgeLeftovers } from "../chain/db/purge.js";
import { Blockchain } from "../chain/blockchain/blockchain.js";
import { ImportQueue } from "../chain/blockchain/importQueue.js";
import { TxPool } from "../chain/txpool/txpool.js";
import { BlockAuthor } from "../chain/authoring/blockAuthor.js";
import { buildGenesis } from "../chain/genesis.js";
import { createRuntime } from "../chain/runtime/index.js";
import type { RuntimeDefinition } from "../chain/runtime/frame/runtime.js";
import { buildMetadata } from "../chain/runtime/metadata.js";
import { runtimeApiDecls } from "../chain/runtime/api/index.js";
import { Keystore } from "../keystore/keystore.js";
import { initCrypto, verifySignature } from "../chain/signatures/verify.js";
import { SignatureVerifierPool } from "../chain/signatures/pool.js";
import { auraHeaderVerifier, grandpaJustificationVerifier } from "../consensus/verifiers.js";
import { SlotClaims } from "../consensus/aura.js";
import { FinalityService } from "../consensus/finality/service.js";
import { finalityKeyFromSuri } from "../consensus/finality/keys.js";
import type { PersistedVoterState } from "../consensus/finality/voter.js";
import { Network } from "../p2p/network.js";
import { loadNodeKey } from "../p2p/nodeKey.js";
import { RpcRegistry } from "../rpc/registry.js";
import { RpcServer } from "../rpc/server.js";
import { registerAll } from "../rpc/methods/index.js";
import type { FinalityInfo, NodeInfo, RpcServices } from "../rpc/methods/services.js";
import { runtimeConfigOf, type ChainSpec } from "../chain/spec.js";
import { toHex } from "../util/bytes.js";
import { NODE_VERSION, type NodeOptions } from "./options.js";
import { NodeMetrics } from "../metrics/nodeMetrics.js";
import { bindChainMetrics } from "../metrics/chainMetrics.js";
import { instrumentRpcRegistry } from "../metrics/rpcMetrics.js";
import { MetricsServer, MetricsServerError } from "../metrics/server.js";
import { DashboardServer } from "../dashboard/server.js";
import { Informant } from "./informant.js";
import { shortHash } from "../util/logFormat.js";

const MIB = 1024 * 1024;

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
  private finality?: FinalityService;
  network?: Network;
  private stopped = false;

  private constructor(
    readonly opts: NodeOptions,
    readonly spec: ChainSpec,
    readonly db: ChainDb,
    readonly runtime: RuntimeDefinition,
    readonly chain: Blockchain,
    readonly queue: ImportQueue,
    readonly pool: TxPool,
    private readonly verifier: SignatureVerifierPool,
    private readonly log: Logger,
    /** this node's metrics (own registry), when Prometheus is on */
    readonly metrics?: NodeMetrics,
  ) {}

  /** The database directory of a chain under a base path (as Substrate lays it out). */
  static dbPath(basePath: string, chainId: string): string {
    return join(basePath, "chains", chainId, "db");
  }

  /** The keystore directory of a chain under a base path. */
  static keystorePath(basePath: string, chainId: string): string {
    return join(basePath, "chains", chainId, "keystore");
  }

  /** Where the node key lives by default: `<base>/chains/<id>/network/secret_ed25519`. */
  static nodeKeyPath(basePath: string, chainId: string): string {
    return join(basePath, "chains", chainId, "network", "secret_ed25519");
  }

  static async create(opts: NodeOptions): Promise<Node> {
    const log = opts.logger;
    await cryptoWaitReady();
    await initCrypto();
    const spec = opts.spec;
    const runtime = createRuntime(runtimeConfigOf(spec));
    const dbPath = Node.dbPath(opts.basePath, spec.id);
    const leftovers = removePurgeLeftovers(dbPath);
    if (leftovers) log.info({ dbPath }, "Removed the remains of an interrupted purge-chain");
    mkdirSync(dbPath, { recursive: true });
    const db = await ChainDb.open(dbPath, opts.db);
    const verifier = await SignatureVerifierPool.create({ workers: opts.verifierWorkers });
    const metrics = opts.prometheus ? new NodeMetrics({ name: opts.name, version: NODE_VERSION, chain: spec.id }) : undefined;
    // what the runtime reports outside the state: logged, and counted when Prometheus is on
    runtime.diagnostics.on((d) => {
      if (d.kind !== "yumaReferenceFallback") return;
      log.warn({ netuid: d.netuid, block: d.block, reason: d.reason }, `Yuma epoch of subnet ${d.netuid} at #${d.block} ran on the reference path (same result, slower): ${d.reason}`);
      metrics?.yumaReferenceFallbacks.inc({ netuid: String(d.netuid) });
    });
    try {
      const chainLog = log.child({ module: "chain" });
      const verifyHeader = auraHeaderVerifier({ slotDurationMs: spec.consensus.slotDurationMs, now: Date.now, claims: new SlotClaims() });
      const chain = await Blockchain.open(
        {
          db,
          runtime,
          logger: chainLog,
          verifyBatch: (jobs) => verifier.verifyBatch(jobs),
          verifyHeader,
          verifyJustification: grandpaJustificationVerifier(),
          metrics,
          trieCache: opts.trieCache,
        },
        buildGenesis(spec, runtime),
      );
      chain.on("imported", (b) => verifyHeader.imported(b.hash));
      const queue = new ImportQueue(chain, chainLog);
      const pool = new TxPool(chain, verifySignature, log.child({ module: "txpool" }));
      const node = new Node(opts, spec, db, runtime, chain, queue, pool, verifier, log, metrics);
      log.info(
        { chain: spec.name, genesis: toHex(chain.genesisHash), best: chain.best.number, bestHash: toHex(chain.best.hash), finalized: chain.finalized.number, finalizedHash: toHex(chain.finalized.hash), basePath: opts.basePath },
        "Chain opened",
      );
      return node;
    } catch (e) {
      await verifier.close();
      await db.close();
      throw e;
    }
  }

  async start(): Promise<void> {
    const { opts, spec, chain, pool, queue, log, runtime, db } = this;
    const metadata = buildMetadata(runtime, runtimeApiDecls(runtime));
    const suri = opts.authoritySuri;
    const sealKey = suri ? new Keyring({ type: "sr25519", ss58Format: spec.properties.ss58Format }).addFromUri(suri) : undefined;
    const finalityKey = suri ? finalityKeyFromSuri(suri) : undefined;

    // finality: its network side is bound once the network exists
    let network: Network | undefined;
    const finality = new FinalityService(
      { key: finalityKey, slotDurationMs: spec.consensus.slotDurationMs },
      {
        chain: {
          finalized: () => ({ hash: chain.finalized.hash, number: chain.finalized.number }),
          best: () => ({ hash: chain.best.hash, number: chain.best.number }),
          has: (h) => chain.has(h),
          header: (h) => chain.header(h),
          stateAt: (h) => chain.stateAt(h),
          ancestry: (b, x) => chain.ancestry(b, x),
          bestChainContaining: (b) => chain.bestChainContaining(b),
          finalize: (h, j) => chain.finalize(h, j),
        },
        network: {
          broadcast: (data) => network?.broadcastFinality(data),
          fetchBlock: (hash, peer) => network?.fetchBlock(hash, peer),
          requestCatchUp: (peer, req) => {
            if (!network) return Promise.reject(new Error("networking is disabled"));
            return network.requestCatchUp(peer, req);
          },
          penalize: (peer, reason) => network?.penalize(peer, "fatal", reason),
        },
        store: {
          load: () => {
            const raw = db.meta(META_VOTER);
            return raw ? (JSON.parse(new TextDecoder().decode(raw)) as PersistedVoterState) : undefined;
          },
          save: (s) => db.putMeta(META_VOTER, new TextEncoder().encode(JSON.stringify(s))),
        },
        logger: log.child({ module: "finality" }),
      },
    );
    this.finality = finality;
    chain.on("imported", () => finality.onBlockImported());
    chain.on("finalized", (h) => {
      finality.onFinalized({ hash: h.hash, number: h.number });
      log.info({ number: h.number, hash: toHex(h.hash) }, `Finalized #${h.number} (${shortHash(toHex(h.hash))})`);
    });

    const isAuthority = sealKey !== undefined && finality.isVoter;
    if (!opts.p2p.disabled) {
      const { key, source } = await loadNodeKey({ hex: opts.p2p.nodeKeyHex, file: opts.p2p.nodeKeyFile, defaultFile: Node.nodeKeyPath(opts.basePath, spec.id) });
      log.debug({ source }, "Node key loaded");
      network = new Network(
        {
          listenAddrs: opts.p2p.listenAddrs,
          publicAddrs: opts.p2p.publicAddrs,
          bootnodes: [...spec.bootNodes, ...opts.p2p.bootnodes],
          reservedNodes: opts.p2p.reservedNodes,
          reservedOnly: opts.p2p.reservedOnly,
          maxPeers: opts.p2p.maxPeers,
          discoverLocal: opts.p2p.discoverLocal,
          slotDurationMs: spec.consensus.slotDurationMs,
          isAuthority,
          gossipRates: opts.p2p.gossipRates,
        },
        { privateKey: key, chain, queue, pool, finality, logger: log.child({ module: "p2p" }) },
      );
      await network.start();
      this.network = network;
      // transactions submitted here are gossiped; those from peers gossipsub forwards itself
      pool.on("added", (tx) => {
        if (tx.source !== "external") network!.announceTransaction(tx.bytes);
      });
    }

    if (sealKey) {
      this.author = new BlockAuthor(
        { slotDurationMs: spec.consensus.slotDurationMs, sealKey },
        {
          chain,
          pool,
          logger: log.child({ module: "author" }),
          metrics: this.metrics,
          isMajorSyncing: () => network?.sync.isMajorSyncing ?? false,
          announce: (b) => network?.announceBlock(b),
        },
      );
      if (!this.author.isAuthority) log.warn({ key: sealKey.address }, "The --authority key is not in the chain's Aura authority set: this node will not author blocks");
    }

    const nodeInfo: NodeInfo = {
      name: opts.name,
      version: NODE_VERSION,
      roles: isAuthority || this.author?.isAuthority ? ["Authority"] : ["Full"],
      peers: () => network?.peerCount ?? 0,
      isSyncing: () => network?.sync.isMajorSyncing ?? false,
      localPeerId: () => network?.peerId ?? "",
      listenAddresses: () => (network ? network.listenAddresses().map((a) => `${a}/p2p/${network!.peerId}`) : []),
      peerList: () => (network?.peers() ?? []).map((p) => ({ peerId: p.peerId, roles: p.roles, bestHash: p.bestHash, bestNumber: p.bestNumber })),
      syncState: network ? () => network!.sync.state() : undefined,
      addReservedPeer: network ? (addr) => network!.addReservedPeer(addr) : undefined,
      removeReservedPeer: network ? (id) => network!.removeReservedPeer(id) : undefined,
    };
    const finalityInfo: FinalityInfo = {
      setId: finality.setId,
      authorities: finality.authorities,
      round: () => finality.roundState().round,
      onJustification: (listener) => {
        finality.on("justification", listener);
        return () => finality.off("justification", listener);
      },
    };
    const keystore = new Keystore(Node.keystorePath(opts.basePath, spec.id));
    if (sealKey && finalityKey) {
      // the authority's own keys are known to the keystore (author_hasKey), never written to disk
      keystore.insertEphemeral("aura", sealKey.publicKey);
      keystore.insertEphemeral("gran", finalityKey.publicKey);
    }
    const services: RpcServices = { chain, pool, runtime, metadata, spec, node: nodeInfo, finality: finalityInfo, keystore };
    const registry = new RpcRegistry();
    registerAll(registry, services);
    if (this.metrics) instrumentRpcRegistry(registry, this.metrics);
    this.rpc = new RpcServer(
      {
        host: opts.rpcExternal ? "0.0.0.0" : "127.0.0.1",
        port: opts.rpcPort,
        cors: opts.rpcCors,
        rpcMethods: opts.rpcMethods,
        maxConnections: opts.rpcMaxConnections,
        maxRequestBytes: opts.rpcMaxRequestSize === undefined ? undefined : opts.rpcMaxRequestSize * MIB,
        maxResponseBytes: opts.rpcMaxResponseSize === undefined ? undefined : opts.rpcMaxResponseSize * MIB,
        maxSubscriptionsPerConnection: opts.rpcMaxSubscriptionsPerConnection,
        maxBatchLength: opts.rpcMaxBatchRequestLen,
        rateLimitPerMinute: opts.rpcRateLimit,
      },
      { registry, logger: log },
    );
    const { port } = await this.rpc.start();
    this.rpcPort = port;
    log.info({ port, host: opts.rpcExternal ? "0.0.0.0" : "127.0.0.1" }, `JSON-RPC (HTTP and WebSocket) listening on port ${port}`);
    await this.startMetrics(network);
    await this.startDashboard();
    if ((opts.informantIntervalMs ?? 5_000) > 0) {
      const syncTarget = () => {
        const s = network?.sync.isMajorSyncing ? network.sync.state() : undefined;
        return s?.highestBlock ?? undefined;
      };
      this.informant = new Informant(
        { chain, logger: log.child({ module: "informant" }), network: network ? { peers: () => network!.peerCount, syncTarget } : undefined },
        { intervalMs: opts.informantIntervalMs },
      );
      this.informant.start();
    }
    finality.start();
    this.author?.start();
  }

  /** Prometheus on its own port. A taken port costs the metrics, not the node (a warning says so). */
  private async startMetrics(network: Network | undefined): Promise<void> {
    const { opts, metrics, log } = this;
    if (!opts.prometheus || !metrics) return;
    this.unbindMetrics = bindChainMetrics(metrics, this.chain, this.pool, network ? { peers: () => network.peerCount, isMajorSyncing: () => network.sync.isMajorSyncing } : undefined);
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
    this.finality?.stop();
    await this.network?.stop();
    await this.rpc?.stop();
    await this.verifier.close();
    await this.db.close();
    this.log.info("Node stopped");
  }
}
