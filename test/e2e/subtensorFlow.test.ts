/**
 * A subnet's life driven only through the unmodified @polkadot/api 16.5.6, as a Bittensor user's
 * tools drive the chain: create a subnet, configure it through sudo (AdminUtils), register hotkeys
 * (burned on the subnet, and one on the root network), add stake, become a delegate with a
 * nominator, serve an axon, set weights, and run to an epoch (tempo lowered through sudo).
 *
 * Then the epoch's results are read three ways at the epoch's block — `api.query.subtensorModule.*`
 * (storage), `api.call.neuronInfoRuntimeApi.*` (runtime API, V15 metadata) and the custom RPCs
 * (`neuronInfo_*`, `delegateInfo_*`, `subnetInfo_*` declared as @polkadot/api rpc definitions) —
 * and all three must agree with each other and with what the pure Yuma function (`runEpoch`)
 * predicts from the state before the epoch, read through the same API.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiPromise, WsProvider } from "@polkadot/api";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import { TypeRegistry } from "@polkadot/types";
import type { ISubmittableResult } from "@polkadot/types/types";
import { u8aToHex } from "@polkadot/util";
import { runEpoch, type EpochInput, type EpochOutput, type U16Row } from "../../src/consensus/yuma/index.js";
import { devChainSpec } from "../../src/chain/spec.js";
import { startTestNode, type TestNode } from "../utils/testNode.js";
import { SUBTENSOR_INFO_TYPES, SUBTENSOR_RPC_DEFINITIONS } from "../utils/subtensorTypes.js";

const TAO = 1_000_000_000n;
const TEMPO = 4;

/** An independent decoder for the info structs: @polkadot/types with the Rust struct definitions. */
const types = new TypeRegistry();
types.register(SUBTENSOR_INFO_TYPES);
type Neuron = {
  hotkey: string;
  coldkey: string;
  uid: number;
  active: boolean;
  axonInfo: { ip: number; port: number; version: number };
  stake: Array<[string, number]>;
  rank: number;
  emission: number;
  incentive: number;
  consensus: number;
  trust: number;
  validatorTrust: number;
  dividends: number;
  lastUpdate: number;
  validatorPermit: boolean;
  weights: Array<[number, number]>;
  bonds: Array<[number, number]>;
  pruningScore: number;
};
const decodeNeurons = (bytes: Uint8Array): Neuron[] => types.createType("Vec<NeuronInfo>", bytes).toJSON() as Neuron[];

/**
 * The struct bytes of a classic API's `Vec<u8>` result as `api.call` gives it: polkadot-js turns
 * state_call's answer (the SCALE of the Vec<u8>) into a Bytes without removing the Vec's length
 * prefix — it does so against Subtensor too — so the prefix is decoded off here.
 */
const callBytes = (result: { toU8a(bare: boolean): Uint8Array }): Uint8Array => types.createType("Bytes", result.toU8a(true)).toU8a(true);
/** The bytes of a custom RPC's `Vec<u8>` (a JSON array of numbers): already the struct bytes. */
const rpcBytes = (result: { toU8a(bare: boolean): Uint8Array }): Uint8Array => result.toU8a(true);

let t: TestNode;
let api: ApiPromise;
const keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
const k = (suri: string) => keyring.addFromUri(suri);
let alice: KeyringPair, bob: KeyringPair, charlie: KeyringPair, dave: KeyringPair, eve: KeyringPair, ferdie: KeyringPair;
let ownerHk: KeyringPair, v1: KeyringPair, v2: KeyringPair, m1: KeyringPair, m2: KeyringPair;
let netuid: number;

/**
 * Signs and sends (with `nonce`, or the next one the node reports); resolves when in a block, with
 * that block's hash; fails on a dispatch error, decoded to its pallet error name.
 */
function submit(tx: any, signer: KeyringPair, nonce = -1): Promise<{ blockHash: string; result: ISubmittableResult }> {
  return new Promise((resolve, reject) => {
    let unsub: (() => void) | undefined;
    tx.signAndSend(signer, { nonce }, (result: ISubmittableResult) => {
      if (result.dispatchError) {
        unsub?.();
        const e = result.dispatchError;
        const name = e.isModule ? (({ section, name }) => `${section}.${name}`)(api.registry.findMetaError(e.asModule)) : e.toString();
        reject(new Error(`${tx.method.section}.${tx.method.method} failed: ${name}`));
      } else if (result.status.isInBlock) {
        unsub?.();
        // sudo reports its inner call's failure in its event, not as a dispatch error
        const sudid = result.events.find(({ event }) => event.section === "sudo" && event.method === "Sudid");
        const inner = sudid?.event.data[0] as any;
        if (inner?.isErr) {
          const e = inner.asErr;
          reject(new Error(`sudo inner call failed: ${e.isModule ? JSON.stringify(api.registry.findMetaError(e.asModule)) : e.toString()}`));
          return;
        }
        resolve({ blockHash: result.status.asInBlock.toHex(), result });
      } else if (result.isError) {
        unsub?.();
        reject(new Error(`transaction ${result.status.type}`));
      }
    })
      .then((u: () => void) => (unsub = u))
      .catch(reject);
  });
}

const sudo = (call: any, nonce?: number) => submit(api.tx.sudo.sudo(call), alice, nonce);

/** Several sudo calls at once: consecutive nonces (concurrent `nonce: -1` lookups would all get the same one). */
async function sudoAll(calls: any[]): Promise<void> {
  const first = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
  await Promise.all(calls.map((c, i) => sudo(c, first + i)));
}

interface EpochSeen {
  hash: string;
  number: number;
  parentHash: string;
  pending: bigint;
  ownerCut: bigint;
}

/** Resolves with the first block after `afterNumber` whose events include our subnet's EpochRun. */
function nextEpoch(afterNumber: number, timeoutMs = 60_000): Promise<EpochSeen> {
  return new Promise((resolve, reject) => {
    let unsub: (() => void) | undefined;
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      unsub?.();
      reject(new Error(`no epoch of subnet ${netuid} after block ${afterNumber} within ${timeoutMs} ms`));
    }, timeoutMs);
    api.rpc.chain
      .subscribeNewHeads(async (header) => {
        const number = header.number.toNumber();
        if (done || number <= afterNumber) return;
        const hash = header.hash.toHex();
        const events = (await (await api.at(hash)).query.system.events()) as unknown as Array<{ event: any }>;
        const run = events.find(({ event }) => event.section === "subtensorModule" && event.method === "EpochRun" && event.data.netuid.toNumber() === netuid);
        if (!run || done) return;
        done = true;
        clearTimeout(timer);
        unsub?.();
        resolve({ hash, number, parentHash: header.parentHash.toHex(), pending: run.event.data.pending.toBigInt(), ownerCut: run.event.data.ownerCut.toBigInt() });
      })
      .then((u) => {
        unsub = u;
        if (done) u();
      })
      .catch(reject);
  });
}

const rows = (codec: any): U16Row => (codec.toJSON() as Array<[number, number]>).map(([i, w]) => [i, w]);

/** The epoch input, built from storage read through the API at `at` (the block before the epoch). */
async function epochInputAt(at: string, currentBlock: number, raoEmission: bigint): Promise<{ input: EpochInput; hotkeys: string[] }> {
  const q = (await api.at(at)).query.subtensorModule;
  const n = ((await q.subnetworkN(netuid)) as any).toNumber();
  const hotkeys: string[] = [];
  const stake: bigint[] = [];
  const blockAtRegistration: bigint[] = [];
  const weights: U16Row[] = [];
  const bonds: U16Row[] = [];
  for (let uid = 0; uid < n; uid++) {
    const hotkey = (await q.keys(netuid, uid)).toString();
    hotkeys.push(hotkey);
    stake.push(((await q.totalHotkeyStake(hotkey)) as any).toBigInt());
    blockAtRegistration.push(((await q.blockAtRegistration(netuid, uid)) as any).toBigInt());
    weights.push(rows(await q.weights(netuid, uid)));
    bonds.push(rows(await q.bonds(netuid, uid)));
  }
  const fit = <T>(v: T[], fill: T): T[] => Array.from({ length: n }, (_, i) => (i < v.length ? v[i] : fill));
  const lastUpdate = fit(((await q.lastUpdate(netuid)) as any).map((x: any) => x.toBigInt()), 0n);
  const validatorPermit = fit(((await q.validatorPermit(netuid)) as any).map((x: any) => x.isTrue), false);
  const yuma3 = ((await q.yuma3On(netuid)) as any).isTrue;
  const [alphaLow, alphaHigh] = ((await q.alphaValues(netuid)) as any).map((x: any) => x.toNumber());
  const num = async (item: any) => ((await item) as any).toNumber();
  const big = async (item: any) => ((await item) as any).toBigInt();
  const input: EpochInput = {
    version: yuma3 ? "current" : "classic",
    n,
    currentBlock: BigInt(currentBlock),
    raoEmission,
    stake,
    lastUpdate,
    blockAtRegistration,
    validatorPermit,
    weights,
    bonds,
    hyperparameters: {
      kappa: await num(q.kappa(netuid)),
      bondsMovingAverage: await big(q.bondsMovingAverage(netuid)),
      bondsPenalty: await num(q.bondsPenalty(netuid)),
      activityCutoff: BigInt(await num(q.activityCutoff(netuid))),
      maxAllowedValidators: await num(q.maxAllowedValidators(netuid)),
      tempo: await num(q.tempo(netuid)),
      lastMechanismStepBlock: await big(q.lastMechansimStepBlock(netuid)),
      liquidAlphaEnabled: ((await q.liquidAlphaOn(netuid)) as any).isTrue,
      alphaLow,
      alphaHigh,
      alphaSigmoidSteepness: await num(q.alphaSigmoidSteepness(netuid)),
      yuma3Enabled: yuma3,
      stakeThreshold: yuma3 ? await big(q.weightsMinStake()) : 0n,
      ownerUid: null,
    },
  };
  return { input, hotkeys };
}

/** Per-UID results as storage holds them at `at`, read with api.query. */
async function storageView(at: string, n: number) {
  const q = (await api.at(at)).query.subtensorModule;
  const u16s = async (item: any) => ((await item) as any).map((x: any) => x.toNumber()) as number[];
  const view = {
    active: ((await q.active(netuid)) as any).map((x: any) => x.isTrue) as boolean[],
    validatorPermit: ((await q.validatorPermit(netuid)) as any).map((x: any) => x.isTrue) as boolean[],
    rank: await u16s(q.rank(netuid)),
    trust: await u16s(q.trust(netuid)),
    consensus: await u16s(q.consensus(netuid)),
    incentive: await u16s(q.incentive(netuid)),
    dividends: await u16s(q.dividends(netuid)),
    validatorTrust: await u16s(q.validatorTrust(netuid)),
    pruningScores: await u16s(q.pruningScores(netuid)),
    emission: ((await q.emission(netuid)) as any).map((x: any) => x.toBigInt()) as bigint[],
    lastUpdate: ((await q.lastUpdate(netuid)) as any).map((x: any) => x.toBigInt()) as bigint[],
    bonds: [] as U16Row[],
    weights: [] as U16Row[],
    hotkeys: [] as string[],
    axons: [] as Array<{ ip: bigint; port: number; version: number } | null>,
    stake: [] as bigint[],
    owners: [] as string[],
  };
  for (let uid = 0; uid < n; uid++) {
    const hotkey = (await q.keys(netuid, uid)).toString();
    view.hotkeys.push(hotkey);
    view.bonds.push(rows(await q.bonds(netuid, uid)));
    view.weights.push(rows(await q.weights(netuid, uid)));
    const axon = (await q.axons(netuid, hotkey)) as any;
    view.axons.push(axon.isSome ? { ip: axon.unwrap().ip.toBigInt(), port: axon.unwrap().port.toNumber(), version: axon.unwrap().version.toNumber() } : null);
    view.stake.push(((await q.totalHotkeyStake(hotkey)) as any).toBigInt());
    view.owners.push((await q.owner(hotkey)).toString());
  }
  return view;
}

const nonZero = (row: U16Row) => row.filter(([, w]) => w > 0);
const rowsEqual = (a: U16Row, b: U16Row) => JSON.stringify(a) === JSON.stringify(b);

beforeAll(async () => {
  // hotkeys that sign (weights, axons) need an account: CheckNonce refuses signers without one
  const spec = await devChainSpec(500);
  for (const suri of ["//Alice//sn", "//Bob//validator", "//Charlie//validator", "//Eve//miner", "//Ferdie//miner"]) spec.balances.push([k(suri).address, TAO.toString()]);
  t = await startTestNode({ spec });
  api = await ApiPromise.create({ provider: new WsProvider(t.url), throwOnConnect: true, noInitWarn: true, rpc: SUBTENSOR_RPC_DEFINITIONS });
  [alice, bob, charlie, dave, eve, ferdie] = ["//Alice", "//Bob", "//Charlie", "//Dave", "//Eve", "//Ferdie"].map(k);
  [ownerHk, v1, v2, m1, m2] = ["//Alice//sn", "//Bob//validator", "//Charlie//validator", "//Eve//miner", "//Ferdie//miner"].map(k);
});

afterAll(async () => {
  await api?.disconnect();
  await t?.stop();
});

describe("a subnet's life through @polkadot/api, read three ways and checked against Yuma", () => {
  let epoch: EpochSeen;
  let prediction: { input: EpochInput; output: EpochOutput; hotkeys: string[] };

  it("creates a subnet and configures it through sudo", async () => {
    // register_network's signature: Subtensor's (hotkey) or the argument-free classic form
    const register = api.tx.subtensorModule.registerNetwork;
    const tx = register.meta.args.length === 0 ? (register as any)() : register(ownerHk.address);
    const { result } = await submit(tx, alice);
    const added = result.events.find(({ event }) => event.section === "subtensorModule" && event.method === "NetworkAdded");
    expect(added).toBeDefined();
    netuid = (added!.event.data[0] as any).toNumber();
    expect(netuid).toBeGreaterThan(1);
    const a = api.tx.adminUtils;
    await sudoAll([
      a.sudoSetMaxRegistrationsPerBlock(netuid, 16),
      a.sudoSetTargetRegistrationsPerInterval(netuid, 16),
      a.sudoSetWeightsSetRateLimit(netuid, 0),
      a.sudoSetServingRateLimit(netuid, 0),
    ]);
    expect(((await api.query.subtensorModule.weightsSetRateLimit(netuid)) as any).toNumber()).toBe(0);
  });

  it("registers hotkeys (burned on the subnet, one on root), stakes, delegates with a nominator, serves an axon", async () => {
    const st = api.tx.subtensorModule;
    await Promise.all([
      submit(st.burnedRegister(netuid, v1.address), bob),
      submit(st.burnedRegister(netuid, v2.address), charlie),
      submit(st.burnedRegister(netuid, m1.address), eve),
      submit(st.burnedRegister(netuid, m2.address), ferdie),
    ]);
    // one transaction per signer at a time (each waits for its block), different signers in parallel
    await Promise.all([
      (async () => {
        await submit(st.rootRegister(v1.address), bob); // root membership makes v1 a delegate too
        await submit(st.addStake(v1.address, 1000n * TAO), bob);
      })(),
      (async () => {
        await submit(st.becomeDelegate(v2.address), charlie);
        await submit(st.addStake(v2.address, 400n * TAO), charlie);
      })(),
      submit(st.serveAxon(netuid, 7, 0x01020304n, 8091, 4, 0, 0, 0), m1),
    ]);
    await submit(st.addStake(v2.address, 200n * TAO), dave); // a nominator on v2

    const q = api.query.subtensorModule;
    expect(((await q.uids(0, v1.address)) as any).isSome).toBe(true);
    expect(((await q.delegates(v2.address)) as any).toNumber()).toBeGreaterThan(0);
    expect(((await q.stake(v2.address, dave.address)) as any).toBigInt()).toBe(200n * TAO);
    // the delegate as the runtime API and the custom RPC describe it
    const delegates = types.createType("Vec<DelegateInfo>", rpcBytes(await api.rpc.delegateInfo.getDelegates())).toJSON() as any[];
    const d2 = delegates.find((d) => d.delegateSs58 === v2.address);
    expect(d2.ownerSs58).toBe(charlie.address);
    expect(d2.nominators.map(([who]: [string]) => who).sort()).toEqual([charlie.address, dave.address].sort());
    expect(d2.registrations).toEqual([netuid]);
    const viaCall = await (api.call as any).delegateInfoRuntimeApi.getDelegate(Array.from(keyring.decodeAddress(v2.address)));
    expect(types.createType("DelegateInfo", callBytes(viaCall)).toJSON()).toEqual(d2);
  });

  it("lowers the tempo through sudo; the first epoch hands out validator permits", async () => {
    const { blockHash } = await sudo(api.tx.adminUtils.sudoSetTempo(netuid, TEMPO));
    const number = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
    const first = await nextEpoch(number);
    const permits = ((await (await api.at(first.hash)).query.subtensorModule.validatorPermit(netuid)) as any).map((x: any) => x.isTrue);
    const uidV1 = ((await api.query.subtensorModule.uids(netuid, v1.address)) as any).unwrap().toNumber();
    expect(permits[uidV1]).toBe(true);
  });

  it("validators set weights; the next epoch runs on them", async () => {
    const q = api.query.subtensorModule;
    const uid = async (p: KeyringPair) => ((await q.uids(netuid, p.address)) as any).unwrap().toNumber();
    const [um1, um2, uv1, uv2] = await Promise.all([uid(m1), uid(m2), uid(v1), uid(v2)]);
    const [w1, w2] = await Promise.all([
      submit(api.tx.subtensorModule.setWeights(netuid, [um1, um2, uv1], [50000, 15000, 1000], 0), v1),
      submit(api.tx.subtensorModule.setWeights(netuid, [um1, um2], [20000, 45000], 0), v2),
    ]);
    const after = Math.max(...(await Promise.all([w1, w2].map(async (w) => (await api.rpc.chain.getHeader(w.blockHash)).number.toNumber()))));
    epoch = await nextEpoch(after);
    expect(uv2).toBeGreaterThanOrEqual(0);
    // the prediction: the pure Yuma function on the state before the epoch, read through the API
    const { input, hotkeys } = await epochInputAt(epoch.parentHash, epoch.number, epoch.pending - epoch.ownerCut);
    prediction = { input, output: runEpoch(input), hotkeys };
    expect(input.weights.some((r) => r.length > 0)).toBe(true);
    expect(prediction.output.incentive.some((x) => x > 0)).toBe(true);
    expect(prediction.output.dividends.some((x) => x > 0)).toBe(true);
  });

  it("storage (api.query), the runtime API (api.call) and the custom RPCs agree with each other and with Yuma", async () => {
    const { output, input, hotkeys } = prediction;
    const n = input.n;
    const view = await storageView(epoch.hash, n);

    // 1. storage = the pure function's output
    expect(view.hotkeys).toEqual(hotkeys);
    expect(view.active).toEqual(output.active);
    expect(view.validatorPermit).toEqual(output.validatorPermit);
    expect(view.rank).toEqual(output.rank);
    expect(view.trust).toEqual(output.trust);
    expect(view.consensus).toEqual(output.consensus);
    expect(view.incentive).toEqual(output.incentive);
    expect(view.dividends).toEqual(output.dividends);
    expect(view.validatorTrust).toEqual(output.validatorTrust);
    expect(view.pruningScores).toEqual(output.pruningScores);
    expect(view.emission).toEqual(output.emission);
    for (let uid = 0; uid < n; uid++) {
      // bonds rows are written for UIDs with a permit (before or after) or whose row changed, as Subtensor does
      const written = output.validatorPermit[uid] || input.validatorPermit[uid] || !rowsEqual(output.bonds[uid], input.bonds[uid]);
      expect([uid, view.bonds[uid]]).toEqual([uid, written ? output.bonds[uid] : input.bonds[uid]]);
    }

    // 2. the runtime API through api.call (V15 metadata), at the epoch's block
    const at = await api.at(epoch.hash);
    const viaCall = decodeNeurons(callBytes(await (at.call as any).neuronInfoRuntimeApi.getNeurons(netuid)));
    // 3. the custom RPC, at the same block
    const viaRpc = decodeNeurons(rpcBytes(await api.rpc.neuronInfo.getNeurons(netuid, epoch.hash)));
    expect(viaRpc).toEqual(viaCall);
    expect(viaCall).toHaveLength(n);
    viaCall.forEach((neuron, uid) => {
      expect(neuron.uid).toBe(uid);
      expect(neuron.hotkey).toBe(view.hotkeys[uid]);
      expect(neuron.coldkey).toBe(view.owners[uid]);
      expect(neuron.active).toBe(view.active[uid]);
      expect(neuron.validatorPermit).toBe(view.validatorPermit[uid]);
      expect(neuron.rank).toBe(view.rank[uid]);
      expect(neuron.trust).toBe(view.trust[uid]);
      expect(neuron.consensus).toBe(view.consensus[uid]);
      expect(neuron.incentive).toBe(view.incentive[uid]);
      expect(neuron.dividends).toBe(view.dividends[uid]);
      expect(neuron.validatorTrust).toBe(view.validatorTrust[uid]);
      expect(neuron.pruningScore).toBe(view.pruningScores[uid]);
      expect(BigInt(neuron.emission)).toBe(view.emission[uid]);
      expect(BigInt(neuron.lastUpdate)).toBe(view.lastUpdate[uid] ?? 0n);
      expect(neuron.weights).toEqual(nonZero(view.weights[uid]));
      expect(neuron.bonds).toEqual(nonZero(view.bonds[uid]));
      expect(neuron.stake).toEqual([[view.owners[uid], Number(view.stake[uid])]]);
      const axon = view.axons[uid];
      if (axon) expect([BigInt(neuron.axonInfo.ip), neuron.axonInfo.port, neuron.axonInfo.version]).toEqual([axon.ip, axon.port, axon.version]);
      else expect(neuron.axonInfo).toMatchObject({ ip: 0, port: 0, version: 0 });
    });
    // the miner's axon, as served
    const m1uid = view.hotkeys.indexOf(m1.address);
    expect(viaCall[m1uid].axonInfo).toMatchObject({ ip: 0x01020304, port: 8091, version: 7 });

    // the lite variants agree too, and a single neuron matches its list entry
    const lite = types.createType("Vec<NeuronInfoLite>", rpcBytes(await api.rpc.neuronInfo.getNeuronsLite(netuid, epoch.hash))).toJSON() as any[];
    expect(lite.map((x) => x.incentive)).toEqual(view.incentive);
    const one = rpcBytes(await api.rpc.neuronInfo.getNeuron(netuid, m1uid, epoch.hash));
    expect(types.createType("NeuronInfo", one).toJSON()).toEqual(viaCall[m1uid]);
    expect(u8aToHex(callBytes(await (at.call as any).neuronInfoRuntimeApi.getNeuron(netuid, m1uid)))).toBe(u8aToHex(one));
  });

  it("subnet info and hyperparameters agree across storage, api.call and the custom RPC", async () => {
    const at = await api.at(epoch.hash);
    const viaRpc = types.createType("SubnetInfo", rpcBytes(await api.rpc.subnetInfo.getSubnetInfo(netuid, epoch.hash))).toJSON() as any;
    const viaCall = types.createType("SubnetInfo", callBytes(await (at.call as any).subnetInfoRuntimeApi.getSubnetInfo(netuid))).toJSON();
    expect(viaCall).toEqual(viaRpc);
    expect(viaRpc.tempo).toBe(((await at.query.subtensorModule.tempo(netuid)) as any).toNumber());
    expect(viaRpc.subnetworkN).toBe(prediction.input.n);
    expect(viaRpc.owner).toBe(alice.address);
    const lockCost = ((await api.rpc.subnetInfo.getLockCost(epoch.hash)) as any).toBigInt();
    const lockViaCall = ((await (at.call as any).subnetRegistrationRuntimeApi.getNetworkRegistrationCost()) as any).toBigInt();
    expect(lockCost).toBe(lockViaCall);
  });
});
