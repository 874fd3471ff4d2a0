/**
 * One proof-of-work thread: tries nonces start, start + stride, … for Subtensor's registration
 * seal until one meets the difficulty or the main thread raises the stop flag (the work went
 * stale or another thread won). Reports its hash count after every batch for the progress line.
 */
import { parentPort, workerData } from "node:worker_threads";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { hashBlockAndHotkey, hashMeetsDifficulty, sealFromBlockAndHotkeyHash } from "../../chain/runtime/pallets/subtensor/registration/pow.js";

export interface PowJob {
  blockHash: Uint8Array;
  hotkey: Uint8Array;
  difficulty: bigint;
  start: bigint;
  stride: bigint;
  /** Int32Array over a SharedArrayBuffer: [0] != 0 means stop */
  stop: SharedArrayBuffer;
}

export type PowMessage = { type: "progress"; hashes: number } | { type: "solved"; nonce: bigint; work: Uint8Array };

const BATCH = 2_000;

async function run(job: PowJob): Promise<void> {
  await cryptoWaitReady();
  const stop = new Int32Array(job.stop);
  const prefix = hashBlockAndHotkey(job.blockHash, job.hotkey);
  let nonce = job.start;
  while (Atomics.load(stop, 0) === 0) {
    for (let i = 0; i < BATCH; i++, nonce += job.stride) {
      const seal = sealFromBlockAndHotkeyHash(prefix, nonce);
      if (hashMeetsDifficulty(seal, job.difficulty)) {
        parentPort!.postMessage({ type: "solved", nonce, work: seal } satisfies PowMessage);
        return;
      }
    }
    parentPort!.postMessage({ type: "progress", hashes: BATCH } satisfies PowMessage);
  }
}

run(workerData as PowJob).catch((e) => {
  throw e;
});
