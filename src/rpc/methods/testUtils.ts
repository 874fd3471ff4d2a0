/**
 * Test support for the RPC method handlers: a real chain (dev spec, LevelDB in a temp dir, pool),
 * the handlers registered on a real RpcRegistry, in-process `call`/`subscribe` that go through the
 * registry's parameter specs exactly as the server does, block production, and //Alice-style
 * signing of extrinsics the way polkadot-js builds them. Used only by *.test.ts files.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { ChainDb } from "../../chain/db/chainDb.js";
import { Blockchain, type ImportedBlock } from "../../chain/blockchain/blockchain.js";
import { TxPool } from "../../chain/txpool/txpool.js";
import { buildGenesis } from "../../chain/genesis.js";
import { devChainSpec, type ChainSpec } from "../../chain/spec.js";
import { getRuntime } from "../../chain/runtime/index.js";
import { buildMetadata, type BuiltMetadata } from "../../chain/runtime/metadata.js";
import { RUNTIME_APIS } from "../../chain/runtime/apis.js";
import { initCrypto, verifySignature } from "../../chain/signatures/verify.js";
import { encodeAdditional, encodeExtra, encodeSignedExtrinsic, encodeUnsignedExtrinsic, signingMessage } from "../../chain/codec/extrinsic.js";
import { eraBirth, type EraValue } from "../../chain/codec/types.js";
import { bytes, fixedBytes, tuple, vec, type EnumValue } from "../../chain/codec/scale.js";
import { Account, BlockHash } from "../../chain/runtime/pallets/system.js";
import { silentLogger } from "../../util/logger.js";
import { RpcError, type RpcErrorObject } from "../errors.js";
import { parseParams } from "../params.js";
import { RpcRegistry, type RpcContext, type SubscriptionSink } from "../registry.js";
import { registerAll } from "./index.js";
import type { NodeInfo, RpcServices } from "./services.js";

export const TEST_CTX: RpcContext = { connectionId: "test", transport: "ws", isLocal: true };

let metadataCache: BuiltMetadata | undefined;
/** The node's real metadata (built once per test process: it takes about half a second). */
export function testMetadata(): BuiltMetadata {
  metadataCache ??= buildMetadata(getRuntime(), RUNTIME_APIS);
  return metadataCache;
}

/** Justifications as the finality gadget stores them: Vec<(engine id, bytes)>. */
export const TestJustifications = vec(tuple(fixedBytes(4), bytes));
export const TEST_ENGINE = new TextEncoder().encode("stfn");

export type CallResult = { result: unknown; error?: undefined } | { error: RpcErrorObject; result?: undefined };

/** Calls a method (or alias) through the registry, parsing params as the server does. */
export async function call(registry: RpcRegistry, method: string, params: unknown = []): Promise<CallResult> {
  const entry = registry.lookup(method);
  if (!entry) return { error: { code: -32601, message: "Method not found" } };
  if (entry.kind !== "method") throw new Error(`${method} is not a plain method`);
  try {
    const parsed = entry.def.params ? parseParams(entry.def.params, params) : (params as unknown[]);
    const result = await entry.def.handler(parsed, TEST_CTX);
    // round-trip through JSON, as the wire does (undefined → null)
    return { result: JSON.parse(JSON.stringify(result === undefined ? null : result)) };
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
  notifications: unknown[];
  closed: boolean;
  /** What unsubscribe (or a closed socket) does. */
  unsubscribe(): void;
  /** Resolves when `n` notifications have arrived (or rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<unknown[]>;
  /** Resolves when the server side has closed the subscription. */
  waitClosed(timeoutMs?: number): Promise<void>;
}

/** Starts a subscription through the registry; an error thrown by `start` is returned instead. */
export async function subscribe(registry: RpcRegistry, method: string, params: unknown = []): Promise<TestSubscription | { error: RpcErrorObject }> {
  const entry = registry.lookup(method);
  if (!entry || entry.kind !== "subscribe") throw new Error(`${method} is not a subscription`);
  const notifications: unknown[] = [];
  const waiters: Array<() => void> = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  let handle: { stop(): void } | undefined;
  let stopped = false;
  const sub: TestSubscription = {
    notifications,
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
    emit(result) {
      if (sub.closed) return;
      notifications.push(JSON.parse(JSON.stringify(result)));
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

export interface SignOptions {
  nonce?: number;
  tip?: bigint;
  era?: EraValue;
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

/** A real dev chain with every RPC handler registered. */
export class TestNode {
  readonly runtime = getRuntime();
  readonly keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
  readonly alice: KeyringPair;
  readonly bob: KeyringPair;
  readonly charlie: KeyringPair;
  readonly registry = new RpcRegistry();
  readonly services: RpcServices;
  private slot = 1n;

  private constructor(
    readonly dir: string,
    readonly spec: ChainSpec,
    readonly db: ChainDb,
    readonly chain: Blockchain,
    readonly pool: TxPool,
    metadata: BuiltMetadata,
  ) {
    this.alice = this.keyring.addFromUri("//Alice");
    this.bob = this.keyring.addFromUri("//Bob");
    this.charlie = this.keyring.addFromUri("//Charlie");
    this.services = { chain, pool, runtime: this.runtime, metadata, spec, node: testNodeInfo() };
    registerAll(this.registry, this.services);
  }

  static async create(opts: { metadata?: boolean; spec?: ChainSpec } = {}): Promise<TestNode> {
    await cryptoWaitReady();
    await initCrypto();
    const spec = opts.spec ?? (await devChainSpec());
    const dir = mkdtempSync(join(tmpdir(), "subtensor-ts-rpc-"));
    const db = await ChainDb.open(join(dir, "db"));
    const chain = await Blockchain.open(
      { db, runtime: getRuntime(), logger: silentLogger(), verifyBatch: async (jobs) => jobs.map(verifySignature) },
      buildGenesis(spec),
    );
    const pool = new TxPool(chain, verifySignature, silentLogger());
    const metadata = opts.metadata === false ? { v14: new Uint8Array(), v15: new Uint8Array() } : testMetadata();
    return new TestNode(dir, spec, db, chain, pool, metadata);
  }

  async close(): Promise<void> {
    await this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
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

  encodeCall(pallet: string, callName: string, args: Record<string, unknown> = {}): Uint8Array {
    return this.runtime.callCodec.encode({ tag: pallet, value: { tag: callName, value: args } } as EnumValue);
  }

  nonceOf(pair: KeyringPair): number {
    return Account.get(this.chain.bestState(), pair.publicKey).nonce;
  }

  /** A signed extrinsic for the next block, built as polkadot-js builds it. */
  sign(pair: KeyringPair, callBytes: Uint8Array, o: SignOptions = {}): Uint8Array {
    const nonce = o.nonce ?? this.nonceOf(pair);
    const tip = o.tip ?? 0n;
    const era = o.era ?? null;
    const current = this.chain.best.number + 1;
    const { genesisHash, specVersion, transactionVersion } = this.chain.chainIdentity;
    let eraBlockHash = genesisHash;
    if (era) {
      const birth = eraBirth(era, current);
      eraBlockHash = birth === 0 ? genesisHash : birth === current - 1 ? this.chain.best.hash : BlockHash.get(this.chain.bestState(), birth);
    }
    const msg = signingMessage(callBytes, encodeExtra(era, nonce, tip), encodeAdditional({ specVersion, transactionVersion, genesisHash, eraBlockHash }));
    const tag = pair.type === "ed25519" ? "Ed25519" : "Sr25519";
    return encodeSignedExtrinsic(pair.publicKey, { tag, value: pair.sign(msg) }, { era, nonce, tip }, callBytes);
  }

  transfer(from: KeyringPair, to: Uint8Array, value: bigint, o: SignOptions = {}): Uint8Array {
    return this.sign(from, this.encodeCall("Balances", "transfer_keep_alive", { dest: { tag: "Id", value: to }, value }), o);
  }

  timestampInherent(slot: bigint): Uint8Array {
    return encodeUnsignedExtrinsic(this.encodeCall("Timestamp", "set", { now: slot * BigInt(this.spec.consensus.slotDurationMs) }));
  }

  justification(): Uint8Array {
    return TestJustifications.encode([[TEST_ENGINE, new Uint8Array([1, 2, 3])]]);
  }

  /** Builds and commits the next block on `parent` (default: best); `finalize` attaches a justification. */
  async produce(extrinsics: Uint8Array[] = [], o: { finalize?: boolean; parent?: ImportedBlock | { hash: Uint8Array } } = {}): Promise<ImportedBlock> {
    const slot = this.slot++;
    const parent = o.parent ? this.chain.headInfo(o.parent.hash) : this.chain.best;
    const executed = this.chain.execute(parent, { number: parent.number + 1, digest: [] }, [this.timestampInherent(slot), ...extrinsics], { build: true });
    return this.chain.commitOwn(executed, o.finalize ? this.justification() : undefined);
  }
}
