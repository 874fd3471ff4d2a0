import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TypeRegistry } from "@polkadot/types";
import { ApplyExtrinsicResultCodec } from "../../chain/runtime/api/codecs.js";
import { fromHex, toHex } from "../../util/bytes.js";
import { TestNode } from "../../../test/utils/rpcHarness.js";

let node: TestNode;
const TAO = 10n ** 9n;

beforeAll(async () => {
  node = await TestNode.create({ metadata: false });
});
afterAll(async () => {
  await node?.close();
});

describe("node and chain info", () => {
  it("serves the chain spec's identity and properties", async () => {
    expect(await node.callOk("system_chain")).toBe("Development");
    expect(await node.callOk("system_name")).toBe("subtensor-ts");
    expect(await node.callOk("system_version")).toBe("0.1.0-test");
    expect(await node.callOk("system_chainType")).toBe("Development");
    expect(await node.callOk("system_properties")).toEqual({ ss58Format: 42, tokenDecimals: 9, tokenSymbol: "TAO" });
    expect(await node.callOk("system_nodeRoles")).toEqual(["Authority"]);
    expect(await node.callOk("system_localPeerId")).toBe("12D3KooWTest");
    expect(await node.callOk("system_localListenAddresses")).toEqual(["/ip4/127.0.0.1/tcp/30333/p2p/12D3KooWTest"]);
    // polkadot-js decodes chainType and properties
    const registry = new TypeRegistry();
    expect(registry.createType("ChainType", await node.callOk("system_chainType")).isDevelopment).toBe(true);
    expect(registry.createType("ChainProperties", await node.callOk("system_properties")).tokenSymbol.unwrap()[0].toString()).toBe("TAO");
  });

  it("system_health: a development chain is not expected to have peers", async () => {
    expect(await node.callOk("system_health")).toEqual({ peers: 0, isSyncing: false, shouldHavePeers: false });
    const live = { ...node.services, spec: { ...node.spec, chainType: "Live" as const } };
    const { RpcRegistry } = await import("../registry.js");
    const { register } = await import("./system.js");
    const r = new RpcRegistry();
    register(r, live);
    const entry = r.lookup("system_health");
    expect(entry?.kind === "method" && (await entry.def.handler([], { connectionId: "x", transport: "http", isLocal: true }))).toEqual({
      peers: 0,
      isSyncing: false,
      shouldHavePeers: true,
    });
  });

  it("system_syncState follows the best block", async () => {
    const start = node.chain.best.number;
    await node.produce();
    expect(await node.callOk("system_syncState")).toEqual({ startingBlock: 0, currentBlock: start + 1, highestBlock: start + 1 });
  });

  it("system_peers is unsafe", () => {
    const e = node.registry.lookup("system_peers");
    expect(e?.kind === "method" && e.def.unsafe).toBe(true);
  });
});

describe("system_accountNextIndex / account_nextIndex", () => {
  it("is the on-chain nonce plus the sender's pooled transactions, for SS58 and hex accounts", async () => {
    const n = node.nonceOf(node.alice);
    expect(await node.callOk("system_accountNextIndex", [node.alice.address])).toBe(n);
    expect(await node.callOk("account_nextIndex", [toHex(node.alice.publicKey)])).toBe(n);
    await node.callOk("author_submitExtrinsic", [toHex(node.transfer(node.alice, node.bob.publicKey, TAO, { nonce: n }))]);
    await node.callOk("author_submitExtrinsic", [toHex(node.transfer(node.alice, node.bob.publicKey, TAO, { nonce: n + 1 }))]);
    // a gap: n + 3 is not counted
    await node.callOk("author_submitExtrinsic", [toHex(node.transfer(node.alice, node.bob.publicKey, TAO, { nonce: n + 3 }))]);
    expect(await node.callOk("account_nextIndex", [node.alice.address])).toBe(n + 2);
    await node.produce(node.pool.ready().map((e) => e.bytes));
    expect(node.nonceOf(node.alice)).toBe(n + 2);
    expect(await node.callOk("account_nextIndex", [node.alice.address])).toBe(n + 2);
    // an unknown account starts at 0
    expect(await node.callOk("account_nextIndex", [node.keyring.addFromUri("//Nobody").address])).toBe(0);
  });

  it("refuses malformed accounts with -32602", async () => {
    for (const bad of ["5Invalid", "0x1234", "", 42]) {
      const r = await node.call("system_accountNextIndex", [bad]);
      expect(r.error?.code).toBe(-32602);
      expect(r.error?.message).toBe("Invalid params");
    }
  });
});

describe("system_dryRun", () => {
  it("is unsafe, with the system_dryRunAt alias", () => {
    const e = node.registry.lookup("system_dryRunAt");
    expect(e?.kind === "method" && e.def.name === "system_dryRun" && e.def.unsafe).toBe(true);
  });

  it("returns the SCALE ApplyExtrinsicResult without changing the chain", async () => {
    const best = node.chain.best.hash;
    const ok = node.transfer(node.charlie, node.bob.publicKey, TAO);
    expect(await node.callOk("system_dryRun", [toHex(ok)])).toBe("0x0000");
    expect(node.chain.best.hash).toEqual(best);
    expect(node.nonceOf(node.charlie)).toBe(0);

    const tooMuch = node.sign(node.charlie, node.encodeCall("Balances", "transfer_allow_death", { dest: { tag: "Id", value: node.bob.publicKey }, value: 10n ** 18n }));
    const failed = ApplyExtrinsicResultCodec.decode(fromHex(await node.callOk("system_dryRun", [toHex(tooMuch)])));
    expect(failed.tag).toBe("Ok");
    expect((failed.value as { tag: string }).tag).toBe("Err");

    const bad = ok.slice();
    bad[bad.length - 2] ^= 1;
    expect(await node.callOk("system_dryRun", [toHex(bad)])).toBe("0x010004"); // Err(Invalid(BadProof))
    // polkadot-js decodes it
    const r = new TypeRegistry().createType("ApplyExtrinsicResult", "0x010004");
    expect(r.isErr && r.asErr.isInvalid && r.asErr.asInvalid.isBadProof).toBe(true);

    expect((await node.call("system_dryRun", ["0x00"])).error).toMatchObject({ code: 2, message: "Unable to dry run extrinsic" });
    const unknown = "0x" + "ee".repeat(32);
    expect((await node.call("system_dryRun", [toHex(ok), unknown])).error).toEqual({
      code: 1,
      message: "Unable to dry run extrinsic.",
      data: `Api called for an unknown Block: Header was not found in the database: ${unknown}`,
    });
  });
});
