/**
 * The state transition function: initialize block → inherents → extrinsics (each checked, charged,
 * and dispatched inside a checkpoint) → finalize (hooks, events). It runs on a StateOverlay; the
 * caller turns the overlay's changes into a trie update and commits it atomically.
 */
import type { EnumValue } from "../codec/scale.js";
import type { Extrinsic } from "../codec/extrinsic.js";
import { addressToAccountId, encodeAdditional, encodeExtra, signingMessage } from "../codec/extrinsic.js";
import { eraBirth, type DispatchInfoValue, type EraValue } from "../codec/types.js";
import type { StateOverlay } from "../state/overlay.js";
import type { ReadAccess, StorageAccess } from "../state/types.js";
import type { RuntimeDefinition, EventRecordValue } from "./frame/runtime.js";
import type { Pallet, CallDecl } from "./frame/pallet.js";
import { BadOrigin, DispatchError, type BlockEnv, type DispatchContext, type Origin, type RuntimeCallValue } from "./frame/dispatch.js";
import { Account, BlockHash, BLOCK_HASH_COUNT, DigestItem, EventCount, ExtrinsicCount, Number_, ParentHash, eventsStorage, systemEvent, type EventsItem } from "./pallets/system.js";
import { Balances, EXISTENTIAL_DEPOSIT, leaveCirculation, setFree } from "./pallets/balances.js";
import { EXTRINSIC_BASE_WEIGHT, TransactionPayment, computeFee } from "./pallets/transactionPayment.js";
import { invalid, unknown, type ValidTransaction } from "./validity.js";
import { checkNonce } from "./checkNonce.js";
import { MAX_BLOCK_LENGTH, MAX_BLOCK_WEIGHT, MAX_NORMAL_LENGTH, MAX_NORMAL_WEIGHT } from "./limits.js";
import type { SignatureJob } from "./signature.js";

export interface ChainIdentity {
  genesisHash: Uint8Array;
  specVersion: number;
  transactionVersion: number;
}

const IMMORTAL_LONGEVITY = 0xffff_ffff;
const ZERO_HASH = new Uint8Array(32);

/** Decoded call with its declaration, after checking it resolves in this runtime. */
function resolveCall(runtime: RuntimeDefinition, call: RuntimeCallValue): { pallet: Pallet; decl: CallDecl; args: Record<string, unknown> } {
  const pallet = runtime.pallet(call.tag);
  const inner = call.value!;
  return { pallet, decl: pallet.call(inner.tag), args: (inner.value ?? {}) as Record<string, unknown> };
}

export function callWeight(runtime: RuntimeDefinition, call: RuntimeCallValue): { weight: bigint; decl: CallDecl } {
  const { decl, args } = resolveCall(runtime, call);
  return { weight: decl.weight(args), decl };
}

export function dispatchInfo(runtime: RuntimeDefinition, call: RuntimeCallValue): DispatchInfoValue {
  const { weight, decl } = callWeight(runtime, call);
  return {
    weight: { refTime: weight + EXTRINSIC_BASE_WEIGHT, proofSize: 0n },
    class: { tag: decl.class ?? "Normal" },
    paysFee: { tag: decl.paysFee === false ? "No" : "Yes" },
  };
}

/**
 * CheckMortality: the hash of the era's birth block, which the signer committed to. Unknown
 * (not yet born, or older than BlockHashCount) → AncientBirthBlock, as in Substrate.
 */
export function mortalityCheck(state: ReadAccess, era: EraValue, current: number, parentHash: Uint8Array, chain: ChainIdentity): Uint8Array {
  if (!era) return chain.genesisHash;
  const birth = eraBirth(era, current);
  if (birth >= current) throw invalid("AncientBirthBlock");
  // The parent's hash enters System.BlockHash only when block `current` initializes.
  const hash = birth === 0 ? chain.genesisHash : birth === current - 1 ? parentHash : BlockHash.get(state, birth);
  if (hash.every((b) => b === 0)) throw invalid("AncientBirthBlock");
  return hash;
}

/**
 * The signature job of a signed extrinsic going into block `current` (whose parent is
 * `parentHash`, on top of `state`). Checks the sender and era first: AncientBirthBlock when the
 * birth block's hash is unknown, as Substrate's CheckMortality does (this also covers expired
 * eras whose birth lies beyond BlockHashCount).
 */
export function signatureJob(state: ReadAccess, ext: Extrinsic, current: number, parentHash: Uint8Array, chain: ChainIdentity): SignatureJob {
  const s = ext.signed;
  if (!s) throw new Error("signatureJob of an unsigned extrinsic");
  const signer = addressToAccountId(s.address);
  if (!signer) throw unknown("CannotLookup");
  const eraBlockHash = mortalityCheck(state, s.era, current, parentHash, chain);
  const additional = encodeAdditional({ specVersion: chain.specVersion, transactionVersion: chain.transactionVersion, genesisHash: chain.genesisHash, eraBlockHash });
  const message = signingMessage(ext.callBytes, encodeExtra(s.era, s.nonce, s.tip), additional);
  const scheme = s.signature.tag === "Sr25519" ? "sr25519" : s.signature.tag === "Ed25519" ? "ed25519" : "ecdsa";
  return { scheme, signer, message, signature: s.signature.value };
}

/**
 * Everything about a signed extrinsic except its signature — the signed-extension pipeline:
 * sender, era (CheckMortality), the call's origin rules, CheckNonce (the signer must exist; the
 * nonce not stale), fee payability (ChargeTransactionPayment), the pallets' validate hooks.
 * `current` is the number of the block it would go into. Shared by the pool and block execution.
 */
export function checkTransaction(runtime: RuntimeDefinition, state: ReadAccess, ext: Extrinsic, current: number, parentHash: Uint8Array, chain: ChainIdentity): ValidTransaction {
  const s = ext.signed;
  if (!s) throw invalid("Call");
  const sender = addressToAccountId(s.address);
  if (!sender) throw unknown("CannotLookup");
  if (sender.every((b) => b === 0)) throw invalid("BadSigner");
  mortalityCheck(state, s.era, current, parentHash, chain);
  const { weight, decl } = callWeight(runtime, ext.call as RuntimeCallValue);
  if (decl.origin === "none" || decl.class === "Mandatory") throw invalid("MandatoryValidation");
  const account = Account.get(state, sender);
  checkNonce(account, s.nonce);
  const fee = computeFee(ext.bytes.length, weight, s.tip, decl.paysFee !== false).total;
  // The fee is withdrawn keeping the account alive (Substrate's Preservation::Preserve for fees).
  if (fee > 0n && (account.providers === 0 || account.data.free - account.data.frozen < fee + EXISTENTIAL_DEPOSIT)) throw invalid("Payment");
  const longevity = s.era ? Math.max(1, eraBirth(s.era, current) + s.era.period - current) : IMMORTAL_LONGEVITY;
  const { args } = resolveCall(runtime, ext.call as RuntimeCallValue);
  const guard = decl.validate?.({ state, who: sender, current }, args);
  const priority = guard?.priority ?? s.tip;
  return { sender, nonce: s.nonce, accountNonce: account.nonce, fee, tip: s.tip, priority, longevity };
}

export type ApplyOutcome = { ok: true } | { ok: false; error: DispatchError };

/** One block's execution. Create with `Executive.initializeBlock`, feed extrinsics, then `finalize`. */
export class BlockExecution {
  private readonly events: EventRecordValue[] = [];
  private readonly eventsItem: EventsItem;
  private phase: EnumValue = { tag: "Initialization" };
  private extrinsicIndex = 0;
  /** CheckWeight's running totals (all classes; and the normal class alone) */
  private weight = 0n;
  private length = 0;
  private normalWeight = 0n;
  private normalLength = 0;

  constructor(
    private readonly runtime: RuntimeDefinition,
    readonly state: StateOverlay,
    readonly env: BlockEnv,
    private readonly chain: ChainIdentity,
    private readonly verify?: (job: SignatureJob) => boolean,
  ) {
    this.eventsItem = eventsStorage(runtime.pallet("System"));
  }

  private deposit = (event: EnumValue): void => {
    this.events.push({ phase: this.phase, event, topics: [] });
  };

  initialize(digestLogs: EnumValue[]): void {
    const { state, env } = this;
    Number_.put(state, env.number);
    ParentHash.put(state, env.parentHash);
    BlockHash.put(state, env.parentHash, env.number - 1);
    DigestItem.put(state, { logs: digestLogs });
    this.eventsItem.remove(state);
    EventCount.remove(state);
    for (const p of this.runtime.pallets) p.decl.onInitialize?.(this.hookContext());
  }

  private hookContext() {
    return { state: this.state, block: this.env, deposit: this.deposit, diagnostics: this.runtime.diagnostics };
  }

  private dispatchContext(origin: Origin): DispatchContext {
    return {
      state: this.state,
      block: this.env,
      origin,
      deposit: this.deposit,
      diagnostics: this.runtime.diagnostics,
      dispatchCall: (call, o) => this.dispatchNested(call, o),
    };
  }

  /** A nested dispatch (sudo) is transactional on its own: its failure reverts only its writes. */
  private dispatchNested(call: RuntimeCallValue, origin: Origin): void {
    const mark = this.events.length;
    this.state.checkpoint();
    try {
      this.dispatch(call, origin);
      this.state.commit();
    } catch (e) {
      this.state.revert();
      this.events.length = mark;
      throw e;
    }
  }

  private dispatch(call: RuntimeCallValue, origin: Origin): void {
    const { decl, args } = resolveCall(this.runtime, call);
    if (decl.origin === "signed" && origin.kind !== "signed") throw BadOrigin();
    if (decl.origin === "root" && origin.kind !== "root") throw BadOrigin();
    if (decl.origin === "none" && origin.kind !== "none") throw BadOrigin();
    decl.dispatch(this.dispatchContext(origin), args);
  }

  /**
   * Applies one extrinsic. Validity failures (bad signature, nonce, fees…) throw a
   * TransactionValidityError and leave no trace: such an extrinsic cannot be in a block. A failed
   * dispatch is a valid outcome: the fee and nonce stay, the call's writes and events are reverted.
   */
  applyExtrinsic(ext: Extrinsic): ApplyOutcome {
    const index = this.extrinsicIndex;
    this.phase = { tag: "ApplyExtrinsic", value: index };
    const call = ext.call as RuntimeCallValue;
    const info = dispatchInfo(this.runtime, call);
    this.checkWeight(info.class.tag, info.weight.refTime, ext.bytes.length);
    let origin: Origin;
    if (ext.signed) {
      const valid = checkTransaction(this.runtime, this.state, ext, this.env.number, this.env.parentHash, this.chain);
      if (valid.nonce !== valid.accountNonce) throw invalid(valid.nonce < valid.accountNonce ? "Stale" : "Future");
      if (this.verify && !this.verify(signatureJob(this.state, ext, this.env.number, this.env.parentHash, this.chain))) throw invalid("BadProof");
      this.chargeAndBumpNonce(valid.sender, valid.fee);
      origin = { kind: "signed", who: valid.sender };
    } else {
      const { decl } = callWeight(this.runtime, call);
      if (decl.origin !== "none") throw invalid("Call");
      origin = { kind: "none" };
    }

    // Events deposited by the dispatch itself are dropped with its writes if it fails.
    const dispatchMark = this.events.length;
    this.state.checkpoint();
    let outcome: ApplyOutcome;
    try {
      this.dispatch(call, origin);
      this.state.commit();
      outcome = { ok: true };
    } catch (e) {
      if (!(e instanceof DispatchError)) {
        this.state.revert();
        throw e;
      }
      this.state.revert();
      this.events.length = dispatchMark;
      outcome = { ok: false, error: e };
    }
    if (ext.signed) {
      const s = ext.signed;
      const fee = computeFee(ext.bytes.length, info.weight.refTime - EXTRINSIC_BASE_WEIGHT, s.tip, info.paysFee.tag === "Yes").total;
      this.deposit(TransactionPayment.event("TransactionFeePaid", { who: addressToAccountId(s.address)!, actualFee: fee, tip: s.tip }));
    }
    if (outcome.ok) {
      this.deposit(systemEvent("ExtrinsicSuccess", { dispatchInfo: info }));
    } else {
      if (!ext.signed) throw outcome.error; // a failing inherent makes the block invalid
      this.deposit(systemEvent("ExtrinsicFailed", { dispatchError: outcome.error.error, dispatchInfo: info }));
    }
    this.extrinsicIndex++;
    this.weight += info.weight.refTime;
    this.length += ext.bytes.length;
    if (info.class.tag === "Normal") {
      this.normalWeight += info.weight.refTime;
      this.normalLength += ext.bytes.length;
    }
    return outcome;
  }

  /**
   * Substrate's CheckWeight: a normal extrinsic must fit in the normal class's 75 % of the block
   * weight and length, an operational one in the whole block; mandatory ones (inherents) always fit.
   */
  private checkWeight(cls: string, weight: bigint, length: number): void {
    if (cls === "Mandatory") return;
    if (cls === "Normal" && (this.normalWeight + weight > MAX_NORMAL_WEIGHT || this.normalLength + length > MAX_NORMAL_LENGTH)) throw invalid("ExhaustsResources");
    if (this.weight + weight > MAX_BLOCK_WEIGHT || this.length + length > MAX_BLOCK_LENGTH) throw invalid("ExhaustsResources");
  }

  private chargeAndBumpNonce(sender: Uint8Array, fee: bigint): void {
    const { state } = this;
    const info = Account.get(state, sender);
    const charged = { ...info, nonce: info.nonce + 1 };
    if (fee > 0n) {
      // Fees leave circulation (recycled): TotalIssuance goes down with the payer's balance.
      leaveCirculation(state, fee);
      setFree({ state, deposit: this.deposit }, sender, charged, info.data.free - fee);
      this.deposit(Balances.event("Withdraw", { who: sender, amount: fee }));
    } else {
      Account.put(state, charged, sender);
    }
  }

  /** Runs finalization hooks and writes the block's events; returns the events for subscribers. */
  finalize(): EventRecordValue[] {
    this.phase = { tag: "Finalization" };
    for (const p of this.runtime.pallets) p.decl.onFinalize?.(this.hookContext());
    const { state, env } = this;
    ExtrinsicCount.remove(state);
    if (env.number > BLOCK_HASH_COUNT) BlockHash.remove(state, env.number - BLOCK_HASH_COUNT - 1);
    this.eventsItem.put(state, this.events);
    EventCount.put(state, this.events.length);
    return this.events;
  }

  get appliedCount(): number {
    return this.extrinsicIndex;
  }
}

export class Executive {
  constructor(
    readonly runtime: RuntimeDefinition,
    readonly chain: ChainIdentity,
  ) {}

  initializeBlock(state: StateOverlay, env: BlockEnv, digestLogs: EnumValue[], verify?: (job: SignatureJob) => boolean): BlockExecution {
    const run = new BlockExecution(this.runtime, state, env, this.chain, verify);
    run.initialize(digestLogs);
    return run;
  }
}

export { ZERO_HASH };
