/** The informant's status line, in Substrate's words. */
import { describe, expect, it } from "vitest";
import { Informant } from "./informant.js";
import { silentLogger } from "../util/logger.js";
import type { Blockchain } from "../chain/blockchain/blockchain.js";

const head = (number: number, byte: number) => ({ number, hash: new Uint8Array(32).fill(byte), header: {} });

describe("Informant", () => {
  it("reports peers, best and finalized with short hashes, and transfer rates", () => {
    let now = 0;
    const chain = { best: head(1234, 0x1a), finalized: head(1232, 0x77) } as unknown as Blockchain;
    let bytes = { received: 0, sent: 0 };
    const informant = new Informant({ chain, logger: silentLogger(), now: () => now, network: { peers: () => 3, bytes: () => bytes } });
    now = 5_000;
    bytes = { received: 6_144, sent: 4_096 };
    expect(informant.statusLine().msg).toBe("Idle (3 peers), best: #1234 (0x1a1a…1a1a), finalized #1232 (0x7777…7777), ⬇ 1.2kiB/s ⬆ 0.8kiB/s");
  });

  it("says Syncing with the rate and target while behind", () => {
    let now = 0;
    const chain = { best: head(10, 1), finalized: head(10, 1) } as unknown as Blockchain;
    const informant = new Informant({ chain, logger: silentLogger(), now: () => now, network: { peers: () => 1, syncTarget: () => 500 } });
    (chain as unknown as { best: unknown }).best = head(60, 2);
    now = 5_000;
    expect(informant.statusLine().msg).toMatch(/^Syncing 10\.0 bps, target=#500 \(1 peers\), best: #60 /);
  });
});
