/**
 * Attackers for the malicious-peer suite, built on the shared MaliciousPeer (our protocols, a
 * verified copy of the honest chain): a peer that claims the authority role in its handshake and
 * answers finality catch-up requests with what it likes, and helpers to build valid blocks with
 * chosen contents for a chosen slot and sealer (an equivocating authority holds a real key).
 */
import type { KeyringPair } from "@polkadot/keyring/types";
import { MaliciousPeer } from "../../utils/maliciousPeer.js";
import type { ChainSpec } from "../../../src/chain/spec.js";
import { headerHash, type Block } from "../../../src/chain/codec/block.js";
import { preDigest, sealDigest } from "../../../src/consensus/aura.js";
import { handleProtocol } from "../../../src/p2p/reqresp.js";
import { silentLogger } from "../../../src/util/logger.js";

export interface AttackerOptions {
  /** role announced in the status handshake (1: authority, so catch-ups are asked of it) */
  role?: 0 | 1;
  /** answers catch-up requests (raw SCALE response) */
  catchUp?: (request: Uint8Array, peer: string) => Uint8Array;
}

export async function createAttacker(spec: ChainSpec, o: AttackerOptions = {}): Promise<MaliciousPeer & { catchUpRequests: number }> {
  const p = (await MaliciousPeer.create(spec)) as MaliciousPeer & { catchUpRequests: number };
  p.catchUpRequests = 0;
  if (o.role !== undefined) {
    const honest = p.status.bind(p);
    p.status = () => ({ ...honest(), role: o.role! });
  }
  if (o.catchUp) {
    const answer = o.catchUp;
    await handleProtocol(
      p.libp2p,
      p.protocols.catchUp,
      (request, peer) => {
        p.catchUpRequests++;
        return [answer(request, peer)];
      },
      { maxRequestBytes: 64, timeoutMs: 5000, logger: silentLogger() },
    );
  }
  return p;
}

/** A valid block on the attacker's copy of the best block: `extrinsics` executed after the timestamp inherent, sealed by `sealer`. */
export function buildBlock(p: MaliciousPeer, sealer: KeyringPair, slot: bigint, extrinsics: Uint8Array[] = []): Block & { hash: Uint8Array } {
  const c = p.copy.chain;
  const parent = c.best;
  const executed = c.execute(parent, { number: parent.number + 1, digest: [preDigest(slot)] }, [p.copy.timestampInherent(slot), ...extrinsics], { build: true });
  if (executed.skipped.length) throw new Error(`attacker block: ${executed.skipped.length} extrinsics skipped: ${String(executed.skipped[0].error)}`);
  const header = { ...executed.header, digest: { logs: [...executed.header.digest.logs, sealDigest(sealer.sign(headerHash(executed.header)))] } };
  return { header, extrinsics: executed.extrinsics, hash: headerHash(header) };
}
