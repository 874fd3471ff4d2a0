import { beforeAll, describe, expect, it } from "vitest";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { SimNetwork, SimTree } from "../../../test/utils/finalitySim.js";

const NAMES = ["Alice", "Bob", "Charlie", "Dave"];

beforeAll(async () => {
  await cryptoWaitReady();
});

/** Produces `n` blocks on the best known branch of everyone, one every `slotMs`, advancing time. */
async function growChain(net: SimNetwork, from: ReturnType<SimTree["extend"]>[number] | undefined, n: number, slotMs = 1000, names?: string[]) {
  let tip = from ?? net.tree.genesis;
  const made = [];
  for (let i = 0; i < n; i++) {
    const [b] = net.tree.extend(tip, 1, `${names?.join(",") ?? "all"}`);
    net.reveal([b], names);
    made.push(b);
    tip = b;
    await net.clock.advance(slotMs);
  }
  return made;
}

describe("GRANDPA voters (simulated network)", () => {
  it("4 voters finalize the chain as it grows; every justification verifies", async () => {
    const net = new SimNetwork(new SimTree(), NAMES);
    net.start();
    const blocks = await growChain(net, undefined, 10);
    await net.clock.advance(2000);
    for (const v of net.voters) expect(v.finalized.number).toBeGreaterThanOrEqual(9);
    net.assertSafety();
    net.assertJustificationsVerify();
    expect(blocks.length).toBe(10);
    net.stopAll();
  });

  it("3 of 4 keep finalizing; 2 of 4 stall; the third coming back resumes finality", async () => {
    const net = new SimNetwork(new SimTree(), NAMES);
    net.start();
    let made = await growChain(net, undefined, 3);
    net.stop("Dave");
    made = await growChain(net, made[made.length - 1], 5);
    await net.clock.advance(2000);
    expect(net.voter("Alice").finalized.number).toBeGreaterThanOrEqual(7);
    net.stop("Charlie");
    const stalledAt = net.voter("Alice").finalized.number;
    made = await growChain(net, made[made.length - 1], 5);
    await net.clock.advance(3000);
    expect(net.voter("Alice").finalized.number).toBe(stalledAt);
    expect(net.voter("Bob").finalized.number).toBe(stalledAt);
    net.restart("Charlie");
    net.reveal(made, ["Charlie"]);
    made = await growChain(net, made[made.length - 1], 3);
    await net.clock.advance(5000);
    expect(net.voter("Alice").finalized.number).toBeGreaterThan(stalledAt + 5);
    expect(net.voter("Charlie").finalized.number).toBeGreaterThan(stalledAt + 5);
    net.assertSafety();
    net.assertJustificationsVerify();
    net.stopAll();
  });

  it("a 2|2 partition with competing branches finalizes nothing conflicting; after healing all agree", async () => {
    const tree = new SimTree();
    const net = new SimNetwork(tree, NAMES);
    net.start();
    const common = await growChain(net, undefined, 3);
    await net.clock.advance(2000);
    const base = common[common.length - 1];
    net.partition([["Alice", "Bob"], ["Charlie", "Dave"]]);
    const left = await growChain(net, base, 6, 1000, ["Alice", "Bob"]);
    const right = await growChain(net, base, 4, 1000, ["Charlie", "Dave"]);
    await net.clock.advance(3000);
    for (const v of net.voters) expect(v.finalized.number).toBeLessThanOrEqual(base.header.number);
    net.heal();
    net.reveal([...left, ...right]);
    await growChain(net, left[left.length - 1], 3);
    // the rounds stuck during the partition complete once each side has fetched the other's votes
    await net.clock.advance(20_000);
    const f = net.voters.map((v) => v.finalized.number);
    expect(Math.min(...f)).toBeGreaterThan(base.header.number + 6);
    for (const v of net.voters) expect(tree.isAncestor({ hash: left[5].hash, number: left[5].header.number }, v.finalized)).toBe(true);
    net.assertSafety();
    net.assertJustificationsVerify();
    net.stopAll();
  });

  it("a voter restarted from its persisted state never signs a second, different vote in a round", async () => {
    const net = new SimNetwork(new SimTree(), NAMES);
    net.start();
    let made = await growChain(net, undefined, 4);
    for (let i = 0; i < 5; i++) {
      // crash Bob at various points of a round: just after a block, and mid-round
      net.stop("Bob");
      await net.clock.advance(150 + i * 70);
      net.restart("Bob");
      made = await growChain(net, made[made.length - 1], 2);
    }
    await net.clock.advance(3000);
    // SimNetwork.broadcast throws if any voter equivocates; finality continued throughout
    expect(net.voter("Bob").finalized.number).toBeGreaterThanOrEqual(made.length + 2);
    net.assertSafety();
    net.stopAll();
  });

  it("a voter that was away many rounds catches up from a peer and votes again", async () => {
    const net = new SimNetwork(new SimTree(), NAMES);
    net.start();
    let made = await growChain(net, undefined, 2);
    net.stop("Dave");
    const daveRound = net.voter("Dave").voter.roundNumber;
    made = await growChain(net, made[made.length - 1], 12);
    await net.clock.advance(2000);
    expect(net.voter("Alice").voter.roundNumber).toBeGreaterThan(daveRound + 3n);
    net.restart("Dave");
    net.reveal(made, ["Dave"]);
    await growChain(net, made[made.length - 1], 4);
    await net.clock.advance(3000);
    const dave = net.voter("Dave");
    expect(dave.voter.roundNumber).toBeGreaterThanOrEqual(net.voter("Alice").voter.roundNumber - 1n);
    expect(dave.finalized.number).toBeGreaterThanOrEqual(14);
    net.assertSafety();
    net.stopAll();
  });

  it("a single voter finalizes each block at once", async () => {
    const net = new SimNetwork(new SimTree(), ["Alice"], 0);
    net.start();
    const made = await growChain(net, undefined, 5, 10);
    expect(net.voter("Alice").finalized.number).toBe(made.length);
    net.assertJustificationsVerify();
    net.stopAll();
  });
});
