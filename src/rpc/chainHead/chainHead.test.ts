/**
 * chainHead_v1_* against the spec's JSON (paritytech/json-rpc-interface-spec, src/api/chainHead_v1_*.md),
 * over a real WebSocket to a real server in front of a real dev chain: event and result shapes,
 * the order of replies and operation events, error codes, the limits (follows per connection,
 * operations in flight, pinned blocks, slow followers), storage paging of a large prefix, and a
 * reorg seen through chainHead (pruned blocks stay readable while pinned).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Keyring } from "@polkadot/keyring";
import { encodeHeader } from "../../chain/codec/block.js";
import { Account } from "../../chain/runtime/pallets/system.js";
import { toHex } from "../../util/bytes.js";
import { blake2_256 } from "../../util/hash.js";
import { silentLogger } from "../../util/logger.js";
import { registerAll } from "../methods/index.js";
import { RpcRegistry } from "../registry.js";
import { callRuntime } from "../runtimeCalls.js";
import { RpcServer } from "../server.js";
import { TestNode, subscribe, type TestSubscription } from "../../../test/utils/rpcHarness.js";
import { RawWsClient } from "../../../test/utils/rawWsClient.js";

const OPTIONS = { storagePageItems: 10, maxStalePinnedBlocks: 8 };

let node: TestNode;
let registry: RpcRegistry;
let server: RpcServer;
let url: string;
let c: RawWsClient;
const hex = (b: Uint8Array) => toHex(b);

beforeAll(async () => {
  node = await TestNode.create();
  const b1 = await node.produce([]);
  await node.finalize(b1.hash);
  await node.produce([]);
  registry = new RpcRegistry();
  registerAll(registry, node.services, { chainHead: OPTIONS });
  server = new RpcServer({ host: "127.0.0.1", port: 0 }, { registry, logger: silentLogger() });
  url = `ws://127.0.0.1:${(await server.start()).port}`;
});

// a connection per test: follows count against a per-connection limit
beforeEach(async () => {
  c = await RawWsClient.open(url);
});

afterEach(() => {
  c?.close();
});

afterAll(async () => {
  await server?.stop();
  await node?.close();
});

async function finalizeBest(): Promise<void> {
  if (node.chain.best.number > node.chain.finalized.number) await node.finalize(node.chain.best.hash);
}

/** Follows, waits for the first bestBlockChanged, returns the subscription id. */
async function follow(client: RawWsClient, withRuntime = true): Promise<string> {
  const sub = await client.call("chainHead_v1_follow", [withRuntime]);
  await client.nextEvent(sub, (e) => e.event === "bestBlockChanged", "bestBlockChanged");
  return sub;
}

/** All items of a storage operation, continuing through its pages; returns the items and the page count. */
async function storageItems(client: RawWsClient, sub: string, hash: string, items: unknown[]): Promise<{ items: any[]; pages: number; started: any }> {
  const started = await client.call("chainHead_v1_storage", [sub, hash, items, null]);
  const op = started.operationId;
  let seen = 0;
  let pages = 1;
  for (;;) {
    const ev = await client.until(() => client.events(sub).filter((e) => e.operationId === op && e.event !== "operationStorageItems")[seen], `storage event ${seen}`);
    seen++;
    if (ev.event === "operationStorageDone") break;
    expect(ev).toEqual({ event: "operationWaitingForContinue", operationId: op });
    pages++;
    expect(await client.call("chainHead_v1_continue", [sub, op])).toBeNull();
  }
  const all = client.events(sub).filter((e) => e.operationId === op && e.event === "operationStorageItems");
  return { items: all.flatMap((e) => e.items), pages, started };
}

describe("chainHead_v1_follow events", () => {
  it("withRuntime: initialized (finalized hashes + runtime), a newBlock per non-finalized block, bestBlockChanged", async () => {
    const r = await c.request("chainHead_v1_follow", [true]);
    const sub = r.result as string;
    expect(sub).toMatch(/^[1-9A-HJ-NP-Za-km-z]{16}$/);
    await c.nextEvent(sub, (e) => e.event === "bestBlockChanged");
    const events = c.events(sub);
    const genesis = hex(node.chain.genesisHash);
    const f = hex(node.chain.finalized.hash);
    const best = hex(node.chain.best.hash);
    const v = node.runtime.version;
    expect(events[0]).toStrictEqual({
      event: "initialized",
      finalizedBlockHashes: [genesis, f],
      finalizedBlockRuntime: {
        type: "valid",
        spec: { specName: v.specName, implName: v.implName, specVersion: v.specVersion, implVersion: v.implVersion, transactionVersion: v.transactionVersion, apis: expect.any(Object) },
      },
    });
    const apis = events[0].finalizedBlockRuntime.spec.apis;
    expect(apis["0xdf6acb689907609b"]).toBeGreaterThanOrEqual(4); // Core
    expect(apis["0xd2bc9897eed08f15"]).toBe(3); // TaggedTransactionQueue
    for (const [id, version] of Object.entries(apis)) expect([id.length, typeof version]).toEqual([18, "number"]);
    expect(events[1]).toStrictEqual({ event: "newBlock", blockHash: best, parentBlockHash: f, newRuntime: null });
    expect(events[2]).toStrictEqual({ event: "bestBlockChanged", bestBlockHash: best });
    // the subscription id reply comes before any event
    const firstEvent = c.log.findIndex((m) => m.params?.subscription === sub);
    expect(c.indexOfReply(r.id)).toBeLessThan(firstEvent);
  });

  it("without runtime: no runtime fields; chainHead_v1_call is -32802", async () => {
    const sub = await follow(c, false);
    const [init, newBlock] = c.events(sub);
    expect(Object.keys(init)).toEqual(["event", "finalizedBlockHashes"]);
    expect(Object.keys(newBlock)).toEqual(["event", "blockHash", "parentBlockHash"]);
    const r = await c.request("chainHead_v1_call", [sub, newBlock.blockHash, "Core_version", "0x"]);
    expect(r.error).toEqual({ code: -32802, message: "Invalid runtime call", data: "The runtime updates flag must be set" });
    expect(await c.call("chainHead_v1_unfollow", [sub])).toBeNull();
  });

  it("follows new blocks and finality", async () => {
    const sub = await follow(c);
    const b = await node.produce([]);
    const parent = hex(b.header.parentHash);
    expect(await c.nextEvent(sub, (e) => e.event === "newBlock" && e.blockHash === hex(b.hash))).toStrictEqual({ event: "newBlock", blockHash: hex(b.hash), parentBlockHash: parent, newRuntime: null });
    await c.nextEvent(sub, (e) => e.event === "bestBlockChanged" && e.bestBlockHash === hex(b.hash));
    await node.finalize(b.hash);
    const fin = await c.nextEvent(sub, (e) => e.event === "finalized");
    expect(fin).toStrictEqual({ event: "finalized", finalizedBlockHashes: [parent, hex(b.hash)], prunedBlockHashes: [] });
  });
});

describe("chainHead_v1 operations", () => {
  it("header, body, call, storage: results and events as the spec shows them, each event after its started reply", async () => {
    const sub = await follow(c);
    const best = node.chain.best;
    const h = hex(best.hash);
    expect(await c.call("chainHead_v1_header", [sub, h])).toBe(hex(encodeHeader(best.header)));

    const bodyReq = await c.request("chainHead_v1_body", [sub, h]);
    expect(bodyReq.result).toStrictEqual({ result: "started", operationId: expect.any(String) });
    const op = bodyReq.result.operationId;
    const done = await c.nextEvent(sub, (e) => e.operationId === op);
    expect(done).toStrictEqual({ event: "operationBodyDone", operationId: op, value: node.chain.body(best.hash)!.map(hex) });
    expect(c.indexOfReply(bodyReq.id)).toBeLessThan(c.log.findIndex((m) => m.params?.result?.operationId === op));

    const callReq = await c.call("chainHead_v1_call", [sub, h, "Core_version", ""]);
    const out = await c.nextEvent(sub, (e) => e.operationId === callReq.operationId);
    expect(out).toStrictEqual({ event: "operationCallDone", operationId: callReq.operationId, output: hex(callRuntime(node.services, "Core_version", new Uint8Array(), best.hash)) });

    const bad = await c.call("chainHead_v1_call", [sub, h, "Nope_nothing", "0x"]);
    const err = await c.nextEvent(sub, (e) => e.operationId === bad.operationId);
    expect(err).toStrictEqual({ event: "operationError", operationId: bad.operationId, error: expect.stringContaining("Nope_nothing") });

    const aliceKey = hex(Account.key(node.alice.publicKey));
    const aliceValue = node.chain.stateAt(best.hash).get(Account.key(node.alice.publicKey))!;
    const { items, started } = await storageItems(c, sub, h, [
      { key: aliceKey, type: "value" },
      { key: aliceKey, type: "hash" },
      { key: "0x0102030405", type: "value" }, // absent: no item
      { key: "0x", type: "closestDescendantMerkleValue" }, // the root node: the state root
      { key: "0xffff", type: "closestDescendantMerkleValue" }, // nothing below: no item
    ]);
    expect(started).toStrictEqual({ result: "started", operationId: expect.any(String), discardedItems: 0 });
    expect(items).toStrictEqual([
      { key: aliceKey, value: hex(aliceValue) },
      { key: aliceKey, hash: hex(blake2_256(aliceValue)) },
      { key: "0x", closestDescendantMerkleValue: hex(best.header.stateRoot) },
    ]);
  });

  it("closestDescendantMerkleValue: a key's own node, or the node below it, as its parent references it", async () => {
    const sub = await follow(c);
    const best = node.chain.best;
    const key = Account.key(node.alice.publicKey);
    const prefix = key.subarray(0, 16); // twox128("System"): a branch many keys share
    const { items } = await storageItems(c, sub, hex(best.hash), [
      { key: hex(key), type: "closestDescendantMerkleValue" },
      { key: hex(prefix), type: "closestDescendantMerkleValue" },
      { key: hex(key.subarray(0, 17)), type: "closestDescendantMerkleValue" },
    ]);
    expect(items.map((i) => i.key)).toEqual([hex(key), hex(prefix), hex(key.subarray(0, 17))]);
    // a node's Merkle value is its hash (32 bytes) or its own encoding when shorter
    for (const i of items) expect((i.closestDescendantMerkleValue.length - 2) / 2).toBeLessThanOrEqual(32);
    // a branch changes when any key below it changes: the System prefix's value follows Alice's account
    const tr = await node.produce([node.transfer(node.alice, node.bob.publicKey, 1_000_000_000n)]);
    const sub2 = await follow(c);
    const after = await storageItems(c, sub2, hex(tr.hash), [{ key: hex(prefix), type: "closestDescendantMerkleValue" }]);
    expect(after.items[0].closestDescendantMerkleValue).not.toBe(items[1].closestDescendantMerkleValue);
  });

  it("errors: -32801 unknown or unpinned block, -32804 duplicate unpin, -32803 continue not waiting; a stale subscription gets null / limitReached", async () => {
    const sub = await follow(c);
    const best = hex(node.chain.best.hash);
    const unknown = "0x" + "ab".repeat(32);
    const invalidBlock = { code: -32801, message: "Invalid block hash" };
    expect((await c.request("chainHead_v1_header", [sub, unknown])).error).toEqual(invalidBlock);
    expect((await c.request("chainHead_v1_body", [sub, unknown])).error).toEqual(invalidBlock);
    expect((await c.request("chainHead_v1_storage", [sub, unknown, [{ key: "0x", type: "value" }], null])).error).toEqual(invalidBlock);
    expect((await c.request("chainHead_v1_unpin", [sub, [best, best]])).error).toEqual({ code: -32804, message: "Received duplicate hashes for the `chainHead_unpin` method" });
    // one unknown hash: nothing is unpinned
    expect((await c.request("chainHead_v1_unpin", [sub, [best, unknown]])).error).toEqual(invalidBlock);
    expect(await c.call("chainHead_v1_header", [sub, best])).toMatch(/^0x/);
    expect(await c.call("chainHead_v1_unpin", [sub, best])).toBeNull();
    expect((await c.request("chainHead_v1_header", [sub, best])).error).toEqual(invalidBlock);
    // -32602 for malformed params
    expect((await c.request("chainHead_v1_storage", [sub, best, [{ key: "0x00", type: "everything" }], null])).error?.code).toBe(-32602);

    // continue twice in one batch: the second finds the operation running, not waiting
    const sub2 = await follow(c);
    const started = await c.call("chainHead_v1_storage", [sub2, hex(node.chain.best.hash), [{ key: "0x", type: "descendantsHashes" }], null]);
    await c.nextEvent(sub2, (e) => e.event === "operationWaitingForContinue");
    const batch = [0, 1].map((i) => ({ jsonrpc: "2.0", id: 1000 + i, method: "chainHead_v1_continue", params: [sub2, started.operationId] }));
    c.ws.send(JSON.stringify(batch));
    const replies = await c.until(() => c.log.find((m) => Array.isArray(m)), "batch reply");
    expect(replies[0]).toEqual({ jsonrpc: "2.0", id: 1000, result: null });
    expect(replies[1]).toEqual({ jsonrpc: "2.0", id: 1001, error: { code: -32803, message: "Wait for continue event was not generated for the subscription" } });
    expect(await c.call("chainHead_v1_stopOperation", [sub2, started.operationId])).toBeNull();
    // unknown operation: no effect
    expect(await c.call("chainHead_v1_continue", [sub2, started.operationId])).toBeNull();

    // stale subscription
    expect(await c.call("chainHead_v1_unfollow", [sub2])).toBeNull();
    expect(await c.call("chainHead_v1_header", [sub2, best])).toBeNull();
    expect(await c.call("chainHead_v1_body", [sub2, best])).toStrictEqual({ result: "limitReached" });
    expect(await c.call("chainHead_v1_call", [sub2, best, "Core_version", "0x"])).toStrictEqual({ result: "limitReached" });
    expect(await c.call("chainHead_v1_storage", [sub2, best, [], null])).toStrictEqual({ result: "limitReached" });
    expect(await c.call("chainHead_v1_unpin", [sub2, best])).toBeNull();
    expect(await c.call("chainHead_v1_unfollow", [sub2])).toBeNull();
  });
});

describe("chainHead_v1 limits", () => {
  it("at most 4 follows per connection (-32800), whatever other connections do", async () => {
    const a = await RawWsClient.open(url);
    const b = await RawWsClient.open(url);
    try {
      const subs = [];
      for (let i = 0; i < 4; i++) subs.push(await a.call("chainHead_v1_follow", [false]));
      const fifth = await a.request("chainHead_v1_follow", [false]);
      expect(fifth.error).toEqual({ code: -32800, message: "Maximum number of chainHead_follow has been reached", data: "Exceeded max limit of 4" });
      expect(typeof (await b.call("chainHead_v1_follow", [false]))).toBe("string");
      // a follow id is only valid on its own connection
      expect(await b.call("chainHead_v1_header", [subs[0], hex(node.chain.best.hash)])).toBeNull();
      await a.call("chainHead_v1_unfollow", [subs[0]]);
      expect(typeof (await a.call("chainHead_v1_follow", [false]))).toBe("string");
    } finally {
      a.close();
      b.close();
    }
  });

  it("16 operations in flight: storage items beyond are discarded, then limitReached until one ends", async () => {
    const sub = await follow(c);
    const best = hex(node.chain.best.hash);
    // descendants of everything: each waits for continue after a page, holding its slots
    const items = Array.from({ length: 20 }, () => ({ key: "0x", type: "descendantsValues" }));
    const started = await c.call("chainHead_v1_storage", [sub, best, items, null]);
    expect(started).toStrictEqual({ result: "started", operationId: expect.any(String), discardedItems: 4 });
    await c.nextEvent(sub, (e) => e.event === "operationWaitingForContinue" && e.operationId === started.operationId);
    expect(await c.call("chainHead_v1_body", [sub, best])).toStrictEqual({ result: "limitReached" });
    expect(await c.call("chainHead_v1_storage", [sub, best, [{ key: "0x", type: "value" }], null])).toStrictEqual({ result: "limitReached" });
    await c.call("chainHead_v1_stopOperation", [sub, started.operationId]);
    const body = await c.call("chainHead_v1_body", [sub, best]);
    expect(body.result).toBe("started");
    // a stopped operation sends nothing more, even when continued
    const before = c.events(sub).filter((e) => e.operationId === started.operationId).length;
    await c.call("chainHead_v1_continue", [sub, started.operationId]);
    await c.nextEvent(sub, (e) => e.operationId === body.operationId);
    expect(c.events(sub).filter((e) => e.operationId === started.operationId)).toHaveLength(before);
  });

  it("stop when the client keeps too many blocks pinned that left the non-finalized tree", async () => {
    await finalizeBest(); // each finality below then adds exactly one stale pin
    const sub = await follow(c);
    // initialized pinned the last few finalized blocks: all but the current one are already stale
    const stale0 = c.events(sub)[0].finalizedBlockHashes.length - 1;
    let stopped = false;
    for (let i = 0; i < OPTIONS.maxStalePinnedBlocks + 2 && !stopped; i++) {
      await node.produce([], { finalize: true });
      stopped = c.events(sub).some((e) => e.event === "stop");
    }
    expect(c.events(sub).at(-1)).toStrictEqual({ event: "stop" });
    // each finality added one stale pin; the one past the limit was followed by stop
    expect(c.events(sub).filter((e) => e.event === "finalized").length).toBe(OPTIONS.maxStalePinnedBlocks - stale0 + 1);
    expect(await c.call("chainHead_v1_header", [sub, hex(node.chain.best.hash)])).toBeNull();

    // a follower that unpins what it no longer needs is never stopped
    const good = await follow(c);
    const init = c.events(good)[0].finalizedBlockHashes as string[];
    let current = init.at(-1)!;
    await c.call("chainHead_v1_unpin", [good, init.slice(0, -1)]);
    for (let i = 0; i < OPTIONS.maxStalePinnedBlocks + 2; i++) {
      const b = await node.produce([], { finalize: true });
      const fin = await c.nextEvent(good, (e) => e.event === "finalized" && e.finalizedBlockHashes.includes(hex(b.hash)));
      await c.call("chainHead_v1_unpin", [good, [current, ...fin.finalizedBlockHashes.slice(0, -1), ...fin.prunedBlockHashes]]);
      current = fin.finalizedBlockHashes.at(-1);
    }
    expect(c.events(good).some((e) => e.event === "stop")).toBe(false);
  });

  it("a follower whose connection does not keep up gets stop instead of more events", async () => {
    const reg = new RpcRegistry();
    registerAll(reg, node.services, { chainHead: { maxBufferedBytes: 1024 } });
    const sub = (await subscribe(reg, "chainHead_v1_follow", [false])) as TestSubscription;
    await sub.waitFor(2); // initialized, bestBlockChanged
    sub.bufferedBytes = 10_000; // the socket has 10 kB it could not send yet
    await node.produce([]);
    expect(sub.notifications.at(-1)).toStrictEqual({ event: "stop" });
    expect(sub.closed).toBe(true);
  });
});

describe("chainHead_v1_storage paging of a large prefix", () => {
  it("pages of storagePageItems with operationWaitingForContinue; continue resumes; the pages make up the prefix exactly", async () => {
    // 300 new accounts: System.Account gets over 300 entries
    const keyring = new Keyring({ type: "sr25519" });
    const nonce = node.nonceOf(node.alice);
    const txs = Array.from({ length: 300 }, (_, i) => node.transfer(node.alice, keyring.addFromUri(`//paging/${i}`).publicKey, 1_000_000n, { nonce: nonce + i }));
    const block = await node.produce(txs);
    expect(block.skipped).toEqual([]);
    const prefix = Account.key().subarray(0, 32);
    const state = node.chain.stateAt(block.hash);
    const keys = state.keys(prefix);
    expect(keys.length).toBeGreaterThan(300);

    const sub = await follow(c);
    const values = await storageItems(c, sub, hex(block.hash), [{ key: hex(prefix), type: "descendantsValues" }]);
    expect(values.pages).toBe(Math.ceil(keys.length / OPTIONS.storagePageItems) + (keys.length % OPTIONS.storagePageItems === 0 ? 1 : 0));
    expect(values.items).toStrictEqual(keys.map((k) => ({ key: hex(k), value: hex(state.get(k)!) })));
    for (const page of c.events(sub).filter((e) => e.event === "operationStorageItems")) expect(page.items.length).toBeLessThanOrEqual(OPTIONS.storagePageItems);

    const hashes = await storageItems(c, sub, hex(block.hash), [{ key: hex(prefix), type: "descendantsHashes" }]);
    expect(hashes.items).toStrictEqual(keys.map((k) => ({ key: hex(k), hash: hex(blake2_256(state.get(k)!)) })));
  });
});

describe("a reorg through chainHead", () => {
  it("newBlock on another branch, bestBlockChanged to it, finalized with the pruned branch; pruned blocks stay readable while pinned", async () => {
    await finalizeBest();
    const sub = await follow(c);
    await c.call("chainHead_v1_unpin", [sub, c.events(sub)[0].finalizedBlockHashes.slice(0, -1)]);
    const base = node.chain.best;
    const a1 = await node.produce([], { parent: base });
    const b1 = await node.produce([], { parent: base }); // a sibling: a1 was first, it stays best
    expect(hex(node.chain.best.hash)).toBe(hex(a1.hash));
    const b2 = await node.produce([], { parent: b1 }); // the longer branch wins
    expect(hex(node.chain.best.hash)).toBe(hex(b2.hash));
    await c.nextEvent(sub, (e) => e.event === "bestBlockChanged" && e.bestBlockHash === hex(b2.hash));
    const tail = c.events(sub).slice(-5);
    expect(tail).toStrictEqual([
      { event: "newBlock", blockHash: hex(a1.hash), parentBlockHash: hex(base.hash), newRuntime: null },
      { event: "bestBlockChanged", bestBlockHash: hex(a1.hash) },
      { event: "newBlock", blockHash: hex(b1.hash), parentBlockHash: hex(base.hash), newRuntime: null },
      { event: "newBlock", blockHash: hex(b2.hash), parentBlockHash: hex(b1.hash), newRuntime: null },
      { event: "bestBlockChanged", bestBlockHash: hex(b2.hash) },
    ]);

    await node.finalize(b2.hash);
    const fin = await c.nextEvent(sub, (e) => e.event === "finalized" && e.finalizedBlockHashes.includes(hex(b2.hash)));
    expect(fin.finalizedBlockHashes.slice(-2)).toEqual([hex(b1.hash), hex(b2.hash)]);
    expect(fin.prunedBlockHashes).toEqual([hex(a1.hash)]);
    expect(node.chain.has(a1.hash)).toBe(false); // gone from the database

    // still pinned by this subscription: header, body, storage and calls answer
    expect(await c.call("chainHead_v1_header", [sub, hex(a1.hash)])).toBe(hex(encodeHeader(a1.header)));
    const body = await c.call("chainHead_v1_body", [sub, hex(a1.hash)]);
    expect(await c.nextEvent(sub, (e) => e.operationId === body.operationId)).toStrictEqual({ event: "operationBodyDone", operationId: body.operationId, value: a1.extrinsics.map(hex) });
    const aliceKey = Account.key(node.alice.publicKey);
    const { items } = await storageItems(c, sub, hex(a1.hash), [{ key: hex(aliceKey), type: "value" }]);
    expect(items).toHaveLength(1);
    const call = await c.call("chainHead_v1_call", [sub, hex(a1.hash), "AccountNonceApi_account_nonce", hex(node.alice.publicKey)]);
    expect((await c.nextEvent(sub, (e) => e.operationId === call.operationId)).event).toBe("operationCallDone");
    expect(await c.call("chainHead_v1_unpin", [sub, [hex(a1.hash)]])).toBeNull();
    expect((await c.request("chainHead_v1_header", [sub, hex(a1.hash)])).error?.code).toBe(-32801);
  });
});

describe("chainHead_v1 over HTTP", () => {
  it("follow needs a WebSocket; other methods find no subscription", async () => {
    const httpUrl = url.replace("ws://", "http://");
    const post = async (method: string, params: unknown[]) =>
      (await fetch(httpUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) })).json();
    expect((await post("chainHead_v1_follow", [true])).error.code).toBe(-32603);
    expect((await post("chainHead_v1_body", ["x", hex(node.chain.best.hash)])).result).toStrictEqual({ result: "limitReached" });
  });
});

