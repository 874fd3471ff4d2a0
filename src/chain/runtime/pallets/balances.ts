/**
 * pallet_balances (index 5): free balances in System.Account, TotalIssuance, transfers with
 * Substrate's existential-deposit rules. Balance is u64 RAO (Subtensor's TaoBalance).
 */
import { bool, compact, u32, u64, type EnumValue, type FieldSpec } from "../../codec/scale.js";
import { AccountId32, MultiAddress, type MultiAddressValue } from "../../codec/types.js";
import { Pallet } from "../frame/pallet.js";
import { storageValue } from "../frame/storage.js";
import { DispatchError, ensureRoot, ensureSigned, type DispatchContext } from "../frame/dispatch.js";
import type { StorageAccess } from "../../state/types.js";
import { Account, NEW_LOGIC_FLAG, emptyAccount, writeAccount, type AccountInfo } from "./system.js";
import { bytesEqual } from "../../../util/bytes.js";

export const EXISTENTIAL_DEPOSIT = 500n;
const MAX_BALANCE = (1n << 64n) - 1n;

export const TotalIssuance = storageValue({ name: "TotalIssuance", value: u64, default: 0n, docs: ["The total units issued in the system."] });
export const InactiveIssuance = storageValue({ name: "InactiveIssuance", value: u64, default: 0n, docs: ["The total units of outstanding deactivated balance."] });

const who = (name = "who") => ({ name, type: AccountId32, typeName: "T::AccountId" });
const amount = (name = "amount") => ({ name, type: u64, typeName: "T::Balance" });
const lookup = (name: string) => ({ name, type: MultiAddress, typeName: "AccountIdLookupOf<T>" });
const compactBalance = (name: string) => ({ name, type: compact(u64), typeName: "T::Balance" });

/** Resolves a MultiAddress argument; only `Id` (and `Address32`) resolve, as there is no Indices pallet. */
export function lookupAccount(a: MultiAddressValue): Uint8Array {
  if (a.tag === "Id" || a.tag === "Address32") return a.value;
  throw new DispatchError({ tag: "CannotLookup" });
}

export type Preservation = "Expendable" | "Preserve";

/**
 * TAO that leaves circulation without any pallet choosing to burn it: transaction fees and the
 * dust of reaped accounts. Other issuance counters (SubtensorModule.TotalIssuance, which also
 * counts stake) follow through listeners, as Subtensor's TransactionFeeHandler keeps them in step.
 */
type CirculationListener = (state: StorageAccess, amount: bigint) => void;
const leftCirculationListeners: CirculationListener[] = [];
export function onLeftCirculation(listener: CirculationListener): void {
  leftCirculationListeners.push(listener);
}
export function leaveCirculation(state: StorageAccess, amount: bigint): void {
  TotalIssuance.put(state, TotalIssuance.get(state) - amount);
  for (const l of leftCirculationListeners) l(state, amount);
}

/**
 * Moves `value` from `source` to `dest` with Substrate's rules: the source needs the funds
 * (InsufficientBalance); with Preserve it must keep ≥ ED (Expendability); a new destination must
 * receive ≥ ED (ExistentialDeposit); a source left below ED is reaped and the dust burned (DustLost).
 */
export function transfer(ctx: Pick<DispatchContext, "state" | "deposit">, source: Uint8Array, dest: Uint8Array, value: bigint, preservation: Preservation): void {
  const { state } = ctx;
  const from = Account.get(state, source);
  if (value === 0n || bytesEqual(source, dest)) {
    if (value > from.data.free) throw Balances.error("InsufficientBalance");
    ctx.deposit(Balances.event("Transfer", { from: source, to: dest, amount: value }));
    return;
  }
  if (value > from.data.free - from.data.frozen || value > from.data.free) throw Balances.error("InsufficientBalance");
  const remaining = from.data.free - value;
  if (preservation === "Preserve" && remaining < EXISTENTIAL_DEPOSIT) throw Balances.error("Expendability");
  const to = Account.get(state, dest);
  const isNew = to.providers === 0;
  if (isNew && value < EXISTENTIAL_DEPOSIT) throw Balances.error("ExistentialDeposit");
  if (to.data.free + value > MAX_BALANCE) throw new DispatchError({ tag: "Arithmetic", value: { tag: "Overflow" } });

  setFree(ctx, source, from, remaining);
  setFree(ctx, dest, Account.get(state, dest), to.data.free + value);
  ctx.deposit(Balances.event("Transfer", { from: source, to: dest, amount: value }));
}

/**
 * Sets an account's free balance, handling creation (Endowed) and reaping (DustLost): below the
 * existential deposit an account with no reserves is removed and its dust leaves TotalIssuance.
 */
export function setFree(ctx: Pick<DispatchContext, "state" | "deposit">, account: Uint8Array, info: AccountInfo, free: bigint): void {
  const { state, deposit } = ctx;
  const next: AccountInfo = { ...info, data: { ...info.data, free } };
  const wasAlive = info.providers > 0;
  if (free + next.data.reserved < EXISTENTIAL_DEPOSIT) {
    if (free > 0n) {
      leaveCirculation(state, free);
      deposit(Balances.event("DustLost", { account, amount: free }));
    }
    next.data = { ...next.data, free: 0n };
    if (wasAlive) next.providers -= 1;
    writeAccount(state, account, next, deposit);
    return;
  }
  if (!wasAlive) {
    next.providers = 1;
    next.data = { ...next.data, flags: next.data.flags | NEW_LOGIC_FLAG };
    writeAccount(state, account, next, deposit);
    deposit(Balances.event("Endowed", { account, freeBalance: free }));
    return;
  }
  writeAccount(state, account, next, deposit);
}

/** Adds newly minted funds to an account (genesis, faucet, emission payouts) and to TotalIssuance. */
export function mint(ctx: Pick<DispatchContext, "state" | "deposit">, account: Uint8Array, value: bigint): void {
  const info = Account.get(ctx.state, account);
  TotalIssuance.put(ctx.state, TotalIssuance.get(ctx.state) + value);
  setFree(ctx, account, info, info.data.free + value);
}

/** Removes funds from an account's free balance and from TotalIssuance (burns, recycling). */
export function burn(ctx: Pick<DispatchContext, "state" | "deposit">, account: Uint8Array, value: bigint, preservation: Preservation): void {
  const info = Account.get(ctx.state, account);
  if (value > info.data.free) throw Balances.error("InsufficientBalance");
  if (preservation === "Preserve" && info.data.free - value < EXISTENTIAL_DEPOSIT) throw Balances.error("Expendability");
  TotalIssuance.put(ctx.state, TotalIssuance.get(ctx.state) - value);
  setFree(ctx, account, info, info.data.free - value);
}

export function freeBalance(state: StorageAccess, account: Uint8Array): bigint {
  return Account.get(state, account).data.free;
}

const ev = (name: string, index: number, fields: FieldSpec[]) => ({ name, index, fields });

export const Balances: Pallet = new Pallet({
  name: "Balances",
  index: 5,
  crate: "pallet_balances",
  storage: [TotalIssuance, InactiveIssuance],
  calls: [
    {
      name: "transfer_allow_death",
      index: 0,
      args: [lookup("dest"), compactBalance("value")],
      origin: "signed",
      weight: () => 60_000_000n,
      docs: ["Transfer some liquid free balance to another account; the sender may be reaped."],
      dispatch: (ctx, a: { dest: MultiAddressValue; value: bigint }) => {
        transfer(ctx, ensureSigned(ctx.origin), lookupAccount(a.dest), a.value, "Expendable");
      },
    },
    {
      name: "force_transfer",
      index: 2,
      args: [lookup("source"), lookup("dest"), compactBalance("value")],
      origin: "root",
      weight: () => 60_000_000n,
      docs: ["Exactly as `transfer_allow_death`, except the origin must be root and the source account may be specified."],
      dispatch: (ctx, a: { source: MultiAddressValue; dest: MultiAddressValue; value: bigint }) => {
        ensureRoot(ctx.origin);
        transfer(ctx, lookupAccount(a.source), lookupAccount(a.dest), a.value, "Expendable");
      },
    },
    {
      name: "transfer_keep_alive",
      index: 3,
      args: [lookup("dest"), compactBalance("value")],
      origin: "signed",
      weight: () => 50_000_000n,
      docs: ["Same as `transfer_allow_death`, but the sender must stay above the existential deposit."],
      dispatch: (ctx, a: { dest: MultiAddressValue; value: bigint }) => {
        transfer(ctx, ensureSigned(ctx.origin), lookupAccount(a.dest), a.value, "Preserve");
      },
    },
    {
      name: "transfer_all",
      index: 4,
      args: [lookup("dest"), { name: "keep_alive", type: bool, typeName: "bool" }],
      origin: "signed",
      weight: () => 60_000_000n,
      docs: ["Transfer the entire transferable balance from the caller account."],
      dispatch: (ctx, a: { dest: MultiAddressValue; keepAlive: boolean }) => {
        const source = ensureSigned(ctx.origin);
        const info = Account.get(ctx.state, source);
        const spendable = info.data.free - info.data.frozen;
        const value = a.keepAlive ? (spendable > EXISTENTIAL_DEPOSIT ? spendable - EXISTENTIAL_DEPOSIT : 0n) : spendable;
        transfer(ctx, source, lookupAccount(a.dest), value, a.keepAlive ? "Preserve" : "Expendable");
      },
    },
    {
      name: "force_set_balance",
      index: 8,
      args: [lookup("who"), compactBalance("new_free")],
      origin: "root",
      weight: () => 30_000_000n,
      docs: ["Set the regular balance of a given account (root only)."],
      dispatch: (ctx, a: { who: MultiAddressValue; newFree: bigint }) => {
        ensureRoot(ctx.origin);
        const account = lookupAccount(a.who);
        const info = Account.get(ctx.state, account);
        const old = info.data.free;
        const issuance = TotalIssuance.get(ctx.state);
        TotalIssuance.put(ctx.state, issuance - old + a.newFree);
        setFree(ctx, account, info, a.newFree);
        ctx.deposit(Balances.event("BalanceSet", { who: account, free: Account.get(ctx.state, account).data.free }));
      },
    },
  ],
  events: [
    ev("Endowed", 0, [who("account"), amount("free_balance")]),
    ev("DustLost", 1, [who("account"), amount()]),
    ev("Transfer", 2, [who("from"), who("to"), amount()]),
    ev("BalanceSet", 3, [who(), amount("free")]),
    ev("Reserved", 4, [who(), amount()]),
    ev("Unreserved", 5, [who(), amount()]),
    ev("Deposit", 7, [who(), amount()]),
    ev("Withdraw", 8, [who(), amount()]),
    ev("Slashed", 9, [who(), amount()]),
    ev("Minted", 10, [who(), amount()]),
    ev("Burned", 11, [who(), amount()]),
    ev("Issued", 15, [amount()]),
    ev("Rescinded", 16, [amount()]),
  ],
  errors: [
    { name: "VestingBalance", docs: ["Vesting balance too high to send value."] },
    { name: "LiquidityRestrictions", docs: ["Account liquidity restrictions prevent withdrawal."] },
    { name: "InsufficientBalance", docs: ["Balance too low to send value."] },
    { name: "ExistentialDeposit", docs: ["Value too low to create account due to existential deposit."] },
    { name: "Expendability", docs: ["Transfer/payment would kill account."] },
    { name: "ExistingVestingSchedule", docs: ["A vesting schedule already exists for this account."] },
    { name: "DeadAccount", docs: ["Beneficiary account must pre-exist."] },
    { name: "TooManyReserves", docs: ["Number of named reserves exceed `MaxReserves`."] },
    { name: "TooManyHolds", docs: ["Number of holds exceed `VariantCountOf<T::RuntimeHoldReason>`."] },
    { name: "TooManyFreezes", docs: ["Number of freezes exceed `MaxFreezes`."] },
    { name: "IssuanceDeactivated", docs: ["The issuance cannot be modified since it is already deactivated."] },
    { name: "DeltaZero", docs: ["The delta cannot be zero."] },
  ],
  constants: [
    { name: "ExistentialDeposit", codec: u64, value: EXISTENTIAL_DEPOSIT, docs: ["The minimum amount required to keep an account open."] },
    { name: "MaxLocks", codec: u32, value: 50 },
    { name: "MaxReserves", codec: u32, value: 50 },
    { name: "MaxFreezes", codec: u32, value: 0 },
  ],
});

export type { EnumValue };
export { emptyAccount };
