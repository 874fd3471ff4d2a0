/** The CLI as users run it: key tools, build-spec, purge-chain, and clear errors for bad input. */
import { execFile } from "node:child_process";
import { mkdtempSync, mkdirSync, existsSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { CLI } from "../utils/nodeProcess.js";

const run = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args]);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
};

describe("subtensor-ts CLI", () => {
  it("key inspect shows //Alice's well-known address (sr25519 and ed25519)", async () => {
    const sr = await run("key", "inspect", "//Alice");
    expect(sr.code).toBe(0);
    expect(sr.stdout).toContain("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
    const ed = await run("key", "inspect", "//Alice", "--scheme", "ed25519", "--output-type", "json");
    expect(JSON.parse(ed.stdout).ss58Address).toBe("5FA9nQDVg267DEd8m1ZypXLBnvN7SFxYwV7ndqSYGiN9TTpu");
  });

  it("key generate prints a fresh mnemonic whose address key inspect reproduces", async () => {
    const gen = JSON.parse((await run("key", "generate", "--output-type", "json")).stdout);
    expect(gen.secretPhrase.split(" ")).toHaveLength(12);
    const again = JSON.parse((await run("key", "inspect", gen.secretPhrase, "--output-type", "json")).stdout);
    expect(again.ss58Address).toBe(gen.ss58Address);
  });

  it("build-spec prints the dev spec, and validates a spec file with errors naming the field", async () => {
    const dev = JSON.parse((await run("build-spec", "--dev")).stdout);
    expect(dev.id).toBe("dev");
    expect(dev.balances).toHaveLength(6);
    const dir = mkdtempSync(join(tmpdir(), "subtensor-ts-spec-"));
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ ...dev, id: "x", balances: [["not-an-address", "1"]] }));
    const r = await run("build-spec", "--chain", bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/balances\[0\]\[0\]: not a valid SS58 address/);
    const repo = await run("build-spec", "--chain", join(__dirname, "../../genesis.json"));
    expect(JSON.parse(repo.stdout).id).toBe("local_testnet");
    rmSync(dir, { recursive: true, force: true });
  });

  it("purge-chain removes the chain database", async () => {
    const base = mkdtempSync(join(tmpdir(), "subtensor-ts-purge-"));
    const db = join(base, "chains", "dev", "db");
    mkdirSync(db, { recursive: true });
    const r = await run("purge-chain", "--dev", "--base-path", base, "-y");
    expect(r.code).toBe(0);
    expect(existsSync(db)).toBe(false);
    rmSync(base, { recursive: true, force: true });
  });

  it("rejects bad flags with a message", async () => {
    const r = await run("start", "--rpc-port", "99999");
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--rpc-port must be an integer between 0 and 65535/);
    const missing = await run("start", "--chain", "/nonexistent/spec.json");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read chain spec/);
  });
});
