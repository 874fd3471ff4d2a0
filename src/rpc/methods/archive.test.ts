/**
 * archive_v1_* against the spec's JSON on a real dev chain with a fork above the finalized block,
 * and chainSpec_v1_*.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeHeader } from "../../chain/codec/block.js";
import { Account } from "../../chain/runtime/pallets/system.js";
import { toHex, utf8Bytes } from "../../util/bytes.js";
import { blake2_256 } from "../../util/hash.js";
import { callRuntime } from "../runtimeCalls.js";
import { TestNode, type TestSubscription } from "../../../test/utils/rpcHarness.js";
import type { ImportedBlock } from "../../chain/blockchain/blockchain.js";

let node: TestNode;
let final1: ImportedBlock;
let a2: ImportedBlock;
let b2: ImportedBlock;

beforeAll(async () => {
  node = await TestNode.create();
  final1 = await node.produce([], { finalize: true });
  a2 = await node.produce([], { parent: final1 });
  b2 = await node.produce([], { parent: final1 });
});

afterAll(async () => {
  await node?.close();
});

const unknown = "0x" + "cd".repeat(32);

/** Runs archive_v1_storage to its end; returns its events. */
async function storage(params: unknown[]): Promise<any[]> {
  const sub: TestSubscription = await node.subscribe("archive_v1_storage", params);
  await sub.waitClosed();
  return sub.notifications as any[];
}

describe("archive_v1", () => {
  it("genesisHash, finalizedHeight, hashByHeight (one finalized block; every branch above)", async () => {
    expect(await node.callOk("archive_v1_genesisHash")).toBe(toHex(node.chain.genesisHash));
    expect(await node.callOk("archive_v1_finalizedHeight")).toBe(1);
    expect(await node.callOk("archive_v1_hashByHeight", [0])).toEqual([toHex(node.chain.genesisHash)]);
    expect(await node.callOk("archive_v1_hashByHeight", [1])).toEqual([toHex(final1.hash)]);
    expect((await node.callOk("archive_v1_hashByHeight", [2])).sort()).toEqual([toHex(a2.hash), toHex(b2.hash)].sort());
    expect(await node.callOk("archive_v1_hashByHeight", [3])).toEqual([]);
    expect((await node.call("archive_v1_hashByHeight", ["x"])).error?.code).toBe(-32602);
  });

  it("header, body: hex, or null for an unknown block", async () => {
    expect(await node.callOk("archive_v1_header", [toHex(a2.hash)])).toBe(toHex(encodeHeader(a2.header)));
    expect(await node.callOk("archive_v1_body", [toHex(a2.hash)])).toEqual(a2.extrinsics.map((e) => toHex(e)));
    expect(await node.callOk("archive_v1_header", [unknown])).toBeNull();
    expect(await node.callOk("archive_v1_body", [unknown])).toBeNull();
  });

  it("call: {success: true, value}, {success: false, error}, or null for an unknown block", async () => {
    expect(await node.callOk("archive_v1_call", [toHex(b2.hash), "Core_version", "0x"])).toStrictEqual({ success: true, value: toHex(callRuntime(node.services, "Core_version", new Uint8Array(), b2.hash)) });
    const failed = await node.callOk("archive_v1_call", [toHex(b2.hash), "Nope_nothing", ""]);
    expect(failed).toStrictEqual({ success: false, error: expect.stringContaining("Nope_nothing") });
    expect(await node.callOk("archive_v1_call", [unknown, "Core_version", "0x"])).toBeNull();
  });

  it("storage: one `storage` event per item, then storageDone; paginationStartKey resumes after a key", async () => {
    const state = node.chain.stateAt(b2.hash);
    const aliceKey = Account.key(node.alice.publicKey);
    const prefix = Account.key().subarray(0, 32);
    const keys = state.keys(prefix);
    const events = await storage([
      toHex(b2.hash),
      [
        { key: toHex(aliceKey), type: "value" },
        { key: toHex(aliceKey), type: "hash" },
        { key: "0x", type: "closestDescendantMerkleValue" },
        { key: toHex(prefix), type: "descendantsHashes", paginationStartKey: toHex(keys[2]) },
      ],
      null,
    ]);
    const value = state.get(aliceKey)!;
    expect(events).toStrictEqual([
      { event: "storage", key: toHex(aliceKey), value: toHex(value) },
      { event: "storage", key: toHex(aliceKey), hash: toHex(blake2_256(value)) },
      { event: "storage", key: "0x", closestDescendantMerkleValue: toHex(b2.header.stateRoot) },
      ...keys.slice(3).map((k) => ({ event: "storage", key: toHex(k), hash: toHex(blake2_256(state.get(k)!)) })),
      { event: "storageDone" },
    ]);
  });

  it("storage: `:code` answers with the native runtime's stand-in; an unknown block is storageError", async () => {
    const code = toHex(utf8Bytes(":code"));
    const [item] = await storage([toHex(b2.hash), [{ key: code, type: "value" }], null]);
    expect(Buffer.from(item.value.slice(2), "hex").toString("utf8")).toMatch(/^subtensor-ts:native-runtime:/);
    expect(await storage([unknown, [{ key: "0x", type: "value" }], null])).toStrictEqual([{ event: "storageError", error: "Invalid block hash" }]);
  });
});

describe("chainSpec_v1", () => {
  it("chainName, genesisHash, properties", async () => {
    expect(await node.callOk("chainSpec_v1_chainName")).toBe("Development");
    expect(await node.callOk("chainSpec_v1_genesisHash")).toBe(toHex(node.chain.genesisHash));
    expect(await node.callOk("chainSpec_v1_properties")).toStrictEqual({ ss58Format: 42, tokenDecimals: 9, tokenSymbol: "TAO" });
  });
});
