/** `subtensor-ts start`: run a node until SIGINT/SIGTERM. */
import { setFlagsFromString } from "node:v8";
import { Command, InvalidArgumentError, Option } from "commander";
import { NODE_DEFAULTS, P2P_DEFAULTS, type P2pOptions } from "../../node/options.js";
import { basePathOption, chainOption, devOption, resolveBasePath } from "./shared.js";
import { DEFAULT_DB_OPTIONS, MIN_DB_OPEN_FILES } from "../../chain/db/options.js";
import { DEFAULT_NODE_CACHE_SIZE, DEFAULT_VALUE_CACHE_BYTES } from "../../chain/trie/cacheOptions.js";

function integer(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer between ${min} and ${max}`);
    return n;
  };
}

/**
 * How far the JS heap may grow past what a full collection leaves live before the next one, in
 * percent. V8's own heuristic allows up to 4× on a machine with plenty of RAM, and an importing
 * node (sync: much short-lived garbage, caches of ~120 MB live) then sat at ~470 MB of heap and,
 * with the ArrayBuffers awaiting collection, ~280 MB of malloc heap: ~1.2 GB RSS after syncing
 * 10 000 blocks (bench/memory.ts). 50 % bounds the heap at ~1.5× live for a few % more GC time.
 */
export const DEFAULT_HEAP_GROWTH_PERCENT = 50;

/** Whether a V8 flag matching `name` was given to node itself (NODE_OPTIONS or the command line). */
const nodeFlagGiven = (name: RegExp): boolean => [...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((a) => name.test(a));

/** Applies --heap-growth unless the V8 flag was given to node itself (NODE_OPTIONS or the command line). */
export function applyHeapGrowth(percent: number): void {
  if (!nodeFlagGiven(/heap[-_]growing[-_]percent/) && percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}

export interface StartFlags {
  heapGrowth: number;
  dbMaxOpenFiles: number;
  trieCacheSize: number;
  trieNodeCache: number;
  dev?: boolean;
  chain: string;
  basePath?: string;
  rpcPort: number;
  rpcExternal?: boolean;
  rpcCors?: string;
  rpcMethods: "safe" | "unsafe" | "auto";
  rpcMaxConnections?: number;
  rpcMaxRequestSize?: number;
  rpcMaxResponseSize?: number;
  rpcMaxSubscriptionsPerConnection?: number;
  rpcMaxBatchRequestLen?: number;
  rpcRateLimit?: number;
  blockTime?: number;
  authority?: string;
  logLevel: string;
  log?: string[];
  name: string;
  prometheus: boolean;
  prometheusPort: number;
  prometheusExternal?: boolean;
  dashboard?: boolean;
  dashboardPort: number;
  p2pPort: number;
  listenAddr?: string[];
  publicAddr?: string[];
  bootnodes?: string[];
  reservedNodes?: string[];
  reservedOnly?: boolean;
  maxPeers: number;
  discoverLocal?: boolean;
  p2p: boolean;
  nodeKey?: string;
  nodeKeyFile?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The network options from the flags (listening on all interfaces by default, as Substrate does). */
export function p2pOptions(flags: StartFlags): P2pOptions {
  return {
    ...P2P_DEFAULTS,
    disabled: !flags.p2p,
    listenAddrs: flags.listenAddr?.length ? flags.listenAddr : [`/ip4/0.0.0.0/tcp/${flags.p2pPort}`],
    publicAddrs: flags.publicAddr ?? [],
    bootnodes: flags.bootnodes ?? [],
    reservedNodes: flags.reservedNodes ?? [],
    reservedOnly: Boolean(flags.reservedOnly),
    maxPeers: flags.maxPeers,
    discoverLocal: Boolean(flags.discoverLocal),
    nodeKeyHex: flags.nodeKey,
    nodeKeyFile: flags.nodeKeyFile,
  };
}

export function parseCors(value: string | undefined, dev: boolean): string[] | "all" | "none" | undefined {
  if (value === undefined) return dev ? "all" : undefined;
  if (value === "all" || value === "none") return value;
  return value.split(",").map((s) => s.trim()).filter(Boolean);
}

export function startCommand(): Command {
  return new Command("start")
    .description("run a node (the default command)")
    .addOption(devOption())
    .addOption(chainOption())
    .addOption(basePathOption())
    .addOption(new Option("--rpc-port <port>", "JSON-RPC port (HTTP and WebSocket)").argParser(integer("--rpc-port", 0, 65535)).default(NODE_DEFAULTS.rpcPort))
    .option("--rpc-external", "listen for RPC on all interfaces, not only 127.0.0.1")
    .option("--rpc-cors <origins>", "browser origins allowed to call RPC: `all`, `none`, or a comma-separated list (default: localhost origins; all with --dev)")
    .addOption(new Option("--rpc-methods <set>", "which RPC methods to expose").choices(["safe", "unsafe", "auto"]).default("auto"))
    .addOption(new Option("--rpc-max-connections <n>", "maximum RPC connections (default 100)").argParser(integer("--rpc-max-connections", 1, 100_000)))
    .addOption(new Option("--rpc-max-request-size <MiB>", "largest RPC request, in MiB (default 15)").argParser(integer("--rpc-max-request-size", 1, 4096)))
    .addOption(new Option("--rpc-max-response-size <MiB>", "largest RPC response, in MiB (default 15)").argParser(integer("--rpc-max-response-size", 1, 4096)))
    .addOption(new Option("--rpc-max-subscriptions-per-connection <n>", "subscriptions per connection (default 1024)").argParser(integer("--rpc-max-subscriptions-per-connection", 1, 1_000_000)))
    .addOption(new Option("--rpc-max-batch-request-len <n>", "calls per batch request (default unlimited)").argParser(integer("--rpc-max-batch-request-len", 1, 1_000_000)))
    .addOption(new Option("--rpc-rate-limit <calls>", "calls per minute per connection (default unlimited)").argParser(integer("--rpc-rate-limit", 1, 1_000_000_000)))
    .addOption(new Option("--block-time <ms>", "slot duration for Development and Local chains (a testing aid; refused for Live chains)").argParser(integer("--block-time", 100, 3_600_000)))
    .option("--authority <suri>", "author and vote with this authority's keys: the sr25519 Aura key and the ed25519 finality key of one secret URI (e.g. //Alice); --dev implies //Alice")
    .addOption(new Option("--p2p-port <port>", "libp2p TCP port").argParser(integer("--p2p-port", 0, 65535)).default(NODE_DEFAULTS.p2pPort))
    .option("--listen-addr <multiaddr...>", "multiaddrs to listen on (default /ip4/0.0.0.0/tcp/<p2p-port>)")
    .option("--public-addr <multiaddr...>", "addresses to announce to peers instead of the listen addresses")
    .option("--bootnodes <multiaddr...>", "peers to connect to at start, each /…/p2p/<peer id>")
    .option("--reserved-nodes <multiaddr...>", "peers to stay connected to, each /…/p2p/<peer id>")
    .option("--reserved-only", "accept and keep only the reserved nodes as peers")
    .addOption(new Option("--max-peers <n>", "maximum number of peers").argParser(integer("--max-peers", 1, 10_000)).default(NODE_DEFAULTS.maxPeers))
    .option("--discover-local", "find peers on the local network with mDNS")
    .option("--no-p2p", "run without networking (a lone node)")
    .option("--node-key <hex>", "the node's network key: an ed25519 secret as 64 hex digits (fixes the peer id)")
    .option("--node-key-file <path>", "file with the node's network key (32 raw bytes or 64 hex digits)")
    .addOption(new Option("--log-level <level>", "log level").choices(["trace", "debug", "info", "warn", "error", "silent"]).default("info"))
    .option("-l, --log <directives>", "log levels as Substrate's -l: `debug`, or per component `info,chain=debug,rpc=warn` (repeatable)", collect)
    .option("--name <name>", "human-readable node name", NODE_DEFAULTS.name)
    .addOption(new Option("--prometheus-port <port>", "Prometheus /metrics port").argParser(integer("--prometheus-port", 0, 65535)).default(NODE_DEFAULTS.prometheusPort))
    .option("--prometheus-external", "serve /metrics on all interfaces, not only 127.0.0.1")
    .option("--no-prometheus", "do not serve Prometheus metrics")
    .option("--dashboard", "serve the browser dashboard (http://127.0.0.1:9616/ by default)")
    .addOption(new Option("--dashboard-port <port>", "dashboard port").argParser(integer("--dashboard-port", 0, 65535)).default(NODE_DEFAULTS.dashboardPort))
    .addOption(
      new Option("--heap-growth <percent>", "how far the JS heap may grow past its live size before a full garbage collection (0: V8's default, which allows up to 4× on a large machine)")
        .argParser(integer("--heap-growth", 0, 1000))
        .default(DEFAULT_HEAP_GROWTH_PERCENT),
    )
    .addOption(
      new Option("--db-max-open-files <n>", "LevelDB table files kept open at once; each open table is mmapped and the pages read from it count in the node's RSS")
        .argParser(integer("--db-max-open-files", MIN_DB_OPEN_FILES, 50_000))
        .default(DEFAULT_DB_OPTIONS.maxOpenFiles),
    )
    .addOption(
      new Option("--trie-cache-size <bytes>", "storage values of the best state kept in memory, in bytes (0: none)")
        .argParser(integer("--trie-cache-size", 0, 2 ** 40))
        .default(DEFAULT_VALUE_CACHE_BYTES),
    )
    .addOption(
      new Option("--trie-node-cache <nodes>", "decoded state trie nodes kept in memory (0: none)")
        .argParser(integer("--trie-node-cache", 0, 100_000_000))
        .default(DEFAULT_NODE_CACHE_SIZE),
    )
    .action(async (flags: StartFlags) => {
      applyHeapGrowth(flags.heapGrowth);
      // Loaded here, not at the top: `--help` and the other subcommands stay fast.
      const [{ Node }, { resolveChainSpec }, { createLogger, parseLogDirectives }] = await Promise.all([
        import("../../node/node.js"),
        import("../../chain/spec.js"),
        import("../../util/logger.js"),
      ]);
      const directives = parseLogDirectives(flags.log ?? []);
      const logger = createLogger({ level: directives.level ?? (flags.logLevel as "info"), modules: directives.modules });
      const chain = flags.dev ? "dev" : flags.chain;
      const spec = await resolveChainSpec(chain, flags.blockTime);
      const node = await Node.create({
        spec,
        basePath: resolveBasePath(flags),
        name: flags.name,
        logger,
        rpcPort: flags.rpcPort,
        rpcExternal: Boolean(flags.rpcExternal),
        rpcCors: parseCors(flags.rpcCors, Boolean(flags.dev)),
        rpcMethods: flags.rpcMethods,
        rpcMaxConnections: flags.rpcMaxConnections,
        rpcMaxRequestSize: flags.rpcMaxRequestSize,
        rpcMaxResponseSize: flags.rpcMaxResponseSize,
        rpcMaxSubscriptionsPerConnection: flags.rpcMaxSubscriptionsPerConnection,
        rpcMaxBatchRequestLen: flags.rpcMaxBatchRequestLen,
        rpcRateLimit: flags.rpcRateLimit,
        authoritySuri: flags.authority ?? (flags.dev ? "//Alice" : undefined),
        p2p: p2pOptions(flags),
        prometheus: flags.prometheus ? { port: flags.prometheusPort, external: Boolean(flags.prometheusExternal) } : undefined,
        dashboard: flags.dashboard ? { port: flags.dashboardPort, external: false } : undefined,
        db: { maxOpenFiles: flags.dbMaxOpenFiles },
        trieCache: { cacheSize: flags.trieNodeCache, valueCacheBytes: flags.trieCacheSize },
      });
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, "Shutting down");
        node.stop().then(
          () => process.exit(0),
          (e) => {
            logger.error({ err: e }, "Error during shutdown");
            process.exit(1);
          },
        );
      };
      process.on("SIGINT", () => shutdown("SIGINT"));
      process.on("SIGTERM", () => shutdown("SIGTERM"));
      await node.start();
    });
}
