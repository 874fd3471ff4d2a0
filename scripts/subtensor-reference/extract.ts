/**
 * Reads classic Subtensor's source (pallet lib.rs, errors.rs, events.rs, root.rs, admin-utils
 * lib.rs, runtime lib.rs, as text) into the fixture sections. Pure functions of the texts; the
 * regular expressions follow the layout of Subtensor at de1026780 and fail loudly (RustReadError)
 * when something they need is missing, so a layout change cannot produce a silently empty fixture.
 */
import { bracketed, evalRust, RustReadError, splitTop } from "./rust.js";
import type { CallEntry, EventEntry, FixtureValue, StorageEntry, SubtensorReference } from "./fixture.js";

export interface SubtensorSources {
  /** pallets/subtensor/src/lib.rs */
  lib: string;
  /** pallets/subtensor/src/errors.rs */
  errors: string;
  /** pallets/subtensor/src/events.rs */
  events: string;
  /** pallets/subtensor/src/root.rs */
  root: string;
  /** pallets/admin-utils/src/lib.rs */
  adminUtils: string;
  /** runtime/src/lib.rs */
  runtime: string;
}

function nonEmpty<T>(what: string, xs: T[]): T[] {
  if (xs.length === 0) throw new RustReadError(`found no ${what}`);
  return xs;
}

/** The runtime's `SubtensorInitial*` constants, keyed by the Config type that names them (`InitialTempo` → its expression). */
export function runtimeInitialValues(runtime: string): Map<string, string> {
  const consts = new Map([...runtime.matchAll(/pub const (SubtensorInitial\w+)\s*:\s*\w+\s*=\s*([^;]+);/g)].map((m) => [m[1], m[2]]));
  const out = new Map<string, string>();
  for (const m of runtime.matchAll(/type (Initial\w+) = (SubtensorInitial\w+);/g)) {
    const expr = consts.get(m[2]);
    if (expr === undefined) throw new RustReadError(`runtime constant ${m[2]} (for ${m[1]}) not found`);
    out.set(m[1], expr);
  }
  if (out.size === 0) throw new RustReadError("found no runtime Initial* configuration");
  return out;
}

/** The `#[pallet::type_value]` functions' bodies (the runtime value for `T::Initial…::get()` bodies). */
export function typeValueBodies(lib: string, initial: Map<string, string>): Map<string, string> {
  return new Map(
    [...lib.matchAll(/pub fn (\w+)<T: Config>\(\) -> [^{]+\{([\s\S]*?)\n {4}\}/g)].map((m): [string, string] => {
      const body = m[2];
      const fromConfig = /T::(Initial\w+)::get\(\)/.exec(body);
      if (fromConfig) {
        const expr = initial.get(fromConfig[1]);
        if (expr === undefined) throw new RustReadError(`${m[1]} reads T::${fromConfig[1]}, which the runtime does not set`);
        return [m[1], expr];
      }
      // DefaultNetworkRateLimit returns 0 only in pow-faucet builds: the production value counts
      return [m[1], body.replace(/if cfg!\([\s\S]*?\}\s*/, "").replace(/\.expect\([\s\S]*$/, "")];
    }),
  );
}

export function extractStorage(lib: string, typeValues: Map<string, string>): StorageEntry[] {
  const re = /#\[pallet::storage\][^\n]*\n(?:\s*\/\/\/[^\n]*\n)*\s*pub(?:\(super\))? type (\w+)<[^>]*>\s*=\s*(Storage\w+)<([\s\S]*?)>;\n/g;
  return nonEmpty(
    "storage items",
    [...lib.matchAll(re)].map((m): StorageEntry => {
      const kind = m[2] as StorageEntry["kind"];
      const args = splitTop(m[3].replace(/\s+/g, " "));
      const n = kind === "StorageValue" ? 0 : kind === "StorageMap" ? 1 : 2;
      const keys = Array.from({ length: n }, (_, k) => ({ hasher: args[1 + 2 * k], type: args[2 + 2 * k] }));
      const query = (args[2 + 2 * n] ?? "ValueQuery") as StorageEntry["query"];
      const defaultFn = args[3 + 2 * n]?.replace(/<T>$/, "");
      let defaultValue: StorageEntry["default"] = null;
      if (query === "ValueQuery" && defaultFn) {
        const body = typeValues.get(defaultFn);
        if (body === undefined) throw new RustReadError(`${m[1]}: default ${defaultFn} not found`);
        defaultValue = { fn: defaultFn, value: evalRust(body) };
      }
      return { name: m[1], kind, keys, value: args[1 + 2 * n].replace(/InfoOf$/, "Info"), query, default: defaultValue };
    }),
  );
}

/** Variant names of the `pub enum Error` in errors.rs (one per line, 8 spaces in). */
export function extractErrors(errors: string): string[] {
  return nonEmpty("errors", [...errors.matchAll(/^\s{8}([A-Z]\w*),\s*$/gm)].map((m) => m[1]));
}

export function extractEvents(events: string): EventEntry[] {
  const start = events.indexOf("pub enum Event");
  if (start < 0) throw new RustReadError("pub enum Event not found");
  const body = events.slice(start);
  return nonEmpty(
    "events",
    [...body.matchAll(/^\s{8}([A-Z]\w*)(\(([^)]*)\)|\s*\{([\s\S]*?)\n\s{8}\})?,?\s*$/gm)].map((m, index): EventEntry => ({
      index,
      name: m[1],
      fields: m[3] !== undefined ? splitTop(m[3]) : [...(m[4] ?? "").matchAll(/^\s+(\w+):\s*([^,]+),/gm)].map((f) => `${f[1]}: ${f[2].trim()}`),
    })),
  );
}

/** Every `#[pallet::constant]` of the pallet's Config, in order, with the runtime's value. */
export function extractConstants(lib: string, initial: Map<string, string>): SubtensorReference["constants"] {
  const from = lib.indexOf("pub trait Config");
  const to = lib.indexOf("pub type AccountIdOf");
  if (from < 0 || to < 0) throw new RustReadError("pallet Config not found");
  const config = lib.slice(from, to);
  return nonEmpty(
    "pallet constants",
    [...config.matchAll(/#\[pallet::constant\]\s*type (\w+): Get<(\w+)>;/g)].map((m) => {
      const expr = initial.get(m[1]);
      if (expr === undefined) throw new RustReadError(`constant ${m[1]}: no runtime value`);
      return { name: m[1], type: m[2], value: evalRust(expr) };
    }),
  );
}

/**
 * `#[pallet::weight(W)]` (Normal, Pays::Yes) or `#[pallet::weight((W, DispatchClass::C, Pays::P))]`;
 * a class computed at run time (e.g. the wrapped call's) is kept as its expression.
 */
function dispatchClassAndPays(call: string, attributes: string): Pick<CallEntry, "class" | "pays"> {
  const at = attributes.indexOf("#[pallet::weight(");
  if (at < 0) throw new RustReadError(`${call}: no weight attribute`);
  const inner = bracketed(attributes, at + "#[pallet::weight".length).trim();
  const parts = inner.startsWith("(") && bracketed(inner, 0).length === inner.length - 2 ? splitTop(bracketed(inner, 0)) : [inner];
  const cls = parts[1]?.replace(/\s+/g, "");
  const pays = parts[2]?.replace(/\s+/g, "") ?? "Pays::Yes";
  if (pays !== "Pays::Yes" && pays !== "Pays::No") throw new RustReadError(`${call}: unknown Pays ${pays}`);
  return {
    class: cls === undefined ? "Normal" : (/^DispatchClass::(\w+)$/.exec(cls)?.[1] ?? cls),
    pays: pays === "Pays::No" ? "No" : "Yes",
  };
}

/**
 * The dispatchable calls: `#[pallet::call_index(n)]`, the weight attribute's DispatchClass and
 * Pays, then `pub fn name(origin: OriginFor<T>, arg: Type, …)`.
 */
export function extractCalls(lib: string): CallEntry[] {
  const calls: CallEntry[] = [];
  for (const m of lib.matchAll(/#\[pallet::call_index\((\d+)\)\]/g)) {
    const rest = lib.slice(m.index! + m[0].length);
    const fn = /pub fn (\w+)\s*\(/.exec(rest);
    if (!fn) throw new RustReadError(`call_index(${m[1]}) has no function`);
    const attributes = rest.slice(0, fn.index);
    const params = splitTop(bracketed(rest, fn.index + fn[0].length - 1).replace(/\s+/g, " "));
    if (!/^origin: (OriginFor<T>|T::RuntimeOrigin)$/.test(params[0] ?? "")) throw new RustReadError(`${fn[1]}: the first parameter is not the origin`);
    const args = params.slice(1).map((p) => {
      const compact = p.startsWith("#[pallet::compact]");
      const a = /^(\w+):\s*(.+)$/.exec(p.replace("#[pallet::compact]", "").trim());
      if (!a) throw new RustReadError(`${fn[1]}: cannot read parameter "${p}"`);
      return { name: a[1], type: compact ? `Compact<${a[2]}>` : a[2] };
    });
    calls.push({ index: Number(m[1]), name: fn[1], args, ...dispatchClassAndPays(fn[1], attributes) });
  }
  return nonEmpty("calls", calls);
}

export function extractAdminUtils(adminUtils: string): SubtensorReference["adminUtils"] {
  const from = adminUtils.indexOf("pub enum Error<T>");
  if (from < 0) throw new RustReadError("admin-utils: pub enum Error not found");
  const body = adminUtils.slice(from, adminUtils.indexOf("}", from));
  return {
    errors: nonEmpty("admin-utils errors", [...body.matchAll(/^\s{8}([A-Z]\w*),\s*$/gm)].map((m) => m[1])),
    eventEnumEmpty: /pub enum Event<T: Config> \{\}/.test(adminUtils),
  };
}

/** root.rs `init_new_network`'s explicit `set_*(netuid, value)` calls, and the tempo register_network gives it. */
export function extractInitNewNetwork(root: string): SubtensorReference["initNewNetwork"] {
  const from = root.indexOf("pub fn init_new_network");
  const to = root.indexOf("// Make network parameters explicit.", from);
  if (from < 0 || to < 0) throw new RustReadError("root.rs: init_new_network not found");
  const setters: Record<string, FixtureValue> = {};
  for (const m of root.slice(from, to).matchAll(/Self::(set_\w+)\(netuid, ([^)]+)\);/g)) setters[m[1]] = evalRust(m[2]);
  const tempo = /Self::init_new_network\(netuid_to_register, (\d+)\)/.exec(root);
  if (!tempo) throw new RustReadError("root.rs: init_new_network(netuid_to_register, tempo) not found");
  return { setters, registerNetworkTempo: Number(tempo[1]) };
}

/** The whole fixture from the sources of one commit. */
export function extractReference(src: SubtensorSources, source: SubtensorReference["source"]): SubtensorReference {
  const initial = runtimeInitialValues(src.runtime);
  const typeValues = typeValueBodies(src.lib, initial);
  return {
    source,
    storage: extractStorage(src.lib, typeValues),
    errors: extractErrors(src.errors),
    events: extractEvents(src.events),
    constants: extractConstants(src.lib, initial),
    calls: extractCalls(src.lib),
    adminUtils: extractAdminUtils(src.adminUtils),
    initNewNetwork: extractInitNewNetwork(src.root),
  };
}
