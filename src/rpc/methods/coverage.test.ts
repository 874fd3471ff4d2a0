/**
 * Every name `rpc_methods` lists is called here, over a real WebSocket to a real server in front of
 * a real dev chain, with valid parameters: methods answer (with a result, or with the clear error
 * their table entry names), subscriptions give an id and their unsubscribe names end them.
 *
 * The table must cover `rpc_methods` exactly: a method added without an entry here fails the test.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { once } from "node:events";
import WebSocket from "ws";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import { Account } from "../../chain/runtime/pallets/system.js";
import { toHex } from "../../util/bytes.js";
import { silentLogger } from "../../util/logger.js";
import { RpcServer } from "../server.js";
import { TestNode } from "../../../test/utils/rpcHarness.js";

type Reply = { result?: unknown; error?: { code: number; message: string } };

class WsClient {
  private nextId = 1;
  private readonly waiting = new Map<number, (r: Reply) => void>();
  private constructor(private readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const msg = JSON.parse(data.toString());
      if (typeof msg.id === "number") this.waiting.get(msg.id)?.(msg);
    });
  }
  static async open(url: string): Promise<WsClient> {
    const ws = new WebSocket(url);
    await once(ws, "open");
    return new WsClient(ws);
  }
  call(method: string, params: unknown[] = []): Promise<Reply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.ws.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
    });
  }
  close(): void {
    this.ws.close();
  }
}

/** What a table entry expects: a result (optionally checked), or an error with this code. */
type Expectation = { error: number } | { check?: (result: any) => void };

interface Entry {
  params?: () => unknown[];
  expect?: Expectation;
  /** For a subscription: its unsubscribe names (each is called with a fresh subscription id). */
  unsubscribe?: string[];
  /** What those unsubscribe names answer: jsonrpsee's `true` unless the method's spec says otherwise (the new interface: null). */
  unsubscribeResult?: unknown;
}

let node: TestNode;
let server: RpcServer;
let client: WsClient;
let best: string;
let genesis: string;
const keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
let dave: KeyringPair;
let eve: KeyringPair;
let ferdie: KeyringPair;
let rotated = "";
/** a chainHead_v1_follow subscription of `client`, for the chainHead_v1_* methods */
let followId = "";
let charlieNonce = 0;

beforeAll(async () => {
  node = await TestNode.create();
  await node.produce([]);
  dave = keyring.addFromUri("//Dave");
  eve = keyring.addFromUri("//Eve");
  ferdie = keyring.addFromUri("//Ferdie");
  server = new RpcServer({ host: "127.0.0.1", port: 0, rpcMethods: "auto" }, { registry: node.registry, logger: silentLogger() });
  const { port } = await server.start();
  client = await WsClient.open(`ws://127.0.0.1:${port}`);
  best = toHex(node.chain.best.hash);
  genesis = toHex(node.chain.genesisHash);
  followId = (await client.call("chainHead_v1_follow", [true])).result as string;
});

afterAll(async () => {
  client?.close();
  await server?.stop();
  await node?.close();
});

const transfer = (from: KeyringPair) => toHex(node.transfer(from, node.bob.publicKey, 1_000_000_000n));
const accountKey = () => toHex(Account.key(node.alice.publicKey));
const accountPrefix = () => toHex(Account.key().subarray(0, 32));
const notSupported = { error: 4003 };
/** a fresh valid transaction each call (Charlie's next nonces: ready, then future) */
const charlieTransfer = () => toHex(node.transfer(node.charlie, node.bob.publicKey, 1_000_000_000n, { nonce: charlieNonce++ }));
const started = (r: any) => expect(r).toMatchObject({ result: "started", operationId: expect.any(String) });
const childArgs = () => ["0x3a6368696c645f73746f726167653a64656661756c743a6b6579", "0x00"];

const TABLE: Record<string, Entry> = {
  rpc_methods: { expect: { check: (r) => expect(r.methods.length).toBeGreaterThan(50) } },
  // ---- author
  author_submitExtrinsic: { params: () => [transfer(dave)], expect: { check: (r) => expect(r).toMatch(/^0x[0-9a-f]{64}$/) } },
  author_pendingExtrinsics: { expect: { check: (r) => expect(Array.isArray(r)).toBe(true) } },
  author_removeExtrinsic: {
    params: () => [[{ extrinsic: transfer(ferdie) }]],
    // Ferdie's transfer was never submitted: nothing to remove
    expect: { check: (r) => expect(r).toEqual([]) },
  },
  author_submitAndWatchExtrinsic: { params: () => [transfer(eve)], unsubscribe: ["author_unwatchExtrinsic"] },
  author_rotateKeys: { expect: { check: (r) => ((rotated = r), expect(r).toMatch(/^0x[0-9a-f]{128}$/)) } },
  author_insertKey: { params: () => ["aura", "//Inserted", toHex(keyring.addFromUri("//Inserted").publicKey)], expect: { check: (r) => expect(r).toBeNull() } },
  author_hasKey: { params: () => [toHex(keyring.addFromUri("//Alice").publicKey), "aura"], expect: { check: (r) => expect(typeof r).toBe("boolean") } },
  author_hasSessionKeys: { params: () => [rotated || "0x" + "00".repeat(64)], expect: { check: (r) => expect(typeof r).toBe("boolean") } },
  // ---- chain
  chain_getBlock: { params: () => [best], expect: { check: (r) => expect(r.block.header.number).toBe("0x1") } },
  chain_getBlockHash: { params: () => [0], expect: { check: (r) => expect(r).toBe(genesis) } },
  chain_getHead: { expect: { check: (r) => expect(r).toMatch(/^0x/) } },
  chain_getFinalizedHead: { expect: { check: (r) => expect(r).toMatch(/^0x/) } },
  chain_getFinalisedHead: { expect: { check: (r) => expect(r).toMatch(/^0x/) } },
  chain_getHeader: { params: () => [genesis], expect: { check: (r) => expect(r.number).toBe("0x0") } },
  chain_getRuntimeVersion: { expect: { check: (r) => expect(r.specName).toBe("node-subtensor") } },
  chain_subscribeAllHeads: { unsubscribe: ["chain_unsubscribeAllHeads"] },
  chain_subscribeNewHeads: { unsubscribe: ["chain_unsubscribeNewHeads", "chain_unsubscribeNewHead", "unsubscribe_newHead"] },
  chain_subscribeNewHead: { unsubscribe: ["chain_unsubscribeNewHeads"] },
  subscribe_newHead: { unsubscribe: ["unsubscribe_newHead"] },
  chain_subscribeFinalizedHeads: { unsubscribe: ["chain_unsubscribeFinalizedHeads", "chain_unsubscribeFinalisedHeads"] },
  chain_subscribeFinalisedHeads: { unsubscribe: ["chain_unsubscribeFinalisedHeads"] },
  chain_subscribeRuntimeVersion: { unsubscribe: ["chain_unsubscribeRuntimeVersion"] },
  // ---- child state: not supported
  childstate_getKeys: { params: childArgs, expect: notSupported },
  childstate_getKeysPaged: { params: () => [...childArgs(), 10], expect: notSupported },
  childstate_getKeysPagedAt: { params: () => [...childArgs(), 10], expect: notSupported },
  childstate_getStorage: { params: childArgs, expect: notSupported },
  childstate_getStorageEntries: { params: () => [childArgs()[0], ["0x00"]], expect: notSupported },
  childstate_getStorageHash: { params: childArgs, expect: notSupported },
  childstate_getStorageSize: { params: childArgs, expect: notSupported },
  state_getChildKeys: { params: () => ["0x00", "0x00", 1, "0x00"], expect: notSupported },
  state_getChildReadProof: { params: () => [childArgs()[0], ["0x00"]], expect: notSupported },
  state_getChildStorage: { params: () => ["0x00", "0x00", 1, "0x00"], expect: notSupported },
  state_getChildStorageHash: { params: () => ["0x00", "0x00", 1, "0x00"], expect: notSupported },
  state_getChildStorageSize: { params: () => ["0x00", "0x00", 1, "0x00"], expect: notSupported },
  state_traceBlock: { params: () => [best, null, null, null], expect: notSupported },
  // ---- offchain: not supported
  offchain_localStorageGet: { params: () => ["PERSISTENT", "0x00"], expect: { error: 5001 } },
  offchain_localStorageSet: { params: () => ["PERSISTENT", "0x00", "0x01"], expect: { error: 5001 } },
  offchain_localStorageClear: { params: () => ["PERSISTENT", "0x00"], expect: { error: 5001 } },
  // ---- Subtensor custom RPCs
  delegateInfo_getDelegates: { expect: { check: (r) => expect(r).toEqual([0]) } },
  delegateInfo_getDelegate: { params: () => [Array.from(node.bob.publicKey)], expect: { check: (r) => expect(r).toEqual([]) } },
  delegateInfo_getDelegated: { params: () => [Array.from(node.bob.publicKey)], expect: { check: (r) => expect(r).toEqual([0]) } },
  neuronInfo_getNeurons: { params: () => [1], expect: { check: (r) => expect(r[0]).toBe(4) } }, // one neuron: Compact(1)
  neuronInfo_getNeuron: { params: () => [1, 0], expect: { check: (r) => expect(r.length).toBeGreaterThan(64) } },
  neuronInfo_getNeuronsLite: { params: () => [1, best], expect: { check: (r) => expect(r[0]).toBe(4) } },
  neuronInfo_getNeuronLite: { params: () => [1, 0], expect: { check: (r) => expect(r.length).toBeGreaterThan(64) } },
  subnetInfo_getSubnetInfo: { params: () => [1], expect: { check: (r) => expect(r[0]).toBe(4) } }, // netuid Compact(1)
  subnetInfo_getSubnetsInfo: { expect: { check: (r) => expect(r[0]).toBe(8) } }, // two subnets
  subnetInfo_getSubnetInfo_v2: { params: () => [1], expect: { check: (r) => expect(r[r.length - 1]).toBe(0) } }, // identity None
  subnetInfo_getSubnetsInf_v2: { expect: { check: (r) => expect(r[0]).toBe(8) } },
  subnetInfo_getSubnetHyperparams: { params: () => [1], expect: { check: (r) => expect(r.length).toBeGreaterThan(20) } },
  subnetInfo_getLockCost: { expect: { check: (r) => expect(r).toBe(10_000_000_000) } },
  // ---- payment
  payment_queryInfo: { params: () => [transfer(node.charlie)], expect: { check: (r) => expect(r.class).toBe("normal") } },
  payment_queryFeeDetails: { params: () => [transfer(node.charlie)], expect: { check: (r) => expect(r.inclusionFee.lenFee).toBeGreaterThan(0) } },
  // ---- state
  state_call: { params: () => ["Core_version", "0x"], expect: { check: (r) => expect(r).toMatch(/^0x/) } },
  state_callAt: { params: () => ["AccountNonceApi_account_nonce", toHex(node.alice.publicKey), genesis], expect: { check: (r) => expect(r).toBe("0x00000000") } },
  state_getKeys: { params: () => [accountPrefix()], expect: { check: (r) => expect(r).toContain(accountKey()) } },
  state_getKeysPaged: { params: () => [accountPrefix(), 2], expect: { check: (r) => expect(r).toHaveLength(2) } },
  state_getKeysPagedAt: { params: () => [accountPrefix(), 2, null, genesis], expect: { check: (r) => expect(r).toHaveLength(2) } },
  state_getPairs: { params: () => [accountKey()], expect: { check: (r) => expect(r[0][0]).toBe(accountKey()) } },
  state_getMetadata: { expect: { check: (r) => expect(r).toMatch(/^0x6d657461/) } },
  state_getReadProof: { params: () => [[accountKey()]], expect: { check: (r) => expect(r.proof.length).toBeGreaterThan(0) } },
  state_getRuntimeVersion: { params: () => [genesis], expect: { check: (r) => expect(r.apis.length).toBe(17) } },
  state_getStorage: { params: () => [accountKey()], expect: { check: (r) => expect(r).toMatch(/^0x/) } },
  state_getStorageAt: { params: () => [accountKey(), genesis], expect: { check: (r) => expect(r).toMatch(/^0x/) } },
  state_getStorageHash: { params: () => [accountKey()], expect: { check: (r) => expect(r).toMatch(/^0x[0-9a-f]{64}$/) } },
  state_getStorageHashAt: { params: () => [accountKey(), genesis], expect: { check: (r) => expect(r).toMatch(/^0x[0-9a-f]{64}$/) } },
  state_getStorageSize: { params: () => [accountKey()], expect: { check: (r) => expect(r).toBe(56) } }, // AccountInfo: 4 × u32 + 3 × u64 (u64 balances) + u128 flags
  state_getStorageSizeAt: { params: () => [accountKey(), genesis], expect: { check: (r) => expect(r).toBe(56) } },
  state_queryStorage: { params: () => [[accountKey()], genesis, best], expect: { check: (r) => expect(r[0].block).toBe(genesis) } },
  state_queryStorageAt: { params: () => [[accountKey()]], expect: { check: (r) => expect(r[0].changes[0][0]).toBe(accountKey()) } },
  state_subscribeRuntimeVersion: { unsubscribe: ["state_unsubscribeRuntimeVersion", "chain_unsubscribeRuntimeVersion"] },
  state_subscribeStorage: { params: () => [[accountKey()]], unsubscribe: ["state_unsubscribeStorage"] },
  // ---- system
  system_accountNextIndex: { params: () => [node.alice.address], expect: { check: (r) => expect(typeof r).toBe("number") } },
  account_nextIndex: { params: () => [node.bob.address], expect: { check: (r) => expect(typeof r).toBe("number") } },
  system_chain: { expect: { check: (r) => expect(r).toBe("Development") } },
  system_chainType: { expect: { check: (r) => expect(r).toBe("Development") } },
  system_dryRun: { params: () => [transfer(node.charlie)], expect: { check: (r) => expect(r).toBe("0x0000") } },
  system_dryRunAt: { params: () => [transfer(node.charlie), best], expect: { check: (r) => expect(r).toBe("0x0000") } },
  system_health: { expect: { check: (r) => expect(r).toEqual({ peers: 0, isSyncing: false, shouldHavePeers: false }) } },
  system_localListenAddresses: { expect: { check: (r) => expect(Array.isArray(r)).toBe(true) } },
  system_localPeerId: { expect: { check: (r) => expect(typeof r).toBe("string") } },
  system_name: { expect: { check: (r) => expect(r).toBe("subtensor-ts") } },
  system_nodeRoles: { expect: { check: (r) => expect(Array.isArray(r)).toBe(true) } },
  system_peers: { expect: { check: (r) => expect(Array.isArray(r)).toBe(true) } },
  // this harness has no network: reserved-peer changes say so (networking is covered by test/integration/network.test.ts)
  system_addReservedPeer: { params: () => ["/ip4/127.0.0.1/tcp/30333/p2p/12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp"], expect: { error: 2000 } },
  system_removeReservedPeer: { params: () => ["12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp"], expect: { error: 2000 } },
  // ---- grandpa (no voter in this harness: Substrate's "endpoint not ready"; no justification stored yet)
  grandpa_roundState: { expect: { error: 1 } },
  grandpa_proveFinality: { params: () => [0], expect: { error: 4 } },
  grandpa_subscribeJustifications: { unsubscribe: ["grandpa_unsubscribeJustifications"] },
  system_properties: { expect: { check: (r) => expect(r.tokenSymbol).toBe("TAO") } },
  system_syncState: { expect: { check: (r) => expect(typeof r.currentBlock).toBe("number") } },
  system_version: { expect: { check: (r) => expect(typeof r).toBe("string") } },
  // ---- the new JSON-RPC interface (event shapes: src/rpc/chainHead/*.test.ts, polkadot-api: test/e2e/papi.test.ts)
  chainHead_v1_follow: { params: () => [false], unsubscribe: ["chainHead_v1_unfollow"], unsubscribeResult: null },
  chainHead_v1_header: { params: () => [followId, best], expect: { check: (r) => expect(r).toMatch(/^0x[0-9a-f]{64}04/) } },
  chainHead_v1_body: { params: () => [followId, best], expect: { check: started } },
  chainHead_v1_call: { params: () => [followId, best, "Core_version", "0x"], expect: { check: started } },
  chainHead_v1_storage: { params: () => [followId, best, [{ key: accountKey(), type: "value" }], null], expect: { check: (r) => (started(r), expect(r.discardedItems).toBe(0)) } },
  // an operation id this subscription never gave: no effect
  chainHead_v1_continue: { params: () => [followId, "none"], expect: { check: (r) => expect(r).toBeNull() } },
  chainHead_v1_stopOperation: { params: () => [followId, "none"], expect: { check: (r) => expect(r).toBeNull() } },
  // genesis is the finalized block `initialized` reported (pinned)
  chainHead_v1_unpin: { params: () => [followId, genesis], expect: { check: (r) => expect(r).toBeNull() } },
  chainSpec_v1_chainName: { expect: { check: (r) => expect(r).toBe("Development") } },
  chainSpec_v1_genesisHash: { expect: { check: (r) => expect(r).toBe(genesis) } },
  chainSpec_v1_properties: { expect: { check: (r) => expect(r).toEqual({ ss58Format: 42, tokenDecimals: 9, tokenSymbol: "TAO" }) } },
  transaction_v1_broadcast: { params: () => [charlieTransfer()], expect: { check: (r) => expect(typeof r).toBe("string") } },
  transaction_v1_stop: { params: () => ["not-an-operation"], expect: { error: -32602 } },
  transactionWatch_v1_submitAndWatch: { params: () => [charlieTransfer()], unsubscribe: ["transactionWatch_v1_unwatch"], unsubscribeResult: null },
  archive_v1_body: { params: () => [best], expect: { check: (r) => expect(r).toHaveLength(1) } }, // the timestamp inherent
  archive_v1_call: { params: () => [best, "Core_version", "0x"], expect: { check: (r) => expect(r.success).toBe(true) } },
  archive_v1_finalizedHeight: { expect: { check: (r) => expect(r).toBe(0) } },
  archive_v1_genesisHash: { expect: { check: (r) => expect(r).toBe(genesis) } },
  archive_v1_hashByHeight: { params: () => [1], expect: { check: (r) => expect(r).toEqual([best]) } },
  archive_v1_header: { params: () => [best], expect: { check: (r) => expect(r).toMatch(/^0x[0-9a-f]{64}04/) } },
  archive_v1_storage: { params: () => [best, [{ key: accountKey(), type: "value" }], null], unsubscribe: ["archive_v1_stopStorage"], unsubscribeResult: null },
};

/** Names that are only unsubscribe names (called through their subscription's entry). */
function unsubscribeNames(): Set<string> {
  return new Set(Object.values(TABLE).flatMap((e) => e.unsubscribe ?? []));
}

describe("every method in rpc_methods", () => {
  it("has an entry in this table (and the table names nothing else)", async () => {
    const listed = (await client.call("rpc_methods")).result as { methods: string[] };
    const covered = new Set([...Object.keys(TABLE), ...unsubscribeNames()]);
    expect(listed.methods.filter((m) => !covered.has(m))).toEqual([]);
    expect([...covered].filter((m) => !listed.methods.includes(m))).toEqual([]);
  });

  for (const [name, entry] of Object.entries(TABLE)) {
    it(name, async () => {
      const reply = await client.call(name, entry.params?.() ?? []);
      if (entry.unsubscribe) {
        expect(reply.error).toBeUndefined();
        expect(typeof reply.result).toBe("string");
        for (const unsub of entry.unsubscribe) {
          const again = await client.call(name, entry.params?.() ?? []);
          // a watched extrinsic can only be submitted once: unwatch the first subscription instead
          const id = (again.result as string | undefined) ?? (reply.result as string);
          expect((await client.call(unsub, [id])).result).toBe("unsubscribeResult" in entry ? entry.unsubscribeResult : true);
        }
        return;
      }
      const e = entry.expect;
      if (e && "error" in e) {
        expect(reply.error?.code).toBe(e.error);
        return;
      }
      expect(reply.error).toBeUndefined();
      e?.check?.(reply.result);
    });
  }
});
