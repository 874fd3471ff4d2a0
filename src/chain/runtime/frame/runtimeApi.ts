/**
 * Runtime API declarations: what `state_call "<Api>_<method>"` can run, declared once.
 *
 * A `RuntimeApi` is a declaration (name, version, methods with input and output codecs, docs) and
 * its implementation together. The same object gives the V15 metadata `apis` section, the
 * `runtimeVersion.apis` list ([blake2_64(name), version]) and the dispatch of `state_call`, which
 * decodes the SCALE input with the declared input codecs and encodes the result with the declared
 * output codec, so the wire format cannot drift from what the metadata promises.
 *
 * Pallets declare their own APIs beside their storage (`PalletDecl.apis`); the runtime-wide ones
 * (Core, Metadata, BlockBuilder, …) live in `runtime/api/`.
 *
 * An implementation sees only a narrow context: the state and header of the block it runs at, the
 * runtime, the chain identity, and a few host functions (what a Substrate runtime gets from its
 * host: signature checks, the keystore, the chain spec's genesis config). It never sees the node's
 * database, pool or RPC layer.
 */
import type { Codec, EnumValue } from "../../codec/scale.js";
import type { Header } from "../../codec/types.js";
import type { StateReader } from "../../state/types.js";
import { NodeError } from "../../../util/errors.js";
import type { SignatureJob } from "../signature.js";

export interface RuntimeApiMethodDecl {
  name: string;
  inputs: { name: string; type: Codec<unknown> }[];
  output: Codec<unknown>;
  docs?: string[];
}

export interface RuntimeApiDecl {
  /** e.g. "AccountNonceApi" */
  name: string;
  /** The version advertised in `runtimeVersion.apis` (not part of the metadata itself). */
  version: number;
  methods: RuntimeApiMethodDecl[];
  docs?: string[];
}

/** The key types a runtime's extrinsics and session keys use (sp_core KeyTypeId: 4 ASCII bytes). */
export type KeyTypeId = "aura" | "gran" | (string & {});

/**
 * The keystore as the runtime sees it (Substrate's `sp_keystore` host functions): SessionKeys'
 * `generate_session_keys` creates keys through it.
 */
export interface KeystoreHost {
  /** Creates a key of `keyType` for `scheme` (from `seed` when given, else random), stores it, returns its public key. */
  generate(keyType: KeyTypeId, scheme: "sr25519" | "ed25519", seed?: string): Uint8Array;
}

/** Functions the node provides to runtime code (Substrate's host functions and node-side inputs). */
export interface RuntimeHost {
  /** sr25519/ed25519/ecdsa verification (`sp_io::crypto`). */
  verifySignature(job: SignatureJob): boolean;
  /** The node's keystore; absent where there is none (then SessionKeys_generate_session_keys fails). */
  keystore?: KeystoreHost;
  /** The chain spec's genesis config as RuntimeGenesisConfig JSON (GenesisBuilder_get_preset(None)). */
  genesisConfig?: unknown;
  /**
   * The state root of `parent`'s state with `changes` applied (`sp_io::storage::root`), for
   * BlockBuilder_finalize_block. Nothing is written.
   */
  stateRoot?(parentStateRoot: Uint8Array, changes: Array<[Uint8Array, Uint8Array | null]>): Uint8Array;
}

/** What the chain's genesis hash and versions are (CheckGenesis, CheckSpecVersion, CheckTxVersion). */
export interface ChainIdentityView {
  genesisHash: Uint8Array;
  specVersion: number;
  transactionVersion: number;
}

/** The metadata bytes of the runtime: "meta" ++ version ++ body. */
export interface MetadataBytes {
  v14: Uint8Array;
  v15: Uint8Array;
}

/**
 * Where a runtime API call runs: the block `hash` (its `header` and `state`). `runtime` is the
 * RuntimeDefinition the call belongs to, typed loosely here so that this file (imported by the
 * pallet declarations) does not depend on the runtime assembly; `api/context.ts` narrows it.
 */
export interface RuntimeApiContextBase<R = unknown> {
  runtime: R;
  chain: ChainIdentityView;
  hash: Uint8Array;
  header: Header;
  state: StateReader;
  /** The runtime's metadata (built once per runtime by whoever serves it). */
  metadata(): MetadataBytes;
  host: RuntimeHost;
}

export interface RuntimeApiMethod<C = RuntimeApiContextBase> extends RuntimeApiMethodDecl {
  /** Gets the decoded inputs (in declaration order) and returns a value of `output`. */
  call(ctx: C, args: any[]): unknown;
}

export interface RuntimeApi<C = RuntimeApiContextBase> extends RuntimeApiDecl {
  methods: RuntimeApiMethod<C>[];
}

/** Types of the assembled runtime that API signatures refer to (`Block::Extrinsic`, `RuntimeCall`). */
export interface RuntimeTypes {
  /** sp_runtime's UncheckedExtrinsic as the metadata describes it: the extrinsic's bytes, length-prefixed */
  extrinsic: Codec<Uint8Array>;
  /** the outer RuntimeCall enum */
  call: Codec<EnumValue>;
}

/** A pallet's APIs, built once the runtime's types exist. */
export type RuntimeApiFactory<C = any> = (types: RuntimeTypes) => RuntimeApi<C>[];

export type RuntimeApiErrorType =
  | { code: "UNKNOWN_BLOCK"; hash: string }
  | { code: "UNKNOWN_METHOD"; method: string }
  | { code: "BAD_INPUT"; method: string; reason: string }
  | { code: "PANIC"; method: string; reason: string };

/**
 * A runtime call failed. `message` is the Display of Substrate's `sp_blockchain::Error` for the
 * same failure (what the state RPC puts after "Client error: "), e.g.
 * `Execution failed: Other: Exported method Foo_bar is not found`.
 */
export class RuntimeApiError extends NodeError<RuntimeApiErrorType> {}

/** `Execution failed: Execution aborted due to panic: <reason>`: a runtime panic, seen from the node. */
export function runtimePanic(method: string, reason: string): RuntimeApiError {
  return new RuntimeApiError({ code: "PANIC", method, reason }, `Execution failed: Execution aborted due to panic: ${reason}`);
}
