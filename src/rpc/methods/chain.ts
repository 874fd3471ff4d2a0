/**
 * `chain_*`: block hashes, headers, blocks, the finalized head, and the three head subscriptions,
 * with Substrate's names, aliases and JSON (polkadot-sdk `rpc-api/src/chain/mod.rs`,
 * `rpc/src/chain/`). Unknown hashes give `null`, as a Substrate node answers.
 *
 * Errors (`rpc-api/src/chain/error.rs`): 3001 `Error::Other` (e.g. a block number over u32),
 * 3002 `Client error: …`.
 */
import { headerToJson } from "../../chain/codec/block.js";
import type { Header } from "../../chain/codec/types.js";
import type { HeadInfo, ImportedBlock, NewBest } from "../../chain/blockchain/blockchain.js";
import { bytes, fixedBytes, tuple, vec } from "../../chain/codec/scale.js";
import { RpcError } from "../errors.js";
import { hash, listOrValue, numberOrHex, optional } from "../params.js";
import { RawJson, type RpcRegistry, type SubscriptionSink } from "../registry.js";
import { ErrorBase, findBlock, toHex } from "./common.js";
import type { RpcServices } from "./services.js";

/** `Justifications` = Vec<(ConsensusEngineId, EncodedJustification)>: how blocks store their justifications. */
const JustificationsCodec = vec(tuple(fixedBytes(4), bytes));

const U32_MAX = 0xffff_ffffn;

/**
 * `Justifications` as serde serializes it: `[[[engine id bytes], [justification bytes]], …]`
 * (a `[u8; 4]` and a `Vec<u8>` both become arrays of numbers). Undecodable bytes give null.
 */
export function justificationsJson(raw: Uint8Array | undefined): number[][][] | null {
  if (!raw) return null;
  try {
    const list = JustificationsCodec.decode(raw);
    return list.length === 0 ? null : list.map(([engine, data]) => [Array.from(engine), Array.from(data)]);
  } catch {
    return null;
  }
}

/** The JSON of `chain_getBlock` (`SignedBlock`), or null for an unknown hash. */
export function blockJson(services: RpcServices, blockHash: Uint8Array): Record<string, unknown> | null {
  const header = services.chain.header(blockHash);
  const body = services.chain.body(blockHash);
  if (!header || !body) return null;
  return {
    block: { header: headerToJson(header), extrinsics: body.map((e) => toHex(e)) },
    justifications: justificationsJson(services.chain.justification(blockHash)),
  };
}

function blockHashAt(services: RpcServices, n: bigint): string | null {
  if (n > U32_MAX) {
    // sp_rpc's NumberOrHex Debug; the message of Substrate's chain Error::Other
    throw new RpcError(ErrorBase.CHAIN + 1, `\`Number(${n})\` > u32::MAX, the max block number is u32.`);
  }
  const h = services.chain.hashAt(Number(n));
  return h ? toHex(h) : null;
}

type HeadSource = (sink: SubscriptionSink) => () => void;

function headSubscription(initial: () => Header | undefined, follow: HeadSource) {
  return (_params: unknown[], sink: SubscriptionSink) => {
    const stop = follow(sink);
    // Substrate sends the current head right away, then follows the stream.
    const head = initial();
    if (head) sink.emit(headerToJson(head));
    return { stop };
  };
}

export function register(registry: RpcRegistry, services: RpcServices): void {
  const { chain } = services;

  registry.addMethod({
    name: "chain_getBlockHash",
    aliases: ["chain_getHead"],
    params: [optional(listOrValue(numberOrHex())).named("hash")],
    handler: ([n]: [bigint | bigint[] | undefined]) => {
      if (n === undefined) return toHex(chain.best.hash);
      if (Array.isArray(n)) return n.map((x) => blockHashAt(services, x));
      return blockHashAt(services, n);
    },
  });

  // the best header's JSON, built once per head: chain.best and its header are replaced whole on
  // every new best (reorgs included), so a new head never meets the previous head's text
  let bestHeader: { header: Header; json: RawJson } | undefined;
  registry.addMethod({
    name: "chain_getHeader",
    params: [optional(hash()).named("hash")],
    handler: ([at]: [Uint8Array | undefined]) => {
      if (at === undefined) {
        const { header } = chain.best;
        if (bestHeader?.header !== header) bestHeader = { header, json: RawJson.of(headerToJson(header)) };
        return bestHeader.json;
      }
      const block = findBlock(services, at);
      return block ? headerToJson(block.header) : null;
    },
  });

  registry.addMethod({
    name: "chain_getBlock",
    params: [optional(hash()).named("hash")],
    handler: ([at]: [Uint8Array | undefined]) => blockJson(services, at ?? chain.best.hash),
  });

  registry.addMethod({
    name: "chain_getFinalizedHead",
    aliases: ["chain_getFinalisedHead"],
    params: [],
    handler: () => toHex(chain.finalized.hash),
  });

  registry.addSubscription({
    subscribe: "chain_subscribeAllHeads",
    unsubscribe: "chain_unsubscribeAllHeads",
    notification: "chain_allHead",
    params: [],
    start: headSubscription(
      () => chain.best.header,
      (sink) => {
        const onImported = (b: ImportedBlock) => sink.emit(headerToJson(b.header));
        chain.on("imported", onImported);
        return () => chain.off("imported", onImported);
      },
    ),
  });

  registry.addSubscription({
    subscribe: "chain_subscribeNewHeads",
    aliases: ["chain_subscribeNewHead", "subscribe_newHead"],
    unsubscribe: "chain_unsubscribeNewHeads",
    unsubscribeAliases: ["chain_unsubscribeNewHead", "unsubscribe_newHead"],
    notification: "chain_newHead",
    params: [],
    start: headSubscription(
      () => chain.best.header,
      (sink) => {
        // every change of best block, reorgs included (a new best on another branch)
        const onNewBest = (c: NewBest) => sink.emit(headerToJson(c.best.header));
        chain.on("newBest", onNewBest);
        return () => chain.off("newBest", onNewBest);
      },
    ),
  });

  registry.addSubscription({
    subscribe: "chain_subscribeFinalizedHeads",
    aliases: ["chain_subscribeFinalisedHeads"],
    unsubscribe: "chain_unsubscribeFinalizedHeads",
    unsubscribeAliases: ["chain_unsubscribeFinalisedHeads"],
    notification: "chain_finalizedHead",
    params: [],
    start: headSubscription(
      () => chain.finalized.header,
      (sink) => {
        const onFinalized = (h: HeadInfo) => sink.emit(headerToJson(h.header));
        chain.on("finalized", onFinalized);
        return () => chain.off("finalized", onFinalized);
      },
    ),
  });
}
