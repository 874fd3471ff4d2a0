/**
 * Types of the runtime-wide API signatures (sp_version, sp_runtime, sp_inherents,
 * sp_genesis_builder, sp_session), with the paths and field names scale-info gives them, so the V15
 * metadata describes them as a Substrate runtime does.
 */
import { bool, bytes, fixedBytes, newtype, option, result, str, struct, tuple, u8, u32, u64, vec, enumeration, simpleEnum, type Codec } from "../../codec/scale.js";
import { DispatchErrorCodec, HeaderCodec, type Header } from "../../codec/types.js";
import type { TransactionValidityError } from "../validity.js";

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

/** sp_runtime::ExtrinsicInclusionMode (Core_initialize_block's result since Core 5). */
export const ExtrinsicInclusionMode = simpleEnum(["AllExtrinsics", "OnlyInherents"], { path: ["sp_runtime", "ExtrinsicInclusionMode"] });

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

/** `ApplyExtrinsicResult` = `Result<Result<(), DispatchError>, TransactionValidityError>` (system_dryRun, BlockBuilder_apply_extrinsic). */
export const ApplyExtrinsicResultCodec = result(result(tuple(), DispatchErrorCodec), TransactionValidityErrorCodec);

/** The SCALE enum value of a TransactionValidityError (for TransactionValidityErrorCodec). */
export function validityErrorValue(e: TransactionValidityError): { tag: string; value: { tag: string; value?: number } } {
  const t = e.type;
  if (t.code === "INVALID_TRANSACTION") return { tag: "Invalid", value: t.kind === "Custom" ? { tag: "Custom", value: t.custom } : { tag: t.kind } };
  if (t.code === "UNKNOWN_TRANSACTION") return { tag: "Unknown", value: { tag: t.kind } };
  // DECODE_ERROR has no Substrate counterpart: a runtime rejects undecodable input before validation
  return { tag: "Invalid", value: { tag: "Call" } };
}

// ------------------------------------------------------------------ sp_inherents

/** `InherentIdentifier` = [u8; 8], e.g. "timstap0". */
export const InherentIdentifier = fixedBytes(8);

/**
 * `BTreeMap<K, V>` as scale-info describes it (a composite over `Vec<(K, V)>`, path "BTreeMap");
 * SCALE encodes it as the sorted sequence of pairs.
 */
function btreeMap<K, V>(key: Codec<K>, value: Codec<V>): Codec<Array<[K, V]>> {
  const pairs = vec(tuple(key, value)) as Codec<Array<[K, V]>>;
  return newtype(pairs, { path: ["BTreeMap"], params: [{ name: "K", type: key as Codec<unknown> }, { name: "V", type: value as Codec<unknown> }] });
}

export interface InherentDataValue {
  data: Array<[Uint8Array, Uint8Array]>;
}

/** sp_inherents::InherentData { data: BTreeMap<InherentIdentifier, Vec<u8>> } */
export const InherentDataCodec = struct<InherentDataValue & Record<string, unknown>>(
  [{ name: "data", type: btreeMap(InherentIdentifier, bytes) as Codec<unknown>, typeName: "BTreeMap<InherentIdentifier, Vec<u8>>" }],
  { path: ["sp_inherents", "InherentData"] },
);

export interface CheckInherentsResultValue {
  okay: boolean;
  fatalError: boolean;
  errors: InherentDataValue;
}

/** sp_inherents::CheckInherentsResult */
export const CheckInherentsResultCodec = struct<CheckInherentsResultValue & Record<string, unknown>>(
  [
    { name: "okay", type: bool, typeName: "bool" },
    { name: "fatal_error", type: bool, typeName: "bool" },
    { name: "errors", type: InherentDataCodec as Codec<unknown>, typeName: "InherentData" },
  ],
  { path: ["sp_inherents", "CheckInherentsResult"] },
);

export interface BlockValue {
  header: Header;
  /** each extrinsic's bytes without its length prefix (the extrinsic codec adds it) */
  extrinsics: Uint8Array[];
}

/** sp_runtime::generic::block::Block<Header, Extrinsic> for this runtime's extrinsic type. */
export function blockCodec(extrinsic: Codec<Uint8Array>): Codec<BlockValue & Record<string, unknown>> {
  return struct<BlockValue & Record<string, unknown>>(
    [
      { name: "header", type: HeaderCodec as Codec<unknown>, typeName: "Header" },
      { name: "extrinsics", type: vec(extrinsic) as Codec<unknown>, typeName: "Vec<Extrinsic>" },
    ],
    { path: ["sp_runtime", "generic", "block", "Block"], params: [{ name: "Header", type: HeaderCodec as Codec<unknown> }, { name: "Extrinsic", type: extrinsic as Codec<unknown> }] },
  );
}

// ------------------------------------------------------------------ sp_genesis_builder, sp_session

/** sp_genesis_builder::PresetId(Vec<u8>) */
export const PresetId = newtype(bytes, { path: ["sp_genesis_builder", "PresetId"], typeName: "Vec<u8>" });

/** `sp_genesis_builder::Result` = Result<(), RuntimeString> (a String on the wire). */
export const GenesisBuildResult = result(tuple(), str);

/** sp_core::crypto::KeyTypeId([u8; 4]) */
export const KeyTypeIdCodec = newtype(fixedBytes(4), { path: ["sp_core", "crypto", "KeyTypeId"], typeName: "[u8; 4]" });

/** `Option<Vec<(Vec<u8>, KeyTypeId)>>`: decode_session_keys' result. */
export const DecodedSessionKeys = option(vec(tuple(bytes, KeyTypeIdCodec)));
