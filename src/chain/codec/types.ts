/**
 * Substrate's common types, with the exact type paths that polkadot-js and py-scalecodec key on
 * (reference/polkadot-js-compat.md §3.2).
 */
import {
  Codec,
  ScaleReader,
  ScaleWriter,
  ScaleDecodeError,
  type TypeInfo,
  bytes,
  compact,
  compactUnit,
  enumeration,
  fixedBytes,
  newtype,
  simpleEnum,
  struct,
  tuple,
  u8,
  u32,
  u64,
  vec,
  bool,
  type EnumValue,
} from "./scale.js";

export const H256 = newtype(fixedBytes(32), { path: ["primitive_types", "H256"], typeName: "[u8; 32]" });
export const AccountId32 = newtype(fixedBytes(32), { path: ["sp_core", "crypto", "AccountId32"], typeName: "[u8; 32]" });
/** Balance: Subtensor's TaoBalance is a u64 of RAO (1 TAO = 10^9 RAO). */
export const Balance = u64;
export const BlockNumber = u32;

// ------------------------------------------------------------------ addresses and signatures

export type MultiAddressValue =
  | { tag: "Id"; value: Uint8Array }
  | { tag: "Index"; value: number }
  | { tag: "Raw"; value: Uint8Array }
  | { tag: "Address32"; value: Uint8Array }
  | { tag: "Address20"; value: Uint8Array };

export const MultiAddress = enumeration(
  [
    { name: "Id", index: 0, fields: [AccountId32] },
    { name: "Index", index: 1, fields: [compactUnit as Codec<unknown>] },
    { name: "Raw", index: 2, fields: [bytes] },
    { name: "Address32", index: 3, fields: [fixedBytes(32)] },
    { name: "Address20", index: 4, fields: [fixedBytes(20)] },
  ],
  { path: ["sp_runtime", "multiaddress", "MultiAddress"], params: [{ name: "AccountId", type: AccountId32 }, { name: "AccountIndex", type: tuple() }] },
) as unknown as Codec<MultiAddressValue>;

export type MultiSignatureValue = { tag: "Ed25519" | "Sr25519" | "Ecdsa"; value: Uint8Array };

export const MultiSignature = enumeration(
  [
    { name: "Ed25519", index: 0, fields: [newtype(fixedBytes(64), { path: ["sp_core", "ed25519", "Signature"] })] },
    { name: "Sr25519", index: 1, fields: [newtype(fixedBytes(64), { path: ["sp_core", "sr25519", "Signature"] })] },
    { name: "Ecdsa", index: 2, fields: [newtype(fixedBytes(65), { path: ["sp_core", "ecdsa", "Signature"] })] },
  ],
  { path: ["sp_runtime", "MultiSignature"] },
) as unknown as Codec<MultiSignatureValue>;

// ------------------------------------------------------------------ era

export type EraValue = { period: number; phase: number } | null;

/**
 * sp_runtime::generic::era::Era. Immortal is one zero byte; mortal is 2 bytes:
 * low 4 bits = log2(period) - 1, high 12 bits = phase / quantize_factor.
 */
class EraCodec extends Codec<EraValue> {
  encodeTo(v: EraValue, w: ScaleWriter): void {
    if (v === null) {
      w.byte(0);
      return;
    }
    const { period, phase } = v;
    const quantize = Math.max(period >> 12, 1);
    const trailing = Math.min(Math.max(Math.log2(period) | 0, 1) - 1, 15);
    const encoded = trailing | ((phase / quantize) << 4);
    w.uint(encoded, 2);
  }
  decodeFrom(r: ScaleReader): EraValue {
    const first = r.byte();
    if (first === 0) return null;
    const encoded = first | (r.byte() << 8);
    const period = 2 << (encoded & 0xf);
    const quantize = Math.max(period >> 12, 1);
    const phase = (encoded >> 4) * quantize;
    if (period < 4 || phase >= period) throw new ScaleDecodeError(`invalid mortal era: period ${period}, phase ${phase}`);
    return { period, phase };
  }
  get info(): TypeInfo {
    const variants = [{ name: "Immortal", index: 0, fields: [] as { type: Codec<unknown> }[] }];
    for (let i = 1; i < 256; i++) variants.push({ name: `Mortal${i}`, index: i, fields: [{ type: u8 as Codec<unknown> }] });
    return { path: ["sp_runtime", "generic", "era", "Era"], params: [], docs: [], def: { kind: "variant", variants } };
  }
}
export const Era = new EraCodec();

/** Build a mortal era for `current` with a period rounded like Substrate's Era::mortal. */
export function mortalEra(period: number, current: number): EraValue {
  let p = 1 << Math.ceil(Math.log2(Math.max(period, 4)));
  p = Math.min(Math.max(p, 4), 65536);
  const phase = current % p;
  const quantize = Math.max(p >> 12, 1);
  return { period: p, phase: Math.floor(phase / quantize) * quantize };
}

/** The block number an era was born at, given the number of the block being built. */
export function eraBirth(era: { period: number; phase: number }, current: number): number {
  return Math.floor((Math.max(current, era.phase) - era.phase) / era.period) * era.period + era.phase;
}

// ------------------------------------------------------------------ header and digest

export const ConsensusEngineId = fixedBytes(4);

export const DigestItem = enumeration(
  [
    { name: "Other", index: 0, fields: [bytes] },
    { name: "Consensus", index: 4, fields: [ConsensusEngineId, bytes] },
    { name: "Seal", index: 5, fields: [ConsensusEngineId, bytes] },
    { name: "PreRuntime", index: 6, fields: [ConsensusEngineId, bytes] },
    { name: "RuntimeEnvironmentUpdated", index: 8, fields: [] },
  ],
  { path: ["sp_runtime", "generic", "digest", "DigestItem"] },
);

export const Digest = struct<{ logs: EnumValue[] }>([{ name: "logs", type: vec(DigestItem), typeName: "Vec<DigestItem>" }], {
  path: ["sp_runtime", "generic", "digest", "Digest"],
});

export interface Header {
  parentHash: Uint8Array;
  number: number;
  stateRoot: Uint8Array;
  extrinsicsRoot: Uint8Array;
  digest: { logs: EnumValue[] };
}

export const HeaderCodec = struct<Header & Record<string, unknown>>(
  [
    { name: "parent_hash", type: H256, typeName: "Hash::Output" },
    { name: "number", type: compact(BlockNumber), typeName: "Number" },
    { name: "state_root", type: H256, typeName: "Hash::Output" },
    { name: "extrinsics_root", type: H256, typeName: "Hash::Output" },
    { name: "digest", type: Digest, typeName: "Digest" },
  ],
  { path: ["sp_runtime", "generic", "header", "Header"], params: [{ name: "Number", type: BlockNumber }, { name: "Hash" }] },
);

// ------------------------------------------------------------------ weights and dispatch results

export interface WeightValue {
  refTime: bigint;
  proofSize: bigint;
}
export const Weight = struct<WeightValue & Record<string, unknown>>(
  [
    { name: "ref_time", type: compact(u64), typeName: "u64" },
    { name: "proof_size", type: compact(u64), typeName: "u64" },
  ],
  { path: ["sp_weights", "weight_v2", "Weight"] },
);

export const DispatchClass = simpleEnum(["Normal", "Operational", "Mandatory"], { path: ["frame_support", "dispatch", "DispatchClass"] });
export const Pays = simpleEnum(["Yes", "No"], { path: ["frame_support", "dispatch", "Pays"] });

export interface DispatchInfoValue {
  weight: WeightValue;
  class: EnumValue;
  paysFee: EnumValue;
}
export const DispatchInfo = struct<DispatchInfoValue & Record<string, unknown>>(
  [
    { name: "weight", type: Weight, typeName: "Weight" },
    { name: "class", type: DispatchClass, typeName: "DispatchClass" },
    { name: "pays_fee", type: Pays, typeName: "Pays" },
  ],
  { path: ["frame_support", "dispatch", "DispatchInfo"] },
);

export const ModuleError = struct<{ index: number; error: Uint8Array }>(
  [
    { name: "index", type: u8, typeName: "u8" },
    { name: "error", type: fixedBytes(4), typeName: "[u8; MAX_MODULE_ERROR_ENCODED_SIZE]" },
  ],
  { path: ["sp_runtime", "ModuleError"] },
);

export const TokenError = simpleEnum(
  ["FundsUnavailable", "OnlyProvider", "BelowMinimum", "CannotCreate", "UnknownAsset", "Frozen", "Unsupported", "CannotCreateHold", "NotExpendable", "Blocked"],
  { path: ["sp_runtime", "TokenError"] },
);
export const ArithmeticError = simpleEnum(["Underflow", "Overflow", "DivisionByZero"], { path: ["sp_runtime", "ArithmeticError"] });
export const TransactionalError = simpleEnum(["LimitReached", "NoLayer"], { path: ["sp_runtime", "TransactionalError"] });

export const DispatchErrorCodec = enumeration(
  [
    { name: "Other", index: 0 },
    { name: "CannotLookup", index: 1 },
    { name: "BadOrigin", index: 2 },
    { name: "Module", index: 3, fields: [ModuleError] },
    { name: "ConsumerRemaining", index: 4 },
    { name: "NoProviders", index: 5 },
    { name: "TooManyConsumers", index: 6 },
    { name: "Token", index: 7, fields: [TokenError] },
    { name: "Arithmetic", index: 8, fields: [ArithmeticError] },
    { name: "Transactional", index: 9, fields: [TransactionalError] },
    { name: "Exhausted", index: 10 },
    { name: "Corruption", index: 11 },
    { name: "Unavailable", index: 12 },
    { name: "RootNotAllowed", index: 13 },
  ],
  { path: ["sp_runtime", "DispatchError"] },
);

export const Phase = enumeration(
  [
    { name: "ApplyExtrinsic", index: 0, fields: [u32] },
    { name: "Finalization", index: 1 },
    { name: "Initialization", index: 2 },
  ],
  { path: ["frame_system", "Phase"] },
);

export const BoolCodec = bool;
