/** SubtensorModule calls: staking (filled in by the staking work). */
import type { CallDecl } from "../../../frame/pallet.js";
import type { HookContext } from "../../../frame/dispatch.js";

export const stakingCalls: CallDecl[] = [];

/** Per-block work of this domain, run from SubtensorModule's on_initialize (block_step). */
export function stakingOnInitialize(_ctx: HookContext): void {}
