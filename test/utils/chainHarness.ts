/**
 * A real chain in a temp dir for tests: genesis from the dev spec, LevelDB, the executive, the
 * pool, and helpers to sign extrinsics (exactly as polkadot-js builds them) and produce blocks.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import { cryptoWaitReady, keyExtractSuri, keyFromPath, mnemonicToMiniSecret, sr25519PairFromSeed } from "@polkadot/util-crypto";
import { sr25519Sign } from "@polkadot/wasm-crypto";
import { ChainDb } from "../../src/chain/db/chainDb.js";
import { Blockchain, type ImportedBlock } from "../../src/chain/blockchain/blockchain.js";
import { TxPool } from "../../src/chain/txpool/txpool.js";
import { buildGenesis } from "../../src/chain/genesis.js";
import { devChainSpec, runtimeConfigOf, type ChainSpec } from "../../src/chain/spec.js";
import { createRuntime } from "../../src/chain/runtime/index.js";
import { initCrypto, verifySignature } from "../../src/chain/signatures/verify.js";
import { encodeAdditional, encodeExtra, encodeSignedExtrinsic, encodeUnsignedExtrinsic, signingMessage } from "../../src/chain/codec/extrinsic.js";
import { eraBirth, type EraValue } from "../../src/chain/codec/types.js";
import type { EnumValue } from "../../src/chain/codec/scale.js";
import type { RuntimeDefinition } from "../../src/chain/runtime/frame/runtime.js";
import { Account, BlockHash } from "../../src/chain/runtime/pallets/system.js";
import { preDigest, sealDigest } from "../../src/consensus/aura.js";
import { auraHeaderVerifier, grandpaJustificationVerifier } from "../../src/consensus/verifiers.js";
import { buildJustification } from "../../src/consensus/finality/justification.js";
import { encodeJustifications, localizedPayload, type BlockRef } from "../../src/consensus/finality/messages.js";
import { finalityKeyFromSuri, signFinality, type FinalityKeyPair } from "../../src/consensus/finality/keys.js";
import { headerHash, type Header } from "../../src/chain/codec/block.js";
import type { BlockOrigin } from "../../src/chain/blockchain/origin.js";
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
  const chain = await Blockchain.open(
    {
      db,
      runtime,
      logger: silentLogger(),
      verifyBatch: async (jobs) => jobs.map(verifySignature),
      // test chains use slots from 1 upwards: a clock far in the future accepts every slot
      verifyHeader: auraHeaderVerifier({ slotDurationMs: s.consensus.slotDurationMs, now: () => 1e15 }),
      verifyJustification: grandpaJustificationVerifier(),
    },
    buildGenesis(s, runtime),
  );
  const pool = new TxPool(chain, verifySignature, silentLogger());
  return { dir: d, spec: s, db, chain, pool };
}

/** GRANDPA justifications signed by the given authorities' ed25519 keys (round 1, set 0). */
export function testJustification(target: BlockRef, signers: FinalityKeyPair[], header: (h: Uint8Array) => Header | undefined): Uint8Array {
  const precommits = signers.map((k) => ({ kind: "Precommit" as const, target, id: k.publicKey, signature: signFinality(k, localizedPayload(1n, 0n, "Precommit", target)) }));
  return encodeJustifications(buildJustification(1n, target, precommits, header));
}

const DEV_PHRASE = "bottom drive obey lake curtain smoke basket hold race lonely fit walk";

/**
 * The sr25519 key pair (secret included) of a dev SURI such as "//Alice", derived as the keyring
 * derives it: for signing with wasm-crypto directly (the keyring's pure-JS signer costs about
 * 1.5 ms per signature, which dominated long block-producing tests).
 */
export function devSecretPair(suri: string): { publicKey: Uint8Array; secretKey: Uint8Array; sign(message: Uint8Array): Uint8Array } {
  const { path } = keyExtractSuri(`${DEV_PHRASE}${suri}`);
  const pair = keyFromPath(sr25519PairFromSeed(mnemonicToMiniSecret(DEV_PHRASE)), path, "sr25519");
  return { ...pair, sign: (message) => sr25519Sign(pair.publicKey, pair.secretKey, message) };
}

export class ChainHarness {
  readonly runtime: RuntimeDefinition;
  readonly keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
  readonly alice: KeyringPair;
  /** //Alice's finality (ed25519) key: the dev chain's only finality authority */
  readonly aliceFinality: FinalityKeyPair;
  readonly bob: KeyringPair;
  readonly charlie: KeyringPair;
  readonly dir: string;
  readonly spec: ChainSpec;
  readonly db: ChainDb;
  readonly chain: Blockchain;
  readonly pool: TxPool;
  private slot = 1n;
  /** //Alice's seal key, signing with wasm-crypto */
  private readonly sealKey = devSecretPair("//Alice");

  constructor(parts: ChainParts) {
    ({ dir: this.dir, spec: this.spec, db: this.db, chain: this.chain, pool: this.pool } = parts);
    this.runtime = this.chain.executive.runtime;
    this.alice = this.keyring.addFromUri("//Alice");
    this.aliceFinality = finalityKeyFromSuri("//Alice");
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

  /** A valid GRANDPA justification of `hash` (the dev chain's set is //Alice alone). */
  justification(hash: Uint8Array): Uint8Array {
    const number = this.chain.header(hash)!.number;
    return testJustification({ hash, number }, [this.aliceFinality], (h) => this.chain.header(h));
  }

  /** Finalizes a block (and its ancestors) with a valid justification. */
  async finalize(hash: Uint8Array): Promise<void> {
    await this.chain.finalize(hash, this.justification(hash));
  }

  /**
   * Builds and commits the next block with these extrinsics (invalid ones are skipped, as an
   * author does), on `parent` (default: best), sealed by //Alice; `finalize` then finalizes it.
   */
  async produce(
    extrinsics: Uint8Array[] = [],
    o: { finalize?: boolean; parent?: { hash: Uint8Array } } = {},
  ): Promise<ImportedBlock & { skipped: unknown[] }> {
    const slot = this.slot++;
    const parent = o.parent ? this.chain.headInfo(o.parent.hash) : this.chain.best;
    const executed = this.chain.execute(parent, { number: parent.number + 1, digest: [preDigest(slot)] }, [this.timestampInherent(slot), ...extrinsics], { build: true });
    const header = { ...executed.header, digest: { logs: [...executed.header.digest.logs, sealDigest(this.sealKey.sign(headerHash(executed.header)))] } };
    const imported = await this.chain.commitOwn({ ...executed, header });
    if (o.finalize) await this.finalize(imported.hash);
    return { ...imported, skipped: executed.skipped.map((s) => s.error) };
  }

  /** The next slot this harness would author in (blocks built elsewhere must use later ones). */
  get nextSlot(): bigint {
    return this.slot;
  }

  /** Reserves the next slot for a block built elsewhere (it may or may not be imported later). */
  takeSlot(): bigint {
    return this.slot++;
  }

  /** Imports a block from elsewhere through full verification (origin "test" by default). */
  importBlock(block: { header: ImportedBlock["header"]; extrinsics: Uint8Array[] }, origin: BlockOrigin = { kind: "test" }): Promise<ImportedBlock> {
    return this.chain.importBlock(block, origin);
  }

  /** The events of a block, decoded, as [pallet.event, data] pairs (per extrinsic index). */
  eventsOf(block: ImportedBlock): Array<{ phase: EnumValue; name: string; data: unknown }> {
    return block.events.map((r) => ({ phase: r.phase, name: `${r.event.tag}.${(r.event.value as EnumValue).tag}`, data: (r.event.value as EnumValue).value }));
  }
}
