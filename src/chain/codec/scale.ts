/**
 * SCALE codecs that also describe themselves as scale-info types.
 *
 * This is the root of "declare once": a storage item, call argument or event field is declared with
 * one of these codecs, and the same object encodes/decodes values at runtime AND produces the
 * portable type-registry entry that goes into metadata V14/V15. Nothing is written twice, so the
 * node's encodings and the metadata clients decode with can never drift apart.
 *
 * JS representations: u8/u16/u32 → number; u64/u128/i64… → bigint; bool → boolean; Vec<u8> and
 * [u8; N] → Uint8Array; Option<T> → T | null; tuple → array; struct → object with camelCase keys;
 * enum → { tag, value? } (value: the single unnamed field, an array of unnamed fields, or an object
 * of named fields).
 */
import { ScaleReader, ScaleWriter, ScaleDecodeError, writeU64LE } from "./reader.js";

export { ScaleReader, ScaleWriter, ScaleDecodeError };

export type Primitive = "bool" | "char" | "str" | "u8" | "u16" | "u32" | "u64" | "u128" | "u256" | "i8" | "i16" | "i32" | "i64" | "i128" | "i256";

export interface FieldInfo {
  name?: string;
  type: Codec<unknown>;
  typeName?: string;
  docs?: string[];
}

export interface VariantInfo {
  name: string;
  index: number;
  fields: FieldInfo[];
  docs?: string[];
}

export type TypeDef =
  | { kind: "primitive"; primitive: Primitive }
  | { kind: "compact"; inner: Codec<unknown> }
  | { kind: "sequence"; inner: Codec<unknown> }
  | { kind: "array"; len: number; inner: Codec<unknown> }
  | { kind: "tuple"; items: Codec<unknown>[] }
  | { kind: "composite"; fields: FieldInfo[] }
  | { kind: "variant"; variants: VariantInfo[] };

export interface TypeInfo {
  path: string[];
  params: { name: string; type?: Codec<unknown> }[];
  def: TypeDef;
  docs: string[];
}

const SCRATCH_BYTES = 1024;
const SCRATCH_KEEP_LIMIT = 64 * 1024;
let scratch: ScaleWriter | undefined;
let scratchInUse = false;

export abstract class Codec<T> {
  abstract encodeTo(value: T, w: ScaleWriter): void;
  abstract decodeFrom(r: ScaleReader): T;
  /** The scale-info description used to build metadata. */
  abstract get info(): TypeInfo;

  /** Identity used by the metadata type table; lazy codecs forward to their target. */
  resolve(): Codec<T> {
    return this;
  }

  encode(value: T): Uint8Array {
    // One scratch writer for every top-level encode: a fresh writer allocates a buffer per call,
    // and on the block import path (every storage write encodes) that allocation and its garbage
    // collection cost more than the encoding. A codec whose encodeTo calls encode() of another
    // (nested) gets a writer of its own.
    if (scratchInUse) {
      const w = new ScaleWriter();
      this.encodeTo(value, w);
      return w.finish();
    }
    scratchInUse = true;
    const w = (scratch ??= new ScaleWriter(SCRATCH_BYTES));
    try {
      w.reset();
      this.encodeTo(value, w);
      return w.finish();
    } finally {
      // a writer grown by one huge value (a block body) is not kept
      if (w.capacity > SCRATCH_KEEP_LIMIT) scratch = undefined;
      scratchInUse = false;
    }
  }

  /** Decodes the whole input; trailing bytes are an error (Substrate's decode_all). */
  decode(bytes: Uint8Array): T {
    const r = new ScaleReader(bytes);
    const v = this.decodeFrom(r);
    if (r.remaining > 0) throw new ScaleDecodeError(`${r.remaining} trailing bytes after ${describe(this)}`);
    return v;
  }
}

function describe(c: Codec<unknown>): string {
  const info = c.resolve().info;
  return info.path.length ? info.path.join("::") : info.def.kind;
}

const plain = (def: TypeDef, path: string[] = [], params: TypeInfo["params"] = []): TypeInfo => ({ path, params, def, docs: [] });

// ---------------------------------------------------------------- primitives

class NumberCodec extends Codec<number> {
  // the range, computed once (encode and decode are on every storage access)
  private readonly signed: boolean;
  private readonly min: number;
  private readonly max: number;
  private readonly span: number;
  constructor(readonly primitive: "u8" | "u16" | "u32" | "i8" | "i16" | "i32", readonly bytes: 1 | 2 | 4) {
    super();
    this.signed = primitive.startsWith("i");
    const bits = bytes * 8;
    this.span = 2 ** bits;
    this.min = this.signed ? -(2 ** (bits - 1)) : 0;
    this.max = this.signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  }
  encodeTo(v: number, w: ScaleWriter): void {
    if (!Number.isInteger(v)) throw new RangeError(`${this.primitive}: not an integer: ${v}`);
    if (v < this.min || v > this.max) throw new RangeError(`${this.primitive}: out of range: ${v}`);
    w.uint(this.signed && v < 0 ? v + this.span : v, this.bytes);
  }
  decodeFrom(r: ScaleReader): number {
    const u = r.uint(this.bytes);
    return this.signed && u > this.max ? u - this.span : u;
  }
  get info(): TypeInfo {
    return plain({ kind: "primitive", primitive: this.primitive });
  }
}

class BigCodec extends Codec<bigint> {
  // the range, computed once (BigInt shifts on every encode were a measurable part of block execution)
  private readonly signed: boolean;
  private readonly min: bigint;
  private readonly max: bigint;
  private readonly span: bigint;
  constructor(readonly primitive: "u64" | "u128" | "u256" | "i64" | "i128", readonly bytes: 8 | 16 | 32) {
    super();
    const bits = BigInt(bytes * 8);
    this.signed = primitive.startsWith("i");
    this.span = 1n << bits;
    this.min = this.signed ? -(1n << (bits - 1n)) : 0n;
    this.max = this.signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
  }
  encodeTo(v: bigint, w: ScaleWriter): void {
    if (typeof v !== "bigint") v = BigInt(v as unknown as number);
    if (v < this.min || v > this.max) throw new RangeError(`${this.primitive}: out of range: ${v}`);
    w.bigUint(v < 0n ? v + this.span : v, this.bytes);
  }
  decodeFrom(r: ScaleReader): bigint {
    const u = r.bigUint(this.bytes);
    return this.signed && u > this.max ? u - this.span : u;
  }
  /** The same bytes as the generic path, without a 128-byte writer and a copy per value (u64 stake values are on the payout path). */
  override encode(v: bigint): Uint8Array {
    if (typeof v !== "bigint") v = BigInt(v as unknown as number);
    if (v < this.min || v > this.max) throw new RangeError(`${this.primitive}: out of range: ${v}`);
    let u = v < 0n ? v + this.span : v;
    const out = new Uint8Array(this.bytes);
    for (let o = 0; o < this.bytes; o += 8) {
      writeU64LE(out, o, u & 0xffff_ffff_ffff_ffffn);
      u >>= 64n;
    }
    return out;
  }
  get info(): TypeInfo {
    return plain({ kind: "primitive", primitive: this.primitive });
  }
}

class BoolCodec extends Codec<boolean> {
  encodeTo(v: boolean, w: ScaleWriter): void {
    w.byte(v ? 1 : 0);
  }
  decodeFrom(r: ScaleReader): boolean {
    const b = r.byte();
    if (b > 1) throw new ScaleDecodeError(`invalid bool byte ${b}`);
    return b === 1;
  }
  get info(): TypeInfo {
    return plain({ kind: "primitive", primitive: "bool" });
  }
}

class StrCodec extends Codec<string> {
  encodeTo(v: string, w: ScaleWriter): void {
    const b = new TextEncoder().encode(v);
    w.compact(b.length);
    w.bytes(b);
  }
  decodeFrom(r: ScaleReader): string {
    const len = r.compactNumber();
    return new TextDecoder("utf-8", { fatal: true }).decode(r.take(len));
  }
  get info(): TypeInfo {
    return plain({ kind: "primitive", primitive: "str" });
  }
}

export const u8 = new NumberCodec("u8", 1);
export const u16 = new NumberCodec("u16", 2);
export const u32 = new NumberCodec("u32", 4);
export const i32 = new NumberCodec("i32", 4);
export const u64 = new BigCodec("u64", 8);
export const u128 = new BigCodec("u128", 16);
export const i64 = new BigCodec("i64", 8);
export const i128 = new BigCodec("i128", 16);
export const bool = new BoolCodec();
export const str = new StrCodec();

// ---------------------------------------------------------------- compact

class CompactCodec<T extends number | bigint> extends Codec<T> {
  constructor(readonly inner: Codec<T>) {
    super();
  }
  encodeTo(v: T, w: ScaleWriter): void {
    if (typeof v === "number" && (!Number.isInteger(v) || v < 0)) throw new RangeError(`compact: invalid ${v}`);
    if (typeof v === "bigint" && v < 0n) throw new RangeError(`compact: negative ${v}`);
    w.compact(v);
  }
  decodeFrom(r: ScaleReader): T {
    const big = r.compactBig();
    const inner = this.inner.resolve();
    if (inner instanceof NumberCodec) {
      if (big > BigInt(2 ** (inner.bytes * 8) - 1)) throw new ScaleDecodeError(`compact value ${big} overflows ${inner.primitive}`);
      return Number(big) as T;
    }
    if (inner instanceof BigCodec && big >= 1n << BigInt(inner.bytes * 8)) {
      throw new ScaleDecodeError(`compact value ${big} overflows ${inner.primitive}`);
    }
    return big as T;
  }
  get info(): TypeInfo {
    return plain({ kind: "compact", inner: this.inner });
  }
}

/** Compact<()>: zero bytes on the wire (Rust's CompactAs for unit), described as Compact<()> in metadata. */
class CompactUnitCodec extends Codec<[]> {
  encodeTo(): void {}
  decodeFrom(): [] {
    return [];
  }
  get info(): TypeInfo {
    return plain({ kind: "compact", inner: unit as Codec<unknown> });
  }
}
export const compactUnit: Codec<[]> = new CompactUnitCodec();

const compactCache = new Map<Codec<unknown>, Codec<unknown>>();
export function compact<T extends number | bigint>(inner: Codec<T>): Codec<T> {
  let c = compactCache.get(inner);
  if (!c) {
    c = new CompactCodec(inner) as Codec<unknown>;
    compactCache.set(inner, c);
  }
  return c as Codec<T>;
}

// ---------------------------------------------------------------- sequences, arrays, bytes

class VecCodec<T> extends Codec<T[]> {
  constructor(readonly inner: Codec<T>) {
    super();
  }
  encodeTo(v: T[], w: ScaleWriter): void {
    w.compact(v.length);
    for (const item of v) this.inner.encodeTo(item, w);
  }
  decodeFrom(r: ScaleReader): T[] {
    const len = r.compactNumber();
    // Each element takes at least one byte for every type we use; reject absurd lengths before allocating.
    if (len > r.remaining && !(this.inner.resolve() instanceof TupleCodec && (this.inner.resolve() as unknown as TupleCodec<unknown[]>).items.length === 0)) {
      throw new ScaleDecodeError(`sequence length ${len} exceeds input`);
    }
    const out: T[] = new Array(len);
    for (let i = 0; i < len; i++) out[i] = this.inner.decodeFrom(r);
    return out;
  }
  get info(): TypeInfo {
    return plain({ kind: "sequence", inner: this.inner });
  }
}

class BytesCodec extends Codec<Uint8Array> {
  encodeTo(v: Uint8Array, w: ScaleWriter): void {
    w.compact(v.length);
    w.bytes(v);
  }
  decodeFrom(r: ScaleReader): Uint8Array {
    return r.take(r.compactNumber()).slice();
  }
  get info(): TypeInfo {
    return plain({ kind: "sequence", inner: u8 });
  }
}

class FixedBytesCodec extends Codec<Uint8Array> {
  constructor(readonly len: number) {
    super();
  }
  encodeTo(v: Uint8Array, w: ScaleWriter): void {
    if (v.length !== this.len) throw new RangeError(`[u8; ${this.len}]: got ${v.length} bytes`);
    w.bytes(v);
  }
  decodeFrom(r: ScaleReader): Uint8Array {
    return r.take(this.len).slice();
  }
  get info(): TypeInfo {
    return plain({ kind: "array", len: this.len, inner: u8 });
  }
}

class ArrayCodec<T> extends Codec<T[]> {
  constructor(readonly len: number, readonly inner: Codec<T>) {
    super();
  }
  encodeTo(v: T[], w: ScaleWriter): void {
    if (v.length !== this.len) throw new RangeError(`array: expected ${this.len} items, got ${v.length}`);
    for (const item of v) this.inner.encodeTo(item, w);
  }
  decodeFrom(r: ScaleReader): T[] {
    const out: T[] = new Array(this.len);
    for (let i = 0; i < this.len; i++) out[i] = this.inner.decodeFrom(r);
    return out;
  }
  get info(): TypeInfo {
    return plain({ kind: "array", len: this.len, inner: this.inner });
  }
}

const vecCache = new Map<Codec<unknown>, Codec<unknown>>();
export function vec<T>(inner: Codec<T>): Codec<T[]> {
  let c = vecCache.get(inner);
  if (!c) {
    c = new VecCodec(inner) as Codec<unknown>;
    vecCache.set(inner, c);
  }
  return c as Codec<T[]>;
}
export const bytes: Codec<Uint8Array> = new BytesCodec();
const fixedCache = new Map<number, FixedBytesCodec>();
export function fixedBytes(len: number): Codec<Uint8Array> {
  let c = fixedCache.get(len);
  if (!c) {
    c = new FixedBytesCodec(len);
    fixedCache.set(len, c);
  }
  return c;
}
export function array<T>(len: number, inner: Codec<T>): Codec<T[]> {
  return new ArrayCodec(len, inner);
}

// ---------------------------------------------------------------- tuple

type CodecValues<T extends readonly Codec<unknown>[]> = { [K in keyof T]: T[K] extends Codec<infer V> ? V : never };

class TupleCodec<T extends unknown[]> extends Codec<T> {
  constructor(readonly items: Codec<unknown>[]) {
    super();
  }
  encodeTo(v: T, w: ScaleWriter): void {
    this.items.forEach((c, i) => c.encodeTo(v[i], w));
  }
  decodeFrom(r: ScaleReader): T {
    return this.items.map((c) => c.decodeFrom(r)) as T;
  }
  get info(): TypeInfo {
    return plain({ kind: "tuple", items: this.items });
  }
}

export function tuple<T extends readonly Codec<unknown>[]>(...items: T): Codec<CodecValues<T> & unknown[]> {
  return new TupleCodec(items as unknown as Codec<unknown>[]) as unknown as Codec<CodecValues<T> & unknown[]>;
}
export const unit = tuple();

// ---------------------------------------------------------------- option

class OptionCodec<T> extends Codec<T | null> {
  constructor(readonly inner: Codec<T>) {
    super();
  }
  encodeTo(v: T | null, w: ScaleWriter): void {
    if (v === null || v === undefined) {
      w.byte(0);
    } else {
      w.byte(1);
      this.inner.encodeTo(v, w);
    }
  }
  decodeFrom(r: ScaleReader): T | null {
    const tag = r.byte();
    if (tag === 0) return null;
    if (tag === 1) return this.inner.decodeFrom(r);
    throw new ScaleDecodeError(`invalid Option tag ${tag}`);
  }
  get info(): TypeInfo {
    return plain(
      {
        kind: "variant",
        variants: [
          { name: "None", index: 0, fields: [] },
          { name: "Some", index: 1, fields: [{ type: this.inner }] },
        ],
      },
      ["Option"],
      [{ name: "T", type: this.inner }],
    );
  }
}

const optionCache = new Map<Codec<unknown>, Codec<unknown>>();
export function option<T>(inner: Codec<T>): Codec<T | null> {
  let c = optionCache.get(inner);
  if (!c) {
    c = new OptionCodec(inner) as Codec<unknown>;
    optionCache.set(inner, c);
  }
  return c as Codec<T | null>;
}

// ---------------------------------------------------------------- composite (struct)

export const snakeToCamel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

export interface FieldSpec {
  name: string;
  type: Codec<unknown>;
  typeName?: string;
  docs?: string[];
}

export interface TypeMeta {
  path?: string[];
  params?: TypeInfo["params"];
  docs?: string[];
}

class StructCodec<T extends Record<string, unknown>> extends Codec<T> {
  private readonly keys: string[];
  constructor(readonly fields: FieldSpec[], readonly meta: TypeMeta) {
    super();
    this.keys = fields.map((f) => snakeToCamel(f.name));
  }
  encodeTo(v: T, w: ScaleWriter): void {
    for (let i = 0; i < this.fields.length; i++) {
      const val = v[this.keys[i]];
      if (val === undefined) throw new RangeError(`${(this.meta.path ?? []).join("::") || "struct"}: missing field ${this.keys[i]}`);
      this.fields[i].type.encodeTo(val, w);
    }
  }
  decodeFrom(r: ScaleReader): T {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < this.fields.length; i++) out[this.keys[i]] = this.fields[i].type.decodeFrom(r);
    return out as T;
  }
  get info(): TypeInfo {
    return {
      path: this.meta.path ?? [],
      params: this.meta.params ?? [],
      docs: this.meta.docs ?? [],
      def: { kind: "composite", fields: this.fields.map((f) => ({ name: f.name, type: f.type, typeName: f.typeName, docs: f.docs })) },
    };
  }
}

/** A struct with named fields. `fields` order is the SCALE order; JS keys are camelCase of the names. */
export function struct<T extends Record<string, unknown>>(fields: FieldSpec[], meta: TypeMeta = {}): Codec<T> {
  return new StructCodec<T>(fields, meta);
}

/** A single-field tuple struct (a Rust newtype) such as AccountId32([u8; 32]) or NetUid(u16). */
class NewtypeCodec<T> extends Codec<T> {
  constructor(readonly inner: Codec<T>, readonly meta: TypeMeta & { typeName?: string }) {
    super();
  }
  encodeTo(v: T, w: ScaleWriter): void {
    this.inner.encodeTo(v, w);
  }
  decodeFrom(r: ScaleReader): T {
    return this.inner.decodeFrom(r);
  }
  get info(): TypeInfo {
    return {
      path: this.meta.path ?? [],
      params: this.meta.params ?? [],
      docs: this.meta.docs ?? [],
      def: { kind: "composite", fields: [{ type: this.inner, typeName: this.meta.typeName }] },
    };
  }
}

export function newtype<T>(inner: Codec<T>, meta: TypeMeta & { typeName?: string }): Codec<T> {
  return new NewtypeCodec(inner, meta);
}

// ---------------------------------------------------------------- variant (enum)

export interface EnumValue<V = unknown> {
  tag: string;
  value?: V;
}

export interface VariantSpec {
  name: string;
  index: number;
  /** Named fields → value is an object; unnamed fields → value is the single field or an array. */
  fields?: FieldSpec[] | Codec<unknown>[];
  docs?: string[];
}

interface ResolvedVariant {
  name: string;
  index: number;
  named: boolean;
  fields: FieldSpec[];
  keys: string[];
  docs: string[];
}

export class EnumCodec extends Codec<EnumValue> {
  private readonly byName = new Map<string, ResolvedVariant>();
  private readonly byIndex = new Map<number, ResolvedVariant>();
  constructor(variants: VariantSpec[], readonly meta: TypeMeta) {
    super();
    for (const v of variants) this.addVariant(v);
  }

  /** Pallet enums are assembled incrementally (calls/events registered one by one). */
  addVariant(v: VariantSpec): void {
    const raw = v.fields ?? [];
    const named = raw.length > 0 && !(raw[0] instanceof Codec);
    const fields: FieldSpec[] = named ? (raw as FieldSpec[]) : (raw as Codec<unknown>[]).map((type) => ({ name: "", type }));
    const rv: ResolvedVariant = { name: v.name, index: v.index, named, fields, keys: fields.map((f) => snakeToCamel(f.name)), docs: v.docs ?? [] };
    if (this.byName.has(v.name)) throw new Error(`duplicate variant name ${v.name}`);
    if (this.byIndex.has(v.index)) throw new Error(`duplicate variant index ${v.index} (${v.name})`);
    this.byName.set(v.name, rv);
    this.byIndex.set(v.index, rv);
  }

  variantIndex(name: string): number {
    const v = this.byName.get(name);
    if (!v) throw new RangeError(`unknown variant ${name}`);
    return v.index;
  }

  variantNames(): string[] {
    return [...this.byIndex.values()].sort((a, b) => a.index - b.index).map((v) => v.name);
  }

  hasIndex(index: number): boolean {
    return this.byIndex.has(index);
  }

  encodeTo(v: EnumValue, w: ScaleWriter): void {
    const variant = this.byName.get(v.tag);
    if (!variant) throw new RangeError(`${(this.meta.path ?? []).join("::")}: unknown variant ${v.tag}`);
    w.byte(variant.index);
    const { fields } = variant;
    if (fields.length === 0) return;
    if (variant.named) {
      const obj = v.value as Record<string, unknown>;
      for (let i = 0; i < fields.length; i++) fields[i].type.encodeTo(obj[variant.keys[i]], w);
    } else if (fields.length === 1) {
      fields[0].type.encodeTo(v.value, w);
    } else {
      const arr = v.value as unknown[];
      fields.forEach((f, i) => f.type.encodeTo(arr[i], w));
    }
  }

  decodeFrom(r: ScaleReader): EnumValue {
    const index = r.byte();
    const variant = this.byIndex.get(index);
    if (!variant) throw new ScaleDecodeError(`${(this.meta.path ?? []).join("::") || "enum"}: unknown variant index ${index}`);
    const { fields } = variant;
    if (fields.length === 0) return { tag: variant.name };
    if (variant.named) {
      const obj: Record<string, unknown> = {};
      for (let i = 0; i < fields.length; i++) obj[variant.keys[i]] = fields[i].type.decodeFrom(r);
      return { tag: variant.name, value: obj };
    }
    if (fields.length === 1) return { tag: variant.name, value: fields[0].type.decodeFrom(r) };
    return { tag: variant.name, value: fields.map((f) => f.type.decodeFrom(r)) };
  }

  get info(): TypeInfo {
    return {
      path: this.meta.path ?? [],
      params: this.meta.params ?? [],
      docs: this.meta.docs ?? [],
      def: {
        kind: "variant",
        variants: [...this.byIndex.values()]
          .sort((a, b) => a.index - b.index)
          .map((v) => ({
            name: v.name,
            index: v.index,
            docs: v.docs,
            fields: v.fields.map((f) => ({ name: v.named ? f.name : undefined, type: f.type, typeName: f.typeName, docs: f.docs })),
          })),
      },
    };
  }
}

export function enumeration(variants: VariantSpec[], meta: TypeMeta = {}): EnumCodec {
  return new EnumCodec(variants, meta);
}

/** A plain C-like enum whose variants carry no data, given in index order. */
export function simpleEnum(names: string[], meta: TypeMeta = {}): EnumCodec {
  return new EnumCodec(names.map((name, index) => ({ name, index })), meta);
}

// ---------------------------------------------------------------- lazy (recursive types)

class LazyCodec<T> extends Codec<T> {
  private target?: Codec<T>;
  constructor(private readonly thunk: () => Codec<T>) {
    super();
  }
  override resolve(): Codec<T> {
    if (!this.target) this.target = this.thunk().resolve();
    return this.target;
  }
  encodeTo(v: T, w: ScaleWriter): void {
    this.resolve().encodeTo(v, w);
  }
  decodeFrom(r: ScaleReader): T {
    return this.resolve().decodeFrom(r);
  }
  get info(): TypeInfo {
    return this.resolve().info;
  }
}

/** Defers to a codec built later: RuntimeCall contains Sudo's call, which contains RuntimeCall. */
export function lazy<T>(thunk: () => Codec<T>): Codec<T> {
  return new LazyCodec(thunk);
}

/** Raw bytes that are already SCALE-encoded with some codec (e.g. an opaque call inside a block). */
export function encodeCompactLength(len: number): Uint8Array {
  const w = new ScaleWriter();
  w.compact(len);
  return w.finish();
}

/** Rust's Result<T, E>: Ok = 0, Err = 1 (path "Result" as scale-info names it). */
export function result<T, E>(ok: Codec<T>, err: Codec<E>): EnumCodec {
  return new EnumCodec(
    [
      { name: "Ok", index: 0, fields: [ok as Codec<unknown>] },
      { name: "Err", index: 1, fields: [err as Codec<unknown>] },
    ],
    { path: ["Result"], params: [{ name: "T", type: ok as Codec<unknown> }, { name: "E", type: err as Codec<unknown> }] },
  );
}
