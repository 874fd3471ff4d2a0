/**
 * AdminUtils calls: every hyperparameter setter of `setters.ts` turned into a CallDecl by one
 * generic builder, plus `sudo_set_alpha_values` (two values, declared in alphaValues.ts).
 *
 * Call shape, as in Rust: `sudo_set_x(origin, value)` for a global parameter (root only), or
 * `sudo_set_x(origin, netuid: u16, value)` for a subnet hyperparameter (root only, or the subnet
 * owner or root). Not declared: `swap_authorities` (index 0, replaces the Aura authority set; not
 * a hyperparameter).
 */
import { snakeToCamel, u16 } from "../../../codec/scale.js";
import type { DispatchContext } from "../../frame/dispatch.js";
import type { CallDecl } from "../../frame/pallet.js";
import { subtensorEvent } from "../subtensor/events.js";
import { setAlphaValuesCall } from "./alphaValues.js";
import { ensureRootCaller, ensureSubnetExists, ensureSubnetOwnerOrRoot } from "./origin.js";
import { KIND_CODEC, SETTERS, type GlobalSetterDecl, type SetterDecl, type SubnetSetterDecl } from "./setters.js";

type Args = Record<string, unknown>;

function globalSetter(d: GlobalSetterDecl): (ctx: DispatchContext, args: Args) => void {
  const key = snakeToCamel(d.arg);
  return (ctx, args) => {
    ensureRootCaller(ctx);
    const value = args[key] as never;
    const previous = d.item.get(ctx.state);
    d.item.put(ctx.state, value);
    if (d.event) ctx.deposit(subtensorEvent(d.event, value));
    d.after?.(ctx, previous, value);
  };
}

function subnetSetter(d: SubnetSetterDecl): (ctx: DispatchContext, args: Args) => void {
  const key = snakeToCamel(d.arg);
  return (ctx, args) => {
    const netuid = args.netuid as number;
    const value = args[key] as never;
    const caller = d.origin === "root" ? ensureRootCaller(ctx) : ensureSubnetOwnerOrRoot(ctx, netuid);
    if (d.checkExists) ensureSubnetExists(ctx, netuid);
    d.check?.({ state: ctx.state, netuid, value, caller });
    d.item.put(ctx.state, value, netuid);
    if (typeof d.event === "string") ctx.deposit(subtensorEvent(d.event, [netuid, value]));
    else if (d.event) ctx.deposit(d.event(netuid, value));
  };
}

/** One setter declaration → its CallDecl (arguments, origin, weight, class, fee, dispatch). */
export function setterCall(d: SetterDecl): CallDecl {
  const valueArg = { name: d.arg, type: KIND_CODEC[d.kind], typeName: d.kind };
  const subnetScope = d.scope === "subnet";
  return {
    name: d.name,
    index: d.index,
    args: subnetScope ? [{ name: "netuid", type: u16, typeName: "u16" }, valueArg] : [valueArg],
    // Root-only calls are refused before dispatch; owner-or-root calls decide inside.
    origin: subnetScope && d.origin === "ownerOrRoot" ? "any" : "root",
    weight: () => d.weight.refTime,
    class: d.weight.class,
    paysFee: d.weight.paysFee,
    docs: [d.docs],
    dispatch: subnetScope ? subnetSetter(d) : globalSetter(d),
  };
}

export const adminUtilsCalls: CallDecl[] = [...SETTERS.map(setterCall), setAlphaValuesCall];
