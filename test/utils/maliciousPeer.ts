/**
 * A peer that speaks our protocols (status handshake, gossip topics) but sends what an attacker
 * would: blocks with bad seals or state roots, far-future slots, oversized bodies, garbage, votes
 * signed by non-authorities. It keeps a copy of the honest chain (imported from an honest node's
 * database, verified) so its blocks build on the real head.
 */
import { createHash } from "node:crypto";
import { createLibp2p, type Libp2p } from "libp2p";
import { tcp } from "@libp2p/tcp";
import { noise } from "@chainsafe/libp2p-noise";
import { yamux } from "@chainsafe/libp2p-yamux";
import { identify } from "@libp2p/identify";
import { gossipsub, type GossipSub } from "@libp2p/gossipsub";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { multiaddr } from "@multiformats/multiaddr";
import type { KeyringPair } from "@polkadot/keyring/types";
import { lpStream } from "@libp2p/utils";
import { ChainHarness } from "./chainHarness.js";
import type { Blockchain } from "../../src/chain/blockchain/blockchain.js";
import { headerHash, type Block } from "../../src/chain/codec/block.js";
import type { Header } from "../../src/chain/codec/types.js";
import { headerSlot, preDigest, sealDigest, slotAt } from "../../src/consensus/aura.js";
import { protocolsFor, type Protocols } from "../../src/p2p/protocols.js";
import { StatusCodec, encodeBlockAnnounce, type Status } from "../../src/p2p/messages.js";
import { encodeGossipMessage, localizedPayload } from "../../src/consensus/finality/messages.js";
import { finalityKeyFromSuri, signFinality } from "../../src/consensus/finality/keys.js";
import type { ChainSpec } from "../../src/chain/spec.js";

export class MaliciousPeer {
  private constructor(
    readonly libp2p: Libp2p<{ pubsub: GossipSub }>,
    readonly protocols: Protocols,
    readonly copy: ChainHarness,
    private readonly slotDurationMs: number,
  ) {}

  get peerId(): string {
    return this.libp2p.peerId.toString();
  }

  /** Starts the peer with a copy of the chain in `spec`, ready to connect. */
  static async create(spec: ChainSpec): Promise<MaliciousPeer> {
    const copy = await ChainHarness.create(spec);
    const protocols = protocolsFor(copy.chain.genesisHash);
    const libp2p = (await createLibp2p({
      privateKey: await generateKeyPair("Ed25519"),
      addresses: { listen: ["/ip4/127.0.0.1/tcp/0"] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux({ streamOptions: { maxReadBufferLength: 24 * 1024 * 1024 } })],
      services: {
        identify: identify(),
        pubsub: gossipsub({
          globalSignaturePolicy: "StrictNoSign",
          msgIdFn: (msg) => createHash("sha256").update(msg.data).digest().subarray(0, 20),
          allowPublishToZeroTopicPeers: true,
          floodPublish: true,
          maxInboundDataLength: 32 * 1024 * 1024,
          maxOutboundBufferSize: 64 * 1024 * 1024,
        }),
      },
    })) as unknown as Libp2p<{ pubsub: GossipSub }>;
    const peer = new MaliciousPeer(libp2p, protocols, copy, spec.consensus.slotDurationMs);
    // answer the honest node's handshake like a good citizen
    await libp2p.handle(protocols.status, async (stream) => {
      const lp = lpStream(stream);
      await lp.read();
      const status = StatusCodec.encode(peer.status() as Status & Record<string, unknown>);
      const frame = new Uint8Array(status.length + 1);
      frame.set(status, 1);
      await lp.write(frame);
      const end = new Uint8Array([1]);
      await lp.write(end);
      await stream.close();
    });
    for (const t of [protocols.blocksTopic, protocols.transactionsTopic, protocols.finalityTopic]) libp2p.services.pubsub.subscribe(t);
    return peer;
  }

  status(): Status {
    const c = this.copy.chain;
    return {
      genesisHash: c.genesisHash,
      slotDurationMs: BigInt(this.slotDurationMs),
      bestNumber: c.best.number,
      bestHash: c.best.hash,
      finalizedNumber: c.finalized.number,
      finalizedHash: c.finalized.hash,
      role: 0,
    };
  }

  /** Copies the honest chain up to its best block, verifying every block. */
  async follow(honest: Blockchain): Promise<void> {
    const path: Uint8Array[] = [];
    for (let h = honest.best.hash; !this.copy.chain.has(h); h = honest.header(h)!.parentHash) path.push(h);
    for (const h of path.reverse()) await this.copy.chain.importBlock({ header: honest.header(h)!, extrinsics: honest.body(h)! }, { kind: "test" });
  }

  async connect(addr: string): Promise<void> {
    await this.libp2p.dial(multiaddr(addr));
  }

  /** Waits until the honest peer is subscribed to our topics (gossip would be dropped before). */
  async waitForSubscribers(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.libp2p.services.pubsub.getSubscribers(this.protocols.blocksTopic).length === 0) {
      if (Date.now() > deadline) throw new Error("the honest node never subscribed to our gossip topics");
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async publish(topic: string, data: Uint8Array): Promise<void> {
    await this.libp2p.services.pubsub.publish(topic, data);
  }

  /** The next block on the copy's best, for the current slot, sealed by `sealer`, optionally tampered with. */
  buildBlock(o: { sealer: KeyringPair; slot?: bigint; tamper?: (h: Header) => Header; extraExtrinsics?: Uint8Array[] }): Block {
    const c = this.copy.chain;
    const parent = c.best;
    const parentSlot = headerSlot(parent.header) ?? 0n;
    const now = slotAt(Date.now(), this.slotDurationMs);
    const slot = o.slot ?? (now > parentSlot ? now : parentSlot + 1n);
    const inherent = this.copy.timestampInherent(slot);
    const executed = c.execute(parent, { number: parent.number + 1, digest: [preDigest(slot)] }, [inherent], { build: true });
    let header = executed.header;
    if (o.tamper) header = o.tamper(header);
    const sealed = { ...header, digest: { logs: [...header.digest.logs, sealDigest(o.sealer.sign(headerHash(header)))] } };
    return { header: sealed, extrinsics: [...executed.extrinsics, ...(o.extraExtrinsics ?? [])] };
  }

  announce(block: Block): Uint8Array {
    return encodeBlockAnnounce({ header: block.header, extrinsics: block.extrinsics });
  }

  /** A correctly signed prevote by `suri`'s finality key (not necessarily an authority). */
  vote(suri: string, round: bigint, target: { hash: Uint8Array; number: number }): Uint8Array {
    const key = finalityKeyFromSuri(suri);
    const signature = signFinality(key, localizedPayload(round, 0n, "Prevote", target));
    return encodeGossipMessage({ tag: "Vote", value: { round, setId: 0n, vote: { kind: "Prevote", target, signature, id: key.publicKey } } });
  }

  async stop(): Promise<void> {
    await this.libp2p.stop();
    await this.copy.close();
  }
}
