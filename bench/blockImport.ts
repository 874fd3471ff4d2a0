/**
 * Block import of signed transfers, as a peer imports them: decode, verify every signature in the
 * worker pool, execute, update the trie, commit one LevelDB batch per block. Reported next to the
 * raw sr25519 verification rate of both cores measured in the same run: the ratio is the figure
 * that matters (goal ≥ 0.85).
 *
 *   npm run bench        (or: npx tsc -p tsconfig.json && node dist/bench/blockImport.js)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Keyring } from "@polkadot/keyring";
import { blake2AsU8a, cryptoWaitReady, encodeAddress, sr25519PairFromSeed } from "@polkadot/util-crypto";
import { sr25519Sign } from "@polkadot/wasm-crypto";
import { ChainDb } from "../src/chain/db/chainDb.js";
import { Blockchain } from "../src/chain/blockchain/blockchain.js";
import { buildGenesis } from "../src/chain/genesis.js";
import { devChainSpec, TAO } from "../src/chain/spec.js";
import { createRuntime } from "../src/chain/runtime/index.js";
import type { RuntimeDefinition } from "../src/chain/runtime/frame/runtime.js";
import { SignatureVerifierPool } from "../src/chain/signatures/pool.js";
import { initCrypto, verifySignature } from "../src/chain/signatures/verify.js";
import { encodeAdditional, encodeExtra, encodeSignedExtrinsic, encodeUnsignedExtrinsic, signingMessage } from "../src/chain/codec/extrinsic.js";
import { headerHash, type Block } from "../src/chain/codec/block.js";
import { preDigest, sealDigest } from "../src/consensus/aura.js";
import { auraHeaderVerifier } from "../src/consensus/verifiers.js";
import { silentLogger } from "../src/util/logger.js";
import { median, printResults, type BenchResult } from "./harness.js";

const BLOCKS = 5;
const TRANSFERS_PER_BLOCK = 1000;
const SENDERS = 20;

export async function openChain(dir: string, verifyBatch: (jobs: Parameters<typeof verifySignature>[0][]) => Promise<boolean[]>) {
  const db = await ChainDb.open(join(dir, "db"));
  const spec = await devChainSpec();
  spec.balances.push(...senders().map((p) => [p.address, (1_000_000n * TAO).toString()] as [string, string]));
  const chain = await Blockchain.open(
    { db, runtime: benchRuntime(), logger: silentLogger(), verifyBatch, verifyHeader: auraHeaderVerifier({ slotDurationMs: 12_000, now: () => 1e15 }) },
    buildGenesis(spec, benchRuntime()),
  );
  return { db, chain };
}

let runtimeCache: RuntimeDefinition | undefined;
/** One runtime for every chain of this bench (dev chain: faucet, 12 s slots). */
function benchRuntime(): RuntimeDefinition {
  return (runtimeCache ??= createRuntime());
}

interface Sender {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
  address: string;
}
let senderCache: Sender[] | undefined;
function senders(): Sender[] {
  if (!senderCache) {
    senderCache = Array.from({ length: SENDERS }, (_, i) => {
      const pair = sr25519PairFromSeed(blake2AsU8a(`bench-sender-${i}`, 256));
      return { ...pair, address: encodeAddress(pair.publicKey, 42) };
    });
  }
  return senderCache;
}

/** Builds BLOCKS sealed blocks of signed transfers on an author chain. */
export async function buildBlocks(): Promise<Block[]> {
  const dir = mkdtempSync(join(tmpdir(), "subtensor-ts-bench-author-"));
  const { db, chain } = await openChain(dir, async (jobs) => jobs.map(verifySignature));
  const runtime = benchRuntime();
  const alice = new Keyring({ type: "sr25519" }).addFromUri("//Alice");
  const dest = new Keyring({ type: "sr25519" }).addFromUri("//Bob").publicKey;
  const nonces = new Map<string, number>();
  const { genesisHash, specVersion, transactionVersion } = chain.chainIdentity;
  const additional = encodeAdditional({ specVersion, transactionVersion, genesisHash, eraBlockHash: genesisHash });
  const call = runtime.callCodec.encode({ tag: "Balances", value: { tag: "transfer_keep_alive", value: { dest: { tag: "Id", value: dest }, value: 1000n } } });
  const blocks: Block[] = [];
  for (let b = 1; b <= BLOCKS; b++) {
    const txs: Uint8Array[] = [];
    for (let i = 0; i < TRANSFERS_PER_BLOCK; i++) {
      const sender = senders()[i % SENDERS];
      const nonce = nonces.get(sender.address) ?? 0;
      nonces.set(sender.address, nonce + 1);
      const msg = signingMessage(call, encodeExtra(null, nonce, 0n), additional);
      // wasm signing directly: the keyring's pure-JS signer would dominate the set-up time
      const signature = sr25519Sign(sender.publicKey, sender.secretKey, msg);
      txs.push(encodeSignedExtrinsic(sender.publicKey, { tag: "Sr25519", value: signature }, { era: null, nonce, tip: 0n }, call));
    }
    const slot = BigInt(b);
    const inherent = encodeUnsignedExtrinsic(runtime.callCodec.encode({ tag: "Timestamp", value: { tag: "set", value: { now: slot * 12_000n } } }));
    const executed = chain.execute(chain.best, { number: b, digest: [preDigest(slot)] }, [inherent, ...txs], { build: true });
    if (executed.skipped.length) throw new Error(`author skipped ${executed.skipped.length} transfers: ${String(executed.skipped[0].error)}`);
    const header = { ...executed.header, digest: { logs: [...executed.header.digest.logs, sealDigest(alice.sign(headerHash(executed.header)))] } };
    await chain.commitOwn({ ...executed, header });
    blocks.push({ header, extrinsics: executed.extrinsics });
  }
  await db.close();
  rmSync(dir, { recursive: true, force: true });
  return blocks;
}

export interface BlockImportBenchResult {
  results: BenchResult[];
  transfersPerSec: number;
  /** the ceiling: two raw threads doing nothing but wasm sr25519 verification of the same signatures */
  ceilingPerSec: number;
  /** the node's verifier pool alone on the same signatures (2 workers) */
  poolPerSec: number;
  /** import ÷ ceiling, the median of the rounds' ratios (each round's import against its own ceiling): the figure that matters (goal ≥ 0.85) */
  ratio: number;
  /** main-thread time per imported transfer (µs), median: the import with signature checks answered at once */
  mainCpuUsPerTransfer: number;
}

/**
 * Imports BLOCKS blocks of TRANSFERS_PER_BLOCK signed transfers into a fresh chain, round after
 * round, alternating with the ceiling (2 raw wasm-verify threads) and the pool alone on the same
 * signatures, so that all three see the same background load.
 */
export async function runBlockImportBench(o: { rounds?: number } = {}): Promise<BlockImportBenchResult> {
  await cryptoWaitReady();
  await initCrypto();
  console.log(`building ${BLOCKS} blocks × ${TRANSFERS_PER_BLOCK} signed transfers…`);
  const blocks = await buildBlocks();
  const pool = await SignatureVerifierPool.create({ workers: 2 });
  const { rawThreads } = await import("./signatures.js");
  const raw = await rawThreads(2);
  try {
    // the signature jobs of every block, as import derives them
    const jobs = await (async () => {
      const dir = mkdtempSync(join(tmpdir(), "subtensor-ts-bench-jobs-"));
      const { db, chain } = await openChain(dir, async (j) => j.map(verifySignature));
      const { signatureJob } = await import("../src/chain/runtime/executive.js");
      const all = blocks.flatMap((b) => b.extrinsics.slice(1).map((bytes) => signatureJob(chain.bestState(), chain.decode(bytes), b.header.number, b.header.parentHash, chain.chainIdentity)));
      await db.close();
      rmSync(dir, { recursive: true, force: true });
      return all;
    })();
    const transfers = BLOCKS * TRANSFERS_PER_BLOCK;
    if (jobs.length !== transfers) throw new Error(`expected ${transfers} signature jobs, got ${jobs.length}`);
    const ceilingTimes: number[] = [];
    const poolTimes: number[] = [];
    const importTimes: number[] = [];
    const mainCpu: number[] = [];
    const rounds = o.rounds ?? 7;
    const hr = () => process.hrtime.bigint();
    const ms = (t0: bigint) => Number(hr() - t0) / 1e6;
    // warm-up: one of each
    await raw.verify(jobs);
    await pool.verifyBatch(jobs);
    for (let round = 0; round <= rounds; round++) {
      let t0 = hr();
      const valid = await raw.verify(jobs);
      const ceilingMs = ms(t0);
      if (valid !== jobs.length) throw new Error("ceiling: a signature failed to verify");
      t0 = hr();
      const ok = await pool.verifyBatch(jobs);
      const poolMs = ms(t0);
      if (ok.some((x) => !x)) throw new Error("pool: a signature failed to verify");
      const dir = mkdtempSync(join(tmpdir(), "subtensor-ts-bench-import-"));
      const { db, chain } = await openChain(dir, (j) => pool.verifyBatch(j));
      // handed over at once, as sync's import queue does with a range of blocks (each block's
      // import still runs after its parent's)
      t0 = hr();
      await Promise.all(blocks.map((block) => chain.importBlock(block, { kind: "file" })));
      const importMs = ms(t0);
      await db.close();
      rmSync(dir, { recursive: true, force: true });
      // the main thread's share: the same import with signature checks answered at once
      const dir2 = mkdtempSync(join(tmpdir(), "subtensor-ts-bench-import-"));
      const other = await openChain(dir2, async (j) => j.map(() => true));
      t0 = hr();
      await Promise.all(blocks.map((block) => other.chain.importBlock(block, { kind: "file" })));
      const mainMs = ms(t0);
      await other.db.close();
      rmSync(dir2, { recursive: true, force: true });
      if (round === 0) continue; // the first import round warms the runtime up
      ceilingTimes.push(ceilingMs);
      poolTimes.push(poolMs);
      importTimes.push(importMs);
      mainCpu.push((mainMs * 1000) / transfers);
    }
    // paired: each round's import against the ceiling measured just before it (the background load drifts)
    const pairedRatio = median(importTimes.map((t, i) => ceilingTimes[i] / t));
    const ceilingPerSec = (jobs.length * 1000) / median(ceilingTimes);
    const poolPerSec = (jobs.length * 1000) / median(poolTimes);
    const transfersPerSec = (transfers * 1000) / median(importTimes);
    const results: BenchResult[] = [
      { name: `ceiling: sr25519 wasm verify, 2 raw threads (${jobs.length} sigs)`, medianMs: median(ceilingTimes), runs: rounds, opsPerRun: jobs.length, opsPerSec: ceilingPerSec },
      { name: `verifier pool alone, 2 workers (${jobs.length} sigs)`, medianMs: median(poolTimes), runs: rounds, opsPerRun: jobs.length, opsPerSec: poolPerSec },
      { name: `block import, ${BLOCKS} blocks × ${TRANSFERS_PER_BLOCK} transfers`, medianMs: median(importTimes), runs: rounds, opsPerRun: transfers, opsPerSec: transfersPerSec },
      { name: `  the same without signature checks (main thread's share)`, medianMs: (median(mainCpu) * transfers) / 1000, runs: rounds, opsPerRun: transfers, opsPerSec: 1e6 / median(mainCpu) },
    ];
    return { results, transfersPerSec, ceilingPerSec, poolPerSec, ratio: pairedRatio, mainCpuUsPerTransfer: median(mainCpu) };
  } finally {
    await raw.close();
    await pool.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await runBlockImportBench();
  printResults("Block import of signed transfers", r.results);
  console.log(`import ÷ ceiling (2 raw verify threads): ${r.ratio.toFixed(2)} (goal ≥ 0.85); pool ÷ ceiling ${(r.poolPerSec / r.ceilingPerSec).toFixed(2)}; main thread ${r.mainCpuUsPerTransfer.toFixed(0)} µs/transfer (import without signature checks)`);
}
