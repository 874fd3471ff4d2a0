import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChainHarness } from "../../../../test/utils/chainHarness.js";
import { Key } from "./sudo.js";
import { TAO } from "../../spec.js";
import type { EnumValue } from "../../codec/scale.js";

describe("Sudo through the executive", () => {
  let h: ChainHarness;
  beforeEach(async () => {
    h = await ChainHarness.create();
  });
  afterEach(async () => {
    await h.close();
  });

  const inner = (pallet: string, call: string, args: Record<string, unknown>) => h.runtime.callCodec.decode(h.encodeCall(pallet, call, args));
  const sudoCall = (call: string, args: Record<string, unknown>) => h.encodeCall("Sudo", call, args);
  const failure = (block: Awaited<ReturnType<ChainHarness["produce"]>>) =>
    (h.eventsOf(block).find((e) => e.name === "System.ExtrinsicFailed")?.data as { dispatchError: EnumValue } | undefined)?.dispatchError;

  it("sudo reports the inner call's failure in Sudid and reverts only the inner call", async () => {
    const bad = inner("Balances", "force_transfer", { source: { tag: "Id", value: h.charlie.publicKey }, dest: { tag: "Id", value: h.bob.publicKey }, value: 10_000_000n * TAO });
    const block = await h.produce([h.sign(h.alice, sudoCall("sudo", { call: bad }))]);
    const sudid = h.eventsOf(block).find((e) => e.name === "Sudo.Sudid")!.data as { sudoResult: { tag: string; value: { tag: string; value: { index: number; error: Uint8Array } } } };
    expect(sudid.sudoResult.tag).toBe("Err");
    expect(sudid.sudoResult.value.value.index).toBe(5);
    expect(h.eventsOf(block).some((e) => e.name === "System.ExtrinsicSuccess")).toBe(true);
    expect(h.nonceOf(h.alice)).toBe(1);
  });

  it("sudo_unchecked_weight dispatches with root and uses the given weight", async () => {
    const call = inner("Balances", "force_set_balance", { who: { tag: "Id", value: h.charlie.publicKey }, newFree: 5n * TAO });
    const block = await h.produce([h.sign(h.alice, sudoCall("sudo_unchecked_weight", { call, weight: { refTime: 1_000n, proofSize: 0n } }))]);
    expect(h.freeOf(h.charlie.publicKey)).toBe(5n * TAO);
    const success = h.eventsOf(block).find((e) => e.name === "System.ExtrinsicSuccess" && e.phase.value === 1)!.data as { dispatchInfo: { weight: { refTime: bigint } } };
    expect(success.dispatchInfo.weight.refTime).toBe(125_000_000n + 1_000n);
  });

  it("sudo_as dispatches a signed call as another account", async () => {
    const call = inner("Balances", "transfer_keep_alive", { dest: { tag: "Id", value: h.charlie.publicKey }, value: TAO });
    const before = h.freeOf(h.bob.publicKey);
    const block = await h.produce([h.sign(h.alice, sudoCall("sudo_as", { who: { tag: "Id", value: h.bob.publicKey }, call }))]);
    expect(h.eventsOf(block).some((e) => e.name === "Sudo.SudoAsDone")).toBe(true);
    expect(h.freeOf(h.bob.publicKey)).toBe(before - TAO);
  });

  it("set_key hands sudo over (KeyChanged); the old key then gets RequireSudo; remove_key removes it", async () => {
    const b1 = await h.produce([h.sign(h.alice, sudoCall("set_key", { new: { tag: "Id", value: h.bob.publicKey } }))]);
    expect(h.eventsOf(b1).some((e) => e.name === "Sudo.KeyChanged")).toBe(true);
    expect(Key.get(h.chain.bestState())).toEqual(h.bob.publicKey);
    const b2 = await h.produce([h.sign(h.alice, sudoCall("remove_key", {}))]);
    expect(failure(b2)).toMatchObject({ tag: "Module", value: { index: 12 } });
    const b3 = await h.produce([h.sign(h.bob, sudoCall("remove_key", {}))]);
    expect(h.eventsOf(b3).some((e) => e.name === "Sudo.KeyRemoved")).toBe(true);
    expect(Key.get(h.chain.bestState())).toBeNull();
  });

  it("an unresolvable MultiAddress fails with CannotLookup", async () => {
    const block = await h.produce([h.sign(h.alice, h.encodeCall("Balances", "transfer_keep_alive", { dest: { tag: "Raw", value: new Uint8Array([1, 2]) }, value: TAO }))]);
    expect(failure(block)).toEqual({ tag: "CannotLookup" });
  });
});

describe("System and Timestamp", () => {
  let h: ChainHarness;
  beforeEach(async () => {
    h = await ChainHarness.create();
  });
  afterEach(async () => {
    await h.close();
  });

  it("remark succeeds; remark_with_event emits Remarked with the blake2 hash", async () => {
    const block = await h.produce([h.sign(h.alice, h.encodeCall("System", "remark", { remark: new Uint8Array([1]) })), h.sign(h.bob, h.encodeCall("System", "remark_with_event", { remark: new Uint8Array([1, 2, 3]) }))]);
    const names = h.eventsOf(block).map((e) => e.name);
    expect(names.filter((n) => n === "System.ExtrinsicSuccess")).toHaveLength(3);
    expect(names).toContain("System.Remarked");
  });

  it("set_storage and kill_storage need root", async () => {
    const key = new Uint8Array([0xaa, 0xbb]);
    const set = h.encodeCall("System", "set_storage", { items: [[key, new Uint8Array([1])]] });
    const denied = await h.produce([h.sign(h.alice, set)]);
    expect(h.eventsOf(denied).some((e) => e.name === "System.ExtrinsicFailed")).toBe(true);
    await h.produce([h.sign(h.alice, h.encodeCall("Sudo", "sudo", { call: h.runtime.callCodec.decode(set) }))]);
    expect(h.chain.bestState().get(key)).toEqual(new Uint8Array([1]));
    const kill = h.encodeCall("System", "kill_storage", { keys: [key] });
    await h.produce([h.sign(h.alice, h.encodeCall("Sudo", "sudo", { call: h.runtime.callCodec.decode(kill) }))]);
    expect(h.chain.bestState().get(key)).toBeUndefined();
  });

  it("a block whose timestamp does not advance by MinimumPeriod is invalid", async () => {
    await h.produce();
    const { preDigest } = await import("../../../consensus/aura.js");
    const { BlockImportError } = await import("../../blockchain/errors.js");
    // the same timestamp as the previous block (slot 1) in the next block
    expect(() => h.chain.execute(h.chain.best, { number: 2, digest: [preDigest(2n)] }, [h.timestampInherent(1n)], { build: true })).toThrow(BlockImportError);
    // and a block without the inherent fails in finalization
    expect(() => h.chain.execute(h.chain.best, { number: 2, digest: [preDigest(2n)] }, [], { build: true })).toThrow(/Timestamp must be updated once/);
  });

  it("keeps the block hash history and clears per-block items", async () => {
    const b1 = await h.produce();
    await h.produce();
    const { BlockHash, Number_, ExtrinsicCount, EventCount } = await import("./system.js");
    const state = h.chain.bestState();
    expect(BlockHash.get(state, 1)).toEqual(b1.hash);
    expect(BlockHash.get(state, 0)).toEqual(h.chain.genesisHash);
    expect(Number_.get(state)).toBe(2);
    expect(ExtrinsicCount.get(state)).toBeNull();
    expect(EventCount.get(state)).toBe(1);
  });
});
