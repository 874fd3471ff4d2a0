/**
 * Offline block tools on an opened chain: the slot duration a block was produced with, and
 * `checkBlock`, which runs every import check on a block (Aura seal against the parent state's
 * authorities, body, signatures, execution, state and extrinsics roots) without writing anything.
 */
import type { Blockchain, HeadInfo } from "../blockchain/blockchain.js";
import { BlockImportError } from "../blockchain/errors.js";
import { headerHash, type Block } from "../codec/block.js";
import { decodeExtrinsic } from "../codec/extrinsic.js";
import type { RuntimeDefinition } from "../runtime/frame/runtime.js";
import { headerSlot } from "../../consensus/aura.js";
import { auraHeaderVerifier } from "../../consensus/verifiers.js";
import { bytesEqual, toHex } from "../../util/bytes.js";

/**
 * The slot duration a block was made with: its timestamp inherent (extrinsic 0, Timestamp.set)
 * divided by its Aura slot. Undefined for genesis or a block without the inherent.
 */
export function blockSlotDuration(block: Block, runtime: RuntimeDefinition): number | undefined {
  if (block.header.number === 0 || block.extrinsics.length === 0) return undefined;
  try {
    const ext = decodeExtrinsic(block.extrinsics[0], runtime.callCodec);
    const call = ext.call as { tag: string; value: { tag: string; value: { now: bigint } } };
    if (call.tag !== "Timestamp" || call.value.tag !== "set") return undefined;
    const slot = headerSlot(block.header);
    if (slot === undefined || slot === 0n) return undefined;
    return Number(call.value.value.now / slot);
  } catch {
    return undefined;
  }
}

export interface CheckResult {
  number: number;
  hash: string;
  extrinsics: number;
  stateRoot: string;
  events: number;
}

/** Every check import makes, on a block whose parent is in `chain`; throws BlockImportError. Writes nothing. */
export async function checkBlock(chain: Blockchain, block: Block, slotDurationMs: number): Promise<CheckResult> {
  const hash = headerHash(block.header);
  const parentHeader = chain.header(block.header.parentHash);
  if (!parentHeader) throw new BlockImportError({ code: "PARENT_UNKNOWN", hash: toHex(block.header.parentHash) }, `parent ${toHex(block.header.parentHash)} is unknown`);
  const parent: HeadInfo = { hash: block.header.parentHash, number: parentHeader.number, header: parentHeader };
  if (block.header.number !== parent.number + 1) throw new BlockImportError({ code: "BAD_NUMBER", number: block.header.number }, `block number ${block.header.number} does not follow parent ${parent.number}`);
  // a fresh verifier: the block's own (slot, author) claim is not an equivocation with itself
  const check = auraHeaderVerifier({ slotDurationMs, now: Date.now })(block.header, parent, chain.stateAt(parent.hash));
  if (!check.ok) throw new BlockImportError({ code: check.code, reason: check.reason }, check.reason);
  const decoded = chain.decodeBody(block.extrinsics);
  await chain.verifySignatures(parent, block.header.number, decoded);
  // the seal is not executed (Substrate strips it first)
  const preDigest = block.header.digest.logs.filter((l) => l.tag !== "Seal");
  const executed = chain.execute(parent, { number: block.header.number, digest: preDigest }, block.extrinsics, { build: false, decoded });
  if (!bytesEqual(executed.header.stateRoot, block.header.stateRoot)) {
    throw new BlockImportError({ code: "STATE_ROOT_MISMATCH", hash: toHex(hash) }, `state root mismatch: block says ${toHex(block.header.stateRoot)}, execution gives ${toHex(executed.header.stateRoot)}`);
  }
  if (!bytesEqual(executed.header.extrinsicsRoot, block.header.extrinsicsRoot)) throw new BlockImportError({ code: "EXTRINSICS_ROOT_MISMATCH", hash: toHex(hash) }, "extrinsics root mismatch");
  return { number: block.header.number, hash: toHex(hash), extrinsics: block.extrinsics.length, stateRoot: toHex(block.header.stateRoot), events: executed.events.length };
}
