/**
 * Solves Subtensor's registration proof of work on `threads` worker threads, for the block the
 * chain will check it against (the best block: its hash is in System.BlockHash when the next
 * block executes). Work older than 3 blocks is refused by the chain (InvalidWorkBlock), so when
 * the chain moves on before a solution is found the search restarts on the new best block.
 */
import { Worker } from "node:worker_threads";
import type { PowJob, PowMessage } from "./powWorker.js";

/** The chain refuses work whose block is this many blocks behind (POW_WORK_MAX_AGE). */
const MAX_AGE = 3;

export interface PowProgress {
  hashes: number;
  hashesPerSecond: number;
  blockNumber: number;
  restarts: number;
}

export interface PowSolution {
  blockNumber: number;
  nonce: bigint;
  work: Uint8Array;
  hashes: number;
}

export interface PowChain {
  /** the best block now */
  best(): Promise<{ number: number; hash: Uint8Array }>;
}

export async function solvePow(
  chain: PowChain,
  params: { hotkey: Uint8Array; difficulty: bigint; threads: number; onProgress?: (p: PowProgress) => void; signal?: AbortSignal },
): Promise<PowSolution> {
  const started = Date.now();
  let hashes = 0;
  let restarts = 0;
  for (;;) {
    const block = await chain.best();
    const stop = new SharedArrayBuffer(4);
    const flag = new Int32Array(stop);
    const workers: Worker[] = [];
    const result = await new Promise<PowSolution | "stale">((resolve, reject) => {
      let done = false;
      const finish = (r: PowSolution | "stale" | Error) => {
        if (done) return;
        done = true;
        Atomics.store(flag, 0, 1);
        clearInterval(watch);
        if (r instanceof Error) reject(r);
        else resolve(r);
      };
      for (let t = 0; t < params.threads; t++) {
        const job: PowJob = { blockHash: block.hash, hotkey: params.hotkey, difficulty: params.difficulty, start: BigInt(t) + BigInt(Math.floor(Math.random() * 2 ** 40)) * BigInt(params.threads), stride: BigInt(params.threads), stop };
        const worker = new Worker(new URL("./powWorker.js", import.meta.url), { workerData: job });
        workers.push(worker);
        worker.on("message", (m: PowMessage) => {
          if (m.type === "progress") {
            hashes += m.hashes;
            params.onProgress?.({ hashes, hashesPerSecond: hashes / Math.max((Date.now() - started) / 1000, 0.001), blockNumber: block.number, restarts });
          } else finish({ blockNumber: block.number, nonce: m.nonce, work: m.work, hashes });
        });
        worker.on("error", (e) => finish(e));
      }
      // the chain moves on: restart before the work can no longer be used
      const watch = setInterval(() => {
        if (params.signal?.aborted) return finish(new Error("aborted"));
        chain.best().then(
          (b) => {
            if (b.number - block.number >= MAX_AGE - 1) finish("stale");
          },
          (e) => finish(e as Error),
        );
      }, 250);
    });
    await Promise.all(workers.map((w) => w.terminate()));
    if (result !== "stale") return result;
    restarts++;
  }
}
