/** The epoch schedule against Subtensor's own table (run_coinbase.rs / block_step.rs doc comment). */
import { describe, expect, it } from "vitest";
import { U64_MAX } from "../constants.js";
import { blocksUntilNextEpoch, isEpochBlock } from "./schedule.js";

/** The first block ≥ 0 at which `netuid` runs its epoch. */
function firstEpochBlock(netuid: number, tempo: number): bigint {
  for (let b = 0n; b <= BigInt(tempo); b++) if (isEpochBlock(netuid, tempo, b)) return b;
  throw new Error(`no epoch within the first period of tempo ${tempo}`);
}

describe("blocks_until_next_epoch", () => {
  it("Subtensor's table: tempo | netuid | first epoch block", () => {
    const table: Array<[tempo: number, netuid: number, first: bigint]> = [
      [1, 0, 0n],
      [1, 1, 1n],
      [2, 0, 1n],
      [2, 1, 0n],
      [100, 0, 99n],
      [100, 1, 98n],
    ];
    for (const [tempo, netuid, first] of table) expect([tempo, netuid, firstEpochBlock(netuid, tempo)]).toEqual([tempo, netuid, first]);
  });

  it("is tempo − (block + netuid + 1) % (tempo + 1): epochs every tempo + 1 blocks, counting down in between", () => {
    // tempo 9, netuid 1: remainder 9 at blocks 7, 17, 27, …
    expect([0n, 6n, 7n, 8n, 16n, 17n, 27n].map((b) => blocksUntilNextEpoch(1, 9, b))).toEqual([7n, 1n, 0n, 9n, 1n, 0n, 0n]);
    for (let netuid = 0; netuid < 5; netuid++) {
      for (const tempo of [1, 3, 9, 99, 360]) {
        const epochs: bigint[] = [];
        for (let b = 0n; b < 800n; b++) {
          const left = blocksUntilNextEpoch(netuid, tempo, b);
          expect(left).toBe(BigInt(tempo) - ((b + BigInt(netuid) + 1n) % BigInt(tempo + 1)));
          if (left === 0n) epochs.push(b);
          // the next epoch is exactly `left` blocks away
          expect(isEpochBlock(netuid, tempo, b + left)).toBe(true);
        }
        epochs.slice(1).forEach((b, i) => expect(b - epochs[i]).toBe(BigInt(tempo + 1)));
      }
    }
  });

  it("tempo 0 never runs (u64::MAX blocks to go)", () => {
    for (let b = 0n; b < 2000n; b++) expect(isEpochBlock(3, 0, b)).toBe(false);
    expect(blocksUntilNextEpoch(3, 0, 5n)).toBe(U64_MAX);
  });

  it("block + netuid + 1 saturates at u64::MAX as in Rust", () => {
    // (u64::MAX) % 10 = 5 → 9 − 5 = 4, for any block close enough to the top
    expect(blocksUntilNextEpoch(7, 9, U64_MAX - 3n)).toBe(4n);
    expect(blocksUntilNextEpoch(7, 9, U64_MAX)).toBe(4n);
  });
});
