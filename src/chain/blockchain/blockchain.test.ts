import { afterEach, describe, expect, it } from "vitest";
import { ChainHarness } from "../../../test/utils/chainHarness.js";
import { TAO } from "../spec.js";
import { headerHash, type Block } from "../codec/block.js";
import { sealDigest, preDigest } from "../../consensus/aura.js";
import { BlockImportError } from "./errors.js";
import { bytesEqual } from "../../util/bytes.js";
import { TotalIssuance } from "../runtime/pallets/balances.js";

const harnesses: ChainHarness[] = [];
async function harness(): Promise<ChainHarness> {
  const h = await ChainHarness.create();
  harnesses.push(h);
  return h;
}
afterEach(async () => {
  while (harnesses.length) await harnesses.pop()!.close();
});

/** Builds and seals a block on `h` without committing it, as an author would send it to peers. */
function sealedBlock(h: ChainHarness, slot: bigint, txs: Uint8Array[]): Block {
  const executed = h.chain.execute(h.chain.best, { number: h.chain.best.number + 1, digest: [preDigest(slot)] }, [h.timestampInherent(slot), ...txs], { build: false });
  const signature = h.alice.sign(headerHash(executed.header));
  return { header: { ...executed.header, digest: { logs: [...executed.header.digest.logs, sealDigest(signature)] } }, extrinsics: executed.extrinsics };
}

describe("block import", () => {
  it("a peer re-executes an authored block and reaches the same state root and hash", async () => {
    const author = await harness();
    const peer = await harness();
    const tx = author.transfer(author.alice, author.bob.publicKey, 5n * TAO);
    const block = sealedBlock(author, 1n, [tx]);
    const imported = await peer.chain.importBlock(block, { kind: "test" });
    expect(bytesEqual(imported.hash, headerHash(block.header))).toBe(true);
    expect(peer.chain.best.number).toBe(1);
    expect(peer.freeOf(peer.bob.publicKey)).toBe(1_000_005n * TAO);
  });

  it("rejects a block whose state root was tampered with, and commits nothing", async () => {
    const author = await harness();
    const peer = await harness();
    const block = sealedBlock(author, 1n, []);
    block.header.stateRoot = new Uint8Array(32).fill(7);
    block.header.digest.logs[1] = sealDigest(author.alice.sign(headerHash({ ...block.header, digest: { logs: block.header.digest.logs.slice(0, 1) } })));
    await expect(peer.chain.importBlock(block, { kind: "test" })).rejects.toMatchObject({ type: { code: "STATE_ROOT_MISMATCH" } });
    expect(peer.chain.best.number).toBe(0);
  });

  it("rejects a block with a bad extrinsic signature", async () => {
    const author = await harness();
    const peer = await harness();
    const tx = author.transfer(author.alice, author.bob.publicKey, TAO);
    tx[tx.length - 1] ^= 1; // flips a bit of the call: the signature no longer matches
    const block = sealedBlock(author, 1n, []);
    block.extrinsics.push(tx);
    await expect(peer.chain.importBlock(block, { kind: "test" })).rejects.toBeInstanceOf(BlockImportError);
    await expect(peer.chain.importBlock(block, { kind: "test" })).rejects.toMatchObject({ type: { code: "BAD_SIGNATURE" } });
  });

  it("rejects a block sealed by someone else, an unknown parent and a duplicate", async () => {
    const author = await harness();
    const peer = await harness();
    const block = sealedBlock(author, 1n, []);
    const forged = { ...block, header: { ...block.header, digest: { logs: [block.header.digest.logs[0], sealDigest(author.bob.sign(new Uint8Array(32)))] } } };
    await expect(peer.chain.importBlock(forged, { kind: "test" })).rejects.toMatchObject({ type: { code: "BAD_SEAL" } });
    const orphan = { ...block, header: { ...block.header, parentHash: new Uint8Array(32).fill(1) } };
    await expect(peer.chain.importBlock(orphan, { kind: "test" })).rejects.toMatchObject({ type: { code: "PARENT_UNKNOWN" } });
    await peer.chain.importBlock(block, { kind: "test" });
    await expect(peer.chain.importBlock(block, { kind: "test" })).rejects.toMatchObject({ type: { code: "ALREADY_KNOWN" } });
  });

  it("rejects a block whose slot does not advance", async () => {
    const author = await harness();
    const peer = await harness();
    const b1 = sealedBlock(author, 5n, []);
    await author.chain.importBlock(b1, { kind: "test" });
    await peer.chain.importBlock(b1, { kind: "test" });
    // a valid block of slot 6, relabelled as slot 5 and re-sealed by the right author
    const b2 = sealedBlock(author, 6n, []);
    const unsealed = { ...b2.header, digest: { logs: [preDigest(5n)] } };
    b2.header = { ...unsealed, digest: { logs: [preDigest(5n), sealDigest(author.alice.sign(headerHash(unsealed)))] } };
    await expect(peer.chain.importBlock(b2, { kind: "test" })).rejects.toMatchObject({ type: { code: "BAD_SLOT" } });
  });

  it("keeps the state of every block readable by hash (archive)", async () => {
    const h = await harness();
    const first = await h.produce([h.transfer(h.alice, h.bob.publicKey, TAO)]);
    await h.produce([h.transfer(h.alice, h.bob.publicKey, TAO)]);
    const { Account } = await import("../runtime/pallets/system.js");
    expect(Account.get(h.chain.stateAt(first.hash), h.bob.publicKey).data.free).toBe(1_000_001n * TAO);
    expect(Account.get(h.chain.stateAt(h.chain.genesisHash), h.bob.publicKey).data.free).toBe(1_000_000n * TAO);
    expect(h.freeOf(h.bob.publicKey)).toBe(1_000_002n * TAO);
  });

  it("restarts from its last committed block with the same head and state", async () => {
    const h = await ChainHarness.create();
    await h.produce([h.transfer(h.alice, h.bob.publicKey, TAO)]);
    const head = h.chain.best;
    const issuance = TotalIssuance.get(h.chain.bestState());
    await h.close(false);
    const again = await ChainHarness.create(h.spec, h.dir);
    harnesses.push(again);
    expect(again.chain.best.number).toBe(1);
    expect(bytesEqual(again.chain.best.hash, head.hash)).toBe(true);
    expect(TotalIssuance.get(again.chain.bestState())).toBe(issuance);
  });

  it("refuses to open a database of another chain", async () => {
    const h = await ChainHarness.create();
    await h.close(false);
    const other = { ...h.spec, balances: h.spec.balances.slice(1) };
    await expect(ChainHarness.create(other, h.dir)).rejects.toMatchObject({ type: { code: "GENESIS_MISMATCH" } });
    const { rmSync } = await import("node:fs");
    rmSync(h.dir, { recursive: true, force: true });
  });
});

describe("executive rules", () => {
  it("a block builder skips transactions with a future or stale nonce", async () => {
    const h = await harness();
    const future = h.transfer(h.alice, h.bob.publicKey, TAO, "transfer_keep_alive", { nonce: 5 });
    const b = await h.produce([future]);
    expect(b.extrinsics.length).toBe(1);
    expect((b.skipped[0] as Error).message).toMatch(/valid in the future/);
    await h.produce([h.transfer(h.alice, h.bob.publicKey, TAO)]);
    const stale = h.transfer(h.alice, h.bob.publicKey, TAO, "transfer_keep_alive", { nonce: 0 });
    const b2 = await h.produce([stale]);
    expect((b2.skipped[0] as Error).message).toMatch(/outdated/);
  });

  it("mortal transactions are valid in their era and refused with an unknown birth block", async () => {
    const h = await harness();
    await h.produce();
    await h.produce();
    const { mortalEra } = await import("../codec/types.js");
    const ok = h.transfer(h.alice, h.bob.publicKey, TAO, "transfer_keep_alive", { era: mortalEra(64, 2) });
    const b = await h.produce([ok]);
    expect(b.skipped).toEqual([]);
    expect(b.extrinsics.length).toBe(2);
    const ancient = h.transfer(h.alice, h.bob.publicKey, TAO, "transfer_keep_alive", { era: { period: 4, phase: 0 } });
    const b2 = await h.produce([ancient]);
    expect((b2.skipped[0] as Error).message).toMatch(/ancient birth block/);
  });

  it("an account that cannot pay the fee is refused with Payment", async () => {
    const h = await harness();
    const poor = h.keyring.addFromUri("//Poor");
    const b = await h.produce([h.transfer(poor, h.bob.publicKey, 1n)]);
    expect((b.skipped[0] as Error).message).toMatch(/Inability to pay some fees/);
  });
});

describe("fork choice", () => {
  it("switches to a longer fork and rewrites the canonical index; ties keep the first block", async () => {
    const a = await harness();
    const b = await harness();
    // common block 1 on both
    const b1 = sealedBlock(a, 1n, []);
    await a.chain.importBlock(b1, { kind: "test" });
    await b.chain.importBlock(b1, { kind: "test" });
    // a: block 2 at slot 2 ; b: blocks 2' (slot 3) and 3' (slot 4)
    const a2 = sealedBlock(a, 2n, []);
    await a.chain.importBlock(a2, { kind: "test" });
    const b2 = sealedBlock(b, 3n, [b.transfer(b.alice, b.bob.publicKey, TAO)]);
    await b.chain.importBlock(b2, { kind: "test" });
    const b3 = sealedBlock(b, 4n, []);
    await b.chain.importBlock(b3, { kind: "test" });
    // a sees 2' (same height as its own 2): no switch
    const tie = await a.chain.importBlock(b2, { kind: "test" });
    expect(tie.isBest).toBe(false);
    expect(bytesEqual(a.chain.hashAt(2)!, headerHash(a2.header))).toBe(true);
    // then 3': the longer fork wins and block 2's canonical entry now points at 2'
    const longer = await a.chain.importBlock(b3, { kind: "test" });
    expect(longer.isBest).toBe(true);
    expect(bytesEqual(a.chain.hashAt(2)!, headerHash(b2.header))).toBe(true);
    expect(bytesEqual(a.chain.hashAt(3)!, headerHash(b3.header))).toBe(true);
    expect(a.freeOf(a.bob.publicKey)).toBe(1_000_001n * TAO);
  });
});
