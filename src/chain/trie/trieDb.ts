/**
 * The persistent state trie: reads, incremental updates, key iteration and read proofs over nodes
 * kept in a content-addressed store (hash -> encoding).
 *
 * Updates never modify stored nodes. They copy the nodes on the paths to the changed keys into
 * "owned" in-memory nodes (path copying), edit those, then encode them bottom-up: the work is
 * proportional to changed keys × depth, and every older root stays readable as long as its nodes
 * are kept. What to persist is handed back as `newNodes`; the store is only read.
 *
 * Storage rules (those of sp-trie / trie-db):
 *   - a child whose encoding is < 32 bytes lives inside its parent and is not stored by itself;
 *   - the root node is always stored under its hash, even when short (the root is always hashed);
 *   - the empty trie (root blake2_256(0x00)) needs no stored node;
 *   - under V1, values >= 33 bytes are stored apart under blake2_256(value) ("value nodes").
 */
import { blake2_256 } from "../../util/hash.js";
import { bytesEqual, concatBytes } from "../../util/bytes.js";
import { TrieError } from "./errors.js";
import { hashHex, mapKey as hashKey } from "./hashKey.js";
import { lookupValue } from "./lookup.js";
import { LruCache } from "./lruCache.js";
import { StateValueCache, latin1 } from "./stateValueCache.js";
import {
  type ChildRef,
  type DecodedNode,
  type NodeValue,
  HASH_LENGTH,
  decodeNode,
  encodeNode,
  keyToNibbles,
  nibblesToKey,
} from "./nodeCodec.js";
import { EMPTY_TRIE_ROOT, type TrieVersion, nodeValueFor } from "./trieRoot.js";
import { DEFAULT_NODE_CACHE_SIZE, DEFAULT_VALUE_CACHE_BYTES, type TrieCacheOptions } from "./cacheOptions.js";

export { verifyProof } from "./proof.js";

/** Reads encoded nodes (and V1 hashed values) by their 32-byte blake2_256 hash. Synchronous on purpose: backed by an in-memory cache + LevelDB getSync. */
export interface TrieNodeStore {
  get(hash: Uint8Array): Uint8Array | undefined;
}

export interface TrieUpdate {
  root: Uint8Array;
  /** nodes (and V1 value nodes) created by this update, to persist: hash -> encoding */
  newNodes: Array<[Uint8Array, Uint8Array]>;
}

export interface TrieDbOptions extends TrieCacheOptions {
  /** layout for values written by updates; default 1 (the state trie of a systemVersion >= 1 chain) */
  version?: TrieVersion;
}

export { DEFAULT_NODE_CACHE_SIZE, DEFAULT_VALUE_CACHE_BYTES, type TrieCacheOptions } from "./cacheOptions.js";


/**
 * A node rewritten by the update in progress. It belongs to that update alone (a tree: one parent),
 * so it is edited in place; decoded nodes from the cache are shared and are never edited. Fields are
 * only ever reassigned, never mutated, because their arrays may be shared with cached nodes.
 */
class OwnedNode {
  constructor(
    public partial: Uint8Array,
    public value: NodeValue | undefined,
    public children: Slot[] | undefined,
  ) {}
}

/** A stored node under OwnedNode's field names, read-only. */
interface NodeView {
  readonly partial: Uint8Array;
  readonly value: NodeValue | undefined;
  readonly children: ReadonlyArray<Slot> | undefined;
}

/** A child position during an update: untouched reference, node being rewritten, or nothing. */
type Slot = ChildRef | OwnedNode | undefined;

const newChildren = (): Slot[] => new Array<Slot>(16).fill(undefined);

function sameValue(a: NodeValue | undefined, b: NodeValue): boolean {
  if (a === undefined || a.kind !== b.kind) return false;
  return a.kind === "inline" ? bytesEqual(a.data, (b as { data: Uint8Array }).data) : bytesEqual(a.hash, (b as { hash: Uint8Array }).hash);
}

/**
 * A copy as a plain Uint8Array. Not `.slice()`: on a Buffer (what LevelDB hands out) that returns a
 * view, and a caller mutating a value we returned, or a buffer we stored, must not reach our nodes.
 */
const copyBytes = (b: Uint8Array): Uint8Array => new Uint8Array(b);

/** True for the empty trie's root; throws for anything that is not a 32-byte hash. */
function isEmptyRoot(root: Uint8Array): boolean {
  if (root.length !== HASH_LENGTH) {
    throw new TrieError({ code: "TRIE_INVALID_ROOT", length: root.length }, `trie root must be 32 bytes, got ${root.length}`);
  }
  return bytesEqual(root, EMPTY_TRIE_ROOT);
}

// keys() walk state flags
const PREFIX_OK = 1; // the path already starts with the requested prefix
const AFTER_OK = 2; // the path is already greater than startAfter, whatever follows
const EMIT = PREFIX_OK | AFTER_OK;

export class TrieDb {
  readonly version: TrieVersion;
  private readonly cache: LruCache<string, DecodedNode>;
  private readonly values: StateValueCache | undefined;

  constructor(
    private readonly store: TrieNodeStore,
    opts: TrieDbOptions = {},
  ) {
    this.version = opts.version ?? 1;
    this.cache = new LruCache(opts.cacheSize ?? DEFAULT_NODE_CACHE_SIZE);
    const valueBytes = opts.valueCacheBytes ?? DEFAULT_VALUE_CACHE_BYTES;
    this.values = valueBytes > 0 ? new StateValueCache(valueBytes) : undefined;
  }

  /**
   * The state the value cache stands for is now `root`, reached from `from` by `changes` (a
   * committed block that became best). Reads of `root` are then answered from the cache where it
   * can; reads of any other root are unaffected.
   */
  followState(from: Uint8Array, root: Uint8Array, changes: Iterable<[Uint8Array, Uint8Array | null]>): void {
    this.values?.advance(from, root, changes);
  }

  // ---------------------------------------------------------------------------------------------
  // Reads

  /** The value at `key` in the state `root`; `latin1Key`: the key as a latin1 string if the caller has it (the value cache's key). */
  get(root: Uint8Array, key: Uint8Array, latin1Key?: string): Uint8Array | undefined {
    if (isEmptyRoot(root)) return undefined;
    const values = this.values;
    if (values?.root !== undefined && this.isFollowedRoot(values.root, root)) {
      const k = latin1Key ?? latin1(key);
      // the cache hands out copies and copies what it keeps: the caller owns `v` either way
      const hit = values.get(k);
      if (hit !== undefined) return hit === null ? undefined : hit;
      const v = this.lookup(root, key);
      values.set(k, v === undefined ? null : v);
      return v;
    }
    return this.lookup(root, key);
  }

  /** Whether `root` is the value cache's root; the last answer is kept per root object (a state reads many keys with one root array). */
  private lastRoot: { root: Uint8Array; followed: Uint8Array; same: boolean } | undefined;
  private isFollowedRoot(followed: Uint8Array, root: Uint8Array): boolean {
    const last = this.lastRoot;
    if (last !== undefined && last.root === root && last.followed === followed) return last.same;
    const same = bytesEqual(followed, root);
    this.lastRoot = { root, followed, same };
    return same;
  }

  private lookup(root: Uint8Array, key: Uint8Array): Uint8Array | undefined {
    const value = lookupValue(this.loadHashed(root), keyToNibbles(key), (ref) => this.loadRef(ref));
    return value === undefined ? undefined : this.readValue(value);
  }

  /** keys in byte order, that start with prefix, strictly greater than startAfter (if given), at most limit */
  keys(root: Uint8Array, opts: { prefix?: Uint8Array; startAfter?: Uint8Array; limit?: number } = {}): Uint8Array[] {
    const out: Uint8Array[] = [];
    const limit = opts.limit ?? Infinity;
    if (limit <= 0 || isEmptyRoot(root)) return out;
    const prefix = keyToNibbles(opts.prefix ?? new Uint8Array(0));
    const after = opts.startAfter ? keyToNibbles(opts.startAfter) : undefined;
    const path: number[] = [];

    // Appends nibble `nib` at path position `pos` to a walk in `state`; -1 when the subtree below
    // can hold no wanted key (off the prefix, or entirely <= startAfter), so it is never loaded.
    const advance = (state: number, pos: number, nib: number): number => {
      if (!(state & PREFIX_OK)) {
        if (nib !== prefix[pos]) return -1;
        if (pos + 1 === prefix.length) state |= PREFIX_OK;
      }
      if (!(state & AFTER_OK)) {
        // still equal to startAfter so far: longer paths are greater, smaller nibbles are smaller
        if (pos >= after!.length || nib > after![pos]) state |= AFTER_OK;
        else if (nib < after![pos]) return -1;
      }
      return state;
    };

    // depth-first in nibble order = byte order; a node's own value precedes its children
    const visit = (node: DecodedNode, state: number): boolean => {
      const base = path.length;
      for (const nib of node.partialKey) {
        state = advance(state, path.length, nib);
        if (state < 0) {
          path.length = base;
          return false;
        }
        path.push(nib);
      }
      // a path that still equals a prefix of startAfter is <= startAfter: not emitted
      if (node.value !== undefined && state === EMIT) {
        out.push(nibblesToKey(path));
        if (out.length >= limit) return true;
      }
      if (node.children) {
        for (let c = 0; c < 16; c++) {
          const ref = node.children[c];
          if (ref === undefined) continue;
          const s = advance(state, path.length, c);
          if (s < 0) continue;
          path.push(c);
          if (visit(this.loadRef(ref), s)) return true;
          path.pop();
        }
      }
      path.length = base;
      return false;
    };

    const initial = (prefix.length === 0 ? PREFIX_OK : 0) | (after === undefined ? AFTER_OK : 0);
    visit(this.loadHashed(root), initial);
    return out;
  }

  /**
   * The Merkle value of the node at `key`, or else of the closest node below it (branch nodes
   * included): what chainHead_v1_storage's `closestDescendantMerkleValue` reports. A node's Merkle
   * value is its encoding when shorter than 32 bytes, else its hash — exactly the reference its
   * parent holds; the root is always referenced by its hash. Undefined when no key starts with `key`.
   */
  closestDescendantMerkleValue(root: Uint8Array, key: Uint8Array): Uint8Array | undefined {
    if (isEmptyRoot(root)) return undefined;
    const nibbles = keyToNibbles(key);
    let ref: ChildRef = root;
    let node = this.loadHashed(root);
    let offset = 0;
    for (;;) {
      const partial = node.partialKey;
      const rest = nibbles.length - offset;
      // the node's path starts with what is left of the key: it is the closest descendant
      const common = Math.min(rest, partial.length);
      for (let i = 0; i < common; i++) if (nibbles[offset + i] !== partial[i]) return undefined;
      if (rest <= partial.length) return copyBytes(ref);
      offset += partial.length;
      const child = node.children?.[nibbles[offset]];
      if (child === undefined) return undefined;
      ref = child;
      node = this.loadRef(child);
      offset++;
    }
  }

  /** Substrate read proof: the set of encoded nodes (plus V1 value nodes) on the paths to these keys (present or absent), deduplicated */
  proof(root: Uint8Array, keys: Uint8Array[]): Uint8Array[] {
    if (isEmptyRoot(root)) return [];
    const recorded = new Map<string, Uint8Array>();
    const loadRecorded = (hash: Uint8Array): DecodedNode => {
      const k = hashKey(hash);
      if (!recorded.has(k)) recorded.set(k, copyBytes(this.encodingOf(hash)));
      return this.loadHashed(hash);
    };
    for (const key of keys) {
      const value = lookupValue(loadRecorded(root), keyToNibbles(key), (ref) =>
        ref.length === HASH_LENGTH ? loadRecorded(ref) : this.loadRef(ref),
      );
      if (value?.kind === "hashed") {
        const k = hashKey(value.hash);
        if (!recorded.has(k)) recorded.set(k, this.readValue(value));
      }
    }
    return [...recorded.values()];
  }

  // ---------------------------------------------------------------------------------------------
  // Updates

  /** value null = delete. Cost proportional to the number of changed keys × depth, not to the trie size. */
  update(root: Uint8Array, changes: Iterable<[Uint8Array, Uint8Array | null]>): TrieUpdate {
    // the root is referenced by hash even when its node is short, so it starts as a 32-byte ref
    let slot: Slot = isEmptyRoot(root) ? undefined : root;
    // V1 value nodes written by this update; emitted only if still referenced at the end
    const freshValues = new Map<string, Uint8Array>();
    for (const [key, value] of changes) {
      const nibbles = keyToNibbles(key);
      if (value === null || value === undefined) {
        slot = this.removeAt(slot, nibbles, 0);
      } else {
        const data = copyBytes(value); // the caller may reuse its buffer; cached nodes must not change
        const nodeValue = nodeValueFor(data, this.version);
        if (nodeValue.kind === "hashed") freshValues.set(hashKey(nodeValue.hash), data);
        slot = this.insertAt(slot, nibbles, 0, nodeValue);
      }
    }

    if (slot === undefined) return { root: copyBytes(EMPTY_TRIE_ROOT), newNodes: [] };
    if (!(slot instanceof OwnedNode)) {
      // nothing changed (only an untouched node can be left here, and only the old root)
      return { root: copyBytes(slot), newNodes: [] };
    }
    const out = new Map<string, [Uint8Array, Uint8Array]>();
    const { encoding, decoded } = this.encodeOwned(slot, freshValues, out);
    const rootHash = blake2_256(encoding);
    this.cache.set(hashKey(rootHash), decoded);
    out.set(hashKey(rootHash), [rootHash, encoding]);
    return { root: rootHash, newNodes: [...out.values()] };
  }

  /** Sets `key[offset..]` below `slot`; returns the new slot (the same object if nothing changed). */
  private insertAt(slot: Slot, key: Uint8Array, offset: number, value: NodeValue): Slot {
    if (slot === undefined) return new OwnedNode(key.slice(offset), value, undefined);
    const node = slot instanceof OwnedNode ? slot : this.toOwnedView(slot);
    const partial = node.partial;
    let common = 0;
    while (common < partial.length && offset + common < key.length && partial[common] === key[offset + common]) common++;

    if (common < partial.length) {
      // the key leaves this node's partial key midway: split it under a new branch
      const branch = new OwnedNode(partial.slice(0, common), undefined, newChildren());
      const existing = this.own(node);
      existing.partial = partial.slice(common + 1);
      branch.children![partial[common]] = existing;
      const p = offset + common;
      if (p === key.length) branch.value = value; // the key is a prefix of the old path
      else branch.children![key[p]] = new OwnedNode(key.slice(p + 1), value, undefined);
      return branch;
    }

    const p = offset + partial.length;
    if (p === key.length) {
      if (sameValue(node.value, value)) return slot;
      const owned = this.own(node);
      owned.value = value;
      return owned;
    }
    const index = key[p];
    const oldChild = node.children?.[index];
    const newChild = this.insertAt(oldChild, key, p + 1, value);
    if (newChild === oldChild) return slot;
    // a leaf that gains a child becomes a branch with value
    const owned = this.own(node);
    if (owned.children === undefined) owned.children = newChildren();
    owned.children[index] = newChild;
    return owned;
  }

  /** Deletes `key[offset..]` below `slot`; returns the new slot (the same object if absent). */
  private removeAt(slot: Slot, key: Uint8Array, offset: number): Slot {
    if (slot === undefined) return undefined;
    const node = slot instanceof OwnedNode ? slot : this.toOwnedView(slot);
    const partial = node.partial;
    if (offset + partial.length > key.length) return slot;
    for (let i = 0; i < partial.length; i++) if (partial[i] !== key[offset + i]) return slot;
    const p = offset + partial.length;
    if (p === key.length) {
      if (node.value === undefined) return slot;
      const owned = this.own(node);
      owned.value = undefined;
      return this.normalize(owned);
    }
    const index = key[p];
    const oldChild = node.children?.[index];
    if (oldChild === undefined) return slot;
    const newChild = this.removeAt(oldChild, key, p + 1);
    if (newChild === oldChild) return slot;
    const owned = this.own(node);
    owned.children![index] = newChild;
    return this.normalize(owned);
  }

  /**
   * Restores the no-extension shape after a delete: a node with no children is a leaf (or gone if
   * it has no value either); a branch left with one child and no value merges into that child,
   * whose partial key becomes parent partial ‖ child index ‖ child partial.
   */
  private normalize(node: OwnedNode): Slot {
    if (node.children === undefined) return node.value === undefined ? undefined : node;
    let count = 0;
    let last = -1;
    for (let i = 0; i < 16; i++) {
      if (node.children[i] !== undefined) {
        count++;
        last = i;
      }
    }
    if (count === 0) {
      node.children = undefined;
      return node.value === undefined ? undefined : node;
    }
    if (count > 1 || node.value !== undefined) return node;
    const only = node.children[last]!;
    const child = only instanceof OwnedNode ? only : this.own(this.toOwnedView(only));
    child.partial = concatBytes(node.partial, Uint8Array.of(last), child.partial);
    return child;
  }

  /** Encodes an owned node after its owned children (bottom-up), collecting what to persist. */
  private encodeOwned(
    node: OwnedNode,
    freshValues: Map<string, Uint8Array>,
    out: Map<string, [Uint8Array, Uint8Array]>,
  ): { encoding: Uint8Array; decoded: DecodedNode } {
    let refs: (ChildRef | undefined)[] | undefined;
    if (node.children !== undefined) {
      refs = new Array<ChildRef | undefined>(16).fill(undefined);
      for (let i = 0; i < 16; i++) {
        const c = node.children[i];
        refs[i] = c instanceof OwnedNode ? this.commitChild(c, freshValues, out) : c;
      }
    }
    const value = node.value;
    if (value?.kind === "hashed") {
      const k = hashKey(value.hash);
      const data = freshValues.get(k);
      if (data !== undefined) out.set(k, [value.hash, data]);
    }
    const encoding = encodeNode(node.partial, value, refs);
    return { encoding, decoded: { partialKey: node.partial, value, children: refs } };
  }

  private commitChild(
    node: OwnedNode,
    freshValues: Map<string, Uint8Array>,
    out: Map<string, [Uint8Array, Uint8Array]>,
  ): ChildRef {
    const { encoding, decoded } = this.encodeOwned(node, freshValues, out);
    if (encoding.length < HASH_LENGTH) return encoding; // inline: lives inside the parent only
    const hash = blake2_256(encoding);
    const k = hashKey(hash);
    out.set(k, [hash, encoding]);
    // likely read again soon (next block), and content-addressed, so always correct to cache
    this.cache.set(k, decoded);
    return hash;
  }

  /** A decoded node seen through the OwnedNode field names, without copying (read-only use). */
  private toOwnedView(ref: ChildRef): NodeView {
    const d = this.loadRef(ref);
    return { partial: d.partialKey, value: d.value, children: d.children };
  }

  /** The owned node for `node`: itself if already owned, else a copy (children array copied). */
  private own(node: OwnedNode | NodeView): OwnedNode {
    if (node instanceof OwnedNode) return node;
    return new OwnedNode(node.partial, node.value, node.children?.slice());
  }

  // ---------------------------------------------------------------------------------------------
  // Node access

  private loadHashed(hash: Uint8Array): DecodedNode {
    const k = hashKey(hash);
    const hit = this.cache.get(k);
    if (hit !== undefined) return hit;
    const encoding = this.store.get(hash);
    if (encoding === undefined) {
      throw new TrieError({ code: "TRIE_MISSING_NODE", hash: hashHex(hash) }, `missing trie node ${hashHex(hash)}`);
    }
    const node = decodeNode(encoding);
    if (node === null) {
      throw new TrieError({ code: "TRIE_INVALID_NODE", reason: `empty node stored under ${hashHex(hash)}` });
    }
    this.cache.set(k, node);
    return node;
  }

  private loadRef(ref: ChildRef): DecodedNode {
    if (ref.length === HASH_LENGTH) return this.loadHashed(ref);
    const node = decodeNode(ref);
    if (node === null) throw new TrieError({ code: "TRIE_INVALID_NODE", reason: "empty node as an inline child" });
    return node;
  }

  /** The stored encoding of a node (re-encoded from the cache if an update's node is not persisted yet). */
  private encodingOf(hash: Uint8Array): Uint8Array {
    const stored = this.store.get(hash);
    if (stored !== undefined) return stored;
    const node = this.loadHashed(hash); // throws TRIE_MISSING_NODE unless cached
    return encodeNode(node.partialKey, node.value, node.children);
  }

  private readValue(value: NodeValue): Uint8Array {
    if (value.kind === "inline") return copyBytes(value.data);
    const data = this.store.get(value.hash);
    if (data === undefined) {
      const hex = hashHex(value.hash);
      throw new TrieError({ code: "TRIE_MISSING_VALUE", hash: hex }, `missing trie value node ${hex}`);
    }
    return copyBytes(data);
  }
}
