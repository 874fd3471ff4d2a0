/**
 * The node: builds db → chain → pool → author → RPC in dependency order, starts them, and stops
 * them in reverse. Options and their defaults live in options.ts; the CLI only maps flags.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Keyring } from "@polkadot/keyring";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import type { Logger } from "../util/logger.js";
import { ChainDb } from "../chain/db/chainDb.js";
import { Blockchain } from "../chain/blockchain/blockchain.js";
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
import { RpcRegistry } from "../rpc/registry.js";
import { RpcServer } from "../rpc/server.js";
import { registerAll } from "../rpc/methods/index.js";
import type { RpcServices } from "../rpc/methods/services.js";
import { runtimeConfigOf, type ChainSpec } from "../chain/spec.js";
import { toHex } from "../util/bytes.js";
import { NODE_VERSION, type NodeOptions } from "./options.js";

const MIB = 1024 * 1024;

export class Node {
  rpcPort = 0;
  private author?: BlockAuthor;
  private rpc?: RpcServer;
  private stopped = false;

  private constructor(
    readonly opts: NodeOptions,
    readonly spec: ChainSpec,
    readonly db: ChainDb,
    readonly runtime: RuntimeDefinition,
    readonly chain: Blockchain,
    readonly pool: TxPool,
    private readonly verifier: SignatureVerifierPool,
    private readonly log: Logger,
  ) {}

  /** The database directory of a chain under a base path (as Substrate lays it out). */
  static dbPath(basePath: string, chainId: string): string {
    return join(basePath, "chains", chainId, "db");
  }

  /** The keystore directory of a chain under a base path. */
  static keystorePath(basePath: string, chainId: string): string {
    return join(basePath, "chains", chainId, "keystore");
  }

  static async create(opts: NodeOptions): Promise<Node> {
    const log = opts.logger;
    await cryptoWaitReady();
    await initCrypto();
    const spec = opts.spec;
    const runtime = createRuntime(runtimeConfigOf(spec));
    const dbPath = Node.dbPath(opts.basePath, spec.id);
    mkdirSync(dbPath, { recursive: true });
    const db = await ChainDb.open(dbPath);
    const verifier = await SignatureVerifierPool.create({ workers: opts.verifierWorkers });
    try {
      const chain = await Blockchain.open(
        { db, runtime, logger: log.child({ module: "chain" }), verifyBatch: (jobs) => verifier.verifyBatch(jobs) },
        buildGenesis(spec, runtime),
      );
      const pool = new TxPool(chain, verifySignature, log.child({ module: "txpool" }));
      const node = new Node(opts, spec, db, runtime, chain, pool, verifier, log);
      log.info({ chain: spec.name, genesis: toHex(chain.genesisHash), best: chain.best.number, finalized: chain.finalized.number, basePath: opts.basePath }, "Chain opened");
      return node;
    } catch (e) {
      await verifier.close();
      await db.close();
      throw e;
    }
  }

  async start(): Promise<void> {
    const { opts, spec, chain, pool, log, runtime } = this;
    const metadata = buildMetadata(runtime, runtimeApiDecls(runtime));
    if (opts.authoritySuri) {
      const sealKey = new Keyring({ type: "sr25519", ss58Format: spec.properties.ss58Format }).addFromUri(opts.authoritySuri);
      const voteKey = new Keyring({ type: "ed25519", ss58Format: spec.properties.ss58Format }).addFromUri(opts.authoritySuri);
      this.author = new BlockAuthor({ slotDurationMs: spec.consensus.slotDurationMs, sealKey, voteKey }, { chain, pool, logger: log.child({ module: "author" }) });
      const key = sealKey;
      if (!this.author.isAuthority) log.warn({ key: key.address }, "The --authority key is not in the chain's authority set: this node will not author blocks");
    }
    const keystore = new Keystore(Node.keystorePath(opts.basePath, spec.id));
    if (opts.authoritySuri) {
      // the authority's own keys are known to the keystore (author_hasKey), never written to disk
      keystore.insertEphemeral("aura", new Keyring({ type: "sr25519" }).addFromUri(opts.authoritySuri).publicKey);
      keystore.insertEphemeral("gran", new Keyring({ type: "ed25519" }).addFromUri(opts.authoritySuri).publicKey);
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
      keystore,
    };
    const registry = new RpcRegistry();
    registerAll(registry, services);
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
    this.author?.start();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.author?.stop();
    await this.rpc?.stop();
    await this.verifier.close();
    await this.db.close();
    this.log.info("Node stopped");
  }
}
