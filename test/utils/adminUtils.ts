/**
 * Test support for the AdminUtils call tests (not a test file): a real chain whose genesis
 * creates subnet 1 owned by //Bob (with //Dave as its UID-0 hotkey, so SubnetworkN = 1) and
 * subnet 2 owned by //Charlie; helpers to build AdminUtils extrinsics (direct or through
 * Sudo.sudo) and to read each extrinsic's outcome and pallet events from a block.
 */
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import type { EnumValue } from "../../src/chain/codec/scale.js";
import { ChainHarness } from "./chainHarness.js";
import { devChainSpec } from "../../src/chain/spec.js";
import type { ReadAccess } from "../../src/chain/state/types.js";
import { subtensorErrorIndex, type SubtensorErrorName } from "../../src/chain/runtime/pallets/subtensor/errors.js";
import { adminUtilsErrorIndex, type AdminUtilsErrorName } from "../../src/chain/runtime/pallets/adminUtils/errors.js";

export const OWNED_NETUID = 1;
export const OTHER_NETUID = 2;
export const MISSING_NETUID = 77;

type Block = Awaited<ReturnType<ChainHarness["produce"]>>;
export type Outcome = { ok: true } | { ok: false; error: EnumValue };

/** Pallets whose events are bookkeeping of every extrinsic, not the call's own effect. */
const BOOKKEEPING = new Set(["System", "TransactionPayment", "Balances", "Sudo"]);

export class AdminHarness {
  private constructor(readonly h: ChainHarness) {}

  static async create(subtensor: Record<string, unknown> = {}): Promise<AdminHarness> {
    const spec = await devChainSpec();
    const h0 = await ChainHarness.create({
      ...spec,
      subtensor: {
        emission: { equalSplitFallback: false }, // exact issuance assertions: no block emission here
        subnets: [
          { netuid: OWNED_NETUID, owner: addr("Bob"), ownerHotkey: addr("Dave") },
          { netuid: OTHER_NETUID, owner: addr("Charlie") },
        ],
        ...subtensor,
      },
    } as typeof spec);
    return new AdminHarness(h0);
  }

  close(): Promise<void> {
    return this.h.close();
  }

  get alice(): KeyringPair {
    return this.h.alice;
  }
  get bob(): KeyringPair {
    return this.h.bob;
  }
  get charlie(): KeyringPair {
    return this.h.charlie;
  }
  pair(name: string): KeyringPair {
    return this.h.keyring.addFromUri(`//${name}`);
  }

  state(): ReadAccess {
    return this.h.chain.bestState();
  }

  /** The bytes of an AdminUtils call. */
  call(name: string, args: Record<string, unknown>): Uint8Array {
    return this.h.encodeCall("AdminUtils", name, args);
  }

  /** An extrinsic signed by `pair` (nonce = current + `ahead`, for several from one account in a block). */
  signed(pair: KeyringPair, name: string, args: Record<string, unknown>, ahead = 0): Uint8Array {
    return this.h.sign(pair, this.call(name, args), { nonce: this.h.nonceOf(pair) + ahead });
  }

  /** Sudo.sudo(AdminUtils.<name>(args)) signed by //Alice. */
  sudo(name: string, args: Record<string, unknown>, ahead = 0): Uint8Array {
    return this.sudoCall(this.call(name, args), ahead);
  }

  /** Sudo.sudo(<any call bytes>) signed by //Alice. */
  sudoCall(inner: Uint8Array, ahead = 0): Uint8Array {
    const call = this.h.runtime.callCodec.decode(inner);
    return this.h.sign(this.h.alice, this.h.encodeCall("Sudo", "sudo", { call }), { nonce: this.h.nonceOf(this.h.alice) + ahead });
  }

  async produce(xts: Uint8Array[]): Promise<Block> {
    const block = await this.h.produce(xts);
    if (block.skipped.length) throw new Error(`extrinsics skipped: ${JSON.stringify(block.skipped.map(String))}`);
    return block;
  }

  /**
   * The outcome of the extrinsic at position `i` (1-based, after the timestamp inherent): for a
   * Sudo.sudo extrinsic the inner call's result from Sudid, otherwise ExtrinsicSuccess/Failed.
   */
  outcome(block: Block, i: number): Outcome {
    const events = this.h.eventsOf(block).filter((e) => e.phase.tag === "ApplyExtrinsic" && e.phase.value === i);
    const sudid = events.find((e) => e.name === "Sudo.Sudid");
    if (sudid) {
      const r = (sudid.data as { sudoResult: EnumValue }).sudoResult;
      return r.tag === "Ok" ? { ok: true } : { ok: false, error: r.value as EnumValue };
    }
    const failed = events.find((e) => e.name === "System.ExtrinsicFailed");
    if (failed) return { ok: false, error: (failed.data as { dispatchError: EnumValue }).dispatchError };
    if (!events.some((e) => e.name === "System.ExtrinsicSuccess")) throw new Error(`no extrinsic at ${i}`);
    return { ok: true };
  }

  /** The call's own events at extrinsic `i` (bookkeeping pallets left out), as [name, data]. */
  callEvents(block: Block, i: number): Array<[string, unknown]> {
    return this.h
      .eventsOf(block)
      .filter((e) => e.phase.tag === "ApplyExtrinsic" && e.phase.value === i && !BOOKKEEPING.has(e.name.split(".")[0]))
      .map((e) => [e.name, e.data]);
  }

  /** The dispatch info of extrinsic `i` (from ExtrinsicSuccess / ExtrinsicFailed). */
  dispatchInfo(block: Block, i: number): { weight: { refTime: bigint }; class: EnumValue; paysFee: EnumValue } {
    const e = this.h.eventsOf(block).find((x) => x.phase.tag === "ApplyExtrinsic" && x.phase.value === i && (x.name === "System.ExtrinsicSuccess" || x.name === "System.ExtrinsicFailed"));
    return (e!.data as { dispatchInfo: { weight: { refTime: bigint }; class: EnumValue; paysFee: EnumValue } }).dispatchInfo;
  }
}

/** SS58 address of a dev account (called after devChainSpec, which waits for the crypto). */
function addr(name: string): string {
  return new Keyring({ type: "sr25519", ss58Format: 42 }).addFromUri(`//${name}`).address;
}

// ------------------------------------------------------------------ error shapes

export const BAD_ORIGIN: EnumValue = { tag: "BadOrigin" };

/** Module { index, error[0] } of a DispatchError value, for comparisons. */
export function moduleError(e: EnumValue): [number, number] | null {
  if (e.tag !== "Module") return null;
  const v = e.value as { index: number; error: Uint8Array };
  return [v.index, v.error[0]];
}

export const adminErr = (name: AdminUtilsErrorName): [number, number] => [19, adminUtilsErrorIndex(name)];
export const subtensorErr = (name: SubtensorErrorName): [number, number] => [7, subtensorErrorIndex(name)];

/** Asserts-friendly summary of an outcome: "ok", "BadOrigin", or [pallet, error index]. */
export function summary(o: Outcome): "ok" | string | [number, number] {
  if (o.ok) return "ok";
  return moduleError(o.error) ?? o.error.tag;
}
