/**
 * Protocol ids and gossip topics, scoped by the genesis hash (as Substrate scopes its protocol
 * names), so nodes of different chains never exchange data; and the limits that go with each.
 */
import { toHex } from "../util/bytes.js";

export interface Protocols {
  status: string;
  /** a batch of pool transactions pushed to a new peer (gossip reaches only peers connected at the time) */
  transactions: string;
  sync: string;
  catchUp: string;
  blocksTopic: string;
  transactionsTopic: string;
  finalityTopic: string;
}

export function protocolsFor(genesisHash: Uint8Array): Protocols {
  const g = toHex(genesisHash).slice(2);
  return {
    status: `/subtensor-ts/${g}/status/1`,
    transactions: `/subtensor-ts/${g}/transactions/1`,
    sync: `/subtensor-ts/${g}/sync/2`,
    catchUp: `/subtensor-ts/${g}/grandpa/catch-up/1`,
    blocksTopic: `/subtensor-ts/${g}/blocks/1`,
    transactionsTopic: `/subtensor-ts/${g}/transactions/1`,
    finalityTopic: `/subtensor-ts/${g}/grandpa/1`,
  };
}

/** Req/resp limits (Substrate's block request handler: 128 blocks, 8 MiB, 20 s). */
export const LIMITS = {
  /** blocks in one sync response */
  maxBlocksPerResponse: 128,
  /** bytes of block data in one response; at least one block is always sent */
  maxResponseBytes: 8 * 1024 * 1024,
  /** one frame: the largest block (10 MiB body) plus its header and justification */
  maxFrameBytes: 11 * 1024 * 1024,
  maxRequestBytes: 1024,
  requestTimeoutMs: 20_000,
  statusTimeoutMs: 5_000,
  /** concurrent inbound streams per protocol and connection (libp2p's default is 32) */
  maxInboundStreams: 32,
  maxOutboundStreams: 32,
} as const;

/** Pool transactions pushed to a new peer: per request, and in all. */
export const TX_PUSH = { maxBatchBytes: 1024 * 1024, maxTransactions: 4096 } as const;

/** Gossip message size limits per topic. */
/** Blocks whose body is larger are announced by header and fetched by request. */
export const GOSSIP_BODY_LIMIT = 1024 * 1024;

export const TOPIC_LIMITS = {
  /** an announcement: a header and at most GOSSIP_BODY_LIMIT of body; honest nodes send no more */
  blocks: GOSSIP_BODY_LIMIT + 64 * 1024,
  /** one extrinsic (gossipsub frames messages up to 4 MiB; larger ones reach authors by RPC only) */
  transactions: 3 * 1024 * 1024 + 512 * 1024,
  finality: 256 * 1024,
} as const;

/** Gossip messages a peer may send per second on a topic before it is penalized (token buckets). */
export const TOPIC_RATES = {
  blocks: { perSecond: 4, burst: 64 },
  transactions: { perSecond: 200, burst: 2000 },
  finality: { perSecond: 100, burst: 400 },
} as const;

/** Per-peer, per-topic rates this node accepts (token buckets). */
export type TopicRates = { [K in keyof typeof TOPIC_RATES]: { perSecond: number; burst: number } };

/**
 * Transactions this node gossips — its own (RPC) and those it relays — per second, all peers
 * alike: half of what a peer accepts from it (`rates.transactions`: 100/s, burst 1000 by default),
 * so an honest node never looks like a flooder however many transactions it is given. Beyond it,
 * transactions stay in the pool (and go into our blocks) without being gossiped.
 */
export function txGossipBudget(rates: TopicRates = TOPIC_RATES): { perSecond: number; burst: number } {
  return { perSecond: rates.transactions.perSecond / 2, burst: rates.transactions.burst / 2 };
}
