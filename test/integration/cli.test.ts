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

  it("build-spec --chain local is the 4-authority testnet with both keys per authority, as genesis.json", async () => {
    const local = JSON.parse((await run("build-spec", "--chain", "local")).stdout);
    expect(local.chainType).toBe("Local");
    expect(local.consensus.authorities).toHaveLength(4);
    expect(local.consensus.authorities[0]).toEqual({ aura: "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", grandpa: "5FA9nQDVg267DEd8m1ZypXLBnvN7SFxYwV7ndqSYGiN9TTpu" });
    const repo = JSON.parse((await run("build-spec", "--chain", join(__dirname, "../../genesis.json"))).stdout);
    expect(repo).toEqual(local);
  });

  it("key inspect-node-key and generate-node-key give Substrate's peer ids", async () => {
    const known = await run("key", "inspect-node-key", "--node-key", "0000000000000000000000000000000000000000000000000000000000000001");
    expect(known.stdout.trim()).toBe("12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp");
    const dir = mkdtempSync(join(tmpdir(), "subtensor-ts-nodekey-"));
    const file = join(dir, "secret_ed25519");
    const gen = await run("key", "generate-node-key", "--file", file);
    expect(gen.code).toBe(0);
    const peerId = gen.stderr.trim();
    expect(peerId).toMatch(/^12D3KooW/);
    expect((await run("key", "inspect-node-key", "--file", file)).stdout.trim()).toBe(peerId);
    const bad = await run("key", "inspect-node-key", "--node-key", "1234");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/invalid node key: expected 32 bytes/);
    rmSync(dir, { recursive: true, force: true });
  });

  it("--block-time is refused for a Live chain, and bad network flags say what is wrong", async () => {
    const dir = mkdtempSync(join(tmpdir(), "subtensor-ts-live-"));
    const live = JSON.parse((await run("build-spec", "--chain", "local")).stdout);
    const file = join(dir, "live.json");
    writeFileSync(file, JSON.stringify({ ...live, id: "live_net", chainType: "Live" }));
    const r = await run("start", "--chain", file, "--block-time", "1000", "--base-path", dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--block-time is only for Development and Local chains.*Live chain/);
    const boot = await run("start", "--dev", "--base-path", dir, "--rpc-port", "0", "--p2p-port", "0", "--bootnodes", "/ip4/127.0.0.1/tcp/30333");
    expect(boot.code).toBe(1);
    expect(boot.stderr).toMatch(/--bootnodes: .* has no \/p2p\/<peer id> part/);
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
