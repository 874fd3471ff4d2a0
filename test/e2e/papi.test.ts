/**
 * End to end with the unmodified polkadot-api (PAPI 2.2.2, `ws` as its WebSocket class on Node
 * 20) against a real dev node: finalized and best blocks, System.Account, SubtensorModule storage
 * (values and a map's entries), runtime API calls, a signed transfer followed to finalization, and
 * burned_register with its events. The WebSocket's outgoing messages are logged: every request PAPI
 * sent must belong to the new JSON-RPC interface (plus `rpc_methods`, which it asks first), which
 * proves it took its native path and never fell back to its legacy adapter (chain_*, state_*, …).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createClient, type PolkadotClient } from "polkadot-api";
import { getWsProvider } from "polkadot-api/ws";
import { getPolkadotSigner } from "polkadot-api/signer";
import { sr25519CreateDerive } from "@polkadot-labs/hdkd";
import { DEV_PHRASE, entropyToMiniSecret, mnemonicToEntropy, ss58Address } from "@polkadot-labs/hdkd-helpers";
import { Account } from "../../src/chain/runtime/pallets/system.js";
import { toHex } from "../../src/util/bytes.js";
import { devChainSpec } from "../../src/chain/spec.js";
import { startTestNode, type TestNode } from "../utils/testNode.js";

const TAO = 1_000_000_000n;
const derive = sr25519CreateDerive(entropyToMiniSecret(mnemonicToEntropy(DEV_PHRASE)));
const dev = (suri: string) => {
  const pair = derive(suri);
  return { publicKey: pair.publicKey, address: ss58Address(pair.publicKey, 42), signer: getPolkadotSigner(pair.publicKey, "Sr25519", pair.sign) };
};

/** What PAPI may call on its native path. */
const NEW_INTERFACE = /^(chainHead_v1_|chainSpec_v1_|transaction_v1_|transactionWatch_v1_|archive_v1_)/;

let t: TestNode;
let client: PolkadotClient;
let api: any;
const sent: string[] = [];

beforeAll(async () => {
  t = await startTestNode({ spec: await devChainSpec(500) });
  const provider = getWsProvider(t.url, {
    websocketClass: WebSocket as unknown as typeof globalThis.WebSocket,
    logger: (e) => {
      if (process.env.PAPI_DEBUG && (e.type === "OUT" || e.type === "IN")) console.log(e.type, e.msg.slice(0, 400));
      if (e.type !== "OUT") return;
      const msg = JSON.parse(e.msg) as { method?: string } | Array<{ method?: string }>;
      for (const m of Array.isArray(msg) ? msg : [msg]) if (m.method) sent.push(m.method);
    },
  });
  client = createClient(provider);
  api = client.getUnsafeApi();
});

afterAll(async () => {
  client?.destroy();
  await t?.stop();
});

describe("polkadot-api against a dev node, through chainHead_v1 / transaction_v1", () => {
  it("reads the finalized and best blocks", async () => {
    const finalized = await client.getFinalizedBlock();
    const chain = t.node.chain;
    expect(finalized.number).toBeLessThanOrEqual(chain.finalized.number);
    expect(finalized.hash).toBe(toHex(chain.hashAt(finalized.number)!));
    const best = await client.getBestBlocks();
    expect(best.length).toBeGreaterThan(0);
    expect(best[0].number).toBeGreaterThanOrEqual(finalized.number);
    expect(t.node.chain.has(Buffer.from(best[0].hash.slice(2), "hex"))).toBe(true);
    const spec = await client.getChainSpecData();
    expect(spec).toEqual({ name: "Development", genesisHash: toHex(chain.genesisHash), properties: { ss58Format: 42, tokenDecimals: 9, tokenSymbol: "TAO" } });
  });

  it("reads System.Account as the chain has it", async () => {
    const alice = dev("//Alice");
    const finalized = await client.getFinalizedBlock();
    const account = await api.query.System.Account.getValue(alice.address, { at: finalized.hash });
    const expected = Account.get(t.node.chain.stateAt(Buffer.from(finalized.hash.slice(2), "hex")), alice.publicKey);
    expect(account.nonce).toBe(expected.nonce);
    expect(account.data.free).toBe(BigInt(expected.data.free));
    expect(account.data.free).toBeGreaterThan(0n);
  });

  it("reads SubtensorModule storage: a value and the entries of a map", async () => {
    expect(await api.query.SubtensorModule.TotalNetworks.getValue()).toBeGreaterThanOrEqual(1);
    const tempos = await api.query.SubtensorModule.Tempo.getEntries();
    const netuids = tempos.map((e: { keyArgs: [number] }) => e.keyArgs[0]).sort();
    expect(netuids).toContain(1);
    for (const e of tempos) expect(typeof e.value).toBe("number");
    const owner = await api.query.SubtensorModule.SubnetOwner.getValue(1);
    expect(owner).toBe(dev("//Alice").address);
  });

  it("calls runtime APIs through api.apis", async () => {
    const alice = dev("//Alice");
    const nonce = await api.apis.AccountNonceApi.account_nonce(alice.address);
    expect(Number(nonce)).toBe(Account.get(t.node.chain.bestState(), alice.publicKey).nonce);
    const version = await api.apis.Core.version();
    expect(version.spec_name).toBe("node-subtensor");
  });

  it("signs a balance transfer and follows it to finalization", async () => {
    const alice = dev("//Alice");
    const bob = dev("//Bob");
    const before = (await api.query.System.Account.getValue(bob.address)).data.free as bigint;
    const tx = api.tx.Balances.transfer_keep_alive({ dest: { type: "Id", value: bob.address }, value: 3n * TAO });
    const result = await tx.signAndSubmit(alice.signer);
    expect(result.ok).toBe(true);
    expect(result.events.some((e: any) => e.type === "Balances" && e.value.type === "Transfer")).toBe(true);
    // signAndSubmit resolves at finalization: the block is final on the node
    const number = result.block.number as number;
    expect(t.node.chain.finalized.number).toBeGreaterThanOrEqual(number);
    expect(toHex(t.node.chain.hashAt(number)!)).toBe(result.block.hash);
    const after = (await api.query.System.Account.getValue(bob.address, { at: result.block.hash })).data.free as bigint;
    expect(after - before).toBe(3n * TAO);
  });

  it("registers a hotkey with burned_register and reads its events", async () => {
    const coldkey = dev("//Bob");
    const hotkey = dev("//Bob//papi-hotkey");
    const result = await api.tx.SubtensorModule.burned_register({ netuid: 1, hotkey: hotkey.address }).signAndSubmit(coldkey.signer);
    expect(result.ok).toBe(true);
    const registered = result.events.find((e: any) => e.type === "SubtensorModule" && e.value.type === "NeuronRegistered");
    expect(registered).toBeDefined();
    const uid = await api.query.SubtensorModule.Uids.getValue(1, hotkey.address, { at: result.block.hash });
    expect(typeof uid).toBe("number");
    expect(await api.query.SubtensorModule.Owner.getValue(hotkey.address, { at: result.block.hash })).toBe(coldkey.address);
  });

  it("used only the new JSON-RPC interface (no legacy fallback)", () => {
    expect(sent[0]).toBe("rpc_methods");
    const others = sent.filter((m) => m !== "rpc_methods" && !NEW_INTERFACE.test(m));
    expect(others).toEqual([]);
    for (const m of ["chainHead_v1_follow", "chainHead_v1_storage", "chainHead_v1_call", "chainHead_v1_unpin", "transaction_v1_broadcast"]) expect(sent).toContain(m);
  });
});
