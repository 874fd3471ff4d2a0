/**
 * Test support for the RPC method handlers: a real chain (dev spec, LevelDB in a temp dir, pool),
 * the handlers registered on a real RpcRegistry, in-process `call`/`subscribe` that go through the
 * registry's parameter specs exactly as the server does, block production, and //Alice-style
 * signing of extrinsics the way polkadot-js builds them. Used only by *.test.ts files.
 */
import { ChainHarness, openChainParts, sharedRuntime, type ChainParts } from "./chainHarness.js";
import { devChainSpec, type ChainSpec } from "../../src/chain/spec.js";
import { buildMetadata, type BuiltMetadata } from "../../src/chain/runtime/metadata.js";
import { runtimeApiDecls } from "../../src/chain/runtime/api/index.js";
import type { RuntimeDefinition } from "../../src/chain/runtime/frame/runtime.js";
import { RpcError, type RpcErrorObject } from "../../src/rpc/errors.js";
import { parseParams } from "../../src/rpc/params.js";
import { RpcRegistry, isAfterReply, type RpcContext, type SubscriptionSink } from "../../src/rpc/registry.js";
import { registerAll } from "../../src/rpc/methods/index.js";
import type { NodeInfo, RpcServices } from "../../src/rpc/methods/services.js";
import { Keystore } from "../../src/keystore/keystore.js";

export const TEST_CTX: RpcContext = { connectionId: "test", transport: "ws", isLocal: true };

const metadataCache = new WeakMap<RuntimeDefinition, BuiltMetadata>();
/** The node's real metadata for a runtime (built once per runtime: it takes about half a second). */
export function testMetadata(runtime?: RuntimeDefinition): BuiltMetadata {
  const r = runtime ?? sharedRuntime({ chainType: "Development", consensus: { slotDurationMs: 12_000 } } as ChainSpec);
  let m = metadataCache.get(r);
  if (!m) metadataCache.set(r, (m = buildMetadata(r, runtimeApiDecls(r))));
  return m;
}


export type CallResult = { result: unknown; error?: undefined } | { error: RpcErrorObject; result?: undefined };

/** Calls a method (or alias) through the registry, parsing params as the server does. */
export async function call(registry: RpcRegistry, method: string, params: unknown = []): Promise<CallResult> {
  const entry = registry.lookup(method);
  if (!entry) return { error: { code: -32601, message: "Method not found" } };
  if (entry.kind !== "method") throw new Error(`${method} is not a plain method`);
  try {
    const parsed = entry.def.params ? parseParams(entry.def.params, params) : (params as unknown[]);
    const raw = await entry.def.handler(parsed, TEST_CTX);
    const result = isAfterReply(raw) ? raw.value : raw;
    // round-trip through JSON, as the wire does (undefined → null)
    const reply = { result: JSON.parse(JSON.stringify(result === undefined ? null : result)) };
    // what the server does once the reply is written (e.g. a chainHead operation's events)
    if (isAfterReply(raw)) raw.run();
    return reply;
  } catch (e) {
    if (e instanceof RpcError) return { error: e.toJSON() };
    throw e;
  }
}

/** Like `call`, but returns the result and fails the test on an error. */
export async function callOk(registry: RpcRegistry, method: string, params: unknown = []): Promise<any> {
  const r = await call(registry, method, params);
  if (r.error) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
  return r.result;
}

export interface TestSubscription {
  /** The subscription id (what chainHead_v1_* methods take as `followSubscription`). */
  id: string;
  /** What the sink reports as the connection's unsent bytes; tests raise it to act as a slow client. */
  bufferedBytes: number;
  notifications: unknown[];
  /** when each notification arrived (performance.now(), ms) */
  arrivals: number[];
  closed: boolean;
  /** What unsubscribe (or a closed socket) does. */
  unsubscribe(): void;
  /** Resolves when `n` notifications have arrived (or rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<unknown[]>;
  /** Resolves when the server side has closed the subscription. */
  waitClosed(timeoutMs?: number): Promise<void>;
}

let nextSubId = 0;

/** Starts a subscription through the registry; an error thrown by `start` is returned instead. */
export async function subscribe(registry: RpcRegistry, method: string, params: unknown = []): Promise<TestSubscription | { error: RpcErrorObject }> {
  const entry = registry.lookup(method);
  if (!entry || entry.kind !== "subscribe") throw new Error(`${method} is not a subscription`);
  const notifications: unknown[] = [];
  const arrivals: number[] = [];
  const waiters: Array<() => void> = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  let handle: { stop(): void } | undefined;
  let stopped = false;
  const sub: TestSubscription = {
    id: `test-sub-${++nextSubId}`,
    bufferedBytes: 0,
    notifications,
    arrivals,
    closed: false,
    unsubscribe() {
      if (stopped) return;
      stopped = true;
      sub.closed = true;
      handle?.stop();
      wake();
    },
    waitFor(n, timeoutMs = 5000) {
      return waitUntil(() => notifications.length >= n, timeoutMs, () => `${method}: ${notifications.length} of ${n} notifications: ${JSON.stringify(notifications)}`).then(() => notifications);
    },
    waitClosed(timeoutMs = 5000) {
      return waitUntil(() => sub.closed, timeoutMs, () => `${method}: not closed`);
    },
  };
  function waitUntil(cond: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (cond()) {
          clearTimeout(timer);
          resolve();
        } else waiters.push(check);
      };
      const timer = setTimeout(() => reject(new Error(`timeout: ${what()}`)), timeoutMs);
      check();
    });
  }
  const sink: SubscriptionSink = {
    get id() {
      return sub.id;
    },
    get bufferedBytes() {
      return sub.bufferedBytes;
    },
    emit(result) {
      if (sub.closed) return;
      notifications.push(JSON.parse(JSON.stringify(result)));
      arrivals.push(performance.now());
      wake();
    },
    close() {
      if (sub.closed) return;
      sub.unsubscribe();
    },
    get closed() {
      return sub.closed;
    },
  };
  try {
    const parsed = entry.def.params ? parseParams(entry.def.params, params) : (params as unknown[]);
    handle = await entry.def.start(parsed, sink, TEST_CTX);
    if (sub.closed) handle.stop();
  } catch (e) {
    if (e instanceof RpcError) return { error: e.toJSON() };
    throw e;
  }
  return sub;
}

export const testNodeInfo = (): NodeInfo => ({
  name: "subtensor-ts",
  version: "0.1.0-test",
  roles: ["Authority"],
  peers: () => 0,
  isSyncing: () => false,
  localPeerId: () => "12D3KooWTest",
  listenAddresses: () => ["/ip4/127.0.0.1/tcp/30333/p2p/12D3KooWTest"],
});

/** A real dev chain (the shared test harness) with every RPC handler registered. */
export class TestNode extends ChainHarness {
  readonly registry = new RpcRegistry();
  readonly services: RpcServices;

  private constructor(parts: ChainParts, metadata: BuiltMetadata) {
    super(parts);
    // an in-memory keystore: author_* key methods and SessionKeys work, nothing touches the disk
    this.services = { chain: this.chain, pool: this.pool, runtime: this.runtime, metadata, spec: this.spec, node: testNodeInfo(), keystore: new Keystore() };
    registerAll(this.registry, this.services);
  }

  static override async create(opts: { metadata?: boolean; spec?: ChainSpec } | ChainSpec = {}): Promise<TestNode> {
    const o = "consensus" in opts ? { spec: opts as ChainSpec } : (opts as { metadata?: boolean; spec?: ChainSpec });
    const parts = await openChainParts(o.spec);
    const metadata = o.metadata === false ? { v14: new Uint8Array(), v15: new Uint8Array() } : testMetadata(parts.chain.executive.runtime);
    return new TestNode(parts, metadata);
  }

  call(method: string, params: unknown = []): Promise<CallResult> {
    return call(this.registry, method, params);
  }

  callOk(method: string, params: unknown = []): Promise<any> {
    return callOk(this.registry, method, params);
  }

  async subscribe(method: string, params: unknown = []): Promise<TestSubscription> {
    const s = await subscribe(this.registry, method, params);
    if ("error" in s) throw new Error(`${method} refused: ${JSON.stringify(s.error)}`);
    return s;
  }
}
