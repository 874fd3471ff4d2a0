/**
 * The assembled runtime: pallets in index order, and the outer enums built from them
 * (RuntimeCall, RuntimeEvent, RuntimeError) plus EventRecord. Everything else (metadata,
 * dispatch, extrinsic decoding) reads from this one object.
 */
import { EnumCodec, struct, vec, type Codec, type EnumValue, lazy } from "../../codec/scale.js";
import { H256, Phase } from "../../codec/types.js";
import type { CallDecl, Pallet } from "./pallet.js";
import type { RuntimeDiagnostic, RuntimeDiagnosticsSink } from "./dispatch.js";

export type { RuntimeDiagnostic };

/**
 * What a runtime instance reports to its node outside the chain state: counters by kind and the
 * listeners the node attaches (its logger and metrics). Reporting never changes what a block
 * computes: the runtime has no logger, and these are not events (events are state, and what is
 * merely an implementation detail of this node, such as which exact Yuma path ran, must not be).
 */
export class RuntimeDiagnostics implements RuntimeDiagnosticsSink {
  private readonly counts = new Map<RuntimeDiagnostic["kind"], number>();
  private readonly listeners = new Set<(d: RuntimeDiagnostic) => void>();

  report(d: RuntimeDiagnostic): void {
    this.counts.set(d.kind, (this.counts.get(d.kind) ?? 0) + 1);
    for (const l of this.listeners) {
      try {
        l(d);
      } catch {
        // a listener's failure must never fail block execution
      }
    }
  }

  /** How many reports of `kind` this runtime instance has made (block executions, not blocks: a block authored and re-imported counts twice). */
  count(kind: RuntimeDiagnostic["kind"]): number {
    return this.counts.get(kind) ?? 0;
  }

  /** Calls `listener` on every report; returns the function that detaches it. */
  on(listener: (d: RuntimeDiagnostic) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

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
  /** reports to the node outside the state (RuntimeDiagnostics) */
  readonly diagnostics = new RuntimeDiagnostics();
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
