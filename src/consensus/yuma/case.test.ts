/**
 * The case format (yuma-spec.md §2): parsing with exact u64s, defaults, field-named errors, the
 * output JSON, and the fixtures in test/fixtures/yuma (each carries its expected output; the
 * descriptions list the values Subtensor's own tests assert, re-checked here).
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatOutput, formatTable, outputToJson, parseCase, parseCases } from "./case.js";
import { runEpoch } from "./epoch.js";
import { YumaError } from "./errors.js";
import { parseJson, stringifyJson } from "./json.js";

const FIXTURES = new URL("../../../test/fixtures/yuma/", import.meta.url);

/** yuma-spec.md §2 example, comments removed */
const SPEC_EXAMPLE = `{
  "version": "current", "n": 4, "current_block": 5002, "rao_emission": 1000000000,
  "stake": [1, 1, 1, 1], "last_update": [5002, 2, 1, 1], "block_at_registration": [1, 1, 1, 1],
  "validator_permit": [true, true, true, true],
  "weights": [[[2, 65535], [3, 65535]], [[2, 65535], [3, 65535]], [], []],
  "bonds":   [[[2, 65535], [3, 65535]], [[2, 53619], [3, 53619]], [], []],
  "hyperparameters": {
    "kappa": 32767, "bonds_moving_average": 900000, "bonds_penalty": 65535,
    "activity_cutoff": 5000, "max_allowed_validators": 64, "tempo": 360, "last_mechanism_step_block": 0,
    "liquid_alpha_enabled": false, "alpha_low": 45875, "alpha_high": 58982,
    "alpha_sigmoid_steepness": 1000, "yuma3_enabled": false,
    "stake_threshold": 0, "owner_uid": null
  }
}`;

function badField(text: string): string {
  try {
    parseCase(text);
  } catch (e) {
    expect(e).toBeInstanceOf(YumaError);
    return (e as YumaError).type.code === "BAD_CASE" ? (e as YumaError & { type: { field: string } }).type.field : "?";
  }
  throw new Error("expected a parse error");
}

describe("case parsing", () => {
  it("parses the spec example", () => {
    const input = parseCase(SPEC_EXAMPLE);
    expect(input.n).toBe(4);
    expect(input.currentBlock).toBe(5002n);
    expect(input.weights[0]).toEqual([
      [2, 65535],
      [3, 65535],
    ]);
    expect(input.hyperparameters.activityCutoff).toBe(5000n);
    const out = runEpoch(input);
    // last_update + 5000 < 5002 for the two miners
    expect(out.active).toEqual([true, true, false, false]);
    expect(out.incentive).toEqual([0, 0, 32767, 32767]);
  });

  it("keeps u64 values exact beyond 2^53, accepts decimal strings, objects for rows", () => {
    const text = `{"n": 2, "current_block": "18446744073709551615", "rao_emission": 1000000000,
      "stake": [21000000000000001, 9007199254740993], "last_update": [1, 1], "block_at_registration": [0, 0],
      "weights": {"0": [[1, 65535]], "7": [[0, 1]]}}`;
    const input = parseCase(text);
    expect(input.currentBlock).toBe((1n << 64n) - 1n);
    expect(input.stake).toEqual([21000000000000001n, 9007199254740993n]);
    expect(input.weights).toEqual([[[1, 65535]], []]); // rows of uids >= n are ignored
    expect(input.bonds).toEqual([[], []]);
    expect(input.validatorPermit).toEqual([false, false]);
    expect(input.hyperparameters.kappa).toBe(32767); // defaults
    expect(input.hyperparameters.maxAllowedValidators).toBe(64);
  });

  it("names the bad field", () => {
    const base = JSON.parse(SPEC_EXAMPLE) as Record<string, unknown>;
    const without = (k: string): string => JSON.stringify({ ...base, [k]: undefined });
    const withField = (k: string, v: unknown): string => JSON.stringify({ ...base, [k]: v });
    expect(badField(without("n"))).toBe("n");
    expect(badField(without("stake"))).toBe("stake");
    expect(badField(withField("stake", [1, 1, 1]))).toBe("stake");
    expect(badField(withField("stake", [1, -1, 1, 1]))).toBe("stake[1]");
    expect(badField(withField("stake", [1, 1.5, 1, 1]))).toBe("stake[1]");
    expect(badField(withField("weights", [[[2, 70000]], [], [], []]))).toBe("weights[0][0][1]");
    expect(badField(withField("weights", [[[2]], [], [], []]))).toBe("weights[0][0]");
    expect(badField(withField("version", "yuma4"))).toBe("version");
    expect(badField(withField("validator_permit", [true, 1, true, true]))).toBe("validator_permit[1]");
    expect(badField(withField("hyperparameters", { kapa: 1 }))).toBe("hyperparameters.kapa");
    expect(badField(withField("hyperparameters", { kappa: 65536 }))).toBe("hyperparameters.kappa");
    expect(badField(withField("hyperparameters", { owner_uid: 4 }))).toBe("hyperparameters.owner_uid");
    expect(badField(withField("hyperparameters", { alpha_sigmoid_steepness: 40000 }))).toBe("hyperparameters.alpha_sigmoid_steepness");
    expect(badField(withField("surprise", 1))).toBe("surprise");
    expect(badField("{ not json")).toBe("case");
    expect(badField("[1, 2")).toBe("case");
    // documentation keys are ignored
    expect(() => parseCase(withField("_note", "hello"))).not.toThrow();
  });

  it("a list of cases runs each independently", () => {
    const { inputs, single } = parseCases(`[${SPEC_EXAMPLE}, ${SPEC_EXAMPLE}]`);
    expect(single).toBe(false);
    expect(inputs).toHaveLength(2);
    expect(() => parseCases(`[${SPEC_EXAMPLE}, {"n": 1}]`)).toThrow(/\[1\]\.current_block/);
  });

  it("output JSON has every key of the spec, bigints as integers, and round-trips", () => {
    const out = runEpoch(parseCase(SPEC_EXAMPLE));
    const text = formatOutput(out);
    const back = parseJson(text) as Record<string, unknown>;
    expect(Object.keys(back)).toEqual([
      "active",
      "validator_permit",
      "stake_weight",
      "consensus",
      "incentive",
      "dividends",
      "validator_trust",
      "rank",
      "trust",
      "pruning_scores",
      "emission",
      "server_emission",
      "validator_emission",
      "bonds",
    ]);
    expect(stringifyJson(back)).toBe(text);
    expect(back.emission).toEqual(out.emission);
    expect(formatTable(out)).toMatch(/^uid\s+active\s+permit/);
  });
});

describe("fixtures (test/fixtures/yuma)", () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith(".json"));
  it("exist", () => expect(files.length).toBeGreaterThanOrEqual(5));
  for (const file of files) {
    it(file, () => {
      const text = readFileSync(new URL(file, FIXTURES), "utf8");
      const json = parseJson(text) as Record<string, unknown>;
      const out = outputToJson(runEpoch(parseCase(text)));
      expect(stringifyJson(out)).toBe(stringifyJson(json.expected));
    });
  }

  it("the values Subtensor's tests assert on these states", () => {
    const run = (f: string): ReturnType<typeof runEpoch> => runEpoch(parseCase(readFileSync(new URL(f, FIXTURES), "utf8")));
    const a = run("active_stake_block_5002.json");
    expect(a.dividends.slice(0, 2)).toEqual([36044, 29490]);
    expect(a.emission.slice(0, 2)).toEqual([274999999n, 224999999n]);
    expect(a.bonds[0]).toEqual([
      [2, 65535],
      [3, 65535],
    ]);
    expect(a.bonds[1]).toEqual([
      [2, 53619],
      [3, 53619],
    ]);
    const o = run("outdated_weights_replaced_uid.json");
    expect([o.dividends[0], o.emission[0]]).toEqual([32767, 250000000n]);
    const c = run("classic_liquid_alpha.json");
    expect([0, 1, 2, 3].map((i) => c.bonds[i].find(([j]) => j === 4)![1])).toEqual([435, 4985, 49151, 65535]);
    const y = run("yuma3_kappa_moves_first_epoch2.json");
    [0.9382, 0.0618, 0, 0, 0].forEach((t, i) => expect(Math.abs(y.dividends[i] / 65535 - t)).toBeLessThanOrEqual(1e-3));
    const f = run("first_epoch_stake_fallback.json");
    expect(f.serverEmission).toEqual([0n, 0n, 0n]);
    expect(f.validatorEmission).toEqual([750000000n, 250000000n, 0n]);
  });
});
