/**
 * SubtensorModule calls: staking, delegation and hotkey swap, with classic Subtensor's names,
 * indices, arguments, weights, dispatch classes and Pays::No (lib.rs at de1026780). The logic
 * lives in ../staking/ (stake.ts, delegate.ts, swapHotkey.ts; the ledger in ledger.ts).
 */
import { u16, u64 } from "../../../../codec/scale.js";
import { AccountId32 } from "../../../../codec/types.js";
import type { CallDecl } from "../../../frame/pallet.js";
import { ensureSigned, type HookContext } from "../../../frame/dispatch.js";
import { U64_MAX } from "../constants.js";
import { doAddStake, doRemoveStake } from "../staking/stake.js";
import { doBecomeDelegate, doDecreaseTake, doIncreaseTake, getDefaultTake } from "../staking/delegate.js";
import { doSwapHotkey } from "../staking/swapHotkey.js";

/** RocksDbWeight, as the Subtensor runtime configures it: 25 µs per read, 100 µs per write (ref_time in ps). */
const READ = 25_000_000n;
const WRITE = 100_000_000n;
const weight = (base: bigint, reads: bigint, writes: bigint): bigint => base + reads * READ + writes * WRITE;

const account = (name: string) => ({ name, type: AccountId32, typeName: "T::AccountId" });
const hotkeyArg = account("hotkey");
const takeArg = { name: "take", type: u16, typeName: "u16" };

/**
 * SubtensorSignedExtension gives every call except the weight calls `get_priority_vanilla()`
 * (u64::MAX), so staking never queues behind set_weights.
 */
const vanillaPriority = () => ({ priority: U64_MAX });

export const stakingCalls: CallDecl[] = [
  {
    name: "become_delegate",
    index: 1,
    args: [hotkeyArg],
    origin: "signed",
    weight: () => weight(79_000_000n, 6n, 3n),
    class: "Normal",
    paysFee: false,
    docs: ["--- Sets the caller's hotkey as a delegate (open for nomination) with the default take."],
    validate: vanillaPriority,
    dispatch: (ctx, a: { hotkey: Uint8Array }) => {
      const coldkey = ensureSigned(ctx.origin);
      doBecomeDelegate(ctx, coldkey, a.hotkey, getDefaultTake(ctx.state));
    },
  },
  {
    name: "add_stake",
    index: 2,
    args: [hotkeyArg, { name: "amount_staked", type: u64, typeName: "u64" }],
    origin: "signed",
    weight: () => weight(124_000_000n, 10n, 7n),
    class: "Normal",
    paysFee: false,
    docs: ["--- Adds stake to a hotkey. The call is made from the coldkey account linked in the hotkey."],
    validate: vanillaPriority,
    dispatch: (ctx, a: { hotkey: Uint8Array; amountStaked: bigint }) => {
      doAddStake(ctx, ensureSigned(ctx.origin), a.hotkey, a.amountStaked);
    },
  },
  {
    name: "remove_stake",
    index: 3,
    args: [hotkeyArg, { name: "amount_unstaked", type: u64, typeName: "u64" }],
    origin: "signed",
    weight: () => weight(111_000_000n, 10n, 7n),
    class: "Normal",
    paysFee: false,
    docs: ["Remove stake from the staking account. The call must be made from the coldkey account attached to the neuron metadata."],
    validate: vanillaPriority,
    dispatch: (ctx, a: { hotkey: Uint8Array; amountUnstaked: bigint }) => {
      doRemoveStake(ctx, ensureSigned(ctx.origin), a.hotkey, a.amountUnstaked);
    },
  },
  {
    name: "decrease_take",
    index: 65,
    args: [hotkeyArg, takeArg],
    origin: "signed",
    weight: () => 0n,
    class: "Normal",
    paysFee: false,
    docs: ["--- Allows delegates to decrease its take value."],
    validate: vanillaPriority,
    dispatch: (ctx, a: { hotkey: Uint8Array; take: number }) => {
      doDecreaseTake(ctx, ensureSigned(ctx.origin), a.hotkey, a.take);
    },
  },
  {
    name: "increase_take",
    index: 66,
    args: [hotkeyArg, takeArg],
    origin: "signed",
    weight: () => 0n,
    class: "Normal",
    paysFee: false,
    docs: ["--- Allows delegates to increase its take value. This call is rate-limited."],
    validate: vanillaPriority,
    dispatch: (ctx, a: { hotkey: Uint8Array; take: number }) => {
      doIncreaseTake(ctx, ensureSigned(ctx.origin), a.hotkey, a.take);
    },
  },
  {
    name: "swap_hotkey",
    index: 70,
    args: [hotkeyArg, account("new_hotkey")],
    origin: "signed",
    weight: () => weight(1_940_000_000n, 272n, 527n),
    class: "Operational",
    paysFee: false,
    docs: ["The extrinsic for user to change its hotkey"],
    validate: vanillaPriority,
    dispatch: (ctx, a: { hotkey: Uint8Array; newHotkey: Uint8Array }) => {
      doSwapHotkey(ctx, ensureSigned(ctx.origin), a.hotkey, a.newHotkey);
    },
  },
];

/** Per-block work of this domain, run from SubtensorModule's on_initialize (block_step): none in classic Subtensor. */
export function stakingOnInitialize(_ctx: HookContext): void {}
