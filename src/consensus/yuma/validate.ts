/**
 * Structural checks of an EpochInput (or its flat form): lengths and integer ranges of
 * Subtensor's storage types. The epoch itself assumes them (as Subtensor's storage guarantees
 * them on chain).
 */
import { badInput } from "./errors.js";
import type { EpochInput, FlatEpochInput, FlatRows, U16Row, YumaHyperparameters } from "./types.js";

const U64_MAX = (1n << 64n) - 1n;

function checkInt(field: string, v: number, lo: number, hi: number): void {
  if (!Number.isInteger(v) || v < lo || v > hi) throw badInput(field, `must be an integer in [${lo}, ${hi}], got ${v}`);
}

function checkU64(field: string, v: bigint): void {
  if (typeof v !== "bigint" || v < 0n || v > U64_MAX) throw badInput(field, `must be a u64, got ${String(v)}`);
}

/** The row check of validateEpochInput; a replacement must throw the same errors (see fast/convert.ts). */
export type RowsCheck = (field: "weights" | "bonds", rows: readonly U16Row[], n: number) => void;

export function checkRows(field: string, rows: readonly U16Row[], n: number): void {
  if (!Array.isArray(rows) || rows.length !== n) throw badInput(field, `expected ${n} rows, got ${Array.isArray(rows) ? rows.length : typeof rows}`);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    if (!Array.isArray(row)) throw badInput(`${field}[${i}]`, "must be a list of [uid, value] pairs");
    for (let k = 0; k < row.length; k++) {
      const e = row[k];
      // hot loop: field names are only built when something is wrong
      if (!Array.isArray(e) || e.length !== 2 || !isU16(e[0]) || !isU16(e[1]))
        throw badInput(`${field}[${i}][${k}]`, `must be a [uid, value] pair of u16 integers, got ${show(e)}`);
    }
  }
}

/** JSON of an offending value (bigints as `5n`: JSON.stringify alone would throw on them) */
function show(v: unknown): string {
  return JSON.stringify(v, (_, x: unknown) => (typeof x === "bigint" ? `${x}n` : x)) ?? String(v);
}

function isU16(v: unknown): boolean {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 65535;
}

function checkFlatRows(field: string, rows: FlatRows, n: number): void {
  if (typeof rows !== "object" || rows === null) throw badInput(field, "must be { start, col, val }");
  const { start, col, val } = rows;
  if (!(start instanceof Uint32Array) || start.length !== n + 1) throw badInput(`${field}.start`, `must be a Uint32Array of ${n + 1} offsets`);
  if (!(col instanceof Uint16Array)) throw badInput(`${field}.col`, "must be a Uint16Array");
  if (!(val instanceof Uint16Array)) throw badInput(`${field}.val`, "must be a Uint16Array");
  if (start[0] !== 0) throw badInput(`${field}.start`, "must begin with 0");
  for (let i = 0; i < n; i++) if (start[i + 1] < start[i]) throw badInput(`${field}.start`, `must be non-decreasing (at ${i + 1})`);
  if (start[n] !== col.length || col.length !== val.length)
    throw badInput(field, `start[n] = ${start[n]}, col has ${col.length} entries, val has ${val.length}: they must agree`);
}

function checkHead(input: EpochInput | FlatEpochInput): void {
  if (input.version !== "current" && input.version !== "classic")
    throw badInput("version", `must be "current" or "classic", got ${String(input.version)}`);
  checkInt("n", input.n, 0, 65535);
  const n = input.n;
  checkU64("current_block", input.currentBlock);
  checkU64("rao_emission", input.raoEmission);
  for (const [field, v] of [
    ["stake", input.stake],
    ["last_update", input.lastUpdate],
    ["block_at_registration", input.blockAtRegistration],
  ] as const) {
    if (v.length !== n) throw badInput(field, `expected ${n} entries, got ${v.length}`);
    for (let i = 0; i < n; i++) checkU64(`${field}[${i}]`, v[i]);
  }
}

function checkHyperparameters(hp: YumaHyperparameters, n: number): void {
  const f = (k: string): string => `hyperparameters.${k}`;
  checkInt(f("kappa"), hp.kappa, 0, 65535);
  checkU64(f("bonds_moving_average"), hp.bondsMovingAverage);
  checkInt(f("bonds_penalty"), hp.bondsPenalty, 0, 65535);
  checkU64(f("activity_cutoff"), hp.activityCutoff);
  checkInt(f("max_allowed_validators"), hp.maxAllowedValidators, 0, 65535);
  checkInt(f("tempo"), hp.tempo, 0, 65535);
  checkU64(f("last_mechanism_step_block"), hp.lastMechanismStepBlock);
  checkInt(f("alpha_low"), hp.alphaLow, 0, 65535);
  checkInt(f("alpha_high"), hp.alphaHigh, 0, 65535);
  checkInt(f("alpha_sigmoid_steepness"), hp.alphaSigmoidSteepness, -32768, 32767);
  checkU64(f("stake_threshold"), hp.stakeThreshold);
  if (hp.ownerUid !== null) {
    checkInt(f("owner_uid"), hp.ownerUid, 0, 65535);
    // Subtensor resolves the owner through its registered hotkey, so it is always a live uid
    if (hp.ownerUid >= n) throw badInput(f("owner_uid"), `must be a registered uid (< n = ${n}), got ${hp.ownerUid}`);
  }
  for (const k of ["liquidAlphaEnabled", "yuma3Enabled"] as const)
    if (typeof hp[k] !== "boolean") throw badInput(f(k === "liquidAlphaEnabled" ? "liquid_alpha_enabled" : "yuma3_enabled"), "must be a boolean");
}

/**
 * Throws YumaError (BAD_INPUT) naming the first offending field. `rowsCheck` replaces the check
 * of the weight and bond rows (runEpoch checks them while packing them into flat arrays).
 */
export function validateEpochInput(input: EpochInput, rowsCheck: RowsCheck = checkRows): void {
  checkHead(input);
  const n = input.n;
  if (input.validatorPermit.length !== n) throw badInput("validator_permit", `expected ${n} entries, got ${input.validatorPermit.length}`);
  input.validatorPermit.forEach((p, i) => {
    if (typeof p !== "boolean") throw badInput(`validator_permit[${i}]`, "must be a boolean");
  });
  rowsCheck("weights", input.weights, n);
  rowsCheck("bonds", input.bonds, n);
  checkHyperparameters(input.hyperparameters, n);
}

/** The same checks for the flat form (rows: well-formed CSR offsets over u16 arrays). */
export function validateFlatEpochInput(input: FlatEpochInput): void {
  checkHead(input);
  const n = input.n;
  const permits = input.validatorPermit;
  if (permits.length !== n) throw badInput("validator_permit", `expected ${n} entries, got ${permits.length}`);
  for (let i = 0; i < n; i++) {
    const p = permits[i];
    if (typeof p !== "boolean" && p !== 0 && p !== 1) throw badInput(`validator_permit[${i}]`, "must be a boolean (or 0/1)");
  }
  checkFlatRows("weights", input.weights, n);
  checkFlatRows("bonds", input.bonds, n);
  checkHyperparameters(input.hyperparameters, n);
}
