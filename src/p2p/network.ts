/**
 * The node's libp2p network (the only place that calls createLibp2p): TCP, noise, yamux,
 * identify, ping, bootstrap (and mDNS when asked), gossipsub. It
 *  - handshakes every new peer (genesis, slot duration, best and finalized block) and drops peers
 *    of another chain or with another slot duration;
 *  - validates every gossip message before it is forwarded: blocks are imported first (so only
 *    verified blocks travel on), transactions go through the pool, finality messages through the
 *    finality service; invalid data penalizes the sender, floods are rate limited, and a peer
 *    past the ban threshold is disconnected and refused for a while;
 *  - serves and sends block requests (sync) and finality catch-ups;
 *  - keeps connections to bootnodes and reserved peers, and learns peers from its peers.
 * It hands blocks to the chain's import queue with their origin and never touches state itself.
 */
import { createHash } from "node:crypto";
import { EventEmitter } from "node:events";
import { createLibp2p, type Libp2p } from "libp2p";
import { tcp } from "@libp2p/tcp";
import { noise } from "@chainsafe/libp2p-noise";
import { yamux } from "@chainsafe/libp2p-yamux";
import { identify } from "@libp2p/identify";
import { ping } from "@libp2p/ping";
import { bootstrap } from "@libp2p/bootstrap";
import { mdns } from "@libp2p/mdns";
import { gossipsub, TopicValidatorResult, type GossipSub } from "@libp2p/gossipsub";
import { peerIdFromString } from "@libp2p/peer-id";
import type { PeerDiscovery, PeerId, PrivateKey } from "@libp2p/interface";
import { multiaddr, type Multiaddr } from "@multiformats/multiaddr";
import type { Logger } from "../util/logger.js";
import type { Blockchain, ImportedBlock } from "../chain/blockchain/blockchain.js";
import type { ImportQueue } from "../chain/blockchain/importQueue.js";
import { originPeer } from "../chain/blockchain/origin.js";
import type { TxPool } from "../chain/txpool/txpool.js";
import { PoolError } from "../chain/txpool/txpool.js";
import { headerHash } from "../chain/codec/block.js";
import { bytesEqual, toHex } from "../util/bytes.js";
import { bytes, str, struct, vec, type Codec } from "../chain/codec/scale.js";
import type { FinalityService, GossipVerdict } from "../consensus/finality/service.js";
import {
  FIELD_BODY,
  FIELD_HEADER,
  FIELD_JUSTIFICATION,
  StatusCodec,
  decodeBlockAnnounce,
  decodeBlockData,
  decodeBlockRequest,
  encodeBlockAnnounce,
  encodeBlockData,
  encodeBlockRequest,
  type BlockData,
  type BlockRequest,
  type Status,
} from "./messages.js";
import { GOSSIP_BODY_LIMIT, LIMITS, TOPIC_LIMITS, TOPIC_RATES, TX_PUSH, protocolsFor, txGossipBudget, type Protocols, type TopicRates } from "./protocols.js";
import { PeerScores, RateLimiter, type PeerAction } from "./peerScore.js";
import { judgeImportError } from "./penalties.js";
import { BlockImportError } from "../chain/blockchain/errors.js";
import { handleProtocol, sendRequest, ReqRespError, RequestRefused } from "./reqresp.js";
import { Sync, type SyncPeer } from "./sync.js";

/** What an operator sets (flags); the node adds what the chain decides. */
export interface PeeringOptions {
  /** multiaddrs to listen on */
  listenAddrs: string[];
  /** addresses to announce instead of the listen addresses (behind NAT, in containers) */
  publicAddrs: string[];
  bootnodes: string[];
  reservedNodes: string[];
  reservedOnly: boolean;
  maxPeers: number;
  /** mDNS discovery on the local network */
  discoverLocal: boolean;
}

export interface NetworkOptions extends PeeringOptions {
  slotDurationMs: number;
  isAuthority: boolean;
  /** how long a banned peer is refused (default 10 min) */
  banMs?: number;
  /**
   * Gossip rates accepted per peer and topic (default TOPIC_RATES; our own transaction gossip
   * budget is half of the transactions rate). Every node of a network must use the same ones:
   * tests lower them so a flood from a slow test process still overruns them.
   */
  gossipRates?: Partial<TopicRates>;
}

export interface NetworkModules {
  privateKey: PrivateKey;
  chain: Blockchain;
  queue: ImportQueue;
  pool: TxPool;
  finality: FinalityService;
  logger: Logger;
}

export interface PeerInfo {
  peerId: string;
  roles: "AUTHORITY" | "FULL";
  bestHash: string;
  bestNumber: number;
  finalizedNumber: number;
  address?: string;
}

interface PeerEntry {
  status?: Status;
  address?: string;
}

export interface NetworkEvents {
  peers: [number];
  banned: [{ peer: string; reason: string }];
}

/** Transactions pushed to a new peer: Vec<extrinsic bytes>. */
const TxBatchCodec = vec(bytes);

/** Peer exchange: the peers we know, so a node that only knows a bootnode finds the rest. */
const PeerListCodec = vec(struct<{ id: string; addrs: Uint8Array[] }>([
  { name: "id", type: str },
  { name: "addrs", type: vec(bytes) as Codec<unknown> },
]));

export class Network extends EventEmitter<NetworkEvents> {
  readonly protocols: Protocols;
  readonly sync: Sync;
  private readonly scores: PeerScores;
  private readonly peersTable = new Map<string, PeerEntry>();
  private readonly reserved = new Map<string, Multiaddr>();
  private readonly bootnodes: Multiaddr[];
  private readonly rates: Record<keyof typeof TOPIC_RATES, RateLimiter>;
  /** what we gossip on the transaction topic, own and relayed (one bucket: key "out") */
  private readonly txBudget: RateLimiter;
  private txNotGossiped = 0;
  private libp2p!: Libp2p<{ pubsub: GossipSub }>;
  private maintainTimer?: NodeJS.Timeout;
  private statusTimer?: NodeJS.Timeout;
  private readonly log: Logger;
  private stopped = false;

  constructor(
    private readonly opts: NetworkOptions,
    private readonly modules: NetworkModules,
  ) {
    super();
    this.log = modules.logger;
    this.protocols = protocolsFor(modules.chain.genesisHash);
    this.scores = new PeerScores({ banMs: opts.banMs });
    this.bootnodes = opts.bootnodes.map((a) => parsePeerAddr(a, "--bootnodes"));
    for (const a of opts.reservedNodes) {
      const ma = parsePeerAddr(a, "--reserved-nodes");
      this.reserved.set(ma.getComponents().find((c) => c.name === "p2p")!.value!, ma);
    }
    const rates: TopicRates = { ...TOPIC_RATES, ...opts.gossipRates };
    const budget = txGossipBudget(rates);
    this.txBudget = new RateLimiter(budget.perSecond, budget.burst);
    this.rates = {
      blocks: new RateLimiter(rates.blocks.perSecond, rates.blocks.burst),
      transactions: new RateLimiter(rates.transactions.perSecond, rates.transactions.burst),
      finality: new RateLimiter(rates.finality.perSecond, rates.finality.burst),
    };
    this.sync = new Sync({
      chain: modules.chain,
      queue: modules.queue,
      logger: modules.logger.child({ module: "sync" }),
      network: {
        peers: () => this.syncPeers(),
        requestBlocks: (peer, req) => this.requestBlocks(peer, req),
        penalize: (peer, action, reason) => this.penalize(peer, action, reason),
        lowerBest: (peer, number) => {
          const s = this.peersTable.get(peer)?.status;
          if (s && s.bestNumber > number) s.bestNumber = number;
        },
      },
    });
  }

  get peerId(): string {
    return this.libp2p.peerId.toString();
  }

  async start(): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const peerDiscovery: Array<(components: any) => PeerDiscovery> = [];
    if (this.bootnodes.length) peerDiscovery.push(bootstrap({ list: this.bootnodes.map((m) => m.toString()), timeout: 100 }));
    if (this.opts.discoverLocal) peerDiscovery.push(mdns({ interval: 1000 }));
    const bannedOrUnreserved = (peer: PeerId) => {
      const id = peer.toString();
      return this.scores.isBanned(id) || (this.opts.reservedOnly && !this.reserved.has(id));
    };
    this.libp2p = (await createLibp2p({
      privateKey: this.modules.privateKey,
      addresses: { listen: this.opts.listenAddrs, announce: this.opts.publicAddrs.length ? this.opts.publicAddrs : undefined },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      // blocks travel whole (gossip) and up to 8 MiB per sync response: a stream must buffer a full
      // message (yamux's default read buffer is 4 MiB)
      streamMuxers: [yamux({ streamOptions: { maxReadBufferLength: 24 * 1024 * 1024 } })],
      connectionManager: { maxConnections: this.opts.maxPeers },
      connectionGater: {
        denyDialPeer: bannedOrUnreserved,
        denyInboundEncryptedConnection: bannedOrUnreserved,
        denyOutboundEncryptedConnection: bannedOrUnreserved,
      },
      peerDiscovery,
      services: {
        identify: identify(),
        ping: ping(),
        pubsub: gossipsub({
          // chain messages carry their own signatures; a content hash identifies a message
          globalSignaturePolicy: "StrictNoSign",
          msgIdFn: (msg) => createHash("sha256").update(msg.data).digest().subarray(0, 20),
          allowPublishToZeroTopicPeers: true,
          emitSelf: false,
          floodPublish: true,
          maxInboundDataLength: 16 * 1024 * 1024,
          // a full block is up to 10 MiB: the default stream write buffer would drop it
          maxOutboundBufferSize: 32 * 1024 * 1024,
        }),
      },
    })) as unknown as Libp2p<{ pubsub: GossipSub }>;
    const l = this.libp2p;
    l.addEventListener("peer:connect", (e) => void this.onConnect(e.detail));
    l.addEventListener("peer:disconnect", (e) => this.onDisconnect(e.detail));
    l.addEventListener("peer:discovery", (e) => {
      if (this.opts.discoverLocal && !this.connected(e.detail.id.toString())) void this.dialQuietly(e.detail.id);
    });
    await this.registerProtocols();
    this.registerGossip();
    this.sync.start();
    this.maintainTimer = setInterval(() => void this.maintain(), 3000);
    this.statusTimer = setInterval(() => void this.refreshStatuses(), 10_000);
    void this.maintain();
    this.log.info({ peerId: this.peerId, listen: this.listenAddresses() }, `Local node identity is: ${this.peerId}`);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.maintainTimer);
    clearInterval(this.statusTimer);
    await this.sync.stop();
    await this.libp2p?.stop();
  }

  // ---------------------------------------------------------------- peers

  listenAddresses(): string[] {
    return this.libp2p.getMultiaddrs().map((m) => m.toString());
  }

  private connected(peer: string): boolean {
    return this.libp2p.getConnections(peerIdFromString(peer)).length > 0;
  }

  /** Peers whose handshake succeeded. */
  peers(): PeerInfo[] {
    const out: PeerInfo[] = [];
    for (const [id, p] of this.peersTable) {
      if (!p.status) continue;
      out.push({
        peerId: id,
        roles: p.status.role === 1 ? "AUTHORITY" : "FULL",
        bestHash: toHex(p.status.bestHash),
        bestNumber: p.status.bestNumber,
        finalizedNumber: p.status.finalizedNumber,
        address: p.address,
      });
    }
    return out;
  }

  get peerCount(): number {
    return this.peers().length;
  }

  private syncPeers(): SyncPeer[] {
    return [...this.peersTable].filter(([, p]) => p.status).map(([id, p]) => ({ id, bestNumber: p.status!.bestNumber, bestHash: p.status!.bestHash }));
  }

  penalize(peer: string, action: PeerAction, reason: string): void {
    if (this.reserved.has(peer) && action !== "fatal") return;
    this.log.debug({ peer, action, reason }, "Peer penalized");
    if (this.scores.penalize(peer, action, reason)) {
      this.log.warn({ peer, reason }, `Banned peer ${peer}: ${reason}`);
      this.emit("banned", { peer, reason });
      void this.libp2p.hangUp(peerIdFromString(peer)).catch(() => undefined);
    }
  }

  isBanned(peer: string): boolean {
    return this.scores.isBanned(peer);
  }

  async addReservedPeer(addr: string): Promise<void> {
    const ma = parsePeerAddr(addr, "reserved peer");
    const id = ma.getComponents().find((c) => c.name === "p2p")!.value!;
    this.reserved.set(id, ma);
    this.scores.forgive(id);
    await this.libp2p.dial(ma).catch((e) => this.log.debug({ err: e, addr }, "Dialing a reserved peer failed"));
  }

  async removeReservedPeer(peerId: string): Promise<void> {
    peerIdFromString(peerId); // throws on a malformed id
    this.reserved.delete(peerId);
    if (this.opts.reservedOnly) await this.libp2p.hangUp(peerIdFromString(peerId)).catch(() => undefined);
  }

  reservedPeers(): string[] {
    return [...this.reserved.keys()];
  }

  private async dialQuietly(target: PeerId | Multiaddr): Promise<void> {
    try {
      await this.libp2p.dial(target, { signal: AbortSignal.timeout(5000) });
    } catch (e) {
      this.log.trace({ err: e, target: target.toString() }, "Dial failed");
    }
  }

  private maintainTicks = 0;

  /** Keeps bootnodes and reserved peers connected (they may restart), and asks peers for more peers. */
  private async maintain(): Promise<void> {
    if (this.stopped) return;
    // peers learn of each other over time (a bootnode may not know everyone when we first ask)
    const ids = [...this.peersTable.keys()];
    if (ids.length && ids.length < this.opts.maxPeers && (ids.length < 4 || this.maintainTicks % 10 === 0)) {
      void this.exchangePeers(ids[this.maintainTicks % ids.length]);
    }
    this.maintainTicks++;
    const wanted = [...this.reserved.values(), ...this.bootnodes];
    for (const ma of wanted) {
      const id = ma.getComponents().find((c) => c.name === "p2p")!.value!;
      if (id === this.peerId || this.connected(id) || this.scores.isBanned(id)) continue;
      if (this.libp2p.getConnections().length >= this.opts.maxPeers && !this.reserved.has(id)) continue;
      void this.dialQuietly(ma);
    }
  }

  private async onConnect(peer: PeerId): Promise<void> {
    const id = peer.toString();
    if (this.scores.isBanned(id)) {
      await this.libp2p.hangUp(peer).catch(() => undefined);
      return;
    }
    const conn = this.libp2p.getConnections(peer)[0];
    this.peersTable.set(id, { address: conn?.remoteAddr.toString() });
    try {
      await this.handshake(id);
    } catch (e) {
      this.log.debug({ err: e, peer: id }, "Handshake failed");
      if (e instanceof ReqRespError && e.code === "DIAL_FAILED" && /protocol/i.test(e.message)) {
        // it does not speak our chain's protocols: another chain (protocol ids carry the genesis)
        this.penalize(id, "fatal", "speaks no protocol of this chain (another network or genesis)");
      } else if (!(e instanceof HandshakeRefused)) {
        await this.libp2p.hangUp(peer).catch(() => undefined);
      }
      return;
    }
    void this.exchangePeers(id);
    void this.pushTransactions(id);
  }

  /**
   * Sends our pool to a peer that just connected (as Substrate's transactions protocol does): a
   * transaction gossiped before the peer joined would otherwise never reach it, and a full node
   * holding one would never see it included.
   */
  private async pushTransactions(peer: string): Promise<void> {
    const txs = this.modules.pool.pending().slice(0, TX_PUSH.maxTransactions);
    let batch: Uint8Array[] = [];
    let bytes = 0;
    const send = async () => {
      if (!batch.length) return;
      const payload = TxBatchCodec.encode(batch);
      batch = [];
      bytes = 0;
      await sendRequest(this.libp2p, peer, this.protocols.transactions, payload, { timeoutMs: LIMITS.statusTimeoutMs, maxFrames: 0, maxBytes: 0 });
    };
    try {
      for (const tx of txs) {
        if (bytes + tx.bytes.length > TX_PUSH.maxBatchBytes) await send();
        batch.push(tx.bytes);
        bytes += tx.bytes.length;
      }
      await send();
    } catch (e) {
      this.log.debug({ err: e, peer }, "Pushing the pool to a new peer failed");
    }
  }

  private onDisconnect(peer: PeerId): void {
    const id = peer.toString();
    if (this.peersTable.delete(id)) this.emit("peers", this.peerCount);
    for (const r of Object.values(this.rates)) r.forget(id);
  }

  private ourStatus(): Status {
    const { chain } = this.modules;
    return {
      genesisHash: chain.genesisHash,
      slotDurationMs: BigInt(this.opts.slotDurationMs),
      bestNumber: chain.best.number,
      bestHash: chain.best.hash,
      finalizedNumber: chain.finalized.number,
      finalizedHash: chain.finalized.hash,
      role: this.opts.isAuthority ? 1 : 0,
    };
  }

  /** Checks a peer's status; refuses (and bans) a peer of another chain or slot duration. */
  private acceptStatus(peer: string, s: Status): void {
    if (!bytesEqual(s.genesisHash, this.modules.chain.genesisHash)) {
      this.penalize(peer, "fatal", `genesis ${toHex(s.genesisHash)} is not ours`);
      throw new HandshakeRefused("different genesis");
    }
    if (s.slotDurationMs !== BigInt(this.opts.slotDurationMs)) {
      this.penalize(peer, "fatal", `slot duration ${s.slotDurationMs} ms, ours is ${this.opts.slotDurationMs} ms`);
      throw new HandshakeRefused("different slot duration");
    }
    const entry = this.peersTable.get(peer) ?? {};
    const isNew = !entry.status;
    entry.status = s;
    this.peersTable.set(peer, entry);
    if (isNew) {
      this.log.info({ peer, best: s.bestNumber, role: s.role === 1 ? "authority" : "full" }, `Peer connected: ${peer} (best #${s.bestNumber})`);
      this.emit("peers", this.peerCount);
    }
    this.sync.wake();
  }

  private async handshake(peer: string): Promise<void> {
    const frames = await sendRequest(this.libp2p, peer, this.protocols.status, StatusCodec.encode(this.ourStatus() as Status & Record<string, unknown>), {
      timeoutMs: LIMITS.statusTimeoutMs,
      maxFrames: 1,
      maxBytes: 1024,
    });
    if (frames.length !== 1) throw new ReqRespError({ code: "BAD_RESPONSE", peer, reason: "no status" }, "no status in the handshake");
    let s: Status;
    try {
      s = StatusCodec.decode(frames[0]);
    } catch (e) {
      this.penalize(peer, "fatal", "undecodable status");
      throw e;
    }
    this.acceptStatus(peer, s);
  }

  private async refreshStatuses(): Promise<void> {
    for (const peer of this.peersTable.keys()) {
      if (this.stopped) return;
      await this.handshake(peer).catch((e) => this.log.debug({ err: e, peer }, "Status refresh failed"));
    }
  }

  // ---------------------------------------------------------------- req/resp

  private async registerProtocols(): Promise<void> {
    const logger = this.log;
    const onBadRequest = (peer: string, reason: string) => this.penalize(peer, "midTolerance", reason);
    await handleProtocol(
      this.libp2p,
      this.protocols.status,
      (request, peer) => {
        let s: Status;
        try {
          s = StatusCodec.decode(request);
        } catch {
          this.penalize(peer, "fatal", "undecodable status");
          throw new RequestRefused("undecodable status");
        }
        try {
          this.acceptStatus(peer, s);
        } catch {
          throw new RequestRefused("incompatible chain or slot duration");
        }
        return [StatusCodec.encode(this.ourStatus() as Status & Record<string, unknown>)];
      },
      { maxRequestBytes: 1024, timeoutMs: LIMITS.statusTimeoutMs, logger, onBadRequest },
    );
    await handleProtocol(this.libp2p, this.protocols.sync, (request, peer) => this.serveBlocks(request, peer), {
      maxRequestBytes: LIMITS.maxRequestBytes,
      timeoutMs: LIMITS.requestTimeoutMs,
      logger,
      onBadRequest,
    });
    await handleProtocol(this.libp2p, this.protocols.catchUp, (request) => [this.modules.finality.handleCatchUpRequest(request)], {
      maxRequestBytes: 64,
      timeoutMs: LIMITS.statusTimeoutMs,
      logger,
      onBadRequest,
    });
    await handleProtocol(
      this.libp2p,
      this.protocols.transactions,
      (request, peer) => {
        let txs: Uint8Array[];
        try {
          txs = TxBatchCodec.decode(request);
        } catch {
          this.penalize(peer, "fatal", "undecodable transaction batch");
          throw new RequestRefused("undecodable transaction batch");
        }
        // a pushed pool is bounded by the request size: no rate limit per transaction here
        for (const tx of txs) if (this.validateTransaction(peer, tx, false) === "reject") break;
        return [];
      },
      { maxRequestBytes: TX_PUSH.maxBatchBytes + 1024, timeoutMs: LIMITS.statusTimeoutMs, logger, onBadRequest },
    );
    await handleProtocol(this.libp2p, this.peerExchangeProtocol, () => this.knownPeersFrames(), { maxRequestBytes: 16, timeoutMs: LIMITS.statusTimeoutMs, logger, onBadRequest });
  }

  private get peerExchangeProtocol(): string {
    return this.protocols.status.replace("/status/1", "/peers/1");
  }

  /**
   * The peers we are connected to, with the listen addresses they told us through identify (the
   * address of an inbound connection is the peer's ephemeral port, useless to others).
   */
  private async knownPeers(): Promise<Uint8Array> {
    const list: Array<{ id: string; addrs: Uint8Array[] }> = [];
    for (const id of this.peersTable.keys()) {
      try {
        const peer = await this.libp2p.peerStore.get(peerIdFromString(id));
        const addrs = peer.addresses.map((a) => a.multiaddr).filter((a) => a.toString().includes("/tcp/"));
        if (addrs.length) list.push({ id, addrs: addrs.slice(0, 8).map((a) => a.bytes) });
      } catch {
        // not in the peer store (yet): nothing to tell
      }
    }
    return PeerListCodec.encode(list.slice(0, 64));
  }

  private async *knownPeersFrames(): AsyncIterable<Uint8Array> {
    yield await this.knownPeers();
  }

  /** Learns peers from a peer and dials the new ones (while below the peer limit). */
  private async exchangePeers(peer: string): Promise<void> {
    try {
      const frames = await sendRequest(this.libp2p, peer, this.peerExchangeProtocol, new Uint8Array([0]), { timeoutMs: LIMITS.statusTimeoutMs, maxFrames: 1, maxBytes: 64 * 1024 });
      const list = PeerListCodec.decode(frames[0] ?? new Uint8Array([0])) as Array<{ id: string; addrs: Uint8Array[] }>;
      for (const p of list) {
        if (p.id === this.peerId || this.peersTable.has(p.id) || this.scores.isBanned(p.id)) continue;
        if (this.libp2p.getConnections().length >= this.opts.maxPeers) return;
        if (this.opts.reservedOnly && !this.reserved.has(p.id)) continue;
        for (const a of p.addrs) {
          // the address a peer sees us by includes its ephemeral port for inbound connections;
          // the identify protocol gives the real listen addresses once we connect, so dial by id
          await this.libp2p.peerStore.merge(peerIdFromString(p.id), { multiaddrs: [multiaddr(a)] }).catch(() => undefined);
        }
        void this.dialQuietly(peerIdFromString(p.id));
      }
    } catch (e) {
      this.log.trace({ err: e, peer }, "Peer exchange failed");
    }
  }

  private *serveBlocks(request: Uint8Array, peer: string): Iterable<Uint8Array> {
    let req: BlockRequest;
    try {
      req = decodeBlockRequest(request);
    } catch {
      this.penalize(peer, "lowTolerance", "undecodable block request");
      throw new RequestRefused("undecodable block request");
    }
    const { chain } = this.modules;
    const max = Math.min(Math.max(req.max, 1), LIMITS.maxBlocksPerResponse);
    let hash: Uint8Array | undefined = req.from.tag === "Number" ? chain.hashAt(req.from.value) : req.from.value;
    let sent = 0;
    let bytes = 0;
    while (hash && sent < max) {
      const header = chain.header(hash);
      if (!header) break;
      const data: BlockData = {
        hash,
        header: req.fields & FIELD_HEADER ? header : null,
        body: req.fields & FIELD_BODY ? (chain.body(hash) ?? []) : null,
        justifications: req.fields & FIELD_JUSTIFICATION ? (chain.justification(hash) ?? null) : null,
      };
      const frame = encodeBlockData(data);
      if (sent > 0 && bytes + frame.length > LIMITS.maxResponseBytes) break;
      yield frame;
      sent++;
      bytes += frame.length;
      if (req.direction === "Descending") {
        if (header.number === 0) break;
        hash = header.parentHash;
      } else {
        const next = chain.hashAt(header.number + 1);
        // ascending follows the canonical chain, from a block on it
        const onCanonical = chain.hashAt(header.number);
        hash = onCanonical && bytesEqual(onCanonical, hash) ? next : undefined;
      }
    }
  }

  private async requestBlocks(peer: string, req: BlockRequest): Promise<BlockData[]> {
    try {
      const frames = await sendRequest(this.libp2p, peer, this.protocols.sync, encodeBlockRequest(req), {
        timeoutMs: LIMITS.requestTimeoutMs,
        maxFrames: LIMITS.maxBlocksPerResponse,
        maxBytes: LIMITS.maxResponseBytes + LIMITS.maxFrameBytes,
      });
      return frames.map((f) => decodeBlockData(f));
    } catch (e) {
      if (e instanceof ReqRespError) {
        this.penalize(peer, e.code === "BAD_RESPONSE" ? "lowTolerance" : "midTolerance", `block request: ${e.message}`);
      } else {
        this.penalize(peer, "fatal", `undecodable block response: ${(e as Error).message}`);
      }
      throw e;
    }
  }

  /** A block a finality vote names (and its missing ancestors): fetched from that vote's sender, or from any peer. */
  fetchBlock(hash: Uint8Array, fromPeer?: string): void {
    if (this.stopped || this.modules.queue.knows(hash)) return;
    const peers = this.peers();
    const peer = fromPeer && this.peersTable.has(fromPeer) ? fromPeer : peers[Math.floor(Math.random() * peers.length)]?.peerId;
    if (peer) this.sync.fetchBlock(hash, peer);
  }

  /** Catch-up request for the finality service; without a peer, to a connected authority (or any peer). */
  async requestCatchUp(to: string | undefined, request: Uint8Array): Promise<{ peer: string; response: Uint8Array }> {
    const peers = this.peers();
    const authorities = peers.filter((p) => p.roles === "AUTHORITY");
    const pool = authorities.length ? authorities : peers;
    const peer = to ?? pool[Math.floor(Math.random() * pool.length)]?.peerId;
    if (!peer) throw new ReqRespError({ code: "DIAL_FAILED", peer: "-", reason: "no peers" }, "no peer to ask for a catch-up");
    const frames = await sendRequest(this.libp2p, peer, this.protocols.catchUp, request, { timeoutMs: LIMITS.statusTimeoutMs, maxFrames: 1, maxBytes: 1024 * 1024 });
    if (frames.length !== 1) throw new ReqRespError({ code: "BAD_RESPONSE", peer, reason: "no catch-up" }, "empty catch-up response");
    return { peer, response: frames[0] };
  }

  // ---------------------------------------------------------------- gossip

  private registerGossip(): void {
    const ps = this.libp2p.services.pubsub;
    const p = this.protocols;
    const asResult = (v: GossipVerdict | "accept" | "ignore" | "reject") => {
      const r = typeof v === "string" ? v : v.result;
      return r === "accept" ? TopicValidatorResult.Accept : r === "ignore" ? TopicValidatorResult.Ignore : TopicValidatorResult.Reject;
    };
    ps.topicValidators.set(p.blocksTopic, async (peer, msg) => asResult(await this.validateBlock(peer.toString(), msg.data)));
    ps.topicValidators.set(p.transactionsTopic, (peer, msg) => asResult(this.validateTransaction(peer.toString(), msg.data)));
    ps.topicValidators.set(p.finalityTopic, (peer, msg) => {
      const id = peer.toString();
      if (!this.rates.finality.take(id)) {
        this.penalize(id, "midTolerance", "finality gossip flood");
        return TopicValidatorResult.Reject;
      }
      if (msg.data.length > TOPIC_LIMITS.finality) {
        this.penalize(id, "fatal", `finality message of ${msg.data.length} bytes`);
        return TopicValidatorResult.Reject;
      }
      const v = this.modules.finality.validateGossip(msg.data, id);
      if (v.result === "reject") this.penalize(id, "fatal", v.reason);
      return asResult(v);
    });
    for (const t of [p.blocksTopic, p.transactionsTopic, p.finalityTopic]) ps.subscribe(t);
    // failures of blocks that arrived by gossip or sync (held ones too) penalize their sender
    this.modules.queue.on("failed", ({ origin, error }) => {
      if (error instanceof BlockImportError && error.code === "EQUIVOCATION") this.logEquivocation(error.message);
      const peer = originPeer(origin);
      if (!peer) return;
      const j = judgeImportError(error);
      if (j.penalty) this.penalize(peer, j.penalty, error.message);
    });
    this.modules.queue.on("unknownParent", (e) => this.sync.onUnknownParent(e));
  }

  private readonly equivocationsLogged = new Set<string>();

  /** An author's second block in a slot was refused (the first is kept): logged once per equivocation. */
  private logEquivocation(reason: string): void {
    if (this.equivocationsLogged.has(reason)) return;
    if (this.equivocationsLogged.size >= 1024) this.equivocationsLogged.clear();
    this.equivocationsLogged.add(reason);
    this.log.warn({ reason }, `Slot author is equivocating: ${reason}`);
  }

  private async validateBlock(peer: string, data: Uint8Array): Promise<"accept" | "ignore" | "reject"> {
    if (!this.rates.blocks.take(peer)) {
      this.penalize(peer, "midTolerance", "block gossip flood");
      return "reject";
    }
    if (data.length > TOPIC_LIMITS.blocks) {
      this.penalize(peer, "fatal", `gossiped block of ${data.length} bytes`);
      return "reject";
    }
    let announce;
    try {
      announce = decodeBlockAnnounce(data);
    } catch (e) {
      this.penalize(peer, "fatal", `undecodable block announcement: ${(e as Error).message}`);
      return "reject";
    }
    const hash = headerHash(announce.header);
    if (this.modules.queue.knows(hash)) return "ignore";
    const status = this.peersTable.get(peer)?.status;
    if (status && announce.header.number > status.bestNumber) {
      status.bestNumber = announce.header.number;
      status.bestHash = hash;
    }
    let extrinsics = announce.extrinsics;
    if (!extrinsics) {
      // a large block: its body comes by request from the peer that announced it
      try {
        const [d] = await this.requestBlocks(peer, { from: { tag: "Hash", value: hash }, direction: "Ascending", max: 1, fields: FIELD_HEADER | FIELD_BODY });
        if (!d || !d.body || !d.header || !bytesEqual(headerHash(d.header), hash)) {
          this.penalize(peer, "lowTolerance", "announced a block it does not serve");
          return "reject";
        }
        extrinsics = d.body;
      } catch {
        return "ignore";
      }
    }
    const block = { header: announce.header, extrinsics };
    try {
      const outcome = await this.modules.queue.import(block, { kind: "gossip", peer });
      return outcome.status === "imported" ? "accept" : "ignore";
    } catch (e) {
      return judgeImportError(e).verdict;
    }
  }

  private validateTransaction(peer: string, data: Uint8Array, rateLimited = true): "accept" | "ignore" | "reject" {
    if (rateLimited && !this.rates.transactions.take(peer)) {
      this.penalize(peer, "midTolerance", "transaction gossip flood");
      return "reject";
    }
    if (data.length > TOPIC_LIMITS.transactions) {
      this.penalize(peer, "lowTolerance", `gossiped transaction of ${data.length} bytes`);
      return "reject";
    }
    try {
      this.modules.pool.submit(data, "external");
      // relayed only within our own gossip budget: a flood we accept must not make us a flooder
      // in our peers' eyes (they would ban us: one attacker could cut honest nodes apart)
      if (!this.txBudget.take("out")) {
        this.noteTxNotGossiped();
        return "ignore";
      }
      return "accept";
    } catch (e) {
      if (!(e instanceof PoolError)) throw e;
      // a bad signature or garbage is the sender's fault; stale or future nonces are not
      const bad = e.code === "BAD_FORMAT" || (e.code === "INVALID" && /BadProof|bad signature/i.test(e.message));
      if (bad) {
        this.penalize(peer, "lowTolerance", `invalid transaction: ${e.message}`);
        return "reject";
      }
      return "ignore";
    }
  }

  private async publish(topic: string, data: Uint8Array): Promise<void> {
    if (this.stopped) return;
    try {
      await this.libp2p.services.pubsub.publish(topic, data);
    } catch (e) {
      this.log.debug({ err: e, topic }, "Publish failed");
    }
  }

  /**
   * Announces a block we authored (blocks from others are forwarded by gossipsub after
   * validation): with its body, or by its header alone when the body is large.
   */
  announceBlock(block: ImportedBlock): void {
    let size = 0;
    for (const e of block.extrinsics) size += e.length;
    const extrinsics = size <= GOSSIP_BODY_LIMIT ? block.extrinsics : null;
    void this.publish(this.protocols.blocksTopic, encodeBlockAnnounce({ header: block.header, extrinsics }));
  }

  /** Gossips a transaction that entered our pool from RPC (within the gossip budget). */
  announceTransaction(bytes: Uint8Array): void {
    if (!this.txBudget.take("out")) return this.noteTxNotGossiped();
    void this.publish(this.protocols.transactionsTopic, bytes);
  }

  private noteTxNotGossiped(): void {
    if (this.txNotGossiped++ % 1000 === 0) this.log.info({ total: this.txNotGossiped }, "Transactions beyond the gossip budget stay in the pool without being gossiped");
  }

  broadcastFinality(data: Uint8Array): void {
    void this.publish(this.protocols.finalityTopic, data);
  }
}

class HandshakeRefused extends Error {
  override name = "HandshakeRefused";
}

/** A multiaddr that names its peer (`…/p2p/<peer id>`); flags name themselves in the error. */
export function parsePeerAddr(addr: string, flag: string): Multiaddr {
  let ma: Multiaddr;
  try {
    ma = multiaddr(addr);
  } catch (e) {
    throw new Error(`${flag}: "${addr}" is not a multiaddr (${(e as Error).message})`);
  }
  const p2p = ma.getComponents().find((c) => c.name === "p2p");
  if (!p2p?.value) throw new Error(`${flag}: "${addr}" has no /p2p/<peer id> part`);
  try {
    peerIdFromString(p2p.value);
  } catch {
    throw new Error(`${flag}: "${p2p.value}" is not a valid peer id`);
  }
  return ma;
}
