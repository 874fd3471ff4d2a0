/** Starts a real in-process node on a temp base path and a random RPC port. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Node } from "../../src/node/node.js";
import { devChainSpec, type ChainSpec } from "../../src/chain/spec.js";
import { silentLogger, type Logger } from "../../src/util/logger.js";
import { P2P_DEFAULTS, type P2pOptions } from "../../src/node/options.js";

export interface TestNode {
  node: Node;
  url: string;
  httpUrl: string;
  basePath: string;
  stop(removeData?: boolean): Promise<void>;
}

export interface TestNodeOptions {
  blockTimeMs?: number;
  spec?: ChainSpec;
  basePath?: string;
  /** authority SURI; default //Alice, null for a full node */
  authority?: string | null;
  /** network options over the test defaults (127.0.0.1, a random port) */
  p2p?: Partial<P2pOptions>;
  logger?: Logger;
}

/** Network defaults for tests: loopback only, any free port. */
export const TEST_P2P: P2pOptions = { ...P2P_DEFAULTS, listenAddrs: ["/ip4/127.0.0.1/tcp/0"] };

export async function startTestNode(opts: TestNodeOptions = {}): Promise<TestNode> {
  const basePath = opts.basePath ?? mkdtempSync(join(tmpdir(), "subtensor-ts-node-"));
  const spec = opts.spec ?? (await devChainSpec(opts.blockTimeMs ?? 500));
  const node = await Node.create({
    spec,
    basePath,
    name: "test",
    logger: opts.logger ?? silentLogger(),
    rpcPort: 0,
    rpcExternal: false,
    rpcCors: "all",
    rpcMethods: "auto",
    authoritySuri: opts.authority === null ? undefined : (opts.authority ?? "//Alice"),
    verifierWorkers: 0,
    p2p: { ...TEST_P2P, ...opts.p2p },
  });
  await node.start();
  return {
    node,
    basePath,
    url: `ws://127.0.0.1:${node.rpcPort}`,
    httpUrl: `http://127.0.0.1:${node.rpcPort}`,
    async stop(removeData = true) {
      await node.stop();
      if (removeData) rmSync(basePath, { recursive: true, force: true });
    },
  };
}

/** Resolves when the node's best block reaches `n` (event-driven, no polling sleeps). */
export function waitForBlock(node: Node, n: number): Promise<void> {
  if (node.chain.best.number >= n) return Promise.resolve();
  return new Promise((resolve) => {
    const on = () => {
      if (node.chain.best.number >= n) {
        node.chain.off("imported", on);
        resolve();
      }
    };
    node.chain.on("imported", on);
  });
}
