import { NodeError } from "../util/errors.js";

/** A chain spec that cannot be read or is invalid; `field` names the offending JSON path. */
export type ChainSpecErrorType = { code: "CHAIN_SPEC_INVALID"; field: string; reason: string } | { code: "CHAIN_SPEC_UNREADABLE"; path: string; reason: string };
export class ChainSpecError extends NodeError<ChainSpecErrorType> {}
