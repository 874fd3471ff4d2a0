/**
 * CheckNonce refuses signers that do not exist (providers == 0 && sufficients == 0) with
 * InvalidTransaction::Payment, for fee-free calls too: at the pool (author_submitExtrinsic → 1010)
 * and in block execution (a block that contains such an extrinsic does not import; an author
 * leaves it out). No System.Account entry is left behind for the unfunded key.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { headerHash, type Block } from "../codec/block.js";
import { preDigest, sealDigest } from "../../consensus/aura.js";
import { toHex } from "../../util/bytes.js";
import { TAO } from "../spec.js";
import { BlockImportError } from "../blockchain/errors.js";
import { ChainHarness } from "../../../test/utils/chainHarness.js";
import { TestNode } from "../../../test/utils/rpcHarness.js";
import { checkNonce } from "./checkNonce.js";
import { Account } from "./pallets/system.js";
import { TransactionValidityError } from "./validity.js";

const PAYMENT = { code: 1010, message: "Invalid Transaction", data: "Inability to pay some fees (e.g. account balance too low)" };

describe("checkNonce", () => {
  const account = (providers: number, sufficients: number, nonce = 0) => ({ nonce, providers, sufficients });
  const kindOf = (f: () => void): string => {
    try {
      f();
      return "ok";
    } catch (e) {
      if (!(e instanceof TransactionValidityError)) throw e;
      return e.detail;
    }
  };

  it("an account with no providers and no sufficients does not exist: Payment, before the nonce comparison", () => {
    expect(kindOf(() => checkNonce(account(0, 0), 0))).toBe(PAYMENT.data);
    expect(kindOf(() => checkNonce(account(0, 0, 5), 1))).toBe(PAYMENT.data);
  });

  it("a provider or a sufficient reference makes the account exist; a nonce below the account's is Stale", () => {
    expect(kindOf(() => checkNonce(account(1, 0), 0))).toBe("ok");
    expect(kindOf(() => checkNonce(account(0, 1), 0))).toBe("ok");
    expect(kindOf(() => checkNonce(account(1, 0, 3), 7))).toBe("ok"); // future: the pool queues it
    expect(kindOf(() => checkNonce(account(1, 0, 3), 2))).toBe("Transaction is outdated");
  });
});

describe("CheckNonce at the pool (author_submitExtrinsic)", () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await TestNode.create({ metadata: false });
  });
  afterAll(async () => {
    await node?.close();
  });

  it("an unfunded signer is refused with 1010 Payment for fee-free SubtensorModule calls, and leaves no account behind", async () => {
    const pauper = node.keyring.addFromUri("//Unfunded");
    const hotkey = node.keyring.addFromUri("//Unfunded//hot").publicKey;
    const calls: Array<[string, Record<string, unknown>]> = [
      ["burned_register", { netuid: 1, hotkey }],
      ["add_stake", { hotkey, amountStaked: 0n }],
      ["set_weights", { netuid: 1, dests: [0], weights: [65535], versionKey: 0n }],
      ["root_register", { hotkey }],
      // the dev chain's faucet too: as on Subtensor, a key must exist before it can ask for TAO
      ["faucet", { blockNumber: 0n, nonce: 0n, work: new Uint8Array(32) }],
    ];
    for (const [name, args] of calls) {
      const call = node.encodeCall("SubtensorModule", name, args);
      // the calls are fee-free: only the existence of the signer can refuse them here
      expect(node.runtime.pallet("SubtensorModule").call(name).paysFee, name).toBe(false);
      expect([name, (await node.call("author_submitExtrinsic", [toHex(node.sign(pauper, call, { nonce: 0 }))])).error]).toEqual([name, PAYMENT]);
    }
    expect(node.pool.size).toBe(0);
    expect(Account.exists(node.chain.bestState(), pauper.publicKey)).toBe(false);
  });

  it("the same call from a funded signer enters the pool", async () => {
    const funded = node.keyring.addFromUri("//Funded");
    await node.produce([node.transfer(node.alice, funded.publicKey, 10n * TAO)]);
    const call = node.encodeCall("SubtensorModule", "add_stake", { hotkey: node.keyring.addFromUri("//Funded//hot").publicKey, amountStaked: 0n });
    expect((await node.call("author_submitExtrinsic", [toHex(node.sign(funded, call))])).error).toBeUndefined();
    expect(node.pool.size).toBe(1);
  });
});

describe("CheckNonce in block execution", () => {
  let author: ChainHarness;
  let peer: ChainHarness;
  beforeAll(async () => {
    author = await ChainHarness.create();
    peer = await ChainHarness.create();
  });
  afterAll(async () => {
    await author?.close();
    await peer?.close();
  });

  const unfundedBurnedRegister = (h: ChainHarness): Uint8Array => {
    const pauper = h.keyring.addFromUri("//Unfunded");
    return h.sign(pauper, h.encodeCall("SubtensorModule", "burned_register", { netuid: 1, hotkey: h.keyring.addFromUri("//Unfunded//hot").publicKey }), { nonce: 0 });
  };

  it("a block containing an extrinsic from an unfunded signer is rejected on import, and nothing is committed", async () => {
    // A well-formed, sealed block 1 from the author, with the extrinsic appended (an author that
    // skipped CheckNonce): the peer's execution refuses it.
    const executed = author.chain.execute(author.chain.best, { number: 1, digest: [preDigest(1n)] }, [author.timestampInherent(1n)], { build: false });
    const body = [...executed.extrinsics, unfundedBurnedRegister(author)];
    const header = { ...executed.header };
    const block: Block = { header: { ...header, digest: { logs: [...header.digest.logs, sealDigest(author.alice.sign(headerHash(header)))] } }, extrinsics: body };
    const outcome = peer.chain.importBlock(block, { kind: "test" });
    await expect(outcome).rejects.toBeInstanceOf(BlockImportError);
    await expect(outcome).rejects.toMatchObject({ type: { code: "INVALID_EXTRINSIC", index: 1, reason: `Invalid Transaction: ${PAYMENT.data}` } });
    expect(peer.chain.best.number).toBe(0);
  });

  it("an author leaves such an extrinsic out of its block (Payment), and no account appears", async () => {
    const b = await author.produce([unfundedBurnedRegister(author)]);
    expect(b.extrinsics).toHaveLength(1);
    expect(b.skipped.map((e) => (e as Error).message)).toEqual([`Invalid Transaction: ${PAYMENT.data}`]);
    expect(Account.exists(author.chain.bestState(), author.keyring.addFromUri("//Unfunded").publicKey)).toBe(false);
  });
});
