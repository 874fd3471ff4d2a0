/**
 * `grandpa_*` (sc-consensus-grandpa-rpc): the voter's round state, a justification subscription,
 * and finality proofs, with Substrate's JSON shapes:
 *  - roundState: `{setId, best: {round, totalWeight, thresholdWeight, prevotes: {currentWeight,
 *    missing: [SS58…]}, precommits: {…}}, background: []}`; a node that does not vote answers
 *    Substrate's error 1 "GRANDPA RPC endpoint not ready";
 *  - subscribeJustifications: notifications are the hex SCALE GrandpaJustification;
 *  - proveFinality(n): hex SCALE FinalityProof {block, justification, unknown_headers}, or null.
 */
import { encodeAddress } from "@polkadot/util-crypto";
import { bytes, struct, vec, type Codec } from "../../chain/codec/scale.js";
import { H256, HeaderCodec, type Header } from "../../chain/codec/types.js";
import { grandpaEntry } from "../../consensus/finality/messages.js";
import { RpcError } from "../errors.js";
import { u32 } from "../params.js";
import type { RpcRegistry } from "../registry.js";
import { toHex } from "./common.js";
import type { RpcServices } from "./services.js";

/** sc-consensus-grandpa-rpc's error codes. */
export const GrandpaErrorCode = { EndpointNotReady: 1, ProveFinalityFailed: 4 } as const;

const FinalityProofCodec = struct<{ block: Uint8Array; justification: Uint8Array; unknownHeaders: Header[] }>([
  { name: "block", type: H256 },
  { name: "justification", type: bytes },
  { name: "unknown_headers", type: vec(HeaderCodec) as Codec<unknown> },
]);

/** How far past a block we look for a stored justification that covers it. */
const PROOF_SEARCH = 4096;

export function register(registry: RpcRegistry, services: RpcServices): void {
  const { chain, finality } = services;

  registry.addMethod({
    name: "grandpa_roundState",
    params: [],
    handler: () => {
      const r = finality?.round?.();
      if (!finality || !r) throw new RpcError(GrandpaErrorCode.EndpointNotReady, "GRANDPA RPC endpoint not ready");
      const ss58 = (i: number) => encodeAddress(finality.authorities[i], 42);
      const voters = finality.authorities.length;
      return {
        setId: Number(finality.setId),
        best: {
          round: Number(r.round),
          totalWeight: voters,
          thresholdWeight: r.threshold,
          prevotes: { currentWeight: r.prevotes, missing: r.missingPrevotes.map(ss58) },
          precommits: { currentWeight: r.precommits, missing: r.missingPrecommits.map(ss58) },
        },
        background: [],
      };
    },
  });

  registry.addSubscription({
    subscribe: "grandpa_subscribeJustifications",
    unsubscribe: "grandpa_unsubscribeJustifications",
    notification: "grandpa_justifications",
    params: [],
    start: (_params, sink) => {
      if (!finality) return { stop: () => undefined };
      return { stop: finality.onJustification((j) => sink.emit(toHex(j.justification))) };
    },
  });

  registry.addMethod({
    name: "grandpa_proveFinality",
    params: [u32().named("blockNumber")],
    handler: ([number]: [number]) => {
      if (number > chain.finalized.number) return null;
      // the first finalized block at or after `number` that carries a justification proves it
      for (let n = number; n <= Math.min(chain.finalized.number, number + PROOF_SEARCH); n++) {
        const hash = chain.hashAt(n);
        const stored = hash && chain.justification(hash);
        const entry = stored && grandpaEntry(stored);
        if (!hash || !entry) continue;
        const unknownHeaders: Header[] = [];
        for (let m = number + 1; m <= n; m++) unknownHeaders.push(chain.header(chain.hashAt(m)!)!);
        return toHex(FinalityProofCodec.encode({ block: hash, justification: entry, unknownHeaders }));
      }
      throw new RpcError(GrandpaErrorCode.ProveFinalityFailed, `Failed to prove finality: no justification stored for block #${number} or the ${PROOF_SEARCH} blocks after it`);
    },
  });
}
