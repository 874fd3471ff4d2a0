/**
 * `sudo_set_alpha_values(netuid, alpha_low, alpha_high)` (index 51): the one setter with two
 * values, so it is declared on its own. Checks as HEAD's `do_set_alpha_values`: subnet owner or
 * root; liquid alpha must be on (LiquidAlphaDisabled); alpha_high ≥ 1638 (u16::MAX / 40,
 * AlphaHighTooLow); 1638 ≤ alpha_low ≤ alpha_high (AlphaLowOutOfRange). No existence check and no
 * event, as in Rust. (Classic late-2024 required alpha_high ≥ 0.8 and refused root with BadOrigin;
 * HEAD dropped both.)
 */
import { u16 } from "../../../codec/scale.js";
import type { CallDecl } from "../../frame/pallet.js";
import { subtensorError } from "../subtensor/errors.js";
import { AlphaValues, LiquidAlphaOn } from "../subtensor/storage.js";
import { ensureSubnetOwnerOrRoot } from "./origin.js";

/** `u16::MAX / 40` (≈ 0.025): the smallest alpha_low and alpha_high accepted. */
export const MIN_ALPHA = Math.floor(65_535 / 40);

/** HEAD `WeightInfo::sudo_set_alpha_values`: 34 224 000 ps + 5 reads + 1 write (RocksDbWeight). */
const WEIGHT = 34_224_000n + 5n * 25_000_000n + 100_000_000n;

export const setAlphaValuesCall: CallDecl<{ netuid: number; alphaLow: number; alphaHigh: number }> = {
  name: "sudo_set_alpha_values",
  index: 51,
  args: [
    { name: "netuid", type: u16, typeName: "u16" },
    { name: "alpha_low", type: u16, typeName: "u16" },
    { name: "alpha_high", type: u16, typeName: "u16" },
  ],
  origin: "any",
  weight: () => WEIGHT,
  class: "Normal",
  paysFee: true,
  docs: ["Sets the liquid alpha bounds (alpha_low, alpha_high) as u16 proportions. Subnet owner or root; liquid alpha must be enabled."],
  dispatch: (ctx, { netuid, alphaLow, alphaHigh }) => {
    ensureSubnetOwnerOrRoot(ctx, netuid);
    if (!LiquidAlphaOn.get(ctx.state, netuid)) throw subtensorError("LiquidAlphaDisabled");
    if (alphaHigh < MIN_ALPHA) throw subtensorError("AlphaHighTooLow");
    if (alphaLow < MIN_ALPHA || alphaLow > alphaHigh) throw subtensorError("AlphaLowOutOfRange");
    AlphaValues.put(ctx.state, [alphaLow, alphaHigh], netuid);
  },
};
