/**
 * Benchmarks and tests: builds a long chain fast, offline, exactly as the authorities of a spec would have built it: one
 * block per slot from a slot in the past, each sealed by that slot's Aura author, optionally with
 * signed transfers, and GRANDPA justifications (signed by every finality authority) every
 * `justifyEvery` blocks. The database lands where a node on `basePath` looks for it, so a node
 * started there serves (or continues) the chain.
 */
import { Keyring } from "@polkadot/keyring";
import { blake2AsU8a, cryptoWaitReady, encodeAddress, sr25519PairFromSeed } from "@polkadot/util-crypto";
import { sr25519Sign } from "@polkadot/wasm-crypto";
import { ChainDb } from "../src/chain/db/chainDb.js";
import { Blockchain } from "../src/chain/blockchain/blockchain.js";
import { buildGenesis } from "../src/chain/genesis.js";
import { runtimeConfigOf, TAO, type ChainSpec } from "../src/chain/spec.js";
import { createRuntime } from "../src/chain/runtime/index.js";
import { initCrypto, verifySignature } from "../src/chain/signatures/verify.js";
import { encodeAdditional, encodeExtra, encodeSignedExtrinsic, encodeUnsignedExtrinsic, signingMessage } from "../src/chain/codec/extrinsic.js";
import { headerHash } from "../src/chain/codec/block.js";
import { preDigest, sealDigest, slotAt, slotAuthor } from "../src/consensus/aura.js";
import { auraHeaderVerifier, grandpaJustificationVerifier } from "../src/consensus/verifiers.js";
import { finalityKeyFromSuri } from "../src/consensus/finality/keys.js";
import { Authorities } from "../src/chain/runtime/pallets/aura.js";
import { silentLogger } from "../src/util/logger.js";
import { bytesEqual } from "../src/util/bytes.js";
import { buildJustification } from "../src/consensus/finality/justification.js";
import { encodeJustifications, localizedPayload } from "../src/consensus/finality/messages.js";
import { signFinality } from "../src/consensus/finality/keys.js";
import { Node } from "../src/node/node.js";

export interface BuildOptions {
  /** the authorities' SURIs, in the spec's order (default //Alice … //Dave) */
  authoritySuris?: string[];
  blocks: number;
  /** signed balance transfers per block (from funded bench senders) */
  transfersPerBlock?: number;
  /** put a justification on every n-th block and on the last one (0: none) */
  justifyEvery?: number;
  /**
   * Extra signed extrinsics for block `number` (1-based), built by the caller with `sign` (the
   * chain's identity and this block's state at hand), after the transfers.
   */
  extrinsics?: (number: number, sign: ExtrinsicSigner) => Uint8Array[];
  /** called with the state at the last block built, before the database closes (e.g. to check the chain holds what its builder meant) */
  inspect?: (state: ReturnType<Blockchain["bestState"]>) => void;
  /** progress callback every 1000 blocks */
  progress?: (number: number) => void;
}

/** Signs a call as an immortal extrinsic with the signer's next nonce (tracked across blocks). */
export type ExtrinsicSigner = (signer: { publicKey: Uint8Array; secretKey: Uint8Array }, pallet: string, call: string, args: Record<string, unknown>) => Uint8Array;

interface Sender {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
  address: string;
  nonce: number;
}

/** Senders funded by `fundSenders` (add them to the spec before building and before starting nodes). */
export function builderSenders(count = 20): Sender[] {
  return Array.from({ length: count }, (_, i) => {
    const pair = sr25519PairFromSeed(blake2AsU8a(`builder-sender-${i}`, 256));
    return { ...pair, address: encodeAddress(pair.publicKey, 42), nonce: 0 };
  });
}

/** Endows the builder's senders in `spec` (so every node's genesis matches the built chain). */
export async function fundSenders(spec: ChainSpec, count = 20): Promise<void> {
  await cryptoWaitReady();
  for (const s of builderSenders(count)) spec.balances.push([s.address, (1_000_000n * TAO).toString()]);
}

/** Builds the chain into `<basePath>/chains/<spec.id>/db`; returns its best block number and hash. */
export async function buildChain(spec: ChainSpec, basePath: string, o: BuildOptions): Promise<{ number: number; hash: Uint8Array; buildMs: number; failedExtrinsics: number; firstFailure?: string }> {
  await cryptoWaitReady();
  await initCrypto();
  const started = performance.now();
  const suris = o.authoritySuris ?? ["//Alice", "//Bob", "//Charlie", "//Dave"];
  const keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
  const sealKeys = suris.map((s) => keyring.addFromUri(s));
  const finalityKeys = suris.map((s) => finalityKeyFromSuri(s));
  const runtime = createRuntime(runtimeConfigOf(spec));
  const db = await ChainDb.open(Node.dbPath(basePath, spec.id));
  const slotMs = spec.consensus.slotDurationMs;
  try {
    const chain = await Blockchain.open(
      {
        db,
        runtime,
        logger: silentLogger(),
        verifyBatch: async (jobs) => jobs.map(verifySignature),
        verifyHeader: auraHeaderVerifier({ slotDurationMs: slotMs, now: Date.now }),
        verifyJustification: grandpaJustificationVerifier(),
      },
      buildGenesis(spec, runtime),
    );
    const authorities = Authorities.get(chain.bestState());
    const senders = builderSenders();
    const dest = keyring.addFromUri("//Ferdie").publicKey;
    const call = runtime.callCodec.encode({ tag: "Balances", value: { tag: "transfer_keep_alive", value: { dest: { tag: "Id", value: dest }, value: 1000n } } });
    const { genesisHash, specVersion, transactionVersion } = chain.chainIdentity;
    const additional = encodeAdditional({ specVersion, transactionVersion, genesisHash, eraBlockHash: genesisHash });
    const nonces = new Map<string, number>();
    const sign: ExtrinsicSigner = (signer, pallet, callName, args) => {
      const k = Buffer.from(signer.publicKey).toString("hex");
      const nonce = nonces.get(k) ?? 0;
      nonces.set(k, nonce + 1);
      const callBytes = runtime.callCodec.encode({ tag: pallet, value: { tag: callName, value: args } } as Parameters<typeof runtime.callCodec.encode>[0]);
      const msg = signingMessage(callBytes, encodeExtra(null, nonce, 0n), additional);
      return encodeSignedExtrinsic(signer.publicKey, { tag: "Sr25519", value: sr25519Sign(signer.publicKey, signer.secretKey, msg) }, { era: null, nonce, tip: 0n }, callBytes);
    };
    let failedExtrinsics = 0;
    let firstFailure: string | undefined;
    // slots in the past: live authorities continue from the current slot afterwards
    let slot = slotAt(Date.now(), slotMs) - BigInt(o.blocks) - 100n;
    for (let i = 0; i < o.blocks; i++) {
      slot++;
      const parent = chain.best;
      const txs: Uint8Array[] = [];
      for (let t = 0; t < (o.transfersPerBlock ?? 0); t++) {
        const s = senders[t % senders.length];
        const msg = signingMessage(call, encodeExtra(null, s.nonce, 0n), additional);
        // wasm signing: the keyring's pure-JS signer would dominate the build time
        const signature = sr25519Sign(s.publicKey, s.secretKey, msg);
        txs.push(encodeSignedExtrinsic(s.publicKey, { tag: "Sr25519", value: signature }, { era: null, nonce: s.nonce, tip: 0n }, call));
        s.nonce++;
      }
      if (o.extrinsics) txs.push(...o.extrinsics(i + 1, sign));
      const inherent = encodeUnsignedExtrinsic(runtime.callCodec.encode({ tag: "Timestamp", value: { tag: "set", value: { now: slot * BigInt(slotMs) } } }));
      const executed = chain.execute(parent, { number: parent.number + 1, digest: [preDigest(slot)] }, [inherent, ...txs], { build: true });
      if (executed.skipped.length) throw new Error(`block ${i + 1}: ${executed.skipped.length} transactions skipped: ${String(executed.skipped[0].error)}`);
      for (const r of executed.events) {
        if (r.event.tag !== "System" || (r.event.value as { tag: string }).tag !== "ExtrinsicFailed") continue;
        failedExtrinsics++;
        firstFailure ??= `block ${i + 1}: ${JSON.stringify((r.event.value as { value: unknown }).value, (_, v) => (typeof v === "bigint" ? String(v) : v instanceof Uint8Array ? Buffer.from(v).toString("hex") : v))}`;
      }
      const author = slotAuthor(slot, authorities);
      const sealer = sealKeys.find((k) => bytesEqual(k.publicKey, author));
      if (!sealer) throw new Error(`no key for the author of slot ${slot}`);
      const header = { ...executed.header, digest: { logs: [...executed.header.digest.logs, sealDigest(sealer.sign(headerHash(executed.header)))] } };
      const imported = await chain.commitOwn({ ...executed, header });
      const last = i === o.blocks - 1;
      if (o.progress && (i + 1) % 1000 === 0) o.progress(i + 1);
      if (o.justifyEvery && ((i + 1) % o.justifyEvery === 0 || last)) {
        const target = { hash: imported.hash, number: imported.header.number };
        const precommits = finalityKeys.map((k) => ({ kind: "Precommit" as const, target, id: k.publicKey, signature: signFinality(k, localizedPayload(1n, 0n, "Precommit", target)) }));
        await chain.finalize(imported.hash, encodeJustifications(buildJustification(1n, target, precommits, (h) => chain.header(h))));
      }
    }
    o.inspect?.(chain.bestState());
    return { number: chain.best.number, hash: chain.best.hash, buildMs: performance.now() - started, failedExtrinsics, firstFailure };
  } finally {
    await db.close();
  }
}

