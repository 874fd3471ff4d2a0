/**
 * Subtensor's info runtime APIs (state_call) and custom RPCs on a real dev chain: subnet 1 (owner
 * hotkey //Alice//owner at UID 0), //Bob//hk and //Charlie//hk burned-registered, //Bob//hk a
 * delegate with its owner's stake and //Charlie as nominator, an axon served by //Bob//hk.
 * The custom RPCs must return exactly the bytes of the runtime API (as JSON byte arrays), and both
 * must describe the chain's storage.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Metadata, TypeRegistry } from "@polkadot/types";
import type { KeyringPair } from "@polkadot/keyring/types";
import { bytes, u16, u64, vec } from "../../chain/codec/scale.js";
import { fromHex, toHex } from "../../util/bytes.js";
import {
  ColdkeysStakeInfoVec,
  DelegateInfoCodec,
  DelegateInfoVec,
  DelegatedVec,
  NeuronInfoCodec,
  NeuronInfoLiteVec,
  NeuronInfoVec,
  StakeInfoVec,
  SubnetHyperparamsCodec,
  SubnetInfoOptionVec,
  SubnetInfoV2Codec,
} from "../../chain/runtime/pallets/subtensor/rpcInfo/types.js";
import { apiId } from "../../chain/runtime/api/ids.js";
import { Keys, Stake, SubnetworkN, TotalHotkeyStake } from "../../chain/runtime/pallets/subtensor/storage.js";
import { TestNode } from "../../../test/utils/rpcHarness.js";
import { Keyring } from "@polkadot/keyring";
import { devChainSpec } from "../../chain/spec.js";
import { SUBTENSOR_RPC_NAMES } from "./subtensor.js";

const TAO = 1_000_000_000n;
let node: TestNode;
let ownerHk: KeyringPair;
let bobHk: KeyringPair;
let charlieHk: KeyringPair;
let genesis: string;

/** state_call's answer for a classic API: the SCALE Vec<u8> unwrapped to the struct bytes. */
async function classic(method: string, args: Uint8Array = new Uint8Array(), at?: string): Promise<Uint8Array> {
  const out = await node.callOk("state_call", at ? [method, toHex(args), at] : [method, toHex(args)]);
  return bytes.decode(fromHex(out));
}

const call = (pallet: string, name: string, args: Record<string, unknown>) => node.encodeCall(pallet, name, args);

beforeAll(async () => {
  // hotkeys that sign (serve_axon) need an account: CheckNonce refuses signers without one
  const spec = await devChainSpec();
  spec.balances.push([new Keyring({ type: "sr25519", ss58Format: 42 }).addFromUri("//Bob//hk").address, TAO.toString()]);
  node = await TestNode.create({ spec });
  genesis = toHex(node.chain.genesisHash);
  ownerHk = node.keyring.addFromUri("//Alice//owner");
  bobHk = node.keyring.addFromUri("//Bob//hk");
  charlieHk = node.keyring.addFromUri("//Charlie//hk");
  const b1 = await node.produce([
    node.sign(node.bob, call("SubtensorModule", "burned_register", { netuid: 1, hotkey: bobHk.publicKey })),
    node.sign(node.charlie, call("SubtensorModule", "burned_register", { netuid: 1, hotkey: charlieHk.publicKey })),
  ]);
  expect(b1.skipped).toEqual([]);
  const b2 = await node.produce([
    node.sign(node.bob, call("SubtensorModule", "become_delegate", { hotkey: bobHk.publicKey })),
    node.sign(bobHk, call("SubtensorModule", "serve_axon", { netuid: 1, version: 7, ip: 0x01020304n, port: 8091, ipType: 4, protocol: 4, placeholder1: 0, placeholder2: 0 })),
  ]);
  expect(b2.skipped).toEqual([]);
  const b3 = await node.produce([
    node.sign(node.bob, call("SubtensorModule", "add_stake", { hotkey: bobHk.publicKey, amountStaked: 10n * TAO })),
    node.sign(node.charlie, call("SubtensorModule", "add_stake", { hotkey: bobHk.publicKey, amountStaked: 5n * TAO })),
  ]);
  expect(b3.skipped).toEqual([]);
});

afterAll(async () => {
  await node?.close();
});

describe("NeuronInfoRuntimeApi and neuronInfo_*", () => {
  it("get_neurons_lite: every UID of the subnet in order, with owner, stake and axon from storage", async () => {
    const raw = await classic("NeuronInfoRuntimeApi_get_neurons_lite", u16.encode(1));
    const neurons = NeuronInfoLiteVec.decode(raw);
    expect(neurons.map((n) => toHex(n.hotkey))).toEqual([ownerHk, bobHk, charlieHk].map((p) => toHex(p.publicKey)));
    expect(neurons.map((n) => n.uid)).toEqual([0, 1, 2]);
    const bob = neurons[1];
    expect(toHex(bob.coldkey)).toBe(toHex(node.bob.publicKey));
    expect(bob.stake).toEqual([[node.bob.publicKey, TotalHotkeyStake.get(node.chain.bestState(), bobHk.publicKey)]]);
    expect(bob.stake[0][1]).toBe(15n * TAO);
    expect(bob.axonInfo).toMatchObject({ version: 7, ip: 0x01020304n, port: 8091, ipType: 4, protocol: 4 });
    expect(neurons[2].axonInfo).toEqual({ block: 0n, version: 0, ip: 0n, port: 0, ipType: 0, protocol: 0, placeholder1: 0, placeholder2: 0 });
    expect(neurons.length).toBe(SubnetworkN.get(node.chain.bestState(), 1));
    // the custom RPC returns the same bytes as a JSON array of numbers
    expect(await node.callOk("neuronInfo_getNeuronsLite", [1])).toEqual(Array.from(raw));
  });

  it("get_neurons adds weights and bonds; get_neuron / get_neuron_lite give one UID", async () => {
    const all = NeuronInfoVec.decode(await classic("NeuronInfoRuntimeApi_get_neurons", u16.encode(1)));
    expect(all).toHaveLength(3);
    expect(all[0].weights).toEqual([]);
    const one = await classic("NeuronInfoRuntimeApi_get_neuron", new Uint8Array([...u16.encode(1), ...u16.encode(1)]));
    expect(NeuronInfoCodec.decode(one)).toEqual(all[1]);
    expect(await node.callOk("neuronInfo_getNeuron", [1, 1])).toEqual(Array.from(one));
    const lite = await classic("NeuronInfoRuntimeApi_get_neuron_lite", new Uint8Array([...u16.encode(1), ...u16.encode(2)]));
    expect(await node.callOk("neuronInfo_getNeuronLite", [1, 2])).toEqual(Array.from(lite));
    expect(toHex(lite.subarray(0, 32))).toBe(toHex(Keys.get(node.chain.bestState(), 1, 2)));
    expect(await node.callOk("neuronInfo_getNeurons", [1])).toEqual(Array.from(await classic("NeuronInfoRuntimeApi_get_neurons", u16.encode(1))));
  });

  it("a missing UID or subnet: empty bytes for single items, an empty list for lists", async () => {
    expect(await node.callOk("state_call", ["NeuronInfoRuntimeApi_get_neuron", toHex(new Uint8Array([...u16.encode(1), ...u16.encode(99)]))])).toBe("0x00");
    expect(await node.callOk("neuronInfo_getNeuron", [1, 99])).toEqual([]);
    expect(await node.callOk("neuronInfo_getNeuronLite", [42, 0])).toEqual([]);
    expect(await node.callOk("neuronInfo_getNeuronsLite", [42])).toEqual([0]); // Vec::new().encode() = [0]
  });

  it("answers at a past block", async () => {
    const atGenesis = NeuronInfoLiteVec.decode(await classic("NeuronInfoRuntimeApi_get_neurons_lite", u16.encode(1), genesis));
    expect(atGenesis.map((n) => toHex(n.hotkey))).toEqual([toHex(ownerHk.publicKey)]);
    expect(await node.callOk("neuronInfo_getNeuronsLite", [1, genesis])).toEqual(Array.from(NeuronInfoLiteVec.encode(atGenesis)));
  });
});

describe("SubnetInfoRuntimeApi and subnetInfo_*", () => {
  it("get_subnets_info lists every subnet by netuid (root and 1); the _v2 list and its typo'd RPC give the same", async () => {
    const raw = await classic("SubnetInfoRuntimeApi_get_subnets_info");
    const list = SubnetInfoOptionVec.decode(raw);
    expect(list.map((s) => s?.netuid)).toEqual([0, 1]);
    expect(list[1]).toMatchObject({ tempo: 99, subnetworkN: 3, networkConnect: [], owner: node.alice.publicKey });
    expect(await node.callOk("subnetInfo_getSubnetsInfo")).toEqual(Array.from(raw));
    expect(await classic("SubnetInfoRuntimeApi_get_subnets_info_v2")).toEqual(raw);
    expect(await node.callOk("subnetInfo_getSubnetsInf_v2")).toEqual(Array.from(raw));
    expect(node.registry.has("subnetInfo_getSubnetsInfo_v2")).toBe(false);
  });

  it("get_subnet_info_v2 carries no identity; a missing subnet is empty bytes", async () => {
    const v2 = SubnetInfoV2Codec.decode(await classic("SubnetInfoRuntimeApi_get_subnet_info_v2", u16.encode(1)));
    expect(v2).toMatchObject({ netuid: 1, identity: null });
    expect(await node.callOk("subnetInfo_getSubnetInfo_v2", [1])).toEqual(Array.from(SubnetInfoV2Codec.encode(v2)));
    expect(await node.callOk("subnetInfo_getSubnetInfo", [7])).toEqual([]);
    expect(await node.callOk("subnetInfo_getSubnetHyperparams", [7])).toEqual([]);
  });

  it("get_subnet_hyperparams reads the subnet's hyperparameters", async () => {
    const hp = SubnetHyperparamsCodec.decode(await classic("SubnetInfoRuntimeApi_get_subnet_hyperparams", u16.encode(1)));
    expect(hp).toMatchObject({ tempo: 99, weightsRateLimit: 0n, minAllowedWeights: 1, maxRegsPerBlock: 256, targetRegsPerInterval: 256, registrationAllowed: true });
    expect(await node.callOk("subnetInfo_getSubnetHyperparams", [1])).toEqual(Array.from(SubnetHyperparamsCodec.encode(hp)));
  });

  it("subnetInfo_getLockCost is the registration cost as a number", async () => {
    const cost = u64.decode(fromHex(await node.callOk("state_call", ["SubnetRegistrationRuntimeApi_get_network_registration_cost", "0x"])));
    expect(cost).toBe(10n * TAO); // the dev chain's minimum lock cost, no subnet registered yet
    expect(await node.callOk("subnetInfo_getLockCost")).toBe(Number(cost));
  });
});

describe("DelegateInfoRuntimeApi and delegateInfo_*", () => {
  it("get_delegates: the delegate with its nominators (by coldkey bytes), registrations and take", async () => {
    const raw = await classic("DelegateInfoRuntimeApi_get_delegates");
    const [d] = DelegateInfoVec.decode(raw);
    expect(toHex(d.delegateSs58)).toBe(toHex(bobHk.publicKey));
    expect(toHex(d.ownerSs58)).toBe(toHex(node.bob.publicKey));
    const expected: Array<[Uint8Array, bigint]> = [
      [node.bob.publicKey, 10n * TAO],
      [node.charlie.publicKey, 5n * TAO],
    ];
    expected.sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(d.nominators).toEqual(expected);
    expect(d.registrations).toEqual([1]);
    expect(d.take).toBe(11796);
    expect(await node.callOk("delegateInfo_getDelegates")).toEqual(Array.from(raw));
  });

  it("get_delegate takes the hotkey as raw bytes: exactly 32, and a delegate, else empty", async () => {
    const raw = await classic("DelegateInfoRuntimeApi_get_delegate", bytes.encode(bobHk.publicKey));
    expect(DelegateInfoCodec.decode(raw).delegateSs58).toEqual(bobHk.publicKey);
    expect(await node.callOk("delegateInfo_getDelegate", [Array.from(bobHk.publicKey)])).toEqual(Array.from(raw));
    expect(await node.callOk("delegateInfo_getDelegate", [Array.from(charlieHk.publicKey)])).toEqual([]);
    expect(await node.callOk("delegateInfo_getDelegate", [Array.from(bobHk.publicKey.subarray(1))])).toEqual([]);
  });

  it("get_delegated: the delegates a coldkey stakes to, with that stake", async () => {
    const raw = await classic("DelegateInfoRuntimeApi_get_delegated", bytes.encode(node.charlie.publicKey));
    const [[info, stake]] = DelegatedVec.decode(raw);
    expect(info.delegateSs58).toEqual(bobHk.publicKey);
    expect(stake).toBe(5n * TAO);
    expect(await node.callOk("delegateInfo_getDelegated", [Array.from(node.charlie.publicKey)])).toEqual(Array.from(raw));
    expect(await node.callOk("delegateInfo_getDelegated", [[1, 2, 3]])).toEqual([0]);
  });
});

describe("StakeInfoRuntimeApi", () => {
  it("get_stake_info_for_coldkey(s): one entry per Stake entry of the coldkey (zero ones too), in storage order; invalid accounts skipped", async () => {
    const charlie = StakeInfoVec.decode(await classic("StakeInfoRuntimeApi_get_stake_info_for_coldkey", bytes.encode(node.charlie.publicKey)));
    // registering //Charlie//hk created its (hotkey, coldkey) Stake entry with 0, as Subtensor's does; Subtensor lists it too
    const expected = [
      { hotkey: bobHk.publicKey, coldkey: node.charlie.publicKey, stake: 5n * TAO },
      { hotkey: charlieHk.publicKey, coldkey: node.charlie.publicKey, stake: 0n },
    ].sort((a, b) => Buffer.compare(Buffer.from(Stake.key(a.hotkey, a.coldkey)), Buffer.from(Stake.key(b.hotkey, b.coldkey))));
    expect(charlie).toEqual(expected);
    const many = ColdkeysStakeInfoVec.decode(
      await classic("StakeInfoRuntimeApi_get_stake_info_for_coldkeys", vec(bytes).encode([node.charlie.publicKey, new Uint8Array(5), node.alice.publicKey])),
    );
    expect(many.map(([who]) => toHex(who))).toEqual([toHex(node.charlie.publicKey), toHex(node.alice.publicKey)]);
    expect(many[0][1]).toEqual(charlie);
    expect(StakeInfoVec.decode(await classic("StakeInfoRuntimeApi_get_stake_info_for_coldkey", bytes.encode(new Uint8Array(31))))).toEqual([]);
  });
});

describe("declarations and errors", () => {
  it("runtimeVersion lists Subtensor's API ids (blake2_64 of the trait names), version 1", async () => {
    const { apis } = await node.callOk("state_getRuntimeVersion");
    const byId = new Map(apis as Array<[string, number]>);
    const expected: Record<string, string> = {
      SubnetInfoRuntimeApi: "0x8375104b299b74c5",
      NeuronInfoRuntimeApi: "0x806df4ccaa9ed485",
      DelegateInfoRuntimeApi: "0x42e62be4a39e5b60",
      StakeInfoRuntimeApi: "0x5d1fbfbe852f2807",
      SubnetRegistrationRuntimeApi: "0xc6886e2f8e598b0a",
    };
    for (const [name, id] of Object.entries(expected)) {
      expect(toHex(apiId(name))).toBe(id);
      expect(byId.get(id)).toBe(1);
    }
  });

  it("metadata V15 describes them: classic methods take u16 / Vec<u8> and return Vec<u8>", () => {
    const md = new Metadata(new TypeRegistry(), node.services.metadata.v15);
    const api = md.asV15.apis.find((a) => a.name.toString() === "NeuronInfoRuntimeApi")!;
    expect(api.docs.length).toBeGreaterThan(0);
    const lookup = md.asV15.lookup;
    const m = api.methods.find((x) => x.name.toString() === "get_neuron")!;
    expect(m.inputs.map((i) => [i.name.toString(), lookup.getTypeDef(i.type).type])).toEqual([
      ["netuid", "u16"],
      ["uid", "u16"],
    ]);
    expect(lookup.getTypeDef(m.output).type).toBe("Bytes");
    const d = md.asV15.apis.find((a) => a.name.toString() === "DelegateInfoRuntimeApi")!.methods.find((x) => x.name.toString() === "get_delegate")!;
    expect(d.inputs.map((i) => [i.name.toString(), lookup.getTypeDef(i.type).type])).toEqual([["delegate_account_vec", "Bytes"]]);
    const cost = md.asV15.apis.find((a) => a.name.toString() === "SubnetRegistrationRuntimeApi")!.methods[0];
    expect(lookup.getTypeDef(cost.output).type).toBe("u64");
  });

  it("custom RPC failures are error 1 with Subtensor's message; bad params are -32602", async () => {
    const unknown = "0x" + "ab".repeat(32);
    expect((await node.call("neuronInfo_getNeuronsLite", [1, unknown])).error).toEqual({
      code: 1,
      message: `Unable to get neurons lite info: UnknownBlock("Header was not found in the database: ${unknown}")`,
    });
    expect((await node.call("subnetInfo_getLockCost", [unknown])).error?.code).toBe(1);
    expect((await node.call("neuronInfo_getNeuron", ["1", 0])).error?.code).toBe(-32602);
    expect((await node.call("neuronInfo_getNeuron", [70000, 0])).error?.code).toBe(-32602);
    expect((await node.call("delegateInfo_getDelegate", ["0x" + "11".repeat(32)])).error?.code).toBe(-32602);
    expect((await node.call("delegateInfo_getDelegate", [[256]])).error?.code).toBe(-32602);
  });

  it("every custom RPC is in rpc_methods, under Subtensor's names", async () => {
    const { methods } = await node.callOk("rpc_methods");
    expect(SUBTENSOR_RPC_NAMES).toEqual([
      "delegateInfo_getDelegates",
      "delegateInfo_getDelegate",
      "delegateInfo_getDelegated",
      "neuronInfo_getNeuronsLite",
      "neuronInfo_getNeuronLite",
      "neuronInfo_getNeurons",
      "neuronInfo_getNeuron",
      "subnetInfo_getSubnetInfo",
      "subnetInfo_getSubnetsInfo",
      "subnetInfo_getSubnetInfo_v2",
      "subnetInfo_getSubnetsInf_v2",
      "subnetInfo_getSubnetHyperparams",
      "subnetInfo_getLockCost",
    ]);
    for (const name of SUBTENSOR_RPC_NAMES) expect(methods).toContain(name);
  });
});
