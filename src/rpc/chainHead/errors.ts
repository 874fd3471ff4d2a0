/**
 * Error objects of the new JSON-RPC interface (paritytech/json-rpc-interface-spec), with the codes
 * the spec assigns and the messages polkadot-sdk's `rpc-spec-v2` sends with them:
 *
 * | code   | when                                                                  |
 * | ------ | --------------------------------------------------------------------- |
 * | -32800 | chainHead_v1_follow: the connection already has its maximum follows   |
 * | -32801 | a block hash that the follow subscription did not report, or unpinned |
 * | -32802 | chainHead_v1_call on a follow started with `withRuntime: false`       |
 * | -32803 | chainHead_v1_continue on an operation that is not waiting for it      |
 * | -32804 | chainHead_v1_unpin with the same hash twice in its array              |
 *
 * Malformed parameters are -32602 (params.ts), as everywhere else.
 */
import { RpcError, invalidParams } from "../errors.js";

export const SpecV2ErrorCode = {
  ReachedLimits: -32800,
  InvalidBlock: -32801,
  InvalidRuntimeCall: -32802,
  InvalidContinue: -32803,
  InvalidDuplicateHashes: -32804,
} as const;

/** -32800: too many chainHead_v1_follow subscriptions on this connection. */
export const reachedFollowLimit = (limit: number): RpcError =>
  new RpcError(SpecV2ErrorCode.ReachedLimits, "Maximum number of chainHead_follow has been reached", `Exceeded max limit of ${limit}`);

/** -32801: the block was not reported by this follow subscription, or has been unpinned. */
export const invalidBlock = (): RpcError => new RpcError(SpecV2ErrorCode.InvalidBlock, "Invalid block hash");

/** -32802: runtime calls need a follow subscription started with `withRuntime: true`. */
export const invalidRuntimeCall = (): RpcError =>
  new RpcError(SpecV2ErrorCode.InvalidRuntimeCall, "Invalid runtime call", "The runtime updates flag must be set");

/** -32803: chainHead_v1_continue without an `operationWaitingForContinue` event. */
export const invalidContinue = (): RpcError =>
  new RpcError(SpecV2ErrorCode.InvalidContinue, "Wait for continue event was not generated for the subscription");

/** -32804: chainHead_v1_unpin got one hash twice. */
export const invalidDuplicateHashes = (): RpcError =>
  new RpcError(SpecV2ErrorCode.InvalidDuplicateHashes, "Received duplicate hashes for the `chainHead_unpin` method");

/** -32602 for an id that names no active transaction operation or watch (transaction_v1_stop, transactionWatch_v1_unwatch). */
export const invalidOperationId = (what: string): RpcError => invalidParams(`${what} does not name an active operation of this connection`);
