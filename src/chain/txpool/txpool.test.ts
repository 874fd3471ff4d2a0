import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChainHarness } from "../../../test/utils/chainHarness.js";
import { TAO } from "../spec.js";
import { PoolError, type TxStatus } from "./txpool.js";
import { toHex } from "../../util/bytes.js";

describe("TxPool", () => {
  let h: ChainHarness;
  beforeEach(async () => {
    h = await ChainHarness.create();
  });
  afterEach(async () => {
    await h.close();
  });

  const code = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      return (e as PoolError).type.code + ((e as PoolError).type.code === "INVALID" ? `:${(e as PoolError).message}` : "");
    }
    return "accepted";
  };

  it("accepts a valid transfer as ready and reports the next nonce", () => {
    const r = h.pool.submit(h.transfer(h.alice, h.bob.publicKey, TAO));
    expect(r.status).toBe("ready");
    expect(h.pool.nextNonce(h.alice.publicKey, 0)).toBe(1);
    expect(h.pool.ready().length).toBe(1);
  });

  it("refuses a tampered signature with 1010 bad signature", () => {
    const tx = h.transfer(h.alice, h.bob.publicKey, TAO);
    tx[tx.length - 2] ^= 0xff;
    expect(code(() => h.pool.submit(tx))).toBe("INVALID:Invalid Transaction: Transaction has a bad signature");
  });

  it("refuses undecodable bytes as bad format", () => {
    expect(code(() => h.pool.submit(new Uint8Array([1, 2, 3])))).toBe("BAD_FORMAT");
  });

  it("refuses duplicates, stale nonces, unpayable fees and unsigned calls", async () => {
    const tx = h.transfer(h.alice, h.bob.publicKey, TAO);
    h.pool.submit(tx);
    expect(code(() => h.pool.submit(tx))).toBe("ALREADY_IMPORTED");
    await h.produce(h.pool.ready().map((e) => e.bytes));
    expect(code(() => h.pool.submit(tx))).toBe("ALREADY_IMPORTED");
    expect(code(() => h.pool.submit(h.transfer(h.alice, h.bob.publicKey, 2n * TAO, "transfer_keep_alive", { nonce: 0 })))).toMatch(/outdated/);
    const poor = h.keyring.addFromUri("//Nobody");
    expect(code(() => h.pool.submit(h.transfer(poor, h.bob.publicKey, 1n)))).toMatch(/Inability to pay some fees/);
    expect(code(() => h.pool.submit(h.timestampInherent(9n)))).toMatch(/Transaction call is not expected/);
  });

  it("keeps future transactions until the gap is filled, then orders by nonce", () => {
    const t2 = h.transfer(h.alice, h.bob.publicKey, TAO, "transfer_keep_alive", { nonce: 2 });
    const t1 = h.transfer(h.alice, h.bob.publicKey, TAO, "transfer_keep_alive", { nonce: 1 });
    const t0 = h.transfer(h.alice, h.bob.publicKey, TAO, "transfer_keep_alive", { nonce: 0 });
    expect(h.pool.submit(t2).status).toBe("future");
    expect(h.pool.submit(t1).status).toBe("future");
    expect(h.pool.ready()).toEqual([]);
    expect(h.pool.submit(t0).status).toBe("ready");
    expect(h.pool.ready().map((e) => e.signed!.nonce)).toEqual([0, 1, 2]);
  });

  it("replaces a transaction only for a higher tip (1014 otherwise) and reports usurped", () => {
    const statuses: Array<[string, TxStatus]> = [];
    h.pool.on("status", (hash, s) => statuses.push([hash, s]));
    const low = h.transfer(h.alice, h.bob.publicKey, TAO, "transfer_keep_alive", { tip: 10n });
    const lowHash = toHex(h.pool.submit(low).hash);
    expect(code(() => h.pool.submit(h.transfer(h.alice, h.charlie.publicKey, TAO, "transfer_keep_alive", { tip: 10n })))).toBe("TOO_LOW_PRIORITY");
    const high = h.pool.submit(h.transfer(h.alice, h.charlie.publicKey, TAO, "transfer_keep_alive", { tip: 11n }));
    expect(statuses).toContainEqual([lowHash, { usurped: toHex(high.hash) }]);
    expect(h.pool.size).toBe(1);
  });

  it("orders senders by tip, then arrival", () => {
    h.pool.submit(h.transfer(h.bob, h.alice.publicKey, TAO));
    h.pool.submit(h.transfer(h.charlie, h.alice.publicKey, TAO, "transfer_keep_alive", { tip: 5n }));
    h.pool.submit(h.transfer(h.alice, h.bob.publicKey, TAO));
    const order = h.pool.ready().map((e) => toHex((e.signed!.address as { value: Uint8Array }).value));
    expect(order).toEqual([toHex(h.charlie.publicKey), toHex(h.bob.publicKey), toHex(h.alice.publicKey)]);
  });

  it("removes included transactions and reports inBlock", async () => {
    const statuses: TxStatus[] = [];
    h.pool.on("status", (_hash, s) => statuses.push(s));
    h.pool.submit(h.transfer(h.alice, h.bob.publicKey, TAO));
    const block = await h.produce(h.pool.ready().map((e) => e.bytes));
    expect(h.pool.size).toBe(0);
    expect(statuses).toEqual([{ inBlock: toHex(block.hash) }]);
  });

  it("bounds its size: over the limit a new transaction is immediately dropped", async () => {
    const { TxPool } = await import("./txpool.js");
    const { verifySignature } = await import("../signatures/verify.js");
    const { silentLogger } = await import("../../util/logger.js");
    const small = new TxPool(h.chain, verifySignature, silentLogger(), { maxCount: 1 });
    small.submit(h.transfer(h.alice, h.bob.publicKey, TAO));
    expect(code(() => small.submit(h.transfer(h.bob, h.alice.publicKey, TAO)))).toBe("IMMEDIATELY_DROPPED");
  });
});
