/**
 * Transaction validity, shared by the pool (at submission) and the executive (in a block), with
 * Substrate's InvalidTransaction / UnknownTransaction kinds and messages, which RPC error 1010/1011
 * carries to clients verbatim.
 */
import { NodeError } from "../../util/errors.js";

export type InvalidKind =
  | "Call"
  | "Payment"
  | "Future"
  | "Stale"
  | "BadProof"
  | "AncientBirthBlock"
  | "ExhaustsResources"
  | "BadMandatory"
  | "MandatoryValidation"
  | "BadSigner";

const INVALID_MESSAGES: Record<InvalidKind, string> = {
  Call: "Transaction call is not expected",
  Payment: "Inability to pay some fees (e.g. account balance too low)",
  Future: "Transaction will be valid in the future",
  Stale: "Transaction is outdated",
  BadProof: "Transaction has a bad signature",
  AncientBirthBlock: "Transaction has an ancient birth block",
  ExhaustsResources: "Transaction would exhaust the block limits",
  BadMandatory: "A call was labelled as mandatory, but resulted in an Error.",
  MandatoryValidation: "Transaction dispatch is mandatory; transactions may not have mandatory dispatches.",
  BadSigner: "Invalid signing address",
};

export type TransactionValidityErrorType =
  | { code: "INVALID_TRANSACTION"; kind: InvalidKind }
  | { code: "INVALID_TRANSACTION"; kind: "Custom"; custom: number }
  | { code: "UNKNOWN_TRANSACTION"; kind: "CannotLookup" | "NoUnsignedValidator" }
  | { code: "DECODE_ERROR"; detail: string };

export class TransactionValidityError extends NodeError<TransactionValidityErrorType> {
  /** The text Substrate puts in the JSON-RPC error's `data`. */
  get detail(): string {
    const t = this.type;
    if (t.code === "INVALID_TRANSACTION") return t.kind === "Custom" ? `Custom error: ${t.custom}` : INVALID_MESSAGES[t.kind];
    if (t.code === "UNKNOWN_TRANSACTION") {
      return t.kind === "CannotLookup" ? "Could not lookup information required to validate the transaction" : "Could not find an unsigned validator for the unsigned transaction";
    }
    return t.detail;
  }
}

export const invalid = (kind: InvalidKind): TransactionValidityError =>
  new TransactionValidityError({ code: "INVALID_TRANSACTION", kind }, `Invalid Transaction: ${INVALID_MESSAGES[kind]}`);

/** InvalidTransaction::Custom(n): how Subtensor's signed extension refuses rule violations. */
export const customInvalid = (n: number): TransactionValidityError =>
  new TransactionValidityError({ code: "INVALID_TRANSACTION", kind: "Custom", custom: n }, `Invalid Transaction: Custom error: ${n}`);

export const unknown = (kind: "CannotLookup" | "NoUnsignedValidator"): TransactionValidityError =>
  new TransactionValidityError({ code: "UNKNOWN_TRANSACTION", kind }, `Unknown Transaction Validity: ${kind}`);

/** What a valid transaction means for the pool: ordering by nonce per sender, priority by tip. */
export interface ValidTransaction {
  sender: Uint8Array;
  nonce: number;
  /** the sender's current on-chain nonce: nonce > accountNonce means "future" */
  accountNonce: number;
  fee: bigint;
  tip: bigint;
  priority: bigint;
  /** blocks until the era expires (immortal: a large number) */
  longevity: number;
}
