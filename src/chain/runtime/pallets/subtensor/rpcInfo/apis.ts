/**
 * SubtensorModule's runtime APIs, as Subtensor declares them at commit 688d4a7ff
 * (`pallets/subtensor/runtime-api`): NeuronInfoRuntimeApi, SubnetInfoRuntimeApi,
 * DelegateInfoRuntimeApi, StakeInfoRuntimeApi and SubnetRegistrationRuntimeApi, all version 1.
 *
 * These are the classic APIs: every method but the registration cost returns `Vec<u8>` holding the
 * SCALE encoding of the result struct (types.ts), so a `state_call` answer is the SCALE of that
 * `Vec<u8>` (a compact length, then the struct bytes). Single-item methods return empty bytes when
 * the item does not exist, exactly as Subtensor's runtime does (it encodes the struct only when
 * there is one). Account arguments are raw `Vec<u8>` bytes too.
 */
import { bytes, u16, u64, vec, type Codec } from "../../../../codec/scale.js";
import { StateOverlay } from "../../../../state/overlay.js";
import type { StorageAccess } from "../../../../state/types.js";
import type { RuntimeApi, RuntimeApiContextBase } from "../../../frame/runtimeApi.js";
import { getNetworkLockCost } from "../registration/lockCost.js";
import { getNeuron, getNeuronLite, getNeurons, getNeuronsLite } from "./neuronInfo.js";
import { getSubnetHyperparams, getSubnetInfo, getSubnetInfoV2, getSubnetsInfo } from "./subnetInfo.js";
import { getDelegate, getDelegated, getDelegates } from "./delegateInfo.js";
import { getStakeInfoForColdkey, getStakeInfoForColdkeys } from "./stakeInfo.js";
import {
  ColdkeysStakeInfoVec,
  DelegateInfoCodec,
  DelegatedVec,
  DelegateInfoVec,
  NeuronInfoCodec,
  NeuronInfoLiteCodec,
  NeuronInfoLiteVec,
  NeuronInfoVec,
  StakeInfoVec,
  SubnetHyperparamsCodec,
  SubnetInfoCodec,
  SubnetInfoOptionVec,
  SubnetInfoV2Codec,
} from "./types.js";

const EMPTY = new Uint8Array(0);
const U8_VEC = bytes as Codec<unknown>;
const netuidArg = { name: "netuid", type: u16 as Codec<unknown> };
const uidArg = { name: "uid", type: u16 as Codec<unknown> };

/** Storage access to the call's block (reads only; an overlay gives the iteration API). */
const storage = (ctx: RuntimeApiContextBase): StorageAccess => new StateOverlay(ctx.state);

/** The struct's bytes, or empty bytes for none (Subtensor's `if result.is_some() { encode } else { vec![] }`). */
const encodeOrEmpty = <T>(codec: Codec<T>, value: T | null): Uint8Array => (value === null ? EMPTY : codec.encode(value));

type Method = RuntimeApi["methods"][number];
const method = (name: string, inputs: Method["inputs"], call: Method["call"], docs: string[]): Method => ({ name, inputs, output: U8_VEC, call, docs });

export const NeuronInfoRuntimeApi: RuntimeApi = {
  name: "NeuronInfoRuntimeApi",
  version: 1,
  docs: ["Neurons of a subnet (the metagraph): SCALE-encoded NeuronInfo / NeuronInfoLite inside Vec<u8>."],
  methods: [
    method("get_neurons", [netuidArg], (ctx, [netuid]) => NeuronInfoVec.encode(getNeurons(storage(ctx), netuid)), ["Vec<NeuronInfo> of every UID of the subnet (empty if it does not exist)."]),
    method("get_neuron", [netuidArg, uidArg], (ctx, [netuid, uid]) => encodeOrEmpty(NeuronInfoCodec, getNeuron(storage(ctx), netuid, uid)), [
      "NeuronInfo of one UID; empty bytes if the subnet or the UID does not exist.",
    ]),
    method("get_neurons_lite", [netuidArg], (ctx, [netuid]) => NeuronInfoLiteVec.encode(getNeuronsLite(storage(ctx), netuid)), [
      "Vec<NeuronInfoLite> (no weights or bonds) of every UID of the subnet.",
    ]),
    method("get_neuron_lite", [netuidArg, uidArg], (ctx, [netuid, uid]) => encodeOrEmpty(NeuronInfoLiteCodec, getNeuronLite(storage(ctx), netuid, uid)), [
      "NeuronInfoLite of one UID; empty bytes if the subnet or the UID does not exist.",
    ]),
  ],
};

export const SubnetInfoRuntimeApi: RuntimeApi = {
  name: "SubnetInfoRuntimeApi",
  version: 1,
  docs: ["Subnets and their hyperparameters: SCALE-encoded SubnetInfo / SubnetInfov2 / SubnetHyperparams inside Vec<u8>."],
  methods: [
    method("get_subnet_info", [netuidArg], (ctx, [netuid]) => encodeOrEmpty(SubnetInfoCodec, getSubnetInfo(storage(ctx), netuid)), ["SubnetInfo; empty bytes if the subnet does not exist."]),
    method("get_subnets_info", [], (ctx) => SubnetInfoOptionVec.encode(getSubnetsInfo(storage(ctx))), ["Vec<Option<SubnetInfo>> of every subnet, by netuid."]),
    method("get_subnet_info_v2", [netuidArg], (ctx, [netuid]) => encodeOrEmpty(SubnetInfoV2Codec, getSubnetInfoV2(storage(ctx), netuid)), [
      "SubnetInfov2 (SubnetInfo with the subnet identity); empty bytes if the subnet does not exist.",
    ]),
    // Subtensor's get_subnets_info_v2 returns the v1 list; kept so clients decode what they expect.
    method("get_subnets_info_v2", [], (ctx) => SubnetInfoOptionVec.encode(getSubnetsInfo(storage(ctx))), ["Vec<Option<SubnetInfo>> of every subnet (as Subtensor: the v1 struct)."]),
    method("get_subnet_hyperparams", [netuidArg], (ctx, [netuid]) => encodeOrEmpty(SubnetHyperparamsCodec, getSubnetHyperparams(storage(ctx), netuid)), [
      "SubnetHyperparams; empty bytes if the subnet does not exist.",
    ]),
  ],
};

export const DelegateInfoRuntimeApi: RuntimeApi = {
  name: "DelegateInfoRuntimeApi",
  version: 1,
  docs: ["Delegates and their nominators: SCALE-encoded DelegateInfo inside Vec<u8>."],
  methods: [
    method("get_delegates", [], (ctx) => DelegateInfoVec.encode(getDelegates(storage(ctx))), ["Vec<DelegateInfo> of every delegate."]),
    method("get_delegate", [{ name: "delegate_account_vec", type: U8_VEC }], (ctx, [account]) => encodeOrEmpty(DelegateInfoCodec, getDelegate(storage(ctx), account)), [
      "DelegateInfo of one hotkey (32 raw bytes); empty bytes if it is not a delegate.",
    ]),
    method("get_delegated", [{ name: "delegatee_account_vec", type: U8_VEC }], (ctx, [account]) => DelegatedVec.encode(getDelegated(storage(ctx), account)), [
      "Vec<(DelegateInfo, Compact<u64>)>: the delegates a coldkey stakes to, with its stake on each.",
    ]),
  ],
};

export const StakeInfoRuntimeApi: RuntimeApi = {
  name: "StakeInfoRuntimeApi",
  version: 1,
  docs: ["Stakes of coldkeys: SCALE-encoded StakeInfo inside Vec<u8>."],
  methods: [
    method("get_stake_info_for_coldkey", [{ name: "coldkey_account_vec", type: U8_VEC }], (ctx, [account]) => StakeInfoVec.encode(getStakeInfoForColdkey(storage(ctx), account)), [
      "Vec<StakeInfo> of one coldkey (32 raw bytes).",
    ]),
    method(
      "get_stake_info_for_coldkeys",
      [{ name: "coldkey_account_vecs", type: vec(bytes) as Codec<unknown> }],
      (ctx, [accounts]) => ColdkeysStakeInfoVec.encode(getStakeInfoForColdkeys(storage(ctx), accounts)),
      ["Vec<(AccountId, Vec<StakeInfo>)> for each valid coldkey given."],
    ),
  ],
};

export const SubnetRegistrationRuntimeApi: RuntimeApi = {
  name: "SubnetRegistrationRuntimeApi",
  version: 1,
  docs: ["The cost of registering a subnet."],
  methods: [
    {
      name: "get_network_registration_cost",
      inputs: [],
      output: u64 as Codec<unknown>,
      docs: ["The TAO (in RAO) register_network locks at this block."],
      // Subtensor's get_current_block_as_u64() inside a runtime call at a block is that block's number.
      call: (ctx) => getNetworkLockCost(ctx.state, BigInt(ctx.header.number)),
    },
  ],
};

export const SUBTENSOR_RUNTIME_APIS: RuntimeApi[] = [DelegateInfoRuntimeApi, NeuronInfoRuntimeApi, SubnetInfoRuntimeApi, StakeInfoRuntimeApi, SubnetRegistrationRuntimeApi];
