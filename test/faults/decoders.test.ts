/**
 * Bad bytes: the SCALE decoders of everything that arrives from outside — extrinsics, headers,
 * bodies and blocks, justifications, the network's messages (status, block requests, block data,
 * block announcements, finality gossip, catch-ups) — fed random bytes and mutations of valid
 * encodings (fast-check, seeded from FAULTS_SEED). Each input either decodes (and then re-encodes
 * to exactly the input: no silent acceptance of other bytes) or is refused with a *typed*
 * rejection (ScaleDecodeError, never a TypeError or RangeError from deep inside), fast (no hang),
 * without allocating what a hostile length prefix claims. Then the consumers behind the decoders
 * get the mutated bytes: the transaction pool (PoolError only), block import (BlockImportError
 * only, nothing committed), justification checks and finality gossip validation (verdicts, never
 * exceptions).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { byteMutationArb, mutate } from "../utils/byteMutations.js";
import { ChainHarness, testJustification } from "../utils/chainHarness.js";
import { ScaleDecodeError } from "../../src/chain/codec/reader.js";
import { decodeExtrinsic } from "../../src/chain/codec/extrinsic.js";
import { decodeBlock, decodeBody, decodeHeader, encodeBlock, encodeBody, encodeHeader, headerHash, type Block } from "../../src/chain/codec/block.js";
import {
  CatchUpRequestCodec,
  decodeCatchUpResponse,
  decodeGossipMessage,
  decodeGrandpaJustification,
  encodeCatchUpResponse,
  encodeGossipMessage,
  encodeGrandpaJustification,
  encodeJustifications,
  grandpaEntry,
  localizedPayload,
  JustificationsCodec,
} from "../../src/consensus/finality/messages.js";
import { StatusCodec, decodeBlockAnnounce, decodeBlockData, decodeBlockRequest, encodeBlockAnnounce, encodeBlockData, encodeBlockRequest, type Status } from "../../src/p2p/messages.js";
import { verifyJustification } from "../../src/consensus/finality/justification.js";
import { finalityKeyFromSuri, signFinality } from "../../src/consensus/finality/keys.js";
import { FinalityService } from "../../src/consensus/finality/service.js";
import { BlockImportError, FinalityError } from "../../src/chain/blockchain/errors.js";
import { PoolError } from "../../src/chain/txpool/txpool.js";
import { silentLogger } from "../../src/util/logger.js";
import { toHex } from "../../src/util/bytes.js";
import { runSeed } from "./lib/random.js";
import { orderedTrieRoot } from "../../src/chain/trie/index.js";
import { preDigest, sealDigest } from "../../src/consensus/aura.js";

const SEED = runSeed();
console.log(`[faults] decoders: seed ${SEED} (replay with FAULTS_SEED=${SEED})`);
const RUNS = Number(process.env.FAULTS_FUZZ_RUNS ?? 2000);

let h: ChainHarness;
let blocks: Block[] = [];
let extrinsics: Uint8Array[] = [];
let justification: Uint8Array;
const stats: string[] = [];

beforeAll(async () => {
  h = await ChainHarness.create();
  const subtensor = (call: string, args: Record<string, unknown>) => h.sign(h.alice, h.encodeCall("SubtensorModule", call, args));
  // blocks with a variety of extrinsics
  const b1 = await h.produce([h.transfer(h.alice, h.bob.publicKey, 10n ** 12n), h.transfer(h.bob, h.charlie.publicKey, 5n ** 9n, "transfer_allow_death")], { finalize: true });
  const b2 = await h.produce([h.transfer(h.charlie, h.alice.publicKey, 7777n, { tip: 12n })]);
  extrinsics = [
    ...b1.extrinsics,
    ...b2.extrinsics,
    h.transfer(h.alice, new Uint8Array(32).fill(7), 1000n, { nonce: 40 }),
    subtensor("burned_register", { netuid: 1, hotkey: h.bob.publicKey }),
    subtensor("add_stake", { hotkey: h.bob.publicKey, amountStaked: 1000n }),
    subtensor("set_weights", { netuid: 1, dests: [0, 1, 2], weights: [100, 200, 300], versionKey: 0n }),
    h.sign(h.alice, h.encodeCall("Sudo", "sudo", { call: { tag: "Balances", value: { tag: "force_set_balance", value: { who: { tag: "Id", value: h.bob.publicKey }, newFree: 1n } } } })),
  ].filter((x): x is Uint8Array => x instanceof Uint8Array);
  blocks = [b1, b2].map((b) => ({ header: b.header, extrinsics: b.extrinsics }));
  justification = h.justification(b2.hash);
}, 60_000);

afterAll(async () => {
  await h?.close();
  console.log(`[faults] decoders\n  ${stats.join("\n  ")}`);
});

const mutationArb = byteMutationArb({ hostile: true });

interface Target {
  decode: (b: Uint8Array) => unknown;
  /** re-encoding of a decoded value (canonical check); undefined when the type has no encoder here */
  encode?: (v: never) => Uint8Array;
  seeds: () => Uint8Array[];
}

const targets: Record<string, Target> = {
  extrinsic: { decode: (b) => decodeExtrinsic(b, h.runtime.callCodec), encode: (v: { bytes: Uint8Array }) => v.bytes, seeds: () => extrinsics },
  header: { decode: decodeHeader, encode: encodeHeader, seeds: () => blocks.map((b) => encodeHeader(b.header)) },
  body: { decode: decodeBody, encode: encodeBody, seeds: () => blocks.map((b) => encodeBody(b.extrinsics)) },
  block: { decode: decodeBlock, encode: encodeBlock, seeds: () => blocks.map(encodeBlock) },
  justifications: { decode: (b) => JustificationsCodec.decode(b), encode: (v: never) => JustificationsCodec.encode(v), seeds: () => [justification] },
  grandpaJustification: { decode: decodeGrandpaJustification, encode: encodeGrandpaJustification, seeds: () => [grandpaEntry(justification)!] },
  status: {
    decode: (b) => StatusCodec.decode(b),
    encode: (v: never) => StatusCodec.encode(v),
    seeds: () => [StatusCodec.encode({ genesisHash: h.chain.genesisHash, slotDurationMs: 12000n, bestNumber: 2, bestHash: h.chain.best.hash, finalizedNumber: 1, finalizedHash: h.chain.finalized.hash, role: 1 } as Status & Record<string, unknown>)],
  },
  blockRequest: {
    decode: decodeBlockRequest,
    encode: encodeBlockRequest,
    seeds: () => [encodeBlockRequest({ from: { tag: "Number", value: 7 }, direction: "Ascending", max: 128, fields: 19 }), encodeBlockRequest({ from: { tag: "Hash", value: h.chain.best.hash }, direction: "Descending", max: 1, fields: 3 })],
  },
  blockData: {
    decode: decodeBlockData,
    encode: encodeBlockData,
    seeds: () => blocks.map((b, i) => encodeBlockData({ hash: headerHash(b.header), header: b.header, body: b.extrinsics, justifications: i === 1 ? justification : null })),
  },
  blockAnnounce: { decode: decodeBlockAnnounce, encode: encodeBlockAnnounce, seeds: () => blocks.map((b) => encodeBlockAnnounce({ header: b.header, extrinsics: b.extrinsics })) },
  finalityGossip: { decode: decodeGossipMessage, encode: encodeGossipMessage, seeds: () => gossipSeeds() },
  catchUpRequest: { decode: (b) => CatchUpRequestCodec.decode(b), encode: (v: never) => CatchUpRequestCodec.encode(v), seeds: () => [CatchUpRequestCodec.encode({ round: 5n, setId: 0n })] },
  catchUpResponse: { decode: decodeCatchUpResponse, encode: encodeCatchUpResponse, seeds: () => [encodeCatchUpResponse(catchUp()), encodeCatchUpResponse(null)] },
};

function vote(kind: "Prevote" | "Precommit", round: bigint) {
  const key = finalityKeyFromSuri("//Alice");
  const target = { hash: h.chain.best.hash, number: h.chain.best.number };
  return { kind, target, id: key.publicKey, signature: signFinality(key, localizedPayload(round, 0n, kind, target)) };
}

function gossipSeeds(): Uint8Array[] {
  return [
    encodeGossipMessage({ tag: "Vote", value: { round: 3n, setId: 0n, vote: vote("Prevote", 3n) } }),
    encodeGossipMessage({ tag: "Vote", value: { round: 3n, setId: 0n, vote: vote("Precommit", 3n) } }),
    encodeGossipMessage({ tag: "Commit", value: { round: 1n, setId: 0n, justification: grandpaEntry(justification)! } }),
  ];
}

function catchUp() {
  const base = { hash: h.chain.finalized.hash, number: h.chain.finalized.number };
  return { setId: 0n, round: 4n, prevotes: [vote("Prevote", 4n)], precommits: [vote("Precommit", 4n)], base };
}

/** What a refusal may be: a typed decode error. Anything else (TypeError, RangeError, …) is a bug. */
function isTyped(e: unknown): boolean {
  return e instanceof ScaleDecodeError;
}

const slowest: Record<string, number> = {};

function decodeOrRefuse(name: string, bytes: Uint8Array): void {
  const t = targets[name];
  const t0 = performance.now();
  let value: unknown;
  try {
    value = t.decode(bytes);
  } catch (e) {
    if (!isTyped(e)) throw new Error(`${name}: untyped rejection ${(e as Error)?.constructor?.name}: ${(e as Error)?.message} for ${toHex(bytes).slice(0, 200)}`);
    return;
  } finally {
    const ms = performance.now() - t0;
    slowest[name] = Math.max(slowest[name] ?? 0, ms);
    if (ms > 250) throw new Error(`${name}: decoding ${bytes.length} bytes took ${ms.toFixed(0)} ms`);
  }
  if (t.encode) expect(toHex(t.encode(value as never)), `${name}: decoded bytes re-encode to themselves`).toBe(toHex(bytes));
}

describe("SCALE decoders: random and mutated bytes", () => {
  for (const name of Object.keys(targets)) {
    it(`${name}: decodes canonically or refuses with a ScaleDecodeError, fast`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 600 }), (b) => decodeOrRefuse(name, b)),
        { numRuns: Math.round(RUNS / 2), seed: SEED },
      );
      fc.assert(
        fc.property(fc.constantFrom(...targets[name].seeds()), fc.array(mutationArb, { minLength: 1, maxLength: 6 }), (seed, ms) => decodeOrRefuse(name, mutate(seed, ms))),
        { numRuns: RUNS, seed: SEED },
      );
      stats.push(`${name}: ${Math.round(RUNS * 1.5)} inputs, slowest ${slowest[name]?.toFixed(2)} ms`);
    });
  }

  it("length prefixes claiming gigabytes are refused without allocating them", () => {
    const rss0 = process.memoryUsage().rss;
    // compact 2^30 - 1 and a 4-byte-mode compact of 2^32 - 1, as vector lengths in each decoder
    const huge = [new Uint8Array([0xfe, 0xff, 0xff, 0xff]), new Uint8Array([0x03, 0xff, 0xff, 0xff, 0xff])];
    for (const name of Object.keys(targets)) {
      for (const seed of targets[name].seeds()) {
        for (let at = 0; at < Math.min(seed.length, 200); at++) {
          for (const prefix of huge) decodeOrRefuse(name, Uint8Array.from([...seed.subarray(0, at), ...prefix, ...seed.subarray(at, at + 64)]));
        }
      }
    }
    const grew = process.memoryUsage().rss - rss0;
    stats.push(`hostile length prefixes: RSS grew ${(grew / 2 ** 20).toFixed(1)} MiB`);
    expect(grew).toBeLessThan(256 * 2 ** 20);
  });
});

describe("consumers of decoded bytes: typed rejections only", () => {
  it("the transaction pool refuses mutated extrinsics with PoolError", () => {
    let refused = 0;
    fc.assert(
      fc.property(fc.constantFrom(...extrinsics), fc.array(mutationArb, { minLength: 1, maxLength: 4 }), (seed, ms) => {
        const bytes = mutate(seed, ms);
        try {
          h.pool.submit(bytes);
        } catch (e) {
          if (!(e instanceof PoolError)) throw new Error(`pool: ${(e as Error)?.constructor?.name}: ${(e as Error)?.message} for ${toHex(bytes).slice(0, 200)}`);
          refused++;
        }
      }),
      { numRuns: Math.round(RUNS / 4), seed: SEED },
    );
    stats.push(`pool: ${refused} of ${Math.round(RUNS / 4)} mutated extrinsics refused with PoolError, the rest were valid transactions`);
  });

  it("block import refuses mutated blocks with BlockImportError and commits nothing", async () => {
    // the next block, built and sealed but not imported: mutations of it go to importBlock
    const parent = h.chain.best;
    const slot = h.takeSlot();
    const executed = h.chain.execute(parent, { number: parent.number + 1, digest: [preDigest(slot)] }, [h.timestampInherent(slot), h.transfer(h.alice, h.bob.publicKey, 10n ** 10n)], { build: true });
    const header = { ...executed.header, digest: { logs: [...executed.header.digest.logs, sealDigest(h.alice.sign(headerHash(executed.header)))] } };
    {
      const valid = encodeBlock({ header, extrinsics: executed.extrinsics });
      const codes = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(fc.array(mutationArb, { minLength: 1, maxLength: 4 }), async (ms) => {
          const bytes = mutate(valid, ms);
          let block: Block;
          try {
            block = decodeBlock(bytes);
          } catch (e) {
            if (!isTyped(e)) throw e;
            codes.set("decode", (codes.get("decode") ?? 0) + 1);
            return;
          }
          try {
            await h.chain.importBlock(block, { kind: "test" });
          } catch (e) {
            if (!(e instanceof BlockImportError || e instanceof FinalityError)) throw new Error(`import: ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
            codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
            // nothing committed: best is the parent (or the unmutated block, if a no-op mutation imported it)
            expect([toHex(parent.hash), toHex(headerHash(header))]).toContain(toHex(h.chain.best.hash));
            return;
          }
          // only the unmutated block itself may import (a mutation that changed nothing)
          expect(toHex(encodeBlock(block))).toBe(toHex(valid));
        }),
        { numRuns: Math.round(RUNS / 8), seed: SEED },
      );
      stats.push(`block import: ${Math.round(RUNS / 8)} mutated blocks: ${[...codes].map(([c, n]) => `${c} ${n}`).join(", ")}`);
    }
  });

  it("block import executes mutated extrinsics in correctly sealed blocks and refuses them with BlockImportError", async () => {
    // the body is mutated, the extrinsics root recomputed and the header re-sealed by the slot's
    // author: the block passes every check before execution, so garbage reaches the runtime
    const parent = h.chain.best;
    const slot = h.takeSlot();
    const inherent = h.timestampInherent(slot);
    const transfer = h.transfer(h.alice, h.bob.publicKey, 10n ** 10n);
    const executed = h.chain.execute(parent, { number: parent.number + 1, digest: [preDigest(slot)] }, [inherent, transfer], { build: true });
    const codes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: extrinsics.length }), fc.array(mutationArb, { minLength: 1, maxLength: 3 }), async (pick, ms) => {
        const victim = pick === extrinsics.length ? transfer : extrinsics[pick];
        const body = [inherent, mutate(victim, ms)];
        const unsealed = { ...executed.header, extrinsicsRoot: orderedTrieRoot(body, 0) };
        const header = { ...unsealed, digest: { logs: [...unsealed.digest.logs, sealDigest(h.alice.sign(headerHash(unsealed)))] } };
        try {
          await h.chain.importBlock({ header, extrinsics: body }, { kind: "test" });
        } catch (e) {
          if (!(e instanceof BlockImportError)) throw new Error(`import: ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
          codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
          expect(toHex(h.chain.best.hash)).toBe(toHex(parent.hash));
          return;
        }
        throw new Error("a block with a mutated extrinsic and the parent's state root was imported");
      }),
      { numRuns: Math.round(RUNS / 8), seed: SEED },
    );
    stats.push(`block import, sealed: ${Math.round(RUNS / 8)} blocks with a mutated extrinsic: ${[...codes].map(([c, n]) => `${c} ${n}`).join(", ")}`);
  });

  it("justification checks and finality gossip validation return verdicts for mutated input, never throw", () => {
    const target = { hash: h.chain.header(h.chain.finalized.hash) ? h.chain.finalized.hash : h.chain.best.hash, number: h.chain.finalized.number };
    const authorities = [finalityKeyFromSuri("//Alice").publicKey];
    const service = new FinalityService(
      { key: finalityKeyFromSuri("//Alice"), slotDurationMs: 12_000 },
      {
        chain: {
          finalized: () => ({ hash: h.chain.finalized.hash, number: h.chain.finalized.number }),
          best: () => ({ hash: h.chain.best.hash, number: h.chain.best.number }),
          has: (x) => h.chain.has(x),
          header: (x) => h.chain.header(x),
          stateAt: (x) => h.chain.stateAt(x),
          ancestry: (b, x) => h.chain.ancestry(b, x),
          bestChainContaining: (b) => h.chain.bestChainContaining(b),
          finalize: async () => undefined,
        },
        network: { broadcast: () => undefined, requestCatchUp: () => Promise.reject(new Error("offline")), penalize: () => undefined },
        store: { load: () => undefined, save: async () => undefined },
        logger: silentLogger(),
      },
    );
    const verdicts = new Map<string, number>();
    const count = (k: string) => verdicts.set(k, (verdicts.get(k) ?? 0) + 1);
    const jSeed = grandpaEntry(testJustification(target, [finalityKeyFromSuri("//Alice")], (x) => h.chain.header(x)))!;
    fc.assert(
      fc.property(fc.array(mutationArb, { minLength: 1, maxLength: 4 }), fc.nat({ max: 2 }), (ms, which) => {
        const v = verifyJustification(mutate(jSeed, ms), target, { setId: 0n, authorities });
        count(`justification ${v.ok ? "ok" : v.code}`);
        const g = service.validateGossip(mutate(gossipSeeds()[which], ms), "fuzzer");
        count(`gossip ${g.result}`);
        // a catch-up response from a peer: decoded or refused with a typed error
        try {
          decodeCatchUpResponse(mutate(encodeCatchUpResponse(catchUp()), ms));
        } catch (e) {
          if (!isTyped(e)) throw e;
        }
      }),
      // signature checks (ed25519 in JS) make each run cost tens of milliseconds
      { numRuns: Math.round(RUNS / 10), seed: SEED },
    );
    service.stop();
    stats.push(`finality: ${[...verdicts].map(([c, n]) => `${c} ${n}`).join(", ")}`);
    // the justifications container of a stored block, mutated: a typed refusal or another container
    fc.assert(
      fc.property(fc.array(mutationArb, { minLength: 1, maxLength: 4 }), (ms) => {
        try {
          grandpaEntry(mutate(encodeJustifications(jSeed), ms));
        } catch (e) {
          if (!isTyped(e)) throw e;
        }
      }),
      { numRuns: Math.round(RUNS / 2), seed: SEED },
    );
  });
});
