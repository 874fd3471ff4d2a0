/**
 * frame_system's `CheckNonce` signed extension, the part that is not about ordering: a signer
 * whose account has no providers and no sufficients does not exist, and storing its nonce would be
 * state nobody paid for. Substrate refuses such a transaction with `InvalidTransaction::Payment`
 * ("Inability to pay some fees"), in `validate` (the pool) and in `pre_dispatch` (block
 * execution), before the nonce comparison and before any fee logic — so it applies to fee-free
 * calls too (Subtensor's `burned_register`, `add_stake`, `set_weights`, …).
 *
 * `checkTransaction` (executive.ts) runs it for the pool and for every signed extrinsic of a block,
 * so a block that contains such an extrinsic does not import.
 */
import type { AccountInfo } from "./pallets/system.js";
import { invalid } from "./validity.js";

/** Throws Payment for a signer that does not exist, Stale for a nonce below the account's. */
export function checkNonce(account: Pick<AccountInfo, "nonce" | "providers" | "sufficients">, nonce: number): void {
  // "Nonce storage not paid for" (frame_system::CheckNonce)
  if (account.providers === 0 && account.sufficients === 0) throw invalid("Payment");
  if (nonce < account.nonce) throw invalid("Stale");
}
