import { NodeError } from "../../util/errors.js";

export type SignatureVerifierErrorType =
  /** verifySignature was called before initCrypto() resolved (a programming error, not bad input). */
  | { code: "SIGNATURE_CRYPTO_NOT_READY" }
  /** A worker died (crash, exit or chunk timeout) on a chunk, and again on its one retry. */
  | { code: "SIGNATURE_WORKER_CRASHED"; reason: string; attempts: number }
  /** Workers could not be started (e.g. wasm-crypto failed to initialise in the worker). */
  | { code: "SIGNATURE_WORKER_START_FAILED"; reason: string }
  /** verifyBatch was called on, or was pending when, the pool was closed. */
  | { code: "SIGNATURE_POOL_CLOSED" };

export class SignatureVerifierError extends NodeError<SignatureVerifierErrorType> {}
