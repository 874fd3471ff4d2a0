/** SubtensorModule calls: weights (filled in by the weights work). */
import type { CallDecl } from "../../../frame/pallet.js";
import type { HookContext } from "../../../frame/dispatch.js";

export const weightsCalls: CallDecl[] = [];

/** Per-block work of this domain, run from SubtensorModule's on_initialize (block_step). */
export function weightsOnInitialize(_ctx: HookContext): void {}
