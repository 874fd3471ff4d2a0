/**
 * A Map-backed node store: tests, genesis construction, and anything that wants a throwaway trie.
 * Content-addressed, so writing the same hash twice is harmless.
 */
import { hashKey } from "./hashKey.js";
import type { TrieNodeStore } from "./trieDb.js";

export class MemoryNodeStore implements TrieNodeStore {
  private readonly nodes = new Map<string, Uint8Array>();

  get size(): number {
    return this.nodes.size;
  }

  get(hash: Uint8Array): Uint8Array | undefined {
    return this.nodes.get(hashKey(hash));
  }

  has(hash: Uint8Array): boolean {
    return this.nodes.has(hashKey(hash));
  }

  put(hash: Uint8Array, encoding: Uint8Array): void {
    this.nodes.set(hashKey(hash), encoding);
  }

  /** Stores a TrieUpdate's `newNodes`. */
  putAll(nodes: Iterable<readonly [Uint8Array, Uint8Array]>): void {
    for (const [hash, encoding] of nodes) this.put(hash, encoding);
  }

  delete(hash: Uint8Array): boolean {
    return this.nodes.delete(hashKey(hash));
  }

  /** (hex hash without 0x, encoding) pairs. */
  entries(): IterableIterator<[string, Uint8Array]> {
    return this.nodes.entries();
  }
}
