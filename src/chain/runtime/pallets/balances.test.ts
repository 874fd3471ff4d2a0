import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChainHarness } from "../../../../test/utils/chainHarness.js";
import { TotalIssuance, EXISTENTIAL_DEPOSIT } from "./balances.js";
import { Account } from "./system.js";
import { TAO } from "../../spec.js";
import { computeFee } from "./transactionPayment.js";

describe("Balances through the executive", () => {
  let h: ChainHarness;
  beforeEach(async () => {
    h = await ChainHarness.create();
  });
  afterEach(async () => {
    await h.close();
  });

  it("transfer_keep_alive moves funds, charges the fee, bumps the nonce and emits Substrate's events in order", async () => {
    const before = h.freeOf(h.bob.publicKey);
    const aliceBefore = h.freeOf(h.alice.publicKey);
    const issuanceBefore = TotalIssuance.get(h.chain.bestState());
    const tx = h.transfer(h.alice, h.bob.publicKey, 12n * TAO);
    const block = await h.produce([tx]);
    expect(block.skipped).toEqual([]);
    expect(h.freeOf(h.bob.publicKey)).toBe(before + 12n * TAO);
    const fee = aliceBefore - 12n * TAO - h.freeOf(h.alice.publicKey);
    expect(fee).toBe(computeFee(tx.length, 50_000_000n, 0n).total);
    expect(h.nonceOf(h.alice)).toBe(1);
    expect(TotalIssuance.get(h.chain.bestState())).toBe(issuanceBefore - fee);
    const names = h.eventsOf(block).filter((e) => e.phase.tag === "ApplyExtrinsic" && e.phase.value === 1).map((e) => e.name);
    expect(names).toEqual(["Balances.Withdraw", "Balances.Transfer", "TransactionPayment.TransactionFeePaid", "System.ExtrinsicSuccess"]);
  });

  it("a transfer above the balance fails with balances.InsufficientBalance but keeps fee and nonce", async () => {
    const aliceBefore = h.freeOf(h.alice.publicKey);
    const tx = h.transfer(h.alice, h.bob.publicKey, 10_000_000n * TAO, "transfer_allow_death");
    const block = await h.produce([tx]);
    const events = h.eventsOf(block).filter((e) => e.phase.tag === "ApplyExtrinsic" && e.phase.value === 1);
    expect(events.map((e) => e.name)).toEqual(["Balances.Withdraw", "TransactionPayment.TransactionFeePaid", "System.ExtrinsicFailed"]);
    const failed = events[2].data as { dispatchError: { tag: string; value: { index: number; error: Uint8Array } } };
    expect(failed.dispatchError.tag).toBe("Module");
    expect(failed.dispatchError.value.index).toBe(5);
    expect(failed.dispatchError.value.error[0]).toBe(2); // InsufficientBalance
    expect(h.nonceOf(h.alice)).toBe(1);
    expect(h.freeOf(h.alice.publicKey)).toBe(aliceBefore - computeFee(tx.length, 60_000_000n, 0n).total);
  });

  it("transfer_keep_alive that would reap the sender fails with Expendability", async () => {
    const fresh = h.keyring.addFromUri("//Fresh");
    await h.produce([h.transfer(h.alice, fresh.publicKey, TAO)]);
    const fee = computeFee(200, 50_000_000n, 0n).total;
    const block = await h.produce([h.transfer(fresh, h.bob.publicKey, TAO - fee - 100n)]);
    const failed = h.eventsOf(block).find((e) => e.name === "System.ExtrinsicFailed")!.data as { dispatchError: { value: { error: Uint8Array } } };
    expect(failed.dispatchError.value.error[0]).toBe(4);
  });

  it("a new account needs at least the existential deposit", async () => {
    const fresh = h.keyring.addFromUri("//Tiny");
    const block = await h.produce([h.transfer(h.alice, fresh.publicKey, EXISTENTIAL_DEPOSIT - 1n)]);
    const failed = h.eventsOf(block).find((e) => e.name === "System.ExtrinsicFailed")!.data as { dispatchError: { value: { error: Uint8Array } } };
    expect(failed.dispatchError.value.error[0]).toBe(3);
    expect(Account.exists(h.chain.bestState(), fresh.publicKey)).toBe(false);
  });

  it("transfer_allow_death reaps the sender and burns its dust; transfer_all empties it", async () => {
    const a = h.keyring.addFromUri("//Reaped");
    await h.produce([h.transfer(h.alice, a.publicKey, TAO)]);
    const issuance = TotalIssuance.get(h.chain.bestState());
    const block = await h.produce([h.sign(a, h.encodeCall("Balances", "transfer_all", { dest: { tag: "Id", value: h.bob.publicKey }, keepAlive: false }))]);
    const names = h.eventsOf(block).map((e) => e.name);
    expect(names).toContain("System.KilledAccount");
    expect(Account.exists(h.chain.bestState(), a.publicKey)).toBe(false);
    expect(TotalIssuance.get(h.chain.bestState())).toBeLessThan(issuance);
  });

  it("force_transfer requires root: BadOrigin when signed, success through sudo", async () => {
    const call = h.encodeCall("Balances", "force_transfer", { source: { tag: "Id", value: h.bob.publicKey }, dest: { tag: "Id", value: h.charlie.publicKey }, value: TAO });
    const bad = await h.produce([h.sign(h.alice, call)]);
    const failed = h.eventsOf(bad).find((e) => e.name === "System.ExtrinsicFailed")!.data as { dispatchError: { tag: string } };
    expect(failed.dispatchError.tag).toBe("BadOrigin");
    const charlie = h.freeOf(h.charlie.publicKey);
    const sudoCall = h.runtime.callCodec.encode({ tag: "Sudo", value: { tag: "sudo", value: { call: h.runtime.callCodec.decode(call) } } });
    const ok = await h.produce([h.sign(h.alice, sudoCall)]);
    const sudid = h.eventsOf(ok).find((e) => e.name === "Sudo.Sudid")!.data as { sudoResult: { tag: string } };
    expect(sudid.sudoResult.tag).toBe("Ok");
    expect(h.freeOf(h.charlie.publicKey)).toBe(charlie + TAO);
  });

  it("sudo by a non-sudo account fails with sudo.RequireSudo", async () => {
    const inner = h.runtime.callCodec.decode(h.encodeCall("System", "remark", { remark: new Uint8Array([1]) }));
    const block = await h.produce([h.sign(h.bob, h.runtime.callCodec.encode({ tag: "Sudo", value: { tag: "sudo", value: { call: inner } } }))]);
    const failed = h.eventsOf(block).find((e) => e.name === "System.ExtrinsicFailed")!.data as { dispatchError: { value: { index: number; error: Uint8Array } } };
    expect(failed.dispatchError.value.index).toBe(12);
    expect(failed.dispatchError.value.error[0]).toBe(0);
  });
});
