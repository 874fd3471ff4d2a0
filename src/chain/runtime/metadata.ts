/**
 * Runtime metadata V14 and V15, built from the runtime's own declarations.
 *
 * Every type that goes into the portable registry comes from a codec's `.info` (scale.ts), so the
 * metadata clients decode with is derived from the very codecs the node encodes with. The bytes are
 * produced by @polkadot/types (as a plain SCALE encoder), which makes them exactly what
 * polkadot-js and py-scalecodec expect (reference/polkadot-js-compat.md §3).
 */
import { Metadata, TypeRegistry } from "@polkadot/types";
import { u8aToHex } from "@polkadot/util";
import { Codec, bytes, newtype, struct, type TypeInfo } from "../codec/scale.js";
import { MultiAddress, MultiSignature } from "../codec/types.js";
import { EXTRINSIC_VERSION, ExtraCodec, SIGNED_EXTENSIONS } from "../codec/extrinsic.js";
import type { Pallet } from "./frame/pallet.js";
import type { RuntimeDefinition } from "./frame/runtime.js";
import type { RuntimeApiDecl, RuntimeApiMethodDecl } from "./frame/runtimeApi.js";
import type { ConstantDecl } from "./frame/pallet.js";
import { RuntimeVersionCodec } from "./api/codecs.js";
import { runtimeVersionValue } from "./api/ids.js";

// ------------------------------------------------------------------ public declarations

export type { RuntimeApiDecl, RuntimeApiMethodDecl };

/** The @polkadot/types object form of one portable registry entry (Si1Type with its id). */
export interface PortableType {
  id: number;
  type: {
    path: string[];
    params: { name: string; type: number | null }[];
    def: PortableTypeDef;
    docs: string[];
  };
}

export interface PortableField {
  name: string | null;
  type: number;
  typeName: string | null;
  docs: string[];
}

export type PortableTypeDef =
  | { Primitive: string }
  | { Compact: { type: number } }
  | { Sequence: { type: number } }
  | { Array: { len: number; type: number } }
  | { Tuple: number[] }
  | { Composite: { fields: PortableField[] } }
  | { Variant: { variants: { name: string; fields: PortableField[]; index: number; docs: string[] }[] } };

// ------------------------------------------------------------------ the type table

/** Equivalence class of codecs that describe the same type: one entry of the registry. */
interface TypeClass {
  /** internal serial, used in structural keys before the final id is known */
  readonly uid: number;
  /** final registry id, assigned in first-visit order; -1 until assigned */
  id: number;
  /** the first codec (in visit order) of this class: its info is what the registry shows */
  readonly rep: TypeNode;
}

interface TypeNode {
  readonly codec: Codec<unknown>;
  readonly info: TypeInfo;
  readonly children: Codec<unknown>[];
  /** Tarjan bookkeeping (strongly connected components = recursive types) */
  readonly index: number;
  low: number;
  onStack: boolean;
  cls?: TypeClass;
}

const PRIMITIVE_NAME: Record<string, string> = {
  bool: "Bool",
  char: "Char",
  str: "Str",
  u8: "U8",
  u16: "U16",
  u32: "U32",
  u64: "U64",
  u128: "U128",
  u256: "U256",
  i8: "I8",
  i16: "I16",
  i32: "I32",
  i64: "I64",
  i128: "I128",
  i256: "I256",
};

/** Codecs a type refers to (params first, then its definition, as scale-info registers them). */
function childCodecs(info: TypeInfo): Codec<unknown>[] {
  const out: Codec<unknown>[] = [];
  for (const p of info.params) if (p.type) out.push(p.type);
  const d = info.def;
  switch (d.kind) {
    case "primitive":
      break;
    case "compact":
    case "sequence":
    case "array":
      out.push(d.inner);
      break;
    case "tuple":
      out.push(...d.items);
      break;
    case "composite":
      for (const f of d.fields) out.push(f.type);
      break;
    case "variant":
      for (const v of d.variants) for (const f of v.fields) out.push(f.type);
      break;
  }
  return out;
}

const orNull = (s: string | undefined): string | null => (s === undefined || s === "" ? null : s);

/** The portable (object) form of a type, with child codecs mapped to numbers by `ref`. */
function toPortable(info: TypeInfo, ref: (c: Codec<unknown>) => number): PortableType["type"] {
  const field = (f: { name?: string; type: Codec<unknown>; typeName?: string; docs?: string[] }): PortableField => ({
    name: orNull(f.name),
    type: ref(f.type),
    typeName: orNull(f.typeName),
    docs: f.docs ?? [],
  });
  const d = info.def;
  let def: PortableTypeDef;
  switch (d.kind) {
    case "primitive": {
      const name = PRIMITIVE_NAME[d.primitive];
      if (!name) throw new Error(`metadata: unknown primitive ${d.primitive}`);
      def = { Primitive: name };
      break;
    }
    case "compact":
      def = { Compact: { type: ref(d.inner) } };
      break;
    case "sequence":
      def = { Sequence: { type: ref(d.inner) } };
      break;
    case "array":
      def = { Array: { len: d.len, type: ref(d.inner) } };
      break;
    case "tuple":
      def = { Tuple: d.items.map(ref) };
      break;
    case "composite":
      def = { Composite: { fields: d.fields.map(field) } };
      break;
    case "variant":
      def = {
        Variant: {
          variants: d.variants.map((v) => {
            if (!Number.isInteger(v.index) || v.index < 0 || v.index > 255) throw new Error(`metadata: variant ${v.name} has index ${v.index} (not a u8)`);
            return { name: v.name, fields: v.fields.map(field), index: v.index, docs: v.docs ?? [] };
          }),
        },
      };
      break;
  }
  return {
    path: [...info.path],
    params: info.params.map((p) => ({ name: p.name, type: p.type ? ref(p.type) : null })),
    def,
    docs: [...info.docs],
  };
}

/**
 * A portable type registry built by walking codecs.
 *
 * - Codecs are identified by `resolve()` (a lazy codec is its target), so recursive types such as
 *   RuntimeCall → Sudo call → RuntimeCall terminate.
 * - Codecs that are distinct objects but describe the same type (the many `tuple()` units, `bytes`
 *   and `vec(u8)`, a multi-key storage tuple built on each `keyCodec()` call, two `option(x)` of
 *   equivalent x…) share one entry, as scale-info would give them (it dedups by Rust type).
 *   Structural merging applies to non-recursive types; members of a recursive cycle are only
 *   deduplicated by identity.
 * - Ids are assigned in first-visit (pre-order) order and never change afterwards, so `id()`
 *   can be called at any time and `types()` is always a consistent, dense registry 0..n-1.
 */
export class TypeTable {
  private readonly nodes = new Map<Codec<unknown>, TypeNode>();
  private readonly byKey = new Map<string, TypeClass>();
  private readonly classes: TypeClass[] = [];
  private nextUid = 0;
  private nextIndex = 0;
  private stack: TypeNode[] = [];
  private fresh: TypeNode[] = [];

  /** The registry id of a codec's type, registering it (and everything it refers to) if needed. */
  id(codec: Codec<unknown>): number {
    const target = codec.resolve();
    const known = this.nodes.get(target);
    if (known) {
      if (!known.cls || known.cls.id < 0) throw new Error("TypeTable.id() called re-entrantly");
      return known.cls.id;
    }
    this.fresh = [];
    this.stack = [];
    const node = this.visit(target);
    // new classes get their ids in the pre-order of their first member
    for (const n of this.fresh) {
      const cls = n.cls!;
      if (cls.id < 0) {
        cls.id = this.classes.length;
        this.classes.push(cls);
      }
    }
    this.fresh = [];
    return node.cls!.id;
  }

  /** Number of registered types (ids are 0..size-1). */
  get size(): number {
    return this.classes.length;
  }

  /** The registry in the @polkadot/types object form, in id order. */
  types(): PortableType[] {
    const ref = (c: Codec<unknown>): number => {
      const n = this.nodes.get(c.resolve());
      if (!n?.cls || n.cls.id < 0) throw new Error("TypeTable: unregistered child type");
      return n.cls.id;
    };
    return this.classes.map((cls) => ({ id: cls.id, type: toPortable(cls.rep.info, ref) }));
  }

  private visit(codec: Codec<unknown>): TypeNode {
    const info = codec.info;
    const node: TypeNode = { codec, info, children: childCodecs(info), index: this.nextIndex, low: this.nextIndex, onStack: true };
    this.nextIndex++;
    this.nodes.set(codec, node);
    this.stack.push(node);
    this.fresh.push(node);

    let selfLoop = false;
    for (const child of node.children) {
      const target = child.resolve();
      if (target === codec) selfLoop = true;
      const n = this.nodes.get(target);
      if (!n) {
        const visited = this.visit(target);
        node.low = Math.min(node.low, visited.low);
      } else if (n.onStack) {
        node.low = Math.min(node.low, n.index);
      }
    }

    if (node.low === node.index) {
      const scc: TypeNode[] = [];
      let m: TypeNode;
      do {
        m = this.stack.pop()!;
        m.onStack = false;
        scc.push(m);
      } while (m !== node);
      if (scc.length === 1 && !selfLoop) {
        // every child is finished and classified: merge with an equal type seen before, if any
        const key = JSON.stringify(toPortable(info, (c) => this.nodes.get(c.resolve())!.cls!.uid));
        let cls = this.byKey.get(key);
        if (!cls) {
          cls = { uid: this.nextUid++, id: -1, rep: node };
          this.byKey.set(key, cls);
        }
        node.cls = cls;
      } else {
        for (const member of scc) member.cls = { uid: this.nextUid++, id: -1, rep: member };
      }
    }
    return node;
  }
}

// ------------------------------------------------------------------ metadata

/** `sp_runtime::generic::unchecked_extrinsic::UncheckedExtrinsic`: opaque bytes plus the 4 params clients read. */
const extrinsicTypes = new WeakMap<RuntimeDefinition, Codec<Uint8Array>>();

export function uncheckedExtrinsicType(runtime: RuntimeDefinition): Codec<Uint8Array> {
  // one codec object per runtime: runtime API dispatch recognizes extrinsic inputs by identity
  let codec = extrinsicTypes.get(runtime);
  if (!codec) extrinsicTypes.set(runtime, (codec = makeExtrinsicType(runtime)));
  return codec;
}

function makeExtrinsicType(runtime: RuntimeDefinition): Codec<Uint8Array> {
  return newtype(bytes, {
    path: ["sp_runtime", "generic", "unchecked_extrinsic", "UncheckedExtrinsic"],
    params: [
      { name: "Address", type: MultiAddress as Codec<unknown> },
      { name: "Call", type: runtime.callCodec as Codec<unknown> },
      { name: "Signature", type: MultiSignature as Codec<unknown> },
      { name: "Extra", type: ExtraCodec as Codec<unknown> },
    ],
    docs: ["UncheckedExtrinsic raw bytes, requires custom decoding routine"],
  });
}

/** `<runtime crate>::Runtime`: the unit struct `construct_runtime!` declares. */
export function runtimeType(runtime: RuntimeDefinition): Codec<Record<string, never>> {
  return struct<Record<string, never>>([], { path: [runtime.runtimeCrate, "Runtime"] });
}

export interface BuiltMetadata {
  /** "meta" ++ 0x0e ++ MetadataV14 */
  v14: Uint8Array;
  /** "meta" ++ 0x0f ++ MetadataV15 */
  v15: Uint8Array;
}

/** 0x6174656d: "meta" read as a little-endian u32 */
const MAGIC_NUMBER = 0x6174656d;

function assertUnique(what: string, names: string[]): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new Error(`metadata: duplicate ${what} ${n}`);
    seen.add(n);
  }
}

/**
 * System's `Version` constant (sp_version::RuntimeVersion), which frame_system declares and which
 * clients read from metadata: polkadot-api builds CheckSpecVersion/CheckTxVersion from it. It
 * depends on the whole runtime (its API list), so it is added here rather than in the pallet
 * declaration; Substrate's order puts it just before SS58Prefix.
 */
function constantsOf(p: Pallet, runtime: RuntimeDefinition, apis: RuntimeApiDecl[]): ConstantDecl[] {
  if (p.name !== "System" || p.constants.some((c) => c.name === "Version")) return p.constants;
  const version: ConstantDecl = { name: "Version", codec: RuntimeVersionCodec, value: runtimeVersionValue(runtime.version, apis), docs: ["Get the chain's in-code version."] };
  const at = p.constants.findIndex((c) => c.name === "SS58Prefix");
  return at < 0 ? [...p.constants, version] : [...p.constants.slice(0, at), version, ...p.constants.slice(at)];
}

function palletV14(p: Pallet, t: TypeTable, declared: ConstantDecl[]) {
  if (!Number.isInteger(p.index) || p.index < 0 || p.index > 255) throw new Error(`metadata: pallet ${p.name} has index ${p.index} (not a u8)`);
  assertUnique(`storage item in ${p.name}:`, p.storage.map((i) => i.name));
  assertUnique(`constant in ${p.name}:`, declared.map((c) => c.name));
  const items = p.storage.map((item) => {
    // the key prefix is twox128(pallet name): the metadata prefix must be the same name
    if (item.pallet !== p.name) throw new Error(`metadata: storage ${p.name}.${item.name} is bound to pallet "${item.pallet}"`);
    const m = item.metadata();
    const type =
      m.keys.length === 0
        ? { Plain: t.id(m.value) }
        : { Map: { hashers: m.keys.map((k) => k.hasher), key: t.id(item.keyCodec()), value: t.id(m.value) } };
    return { name: m.name, modifier: m.modifier, type, fallback: u8aToHex(m.fallback), docs: m.docs };
  });
  const calls = p.callCodec ? { type: t.id(p.callCodec) } : null;
  const events = p.eventCodec ? { type: t.id(p.eventCodec) } : null;
  const constants = declared.map((c) => ({
    name: c.name,
    type: t.id(c.codec),
    value: u8aToHex((c.codec as Codec<unknown>).encode(c.value)),
    docs: c.docs ?? [],
  }));
  const errors = p.errorCodec ? { type: t.id(p.errorCodec) } : null;
  return {
    name: p.name,
    storage: items.length ? { prefix: p.name, items } : null,
    calls,
    events,
    constants,
    errors,
    index: p.index,
  };
}

/**
 * Builds complete metadata V14 and V15 (magic + version + body) for a runtime. The V15 registry
 * extends the V14 one (same ids for shared types) with the runtime API and RuntimeError types.
 * Deterministic. Takes ~100–300 ms (mostly @polkadot/types building its objects): build once per
 * runtime and cache the bytes.
 */
export function buildMetadata(runtime: RuntimeDefinition, apis: RuntimeApiDecl[]): BuiltMetadata {
  assertUnique("pallet", runtime.pallets.map((p) => p.name));
  assertUnique("runtime API", apis.map((a) => a.name));
  const t = new TypeTable();

  const pallets = runtime.pallets.map((p) => palletV14(p, t, constantsOf(p, runtime, apis)));

  const extrinsicType = t.id(uncheckedExtrinsicType(runtime));
  const signedExtensions = SIGNED_EXTENSIONS.map((e) => ({
    identifier: e.identifier,
    type: t.id(e.type),
    additionalSigned: t.id(e.additionalSigned),
  }));
  const runtimeTypeId = t.id(runtimeType(runtime));
  const v14Types = t.types();

  // V15 additions (registered after the V14 set so V14's ids stay a prefix)
  const addressType = t.id(MultiAddress as Codec<unknown>);
  const callType = t.id(runtime.callCodec);
  const signatureType = t.id(MultiSignature as Codec<unknown>);
  const extraType = t.id(ExtraCodec as Codec<unknown>);
  const outerEnums = { callType, eventType: t.id(runtime.eventCodec), errorType: t.id(runtime.errorCodec) };
  const apiMeta = apis.map((api) => ({
    name: api.name,
    methods: api.methods.map((m) => ({
      name: m.name,
      inputs: m.inputs.map((i) => ({ name: i.name, type: t.id(i.type) })),
      output: t.id(m.output),
      docs: m.docs ?? [],
    })),
    docs: api.docs ?? [],
  }));
  const v15Types = t.types();

  const v14 = new Metadata(new TypeRegistry(), {
    magicNumber: MAGIC_NUMBER,
    metadata: {
      V14: {
        lookup: { types: v14Types },
        pallets,
        extrinsic: { type: extrinsicType, version: EXTRINSIC_VERSION, signedExtensions },
        type: runtimeTypeId,
      },
    },
  }).toU8a();

  const v15 = new Metadata(new TypeRegistry(), {
    magicNumber: MAGIC_NUMBER,
    metadata: {
      V15: {
        lookup: { types: v15Types },
        pallets: pallets.map((p, i) => ({ ...p, docs: runtime.pallets[i].decl.docs ?? [] })),
        extrinsic: { version: EXTRINSIC_VERSION, addressType, callType, signatureType, extraType, signedExtensions },
        type: runtimeTypeId,
        apis: apiMeta,
        outerEnums,
        custom: { map: new Map() },
      },
    },
  }).toU8a();

  return { v14, v15 };
}
