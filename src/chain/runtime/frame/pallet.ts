/**
 * Pallet declarations: storage, calls, events, errors and constants declared once. The pallet builds
 * its Call/Event/Error enums from the declarations, so call indices, event indices and error
 * indices used at runtime are the very ones the metadata advertises.
 */
import { Codec, EnumCodec, type EnumValue, type FieldSpec, snakeToCamel } from "../../codec/scale.js";
import type { WeightValue } from "../../codec/types.js";
import type { AnyStorageItem } from "./storage.js";
import type { DispatchContext, HookContext } from "./dispatch.js";
import type { ReadAccess } from "../../state/types.js";
import { DispatchError } from "./dispatch.js";
import type { RuntimeApiFactory } from "./runtimeApi.js";

export type CallOrigin = "signed" | "root" | "none" | "any";

export interface CallDecl<A = any> {
  name: string;
  index: number;
  args: FieldSpec[];
  /** Which origin may dispatch; checked before `dispatch` runs (BadOrigin otherwise). */
  origin: CallOrigin;
  /** ref_time weight for these args (picoseconds of compute, as in FRAME). */
  weight: (args: A) => bigint;
  class?: "Normal" | "Operational" | "Mandatory";
  paysFee?: boolean;
  docs?: string[];
  dispatch: (ctx: DispatchContext, args: A) => void;
  /**
   * Pool-level guard run for signed extrinsics before inclusion (Subtensor's signed extension):
   * throw a TransactionValidityError (e.g. `invalid("ExhaustsResources")`, `customInvalid(n)`)
   * to refuse; return a priority to order the transaction. Runs in the pool and in the block.
   */
  validate?: (ctx: ValidateContext, args: A) => { priority?: bigint } | void;
}

export interface ValidateContext {
  state: ReadAccess;
  who: Uint8Array;
  /** number of the block the transaction would go into */
  current: number;
}

export interface EventDecl {
  name: string;
  index: number;
  fields: FieldSpec[];
  docs?: string[];
}

export interface ErrorDecl {
  name: string;
  docs?: string[];
}

export interface ConstantDecl {
  name: string;
  codec: Codec<any>;
  value: unknown;
  docs?: string[];
}

export interface PalletDecl {
  name: string;
  index: number;
  /** Rust crate name, used for the enum type paths clients see (e.g. pallet_balances). */
  crate: string;
  storage?: AnyStorageItem[];
  calls?: CallDecl[];
  events?: EventDecl[];
  /** In index order. */
  errors?: ErrorDecl[];
  constants?: ConstantDecl[];
  onInitialize?: (ctx: HookContext) => void;
  onFinalize?: (ctx: HookContext) => void;
  /** The runtime APIs this pallet serves (e.g. System's AccountNonceApi), beside its storage. */
  apis?: RuntimeApiFactory;
  docs?: string[];
}

export class Pallet {
  readonly name: string;
  readonly index: number;
  readonly storage: AnyStorageItem[];
  readonly calls: CallDecl[];
  readonly events: EventDecl[];
  readonly errors: ErrorDecl[];
  readonly constants: ConstantDecl[];
  readonly callCodec?: EnumCodec;
  readonly eventCodec?: EnumCodec;
  readonly errorCodec?: EnumCodec;
  private readonly callsByName = new Map<string, CallDecl>();
  private readonly errorIndex = new Map<string, number>();
  private readonly eventNames = new Set<string>();

  constructor(readonly decl: PalletDecl) {
    this.name = decl.name;
    this.index = decl.index;
    this.storage = decl.storage ?? [];
    this.calls = decl.calls ?? [];
    this.events = decl.events ?? [];
    this.errors = decl.errors ?? [];
    this.constants = decl.constants ?? [];
    for (const item of this.storage) item.bind(decl.name);
    const path = (what: string) => [decl.crate, "pallet", what];
    if (this.calls.length) {
      this.callCodec = new EnumCodec(
        this.calls.map((c) => ({ name: c.name, index: c.index, fields: c.args, docs: c.docs })),
        { path: path("Call"), params: [{ name: "T" }] },
      );
      for (const c of this.calls) this.callsByName.set(c.name, c);
    }
    if (this.events.length) {
      this.eventCodec = new EnumCodec(
        this.events.map((e) => ({ name: e.name, index: e.index, fields: e.fields, docs: e.docs })),
        { path: path("Event"), params: [{ name: "T" }] },
      );
      for (const e of this.events) this.eventNames.add(e.name);
    }
    if (this.errors.length) {
      this.errorCodec = new EnumCodec(
        this.errors.map((e, i) => ({ name: e.name, index: i, docs: e.docs })),
        { path: path("Error"), params: [{ name: "T" }] },
      );
      this.errors.forEach((e, i) => this.errorIndex.set(e.name, i));
    }
  }

  call(name: string): CallDecl {
    const c = this.callsByName.get(name);
    if (!c) throw new Error(`${this.name} has no call ${name}`);
    return c;
  }

  /** The DispatchError for one of this pallet's errors: Module { index, error: [i, 0, 0, 0] }. */
  error(name: string): DispatchError {
    const i = this.errorIndex.get(name);
    if (i === undefined) throw new Error(`${this.name} has no error ${name}`);
    return new DispatchError({ tag: "Module", value: { index: this.index, error: new Uint8Array([i, 0, 0, 0]) } }, `${this.name}.${name}`);
  }

  /** A RuntimeEvent value for one of this pallet's events (fields keyed by camelCase names). */
  event(name: string, fields?: Record<string, unknown> | unknown): EnumValue {
    if (!this.eventNames.has(name)) throw new Error(`${this.name} has no event ${name}`);
    return { tag: this.name, value: { tag: name, value: fields } };
  }

  /** Constant values by camelCase name, for runtime code that reads them. */
  constant<T>(name: string): T {
    const c = this.constants.find((k) => k.name === name || snakeToCamel(k.name) === name);
    if (!c) throw new Error(`${this.name} has no constant ${name}`);
    return c.value as T;
  }
}

export const weightOf = (refTime: bigint): WeightValue => ({ refTime, proofSize: 0n });
