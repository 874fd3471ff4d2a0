/**
 * A real chain in a temp dir for tests: genesis from the dev spec, LevelDB, the executive, the
 * pool, and helpers to sign extrinsics (exactly as polkadot-js builds them) and produce blocks.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { ChainDb } from "../../src/chain/db/chainDb.js";
import { Blockchain, type ImportedBlock } from "../../src/chain/blockchain/blockchain.js";
import { TxPool } from "../../src/chain/txpool/txpool.js";
import { buildGenesis } from "../../src/chain/genesis.js";
import { devChainSpec, runtimeConfigOf, type ChainSpec } from "../../src/chain/spec.js";
import { createRuntime } from "../../src/chain/runtime/index.js";
import { initCrypto, verifySignature } from "../../src/chain/signatures/verify.js";
import { encodeAdditional, encodeExtra, encodeSignedExtrinsic, encodeUnsignedExtrinsic, signingMessage } from "../../src/chain/codec/extrinsic.js";
import { eraBirth, type EraValue } from "../../src/chain/codec/types.js";
import { bytes, fixedBytes, tuple, vec, type EnumValue } from "../../src/chain/codec/scale.js";
import type { RuntimeDefinition } from "../../src/chain/runtime/frame/runtime.js";
import { Account, BlockHash } from "../../src/chain/runtime/pallets/system.js";
import { preDigest } from "../../src/consensus/aura.js";
import { silentLogger } from "../../src/util/logger.js";

export interface SignOptions {
  nonce?: number;
  tip?: bigint;
  era?: EraValue;
}

export interface ChainParts {
  dir: string;
  spec: ChainSpec;
  db: ChainDb;
  chain: Blockchain;
  pool: TxPool;
}

const runtimes = new Map<string, RuntimeDefinition>();
/**
 * One runtime per configuration in this test process (assembling one and building its metadata
 * take a moment); production code creates one per node.
 */
export function sharedRuntime(spec: ChainSpec): RuntimeDefinition {
  const config = runtimeConfigOf(spec);
  const key = JSON.stringify(config);
  let runtime = runtimes.get(key);
  if (!runtime) runtimes.set(key, (runtime = createRuntime(config)));
  return runtime;
}

/** Opens a real chain (LevelDB in `dir`, default a new temp dir) for a spec (default: dev). */
export async function openChainParts(spec?: ChainSpec, dir?: string): Promise<ChainParts> {
  await cryptoWaitReady();
  await initCrypto();
  const s = spec ?? (await devChainSpec());
  const d = dir ?? mkdtempSync(join(tmpdir(), "subtensor-ts-test-"));
  const db = await ChainDb.open(join(d, "db"));
  const runtime = sharedRuntime(s);
  const chain = await Blockchain.open({ db, runtime, logger: silentLogger(), verifyBatch: async (jobs) => jobs.map(verifySignature) }, buildGenesis(s, runtime));
  const pool = new TxPool(chain, verifySignature, silentLogger());
  return { dir: d, spec: s, db, chain, pool };
}

/** Justifications as the finality gadget stores them: Vec<(engine id, bytes)>. */
export const TestJustifications = vec(tuple(fixedBytes(4), bytes));
export const TEST_ENGINE = new TextEncoder().encode("stfn");

export class ChainHarness {
  readonly runtime: RuntimeDefinition;
  readonly keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
  readonly alice: KeyringPair;
  readonly bob: KeyringPair;
  readonly charlie: KeyringPair;
  readonly dir: string;
  readonly spec: ChainSpec;
  readonly db: ChainDb;
  readonly chain: Blockchain;
  readonly pool: TxPool;
  private slot = 1n;

  constructor(parts: ChainParts) {
    ({ dir: this.dir, spec: this.spec, db: this.db, chain: this.chain, pool: this.pool } = parts);
    this.runtime = this.chain.executive.runtime;
    this.alice = this.keyring.addFromUri("//Alice");
    this.bob = this.keyring.addFromUri("//Bob");
    this.charlie = this.keyring.addFromUri("//Charlie");
  }

  static async create(spec?: ChainSpec, dir?: string): Promise<ChainHarness> {
    return new ChainHarness(await openChainParts(spec, dir));
  }

  async close(removeDir = true): Promise<void> {
    await this.db.close();
    if (removeDir) rmSync(this.dir, { recursive: true, force: true });
  }

  encodeCall(pallet: string, call: string, args: Record<string, unknown> = {}): Uint8Array {
    return this.runtime.callCodec.encode({ tag: pallet, value: { tag: call, value: args } } as EnumValue);
  }

  nonceOf(pair: KeyringPair): number {
    return Account.get(this.chain.bestState(), pair.publicKey).nonce;
  }

  freeOf(who: Uint8Array): bigint {
    return Account.get(this.chain.bestState(), who).data.free;
  }

  /** A signed extrinsic, built the way polkadot-js builds one (payload, >256-byte hashing, extras). */
  sign(pair: KeyringPair, callBytes: Uint8Array, o: SignOptions = {}): Uint8Array {
    const nonce = o.nonce ?? this.nonceOf(pair);
    const tip = o.tip ?? 0n;
    const era = o.era ?? null;
    const current = this.chain.best.number + 1;
    const { genesisHash, specVersion, transactionVersion } = this.chain.chainIdentity;
    let eraBlockHash = genesisHash;
    if (era) {
      const birth = eraBirth(era, current);
      eraBlockHash = birth === 0 ? genesisHash : birth === current - 1 ? this.chain.best.hash : BlockHash.get(this.chain.bestState(), birth);
    }
    const msg = signingMessage(callBytes, encodeExtra(era, nonce, tip), encodeAdditional({ specVersion, transactionVersion, genesisHash, eraBlockHash }));
    const signature = pair.sign(msg);
    const tag = pair.type === "ed25519" ? "Ed25519" : "Sr25519";
    return encodeSignedExtrinsic(pair.publicKey, { tag, value: signature }, { era, nonce, tip }, callBytes);
  }

  /** A signed Balances transfer; the 4th argument is the call name or, for short, the sign options. */
  transfer(from: KeyringPair, to: Uint8Array, value: bigint, call: string | SignOptions = "transfer_keep_alive", o: SignOptions = {}): Uint8Array {
    const [name, opts] = typeof call === "string" ? [call, o] : ["transfer_keep_alive", call];
    return this.sign(from, this.encodeCall("Balances", name, { dest: { tag: "Id", value: to }, value }), opts);
  }

  timestampInherent(slot: bigint): Uint8Array {
    return encodeUnsignedExtrinsic(this.encodeCall("Timestamp", "set", { now: slot * BigInt(this.spec.consensus.slotDurationMs) }));
  }

  justification(): Uint8Array {
    return TestJustifications.encode([[TEST_ENGINE, new Uint8Array([1, 2, 3])]]);
  }

  /**
   * Builds and commits the next block with these extrinsics (invalid ones are skipped, as an
   * author does), on `parent` (default: best); `finalize` attaches a justification.
   */
  async produce(
    extrinsics: Uint8Array[] = [],
    o: { finalize?: boolean; parent?: { hash: Uint8Array } } = {},
  ): Promise<ImportedBlock & { skipped: unknown[] }> {
    const slot = this.slot++;
    const parent = o.parent ? this.chain.headInfo(o.parent.hash) : this.chain.best;
    const executed = this.chain.execute(parent, { number: parent.number + 1, digest: [preDigest(slot)] }, [this.timestampInherent(slot), ...extrinsics], { build: true });
    const imported = await this.chain.commitOwn(executed, o.finalize ? this.justification() : undefined);
    return { ...imported, skipped: executed.skipped.map((s) => s.error) };
  }

  /** The events of a block, decoded, as [pallet.event, data] pairs (per extrinsic index). */
  eventsOf(block: ImportedBlock): Array<{ phase: EnumValue; name: string; data: unknown }> {
    return block.events.map((r) => ({ phase: r.phase, name: `${r.event.tag}.${(r.event.value as EnumValue).tag}`, data: (r.event.value as EnumValue).value }));
  }
}
