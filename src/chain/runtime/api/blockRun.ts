/**
 * Running (part of) a block on top of the block a runtime API call is made at, the way Substrate's
 * BlockBuilder and Core APIs do inside one call: in an overlay that is thrown away afterwards.
 */
import type { EnumValue } from "../../codec/scale.js";
import type { Header } from "../../codec/types.js";
import type { Extrinsic } from "../../codec/extrinsic.js";
import { StateOverlay } from "../../state/overlay.js";
import { orderedTrieRoot } from "../../trie/index.js";
import { Executive, type BlockExecution } from "../executive.js";
import { TransactionValidityError } from "../validity.js";
import { runtimePanic } from "../frame/runtimeApi.js";
import { validityErrorValue } from "./codecs.js";
import type { RuntimeApiContext } from "./context.js";

export interface StartedBlock {
  overlay: StateOverlay;
  run: BlockExecution;
}

/** Initializes block `number` with `digest` on the call's state (its parent must be the call's block). */
export function startBlock(ctx: RuntimeApiContext, env: { number: number; parentHash: Uint8Array }, digest: EnumValue[]): StartedBlock {
  const overlay = new StateOverlay(ctx.state);
  const executive = new Executive(ctx.runtime, ctx.chain);
  const run = executive.initializeBlock(overlay, env, digest, (job) => ctx.host.verifySignature(job));
  return { overlay, run };
}

/** The next block on top of the call's block, with no digest: where dry runs apply extrinsics. */
export function startNextBlock(ctx: RuntimeApiContext): StartedBlock {
  return startBlock(ctx, { number: ctx.header.number + 1, parentHash: ctx.hash }, []);
}

/**
 * `ApplyExtrinsicResult` of one extrinsic applied in a new block on top of the call's block (what
 * `system_dryRun` reports): Ok(Ok) dispatched, Ok(Err(DispatchError)) dispatched and failed,
 * Err(TransactionValidityError) not applicable.
 */
export function applyOnTop(ctx: RuntimeApiContext, ext: Extrinsic): { tag: string; value: unknown } {
  const { run } = startNextBlock(ctx);
  try {
    const outcome = run.applyExtrinsic(ext);
    return { tag: "Ok", value: outcome.ok ? { tag: "Ok", value: [] } : { tag: "Err", value: outcome.error.error } };
  } catch (e) {
    if (e instanceof TransactionValidityError) return { tag: "Err", value: validityErrorValue(e) };
    throw e;
  }
}

/**
 * The header a finished block gets: its state root from the host (the runtime sees the state, not
 * the trie), its extrinsics root over the included extrinsics (layout V0, substrate-trie.md).
 */
export function finishedHeader(ctx: RuntimeApiContext, method: string, block: StartedBlock, env: { number: number; parentHash: Uint8Array }, digest: EnumValue[], extrinsics: Uint8Array[]): Header {
  block.run.finalize();
  if (!ctx.host.stateRoot) throw runtimePanic(method, "the host offers no storage root function");
  const stateRoot = ctx.host.stateRoot(ctx.header.stateRoot, block.overlay.drain());
  return { parentHash: env.parentHash, number: env.number, stateRoot, extrinsicsRoot: orderedTrieRoot(extrinsics, 0), digest: { logs: digest } };
}
