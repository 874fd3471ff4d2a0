/**
 * The assembled runtime: pallets in index order, and the outer enums built from them
 * (RuntimeCall, RuntimeEvent, RuntimeError) plus EventRecord. Everything else (metadata,
 * dispatch, extrinsic decoding) reads from this one object.
 */
import { EnumCodec, struct, vec, type Codec, type EnumValue, lazy } from "../../codec/scale.js";
import { H256, Phase } from "../../codec/types.js";
import type { CallDecl, Pallet } from "./pallet.js";

export interface RuntimeVersionInfo {
  specName: string;
  implName: string;
  authoringVersion: number;
  specVersion: number;
  implVersion: number;
  transactionVersion: number;
  /** 1: the state trie uses layout V1 (the extrinsics root stays V0, as Substrate does for 1). */
  systemVersion: number;
}

export interface EventRecordValue {
  phase: EnumValue;
  event: EnumValue;
  topics: Uint8Array[];
}

export class RuntimeDefinition {
  readonly pallets: Pallet[];
  readonly callCodec: EnumCodec;
  readonly eventCodec: EnumCodec;
  readonly errorCodec: EnumCodec;
  readonly eventRecord: Codec<EventRecordValue & Record<string, unknown>>;
  readonly eventRecords: Codec<(EventRecordValue & Record<string, unknown>)[]>;
  private readonly byName = new Map<string, Pallet>();

  constructor(
    pallets: Pallet[],
    readonly version: RuntimeVersionInfo,
    /** what this instance was built for (chain parameters such as the slot duration) */
    readonly config: Readonly<{ faucet: boolean; slotDurationMs: number }> = { faucet: true, slotDurationMs: 12_000 },
    /** crate prefix of the outer enums' paths, e.g. node_subtensor_runtime */
    readonly runtimeCrate = "node_subtensor_runtime",
  ) {
    this.pallets = [...pallets].sort((a, b) => a.index - b.index);
    const seen = new Set<number>();
    for (const p of this.pallets) {
      if (seen.has(p.index)) throw new Error(`duplicate pallet index ${p.index}`);
      seen.add(p.index);
      this.byName.set(p.name, p);
    }
    const outer = (what: string, pick: (p: Pallet) => Codec<unknown> | undefined) =>
      new EnumCodec(
        this.pallets.filter((p) => pick(p)).map((p) => ({ name: p.name, index: p.index, fields: [pick(p)!] })),
        { path: [runtimeCrate, what] },
      );
    this.callCodec = outer("RuntimeCall", (p) => p.callCodec);
    this.eventCodec = outer("RuntimeEvent", (p) => p.eventCodec);
    this.errorCodec = outer("RuntimeError", (p) => p.errorCodec);
    this.eventRecord = struct<EventRecordValue & Record<string, unknown>>(
      [
        { name: "phase", type: Phase, typeName: "Phase" },
        { name: "event", type: this.eventCodec, typeName: "E" },
        { name: "topics", type: vec(H256), typeName: "Vec<T>" },
      ],
      { path: ["frame_system", "EventRecord"], params: [{ name: "E", type: this.eventCodec }, { name: "T", type: H256 }] },
    );
    this.eventRecords = vec(this.eventRecord);
  }

  pallet(name: string): Pallet {
    const p = this.byName.get(name);
    if (!p) throw new Error(`no pallet ${name}`);
    return p;
  }

  /**
   * The declaration, arguments and weight of a decoded RuntimeCall ({ tag: pallet, value: { tag:
   * call, value: args } }): what fee queries need (TransactionPayment's runtime APIs).
   */
  callInfo(call: EnumValue): { decl: CallDecl; args: Record<string, unknown>; weight: bigint } {
    const inner = call.value as EnumValue;
    const decl = this.pallet(call.tag).call(inner.tag);
    const args = (inner.value ?? {}) as Record<string, unknown>;
    return { decl, args, weight: decl.weight(args) };
  }
}

/** For pallets whose calls contain a RuntimeCall (Sudo): resolved once the runtime exists. */
export function runtimeCallRef(get: () => RuntimeDefinition): Codec<EnumValue> {
  return lazy(() => get().callCodec);
}
