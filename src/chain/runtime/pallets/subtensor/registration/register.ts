/**
 * Neuron registration on a subnet: `burned_register` (the coldkey pays the burn, which is
 * recycled) and `register` (proof of work, signed by the hotkey), with the checks and their order
 * of classic registration.rs at de1026780; and the PoW `faucet` of development chains.
 */
import type { DispatchContext } from "../../../frame/dispatch.js";
import { ensureSigned } from "../../../frame/dispatch.js";
import type { ReadAccess } from "../../../../state/types.js";
import { bytesEqual } from "../../../../../util/bytes.js";
import { invalid } from "../../../validity.js";
import * as C from "../constants.js";
import { subtensorError } from "../errors.js";
import { subtensorEvent } from "../events.js";
import {
  Burn,
  BurnRegistrationsThisInterval,
  Difficulty,
  MaxRegistrationsPerBlock,
  NetworkPowRegistrationAllowed,
  NetworkRegistrationAllowed,
  NetworksAdded,
  POWRegistrationsThisInterval,
  RAORecycledForRegistration,
  RegistrationsThisBlock,
  RegistrationsThisInterval,
  TargetRegistrationsPerInterval,
  Uids,
  UsedWork,
} from "../storage.js";
import { coldkeyOwnsHotkey, createAccountIfNonExistent } from "../subnetsInit.js";
import { addBalanceToColdkeyAccount, burnTokens, canRemoveBalanceFromColdkeyAccount, coinbase, removeBalanceFromColdkeyAccount } from "../staking/coldkeyBalance.js";
import { satAdd64, satInc16, satMul16, satSub64 } from "./math.js";
import { blockHashFromU64, createSealHash, hashMeetsDifficulty } from "./pow.js";
import { assignUid } from "./uids.js";

/** The interval cap: 3 × TargetRegistrationsPerInterval (saturating u16). */
export function maxRegistrationsPerInterval(state: ReadAccess, netuid: number): number {
  return satMul16(TargetRegistrationsPerInterval.get(state, netuid), C.MAX_REGISTRATIONS_PER_INTERVAL_FACTOR);
}

/**
 * The pool-level guard of classic SubtensorSignedExtension for `register` / `burned_register`:
 * once the interval cap is reached the transaction "would exhaust the block limits".
 */
export function validateRegistration(state: ReadAccess, netuid: number): void {
  if (RegistrationsThisInterval.get(state, netuid) >= maxRegistrationsPerInterval(state, netuid)) throw invalid("ExhaustsResources");
}

/**
 * A work argument that is not 32 bytes makes Subtensor's `H256::from_slice` panic, so such a
 * transaction can never be included: we refuse it as an invalid transaction.
 */
export function validateWorkLength(work: Uint8Array): void {
  if (work.length !== 32) throw invalid("Call");
}

/** Checks shared by both registration kinds (steps 2–6 of the Rust functions, in their order). */
function ensureCanRegister(state: ReadAccess, netuid: number, hotkey: Uint8Array, allowed: boolean): void {
  if (netuid === C.ROOT_NETUID) throw subtensorError("RegistrationNotPermittedOnRootSubnet");
  if (!NetworksAdded.get(state, netuid)) throw subtensorError("SubNetworkDoesNotExist");
  if (!allowed) throw subtensorError("SubNetRegistrationDisabled");
  if (RegistrationsThisBlock.get(state, netuid) >= MaxRegistrationsPerBlock.get(state, netuid)) throw subtensorError("TooManyRegistrationsThisBlock");
  if (RegistrationsThisInterval.get(state, netuid) >= maxRegistrationsPerInterval(state, netuid)) throw subtensorError("TooManyRegistrationsThisInterval");
  if (Uids.exists(state, netuid, hotkey)) throw subtensorError("HotKeyAlreadyRegisteredInSubNet");
}

/** Associates the hotkey with the coldkey (first use) and checks the pairing, then gives it a UID. */
function bindAndAssignUid(ctx: DispatchContext, netuid: number, hotkey: Uint8Array, coldkey: Uint8Array, block: bigint): number {
  createAccountIfNonExistent(ctx.state, coldkey, hotkey);
  if (!coldkeyOwnsHotkey(ctx.state, coldkey, hotkey)) throw subtensorError("NonAssociatedColdKey");
  return assignUid(ctx, netuid, hotkey, block);
}

const bump = (item: typeof RegistrationsThisBlock, state: DispatchContext["state"], netuid: number) => item.put(state, satInc16(item.get(state, netuid)), netuid);

/** `do_burned_registration(origin = coldkey, netuid, hotkey)`. */
export function doBurnedRegistration(ctx: DispatchContext, netuid: number, hotkey: Uint8Array): void {
  const coldkey = ensureSigned(ctx.origin);
  const { state } = ctx;
  ensureCanRegister(state, netuid, hotkey, NetworkRegistrationAllowed.get(state, netuid));

  // The burn: checked against the spendable balance, withdrawn keeping the account alive, recycled.
  const block = BigInt(ctx.block.number);
  const cost = Burn.get(state, netuid);
  if (!canRemoveBalanceFromColdkeyAccount(state, coldkey, cost)) throw subtensorError("NotEnoughBalanceToStake");
  const burned = removeBalanceFromColdkeyAccount(ctx, coldkey, cost);
  burnTokens(state, burned);

  const uid = bindAndAssignUid(ctx, netuid, hotkey, coldkey, block);

  bump(BurnRegistrationsThisInterval, state, netuid);
  bump(RegistrationsThisInterval, state, netuid);
  bump(RegistrationsThisBlock, state, netuid);
  // Classic records the full burn price, even when the best-effort withdrawal took less.
  RAORecycledForRegistration.put(state, satAdd64(RAORecycledForRegistration.get(state, netuid), Burn.get(state, netuid)), netuid);
  ctx.deposit(subtensorEvent("NeuronRegistered", [netuid, uid, hotkey]));
}

/** Block-number and seal checks of `register` and `faucet`; records the work in UsedWork. */
function checkWork(ctx: DispatchContext, blockNumber: bigint, nonce: bigint, work: Uint8Array, key: Uint8Array, difficulty: bigint): void {
  // A wrong-length work panics in Subtensor (never included); validate already refuses it.
  validateWorkLength(work);
  const current = BigInt(ctx.block.number);
  // The work must be on a known recent block: at most POW_WORK_MAX_AGE − 1 blocks old, not in the future.
  if (blockNumber > current) throw subtensorError("InvalidWorkBlock");
  if (satSub64(current, blockNumber) >= C.POW_WORK_MAX_AGE) throw subtensorError("InvalidWorkBlock");
  if (!hashMeetsDifficulty(work, difficulty)) throw subtensorError("InvalidDifficulty");
  const seal = createSealHash(blockHashFromU64(ctx.state, blockNumber), nonce, key);
  if (!bytesEqual(seal, work)) throw subtensorError("InvalidSeal");
  // Classic records the work but never refuses a seal for having been used before.
  UsedWork.put(ctx.state, current, work);
}

export interface PowRegistrationArgs {
  netuid: number;
  blockNumber: bigint;
  nonce: bigint;
  work: Uint8Array;
  hotkey: Uint8Array;
  coldkey: Uint8Array;
}

/** `do_registration(origin = hotkey, netuid, block_number, nonce, work, hotkey, coldkey)`: PoW registration. */
export function doRegistration(ctx: DispatchContext, a: PowRegistrationArgs): void {
  const signer = ensureSigned(ctx.origin);
  if (!bytesEqual(signer, a.hotkey)) throw subtensorError("TransactorAccountShouldBeHotKey");
  const { state } = ctx;
  ensureCanRegister(state, a.netuid, a.hotkey, NetworkPowRegistrationAllowed.get(state, a.netuid));
  checkWork(ctx, a.blockNumber, a.nonce, a.work, a.hotkey, Difficulty.get(state, a.netuid));

  const uid = bindAndAssignUid(ctx, a.netuid, a.hotkey, a.coldkey, BigInt(ctx.block.number));

  bump(POWRegistrationsThisInterval, state, a.netuid);
  bump(RegistrationsThisInterval, state, a.netuid);
  bump(RegistrationsThisBlock, state, a.netuid);
  ctx.deposit(subtensorEvent("NeuronRegistered", [a.netuid, uid, a.hotkey]));
}

/** The faucet's fixed difficulty (classic `do_faucet`). */
export const FAUCET_DIFFICULTY = 1_000_000n;

/** `do_faucet(origin = coldkey, block_number, nonce, work)`: mints FAUCET_AMOUNT (100 TAO) for a PoW. */
export function doFaucet(ctx: DispatchContext, blockNumber: bigint, nonce: bigint, work: Uint8Array): void {
  const coldkey = ensureSigned(ctx.origin);
  checkWork(ctx, blockNumber, nonce, work, coldkey, FAUCET_DIFFICULTY);
  coinbase(ctx.state, C.FAUCET_AMOUNT);
  addBalanceToColdkeyAccount(ctx, coldkey, C.FAUCET_AMOUNT);
  ctx.deposit(subtensorEvent("Faucet", [coldkey, C.FAUCET_AMOUNT]));
}
