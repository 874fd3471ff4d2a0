/**
 * Extrinsic v4: `Compact(len) ++ version ++ [address ++ signature ++ extra] ++ call`.
 * Signed extensions are the standard Substrate set, in this order, so unmodified polkadot-js and
 * scalecodec encode them from their built-in tables (polkadot-js-compat.md §4.2).
 */
import { Codec, ScaleReader, ScaleWriter, ScaleDecodeError, compact, newtype, struct, tuple, u32, u64, type EnumValue } from "./scale.js";
import { AccountId32, Era, H256, MultiAddress, MultiSignature, type EraValue, type MultiAddressValue, type MultiSignatureValue } from "./types.js";
import { blake2_256 } from "../../util/hash.js";
import { concatBytes } from "../../util/bytes.js";

export const EXTRINSIC_VERSION = 4;
const SIGNED_BIT = 0b1000_0000;

const empty = (path: string[]) => struct([], { path, params: [{ name: "T" }] });

export interface SignedExtensionInfo {
  identifier: string;
  /** bytes carried in the extrinsic */
  type: Codec<unknown>;
  /** bytes only in the signing payload */
  additionalSigned: Codec<unknown>;
}

const unitCodec = tuple() as Codec<unknown>;

export const SIGNED_EXTENSIONS: SignedExtensionInfo[] = [
  { identifier: "CheckNonZeroSender", type: empty(["frame_system", "extensions", "check_non_zero_sender", "CheckNonZeroSender"]), additionalSigned: unitCodec },
  { identifier: "CheckSpecVersion", type: empty(["frame_system", "extensions", "check_spec_version", "CheckSpecVersion"]), additionalSigned: u32 as Codec<unknown> },
  { identifier: "CheckTxVersion", type: empty(["frame_system", "extensions", "check_tx_version", "CheckTxVersion"]), additionalSigned: u32 as Codec<unknown> },
  { identifier: "CheckGenesis", type: empty(["frame_system", "extensions", "check_genesis", "CheckGenesis"]), additionalSigned: H256 as Codec<unknown> },
  {
    identifier: "CheckMortality",
    type: newtype(Era, { path: ["frame_system", "extensions", "check_mortality", "CheckMortality"], params: [{ name: "T" }], typeName: "Era" }) as Codec<unknown>,
    additionalSigned: H256 as Codec<unknown>,
  },
  {
    identifier: "CheckNonce",
    type: newtype(compact(u32), { path: ["frame_system", "extensions", "check_nonce", "CheckNonce"], params: [{ name: "T" }], typeName: "T::Nonce" }) as Codec<unknown>,
    additionalSigned: unitCodec,
  },
  { identifier: "CheckWeight", type: empty(["frame_system", "extensions", "check_weight", "CheckWeight"]), additionalSigned: unitCodec },
  {
    identifier: "ChargeTransactionPayment",
    type: newtype(compact(u64), { path: ["pallet_transaction_payment", "ChargeTransactionPayment"], params: [{ name: "T" }], typeName: "BalanceOf<T>" }) as Codec<unknown>,
    additionalSigned: unitCodec,
  },
];

/** The tuple type of all extension "extra" parts (the `Extra` param of UncheckedExtrinsic). */
export const ExtraCodec = tuple(...SIGNED_EXTENSIONS.map((e) => e.type));

export interface SignedPart {
  address: MultiAddressValue;
  signature: MultiSignatureValue;
  era: EraValue;
  nonce: number;
  tip: bigint;
}

export interface Extrinsic {
  /** Full bytes including the Compact length prefix: what blocks contain and what is hashed. */
  bytes: Uint8Array;
  /** blake2_256(bytes): the transaction hash clients compare with. */
  hash: Uint8Array;
  signed: SignedPart | null;
  /** Encoded RuntimeCall (pallet index ++ call index ++ args). */
  callBytes: Uint8Array;
  call: EnumValue;
}

/** Decodes a full extrinsic with its length prefix. Throws ScaleDecodeError on any malformation. */
export function decodeExtrinsic(bytes: Uint8Array, callCodec: Codec<EnumValue>): Extrinsic {
  const r = new ScaleReader(bytes);
  const len = r.compactNumber();
  if (len !== r.remaining) throw new ScaleDecodeError(`extrinsic length prefix ${len} does not match ${r.remaining} bytes`);
  const version = r.byte();
  if ((version & 0x7f) !== EXTRINSIC_VERSION) throw new ScaleDecodeError(`unsupported extrinsic version ${version & 0x7f}`);
  let signed: SignedPart | null = null;
  if (version & SIGNED_BIT) {
    const address = MultiAddress.decodeFrom(r);
    const signature = MultiSignature.decodeFrom(r);
    const era = Era.decodeFrom(r);
    const nonce = r.compactNumber();
    if (nonce > 0xffffffff) throw new ScaleDecodeError("nonce overflows u32");
    const tip = r.compactBig();
    if (tip >= 1n << 64n) throw new ScaleDecodeError("tip overflows u64");
    signed = { address, signature, era, nonce, tip };
  }
  const callStart = r.offset;
  const call = callCodec.decodeFrom(r);
  if (r.remaining) throw new ScaleDecodeError(`${r.remaining} trailing bytes after the call`);
  return { bytes, hash: blake2_256(bytes), signed, callBytes: bytes.subarray(callStart), call };
}

export function encodeExtra(era: EraValue, nonce: number, tip: bigint): Uint8Array {
  const w = new ScaleWriter(16);
  Era.encodeTo(era, w);
  w.compact(nonce);
  w.compact(tip);
  return w.finish();
}

export interface AdditionalSigned {
  specVersion: number;
  transactionVersion: number;
  genesisHash: Uint8Array;
  /** genesis hash for immortal transactions, else the hash of the era's birth block */
  eraBlockHash: Uint8Array;
}

export function encodeAdditional(a: AdditionalSigned): Uint8Array {
  const w = new ScaleWriter(72);
  w.uint(a.specVersion, 4);
  w.uint(a.transactionVersion, 4);
  w.bytes(a.genesisHash);
  w.bytes(a.eraBlockHash);
  return w.finish();
}

/** The message that was signed: the payload itself, or its blake2_256 when longer than 256 bytes. */
export function signingMessage(callBytes: Uint8Array, extra: Uint8Array, additional: Uint8Array): Uint8Array {
  const payload = concatBytes(callBytes, extra, additional);
  return payload.length > 256 ? blake2_256(payload) : payload;
}

/** Builds a full signed extrinsic from its parts (used by the node's own tooling and tests). */
export function encodeSignedExtrinsic(signer: Uint8Array, signature: MultiSignatureValue, s: { era: EraValue; nonce: number; tip: bigint }, callBytes: Uint8Array): Uint8Array {
  const w = new ScaleWriter(callBytes.length + 128);
  w.byte(EXTRINSIC_VERSION | SIGNED_BIT);
  MultiAddress.encodeTo({ tag: "Id", value: signer }, w);
  MultiSignature.encodeTo(signature, w);
  w.bytes(encodeExtra(s.era, s.nonce, s.tip));
  w.bytes(callBytes);
  return withLengthPrefix(w.finish());
}

export function encodeUnsignedExtrinsic(callBytes: Uint8Array): Uint8Array {
  return withLengthPrefix(concatBytes(new Uint8Array([EXTRINSIC_VERSION]), callBytes));
}

function withLengthPrefix(body: Uint8Array): Uint8Array {
  const w = new ScaleWriter(body.length + 5);
  w.compact(body.length);
  w.bytes(body);
  return w.finish();
}

/** AccountId of a MultiAddress; only `Id` and `Address32` resolve (there is no Indices pallet). */
export function addressToAccountId(a: MultiAddressValue): Uint8Array | null {
  if (a.tag === "Id" || a.tag === "Address32") return a.value;
  return null;
}

export { AccountId32 };
