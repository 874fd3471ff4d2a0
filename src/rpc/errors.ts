/**
 * JSON-RPC 2.0 error objects, with the codes and messages of jsonrpsee (the server library behind
 * Substrate's RPC), so clients see exactly what a Substrate node would send:
 * `{"code": -32602, "message": "Invalid params", "data": "..."}`.
 *
 * Source: paritytech/jsonrpsee `types/src/error.rs` (constants `*_CODE` / `*_MSG` and the
 * `reject_too_*` helpers, whose `data` is `"Exceeded max limit of {limit}"`), and
 * polkadot-sdk `substrate/client/rpc-api/src/policy.rs` (`UnsafeRpcError`: -32601,
 * "RPC call is unsafe to be called externally").
 *
 * polkadot-js shows an error as `${code}: ${message}: ${data}`, so details belong in `data`.
 */

export const RpcErrorCode = {
  /** Invalid JSON was received. */
  ParseError: -32700,
  /** The JSON sent is not a valid request object (also: an empty batch). */
  InvalidRequest: -32600,
  /** The method does not exist (also: unsafe method refused, as in Substrate). */
  MethodNotFound: -32601,
  /** Invalid method parameter(s). */
  InvalidParams: -32602,
  /** Internal error (also: subscription method called over HTTP, as in jsonrpsee). */
  InternalError: -32603,
  /** jsonrpsee: a call failed (generic server error). */
  CallExecutionFailed: -32000,
  /** jsonrpsee: unknown error. */
  UnknownError: -32001,
  /** jsonrpsee: batches are disabled on this server. */
  BatchesNotSupported: -32005,
  /** jsonrpsee: the per-connection subscription limit was reached. */
  TooManySubscriptions: -32006,
  /** jsonrpsee: the request is larger than the server accepts. */
  OversizedRequest: -32007,
  /** jsonrpsee: the response would be larger than the server sends. */
  OversizedResponse: -32008,
  /** jsonrpsee: server busy. */
  ServerIsBusy: -32009,
  /** jsonrpsee: the batch has more entries than the server accepts. */
  TooBigBatchRequest: -32010,
  /** jsonrpsee: the batch response would be larger than the server sends. */
  TooBigBatchResponse: -32011,
} as const;

export const RpcErrorMessage = {
  ParseError: "Parse error",
  InvalidRequest: "Invalid request",
  MethodNotFound: "Method not found",
  InvalidParams: "Invalid params",
  InternalError: "Internal error",
  ServerError: "Server error",
  BatchesNotSupported: "Batched requests are not supported by this server",
  TooManySubscriptions: "Too many subscriptions on the connection",
  OversizedRequest: "Request is too big",
  OversizedResponse: "Response is too big",
  ServerIsBusy: "Server is busy, try again later",
  TooBigBatchRequest: "The batch request was too large",
  TooBigBatchResponse: "The batch response was too large",
  UnsafeRpcCall: "RPC call is unsafe to be called externally",
} as const;

/** The wire form of a JSON-RPC error. */
export interface RpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/**
 * An error a handler can throw to send a specific JSON-RPC error object; `code`, `message` and
 * `data` are sent unchanged (e.g. `new RpcError(1010, "Invalid Transaction", "Transaction has a bad
 * signature")`). Any other thrown value becomes -32603 "Internal error".
 */
export class RpcError extends Error {
  readonly code: number;
  readonly data?: unknown;

  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.name = "RpcError";
    this.code = code;
    if (data !== undefined) this.data = data;
  }

  /** The JSON-RPC error object (`data` omitted when undefined, like jsonrpsee). */
  toJSON(): RpcErrorObject {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
}

const exceeded = (limit: number): string => `Exceeded max limit of ${limit}`;

/** -32700 "Parse error" */
export const parseError = (): RpcError => new RpcError(RpcErrorCode.ParseError, RpcErrorMessage.ParseError);
/** -32600 "Invalid request" */
export const invalidRequest = (): RpcError =>
  new RpcError(RpcErrorCode.InvalidRequest, RpcErrorMessage.InvalidRequest);
/** -32601 "Method not found" */
export const methodNotFound = (): RpcError =>
  new RpcError(RpcErrorCode.MethodNotFound, RpcErrorMessage.MethodNotFound);
/** -32602 "Invalid params", the detail in `data` (as jsonrpsee does). */
export const invalidParams = (detail?: string): RpcError =>
  new RpcError(RpcErrorCode.InvalidParams, RpcErrorMessage.InvalidParams, detail);
/** -32603 "Internal error" */
export const internalError = (data?: unknown): RpcError =>
  new RpcError(RpcErrorCode.InternalError, RpcErrorMessage.InternalError, data);
/** -32005 "Batched requests are not supported by this server" */
export const batchesNotSupported = (): RpcError =>
  new RpcError(RpcErrorCode.BatchesNotSupported, RpcErrorMessage.BatchesNotSupported);
/** -32006 "Too many subscriptions on the connection", data "Exceeded max limit of N" */
export const tooManySubscriptions = (limit: number): RpcError =>
  new RpcError(RpcErrorCode.TooManySubscriptions, RpcErrorMessage.TooManySubscriptions, exceeded(limit));
/** -32007 "Request is too big", data "Exceeded max limit of N" */
export const oversizedRequest = (limit: number): RpcError =>
  new RpcError(RpcErrorCode.OversizedRequest, RpcErrorMessage.OversizedRequest, exceeded(limit));
/** -32008 "Response is too big", data "Exceeded max limit of N" */
export const oversizedResponse = (limit: number): RpcError =>
  new RpcError(RpcErrorCode.OversizedResponse, RpcErrorMessage.OversizedResponse, exceeded(limit));
/**
 * -32009 "Server is busy, try again later", the limit that was hit in `data`: what this node answers
 * over its connection limit and over a connection's call rate limit.
 */
export const serverIsBusy = (detail?: string): RpcError => new RpcError(RpcErrorCode.ServerIsBusy, RpcErrorMessage.ServerIsBusy, detail);
/** -32010 "The batch request was too large", data "Exceeded max limit of N" */
export const tooBigBatchRequest = (limit: number): RpcError =>
  new RpcError(RpcErrorCode.TooBigBatchRequest, RpcErrorMessage.TooBigBatchRequest, exceeded(limit));
/** -32011 "The batch response was too large", data "Exceeded max limit of N" */
export const tooBigBatchResponse = (limit: number): RpcError =>
  new RpcError(RpcErrorCode.TooBigBatchResponse, RpcErrorMessage.TooBigBatchResponse, exceeded(limit));
/** -32601 "RPC call is unsafe to be called externally" (Substrate's `UnsafeRpcError`). */
export const unsafeRpcCall = (): RpcError =>
  new RpcError(RpcErrorCode.MethodNotFound, RpcErrorMessage.UnsafeRpcCall);
