/**
 * The epoch case format of yuma-spec.md §2: a JSON object describing one subnet epoch (input),
 * and the JSON object of Subtensor's stored outputs. Every error names the offending field.
 *
 * Defaults: `version` "current"; missing hyperparameters take the chain defaults
 * (`defaultHyperparameters`); `validator_permit` all false, `weights` and `bonds` empty when
 * absent (a fresh subnet). `n`, `current_block`, `rao_emission`, `stake`, `last_update` and
 * `block_at_registration` are required. u64 values may be JSON integers (exact, any size) or
 * decimal strings. Top-level `name`, `description`, `comment`, `expected` and `_…` keys are
 * ignored; any other unknown key is an error (it is most likely a typo).
 */
import { badCase } from "./errors.js";
import { parseJson, stringifyJson, JsonSyntaxError, type JsonValue } from "./json.js";
import { defaultHyperparameters, type EpochInput, type EpochOutput, type U16Row, type YumaHyperparameters } from "./types.js";

type JsonObject = { [key: string]: JsonValue };

const U64_MAX = (1n << 64n) - 1n;

function isObject(v: JsonValue | undefined): v is JsonObject {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function integer(field: string, v: JsonValue | undefined, lo: bigint, hi: bigint): bigint {
  let x: bigint;
  if (typeof v === "bigint") x = v;
  else if (typeof v === "string" && /^-?\d+$/.test(v.trim())) x = BigInt(v.trim());
  else throw badCase(field, `must be an integer, got ${describe(v)}`);
  if (x < lo || x > hi) throw badCase(field, `must be in [${lo}, ${hi}], got ${x}`);
  return x;
}

const u64 = (field: string, v: JsonValue | undefined): bigint => integer(field, v, 0n, U64_MAX);
const u16 = (field: string, v: JsonValue | undefined): number => Number(integer(field, v, 0n, 65535n));
const i16 = (field: string, v: JsonValue | undefined): number => Number(integer(field, v, -32768n, 32767n));

function bool(field: string, v: JsonValue | undefined): boolean {
  if (typeof v !== "boolean") throw badCase(field, `must be true or false, got ${describe(v)}`);
  return v;
}

function describe(v: JsonValue | undefined): string {
  if (v === undefined) return "nothing (missing)";
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number") return String(v);
  if (Array.isArray(v)) return "a list";
  if (v === null) return "null";
  if (typeof v === "object") return "an object";
  return JSON.stringify(v);
}

function list(field: string, v: JsonValue | undefined, n: number): JsonValue[] {
  if (!Array.isArray(v)) throw badCase(field, `must be a list of ${n} entries, got ${describe(v)}`);
  if (v.length !== n) throw badCase(field, `must have n = ${n} entries, got ${v.length}`);
  return v;
}

function rows(field: string, v: JsonValue | undefined, n: number): U16Row[] {
  const out: U16Row[] = Array.from({ length: n }, () => []);
  if (v === undefined) return out;
  const row = (f: string, r: JsonValue): U16Row => {
    if (!Array.isArray(r)) throw badCase(f, `must be a list of [uid, value] pairs, got ${describe(r)}`);
    return r.map((e, k) => {
      if (!Array.isArray(e) || e.length !== 2) throw badCase(`${f}[${k}]`, `must be a [uid, value] pair, got ${describe(e)}`);
      return [u16(`${f}[${k}][0]`, e[0]), u16(`${f}[${k}][1]`, e[1])];
    });
  };
  if (Array.isArray(v)) {
    if (v.length !== n) throw badCase(field, `must have one row per uid (n = ${n}), got ${v.length}`);
    v.forEach((r, i) => (out[i] = row(`${field}[${i}]`, r)));
    return out;
  }
  if (isObject(v)) {
    for (const [key, r] of Object.entries(v)) {
      if (!/^\d+$/.test(key)) throw badCase(`${field}.${key}`, "keys must be uids");
      const uid = Number(key);
      if (uid < n) out[uid] = row(`${field}.${key}`, r);
      // rows of uids >= n do not exist on chain: ignored, like entries with uid >= n
    }
    return out;
  }
  throw badCase(field, `must be a list of rows or an object {"uid": row}, got ${describe(v)}`);
}

const HYPER_KEYS: Record<string, (f: string, v: JsonValue, hp: YumaHyperparameters) => void> = {
  kappa: (f, v, hp) => (hp.kappa = u16(f, v)),
  bonds_moving_average: (f, v, hp) => (hp.bondsMovingAverage = u64(f, v)),
  bonds_penalty: (f, v, hp) => (hp.bondsPenalty = u16(f, v)),
  activity_cutoff: (f, v, hp) => (hp.activityCutoff = u64(f, v)),
  max_allowed_validators: (f, v, hp) => (hp.maxAllowedValidators = u16(f, v)),
  tempo: (f, v, hp) => (hp.tempo = u16(f, v)),
  last_mechanism_step_block: (f, v, hp) => (hp.lastMechanismStepBlock = u64(f, v)),
  liquid_alpha_enabled: (f, v, hp) => (hp.liquidAlphaEnabled = bool(f, v)),
  alpha_low: (f, v, hp) => (hp.alphaLow = u16(f, v)),
  alpha_high: (f, v, hp) => (hp.alphaHigh = u16(f, v)),
  alpha_sigmoid_steepness: (f, v, hp) => (hp.alphaSigmoidSteepness = i16(f, v)),
  yuma3_enabled: (f, v, hp) => (hp.yuma3Enabled = bool(f, v)),
  stake_threshold: (f, v, hp) => (hp.stakeThreshold = u64(f, v)),
  owner_uid: (f, v, hp) => (hp.ownerUid = v === null ? null : u16(f, v)),
};

const TOP_KEYS = new Set([
  "version",
  "n",
  "current_block",
  "rao_emission",
  "stake",
  "last_update",
  "block_at_registration",
  "validator_permit",
  "weights",
  "bonds",
  "hyperparameters",
]);
const IGNORED_TOP_KEYS = new Set(["name", "description", "comment", "expected"]);

/** A parsed case object → EpochInput. `at` prefixes field names (e.g. "[2]." in a list of cases). */
export function caseToInput(v: JsonValue, at = ""): EpochInput {
  if (!isObject(v)) throw badCase(at || "case", `must be a JSON object, got ${describe(v)}`);
  for (const k of Object.keys(v))
    if (!TOP_KEYS.has(k) && !IGNORED_TOP_KEYS.has(k) && !k.startsWith("_")) throw badCase(at + k, "unknown field");
  const version = v.version ?? "current";
  if (version !== "current" && version !== "classic") throw badCase(`${at}version`, `must be "current" or "classic", got ${describe(version)}`);
  const n = Number(integer(`${at}n`, v.n, 0n, 65535n));
  const hp = defaultHyperparameters();
  if (v.hyperparameters !== undefined) {
    if (!isObject(v.hyperparameters)) throw badCase(`${at}hyperparameters`, `must be an object, got ${describe(v.hyperparameters)}`);
    for (const [k, x] of Object.entries(v.hyperparameters)) {
      const set = HYPER_KEYS[k];
      if (!set) throw badCase(`${at}hyperparameters.${k}`, "unknown hyperparameter");
      set(`${at}hyperparameters.${k}`, x, hp);
    }
  }
  if (hp.ownerUid !== null && hp.ownerUid >= n)
    throw badCase(`${at}hyperparameters.owner_uid`, `must be a registered uid (< n = ${n}), got ${hp.ownerUid}`);
  const permits = v.validator_permit === undefined ? new Array<boolean>(n).fill(false) : list(`${at}validator_permit`, v.validator_permit, n).map((x, i) => bool(`${at}validator_permit[${i}]`, x));
  return {
    version,
    n,
    currentBlock: u64(`${at}current_block`, v.current_block),
    raoEmission: u64(`${at}rao_emission`, v.rao_emission),
    stake: list(`${at}stake`, v.stake, n).map((x, i) => u64(`${at}stake[${i}]`, x)),
    lastUpdate: list(`${at}last_update`, v.last_update, n).map((x, i) => u64(`${at}last_update[${i}]`, x)),
    blockAtRegistration: list(`${at}block_at_registration`, v.block_at_registration, n).map((x, i) => u64(`${at}block_at_registration[${i}]`, x)),
    validatorPermit: permits,
    weights: rows(`${at}weights`, v.weights, n),
    bonds: rows(`${at}bonds`, v.bonds, n),
    hyperparameters: hp,
  };
}

/** Case text → inputs: one object, or a list of independent cases. */
export function parseCases(text: string): { inputs: EpochInput[]; single: boolean } {
  let json: JsonValue;
  try {
    json = parseJson(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw badCase("case", e.message);
    throw e;
  }
  if (Array.isArray(json)) return { inputs: json.map((c, i) => caseToInput(c, `[${i}].`)), single: false };
  return { inputs: [caseToInput(json)], single: true };
}

export function parseCase(text: string): EpochInput {
  const { inputs, single } = parseCases(text);
  if (!single) throw badCase("case", "expected one case object, got a list");
  return inputs[0];
}

/** EpochOutput → the output object of the spec (snake_case keys, u64 as bigint). */
export function outputToJson(out: EpochOutput): Record<string, unknown> {
  return {
    active: out.active,
    validator_permit: out.validatorPermit,
    stake_weight: out.stakeWeight,
    consensus: out.consensus,
    incentive: out.incentive,
    dividends: out.dividends,
    validator_trust: out.validatorTrust,
    rank: out.rank,
    trust: out.trust,
    pruning_scores: out.pruningScores,
    emission: out.emission,
    server_emission: out.serverEmission,
    validator_emission: out.validatorEmission,
    bonds: out.bonds,
  };
}

export function formatOutput(out: EpochOutput | EpochOutput[]): string {
  return stringifyJson(Array.isArray(out) ? out.map(outputToJson) : outputToJson(out));
}

function bondsSummary(row: U16Row): string {
  if (row.length === 0) return "-";
  const shown = row.slice(0, 4).map(([j, v]) => `${j}:${v}`).join(" ");
  return row.length > 4 ? `${shown} … (${row.length} entries)` : shown;
}

/** A readable per-uid table (bond rows abbreviated to their first entries). */
export function formatTable(out: EpochOutput): string {
  const head = ["uid", "active", "permit", "stake_w", "consensus", "incentive", "dividends", "v_trust", "rank", "trust", "pruning", "emission", "server", "validator", "bonds"];
  const body = out.active.map((a, i) => [
    String(i),
    a ? "yes" : "no",
    out.validatorPermit[i] ? "yes" : "no",
    String(out.stakeWeight[i]),
    String(out.consensus[i]),
    String(out.incentive[i]),
    String(out.dividends[i]),
    String(out.validatorTrust[i]),
    String(out.rank[i]),
    String(out.trust[i]),
    String(out.pruningScores[i]),
    out.emission[i].toString(),
    out.serverEmission[i].toString(),
    out.validatorEmission[i].toString(),
    bondsSummary(out.bonds[i]),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((r) => (c === head.length - 1 ? 0 : r[c].length))));
  const line = (r: string[]): string => r.map((x, c) => (c === r.length - 1 ? x : c <= 2 ? x.padEnd(widths[c]) : x.padStart(widths[c]))).join("  ");
  const total = (v: bigint[]): bigint => v.reduce((a, b) => a + b, 0n);
  return [
    line(head),
    ...body.map(line),
    `total emission ${total(out.emission)} (server ${total(out.serverEmission)}, validator ${total(out.validatorEmission)})`,
  ].join("\n");
}
