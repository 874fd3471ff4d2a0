/**
 * A pool of worker threads verifying signatures with @polkadot/wasm-crypto (sr25519), node:crypto
 * (ed25519) and util-crypto's JS secp256k1 (ecdsa). Block import hands it all the signatures of a
 * block at once; the batch is cut into contiguous chunks, each packed into one transferred
 * ArrayBuffer, and the results come back in job order.
 *
 * - `workers: 0`, and batches below `mainThreadThreshold`, are verified on the calling thread.
 * - A worker that dies on a chunk (crash, exit, or no answer within `chunkTimeoutMs`) is replaced,
 *   and its chunk is retried once; a second death rejects the batch with
 *   SignatureVerifierError `SIGNATURE_WORKER_CRASHED`.
 * - Idle workers are unref'd, so a pool never keeps the process alive; `close()` terminates them.
 *
 * How the worker is loaded in both modes (vitest on `.ts`, node on `dist/`): see workerSource.ts.
 */
import { availableParallelism } from "node:os";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { SignatureVerifierError } from "./errors.js";
import { INVALID_SCHEME_CODE, SCHEME_CODE, type SignatureJob } from "./types.js";
import { initCrypto, verifySignature } from "./verify.js";
import { WORKER_SOURCE } from "./workerSource.js";

/**
 * Batches below this size are verified on the calling thread. Measured (bench/signatures.ts,
 * 2 workers, 2 shared cores): a round trip to a worker costs about 0.08 ms of wall time and
 * 0.1 ms of CPU, one sr25519 verification 0.75–1.2 ms. With a free second core the pool wins in
 * wall time from 2 jobs on; on this machine's busy cores the small-batch runs (1–16 jobs) show no
 * consistent winner, so batches of 1–3 (at most ~3 ms of event-loop time) stay inline and 4 or
 * more go to the workers, which also keeps the event loop free.
 */
export const DEFAULT_MAIN_THREAD_THRESHOLD = 4;
/** Chunks per worker for a large batch: small enough to balance uneven chunks, large enough that
 * the per-chunk round trip (tens of µs) is noise against the verification work. */
const CHUNKS_PER_WORKER = 4;
/** A chunk is never cut below this many jobs (unless the batch itself is smaller). */
const MIN_CHUNK = 1;
/** Chunks in flight per worker: the one it works on, and the next one already in its message queue. */
const PIPELINE_DEPTH = 2;
/** Consecutive workers that die before becoming ready before the pool gives up respawning. */
const MAX_START_FAILURES = 3;

export interface SignatureVerifierPoolOptions {
  /** Number of worker threads; default os.availableParallelism(). 0 verifies on the calling thread. */
  workers?: number;
  /** Batches with fewer jobs are verified on the calling thread; default DEFAULT_MAIN_THREAD_THRESHOLD. */
  mainThreadThreshold?: number;
  /** Terminate and replace a worker that has not answered a chunk within this many ms; 0 (the default) never. */
  chunkTimeoutMs?: number;
}

/** Test hook: what a worker does instead of verifying its next chunk. */
export type WorkerFault = "exit" | "throw" | "hang";

interface Task {
  id: number;
  jobs: SignatureJob[];
  attempts: number;
  /** test hook: the fault this chunk carries to its worker */
  fault?: WorkerFault;
  resolve(results: Uint8Array): void;
  reject(err: Error): void;
}

type WorkerMessage = { type: "ready" } | { type: "result"; id: number; results: Uint8Array } | { type: "fatal"; message?: string };

interface Slot {
  worker: Worker;
  ready: boolean;
  /** chunks sent to the worker and not answered yet, in the order it handles them (at most PIPELINE_DEPTH) */
  tasks: Task[];
  timer: NodeJS.Timeout | null;
  /** why the worker died, if we know (error event, fatal message, timeout) */
  failure: string | null;
  onReady: { resolve(): void; reject(err: Error): void } | null;
}

interface WorkerPaths {
  wasmCryptoPath: string;
  utilCryptoPath: string;
}

function resolveWorkerPaths(): WorkerPaths {
  // import.meta.url is src/chain/signatures/pool.ts under vitest and dist/src/chain/signatures/pool.js
  // when compiled; both find the project's node_modules upward.
  const require = createRequire(import.meta.url);
  return {
    wasmCryptoPath: require.resolve("@polkadot/wasm-crypto"),
    utilCryptoPath: require.resolve("@polkadot/util-crypto"),
  };
}

function schemeCode(job: SignatureJob): number {
  if (
    job === null ||
    typeof job !== "object" ||
    !(job.signer instanceof Uint8Array && job.message instanceof Uint8Array && job.signature instanceof Uint8Array) ||
    !Object.hasOwn(SCHEME_CODE, job.scheme)
  ) {
    return INVALID_SCHEME_CODE;
  }
  return SCHEME_CODE[job.scheme];
}

/** Pack jobs as a header of 4 u32 per job (scheme, signer, message, signature lengths) then their bytes. */
export function packJobs(jobs: SignatureJob[]): ArrayBuffer {
  const codes = jobs.map(schemeCode);
  let size = jobs.length * 16;
  for (let i = 0; i < jobs.length; i++) {
    if (codes[i] === INVALID_SCHEME_CODE) continue;
    size += jobs[i].signer.length + jobs[i].message.length + jobs[i].signature.length;
  }
  const buffer = new ArrayBuffer(size);
  const header = new Uint32Array(buffer, 0, jobs.length * 4);
  const bytes = new Uint8Array(buffer);
  let offset = jobs.length * 16;
  for (let i = 0; i < jobs.length; i++) {
    header[i * 4] = codes[i];
    if (codes[i] === INVALID_SCHEME_CODE) continue; // lengths stay 0
    const { signer, message, signature } = jobs[i];
    header[i * 4 + 1] = signer.length;
    header[i * 4 + 2] = message.length;
    header[i * 4 + 3] = signature.length;
    bytes.set(signer, offset);
    offset += signer.length;
    bytes.set(message, offset);
    offset += message.length;
    bytes.set(signature, offset);
    offset += signature.length;
  }
  return buffer;
}

export class SignatureVerifierPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Task[] = [];
  private readonly faults: WorkerFault[] = [];
  /** faults attached to chunks in flight, not yet known to have fired */
  private faultsInFlight = 0;
  private workerDeaths = 0;
  private nextTaskId = 1;
  private startFailures = 0;
  private closed = false;
  /** set once create() has its workers: from then on, dead workers are replaced */
  private started = false;
  private closing: Promise<void> | null = null;

  private constructor(
    /** number of worker threads the pool keeps running */
    readonly workerCount: number,
    readonly mainThreadThreshold: number,
    private readonly chunkTimeoutMs: number,
    private readonly paths: WorkerPaths | null,
  ) {}

  static async create(opts: SignatureVerifierPoolOptions = {}): Promise<SignatureVerifierPool> {
    const workers = opts.workers ?? availableParallelism();
    if (!Number.isInteger(workers) || workers < 0) throw new RangeError(`workers must be a non-negative integer, got ${workers}`);
    await initCrypto(); // the calling thread verifies small batches
    const pool = new SignatureVerifierPool(
      workers,
      opts.mainThreadThreshold ?? DEFAULT_MAIN_THREAD_THRESHOLD,
      opts.chunkTimeoutMs ?? 0,
      workers > 0 ? resolveWorkerPaths() : null,
    );
    try {
      await Promise.all(Array.from({ length: workers }, () => pool.spawn()));
      pool.started = true;
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  /** Verify a batch; results[i] is the verdict on jobs[i]. Malformed jobs are false, never errors. */
  async verifyBatch(jobs: SignatureJob[]): Promise<boolean[]> {
    if (this.closed) throw new SignatureVerifierError({ code: "SIGNATURE_POOL_CLOSED" });
    const n = jobs.length;
    if (n === 0) return [];
    if (this.workerCount === 0 || n < this.mainThreadThreshold) return jobs.map((job) => verifySignature(job));
    if (this.slots.size === 0) {
      throw new SignatureVerifierError({ code: "SIGNATURE_WORKER_START_FAILED", reason: "no worker is running" });
    }

    const chunkCount = Math.max(1, Math.min(this.workerCount * CHUNKS_PER_WORKER, Math.floor(n / MIN_CHUNK)));
    const base = Math.floor(n / chunkCount);
    const extra = n % chunkCount;
    const parts: Promise<Uint8Array>[] = [];
    for (let c = 0, start = 0; c < chunkCount; c++) {
      const end = start + base + (c < extra ? 1 : 0);
      const chunk = jobs.slice(start, end);
      parts.push(new Promise<Uint8Array>((resolve, reject) => this.queue.push({ id: this.nextTaskId++, jobs: chunk, attempts: 0, resolve, reject })));
      start = end;
    }
    this.pump();
    const results = await Promise.all(parts);
    const out = new Array<boolean>(n);
    let i = 0;
    for (const r of results) for (const v of r) out[i++] = v === 1;
    return out;
  }

  /** Terminate the workers. Pending batches reject with SIGNATURE_POOL_CLOSED. Idempotent. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    const err = new SignatureVerifierError({ code: "SIGNATURE_POOL_CLOSED" });
    for (const task of this.queue.splice(0)) task.reject(err);
    const terminations: Promise<unknown>[] = [];
    for (const slot of this.slots) {
      this.clearTimer(slot);
      for (const task of slot.tasks.splice(0)) task.reject(err);
      slot.onReady?.reject(err);
      terminations.push(slot.worker.terminate());
    }
    this.slots.clear();
    this.closing = Promise.all(terminations).then(() => undefined);
    return this.closing;
  }

  /** Counters for metrics and tests. */
  stats(): { workers: number; queuedChunks: number; chunksInFlight: number; workerDeaths: number } {
    let inFlight = 0;
    for (const slot of this.slots) inFlight += slot.tasks.length;
    return { workers: this.slots.size, queuedChunks: this.queue.length, chunksInFlight: inFlight, workerDeaths: this.workerDeaths };
  }

  /**
   * @internal Test hook: the next `times` chunks sent to workers make their worker fail as `kind`
   * ("exit": process.exit, "throw": uncaught exception, "hang": busy loop, caught by chunkTimeoutMs).
   */
  injectFaultForTesting(kind: WorkerFault, times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push(kind);
  }

  /** Start one worker; resolves when it is ready, rejects if it dies first. */
  private spawn(): Promise<void> {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: this.paths, name: "signature-verifier" });
    const slot: Slot = { worker, ready: false, tasks: [], timer: null, failure: null, onReady: null };
    this.slots.add(slot);
    const ready = new Promise<void>((resolve, reject) => (slot.onReady = { resolve, reject }));
    // ref'd while starting (someone awaits it), unref'd once ready and idle
    worker.on("message", (msg: WorkerMessage) => this.onMessage(slot, msg));
    worker.on("error", (err) => (slot.failure ??= err instanceof Error ? err.message : String(err)));
    worker.on("exit", (code) => this.onExit(slot, code));
    return ready;
  }

  private onMessage(slot: Slot, msg: WorkerMessage): void {
    if (msg.type === "ready") {
      slot.ready = true;
      this.startFailures = 0;
      slot.worker.unref();
      slot.onReady?.resolve();
      slot.onReady = null;
      this.pump();
    } else if (msg.type === "result") {
      const task = slot.tasks[0];
      if (!task || task.id !== msg.id || !msg.results) return;
      slot.tasks.shift();
      if (slot.tasks.length === 0) {
        this.clearTimer(slot);
        slot.worker.unref();
      } else {
        this.startTimer(slot); // progress: the next chunk gets a full timeout
      }
      task.resolve(msg.results);
      this.pump();
    } else if (msg.type === "fatal") {
      slot.failure ??= msg.message ?? "worker failed";
      void slot.worker.terminate();
    }
  }

  private onExit(slot: Slot, code: number): void {
    this.clearTimer(slot);
    if (!this.slots.delete(slot) || this.closed) return;
    const reason = slot.failure ?? `worker exited with code ${code}`;
    this.workerDeaths++;

    if (!slot.ready) {
      this.startFailures++;
      slot.onReady?.reject(new SignatureVerifierError({ code: "SIGNATURE_WORKER_START_FAILED", reason }));
      slot.onReady = null;
    }
    // A worker handles its messages in order: the first task is the one it died on (it gets one
    // retry); the ones queued behind it go back untouched.
    const [current, ...waiting] = slot.tasks.splice(0);
    for (const task of [current, ...waiting]) {
      if (!task?.fault) continue;
      this.faultsInFlight--;
      if (task === current) this.faults.splice(this.faults.indexOf(task.fault), 1); // it fired
      task.fault = undefined;
    }
    const requeue = waiting;
    if (current) {
      current.attempts++;
      if (current.attempts >= 2) {
        current.reject(
          new SignatureVerifierError(
            { code: "SIGNATURE_WORKER_CRASHED", reason, attempts: current.attempts },
            `signature worker died twice on the same chunk: ${reason}`,
          ),
        );
      } else {
        requeue.unshift(current);
      }
    }
    this.queue.unshift(...requeue);

    if (this.startFailures >= MAX_START_FAILURES) {
      // Workers die on startup: stop respawning and fail what is waiting rather than hang.
      if (this.slots.size === 0) {
        const err = new SignatureVerifierError({ code: "SIGNATURE_WORKER_START_FAILED", reason });
        for (const t of this.queue.splice(0)) t.reject(err);
      }
      return;
    }
    // replace the dead worker (during create(), a failure aborts the whole pool instead)
    if (this.started) this.spawn().catch(() => undefined);
    this.pump();
  }

  /**
   * Hand queued chunks to ready workers: first one each, then a second one, so that a worker
   * finds its next chunk in its own message queue even while the calling thread is busy.
   */
  private pump(): void {
    if (this.closed) return;
    for (let depth = 1; depth <= PIPELINE_DEPTH; depth++) {
      for (const slot of this.slots) {
        if (this.queue.length === 0) return;
        if (!slot.ready || slot.tasks.length >= depth) continue;
        const task = this.queue.shift()!;
        const buffer = packJobs(task.jobs);
        if (this.faults.length > this.faultsInFlight) {
          task.fault = this.faults[this.faultsInFlight++];
        }
        slot.tasks.push(task);
        if (slot.tasks.length === 1) {
          slot.worker.ref(); // keep the process alive while chunks are in flight
          this.startTimer(slot);
        }
        slot.worker.postMessage({ type: "verify", id: task.id, buffer, count: task.jobs.length, fault: task.fault }, [buffer]);
      }
    }
  }

  private startTimer(slot: Slot): void {
    this.clearTimer(slot);
    if (this.chunkTimeoutMs <= 0) return;
    slot.timer = setTimeout(() => {
      slot.failure ??= `no answer within ${this.chunkTimeoutMs} ms`;
      void slot.worker.terminate();
    }, this.chunkTimeoutMs);
  }

  private clearTimer(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
  }
}
