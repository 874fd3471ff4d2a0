import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TxPool } from "../../chain/txpool/txpool.js";
import { verifySignature } from "../../chain/signatures/verify.js";
import { silentLogger } from "../../util/logger.js";
import { blake2_256 } from "../../util/hash.js";
import { toHex } from "../../util/bytes.js";
import { RpcRegistry } from "../registry.js";
import { FINALIZED_DELAY_MS, register as registerAuthor } from "./author.js";
import { TestNode, call, subscribe, type TestSubscription } from "../../../test/utils/rpcHarness.js";

let node: TestNode;
const TAO = 10n ** 9n;

beforeAll(async () => {
  node = await TestNode.create({ metadata: false });
});
afterAll(async () => {
  await node?.close();
});

/** Includes everything the pool has ready in a new block. */
async function mine(o: { finalize?: boolean } = {}) {
  return node.produce(
    node.pool.ready().map((e) => e.bytes),
    o,
  );
}

describe("author_submitExtrinsic", () => {
  it("returns the transaction hash (blake2_256 of the bytes) and pools it", async () => {
    const ext = node.transfer(node.alice, node.bob.publicKey, TAO);
    expect(await node.callOk("author_submitExtrinsic", [toHex(ext)])).toBe(toHex(blake2_256(ext)));
    expect(await node.callOk("author_pendingExtrinsics")).toEqual([toHex(ext)]);
    const b = await mine();
    expect(b.extrinsics.map((e) => toHex(e))).toContain(toHex(ext));
    expect(await node.callOk("author_pendingExtrinsics")).toEqual([]);
  });

  it("maps a bad format to 1001 with the codec error in the message", async () => {
    for (const bad of ["0x00", "0x1004ffff", "0x0c0401"]) {
      const r = await node.call("author_submitExtrinsic", [bad]);
      expect(r.error?.code).toBe(1001);
      expect(r.error?.message).toMatch(/^Extrinsic has invalid format: ./);
      expect(r.error).not.toHaveProperty("data");
    }
    expect((await node.call("author_submitExtrinsic", ["nothex"])).error?.code).toBe(-32602);
  });

  it("maps validity errors to 1010 with Substrate's texts in data", async () => {
    const good = node.transfer(node.alice, node.bob.publicKey, TAO);
    const flipped = good.slice();
    flipped[flipped.length - 2] ^= 1;
    expect((await node.call("author_submitExtrinsic", [toHex(flipped)])).error).toEqual({
      code: 1010,
      message: "Invalid Transaction",
      data: "Transaction has a bad signature",
    });
    const stale = node.transfer(node.alice, node.bob.publicKey, TAO, { nonce: node.nonceOf(node.alice) - 1 });
    expect((await node.call("author_submitExtrinsic", [toHex(stale)])).error).toEqual({ code: 1010, message: "Invalid Transaction", data: "Transaction is outdated" });
    const pauper = node.keyring.addFromUri("//Pauper");
    const broke = node.transfer(pauper, node.bob.publicKey, TAO);
    expect((await node.call("author_submitExtrinsic", [toHex(broke)])).error).toEqual({
      code: 1010,
      message: "Invalid Transaction",
      data: "Inability to pay some fees (e.g. account balance too low)",
    });
    const unsigned = node.timestampInherent(99n);
    expect((await node.call("author_submitExtrinsic", [toHex(unsigned)])).error).toEqual({ code: 1010, message: "Invalid Transaction", data: "Transaction call is not expected" });
  });

  it("maps a duplicate to 1013 and a same-nonce replacement without a higher tip to 1014", async () => {
    const ext = node.transfer(node.alice, node.bob.publicKey, 2n * TAO, { tip: 5n });
    await node.callOk("author_submitExtrinsic", [toHex(ext)]);
    expect((await node.call("author_submitExtrinsic", [toHex(ext)])).error).toEqual({
      code: 1013,
      message: "Transaction Already Imported",
      data: toHex(blake2_256(ext)),
    });
    const lower = node.transfer(node.alice, node.charlie.publicKey, 2n * TAO, { tip: 1n });
    expect((await node.call("author_submitExtrinsic", [toHex(lower)])).error).toEqual({
      code: 1014,
      message: "Priority is too low: (5 vs 1)",
      data: "The transaction has too low priority to replace another transaction already in the pool.",
    });
    const b = await mine();
    // already in a block: still 1013
    expect(b.extrinsics.map((e) => toHex(e))).toContain(toHex(ext));
    expect((await node.call("author_submitExtrinsic", [toHex(ext)])).error?.code).toBe(1013);
  });

  it("maps a full pool to 1016", async () => {
    const registry = new RpcRegistry();
    const pool = new TxPool(node.chain, verifySignature, silentLogger(), { maxCount: 1 });
    registerAuthor(registry, { ...node.services, pool });
    await call(registry, "author_submitExtrinsic", [toHex(node.transfer(node.alice, node.bob.publicKey, TAO))]);
    const second = node.transfer(node.bob, node.alice.publicKey, TAO);
    expect((await call(registry, "author_submitExtrinsic", [toHex(second)])).error).toEqual({
      code: 1016,
      message: "Immediately Dropped",
      data: "The transaction couldn't enter the pool because of the limit",
    });
  });
});

describe("author_submitAndWatchExtrinsic", () => {
  async function watch(ext: Uint8Array): Promise<TestSubscription> {
    return node.subscribe("author_submitAndWatchExtrinsic", [toHex(ext)]);
  }

  it("sends ready, inBlock, then finalized at least FINALIZED_DELAY_MS later, and closes", async () => {
    const sub = await watch(node.transfer(node.alice, node.bob.publicKey, TAO));
    expect(sub.notifications).toEqual(["ready"]);
    const b = await mine({ finalize: true });
    await sub.waitFor(2);
    expect(sub.notifications[1]).toEqual({ inBlock: toHex(b.hash) });
    await sub.waitFor(3);
    // The gap between the two notifications as they were emitted (monotonic clock). A lower bound
    // the handler guarantees by construction (it re-checks the clock when its timer fires), so a
    // busy machine can only make it longer.
    expect(sub.arrivals[2] - sub.arrivals[1]).toBeGreaterThanOrEqual(FINALIZED_DELAY_MS);
    expect(sub.notifications[2]).toEqual({ finalized: toHex(b.hash) });
    await sub.waitClosed();
  });

  it("reports finality reached through a descendant block", async () => {
    const sub = await watch(node.transfer(node.alice, node.bob.publicKey, TAO));
    const b = await mine();
    await sub.waitFor(2);
    expect(sub.notifications[1]).toEqual({ inBlock: toHex(b.hash) });
    await node.produce([], { finalize: true });
    await sub.waitFor(3);
    expect(sub.notifications[2]).toEqual({ finalized: toHex(b.hash) });
    await sub.waitClosed();
  });

  it("sends future for a nonce gap, then ready-path statuses once it is filled", async () => {
    const n = node.nonceOf(node.bob);
    const later = await watch(node.transfer(node.bob, node.alice.publicKey, TAO, { nonce: n + 1 }));
    expect(later.notifications).toEqual(["future"]);
    const first = await watch(node.transfer(node.bob, node.alice.publicKey, TAO, { nonce: n }));
    expect(first.notifications).toEqual(["ready"]);
    const b = await mine({ finalize: true });
    await later.waitFor(3);
    expect(later.notifications.slice(1)).toEqual([{ inBlock: toHex(b.hash) }, { finalized: toHex(b.hash) }]);
    await first.waitFor(3);
  });

  it("reports usurped when a higher tip replaces the transaction, and closes", async () => {
    const n = node.nonceOf(node.charlie);
    const sub = await watch(node.transfer(node.charlie, node.alice.publicKey, TAO, { nonce: n }));
    const better = node.transfer(node.charlie, node.bob.publicKey, TAO, { nonce: n, tip: 10n });
    await node.callOk("author_submitExtrinsic", [toHex(better)]);
    await sub.waitClosed();
    expect(sub.notifications).toEqual(["ready", { usurped: toHex(blake2_256(better)) }]);
    await mine();
  });

  it("reports invalid when a block uses the nonce first, and closes", async () => {
    const dave = node.keyring.addFromUri("//Dave");
    const n = node.nonceOf(dave);
    const sub = await watch(node.transfer(dave, node.alice.publicKey, TAO, { nonce: n }));
    // another transaction with the same nonce, included without going through the pool
    await node.produce([node.transfer(dave, node.bob.publicKey, TAO, { nonce: n })]);
    await sub.waitClosed();
    expect(sub.notifications).toEqual(["ready", "invalid"]);
  });

  it("stops following after unwatch", async () => {
    const listeners = node.pool.listenerCount("status");
    const sub = await watch(node.transfer(node.alice, node.bob.publicKey, TAO));
    expect(node.pool.listenerCount("status")).toBe(listeners + 1);
    sub.unsubscribe();
    expect(node.pool.listenerCount("status")).toBe(listeners);
    await mine({ finalize: true });
    expect(sub.notifications).toEqual(["ready"]);
    expect(node.registry.lookup("author_unwatchExtrinsic")?.kind).toBe("unsubscribe");
  });

  it("answers a submission error instead of a subscription id", async () => {
    const r = await subscribe(node.registry, "author_submitAndWatchExtrinsic", ["0x00"]);
    expect("error" in r && r.error.code).toBe(1001);
    const good = node.transfer(node.alice, node.bob.publicKey, TAO);
    const bad = good.slice();
    bad[bad.length - 2] ^= 1;
    const r2 = await subscribe(node.registry, "author_submitAndWatchExtrinsic", [toHex(bad)]);
    expect("error" in r2 && r2.error).toEqual({ code: 1010, message: "Invalid Transaction", data: "Transaction has a bad signature" });
  });
});

describe("author methods in rpc_methods", () => {
  it("lists submission and key management", async () => {
    const { methods } = await node.callOk("rpc_methods");
    for (const m of ["author_insertKey", "author_rotateKeys", "author_hasKey", "author_hasSessionKeys", "author_removeExtrinsic"]) expect(methods).toContain(m);
    for (const m of ["author_submitExtrinsic", "author_submitAndWatchExtrinsic", "author_unwatchExtrinsic", "author_pendingExtrinsics"]) expect(methods).toContain(m);
  });
});
