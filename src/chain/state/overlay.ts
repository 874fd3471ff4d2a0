/**
 * A write overlay over a block's state with nested checkpoints (the journal of ethereumjs): the
 * executive opens a checkpoint per extrinsic, and a failed dispatch reverts exactly its own writes
 * while the fee and nonce changes made before the checkpoint stay.
 */
import type { StateReader, StorageAccess } from "./types.js";
import { compareBytes, startsWith } from "../../util/bytes.js";

/** Keys as latin1 strings (one char per byte): cheaper Map keys than hex, and they sort like the bytes. */
const toKey = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString("latin1");
const fromKey = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "latin1"));

/** Sentinel in the overlay for a deleted key. */
const DELETED = null;
type Slot = Uint8Array | typeof DELETED;

export class StateOverlay implements StorageAccess {
  private readonly changes = new Map<string, Slot>();
  /** One journal per open checkpoint: key → what the overlay held before (undefined = nothing). */
  private readonly journals: Map<string, Slot | undefined>[] = [];

  constructor(private readonly base: StateReader) {}

  get(key: Uint8Array): Uint8Array | undefined {
    return this.getKeyed(key, toKey(key));
  }

  getKeyed(key: Uint8Array, k: string): Uint8Array | undefined {
    const slot = this.changes.get(k);
    if (slot !== undefined) return slot === DELETED ? undefined : slot;
    return this.base.getKeyed ? this.base.getKeyed(key, k) : this.base.get(key);
  }

  set(key: Uint8Array, value: Uint8Array): void {
    this.write(toKey(key), value);
  }

  delete(key: Uint8Array): void {
    this.write(toKey(key), DELETED);
  }

  private write(k: string, slot: Slot): void {
    const journal = this.journals[this.journals.length - 1];
    if (journal && !journal.has(k)) journal.set(k, this.changes.get(k));
    this.changes.set(k, slot);
  }

  keys(prefix: Uint8Array): Uint8Array[] {
    const fromBase = this.base.keys(prefix);
    const merged = new Map<string, Uint8Array>();
    for (const k of fromBase) merged.set(toKey(k), k);
    for (const [k, slot] of this.changes) {
      const key = fromKey(k);
      if (!startsWith(key, prefix)) continue;
      if (slot === DELETED) merged.delete(k);
      else merged.set(k, key);
    }
    return [...merged.values()].sort(compareBytes);
  }

  checkpoint(): void {
    this.journals.push(new Map());
  }

  /** Keeps the writes since the last checkpoint (they fold into the enclosing one). */
  commit(): void {
    const journal = this.journals.pop();
    if (!journal) throw new Error("commit without checkpoint");
    const outer = this.journals[this.journals.length - 1];
    if (outer) for (const [k, prev] of journal) if (!outer.has(k)) outer.set(k, prev);
  }

  /** Undoes every write since the last checkpoint. */
  revert(): void {
    const journal = this.journals.pop();
    if (!journal) throw new Error("revert without checkpoint");
    for (const [k, prev] of journal) {
      if (prev === undefined) this.changes.delete(k);
      else this.changes.set(k, prev);
    }
  }

  get depth(): number {
    return this.journals.length;
  }

  /** The net changes in key order (deterministic), for the trie update and storage notifications. */
  drain(): Array<[Uint8Array, Uint8Array | null]> {
    if (this.journals.length) throw new Error("drain with open checkpoints");
    // the default sort compares UTF-16 code units, which for latin1 keys (one char per byte,
    // 0–255) is byte order; without a comparator callback it is several times faster
    const keys = [...this.changes.keys()].sort();
    return keys.map((k) => [fromKey(k), this.changes.get(k) as Slot]);
  }
}

/** A StateReader over a plain map: genesis building and unit tests. */
export class MemoryState implements StateReader {
  constructor(private readonly map = new Map<string, Uint8Array>()) {}
  get(key: Uint8Array): Uint8Array | undefined {
    return this.map.get(toKey(key));
  }
  keys(prefix: Uint8Array, opts: { startAfter?: Uint8Array; limit?: number } = {}): Uint8Array[] {
    const out = [...this.map.keys()]
      .map(fromKey)
      .filter((k) => startsWith(k, prefix) && (!opts.startAfter || compareBytes(k, opts.startAfter) > 0))
      .sort(compareBytes);
    return opts.limit === undefined ? out : out.slice(0, opts.limit);
  }
  apply(changes: Iterable<[Uint8Array, Uint8Array | null]>): void {
    for (const [k, v] of changes) {
      if (v === null) this.map.delete(toKey(k));
      else this.map.set(toKey(k), v);
    }
  }
  entries(): Array<[Uint8Array, Uint8Array]> {
    return [...this.map.entries()].map(([k, v]) => [fromKey(k), v]);
  }
}
