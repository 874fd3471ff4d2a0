/**
 * `system_*` (polkadot-sdk `rpc-api/src/system/`, `rpc/src/system/`) and the FRAME system RPC
 * (`substrate-frame-rpc-system`: `system_accountNextIndex` alias `account_nextIndex`,
 * `system_dryRun` alias `system_dryRunAt`).
 *
 * JSON shapes as Substrate serializes them: `system_chainType` is the plain variant name
 * ("Development", "Local", "Live"); `system_health` is `{peers, isSyncing, shouldHavePeers}`;
 * `system_syncState` is `{startingBlock, currentBlock, highestBlock}` (numbers).
 */
import { decodeAddress } from "@polkadot/util-crypto";
import { RuntimeApiError } from "../../chain/runtime/frame/runtimeApi.js";
import { u32 as u32Codec } from "../../chain/codec/scale.js";
import { callRuntime } from "../runtimeCalls.js";
import { RpcError, invalidParams } from "../errors.js";
import { hash, hex, optional, string } from "../params.js";
import type { RpcRegistry } from "../registry.js";
import { ErrorBase, toHex } from "./common.js";
import type { RpcServices } from "./services.js";

/** substrate-frame-rpc-system's error codes. */
export const FrameSystemErrorCode = { RuntimeError: 1, DecodeError: 2 } as const;

/** An AccountId32 from an SS58 address (any prefix) or `0x` + 64 hex digits; -32602 otherwise. */
export function parseAccountId(value: string, at = "param 0 (account)"): Uint8Array {
  let id: Uint8Array;
  try {
    id = decodeAddress(value);
  } catch (e) {
    throw invalidParams(`${at}: ${(e as Error).message}`);
  }
  if (id.length !== 32) throw invalidParams(`${at}: expected a 32-byte account id, got ${id.length} bytes`);
  return id;
}

export function register(registry: RpcRegistry, services: RpcServices): void {
  const { chain, pool, spec, node } = services;
  const startingBlock = chain.best.number;
  const syncState = () => node.syncState?.() ?? { startingBlock, currentBlock: chain.best.number, highestBlock: chain.best.number };

  registry.addMethod({ name: "system_name", params: [], handler: () => node.name });
  registry.addMethod({ name: "system_version", params: [], handler: () => node.version });
  registry.addMethod({ name: "system_chain", params: [], handler: () => spec.name });
  registry.addMethod({ name: "system_chainType", params: [], handler: () => spec.chainType });
  registry.addMethod({ name: "system_properties", params: [], handler: () => ({ ...spec.properties }) });

  registry.addMethod({
    name: "system_health",
    params: [],
    // sc-service: a development chain is not expected to have peers
    handler: () => ({ peers: node.peers(), isSyncing: node.isSyncing(), shouldHavePeers: spec.chainType !== "Development" }),
  });

  registry.addMethod({ name: "system_localPeerId", params: [], handler: () => node.localPeerId() });
  registry.addMethod({ name: "system_localListenAddresses", params: [], handler: () => node.listenAddresses() });
  registry.addMethod({ name: "system_nodeRoles", params: [], handler: () => [...node.roles] });

  // sc-rpc-api PeerInfo: {peerId, roles, bestHash, bestNumber}
  registry.addMethod({ name: "system_peers", unsafe: true, params: [], handler: () => node.peerList?.() ?? [] });

  registry.addMethod({ name: "system_syncState", params: [], handler: () => syncState() });

  registry.addMethod({
    name: "system_addReservedPeer",
    unsafe: true,
    params: [string().named("peer")],
    handler: async ([addr]: [string]) => {
      if (!node.addReservedPeer) throw new RpcError(ErrorBase.SYSTEM + 0, "Networking is disabled on this node (--no-p2p)");
      try {
        await node.addReservedPeer(addr);
      } catch (e) {
        // Substrate's Error::MalformattedPeerArg (2002)
        throw new RpcError(ErrorBase.SYSTEM + 2, (e as Error).message);
      }
      return null;
    },
  });

  registry.addMethod({
    name: "system_removeReservedPeer",
    unsafe: true,
    params: [string().named("peerId")],
    handler: async ([peerId]: [string]) => {
      if (!node.removeReservedPeer) throw new RpcError(ErrorBase.SYSTEM + 0, "Networking is disabled on this node (--no-p2p)");
      try {
        await node.removeReservedPeer(peerId);
      } catch (e) {
        throw new RpcError(ErrorBase.SYSTEM + 2, `invalid peer id ${peerId}: ${(e as Error).message}`);
      }
      return null;
    },
  });

  registry.addMethod({
    name: "system_accountNextIndex",
    aliases: ["account_nextIndex"],
    params: [string().named("account")],
    handler: ([address]: [string]) => {
      const account = parseAccountId(address);
      let onChain: number;
      try {
        onChain = u32Codec.decode(callRuntime(services, "AccountNonceApi_account_nonce", account, chain.best.hash));
      } catch (e) {
        if (e instanceof RuntimeApiError) throw new RpcError(FrameSystemErrorCode.RuntimeError, "Unable to query nonce.", e.message);
        throw e;
      }
      return pool.nextNonce(account, onChain);
    },
  });

  registry.addMethod({
    name: "system_dryRun",
    aliases: ["system_dryRunAt"],
    unsafe: true,
    params: [hex().named("extrinsic"), optional(hash()).named("at")],
    handler: ([bytes, at]: [Uint8Array, Uint8Array | undefined]) => {
      try {
        chain.decode(bytes);
      } catch (e) {
        throw new RpcError(FrameSystemErrorCode.DecodeError, "Unable to dry run extrinsic", (e as Error).message);
      }
      // the runtime's BlockBuilder_apply_extrinsic: the extrinsic in a new block on top of `at`;
      // its answer is already the SCALE ApplyExtrinsicResult system_dryRun returns
      try {
        return toHex(callRuntime(services, "BlockBuilder_apply_extrinsic", bytes, at ?? chain.best.hash));
      } catch (e) {
        if (e instanceof RuntimeApiError) throw new RpcError(FrameSystemErrorCode.RuntimeError, "Unable to dry run extrinsic.", e.message);
        throw e;
      }
    },
  });
}
