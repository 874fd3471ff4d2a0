/** pallet_sudo (index 12): one key that may dispatch calls with Root origin. */
import { lazy, option, result, tuple, type Codec, type EnumValue } from "../../codec/scale.js";
import { AccountId32, DispatchErrorCodec, MultiAddress, Weight, type MultiAddressValue } from "../../codec/types.js";
import { Pallet } from "../frame/pallet.js";
import { storageValue } from "../frame/storage.js";
import { DispatchError, ensureSigned, type DispatchContext, type RuntimeCallValue } from "../frame/dispatch.js";
import { bytesEqual } from "../../../util/bytes.js";
import { lookupAccount } from "./balances.js";

export const Key = storageValue({ name: "Key", value: AccountId32, optional: true, docs: ["The `AccountId` of the sudo key."] });

Key.bind("Sudo");

const DispatchResult = result(tuple(), DispatchErrorCodec);

/** Runs the inner call; its failure is reported in the event, not as the sudo call's failure. */
function dispatchAs(ctx: DispatchContext, call: RuntimeCallValue, origin: Parameters<DispatchContext["dispatchCall"]>[1]): EnumValue {
  try {
    ctx.dispatchCall(call, origin);
    return { tag: "Ok", value: [] };
  } catch (e) {
    if (e instanceof DispatchError) return { tag: "Err", value: e.error };
    throw e;
  }
}

/**
 * The Sudo pallet of one runtime: its calls carry that runtime's RuntimeCall (`runtimeCall`,
 * resolved once the runtime is assembled), so each runtime builds its own.
 */
export function buildSudoPallet(runtimeCall: () => Codec<unknown>): Pallet {
  const RuntimeCallArg = lazy(runtimeCall);
  const ensureSudo = (ctx: DispatchContext): Uint8Array => {
    const who = ensureSigned(ctx.origin);
    const key = Key.get(ctx.state);
    if (!key || !bytesEqual(key, who)) throw Sudo.error("RequireSudo");
    return who;
  };
  const Sudo: Pallet = new Pallet({
  name: "Sudo",
  index: 12,
  crate: "pallet_sudo",
  storage: [Key],
  calls: [
    {
      name: "sudo",
      index: 0,
      args: [{ name: "call", type: RuntimeCallArg, typeName: "Box<<T as Config>::RuntimeCall>" }],
      origin: "signed",
      weight: () => 20_000_000n,
      docs: ["Authenticates the sudo key and dispatches a function call with `Root` origin."],
      dispatch: (ctx, a: { call: RuntimeCallValue }) => {
        ensureSudo(ctx);
        ctx.deposit(Sudo.event("Sudid", { sudoResult: dispatchAs(ctx, a.call, { kind: "root" }) }));
      },
    },
    {
      name: "sudo_unchecked_weight",
      index: 1,
      args: [
        { name: "call", type: RuntimeCallArg, typeName: "Box<<T as Config>::RuntimeCall>" },
        { name: "weight", type: Weight, typeName: "Weight" },
      ],
      origin: "signed",
      weight: (a: { weight: { refTime: bigint } }) => a.weight.refTime,
      docs: ["Authenticates the sudo key and dispatches a function call with `Root` origin, with a caller-given weight."],
      dispatch: (ctx, a: { call: RuntimeCallValue }) => {
        ensureSudo(ctx);
        ctx.deposit(Sudo.event("Sudid", { sudoResult: dispatchAs(ctx, a.call, { kind: "root" }) }));
      },
    },
    {
      name: "set_key",
      index: 2,
      args: [{ name: "new", type: MultiAddress, typeName: "AccountIdLookupOf<T>" }],
      origin: "signed",
      weight: () => 15_000_000n,
      docs: ["Authenticates the current sudo key and sets the given AccountId as the new sudo key."],
      dispatch: (ctx, a: { new: MultiAddressValue }) => {
        const old = ensureSudo(ctx);
        const next = lookupAccount(a.new);
        Key.put(ctx.state, next);
        ctx.deposit(Sudo.event("KeyChanged", { old, new: next }));
      },
    },
    {
      name: "sudo_as",
      index: 3,
      args: [
        { name: "who", type: MultiAddress, typeName: "AccountIdLookupOf<T>" },
        { name: "call", type: RuntimeCallArg, typeName: "Box<<T as Config>::RuntimeCall>" },
      ],
      origin: "signed",
      weight: () => 20_000_000n,
      docs: ["Authenticates the sudo key and dispatches a function call with `Signed` origin from a given account."],
      dispatch: (ctx, a: { who: MultiAddressValue; call: RuntimeCallValue }) => {
        ensureSudo(ctx);
        const who = lookupAccount(a.who);
        ctx.deposit(Sudo.event("SudoAsDone", { sudoResult: dispatchAs(ctx, a.call, { kind: "signed", who }) }));
      },
    },
    {
      name: "remove_key",
      index: 4,
      args: [],
      origin: "signed",
      weight: () => 15_000_000n,
      docs: ["Permanently removes the sudo key."],
      dispatch: (ctx) => {
        ensureSudo(ctx);
        Key.remove(ctx.state);
        ctx.deposit(Sudo.event("KeyRemoved"));
      },
    },
  ],
  events: [
    { name: "Sudid", index: 0, fields: [{ name: "sudo_result", type: DispatchResult, typeName: "DispatchResult" }], docs: ["A sudo call just took place."] },
    {
      name: "KeyChanged",
      index: 1,
      fields: [
        { name: "old", type: option(AccountId32), typeName: "Option<T::AccountId>" },
        { name: "new", type: AccountId32, typeName: "T::AccountId" },
      ],
      docs: ["The sudo key has been updated."],
    },
    { name: "KeyRemoved", index: 2, fields: [], docs: ["The key was permanently removed."] },
    { name: "SudoAsDone", index: 3, fields: [{ name: "sudo_result", type: DispatchResult, typeName: "DispatchResult" }], docs: ["A [sudo_as](Pallet::sudo_as) call just took place."] },
  ],
  errors: [{ name: "RequireSudo", docs: ["Sender must be the Sudo account."] }],
  });
  return Sudo;
}
