/**
 * SubtensorModule.serve_axon (4) / serve_prometheus (5), classic serving.rs at de1026780, through
 * real extrinsics: the stored records and events, every error in the Rust order (registration,
 * ip type, ip address, rate limit, port), the ServingRateLimit across blocks.
 *
 * Set-up: subnet 1 pre-created by the genesis spec with //Hk0 registered as UID 0.
 */
import { afterEach, describe, expect, it } from "vitest";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import { ChainHarness } from "../../../../../../test/utils/chainHarness.js";
import { devChainSpec } from "../../../../spec.js";
import { Axons, Prometheus } from "../storage.js";
import { outcomeOf, subtensorEventsOf, signerBalances } from "../../../../../../test/utils/subtensor/weights.js";

const NETUID = 1;
const IPV4 = 0x0102_0304n; // 1.2.3.4
const IPV6 = 0x2001_0db8_0000_0000_0000_0000_0000_0001n; // 2001:db8::1
const U128_MAX = (1n << 128n) - 1n;

let h: ChainHarness;
afterEach(async () => {
  await h?.close();
});

const specKeyring = new Keyring({ type: "sr25519", ss58Format: 42 });
const addr = (name: string): string => specKeyring.addFromUri(`//${name}`).address;
const pair = (name: string): KeyringPair => h.keyring.addFromUri(`//${name}`);

async function setup(hp: Record<string, unknown> = {}): Promise<{ hk0: KeyringPair; stranger: KeyringPair }> {
  const spec = await devChainSpec();
  h = await ChainHarness.create({
    ...spec,
    balances: [...spec.balances, ...signerBalances(addr, ["Hk0", "Stranger"])],
    subtensor: { subnets: [{ netuid: NETUID, owner: addr("Alice"), ownerHotkey: addr("Hk0"), hyperparameters: hp }] },
  });
  return { hk0: pair("Hk0"), stranger: pair("Stranger") };
}

interface Endpoint {
  netuid?: number;
  version?: number;
  ip?: bigint;
  port?: number;
  ipType?: number;
  protocol?: number;
  placeholder1?: number;
  placeholder2?: number;
}

const axon = (who: KeyringPair, e: Endpoint = {}) =>
  h.sign(
    who,
    h.encodeCall("SubtensorModule", "serve_axon", {
      netuid: e.netuid ?? NETUID,
      version: e.version ?? 1,
      ip: e.ip ?? IPV4,
      port: e.port ?? 8091,
      ipType: e.ipType ?? 4,
      protocol: e.protocol ?? 4,
      placeholder1: e.placeholder1 ?? 0,
      placeholder2: e.placeholder2 ?? 0,
    }),
  );

const prometheus = (who: KeyringPair, e: Endpoint = {}) =>
  h.sign(who, h.encodeCall("SubtensorModule", "serve_prometheus", { netuid: e.netuid ?? NETUID, version: e.version ?? 1, ip: e.ip ?? IPV4, port: e.port ?? 7091, ipType: e.ipType ?? 4 }));

async function run(...txs: Uint8Array[]): Promise<string[]> {
  const block = await h.produce(txs);
  expect(block.skipped).toEqual([]);
  return txs.map((_, i) => outcomeOf(block.events, i + 1));
}

const state = () => h.chain.bestState();
const best = () => BigInt(h.chain.best.number);

/** Invalid (ip_type, ip) pairs of is_valid_ip_address, and valid ones. */
const BAD_IPS: Array<[number, bigint, string]> = [
  [4, 0n, "zero"],
  [4, 0x7f00_0001n, "127.0.0.1"],
  [4, 0xffff_ffffn, "255.255.255.255 (≥ u32::MAX)"],
  [4, 1n << 32n, "beyond 32 bits"],
  [6, 0n, "::"],
  [6, 1n, "::1"],
  [6, U128_MAX, "all ones"],
];
const GOOD_IPS: Array<[number, bigint]> = [
  [4, 0xc0a8_0101n], // 192.168.1.1: private ranges are accepted
  [4, 0xffff_fffen],
  [6, IPV6],
  [6, 0x7f00_0001n],
];

describe("serve_axon", () => {
  it("stores Axons(netuid, hotkey) with the current block and emits AxonServed(netuid, hotkey); no fee", async () => {
    const { hk0 } = await setup();
    const block = await h.produce([axon(hk0, { version: 7, ip: IPV6, port: 8091, ipType: 6, protocol: 4, placeholder1: 1, placeholder2: 2 })]);
    expect(outcomeOf(block.events, 1)).toBe("ok");
    expect(Axons.get(state(), NETUID, hk0.publicKey)).toEqual({ block: best(), version: 7, ip: IPV6, port: 8091, ipType: 6, protocol: 4, placeholder1: 1, placeholder2: 2 });
    expect(subtensorEventsOf(block.events)).toEqual([["AxonServed", [NETUID, hk0.publicKey]]]);
    expect(h.freeOf(hk0.publicKey)).toBe(1_000_000_000n); // Pays::No: the genesis balance is untouched
  });

  it("HotKeyNotRegisteredInNetwork for a hotkey registered nowhere, before the ip checks", async () => {
    const { stranger } = await setup();
    expect(await run(axon(stranger, { ipType: 5 }))).toEqual(["HotKeyNotRegisteredInNetwork"]);
  });

  it("InvalidIpType for anything but 4 and 6", async () => {
    const { hk0 } = await setup();
    for (const ipType of [0, 5, 255]) expect(await run(axon(hk0, { ipType }))).toEqual(["InvalidIpType"]);
  });

  it("InvalidIpAddress for zero, localhost, out-of-range v4 and all-ones v6; other addresses pass", async () => {
    const { hk0 } = await setup({ servingRateLimit: 0 });
    for (const [ipType, ip] of BAD_IPS) expect(await run(axon(hk0, { ipType, ip }))).toEqual(["InvalidIpAddress"]);
    for (const [ipType, ip] of GOOD_IPS) expect(await run(axon(hk0, { ipType, ip }))).toEqual(["ok"]);
  });

  it("InvalidPort for port 0, checked after the ip", async () => {
    const { hk0 } = await setup();
    expect(await run(axon(hk0, { port: 0, ip: 0n }))).toEqual(["InvalidIpAddress"]);
    expect(await run(axon(hk0, { port: 0 }))).toEqual(["InvalidPort"]);
    expect(Axons.get(state(), NETUID, hk0.publicKey)).toBeNull();
  });

  it("ServingRateLimitExceeded until ServingRateLimit blocks after the last serve, accepted at exactly the limit", async () => {
    const { hk0 } = await setup({ servingRateLimit: 3 });
    expect(await run(axon(hk0, { port: 1 }))).toEqual(["ok"]);
    const n = best();
    expect(await run(axon(hk0, { port: 2 }))).toEqual(["ServingRateLimitExceeded"]);
    expect(await run(axon(hk0, { port: 3 }))).toEqual(["ServingRateLimitExceeded"]);
    expect(Axons.get(state(), NETUID, hk0.publicKey)).toMatchObject({ block: n, port: 1 });
    expect(await run(axon(hk0, { port: 4 }))).toEqual(["ok"]);
    expect(best()).toBe(n + 3n);
    expect(Axons.get(state(), NETUID, hk0.publicKey)).toMatchObject({ block: n + 3n, port: 4 });
  });

  it("the rate limit is kept per (netuid, hotkey) and per record kind; a limit of 0 never refuses", async () => {
    const { hk0 } = await setup({ servingRateLimit: 100 });
    expect(await run(axon(hk0))).toEqual(["ok"]);
    // another netuid (even one without the neuron: only registration somewhere is checked) and prometheus are separate
    expect(await run(axon(hk0, { netuid: 2 }))).toEqual(["ok"]);
    expect(await run(prometheus(hk0))).toEqual(["ok"]);
    expect(await run(axon(hk0))).toEqual(["ServingRateLimitExceeded"]);

    await h.close();
    await setup({ servingRateLimit: 0 });
    for (let i = 0; i < 3; i++) expect(await run(axon(pair("Hk0")))).toEqual(["ok"]);
  });

  it("as in classic Subtensor, the netuid is not checked: a registered hotkey can serve on any netuid", async () => {
    const { hk0 } = await setup();
    expect(await run(axon(hk0, { netuid: 77 }))).toEqual(["ok"]);
    expect(Axons.get(state(), 77, hk0.publicKey)).toMatchObject({ block: best(), port: 8091 });
  });
});

describe("serve_prometheus", () => {
  it("stores Prometheus(netuid, hotkey) with the current block and emits PrometheusServed(netuid, hotkey)", async () => {
    const { hk0 } = await setup();
    const block = await h.produce([prometheus(hk0, { version: 3, ip: IPV4, port: 9090, ipType: 4 })]);
    expect(outcomeOf(block.events, 1)).toBe("ok");
    expect(Prometheus.get(state(), NETUID, hk0.publicKey)).toEqual({ block: best(), version: 3, ip: IPV4, port: 9090, ipType: 4 });
    expect(subtensorEventsOf(block.events)).toEqual([["PrometheusServed", [NETUID, hk0.publicKey]]]);
  });

  it("errors in order: HotKeyNotRegisteredInNetwork, InvalidIpType, InvalidIpAddress, InvalidPort", async () => {
    const { hk0, stranger } = await setup({ servingRateLimit: 0 });
    expect(await run(prometheus(stranger, { ipType: 9, port: 0 }))).toEqual(["HotKeyNotRegisteredInNetwork"]);
    expect(await run(prometheus(hk0, { ipType: 9, ip: 0n, port: 0 }))).toEqual(["InvalidIpType"]);
    for (const [ipType, ip] of BAD_IPS) expect(await run(prometheus(hk0, { ipType, ip, port: 0 }))).toEqual(["InvalidIpAddress"]);
    expect(await run(prometheus(hk0, { port: 0 }))).toEqual(["InvalidPort"]);
    expect(Prometheus.get(state(), NETUID, hk0.publicKey)).toBeNull();
  });

  it("ServingRateLimitExceeded until the limit, accepted at exactly the limit (before the port check)", async () => {
    const { hk0 } = await setup({ servingRateLimit: 2 });
    expect(await run(prometheus(hk0))).toEqual(["ok"]);
    const n = best();
    expect(await run(prometheus(hk0, { port: 0 }))).toEqual(["ServingRateLimitExceeded"]);
    expect(await run(prometheus(hk0, { port: 9999 }))).toEqual(["ok"]);
    expect(Prometheus.get(state(), NETUID, hk0.publicKey)).toMatchObject({ block: n + 2n, port: 9999 });
  });
});
