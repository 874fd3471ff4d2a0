/** `subtensor-ts yuma` (src/cli/commands/yuma.ts): output, --table, stdin-less file runs, errors. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CommanderError } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runYumaCase, yumaCommand } from "../../cli/commands/yuma.js";
import { parseJson } from "./json.js";

const CASE = JSON.stringify({
  n: 3,
  current_block: 10,
  rao_emission: 1000000000,
  stake: [3, 1, 0],
  last_update: [10, 10, 1],
  block_at_registration: [1, 1, 1],
  validator_permit: [true, true, false],
  weights: [[[2, 65535]], [[2, 65535]], []],
});

function tmpCase(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "yuma-cli-"));
  const path = join(dir, "case.json");
  writeFileSync(path, text);
  return path;
}

async function run(args: string[]): Promise<{ out: string; err: string; exitCode: number }> {
  let out = "";
  let err = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const cmd = yumaCommand()
    .exitOverride()
    .configureOutput({ writeErr: (s) => (err += s), writeOut: (s) => (out += s) });
  try {
    await cmd.parseAsync(args, { from: "user" });
    return { out, err, exitCode: 0 };
  } catch (e) {
    if (e instanceof CommanderError) return { out, err, exitCode: e.exitCode };
    throw e;
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe("yuma command", () => {
  it("prints the output JSON of a case file", async () => {
    const { out, exitCode } = await run([tmpCase(CASE)]);
    expect(exitCode).toBe(0);
    const json = parseJson(out) as Record<string, unknown>;
    expect(json.incentive).toEqual([0n, 0n, 65535n]);
    expect(json.server_emission).toEqual([0n, 0n, 500000000n]);
    expect(out).toBe(runYumaCase(CASE) + "\n");
  });

  it("--table prints one line per uid", async () => {
    const { out, exitCode } = await run([tmpCase(CASE), "--table"]);
    expect(exitCode).toBe(0);
    const lines = out.trim().split("\n");
    expect(lines[0]).toMatch(/^uid\s+active\s+permit\s+stake_w/);
    expect(lines).toHaveLength(1 + 3 + 1);
    expect(lines[3]).toMatch(/^2\s+yes\s+no/); // active (within the cutoff), no permit
    expect(lines[4]).toMatch(/^total emission 1000000000|^total emission 99999999\d/);
  });

  it("a bad case: message naming the field, exit code 1", async () => {
    const bad = JSON.parse(CASE) as Record<string, unknown>;
    bad.stake = [3, 1];
    const { err, exitCode } = await run([tmpCase(JSON.stringify(bad))]);
    expect(exitCode).toBe(1);
    expect(err).toMatch(/stake: must have n = 3 entries, got 2/);
  });

  it("an unreadable file: exit code 1", async () => {
    const { err, exitCode } = await run([join(tmpdir(), "does-not-exist-yuma.json")]);
    expect(exitCode).toBe(1);
    expect(err).toMatch(/cannot read/);
  });
});
