/**
 * End to end with the unmodified @polkadot/api 16.5.6 as the client: connect, query, transfer,
 * watch InBlock and Finalized, decode a module error, and have a tampered signature refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiPromise, WsProvider, HttpProvider } from "@polkadot/api";
import { Keyring } from "@polkadot/keyring";
import type { ISubmittableResult } from "@polkadot/types/types";
import { startTestNode, waitForBlock, type TestNode } from "../utils/testNode.js";

const TAO = 1_000_000_000n;

function sendAndWatch(tx: { signAndSend: Function }, pair: unknown, opts: Record<string, unknown> = {}): Promise<{ statuses: string[]; result: ISubmittableResult }> {
  return new Promise((resolve, reject) => {
    const statuses: string[] = [];
    let unsub: (() => void) | undefined;
    tx.signAndSend(pair, opts, (result: ISubmittableResult) => {
      statuses.push(result.status.type);
      if (result.status.isFinalized) {
        unsub?.();
        resolve({ statuses, result });
      } else if (result.isError) {
        unsub?.();
        reject(new Error(`transaction ${result.status.type}`));
      }
    })
      .then((u: () => void) => (unsub = u))
      .catch(reject);
  });
}

describe("@polkadot/api against a dev node", () => {
  let t: TestNode;
  let api: ApiPromise;
  const keyring = new Keyring({ type: "sr25519", ss58Format: 42 });

  beforeAll(async () => {
    t = await startTestNode({ blockTimeMs: 500 });
    api = await ApiPromise.create({ provider: new WsProvider(t.url), throwOnConnect: true, noInitWarn: true });
  });

  afterAll(async () => {
    await api?.disconnect();
    await t?.stop();
  });

  it("connects and reads chain properties, constants and accounts", async () => {
    expect(api.genesisHash.toHex()).toBe("0x" + Buffer.from(t.node.chain.genesisHash).toString("hex"));
    expect(api.registry.chainDecimals).toEqual([9]);
    expect(api.registry.chainTokens).toEqual(["TAO"]);
    expect(api.consts.system.ss58Prefix.toNumber()).toBe(42);
    expect(api.consts.balances.existentialDeposit.toBigInt()).toBe(500n);
    const alice = keyring.addFromUri("//Alice");
    const account = await api.query.system.account(alice.address);
    expect((account as any).data.free.toBigInt()).toBe(1_000_000n * TAO);
    expect((await api.query.balances.totalIssuance()).toBigInt()).toBe(6_000_000n * TAO);
    const entries = await api.query.system.account.entries();
    expect(entries.length).toBe(6);
  });

  it("transfers with signAndSend: Ready → InBlock → Finalized with ExtrinsicSuccess", async () => {
    const alice = keyring.addFromUri("//Alice");
    const bob = keyring.addFromUri("//Bob");
    const before = ((await api.query.system.account(bob.address)) as any).data.free.toBigInt();
    const { statuses, result } = await sendAndWatch(api.tx.balances.transferKeepAlive(bob.address, 12_345_000_000n), alice);
    expect(statuses).toContain("InBlock");
    expect(statuses[statuses.length - 1]).toBe("Finalized");
    const names = result.events.map((e) => `${e.event.section}.${e.event.method}`);
    expect(names).toEqual(["balances.Withdraw", "balances.Transfer", "transactionPayment.TransactionFeePaid", "system.ExtrinsicSuccess"]);
    const after = ((await api.query.system.account(bob.address)) as any).data.free.toBigInt();
    expect(after - before).toBe(12_345_000_000n);
  });

  it("a transfer larger than the balance ends in ExtrinsicFailed decoded as balances.InsufficientBalance", async () => {
    const charlie = keyring.addFromUri("//Charlie");
    const bob = keyring.addFromUri("//Bob");
    const { result } = await sendAndWatch(api.tx.balances.transferAllowDeath(bob.address, 5_000_000n * TAO), charlie);
    expect(result.dispatchError).toBeDefined();
    const meta = api.registry.findMetaError(result.dispatchError!.asModule);
    expect(`${meta.section}.${meta.name}`).toBe("balances.InsufficientBalance");
  });

  it("an ed25519 signer with an immortal era and nonce -1 succeeds", async () => {
    const ed = new Keyring({ type: "ed25519", ss58Format: 42 }).addFromUri("//Eddie");
    const alice = keyring.addFromUri("//Alice");
    await sendAndWatch(api.tx.balances.transferKeepAlive(ed.address, 10n * TAO), alice);
    const { result } = await sendAndWatch(api.tx.balances.transferKeepAlive(alice.address, TAO), ed, { era: 0, nonce: -1 });
    expect(result.events.some((e) => e.event.method === "ExtrinsicSuccess")).toBe(true);
  });

  it("refuses a tampered signature at submission with 1010", async () => {
    const dave = keyring.addFromUri("//Dave");
    const tx = api.tx.balances.transferKeepAlive(keyring.addFromUri("//Eve").address, TAO);
    await tx.signAsync(dave);
    const bytes = tx.toU8a();
    bytes[bytes.length - 1] ^= 0x01; // change the amount: the signature no longer covers the call
    await expect(api.rpc.author.submitExtrinsic(bytes)).rejects.toThrow(/1010: Invalid Transaction: Transaction has a bad signature/);
  });

  it("paymentInfo estimates the fee that is then charged", async () => {
    const eve = keyring.addFromUri("//Eve");
    const tx = api.tx.balances.transferKeepAlive(keyring.addFromUri("//Ferdie").address, TAO);
    const info = await tx.paymentInfo(eve);
    const before = ((await api.query.system.account(eve.address)) as any).data.free.toBigInt();
    await sendAndWatch(tx, eve);
    const after = ((await api.query.system.account(eve.address)) as any).data.free.toBigInt();
    expect(before - after - TAO).toBe(info.partialFee.toBigInt());
  });

  it("serves historical state with api.at and new heads by subscription", async () => {
    const genesis = await api.rpc.chain.getBlockHash(0);
    const at = await api.at(genesis);
    const bob = keyring.addFromUri("//Bob");
    expect(((await at.query.system.account(bob.address)) as any).data.free.toBigInt()).toBe(1_000_000n * TAO);
    const target = t.node.chain.best.number + 1;
    const header = await new Promise<number>((resolve) => {
      api.rpc.chain.subscribeNewHeads((h) => {
        if (h.number.toNumber() >= target) resolve(h.number.toNumber());
      });
    });
    expect(header).toBeGreaterThanOrEqual(target);
    await waitForBlock(t.node, target);
  });

  it("works over HTTP too", async () => {
    const http = await ApiPromise.create({ provider: new HttpProvider(t.httpUrl), noInitWarn: true });
    try {
      const alice = keyring.addFromUri("//Alice");
      const account = await http.query.system.account(alice.address);
      expect((account as any).nonce.toNumber()).toBeGreaterThan(0);
    } finally {
      await http.disconnect();
    }
  });
});
