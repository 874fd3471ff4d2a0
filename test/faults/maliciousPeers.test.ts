/**
 * Malicious peers beyond the network issue's set (test/integration/maliciousPeer.test.ts has bad
 * seals, wrong state roots, far-future slots, oversized bodies, garbage and a non-authority
 * prevote): replayed blocks, transactions and votes; an equivocating authority (two valid blocks
 * of one author in one slot); finality data signed by non-authorities in commits and catch-ups;
 * gossip floods on each topic. The honest network keeps one chain, keeps finalizing, includes no
 * transaction twice, and bans the peers that attack it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Keyring } from "@polkadot/keyring";
import { buildChain } from "../../bench/chainBuilder.js";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { devChainSpec, localChainSpec } from "../../src/chain/spec.js";
import { blake2_256 } from "../../src/util/hash.js";
import { bytesEqual, toHex } from "../../src/util/bytes.js";
import { slotAt } from "../../src/consensus/aura.js";
import { finalityKeyFromSuri, signFinality } from "../../src/consensus/finality/keys.js";
import { encodeCatchUpResponse, encodeGossipMessage, localizedPayload, type BlockRef } from "../../src/consensus/finality/messages.js";
import { buildJustification } from "../../src/consensus/finality/justification.js";
import { encodeBlockAnnounce } from "../../src/p2p/messages.js";
import { TestNetwork, describeHeads, waitUntil, type NetNode } from "../utils/testNetwork.js";
import type { MaliciousPeer } from "../utils/maliciousPeer.js";
import { buildBlock, createAttacker } from "./lib/attacker.js";
import { captureLogger, type CapturedLogger } from "./lib/capture.js";
import { TransferSigner } from "./lib/transfers.js";
import { delay, poll } from "./lib/wait.js";

const keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
const peers: MaliciousPeer[] = [];
const nets: TestNetwork[] = [];
const report: string[] = [];

beforeAll(async () => {
  await cryptoWaitReady();
});

const dirs: string[] = [];

afterAll(async () => {
  for (const p of peers) await p.stop().catch(() => undefined);
  for (const n of nets) await n.close().catch(() => undefined);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  console.log(`[faults] malicious peers\n  ${report.join("\n  ")}`);
});

async function attacker(net: TestNetwork, target: NetNode, o: Parameters<typeof createAttacker>[1] = {}): Promise<MaliciousPeer & { catchUpRequests: number }> {
  const p = await createAttacker(net.spec, o);
  peers.push(p);
  await p.follow(target.node.chain);
  await p.connect(target.addr);
  await p.waitForSubscribers();
  return p;
}

const banned = (n: NetNode, p: MaliciousPeer) => n.node.network!.isBanned(p.peerId);

/** Publishes; false when our own gossipsub refuses it as a duplicate of a message it has seen. */
async function publish(p: MaliciousPeer, topic: string, data: Uint8Array): Promise<boolean> {
  try {
    await p.publish(topic, data);
    return true;
  } catch (e) {
    if (/Duplicate/.test((e as Error).message)) return false;
    throw e;
  }
}

/**
 * Sends `next(0)`, `next(1)`, … on `topic` as fast as gossip takes them until `victim` bans the
 * sender (at most `max` messages), then waits for the ban; returns how many were sent.
 */
async function floodUntilBanned(victim: NetNode, p: MaliciousPeer, topic: string, next: (i: number) => Uint8Array, max: number, what: string): Promise<number> {
  let sent = 0;
  for (let i = 0; i < max && !banned(victim, p); i++) {
    if (await publish(p, topic, next(i))) sent++;
    // publishing resolves without waiting for I/O: let the nodes of this process read what was sent
    if (i % 20 === 19) await new Promise((resolve) => setImmediate(resolve));
  }
  await poll(() => banned(victim, p), 20_000, `${what} flooder to be banned (${sent} sent)`);
  return sent;
}

async function finalityGoesOn(nodes: NetNode[], blocks = 2): Promise<void> {
  const f = Math.max(...nodes.map((n) => n.node.chain.finalized.number));
  await waitUntil(() => nodes.every((n) => n.node.chain.finalized.number >= f + blocks), 60_000, () => `finality goes on: ${describeHeads(nodes)}`, nodes);
}

/** Every node's canonical chain agrees up to the lowest finalized block. */
function agreeOnFinalized(nodes: NetNode[]): number {
  const f = Math.min(...nodes.map((n) => n.node.chain.finalized.number));
  for (let i = 1; i <= f; i++) {
    const h = nodes[0].node.chain.hashAt(i)!;
    for (const n of nodes.slice(1)) expect(toHex(n.node.chain.hashAt(i)!), `${n.name} #${i}`).toBe(toHex(h));
  }
  return f;
}

/** How many canonical blocks (1…best) of `n` contain the extrinsic. */
function inclusions(n: NetNode, tx: Uint8Array): number {
  const hash = toHex(blake2_256(tx));
  let count = 0;
  for (let i = 1; i <= n.node.chain.best.number; i++) {
    const body = n.node.chain.body(n.node.chain.hashAt(i)!) ?? [];
    count += body.filter((e) => toHex(blake2_256(e)) === hash).length;
  }
  return count;
}

describe("malicious peers (dev network: an authority and a full node)", () => {
  let net: TestNetwork;
  let alice: NetNode;
  let full: NetNode;

  beforeAll(async () => {
    // a chain of 120 blocks built offline: enough distinct old blocks to replay past the rate limit
    const spec = await devChainSpec(1000);
    const seed = mkdtempSync(join(tmpdir(), "subtensor-ts-faults-malicious-"));
    dirs.push(seed);
    await buildChain(spec, seed, { blocks: 120, justifyEvery: 10, authoritySuris: ["//Alice"] });
    net = await TestNetwork.create({ spec });
    nets.push(net);
    // gossip rates a tenth of the defaults, on both nodes (a network agrees on them): the attacker
    // shares this one process with both nodes, and on a busy machine it could not outpace the
    // default 200 transactions/s of a node it also has to run
    const p2p = { gossipRates: { transactions: { perSecond: 20, burst: 200 }, finality: { perSecond: 10, burst: 40 } } };
    alice = await net.start({ name: "Alice", authority: "//Alice", basePath: seed, p2p });
    full = await net.start({ name: "Full", authority: null, p2p });
    await waitUntil(() => full.node.chain.finalized.number >= 122, 90_000, () => describeHeads(net.nodes), net.nodes);
  }, 120_000);

  it("replayed blocks are ignored; a flood of replays is rate limited and its sender banned; nothing reorgs", async () => {
    const p = await attacker(net, full);
    const before = full.node.chain.finalized;
    const known = Array.from({ length: before.number }, (_, i) => full.node.chain.hashAt(i + 1)!).reverse();
    const announce = (h: Uint8Array) => encodeBlockAnnounce({ header: full.node.chain.header(h)!, extrinsics: full.node.chain.body(h)! });
    // a few replays: ignored, no harm, no ban
    for (const h of known.slice(-3)) await publish(p, p.protocols.blocksTopic, announce(h));
    await delay(1500);
    expect(banned(full, p)).toBe(false);
    // a flood: every known block, with its body and by header alone (distinct messages: gossipsub
    // drops exact duplicates itself), far faster than the 4 a second (burst 64) allowed
    let sent = 0;
    for (const h of known) {
      if (banned(full, p)) break;
      if (await publish(p, p.protocols.blocksTopic, announce(h))) sent++;
      if (await publish(p, p.protocols.blocksTopic, encodeBlockAnnounce({ header: full.node.chain.header(h)!, extrinsics: null }))) sent++;
    }
    await poll(() => banned(full, p), 20_000, `the replaying peer to be banned after ${sent} replays`);
    for (let i = 1; i <= before.number; i++) expect(toHex(full.node.chain.hashAt(i)!)).toBe(toHex(known[before.number - i]));
    await finalityGoesOn([alice, full]);
    report.push(`replayed blocks: 3 replays ignored without a ban; ${sent} replays → banned; canonical chain unchanged`);
  });

  it("a replayed transaction is not included twice", async () => {
    const signer = await TransferSigner.create(net.spec, { genesisHash: full.node.chain.genesisHash, specVersion: full.node.chain.chainIdentity.specVersion, transactionVersion: full.node.chain.chainIdentity.transactionVersion });
    const ferdie = signer.account("//Ferdie");
    const tx = signer.transfer(ferdie, keyring.addFromUri("//Eve").publicKey, 12_345n, 0);
    full.node.pool.submit(tx.bytes);
    await waitUntil(() => inclusions(full, tx.bytes) === 1, 30_000, "the transfer to be included", net.nodes);
    // replayed right after its inclusion, and again once it is final and buried (by peers that have
    // not seen it: gossipsub would not even send a message it has seen)
    const first = await attacker(net, full);
    expect(await publish(first, first.protocols.transactionsTopic, tx.bytes)).toBe(true);
    const f = full.node.chain.best.number;
    await waitUntil(() => full.node.chain.finalized.number >= f + 2, 30_000, "more finalized blocks", net.nodes);
    const second = await attacker(net, alice);
    expect(await publish(second, second.protocols.transactionsTopic, tx.bytes)).toBe(true);
    const g = full.node.chain.best.number;
    await waitUntil(() => full.node.chain.finalized.number >= g + 2, 30_000, "more finalized blocks", net.nodes);
    expect(inclusions(full, tx.bytes)).toBe(1);
    expect(inclusions(alice, tx.bytes)).toBe(1);
    expect(alice.node.pool.size + full.node.pool.size).toBe(0);
    report.push("replayed transaction: replayed after inclusion and after finality; included exactly once");
  });

  it("replayed finality votes and commits change nothing and get nobody banned", async () => {
    const listener = await attacker(net, full);
    const captured: Uint8Array[] = [];
    listener.libp2p.services.pubsub.addEventListener("message", (e) => {
      if (e.detail.topic === listener.protocols.finalityTopic) captured.push(e.detail.data);
    });
    await poll(() => captured.length >= 3, 30_000, "finality gossip to capture");
    const f0 = full.node.chain.finalized.number;
    // replayed later by a peer that has not seen them
    await delay(3000);
    const replayer = await attacker(net, full);
    let replayed = 0;
    for (const m of captured) if (await publish(replayer, replayer.protocols.finalityTopic, m)) replayed++;
    await finalityGoesOn([alice, full]);
    expect(full.node.chain.finalized.number).toBeGreaterThan(f0);
    expect(banned(full, replayer)).toBe(false);
    report.push(`replayed finality messages: ${replayed} old votes/commits replayed, ignored, nobody banned`);
  });

  it("a commit whose precommits are signed by non-authorities is rejected and its sender banned", async () => {
    const p = await attacker(net, full);
    const target: BlockRef = { hash: full.node.chain.best.hash, number: full.node.chain.best.number };
    const signers = ["//Eve", "//Ferdie", "//Charlie"].map((s) => finalityKeyFromSuri(s));
    const precommits = signers.map((k) => ({ kind: "Precommit" as const, target, id: k.publicKey, signature: signFinality(k, localizedPayload(99n, 0n, "Precommit", target)) }));
    const justification = buildJustification(99n, target, precommits, (h) => full.node.chain.header(h));
    await p.publish(p.protocols.finalityTopic, encodeGossipMessage({ tag: "Commit", value: { round: 99n, setId: 0n, justification } }));
    await poll(() => banned(full, p), 20_000, "the forged commit's sender to be banned");
    await finalityGoesOn([alice, full]);
    report.push("commit of non-authority precommits: rejected, sender banned");
  });

  it("gossip floods on the transaction and finality topics are rate limited and their senders banned", async () => {
    // transactions: valid signatures and future nonces (accepted into the pool one by one), far too fast
    const p = await attacker(net, full);
    const signer = await TransferSigner.create(net.spec, { genesisHash: full.node.chain.genesisHash, specVersion: full.node.chain.chainIdentity.specVersion, transactionVersion: full.node.chain.chainIdentity.transactionVersion });
    const dave = signer.account("//Dave");
    // the first 2600 signed beforehand (far past the burst), the rest as they are sent: on a
    // busy machine the sender may be slower than a fixed count needs to overrun the rate
    const eve = keyring.addFromUri("//Eve").publicKey;
    const presigned = Array.from({ length: 2600 }, (_, i) => signer.transfer(dave, eve, 1000n, 1000 + i).bytes);
    const sent = await floodUntilBanned(full, p, p.protocols.transactionsTopic, (i) => presigned[i] ?? signer.transfer(dave, eve, 1000n, 1000 + i).bytes, 20_000, "the transaction");
    const pool = full.node.pool.size;
    expect(pool).toBeLessThanOrEqual(8192);
    // finality: votes for another authority set (ignored one by one, no penalty), far too fast
    const q = await attacker(net, full);
    const alicef = finalityKeyFromSuri("//Alice");
    const target = { hash: full.node.chain.best.hash, number: full.node.chain.best.number };
    const vote = (i: number) => {
      const round = BigInt(i + 1);
      const signature = signFinality(alicef, localizedPayload(round, 7n, "Prevote", target));
      return encodeGossipMessage({ tag: "Vote", value: { round, setId: 7n, vote: { kind: "Prevote", target, signature, id: alicef.publicKey } } });
    };
    const presignedVotes = Array.from({ length: 700 }, (_, i) => vote(i));
    const votes = await floodUntilBanned(full, q, q.protocols.finalityTopic, (i) => presignedVotes[i] ?? vote(i), 10_000, "the finality");
    // the honest relay was not banned by its peer for passing the flood on
    expect(alice.node.network!.isBanned(full.peerId)).toBe(false);
    expect(full.node.network!.isBanned(alice.peerId)).toBe(false);
    await finalityGoesOn([alice, full]);
    report.push(`floods: ${sent} transactions → banned (pool ${pool}, relayed to Alice within Full's gossip budget: Full not banned); ${votes} finality votes → banned; finality goes on`);
  });
});

describe("an equivocating authority (local network: three honest authorities and a full node; the attacker holds //Bob)", () => {
  it("two valid blocks of Bob in one slot: the first seen is kept, the equivocation logged, and the network converges and finalizes", async () => {
    const spec = await localChainSpec(1000);
    const net = await TestNetwork.create({ spec });
    nets.push(net);
    const logs: Record<string, CapturedLogger> = {};
    const honest: NetNode[] = [];
    for (const [name, authority] of [["Alice", "//Alice"], ["Charlie", "//Charlie"], ["Dave", "//Dave"], ["Full", null]] as const) {
      logs[name] = captureLogger("warn", name);
      honest.push(await net.start({ name, authority, logger: logs[name].logger }));
    }
    await waitUntil(() => honest.every((n) => n.node.chain.finalized.number >= 3), 90_000, () => describeHeads(honest), honest);
    // two attacker peers, each connected to one authority only, so each block reaches a different node first
    const bob = keyring.addFromUri("//Bob");
    const a1 = await attacker(net, honest[0]);
    const a2 = await attacker(net, honest[1]);
    const signer = await TransferSigner.create(spec, { genesisHash: honest[0].node.chain.genesisHash, specVersion: honest[0].node.chain.chainIdentity.specVersion, transactionVersion: honest[0].node.chain.chainIdentity.transactionVersion });
    let blocks: Array<{ hash: Uint8Array; number: number }> = [];
    for (let attempt = 0; attempt < 5 && blocks.length === 0; attempt++) {
      // wait for the start of one of Bob's slots (slot % 4 == 1): nobody honest authors in it
      const slotMs = spec.consensus.slotDurationMs;
      await poll(() => slotAt(Date.now(), slotMs) % 4n === 1n && Date.now() % slotMs < 300, 20_000, "Bob's slot", 20);
      const slot = slotAt(Date.now(), slotMs);
      await a1.follow(honest[0].node.chain);
      if (!bytesEqual(a1.copy.chain.best.hash, honest[1].node.chain.best.hash)) continue; // the honest nodes are mid-import: next slot of Bob
      const tx = signer.transfer(signer.account("//Ferdie"), keyring.addFromUri("//Eve").publicKey, 5000n, await nonceOf(honest[0], "//Ferdie"));
      const A = buildBlock(a1, bob, slot);
      const B = buildBlock(a1, bob, slot, [tx.bytes]);
      await Promise.all([a1.publish(a1.protocols.blocksTopic, encodeBlockAnnounce({ header: A.header, extrinsics: A.extrinsics })), a2.publish(a2.protocols.blocksTopic, encodeBlockAnnounce({ header: B.header, extrinsics: B.extrinsics }))]);
      blocks = [A, B].map((b) => ({ hash: b.hash, number: b.header.number }));
    }
    expect(blocks).toHaveLength(2);
    const [A, B] = blocks;
    await poll(() => honest.every((n) => n.node.chain.has(A.hash) || n.node.chain.has(B.hash)), 20_000, "every honest node to import one of Bob's two blocks");
    const held = honest.map((n) => `${n.name}: ${n.node.chain.has(A.hash) ? "A" : ""}${n.node.chain.has(B.hash) ? "B" : ""}`);
    // the network converges: finality passes the equivocation height, on one chain, everywhere
    const pendingOf = (n: NetNode) => {
      const v = (n.node as unknown as { finality: { voter?: { pending: Array<{ round: bigint; vote: { kind: string; target: { hash: Uint8Array; number: number }; id: Uint8Array } }> } } }).finality.voter;
      return (v?.pending ?? []).slice(0, 6).map((p) => `r${p.round} ${p.vote.kind} #${p.vote.target.number} ${toHex(p.vote.target.hash).slice(0, 8)} by ${toHex(p.vote.id).slice(0, 6)} has=${n.node.chain.has(p.vote.target.hash)}`).join(",");
    };
    // on failure: each voter's round and the votes it holds for blocks it lacks
    const rounds = () => honest.map((n) => `${n.name} pending[${pendingOf(n)}] ${JSON.stringify((n.node as unknown as { finality: { roundState(): unknown } }).finality.roundState(), (_, v) => (typeof v === "bigint" ? v.toString() : v))}`).join("; ");
    await waitUntil(() => honest.every((n) => n.node.chain.finalized.number >= A.number + 3), 90_000, () => `finality past the equivocation (#${A.number}): ${describeHeads(honest)}; blocks held ${held.join(", ")}; rounds ${rounds()}`, honest);
    const f = agreeOnFinalized(honest);
    const onChain = toHex(honest[0].node.chain.hashAt(A.number)!);
    expect([toHex(A.hash), toHex(B.hash)]).toContain(onChain);
    const logged = Object.entries(logs).filter(([, l]) => l.lines.some((x) => /equivocat/i.test(x.msg)));
    expect(logged.length, "the equivocation is logged").toBeGreaterThan(0);
    report.push(`equivocation at #${A.number}: blocks held when every node had one ${held.join(", ")} (A reached Alice first, B Charlie); logged by ${logged.map(([n]) => n).join(", ")}; finalized #${f} everywhere on ${onChain === toHex(A.hash) ? "A" : "B"}`);
  });
});

describe("catch-ups from a peer claiming to be an authority", () => {
  it("a catch-up of votes signed by non-authorities is refused and its sender banned", async () => {
    const spec = await localChainSpec(1000);
    const net = await TestNetwork.create({ spec });
    nets.push(net);
    // two of four authorities: finality stalls, and the stalled voters ask peers for catch-ups
    const alice = await net.start({ name: "Alice", authority: "//Alice" });
    const bob = await net.start({ name: "Bob", authority: "//Bob" });
    await waitUntil(() => alice.node.chain.best.number >= 2, 60_000, () => describeHeads(net.nodes), net.nodes);
    const forgers = ["//Eve", "//Ferdie", "//Charlie"].map((s) => finalityKeyFromSuri(s));
    const p = await attacker(net, alice, {
      role: 1,
      catchUp: (request) => {
        const round = 1000n;
        const target = { hash: alice.node.chain.best.hash, number: alice.node.chain.best.number };
        const vote = (kind: "Prevote" | "Precommit", k: (typeof forgers)[number]) => ({ kind, target, id: k.publicKey, signature: signFinality(k, localizedPayload(round, 0n, kind, target)) });
        void request;
        return encodeCatchUpResponse({ setId: 0n, round, prevotes: forgers.map((k) => vote("Prevote", k)), precommits: forgers.map((k) => vote("Precommit", k)), base: { hash: alice.node.chain.finalized.hash, number: alice.node.chain.finalized.number } });
      },
    });
    await poll(() => p.catchUpRequests > 0, 60_000, "a stalled voter to ask the attacker for a catch-up");
    await poll(() => banned(alice, p), 20_000, "the forged catch-up's sender to be banned");
    // nothing was finalized by it
    expect(alice.node.chain.finalized.number).toBeLessThan(alice.node.chain.best.number);
    void bob;
    report.push(`forged catch-up: asked ${p.catchUpRequests} time(s), refused, sender banned`);
  });
});

async function nonceOf(n: NetNode, suri: string): Promise<number> {
  const { Account } = await import("../../src/chain/runtime/pallets/system.js");
  return Account.get(n.node.chain.bestState(), keyring.addFromUri(suri).publicKey).nonce;
}
