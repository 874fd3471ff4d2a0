import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { SignatureVerifierError } from "./errors.js";
import { SignatureVerifierPool } from "./pool.js";
import { flipBit, makeSignedJobs } from "../../../test/utils/signatures.js";
import type { SignatureJob, SignatureScheme } from "./types.js";
import { initCrypto, verifySignature } from "./verify.js";

const SCHEMES: SignatureScheme[] = ["sr25519", "ed25519", "ecdsa"];

/** ~200 jobs of all schemes; every 5th is broken in a different way. Returns jobs and expected verdicts. */
function mixedBatch(count = 200): { jobs: SignatureJob[]; expected: boolean[] } {
  const jobs = makeSignedJobs(count, SCHEMES);
  const expected = jobs.map(() => true);
  for (let i = 0; i < count; i += 5) {
    const j = jobs[i];
    switch ((i / 5) % 6) {
      case 0: jobs[i] = { ...j, message: flipBit(j.message, i) }; break;
      case 1: jobs[i] = { ...j, signature: flipBit(j.signature, i + 3) }; break;
      case 2: jobs[i] = { ...j, signer: flipBit(j.signer, i) }; break;
      case 3: jobs[i] = { ...j, signature: j.signature.subarray(1) }; break;
      case 4: jobs[i] = { ...j, signer: new Uint8Array(33) }; break;
      case 5: jobs[i] = { ...j, scheme: "bls" as SignatureScheme }; break;
    }
    expected[i] = false;
  }
  return { jobs, expected };
}

let batch: { jobs: SignatureJob[]; expected: boolean[] };

beforeAll(async () => {
  await initCrypto();
  batch = mixedBatch(200);
});

describe("SignatureVerifierPool with workers", () => {
  let pool: SignatureVerifierPool;
  beforeAll(async () => {
    pool = await SignatureVerifierPool.create({ workers: 2 });
  });
  afterAll(async () => {
    await pool.close();
  });

  it("returns results in job order for a mixed batch of 200 with invalid jobs", async () => {
    expect(batch.expected.filter((v) => !v).length).toBe(40);
    expect(batch.jobs.map((j) => verifySignature(j))).toEqual(batch.expected);
    expect(await pool.verifyBatch(batch.jobs)).toEqual(batch.expected);
  });

  it("handles concurrent batches and an empty batch", async () => {
    const a = batch.jobs.slice(0, 90);
    const b = batch.jobs.slice(90);
    const [ra, rb, empty] = await Promise.all([pool.verifyBatch(a), pool.verifyBatch(b), pool.verifyBatch([])]);
    expect([...ra, ...rb]).toEqual(batch.expected);
    expect(empty).toEqual([]);
  });

  it("verifies small batches on the calling thread", async () => {
    expect(pool.mainThreadThreshold).toBeGreaterThan(1);
    const small = batch.jobs.slice(0, pool.mainThreadThreshold - 1);
    expect(await pool.verifyBatch(small)).toEqual(batch.expected.slice(0, small.length));
  });

  it("agrees with the calling thread on random garbage", async () => {
    const jobs: SignatureJob[] = [];
    for (let i = 0; i < 90; i++) {
      const scheme = SCHEMES[i % 3];
      const sigLen = (scheme === "ecdsa" ? 65 : 64) + ((i % 5) - 2 === 0 ? 0 : (i % 5) - 2);
      jobs.push({
        scheme,
        signer: new Uint8Array(randomBytes(i % 7 === 0 ? 31 : 32)),
        message: new Uint8Array(randomBytes(i * 3)),
        signature: new Uint8Array(randomBytes(sigLen)),
      });
    }
    const expected = jobs.map((j) => verifySignature(j));
    expect(expected.every((v) => v === false)).toBe(true);
    expect(await pool.verifyBatch(jobs)).toEqual(expected);
  });
});

describe("SignatureVerifierPool on the calling thread (workers: 0)", () => {
  it("verifies a mixed batch in order", async () => {
    const pool = await SignatureVerifierPool.create({ workers: 0 });
    expect(pool.workerCount).toBe(0);
    expect(await pool.verifyBatch(batch.jobs)).toEqual(batch.expected);
    await pool.close();
  });
});

describe("SignatureVerifierPool lifecycle and failures", () => {
  it("close() is idempotent, rejects later and pending batches with a typed error", async () => {
    const pool = await SignatureVerifierPool.create({ workers: 2 });
    const pending = pool.verifyBatch(batch.jobs).then(
      () => null,
      (e: unknown) => e,
    );
    const first = pool.close();
    expect(pool.close()).toBe(first);
    await first;
    await pool.close();
    expect(await pending).toMatchObject({ code: "SIGNATURE_POOL_CLOSED" });
    await expect(pool.verifyBatch(batch.jobs)).rejects.toBeInstanceOf(SignatureVerifierError);
  });

  it("replaces a worker that exits and retries its chunk once", async () => {
    const pool = await SignatureVerifierPool.create({ workers: 2 });
    try {
      pool.injectFaultForTesting("exit");
      expect(await pool.verifyBatch(batch.jobs)).toEqual(batch.expected);
      expect(pool.stats().workerDeaths).toBe(1);
      pool.injectFaultForTesting("throw");
      expect(await pool.verifyBatch(batch.jobs)).toEqual(batch.expected);
      expect(pool.stats().workerDeaths).toBe(2);
      // the pool is back to full strength
      expect(await pool.verifyBatch(batch.jobs)).toEqual(batch.expected);
      expect(pool.stats()).toMatchObject({ workers: 2, queuedChunks: 0, chunksInFlight: 0, workerDeaths: 2 });
    } finally {
      await pool.close();
    }
  });

  it("surfaces a typed error when a chunk kills its worker twice, then keeps working", async () => {
    const pool = await SignatureVerifierPool.create({ workers: 1 });
    try {
      // one worker, 4 chunks: the first chunk and its retry both die
      pool.injectFaultForTesting("exit", 2);
      const err = await pool.verifyBatch(batch.jobs).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(SignatureVerifierError);
      expect(err).toMatchObject({ code: "SIGNATURE_WORKER_CRASHED", type: { attempts: 2 } });
      expect(await pool.verifyBatch(batch.jobs)).toEqual(batch.expected);
      expect(pool.stats()).toMatchObject({ workers: 1, workerDeaths: 2 });
    } finally {
      await pool.close();
    }
  });

  it("terminates and replaces a worker that hangs past chunkTimeoutMs", async () => {
    const pool = await SignatureVerifierPool.create({ workers: 2, chunkTimeoutMs: 3_000 });
    try {
      pool.injectFaultForTesting("hang");
      expect(await pool.verifyBatch(batch.jobs)).toEqual(batch.expected);
      expect(pool.stats().workerDeaths).toBe(1);
    } finally {
      await pool.close();
    }
  });
});

/**
 * The compiled-JS mode, and that workers never hold the process open: transpile this directory
 * (with the one project file it imports, and the test job maker) to plain ESM in a temp dir, then run a separate node
 * process that verifies a batch on 2 workers and either closes the pool or just returns.
 */
describe("compiled JS in a separate process", () => {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = resolve(here, "../../..");
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "sigpool-"));
    const files = ["src/util/errors.ts", "test/utils/signatures.ts", ...["types", "errors", "verify", "workerSource", "pool"].map((f) => `src/chain/signatures/${f}.ts`)];
    for (const file of files) {
      const out = ts.transpileModule(readFileSync(join(root, file), "utf8"), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file.replace(/\.ts$/, ".js")), out);
    }
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
    writeFileSync(
      join(dir, "main.js"),
      `import { SignatureVerifierPool } from "./src/chain/signatures/pool.js";
import { initCrypto } from "./src/chain/signatures/verify.js";
import { makeSignedJobs, flipBit } from "./test/utils/signatures.js";
await initCrypto();
const jobs = makeSignedJobs(60, ["sr25519", "ed25519", "ecdsa"]);
jobs[7] = { ...jobs[7], message: flipBit(jobs[7].message) };
const pool = await SignatureVerifierPool.create({ workers: 2 });
const results = await pool.verifyBatch(jobs);
console.log(JSON.stringify({ valid: results.filter(Boolean).length, seventh: results[7] }));
if (process.argv[2] === "close") { await pool.close(); await pool.close(); }
// no process.exit(): the process must end by itself
`,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function run(arg: string): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
    return new Promise((resolvePromise, reject) => {
      const t0 = Date.now();
      const child = spawn(process.execPath, [join(dir, "main.js"), arg], { cwd: dir });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d));
      child.stderr.on("data", (d: Buffer) => (stderr += d));
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`child still running after 30 s (held open?)\n${stdout}\n${stderr}`));
      }, 30_000);
      child.on("exit", (code) => {
        clearTimeout(timer);
        resolvePromise({ code, stdout, stderr, ms: Date.now() - t0 });
      });
    });
  }

  it.each(["close", "no-close"])("verifies and exits by itself (%s)", async (arg) => {
    const r = await run(arg);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual({ valid: 59, seventh: false });
  });
});
