/**
 * author_* key management, author_removeExtrinsic, the unsafe-method policy for them, and the
 * "not supported" answers (child storage, block tracing, offchain storage).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Keyring } from "@polkadot/keyring";
import { blake2_256 } from "../../util/hash.js";
import { toHex } from "../../util/bytes.js";
import { Keystore } from "../../keystore/keystore.js";
import { RpcRegistry } from "../registry.js";
import { registerAll } from "./index.js";
import { TestNode, call } from "../../../test/utils/rpcHarness.js";

let node: TestNode;

beforeAll(async () => {
  node = await TestNode.create();
});
afterAll(async () => {
  await node?.close();
});

describe("author_rotateKeys / author_hasSessionKeys / author_hasKey / author_insertKey", () => {
  it("rotateKeys creates an Aura and a GRANDPA key, which the keystore then has", async () => {
    const keys: string = await node.callOk("author_rotateKeys");
    expect(keys).toMatch(/^0x[0-9a-f]{128}$/);
    const aura = keys.slice(0, 66);
    const gran = "0x" + keys.slice(66);
    expect(await node.callOk("author_hasKey", [aura, "aura"])).toBe(true);
    expect(await node.callOk("author_hasKey", [gran, "gran"])).toBe(true);
    expect(await node.callOk("author_hasKey", [gran, "aura"])).toBe(false);
    expect(await node.callOk("author_hasSessionKeys", [keys])).toBe(true);
    // a second rotation gives new keys
    expect(await node.callOk("author_rotateKeys")).not.toBe(keys);
  });

  it("insertKey stores a key under its type; hasSessionKeys needs every key of the set", async () => {
    const aura = new Keyring({ type: "sr25519" }).addFromUri("//Inserted").publicKey;
    const gran = new Keyring({ type: "ed25519" }).addFromUri("//Inserted").publicKey;
    const session = toHex(new Uint8Array([...aura, ...gran]));
    expect(await node.callOk("author_hasSessionKeys", [session])).toBe(false);
    expect(await node.callOk("author_insertKey", ["aura", "//Inserted", toHex(aura)])).toBeNull();
    expect(await node.callOk("author_hasSessionKeys", [session])).toBe(false);
    expect(await node.callOk("author_insertKey", ["gran", "//Inserted", toHex(gran)])).toBeNull();
    expect(await node.callOk("author_hasSessionKeys", [session])).toBe(true);
  });

  it("errors are Substrate's author 1040 texts", async () => {
    expect((await node.call("author_insertKey", ["auraX", "//A", "0x00"])).error).toEqual({ code: 1040, message: "Invalid key type ID format (should be of length four)" });
    expect((await node.call("author_hasKey", ["0x00", "ab"])).error).toEqual({ code: 1040, message: "Invalid key type ID format (should be of length four)" });
    expect((await node.call("author_hasSessionKeys", ["0x0102"])).error).toEqual({ code: 1040, message: "Session keys are not encoded correctly" });
  });

  it("are unsafe: refused for a non-local caller unless --rpc-methods unsafe", async () => {
    const entry = node.registry.lookup("author_rotateKeys");
    expect(entry?.kind === "method" && entry.def.unsafe).toBe(true);
    for (const m of ["author_insertKey", "author_hasKey", "author_hasSessionKeys", "author_removeExtrinsic", "state_traceBlock", "offchain_localStorageGet"]) {
      const e = node.registry.lookup(m);
      expect([m, e?.kind === "method" && e.def.unsafe]).toEqual([m, true]);
    }
  });

  it("without a keystore, they answer 'The key store is unavailable'", async () => {
    const registry = new RpcRegistry();
    registerAll(registry, { ...node.services, keystore: undefined });
    expect((await call(registry, "author_rotateKeys")).error).toEqual({ code: 1040, message: "The key store is unavailable" });
    expect((await call(registry, "author_hasKey", ["0x00", "aura"])).error).toEqual({ code: 1040, message: "The key store is unavailable" });
  });
});

describe("the file keystore", () => {
  it("stores generated and inserted keys as Substrate does: hex(type) ++ hex(public), a JSON SURI, owner-only", () => {
    const dir = mkdtempSync(join(tmpdir(), "keystore-"));
    try {
      const ks = new Keystore(join(dir, "keystore"));
      const pub = ks.generate("aura", "sr25519");
      const name = "61757261" + toHex(pub).slice(2);
      expect(readdirSync(join(dir, "keystore"))).toEqual([name]);
      const suri = JSON.parse(readFileSync(join(dir, "keystore", name), "utf8"));
      expect(toHex(new Keyring({ type: "sr25519" }).addFromUri(suri).publicKey)).toBe(toHex(pub));
      expect(statSync(join(dir, "keystore", name)).mode & 0o777).toBe(0o600);
      // a key from a seed is ephemeral: known, but not written
      const seeded = ks.generate("gran", "ed25519", "//Seeded");
      expect(ks.has("gran", seeded)).toBe(true);
      expect(ks.storedCount()).toBe(1);
      // a new keystore over the same directory knows the stored key only
      const again = new Keystore(join(dir, "keystore"));
      expect(again.has("aura", pub)).toBe(true);
      expect(again.has("gran", seeded)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("author_removeExtrinsic", () => {
  it("drops pool transactions by hash or by bytes, tells their watchers 'invalid', returns the removed hashes", async () => {
    const dave = new Keyring({ type: "sr25519" }).addFromUri("//Dave");
    const a = node.transfer(node.alice, dave.publicKey, 1_000_000_000n);
    const b = node.transfer(node.bob, dave.publicKey, 1_000_000_000n);
    const watch = await node.subscribe("author_submitAndWatchExtrinsic", [toHex(a)]);
    await node.callOk("author_submitExtrinsic", [toHex(b)]);
    expect(await node.callOk("author_pendingExtrinsics")).toHaveLength(2);
    const removed = await node.callOk("author_removeExtrinsic", [[{ hash: toHex(blake2_256(a)) }, { extrinsic: toHex(b) }, { hash: "0x" + "00".repeat(32) }]]);
    expect(removed).toEqual([toHex(blake2_256(a)), toHex(blake2_256(b))]);
    expect(await node.callOk("author_pendingExtrinsics")).toEqual([]);
    await watch.waitClosed();
    expect(watch.notifications).toEqual(["ready", "invalid"]);
    expect((await node.call("author_removeExtrinsic", [[{ block: "0x00" }]])).error?.code).toBe(-32602);
  });
});

describe("methods this node cannot serve answer one clear error", () => {
  it("child storage: 4003, no child tries", async () => {
    for (const m of ["childstate_getStorage", "childstate_getKeysPagedAt", "state_getChildStorage", "state_getChildReadProof"]) {
      expect((await node.call(m, ["0x00", "0x00"])).error).toEqual({ code: 4003, message: "Client error: Child storage is not supported: this chain has no child tries" });
    }
  });

  it("state_traceBlock: 4003, no tracing; offchain storage: 5001", async () => {
    expect((await node.call("state_traceBlock", [toHex(node.chain.best.hash), null, null, null])).error).toEqual({
      code: 4003,
      message: "Client error: Block tracing is not supported by this node",
    });
    expect((await node.call("offchain_localStorageGet", ["PERSISTENT", "0x00"])).error).toEqual({
      code: 5001,
      message: "This storage kind is not available yet",
      data: "this node runs no offchain workers and keeps no offchain storage",
    });
  });
});
