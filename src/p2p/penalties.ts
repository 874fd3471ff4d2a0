/**
 * How the network answers a failed block import: whether the block is forwarded (never, when it
 * failed) and how much the peer that sent it is penalized. One table, so gossip and sync agree.
 */
import { BlockImportError, FinalityError } from "../chain/blockchain/errors.js";
import type { PeerAction } from "./peerScore.js";

export type Verdict = "accept" | "ignore" | "reject";

export interface Judgement {
  verdict: Verdict;
  /** undefined: the sender is not to blame */
  penalty?: PeerAction;
}

const BENIGN: Record<string, Judgement> = {
  ALREADY_KNOWN: { verdict: "ignore" },
  PARENT_UNKNOWN: { verdict: "ignore" },
  QUEUE_FULL: { verdict: "ignore" },
  // an honest relay may pass on a block of a dead branch or a slot its clock is ahead for
  BELOW_FINALIZED: { verdict: "ignore", penalty: "highTolerance" },
  FUTURE_SLOT: { verdict: "ignore", penalty: "highTolerance" },
  // the equivocating author is to blame, not whoever relays its second block
  EQUIVOCATION: { verdict: "ignore" },
  // not about the block's validity: our own state or setup
  UNKNOWN_BLOCK: { verdict: "ignore" },
  GENESIS_MISMATCH: { verdict: "ignore" },
};

/** Judges an import failure; unknown errors are our own bugs, not the peer's fault. */
export function judgeImportError(error: unknown): Judgement {
  if (error instanceof BlockImportError) return BENIGN[error.code] ?? { verdict: "reject", penalty: "fatal" };
  if (error instanceof FinalityError) return error.code === "BAD_JUSTIFICATION" ? { verdict: "reject", penalty: "lowTolerance" } : { verdict: "ignore" };
  return { verdict: "ignore" };
}
