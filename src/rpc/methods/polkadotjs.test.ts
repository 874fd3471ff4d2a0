/**
 * End to end: unmodified @polkadot/api 16.5.6 over WebSocket against the real RpcServer with all
 * handlers registered, on a real chain whose blocks are produced (and finalized) as soon as the
 * pool has ready transactions.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiPromise, HttpProvider, WsProvider } from "@polkadot/api";
import type { SubmittableResult } from "@polkadot/api";
import { RpcServer } from "../server.js";
import { Account } from "../../chain/runtime/pallets/system.js";
import { silentLogger } from "../../util/logger.js";
import { toHex } from "../../util/bytes.js";
import { TestNode } from "../../../test/utils/rpcHarness.js";
import { condition } from "../../../test/utils/wait.js";

let node: TestNode;
let server: RpcServer;
let api: ApiPromise;
let port: number;
let sealer: NodeJS.Timeout | undefined;
let producing: Promise<unknown> = Promise.resolve();
/** While set, autoSeal seals nothing (a test that needs two submissions to meet in the pool). */
let sealingPaused = false;
const TAO = 10n ** 9n;

/** A dev "instant seal": a finalized block shortly after the pool has ready transactions. */
function autoSeal(): void {
  let busy = false;
  sealer = setInterval(() => {
    if (busy || sealingPaused || node.pool.ready().length === 0) return;
    busy = true;
    producing = node
      .produce(node.pool.ready().map((e) => e.bytes), { finalize: true })
      .catch((e) => console.error("autoSeal", e))
      .finally(() => (busy = false));
  }, 40);
}

beforeAll(async () => {
  node = await TestNode.create();
  autoSeal();
  // a few blocks so that mortal eras have history
  for (let i = 0; i < 3; i++) await node.produce([], { finalize: true });
  server = new RpcServer({ host: "127.0.0.1", port: 0 }, { registry: node.registry, logger: silentLogger() });
  ({ port } = await server.start());
  api = await ApiPromise.create({ provider: new WsProvider(`ws://127.0.0.1:${port}`), noInitWarn: true, throwOnConnect: true });
});

afterAll(async () => {
  clearInterval(sealer);
  await api?.disconnect();
  await server?.stop();
  await producing;
  await node?.close();
});

function send(tx: ReturnType<ApiPromise["tx"]["balances"]["transferKeepAlive"]>, pair = node.alice, options = {}): Promise<{ statuses: string[]; result: SubmittableResult }> {
  const statuses: string[] = [];
  return new Promise((resolve, reject) => {
    tx.signAndSend(pair, options, (result) => {
      statuses.push(result.status.type);
      if (result.status.isFinalized) resolve({ statuses, result });
      if (result.isError) reject(new Error(`tx failed: ${result.status.type}`));
    }).catch(reject);
  });
}

describe("@polkadot/api against the node", () => {
  it("connects: genesis, runtime version, properties, V15 metadata", async () => {
    expect(api.genesisHash.toHex()).toBe(toHex(node.chain.genesisHash));
    expect(api.runtimeVersion.specName.toString()).toBe("node-subtensor");
    expect(api.registry.chainDecimals).toEqual([9]);
    expect(api.registry.chainTokens).toEqual(["TAO"]);
    expect(api.runtimeMetadata.version).toBe(15);
    expect(api.consts.system.ss58Prefix.toString()).toBe("42");
    expect(typeof api.call.accountNonceApi.accountNonce).toBe("function");
    expect(typeof api.rpc.author.submitAndWatchExtrinsic).toBe("function");
  });

  it("queries storage, historical state, entries and runtime APIs", async () => {
    const acct = await api.query.system.account(node.alice.address);
    expect(acct.data.free.toBigInt()).toBe(Account.get(node.chain.bestState(), node.alice.publicKey).data.free);
    const entries = await api.query.system.account.entries();
    expect(entries.length).toBeGreaterThanOrEqual(6);
    const atGenesis = await api.at(toHex(node.chain.genesisHash));
    const genesisAcct = await atGenesis.query.system.account(node.bob.address);
    expect(genesisAcct.data.free.toBigInt()).toBe(1_000_000n * TAO);
    const nonce = await api.call.accountNonceApi.accountNonce(node.alice.address);
    expect(nonce.toNumber()).toBe(node.nonceOf(node.alice));
    const next = await api.rpc.system.accountNextIndex(node.alice.address);
    expect(next.toNumber()).toBe(node.nonceOf(node.alice));
    const header = await api.rpc.chain.getHeader();
    expect(header.hash.toHex()).toBe(toHex(node.chain.best.hash));
    const finalized = await api.rpc.chain.getFinalizedHead();
    expect(finalized.toHex()).toBe(toHex(node.chain.finalized.hash));
  });

  it("estimates fees through TransactionPaymentApi with a dummy signature", async () => {
    const info = await api.tx.balances.transferKeepAlive(node.bob.address, 12n * TAO).paymentInfo(node.alice);
    expect(info.partialFee.toBigInt()).toBeGreaterThan(0n);
    expect(info.class.isNormal).toBe(true);
  });

  it("signAndSend: Ready → InBlock → Finalized, with ExtrinsicSuccess, and the balance subscription fires", async () => {
    const before = (await api.query.system.account(node.bob.address)).data.free.toBigInt();
    const seen: bigint[] = [];
    const unsub = await api.query.system.account(node.bob.address, (a) => {
      seen.push(a.data.free.toBigInt());
    });
    const { statuses, result } = await send(api.tx.balances.transferKeepAlive(node.bob.address, 12_345_000_000n));
    expect(statuses).toEqual(["Ready", "InBlock", "Finalized"]);
    const names = result.events.map((e) => `${e.event.section}.${e.event.method}`);
    expect(names).toContain("balances.Transfer");
    expect(names).toContain("system.ExtrinsicSuccess");
    // the subscription's notification for the finalized block may still be on its way
    await condition(() => seen[seen.length - 1] === before + 12_345_000_000n, () => `the balance subscription to report the transfer (seen ${seen.join(", ")})`);
    unsub();
    expect(seen[0]).toBe(before);
    expect(seen[seen.length - 1]).toBe(before + 12_345_000_000n);
  });

  it("a failing transfer yields ExtrinsicFailed decoded as balances.InsufficientBalance", async () => {
    const { result } = await send(api.tx.balances.transferAllowDeath(node.bob.address, 10n ** 18n), node.charlie);
    expect(result.dispatchError?.isModule).toBe(true);
    const meta = api.registry.findMetaError(result.dispatchError!.asModule);
    expect(`${meta.section}.${meta.name}`).toBe("balances.InsufficientBalance");
  });

  it("an immortal transaction with nonce -1 (AccountNonceApi)", async () => {
    const { result } = await send(api.tx.balances.transferKeepAlive(node.charlie.address, TAO), node.bob, { era: 0, nonce: -1 });
    expect(result.events.map((e) => e.event.method)).toContain("ExtrinsicSuccess");
  });

  it("a raw transaction with a flipped call byte gets 1010 bad signature", async () => {
    const tx = await api.tx.balances.transferKeepAlive(node.bob.address, 1_000n).signAsync(node.alice);
    const bytes = tx.toU8a();
    bytes[bytes.length - 2] ^= 1;
    await expect(api.rpc.author.submitExtrinsic(toHex(bytes))).rejects.toThrow("1010: Invalid Transaction: Transaction has a bad signature");
  });

  it("two quick sends with the same nonce: the second gets 1014", async () => {
    const nonce = node.nonceOf(node.alice);
    const first = api.tx.balances.transferKeepAlive(node.bob.address, TAO);
    const second = api.tx.balances.transferKeepAlive(node.charlie.address, TAO);
    const a = await first.signAsync(node.alice, { nonce });
    const b = await second.signAsync(node.alice, { nonce });
    // no block between the two: sealed first, the second would be stale (1010), not a replacement
    sealingPaused = true;
    await producing;
    try {
      await api.rpc.author.submitExtrinsic(a.toHex());
      await expect(api.rpc.author.submitExtrinsic(b.toHex())).rejects.toThrow(/^1014: Priority is too low: \(0 vs 0\)/);
    } finally {
      sealingPaused = false;
    }
    // let the first one be sealed before the next test signs with the on-chain nonce
    await condition(() => node.pool.size === 0, "the pool to drain into a block");
    await producing;
  });

  it("head subscriptions", async () => {
    const heads: number[] = [];
    const unsub = await api.rpc.chain.subscribeNewHeads((h) => heads.push(h.number.toNumber()));
    const finals: number[] = [];
    const unsubF = await api.rpc.chain.subscribeFinalizedHeads((h) => finals.push(h.number.toNumber()));
    await send(api.tx.system.remark("0x" + "ab".repeat(400)));
    // the head notifications of the blocks the remark went through may still be on their way
    await condition(() => heads.length >= 2 && finals[finals.length - 1] === node.chain.finalized.number, () => `head notifications (new ${heads.join(",")}; finalized ${finals.join(",")})`);
    unsub();
    unsubF();
    expect(heads.length).toBeGreaterThanOrEqual(2);
    expect(finals[finals.length - 1]).toBe(node.chain.finalized.number);
  });

  it("works over HTTP too", async () => {
    const http = await ApiPromise.create({ provider: new HttpProvider(`http://127.0.0.1:${port}`), noInitWarn: true });
    try {
      expect(http.genesisHash.toHex()).toBe(toHex(node.chain.genesisHash));
      const acct = await http.query.system.account(node.alice.address);
      expect(acct.data.free.toBigInt()).toBeGreaterThan(0n);
    } finally {
      await http.disconnect();
    }
  });
});
