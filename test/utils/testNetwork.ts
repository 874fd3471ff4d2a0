/**
 * A real network of in-process nodes for tests: each with its own LevelDB in a temp dir, real
 * libp2p on 127.0.0.1 (random ports), fixed node keys so multiaddrs are known, the local
 * 4-authority spec (or any spec). Waiting is driven by chain events with deadlines, never sleeps.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Node } from "../../src/node/node.js";
import { localChainSpec, type ChainSpec } from "../../src/chain/spec.js";
import { silentLogger, type Logger } from "../../src/util/logger.js";
import { peerIdOfSecret } from "../../src/p2p/nodeKey.js";
import { bytesEqual, toHex } from "../../src/util/bytes.js";
import { TEST_P2P } from "./testNode.js";
import type { P2pOptions } from "../../src/node/options.js";

export interface NetNode {
  name: string;
  node: Node;
  basePath: string;
  nodeKey: string;
  peerId: string;
  /** 127.0.0.1 multiaddr with /p2p/<peer id> (known once started) */
  addr: string;
  authority?: string;
  rpcUrl: string;
}

export interface StartOptions {
  name: string;
  /** SURI, or null for a full node */
  authority: string | null;
  bootnodes?: string[];
  p2p?: Partial<P2pOptions>;
  basePath?: string;
  logger?: Logger;
}

/** Node key i: 32 bytes with the index in the last byte (node 0 is 0x…01, Substrate's test key). */
export function testNodeKey(i: number): string {
  return (i + 1).toString(16).padStart(64, "0");
}

export class TestNetwork {
  readonly nodes: NetNode[] = [];
  private keyIndex = 0;
  private readonly dirs: string[] = [];

  private constructor(readonly spec: ChainSpec) {}

  /** `firstKey` offsets the node keys, so that nodes of two networks in one test differ. */
  static async create(o: { blockTimeMs?: number; spec?: ChainSpec; firstKey?: number } = {}): Promise<TestNetwork> {
    const net = new TestNetwork(o.spec ?? (await localChainSpec(o.blockTimeMs ?? 1000)));
    net.keyIndex = o.firstKey ?? 0;
    return net;
  }

  /** Starts a node; its bootnodes default to every node already running. */
  async start(o: StartOptions): Promise<NetNode> {
    const basePath = o.basePath ?? mkdtempSync(join(tmpdir(), `subtensor-ts-net-${o.name}-`));
    if (!o.basePath) this.dirs.push(basePath);
    const existing = this.nodes.find((n) => n.name === o.name);
    const nodeKey = existing?.nodeKey ?? testNodeKey(this.keyIndex++);
    const node = await Node.create({
      spec: this.spec,
      basePath,
      name: o.name,
      logger: o.logger ?? silentLogger(),
      rpcPort: 0,
      rpcExternal: false,
      rpcCors: "all",
      rpcMethods: "unsafe",
      authoritySuri: o.authority ?? undefined,
      verifierWorkers: 0,
      p2p: { ...TEST_P2P, nodeKeyHex: nodeKey, bootnodes: o.bootnodes ?? this.nodes.filter((n) => n.name !== o.name && n.node.network).map((n) => n.addr), ...o.p2p },
    });
    await node.start();
    const peerId = await peerIdOfSecret(Buffer.from(nodeKey, "hex"));
    const listen = node.network?.listenAddresses().find((a) => a.startsWith("/ip4/127.0.0.1/")) ?? "";
    const addr = listen.includes("/p2p/") ? listen : `${listen}/p2p/${peerId}`;
    const entry: NetNode = { name: o.name, node, basePath, nodeKey, peerId, addr, authority: o.authority ?? undefined, rpcUrl: `ws://127.0.0.1:${node.rpcPort}` };
    if (existing) Object.assign(existing, entry);
    else this.nodes.push(entry);
    return existing ?? entry;
  }

  get(name: string): NetNode {
    const n = this.nodes.find((x) => x.name === name);
    if (!n) throw new Error(`no node ${name}`);
    return n;
  }

  /** Stops a node (keeping its data, so it can be restarted with `start` under the same name). */
  async stop(name: string): Promise<void> {
    await this.get(name).node.stop();
  }

  async restart(name: string): Promise<NetNode> {
    const n = this.get(name);
    // the listen port changes: others reach it through their bootnode lists and its own dials
    return this.start({ name, authority: n.authority ?? null, basePath: n.basePath, bootnodes: this.nodes.filter((x) => x.name !== name).map((x) => x.addr) });
  }

  running(): NetNode[] {
    return this.nodes.filter((n) => n.node.db.isOpen);
  }

  async close(): Promise<void> {
    for (const n of this.nodes) await n.node.stop().catch(() => undefined);
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
  }
}

/** Polls `cond` on every chain event (and every 200 ms) until it holds; rejects after `timeoutMs`. */
export function waitUntil(cond: () => boolean, timeoutMs: number, what: string | (() => string), nodes: NetNode[] = []): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false;
    const chains = nodes.map((n) => n.node.chain);
    const check = () => {
      if (done) return;
      let ok = false;
      try {
        ok = cond();
      } catch {
        ok = false;
      }
      if (!ok) return;
      done = true;
      cleanup();
      resolve();
    };
    const interval = setInterval(check, 200);
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      cleanup();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === "string" ? what : what()}`));
    }, timeoutMs);
    const cleanup = () => {
      clearInterval(interval);
      clearTimeout(timer);
      for (const c of chains) {
        c.off("imported", check);
        c.off("finalized", check);
      }
    };
    for (const c of chains) {
      c.on("imported", check);
      c.on("finalized", check);
    }
    check();
  });
}

/** Every node's canonical chain agrees up to block `n`. */
export function sameChainUpTo(nodes: NetNode[], n: number): boolean {
  for (let i = 1; i <= n; i++) {
    const first = nodes[0].node.chain.hashAt(i);
    if (!first) return false;
    for (const x of nodes.slice(1)) {
      const h = x.node.chain.hashAt(i);
      if (!h || !bytesEqual(h, first)) return false;
    }
  }
  return true;
}

export function describeHeads(nodes: NetNode[]): string {
  return nodes
    .map((n) => `${n.name}: best #${n.node.chain.best.number} ${toHex(n.node.chain.best.hash).slice(0, 10)} finalized #${n.node.chain.finalized.number} peers ${n.node.network?.peerCount ?? "-"}`)
    .join("; ");
}
