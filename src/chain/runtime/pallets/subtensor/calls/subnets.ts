/** SubtensorModule calls: subnets (filled in by the subnets work). */
import type { CallDecl } from "../../../frame/pallet.js";
import type { HookContext } from "../../../frame/dispatch.js";

export const subnetsCalls: CallDecl[] = [];

/** Per-block work of this domain, run from SubtensorModule's on_initialize (block_step). */
export function subnetsOnInitialize(_ctx: HookContext): void {}
