/**
 * SubtensorModule calls: weights (classic Subtensor at de1026780) — `set_weights` (0),
 * `set_root_weights` (8), `commit_weights` (96), `reveal_weights` (97). The rules live in
 * `../weights/`; this file declares the calls with Subtensor's indices, argument names and types,
 * dispatch weights (Normal class, Pays::No) and the pool-level guard of the signed extension.
 */
import { u16, u64, vec } from "../../../../codec/scale.js";
import { AccountId32, H256 } from "../../../../codec/types.js";
import type { CallDecl } from "../../../frame/pallet.js";
import { ensureSigned, type HookContext } from "../../../frame/dispatch.js";
import { subtensorError } from "../errors.js";
import { CommitRevealWeightsEnabled } from "../storage.js";
import { doCommitWeights, doRevealWeights } from "../weights/commitReveal.js";
import { validateWeightsCall } from "../weights/poolGuard.js";
import { doSetRootWeights, doSetWeights } from "../weights/setWeights.js";

/** The runtime's RocksDbWeight: 25 µs per read, 100 µs per write (ref_time in picoseconds). */
const dbWeight = (reads: bigint, writes: bigint): bigint => reads * 25_000_000n + writes * 100_000_000n;

const netuidArg = { name: "netuid", type: u16, typeName: "u16" };
const u16Vec = (name: string) => ({ name, type: vec(u16), typeName: "Vec<u16>" });
const versionKeyArg = { name: "version_key", type: u64, typeName: "u64" };

interface SetWeightsArgs {
  netuid: number;
  dests: number[];
  weights: number[];
  versionKey: bigint;
}
interface SetRootWeightsArgs extends SetWeightsArgs {
  hotkey: Uint8Array;
}
interface CommitWeightsArgs {
  netuid: number;
  commitHash: Uint8Array;
}
interface RevealWeightsArgs {
  netuid: number;
  uids: number[];
  values: number[];
  salt: number[];
  versionKey: bigint;
}

export const weightsCalls: CallDecl[] = [
  {
    name: "set_weights",
    index: 0,
    args: [netuidArg, u16Vec("dests"), u16Vec("weights"), versionKeyArg],
    origin: "signed",
    weight: () => 22_060_000_000n + dbWeight(4106n, 2n),
    class: "Normal",
    paysFee: false,
    docs: [
      "--- Sets the caller weights for the incentive mechanism. The call is made from the hotkey;",
      "the u16 weights are max-upscaled so that the largest becomes u16::MAX before they are stored.",
      "Refused with CommitRevealEnabled while commit-reveal is on for the subnet.",
    ],
    validate: (ctx, a: SetWeightsArgs) => validateWeightsCall(ctx, ctx.who, a.netuid),
    dispatch: (ctx, a: SetWeightsArgs) => {
      // Rust checks commit-reveal before anything else, even before the subnet exists.
      if (CommitRevealWeightsEnabled.get(ctx.state, a.netuid)) throw subtensorError("CommitRevealEnabled");
      doSetWeights(ctx, ensureSigned(ctx.origin), { netuid: a.netuid, uids: a.dests, values: a.weights, versionKey: a.versionKey });
    },
  },
  {
    name: "set_root_weights",
    index: 8,
    args: [netuidArg, { name: "hotkey", type: AccountId32, typeName: "T::AccountId" }, u16Vec("dests"), u16Vec("weights"), versionKeyArg],
    origin: "signed",
    weight: () => 10_151_000_000n + dbWeight(4104n, 2n),
    class: "Normal",
    paysFee: false,
    docs: [
      "Sets the root network (netuid 0) weights of `hotkey` over subnets; signed by the hotkey's coldkey.",
      "`dests` are netuids. The root epoch turns these weights into subnet emission shares.",
    ],
    // The signed extension checks the stake of the hotkey argument, not of the signing coldkey.
    validate: (ctx, a: SetRootWeightsArgs) => validateWeightsCall(ctx, a.hotkey, a.netuid),
    dispatch: (ctx, a: SetRootWeightsArgs) => {
      doSetRootWeights(ctx, ensureSigned(ctx.origin), a.hotkey, { netuid: a.netuid, uids: a.dests, values: a.weights, versionKey: a.versionKey });
    },
  },
  {
    name: "commit_weights",
    index: 96,
    args: [netuidArg, { name: "commit_hash", type: H256, typeName: "H256" }],
    origin: "signed",
    weight: () => 46_000_000n + dbWeight(1n, 1n),
    class: "Normal",
    paysFee: false,
    docs: [
      "---- Used to commit a hash of your weight values to later be revealed.",
      "commit_hash = BlakeTwo256(SCALE(hotkey, netuid, uids, values, salt, version_key)).",
    ],
    validate: (ctx, a: CommitWeightsArgs) => validateWeightsCall(ctx, ctx.who, a.netuid),
    dispatch: (ctx, a: CommitWeightsArgs) => {
      doCommitWeights(ctx, ensureSigned(ctx.origin), a.netuid, a.commitHash);
    },
  },
  {
    name: "reveal_weights",
    index: 97,
    args: [netuidArg, u16Vec("uids"), u16Vec("values"), u16Vec("salt"), versionKeyArg],
    origin: "signed",
    weight: () => 103_000_000n + dbWeight(11n, 3n),
    class: "Normal",
    paysFee: false,
    docs: ["---- Used to reveal the weights for a previously committed hash; the weights are then set as by set_weights."],
    validate: (ctx, a: RevealWeightsArgs) => validateWeightsCall(ctx, ctx.who, a.netuid),
    dispatch: (ctx, a: RevealWeightsArgs) => {
      doRevealWeights(ctx, ensureSigned(ctx.origin), { netuid: a.netuid, uids: a.uids, values: a.values, salt: a.salt, versionKey: a.versionKey });
    },
  },
];

/** Weights have no per-block work in classic Subtensor (epochs read them; the coinbase runs those). */
export function weightsOnInitialize(_ctx: HookContext): void {}
