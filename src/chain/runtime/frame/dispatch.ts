/** What a call's dispatch function and a pallet hook receive, and the error a dispatch fails with. */
import type { EnumValue } from "../../codec/scale.js";
import type { StorageAccess } from "../../state/types.js";

export type Origin = { kind: "signed"; who: Uint8Array } | { kind: "root" } | { kind: "none" };

/** A decoded RuntimeCall: { tag: pallet name, value: { tag: call name, value: args } }. */
export type RuntimeCallValue = EnumValue<EnumValue<Record<string, unknown>>>;

/** Block-level facts visible to the runtime (never wall-clock time: the timestamp inherent sets it). */
export interface BlockEnv {
  number: number;
  parentHash: Uint8Array;
}

export interface HookContext {
  state: StorageAccess;
  block: BlockEnv;
  deposit(event: EnumValue): void;
  /**
   * Where runtime code reports what the node operator should know but the chain must not record
   * (it never touches state or events): e.g. an epoch computed on the reference Yuma path. The
   * runtime instance's RuntimeDiagnostics when executing blocks; absent in unit tests.
   */
  diagnostics?: RuntimeDiagnosticsSink;
}

/** Something a runtime reports to its node outside the state (see RuntimeDiagnostics). */
export type RuntimeDiagnostic = {
  kind: "yumaReferenceFallback";
  netuid: number;
  block: number;
  /** why the fast exact Yuma path refused the input */
  reason: string;
};

export interface RuntimeDiagnosticsSink {
  report(d: RuntimeDiagnostic): void;
}

export interface DispatchContext extends HookContext {
  origin: Origin;
  /** Dispatch a nested call (Sudo, Utility) with another origin, in the same state. */
  dispatchCall(call: RuntimeCallValue, origin: Origin): void;
}

/**
 * A dispatch failure. `error` is a value of sp_runtime::DispatchError (e.g. BadOrigin, or
 * Module { index, error }), which goes into ExtrinsicFailed exactly as Substrate encodes it.
 */
export class DispatchError extends Error {
  constructor(
    readonly error: EnumValue,
    message?: string,
  ) {
    super(message ?? error.tag);
    this.name = "DispatchError";
  }
}

export const BadOrigin = (): DispatchError => new DispatchError({ tag: "BadOrigin" });
export const ArithmeticOverflow = (): DispatchError => new DispatchError({ tag: "Arithmetic", value: { tag: "Overflow" } }, "Arithmetic.Overflow");
export const ArithmeticUnderflow = (): DispatchError => new DispatchError({ tag: "Arithmetic", value: { tag: "Underflow" } }, "Arithmetic.Underflow");

export function ensureSigned(origin: Origin): Uint8Array {
  if (origin.kind !== "signed") throw BadOrigin();
  return origin.who;
}

export function ensureRoot(origin: Origin): void {
  if (origin.kind !== "root") throw BadOrigin();
}

export function ensureNone(origin: Origin): void {
  if (origin.kind !== "none") throw BadOrigin();
}
