/**
 * The btcli-style client against a real dev node process: each command's success output (mostly
 * through --json, parsed), and the error paths users hit (wrong password, insufficient balance,
 * not registered, subnet missing, no node). Wallet files are checked with @polkadot/keyring.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Keyring } from "@polkadot/keyring";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { NodeProcess } from "../utils/nodeProcess.js";
import { json, runCli, type CliResult } from "../utils/cli.js";

const TAO = 1_000_000_000n;
const ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

let node: NodeProcess;
let dir: string;
let url: string;
let pw: string;
let wrongPw: string;

/** The environment of a user: private wallet folder, the node's URL, no password in the environment. */
function env(): Record<string, string> {
  const e: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("SUBTENSOR_TS_")) e[k] = v;
  return { ...e, SUBTENSOR_TS_WALLET_PATH: join(dir, "wallets"), SUBTENSOR_TS_URL: url };
}

const cli = (...args: string[]): Promise<CliResult> => runCli(args, env());
/** A transaction command, answered yes, returning once in a block. */
const tx = (...args: string[]): Promise<CliResult> => runCli([...args, "-y", "--wait-for", "inblock", "--password-file", pw], env());
const ok = (r: CliResult): CliResult => {
  if (r.code !== 0) throw new Error(`command failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r;
};

beforeAll(async () => {
  await cryptoWaitReady();
  dir = mkdtempSync(join(tmpdir(), "subtensor-ts-cli-"));
  pw = join(dir, "pw.txt");
  wrongPw = join(dir, "wrong.txt");
  writeFileSync(pw, "correct horse battery\n");
  writeFileSync(wrongPw, "not the password\n");
  node = NodeProcess.start(["start", "--dev", "--listen-addr", "/ip4/127.0.0.1/tcp/0", "--block-time", "1000", "--rpc-port", "0", "--no-prometheus", "--base-path", join(dir, "node")]);
  url = `ws://127.0.0.1:${await node.rpcPort()}`;
});

afterAll(async () => {
  if (node) await node.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
});

describe("subtensor-ts client commands against a dev node", () => {
  let w1: { coldkey: string; hotkey: string };

  it("wallet create writes a polkadot-js keystore coldkey and a btcli-style hotkey", async () => {
    const created = json(ok(await cli("wallet", "create", "--wallet", "w1", "--password-file", pw, "--json")));
    expect(created.coldkey.mnemonic.split(" ")).toHaveLength(12);
    w1 = { coldkey: created.coldkey.address, hotkey: created.hotkey.address };

    // the coldkey file imports into @polkadot/keyring (what the polkadot-js extension uses) with the password
    const keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
    const file = JSON.parse(readFileSync(join(dir, "wallets", "w1", "coldkey"), "utf8"));
    expect(file.encoding.content).toEqual(["pkcs8", "sr25519"]);
    expect(file.encoding.type).toEqual(["scrypt", "xsalsa20-poly1305"]);
    const pair = keyring.addFromJson(file);
    expect(() => pair.decodePkcs8("not the password")).toThrow();
    pair.decodePkcs8("correct horse battery");
    expect(pair.isLocked).toBe(false);
    expect(pair.address).toBe(w1.coldkey);
    expect(keyring.addFromUri(created.coldkey.mnemonic).address).toBe(w1.coldkey);

    const hot = JSON.parse(readFileSync(join(dir, "wallets", "w1", "hotkeys", "default"), "utf8"));
    expect(hot.ss58Address).toBe(w1.hotkey);
    expect(keyring.addFromUri(hot.secretPhrase).address).toBe(w1.hotkey);
    expect(hot.privateKey).toMatch(/^0x[0-9a-f]{128}$/);
    const pub = JSON.parse(readFileSync(join(dir, "wallets", "w1", "coldkeypub.txt"), "utf8"));
    expect(pub.ss58Address).toBe(w1.coldkey);

    // refuses to overwrite
    const again = await cli("wallet", "create", "--wallet", "w1", "--password-file", pw);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already has a coldkey/);
  });

  it("regen-coldkey/regen-hotkey restore keys; list and balance read them", async () => {
    ok(await cli("wallet", "regen-coldkey", "--wallet", "alice", "--uri", "//Alice", "--password-file", pw));
    ok(await cli("wallet", "regen-hotkey", "--wallet", "alice", "--uri", "//Alice//owner"));
    const list = json(ok(await cli("wallet", "list", "--json")));
    expect(list.wallets.map((w: { name: string }) => w.name)).toEqual(["alice", "w1"]);
    expect(list.wallets[0].coldkey).toBe(ALICE);
    const bal = json(ok(await cli("wallet", "balance", "--wallet", "alice", "--json")));
    expect(BigInt(bal.balances[0].free)).toBeGreaterThan(999_000n * TAO);
    expect(bal.balances[0].address).toBe(ALICE);
  });

  it("wallet transfer: moves exactly the amount; wrong password and insufficient balance are clear errors", async () => {
    const sent = json(ok(await tx("wallet", "transfer", "--wallet", "alice", "--dest", w1.coldkey, "--amount", "50.5", "--json")));
    expect(sent.success).toBe(true);
    const transfer = sent.events.find((e: { section: string; method: string }) => e.section === "balances" && e.method === "Transfer");
    expect(BigInt(transfer.data.amount)).toBe(50_500_000_000n);
    const bal = json(ok(await cli("wallet", "balance", "--address", w1.coldkey, "--json")));
    expect(bal.balances[0].free).toBe("50500000000");
    expect(bal.balances[0].freeTao).toBe("50.500000000");

    const wrong = await runCli(["wallet", "transfer", "--wallet", "alice", "--dest", w1.coldkey, "--amount", "1", "-y", "--password-file", wrongPw], env());
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/wrong password for the coldkey of wallet "alice"/);

    const poor = await tx("wallet", "transfer", "--wallet", "w1", "--dest", ALICE, "--amount", "1000", "--json");
    expect(poor.code).toBe(1);
    expect(poor.stderr).toMatch(/insufficient balance: the coldkey has τ50\.500000000/);
    expect(json(poor)).toMatchObject({ success: false });

    const noPassword = await runCli(["wallet", "transfer", "--wallet", "alice", "--dest", w1.coldkey, "--amount", "1", "-y"], env());
    expect(noPassword.stderr).toMatch(/a password is needed .*\n.*--password-file/);
  });

  it("a missing subnet is named, whether the CLI or the chain notices", async () => {
    const reg = await tx("subnet", "register", "--wallet", "w1", "--netuid", "77", "--json");
    expect(reg.code).toBe(1);
    expect(json(reg)).toMatchObject({ success: false, error: "SubtensorModule.SubNetworkDoesNotExist", message: "SubNetworkDoesNotExist: subnet 77 does not exist" });
    const graph = await cli("subnet", "metagraph", "--netuid", "77");
    expect(graph.stderr).toMatch(/SubNetworkDoesNotExist: subnet 77 does not exist\n.*subtensor-ts subnet list/);
    // the chain's own refusal, decoded: sudo on a subnet that does not exist
    const sudo = await tx("sudo", "set", "tempo", "5", "--netuid", "77", "--wallet", "alice");
    expect(sudo.code).toBe(1);
    expect(sudo.stderr).toMatch(/SubnetDoesNotExist: subnet 77 does not exist/);
  });

  it("a hotkey that never held TAO is told to get some before it signs", async () => {
    const r = await tx("weights", "set", "--wallet", "w1", "--netuid", "1", "--uids", "0", "--weights", "1");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the hotkey ${w1.hotkey} does not exist on chain yet`);
    expect(r.stderr).toContain(`subtensor-ts wallet transfer --dest ${w1.hotkey} --amount 0.01`);
  });

  it("an unregistered hotkey gets the chain's HotKeyNotRegisteredInSubNet with the command that fixes it", async () => {
    ok(await tx("wallet", "transfer", "--wallet", "alice", "--dest", w1.hotkey, "--amount", "1"));
    const r = await tx("weights", "set", "--wallet", "w1", "--netuid", "1", "--uids", "0", "--weights", "1");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("HotKeyNotRegisteredInSubNet: this hotkey has no UID on subnet 1");
    expect(r.stderr).toContain("register it first with `subtensor-ts subnet register --netuid 1 --wallet w1 --hotkey default`");
  });

  it("subnet register burns and gives the hotkey a UID; registering twice is refused", async () => {
    const reg = json(ok(await tx("subnet", "register", "--wallet", "w1", "--netuid", "1", "--json")));
    const event = reg.events.find((e: { method: string }) => e.method === "NeuronRegistered");
    expect(event.data[0]).toBe(1);
    expect(event.data[2]).toBe(w1.hotkey);
    const graph = json(ok(await cli("subnet", "metagraph", "--netuid", "1", "--json")));
    const mine = graph.neurons.find((n: { hotkey: string }) => n.hotkey === w1.hotkey);
    expect(mine.coldkey).toBe(w1.coldkey);
    expect(graph.n).toBe(2);
    expect(Object.keys(graph.totals)).toEqual(expect.arrayContaining(["stake", "rank", "trust", "consensus", "incentive", "dividends", "emission"]));
    const twice = await tx("subnet", "register", "--wallet", "w1", "--netuid", "1");
    expect(twice.stderr).toMatch(/HotKeyAlreadyRegisteredInSubNet: this hotkey is already registered on subnet 1 \(UID 1\)/);
    const table = ok(await cli("subnet", "metagraph", "--netuid", "1"));
    expect(table.stdout).toMatch(/uid.*hotkey.*coldkey.*stake.*rank.*trust.*consensus.*incentive.*dividends.*emission.*vtrust.*val.*updated.*axon/);
    expect(table.stdout).toMatch(/total/);
  });

  it("stake add/list, delegate become/list, axon serve, wallet overview", async () => {
    ok(await tx("stake", "add", "--wallet", "w1", "--amount", "10"));
    const stakes = json(ok(await cli("stake", "list", "--wallet", "w1", "--json")));
    expect(stakes.stakes).toEqual([expect.objectContaining({ hotkey: w1.hotkey })]);
    // at least what was added: the hotkey has a UID on subnet 1, so an epoch between the two
    // commands (a slow machine) may already have paid it emission as stake
    expect(BigInt(stakes.stakes[0].stake)).toBeGreaterThanOrEqual(10n * TAO);
    ok(await tx("delegate", "become", "--wallet", "w1"));
    const delegates = json(ok(await cli("delegate", "list", "--json")));
    expect(delegates.delegates).toEqual([expect.objectContaining({ hotkey: w1.hotkey, owner: w1.coldkey, takePercent: 18 })]);
    ok(await tx("axon", "serve", "--wallet", "w1", "--netuid", "1", "--ip", "10.0.0.5", "--port", "8091"));
    const graph = json(ok(await cli("subnet", "metagraph", "--netuid", "1", "--json")));
    expect(graph.neurons.find((n: { hotkey: string }) => n.hotkey === w1.hotkey).axon).toMatchObject({ ip: "10.0.0.5", port: 8091, ipType: 4 });
    const overview = json(ok(await cli("wallet", "overview", "--wallet", "w1", "--json")));
    expect(overview.neurons).toEqual([expect.objectContaining({ netuid: 1, uid: 1, hotkey: w1.hotkey })]);
  });

  it("sudo set changes a hyperparameter by name; a non-owner gets BadOrigin", async () => {
    ok(await tx("sudo", "set", "weights_rate_limit", "7", "--netuid", "1", "--wallet", "alice"));
    const hp = json(ok(await cli("subnet", "hyperparameters", "--netuid", "1", "--json")));
    // u64 values are decimal strings in JSON (as every RAO amount), u16 values numbers
    expect(hp.hyperparameters.weights_rate_limit).toBe("7");
    expect(hp.hyperparameters.tempo).toBe(99);
    const denied = await tx("sudo", "set", "tempo", "3", "--netuid", "1", "--wallet", "w1");
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/BadOrigin: this wallet may not make this call/);
    const params = json(ok(await cli("sudo", "params", "--json")));
    expect(params.setters.map((s: { name: string }) => s.name)).toEqual(expect.arrayContaining(["tempo", "max_allowed_uids", "network_rate_limit", "alpha_values"]));
    const unknown = await tx("sudo", "set", "tempoo", "3", "--netuid", "1", "--wallet", "alice");
    expect(unknown.stderr).toMatch(/"tempoo" is not a hyperparameter.*\n.*did you mean tempo/);
  });

  it("subnet lock-cost, create, list and show", async () => {
    const cost = json(ok(await cli("subnet", "lock-cost", "--json")));
    expect(cost.lockCostTao).toBe("10.000000000");
    const created = json(ok(await tx("subnet", "create", "--wallet", "alice", "--json")));
    const added = created.events.find((e: { method: string }) => e.method === "NetworkAdded");
    const netuid = added.data[0];
    expect(netuid).toBe(2);
    const list = json(ok(await cli("subnet", "list", "--json")));
    expect(list.subnets.map((s: { netuid: number }) => s.netuid)).toEqual([0, 1, 2]);
    const show = json(ok(await cli("subnet", "show", "--netuid", "2", "--json")));
    expect(show).toMatchObject({ netuid: 2, owner: ALICE, locked: String(10n * TAO) });
    expect(show.hyperparameters.tempo).toBeGreaterThan(0);
  });

  it("root register and root list", async () => {
    ok(await tx("root", "register", "--wallet", "w1"));
    const root = json(ok(await cli("root", "list", "--json")));
    expect(root.members).toEqual([expect.objectContaining({ uid: 0, hotkey: w1.hotkey })]);
  });

  it("subnet register --pow solves Subtensor's proof of work", async () => {
    ok(await tx("sudo", "set", "pow_registration_allowed", "true", "--netuid", "1", "--wallet", "alice"));
    ok(await tx("sudo", "set", "difficulty", "2000", "--netuid", "1", "--wallet", "alice"));
    const miner = json(ok(await cli("wallet", "new-hotkey", "--wallet", "w1", "--hotkey", "miner", "--json")));
    const unfunded = await tx("subnet", "register", "--pow", "--threads", "1", "--wallet", "w1", "--hotkey", "miner", "--netuid", "1");
    expect(unfunded.stderr).toMatch(/does not exist on chain yet/);
    ok(await tx("wallet", "transfer", "--wallet", "alice", "--dest", miner.hotkey.address, "--amount", "1"));
    const r = json(ok(await tx("subnet", "register", "--pow", "--threads", "1", "--wallet", "w1", "--hotkey", "miner", "--netuid", "1", "--json")));
    expect(r.events.some((e: { method: string }) => e.method === "NeuronRegistered")).toBe(true);
    const graph = json(ok(await cli("subnet", "metagraph", "--netuid", "1", "--json")));
    expect(graph.n).toBe(3);
  });

  it("says so when no node answers", async () => {
    const r = await runCli(["subnet", "list", "--url", "ws://127.0.0.1:1"], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot reach a node at ws:\/\/127\.0\.0\.1:1/);
  });
});
