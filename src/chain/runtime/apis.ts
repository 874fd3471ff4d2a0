/**
 * The runtime APIs served through `state_call "<Api>_<method>"`, declared once: the same objects
 * give the V15 metadata `apis` section (`RUNTIME_APIS`, via their input/output codecs), the
 * `runtimeVersion.apis` list (`runtimeApiVersions()`), and the implementations (`callRuntimeApi`),
 * which decode the SCALE input with the declared input codecs and encode the result with the
 * declared output codec, so the wire format cannot drift from what the metadata promises.
 *
 * Errors mirror what a Substrate node answers (polkadot-sdk `sc-rpc` state API, `client_err`):
 * JSON-RPC code 4003 with `Client error: <sp_blockchain::Error>`, e.g.
 * `Client error: Execution failed: Other: Exported method Foo_bar is not found`, or
 * `Client error: UnknownBlock: Expect block number from id: Hash(0x…)` (state_call at an unknown
 * hash; storage reads say `UnknownBlock: Header was not found in the database: 0x…`, and
 * state_getRuntimeVersion / state_getMetadata `Api called for an unknown Block: Header was not found
 * in the database: 0x…`).
 *
 * To add an API (e.g. Subtensor's SubnetInfoRuntimeApi): append a `RuntimeApiImpl` to the list in
 * `runtimeApis()`; metadata, versions and dispatch follow.
 */
import { Codec, ScaleReader, bool, bytes, fixedBytes, newtype, option, result, str, struct, tuple, u8, u32, u64, vec, enumeration, simpleEnum } from "../codec/scale.js";
import { AccountId32, DispatchClass, DispatchErrorCodec, H256, Weight, type Header, type WeightValue } from "../codec/types.js";
import { toHex, utf8Bytes } from "../../util/bytes.js";
import { blake2_64 } from "../../util/hash.js";
import type { Extrinsic } from "../codec/extrinsic.js";
import type { StateReader } from "../state/types.js";
import { StateOverlay } from "../state/overlay.js";
import type { RuntimeDefinition } from "./frame/runtime.js";
import type { RuntimeCallValue } from "./frame/dispatch.js";
import type { RuntimeApiDecl, RuntimeApiMethodDecl } from "./metadata.js";
import { uncheckedExtrinsicType } from "./metadata.js";
import { callWeight, checkTransaction, signatureJob } from "./executive.js";
import { computeFee } from "./pallets/transactionPayment.js";
import { Account } from "./pallets/system.js";
import { AuraAuthorityId, Authorities } from "./pallets/aura.js";
import { TransactionValidityError } from "./validity.js";
import { verifySignature } from "../signatures/verify.js";
import { RpcError } from "../../rpc/errors.js";
import type { RpcServices } from "../../rpc/methods/services.js";

// ------------------------------------------------------------------ errors

/**
 * A runtime call failed; `message` is the Display of Substrate's `sp_blockchain::Error` (what the
 * state RPC puts after "Client error: ").
 */
export class RuntimeApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RuntimeApiError";
  }
}

/**
 * The message of `sp_blockchain::Error::UnknownBlock` for a hash with no header (sc-client-db
 * `header_metadata`): what storage reads at an unknown block fail with.
 */
export function unknownBlockMessage(hash: Uint8Array): string {
  return `UnknownBlock: Header was not found in the database: ${toHex(hash)}`;
}

/**
 * `sp_api::ApiError::UnknownBlock` for a hash with no header: what runtime API calls made by node
 * code (`client.runtime_api()`, `runtime_version_at`) fail with: state_getRuntimeVersion,
 * state_getMetadata, payment_*, system_accountNextIndex, system_dryRun.
 */
export function unknownApiBlockMessage(hash: Uint8Array): string {
  return `Api called for an unknown Block: Header was not found in the database: ${toHex(hash)}`;
}

/**
 * What `state_call` says for an unknown hash: Substrate's LocalCallExecutor::call first runs
 * `expect_block_number_from_id(BlockId::Hash(h))` (BlockId's Display is its Debug).
 */
export function unknownCallBlockMessage(hash: Uint8Array): string {
  return `UnknownBlock: Expect block number from id: Hash(${toHex(hash)})`;
}

/** JSON-RPC code of the state API's `Error::Client` (substrate `rpc-api/src/state/error.rs`: BASE 4000 + 3). */
export const STATE_CLIENT_ERROR = 4003;

// ------------------------------------------------------------------ types of the API signatures

export const OpaqueMetadata = newtype(bytes, { path: ["sp_core", "OpaqueMetadata"], typeName: "Vec<u8>" });

export interface RuntimeVersionValue {
  specName: string;
  implName: string;
  authoringVersion: number;
  specVersion: number;
  implVersion: number;
  apis: Array<[Uint8Array, number]>;
  transactionVersion: number;
  systemVersion: number;
}

/** sp_version::RuntimeVersion as Core_version (Core ≥ 4) encodes it. */
export const RuntimeVersionCodec = struct<RuntimeVersionValue & Record<string, unknown>>(
  [
    { name: "spec_name", type: str, typeName: "Cow<'static, str>" },
    { name: "impl_name", type: str, typeName: "Cow<'static, str>" },
    { name: "authoring_version", type: u32, typeName: "u32" },
    { name: "spec_version", type: u32, typeName: "u32" },
    { name: "impl_version", type: u32, typeName: "u32" },
    { name: "apis", type: vec(tuple(fixedBytes(8), u32)), typeName: "ApisVec" },
    { name: "transaction_version", type: u32, typeName: "u32" },
    { name: "system_version", type: u8, typeName: "u8" },
  ],
  { path: ["sp_version", "RuntimeVersion"] },
);

export interface RuntimeDispatchInfoValue {
  weight: WeightValue;
  class: { tag: string };
  partialFee: bigint;
}

export const RuntimeDispatchInfoCodec = struct<RuntimeDispatchInfoValue & Record<string, unknown>>(
  [
    { name: "weight", type: Weight, typeName: "Weight" },
    { name: "class", type: DispatchClass, typeName: "DispatchClass" },
    { name: "partial_fee", type: u64, typeName: "Balance" },
  ],
  { path: ["pallet_transaction_payment", "types", "RuntimeDispatchInfo"], params: [{ name: "Balance", type: u64 }, { name: "Weight", type: Weight }] },
);

export interface InclusionFeeValue {
  baseFee: bigint;
  lenFee: bigint;
  adjustedWeightFee: bigint;
}

export const InclusionFeeCodec = struct<InclusionFeeValue & Record<string, unknown>>(
  [
    { name: "base_fee", type: u64, typeName: "Balance" },
    { name: "len_fee", type: u64, typeName: "Balance" },
    { name: "adjusted_weight_fee", type: u64, typeName: "Balance" },
  ],
  { path: ["pallet_transaction_payment", "types", "InclusionFee"], params: [{ name: "Balance", type: u64 }] },
);

export interface FeeDetailsValue {
  inclusionFee: InclusionFeeValue | null;
  tip: bigint;
}

export const FeeDetailsCodec = struct<FeeDetailsValue & Record<string, unknown>>(
  [
    { name: "inclusion_fee", type: option(InclusionFeeCodec), typeName: "Option<InclusionFee<Balance>>" },
    { name: "tip", type: u64, typeName: "Balance" },
  ],
  { path: ["pallet_transaction_payment", "types", "FeeDetails"], params: [{ name: "Balance", type: u64 }] },
);

export const TransactionSourceCodec = simpleEnum(["InBlock", "Local", "External"], { path: ["sp_runtime", "transaction_validity", "TransactionSource"] });

/** sp_runtime::transaction_validity::InvalidTransaction, variant indices as in Substrate. */
export const InvalidTransactionCodec = enumeration(
  [
    { name: "Call", index: 0 },
    { name: "Payment", index: 1 },
    { name: "Future", index: 2 },
    { name: "Stale", index: 3 },
    { name: "BadProof", index: 4 },
    { name: "AncientBirthBlock", index: 5 },
    { name: "ExhaustsResources", index: 6 },
    { name: "Custom", index: 7, fields: [u8] },
    { name: "BadMandatory", index: 8 },
    { name: "MandatoryValidation", index: 9 },
    { name: "BadSigner", index: 10 },
    { name: "IndeterminateImplicit", index: 11 },
    { name: "UnknownOrigin", index: 12 },
  ],
  { path: ["sp_runtime", "transaction_validity", "InvalidTransaction"] },
);

export const UnknownTransactionCodec = enumeration(
  [
    { name: "CannotLookup", index: 0 },
    { name: "NoUnsignedValidator", index: 1 },
    { name: "Custom", index: 2, fields: [u8] },
  ],
  { path: ["sp_runtime", "transaction_validity", "UnknownTransaction"] },
);

export const TransactionValidityErrorCodec = enumeration(
  [
    { name: "Invalid", index: 0, fields: [InvalidTransactionCodec] },
    { name: "Unknown", index: 1, fields: [UnknownTransactionCodec] },
  ],
  { path: ["sp_runtime", "transaction_validity", "TransactionValidityError"] },
);

export interface ValidTransactionValue {
  priority: bigint;
  requires: Uint8Array[];
  provides: Uint8Array[];
  longevity: bigint;
  propagate: boolean;
}

export const ValidTransactionCodec = struct<ValidTransactionValue & Record<string, unknown>>(
  [
    { name: "priority", type: u64, typeName: "TransactionPriority" },
    { name: "requires", type: vec(bytes), typeName: "Vec<TransactionTag>" },
    { name: "provides", type: vec(bytes), typeName: "Vec<TransactionTag>" },
    { name: "longevity", type: u64, typeName: "TransactionLongevity" },
    { name: "propagate", type: bool, typeName: "bool" },
  ],
  { path: ["sp_runtime", "transaction_validity", "ValidTransaction"] },
);

/** `Result<ValidTransaction, TransactionValidityError>` */
export const TransactionValidityCodec = result(ValidTransactionCodec, TransactionValidityErrorCodec);

/** `ApplyExtrinsicResult` = `Result<Result<(), DispatchError>, TransactionValidityError>` (system_dryRun). */
export const ApplyExtrinsicResultCodec = result(result(tuple(), DispatchErrorCodec), TransactionValidityErrorCodec);

/** The SCALE enum value of a TransactionValidityError (for TransactionValidityErrorCodec). */
export function validityErrorValue(e: TransactionValidityError): { tag: string; value: { tag: string } } {
  const t = e.type;
  if (t.code === "INVALID_TRANSACTION") return { tag: "Invalid", value: { tag: t.kind } };
  if (t.code === "UNKNOWN_TRANSACTION") return { tag: "Unknown", value: { tag: t.kind } };
  // DECODE_ERROR has no Substrate counterpart: a runtime rejects undecodable input before validation
  return { tag: "Invalid", value: { tag: "Call" } };
}

const SlotDuration = newtype(u64, { path: ["sp_consensus_slots", "SlotDuration"], typeName: "u64" });

// ------------------------------------------------------------------ implementations

export interface RuntimeApiCallContext {
  services: RpcServices;
  /** The block the call runs at. */
  hash: Uint8Array;
  header: Header;
  state: StateReader;
}

export interface RuntimeApiMethodImpl extends RuntimeApiMethodDecl {
  /** Gets the decoded inputs (in declaration order) and returns a value of `output`. */
  call(ctx: RuntimeApiCallContext, args: unknown[]): unknown;
}

export interface RuntimeApiImpl extends RuntimeApiDecl {
  methods: RuntimeApiMethodImpl[];
}

/** Versions of Metadata served by Metadata_metadata_at_version: never 16 (polkadot-js would pick it). */
export const METADATA_VERSIONS = [14, 15];

/** An extrinsic argument: Substrate passes `Block::Extrinsic` (its length prefix included in the SCALE). */
function decodeExtrinsicArg(ctx: RuntimeApiCallContext, body: unknown): Extrinsic {
  return ctx.services.chain.decode(bytes.encode(body as Uint8Array));
}

function queryInfo(runtime: RuntimeDefinition, ext: Extrinsic, len: number): RuntimeDispatchInfoValue {
  const call = ext.call as RuntimeCallValue;
  const { weight, decl } = callWeight(runtime, call);
  const paysFee = decl.paysFee !== false;
  // pallet_transaction_payment::query_info: partial fee without tip; 0 for bare (unsigned) extrinsics
  const partialFee = ext.signed ? computeFee(len, weight, 0n, paysFee).total : 0n;
  return { weight: { refTime: weight, proofSize: 0n }, class: { tag: decl.class ?? "Normal" }, partialFee };
}

function queryFeeDetails(runtime: RuntimeDefinition, ext: Extrinsic, len: number): FeeDetailsValue {
  if (!ext.signed) return { inclusionFee: null, tip: 0n };
  const { weight, decl } = callWeight(runtime, ext.call as RuntimeCallValue);
  if (decl.paysFee === false) return { inclusionFee: null, tip: 0n };
  const fee = computeFee(len, weight, 0n, true);
  return { inclusionFee: { baseFee: fee.baseFee, lenFee: fee.lenFee, adjustedWeightFee: fee.adjustedWeightFee }, tip: 0n };
}

/** The pool tag of (sender, nonce): SCALE of `(AccountId32, u32)`, as frame_system's CheckNonce provides it. */
function nonceTag(sender: Uint8Array, nonce: number): Uint8Array {
  return tuple(AccountId32, u32).encode([sender, nonce]);
}

function validateTransaction(ctx: RuntimeApiCallContext, ext: Extrinsic): { tag: string; value: unknown } {
  const runtime = ctx.services.runtime;
  const current = ctx.header.number + 1;
  try {
    if (!ext.signed) throw new TransactionValidityError({ code: "UNKNOWN_TRANSACTION", kind: "NoUnsignedValidator" }, "Unknown Transaction Validity: NoUnsignedValidator");
    const chainId = ctx.services.chain.chainIdentity;
    const valid = checkTransaction(runtime, ctx.state, ext, current, ctx.hash, chainId);
    if (!verifySignature(signatureJob(ctx.state, ext, current, ctx.hash, chainId))) {
      throw new TransactionValidityError({ code: "INVALID_TRANSACTION", kind: "BadProof" }, "Invalid Transaction: Transaction has a bad signature");
    }
    const requires = valid.nonce > valid.accountNonce ? [nonceTag(valid.sender, valid.nonce - 1)] : [];
    return {
      tag: "Ok",
      value: { priority: valid.priority, requires, provides: [nonceTag(valid.sender, valid.nonce)], longevity: BigInt(valid.longevity), propagate: true },
    };
  } catch (e) {
    if (e instanceof TransactionValidityError) return { tag: "Err", value: validityErrorValue(e) };
    throw e;
  }
}

function encodeVersion(runtime: RuntimeDefinition, apis: RuntimeApiImpl[]): RuntimeVersionValue {
  const v = runtime.version;
  return {
    specName: v.specName,
    implName: v.implName,
    authoringVersion: v.authoringVersion,
    specVersion: v.specVersion,
    implVersion: v.implVersion,
    apis: apis.map((a) => [apiId(a.name), a.version]),
    transactionVersion: v.transactionVersion,
    systemVersion: v.systemVersion,
  };
}

const apiCache = new WeakMap<RuntimeDefinition, RuntimeApiImpl[]>();

/** The runtime APIs of a runtime, with their implementations (memoized per runtime). */
export function runtimeApis(runtime: RuntimeDefinition): RuntimeApiImpl[] {
  const cached = apiCache.get(runtime);
  if (cached) return cached;
  const Extrinsic = uncheckedExtrinsicType(runtime);
  const apis: RuntimeApiImpl[] = [
    {
      name: "Core",
      version: 4,
      docs: ["The `Core` runtime api that every Substrate runtime needs to implement."],
      methods: [
        {
          name: "version",
          inputs: [],
          output: RuntimeVersionCodec as Codec<unknown>,
          docs: ["Returns the version of the runtime."],
          call: (ctx) => encodeVersion(ctx.services.runtime, runtimeApis(ctx.services.runtime)),
        },
      ],
    },
    {
      name: "Metadata",
      version: 2,
      docs: ["The `Metadata` api trait that returns metadata for the runtime."],
      methods: [
        {
          name: "metadata",
          inputs: [],
          output: OpaqueMetadata,
          docs: ["Returns the metadata of a runtime."],
          call: (ctx) => ctx.services.metadata.v14,
        },
        {
          name: "metadata_at_version",
          inputs: [{ name: "version", type: u32 as Codec<unknown> }],
          output: option(OpaqueMetadata) as Codec<unknown>,
          docs: ["Returns the metadata at a given version.", "", "If the given `version` isn't supported, this will return `None`."],
          call: (ctx, [version]) => (version === 14 ? ctx.services.metadata.v14 : version === 15 ? ctx.services.metadata.v15 : null),
        },
        {
          name: "metadata_versions",
          inputs: [],
          output: vec(u32) as Codec<unknown>,
          docs: ["Returns the supported metadata versions.", "", "This can be used to call `metadata_at_version`."],
          call: () => METADATA_VERSIONS,
        },
      ],
    },
    {
      name: "AccountNonceApi",
      version: 1,
      docs: ["The API to query account nonce."],
      methods: [
        {
          name: "account_nonce",
          inputs: [{ name: "account", type: AccountId32 as Codec<unknown> }],
          output: u32 as Codec<unknown>,
          docs: ["Get current account nonce of given `AccountId`."],
          call: (ctx, [account]) => Account.get(ctx.state, account as Uint8Array).nonce,
        },
      ],
    },
    {
      name: "TransactionPaymentApi",
      version: 4,
      methods: [
        {
          name: "query_info",
          inputs: [
            { name: "uxt", type: Extrinsic as Codec<unknown> },
            { name: "len", type: u32 as Codec<unknown> },
          ],
          output: RuntimeDispatchInfoCodec as Codec<unknown>,
          // No signature check: paymentInfo sends the extrinsic with a dummy signature.
          call: (ctx, [uxt, len]) => queryInfo(ctx.services.runtime, decodeExtrinsicArg(ctx, uxt), len as number),
        },
        {
          name: "query_fee_details",
          inputs: [
            { name: "uxt", type: Extrinsic as Codec<unknown> },
            { name: "len", type: u32 as Codec<unknown> },
          ],
          output: FeeDetailsCodec as Codec<unknown>,
          call: (ctx, [uxt, len]) => queryFeeDetails(ctx.services.runtime, decodeExtrinsicArg(ctx, uxt), len as number),
        },
        {
          name: "query_weight_to_fee",
          inputs: [{ name: "weight", type: Weight as Codec<unknown> }],
          output: u64 as Codec<unknown>,
          call: (_ctx, [weight]) => computeFee(0, (weight as WeightValue).refTime, 0n).adjustedWeightFee,
        },
        {
          name: "query_length_to_fee",
          inputs: [{ name: "length", type: u32 as Codec<unknown> }],
          output: u64 as Codec<unknown>,
          call: (_ctx, [length]) => computeFee(length as number, 0n, 0n).lenFee,
        },
      ],
    },
    {
      name: "TaggedTransactionQueue",
      version: 3,
      docs: ["The `TaggedTransactionQueue` api trait for interfering with the transaction queue."],
      methods: [
        {
          name: "validate_transaction",
          inputs: [
            { name: "source", type: TransactionSourceCodec as Codec<unknown> },
            { name: "tx", type: Extrinsic as Codec<unknown> },
            { name: "block_hash", type: H256 as Codec<unknown> },
          ],
          output: TransactionValidityCodec as Codec<unknown>,
          docs: ["Validate the transaction."],
          call: (ctx, [, tx]) => validateTransaction(ctx, decodeExtrinsicArg(ctx, tx)),
        },
      ],
    },
    {
      name: "AuraApi",
      version: 1,
      docs: ["API necessary for block authorship with aura."],
      methods: [
        {
          name: "slot_duration",
          inputs: [],
          output: SlotDuration as Codec<unknown>,
          docs: ["Returns the slot duration for Aura."],
          call: (ctx) => BigInt(ctx.services.runtime.config.slotDurationMs),
        },
        {
          name: "authorities",
          inputs: [],
          output: vec(AuraAuthorityId) as Codec<unknown>,
          docs: ["Return the current set of authorities."],
          call: (ctx) => Authorities.get(ctx.state),
        },
      ],
    },
  ];
  apiCache.set(runtime, apis);
  return apis;
}

/** The runtime API declarations of a runtime, for the V15 metadata (and `runtimeVersion.apis`). */
export function runtimeApiDecls(runtime: RuntimeDefinition): RuntimeApiDecl[] {
  return runtimeApis(runtime);
}

/** `blake2_64(name)`: the id of a runtime API in `runtimeVersion.apis`. */
export function apiId(name: string): Uint8Array {
  return blake2_64(utf8Bytes(name));
}

/** `[["0x<blake2_64(name)>", version], …]` for `state_getRuntimeVersion.apis`. */
export function runtimeApiVersions(runtime: RuntimeDefinition): Array<[string, number]> {
  return runtimeApis(runtime).map((a) => [toHex(apiId(a.name)), a.version]);
}

/** The JSON of `state_getRuntimeVersion` (sp_version's Serialize: both systemVersion and stateVersion). */
export function runtimeVersionJson(runtime: RuntimeDefinition): Record<string, unknown> {
  const v = runtime.version;
  return {
    specName: v.specName,
    implName: v.implName,
    authoringVersion: v.authoringVersion,
    specVersion: v.specVersion,
    implVersion: v.implVersion,
    apis: runtimeApiVersions(runtime),
    transactionVersion: v.transactionVersion,
    systemVersion: v.systemVersion,
    stateVersion: v.systemVersion,
  };
}

function findMethod(runtime: RuntimeDefinition, method: string): RuntimeApiMethodImpl | undefined {
  for (const api of runtimeApis(runtime)) {
    if (!method.startsWith(api.name + "_")) continue;
    const name = method.slice(api.name.length + 1);
    const m = api.methods.find((x) => x.name === name);
    if (m) return m;
  }
  return undefined;
}

/** Whether `method` (e.g. "AccountNonceApi_account_nonce") is a runtime API of this runtime. */
export function hasRuntimeApi(runtime: RuntimeDefinition, method: string): boolean {
  return findMethod(runtime, method) !== undefined;
}

/**
 * Runs a runtime API at block `at`, as a runtime API call from node code does (`client.runtime_api()`).
 * Throws RuntimeApiError with Substrate's `sp_blockchain::Error` text (unknown block, unknown
 * method, undecodable input). Other exceptions are bugs and propagate.
 */
export function executeRuntimeApi(services: RpcServices, method: string, data: Uint8Array, at: Uint8Array, unknownBlock = unknownApiBlockMessage): Uint8Array {
  const header = services.chain.header(at);
  if (!header) throw new RuntimeApiError(unknownBlock(at));
  const impl = findMethod(services.runtime, method);
  if (!impl) throw new RuntimeApiError(`Execution failed: Other: Exported method ${method} is not found`);
  const ctx: RuntimeApiCallContext = { services, hash: at, header, state: services.chain.stateAt(at) };
  let args: unknown[];
  try {
    const r = new ScaleReader(data);
    args = impl.inputs.map((i) => i.type.decodeFrom(r));
    // Extrinsic arguments must also decode as extrinsics of this runtime (Block::Extrinsic's Decode).
    impl.inputs.forEach((input, i) => {
      if (isExtrinsicArg(input.type)) decodeExtrinsicArg(ctx, args[i]);
    });
  } catch (e) {
    throw new RuntimeApiError(`Execution failed: Execution aborted due to panic: Bad input data provided to ${impl.name}: ${(e as Error).message}`);
  }
  try {
    return impl.output.encode(impl.call(ctx, args));
  } catch (e) {
    // what a runtime panic looks like from the node side
    throw new RuntimeApiError(`Execution failed: Execution aborted due to panic: ${(e as Error).message}`);
  }
}

function isExtrinsicArg(c: Codec<unknown>): boolean {
  const path = c.resolve().info.path;
  return path.join("::") === "sp_runtime::generic::unchecked_extrinsic::UncheckedExtrinsic";
}

/**
 * `state_call`: runs a runtime API (e.g. "AccountNonceApi_account_nonce") with SCALE `data` at
 * block hash `at`. Errors are RpcError 4003 "Client error: …", as Substrate's state RPC sends them.
 */
export function callRuntimeApi(services: RpcServices, method: string, data: Uint8Array, at: Uint8Array): Uint8Array {
  try {
    return executeRuntimeApi(services, method, data, at, unknownCallBlockMessage);
  } catch (e) {
    if (e instanceof RuntimeApiError) throw new RpcError(STATE_CLIENT_ERROR, `Client error: ${e.message}`);
    throw e;
  }
}

/** Runs an extrinsic on top of block `at` without keeping anything: system_dryRun. */
export function dryRunExtrinsic(services: RpcServices, ext: Extrinsic, at: Uint8Array): { tag: string; value: unknown } {
  const { chain } = services;
  const header = chain.header(at);
  if (!header) throw new RuntimeApiError(unknownApiBlockMessage(at));
  const overlay = new StateOverlay(chain.stateAt(at));
  const run = chain.executive.initializeBlock(overlay, { number: header.number + 1, parentHash: at }, [], verifySignature);
  try {
    const outcome = run.applyExtrinsic(ext);
    return { tag: "Ok", value: outcome.ok ? { tag: "Ok", value: [] } : { tag: "Err", value: outcome.error.error } };
  } catch (e) {
    if (e instanceof TransactionValidityError) return { tag: "Err", value: validityErrorValue(e) };
    throw e;
  }
}

