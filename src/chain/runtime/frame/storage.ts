/**
 * Storage item declarations. One declaration gives: the Substrate storage key layout
 * (twox128(pallet) ++ twox128(item) ++ hasher(key)…), typed get/put for runtime code, key decoding
 * for iteration, and the metadata entry (hashers, key type, value type, modifier, fallback).
 */
import type { ReadAccess, StorageAccess } from "../../state/types.js";
import { Codec, ScaleReader, tuple } from "../../codec/scale.js";
import { blake2_128, blake2_256, twox128, twox64 } from "../../../util/hash.js";
import { concatBytes, utf8Bytes } from "../../../util/bytes.js";
import { xxhashAsU8a } from "@polkadot/util-crypto";

/** A compact string form of bytes for Map keys (one char per byte). */
export function latin1(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString("latin1");
}

export type Hasher = "Blake2_128" | "Blake2_256" | "Blake2_128Concat" | "Twox128" | "Twox256" | "Twox64Concat" | "Identity";

function hashKey(hasher: Hasher, encoded: Uint8Array): Uint8Array {
  switch (hasher) {
    case "Identity":
      return encoded;
    case "Blake2_128Concat":
      return concatBytes(blake2_128(encoded), encoded);
    case "Twox64Concat":
      return concatBytes(twox64(encoded), encoded);
    case "Blake2_128":
      return blake2_128(encoded);
    case "Blake2_256":
      return blake2_256(encoded);
    case "Twox128":
      return twox128(encoded);
    case "Twox256":
      return xxhashAsU8a(encoded, 256);
  }
}

/** Bytes of hash output that precede the SCALE key in a concat hasher (so keys can be decoded). */
const CONCAT_PREFIX: Partial<Record<Hasher, number>> = { Identity: 0, Blake2_128Concat: 16, Twox64Concat: 8 };

export interface KeyPart<K = unknown> {
  hasher: Hasher;
  codec: Codec<K>;
}

export interface StorageSpec<V> {
  name: string;
  value: Codec<V>;
  docs?: string[];
}

export type Modifier = "Default" | "Optional";

/** What the metadata builder needs to know about an item. */
export interface StorageMetadataEntry {
  name: string;
  modifier: Modifier;
  keys: KeyPart[];
  value: Codec<unknown>;
  fallback: Uint8Array;
  docs: string[];
}

/**
 * A storage item with `K` key parts (none for a plain value) and value type V.
 * `Q` is what `get` returns: V with a default (ValueQuery), or V | null (OptionQuery).
 */
export class StorageItem<K extends unknown[], V, Q> {
  private prefixBytes?: Uint8Array;
  pallet = "";

  constructor(
    readonly name: string,
    readonly keyParts: KeyPart[],
    readonly value: Codec<V>,
    readonly modifier: Modifier,
    private readonly defaultValue: V | undefined,
    readonly docs: string[],
  ) {}

  /** Called once by the pallet that owns the item: the pallet name is part of every key. */
  bind(pallet: string): void {
    if (this.pallet && this.pallet !== pallet) throw new Error(`storage ${this.name} already bound to ${this.pallet}`);
    this.pallet = pallet;
    this.prefixBytes = concatBytes(twox128(utf8Bytes(pallet)), twox128(utf8Bytes(this.name)));
  }

  /** twox128(pallet) ++ twox128(item): the prefix of every key of this item. */
  get prefix(): Uint8Array {
    if (!this.prefixBytes) throw new Error(`storage item ${this.name} is not declared in a pallet`);
    return this.prefixBytes;
  }

  /**
   * Full keys of single-key items keyed by bytes (accounts), memoized: hashing the key (blake2 in
   * wasm) is the largest cost of a storage access on the block import path. Bounded; cleared whole.
   */
  private readonly keyMemo = new Map<string, Uint8Array>();
  private static readonly KEY_MEMO_LIMIT = 65_536;

  /** The full key, or a prefix of it when fewer key parts are given (for iteration). */
  key(...keys: unknown[]): Uint8Array {
    if (keys.length > this.keyParts.length) throw new RangeError(`${this.pallet}.${this.name}: too many keys`);
    if (keys.length === 0) return this.prefix;
    if (keys.length === 1 && keys[0] instanceof Uint8Array) {
      const memoKey = latin1(keys[0]);
      let full = this.keyMemo.get(memoKey);
      if (!full) {
        if (this.keyMemo.size >= StorageItem.KEY_MEMO_LIMIT) this.keyMemo.clear();
        full = concatBytes(this.prefix, hashKey(this.keyParts[0].hasher, this.keyParts[0].codec.encode(keys[0])));
        this.keyMemo.set(memoKey, full);
      }
      return full;
    }
    const parts = [this.prefix];
    keys.forEach((k, i) => parts.push(this.hashedPart(i, k)));
    return concatBytes(...parts);
  }

  /** Hashed key parts of bytes keys (accounts in double maps such as Stake), memoized like whole keys. */
  private readonly partMemo = new Map<string, Uint8Array>();

  private hashedPart(i: number, k: unknown): Uint8Array {
    const part = this.keyParts[i];
    if (!(k instanceof Uint8Array) || part.hasher === "Identity") return hashKey(part.hasher, part.codec.encode(k));
    const memoKey = `${i}${latin1(k)}`;
    let hashed = this.partMemo.get(memoKey);
    if (!hashed) {
      if (this.partMemo.size >= StorageItem.KEY_MEMO_LIMIT) this.partMemo.clear();
      hashed = hashKey(part.hasher, part.codec.encode(k));
      this.partMemo.set(memoKey, hashed);
    }
    return hashed;
  }

  get(state: ReadAccess, ...keys: K): Q {
    const raw = state.get(this.key(...keys));
    if (raw === undefined) return (this.modifier === "Default" ? this.defaultValue : null) as Q;
    return this.value.decode(raw) as unknown as Q;
  }

  /** Whether a value is stored (a Default item holding its default may still be absent). */
  exists(state: ReadAccess, ...keys: K): boolean {
    return state.get(this.key(...keys)) !== undefined;
  }

  put(state: StorageAccess, value: V, ...keys: K): void {
    state.set(this.key(...keys), this.value.encode(value));
  }

  remove(state: StorageAccess, ...keys: K): void {
    state.delete(this.key(...keys));
  }

  /** Read-modify-write with the query value; the result is stored (or removed if null for Optional items). */
  mutate(state: StorageAccess, keys: K, f: (current: Q) => V | null): V | null {
    const next = f(this.get(state, ...keys));
    if (next === null) this.remove(state, ...keys);
    else this.put(state, next, ...keys);
    return next;
  }

  /** Entries whose key starts with the given leading key parts, in storage key order. */
  entries(state: StorageAccess, ...leading: unknown[]): Array<{ keys: K; value: V }> {
    const prefix = this.key(...leading);
    return state.keys(prefix).map((full) => ({ keys: this.decodeKey(full), value: this.value.decode(state.get(full)!) }));
  }

  /** Removes every entry (or every entry under the leading key parts). */
  clear(state: StorageAccess, ...leading: unknown[]): number {
    const keys = state.keys(this.key(...leading));
    for (const k of keys) state.delete(k);
    return keys.length;
  }

  /** Recovers the key parts from a full key; only possible for concat/identity hashers. */
  decodeKey(full: Uint8Array): K {
    const r = new ScaleReader(full.subarray(32));
    return this.keyParts.map((part) => {
      const skip = CONCAT_PREFIX[part.hasher];
      if (skip === undefined) throw new Error(`${this.pallet}.${this.name}: cannot decode a ${part.hasher} key`);
      r.take(skip);
      return part.codec.decodeFrom(r);
    }) as K;
  }

  metadata(): StorageMetadataEntry {
    const fallback = this.modifier === "Default" && this.defaultValue !== undefined ? this.value.encode(this.defaultValue) : new Uint8Array([0]);
    return { name: this.name, modifier: this.modifier, keys: this.keyParts, value: this.value as Codec<unknown>, fallback, docs: this.docs };
  }

  /** The key type of the metadata: the codec itself for one key, a tuple for several. */
  keyCodec(): Codec<unknown> {
    return this.keyParts.length === 1 ? this.keyParts[0].codec : (tuple(...this.keyParts.map((p) => p.codec)) as Codec<unknown>);
  }
}

type WithDefault<V> = StorageSpec<V> & { default: V };
type Opt<V> = StorageSpec<V> & { optional: true };

export function storageValue<V>(spec: WithDefault<V>): StorageItem<[], V, V>;
export function storageValue<V>(spec: Opt<V>): StorageItem<[], V, V | null>;
export function storageValue<V>(spec: WithDefault<V> | Opt<V>): StorageItem<[], V, V | null> {
  return make<[], V>(spec, []);
}

export function storageMap<K, V>(spec: WithDefault<V> & { key: KeyPart<K> }): StorageItem<[K], V, V>;
export function storageMap<K, V>(spec: Opt<V> & { key: KeyPart<K> }): StorageItem<[K], V, V | null>;
export function storageMap<K, V>(spec: (WithDefault<V> | Opt<V>) & { key: KeyPart<K> }): StorageItem<[K], V, V | null> {
  return make<[K], V>(spec, [spec.key as KeyPart]);
}

export function storageDoubleMap<K1, K2, V>(spec: WithDefault<V> & { keys: [KeyPart<K1>, KeyPart<K2>] }): StorageItem<[K1, K2], V, V>;
export function storageDoubleMap<K1, K2, V>(spec: Opt<V> & { keys: [KeyPart<K1>, KeyPart<K2>] }): StorageItem<[K1, K2], V, V | null>;
export function storageDoubleMap<K1, K2, V>(
  spec: (WithDefault<V> | Opt<V>) & { keys: [KeyPart<K1>, KeyPart<K2>] },
): StorageItem<[K1, K2], V, V | null> {
  return make<[K1, K2], V>(spec, spec.keys as KeyPart[]);
}

export function storageNMap<K extends unknown[], V>(spec: WithDefault<V> & { keys: KeyPart[] }): StorageItem<K, V, V>;
export function storageNMap<K extends unknown[], V>(spec: Opt<V> & { keys: KeyPart[] }): StorageItem<K, V, V | null>;
export function storageNMap<K extends unknown[], V>(spec: (WithDefault<V> | Opt<V>) & { keys: KeyPart[] }): StorageItem<K, V, V | null> {
  return make<K, V>(spec, spec.keys);
}

function make<K extends unknown[], V>(spec: WithDefault<V> | Opt<V>, keys: KeyPart[]): StorageItem<K, V, V | null> {
  const optional = "optional" in spec && spec.optional;
  return new StorageItem<K, V, V | null>(
    spec.name,
    keys,
    spec.value,
    optional ? "Optional" : "Default",
    optional ? undefined : (spec as WithDefault<V>).default,
    spec.docs ?? [],
  );
}

export type AnyStorageItem = StorageItem<any[], any, any>;
