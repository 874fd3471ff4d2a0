import { NodeError } from "../../util/errors.js";

/**
 * Errors of the Yuma consensus module. A Rust panic in Subtensor (e.g. `saturating_div` by zero)
 * becomes a `FIXED_PANIC`; a malformed case file becomes `BAD_CASE` naming the offending field.
 */
export type YumaErrorType =
  | { code: "FIXED_PANIC"; op: string }
  | { code: "BAD_CASE"; field: string }
  | { code: "BAD_INPUT"; field: string };

export class YumaError extends NodeError<YumaErrorType> {}

/** The field path of a case/input error, e.g. `hyperparameters.kappa` or `weights[3][1]`. */
export function badCase(field: string, message: string): YumaError {
  return new YumaError({ code: "BAD_CASE", field }, `${field}: ${message}`);
}

export function badInput(field: string, message: string): YumaError {
  return new YumaError({ code: "BAD_INPUT", field }, `${field}: ${message}`);
}
