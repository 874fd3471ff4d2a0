import { NodeError } from "../../util/errors.js";

/** Why a block was refused. Peers sending such blocks are penalized by the network layer. */
export type BlockImportErrorType =
  | { code: "ALREADY_KNOWN"; hash: string }
  | { code: "PARENT_UNKNOWN"; hash: string }
  | { code: "UNKNOWN_BLOCK"; hash: string }
  | { code: "BELOW_FINALIZED"; number: number }
  | { code: "BAD_NUMBER"; number: number }
  | { code: "BLOCK_TOO_LARGE"; bytes: number }
  | { code: "BAD_SLOT"; reason: string }
  | { code: "FUTURE_SLOT"; reason: string }
  | { code: "BAD_AUTHOR"; reason: string }
  | { code: "BAD_SEAL"; reason: string }
  | { code: "EQUIVOCATION"; reason: string }
  | { code: "BAD_SIGNATURE"; index: number }
  | { code: "INVALID_EXTRINSIC"; index: number; reason: string }
  | { code: "INVALID_BLOCK"; reason: string }
  | { code: "STATE_ROOT_MISMATCH"; hash: string }
  | { code: "EXTRINSICS_ROOT_MISMATCH"; hash: string }
  | { code: "GENESIS_MISMATCH"; stored: string; expected: string }
  | { code: "QUEUE_FULL"; size: number };

export class BlockImportError extends NodeError<BlockImportErrorType> {}

/** Why a finality step was refused (a bad or conflicting justification). */
export type FinalityErrorType =
  | { code: "UNKNOWN_BLOCK"; hash: string }
  | { code: "CONFLICTS_WITH_FINALIZED"; hash: string }
  | { code: "BAD_JUSTIFICATION"; reason: string };

export class FinalityError extends NodeError<FinalityErrorType> {}
