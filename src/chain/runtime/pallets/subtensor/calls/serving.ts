/** SubtensorModule calls: serving (filled in by the serving work). */
import type { CallDecl } from "../../../frame/pallet.js";
import type { HookContext } from "../../../frame/dispatch.js";

export const servingCalls: CallDecl[] = [];

/** Per-block work of this domain, run from SubtensorModule's on_initialize (block_step). */
export function servingOnInitialize(_ctx: HookContext): void {}
