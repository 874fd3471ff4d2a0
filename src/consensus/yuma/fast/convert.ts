/**
 * The boundary between the array-of-pairs API (EpochInput / EpochOutput) and the flat one
 * (FlatEpochInput / FlatEpochOutput) that the fast epoch works on. Each direction is one pass
 * over the entries; only the conversion to EpochOutput allocates per entry (the API's pairs).
 */
import type { EpochInput, EpochOutput, FlatEpochInput, FlatEpochOutput, FlatRows, U16Row } from "../types.js";
import { checkRows } from "../validate.js";
import { pool, type Slot } from "./pool.js";

/**
 * Stored rows → CSR. With `validate`, checks exactly what validate.ts `checkRows` checks and, on
 * any problem, lets `checkRows` throw its error (so the first offending field is reported the same
 * way). Without it, the rows are assumed valid u16 pairs.
 *
 * The per-row work is its own function (here and in the other fast kernels): called once per
 * row, V8 optimises it with complete type feedback within the first epoch, instead of
 * on-stack-replacing a long loop before the code after it has ever run (which deoptimises on
 * reaching that code, epoch after epoch).
 */
export function packRows(field: string, rows: readonly U16Row[], n: number, validate: boolean, slot?: Slot): FlatRows {
  if (validate && (!Array.isArray(rows) || rows.length !== n)) invalid(field, rows, n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    if (validate && !Array.isArray(row)) invalid(field, rows, n);
    total += row.length;
  }
  // with a slot, into pooled arrays (runEpoch: the packed rows never leave the epoch)
  const start = slot === undefined ? new Uint32Array(n + 1) : pool.u(slot, n + 1);
  const [col, val] = slot === undefined ? [new Uint16Array(total), new Uint16Array(total)] : pool.u16Pair(slot, total);
  start[0] = 0;
  let p = 0;
  for (let i = 0; i < n; i++) {
    p = validate ? packRowChecked(rows[i], col, val, p) : packRow(rows[i], col, val, p);
    if (p < 0) invalid(field, rows, n);
    start[i + 1] = p;
  }
  return { start, col, val };
}

/** one row's pairs at col/val[p..]; the next p, or −1 if an entry is not a pair of u16 */
function packRowChecked(row: U16Row, col: Uint16Array, val: Uint16Array, p: number): number {
  for (let k = 0; k < row.length; k++) {
    const e = row[k];
    if (!Array.isArray(e) || e.length !== 2) return -1;
    const j = e[0];
    const v = e[1];
    // u16: a number equal to its low 16 bits (rejects fractions, negatives, NaN, > 65535)
    if (typeof j !== "number" || (j & 0xffff) !== j || typeof v !== "number" || (v & 0xffff) !== v) return -1;
    col[p] = j;
    val[p++] = v;
  }
  return p;
}

function packRow(row: U16Row, col: Uint16Array, val: Uint16Array, p: number): number {
  for (let k = 0; k < row.length; k++) {
    const e = row[k];
    col[p] = e[0];
    val[p++] = e[1];
  }
  return p;
}

/** Rows found invalid: validate.ts reports the first problem exactly as it always has. */
function invalid(field: string, rows: readonly U16Row[], n: number): never {
  checkRows(field, rows, n);
  throw new Error(`packRows: ${field} rejected but checkRows accepted it`);
}

export function unpackRows(rows: FlatRows, n: number): U16Row[] {
  const out: U16Row[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = unpackRow(rows.col, rows.val, rows.start[i], rows.start[i + 1]);
  return out;
}

function unpackRow(col: Uint16Array, val: Uint16Array, from: number, to: number): U16Row {
  const row: U16Row = new Array(to - from);
  for (let p = from; p < to; p++) row[p - from] = [col[p], val[p]];
  return row;
}

export function toFlatInput(input: EpochInput, weights: FlatRows, bonds: FlatRows): FlatEpochInput {
  return {
    version: input.version,
    n: input.n,
    currentBlock: input.currentBlock,
    raoEmission: input.raoEmission,
    stake: input.stake,
    lastUpdate: input.lastUpdate,
    blockAtRegistration: input.blockAtRegistration,
    validatorPermit: input.validatorPermit,
    weights,
    bonds,
    hyperparameters: input.hyperparameters,
  };
}

export function fromFlatInput(input: FlatEpochInput): EpochInput {
  const n = input.n;
  return {
    version: input.version,
    n,
    currentBlock: input.currentBlock,
    raoEmission: input.raoEmission,
    stake: Array.from(input.stake),
    lastUpdate: Array.from(input.lastUpdate),
    blockAtRegistration: Array.from(input.blockAtRegistration),
    validatorPermit: Array.from(input.validatorPermit as ArrayLike<boolean | number>, (p) => p === true || p === 1),
    weights: unpackRows(input.weights, n),
    bonds: unpackRows(input.bonds, n),
    hyperparameters: { ...input.hyperparameters },
  };
}

function bools(x: Uint8Array): boolean[] {
  const out: boolean[] = new Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] !== 0;
  return out;
}

function nums(x: Uint16Array): number[] {
  const out: number[] = new Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i];
  return out;
}

function bigs(x: BigUint64Array): bigint[] {
  const out: bigint[] = new Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i];
  return out;
}

export function toEpochOutput(out: FlatEpochOutput): EpochOutput {
  const n = out.active.length;
  return {
    active: bools(out.active),
    validatorPermit: bools(out.validatorPermit),
    stakeWeight: nums(out.stakeWeight),
    consensus: nums(out.consensus),
    incentive: nums(out.incentive),
    dividends: nums(out.dividends),
    validatorTrust: nums(out.validatorTrust),
    rank: nums(out.rank),
    trust: nums(out.trust),
    pruningScores: nums(out.pruningScores),
    emission: bigs(out.emission),
    serverEmission: bigs(out.serverEmission),
    validatorEmission: bigs(out.validatorEmission),
    bonds: unpackRows(out.bonds, n),
  };
}

export function toFlatOutput(out: EpochOutput): FlatEpochOutput {
  const n = out.active.length;
  return {
    active: Uint8Array.from(out.active, (b) => (b ? 1 : 0)),
    validatorPermit: Uint8Array.from(out.validatorPermit, (b) => (b ? 1 : 0)),
    stakeWeight: Uint16Array.from(out.stakeWeight),
    consensus: Uint16Array.from(out.consensus),
    incentive: Uint16Array.from(out.incentive),
    dividends: Uint16Array.from(out.dividends),
    validatorTrust: Uint16Array.from(out.validatorTrust),
    rank: Uint16Array.from(out.rank),
    trust: Uint16Array.from(out.trust),
    pruningScores: Uint16Array.from(out.pruningScores),
    emission: BigUint64Array.from(out.emission),
    serverEmission: BigUint64Array.from(out.serverEmission),
    validatorEmission: BigUint64Array.from(out.validatorEmission),
    bonds: packRows("bonds", out.bonds, n, false),
  };
}
