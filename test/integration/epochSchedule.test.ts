/**
 * Epoch timing on a RUNNING dev node, seen the way a Bittensor client sees it: over JSON-RPC
 * (HTTP), with storage keys built by the client itself (twox128 pallet ++ twox128 item ++ the
 * Identity-hashed netuid). Two subnets with tempo 9 (netuids 1 and 2, so staggered by one block)
 * run their epochs exactly at the blocks Subtensor's `blocks_until_next_epoch` names, and the
 * SDK's client-side computation `tempo − (block + netuid + 1) % (tempo + 1)`, from `Tempo` and the
 * head's number read over RPC, predicts every one of them: `LastMechansimStepBlock` and
 * `BlocksSinceLastStep` read at each block's hash, and the node's EpochRun events, agree.
 *
 * Waiting is driven by the chain's `imported` events (no sleeps).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Keyring } from "@polkadot/keyring";
import { u8aConcat, u8aToHex } from "@polkadot/util";
import { xxhashAsU8a } from "@polkadot/util-crypto";
import type { EnumValue } from "../../src/chain/codec/scale.js";
import type { ImportedBlock } from "../../src/chain/blockchain/blockchain.js";
import { devChainSpec } from "../../src/chain/spec.js";
import { startTestNode, waitForBlock, type TestNode } from "../utils/testNode.js";

const TEMPO = 9;
const NETUIDS = [1, 2];
/** blocks observed after the client's prediction: three periods */
const SPAN = 3 * (TEMPO + 1);

let node: TestNode;
const epochRuns: Array<[netuid: number, block: number]> = [];
const onImported = (b: ImportedBlock) => {
  for (const r of b.events) {
    const e = r.event.value as EnumValue;
    if (r.event.tag === "SubtensorModule" && e.tag === "EpochRun") epochRuns.push([(e.value as { netuid: number }).netuid, b.header.number]);
  }
};

beforeAll(async () => {
  const spec = await devChainSpec(250);
  const alice = new Keyring({ type: "sr25519", ss58Format: 42 }).addFromUri("//Alice").address;
  spec.subtensor = { ...spec.subtensor, subnets: NETUIDS.map((netuid) => ({ netuid, owner: alice, hyperparameters: { tempo: TEMPO } })) };
  node = await startTestNode({ spec });
  node.node.chain.on("imported", onImported);
});

afterAll(async () => {
  node?.node.chain.off("imported", onImported);
  await node?.stop();
});

// ------------------------------------------------------------------ a minimal RPC client

let rpcId = 0;
async function rpc<T>(method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(node.httpUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: ++rpcId, method, params }) });
  const body = (await res.json()) as { result?: T; error?: unknown };
  if (body.error !== undefined) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result as T;
}

/** SubtensorModule.<item>(netuid): twox128 ++ twox128 ++ Identity(u16 little-endian), as clients build it. */
const netuidKey = (item: string, netuid: number): string =>
  u8aToHex(u8aConcat(xxhashAsU8a("SubtensorModule", 128), xxhashAsU8a(item, 128), new Uint8Array([netuid & 0xff, netuid >> 8])));

/** A little-endian unsigned integer from SCALE hex (u16 or u64); an absent ValueQuery item reads as its default. */
const leUint = (hex: string | null, absent?: bigint): bigint => {
  if (hex === null) {
    if (absent === undefined) throw new Error("storage value missing");
    return absent;
  }
  const bytes = Buffer.from(hex.slice(2), "hex");
  return bytes.reduceRight((acc, b) => (acc << 8n) | BigInt(b), 0n);
};

const headNumber = async (): Promise<number> => Number.parseInt((await rpc<{ number: string }>("chain_getHeader")).number, 16);
const storageAt = (key: string, block: number) => rpc<string>("chain_getBlockHash", [block]).then((hash) => rpc<string | null>("state_getStorage", [key, hash]));

/** What the SDK computes client-side. */
const blocksUntilNextEpoch = (netuid: number, tempo: number, block: number): number => tempo - ((block + netuid + 1) % (tempo + 1));

describe("epoch timing seen from a client", () => {
  it("subnets with tempo 9 run their epochs exactly where tempo − (block + netuid + 1) % (tempo + 1) says, from RPC reads alone", { timeout: 60_000 }, async () => {
    // --- the client's prediction, from the head and Tempo read over RPC
    const start = await headNumber();
    const predicted = new Map<number, number[]>();
    for (const netuid of NETUIDS) {
      const tempo = Number(leUint(await storageAt(netuidKey("Tempo", netuid), start)));
      expect(tempo).toBe(TEMPO);
      const first = start + blocksUntilNextEpoch(netuid, tempo, start);
      const blocks: number[] = [];
      for (let b = first; b <= start + SPAN; b += tempo + 1) blocks.push(b);
      predicted.set(netuid, blocks);
    }
    // staggered by netuid: subnet 2 runs one block before subnet 1
    expect(predicted.get(1)!.map((b) => (b + 2) % 10)).toEqual(predicted.get(1)!.map(() => 9));
    expect(predicted.get(2)!.map((b) => (b + 3) % 10)).toEqual(predicted.get(2)!.map(() => 9));

    await waitForBlock(node.node, start + SPAN);

    for (const netuid of NETUIDS) {
      const epochs = predicted.get(netuid)!;
      expect(epochs.length).toBeGreaterThanOrEqual(3);
      // --- the chain's own record at every block, read over RPC
      let last: number | null = null;
      for (let b = start + 1; b <= start + SPAN; b++) {
        // absent until the first epoch (default 0), as for any client reading a ValueQuery item
        const lms = Number(leUint(await storageAt(netuidKey("LastMechansimStepBlock", netuid), b), 0n));
        const since = Number(leUint(await storageAt(netuidKey("BlocksSinceLastStep", netuid), b)));
        const isEpoch = epochs.includes(b);
        expect({ netuid, block: b, ranAtThisBlock: lms === b }).toEqual({ netuid, block: b, ranAtThisBlock: isEpoch });
        if (isEpoch) last = b;
        if (last !== null) expect({ netuid, block: b, lms, since }).toEqual({ netuid, block: b, lms: last, since: b - last });
        // from any block the client predicts the next epoch correctly
        const next = b + blocksUntilNextEpoch(netuid, TEMPO, b);
        if (next <= start + SPAN) expect(epochs).toContain(next);
      }
      // --- and the node's events: one EpochRun per predicted block, nowhere else
      const seen = epochRuns.filter(([n, b]) => n === netuid && b > start && b <= start + SPAN).map(([, b]) => b);
      expect(seen).toEqual(epochs.filter((b) => b > start));
    }
  });
});
