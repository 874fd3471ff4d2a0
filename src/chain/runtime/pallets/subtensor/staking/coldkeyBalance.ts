/**
 * Moving TAO between a coldkey's free balance and SubtensorModule (staking.rs / utils.rs at
 * de1026780: `can_remove_balance_from_coldkey_account`, `remove_balance_from_coldkey_account`,
 * `add_balance_to_coldkey_account`, `burn_tokens`, `coinbase`).
 *
 * Classic accounting: TAO that leaves a balance for stake or a subnet lock is withdrawn from
 * pallet_balances (Balances.TotalIssuance goes down; the credit is dropped) while
 * SubtensorModule.TotalIssuance keeps counting it; giving it back deposits new balance. Only burns
 * (`burnTokens`) and emission (`coinbase`) change SubtensorModule.TotalIssuance.
 */
import { DispatchError, type HookContext } from "../../../frame/dispatch.js";
import type { StorageAccess } from "../../../../state/types.js";
import { Balances, EXISTENTIAL_DEPOSIT, burn, mint } from "../../balances.js";
import { Account } from "../../system.js";
import { U64_MAX } from "../constants.js";
import { subtensorError } from "../errors.js";
import { TotalIssuance } from "../storage.js";

type Ctx = Pick<HookContext, "state" | "deposit">;

/** `get_coldkey_balance`: what the coldkey could spend (reducible balance, Expendable, Polite: free − frozen). */
export function getColdkeyBalance(state: StorageAccess, coldkey: Uint8Array): bigint {
  const { free, frozen, reserved } = Account.get(state, coldkey).data;
  const untouchable = frozen > reserved ? frozen - reserved : 0n;
  return free > untouchable ? free - untouchable : 0n;
}

/** `can_remove_balance_from_coldkey_account`: the amount is within the spendable balance. */
export function canRemoveBalanceFromColdkeyAccount(state: StorageAccess, coldkey: Uint8Array, amount: bigint): boolean {
  return amount <= getColdkeyBalance(state, coldkey);
}

/**
 * `remove_balance_from_coldkey_account`: withdraws up to `amount` keeping the account alive
 * (Precision::BestEffort, Preservation::Preserve), so at most free − ED leaves; returns what left.
 * Nothing withdrawable → ZeroBalanceAfterWithdrawn. The withdrawn TAO leaves Balances.TotalIssuance
 * (events Balances.Withdraw and Balances.Rescinded, as the dropped credit emits).
 */
export function removeBalanceFromColdkeyAccount(ctx: Ctx, coldkey: Uint8Array, amount: bigint): bigint {
  if (amount === 0n) return 0n;
  const { free, frozen, reserved } = Account.get(ctx.state, coldkey).data;
  const frozenPart = frozen > reserved ? frozen - reserved : 0n;
  const untouchable = frozenPart > EXISTENTIAL_DEPOSIT ? frozenPart : EXISTENTIAL_DEPOSIT;
  const reducible = free > untouchable ? free - untouchable : 0n;
  const actual = amount < reducible ? amount : reducible;
  if (actual === 0n) throw subtensorError("ZeroBalanceAfterWithdrawn");
  try {
    burn(ctx, coldkey, actual, "Preserve");
  } catch (e) {
    // Subtensor maps any withdrawal failure of the currency to this error. (Unreachable after the
    // clamp above, as in Subtensor, where BestEffort + Preserve cannot fail either.)
    if (e instanceof DispatchError) throw subtensorError("BalanceWithdrawalError");
    throw e;
  }
  ctx.deposit(Balances.event("Withdraw", { who: coldkey, amount: actual }));
  ctx.deposit(Balances.event("Rescinded", { amount: actual }));
  return actual;
}

/**
 * `add_balance_to_coldkey_account`: deposits `amount` into the free balance (Precision::BestEffort),
 * minting it in Balances (events Balances.Deposit and Balances.Issued). Returns what was credited.
 *
 * As in Substrate, a deposit that would leave a dead account below the existential deposit credits
 * nothing. Subtensor then silently loses that TAO while still counting it in its TotalIssuance; we
 * burn it from SubtensorModule.TotalIssuance too, so the issuance invariant keeps holding.
 */
export function addBalanceToColdkeyAccount(ctx: Ctx, coldkey: Uint8Array, amount: bigint): bigint {
  if (amount === 0n) return 0n;
  const free = Account.get(ctx.state, coldkey).data.free;
  const credited = free + amount > U64_MAX ? U64_MAX - free : amount;
  if (free + credited < EXISTENTIAL_DEPOSIT) {
    burnTokens(ctx.state, amount);
    return 0n;
  }
  mint(ctx, coldkey, credited);
  ctx.deposit(Balances.event("Deposit", { who: coldkey, amount: credited }));
  ctx.deposit(Balances.event("Issued", { amount: credited }));
  if (credited < amount) burnTokens(ctx.state, amount - credited);
  return credited;
}

/** `burn_tokens`: TAO destroyed for good (recycled registration cost, swap cost) leaves SubtensorModule.TotalIssuance. */
export function burnTokens(state: StorageAccess, amount: bigint): void {
  const ti = TotalIssuance.get(state);
  TotalIssuance.put(state, ti > amount ? ti - amount : 0n);
}

/** `coinbase`: newly created TAO enters SubtensorModule.TotalIssuance. */
export function coinbase(state: StorageAccess, amount: bigint): void {
  const ti = TotalIssuance.get(state) + amount;
  TotalIssuance.put(state, ti > U64_MAX ? U64_MAX : ti);
}
