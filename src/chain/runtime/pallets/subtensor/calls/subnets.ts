/**
 * SubtensorModule calls: subnets and registration (classic Subtensor at de1026780, lib.rs call
 * indices, argument names and types, weights with RocksDbWeight, DispatchClass and Pays::No).
 *
 *   6  register(netuid, block_number, nonce, work, hotkey, coldkey)   PoW, signed by the hotkey
 *   7  burned_register(netuid, hotkey)                                 signed by the coldkey
 *   59 register_network()                                              classic: no argument, the subnet starts without neurons
 *   60 faucet(block_number, nonce, work)                               development chains only
 *   61 dissolve_network(netuid)                                        subnet owner, or root (sudo)
 *   62 root_register(hotkey)
 *
 * and the per-block registration terms (block_step's `adjust_registration_terms_for_networks`).
 * The logic lives in ../registration/.
 */
import { bytes, u16, u64, type FieldSpec } from "../../../../codec/scale.js";
import { AccountId32 } from "../../../../codec/types.js";
import type { HookContext } from "../../../frame/dispatch.js";
import type { CallDecl } from "../../../frame/pallet.js";
import { adjustRegistrationTermsForNetworks } from "../registration/burnAdjustment.js";
import { userAddNetwork, userRemoveNetwork } from "../registration/networks.js";
import { doBurnedRegistration, doFaucet, doRegistration, validateRegistration, validateWorkLength, type PowRegistrationArgs } from "../registration/register.js";
import { doRootRegister } from "../registration/rootRegister.js";

/** RocksDbWeight, the runtime's `DbWeight`: 25 µs per read, 100 µs per write (ref_time, ps). */
const READ = 25_000_000n;
const WRITE = 100_000_000n;
const classicWeight = (base: bigint, reads: bigint, writes: bigint) => () => base + reads * READ + writes * WRITE;

const arg = (name: string, type: unknown, typeName: string): FieldSpec => ({ name, type: type as FieldSpec["type"], typeName });
const netuidArg = arg("netuid", u16, "u16");
const accountArg = (name: string) => arg(name, AccountId32, "T::AccountId");

export const subnetsCalls: CallDecl[] = [
  {
    name: "register",
    index: 6,
    args: [netuidArg, arg("block_number", u64, "u64"), arg("nonce", u64, "u64"), arg("work", bytes, "Vec<u8>"), accountArg("hotkey"), accountArg("coldkey")],
    origin: "signed",
    weight: classicWeight(192_000_000n, 24n, 22n),
    class: "Normal",
    paysFee: false,
    docs: ["Registers a new neuron to the subnetwork with a proof of work (signed by the hotkey)."],
    validate: (ctx, a: PowRegistrationArgs) => {
      validateWorkLength(a.work);
      validateRegistration(ctx.state, a.netuid);
    },
    dispatch: (ctx, a: PowRegistrationArgs) => doRegistration(ctx, a),
  },
  {
    name: "burned_register",
    index: 7,
    args: [netuidArg, accountArg("hotkey")],
    origin: "signed",
    weight: classicWeight(177_000_000n, 26n, 24n),
    class: "Normal",
    paysFee: false,
    docs: ["Registers a hotkey on a subnetwork by burning the current registration cost from the calling coldkey."],
    validate: (ctx, a: { netuid: number }) => validateRegistration(ctx.state, a.netuid),
    dispatch: (ctx, a: { netuid: number; hotkey: Uint8Array }) => doBurnedRegistration(ctx, a.netuid, a.hotkey),
  },
  {
    name: "register_network",
    index: 59,
    args: [],
    origin: "signed",
    weight: classicWeight(157_000_000n, 16n, 30n),
    class: "Operational",
    paysFee: false,
    docs: ["User register a new subnetwork (locks the current network lock cost from the calling coldkey)."],
    dispatch: (ctx) => {
      userAddNetwork(ctx);
    },
  },
  {
    name: "faucet",
    index: 60,
    args: [arg("block_number", u64, "u64"), arg("nonce", u64, "u64"), arg("work", bytes, "Vec<u8>")],
    origin: "signed",
    weight: classicWeight(91_000_000n, 27n, 22n),
    class: "Normal",
    paysFee: false,
    docs: ["Facility extrinsic for user to get taken from faucet (development chains only)."],
    validate: (_ctx, a: { work: Uint8Array }) => validateWorkLength(a.work),
    dispatch: (ctx, a: { blockNumber: bigint; nonce: bigint; work: Uint8Array }) => doFaucet(ctx, a.blockNumber, a.nonce, a.work),
  },
  {
    name: "dissolve_network",
    index: 61,
    args: [netuidArg],
    // The owner (signed) or root through sudo; checked in the dispatch.
    origin: "any",
    weight: classicWeight(119_000_000n, 6n, 31n),
    class: "Operational",
    paysFee: false,
    docs: ["Remove a user's subnetwork. The caller must be the owner of the network (or root)."],
    dispatch: (ctx, a: { netuid: number }) => userRemoveNetwork(ctx, a.netuid),
  },
  {
    name: "root_register",
    index: 62,
    args: [accountArg("hotkey")],
    origin: "signed",
    weight: classicWeight(164_000_000n, 23n, 20n),
    class: "Normal",
    paysFee: false,
    docs: ["Register the hotkey to root network."],
    dispatch: (ctx, a: { hotkey: Uint8Array }) => doRootRegister(ctx, a.hotkey),
  },
];

/** Per-block work of this domain, run from SubtensorModule's on_initialize (block_step step 1). */
export function subnetsOnInitialize(ctx: HookContext): void {
  adjustRegistrationTermsForNetworks(ctx);
}
