import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TypeRegistry } from "@polkadot/types";
import { headerHash } from "../../chain/codec/block.js";
import { toHex } from "../../util/bytes.js";
import { TestNode } from "../../../test/utils/rpcHarness.js";

let node: TestNode;
let genesisHex: string;

beforeAll(async () => {
  node = await TestNode.create({ metadata: false });
  genesisHex = toHex(node.chain.genesisHash);
});
afterAll(async () => {
  await node?.close();
});

describe("chain_getBlockHash", () => {
  it("answers genesis for 0, the best block with no argument, and null beyond the head", async () => {
    expect(await node.callOk("chain_getBlockHash", [0])).toBe(genesisHex);
    expect(await node.callOk("chain_getBlockHash", ["0x0"])).toBe(genesisHex);
    expect(await node.callOk("chain_getBlockHash", [])).toBe(toHex(node.chain.best.hash));
    expect(await node.callOk("chain_getBlockHash", [null])).toBe(toHex(node.chain.best.hash));
    expect(await node.callOk("chain_getBlockHash", [1_000_000])).toBeNull();
    expect(await node.callOk("chain_getHead", [])).toBe(toHex(node.chain.best.hash));
  });

  it("takes a list of numbers", async () => {
    const b1 = await node.produce();
    expect(await node.callOk("chain_getBlockHash", [[0, "0x1", 99]])).toEqual([genesisHex, toHex(b1.hash), null]);
  });

  it("refuses numbers over u32 with Substrate's chain error 3001, and garbage with -32602", async () => {
    expect((await node.call("chain_getBlockHash", [2 ** 32])).error).toEqual({
      code: 3001,
      message: "`Number(4294967296)` > u32::MAX, the max block number is u32.",
    });
    const bad = await node.call("chain_getBlockHash", ["latest"]);
    expect(bad.error?.code).toBe(-32602);
    expect((await node.call("chain_getBlockHash", [-1])).error?.code).toBe(-32602);
  });
});

describe("chain_getHeader / chain_getBlock", () => {
  it("serves the header JSON whose hash clients recompute, with a hex number", async () => {
    const b = await node.produce();
    const json = await node.callOk("chain_getHeader", [toHex(b.hash)]);
    expect(json.number).toBe("0x" + b.header.number.toString(16));
    expect(json.parentHash).toBe(toHex(b.header.parentHash));
    expect(Object.keys(json).sort()).toEqual(["digest", "extrinsicsRoot", "number", "parentHash", "stateRoot"]);
    // polkadot-js recomputes the hash from the JSON header: it must match
    const registry = new TypeRegistry();
    const pjsHeader = registry.createType("Header", json);
    expect(pjsHeader.hash.toHex()).toBe(toHex(b.hash));
    expect(toHex(headerHash(b.header))).toBe(toHex(b.hash));
    // no argument = best
    expect(await node.callOk("chain_getHeader", [])).toEqual(await node.callOk("chain_getHeader", [toHex(node.chain.best.hash)]));
  });

  it("serves the block with its exact extrinsic bytes and null justifications", async () => {
    const b = await node.produce([node.transfer(node.alice, node.bob.publicKey, 1_000_000_000n)]);
    const json = await node.callOk("chain_getBlock", [toHex(b.hash)]);
    expect(json).toEqual({
      block: { header: await node.callOk("chain_getHeader", [toHex(b.hash)]), extrinsics: b.extrinsics.map((e) => toHex(e)) },
      justifications: null,
    });
    expect(json.block.extrinsics).toHaveLength(2);
  });

  it("serves GRANDPA justifications as serde does ([[[engine bytes], [justification bytes]]]), decodable by polkadot-js", async () => {
    const b = await node.produce([], { finalize: true });
    const json = await node.callOk("chain_getBlock", [toHex(b.hash)]);
    expect(json.justifications).toHaveLength(1);
    expect(json.justifications[0][0]).toEqual([70, 82, 78, 75]); // "FRNK"
    // polkadot-js decodes it with SignedBlock's `justifications: Option<Justifications>`
    const registry = new TypeRegistry();
    const decoded = registry.createType("Option<Justifications>", json.justifications);
    expect(decoded.unwrap()[0][0].toHex()).toBe(toHex(new TextEncoder().encode("FRNK")));
    const j = registry.createType("GrandpaJustification", decoded.unwrap()[0][1].toU8a(true)) as any;
    expect(j.round.toNumber()).toBe(1);
    expect(j.commit.targetHash.toHex()).toBe(toHex(b.hash));
    expect(j.commit.targetNumber.toNumber()).toBe(b.header.number);
    expect(j.commit.precommits.length).toBe(1);
    expect(j.commit.precommits[0].id.toHex()).toBe(toHex(node.aliceFinality.publicKey));
  });

  it("without a hash, follows the best block through new blocks and reorgs", async () => {
    const base = node.chain.best;
    const atBase = await node.callOk("chain_getHeader", []);
    expect(atBase).toEqual(await node.callOk("chain_getHeader", [toHex(base.hash)]));
    const b = await node.produce();
    expect(await node.callOk("chain_getHeader", [])).toEqual(await node.callOk("chain_getHeader", [toHex(b.hash)]));
    // a longer fork from `base` becomes best
    const f1 = await node.produce([], { parent: { hash: base.hash } });
    expect(await node.callOk("chain_getHeader", [])).toEqual(await node.callOk("chain_getHeader", [toHex(b.hash)]));
    const f2 = await node.produce([], { parent: f1 });
    expect(f2.isBest).toBe(true);
    const head = await node.callOk("chain_getHeader", []);
    expect(head).toEqual(await node.callOk("chain_getHeader", [toHex(f2.hash)]));
    expect(head.parentHash).toBe(toHex(f1.hash));
  });

  it("answers null for unknown hashes, and -32602 for malformed ones", async () => {
    const unknown = "0x" + "ab".repeat(32);
    expect(await node.call("chain_getHeader", [unknown])).toEqual({ result: null });
    expect(await node.call("chain_getBlock", [unknown])).toEqual({ result: null });
    const bad = await node.call("chain_getHeader", ["0x1234"]);
    expect(bad.error).toMatchObject({ code: -32602, message: "Invalid params" });
  });
});

describe("chain_getFinalizedHead", () => {
  it("follows finality, with the British alias", async () => {
    const b = await node.produce([], { finalize: true });
    expect(await node.callOk("chain_getFinalizedHead")).toBe(toHex(b.hash));
    expect(await node.callOk("chain_getFinalisedHead")).toBe(toHex(b.hash));
    await node.produce();
    expect(await node.callOk("chain_getFinalizedHead")).toBe(toHex(b.hash));
  });
});

describe("head subscriptions", () => {
  it("chain_subscribeNewHead (polkadot-js's singular spelling) sends the current head, then new best heads", async () => {
    for (const name of ["chain_subscribeNewHead", "chain_subscribeNewHeads", "subscribe_newHead"]) {
      const sub = await node.subscribe(name);
      expect(sub.notifications).toEqual([await node.callOk("chain_getHeader", [])]);
      const b = await node.produce();
      await sub.waitFor(2);
      expect(sub.notifications[1]).toEqual(await node.callOk("chain_getHeader", [toHex(b.hash)]));
      sub.unsubscribe();
      await node.produce();
      expect(sub.notifications).toHaveLength(2);
    }
    expect(node.registry.lookup("chain_unsubscribeNewHead")?.kind).toBe("unsubscribe");
    expect(node.registry.lookup("unsubscribe_newHead")?.kind).toBe("unsubscribe");
    expect(node.registry.lookup("chain_unsubscribeNewHeads")?.kind).toBe("unsubscribe");
  });

  it("new heads skip non-best forks; all heads include them", async () => {
    const parent = node.chain.best;
    const newHeads = await node.subscribe("chain_subscribeNewHeads");
    const allHeads = await node.subscribe("chain_subscribeAllHeads");
    const a = await node.produce();
    const fork = await node.produce([], { parent: { hash: parent.hash } }); // same height as `a`: not best
    expect(fork.isBest).toBe(false);
    await allHeads.waitFor(3);
    expect(newHeads.notifications).toHaveLength(2);
    expect((newHeads.notifications[1] as { number: string }).number).toBe("0x" + a.header.number.toString(16));
    expect((allHeads.notifications[2] as { parentHash: string }).parentHash).toBe(toHex(parent.hash));
    newHeads.unsubscribe();
    allHeads.unsubscribe();
  });

  it("chain_subscribeFinalizedHeads sends the finalized head, then each newly finalized one", async () => {
    for (const name of ["chain_subscribeFinalizedHeads", "chain_subscribeFinalisedHeads"]) {
      const sub = await node.subscribe(name);
      expect(sub.notifications).toEqual([await node.callOk("chain_getHeader", [toHex(node.chain.finalized.hash)])]);
      await node.produce();
      const f = await node.produce([], { finalize: true });
      await sub.waitFor(2);
      expect(sub.notifications).toHaveLength(2);
      expect(sub.notifications[1]).toEqual(await node.callOk("chain_getHeader", [toHex(f.hash)]));
      sub.unsubscribe();
    }
    expect(node.registry.lookup("chain_unsubscribeFinalisedHeads")?.kind).toBe("unsubscribe");
  });

  it("uses Substrate's notification names", () => {
    const notif = (n: string) => {
      const e = node.registry.lookup(n);
      return e && e.kind !== "method" ? e.def.notification : undefined;
    };
    expect(notif("chain_subscribeNewHead")).toBe("chain_newHead");
    expect(notif("chain_subscribeFinalizedHeads")).toBe("chain_finalizedHead");
    expect(notif("chain_subscribeAllHeads")).toBe("chain_allHead");
    expect(notif("chain_unsubscribeAllHeads")).toBe("chain_allHead");
  });
});
