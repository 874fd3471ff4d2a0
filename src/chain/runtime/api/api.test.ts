/**
 * The runtime-wide and standard runtime APIs through `state_call` on a real dev chain:
 * TransactionPaymentCallApi, BlockBuilder, Core's block methods, SessionKeys, GrandpaApi,
 * GenesisBuilder, OffchainWorkerApi. Inputs and outputs are SCALE built here independently of the
 * implementation (codecs of the API signatures, as a client would build them).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Keyring } from "@polkadot/keyring";
import { bytes, compact, option, tuple, u32, u64, vec } from "../../codec/scale.js";
import { AccountId32, HeaderCodec } from "../../codec/types.js";
import { decodeBlock, encodeHeader } from "../../codec/block.js";
import { concatBytes, fromHex, toHex, utf8Bytes } from "../../../util/bytes.js";
import { Now } from "../pallets/timestamp.js";
import { FeeDetailsCodec, RuntimeDispatchInfoCodec } from "../pallets/transactionPayment.js";
import { ApplyExtrinsicResultCodec, CheckInherentsResultCodec, DecodedSessionKeys, InherentDataCodec } from "./codecs.js";
import { TestNode } from "../../../../test/utils/rpcHarness.js";

let node: TestNode;
const TAO = 1_000_000_000n;

const stateCall = (method: string, data: Uint8Array | string, at?: string) =>
  node.call("state_call", at ? [method, typeof data === "string" ? data : toHex(data), at] : [method, typeof data === "string" ? data : toHex(data)]);
async function ok(method: string, data: Uint8Array | string = "0x", at?: string): Promise<Uint8Array> {
  const r = await stateCall(method, data, at);
  if (r.error) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return fromHex(r.result as string);
}

beforeAll(async () => {
  node = await TestNode.create();
  await node.produce([]);
  await node.produce([node.transfer(node.alice, node.bob.publicKey, TAO)]);
});
afterAll(async () => {
  await node?.close();
});

describe("TransactionPaymentCallApi", () => {
  it("query_call_info / query_call_fee_details price a bare call like the same call in a signed extrinsic", async () => {
    const call = node.encodeCall("Balances", "transfer_keep_alive", { dest: { tag: "Id", value: node.bob.publicKey }, value: TAO });
    const ext = node.sign(node.alice, call);
    const viaExtrinsic = RuntimeDispatchInfoCodec.decode(await ok("TransactionPaymentApi_query_info", concatBytes(ext, u32.encode(ext.length))));
    const viaCall = RuntimeDispatchInfoCodec.decode(await ok("TransactionPaymentCallApi_query_call_info", concatBytes(call, u32.encode(ext.length))));
    expect(viaCall).toEqual(viaExtrinsic);
    expect(viaCall.partialFee).toBeGreaterThan(0n);
    const details = FeeDetailsCodec.decode(await ok("TransactionPaymentCallApi_query_call_fee_details", concatBytes(call, u32.encode(ext.length))));
    const f = details.inclusionFee!;
    expect(f.baseFee + f.lenFee + f.adjustedWeightFee).toBe(viaCall.partialFee);
    expect(u64.decode(await ok("TransactionPaymentCallApi_query_length_to_fee", u32.encode(100)))).toBe(100n);
  });

  it("a feeless call costs nothing and has no inclusion fee", async () => {
    const call = node.encodeCall("SubtensorModule", "become_delegate", { hotkey: node.bob.publicKey });
    expect(RuntimeDispatchInfoCodec.decode(await ok("TransactionPaymentCallApi_query_call_info", concatBytes(call, u32.encode(120)))).partialFee).toBe(0n);
    expect(FeeDetailsCodec.decode(await ok("TransactionPaymentCallApi_query_call_fee_details", concatBytes(call, u32.encode(120))))).toEqual({ inclusionFee: null, tip: 0n });
  });

  it("an undecodable call is a 4003 panic naming the method", async () => {
    const r = await stateCall("TransactionPaymentCallApi_query_call_info", concatBytes(new Uint8Array([0xee, 0x00]), u32.encode(1)));
    expect(r.error?.code).toBe(4003);
    expect(r.error?.message).toMatch(/^Client error: Execution failed: Execution aborted due to panic: Bad input data provided to query_call_info/);
  });
});

describe("BlockBuilder", () => {
  it("apply_extrinsic: Ok(Ok(())) for a good transfer, Err(Invalid(Stale)) for a used nonce", async () => {
    const good = node.transfer(node.alice, node.bob.publicKey, TAO);
    expect(ApplyExtrinsicResultCodec.decode(await ok("BlockBuilder_apply_extrinsic", good))).toEqual({ tag: "Ok", value: { tag: "Ok", value: [] } });
    const stale = node.transfer(node.alice, node.bob.publicKey, TAO, { nonce: 0 });
    expect(toHex(await ok("BlockBuilder_apply_extrinsic", stale))).toBe("0x010003"); // Err(Invalid(Stale))
  });

  it("inherent_extrinsics: the Timestamp.set inherent, never earlier than Now + MinimumPeriod", async () => {
    const now = Now.get(node.chain.bestState());
    const data = (t: bigint) => InherentDataCodec.encode({ data: [[utf8Bytes("timstap0"), u64.encode(t)]] });
    const later = now + 60_000n;
    const [ext] = vec(bytes).decode(await ok("BlockBuilder_inherent_extrinsics", data(later)));
    const call = node.encodeCall("Timestamp", "set", { now: later });
    expect(toHex(ext)).toBe(toHex(concatBytes(new Uint8Array([4]), call))); // an unsigned extrinsic: version 4, then the call
    const [early] = vec(bytes).decode(await ok("BlockBuilder_inherent_extrinsics", data(1n)));
    const minimumPeriod = BigInt(node.spec.consensus.slotDurationMs / 2);
    expect(toHex(early)).toBe(toHex(concatBytes(new Uint8Array([4]), node.encodeCall("Timestamp", "set", { now: now + minimumPeriod }))));
    const none = await stateCall("BlockBuilder_inherent_extrinsics", InherentDataCodec.encode({ data: [] }));
    expect(none.error?.message).toBe("Client error: Execution failed: Execution aborted due to panic: Timestamp inherent data must be provided");
  });

  it("check_inherents: okay for the chain's own block, a fatal timestamp error for one too far ahead", async () => {
    const best = node.chain.best;
    const parent = toHex(best.header.parentHash);
    const body = node.chain.body(best.hash)!;
    const block = (extrinsics: Uint8Array[]) => concatBytes(encodeHeader(best.header), compact(u32).encode(extrinsics.length), ...extrinsics);
    const moment = Now.get(node.chain.bestState());
    const data = InherentDataCodec.encode({ data: [[utf8Bytes("timstap0"), u64.encode(moment)]] });
    const good = CheckInherentsResultCodec.decode(await ok("BlockBuilder_check_inherents", concatBytes(block(body), data), parent));
    expect(good).toEqual({ okay: true, fatalError: false, errors: { data: [] } });
    const future = node.encodeCall("Timestamp", "set", { now: moment + 60_000n });
    const bad = CheckInherentsResultCodec.decode(await ok("BlockBuilder_check_inherents", concatBytes(block([concatBytes(compact(u32).encode(future.length + 1), new Uint8Array([4]), future)]), data), parent));
    expect(bad).toEqual({ okay: false, fatalError: true, errors: { data: [[utf8Bytes("timstap0"), new Uint8Array([1])]] } }); // TooFarInFuture
  });

  it("finalize_block without a timestamp inherent panics as a Substrate runtime does", async () => {
    const r = await stateCall("BlockBuilder_finalize_block", "0x");
    expect(r.error).toEqual({ code: 4003, message: "Client error: Execution failed: Execution aborted due to panic: Timestamp must be updated once in the block" });
  });
});

describe("Core block methods", () => {
  it("execute_block re-executes the best block on its parent; a wrong state root is the executive's panic", async () => {
    const best = node.chain.best;
    const parent = toHex(best.header.parentHash);
    const encoded = concatBytes(encodeHeader(best.header), compact(u32).encode(node.chain.body(best.hash)!.length), ...node.chain.body(best.hash)!);
    expect(decodeBlock(encoded).extrinsics.length).toBeGreaterThan(0);
    expect(toHex(await ok("Core_execute_block", encoded, parent))).toBe("0x");
    const tampered = { ...best.header, stateRoot: new Uint8Array(32).fill(7) };
    const bad = concatBytes(encodeHeader(tampered), compact(u32).encode(node.chain.body(best.hash)!.length), ...node.chain.body(best.hash)!);
    expect((await stateCall("Core_execute_block", bad, parent)).error?.message).toBe(
      "Client error: Execution failed: Execution aborted due to panic: Storage root must match that calculated.",
    );
    // a block that is not a child of the call's block
    expect((await stateCall("Core_execute_block", encoded)).error?.message).toMatch(/Parent hash should be valid/);
  });

  it("initialize_block answers AllExtrinsics for a child header", async () => {
    const best = node.chain.best;
    const child = HeaderCodec.encode({ parentHash: best.hash, number: best.number + 1, stateRoot: new Uint8Array(32), extrinsicsRoot: new Uint8Array(32), digest: { logs: [] } });
    expect(toHex(await ok("Core_initialize_block", child))).toBe("0x00");
  });
});

describe("SessionKeys", () => {
  it("generate_session_keys(seed) gives the Aura (sr25519) then GRANDPA (ed25519) public keys and stores them", async () => {
    const keys = bytes.decode(await ok("SessionKeys_generate_session_keys", option(bytes).encode(utf8Bytes("//Session"))));
    const aura = new Keyring({ type: "sr25519" }).addFromUri("//Session").publicKey;
    const gran = new Keyring({ type: "ed25519" }).addFromUri("//Session").publicKey;
    expect(toHex(keys)).toBe(toHex(concatBytes(aura, gran)));
    expect(node.services.keystore!.has("aura", aura)).toBe(true);
    expect(node.services.keystore!.has("gran", gran)).toBe(true);
    const decoded = DecodedSessionKeys.decode(await ok("SessionKeys_decode_session_keys", bytes.encode(keys)));
    expect(decoded).toEqual([
      [aura, utf8Bytes("aura")],
      [gran, utf8Bytes("gran")],
    ]);
    expect(toHex(await ok("SessionKeys_decode_session_keys", bytes.encode(new Uint8Array(10))))).toBe("0x00"); // None
  });
});

describe("GrandpaApi", () => {
  it("serves the finality authority set and its id from state", async () => {
    const set = vec(tuple(AccountId32, u64)).decode(await ok("GrandpaApi_grandpa_authorities"));
    expect(set).toEqual([[new Keyring({ type: "ed25519" }).addFromUri("//Alice").publicKey, 1n]]);
    expect(u64.decode(await ok("GrandpaApi_current_set_id"))).toBe(0n);
    const proof = await ok("GrandpaApi_generate_key_ownership_proof", concatBytes(u64.encode(0n), new Uint8Array(32)));
    expect(toHex(proof)).toBe("0x00"); // None: no key ownership proofs on this chain
  });
});

describe("GenesisBuilder and OffchainWorkerApi", () => {
  it("get_preset(None) is the chain spec's genesis config as JSON; no named presets", async () => {
    const json = option(bytes).decode(await ok("GenesisBuilder_get_preset", "0x00"));
    const config = JSON.parse(new TextDecoder().decode(json!));
    expect(Object.keys(config).sort()).toEqual(["aura", "balances", "grandpa", "subtensorModule", "sudo", "system"]);
    expect(config.subtensorModule).toEqual(node.spec.subtensor);
    expect(config.balances.balances).toHaveLength(node.spec.balances.length);
    expect(toHex(await ok("GenesisBuilder_get_preset", concatBytes(new Uint8Array([1]), bytes.encode(utf8Bytes("dev")))))).toBe("0x00");
    expect(toHex(await ok("GenesisBuilder_preset_names"))).toBe("0x00");
  });

  it("build_state accepts this runtime's config and refuses others with a reason", async () => {
    const json = option(bytes).decode(await ok("GenesisBuilder_get_preset", "0x00"))!;
    expect(toHex(await ok("GenesisBuilder_build_state", bytes.encode(json)))).toBe("0x00"); // Ok(())
    const refused = await ok("GenesisBuilder_build_state", bytes.encode(utf8Bytes('{"evm": {}}')));
    expect(refused[0]).toBe(1); // Err(String)
    expect(new TextDecoder().decode(refused.subarray(2))).toBe("Invalid JSON blob: unknown field `evm`");
  });

  it("offchain_worker does nothing (no offchain workers)", async () => {
    expect(toHex(await ok("OffchainWorkerApi_offchain_worker", HeaderCodec.encode(node.chain.best.header)))).toBe("0x");
  });
});

describe("the runtime's API list", () => {
  it("has Subtensor's standard APIs with polkadot-stable2409's versions", async () => {
    const { apis } = await node.callOk("state_getRuntimeVersion");
    const { apiId } = await import("./ids.js");
    const versions = new Map(apis as Array<[string, number]>);
    const expected: Record<string, number> = {
      Core: 5,
      Metadata: 2,
      BlockBuilder: 6,
      GenesisBuilder: 1,
      TaggedTransactionQueue: 3,
      OffchainWorkerApi: 2,
      SessionKeys: 1,
      AccountNonceApi: 1,
      AuraApi: 1,
      GrandpaApi: 3,
      TransactionPaymentApi: 4,
      TransactionPaymentCallApi: 3,
    };
    for (const [name, version] of Object.entries(expected)) expect([name, versions.get(toHex(apiId(name)))]).toEqual([name, version]);
  });
});
