/**
 * Mutations of valid SCALE bytes for decoder fuzzing (fast-check): set, insert, delete and
 * truncate, and with `hostile` also a compact length prefix claiming ~2^30 or more items and
 * spliced-in random runs.
 */
import fc from "fast-check";

export type Mutation =
  | { kind: "set"; at: number; value: number }
  | { kind: "insert"; at: number; value: number }
  | { kind: "delete"; at: number }
  | { kind: "truncate"; at: number }
  | { kind: "bigLength"; at: number }
  | { kind: "splice"; at: number; bytes: Uint8Array };

export function byteMutationArb(o: { hostile?: boolean } = {}): fc.Arbitrary<Mutation> {
  const basic: Array<fc.Arbitrary<Mutation>> = [
    fc.record({ kind: fc.constant("set" as const), at: fc.nat(), value: fc.nat({ max: 255 }) }),
    fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), value: fc.nat({ max: 255 }) }),
    fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
    fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  ];
  if (!o.hostile) return fc.oneof(...basic);
  return fc.oneof(
    ...basic,
    fc.record({ kind: fc.constant("bigLength" as const), at: fc.nat() }),
    fc.record({ kind: fc.constant("splice" as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 40 }) }),
  );
}

/** `seed` with the mutations applied in order (positions taken modulo the current length). */
export function mutate(seed: Uint8Array, ms: readonly Mutation[]): Uint8Array {
  let b = [...seed];
  for (const m of ms) {
    const at = b.length ? m.at % b.length : 0;
    if (m.kind === "set" && b.length) b[at] = m.value;
    else if (m.kind === "insert") b.splice(at, 0, m.value);
    else if (m.kind === "delete") b.splice(at, 1);
    else if (m.kind === "truncate") b = b.slice(0, at);
    else if (m.kind === "bigLength") b.splice(at, 0, 0xff, 0xff, 0xff, 0xff, 0x03);
    else if (m.kind === "splice") b.splice(at, 0, ...m.bytes);
  }
  return Uint8Array.from(b);
}
