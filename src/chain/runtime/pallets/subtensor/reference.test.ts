/**
 * Cross-checks the declarations against the Rust source of classic Subtensor (commit de1026780)
 * read from the local git mirror: storage names, order, hashers, key/value types, ValueQuery vs
 * OptionQuery and defaults; error and event order; the runtime's Config values. Skipped when the
 * mirror is not present (e.g. on CI machines without it).
 */
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { Codec, type FieldSpec } from "../../../codec/scale.js";
import * as C from "./constants.js";
import { CLASSIC_ERROR_COUNT, SUBTENSOR_ERRORS } from "./errors.js";
import { CLASSIC_EVENT_COUNT, SUBTENSOR_EVENTS } from "./events.js";
import { CLASSIC_STORAGE_COUNT, SUBTENSOR_STORAGE } from "./storage.js";
import { SUBTENSOR_CONSTANTS } from "./pallet.js";
import { ADMIN_UTILS_ERRORS, CLASSIC_ADMIN_UTILS_ERROR_COUNT } from "../adminUtils/errors.js";

const MIRROR = "/work/.mirror/opentensor+subtensor/repo";
const COMMIT = "de1026780";
const haveMirror = existsSync(MIRROR);
const show = (path: string) => execFileSync("git", ["-C", MIRROR, "show", `${COMMIT}:${path}`], { maxBuffer: 64 << 20 }).toString();

/** Splits "a, B<c, d>, (e, f)" at top-level commas. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of s) {
    if (ch === "<" || ch === "(" || ch === "[") depth++;
    if (ch === ">" || ch === ")" || ch === "]") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter(Boolean);
}

/** The Rust spelling of one of our codecs, as written in lib.rs. */
function rustType(c: Codec<unknown>): string {
  const info = c.resolve().info;
  if (info.path.length) {
    const n = info.path[info.path.length - 1];
    return n === "AccountId32" ? "T::AccountId" : n;
  }
  const d = info.def;
  if (d.kind === "primitive") return d.primitive;
  if (d.kind === "sequence") return `Vec<${rustType(d.inner)}>`;
  if (d.kind === "tuple") return `(${d.items.map(rustType).join(", ")})`;
  return d.kind;
}

/** Evaluates the constant expressions that appear in type_value bodies and runtime parameter_types. */
function evalRust(expr: string): unknown {
  const e = expr.replace(/\/\/.*$/gm, "").replace(/\s+/g, " ").trim();
  if (e === "vec![]") return [];
  if (e === "true" || e === "false") return e === "true";
  if (e.includes("TrailingZeroInput")) return new Uint8Array(32);
  const tuple = /^\((.*)\)$/.exec(e);
  if (tuple) return splitTop(tuple[1]).map((x) => evalRust(x));
  const num = (x: string): bigint => {
    x = x.trim();
    if (x === "u64::MAX") return (1n << 64n) - 1n;
    if (x === "u16::MAX") return 65535n;
    return BigInt(x.replace(/_/g, "").replace(/u\d+$/, ""));
  };
  const bin = /^(.+?)\s*([*/])\s*(.+)$/.exec(e);
  if (bin) return bin[2] === "*" ? num(bin[1]) * num(bin[3]) : num(bin[1]) / num(bin[3]);
  return num(e);
}

/** Our value in the same shape evalRust produces (bigints for integers). */
function normalize(v: unknown): unknown {
  if (typeof v === "number") return BigInt(v);
  if (Array.isArray(v)) return v.map(normalize);
  return v;
}

describe.skipIf(!haveMirror)(`declarations match Subtensor ${COMMIT}`, () => {
  const lib = haveMirror ? show("pallets/subtensor/src/lib.rs") : "";
  const runtime = haveMirror ? show("runtime/src/lib.rs") : "";
  const runtimeConsts = new Map([...runtime.matchAll(/pub const (SubtensorInitial\w+)\s*:\s*\w+\s*=\s*([^;]+);/g)].map((m) => [m[1], m[2]]));
  const configTypes = new Map([...runtime.matchAll(/type (Initial\w+) = (SubtensorInitial\w+);/g)].map((m) => [m[1], m[2]]));
  const typeValues = new Map(
    [...lib.matchAll(/pub fn (\w+)<T: Config>\(\) -> [^{]+\{([\s\S]*?)\n {4}\}/g)].map((m) => {
      const body = m[2];
      const initial = /T::(Initial\w+)::get\(\)/.exec(body);
      if (initial) return [m[1], runtimeConsts.get(configTypes.get(initial[1])!)!];
      // DefaultNetworkRateLimit returns 0 only in pow-faucet builds
      return [m[1], body.replace(/if cfg!\([\s\S]*?\}\s*/, "").replace(/\.expect\([\s\S]*$/, "")];
    }),
  );
  const items = [
    ...lib.matchAll(/#\[pallet::storage\][^\n]*\n(?:\s*\/\/\/[^\n]*\n)*\s*pub(?:\(super\))? type (\w+)<[^>]*>\s*=\s*(Storage\w+)<([\s\S]*?)>;\n/g),
  ].map((m) => ({ name: m[1], kind: m[2], args: splitTop(m[3].replace(/\s+/g, " ")) }));

  it("storage: same items in the same order, hashers, key and value types, query kind and default", () => {
    expect(items).toHaveLength(CLASSIC_STORAGE_COUNT);
    items.forEach((r, i) => {
      const ours = SUBTENSOR_STORAGE[i];
      const md = ours.metadata();
      const n = r.kind === "StorageValue" ? 0 : r.kind === "StorageMap" ? 1 : 2;
      const keys = Array.from({ length: n }, (_, k) => ({ hasher: r.args[1 + 2 * k], type: r.args[2 + 2 * k] }));
      const value = r.args[1 + 2 * n].replace(/InfoOf$/, "Info");
      const query = r.args[2 + 2 * n] ?? "ValueQuery";
      const defaultFn = r.args[3 + 2 * n]?.replace(/<T>$/, "");
      expect({ name: ours.name, keys: ours.keyParts.map((k) => ({ hasher: k.hasher, type: rustType(k.codec) })), value: rustType(ours.value) }).toEqual({
        name: r.name,
        keys,
        value,
      });
      expect([r.name, md.modifier]).toEqual([r.name, query === "OptionQuery" ? "Optional" : "Default"]);
      if (query === "ValueQuery") {
        const ourDefault = normalize(ours.value.decode(md.fallback));
        const rustDefault = defaultFn ? evalRust(typeValues.get(defaultFn)!) : "(type default)";
        if (defaultFn) expect([r.name, ourDefault]).toEqual([r.name, rustDefault]);
        else expect([r.name, u8aIsZero(md.fallback)]).toEqual([r.name, true]);
      }
    });
  });

  it("errors: the classic enum in order", () => {
    const src = show("pallets/subtensor/src/errors.rs");
    const names = [...src.matchAll(/^\s{8}([A-Z]\w*),\s*$/gm)].map((m) => m[1]);
    expect(names).toHaveLength(CLASSIC_ERROR_COUNT);
    expect(SUBTENSOR_ERRORS.slice(0, CLASSIC_ERROR_COUNT).map((e) => e.name)).toEqual(names);
  });

  it("events: the classic enum in order, with the same field types", () => {
    const src = show("pallets/subtensor/src/events.rs");
    const body = src.slice(src.indexOf("pub enum Event"));
    const variants = [...body.matchAll(/^\s{8}([A-Z]\w*)(\(([^)]*)\)|\s*\{([\s\S]*?)\n\s{8}\})?,?\s*$/gm)].map((m) => ({
      name: m[1],
      fields:
        m[3] !== undefined
          ? splitTop(m[3])
          : [...(m[4] ?? "").matchAll(/^\s+(\w+):\s*([^,]+),/gm)].map((f) => `${f[1]}: ${f[2].trim()}`),
    }));
    expect(variants).toHaveLength(CLASSIC_EVENT_COUNT);
    variants.forEach((v, i) => {
      const ours = SUBTENSOR_EVENTS[i];
      const fields = (ours.fields as unknown as Array<Codec<unknown> | FieldSpec>).map((f) =>
        f instanceof Codec ? rustType(f) : `${f.name}: ${rustType(f.type)}`,
      );
      const rustFields = v.fields.map((f) => (f === "DispatchResult" ? "Result" : f));
      expect({ index: ours.index, name: ours.name, fields }).toEqual({ index: i, name: v.name, fields: rustFields });
    });
  });

  it("admin-utils errors: the classic enum in order", () => {
    const src = show("pallets/admin-utils/src/lib.rs");
    const errBody = src.slice(src.indexOf("pub enum Error<T>"), src.indexOf("}", src.indexOf("pub enum Error<T>")));
    const names = [...errBody.matchAll(/^\s{8}([A-Z]\w*),\s*$/gm)].map((m) => m[1]);
    expect(names).toHaveLength(CLASSIC_ADMIN_UTILS_ERROR_COUNT);
    expect(ADMIN_UTILS_ERRORS.slice(0, CLASSIC_ADMIN_UTILS_ERROR_COUNT).map((e) => e.name)).toEqual(names);
    // the classic Event enum is empty
    expect(/pub enum Event<T: Config> \{\}/.test(src)).toBe(true);
  });

  it("constants: every pallet::constant of Config, in order, with the runtime's value", () => {
    const config = lib.slice(lib.indexOf("pub trait Config"), lib.indexOf("pub type AccountIdOf"));
    const names = [...config.matchAll(/#\[pallet::constant\]\s*type (\w+): Get<(\w+)>;/g)].map((m) => ({ name: m[1], type: m[2] }));
    expect(SUBTENSOR_CONSTANTS.map((c) => ({ name: c.name, type: rustType(c.codec) }))).toEqual(names);
    for (const c of SUBTENSOR_CONSTANTS) {
      const rustValue = evalRust(runtimeConsts.get(configTypes.get(c.name)!)!);
      expect([c.name, normalize(c.value)]).toEqual([c.name, rustValue]);
      expect(C[c.name as keyof typeof C]).toBe(c.value);
    }
  });

  it("init_new_network writes the values constants.ts names", () => {
    const root = show("pallets/subtensor/src/root.rs");
    const init = root.slice(root.indexOf("pub fn init_new_network"), root.indexOf("// Make network parameters explicit.", root.indexOf("pub fn init_new_network")));
    const calls = new Map([...init.matchAll(/Self::(set_\w+)\(netuid, ([^)]+)\);/g)].map((m) => [m[1], evalRust(m[2])]));
    expect(Object.fromEntries(calls)).toEqual({
      set_network_registration_allowed: true,
      set_max_allowed_uids: BigInt(C.NEW_SUBNET_MAX_ALLOWED_UIDS),
      set_max_allowed_validators: BigInt(C.NEW_SUBNET_MAX_ALLOWED_VALIDATORS),
      set_min_allowed_weights: BigInt(C.NEW_SUBNET_MIN_ALLOWED_WEIGHTS),
      set_max_weight_limit: BigInt(C.NEW_SUBNET_MAX_WEIGHTS_LIMIT),
      set_adjustment_interval: BigInt(C.NEW_SUBNET_ADJUSTMENT_INTERVAL),
      set_target_registrations_per_interval: BigInt(C.NEW_SUBNET_TARGET_REGISTRATIONS_PER_INTERVAL),
      set_adjustment_alpha: C.NEW_SUBNET_ADJUSTMENT_ALPHA,
      set_immunity_period: BigInt(C.NEW_SUBNET_IMMUNITY_PERIOD),
      set_min_burn: C.NEW_SUBNET_MIN_BURN,
      set_min_difficulty: C.NEW_SUBNET_MIN_DIFFICULTY,
      set_max_difficulty: C.NEW_SUBNET_MAX_DIFFICULTY,
    });
    expect(/Self::init_new_network\(netuid_to_register, (\d+)\)/.exec(root)![1]).toBe(String(C.NEW_SUBNET_TEMPO));
  });
});

function u8aIsZero(b: Uint8Array): boolean {
  return b.every((x) => x === 0);
}
