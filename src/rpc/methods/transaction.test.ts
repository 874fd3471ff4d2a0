/**
 * transaction_v1_* and transactionWatch_v1_* against the spec's JSON, on a real dev chain:
 * the watch events through inclusion, a reorg and finality; refused submissions; broadcast
 * operations, their limit, stop, and gossip (pool source "local").
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Keyring } from "@polkadot/keyring";
import { toHex } from "../../util/bytes.js";
import { silentLogger } from "../../util/logger.js";
import { RpcServer } from "../server.js";
import { TestNode } from "../../../test/utils/rpcHarness.js";
import { RawWsClient } from "../../../test/utils/rawWsClient.js";
import { MAX_BROADCASTS_PER_CONNECTION } from "./transaction.js";

let node: TestNode;
let server: RpcServer;
let c: RawWsClient;
const TAO = 1_000_000_000n;
const keyring = new Keyring({ type: "sr25519" });
const dave = keyring.addFromUri("//Dave");
const eve = keyring.addFromUri("//Eve");

beforeAll(async () => {
  node = await TestNode.create();
  server = new RpcServer({ host: "127.0.0.1", port: 0 }, { registry: node.registry, logger: silentLogger() });
  c = await RawWsClient.open(`ws://127.0.0.1:${(await server.start()).port}`);
});

afterAll(async () => {
  c?.close();
  await server?.stop();
  await node?.close();
});

describe("transactionWatch_v1_submitAndWatch", () => {
  it("validated, bestChainBlockIncluded {hash, index}, null when its block is retracted, again, then finalized", async () => {
    const tx = node.transfer(node.alice, node.bob.publicKey, TAO);
    const sub = await c.call("transactionWatch_v1_submitAndWatch", [toHex(tx)]);
    await c.nextEvent(sub, (e) => e.event === "validated");
    const base = node.chain.best;
    const a1 = await node.produce([tx], { parent: base });
    expect(await c.nextEvent(sub, (e) => e.event === "bestChainBlockIncluded")).toStrictEqual({ event: "bestChainBlockIncluded", block: { hash: toHex(a1.hash), index: 1 } });
    // a longer branch without it: retracted (the pool takes it back)
    const b1 = await node.produce([], { parent: base });
    await node.produce([], { parent: b1 });
    expect(await c.nextEvent(sub, (e) => e.event === "bestChainBlockIncluded" && e.block === null)).toStrictEqual({ event: "bestChainBlockIncluded", block: null });
    const b3 = await node.produce(node.pool.ready().map((e) => e.bytes));
    await c.nextEvent(sub, (e) => e.event === "bestChainBlockIncluded" && e.block?.hash === toHex(b3.hash));
    await node.finalize(b3.hash);
    expect(await c.nextEvent(sub, (e) => e.event === "finalized")).toStrictEqual({ event: "finalized", block: { hash: toHex(b3.hash), index: 1 } });
    // finalized is the last event: the subscription is over
    expect(c.events(sub).at(-1).event).toBe("finalized");
    expect((await c.request("transactionWatch_v1_unwatch", [sub])).error?.code).toBe(-32602);
  });

  it("a bad signature is `invalid`, the same transaction twice is `dropped`, malformed hex is -32602", async () => {
    const tx = node.transfer(node.alice, node.bob.publicKey, 2n * TAO);
    const tampered = Uint8Array.from(tx);
    tampered[tampered.length - 40] ^= 0xff; // inside the call or signature: no longer valid
    const bad = await c.call("transactionWatch_v1_submitAndWatch", [toHex(tampered)]);
    const ev = await c.nextEvent(bad, () => true);
    expect(ev).toStrictEqual({ event: "invalid", error: expect.any(String) });

    const first = await c.call("transactionWatch_v1_submitAndWatch", [toHex(tx)]);
    await c.nextEvent(first, (e) => e.event === "validated");
    const again = await c.call("transactionWatch_v1_submitAndWatch", [toHex(tx)]);
    expect(await c.nextEvent(again, () => true)).toStrictEqual({ event: "dropped", error: expect.stringContaining("Already Imported") });
    expect(await c.call("transactionWatch_v1_unwatch", [first])).toBeNull();
    expect((await c.request("transactionWatch_v1_submitAndWatch", ["0x12z"])).error?.code).toBe(-32602);
    await node.produce(node.pool.ready().map((e) => e.bytes), { finalize: true });
  });
});

describe("transaction_v1_broadcast", () => {
  it("returns an operation id, enters the pool as a local (gossiped) transaction; stop ends it; unknown ids are -32602", async () => {
    const added: string[] = [];
    node.pool.on("added", (a) => added.push(a.source));
    const tx = node.transfer(node.charlie, node.bob.publicKey, TAO);
    const op = await c.call("transaction_v1_broadcast", [toHex(tx)]);
    expect(typeof op).toBe("string");
    expect(node.pool.pending().map((e) => toHex(e.bytes))).toContain(toHex(tx));
    expect(added).toEqual(["local"]);
    expect(await c.call("transaction_v1_stop", [op])).toBeNull();
    expect((await c.request("transaction_v1_stop", [op])).error).toEqual({ code: -32602, message: "Invalid params", data: "operationId does not name an active operation of this connection" });
    // an invalid transaction: an id all the same, and nothing in the pool
    const invalid = await c.call("transaction_v1_broadcast", ["0x00"]);
    expect(typeof invalid).toBe("string");
    await node.produce(node.pool.ready().map((e) => e.bytes), { finalize: true });
  });

  it("the operation ends once its transaction is finalized", async () => {
    const tx = node.transfer(dave, node.bob.publicKey, TAO);
    const op = await c.call("transaction_v1_broadcast", [toHex(tx)]);
    await node.produce([tx], { finalize: true });
    expect((await c.request("transaction_v1_stop", [op])).error?.code).toBe(-32602);
  });

  it(`at most ${MAX_BROADCASTS_PER_CONNECTION} operations per connection: then null`, async () => {
    const nonce = node.nonceOf(eve);
    const ops = [];
    for (let i = 0; i < MAX_BROADCASTS_PER_CONNECTION; i++) ops.push(await c.call("transaction_v1_broadcast", [toHex(node.transfer(eve, node.bob.publicKey, TAO, { nonce: nonce + i }))]));
    expect(ops.every((o) => typeof o === "string")).toBe(true);
    expect(await c.call("transaction_v1_broadcast", [toHex(node.transfer(eve, node.bob.publicKey, TAO, { nonce: nonce + 99 }))])).toBeNull();
    await c.call("transaction_v1_stop", [ops[0]]);
    expect(typeof (await c.call("transaction_v1_broadcast", [toHex(node.transfer(eve, node.bob.publicKey, TAO, { nonce: nonce + 100 }))]))).toBe("string");
  });
});
