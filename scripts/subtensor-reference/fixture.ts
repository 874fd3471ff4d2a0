/**
 * The shape of test/fixtures/subtensor/*.json: what classic Subtensor's source declares, extracted
 * by ./extract.ts from a Subtensor checkout at one commit, so that the reference test compares our
 * declarations with it on any machine (no Subtensor checkout needed to run the tests).
 *
 * Values are JSON: integers as decimal strings (they exceed 2^53), byte arrays as 0x-hex, tuples
 * and vectors as arrays, booleans as booleans.
 */
export type FixtureValue = string | boolean | FixtureValue[];

export interface StorageEntry {
  name: string;
  kind: "StorageValue" | "StorageMap" | "StorageDoubleMap";
  keys: Array<{ hasher: string; type: string }>;
  /** the value type as written in lib.rs (`…InfoOf` aliases shortened to `…Info`) */
  value: string;
  query: "ValueQuery" | "OptionQuery";
  /** the `type_value` default and its evaluated value; null: the type's own default (zeroes) */
  default: { fn: string; value: FixtureValue } | null;
}

export interface EventEntry {
  index: number;
  name: string;
  /** tuple fields as types, named fields as `name: type` */
  fields: string[];
}

export interface CallEntry {
  index: number;
  name: string;
  /** arguments after `origin`, with their Rust types (`#[pallet::compact]` → `Compact<T>`) */
  args: Array<{ name: string; type: string }>;
  /** from the weight attribute: DispatchClass (default Normal) and Pays (default Yes) */
  class: string;
  pays: "Yes" | "No";
}

export interface SubtensorReference {
  source: { repository: string; commit: string; generator: string };
  storage: StorageEntry[];
  errors: string[];
  events: EventEntry[];
  /** every `#[pallet::constant]` of Config, with the runtime's value */
  constants: Array<{ name: string; type: string; value: FixtureValue }>;
  calls: CallEntry[];
  adminUtils: { errors: string[]; eventEnumEmpty: boolean };
  /** root.rs `init_new_network`: the setter calls and their values; the tempo register_network passes */
  initNewNetwork: { setters: Record<string, FixtureValue>; registerNetworkTempo: number };
}

/** Our value in the fixture's JSON form (numbers and bigints as decimal strings, bytes as 0x-hex). */
export function toFixtureValue(v: unknown): FixtureValue {
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (typeof v === "boolean") return v;
  if (v instanceof Uint8Array) return `0x${Buffer.from(v).toString("hex")}`;
  if (Array.isArray(v)) return v.map(toFixtureValue);
  throw new TypeError(`no fixture form for ${typeof v}: ${String(v)}`);
}

export class ReferenceFixtureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReferenceFixtureError";
  }
}

/**
 * Reads and checks a fixture file. A missing or malformed fixture is an error (the reference test
 * must fail, never skip): regenerate it with `npm run reference:subtensor`.
 */
export function parseReferenceFixture(text: string | undefined, path: string): SubtensorReference {
  if (text === undefined) throw new ReferenceFixtureError(`${path} is missing: regenerate it with \`npm run reference:subtensor\` from a Subtensor checkout`);
  const f = JSON.parse(text) as SubtensorReference;
  if (!/^[0-9a-f]{40}$/.test(f?.source?.commit ?? "")) throw new ReferenceFixtureError(`${path}: no Subtensor commit (source.commit)`);
  for (const k of ["storage", "errors", "events", "constants", "calls"] as const) {
    if (!Array.isArray(f[k]) || f[k].length === 0) throw new ReferenceFixtureError(`${path}: "${k}" is missing or empty`);
  }
  return f;
}
