import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Metadata, TypeRegistry } from "@polkadot/types";
import { compact, u32, vec } from "../../chain/codec/scale.js";
import { AccountId32 } from "../../chain/codec/types.js";
import { Account, AccountInfoCodec, Number_, eventsStorage } from "../../chain/runtime/pallets/system.js";
import { TotalIssuance } from "../../chain/runtime/pallets/balances.js";
import { verifyProof } from "../../chain/trie/index.js";
import { RUNTIME_VERSION } from "../../chain/runtime/index.js";
import { RuntimeVersionCodec, TransactionValidityCodec } from "../../chain/runtime/api/codecs.js";
import { runtimeApiVersions } from "../../chain/runtime/api/index.js";
import { FeeDetailsCodec, RuntimeDispatchInfoCodec } from "../../chain/runtime/pallets/transactionPayment.js";
import { callWeight } from "../../chain/runtime/executive.js";
import { computeFee } from "../../chain/runtime/pallets/transactionPayment.js";
import type { RuntimeCallValue } from "../../chain/runtime/frame/dispatch.js";
import { concatBytes, fromHex, toHex } from "../../util/bytes.js";
import { blake2_256 } from "../../util/hash.js";
import { TestNode } from "../../../test/utils/rpcHarness.js";

let node: TestNode;
const UNKNOWN = "0x" + "cd".repeat(32);
const unknownBlockError = {
  code: 4003,
  message: `Client error: UnknownBlock: Header was not found in the database: ${UNKNOWN}`,
};
/** Through the runtime API (runtime_version_at, metadata()): sp_api::ApiError::UnknownBlock. */
const unknownApiBlockError = {
  code: 4003,
  message: `Client error: Api called for an unknown Block: Header was not found in the database: ${UNKNOWN}`,
};
let accountKey: (who: Uint8Array) => string;

beforeAll(async () => {
  node = await TestNode.create();
  accountKey = (who) => toHex(Account.key(who));
});
afterAll(async () => {
  await node?.close();
});

const stateCall = (method: string, data: Uint8Array | string, at?: string) =>
  node.call("state_call", at === undefined ? [method, typeof data === "string" ? data : toHex(data)] : [method, typeof data === "string" ? data : toHex(data), at]);

describe("state_getRuntimeVersion", () => {
  it("serves the version with the runtime API ids, for the best and historical blocks", async () => {
    const v = await node.callOk("state_getRuntimeVersion");
    expect(v).toMatchObject({
      specName: RUNTIME_VERSION.specName,
      implName: RUNTIME_VERSION.implName,
      specVersion: RUNTIME_VERSION.specVersion,
      transactionVersion: RUNTIME_VERSION.transactionVersion,
      systemVersion: 1,
      stateVersion: 1,
    });
    const apis = new Map(v.apis as Array<[string, number]>);
    expect(apis.get("0x37e397fc7c91f5e4")).toBe(2); // Metadata
    expect(apis.get("0xbc9d89904f5b923f")).toBe(1); // AccountNonceApi
    expect(apis.get("0x37c8bb1350a9a2a8")).toBe(4); // TransactionPaymentApi
    expect(apis.get("0xdf6acb689907609b")).toBe(5); // Core
    expect(v.apis).toEqual(runtimeApiVersions(node.runtime));
    const genesis = toHex(node.chain.genesisHash);
    expect(await node.callOk("state_getRuntimeVersion", [genesis])).toEqual(v);
    expect(await node.callOk("chain_getRuntimeVersion", [genesis])).toEqual(v);
    // polkadot-js decodes it
    const pjs = new TypeRegistry().createType("RuntimeVersion", v);
    expect(pjs.specName.toString()).toBe(RUNTIME_VERSION.specName);
    expect(pjs.apis.length).toBe(v.apis.length);
  });

  it("answers Substrate's 4003 error for an unknown block", async () => {
    expect((await node.call("state_getRuntimeVersion", [UNKNOWN])).error).toEqual(unknownApiBlockError);
  });

  it("state_subscribeRuntimeVersion (and its chain_ alias) sends the current version", async () => {
    for (const name of ["state_subscribeRuntimeVersion", "chain_subscribeRuntimeVersion"]) {
      const sub = await node.subscribe(name);
      expect(sub.notifications).toEqual([await node.callOk("state_getRuntimeVersion")]);
      sub.unsubscribe();
    }
    const e = node.registry.lookup("chain_unsubscribeRuntimeVersion");
    expect(e?.kind === "unsubscribe" && e.def.notification).toBe("state_runtimeVersion");
  });
});

describe("metadata", () => {
  it("state_getMetadata serves V14, which polkadot-js decodes", async () => {
    const hex = await node.callOk("state_getMetadata");
    expect(hex.startsWith("0x6d657461" + "0e")).toBe(true);
    expect(hex).toBe(toHex(node.services.metadata.v14));
    const md = new Metadata(new TypeRegistry(), hex);
    expect(md.version).toBe(14);
    expect(await node.callOk("state_getMetadata", [toHex(node.chain.genesisHash)])).toBe(hex);
    expect((await node.call("state_getMetadata", [UNKNOWN])).error).toEqual(unknownApiBlockError);
  });

  it("Metadata_* runtime calls: versions [14, 15], V15 at version 15, None otherwise", async () => {
    expect((await stateCall("Metadata_metadata_versions", "0x")).result).toBe(toHex(vec(u32).encode([14, 15])));
    const at15 = (await stateCall("Metadata_metadata_at_version", u32.encode(15))).result as string;
    expect(at15).toBe(toHex(concatBytes(new Uint8Array([1]), compact(u32).encode(node.services.metadata.v15.length), node.services.metadata.v15)));
    const md = new Metadata(new TypeRegistry(), toHex(fromHex(at15).subarray(1 + compact(u32).encode(node.services.metadata.v15.length).length)));
    expect(md.version).toBe(15);
    expect(md.asV15.apis.map((a) => a.name.toString())).toEqual([
      "Core",
      "Metadata",
      "BlockBuilder",
      "GenesisBuilder",
      "TaggedTransactionQueue",
      "OffchainWorkerApi",
      "SessionKeys",
      "AccountNonceApi",
      "AuraApi",
      "GrandpaApi",
      "TransactionPaymentApi",
      "TransactionPaymentCallApi",
      "DelegateInfoRuntimeApi",
      "NeuronInfoRuntimeApi",
      "SubnetInfoRuntimeApi",
      "StakeInfoRuntimeApi",
      "SubnetRegistrationRuntimeApi",
    ]);
    expect((await stateCall("Metadata_metadata_at_version", u32.encode(14))).result).toBe(
      toHex(concatBytes(new Uint8Array([1]), compact(u32).encode(node.services.metadata.v14.length), node.services.metadata.v14)),
    );
    expect((await stateCall("Metadata_metadata_at_version", u32.encode(16))).result).toBe("0x00");
    expect((await stateCall("Metadata_metadata", "0x")).result).toBe(
      toHex(concatBytes(compact(u32).encode(node.services.metadata.v14.length), node.services.metadata.v14)),
    );
  });
});

describe("state_call", () => {
  it("Core_version encodes the runtime version", async () => {
    const raw = (await stateCall("Core_version", "0x")).result as string;
    const v = RuntimeVersionCodec.decode(fromHex(raw));
    expect(v.specName).toBe(RUNTIME_VERSION.specName);
    expect(v.specVersion).toBe(RUNTIME_VERSION.specVersion);
    expect(v.apis.map(([id, ver]) => [toHex(id), ver])).toEqual(runtimeApiVersions(node.runtime));
    expect(v.systemVersion).toBe(1);
  });

  it("AccountNonceApi_account_nonce reads the nonce at the given block (state_callAt alias)", async () => {
    const before = toHex(node.chain.best.hash);
    const n0 = node.nonceOf(node.alice);
    await node.produce([node.transfer(node.alice, node.bob.publicKey, 10n ** 9n)]);
    const now = await node.callOk("state_call", ["AccountNonceApi_account_nonce", toHex(node.alice.publicKey)]);
    expect(u32.decode(fromHex(now))).toBe(n0 + 1);
    const then = await node.callOk("state_callAt", ["AccountNonceApi_account_nonce", toHex(node.alice.publicKey), before]);
    expect(u32.decode(fromHex(then))).toBe(n0);
  });

  it("TransactionPaymentApi_query_info does not check the signature (paymentInfo sends a dummy one)", async () => {
    const ext = node.transfer(node.alice, node.bob.publicKey, 5n * 10n ** 9n);
    const dummy = ext.slice();
    dummy.set(new Uint8Array(64).fill(1), 2 + 1 + 1 + 32 + 1); // Compact(len) (2 bytes) + version + MultiAddress::Id tag + account + MultiSignature tag
    const decoded = node.chain.decode(dummy);
    expect(decoded.signed?.signature.value).toEqual(new Uint8Array(64).fill(1));
    const res = await stateCall("TransactionPaymentApi_query_info", concatBytes(dummy, u32.encode(dummy.length)));
    const info = RuntimeDispatchInfoCodec.decode(fromHex(res.result as string));
    const { weight } = callWeight(node.runtime, decoded.call as RuntimeCallValue);
    expect(info.weight.refTime).toBe(weight);
    expect(info.class.tag).toBe("Normal");
    expect(info.partialFee).toBe(computeFee(dummy.length, weight, 0n).total);
    expect(info.partialFee).toBeGreaterThan(0n);

    const details = FeeDetailsCodec.decode(fromHex((await stateCall("TransactionPaymentApi_query_fee_details", concatBytes(dummy, u32.encode(dummy.length)))).result as string));
    const fee = computeFee(dummy.length, weight, 0n);
    expect(details).toEqual({ inclusionFee: { baseFee: fee.baseFee, lenFee: fee.lenFee, adjustedWeightFee: fee.adjustedWeightFee }, tip: 0n });
  });

  it("TaggedTransactionQueue_validate_transaction checks everything, the signature included", async () => {
    const good = node.transfer(node.alice, node.bob.publicKey, 1n);
    const source = new Uint8Array([2]); // External
    const input = (ext: Uint8Array) => concatBytes(source, ext, node.chain.best.hash);
    const res = await stateCall("TaggedTransactionQueue_validate_transaction", input(good));
    expect(res.error).toBeUndefined();
    const ok = TransactionValidityCodec.decode(fromHex(res.result as string));
    expect(ok.tag).toBe("Ok");
    const v = ok.value as { provides: Uint8Array[]; requires: Uint8Array[] };
    expect(v.provides).toEqual([concatBytes(node.alice.publicKey, u32.encode(node.nonceOf(node.alice)))]);
    expect(v.requires).toEqual([]);
    const bad = good.slice();
    bad[bad.length - 2] ^= 1; // flips a byte of the call's dest account: the signature no longer matches
    const err = TransactionValidityCodec.decode(fromHex((await stateCall("TaggedTransactionQueue_validate_transaction", input(bad))).result as string));
    expect(err).toEqual({ tag: "Err", value: { tag: "Invalid", value: { tag: "BadProof" } } });
  });

  it("AuraApi: slot duration and authorities", async () => {
    const slot = (await stateCall("AuraApi_slot_duration", "0x")).result as string;
    expect(slot).toBe("0xe02e000000000000"); // 12000 ms
    const auth = vec(AccountId32).decode(fromHex((await stateCall("AuraApi_authorities", "0x")).result as string));
    expect(auth).toEqual([node.alice.publicKey]);
  });

  it("answers Substrate's errors: unknown method, bad input, unknown block, bad params", async () => {
    expect((await stateCall("Foo_bar", "0x")).error).toEqual({ code: 4003, message: "Client error: Execution failed: Other: Exported method Foo_bar is not found" });
    expect((await stateCall("AccountNonceApi_nope", "0x")).error?.message).toBe("Client error: Execution failed: Other: Exported method AccountNonceApi_nope is not found");
    const bad = await stateCall("AccountNonceApi_account_nonce", "0x0102");
    expect(bad.error?.code).toBe(4003);
    expect(bad.error?.message).toMatch(/^Client error: Execution failed: Execution aborted due to panic: Bad input data provided to account_nonce: /);
    const badExt = await stateCall("TransactionPaymentApi_query_info", concatBytes(new Uint8Array([8, 0x84, 0xff]), u32.encode(3)));
    expect(badExt.error?.message).toMatch(/Bad input data provided to query_info/);
    expect((await stateCall("Core_version", "0x", UNKNOWN)).error).toEqual({
      code: 4003,
      message: `Client error: UnknownBlock: Expect block number from id: Hash(${UNKNOWN})`,
    });
    expect((await node.call("state_call", ["Core_version"])).error?.code).toBe(-32602);
    expect((await node.call("state_call", ["Core_version", "0x1"])).error?.code).toBe(-32602);
  });
});

describe("storage reads", () => {
  it("state_getStorage (and state_getStorageAt) read values, null when absent, at any block", async () => {
    const genesis = toHex(node.chain.genesisHash);
    const before = node.chain.best.hash;
    const charlieKey = accountKey(node.charlie.publicKey);
    const freeAt = async (at?: string) => {
      const hex = await node.callOk("state_getStorage", at ? [charlieKey, at] : [charlieKey]);
      return AccountInfoCodec.decode(fromHex(hex)).data.free;
    };
    const initial = await freeAt();
    await node.produce([node.transfer(node.alice, node.charlie.publicKey, 7n * 10n ** 9n)]);
    expect(await freeAt()).toBe(initial + 7n * 10n ** 9n);
    expect(await freeAt(toHex(before))).toBe(initial);
    expect(await freeAt(genesis)).toBe(Account.get(node.chain.stateAt(node.chain.genesisHash), node.charlie.publicKey).data.free);
    expect(await node.callOk("state_getStorageAt", [charlieKey, toHex(before)])).toBe(await node.callOk("state_getStorage", [charlieKey, toHex(before)]));
    const nobody = accountKey(new Uint8Array(32).fill(9));
    expect(await node.call("state_getStorage", [nobody])).toEqual({ result: null });
    expect((await node.call("state_getStorage", [charlieKey, UNKNOWN])).error).toEqual(unknownBlockError);
    expect((await node.call("state_getStorage", ["0xzz"])).error?.code).toBe(-32602);
    expect(await node.callOk("state_getStorage", [toHex(Number_.key())])).toBe(toHex(u32.encode(node.chain.best.number)));
  });

  it("reads without a hash follow the best block through new blocks and reorgs", async () => {
    const a = accountKey(node.alice.publicKey);
    const nonce = async () => u32.decode(fromHex(await node.callOk("state_call", ["AccountNonceApi_account_nonce", toHex(node.alice.publicKey)])));
    const base = node.chain.best;
    const atBase = await node.callOk("state_getStorage", [a]);
    const nonceAtBase = await nonce();
    const moved = await node.produce([node.transfer(node.alice, node.bob.publicKey, 10n ** 9n)]);
    expect(moved.isBest).toBe(true);
    const afterTransfer = await node.callOk("state_getStorage", [a]);
    expect(afterTransfer).not.toBe(atBase);
    expect(await nonce()).toBe(nonceAtBase + 1);
    // a longer fork from `base` without that transfer becomes best: its state is served, not the old best's
    const f1 = await node.produce([], { parent: { hash: base.hash } });
    expect(f1.isBest).toBe(false);
    expect(await node.callOk("state_getStorage", [a])).toBe(afterTransfer);
    const f2 = await node.produce([], { parent: f1 });
    expect(f2.isBest).toBe(true);
    expect(await node.callOk("state_getStorage", [a])).toBe(atBase);
    expect(await nonce()).toBe(nonceAtBase);
    expect(await node.callOk("state_getStorage", [toHex(Number_.key())])).toBe(toHex(u32.encode(f2.header.number)));
    // the retracted block's state stays readable by its hash
    expect(await node.callOk("state_getStorage", [a, toHex(moved.hash)])).toBe(afterTransfer);
  });

  it("state_getStorageHash and state_getStorageSize", async () => {
    const key = accountKey(node.alice.publicKey);
    const value = fromHex(await node.callOk("state_getStorage", [key]));
    expect(await node.callOk("state_getStorageHash", [key])).toBe(toHex(blake2_256(value)));
    expect(await node.callOk("state_getStorageHashAt", [key, toHex(node.chain.best.hash)])).toBe(toHex(blake2_256(value)));
    expect(await node.callOk("state_getStorageSize", [key])).toBe(value.length);
    // a prefix: the sum of the values under it
    const all = (await node.callOk("state_getKeys", [toHex(Account.prefix)])) as string[];
    expect(await node.callOk("state_getStorageSize", [toHex(Account.prefix)])).toBe(all.length * value.length);
    expect(await node.callOk("state_getStorageSizeAt", ["0xdeadbeef", toHex(node.chain.best.hash)])).toBeNull();
    expect(await node.callOk("state_getStorageHash", ["0xdeadbeef"])).toBeNull();
  });

  it("state_getKeys and state_getKeysPaged iterate in byte order, strictly after startKey", async () => {
    const prefix = toHex(Account.prefix);
    const keys = (await node.callOk("state_getKeys", [prefix])) as string[];
    expect(keys.length).toBeGreaterThanOrEqual(6);
    expect([...keys].sort()).toEqual(keys);
    expect(keys.every((k) => k.startsWith(prefix))).toBe(true);

    const page1 = await node.callOk("state_getKeysPaged", [prefix, 2]);
    expect(page1).toEqual(keys.slice(0, 2));
    const page2 = await node.callOk("state_getKeysPaged", [prefix, 2, page1[1]]);
    expect(page2).toEqual(keys.slice(2, 4));
    // polkadot-js passes startKey = prefix for the first page
    expect(await node.callOk("state_getKeysPagedAt", [prefix, 1000, prefix, toHex(node.chain.best.hash)])).toEqual(keys);
    expect(await node.callOk("state_getKeysPaged", [prefix, 0])).toEqual([]);
    // a null prefix pages through all keys
    const first = await node.callOk("state_getKeysPaged", [null, 3]);
    expect(first).toHaveLength(3);
    expect(await node.callOk("state_getKeysPaged", [prefix, 5, keys[keys.length - 1]])).toEqual([]);
  });

  it("state_getKeysPaged refuses count > 1000 with 4002, like Substrate", async () => {
    expect((await node.call("state_getKeysPaged", ["0x", 1001])).error).toEqual({ code: 4002, message: "count exceeds maximum value. value: 1001, max: 1000" });
    expect((await node.call("state_getKeysPaged", ["0x", 10, null, UNKNOWN])).error).toEqual(unknownBlockError);
    expect((await node.call("state_getKeysPaged", ["0x", -1])).error?.code).toBe(-32602);
  });

  it("state_getPairs is unsafe", async () => {
    const e = node.registry.lookup("state_getPairs");
    expect(e?.kind === "method" && e.def.unsafe).toBe(true);
    const pairs = await node.callOk("state_getPairs", [toHex(TotalIssuance.key())]);
    expect(pairs).toEqual([[toHex(TotalIssuance.key()), await node.callOk("state_getStorage", [toHex(TotalIssuance.key())])]]);
  });
});

describe("state_queryStorageAt / state_queryStorage", () => {
  it("returns one change set with every key (null when absent), deduplicated", async () => {
    const a = accountKey(node.alice.publicKey);
    const nobody = accountKey(new Uint8Array(32).fill(7));
    const best = toHex(node.chain.best.hash);
    const res = await node.callOk("state_queryStorageAt", [[a, nobody, a]]);
    expect(res).toEqual([{ block: best, changes: [[a, await node.callOk("state_getStorage", [a])], [nobody, null]] }]);
    expect(await node.callOk("state_queryStorageAt", [[a], toHex(node.chain.genesisHash)])).toEqual([
      { block: toHex(node.chain.genesisHash), changes: [[a, await node.callOk("state_getStorage", [a, toHex(node.chain.genesisHash)])]] },
    ]);
    expect(await node.callOk("state_queryStorageAt", [[]])).toEqual([]);
  });

  it("answers Substrate's 4001 block-range error for an unknown block", async () => {
    const a = accountKey(node.alice.publicKey);
    expect((await node.call("state_queryStorageAt", [[a], UNKNOWN])).error).toEqual({
      code: 4001,
      message: `Cannot resolve a block range ['"${UNKNOWN}"' ... '"Some(${UNKNOWN})"]. UnknownBlock: Header was not found in the database: ${UNKNOWN}`,
    });
  });

  it("state_queryStorage (unsafe) reports the initial value, then only changes", async () => {
    const e = node.registry.lookup("state_queryStorage");
    expect(e?.kind === "method" && e.def.unsafe).toBe(true);
    const from = node.chain.best;
    const d = accountKey(node.keyring.addFromUri("//Dave").publicKey);
    const n = toHex(Number_.key());
    await node.produce();
    const b2 = await node.produce([node.transfer(node.alice, node.keyring.addFromUri("//Dave").publicKey, 10n ** 9n)]);
    const res = (await node.callOk("state_queryStorage", [[d, n], toHex(from.hash)])) as Array<{ block: string; changes: unknown[] }>;
    expect(res).toHaveLength(3);
    expect(res[0].changes).toHaveLength(2);
    expect(res[1].changes).toEqual([[n, toHex(u32.encode(from.number + 1))]]);
    expect(res[2].block).toBe(toHex(b2.hash));
    expect(res[2].changes.map((c) => (c as string[])[0])).toEqual([d, n]);
    const reversed = await node.call("state_queryStorage", [[d], toHex(b2.hash), toHex(from.hash)]);
    expect(reversed.error?.code).toBe(4001);
    expect(reversed.error?.message).toMatch(/from number > to number$/);
  });
});

describe("state_getReadProof", () => {
  it("returns trie nodes that prove the values against the block's state root", async () => {
    const a = Account.key(node.alice.publicKey);
    const absent = Account.key(new Uint8Array(32).fill(3));
    const res = await node.callOk("state_getReadProof", [[toHex(a), toHex(absent)]]);
    expect(res.at).toBe(toHex(node.chain.best.hash));
    const proof = (res.proof as string[]).map(fromHex);
    const root = node.chain.best.header.stateRoot;
    expect(verifyProof(root, proof, a)).toEqual(fromHex(await node.callOk("state_getStorage", [toHex(a)])));
    expect(verifyProof(root, proof, absent)).toBeUndefined();
    expect((await node.call("state_getReadProof", [[toHex(a)], UNKNOWN])).error).toEqual(unknownBlockError);
  });
});

describe("state_subscribeStorage", () => {
  it("first sends every key (null when absent), then the keys each new best block wrote", async () => {
    const a = accountKey(node.alice.publicKey);
    const eve = node.keyring.addFromUri("//Eve");
    const e = accountKey(eve.publicKey);
    const ferdie = accountKey(node.keyring.addFromUri("//Ferdie").publicKey);
    const nobody = accountKey(new Uint8Array(32).fill(5));
    const sub = await node.subscribe("state_subscribeStorage", [[a, e, ferdie, nobody]]);
    expect(sub.notifications).toEqual([
      {
        block: toHex(node.chain.best.hash),
        changes: [
          [a, await node.callOk("state_getStorage", [a])],
          [e, await node.callOk("state_getStorage", [e])],
          [ferdie, await node.callOk("state_getStorage", [ferdie])],
          [nobody, null],
        ],
      },
    ]);
    const b = await node.produce([node.transfer(node.alice, eve.publicKey, 3n * 10n ** 9n)]);
    await sub.waitFor(2);
    expect(sub.notifications[1]).toEqual({
      block: toHex(b.hash),
      changes: [
        [a, await node.callOk("state_getStorage", [a])],
        [e, await node.callOk("state_getStorage", [e])],
      ].sort((x, y) => (x[0] < y[0] ? -1 : 1)),
    });
    await node.produce(); // nothing of ours changes: no notification
    sub.unsubscribe();
    await node.produce([node.transfer(node.alice, eve.publicKey, 10n ** 9n)]);
    expect(sub.notifications).toHaveLength(2);
  });

  it("catches up after a reorg with the values of the new best block", async () => {
    const a = accountKey(node.alice.publicKey);
    const base = node.chain.best;
    const sub = await node.subscribe("state_subscribeStorage", [[a]]);
    await node.produce([node.transfer(node.alice, node.bob.publicKey, 10n ** 9n)]); // best: alice changed
    await sub.waitFor(2);
    // a longer fork from `base` without that transfer becomes best
    const f1 = await node.produce([], { parent: { hash: base.hash } });
    expect(f1.isBest).toBe(false);
    const f2 = await node.produce([], { parent: f1 });
    expect(f2.isBest).toBe(true);
    await sub.waitFor(3);
    expect(sub.notifications[2]).toEqual({ block: toHex(f2.hash), changes: [[a, await node.callOk("state_getStorage", [a, toHex(base.hash)])]] });
    sub.unsubscribe();
  });

  it("without keys, reports every change of each new best block", async () => {
    const sub = await node.subscribe("state_subscribeStorage", []);
    expect(sub.notifications).toEqual([]);
    const b = await node.produce();
    await sub.waitFor(1);
    const n = sub.notifications[0] as { block: string; changes: Array<[string, string | null]> };
    expect(n.block).toBe(toHex(b.hash));
    expect(n.changes).toContainEqual([toHex(Number_.key()), toHex(u32.encode(b.header.number))]);
    expect(n.changes.map((c) => c[0])).toContain(toHex(eventsStorage(node.runtime.pallet("System")).key()));
    sub.unsubscribe();
  });

  it("with an empty key list, never notifies", async () => {
    const sub = await node.subscribe("state_subscribeStorage", [[]]);
    await node.produce();
    expect(sub.notifications).toEqual([]);
    sub.unsubscribe();
    expect((await node.call("state_getStorage", [])).error?.code).toBe(-32602);
  });
});
