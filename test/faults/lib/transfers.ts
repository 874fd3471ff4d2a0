/**
 * Signed balance transfers built offline (the way polkadot-js builds them: immortal era, nonce,
 * tip 0) for a chain we talk to over JSON-RPC only. The signing identity (genesis hash, spec and
 * transaction versions) is read from the node once.
 */
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { encodeAdditional, encodeExtra, encodeSignedExtrinsic, signingMessage } from "../../../src/chain/codec/extrinsic.js";
import type { ChainSpec } from "../../../src/chain/spec.js";
import type { EnumValue } from "../../../src/chain/codec/scale.js";
import { fromHex, toHex } from "../../../src/util/bytes.js";
import { blake2_256 } from "../../../src/util/hash.js";
import { sharedRuntime } from "../../utils/chainHarness.js";
import { rpcCall } from "./proc.js";

export interface SigningIdentity {
  genesisHash: Uint8Array;
  specVersion: number;
  transactionVersion: number;
}

export async function signingIdentity(url: string): Promise<SigningIdentity> {
  const genesis = (await rpcCall(url, "chain_getBlockHash", [0])) as string;
  const v = (await rpcCall(url, "state_getRuntimeVersion")) as { specVersion: number; transactionVersion: number };
  return { genesisHash: fromHex(genesis), specVersion: v.specVersion, transactionVersion: v.transactionVersion };
}

export class TransferSigner {
  readonly keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
  private constructor(
    private readonly spec: ChainSpec,
    readonly id: SigningIdentity,
  ) {}

  static async create(spec: ChainSpec, id: SigningIdentity): Promise<TransferSigner> {
    await cryptoWaitReady();
    return new TransferSigner(spec, id);
  }

  account(suri: string): KeyringPair {
    return this.keyring.addFromUri(suri);
  }

  /** A transfer_keep_alive of `value` RAO from `from` to `dest` with `nonce`; returns bytes and hash. */
  transfer(from: KeyringPair, dest: Uint8Array, value: bigint, nonce: number): { bytes: Uint8Array; hex: string; hash: string } {
    const runtime = sharedRuntime(this.spec);
    const call = runtime.callCodec.encode({ tag: "Balances", value: { tag: "transfer_keep_alive", value: { dest: { tag: "Id", value: dest }, value } } } as EnumValue);
    const msg = signingMessage(call, encodeExtra(null, nonce, 0n), encodeAdditional({ ...this.id, eraBlockHash: this.id.genesisHash }));
    const bytes = encodeSignedExtrinsic(from.publicKey, { tag: "Sr25519", value: from.sign(msg) }, { era: null, nonce, tip: 0n }, call);
    return { bytes, hex: toHex(bytes), hash: toHex(blake2_256(bytes)) };
  }
}

/** The next nonce of an account as the node sees it (chain + pool). */
export async function nextNonce(url: string, address: string): Promise<number> {
  return (await rpcCall(url, "system_accountNextIndex", [address])) as number;
}
